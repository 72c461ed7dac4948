"""Lab 5's figures: a bundled sample's workload report, and one traffic replayed from each layout.

Both are drawings of :mod:`ec2vslambda.figures`, so the book draws them again in each edition's
language: :func:`draw_report_chart` recomputes the report of a bundled sample (about a second)
and draws one of its charts as the notebook does; :func:`draw_layouts` takes the replayed
cold-start shares the lab computed, one per layout.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ..figures import Drawing
from ..traffic import read, report, samples
from ..words import word
from .common import chart_figure

__all__ = ["draw_layouts", "draw_report_chart", "layouts_drawing", "report_chart_drawing"]


def draw_report_chart(sample: str, chart: str) -> Figure:
    """Chart ``chart`` (``traffic`` or ``bill``) of the report on bundled sample ``sample``'s
    first file, with default options, in the active catalogue's language."""
    charts: Mapping[str, Any] = report(read(samples.paths(sample)[0]))["charts"]
    return chart_figure(charts[chart])


def report_chart_drawing(sample: str, chart: str) -> Drawing:
    """:func:`draw_report_chart` as a stored figure (the drawing ``workload_report``)."""
    return Drawing("workload_report", sample=sample, chart=chart)


def draw_layouts(shares_pct: Mapping[str, float], recorded_pct: float) -> Figure:
    """Replayed cold starts (% of invocations) for each layout of the same traffic, as bars,
    with the share the REPORT lines recorded as a dashed line."""
    names = sorted(shares_pct, key=lambda name: shares_pct[name])
    fig, ax = plt.subplots(figsize=(7, 3.6))
    # a layout's name is the reader's ``format=`` value; a catalogue may still write it otherwise
    ax.barh([word(name) for name in names], [shares_pct[name] for name in names],
            color="tab:blue")
    ax.axvline(recorded_pct, color="tab:orange", linestyle="--",
               label=word("recorded in the REPORT lines"))
    ax.set_xlabel(word("replayed cold starts (% of invocations)"))
    ax.set_title(word("The same traffic, replayed from each layout"))
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def layouts_drawing(shares_pct: Mapping[str, float], recorded_pct: float) -> Drawing:
    """:func:`draw_layouts` as a stored figure (the drawing ``workload_layouts``)."""
    return Drawing("workload_layouts", shares_pct=dict(shares_pct), recorded_pct=recorded_pct)
