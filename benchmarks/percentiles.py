"""Time latency.percentiles against numpy.percentile on 10 million latencies.

Run: python benchmarks/percentiles.py  (inside any nox venv, or with numpy and
the package installed). Both are timed in the same run, on the same array,
best of several repeats; the ratio is what matters, and the target is 1.3x.
"""

import sys
import timeit

import numpy as np

from dmls_examples.latency import percentiles

SIZE = 10_000_000
QS = (50, 90, 95, 99)
TARGET = 1.3


def main() -> int:
    rng = np.random.default_rng(0)
    latencies = rng.lognormal(mean=4, sigma=0.6, size=SIZE)
    repeats = 5

    def ours():
        percentiles(latencies, QS)

    def reference():
        np.percentile(latencies, QS, method="inverted_cdf")

    ours()
    reference()  # warm caches
    ours_s = min(timeit.repeat(ours, number=1, repeat=repeats))
    numpy_s = min(timeit.repeat(reference, number=1, repeat=repeats))
    ratio = ours_s / numpy_s
    print(f"latencies:         {SIZE:,}")
    print(f"numpy.percentile:  {numpy_s * 1000:8.1f} ms (best of {repeats})")
    print(f"percentiles:       {ours_s * 1000:8.1f} ms (best of {repeats})")
    print(f"ratio:             {ratio:8.2f}x  (target <= {TARGET}x)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
