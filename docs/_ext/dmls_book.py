"""The printed book: chapter titles, appendices and one bibliography.

The same pages make the website, the EPUB and the PDF. Where print needs
something the screen does not, this extension changes the PDF's document
tree, through Sphinx's post-transforms for the LaTeX builder:

- A chapter's number comes from its place in the book, so a page title
  "Chapter 1: Overview of ML systems" is shown as "Overview of ML systems",
  numbered 1 by the numbered toctree on the website and in the EPUB and by
  LaTeX in the PDF. (This part applies to every builder.)
- A chapter's pages are numbered as sections of the chapter (1.4), not of
  the section that lists them (1.3.1). (Every builder.)
- A rubric that only introduces the list of a chapter's pages ("Pages in
  this chapter") is dropped from the PDF, where the pages follow in full.
- The reference pages (the toctree captioned ``dmls_appendix_caption``)
  become the book's appendices.
- The pages of ``dmls_unnumbered_chapters`` (the case study) are printed as
  unnumbered chapters, as the site shows them.
- The bibliography stays where the References page puts it, instead of
  moving to a chapter of its own at the end of the book.
- The title page carries conf.py's ``dmls_build_date`` (the last commit's
  day), as the HTML and the EPUB do, not the day of the build.
- An API signature's ``*`` is printed plain, without the explanation the
  site shows on hover.
- A short code block is never split by a page break; a long one breaks only
  between two examples, never between an example's input and its output.
- A paragraph that leads in to a code block ("Ten requests, one of them very
  slow:"), or that is all a heading holds before it, stays on the code's
  page; a figure that a lead-in introduces is printed right below it. A
  heading keeps two lines of what it heads, where the first is a paragraph
  of its own.
- An API field's label ("Parameters", "Raises") keeps two lines of its list
  on its page, and a short last item of the list does not open a page alone.
- A hyphen-minus that prose means as a minus sign ("a score of -1000",
  "1 - beta" in a docstring) is printed as one (U+2212), as the numbers the
  pages compute are; code is left as typed. (Every builder.)

docs/_latex/dmlsbook.sty styles what LaTeX draws.
"""

from __future__ import annotations

import datetime
import itertools
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import is_smartquotable

#: A page title that spells its own chapter number.
CHAPTER_PREFIX = re.compile(r"^Chapter\s+\d+\s*:\s*")


class ChapterNumberFromPlace(SphinxTransform):
    """Drop "Chapter N: " from the start of a page title.

    The number is printed by the numbering (toctree ``:numbered:`` in HTML
    and EPUB, ``\\chapter`` in LaTeX); spelled in the title too, it would
    read "1. Chapter 1: ..." on the site and "Chapter 1 / Chapter 1: ..."
    in the PDF.
    """

    default_priority = 200

    def apply(self, **kwargs) -> None:
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is None or not section.children:
            return
        title = section[0]
        if not isinstance(title, nodes.title) or not title.children:
            return
        first = title[0]
        if isinstance(first, nodes.Text) and CHAPTER_PREFIX.match(first):
            title.replace(first, nodes.Text(CHAPTER_PREFIX.sub("", first, count=1)))


class PagesAtChapterLevel(SphinxTransform):
    """Make a chapter's pages sections of the chapter, not of its last section.

    A chapter page ends with its list of pages: in MyST that toctree sits
    inside the page's last section ("The chapter's pages"), so the numbering
    made its pages 1.3.1 to 1.3.9 on the site and in the PDF, and the PDF's
    running foot read "1.3. The chapter's pages" over all of chapter 1. Moved
    after that section (it stays where it was on the screen), the pages are
    numbered 1.4 and on, siblings of the chapter's own sections. (Every
    builder; before Sphinx reads the document's table of contents.)
    """

    default_priority = 200

    def apply(self, **kwargs) -> None:
        chapter = next(iter(self.document.findall(nodes.section)), None)
        if chapter is None:
            return
        last = chapter.children[-1] if chapter.children else None
        if not isinstance(last, nodes.section):
            return
        wrappers = [
            node
            for node in last.children
            if isinstance(node, nodes.compound) and "toctree-wrapper" in node.get("classes", ())
        ]
        if not wrappers or last.children[-1] is not wrappers[-1]:
            return
        # A rubric that heads the list, and its lead-in, go with it.
        moving = list(wrappers)
        before = last.children[: last.index(wrappers[0])]
        if before and isinstance(before[-1], nodes.rubric):
            moving[:0] = before[-1:]
        elif (
            len(before) > 1
            and isinstance(before[-2], nodes.rubric)
            and isinstance(before[-1], nodes.paragraph)
        ):
            moving[:0] = before[-2:]
        for node in moving:
            last.remove(node)
            chapter.append(node)


def _is_toctree_in_print(node: nodes.Node) -> bool:
    """A toctree after LaTeX has put the pages it lists in its place."""
    return isinstance(node, nodes.compound) and any(
        isinstance(child, addnodes.start_of_file) for child in node.children
    )


class DropRubricsOverPageLists(SphinxPostTransform):
    """Remove a rubric that only introduces a toctree, and its short lead-in.

    On screen "Pages in this chapter" heads a list of links; in print the
    pages themselves follow, and the heading would head nothing.
    """

    default_priority = 200
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for rubric in list(self.document.findall(nodes.rubric)):
            parent = rubric.parent
            index = parent.index(rubric)
            following = parent.children[index + 1 : index + 3]
            lead_in = [n for n in following[:-1] if isinstance(n, nodes.paragraph)]
            toctree = [n for n in following if _is_toctree_in_print(n)]
            if toctree and parent.index(toctree[0]) == index + 1 + len(lead_in):
                for node in [rubric, *lead_in]:
                    parent.remove(node)


class StartAppendices(SphinxPostTransform):
    """Put ``\\appendix`` before the first page of the reference toctree."""

    default_priority = 210
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        caption = self.config.dmls_appendix_caption
        root = self.env.get_doctree(self.config.root_doc)
        first = next(
            (
                toctree["includefiles"][0]
                for toctree in root.findall(addnodes.toctree)
                if toctree.get("caption") == caption and toctree["includefiles"]
            ),
            None,
        )
        for start in self.document.findall(addnodes.start_of_file):
            if start["docname"] == first:
                marker = nodes.raw("", "\\appendix\n", format="latex")
                start.parent.insert(start.parent.index(start), marker)
                return


class UnnumberedChapters(SphinxPostTransform):
    """Print the pages of ``dmls_unnumbered_chapters`` as unnumbered chapters.

    On the website the case study sits outside the numbered chapters, under
    a toctree of its own; in print it would otherwise become "Chapter 3",
    a chapter the book does not have. LaTeX numbers nothing while it runs
    (dmlsbook.sty: \\dmlsunnumbered ... \\dmlsnumbered); its title, its
    sections and its contents line carry no number, as on the site.
    """

    default_priority = 211
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        unnumbered = set(self.config.dmls_unnumbered_chapters)
        for start in list(self.document.findall(addnodes.start_of_file)):
            if start["docname"] in unnumbered:
                parent = start.parent
                parent.insert(
                    parent.index(start), nodes.raw("", "\\dmlsunnumbered\n", format="latex")
                )
                parent.insert(
                    parent.index(start) + 1, nodes.raw("", "\\dmlsnumbered\n", format="latex")
                )


class _BibliographyHere(nodes.Element):
    """Where the bibliography directive put its entries."""


class MarkBibliographyPlace(SphinxPostTransform):
    """Before Sphinx gathers the citations, note where the first one stood."""

    default_priority = 740  # sphinx.builders.latex.transforms.BibliographyTransform: 750
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        first = next(iter(self.document.findall(nodes.citation)), None)
        if first is not None:
            first.parent.insert(first.parent.index(first), _BibliographyHere())


class KeepBibliographyInPlace(SphinxPostTransform):
    """Move the gathered bibliography back to the page that lists it."""

    default_priority = 760
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        place = next(iter(self.document.findall(_BibliographyHere)), None)
        gathered = self.document.findall(lambda node: node.tagname == "thebibliography")
        bibliography = next(iter(gathered), None)
        if place is None:
            return
        if bibliography is None:
            place.parent.remove(place)
            return
        bibliography.parent.remove(bibliography)
        place.replace_self(bibliography)


#: A code block of up to this many lines is kept on one page (a fifth of a
#: page of code: A4, 10 pt, code in 9 pt); a longer one may break.
KEPT_WHOLE = 12
#: Lines a broken code block keeps at least, above and below the break.
LINES_AT_A_BREAK = 3
#: The most lines between two breaks: fewer than a page holds, so the code
#: box can always move whole to the next page.
UNBROKEN_MOST = 50


def _is_input(line: str) -> bool:
    """A doctest's ``>>>`` line or its ``...`` continuation."""
    return line.startswith((">>>", "..."))


def _between_examples(lines: list[str]) -> list[int]:
    """The ``>>>`` lines (numbered from 1) that follow an example's output.

    Not one after a heading, a ``print`` with one line of output, which stays
    with the example it heads (the header row of a table and its rows).
    """
    starts = []
    for number in range(2, len(lines) + 1):
        line, before = lines[number - 1], lines[number - 2]
        if not line.startswith(">>>") or _is_input(before):
            continue
        example = max((i for i in range(number - 1) if lines[i].startswith(">>>")), default=0)
        outputs = [out for out in lines[example + 1 : number - 1] if not _is_input(out)]
        if not (lines[example].startswith(">>> print(") and len(outputs) == 1):
            starts.append(number)
    return starts


def page_starts(lines: list[str]) -> list[int]:
    """The lines (numbered from 1) of a code block a new page may start with.

    None for a block of at most :data:`KEPT_WHOLE` lines: it stays whole. A
    longer doctest breaks only between two examples, after one's output and
    before the next one's ``>>>`` line (:func:`_between_examples`), so an
    input, its output and a comment or heading that leads to them stay
    together; other code breaks before any line. A break leaves
    :data:`LINES_AT_A_BREAK` lines at least on either side, and a stretch too
    long for a page may break anywhere.
    """
    count = len(lines)
    if count <= KEPT_WHOLE:
        return []
    inner = range(LINES_AT_A_BREAK + 1, count - LINES_AT_A_BREAK + 2)
    if any(line.startswith(">>>") for line in lines):
        starts = [number for number in _between_examples(lines) if number in inner]
    else:
        starts = list(inner)
    for top, bottom in itertools.pairwise([1, *starts, count + 1]):
        if bottom - top > UNBROKEN_MOST:
            starts += [number for number in inner if top < number < bottom]
    return sorted(starts)


class BreakCodeBetweenExamples(SphinxPostTransform):
    """Tell LaTeX where each code block may break across pages.

    Sphinx's code box may break before any line, so a short example left its
    ``>>>`` line at the foot of a page and its output on the next. Before each
    block this writes ``\\dmlscodebreaks{...}``, the lines of
    :func:`page_starts`; dmlsbook.sty forbids a break before any other line.
    """

    default_priority = 220
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        blocks = (nodes.literal_block, nodes.doctest_block)
        for block in list(self.document.findall(lambda node: isinstance(node, blocks))):
            starts = ",".join(map(str, page_starts(block.astext().splitlines())))
            marker = nodes.raw("", f"\\dmlscodebreaks{{{starts}}}\n", format="latex")
            block.parent.insert(block.parent.index(block), marker)


#: Characters in a line of text, fewer than the page holds (A4, 10 pt): a
#: lead-in's lines, estimated from its length, are not too few.
CHARACTERS_A_LINE = 85
#: Characters a line of text holds, and more (the page is 451 pt wide, about
#: 100 characters): a paragraph up to this long may be one line.
ONE_LINE_MOST = 120
#: Lines a heading takes, with the space around it.
HEADING_LINES = 3
#: Lines the code box's frame takes, above and below the code.
CODE_BOX_LINES = 1
#: The most lines asked for ahead of a lead-in: less than a page (58 lines),
#: or an empty page would be left before a long block.
LEAD_IN_MOST = 40
#: The most lines of a lead-in (estimated) that move whole with its code; a
#: longer one may break across pages, as long as its end stays with the code.
LEAD_IN_WHOLE = 3


def _code_after(paragraph: nodes.paragraph) -> nodes.Element | None:
    """The code block right after *paragraph*, if one is."""
    siblings = paragraph.parent.children
    index = siblings.index(paragraph)
    code = siblings[index + 1] if index + 1 < len(siblings) else None
    return code if isinstance(code, (nodes.literal_block, nodes.doctest_block)) else None


def _above(node: nodes.Node) -> list[nodes.Node]:
    """The siblings above *node* that print: not targets or index entries,
    nor the LaTeX marks of this extension."""
    siblings = node.parent.children
    marks = (nodes.Invisible, nodes.raw)
    return [
        sibling for sibling in siblings[: siblings.index(node)] if not isinstance(sibling, marks)
    ]


def _heading_before(paragraph: nodes.paragraph) -> nodes.Element | None:
    """The rubric or section title right above *paragraph*, if any."""
    above = _above(paragraph)
    if above and isinstance(above[-1], (nodes.rubric, nodes.title)):
        return above[-1]
    return None


def _line_under_heading(paragraph: nodes.paragraph) -> nodes.paragraph | None:
    """The paragraph above *paragraph*, if it is all a heading holds before
    it and at most :data:`ONE_LINE_MOST` characters: a solution's "back to
    Exercise 1.6"."""
    above = _above(paragraph)
    line = above[-1] if above else None
    if not isinstance(line, nodes.paragraph) or len(line.astext()) > ONE_LINE_MOST:
        return None
    return line if _heading_before(line) is not None else None


def _first_in_section(node: nodes.Element) -> bool:
    """Whether *node* is the first thing a section prints after its title."""
    if not isinstance(node.parent, nodes.section):
        return False
    above = _above(node)
    return len(above) == 1 and isinstance(above[0], nodes.title)


def lines_ahead(lead_in: str, code: list[str], *, heading: bool) -> int:
    """Lines a page must have left for a lead-in and the code it introduces.

    The heading over the lead-in, if any, all of the lead-in, and the code
    up to the first line a page may start with (:func:`page_starts`), or the
    whole block if it is kept whole; at most :data:`LEAD_IN_MOST`.
    """
    starts = page_starts(code)
    first_part = starts[0] - 1 if starts else len(code)
    lead_in_lines = -(-len(lead_in) // CHARACTERS_A_LINE)
    needed = HEADING_LINES * heading + lead_in_lines + first_part + CODE_BOX_LINES
    return min(needed, LEAD_IN_MOST)


class KeepLeadInWithCode(SphinxPostTransform):
    """Keep a code block's lead-in on the page where the code starts.

    A short code block moves whole to the next page when it does not fit
    (:class:`BreakCodeBetweenExamples`), and its lead-in stayed behind: an
    "Examples" heading and "Ten requests from the book's example, one of
    them very slow:" ended a page, the example on the next. Before the
    lead-in, or before the heading over it, this writes
    ``\\dmlsneedlines{n}``, :func:`lines_ahead`: the page breaks there
    unless it has room for the lead-in and the code's first part; after the
    lead-in, ``\\dmlsleadin``: no break before the code (dmlsbook.sty).

    A lead-in of more than :data:`LEAD_IN_WHOLE` lines before code kept
    whole is not asked room for: moved whole with its heading, it left a
    third of a page empty. After it, ``\\dmlslongleadin`` binds its last
    lines to the code as a heading binds the lines below it, and TeX breaks
    the page inside the lead-in, or before its heading.
    """

    default_priority = 219  # before BreakCodeBetweenExamples puts its mark before the code
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for paragraph in list(self.document.findall(nodes.paragraph)):
            code = _code_after(paragraph)
            if code is None:
                continue
            # A lead-in ends with a colon ("one of them very slow:"), or is
            # all that stands between a heading (an API entry's "Examples")
            # and the code.
            heading = _heading_before(paragraph)
            if heading is None and not paragraph.astext().rstrip().endswith(":"):
                continue
            parent = paragraph.parent
            code_lines = code.astext().splitlines()
            if len(paragraph.astext()) > LEAD_IN_WHOLE * CHARACTERS_A_LINE and not page_starts(
                code_lines
            ):
                # Long, before code kept whole: TeX finds the break.
                mark = nodes.raw("", "\\dmlslongleadin\n", format="latex")
                parent.insert(parent.index(paragraph) + 1, mark)
                continue
            parent.insert(
                parent.index(paragraph) + 1, nodes.raw("", "\\dmlsleadin\n", format="latex")
            )
            lines = lines_ahead(paragraph.astext(), code_lines, heading=heading is not None)
            # Below a heading's one line (KeepHeadingWithTwoLines), the
            # heading and the line come too.
            line = None if heading else _line_under_heading(paragraph)
            if line is not None:
                heading = _heading_before(line)
                lines = min(lines + HEADING_LINES + 1, LEAD_IN_MOST)
            anchor = paragraph if heading is None else heading
            if isinstance(heading, nodes.title):
                anchor = heading.parent  # the mark goes before the section the title opens
            # First in a section, right below its title (the first solution
            # under its page's heading), the mark goes before that section
            # too: TeX does not break after a title, so a mark there asks
            # for nothing (dmlsbook.sty), and the lead-in ended a page.
            while _first_in_section(anchor):
                anchor = anchor.parent
                lines = min(lines + HEADING_LINES, LEAD_IN_MOST)
            mark = nodes.raw("", f"\\dmlsneedlines{{{lines}}}\n", format="latex")
            parent, index = _before_its_targets(anchor)
            parent.insert(index, mark)


#: Characters an item of an API field's list holds on one line, and more:
#: the item is set 360 pt wide, about 78 characters of text, fewer of code.
#: An item up to this long is taken for one line, so that none is missed; a
#: two-line item taken for one only keeps the item before on its page.
FIELD_ITEM_LINE = 95


class KeepShortLastFieldItem(SphinxPostTransform):
    """Keep the last item of an API field's list with the item before, if short.

    Four pages opened with a field's last parameter or exception, one line
    ("ValueError - If its relative accuracy differs."), before the next
    field's label or the next function. At the end of the item before a last
    item of at most :data:`FIELD_ITEM_LINE` characters, this writes
    ``\\dmlskeepnextitem``: no page break between the two (dmlsbook.sty,
    which by itself keeps a label with two lines of its list).
    """

    default_priority = 220
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for body in self.document.findall(nodes.field_body):
            for items in body.children:
                if not isinstance(items, nodes.bullet_list) or len(items) < 2:
                    continue
                if len(items[-1].astext()) <= FIELD_ITEM_LINE:
                    items[-2].append(nodes.raw("", "\\dmlskeepnextitem\n", format="latex"))


class KeepHeadingWithTwoLines(SphinxPostTransform):
    """Keep a heading with two lines of what it heads.

    LaTeX keeps a heading with the first line below it. Where that line is a
    paragraph of its own, a solution's "back to Exercise CS.1", two pages
    ended with the solution's title and that link, its text on the next page.
    After a paragraph of at most :data:`ONE_LINE_MOST` characters that is all
    a heading holds before text or a list, this writes
    ``\\dmlskeepwithnext``: no break before what follows (dmlsbook.sty).
    Code right after such a line is :class:`KeepLeadInWithCode`'s, and so is
    the room for a lead-in to code after it, which it asks for before the
    heading.
    """

    default_priority = 219
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        text = (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list)
        for paragraph in list(self.document.findall(nodes.paragraph)):
            if len(paragraph.astext()) > ONE_LINE_MOST or _heading_before(paragraph) is None:
                continue
            parent = paragraph.parent
            index = parent.index(paragraph)
            below = [node for node in parent[index + 1 :] if not isinstance(node, nodes.raw)]
            if below and isinstance(below[0], text):
                parent.insert(index + 1, nodes.raw("", "\\dmlskeepwithnext\n", format="latex"))


class KeepLeadInWithFigure(SphinxPostTransform):
    """Print a figure that a lead-in introduces right below the lead-in.

    LaTeX floats a figure to where it fits; the iterative process's diagram,
    introduced by "..., like those the ad project took:", moved to the top
    of the next page, and its page ended with that line and the heading over
    it. Between a paragraph that ends with a colon and the figure after it,
    this writes ``\\dmlsleadin`` (no break) and ``\\dmlsfigurehere``: the
    figure stands where it is, not floated (dmlsbook.sty), and the page
    breaks before the lead-in, or before its heading, if the figure does not
    fit below them.
    """

    default_priority = 219
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for figure in list(self.document.findall(nodes.figure)):
            parent = figure.parent
            above = parent[: parent.index(figure)]
            before = [node for node in above if not isinstance(node, nodes.Invisible)]
            lead_in = before[-1] if before else None
            if isinstance(lead_in, nodes.paragraph) and lead_in.astext().rstrip().endswith(":"):
                mark = nodes.raw("", "\\dmlsleadin\n\\dmlsfigurehere\n", format="latex")
                parent.insert(parent.index(lead_in) + 1, mark)


def _before_its_targets(node: nodes.Element) -> tuple[nodes.Element, int]:
    """Where a mark goes before *node*: ahead of the targets and index entries
    just above it, which belong to it, even where they end the section
    before it (a MyST ``(name)=`` above a heading).

    Sphinx's LaTeX writer labels a target at its section's heading only when
    the section comes next in the document; with a mark in between, it
    labelled the target a second time, where it stood.
    """
    parent, index = node.parent, node.parent.index(node)
    while index and isinstance(parent[index - 1], nodes.section):
        parent = parent[index - 1]  # the end of this section is the same place
        index = len(parent)
    while index and isinstance(parent[index - 1], nodes.Invisible):
        index -= 1
    return parent, index


#: A hyphen-minus that prose means as a minus sign: before a number at the
#: start of a word ("a score of -1000", "(-1, inf)"), or between two operands
#: set apart by spaces ("1 - beta", "(B - 1)"). Not the hyphen of "GPT-3",
#: "1e-3", "2019-2020" or "non-negative".
PROSE_MINUS = re.compile(r"(?:^|(?<=[\s(\[{=<>“‘]))-(?=\.?\d)|(?<=[\w)\]] )-(?= [\w(])")


def true_minus(text: str) -> str:
    """*text* with each minus sign of :data:`PROSE_MINUS` set as U+2212."""
    return PROSE_MINUS.sub("\N{MINUS SIGN}", text)


class TrueMinusInProse(SphinxPostTransform):
    """Print a minus sign in prose as U+2212, not as a hyphen-minus.

    The numbers the pages compute carry a true minus (dmls_numbers.py,
    ``_signed``); a docstring, which must stay ASCII for ``help()`` and the
    linter, wrote "a score of -1000" with a hyphen, shorter and set lower.
    Code, literals, maths and API signatures are left as typed: a reader
    copies them. (Every builder.)
    """

    default_priority = 200

    def run(self, **kwargs) -> None:
        for text in list(self.document.findall(nodes.Text)):
            if "-" not in text or not is_smartquotable(text):
                continue
            changed = true_minus(str(text))
            if changed != text:
                text.parent.replace(text, nodes.Text(changed))


class PlainSignatureOperators(SphinxPostTransform):
    """Print an API signature's ``*`` and ``/`` as plain text.

    On the site they are abbreviations, explained when the pointer rests on
    them; LaTeX prints an abbreviation's explanation in brackets after its
    first use, and a signature read "threshold, *, (Keyword-only parameters
    separator (PEP 3102)), percentile=99.0". It also sets an abbreviation in
    small capitals, which the signature's italic font does not have: LaTeX
    warned, on every page with such a signature, and took upright ones.
    """

    default_priority = 200
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for signature in self.document.findall(addnodes.desc_signature):
            for abbreviation in list(signature.findall(nodes.abbreviation)):
                abbreviation.replace_self(abbreviation.children)


def _date_title_page(app: Sphinx) -> None:
    """Date the PDF by the commit, in Sphinx's own format for the title page."""
    date = getattr(app.config, "dmls_build_date", None)
    if app.builder.name == "latex" and date and not app.config.today:
        day = datetime.date.fromisoformat(date)
        app.builder.context["date"] = day.strftime(app.config.today_fmt or "%b %d, %Y")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _date_title_page)
    app.add_config_value("dmls_appendix_caption", "Reference", "env", types=[str])
    app.add_config_value("dmls_unnumbered_chapters", [], "env", types=[list])
    app.add_transform(ChapterNumberFromPlace)
    app.add_transform(PagesAtChapterLevel)
    app.add_post_transform(DropRubricsOverPageLists)
    app.add_post_transform(StartAppendices)
    app.add_post_transform(UnnumberedChapters)
    app.add_post_transform(BreakCodeBetweenExamples)
    app.add_post_transform(KeepLeadInWithCode)
    app.add_post_transform(KeepLeadInWithFigure)
    app.add_post_transform(KeepHeadingWithTwoLines)
    app.add_post_transform(KeepShortLastFieldItem)
    app.add_post_transform(TrueMinusInProse)
    app.add_post_transform(PlainSignatureOperators)
    app.add_post_transform(MarkBibliographyPlace)
    app.add_post_transform(KeepBibliographyInPlace)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
