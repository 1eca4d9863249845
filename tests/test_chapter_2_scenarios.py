"""Chapter 2's examples, prose and figures read one scenario.

A page's doctests type their inputs; the numbers its prose quotes and the
figures beside them are computed by docs/_ext/dmls_numbers.py from inputs of
its own. These tests read the inputs out of the pages' doctests and check
that they are the ones dmls_numbers and the figures use, so a page cannot
show one example and describe another (as the decoupling figure once
stepped its weight by 0.1 while its prose stepped by 0.05).
"""

import ast
import contextlib
import inspect
import re
from pathlib import Path

import dmls_figures
import dmls_numbers
import pytest

from dmls_examples.datasets import (
    BLEND_SWEEP,
    CAPACITY_SCENARIO,
    CATALOG_HOURS,
    NEWSFEED,
    RECOMMENDER_FULL,
    RECOMMENDER_PILOT,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"


def doctest_source(page: str) -> ast.Module:
    """The Python of every {doctest} block on *page*, prompts removed."""
    text = (DOCS / f"{page}.md").read_text()
    lines = []
    for block in re.findall(r"^```\{doctest\}\n(.*?)^```", text, re.S | re.M):
        lines += [line[4:] for line in block.splitlines() if line.startswith((">>> ", "... "))]
    return ast.parse("\n".join(lines))


def literal_calls(page: str, function: str) -> list[tuple]:
    """The literal positional arguments of every call to *function* on *page*."""
    calls = []
    for node in ast.walk(doctest_source(page)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == function:
            args = []
            for arg in node.args:
                try:
                    args.append(ast.literal_eval(arg))
                except ValueError:
                    args.append(None)  # a variable, such as `peak`
            calls.append(tuple(args))
    return calls


def assignments(page: str) -> dict:
    """Names bound to literals in the page's doctests."""
    bound = {}
    for node in ast.walk(doctest_source(page)):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            with contextlib.suppress(ValueError):  # not a literal, such as `q, c = ...`
                bound[node.targets[0].id] = ast.literal_eval(node.value)
    return bound


def defaults(function) -> dict:
    return {name: p.default for name, p in inspect.signature(function).parameters.items()}


# -- framing-ml-problems ------------------------------------------------------

FRAMING = "chapter-2/framing-ml-problems"


def test_the_newsfeed_doctest_uses_the_posts_the_prose_and_figures_use():
    bound = assignments(FRAMING)
    assert tuple(bound["posts"]) == NEWSFEED.posts
    assert tuple(bound["quality"]) == NEWSFEED.quality
    assert tuple(bound["clicks"]) == NEWSFEED.clicks
    source = ast.unparse(doctest_source(FRAMING))
    assert source.count(f"k={BLEND_SWEEP.k}") >= 3
    posts, k = len(NEWSFEED.posts), BLEND_SWEEP.k
    assert f"combinations(range({posts}), {k})" in source


def test_the_multilabel_and_loss_examples_use_the_shared_inputs():
    source = ast.unparse(doctest_source(FRAMING))
    topics = dict(zip(dmls_numbers.TOPICS, dmls_numbers.TOPIC_SCORES, strict=True))
    assert repr(topics) in source
    true_class = dmls_numbers.TOPICS.index(dmls_numbers.TRUE_TOPIC)
    assert ([true_class], [list(dmls_numbers.TOPIC_SCORES)]) in literal_calls(FRAMING, "log_loss")
    assert tuple(assignments(FRAMING)["actual"]) == dmls_numbers.DELIVERY_ACTUAL
    predictions = (list(dmls_numbers.DELIVERY_PREDICTED), list(dmls_numbers.DELIVERY_ONE_MISS))
    assert f"for predicted in {predictions!r}" in source


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


# -- business-and-ml-objectives -------------------------------------------------

BUSINESS = "chapter-2/business-and-ml-objectives"


def test_the_take_rate_doctests_use_the_prose_inputs():
    inputs = defaults(dmls_numbers.recommender_numbers)
    assert (inputs["pilot"], inputs["full"]) == (RECOMMENDER_PILOT, RECOMMENDER_FULL)
    calls = set(literal_calls(BUSINESS, "take_rate_difference_interval"))
    for a, b, shown in (RECOMMENDER_PILOT, RECOMMENDER_FULL):
        assert (a, shown, b, shown) in calls
    hours = {tuple(args[0]) for args in literal_calls(BUSINESS, "effective_catalog_size")}
    assert hours == {CATALOG_HOURS.a, CATALOG_HOURS.b}


# -- requirements -----------------------------------------------------------------

REQUIREMENTS = "chapter-2/requirements"


def test_the_capacity_doctests_use_the_prose_inputs():
    plan = defaults(dmls_numbers.capacity_numbers)["scenario"]
    assert plan == CAPACITY_SCENARIO
    assert (plan.current_peak_qps, plan.growth_per_month, plan.months) in literal_calls(
        REQUIREMENTS, "forecast_peak"
    )
    replica_calls = literal_calls(REQUIREMENTS, "replicas_needed")
    assert all(args[1] == plan.replica_qps for args in replica_calls)
    source = ast.unparse(doctest_source(REQUIREMENTS))
    assert f"target_utilization={plan.high_target}" in source


# -- mind-versus-data ---------------------------------------------------------------


def test_the_training_set_table_lists_the_sets_the_growth_is_computed_from():
    text = (DOCS / "chapter-2" / "mind-versus-data.md").read_text()
    table = [line for line in text.splitlines() if re.match(r"\| \d{4} \|", line)]
    rows = {line.split("|")[1].strip(): line for line in table}
    for name, year, _, unit in dmls_numbers.TRAINING_SETS:
        assert str(year) in rows, f"no row for {year}"
        assert unit in rows[str(year)]
        assert name.split()[0] in rows[str(year)]
