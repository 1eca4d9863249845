"""dmls_navtree: furo's sidebar from tables of contents cut to titles.

The extension may change how much Sphinx copies, never what it writes: a
project built with and without it gives the same HTML, page for page. The
project has what could make the two differ: numbered sections, a toctree
inside a section, a hidden toctree, API entries in a table of contents, a
page with :tocdepth: whose toctree sits deeper than that, toctrees inside
``only`` blocks, and a template that asks for the whole tree or a collapsed
one.
"""

from pathlib import Path

import pytest
from dmls_navtree import titles_only
from docutils import nodes
from sphinx import addnodes
from sphinx_builds import build_in_process

EXTENSIONS = Path(__file__).resolve().parent.parent / "docs" / "_ext"

CONF = f"""
import sys
sys.path.insert(0, {str(EXTENSIONS)!r})
project = "Nav"
html_theme = "furo"
extensions = {{extensions}}


def setup(app):
    # A template that asks for the whole tree, sections and all, must get
    # it; one that asks for a collapsed tree of titles, that.
    def whole_tree(app, pagename, templatename, context, doctree):
        if "toctree" in context:
            tree = context["toctree"](collapse=False, titles_only=False, maxdepth=-1)
            collapsed = context["toctree"](collapse=True, titles_only=True)
            context["body"] = context.get("body", "") + (
                f"<div id='whole'>{{{{tree}}}}</div><div id='collapsed'>{{{{collapsed}}}}</div>"
            )

    app.connect("html-page-context", whole_tree, priority=600)
"""

PAGES = {
    "index.rst": """Home
====

.. toctree::
   :numbered:
   :caption: Parts

   part-1/index
   part-2/index

.. toctree::
   :hidden:

   appendix
""",
    "part-1/index.rst": """Part one
========

Introduction
------------

Read these.

.. toctree::

   a
   b
""",
    "part-1/a.rst": """Page A
======

First
-----

.. py:function:: first(x)

   Does one thing.

.. py:function:: second(x)

   Does another.

Second
------

Deeper
~~~~~~

Text.
""",
    "part-1/b.rst": """:tocdepth: 2

Page B
======

Section
-------

Subsection
~~~~~~~~~~

.. toctree::

   c
""",
    "part-1/c.rst": "Page C\n======\n\nBelow a cut.\n",
    "part-2/index.rst": """Part two
========

.. only:: html

   .. toctree::

      d

.. only:: latex

   .. toctree::

      e
""",
    "part-2/d.rst": "Page D\n======\n\nSection\n-------\n\nText.\n",
    "part-2/e.rst": "Page E\n======\n\nIn print only.\n",
    "appendix.rst": "Appendix\n========\n\nAt the end\n----------\n\nText.\n",
}


def build(root: Path, extensions: list[str]) -> dict[str, str]:
    src = root / "src"
    for name, text in PAGES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text)
    (src / "conf.py").write_text(CONF.format(extensions=extensions))
    built = build_in_process(src, fresh=True)
    assert not built.warnings, built.warnings
    out = built.outdir
    pages = {path.relative_to(out).as_posix(): path.read_text() for path in out.rglob("*.html")}
    return pages


@pytest.mark.slow
def test_the_sidebar_is_the_same_with_and_without_the_cut(tmp_path):
    plain = build(tmp_path / "plain", [])
    cut = build(tmp_path / "cut", ["dmls_navtree"])
    assert plain.keys() == cut.keys()
    assert "part-1/a.html" in cut
    for page in plain:
        assert cut[page] == plain[page], page
    # The sidebar shows the pages, numbered, and the hidden appendix.
    sidebar = plain["part-1/a.html"].split('class="sidebar-tree"', 1)[1]
    for title in ("1. Part one", "1.1. Page A", "1.2. Page B", "2.1. Page D", "Appendix"):
        assert title in sidebar
    assert "Page C" not in sidebar  # below Page B's :tocdepth:
    assert "Page E" not in sidebar  # only in print
    whole = plain["part-1/a.html"].split("<div id='whole'>", 1)[1]
    assert "Deeper" in whole
    assert "first()" in whole


def toc(*entries) -> nodes.bullet_list:
    return nodes.bullet_list("", *entries)


def entry(title: str, *below) -> nodes.list_item:
    para = addnodes.compact_paragraph("", "", nodes.reference("", title, refuri=title))
    return nodes.list_item("", para, *below)


def test_only_titles_and_toctrees_are_kept_in_order():
    first, second = addnodes.toctree(entries=[(None, "x")]), addnodes.toctree(entries=[(None, "y")])
    # As Sphinx records them: a toctree is an entry of its section's list.
    whole = toc(
        entry("Page", toc(entry("Section", toc(entry("Deep"), first)), entry("Other"), second))
    )
    cut = titles_only(whole)
    [page] = cut.children
    assert page[0].astext() == "Page"
    assert [node["entries"] for node in page[1].children] == [[(None, "x")], [(None, "y")]]
    assert "Section" not in cut.astext()
    assert len(whole[0][1]) == 3, "the whole table of contents is left as it was"


def test_an_entry_without_sections_or_a_bare_toctree_is_kept_as_is():
    bare = addnodes.toctree(entries=[(None, "x")])
    cut = titles_only(toc(entry("Alone"), bare))
    assert cut[0].astext() == "Alone"
    assert len(cut[0]) == 1
    assert cut[1]["entries"] == [(None, "x")]
    assert cut[1] is not bare
