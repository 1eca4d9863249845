"""Figures for chapter-2/requirements.md, drawn from the package."""

import matplotlib.pyplot as plt
from dmls_figures import figure
from dmls_numbers import CAPACITY_CURRENT_PEAK as CURRENT_PEAK
from dmls_numbers import CAPACITY_GROWTH as GROWTH
from dmls_numbers import CAPACITY_REPLICA_QPS as REPLICA_QPS

from dmls_examples.capacity import forecast_peak, replicas_needed


@figure("capacity-plan")
def capacity_plan(palette):
    months = list(range(25))
    peaks = [forecast_peak(CURRENT_PEAK, GROWTH, m) for m in months]

    fig, (left, right) = plt.subplots(1, 2, figsize=(7.6, 3.2))
    left.plot(months, peaks, color=palette["series"][0])
    left.set_xlabel("months from now")
    left.set_ylabel("forecast peak (queries/s)")
    left.set_ylim(0, max(peaks) * 1.05)
    left.set_xticks(range(0, 25, 6))

    styles = ["-", "--", ":"]
    for target, style, color in zip((0.5, 0.7, 0.9), styles, palette["series"][1:4], strict=True):
        replicas = [replicas_needed(p, REPLICA_QPS, target_utilization=target) for p in peaks]
        # Hold the last month's value to the right edge so its step shows.
        right.step(
            [*months, months[-1] + 1],
            [*replicas, replicas[-1]],
            where="post",
            linestyle=style,
            color=color,
            linewidth=2,
            label=f"target {100 * target:.0f}%",
        )
    plan = replicas_needed(peaks[12], REPLICA_QPS, target_utilization=0.7)
    right.plot([12], [plan], "o", color=palette["text"], markersize=5)
    right.annotate(
        f"{plan} at month 12",
        (12, plan),
        xytext=(14.5, plan * 0.55),
        color=palette["text"],
        arrowprops={"arrowstyle": "-", "color": palette["text"], "linewidth": 0.8},
    )
    right.set_xlim(0, months[-1])
    right.set_xlabel("months from now")
    right.set_ylabel("replicas needed")
    right.set_ylim(0, None)
    right.set_xticks(range(0, 25, 6))
    right.legend(loc="upper left")
    fig.tight_layout()
    return fig
