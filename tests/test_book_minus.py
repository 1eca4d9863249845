"""A minus sign in prose is printed as one (dmls_book.TrueMinusInProse).

Docstrings stay ASCII for help() and the linter, so "a score of -1000" is
typed with a hyphen-minus; the site and the PDF print U+2212 there, as for
the numbers the pages compute. Code, literals and signatures keep what a
reader would type. tests/outputs/test_pdf.py checks the PDF.
"""

import re
import sys
from pathlib import Path

import pytest
from dmls_book import true_minus
from sphinx_builds import build_in_process

MINUS = "\N{MINUS SIGN}"
EXTENSIONS = Path(__file__).resolve().parent.parent / "docs" / "_ext"


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("a score of -1000 gives 0.0", f"a score of {MINUS}1000 gives 0.0"),
        ("above -1 (0.06 is 6%)", f"above {MINUS}1 (0.06 is 6%)"),
        ("the interval (-1, inf)", f"the interval ({MINUS}1, inf)"),
        ("from -.5 to 2", f"from {MINUS}.5 to 2"),
        ("where 1 - beta is the power", f"where 1 {MINUS} beta is the power"),
        ("B waits for (B - 1) / lambda", f"B waits for (B {MINUS} 1) / lambda"),
        ("-3 at the start", f"{MINUS}3 at the start"),
        # Spaced between two operands it is a minus too: the pages write a
        # dash as an en or em dash, never as a spaced hyphen.
        ("at alpha = (c_j - c_i)", f"at alpha = (c_j {MINUS} c_i)"),
    ],
)
def test_a_minus_in_prose_is_a_minus_sign(typed, printed):
    assert true_minus(typed) == printed


@pytest.mark.parametrize(
    "typed",
    [
        "GPT-3 and SHA-256",
        "below 2.2e-308",
        "from 2019-2020",
        "non-negative and half-open",
        "integers in 0..K-1",
        "the option --slo or -v",
        "x--1",
    ],
)
def test_a_hyphen_stays_a_hyphen(typed):
    assert true_minus(typed) == typed


MODULE = '''
"""Module."""


def squash(score=-1):
    """Squash a score; a score of -1000 gives 0.0, and 1 - p is its complement.

    ``f(-2)`` is code, and so is the example; GPT-3 keeps its hyphen.

    Examples:
        >>> squash(-1000)
        -1
    """
    return -1
'''

CONF = f"""
import sys
sys.path[:0] = [{str(EXTENSIONS)!r}, {{here!r}}]
project = "Minus"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "dmls_book"]
html_theme = "basic"
"""


@pytest.mark.slow
# Sphinx 9's napoleon reads autodoc's options the way Sphinx 9 deprecates.
@pytest.mark.filterwarnings("ignore:The mapping interface for autodoc options")
def test_the_site_prints_a_docstrings_minus_sign_and_keeps_code(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "minus_demo.py").write_text(MODULE)
    (src / "conf.py").write_text(CONF.format(here=str(src)))
    (src / "index.rst").write_text("Minus\n=====\n\n.. automodule:: minus_demo\n   :members:\n")
    try:
        built = build_in_process(src)
    finally:
        sys.modules.pop("minus_demo", None)
    assert not built.warnings, built.warnings
    html = (built.outdir / "index.html").read_text()
    text = re.sub(r"<[^>]+>", "", html)
    assert f"a score of {MINUS}1000 gives 0.0" in text
    assert f"1 {MINUS} p is its complement" in text
    assert "GPT-3" in text
    # What a reader types is left alone: a literal, an example, a signature.
    assert "f(-2)" in text
    assert "squash(-1000)" in text
    assert re.search(r"score\s*=\s*-1\b", text)
    assert MINUS not in "".join(re.findall(r"<pre.*?</pre>", html, re.S))
