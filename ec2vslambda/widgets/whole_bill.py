"""Chapter 5's whole-bill calculator: both designs' whole monthly bills, side by side.

:func:`compute` is the pure part (standard-library Python: the bill, both break-even points,
rows of display strings and the chart's series as plain lists, so a page in the reader's
browser can run it too); :func:`cost_figure` draws compute-only and whole-bill costs against
requests with both crossings marked; :func:`show` displays the table, the summary and the
figure for given inputs (the static result); :func:`calculator` wires controls to them for a
live kernel. The arithmetic is all in :func:`ec2vslambda.pricing.whole_bill`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

import ipywidgets as widgets
import matplotlib.pyplot as plt

from .. import data as _data
from .. import pricing
from .common import LiveCalculator, control_style, live_calculator, note_html, show_static
from .pricing import PRICING_LABELS, instance_choices


@dataclass(frozen=True)
class WholeBillInputs:
    """A service described by its traffic, and the two ways to run it."""

    requests_per_month: float = 20_000_000
    duration_ms: float = 120.0
    memory_mb: int = 512
    arch: str = "arm64"
    response_kb: float = 20.0
    front_door: str = "http_api"
    instance_type: str = "t4g.small"
    instance_count: int = 2
    pricing_model: str = "on_demand"
    nat_gateways: int = 0
    region: str = "us-east-1"

    def options(self) -> dict[str, object]:
        """The :func:`ec2vslambda.pricing.whole_bill` options these inputs set."""
        return {"front_door": self.front_door, "arch": self.arch, "region": self.region,
                "pricing": self.pricing_model, "nat_gateways": self.nat_gateways}


@dataclass(frozen=True)
class WholeBillResult:
    inputs: WholeBillInputs
    bill: pricing.WholeBill
    compute_break_even: int | None  # requests a month, Lambda compute vs the fleet's hours
    whole_break_even: int | None  # requests a month, whole bill vs whole bill

    def rows(self) -> list[dict[str, str]]:
        """Display rows: line, each design's charge (``—`` where it does not apply), what."""
        return [{"Line": r["line"], "Lambda": r["lambda"], "EC2": r["ec2"],
                 "Lambda: what": r["lambda_detail"], "EC2: what": r["ec2_detail"]}
                for r in self.bill.rows()]

    def table(self):
        """:meth:`rows` as a pandas table indexed by line."""
        import pandas as pd

        return pd.DataFrame(self.rows()).set_index("Line")

    def as_plain(self) -> dict[str, object]:
        return {"rows": self.rows(), "summary": summary(self),
                "compute_break_even": self.compute_break_even,
                "whole_break_even": self.whole_break_even,
                "lambda_total_usd": self.bill.lambda_total_usd,
                "ec2_total_usd": self.bill.ec2_total_usd}


def compute(inputs: WholeBillInputs) -> WholeBillResult:
    """Price both whole bills and both break-even points; raises ValueError on bad input."""
    i = inputs
    bill = pricing.whole_bill_at(i.requests_per_month, i.duration_ms, i.memory_mb,
                                 i.instance_type, i.instance_count, response_kb=i.response_kb,
                                 **i.options())
    compute_even = pricing.break_even_requests(i.duration_ms, i.memory_mb, i.instance_type,
                                               count=i.instance_count, arch=i.arch,
                                               pricing=i.pricing_model, region=i.region)
    whole_even = pricing.whole_bill_break_even(i.duration_ms, i.memory_mb, i.instance_type,
                                               i.instance_count, response_kb=i.response_kb,
                                               **i.options())
    return WholeBillResult(inputs, bill, compute_even, whole_even)


def _requests(n: int | None) -> str:
    if n is None:
        return "never (Lambda stays cheaper)"
    return f"{n / 1e6:,.1f} million" if n >= 1e6 else f"{n:,}"


def summary(result: WholeBillResult) -> str:
    """The bill's summary and where the two break-even points lie."""
    return (f"{result.bill.summary()} On compute alone the two cost the same at "
            f"{_requests(result.compute_break_even)} requests a month; on the whole bill, at "
            f"{_requests(result.whole_break_even)}.")


def series(inputs: WholeBillInputs, requests_range: tuple[float, float] = (1e5, 1e10),
           points: int = 120) -> dict[str, list[float]]:
    """The chart's four curves over a geometric grid of request counts, as plain lists."""
    low, high = requests_range
    step = (math.log10(high) - math.log10(low)) / (points - 1)
    grid = [10 ** (math.log10(low) + k * step) for k in range(points)]
    i = inputs
    return pricing.whole_bill_series(grid, i.duration_ms, i.memory_mb, i.instance_type,
                                     i.instance_count, response_kb=i.response_kb, **i.options())


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
            label="Lambda, compute only")
    ax.plot(x, curves["ec2_compute"], color="tab:blue", lw=1.2, ls=":",
            label=f"EC2 {fleet}, compute only")
    ax.plot(x, curves["lambda_total"], color="tab:orange", lw=2.5,
            label=f"Lambda, whole bill ({pricing.FRONT_DOORS[inputs.front_door]})")
    ax.plot(x, curves["ec2_total"], color="tab:blue", lw=2.5,
            label=f"EC2 {fleet}, whole bill (ALB, EBS, IPv4)")
    for even, whole, colour in ((result.compute_break_even, False, "grey"),
                                (result.whole_break_even, True, "black")):
        if even and requests_range[0] <= even <= requests_range[1]:
            bill = pricing.whole_bill_at(even, inputs.duration_ms, inputs.memory_mb,
                                         inputs.instance_type, inputs.instance_count,
                                         response_kb=inputs.response_kb, **inputs.options())
            y = bill.ec2_total_usd if whole else bill.ec2_fleet.total_usd
            ax.plot([even], [y], "o", color=colour, ms=8)
            ax.annotate(f"{'whole bill' if whole else 'compute'}: {even / 1e6:,.1f}M",
                        (even, y), textcoords="offset points", xytext=(8, -14 if whole else 6),
                        fontsize=9, color=colour)
    ax.set(xscale="log", yscale="log", xlabel="requests per month",
           ylabel="cost per month (USD)",
           title="The whole bill moves the crossing")
    ax.set_ylim(bottom=1)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def show(inputs: WholeBillInputs = WholeBillInputs(), **figure_kwargs) -> WholeBillResult:
    """Display the table, the summary and the figure for ``inputs`` (the static result)."""
    result = compute(inputs)
    show_static(result.table(), summary(result), cost_figure(inputs, **figure_kwargs))
    return result


_LABELS = {
    "requests_per_month": "Requests per month",
    "duration_ms": "Average duration (ms)",
    "memory_mb": "Lambda memory (MB)",
    "arch": "Lambda architecture",
    "response_kb": "Response size (KB, sent to the internet)",
    "front_door": "Lambda's front door",
    "instance_type": "EC2 instance type",
    "instance_count": "Number of instances",
    "pricing_model": "EC2 pricing",
    "nat_gateways": "NAT gateways (0 = public subnets)",
    "region": "Region",
}


def _control(name: str, value: object) -> widgets.Widget:
    style = control_style()
    label = _LABELS[name]
    dropdowns = {
        "arch": ["x86_64", "arm64"],
        "front_door": [(v, k) for k, v in pricing.FRONT_DOORS.items()],
        "instance_type": list(instance_choices()),
        "pricing_model": [(v, k) for k, v in PRICING_LABELS.items()],
        "region": [(f"{_data.REGION_NAMES[r]} ({r})", r) for r in _data.REGIONS],
    }
    if name in dropdowns:
        return widgets.Dropdown(options=dropdowns[name], value=value, description=label,
                                **style)
    if isinstance(value, int):
        return widgets.IntText(value=value, description=label, **style)
    return widgets.FloatText(value=value, description=label, **style)


def calculator(inputs: WholeBillInputs = WholeBillInputs()) -> LiveCalculator:
    """The live calculator: every change re-prices both whole bills and redraws."""
    controls = {f.name: _control(f.name, getattr(inputs, f.name)) for f in fields(inputs)}

    def compute_view(values: dict) -> tuple[list, str]:
        current = replace(inputs, **values)
        result = compute(current)
        return [result.table(), cost_figure(current)], note_html(summary(result))

    return live_calculator("The whole bill: Lambda vs EC2", controls, compute_view)
