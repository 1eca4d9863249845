"""Site details: dates from git, and the seed map rendered from its data.

Each page's "last updated" date is that of the last commit that touched its
source, so two builds of one commit print the same dates, whatever day they
run. Outside a git checkout the page keeps Sphinx's own date, which honours
SOURCE_DATE_EPOCH.

The ``seed-map`` directive renders docs/_data/seed-map/*.toml, the same data
tests/test_seed_map.py checks, as one table per chapter.
"""

from __future__ import annotations

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


def _on_page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if doctree is None:
        return
    source = Path(app.env.doc2path(pagename, base=False)).as_posix()
    date = getattr(app.builder, "_dmls_git_dates", {}).get(source)
    if date:
        context["last_updated"] = date


class SeedMapDirective(SphinxDirective):
    """``seed-map``: a table per chapter of seed points and their sections."""

    def run(self) -> list[nodes.Node]:
        folder = Path(self.env.srcdir) / "_data" / "seed-map"
        result: list[nodes.Node] = []
        for path in sorted(folder.glob("*.toml")):
            self.env.note_dependency(str(path))
            items = tomllib.loads(path.read_text(encoding="utf-8"))["item"]
            chapter = path.stem.replace("-", " ").capitalize()
            rows = [f"| {chapter} | What the notes say | Covered in |", "| --- | --- | --- |"]
            for item in items:
                seed = item["seed"].replace("|", "\\|")
                rows.append(f"| {item['id']} | {seed} | {{ref}}`{item['label']}` |")
            result.extend(self.parse_text_to_nodes("\n".join(rows)))
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
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
