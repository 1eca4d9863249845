"""Every worked example's inputs live in dmls_examples.datasets, and the
pages, the quoted numbers and the figures read them from there.

A page imports its scenario in its testsetup and its doctests use (and
print) it; docs/_ext/dmls_numbers.py takes the same objects as the defaults
of its keyword arguments. If a doctest typed the values instead, the page
could drift from the prose and the figure beside it; these tests catch a
doctest that types a scenario's values and a number group whose input is not
a dataset.
"""

import ast
import inspect
import numbers

import dmls_numbers
import pytest
from myst_pages import PAGES, page_id, read, split_doctest

from dmls_examples import datasets


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _dataset_values():
    """Every sequence of values a dataset holds (as tuples), and the numeric
    fields of each scenario (a NamedTuple), as a set."""
    sequences, scenarios = set(), []

    def walk(value):
        if isinstance(value, tuple):
            plain = [v for v in value if _is_number(v) or isinstance(v, str)]
            if len(value) >= 3 and len(plain) == len(value):
                sequences.add(tuple(value))
            found = {v for v in value if _is_number(v)}
            if hasattr(value, "_fields") and len(found) >= 2:
                scenarios.append(found)
            for item in value:
                walk(item)

    for name in datasets.__all__:
        value = getattr(datasets, name)
        if name.isupper():
            walk(value)
        elif inspect.isfunction(value):
            walk(value())
    return sequences, scenarios


SEQUENCES, SCENARIOS = _dataset_values()


def doctest_code(page) -> ast.Module:
    """The Python of every {doctest} block on *page*, without its output."""
    code = read(page).code
    return ast.parse("\n".join(split_doctest(b.text)[0] for b in code if b.directive == "doctest"))


def typed_inputs(tree: ast.Module) -> list[str]:
    """Literal sequences, and calls with literal numbers, that repeat a dataset."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple):
            try:
                value = tuple(ast.literal_eval(node))
                typed = value in SEQUENCES
            except (ValueError, TypeError):  # not a literal, or holds a set
                continue
            if typed:
                found.append(ast.unparse(node))
        elif isinstance(node, ast.Call):
            literal = set()
            for arg in node.args:
                try:
                    value = ast.literal_eval(arg)
                except ValueError:
                    continue
                if _is_number(value):
                    literal.add(value)
            if len(literal) >= 2 and any(literal <= fields for fields in SCENARIOS):
                found.append(ast.unparse(node))
    return found


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_doctest_types_a_datasets_values(page):
    typed = typed_inputs(doctest_code(page))
    assert typed == [], f"import these from dmls_examples.datasets instead: {typed}"


def test_the_check_catches_a_typed_scenario():
    tree = ast.parse(
        "book = [100, 102, 100, 100, 99, 104, 110, 90, 3000, 95]\n"
        "forecast_peak(800, 0.06, 12)\n"
        "bucketize([180, 250, 400], [200, 400])\n"
        "round(x, 2)\n"
    )
    assert typed_inputs(tree) == [
        "[100, 102, 100, 100, 99, 104, 110, 90, 3000, 95]",
        "forecast_peak(800, 0.06, 12)",
    ]


NUMBER_GROUPS = [
    function
    for name, function in inspect.getmembers(dmls_numbers, inspect.isfunction)
    if name.endswith("_numbers") and function.__module__ == "dmls_numbers"
]


@pytest.mark.parametrize("function", NUMBER_GROUPS, ids=lambda f: f.__name__)
def test_every_quoted_number_takes_its_inputs_from_the_datasets(function):
    constants = [getattr(datasets, name) for name in datasets.__all__ if name.isupper()]
    for name, parameter in inspect.signature(function).parameters.items():
        if parameter.kind is parameter.VAR_KEYWORD:
            continue  # the case study: overrides of its own Assumptions
        default = parameter.default
        assert default is None or any(default is constant for constant in constants), (
            f"{function.__name__}({name}={default!r}) is not a dataset"
        )
