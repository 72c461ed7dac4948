"""Lab 1's formula calculator: random traffic and a keep-alive window in; cold starts and memory
kept idle out.

For a Poisson stream of short requests one environment suffices. A request is cold when the gap
since the previous one exceeds the window, and the environment is loaded the rest of the time
(:func:`ec2vslambda.lifecycle.poisson_cold_start_ratio` and
:func:`~ec2vslambda.lifecycle.poisson_kept_share`). The lab's simulator checks both; this part of
the lab runs in the reader's browser.
"""

from __future__ import annotations

from .. import bounds
from ..lifecycle import poisson_cold_start_ratio, poisson_kept_share
from ..pricing import MB_PER_GB
from ..words import say, word
from . import Calculator, Field, axis, line_chart, result, series, vline

__all__ = ["CALCULATOR", "WINDOWS_MIN", "run"]

#: Keep-alive windows the table and chart span, in minutes.
WINDOWS_MIN = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 240)


def run(inputs: dict) -> dict:
    rate_per_s = bounds.RATE_PER_HOUR.check("rate_per_hour", inputs["rate_per_hour"]) / 3600.0
    window_min = bounds.KEEP_ALIVE_MIN.check("keep_alive_min", inputs["keep_alive_min"])
    gb = bounds.MEMORY_MB.check("memory_mb", inputs["memory_mb"]) / MB_PER_GB
    windows = sorted(set(WINDOWS_MIN) | {window_min})

    def at(minutes: float) -> tuple[float, float]:
        cold = poisson_cold_start_ratio(rate_per_s, minutes * 60.0)
        return cold, poisson_kept_share(rate_per_s, minutes * 60.0) * 24.0 * gb

    cold, idle_gb_h = at(window_min)
    summary = say("At {rate} requests an hour with a {window}-minute window, {cold} of requests "
                  "start cold and the function keeps {idle} GB-hours of memory loaded a day, "
                  "mostly waiting.", rate=f"{inputs['rate_per_hour']:g}",
                  window=f"{window_min:g}", cold=f"{cold:.1%}", idle=f"{idle_gb_h:,.2f}")
    rows = [(say("{minutes} (yours)", minutes=f"{m:g}") if m == window_min else f"{m:g}",
             f"{at(m)[0]:.1%}", f"{at(m)[1]:,.2f}") for m in windows]
    kept = word("memory kept (GB-h a day)")
    chart = line_chart(
        word("A longer window: fewer cold starts, more memory kept"),
        axis(word("keep-alive window (minutes)"), log=True),
        axis(word("cold starts (% of requests)"), minimum=0, maximum=100),
        [series(word("cold-start share"), windows, [100 * at(m)[0] for m in windows],
                colour="blue", style="line+points"),
         series(kept, windows, [at(m)[1] for m in windows],
                colour="orange", style="dashed", axis="y2")],
        y2=axis(kept, minimum=0),
        vlines=[vline(window_min, word("your window"))])
    return result(CALCULATOR.title, summary,
                  numbers={"cold_start_share": cold, "idle_gb_h_per_day": idle_gb_h},
                  columns=(word("keep-alive (min)"), word("cold starts"), kept),
                  rows=rows, chart=chart)


CALCULATOR = Calculator(
    name="keepalive", title="Cold starts and keep-alive: the formula", run=run,
    intro="Random (Poisson) traffic to one function, short requests.",
    fields=(
        Field("rate_per_hour", "Requests per hour", "number", 12.0,
              allowed=bounds.RATE_PER_HOUR),
        Field("keep_alive_min", "Keep-alive window", "number", 10.0, "minutes",
              allowed=bounds.KEEP_ALIVE_MIN),
        Field("memory_mb", "Memory", "integer", 512, "MB", allowed=bounds.MEMORY_MB),
    ))
