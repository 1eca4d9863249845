"""QuantileSketch: the relative-error promise, merging, bytes, and bad input."""

import math
import pickle
import struct

import numpy as np
import pytest
from ddsketch import DDSketch
from hypothesis import given, settings
from hypothesis import strategies as st

from dmls_examples.latency import percentiles
from dmls_examples.sketch import FORMAT_VERSION, QuantileSketch

QS = (0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100)

latency_values = st.floats(
    min_value=0, max_value=1e300, allow_nan=False, allow_infinity=False, allow_subnormal=False
)
samples = st.lists(st.one_of(latency_values, st.sampled_from([0.0, 1.0, 20.0])), min_size=1)
accuracies = st.sampled_from([0.001, 0.01, 0.05, 0.2, 0.9])


def sketch_of(values, accuracy=0.01) -> QuantileSketch:
    sketch = QuantileSketch(relative_accuracy=accuracy)
    sketch.add(values)
    return sketch


def assert_within(estimates: dict, exact: dict, accuracy: float) -> None:
    for q, value in exact.items():
        assert abs(estimates[q] - value) <= accuracy * value, (q, estimates[q], value)


# -- the guarantee --------------------------------------------------------------


# The guarantee is the sketch's reason to exist: three and two times the
# profile's examples (tests/conftest.py), 300 and 200 in CI.
@settings(max_examples=3 * settings.default.max_examples, deadline=None)
@given(samples, st.lists(st.floats(0, 100), min_size=1, max_size=5), accuracies)
def test_every_percentile_within_relative_accuracy_of_nearest_rank(values, qs, accuracy):
    exact = percentiles(values, qs)
    assert_within(sketch_of(values, accuracy).percentiles(qs), exact, accuracy)


@settings(max_examples=2 * settings.default.max_examples, deadline=None)
@given(samples, st.data(), accuracies)
def test_guarantee_holds_whatever_the_order_of_adds_and_merges(values, data, accuracy):
    order = data.draw(st.permutations(values))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(values)), max_size=6)))
    parts = [order[a:b] for a, b in zip([0, *cuts], [*cuts, len(values)], strict=True)]
    sketches = [sketch_of(part, accuracy) for part in parts]
    merged = QuantileSketch(relative_accuracy=accuracy)
    for sketch in data.draw(st.permutations(sketches)):
        merged.merge(sketch)
    assert merged.count == len(values)
    assert_within(merged.percentiles(QS), percentiles(values, QS), accuracy)


@given(samples)
def test_min_max_and_the_end_percentiles_are_exact(values):
    sketch = sketch_of(values)
    assert (sketch.min, sketch.max) == (min(values), max(values))
    assert sketch.percentiles((0, 100)) == {0: min(values), 100: max(values)}


@given(samples)
def test_mean_lies_between_min_and_max_and_near_the_true_mean(values):
    sketch = sketch_of(values)
    assert sketch.min <= sketch.mean <= sketch.max
    assert math.isclose(sketch.mean, math.fsum(values) / len(values), rel_tol=1e-9)


def test_a_realistic_log_within_one_percent_at_every_percentile():
    rng = np.random.default_rng(3)
    latencies = np.concatenate(
        [rng.lognormal(np.log(40), 0.4, 200_000), rng.lognormal(np.log(400), 0.8, 4_000)]
    )
    qs = np.linspace(0, 100, 1001).tolist()
    assert_within(sketch_of(latencies).percentiles(qs), percentiles(latencies, qs), 0.01)


def test_a_worked_example_pins_the_bucket_representative():
    # 100 lies in bucket ceil(log(100) / log(gamma)) = 231 at 1%; its
    # range is (gamma**230, gamma**231] = (99.5, 101.5], its representative
    # 2 gamma**231 / (gamma + 1), about 100.49: 0.49% off, within 1%.
    sketch = sketch_of([1.0, 100.0, 100.0, 1000.0])
    gamma = (1 + 0.01 * (1 - 1e-6)) / (1 - 0.01 * (1 - 1e-6))
    assert math.ceil(math.log(100) / math.log(gamma)) == 231
    assert sketch.percentiles((50,))[50] == pytest.approx(2 * gamma**231 / (gamma + 1))
    assert sketch.percentiles((50,))[50] == pytest.approx(100.4941, abs=1e-4)


def test_zeros_have_their_own_bucket_and_come_back_exactly():
    sketch = sketch_of([0.0] * 60 + [5.0] * 40)
    assert sketch.percentiles((10, 60, 61, 100)) == {
        10: 0.0,
        60: 0.0,
        61: pytest.approx(5.0, rel=0.01),
        100: 5.0,
    }


def test_zeros_added_in_several_calls_all_count():
    sketch = sketch_of([0.0, 5.0])
    sketch.add([0.0, 0.0])
    # 0, 0, 0, 5: the nearest-rank p75 is the third value.
    assert sketch.percentiles((75,)) == {75: 0.0}
    assert sketch == sketch_of([0.0, 0.0, 0.0, 5.0])


def test_subnormal_values_count_as_zero_but_min_stays_exact():
    sketch = sketch_of([1e-320, 3e-320, 7.0, 8.0])
    assert sketch.min == 1e-320
    assert sketch.percentiles((50,))[50] == 1e-320  # the zero bucket, clamped to min


def test_the_largest_floats_give_finite_estimates():
    top = np.finfo(np.float64).max
    sketch = sketch_of([top, top / 2, top / 3, 1.0])
    estimates = sketch.percentiles((60, 80, 100))
    assert all(math.isfinite(v) for v in estimates.values())
    assert_within(estimates, percentiles([top, top / 2, top / 3, 1.0], (60, 80, 100)), 0.01)


# -- merging ----------------------------------------------------------------------


@settings(deadline=None)
@given(st.lists(samples, min_size=1, max_size=8))
def test_merging_part_sketches_equals_sketching_the_whole(parts):
    whole = sketch_of([v for part in parts for v in part])
    merged = QuantileSketch()
    for part in parts:
        merged.merge(sketch_of(part))
    assert (merged.count, merged.min, merged.max) == (whole.count, whole.min, whole.max)
    assert merged.percentiles(QS) == whole.percentiles(QS)
    assert math.isclose(merged.mean, whole.mean, rel_tol=1e-12)
    # Same buckets: the serialised forms differ at most in the mean's bits.
    assert merged.to_bytes()[:48] == whole.to_bytes()[:48]
    assert merged.to_bytes()[56:] == whole.to_bytes()[56:]


def test_merge_with_itself_doubles_every_count():
    sketch = sketch_of([1.0, 2.0, 3.0])
    sketch.merge(sketch)
    assert sketch.count == 6
    assert sketch.percentiles((50,)) == sketch_of([1, 1, 2, 2, 3, 3]).percentiles((50,))


def test_merging_an_empty_sketch_changes_nothing():
    sketch = sketch_of([4.0, 5.0])
    before = sketch.to_bytes()
    sketch.merge(QuantileSketch())
    assert sketch.to_bytes() == before
    empty = QuantileSketch()
    empty.merge(sketch)
    assert empty == sketch


def test_merging_different_accuracies_is_a_value_error():
    with pytest.raises(ValueError, match="other must have the same relative_accuracy"):
        QuantileSketch(relative_accuracy=0.01).merge(QuantileSketch(relative_accuracy=0.02))


@pytest.mark.parametrize(
    ("other", "kind"), [(None, "NoneType"), ([1.0], "list"), (0.01, "float"), ("sketch", "str")]
)
def test_merging_a_non_sketch_is_a_type_error(other, kind):
    with pytest.raises(TypeError, match=rf"^other must be a QuantileSketch, not {kind}$"):
        QuantileSketch().merge(other)


# -- bytes ----------------------------------------------------------------------


@settings(deadline=None)
@given(samples, accuracies)
def test_bytes_round_trip_preserves_everything(values, accuracy):
    sketch = sketch_of(values, accuracy)
    copy = QuantileSketch.from_bytes(sketch.to_bytes())
    assert copy == sketch
    assert copy.relative_accuracy == accuracy
    assert (copy.count, copy.min, copy.max, copy.mean) == (
        sketch.count,
        sketch.min,
        sketch.max,
        sketch.mean,
    )
    assert copy.percentiles(QS) == sketch.percentiles(QS)
    assert pickle.loads(pickle.dumps(sketch)) == sketch


def test_an_empty_sketch_round_trips():
    data = QuantileSketch(relative_accuracy=0.05).to_bytes()
    assert len(data) == 68
    assert QuantileSketch.from_bytes(data).count == 0


@pytest.mark.parametrize(("values", "zeros"), [([], 0), ([0.0, 0.0], 2)], ids=["empty", "zeros"])
def test_a_sketch_without_buckets_writes_zero_for_every_bucket_field(values, zeros):
    """No first bucket to index: the field is 0, not whatever the store held."""
    data = sketch_of(values, 0.05).to_bytes()
    assert data[:8] == b"DMQS" + bytes([FORMAT_VERSION, 0, 0, 0])
    accuracy, total, zero = struct.unpack_from("<dQQ", data, 8)
    assert (accuracy, total, zero) == (0.05, zeros, zeros)
    assert data[32:] == bytes(36)  # min, max, mean, first bucket index, bucket count


def test_the_smallest_normal_float_gets_a_bucket_and_round_trips():
    tiny = float(np.finfo(np.float64).tiny)  # smaller values share the zero bucket
    for values in ([tiny], [0.0, tiny], [tiny, 1.0]):
        sketch = sketch_of(values)
        assert QuantileSketch.from_bytes(sketch.to_bytes()) == sketch
    # Two of three values are tiny, so the median is tiny, not zero.
    assert sketch_of([0.0, tiny, tiny]).percentiles((50,))[50] == pytest.approx(
        tiny, rel=0.01, abs=0
    )


def test_a_sketch_that_travelled_as_bytes_merges_and_grows_like_the_original():
    """Dask's distributed scheduler pickles sketches: what arrives must merge."""
    values = [0.0, 3.0, 40.0, 500.0]
    for arrived in (
        QuantileSketch.from_bytes(sketch_of(values).to_bytes()),
        pickle.loads(pickle.dumps(sketch_of(values))),
    ):
        merged = sketch_of([7.0])
        merged.merge(arrived)
        assert merged == sketch_of([*values, 7.0])
        arrived.add([2.0])
        assert arrived == sketch_of([*values, 2.0])


def test_the_header_is_the_documented_format():
    data = sketch_of([0.0, 1.0, 100.0]).to_bytes()
    magic, version = data[:4], data[4]
    accuracy, total, zero, low, high, mean, first, size = struct.unpack_from("<dQQdddqI", data, 8)
    assert (magic, version, accuracy, total, zero) == (b"DMQS", FORMAT_VERSION, 0.01, 3, 1)
    assert (low, high) == (0.0, 100.0)
    assert mean == pytest.approx(101 / 3)
    assert first == 0
    assert size == 231 + 1
    assert len(data) == 68 + 8 * size


def test_a_sketch_from_a_microsecond_to_an_hour_is_small():
    sketch = sketch_of(np.geomspace(0.001, 3_600_000, 100_000))  # in ms
    assert len(sketch.to_bytes()) < 64 * 1024
    assert len(pickle.dumps(sketch)) < 64 * 1024


LENGTH = "data is corrupt: its length does not match its bucket count"
SUMS = "data is corrupt: the bucket counts do not add up to the count"
EXTREMES = "data is corrupt: minimum, maximum and mean must be finite and non-negative"
MEAN = "data is corrupt: the mean must lie between the minimum and the maximum"
LAST = "data is corrupt: the maximum does not lie in the last bucket"
COUNT = "data is corrupt: the count is beyond what a sketch can hold"
EMPTY = "data is corrupt: an empty sketch must have no buckets and zero extremes"


def patch(good: bytes, *changes) -> bytes:
    data = bytearray(good)
    for offset, fmt, value in changes:
        struct.pack_into(fmt, data, offset, value)
    return bytes(data)


def corruptions() -> dict:
    """Broken serialisations, each with the one problem from_bytes must name."""
    good = sketch_of([0.0, 3.0, 40.0, 500.0]).to_bytes()
    last = 68 + 8 * (struct.unpack_from("<I", good, 64)[0] - 1)
    no_zero = sketch_of([3.0, 40.0, 500.0]).to_bytes()
    two = sketch_of([3.0, 500.0]).to_bytes()
    two_last = 68 + 8 * (struct.unpack_from("<I", two, 64)[0] - 1)
    empty = QuantileSketch().to_bytes()
    zeros = sketch_of([0.0, 0.0]).to_bytes()
    return {
        "empty": (b"", "data is not a serialised QuantileSketch"),
        "truncated": (good[:-8], LENGTH),
        "too long": (good + b"\0" * 8, LENGTH),
        "magic": (b"XXXX" + good[4:], "data is not a serialised QuantileSketch"),
        "version": (
            patch(good, (4, "<B", 2)),
            "data has format version 2; this version reads only 1",
        ),
        "reserved": (patch(good, (5, "<B", 1)), LENGTH),
        "accuracy": (
            patch(good, (8, "<d", 0.0)),
            "data is corrupt: relative_accuracy must lie in [0.001, 1), got 0.0",
        ),
        "accuracy nan": (
            patch(good, (8, "<d", math.nan)),
            "data is corrupt: relative_accuracy must be finite, got nan",
        ),
        "count": (patch(good, (16, "<Q", 5)), SUMS),
        "zero count": (patch(good, (24, "<Q", 2)), SUMS),
        "negative min": (patch(good, (32, "<d", -1.0)), EXTREMES),
        "max": (patch(good, (40, "<d", 30.0)), MEAN),
        "infinite max": (patch(good, (40, "<d", math.inf)), EXTREMES),
        "mean": (patch(good, (48, "<d", 501.0)), MEAN),
        "mean below min": (patch(no_zero, (48, "<d", 2.5)), MEAN),
        "offset": (patch(good, (56, "<q", 3)), LAST),
        "max beyond the last bucket": (patch(good, (40, "<d", 750.0)), LAST),
        "min below the first bucket": (
            patch(no_zero, (32, "<d", 2.0)),
            "data is corrupt: the minimum does not lie in the first bucket",
        ),
        "zeros with a positive min": (
            patch(good, (32, "<d", 3.0)),
            "data is corrupt: the zero bucket is not empty but the minimum is positive",
        ),
        "bucket count": (patch(good, (64, "<I", 2)), LENGTH),
        "first bucket": (patch(good, (68, "<Q", 0)), SUMS),
        "last bucket empty": (
            patch(good, (last, "<Q", 0), (16, "<Q", 3)),
            "data is corrupt: the first and last buckets must not be empty",
        ),
        "huge bucket": (patch(good, (68, "<Q", 2**63)), SUMS),
        "a bucket above the count": (patch(two, (68, "<Q", 2**64 - 1), (two_last, "<Q", 3)), SUMS),
        "huge count": (patch(good, (16, "<Q", 2**64 - 1)), COUNT),
        # 2**63 zeros add up, but the count no longer fits in an int64.
        "count of 2**63": (patch(zeros, (16, "<Q", 2**63), (24, "<Q", 2**63)), COUNT),
        # A minimum of the smallest normal float would have a bucket of its own.
        "zeros with the smallest normal min": (
            patch(good, (32, "<d", float(np.finfo(np.float64).tiny))),
            "data is corrupt: the zero bucket is not empty but the minimum is positive",
        ),
        "empty with a maximum": (patch(empty, (40, "<d", 1.0)), EMPTY),
        "empty with a mean": (patch(empty, (48, "<d", 1.0)), EMPTY),
        "empty with a minimum": (patch(empty, (32, "<d", 1.0)), EMPTY),
    }


@pytest.mark.parametrize(("data", "message"), corruptions().values(), ids=list(corruptions()))
def test_corrupt_data_is_a_value_error_that_says_what_is_wrong(data, message):
    with pytest.raises(ValueError, match=r"^data ") as caught:
        QuantileSketch.from_bytes(data)
    assert str(caught.value) == message


def test_a_sketch_round_trips_through_bytearray_and_memoryview():
    data = sketch_of([0.0, 3.0, 40.0, 500.0]).to_bytes()
    for view in (bytearray(data), memoryview(data)):
        assert QuantileSketch.from_bytes(view).to_bytes() == data


@pytest.mark.parametrize(
    ("data", "kind"), [("DMQS", "str"), (None, "NoneType"), (12, "int"), ([1, 2], "list")]
)
def test_from_bytes_wants_bytes(data, kind):
    with pytest.raises(TypeError, match=rf"^data must be bytes, not {kind}$"):
        QuantileSketch.from_bytes(data)


# -- cross-check against the DDSketch package --------------------------------------


def test_agrees_with_the_ddsketch_package_on_the_same_data():
    # With n = 100,001, ddsketch's rank q * (n - 1) and nearest rank pick the
    # same order statistic for whole percentiles, so both sketches estimate
    # the same value with the same buckets.
    rng = np.random.default_rng(11)
    latencies = rng.lognormal(np.log(80), 0.7, 100_001)
    theirs = DDSketch(relative_accuracy=0.01)
    for value in latencies:
        theirs.add(float(value))
    ours = sketch_of(latencies)
    qs = list(range(1, 100))
    estimates = ours.percentiles(qs)
    for q in qs:
        assert estimates[q] == pytest.approx(theirs.get_quantile_value(q / 100), rel=1e-5)
    assert ours.count == theirs.count
    assert ours.mean == pytest.approx(theirs.avg)
    assert (ours.min, ours.max) == (theirs._min, theirs._max)


# -- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "error", "message"),
    [
        ([1.0, math.nan], ValueError, "values must not contain NaN"),
        ([1.0, math.inf], ValueError, "values must not contain infinities"),
        ([1.0, -0.5], ValueError, "values must not contain negative"),
        ([True, False], TypeError, "values"),
        (["1", "2"], TypeError, "values"),
        ("12", TypeError, "values"),
        ({1.0, 2.0}, TypeError, "values"),
        (None, TypeError, "values"),
        ([[1.0, 2.0]], ValueError, "values must be one-dimensional"),
        ([1.0, [2.0]], TypeError, "values"),
    ],
)
def test_bad_values_name_the_argument(values, error, message):
    with pytest.raises(error, match=message):
        QuantileSketch().add(values)


def test_adding_nothing_changes_nothing():
    sketch = QuantileSketch()
    sketch.add([])
    sketch.add(np.array([]))
    assert sketch.count == 0


@pytest.mark.parametrize(
    ("accuracy", "error"),
    [
        (0, ValueError),
        (1, ValueError),
        (-0.1, ValueError),
        (0.0001, ValueError),
        (math.nan, ValueError),
        (True, TypeError),
        ("0.01", TypeError),
        (None, TypeError),
    ],
)
def test_bad_accuracy_names_the_argument(accuracy, error):
    with pytest.raises(error, match="relative_accuracy"):
        QuantileSketch(relative_accuracy=accuracy)


@pytest.mark.parametrize("what", ["min", "max", "mean"])
def test_an_empty_sketch_has_no_statistics(what):
    message = f"the sketch is empty: add values before asking for its {what}"
    with pytest.raises(ValueError, match=rf"^{message}$"):
        getattr(QuantileSketch(), what)


def test_an_empty_sketch_has_no_percentiles():
    message = "the sketch is empty: add values before asking for its percentiles"
    with pytest.raises(ValueError, match=rf"^{message}$"):
        QuantileSketch().percentiles()


def test_an_estimate_beyond_the_largest_float_is_the_maximum():
    # At 50% a bucket's representative, 2 gamma**i / (gamma + 1) with
    # gamma = 3, can lie above 1.8e308 although every value in it is below.
    sketch = sketch_of([1.0, 1.79e308, 1.79e308], accuracy=0.5)
    assert sketch.percentiles((50,)) == {50: 1.79e308}  # rank 2 of 3


@pytest.mark.parametrize(
    ("qs", "error"), [([], ValueError), ([101], ValueError), ("50", TypeError), ([None], TypeError)]
)
def test_qs_are_checked_like_latency_percentiles(qs, error):
    sketch = sketch_of([1.0, 2.0])
    with pytest.raises(error, match="qs"):
        sketch.percentiles(qs)
    with pytest.raises(error, match="qs"):
        percentiles([1.0, 2.0], qs)


def test_percentile_keys_are_the_qs_as_given():
    assert list(sketch_of([1.0, 2.0]).percentiles((50, 99.5))) == [50, 99.5]


def test_meets_slo_mirrors_latency_meets_slo():
    values = [100, 102, 100, 100, 99, 104, 110, 90, 3000, 95]
    sketch = sketch_of(values)
    assert sketch.meets_slo(120, percentile=90) is True
    assert sketch.meets_slo(120, percentile=99) is False
    with pytest.raises(ValueError, match="percentile"):
        sketch.meets_slo(120, percentile=0)
    with pytest.raises(ValueError, match="threshold"):
        sketch.meets_slo(-1)
    with pytest.raises(TypeError, match="threshold"):
        sketch.meets_slo("120")


def test_meets_slo_asks_about_p99_by_default():
    # 100 values: the p99 is the 99th smallest, 99.0; only the maximum is 1,000.
    sketch = sketch_of([*range(1, 100), 1000.0])
    assert sketch.meets_slo(100) is True
    assert sketch.meets_slo(100) == sketch.meets_slo(100, percentile=99)
    assert sketch.meets_slo(100, percentile=100) is False


# -- claims the percentiles-at-scale page makes ---------------------------------------


def test_the_pages_fleet_shows_what_its_prose_says(numbers):
    mean, weighted, fleet, worst = (
        float(numbers[key].replace(",", ""))
        for key in ("fleet_mean_p99", "fleet_weighted_p99", "fleet_p99", "fleet_max_p99")
    )
    # Neither average of the servers' p99s, nor the worst one, is the fleet's p99.
    assert weighted < fleet < mean < worst
    assert float(numbers["sketch_worst_error"].rstrip("%")) <= 1.0
    assert float(numbers["sketch_span_kb"]) < 64


def test_meets_slo_checks_its_arguments_as_latency_does():
    sketch = sketch_of([100.0, 3000.0])
    with pytest.raises(TypeError, match=r"^percentile must be a real number, not str$"):
        sketch.meets_slo(120, percentile="99")
    with pytest.raises(ValueError, match=r"^percentile must lie in \(0, 100\], got 100.5$"):
        sketch.meets_slo(120, percentile=100.5)
    with pytest.raises(ValueError, match=r"^threshold must not be negative, got -1.0$"):
        sketch.meets_slo(-1, percentile=50)
    assert sketch.meets_slo(100, percentile=50) is True  # at the threshold is within it
    assert sketch.meets_slo(99, percentile=50) is False
    assert sketch.meets_slo(3000, percentile=100) is True
    assert sketch.meets_slo(2999, percentile=100) is False
    with pytest.raises(ValueError, match="sketch is empty"):
        QuantileSketch().meets_slo(1)
