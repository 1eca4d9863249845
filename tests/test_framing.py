"""Task framings and objective functions, cross-checked against scikit-learn.

Each test imports scikit-learn itself: imported at collection, it would cost
every pytest worker a second and a half, whichever tests it runs.
"""

import math
import re

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dmls_examples.framing import (
    EPS,
    bucketize,
    log_loss,
    mean_absolute_error,
    mean_squared_error,
    one_vs_rest_targets,
    rank_by_score,
    threshold_scores,
)

# An overflow or invalid operation the code should have handled is a failure.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
reals = st.lists(finite, min_size=1, max_size=50)
probs = st.floats(min_value=0.001, max_value=0.999)


# -- bucketize ---------------------------------------------------------------


def test_bucketize_the_worked_example():
    assert bucketize([180, 250, 400, 460, 900], [200, 400, 600]).tolist() == [0, 1, 2, 2, 3]


@given(
    arrays(np.float64, st.integers(5, 80), elements=st.floats(-1e3, 1e3)),
    st.integers(2, 8),
)
def test_bucketize_agrees_with_kbinsdiscretizer(values, n_bins):
    from sklearn.preprocessing import KBinsDiscretizer

    assume(np.ptp(values) > 1e-3)
    discretizer = KBinsDiscretizer(
        n_bins=n_bins, encode="ordinal", strategy="uniform", subsample=None
    )
    expected = discretizer.fit_transform(values.reshape(-1, 1)).ravel().astype(int)
    edges = discretizer.bin_edges_[0][1:-1]
    assert bucketize(values, edges).tolist() == expected.tolist()


@given(reals, st.lists(finite, min_size=1, max_size=10, unique=True))
def test_buckets_follow_the_order_of_values(values, edges):
    edges = sorted(edges)
    classes = bucketize(sorted(values), edges)
    assert classes.min() >= 0
    assert classes.max() <= len(edges)
    assert np.all(np.diff(classes) >= 0)


@given(st.lists(finite, min_size=1, max_size=10, unique=True))
def test_an_edge_belongs_to_the_bucket_above_it(edges):
    edges = sorted(edges)
    assert bucketize(edges, edges).tolist() == list(range(1, len(edges) + 1))


@pytest.mark.parametrize(
    ("values", "edges", "error", "name"),
    [
        ([1, 2], [3, 3], ValueError, "edges must be strictly increasing"),
        ([1, 2], [5, 3], ValueError, "edges"),
        ([1, 2], [], ValueError, "edges"),
        ([], [1], ValueError, "values"),
        ([1, math.nan], [1], ValueError, "values"),
        (["a"], [1], TypeError, "values"),
        ([1], "1", TypeError, "edges"),
    ],
)
def test_bucketize_rejects_bad_input(values, edges, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        bucketize(values, edges)


# -- threshold_scores --------------------------------------------------------


def test_threshold_the_worked_example():
    assert threshold_scores([0.02, 0.47, 0.51, 0.93]).tolist() == [0, 0, 1, 1]
    assert threshold_scores([0.02, 0.47, 0.51, 0.93], threshold=0.9).tolist() == [0, 0, 0, 1]
    assert threshold_scores([0.5]).tolist() == [0]


@given(reals, finite)
def test_threshold_agrees_with_sklearn_binarize(scores, threshold):
    from sklearn.preprocessing import binarize

    expected = binarize(np.array(scores).reshape(-1, 1), threshold=threshold).ravel()
    assert threshold_scores(scores, threshold=threshold).tolist() == expected.astype(int).tolist()


@given(reals, finite, finite)
def test_a_higher_threshold_never_adds_positives(scores, t1, t2):
    low, high = sorted((t1, t2))
    stricter = threshold_scores(scores, threshold=high)
    assert np.all(stricter <= threshold_scores(scores, threshold=low))


@pytest.mark.parametrize(
    ("scores", "threshold", "error", "name"),
    [
        ([0.1], math.nan, ValueError, "threshold"),
        ([0.1], "0.5", TypeError, "threshold"),
        ([0.1], None, TypeError, "threshold"),
        ([], 0.5, ValueError, "scores"),
        ([0.1, math.inf], 0.5, ValueError, "scores"),
    ],
)
def test_threshold_rejects_bad_input(scores, threshold, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        threshold_scores(scores, threshold=threshold)


# -- one_vs_rest_targets -----------------------------------------------------


def test_one_vs_rest_the_worked_example():
    classes, y = one_vs_rest_targets([{"tech"}, {"finance", "tech"}, set()])
    assert classes == ("finance", "tech")
    assert y.tolist() == [[0, 1], [1, 1], [0, 0]]


def test_one_vs_rest_with_given_classes_keeps_their_order_and_empty_columns():
    classes, y = one_vs_rest_targets([["b"], ["a", "b"]], classes=["c", "b", "a"])
    assert classes == ("c", "b", "a")
    assert y.tolist() == [[0, 1, 0], [0, 1, 1]]


label_sets = st.lists(
    st.sets(st.sampled_from(["news", "sport", "tech", "finance", "music", "film"]), max_size=4),
    min_size=1,
    max_size=30,
)


@given(label_sets)
def test_one_vs_rest_agrees_with_multilabelbinarizer(sets):
    from sklearn.preprocessing import MultiLabelBinarizer

    classes, y = one_vs_rest_targets(sets)
    binarizer = MultiLabelBinarizer()
    expected = binarizer.fit_transform(sets)
    assert list(classes) == list(binarizer.classes_)
    assert y.tolist() == expected.tolist()


@given(label_sets)
def test_each_row_has_one_column_per_label(sets):
    classes, y = one_vs_rest_targets(sets)
    assert y.sum(axis=1).tolist() == [len(s) for s in sets]
    decoded = [{classes[j] for j in np.flatnonzero(row)} for row in y]
    assert decoded == [set(s) for s in sets]


@pytest.mark.parametrize(
    ("sets", "classes", "error", "name"),
    [
        ([], None, ValueError, "label_sets must not be empty"),
        ("tech", None, TypeError, "label_sets"),
        (["tech", "news"], None, TypeError, "label_sets"),
        ([{"tech"}, 3], None, TypeError, "label_sets"),
        ([[["nested"]]], None, TypeError, "label_sets"),
        ([{1, "a"}], None, TypeError, "label_sets"),
        ([{"tech"}], ["news"], ValueError, "label_sets holds labels missing from classes"),
        ([{"tech"}], [], ValueError, "classes"),
        ([{"tech"}], ["tech", "tech"], ValueError, "classes"),
        ([{"tech"}], "tech", TypeError, "classes"),
        ({"tech": 1}, None, TypeError, "label_sets"),
    ],
)
def test_one_vs_rest_rejects_bad_input(sets, classes, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        one_vs_rest_targets(sets, classes=classes)


# -- rank_by_score ------------------------------------------------------------


def test_rank_the_worked_example():
    scores = {"maps": 0.12, "mail": 0.61, "music": 0.27}
    assert rank_by_score(scores) == ["mail", "music", "maps"]
    scores["chess"] = 0.33
    assert rank_by_score(scores, k=2) == ["mail", "chess"]


def test_ties_keep_the_mappings_order():
    assert rank_by_score({"b": 1, "a": 1, "c": 2}) == ["c", "b", "a"]


@given(st.dictionaries(st.text(max_size=5), finite, min_size=1, max_size=30), st.integers(1, 40))
def test_ranking_is_a_sorted_prefix_of_all_items(scores, k):
    ranked = rank_by_score(scores)
    assert sorted(ranked) == sorted(scores)
    values = [scores[item] for item in ranked]
    assert values == sorted(values, reverse=True)
    assert rank_by_score(scores, k=k) == ranked[:k]


@pytest.mark.parametrize(
    ("scores", "k", "error", "name"),
    [
        ([0.1, 0.2], None, TypeError, "scores"),
        ({}, None, ValueError, "scores"),
        ({"a": "high"}, None, TypeError, "scores"),
        ({"a": math.nan}, None, ValueError, "scores"),
        ({"a": 1}, 0, ValueError, "k"),
        ({"a": 1}, 1.5, TypeError, "k"),
    ],
)
def test_rank_rejects_bad_input(scores, k, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        rank_by_score(scores, k=k)


# -- log_loss -----------------------------------------------------------------


def test_log_loss_the_worked_example():
    assert round(log_loss([1, 0, 1], [0.9, 0.2, 0.6]), 4) == 0.2798
    assert round(log_loss([1, 0, 1], [0.9, 0.2, 0.01]), 4) == 1.6446


def test_a_certain_mistake_costs_a_large_finite_loss():
    assert log_loss([1], [0.0]) == pytest.approx(-math.log(EPS))
    assert log_loss([0, 1], [0.0, 1.0]) == pytest.approx(-math.log(1 - EPS))


@given(st.lists(st.tuples(st.integers(0, 1), probs), min_size=1, max_size=50))
def test_binary_log_loss_agrees_with_sklearn(pairs):
    import sklearn.metrics

    y, p = zip(*pairs, strict=True)
    expected = sklearn.metrics.log_loss(y, p, labels=[0, 1])
    assert log_loss(y, p) == pytest.approx(expected, rel=1e-9)


@st.composite
def multiclass(draw):
    n = draw(st.integers(1, 30))
    k = draw(st.integers(2, 6))
    raw = draw(arrays(np.float64, (n, k), elements=st.floats(0.01, 1.0)))
    y = draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    return y, raw / raw.sum(axis=1, keepdims=True)


@given(multiclass())
def test_multiclass_log_loss_agrees_with_sklearn(data):
    import sklearn.metrics

    y, table = data
    expected = sklearn.metrics.log_loss(y, table, labels=list(range(table.shape[1])))
    assert log_loss(y, table) == pytest.approx(expected, rel=1e-9)


@given(st.lists(st.tuples(st.integers(0, 1), probs), min_size=1, max_size=50))
def test_binary_and_two_column_forms_agree(pairs):
    y, p = zip(*pairs, strict=True)
    p = np.array(p)
    assert log_loss(y, p) == pytest.approx(log_loss(y, np.column_stack([1 - p, p])))


@given(st.lists(st.integers(0, 1), min_size=1, max_size=30))
def test_log_loss_of_perfect_predictions_is_near_zero(y):
    assert 0 <= log_loss(y, [float(v) for v in y]) < 1e-12


@pytest.mark.parametrize(
    ("y", "p", "error", "name"),
    [
        ([1, 0], [0.5], ValueError, "probabilities must have the same length as y_true"),
        ([1, 2], [0.5, 0.5], ValueError, "y_true"),
        ([1, 0.5], [0.5, 0.5], ValueError, "y_true"),
        ([1, 0], [1.5, 0.5], ValueError, "probabilities must lie in"),
        ([1, 0], [-0.1, 0.5], ValueError, "probabilities"),
        ([0, 1], [[0.5, 0.6], [0.5, 0.5]], ValueError, "probabilities must have rows"),
        ([0, 3], [[0.5, 0.5], [0.5, 0.5]], ValueError, "y_true"),
        ([0], [[0.5, 0.5], [1.0]], TypeError, "probabilities"),
        ([0], "0.5", TypeError, "probabilities"),
        (["spam"], [0.5], TypeError, "y_true"),
        ([1], [math.nan], ValueError, "probabilities"),
        ([], [], ValueError, "y_true"),
    ],
)
def test_log_loss_rejects_bad_input(y, p, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        log_loss(y, p)


# -- mean_squared_error -------------------------------------------------------


def test_mse_the_worked_example():
    assert mean_squared_error([30, 45, 25], [32, 41, 25]) == pytest.approx(20 / 3)


@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=50))
def test_mse_agrees_with_sklearn(pairs):
    import sklearn.metrics

    y, y_hat = zip(*pairs, strict=True)
    expected = sklearn.metrics.mean_squared_error(y, y_hat)
    assert mean_squared_error(y, y_hat) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=50), finite)
def test_mse_is_symmetric_nonnegative_and_shift_invariant(pairs, shift):
    y, y_hat = (np.array(side) for side in zip(*pairs, strict=True))
    mse = mean_squared_error(y, y_hat)
    assert mse >= 0
    assert mean_squared_error(y_hat, y) == mse
    assert mean_squared_error(y + shift, y_hat + shift) == pytest.approx(mse, rel=1e-6, abs=1e-3)


@given(reals)
def test_mse_of_a_perfect_prediction_is_zero(y):
    assert mean_squared_error(y, y) == 0.0


@pytest.mark.parametrize("loss", [mean_squared_error, mean_absolute_error])
@pytest.mark.parametrize(
    ("y", "y_hat", "error", "name"),
    [
        ([1, 2], [1], ValueError, "y_pred must have the same length as y_true"),
        ([], [], ValueError, "y_true"),
        ([1], [math.inf], ValueError, "y_pred"),
        ([1], [math.nan], ValueError, "y_pred"),
        (["1"], [1], TypeError, "y_true"),
        ([1], None, TypeError, "y_pred"),
    ],
)
def test_regression_losses_reject_bad_input(loss, y, y_hat, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        loss(y, y_hat)


# -- named results, keyword-only options, the label rules ---------------------------


def test_one_vs_rest_result_is_named():
    result = one_vs_rest_targets([{"b"}, {"a"}])
    assert result._fields == ("classes", "targets")
    assert result.classes == ("a", "b")
    assert result.targets.tolist() == [[0, 1], [1, 0]]


def test_one_vs_rest_numbers_and_bools_are_labels_too():
    classes, y = one_vs_rest_targets([[3, 1], [2], []])
    assert classes == (1, 2, 3)
    assert y.tolist() == [[1, 0, 1], [0, 1, 0], [0, 0, 0]]
    assert one_vs_rest_targets([[]]).classes == ()


@pytest.mark.parametrize(
    ("sets", "classes", "error", "message"),
    [
        ([{"a"}, {1}], None, TypeError, "label_sets must not mix strings with other labels"),
        ([[1.0, float("nan")]], None, ValueError, "label_sets must not contain NaN"),
        ([[(1, 2)]], None, TypeError, "label_sets must hold strings or numbers, found tuple"),
        ([{"a"}], [1, 2], TypeError, "classes must hold the same kind of labels as label_sets"),
        ([{"a"}], {"a"}, TypeError, "classes must be a sequence of labels, not set"),
        ([{"a"}], ["a", None], TypeError, "classes must hold strings or numbers"),
        ((s for s in [{"a"}]), None, TypeError, "label_sets must be a sequence"),
        ({"a", "b"}, None, TypeError, "label_sets must be a sequence"),
    ],
)
def test_one_vs_rest_label_rules(sets, classes, error, message):
    with pytest.raises(error, match=rf"^{message}"):
        one_vs_rest_targets(sets, classes=classes)


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        threshold_scores([0.5], 0.4)
    with pytest.raises(TypeError):
        one_vs_rest_targets([{"a"}], ["a"])


def test_bucketize_edges_spanning_the_float_range():
    assert bucketize([0.0, 1.7e308], [-1e308, 1e308]).tolist() == [1, 2]
    with pytest.raises(ValueError, match="edges must be strictly increasing"):
        bucketize([0.0], [1e308, -1e308])


def test_log_loss_labels_follow_the_label_rules():
    assert log_loss([True, False], [0.9, 0.2]) == log_loss([1, 0], [0.9, 0.2])
    assert log_loss(np.array([1, 0], dtype=object), [0.9, 0.2]) == log_loss([1, 0], [0.9, 0.2])
    with pytest.raises(TypeError, match="y_true must hold class numbers, not strings"):
        log_loss(["1", "0"], [0.9, 0.2])
    with pytest.raises(TypeError, match="probabilities must be an array of numbers, not set"):
        log_loss([1, 0], {0.9, 0.2})


def test_log_loss_exact_value():
    # -(ln 0.8 + ln 0.5) / 2 for the binary form; the same rows as a table.
    expected = -(math.log(0.8) + math.log(0.5)) / 2
    assert log_loss([1, 0], [0.8, 0.5]) == pytest.approx(expected, rel=1e-15)
    assert log_loss([0, 2], [[0.8, 0.1, 0.1], [0.25, 0.25, 0.5]]) == pytest.approx(
        expected, rel=1e-15
    )


def test_mse_where_the_squares_overflow_but_their_mean_does_not():
    errors = [1.3e154, -1.3e154] * 5
    assert mean_squared_error(errors, [0.0] * 10) == pytest.approx(1.69e308, rel=1e-12)
    assert mean_squared_error([1.3e154, 0.0], [0.0, 0.0]) == pytest.approx(8.45e307, rel=1e-12)
    with pytest.raises(ValueError, match=r"^y_true and y_pred give a mean squared error too large"):
        mean_squared_error([1e200], [0.0])
    with pytest.raises(ValueError, match=r"^y_true and y_pred give a mean squared error too large"):
        mean_squared_error([1e308], [-1e308])


def test_defaults():
    assert threshold_scores([0.5, 0.50000001]).tolist() == [0, 1]
    assert rank_by_score({"a": 1, "b": 2, "c": 3}) == ["c", "b", "a"]
    assert one_vs_rest_targets([["b", "a"]]).classes == ("a", "b")


def test_integer_results_are_integer_arrays():
    assert bucketize([1.0, 5.0], [2.0]).dtype == np.int64
    assert threshold_scores([0.2, 0.8]).dtype == np.int64
    assert one_vs_rest_targets([{"a"}]).targets.dtype == np.int64


def test_edges_must_increase_everywhere():
    with pytest.raises(
        ValueError, match=r"^edges must be strictly increasing, got \[1\.0, 3\.0, 2\.0\]"
    ):
        bucketize([1.0], [1, 3, 2])


def test_empty_rows_and_numeric_classes():
    classes, y = one_vs_rest_targets([[], []], classes=[1, 2])
    assert classes == (1, 2)
    assert y.tolist() == [[0, 0], [0, 0]]


def test_certain_predictions_are_clipped_exactly():
    # Within a few units in the last place, not equal: numpy's vectorised
    # log may differ from the C library's by one unit on some processors
    # (it does on AVX-512 ones), while a clip at any other bound is off by
    # orders of magnitude.
    exactly = {"rel": 1e-12, "abs": 0}
    assert log_loss([1], [0.0]) == pytest.approx(-math.log(EPS), **exactly)
    assert log_loss([0, 1], [0.0, 1.0]) == pytest.approx(-math.log(1 - EPS), **exactly)
    assert log_loss([1, 0], [[0.0, 1.0], [1.0, 0.0]]) == pytest.approx(
        -math.log(1 - EPS), **exactly
    )


def test_rows_must_sum_to_one_within_a_millionth():
    assert log_loss([1], [[0.5, 0.5000005]]) == pytest.approx(-math.log(0.5000005))
    with pytest.raises(ValueError, match=r"^probabilities must have rows that sum to 1$"):
        log_loss([1], [[0.5, 0.500005]])


@pytest.mark.parametrize(
    ("y", "p", "error", "message"),
    [
        (
            [0, 3],
            [[0.5, 0.5], [0.5, 0.5]],
            ValueError,
            "y_true must hold class numbers from 0 to 1",
        ),
        ([0, 3], [0.5, 0.5], ValueError, "y_true must hold class numbers from 0 to 1"),
        ([0], [[0.2, 0.3, 0.5]], None, None),
        ([3], [[0.2, 0.3, 0.5]], ValueError, "y_true must hold class numbers from 0 to 2"),
        ([1], [1.5], ValueError, "probabilities must lie in [0, 1]"),
        ([1], [[1.5, -0.5]], ValueError, "probabilities must lie in [0, 1]"),
        ([1], [[math.nan, 1.0]], ValueError, "probabilities must contain only finite numbers"),
        ([1], [math.inf], ValueError, "probabilities must not contain infinities"),
        ([1, 0], [[0.5, 0.5]], ValueError, "probabilities must have the same length as y_true"),
        (["a"], [0.5], TypeError, "y_true must hold class numbers, not strings"),
        ([1], "0.5", TypeError, "probabilities must be an array of numbers, not str"),
    ],
)
def test_log_loss_messages(y, p, error, message):
    if error is None:
        assert log_loss(y, p) == pytest.approx(-math.log(0.2))
        return
    with pytest.raises(error, match="^" + re.escape(message)):
        log_loss(y, p)


def test_rank_by_score_messages():
    with pytest.raises(TypeError, match=r"^scores must be a mapping from item to score, not list$"):
        rank_by_score([1])
    with pytest.raises(ValueError, match=r"^scores must not be empty$"):
        rank_by_score({})
    with pytest.raises(TypeError, match=r"^scores must be a real number, not str$"):
        rank_by_score({"a": "high"})


def test_one_vs_rest_messages():
    with pytest.raises(
        TypeError,
        match=r"^label_sets must hold one collection of labels per example, got str 'ab'$",
    ):
        one_vs_rest_targets([{"a"}, "ab"])
    with pytest.raises(ValueError, match=r"^label_sets must not be empty$"):
        one_vs_rest_targets([])
    with pytest.raises(ValueError, match=r"^classes must not be empty$"):
        one_vs_rest_targets([{"a"}], classes=[])
    with pytest.raises(
        TypeError, match=r"^label_sets must be a sequence of label collections, not set"
    ):
        one_vs_rest_targets({frozenset("a")})
    with pytest.raises(TypeError, match=r"^classes must be a sequence of labels, not str$"):
        one_vs_rest_targets([{"a"}], classes="a")
    with pytest.raises(ValueError, match=r"^classes must not repeat a class, got \('a', 'a'\)$"):
        one_vs_rest_targets([{"a"}], classes=["a", "a"])
    with pytest.raises(
        ValueError, match=r"^label_sets holds labels missing from classes: \['b'\]$"
    ):
        one_vs_rest_targets([{"a", "b"}], classes=["a"])
