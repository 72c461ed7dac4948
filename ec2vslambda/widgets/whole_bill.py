"""Chapter 5's whole-bill figure and static result.

The calculator's model lives in :mod:`ec2vslambda.live.whole_bill` (standard-library Python,
so the site runs it in the reader's browser); its live form is
``ec2vslambda.widgets.calculator("whole_bill")``. Here: :func:`cost_figure` draws compute-only
and whole-bill costs against requests with both crossings marked, and :func:`show` displays the
table, the summary and that figure for given inputs.
"""

from __future__ import annotations

from dataclasses import asdict

import matplotlib.pyplot as plt

from .. import bills
from ..figures import Drawing
from ..live.whole_bill import (  # the calculator's model, used by chapter 5
    WholeBillInputs,
    WholeBillResult,
    compute,
    series,
    summary,
)
from ..words import say, word
from .common import show_static

__all__ = ["WholeBillInputs", "WholeBillResult", "compute", "cost_drawing", "cost_figure",
           "draw_costs", "series", "show", "summary"]


def cost_figure(inputs: WholeBillInputs,
                requests_range: tuple[float, float] = (1e5, 1e10)) -> plt.Figure:
    """Compute-only costs (thin) and whole bills (thick) against monthly requests, for both
    designs, with the compute-only and the whole-bill crossing marked."""
    result = compute(inputs)
    curves = series(inputs, requests_range)
    x = curves["requests"]
    fig, ax = plt.subplots(figsize=(8, 4.8))
    fleet = f"{inputs.instance_count} x {inputs.instance_type}"
    ax.plot(x, curves["lambda_compute"], color="tab:orange", lw=1.2, ls=":",
            label=word("Lambda, compute only"))
    ax.plot(x, curves["ec2_compute"], color="tab:blue", lw=1.2, ls=":",
            label=say("EC2 {fleet}, compute only", fleet=fleet))
    ax.plot(x, curves["lambda_total"], color="tab:orange", lw=2.5,
            label=say("Lambda, whole bill ({front_door})",
                      front_door=word(bills.FRONT_DOORS[inputs.front_door])))
    ax.plot(x, curves["ec2_total"], color="tab:blue", lw=2.5,
            label=say("EC2 {fleet}, whole bill (ALB, EBS, IPv4)", fleet=fleet))
    for even, whole, colour in ((result.compute_break_even, False, "grey"),
                                (result.whole_break_even, True, "black")):
        if even and requests_range[0] <= even <= requests_range[1]:
            bill = bills.whole_bill_at(even, inputs.duration_ms, inputs.memory_mb,
                                         inputs.instance_type, inputs.instance_count,
                                         response_kb=inputs.response_kb, **inputs.options())
            y = bill.ec2_total_usd if whole else bill.ec2_fleet.total_usd
            ax.plot([even], [y], "o", color=colour, ms=8)
            crossing = (say("whole bill: {requests}M", requests=f"{even / 1e6:,.1f}") if whole
                        else say("compute: {requests}M", requests=f"{even / 1e6:,.1f}"))
            ax.annotate(crossing,
                        (even, y), textcoords="offset points", xytext=(8, -14 if whole else 6),
                        fontsize=9, color=colour)
    ax.set(xscale="log", yscale="log", xlabel=word("requests per month"),
           ylabel=word("cost per month (USD)"),
           title=word("The whole bill moves the crossing"))
    ax.set_ylim(bottom=1)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def show(inputs: WholeBillInputs | None = None, **figure_kwargs) -> WholeBillResult:
    """Display the table, the summary and the figure for ``inputs`` (the static result; the
    live calculator is ``ec2vslambda.widgets.calculator("whole_bill")``)."""
    inputs = inputs or WholeBillInputs()
    result = compute(inputs)
    show_static(result.table(), summary(result), cost_drawing(inputs, **figure_kwargs))
    return result


def cost_drawing(inputs: WholeBillInputs, requests_range=(1e5, 1e10)):
    """:func:`cost_figure` as a figure the book stores with its data (the drawing ``whole_bill``
    of :mod:`ec2vslambda.figures`), which draws it again in each edition's language."""
    return Drawing("whole_bill", inputs=asdict(inputs), requests_range=requests_range)


def draw_costs(inputs: dict, requests_range: list):
    return cost_figure(WholeBillInputs(**inputs), requests_range=tuple(requests_range))
