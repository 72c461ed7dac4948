"""Chapter 5's whole-bill calculator: both designs' whole monthly bills, side by side.

:func:`compute` prices both whole bills and both break-even points with
:func:`ec2vslambda.bills.whole_bill_at` and :func:`~ec2vslambda.bills.whole_bill_break_even`;
:func:`run` lays them out (the bill line by line, the sentence, and the chart's four curves with
the compute-only and whole-bill crossings marked). The notebook's own figure
(:func:`ec2vslambda.widgets.whole_bill.cost_figure`) draws the same model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .. import bills, bounds, pricing
from ..words import large_count, say, word
from . import (
    Calculator,
    Field,
    axis,
    dataclass_fields,
    line_chart,
    region_choice,
    result,
    vline,
)
from . import series as chart_series
from .pricing import ALLOWED, PRICING_ALIASES, PRICING_LABELS, instance_choices

__all__ = ["CALCULATOR", "WholeBillInputs", "WholeBillResult", "compute", "run", "series",
           "summary"]


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

    def options(self) -> dict[str, Any]:
        """The :func:`ec2vslambda.bills.whole_bill` options these inputs set."""
        return {"front_door": self.front_door, "arch": self.arch, "region": self.region,
                "pricing": self.pricing_model, "nat_gateways": self.nat_gateways}


@dataclass(frozen=True)
class WholeBillResult:
    inputs: WholeBillInputs
    bill: bills.WholeBill
    compute_break_even: int | None  # requests a month, Lambda compute vs the fleet's hours
    whole_break_even: int | None  # requests a month, whole bill vs whole bill

    def rows(self) -> list[dict[str, str]]:
        """Display rows: line, each design's charge (``—`` where it does not apply), what."""
        line, lam_what, ec2_what = word("Line"), word("Lambda: what"), word("EC2: what")
        return [{line: r["line"], "Lambda": r["lambda"], "EC2": r["ec2"],
                 lam_what: r["lambda_detail"], ec2_what: r["ec2_detail"]}
                for r in self.bill.rows()]

    def table(self):
        """:meth:`rows` as a pandas table indexed by line."""
        import pandas as pd

        return pd.DataFrame(self.rows()).set_index(word("Line"))

    def as_plain(self) -> dict[str, object]:
        return {"rows": self.rows(), "summary": summary(self),
                "compute_break_even": self.compute_break_even,
                "whole_break_even": self.whole_break_even,
                "lambda_total_usd": self.bill.lambda_total_usd,
                "ec2_total_usd": self.bill.ec2_total_usd}


def compute(inputs: WholeBillInputs) -> WholeBillResult:
    """Price both whole bills and both break-even points; raises ValueError on bad input."""
    i = inputs
    bill = bills.whole_bill_at(i.requests_per_month, i.duration_ms, i.memory_mb,
                                 i.instance_type, i.instance_count, response_kb=i.response_kb,
                                 **i.options())
    compute_even = pricing.break_even_requests(i.duration_ms, i.memory_mb, i.instance_type,
                                               count=i.instance_count, arch=i.arch,
                                               pricing=i.pricing_model, region=i.region)
    whole_even = bills.whole_bill_break_even(i.duration_ms, i.memory_mb, i.instance_type,
                                               i.instance_count, response_kb=i.response_kb,
                                               **i.options())
    return WholeBillResult(inputs, bill, compute_even, whole_even)


def summary(result: WholeBillResult) -> str:
    """The bill's summary and where the two break-even points lie (``None``: the bills never
    cross, and Lambda stays cheaper)."""
    compute, whole = result.compute_break_even, result.whole_break_even
    if compute is not None and whole is not None:
        where = say("On compute alone the two cost the same at {compute} requests a month; on "
                    "the whole bill, at {whole}.", compute=large_count(compute),
                    whole=large_count(whole))
    elif whole is not None:
        where = say("On compute alone Lambda stays cheaper at any traffic; on the whole bill the "
                    "two cost the same at {whole} requests a month.", whole=large_count(whole))
    elif compute is not None:
        where = say("On compute alone the two cost the same at {compute} requests a month; on "
                    "the whole bill Lambda stays cheaper at any traffic.",
                    compute=large_count(compute))
    else:
        where = word("Lambda stays cheaper at any traffic, on compute alone and on the whole "
                     "bill.")
    return result.bill.summary() + " " + where


def series(inputs: WholeBillInputs, requests_range: tuple[float, float] = (1e5, 1e10),
           points: int = 120) -> dict[str, list[float]]:
    """The chart's four curves over a geometric grid of request counts, as plain lists."""
    low, high = requests_range
    step = (math.log10(high) - math.log10(low)) / (points - 1)
    grid = [10 ** (math.log10(low) + k * step) for k in range(points)]
    i = inputs
    return bills.whole_bill_series(grid, i.duration_ms, i.memory_mb, i.instance_type,
                                     i.instance_count, response_kb=i.response_kb, **i.options())



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


def run(values: dict) -> dict:
    inputs = WholeBillInputs(**values)
    outcome = compute(inputs)
    curves = series(inputs, points=61)
    x = curves["requests"]
    fleet = f"{inputs.instance_count} x {inputs.instance_type}"
    lines = [chart_series(word("Lambda, compute only"), x, curves["lambda_compute"],
                          colour="orange", style="dotted"),
             chart_series(say("EC2 {fleet}, compute only", fleet=fleet), x, curves["ec2_compute"],
                          colour="blue", style="dotted"),
             chart_series(say("Lambda, whole bill ({front_door})",
                              front_door=word(bills.FRONT_DOORS[inputs.front_door])), x,
                          curves["lambda_total"], colour="orange"),
             chart_series(say("EC2 {fleet}, whole bill (ALB, EBS, IPv4)", fleet=fleet), x,
                          curves["ec2_total"], colour="blue")]
    marks = [vline(inputs.requests_per_month, word("your traffic"))]
    for even, what, colour in ((outcome.compute_break_even, word("compute"), "grey"),
                               (outcome.whole_break_even, word("whole bill"), "black")):
        if even is not None and x[0] <= even <= x[-1]:
            marks.append(vline(even, f"{what}: {even:,}", colour=colour, style="dashed"))
    chart = line_chart(word("The whole bill moves the crossing"),
                       axis(word("requests per month"), log=True),
                       axis(word("cost per month (USD)"), log=True, minimum=1), lines,
                       vlines=marks)
    rows = outcome.rows()
    return result(CALCULATOR.title, summary(outcome),
                  numbers={"lambda_total_usd": outcome.bill.lambda_total_usd,
                           "ec2_total_usd": outcome.bill.ec2_total_usd,
                           "compute_break_even": outcome.compute_break_even,
                           "whole_break_even": outcome.whole_break_even},
                  columns=list(rows[0]), rows=[list(r.values()) for r in rows], chart=chart)


def _fields() -> tuple[Field, ...]:
    return dataclass_fields(
        WholeBillInputs, _LABELS,
        allowed={**ALLOWED, "response_kb": bounds.RESPONSE_KB,
                 "nat_gateways": bounds.FLEET_OR_NONE},
        choices={"arch": (("x86_64", "arm64"), ()),
                 "front_door": (tuple(bills.FRONT_DOORS), tuple(bills.FRONT_DOORS.values())),
                 "instance_type": (instance_choices(), ()),
                 "pricing_model": (tuple(PRICING_LABELS), tuple(PRICING_LABELS.values())),
                 "region": region_choice()})


CALCULATOR = Calculator(name="whole_bill", title="The whole bill: Lambda vs EC2", run=run,
                        intro="Both designs' whole monthly bills: compute, front door, network, "
                              "storage and logs.",
                        fields=_fields(), aliases=PRICING_ALIASES)
