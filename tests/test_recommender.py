"""Take-rate, its intervals, and effective catalog size."""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dmls_examples.recommender import (
    effective_catalog_size,
    take_rate,
    take_rate_difference_interval,
    take_rate_interval,
)

# An overflow or invalid operation the code should have handled is a failure.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


@st.composite
def plays_and_shown(draw, max_shown=10**7):
    shown = draw(st.integers(min_value=1, max_value=max_shown))
    plays = draw(st.integers(min_value=0, max_value=shown))
    return plays, shown


confidences = st.floats(min_value=0.5, max_value=0.999)
hours = st.lists(
    st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=60,
).filter(lambda values: max(values) > 0)


# -- take_rate --------------------------------------------------------------


def test_take_rate_of_the_worked_example():
    assert take_rate(430, 10_000) == pytest.approx(0.043)
    assert take_rate(0, 5) == 0.0
    assert take_rate(5, 5) == 1.0


def test_take_rate_accepts_numpy_integers():
    assert take_rate(np.int64(3), np.int32(4)) == 0.75


@given(plays_and_shown())
def test_take_rate_is_a_proportion(pair):
    plays, shown = pair
    rate = take_rate(plays, shown)
    assert 0 <= rate <= 1
    assert rate == plays / shown


def test_more_plays_than_recommendations_is_an_error():
    with pytest.raises(ValueError, match="quality_plays must not exceed recommendations_shown"):
        take_rate(11, 10)


@pytest.mark.parametrize(
    ("plays", "shown", "error", "name"),
    [
        (-1, 10, ValueError, "quality_plays"),
        (0, 0, ValueError, "recommendations_shown"),
        (1.0, 10, TypeError, "quality_plays"),
        (1, 10.0, TypeError, "recommendations_shown"),
        (True, 10, TypeError, "quality_plays"),
        ("3", 10, TypeError, "quality_plays"),
        (3, None, TypeError, "recommendations_shown"),
    ],
)
def test_take_rate_rejects_bad_counts(plays, shown, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        take_rate(plays, shown)


# -- take_rate_interval -----------------------------------------------------


def test_interval_of_the_worked_example():
    low, high = take_rate_interval(430, 10_000)
    assert (round(low, 4), round(high, 4)) == (0.0392, 0.0472)


def test_interval_at_the_ends_touches_zero_and_one():
    assert take_rate_interval(0, 20)[0] == 0.0
    assert take_rate_interval(20, 20)[1] == 1.0
    # Wilson does not collapse to a point at p = 0, unlike the Wald interval.
    assert take_rate_interval(0, 20)[1] > 0.1


@given(plays_and_shown(), confidences)
def test_interval_matches_scipy_wilson(pair, confidence):
    # Imported here, not at collection, where it would cost every worker a second.
    from scipy.stats import binomtest

    plays, shown = pair
    expected = binomtest(plays, shown).proportion_ci(confidence, method="wilson")
    low, high = take_rate_interval(plays, shown, confidence=confidence)
    assert low == pytest.approx(float(expected.low), abs=1e-9)
    assert high == pytest.approx(float(expected.high), abs=1e-9)


@given(plays_and_shown(), confidences)
def test_interval_contains_the_rate_and_stays_in_unit_interval(pair, confidence):
    plays, shown = pair
    low, high = take_rate_interval(plays, shown, confidence=confidence)
    assert 0 <= low <= plays / shown <= high <= 1


@given(plays_and_shown(), confidences, confidences)
def test_more_confidence_means_a_wider_interval(pair, c1, c2):
    plays, shown = pair
    c1, c2 = sorted((c1, c2))
    low1, high1 = take_rate_interval(plays, shown, confidence=c1)
    low2, high2 = take_rate_interval(plays, shown, confidence=c2)
    assert low2 <= low1 + 1e-12
    assert high2 >= high1 - 1e-12


@given(plays_and_shown(max_shown=10**5))
def test_interval_mirrors_when_plays_and_misses_swap(pair):
    plays, shown = pair
    low, high = take_rate_interval(plays, shown)
    mirror_low, mirror_high = take_rate_interval(shown - plays, shown)
    assert low == pytest.approx(1 - mirror_high, abs=1e-12)
    assert high == pytest.approx(1 - mirror_low, abs=1e-12)


@given(plays_and_shown(max_shown=10**5))
def test_four_times_the_data_narrows_the_interval(pair):
    plays, shown = pair
    low, high = take_rate_interval(plays, shown)
    low4, high4 = take_rate_interval(4 * plays, 4 * shown)
    assert high4 - low4 < high - low


@pytest.mark.parametrize("confidence", [0, 1, -0.5, 1.5, math.nan, math.inf])
def test_confidence_outside_zero_one_is_an_error(confidence):
    with pytest.raises(ValueError, match=r"^confidence\b"):
        take_rate_interval(10, 100, confidence=confidence)


@pytest.mark.parametrize("confidence", ["95%", None, True])
def test_confidence_must_be_a_number(confidence):
    with pytest.raises(TypeError, match=r"^confidence\b"):
        take_rate_interval(10, 100, confidence=confidence)


def test_interval_rejects_more_plays_than_recommendations():
    with pytest.raises(ValueError, match=r"^quality_plays\b"):
        take_rate_interval(101, 100)


# -- take_rate_difference_interval -------------------------------------------


def test_difference_reproduces_newcombe():
    # Newcombe (1998), Table II, example (a): 56/70 - 48/80, method 10.
    low, high = take_rate_difference_interval(48, 80, 56, 70)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_difference_of_the_worked_example_pilot_includes_zero():
    low, high = take_rate_difference_interval(430, 10_000, 458, 10_000)
    assert low < 0 < high


@given(plays_and_shown(), plays_and_shown(), confidences)
def test_difference_interval_contains_the_difference(a, b, confidence):
    low, high = take_rate_difference_interval(*a, *b, confidence=confidence)
    d = b[0] / b[1] - a[0] / a[1]
    assert -1 <= low <= d + 1e-12
    assert d - 1e-12 <= high <= 1


@given(plays_and_shown(), plays_and_shown())
def test_swapping_the_arms_negates_the_interval(a, b):
    low, high = take_rate_difference_interval(*a, *b)
    swapped_low, swapped_high = take_rate_difference_interval(*b, *a)
    assert swapped_low == pytest.approx(-high, abs=1e-12)
    assert swapped_high == pytest.approx(-low, abs=1e-12)


@given(plays_and_shown())
def test_identical_arms_cannot_be_told_apart(a):
    low, high = take_rate_difference_interval(*a, *a)
    assert low <= 0 <= high


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((11, 10, 5, 10), "quality_plays_a"),
        ((5, 10, 11, 10), "quality_plays_b"),
        ((5, 0, 5, 10), "recommendations_shown_a"),
        ((5, 10, -1, 10), "quality_plays_b"),
    ],
)
def test_difference_names_the_bad_arm(args, name):
    with pytest.raises(ValueError, match=rf"^({name})\b"):
        take_rate_difference_interval(*args)


def test_difference_rejects_a_bad_confidence():
    with pytest.raises(ValueError, match=r"^confidence\b"):
        take_rate_difference_interval(1, 10, 2, 10, confidence=0)


# -- effective_catalog_size ---------------------------------------------------


def test_catalog_size_of_the_worked_examples():
    assert effective_catalog_size([700, 150, 80, 50, 20]) == pytest.approx(2.08)
    assert effective_catalog_size([300, 250, 200, 150, 100]) == pytest.approx(4.0)


def test_catalog_size_extremes():
    assert effective_catalog_size([0, 0, 42, 0]) == 1.0
    assert effective_catalog_size([5.0] * 7) == pytest.approx(7.0)
    assert effective_catalog_size([3]) == 1.0


def test_catalog_size_accepts_a_mapping():
    by_title = {"A": 100, "B": 300, "C": 50}
    assert effective_catalog_size(by_title) == effective_catalog_size([100, 300, 50])


def test_catalog_size_of_huge_hours_does_not_overflow():
    assert effective_catalog_size([1e308, 1e308]) == pytest.approx(2.0)


@given(hours)
def test_catalog_size_lies_between_one_and_n(values):
    assert 1 <= effective_catalog_size(values) <= len(values)


@given(hours, st.randoms(use_true_random=False))
def test_catalog_size_ignores_the_order_of_titles(values, random):
    shuffled = values[:]
    random.shuffle(shuffled)
    assert effective_catalog_size(shuffled) == pytest.approx(effective_catalog_size(values))


@given(hours, st.floats(min_value=1e-3, max_value=1e3))
def test_catalog_size_ignores_the_unit_of_time(values, factor):
    scaled = [v * factor for v in values]
    assume(max(scaled) > 0)
    assert effective_catalog_size(scaled) == pytest.approx(effective_catalog_size(values))


@given(hours, st.integers(min_value=1, max_value=10))
def test_titles_nobody_watched_do_not_count(values, n_zeros):
    padded = values + [0.0] * n_zeros
    assert effective_catalog_size(padded) == pytest.approx(effective_catalog_size(values))


def test_negative_hours_are_an_error():
    with pytest.raises(ValueError, match="hours_by_title must not contain negative"):
        effective_catalog_size([10, -1, 3])


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ([], ValueError),
        ([0, 0], ValueError),
        ([1, math.nan], ValueError),
        ([1, math.inf], ValueError),
        ([[1, 2], [3, 4]], ValueError),
        ("12", TypeError),
        (["a", "b"], TypeError),
        ([True, False], TypeError),
        ({"A": "lots"}, TypeError),
    ],
)
def test_catalog_size_rejects_bad_hours(value, error):
    with pytest.raises(error, match=r"^hours_by_title\b"):
        effective_catalog_size(value)


# -- named intervals and the edges ---------------------------------------------------


def test_intervals_are_named():
    interval = take_rate_interval(430, 10_000)
    assert interval._fields == ("low", "high")
    assert (interval.low, interval.high) == tuple(interval)
    difference = take_rate_difference_interval(48, 80, 56, 70)
    assert (difference.low, difference.high) == pytest.approx((0.0524, 0.3339), abs=5e-5)


def test_confidence_just_below_one_has_a_finite_interval():
    near_one = take_rate_interval(430, 10_000, confidence=0.9999999999999999)
    usual = take_rate_interval(430, 10_000, confidence=0.999)
    assert 0 < near_one.low < usual.low < usual.high < near_one.high < 1
    tiny = take_rate_interval(430, 10_000, confidence=1e-300)
    assert tiny.low == pytest.approx(0.043) == tiny.high


def test_counts_beyond_the_float_range_shrink_the_interval_to_the_rate():
    assert take_rate_interval(10**399, 10**400) == (0.1, 0.1)
    assert take_rate(10**399, 10**400) == 0.1
    low, high = take_rate_difference_interval(10**399, 10**400, 2 * 10**399, 10**400)
    assert (low, high) == pytest.approx((0.1, 0.1))


def test_wilson_for_one_trial():
    # n = 1, p = 1, z = 1.96: (1 + z^2/2 - z sqrt(z^2/4)) / (1 + z^2) = 1 / (1 + z^2).
    z = 1.959963984540054
    assert take_rate_interval(1, 1) == pytest.approx((1 / (1 + z * z), 1.0), rel=1e-12)
    assert take_rate_interval(0, 1) == pytest.approx((0.0, z * z / (1 + z * z)), rel=1e-12)


def test_difference_interval_stays_within_minus_one_and_one():
    assert take_rate_difference_interval(0, 1, 1, 1).high == 1.0
    assert take_rate_difference_interval(1, 1, 0, 1).low == -1.0
    assert take_rate_difference_interval(0, 10**6, 10**6, 10**6).high == 1.0


def test_catalog_size_takes_sequences_not_sets():
    with pytest.raises(TypeError, match="hours_by_title must be a sequence of numbers, not set"):
        effective_catalog_size({10, 20})
    assert effective_catalog_size(range(1, 4)) == pytest.approx(effective_catalog_size([3, 2, 1]))


def test_default_confidence_is_95_percent():
    assert take_rate_interval(430, 10_000) == take_rate_interval(430, 10_000, confidence=0.95)
    assert take_rate_difference_interval(1, 10, 2, 10) == take_rate_difference_interval(
        1, 10, 2, 10, confidence=0.95
    )
    assert take_rate_interval(430, 10_000) != take_rate_interval(430, 10_000, confidence=0.9)


def test_rounding_never_leaves_the_unit_interval():
    """Found by search: near-certain confidence and huge counts round past the ends."""
    assert take_rate_interval(5559060566555522, 5559060566555523, confidence=0.999999).high == 1.0
    near_one = 0.9999999999999999
    low = take_rate_difference_interval(
        65506146937599266, 65506146937599267, 1, 85849704389779906, confidence=near_one
    ).low
    assert low == -1.0
    high = take_rate_difference_interval(
        1, 61970806185401358, 47107866852480103, 47107866852480104, confidence=near_one
    ).high
    assert high == 1.0


def test_count_messages():
    with pytest.raises(ValueError, match=r"^quality_plays must be at least 0, got -1$"):
        take_rate(-1, 10)
    with pytest.raises(
        ValueError, match=r"^hours_by_title must have a positive total, got all zeros$"
    ):
        effective_catalog_size([0, 0])
