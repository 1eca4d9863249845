"""Figures for chapter-2/framing-ml-problems.md, drawn from the package."""

import matplotlib.pyplot as plt
import numpy as np
from dmls_figures import figure

from dmls_examples.framing import log_loss, mean_squared_error


@figure("loss-curves")
def loss_curves(palette):
    # One example whose true class is 1; the model says P(class 1) = p.
    p = np.linspace(0.005, 1.0, 400)
    logs = [log_loss([1], [float(q)]) for q in p]
    squares = [mean_squared_error([1.0], [float(q)]) for q in p]

    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    ax.plot(p, logs, color=palette["series"][0], linewidth=2, label="log loss, −ln p")
    ax.plot(
        p,
        squares,
        color=palette["series"][1],
        linewidth=2,
        linestyle="--",
        label="squared error, (1 − p)²",
    )
    ax.set_xlabel("predicted probability of the true class, p")
    ax.set_ylabel("loss for this example")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 5)
    ax.legend(loc="upper right")
    return fig
