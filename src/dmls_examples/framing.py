"""Framing a problem for ML: task types, changing the framing, objectives.

One business question can be posed as several ML tasks. A continuous target
becomes classes by bucketing it; a score becomes a class by thresholding it;
a multilabel target becomes one binary column per label; a choice among
items becomes a score per item, ranked. Each framing is trained against an
objective function: log loss for classes and probabilities, mean squared
error for numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np

from dmls_examples._validation import (
    as_label_array,
    as_real_array,
    as_real_matrix,
    check_labels,
    count,
    dimensions,
    exact_dot,
    finite_array,
    finite_or_exact,
    finite_result,
    real,
    same_length,
    sequence,
)

__all__ = [
    "Line",
    "MultilabelTargets",
    "bucketize",
    "fit_line",
    "log_loss",
    "mean_absolute_error",
    "mean_squared_error",
    "one_vs_rest_targets",
    "rank_by_score",
    "threshold_scores",
]

#: Probabilities are clipped to [EPS, 1 - EPS] before the logarithm, as
#: scikit-learn does, so a certain and wrong prediction costs about 36 nats,
#: a large but finite loss.
EPS = float(np.finfo(np.float64).eps)


def bucketize(values, edges) -> np.ndarray:
    """Turn a continuous target into classes by cutting it at *edges*.

    With sorted edges ``e_1 < e_2 < ... < e_k`` a value v gets class i, the
    number of edges at or below it: class 0 below ``e_1``, class i for
    ``e_i <= v < e_{i+1}``, class k at or above ``e_k``. This is how a
    regression target such as a price becomes a classification target such
    as a price band.

    Args:
        values: Non-empty sequence of finite numbers.
        edges: Non-empty, strictly increasing sequence of finite numbers.

    Returns:
        An integer array of classes, each in 0..len(edges).

    Raises:
        TypeError: If *values* or *edges* is not a sequence of numbers.
        ValueError: If either is empty or holds NaN, infinities or numbers
            too large for a float, or *edges* is not strictly increasing.

    Examples:
        Sale prices in thousands, cut into bands at 200, 400 and 600:

        >>> bucketize([180, 250, 400, 460, 900], [200, 400, 600])
        array([0, 1, 2, 2, 3])
    """
    values = as_real_array(values, "values")
    edges = as_real_array(edges, "edges")
    if np.any(edges[1:] <= edges[:-1]):
        raise ValueError(f"edges must be strictly increasing, got {edges.tolist()!r}")
    return np.searchsorted(edges, values, side="right").astype(np.int64)


def threshold_scores(scores, *, threshold=0.5) -> np.ndarray:
    """Turn scores into binary classes: 1 where a score exceeds *threshold*.

    A model that outputs a number, such as the probability that a message is
    spam, becomes a classifier once a threshold is chosen. A score equal to
    the threshold is class 0, as in scikit-learn's ``binarize`` and in a
    classifier's ``predict`` at 0.5.

    Args:
        scores: Non-empty sequence of finite numbers.
        threshold: A finite number.

    Returns:
        An integer array of 0s and 1s.

    Raises:
        TypeError: If *scores* is not a sequence of numbers or *threshold*
            is not a real number.
        ValueError: If *scores* is empty or holds NaN, infinities or numbers
            too large for a float, or *threshold* is not finite.

    Examples:
        Four fraud scores, at the default threshold and at a stricter one:

        >>> threshold_scores([0.02, 0.47, 0.51, 0.93])
        array([0, 0, 1, 1])
        >>> threshold_scores([0.02, 0.47, 0.51, 0.93], threshold=0.9)
        array([0, 0, 0, 1])
    """
    scores = as_real_array(scores, "scores")
    threshold = real(threshold, "threshold")
    return (scores > threshold).astype(np.int64)


class MultilabelTargets(NamedTuple):
    """Multilabel targets encoded one binary column per class."""

    #: The classes, one per column, in order.
    classes: tuple
    #: An int array of 0s and 1s, one row per example, one column per class.
    targets: np.ndarray


def one_vs_rest_targets(label_sets, *, classes=None) -> MultilabelTargets:
    """Encode multilabel targets as one binary column per class.

    Example j gets a 1 in column c when c is among its labels. A model then
    learns one binary decision per column, "is this label present?", which
    is how a multilabel task is usually trained. The same encoding as
    scikit-learn's ``MultiLabelBinarizer``.

    Args:
        label_sets: Non-empty sequence with one collection of labels per
            example (a set, list or tuple; empty for no label). Labels are
            strings or numbers, one kind throughout; a bare string is
            refused, since it would be read as a set of characters.
        classes: The columns, in order: a sequence of distinct labels. Every
            label must be among them. If None, the sorted distinct labels.

    Returns:
        A :class:`MultilabelTargets` ``(classes, targets)``, a named tuple:
        the classes as a tuple, and an int array of shape
        ``(len(label_sets), len(classes))``.

    Raises:
        TypeError: If *label_sets* is not a sequence of label collections,
            a label is not a string or number, strings and numbers are
            mixed, or *classes* is not a sequence of labels.
        ValueError: If *label_sets* is empty, a label is NaN or infinite, a
            label is not in *classes*, or *classes* is empty or repeats a
            class.

    Examples:
        Three news articles and their topics:

        >>> classes, y = one_vs_rest_targets([{"tech"}, {"finance", "tech"}, set()])
        >>> classes
        ('finance', 'tech')
        >>> y
        array([[0, 1],
               [1, 1],
               [0, 0]])
    """
    sequence(label_sets, "label_sets", "a sequence of label collections")
    rows = []
    for row in label_sets:
        # One example's labels have no order: a set is as good as a list.
        if isinstance(row, str | bytes | Mapping) or not isinstance(row, Iterable):
            raise TypeError(
                "label_sets must hold one collection of labels per example, "
                f"got {type(row).__name__} {row!r}"
            )
        labels = list(row)
        check_labels(labels, "label_sets")
        rows.append(set(labels))
    if not rows:
        raise ValueError("label_sets must not be empty")
    seen = set().union(*rows)
    kinds = {check_labels(seen, "label_sets")} if seen else set()
    if classes is None:
        ordered = tuple(sorted(seen))
    else:
        ordered = tuple(sequence(classes, "classes", "a sequence of labels"))
        if not ordered:
            raise ValueError("classes must not be empty")
        kinds.add(check_labels(ordered, "classes"))
        if len(kinds) > 1:
            raise TypeError("classes must hold the same kind of labels as label_sets")
        if len(set(ordered)) != len(ordered):
            raise ValueError(f"classes must not repeat a class, got {ordered!r}")
        unknown = seen - set(ordered)
        if unknown:
            raise ValueError(f"label_sets holds labels missing from classes: {sorted(unknown)!r}")
    column = {label: j for j, label in enumerate(ordered)}
    targets = np.zeros((len(rows), len(ordered)), dtype=np.int64)
    for i, labels in enumerate(rows):
        for label in labels:
            targets[i, column[label]] = 1
    return MultilabelTargets(ordered, targets)


def rank_by_score(scores, *, k=None) -> list:
    """Items ordered by score, highest first: a choice framed as scoring.

    Instead of one classifier that picks among a fixed list of items, a
    model scores each (context, item) pair on its own; the choice is the
    ranking of those scores. An item added later is simply scored, with no
    new output class and no retraining. Ties keep the mapping's order.

    Args:
        scores: Non-empty mapping from item to a finite score.
        k: How many items to return; None for all, otherwise an int of at
            least 1.

    Returns:
        A list of up to *k* items.

    Raises:
        TypeError: If *scores* is not a mapping, a score is not a real
            number, or *k* is not an int.
        ValueError: If *scores* is empty, a score is not finite, or *k* < 1.

    Examples:
        A per-app model's scores for what a user opens next:

        >>> rank_by_score({"maps": 0.12, "mail": 0.61, "music": 0.27})
        ['mail', 'music', 'maps']
        >>> scores = {"maps": 0.12, "mail": 0.61, "music": 0.27, "chess": 0.33}
        >>> rank_by_score(scores, k=2)
        ['mail', 'chess']
    """
    if not isinstance(scores, Mapping):
        raise TypeError(f"scores must be a mapping from item to score, not {type(scores).__name__}")
    if not scores:
        raise ValueError("scores must not be empty")
    checked = [(item, real(score, "scores")) for item, score in scores.items()]
    if k is not None:
        k = count(k, "k", minimum=1)
    ranked = sorted(checked, key=lambda pair: -pair[1])
    return [item for item, _ in ranked[:k]]


def _dimensions(values, name: str) -> int:
    return dimensions(values, name, "an array of numbers")


def log_loss(y_true, probabilities) -> float:
    """Mean negative log-likelihood of the true classes: the log loss.

    For binary labels y in {0, 1} and predicted probabilities p of class 1,

    .. math::

        L = -\\frac{1}{n} \\sum_{j=1}^{n} \\left(y_j \\ln p_j + (1 - y_j) \\ln(1 - p_j)\\right);

    for K classes, *probabilities* has one row per example and one column
    per class, and L is the mean of ``-ln`` of the probability each row gives
    its true class. The logarithm is natural (the unit is the nat), and
    probabilities are clipped to ``[EPS, 1 - EPS]`` first, as scikit-learn
    does. A confident mistake costs far more than a hesitant one.

    Args:
        y_true: The true classes: 0 or 1 for binary; integers in 0..K-1
            for K classes.
        probabilities: For binary, a sequence of probabilities of class 1;
            for K classes, an array of shape (n, K) whose rows sum to 1.

    Returns:
        The log loss, a float of at least 0.

    Raises:
        TypeError: If *y_true* is not a sequence of numbers (bools count as
            0 and 1), or *probabilities* is not an array of numbers or is
            ragged.
        ValueError: If either is empty or holds NaN or infinities, the
            lengths differ, a probability lies outside [0, 1], a row does
            not sum to 1, or a class is out of range.

    Examples:
        Three emails, spam (1) or not (0), and a model's spam probabilities:

        >>> round(log_loss([1, 0, 1], [0.9, 0.2, 0.6]), 4)
        0.2798
        >>> round(log_loss([1, 0, 1], [0.9, 0.2, 0.01]), 4)
        1.6446
    """
    dimensions = _dimensions(probabilities, "probabilities")
    labels = as_label_array(y_true, "y_true")
    if labels.dtype.kind == "U":
        raise TypeError("y_true must hold class numbers, not strings")
    if dimensions == 2:
        table = as_real_matrix(probabilities, "probabilities")
        n_classes = table.shape[1]
    else:
        table = as_real_array(probabilities, "probabilities")
        n_classes = 2
    same_length(labels, "y_true", table, "probabilities")
    n_rows = len(table)
    if table.min() < 0 or table.max() > 1:
        raise ValueError("probabilities must lie in [0, 1]")
    if np.any(labels % 1 != 0) or labels.min() < 0 or labels.max() > n_classes - 1:
        raise ValueError(f"y_true must hold class numbers from 0 to {n_classes - 1}")
    if dimensions == 2:
        if not np.allclose(table.sum(axis=1), 1.0, rtol=0, atol=1e-6):
            raise ValueError("probabilities must have rows that sum to 1")
        p_true = table[np.arange(n_rows), labels.astype(np.int64)]
    else:
        p_true = np.where(labels == 1, table, 1 - table)
    return float(-np.mean(np.log(np.clip(p_true, EPS, 1 - EPS))))


def mean_squared_error(y_true, y_pred) -> float:
    """Mean of the squared differences between targets and predictions.

    .. math::

        \\mathrm{MSE} = \\frac{1}{n} \\sum_{j=1}^{n} (y_j - \\hat y_j)^2

    Squaring makes one large error count as much as many small ones: an
    error of 10 costs 100 times an error of 1. Its square root, the RMSE,
    is in the target's own unit.

    Args:
        y_true: Non-empty sequence of finite targets.
        y_pred: Predictions, the same length as *y_true*.

    Returns:
        The mean squared error, at least 0.

    Raises:
        TypeError: If an argument is not a sequence of numbers.
        ValueError: If an argument is empty or holds NaN, infinities or
            numbers too large for a float, the lengths differ, or the mean
            squared error is too large to represent.

    Examples:
        Predicted against actual delivery times, in minutes:

        >>> import math
        >>> round(mean_squared_error([30, 45, 25], [32, 41, 25]), 3)
        6.667
        >>> round(math.sqrt(mean_squared_error([30, 45, 25], [32, 41, 25])), 2)
        2.58
    """
    y_true, y_pred = _targets_and_predictions(y_true, y_pred)
    what = "y_true and y_pred give a mean squared error"
    with np.errstate(over="ignore"):
        # A difference that overflows makes its square, and the mean, overflow.
        errors = finite_array(y_true - y_pred, what)
    return finite_result(_mean_power(errors, 2), what)


def mean_absolute_error(y_true, y_pred) -> float:
    """Mean of the absolute differences between targets and predictions.

    .. math::

        \\mathrm{MAE} = \\frac{1}{n} \\sum_{j=1}^{n} |y_j - \\hat y_j|

    Every unit of error costs the same, so one large miss counts no more
    than several small ones adding up to it. The MAE never exceeds the
    RMSE (the square root of :func:`mean_squared_error`), and equals it
    only when every error has the same size; the gap between the two grows
    with the spread of the errors.

    Args:
        y_true: Non-empty sequence of finite targets.
        y_pred: Predictions, the same length as *y_true*.

    Returns:
        The mean absolute error, at least 0, in the target's own unit.

    Raises:
        TypeError: If an argument is not a sequence of numbers.
        ValueError: If an argument is empty or holds NaN, infinities or
            numbers too large for a float, the lengths differ, or the mean
            absolute error is too large to represent.

    Examples:
        Predicted against actual delivery times, in minutes:

        >>> round(mean_absolute_error([30, 45, 25], [32, 41, 25]), 3)
        2.0
    """
    y_true, y_pred = _targets_and_predictions(y_true, y_pred)
    with np.errstate(over="ignore"):
        errors = y_true - y_pred
    if np.isfinite(errors).all():
        # The mean of the sizes never exceeds the largest: always finite.
        return _mean_power(errors, 1)
    # A difference overflows (1e308 - -1e308); halved, every one fits, and
    # their mean, doubled, may as well.
    mean = 2 * _mean_power(y_true / 2 - y_pred / 2, 1)
    return finite_result(mean, "y_true and y_pred give a mean absolute error")


def _targets_and_predictions(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    """Both as float arrays, after checking they are finite and as long."""
    y_true = as_real_array(y_true, "y_true")
    y_pred = as_real_array(y_pred, "y_pred")
    same_length(y_true, "y_true", y_pred, "y_pred")
    return y_true, y_pred


def _mean_power(errors: np.ndarray, power: int) -> float:
    """Mean of ``|errors| ** power``; inf only when the answer itself overflows.

    Where the plain sum overflows, the errors are measured in units of the
    largest one, where no power or sum can, and the mean is scaled back.
    """
    sizes = np.abs(errors)
    with np.errstate(over="ignore"):
        mean = float(np.mean(sizes**power))
        if math.isinf(mean):
            largest = np.float64(sizes.max())
            mean = float(np.mean((sizes / largest) ** power) * largest**power)
    return mean


class Line(NamedTuple):
    """A straight line ``y = slope * x + intercept``, as :func:`fit_line` returns it."""

    #: Change in y per unit of x.
    slope: float
    #: The value of y at x = 0.
    intercept: float

    def predict(self, x) -> float:
        """The line's value at *x*: ``slope * x + intercept``.

        Raises:
            TypeError: If *x* is not a real number.
            ValueError: If *x* is NaN or infinite, or the value is too large
                to represent.

        Examples:
            >>> Line(slope=4.0, intercept=10.0).predict(5)
            30.0
        """
        x = real(x, "x")
        # Python's float arithmetic gives inf or NaN, never an error or a
        # warning; slope * x can overflow where the value does not: 1e308 * 2 - 1e308.
        value = float(self.slope) * x + self.intercept
        return finite_or_exact(
            value,
            lambda: exact_dot([self.slope, self.intercept], [x, 1.0]),
            f"the line's value at x={x!r} is",
        )


def fit_line(x, y) -> Line:
    """Fit a straight line to points by least squares.

    The line minimises :func:`mean_squared_error` between *y* and the
    line's values: ``slope = sum((x - mean_x) * (y - mean_y)) /
    sum((x - mean_x) ** 2)`` and ``intercept = mean_y - slope * mean_x``.
    This is regression at its smallest, and it shows how squared error
    lets one far-off point pull the whole line towards it.

    Args:
        x: The inputs, a sequence of at least two finite numbers that are
            not all equal.
        y: The targets, one finite number per input.

    Returns:
        A :class:`Line` with ``slope`` and ``intercept``.

    Raises:
        TypeError: If an argument is not a sequence of numbers.
        ValueError: If an argument is empty or holds NaN, infinities or
            numbers too large for a float, the lengths differ, *x* has fewer
            than two distinct values, or the line is too steep (or the values
            too extreme) to represent.

    Examples:
        Minutes to deliver against distance in km, on two days; on the
        second, one five-kilometre delivery was logged 15 minutes late:

        >>> fit_line([1, 2, 3, 4, 5], [14, 18, 22, 26, 30])
        Line(slope=4.0, intercept=10.0)
        >>> tuesday = fit_line([1, 2, 3, 4, 5], [14, 18, 22, 26, 45])
        >>> tuesday
        Line(slope=7.0, intercept=4.0)
        >>> tuesday.predict(5)
        39.0
    """
    x = as_real_array(x, "x")
    y = as_real_array(y, "y")
    same_length(x, "x", y, "y")
    if x.min() == x.max():
        raise ValueError("x must hold at least two distinct values to fit a line")
    slope, intercept = _least_squares(x, y)
    if not (math.isfinite(slope) and math.isfinite(intercept)):
        # Squares overflowed or underflowed: work in units of each
        # argument's largest magnitude, where they cannot, and scale back.
        x_scale = float(np.abs(x).max())
        y_scale = float(np.abs(y).max()) or 1.0
        slope, intercept = _least_squares(x / x_scale, y / y_scale)
        # Either order of scaling back can overflow where the other does not
        # (a steep line over tiny x, a gentle one over huge y): try both.
        with np.errstate(over="ignore"):
            scaled = np.float64(slope) * y_scale / x_scale
            if not math.isfinite(scaled):
                scaled = np.float64(slope) / x_scale * y_scale
            slope = float(scaled)
            intercept = float(np.float64(intercept) * y_scale)
    if not (math.isfinite(slope) and math.isfinite(intercept)):
        raise ValueError("x and y are too extreme for the fitted line to be represented")
    return Line(slope=slope, intercept=intercept)


#: The smallest normal float: a spread below it has lost precision.
_NORMAL_MIN = float(np.finfo(np.float64).tiny)


def _least_squares(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope and intercept by the textbook formulas; NaN where a step over- or
    underflows, so the caller can rescale."""
    with np.errstate(all="ignore"):
        x_offsets = x - x.mean()
        spread = np.sum(x_offsets**2)
        if not _NORMAL_MIN <= spread < math.inf:
            return math.nan, math.nan
        slope = np.sum(x_offsets * (y - y.mean())) / spread
        intercept = y.mean() - slope * x.mean()
    return float(slope), float(intercept)
