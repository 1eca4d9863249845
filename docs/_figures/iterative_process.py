"""Figures for chapter-2/iterative-process.md: the six steps as a cycle."""

import math

import matplotlib.pyplot as plt
import numpy as np
from dmls_figures import figure
from matplotlib.colors import to_rgb
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

#: The steps in order, clockwise from the top: name, and what the step produces.
STEPS = [
    ("1. Project scoping", "goals, constraints, budget"),
    ("2. Data engineering", "training data and labels"),
    ("3. Model development", "features, a trained model"),
    ("4. Deployment", "a model serving users"),
    ("5. Monitoring and\ncontinual learning", "alerts, fresh data, new models"),
    ("6. Business analysis", "impact on business metrics"),
]

#: Common returns, as (from step, to step), counted from 1, the reason to go
#: back, and where the reason is written, inside the ring.
RETURNS = [
    (2, 1, "the data cannot\nsupport the goal", (0.3, 1.12)),
    (3, 2, "needs more or\nbetter labels", (1.55, 0.0)),
    (4, 3, "too slow or too\nbig to serve", (-0.2, -1.22)),
    (5, 3, "performance\ndecays: retrain", (-0.55, -0.42)),
    (5, 2, "drift: collect\nnew data", (-0.45, 0.62)),
]

BOX_WIDTH, BOX_HEIGHT = 2.95, 0.8
#: The ring is wider than tall, so that the boxes on its sides clear each other.
RADIUS_X, RADIUS_Y = 3.1, 1.95


def _position(step: int) -> tuple[float, float]:
    """Centre of a step's box: step 1 at the top, then clockwise."""
    angle = math.pi / 2 - (step - 1) * math.pi / 3
    return RADIUS_X * math.cos(angle), RADIUS_Y * math.sin(angle)


def _tint(colour: str, page: str, strength: float) -> tuple:
    """*colour* laid over *page* at *strength*: a fill that keeps text legible."""
    return tuple(strength * np.array(to_rgb(colour)) + (1 - strength) * np.array(to_rgb(page)))


@figure("iterative-process")
def iterative_process(palette):
    half_width = RADIUS_X + BOX_WIDTH / 2 + 0.05
    half_height = RADIUS_Y + BOX_HEIGHT / 2 + 0.05
    # One data unit is the same length across and up, and the ring fills
    # the figure; the legend goes in a strip below it.
    width = 7.2
    fig = plt.figure(figsize=(width, width * half_height / half_width + 0.35))
    ring_share = 1 - 0.35 / fig.get_figheight()
    ax = fig.add_axes((0, 1 - ring_share, 1, ring_share))
    ax.set_xlim(-half_width, half_width)
    ax.set_ylim(-half_height, half_height)
    ax.axis("off")

    accent, back = palette["series"][0], palette["series"][1]
    boxes = {}
    for step, (name, produces) in enumerate(STEPS, start=1):
        x, y = _position(step)
        box = FancyBboxPatch(
            (x - BOX_WIDTH / 2, y - BOX_HEIGHT / 2),
            BOX_WIDTH,
            BOX_HEIGHT,
            boxstyle="round,pad=0,rounding_size=0.12",
            facecolor=_tint(accent, palette["page"], 0.14),
            edgecolor=accent,
            linewidth=1.4,
            zorder=2,
        )
        ax.add_patch(box)
        boxes[step] = box
        two_lines = "\n" in name
        ax.text(
            x,
            y + (0.12 if two_lines else 0.1),
            name,
            ha="center",
            va="center",
            fontsize=10.5,
            weight="bold",
            color=palette["text"],
            linespacing=1.1,
            zorder=3,
        )
        ax.text(
            x,
            y - (0.27 if two_lines else 0.17),
            produces,
            ha="center",
            va="center",
            fontsize=9,
            color=palette["text"],
            zorder=3,
        )

    def arrow(start: int, end: int, bend: float, **style) -> None:
        """An arrow from one step's box to another's, bent by *bend*."""
        ax.add_patch(
            FancyArrowPatch(
                _position(start),
                _position(end),
                patchA=boxes[start],
                patchB=boxes[end],
                connectionstyle=f"arc3,rad={bend}",
                shrinkA=2,
                shrinkB=2,
                zorder=1,
                **style,
            )
        )

    # The order: round the outside of the ring, clockwise.
    for step in range(1, len(STEPS) + 1):
        arrow(
            step,
            step % len(STEPS) + 1,
            -0.22,
            arrowstyle="-|>,head_length=6,head_width=3.5",
            color=palette["text"],
            linewidth=1.5,
        )
    # The returns: inside the ring, dashed, against the clock, each with
    # its reason on a patch of the page's colour, so no line runs through it.
    for start, end, reason, (x, y) in RETURNS:
        arrow(
            start,
            end,
            -0.3 if end == start - 1 else -0.12,
            arrowstyle="-|>,head_length=5,head_width=3",
            color=back,
            linewidth=1.3,
            linestyle=(0, (4, 2.5)),
        )
        ax.text(
            x,
            y,
            reason,
            ha="center",
            va="center",
            fontsize=8.5,
            color=back,
            linespacing=1.05,
            zorder=2,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": palette["page"], "linewidth": 0},
        )
    legend = [
        plt.Line2D([], [], color=palette["text"], linewidth=1.5, label="the next step"),
        plt.Line2D(
            [], [], color=back, linewidth=1.3, linestyle=(0, (4, 2.5)), label="a common return"
        ),
    ]
    ax.legend(
        handles=legend,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.01),
        ncol=2,
        fontsize=9,
        handlelength=2.6,
    )
    return fig
