"""dmls_fignumbers: figures numbered from outlines of the pages.

The extension may change what Sphinx's numbering walks, never the numbers:
a project built with and without it gets the same section and figure
numbers and the same HTML, after a clean build, a rebuild with nothing to
do and a rebuild after an edit that moves every later number. The project
has what the numbering reads: a numbered toctree, a toctree inside a
section, figures with and without captions, a titled and an untitled
table, a captioned listing, a figure inside a table, a figure in an
``only`` block, and a MyST page.
"""

import pickle
import sys
from pathlib import Path

import pytest
from docutils import nodes
from sphinx import addnodes
from sphinx_builds import build_in_process

EXTENSIONS = Path(__file__).resolve().parent.parent / "docs" / "_ext"

CONF = f"""
import sys
sys.path.insert(0, {str(EXTENSIONS)!r})
project = "Figures"
numfig = True
numfig_secnum_depth = 1
extensions = {{extensions}}
"""

FIGURE = """
.. figure:: {up}pic.svg

   {caption}
"""

PAGES = {
    "pic.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n',
    "index.rst": """Book
====

.. toctree::
   :numbered:

   one/index
   two
"""
    + FIGURE.format(up="", caption="On the root page."),
    "one/index.rst": """One
===

See :numref:`fig-a`, :numref:`tab-a`, :numref:`code-a` and :numref:`fig-deep`.

.. _fig-a:
"""
    + FIGURE.format(up="../", caption="A captioned figure.")
    + """
.. figure:: ../pic.svg

.. _tab-a:

.. table:: A titled table

   ===  ===
   a    b
   ===  ===

.. list-table::

   * - untitled
     - table

.. _code-a:

.. code-block:: python
   :caption: A listing

   x = 1

.. code-block:: python

   y = 2

A section
---------

.. toctree::

   deep

.. only:: html
"""
    + FIGURE.format(up="../", caption="Only in HTML.").replace("\n", "\n   ")
    + """
.. list-table:: A table that holds a figure

   * - .. figure:: ../pic.svg

          Inside a table.
""",
    "one/deep.rst": """Deep
====

.. _fig-deep:
"""
    + FIGURE.format(up="../", caption="Deep down.")
    + """
Deeper
------
"""
    + FIGURE.format(up="../", caption="Deeper down."),
    "two.md": """# Two

```{figure} pic.svg
:name: fig-two

In MyST.
```

| a | b |
| - | - |
| 1 | 2 |
""",
}

#: An edit that adds a numbered figure before all the others of chapter 1.
EARLIER = ("See :numref", "\n".join([FIGURE.format(up="../", caption="New first."), "See :numref"]))


def write_project(root: Path, extensions: list[str]) -> Path:
    for name, text in PAGES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "conf.py").write_text(CONF.format(extensions=extensions))
    return root


def saved_environment(doctrees: Path):
    """The build environment Sphinx saved in *doctrees*. It holds nodes of
    the site's extensions, which unpickling imports."""
    sys.path.insert(0, str(EXTENSIONS))
    try:
        with (doctrees / "environment.pickle").open("rb") as saved:
            return pickle.load(saved)
    finally:
        sys.path.remove(str(EXTENSIONS))


def numbers(built_dir: Path) -> tuple[dict, dict, dict[str, str]]:
    """The section numbers, the figure numbers and every page's HTML."""
    env = saved_environment(built_dir.parent / "doctrees")
    pages = {str(p.relative_to(built_dir)): p.read_text() for p in built_dir.rglob("*.html")}
    return env.toc_secnumbers, env.toc_fignumbers, pages


def build_both(tmp_path: Path, parallel: int = 0):
    """Build the project without and with the extension; yield both results
    after each build, the first clean, then a no-op, then after EARLIER."""
    projects = {
        "sphinx": write_project(tmp_path / "sphinx", ["myst_parser"]),
        "outlines": write_project(tmp_path / "outlines", ["myst_parser", "dmls_fignumbers"]),
    }
    for step in ("clean", "no-op", "edited"):
        if step == "edited":
            for root in projects.values():
                page = root / "one" / "index.rst"
                page.write_text(page.read_text().replace(*EARLIER, 1))
        results = {}
        for name, root in projects.items():
            built = build_in_process(root, fresh=step == "clean", parallel=parallel)
            assert built.statuscode == 0, built.warnings
            results[name] = numbers(built.outdir)
        yield step, results


@pytest.mark.parametrize("parallel", [0, pytest.param(2, marks=pytest.mark.slow)])
def test_the_numbers_and_pages_are_sphinxs_own_before_and_after_an_edit(tmp_path, parallel):
    seen = {}
    for step, results in build_both(tmp_path, parallel):
        secnumbers, fignumbers, pages = results["outlines"]
        assert secnumbers == results["sphinx"][0], step
        assert fignumbers == results["sphinx"][1], step
        assert pages.keys() == results["sphinx"][2].keys()
        for name, html in pages.items():
            assert html == results["sphinx"][2][name], (step, name)
        seen[step] = fignumbers
    # The project numbers what it should, and the edit moved later numbers.
    # Sphinx numbers a page's figures where its toctree sits: deep's come
    # after one's first figure and before the rest.
    chapter_1 = seen["clean"]["one/index"]
    assert chapter_1["figure"] == {"id1": (1, 1), "id4": (1, 4), "id6": (1, 5)}
    assert chapter_1["table"] == {"id2": (1, 1), "id5": (1, 2)}
    assert chapter_1["code-block"] == {"id3": (1, 1)}
    assert seen["clean"]["one/deep"]["figure"] == {"id1": (1, 2), "id2": (1, 3)}
    assert seen["clean"]["two"]["figure"] == {"fig-two": (2, 1)}
    assert seen["edited"]["one/deep"]["figure"] == {"id1": (1, 3), "id2": (1, 4)}


def outline_of(rst: str, tmp_path: Path):
    """The outline dmls_fignumbers keeps of a one-page project's page."""
    write_project(tmp_path, ["dmls_fignumbers"])
    for name in PAGES:
        if name != "pic.svg":
            (tmp_path / name).unlink()
    (tmp_path / "index.rst").write_text(rst)
    build_in_process(tmp_path, fresh=True)
    return saved_environment(tmp_path / "_build" / "doctrees").dmls_outlines["index"]


def test_an_outline_keeps_sections_toctrees_and_captioned_nodes_and_drops_prose(tmp_path):
    page = """Title
=====

A paragraph with *emphasis* and a `link <https://example.org>`_.

- a list
- of items

.. figure:: pic.svg

   Its caption.

Section
-------

More prose.
"""
    outline = outline_of(page, tmp_path)
    kinds = [type(node) for node in outline.findall(nodes.Element)]
    assert kinds == [
        nodes.Element,  # the page
        nodes.section,
        nodes.figure,
        nodes.image,  # bare: a numbered node keeps its children's kinds
        nodes.caption,
        nodes.section,
    ]
    prose = (nodes.paragraph, nodes.list_item, nodes.reference)
    assert not any(isinstance(node, prose) for node in outline.findall())
    assert all(node.document is None for node in outline.findall())
    assert outline.next_node(nodes.caption).astext() == "Its caption."
    assert not list(outline.findall(addnodes.toctree))
