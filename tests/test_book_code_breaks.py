"""Where the PDF may break a code block across pages (dmls_book.page_starts),
and how much room its lead-in asks for (dmls_book.lines_ahead), if any.

tests/outputs/test_pdf.py checks the built PDF obeys; these check the rule
on blocks the book does not have yet: a long doctest, a long block without
prompts, and a stretch between two breaks longer than a page.
"""

from dmls_book import (
    CHARACTERS_A_LINE,
    CODE_BOX_LINES,
    HEADING_LINES,
    KEPT_WHOLE,
    LEAD_IN_MOST,
    LEAD_IN_WHOLE,
    LINES_AT_A_BREAK,
    UNBROKEN_MOST,
    KeepLeadInWithCode,
    lines_ahead,
    page_starts,
)
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document


def doctest(*examples: int) -> list[str]:
    """A doctest of examples, each a ">>>" line and that many lines of output."""
    return [line for size in examples for line in [">>> f()", *["out"] * size]]


def test_a_short_block_stays_whole():
    assert page_starts(doctest(1, 1, 1)) == []
    assert page_starts(doctest(KEPT_WHOLE - 1)) == []
    assert page_starts(["x = 1"] * KEPT_WHOLE) == []


def test_a_long_doctest_breaks_only_between_examples():
    lines = doctest(9, 9, 9)
    assert len(lines) > KEPT_WHOLE
    assert page_starts(lines) == [11, 21]


def test_input_and_output_stay_together():
    """No break before a continuation line, an output line, or between a
    statement without output and the next: a page starts after an output."""
    lines = [">>> for x in y:", "...     f(x)", *["out"] * 6, ">>> z = 1", ">>> z", "1"] * 2
    assert page_starts(lines) == [9, 12, 20]


def test_a_heading_stays_with_the_table_it_heads():
    """A print with one line of output heads what follows (the timeouts table
    once had its header row at the foot of a page and its rows on the next)."""
    lines = [
        *doctest(3, 3),
        '>>> print("timeout  batch")',
        "timeout  batch",
        ">>> rows = table()",
        ">>> for row in rows:",
        "...     print(row)",
        *["0 ms  12.5"] * 5,
    ]
    assert page_starts(lines) == [5, 9]
    assert lines[8].startswith(">>> print(")


def test_a_break_leaves_lines_on_either_side():
    # Prompts after output on the third line and on the last but one.
    lines = [">>> a", "1", ">>> b", *["out"] * KEPT_WHOLE, ">>> c", "out"]
    assert page_starts(lines) == []
    # A prompt just far enough from each end.
    lines = [">>> a", *["out"] * (LINES_AT_A_BREAK - 1), ">>> d", *["out"] * KEPT_WHOLE]
    assert page_starts(lines) == [LINES_AT_A_BREAK + 1]
    lines = [">>> a", *["out"] * KEPT_WHOLE, ">>> e", *["out"] * (LINES_AT_A_BREAK - 1)]
    assert page_starts(lines) == [KEPT_WHOLE + 2]


def test_long_code_without_prompts_breaks_anywhere_but_at_its_ends():
    lines = ["x = 1"] * (KEPT_WHOLE + 5)
    starts = page_starts(lines)
    assert starts == list(range(LINES_AT_A_BREAK + 1, len(lines) - LINES_AT_A_BREAK + 2))


def test_an_example_longer_than_a_page_may_break_inside():
    """Kept whole, it could move to no page: LaTeX would eject page after page."""
    lines = doctest(2, UNBROKEN_MOST + 10, 2)
    starts = page_starts(lines)
    assert {4, len(lines) - 2} <= set(starts)
    inside = [number for number in starts if 4 < number < len(lines) - 2]
    assert inside, "the long example cannot break"
    for top, bottom in zip([1, *starts], [*starts, len(lines) + 1], strict=True):
        assert bottom - top <= UNBROKEN_MOST


def test_a_lead_in_asks_for_room_for_itself_and_a_short_block():
    """A block kept whole must fit below its lead-in, all of it."""
    lead_in = "x" * CHARACTERS_A_LINE  # one line
    block = doctest(3, 3)
    assert lines_ahead(lead_in, block, heading=False) == 1 + len(block) + CODE_BOX_LINES
    two_lines = lead_in + "x"
    assert lines_ahead(two_lines, block, heading=False) == 2 + len(block) + CODE_BOX_LINES
    with_heading = lines_ahead(lead_in, block, heading=True)
    assert with_heading == HEADING_LINES + 1 + len(block) + CODE_BOX_LINES


def test_a_lead_in_asks_only_for_a_long_blocks_first_part():
    """A long block may break: the lead-in needs its lines up to the first break."""
    block = doctest(9, 9, 9)
    first = page_starts(block)[0] - 1
    assert first < len(block)
    assert lines_ahead("Three examples:", block, heading=False) == 1 + first + CODE_BOX_LINES


def test_a_lead_in_never_asks_for_a_page():
    """Asking for more than a page would leave a page empty."""
    block = doctest(UNBROKEN_MOST - 2)
    assert page_starts(block) == []
    assert lines_ahead("A long one:", block, heading=True) == LEAD_IN_MOST


def test_a_long_lead_in_may_break_before_code_kept_whole():
    """It asks for no room: TeX breaks inside it, its end with the code."""

    def marks(lead_in: str, code: list[str]) -> list[str]:
        document = new_document("test", get_default_settings(Parser))
        document += nodes.paragraph(lead_in, lead_in)
        document += nodes.literal_block("\n".join(code), "\n".join(code))
        KeepLeadInWithCode(document).run()
        return [node.astext() for node in document.findall(nodes.raw)]

    long = "word " * (LEAD_IN_WHOLE * CHARACTERS_A_LINE // 5) + "and so:"
    assert marks(long, doctest(3, 3)) == ["\\dmlslongleadin\n"]
    short = "Ten requests, one of them very slow:"
    needed = lines_ahead(short, doctest(3, 3), heading=False)
    assert marks(short, doctest(3, 3)) == [f"\\dmlsneedlines{{{needed}}}\n", "\\dmlsleadin\n"]
    # Code that may break keeps the room asked for its first part.
    assert marks(long, doctest(9, 9, 9))[-1] == "\\dmlsleadin\n"
