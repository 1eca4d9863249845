"""Page source that Markdown would silently turn into raw HTML.

In CommonMark a line that starts with ``<`` and one of a fixed list of HTML
tag names opens an HTML block: everything up to the next blank line is
passed through as HTML, so roles on those lines (``{term}``, ``{cite:p}``)
are printed as raw text instead of links. It happens when a role's explicit
target wraps onto a new line, as in ``{term}`base rates`` followed by a line
``<base rate>`, ...``: ``base`` is such a tag name. Sphinx gives no warning.
"""

import re

import pytest
from myst_pages import DOCS, PAGES, page_id

#: CommonMark 0.31 HTML block start conditions 1 and 6: tag names that open a
#: block when a line starts with them.
BLOCK_TAGS = (
    "pre script style textarea address article aside base basefont blockquote "
    "body caption center col colgroup dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header "
    "hr html iframe legend li link main menu menuitem nav noframes ol optgroup "
    "option p param search section summary table tbody td tfoot th thead title "
    "tr track ul"
)
OPENS_HTML_BLOCK = re.compile(rf"^</?(?:{BLOCK_TAGS.replace(' ', '|')})(?:[\s>]|/>|$)", re.I)


def accidental_html_lines(markdown: str) -> list[str]:
    """Lines outside code fences that would open an HTML block."""
    prose = re.sub(r"^(`{3,}).*?^\1\s*$", "", markdown, flags=re.S | re.M)
    return [line for line in prose.splitlines() if OPENS_HTML_BLOCK.match(line)]


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_line_opens_an_html_block(page):
    assert accidental_html_lines(page.read_text()) == []


def test_the_wrapped_role_target_is_caught():
    wrapped = "their {term}`base rates\n<base rate>`, the common criteria\n"
    assert accidental_html_lines(wrapped) == ["<base rate>`, the common criteria"]
    assert accidental_html_lines("the {doc}`next page\n<iterative-process>`.\n") == []
    assert accidental_html_lines("```{doctest}\n<p>\n```\n") == []


#: Characters of code a reader sees whole: the PDF's code box holds about 82
#: (A4, 10 pt; longer lines wrap, at a space or punctuation if they can), and
#: furo's on a 1,400 px screen 86 before it scrolls. Every example on every
#: page, and every example in a docstring (the API pages), keeps to it.
CODE_COLUMNS = 79
SRC = DOCS.parent / "src" / "dmls_examples"
#: Fences whose lines a reader sees (not testsetup, which only runs).
SHOWN_FENCES = r"doctest|python|pycon|code-block|code|console|bash|text|testcode|testoutput"


def overlong_example_lines(markdown: str) -> list[str]:
    """Lines of shown code fences wider than :data:`CODE_COLUMNS`."""
    fences = re.findall(
        rf"^(`{{3,}})\{{?(?:{SHOWN_FENCES})\}}?[^\n]*\n(.*?)^\1", markdown, flags=re.S | re.M
    )
    return [line for _, fence in fences for line in fence.splitlines() if len(line) > CODE_COLUMNS]


def overlong_docstring_examples(source: str) -> list[str]:
    """Example lines (``>>>`` and ``...``) of a module's docstrings, too wide
    once their indentation is gone, as the API pages show them."""
    return [
        line.strip()
        for line in source.splitlines()
        if line.strip().startswith((">>>", "...")) and len(line.strip()) > CODE_COLUMNS
    ]


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_examples_fit_the_code_box(page):
    assert overlong_example_lines(page.read_text()) == []


@pytest.mark.parametrize("module", sorted(SRC.glob("*.py")), ids=lambda p: p.name)
def test_docstring_examples_fit_the_code_box(module):
    assert overlong_docstring_examples(module.read_text()) == []


def test_an_overlong_example_line_is_caught():
    line = ">>> round(selection_rate_gap(approved, lenders), 3), " + "round(ratio(a, b), 3)" * 2
    assert overlong_example_lines(f"```{{doctest}}\n{line}\n(0.12, 0.6)\n```\n") == [line]
    assert overlong_example_lines(f"```{{testsetup}}\n{line}\n```\n") == []
    assert overlong_docstring_examples(f"    Examples:\n        {line}\n") == [line]
