"""dask_percentiles: sketches per partition, merged in a tree, on threads and a cluster."""

import pickle
import re
import sys

import numpy as np
import pytest

from dmls_examples.latency import percentiles
from dmls_examples.sketch import QuantileSketch, dask_percentiles


# dask and pandas come as fixtures, imported by the first test that asks: at
# collection, they would cost every pytest worker a second.
@pytest.fixture(scope="module")
def da():
    return pytest.importorskip("dask.array")


@pytest.fixture(scope="module")
def dd():
    return pytest.importorskip("dask.dataframe")


@pytest.fixture(scope="module")
def pd():
    return pytest.importorskip("pandas")


QS = (0, 50, 90, 99, 99.9, 100)


@pytest.fixture(scope="module")
def latencies() -> np.ndarray:
    rng = np.random.default_rng(42)
    return np.concatenate(
        [rng.lognormal(np.log(45), 0.5, 180_000), rng.lognormal(np.log(600), 0.6, 2_000)]
    )


def within(estimates, exact, accuracy=0.01):
    return all(abs(estimates[q] - exact[q]) <= accuracy * exact[q] for q in exact)


def test_a_dask_array_on_the_threaded_scheduler(latencies, da):
    array = da.from_array(latencies, chunks=10_000)
    estimates = dask_percentiles(array, QS, relative_accuracy=0.01)
    assert within(estimates, percentiles(latencies, QS))
    whole = QuantileSketch(relative_accuracy=0.01)
    whole.add(latencies)
    assert estimates == whole.percentiles(QS)  # merging the parts is sketching the whole


def test_a_dataframe_column(latencies, dd, pd):
    frame = pd.DataFrame({"latency_ms": latencies, "host": "a"})
    column = dd.from_pandas(frame, npartitions=13)["latency_ms"]
    estimates = dask_percentiles(column, QS, relative_accuracy=0.005)
    assert within(estimates, percentiles(latencies, QS), 0.005)


def test_many_blocks_and_a_two_dimensional_array(latencies, da):
    array = da.from_array(latencies.reshape(-1, 20), chunks=(200, 10))
    assert array.npartitions > 8**2  # the merge tree has three levels
    assert within(dask_percentiles(array, QS), percentiles(latencies, QS))


def test_a_merge_group_of_one_sketch(latencies, da):
    """Nine blocks merge as a group of eight and a group of one."""
    values = latencies[:9_000]
    array = da.from_array(values, chunks=1_000)
    assert array.npartitions == 9
    whole = QuantileSketch()
    whole.add(values)
    assert dask_percentiles(array, QS) == whole.percentiles(QS)


def test_an_empty_partition_is_skipped(latencies, dd, pd):
    frame = pd.DataFrame({"ms": latencies})
    column = dd.from_pandas(frame, npartitions=4)["ms"]
    filtered = column[column < 30]  # some partitions may end up empty
    exact = percentiles(latencies[latencies < 30], (50,))
    assert within(dask_percentiles(filtered, (50,)), exact)


@pytest.mark.parametrize(
    ("collection", "kind"), [([1.0, 2.0], "list"), (np.array([1.0]), "ndarray"), (None, "NoneType")]
)
def test_not_a_dask_collection(collection, kind):
    message = f"collection must be a Dask array or a Dask DataFrame column, not {kind}"
    with pytest.raises(TypeError, match=rf"^{message}$"):
        dask_percentiles(collection)


def test_dask_arrays_need_no_dataframe_support(monkeypatch, da):
    """`pip install "dask[array]"` has no pandas: arrays work, the rest is a TypeError."""
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)  # makes the import fail
    assert dask_percentiles(da.from_array([3.0, 1.0, 2.0]), (0, 100)) == {0: 1.0, 100: 3.0}
    with pytest.raises(TypeError, match=r"^collection must be a Dask array .*, not list$"):
        dask_percentiles([1.0])


def test_bad_dask_collections(da, dd, pd):
    frame = dd.from_pandas(pd.DataFrame({"ms": [1.0, 2.0], "path": ["/", "/a"]}), npartitions=1)
    whole = "collection must be one column: pass df[name], not the whole DataFrame"
    with pytest.raises(TypeError, match=rf"^{re.escape(whole)}$"):
        dask_percentiles(frame)
    with pytest.raises(TypeError, match="collection must hold numbers"):
        dask_percentiles(frame["path"])
    with pytest.raises(TypeError, match="collection must hold numbers"):
        dask_percentiles(da.from_array(np.array(["a", "b"])))
    # The errors name the argument the caller passed, not the sketch's `values`.
    with pytest.raises(ValueError, match=r"^collection must not contain NaN$"):
        dask_percentiles(da.from_array(np.array([1.0, np.nan]), chunks=1))
    with pytest.raises(
        ValueError, match=r"^collection must not contain negative values, found -1.0$"
    ):
        dask_percentiles(dd.from_pandas(pd.Series([1.0, -1.0]), npartitions=2))
    with pytest.raises(ValueError, match=r"^collection must not contain infinities$"):
        dask_percentiles(da.from_array(np.array([1.0, np.inf]), chunks=1))
    with pytest.raises(ValueError, match=r"^collection must not be empty$"):
        dask_percentiles(da.from_array(np.array([], dtype=float), chunks=1))


def test_a_missing_value_in_a_nullable_column_is_a_nan(dd, pd):
    """pandas' nullable floats hold pd.NA, which NumPy cannot: it counts as NaN."""
    column = pd.Series([1.0, None, 3.0], dtype="Float64")
    assert column.dtype.kind == "f"
    hint = "; a DataFrame column holds NaN where a cell was empty, as for a request that failed"
    with pytest.raises(ValueError, match=rf"^collection must not contain NaN{re.escape(hint)}"):
        dask_percentiles(dd.from_pandas(column, npartitions=1))
    assert dask_percentiles(dd.from_pandas(column.dropna(), npartitions=2), (100,)) == {100: 3.0}


def test_bad_qs_and_accuracy_fail_before_any_work(da):
    array = da.from_array(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="qs must lie in"):
        dask_percentiles(array, (50, 120))
    with pytest.raises(ValueError, match="relative_accuracy"):
        dask_percentiles(array, relative_accuracy=0)


def test_a_missing_extra_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)  # makes `import dask` fail
    command = r'python3 -m pip install "\.\[dask\]" \(in a clone of the repository\)'
    with pytest.raises(ImportError, match=command):
        dask_percentiles([1.0])


def test_sketches_travel_as_a_few_kilobytes(latencies):
    sketch = QuantileSketch()
    sketch.add(latencies)
    assert len(pickle.dumps(sketch)) < 8 * 1024
    assert pickle.loads(pickle.dumps(sketch)) == sketch


@pytest.mark.slow
def test_on_a_distributed_cluster_of_two_worker_processes(latencies, da):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        array = da.from_array(latencies, chunks=20_000).persist()
        estimates = dask_percentiles(array, QS)
        workers = client.run(lambda: "ok")
    assert len(workers) == 2
    assert within(estimates, percentiles(latencies, QS))


def test_a_csv_read_by_dask_with_an_empty_cell_is_told_to_drop_or_fill_it(tmp_path, dd):
    """The way a reader's own log reaches dask_percentiles: dd.read_csv over
    the files, one column. A failed request's empty cell becomes NaN."""
    for number, rows in enumerate(["1,/a,12\n2,/b,\n", "3,/c,30\n4,/d,15\n"]):
        (tmp_path / f"host{number}.csv").write_text("ts,path,latency_ms\n" + rows)
    column = dd.read_csv(str(tmp_path / "host*.csv"))["latency_ms"]
    with pytest.raises(ValueError, match=r"^collection must not contain NaN; .*\(\.dropna\(\)\)"):
        dask_percentiles(column)
    assert dask_percentiles(column.dropna(), (0, 100)) == {0: 12.0, 100: 30.0}
