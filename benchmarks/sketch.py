"""QuantileSketch and `dmls latency --sketch` against their references, in one run.

Prints, each against a reference measured in the same run:

- ingest of 10M latencies: QuantileSketch.add vs the ddsketch package's add
  (target: at least 30x faster) and vs numpy.percentile on the same array
  (target: no slower than 1.5x);
- the serialised size of a sketch covering 1 microsecond to 1 hour at 1%
  (target: under 64 KB);
- `dmls latency --sketch` on a 10M-line file (target: 3M lines/s or more)
  and its peak memory on 1M and 10M lines (target: the same).

Run with the tests' environment: .nox/tests/bin/python benchmarks/sketch.py
(it needs ddsketch, and the dmls command installed beside that Python).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from ddsketch import DDSketch

from dmls_examples.sketch import QuantileSketch

N = 10_000_000
DDSKETCH_SAMPLE = 300_000  # ddsketch adds one value per Python call: time a sample
QS = [50, 90, 95, 99]
DMLS = Path(sys.executable).with_name("dmls")
PEAK_RSS = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
    "stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def best_of(runs: int, work) -> float:
    """Fastest wall-clock time of *runs* calls of *work*, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def ingest(values: np.ndarray) -> None:
    sketch = QuantileSketch(relative_accuracy=0.01)
    sketch.add(values)
    sketch.percentiles(QS)


def ddsketch_ingest(values: np.ndarray) -> None:
    sketch = DDSketch(relative_accuracy=0.01)
    for value in values.tolist():
        sketch.add(value)


def run_dmls(path: Path) -> tuple[float, float, int]:
    """Wall time, CPU time (s) and peak memory (KB) of `dmls latency --sketch`."""
    start = time.perf_counter()
    cpu_before = _children_cpu()
    out = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, str(DMLS), "latency", "--sketch", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - start, _children_cpu() - cpu_before, int(out.stdout)


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    rng = np.random.default_rng(0)
    values = rng.lognormal(np.log(50), 0.6, N)

    ours = best_of(3, lambda: ingest(values))
    numpy_time = best_of(3, lambda: np.percentile(values, QS, method="inverted_cdf"))
    sample = values[:DDSKETCH_SAMPLE]
    theirs = best_of(1, lambda: ddsketch_ingest(sample)) * (N / DDSKETCH_SAMPLE)
    print(f"ingest of {N:,} values, sketch at 1%:")
    print(f"  QuantileSketch.add + percentiles  {ours:8.3f} s")
    print(f"  numpy.percentile (nearest rank)   {numpy_time:8.3f} s")
    print(f"  ddsketch add, one value a call    {theirs:8.3f} s (timed on {DDSKETCH_SAMPLE:,})")
    print(f"  vs ddsketch: {theirs / ours:,.0f}x faster (target >= 30x)")
    print(f"  vs numpy.percentile: {ours / numpy_time:.2f}x its time (target <= 1.5x)")

    span = QuantileSketch(relative_accuracy=0.01)
    span.add(np.geomspace(0.001, 3_600_000, 1_000_000))  # 1 us to 1 h, in ms
    size = len(span.to_bytes())
    print(f"sketch of 1 us to 1 h at 1%: {size:,} bytes serialised (target < 65,536)")

    with tempfile.TemporaryDirectory() as tmp:
        lines = {}
        for count in (1_000_000, N):
            path = Path(tmp) / f"{count}.log"
            np.savetxt(path, values[:count], fmt="%.3f")
            lines[count] = run_dmls(path)
    wall, cpu, peak_10m = lines[N]
    _, _, peak_1m = lines[1_000_000]
    print(f"dmls latency --sketch on {N:,} lines ({DMLS}):")
    print(f"  {wall:.2f} s wall: {N / wall / 1e6:.2f}M lines/s (target >= 3M)")
    print(f"  {cpu:.2f} s CPU: {N / cpu / 1e6:.2f}M lines per CPU-second")
    print(
        f"  peak memory {peak_1m / 1024:.0f} MB on 1M lines, {peak_10m / 1024:.0f} MB on 10M: "
        f"ratio {peak_10m / peak_1m:.2f} (target: about 1)"
    )


if __name__ == "__main__":
    main()
