"""Decoupled objectives: one model per goal, blended only at ranking time.

When stakeholders want different things, say the restaurants a user is most
likely to click and the restaurants that earn the app the most, each goal
gets its own model and its own score. The scores are combined with a weight
``alpha`` when the list is ranked, so changing the balance is a change of
one number, not a new training run.
"""

from __future__ import annotations

import numpy as np

from dmls_examples._validation import (
    as_real_array,
    as_real_matrix,
    count,
    probability,
    same_length,
    sequence,
)

__all__ = ["blend_scores", "min_max_scale", "pareto_optimal", "rank_by_blend", "top_k"]


def min_max_scale(scores) -> np.ndarray:
    """Rescale *scores* linearly so the lowest is 0 and the highest is 1.

    Each score ``s`` becomes ``(s - min) / (max - min)``. Scores from two
    models must be on one scale before they are blended, or the weight
    ``alpha`` mostly measures which model happens to output bigger numbers.
    If all scores are equal there is nothing to rank by, and every score
    becomes 0.0.

    Args:
        scores: Non-empty sequence of finite numbers.

    Returns:
        A float array of the same length, in [0, 1].

    Raises:
        TypeError: If *scores* is not a sequence of numbers.
        ValueError: If *scores* is empty or holds NaN, infinities or
            numbers too large for a float.

    Examples:
        >>> min_max_scale([2.0, 5.0, 14.0]).tolist()
        [0.0, 0.25, 1.0]
    """
    scores = as_real_array(scores, "scores")
    low, high = scores.min(), scores.max()
    if high == low:
        return np.zeros_like(scores)
    with np.errstate(over="ignore"):
        span = high - low
    if np.isinf(span):
        # The range overflows; halved, every difference fits in a float.
        scores, low, high = scores / 2, low / 2, high / 2
    return (scores - low) / (high - low)


def blend_scores(quality, engagement, *, alpha=0.5) -> np.ndarray:
    """Blend two per-item scores: ``alpha * quality + (1 - alpha) * engagement``.

    *quality* and *engagement* are the outputs of two models, one per
    objective, for the same items in the same order. With ``alpha = 1`` only
    the first objective counts, with ``alpha = 0`` only the second. The
    names come from the book's news-feed example; any two objectives work,
    such as expected revenue and click probability. Put both on one scale
    first (see :func:`min_max_scale`).

    Args:
        quality: Scores for the objective that *alpha* weights.
        engagement: Scores for the other objective, as many as *quality*.
        alpha: Weight of *quality*, in [0, 1].

    Returns:
        The blended scores, as a float numpy array.

    Raises:
        TypeError: If the scores are not sequences of numbers or *alpha* is
            not a real number.
        ValueError: If the scores are empty, hold NaN, infinities or numbers
            too large for a float, or differ in length, or if *alpha* lies
            outside [0, 1].

    Examples:
        >>> blend_scores([1.0, 0.0], [0.0, 1.0], alpha=0.25).tolist()
        [0.25, 0.75]
    """
    quality = as_real_array(quality, "quality")
    engagement = as_real_array(engagement, "engagement")
    same_length(quality, "quality", engagement, "engagement")
    alpha = probability(alpha, "alpha")
    # A weighted mean of two finite floats lies between them: no overflow.
    return alpha * quality + (1 - alpha) * engagement


def rank_by_blend(quality, engagement, *, alpha=0.5) -> np.ndarray:
    """Item indices ordered from the highest blended score to the lowest.

    Items with equal blended scores keep their input order, so a ranking is
    reproducible.

    Args:
        quality: Scores for the objective that *alpha* weights.
        engagement: Scores for the other objective, as many as *quality*.
        alpha: Weight of *quality*, in [0, 1].

    Returns:
        An int array, a permutation of ``range(len(quality))``.

    Raises:
        TypeError: As for :func:`blend_scores`.
        ValueError: As for :func:`blend_scores`.

    Examples:
        >>> rank_by_blend([0.9, 0.1, 0.5], [0.0, 1.0, 0.5], alpha=0.5).tolist()
        [1, 2, 0]
    """
    blended = blend_scores(quality, engagement, alpha=alpha)
    return np.argsort(-blended, kind="stable")


def top_k(items, quality, engagement, *, k=5, alpha=0.5) -> list:
    """The *k* items with the highest blended scores, best first.

    Args:
        items: The items being ranked, such as restaurant names.
        quality: Scores for the objective that *alpha* weights, one per item.
        engagement: Scores for the other objective, one per item.
        k: How many items to return, at least 1; all of them if *k* exceeds
            the number of items.
        alpha: Weight of *quality*, in [0, 1].

    Returns:
        A list of at most *k* items.

    Raises:
        TypeError: If *items* is not a sequence, *k* is not an int, or the
            scores are invalid.
        ValueError: If *items* and the scores differ in length, *k* < 1, or
            the scores or *alpha* are out of range.

    Examples:
        >>> items, quality = ["taco", "sushi", "pizza"], [0.1, 1.0, 0.3]
        >>> engagement = [1.0, 0.0, 0.8]
        >>> top_k(items, quality, engagement, k=2, alpha=0.0)
        ['taco', 'pizza']
        >>> top_k(items, quality, engagement, k=2, alpha=1.0)
        ['sushi', 'pizza']
    """
    items = sequence(items, "items")
    k = count(k, "k", minimum=1)
    order = rank_by_blend(quality, engagement, alpha=alpha)
    same_length(order, "quality", items, "items")
    return [items[int(index)] for index in order[:k]]


def pareto_optimal(outcomes) -> np.ndarray:
    """Which options no other option beats on every objective at once.

    *outcomes* has one row per option and one column per objective, higher
    being better in every column. Option j *dominates* option i when it is
    at least as good in every column and strictly better in one. The
    options no other option dominates are Pareto-optimal; together they form
    the Pareto front, the set of best trade-offs. Moving along the front
    buys one objective only by giving up another. Equal rows do not
    dominate each other, so both stay on the front.

    The check compares every pair of rows: O(n² k) time for n options and
    k objectives, fine for the hundreds of candidates a page compares.

    Args:
        outcomes: Array-like of shape (n, k), finite numbers, n and k at
            least 1; negate a column whose objective should be small.

    Returns:
        A boolean array of length n, True for the Pareto-optimal options.

    Raises:
        TypeError: If *outcomes* holds non-numbers or is ragged.
        ValueError: If *outcomes* is not 2-D, is empty, or holds NaN or
            infinities.

    Examples:
        Three feeds as (mean quality, clicks per 1,000 views); the third is
        worse than the second on both:

        >>> pareto_optimal([[0.9, 20], [0.5, 60], [0.4, 50]]).tolist()
        [True, True, False]
    """
    outcomes = as_real_matrix(outcomes, "outcomes")
    at_least = (outcomes[:, None, :] <= outcomes[None, :, :]).all(axis=2)
    better = (outcomes[:, None, :] < outcomes[None, :, :]).any(axis=2)
    # dominated[i, j]: option j dominates option i.
    dominated = at_least & better
    return ~dominated.any(axis=1)
