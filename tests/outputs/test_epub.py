"""The EPUB is an e-book: EPUBCheck-clean, with its pages, figures and maths.

It carries real metadata and a cover, shows formulas as MathML (never TeX),
wraps code, cites under the bibliography's own labels, and ships no file it
does not use.
"""

import html
import posixpath
import re
import shutil
import struct
import subprocess
import zipfile
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import pytest
from card_tables import MEASURE_CARDS, check_cards

from .conftest import (
    DOCS,
    EPUB,
    RAW_TEX,
    bibliography_entries,
    cited_labels,
    figure_count,
    last_commit_day,
    printed_pages,
    require,
)

pytestmark = pytest.mark.outputs
EPUBCHECK_JARS = [Path("/usr/share/java/epubcheck.jar")]
XHTML = {"x": "http://www.w3.org/1999/xhtml"}
CHAPTERS = ["chapter-1/index.xhtml", "chapter-2/index.xhtml"]
#: The reference pages, listed after the case study and before the solutions.
APPENDICES = {
    "glossary.xhtml",
    "use-on-your-data.xhtml",
    "api.xhtml",
    "errata.xhtml",
    "seed-map.xhtml",
    "references.xhtml",
}


def epubcheck_command() -> list[str]:
    """Debian ships EPUBCheck as a jar; run it with java when binfmt is absent."""
    for jar in EPUBCHECK_JARS:
        if jar.is_file() and shutil.which("java"):
            return ["java", "-jar", str(jar)]
    if shutil.which("epubcheck"):
        return ["epubcheck"]
    pytest.fail("EPUBCheck not found: sudo apt-get install epubcheck")


def test_epubcheck_finds_no_error():
    result = subprocess.run(
        [*epubcheck_command(), str(require(EPUB))], capture_output=True, text=True, check=False
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "ERROR" not in report, report
    assert "FATAL" not in report, report
    assert "WARNING" not in report, report


def test_epub_holds_every_page_and_figure():
    with zipfile.ZipFile(require(EPUB)) as book:
        names = book.namelist()
    for page in printed_pages():
        assert page.relative_to(DOCS).with_suffix(".xhtml").as_posix() in names
    images = [name for name in names if name.startswith("_images/")]
    assert len(images) >= sum(figure_count(page) for page in printed_pages())


@cache
def read_book() -> dict[str, str]:
    """The text files of the EPUB, by name, read once for every test."""
    with zipfile.ZipFile(require(EPUB)) as book:
        return {
            name: book.read(name).decode("utf-8")
            for name in book.namelist()
            if name.endswith((".xhtml", ".opf", ".ncx", ".css", ".xml"))
        }


def book_pages() -> dict[str, str]:
    """The EPUB's pages (its XHTML files), by name, in order of name."""
    return {name: text for name, text in sorted(read_book().items()) if name.endswith(".xhtml")}


def page_text(xhtml: str) -> str:
    """What a reader sees of a page: its text, without code blocks or markup."""
    body = re.sub(r"<pre.*?</pre>", " ", xhtml, flags=re.S)
    body = re.sub(r"<(script|style|head).*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def nav_entries(ol: ElementTree.Element) -> list[tuple[str, list]]:
    """The entries of a list in nav.xhtml, in order: (href, the entries beneath it)."""
    entries = []
    for item in ol.findall("x:li", XHTML):
        beneath = item.find("x:ol", XHTML)
        href = item.find("x:a", XHTML).get("href")
        entries.append((href, [] if beneath is None else nav_entries(beneath)))
    return entries


def contents() -> list[tuple[str, list]]:
    """The book's table of contents, from nav.xhtml."""
    nav = ElementTree.fromstring(read_book()["nav.xhtml"])
    return nav_entries(nav.find(".//x:nav/x:ol", XHTML))


def hrefs(entries: list[tuple[str, list]]) -> list[str]:
    return [href for entry, beneath in entries for href in (entry, *hrefs(beneath))]


def test_epub_contents_list_every_page_under_its_chapter():
    top = contents()
    printed = {page.relative_to(DOCS).with_suffix(".xhtml").as_posix() for page in printed_pages()}
    pages = [href for href in hrefs(top) if "#" not in href]
    assert printed - set(pages) == set(), "pages missing from nav.xhtml"
    assert len(pages) == len(set(pages)), "a page listed twice"
    titles = [href for href, _ in top]
    assert titles[:4] == ["index.xhtml", *CHAPTERS, "case-study.xhtml"]
    assert set(titles[4:-1]) == APPENDICES
    assert titles[-1] == "solutions.xhtml"
    for chapter, beneath in top[1:3]:
        folder = chapter.rsplit("/", 1)[0]
        own = {href for href in printed if href.startswith(folder + "/") and href != chapter}
        assert own <= {href for href, _ in beneath}, chapter
    # The API's functions are in the index, not in the contents.
    assert not [href for href in hrefs(top) if "#dmls_examples." in href]


def test_epub_ncx_lists_what_the_nav_lists():
    ncx = read_book()["toc.ncx"]
    listed = set(re.findall(r'<content src="([^"]+)"', ncx))
    assert listed == set(hrefs(contents()))


def test_epub_has_real_metadata():
    opf = read_book()["content.opf"]
    field = {
        name: html.unescape(value)
        for name, value in re.findall(r"<dc:(\w+)[^>]*>([^<]*)</dc:\1>", opf)
    }
    assert "unknown" not in field.values()
    assert field["title"] == "Designing ML Systems, executable notes"
    assert field["creator"]
    assert "Designing Machine Learning Systems" in field["description"]
    assert field["language"] == "en"
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", field["identifier"])
    assert f'content="{field["identifier"]}"' in read_book()["toc.ncx"]
    modified = re.search(r'<meta property="dcterms:modified">([^<]+)<', opf).group(1)
    assert field["date"] == modified
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified)
    # Dated by the commit, not by the day of the build.
    assert modified.startswith(last_commit_day().isoformat())


def test_every_file_in_the_book_is_dated_by_the_commit():
    """Sphinx dates each entry of the zip by the file's modification time,
    so two builds of one commit differed in their bytes."""
    day = last_commit_day()
    with zipfile.ZipFile(EPUB) as book:
        dates = {entry.date_time for entry in book.infolist()}
    assert dates == {(day.year, day.month, day.day, 0, 0, 0)}


def test_every_page_names_the_books_language():
    """Hyphenation and read-aloud take a page's language from its own tag;
    Sphinx's EPUB pages had none."""
    language = re.search(r"<dc:language>([^<]+)<", read_book()["content.opf"]).group(1)
    for name, xhtml in book_pages().items():
        tag = re.search(r"<html\b[^>]*>", xhtml).group()
        assert f' lang="{language}"' in tag, name
        assert f' xml:lang="{language}"' in tag, name


def test_epub_has_a_cover_image():
    opf = read_book()["content.opf"]
    cover = re.search(r'<item [^>]*href="([^"]+)"[^>]*properties="cover-image"', opf)
    assert cover, "no manifest item is the cover image"
    with zipfile.ZipFile(require(EPUB)) as book:
        image = book.read(cover.group(1))
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", image[16:24])
    assert (width, height) == (1600, 2400)
    first = re.search(r'<itemref idref="([^"]+)"', opf).group(1)
    cover_page = re.search(rf'<item id="{first}" href="([^"]+)"', opf).group(1)
    assert cover.group(1).rsplit("/", 1)[-1] in read_book()[cover_page]


def test_no_raw_tex_in_the_epub():
    pages = book_pages()
    found = {name: RAW_TEX.findall(page_text(text)) for name, text in pages.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}
    assert sum("<math" in text for text in pages.values()) >= 3, "the formulas are gone"


def test_pages_with_maths_declare_it():
    book = read_book()
    opf = book["content.opf"]
    for name, text in book_pages().items():
        if "<math" in text:
            assert re.search(rf'href="{re.escape(name)}"[^>]*properties="mathml"', opf), name


def test_epub_holds_only_files_it_uses():
    with zipfile.ZipFile(require(EPUB)) as book:
        names = set(book.namelist())
    texts = read_book()
    assert not [name for name in names if name.endswith(".js")]
    package = {"mimetype", "META-INF/container.xml", "content.opf", "toc.ncx", "nav.xhtml"}
    referenced = set()
    for name, text in texts.items():
        folder = posixpath.dirname(name)
        for target in re.findall(r'(?:href|src|srcset)="([^"#?:]+)|url\(["\']?([^"\')#?:]+)', text):
            target = target[0] or target[1]
            referenced.add(posixpath.normpath(posixpath.join(folder, html.unescape(target))))
    unused = sorted(name for name in names - package if name not in referenced)
    assert unused == []


def test_code_wraps_instead_of_being_clipped():
    book = read_book()
    stylesheets = {
        posixpath.normpath(posixpath.join(posixpath.dirname(name), href))
        for name, text in book_pages().items()
        if "<pre" in text
        for href in re.findall(r'<link rel="stylesheet"[^>]*href="([^"]+)"', text)
    }
    rules = "".join(book[sheet] for sheet in stylesheets)
    assert re.search(r"(^|\n)pre\s*\{[^}]*white-space:\s*pre-wrap", rules)


def test_epub_bibliography_uses_the_labels_the_text_cites():
    book = read_book()
    listed = [
        html.unescape(label)
        for label in re.findall(
            r'<span class="label"><span class="fn-bracket">\[</span>(.*?)<span',
            book["references.xhtml"],
        )
    ]
    assert len(listed) == len(bibliography_entries())
    assert listed == sorted(listed, key=str.casefold)
    cited = set()
    for name, text in book_pages().items():
        if name != "references.xhtml":
            cited |= cited_labels(page_text(text))
    assert cited, "no citation found"
    assert cited - set(listed) == set()
    assert "Amazon's" in page_text(book["references.xhtml"])


def test_code_lines_wrap_under_their_start():
    """A long line of code wraps on an e-reader's page; as one run of text
    its rest began at the left edge and read as a new line, or as output.
    Each line of every code block is a block of its own, and the stylesheet
    indents the rest of a line that wraps."""
    book = read_book()
    blocks = 0
    for name, text in book_pages().items():
        for pre in ElementTree.fromstring(text).iter(f"{{{XHTML['x']}}}pre"):
            blocks += 1
            loose = (pre.text or "") + "".join(child.tail or "" for child in pre)
            lines = [child for child in pre if child.get("class") == "line"]
            assert loose.strip() == "", f"{name}: code outside a line: {loose.strip()[:40]!r}"
            assert "".join("".join(line.itertext()) for line in lines) == "".join(pre.itertext())
    assert blocks >= 100
    rules = book["_static/dmls-epub.css"]
    hang = re.search(r"pre span\.line\s*\{([^}]*)\}", rules)
    assert hang
    assert "display: block" in hang.group(1)
    assert re.search(r"text-indent:\s*-", hang.group(1))
    assert re.search(r"padding-left:\s*\d", hang.group(1))


def test_figures_offer_a_phone_their_narrow_drawing():
    """A figure drawn for a wide column and shrunk to a phone's page had
    text of five pixels. As on the site, a narrow page gets the drawing made
    for it, and the figure takes the page's whole width."""
    book = read_book()
    with zipfile.ZipFile(require(EPUB)) as epub:
        names = set(epub.namelist())
    figures = 0
    for name, text in book_pages().items():
        for figure in ElementTree.fromstring(text).iter(f"{{{XHTML['x']}}}figure"):
            if figure.find(".//x:img", XHTML) is None:
                continue
            figures += 1
            source = figure.find("x:picture/x:source", XHTML)
            image = figure.find("x:picture/x:img", XHTML)
            assert source is not None, name
            assert image is not None, name
            folder = posixpath.dirname(name)
            narrow = posixpath.normpath(posixpath.join(folder, source.get("srcset")))
            assert narrow.endswith("-narrow-light.svg")
            assert narrow in names
            assert image.get("src").endswith("-light.svg")
            assert "-narrow-" not in image.get("src")
            assert source.get("media")
    assert figures == sum(figure_count(page) for page in printed_pages())
    assert re.search(r"figure\s*\{[^}]*margin-left:\s*0", book["_static/dmls-epub.css"])


def loaded_rules(book: dict[str, str], page: str) -> str:
    """The stylesheets *page* links, in the order it links them, as one text."""
    folder = posixpath.dirname(page)
    return "".join(
        book[posixpath.normpath(posixpath.join(folder, href))]
        for href in re.findall(r'<link rel="stylesheet"[^>]*href="([^"]+)"', book[page])
    )


def test_long_links_and_the_index_fit_a_narrow_page():
    """On a phone's page the references' longest URLs ran 370 pixels past
    the edge and the index's second column began there: links break at the
    edge, and on a narrow page the index's columns follow each other. A long
    entry of the index breaks after a dot of a dotted name, where it broke
    inside the name ("DeliveryPredi" / "ctions")."""
    book = read_book()
    rules = book["_static/dmls-epub.css"]
    body = re.search(r"(?:^|\n)body\s*\{([^}]*)\}", rules)
    assert body
    assert re.search(r"overflow-wrap:\s*(break-word|anywhere)", body.group(1))
    index_rules = loaded_rules(book, "genindex.xhtml")
    narrow = re.search(r"@media \(max-width: [\d.]+em\)\s*\{(.*?)\n\}", index_rules, re.S)
    assert narrow
    assert re.search(r"table\.genindextable td[^{]*\{[^}]*display: block", narrow.group(1))
    index = book["genindex.xhtml"]
    assert "(dmls_examples.<wbr />datasets.<wbr />DeliveryPredictions attribute)" in index
    assert not re.search(r"dmls_examples\.(?!<wbr />)\w", page_text_with_breaks(index))


def page_text_with_breaks(xhtml: str) -> str:
    """The index's entries as text, keeping their ``<wbr />``."""
    return re.sub(r"<(?!wbr />)[^>]+>", "", xhtml)


def rule_blocks(css: str) -> set[str]:
    """The rules of a stylesheet, each with the @media it sits in, with
    comments and spacing removed, so that two copies of a rule compare equal."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    blocks, media = set(), ""
    for match in re.finditer(r"(@media[^{]*)\{|([^{}]+)\{([^}]*)\}|\}", css):
        if match.group(1):
            media = " ".join(match.group(1).split())
        elif match.group(2):
            rule = " ".join(f"{media} {match.group(2)} {{{match.group(3)}}}".split())
            blocks.add(rule)
        else:
            media = ""
    return blocks


def test_the_site_and_the_book_share_their_common_rules():
    """A rule both the site and the EPUB need lives once, in dmls-common.css,
    which both load: the index's stacked columns were written twice, in
    dmls.css and dmls-epub.css, and one copy could change without the other."""
    static = DOCS / "_static"
    site = rule_blocks((static / "dmls.css").read_text())
    book = rule_blocks((static / "dmls-epub.css").read_text())
    assert site
    assert book
    assert site & book == set()
    common = rule_blocks((static / "dmls-common.css").read_text())
    assert any("genindextable" in rule for rule in common)
    pages = book_pages()
    linking = [name for name, text in pages.items() if "dmls-common.css" in text]
    assert len(linking) == len([text for text in pages.values() if "dmls-epub.css" in text])
    assert "genindex.xhtml" in linking
    # The seed map's and the errata's tables are cards on a phone by the
    # site's own rule, not a copy of it.
    assert any("td[data-label]::before" in rule and "attr(data-label)" in rule for rule in common)
    assert not [rule for rule in book if "dmls-cards" in rule]
    assert {"seed-map.xhtml", "errata.xhtml"} <= set(linking)


#: Characters of code a 375-pixel page holds on a wrapped line, past the
#: indent under the line's start.
PHONE_CODE_COLUMNS = 36


def code_runs(line: ElementTree.Element) -> list[tuple[str, int]]:
    """The runs of a line of code between the points where it may wrap (a
    space, a ``<wbr />``), each with the number of tokens it takes from."""
    runs: list[list] = [["", set()]]

    def add(text: str, token: int) -> None:
        for index, piece in enumerate(re.split(r"(\s+)", text)):
            if index % 2:
                runs.append(["", set()])
            elif piece:
                runs[-1][0] += piece
                runs[-1][1].add(token)

    def walk(element: ElementTree.Element, token: int) -> None:
        add(element.text or "", token)
        for child in element:
            if child.tag.endswith("wbr"):
                runs.append(["", set()])
            else:
                walk(child, id(child) if child.get("class") != "dmls-nobreak" else token)
            add(child.tail or "", token)

    walk(line, id(line))
    return [(text, len(tokens)) for text, tokens in runs if text]


def test_long_code_lines_break_between_tokens():
    """On a phone's page a long line of code wrapped inside a name
    ("take_rate_difference_interval(rule_order" / "s, shown"): its runs
    without a space held several tokens and no point to break at. Each line
    may break after an operator, a dot, an opening bracket or a comma, so a
    run too long for the page is one token that has none (a long string).
    An option ("--field") never breaks after its "--"."""
    book = read_book()
    too_long, options = [], 0
    for name, text in book_pages().items():
        for pre in ElementTree.fromstring(text).iter(f"{{{XHTML['x']}}}pre"):
            for line in pre:
                for run, tokens in code_runs(line):
                    if len(run) > PHONE_CODE_COLUMNS and tokens > 1:
                        too_long.append(f"{name}: {run}")
                for part in line.iter():
                    option = re.compile(r"(?<![\w-])--[A-Za-z]")
                    if option.search(part.text or ""):
                        options += 1
                        assert part.get("class") == "dmls-nobreak", (name, part.text)
                    assert not option.search(part.tail or ""), (name, part.tail)
    assert too_long == []
    assert options >= 5
    rules = loaded_rules(book, "use-on-your-data.xhtml")
    assert re.search(r"\.dmls-nobreak\s*\{[^}]*white-space:\s*nowrap", rules)


#: A phone-size reader's page, and a wide one (a tablet held upright).
PHONE_PAGE = {"width": 375, "height": 740}
WIDE_PAGE = {"width": 768, "height": 1024}

#: A reader's larger font settings, as a reader applies them: to the root
#: element's font size, which every size of the stylesheets follows.
LARGER_FONT = "125%"
LARGER_FONTS = [LARGER_FONT, "150%", "200%"]

#: How far each table of a page, and the box it scrolls in, run past the
#: page's right edge, in pixels, and the size of the table's text.
TABLES_PAST_THE_EDGE = """() => [...document.querySelectorAll("table")].map((table) => {
    const edge = (element) =>
        Math.ceil(element.getBoundingClientRect().right) - document.documentElement.clientWidth;
    const parent = table.parentElement;
    const box = parent.classList.contains("dmls-table-box") ? parent : null;
    return {
        table: edge(table),
        box: box ? edge(box) : null,
        scrolls: box ? getComputedStyle(box).overflowX : null,
        size: parseFloat(getComputedStyle(table).fontSize),
    };
})"""


def open_page(page, path: Path, font_size: str | None) -> None:
    """Open an EPUB page as a reader with *font_size* for its root (None:
    the reader's default) shows it."""
    page.goto(path.as_uri(), wait_until="load")
    if font_size:
        page.evaluate("(size) => { document.documentElement.style.fontSize = size; }", font_size)


@pytest.mark.parametrize(
    ("viewport", "font_size"),
    [(PHONE_PAGE, None), *((PHONE_PAGE, size) for size in LARGER_FONTS), (WIDE_PAGE, None)],
    ids=["phone", *(f"phone-font-{size[:-1]}" for size in LARGER_FONTS), "wide"],
)
def test_tables_fit_a_phone_sized_reader(browser, unpacked_epub, viewport, font_size):
    """In a 375-pixel page the seed map's second table ran 11 pixels past
    the edge, and it and the errata's summary shrank to a word or two a line
    in three columns. As on the site, a card table is a card a row there,
    each cell under its column's header, and no table of the book runs past
    the page's edge. A wide reader keeps the tables. At a reader's 125% the
    chapter's table of research against production ran 68 pixels past a
    phone's page, and two more 13 and 7: a table is never narrower than its
    longest words. Tables are set smaller, and up to 125% they fit; at
    150% and 200% their text still grows with the reader's, where it had
    stopped at 16.5 pixels, and a table wider than the page scrolls inside
    its box, which fits (dmls-epub.css)."""
    book = read_book()
    with_tables = [name for name, text in book_pages().items() if "<table" in text]
    card_pages = [name for name in with_tables if "dmls-cards" in book[name]]
    assert {"seed-map.xhtml", "errata.xhtml"} <= set(card_pages)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    past_the_edge, boxes_past_the_edge, root_sizes, text_sizes = {}, {}, set(), set()
    for name in with_tables:
        open_page(page, unpacked_epub / name, font_size)
        root_sizes.add(page.evaluate("getComputedStyle(document.documentElement).fontSize"))
        for table in page.evaluate(TABLES_PAST_THE_EDGE):
            if table["box"] is not None:
                assert table["scrolls"] == "auto", name
                text_sizes.add(table["size"])
                if table["box"] > 0:
                    boxes_past_the_edge.setdefault(name, []).append(table["box"])
            if table["table"] > 0:
                past_the_edge.setdefault(name, []).append(table["table"])
        if name in card_pages:
            check_cards(page.evaluate(MEASURE_CARDS), narrow=viewport is PHONE_PAGE)
    context.close()
    root = 16 * int(font_size[:-1]) / 100 if font_size else 16
    assert root_sizes == {f"{root:g}px"}, "the font setting did not apply"
    assert boxes_past_the_edge == {}
    if font_size in (None, LARGER_FONT):
        assert past_the_edge == {}
    else:
        # Only the tables of text scroll, inside their boxes; the index's fit.
        assert set(past_the_edge) <= {name for name in with_tables if "docutils" in book[name]}
    # The tables' text grows with the reader's: 16.5px at 125% on a phone.
    assert len(text_sizes) == 1
    if viewport is PHONE_PAGE and font_size:
        assert text_sizes.pop() >= min(16.5, 0.75 * root)


#: How wide a page is, how far it scrolls sideways, and each field name
#: ("Parameters") as it reads, the stylesheet's ::after included.
PAGE_WIDTH_AND_FIELDS = """() => ({
    width: document.documentElement.clientWidth,
    scrolls: document.documentElement.scrollWidth,
    fields: [...document.querySelectorAll("dl.field-list > dt")].map((dt) => {
        const after = getComputedStyle(dt, "::after").content;
        return dt.textContent.trim() + (after.startsWith('"') ? after.slice(1, -1) : "");
    }),
})"""


@pytest.mark.parametrize(
    "font_size",
    [None, *LARGER_FONTS],
    ids=["default-font", *(f"font-{size[:-1]}" for size in LARGER_FONTS)],
)
def test_no_page_scrolls_sideways_on_a_phone_sized_reader(browser, unpacked_epub, font_size):
    """In a 375-pixel page each API page scrolled 8 pixels sideways: a
    function's fields set their bodies 9em right of "Parameters", where a
    list ran past the edge, and the names read "Parameters::" (the writer's
    colon and the epub theme's). A reflowable book never needs a sideways
    scroll, at the reader's larger font either: three chapter pages did at
    125%, their tables wider than the page. At 150% and 200% a long word of
    inline code ran up to 134 pixels past the edge ("take_rate_difference_
    interval()", a module's name in a title), as did the module index: a
    word of code wraps where it is longer than a line, and a wide table
    scrolls inside its own box."""
    context = browser.new_context(viewport=PHONE_PAGE)
    page = context.new_page()
    wider, fields = {}, []
    for name in book_pages():
        open_page(page, unpacked_epub / name, font_size)
        measured = page.evaluate(PAGE_WIDTH_AND_FIELDS)
        if measured["scrolls"] > measured["width"]:
            wider[name] = measured["scrolls"] - measured["width"]
        fields += measured["fields"]
    context.close()
    assert wider == {}
    assert "Parameters:" in fields
    assert [field for field in fields if not re.fullmatch(r"[^:]+:", field)] == []


#: Each place where a line starts with closing punctuation that follows an
#: element (inline code, a link, a signature's parameter), or ends with
#: opening punctuation that comes before one: the text either side.
PUNCTUATION_ALONE = r"""() => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const line = (text) => text.replace(/\s+/g, " ");
    const rectOf = (node, start) => {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + 1);
        return range.getBoundingClientRect();
    };
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest("pre, math")) continue;
        const before = node.previousSibling, after = node.nextSibling;
        if (before && before.nodeType === 1 && /^[,.;:!?)\]’”]/.test(node.data)) {
            const rects = before.getClientRects(), mark = rectOf(node, 0);
            if (rects.length && mark.height && mark.top >= rects[rects.length - 1].bottom - 2)
                found.push(line(`${before.textContent.slice(-25)} / ${node.data.slice(0, 15)}`));
        }
        if (after && after.nodeType === 1 && /[(\[‘“]$/.test(node.data)) {
            const rects = after.getClientRects(), mark = rectOf(node, node.data.length - 1);
            if (rects.length && mark.height && rects[0].top >= mark.bottom - 2)
                found.push(line(`${node.data.slice(-15)} / ${after.textContent.slice(0, 25)}`));
        }
    }
    return found;
}"""


@pytest.mark.parametrize("font_size", [None, LARGER_FONT], ids=["default-font", "font-125"])
def test_no_line_starts_with_the_punctuation_after_code(browser, unpacked_epub, font_size):
    """A word of inline code is a box of its own (dmls-epub.css), and a
    browser may break a line on either side of a box: on a phone's page
    "numpy's default, linear" ended a line and ", interpolates" began the
    next, "timeout (" ended one before "max_batch_size", and nine more did
    the same. A URL or a signature too long for a line broke where it ran
    out, before the full stop after "https://doi.org/10.1109/TSMCC.2008.
    919172" or the comma after "server". Code keeps the punctuation it
    touches, and a URL and a signature's module break after a slash or a
    dot (docs/_ext/dmls_epub.py)."""
    context = browser.new_context(viewport=PHONE_PAGE)
    page = context.new_page()
    alone = {}
    for name in book_pages():
        open_page(page, unpacked_epub / name, font_size)
        if found := page.evaluate(PUNCTUATION_ALONE):
            alone[name] = found
    context.close()
    assert alone == {}
