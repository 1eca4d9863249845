"""Tests for dmls_examples.versioning: fingerprints of data and weights."""

import hashlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmls_examples.versioning import fingerprint

# An overflow or invalid operation the code should have handled is a failure.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

values = st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=50)


def test_same_numbers_same_fingerprint():
    assert fingerprint([1, 2, 3]) == fingerprint(np.array([1.0, 2.0, 3.0]))
    assert len(fingerprint([1])) == 12
    assert len(fingerprint([1], length=64)) == 64


@given(values)
def test_deterministic_and_hexadecimal(xs):
    first = fingerprint(xs)
    assert first == fingerprint(list(xs))
    int(first, 16)


@given(values, st.data())
def test_any_change_changes_the_fingerprint(xs, data):
    index = data.draw(st.integers(0, len(xs) - 1))
    changed = list(xs)
    changed[index] = xs[index] + 1.0 if abs(xs[index]) < 1e9 else 0.5
    if changed[index] == xs[index]:
        return
    assert fingerprint(changed) != fingerprint(xs)
    assert fingerprint([*xs, 0.0]) != fingerprint(xs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"values": []}, ValueError, "values must not be empty"),
        ({"values": ["a"]}, TypeError, "values"),
        ({"values": [np.nan]}, ValueError, "values must not contain NaN"),
        ({"values": [1], "length": 4}, ValueError, "length must be at least 8"),
        ({"values": [1], "length": 65}, ValueError, "length must be at most 64"),
        ({"values": [1], "length": 8.0}, TypeError, "length must be an integer"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=rf"^{match}"):
        fingerprint(**kwargs)


def test_fixed_digests():
    """Pinned: a change to the hashing changes every stored fingerprint."""
    assert fingerprint([1, 2, 3]) == "6a3137dfbb2f"
    assert fingerprint([1, 2, 3], length=8) == "6a3137df"
    assert fingerprint([1.5, -2.25], length=8) == "b6271c6d"
    full = fingerprint([1, 2, 3], length=64)
    assert full == "6a3137dfbb2f7daa074a832223e7545ed794edb6b1b94601da152d6475a55287"


def test_digest_is_sha256_of_count_and_little_endian_floats():
    values = np.array([0.1, -7.0, 1e300])
    expected = hashlib.sha256(b"3:" + values.astype("<f8").tobytes()).hexdigest()
    assert fingerprint(values, length=64) == expected
    assert fingerprint(values, length=9) == expected[:9]


def test_negative_zero_is_zero():
    assert fingerprint([-0.0, 1.0]) == fingerprint([0.0, 1.0]) == fingerprint([0, 1])


def test_length_bounds_are_inclusive():
    assert len(fingerprint([1], length=8)) == 8
    assert len(fingerprint([1], length=64)) == 64


def test_default_length_is_twelve():
    assert fingerprint([1, 2, 3]) == fingerprint([1, 2, 3], length=12)


def test_integers_a_float_cannot_hold_are_hashed_exactly():
    """Nanosecond timestamps and 64-bit ids differ below a float's precision."""
    stamps = np.array([1_700_000_000_123_456_789, 1_700_000_000_223_456_789], dtype=np.int64)
    moved = stamps.copy()
    moved[0] += 100
    assert fingerprint(moved) != fingerprint(stamps)
    assert fingerprint(stamps) == fingerprint(stamps.tolist())
    assert fingerprint([10**17]) != fingerprint([10**17 + 1])
    assert fingerprint([2**53 + 1, 2]) == "80e516272eca"
    expected = hashlib.sha256(b"2:int:9007199254740993,2").hexdigest()[:12]
    assert fingerprint([2**53 + 1, 2]) == expected
    # Integers floats hold exactly keep the float digest, large or small.
    assert fingerprint([2**60]) == fingerprint([2.0**60])
    assert fingerprint([2**53 + 1, 0.5]) != fingerprint([2**53, 0.5])

    # Equal numbers stay equal beside such an integer: 1 and 1.0, 0.0 and -0.0.
    big = 2**53 + 1
    assert fingerprint([big, 1]) == fingerprint([big, 1.0]) == fingerprint([big, np.float64(1)])
    assert fingerprint([big, 0.0]) == fingerprint([big, -0.0])
    assert fingerprint(np.array([big, 2], dtype=np.int64)) == fingerprint([big, 2])
    # An integer array that floats hold exactly keeps the float digest too.
    assert fingerprint(np.array([2**60], dtype=np.int64)) == fingerprint([2.0**60])
    # A fraction beside a large integer is written in full.
    assert fingerprint([big, 0.5]) != fingerprint([big, 0.25])
    expected = hashlib.sha256(b"2:int:9007199254740993,0.5").hexdigest()[:12]
    assert fingerprint([big, 0.5]) == expected
