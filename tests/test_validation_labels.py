"""Labels are compared as the values the caller gave, in every function that takes them.

numpy stores ints beyond 64 bits as Python objects, and ints mixed with
floats (or negative ints with ints of 2**63 and more) as floats, which hold
every integer only up to 2**53. A label helper that let either turn into a
float would merge 2**64 and 2**64 + 1 into one class. Each public function
that takes labels is called here on labels that a float cannot tell apart.
"""

import numpy as np
import pytest

from dmls_examples import _validation as v
from dmls_examples.casestudy import carousel
from dmls_examples.fairness import (
    selection_rate_gap,
    selection_rate_ratio,
    selection_rates,
    true_positive_rates,
)
from dmls_examples.framing import log_loss, one_vs_rest_targets
from dmls_examples.imbalance import (
    ConfusionCounts,
    accuracy,
    confusion_counts,
    majority_baseline_accuracy,
    precision_recall_f1,
)

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

BIG = 2**64
#: Pairs of labels that are one apart but the same float.
CLOSE = [
    [BIG, BIG + 1],  # beyond 64 bits: numpy keeps Python ints
    [-1, 2**63, 2**63 + 1],  # a negative int with uint64-sized ones: numpy makes floats
    [2**53 + 1, 2**53, 0.5],  # ints with a float: numpy makes floats
    [np.int64(-1), 2**63, 2**63 + 1],  # a numpy int with Python ints: an object array
    np.array([BIG, BIG + 1], dtype=object),  # a pandas column of big ints
]


@pytest.mark.parametrize("labels", CLOSE, ids=repr)
def test_the_label_helper_keeps_every_label_distinct(labels):
    array = v.as_label_array(labels, "ys")
    assert array.tolist() == [int(x) if isinstance(x, np.integer) else x for x in labels]
    assert len(np.unique(array)) == len(labels)


def test_labels_that_floats_hold_exactly_stay_a_numeric_array():
    # The exact path is taken only where numpy would round: common labels
    # keep a fast numeric dtype.
    assert v.as_label_array([2**53, 0.5], "ys").dtype == np.float64
    assert v.as_label_array([2**63, 2**63 + 1], "ys").dtype == np.uint64
    assert v.as_label_array([1e300, 3], "ys").dtype == np.float64
    assert v.as_label_array(np.array([2**40, 1.5], dtype=object), "ys").dtype == np.float64
    # Beyond 2**53 an int stays an int, even where this one float would hold it.
    assert v.as_label_array([-1, 2**63], "ys").tolist() == [-1, 2**63]


def test_bools_among_exact_labels_count_as_0_and_1():
    assert v.as_label_array([True, BIG], "ys").tolist() == [1, BIG]
    assert type(v.as_label_array([True, BIG], "ys")[0]) is int


@pytest.mark.parametrize(
    ("labels", "error", "message"),
    [
        ([float("inf"), 2**63 + 1, -1], ValueError, "ys must not contain NaN or infinities"),
        ([float("nan"), BIG], ValueError, "ys must not contain NaN or infinities"),
        ([10**400, 1], ValueError, "ys must be finite, got a number too large for a float"),
    ],
)
def test_exact_labels_are_still_checked(labels, error, message):
    with pytest.raises(error, match=f"^{message}"):
        v.as_label_array(labels, "ys")


A, B = BIG, BIG + 1


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: majority_baseline_accuracy([A, B]), 0.5),
        (lambda: majority_baseline_accuracy([-1, 2**63, 2**63 + 1]), 1 / 3),
        (lambda: accuracy([A, B], [B, B]), 0.5),
        (lambda: accuracy([-1, 2**63, 2**63 + 1], [-1, 2**63 + 1, 2**63 + 1]), 2 / 3),
        (lambda: confusion_counts([A, B, B], [B, B, A], positive=B), ConfusionCounts(1, 1, 1, 0)),
        (lambda: precision_recall_f1([A, B, B], [B, B, A], positive=B), (0.5, 0.5, 0.5)),
        (
            lambda: selection_rates([A, B, B, A], ["x", "x", "y", "y"], positive=B),
            {"x": 0.5, "y": 0.5},
        ),
        (lambda: selection_rates([1, 0, 1], [A, B, B]), {A: 1.0, B: 0.5}),
        (
            lambda: selection_rates([1, 0, 0], [-1, 2**63, 2**63 + 1]),
            {-1: 1.0, 2**63: 0.0, 2**63 + 1: 0.0},
        ),
        (lambda: selection_rate_gap([1, 0, 1], [A, B, B]), 0.5),
        (lambda: selection_rate_ratio([1, 0, 1], [A, B, B], between=[B, A]), 0.5),
        (lambda: true_positive_rates([1, 1, 1], [1, 0, 1], [A, B, B]), {A: 1.0, B: 0.5}),
        (lambda: true_positive_rates([A, B], [B, B], ["x", "x"], positive=B), {"x": 1.0}),
        (lambda: one_vs_rest_targets([[A], [B]]).classes, (A, B)),
        (lambda: carousel([0.1, 0.9], [A, B], shown=1).tolist(), [1, 1]),
        (lambda: carousel([0.1, 0.9], [-1, 2**63], shown=1).tolist(), [1, 1]),
    ],
)
def test_every_label_taking_function_tells_close_labels_apart(call, expected):
    assert call() == expected


@pytest.mark.parametrize("labels", [[0, 1, BIG], [-1, 2**63, 0], [2**53 + 1, 0.5]], ids=repr)
def test_log_loss_refuses_huge_labels_as_classes(labels):
    with pytest.raises(ValueError, match=r"^y_true must hold class numbers from 0 to 1$"):
        log_loss(labels, [0.5] * len(labels))


def test_positive_must_be_one_of_two_close_labels():
    with pytest.raises(
        ValueError,
        match=rf"^positive must be one of the labels present \({A}, {B}\), got 1$",
    ):
        confusion_counts([A, B], [A, B])
