"""The replay behind :func:`ec2vslambda.traffic.report`: what to replay, and the engine.

:func:`plan` picks the minutes a replay runs: all of them when the traffic has at most
``budget`` requests; otherwise a systematic sample of windows (every k-th hour, or 10 minutes,
or minute, the busiest always among them), each preceded by a warm-up as long as the keep-alive,
which is run but not counted. Shares and percentiles then come from the counted requests, and the
peak from the busiest window.

The engine is two small functions, :func:`requests` (the plan's requests as arrays: a
per-request source's real ones, or each minute's count spread at seeded uniform times inside the
minute, each running the minute's average duration) and :func:`replay` (one run of
:func:`ec2vslambda.simulate.simulate_lambda`, returning plain numbers). They import numpy and the
compiled simulator when they run, and nothing else here does: they are the only place to change
for a standard-library engine, which the book's site needs to run the report in the reader's
browser. The spread is SplitMix64 of each request's index, so the same minute gets the same
arrivals whatever else is replayed, and standard-library Python can draw the same numbers.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

__all__ = ["GAMMA", "Plan", "Source", "plan", "replay", "requests", "uniform"]

SECONDS_PER_MINUTE = 60.0
#: Window lengths a sampled replay tries, longest first (minutes).
WINDOW_MINUTES = (60, 10, 1)
#: SplitMix64's increment (the golden ratio in 64 bits).
GAMMA = 0x9E3779B97F4A7C15


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


def uniform(indices, seed: int):
    """A uniform number in [0, 1) for each request index ``k`` in ``indices`` (the request's
    place in the whole traffic): SplitMix64 of ``seed + (k + 1) * GAMMA``. A request gets its
    own number whatever else is replayed, by integer arithmetic that standard-library Python
    repeats bit for bit."""
    import numpy as np

    with np.errstate(over="ignore"):
        z = ((np.asarray(indices, dtype=np.uint64) + np.uint64(1)) * np.uint64(GAMMA)
             + np.uint64(seed % 2**64))
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def requests(source: Source, plan: Plan, seed: int):
    """The plan's requests as arrays ``(arrivals_s, durations_ms, counted)``: the real ones of a
    per-request source, or each minute's count spread at seeded uniform times inside it (the
    same times for a minute whichever minutes are replayed, see :func:`uniform`)."""
    import numpy as np

    per_minute = np.asarray(source.per_minute, dtype=np.int64)
    minutes = np.concatenate([np.arange(a, b) for a, b in plan.intervals])
    counts = per_minute[minutes]
    minute_of = np.repeat(minutes, counts)
    # each request's index in the whole traffic: its minute's first, plus its rank in the minute
    firsts = np.asarray(source.starts, dtype=np.int64)[minutes]
    rank = np.arange(minute_of.size) - np.repeat(np.cumsum(counts) - counts, counts)
    index = np.repeat(firsts, counts) + rank
    counted_minutes = np.zeros(per_minute.size, dtype=bool)
    for a, b in plan.windows:
        counted_minutes[a:b] = True
    if source.arrivals_s is not None:
        arrivals = (np.frombuffer(source.arrivals_s, dtype=np.float64)[index]
                    + source.offset_s)
        durations = np.frombuffer(source.durations_ms, dtype=np.float64)[index]
    else:  # minutes only grow, so one sort keeps each request inside its minute
        arrivals = np.sort(minute_of + uniform(index, seed)) * SECONDS_PER_MINUTE
        durations = np.asarray(source.minute_durations_ms)[minute_of]
    return arrivals, durations, counted_minutes[minute_of]


def replay(arrays, *, keep_alive_s: float, init_ms: float, concurrency_limit: int,
            duration_scale: float = 1.0, in_flight: bool = True) -> dict[str, float]:
    """One Lambda replay of ``arrays`` (from :func:`requests`), as plain numbers: the counted
    requests, their cold starts, throttles and latency percentiles (ms), and the peaks over
    everything replayed: environments busy at once (INIT included) and, with ``in_flight``,
    requests in flight (the handlers alone, which the keep-alive does not change; else 0)."""
    import numpy as np

    from ..simulate import simulate_lambda

    arrivals, durations, counted = arrays
    durations = durations * duration_scale if duration_scale != 1.0 else durations
    run = simulate_lambda(arrivals, durations, keep_alive_s=keep_alive_s, init_ms=init_ms,
                          concurrency_limit=concurrency_limit, with_cost=False)
    served = counted & ~run.throttled_mask
    latency = run.latency_ms[served]
    p50, p99 = (np.percentile(latency, (50, 99)).tolist() if latency.size else (0.0, 0.0))
    peak_in_flight = 0
    if in_flight and arrivals.size:  # just after each arrival; one ending then is gone
        ended = np.searchsorted(np.sort(arrivals + durations / 1000.0, kind="stable"), arrivals,
                                side="right")
        peak_in_flight = int((np.arange(1, arrivals.size + 1) - ended).max())
    return {"requests": int(np.count_nonzero(counted)),
            "cold_starts": int(np.count_nonzero(run.cold & counted)),
            "throttled": int(np.count_nonzero(run.throttled_mask & counted)),
            "p50_ms": float(p50), "p99_ms": float(p99),
            "peak_concurrency": int(run.peak_concurrency),
            "peak_in_flight": peak_in_flight,
            "replayed": int(arrivals.size)}


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
