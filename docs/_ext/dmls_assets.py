"""Each page loads only the stylesheets and scripts it uses.

Extensions add their files to every page: sphinx-design's stylesheet and
script (55 KB) for a grid on one page, the copy button's scripts on pages
without code, Pygments' colours on pages with nothing to colour. Here each
page keeps an extension's files only if its document holds what they style
or drive. In the EPUB, which runs no script, the copy button's stylesheet
goes too.

A page that does use sphinx-design (an exercise's solution is one of its
dropdowns) loads only the part of its stylesheet that the site uses: the
rules for the "sd-" classes some page carries, written at build time over
the 55 KB original.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransformer

DESIGN_CSS = "sphinx-design.min.css"
_SD_CLASS = re.compile(r"\.(sd-[\w-]+)")
_RAW_CLASSES = re.compile(r'class="([^"]*)"')

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


def design_classes(doctree: nodes.document) -> set[str]:
    """The "sd-" classes a page's markup carries, on its nodes or in raw HTML
    (sphinx-design writes its icons as raw SVG)."""
    return set().union(*map(design_classes_of, doctree.findall(nodes.Element)))


def design_classes_of(node: nodes.Element) -> set[str]:
    classes = list(node.get("classes", ()))
    if isinstance(node, nodes.raw):
        for attribute in _RAW_CLASSES.findall(node.astext()):
            classes += attribute.split()
    return {cls for cls in classes if cls.startswith("sd-")}


def _blocks(css: str) -> list[tuple[str, str]]:
    """The top-level ``prelude{body}`` blocks of a stylesheet, in order."""
    blocks, start, depth, prelude_end = [], 0, 0, 0
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                prelude_end = index
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                blocks.append((css[start:prelude_end].strip(), css[prelude_end + 1 : index]))
                start = index + 1
    return blocks


def _selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside :is())."""
    parts, depth, current = [], 0, ""
    for char in prelude:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _needs(selector: str) -> set[str]:
    """The "sd-" classes an element must carry to match *selector*. Those
    inside :is(), :where() or :not() are not required, so they count as met."""
    while True:
        outer = re.sub(r"\([^()]*\)", "", selector)
        if outer == selector:
            return set(_SD_CLASS.findall(outer))
        selector = outer


def used_css(css: str, classes: set[str]) -> str:
    """The rules of *css* that can apply to markup with these "sd-" *classes*.

    A selector is kept when every "sd-" class it requires is in *classes*;
    selectors without one (custom properties on :root, say) stay.
    @media blocks are filtered inside; @keyframes stay if a kept rule
    names them.
    """

    def keep(css: str) -> list[str]:
        kept = []
        for prelude, body in _blocks(css):
            if prelude.startswith("@media") or prelude.startswith("@supports"):
                inner = keep(body)
                if inner:
                    kept.append(f"{prelude}{{{''.join(inner)}}}")
            elif prelude.startswith("@"):
                kept.append((prelude, body))
            else:
                selectors = [s for s in _selectors(prelude) if _needs(s) <= classes]
                if selectors:
                    kept.append(f"{','.join(selectors)}{{{body}}}")
        return kept

    rules = keep(css)
    plain = "".join(rule for rule in rules if isinstance(rule, str))
    return "".join(
        rule
        if isinstance(rule, str)
        else f"{rule[0]}{{{rule[1]}}}"
        if rule[0].split()[-1] in plain
        else ""
        for rule in rules
    )


def needed_assets(doctree: nodes.document | None, builder: str, body: str = "") -> dict[str, bool]:
    """Whether the page needs each optional file, by file name.

    A page without a document (a module's source, the index) is judged by
    its *body*: the source pages are nothing but code to colour.
    """
    code = _has_code(doctree) if doctree is not None else '<div class="highlight' in body
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
    needed = needed_assets(doctree, app.builder.name, context.get("body", ""))
    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [a for a in context[key] if needed.get(_name(a), True)]


#: The extensions whose post-transforms make sphinx-design's markup. Only
#: theirs run for the look below: others keep state as they run (the
#: bibliography's would list every work twice).
_MAKE_DESIGN = ("sphinx_design", "dmls_exercises")

#: The builders whose pages get the trimmed stylesheet. The EPUB keeps the
#: whole one: its solutions are gathered, not dropdowns.
_TRIMMED_FOR = ("html", "dirhtml")


def _as_written(app: Sphinx, docname: str) -> nodes.document:
    """*docname*'s doctree with the post-transforms that make sphinx-design's
    markup applied, as the HTML builder will write it: that is where the
    dropdowns (the exercises' solutions) get most of their classes. As
    Sphinx's own apply_post_transforms, without telling the extensions:
    this is a look, not the write."""
    env = app.env
    doctree = env.get_doctree(docname)
    backup = env.current_document
    current = copy.deepcopy(backup)
    current.docname = docname
    try:
        env.current_document = current
        transformer = SphinxTransformer(doctree)
        transformer.set_environment(env)
        transformer.add_transforms(
            t for t in app.registry.get_post_transforms() if t.__module__.startswith(_MAKE_DESIGN)
        )
        transformer.apply_transforms()
    finally:
        env.current_document = backup
    return doctree


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Remember the page, to look at as written once every page is read."""
    app.env.dmls_design_unread = {*getattr(app.env, "dmls_design_unread", ()), app.env.docname}


def _on_merge(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    env.dmls_design_unread = {
        *getattr(env, "dmls_design_unread", ()),
        *getattr(other, "dmls_design_unread", ()),
    }


def _on_purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "dmls_design_classes", {}).pop(docname, None)


def _trimmed_folder(app: Sphinx) -> Path:
    return Path(app.doctreedir) / "dmls-design-static"


def _on_builder_inited(app: Sphinx) -> None:
    """A folder of static files that comes after sphinx-design's, so that its
    stylesheet, written once the pages are read, replaces the original."""
    if app.builder.name not in _TRIMMED_FOR:
        return
    folder = _trimmed_folder(app)
    folder.mkdir(parents=True, exist_ok=True)
    app.config.html_static_path.append(str(folder))


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> None:
    if app.builder.name not in _TRIMMED_FOR:
        return
    import sphinx_design

    original = Path(sphinx_design.__file__).parent / "static" / DESIGN_CSS
    if not hasattr(env, "dmls_design_classes"):
        env.dmls_design_classes = {}
    for docname in sorted(getattr(env, "dmls_design_unread", ())):
        env.dmls_design_classes[docname] = design_classes(_as_written(app, docname))
    env.dmls_design_unread = set()
    classes = set().union(*env.dmls_design_classes.values())
    trimmed = used_css(original.read_text(encoding="utf-8"), classes)
    target = _trimmed_folder(app) / DESIGN_CSS
    if not target.exists() or target.read_text(encoding="utf-8") != trimmed:
        target.write_text(trimmed, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    # After the extensions that add files (default priority 500).
    app.connect("html-page-context", _on_page_context, priority=900)
    app.connect("builder-inited", _on_builder_inited, priority=900)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("env-purge-doc", _on_purge)
    app.connect("env-merge-info", _on_merge)
    # After the exercises have numbered theirs: their dropdowns are made then.
    app.connect("env-updated", _on_env_updated, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
