"""Tests for dmls_examples.imbalance: the ad-click example and scikit-learn agreement."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dmls_examples.imbalance import (
    ConfusionCounts,
    accuracy,
    confusion_counts,
    majority_baseline_accuracy,
    precision_recall_f1,
)

# An overflow or invalid operation the code should have handled is a failure.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

N_IMPRESSIONS = 1_000_000
N_CLICKS = 100


@pytest.fixture
def clicks():
    y_true = np.zeros(N_IMPRESSIONS, dtype=int)
    y_true[:N_CLICKS] = 1
    return y_true


def test_always_no_click_scores_four_nines_and_finds_nothing(clicks):
    never = np.zeros_like(clicks)
    assert majority_baseline_accuracy(clicks) == pytest.approx(0.9999)
    assert accuracy(clicks, never) == pytest.approx(0.9999)
    assert precision_recall_f1(clicks, never) == (0.0, 0.0, 0.0)


def test_useful_model_has_lower_accuracy_than_the_constant(clicks):
    flagged = np.zeros_like(clicks)
    flagged[40:1040] = 1
    assert confusion_counts(clicks, flagged) == ConfusionCounts(tp=60, fp=940, fn=40, tn=998_960)
    assert accuracy(clicks, flagged) == pytest.approx(0.99902)
    precision, recall, f1 = precision_recall_f1(clicks, flagged)
    assert (precision, recall) == pytest.approx((0.06, 0.6))
    assert f1 == pytest.approx(2 * 0.06 * 0.6 / 0.66)


def test_string_labels_and_positive():
    y_true = ["spam", "ham", "spam", "ham"]
    y_pred = ["spam", "spam", "ham", "ham"]
    assert precision_recall_f1(y_true, y_pred, positive="spam") == (0.5, 0.5, 0.5)
    assert precision_recall_f1(y_true, y_pred, positive="ham") == (0.5, 0.5, 0.5)


def test_multiclass_is_one_against_the_rest():
    assert confusion_counts([0, 1, 2, 2], [2, 1, 2, 0], positive=2) == (1, 1, 1, 1)


def test_all_negative_sample_is_allowed():
    assert precision_recall_f1([0, 0, 0], [0, 0, 0]) == (0.0, 0.0, 0.0)


def test_absent_class_in_a_multiclass_sample_is_allowed():
    assert precision_recall_f1([0, 1, 2], [2, 1, 0], positive=3) == (0.0, 0.0, 0.0)


def test_majority_of_strings():
    assert majority_baseline_accuracy(["a", "b", "b", "b"]) == 0.75


binary = st.lists(st.integers(0, 1), min_size=1, max_size=200)


# scikit-learn's first call is slow (lazy imports, input checks): no deadline.
@settings(deadline=None)
@given(st.data())
def test_matches_scikit_learn(data):
    from sklearn.metrics import precision_recall_fscore_support

    y_true = data.draw(binary)
    y_pred = data.draw(st.lists(st.integers(0, 1), min_size=len(y_true), max_size=len(y_true)))
    positive = data.draw(st.sampled_from([0, 1]))
    expected = precision_recall_fscore_support(
        y_true,
        y_pred,
        average="binary",
        pos_label=positive,
        labels=[0, 1],
        zero_division=0,
    )[:3]
    assert precision_recall_f1(y_true, y_pred, positive=positive) == pytest.approx(expected)


@given(st.data())
def test_counts_add_up_and_scores_are_bounded(data):
    y_true = data.draw(st.lists(st.sampled_from("abc"), min_size=1, max_size=100))
    y_pred = data.draw(st.lists(st.sampled_from("abc"), min_size=len(y_true), max_size=len(y_true)))
    labels = set(y_true) | set(y_pred)
    # With exactly two labels present, a positive label that is neither is a typo.
    assume(len(labels) != 2 or "a" in labels)
    counts = confusion_counts(y_true, y_pred, positive="a")
    assert sum(counts) == len(y_true)
    assert all(value >= 0 for value in counts)
    for score in precision_recall_f1(y_true, y_pred, positive="a"):
        assert 0.0 <= score <= 1.0
        assert not np.isnan(score)


@given(binary)
def test_perfect_predictions(y):
    assert accuracy(y, y) == 1.0
    expected = 1.0 if 1 in y else 0.0
    assert precision_recall_f1(y, y) == (expected, expected, expected)


@given(st.lists(st.integers(0, 3), min_size=1, max_size=100))
def test_majority_baseline_is_the_best_constant(labels):
    baseline = majority_baseline_accuracy(labels)
    assert 1 / 4 <= baseline <= 1.0
    for constant in set(labels):
        assert accuracy(labels, [constant] * len(labels)) <= baseline


@pytest.mark.parametrize(
    ("labels", "error", "match"),
    [
        ([], ValueError, "labels must not be empty"),
        ("0101", TypeError, "labels"),
        (5, TypeError, "labels"),
        ([[0, 1], [1, 0]], ValueError, "labels must be one-dimensional"),
        ([0.0, float("nan")], ValueError, "labels"),
        ([1, "1"], TypeError, "labels must not mix"),
        ([None, 1], TypeError, "labels"),
    ],
)
def test_majority_bad_input(labels, error, match):
    with pytest.raises(error, match=rf"^{match}"):
        majority_baseline_accuracy(labels)


@pytest.mark.parametrize("function", [accuracy, confusion_counts, precision_recall_f1])
def test_pair_bad_input(function):
    with pytest.raises(ValueError, match="y_pred must have the same length"):
        function([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="y_true must not be empty"):
        function([], [])
    with pytest.raises(TypeError, match=r"^y_pred\b"):
        function([0, 1], ["0", "1"])


def test_bad_positive():
    with pytest.raises(ValueError, match="positive must be one of the labels"):
        precision_recall_f1([0, 1], [1, 0], positive=3)
    with pytest.raises(TypeError, match="positive must be a number"):
        precision_recall_f1([0, 1], [1, 0], positive="1")
    with pytest.raises(TypeError, match="positive must be a string"):
        precision_recall_f1(["a", "b"], ["a", "b"], positive=1)


def test_named_scores_and_the_default_positive_label():
    scores = precision_recall_f1([1, 1, 1, 0, 0], [1, 0, 0, 1, 1])
    assert scores._fields == ("precision", "recall", "f1")
    assert scores == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    scores = precision_recall_f1([1, 1, 0, 0, 0], [1, 0, 1, 1, 1])
    assert (scores.precision, scores.recall, scores.f1) == pytest.approx((0.25, 0.5, 1 / 3))
    assert precision_recall_f1([1, 0], [1, 0], positive=0) == (1.0, 1.0, 1.0)
    assert confusion_counts([2, 1, 2], [2, 2, 1]) == ConfusionCounts(tp=0, fp=1, fn=1, tn=1)
