"""The sidebar's navigation tree, from tables of contents cut to page titles.

Furo draws its sidebar from Sphinx's ``toctree(titles_only=True)`` on every
page it writes. Sphinx builds that tree by copying each listed page's whole
table of contents (every section and, on the API pages, every function)
and then deleting all of it but the page's title and the toctrees below
it. For this site's 64 pages that is 43 tables of contents a page: an
eighth of a clean build, and 35 ms of every page an incremental build
writes.

Here a titles-only request gets Sphinx's own answer from tables of contents
that already hold only what it keeps: each entry's title and the toctrees
anywhere beneath it, in order. Sphinx still resolves the tree, marks the
current page and writes the links; it copies less. A table of contents
that Sphinx would cut differently (a page with ``:tocdepth:``, which can
hide a toctree inside a deep section, or an ``only`` block, which depends on
the build's tags) is left whole. tests/test_navtree.py builds a project
with and without this extension and requires the same HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def titles_only(toc: nodes.bullet_list) -> nodes.bullet_list:
    """*toc* cut to what a titles-only toctree keeps of it: each top-level
    entry's title, and the toctrees at any depth below it, in order."""
    cut = toc.copy()
    for entry in toc.children:
        if not isinstance(entry, nodes.list_item) or len(entry) != 2:
            cut += entry.deepcopy()  # a bare toctree, or no sections below
            continue
        title, sections = entry.children
        kept, below = entry.copy(), sections.copy()
        # The toctrees, or nothing: Sphinx then drops the empty list, as it
        # drops the sections the list stands for.
        below += [node.deepcopy() for node in sections.findall(addnodes.toctree)]
        kept += [title.deepcopy(), below]
        cut += kept
    return cut


def _cut_differently(env: BuildEnvironment, docname: str, toc: nodes.Node) -> bool:
    return "tocdepth" in env.metadata.get(docname, {}) or any(toc.findall(addnodes.only))


def titles_only_tocs(env: BuildEnvironment) -> dict[str, nodes.bullet_list]:
    """Every page's table of contents, cut to titles where that is safe."""
    return {
        docname: toc if _cut_differently(env, docname, toc) else titles_only(toc)
        for docname, toc in env.tocs.items()
    }


def setup(app: Sphinx) -> dict:
    # Cut once a build, when the first page is written: only then are the
    # tables of contents final, section numbers included (Sphinx numbers
    # sections after reading).
    cut: dict[str, nodes.bullet_list] | None = None

    def on_env_updated(app: Sphinx, env: BuildEnvironment) -> None:
        nonlocal cut
        cut = None

    @contextmanager
    def cut_tocs(env: BuildEnvironment) -> Iterator[None]:
        nonlocal cut
        if cut is None:
            cut = titles_only_tocs(env)
        whole = env.tocs
        env.tocs = cut
        try:
            yield
        finally:
            env.tocs = whole

    def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
        toctree: Callable[..., str] | None = context.get("toctree")
        if toctree is None:
            return

        def toctree_of_titles(**kwargs) -> str:
            if not kwargs.get("titles_only"):
                return toctree(**kwargs)
            with cut_tocs(app.env):
                return toctree(**kwargs)

        context["toctree"] = toctree_of_titles

    app.connect("env-updated", on_env_updated)
    # Before furo (500), which asks for the tree in its own handler.
    app.connect("html-page-context", on_html_page_context, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
