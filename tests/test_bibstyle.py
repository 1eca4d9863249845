"""Author-year labels: the text and every bibliography print the same one."""

import re
from pathlib import Path

import pybtex.plugin
import pytest
from dmls_bibstyle import AuthorYearLabelStyle, AuthorYearSortingStyle, author_part
from pybtex.database import Entry, Person, parse_file
from pybtex.richtext import Text

BIBLIOGRAPHY = Path(__file__).resolve().parent.parent / "docs" / "references.bib"


def entry(year: str, title: str, *authors: str) -> Entry:
    made = Entry("misc", fields={"year": year, "title": title})
    made.persons["author"] = [Person(name) for name in authors]
    return made


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        (["Huyen, Chip"], "Huyen"),
        (["Dean, Jeffrey", "Barroso, Luiz Andr{\\'e}"], "Dean and Barroso"),
        (["Beyer, Betsy", "Jones, Chris", "Petoff, Jennifer"], "Beyer et al."),
        (["{Akamai Technologies}"], "Akamai Technologies"),
        (["Dud{\\'\\i}k, Miroslav"], "Dudík"),
    ],
)
def test_the_author_part_names_one_two_or_the_first_et_al(authors, expected):
    assert author_part(entry("2020", "T", *authors)) == expected


def test_works_that_would_share_a_label_get_a_and_b_in_order():
    works = [entry("2022", "Designing", "Huyen, Chip"), entry("2022", "dmls-book", "Huyen, Chip")]
    works.append(entry("2017", "Rules", "Zinkevich, Martin"))
    assert list(AuthorYearLabelStyle().format_labels(works)) == [
        "Huyen, 2022a",
        "Huyen, 2022b",
        "Zinkevich, 2017",
    ]


def test_organisations_sort_with_people_by_label():
    works = [entry("2019", "B", "Bernardi, Lucas"), entry("2017", "A", "{Akamai Technologies}")]
    assert [author_part(e) for e in AuthorYearSortingStyle().sort(works)] == [
        "Akamai Technologies",
        "Bernardi",
    ]


def format_bibliography():
    """references.bib, parsed, and its entries as the site prints them."""
    import dmls_bibstyle

    pybtex.plugin.register_plugin("pybtex.style.labels", "dmls_author_year", AuthorYearLabelStyle)
    pybtex.plugin.register_plugin(
        "pybtex.style.sorting", "dmls_author_year", AuthorYearSortingStyle
    )
    bibliography = parse_file(BIBLIOGRAPHY)
    style = dmls_bibstyle.BibliographyStyle()
    return bibliography, list(style.format_entries(bibliography.entries.values()))


def test_every_label_of_the_bibliography_is_unique_and_author_year():
    bibliography, formatted = format_bibliography()
    labels = [item.label for item in formatted]
    assert len(set(labels)) == len(labels) == len(bibliography.entries)
    assert labels == sorted(labels, key=str.casefold)
    dois = [item.text.render_as("text") for item in formatted if "doi.org" in str(item.text)]
    assert dois
    assert all(text.count("doi.org/") == 1 for text in dois)


def test_every_entry_prints_its_year_once_and_no_tex():
    """The year once (not "CNBC, 19 July 2018, 2018."), links without a
    "URL:" before them, and no TeX escape left over ("up to \\$100")."""
    bibliography, formatted = format_bibliography()
    for item in formatted:
        entry = bibliography.entries[item.key]
        text = item.text.render_as("text")
        if entry.type == "misc":  # a proceedings' title may name its year
            title = Text.from_latex(entry.fields["title"]).render_as("text")
            rest = re.sub(r"https?://\S+", "", text.casefold().replace(title.casefold(), ""))
            assert rest.count(entry.fields["year"]) == 1, text
        assert "URL:" not in text, text
        assert not re.search(r"[\\`{}]", text), text


def test_an_entry_ends_with_its_link_and_no_full_stop_after_it():
    """A stop after an address reads as part of it, and on a phone it
    wrapped onto a line of its own; an entry without a link ends in one."""
    bibliography, formatted = format_bibliography()
    endings = {"link": 0, "stop": 0}
    for item in formatted:
        text = item.text.render_as("text")
        fields = bibliography.entries[item.key].fields
        if "url" in fields or "doi" in fields:
            assert re.search(r"https?://\S+[^.]$", text), text
            endings["link"] += 1
        else:
            assert text.endswith("."), text
            endings["stop"] += 1
    assert endings["link"] > 10, endings
    assert endings["stop"] > 0, endings


def test_no_author_is_a_name_with_and_others_inside():
    """A work with more authors than listed ends its list with the name
    "others" (labelled "et al."); inside an organisation's braces, "and
    others" printed as part of the organisation's name."""
    bibliography, _ = format_bibliography()
    names = [str(person) for entry in bibliography.entries.values()
             for person in entry.persons.get("author", [])]  # fmt: skip
    assert [name for name in names if "others" in name and name != "others"] == []
