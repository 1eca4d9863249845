"""Card tables as a browser shows them, on the site and in the EPUB.

A table of class ``dmls-cards`` (the seed map's, the errata's summary, the
chapter 1 overview's) is a table on a wide screen and a card a row on a
narrow one, each cell under its column's header (dmls-common.css;
docs/_ext/dmls_site.py writes the ``data-label``). The site's browser tests
and the EPUB's output tests measure it with :data:`MEASURE_CARDS` and check
it with :func:`check_cards`.
"""

from __future__ import annotations

#: What each card table shows of itself, its rows and their cells.
MEASURE_CARDS = """() => [...document.querySelectorAll("table.dmls-cards")].map((table) => ({
    display: getComputedStyle(table).display,
    scrolls: table.parentElement.scrollWidth > table.parentElement.clientWidth + 1,
    headers: [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim()),
    rows: [...table.querySelectorAll("tbody tr")].map((row) => [...row.children].map((cell) => ({
        label: getComputedStyle(cell, "::before").content,
        shown: cell.checkVisibility(),
        empty: !cell.textContent.trim(),
    }))),
}))"""


def check_cards(tables: list[dict], *, narrow: bool) -> None:
    """Assert that the card tables *tables* (measured by :data:`MEASURE_CARDS`)
    are tables on a wide screen and, on a *narrow* one, cards that need no
    sideways scroll: every cell that holds something shown under its
    column's header, an empty one (the errata's page, given once for its
    entries) not shown."""
    assert tables
    for table in tables:
        assert len(table["headers"]) >= 3
        if not narrow:
            assert table["display"] == "table"
            continue
        assert table["display"] == "block"
        assert not table["scrolls"]
        for row in table["rows"]:
            assert [cell["label"] for cell in row if cell["shown"]] == [
                f'"{header}"'
                for header, cell in zip(table["headers"], row, strict=True)
                if not cell["empty"]
            ]
