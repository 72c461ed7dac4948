"""Chapter 4's calculator: how cold starts shape p50, p95 and p99.

The INIT floor is the measured hello-world INIT of ``data/cold_starts.csv``
(:func:`ec2vslambda.coldstarts.init_ms`), to which the reader adds their own INIT work; the
percentiles are :func:`ec2vslambda.latency.tail_latency`'s exact mixture quantiles.
"""

from __future__ import annotations

from .. import bounds, coldstarts, latency
from ..validation import PROBLEMS, InputError
from ..words import say, word
from . import Calculator, Field, axis, line_chart, result, series, vline

__all__ = ["CALCULATOR", "CHART_SHARES", "MEMORY_SIZES_MB", "PERCENTILE_COLOURS", "run"]

MEMORY_SIZES_MB = (128, 256, 512, 1024)
#: Cold-start shares the chart spans (fractions), log-spaced.
CHART_SHARES = tuple(1e-4 * (0.3 / 1e-4) ** (i / 79) for i in range(80))
PERCENTILE_COLOURS = {50: "green", 95: "orange", 99: "red"}


def run(inputs: dict) -> dict:
    cold_percent, extra = inputs["cold_percent"], inputs["extra_init_ms"]
    floor = coldstarts.init_ms(inputs["runtime"], inputs["arch"], inputs["memory_mb"])
    room = bounds.INIT_MS.but(high=bounds.INIT_MS_MAX - floor)  # INIT's limit, less the floor
    if extra > bounds.INIT_MS_MAX - floor:
        raise InputError("extra_init_ms", extra, PROBLEMS["range"], room,
                         involves=("runtime", "arch", "memory_mb"))
    init_ms = floor + extra
    warm_ms, sigma = inputs["warm_ms"], inputs["warm_sigma"]
    cold = latency.tail_latency(cold_percent / 100.0, init_ms, warm_ms, warm_sigma=sigma)
    none = latency.tail_latency(0.0, init_ms, warm_ms, warm_sigma=sigma)
    rows = [(f"p{p}", f"{none.percentiles_ms[p]:,.1f}", f"{v:,.1f}")
            for p, v in sorted(cold.percentiles_ms.items())]
    p50, p99 = cold.percentiles_ms[50], cold.percentiles_ms[99]
    summary = say("INIT {init} ms ({runtime}, {arch}, {memory} MB hello-world floor {floor} ms + "
                  "{extra} ms of your own). With {share}% cold starts: p50 {p50} ms, p99 {p99} "
                  "ms.", init=f"{init_ms:,.1f}", runtime=inputs["runtime"], arch=inputs["arch"],
                  memory=inputs["memory_mb"], floor=f"{floor:,.1f}", extra=f"{extra:,.0f}",
                  share=f"{cold_percent:g}", p50=f"{p50:,.1f}", p99=f"{p99:,.1f}")
    lines = [series(f"p{p}", [100 * s for s in CHART_SHARES],
                    latency.percentile_curve(CHART_SHARES, init_ms, warm_ms, percentile=p,
                                             warm_sigma=sigma), colour=PERCENTILE_COLOURS[p])
             for p in latency.DEFAULT_PERCENTILES]
    marks = [vline(1, "1%"), vline(5, "5%"),
             vline(cold_percent, say("your share: {share}%", share=f"{cold_percent:g}"),
                   colour="black", style="dashed")]
    chart = line_chart(word("p99 jumps once more than 1% of invocations are cold; p95 at 5%"),
                       axis(word("cold starts (% of invocations)"), log=True),
                       axis(word("latency (ms)")), lines, vlines=marks)
    return result(CALCULATOR.title, summary,
                  numbers={"init_ms": init_ms, "floor_init_ms": floor,
                           **{f"p{p}_ms": v for p, v in cold.percentiles_ms.items()},
                           **{f"p{p}_no_cold_ms": v for p, v in none.percentiles_ms.items()}},
                  columns=(word("Percentile"), word("No cold starts (ms)"),
                           say("{share}% cold (ms)", share=f"{cold_percent:g}")),
                  rows=rows, chart=chart)


def _fields() -> tuple[Field, ...]:
    return (
        Field("cold_percent", "Cold starts", "number", 2.0, "% of invocations",
              allowed=bounds.PERCENT, step=0.5),
        Field("runtime", "Runtime (measured INIT)", "choice", "python3.13",
              options=coldstarts.runtimes()),
        Field("arch", "Architecture", "choice", "arm64", options=("x86_64", "arm64")),
        Field("memory_mb", "Memory", "choice", 512, "MB", options=MEMORY_SIZES_MB),
        Field("extra_init_ms", "Your own INIT work", "number", 0.0, "ms",
              allowed=bounds.INIT_MS, step=50),
        Field("warm_ms", "Warm duration, median", "number", 40.0, "ms", allowed=bounds.WARM_MS),
        Field("warm_sigma", "Warm spread (log-normal sigma)", "number",
              latency.DEFAULT_WARM_SIGMA, allowed=latency.WARM_SIGMA, step=0.05),
    )


CALCULATOR = Calculator(name="tail_latency", title="Tail latency with cold starts", run=run,
                        intro="Pick a runtime and a share of cold starts; the percentiles "
                              "follow.", fields=_fields())
