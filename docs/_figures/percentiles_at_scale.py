"""Figures for chapter-1/percentiles-at-scale.md, drawn by the package."""

import matplotlib.pyplot as plt
import numpy as np
from dmls_figures import figure

from dmls_examples.datasets import FLEET, SKETCH_CHECK
from dmls_examples.latency import percentiles
from dmls_examples.sketch import QuantileSketch


@figure("sketch-error")
def sketch_error(palette):
    servers = FLEET.latencies()
    accuracy = SKETCH_CHECK.relative_accuracy
    fleet = QuantileSketch(relative_accuracy=accuracy)
    for server in servers:
        part = QuantileSketch(relative_accuracy=accuracy)
        part.add(server)
        fleet.merge(part)
    everything = np.concatenate(servers)
    qs = SKETCH_CHECK.qs().tolist()
    exact = percentiles(everything, qs)
    estimate = fleet.percentiles(qs)
    error = [100 * (estimate[q] / exact[q] - 1) for q in qs]

    narrow = palette.get("narrow")
    fig, ax = plt.subplots(figsize=(3.4, 2.6) if narrow else (6.4, 3.2))
    fraction = np.array(qs) / 100
    ax.plot(fraction, error, "o", color=palette["series"][0], markersize=2, alpha=0.7)
    bound = 100 * accuracy
    for side in (-bound, bound):
        ax.axhline(side, color=palette["series"][1], linestyle="--", linewidth=1.5)
    ax.text(
        0.006, 1.1 * bound, f"promised bound, ±{bound:g}%", color=palette["series"][1], va="bottom"
    )
    ax.set_xscale("logit")
    ticks = [0.01, 0.5, 0.99, 0.999] if narrow else [0.01, 0.1, 0.5, 0.9, 0.99, 0.999]
    ax.set_xticks(ticks, [f"p{100 * t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_ylim(-1.6 * bound, 1.6 * bound)
    ax.set_xlabel("percentile (logit scale:" + ("\n" if narrow else " ") + "both tails spread out)")
    ax.set_ylabel("sketch error (%)")
    return fig
