"""Chapter 5's calculator: one Lambda function against an EC2 fleet, month by month.

:func:`comparison` is the pure part (standard-library Python: numbers and rows of display
strings, so a page in the reader's browser can run it too); :func:`cost_figure` draws the
cost-versus-requests plot; :func:`show` displays both for given inputs (the static result);
:func:`calculator` wires controls to them for a live kernel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import ipywidgets as widgets
import matplotlib.pyplot as plt

from .. import data as _data
from .. import pricing
from .common import LiveCalculator, control_style, live_calculator, note_html, show_static

FLEET_COLOURS = ("tab:blue", "tab:green", "tab:purple", "tab:red", "tab:brown", "tab:cyan")
PRICING_LABELS = {"on_demand": "On-Demand", "savings_plan": "Savings Plan (assumed discount)",
                  "spot": "Spot (assumed discount)"}


def instance_choices() -> tuple[str, ...]:
    """Every instance type priced in some region (a type the chosen region lacks is refused
    with a message naming the regions that price it)."""
    prices = _data.ec2_prices()
    return tuple(dict.fromkeys(n for r in _data.REGIONS for n in prices.in_region(r)))


def _quantity(x: float) -> str:
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if x >= size:
            return f"{x / size:,.6g} {word}"
    return f"{x:,.10g}"


def _tier_text(start: float | None, end: float | None) -> str:
    if start is None and end is None:
        return "—"
    if end is None:
        return f"above {_quantity(start)}"
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


@dataclass(frozen=True)
class PricingInputs:
    requests_per_month: float = 5_000_000
    duration_ms: float = 120.0
    memory_mb: int = 512
    arch: str = "arm64"
    free_tier: bool = True
    instance_type: str = "t4g.small"
    instance_count: int = 1
    pricing_model: str = "on_demand"
    region: str = "us-east-1"


@dataclass(frozen=True)
class Comparison:
    inputs: PricingInputs
    lambda_cost: pricing.LambdaCost
    ec2_cost: pricing.Ec2Cost
    break_even_requests: int | None

    @property
    def cheaper(self) -> str:
        if math.isclose(self.lambda_cost.total_usd, self.ec2_cost.total_usd, abs_tol=0.005):
            return "neither (they cost the same)"
        return "Lambda" if self.lambda_cost.total_usd < self.ec2_cost.total_usd else "EC2"

    def rows(self) -> list[dict[str, str]]:
        """Monthly charges, one row per line item, as display strings (``—`` where a charge
        does not apply to a design)."""
        lam = self.lambda_cost
        fleet = f"{self.inputs.instance_count} x {self.inputs.instance_type}"
        rows = [{"Charge": label, "Lambda": pricing.format_usd(value), "EC2": "—"}
                for label, value in lam.items()[:-1]]
        rows.append({"Charge": f"EC2 instance-hours ({fleet}, "
                               f"{PRICING_LABELS[self.ec2_cost.pricing]})",
                     "Lambda": "—", "EC2": pricing.format_usd(self.ec2_cost.total_usd)})
        rows.append({"Charge": "Total per month", "Lambda": pricing.format_usd(lam.total_usd),
                     "EC2": pricing.format_usd(self.ec2_cost.total_usd)})
        return rows

    def table(self):
        """:meth:`rows` as a pandas table indexed by charge."""
        import pandas as pd

        return pd.DataFrame(self.rows()).set_index("Charge")


def comparison(inputs: PricingInputs) -> Comparison:
    """Price both designs for one month; raises ValueError on bad input."""
    if inputs.instance_count < 1:
        raise ValueError(f"instance_count={inputs.instance_count!r} is out of range; "
                         "allowed: 1 or more")
    lam = pricing.lambda_cost(inputs.requests_per_month, inputs.duration_ms, inputs.memory_mb,
                              arch=inputs.arch, free_tier=inputs.free_tier, region=inputs.region)
    fleet = pricing.ec2_cost(inputs.instance_type, pricing.HOURS_PER_MONTH,
                             count=inputs.instance_count, pricing=inputs.pricing_model,
                             region=inputs.region)
    even = pricing.break_even_requests(inputs.duration_ms, inputs.memory_mb, inputs.instance_type,
                                       count=inputs.instance_count, arch=inputs.arch,
                                       free_tier=inputs.free_tier, pricing=inputs.pricing_model,
                                       region=inputs.region)
    return Comparison(inputs, lam, fleet, even)


def summary(result: Comparison) -> str:
    """One or two plain sentences on the result."""
    lam, ec2 = result.lambda_cost.total_usd, result.ec2_cost.total_usd
    text = (f"At {result.inputs.requests_per_month:,.0f} requests a month Lambda costs "
            f"${lam:,.2f} and the EC2 fleet ${ec2:,.2f}: {result.cheaper} is cheaper.")
    if result.break_even_requests is not None:
        text += (f" They cost the same at about {result.break_even_requests:,} requests a month"
                 f" ({result.break_even_requests / (pricing.HOURS_PER_MONTH * 3600):,.1f}"
                 " requests per second on average).")
    return text


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
            label=f"Lambda ({inputs.memory_mb} MB, {inputs.duration_ms:g} ms, {inputs.arch})")
    for (name, count, model), colour in zip(fleets, FLEET_COLOURS, strict=False):
        monthly = pricing.ec2_monthly_usd(name, count=count, pricing=model, region=inputs.region)
        label = f"EC2 {count} x {name}" + ("" if model == "on_demand" else f" ({model})")
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
                   label=f"your traffic: {inputs.requests_per_month:,.0f} requests")
    ax.set(xscale="log", yscale="log", xlabel="requests per month",
           ylabel="cost per month (USD)",
           title="Lambda's bill follows traffic; an instance's does not")
    ax.set_ylim(bottom=0.1)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def show(inputs: PricingInputs = PricingInputs(), **figure_kwargs) -> Comparison:
    """Display the table, the summary and the figure for ``inputs`` (the static result)."""
    result = comparison(inputs)
    show_static(result.table(), summary(result), cost_figure(inputs, **figure_kwargs))
    return result


def calculator(inputs: PricingInputs = PricingInputs()) -> LiveCalculator:
    """The live calculator: every control change re-prices both designs and redraws."""
    style = control_style()
    controls = {
        "requests_per_month": widgets.FloatText(value=inputs.requests_per_month,
                                                description="Requests per month", **style),
        "duration_ms": widgets.FloatText(value=inputs.duration_ms,
                                         description="Average duration (ms)", **style),
        "memory_mb": widgets.IntText(value=inputs.memory_mb, description="Memory (MB)", **style),
        "arch": widgets.Dropdown(options=["x86_64", "arm64"], value=inputs.arch,
                                 description="Lambda architecture", **style),
        "free_tier": widgets.Checkbox(value=inputs.free_tier, description="Apply the free tier",
                                      **style),
        "region": widgets.Dropdown(options=[(f"{_data.REGION_NAMES[r]} ({r})", r)
                                            for r in _data.REGIONS],
                                   value=inputs.region, description="Region", **style),
        "instance_type": widgets.Dropdown(options=instance_choices(),
                                          value=inputs.instance_type,
                                          description="EC2 instance type", **style),
        "instance_count": widgets.IntText(value=inputs.instance_count,
                                          description="Number of instances", **style),
        "pricing_model": widgets.Dropdown(options=[(v, k) for k, v in PRICING_LABELS.items()],
                                          value=inputs.pricing_model,
                                          description="EC2 pricing", **style),
    }

    def compute(values: dict) -> tuple[list, str]:
        current = replace(inputs, **values)
        result = comparison(current)
        return [result.table(), cost_figure(current)], note_html(summary(result))

    return live_calculator("Lambda vs EC2 monthly cost", controls, compute)
