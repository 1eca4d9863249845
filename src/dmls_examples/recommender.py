"""Judging a recommender by what users do: take-rate and catalog spread.

Netflix does not report its recommender's offline accuracy to the business;
it reports how often a recommendation leads to real viewing, the take-rate,
and how widely viewing spreads over the catalog, the effective catalog size
(Gomez-Uribe and Hunt, 2015). A take-rate is a proportion estimated from a
finite sample, so it comes with an interval: the Wilson score interval for
one rate, and Newcombe's hybrid score interval for the difference of two.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from statistics import NormalDist
from typing import NamedTuple

import numpy as np

from dmls_examples._validation import as_float, as_real_array, count, probability

__all__ = [
    "Interval",
    "effective_catalog_size",
    "take_rate",
    "take_rate_difference_interval",
    "take_rate_interval",
]


class Interval(NamedTuple):
    """A confidence interval: its lower and upper ends."""

    #: Lower end.
    low: float
    #: Upper end.
    high: float


def _plays_and_shown(quality_plays, recommendations_shown, suffix: str = "") -> tuple[int, int]:
    """Validate one (plays, shown) pair; *suffix* tells two pairs apart."""
    plays_name = f"quality_plays{suffix}"
    shown_name = f"recommendations_shown{suffix}"
    plays = count(quality_plays, plays_name)
    shown = count(recommendations_shown, shown_name, minimum=1)
    if plays > shown:
        raise ValueError(
            f"{plays_name} must not exceed {shown_name}: a recommendation is played at "
            f"most once, got {plays} plays from {shown} recommendations"
        )
    return plays, shown


def _z(confidence) -> float:
    confidence = probability(confidence, "confidence", open_low=True, open_high=True)
    # z_{(1+c)/2} as -z_{(1-c)/2}: 0.5 + c/2 rounds to 1.0, where the
    # quantile is undefined, for c just below 1.
    return -NormalDist().inv_cdf((1 - confidence) / 2)


def _wilson(plays: int, shown: int, z: float) -> Interval:
    p = plays / shown
    # Beyond the float range, 1/n is 0: the interval shrinks to the rate.
    n = as_float(shown)
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n)
    # At 0 or n plays one end is exactly 0 or 1; say so rather than let
    # rounding leave it a hair off.
    low = 0.0 if plays == 0 else max(0.0, centre - half)
    high = 1.0 if plays == shown else min(1.0, centre + half)
    return Interval(low, high)


def take_rate(quality_plays, recommendations_shown) -> float:
    """Share of shown recommendations that led to a quality play.

    Take-rate is ``quality_plays / recommendations_shown``, where a quality
    play is a play long enough to count as real viewing. It is a proportion,
    so it lies in [0, 1].

    Args:
        quality_plays: Recommendations that led to a quality play; an int,
            at least 0.
        recommendations_shown: Recommendations shown; an int, at least 1.

    Returns:
        The take-rate, in [0, 1].

    Raises:
        TypeError: If either count is not an integer.
        ValueError: If a count is out of range, or *quality_plays* exceeds
            *recommendations_shown*.

    Examples:
        In a week, one arm of a test showed 10,000 recommendations, and 430
        of them were played long enough to count:

        >>> take_rate(430, 10_000)
        0.043
    """
    plays, shown = _plays_and_shown(quality_plays, recommendations_shown)
    return plays / shown


def take_rate_interval(quality_plays, recommendations_shown, *, confidence=0.95) -> Interval:
    """Wilson score interval for a take-rate.

    With p the observed take-rate, n the recommendations shown and z the
    standard normal quantile for *confidence*, the interval is

    .. math::

        \\frac{p + \\frac{z^2}{2n} \\pm z\\sqrt{\\frac{p(1-p)}{n} + \\frac{z^2}{4n^2}}}
              {1 + \\frac{z^2}{n}}

    (Wilson, 1927). Unlike the textbook ``p ± z·sqrt(p(1-p)/n)``, it never
    leaves [0, 1] and does not collapse to a point when p is 0 or 1. It
    treats every shown recommendation as an independent trial; when one user
    sees many, the true uncertainty is larger.

    Args:
        quality_plays: Recommendations that led to a quality play; an int,
            at least 0.
        recommendations_shown: Recommendations shown; an int, at least 1.
        confidence: Confidence level, in (0, 1).

    Returns:
        An :class:`Interval` ``(low, high)``, a named tuple, with
        ``0 <= low <= take-rate <= high <= 1``.

    Raises:
        TypeError: If a count is not an integer or *confidence* not a real
            number.
        ValueError: If a count is out of range, *quality_plays* exceeds
            *recommendations_shown*, or *confidence* lies outside (0, 1).

    Examples:
        430 plays from 10,000 recommendations: 4.3%, give or take about
        0.4 points:

        >>> low, high = take_rate_interval(430, 10_000)
        >>> round(low, 4), round(high, 4)
        (0.0392, 0.0472)
    """
    plays, shown = _plays_and_shown(quality_plays, recommendations_shown)
    return _wilson(plays, shown, _z(confidence))


def take_rate_difference_interval(
    quality_plays_a,
    recommendations_shown_a,
    quality_plays_b,
    recommendations_shown_b,
    *,
    confidence=0.95,
) -> Interval:
    """Interval for how much B's take-rate exceeds A's (B minus A).

    This is Newcombe's hybrid score interval (his method 10): with
    ``d = p_b - p_a`` and ``(l_a, u_a)``, ``(l_b, u_b)`` the Wilson intervals
    of the two rates (see :func:`take_rate_interval`),

    .. math::

        \\left(d - \\sqrt{(p_b - l_b)^2 + (u_a - p_a)^2},\\;
               d + \\sqrt{(u_b - p_b)^2 + (p_a - l_a)^2}\\right).

    If the interval excludes 0, the data rule out "no difference" at this
    confidence. Two single-rate intervals that overlap do **not** show the
    contrary: compare the difference, not the two intervals.

    Args:
        quality_plays_a: Quality plays in arm A; an int, at least 0.
        recommendations_shown_a: Recommendations shown in arm A; at least 1.
        quality_plays_b: Quality plays in arm B; an int, at least 0.
        recommendations_shown_b: Recommendations shown in arm B; at least 1.
        confidence: Confidence level, in (0, 1).

    Returns:
        An :class:`Interval` ``(low, high)``, a named tuple, with
        ``-1 <= low <= p_b - p_a <= high <= 1``.

    Raises:
        TypeError: If a count is not an integer or *confidence* not a real
            number.
        ValueError: If a count is out of range, an arm has more plays than
            recommendations, or *confidence* lies outside (0, 1).

    Examples:
        Newcombe's own example: 56 of 70 against 48 of 80.

        >>> low, high = take_rate_difference_interval(48, 80, 56, 70)
        >>> round(low, 4), round(high, 4)
        (0.0524, 0.3339)
    """
    plays_a, shown_a = _plays_and_shown(quality_plays_a, recommendations_shown_a, "_a")
    plays_b, shown_b = _plays_and_shown(quality_plays_b, recommendations_shown_b, "_b")
    z = _z(confidence)
    p_a, p_b = plays_a / shown_a, plays_b / shown_b
    low_a, high_a = _wilson(plays_a, shown_a, z)
    low_b, high_b = _wilson(plays_b, shown_b, z)
    d = p_b - p_a
    low = d - math.hypot(p_b - low_b, high_a - p_a)
    high = d + math.hypot(high_b - p_b, p_a - low_a)
    return Interval(max(-1.0, low), min(1.0, high))


def effective_catalog_size(hours_by_title) -> float:
    """How many titles viewing is effectively spread over.

    Rank the titles by hours viewed, most first; let ``p_i`` be the share of
    all hours that went to the title of (1-based) rank i. Then

    .. math::

        \\mathrm{ECS} = 2 \\sum_{i=1}^{N} p_i\\, i \\; - \\; 1

    (Gomez-Uribe and Hunt, 2015). It is 1 when every hour goes to one title
    and N when all N titles get the same share; in between, it says how many
    equally popular titles would give the same spread.

    Args:
        hours_by_title: Hours viewed per title, as a sequence or array of
            finite, non-negative numbers, or a mapping from title to hours.
            At least one title must have hours.

    Returns:
        The effective catalog size, in [1, N] for N titles.

    Raises:
        TypeError: If *hours_by_title* is not a sequence or mapping of
            numbers.
        ValueError: If it is empty, holds a negative, NaN or infinite value,
            or its hours add up to zero.

    Examples:
        Five titles; in the first catalog one hit takes most of the hours:

        >>> round(effective_catalog_size([700, 150, 80, 50, 20]), 2)
        2.08
        >>> round(effective_catalog_size([300, 250, 200, 150, 100]), 2)
        4.0
        >>> effective_catalog_size({"A": 10, "B": 10, "C": 10})
        3.0
    """
    if isinstance(hours_by_title, Mapping):
        hours_by_title = list(hours_by_title.values())
    hours = as_real_array(hours_by_title, "hours_by_title", nonnegative=True)
    largest = hours.max()
    if largest == 0:
        raise ValueError("hours_by_title must have a positive total, got all zeros")
    # Scale by the largest value first so that a sum of huge values cannot
    # overflow to infinity.
    ranked = np.sort(hours / largest)[::-1]
    shares = ranked / ranked.sum()
    ranks = np.arange(1, ranked.size + 1)
    ecs = 2.0 * float(np.dot(shares, ranks)) - 1.0
    return min(max(ecs, 1.0), float(ranked.size))
