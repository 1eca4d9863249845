"""Tests for dmls_examples.objectives: blending two objectives and ranking by the blend."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmls_examples.datasets import restaurants
from dmls_examples.objectives import blend_scores, min_max_scale, rank_by_blend, top_k

# An overflow or invalid operation the code should have handled is a failure.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

finite = st.floats(-1e6, 1e6, allow_nan=False)
alphas = st.floats(0, 1)


@pytest.fixture
def scaled():
    data = restaurants()
    return data.names, min_max_scale(data.revenue), min_max_scale(data.click_probability)


def test_pure_clicks_and_pure_revenue(scaled):
    names, revenue, clicks = scaled
    assert top_k(names, revenue, clicks, alpha=0.0) == [
        "Taco Stand",
        "Pizza Place",
        "Burger Joint",
        "Noodle Bar",
        "Falafel Cart",
    ]
    assert top_k(names, revenue, clicks, alpha=1.0) == [
        "Steakhouse",
        "Oyster Bar",
        "Sushi House",
        "Dim Sum Hall",
        "Curry Kitchen",
    ]


def test_an_even_blend_mixes_the_lists(scaled):
    names, revenue, clicks = scaled
    assert top_k(names, revenue, clicks, alpha=0.5) == [
        "Steakhouse",
        "Taco Stand",
        "Pizza Place",
        "Burger Joint",
        "Noodle Bar",
    ]


def test_blend_formula():
    assert blend_scores([1.0, 0.0], [0.0, 1.0], alpha=0.25).tolist() == [0.25, 0.75]
    assert isinstance(blend_scores([1], [2]), np.ndarray)


def test_min_max_of_constant_scores_is_zero():
    assert min_max_scale([3, 3, 3]).tolist() == [0.0, 0.0, 0.0]


def test_k_larger_than_the_list_returns_everything():
    assert top_k(["a", "b"], [0.0, 1.0], [0.0, 1.0], k=10) == ["b", "a"]


@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=50), alphas)
def test_blend_lies_between_the_two_scores(pairs, alpha):
    quality, engagement = map(list, zip(*pairs, strict=True))
    blended = blend_scores(quality, engagement, alpha=alpha)
    low = np.minimum(quality, engagement)
    high = np.maximum(quality, engagement)
    assert np.all(blended >= low - 1e-6 * (1 + np.abs(low)))
    assert np.all(blended <= high + 1e-6 * (1 + np.abs(high)))


@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=50))
def test_extreme_alphas_pick_one_objective(pairs):
    quality, engagement = map(list, zip(*pairs, strict=True))
    assert blend_scores(quality, engagement, alpha=1.0).tolist() == quality
    assert blend_scores(quality, engagement, alpha=0.0).tolist() == engagement


@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=50), alphas)
def test_ranking_is_a_permutation_sorted_by_blend(pairs, alpha):
    quality, engagement = map(list, zip(*pairs, strict=True))
    order = rank_by_blend(quality, engagement, alpha=alpha)
    assert sorted(order.tolist()) == list(range(len(pairs)))
    blended = blend_scores(quality, engagement, alpha=alpha)[order]
    assert np.all(np.diff(blended) <= 0)


@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=30), alphas, st.integers(1, 40))
def test_top_k_is_the_head_of_the_ranking(pairs, alpha, k):
    quality, engagement = map(list, zip(*pairs, strict=True))
    names = [f"item {i}" for i in range(len(pairs))]
    chosen = top_k(names, quality, engagement, k=k, alpha=alpha)
    assert len(chosen) == min(k, len(pairs))
    order = rank_by_blend(quality, engagement, alpha=alpha)
    assert chosen == [names[i] for i in order[:k]]


@given(st.lists(finite, min_size=1, max_size=50))
def test_min_max_scale_bounds_and_order(scores):
    scaled = min_max_scale(scores)
    assert np.all((scaled >= 0) & (scaled <= 1))
    # Rescaling keeps the order: sorted by the original scores, the scaled
    # ones never decrease.
    assert np.all(np.diff(scaled[np.argsort(scores, kind="stable")]) >= 0)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"quality": [1, 2], "engagement": [1]}, ValueError, "engagement must have the same"),
        ({"quality": [], "engagement": []}, ValueError, "quality must not be empty"),
        ({"quality": ["a"], "engagement": [1]}, TypeError, "quality"),
        ({"quality": [1], "engagement": [np.nan]}, ValueError, "engagement must not contain NaN"),
        ({"quality": [1], "engagement": [1], "alpha": 1.5}, ValueError, "alpha"),
        ({"quality": [1], "engagement": [1], "alpha": "0.5"}, TypeError, "alpha"),
        ({"quality": [1], "engagement": [1], "alpha": float("nan")}, ValueError, "alpha"),
    ],
)
def test_blend_bad_input(kwargs, error, match):
    with pytest.raises(error, match=rf"^{match}"):
        blend_scores(**kwargs)
    with pytest.raises(error, match=rf"^{match}"):
        rank_by_blend(**kwargs)


def test_top_k_bad_input():
    with pytest.raises(ValueError, match="items must have the same length"):
        top_k(["a"], [1, 2], [1, 2])
    with pytest.raises(TypeError, match="items must be a sequence"):
        top_k("ab", [1, 2], [1, 2])
    with pytest.raises(TypeError, match="items must be a sequence"):
        top_k({"a", "b"}, [1, 2], [1, 2])
    with pytest.raises(ValueError, match="k must be at least 1"):
        top_k(["a", "b"], [1, 2], [1, 2], k=0)
    with pytest.raises(TypeError, match="k must be an integer"):
        top_k(["a", "b"], [1, 2], [1, 2], k=2.0)


def test_min_max_bad_input():
    with pytest.raises(ValueError, match="scores must not be empty"):
        min_max_scale([])
    with pytest.raises(ValueError, match="scores must not contain infinities"):
        min_max_scale([1, np.inf])


def test_min_max_of_a_range_beyond_the_float_range():
    assert min_max_scale([-1e308, 0.0, 1e308]).tolist() == [0.0, 0.5, 1.0]
    assert min_max_scale([1.7976931348623157e308, -1.7976931348623157e308]).tolist() == [1.0, 0.0]
    assert min_max_scale([-1e308, 5e307]).tolist() == [0.0, 1.0]


def test_min_max_exact_values():
    assert min_max_scale([-4, 0, 4, 12]).tolist() == [0.0, 0.25, 0.5, 1.0]


def test_items_may_be_any_sequence():
    assert top_k(("a", "b"), [0.0, 1.0], [0.0, 1.0]) == ["b", "a"]
    assert top_k(range(10, 12), [0.0, 1.0], [0.0, 1.0], k=1) == [11]
    assert top_k(np.array(["a", "b"]), [0.0, 1.0], [0.0, 1.0], k=1) == ["b"]
    with pytest.raises(TypeError, match="items must be a sequence, not generator"):
        top_k((x for x in "ab"), [1, 2], [1, 2])


def test_blend_weights_each_objective():
    assert blend_scores([10.0], [20.0], alpha=0.75).tolist() == [12.5]
    assert blend_scores([10.0], [20.0]).tolist() == [15.0]
    assert rank_by_blend([1.0, 0.0], [0.0, 3.0], alpha=0.8).tolist() == [0, 1]
    assert rank_by_blend([1.0, 0.0], [0.0, 3.0], alpha=0.7).tolist() == [1, 0]


def test_defaults():
    assert blend_scores([1.0], [0.0]).tolist() == [0.5]
    assert rank_by_blend([1.0, 0.0], [0.0, 1.2]).tolist() == [1, 0]
    names = list("abcdefg")
    scores = [float(i) for i in range(7)]
    assert top_k(names, scores, scores) == ["g", "f", "e", "d", "c"]
    assert top_k(["a", "b"], [1.0, 0.0], [0.0, 1.2]) == ["b", "a"]


def test_messages_name_the_sequences():
    with pytest.raises(
        ValueError, match=r"^engagement must have the same length as quality: 1 != 2$"
    ):
        blend_scores([1, 2], [1])
    with pytest.raises(ValueError, match=r"^items must have the same length as quality: 1 != 2$"):
        top_k(["a"], [1, 2], [1, 2])


def test_ties_in_a_long_list_keep_their_order():
    scores = [1.0, 0.0] * 100
    order = rank_by_blend(scores, scores).tolist()
    assert order == list(range(0, 200, 2)) + list(range(1, 200, 2))
