"""Lab 1's figure of the traffic shapes: cold-start share against rate, per keep-alive window.

Lab 1's simulator itself is a calculator of the live layer
(:mod:`ec2vslambda.live.keepalive_sim`): ``show("keepalive_sim")`` and
``calculator("keepalive_sim")`` from :mod:`ec2vslambda.widgets`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .. import replay as _replay

__all__ = ["grid_figure"]


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
                    label=f"{minutes:g} min")
        ax.set_xscale("log")
        ax.set_title(_replay.shape_name(shape))
        ax.set_xlabel("requests per hour (log)")
    axes[0][0].set_ylabel("cold starts (% of requests)")
    axes[0][-1].legend(title="keep-alive", fontsize=8)
    fig.tight_layout()
    return fig
