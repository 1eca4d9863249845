"""The numbers prose states, and when a source backs one.

tests/test_prose_claims.py (the pages) and tests/test_docstring_claims.py
(the API reference) read a number in prose here, so both read it alike.

A *claim* is a number a sentence states, as written: in digits ("1,100",
"0.286", "2 million") or in words that state a quantity: a number with a
scale ("two million"), a multiple ("ten times as", "twice", "doubles",
"halves", "five-fold") or a fraction ("a third", "half", but not "the
second half"). Counts in words ("three requests") are no claims: they count
what the sentence names, and are too common to tell from a claim by their
value. A number glued to a letter (p99, F1, GPT-3) is a name, and signs are
ignored (prose says "falls by 1.7" of a printed -1.7).

A *source* is a number the test reads elsewhere: an example's output or
code, a citation's sentence, a function's signature. It *shows* a claim
when it rounds to it at the precision the claim is written: 0.2857 shows
0.286, 119.7 shows 120; with %, "percent" or "points" a fraction shows it
too (0.75 shows 75%); "2 million" is 2 at the precision of millions. A
number in words is shown to a tenth of its value ("a third" by 0.31 or
0.36), as prose would not say "0.33".

Some numbers need no source: the words around them make them *a reference*
("chapter 2", "steps 3 and 4", the 90th percentile, "per 1,000 views") or
*a year* ("in 2017"), recognised by those words, never by the value. A
pattern *covers* a claim when a match of it in the claim's sentence
contains the claim: this is how both tests recognise references and their
lists of allowed numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from myst_pages import CITE, HIDDEN

# -- Numbers in digits ---------------------------------------------------------

#: A number in prose: digits not glued to a word, a decimal point, or a
#: name's hyphen (GPT-3) before them, with thousands commas or a decimal part.
PROSE_NUMBER = re.compile(
    r"(?<![\w.,])(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,]\d)(?!\.\d)"
)
#: What makes the number before it a percentage, which a fraction may show.
PERCENT = re.compile(r"%|\s?(?:percent|percentage points?|points?)\b")
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9}
#: The scale after a number in digits: "2 million".
SCALE = re.compile(r"[\s-](thousand|million|billion)\b")

# -- Numbers in words ----------------------------------------------------------

CARDINALS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
    "a hundred": 100, "a thousand": 1_000,
}  # fmt: skip
#: A fraction's name, and the denominator it names.
DENOMINATORS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10, "hundredth": 100}


def _capitalised(words: Iterable[str]) -> list[str]:
    """Each of *words*, and as it starts a sentence: "two", "Two"."""
    return [form for word in words for form in (word, word[0].upper() + word[1:])]


_CARDINAL = "|".join(sorted(_capitalised(CARDINALS), key=len, reverse=True))
_PART = r"half|thirds?|quarters?|fifths?|tenths?|hundredths?"
WORD_NUMBER = re.compile(
    rf"\b(?P<scaled>(?P<n>{_CARDINAL})[\s-](?P<scale>hundred|thousand|million|billion)\b(?!s))"
    rf"|\b(?P<times>(?P<m>{_CARDINAL})[\s-]times\b"
    r"(?= (?:as|more|less|fewer|the|over|larger|smaller|bigger|faster|slower)\b))"
    rf"|\b(?P<fold>(?P<f>{_CARDINAL})-fold)\b"
    r"|\b(?P<twice>[Tt]wice|[Dd]oubl(?:e|es|ed|ing))\b(?!-| a (?:day|week|month|year)\b)"
    r"|\b(?P<triple>[Tt]ripl(?:e|es|ed|ing))\b(?!-)"
    r"|\b(?P<halve>[Hh]alv(?:e|es|ed|ing))\b"
    # At a sentence's start, only a fraction "of" something: "A third flaw"
    # counts flaws.
    r"|\b(?P<fraction>(?:(?P<k>a|one|two|three|four|nine)"
    rf"|(?P<K>A|One|Two|Three|Four|Nine)(?=[\s-](?:{_PART})\s+of\b))"
    rf"[\s-](?P<part>{_PART}))\b"
    r"|(?<!first )(?<!second )(?<!other )(?<!latter )(?<!former )\b(?P<half>[Hh]alf)\b(?!-)"
)
#: A word every number in words contains: a quick test before WORD_NUMBER.
_WORD_HINT = re.compile(
    r"hundred|thousand|million|billion|times|fold|twice|doubl|tripl|hal[fv]|third|quarter"
    r"|fifth|tenth",
    re.I,
)
#: A relative tolerance for numbers in words: "a third" of 0.31 or 0.36.
WORD_TOLERANCE = 0.1


@dataclass(frozen=True)
class Claim:
    """A number a sentence states, and the precision it states it at."""

    text: str  # as written, "1,100", "0.286" or "two thirds"
    value: float
    tolerance: float  # how far a source may be and still round to it
    percent: bool  # may match a fraction: 75% of 0.75
    scale: float  # "2 million": value 2, scale 1e6
    sentence: str  # as the parser gave it, markers and all
    start: int
    end: int

    def shown(self, numbers: Iterable[float]) -> bool:
        """Whether some number rounds to the claim at the precision it is written."""
        scales = [self.scale] + ([0.01] if self.percent else [])
        return any(abs(abs(n) / s - self.value) <= self.tolerance for n in numbers for s in scales)

    @property
    def readable(self) -> str:
        """Its sentence for a message: without the markup markers the parser left."""
        return self.sentence.replace(CITE, "").replace(HIDDEN, "…").strip()


@cache
def sentences(paragraph: str, *, clauses: bool = False) -> tuple[str, ...]:
    """A paragraph's sentences: split after . ! or ? (and a closing bracket
    or quote), before a word that does not start in lower case; or, for
    *clauses*, after . ! ? : or ; wherever they stand."""
    if clauses:
        return tuple(re.split(r"(?<=[.!?:;])\s+", paragraph))
    return tuple(re.split(r"(?:(?<=[.!?])|(?<=[.!?][)\]\"'”’]))\s+(?=[^a-z])", paragraph))


def _digit_claims(sentence: str) -> list[Claim]:
    found = []
    for m in PROSE_NUMBER.finditer(sentence):
        after = sentence[m.end() :]
        scale = SCALE.match(after)
        value = Decimal(m.group(0).replace(",", ""))
        # Half a unit of the last digit written, and a little for a float's rounding.
        half_unit = 0.5 * 10.0 ** value.as_tuple().exponent + 1e-9
        found.append(
            Claim(
                m.group(0),
                float(value),
                half_unit,
                bool(PERCENT.match(after)),
                SCALES[scale.group(1)] if scale else 1.0,
                sentence,
                m.start(),
                m.end(),
            )
        )
    return found


def _word_value(m: re.Match) -> float:
    """The value of a multiple or a fraction in words."""
    if m["times"] or m["fold"]:
        return CARDINALS[(m["m"] or m["f"]).lower()]
    if m["twice"]:
        return 2
    if m["triple"]:
        return 3
    if m["halve"] or m["half"]:
        return 0.5
    return CARDINALS[(m["k"] or m["K"]).lower()] / DENOMINATORS[m["part"].rstrip("s")]


def _word_claims(sentence: str) -> list[Claim]:
    if not _WORD_HINT.search(sentence):
        return []
    found = []
    for m in WORD_NUMBER.finditer(sentence):
        if m["scaled"]:  # "two million": 2 at the precision of millions
            value, scale, tolerance = CARDINALS[m["n"].lower()], SCALES[m["scale"]], 0.5
        else:
            value = _word_value(m)
            scale, tolerance = 1.0, WORD_TOLERANCE * value
        found.append(
            Claim(m.group(0), value, tolerance, False, scale, sentence, m.start(), m.end())
        )
    return found


@cache
def claims_in(sentence: str) -> tuple[Claim, ...]:
    """The numbers a sentence states, in digits and in words, in order."""
    return tuple(sorted(_digit_claims(sentence) + _word_claims(sentence), key=lambda c: c.start))


# -- Numbers that need no source -----------------------------------------------

#: What joins the numbers of one reference: "chapters 8 and 9", "steps 3–5".
_REFERENCE_JOIN = r"(?:,|, | and | or | to | through |–|-)"
#: Words that make the number after them a reference: the book's chapters,
#: a page's sections and figures, an exercise, a step of a process, an item
#: of the notes, a page of a paper, a version, a label in a list.
REFERENCE = re.compile(
    r"\b(?:[Cc]hapters?|[Ss]ections?|§|[Ff]igures?|[Tt]ables?|[Ee]xercises?|[Ss]olutions?"
    r"|[Ss]teps?|[Ii]tems?|[Pp]ages?|pp\.|[Vv]ersions?|[Ee]ditions?|Python|[Ss]creens?"
    r"|[Pp]hotos?|[Ii]mages?|[Ee]quations?)"
    rf" \d+(?:\.\d+)*(?:{_REFERENCE_JOIN}\d+(?:\.\d+)*)*"
    r"|\b\d+(?:st|nd|rd|th)\b"  # an ordinal names a position: the 90th percentile
    # the unit of a rate: per 1,000, in every 1,000, one in a thousand
    r"|\b(?:per|in every) (?:1(?:,?000)+|10+)\b"
    r"|\b(?:per|in|in every) (?:a |one |ten )?(?:hundred|thousand|million)\b"
)
#: A year: four digits from 1900 to 2099, without a thousands comma, after
#: a word that dates (in, since, from ... to, between) or before one that
#: names a dated thing (study, paper, debate) or a possessive.
YEAR = re.compile(
    r"(?:\b(?:[Ii]n|[Ss]ince|[Ff]rom|[Uu]ntil|to|[Bb]etween|and|year|[Bb]efore"
    r"|[Aa]fter|early|late|mid|around)\s+|\()(?:19|20)\d\d\b(?!,\d)"
    r"|\b(?:19|20)\d\d(?='s\b|\)|\s+(?:study|paper|survey|report|debate|edition|print"
    r"|release|post|essay|benchmark)\b)"
)


def covered(pattern: re.Pattern | str, claim: Claim) -> bool:
    """Whether a match of *pattern* in the claim's sentence contains the claim."""
    return any(
        m.start() <= claim.start and claim.end <= m.end()
        for m in re.finditer(pattern, claim.sentence)
    )


def is_reference(claim: Claim) -> bool:
    """Whether the claim is a reference or a year, by the words around it."""
    return covered(REFERENCE, claim) or covered(YEAR, claim)


def allowance(claim: Claim, allowed: Iterable[str]) -> str | None:
    """The first of the *allowed* patterns that covers the claim, if one does."""
    return next((pattern for pattern in allowed if covered(pattern, claim)), None)
