"""Lab 2's calculator: a flash crowd on one Lambda function and on an EC2 Auto Scaling group.

The lab's default scenario (:data:`ec2vslambda.burst_model.DEFAULT`) with the inputs a reader
changes most: the crowd's peak and length, Lambda's limits, the fleet's size and warm-up. Each
recompute draws the crowd with the standard library and replays it on both designs
(:func:`ec2vslambda.burst_model.replay`, the same rules as the notebook's
:func:`ec2vslambda.burst.run_burst`, whose totals it equals on the same requests), so it runs in
the reader's browser. A crowd is capped at :data:`~ec2vslambda.burst_model.LIVE_MAX_REQUESTS`
requests so that a recompute stays near a second there.
"""

from __future__ import annotations

from .. import burst_model as _bm
from ..words import say, word
from . import Calculator, Field, axis, line_chart, money, result, series

__all__ = ["CALCULATOR", "SLO_MS", "run", "summary"]

SLO_MS = 1000.0


def summary(totals: dict, *, slo_ms: float = SLO_MS) -> str:
    """Two plain sentences comparing the designs."""
    (share, ec2_share), (requests, _) = totals["answered"], totals["requests"]
    (p99, ec2_p99), (cost, ec2_cost) = totals["p99 latency (ms)"], totals["cost (USD)"]
    return say("Lambda answered {share} of {requests} requests within {slo} ms (p99 {p99} ms, "
               "{throttled} throttled) for {cost}; the Auto Scaling group answered {ec2_share} "
               "(p99 {ec2_p99} ms) for {ec2_cost}.",
               share=f"{share:.1%}", requests=f"{requests:,}", slo=f"{slo_ms:,.0f}",
               p99=f"{p99:,.0f}", throttled=f"{totals['throttled'][0]:,}",
               cost=f"${cost:,.3f}", ec2_share=f"{ec2_share:.1%}", ec2_p99=f"{ec2_p99:,.0f}",
               ec2_cost=f"${ec2_cost:,.3f}")


def run(inputs: dict) -> dict:
    scenario = _bm.DEFAULT.with_(**inputs)
    _bm.check_size(scenario, _bm.LIVE_MAX_REQUESTS)
    replayed = _bm.replay(scenario, *_bm.draw(scenario))
    totals = _bm.totals(scenario, replayed, slo_ms=SLO_MS)
    count, share, ms = "{:,}".format, "{:.1%}".format, "{:,.0f}".format
    rows = [(word("requests"), count, "requests"), (word("throttled"), count, "throttled"),
            (word("cold starts / instance launches"), count, "cold starts / instance launches"),
            (word("p50 latency (ms)"), ms, "p50 latency (ms)"),
            (word("p99 latency (ms)"), ms, "p99 latency (ms)"),
            (word("p99.9 latency (ms)"), ms, "p99.9 latency (ms)"),
            (say("answered within {slo} ms", slo=f"{SLO_MS:,.0f}"), share, "answered"),
            (word("peak environments / instances"), count, "peak environments / instances")]
    table = [(label, fmt(totals[key][0]), fmt(totals[key][1])) for label, fmt, key in rows]
    table.append((word("cost (USD)"), money(totals["cost (USD)"][0]),
                  money(totals["cost (USD)"][1])))
    middles, rate, lam_p99, ec2_p99 = _bm.latency_bins(replayed)
    per_s = word("requests per second")
    chart = line_chart(
        word("p99 latency of the requests arriving in each 10 seconds"),
        axis(word("time (s)"), minimum=0),
        axis(word("p99 latency (ms, log scale)"), log=True),
        [series(word("Lambda"), middles, lam_p99, colour="blue", style="line"),
         series(word("EC2 Auto Scaling"), middles, ec2_p99, colour="orange", style="line"),
         series(per_s, middles, rate, colour="grey", style="dashed", axis="y2")],
        y2=axis(per_s, minimum=0))
    names = {"throttled": "throttled", "answered": "answered_share", "cost (USD)": "cost_usd",
             "p99 latency (ms)": "p99_ms", "peak environments / instances": "peak"}
    numbers = {f"{design}_{name}": totals[key][i]
               for i, design in enumerate(("lambda", "ec2")) for key, name in names.items()}
    numbers["requests"] = totals["requests"][0]
    return result(CALCULATOR.title, summary(totals), numbers=numbers,
                  columns=("", word("Lambda"), word("EC2 Auto Scaling")), rows=table,
                  chart=chart)


CALCULATOR = Calculator(
    name="burst", title="A burst: Lambda vs an Auto Scaling group", run=run,
    intro="A flash crowd served by one Lambda function and by an EC2 Auto Scaling group.",
    fields=(
        Field("peak_rate_per_s", "Peak requests per second", "number",
              _bm.DEFAULT.peak_rate_per_s, allowed=_bm.PEAK_RATE_PER_S),
        Field("ramp_s", "Climb to the peak", "number", _bm.DEFAULT.ramp_s, "s",
              allowed=_bm.WINDOW_SHARE_S),
        Field("hold_s", "Peak lasts", "number", _bm.DEFAULT.hold_s, "s",
              allowed=_bm.WINDOW_SHARE_S),
        Field("concurrency_limit", "Lambda concurrency limit", "integer",
              _bm.default_concurrency_limit(), allowed=_bm.CONCURRENCY),
        Field("provisioned", "Provisioned Concurrency", "integer", _bm.DEFAULT.provisioned,
              allowed=_bm.PROVISIONED),
        Field("warmup_s", "Instance launch to ready", "number", _bm.DEFAULT.warmup_s, "s",
              allowed=_bm.WARMUP_S),
        Field("instances", "Instances at the start (minimum)", "integer",
              _bm.DEFAULT.instances, allowed=_bm.INSTANCES),
        Field("autoscaling", "Auto Scaling (else a fixed fleet)", "flag",
              _bm.DEFAULT.autoscaling),
    ))
