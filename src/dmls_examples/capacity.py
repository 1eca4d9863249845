"""Capacity planning: how many model replicas a traffic forecast needs.

A replica is one copy of the model server. A load test tells the most
queries per second one replica finishes when it is never idle; a forecast
tells the peak traffic to expect. Replicas are never planned to run
flat out: queues, and with them tail latency, grow without bound as a
server's utilisation approaches 1, and a fleet needs room to lose a replica.
So the plan divides the peak by what a replica does at a *target*
utilisation, below 1.
"""

from __future__ import annotations

import math
import sys

from dmls_examples._validation import (
    as_float,
    count,
    exact_decimal,
    finite_result,
    in_interval,
    nonnegative,
    positive,
    probability,
)

__all__ = ["forecast_peak", "replicas_needed", "utilization"]


def _target(target_utilization) -> float:
    """replicas_needed's rule for *target_utilization*: a share in (0, 1]."""
    return probability(target_utilization, "target_utilization", open_low=True)


def replicas_needed(peak_qps, replica_qps, *, target_utilization=0.7) -> int:
    """Replicas that serve *peak_qps*, each at most *target_utilization* of its capacity.

    The answer is ``ceil(peak_qps / (replica_qps * target_utilization))``:
    each replica is planned to carry only ``replica_qps *
    target_utilization`` queries per second, and a fraction of a replica
    rounds up to a whole one.

    Args:
        peak_qps: Forecast peak traffic, in queries per second; > 0.
        replica_qps: Most queries per second one replica finishes when it
            is never idle (its throughput at saturation, from a load test);
            > 0. The target, not this number, leaves room for the latency
            objective.
        target_utilization: Highest share of that throughput a replica
            should carry at the peak, in (0, 1].

    Returns:
        The number of replicas, at least 1.

    Raises:
        TypeError: If an argument is not a real number.
        ValueError: If *peak_qps* or *replica_qps* is not positive and
            finite, *target_utilization* lies outside (0, 1], or the number
            of replicas is too large to represent.

    Examples:
        A forecast peak of 1,610 queries per second, replicas that each
        finish at most 120 a second, and a 70% target:

        >>> replicas_needed(1610, 120)
        20
        >>> replicas_needed(1610, 120, target_utilization=0.9)
        15
    """
    peak_qps = positive(peak_qps, "peak_qps")
    replica_qps = positive(replica_qps, "replica_qps")
    target_utilization = _target(target_utilization)
    finite_result(
        # Divide in turn: the product of two small numbers could underflow to 0.
        peak_qps / replica_qps / target_utilization,
        "peak_qps and replica_qps give a number of replicas",
    )
    # On paper, with each input read as the decimal it prints as: 0.7 is
    # 7/10, so 700 / (100 * 0.7) is 10, not the 10.000000000000002 of binary
    # floats, and a ratio a hair above a whole number still rounds up.
    ratio = exact_decimal(peak_qps) / exact_decimal(replica_qps) / exact_decimal(target_utilization)
    return max(1, math.ceil(ratio))


def utilization(offered_qps, replicas, replica_qps) -> float:
    """Share of the fleet's capacity that *offered_qps* uses.

    It is ``offered_qps / (replicas * replica_qps)``. A value above 1 means
    the fleet cannot keep up: queues grow for as long as the load lasts.

    Args:
        offered_qps: Traffic sent to the fleet, in queries per second; >= 0.
        replicas: Replicas serving it; an int, at least 1.
        replica_qps: Most queries per second one replica finishes when it
            is never idle; > 0.

    Returns:
        The utilisation, at least 0 (and above 1 when overloaded).

    Raises:
        TypeError: If *offered_qps* or *replica_qps* is not a real number,
            or *replicas* is not an int.
        ValueError: If an argument is out of range, or the utilisation is
            too large to represent.

    Examples:
        20 replicas of 120 queries per second at a 1,610 queries per second
        peak, then the same peak after one replica fails:

        >>> round(utilization(1610, 20, 120), 3)
        0.671
        >>> round(utilization(1610, 19, 120), 3)
        0.706
    """
    offered_qps = nonnegative(offered_qps, "offered_qps")
    replicas = as_float(count(replicas, "replicas", minimum=1))
    replica_qps = positive(replica_qps, "replica_qps")
    return finite_result(
        offered_qps / replicas / replica_qps, "offered_qps and replica_qps give a utilization"
    )


def forecast_peak(current_peak_qps, growth_per_period, periods) -> float:
    """Peak traffic after *periods* of compound growth.

    It is ``current_peak_qps * (1 + growth_per_period) ** periods``: 6% a
    month for a year multiplies traffic by about 2.01, not 1.72.

    Args:
        current_peak_qps: Today's peak, in queries per second; > 0.
        growth_per_period: Growth per period as a fraction, above -1 (0.06
            is 6%; a negative value is a decline).
        periods: Number of periods ahead; an int, at least 0.

    Returns:
        The forecast peak, in queries per second.

    Raises:
        TypeError: If *current_peak_qps* or *growth_per_period* is not a
            real number, or *periods* is not an int.
        ValueError: If *current_peak_qps* is not positive and finite,
            *growth_per_period* is not finite or is -1 or less, *periods* is
            negative, or the forecast is too large to represent.

    Examples:
        800 queries per second today, growing 6% a month, a year ahead:

        >>> round(forecast_peak(800, 0.06, 12), 1)
        1609.8
    """
    current_peak_qps = positive(current_peak_qps, "current_peak_qps")
    growth_per_period = in_interval(
        growth_per_period, "growth_per_period", -1, math.inf, open_low=True
    )
    periods = as_float(count(periods, "periods"))
    what = "periods and growth_per_period give a forecast"
    if growth_per_period == 0 or periods == 0:
        return current_peak_qps
    try:
        forecast = current_peak_qps * (1 + growth_per_period) ** periods
    except OverflowError:
        forecast = math.inf
    # pow is accurate to about periods / 2 units in the last place, from
    # rounding 1 + growth_per_period (1 + 1e-20 is 1). Beyond a thousand
    # periods, or where the factor alone over- or underflows, work with the
    # exponent instead: current * e**x, x = periods * log1p(growth).
    if periods <= 1_000 and sys.float_info.min <= forecast < math.inf:
        return forecast
    exponent = periods * math.log1p(growth_per_period)
    # Every peak lies between e**-745 and e**710: past 1,500 the forecast
    # surely over- or underflows.
    if exponent > 1_500:
        return finite_result(math.inf, what)
    if exponent < -1_500:
        return 0.0
    # e**x = 2**k * e**(x - k ln 2) with |x - k ln 2| <= ln 2 / 2, and the
    # peak's own power of two joins k: no step leaves the float range.
    twos = round(exponent / _LN2)
    mantissa, power = math.frexp(current_peak_qps)
    try:
        return math.ldexp(mantissa * math.exp(exponent - twos * _LN2), power + twos)
    except OverflowError:
        return finite_result(math.inf, what)


_LN2 = math.log(2)
