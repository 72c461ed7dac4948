"""Chapter 5's calculator: one Lambda function against an EC2 fleet, month by month.

:func:`comparison` prices both designs with :mod:`ec2vslambda.pricing`; :func:`run` lays the
result out (charges as money, a dash where a charge does not apply, the sentence, and the chart's
lines: Lambda's bill rising with the requests, the fleet's flat, their crossing marked). The
notebook's own figure (:func:`ec2vslambda.widgets.pricing.cost_figure`) draws the same model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import bounds, pricing
from .. import data as _data
from ..words import say, term, word
from . import (
    Calculator,
    Field,
    axis,
    dataclass_fields,
    line_chart,
    region_choice,
    result,
    series,
    vline,
)

__all__ = ["ALLOWED", "CALCULATOR", "CHART_REQUESTS", "LABELS", "PRICING_ALIASES", "PRICING_LABELS",
           "Comparison", "PricingInputs", "comparison", "instance_choices", "run", "summary"]

PRICING_LABELS = {"on_demand": term("On-Demand"),
                  "savings_plan": term("Savings Plan (assumed discount)"),
                  "spot": term("Spot (assumed discount)")}
#: Requests a month the chart spans: 61 log-spaced points from 100 thousand to 10 billion.
CHART_REQUESTS = tuple(10 ** (5 + 5 * k / 60) for k in range(61))


def instance_choices() -> tuple[str, ...]:
    """Every instance type priced in some region (a type the chosen region lacks is refused
    with a message naming the regions that price it)."""
    prices = _data.ec2_prices()
    return tuple(dict.fromkeys(n for r in _data.REGIONS for n in prices.in_region(r)))


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
        does not apply to a design), in the active catalogue's words (:mod:`..words`)."""
        lam = self.lambda_cost
        charge = word("Charge")
        rows = [{charge: word(label), "Lambda": pricing.format_usd(value), "EC2": "—"}
                for label, value in lam.items()[:-1]]
        rows.append({charge: say("EC2 instance-hours ({count} x {instance}, {pricing})",
                                 count=self.inputs.instance_count,
                                 instance=self.inputs.instance_type,
                                 pricing=word(PRICING_LABELS[self.ec2_cost.pricing])),
                     "Lambda": "—", "EC2": pricing.format_usd(self.ec2_cost.total_usd)})
        rows.append({charge: word("Total per month"), "Lambda": pricing.format_usd(lam.total_usd),
                     "EC2": pricing.format_usd(self.ec2_cost.total_usd)})
        return rows

    def table(self):
        """:meth:`rows` as a pandas table indexed by charge."""
        import pandas as pd

        return pd.DataFrame(self.rows()).set_index(word("Charge"))


def comparison(inputs: PricingInputs) -> Comparison:
    """Price both designs for one month; raises ValueError on bad input."""
    bounds.FLEET.check("instance_count", inputs.instance_count)
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


def summary(outcome: Comparison) -> str:
    """One or two plain sentences on the result."""
    lam, ec2 = outcome.lambda_cost.total_usd, outcome.ec2_cost.total_usd
    fields = dict(requests=f"{outcome.inputs.requests_per_month:,.0f}", lambda_usd=f"${lam:,.2f}",
                  ec2_usd=f"${ec2:,.2f}")
    if outcome.cheaper == "Lambda":
        text = say("At {requests} requests a month Lambda costs {lambda_usd} and the EC2 fleet "
                   "{ec2_usd}: Lambda is cheaper.", **fields)
    elif outcome.cheaper == "EC2":
        text = say("At {requests} requests a month Lambda costs {lambda_usd} and the EC2 fleet "
                   "{ec2_usd}: EC2 is cheaper.", **fields)
    else:
        text = say("At {requests} requests a month Lambda costs {lambda_usd} and the EC2 fleet "
                   "{ec2_usd}: neither (they cost the same) is cheaper.", **fields)
    if outcome.break_even_requests is not None:
        text += " " + say(
            "They cost the same at about {requests} requests a month ({per_second} requests per "
            "second on average).", requests=f"{outcome.break_even_requests:,}",
            per_second=f"{outcome.break_even_requests / (pricing.HOURS_PER_MONTH * 3600):,.1f}")
    return text


def run(values: dict) -> dict:
    inputs = PricingInputs(**values)
    outcome = comparison(inputs)
    lambda_usd = [pricing.lambda_cost(n, inputs.duration_ms, inputs.memory_mb, arch=inputs.arch,
                                      free_tier=inputs.free_tier, region=inputs.region).total_usd
                  for n in CHART_REQUESTS]
    fleet = f"{inputs.instance_count} x {inputs.instance_type}"
    monthly = outcome.ec2_cost.total_usd
    lines = [series(f"Lambda ({inputs.memory_mb} MB, {inputs.duration_ms:g} ms, {inputs.arch})",
                    CHART_REQUESTS, [max(v, 0.1) for v in lambda_usd], colour="orange"),
             series(f"EC2 {fleet}", [CHART_REQUESTS[0], CHART_REQUESTS[-1]], [monthly, monthly],
                    colour="blue", style="dashed")]
    marks = [vline(inputs.requests_per_month, word("your traffic"))]
    even = outcome.break_even_requests
    if even is not None and CHART_REQUESTS[0] <= even <= CHART_REQUESTS[-1]:
        marks.append(vline(even, say("break-even: {requests} requests", requests=f"{even:,}"),
                           colour="blue"))
    chart = line_chart(word("Lambda's bill follows traffic; an instance's does not"),
                       axis(word("requests per month"), log=True),
                       axis(word("cost per month (USD)"), log=True, minimum=0.1), lines,
                       vlines=marks)
    rows = outcome.rows()
    return result(CALCULATOR.title, summary(outcome),
                  numbers={"lambda_usd": outcome.lambda_cost.total_usd, "ec2_usd": monthly,
                           "break_even_requests": even, "cheaper": outcome.cheaper},
                  columns=list(rows[0]), rows=[list(r.values()) for r in rows], chart=chart)


LABELS = {"requests_per_month": "Requests per month", "duration_ms": "Average duration (ms)",
          "memory_mb": "Memory (MB)", "arch": "Lambda architecture",
          "free_tier": "Apply the free tier", "instance_type": "EC2 instance type",
          "instance_count": "Number of instances", "pricing_model": "EC2 pricing",
          "region": "Region"}


#: Each number's range, as the model declares it (:mod:`ec2vslambda.bounds`).
ALLOWED = {"requests_per_month": bounds.REQUESTS, "duration_ms": bounds.DURATION_MS,
           "memory_mb": bounds.MEMORY_MB, "instance_count": bounds.FLEET}


def _fields() -> tuple[Field, ...]:
    return dataclass_fields(
        PricingInputs, LABELS, allowed=ALLOWED,
        choices={"arch": (("x86_64", "arm64"), ()), "instance_type": (instance_choices(), ()),
                 "pricing_model": (tuple(PRICING_LABELS), tuple(PRICING_LABELS.values())),
                 "region": region_choice()})


#: ``pricing``'s parameter -> the input that feeds it, so that a refusal names the control
#: (shared with the whole bill, which takes the same inputs).
PRICING_ALIASES = {"requests": "requests_per_month", "count": "instance_count",
                   "pricing": "pricing_model"}

CALCULATOR = Calculator(name="pricing", title="Lambda vs EC2 monthly cost", run=run,
                        intro="One function against an always-on fleet, compute only.",
                        fields=_fields(), aliases=PRICING_ALIASES)
