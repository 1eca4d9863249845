"""What a small change in a rate is worth, and how many trials it takes to see it.

A 0.2% improvement in the click-through rate can mean two very different
things: 0.2 percentage points (2.0% to 2.2%) or 0.2% of the rate (2.0% to
2.004%). Every function here takes a *relative* flag, so the choice is always
explicit. A test's size is counted in trials, such as impressions, each of
which converts or not.
"""

from __future__ import annotations

import math
from fractions import Fraction
from statistics import NormalDist

from dmls_examples._validation import (
    boolean,
    exact_result,
    finite_result,
    nonnegative,
    probability,
    real,
)

__all__ = ["ab_sample_size", "ctr_lift_revenue", "lifted_rate"]


def lifted_rate(baseline_rate, lift, *, relative=True) -> float:
    """Return the rate after a *lift*, relative or absolute.

    With ``relative=True`` the new rate is ``baseline_rate * (1 + lift)``;
    otherwise it is ``baseline_rate + lift``. Rates and lifts are fractions:
    a lift of 0.002 is 0.2% of the rate, or 0.2 percentage points.

    Args:
        baseline_rate: The rate before the change, in [0, 1].
        lift: The change, as a fraction; may be negative.
        relative: Whether *lift* is a share of the rate (True) or an
            absolute change in the rate (False).

    Returns:
        The new rate, in [0, 1].

    Raises:
        TypeError: If *baseline_rate* or *lift* is not a real number, or
            *relative* is not a bool.
        ValueError: If *lift* is not finite, or *baseline_rate* or the new
            rate lies outside [0, 1].

    Examples:
        >>> round(lifted_rate(0.02, 0.002), 6)
        0.02004
        >>> round(lifted_rate(0.02, 0.002, relative=False), 6)
        0.022
    """
    baseline_rate = probability(baseline_rate, "baseline_rate")
    lift = real(lift, "lift")
    relative = boolean(relative, "relative")
    new_rate = baseline_rate * (1 + lift) if relative else baseline_rate + lift
    if not 0 <= new_rate <= 1:
        raise ValueError(
            f"lift must keep the rate in [0, 1]; {baseline_rate!r} becomes {new_rate!r}"
        )
    return new_rate


def ctr_lift_revenue(impressions, baseline_ctr, lift, revenue_per_click, *, relative=True) -> float:
    """Extra revenue from raising a click-through rate by *lift*.

    The extra clicks are ``impressions * (new_ctr - baseline_ctr)``, each
    worth *revenue_per_click*; see :func:`lifted_rate` for how *lift* and
    *relative* give ``new_ctr``.

    Args:
        impressions: Recommendations shown in the period; >= 0.
        baseline_ctr: Click-through rate before the change, in [0, 1].
        lift: The change in the rate, as a fraction.
        revenue_per_click: Average revenue of one click; >= 0.
        relative: Whether *lift* is relative to the rate or absolute.

    Returns:
        The extra revenue in the period (negative for a drop).

    Raises:
        TypeError: If a number is not a real number, or *relative* is not a
            bool.
        ValueError: If an argument is out of range (as for
            :func:`lifted_rate`), or the revenue is too large to represent.

    Examples:
        A shop shows 10 billion recommendations a year at a 2% CTR, and a
        click is worth $1 on average. A relative lift of 0.2%:

        >>> round(ctr_lift_revenue(10e9, 0.02, 0.002, 1.0))
        400000
        >>> round(ctr_lift_revenue(10e9, 0.02, 0.002, 1.0, relative=False))
        20000000
    """
    impressions = nonnegative(impressions, "impressions")
    revenue_per_click = nonnegative(revenue_per_click, "revenue_per_click")
    baseline_ctr = probability(baseline_ctr, "baseline_ctr")
    lifted_rate(baseline_ctr, lift, relative=relative)  # checks the new rate
    # Exactly, from the change itself: a float new_ctr can round a tiny
    # change away (0.02 * (1 + 1e-17) is 0.02), and the product of three
    # factors can underflow or overflow on the way to a finite revenue.
    return exact_result(
        Fraction(impressions)
        * _exact_change(baseline_ctr, lift, relative)
        * Fraction(revenue_per_click),
        "impressions and revenue_per_click give a revenue",
    )


def _exact_change(baseline_rate: float, lift: float, relative: bool) -> Fraction:
    """``new rate - baseline_rate``, exactly, for a checked *lift*."""
    return Fraction(baseline_rate) * Fraction(lift) if relative else Fraction(lift)


def _shares(baseline_rate, alpha, power) -> tuple[float, float, float]:
    """ab_sample_size's rule for its three shares, each in (0, 1); the
    command line checks a percentage's share with it before hinting it."""
    return (
        probability(baseline_rate, "baseline_rate", open_low=True, open_high=True),
        probability(alpha, "alpha", open_low=True, open_high=True),
        probability(power, "power", open_low=True, open_high=True),
    )


def ab_sample_size(baseline_rate, lift, *, relative=True, alpha=0.05, power=0.8) -> int:
    """Trials per arm for a two-sided two-proportion z-test to detect *lift*.

    A trial is one exposure that converts or not, such as an impression.
    The test assumes independent trials; impressions from one user are
    not, so randomise and analyse by user.

    With p₁ the baseline rate, p₂ the lifted rate and p̄ their mean:

    .. math::

        n = \\frac{\\left(z_{1-\\alpha/2}\\sqrt{2\\bar p(1-\\bar p)}
              + z_{1-\\beta}\\sqrt{p_1(1-p_1) + p_2(1-p_2)}\\right)^2}{(p_1-p_2)^2}

    rounded up, where 1 − β is the *power*.

    Args:
        baseline_rate: The control rate, in (0, 1).
        lift: The change to detect, as a fraction; not zero.
        relative: Whether *lift* is relative to the rate or absolute.
        alpha: Significance level, in (0, 1).
        power: Probability of detecting a real lift of this size, in (0, 1).

    Returns:
        Trials needed in each arm, at least 1.

    Raises:
        TypeError: If a number is not a real number, or *relative* is not a
            bool.
        ValueError: If an argument is out of range, the lift does not
            change the rate, or the sample is too large to represent.

    Examples:
        From a 2% click-through rate, 0.2 percentage points take tens of
        thousands of impressions per arm; 0.2% of the rate takes hundreds of
        millions:

        >>> ab_sample_size(0.02, 0.002, relative=False)
        80682
        >>> ab_sample_size(0.02, 0.002) > 190_000_000
        True
    """
    p1, alpha, power = _shares(baseline_rate, alpha, power)
    p2 = lifted_rate(p1, lift, relative=relative)
    if lift == 0:
        raise ValueError("lift must change the rate; a zero lift needs infinitely many trials")
    # The change, not p1 - p2: p2 may round back to p1 (0.02 * (1 + 1e-17)).
    change = abs(float(_exact_change(p1, lift, relative)))
    normal = NormalDist()
    # z_{1-alpha/2} as -z_{alpha/2}: 1 - alpha/2 would round to 1.0 for a
    # tiny alpha, where the quantile is undefined. The floor keeps alpha/2
    # from underflowing to 0 at the smallest float.
    z_alpha = -normal.inv_cdf(max(alpha / 2, math.ulp(0.0)))
    z_power = normal.inv_cdf(power)
    mean = (p1 + p2) / 2
    spread = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_power * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2)
    )
    # A power below about alpha/2 asks for less than any test gives (the
    # spread is negative): one trial is enough. Dividing before squaring
    # keeps tiny rates from underflowing to 0.
    if spread <= 0:
        return 1
    # A change that underflows to 0 needs more trials than a float holds.
    ratio = spread / change if change else math.inf
    # ratio * ratio overflows to inf, where ratio ** 2 would raise OverflowError.
    trials = finite_result(ratio * ratio, "baseline_rate and lift need a sample")
    return max(1, math.ceil(trials))
