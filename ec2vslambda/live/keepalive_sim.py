"""Lab 1's simulator: one function's day of traffic of a chosen shape under a keep-alive window.

The traffic is drawn with the standard library (:func:`ec2vslambda.streams.shaped_arrivals`)
and replayed by the standard-library engine (:func:`ec2vslambda.engine.replay_lambda`, which
agrees request by request with the compiled simulator), under the reader's window and under the
windows of :data:`SWEEP_MIN` on the same requests. So it runs in the reader's browser as well as
in a notebook.

A day has at most :data:`MAX_REQUESTS_PER_DAY` requests: the recompute replays the day once per
window (ten or so), which stays under a second in the browser at that size.
"""

from __future__ import annotations

import math

from .. import bounds, engine, pricing
from .. import data as _data
from ..streams import SHAPE_WORDS, SHAPES, shaped_arrivals
from ..validation import Allowed
from ..words import say, word
from . import Calculator, Field, axis, line_chart, money, result, series, vline

__all__ = ["CALCULATOR", "HOURS", "MAX_REQUESTS_PER_DAY", "RATE_PER_HOUR", "SWEEP_MIN", "run",
           "simulate"]

#: Windows replayed on the same traffic for the table and the chart, in minutes.
SWEEP_MIN = (0.5, 1, 2, 5, 10, 20, 30, 60, 120)
HOURS = 24.0
MAX_REQUESTS_PER_DAY = 24_000
#: Average requests an hour the simulator accepts: up to a day of :data:`MAX_REQUESTS_PER_DAY`.
RATE_PER_HOUR = Allowed(0.1, MAX_REQUESTS_PER_DAY / HOURS)
SEED = Allowed(0, 2 ** 31 - 1, whole=True)


def simulate(arrivals: list[float], duration_ms: float, init_ms: float, keep_alive_min: float,
             memory_mb: int) -> dict[str, float]:
    """One replay of ``arrivals`` (each request running ``duration_ms``) under a fixed window,
    with AWS's default limits: counts, shares, latency percentiles (ms), memory kept idle
    (GB-hours) and the cost without the free tier (USD)."""
    replayed = engine.replay_lambda(
        arrivals, [duration_ms] * len(arrivals), init_ms=init_ms,
        keep_alive_s=keep_alive_min * 60.0,
        concurrency_limit=int(_data.limit_value("concurrency_default")),
        max_new_envs_per_10s=int(_data.limit_value("scaling_rate")))
    requests, cold = len(arrivals), sum(replayed.cold)
    served = [v for v in replayed.latency_ms if not math.isnan(v)]
    cost = pricing.lambda_cost(requests, duration_ms, memory_mb, free_tier=False,
                               init_ms=init_ms,
                               cold_start_ratio=cold / requests if requests else 0.0)
    return {"requests": requests, "cold_starts": cold,
            "cold_start_share": cold / requests if requests else 0.0,
            "throttled": sum(replayed.throttled),
            "p50_ms": engine.percentile(served, 50), "p99_ms": engine.percentile(served, 99),
            "idle_gb_h": replayed.idle_env_s * memory_mb / pricing.MB_PER_GB / 3600.0,
            "cost_usd": cost.total_usd if requests else 0.0}


def run(inputs: dict) -> dict:
    shape, window = inputs["shape"], inputs["keep_alive_min"]
    arrivals = shaped_arrivals(shape, inputs["rate_per_hour"], HOURS, seed=inputs["seed"])
    options = (inputs["duration_ms"], inputs["init_ms"])
    windows = sorted(set(SWEEP_MIN) | {window})
    runs = {m: simulate(arrivals, *options, m, inputs["memory_mb"]) for m in windows}
    mine = runs[window]
    summary = say("{shape} traffic at {rate} requests an hour for a day, keep-alive {window} "
                  "min: {cold} of {requests} requests start cold (p99 {p99} ms), and the "
                  "function keeps {idle} GB-hours of memory loaded while idle.",
                  shape=word(SHAPE_WORDS[shape]), rate=f"{inputs['rate_per_hour']:g}",
                  window=f"{window:g}", cold=f"{mine['cold_start_share']:.1%}",
                  requests=f"{mine['requests']:,}", p99=f"{mine['p99_ms']:,.0f}",
                  idle=f"{mine['idle_gb_h']:,.2f}")
    rows = [(say("{minutes} (yours)", minutes=f"{m:g}") if m == window else f"{m:g}",
             f"{r['cold_starts']:,}", f"{r['cold_start_share']:.1%}",
             f"{r['p99_ms']:,.0f}", f"{r['idle_gb_h']:,.2f}", money(r["cost_usd"]))
            for m, r in runs.items()]
    idle = word("memory kept idle (GB-h)")
    chart = line_chart(
        word("The same day of traffic under each keep-alive window"),
        axis(word("keep-alive window (minutes)"), log=True),
        axis(word("cold starts (% of requests)"), minimum=0, maximum=100),
        [series(word("cold-start share"), windows,
                [100 * runs[m]["cold_start_share"] for m in windows],
                colour="blue", style="line+points"),
         series(idle, windows, [runs[m]["idle_gb_h"] for m in windows], colour="orange",
                style="dashed", axis="y2")],
        y2=axis(idle, minimum=0), vlines=[vline(window, word("your window"))])
    return result(CALCULATOR.title, summary, numbers=mine,
                  columns=(word("keep-alive (min)"), word("cold starts"),
                           word("cold-start share"), word("p99 latency (ms)"), idle,
                           word("cost, no free tier")),
                  rows=rows, chart=chart)


CALCULATOR = Calculator(
    name="keepalive_sim", title="Cold starts and keep-alive: the simulator", run=run,
    intro="One function, a day of traffic of the shape you choose, replayed request by request.",
    fields=(
        Field("shape", "Traffic shape", "choice", "poisson", options=SHAPES,
              option_labels=tuple(SHAPE_WORDS[s] for s in SHAPES)),
        Field("rate_per_hour", "Requests per hour (average)", "number", 12.0,
              allowed=RATE_PER_HOUR),
        Field("keep_alive_min", "Keep-alive window", "number", 10.0, "minutes",
              allowed=bounds.KEEP_ALIVE_MIN),
        Field("duration_ms", "Duration of a request", "number", 100.0, "ms",
              allowed=bounds.DURATION_MS),
        Field("init_ms", "INIT", "number", 200.0, "ms", allowed=bounds.INIT_MS),
        Field("memory_mb", "Memory", "integer", 512, "MB", allowed=bounds.MEMORY_MB),
        Field("seed", "Random seed", "integer", 1, allowed=SEED),
    ))
