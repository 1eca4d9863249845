"""Latency as a distribution: percentiles, summaries, SLO checks, fan-out.

A service's latency is not one number. These functions summarise a sample of
request latencies the way production teams do: by percentiles rather than the
mean, and by whether a high percentile stays under an agreed threshold.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

from dmls_examples._validation import (
    as_float,
    as_real_array,
    choice,
    count,
    exact_decimal,
    in_interval,
    nonnegative,
    probability,
    sequence,
)

__all__ = [
    "PERCENTILE_METHODS",
    "LatencySummary",
    "fanout_slow_probability",
    "latency_summary",
    "meets_slo",
    "percentiles",
]

#: The ``method`` names ``numpy.percentile`` accepts, the nine
#: Hyndman-Fan sample quantile types and then numpy's four older rules.
PERCENTILE_METHODS = (
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "linear",
    "median_unbiased",
    "normal_unbiased",
    "lower",
    "higher",
    "midpoint",
    "nearest",
)


def _check_qs(qs) -> tuple:
    """The percentiles asked for, each a plain int or float in [0, 100]."""
    qs = sequence(qs, "qs", "a sequence of numbers")
    if len(qs) == 0:
        raise ValueError("qs must not be empty")
    checked = []
    for q in qs:
        value = in_interval(q, "qs", 0, 100)
        # A numpy scalar becomes a plain number, so the result's keys print
        # and compare like the numbers the caller typed.
        checked.append(int(q) if isinstance(q, numbers.Integral) else value + 0.0)  # not -0.0
    return tuple(checked)


def _check_method(method) -> str:
    return choice(method, "method", PERCENTILE_METHODS)


def percentiles(latencies, qs=(50, 90, 95, 99), *, method="inverted_cdf") -> dict:
    """Return the percentiles *qs* of a sample of latencies.

    The default, ``method="inverted_cdf"``, is the nearest-rank percentile:
    the q-th percentile is the smallest observed latency ``v`` such that at
    least q% of the requests took ``v`` or less. For n sorted values that is
    the value at 1-based rank ``ceil(q * n / 100)``, computed exactly, with
    a float q read as the decimal it prints as (``numpy.percentile``'s
    ``inverted_cdf`` rounds in floating point and can take the next rank). It
    always returns a latency that some request really had, and it
    reads exactly as an SLO does: "90% of requests finished within p90".

    Other *method* names are passed to ``numpy.percentile`` (see
    :data:`PERCENTILE_METHODS`); on small samples they disagree a lot.

    Args:
        latencies: Non-empty sequence of finite, non-negative latencies.
        qs: Percentiles to compute, each in [0, 100].
        method: Any method name that ``numpy.percentile`` accepts.

    Returns:
        A dict mapping each q in *qs*, as a plain int or float, to its
        percentile, as a float.

    Raises:
        TypeError: If *latencies* or *qs* is not a sequence (a set or a
            generator, say) or holds non-numbers, or *method* is not a
            string.
        ValueError: If *latencies* is empty or holds NaN, infinities,
            negative values or numbers too large for a float; if *qs* is
            empty or a q lies outside [0, 100]; if *method* is unknown.

    Examples:
        Ten requests from the book's example, one of them very slow:

        >>> book = [100, 102, 100, 100, 99, 104, 110, 90, 3000, 95]
        >>> percentiles(book, qs=(50, 90))
        {50: 100.0, 90: 110.0}
        >>> percentiles(book, qs=(90,), method="higher")
        {90: 3000.0}
        >>> round(percentiles(book, qs=(90,), method="linear")[90], 3)
        399.0

        The p99.9 of 1,000 requests is the 999th fastest, not the slowest:

        >>> percentiles(range(1, 1_001), qs=(99.9,))
        {99.9: 999.0}
    """
    qs = _check_qs(qs)
    method = _check_method(method)
    array = as_real_array(latencies, "latencies", nonnegative=True)
    return _percentiles(array, qs, method=method)


def _nearest_rank(n: int, q: int | float) -> int:
    """1-based rank of the nearest-rank *q*-th percentile of *n* sorted values.

    The rank is ``ceil(q * n / 100)``, at least 1, computed exactly, with a
    float *q* read as the decimal it prints as: 99.9 is 999/1000. numpy's
    ``inverted_cdf`` works out ``n * (q / 100)`` in floating point instead,
    which lands just above a whole number for many round n and q and then
    takes the next rank: its p99.9 of the values 1 to 1,000 is 1,000, not
    999 (numpy issue 22582).

    >>> [_nearest_rank(1_000, q) for q in (99.9, 99.95, 0)]
    [999, 1000, 1]
    """
    return min(max(math.ceil(exact_decimal(q) * n / 100), 1), n)


def _percentiles(array: np.ndarray, qs: tuple, *, method="inverted_cdf") -> dict:
    """:func:`percentiles` of a checked array of non-negative numbers.

    Nearest rank picks its ranks with ``_nearest_rank``. Every other
    method interpolates as ``a + (b - a) * t`` with ``0 <= a <= b``, so no
    result overflows.
    """
    if method == "inverted_cdf":
        indices = [_nearest_rank(array.size, q) - 1 for q in qs]
        ordered = np.partition(array, indices)
        return {q: float(ordered[indices[k]]) for k, q in enumerate(qs)}
    values = np.percentile(array, qs, method=method)
    return {q: float(values[i]) for i, q in enumerate(qs)}


class LatencySummary(NamedTuple):
    """Count, mean, nearest-rank p50/p90/p95/p99 and maximum of a sample."""

    #: Number of latencies in the sample.
    count: int
    #: Arithmetic mean.
    mean: float
    #: Nearest-rank median.
    p50: float
    #: Nearest-rank 90th percentile.
    p90: float
    #: Nearest-rank 95th percentile.
    p95: float
    #: Nearest-rank 99th percentile.
    p99: float
    #: Largest latency.
    max: float


def _mean(array: np.ndarray) -> float:
    """Mean of non-negative finite values, even where their sum overflows."""
    with np.errstate(over="ignore"):
        mean = float(array.mean())
    if math.isinf(mean):
        # Divided by the largest value, the values sum to at most their count.
        largest = float(array.max())
        mean = float(np.mean(array / largest)) * largest
    return mean


def latency_summary(latencies) -> LatencySummary:
    """Summarise a latency sample by its mean, percentiles and maximum.

    Percentiles are nearest rank (see :func:`percentiles`). Put side by side,
    the mean and the percentiles show how far one slow request drags the
    mean away from what a typical user sees.

    Args:
        latencies: Non-empty sequence of finite, non-negative latencies.

    Returns:
        A :class:`LatencySummary`, a named tuple.

    Raises:
        TypeError: If *latencies* is not a sequence of numbers.
        ValueError: If *latencies* is empty or holds NaN, infinities,
            negative values or numbers too large for a float.

    Examples:
        >>> summary = latency_summary([100, 102, 100, 100, 99, 104, 110, 90, 3000, 95])
        >>> summary.mean, summary.p50, summary.p99
        (390.0, 100.0, 3000.0)
    """
    array = as_real_array(latencies, "latencies", nonnegative=True)
    p = _percentiles(array, (50, 90, 95, 99))
    return LatencySummary(
        count=int(array.size),
        mean=_mean(array),
        p50=p[50],
        p90=p[90],
        p95=p[95],
        p99=p[99],
        max=float(array.max()),
    )


def meets_slo(latencies, threshold, *, percentile=99.0) -> bool:
    """Tell whether a latency sample meets an SLO set on a percentile.

    An objective such as "99% of requests finish within 300 ms" holds when
    the nearest-rank p99 is at most 300 ms, that is, when at least 99% of
    the observed requests took 300 ms or less.

    Args:
        latencies: Non-empty sequence of finite, non-negative latencies.
        threshold: The latency bound, in the same unit; finite, >= 0.
        percentile: The share of requests, in percent, that must finish
            within *threshold*; in (0, 100].

    Returns:
        True if the objective holds for this sample.

    Raises:
        TypeError: If *latencies* is not a sequence of numbers, or
            *threshold* or *percentile* is not a real number.
        ValueError: If *latencies* is invalid (as for :func:`percentiles`),
            *threshold* is negative or not finite, or *percentile* lies
            outside (0, 100].

    Examples:
        >>> book = [100, 102, 100, 100, 99, 104, 110, 90, 3000, 95]
        >>> meets_slo(book, 120, percentile=90)
        True
        >>> meets_slo(book, 120, percentile=99)
        False
    """
    threshold, percentile = _check_slo(threshold, percentile)
    array = as_real_array(latencies, "latencies", nonnegative=True)
    return _percentiles(array, (percentile,))[percentile] <= threshold


def _check_slo(threshold, percentile) -> tuple[float, float]:
    """An objective's threshold (at least 0) and percentile, in (0, 100]."""
    threshold = nonnegative(threshold, "threshold")
    # p0 would be the fastest request: "0% within threshold" is no objective.
    return threshold, in_interval(percentile, "percentile", 0, 100, open_low=True)


def fanout_slow_probability(p_slow, fanout) -> float:
    """Probability that a request fanned out to *fanout* servers is slow.

    A request that waits for all of *fanout* independent servers is slow as
    soon as one of them is, which happens with probability
    ``1 - (1 - p_slow) ** fanout``. Rare slowness on one server becomes
    common slowness for the request.

    Args:
        p_slow: Probability that one server answers slowly, in [0, 1].
        fanout: Number of servers the request waits for, at least 1.

    Returns:
        The probability, in [0, 1].

    Raises:
        TypeError: If *p_slow* is not a real number or *fanout* not an int.
        ValueError: If *p_slow* is not finite or lies outside [0, 1], or
            *fanout* < 1.

    Examples:
        One server in a hundred is slow (its p99 is slow); a request fans
        out to 100 of them:

        >>> round(fanout_slow_probability(0.01, 100), 3)
        0.634
    """
    p_slow = probability(p_slow, "p_slow")
    fanout = as_float(count(fanout, "fanout", minimum=1))
    # The ends are exact: never slow, or always. In between, log1p/expm1
    # keep precision when p_slow is tiny and fanout is large.
    if p_slow in (0, 1):
        return p_slow
    return -math.expm1(fanout * math.log1p(-p_slow))
