"""The chapters index each glossary term where they teach it.

A term's first link in the chapter pages' prose (not an exercise or a box),
in reading order, is where it is taught; an {index} entry stands before that
paragraph, so that the PDF's index (and the site's) lead there as well as to
the glossary. The PDF side is checked in tests/outputs/test_pdf.py.
"""

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
TERM = re.compile(r"\{term\}`([^`<]*?)(?:\s*<([^>]+)>)?`", re.S)
INDEX = re.compile(r"^```\{index\} (.+)$", re.M)


def reading_order() -> list[Path]:
    """The chapter pages in the order the toctrees give them."""
    pages = []
    for chapter in ("chapter-1", "chapter-2"):
        index = (DOCS / chapter / "index.md").read_text()
        toctree = re.search(r"^```\{toctree\}\n(.*?)^```", index, re.S | re.M).group(1)
        names = [line for line in toctree.splitlines() if line and not line.startswith(":")]
        pages += [DOCS / chapter / "index.md", *(DOCS / chapter / f"{n}.md" for n in names)]
    return pages


def glossary_terms() -> dict[str, str]:
    block = (DOCS / "glossary.md").read_text().split("```{glossary}")[1]
    return {t.lower(): t for t in re.findall(r"^(\S[^\n]*)\n  ", block, re.M)}


#: A fenced block: its fence, the rest of its first line, and its body.
FENCE = re.compile(r"^(`{3,}|:{3,})([^\n]*)\n(.*?)^\1\s*$", flags=re.S | re.M)


def without_fences(text: str) -> str:
    """The prose: no code, and no boxes (exercises, key ideas), which use a
    term after the page has taught it. A table in a fence (for its class:
    the chapter 1 overview's is cards on a phone) is prose and stays."""
    return FENCE.sub(lambda block: block[3] if block[2].startswith("{table}") else "", text)


def test_every_linked_term_is_indexed_where_first_linked():
    terms = glossary_terms()
    first_page, indexed = {}, {}
    for page in reading_order():
        text = page.read_text()
        for match in TERM.finditer(without_fences(text)):
            name = " ".join((match.group(2) or match.group(1)).split()).lower()
            if name in terms:
                first_page.setdefault(terms[name], page)
        for entry in INDEX.findall(text):
            indexed.setdefault(entry, page)
    assert len(first_page) >= 50
    missing = [f"{t} ({p.relative_to(DOCS)})" for t, p in first_page.items() if indexed.get(t) != p]
    assert missing == []
    assert [entry for entry in indexed if entry not in terms.values()] == []
