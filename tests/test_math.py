"""Formulas become MathML at build time, or the build fails."""

import re
import xml.etree.ElementTree as ET

import pytest
from dmls_math import MathMLError, to_mathml

MATHML = "{http://www.w3.org/1998/Math/MathML}"


def test_inline_formula_becomes_mathml():
    root = ET.fromstring(to_mathml(r"\lambda\, s(B) / B", display=False))
    assert root.tag == MATHML + "math"
    assert root.get("display") == "inline"
    assert "λ" in "".join(root.itertext())


def test_display_formula_keeps_its_structure():
    root = ET.fromstring(to_mathml(r"\frac{1}{n} \sum_{j=1}^{n} (y_j - \hat y_j)^2", display=True))
    assert root.get("display") == "block"
    assert root.find(f".//{MATHML}mfrac") is not None
    assert root.find(f".//{MATHML}munderover") is not None


def test_lines_of_a_display_formula_become_rows():
    mathml = to_mathml("a = b\n\nc = d", display=True)
    assert len(ET.fromstring(mathml).findall(f".//{MATHML}mtr")) == 2


def test_no_tex_is_left_in_the_output():
    text = "".join(ET.fromstring(to_mathml(r"\sqrt{2\bar p(1-\bar p)}", display=False)).itertext())
    assert not re.search(r"\\[a-z]", text)


@pytest.mark.parametrize("tex", [r"\notacommand{x}", r"\frac{1}{"])
def test_a_formula_that_cannot_convert_is_an_error(tex):
    with pytest.raises(MathMLError, match=r"notacommand|cannot convert|malformed"):
        to_mathml(tex, display=False)


@pytest.mark.parametrize(
    ("tex", "forms"),
    [
        (r"|\hat{x} - x| / x", ["prefix", "postfix"]),
        (r"|a| + |b - c|", ["prefix", "postfix", "prefix", "postfix"]),
        (r"P(Y | X)", [None]),  # a lone bar is a relation, left as it is
    ],
)
def test_absolute_value_bars_are_fences(tex, forms):
    """A bare | is an infix operator to a browser, spaced on both sides: the
    closing bar of |x̂ - x| / x stood apart from x, "|x̂ - x |  / x"."""
    root = ET.fromstring(to_mathml(tex, display=False))
    bars = [mo.get("form") for mo in root.iter(MATHML + "mo") if mo.text == "|"]
    assert bars == forms
