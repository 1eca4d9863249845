"""Keep the search index whole across incremental builds (Sphinx issue 12599).

Before it writes, Sphinx's HTML builder reloads its previous searchindex.js
and restores from it everything but the index entries (the glossary's terms,
the API's functions). A build that rewrites only some pages therefore ends
with the index entries of those pages alone: after a no-op rebuild the
search no longer finds a glossary term or a function by name.

This extension reads the previous index's entries before the builder
writes, notes the pages it writes, and after the build puts back the entries
of the pages it did not write, in the order a clean build gives them. A
clean build is left as it is; an incremental one ends with the same
searchindex.js as a clean build (tests/test_searchindex.py checks both).
Delete this module when Sphinx loads its index entries itself.
"""

from __future__ import annotations

import weakref
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search import js_index

#: Per build: the previous index's entries by page, and the pages written.
_STATE: weakref.WeakKeyDictionary[Sphinx, tuple[dict, set[str]]] = weakref.WeakKeyDictionary()


def _index_path(app: Sphinx) -> Path | None:
    """The builder's search index file, or None if it writes none."""
    if not getattr(app.builder, "search", False) or app.builder.format != "html":
        return None
    filename = getattr(app.builder, "searchindex_filename", None)
    return Path(app.outdir) / filename if filename else None


def _load(path: Path) -> dict | None:
    try:
        return js_index.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def entries_by_page(index: dict) -> dict[str, list[tuple[str, str, bool]]]:
    """The index entries of a frozen search index, page by page.

    Each page keeps its entries in the order the index lists them, which is
    the order in which Sphinx fed them.
    """
    docnames = index["docnames"]
    pages: dict[str, list[tuple[str, str, bool]]] = {}
    for key, places in index.get("indexentries", {}).items():
        for docindex, target, main in places:
            pages.setdefault(docnames[docindex], []).append((key, target, main))
    return pages


def with_entries(index: dict, pages: dict[str, list[tuple[str, str, bool]]]) -> dict:
    """*index* with its index entries rebuilt from *pages*.

    A clean build feeds pages in sorted order, so each entry lists its
    places by page number, and within a page in the page's own order.
    """
    position = {docname: number for number, docname in enumerate(index["docnames"])}
    entries: dict[str, list[list]] = {}
    for docname in sorted(pages, key=position.__getitem__):
        for key, target, main in pages[docname]:
            entries.setdefault(key, []).append([position[docname], target, main])
    return {**index, "indexentries": entries}


def _on_builder_inited(app: Sphinx) -> None:
    path = _index_path(app)
    if path is None:
        return
    previous = _load(path)
    _STATE[app] = (entries_by_page(previous) if previous else {}, set())


def _on_doctree_resolved(app: Sphinx, doctree, docname: str) -> None:
    # Sphinx resolves each page it writes in the main process, also when
    # parallel workers do the writing.
    if app in _STATE:
        _STATE[app][1].add(docname)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    state = _STATE.pop(app, None)
    path = _index_path(app)
    if exception is not None or state is None or path is None:
        return
    index = _load(path)
    if index is None:
        return
    previous, written = state
    pages = entries_by_page(index)
    for docname, entries in previous.items():
        if docname not in written and docname in index["docnames"]:
            pages.setdefault(docname, entries)
    whole = js_index.dumps(with_entries(index, pages))
    if whole != path.read_text(encoding="utf-8"):
        path.write_text(whole, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _on_builder_inited)
    app.connect("doctree-resolved", _on_doctree_resolved)
    app.connect("build-finished", _on_build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
