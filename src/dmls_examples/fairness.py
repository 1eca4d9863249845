"""A first, honest look at fairness: rates of outcomes compared across groups.

These functions measure one thing each: how often a model selects members of
each group (approves a loan, shows a job ad), and how often it finds the
real positives of each group. A gap between groups is a reason to look
closer, not a verdict; the fairness page explains what such a number does
and does not tell. For real audits use a library built for it, such as
fairlearn.
"""

from __future__ import annotations

import numpy as np

from dmls_examples._validation import (
    as_label_array,
    check_labels,
    label_like,
    label_pair,
    same_length,
    sequence,
)

__all__ = [
    "selection_rate_gap",
    "selection_rate_ratio",
    "selection_rates",
    "true_positive_rates",
]


def selection_rates(y_pred, groups, *, positive=1) -> dict:
    """Share of each group that the model selects (predicts *positive* for).

    For a group g with n_g members, of whom s_g are predicted *positive*,
    the selection rate is ``s_g / n_g``. Equal rates across groups is the
    criterion called demographic parity (or statistical parity).

    Args:
        y_pred: Non-empty sequence of predicted labels, one per person.
        groups: The group of each person (numbers or strings), as many as
            *y_pred*.
        positive: The predicted label that counts as selected.

    Returns:
        A dict mapping each group, in sorted order, to its selection rate
        in [0, 1].

    Raises:
        TypeError: If an argument is not a sequence of labels (strings or
            numbers, one kind), or *positive* does not match the kind of the
            predictions.
        ValueError: If the sequences are empty, differ in length or hold a
            NaN or infinite number, or if the predictions hold exactly two
            labels and *positive* is neither.

    Examples:
        A lender approves 60 of 200 applicants from group A and 18 of 100
        from group B:

        >>> approved = [1] * 60 + [0] * 140 + [1] * 18 + [0] * 82
        >>> groups = ["A"] * 200 + ["B"] * 100
        >>> selection_rates(approved, groups)
        {'A': 0.3, 'B': 0.18}
    """
    y_pred = as_label_array(y_pred, "y_pred")
    groups = as_label_array(groups, "groups")
    same_length(y_pred, "y_pred", groups, "groups")
    positive = label_like(positive, "positive", y_pred)
    selected = y_pred == positive
    return {
        group: float(np.mean(selected[groups == group])) for group in np.unique(groups).tolist()
    }


def selection_rate_gap(y_pred, groups, *, positive=1, between=None) -> float:
    """Largest difference in selection rate between two groups.

    The gap is ``max_g r_g - min_g r_g`` over the groups' selection rates
    (see :func:`selection_rates`): 0 when every group is selected equally
    often, 1 when one group is always selected and another never. fairlearn
    calls this the demographic parity difference.

    Args:
        y_pred: Non-empty sequence of predicted labels, one per person.
        groups: The group of each person, as many as *y_pred*.
        positive: The predicted label that counts as selected.
        between: Optional groups to compare, at least two, each present in
            *groups*; by default every group.

    Returns:
        The gap, in [0, 1].

    Raises:
        TypeError: As for :func:`selection_rates`, or if *between* is not a
            sequence of labels.
        ValueError: As for :func:`selection_rates`; also if fewer than two
            groups are compared, or *between* names a group that does not
            occur in *groups*.

    Examples:
        >>> approved = [1] * 60 + [0] * 140 + [1] * 18 + [0] * 82
        >>> groups = ["A"] * 200 + ["B"] * 100
        >>> round(selection_rate_gap(approved, groups), 3)
        0.12
    """
    rates = _compared(selection_rates(y_pred, groups, positive=positive), between)
    return max(rates) - min(rates)


def selection_rate_ratio(y_pred, groups, *, positive=1, between=None) -> float:
    """Lowest selection rate divided by the highest.

    The ratio ``min_g r_g / max_g r_g`` is 1 when every group is selected
    equally often. US employment guidelines treat a ratio below 4/5 as
    evidence of adverse impact (the "four-fifths rule"). If no group is
    selected at all, every rate is 0, the groups are treated alike, and the
    ratio is 1.0.

    Args:
        y_pred: Non-empty sequence of predicted labels, one per person.
        groups: The group of each person, as many as *y_pred*.
        positive: The predicted label that counts as selected.
        between: Optional groups to compare, as for
            :func:`selection_rate_gap`.

    Returns:
        The ratio, in [0, 1].

    Raises:
        TypeError: As for :func:`selection_rate_gap`.
        ValueError: As for :func:`selection_rate_gap`.

    Examples:
        >>> approved = [1] * 60 + [0] * 140 + [1] * 18 + [0] * 82
        >>> groups = ["A"] * 200 + ["B"] * 100
        >>> round(selection_rate_ratio(approved, groups), 3)
        0.6
    """
    rates = _compared(selection_rates(y_pred, groups, positive=positive), between)
    highest = max(rates)
    return 1.0 if highest == 0 else min(rates) / highest


def true_positive_rates(y_true, y_pred, groups, *, positive=1) -> dict:
    """Recall within each group: the share of its real positives selected.

    For a group g, the true positive rate is the number of its members with
    true label *positive* who were predicted *positive*, divided by the
    number with true label *positive*. Equal rates across groups is the
    criterion called equal opportunity: people who qualify are selected
    equally often, whatever their group.

    Args:
        y_true: Non-empty sequence of true labels, one per person.
        y_pred: Predicted labels, as many as *y_true*.
        groups: The group of each person, as many as *y_true*.
        positive: The label of the qualifying class.

    Returns:
        A dict mapping each group, in sorted order, to its true positive
        rate in [0, 1].

    Raises:
        TypeError: If an argument is not a sequence of labels (strings or
            numbers, one kind), *y_pred* holds another kind of label than
            *y_true*, or *positive* does not match the kind of the labels.
        ValueError: If the sequences are empty, differ in length or hold a
            NaN or infinite number, if the labels are binary and *positive*
            is neither of them, or if a group has no true positives (its
            rate is undefined, and reporting 0 would invent a gap).

    Examples:
        Every applicant from A who would repay is approved; half of those
        from B are:

        >>> y_true = [1, 1, 0, 1, 1, 0]
        >>> y_pred = [1, 1, 0, 1, 0, 1]
        >>> true_positive_rates(y_true, y_pred, ["A", "A", "A", "B", "B", "B"])
        {'A': 1.0, 'B': 0.5}
    """
    y_true, y_pred = label_pair(y_true, y_pred)
    groups = as_label_array(groups, "groups")
    same_length(y_true, "y_true", groups, "groups")
    positive = label_like(positive, "positive", y_true, y_pred)
    qualifies = y_true == positive
    selected = y_pred == positive
    rates = {}
    for group in np.unique(groups).tolist():
        members = groups == group
        n_positive = np.count_nonzero(qualifies & members)
        if n_positive == 0:
            raise ValueError(
                f"y_true has no positive examples in group {group!r}; "
                "its true positive rate is undefined"
            )
        rates[group] = float(np.count_nonzero(qualifies & members & selected) / n_positive)
    return rates


def _compared(rates: dict, between) -> list[float]:
    """The rates of the groups in *between* (default: all), at least two."""
    if between is None:
        chosen = list(rates)
    else:
        chosen = list(sequence(between, "between", "a sequence of groups"))
        check_labels(chosen, "between")
        unknown = [group for group in chosen if group not in rates]
        if unknown:
            known = ", ".join(repr(group) for group in rates)
            raise ValueError(f"between names groups not in groups: {unknown!r}; known: {known}")
    if len(set(chosen)) < 2:
        raise ValueError(
            "groups must hold at least two distinct groups to compare"
            if between is None
            else "between must name at least two distinct groups"
        )
    return [rates[group] for group in chosen]
