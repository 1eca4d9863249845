"""The PDF is a book: every title and figure, once, in order, with an index.

It holds every page's titles and figures, embeds its fonts, keeps code inside
the margin and wraps it only between names, prints each chapter title once,
numbers figures per chapter, ends with one bibliography under the labels the
text cites and an index of the glossary and the API, says nothing that only
makes sense on screen, and has no blank page, nor a chapter that ends on a
near-empty one.
"""

import ast
import html
import itertools
import re
import shutil
import subprocess
from functools import cache

import pytest
from pypdf import PdfReader
from source_reading import CONF, constant, tree

from .conftest import (
    DOCS,
    PDF,
    RAW_TEX,
    api_functions,
    api_sources,
    bibliography_entries,
    cited_labels,
    figure_count,
    glossary_terms,
    headings,
    last_commit_day,
    printed_pages,
    require,
)

pytestmark = pytest.mark.outputs

#: The text's left and right margins, in pt: Sphinx's LaTeX layout leaves
#: one inch each side.
LEFT_MARGIN = 72

#: The LaTeX source and log the PDF was made from, without their suffix.
LATEX = PDF.parent / "latex" / "dmls-notes"


def without_ligatures(text: str) -> str:
    """*text* with the "fi" and "fl" ligatures pdftotext and pypdf read
    spelt out."""
    return text.replace("\ufb01", "fi").replace("\ufb02", "fl")


def squash(text: str) -> str:
    """Lower case letters and digits only: survives line breaks, caps and ligatures."""
    text = without_ligatures(text).replace("’", "'")
    return re.sub(r"[^a-z0-9]", "", text.lower())


def poppler(tool: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} not found: sudo apt-get install poppler-utils")
    return tool


def pdftotext(*options: str) -> str:
    """The PDF's text as poppler's pdftotext writes it with *options*."""
    return subprocess.run(
        [poppler("pdftotext"), *options, str(require(PDF)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@cache
def pdf_text() -> str:
    return pdftotext()


@cache
def pdf_reader() -> PdfReader:
    """The PDF, parsed once for every test that reads its structure."""
    return PdfReader(require(PDF))


@cache
def latex_log() -> str:
    """The LaTeX log, its lines as TeX wrote them before wrapping them at 79
    characters (max_print_line)."""
    log = require(LATEX.with_suffix(".log")).read_text(errors="replace")
    return "".join(line if len(line) == 79 else line + "\n" for line in log.splitlines())


def test_latex_defines_every_label_once_and_resolves_every_reference():
    """A label defined twice sends its links to whichever definition LaTeX
    read last; an undefined one prints "??". Both only warn in the log."""
    doubled = re.findall(r"Label `([^']+)' multiply defined", latex_log())
    undefined = re.findall(r"Reference `([^']+)' on page \d+ undefined", latex_log())
    assert not doubled, f"labels defined twice: {doubled}"
    assert not undefined, f"references to no label: {undefined}"


def test_latex_has_every_character_in_the_font_asked_for():
    """A character the font lacks is left out of the page, and a shape the
    font lacks (small capitals in italics, once, for a signature's "*") is
    swapped for another; LaTeX only notes either in the log."""
    missing = re.findall(r"Missing character: There is no (.+?) in font", latex_log())
    shapes = re.findall(r"Font shape `([^']+)' undefined", latex_log())
    assert not missing, f"characters not printed: {sorted(set(missing))}"
    assert not shapes, f"font shapes replaced: {sorted(set(shapes))}"


def test_the_title_page_carries_the_commits_date():
    """Two builds of one commit print the same date, whatever day they run."""
    title_page = pdf_text().split("\f", 1)[0]
    assert last_commit_day().strftime("%b %d, %Y") in " ".join(title_page.split())


def test_the_title_breaks_only_after_its_comma():
    """The title page never leaves one word of the title on a line of its own."""
    project = constant(CONF, "project")
    title_page = pdf_text().split("\f", 1)[0]
    lines = [line.strip() for line in title_page.splitlines() if line.strip()]
    series, subtitle = project.split(", ")
    assert lines[:2] == [f"{series},", subtitle]
    assert pdf_reader().metadata.title == project  # the metadata keeps the plain title


@pytest.mark.parametrize("page", printed_pages(), ids=lambda p: p.stem)
def test_every_title_is_in_the_pdf(page):
    text = squash(pdf_text())
    missing = [title for title in headings(page) if squash(title) not in text]
    assert missing == []


def test_every_figure_is_embedded():
    expected = sum(figure_count(page) for page in printed_pages())
    assert expected >= 3
    reader = pdf_reader()
    embedded = set()
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for name, ref in xobjects.items():
            if ref.get_object().get("/Subtype") in ("/Form", "/Image"):
                embedded.add((page.page_number, name))
    captions = re.findall(r"^Figure \d+\.\d+:", pdf_text(), re.M)
    assert len(captions) >= expected, "a figure lost its caption"
    assert len(embedded) >= expected, "a figure is not embedded"


@cache
def pdf_fonts() -> list[list[str]]:
    """pdffonts' rows, one per font, split into their columns: name, type,
    encoding, emb, sub, uni, object ID (the type may hold spaces)."""
    out = subprocess.run(
        [poppler("pdffonts"), str(require(PDF))], capture_output=True, text=True, check=True
    ).stdout
    return [row.split() for row in out.splitlines()[2:]]


def test_fonts_are_embedded():
    rows = pdf_fonts()
    assert rows, "the PDF lists no fonts"
    # emb is 5th from the end.
    not_embedded = [row for row in rows if row[-5] != "yes"]
    assert not_embedded == []


def test_formulas_are_set_in_the_times_of_the_text():
    # TeX Gyre Termes Math beside FreeSerif, not Computer Modern, which
    # xelatex falls back to without it (dmlsbook.sty).
    names = [row[0].partition("+")[2] for row in pdf_fonts()]
    assert any(name.startswith("TeXGyreTermesMath") for name in names), names
    assert not [name for name in names if name.startswith(("LMMath", "LatinModern", "CM"))]


#: The share of a page's height the running head takes at its top, and the
#: running foot at its bottom.
RUNNING_HEAD = 0.07


@cache
def word_boxes() -> list[tuple[float, float, list[tuple[float, float, float, str]]]]:
    """Each page's width, height and words, as (right edge, top, bottom, word) in pt."""
    out = pdftotext("-bbox")
    word = re.compile(r'yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<')
    return [
        (
            float(width),
            float(height),
            [(float(x), float(y0), float(y1), w) for y0, x, y1, w in word.findall(body)],
        )
        for width, height, body in re.findall(
            r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S
        )
    ]


def test_every_running_foot_names_where_the_page_is():
    """Past a chapter's opening page, the running foot names the section, or
    the chapter where it has none: the glossary's and the references' pages
    once carried only a page number."""
    openings = {page for _, page in outline()}
    first = min(openings)  # the title page and the contents come before
    bare = []
    for number, (_, height, words) in enumerate(word_boxes()):
        foot = [word for _, top, _, word in words if top > (1 - RUNNING_HEAD) * height]
        if number > first and number not in openings and len(foot) < 2:
            bare.append(f"page {number + 1}: {foot}")
    assert bare == []


def test_no_line_runs_past_the_right_margin():
    overruns = []
    for number, (width, _, words) in enumerate(word_boxes(), 1):
        right_margin = width - LEFT_MARGIN  # as wide as the left
        for x_max, _, _, word in words:
            if x_max > right_margin + 1:
                overruns.append(f"page {number}: {word!r} ends at {x_max:.0f}pt")
    assert overruns == []


def test_no_paragraph_line_is_stretched_as_far_as_tex_allows():
    """A line TeX could only fill by stretching its spaces past every limit
    (badness 10000) shows gaps of an em between its words: "Block above each
    threshold with", before a function's long name, was one. TeX reports
    each such line in the log and sets it anyway."""
    lines = re.findall(
        r"Underfull \\hbox \(badness 10000\) in paragraph at lines (\d+--\d+)\n(.*)",
        latex_log(),
    )
    assert not lines, "lines stretched to the limit (dmls-notes.tex lines, text):\n" + "\n".join(
        f"{where}: {text.strip()}" for where, text in lines
    )


@cache
def page_texts() -> list[str]:
    """The text of each page, in order (pdftotext ends each page with a form feed)."""
    return pdf_text().split("\f")[:-1]


@cache
def outline() -> list[tuple[str, int]]:
    """The PDF's bookmarks for parts and chapters: (title, 0-based page), in order."""
    reader = pdf_reader()
    return [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]


def chapter_pages(title: str) -> str:
    """The text of a top-level bookmark's pages, up to the next one."""
    marks = outline()
    for index, (name, start) in enumerate(marks):
        if name == title:
            end = marks[index + 1][1] if index + 1 < len(marks) else len(page_texts())
            return "".join(page_texts()[start:end])
    raise AssertionError(f"no bookmark {title!r} in {[name for name, _ in marks]}")


def test_chapter_titles_appear_once():
    """ "Chapter 1" above "Overview of ML systems", and nowhere a second time."""
    text = pdf_text()
    assert not re.search(r"CHAPTER (ONE|TWO|THREE)", text)
    words = " ".join(text.split())
    for index in sorted(DOCS.glob("chapter-*/index.md")):
        title = re.search(r"^# (.+)$", index.read_text(), re.M).group(1)
        assert title.startswith("Chapter ")
        assert title not in words, f"{title!r} still spells its number"
    assert not re.search(r"Chapter \d+\. Chapter", text), "a running head repeats it"
    chapters, labels = 0, []
    for title, page in outline():
        opening = page_texts()[page].strip().splitlines()
        label = re.fullmatch(r"(Chapter \d+|Appendix [A-Z])", opening[0])
        if title in ("About these notes", "Index", "Case study: a restaurant carousel"):
            assert label is None, f"{title!r} is numbered"
            continue
        assert label, f"{title!r} does not open with its number"
        assert squash(title) in squash(" ".join(opening[1:4])), f"{title!r} leads elsewhere"
        assert squash(" ".join(opening[:4])).count(squash(title)) == 1, title
        chapters += opening[0].startswith("Chapter")
        labels.append(label.group())
    assert chapters >= 2
    # Every chapter and appendix has a number or a letter of its own (the
    # Solutions were once lettered A a second time).
    assert len(labels) == len(set(labels)), labels


def test_no_chapter_title_leaves_a_word_alone_on_its_last_line():
    """A chapter title that takes two lines breaks where the lines come out
    even: "Errata: what was wrong, and what is" once stood above "right"."""
    alone = []
    for title, page in outline():
        lines = [line.strip() for line in page_texts()[page].splitlines() if line.strip()]
        for start, end in itertools.combinations(range(min(len(lines), 6) + 1), 2):
            if squash(" ".join(lines[start:end])) == squash(title):
                if end - start > 1 and len(lines[end - 1].split()) < 2:
                    alone.append(f"{title!r}: {lines[start:end]}")
                break
        else:
            raise AssertionError(f"{title!r} is not at the top of page {page + 1}")
    assert alone == []


def test_contents_are_titled_contents():
    contents = page_texts()[1]
    assert contents.split("\n", 1)[0].strip() == "Contents"
    assert "CHAPTERS" not in pdf_text()
    assert "Chapters" not in [name for name, _ in outline()]


def test_nothing_that_only_makes_sense_on_screen():
    text = " ".join(pdf_text().split()).lower()
    for phrase in ("search box", "copy button", "pages in this chapter", "sidebar"):
        assert phrase not in text
    # The site explains a signature's "*" and "/" on hover; printed, the
    # explanation sat inside the signature, in brackets.
    assert "parameters separator (pep" not in text
    assert "parameter separator (pep" not in text


def test_figures_are_numbered_per_chapter():
    text = pdf_text()
    assert "Fig. " not in text
    numbers = [tuple(map(int, n)) for n in re.findall(r"^Figure (\d+)\.(\d+):", text, re.M)]
    assert len(numbers) >= 3
    assert numbers == sorted(set(numbers)), "figure numbers repeat or run out of order"
    for chapter in {c for c, _ in numbers}:
        assert [n for c, n in numbers if c == chapter] == list(
            range(1, 1 + sum(c == chapter for c, _ in numbers))
        )


def test_a_continued_table_names_only_a_numbered_table():
    """A table that runs onto the next page says it continues, and names
    itself only if its caption gave it a number: the errata's table, which
    has none, continued as "Table 4.1", in Appendix D."""
    text = " ".join(pdf_text().split())
    # Code continues "(continued from previous page)", in brackets.
    continued = re.findall(r"(?:Table (\S+) . |(?<!\())continued from previous page", text)
    assert continued, "no table runs onto a second page: the check checks nothing"
    numbered = set(re.findall(r"Table (\S+):", text))
    assert [number for number in continued if number and number not in numbered] == []


def test_the_index_lists_glossary_terms_and_api_functions():
    index = squash(chapter_pages("Index"))
    missing = [term for term in glossary_terms() if squash(term) not in index]
    missing += [f"{name}()" for name in api_functions() if squash(name) not in index]
    assert missing == []


def test_no_index_entry_puts_a_comma_after_a_question_mark():
    """An exercise's title that asks a question ends its index entry without
    the comma before the pages: "Back to which step?, 44" read twice
    punctuated."""
    index = " ".join(chapter_pages("Index").split())
    assert index.count("?") > 10, "no questions in the index: the check checks nothing"
    assert re.findall(r"[^ ]+\?,", index) == []


def test_one_bibliography_under_the_labels_the_text_cites():
    names = [name for name, _ in outline()]
    assert "Bibliography" not in names
    references = next(name for name in names if name.endswith("References"))
    listed_text = chapter_pages(references)
    listed = re.findall(r"^\[([^\]]+)\]", listed_text, re.M)
    assert len(listed) == len(bibliography_entries())
    assert listed == sorted(listed, key=str.casefold), "not in label order"
    assert all(re.fullmatch(r".+, (\d{4}|n\.d\.)[a-z]?", label) for label in listed)
    body = pdf_text().replace(listed_text, "")
    # pdftotext joins a name hyphenated at a line end: compare without hyphens.
    unhyphenated = {label.replace("-", "") for label in listed}
    assert {label.replace("-", "") for label in cited_labels(body)} - unhyphenated == set()
    assert {"Huyen, 2022a", "Huyen, 2022b"} <= set(listed), "same author-year not told apart"
    assert "Amazon's" in listed_text


def test_no_raw_tex_in_the_text():
    """TeX escapes in the pages or the bibliography ("up to \\$100") are
    printed as what they stand for, never as TeX."""
    assert RAW_TEX.findall(pdf_text()) == []


def test_each_doi_is_printed_once():
    joined = "".join(pdf_text().split())
    dois = [fields["doi"] for fields in bibliography_entries().values() if "doi" in fields]
    assert dois
    assert {doi: joined.count(doi) for doi in dois} == dict.fromkeys(dois, 1)


def test_no_blank_pages():
    reader = pdf_reader()
    header = re.compile(r"^.*Release \S+$|^\S*\d+\s*$|^[ivx]+$", re.M)
    blank = []
    for number, text in enumerate(page_texts()):
        body = header.sub("", text).strip()
        has_image = bool(reader.pages[number].get("/Resources", {}).get("/XObject"))
        if len(body) < 80 and not has_image:
            blank.append(number + 1)
    assert blank == []


def test_code_never_breaks_inside_a_name():
    """A wrapped code line ends its first part at a space or after punctuation.

    Sphinx marks the continuation with an arrow, which pdftotext reads as
    ",→"; a space where the line broke shows as "␣".
    """
    lines = pdf_text().splitlines()
    split = [
        f"{before!r} / {after!r}"
        for before, after in itertools.pairwise(lines)
        if after.startswith(",→")
        and re.search(r"\w$", before)
        and re.match(r"\w", after.removeprefix(",→"))
    ]
    assert sum(line.startswith(">>> ") for line in lines) > 100, "no examples to check"
    assert split == []
    # The examples are short enough not to wrap at all (test_page_markup.py).
    assert [after for after in lines if after.startswith(",→")] == []


def test_the_case_study_is_unnumbered_as_on_the_site():
    """On the site the case study stands outside the numbered chapters; the
    book prints it the same way, not as a "Chapter 3" the book lacks."""
    text = chapter_pages("Case study: a restaurant carousel")
    assert "Should it be ML at all?" in text
    # A number before one of its titles; a sentence may well start "3 replicas".
    titles = "|".join(re.escape(title) for title in headings(DOCS / "case-study.md"))
    assert not re.search(rf"^3(\.\d+)*\s+({titles})$", text, re.M), "the case study is numbered"
    contents = page_texts()[1] + page_texts()[2]
    assert re.search(r"^Case study: a restaurant carousel$", contents, re.M)
    assert not re.search(r"^3(\.\d+)* ", contents, re.M)
    # The chapters after it are the appendices, lettered from A.
    assert re.search(r"^A Glossary$", contents, re.M)


def taught_terms() -> list[str]:
    """The terms the chapter pages index where they teach them ({index})."""
    pages = sorted(DOCS.glob("chapter-*/*.md"))
    return sorted(
        {t for p in pages for t in re.findall(r"^```\{index\} (.+)$", p.read_text(), re.M)}
    )


def test_the_index_leads_to_where_each_term_is_taught():
    """A term the chapters index is listed once, with the page that teaches
    it as well as its glossary entry (makeindex once listed a hyphenated term
    twice, "Log-odds, 58" and "Log-odds, 25")."""
    index = chapter_pages("Index")
    joined = " ".join(index.split())
    taught = taught_terms()
    assert len(taught) >= 50
    once, pages = [], []
    for term in taught:
        heads = re.findall(rf"(?:^|\s){re.escape(term)}, (\d+(?:, \d+)*)", joined)
        if len(heads) != 1:
            once.append(f"{term}: {len(heads)} entries")
        elif len(heads[0].split(", ")) < 2:
            pages.append(f"{term}: {heads[0]}")
    assert once == []
    assert pages == []


def test_a_chapters_pages_are_sections_of_the_chapter():
    """Chapter 1's pages are 1.4, 1.5, ..., not 1.3.1, 1.3.2 under the section
    that lists them, whose title then ran at the foot of the whole chapter."""
    contents = " ".join("".join(page_texts()[1:3]).split())
    for chapter in ("chapter-1", "chapter-2"):
        number = chapter[-1]
        index = (DOCS / chapter / "index.md").read_text()
        toctree = re.search(r"^```\{toctree\}\n(.*?)^```", index, re.S | re.M).group(1)
        names = [line for line in toctree.splitlines() if line and not line.startswith(":")]
        for name in names:
            title = re.search(r"^# (.+)$", (DOCS / chapter / f"{name}.md").read_text(), re.M)
            title = re.sub(r"[`*]", "", title.group(1))
            assert re.search(rf"{number}\.\d+ {re.escape(title)}", contents), title
    # The section's title is the running foot of its own page or two only.
    assert pdf_text().count("1.3. The chapter’s pages") <= 2


def book_setting(name: str) -> int:
    """A number docs/_ext/dmls_book.py sets for the printed book."""
    return constant(DOCS / "_ext" / "dmls_book.py", name)


@cache
def layout_pages() -> list[list[str]]:
    """Each page's lines as pdftotext lays them out: a code line stays one line."""
    return [page.splitlines() for page in pdftotext("-layout").split("\f")[:-1]]


def code_part(lines: list[str]) -> list[str]:
    """The code lines that open *lines*: blank lines skipped, up to the next
    blank line, which sets the code box apart from the text."""
    lines = list(itertools.dropwhile(lambda line: not line.strip(), lines))
    return [line.strip() for line in itertools.takewhile(str.strip, lines)]


def code_breaks() -> list[tuple[int, list[str], list[str]]]:
    """Every code block a page break splits: (page, its lines there, its
    lines on the next page). Sphinx ends the first part with "(continues on
    next page)" and opens the second with "(continued from previous page)"."""
    found = []
    for number, (page, following) in enumerate(itertools.pairwise(layout_pages()), 1):
        stripped = [line.strip() for line in page]
        if "(continues on next page)" not in stripped:
            continue
        end = stripped.index("(continues on next page)")
        start = [line.strip() for line in following].index("(continued from previous page)")
        found.append((number, code_part(page[:end][::-1])[::-1], code_part(following[start + 1 :])))
    return found


def test_a_page_break_never_splits_a_short_code_block():
    """A short example stays on one page, and a long one breaks only between
    two examples: a page once ended with the first three lines of a 12-line
    example, "print(header)" without its output, or with the header row of a
    table whose rows were on the next page. (dmls_book.py decides where a
    block may break, dmlsbook.sty obeys.)"""
    kept_whole, least = book_setting("KEPT_WHOLE"), book_setting("LINES_AT_A_BREAK")
    assert sum(">>> " in line for page in layout_pages() for line in page) > 100
    wrong = []
    for page, before, after in code_breaks():
        where = f"page {page}: {len(before)} + {len(after)} lines, {before[-1]!r} / {after[0]!r}"
        # The first part is all of the block's start: it opens with a prompt.
        assert before[0].startswith(">>> "), where
        if len(before) + len(after) <= kept_whole:
            wrong.append(f"{where}: short, split")
        elif before[-1].startswith((">>>", "...")) or not after[0].startswith(">>> "):
            wrong.append(f"{where}: split inside an example")
        elif before[-2].startswith(">>> print("):
            wrong.append(f"{where}: a heading left at the foot of a page")
        elif min(len(before), len(after)) < least:
            wrong.append(f"{where}: too few lines on one side")
    assert wrong == []


def test_a_short_exercise_is_never_split():
    """An exercise's box, from its title to the link to its solution, is on
    one page unless it is long: the link once stood alone at the top of the
    next page (dmlsbook.sty keeps a box under a quarter of a page whole)."""
    pages = [[line.strip() for line in page] for page in layout_pages()]
    title = re.compile(r"Exercise ([A-Z0-9]+\.\d+) \(")
    found, split = 0, []
    for number, page in enumerate(pages[:-1]):
        for index, line in enumerate(page):
            if not (match := title.match(line)):
                continue
            found += 1
            link = f"Solution {match.group(1)}"
            if link in page[index:]:
                continue
            following = pages[number + 1]
            assert link in following, f"{link} is not on page {number + 1} or the next"
            lines = [ln for ln in page[index:] + following[: following.index(link)] if ln]
            if len(lines) < 14:  # a quarter of a page: 175 pt of 12 pt lines
                split.append(
                    f"{match.group()}...: {len(lines)} lines, pages {number + 1}-{number + 2}"
                )
    assert found >= 40
    assert split == []


@cache
def text_depths() -> list[float]:
    """How far down each page its text reaches, between the running head and
    foot: 0 at the top of the highest text of any page, 1 at the foot of the
    lowest (0 for a page without text)."""
    bodies = [
        [
            (top, bottom)
            for _, top, bottom, _ in words
            if RUNNING_HEAD * height < top and bottom < (1 - RUNNING_HEAD) * height
        ]
        for _, height, words in word_boxes()
    ]
    top = min(y for body in bodies for y, _ in body)
    bottom = max(y for body in bodies for _, y in body)
    return [(max(y for _, y in body) - top) / (bottom - top) if body else 0 for body in bodies]


def test_no_page_ends_early_but_before_a_chapter():
    """A page's text reaches at least two thirds down it, unless a chapter
    starts on the next page. What must stay whole (a short code block, a box)
    may move to the next page, but none is a third of a page: Sphinx's
    \\needspace once broke pages before boxes that fitted, half empty. The
    page before a chapter's last page reaches half way: it ends early to give
    that page its share (dmlsbook.sty), one exercise's box of a third of it."""
    chapters = {page for _, page in outline()}
    short = [
        f"page {number + 1}: {depth:.0%}"
        for number, depth in enumerate(text_depths()[:-1])
        if number
        and number + 1 not in chapters
        and depth < (1 / 2 if number + 2 in chapters else 2 / 3)
    ]
    assert short == []


#: How little text a chapter's last page may hold: a fifth of a page, and
#: five lines. (dmlsbook.sty asks a quarter of \textheight.)
LAST_PAGE_DEPTH, LAST_PAGE_LINES = 1 / 5, 5


def test_no_chapter_ends_on_a_near_empty_page():
    """A chapter's last page carries a share of its text, not its last item
    alone: four pages once held an exercise's box, a heading and its three
    lines, or an API entry's last fields above a page of white, before the
    next chapter's new page, and the page before was full. The title page
    and the book's last page (the index's) are as they fall; a blank page is
    test_no_blank_pages's."""
    chapters = {page for _, page in outline()}
    depths, lines = text_depths(), body_lines()
    last_pages = [number for number in range(1, len(depths) - 1) if number + 1 in chapters]
    assert len(last_pages) >= len(chapters) - 2, "chapters' last pages not found"
    near_empty = [
        f"page {number + 1}: {depths[number]:.0%}, {len(lines[number])} lines, "
        f"{lines[number][0][2] if lines[number] else ''!r}..."
        for number in last_pages
        if depths[number] < LAST_PAGE_DEPTH or len(lines[number]) < LAST_PAGE_LINES
    ]
    assert near_empty == []


#: An API entry's signature as pdftotext gives it: the dotted name, then its
#: arguments, its type or nothing.
SIGNATURE = re.compile(r"^(?:class |exception |property )?dmls_examples(?:\.\w+)+(?:\(|:|$)")
#: What opens an API entry's fields.
FIELD_NAMES = ("Parameters", "Returns", "Return type", "Raises", "Yields", "Examples")


def test_no_api_entry_leaves_its_signature_at_a_pages_foot():
    """A signature with a line or two under it, and its fields on the next
    page: run()'s was, until entries kept five lines together."""
    pages = body_lines()
    split = []
    for number, (lines, following) in enumerate(itertools.pairwise(pages), start=1):
        texts = [text for _, _, text in lines]
        heads = [i for i, text in enumerate(texts) if SIGNATURE.match(text)]
        if not heads or not following:
            continue
        under = len(texts) - heads[-1] - 1
        if under <= 2 and following[0][2].startswith(FIELD_NAMES):
            split.append(f"page {number}: {texts[heads[-1] :]!r}, then {following[0][2]!r}")
    assert split == []


def test_no_word_in_a_table_is_hyphenated():
    """Table cells are ragged right and never hyphenated: "ML engi-neers" in
    the stakeholders' table and two dozen words of the seed map were split.
    pdftotext lays a table's row out on one line, its cells apart; a word
    hyphenated in a cell ends in "-" before the gap or at the line's end."""
    rows = [line for page in layout_pages() for line in page if re.search(r"\S {3,}\S", line)]
    assert len(rows) > 100, "no table rows found"
    assert [row for row in rows if re.search(r"(?:^|\s)[A-Za-z]+-(?:\s|$)", row)] == []


def test_no_map_cell_leaves_a_short_word_alone_on_a_line():
    """The seed map's last column, the section that covers an item, was so
    narrow that "Maintainability: others must be able to change it" took
    three lines, "it" alone on the last. A line of that column holding one
    word of three letters or fewer is such a leftover."""
    alone, columns = [], 0
    for number, lines in enumerate(body_lines(), 1):
        if not any(text == "What the notes say" for _, _, text in lines):
            continue
        for start in [x for x, _, text in lines if text == "Covered in"]:
            columns += 1
            alone += [
                f"page {number}: {text!r}"
                for x, _, text in lines
                if x >= start - 1 and " " not in text and len(text) <= 3
            ]
    assert columns >= 2, "no seed map found"
    assert alone == []


def test_no_citation_is_hyphenated():
    """A citation's author is a name, not a word to hyphenate: "[Wil-" once
    ended a line and "son, 1927]" began the next."""
    lines = [line.rstrip() for page in layout_pages() for line in page]
    assert sum("[" in line for line in lines) > 100
    assert [line for line in lines if re.search(r"\[[^\]]*[A-Za-z]-$", line)] == []


def test_no_name_with_an_underscore_is_hyphenated():
    """An argument's name in running text is code, not a word: the API pages
    printed "rela-" at a line's end and "tive_accuracy" at the next one's
    start, and "recommenda-tions_shown", in the italics docstrings give
    names. A hyphenated word joined again must hold no underscore."""
    split = []
    for page in layout_pages():
        lines = [line.strip() for line in page]
        for line, following in itertools.pairwise(lines):
            ending = re.search(r"(\w+)-$", line)
            if ending and following:
                word = ending[1] + following.split()[0]
                if "_" in word:
                    split.append(f"{line[-30:]!r} / {following[:30]!r}")
    assert split == []


#: The labels of an API entry's fields, which head what follows them.
FIELD_LABELS = frozenset({"Parameters", "Returns", "Return type", "Raises", "Yields"})

#: The number a printed title starts with: "1.8.4 ", "D.2 ".
TITLE_NUMBER = re.compile(r"^(?:[A-Z]|\d+)(?:\.\d+)*\.?\s+")


@cache
def page_titles() -> frozenset[str]:
    """The titles of every page and section, as the pages spell them."""
    return frozenset(title for page in printed_pages() for title in headings(page))


def is_title(line: str, others: frozenset[str] = frozenset()) -> bool:
    """Whether a printed *line* is a page's or section's title, with its
    number or without, or one of *others*."""
    return bool({line, TITLE_NUMBER.sub("", line)} & (page_titles() | others))


def test_no_heading_ends_a_page():
    """A heading is followed on its page by what it heads: an "Exercises"
    heading once ended two pages, its first exercise box moved whole to the
    next (framed.sty broke the page where the box began), and an API field's
    label ("Raises") six, its list on the next page."""
    last_lines = []
    for page in layout_pages():
        lines = [line.strip() for line in page if line.strip()]
        if len(lines) > 2:  # the last line is the running foot
            last_lines.append(lines[-2])
    assert len(last_lines) > 100
    assert [line for line in last_lines if is_title(line, FIELD_LABELS)] == []


#: Headings the pages do not spell as Markdown titles: an API entry's
#: "Examples" (napoleon's rubric) and a solution's title.
RUBRIC = re.compile(r"Examples|Solution [A-Z]*\d+\.\d+ \(.+")


def test_no_lead_in_ends_a_page():
    """A code block's lead-in is on the page where the code starts: eleven
    pages once ended with one ("that the model selects is its selection
    rate:", an API entry's "Examples" heading and its one line, a solution's
    title and its link back), the code, kept whole, on the next page."""

    def is_heading(line: str) -> bool:
        return is_title(line) or bool(RUBRIC.fullmatch(line))

    pages = [[line.strip() for line in page if line.strip()] for page in layout_pages()]
    lead_ins = sum(
        before.endswith(":") and after.startswith(">>> ")
        for page in pages
        for before, after in itertools.pairwise(page)
    )
    assert lead_ins > 50, "no lead-in found: the check checks nothing"
    ends = []
    for number, (page, following) in enumerate(itertools.pairwise(pages), 1):
        body, opening = page[:-1], following[1:2]  # without the running foot, below the head
        if len(body) < 2 or not opening or not opening[0].startswith(">>> "):
            continue
        if body[-1].endswith(":") or is_heading(body[-1]) or is_heading(body[-2]):
            ends.append(f"page {number}: {body[-2]!r} / {body[-1]!r} / {opening[0]!r}")
    assert ends == []


#: A text line as pdftotext finds it: its left edge and top, in pt, and its words.
Line = tuple[float, float, str]


@cache
def body_lines() -> list[list[Line]]:
    """Each page's lines between its running head and foot, top to bottom."""
    out = pdftotext("-bbox-layout")
    pages = []
    for height, body in re.findall(
        r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out, re.S
    ):
        lines = []
        for x, y, words in re.findall(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*?)</line>', body, re.S
        ):
            text = " ".join(html.unescape(word) for word in re.findall(r">([^<]*)</word>", words))
            if RUNNING_HEAD * float(height) < float(y) < (1 - RUNNING_HEAD) * float(height):
                lines.append((float(x), float(y), text))
        pages.append(sorted(lines, key=lambda line: (round(line[1]), line[0])))
    return pages


def is_item(line: Line) -> bool:
    """Whether *line* opens a bulleted list's item."""
    return line[2].startswith("• ")


def test_a_heading_keeps_two_lines_on_its_page():
    """A heading has two lines of what it heads below it, unless a heading
    opens the next page: two pages ended with a solution's title and its
    "back to Exercise CS.1", the solution on the next page. A heading starts
    at the text's left edge, or a box's: a table's cell that names a section
    ("Objective functions" in the seed map's last column) is no heading."""

    def is_heading(line: Line) -> bool:
        near_the_left = line[0] < LEFT_MARGIN + 100
        return near_the_left and (is_title(line[2]) or bool(RUBRIC.fullmatch(line[2])))

    ends = [
        f"page {number}: {page[-2][2]!r} / {page[-1][2]!r}"
        for number, (page, following) in enumerate(itertools.pairwise(body_lines()), 1)
        if len(page) > 1 and following and is_heading(page[-2]) and not is_heading(following[0])
    ]
    assert ends == []


def test_no_page_ends_with_a_colon():
    """A line that ends with a colon leads in to what follows, and is on its
    page: a page once ended with "The loop, drawn" and "..., like those the
    ad project took:", the diagram floated to the top of the next."""
    ends = [
        f"page {number}: {page[-1][2]!r}"
        for number, page in enumerate(body_lines(), 1)
        if page and page[-1][2].endswith(":")
    ]
    assert ends == []


def test_a_field_label_keeps_two_lines_of_what_it_labels():
    """An API field's label ("Parameters", "Raises") has at least two lines
    of its list below it on its page: three pages once ended with a label and
    its first item, one line, the rest of the list on the next page."""
    labels, stranded = 0, []
    for number, (page, following) in enumerate(itertools.pairwise(body_lines()), 1):
        labels += sum(text in FIELD_LABELS for _, _, text in page)
        if len(page) > 1 and page[-2][2] in FIELD_LABELS and following and is_item(following[0]):
            stranded.append(f"page {number}: {page[-2][2]!r} / {page[-1][2]!r}")
    assert labels > 100, "no field labels found: the check checks nothing"
    assert stranded == []


def test_no_field_list_leaves_one_line_atop_a_page():
    """An API field's list does not end at the top of a page with one line,
    its last item: four pages once opened with a parameter or an exception
    alone ("ValueError - If its relative accuracy differs."), before the next
    field's label or the next function."""
    pages = body_lines()
    # Where a field's list sets its bullets: below the label, on any page.
    field_items = {
        round(after[0])
        for page in pages
        for before, after in itertools.pairwise(page)
        if before[2] in FIELD_LABELS and is_item(after)
    }
    assert field_items, "no field lists found: the check checks nothing"
    alone = []
    for number, page in enumerate(pages[1:], 2):
        if not page or not is_item(page[0]) or round(page[0][0]) not in field_items:
            continue
        # The next line is neither the item's second line nor another item.
        following = page[1] if len(page) > 1 else None
        if following is None or (following[0] <= page[0][0] and not is_item(following)):
            alone.append(f"page {number}: {page[0][2]!r}")
    assert alone == []


def printed_urls() -> list[str]:
    """The URLs the PDF prints (the bibliography's, a link's footnote), from
    the LaTeX source, TeX escapes undone."""
    tex = require(LATEX.with_suffix(".tex")).read_text()
    found = re.findall(r"\\sphinx(?:nolink)?url\{([^{}]*)\}", tex)
    return [re.sub(r"\\([_#%&$])", r"\1", url) for url in found]


def test_a_url_breaks_only_after_a_separator():
    """A URL too long for its line breaks after a slash, a dot or another
    separator, or before a hyphen, never inside or right after "https://"
    nor inside a word: with xurl the bibliography broke "http" /
    "s://hbr.org", "https:" / "//doi.org" and "computer-vi" / "sion". Not
    after a hyphen, which reads as the word's hyphenation: pdftotext drops
    it, as a reader copying the address would."""
    lines = "\n".join(line.strip() for page in layout_pages() for line in page)
    lines = without_ligatures(lines)
    urls = printed_urls()
    assert len(urls) > 30
    broken, wrong = 0, []
    for url in urls:
        spread = "\n?".join(map(re.escape, url))  # the URL, a line break anywhere
        matches = [match.group() for match in re.finditer(spread, lines)]
        assert matches, f"{url} is not printed whole"
        scheme = len(re.match(r"[a-z]+://", url).group())
        for printed in matches:
            parts = printed.split("\n")
            for end in itertools.accumulate(len(part) for part in parts[:-1]):
                broken += 1
                if end <= scheme or not (url[end - 1] in "/.?&=_#:;,+!|@" or url[end] == "-"):
                    wrong.append(f"{url[:end]!r} / {url[end:]!r}")
    assert broken > 10, "no URL is broken: the check checks nothing"
    assert wrong == []


def docstring_prose() -> list[str]:
    """The prose of the documented docstrings: no examples, no ``code``."""
    prose = []
    for source in api_sources():
        for node in ast.walk(tree(source)):
            kinds = (ast.Module, ast.ClassDef, ast.FunctionDef)
            if not isinstance(node, kinds) or getattr(node, "name", "").startswith("_"):
                continue
            text = re.sub(r"``.*?``", "", ast.get_docstring(node) or "", flags=re.S)
            examples = re.compile(r"^\s*>>> .*?(?=^\s*$|\Z)", re.S | re.M)  # to a blank line
            prose.append(examples.sub("", text))
    return prose


def test_a_docstrings_negative_number_has_a_minus_sign():
    """A negative number in a docstring's prose is printed with a minus sign,
    as the pages print the numbers they compute: "a score of -1000" was set
    with a hyphen, shorter and lower. The docstring itself stays ASCII."""
    text = " ".join(pdf_text().split())
    negatives = [
        (word.strip("*"), number)
        for prose in docstring_prose()
        for word, number in re.findall(r"(\S+)\s+-(\d[\d.]*\d|\d)", prose)
    ]
    assert len(negatives) >= 3
    hyphen = [f"{word} -{number}" for word, number in negatives if f"{word} -{number}" in text]
    minus = [f"{word} \N{MINUS SIGN}{number}" for word, number in negatives]
    assert hyphen == []
    assert [printed for printed in minus if printed not in text] == []


#: The grey Sphinx paints behind code (its VerbatimColor, RGB 242, 242, 242),
#: as xdvipdfmx writes the operator that selects it.
CODE_BACKGROUND = re.compile(rb"(?<![\d.])0\.949 0\.949 0\.949 rg")


def test_every_code_block_is_drawn_in_its_box():
    """Each code block of the LaTeX source is painted on its grey background,
    once, and once more for each page it continues on. Inside an exercise,
    Sphinx drops the box of code that does not fit the rest of the page, and
    a box built at a page's foot and then moved whole lost its code's box."""
    reader = pdf_reader()
    painted = sum(
        len(CODE_BACKGROUND.findall(page.get_contents().get_data())) for page in reader.pages
    )
    blocks = require(LATEX.with_suffix(".tex")).read_text().count("\\begin{sphinxVerbatim}")
    continued = pdf_text().count("(continued from previous page)")
    assert blocks > 100
    assert painted == blocks + continued


def compact(text: str) -> str:
    """Text without spaces, ligatures or a closing comma: an index entry as
    pypdf reads it ("A/Btest,")."""
    return re.sub(r"\s", "", without_ligatures(text)).removesuffix(",")


def index_fonts() -> dict[str, set[str]]:
    """The fonts each piece of text in the index is set in."""
    reader = pdf_reader()
    start = dict(outline())["Index"]
    fonts: dict[str, set[str]] = {}

    def record(text, _cm, _tm, font, _size):
        if compact(text) and font:
            fonts.setdefault(compact(text), set()).add(str(font.get("/BaseFont")))

    for page in reader.pages[start:]:
        page.extract_text(visitor_text=record)
    return fonts


def test_the_index_sets_only_code_in_the_code_font():
    """A glossary term or an exercise's title is text in the index, as on
    its page; Sphinx set every entry in the code font, as for a function."""
    fonts = index_fonts()
    terms = [term for term in glossary_terms() if compact(term) in fonts]
    assert len(terms) > 50
    # "p50" is a term and also a field of LatencySummary, listed apart.
    assert [term for term in terms if all("Mono" in f for f in fonts[compact(term)])] == []
    assert all("Mono" in f for f in fonts["accuracy()"]), "a function is code"
