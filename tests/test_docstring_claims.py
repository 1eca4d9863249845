"""Every number the API reference types in its prose is a checked claim.

The API pages (docs/api/) render each module's docstring, the docstrings of
the names in its ``__all__`` and of their public methods, and the ``#:``
comments on its public constants and fields. tests/test_prose_claims.py
checks the numbers the pages type; this file checks the ones these
docstrings and comments type, read from the source as autodoc reads them,
with the same reading of a number, tests/claims.py (digits, and numbers in
words that state a quantity; not code in ``double backquotes``, roles,
maths, or the examples themselves).

A number there must be one of these, tried in this order:

- *a reference* or *a year*, recognised by the words around it, as on the
  pages ("chapter 2", "in 2019");
- *cited*: its sentence carries a ``:cite:`` role or names its source as
  "(Huyen 2022" or "(Dean and Barroso 2013";
- *a bound* of an argument, stated as such: "[0, 1]", "(0, 100]", "> 0",
  "at least 1", "from 1 to", "between 1 and", "2-D";
- *shown* by the docstring's own examples, in their code or output;
- *an argument*: a number in the function's signature (a default) or in
  its own code ("half the appeal" of its ``0.5 * appeal``); for a ``#:``
  comment, in the value it documents; for a module's docstring, in the
  module's constants (the survey shares it quotes);
- *computed*: the result or an operand of an expression COMPUTED lists for
  that docstring, which this test evaluates in the module's namespace, so a
  docstring's "about 2.01" is checked against ``1.06 ** 12``;
- *allowed*: matched by an entry of ALLOWED, each with its reason.

A number that is none of these fails. The binary format table of
dmls_examples.sketch is numbers of another kind, offsets and sizes: it is
checked against the bytes the code writes, in a test of its own.
"""

from __future__ import annotations

import ast
import importlib
import math
import re
import statistics
import struct
import sys
from collections import Counter
from dataclasses import dataclass, field

import pytest
from claims import Claim, allowance, claims_in, covered, is_reference, sentences
from myst_pages import CITE, HIDDEN, numbers_in, split_doctest
from source_reading import ROOT, tree

from dmls_examples.sketch import QuantileSketch

SRC = ROOT / "src" / "dmls_examples"
#: The modules the API pages document, as docs/api/*.md name them.
MODULES = sorted(
    re.search(r"automodule:: dmls_examples\.(\w+)", page.read_text()).group(1)
    for page in (ROOT / "docs" / "api").glob("*.md")
)

#: Expressions whose results and operands a docstring may state, by the
#: docstring (module, or module.name), evaluated in the module's namespace.
COMPUTED = {
    "business": ["2.0 + 0.2", "2.0 * (1 + 0.2 / 100)"],
    "capacity.forecast_peak": ["(1 + 0.06) ** 12", "1 + 12 * 0.06"],
    "datasets.BOOK_LATENCIES_MS": [
        "statistics.mean(BOOK_LATENCIES_MS)",
        "statistics.median(BOOK_LATENCIES_MS)",
    ],
    "datasets.BatchingScenario.service_time_ms": ["_LARGEST_BATCH"],
    "datasets.REQUEST_LOG": ["REQUEST_LOG.fast_count + REQUEST_LOG.slow_count"],
    "datasets.MINORITY": [
        "100 * MINORITY.size_b / (MINORITY.size_a + MINORITY.size_b)",
        "100 * MINORITY.correct_a / MINORITY.size_a",
        "MINORITY.correct_b / MINORITY.size_b",
    ],
    "datasets.RECOMMENDER_FULL": ["RECOMMENDER_FULL.shown / RECOMMENDER_PILOT.shown"],
    "datasets.SLOW_PATH_LATENCIES": [
        "SLOW_PATH_LATENCIES.slow_median_ms / SLOW_PATH_LATENCIES.fast_median_ms",
    ],
    "framing.mean_squared_error": ["10 ** 2 / 1 ** 2"],
    "recommender.take_rate_interval": [
        "100 * 430 / 10_000",
        "100 * (take_rate_interval(430, 10_000).high - 430 / 10_000)",
    ],
    "sketch": [
        "8 * 10_000_000 / 1e6",
        "math.log(3_600 / 1e-6) / math.log((1 + 0.01) / (1 - 0.01))",
    ],
    "sketch.QuantileSketch": ["sys.float_info.min / 1e-308"],
    "surveys.ALGORITHMIA_2020_ALL": ["ALGORITHMIA_2020_RESPONDENTS"],
    "surveys.SurveyShare.approximate": [
        "next(s.share for s in ALGORITHMIA_2020_BY_MATURITY if s.approximate)"
    ],
}

#: Patterns around a number that make it no claim to check. The number is
#: allowed when it lies inside a match in its sentence.
ALLOWED = {
    r"\b0 and 1\b|\b1 for an? [\w ]+, 0 for|\b1 approves, 0 refuses|\b0s and 1s|\bas 0\b"
    r"|\b1 for a flagged\b|\b1 if the user\b|\belse 0\b": (
        "the values of a binary label or flag, False and True"
    ),
    r"[Ee]xit status (?:0|2)\b|\b0, 1 or 2 \(130|; 1 a result|; 2 bad input|status 2 \(1 is"
    r"|\b0 success|\b1 when an objective|\b2 for bad input|\b0 when done|\(1 is an objective": (
        "the exit statuses the command documents, which tests/test_cli.py pins"
    ),
    r"\bB - 1\b|1/lambda|\(B - 1\)|\(1 - lambda|\bx = 0\b|\btp / \(2 tp|\b2 tp\b": (
        "a formula's constants, written in words where maths markup would not render"
    ),
    r"\b1-based\b": "a convention of numbering, not a quantity",
    r"\bapproaches 1\b|\bbelow 1\.|\bpast 1\b|\bexactly 1 is\b|\bNear 1\b": (
        "the largest a share can be: a utilisation or a rate of one"
    ),
    r"\b[Rr]ank 1\b": "the first rank, the minimum",
    r"\b0 is a model that knows nothing\b": "the end of model_skill's scale, no weight at all",
    r"\b0 to requests - 1\b": "the range of an index",
    r"\bminus 1\b|\b0 when the rule sold nothing\b|\(0 if no test\b": (
        "the definition of a relative change, and the value when there is none to compute"
    ),
    r"\bthe 2020 Algorithmia\b": "the survey's name, which carries its year",
    r"\bhis method 10\b": "the number of Newcombe's method in his paper, a name",
    r"\b4/5\b|\bfour-fifths\b": "the four-fifths rule, a name of a legal threshold",
    r"\b2\*\*\d+\b|\b64-bit\b|\b64 bits\b": "a power of two, the width of a machine number",
    r"\bfrom time 0\b": "the start of a simulated run's clock",
    r"\b95% (?:Wilson )?interval\b": (
        "the conventional confidence level of the case study's intervals, chosen, not computed"
    ),
    r"\b99% of requests finish within 300 ms\b|\bat most 300 ms\b|\btook 300 ms\b": (
        "the definition's own example objective, stated in the sentence"
    ),
    r"\bten thousand to one\b": "the imbalance of ad clicks, which the data page cites",
    r"\blogged 15 minutes late\b": "the example's fault: 45 minutes logged for a delivery of 30",
    r"\b1,000 requests is the 999th\b": "a rank in a list of 1,000, the example's own",
    r"\bright 99\.99% of the time\b": "the example's printed 0.9999, as a percentage",
}


@dataclass(frozen=True)
class Docstring:
    name: str  # "batching", "batching.capacity_qps", "datasets.AdClicks.labels"
    text: str
    arguments: Counter[float]  # the signature's numbers, or the documented value's
    code: Counter[float] = field(default_factory=Counter)  # a function's body: "half" of its 0.5


#: A rule of an RST simple table: the table's lines are not prose.
_RULE = re.compile(r"^=+(?: +=+)+$")


def examples_and_prose(text: str) -> tuple[str, str]:
    """A docstring's examples (>>> lines and their output) and its prose,
    without maths blocks, tables, ``literals`` and roles (a :cite: leaves CITE)."""
    examples, prose = [], []
    state, math_indent, rules = "prose", 0, 0
    for line in text.splitlines():
        stripped, indent = line.strip(), len(line) - len(line.lstrip())
        if state == "math" and stripped and indent <= math_indent:
            state = "prose"
        if state == "example" and not stripped:
            state = "prose"
        if stripped.startswith(">>>"):
            state = "example"
        elif stripped.startswith(".. math::"):
            state, math_indent = "math", indent
        if _RULE.match(stripped):
            rules += 1
        if state == "example":
            examples.append(line)
        elif state == "prose" and rules % 3 == 0 and not _RULE.match(stripped):
            prose.append(line)
    words = " ".join(line.strip() for line in prose)
    # abbreviations, not the ends of sentences
    words = re.sub(r"\bch\. (?=\d)", "chapter ", words).replace(" et al. ", " et al ")
    words = re.sub(r":cite:\w*:`[^`]*`", CITE, words)
    words = re.sub(r"``.*?``|:[\w:]+:`[^`]*`", f" {HIDDEN} ", words)
    return "\n".join(examples), words


def _comment_above(lines: list[str], node: ast.stmt) -> str:
    """The ``#:`` comment right above an assignment, which autodoc renders."""
    found = []
    index = node.lineno - 2
    while index >= 0 and lines[index].lstrip().startswith("#:"):
        found.insert(0, lines[index].lstrip()[2:].strip())
        index -= 1
    return "\n".join(found)


def _assigned_name(node: ast.stmt) -> str | None:
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    return None


def docstrings(module: str) -> list[Docstring]:
    """What the API page of *module* renders as prose: the module's
    docstring, and its public names' docstrings and ``#:`` comments."""
    path = SRC / f"{module}.py"
    lines = path.read_text().splitlines()
    body = tree(path).body
    public = set(ast.literal_eval(next(n.value for n in body if _assigned_name(n) == "__all__")))
    found = [Docstring(module, ast.get_docstring(tree(path)) or "", Counter())]

    def signature(node) -> Counter[float]:
        return numbers_in(ast.unparse(node.args))

    for node in body:
        name = getattr(node, "name", None) or _assigned_name(node)
        if name not in public:
            continue
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            text = ast.get_docstring(node) or ""
            if isinstance(node, ast.FunctionDef):
                code = numbers_in(ast.unparse(node.body[1:]))  # without the docstring
                found.append(Docstring(f"{module}.{name}", text, signature(node), code))
            else:
                found.append(Docstring(f"{module}.{name}", text, Counter()))
        else:
            value = numbers_in(ast.unparse(node.value))
            found.append(Docstring(f"{module}.{name}", _comment_above(lines, node), value))
        for member in getattr(node, "body", []) if isinstance(node, ast.ClassDef) else []:
            member_name = getattr(member, "name", None) or _assigned_name(member)
            if not member_name or member_name.startswith("_"):
                continue
            qualified = f"{module}.{name}.{member_name}"
            if isinstance(member, ast.FunctionDef):
                text = ast.get_docstring(member) or ""
                found.append(Docstring(qualified, text, signature(member)))
            else:
                value = numbers_in(ast.unparse(member.value)) if member.value else Counter()
                found.append(Docstring(qualified, _comment_above(lines, member), value))
    return [d for d in found if d.text]


def module_constants(module: str) -> Counter[float]:
    """The numbers the module's top-level assignments write."""
    return sum(
        (numbers_in(ast.unparse(n.value)) for n in tree(SRC / f"{module}.py").body
         if isinstance(n, ast.Assign | ast.AnnAssign) and n.value is not None),
        Counter(),
    )  # fmt: skip


def computed(docstring: Docstring) -> Counter[float]:
    """The results and operands of the docstring's COMPUTED expressions."""
    module = importlib.import_module(f"dmls_examples.{docstring.name.split('.')[0]}")
    namespace = {**vars(module), "math": math, "statistics": statistics, "sys": sys}
    found = Counter()
    for expression in COMPUTED.get(docstring.name, []):
        found[float(eval(expression, namespace))] += 1  # the table above, ours
        found += numbers_in(expression)
    return found


#: A citation a docstring writes out: "(Huyen 2022", "(Dean and Barroso 2013",
#: "Brown et al. 2020".
CITATION = re.compile(
    r"[A-Z][\w-]+ et al (?:19|20)\d\d\b|"
    r"\([A-Z][\w-]+(?:,? (?:and )?[A-Z][\w-]+)*(?: et al)?,? (?:19|20)\d\d\b"
)
#: An argument's bound, stated as such.
BOUND = re.compile(
    r"[\[(]-?[\d.]+, -?(?:[\d.]+|inf|[A-Za-z])[\])]|[<>]=? ?-?\d[\d.]*"
    r"|\bat (?:least|most) \d[\d,.]*|\bfrom \d+ to(?: \d+\b)?|\bbetween \d+ and(?: \d+\b)?"
    r"|\b\d-[Dd]\b"
)


@dataclass(frozen=True)
class Verdict:
    docstring: str
    claim: Claim
    kind: str  # reference, cited, bound, shown, argument, computed, allowed or unsourced
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.docstring}: {self.claim.text}: {self.claim.readable!r}"


def classify(docstring: Docstring, constants: Counter[float]) -> list[Verdict]:
    code, prose = examples_and_prose(docstring.text)
    shown = numbers_in("\n".join(split_doctest(code)))
    results = computed(docstring)
    verdicts = []
    for sentence in sentences(prose):
        for claim in claims_in(sentence):
            kind, detail = "unsourced", ""
            if is_reference(claim):
                kind = "reference"
            elif CITE in sentence or CITATION.search(sentence):
                kind = "cited"
            elif covered(BOUND, claim):
                kind = "bound"
            elif claim.shown(shown):
                kind = "shown"
            elif (
                claim.shown(docstring.arguments)
                or claim.shown(docstring.code)
                or ("." not in docstring.name and claim.shown(constants))
            ):
                kind = "argument"
            elif claim.shown(results):
                kind = "computed"
            elif pattern := allowance(claim, ALLOWED):
                kind, detail = "allowed", pattern
            verdicts.append(Verdict(docstring.name, claim, kind, detail))
    return verdicts


@pytest.fixture(scope="module")
def verdicts() -> dict[str, list[Verdict]]:
    return {
        module: [v for d in docstrings(module) for v in classify(d, module_constants(module))]
        for module in MODULES
    }


@pytest.mark.parametrize("module", MODULES)
def test_every_number_the_api_reference_types_has_a_source(module, verdicts):
    wrong = [str(v) for v in verdicts[module] if v.kind == "unsourced"]
    assert not wrong, "numbers a docstring types with no source:\n" + "\n".join(wrong)


def test_every_computation_and_allowance_is_needed(verdicts):
    """A stale entry would let a future number through unread."""
    found = [v for checked in verdicts.values() for v in checked]
    assert set(ALLOWED) - {v.detail for v in found if v.kind == "allowed"} == set()
    assert set(COMPUTED) - {v.docstring for v in found if v.kind == "computed"} == set()


def test_the_documents_read_are_the_api_pages():
    """The reader finds what autodoc renders: a module, a function, a class's
    method and field, a constant's comment; not a private helper."""
    names = {d.name for module in MODULES for d in docstrings(module)}
    assert {
        "batching", "batching.capacity_qps", "sketch.QuantileSketch.percentiles",
        "datasets.AdClicks.labels", "datasets.BOOK_LATENCIES_MS", "batching.MAX_BATCH_SIZE",
    } <= names  # fmt: skip
    assert not any(part.startswith("_") for name in names for part in name.split("."))
    assert "cli" in MODULES
    assert "_validation" not in MODULES


#: Numbers of the API reference changed by hand (in memory): the docstring,
#: the text as written and as drifted, and the number the check flags.
DRIFTS = {
    "a computation in prose": ("capacity.forecast_peak", "about 2.01", "about 2.1", "2.1"),
    "a statistic of a dataset": ("datasets.BOOK_LATENCIES_MS", "mean is 390", "mean is 309", "309"),
    "a share of a dataset": ("datasets.MINORITY", "2% of them", "3% of them", "3"),
    "a count of buckets": ("sketch", "about 1,100 buckets", "about 1,200 buckets", "1,200"),
    "an example's result": ("recommender.take_rate_interval", "0.4 points", "0.5 points", "0.5"),
}


@pytest.mark.parametrize(("name", "written", "drifted", "flag"), DRIFTS.values(), ids=DRIFTS)
def test_a_drifted_number_in_a_docstring_is_caught(name, written, drifted, flag):
    module = name.split(".")[0]
    (docstring,) = (d for d in docstrings(module) if d.name == name)
    assert docstring.text.count(written) == 1
    assert [v.kind for v in classify(docstring, module_constants(module))].count("unsourced") == 0
    drifted_docstring = Docstring(
        name, docstring.text.replace(written, drifted), docstring.arguments, docstring.code
    )
    wrong = [v.claim.text for v in classify(drifted_docstring, module_constants(module))
             if v.kind == "unsourced"]  # fmt: skip
    assert wrong == [flag]


def test_the_binary_format_table_is_the_layout_the_sketch_writes():
    """Each row's offset is the sum of the sizes before it, the fixed part
    ends where an empty sketch's bytes end, and each bucket count takes 8."""
    module_doc = next(d for d in docstrings("sketch") if d.name == "sketch").text
    rules = [i for i, line in enumerate(module_doc.splitlines()) if _RULE.match(line.strip())]
    rows = module_doc.splitlines()[rules[1] + 1 : rules[2]]
    offsets, sizes = zip(*(row.split()[:2] for row in rows), strict=True)
    *fixed, buckets = sizes
    assert [int(o) for o in offsets] == [sum(map(int, fixed[:i])) for i in range(len(offsets))]
    empty = QuantileSketch(relative_accuracy=0.01).to_bytes()
    assert len(empty) == int(offsets[-1]) == sum(map(int, fixed))
    assert (buckets, rows[-1].split()[2]) == ("8", "m")
    one_bucket = QuantileSketch(relative_accuracy=0.01)
    one_bucket.add([5.0])
    assert len(one_bucket.to_bytes()) == len(empty) + 8
    assert struct.calcsize("<4sB3xdQQdddqI") == len(empty)
