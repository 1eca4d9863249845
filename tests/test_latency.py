"""latency: the book's example, percentile properties, and bad input."""

import math
import re
import statistics
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dmls_examples.latency import (
    PERCENTILE_METHODS,
    LatencySummary,
    _nearest_rank,
    fanout_slow_probability,
    latency_summary,
    meets_slo,
    percentiles,
)

# An overflow or invalid operation the code should have handled is a failure.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

BOOK = [100, 102, 100, 100, 99, 104, 110, 90, 3000, 95]

latency_samples = st.lists(
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=200,
)

q_values = st.floats(min_value=0, max_value=100, allow_nan=False)


# -- the book's ten requests under each method ---------------------------------


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("inverted_cdf", 110.0),
        ("lower", 110.0),
        ("higher", 3000.0),
        ("linear", 399.0),
        ("weibull", 2711.0),
    ],
)
def test_book_p90_by_method(method, expected):
    assert percentiles(BOOK, (90,), method=method)[90] == pytest.approx(expected)


def test_default_is_nearest_rank():
    """p_q is the value at 1-based rank ceil(q n / 100) of the sorted sample."""
    ordered = sorted(BOOK)
    for q in (10, 25, 50, 90, 95, 99, 100):
        rank = max(1, math.ceil(q * len(BOOK) / 100))
        assert percentiles(BOOK, (q,))[q] == ordered[rank - 1]


def test_weibull_matches_statistics_quantiles():
    assert percentiles(BOOK, (90,), method="weibull")[90] == pytest.approx(
        statistics.quantiles(BOOK, n=10)[-1]
    )


def test_summary_of_book_example():
    assert latency_summary(BOOK) == LatencySummary(
        count=10, mean=390.0, p50=100.0, p90=110.0, p95=3000.0, p99=3000.0, max=3000.0
    )


def test_summary_is_frozen():
    with pytest.raises(AttributeError):
        latency_summary(BOOK).mean = 1.0


def test_meets_slo_on_book_example():
    assert meets_slo(BOOK, 110, percentile=90)
    assert not meets_slo(BOOK, 109.9, percentile=90)
    assert not meets_slo(BOOK, 2999, percentile=99)
    assert meets_slo(BOOK, 3000)


def test_fanout_matches_dean_and_barroso():
    assert fanout_slow_probability(0.01, 100) == pytest.approx(0.634, abs=5e-4)
    assert fanout_slow_probability(1e-4, 2000) == pytest.approx(0.181, abs=5e-4)
    assert fanout_slow_probability(0.01, 1) == pytest.approx(0.01)
    assert fanout_slow_probability(0, 10**9) == 0.0
    assert fanout_slow_probability(1, 3) == 1.0


def test_accepts_numpy_integer_arrays():
    assert percentiles(np.array(BOOK, dtype=np.int32), (50,)) == {50: 100.0}


# -- properties -------------------------------------------------------------------


@given(latency_samples, st.lists(q_values, min_size=1, max_size=10))
def test_percentiles_are_ordered_in_q_and_within_range(sample, qs):
    qs = sorted(qs)
    values = [percentiles(sample, qs)[q] for q in qs]
    assert values == sorted(values)
    assert all(min(sample) <= v <= max(sample) for v in values)


@given(
    latency_samples,
    q_values,
    st.sampled_from([m for m in PERCENTILE_METHODS if m != "inverted_cdf"]),
)
def test_percentiles_equal_numpy_for_every_other_method(sample, q, method):
    expected = np.percentile(np.asarray(sample, dtype=float), q, method=method)
    assert percentiles(sample, (q,), method=method)[q] == pytest.approx(expected, rel=1e-12)


def test_p99_9_of_a_thousand_requests_is_the_999th():
    """Not the slowest, as numpy's floating-point rank makes it (issue 22582)."""
    assert percentiles(range(1, 1_001), (99.9, 99.95, 7))[99.9] == 999.0
    assert percentiles(range(1, 101), (7,)) == {7: 7.0}
    assert percentiles(range(1, 30_001), (99.9,)) == {99.9: 29_970.0}


@given(latency_samples, q_values)
def test_nearest_rank_is_the_smallest_observed_value_covering_q_percent(sample, q):
    value = percentiles(sample, (q,))[q]
    assert value in sample
    share = Fraction(repr(float(q))) / 100 * len(sample)
    assert sum(x <= value for x in sample) >= share
    assert sum(x < value for x in sample) < share or value == min(sample)


@given(latency_samples, st.floats(0, 1e6, allow_nan=False), st.floats(0.001, 100))
def test_meets_slo_agrees_with_counting(sample, threshold, q):
    share_within = sum(x <= threshold for x in sample) / len(sample)
    # Nearest rank: the SLO holds exactly when at least q% finished in time.
    assert meets_slo(sample, threshold, percentile=q) == (share_within * 100 >= q - 1e-9)


@given(st.floats(0, 1), st.integers(1, 10_000))
def test_fanout_is_a_probability_that_grows_with_fanout(p, n):
    once = fanout_slow_probability(p, n)
    assert 0 <= once <= 1
    assert fanout_slow_probability(p, n + 1) >= once - 1e-15
    assert once >= p - 1e-15


# -- bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latencies", "error", "message"),
    [
        ([], ValueError, "latencies must not be empty"),
        ([1.0, float("nan")], ValueError, "latencies must not contain NaN"),
        ([1.0, float("inf")], ValueError, "latencies must not contain infinities"),
        ([1.0, -2.0], ValueError, "latencies must not contain negative"),
        (["a", "b"], TypeError, "latencies must contain only numbers"),
        ([1, None], TypeError, "latencies"),
        ([True, False], TypeError, "latencies"),
        ("100", TypeError, "latencies"),
        ([[1, 2], [3, 4]], ValueError, "latencies must be one-dimensional"),
    ],
)
def test_bad_latencies(latencies, error, message):
    with pytest.raises(error, match=rf"^{message}"):
        percentiles(latencies)
    with pytest.raises(error, match=rf"^{message}"):
        latency_summary(latencies)


@pytest.mark.parametrize(
    ("qs", "error"),
    [((101,), ValueError), ((-1,), ValueError), ((), ValueError), (("50",), TypeError)],
)
def test_bad_qs(qs, error):
    with pytest.raises(error, match=r"^qs\b"):
        percentiles(BOOK, qs)


def test_qs_must_be_a_sequence():
    with pytest.raises(TypeError, match=r"^qs\b"):
        percentiles(BOOK, 90)


@pytest.mark.parametrize(("method", "error"), [("median", ValueError), (7, TypeError)])
def test_bad_method(method, error):
    with pytest.raises(error, match=r"^method\b"):
        percentiles(BOOK, method=method)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"threshold": -1}, ValueError, "threshold"),
        ({"threshold": float("inf")}, ValueError, "threshold"),
        ({"threshold": "100"}, TypeError, "threshold"),
        ({"threshold": 100, "percentile": 101}, ValueError, "percentile"),
        ({"threshold": 100, "percentile": 0}, ValueError, "percentile"),
        ({"threshold": 100, "percentile": float("nan")}, ValueError, "percentile"),
    ],
)
def test_bad_slo(kwargs, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        meets_slo(BOOK, **kwargs)


@pytest.mark.parametrize(
    ("p_slow", "fanout", "error", "name"),
    [
        (1.5, 10, ValueError, "p_slow"),
        (-0.1, 10, ValueError, "p_slow"),
        (float("nan"), 10, ValueError, "p_slow"),
        ("0.1", 10, TypeError, "p_slow"),
        (0.1, 0, ValueError, "fanout"),
        (0.1, 2.0, TypeError, "fanout"),
        (0.1, True, TypeError, "fanout"),
    ],
)
def test_bad_fanout(p_slow, fanout, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        fanout_slow_probability(p_slow, fanout)


# -- fields that must not be confused, and the edges ---------------------------------


def test_summary_tells_every_field_apart():
    """On 1..100 ms every percentile differs: p95 cannot stand in for p99."""
    summary = latency_summary(range(100, 0, -1))
    assert summary == LatencySummary(
        count=100, mean=50.5, p50=50.0, p90=90.0, p95=95.0, p99=99.0, max=100.0
    )
    assert summary._fields == ("count", "mean", "p50", "p90", "p95", "p99", "max")
    assert type(summary.count) is int


def test_summary_mean_of_huge_latencies_does_not_overflow():
    summary = latency_summary([1e308, 1.7e308, 1.7e308])
    assert summary.mean == pytest.approx(1.4666666666666667e308, rel=1e-15)
    assert summary.max == 1.7e308


def test_percentile_keys_are_plain_numbers():
    result = percentiles(BOOK, np.array([50, 90]))
    assert result == {50: 100.0, 90: 110.0}
    assert all(type(key) is int for key in result)
    result = percentiles(BOOK, (np.float32(90.5), np.int64(10), 99.0))
    assert [type(key) for key in result] == [float, int, float]
    assert repr(result) == "{90.5: 3000.0, 10: 90.0, 99.0: 3000.0}"


@pytest.mark.parametrize("qs", [{50, 90}, {50: 1}, (q for q in (50, 90)), "50", 50, np.float64(50)])
def test_qs_must_be_an_ordered_sequence(qs):
    with pytest.raises(TypeError, match=r"^qs must be a sequence of numbers"):
        percentiles(BOOK, qs)


def test_latencies_must_be_an_ordered_sequence():
    with pytest.raises(TypeError, match="latencies must be a sequence of numbers, not set"):
        percentiles(set(BOOK))
    with pytest.raises(TypeError, match="latencies must be a sequence of numbers, not generator"):
        latency_summary(x for x in BOOK)


def test_the_ends_of_the_percentile_range():
    assert percentiles(BOOK, (0, 100)) == {0: 90.0, 100: 3000.0}
    assert meets_slo(BOOK, 3000, percentile=100)
    assert not meets_slo(BOOK, 2999, percentile=100)
    assert meets_slo(BOOK, 90, percentile=1e-300)
    assert not meets_slo(BOOK, 89.9, percentile=1e-300)
    with pytest.raises(ValueError, match=r"^percentile must lie in \(0, 100\], got 0\.0$"):
        meets_slo(BOOK, 90, percentile=0)
    with pytest.raises(ValueError, match=r"^qs must lie in \[0, 100\], got 100\.00000000000001$"):
        percentiles(BOOK, (100.00000000000001,))
    with pytest.raises(ValueError, match=r"^threshold must not be negative, got -5e-324$"):
        meets_slo(BOOK, -5e-324)


def test_meets_slo_checks_its_latencies():
    with pytest.raises(ValueError, match=r"^latencies must not contain negative values"):
        meets_slo([1.0, -1.0], 10)
    assert meets_slo(np.array([5.0]), 5.0) is True


def test_fanout_at_the_ends():
    assert fanout_slow_probability(0, 10**400) == 0.0
    assert fanout_slow_probability(0.5, 10**400) == 1.0
    assert fanout_slow_probability(1, 1) == 1.0
    assert fanout_slow_probability(0.5, 1) == 0.5
    assert fanout_slow_probability(0.5, 2) == 0.75
    assert fanout_slow_probability(5e-324, 10**400) == 1.0
    assert type(fanout_slow_probability(1, 1)) is float


def test_defaults():
    assert list(percentiles(BOOK)) == [50, 90, 95, 99]
    assert percentiles(BOOK) == percentiles(BOOK, (50, 90, 95, 99), method="inverted_cdf")
    # p99 of the book's sample is 3,000: the default objective is the 99th percentile.
    assert meets_slo(BOOK, 3000)
    assert not meets_slo(BOOK, 2999)
    assert meets_slo(list(range(1, 101)), 99)
    assert not meets_slo(list(range(1, 101)), 98.9)


def test_method_messages():
    with pytest.raises(TypeError, match=r"^method must be a string, not int$"):
        percentiles(BOOK, method=7)
    known = ", ".join(PERCENTILE_METHODS)
    with pytest.raises(
        ValueError, match="^" + re.escape(f"method must be one of {known}; got 'median'")
    ):
        percentiles(BOOK, method="median")
    with pytest.raises(ValueError, match=r"^qs must not be empty$"):
        percentiles(BOOK, ())


# -- the rank rule ------------------------------------------------------------


@settings(deadline=None)
@given(st.integers(1, 10**6), st.floats(0, 100))
def test_nearest_rank_is_the_smallest_rank_covering_q_percent(n, q):
    """rank * 100 >= q * n and (rank - 1) * 100 < q * n, in exact arithmetic,
    with q read as the decimal it prints as."""
    rank, exact = _nearest_rank(n, q), Fraction(repr(q))
    assert 1 <= rank <= n
    assert rank * 100 >= exact * n or rank == n
    assert (rank - 1) * 100 < exact * n or rank == 1


@settings(deadline=None)
@given(st.integers(1, 10**6), st.floats(0, 100))
def test_nearest_rank_is_numpys_inverted_cdf_or_one_below(n, q):
    # np.percentile on 0..n-1 returns the 0-based rank it picks; its
    # floating-point n * (q / 100) can land just above a whole number.
    numpys = int(np.percentile(np.arange(n), q, method="inverted_cdf")) + 1
    assert _nearest_rank(n, q) in (numpys, numpys - 1)


def test_nearest_rank_where_numpy_takes_the_next_rank():
    """99.9% of 1,000 is 999 exactly; numpy's rounding gives 1,000."""
    assert [_nearest_rank(n, 99.9) for n in (1_000, 10_000, 30_000)] == [999, 9_990, 29_970]
    assert _nearest_rank(100, 7) == 7
    assert _nearest_rank(100, 0.07) == 1
    assert _nearest_rank(10**6, 99.9999) == 999_999


def test_nearest_rank_at_the_ends_and_on_whole_numbers():
    assert [_nearest_rank(10, q) for q in (0, 10, 10.0001, 90, 100)] == [1, 1, 2, 9, 10]
    assert _nearest_rank(100, 99) == 99
    assert _nearest_rank(101, 99) == 100
