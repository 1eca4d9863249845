"""Maths rendered once, at build time, as MathML: no script, no raw TeX.

Browsers and EPUB 3 readers display MathML natively, so the HTML and the
EPUB carry the formula itself instead of a 2 MB script that would typeset
TeX in the reader's browser. latex2mathml (pure Python) does the conversion.
A formula it cannot convert fails the build (every build runs with -W)
rather than showing TeX to a reader. The LaTeX builder is untouched: the PDF
keeps real LaTeX maths.

The search index skips formulas: their TeX source is not what a reader types.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

#: Text left inside a MathML element that still looks like TeX: a command
#: latex2mathml did not know (it copies ``\foo`` through as an identifier).
_LEFTOVER_TEX = re.compile(r">[^<]*\\[A-Za-z][^<]*<")


#: latex2mathml's bar for a bare ``|`` in TeX: an operator whose form the
#: browser guesses from its place, infix between two terms.
_BAR = '<mo stretchy="false">&#x0007C;</mo>'


def _bars_as_fences(mathml: str) -> str:
    """Pair the bare bars of a formula as opening and closing fences.

    Left to guess, a browser takes the closing bar of ``|x - y| / x`` for
    an infix operator and spaces it on both sides, "|x - y |  / x"; TeX
    sets both bars tight. An even number of bars pairs up in order, as they
    do in absolute values; a lone bar (``P(Y | X)``) stays as it is.
    """
    pieces = mathml.split(_BAR)
    bars = len(pieces) - 1
    if bars == 0 or bars % 2:
        return mathml
    out = [pieces[0]]
    for index, piece in enumerate(pieces[1:]):
        form = "postfix" if index % 2 else "prefix"
        out.append(f'<mo stretchy="false" form="{form}">&#x0007C;</mo>{piece}')
    return "".join(out)


class MathMLError(ValueError):
    """A formula that latex2mathml cannot turn into clean MathML."""


def to_mathml(tex: str, *, display: bool) -> str:
    """Convert one TeX formula to a ``<math>`` element.

    Display maths that holds several lines (``\\\\``) is set as a ``split``
    environment, the way Sphinx's MathJax renderer does; paragraphs separated
    by a blank line become lines of one formula.

    Raises:
        MathMLError: if the conversion fails, leaves a TeX command in the
            output, or produces markup that is not well-formed XML (the EPUB
            is XHTML, where that would break the page).
    """
    from latex2mathml.converter import convert  # loaded only for a page with maths

    tex = tex.strip()
    if display:
        parts = [part.strip() for part in tex.split("\n\n") if part.strip()]
        if len(parts) > 1 or r"\\" in tex:
            tex = r"\begin{split}" + r" \\ ".join(parts) + r"\end{split}"
    try:
        mathml = convert(tex, display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises bare exceptions of many kinds
        raise MathMLError(f"cannot convert {tex!r}: {error}") from error
    mathml = _bars_as_fences(mathml)
    if _LEFTOVER_TEX.search(mathml):
        raise MathMLError(f"unknown TeX command left in {tex!r}: {mathml}")
    try:
        ET.fromstring(mathml)
    except ET.ParseError as error:
        raise MathMLError(f"{tex!r} gives malformed MathML: {error}") from error
    return mathml


def _render(translator, node: nodes.Element, *, display: bool) -> str:
    try:
        return to_mathml(node.astext(), display=display)
    except MathMLError as error:
        logger.warning("%s", error, location=node, type="dmls", subtype="math")
        return '<math xmlns="http://www.w3.org/1998/Math/MathML"><merror/></math>'


def visit_math(self, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math"))
    self.body.append(_render(self, node, display=False))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_math_block(self, node: nodes.math_block) -> None:
    # A long formula scrolls inside its box on a phone; the box takes focus
    # so a keyboard can scroll it too.
    self.body.append(self.starttag(node, "div", CLASS="math", tabindex="0"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(_render(self, node, display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


class SkipMathInSearch(SphinxPostTransform):
    """Keep TeX source out of the search index and out of search words."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for node in self.document.findall(lambda n: isinstance(n, nodes.math | nodes.math_block)):
            node["classes"].append("no-search")


class KeepFormulaWithItsText(SphinxPostTransform):
    """Keep an inline formula on one line with the text it touches.

    A browser may break a line before and after a formula as around an
    image, even where a comma or a bracket touches it: on a phone ", which
    holds" began a line. The formula and the word or punctuation glued to it
    on either side go into one ``dmls-nobreak`` span, which the stylesheets
    keep on one line.
    """

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for formula in list(self.document.findall(nodes.math)):
            parent = formula.parent
            at = parent.index(formula)
            before = parent[at - 1] if at and isinstance(parent[at - 1], nodes.Text) else None
            after = parent[at + 1] if at + 1 < len(parent) else None
            after = after if isinstance(after, nodes.Text) else None
            head = re.search(r"\S+$", before.astext()) if before else None
            tail = re.match(r"\S+", after.astext()) if after else None
            if not (head or tail):
                continue
            group = nodes.inline("", classes=["dmls-nobreak"])
            replacement = [group]
            if head:
                group += nodes.Text(head.group())
                if head.start():
                    replacement.insert(0, nodes.Text(before.astext()[: head.start()]))
            parent.remove(formula)  # the text after it now stands at *at*
            group += formula
            if tail:
                group += nodes.Text(tail.group())
                if tail.end() < len(after.astext()):
                    replacement.append(nodes.Text(after.astext()[tail.end() :]))
            start, end = (at - 1 if head else at), (at + 1 if tail else at)
            parent[start:end] = replacement


def setup(app: Sphinx) -> dict:
    app.add_html_math_renderer(
        "mathml",
        inline_renderers=(visit_math, None),
        block_renderers=(visit_math_block, None),
    )
    app.add_post_transform(SkipMathInSearch)
    app.add_post_transform(KeepFormulaWithItsText)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
