"""The input rules every module shares, one helper per rule (dmls_examples._validation)."""

import math
import re
import warnings
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from dmls_examples import _validation as v

# An overflow or invalid operation the code should have handled is a failure.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def re_escape(text: str) -> str:
    """A pattern that matches exactly *text*."""
    return "^" + re.escape(text) + "$"


# -- numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, 3.0), (np.float32(1.5), 1.5), (np.int64(3), 3.0), (Fraction(1, 4), 0.25), (-0.0, 0.0)],
)
def test_real_accepts_numbers_and_returns_plain_floats(value, expected):
    result = v.real(value, "x")
    assert result == expected
    assert type(result) is float


@pytest.mark.parametrize("value", [True, np.bool_(False), "1", None, Decimal("1"), 1j, [1]])
def test_real_refuses_what_is_not_a_real_number(value):
    with pytest.raises(TypeError, match=f"^x must be a real number, not {type(value).__name__}$"):
        v.real(value, "x")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (10**400, "x must be finite, got a number too large for a float"),
        (-(10**400), "x must be finite, got a number too large for a float"),
        (Fraction(10**400), "x must be finite, got a number too large for a float"),
        (math.nan, "x must be finite, got nan"),
        (-math.inf, "x must be finite, got -inf"),
    ],
)
def test_real_refuses_what_is_not_finite(value, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        v.real(value, "x")


def test_positive_and_nonnegative_draw_the_line_at_zero():
    assert v.positive(5e-324, "x") == 5e-324
    assert v.nonnegative(0, "x") == 0.0
    with pytest.raises(ValueError, match=r"^x must be positive, got 0\.0$"):
        v.positive(0, "x")
    with pytest.raises(ValueError, match=r"^x must not be negative, got -5e-324$"):
        v.nonnegative(-5e-324, "x")


@pytest.mark.parametrize(
    ("open_low", "open_high", "shown"),
    [(False, False, "[0, 100]"), (True, False, "(0, 100]"), (False, True, "[0, 100)")],
)
def test_in_interval_includes_only_the_closed_ends(open_low, open_high, shown):
    check = {"open_low": open_low, "open_high": open_high}
    for inside in (1e-300, 50, 99.99999999999999):
        assert v.in_interval(inside, "q", 0, 100, **check) == inside
    for end, is_open in ((0, open_low), (100, open_high)):
        if is_open:
            with pytest.raises(ValueError, match=r"^" + re.escape(f"q must lie in {shown}, got")):
                v.in_interval(end, "q", 0, 100, **check)
        else:
            assert v.in_interval(end, "q", 0, 100, **check) == end
    for outside in (-1e-300, 100.00000000000001):
        with pytest.raises(ValueError, match=re_escape(f"q must lie in {shown}, got {outside!r}")):
            v.in_interval(outside, "q", 0, 100, **check)


def test_probability_is_the_unit_interval():
    assert v.probability(1, "p") == 1.0
    assert v.probability(0, "p") == 0.0
    with pytest.raises(ValueError, match=re_escape("p must lie in (0, 1), got 1.0")):
        v.probability(1, "p", open_low=True, open_high=True)
    with pytest.raises(ValueError, match=re_escape("p must lie in (0, 1], got 0.0")):
        v.probability(0, "p", open_low=True)


def test_a_percentage_given_as_a_probability_is_told_its_share():
    told = "confidence must lie in (0, 1), got 95.0; for 95%, give 0.95"
    with pytest.raises(ValueError, match=re_escape(told)):
        v.probability(95, "confidence", open_low=True, open_high=True)
    told = "p must lie in [0, 1], got 100.0; for 100%, give 1"
    with pytest.raises(ValueError, match=re_escape(told)):
        v.probability(100, "p")
    no_share = ((100, {"open_high": True}), (100.5, {}), (-5, {}), (1, {"open_high": True}))
    for wrong, options in no_share:  # 1 excluded, or no hundredth in [0, 1]
        with pytest.raises(ValueError, match="must lie in") as raised:
            v.probability(wrong, "p", **options)
        assert "give" not in str(raised.value)


def test_count_takes_integers_within_bounds():
    assert v.count(np.int64(7), "n") == 7
    assert type(v.count(np.int64(7), "n")) is int
    assert v.count(0, "n") == 0
    assert v.count(3, "n", minimum=3, maximum=3) == 3
    assert v.count(10**400, "n") == 10**400
    with pytest.raises(ValueError, match=re_escape("n must be at least 1, got 0")):
        v.count(0, "n", minimum=1)
    with pytest.raises(ValueError, match=re_escape("n must be at most 65,536, got 65537")):
        v.count(65_537, "n", maximum=65_536)
    for wrong in (True, 2.0, "3", None):
        with pytest.raises(TypeError, match=f"^n must be an integer, not {type(wrong).__name__}$"):
            v.count(wrong, "n")


def test_boolean():
    assert v.boolean(np.bool_(True), "flag") is True
    assert v.boolean(False, "flag") is False
    with pytest.raises(TypeError, match=r"^flag must be a bool, not int$"):
        v.boolean(1, "flag")


def test_text_and_choice():
    assert v.text("ms", "unit") == "ms"
    with pytest.raises(TypeError, match=r"^unit must be a string, not bytes$"):
        v.text(b"ms", "unit")
    assert v.choice("s", "unit", ("ms", "s")) == "s"
    with pytest.raises(ValueError, match=r"^unit must be one of ms, s; got 'min'$"):
        v.choice("min", "unit", ("ms", "s"))
    with pytest.raises(TypeError, match=r"^unit must be a string, not NoneType$"):
        v.choice(None, "unit", ("ms", "s"))


def test_as_float_saturates_beyond_the_float_range():
    assert v.as_float(3) == 3.0
    assert v.as_float(10**400) == math.inf


# -- seeds ----------------------------------------------------------------------------


def test_rng_takes_what_numpy_takes():
    first = v.rng(7).random(3)
    assert np.array_equal(first, v.rng(np.int64(7)).random(3))
    assert np.array_equal(first, np.random.default_rng(7).random(3))
    assert np.array_equal(first, v.rng(np.random.SeedSequence(7)).random(3))
    generator = np.random.default_rng(1)
    assert v.rng(generator) is generator
    assert isinstance(v.rng(None), np.random.Generator)
    assert isinstance(v.rng(np.random.PCG64(1)), np.random.Generator)
    assert isinstance(v.rng(0), np.random.Generator)


@pytest.mark.parametrize("seed", [True, False, 1.0, "1", [1, 2]])
def test_rng_refuses_bools_and_non_integers(seed):
    with pytest.raises(TypeError, match=r"^seed must be None, a non-negative integer"):
        v.rng(seed)


def test_rng_refuses_a_negative_seed():
    with pytest.raises(ValueError, match=re_escape("seed must not be negative, got -1")):
        v.rng(-1)


# -- sequences --------------------------------------------------------------------------


class ArrayLike:
    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=dtype)


@pytest.mark.parametrize(
    "values", [[1], (1,), range(2), np.array([1.0]), np.zeros((2, 2)), ArrayLike([1, 2])]
)
def test_sequence_accepts_ordered_collections(values):
    assert v.sequence(values, "xs") is values


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ("12", "xs must be a sequence, not str"),
        (b"12", "xs must be a sequence, not bytes"),
        (bytearray(b"1"), "xs must be a sequence, not bytearray"),
        (np.array(1.0), "xs must be a sequence, not a single value (ndarray)"),
        (np.float64(1.0), "xs must be a sequence, not a single value (float64)"),
        ({1, 2}, "xs must be a sequence, not set: a set has no order"),
        (frozenset({1}), "xs must be a sequence, not frozenset: a frozenset has no order"),
        ({"a": 1}, "xs must be a sequence, not dict: a dict has no order"),
        ((x for x in [1]), "xs must be a sequence, not generator; pass list(...) instead"),
        (iter([1]), "xs must be a sequence, not list_iterator; pass list(...) instead"),
        (5, "xs must be a sequence, not int"),
        (None, "xs must be a sequence, not NoneType"),
    ],
)
def test_sequence_refuses_the_rest(values, message):
    with pytest.raises(TypeError, match=re_escape(message)):
        v.sequence(values, "xs")


def test_real_array_converts_and_checks():
    array = v.as_real_array([1, Fraction(1, 2), np.float32(2)], "xs")
    assert array.dtype == np.float64
    assert array.tolist() == [1.0, 0.5, 2.0]
    assert v.as_real_array(np.array([3], dtype=np.int8), "xs").dtype == np.float64
    assert v.as_real_array([10**30, 1], "xs").tolist() == [1e30, 1.0]


@pytest.mark.parametrize(
    ("values", "error", "message"),
    [
        ([], ValueError, "xs must not be empty, got shape (0,)"),
        ([[1.0]], ValueError, "xs must be one-dimensional, got 2 dimensions"),
        ([1.0, math.nan], ValueError, "xs must not contain NaN"),
        ([math.nan, math.inf], ValueError, "xs must not contain NaN"),
        ([1.0, math.inf], ValueError, "xs must not contain infinities"),
        ([-math.inf, 1.0], ValueError, "xs must not contain infinities"),
        ([10**400], ValueError, "xs must be finite, got a number too large for a float"),
        ([1, None], TypeError, "xs must contain only numbers, found NoneType"),
        ([True, False], TypeError, "xs must contain only numbers, got dtype bool"),
        (["1"], TypeError, "xs must contain only numbers, got dtype <U1"),
        ([[1], [1, 2]], TypeError, "xs must be a sequence of numbers with rows of equal length"),
    ],
)
def test_real_array_errors(values, error, message):
    with pytest.raises(error, match=re_escape(message)):
        v.as_real_array(values, "xs")


def test_nonnegative_real_array():
    assert v.as_real_array([0.0, 2.0], "xs", nonnegative=True).tolist() == [0.0, 2.0]
    with pytest.raises(
        ValueError, match=re_escape("xs must not contain negative values, found -0.5")
    ):
        v.as_real_array([1.0, -0.5], "xs", nonnegative=True)
    assert v.as_real_array([1.0, -0.5], "xs").tolist() == [1.0, -0.5]


def test_real_matrix():
    assert v.as_real_matrix([[1, 2]], "t").shape == (1, 2)
    with pytest.raises(ValueError, match=re_escape("t must be two-dimensional, got 1 dimensions")):
        v.as_real_matrix([1, 2], "t")
    with pytest.raises(ValueError, match=re_escape("t must contain only finite numbers")):
        v.as_real_matrix([[1, math.inf]], "t")
    with pytest.raises(TypeError, match=re_escape("t must be a table of numbers, not str")):
        v.as_real_matrix("t", "t")


def test_finite_results():
    assert v.finite_result(1e308, "x gives y") == 1e308
    for bad in (math.inf, math.nan):
        with pytest.raises(ValueError, match=re_escape("x gives y too large to represent")):
            v.finite_result(bad, "x gives y")
    array = np.array([1.0, 2.0])
    assert v.finite_array(array, "x gives y") is array
    with pytest.raises(ValueError, match=re_escape("x gives y too large to represent")):
        v.finite_array(np.array([1.0, -math.inf]), "x gives y")


# -- labels -------------------------------------------------------------------------------


def test_label_kinds():
    assert v.check_labels(["a", np.str_("b")], "ys") == "text"
    assert v.check_labels([1, 2.5, True, np.bool_(False), np.int8(3)], "ys") == "number"
    assert v.check_labels([], "ys") == "text"
    with pytest.raises(TypeError, match=re_escape("ys must not mix strings with other labels")):
        v.check_labels(["a", 1], "ys")
    with pytest.raises(TypeError, match=re_escape("ys must hold strings or numbers, found tuple")):
        v.check_labels([(1, 2)], "ys")
    with pytest.raises(ValueError, match=re_escape("ys must not contain NaN or infinities")):
        v.check_labels([1.0, math.nan], "ys")
    with pytest.raises(ValueError, match="ys must be finite, got a number too large"):
        v.check_labels([10**400], "ys")


def test_label_arrays():
    assert v.as_label_array(["a", "b"], "ys").dtype.kind == "U"
    bools = v.as_label_array([True, False], "ys")
    assert bools.dtype == np.int64
    assert bools.tolist() == [1, 0]
    assert v.as_label_array([0.0, 1.0], "ys").tolist() == [0.0, 1.0]
    # A pandas column of strings or numbers is an object array.
    assert v.as_label_array(np.array(["a", "b"], dtype=object), "ys").tolist() == ["a", "b"]
    assert v.as_label_array(np.array(["a"], dtype=object), "ys").dtype.kind == "U"
    assert v.as_label_array(np.array([1, 2], dtype=object), "ys").dtype.kind == "i"
    # Ints beyond 64 bits stay Python ints, compared exactly (tests/test_validation_labels.py).
    assert [type(x) for x in v.as_label_array([2**70, 1], "ys")] == [int, int]


@pytest.mark.parametrize(
    ("values", "error", "message"),
    [
        ([1, "1"], TypeError, "ys must not mix strings with other labels"),
        (["a", None], TypeError, "ys must hold strings or numbers, found NoneType"),
        ([b"a"], TypeError, "ys must hold strings or numbers, got dtype |S1"),
        ([1j], TypeError, "ys must hold strings or numbers, got dtype complex128"),
        ([[1], [2, 3]], TypeError, "ys must be a sequence of single labels"),
        ([[1, 2]], ValueError, "ys must be one-dimensional, got 2 dimensions"),
        ([], ValueError, "ys must not be empty"),
        ([0.0, math.inf], ValueError, "ys must not contain NaN or infinities"),
        ({"a", "b"}, TypeError, "ys must be a sequence of labels, not set: a set has no order"),
    ],
)
def test_label_array_errors(values, error, message):
    with pytest.raises(error, match=re_escape(message)):
        v.as_label_array(values, "ys")


def test_label_pair_and_same_length():
    y_true, y_pred = v.label_pair([1, 0], [0, 0])
    assert (y_true.tolist(), y_pred.tolist()) == ([1, 0], [0, 0])
    with pytest.raises(
        ValueError, match=re_escape("y_pred must have the same length as y_true: 1 != 2")
    ):
        v.label_pair([1, 0], [0])
    with pytest.raises(TypeError, match=r"^y_pred must hold the same kind of labels as y_true"):
        v.label_pair([1, 0], ["a", "b"])
    with pytest.raises(TypeError, match=r"^y_pred must hold the same kind of labels as y_true"):
        v.label_pair(["a", "b"], [1, 0])


def test_label_like():
    numbers = np.array([0, 1])
    assert v.label_like(1, "positive", numbers) == 1
    assert v.label_like(True, "positive", numbers) is True
    # One label present: the positive one may be absent; three: may be a missing class.
    assert v.label_like(1, "positive", np.array([0, 0])) == 1
    assert v.label_like(7, "positive", np.array([0, 1, 2])) == 7
    with pytest.raises(
        ValueError, match=re_escape("positive must be one of the labels present (0, 1), got 2")
    ):
        v.label_like(2, "positive", numbers)
    with pytest.raises(
        TypeError, match=re_escape("positive must be a number, like the labels, not str")
    ):
        v.label_like("1", "positive", numbers)
    with pytest.raises(
        TypeError, match=re_escape("positive must be a string, like the labels, not int")
    ):
        v.label_like(1, "positive", np.array(["a", "b"]))
    with pytest.raises(ValueError, match=re_escape("positive must not contain NaN or infinities")):
        v.label_like(math.nan, "positive", np.array([0.0, 1.0, 2.0]))
    with pytest.raises(
        TypeError, match=re_escape("positive must hold strings or numbers, found NoneType")
    ):
        v.label_like(None, "positive", numbers)
    assert v.label_like("b", "positive", np.array(["a"]), np.array(["b"])) == "b"


def test_an_infinite_end_shows_open():
    assert v.in_interval(1e308, "g", -1, math.inf, open_low=True) == 1e308
    with pytest.raises(ValueError, match=re_escape("g must lie in (-1, inf), got -1.0")):
        v.in_interval(-1, "g", -1, math.inf, open_low=True)
    with pytest.raises(ValueError, match=re_escape("g must lie in (-inf, 0], got 1.0")):
        v.in_interval(1, "g", -math.inf, 0)


def test_object_arrays_of_numbers():
    with pytest.raises(TypeError, match=re_escape("xs must contain only numbers, found str")):
        v.as_real_array(np.array([1, "a"], dtype=object), "xs")
    table = v.as_real_matrix([[10**30, 1], [2, 3]], "t")
    assert table.shape == (2, 2)
    assert table.dtype == np.float64
    assert v.as_real_array(np.array([1, 2], dtype=np.int32), "xs").dtype == np.float64


def test_label_arrays_keep_their_kind():
    assert v.as_label_array(np.array(["a", "b"]), "ys").tolist() == ["a", "b"]
    assert v.as_label_array([2**70, 1], "ys").dtype.kind == "O"
    assert v.as_label_array(np.array([1.5, 2], dtype=object), "ys").dtype.kind == "f"
    with pytest.raises(
        TypeError, match=re_escape("ys must hold strings or numbers, got dtype datetime64[D]")
    ):
        v.as_label_array(np.array(["2024-01-01"], dtype="datetime64[D]"), "ys")


def test_seed_message_names_the_type():
    with pytest.raises(
        TypeError,
        match=re_escape(
            "seed must be None, a non-negative integer, or a numpy SeedSequence, "
            "BitGenerator or Generator, not float"
        ),
    ):
        v.rng(1.0)


def test_every_numeric_dtype_is_a_number():
    for dtype in (np.float16, np.float32, np.uint8, np.int16):
        assert v.as_real_array(np.array([1, 2], dtype=dtype), "xs").tolist() == [1.0, 2.0]
    for dtype in (np.uint8, np.int16, np.float32, np.bool_):
        assert v.as_label_array(np.array([1, 0], dtype=dtype), "ys").tolist() == [1, 0]


def test_dimensions_refuse_ragged_rows_in_every_numpy():
    assert v.dimensions([[0.5, 0.5]], "ps", "an array of numbers") == 2
    assert v.dimensions(np.zeros(3), "ps", "an array of numbers") == 1
    with pytest.raises(TypeError, match=r"^ps must be an array with rows of equal length$"):
        v.dimensions([[], [0]], "ps", "an array of numbers")
    with pytest.raises(TypeError, match=r"^ps must be an array of numbers, not set"):
        v.dimensions({1, 2}, "ps", "an array of numbers")


class _WarnsWhenRead:
    """An array-like that warns as it hands over its data, as pandas does
    when it deprecates something."""

    def __array__(self, dtype=None, copy=None):
        warnings.warn("this will change", FutureWarning, stacklevel=2)
        return np.array([1.0, 2.0])


def test_only_ragged_rows_become_errors_a_callers_warning_stays_a_warning():
    # Ragged rows must raise in every numpy version; any other warning from
    # the caller's own data is theirs to see, not an error of ours.
    with pytest.warns(FutureWarning, match="this will change"):
        assert v.as_real_array(_WarnsWhenRead(), "xs").tolist() == [1.0, 2.0]
    with pytest.warns(FutureWarning, match="this will change"):
        assert v.dimensions(_WarnsWhenRead(), "xs", "an array of numbers") == 1


def test_exact_decimal_reads_a_float_as_the_decimal_it_prints_as():
    assert v.exact_decimal(0.7) == Fraction(7, 10)  # not 0.69999999999999995559...
    assert v.exact_decimal(99.9) * 30_000 / 100 == 29_970
    assert v.exact_decimal(10**20 + 1) == 10**20 + 1
    assert v.exact_decimal(5e-324) == Fraction(5, 10**324)


def test_finite_or_exact_computes_exactly_only_when_the_float_is_not_finite():
    def exact():
        raise AssertionError("called for a finite value")

    assert v.finite_or_exact(2.5, exact, "x gives y") == 2.5
    assert v.finite_or_exact(math.inf, lambda: Fraction(10**308) - Fraction(10**308), "x") == 0.0
    assert v.finite_or_exact(math.nan, lambda: Fraction(1, 3), "x") == 1 / 3
    with pytest.raises(ValueError, match=re_escape("x gives y too large to represent")):
        v.finite_or_exact(math.inf, lambda: Fraction(10**309), "x gives y")
    for not_finite in (math.inf, math.nan):
        with pytest.raises(ValueError, match=re_escape("x gives y too large to represent")):
            v.finite_or_exact(math.nan, lambda x=not_finite: v.exact_dot([x], [0.0]), "x gives y")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ([1e308, 1e308], [10.0, -10.0]),
        ([5e-324, 1.5, -0.1], [3.0, 1e-300, 7.0]),
        ([1.7976931348623157e308], [1.7976931348623157e308]),
        ([0.0, -2.5], [1e300, 4.0]),
        ([0.1], [0.1]),
    ],
)
def test_exact_dot_is_the_sum_of_exact_products(first, second):
    expected = sum(Fraction(a) * Fraction(b) for a, b in zip(first, second, strict=True))
    assert v.exact_dot(first, second) == expected
    assert v.exact_dot(second, first) == expected
    assert v.exact_dot(first[::-1], second[::-1]) == expected


def test_exact_dot_refuses_vectors_of_different_lengths():
    # Cut to the shorter, [1, 2] . [3] would be 3: a wrong score, not an error.
    with pytest.raises(ValueError, match="zip"):
        v.exact_dot([1.0, 2.0], [3.0])
