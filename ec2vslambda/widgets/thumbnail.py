"""Lab 4's calculator: the monthly cost of the thumbnail job as a function and as an always-on
worker, for the learner's own measured durations.

The arithmetic is :func:`ec2vslambda.local_runtime.monthly_costs` (Lambda with INIT billed on the
share of cold starts a steady stream would see, against one instance running all month); this
module only sweeps it over upload rates, draws it and wires the controls.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import local_runtime as _lr
from .. import pricing
from ..validation import number
from .common import LiveCalculator, control_style, live_calculator, note_html, show_static

SWEEP = np.geomspace(1e3, 1e9, 61)  # uploads a month


@dataclass(frozen=True)
class ThumbnailCostInputs:
    """Defaults are round reference values; put in what the lab measured on your machine."""

    uploads_per_month: float = 1_000_000
    warm_ms: float = 60.0
    init_ms: float = 500.0
    memory_mb: int = 512
    keep_alive_min: float = 10.0
    instance_type: str = "t3.small"


@dataclass(frozen=True)
class ThumbnailCosts:
    inputs: ThumbnailCostInputs
    row: dict  # monthly_costs() at the chosen rate
    sweep: pd.DataFrame  # monthly_costs() over SWEEP

    def table(self) -> pd.DataFrame:
        r = self.row
        return pd.DataFrame({
            "uploads a month": [f"{r['uploads_per_month']:,.0f}"],
            "cold starts": [f"{r['cold_start_share']:.1%}"],
            "Lambda (USD)": [round(r["lambda_usd"], 2)],
            f"always-on {r['ec2_instance']} (USD)": [round(r["ec2_usd"], 2)],
            f"{r['ec2_instance']} busy": [f"{r['ec2_busy_share']:.1%}"],
        })

    def summary(self) -> str:
        r = self.row
        cheaper = "Lambda" if r["lambda_usd"] < r["ec2_usd"] else "the always-on instance"
        text = f"At {r['uploads_per_month']:,.0f} uploads a month {cheaper} is cheaper."
        if r["ec2_busy_share"] > 1:
            text += (f" But one {r['ec2_instance']} could not keep up: the uploads need "
                     f"{r['ec2_busy_share']:.0%} of its capacity.")
        return text


def evaluate(inputs: ThumbnailCostInputs = ThumbnailCostInputs()) -> ThumbnailCosts:
    """Cost both designs at the chosen rate and over the sweep; ValueError on bad input."""
    kwargs = dict(duration_ms=inputs.warm_ms, init_ms=inputs.init_ms, memory_mb=inputs.memory_mb,
                  instance_type=inputs.instance_type,
                  keep_alive_s=number("keep_alive_min", inputs.keep_alive_min) * 60.0)
    row = _lr.monthly_costs([inputs.uploads_per_month], **kwargs)[0]
    return ThumbnailCosts(inputs, row, pd.DataFrame(_lr.monthly_costs(SWEEP, **kwargs)))


def figure(costs: ThumbnailCosts) -> plt.Figure:
    sweep, row = costs.sweep, costs.row
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    ax.plot(sweep["uploads_per_month"], sweep["lambda_usd"], color="tab:orange", lw=2.5,
            label=f"Lambda ({costs.inputs.memory_mb} MB, {costs.inputs.warm_ms:g} ms warm)")
    feasible = sweep["ec2_busy_share"] <= 1
    ax.plot(sweep["uploads_per_month"][feasible], sweep["ec2_usd"][feasible], color="tab:blue",
            lw=2, ls="--", label=f"always-on {row['ec2_instance']}")
    if not feasible.all():
        limit = sweep["uploads_per_month"][feasible].max()
        ax.axvline(limit, color="tab:blue", lw=1, ls=":",
                   label=f"one {row['ec2_instance']} at full capacity")
    ax.axvline(row["uploads_per_month"], color="grey", lw=1, ls=":", label="your uploads")
    ax.set(xscale="log", yscale="log", xlabel="uploads per month", ylabel="USD per month",
           title="The thumbnail job: per upload or per month")
    ax.set_ylim(bottom=0.01)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def show(inputs: ThumbnailCostInputs = ThumbnailCostInputs()) -> ThumbnailCosts:
    """Display the table, a sentence and the figure for ``inputs`` (the static result)."""
    costs = evaluate(inputs)
    show_static(costs.table(), costs.summary(), figure(costs))
    return costs


def calculator(inputs: ThumbnailCostInputs = ThumbnailCostInputs()) -> LiveCalculator:
    """The live calculator: put in your measured warm INVOKE and INIT times."""
    style = control_style()
    controls = {
        "uploads_per_month": widgets.FloatText(value=inputs.uploads_per_month,
                                               description="Uploads per month", **style),
        "warm_ms": widgets.FloatText(value=inputs.warm_ms,
                                     description="Warm INVOKE, measured (ms)", **style),
        "init_ms": widgets.FloatText(value=inputs.init_ms,
                                     description="Start + INIT, measured (ms)", **style),
        "memory_mb": widgets.IntText(value=inputs.memory_mb, description="Memory (MB)", **style),
        "keep_alive_min": widgets.FloatText(value=inputs.keep_alive_min,
                                            description="Assumed keep-alive (min)", **style),
        "instance_type": widgets.Dropdown(options=pricing.instance_types(),
                                          value=inputs.instance_type,
                                          description="Always-on instance", **style),
    }

    def compute(values: dict) -> tuple[list, str]:
        costs = evaluate(replace(inputs, **values))
        return [costs.table(), figure(costs)], note_html(costs.summary())

    return live_calculator("Thumbnail job: monthly cost of both designs", controls, compute)
