"""Input checks shared by every public function.

Each helper raises ``TypeError`` for a value of the wrong kind and
``ValueError`` for a value of the right kind that is out of range, and names
the argument in the message, so a caller sees at once which input is wrong.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def _numeric_array(values, name: str, ndim: int) -> np.ndarray:
    """Return *values* as a non-empty float array of *ndim* dimensions.

    Raises TypeError for strings, ragged or non-numeric data and booleans,
    ValueError for the wrong number of dimensions or no elements.
    """
    shape = {1: "a sequence of numbers", 2: "a table of numbers"}[ndim]
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be {shape}, not {type(values).__name__}")
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be {shape} with rows of equal length") from error
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must contain only numbers, got dtype {array.dtype}")
    if array.ndim != ndim:
        words = {1: "one", 2: "two"}[ndim]
        raise ValueError(f"{name} must be {words}-dimensional, got {array.ndim} dimensions")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    return array.astype(np.float64, copy=False)


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
        raise ValueError(f"{name} must not contain negative values, found {low!r}")
    return array


def real(value, name: str) -> float:
    """Return *value* as a finite float; reject bools, strings and NaN."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, not {type(value).__name__}")
    value = float(value)
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


def probability(value, name: str, *, open_low: bool = False, open_high: bool = False) -> float:
    """Return *value* as a float in [0, 1]; either end may be excluded."""
    value = real(value, name)
    low_ok = value > 0 if open_low else value >= 0
    high_ok = value < 1 if open_high else value <= 1
    if not (low_ok and high_ok):
        interval = ("(" if open_low else "[") + "0, 1" + (")" if open_high else "]")
        raise ValueError(f"{name} must lie in {interval}, got {value!r}")
    return value


def count(value, name: str, *, minimum: int = 0) -> int:
    """Return *value* as an int of at least *minimum*; reject bools and floats."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def as_label_array(values, name: str) -> np.ndarray:
    """Return *values* as a non-empty 1-D array of class labels.

    Labels are integers, booleans, strings, or finite floats (0.0 and 1.0 are
    common). A sequence must not mix strings with other values: numpy would
    silently turn ``[1, "1"]`` into two equal strings.

    Raises TypeError for a single value, a string in place of a sequence,
    ``None`` or mixed kinds of label; ValueError for empty or
    multi-dimensional input and for NaN or infinite floats.
    """
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a sequence of labels, not {type(values).__name__}")
    if not isinstance(values, np.ndarray):
        try:
            items = list(values)
        except TypeError as error:
            raise TypeError(
                f"{name} must be a sequence of labels, not {type(values).__name__}"
            ) from error
        kinds = {isinstance(item, str) for item in items}
        if len(kinds) > 1:
            raise TypeError(f"{name} must not mix strings with other labels")
        values = items
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a sequence of labels") from error
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got {array.ndim} dimensions")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    if array.dtype.kind not in "biufU":
        raise TypeError(
            f"{name} must contain integers, booleans, strings or floats, got dtype {array.dtype}"
        )
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(f"{name} must not contain NaN or infinities")
    return array


def same_length(first: np.ndarray, first_name: str, second: np.ndarray, second_name: str) -> None:
    """Raise ValueError, naming *second_name*, unless both arrays are as long."""
    if len(first) != len(second):
        raise ValueError(
            f"{second_name} must have the same length as {first_name}: "
            f"{len(second)} != {len(first)}"
        )


def label_like(value, name: str, *label_arrays: np.ndarray):
    """Return *value* checked as a label comparable with *label_arrays*.

    A string label goes with string arrays and a number (or bool) with
    numeric ones; anything else raises TypeError. If the arrays hold exactly
    two distinct labels, the task is binary and *value* must be one of them:
    anything else is almost surely a typo, and ValueError says so. (With one
    distinct label, *value* may simply be absent because every example is
    negative; with three or more, it may be a class this sample lacks.)
    """
    textual = {array.dtype.kind == "U" for array in label_arrays}
    if len(textual) > 1:
        raise TypeError(f"{name}: the label arrays mix strings with numbers")
    is_text = textual.pop()
    if is_text and not isinstance(value, str):
        raise TypeError(f"{name} must be a string, like the labels, not {type(value).__name__}")
    if not is_text and not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, like the labels, not {type(value).__name__}")
    present = np.unique(np.concatenate(label_arrays))
    if present.size == 2 and not (present == value).any():
        shown = ", ".join(repr(label.item()) for label in present[:10])
        raise ValueError(f"{name} must be one of the labels present ({shown}), got {value!r}")
    return value


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
