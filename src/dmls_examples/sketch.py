"""Percentiles in bounded memory: a mergeable, relative-error quantile sketch.

Exact percentiles need every value: a fleet's p99 cannot be computed from the
servers' p99s, and ten million latencies take 80 MB to sort. A quantile
sketch keeps a small summary instead. :class:`QuantileSketch` follows the
design of DDSketch (Masson, Rim and Lee, 2019): for a relative accuracy
``a``, set ``gamma = (1 + a) / (1 - a)`` and count each positive value ``x``
in the bucket ``i = ceil(log(x) / log(gamma))``, which covers
``(gamma**(i-1), gamma**i]``. The bucket's representative
``r = 2 * gamma**i / (gamma + 1)`` is within a relative error ``a`` of every
value ``x`` in it, ``|r - x| <= a * x``, so the sketch can answer any
percentile to within ``a``, relatively, with one counter per bucket. Zeros
have a bucket of their own. Two sketches with the same accuracy merge by
adding their counters, and the merged sketch has exactly the counters, and
so the percentiles, of a sketch of all the values (its mean can differ in
the last digits).

Covering 1 microsecond to 1 hour at 1% takes about 1,100 buckets; the
number of buckets grows with the logarithm of the range of the values, never
with how many there are.

The binary format of :meth:`QuantileSketch.to_bytes`, version 1, all
integers and floats little-endian:

========  =====  ===============================================
offset    bytes  field
========  =====  ===============================================
0         4      magic ``b"DMQS"``
4         1      format version, 1
5         3      reserved, zero
8         8      relative accuracy (float64)
16        8      count of values (uint64)
24        8      count in the zero bucket (uint64)
32        8      minimum (float64; 0 when empty)
40        8      maximum (float64; 0 when empty)
48        8      mean (float64; 0 when empty)
56        8      index of the first bucket (int64)
64        4      number of buckets ``m`` (uint32)
68        8 m    bucket counts, first to last (uint64 each)
========  =====  ===============================================

The first and last bucket counts are not zero (buckets are trimmed), and the
bucket counts plus the zero count add up to the count.
"""

from __future__ import annotations

import math
import struct

import numpy as np

from dmls_examples._validation import as_real_array, in_interval
from dmls_examples.latency import _check_qs, _check_slo, _nearest_rank

__all__ = ["FORMAT_VERSION", "QuantileSketch", "dask_percentiles"]

#: Version of the binary format that :meth:`QuantileSketch.to_bytes` writes.
FORMAT_VERSION = 1

_MAGIC = b"DMQS"
_HEADER = struct.Struct("<4sB3xdQQdddqI")
#: Below the smallest normal float, log and exp lose relative precision, so
#: such values share the zero bucket (much as in DDSketch, whose threshold
#: is this times gamma).
_TINY = float(np.finfo(np.float64).tiny)
#: Buckets are built for an accuracy a millionth tighter than asked, so that
#: rounding in log and exp can never push an estimate past the promise.
_MARGIN = 1e-6
#: Values are bucketed in blocks of this many, so each block stays in cache.
_BLOCK = 1 << 16
#: Finer than 0.1%, the buckets would outnumber what a sketch is for.
_MIN_ACCURACY = 1e-3
_LOG_MAX = math.log(np.finfo(np.float64).max)


def _accuracy(value) -> float:
    return in_interval(value, "relative_accuracy", _MIN_ACCURACY, 1, open_high=True)


class QuantileSketch:
    """A mergeable sketch of non-negative values with relative-error percentiles.

    For every q, :meth:`percentiles` returns a value within
    *relative_accuracy* (relatively) of the exact nearest-rank percentile of
    every value added, as :func:`~dmls_examples.latency.percentiles` computes
    it, whatever the order of adds and merges. The 0th and 100th percentiles
    are the exact minimum and maximum. Values below 2.2e-308 (subnormal
    floats) count as zero.

    Args:
        relative_accuracy: The promised relative error, in [0.001, 1).

    Raises:
        TypeError: If *relative_accuracy* is not a real number.
        ValueError: If it lies outside [0.001, 1).

    Examples:
        A hundred thousand request latencies, with a median near 50 ms; the
        sketch's percentiles are each within 1% of the exact ones:

        >>> import numpy as np
        >>> from dmls_examples.latency import percentiles
        >>> latencies = np.random.default_rng(0).lognormal(np.log(50), 0.5, 100_000)
        >>> sketch = QuantileSketch(relative_accuracy=0.01)
        >>> sketch.add(latencies)
        >>> exact = percentiles(latencies, (50, 99))
        >>> estimate = sketch.percentiles((50, 99))
        >>> {q: round(exact[q], 2) for q in exact}
        {50: 49.9, 99: 160.51}
        >>> {q: round(estimate[q], 2) for q in estimate}
        {50: 49.9, 99: 159.19}

        Another server's sketch merges in, which no pair of percentiles can:

        >>> other = QuantileSketch(relative_accuracy=0.01)
        >>> other.add([15.0, 30.0, 2_000.0])
        >>> sketch.merge(other)
        >>> sketch.count, sketch.max
        (100003, 2000.0)
    """

    __slots__ = ("_accuracy", "_count", "_counts", "_max", "_mean", "_min", "_offset", "_zero")

    def __init__(self, *, relative_accuracy=0.01):
        self._accuracy = _accuracy(relative_accuracy)
        self._counts = np.zeros(0, dtype=np.int64)
        self._offset = 0
        self._zero = 0
        self._count = 0
        self._min = 0.0
        self._max = 0.0
        self._mean = 0.0

    # -- the bucket mapping ---------------------------------------------------

    @property
    def _gamma(self) -> float:
        inner = self._accuracy * (1 - _MARGIN)
        return (1 + inner) / (1 - inner)

    def _keys(self, values: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Bucket index of each positive normal value, written into *out*."""
        np.log(values, out=out)
        np.multiply(out, 1 / math.log(self._gamma), out=out)
        np.ceil(out, out=out)
        return out.astype(np.int64)

    def _key(self, value: float) -> int:
        return int(self._keys(np.array([value]), np.empty(1))[0])

    def _estimate(self, key: int) -> float:
        """The bucket's representative, ``2 gamma**key / (gamma + 1)``, within [min, max]."""
        gamma = self._gamma
        exponent = key * math.log(gamma) + math.log(2 / (gamma + 1))
        value = math.exp(exponent) if exponent < _LOG_MAX else self._max
        return min(max(value, self._min), self._max)

    # -- public API -----------------------------------------------------------

    @property
    def relative_accuracy(self) -> float:
        """The promised relative error of every percentile."""
        return self._accuracy

    @property
    def count(self) -> int:
        """How many values the sketch holds."""
        return self._count

    @property
    def min(self) -> float:
        """The smallest value added (exact); ValueError if the sketch is empty."""
        self._require_values("min")
        return self._min

    @property
    def max(self) -> float:
        """The largest value added (exact); ValueError if the sketch is empty."""
        self._require_values("max")
        return self._max

    @property
    def mean(self) -> float:
        """The mean of the values added, up to rounding; ValueError if empty."""
        self._require_values("mean")
        return self._mean

    def _require_values(self, what: str) -> None:
        if self._count == 0:
            raise ValueError(f"the sketch is empty: add values before asking for its {what}")

    def add(self, values) -> None:
        """Add a sequence or 1-D array of non-negative numbers.

        Args:
            values: Finite, non-negative numbers; an empty sequence adds
                nothing.

        Raises:
            TypeError: If *values* is not a sequence of numbers.
            ValueError: If it holds NaN, infinities or negative numbers, or is
                not one-dimensional.
        """
        self._add(values, "values")

    def _add(self, values, name: str) -> None:
        """:meth:`add`, with errors that call *values* by *name*."""
        if _is_empty_sequence(values):
            return
        array = as_real_array(values, name, nonnegative=True)
        low, high = float(array.min()), float(array.max())
        if high < _TINY:
            positive, zeros = array[:0], array.size
        elif low < _TINY:
            positive = array[array >= _TINY]
            zeros = array.size - positive.size
        else:
            positive, zeros = array, 0
        self._bucket(positive)
        self._zero += zeros
        self._combine(array.size, low, high, _mean(array, high))

    def _bucket(self, positive: np.ndarray) -> None:
        buffer = np.empty(min(_BLOCK, positive.size))
        for start in range(0, positive.size, _BLOCK):
            block = positive[start : start + _BLOCK]
            keys = self._keys(block, buffer[: block.size])
            first, last = int(keys.min()), int(keys.max())
            self._cover(first, last)
            begin = first - self._offset
            self._counts[begin : begin + last - first + 1] += np.bincount(keys - first)

    def _cover(self, first: int, last: int) -> None:
        """Grow the dense store so that it has a counter for keys first..last."""
        if self._counts.size == 0:
            self._counts = np.zeros(last - first + 1, dtype=np.int64)
            self._offset = first
            return
        low = min(first, self._offset)
        high = max(last, self._offset + self._counts.size - 1)
        if low == self._offset and high == self._offset + self._counts.size - 1:
            return
        grown = np.zeros(high - low + 1, dtype=np.int64)
        start = self._offset - low
        grown[start : start + self._counts.size] = self._counts
        self._counts, self._offset = grown, low

    def _combine(self, n: int, low: float, high: float, mean: float) -> None:
        """Fold the count, extremes and mean of *n* new values into the sketch."""
        if self._count == 0:
            self._min, self._max, self._mean = low, high, mean
        else:
            self._min, self._max = min(self._min, low), max(self._max, high)
            # A weighted step between the means, never a sum that can overflow.
            self._mean += (mean - self._mean) * (n / (self._count + n))
        self._count += n
        self._mean = min(max(self._mean, self._min), self._max)

    def merge(self, other) -> None:
        """Add every value of sketch *other* to this one.

        The result is the sketch of both sets of values: the same buckets,
        count, minimum, maximum and percentiles as if every value had been
        added here (the mean can differ in its last digits).

        Args:
            other: A :class:`QuantileSketch` with the same relative accuracy.

        Raises:
            TypeError: If *other* is not a QuantileSketch.
            ValueError: If its relative accuracy differs.
        """
        if not isinstance(other, QuantileSketch):
            raise TypeError(f"other must be a QuantileSketch, not {type(other).__name__}")
        if other._accuracy != self._accuracy:
            raise ValueError(
                f"other must have the same relative_accuracy: {other._accuracy!r} != "
                f"{self._accuracy!r}"
            )
        if other._count == 0:
            return
        counts, offset = other._counts.copy(), other._offset
        if counts.size:
            self._cover(offset, offset + counts.size - 1)
            begin = offset - self._offset
            self._counts[begin : begin + counts.size] += counts
        self._zero += other._zero
        self._combine(other._count, other._min, other._max, other._mean)

    def percentiles(self, qs=(50, 90, 95, 99)) -> dict:
        """Estimate the nearest-rank percentiles *qs* of every value added.

        The q-th percentile of n values is the value at 1-based rank
        ``ceil(q * n / 100)`` (at least 1), computed exactly, as
        :func:`~dmls_examples.latency.percentiles` does by default. The sketch
        finds the bucket that holds that rank and returns the bucket's
        representative, whose error relative to any value in the bucket is at
        most *relative_accuracy*, so relative to the exact percentile too.
        Rank 1 and rank n return the exact minimum and maximum.

        Args:
            qs: Percentiles to estimate, each in [0, 100].

        Returns:
            A dict mapping each q in *qs* to its estimate, as a float.

        Raises:
            TypeError: If *qs* holds non-numbers.
            ValueError: If a q lies outside [0, 100] or the sketch is empty.
        """
        qs = _check_qs(qs)
        self._require_values("percentiles")
        cumulative = np.cumsum(self._counts)
        return {q: self._value_at_rank(_nearest_rank(self._count, q), cumulative) for q in qs}

    def _value_at_rank(self, rank: int, cumulative: np.ndarray) -> float:
        if rank == 1:
            return self._min
        if rank == self._count:
            return self._max
        if rank <= self._zero:
            return min(max(0.0, self._min), self._max)
        bucket = int(np.searchsorted(cumulative, rank - self._zero))
        return self._estimate(self._offset + bucket)

    def meets_slo(self, threshold, *, percentile=99.0) -> bool:
        """Tell whether the estimated nearest-rank *percentile* is at most *threshold*.

        Like :func:`~dmls_examples.latency.meets_slo` on the values added,
        except within *relative_accuracy* of the threshold, where the estimate
        may fall on either side of it.

        Raises:
            TypeError: If an argument is not a real number.
            ValueError: If *threshold* is negative, *percentile* lies outside
                (0, 100], or the sketch is empty.
        """
        threshold, percentile = _check_slo(threshold, percentile)
        return self.percentiles((percentile,))[percentile] <= threshold

    # -- serialisation --------------------------------------------------------

    def to_bytes(self) -> bytes:
        """Serialise the sketch in the versioned binary format (see the module)."""
        counts = self._counts
        if counts.size:
            nonzero = np.flatnonzero(counts)
            counts = counts[nonzero[0] : nonzero[-1] + 1]
            offset = self._offset + int(nonzero[0])
        else:
            offset = 0
        header = _HEADER.pack(
            _MAGIC,
            FORMAT_VERSION,
            self._accuracy,
            self._count,
            self._zero,
            self._min,
            self._max,
            self._mean,
            offset,
            counts.size,
        )
        return header + counts.astype("<u8").tobytes()

    @classmethod
    def from_bytes(cls, data) -> QuantileSketch:
        """Rebuild a sketch from :meth:`to_bytes` output.

        Raises:
            TypeError: If *data* is not bytes-like.
            ValueError: If *data* is not a valid sketch of a known version.
        """
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data must be bytes, not {type(data).__name__}")
        data = bytes(data)
        if len(data) < _HEADER.size or data[:4] != _MAGIC:
            raise ValueError("data is not a serialised QuantileSketch")
        if data[4] != FORMAT_VERSION:
            raise ValueError(f"data has format version {data[4]}; this version reads only 1")
        fields = _HEADER.unpack_from(data)
        _, _, accuracy, total, zero, low, high, mean, offset, size = fields
        if data[5:8] != b"\0\0\0" or len(data) != _HEADER.size + 8 * size:
            raise ValueError("data is corrupt: its length does not match its bucket count")
        try:
            sketch = cls(relative_accuracy=accuracy)
        except (TypeError, ValueError) as error:
            raise ValueError(f"data is corrupt: {error}") from None
        counts = np.frombuffer(data, dtype="<u8", offset=_HEADER.size)
        _check_state(sketch, counts, offset, total, zero, (low, high, mean))
        sketch._counts = counts.astype(np.int64)
        sketch._offset, sketch._count, sketch._zero = offset, total, zero
        sketch._min, sketch._max, sketch._mean = low, high, mean
        return sketch

    def __reduce__(self):
        # Dask and multiprocessing pickle sketches: send the compact bytes.
        return (_from_bytes, (self.to_bytes(),))

    def __eq__(self, other) -> bool:
        if not isinstance(other, QuantileSketch):
            return NotImplemented
        return self.to_bytes() == other.to_bytes()

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        return f"QuantileSketch(relative_accuracy={self._accuracy!r}) with {self._count:,} values"


def _from_bytes(data: bytes) -> QuantileSketch:
    return QuantileSketch.from_bytes(data)


def _check_state(sketch, counts, offset, total, zero, extremes) -> None:
    """Raise ValueError unless deserialised fields describe a possible sketch."""
    low, high, mean = extremes
    problems = []
    if not all(math.isfinite(v) and v >= 0 for v in extremes):
        problems.append("minimum, maximum and mean must be finite and non-negative")
    elif total and not low <= mean <= high:
        problems.append("the mean must lie between the minimum and the maximum")
    if total >= 2**63:
        problems.append("the count is beyond what a sketch can hold")
    elif int(counts.sum(dtype=np.uint64)) + zero != total or (counts.size and counts.max() > total):
        problems.append("the bucket counts do not add up to the count")
    if total == 0 and (low, high, mean, counts.size) != (0.0, 0.0, 0.0, 0):
        problems.append("an empty sketch must have no buckets and zero extremes")
    if counts.size and (counts[0] == 0 or counts[-1] == 0):
        problems.append("the first and last buckets must not be empty")
    if not problems and counts.size:
        if high < _TINY or sketch._key(high) != offset + counts.size - 1:
            problems.append("the maximum does not lie in the last bucket")
        elif zero == 0 and sketch._key(low) != offset:
            problems.append("the minimum does not lie in the first bucket")
    if not problems and zero and low >= _TINY:
        problems.append("the zero bucket is not empty but the minimum is positive")
    if problems:
        raise ValueError(f"data is corrupt: {problems[0]}")


def _is_empty_sequence(values) -> bool:
    if isinstance(values, np.ndarray):
        return values.size == 0 and values.ndim == 1 and values.dtype.kind in "iuf"
    return isinstance(values, (list, tuple, range)) and len(values) == 0


def _mean(array: np.ndarray, high: float) -> float:
    """Mean of non-negative *array* whose maximum is *high*, without overflow."""
    if high < 1e300:
        return float(array.mean())
    scale = 2.0**-64
    return float((array * scale).mean()) / scale


_DASK_EXTRA = 'python3 -m pip install ".[dask]" (in a clone of the repository)'


def _import_dask():
    try:
        import dask
    except ImportError as error:
        raise ImportError(f"dask_percentiles needs Dask; install it with: {_DASK_EXTRA}") from error
    return dask


#: What a NaN in a DataFrame column usually is, and what to do about it.
_NAN_IN_A_COLUMN = (
    "; a DataFrame column holds NaN where a cell was empty, as for a request "
    "that failed: drop those rows (.dropna()) or fill them first"
)


def _sketch_block(block, relative_accuracy: float) -> QuantileSketch:
    """Sketch one Dask block or partition, on the worker that holds it."""
    sketch = QuantileSketch(relative_accuracy=relative_accuracy)
    column = hasattr(block, "to_numpy")  # a pandas Series
    if column:
        block = block.to_numpy(dtype=np.float64, na_value=np.nan)
    try:
        sketch._add(np.ravel(np.asarray(block)), "collection")
    except ValueError as error:
        if column and str(error) == "collection must not contain NaN":
            raise ValueError(f"{error}{_NAN_IN_A_COLUMN}") from None
        raise
    return sketch


def _merge_all(*sketches: QuantileSketch) -> QuantileSketch:
    merged = QuantileSketch(relative_accuracy=sketches[0].relative_accuracy)
    for sketch in sketches:
        merged.merge(sketch)
    return merged


#: How many sketches one task of the tree reduction merges.
_SPLIT_EVERY = 8


def dask_percentiles(collection, qs=(50, 90, 95, 99), *, relative_accuracy=0.01) -> dict:
    """Nearest-rank percentiles of a Dask array or Dask DataFrame column, in one pass.

    Each block (array) or partition (column) is sketched by a task on the
    worker that holds it; the sketches, a few kilobytes each, are then merged
    in a tree of tasks that each merge up to eight (Dask DataFrame's own
    reductions combine eight at a time; Dask array's default has changed
    between versions), and
    only the final sketch comes back. The result is what
    :meth:`QuantileSketch.percentiles` gives for all the values, so each
    estimate lies within *relative_accuracy* of the exact nearest-rank
    percentile. It runs on whichever scheduler is active: threads by
    default, or a ``distributed`` cluster once a ``Client`` exists.

    Needs the ``dask`` extra: ``python3 -m pip install ".[dask]"`` in a clone of the repository.

    Args:
        collection: A Dask array (of any shape; every element counts) or a
            Dask Series of non-negative numbers.
        qs: Percentiles to estimate, each in [0, 100].
        relative_accuracy: The sketch's relative accuracy, in [0.001, 1).

    Returns:
        A dict mapping each q in *qs* to its estimate, like
        :func:`~dmls_examples.latency.percentiles`.

    Raises:
        ImportError: If Dask is not installed.
        TypeError: If *collection* is not a Dask array or Series, or holds
            non-numbers.
        ValueError: If it is empty or holds NaN, infinities or negative
            values, or if *qs* or *relative_accuracy* are out of range.

    Examples:
        >>> import dask.array as da
        >>> latencies = da.from_array([12.0, 15.0, 11.0, 250.0, 13.0, 14.0], chunks=2)
        >>> {q: round(v, 1) for q, v in dask_percentiles(latencies, (50, 100)).items()}
        {50: 13.1, 100: 250.0}
    """
    dask = _import_dask()
    qs = _check_qs(qs)
    relative_accuracy = _accuracy(relative_accuracy)
    blocks = _blocks(collection)
    tasks = [dask.delayed(_sketch_block)(block, relative_accuracy) for block in blocks]
    while len(tasks) > 1:
        tasks = [
            dask.delayed(_merge_all)(*tasks[i : i + _SPLIT_EVERY])
            for i in range(0, len(tasks), _SPLIT_EVERY)
        ]
    (sketch,) = dask.compute(*tasks)
    if sketch.count == 0:
        raise ValueError("collection must not be empty")
    return sketch.percentiles(qs)


def _blocks(collection) -> list:
    """The delayed blocks of a Dask array or partitions of a Dask Series."""
    import dask.array as da

    if isinstance(collection, da.Array):
        if collection.dtype.kind not in "iuf":
            raise TypeError(f"collection must hold numbers, got dtype {collection.dtype}")
        return list(collection.to_delayed().ravel())
    try:
        import dask.dataframe as dd
    except ImportError:
        dd = None
    if dd is not None and isinstance(collection, dd.Series):
        if collection.dtype.kind not in "iuf":
            raise TypeError(f"collection must hold numbers, got dtype {collection.dtype}")
        return list(collection.to_delayed())
    if dd is not None and isinstance(collection, dd.DataFrame):
        raise TypeError("collection must be one column: pass df[name], not the whole DataFrame")
    kind = type(collection).__name__
    raise TypeError(f"collection must be a Dask array or a Dask DataFrame column, not {kind}")
