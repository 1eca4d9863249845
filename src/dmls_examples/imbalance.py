"""Class imbalance: why accuracy flatters a useless model, and what to report instead.

When one class is rare, say one ad impression in ten thousand leads to a
click, a model that never predicts the rare class is right almost every
time. Accuracy rewards it; precision and recall, which look only at the
rare class, expose it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dmls_examples._validation import as_label_array, label_like, label_pair

__all__ = [
    "ConfusionCounts",
    "PrecisionRecallF1",
    "accuracy",
    "confusion_counts",
    "majority_baseline_accuracy",
    "precision_recall_f1",
]


def majority_baseline_accuracy(labels) -> float:
    """Accuracy of a model that always predicts the most common label.

    If the most common of the labels occurs ``m`` times among ``n``, the
    constant prediction is right ``m / n`` of the time. Any model worth
    deploying must beat this number, and under heavy imbalance the number is
    close to 1.

    Args:
        labels: Non-empty sequence of class labels (numbers or strings).

    Returns:
        The share of the most common label, in (0, 1].

    Raises:
        TypeError: If *labels* is not a sequence of labels (strings or
            numbers, one kind).
        ValueError: If *labels* is empty, not one-dimensional, or holds a
            NaN or infinite number.

    Examples:
        One ad impression in ten thousand is clicked:

        >>> labels = [1] * 100 + [0] * 999_900
        >>> majority_baseline_accuracy(labels)
        0.9999
    """
    labels = as_label_array(labels, "labels")
    _, counts = np.unique(labels, return_counts=True)
    return float(counts.max() / labels.size)


def accuracy(y_true, y_pred) -> float:
    """Share of predictions that equal the true labels.

    Args:
        y_true: Non-empty sequence of true labels.
        y_pred: Predicted labels, as many as *y_true*.

    Returns:
        The accuracy, in [0, 1].

    Raises:
        TypeError: If either argument is not a sequence of labels (strings
            or numbers, one kind), or they hold different kinds.
        ValueError: If either is empty or holds a NaN or infinite number, or
            they differ in length.

    Examples:
        >>> accuracy([1, 0, 0, 0], [0, 0, 0, 0])
        0.75
    """
    y_true, y_pred = label_pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


class ConfusionCounts(NamedTuple):
    """The four cells of a binary confusion matrix, for one positive label."""

    #: Positives predicted positive (true positives).
    tp: int
    #: Negatives predicted positive (false positives).
    fp: int
    #: Positives predicted negative (false negatives).
    fn: int
    #: Negatives predicted negative (true negatives).
    tn: int


def confusion_counts(y_true, y_pred, *, positive=1) -> ConfusionCounts:
    """Count true and false positives and negatives for one positive label.

    Every label other than *positive* counts as negative, so multiclass
    labels are read one class against the rest.

    Args:
        y_true: Non-empty sequence of true labels.
        y_pred: Predicted labels, as many as *y_true*.
        positive: The label of the class of interest, such as 1 or "click".

    Returns:
        A :class:`ConfusionCounts` of plain ints.

    Raises:
        TypeError: If an argument is not a sequence of labels (strings or
            numbers, one kind), the two hold different kinds, or *positive*
            is a string where the labels are numbers (or the reverse).
        ValueError: If the sequences are empty, differ in length or hold a
            NaN or infinite number, or if they hold exactly two labels and
            *positive* is neither.

    Examples:
        >>> confusion_counts([1, 1, 0, 0, 0], [1, 0, 1, 0, 0])
        ConfusionCounts(tp=1, fp=1, fn=1, tn=2)
    """
    y_true, y_pred = label_pair(y_true, y_pred)
    positive = label_like(positive, "positive", y_true, y_pred)
    actual = y_true == positive
    predicted = y_pred == positive
    tp = int(np.count_nonzero(actual & predicted))
    fp = int(np.count_nonzero(~actual & predicted))
    fn = int(np.count_nonzero(actual & ~predicted))
    return ConfusionCounts(tp=tp, fp=fp, fn=fn, tn=int(actual.size) - tp - fp - fn)


class PrecisionRecallF1(NamedTuple):
    """Precision, recall and F1 score for one positive label."""

    #: Share of predicted positives that are real, tp / (tp + fp).
    precision: float
    #: Share of real positives that were found, tp / (tp + fn).
    recall: float
    #: Harmonic mean of precision and recall, 2 tp / (2 tp + fp + fn).
    f1: float


def precision_recall_f1(y_true, y_pred, *, positive=1) -> PrecisionRecallF1:
    """Precision, recall and F1 score for the class labelled *positive*.

    With tp, fp and fn the true positives, false positives and false
    negatives (see :func:`confusion_counts`):

    - precision = tp / (tp + fp), the share of predicted positives that are
      real;
    - recall = tp / (tp + fn), the share of real positives that were found;
    - F1 = 2 tp / (2 tp + fp + fn), the harmonic mean of the two.

    A ratio whose denominator is zero is undefined; it is reported as 0.0
    (scikit-learn's ``zero_division=0``), never as NaN. So a model that
    predicts no positives at all has precision 0.0, not "perfect".

    The three numbers ignore true negatives entirely, which is why they stay
    honest when negatives outnumber positives ten thousand to one. They are
    asymmetric: swap which class is *positive* and they change.

    Args:
        y_true: Non-empty sequence of true labels.
        y_pred: Predicted labels, as many as *y_true*.
        positive: The label of the class of interest.

    Returns:
        A :class:`PrecisionRecallF1` ``(precision, recall, f1)``, a named
        tuple of floats in [0, 1].

    Raises:
        TypeError: As for :func:`confusion_counts`.
        ValueError: As for :func:`confusion_counts`.

    Examples:
        A model that never predicts a click is right 99.99% of the time and
        finds none of the clicks:

        >>> y_true = [1] * 100 + [0] * 999_900
        >>> never = [0] * 1_000_000
        >>> precision_recall_f1(y_true, never)
        PrecisionRecallF1(precision=0.0, recall=0.0, f1=0.0)
    """
    tp, fp, fn, _ = confusion_counts(y_true, y_pred, positive=positive)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return PrecisionRecallF1(float(precision), float(recall), float(f1))
