"""One author-year citation style for the text and every bibliography.

A citation in the text reads "[Huyen, 2022a]" and the bibliography lists the
work under that very label, in the HTML, the EPUB and the PDF alike: the
label is computed once, by a pybtex label style, and both the citation in
the text and the entry in the list print it.

- ``dmls_author_year`` (pybtex label style): "Huyen, 2022",
  "Dean and Barroso, 2013", "Beyer et al., 2016"; works that would share a
  label get "a", "b", ... after the year, in bibliography order.
- ``dmls_author_year`` (pybtex sorting style): by those labels.
- ``dmls`` (pybtex formatting style): pybtex's "plain" with those labels,
  in that order, and a DOI printed as its https://doi.org/ link, so the
  link is the text and the PDF does not print it twice; a URL likewise,
  without pybtex's "URL:" before it, and no full stop after either.
- ``dmls_author_year`` (sphinxcontrib-bibtex referencing style):
  ``{cite:p}`` gives "[Huyen, 2022a]", ``{cite:t}`` gives "Huyen [2022a]";
  several works in one citation are separated by semicolons.

Entries keep the date in ``year`` and ``month`` (``month = {19~July}``
prints "19 July 2018"), the address in ``url`` and the venue in
``howpublished``: a date or address in ``howpublished`` would print the
year twice, or the link before the date.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from string import ascii_lowercase

import pybtex.plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import field as bib_field
from pybtex.style.template import href, join, node, optional, sentence
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import (
    BaseReferenceStyle,
    BracketStyle,
    GroupReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle
from sphinxcontrib.bibtex.style.template import join2, post_text, pre_text, reference

#: "Author, year" labels separate author from year with this.
AUTHOR_YEAR_SEP = ", "

#: pybtex's plain-text backend. ``Text.render_as("text")`` looks the backend
#: up through every installed package's entry points on each call, 7 ms
#: apiece: with a few hundred names that was most of a clean build's
#: bibliography. Look it up once.
_PLAIN_TEXT = pybtex.plugin.find_plugin("pybtex.backends", "text")()


def _plain(text: Text) -> str:
    """*text* (pybtex rich text, TeX decoded) as plain text."""
    return text.render(_PLAIN_TEXT)


def _surnames(person) -> str:
    """A person's surname as printed: "von" part and last names, TeX decoded."""
    parts = [*person.rich_prelast_names, *person.rich_last_names]
    return " ".join(_plain(part) for part in parts)


def author_part(entry) -> str:
    """The author half of a label: one, two, or the first and "et al."."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_surnames(person) for person in persons]
    if not names:
        return _plain(Text.from_latex(entry.fields.get("title", "Anonymous")))
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels "Author, year", with a, b, ... where two works would share one."""

    def format_labels(self, sorted_entries):
        sorted_entries = list(sorted_entries)
        bases = [
            f"{author_part(entry)}{AUTHOR_YEAR_SEP}{entry.fields.get('year', 'n.d.')}"
            for entry in sorted_entries
        ]
        shared = {base for base, count in Counter(bases).items() if count > 1}
        seen: Counter[str] = Counter()
        for base in bases:
            if base in shared:
                yield base + ascii_lowercase[seen[base]]
                seen[base] += 1
            else:
                yield base


class AuthorYearSortingStyle(BaseSortingStyle):
    """Alphabetical by label, as a reader scans an author-year list.

    pybtex's own key compares raw BibTeX names, which puts a braced
    organisation ("{Akamai Technologies}") after every person.
    """

    def sorting_key(self, entry):
        title = _plain(Text.from_latex(entry.fields.get("title", "")))
        return (author_part(entry).casefold(), entry.fields.get("year", ""), title.casefold())


class BibliographyStyle(PlainStyle):
    """pybtex's plain style with author-year labels and DOIs as links."""

    default_label_style = "dmls_author_year"
    default_sorting_style = "dmls_author_year"

    def format_doi(self, e):
        url = join["https://doi.org/", bib_field("doi", raw=True)]
        return href(url)[url]

    def format_url(self, e):
        url = bib_field("url", raw=True)
        return href(url)[url]

    def format_web_refs(self, e):
        """pybtex's links, ending the entry without a full stop: a stop after
        an address reads as part of it (APA asks for none), and on a phone
        it wrapped onto a line of its own."""
        return sentence(add_period=False)[
            optional[self.format_url(e), optional[" (visited on ", bib_field("urldate"), ")"]],
            optional[self.format_eprint(e)],
            optional[self.format_pubmed(e)],
            optional[self.format_doi(e)],
        ]


@node
def label_year(children, data):
    """The year half of the entry's label, with its a/b suffix."""
    assert not children
    return Text(data["formatted_entry"].label.rpartition(AUTHOR_YEAR_SEP)[2])


@node
def label_author(children, data):
    """The author half of the entry's label."""
    assert not children
    return Text(data["formatted_entry"].label.rpartition(AUTHOR_YEAR_SEP)[0])


@node
def label(children, data):
    assert not children
    return Text(data["formatted_entry"].label)


@dataclass
class _Parenthetical(BaseReferenceStyle):
    """``{cite:p}``: "[Huyen, 2022a; Dean and Barroso, 2013]"."""

    bracket: BracketStyle = field(default_factory=BracketStyle)

    def role_names(self):
        return [f"{alt}p{full}" for alt in ("", "al") for full in ("", "s")]

    def outer(self, role_name, children):
        return self.bracket.outer(children, brackets="al" not in role_name, capfirst=False)

    def inner(self, role_name):
        return join2(sep1=" ", sep2=", ")[pre_text, reference[label], post_text]


@dataclass
class _Textual(BaseReferenceStyle):
    """``{cite:t}``: "Huyen [2022a]", the author named in the sentence."""

    bracket: BracketStyle = field(default_factory=BracketStyle)

    def role_names(self):
        return [f"{cap}t{full}" for cap in ("", "c") for full in ("", "s")]

    def outer(self, role_name, children):
        return self.bracket.outer(children, brackets=False, capfirst="c" in role_name)

    def inner(self, role_name):
        return join(sep=" ")[
            label_author,
            join[
                self.bracket.left,
                join2(sep1=" ", sep2=", ")[pre_text, reference[label_year], post_text],
                self.bracket.right,
            ],
        ]


@dataclass
class AuthorYearReferenceStyle(GroupReferenceStyle):
    """In-text citations that print the bibliography's own labels."""

    bracket: BracketStyle = field(default_factory=lambda: BracketStyle(sep="; "))

    def __post_init__(self):
        self.styles.extend(
            [
                _Parenthetical(bracket=self.bracket),
                _Textual(bracket=self.bracket),
                ExtraLabelReferenceStyle(bracket=self.bracket),
                ExtraEmptyReferenceStyle(),
            ]
        )
        super().__post_init__()


def setup(app: Sphinx) -> dict:
    pybtex.plugin.register_plugin("pybtex.style.labels", "dmls_author_year", AuthorYearLabelStyle)
    pybtex.plugin.register_plugin(
        "pybtex.style.sorting", "dmls_author_year", AuthorYearSortingStyle
    )
    pybtex.plugin.register_plugin("pybtex.style.formatting", "dmls", BibliographyStyle)
    register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "dmls_author_year", AuthorYearReferenceStyle
    )
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
