"""Lab 4's calculator: the thumbnail job's monthly cost as a function and as an always-on worker,
for the learner's own measured durations.

The arithmetic is :func:`ec2vslambda.upload_costs.monthly_costs` (Lambda with INIT billed on the
share of cold starts a steady stream would see, against one instance running all month); this
module sweeps it over upload rates and lays it out.
"""

from __future__ import annotations

from .. import data as _data
from .. import pricing
from ..upload_costs import monthly_costs
from ..validation import number
from . import Calculator, Field, axis, line_chart, money, result, series, vline

#: Uploads a month the chart spans: 61 log-spaced rates from a thousand to a billion.
SWEEP = tuple(10 ** (3 + 6 * i / 60) for i in range(61))


def run(inputs: dict) -> dict:
    kwargs = dict(duration_ms=inputs["warm_ms"], init_ms=inputs["init_ms"],
                  memory_mb=inputs["memory_mb"], instance_type=inputs["instance_type"],
                  keep_alive_s=number("keep_alive_min", inputs["keep_alive_min"]) * 60.0)
    row = monthly_costs([inputs["uploads_per_month"]], **kwargs)[0]
    sweep = monthly_costs(SWEEP, **kwargs)
    instance = row["ec2_instance"]
    cheaper = "Lambda" if row["lambda_usd"] < row["ec2_usd"] else "the always-on instance"
    summary = f"At {row['uploads_per_month']:,.0f} uploads a month {cheaper} is cheaper."
    if row["ec2_busy_share"] > 1:
        summary += (f" But one {instance} could not keep up: the uploads need "
                    f"{row['ec2_busy_share']:.0%} of its capacity.")
    feasible = [r for r in sweep if r["ec2_busy_share"] <= 1]
    lines = [series(f"Lambda ({inputs['memory_mb']} MB, {inputs['warm_ms']:g} ms warm)",
                    SWEEP, [r["lambda_usd"] for r in sweep], colour="orange"),
             series(f"always-on {instance}", [r["uploads_per_month"] for r in feasible],
                    [r["ec2_usd"] for r in feasible], colour="blue", style="dashed")]
    marks = [vline(row["uploads_per_month"], "your uploads")]
    if len(feasible) < len(sweep):
        marks.append(vline(max(r["uploads_per_month"] for r in feasible),
                           f"one {instance} at full capacity", colour="blue"))
    chart = line_chart("The thumbnail job: per upload or per month",
                       axis("uploads per month", log=True),
                       axis("USD per month", log=True, minimum=0.01), lines, vlines=marks)
    return result(CALCULATOR.title, summary,
                  numbers={k: row[k] for k in ("cold_start_share", "lambda_usd", "ec2_usd",
                                               "ec2_busy_share")},
                  columns=("uploads a month", "cold starts", "Lambda", f"always-on {instance}",
                           f"{instance} busy"),
                  rows=[(f"{row['uploads_per_month']:,.0f}", f"{row['cold_start_share']:.1%}",
                         money(row["lambda_usd"]), money(row["ec2_usd"]),
                         f"{row['ec2_busy_share']:.1%}")],
                  chart=chart)


CALCULATOR = Calculator(
    name="thumbnail_cost", title="Thumbnail job: monthly cost of both designs", run=run,
    aliases={"duration_ms": "warm_ms"},
    intro="Put in the times the lab measured on your machine.",
    fields=(
        Field("uploads_per_month", "Uploads per month", "number", 1_000_000, minimum=0),
        Field("warm_ms", "Warm INVOKE, measured", "number", 60.0, "ms", minimum=0),
        Field("init_ms", "Start + INIT, measured", "number", 500.0, "ms", minimum=0),
        Field("memory_mb", "Memory", "integer", 512, "MB", minimum=_data.limit_value("memory_min"),
              maximum=_data.limit_value("memory_max")),
        Field("keep_alive_min", "Assumed keep-alive", "number", 10.0, "minutes", minimum=0),
        Field("instance_type", "Always-on instance", "choice", "t3.small",
              options=pricing.instance_types()),
    ))
