"""Site details: dates from git, and the seed map rendered from its data.

Each page's "last updated" date is that of the last commit that touched its
source, so two builds of one commit print the same dates, whatever day they
run. Outside a git checkout the page keeps Sphinx's own date, which honours
SOURCE_DATE_EPOCH.

The ``seed-map`` and ``book-map`` directives render docs/_data/seed-map/*.toml
and docs/_data/book-map/*.toml, the same data tests/test_seed_map.py and
tests/test_book_map.py check, as one table per chapter.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator


def _git_dates(srcdir: Path) -> dict[str, str]:
    """Map each file under *srcdir* (relative path) to its last commit date."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=srcdir,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        log = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--", "."],
            cwd=srcdir,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[str, str] = {}
    date = ""
    for line in log.splitlines():
        if line.startswith("\0"):
            date = line[1:]
        elif line:
            path = (Path(top) / line).resolve()
            try:
                relative = path.relative_to(srcdir.resolve()).as_posix()
            except ValueError:
                continue
            dates.setdefault(relative, date)  # the log is newest first
    return dates


def _on_builder_inited(app: Sphinx) -> None:
    app.builder._dmls_git_dates = _git_dates(Path(app.srcdir))
    if app.builder.name == "epub":
        # Graphviz's SVG carries a DTD that EPUB 3 forbids, and e-readers show
        # an SVG <object> less reliably than an image: diagrams go in as PNG.
        app.config.graphviz_output_format = "png"


_GRAPHVIZ_OBJECT = re.compile(
    r'(<object data="[^"]*" type="image/svg\+xml" class="[^"]*graphviz[^"]*")>'
    r'(\s*<p class="warning">(.*?)</p>)',
    re.S,
)


def _label_diagrams(body: str) -> str:
    """Give graphviz's SVG <object> the name assistive technology reads.

    Sphinx puts the diagram's alt text inside the <object> as fallback
    content, which screen readers skip while the SVG loads (axe: object-alt).
    """
    return _GRAPHVIZ_OBJECT.sub(r'\1 role="img" aria-label="\3">\2', body)


def _on_page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if doctree is None:
        return
    if "body" in context:
        context["body"] = _label_diagrams(context["body"])
    source = Path(app.env.doc2path(pagename, base=False)).as_posix()
    date = getattr(app.builder, "_dmls_git_dates", {}).get(source)
    if date:
        context["last_updated"] = date


class _MapDirective(SphinxDirective):
    """A table per chapter from the TOML files in ``docs/_data/<folder>/``."""

    folder = ""  # the data folder under docs/_data
    key = ""  # the name of the TOML array of tables to render
    columns = ""  # the header cells after the chapter's, separated by "|"

    def row(self, entry: dict) -> str:
        raise NotImplementedError

    def table(self, chapter: str, entries: list[dict]) -> list[nodes.Node]:
        width = 1 + len(self.columns.split("|"))
        rows = [f"| {chapter} | {self.columns} |", "|" + " --- |" * width]
        rows.extend(self.row(entry) for entry in entries)
        return self.parse_text_to_nodes("\n".join(rows))

    def run(self) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        for path in sorted((Path(self.env.srcdir) / "_data" / self.folder).glob("*.toml")):
            self.env.note_dependency(str(path))
            entries = tomllib.loads(path.read_text(encoding="utf-8"))[self.key]
            result.extend(self.table(path.stem.replace("-", " ").capitalize(), entries))
        return result


class SeedMapDirective(_MapDirective):
    """``seed-map``: a table per chapter of seed points and their sections."""

    folder, key, columns = "seed-map", "item", "What the notes say | Covered in"

    def row(self, entry: dict) -> str:
        seed = entry["seed"].replace("|", "\\|")
        return f"| {entry['id']} | {seed} | {{ref}}`{entry['label']}` |"


class BookMapDirective(_MapDirective):
    """``book-map``: a table per chapter of the book's headings and their sections.

    Subsections are indented under their section, as in the book's contents.
    """

    folder, key, columns = "book-map", "heading", "Covered in"

    def row(self, entry: dict) -> str:
        title = entry["title"].replace("|", "\\|")
        return f"| {title} | {{ref}}`{entry['label']}` |"

    def table(self, chapter: str, entries: list[dict]) -> list[nodes.Node]:
        # Markdown trims the spaces that would indent a cell, so indent the
        # parsed heading cells: with a CSS class in HTML (wrapped lines stay
        # indented), with four no-break spaces a level in other outputs.
        result = super().table(chapter, entries)
        html = self.env.app.builder.format == "html"
        body = next(result[0].findall(nodes.tbody))
        for row, entry in zip(body.findall(nodes.row), entries, strict=True):
            cell = next(row.findall(nodes.entry))
            if html:
                cell["classes"].append(f"book-map-level-{entry['level']}")
            else:
                first = next(cell.findall(nodes.paragraph))
                first.insert(0, nodes.Text("\u00a0" * 4 * (entry["level"] - 1)))
        return result


class AccessibleTranslator(HTML5Translator):
    """Sphinx's HTML writer, with three fixes that axe-core asks for.

    - Toctree captions get the ``aria-level`` that ``role="heading"``
      requires (aria-required-attr).
    - Code blocks, which scroll sideways on a phone, can take keyboard focus
      so they can be scrolled without a mouse (scrollable-region-focusable).
    - Bibliography entries are ``role="listitem"`` inside docutils'
      ``role="list"``: the ``doc-biblioentry`` role docutils uses is
      deprecated and not allowed in a list (aria-required-children).
    """

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        try:
            super().visit_literal_block(node)
        except nodes.SkipNode:
            self.body[-1] = self.body[-1].replace("<pre>", '<pre tabindex="0">', 1)
            raise

    def visit_citation(self, node: nodes.citation) -> None:
        if not isinstance(node.previous_sibling(), type(node)):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))

    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            attributes = {"CLASS": "caption", "ROLE": "heading", "aria-level": "2"}
            self.body.append(self.starttag(node, "p", "", **attributes))
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
        else:
            super().visit_title(node)


def setup(app: Sphinx) -> dict:
    for builder in ("html", "epub"):
        app.set_translator(builder, AccessibleTranslator)
    app.add_directive("seed-map", SeedMapDirective)
    app.add_directive("book-map", BookMapDirective)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
