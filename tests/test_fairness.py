"""Tests for dmls_examples.fairness: selection rates, their gap and ratio, and recall by group."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmls_examples.fairness import (
    selection_rate_gap,
    selection_rate_ratio,
    selection_rates,
    true_positive_rates,
)

# An overflow or invalid operation the code should have handled is a failure.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

APPROVED = [1] * 60 + [0] * 140 + [1] * 18 + [0] * 82
GROUPS = ["A"] * 200 + ["B"] * 100


def test_lender_example():
    assert selection_rates(APPROVED, GROUPS) == {"A": 0.3, "B": 0.18}
    assert selection_rate_gap(APPROVED, GROUPS) == pytest.approx(0.12)
    assert selection_rate_ratio(APPROVED, GROUPS) == pytest.approx(0.6)


def test_equal_rates_can_hide_unequal_recall():
    repaid = [1] * 60 + [0] * 140 + [1] * 30 + [0] * 70
    approved = [1] * 60 + [0] * 140 + [1] * 15 + [0] * 15 + [1] * 15 + [0] * 55
    assert selection_rate_gap(approved, GROUPS) == 0.0
    assert true_positive_rates(repaid, approved, GROUPS) == {"A": 1.0, "B": 0.5}


def test_between_restricts_the_comparison():
    y_pred = [1, 1, 0, 0, 1, 0]
    groups = ["a", "a", "b", "b", "c", "c"]
    assert selection_rate_gap(y_pred, groups) == 1.0
    assert selection_rate_gap(y_pred, groups, between=["b", "c"]) == 0.5
    assert selection_rate_ratio(y_pred, groups, between=("a", "c")) == 0.5


def test_numeric_groups_and_string_predictions():
    rates = selection_rates(["yes", "no", "no", "no"], [0, 0, 1, 1], positive="yes")
    assert rates == {0: 0.5, 1: 0.0}


def test_nobody_selected_is_parity():
    assert selection_rate_ratio([0, 0, 0, 0], ["a", "a", "b", "b"]) == 1.0
    assert selection_rate_gap([0, 0, 0, 0], ["a", "a", "b", "b"]) == 0.0


people = st.lists(st.tuples(st.integers(0, 1), st.sampled_from("abcd")), min_size=1, max_size=200)


@given(people)
def test_rates_are_shares_of_each_group(rows):
    y_pred, groups = map(list, zip(*rows, strict=True))
    rates = selection_rates(y_pred, groups)
    assert sorted(rates) == sorted(set(groups))
    for group, rate in rates.items():
        members = [p for p, g in rows if g == group]
        assert rate == pytest.approx(sum(members) / len(members))


@given(people)
def test_gap_and_ratio_are_bounded_and_agree(rows):
    y_pred, groups = map(list, zip(*rows, strict=True))
    if len(set(groups)) < 2:
        return
    gap = selection_rate_gap(y_pred, groups)
    ratio = selection_rate_ratio(y_pred, groups)
    assert 0.0 <= gap <= 1.0
    assert 0.0 <= ratio <= 1.0
    assert (gap == 0.0) == (ratio == 1.0)


@given(people, st.permutations(range(200)))
def test_order_of_people_does_not_matter(rows, permutation):
    shuffled = [rows[i] for i in permutation if i < len(rows)]
    y_pred, groups = map(list, zip(*rows, strict=True))
    y_shuf, g_shuf = map(list, zip(*shuffled, strict=True))
    assert selection_rates(y_pred, groups) == pytest.approx(selection_rates(y_shuf, g_shuf))


@given(people)
def test_true_positive_rate_is_one_for_perfect_predictions(rows):
    y_true, groups = map(list, zip(*rows, strict=True))
    if any(not any(t for t, g in rows if g == group) for group in set(groups)):
        return
    assert set(true_positive_rates(y_true, y_true, groups).values()) == {1.0}


@pytest.mark.parametrize("function", [selection_rates, selection_rate_gap, selection_rate_ratio])
def test_bad_input(function):
    with pytest.raises(ValueError, match="groups must have the same length as y_pred"):
        function([1, 0, 1], ["a", "b"])
    with pytest.raises(ValueError, match="y_pred must not be empty"):
        function([], [])
    with pytest.raises(TypeError, match="groups must be a sequence"):
        function([1, 0], "ab")
    with pytest.raises(ValueError, match="positive must be one of the labels"):
        function([1, 0], ["a", "b"], positive=2)
    with pytest.raises(TypeError, match="y_pred must not mix"):
        function([1, "0"], ["a", "b"])


@pytest.mark.parametrize("function", [selection_rate_gap, selection_rate_ratio])
def test_unknown_or_too_few_groups(function):
    with pytest.raises(ValueError, match=r"between names groups not in groups: \['C'\]"):
        function(APPROVED, GROUPS, between=["A", "C"])
    with pytest.raises(ValueError, match="between must name at least two"):
        function(APPROVED, GROUPS, between=["A", "A"])
    with pytest.raises(TypeError, match="between must be a sequence"):
        function(APPROVED, GROUPS, between="AB")
    with pytest.raises(TypeError, match="between must hold strings or numbers"):
        function(APPROVED, GROUPS, between=[["A"], ["B"]])
    with pytest.raises(ValueError, match="groups must hold at least two"):
        function([1, 0], ["a", "a"])


def test_true_positive_rates_bad_input():
    with pytest.raises(ValueError, match="y_true has no positive examples in group 'b'"):
        true_positive_rates([1, 0], [1, 1], ["a", "b"])
    with pytest.raises(ValueError, match="groups must have the same length as y_true"):
        true_positive_rates([1, 0], [1, 1], ["a"])
    with pytest.raises(ValueError, match="y_pred must have the same length as y_true"):
        true_positive_rates([1, 0], [1], ["a", "b"])


def test_default_positive_is_one_and_between_is_everyone():
    y_pred = [1, 0, 2, 2, 1, 1]
    groups = ["a", "a", "b", "b", "c", "c"]
    assert selection_rates(y_pred, groups) == {"a": 0.5, "b": 0.0, "c": 1.0}
    assert selection_rate_gap(y_pred, groups) == 1.0
    assert selection_rate_ratio(y_pred, groups) == 0.0
    assert selection_rates(y_pred, groups, positive=2) == {"a": 0.0, "b": 1.0, "c": 0.0}
    assert true_positive_rates([1, 1, 0, 1], [1, 0, 1, 1], ["a", "a", "b", "b"]) == {
        "a": 0.5,
        "b": 1.0,
    }


def test_comparison_messages():
    with pytest.raises(
        ValueError, match=r"^between names groups not in groups: \['C'\]; known: 'A', 'B'$"
    ):
        selection_rate_gap(APPROVED, GROUPS, between=["A", "C"])
    with pytest.raises(
        ValueError, match=r"^groups must hold at least two distinct groups to compare$"
    ):
        selection_rate_gap([1, 0], ["a", "a"])
    with pytest.raises(ValueError, match=r"^between must name at least two distinct groups$"):
        selection_rate_ratio(APPROVED, GROUPS, between=["A"])
    with pytest.raises(TypeError, match=r"^between must be a sequence of groups, not set"):
        selection_rate_ratio(APPROVED, GROUPS, between={"A", "B"})


def test_true_positive_rate_messages():
    with pytest.raises(TypeError, match=r"^groups must be a sequence of labels, not str$"):
        true_positive_rates([1, 0], [1, 1], "ab")
    with pytest.raises(TypeError, match=r"^positive must be a string, like the labels, not int$"):
        true_positive_rates(["y", "n"], ["y", "y"], ["a", "a"])
    with pytest.raises(
        ValueError, match=r"^positive must be one of the labels present \(0, 1\), got 2$"
    ):
        true_positive_rates([1, 0], [0, 0], ["a", "a"], positive=2)
    # The labels present are those of y_true and y_pred together.
    assert true_positive_rates([1, 1], [0, 2], ["a", "a"], positive=1) == {"a": 0.0}
    with pytest.raises(
        ValueError, match=r"^positive must be one of the labels present \(1, 2\), got 0$"
    ):
        true_positive_rates([1, 1], [2, 2], ["a", "a"], positive=0)
    with pytest.raises(
        ValueError,
        match=r"^y_true has no positive examples in group 'b'; "
        r"its true positive rate is undefined$",
    ):
        true_positive_rates([1, 0], [1, 1], ["a", "b"])


def test_bools_are_zero_and_one():
    assert selection_rates([True, False, True], [True, True, False]) == {0: 1.0, 1: 0.5}
    # A positive label beyond 64 bits is compared, not overflowed.
    with pytest.raises(ValueError, match=r"^positive must be one of the labels present \(0, 1\)"):
        selection_rates([True, False, True], [0, 0, 1], positive=2**63)
    assert selection_rates([True, True, True], [0, 0, 1], positive=2**63) == {0: 0.0, 1: 0.0}
