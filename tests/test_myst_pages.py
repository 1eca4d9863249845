"""The page reader the prose tests share (tests/myst_pages.py) reads a page
as the build does: prose apart from code, options and roles, each block in
its section, exercise and list."""

from myst_pages import (
    CITE,
    HIDDEN,
    PAGES,
    conf_settings,
    examples_around,
    numbers_in,
    page_id,
    parse,
    read,
)

PAGE = """\
---
og:description: Ten requests, in chapter 1.
---

# Latency

The book's ten requests {cite:p}`huyen2022`, with `timeout=5`, $x_3$,
{{ book_p90_nearest }} and a {term}`p99 <P99>`:

- one took 3000 ms;
- nine took about 100.

| who | wants |
|---|---|
| product | 100 ms |

```{doctest}
>>> print(110)
110
```

:::{admonition} Key ideas
:class: key-ideas

A summary of 10.
:::

## Exercises

::::{exercise} One request
:level: compute

Take 10 requests.

:::{solution}
```{doctest}
>>> 10
10
```

Ten, as given.
:::
::::
"""


def test_the_parser_is_configured_as_the_build():
    """conf.py's settings, read without importing it: the ones MyST needs here."""
    settings = conf_settings()
    assert "substitution" in settings["myst_enable_extensions"]
    assert settings["myst_dmath_allow_digits"] is False


def test_prose_code_and_markup_are_told_apart():
    """Code, maths, roles and substitutions are not prose; a term keeps its
    words, a citation leaves a mark; a table row reads each cell after its
    heading; the description in the front matter is prose."""
    page = parse(PAGE, "test.md")
    assert [(b.where, b.exercise, b.text) for b in page.prose] == [
        ("page", None, "Ten requests, in chapter 1."),
        ("page", None, "Latency"),
        (
            "page",
            None,
            f"The book's ten requests {CITE}, with  {HIDDEN} ,  {HIDDEN} ,  {HIDDEN}  and a p99:",
        ),
        ("page", None, "one took 3000 ms;"),
        ("page", None, "nine took about 100."),
        ("page", None, "who | wants"),
        ("page", None, "who product | wants 100 ms"),
        ("page", None, "Key ideas"),
        ("page", None, "A summary of 10."),
        ("page", None, "Exercises"),
        ("question", 0, "One request"),
        ("question", 0, "Take 10 requests."),
        ("solution", 0, "Ten, as given."),
    ]
    assert page.prose[2].substitutions == ("book_p90_nearest",)
    assert [(b.where, b.exercise, b.text) for b in page.code] == [
        ("page", None, ">>> print(110)\n110\n"),
        ("solution", 0, ">>> 10\n10\n"),
    ]
    assert [(e.title, e.level) for e in page.exercises] == [("One request", "compute")]


def test_blocks_know_their_context():
    """The line a block starts on, its section, the colon sentence that
    introduces its list, and whether a summary holds it."""
    page = parse(PAGE, "test.md")
    by_text = {b.text: b for b in page.prose}
    assert by_text["one took 3000 ms;"].lead == page.prose[2].text
    assert by_text["who | wants"].lead == ""  # after a list, no colon introduces it
    assert by_text["A summary of 10."].summary
    assert not by_text["Ten, as given."].summary
    lines = [1, 5, 7, 10, 11, 13, 15, 17, 22, 25, 28, 30, 33, 36, 41]
    assert [b.line for b in page.blocks] == lines
    assert [b.section for b in page.blocks] == [0] + [1] * 9 + [2] * 5


def test_every_page_is_parsed_once():
    assert "chapter-1/data.md" in [page_id(path) for path in PAGES]
    assert all(read(path) is read(path) for path in PAGES)


def test_each_paragraph_knows_the_examples_either_side():
    """An example is a run of code blocks; a paragraph gets the one before it
    and the one after it, in its section or its solution, nothing further."""
    page = parse(
        "# A\n\nFirst.\n\n```{testsetup}\nx = 1\n```\n\n```{doctest}\n>>> 1\n1\n```\n\n"
        "Between.\n\n```{doctest}\n>>> 2\n2\n```\n\nAfter.\n\n"
        "```{doctest}\n>>> 3\n3\n```\n\nLast.\n\n# B\n\nAlone.\n",
        "test.md",
    )
    around = {
        block.text: [code.text for code in codes]
        for block, codes in examples_around(page.blocks).items()
    }
    assert around == {
        "A": ["x = 1\n", ">>> 1\n1\n"],
        "First.": ["x = 1\n", ">>> 1\n1\n"],
        "Between.": ["x = 1\n", ">>> 1\n1\n", ">>> 2\n2\n"],
        "After.": [">>> 2\n2\n", ">>> 3\n3\n"],
        "Last.": [">>> 3\n3\n"],
        "B": [],
        "Alone.": [],
    }
    solution = parse(PAGE, "test.md")
    (ten,) = (b for b in solution.prose if b.text == "Ten, as given.")
    assert [code.text for code in examples_around(solution.blocks)[ten]] == [">>> 10\n10\n"]


def test_numbers_in_code_are_read_as_python_and_print_write_them():
    assert numbers_in("f(1_000, 1e-3, -1.2) -> (1,100, 14,2) p99 x2 0.5") == {
        1000.0: 1,
        0.001: 1,
        -1.2: 1,
        1100.0: 1,
        14.0: 1,
        2.0: 1,
        0.5: 1,
    }
    assert numbers_in("(0.81, 0.81)") == {0.81: 2}
