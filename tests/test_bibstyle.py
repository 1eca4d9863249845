"""Author-year labels: the text and every bibliography print the same one."""

from pathlib import Path

import pybtex.plugin
import pytest
from dmls_bibstyle import AuthorYearLabelStyle, AuthorYearSortingStyle, author_part
from pybtex.database import Entry, Person, parse_file

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


def test_every_label_of_the_bibliography_is_unique_and_author_year():
    import dmls_bibstyle

    pybtex.plugin.register_plugin("pybtex.style.labels", "dmls_author_year", AuthorYearLabelStyle)
    pybtex.plugin.register_plugin(
        "pybtex.style.sorting", "dmls_author_year", AuthorYearSortingStyle
    )
    bibliography = parse_file(BIBLIOGRAPHY)
    style = dmls_bibstyle.BibliographyStyle()
    formatted = list(style.format_entries(bibliography.entries.values()))
    labels = [item.label for item in formatted]
    assert len(set(labels)) == len(labels) == len(bibliography.entries)
    assert labels == sorted(labels, key=str.casefold)
    dois = [item.text.render_as("text") for item in formatted if "doi.org" in str(item.text)]
    assert dois
    assert all(text.count("doi.org/") == 1 for text in dois)
