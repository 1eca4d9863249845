"""Figures for chapter-2/framing-ml-problems.md, drawn from the package."""

import matplotlib.pyplot as plt
import numpy as np
from dmls_figures import figure
from matplotlib.colors import to_rgb

from dmls_examples.datasets import BLEND_SWEEP, NEWSFEED
from dmls_examples.framing import log_loss, mean_squared_error
from dmls_examples.objectives import min_max_scale, pareto_optimal, rank_by_blend


@figure("loss-curves")
def loss_curves(palette):
    # One example whose true class is 1; the model says P(class 1) = p.
    p = np.linspace(0.005, 1.0, 400)
    logs = [log_loss([1], [float(q)]) for q in p]
    squares = [mean_squared_error([1.0], [float(q)]) for q in p]

    fig, ax = plt.subplots(figsize=(3.4, 2.6) if palette.get("narrow") else (6.4, 3.2))
    ax.plot(p, logs, color=palette["series"][0], linewidth=2, label="log loss, −ln p")
    ax.plot(
        p,
        squares,
        color=palette["series"][1],
        linewidth=2,
        linestyle="--",
        label="squared error, (1 − p)²",
    )
    ax.set_xlabel(
        "predicted probability of the true class, p", fontsize=9 if palette.get("narrow") else None
    )
    ax.set_ylabel("loss for this example")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 5)
    ax.legend(loc="upper right")
    return fig


def _cell_colours(colour: str, strength: float, page_colour: str) -> tuple:
    """Fill colour of a cell, *colour* over the page, and a text colour that reads on it.

    The text is white or black, whichever contrasts more with the fill (WCAG
    contrast); one of the two always reaches 4.5:1, whatever the fill.
    """
    fill = np.array(to_rgb(colour))
    page = np.array(to_rgb(page_colour))
    mixed = strength * fill + (1 - strength) * page
    linear = np.where(mixed <= 0.04045, mixed / 12.92, ((mixed + 0.055) / 1.055) ** 2.4)
    luminance = linear @ [0.2126, 0.7152, 0.0722]
    on_white = 1.05 / (luminance + 0.05)
    on_black = (luminance + 0.05) / 0.05
    return tuple(mixed), "#ffffff" if on_white > on_black else "#000000"


def blend_ranks(alphas) -> np.ndarray:
    """rank[i, j]: the 1-based rank of post i when the weight on quality is alphas[j]."""
    quality = min_max_scale(NEWSFEED.quality)
    clicks = min_max_scale(NEWSFEED.clicks)
    rank = np.empty((len(NEWSFEED.posts), len(alphas)), dtype=int)
    for j, alpha in enumerate(alphas):
        order = rank_by_blend(quality, clicks, alpha=alpha)
        rank[order, j] = np.arange(1, len(order) + 1)
    return rank


@figure("objective-blend")
def objective_blend(palette):
    alphas = BLEND_SWEEP.alphas()
    rank = blend_ranks(alphas)
    k = BLEND_SWEEP.k

    narrow = palette.get("narrow")
    fig, ax = plt.subplots(figsize=(3.4, 3.6) if narrow else (7.2, 4.0))
    colour = palette["series"][0]
    for i in range(rank.shape[0]):
        for j in range(rank.shape[1]):
            if rank[i, j] <= k:
                # Darker fill for a better rank; the number says the rank.
                strength = 0.95 - 0.15 * (rank[i, j] - 1)
                fill, ink = _cell_colours(colour, strength, palette["page"])
                ax.add_patch(plt.Rectangle((j - 0.45, i - 0.4), 0.9, 0.8, color=fill))
                ax.text(
                    j,
                    i,
                    str(rank[i, j]),
                    ha="center",
                    va="center",
                    fontsize=8 if narrow else 9,
                    color=ink,
                )
            else:
                ax.plot(j, i, marker=".", color=palette["grid"], markersize=4)
    ax.set_xlim(-0.6, len(alphas) - 0.4)
    ax.set_ylim(len(NEWSFEED.posts) - 0.5, -0.5)
    # On a phone every other weight is named, the cells keep their numbers.
    ax.set_xticks(
        range(len(alphas)),
        [f"{a:g}" if not narrow or j % 2 == 0 else "" for j, a in enumerate(alphas)],
    )
    ax.set_yticks(range(len(NEWSFEED.posts)), NEWSFEED.posts, fontsize=8 if narrow else None)
    ax.set_xlabel(
        "weight on quality: 0 = rank by predicted clicks only, 1 = by quality only"
        if not narrow
        else "weight on quality:\n0 = by predicted clicks only, 1 = by quality only",
        fontsize=8 if narrow else None,
    )
    ax.grid(visible=False)
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(length=0)
    ax.set_title(
        f"The top {k} posts as the weight on quality grows",
        loc="right" if narrow else "left",
        fontsize=9 if narrow else 10,
    )
    fig.tight_layout()
    return fig


@figure("pareto-front")
def pareto_front(palette):
    k = BLEND_SWEEP.k
    feeds, outcomes = NEWSFEED.feeds(k)
    front = pareto_optimal(outcomes)
    quality = min_max_scale(NEWSFEED.quality)
    clicks = min_max_scale(NEWSFEED.clicks)

    narrow = palette.get("narrow")
    fig, ax = plt.subplots(figsize=(3.4, 3.0) if narrow else (6.4, 3.8))
    ax.scatter(*outcomes[~front].T, s=10, color=palette["grid"], label="other feeds")
    edge = outcomes[front][np.argsort(outcomes[front][:, 0])]
    ax.plot(*edge.T, "-o", color=palette["series"][0], markersize=4, label="Pareto front")
    # Where each label sits relative to its point: (dx, dy, alignment).
    for alpha, (dx, dy, align) in [
        (0.0, (0.02, 2, "left")),
        (0.5, (0.02, 3, "left")),
        (1.0, (-0.01, -6, "right")),
    ]:
        top = rank_by_blend(quality, clicks, alpha=alpha)[:k]
        chosen = tuple(sorted(int(i) for i in top))
        x, y = outcomes[feeds.index(chosen)]
        ax.plot(x, y, "s", color=palette["series"][1], markersize=8)
        ax.annotate(f"weight {alpha:g}", (x, y), xytext=(x + dx, y + dy), ha=align)
    ax.set_ylim(outcomes[:, 1].min() - 10, outcomes[:, 1].max() + 5)
    ax.set_xlabel(f"mean predicted quality of the {k} posts shown", fontsize=9 if narrow else None)
    ax.set_ylabel("mean predicted clicks\nper 1,000 views")
    ax.legend(loc="lower left", fontsize=8 if narrow else None)
    fig.tight_layout()
    return fig
