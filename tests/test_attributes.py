"""An "Attributes:" entry's type is printed beside its name (docs/_ext/dmls_attributes.py)."""

from __future__ import annotations

import dataclasses
import inspect

import dmls_attributes
from sphinx.ext.napoleon import Config, GoogleDocstring

from dmls_examples import casestudy


def napoleon(docstring: str, obj) -> list[str]:
    """The reST Napoleon writes for *docstring*, as autodoc passes it on."""
    config = Config(napoleon_use_ivar=False)
    return str(GoogleDocstring(docstring, config, what="class", obj=obj)).splitlines()


def test_each_attribute_of_the_assumptions_takes_its_type_as_an_option():
    lines = napoleon(inspect.getdoc(casestudy.Assumptions), casestudy.Assumptions)
    dmls_attributes.types_beside_names(lines)
    directives = [n for n, line in enumerate(lines) if line.startswith(".. attribute:: ")]
    assert len(directives) == len(dataclasses.fields(casestudy.Assumptions))
    for n in directives:
        name = lines[n].removeprefix(".. attribute:: ")
        annotation = casestudy.Assumptions.__annotations__[name]
        assert lines[n + 1] == f"   :type: {annotation}", name
    assert sum(":type:" in line for line in lines) == len(directives)


def test_the_description_keeps_its_lines_and_one_blank_line_after():
    lines = [
        "Intro.",
        "",
        ".. attribute:: rate",
        "   :no-index:",
        "",
        "   Chance of an order,",
        "   in (0, 1).",
        "",
        "   :type: float",
        "",
        ".. attribute:: name",
        "",
        "   No type here.",
        "",
        "   .. attribute:: inner",
        "",
        "      Nested.",
        "",
        "      :type: int",
    ]
    dmls_attributes.types_beside_names(lines)
    assert lines == [
        "Intro.",
        "",
        ".. attribute:: rate",
        "   :no-index:",
        "   :type: float",
        "",
        "   Chance of an order,",
        "   in (0, 1).",
        "",
        ".. attribute:: name",
        "",
        "   No type here.",
        "",
        "   .. attribute:: inner",
        "      :type: int",
        "",
        "      Nested.",
    ]


def test_a_type_field_outside_an_attribute_stays_where_it_is():
    lines = [".. function:: f()", "", "   Does f.", "", "   :type: int"]
    dmls_attributes.types_beside_names(lines)
    assert lines == [".. function:: f()", "", "   Does f.", "", "   :type: int"]
