"""Figures for chapter-1/computational-priorities.md, drawn by the package."""

import matplotlib.pyplot as plt
import numpy as np
from dmls_figures import figure

from dmls_examples.batching import capacity_qps, simulate_batching
from dmls_examples.datasets import BATCHING_SCENARIO as SCENARIO
from dmls_examples.datasets import SLOW_PATH_LATENCIES
from dmls_examples.latency import latency_summary, percentiles


@figure("latency-distribution")
def latency_distribution(palette):
    latencies = SLOW_PATH_LATENCIES.sample()
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
    waits = SCENARIO.timeouts_ms
    runs = [
        simulate_batching(
            SCENARIO.arrival_rate_qps,
            SCENARIO.largest_batch,
            wait,
            SCENARIO.service_time_ms,
            n_requests=SCENARIO.n_requests,
            seed=SCENARIO.seed,
        )
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
    sizes = np.arange(1, SCENARIO.plotted_batch_sizes + 1)
    capacity = [capacity_qps(int(b), SCENARIO.service_time_ms) for b in sizes]
    batch_latency = [SCENARIO.service_time_ms(int(b)) for b in sizes]

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
