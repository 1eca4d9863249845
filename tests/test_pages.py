"""Every chapter page meets the site's standards, checked rather than promised.

A page is 400 to 1,500 words of prose, not counting its exercises, runs the
examples it sets up, cites its sources, links the glossary, closes with a
key-ideas box, and is listed in its chapter's table of contents. Every
citation key exists in the bibliography and every glossary term a page
links is defined.
"""

import re
from pathlib import Path

import myst_pages
import pytest
from page_length import prose_words, without_exercises

DOCS = Path(__file__).resolve().parent.parent / "docs"
CHAPTER_INDEXES = sorted(DOCS.glob("chapter-*/index.md"))
PAGES = myst_pages.CHAPTER_PAGES
#: Every page of the site.
ALL_PAGES = myst_pages.PAGES


def test_exercises_do_not_count_as_prose():
    exercise = (
        "::::{exercise} Six seven\n:level: compute\n\nEight nine.\n\n"
        ":::{solution}\nTen:\n\n```{doctest}\n>>> 11\n11\n```\n:::\n::::\n"
    )
    box = ":::{admonition} Key ideas\n:class: key-ideas\n\n- Three four five.\n:::\n"
    page = f"# One\n\nTwo.\n\n{box}\n## Exercises\n\n{exercise}\n{exercise}"
    assert prose_words(page) == 12
    assert prose_words(without_exercises(page)) == 6  # One to five, and "Exercises"


def test_a_linked_term_counts_as_its_words():
    assert prose_words("A {term}`base rate` and a {term}`rate <base rate>`.") == 6
    assert prose_words("As measured {cite:p}`huyen2022`.") == 3


def test_each_chapter_has_pages():
    assert len(CHAPTER_INDEXES) == 2
    assert len(PAGES) >= 12


@pytest.mark.parametrize("page", PAGES, ids=myst_pages.page_id)
def test_page_standards(page):
    text = page.read_text()
    words = prose_words(without_exercises(text))
    assert 400 <= words <= 1500, f"{words} words"
    assert ":class: key-ideas" in text, "no closing key-ideas box"
    assert "{cite:" in text, "cites nothing"
    assert "{term}" in text, "links no glossary term"


@pytest.mark.parametrize("page", PAGES, ids=myst_pages.page_id)
def test_a_page_that_imports_the_package_runs_it(page):
    text = page.read_text()
    if "from dmls_examples" in text:
        assert re.search(r"^```\{doctest\}", text, re.M), "imports code but runs no example"


@pytest.mark.parametrize("page", PAGES, ids=myst_pages.page_id)
def test_page_is_in_its_chapter_toctree(page):
    index = (page.parent / "index.md").read_text()
    toctree = re.search(r"```\{toctree\}(.*?)```", index, re.S).group(1)
    assert page.stem in toctree.split()


def test_every_cited_key_is_in_the_bibliography():
    bib = (DOCS / "references.bib").read_text()
    known = set(re.findall(r"^@\w+\{([^,]+),", bib, re.M))
    cited = set().union(*(cited_keys(page.read_text()) for page in ALL_PAGES))
    assert cited
    assert cited - known == set()


def cited_keys(text: str) -> set[str]:
    """The keys *text* cites, in MyST ({cite:p}`a,b`) or reST (:cite:t:`a`)."""
    groups = re.findall(r"(?:\{cite:[a-z]+\}|:cite:[a-z]+:)`([^`]+)`", text)
    return {key.strip() for keys in groups for key in keys.split(",")}


def test_cited_keys_reads_both_syntaxes():
    text = "As {cite:p}`a2020, b2021` and :cite:t:`c2019` say; {cite:p}`d`."
    assert cited_keys(text) == {"a2020", "b2021", "c2019", "d"}


def test_every_bibliography_entry_is_cited():
    """The references page lists the whole file (:all:) and says every entry
    is cited: by a page, a docstring (the API pages) or a computed number."""
    bib = (DOCS / "references.bib").read_text()
    entries = set(re.findall(r"^@\w+\{([^,]+),", bib, re.M))
    sources = [*ALL_PAGES, *sorted((DOCS.parent / "src").rglob("*.py"))]
    sources.append(DOCS / "_ext" / "dmls_numbers.py")
    cited = set().union(*(cited_keys(path.read_text()) for path in sources))
    assert entries - cited == set()


def test_every_linked_term_is_defined():
    glossary = (DOCS / "glossary.md").read_text()
    block = re.search(r"```\{glossary\}(.*?)^```", glossary, re.S | re.M).group(1)
    defined = {line.strip().lower() for line in block.splitlines() if line and line[0] != " "}
    defined.discard(":sorted:")
    assert len(defined) >= 30
    linked = set()
    for page in ALL_PAGES:
        for term in re.findall(r"\{term\}`([^`]+)`", page.read_text()):
            target = re.search(r"<([^>]+)>", term)
            name = target.group(1) if target else term
            linked.add(" ".join(name.split()).lower())
    assert linked - defined == set()


@pytest.mark.parametrize("page", PAGES, ids=myst_pages.page_id)
def test_going_further_closes_the_page(page):
    """What goes beyond the book sits in one closing "Going further" section.

    After it come only the key-ideas box and the exercises, so a reader can
    tell the book's ideas from the site's extensions.
    """
    sections = re.findall(r"^## (.+)$", without_exercises(page.read_text()), re.M)
    further = [i for i, title in enumerate(sections) if title.startswith("Going further")]
    if further:
        assert len(further) == 1, "more than one Going further section"
        assert sections[further[0] + 1 :] in ([], ["Exercises"]), sections[further[0] :]
