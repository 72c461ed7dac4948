"""Chapter 2's workload fit checker: a workload's needs in, the Lambda limits it breaks out.

The checks are :func:`ec2vslambda.limits.check_workload`'s; this module only names the inputs
and turns the violations into a table and a sentence.
"""

from __future__ import annotations

from .. import limits
from ..limits import NEEDS
from ..words import say, word
from . import Calculator, Field, result

__all__ = ["CALCULATOR", "DEFAULT_NEEDS", "needs_from", "run", "verdict"]

#: The starting point: a video-transcoding job that outgrows Lambda in several ways.
DEFAULT_NEEDS = limits.WorkloadNeeds(duration_ms=1_500_000, memory_mb=12_288, payload_mb=0.5,
                                     invocation="async", tmp_mb=4_096, peak_concurrency=40,
                                     needs_state=False, latency_target_ms=None)


def needs_from(inputs: dict) -> limits.WorkloadNeeds:
    """The :class:`~ec2vslambda.limits.WorkloadNeeds` the inputs describe."""
    target = inputs["latency_target_ms"] if inputs["has_latency_target"] else None
    return limits.WorkloadNeeds(
        duration_ms=inputs["duration_ms"], memory_mb=inputs["memory_mb"],
        payload_mb=inputs["payload_mb"], invocation=inputs["invocation"],
        tmp_mb=inputs["tmp_mb"], peak_concurrency=inputs["peak_concurrency"],
        needs_state=inputs["needs_state"], latency_target_ms=target,
        package_mb=inputs["package_mb"])


def verdict(broken: list[limits.Violation]) -> str:
    """One sentence: fits, or how many limits it breaks and which."""
    if not broken:
        return word("Fits Lambda: no limit is broken.")
    names = ", ".join(limits.limit_name(v.limit) for v in broken)
    if len(broken) == 1:
        return say("Breaks 1 Lambda limit: {names}.", names=names)
    return say("Breaks {count} Lambda limits: {names}.", count=len(broken), names=names)


def run(inputs: dict) -> dict:
    broken = limits.check_workload(needs_from(inputs), init_ms=inputs["init_ms"])
    return result(CALCULATOR.title, verdict(broken),
                  numbers={"fits": not broken, "broken": [v.limit for v in broken]},
                  columns=[word(c) for c in limits.VIOLATION_COLUMNS],
                  rows=limits.violation_rows(broken))


_D = DEFAULT_NEEDS
CALCULATOR = Calculator(
    name="fit_checker", title="Workload fit checker", run=run,
    intro="Describe one run of the work; the checker lists every Lambda limit it breaks.",
    fields=(
        Field("duration_ms", "Duration of one run", "number", _D.duration_ms, "ms",
              allowed=NEEDS["duration_ms"]),
        Field("memory_mb", "Memory", "number", _D.memory_mb, "MB", allowed=NEEDS["memory_mb"]),
        Field("payload_mb", "Request or response size", "number", _D.payload_mb, "MB",
              allowed=NEEDS["payload_mb"], step=0.1),
        Field("invocation", "Invocation", "choice", _D.invocation, options=limits.INVOCATION_TYPES,
              option_labels=("synchronous (the caller waits)", "asynchronous (an event)")),
        Field("tmp_mb", "Scratch disk, /tmp", "number", _D.tmp_mb, "MB", allowed=NEEDS["tmp_mb"]),
        Field("peak_concurrency", "Peak runs in flight", "integer", _D.peak_concurrency,
              allowed=NEEDS["peak_concurrency"]),
        Field("needs_state", "Needs memory kept between runs", "flag", _D.needs_state),
        Field("has_latency_target", "Someone waits for the answer", "flag",
              _D.latency_target_ms is not None),
        Field("latency_target_ms", "Latency target", "number", 1000.0, "ms",
              allowed=NEEDS["latency_target_ms"],
              help="Used only when someone waits for the answer."),
        Field("init_ms", "Cold-start INIT", "number", limits.DEFAULT_INIT_MS, "ms",
              allowed=NEEDS["init_ms"]),
        Field("package_mb", "Code + dependencies, unzipped", "number", _D.package_mb, "MB",
              allowed=NEEDS["package_mb"]),
    ))
