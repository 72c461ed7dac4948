"""Lab 3's calculator: memory settings -> duration, cost and the three power-tuning picks.

All the arithmetic is :func:`ec2vslambda.power_tuning.tune`'s; this module names the inputs and
lays the run out as a table, a sentence and a chart.
"""

from __future__ import annotations

from .. import bounds
from .. import data as _data
from .. import power_tuning as pt
from ..words import say, word
from . import Calculator, Field, axis, dash, line_chart, money, result, series

__all__ = ["CALCULATOR", "PICK_COLOURS", "STRATEGY_WORDS", "run"]

PICK_COLOURS = {"cost": "green", "speed": "red", "balanced": "purple"}

STRATEGY_WORDS = pt.STRATEGY_WORDS


def run(inputs: dict) -> dict:
    tuned = pt.tune(**inputs)
    rows = [(f"{r['memory_mb']:,}", f"{r['vcpus']:.2f}", f"{r['duration_ms']:,.1f}",
             dash(r["billed_duration_ms"], "{:,.1f}"), money(r["cost_usd_per_million"]),
             tuned.picked_for(r["memory_mb"])) for r in tuned.rows]
    summary = say("Cheapest {cost} MB, fastest {speed} MB, balanced {balanced} MB (weight "
                  "{weight}).", cost=f"{tuned.cost_optimal_mb:,}",
                  speed=f"{tuned.speed_optimal_mb:,}", balanced=f"{tuned.balanced_mb:,}",
                  weight=f"{tuned.balanced_weight:g}")
    fitting = [r for r in tuned.rows if not r["timed_out"]]
    memory = [r["memory_mb"] for r in fitting]
    lines = [series(word("cost per million"), memory,
                    [r["cost_usd_per_million"] for r in fitting],
                    colour="grey", style="line+points"),
             series(word("mean billed duration"), memory,
                    [r["billed_duration_ms"] for r in fitting],
                    colour="blue", style="dashed", axis="y2")]
    for strategy in pt.STRATEGIES:
        picked = tuned.row(tuned.pick(strategy))
        lines.append(series(say("{strategy}: {memory} MB", strategy=word(STRATEGY_WORDS[strategy]),
                                memory=f"{picked['memory_mb']:,}"), [picked["memory_mb"]],
                            [picked["cost_usd_per_million"]], colour=PICK_COLOURS[strategy],
                            style="points"))
    chart = line_chart(word("Cost and billed duration at each memory setting"),
                       axis(word("memory (MB, log scale)"), log=True),
                       axis(say("USD per million invocations ({arch})", arch=tuned.arch)), lines,
                       y2=axis(word("mean billed duration (ms)"), log=True))
    return result(CALCULATOR.title, summary,
                  numbers={s: tuned.pick(s) for s in pt.STRATEGIES},
                  columns=(word("memory (MB)"), word("vCPUs"), word("handler (ms)"),
                           word("mean billed (ms)"), word("USD per million"),
                           word("picked for")), rows=rows, chart=chart)


def _fields() -> tuple[Field, ...]:
    ref = pt.REFERENCE
    return (
        Field("base_duration_ms", "Duration at one vCPU", "number", ref["base_duration_ms"],
              "ms", allowed=bounds.DURATION_MS),
        Field("parallel_fraction", "Parallel fraction", "number", ref["parallel_fraction"],
              allowed=bounds.SHARE, step=0.05,
              help="Share of the work that runs in parallel threads (0 = single-threaded)."),
        Field("init_ms", "INIT of a cold start", "number", ref["init_ms"], "ms",
              allowed=bounds.INIT_MS),
        Field("cold_start_ratio", "Cold-start share", "number", ref["cold_start_ratio"],
              "0 to 1", allowed=bounds.SHARE, step=0.01),
        Field("arch", "Architecture", "choice", "arm64",
              options=tuple(_data.lambda_prices().architectures)),
        Field("balanced_weight", "Balanced weight", "number", pt.BALANCED_WEIGHT,
              "1 = cost only", allowed=bounds.SHARE, step=0.05),
    )


CALCULATOR = Calculator(name="power_tuning", title="Power tuning: memory, speed and cost",
                        run=run, fields=_fields(),
                        intro=f"A CPU-bound function tried at {len(pt.DEFAULT_MEMORY_MB)} "
                              "memory settings.")
