"""Lab 4's calculator: the thumbnail job's monthly cost as a function and as an always-on worker,
for the learner's own measured durations.

The arithmetic is :func:`ec2vslambda.upload_costs.monthly_costs` (Lambda with INIT billed on the
share of cold starts a steady stream would see, against one instance running all month); this
module sweeps it over upload rates and lays it out.
"""

from __future__ import annotations

from .. import bounds, pricing
from ..upload_costs import monthly_costs
from ..words import say, word
from . import Calculator, Field, axis, line_chart, money, result, series, vline

__all__ = ["CALCULATOR", "SWEEP", "run"]

#: Uploads a month the chart spans: 61 log-spaced rates from a thousand to a billion.
SWEEP = tuple(10 ** (3 + 6 * i / 60) for i in range(61))


def run(inputs: dict) -> dict:
    kwargs = dict(duration_ms=inputs["warm_ms"], init_ms=inputs["init_ms"],
                  memory_mb=inputs["memory_mb"], instance_type=inputs["instance_type"],
                  keep_alive_s=inputs["keep_alive_min"] * 60.0)
    row = monthly_costs([inputs["uploads_per_month"]], **kwargs)[0]
    sweep = monthly_costs(SWEEP, **kwargs)
    instance = row["ec2_instance"]
    uploads = f"{row['uploads_per_month']:,.0f}"
    if row["lambda_usd"] < row["ec2_usd"]:
        summary = say("At {uploads} uploads a month Lambda is cheaper.", uploads=uploads)
    else:
        summary = say("At {uploads} uploads a month the always-on instance is cheaper.",
                      uploads=uploads)
    if row["ec2_busy_share"] > 1:
        summary += " " + say("But one {instance} could not keep up: the uploads need {share} of "
                             "its capacity.", instance=instance,
                             share=f"{row['ec2_busy_share']:.0%}")
    feasible = [r for r in sweep if r["ec2_busy_share"] <= 1]
    always_on = say("always-on {instance}", instance=instance)
    lines = [series(say("Lambda ({memory} MB, {warm} ms warm)", memory=inputs["memory_mb"],
                        warm=f"{inputs['warm_ms']:g}"),
                    SWEEP, [r["lambda_usd"] for r in sweep], colour="orange"),
             series(always_on, [r["uploads_per_month"] for r in feasible],
                    [r["ec2_usd"] for r in feasible], colour="blue", style="dashed")]
    marks = [vline(row["uploads_per_month"], word("your uploads"))]
    if len(feasible) < len(sweep):
        marks.append(vline(max(r["uploads_per_month"] for r in feasible),
                           say("one {instance} at full capacity", instance=instance),
                           colour="blue"))
    chart = line_chart(word("The thumbnail job: per upload or per month"),
                       axis(word("uploads per month"), log=True),
                       axis(word("USD per month"), log=True, minimum=0.01), lines, vlines=marks)
    return result(CALCULATOR.title, summary,
                  numbers={k: row[k] for k in ("cold_start_share", "lambda_usd", "ec2_usd",
                                               "ec2_busy_share")},
                  columns=(word("uploads a month"), word("cold starts"), "Lambda", always_on,
                           say("{instance} busy", instance=instance)),
                  rows=[(uploads, f"{row['cold_start_share']:.1%}",
                         money(row["lambda_usd"]), money(row["ec2_usd"]),
                         f"{row['ec2_busy_share']:.1%}")],
                  chart=chart)


CALCULATOR = Calculator(
    name="thumbnail_cost", title="Thumbnail job: monthly cost of both designs", run=run,
    aliases={"duration_ms": "warm_ms"},
    intro="Put in the times the lab measured on your machine.",
    fields=(
        Field("uploads_per_month", "Uploads per month", "number", 1_000_000,
              allowed=bounds.REQUESTS),
        Field("warm_ms", "Warm INVOKE, measured", "number", 60.0, "ms",
              allowed=bounds.DURATION_MS),
        Field("init_ms", "Start + INIT, measured", "number", 500.0, "ms", allowed=bounds.INIT_MS),
        Field("memory_mb", "Memory", "integer", 512, "MB", allowed=bounds.MEMORY_MB),
        Field("keep_alive_min", "Assumed keep-alive", "number", 10.0, "minutes",
              allowed=bounds.KEEP_ALIVE_MIN),
        Field("instance_type", "Always-on instance", "choice", "t3.small",
              options=pricing.instance_types()),
    ))
