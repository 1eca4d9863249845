"""What dmls_book keeps together on a printed page: the last item of an API
field's list with the item before, when it is short enough to be one line
(KeepShortLastFieldItem), a figure with the lead-in that introduces it
(KeepLeadInWithFigure), and a heading with two lines of what it heads
(KeepHeadingWithTwoLines, and KeepLeadInWithCode for a lead-in to code).

tests/outputs/test_pdf.py checks the built PDF; these check the rules on
what the book may not have: a long last item, a list of one, a list that is
not a field's, a figure after a paragraph that does not lead in to it.
"""

from dmls_book import (
    FIELD_ITEM_LINE,
    HEADING_LINES,
    ONE_LINE_MOST,
    KeepHeadingWithTwoLines,
    KeepLeadInWithCode,
    KeepLeadInWithFigure,
    KeepShortLastFieldItem,
    lines_ahead,
)
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


def solution_nodes(*body: nodes.Element) -> list[nodes.Element]:
    """A gathered solution: its title, its link back and *body*."""
    title, back = "Solution 1.6", "back to Exercise 1.6"
    return [nodes.rubric(title, title), nodes.paragraph(back, back), *body]


def kept(document: nodes.document) -> nodes.document:
    """*document* kept as KeepHeadingWithTwoLines and KeepLeadInWithCode keep it."""
    KeepHeadingWithTwoLines(document).run()
    KeepLeadInWithCode(document).run()
    return document


def solution(*body: nodes.Element) -> nodes.document:
    """A document of one gathered solution with *body*, kept."""
    document = new_document("test", get_default_settings(Parser))
    document.extend(solution_nodes(*body))
    return kept(document)


def lead_in_and_code(lead_in: str, code: list[str]) -> list[nodes.Element]:
    return [
        nodes.paragraph(lead_in, lead_in),
        nodes.literal_block("\n".join(code), "\n".join(code)),
    ]


#: What a solution whose lead-in introduces code holds once kept, after the
#: room asked for before it.
KEPT_SOLUTION = [
    "rubric",
    "paragraph",
    "\\dmlskeepwithnext\n",
    "paragraph",
    "\\dmlsleadin\n",
    "literal_block",
]


def marks(element: nodes.Element) -> list[str]:
    """The element's children: a LaTeX mark's text, or another node's kind."""
    return [n.astext() if isinstance(n, nodes.raw) else n.tagname for n in element.children]


def test_a_headings_one_line_stays_with_the_text_below():
    text = "A good answer weighs all three routes." * 3
    document = solution(nodes.paragraph(text, text), nodes.paragraph(text, text))
    assert marks(document) == [
        "rubric",
        "paragraph",
        "\\dmlskeepwithnext\n",
        "paragraph",
        "paragraph",
    ]
    items = nodes.enumerated_list("", nodes.list_item("", nodes.paragraph(text, text)))
    assert marks(solution(items))[2] == "\\dmlskeepwithnext\n"


def test_a_lead_in_below_a_headings_one_line_asks_room_for_all():
    """The room for the code is asked for before the heading: asked for
    before the lead-in, it broke the page after the link back."""
    lead_in, code = "Block above each threshold and price them:", [">>> f()", "1"]
    document = solution(*lead_in_and_code(lead_in, code))
    lines = lines_ahead(lead_in, code, heading=False) + HEADING_LINES + 1
    assert marks(document) == [f"\\dmlsneedlines{{{lines}}}\n", *KEPT_SOLUTION]


def test_a_first_solution_under_a_heading_asks_room_before_the_heading():
    """Right below a page's heading in the gathered solutions, a mark before
    the solution's title came after a heading, where TeX does not break and
    the mark asks for nothing: "different fleet medians:" ended a page, its
    code on the next. The room is asked for before the page's heading."""
    lead_in, code = "Two pairs of servers with different fleet medians:", [">>> f()", "1"]
    heading = "Percentiles at scale"
    page = nodes.section("", nodes.title(heading, heading))
    page.extend(solution_nodes(*lead_in_and_code(lead_in, code)))
    document = new_document("test", get_default_settings(Parser))
    document += nodes.paragraph("Before.", "Before.")
    document += page
    kept(document)
    lines = lines_ahead(lead_in, code, heading=False) + 2 * HEADING_LINES + 1
    assert marks(document) == ["paragraph", f"\\dmlsneedlines{{{lines}}}\n", "section"]
    assert marks(page) == ["title", *KEPT_SOLUTION]


def test_a_long_first_paragraph_keeps_its_own_lines():
    """Two lines or more: LaTeX keeps the first two with the heading."""
    long = "x" * (ONE_LINE_MOST + 1)
    document = new_document("test", get_default_settings(Parser))
    document += nodes.rubric("Now", "Now")
    document += nodes.paragraph(long, long)
    document += nodes.paragraph("More.", "More.")
    KeepHeadingWithTwoLines(document).run()
    assert marks(document) == ["rubric", "paragraph", "paragraph"]
