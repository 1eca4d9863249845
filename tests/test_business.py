"""business: the 0.2% CTR example, A/B sample sizes, and bad input."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmls_examples.business import ab_sample_size, ctr_lift_revenue, lifted_rate

# An overflow or invalid operation the code should have handled is a failure.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def test_relative_and_absolute_lift():
    assert lifted_rate(0.02, 0.002) == pytest.approx(0.02004)
    assert lifted_rate(0.02, 0.002, relative=False) == pytest.approx(0.022)


def test_page_revenue_example():
    assert ctr_lift_revenue(10e9, 0.02, 0.002, 1.0) == pytest.approx(400_000)
    assert ctr_lift_revenue(10e9, 0.02, 0.002, 1.0, relative=False) == pytest.approx(20_000_000)


def test_a_drop_loses_revenue():
    assert ctr_lift_revenue(1e6, 0.02, -0.1, 2.0) == pytest.approx(-4000)


def test_sample_sizes_from_the_fact_sheet():
    """2% to 2.2% needs about 80,700 per arm; 2% to 2.004% about 192 million."""
    assert ab_sample_size(0.02, 0.002, relative=False) == 80_682
    assert ab_sample_size(0.02, 0.002) == pytest.approx(192.5e6, rel=0.001)


def test_sample_size_against_the_rule_of_thumb():
    """Kohavi et al.: n is about 16 p(1-p) / delta^2 at alpha 0.05, power 0.8."""
    n = ab_sample_size(0.1, 0.01, relative=False)
    assert n == pytest.approx(16 * 0.1 * 0.9 / 0.01**2, rel=0.05)


@given(
    st.floats(0.001, 0.5),
    st.floats(0.001, 0.2),
    st.floats(0.001, 0.2),
)
def test_smaller_lifts_need_more_users(p, small, extra):
    large = small + extra
    assert ab_sample_size(p, small, relative=False) >= ab_sample_size(p, large, relative=False)


@given(st.floats(0.01, 0.5), st.floats(0.01, 0.2))
def test_stricter_tests_need_more_users(p, lift):
    base = ab_sample_size(p, lift, relative=False)
    assert ab_sample_size(p, lift, relative=False, alpha=0.01) >= base
    assert ab_sample_size(p, lift, relative=False, power=0.95) >= base


@given(st.floats(0, 1e12), st.floats(0, 0.5), st.floats(-0.5, 0.5), st.floats(0, 100))
def test_revenue_is_linear_in_impressions_and_value(impressions, ctr, lift, value):
    revenue = ctr_lift_revenue(impressions, ctr, lift, value)
    assert math.isfinite(revenue)
    # new_ctr - ctr cancels: allow a few ulps of the rate, scaled by the volume.
    tolerance = impressions * value * 1e-15 + 1e-6
    assert revenue == pytest.approx(impressions * ctr * lift * value, rel=1e-9, abs=tolerance)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "name"),
    [
        ((-1, 0.02, 0.002, 1.0), {}, ValueError, "impressions"),
        ((1e6, 1.5, 0.002, 1.0), {}, ValueError, "baseline_ctr"),
        ((1e6, -0.1, 0.002, 1.0), {}, ValueError, "baseline_ctr"),
        ((1e6, 0.02, float("nan"), 1.0), {}, ValueError, "lift"),
        ((1e6, 0.02, 0.002, -1.0), {}, ValueError, "revenue_per_click"),
        ((1e6, 0.5, 2.0, 1.0), {}, ValueError, "lift"),
        (("many", 0.02, 0.002, 1.0), {}, TypeError, "impressions"),
        ((1e6, 0.02, 0.002, 1.0), {"relative": "yes"}, TypeError, "relative"),
    ],
)
def test_bad_revenue_input(args, kwargs, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        ctr_lift_revenue(*args, **kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "name"),
    [
        ((0.0, 0.1), {}, ValueError, "baseline_rate"),
        ((1.0, 0.1), {}, ValueError, "baseline_rate"),
        ((0.02, 0.0), {}, ValueError, "lift"),
        ((0.02, 0.1), {"alpha": 0}, ValueError, "alpha"),
        ((0.02, 0.1), {"alpha": 1.2}, ValueError, "alpha"),
        ((0.02, 0.1), {"power": 1}, ValueError, "power"),
        ((0.02, 0.1), {"power": "high"}, TypeError, "power"),
        ((0.02, 0.99), {"relative": False}, ValueError, "lift"),
    ],
)
def test_bad_sample_size_input(args, kwargs, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        ab_sample_size(*args, **kwargs)


# -- edges --------------------------------------------------------------------------


def test_a_rate_may_reach_exactly_zero_or_one():
    assert lifted_rate(0.5, 1.0) == 1.0
    assert lifted_rate(0.5, 0.5, relative=False) == 1.0
    assert lifted_rate(0.5, -1.0) == 0.0
    assert lifted_rate(0.5, -0.5, relative=False) == 0.0
    assert lifted_rate(1, 0) == 1.0
    assert lifted_rate(0.5, 0.2, relative=np.bool_(False)) == 0.7
    for lift in (1.0000000000000004, -1.0000000000000002):
        with pytest.raises(ValueError, match=r"^lift must keep the rate in"):
            lifted_rate(0.5, lift)


def test_relative_is_a_real_bool():
    for flag in (1, "yes", None):
        with pytest.raises(TypeError, match=r"^relative must be a bool"):
            lifted_rate(0.5, 0.1, relative=flag)


def textbook_sample_size(p1, p2, alpha, power):
    """The two-proportion formula, written out with scipy's quantiles."""
    # Imported here, not at collection, where it would cost every worker a second.
    from scipy.stats import norm

    mean = (p1 + p2) / 2
    spread = norm.ppf(1 - alpha / 2) * math.sqrt(2 * mean * (1 - mean)) + norm.ppf(
        power
    ) * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(spread**2 / (p1 - p2) ** 2)


@given(
    st.floats(0.01, 0.9),
    st.floats(0.005, 0.09),
    st.floats(0.001, 0.3),
    st.floats(0.55, 0.99),
)
def test_sample_size_is_the_textbook_formula(p, lift, alpha, power):
    expected = textbook_sample_size(p, p + lift, alpha, power)
    n = ab_sample_size(p, lift, relative=False, alpha=alpha, power=power)
    assert abs(n - expected) <= max(1, expected * 1e-9)


def test_sample_size_against_values_worked_by_hand():
    # p1 = 0.1, p2 = 0.15, mean 0.125; z_0.995 = 2.5758, z_0.9 = 1.2816:
    # (2.5758 * 0.46771 + 1.2816 * 0.46637)^2 / 0.05^2 = 1299.5, so 1,300.
    assert ab_sample_size(0.1, 0.05, relative=False, alpha=0.01, power=0.9) == 1_300
    assert ab_sample_size(0.1, 0.5, alpha=0.01, power=0.9) == 1_300
    # A drop: p2 = 0.05, mean 0.075; (1.96 * 0.37249 + 0.8416 * 0.36742)^2 / 0.05^2 = 434.4.
    assert ab_sample_size(0.1, -0.05, relative=False) == 435


def test_alpha_and_power_stop_short_of_one():
    near_one = 0.9999999999999999
    assert ab_sample_size(0.02, 0.002, relative=False, alpha=near_one) >= 1
    assert ab_sample_size(0.02, 0.002, relative=False, power=near_one) > 80_682
    for name in ("alpha", "power"):
        with pytest.raises(ValueError, match=rf"^{name} must lie in \(0, 1\), got 1\.0$"):
            ab_sample_size(0.02, 0.002, **{name: 1.0})
        with pytest.raises(ValueError, match=rf"^{name} must lie in \(0, 1\), got 0\.0$"):
            ab_sample_size(0.02, 0.002, **{name: 0.0})


def test_a_tiny_alpha_needs_more_users_but_a_finite_number():
    base = ab_sample_size(0.02, 0.002, relative=False)
    strict = ab_sample_size(0.02, 0.002, relative=False, alpha=1e-300)
    smallest = ab_sample_size(0.02, 0.002, relative=False, alpha=5e-324)
    assert base < strict <= smallest < 10 * strict


def test_a_power_below_chance_needs_one_user():
    assert ab_sample_size(0.5, 0.1, power=1e-300) == 1
    # A huge lift at a weak test needs less than one user: rounded up, one.
    assert ab_sample_size(0.01, 0.98, relative=False, alpha=0.5, power=0.5) == 1
    # A power of exactly alpha / 2 asks for what any test gives (the spread
    # is 0): one trial, even where the change underflows to 0 (5e-324 * 0.1).
    assert ab_sample_size(5e-324, 0.1, alpha=0.1, power=0.05) == 1


def test_tiny_rates_do_not_underflow():
    from scipy.stats import norm

    n = ab_sample_size(1e-200, 1e-10)
    assert isinstance(n, int)
    # p1 and p2 both about 1e-200, 1e-210 apart: ((z_a + z_p) sqrt(2e-200) / 1e-210)^2.
    z_sum = norm.ppf(0.975) + norm.ppf(0.8)
    assert n == pytest.approx((z_sum * math.sqrt(2e-200) / 1e-210) ** 2, rel=1e-5)


def test_revenue_beyond_the_float_range_is_an_error():
    with pytest.raises(ValueError, match=r"^impressions and revenue_per_click give a revenue"):
        ctr_lift_revenue(1e308, 0.5, 1.0, 1e308)
    with pytest.raises(ValueError, match=r"^baseline_ctr must lie in"):
        ctr_lift_revenue(1, 1.5, 0.0, 1)


def test_defaults():
    assert lifted_rate(0.02, 0.5) == lifted_rate(0.02, 0.5, relative=True) == 0.03
    assert ctr_lift_revenue(100, 0.5, 0.5, 1.0) == ctr_lift_revenue(
        100, 0.5, 0.5, 1.0, relative=True
    )
    assert ab_sample_size(0.1, 0.5) == ab_sample_size(
        0.1, 0.5, relative=True, alpha=0.05, power=0.8
    )
    assert ab_sample_size(0.1, 0.5) != ab_sample_size(0.1, 0.05, relative=False, alpha=0.1)


def test_the_tiniest_alpha_uses_the_tail_quantile():
    from scipy.stats import norm

    # z for alpha/2 = 5e-301 is norm.isf(5e-301), about 37.0.
    p1, p2 = 0.02, 0.022
    mean = (p1 + p2) / 2
    spread = norm.isf(5e-301) * math.sqrt(2 * mean * (1 - mean)) + norm.ppf(0.8) * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2)
    )
    expected = math.ceil(spread**2 / (p2 - p1) ** 2)
    assert ab_sample_size(p1, 0.002, relative=False, alpha=1e-300) == pytest.approx(expected, abs=2)


def test_a_sample_beyond_the_float_range_is_an_error():
    with pytest.raises(
        ValueError, match=r"^baseline_rate and lift need a sample too large to represent$"
    ):
        ab_sample_size(1e-300, 1e-15)


def test_a_zero_lift_names_the_unit_the_size_is_counted_in():
    # The size is in trials (impressions), not users: one user's impressions
    # are not independent, so a message about users would mislead.
    with pytest.raises(ValueError, match=r"^lift must change the rate; .* many trials$"):
        ab_sample_size(0.02, 0.0)


def test_a_lift_too_small_to_move_a_float_rate_still_counts():
    """0.02 * (1 + 1e-17) rounds back to 0.02; the change itself, 2e-19, does not vanish."""
    assert ctr_lift_revenue(1e20, 0.02, 1e-17, 1.0) == pytest.approx(20.0, rel=1e-15)
    assert ctr_lift_revenue(1e20, 0.5, 1e-17, 2.0, relative=False) == pytest.approx(2000.0)
    # Nothing underflows on the way: 1e-200 * 1e-200 alone would be 0.
    assert ctr_lift_revenue(1e-200, 0.5, 1e-200, 1e300, relative=False) == pytest.approx(1e-100)
    assert ctr_lift_revenue(3.0, 0.25, 0.5, 2.0) == 0.75
    assert ctr_lift_revenue(3.0, 0.25, 0.5, 2.0, relative=False) == 3.0
    assert ctr_lift_revenue(3.0, 0.25, -0.5, 2.0) == -0.75


@pytest.mark.parametrize(
    ("p", "lift", "relative", "change"),
    [(0.5, 1e-17, False, 1e-17), (0.02, 1e-17, True, 2e-19), (0.02, -1e-17, True, 2e-19)],
)
def test_a_sample_for_a_lift_too_small_to_move_a_float_rate(p, lift, relative, change):
    """Rates a hair apart: n is the z's squared times twice the variance over the change squared."""
    from scipy.stats import norm

    z_sum = norm.ppf(0.975) + norm.ppf(0.8)
    expected = z_sum**2 * 2 * p * (1 - p) / change**2
    assert ab_sample_size(p, lift, relative=relative) == pytest.approx(expected, rel=1e-9)


def test_a_change_that_underflows_needs_a_sample_beyond_the_float_range():
    with pytest.raises(ValueError, match=r"^baseline_rate and lift need a sample too large"):
        ab_sample_size(1e-300, 1e-30)
    with pytest.raises(ValueError, match=r"^lift must change the rate"):
        ab_sample_size(0.5, 0.0)
    with pytest.raises(ValueError, match=r"^lift must change the rate"):
        ab_sample_size(0.5, -0.0, relative=False)
