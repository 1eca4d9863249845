"""What dmls_book keeps together on a printed page: the last item of an API
field's list with the item before, when it is short enough to be one line
(KeepShortLastFieldItem), and a figure with the lead-in that introduces it
(KeepLeadInWithFigure).

tests/outputs/test_pdf.py checks the built PDF; these check the rules on
what the book may not have: a long last item, a list of one, a list that is
not a field's, a figure after a paragraph that does not lead in to it.
"""

from dmls_book import FIELD_ITEM_LINE, KeepLeadInWithFigure, KeepShortLastFieldItem
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document


def field_list(*items: str) -> nodes.document:
    """A document holding a field "Raises" whose list has *items*."""
    document = new_document("test", get_default_settings(Parser))
    bullets = nodes.bullet_list()
    for text in items:
        bullets += nodes.list_item("", nodes.paragraph(text, text))
    body = nodes.field_body("", bullets)
    document += nodes.field_list("", nodes.field("", nodes.field_name("Raises", "Raises"), body))
    KeepShortLastFieldItem(document).run()
    return document


def marked(document: nodes.document) -> list[int]:
    """The items (numbered from 1) after which a page may not break."""
    items = list(document.findall(nodes.list_item))
    return [
        number
        for number, item in enumerate(items, 1)
        if any(r.astext() == "\\dmlskeepnextitem\n" for r in item.findall(nodes.raw))
    ]


def test_a_short_last_item_stays_with_the_one_before():
    short = "ValueError - If its relative accuracy differs."
    assert marked(field_list("TypeError - If other is not a sketch.", "x" * 200, short)) == [2]
    assert marked(field_list("a", "x" * FIELD_ITEM_LINE)) == [1]


def test_a_longer_last_item_may_open_a_page():
    """Its first two lines go together anyway (\\clubpenalty)."""
    assert marked(field_list("a", "x" * (FIELD_ITEM_LINE + 1))) == []


def test_a_list_of_one_or_outside_a_field_is_left_alone():
    assert marked(field_list("ValueError - If it is empty.")) == []
    document = new_document("test", get_default_settings(Parser))
    document += nodes.bullet_list("", *(nodes.list_item("", nodes.paragraph(t, t)) for t in "ab"))
    KeepShortLastFieldItem(document).run()
    assert marked(document) == []


def figure_after(text: str) -> list[str]:
    """The LaTeX marks right after a paragraph of *text* that a figure follows."""
    document = new_document("test", get_default_settings(Parser))
    document += nodes.paragraph(text, text)
    document += nodes.target(ids=["diagram"])  # prints nothing: the figure's label
    document += nodes.figure("", nodes.caption("The loop.", "The loop."))
    KeepLeadInWithFigure(document).run()
    following = document[1]
    return [following.astext()] if isinstance(following, nodes.raw) else []


def test_a_figure_stays_below_its_lead_in():
    marks = figure_after("Each step has detours back, like those the project took:")
    assert marks == ["\\dmlsleadin\n\\dmlsfigurehere\n"]


def test_a_figure_after_other_prose_may_float():
    assert figure_after("The plan is for the peak.") == []
