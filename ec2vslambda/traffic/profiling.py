"""What a traffic is like, before any replay: its profile, and what its source recorded.

:func:`source` lays a :class:`~ec2vslambda.traffic.Traffic` out for the replay
(:class:`~ec2vslambda.traffic.replay_engine.Source`); :func:`profile` measures it minute by
minute: the month's invocations scaled to 730 hours, the average and the busiest minute's
concurrency (Little's law per minute: the minute's handler time over 60 s), regularity (average
over busiest minute) and the share of idle minutes. :func:`recorded` reads the cold starts,
INIT and latency a source recorded (Lambda's REPORT lines), for the requests a replay counts.
Standard library only.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from itertools import accumulate
from typing import TypedDict

from .. import pricing
from ..engine import percentile
from ..validation import InputError
from .model import Traffic
from .replay_engine import SECONDS_PER_MINUTE, Plan, Source

__all__ = ["Profile", "Recorded", "percentile", "profile", "recorded", "source"]

MINUTES_PER_MONTH = pricing.HOURS_PER_MONTH * 60.0


@dataclass(frozen=True)
class Profile:
    invocations: int
    minutes: int
    monthly_invocations: float
    busy_ms_per_minute: tuple[float, ...]
    mean_duration_ms: float
    average_concurrency: float
    peak_minute_concurrency: float
    peak_minute: int
    peak_minute_invocations: int
    regularity: float
    idle_share: float


class Recorded(TypedDict):
    """What a source recorded over the requests a replay counts (see :func:`recorded`)."""

    requests: int
    cold_starts: int
    cold_share: float
    init_ms: float | None  # the mean INIT of a cold start; None when none was cold
    p50_ms: float
    p99_ms: float


def source(traffic: Traffic, duration_ms: float | None) -> Source:
    starts = (0, *accumulate(traffic.per_minute))
    if not traffic.aggregated:
        durations = (traffic.durations_ms if duration_ms is None
                     else array("d", [duration_ms]) * traffic.invocations)
        return Source(traffic.per_minute, starts, traffic.start.timestamp() % SECONDS_PER_MINUTE,
                       traffic.arrivals_s, durations)
    if duration_ms is not None:
        return Source(traffic.per_minute, starts,
                       minute_durations_ms=(duration_ms,) * traffic.minutes)
    given = traffic.duration_avg_ms_per_minute
    if given is None:
        raise InputError("duration_ms", None, f"is needed: the {traffic.format} source records "
                         "no durations", "a duration in ms (the handler's average)")
    known = [(n, d) for n, d in zip(traffic.per_minute, given, strict=True) if d is not None]
    weight = sum(n for n, _d in known)
    fill = (sum(n * d for n, d in known) / weight if weight
            else sum(d for _n, d in known) / len(known))
    return Source(traffic.per_minute, starts,
                   minute_durations_ms=tuple(fill if d is None else d for d in given))


def profile(traffic: Traffic, source: Source) -> Profile:
    counts = traffic.per_minute
    if source.durations_ms is not None:
        durations = source.durations_ms
        busy = tuple(math.fsum(durations[a:b]) for a, b in
                     zip(source.starts, source.starts[1:], strict=False))
    else:
        assert source.minute_durations_ms is not None  # an aggregated source's (see source())
        busy = tuple(n * d for n, d in zip(counts, source.minute_durations_ms, strict=True))
    total_ms = math.fsum(busy)
    if total_ms <= 0:
        raise InputError("duration_ms", 0, "is out of range: every request of the traffic ran "
                         "0 ms", "a duration above 0 ms")
    minutes = len(counts)
    peak = max(range(minutes), key=busy.__getitem__)
    average = total_ms / (minutes * SECONDS_PER_MINUTE * 1000.0)
    peak_concurrency = busy[peak] / (SECONDS_PER_MINUTE * 1000.0)
    return Profile(
        invocations=traffic.invocations, minutes=minutes,
        monthly_invocations=traffic.invocations * MINUTES_PER_MONTH / minutes,
        busy_ms_per_minute=busy, mean_duration_ms=total_ms / traffic.invocations,
        average_concurrency=average, peak_minute_concurrency=peak_concurrency,
        peak_minute=peak, peak_minute_invocations=counts[peak],
        regularity=average / peak_concurrency,
        idle_share=sum(1 for n in counts if n == 0) / minutes)


# --- what the source recorded -----------------------------------------------------------------

def recorded(traffic: Traffic, source: Source, plan: Plan) -> Recorded | None:
    """Cold starts and latency as the source recorded them, over the requests the replay
    counts (so that both sides describe the same requests), and INIT over the whole file."""
    if traffic.cold is None or traffic.init_ms is None or traffic.durations_ms is None:
        return None
    latencies: list[float] = []
    cold = 0
    for a, b in plan.windows:
        lo, hi = source.starts[a], source.starts[b]
        cold += sum(traffic.cold[lo:hi])
        latencies += [d + i for d, i in zip(traffic.durations_ms[lo:hi],
                                            traffic.init_ms[lo:hi], strict=True)]
    colds = sum(traffic.cold)
    init_total = math.fsum(traffic.init_ms)
    return {"requests": len(latencies), "cold_starts": cold,
            "cold_share": cold / len(latencies) if latencies else 0.0,
            "init_ms": init_total / colds if colds else None,
            "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99)}
