"""Figures for chapter-1/computational-priorities.md, drawn by the package."""

import matplotlib.pyplot as plt
import numpy as np
from dmls_figures import figure

from dmls_examples.datasets import SLOW_PATH_LATENCIES
from dmls_examples.latency import latency_summary, percentiles


@figure("latency-distribution")
def latency_distribution(palette):
    latencies = SLOW_PATH_LATENCIES.sample()
    marks = percentiles(latencies, (50, 90, 99))
    mean = latency_summary(latencies).mean

    narrow = palette.get("narrow")
    fig, ax = plt.subplots(figsize=(3.4, 2.8) if narrow else (6.4, 3.4))
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
    # Below the plot, clear of the lines it names: in the plot's upper right
    # corner the p99 line ran through the wide drawing's legend.
    if narrow:
        ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.3), ncol=2, fontsize=9)
    else:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=4, columnspacing=1.5)
    ax.grid(axis="x", which="both", visible=False)
    return fig
