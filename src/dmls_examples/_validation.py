"""Input checks shared by every public function: one helper per rule.

Each helper raises ``TypeError`` for a value of the wrong kind and
``ValueError`` for a value of the right kind that is out of range, and names
the argument in the message, so a caller sees at once which input is wrong.

The rules, the same in every module:

- **Numbers** are ints, floats, fractions or numpy scalars such as
  ``np.float32(1)``; never a bool (a flag is not a quantity) or a string. A
  number too large for a float (``10**400``) is a ValueError, like NaN and
  infinity.
- **Counts** are ints or numpy integers; never a bool or a float.
- **Several values** come as a sequence (list, tuple, range) or an array
  (a numpy array, or anything with ``__array__`` such as a pandas Series).
  Order matters, so sets, frozensets and dicts are refused with TypeError,
  and so are generators and other one-shot iterators: pass ``list(...)``.
  Where a function takes a mapping by design, its docstring says so.
- **Labels** are strings or numbers, one kind in a sequence; bools count as
  the numbers 0 and 1, as in numpy and scikit-learn; a float label must be
  finite. Labels compare as given: 2**64 and 2**64 + 1 are two labels.
- **Seeds** are what ``numpy.random.default_rng`` takes: None, a
  non-negative int, a SeedSequence, a BitGenerator or a Generator; not a
  bool.
- **Results** that would not be finite raise ValueError ("too large to
  represent") instead of returning inf or NaN.
- **Decimals.** Where a result turns on exact arithmetic (a ceiling, a
  comparison at a boundary), a float is read as the decimal it prints as
  (:func:`exact_decimal`): 0.7 is 7/10, as on paper, not the binary float
  just below it.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from fractions import Fraction

import numpy as np


def _type_name(value) -> str:
    return type(value).__name__


def _is_number(value) -> bool:
    """A real number that is not a bool (numpy's bool is not Real anyway)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _to_float(value, name: str) -> float:
    """float(value) for a number; ValueError, naming *name*, when it overflows."""
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{name} must be finite, got a number too large for a float") from None


def as_float(value: int) -> float:
    """Return a (checked) count as a float, or inf beyond the float range.

    Only for counts that divide or scale: ``1 / inf`` is 0.0, the limit the
    arithmetic wants, where ``float(10**400)`` would raise OverflowError.
    """
    try:
        return float(value)
    except OverflowError:
        return math.inf


def sequence(values, name: str, what: str = "a sequence"):
    """Return *values* unchanged if it is an ordered collection of several values.

    Accepts sequences (list, tuple, range) and arrays of at least one
    dimension (numpy arrays and objects with ``__array__``). Raises TypeError
    for strings, scalars, 0-d arrays, sets, mappings and one-shot iterators.
    """
    kind = _type_name(values)
    if isinstance(values, str | bytes | bytearray):
        raise TypeError(f"{name} must be {what}, not {kind}")
    if isinstance(values, np.ndarray) or hasattr(values, "__array__"):
        if np.ndim(values) == 0:
            raise TypeError(f"{name} must be {what}, not a single value ({kind})")
        return values
    if isinstance(values, Set | Mapping):
        raise TypeError(f"{name} must be {what}, not {kind}: a {kind} has no order")
    if isinstance(values, Iterator):
        raise TypeError(f"{name} must be {what}, not {kind}; pass list(...) instead")
    if not isinstance(values, Sequence):
        raise TypeError(f"{name} must be {what}, not {kind}")
    return values


#: numpy before 1.24 only warns about ragged nested sequences such as
#: [[1], [2, 3]], and makes an object array; later versions raise ValueError.
_Ragged = getattr(getattr(np, "exceptions", np), "VisibleDeprecationWarning", ValueError)


def _asarray(values) -> np.ndarray:
    """np.asarray, raising on ragged rows in every numpy version."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", _Ragged)
        return np.asarray(values)


def dimensions(values, name: str, what: str) -> int:
    """How many dimensions the sequence or array *values* has.

    Raises TypeError for what :func:`sequence` refuses and for ragged rows.
    """
    sequence(values, name, what)
    try:
        return _asarray(values).ndim
    except (ValueError, _Ragged) as error:
        raise TypeError(f"{name} must be an array with rows of equal length") from error


def _numeric_array(values, name: str, ndim: int) -> np.ndarray:
    """Return *values* as a non-empty float array of *ndim* dimensions.

    Raises TypeError for non-sequences, ragged or non-numeric data and
    booleans, ValueError for the wrong number of dimensions, no elements, or
    a number too large for a float.
    """
    shape = {1: "a sequence of numbers", 2: "a table of numbers"}[ndim]
    sequence(values, name, shape)
    try:
        array = _asarray(values)
    except (TypeError, ValueError, _Ragged) as error:
        raise TypeError(f"{name} must be {shape} with rows of equal length") from error
    if array.dtype.kind == "O":
        # Python ints beyond 64 bits and fractions land here; so do None and
        # other objects.
        for item in array.flat:
            if not _is_number(item):
                raise TypeError(f"{name} must contain only numbers, found {_type_name(item)}")
        array = np.array([_to_float(item, name) for item in array.flat]).reshape(array.shape)
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"{name} must contain only numbers, got dtype {array.dtype}")
    if array.ndim != ndim:
        words = {1: "one", 2: "two"}[ndim]
        raise ValueError(f"{name} must be {words}-dimensional, got {array.ndim} dimensions")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    return np.asarray(array, dtype=np.float64)


def as_real_array(values, name: str, *, nonnegative: bool = False) -> np.ndarray:
    """Return *values* as a non-empty 1-D float array of finite numbers.

    Raises TypeError for non-numeric or boolean data, ValueError for empty
    input, NaN, infinities and, when *nonnegative*, negative values.
    """
    array = _numeric_array(values, name, 1)
    # Two reductions find NaN (min propagates it), negatives and infinities
    # without the temporary boolean arrays that isfinite() would allocate.
    low = array.min()
    high = array.max()
    if math.isnan(low):
        raise ValueError(f"{name} must not contain NaN")
    if math.isinf(low) or math.isinf(high):
        raise ValueError(f"{name} must not contain infinities")
    if nonnegative and low < 0:
        raise ValueError(f"{name} must not contain negative values, found {float(low)!r}")
    return array


def as_real_matrix(values, name: str) -> np.ndarray:
    """Return *values* as a non-empty 2-D float array of finite numbers.

    The 2-D twin of :func:`as_real_array`: TypeError for non-numeric or
    boolean data, ValueError for a shape that is not (rows, columns) with
    both at least 1, and for NaN or infinities.
    """
    array = _numeric_array(values, name, 2)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must contain only finite numbers")
    return array


def real(value, name: str) -> float:
    """Return *value* as a finite float; reject bools, strings, NaN and overflow."""
    # A plain float, the usual case, is its own answer: skip the checks of
    # the numeric tower, which cost ten times as much (simulations validate
    # hundreds of thousands of scores).
    if type(value) is float and math.isfinite(value):
        return value
    if not _is_number(value):
        raise TypeError(f"{name} must be a real number, not {_type_name(value)}")
    value = _to_float(value, name)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def positive(value, name: str) -> float:
    """Return *value* as a float that is finite and strictly positive."""
    value = real(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return value


def nonnegative(value, name: str) -> float:
    """Return *value* as a float that is finite and at least zero."""
    value = real(value, name)
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    return value


def in_interval(
    value, name: str, low: float, high: float, *, open_low: bool = False, open_high: bool = False
) -> float:
    """Return *value* as a float in [low, high]; either end may be excluded.

    An infinite end is never reached (the value is finite), and the message
    shows it open: "(-1, inf)".
    """
    value = real(value, name)
    low_ok = value > low if open_low else value >= low
    high_ok = value < high if open_high else value <= high
    if not (low_ok and high_ok):
        left = "(" if open_low or math.isinf(low) else "["
        right = ")" if open_high or math.isinf(high) else "]"
        raise ValueError(f"{name} must lie in {left}{low:g}, {high:g}{right}, got {value!r}")
    return value


def probability(value, name: str, *, open_low: bool = False, open_high: bool = False) -> float:
    """Return *value* as a float in [0, 1]; either end may be excluded.

    A value above 1 whose hundredth is allowed is most likely a percentage
    (a confidence of 95): the message then gives the share to type instead.
    """
    value = real(value, name)
    try:
        return in_interval(value, name, 0, 1, open_low=open_low, open_high=open_high)
    except ValueError as error:
        share = value / 100
        if value > 1 and (share < 1 or (share == 1 and not open_high)):
            raise ValueError(f"{error}; for {value:g}%, give {share:g}") from None
        raise


def count(value, name: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """Return *value* as an int in [minimum, maximum]; reject bools and floats."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, not {_type_name(value)}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum:,}, got {value}")
    return value


def text(value, name: str) -> str:
    """Return *value* if it is a string; TypeError otherwise."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {_type_name(value)}")
    return value


def choice(value, name: str, options) -> str:
    """Return *value* if it is one of the strings *options*.

    Raises TypeError for a value that is not a string, ValueError, listing
    the options, for a string that is not one of them.
    """
    value = text(value, name)
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(options)}; got {value!r}")
    return value


def boolean(value, name: str) -> bool:
    """Return *value* if it is a bool (or numpy bool); TypeError otherwise."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be a bool, not {_type_name(value)}")
    return bool(value)


def rng(seed, name: str = "seed") -> np.random.Generator:
    """Return a numpy Generator for *seed*: None, a non-negative int, or a
    numpy SeedSequence, BitGenerator or Generator, as ``default_rng`` takes.

    Raises TypeError for a bool, float, string, sequence of ints or other
    object (``default_rng`` would take a sequence of ints, and a bool as an
    int); ValueError for a negative int.
    """
    if seed is None or isinstance(
        seed, np.random.Generator | np.random.BitGenerator | np.random.SeedSequence
    ):
        return np.random.default_rng(seed)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"{name} must be None, a non-negative integer, or a numpy SeedSequence, "
            f"BitGenerator or Generator, not {_type_name(seed)}"
        )
    if seed < 0:
        raise ValueError(f"{name} must not be negative, got {seed}")
    return np.random.default_rng(int(seed))


def exact_decimal(value: int | float) -> Fraction:
    """*value* as the decimal it prints as, exactly: 0.7 is 7/10.

    A float's shortest repr is the decimal it was typed as, or the nearest
    to it; an int's repr is its digits.
    """
    return Fraction(repr(value))


def finite_result(value: float, what: str) -> float:
    """Return a computed *value* if it is finite; otherwise raise ValueError.

    *what* names the arguments and the quantity, as in "batch_size and
    batch_latency_ms give a throughput", and the message ends "too large to
    represent".
    """
    if not math.isfinite(value):
        raise ValueError(f"{what} too large to represent")
    return value


def finite_or_exact(value: float, exact: Callable[[], Fraction], what: str) -> float:
    """Return a computed *value* if it is finite; otherwise the exact result.

    A float sum or product can overflow on the way to an answer that is
    itself a float: ``1e308 * 10 - 1e308 * 10`` is 0. *exact* computes the
    result without rounding, as a Fraction; it is called only when *value*
    is not finite, and its nearest float is returned. If that lies beyond
    the float range, ValueError says so, with *what* as for
    :func:`finite_result`.
    """
    if math.isfinite(value):
        return value
    try:
        exact_value = exact()
    except (OverflowError, ValueError):  # an input not finite itself, as in a hand-made Line
        raise ValueError(f"{what} too large to represent") from None
    return exact_result(exact_value, what)


def exact_result(value: Fraction, what: str) -> float:
    """The float nearest an exact *value*; ValueError, as :func:`finite_result`
    words it, if that lies beyond the float range."""
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{what} too large to represent") from None


def exact_dot(first, second) -> Fraction:
    """``sum(a * b for a, b in zip(first, second))`` for floats, without rounding.

    A float is an integer over a power of two, so each product is one too,
    and the sum is one integer over the largest of those powers: integer
    arithmetic, without the gcd that every addition of Fractions computes.
    """
    terms = []
    for a, b in zip(first, second, strict=True):
        a_top, a_bottom = a.as_integer_ratio()
        b_top, b_bottom = b.as_integer_ratio()
        terms.append((a_top * b_top, (a_bottom * b_bottom).bit_length() - 1))
    shift = max(power for _, power in terms)
    return Fraction(sum(top << (shift - power) for top, power in terms), 1 << shift)


def finite_array(array: np.ndarray, what: str) -> np.ndarray:
    """The array twin of :func:`finite_result`."""
    if not np.isfinite(array).all():
        raise ValueError(f"{what} too large to represent")
    return array


def _label_kind(item) -> str | None:
    """ "text" for a string, "number" for a real number or bool, else None."""
    if isinstance(item, str):
        return "text"
    if isinstance(item, numbers.Real | np.bool_):
        return "number"
    return None


def check_labels(items, name: str) -> str:
    """Check a collection of single labels by the label rules; return its kind.

    For labels held in Python collections (see :func:`as_label_array` for
    sequences): every item a string, or every item a number; numbers finite.
    Raises TypeError for another kind of item or a mix, ValueError for a
    label that is NaN, infinite or too large for a float. Returns "text" or
    "number" ("text" for no items).
    """
    kinds = set()
    for item in items:
        kind = _label_kind(item)
        if kind is None:
            raise TypeError(f"{name} must hold strings or numbers, found {_type_name(item)}")
        if kind == "number" and not math.isfinite(_to_float(item, name)):
            raise ValueError(f"{name} must not contain NaN or infinities")
        kinds.add(kind)
    if len(kinds) > 1:
        raise TypeError(f"{name} must not mix strings with other labels")
    return kinds.pop() if kinds else "text"


#: A float holds every integer up to 2**53 exactly, and rounds some beyond.
EXACT_FLOAT_INTEGERS = 2**53


def _rounded_ints(items, array: np.ndarray) -> bool:
    """Whether numpy may have rounded an int of *items* into the float *array*.

    numpy turns ints mixed with floats (or negative ints with ints of 2**63
    and more) into floats, which would make 2**64 and 2**64 + 1 one label.
    """
    # The cheap test first: such an int is at least 2**53 as a float too.
    return np.abs(array).max() >= EXACT_FLOAT_INTEGERS and any(
        isinstance(item, numbers.Integral) and abs(item) > EXACT_FLOAT_INTEGERS for item in items
    )


def _python_numbers(items, name: str) -> np.ndarray:
    """Number labels as an object array of Python ints and floats.

    Python compares ints and floats exactly, and numpy's ==, unique and sort
    use those comparisons on an object array: 2**64 and 2**64 + 1 stay two
    labels. Bools count as the ints 0 and 1.
    """
    check_labels(items, name)
    return np.array(
        [
            int(item) if isinstance(item, numbers.Integral | np.bool_) else float(item)
            for item in items
        ],
        dtype=object,
    )


def as_label_array(values, name: str) -> np.ndarray:
    """Return *values* as a non-empty 1-D array of class labels.

    Labels follow one rule everywhere: strings, or numbers (ints, finite
    floats, and bools, which count as 0 and 1), one kind per sequence. Mixing
    kinds is refused: numpy would silently turn ``[1, "1"]`` into two equal
    strings.

    Numbers are kept as given: where numpy would store ints as floats that
    may round them (beyond 2**53), or as objects (beyond 64 bits), the
    array holds Python ints and floats (dtype object), which compare
    exactly: 2**64 and 2**64 + 1 stay two labels.

    Raises TypeError for a non-sequence, ``None`` or mixed kinds of label;
    ValueError for empty or multi-dimensional input and for NaN, infinite or
    overflowing numbers.
    """
    sequence(values, name, "a sequence of labels")
    try:
        array = _asarray(values)
    except (TypeError, ValueError, _Ragged) as error:
        raise TypeError(f"{name} must be a sequence of single labels") from error
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got {array.ndim} dimensions")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    if array.dtype.kind == "O":
        # A pandas column of strings, None, or ints beyond 64 bits: check
        # each label, then let numpy store them as strings or numbers.
        check_labels(array, name)
        values = array.tolist()
        array = np.asarray(values)
    kind = array.dtype.kind
    if kind == "U" and not isinstance(values, np.ndarray):
        # numpy turns numbers mixed with strings into strings: look again.
        check_labels(values, name)
    elif kind == "O" or (
        kind == "f" and not isinstance(values, np.ndarray) and _rounded_ints(values, array)
    ):
        array = _python_numbers(values, name)
    elif kind == "b":
        # Bools are the numbers 0 and 1 (and numpy cannot compare a bool
        # array with an int beyond 64 bits).
        array = np.asarray(array, dtype=np.int64)
    elif kind not in ("i", "u", "f", "U"):
        raise TypeError(f"{name} must hold strings or numbers, got dtype {array.dtype}")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(f"{name} must not contain NaN or infinities")
    return array


def same_length(first, first_name: str, second, second_name: str) -> None:
    """Raise ValueError, naming *second_name*, unless both are as long."""
    if len(first) != len(second):
        raise ValueError(
            f"{second_name} must have the same length as {first_name}: "
            f"{len(second)} != {len(first)}"
        )


def label_pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    """Check true and predicted labels: two label arrays, as long, one kind."""
    y_true = as_label_array(y_true, "y_true")
    y_pred = as_label_array(y_pred, "y_pred")
    same_length(y_true, "y_true", y_pred, "y_pred")
    if (y_true.dtype.kind == "U") != (y_pred.dtype.kind == "U"):
        raise TypeError("y_pred must hold the same kind of labels as y_true (strings or numbers)")
    return y_true, y_pred


def label_like(value, name: str, *label_arrays: np.ndarray):
    """Return *value* checked as a label comparable with *label_arrays*.

    A string label goes with string arrays and a number (or bool) with
    numeric ones; anything else raises TypeError. If the arrays hold exactly
    two distinct labels, the task is binary and *value* must be one of them:
    anything else is almost surely a typo, and ValueError says so. (With one
    distinct label, *value* may simply be absent because every example is
    negative; with three or more, it may be a class this sample lacks.)
    """
    is_text = label_arrays[0].dtype.kind == "U"
    kind = check_labels([value], name)
    if is_text and kind != "text":
        raise TypeError(f"{name} must be a string, like the labels, not {_type_name(value)}")
    if not is_text and kind != "number":
        raise TypeError(f"{name} must be a number, like the labels, not {_type_name(value)}")
    present = np.unique(np.concatenate(label_arrays))
    if present.size == 2 and not (present == value).any():
        shown = ", ".join(repr(label) for label in present.tolist())
        raise ValueError(f"{name} must be one of the labels present ({shown}), got {value!r}")
    return value
