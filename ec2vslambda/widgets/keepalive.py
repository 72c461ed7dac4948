"""Lab 1's figure of the traffic shapes: cold-start share against rate, per keep-alive window.

Lab 1's simulator itself is a calculator of the live layer
(:mod:`ec2vslambda.live.keepalive_sim`): ``show("keepalive_sim")`` and
``calculator("keepalive_sim")`` from :mod:`ec2vslambda.widgets`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .. import replay as _replay
from ..figures import Drawing, frame, unframe
from ..words import say, word

__all__ = ["GRID_COLUMNS", "draw_grid", "grid_drawing", "grid_figure"]


def grid_figure(grid: pd.DataFrame):
    """One panel per traffic shape: cold-start share against rate, a line per keep-alive window
    (``grid`` as returned by :func:`ec2vslambda.replay.cold_start_grid`)."""
    shapes = list(dict.fromkeys(grid["shape"]))
    fig, axes = plt.subplots(1, len(shapes), figsize=(3.2 * len(shapes), 3.2), sharey=True,
                             squeeze=False)
    for ax, shape in zip(axes[0], shapes, strict=True):
        mine = grid[grid["shape"] == shape]
        for minutes, line in mine.groupby("keep_alive_min"):
            ax.plot(line["rate_per_hour"], 100 * line["cold_start_ratio"], "o-", markersize=3,
                    label=say("{minutes} min", minutes=f"{minutes:g}"))
        ax.set_xscale("log")
        ax.set_title(_replay.shape_name(shape))
        ax.set_xlabel(word("requests per hour (log)"))
    axes[0][0].set_ylabel(word("cold starts (% of requests)"))
    axes[0][-1].legend(title=word("keep-alive"), fontsize=8)
    fig.tight_layout()
    return fig


GRID_COLUMNS = ("shape", "keep_alive_min", "rate_per_hour", "cold_start_ratio")


def grid_drawing(grid: pd.DataFrame):
    """:func:`grid_figure` as a figure the book stores with its data (the drawing
    ``keepalive_grid`` of :mod:`ec2vslambda.figures`)."""
    return Drawing("keepalive_grid", grid=frame(grid[list(GRID_COLUMNS)].reset_index(drop=True)))


def draw_grid(grid: dict):
    """:func:`grid_figure` of a stored grid (the drawing ``keepalive_grid``)."""
    return grid_figure(unframe(grid))
