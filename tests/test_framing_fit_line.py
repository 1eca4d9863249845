"""Tests for dmls_examples.framing.fit_line: the delivery example's straight line."""

import math
import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmls_examples.datasets import DELIVERIES
from dmls_examples.framing import Line, fit_line, mean_squared_error

# An overflow or invalid operation the code should have handled is a failure:
# a NumPy warning on the way to a result or an error would reach the caller.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

moderate = st.floats(-1e6, 1e6, allow_nan=False)


def test_the_delivery_example():
    monday = fit_line(DELIVERIES.distance_km, DELIVERIES.monday_minutes)
    tuesday = fit_line(DELIVERIES.distance_km, DELIVERIES.tuesday_minutes)
    assert monday == Line(slope=4.0, intercept=10.0)
    assert tuesday == Line(slope=7.0, intercept=4.0)
    assert monday.predict(DELIVERIES.asked_km) == 30.0
    assert tuesday.predict(DELIVERIES.asked_km) == 39.0


def test_a_line_unpacks_as_slope_then_intercept():
    slope, intercept = fit_line([0, 1], [3, 5])
    assert (slope, intercept) == (2.0, 3.0)


@given(st.lists(st.tuples(moderate, moderate), min_size=2, max_size=30))
def test_agrees_with_numpy_polyfit(points):
    x, y = (np.array(column) for column in zip(*points, strict=True))
    if np.ptp(x) < 1e-3:
        return  # polyfit's own conditioning fails before ours
    slope, intercept = fit_line(x, y)
    expected_slope, expected_intercept = np.polyfit(x, y, 1)
    scale = 1 + np.abs(y).max()
    assert slope == pytest.approx(expected_slope, rel=1e-6, abs=1e-6 * scale / np.ptp(x))
    assert intercept == pytest.approx(expected_intercept, rel=1e-6, abs=1e-5 * scale)


@given(st.lists(st.tuples(moderate, moderate), min_size=2, max_size=30), moderate, moderate)
def test_no_other_line_has_a_smaller_squared_error(points, d_slope, d_intercept):
    x, y = (np.array(column) for column in zip(*points, strict=True))
    if np.ptp(x) < 1e-3:
        return
    best = fit_line(x, y)
    other = Line(best.slope + d_slope * 1e-3, best.intercept + d_intercept * 1e-3)
    fitted = mean_squared_error(y, best.slope * x + best.intercept)
    moved = mean_squared_error(y, other.slope * x + other.intercept)
    assert fitted <= moved * (1 + 1e-9) + 1e-9


@given(moderate, moderate, st.lists(moderate, min_size=2, max_size=20, unique=True))
def test_points_on_a_line_give_that_line(slope, intercept, x):
    x = np.array(x)
    if np.ptp(x) < 1:
        return
    line = fit_line(x, slope * x + intercept)
    assert line.slope == pytest.approx(slope, rel=1e-6, abs=1e-6)
    assert line.intercept == pytest.approx(intercept, rel=1e-6, abs=1e-6 * (1 + abs(slope)) * 1e6)


def test_extreme_but_representable_lines_are_exact():
    assert fit_line([1e-200, 2e-200], [1, 2]) == Line(slope=1e200, intercept=0.0)
    assert fit_line([1e-160, 2e-160], [0, 1e-160]) == Line(slope=1.0, intercept=-1e-160)
    slope, intercept = fit_line([1e308, -1e308], [1, 2])
    # -0.5e308 / 1e308 per unit of x: a subnormal, so no absolute tolerance.
    assert slope == pytest.approx(-5e-309, rel=1e-12, abs=0)
    assert intercept == 1.5
    # Near the top of the floats: slope 0.1e308 per unit and intercept
    # 0.8e308 - 20 * 0.1e308 = -1.2e308 both fit, though scaling the unit
    # slope by y's magnitude before dividing by x's would overflow.
    slope, intercept = fit_line([20, 21], [0.8e308, 0.9e308])
    assert slope == pytest.approx(1e307, rel=1e-12)
    assert intercept == pytest.approx(-1.2e308, rel=1e-12)
    # y all zero: the rescaling must not divide by y's largest magnitude.
    assert fit_line([1e-320, 2e-320], [0, 0]) == Line(slope=0.0, intercept=0.0)


def test_a_constant_target_gives_a_flat_line_however_far_from_zero():
    # x's offsets from its mean add up to -1.1e-16, not 0: any term in the
    # slope that is not a centred y would show up multiplied by 1e15.
    assert fit_line([0.1, 0.2, 0.3], [1e15] * 3) == Line(slope=0.0, intercept=1e15)


@pytest.mark.parametrize(
    ("x", "y"), [([1, 2], [1e308, -1e308]), ([1e-320, 2e-320], [0, 1])], ids=["steep", "tiny-x"]
)
def test_a_line_too_steep_to_represent_is_an_error(x, y):
    message = "x and y are too extreme for the fitted line to be represented"
    with pytest.raises(ValueError, match=rf"^{message}$"):
        fit_line(x, y)


@pytest.mark.parametrize(
    ("x", "y", "error", "message"),
    [
        ([1, 1, 1], [1, 2, 3], ValueError, "x must hold at least two distinct"),
        ([1], [1], ValueError, "x must hold at least two distinct"),
        ([1, 2], [1, 2, 3], ValueError, "^y must have the same length as x: 3 != 2$"),
        ([1, math.nan], [1, 2], ValueError, "x must not contain NaN"),
        ([1, 2], [1, math.inf], ValueError, "y must not contain infinities"),
        ([], [], ValueError, "x must not be empty"),
        ("12", [1, 2], TypeError, "x must be"),
        ([1, 2], ["a", "b"], TypeError, "y must contain only numbers"),
    ],
)
def test_bad_input_names_the_argument(x, y, error, message):
    with pytest.raises(error, match=message):
        fit_line(x, y)


def test_predict():
    line = Line(slope=4.0, intercept=10.0)
    assert line.predict(0) == 10.0
    assert line.predict(-2.5) == 0.0
    with pytest.raises(TypeError, match="x must be a real number"):
        line.predict("5")
    with pytest.raises(TypeError, match="x must be a real number"):
        line.predict(True)
    with pytest.raises(ValueError, match="x must be finite"):
        line.predict(math.nan)
    with pytest.raises(ValueError, match="too large to represent"):
        Line(slope=1e300, intercept=0.0).predict(1e300)


@pytest.mark.parametrize(
    ("line", "x", "message"),
    [
        # 1e300 * 1e300 overflows.
        (Line(slope=1e300, intercept=0.0), 1e300, "the line's value at x=1e+300 is"),
        # A hand-made line: inf * 0 is NaN, an invalid operation.
        (Line(slope=math.inf, intercept=0.0), 0, "the line's value at x=0.0 is"),
    ],
    ids=["overflow", "infinite-slope"],
)
def test_predict_out_of_range_is_one_clear_error_and_no_warning(line, x, message):
    with pytest.raises(ValueError, match=rf"^{re.escape(message)} too large to represent$"):
        line.predict(x)


@pytest.mark.parametrize(
    ("slope", "intercept", "x", "representable"),
    [(1e308, -1e308, 2.0, True), (1e308, -1e308, -1.0, False), (-1e308, 1e308, 2.5, True)],
    ids=["cancels", "does-not-cancel", "negative-slope"],
)
def test_predict_is_exact_where_the_product_alone_overflows(slope, intercept, x, representable):
    """slope * x overflows; with the intercept the value may still be a float."""
    line = Line(slope=slope, intercept=intercept)
    if representable:
        exact = Fraction(slope) * Fraction(x) + Fraction(intercept)
        assert line.predict(x) == float(exact)
    else:
        message = r"^the line's value at x=-1.0 is too large to represent"
        with pytest.raises(ValueError, match=message):
            line.predict(x)
