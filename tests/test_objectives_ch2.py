"""pareto_optimal: the options no other option beats on every objective."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dmls_examples.objectives import min_max_scale, pareto_optimal, rank_by_blend

outcomes = arrays(
    np.float64,
    st.tuples(st.integers(1, 12), st.integers(1, 3)),
    elements=st.integers(-5, 5).map(float),  # small integers: ties and duplicates happen
)


def dominated_by_brute_force(table, i):
    return any(
        all(table[j] >= table[i]) and any(table[j] > table[i]) for j in range(len(table)) if j != i
    )


def test_the_docstring_example():
    assert pareto_optimal([[0.9, 20], [0.5, 60], [0.4, 50]]).tolist() == [True, True, False]


@given(outcomes)
def test_agrees_with_the_definition(table):
    expected = [not dominated_by_brute_force(table, i) for i in range(len(table))]
    assert pareto_optimal(table).tolist() == expected


@given(outcomes)
def test_the_front_is_never_empty_and_holds_each_columns_best(table):
    front = pareto_optimal(table)
    assert front.any()
    for column in table.T:
        best = column == column.max()
        # Among the rows tied for a column's best, the front keeps at least one.
        assert (front & best).any()


def test_one_objective_keeps_only_the_best():
    assert pareto_optimal([[3.0], [1.0], [3.0]]).tolist() == [True, False, True]


@given(
    st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=6, max_size=9),
    st.floats(0.01, 0.99),
)
def test_a_blend_with_positive_weights_picks_a_pareto_optimal_top_k(scores, alpha):
    """Ranking by a weighted sum of two objectives and taking the top k gives
    a set that no other set of k beats on both totals."""
    quality, engagement = (min_max_scale(side) for side in zip(*scores, strict=True))
    k = 3
    sets = list(itertools.combinations(range(len(scores)), k))
    totals = [(quality[list(s)].sum(), engagement[list(s)].sum()) for s in sets]
    chosen = tuple(sorted(int(i) for i in rank_by_blend(quality, engagement, alpha=alpha)[:k]))
    # A tie in the blend may pick a set whose totals equal another's; compare totals.
    chosen_total = totals[sets.index(chosen)]
    front_totals = {totals[i] for i in np.flatnonzero(pareto_optimal(totals))}
    assert any(np.allclose(chosen_total, t) for t in front_totals)


@pytest.mark.parametrize(
    ("table", "error", "name"),
    [
        ([], ValueError, "outcomes"),
        ([[1, 2], [3]], TypeError, "outcomes"),
        ([["a", "b"]], TypeError, "outcomes"),
        ([[1.0, np.nan]], ValueError, "outcomes"),
        ([1.0, 2.0], ValueError, "outcomes"),
        (None, TypeError, "outcomes"),
    ],
)
def test_rejects_bad_input(table, error, name):
    with pytest.raises(error, match=name):
        pareto_optimal(table)
