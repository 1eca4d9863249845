"""business: the 0.2% CTR example, A/B sample sizes, and bad input."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmls_examples.business import ab_sample_size, ctr_lift_revenue, lifted_rate


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
        ((1e6, 1.5, 0.002, 1.0), {}, ValueError, "baseline_ctr|baseline_rate"),
        ((1e6, -0.1, 0.002, 1.0), {}, ValueError, "baseline"),
        ((1e6, 0.02, float("nan"), 1.0), {}, ValueError, "lift"),
        ((1e6, 0.02, 0.002, -1.0), {}, ValueError, "revenue_per_click"),
        ((1e6, 0.5, 2.0, 1.0), {}, ValueError, "lift"),
        (("many", 0.02, 0.002, 1.0), {}, TypeError, "impressions"),
        ((1e6, 0.02, 0.002, 1.0), {"relative": "yes"}, TypeError, "relative"),
    ],
)
def test_bad_revenue_input(args, kwargs, error, name):
    with pytest.raises(error, match=name):
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
    with pytest.raises(error, match=name):
        ab_sample_size(*args, **kwargs)
