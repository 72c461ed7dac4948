"""Chapter 6's decision-guide figure and static results.

The guide's arithmetic is :mod:`ec2vslambda.decide`; its calculator (inputs, recommendation and
reasons as plain data) is :mod:`ec2vslambda.live.decision`, live on the site and in Jupyter as
``ec2vslambda.widgets.calculator("decision")``. Here: :func:`cost_figure` draws every option's
monthly cost (those that cannot run the work greyed out) and :func:`show` displays the table, the
reasons and the figure for a workload.
"""

from __future__ import annotations

from dataclasses import asdict

import matplotlib.pyplot as plt
from matplotlib.patches import Patch

from .. import decide as _decide
from .. import pricing
from ..figures import Drawing
from ..live.decision import DecisionInputs  # the guide's inputs, for chapter 6
from ..words import say, word
from .common import show_static

__all__ = ["DecisionInputs", "cost_figure", "draw_costs", "show"]


def cost_figure(rec: _decide.Recommendation, *, title: str | None = None) -> plt.Figure:
    """Horizontal bars of each option's monthly cost on a log axis; the recommendation in
    orange, options that fit in blue, those ruled out in grey (or only named, with no cost,
    when they cannot run the work at all)."""
    options = list(reversed(rec.options))
    fig, ax = plt.subplots(figsize=(8, 3.6))
    costs = [o.monthly_usd for o in options if o.monthly_usd]
    floor = min(costs) / 3 if costs else 0.01
    for y, o in enumerate(options):
        if o.monthly_usd is None:
            ax.text(floor, y, "  " + word("cannot run this work"), va="center", fontsize=8,
                    color="grey")
            continue
        colour = ("tab:orange" if o.option == rec.choice
                  else "tab:blue" if o.eligible else "lightgrey")
        ax.barh(y, o.monthly_usd - floor, left=floor, color=colour,
                hatch=None if o.eligible else "//", edgecolor="grey")
        ax.text(o.monthly_usd, y, f" {pricing.format_usd(o.monthly_usd)}", va="center",
                fontsize=8)
    ax.set_yticks(range(len(options)), [word(o.label) for o in options], fontsize=9)
    ax.set_xscale("log")
    ax.set_xlim(floor, max(costs + [floor * 10]) * 8)
    ax.set(xlabel=word("USD per month (log scale)"),
           title=word(title) if title else say("{workload}: {option} recommended",
                                               workload=word(rec.workload.name),
                                               option=word(rec.label)))
    ax.grid(True, axis="x", which="major", alpha=0.3)
    ax.legend(handles=[Patch(facecolor="tab:orange", label=word("recommended")),
                       Patch(facecolor="tab:blue", label=word("fits")),
                       Patch(facecolor="lightgrey", hatch="//", edgecolor="grey",
                             label=word("ruled out"))], fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def show(workload: _decide.Workload, assumptions: _decide.Assumptions | None = None, *,
         figure: bool = True) -> _decide.Recommendation:
    """Display the options table, the reasons and (optionally) the figure: the static result."""
    assumptions = assumptions or _decide.Assumptions()
    rec = _decide.decide(workload, assumptions)
    drawing = Drawing("decision", workload=asdict(workload), assumptions=asdict(assumptions))
    show_static(rec.table(), rec.reasons_markdown(), drawing if figure else None)
    return rec


def draw_costs(workload: dict, assumptions: dict, title: str | None = None):
    """:func:`cost_figure` of the recommendation for ``workload`` and ``assumptions`` (the
    drawing ``decision`` of :mod:`ec2vslambda.figures`)."""
    return cost_figure(_decide.decide(_decide.Workload(**workload),
                                      _decide.Assumptions(**assumptions)), title=title)
