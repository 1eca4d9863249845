"""Number figures from each page's outline, not from its whole doctree.

With ``numfig`` on, Sphinx numbers figures, tables and listings in every
build, a build with nothing to do included. Its toctree collector loads the
saved doctree of every page, in toctree order, and walks all of its nodes,
asking every domain of each node whether it is a kind that is numbered. For
this site that is 43 doctrees and 27,000 nodes to find nine figures: a third
of a second of every build. Larger projects have turned numfig off for this
cost alone (Zephyr, zephyrproject-rtos/zephyr#57624; LLVM,
llvm/llvm-project#207817, where a one-file edit rebuilt 1.6 times faster).

The numbers depend on much less than the doctree: the sections (their ids
give their numbers), the toctrees (which pages come next), the numbered
nodes (their class, ids, caption or title, and their children's classes,
which tell a captioned code block from other containers) and the elements
that hold them, in order. This extension keeps, for every page, an
*outline* of its saved doctree that holds only those, and during the
collector's walk (the ``env-get-updated`` event) ``env.get_doctree`` returns
outlines. An outline is made from the saved doctree itself, the first time
the walk asks for it after Sphinx read the page, so it holds what the walk
would have seen.

tests/test_fignumbers.py builds a project with and without this extension
and requires the same section and figure numbers and the same HTML.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

#: Where the outlines live: an attribute of the environment, which Sphinx
#: saves between builds, by page name. Sphinx forgets a page's data
#: (``env-purge-doc``) before it reads the page again.
OUTLINES = "dmls_outlines"


def _numbered_kind(env: BuildEnvironment, node: nodes.Element) -> bool:
    return any(domain.get_enumerable_node_type(node) for domain in env.domains.sorted())


def _bare(node: nodes.Element) -> nodes.Element:
    """*node*'s class and attributes, without children, source or document."""
    copy = node.copy()
    copy.document, copy.rawsource = None, ""
    return copy


def _whole(node: nodes.Element) -> nodes.Element:
    copy = node.deepcopy()
    for descendant in copy.findall():  # its text too
        descendant.document = None
    return copy


def _outlined(env: BuildEnvironment, node: nodes.Element) -> nodes.Element | None:
    """What of *node* the figure numbering can depend on, or None for nothing."""
    if isinstance(node, addnodes.toctree):
        return _bare(node)  # its entries are attributes
    section = isinstance(node, nodes.section)
    numbered = not section and _numbered_kind(env, node)
    kept = _outlined_children(env, node, numbered)
    if not (section or numbered or kept):
        return None
    outline = _bare(node)
    outline += kept
    return outline


def _outlined_children(
    env: BuildEnvironment, node: nodes.Element, numbered: bool = False
) -> list[nodes.Element]:
    """The outlines of *node*'s children; a *numbered* node's keep its title
    whole and every other child at least bare."""
    kept = []
    for child in node.children:
        if not isinstance(child, nodes.Element):
            continue
        if numbered and isinstance(child, nodes.caption | nodes.title):
            kept.append(_whole(child))  # the numbered node's title
            continue
        outlined = _outlined(env, child)
        if outlined is None and numbered:
            outlined = _bare(child)  # its children's classes tell its kind
        if outlined is not None:
            kept.append(outlined)
    return kept


def outline(env: BuildEnvironment, doctree: nodes.document) -> nodes.Element:
    """*doctree* cut to the nodes Sphinx's figure and section numbering reads."""
    root = nodes.Element()  # not a copy of the document, whose settings hold the environment
    root += _outlined_children(env, doctree)
    return root


def outline_getter(env: BuildEnvironment, load: Callable[[str], nodes.document]):
    """A stand-in for ``env.get_doctree`` that returns each page's outline,
    made with *load* (the real one) the first time it is asked for after
    the page was read."""
    if not hasattr(env, OUTLINES):
        setattr(env, OUTLINES, {})
    outlines = getattr(env, OUTLINES)

    def get_outline(docname: str) -> nodes.Element:
        if docname not in outlines:
            outlines[docname] = outline(env, load(docname))
        # Not a copy: the numbering reads the doctrees it loads, changes none.
        return outlines[docname]

    return get_outline


def _before_numbering(app: Sphinx, env: BuildEnvironment) -> list[str]:
    env.get_doctree = outline_getter(env, env.get_doctree)
    return []


def _after_numbering(app: Sphinx, env: BuildEnvironment) -> list[str]:
    del env.get_doctree  # the method again
    return []


def _forget(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, OUTLINES, {}).pop(docname, None)


def setup(app: Sphinx) -> dict:
    # Sphinx's environment collectors listen at the default priority, 500;
    # of them only the toctree collector, which numbers, loads doctrees.
    app.connect("env-get-updated", _before_numbering, priority=499)
    app.connect("env-get-updated", _after_numbering, priority=501)
    app.connect("env-purge-doc", _forget)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
