"""The printed book: chapter titles, appendices and one bibliography.

The same pages make the website, the EPUB and the PDF. Where print needs
something the screen does not, this extension changes the PDF's document
tree, through Sphinx's post-transforms for the LaTeX builder:

- A chapter's number comes from its place in the book, so a page title
  "Chapter 1: Overview of ML systems" is shown as "Overview of ML systems",
  numbered 1 by the numbered toctree on the website and in the EPUB and by
  LaTeX in the PDF. (This part applies to every builder.)
- A rubric that only introduces the list of a chapter's pages ("Pages in
  this chapter") is dropped from the PDF, where the pages follow in full.
- The reference pages (the toctree captioned ``dmls_appendix_caption``)
  become the book's appendices.
- The bibliography stays where the References page puts it, instead of
  moving to a chapter of its own at the end of the book.
- The title page carries conf.py's ``dmls_build_date`` (the last commit's
  day), as the HTML and the EPUB do, not the day of the build.

docs/_latex/dmlsbook.sty styles what LaTeX draws.
"""

from __future__ import annotations

import datetime
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

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


def _date_title_page(app: Sphinx) -> None:
    """Date the PDF by the commit, in Sphinx's own format for the title page."""
    date = getattr(app.config, "dmls_build_date", None)
    if app.builder.name == "latex" and date and not app.config.today:
        day = datetime.date.fromisoformat(date)
        app.builder.context["date"] = day.strftime(app.config.today_fmt or "%b %d, %Y")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _date_title_page)
    app.add_config_value("dmls_appendix_caption", "Reference", "env", types=[str])
    app.add_transform(ChapterNumberFromPlace)
    app.add_post_transform(DropRubricsOverPageLists)
    app.add_post_transform(StartAppendices)
    app.add_post_transform(MarkBibliographyPlace)
    app.add_post_transform(KeepBibliographyInPlace)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
