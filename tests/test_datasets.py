"""Tests for dmls_examples.datasets: the worked examples' data is well formed,
documented, immutable, and the one source the figures and the prose read."""

import ast
import hashlib
import inspect
import json
import re
from pathlib import Path

import numpy as np
import pytest
from source_reading import tree

from dmls_examples import datasets
from dmls_examples.datasets import (
    AD_CLICKS,
    ARTICLE_TOPICS,
    BATCHING_SCENARIO,
    BLEND_SWEEP,
    BOOK_BATCHES,
    BOOK_LATENCIES_MS,
    DELIVERIES,
    LEADERBOARD,
    LENDER,
    MINORITY,
    NEWSFEED,
    REQUEST_LOG,
    SKETCH_CHECK,
    TRAINING_SETS,
    loan_model,
    restaurants,
)
from dmls_examples.objectives import min_max_scale, rank_by_blend

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(datasets.__file__).read_text()
CONSTANTS = [name for name in datasets.__all__ if name.isupper()]
#: How a value says where it comes from.
PROVENANCE = re.compile(
    r"(?i:invented|the book's)|\b[A-Z][a-z]+(?: et al\.| and [A-Z][a-z]+)? (?:19|20)\d\d\b"
)


def test_restaurants_are_aligned_and_in_range():
    data = restaurants()
    assert len(data.names) == len(data.click_probability) == len(data.revenue) == 10
    assert len(set(data.names)) == 10
    assert all(0 <= p <= 1 for p in data.click_probability)
    assert all(r > 0 for r in data.revenue)
    assert list(data.click_probability) == sorted(data.click_probability, reverse=True)


def test_the_two_objectives_disagree():
    data = restaurants()
    most_clicked = max(range(10), key=data.click_probability.__getitem__)
    most_revenue = max(range(10), key=data.revenue.__getitem__)
    assert most_clicked != most_revenue


def test_loan_model_is_aligned():
    model = loan_model()
    n = len(model.features)
    assert len(model.weights) == len(model.average) == len(model.applicant) == n


def test_fresh_objects_each_call():
    assert restaurants() == restaurants()
    assert restaurants() is not restaurants()


def test_the_books_examples():
    assert len(BOOK_LATENCIES_MS) == 10
    assert sum(BOOK_LATENCIES_MS) / 10 == 390
    assert [(b.batch_size, b.latency_ms) for b in BOOK_BATCHES] == [(1, 10), (10, 10), (50, 20)]


@pytest.mark.parametrize("name", CONSTANTS)
def test_every_constant_is_immutable(name):
    """Hashable all the way down: no list or array that a caller could change."""
    hash(getattr(datasets, name))


@pytest.mark.parametrize("name", CONSTANTS)
def test_every_constant_says_where_it_comes_from(name):
    lines = SOURCE.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"{name}(: .*)? = ", line))
    comment = []
    for line in reversed(lines[:start]):
        if not line.startswith("#:"):
            break
        comment.insert(0, line)
    assert comment, f"{name} has no #: comment"
    assert PROVENANCE.search(" ".join(comment)), f"{name} says neither 'invented' nor a source"


@pytest.mark.parametrize("function", [restaurants, loan_model])
def test_every_function_says_where_its_data_comes_from(function):
    assert PROVENANCE.search(inspect.getdoc(function))


@pytest.mark.parametrize(
    "name", [name for name in datasets.__all__ if name[0].isupper() and not name.isupper()]
)
def test_every_type_is_documented(name):
    assert inspect.getdoc(getattr(datasets, name))


def test_ad_clicks_build_the_arrays_the_text_describes():
    labels, flags, logged = AD_CLICKS.labels(), AD_CLICKS.flags(), AD_CLICKS.logged_labels()
    assert labels.sum() == AD_CLICKS.clicks
    assert labels.size == AD_CLICKS.impressions
    assert flags.sum() == AD_CLICKS.flagged
    assert (labels & flags).sum() == AD_CLICKS.flagged_clicks
    assert labels.sum() - logged.sum() == AD_CLICKS.unlogged_clicks
    assert np.all(logged <= labels)
    labels[0] = 0
    assert AD_CLICKS.labels()[0] == 1, "each call builds a new array"


def test_lender_lists_line_up():
    groups, approved = LENDER.groups(), LENDER.approved()
    repaid, evened = LENDER.repaid(), LENDER.evened()
    assert len(groups) == len(approved) == len(repaid) == len(evened)
    b = slice(LENDER.size_a, None)
    assert sum(approved[b]) == LENDER.approved_b
    assert sum(repaid[b]) == LENDER.qualified_b
    # The second model approves B at A's rate, with found_b of the qualified.
    assert sum(evened[b]) / LENDER.size_b == LENDER.approved_a / LENDER.size_a
    assert sum(e & r for e, r in zip(evened[b], repaid[b], strict=True)) == LENDER.found_b


def test_lender_group_a_is_approvals_then_refusals_and_only_the_approved_repay():
    a = slice(None, LENDER.size_a)
    approvals = [1] * LENDER.approved_a + [0] * (LENDER.size_a - LENDER.approved_a)
    assert LENDER.approved()[a] == approvals
    # Every approved applicant of A repays and no other does.
    assert LENDER.repaid()[a] == approvals
    # The second model changes only B's decisions.
    assert LENDER.evened()[a] == approvals
    for decisions in (LENDER.approved(), LENDER.repaid(), LENDER.evened()):
        assert set(decisions) == {0, 1}


def test_batching_scenario():
    assert BATCHING_SCENARIO.largest_batch == max(BATCHING_SCENARIO.compared_batch_sizes)
    assert BATCHING_SCENARIO.service_time_ms(50) == pytest.approx(20.0)
    # An empty pass costs the fixed cost; a mean batch size need not be whole.
    assert BATCHING_SCENARIO.service_time_ms(0) == BATCHING_SCENARIO.fixed_ms
    assert BATCHING_SCENARIO.service_time_ms(0.5) == pytest.approx(
        BATCHING_SCENARIO.fixed_ms + BATCHING_SCENARIO.per_query_ms / 2
    )
    with pytest.raises(ValueError, match=r"^batch_size must lie in \[0, "):
        BATCHING_SCENARIO.service_time_ms(-0.5)
    assert list(BATCHING_SCENARIO.compared_timeouts_ms) == sorted(
        BATCHING_SCENARIO.compared_timeouts_ms
    )


def test_blend_sweep_runs_from_zero_to_one():
    alphas = BLEND_SWEEP.alphas()
    assert alphas[0] == 0
    assert alphas[-1] == 1
    assert np.allclose(np.diff(alphas), BLEND_SWEEP.alpha_step)


def test_deliveries_differ_in_one_row():
    changed = [
        i
        for i, (mon, tue) in enumerate(
            zip(DELIVERIES.monday_minutes, DELIVERIES.tuesday_minutes, strict=True)
        )
        if mon != tue
    ]
    assert changed == [len(DELIVERIES.distance_km) - 1]


FIGURE_MODULES = sorted((ROOT / "docs" / "_figures").glob("*.py"))


@pytest.mark.parametrize("module", FIGURE_MODULES, ids=lambda path: path.stem)
def test_figures_take_their_scenarios_from_the_datasets(module):
    """A figure reads its inputs where the prose does: dmls_examples, never
    numbers of its own that the prose would have to repeat."""
    imported = {
        node.module
        for node in ast.walk(tree(module))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "dmls_numbers" not in imported


def test_a_batch_fills_in_b_minus_one_gaps_and_settles_where_arrivals_match_service():
    scenario = BATCHING_SCENARIO
    # 49 gaps of 1 ms between 1,000 arrivals a second.
    assert scenario.mean_fill_ms() == pytest.approx(49.0)
    steady = scenario.steady_batch_size()
    # The steady size is the fixed point b = lambda * s(b).
    assert steady == pytest.approx(
        scenario.arrival_rate_qps / 1000 * scenario.service_time_ms(steady)
    )
    overloaded = scenario._replace(per_query_ms=1.0)  # 1 ms a query at 1,000 a second
    message = "the server cannot keep up at any batch size: no steady batch size"
    with pytest.raises(ValueError, match=rf"^{message}$"):
        overloaded.steady_batch_size()


def test_the_minority_arrays_match_their_counts():
    groups, right = MINORITY.groups(), MINORITY.right()
    assert (groups == "B").sum() == MINORITY.size_b
    assert right[groups == "A"].sum() == MINORITY.correct_a
    assert right[groups == "B"].sum() == MINORITY.correct_b
    assert MINORITY.overall() == pytest.approx(right.mean())
    # Right about B as often as about A: the overall rate is A's rate.
    assert MINORITY.overall_if_b_like_a() == pytest.approx(MINORITY.correct_a / MINORITY.size_a)


def test_the_leaderboard_draws_the_same_scores_each_time():
    scores = LEADERBOARD.scores()
    assert scores.shape == (LEADERBOARD.models,)
    assert np.array_equal(scores, LEADERBOARD.scores())
    assert np.all((scores >= 0) & (scores <= 1))
    assert abs(scores.mean() - LEADERBOARD.accuracy) < 0.01


def test_the_blend_weights_reach_every_ranking_a_fine_grid_reaches():
    quality, clicks = min_max_scale(NEWSFEED.quality), min_max_scale(NEWSFEED.clicks)

    def order(alpha):
        return tuple(rank_by_blend(quality, clicks, alpha=alpha).tolist())

    # Crossings can lie closer together than any grid's step, so the weights
    # find every ranking a fine grid finds, and possibly more; the feeds of
    # the top k, which change less often, are the same.
    fine = {order(alpha) for alpha in np.linspace(0, 1, 20_001)}
    reached = {order(alpha) for alpha in NEWSFEED.blend_weights()}
    assert fine <= reached
    k = BLEND_SWEEP.k
    assert {tuple(sorted(o[:k])) for o in reached} == {tuple(sorted(o[:k])) for o in fine}
    feeds, outcomes = NEWSFEED.feeds(BLEND_SWEEP.k)
    assert len(feeds) == len(outcomes) == 252  # 10 choose 5
    assert outcomes[0] == pytest.approx(
        [np.mean(NEWSFEED.quality[:5]), np.mean(NEWSFEED.clicks[:5])]
    )


def test_the_blend_weights_are_the_ends_and_one_weight_in_each_stretch():
    """0, 1, and between them one weight per stretch of a fixed ranking, in
    order: each end shares the ranking of the stretch beside it (this feed
    has no ties at 0 or 1), so a weight lost at either end shows."""
    quality, clicks = min_max_scale(NEWSFEED.quality), min_max_scale(NEWSFEED.clicks)
    weights = NEWSFEED.blend_weights()
    assert weights[0] == 0.0
    assert weights[-1] == 1.0
    assert weights == sorted(set(weights))
    rankings = [tuple(rank_by_blend(quality, clicks, alpha=w).tolist()) for w in weights]
    assert rankings[0] == rankings[1]
    assert rankings[-1] == rankings[-2]


def test_the_request_log_is_the_sample_in_logged_order():
    ordered, logged = REQUEST_LOG.sample(), REQUEST_LOG.sample(shuffled=True)
    assert logged.size == REQUEST_LOG.fast_count + REQUEST_LOG.slow_count
    assert np.array_equal(np.sort(ordered), np.sort(logged))
    assert not np.array_equal(ordered, logged)


def test_the_sketch_check_spans_what_it_says():
    qs, span = SKETCH_CHECK.qs(), SKETCH_CHECK.span()
    assert (qs[0], qs[-1], qs.size) == (SKETCH_CHECK.lowest_q, SKETCH_CHECK.highest_q, 800)
    assert span[0] == pytest.approx(SKETCH_CHECK.span_ms[0])
    assert span[-1] == pytest.approx(SKETCH_CHECK.span_ms[1])
    assert span.size == SKETCH_CHECK.span_values
    # Evenly spaced on a log scale: every value the same ratio above the last.
    ratios = span[1:] / span[:-1]
    assert np.allclose(ratios, ratios[0], rtol=1e-9, atol=0)


def test_the_article_scores_name_their_topics():
    scores = ARTICLE_TOPICS.as_dict()
    assert list(scores) == list(ARTICLE_TOPICS.topics)
    assert ARTICLE_TOPICS.true_topic in scores
    # A topic without a score is an error, not a topic silently dropped.
    with pytest.raises(ValueError, match="shorter"):
        ARTICLE_TOPICS._replace(scores=ARTICLE_TOPICS.scores[:-1]).as_dict()


def test_the_training_sets_grow_over_the_years():
    years = [training_set.year for training_set in TRAINING_SETS]
    sizes = [training_set.size for training_set in TRAINING_SETS]
    assert years == sorted(years)
    assert sizes == sorted(sizes)


def _plain(value):
    """A value of the module as JSON-ready Python: arrays as lists, records as dicts."""
    if isinstance(value, np.ndarray | np.generic):
        return _plain(value.tolist())
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {type(value).__name__: {k: _plain(v) for k, v in value._asdict().items()}}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def example_data_digest() -> str:
    """SHA-256 of every value the module exports, and of what its functions return."""
    exported = {}
    for name in datasets.__all__:
        value = getattr(datasets, name)
        if inspect.isclass(value):
            continue
        exported[name] = _plain(value() if callable(value) else value)
    text = json.dumps(exported, sort_keys=True, allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_example_data_is_pinned():
    """Every page, figure and quoted number reads these inputs: a change to
    one must be deliberate. After changing a value on purpose, check the
    pages that use it, then put the new digest here."""
    assert example_data_digest() == (
        "03d8e1008b1f2d86827afcebbb6a5d8f2c4c7c431b95d113f6c8152620cc8925"
    )


def test_a_feed_of_one_post_is_a_feed():
    feeds, outcomes = NEWSFEED.feeds(1)
    assert len(feeds) == len(outcomes) == len(NEWSFEED.posts)  # 10 choose 1
