"""Chapter 2's examples, prose and figures read one scenario.

A page's doctests take their inputs from dmls_examples.datasets (in the
page's testsetup); the numbers its prose quotes are computed by
docs/_ext/dmls_numbers.py, whose defaults are the same objects, and the
figures beside them import them too. These tests check that each page reads
the scenario its prose and figures describe, so a page cannot show one
example and describe another (as the decoupling figure once stepped its
weight by 0.1 while its prose stepped by 0.05). tests/test_pages_read_datasets.py
checks that no doctest types a scenario's values instead.
"""

import inspect
import re
from pathlib import Path

import dmls_figures
import dmls_numbers
import pytest

from dmls_examples import datasets

DOCS = Path(__file__).resolve().parent.parent / "docs"


def imported_datasets(page: str) -> set[str]:
    """The names a page's testsetup imports from dmls_examples.datasets."""
    text = (DOCS / f"{page}.md").read_text()
    setup = re.search(r"^```\{testsetup\}\n(.*?)^```", text, re.S | re.M).group(1)
    return set(re.findall(r"^from dmls_examples\.datasets import (\w+)", setup, re.M))


def defaults(function) -> dict:
    return {name: p.default for name, p in inspect.signature(function).parameters.items()}


@pytest.mark.parametrize(
    ("page", "function", "scenarios"),
    [
        (
            "chapter-2/framing-ml-problems",
            dmls_numbers.objectives_numbers,
            {"feed": "NEWSFEED", "sweep": "BLEND_SWEEP"},
        ),
        (
            "chapter-2/framing-ml-problems",
            dmls_numbers.framing_numbers,
            {"article": "ARTICLE_TOPICS", "deliveries": "DELIVERY_PREDICTIONS"},
        ),
        (
            "chapter-2/business-and-ml-objectives",
            dmls_numbers.recommender_numbers,
            {"pilot": "RECOMMENDER_PILOT", "full": "RECOMMENDER_FULL", "hours": "CATALOG_HOURS"},
        ),
        (
            "chapter-2/requirements",
            dmls_numbers.capacity_numbers,
            {"scenario": "CAPACITY_SCENARIO"},
        ),
    ],
)
def test_the_doctests_and_the_prose_read_one_scenario(page, function, scenarios):
    inputs = defaults(function)
    for argument, name in scenarios.items():
        assert inputs[argument] is getattr(datasets, name), f"{function.__name__}({argument})"
    assert set(scenarios.values()) <= imported_datasets(page)


@pytest.mark.slow
def test_the_blend_figure_steps_the_weight_as_the_prose_does(numbers):
    import matplotlib

    matplotlib.use("agg")
    dmls_figures.load_figure_module(DOCS / "_figures" / "framing_ml_problems.py")
    fig = dmls_figures.FIGURES["objective-blend"](dmls_figures.PALETTES["light"])
    columns = [label.get_text() for label in fig.axes[0].get_xticklabels()]
    step = float(numbers["blend_step"])
    assert [float(c) for c in columns] == pytest.approx(
        [i * step for i in range(round(1 / step) + 1)]
    )
    # The weights the prose names are columns of the figure.
    for name in ("blend_first_change", "blend_settled"):
        assert f"{float(numbers[name]):g}" in columns


def test_the_training_set_table_lists_the_sets_the_growth_is_computed_from():
    assert defaults(dmls_numbers.data_growth_numbers)["sets"] is datasets.TRAINING_SETS
    text = (DOCS / "chapter-2" / "mind-versus-data.md").read_text()
    table = [line for line in text.splitlines() if re.match(r"\| \d{4} \|", line)]
    rows = {line.split("|")[1].strip(): line for line in table}
    for training_set in datasets.TRAINING_SETS:
        year = str(training_set.year)
        assert year in rows, f"no row for {year}"
        assert training_set.unit in rows[year]
        assert training_set.name.split()[0] in rows[year]
