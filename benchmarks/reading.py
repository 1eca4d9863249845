"""Reading a CSV table and JSON lines with `read_latencies`, against pandas, in one run.

A service's log is more often a table or JSON lines than plain numbers.
Prints, for 1M rows of each, the rows read a second by:

- `read_latencies` as it reads: a block at a time while the rows are clean;
- the same reader forced to go a line at a time, as it does to find a bad
  line (and as it did for every line before it read blocks, slower still
  for JSON lines, which it parsed with a new decoder per line): target at
  least 4x slower for the table, 1.3x for JSON lines;
- pandas (`read_csv` with `usecols`, `read_json` with `lines=True`), the
  established reader, in C, which holds the whole column in memory: the
  ratio is our time over pandas' (target: at most 12x for the table, 1.5x
  for JSON lines).

Run with the tests' environment, which has pandas (through Dask):
.nox/tests/bin/python benchmarks/reading.py
"""

from __future__ import annotations

import json
import tempfile
import timeit
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd

from dmls_examples.reading import _ColumnParser, _FieldParser, read_latencies

N = 1_000_000


def best_of(runs: int, work) -> float:
    """Fastest wall-clock time of *runs* calls of *work*, in seconds."""
    return min(timeit.repeat(work, number=1, repeat=runs))


def read_all(path: Path, **options) -> int:
    return sum(block.size for block in read_latencies(path, **options))


def line_at_a_time(parser, path: Path, **options) -> int:
    with mock.patch.object(parser, "_fast", return_value=None):
        return read_all(path, **options)


def report(kind: str, ours: float, slow: float, theirs: float, targets: tuple) -> None:
    slower, most = targets
    print(f"{kind}, {N:,} rows:")
    print(f"  read_latencies, a block at a time  {ours:6.2f} s  {N / ours / 1e3:6,.0f}k rows/s")
    print(f"  read_latencies, a line at a time   {slow:6.2f} s  {N / slow / 1e3:6,.0f}k rows/s")
    print(f"  pandas                             {theirs:6.2f} s  {N / theirs / 1e3:6,.0f}k rows/s")
    print(f"  blocks: {slow / ours:.1f}x faster than lines (target >= {slower}x)")
    print(f"  vs pandas: {ours / theirs:.1f}x its time (target <= {most}x)")


def main() -> None:
    values = np.random.default_rng(0).lognormal(np.log(50), 0.6, N).round(3)
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "requests.csv"
        with table.open("w") as file:
            file.write("ts,path,status,latency_ms\n")
            file.writelines(f"{i},/search,200,{v}\n" for i, v in enumerate(values.tolist()))
        lines = Path(tmp) / "requests.jsonl"
        with lines.open("w") as file:
            file.writelines(
                json.dumps({"ts": i, "path": "/search", "latency_ms": v}) + "\n"
                for i, v in enumerate(values.tolist())
            )
        assert read_all(table, column="latency_ms") == read_all(lines, field="latency_ms") == N

        ours = best_of(3, lambda: read_all(table, column="latency_ms"))
        slow = best_of(1, lambda: line_at_a_time(_ColumnParser, table, column="latency_ms"))
        theirs = best_of(3, lambda: pd.read_csv(table, usecols=["latency_ms"]))
        report("CSV table", ours, slow, theirs, (4, 12))

        ours = best_of(3, lambda: read_all(lines, field="latency_ms"))
        slow = best_of(1, lambda: line_at_a_time(_FieldParser, lines, field="latency_ms"))
        theirs = best_of(1, lambda: pd.read_json(lines, lines=True))
        report("JSON lines", ours, slow, theirs, (1.3, 1.5))


if __name__ == "__main__":
    main()
