"""Fingerprints: short names for exact versions of data and model weights.

In traditional software the code decides the behaviour, and a commit hash
names a version of it. In an ML system the same code trained on different
data gives a different model, so the data and the trained weights need
version names of their own. A fingerprint is such a name: a hash of the
exact numbers, which changes when any of them changes.
"""

from __future__ import annotations

import hashlib
import numbers

import numpy as np

from dmls_examples._validation import EXACT_FLOAT_INTEGERS, as_real_array, count

__all__ = ["fingerprint"]


def fingerprint(values, *, length=12) -> str:
    """A short hexadecimal SHA-256 digest of a sequence of numbers.

    The numbers are converted to 64-bit floats, so ``[1, 2]`` and
    ``[1.0, 2.0]`` share a fingerprint, and hashed together with their
    count. Integers a float cannot hold exactly (beyond 2**53, such as
    nanosecond timestamps or 64-bit ids) are hashed as the integers they
    are instead. Any change to any value, its position or the count gives a
    different fingerprint (barring a hash collision, which for SHA-256 is
    not a practical concern).

    Args:
        values: Non-empty sequence of finite numbers, such as a column of
            training labels or a model's weights.
        length: Number of hex digits to keep, from 8 to 64.

    Returns:
        The first *length* hex digits of the digest.

    Raises:
        TypeError: If *values* is not a sequence of numbers or *length* is
            not an int.
        ValueError: If *values* is empty or holds NaN, infinities or numbers
            too large for a float, or *length* lies outside [8, 64].

    Examples:
        >>> fingerprint([1, 2, 3]) == fingerprint([1.0, 2.0, 3.0])
        True
        >>> fingerprint([1, 2, 3]) == fingerprint([1, 2, 4])
        False
    """
    array = as_real_array(values, "values").astype("<f8")
    length = count(length, "length", minimum=8, maximum=64)
    digest = hashlib.sha256()
    digest.update(str(array.size).encode())
    digest.update(b":")
    exact = _integers_floats_round(values, array)
    if exact is None:
        # -0.0 and 0.0 are equal numbers with different bytes; hash them alike.
        digest.update((array + 0.0).tobytes())
    else:
        digest.update(b"int:" + ",".join(exact).encode())
    return digest.hexdigest()[:length]


def _integers_floats_round(values, floats: np.ndarray) -> list[str] | None:
    """*values* written exactly, if a float cannot hold one of its integers.

    *floats* is *values* as checked floats. Only integers beyond 2**53 can
    round, so anything smaller, and any float array, gives None. Otherwise
    each value is written as the number it is: an integer, or a float that
    is one, as its digits ([1, 2.0] as "1", "2"); any other float by its
    shortest repr, with -0.0 as 0.
    """
    if float(np.abs(floats).max()) < EXACT_FLOAT_INTEGERS:
        return None
    if isinstance(values, np.ndarray):
        if values.dtype.kind not in "iu":
            return None
        # Integers that survive the trip through float64 unchanged need nothing.
        if np.array_equal(values.astype(np.float64).astype(values.dtype), values):
            return None
        return [str(item) for item in values.ravel().tolist()]
    items = np.asarray(values, dtype=object).ravel().tolist()
    if not any(isinstance(item, numbers.Integral) and int(item) != float(item) for item in items):
        return None
    return [_exactly(item) for item in items]


def _exactly(item) -> str:
    if isinstance(item, numbers.Integral):
        return str(int(item))
    number = float(item)  # -0.0 is an integer, written 0
    return str(int(number)) if number.is_integer() else repr(number)
