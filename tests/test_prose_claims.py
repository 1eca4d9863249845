"""Every number an exercise's solution types by hand is a checked claim.

A solution typically runs a doctest and then says, in words, what it
printed: "the mean falls from 120 to 96 ms". The doctest guards the code's
output, but nothing guarded the sentence: change an input, update the
printed output, and the prose keeps the old number. tests/test_prose_numbers.py
checks numbers quoted through substitutions (``{{ name }}``); this file
checks the ones typed by hand.

The rule. Each page is parsed with MyST's own markdown-it parser (the one
Sphinx uses, so code, maths, roles and substitutions are told apart exactly
as the build tells them apart, and directives are parsed again inside, as
MyST does). In every exercise, the numbers of the solution's prose must each
be one of:

- *shown*: a number in the exercise's doctests (question or solution, code
  or printed output) or in the question's prose (a given), at the precision
  the prose writes it: prose 0.286 matches 0.2857, 120 matches 119.7,
  1,100 matches 1100 or 1_100, and a number followed by %, "percent" or
  "points" may also match a printed fraction (75% matches 0.75), as it may
  a percentile's name (99% of requests, of a p99); "2 million" is
  2,000,000 at the precision of millions. Signs are
  ignored (prose says "falls by 1.7" of a printed -1.7), and a range a–b is
  two numbers, each checked;
- *cited*: in a sentence that carries a ``{cite:p}`` or ``{cite:t}``;
- *allowed*: matched by an entry of ALLOWED, each with its reason.

Prose means text outside code, maths, substitutions, roles (citations,
cross-references, glossary terms: their text names a target, not a claim),
link targets and directive options (alt text describes a figure). A number
glued to a letter before it (p99, F1, log2) is a name, not a claim.

Why solutions only: measured on the tree this test was written against,
91 of the 132 uncited numbers in the pages' own text (outside exercises)
are not printed by a doctest in their section. They are inputs an example
reads from datasets, references to the book's chapters, and the sources'
figures, cited a sentence away; the computed ones go through substitutions,
which tests/test_prose_numbers.py checks. Matching page text against its
section's doctests would need an allow-list longer than the defects it
finds. Solutions have no sources to lean on: what they say is what their
own example shows, which a test can check without reading the sentence.

Sentences are split at . ! ? : and ; so a citation excuses only the clause
it stands in. The question's prose counts as a source because it states
the givens the solution repeats ("the 30 in 1,000"); a question that
changes a given then fails the solution that still quotes the old one.

What it cannot check: numbers written in words ("three", "a third",
"double"), and whether the matching number is the right one (prose "96 ms"
passes if any number of the exercise rounds to 96; a small integer such as
1 matches much). A derived number (a ratio, a difference) is checked only
once the example prints it, which is the fix this test asks for, and one
that teaches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "{solution}" in p.read_text())

#: Patterns around a number that make it no claim about an example. The
#: number is allowed when it lies inside a match in its sentence.
ALLOWED = {
    r"\b(?:19|20)\d\d\b": "a year names a time, not a result",
    r"\b(?:[Ss]creens?|[Pp]hotos?|[Ii]tems?) \d+(?:(?:, | and | or )\d+)*": (
        "a label naming an entry of a list, not a quantity"
    ),
    r"\b95% (?:confidence )?interval": "the conventional confidence level, chosen, not computed",
    r'"20 to 30 minutes"': "a band an app might display, an illustration, not a result",
    r"99% of checks within 500 ms": "an objective the answer proposes, not a result",
}

_PARSER = create_md_parser(
    MdParserConfig(
        enable_extensions={"colon_fence", "deflist", "dollarmath", "substitution"},
        dmath_allow_space=False,
        dmath_allow_digits=False,
    ),
    RendererHTML,
)

#: Directives whose body is code, a list of names, or markup, never prose.
NOT_PROSE = {
    "testsetup", "testcleanup", "testcode", "testoutput", "code-block", "code",
    "math", "raw", "index", "toctree", "bibliography", "solutions", "seed-map",
    "book-map", "rubric",
}  # fmt: skip
DOCTESTS = {"doctest", "testsetup", "testcode", "testoutput"}

#: A number in prose: digits not glued to a word or a decimal point before
#: them, with thousands commas or a decimal part.
PROSE_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d,]\d)")
#: A number in code or output: also 1_000, 1e-3 and a printed 1,100; a
#: name such as p99 is not one.
CODE_NUMBER = re.compile(
    r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d[\d_]*)(?:\.\d+)?(?:[eE][-+]?\d+)?"
)
PERCENT = re.compile(r"\s?(?:%|percent|percentage points?|points?)\b|%")
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
SCALE = re.compile(r"\s(thousand|million|billion)\b")
CITE = "\x00cite\x00"


@dataclass
class Exercise:
    page: str
    title: str
    question: list[str] = field(default_factory=list)
    solution: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)


def _directive(token) -> tuple[str, str, str]:
    """A fence's directive name, argument and body without its options."""
    name, _, argument = token.info.strip()[1:].partition("}")
    body = token.content
    if body.startswith("---\n"):
        _, _, body = body[4:].partition("\n---\n")
    else:
        lines = body.splitlines(keepends=True)
        while lines and re.match(r"^:[\w-]+:", lines[0]):
            lines.pop(0)
        body = "".join(lines)
    return name, argument.strip(), body


def _inline_text(token) -> str:
    """An inline token's prose: code, maths, roles and substitutions out."""
    parts = []
    for child in token.children or ():
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "myst_role" and child.meta.get("name", "").startswith("cite"):
            parts.append(CITE)
        elif child.type in ("code_inline", "math_inline", "substitution_inline", "myst_role"):
            parts.append(" \x00 ")
    return "".join(parts)


def _walk(text: str, emit, where: str) -> None:
    """Call emit(where, kind, text) for each prose paragraph and code block.

    ``where`` is "page", "question" or "solution"; an exercise directive
    emits ("exercise", title) first so that what follows belongs to it.
    """
    for token in _PARSER.parse(text):
        if token.type == "inline":
            emit(where, "prose", _inline_text(token))
        elif token.type in ("fence", "colon_fence"):
            if not token.info.startswith("{"):
                continue
            name, argument, body = _directive(token)
            if name in DOCTESTS:
                emit(where, "code", body)
            elif name == "exercise":
                emit(where, "exercise", argument)
                _walk(body, emit, "question")
            elif name == "solution":
                _walk(body, emit, "solution")
            elif name not in NOT_PROSE:
                _walk(body, emit, where)


def exercises(page: Path) -> list[Exercise]:
    return exercises_in(page.read_text(), page.relative_to(DOCS).as_posix())


def exercises_in(markdown: str, page: str) -> list[Exercise]:
    found: list[Exercise] = []

    def emit(where, kind, text):
        if kind == "exercise":
            found.append(Exercise(page, text))
        elif where != "page" and kind == "code":
            found[-1].code.append(text)
        elif where != "page":
            getattr(found[-1], where).append(text)

    _walk(markdown, emit, "page")
    return found


@dataclass(frozen=True)
class Claim:
    text: str  # as written, "1,100" or "0.286"
    value: Decimal
    percent: bool
    scale: float
    sentence: str


def sentences(paragraph: str) -> list[str]:
    return re.split(r"(?<=[.!?:;])\s+", paragraph)


def allowance(sentence: str, start: int, end: int) -> str | None:
    """The ALLOWED pattern that covers sentence[start:end], if one does."""
    for pattern in ALLOWED:
        for m in re.finditer(pattern, sentence):
            if m.start() <= start and end <= m.end():
                return pattern
    return None


def claims(paragraphs: list[str], allowances: set[str] | None = None) -> list[Claim]:
    """The numbers prose states on its own authority (not cited, not allowed).

    The ALLOWED patterns that excuse a number are added to ``allowances``.
    """
    found = []
    for paragraph in paragraphs:
        for sentence in sentences(paragraph):
            if CITE in sentence:
                continue
            for m in PROSE_NUMBER.finditer(sentence):
                if pattern := allowance(sentence, m.start(), m.end()):
                    if allowances is not None:
                        allowances.add(pattern)
                    continue
                after = sentence[m.end() :]
                scale = SCALE.match(after)
                found.append(
                    Claim(
                        m.group(0),
                        Decimal(m.group(0).replace(",", "")),
                        bool(PERCENT.match(after)),
                        SCALES[scale.group(1)] if scale else 1.0,
                        sentence.replace(CITE, "").replace("\x00", "…").strip(),
                    )
                )
    return found


def code_numbers(code: list[str]) -> set[float]:
    return {
        float(n.replace("_", "").replace(",", ""))
        for block in code
        for n in CODE_NUMBER.findall(block)
    }


def shown(claim: Claim, numbers: set[float]) -> bool:
    """Whether some number rounds to the claim at the precision it is written."""
    exponent = claim.value.as_tuple().exponent
    tolerance = 0.5 * 10.0**exponent + 1e-9
    value = float(claim.value)
    scales = [claim.scale] + ([0.01] if claim.percent else [])
    return any(abs(abs(n) / s - value) <= tolerance for n in numbers for s in scales)


#: A percentile's name: p99 says 99% as plainly as a printed 0.99.
PERCENTILE_NAME = re.compile(r"\bp(\d+(?:\.\d+)?)\b")


def unshown(exercise: Exercise) -> list[Claim]:
    text = exercise.code + exercise.question + exercise.solution
    sources = (
        code_numbers(exercise.code)
        | {float(c.value) * c.scale for c in claims(exercise.question)}
        | {float(n) / 100 for block in text for n in PERCENTILE_NAME.findall(block)}
    )
    return [c for c in claims(exercise.solution) if not shown(c, sources)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_solution_numbers_are_shown_by_their_example(page):
    wrong = [
        f"{e.title!r}: {c.text} in {c.sentence!r}" for e in exercises(page) for c in unshown(e)
    ]
    assert not wrong, "numbers typed in a solution that its example does not show:\n" + (
        "\n".join(wrong)
    )


def test_every_allowance_is_needed():
    """An allowance no sentence uses would let a future number through unread."""
    used: set[str] = set()
    for page in PAGES:
        for exercise in exercises(page):
            claims(exercise.solution, used)
    assert set(ALLOWED) - used == set()


RELEASE = """\
::::{exercise} A release that looks faster
:level: compute

30 requests in every 1,000 take a slow path.

:::{solution}
```{doctest}
>>> print(f"mean {96.4:.0f}, p99 {0.6312 * 1000:.0f}, share {0.2857}")
mean 96, p99 631, share 0.2857
```

The mean falls to 96 ms, but the p99 is 631 ms and 28.57% of them
(0.286) are slow; the 30 in 1,000 sit above the p95. Akamai saw up to 7%
{cite:p}`akamai2017`. It ran in 2017, with `timeout=5`, $x_3$ and
{{ ab_ratio }}.
:::
::::
"""


def flagged(markdown: str) -> list[str]:
    return [c.text for e in exercises_in(markdown, "test.md") for c in unshown(e)]


def test_a_solution_that_agrees_with_its_example_passes():
    """Shown at the written precision, in code, as a percent, in the question,
    cited, allowed (a year), or not prose at all (code, maths, substitution)."""
    assert flagged(RELEASE) == []


@pytest.mark.parametrize(
    ("written", "drifted"),
    [("631 ms", "632 ms"), ("(0.286)", "(0.287)"), ("28.57%", "28.67%"), ("30 in", "31 in")],
)
def test_a_drifted_number_is_caught(written, drifted):
    """One digit changed in the prose, the example unchanged: the test fails."""
    assert flagged(RELEASE.replace(written, drifted, 1)) == [drifted.strip("()%ms in")]
