"""Time simulate_batching on a million requests; the target is under 2 s.

Run: python benchmarks/simulate_batching.py. The worst case for the loop is
one request per batch, so that is timed too. As a reference, the script also
times numpy generating and sorting the same number of arrival times, the
floor any simulator of this size pays.
"""

import sys
import timeit

import numpy as np

from dmls_examples.batching import simulate_batching

N = 1_000_000
TARGET_S = 2.0
CASES = {
    "batches up to 32, 5 ms timeout": (2000, 32, 5, lambda n: 5 + 0.5 * n),
    "no batching (worst case loop)": (90, 1, 0, 10),
}


def main() -> int:
    floor = min(
        timeit.repeat(
            lambda: np.sort(np.random.default_rng(0).exponential(1.0, N)), number=1, repeat=3
        )
    )
    print(f"requests: {N:,}; numpy generate+sort reference: {floor:.3f} s")
    worst = 0.0
    for name, args in CASES.items():
        seconds = min(
            timeit.repeat(lambda a=args: simulate_batching(*a, n_requests=N), number=1, repeat=3)
        )
        worst = max(worst, seconds)
        print(f"{name:34s} {seconds:6.3f} s  ({seconds / floor:5.1f}x the reference)")
    print(f"slowest: {worst:.3f} s (target < {TARGET_S} s)")
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
