"""Site details: dates from git, the seed and book maps rendered from their
data, and four accessibility fixes to the HTML writer.

Each page's "last updated" date is that of the last commit that touched its
source, and a page without a source of its own (the index, the search page)
takes the date of the last commit, from conf.py's ``dmls_build_date``. Two
builds of one commit therefore print the same dates, whatever day they run,
without changing the process environment.

The ``seed-map`` and ``book-map`` directives render docs/_data/seed-map/*.toml
and docs/_data/book-map/*.toml, the same data tests/test_seed_map.py and
tests/test_book_map.py check, as one table per chapter.

The highlighted-source pages of sphinx.ext.viewcode are removed, to be
written again, when the extensions, conf.py, a template or a static file
changed since they were written.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import importlib.metadata
import json
import re
import shutil
import subprocess
import tomllib
import weakref
from pathlib import Path

import jinja2
import markupsafe
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.jinja2glue import BuiltinTemplateLoader
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)


def git(*args: str, cwd: Path) -> str | None:
    """The output of ``git *args`` run in *cwd*, or None if git cannot answer
    (no git installed, not a checkout, no commits)."""
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def git_dates(srcdir: Path) -> dict[str, str]:
    """Map each file under *srcdir* (path relative to it) to its last commit date."""
    log = git("log", "--relative", "--format=%x00%cs", "--name-only", "--", ".", cwd=srcdir)
    dates: dict[str, str] = {}
    date = ""
    for line in (log or "").splitlines():
        if line.startswith("\0"):
            date = line[1:]
        elif line:
            dates.setdefault(line, date)  # the log is newest first
    return dates


def remembered(compute, *, inputs: list[Path], versions: tuple[str, ...] = (), cache: Path):
    """``compute()``, a JSON value, kept in *cache* until one of the *inputs*
    files (or the installed version of a package in *versions*) changes.

    For work every build repeats with the same answer, like the numbers the
    prose quotes: on a hit, not even the modules that compute are imported.
    """
    digest = hashlib.sha256()
    for path in inputs:
        digest.update(path.read_bytes() + b"\0")
    for name in versions:
        digest.update(importlib.metadata.version(name).encode() + b"\0")
    key = digest.hexdigest()
    try:
        saved = json.loads(cache.read_text(encoding="utf-8"))
        if saved["inputs"] == key:
            return saved["value"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    value = compute()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"inputs": key, "value": value}, sort_keys=True), encoding="utf-8")
    return value


#: Each build's dates, looked up by its application. A module-level table
#: rather than an attribute on the builder: parallel writers are forked from
#: the main process and inherit it.
_DATES: weakref.WeakKeyDictionary[Sphinx, dict[str, str]] = weakref.WeakKeyDictionary()


def _on_builder_inited(app: Sphinx) -> None:
    _DATES[app] = git_dates(Path(app.srcdir))


def index_entry_name(name: str) -> markupsafe.Markup:
    """An entry of the general index, escaped, with a ``<wbr />`` after each
    dot of a dotted name: a line may break there, where on a phone it broke
    inside a name ("(dmls_examples.datasets.DeliveryPredi" / "ctions
    attribute)"). The template's ``|e`` leaves markup as it is."""
    escaped = str(markupsafe.escape(name))
    return markupsafe.Markup(_DOT_IN_NAME.sub(".<wbr />", escaped))


def _break_index_entries(context: dict) -> None:
    context["genindexentries"] = [
        (
            key,
            [
                (
                    index_entry_name(name),
                    (links, [(index_entry_name(sub), sublinks) for sub, sublinks in subs], cat),
                )
                for name, (links, subs, cat) in entries
            ],
        )
        for key, entries in context["genindexentries"]
    ]


#: The viewport tag docutils' HTML5 writer adds to a page's metadata. Every
#: theme's layout (basic, furo, the EPUB's) writes its own, and Sphinx passes
#: docutils' on too: each page had two.
_DOCUTILS_VIEWPORT = re.compile(r'<meta name="viewport" [^>]*/>\n?')


def _on_page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if "metatags" in context:
        context["metatags"] = _DOCUTILS_VIEWPORT.sub("", context["metatags"])
    if "genindexentries" in context:
        _break_index_entries(context)
    if context.get("last_updated") is None:
        return  # the theme shows no date (html_last_updated_fmt is None)
    date = None
    if doctree is not None:
        source = Path(app.env.doc2path(pagename, base=False)).as_posix()
        date = _DATES.get(app, {}).get(source)
    date = date or app.config.dmls_build_date
    if date:
        context["last_updated"] = date


class CachingTemplateLoader(BuiltinTemplateLoader):
    """Sphinx's template loader, keeping compiled templates between builds.

    Jinja compiles every theme template again in each build, a large part of
    what a rebuild of one page costs. Compiled templates are kept beside the
    builder's doctrees (conf.py: ``template_bridge``); Jinja checks each one
    against its template's modification time before using it.
    """

    def init(self, builder, theme=None, dirs=None) -> None:
        super().init(builder, theme, dirs)
        cache = Path(builder.doctreedir) / "jinja"
        cache.mkdir(parents=True, exist_ok=True)
        self.environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))


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

    def table(self, chapter: str, entries: list[dict]) -> list[nodes.Node]:
        # Three columns of prose and links scrolled sideways on a phone;
        # there each row is a card (dmls-common.css).
        result = super().table(chapter, entries)
        result[0]["classes"].append(CARDS)
        if self.env.app.builder.format == "latex":
            # LaTeX shares the width by the longest cell: the item numbers
            # took a column as wide as "Chapter 1", and a section's title
            # ran to three lines, "it" alone on the last.
            for colspec, width in zip(result[0].findall(nodes.colspec), (14, 54, 32), strict=True):
                colspec["colwidth"] = width
            result[0]["classes"].append("colwidths-given")
        return result


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


#: The class of a table that a phone shows as a card a row (dmls-common.css,
#: for the site and the EPUB), each cell labelled with its column's header,
#: instead of scrolling sideways.
CARDS = "dmls-cards"

#: A dot inside a long word of code, before the next part of a dotted name.
_DOT_IN_NAME = re.compile(r"\.(?=[A-Za-z_])")

#: A word of code shorter than this fits any line it starts, and never breaks.
_LONG_CODE_WORD = 16


def _break_after_dots(span: str) -> str:
    """``<span class="pre">WORD</span>``, as pieces a line may break between.

    Sphinx writes each word of inline code as such a span, meant not to wrap
    (its basic.css says ``white-space: nowrap``, which furo leaves out); a
    long dotted name is cut into one span per part, each ending in its dot,
    with ``<wbr />`` between them (self-closed, for the EPUB's XHTML).
    """
    start, end = '<span class="pre">', "</span>"
    if not (span.startswith(start) and span.endswith(end)):
        return span
    word = span[len(start) : -len(end)]
    if len(word) < _LONG_CODE_WORD:
        return span
    return _DOT_IN_NAME.sub(f".{end}<wbr />{start}", span)


#: The class of a card table's empty cell, which a phone does not show, and
#: of a row whose first cell is empty (the errata's page, given once for
#: its entries), which joins the card above. Classes, not ":has()" in the
#: stylesheet: EPUBCheck rejects the selector, and older readers ignore it.
EMPTY_CELL = "dmls-cards-empty"
CONTINUED_ROW = "dmls-cards-continued"


class MarkEmptyCardCells(SphinxPostTransform):
    """Give a card table's empty body cells ``EMPTY_CELL``, and a row that
    begins with one ``CONTINUED_ROW``; the writer renders classes."""

    default_priority = 400
    formats = ("html",)  # the EPUB builder's too

    def run(self, **kwargs) -> None:
        for table in self.document.findall(nodes.table):
            if CARDS not in table["classes"]:
                continue
            for body in table.findall(nodes.tbody):
                for row in body.findall(nodes.row):
                    cells = [cell for cell in row.children if isinstance(cell, nodes.entry)]
                    for cell in cells:
                        if not cell.astext().strip():
                            cell["classes"].append(EMPTY_CELL)
                    if cells and EMPTY_CELL in cells[0]["classes"]:
                        row["classes"].append(CONTINUED_ROW)


class AccessibleTranslator(HTML5Translator):
    """Sphinx's HTML writer, with four attributes that axe-core asks for,
    and code that breaks only between its words and after a dot.

    - Toctree captions get the ``aria-level`` that ``role="heading"``
      requires (aria-required-attr).
    - Code blocks, which scroll sideways on a phone, can take keyboard focus
      so they can be scrolled without a mouse (scrollable-region-focusable).
    - API signatures scroll likewise (dmls.css keeps their names whole), and
      furo hides the one link inside them, so they take focus too.
    - Bibliography entries are ``role="listitem"`` inside docutils'
      ``role="list"``: the ``doc-biblioentry`` role docutils uses is
      deprecated and not allowed in a list (aria-required-children).

    And a word of inline code keeps whole (dmls-common.css): "--help" broke
    after its "--"; a long dotted name may break after a dot, where it broke
    anywhere ("dmls_examples.interpretabil" / "ity" in the sidebar). A
    section's number keeps to its title's first word. Each cell of a card
    table (``CARDS``) carries its column's header as ``data-label``, which a
    phone shows as the cell's label (its empty cells get their class from
    :class:`MarkEmptyCardCells`, a transform: classes need no writer).

    Each method lets Sphinx's own visitor write the element and then amends
    the one start tag it wrote, so nothing of the upstream visitor is copied.
    A doctree transform cannot do this job: the writer renders a node's ids
    and classes into its start tag, never other attributes, and these
    tags are fixed strings inside the writer.
    """

    def __init__(self, document, builder) -> None:
        super().__init__(document, builder)
        # A section's number is joined to its title's first word, with a
        # no-break space: a long first word left "1.11." alone on a phone's
        # first line, "Interpretability" on the next.
        self.secnumber_suffix = self.secnumber_suffix.replace(" ", "\u00a0")
        # The column headers of each card table being written, innermost last.
        self._card_headers: list[list[str]] = []

    def _amend(self, node: nodes.Node, since: int, tag: str, amended: str) -> None:
        """Replace *tag* with *amended* in the output written from *since* on."""
        for index in range(since, len(self.body)):
            if tag in self.body[index]:
                self.body[index] = self.body[index].replace(tag, amended, 1)
                return
        logger.warning(
            "dmls_site: the HTML writer no longer writes %r here; update AccessibleTranslator",
            tag,
            location=node,
        )

    def visit_Text(self, node: nodes.Text) -> None:
        since = len(self.body)
        super().visit_Text(node)
        # Inline code only: an API signature's names stay whole and scroll.
        if self.protect_literal_text and isinstance(node.parent, nodes.literal):
            self.body[since:] = map(_break_after_dots, self.body[since:])

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        since = len(self.body)
        try:
            super().visit_literal_block(node)
        finally:
            self._amend(node, since, "<pre", '<pre tabindex="0"')

    def visit_desc_signature(self, node: addnodes.desc_signature) -> None:
        since = len(self.body)
        super().visit_desc_signature(node)
        self._amend(node, since, "<dt", '<dt tabindex="0"')

    def visit_citation(self, node: nodes.citation) -> None:
        since = len(self.body)
        super().visit_citation(node)
        self._amend(node, since, 'role="doc-biblioentry"', 'role="listitem"')

    def visit_table(self, node: nodes.table) -> None:
        headers = []
        if CARDS in node["classes"]:
            head = next(node.findall(nodes.thead), None)
            row = next(head.findall(nodes.row), None) if head else None
            headers = [entry.astext() for entry in row.children] if row else []
        self._card_headers.append(headers)
        super().visit_table(node)

    def depart_table(self, node: nodes.table) -> None:
        super().depart_table(node)
        self._card_headers.pop()

    def visit_entry(self, node: nodes.entry) -> None:
        since = len(self.body)
        super().visit_entry(node)
        headers = self._card_headers[-1] if self._card_headers else []
        column = node.parent.index(node)
        if headers and isinstance(node.parent.parent, nodes.tbody) and column < len(headers):
            label = html.escape(headers[column], quote=True)
            self._amend(node, since, "<td", f'<td data-label="{label}"')

    def visit_title(self, node: nodes.title) -> None:
        since = len(self.body)
        super().visit_title(node)
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            self._amend(node, since, 'role="heading"', 'role="heading" aria-level="2"')


def extensions_digest() -> str:
    """A digest of the code of the project's extensions, this folder's
    modules: any change to one changes it."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def module_pages_inputs(app: Sphinx) -> str:
    """A digest of what the highlighted-source pages are made from, besides
    the modules themselves: the extensions' code, conf.py and the settings
    given on the command line, the templates and static files, and the
    versions of Sphinx and the theme."""
    digest = hashlib.sha256(app.config.dmls_extensions_digest.encode())
    confdir = Path(app.confdir)
    folders = [*app.config.templates_path, *app.config.html_static_path]
    files = [confdir / "conf.py"]
    for folder in folders:
        if (confdir / folder).is_dir() and (confdir / folder).is_relative_to(confdir):
            files.extend(sorted(path for path in (confdir / folder).rglob("*") if path.is_file()))
    for path in files:
        digest.update(path.relative_to(confdir).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(repr(sorted(app.config.overrides.items())).encode())
    for name in ("sphinx", app.config.html_theme):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):  # a builtin theme
            digest.update(importlib.metadata.version(name).encode())
    return digest.hexdigest()


def _refresh_module_pages(app: Sphinx) -> None:
    """Remove the highlighted-source pages when what they are made from changed.

    sphinx.ext.viewcode writes a module's page again only when the module's
    file is newer than the page: after a change to an extension, conf.py or
    a template, the pages kept their old navigation and stylesheet links,
    even through a build with -E. They are written again once removed.
    """
    if "sphinx.ext.viewcode" not in app.extensions or app.builder.name not in _MODULE_PAGES_FOR:
        return
    stamp = Path(app.doctreedir) / "dmls-module-pages"
    inputs = module_pages_inputs(app)
    try:
        if stamp.read_text(encoding="utf-8") == inputs:
            return
    except OSError:
        pass
    shutil.rmtree(Path(app.outdir) / "_modules", ignore_errors=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(inputs, encoding="utf-8")


#: The builders sphinx.ext.viewcode writes module pages for (not the EPUB,
#: where viewcode_enable_epub is off).
_MODULE_PAGES_FOR = ("html", "dirhtml", "singlehtml")


def setup(app: Sphinx) -> dict:
    # Sphinx reads a page again when its source or an "env" setting changes,
    # never when an extension's code does: after an edit to a directive or
    # a transform, an incremental build kept the pages the old code made.
    # The extensions' digest is such a setting, so their code counts as one.
    app.add_config_value("dmls_extensions_digest", extensions_digest(), "env", types=[str])
    for builder in ("html", "epub"):
        app.set_translator(builder, AccessibleTranslator)
    app.add_config_value("dmls_build_date", None, "html", types=frozenset({str, type(None)}))
    app.add_directive("seed-map", SeedMapDirective)
    app.add_directive("book-map", BookMapDirective)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("builder-inited", _refresh_module_pages)
    app.connect("html-page-context", _on_page_context)
    app.add_post_transform(MarkEmptyCardCells)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
