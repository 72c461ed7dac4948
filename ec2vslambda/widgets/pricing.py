"""Chapter 5's price tables, cost figure and static result.

The calculator's model lives in :mod:`ec2vslambda.live.pricing` (standard-library Python, so the
site runs it in the reader's browser); its live form is ``ec2vslambda.widgets.calculator(
"pricing")``. Here: :func:`rate_rows`/:func:`rates_table` show a price file's rows with where
each figure comes from, :func:`cost_figure` draws cost against requests for several fleets, and
:func:`show` displays the table, the summary and that figure for given inputs.
"""

from __future__ import annotations

from dataclasses import asdict

import matplotlib.pyplot as plt

from .. import data as _data
from .. import pricing
from ..figures import Drawing
from ..live.pricing import (  # the calculator's model, used by chapters 5 and 6
    PRICING_LABELS,
    Comparison,
    PricingInputs,
    comparison,
    instance_choices,
    summary,
)
from ..words import say, term, word
from .common import show_static

__all__ = ["FLEET_COLOURS", "PRICING_LABELS", "PRICING_WORDS", "Comparison", "PricingInputs",
           "comparison", "cost_drawing", "cost_figure", "draw_costs", "instance_choices",
           "rate_rows", "rates_table", "show", "summary"]

FLEET_COLOURS = ("tab:blue", "tab:green", "tab:purple", "tab:red", "tab:brown", "tab:cyan")


def _quantity(x: float) -> str:
    for size, name in ((1e9, "billion"), (1e6, "million")):
        if x >= size:
            return f"{x / size:,.6g} {name}"
    return f"{x:,.10g}"


def _tier_text(start: float | None, end: float | None) -> str:
    if start is None and end is None:
        return "—"
    if end is None:
        return f"above {_quantity(start or 0.0)}"
    return f"{_quantity(start or 0.0)} to {_quantity(end)}"


def rate_rows(file: str, region: str = "us-east-1") -> list[dict[str, str]]:
    """The rows of price file ``file`` that hold in ``region`` (its own and the ``global``
    ones) as display strings: the tier as a range (``—`` for a flat rate) and where the
    figure comes from (AWS's page, or a third-party copy: see the file's provenance column)."""
    region = _data.check_region(region)
    rows = []
    for r in _data.regional_rows(_data.load(file), region):
        row = {"item": str(r["item"])}
        if r.get("arch", "any") != "any":
            row["item"] += f" ({r['arch']})"
        row |= {"region": str(r["region"]), "tier": _tier_text(r.get("tier_start"),
                                                                r.get("tier_end")),
                "value": f"{r['value']:,.10g}", "unit": str(r["unit"]),
                "as of": str(r["as_of"]),
                "figure from": "third-party copy" if r.get("provenance") else "AWS"}
        rows.append(row)
    return rows


def rates_table(file: str, region: str = "us-east-1"):
    """:func:`rate_rows` as a pandas table indexed by item."""
    import pandas as pd

    return pd.DataFrame(rate_rows(file, region)).set_index("item")


def cost_figure(inputs: PricingInputs, *, fleets: tuple[tuple[str, int, str], ...] | None = None,
                requests_range: tuple[float, float] = (1e5, 1e10)) -> plt.Figure:
    """Monthly cost against monthly requests: Lambda's rising line, each fleet's flat one, and
    the break-even points marked."""
    import numpy as np

    fleets = fleets or ((inputs.instance_type, inputs.instance_count, inputs.pricing_model),)
    grid = np.geomspace(*requests_range, 400)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot(grid, pricing.lambda_cost_curve_usd(grid, inputs.duration_ms, inputs.memory_mb,
                                                arch=inputs.arch, free_tier=inputs.free_tier,
                                                region=inputs.region),
            color="tab:orange", lw=2.5,
            label=say("Lambda ({memory} MB, {duration} ms, {arch})", memory=f"{inputs.memory_mb}",
                      duration=f"{inputs.duration_ms:g}", arch=inputs.arch))
    for (name, count, model), colour in zip(fleets, FLEET_COLOURS, strict=False):
        monthly = pricing.ec2_monthly_usd(name, count=count, pricing=model, region=inputs.region)
        label = (say("EC2 {count} x {name}", count=f"{count}", name=name) if model == "on_demand"
                 else say("EC2 {count} x {name} ({model})", count=f"{count}", name=name,
                          model=word(PRICING_WORDS.get(model, model))))
        ax.axhline(monthly, color=colour, lw=1.5, ls="--", label=label)
        even = pricing.break_even_requests(inputs.duration_ms, inputs.memory_mb, name, count=count,
                                           arch=inputs.arch, free_tier=inputs.free_tier,
                                           pricing=model, region=inputs.region)
        if even and requests_range[0] <= even <= requests_range[1]:
            ax.plot([even], [monthly], "o", color=colour, ms=8)
            ax.annotate(f"{even / 1e6:,.1f}M", (even, monthly), textcoords="offset points",
                        xytext=(6, -14), fontsize=9, color=colour)
    if requests_range[0] <= inputs.requests_per_month <= requests_range[1]:
        ax.axvline(inputs.requests_per_month, color="grey", lw=1, ls=":",
                   label=say("your traffic: {requests} requests",
                             requests=f"{inputs.requests_per_month:,.0f}"))
    ax.set(xscale="log", yscale="log", xlabel=word("requests per month"),
           ylabel=word("cost per month (USD)"),
           title=word("Lambda's bill follows traffic; an instance's does not"))
    ax.set_ylim(bottom=0.1)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def show(inputs: PricingInputs | None = None, **figure_kwargs) -> Comparison:
    """Display the table, the summary and the figure for ``inputs`` (the static result; the
    live calculator is ``ec2vslambda.widgets.calculator("pricing")``)."""
    inputs = inputs or PricingInputs()
    result = comparison(inputs)
    show_static(result.table(), summary(result), cost_drawing(inputs, **figure_kwargs))
    return result


#: How a figure's legend names a pricing model.
PRICING_WORDS = {"savings_plan": term("Savings Plan"), "spot": term("Spot")}


def cost_drawing(inputs: PricingInputs, *, fleets=None, requests_range=(1e5, 1e10)):
    """:func:`cost_figure` as a figure the book stores with its data (the drawing ``pricing`` of
    :mod:`ec2vslambda.figures`), which draws it again in each edition's language."""
    return Drawing("pricing", inputs=asdict(inputs), fleets=fleets,
                   requests_range=requests_range)


def draw_costs(inputs: dict, fleets: list | None, requests_range: list):
    return cost_figure(PricingInputs(**inputs),
                       fleets=tuple(tuple(f) for f in fleets) if fleets else None,
                       requests_range=tuple(requests_range))
