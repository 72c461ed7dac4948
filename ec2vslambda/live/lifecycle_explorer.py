"""Chapter 3's calculator: request gaps, keep-alive and INIT in; environments, cold starts and
billed time out.

Requests arrive in groups of ``requests_per_arrival`` every ``gap_s`` seconds, with one longer pause
of ``pause_min`` minutes halfway through the arrivals (0 minutes: no pause, every gap the same),
and run for ``duration_ms`` each. The
execution environments are :class:`ec2vslambda.lifecycle.LambdaModel`'s: a request that finds no
idle environment creates one and pays INIT; an environment idle for the keep-alive window is shut
down. The bill is :func:`ec2vslambda.pricing.lambda_cost`'s, with INIT billed on the cold starts (as
it is since August 2025).
"""

from __future__ import annotations

from .. import bounds, lifecycle, pricing
from ..validation import Allowed, InputError
from ..words import say, term, word
from . import DASH, Calculator, Field, axis, money, result, timeline_chart

__all__ = ["ARRIVALS", "CALCULATOR", "GAP_S", "MAX_REQUESTS", "PAUSE_MIN", "PHASE_WORDS",
           "SHUTDOWN_WORDS", "run"]

MAX_REQUESTS = 200  # the timeline stays readable, and the browser quick
#: How many arrivals, and requests at once.
ARRIVALS = Allowed(1, MAX_REQUESTS, whole=True)
#: The gap between arrivals (s) and the pause (minutes): within the month the bill covers.
GAP_S = Allowed(0, bounds.MONTH_MS_MAX / 1000.0)
PAUSE_MIN = Allowed(0, bounds.MONTH_MS_MAX / 60_000.0)


def _noop_module(_env: lifecycle.ExecutionEnvironment) -> lifecycle.Handler:
    return lambda event, context: {}


def run(inputs: dict) -> dict:
    arrivals, together = inputs["arrivals"], inputs["requests_per_arrival"]
    if arrivals * together > MAX_REQUESTS:
        raise InputError("arrivals", arrivals,
                         term("makes more requests than the timeline shows"),
                         ARRIVALS.but(high=MAX_REQUESTS // together),
                         involves=("requests_per_arrival",))
    gap_ms = inputs["gap_s"] * 1000.0
    pause_ms = inputs["pause_min"] * 60_000.0
    pause_after = arrivals // 2 if pause_ms > 0 else 0  # halfway; 0 minutes means no pause
    keep_alive_ms = inputs["keep_alive_min"] * 60_000.0
    duration_ms, init_ms = inputs["duration_ms"], inputs["init_ms"]
    model = lifecycle.LambdaModel(_noop_module, init_ms=init_ms, keep_alive_ms=keep_alive_ms)
    at_ms = 0.0
    for k in range(arrivals):
        for _ in range(together):
            model.invoke(at_ms, duration_ms=duration_ms)
        at_ms += pause_ms if k + 1 == pause_after else gap_ms
    last_end = max(r.end_ms for r in model.invocations)
    model.finish(last_end + keep_alive_ms)

    served = model.invocations
    cold = sum(r.cold for r in served)
    cost = pricing.lambda_cost(len(served), duration_ms, inputs["memory_mb"],
                               init_ms=init_ms, cold_start_ratio=cold / len(served),
                               free_tier=False)
    billed_ms = sum(pricing.billed_duration_ms(duration_ms + r.init_ms) for r in served)
    init_billed_ms = billed_ms - len(served) * pricing.billed_duration_ms(duration_ms)
    envs = len(model.environments)
    fields = dict(requests=len(served), envs=envs, cold=cold, billed=f"{billed_ms / 1000:,.1f}",
                  memory=inputs["memory_mb"], init=f"{init_billed_ms / 1000:,.1f}",
                  cost=money(cost.total_usd))
    if envs == 1:
        summary = say("{requests} requests used {envs} execution environment; {cold} started "
                      "cold. Billed {billed} s at {memory} MB ({init} s of it INIT): {cost}.",
                      **fields)
    else:
        summary = say("{requests} requests used {envs} execution environments; {cold} started "
                      "cold. Billed {billed} s at {memory} MB ({init} s of it INIT): {cost}.",
                      **fields)

    def lane(env_id: int) -> str:
        return say("env {number}", number=env_id)

    lanes = [lane(e.env_id) for e in model.environments]
    segments = [(lane(s.env_id), s.start_ms / 1000, s.end_ms / 1000, s.phase,
                 lifecycle.PHASE_COLOURS[s.phase])
                for s in model.segments() if s.phase != "shutdown"]
    marks = [(lane(s.env_id), s.start_ms / 1000,
              say("shut down: {reason}", reason=word(SHUTDOWN_WORDS.get(s.label, s.label))))
             for s in model.segments() if s.phase == "shutdown"]
    chart = timeline_chart(word("Execution environments: INIT (red), invoke (blue), frozen (grey)"),
                           axis(word("time (s)")), lanes, segments, marks,
                           phase_labels={phase: word(text) for phase, text in PHASE_WORDS.items()},
                           marks_label=word("shut down"))
    rows = [(f"#{r.request_id}", f"{r.at_ms / 1000:,.3f}",
             lane(r.env_id) if r.env_id is not None else DASH,
             word("cold") if r.cold else word("warm"), f"{r.latency_ms:,.0f}",
             f"{pricing.billed_duration_ms(duration_ms + r.init_ms):,.0f}") for r in served]
    return result(CALCULATOR.title, summary,
                  numbers={"requests": len(served), "environments": envs, "cold_starts": cold,
                           "billed_ms": billed_ms, "init_billed_ms": init_billed_ms,
                           "cost_usd": cost.total_usd},
                  columns=(word("request"), word("arrives (s)"), word("environment"),
                           word("start"), word("latency (ms)"), word("billed (ms)")),
                  rows=rows, chart=chart)


#: How the chart names the phases of an environment's life, and why one was shut down
#: (:attr:`ec2vslambda.lifecycle.ExecutionEnvironment.shutdown_reason`).
PHASE_WORDS = {"init": term("INIT"), "invoke": term("invoke"), "frozen": term("frozen")}
SHUTDOWN_WORDS = {"idle": term("idle"), "recycled": term("recycled"),
                  "new version deployed": term("new version deployed")}


CALCULATOR = Calculator(
    name="lifecycle", title="Lifecycle explorer: environments, cold starts, billed time", run=run,
    intro="Requests arrive in groups, pause once, and come back; watch environments appear, idle "
          "and go.",
    fields=(
        Field("arrivals", "Arrivals", "integer", 6, allowed=ARRIVALS),
        Field("requests_per_arrival", "Requests per arrival (at once)", "integer", 2,
              allowed=ARRIVALS),
        Field("gap_s", "Gap between arrivals", "number", 60.0, "s", allowed=GAP_S),
        Field("pause_min", "A long pause halfway through", "number", 12.0, "minutes",
              allowed=PAUSE_MIN, help="0 = no pause."),
        Field("duration_ms", "Handler duration", "number", 400.0, "ms",
              allowed=bounds.DURATION_MS),
        Field("init_ms", "INIT duration", "number", 600.0, "ms", allowed=bounds.INIT_MS),
        Field("keep_alive_min", "Keep-alive (an assumption)", "number", 10.0, "minutes",
              allowed=bounds.KEEP_ALIVE_MIN,
              help="AWS keeps idle environments for a time it does not publish."),
        Field("memory_mb", "Memory", "integer", 512, "MB", allowed=bounds.MEMORY_MB),
    ))
