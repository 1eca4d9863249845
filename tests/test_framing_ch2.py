"""mean_absolute_error: the regression loss the book names beside RMSE.

Its bad input is tested with mean_squared_error's, in test_framing.py.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmls_examples.framing import mean_absolute_error, mean_squared_error

# An overflow or invalid operation the code should have handled is a failure.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
pairs = st.lists(st.tuples(finite, finite), min_size=1, max_size=50)


def test_the_delivery_example():
    # Misses of 2, 4 and 0 minutes: MAE 2, while the squares weigh the 4 more.
    assert mean_absolute_error([30, 45, 25], [32, 41, 25]) == 2.0
    rmse = math.sqrt(mean_squared_error([30, 45, 25], [32, 41, 25]))
    assert rmse == pytest.approx(2.582, abs=1e-3)


def test_one_large_miss_and_spread_out_misses_have_the_same_mae():
    spread = mean_absolute_error([30, 45, 25], [32, 47, 27])  # three misses of 2
    lumped = mean_absolute_error([30, 45, 25], [30, 45, 31])  # one miss of 6
    assert spread == lumped == 2.0
    assert math.sqrt(mean_squared_error([30, 45, 25], [30, 45, 31])) == pytest.approx(math.sqrt(12))


@given(pairs)
def test_agrees_with_sklearn(pairs):
    import sklearn.metrics

    y, y_hat = zip(*pairs, strict=True)
    expected = sklearn.metrics.mean_absolute_error(y, y_hat)
    assert mean_absolute_error(y, y_hat) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(pairs)
def test_never_exceeds_the_rmse(pairs):
    y, y_hat = zip(*pairs, strict=True)
    mae = mean_absolute_error(y, y_hat)
    assert 0 <= mae <= math.sqrt(mean_squared_error(y, y_hat)) * (1 + 1e-9) + 1e-9


@given(pairs, finite)
def test_is_symmetric_and_shift_invariant(pairs, shift):
    y, y_hat = (np.array(side) for side in zip(*pairs, strict=True))
    mae = mean_absolute_error(y, y_hat)
    assert mean_absolute_error(y_hat, y) == mae
    assert mean_absolute_error(y + shift, y_hat + shift) == pytest.approx(mae, rel=1e-6, abs=1e-3)


def test_a_difference_too_large_for_a_float_is_named():
    # 1e308 - (-1e308) = 2e308, beyond the largest float (about 1.8e308).
    message = "y_true and y_pred give a mean absolute error too large to represent"
    with pytest.raises(ValueError, match=rf"^{message}$"):
        mean_absolute_error([1e308], [-1e308])


@pytest.mark.parametrize(
    ("y", "y_hat", "expected"),
    [
        # One difference, 2e308, overflows; the mean, 1e308, does not.
        ([1e308, 0.0], [-1e308, 0.0], 1e308),
        # Two such differences: their sum overflows even halved.
        ([1e308, 1e308, 0.0, 0.0], [-1e308, -1e308, 0.0, 0.0], 1e308),
        ([-1.5e308, 2.0, 0.0], [1.5e308, 1.0, 0.0], 1e308),  # (3e308 + 1 + 0) / 3, rounded
        # Halving would lose the smallest float: no difference overflows here.
        ([5e-324], [0.0], 5e-324),
    ],
)
def test_a_difference_that_overflows_need_not_make_the_mean_overflow(y, y_hat, expected):
    assert mean_absolute_error(y, y_hat) == expected
    assert mean_absolute_error(y_hat, y) == expected


def test_squared_errors_overflow_where_a_difference_does():
    # The mean squared error of the first case above is 2e616 / 2: too large.
    with pytest.raises(ValueError, match=r"mean squared error too large to represent$"):
        mean_squared_error([1e308, 0.0], [-1e308, 0.0])
