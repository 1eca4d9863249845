"""Every number the prose types by hand is a checked claim.

A page runs a doctest and then says, in words, what it printed: "the mean
falls from 120 to 96 ms". The doctest guards the code's output, but nothing
guarded the sentence: change an input, update the printed output, and the
prose keeps the old number. tests/test_prose_numbers.py checks the numbers
quoted through substitutions (``{{ name }}``); this file checks the ones
typed by hand, in all of every page's prose: body text, headings,
admonitions, figure captions, tables, lists, definitions (the glossary, the
errata), exercises and their solutions, and the page's description; not
code, maths, directive options or the text of cross-references.
tests/test_docstring_claims.py checks the API reference's prose (the
package's docstrings) with the same reading of a number, tests/claims.py.

Pages are read once each, with MyST's own parser (tests/myst_pages.py).
Every number a sentence types must be one of these, tried in this order:

- *a reference*, recognised by the words around it, never by its value: a
  chapter, section, figure, table, exercise, step, item, page, version or a
  label ("chapter 2", "steps 3 and 4", "photo 4"), an ordinal (the 90th
  percentile), the unit of a rate ("per 1,000 views", "one in a thousand")
  or a year ("in 2017", "2019's survey");
- *cited*: its sentence carries a ``{cite:p}`` or ``{cite:t}``, or the
  sentence that introduces its list or table with a colon does; or it
  restates a number cited in its section (a "Key ideas" summary: on its
  page); or it stands in an errata entry, whose "Source" names what settles
  it and whose other numbers quote the text it corrects;
- *printed* by a doctest, in its output, or named by a percentile (p99 says
  99%): for page text, by the example just before it or just after it in
  its section (an example is a run of code blocks with no prose between),
  so that a number is checked against the example it sits beside; for a
  compute exercise's question, by its exercise's examples (a check or
  design question, also by the page's); for a solution, by the examples
  just before or after it in the solution, since a solution restates what
  the example beside it shows;
- *an input*: in the code of those examples, or a field of a
  ``dmls_examples.datasets`` constant that the page's code imports; for a
  solution, in the code of its exercise (question and solution), or a
  number its question states;
- *given*: in the question of a check or design exercise, which sets out a
  scenario no code reads (a compute exercise's question must match its
  example, so a question and its code cannot drift apart);
- *allowed*: matched by an entry of ALLOWED, each with its reason.

A number that is none of these fails. If it equals, as written, the value
of a substitution the page uses, the message names it: a computed number is
quoted through ``{{ name }}``, never typed (the project's convention). Only
such unsourced numbers are matched against substitutions: matched by value
alone, a typed 100 ms would "be" every substitution that renders 100.

A number is read, and *shown* by a source number, as tests/claims.py
says: at the precision the prose writes it (prose 0.286 matches 0.2857),
a percentage also by a fraction (75% by 0.75), a number in words ("a
third", "twice") to a tenth of its value. A range a–b is two numbers,
each checked.

A list of numbers in digits ("0.05, 0.22, 0.81 and 0.39", "5% or 1%") is
also counted: its items that are printed need as many printed numbers, and
its inputs as many inputs, one for each item, so a list that repeats 0.81
needs 0.81 twice in its sources. (Across sentences a number may be
restated as often as the prose likes.)

Page text is split into sentences at . ! and ?; a solution also at : and ;
so that a citation there excuses only the clause it stands in.

What it cannot check: whether the matching number is the right one (prose
"96 ms" passes if the example beside it prints or reads any number that
rounds to 96, and a small integer such as 1 or 2 matches much), and
whether a cited figure is what the source says: the citation is taken at
its word.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import pytest
from claims import Claim, allowance, claims_in, is_reference, sentences
from myst_pages import (
    CITE,
    PAGES,
    Page,
    Prose,
    examples_around,
    numbers_in,
    page_id,
    parse,
    read,
    rendered_value,
    split_doctest,
)

from dmls_examples import datasets

#: Patterns around a number that make it no claim about an example. The
#: number is allowed when it lies inside a match in its sentence.
ALLOWED = {
    r"\b95% (?:confidence |Wilson score )?interval|\b5% significance|\b80% power": (
        "a conventional setting of a test (95% confidence, 5% significance, 80% power), "
        "chosen, not computed"
    ),
    r'"20 to 30 minutes"': "a band an app might display, an illustration, not a result",
    r"99% of checks within 500 ms": "an objective the answer proposes, not a result",
    r"\$240": "the price in the worked card payment, invented; nothing computes with it",
    r"(?:within|longer than) 50 ms": (
        "the threshold that makes a reply slow in the ensemble exercise, whose arithmetic "
        "runs on the 1% share beyond it"
    ),
    r"halves the memory": "16 bits are half of 32, and 8 of 16: the widths the example prints",
    r"a tenth, a quarter, half and all of the": (
        "the training-set sizes of a learning curve, a procedure to follow, not a result"
    ),
    r"A 1% relative error is 1 ms on 100 ms and 10 ms on 1 s": (
        "the definition worked on two latencies: 1% of 100 ms, and of 1 s"
    ),
    r"scores 0\.2, about 20%": "the definition's own example: a score of 0.2 read as 20% of cases",
    r"lasts 23 or 25 hours": "a day across a one-hour change of clocks: 24 hours, less or more one",
    r"half empty, a label rate that doubles overnight|traffic doubles": (
        "what a check or a requirement must catch: examples of a fault, not measurements"
    ),
    r"a thousand times too small": "a second is a thousand milliseconds",
    r"doubled after midnight": "a rule of the invented rate card, the page's example of a rule",
}

#: A percentile's name: p99 says 99% as plainly as a printed 0.99; so does
#: "the 99th percentile", whose 99 is the name and no claim.
PERCENTILE_NAME = re.compile(r"\bp(\d+(?:\.\d+)?)\b|\b(\d+(?:\.\d+)?)th percentile")


# -- Where a number may come from ----------------------------------------------

#: The names a page's code imports from dmls_examples.datasets, or reads as
#: ``datasets.NAME``.
_IMPORT = re.compile(r"from dmls_examples\.datasets import ([\w, ]+)")
_ATTRIBUTE = re.compile(r"\bdatasets\.(\w+)")


def _flatten(value, depth: int = 0):
    """The numbers a constant holds: in its fields, items and small arrays."""
    if isinstance(value, bool) or depth > 4:
        return
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _flatten(item, depth + 1)
    elif hasattr(value, "size") and hasattr(value, "tolist") and value.size <= 100:
        yield from _flatten(value.tolist(), depth + 1)


@cache
def dataset_numbers(name: str) -> Counter[float]:
    """The numbers of the datasets constant *name*, or of what its function returns."""
    value = getattr(datasets, name, None)
    if callable(value) and not isinstance(value, type):
        value = value()
    return Counter(_flatten(value))


def inputs_read(code: str) -> Counter[float]:
    """The numbers of the datasets constants the code reads."""
    names = set(_ATTRIBUTE.findall(code))
    for group in _IMPORT.findall(code):
        for item in group.split(","):
            if item.strip():
                names.add(item.split()[0])
    return sum((dataset_numbers(name) for name in sorted(names)), Counter())


@dataclass
class Sources:
    """The numbers a block of prose may restate, by kind, each as often as it stands there."""

    printed: Counter[float]  # doctest output, and the shares percentiles name
    inputs: Counter[float]  # doctest code, datasets constants, a question's givens

    def __or__(self, other: Sources) -> Sources:
        return Sources(self.printed + other.printed, self.inputs + other.inputs)


def _sources(code: list[str], *, datasets_too: bool = True) -> Sources:
    """What the examples print, and the inputs they read."""
    program, output = zip(*map(split_doctest, code), strict=True) if code else ((), ())
    inputs = numbers_in("\n".join(program))
    if datasets_too:
        inputs += inputs_read("\n".join(program))
    return Sources(numbers_in("\n".join(output)), inputs)


def _named(prose: list[str]) -> Counter[float]:
    """The shares that percentiles name: p99 says 99% as plainly as a printed 0.99."""
    return Counter(float(a or b) / 100 for t in prose for a, b in PERCENTILE_NAME.findall(t))


def _stated(blocks: list[Prose], *, cited_only: bool = False) -> Counter[float]:
    """The numbers the blocks' sentences state (only the cited ones, if asked)."""
    return Counter(
        c.value * c.scale
        for block in blocks
        for sentence in sentences(block.text)
        if not cited_only or CITE in sentence or CITE in sentences(block.lead)[-1]
        for c in claims_in(sentence)
    )


# -- The classification -------------------------------------------------------

#: What a number can be; the last three fail the test.
KINDS = (
    "reference", "cited", "printed", "input", "given", "allowed",
    "repeated", "substitution", "unsourced",
)  # fmt: skip
PASS = set(KINDS[:6])


@dataclass(frozen=True)
class Verdict:
    page: str
    where: str  # "page", "question" or "solution"
    exercise: str | None  # its title
    line: int
    claim: Claim
    kind: str  # one of KINDS
    detail: str = ""  # the ALLOWED pattern, or the substitution

    def __str__(self) -> str:
        where = f"{self.exercise!r}, {self.where}" if self.exercise else self.where
        hint = {
            "substitution": f", which is {{{{ {self.detail} }}}}",
            "repeated": ", listed more often than its sources hold it",
        }.get(self.kind, "")
        return f"{self.page}:{self.line} [{where}] {self.claim.text}{hint}: {self.claim.readable!r}"


def _substitution(claim: Claim, used: dict[str, tuple[float, bool]]) -> str:
    """The substitution of the page whose rendered value the claim types, or "".

    A multiple or a fraction in words is never one: a substitution renders
    digits, and "twice" is not the "2" of some other quantity.
    """
    if claim.text[0].isalpha() and claim.scale == 1.0:
        return ""
    for name, (value, percent) in used.items():
        if (claim.percent or not percent) and claim.shown({value}):
            return name
    return ""


class _Page:
    """What a page's prose may draw its numbers from.

    Page text draws on the examples either side of it in its section (the
    one before it and the one after it), the datasets constants the page's
    code imports, and the numbers cited in its section; a "Key ideas"
    summary, on the numbers its page cites. A compute exercise's question
    draws on its exercise's examples; a check or design question also on the
    page's. A solution restates what the examples either side of it in the
    solution print, and the inputs of its exercise's code and question.
    """

    def __init__(self, page: Page, numbers: dict[str, str]) -> None:
        self.page = page
        self.used = {
            name: parsed
            for block in page.prose
            for name in block.substitutions
            if name in numbers and (parsed := rendered_value(numbers[name])) is not None
        }
        text = [b for b in page.prose if b.where == "page"]
        code = [b for b in page.code if b.where == "page"]
        # Page-wide: the datasets constants the code imports, the percentiles the prose names.
        self.everywhere = Sources(
            _named([b.text for b in page.prose]), inputs_read("\n".join(b.text for b in code))
        )
        self.page_examples = _sources([b.text for b in code])
        self.around = examples_around(page.blocks)
        self.cited = {
            section: _stated([b for b in text if b.section == section], cited_only=True)
            for section in {b.section for b in page.prose}
        }
        self.cited_on_page = _stated(text, cited_only=True)
        # An errata entry names its Source; its other numbers quote what it corrects.
        self.sourced = {b.section for b in page.prose if b.text.strip() == "Source"}
        self.examples: list[Sources] = []  # each exercise's examples
        self.givens: list[Counter[float]] = []  # what each exercise's question states
        self.named: list[Counter[float]] = []  # the shares each exercise's percentiles name
        for index in range(len(page.exercises)):
            prose = [b for b in page.prose if b.exercise == index]
            code = [b.text for b in page.code if b.exercise == index]
            self.named.append(_named([b.text for b in prose]))
            self.examples.append(_sources(code) | Sources(self.named[-1], Counter()))
            self.givens.append(_stated([b for b in prose if b.where == "question"]))

    def sources(self, block: Prose) -> Sources:
        around = [code.text for code in self.around.get(block, ())]
        if block.where == "solution":  # its own examples and question, nothing else
            exercise = self.examples[block.exercise]
            return Sources(
                _sources(around).printed + self.named[block.exercise],
                exercise.inputs + self.givens[block.exercise],
            )
        if block.where == "question":
            if self.page.exercises[block.exercise].level == "compute":
                return self.everywhere | self.examples[block.exercise]
            return self.everywhere | self.page_examples | self.examples[block.exercise]
        return self.everywhere | _sources(around, datasets_too=False)

    def restated(self, block: Prose) -> Counter[float]:
        """The cited numbers a block may repeat without citing them again."""
        if block.where == "solution":
            return Counter()
        return self.cited_on_page if block.summary else self.cited[block.section]

    def classify(self) -> list[Verdict]:
        verdicts = []
        for block in self.page.prose:
            sources, restated = self.sources(block), self.restated(block)
            exercise = self.page.exercises[block.exercise] if block.exercise is not None else None
            lead = CITE in sentences(block.lead)[-1] or block.section in self.sourced
            for sentence in sentences(block.text, clauses=block.where == "solution"):
                found = {}
                for claim in claims_in(sentence):
                    cited = lead or CITE in sentence or claim.shown(restated)
                    kind, detail = self._kind(claim, sources, cited=cited)
                    if (
                        kind == "unsourced"
                        and block.where == "question"
                        and exercise.level != "compute"
                    ):
                        kind = "given"
                    found[claim] = kind, detail
                for listed in lists_in(sentence):
                    for kind, numbers in (("printed", sources.printed), ("input", sources.inputs)):
                        backed = [c for c in listed if found[c][0] == kind]
                        for claim in unmatched(backed, numbers):
                            found[claim] = "repeated", ""
                title = exercise.title if exercise else None
                verdicts += [
                    Verdict(self.page.name, block.where, title, block.line, claim, kind, detail)
                    for claim, (kind, detail) in found.items()
                ]
        return verdicts

    def _kind(self, claim: Claim, sources: Sources, *, cited: bool) -> tuple[str, str]:
        if is_reference(claim):
            return "reference", ""
        if cited:
            return "cited", ""
        if claim.shown(sources.printed):
            return "printed", ""
        if claim.shown(sources.inputs):
            return "input", ""
        if pattern := allowance(claim, ALLOWED):
            return "allowed", pattern
        if name := _substitution(claim, self.used):
            return "substitution", name
        return "unsourced", ""


#: What joins the items of a list of numbers: "0.3, 0.4, 0.5 and 0.6", "5% or 1%".
_LIST_JOIN = re.compile(r"%?(?:,? and |,? or |, )")


def lists_in(sentence: str) -> list[list[Claim]]:
    """The lists of numbers in digits the sentence writes, two or more items each."""
    lists: list[list[Claim]] = []
    listed: list[Claim] = []
    for claim in claims_in(sentence):
        if not claim.text[0].isdigit():
            listed = []
        elif listed and _LIST_JOIN.fullmatch(sentence[listed[-1].end : claim.start]):
            listed.append(claim)
        else:
            listed = [claim]
            lists.append(listed)
    return [items for items in lists if len(items) > 1]


def unmatched(claims: list[Claim], sources: Counter[float]) -> list[Claim]:
    """The claims left over when each number of *sources* backs one claim at most.

    A list's items are as many claims as it has items: "0.05, 0.81, 0.81"
    needs 0.81 twice in its sources. The matching is a maximum one (each
    claim tries to take a number another claim holds, if that one can move).
    """
    pool = [n for n in sources if any(c.shown({n}) for c in claims)]
    pool = [n for n in pool for _ in range(sources[n])]
    holder: dict[int, int] = {}  # a pool index, and the claim that holds it

    def take(claim: int, tried: set[int]) -> bool:
        for index, number in enumerate(pool):
            if index not in tried and claims[claim].shown({number}):
                tried.add(index)
                if index not in holder or take(holder[index], tried):
                    holder[index] = claim
                    return True
        return False

    return [claim for index, claim in enumerate(claims) if not take(index, set())]


def classify(page: Page, numbers: dict[str, str]) -> list[Verdict]:
    """Every number the page's prose types, and what it is."""
    return _Page(page, numbers).classify()


# -- The site ------------------------------------------------------------------


@pytest.fixture(scope="module")
def verdicts(numbers) -> dict[str, list[Verdict]]:
    """Every page's verdicts, each page parsed once."""
    return {page_id(path): classify(read(path), numbers) for path in PAGES}


@pytest.mark.parametrize("page", [page_id(path) for path in PAGES])
def test_every_typed_number_has_a_source(page, verdicts):
    wrong = [str(v) for v in verdicts[page] if v.kind not in PASS]
    assert not wrong, (
        "numbers the prose types with no source (cite, print or substitute them):\n"
        + ("\n".join(wrong))
    )


def test_every_allowance_is_needed(verdicts):
    """An allowance no sentence uses would let a future number through unread."""
    used = {v.detail for found in verdicts.values() for v in found if v.kind == "allowed"}
    assert set(ALLOWED) - used == set()


# -- The rules at work, on a page made for them ---------------------------------

RELEASE = """\
# A release

The release, in 2017, sped up most requests, as chapter 1 describes and
Akamai measured up to 7% {cite:p}`akamai2017`. Those 7% were the point.

```{doctest}
>>> print(f"mean {96.4:.0f} ms, {0.3} slow, {3.0} times as many")
mean 96 ms, 0.3 slow, 3.0 times as many
```

The mean fell to 96 ms, though 30% of the requests, almost a third, stayed
slow, three times as many as before {{ ab_ratio }}, with `timeout=5` and
$x_3$.

::::{exercise} A release that looks faster
:level: compute

30 requests in every 1,000 take a slow path.

:::{solution}
```{doctest}
>>> slow, requests = 30, 1_000
>>> print(f"mean {96.4:.0f}, p99 {0.6312 * 1000:.0f}, share {0.2857}")
mean 96, p99 631, share 0.2857
```

The mean falls to 96 ms, but the p99 is 631 ms and 28.57% of them
(0.286) are slow; the 30 in 1,000 sit above the p95. Akamai saw up to 7%
{cite:p}`akamai2017`. It ran in 2017.
:::
::::

::::{exercise} Plan a release
:level: design

A team ships 4 releases a month.
::::
"""


def flagged(markdown: str, numbers: dict[str, str] | None = None) -> list[str]:
    page = parse(markdown, "test.md")
    return [v.claim.text for v in classify(page, numbers or {}) if v.kind not in PASS]


def kinds(markdown: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for v in classify(parse(markdown, "test.md"), {}):
        found.setdefault(v.kind, set()).add(v.claim.text)
    return found


def test_a_page_that_agrees_with_its_examples_passes():
    """Printed at the written precision, in code, as a percent, in words,
    in the question, cited, restated after a citation, a reference (a year,
    a chapter), a design question's given, or not prose at all (code, maths,
    substitution)."""
    assert flagged(RELEASE) == []
    assert kinds(RELEASE) == {
        "reference": {"2017", "1", "1,000"},
        "cited": {"7"},
        "printed": {"96", "30", "a third", "three times", "631", "28.57", "0.286"},
        "input": {"30", "1,000"},
        "given": {"4"},
    }
    # a cited number restated at its scale: 2 million is 2,000,000, in digits or words
    scaled = "# Views\n\nIt had 2 million views {cite:p}`x`. Of the 2 million, two million were new"
    assert kinds(scaled) == {"cited": {"2", "two million"}}


#: Sections with more than one example, where a number drifts onto one that
#: another example prints: "A 20 ms timeout raises the median to 19.1 ms"
#: stands beside an example that prints 24.9, not 19.1.
TIMEOUTS = """\
# Timeouts

```{doctest}
>>> print(f"p50 {191 / 10} ms, p99 {261 / 10} ms")
p50 19.1 ms, p99 26.1 ms
```

Without a timeout the median is 19.1 ms.

```{doctest}
>>> timeout_ms = 20
>>> print(f"p50 {249 / 10} ms, p99 {352 / 10} ms")
p50 24.9 ms, p99 35.2 ms
```

A 20 ms timeout raises the median to 24.9 ms.

```{doctest}
>>> print(*(n / 100 for n in (5, 22, 81, 39)))
0.05 0.22 0.81 0.39
```

The four scores are 0.05, 0.22, 0.81 and 0.39.

::::{exercise} A longer timeout
:level: compute

A 40 ms timeout waits for batches of 30.

:::{solution}
```{doctest}
>>> timeout_ms, batch = 40, 30
>>> print(f"p50 {392 / 10} ms")
p50 39.2 ms
```

The median rises to 39.2 ms.

```{doctest}
>>> print(f"p99 {528 / 10} ms")
p99 52.8 ms
```

The p99 rises to 52.8 ms.
:::
::::
"""


def test_a_page_with_several_examples_passes():
    assert flagged(TIMEOUTS) == []


#: The pages made for the checks.
MADE = {"release": RELEASE, "timeouts": TIMEOUTS}


@pytest.mark.parametrize(
    ("page", "written", "drifted", "flag"),
    [
        # in a solution, against its own example and question
        ("release", "631 ms", "632 ms", "632"),
        ("release", "(0.286)", "(0.287)", "0.287"),
        ("release", "28.57%", "28.67%", "28.67"),
        ("release", "the 30 in", "the 31 in", "31"),
        # in the page's body text, against the page's examples
        ("release", "fell to 96 ms", "fell to 97 ms", "97"),
        ("release", "though 30%", "though 40%", "40"),
        ("release", "almost a third", "almost a quarter", "a quarter"),
        # a question of a compute exercise, against its example
        ("release", "30 requests in every", "31 requests in every", "31"),
        # a citation covers its sentence, and what its paragraph restates
        ("release", "Those 7% were", "Those 8% were", "8"),
        # page text, onto a number the example two places back prints
        ("timeouts", "raises the median to 24.9 ms", "raises the median to 19.1 ms", "19.1"),
        # a list, onto a number it already holds: 0.81 is printed once
        ("timeouts", "0.05, 0.22, 0.81 and", "0.05, 0.81, 0.81 and", "0.81"),
        # a compute question, onto a number only the page's examples print
        ("timeouts", "batches of 30", "batches of 35.2", "35.2"),
        # a solution, onto a number its other example prints
        ("timeouts", "The p99 rises to 52.8 ms", "The p99 rises to 39.2 ms", "39.2"),
    ],
)
def test_a_drifted_number_is_caught(page, written, drifted, flag):
    """One digit (or word) changed in the prose, the examples unchanged: the test fails."""
    assert MADE[page].count(written) == 1
    assert flagged(MADE[page].replace(written, drifted)) == [flag]


def test_the_timeouts_drifts_land_on_numbers_the_page_prints():
    """Each number TIMEOUTS drifts onto stands in the page's examples, so a
    check by value alone would pass it; the check by scope and count does not."""
    examples = "\n".join(b.text for b in parse(TIMEOUTS, "test.md").code)
    assert {19.1, 0.81, 35.2, 39.2} <= set(numbers_in(examples))


def test_a_computed_number_typed_by_hand_names_its_substitution():
    page = (
        "# Batching\n\nThe server answers 2,500 queries a second, {{ batch_large_qps }} at best.\n"
    )
    numbers = {"batch_large_qps": "2,500"}
    [verdict] = classify(parse(page, "test.md"), numbers)
    assert (verdict.kind, verdict.detail) == ("substitution", "batch_large_qps")
    assert "which is {{ batch_large_qps }}" in str(verdict)


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("The book's chapters 8 and 9 cover it.", "reference"),
        ("Steps 3 and 4 build the data.", "reference"),
        ("In 2013 the benchmark appeared.", "reference"),
        ("The 90th percentile is the usual one.", "reference"),
        ("Clicks per 1,000 views are the scale.", "reference"),
        ("It took 2013 requests.", "unsourced"),
        ("It took 8 requests.", "unsourced"),
    ],
)
def test_references_are_recognised_by_their_words(sentence, kind):
    verdicts = classify(parse(f"# Page\n\n{sentence}\n", "test.md"), {})
    assert verdicts
    assert {v.kind for v in verdicts} == {kind}


@pytest.mark.parametrize(
    ("sentence", "read"),
    [
        ("Two hundred submissions arrive.", [("Two hundred", 200)]),
        ("A hundred need a label.", [("A hundred", 100)]),
        ("A hundred thousand requests.", [("A hundred thousand", 100_000)]),
        ("Three times as many fail.", [("Three times", 3)]),
        ("Twice as many fail.", [("Twice", 2)]),
        ("Doubling the batch helps.", [("Doubling", 2)]),
        ("A third of the users left.", [("A third", 1 / 3)]),
        ("Two thirds of the users left.", [("Two thirds", 2 / 3)]),
        ("A third flaw is worse.", []),  # counts flaws: no fraction
        ("One model wins.", []),  # a cardinal alone is not read
    ],
)
def test_a_number_in_words_is_read_at_a_sentences_start(sentence, read):
    assert [(c.text, c.value * c.scale) for c in claims_in(sentence)] == [
        (text, pytest.approx(value)) for text, value in read
    ]


def test_a_list_repeats_a_number_as_often_as_its_sources_do():
    assert [[c.text for c in items] for items in lists_in("At 0.3, 0.4 or 0.5, 1% and 2%.")] == [
        ["0.3", "0.4", "0.5", "1", "2"]
    ]
    assert lists_in("From 0.6 to 0.57; 3 of 4.") == []
    claims = lists_in("Scores 0.81, 0.81 and 0.4.")[0]
    assert unmatched(claims, Counter([0.81, 0.4])) == [claims[1]]
    assert unmatched(claims, Counter([0.81, 0.81, 0.4])) == []
    # a number that backs either of two claims goes where it is needed
    first, second = lists_in("Scores 0.8, 0.81.")[0]
    assert unmatched([first, second], Counter([0.81, 0.8])) == []


#: Drifts in pages of the site, each made in memory: the page's line as
#: written, the line drifted by hand, and the number the check flags.
REAL_DRIFTS = {
    "one digit of a sorted list": (
        "chapter-1/computational-priorities.md",
        "90, 95, 99, 100, 100, 100, 102, 104, 110, 3000",
        "90, 95, 99, 100, 100, 100, 102, 105, 110, 3000",
        "105",
    ),
    "a question onto a number the page's first example prints": (
        "chapter-1/percentiles-at-scale.md",
        "Its objective: p99 within 200 ms.",
        "Its objective: p99 within 930 ms.",
        "930",
    ),
    "a solution onto a number its earlier example prints": (
        "chapter-2/requirements.md",
        "An 80% target gives 15 replicas",
        "An 80% target gives 35 replicas",
        "35",
    ),
    "a table row onto a score it already lists": (
        "chapter-2/framing-ml-problems.md",
        "| 5 | soup, dessert | 0.05, 0.22, 0.81, 0.39 |",
        "| 5 | soup, dessert | 0.05, 0.81, 0.81, 0.39 |",
        "0.81",
    ),
}


@pytest.mark.parametrize(
    ("page", "written", "drifted", "flag"), REAL_DRIFTS.values(), ids=REAL_DRIFTS
)
def test_a_drift_in_a_real_page_is_caught(page, written, drifted, flag):
    """A page of the site with one number of its prose changed by hand."""
    path = next(p for p in PAGES if page_id(p) == page)
    text = path.read_text()
    assert text.count(written) == 1
    verdicts = classify(parse(text.replace(written, drifted), "drifted.md"), {})
    assert [v.claim.text for v in verdicts if v.kind not in PASS] == [flag]
