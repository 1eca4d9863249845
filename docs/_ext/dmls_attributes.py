"""An attribute's type beside its name, as Sphinx prints an annotated one.

Napoleon turns a Google-style "Attributes:" section into an
``.. attribute::`` directive per attribute and puts the type in the body,
as a ``:type:`` field. The reference then printed a "Type: float" field
under each of the case study's 22 assumptions, two more lines apiece in
the PDF. Given as the directive's ``:type:`` option instead, the type joins
the name: ``order_rate: float``.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx

_DIRECTIVE = re.compile(r"(?P<indent> *)\.\. (?:py:)?attribute:: ")


def types_beside_names(lines: list[str]) -> None:
    """Move the ``:type:`` field of each attribute directive in *lines* (reST,
    as Napoleon writes it) to the directive's options, in place."""
    start = 0
    while start < len(lines):
        directive = _DIRECTIVE.match(lines[start])
        if directive is None:
            start += 1
            continue
        body = directive["indent"] + "   "
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or lines[end].startswith(body)):
            end += 1
        options = start + 1
        while options < end and lines[options].startswith(body + ":"):
            options += 1
        fields = [n for n in range(options, end) if lines[n].startswith(body + ":type: ")]
        if len(fields) == 1:
            (field,) = fields
            moved = lines.pop(field)
            if field - 1 >= options and not lines[field - 1].strip():
                lines.pop(field - 1)  # the blank line that set the field apart
            lines.insert(options, moved)
        start += 1  # into the body too: an attribute may hold another


def _on_docstring(app: Sphinx, what, name, obj, options, lines: list[str]) -> None:
    types_beside_names(lines)


def setup(app: Sphinx) -> dict:
    # After Napoleon (priority 500), which writes the directives.
    app.connect("autodoc-process-docstring", _on_docstring, priority=600)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
