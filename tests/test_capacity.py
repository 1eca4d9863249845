"""Replicas for a traffic forecast, utilisation, and compound growth."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmls_examples.capacity import forecast_peak, replicas_needed, utilization

# An overflow or invalid operation the code should have handled is a failure.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

rates = st.floats(min_value=1e-3, max_value=1e6)
targets = st.floats(min_value=0.05, max_value=1.0)


# -- replicas_needed ---------------------------------------------------------


def test_replicas_of_the_worked_example():
    assert replicas_needed(1610, 120) == 20
    assert replicas_needed(1610, 120, target_utilization=0.9) == 15
    assert replicas_needed(1610, 120, target_utilization=1.0) == 14


def test_an_exact_fit_does_not_round_up():
    # 700 / (100 * 0.7) is 10 on paper, 10.000000000000002 in binary floats.
    assert replicas_needed(700, 100) == 10
    assert replicas_needed(701, 100) == 11


def test_a_small_load_still_needs_one_replica():
    assert replicas_needed(0.001, 500) == 1


@given(rates, rates, targets)
def test_replicas_carry_the_peak_within_the_target(peak, replica, target):
    n = replicas_needed(peak, replica, target_utilization=target)
    assert n >= 1
    assert utilization(peak, n, replica) <= target * (1 + 1e-9)


@given(rates, rates, targets)
def test_one_replica_fewer_would_exceed_the_target(peak, replica, target):
    n = replicas_needed(peak, replica, target_utilization=target)
    if n > 1:
        assert utilization(peak, n - 1, replica) > target * (1 - 1e-9)


@given(rates, rates, rates, targets)
def test_more_traffic_never_needs_fewer_replicas(peak1, peak2, replica, target):
    low, high = sorted((peak1, peak2))
    assert replicas_needed(low, replica, target_utilization=target) <= replicas_needed(
        high, replica, target_utilization=target
    )


@given(rates, rates, targets, targets)
def test_a_lower_target_never_needs_fewer_replicas(peak, replica, t1, t2):
    low, high = sorted((t1, t2))
    assert replicas_needed(peak, replica, target_utilization=low) >= replicas_needed(
        peak, replica, target_utilization=high
    )


@pytest.mark.parametrize("target", [0, 0.0, -0.1, 1.01, math.nan])
def test_target_utilization_outside_zero_one_is_an_error(target):
    with pytest.raises(ValueError, match=r"^target_utilization\b"):
        replicas_needed(1000, 100, target_utilization=target)


@pytest.mark.parametrize(
    ("args", "error", "name"),
    [
        ((0, 100), ValueError, "peak_qps"),
        ((-5, 100), ValueError, "peak_qps"),
        ((math.inf, 100), ValueError, "peak_qps"),
        ((1000, 0), ValueError, "replica_qps"),
        (("1000", 100), TypeError, "peak_qps"),
        ((1000, None), TypeError, "replica_qps"),
    ],
)
def test_replicas_reject_bad_rates(args, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        replicas_needed(*args)


def test_target_utilization_must_be_a_number():
    with pytest.raises(TypeError, match=r"^target_utilization\b"):
        replicas_needed(1000, 100, target_utilization="70%")


# -- utilization -------------------------------------------------------------


def test_utilization_of_the_worked_example():
    assert round(utilization(1610, 20, 120), 3) == 0.671
    assert round(utilization(1610, 19, 120), 3) == 0.706
    assert utilization(0, 3, 10) == 0.0


def test_overload_shows_as_utilization_above_one():
    assert utilization(300, 2, 100) == 1.5


@given(st.floats(min_value=0, max_value=1e6), st.integers(1, 1000), rates)
def test_utilization_times_capacity_is_the_load(offered, replicas, replica):
    assert utilization(offered, replicas, replica) * replicas * replica == pytest.approx(offered)


@pytest.mark.parametrize(
    ("args", "error", "name"),
    [
        ((-1, 2, 100), ValueError, "offered_qps"),
        ((10, 0, 100), ValueError, "replicas"),
        ((10, 2.5, 100), TypeError, "replicas"),
        ((10, 2, 0), ValueError, "replica_qps"),
        ((math.nan, 2, 100), ValueError, "offered_qps"),
    ],
)
def test_utilization_rejects_bad_input(args, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        utilization(*args)


# -- forecast_peak -----------------------------------------------------------


def test_forecast_of_the_worked_example():
    assert round(forecast_peak(800, 0.06, 12), 1) == 1609.8


@given(rates, st.floats(min_value=-0.9, max_value=1.0))
def test_zero_periods_is_today(peak, growth):
    assert forecast_peak(peak, growth, 0) == peak


@given(rates, st.floats(min_value=0, max_value=0.5), st.integers(0, 60))
def test_growth_compounds(peak, growth, periods):
    once = forecast_peak(peak, growth, periods)
    assert forecast_peak(peak, growth, periods + 1) == pytest.approx(once * (1 + growth))
    assert once >= peak


@pytest.mark.parametrize(
    ("args", "error", "name"),
    [
        ((0, 0.1, 3), ValueError, "current_peak_qps"),
        ((100, -1, 3), ValueError, "growth_per_period"),
        ((100, -1.5, 3), ValueError, "growth_per_period"),
        ((100, 0.1, -1), ValueError, "periods"),
        ((100, 0.1, 2.0), TypeError, "periods"),
        ((100, "10%", 2), TypeError, "growth_per_period"),
        ((100, 10.0, 10_000), ValueError, "periods and growth_per_period"),
    ],
)
def test_forecast_rejects_bad_input(args, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        forecast_peak(*args)


# -- rounding that never under-provisions, and the float range -----------------------


def test_rounding_is_arithmetic_on_the_decimals_given():
    # Any ratio above 10 needs an eleventh replica, however little above;
    # 700 / (100 * 0.7) is exactly 10, as on paper, not binary floats' 10.000000000000002.
    assert replicas_needed(700.0007, 100) == 11
    assert replicas_needed(700.00000007, 100) == 11
    assert replicas_needed(700.000000007, 100) == 11
    assert replicas_needed(100.0000000001, 1, target_utilization=1.0) == 101
    assert replicas_needed(700, 100, target_utilization=0.7) == 10
    # Large ratios too: 10252068447.6 / 12 / 0.7 is 1,220,484,339 exactly.
    assert replicas_needed(10252068447.6, 12) == 1_220_484_339


def test_a_vanishing_load_still_needs_one_replica():
    assert replicas_needed(1e-10, 1) == 1
    assert replicas_needed(5e-324, 1e308) == 1


def test_replicas_beyond_the_float_range_are_an_error():
    with pytest.raises(ValueError, match=r"^peak_qps and replica_qps give a number of replicas"):
        replicas_needed(1e308, 1e-10)
    with pytest.raises(ValueError, match=r"too large to represent$"):
        replicas_needed(0.5, 1 / 3, target_utilization=5e-324)


def test_target_utilization_of_exactly_one_is_allowed():
    assert replicas_needed(1000, 100, target_utilization=1) == 10
    assert replicas_needed(1000, 100, target_utilization=1e-300) == pytest.approx(1e301)


def test_utilization_at_the_edges_of_the_float_range():
    assert utilization(5, 10**400, 1) == 0.0
    assert utilization(1e308, 2, 1e308) == 0.5
    with pytest.raises(ValueError, match=r"^offered_qps and replica_qps give a utilization"):
        utilization(1e308, 1, 1e-10)


def test_forecast_for_huge_numbers_of_periods():
    assert forecast_peak(5, -0.5, 10**400) == 0.0
    assert forecast_peak(5, 0, 10**400) == 5.0
    assert forecast_peak(5, -0.9999, 2) == pytest.approx(5e-8)
    with pytest.raises(ValueError, match=r"^periods and growth_per_period give a forecast"):
        forecast_peak(5, 0.5, 10**400)
    with pytest.raises(ValueError, match=r"^growth_per_period must lie in \(-1, inf\)"):
        forecast_peak(5, -1, 1)


def test_default_target_is_seventy_percent():
    assert replicas_needed(700, 100) == replicas_needed(700, 100, target_utilization=0.7) == 10
    assert replicas_needed(701, 100) == 11


@pytest.mark.parametrize(
    ("peak", "growth", "periods", "expected"),
    [
        # The factor overflows (2**1030), the forecast does not: 1.2e10.
        (1e-300, 1.0, 1030, math.ldexp(1e-300, 1030)),
        # The factor underflows to 0 (2**-1100), the forecast is 7.4e-32.
        (1e300, -0.5, 1100, math.ldexp(1e300, -1100)),
        # 1 + 1e-20 rounds to 1; compounded 1e20 times it is e.
        (100.0, 1e-20, 10**20, 100 * math.e),
        (100.0, -1e-20, 10**20, 100 / math.e),
        (5.0, 1e-9, 10**9, 5 * math.exp(1 - 1e-9 / 2)),
        # The factor overflows in two periods (1e400), the forecast is 1e100.
        (1e-300, 1e200, 2, 1e100),
        # 2**2000 from the smallest float: e**1386, split as 2**2000 * e**0.
        (5e-324, 1.0, 2000, math.ldexp(5e-324, 2000)),
    ],
    ids=[
        "factor-overflows",
        "factor-underflows",
        "tiny-growth",
        "tiny-decline",
        "long-run",
        "factor-overflows-soon",
        "from-the-smallest-float",
    ],
)
def test_forecast_where_the_growth_factor_alone_is_not_a_float(peak, growth, periods, expected):
    assert forecast_peak(peak, growth, periods) == pytest.approx(expected, rel=1e-12, abs=0)


def test_one_period_is_one_step_of_growth():
    assert forecast_peak(800, 0.06, 1) == 848.0
    assert forecast_peak(800, -0.25, 1) == 600.0


def test_a_forecast_beyond_the_float_range_still_is_an_error():
    with pytest.raises(ValueError, match=r"^periods and growth_per_period give a forecast"):
        forecast_peak(1e-300, 1.0, 2100)
    # The factor, 4, is a float; the forecast, 4e308, is not.
    with pytest.raises(ValueError, match=r"^periods and growth_per_period give a forecast"):
        forecast_peak(1e308, 1.0, 2)
    assert forecast_peak(1e300, -0.5, 3000) == 0.0
