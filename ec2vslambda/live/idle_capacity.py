"""Chapter 1's calculator: what you pay for capacity with a server, and for use with a function.

An EC2 fleet is billed for every hour it runs, busy or not. The requests a month keep its
request slots (``concurrency_per_instance`` per instance, by default one per vCPU) busy for a
share of the month, :func:`ec2vslambda.pricing.ec2_capacity_requests` being the most it could
serve; the rest of the bill pays for idle capacity. Lambda bills the same requests by use
(:func:`ec2vslambda.pricing.lambda_cost`). Idle capacity is not waste by itself: it is the
headroom that absorbs a peak, which a function gets from AWS instead.
"""

from __future__ import annotations

from .. import bounds, pricing
from ..words import say, word
from . import Calculator, Field, axis, bar_chart, money, result

__all__ = ["CALCULATOR", "run"]


def run(inputs: dict) -> dict:
    instance_type = inputs["instance_type"]
    count = inputs["instances"]
    slots = inputs["concurrency_per_instance"] or None  # 0 = one request per vCPU
    fleet = pricing.ec2_cost(instance_type, pricing.HOURS_PER_MONTH, count=count)
    capacity = pricing.ec2_capacity_requests(instance_type, inputs["duration_ms"], count=count,
                                             concurrency_per_instance=slots)
    busy_share = inputs["requests_per_month"] / capacity if capacity else 0.0
    function = pricing.lambda_cost(inputs["requests_per_month"], inputs["duration_ms"],
                                   inputs["memory_mb"], arch=inputs["arch"],
                                   free_tier=inputs["free_tier"])
    busy_usd = fleet.total_usd * min(busy_share, 1.0)
    idle_usd = fleet.total_usd - busy_usd
    if busy_share > 1:
        summary = say("{count} x {instance} cannot carry this load: it needs {share} of the "
                      "fleet's capacity. Lambda would cost {lambda_usd} a month.",
                      count=f"{count:,}",
                      instance=instance_type, share=f"{busy_share:.0%}",
                      lambda_usd=money(function.total_usd))
    else:
        summary = say("The fleet costs {fleet_usd} a month and is busy {share} of the time, so "
                      "{idle_usd} of it pays for idle capacity. Lambda bills the same requests "
                      "by use: {lambda_usd}.", fleet_usd=money(fleet.total_usd),
                      share=f"{busy_share:.1%}", idle_usd=money(idle_usd),
                      lambda_usd=money(function.total_usd))
    rows = [(say("EC2, {count} x {instance}: busy", count=f"{count:,}", instance=instance_type),
             money(busy_usd), f"{min(busy_share, 1):.1%}"),
            (say("EC2, {count} x {instance}: idle", count=f"{count:,}", instance=instance_type),
             money(idle_usd), f"{max(0.0, 1 - busy_share):.1%}"),
            (f"Lambda, {inputs['memory_mb']} MB {inputs['arch']}", money(function.total_usd),
             word("billed by use"))]
    chart = bar_chart(word("A month of capacity against a month of use"),
                      axis(word("USD per month")),
                      [(rows[0][0], busy_usd, "blue"), (rows[1][0], idle_usd, "lightgrey"),
                       (rows[2][0], function.total_usd, "orange")])
    return result(CALCULATOR.title, summary,
                  numbers={"ec2_usd": fleet.total_usd, "busy_share": busy_share,
                           "idle_usd": idle_usd, "lambda_usd": function.total_usd,
                           "capacity_requests": capacity},
                  columns=(word("line"), word("USD per month"), word("share of the fleet's time")),
                  rows=rows, chart=chart)


CALCULATOR = Calculator(
    name="idle_capacity", title="Paying for capacity or for use", run=run,
    aliases={"requests": "requests_per_month"},
    intro="One workload, priced as an always-on fleet and as a function.",
    fields=(
        Field("requests_per_month", "Requests per month", "number", 3_000_000,
              allowed=bounds.REQUESTS),
        Field("duration_ms", "Time per request", "number", 200.0, "ms",
              allowed=bounds.DURATION_MS),
        Field("instance_type", "EC2 instance type", "choice", "t4g.small",
              options=pricing.instance_types()),
        Field("instances", "Instances (always on)", "integer", 2, allowed=bounds.FLEET),
        Field("concurrency_per_instance", "Requests one instance serves at once", "integer", 0,
              allowed=pricing.SLOTS.but(low=0), help="0 = one per vCPU (CPU-bound work)."),
        Field("memory_mb", "Lambda memory", "integer", 512, "MB", allowed=bounds.MEMORY_MB),
        Field("arch", "Lambda architecture", "choice", "arm64",
              options=pricing.architectures()),
        Field("free_tier", "Apply Lambda's free tier", "flag", True),
    ))
