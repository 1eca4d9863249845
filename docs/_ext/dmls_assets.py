"""Each page loads only the stylesheets and scripts it uses.

Extensions add their files to every page: sphinx-design's stylesheet and
script (55 KB) for a grid on one page, the copy button's scripts on pages
without code, Pygments' colours on pages with nothing to colour. Here each
page keeps an extension's files only if its document holds what they style
or drive. In the EPUB, which runs no script, the copy button's stylesheet
goes too.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

_CODE = (nodes.literal_block, nodes.doctest_block)


def _has_code(doctree: nodes.document) -> bool:
    return any(True for _ in doctree.findall(lambda n: isinstance(n, _CODE)))


def _has_design(doctree: nodes.document) -> bool:
    """sphinx-design marks everything it makes with an "sd-" class."""
    return any(
        cls.startswith("sd-")
        for node in doctree.findall(nodes.Element)
        for cls in node.get("classes", ())
    )


def _has_tabs(doctree: nodes.document) -> bool:
    return any("sd-tab-set" in node.get("classes", ()) for node in doctree.findall(nodes.Element))


def needed_assets(doctree: nodes.document | None, builder: str) -> dict[str, bool]:
    """Whether the page needs each optional file, by file name."""
    code = doctree is not None and _has_code(doctree)
    design = doctree is not None and _has_design(doctree)
    return {
        "pygments.css": code,
        "copybutton.css": code and builder != "epub",
        "copybutton.js": code and builder != "epub",
        "clipboard.min.js": code and builder != "epub",
        "sphinx-design.min.css": design,
        "design-tabs.js": design and doctree is not None and _has_tabs(doctree),
    }


def _name(asset) -> str:
    filename = getattr(asset, "filename", asset) or ""
    return str(filename).rsplit("/", 1)[-1].split("?", 1)[0]


def _on_page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    needed = needed_assets(doctree, app.builder.name)
    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [a for a in context[key] if needed.get(_name(a), True)]


def setup(app: Sphinx) -> dict:
    # After the extensions that add files (default priority 500).
    app.connect("html-page-context", _on_page_context, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
