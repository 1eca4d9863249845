"""Explaining a linear score: how much each feature pushed one prediction.

A linear model scores an input x as ``bias + sum_i w_i * x_i``. Measured
against a reference input r (often the average case), the score's
difference splits exactly into one term per feature,
``w_i * (x_i - r_i)``. Those terms answer the question a user, a developer
or a regulator asks of a single decision: which inputs moved it, and by
how much.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from dmls_examples._validation import (
    as_real_array,
    count,
    exact_dot,
    finite_or_exact,
    real,
    same_length,
    sequence,
)

__all__ = [
    "Contribution",
    "largest_contributions",
    "linear_contributions",
    "linear_score",
    "logistic",
]


def linear_score(weights, features, *, bias=0.0) -> float:
    """Score of a linear model: ``bias + sum_i weights[i] * features[i]``.

    For logistic regression the score is the log-odds of the positive
    class.

    Args:
        weights: Non-empty sequence of finite model weights.
        features: The input's feature values, as many as *weights*.
        bias: The intercept, a finite number.

    Returns:
        The score, as a float.

    Raises:
        TypeError: If a sequence is not a sequence of numbers, or *bias* is
            not a real number.
        ValueError: If a sequence is empty, holds NaN, infinities or numbers
            too large for a float, the two differ in length, or the score is
            too large to represent.

    Examples:
        >>> linear_score([0.5, -2.0], [4.0, 1.0], bias=1.0)
        1.0
    """
    weights, features = _weights_and(features, weights, "features")
    bias = real(bias, "bias")
    with np.errstate(over="ignore", invalid="ignore"):
        score = float(bias + weights @ features)
    # Terms that overflow can still cancel: 1e308 * 10 - 1e308 * 10 is 0.
    return finite_or_exact(
        score,
        lambda: exact_dot([bias, *weights.tolist()], [1.0, *features.tolist()]),
        "weights and features give a score",
    )


def linear_contributions(weights, features, *, reference=None) -> np.ndarray:
    """Per-feature contributions to a linear score, against a reference input.

    Feature i contributes ``weights[i] * (features[i] - reference[i])``.
    The contributions add up exactly to
    ``linear_score(weights, features) - linear_score(weights, reference)``,
    so nothing is left unexplained. With the reference at the training
    data's mean, these are the features' SHAP values for a linear model
    with independent features. Without a reference the contributions are
    measured from zero, which is meaningful only when zero is a natural
    baseline for every feature.

    Args:
        weights: Non-empty sequence of finite model weights.
        features: The input to explain, as many values as *weights*.
        reference: The input to compare with, such as the average case;
            zeros by default.

    Returns:
        A float array with one contribution per feature.

    Raises:
        TypeError: If an argument is not a sequence of numbers.
        ValueError: If a sequence is empty, holds NaN, infinities or numbers
            too large for a float, the sequences differ in length, or a
            contribution is too large to represent.

    Examples:
        Income above average helps, missed payments hurt:

        >>> weights, features = [0.5, -2.0], [4.0, 1.0]
        >>> linear_contributions(weights, features, reference=[3.0, 0.25]).tolist()
        [0.5, -1.5]
    """
    weights, features = _weights_and(features, weights, "features")
    if reference is None:
        reference = np.zeros_like(weights)
    else:
        weights, reference = _weights_and(reference, weights, "reference")
    with np.errstate(over="ignore", invalid="ignore"):
        contributions = weights * (features - reference)
    # A difference that overflows can still give a finite contribution:
    # 0.25 * (1e308 - -1e308) is 5e307.
    for i in np.flatnonzero(~np.isfinite(contributions)).tolist():
        contributions[i] = finite_or_exact(
            float(contributions[i]),
            lambda i=i: Fraction(weights[i]) * (Fraction(features[i]) - Fraction(reference[i])),
            "weights, features and reference give contributions",
        )
    return contributions


class Contribution(NamedTuple):
    """One feature's contribution to a score."""

    #: The feature's name.
    name: str
    #: How much it moved the score.
    value: float


def largest_contributions(names, contributions, *, k=None) -> list:
    """Pair feature names with contributions, largest in size first.

    Contributions are ordered by absolute value, so the features that moved
    the score most come first whichever way they pushed it; equal sizes keep
    their input order.

    Args:
        names: Distinct feature names, one per contribution.
        contributions: Non-empty sequence of finite numbers.
        k: How many pairs to return, at least 1; all by default.

    Returns:
        A list of :class:`Contribution` ``(name, value)`` named tuples.

    Raises:
        TypeError: If *names* is not a sequence of strings, *contributions*
            is not a sequence of numbers, or *k* is not an int.
        ValueError: If the lengths differ, names repeat, *k* < 1, or the
            contributions are empty or hold NaN, infinities or numbers too
            large for a float.

    Examples:
        >>> ranked = largest_contributions(["income", "missed payments"], [0.5, -1.5])
        >>> ranked[0]
        Contribution(name='missed payments', value=-1.5)
        >>> [name for name, _ in ranked]
        ['missed payments', 'income']
    """
    names = list(sequence(names, "names", "a sequence of strings"))
    if not all(isinstance(name, str) for name in names):
        raise TypeError("names must contain only strings")
    if len(set(names)) != len(names):
        raise ValueError("names must be distinct")
    contributions = as_real_array(contributions, "contributions")
    same_length(contributions, "contributions", names, "names")
    k = len(names) if k is None else count(k, "k", minimum=1)
    order = np.argsort(-np.abs(contributions), kind="stable")[:k]
    return [Contribution(names[i], float(contributions[i])) for i in order]


def _weights_and(values, weights, name: str) -> tuple[np.ndarray, np.ndarray]:
    weights = as_real_array(weights, "weights")
    values = as_real_array(values, name)
    same_length(weights, "weights", values, name)
    return weights, values


def logistic(score) -> float:
    """Turn a log-odds score into a probability: ``1 / (1 + exp(-score))``.

    The logistic (sigmoid) function is the inverse of the log-odds, so it
    turns the score of a logistic regression, such as :func:`linear_score`,
    back into the probability of the positive class. A score of 0 is even
    odds; each unit up multiplies the odds by e. It is computed in a form
    that cannot overflow, so a score of -1000 gives 0.0, not an error.

    Args:
        score: A finite log-odds.

    Returns:
        The probability, in [0, 1]; strictly inside for moderate scores.

    Raises:
        TypeError: If *score* is not a real number.
        ValueError: If *score* is NaN or infinite.

    Examples:
        Even odds, and the loan page's average applicant (score 0.8):

        >>> logistic(0.0)
        0.5
        >>> round(logistic(0.8), 3)
        0.69
        >>> logistic(-1000.0)
        0.0
    """
    score = real(score, "score")
    if score >= 0:
        return 1.0 / (1.0 + math.exp(-score))
    odds = math.exp(score)
    return odds / (1.0 + odds)
