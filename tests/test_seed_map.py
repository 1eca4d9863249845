"""Every point of the seed notes maps to a section that still exists.

The map lives in docs/_data/seed-map/*.toml; the seed-map page renders the
same files. Removing or renaming a section a seed point relies on fails here.
"""

import re
import tomllib
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
MAP_FILES = sorted((DOCS / "_data" / "seed-map").glob("*.toml"))
ITEMS = [item for path in MAP_FILES for item in tomllib.loads(path.read_text())["item"]]


def labels_on(page: str) -> set[str]:
    text = (DOCS / f"{page}.md").read_text()
    return set(re.findall(r"^\(([\w-]+)\)=\s*$", text, re.M))


def test_both_chapters_are_mapped():
    assert [path.stem for path in MAP_FILES] == ["chapter-1", "chapter-2"]


def test_ids_are_unique():
    ids = [item["id"] for item in ITEMS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("item", ITEMS, ids=[item["id"] for item in ITEMS])
def test_seed_point_has_a_section(item):
    assert item["page"], f"seed point {item['id']} is not mapped to a page"
    assert (DOCS / f"{item['page']}.md").is_file(), f"no page {item['page']}"
    assert item["label"] in labels_on(item["page"]), (
        f"seed point {item['id']}: no section ({item['label']})= on {item['page']}"
    )


# The seed notes' points, in their order: chapter 1's twelve numbered items
# and its two headings with no text (Fairness, Interpretability); chapter
# 2's items 1 to 9 and the empty "10 .". A point dropped from the map, or
# one the notes do not have, fails here.
SEED_POINTS = [
    *(f"1.{n}" for n in range(1, 13)),
    "1.F",
    "1.I",
    *(f"2.{n}" for n in range(1, 11)),
]


def test_every_seed_point_is_mapped_once_in_order():
    assert [item["id"] for item in ITEMS] == SEED_POINTS
