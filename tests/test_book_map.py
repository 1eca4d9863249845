"""Every heading of the book's chapters maps to a section that still exists.

The map lives in docs/_data/book-map/*.toml, one file per chapter of the
book; the scope-maps page (docs/seed-map.md) renders the same files. Removing
or renaming a section a heading relies on fails here.
"""

import itertools
import re
import tomllib
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
MAP_FILES = sorted((DOCS / "_data" / "book-map").glob("*.toml"))
HEADINGS = [
    (path.stem, heading)
    for path in MAP_FILES
    for heading in tomllib.loads(path.read_text())["heading"]
]


def labels_on(page: str) -> set[str]:
    text = (DOCS / f"{page}.md").read_text()
    return set(re.findall(r"^\(([\w-]+)\)=\s*$", text, re.M))


def test_chapter_2_is_mapped():
    # Chapter 1's map arrives separately; once both exist this should read
    # == ["chapter-1", "chapter-2"].
    assert "chapter-2" in [path.stem for path in MAP_FILES]


@pytest.mark.parametrize("path", MAP_FILES, ids=lambda p: p.stem)
def test_titles_are_unique_within_a_chapter(path):
    titles = [heading["title"] for heading in tomllib.loads(path.read_text())["heading"]]
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize("path", MAP_FILES, ids=lambda p: p.stem)
def test_levels_nest_like_a_table_of_contents(path):
    """Levels are 1 to 3, the first heading is a section, and no heading
    skips a level on the way down (a subsection follows its section)."""
    levels = [heading["level"] for heading in tomllib.loads(path.read_text())["heading"]]
    assert set(levels) <= {1, 2, 3}
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"level {after} follows level {before}"


@pytest.mark.parametrize("path", MAP_FILES, ids=lambda p: p.stem)
def test_every_heading_maps_to_its_own_chapter(path):
    for heading in tomllib.loads(path.read_text())["heading"]:
        assert heading["page"].startswith(f"{path.stem}/"), heading["title"]


def test_every_field_is_present_and_nothing_else():
    for _, heading in HEADINGS:
        assert set(heading) == {"title", "level", "page", "label"}, heading


@pytest.mark.parametrize(
    ("chapter", "heading"), HEADINGS, ids=[f"{c}: {h['title']}" for c, h in HEADINGS]
)
def test_heading_has_a_section(chapter, heading):
    page = heading["page"]
    assert (DOCS / f"{page}.md").is_file(), f"no page {page}"
    assert heading["label"] in labels_on(page), (
        f"{chapter}, {heading['title']!r}: no section ({heading['label']})= on {page}"
    )


def test_chapter_2_lists_the_books_contents():
    """The chapter's sections and subsections as the book's table of
    contents prints them, in order, with the sub-subsections of its text."""
    path = DOCS / "_data" / "book-map" / "chapter-2.toml"
    titles = [(h["level"], h["title"]) for h in tomllib.loads(path.read_text())["heading"]]
    assert [title for level, title in titles if level == 1] == [
        "Business and ML Objectives",
        "Requirements for ML Systems",
        "Iterative Process",
        "Framing ML Problems",
        "Mind Versus Data",
        "Summary",
    ]
    assert [title for level, title in titles if level == 2] == [
        "Reliability",
        "Scalability",
        "Maintainability",
        "Adaptability",
        "Types of ML Tasks",
        "Objective Functions",
    ]
    assert len([title for level, title in titles if level == 3]) == 5
