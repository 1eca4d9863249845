"""Figures for chapter-1/stakeholders.md, drawn by the package."""

import matplotlib.pyplot as plt
import numpy as np
from dmls_figures import figure
from matplotlib.colors import to_rgb

from dmls_examples.datasets import BLEND_SWEEP, restaurants
from dmls_examples.objectives import min_max_scale, rank_by_blend


def _cell_colours(colour: str, strength: float, page_colour: str) -> tuple:
    """Fill colour of a cell, *colour* over the page, and a text colour that reads on it."""
    fill = np.array(to_rgb(colour))
    page = np.array(to_rgb(page_colour))
    mixed = strength * fill + (1 - strength) * page
    linear = np.where(mixed <= 0.04045, mixed / 12.92, ((mixed + 0.055) / 1.055) ** 2.4)
    luminance = linear @ [0.2126, 0.7152, 0.0722]
    return tuple(mixed), "#ffffff" if luminance < 0.35 else "#0d1117"


@figure("objective-blend")
def objective_blend(palette):
    data = restaurants()
    revenue = min_max_scale(data.revenue)
    clicks = min_max_scale(data.click_probability)
    # Every other weight of the page's sweep: columns 0.1 apart.
    alphas = BLEND_SWEEP.alphas()[::2]
    k = BLEND_SWEEP.k

    # rank[i, j]: 1-based rank of restaurant i at alphas[j].
    rank = np.empty((len(data.names), len(alphas)), dtype=int)
    for j, alpha in enumerate(alphas):
        order = rank_by_blend(revenue, clicks, alpha=alpha)
        rank[order, j] = np.arange(1, len(order) + 1)

    fig, ax = plt.subplots(figsize=(7.2, 4.0))
    colour = palette["series"][0]
    for i in range(rank.shape[0]):
        for j in range(rank.shape[1]):
            if rank[i, j] <= k:
                # Darker fill for a better rank; the number says the rank.
                strength = 0.95 - 0.15 * (rank[i, j] - 1)
                fill, ink = _cell_colours(colour, strength, palette["page"])
                ax.add_patch(plt.Rectangle((j - 0.45, i - 0.4), 0.9, 0.8, color=fill))
                ax.text(j, i, str(rank[i, j]), ha="center", va="center", fontsize=9, color=ink)
            else:
                ax.plot(j, i, marker=".", color=palette["grid"], markersize=4)
    ax.set_xlim(-0.6, len(alphas) - 0.4)
    ax.set_ylim(len(data.names) - 0.5, -0.5)
    ax.set_xticks(range(len(alphas)), [f"{a:.1f}" for a in alphas])
    ax.set_yticks(range(len(data.names)), data.names)
    ax.set_xlabel("alpha: 0 = rank by click likelihood only, 1 = by revenue only")
    ax.grid(visible=False)
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(length=0)
    ax.set_title(f"Top {k} restaurants as the weight on revenue grows", loc="left", fontsize=10)
    fig.tight_layout()
    return fig
