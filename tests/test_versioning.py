"""Tests for dmls_examples.versioning: fingerprints of data and weights."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dmls_examples.versioning import fingerprint

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
    with pytest.raises(error, match=match):
        fingerprint(**kwargs)
