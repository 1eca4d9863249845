"""Tests for dmls_examples.interpretability.logistic: log-odds to probability."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmls_examples.datasets import loan_model
from dmls_examples.interpretability import linear_score, logistic

finite = st.floats(allow_nan=False, allow_infinity=False)


def test_the_loan_example():
    model = loan_model()
    average = linear_score(model.weights, model.average, bias=model.bias)
    applicant = linear_score(model.weights, model.applicant, bias=model.bias)
    # 1 / (1 + e^-0.8) and 1 / (1 + e^1.55), by hand.
    assert logistic(average) == pytest.approx(0.68997448, abs=1e-8)
    assert logistic(applicant) == pytest.approx(0.17508627, abs=1e-8)


def test_known_values():
    assert logistic(0) == 0.5
    assert logistic(math.log(3)) == pytest.approx(0.75)  # odds of 3 to 1
    assert logistic(-math.log(3)) == pytest.approx(0.25)
    assert logistic(1000.0) == 1.0
    assert logistic(-1000.0) == 0.0
    assert logistic(-1e308) == 0.0


@given(finite)
def test_lies_in_the_unit_interval_and_is_symmetric(score):
    p = logistic(score)
    assert 0.0 <= p <= 1.0
    assert logistic(-score) == pytest.approx(1 - p, abs=1e-15)


@given(finite, finite)
def test_never_decreases(a, b):
    low, high = sorted((a, b))
    assert logistic(low) <= logistic(high)


@given(st.floats(-700, 700))
def test_is_the_inverse_of_the_log_odds(score):
    p = logistic(score)
    # Near 1, 1 - p keeps few digits: stay where it keeps eight.
    if 1e-300 < p < 1 - 1e-8:
        assert math.log(p / (1 - p)) == pytest.approx(score, rel=1e-6, abs=1e-6)


@pytest.mark.parametrize(
    ("score", "error", "message"),
    [
        (math.nan, ValueError, "score must be finite"),
        (math.inf, ValueError, "score must be finite"),
        ("0.5", TypeError, "score must be a real number"),
        (True, TypeError, "score must be a real number"),
        (None, TypeError, "score must be a real number"),
    ],
)
def test_bad_input_names_the_argument(score, error, message):
    with pytest.raises(error, match=message):
        logistic(score)
