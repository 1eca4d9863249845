"""Figures for chapter-2/requirements.md, drawn from the package."""

import matplotlib.pyplot as plt
from dmls_figures import figure

from dmls_examples.capacity import forecast_peak, replicas_needed
from dmls_examples.datasets import CAPACITY_SCENARIO as SCENARIO


@figure("capacity-plan")
def capacity_plan(palette):
    months = list(range(SCENARIO.horizon_months + 1))
    peaks = [forecast_peak(SCENARIO.current_peak_qps, SCENARIO.growth_per_month, m) for m in months]
    ticks = range(0, SCENARIO.horizon_months + 1, 6)

    fig, (left, right) = plt.subplots(1, 2, figsize=(7.6, 3.2))
    left.plot(months, peaks, color=palette["series"][0])
    left.set_xlabel("months from now")
    left.set_ylabel("forecast peak (queries/s)")
    left.set_ylim(0, max(peaks) * 1.05)
    left.set_xticks(ticks)

    styles = ["-", "--", ":"]
    targets = (SCENARIO.low_target, SCENARIO.target_utilization, SCENARIO.high_target)
    for target, style, color in zip(targets, styles, palette["series"][1:4], strict=True):
        replicas = [
            replicas_needed(p, SCENARIO.replica_qps, target_utilization=target) for p in peaks
        ]
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
    month = SCENARIO.months
    plan = replicas_needed(
        peaks[month], SCENARIO.replica_qps, target_utilization=SCENARIO.target_utilization
    )
    right.plot([month], [plan], "o", color=palette["text"], markersize=5)
    right.annotate(
        f"{plan} at month {month}",
        (month, plan),
        xytext=(month + 2.5, plan * 0.55),
        color=palette["text"],
        arrowprops={"arrowstyle": "-", "color": palette["text"], "linewidth": 0.8},
    )
    right.set_xlim(0, months[-1])
    right.set_xlabel("months from now")
    right.set_ylabel("replicas needed")
    right.set_ylim(0, None)
    right.set_xticks(ticks)
    right.legend(loc="upper left")
    fig.tight_layout()
    return fig
