"""Tests for dmls_examples.interpretability: linear scores split into contributions."""

import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmls_examples.datasets import loan_model
from dmls_examples.interpretability import (
    largest_contributions,
    linear_contributions,
    linear_score,
)

# An overflow or invalid operation the code should have handled is a failure.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

small = st.floats(-1e3, 1e3, allow_nan=False)


def test_loan_applicant():
    model = loan_model()
    contributions = linear_contributions(model.weights, model.applicant, reference=model.average)
    assert contributions == pytest.approx([0.3, -0.75, -0.7, -1.2])
    assert linear_score(model.weights, model.applicant, bias=model.bias) == pytest.approx(-1.55)
    assert linear_score(model.weights, model.average, bias=model.bias) == pytest.approx(0.8)
    names = [name for name, _ in largest_contributions(model.features, contributions, k=3)]
    assert names == ["missed payments", "debt-to-income", "credit history"]


@given(st.data(), st.integers(1, 20))
def test_contributions_add_up_to_the_score_difference(data, n):
    vectors = st.lists(small, min_size=n, max_size=n)
    weights, x, reference = data.draw(vectors), data.draw(vectors), data.draw(vectors)
    bias = data.draw(small)
    total = linear_contributions(weights, x, reference=reference).sum()
    difference = linear_score(weights, x, bias=bias) - linear_score(weights, reference, bias=bias)
    assert total == pytest.approx(difference, abs=1e-6 * (1 + np.abs(weights).sum() * 2e3))


@given(st.data(), st.integers(1, 20))
def test_default_reference_is_zero(data, n):
    vectors = st.lists(small, min_size=n, max_size=n)
    weights, x = data.draw(vectors), data.draw(vectors)
    assert linear_contributions(weights, x).tolist() == (np.array(weights) * x).tolist()


@given(st.lists(small, min_size=1, max_size=20))
def test_largest_first_and_nothing_lost(values):
    names = [f"f{i}" for i in range(len(values))]
    ranked = largest_contributions(names, values)
    sizes = [abs(v) for _, v in ranked]
    assert sizes == sorted(sizes, reverse=True)
    assert sorted(ranked) == sorted(zip(names, values, strict=True))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: linear_score([1, 2], [1]), ValueError, "features must have the same length"),
        (lambda: linear_score([], []), ValueError, "weights must not be empty"),
        (lambda: linear_score([1], [1], bias="0"), TypeError, "bias"),
        (lambda: linear_score([1], [np.inf]), ValueError, "features must not contain inf"),
        (lambda: linear_contributions([1], [1], reference=[1, 2]), ValueError, "reference"),
        (lambda: linear_contributions([1], ["a"]), TypeError, "features"),
        (lambda: largest_contributions(["a"], [1, 2]), ValueError, "names must have the same"),
        (lambda: largest_contributions(["a", "a"], [1, 2]), ValueError, "names must be distinct"),
        (lambda: largest_contributions([1, 2], [1, 2]), TypeError, "names must contain only"),
        (lambda: largest_contributions("ab", [1, 2]), TypeError, "names must be a sequence"),
        (lambda: largest_contributions(["a"], [1], k=0), ValueError, "k must be at least 1"),
        (lambda: largest_contributions(["a"], [np.nan]), ValueError, "contributions"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=rf"^{match}"):
        call()


def test_defaults():
    assert linear_score([1.0, 2.0], [3.0, 4.0]) == 11.0
    assert linear_contributions([1.0, 2.0], [3.0, 4.0]).tolist() == [3.0, 8.0]
    assert len(largest_contributions(list("abcdef"), [1, 2, 3, 4, 5, 6])) == 6


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: linear_score([1, 2], [1]),
            ValueError,
            "features must have the same length as weights: 1 != 2",
        ),
        (
            lambda: linear_score([1], [1], bias="0"),
            TypeError,
            "bias must be a real number, not str",
        ),
        (
            lambda: linear_contributions([1], [1], reference=[1, 2]),
            ValueError,
            "reference must have the same length as weights: 2 != 1",
        ),
        (
            lambda: linear_contributions([1], [1], reference=["a"]),
            TypeError,
            "reference must contain only numbers",
        ),
        (
            lambda: largest_contributions(["a"], [1, 2]),
            ValueError,
            "names must have the same length as contributions: 1 != 2",
        ),
        (
            lambda: largest_contributions(["a"], ["x"]),
            TypeError,
            "contributions must contain only numbers",
        ),
        (
            lambda: largest_contributions({"a"}, [1]),
            TypeError,
            "names must be a sequence of strings, not set",
        ),
        (
            lambda: linear_score([1e308, 1e308], [10.0, 10.0]),
            ValueError,
            "weights and features give a score too large to represent",
        ),
        (
            lambda: linear_contributions([2.0], [1e308], reference=[-1e308]),
            ValueError,
            "weights, features and reference give contributions too large to represent",
        ),
        (
            lambda: linear_score([1e308, 1e308, 1e308], [10.0, -10.0, 2.0]),
            ValueError,
            "weights and features give a score too large to represent",
        ),
        (
            # Half a unit in the last place above the largest float is 2**970,
            # 9.98e291: the exact score rounds up to infinity.
            lambda: linear_score([1.7976931348623157e308], [1.0], bias=1e292),
            ValueError,
            "weights and features give a score too large to represent",
        ),
    ],
)
def test_messages(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


def test_ties_keep_their_order_however_many():
    names = [f"f{i}" for i in range(200)]
    values = [1.0, 0.0, -1.0, 0.0] * 50
    ranked = [name for name, _ in largest_contributions(names, values)]
    assert ranked == names[0::2] + names[1::2]


def _exact_score(weights, features, bias=0.0):
    return float(
        Fraction(bias)
        + sum(Fraction(w) * Fraction(x) for w, x in zip(weights, features, strict=True))
    )


@pytest.mark.parametrize(
    ("weights", "features", "bias"),
    [
        ([1e308, 1e308], [10, -10], 0.0),
        ([1e308, -1e308], [10.0, 10.0], 0.0),
        ([1e308, 1e308], [10.0, -9.5], 0.0),
        ([1e308, 1e308, 3.0], [10.0, -10.0, 1.0], 0.0),
        ([3.0, 1e308, 1e308], [1.0, 10.0, -10.0], 0.0),
        ([1e308, 1e308], [10.0, -10.0], 2.5),
        ([1.7976931348623157e308, 1.7976931348623157e308], [1.0, 1.0], -1.7976931348623157e308),
    ],
    ids=["book", "weights-cancel", "half", "last-term", "first-term", "bias", "bias-cancels"],
)
def test_a_score_whose_terms_overflow_but_cancel_is_computed_exactly(weights, features, bias):
    """Overflowing terms do not make the score too large: only its exact value can."""
    expected = _exact_score(weights, features, bias)
    assert linear_score(weights, features, bias=bias) == expected
    assert expected in (0.0, 1e308 / 2, 3.0, 2.5, 1.7976931348623157e308)


def test_a_score_just_below_the_float_range_rounds_to_the_largest_float():
    assert linear_score([1.7976931348623157e308], [1.0], bias=9e291) == 1.7976931348623157e308
    assert linear_score([1e308, 1e308], [10.0, -10.0], bias=1.7976931348623157e308) == (
        1.7976931348623157e308
    )


@pytest.mark.parametrize(
    ("weights", "features", "reference", "expected"),
    [
        ([0.0], [1e308], [-1e308], [0.0]),
        ([0.25], [1e308], [-1e308], [1e308 / 2]),
        ([1.0, 0.25], [1.0, 1e308], [0.0, -1e308], [1.0, 1e308 / 2]),
        ([0.25, 1.0], [1e308, 3.0], [-1e308, 1.0], [1e308 / 2, 2.0]),
    ],
    ids=["zero-weight", "quarter", "last", "first"],
)
def test_contributions_whose_difference_overflows_are_computed_exactly(
    weights, features, reference, expected
):
    contributions = linear_contributions(weights, features, reference=reference)
    assert contributions.tolist() == expected
