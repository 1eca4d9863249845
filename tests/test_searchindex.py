"""The search index survives incremental builds (docs/_ext/dmls_searchindex.py).

Sphinx issue 12599: a rebuild that rewrites only some pages loses the index
entries of the others. test_reproducible.py checks a no-op rebuild of the
whole site; these check the merge itself, and a one-page edit on a tiny site.
"""

import subprocess
import sys
from pathlib import Path

import dmls_searchindex
import pytest

FROZEN = {
    "docnames": ["a", "b", "c"],
    "indexentries": {
        "alpha": [[0, "term-alpha", True], [2, "id1", False]],
        "beta": [[1, "term-beta", False], [1, "id2", False]],
    },
    "terms": {"x": 0},
}


def test_entries_round_trip_page_by_page():
    pages = dmls_searchindex.entries_by_page(FROZEN)
    assert pages == {
        "a": [("alpha", "term-alpha", True)],
        "b": [("beta", "term-beta", False), ("beta", "id2", False)],
        "c": [("alpha", "id1", False)],
    }
    assert dmls_searchindex.with_entries(FROZEN, pages) == FROZEN


def test_entries_follow_the_page_order_whatever_the_merge_order():
    pages = dmls_searchindex.entries_by_page(FROZEN)
    shuffled = {name: pages[name] for name in ("c", "b", "a")}
    assert dmls_searchindex.with_entries(FROZEN, shuffled) == FROZEN


def test_a_page_that_is_gone_takes_its_entries_with_it():
    without_b = {**FROZEN, "docnames": ["a", "c"]}
    pages = dmls_searchindex.entries_by_page(FROZEN)
    del pages["b"]
    rebuilt = dmls_searchindex.with_entries(without_b, pages)
    assert rebuilt["indexentries"] == {"alpha": [[0, "term-alpha", True], [1, "id1", False]]}


CONF = f"""\
import sys
sys.path.insert(0, {str(Path(dmls_searchindex.__file__).parent)!r})
extensions = ["dmls_searchindex"]
"""

PAGES = {
    "index": "Home\n====\n\n.. toctree::\n\n   one\n   two\n\n.. index:: home entry\n",
    "one": "One\n===\n\n.. index:: first entry, shared\n\n.. glossary::\n\n   term one\n      A.\n",
    "two": "Two\n===\n\n.. index:: second entry, shared\n\nText.\n",
}


def build(project: Path, outdir: str) -> str:
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", ".", outdir],
        cwd=project,
        check=True,
    )
    return (project / outdir / "searchindex.js").read_text()


@pytest.mark.slow
def test_incremental_builds_write_the_clean_builds_index(tmp_path):
    (tmp_path / "conf.py").write_text(CONF)
    for name, text in PAGES.items():
        (tmp_path / f"{name}.rst").write_text(text)
    clean = build(tmp_path, "clean")
    assert '"second entry"' in clean
    assert '"term one"' in clean

    assert build(tmp_path, "clean") == clean, "a no-op rebuild lost index entries"

    (tmp_path / "two.rst").write_text(PAGES["two"].replace("Text.", "Other text."))
    edited = build(tmp_path, "clean")
    assert edited == build(tmp_path, "fresh"), "a one-page rebuild differs from a clean build"
    assert '"first entry"' in edited
