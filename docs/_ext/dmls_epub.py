"""The EPUB as an e-book: a cover, honest metadata, and only the files it uses.

Sphinx's EPUB 3 builder, extended where an e-reader or EPUBCheck needs more:

- A cover image, drawn at build time with matplotlib (already needed for the
  figures), so nothing binary is kept in the repository.
- Pages that contain MathML are declared so in the package document
  (``properties="mathml"``), as EPUB 3 requires; the cover image is declared
  as such (``properties="cover-image"``).
- The NCX carries the same identifier as the package document.
- The table of contents lists chapters, pages and their sections, as the
  PDF's does, but not every function and constant of the API reference:
  those are in the index.
- Files the book never references (the theme's scripts and icons, the
  sphinx-design stylesheet on a book without grids, ...) are left out.
- Empty metadata elements are left out instead of saying "unknown".
- The book is dated by conf.py's ``dmls_build_date`` (the last commit's
  day), as the HTML is, not by the clock or the process environment; so is
  every file inside it, where Sphinx's packing takes each file's
  modification time, so that two builds of one commit give the same bytes.
"""

from __future__ import annotations

import html
import posixpath
import re
import textwrap
from pathlib import Path
from statistics import NormalDist
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from pygments.formatters import HtmlFormatter
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Cover size in pixels: the 1:1.5 portrait most e-book stores ask for.
COVER_SIZE = (1600, 2400)
_REFERENCE = re.compile(r"""(?:href|src|srcset)="([^"#?]+)[^"]*"|url\(\s*['"]?([^'")#?]+)""")


def draw_cover(path: Path, title: str, subtitle: str, description: str, author: str) -> None:
    """Write the cover as a PNG: the title over a long-tailed latency curve."""
    import matplotlib

    matplotlib.use("Agg")
    import numpy as np
    from matplotlib.figure import Figure

    width, height = COVER_SIZE
    dpi = 200
    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor="#14324f")
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1.5)
    # A log-normal density: most requests are fast, a few are very slow.
    x = np.linspace(0.001, 1, 400)
    density = np.exp(-((np.log(x / 0.18)) ** 2) / (2 * 0.5**2)) / x
    curve = 0.12 + 0.38 * density / density.max()
    axes.fill_between(x, 0.12, curve, color="#2f6f9f", linewidth=0)
    axes.plot(x, curve, color="#f2a541", linewidth=3)
    for quantile, label in ((0.5, "p50"), (0.9, "p90"), (0.99, "p99")):
        at = 0.18 * np.exp(0.5 * NormalDist().inv_cdf(quantile))
        axes.plot([at, at], [0.12, 0.6], color="#f2f2f2", linewidth=1.5, linestyle=(0, (4, 3)))
        axes.text(at, 0.63, label, color="#f2f2f2", ha="center", fontsize=14)
    axes.text(0.08, 1.32, "\n".join(textwrap.wrap(title, 16)), color="white", fontsize=34,
              fontweight="bold", va="top", linespacing=1.15)  # fmt: skip
    axes.text(0.08, 1.04, subtitle, color="#f2a541", fontsize=26, va="top")
    axes.text(0.08, 0.93, "\n".join(textwrap.wrap(description, 38)), color="#d8e2ec",
              fontsize=15, va="top", linespacing=1.4)  # fmt: skip
    axes.text(0.08, 0.045, author, color="#d8e2ec", fontsize=14, va="bottom")
    figure.savefig(path, dpi=dpi, metadata={"Software": None})


def referenced_files(outdir: Path, exclude=()) -> set[str]:
    """Every file, relative to *outdir*, that a page or a stylesheet it loads refers to.

    Pages named in *exclude* (left out of the book) do not count.
    """
    pages = (p.relative_to(outdir).as_posix() for p in outdir.rglob("*.xhtml"))
    pending = [page for page in pages if page not in exclude]
    found = set(pending)
    while pending:
        name = pending.pop()
        path = outdir / name
        if not path.is_file() or path.suffix not in (".xhtml", ".css"):
            continue
        for match in _REFERENCE.finditer(path.read_text(encoding="utf-8", errors="replace")):
            target = html.unescape(match.group(1) or match.group(2)).strip()
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target):
                continue  # an absolute URL, mailto:, data: ...
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            if resolved not in found:
                found.add(resolved)
                pending.append(resolved)
    return found


#: Where a wrapped line of code may break: after an operator (Pygments'
#: class "o": "=", "+", the dot of "np.random"), after an opening bracket,
#: colon or semicolon ("p"), and after any comma, in a string or an output
#: too ("path,latency_ms"). The dot is needed: no other point cuts
#: "BATCHING_SCENARIO.steady_batch_size()," to a phone's page.
_BREAK_AFTER = re.compile(r'<span class="o">[^<]*</span>|<span class="p">[^<]*[(\[{:;]</span>|,')

#: The braces of an f-string's fields ("si"; "}{" between two fields is one
#: token): a line may break after each field's "}".
_FIELD_BRACES = re.compile(r'<span class="si">[^<]*\}[^<]*</span>')

#: A command-line option in code ("--field"), kept whole: a line broke after
#: its "--", as after any hyphen.
_OPTION = re.compile(r"(?<![\w-])--[A-Za-z][\w-]*")


#: The text of a link in the contents that is a dotted name, and a dot in it
#: before a name.
_DOTTED_LINK_TEXT = re.compile(r"(?<=>)[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?=</a>)")
_DOT_IN_NAME = re.compile(r"\.(?=[A-Za-z_])")

#: A word of inline code (Sphinx writes each as a ``<span class="pre">``),
#: and an underscore or slash in it between letters or digits. The
#: stylesheet keeps a word whole where it fits a line, and wraps it only
#: where it is longer than the line (dmls-epub.css), at these points first:
#: "take_rate_difference_" / "interval()", not "take_rate_difference_interv" /
#: "al()", and "dmls_" / "examples." in a title, not "dmls_exampl" / "es.".
#: At 200% on a 375-pixel page the first ran 125 pixels past the edge.
_CODE_WORD = re.compile(r'(?<=<span class="pre">)[^<]+(?=</span>)')
_BREAK_IN_WORD = re.compile(r"(?<=[A-Za-z0-9][_/])(?=[A-Za-z0-9])")

#: A module's dotted name in the module index, which Sphinx writes as one
#: word: "dmls_examples.interpretability" held its table 123 pixels past a
#: phone's page at a reader's 200%.
_INDEXED_MODULE = re.compile(r'(?<=<code class="xref">)[A-Za-z_][\w.]*(?=</code>)')

#: A word of inline code (a ``<span class="pre">``, its <wbr /> included)
#: that ends its ``<code>``, or its link, right before closing punctuation,
#: and inline code, or a link to it, right after opening punctuation. The
#: stylesheet sets each word of code as a box of its own (dmls-epub.css),
#: and a browser may break a line on either side of such a box: "linear" /
#: ", interpolates" began a line with a comma, and "timeout (" /
#: "max_batch_size" ended one with a bracket. The word and its punctuation
#: go in a no-break span: the last word itself, as the code's other words
#: still break between them, or the bracket with the whole code, whose
#: words the stylesheet lets break again.
_PRE = r'<span class="pre">(?:[^<]|<wbr />)*</span>'
_NOBREAK = '<span class="dmls-nobreak">'
_CODE_BEFORE_CLOSING = re.compile(
    rf"(?<!{re.escape(_NOBREAK)}){_PRE}(?=</code>(?:</a>)?[,.;:!?)\]’”])"
)
_OPENING_BEFORE_CODE = re.compile(
    rf"(?<!{re.escape(_NOBREAK)})[(\[‘“](?:<a [^>]*>)?"
    r'<code class="[^"]*\bliteral\b[^"]*">.*?</code>(?:</a>)?',
    re.S,
)

#: The module part of a signature's name ("dmls_examples.datasets."): it may
#: break after a dot too, where it broke only after "dmls_", and the rest,
#: "examples.datasets.BatchLimitChoice(server", too long for a phone's line,
#: broke where it ran out, before the comma that followed.
_SIGNATURE_MODULE = re.compile(
    r'(?<=<span class="sig-prename descclassname"><span class="pre">)[^<]*(?:<wbr />[^<]*)*'
)

#: The text of a link that is a URL ("https://doi.org/10.1109/TSMCC.2008.919172"),
#: and a slash in it after its "//": a URL breaks after a slash, as in the
#: PDF. One longer than the line broke where it ran out, and the full stop
#: after it stood alone on the next line.
_URL_LINK_TEXT = re.compile(
    r'(?<=<a class="reference external" href=")([^"]*)(">)(https?://)([^<]+)(?=</a>)'
)
_SLASH_IN_URL = re.compile(r"/(?=[^/<])")
_DOT = re.compile(r"\.(?!<wbr />)")

#: A table of the pages' text (docutils'), and its end. Sphinx's writer
#: puts nothing around a table, and none of the book's is nested. A table
#: already in its box (a page an incremental build did not write again) is
#: left as it is.
_TABLE_BOX = '<div class="dmls-table-box" tabindex="0">'
_TABLE = re.compile(
    rf'(?<!{re.escape(_TABLE_BOX)})<table class="[^"]*\bdocutils\b.*?</table>', re.S
)


def with_breaks(line: str) -> str:
    """A line of Pygments' HTML with a ``<wbr />`` at each point
    ``_BREAK_AFTER`` names and after each f-string field, and each option
    in a no-break span: a line too long for the page wraps there, where it
    broke inside a name ("rule_order" / "s") or an option ("--" / "field")."""
    line = _BREAK_AFTER.sub(lambda match: match.group() + "<wbr />", line)
    line = _FIELD_BRACES.sub(lambda match: match.group().replace("}", "}<wbr />"), line)
    return _OPTION.sub(lambda match: f'<span class="dmls-nobreak">{match.group()}</span>', line)


def _nobreak(markup: str) -> str:
    return f"{_NOBREAK}{markup}</span>"


def for_a_narrow_page(page: str) -> str:
    """A page's XHTML with a ``<wbr />`` after each underscore and slash of
    a word of inline code, after each dot of a module's name in the module
    index and in a signature, and after each slash of a URL a link shows;
    inline code and the punctuation it touches in a no-break span; and
    each table of text in a box of its own.

    A reader's page is narrow and its font may be twice the default: a long
    name ("take_rate_difference_interval()") is wider than a phone's line,
    and a table of three columns of prose is wider than the page. The word
    wraps at these points, and a table that its longest words keep wider
    than the page scrolls inside its box (dmls-epub.css), where it made the
    whole page scroll sideways. The box takes keyboard focus, so that it
    can be scrolled without touch, as the site's code blocks do.
    """
    page = _CODE_WORD.sub(lambda match: _BREAK_IN_WORD.sub("<wbr />", match.group()), page)
    page = _CODE_BEFORE_CLOSING.sub(lambda match: _nobreak(match.group()), page)
    page = _OPENING_BEFORE_CODE.sub(lambda match: _nobreak(match.group()), page)
    page = _SIGNATURE_MODULE.sub(lambda match: _DOT.sub(".<wbr />", match.group()), page)
    page = _URL_LINK_TEXT.sub(
        lambda match: "".join(match.group(1, 2, 3)) + _SLASH_IN_URL.sub("/<wbr />", match.group(4)),
        page,
    )
    page = _INDEXED_MODULE.sub(lambda match: _DOT_IN_NAME.sub(".<wbr />", match.group()), page)
    return _TABLE.sub(lambda match: f"{_TABLE_BOX}{match.group()}</div>", page)


class LineByLineFormatter(HtmlFormatter):
    """Pygments' HTML with each line of code in a ``<span class="line">``.

    An e-reader's page is narrow and the book's code wraps (dmls-epub.css):
    as one run of text, the rest of a long line started at the left edge
    and read as a line of its own, or as output. A line of its own is a
    block whose wrapped rest the stylesheet indents under its start, and
    it wraps after an operator, dot, bracket or comma (:func:`with_breaks`) where
    it can, and anywhere only where it cannot.
    """

    def wrap(self, source):
        lines = (
            (kind, f'<span class="line">{with_breaks(text)}</span>' if kind == 1 else text)
            for kind, text in source
        )
        return super().wrap(lines)


#: The files an EPUB opens with, in this order; "mimetype" first and stored
#: uncompressed, as the OCF container format requires.
_PACKAGE_FILES = ("mimetype", "META-INF/container.xml", "content.opf", "toc.ncx")


def pack(outdir: Path, target: Path, files, day: str | None) -> None:
    """Zip *outdir*'s package files and then *files* into the EPUB *target*.

    Each entry is dated *day* ("YYYY-MM-DD", midnight UTC) and readable by
    all, whatever the files' modification times and the umask, so the bytes
    depend only on the contents. Without a day, entries take the files' own
    times, as Sphinx's packing does.
    """
    stamp = None if day is None else (*map(int, day.split("-")), 0, 0, 0)
    with ZipFile(target, "w", ZIP_DEFLATED) as epub:
        for name in (*_PACKAGE_FILES, *files):
            path = outdir / name
            compression = ZIP_STORED if name == "mimetype" else ZIP_DEFLATED
            if stamp is None:
                epub.write(path, name, compression)
                continue
            entry = ZipInfo(name, date_time=stamp)
            entry.compress_type = compression
            entry.external_attr = 0o644 << 16
            epub.writestr(entry, path.read_bytes())


class BookEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder with a cover, MathML flags, code set line by
    line and no unused files."""

    def init(self) -> None:
        super().init()
        # Each page says its language, as the package does: a reader
        # hyphenates (the tables' cells ask it to) and reads aloud by the
        # page's language, and Sphinx's EPUB pages name none.
        language = self.config.language
        self.html_tag = self.html_tag.replace(
            "<html ", f'<html lang="{language}" xml:lang="{language}" ', 1
        )

    def init_highlighter(self) -> None:
        super().init_highlighter()
        self.highlighter.formatter = LineByLineFormatter

    def build_content(self) -> None:
        if self.config.epub_cover:
            cover = self.outdir / self.config.epub_cover[0]
            cover.parent.mkdir(parents=True, exist_ok=True)
            subtitle = "executable notes"
            title = self.config.epub_title.split(",")[0]
            description = "On chapters 1 and 2 of Chip Huyen's Designing Machine Learning Systems"
            draw_cover(cover, title, subtitle, description, self.config.epub_author)
        self._drop_unused_files()
        for page in sorted(self.outdir.rglob("*.xhtml")):
            text = page.read_text(encoding="utf-8")
            page.write_text(for_a_narrow_page(text), encoding="utf-8")
        super().build_content()
        self._complete_package_document()

    def get_toc(self) -> None:
        super().get_toc()
        # Sphinx lists each documented Python object in the page's contents,
        # which suits the HTML's "On this page"; in the book's contents they
        # were 150 entries, more than all the chapters' sections together.
        objects = {
            f"{entry.docname}{self.out_suffix}#{entry.node_id}"
            for entry in self.env.get_domain("py").objects.values()
        }
        self.refnodes = [
            node for node in self.refnodes if html.unescape(node["refuri"]) not in objects
        ]

    def build_navigation_doc(self) -> None:
        super().build_navigation_doc()
        # A module's dotted name in the contents ("dmls_examples.
        # interpretability") may break after its dots, as in the index: at
        # a reader's 125% on a phone's page it ran 23 pixels past the edge.
        nav = self.outdir / "nav.xhtml"
        text = nav.read_text(encoding="utf-8")
        text = _DOTTED_LINK_TEXT.sub(
            lambda match: _DOT_IN_NAME.sub(".<wbr />", match.group()), text
        )
        nav.write_text(text, encoding="utf-8")

    def _drop_unused_files(self) -> None:
        used = referenced_files(self.outdir, exclude=self.config.epub_exclude_files)
        if self.config.epub_cover:
            used.add(self.config.epub_cover[0])
        for folder in ("_static", "_images"):
            for path in sorted((self.outdir / folder).rglob("*")):
                if path.is_file() and path.relative_to(self.outdir).as_posix() not in used:
                    path.unlink()

    def _complete_package_document(self) -> None:
        opf = self.outdir / "content.opf"
        text = opf.read_text(encoding="utf-8")
        with_maths = {
            html.escape(path.relative_to(self.outdir).as_posix())
            for path in self.outdir.rglob("*.xhtml")
            if "<math" in path.read_text(encoding="utf-8")
        }
        cover = html.escape(self.config.epub_cover[0]) if self.config.epub_cover else None

        def declare(match: re.Match) -> str:
            href = match.group(1)
            if href in with_maths:
                return match.group(0).replace(" />", ' properties="mathml" />')
            if href == cover:
                return match.group(0).replace(" />", ' properties="cover-image" />')
            return match.group(0)

        text = re.sub(r'<item id="[^"]*" href="([^"]*)" media-type="[^"]*" />', declare, text)
        text = re.sub(r"\s*<dc:(\w+)>(unknown)?</dc:\1>", "", text)
        opf.write_text(text, encoding="utf-8")

    def content_metadata(self) -> dict:
        metadata = super().content_metadata()
        if date := getattr(self.config, "dmls_build_date", None):
            metadata["date"] = html.escape(f"{date}T00:00:00Z")
        return metadata

    def build_epub(self) -> None:
        outname = self.config.epub_basename + ".epub"
        logger.info("writing %s file...", outname)
        day = getattr(self.config, "dmls_build_date", None)
        pack(self.outdir, self.outdir / outname, self.files, day)

    def toc_metadata(self, level, navpoints):
        metadata = super().toc_metadata(level, navpoints)
        # EPUBCheck: the NCX's dtb:uid must be the package's identifier itself.
        metadata["uid"] = html.escape(self.config.epub_identifier)
        return metadata


def setup(app: Sphinx) -> dict:
    app.add_builder(BookEpubBuilder, override=True)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
