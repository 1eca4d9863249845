"""Figures for chapter-1/computational-priorities.md, drawn by the package."""

import matplotlib.pyplot as plt
import numpy as np
from dmls_figures import figure
from dmls_numbers import SIM_FIXED_MS, SIM_PER_QUERY_MS, SIM_RATE_QPS, SIM_REQUESTS

from dmls_examples.batching import capacity_qps, simulate_batching
from dmls_examples.latency import latency_summary, percentiles


def service_ms(n: int) -> float:
    """The page's model: a fixed cost per batch plus a cost per query in it."""
    return SIM_FIXED_MS + SIM_PER_QUERY_MS * n


@figure("latency-distribution")
def latency_distribution(palette):
    rng = np.random.default_rng(7)
    # Most requests are quick; one in twenty hits a slow path (a cache miss).
    fast = rng.lognormal(mean=np.log(50), sigma=0.35, size=19_000)
    slow = rng.lognormal(mean=np.log(250), sigma=0.5, size=1_000)
    latencies = np.concatenate([fast, slow])
    marks = percentiles(latencies, (50, 90, 99))
    mean = latency_summary(latencies).mean

    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    bins = np.geomspace(latencies.min(), latencies.max(), 80)
    ax.hist(latencies, bins=bins, color=palette["series"][0], alpha=0.75)
    ax.set_xscale("log")
    ax.set_xlabel("latency (ms, log scale)")
    ax.set_ylabel("requests")
    styles = ["-", "--", "-."]
    for (q, value), color, style in zip(marks.items(), palette["series"][1:], styles, strict=False):
        ax.axvline(value, color=color, linewidth=2, linestyle=style, label=f"p{q} = {value:.0f} ms")
    ax.axvline(
        mean, color=palette["text"], linewidth=1, linestyle=":", label=f"mean = {mean:.0f} ms"
    )
    ax.legend(loc="upper right")
    ax.grid(axis="x", which="both", visible=False)
    return fig


@figure("batching-timeout")
def batching_timeout(palette):
    waits = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]
    runs = [
        simulate_batching(SIM_RATE_QPS, 50, wait, service_ms, n_requests=SIM_REQUESTS, seed=0)
        for wait in waits
    ]

    fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.2))
    left.plot(waits, [r.p50_ms for r in runs], marker="o", label="p50")
    left.plot(waits, [r.p99_ms for r in runs], marker="s", label="p99")
    left.set_xlabel("batching timeout (ms)")
    left.set_ylabel("latency (ms)")
    left.legend()
    right.plot(waits, [r.mean_batch_size for r in runs], marker="o", color=palette["series"][2])
    right.set_xlabel("batching timeout (ms)")
    right.set_ylabel("mean batch size")
    fig.tight_layout()
    return fig


@figure("batching-capacity")
def batching_capacity(palette):
    sizes = np.arange(1, 65)
    capacity = [capacity_qps(int(b), service_ms) for b in sizes]
    batch_latency = [service_ms(int(b)) for b in sizes]

    fig, left = plt.subplots(figsize=(6.4, 3.2))
    left.plot(sizes, capacity, color=palette["series"][0])
    left.set_xlabel("largest batch")
    left.set_ylabel("capacity (queries/s)", color=palette["series"][0])
    right = left.twinx()
    right.plot(sizes, batch_latency, color=palette["series"][1], linestyle="--")
    right.set_ylabel("batch latency (ms)", color=palette["series"][1])
    right.set_ylim(0, max(batch_latency) * 1.1)
    right.grid(visible=False)
    right.spines["right"].set_visible(True)
    fig.tight_layout()
    return fig
