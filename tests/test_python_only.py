"""The site builds with Python alone: no page or extension needs a system tool.

Graphviz once drew the iterative-process diagram, and a reader without the
`dot` program could not build the site. These checks keep such a dependency
from coming back: the configuration loads no extension that shells out to a
program, and no page uses a directive that would. tests/site/test_reproducible.py builds
the whole site with a PATH that holds only the virtualenv and git, which
catches what these static checks miss.
"""

import re

import pytest
from myst_pages import PAGES, page_id
from source_reading import CONF, constant

#: Sphinx extensions that run an external program to draw or render.
NEEDS_A_PROGRAM = {
    "sphinx.ext.graphviz": "dot",
    "sphinx.ext.inheritance_diagram": "dot",
    "sphinx.ext.imgmath": "latex and dvipng",
    "sphinxcontrib.plantuml": "plantuml and java",
    "sphinxcontrib.mermaid": "mmdc, for anything but client-side rendering",
}

#: Directives of those extensions, as a page would write them.
DIRECTIVES = re.compile(
    r"^(?:```+|:::+)\{(graphviz|digraph|graph|inheritance-diagram|uml|mermaid)\}|"
    r"^\.\. (graphviz|digraph|graph|inheritance-diagram|uml|mermaid)::",
    re.M,
)


def test_no_extension_needs_a_program():
    extensions = constant(CONF, "extensions")
    assert "dmls_figures" in extensions, "the parser found the wrong list"
    found = {name: NEEDS_A_PROGRAM[name] for name in extensions if name in NEEDS_A_PROGRAM}
    assert not found, f"these extensions need programs a reader may not have: {found}"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_page_draws_with_a_program(page):
    found = DIRECTIVES.findall(page.read_text())
    assert not found, f"{page.name} uses a directive that needs a program: {found}"


def test_the_pattern_catches_a_graphviz_fence():
    assert DIRECTIVES.search("text\n```{graphviz}\ndigraph { a -> b }\n```\n")
    assert DIRECTIVES.search(".. graphviz::\n\n   digraph { a -> b }\n")
    assert not DIRECTIVES.search(":::{dmls-figure} iterative-process\n:::\n")
