"""The replay behind :func:`ec2vslambda.traffic.report`: what to replay, and the engine.

:func:`plan` picks the minutes a replay runs: all of them when the traffic has at most
``budget`` requests; otherwise a systematic sample of windows (every k-th hour, or 10 minutes,
or minute, the busiest always among them), each preceded by a warm-up as long as the keep-alive,
which is run but not counted. Shares and percentiles then come from the counted requests, and the
peak from the busiest window.

The engine is two small functions in standard-library Python, so that the report runs in the
reader's browser as it does here: :func:`requests` (the plan's requests: a per-request source's
real ones, or each minute's count spread at seeded uniform times inside the minute, each running
the minute's average duration) and :func:`replay` (one run of the standard-library engine,
:func:`ec2vslambda.engine.replay_lambda`, which agrees request by request with the compiled
simulator, returning plain numbers). ``tests/test_replay_engine.py`` keeps the numpy version
they replaced and requires the same answers. The spread is SplitMix64 of each request's index,
so the same minute gets the same arrivals whatever else is replayed.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from ..engine import percentile
from ..validation import number

__all__ = ["GAMMA", "Plan", "Requests", "Source", "plan", "replay", "requests", "uniform"]

SECONDS_PER_MINUTE = 60.0
#: Window lengths a sampled replay tries, longest first (minutes).
WINDOW_MINUTES = (60, 10, 1)
#: SplitMix64's increment (the golden ratio in 64 bits).
GAMMA = 0x9E3779B97F4A7C15
_TWO_64 = 2 ** 64
_MASK = _TWO_64 - 1
_TWO_TO_MINUS_53 = 2.0 ** -53


@dataclass(frozen=True)
class Source:
    """What the engine replays, as plain data. Times in seconds from the start of the first
    minute of ``per_minute``. Per-request sources give ``arrivals_s`` and ``durations_ms`` (in
    minute order, so ``starts[k]`` indexes minute ``k``'s first request); aggregated ones give
    ``minute_durations_ms``, the duration of every request of each minute."""

    per_minute: tuple[int, ...]
    starts: tuple[int, ...]  # index of each minute's first request; len(per_minute) + 1 values
    offset_s: float = 0.0  # per-request sources: from the first minute's start to the first arrival
    arrivals_s: array | None = None  # from the first arrival
    durations_ms: array | None = None
    minute_durations_ms: tuple[float, ...] | None = None


def uniform(indices, seed: int) -> list[float]:
    """A uniform number in [0, 1) for each request index ``k`` in ``indices`` (the request's
    place in the whole traffic): SplitMix64 of ``seed + (k + 1) * GAMMA``, in 64-bit integer
    arithmetic. A request gets its own number whatever else is replayed."""
    start = seed % _TWO_64
    out = []
    for k in indices:
        z = ((k + 1) * GAMMA + start) & _MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        z ^= z >> 31
        out.append((z >> 11) * _TWO_TO_MINUS_53)
    return out


class Requests(NamedTuple):
    """What :func:`requests` returns: arrival times (s, sorted), durations (ms) and, for each
    request, whether the plan counts it (1) or only warms up with it (0)."""

    arrivals_s: list[float]
    durations_ms: list[float]
    counted: bytearray


def requests(source: Source, plan: Plan, seed: int) -> Requests:
    """The plan's requests: the real ones of a per-request source, or each minute's count spread
    at seeded uniform times inside it (the same times for a minute whichever minutes are
    replayed, see :func:`uniform`)."""
    counted_minutes = bytearray(len(source.per_minute))
    for a, b in plan.windows:
        counted_minutes[a:b] = b"\x01" * (b - a)
    arrivals: list[float] = []
    durations: list[float] = []
    counted = bytearray()
    per_request = source.arrivals_s is not None
    for a, b in plan.intervals:
        for minute in range(a, b):
            count = source.per_minute[minute]
            if not count:
                continue
            first = source.starts[minute]
            if per_request:
                assert source.arrivals_s is not None and source.durations_ms is not None
                offset = source.offset_s
                arrivals.extend(t + offset for t in source.arrivals_s[first:first + count])
                durations.extend(source.durations_ms[first:first + count])
            else:  # minutes only grow, so sorting inside a minute sorts the whole
                assert source.minute_durations_ms is not None
                inside = sorted(minute + u for u in uniform(range(first, first + count), seed))
                arrivals.extend(t * SECONDS_PER_MINUTE for t in inside)
                durations.extend([source.minute_durations_ms[minute]] * count)
            counted.extend(counted_minutes[minute:minute + 1] * count)
    return Requests(arrivals, durations, counted)


def replay(replayed: Requests, *, keep_alive_s: float, init_ms: float, concurrency_limit: int,
           duration_scale: float = 1.0, in_flight: bool = True) -> dict[str, float]:
    """One Lambda replay of ``replayed`` (from :func:`requests`) on the standard-library engine
    (:func:`ec2vslambda.engine.replay_lambda`, AWS's default scaling rate), as plain numbers:
    the counted requests, their cold starts, throttles and latency percentiles (ms), and the
    peaks over everything replayed: environments busy at once (INIT included) and, with
    ``in_flight``, requests in flight (the handlers alone, which the keep-alive does not
    change; else 0)."""
    from .. import data as _data
    from .. import engine as _engine

    arrivals, durations, counted = replayed
    if duration_scale != 1.0:
        durations = [d * duration_scale for d in durations]
    run = _engine.replay_lambda(
        arrivals, durations, keep_alive_s=keep_alive_s,
        init_ms=number("init_ms", init_ms, high=_data.limit_value("init_timeout") * 1000.0),
        concurrency_limit=concurrency_limit,
        max_new_envs_per_10s=int(_data.limit_value("scaling_rate")),
        max_duration_ms=_data.limit_value("timeout_max") * 1000.0)
    latency = sorted(v for v, c, t in zip(run.latency_ms, counted, run.throttled, strict=True)
                     if c and not t)  # sorted once: each percentile then sorts a sorted list
    peak_in_flight = 0
    if in_flight and arrivals:  # just after each arrival; one ending then is gone
        ends = sorted(a + d / 1000.0 for a, d in zip(arrivals, durations, strict=True))
        ended = 0
        for i, a in enumerate(arrivals, 1):
            while ended < len(ends) and ends[ended] <= a:
                ended += 1
            peak_in_flight = max(peak_in_flight, i - ended)
    return {"requests": sum(counted),
            "cold_starts": sum(1 for c, k in zip(run.cold, counted, strict=True) if c and k),
            "throttled": sum(1 for t, k in zip(run.throttled, counted, strict=True) if t and k),
            "p50_ms": percentile(latency, 50), "p99_ms": percentile(latency, 99),
            "peak_concurrency": int(run.peak_concurrency),
            "peak_in_flight": peak_in_flight,
            "replayed": len(arrivals)}


# --- what to replay ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    """Which minutes a replay runs (``intervals``, warm-ups included) and which it counts
    (``windows``); ``window_minutes`` and ``stride`` say how they were picked."""

    intervals: tuple[tuple[int, int], ...]
    windows: tuple[tuple[int, int], ...]
    window_minutes: int
    stride: int
    whole: bool


def _merged(spans: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def plan(per_minute: Sequence[int], budget: int, warmup_minutes: int) -> Plan:
    """Every minute when the traffic fits ``budget`` requests; else a systematic sample of
    windows (every ``stride``-th one, the busiest among them) whose requests, warm-ups
    included, fit it. Only when the busiest minute with its warm-up is over the budget alone is
    the budget exceeded: that minute is replayed anyway."""
    minutes = len(per_minute)
    prefix = [0, *accumulate(per_minute)]
    if prefix[-1] <= budget:
        return Plan(((0, minutes),), ((0, minutes),), minutes, 1, True)
    found = None
    for width in WINDOW_MINUTES:
        count = math.ceil(minutes / width)
        sums = [prefix[min(minutes, (k + 1) * width)] - prefix[k * width] for k in range(count)]
        busiest = max(range(count), key=sums.__getitem__)
        stride = max(1, prefix[-1] // budget)
        while True:
            stride = min(stride, count)
            windows = tuple((k * width, min(minutes, (k + 1) * width))
                            for k in range(busiest % stride, count, stride))
            intervals = _merged([(max(0, a - warmup_minutes), b) for a, b in windows])
            found = Plan(intervals, windows, width, stride, False)
            if sum(prefix[b] - prefix[a] for a, b in intervals) <= budget:
                return found
            if stride == count:  # the busiest window alone is too much: try shorter ones
                break
            stride = max(stride + 1, int(stride * 1.05))
    return found  # type: ignore[return-value]  # the busiest minute alone, over the budget
