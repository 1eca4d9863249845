"""The errata page lists each correction once, in a form a reader can scan.

Every entry has a label, appears in the summary table at the top, says what
the pages say now, and names the source that settles it.
"""

import re
from pathlib import Path

ERRATA = (Path(__file__).resolve().parent.parent / "docs" / "errata.md").read_text()
ENTRY = re.compile(r"^\(([\w-]+)\)=\n#### (.+?)\n(.*?)(?=^\(|^##|\Z)", re.M | re.S)


def entries() -> list[tuple[str, str, str]]:
    return ENTRY.findall(ERRATA)


def test_there_are_entries():
    assert len(entries()) >= 20


def test_the_table_lists_every_entry_once():
    table = ERRATA.split("\n## ", 1)[0]
    linked = re.findall(r"\{ref\}`[^`<]+<([\w-]+)>`", table)
    assert sorted(linked) == sorted(label for label, _, _ in entries())


def test_each_entry_says_what_is_right_and_why():
    for label, _title, body in entries():
        terms = re.findall(r"^(\S.*)\n: ", body, re.M)
        assert len(terms) == 3, f"{label}: {terms}"
        assert terms[1] == "Now", f"{label}: {terms}"
        assert terms[2] == "Source", f"{label}: {terms}"


def test_lists_inside_an_entry_are_one_level_deep():
    # A definition's list sits two spaces in; an item indented further is a
    # list inside an item, which in an entry only ever comes from a slip of
    # indentation (it once nested one item of a list of a dozen).
    for label, _title, body in entries():
        nested = re.findall(r"^ {3,}[-*] .*", body, re.M)
        assert nested == [], f"{label}: {nested}"
