"""Figures for chapter-2/business-and-ml-objectives.md, drawn from the package."""

import textwrap

import matplotlib.pyplot as plt
from dmls_figures import figure

from dmls_examples.surveys import (
    ALGORITHMIA_2020_ALL,
    ALGORITHMIA_2020_BY_MATURITY,
    ALGORITHMIA_2020_SOURCE,
)


def _label(share) -> str:
    return f"{'≈' if share.approximate else ''}{100 * share.share:.0f}%"


def _share_panel(ax, top: float, title: str, palette) -> None:
    """Horizontal share bars from 0 to *top*, first row on top, no row grid."""
    ax.set_xlim(0, top)
    ax.set_xticks([0, top / 2, top], [f"{100 * t:.0f}%" for t in (0, top / 2, top)])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)
    ax.set_title(title, color=palette["text"], fontsize=10)


@figure("deployment-time")
def deployment_time(palette):
    within, beyond = palette["series"][2], palette["series"][1]
    inside = palette["on_series"]
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(7.6, 3.3), gridspec_kw={"width_ratios": [1.15, 1]}
    )

    # Left: each group as a 100% bar. The survey reports one side of 30 days
    # per group (solid, labelled); the other side is what remains (hatched).
    groups = [share.group for share in ALGORITHMIA_2020_BY_MATURITY]
    for y, share in enumerate(ALGORITHMIA_2020_BY_MATURITY):
        quick = share.answer.startswith("under")
        under = share.share if quick else 1 - share.share
        reported = (0, under) if quick else (under, 1 - under)
        rest = (under, 1 - under) if quick else (0, under)
        color = within if quick else beyond
        rest_color = beyond if quick else within
        left.barh(y, reported[1], left=reported[0], color=color, height=0.55)
        left.barh(
            y,
            rest[1],
            left=rest[0],
            color="none",
            edgecolor=rest_color,
            hatch="///",
            linewidth=1,
            height=0.55,
        )
        centre = reported[0] + reported[1] / 2
        left.text(centre, y, _label(share), ha="center", va="center", color=inside, weight="bold")
    left.set_yticks(range(len(groups)), [g.replace(" in ", "\nin ") for g in groups])
    _share_panel(left, 1, "by experience", palette)
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=within),
        plt.Rectangle((0, 0), 1, 1, color=beyond),
    ]
    left.legend(
        handles,
        ["under 30 days", "over 30 days"],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncol=2,
    )

    # Right: the respondents asked (a subset of the survey), as the summary reports them.
    answers = [share.answer for share in ALGORITHMIA_2020_ALL]
    values = [share.share for share in ALGORITHMIA_2020_ALL]
    colors = [within, within, beyond]
    bars = right.barh(range(len(answers)), values, color=colors, height=0.55)
    for bar, share in zip(bars, ALGORITHMIA_2020_ALL, strict=True):
        right.text(
            bar.get_width() + 0.01,
            bar.get_y() + bar.get_height() / 2,
            _label(share),
            va="center",
            color=palette["text"],
        )
    right.set_yticks(range(len(answers)), answers)
    _share_panel(right, 0.5, "respondents asked", palette)

    source = textwrap.fill(f"Source: {ALGORITHMIA_2020_SOURCE}.", 100)
    fig.text(0.01, -0.04, source, fontsize=8, color=palette["text"], va="top")
    fig.tight_layout()
    return fig
