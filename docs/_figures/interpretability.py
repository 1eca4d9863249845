"""Figures for chapter-1/interpretability.md, drawn by the package."""

import matplotlib.pyplot as plt
from dmls_figures import figure

from dmls_examples.datasets import loan_model
from dmls_examples.interpretability import largest_contributions, linear_contributions


@figure("loan-contributions")
def loan_contributions(palette):
    model = loan_model()
    contributions = linear_contributions(model.weights, model.applicant, reference=model.average)
    ranked = largest_contributions(model.features, contributions)
    names = [name for name, _ in ranked]
    values = [value for _, value in ranked]
    colours = [palette["series"][2] if v > 0 else palette["series"][1] for v in values]

    narrow = palette.get("narrow")
    fig, ax = plt.subplots(figsize=(3.4, 2.8) if narrow else (6.4, 2.8))
    positions = range(len(names))
    ax.barh(positions, values, color=colours, height=0.6)
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.axvline(0, color=palette["text"], linewidth=1)
    for y, value in zip(positions, values, strict=True):
        offset = 0.04 if value > 0 else -0.04
        ax.text(
            value + offset,
            y,
            # A true minus sign, as on the axis.
            f"{value:+.2f}".replace("-", "\N{MINUS SIGN}"),
            va="center",
            ha="left" if value > 0 else "right",
            color=palette["text"],
            fontsize=9,
        )
    # Room beside the longest bars for their labels.
    margin = 0.8 if narrow else 0.35
    low = min(min(values), 0) - margin
    high = max(max(values), 0) + margin
    ax.set_xlim(low, high)
    ax.set_xlabel(
        "contribution to the score (log-odds),"
        + ("\n" if narrow else " ")
        + "against the average applicant"
    )
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)
    fig.tight_layout()
    return fig
