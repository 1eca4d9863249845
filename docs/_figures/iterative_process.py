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

#: Common returns, as (from step, to step), counted from 1, the letter on
#: the arrow, and the reason to go back, which the key below spells out.
RETURNS = [
    (2, 1, "a", "the data cannot support the goal"),
    (3, 2, "b", "needs more or better labels"),
    (4, 3, "c", "too slow or too big to serve"),
    (5, 3, "d", "performance decays: retrain"),
    (5, 2, "e", "drift: collect new data"),
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


def _on_arc(start: tuple, end: tuple, bend: float, t: float) -> tuple[float, float]:
    """The point at *t* along matplotlib's arc3 curve from *start* to *end*.

    arc3 is a quadratic Bezier whose control point sits *bend* times the
    chord's length off its middle (in display units; here one data unit is
    the same length across and up, so data units do).
    """
    (x0, y0), (x2, y2) = start, end
    cx, cy = (x0 + x2) / 2 + bend * (y2 - y0), (y0 + y2) / 2 - bend * (x2 - x0)
    x = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x2
    y = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y2
    return x, y


def _return_bend(start: int, end: int) -> float:
    return -0.3 if end == start - 1 else -0.12


def _letter_point(start: int, end: int, clearance: float) -> tuple[float, float]:
    """The middle of the part of a return's arrow that shows between its two
    boxes, at least *clearance* from either: where its letter goes."""
    a, b = _position(start), _position(end)

    def outside(point, centre) -> bool:
        return (
            abs(point[0] - centre[0]) > BOX_WIDTH / 2 + clearance
            or abs(point[1] - centre[1]) > BOX_HEIGHT / 2 + clearance
        )

    shown = [
        point
        for t in np.linspace(0, 1, 401)
        if outside(point := _on_arc(a, b, _return_bend(start, end), t), a) and outside(point, b)
    ]
    return shown[len(shown) // 2]


@figure("iterative-process")
def iterative_process(palette):
    if palette.get("narrow"):
        return _column(palette)
    half_width = RADIUS_X + BOX_WIDTH / 2 + 0.05
    half_height = RADIUS_Y + BOX_HEIGHT / 2 + 0.05
    # One data unit is the same length across and up, and the ring fills
    # the figure; the legend goes in a strip below it.
    width, strip = 7.2, 0.8
    fig = plt.figure(figsize=(width, width * half_height / half_width + strip))
    ring_share = 1 - strip / fig.get_figheight()
    ax = fig.add_axes((0, 1 - ring_share, 1, ring_share))
    ax.set_xlim(-half_width, half_width)
    ax.set_ylim(-half_height, half_height)
    ax.axis("off")

    back = palette["series"][1]
    boxes = {}
    for step, (name, produces) in enumerate(STEPS, start=1):
        x, y = _position(step)
        two_lines = "\n" in name
        boxes[step] = _step_box(
            ax,
            (x, y),
            (BOX_WIDTH, BOX_HEIGHT),
            (name, produces),
            (y + (0.12 if two_lines else 0.1), y - (0.27 if two_lines else 0.17)),
            palette,
            sizes=(10.5, 9),
            rounding=0.12,
            linewidth=1.4,
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
    # its letter on it, on a patch of the page's colour; the key says why.
    for start, end, letter, _ in RETURNS:
        arrow(
            start,
            end,
            _return_bend(start, end),
            arrowstyle="-|>,head_length=5,head_width=3",
            color=back,
            linewidth=1.3,
            linestyle=(0, (4, 2.5)),
        )
        _letter(ax, *_letter_point(start, end, 0.12), letter, back, palette, fontsize=9.5)
    # The key: three columns, under the ring.
    for index, (_, _, letter, reason) in enumerate(RETURNS):
        row, column = divmod(index, 3)
        fig.text(
            0.03 + 0.345 * column,
            (strip - 0.45 - 0.2 * row) / fig.get_figheight(),
            f"{letter}  {reason}",
            va="center",
            fontsize=9,
            color=back,
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
        bbox_to_anchor=(0.5, 0.02),
        ncol=2,
        fontsize=9,
        handlelength=2.6,
    )
    return fig


def _step_box(ax, centre, size, texts, heights, palette, *, sizes, rounding, linewidth):
    """A step's box at *centre* of *size*, with its name (bold) and what it
    produces written at the two *heights*, in the two font *sizes*."""
    (x, y), (width, height) = centre, size
    accent = palette["series"][0]
    box = FancyBboxPatch(
        (x - width / 2, y - height / 2),
        width,
        height,
        boxstyle=f"round,pad=0,rounding_size={rounding}",
        facecolor=_tint(accent, palette["page"], 0.14),
        edgecolor=accent,
        linewidth=linewidth,
        zorder=2,
    )
    ax.add_patch(box)
    for text, at, fontsize, weight in zip(texts, heights, sizes, ("bold", "normal"), strict=True):
        ax.text(
            x,
            at,
            text,
            ha="center",
            va="center",
            fontsize=fontsize,
            weight=weight,
            color=palette["text"],
            linespacing=1.1,
            zorder=3,
        )
    return box


def _letter(ax, x: float, y: float, letter: str, colour, palette, *, fontsize: float) -> None:
    """A return's letter, on its arrow, on a disc of the page's colour."""
    ax.text(
        x,
        y,
        letter,
        ha="center",
        va="center",
        fontsize=fontsize,
        weight="bold",
        color=colour,
        zorder=3,
        bbox={"boxstyle": "circle,pad=0.15", "facecolor": palette["page"], "linewidth": 0},
    )


def _column(palette):
    """The phone's drawing: the steps one above the other, the next step
    straight down, the way back to the start on the left, and the returns on
    the right, each lettered on its arrow and explained below."""
    from matplotlib.path import Path

    back = palette["series"][1]
    width, box_width, gap = 3.4, 2.15, 0.3
    heights = [0.62 if "\n" in name else 0.5 for name, _ in STEPS]
    centre_x = 1.45
    left, right = centre_x - box_width / 2, centre_x + box_width / 2
    tops, top = [], 0.0
    for height in heights:
        tops.append(top)
        top -= height + gap
    boxes_bottom = tops[-1] - heights[-1]
    legend_lines = len(RETURNS) + 1
    total = -boxes_bottom + 0.25 + 0.2 * legend_lines
    fig = plt.figure(figsize=(width, total + 0.1))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(-total, 0.1)
    ax.axis("off")

    middles = []
    for (name, produces), top, height in zip(STEPS, tops, heights, strict=True):
        middle = top - height / 2
        middles.append(middle)
        lines = name.count("\n") + 1
        _step_box(
            ax,
            (centre_x, middle),
            (box_width, height),
            (name, produces),
            (middle + 0.07 * lines, middle - 0.07 - 0.07 * lines),
            palette,
            sizes=(9.5, 8.5),
            rounding=0.08,
            linewidth=1.2,
        )

    def path_arrow(points, **style) -> None:
        codes = [Path.MOVETO] + [Path.LINETO] * (len(points) - 1)
        ax.add_patch(FancyArrowPatch(path=Path(points, codes), zorder=1, **style))

    ink = {"color": palette["text"], "linewidth": 1.4}
    head = "-|>,head_length=5,head_width=3"
    for step in range(len(STEPS) - 1):
        below, above = tops[step] - heights[step], tops[step + 1]
        path_arrow([(centre_x, below), (centre_x, above)], arrowstyle=head, **ink)
    # From the last step back to the first, round the left.
    out = left - 0.22
    path_arrow(
        [(left, middles[-1]), (out, middles[-1]), (out, middles[0]), (left, middles[0])],
        arrowstyle=head,
        **ink,
    )
    # The returns, against the flow on the right, the longer further out.
    dashed = {"color": back, "linewidth": 1.2, "linestyle": (0, (4, 2.5))}
    for index, (start, end, letter, reason) in enumerate(RETURNS):
        span = start - end
        out = right + 0.16 + 0.2 * (span - 1)
        leave, arrive = middles[start - 1] - 0.1, middles[end - 1] + 0.06 * span
        path_arrow(
            [(right, leave), (out, leave), (out, arrive), (right, arrive)],
            arrowstyle=head,
            **dashed,
        )
        _letter(ax, out, (leave + arrive) / 2, letter, back, palette, fontsize=9)
        ax.text(
            0.1,
            boxes_bottom - 0.3 - 0.2 * index,
            f"{letter}  {reason}",
            ha="left",
            va="center",
            fontsize=8.5,
            color=back,
        )
    legend = [
        plt.Line2D([], [], color=palette["text"], linewidth=1.4, label="the next step"),
        plt.Line2D(
            [],
            [],
            label="a common return",
            **dashed,
        ),
    ]
    ax.legend(
        handles=legend,
        loc="lower left",
        bbox_to_anchor=(0.0, 0.0),
        ncol=2,
        fontsize=8.5,
        handlelength=2.4,
    )
    return fig
