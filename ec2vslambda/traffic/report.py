"""Your own traffic, replayed and priced: :func:`report`.

:func:`report` turns a :class:`~ec2vslambda.traffic.Traffic` (what a reader of
:mod:`ec2vslambda.traffic` made of a log or metrics file) into one plain, JSON-able dict that the
notebook, the command line and the browser all show:

* **the profile**: invocations, the period covered, the month's invocations scaled to 730 hours,
  the average and the busiest minute's concurrency (Little's law per minute: the minute's
  handler time over 60 s), regularity (average over peak) and the share of idle minutes;
* **a Lambda replay**: the requests run through :func:`ec2vslambda.simulate.simulate_lambda`
  (environments reused most-recently-freed first, a fixed keep-alive, the account's concurrency
  limit and scaling rate). Per-request sources replay their real arrivals and durations;
  aggregated sources (per-minute or coarser metrics) replay each minute's count of requests at
  seeded uniform times inside the minute, each running the minute's average duration. The
  replay gives the cold-start share, p50 and p99 latency (duration plus INIT on a cold start),
  the peak concurrency against the account limit, and throttles. Where the source recorded cold
  starts (Lambda's REPORT lines), the same figures as they really happened stand beside it;
* **the whole bill of every option** the decision guide knows, line by line, from
  :func:`ec2vslambda.decide.decide`, with the workload it is given built from the profile and
  the replay: the month's requests, the mean duration, the replay's peak of requests in flight
  (which sizes the fleets and Provisioned Concurrency), its cold-start share and the INIT time;
* **the recommendation and its reasons**, from the decision guide;
* **what-ifs**: half and twice the memory (durations scale with the CPU share for the CPU-busy
  part, :func:`ec2vslambda.power_tuning.duration_at_memory_ms`), the other architecture (same
  durations, other prices) and a shorter and a longer keep-alive (AWS does not document how long
  idle environments stay loaded, so the estimate's sensitivity to it matters).

Model assumptions
-----------------
* The month is :data:`ec2vslambda.pricing.HOURS_PER_MONTH` hours; the traffic's invocations are
  scaled from the minutes it covers to that month.
* INIT: the source's own mean INIT duration where it recorded cold starts; else ``init_ms``;
  else the measured hello-world INIT of ``runtime`` (``cold_starts.csv``), a floor.
* Memory: ``memory_mb``, else what the source recorded, else the decision guide's default.
  Architecture: ``arch``, else x86_64 (Lambda's default; no source records it).
* **A bounded replay.** Replaying is linear in the requests. When the traffic has more than
  ``replay_requests`` of them, the replay runs on a systematic sample of windows (every k-th
  hour, or 10 minutes, or minute, always including the busiest one), each preceded by a warm-up
  as long as the longest keep-alive replayed, which is run but not counted. Shares and
  percentiles come from the counted requests; the peak comes from the busiest window. The
  report says how much it replayed.

The engine
----------
Everything here is standard-library Python except two small functions, :func:`_requests` (the
requests to replay, as arrays) and :func:`_replay` (one replay, returning plain numbers), which
import numpy and the compiled simulator when they run. They are the only place to change for a
standard-library engine (the book's site runs this module in the reader's browser, where numpy
does not exist).
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate

from .. import coldstarts, pricing
from .. import data as _data
from .. import decide as _decide
from ..live import DASH, axis, bar_chart, clean, line_chart, money, result, series
from ..power_tuning import duration_at_memory_ms
from ..validation import InputError, choice, flag, number, whole
from ..words import fields_of, large_count, say, term, word
from . import alb
from .model import Traffic

__all__ = ["REPLAY_REQUESTS", "report", "report_text", "table_frame"]

SECONDS_PER_MINUTE = 60.0
MINUTES_PER_MONTH = pricing.HOURS_PER_MONTH * 60.0
#: Lambda's default architecture; no traffic source records the architecture.
DEFAULT_ARCH = "x86_64"
#: The runtime whose measured hello-world INIT stands in when the source recorded none.
DEFAULT_RUNTIME = "python3.13"
#: Most requests one replay runs (counted and warm-up together) before it samples windows: five
#: replays of this many take a few tenths of a second with the compiled engine.
REPLAY_REQUESTS = 300_000
#: Window lengths a sampled replay tries, longest first (minutes).
WINDOW_MINUTES = (60, 10, 1)
#: Keep-alive what-ifs (s) beside the one asked for.
WHAT_IF_KEEP_ALIVE_S = (60.0, 1800.0)
#: Longest keep-alive a replay takes (a day): longer ones only lengthen every window's warm-up.
MAX_KEEP_ALIVE_S = 86_400.0
#: How the report names each format the readers know (:data:`ec2vslambda.traffic.FORMATS`).
FORMAT_LABELS = {
    "alb": term("Application Load Balancer access log"),
    "lambda-insights": term("Lambda REPORT lines, Logs Insights CSV"),
    "lambda-text": term("Lambda REPORT lines, text"),
    "lambda-events": term("Lambda REPORT lines, filter-log-events JSON"),
    "lambda-json": term("Lambda REPORT records, JSON log format"),
    "metric-data": term("CloudWatch metrics, get-metric-data JSON"),
    "metric-statistics": term("CloudWatch metrics, get-metric-statistics JSON"),
    "azure": term("Azure Functions 2019 trace"),
    "csv": term("CSV of requests"),
    "metrics-csv": term("CloudWatch metrics, CSV"),
}
#: Points of the traffic chart at most (one per bucket of minutes).
CHART_POINTS = 720


# --- the engine: the only two functions that may need numpy ----------------------------------

@dataclass(frozen=True)
class _Source:
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


def _uniform(first: int, count: int, seed: int):
    """``count`` uniform numbers in [0, 1), those of requests ``first`` … ``first + count - 1``
    of the traffic: SplitMix64 of ``seed + (k + 1) * GAMMA`` for request ``k``. Each request
    gets its own number whatever else is replayed, and integer arithmetic that standard-library
    Python repeats bit for bit."""
    import numpy as np

    with np.errstate(over="ignore"):
        z = (np.arange(first + 1, first + count + 1, dtype=np.uint64) * np.uint64(_GAMMA)
             + np.uint64(seed % 2**64))
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


_GAMMA = 0x9E3779B97F4A7C15  # SplitMix64's increment (the golden ratio in 64 bits)


def _requests(source: _Source, plan: _Plan, seed: int):
    """The plan's requests as arrays ``(arrivals_s, durations_ms, counted)``: the real ones of a
    per-request source, or each minute's count spread at seeded uniform times inside it (the
    same times for a minute whichever minutes are replayed, see :func:`_uniform`)."""
    import numpy as np

    arrivals, durations, counted = [], [], []
    counted_minutes = np.zeros(len(source.per_minute), dtype=bool)
    for a, b in plan.windows:
        counted_minutes[a:b] = True
    for a, b in plan.intervals:
        lo, hi = source.starts[a], source.starts[b]
        counts = np.asarray(source.per_minute[a:b], dtype=np.int64)
        minute_of = np.repeat(np.arange(a, b), counts)
        if source.arrivals_s is not None:
            arrivals.append(np.frombuffer(source.arrivals_s, dtype=np.float64)[lo:hi]
                            + source.offset_s)
            durations.append(np.frombuffer(source.durations_ms, dtype=np.float64)[lo:hi])
        else:  # sorting keeps each minute's requests inside their minute, in minute order
            arrivals.append(np.sort(minute_of + _uniform(lo, hi - lo, seed))
                            * SECONDS_PER_MINUTE)
            durations.append(np.repeat(np.asarray(source.minute_durations_ms[a:b]), counts))
        counted.append(counted_minutes[minute_of])
    return (np.concatenate(arrivals), np.concatenate(durations), np.concatenate(counted))


def _replay(requests, *, keep_alive_s: float, init_ms: float, concurrency_limit: int,
            duration_scale: float = 1.0, in_flight: bool = True) -> dict[str, float]:
    """One Lambda replay of ``requests`` (from :func:`_requests`), as plain numbers: the counted
    requests, their cold starts, throttles and latency percentiles (ms), and the peaks over
    everything replayed: environments busy at once (INIT included) and, with ``in_flight``,
    requests in flight (the handlers alone, which the keep-alive does not change; else 0)."""
    import numpy as np

    from ..simulate import simulate_lambda

    arrivals, durations, counted = requests
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
class _Plan:
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


def _plan(per_minute: Sequence[int], budget: int, warmup_minutes: int) -> _Plan:
    """Every minute when the traffic fits ``budget`` requests; else a systematic sample of
    windows (every ``stride``-th one, the busiest among them) whose requests, warm-ups
    included, fit it. Only when the busiest minute with its warm-up is over the budget alone is
    the budget exceeded: that minute is replayed anyway."""
    minutes = len(per_minute)
    prefix = [0, *accumulate(per_minute)]
    if prefix[-1] <= budget:
        return _Plan(((0, minutes),), ((0, minutes),), minutes, 1, True)
    plan = None
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
            plan = _Plan(intervals, windows, width, stride, False)
            if sum(prefix[b] - prefix[a] for a, b in intervals) <= budget:
                return plan
            if stride == count:  # the busiest window alone is too much: try shorter ones
                break
            stride = max(stride + 1, int(stride * 1.05))
    return plan  # type: ignore[return-value]  # the busiest minute alone, over the budget


# --- the profile ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Profile:
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


def _source(traffic: Traffic, duration_ms: float | None) -> _Source:
    starts = (0, *accumulate(traffic.per_minute))
    if not traffic.aggregated:
        durations = (traffic.durations_ms if duration_ms is None
                     else array("d", [duration_ms]) * traffic.invocations)
        return _Source(traffic.per_minute, starts, traffic.start.timestamp() % SECONDS_PER_MINUTE,
                       traffic.arrivals_s, durations)
    if duration_ms is not None:
        return _Source(traffic.per_minute, starts,
                       minute_durations_ms=(duration_ms,) * traffic.minutes)
    given = traffic.duration_avg_ms_per_minute
    if given is None:
        raise InputError("duration_ms", None, f"is needed: the {traffic.format} source records "
                         "no durations", "a duration in ms (the handler's average)")
    known = [(n, d) for n, d in zip(traffic.per_minute, given, strict=True) if d is not None]
    weight = sum(n for n, _d in known)
    fill = (sum(n * d for n, d in known) / weight if weight
            else sum(d for _n, d in known) / len(known))
    return _Source(traffic.per_minute, starts,
                   minute_durations_ms=tuple(fill if d is None else d for d in given))


def _profile(traffic: Traffic, source: _Source) -> _Profile:
    counts = traffic.per_minute
    if source.durations_ms is not None:
        durations = source.durations_ms
        busy = tuple(math.fsum(durations[a:b]) for a, b in
                     zip(source.starts, source.starts[1:], strict=False))
    else:
        busy = tuple(n * d for n, d in zip(counts, source.minute_durations_ms, strict=True))
    total_ms = math.fsum(busy)
    if total_ms <= 0:
        raise InputError("duration_ms", 0, "is out of range: every request of the traffic ran "
                         "0 ms", "a duration above 0 ms")
    minutes = len(counts)
    peak = max(range(minutes), key=busy.__getitem__)
    average = total_ms / (minutes * SECONDS_PER_MINUTE * 1000.0)
    peak_concurrency = busy[peak] / (SECONDS_PER_MINUTE * 1000.0)
    return _Profile(
        invocations=traffic.invocations, minutes=minutes,
        monthly_invocations=traffic.invocations * MINUTES_PER_MONTH / minutes,
        busy_ms_per_minute=busy, mean_duration_ms=total_ms / traffic.invocations,
        average_concurrency=average, peak_minute_concurrency=peak_concurrency,
        peak_minute=peak, peak_minute_invocations=counts[peak],
        regularity=average / peak_concurrency,
        idle_share=sum(1 for n in counts if n == 0) / minutes)


# --- what the source recorded -----------------------------------------------------------------

def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile of ``values`` with linear interpolation between the two nearest
    ranks (numpy's default method), in standard-library Python."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = q / 100.0 * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _recorded(traffic: Traffic, source: _Source, plan: _Plan) -> dict[str, float] | None:
    """Cold starts and latency as the source recorded them, over the requests the replay
    counts (so that both sides describe the same requests), and INIT over the whole file."""
    if traffic.cold is None or traffic.init_ms is None:
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


# --- helpers for the words ----------------------------------------------------------------------

def _share(fraction: float) -> str:
    """A share as a percentage, with two decimals under 1% (0.04% is not 0.0%)."""
    return f"{fraction:.2%}" if fraction < 0.01 else f"{fraction:.1%}"


def _ms(value: float | None) -> str:
    return DASH if value is None else f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _span(minutes: int) -> str:
    if minutes < 2 * 1440:
        return say("{hours} hours", hours=f"{minutes / 60:,.1f}")
    return say("{days} days", days=f"{minutes / 1440:,.1f}")


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> dict:
    return {"title": title, "columns": [str(c) for c in columns],
            "rows": [[str(cell) for cell in row] for row in rows]}


#: Skip reasons that carry a value (as the readers write them, marked there with ``term``).
REASON_TEMPLATES = (alb.NO_TARGET,)
#: The model's own reason for a record seen twice.
DUPLICATE = term("duplicate")


def _reason(reason: str) -> str:
    """A reader's skip reason in the active language: a fixed reason as it is, one with a
    value (``never reached a target (HTTP 502)``) through its template."""
    for template in REASON_TEMPLATES:
        names = fields_of(template)
        pattern = re.escape(template)
        for name in names:
            pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>.+?)")
        found = re.fullmatch(pattern, reason)
        if found:
            return word(template).format(**found.groupdict())
    return word(reason)


def _skipped(skipped: Mapping[str, int]) -> str:
    if not skipped:
        return word("none")
    return ", ".join(f"{_reason(reason)} {count:,}" for reason, count in sorted(skipped.items()))


# --- the report -------------------------------------------------------------------------------

def _init(traffic: Traffic, init_ms: float | None, runtime: str, arch: str,
          memory_mb: int) -> tuple[float, str]:
    """INIT duration (ms) for the replay and the bills, and where it comes from."""
    if init_ms is not None:
        value = number("init_ms", init_ms, high=_data.limit_value("init_timeout") * 1000.0)
        return value, word("as given")
    if traffic.cold is not None and traffic.init_ms is not None and any(traffic.cold):
        colds = sum(traffic.cold)
        return (math.fsum(traffic.init_ms) / colds,
                say("the mean of the {count} INIT durations the source recorded",
                    count=f"{colds:,}"))
    runtime = choice("runtime", runtime, coldstarts.runtimes())
    sizes = sorted({c.memory_mb for c in coldstarts.cold_starts()
                    if c.runtime == runtime and c.arch == arch})
    if not sizes:
        raise InputError("runtime", runtime, f"has no INIT measured on {arch}",
                         "a runtime measured on that architecture, or init_ms")
    nearest = min(sizes, key=lambda m: (abs(m - memory_mb), m))
    return (coldstarts.init_ms(runtime, arch, nearest),
            say("hello-world {runtime} at {memory} MB: a floor, as the source recorded none",
                runtime=runtime, memory=f"{nearest:,}"))


def _fleet_type(arch: str, region: str, given: str | None) -> tuple[str, str]:
    """The EC2 (and Managed Instances) type of the fleets and why: ``given``; else the decision
    guide's default (the cheapest general-purpose type of ``arch``), of the other architecture,
    or, where the data prices no general-purpose type in the region, the cheapest type that
    is not burstable (a fleet at its target utilisation would spend a burstable type's CPU
    credits)."""
    if given is not None:
        pricing.instance(given, region)  # the readable error for a type not priced there
        return given, word("as given")
    for candidate in (arch, "arm64" if arch == "x86_64" else "x86_64"):
        try:
            return (_decide.default_instance_type(candidate, region),
                    word("the cheapest general-purpose type priced in the region"))
        except InputError:
            continue
    steady = [i for i in _data.ec2_prices().in_region(region).values()
              if i.category != "burstable"]
    if not steady:
        raise InputError("region", region, "has no EC2 type priced that can run a fleet",
                         "a region whose EC2 prices are in ec2_prices.csv")
    return (min(steady, key=lambda i: (i.usd_per_hour, i.name)).name,
            word("the cheapest type priced in the region that is not burstable (no "
                 "general-purpose type is priced there)"))


@dataclass(frozen=True)
class _Settings:
    region: str
    memory_mb: int
    arch: str
    keep_alive_s: float
    init_ms: float
    concurrency_limit: int
    cpu_fraction: float
    front_door: str
    response_kb: float
    latency_target_ms: float | None
    steady_for_a_year: bool
    interruptible: bool
    instance_type: str


def _workload(profile: _Profile, run: Mapping[str, float], s: _Settings, *,
              memory_mb: int | None = None, arch: str | None = None,
              duration_scale: float = 1.0) -> _decide.Workload:
    duration = profile.mean_duration_ms * duration_scale
    requests = max(1.0, profile.monthly_invocations)
    average = requests * duration / 1000.0 / (pricing.HOURS_PER_MONTH * pricing.SECONDS_PER_HOUR)
    cold = run["cold_starts"] / run["requests"] if run["requests"] else 0.0
    return _decide.Workload(
        requests_per_month=requests, duration_ms=duration,
        peak_concurrency=max(1, int(run["peak_in_flight"]), math.ceil(round(average, 9))),
        memory_mb=memory_mb or s.memory_mb, arch=arch or s.arch, init_ms=s.init_ms,
        cold_start_fraction=cold, latency_target_ms=s.latency_target_ms,
        cpu_fraction=s.cpu_fraction, steady_for_a_year=s.steady_for_a_year,
        interruptible=s.interruptible, region=s.region, front_door=s.front_door,
        response_kb=s.response_kb, name=word("this traffic"))


def _assumptions(s: _Settings) -> _decide.Assumptions:
    return _decide.Assumptions(instance_type=s.instance_type)


def _scale(memory_mb: int, to_mb: int, cpu_fraction: float) -> float:
    """How much longer (or shorter) a request runs at ``to_mb``: its CPU-busy share scales with
    the CPU Lambda gives that memory, the rest (waiting on I/O) does not."""
    return (1.0 - cpu_fraction) + cpu_fraction * duration_at_memory_ms(1.0, memory_mb, to_mb)


def _check(traffic: object, region: str, memory_mb: object, arch: object, keep_alive_s: object,
           duration_ms: object, concurrency_limit: object, cpu_fraction: object,
           replay_requests: object, seed: object) -> None:
    if not isinstance(traffic, Traffic):
        raise InputError("traffic", type(traffic).__name__, "is not allowed",
                         "a Traffic from ec2vslambda.traffic.read (or from_requests, "
                         "from_periods)")
    _data.check_region(region)
    if memory_mb is not None:
        pricing.check_memory_mb(memory_mb)
    if arch is not None:
        pricing.check_arch(arch)
    number("keep_alive_s", keep_alive_s, high=MAX_KEEP_ALIVE_S)
    if duration_ms is not None:
        pricing.check_duration_ms(duration_ms)
        if duration_ms <= 0:
            raise InputError("duration_ms", duration_ms, "is out of range",
                             "more than 0 ms, or None to use the source's durations")
    if concurrency_limit is not None:
        whole("concurrency_limit", concurrency_limit, low=1, high=1e9)
    number("cpu_fraction", cpu_fraction, high=1.0)
    whole("replay_requests", replay_requests, low=1000, high=1e9)
    whole("seed", seed, high=2**63)


def report(traffic: Traffic, *, region: str = "us-east-1", memory_mb: int | None = None,
           arch: str | None = None, keep_alive_s: float = 600.0,
           duration_ms: float | None = None, init_ms: float | None = None,
           runtime: str = DEFAULT_RUNTIME, concurrency_limit: int | None = None,
           cpu_fraction: float = 1.0, front_door: str = "http_api", response_kb: float = 0.0,
           latency_target_ms: float | None = None, steady_for_a_year: bool = False,
           interruptible: bool = False, instance_type: str | None = None,
           what_ifs: bool = True, seed: int = 0,
           replay_requests: int = REPLAY_REQUESTS) -> dict[str, object]:
    """The workload report of ``traffic``: profile, Lambda replay, every option's whole bill,
    the recommendation with its reasons, and what-ifs, as plain JSON-able data.

    Parameters
    ----------
    traffic: what :func:`ec2vslambda.traffic.read` returned.
    region: where to price it (``us-east-1`` or ``ap-northeast-2``).
    memory_mb, arch: the function's configuration (default: what the source recorded, else the
        decision guide's 1,024 MB; x86_64).
    keep_alive_s: how long an idle environment stays loaded in the replay.
    duration_ms: every request's duration, instead of the source's (needed when it records
        none).
    init_ms: INIT duration of a cold start, instead of the source's recorded mean or, where it
        recorded none, ``runtime``'s measured hello-world INIT.
    concurrency_limit: the account's concurrency limit (default: ``lambda_limits.csv``).
    cpu_fraction, front_door, response_kb, latency_target_ms, steady_for_a_year, interruptible:
        as in :class:`ec2vslambda.decide.Workload`.
    instance_type: the fleets' EC2 type (default: the decision guide's, the cheapest
        general-purpose type priced in the region; where none is priced, the cheapest type that
        is not burstable).
    what_ifs: add the what-ifs (four more replays and five more bills).
    seed: the seed of the arrivals spread inside each minute of aggregated traffic.
    replay_requests: most requests one replay runs before it samples windows (see the module
        docstring).

    Returns the :func:`ec2vslambda.live.result` keys (``title``, ``summary``, ``numbers``,
    ``table``: the options' whole bills, ``chart``: their monthly costs) and ``tables``
    (``profile``, ``replay``, ``recorded``, ``bill``, ``what_if``: each ``{"title", "columns",
    "rows"}`` of display strings, or ``None``), ``charts`` (``traffic``, ``bill``), ``reasons``
    and ``notes`` (the assumptions, as sentences). Raises ``ValueError`` naming the parameter on
    bad input.
    """
    _check(traffic, region, memory_mb, arch, keep_alive_s, duration_ms, concurrency_limit,
           cpu_fraction, replay_requests, seed)
    memory = int(memory_mb or traffic.memory_mb or _decide.Workload.memory_mb)
    arch = arch or DEFAULT_ARCH
    init, init_from = _init(traffic, init_ms, runtime, arch, memory)
    limit = int(concurrency_limit or _data.limit_value("concurrency_default"))
    fleet = _fleet_type(arch, region, instance_type)
    settings = _Settings(
        region=region, memory_mb=memory, arch=arch, keep_alive_s=float(keep_alive_s),
        init_ms=init, concurrency_limit=limit, cpu_fraction=float(cpu_fraction),
        front_door=choice("front_door", front_door, tuple(pricing.FRONT_DOORS)),
        response_kb=number("response_kb", response_kb),
        latency_target_ms=(None if latency_target_ms is None
                           else number("latency_target_ms", latency_target_ms)),
        steady_for_a_year=flag("steady_for_a_year", steady_for_a_year),
        interruptible=flag("interruptible", interruptible),
        instance_type=fleet[0])
    what_ifs = flag("what_ifs", what_ifs)

    source = _source(traffic, duration_ms)
    profile = _profile(traffic, source)
    plans: dict[float, tuple[_Plan, object]] = {}

    def planned(keep_alive: float) -> tuple[_Plan, object]:
        """The plan for a keep-alive (its warm-ups as long as it) and its requests."""
        if keep_alive not in plans:
            plan = _plan(traffic.per_minute, replay_requests,
                         math.ceil(keep_alive / SECONDS_PER_MINUTE))
            plans[keep_alive] = plan, _requests(source, plan, seed)
        return plans[keep_alive]

    plan, requests = planned(settings.keep_alive_s)
    run = _replay(requests, keep_alive_s=settings.keep_alive_s, init_ms=init,
                  concurrency_limit=limit)

    def replay(keep_alive: float, scale: float = 1.0) -> dict[str, float]:
        """A what-if's replay; the requests in flight do not depend on the keep-alive."""
        if scale != 1.0:
            return _replay(requests, keep_alive_s=keep_alive, init_ms=init,
                           concurrency_limit=limit, duration_scale=scale)
        return {**_replay(planned(keep_alive)[1], keep_alive_s=keep_alive, init_ms=init,
                          concurrency_limit=limit, in_flight=False),
                "peak_in_flight": run["peak_in_flight"]}

    rec = _decide.decide(_workload(profile, run, settings), _assumptions(settings))
    recorded = _recorded(traffic, source, plan)
    others = [k for k in WHAT_IF_KEEP_ALIVE_S if k != settings.keep_alive_s]
    variants = _what_ifs(profile, run, rec, settings, others, replay) if what_ifs else []
    return _assemble(traffic, profile, plan, run, rec, recorded, variants, settings, init_from,
                     fleet[1])


def _what_ifs(profile: _Profile, run: Mapping[str, float], rec: _decide.Recommendation,
              s: _Settings, keep_alives: Sequence[float],
              replay) -> list[tuple[str, Mapping, _decide.Recommendation]]:
    """(label, replay, recommendation) for each what-if, the traffic as read first."""
    low, high = _data.limit_value("memory_min"), _data.limit_value("memory_max")
    out: list[tuple[str, Mapping, _decide.Recommendation]] = [(word("as read"), run, rec)]
    for memory in sorted({int(max(low, s.memory_mb // 2)), int(min(high, s.memory_mb * 2))}
                         - {s.memory_mb}):
        scale = _scale(s.memory_mb, memory, s.cpu_fraction)
        variant = replay(s.keep_alive_s, scale)
        out.append((say("memory {memory} MB", memory=f"{memory:,}"), variant,
                    _decide.decide(_workload(profile, variant, s, memory_mb=memory,
                                             duration_scale=scale), _assumptions(s),
                                   explain=False)))
    other = "arm64" if s.arch == "x86_64" else "x86_64"
    out.append((say("architecture {arch}", arch=other), run,
                _decide.decide(_workload(profile, run, s, arch=other), _assumptions(s),
                               explain=False)))
    for keep in keep_alives:
        variant = replay(keep)
        out.append((say("keep-alive {seconds} s", seconds=f"{keep:,.0f}"), variant,
                    _decide.decide(_workload(profile, variant, replace(s, keep_alive_s=keep)),
                                   _assumptions(s), explain=False)))
    return out


#: The whole bill's columns beyond the total, as an option's ``detail`` names them.
BILL_COLUMNS = {"compute_usd": term("compute"), **_decide.EXTRA_LINES}


def _bill_rows(rec: _decide.Recommendation) -> tuple[list[str], list[list[str]]]:
    columns = [word("option"), word("USD per month"),
               *(word(label) for label in BILL_COLUMNS.values()),
               word("instances / tasks / environments"), word("why not")]
    rows = []
    for o in rec.options:
        priced = o.monthly_usd is not None
        rows.append([o.label + (word(" ◀ recommended") if o.option == rec.choice else ""),
                     money(o.monthly_usd),
                     *(money(o.detail.get(key, 0.0)) if priced else DASH for key in BILL_COLUMNS),
                     f"{o.units:,}", "; ".join(o.why_not) or DASH])
    return columns, rows


def _traffic_chart(traffic: Traffic, profile: _Profile) -> dict[str, object]:
    """Requests per minute over the period: the busiest minute and the average of each bucket
    of minutes (at most :data:`CHART_POINTS` buckets)."""
    counts = traffic.per_minute
    bucket = max(1, math.ceil(len(counts) / CHART_POINTS))
    days = profile.minutes >= 2 * 1440
    unit = 1440.0 if days else 60.0
    x, busiest, mean = [], [], []
    for start in range(0, len(counts), bucket):
        part = counts[start:start + bucket]
        x.append(start / unit)
        busiest.append(max(part))
        mean.append(sum(part) / len(part))
    lines = [series(word("average minute"), x, mean, colour="blue")]
    if bucket > 1:
        lines.append(series(word("busiest minute"), x, busiest, colour="orange", style="dotted"))
    label = (say("days since {start} UTC", start=traffic.start.strftime("%Y-%m-%d %H:%M")) if days
             else say("hours since {start} UTC", start=traffic.start.strftime("%Y-%m-%d %H:%M")))
    return line_chart(word("Requests per minute"), axis(label, minimum=0),
                      axis(word("requests per minute"), minimum=0), lines)


def _assemble(traffic: Traffic, profile: _Profile, plan: _Plan, run: Mapping[str, float],
              rec: _decide.Recommendation, recorded: Mapping[str, float] | None,
              variants: Sequence[tuple[str, Mapping, _decide.Recommendation]], s: _Settings,
              init_from: str, fleet_from: str) -> dict[str, object]:
    cold = run["cold_starts"] / run["requests"] if run["requests"] else 0.0
    throttle = run["throttled"] / run["requests"] if run["requests"] else 0.0
    lam = rec.option("lambda")
    when = f"{traffic.start:%Y-%m-%d %H:%M} – {traffic.end:%Y-%m-%d %H:%M} UTC"

    profile_rows = [
        [word("source format"), word(FORMAT_LABELS[traffic.format])
         if traffic.format in FORMAT_LABELS else traffic.format],
        [word("period covered"), f"{when} ({_span(profile.minutes)})"],
        [word("invocations"), f"{profile.invocations:,}"],
        [word("invocations per month (730 hours)"), large_count(profile.monthly_invocations)],
        [word("mean duration (ms)"), _ms(profile.mean_duration_ms)],
        [word("average concurrency"), f"{profile.average_concurrency:,.2f}"],
        [word("busiest minute's concurrency"), f"{profile.peak_minute_concurrency:,.2f}"],
        [word("regularity (average / busiest minute)"), _share(profile.regularity)],
        [word("idle minutes"), _share(profile.idle_share)],
        [word("memory (MB)"), f"{s.memory_mb:,}"],
        [word("records skipped"), _skipped(traffic.skipped)],
    ]
    if traffic.duration_p99_ms is not None:
        profile_rows.insert(5, [word("p99 duration the source gives (ms)"),
                                _ms(traffic.duration_p99_ms)])
    if plan.whole:
        replayed = say("all {count} requests", count=f"{run['requests']:,}")
    else:
        replayed = say("{count} requests in {windows} windows of {minutes} min (one in every "
                       "{stride}, the busiest included), {share} of the traffic; warm-ups not "
                       "counted",
                       count=f"{run['requests']:,}", windows=f"{len(plan.windows):,}",
                       minutes=f"{plan.window_minutes:,}", stride=f"{plan.stride:,}",
                       share=_share(run["requests"] / profile.invocations))
    replay_rows = [
        [word("replayed"), replayed],
        [word("arrivals"), word("as recorded") if not traffic.aggregated
         else word("spread at random inside each minute (seeded)")],
        [word("keep-alive (s)"), f"{s.keep_alive_s:,.0f}"],
        [word("INIT of a cold start (ms)"), f"{_ms(s.init_ms)} ({init_from})"],
        [word("cold starts"), f"{run['cold_starts']:,} ({_share(cold)})"],
        [word("p50 latency (ms)"), _ms(run["p50_ms"])],
        [word("p99 latency (ms)"), _ms(run["p99_ms"])],
        [word("peak concurrency / account limit"),
         f"{run['peak_concurrency']:,} / {s.concurrency_limit:,}"],
        [word("throttled"), f"{run['throttled']:,} ({_share(throttle)})"],
    ]
    recorded_table = None
    if recorded is not None:
        recorded_table = _table(
            word("Recorded beside replayed (the same requests)"),
            [word("figure"), word("recorded"), word("replayed")],
            [[word("cold starts"), _share(recorded["cold_share"]), _share(cold)],
             [word("INIT of a cold start (ms)"), _ms(recorded["init_ms"]), _ms(s.init_ms)],
             [word("p50 latency (ms)"), _ms(recorded["p50_ms"]), _ms(run["p50_ms"])],
             [word("p99 latency (ms)"), _ms(recorded["p99_ms"]), _ms(run["p99_ms"])]])

    columns, rows = _bill_rows(rec)
    bars = [(o.label, o.monthly_usd, "orange" if o.option == rec.choice
             else "blue" if o.eligible else "lightgrey") for o in rec.options]
    bill_chart = bar_chart(say("{option} recommended", option=rec.label),
                           axis(word("USD per month"), log=True), bars)

    what_if = None
    if variants:
        what_if = _table(
            word("What if"),
            [word("what if"), word("Lambda (on demand) per month"), word("cold starts"),
             word("p99 latency (ms)"), word("peak concurrency"), word("recommended"),
             word("USD per month")],
            [[label, money(v.option("lambda").monthly_usd),
              _share(r["cold_starts"] / r["requests"] if r["requests"] else 0.0),
              _ms(r["p99_ms"]), f"{r['peak_concurrency']:,}", v.label, money(v.monthly_usd)]
             for label, r, v in variants])

    head = say("Recommendation: {option}, about {usd} a month (whole bill).", option=rec.label,
               usd=pricing.format_usd(rec.monthly_usd))
    summary = head + " " + say(
        "Replayed on Lambda, {cold} of the invocations start cold, the p99 latency is {p99} ms "
        "and at most {peak} environments run at once.", cold=_share(cold), p99=_ms(run["p99_ms"]),
        peak=f"{run['peak_concurrency']:,}")
    if run["throttled"]:
        summary += " " + say("The account limit of {limit} throttles {share} of them.",
                             limit=f"{s.concurrency_limit:,}", share=_share(throttle))

    notes = [
        say("The month is {hours} hours: the {minutes} minutes covered are scaled to it.",
            hours=f"{pricing.HOURS_PER_MONTH:,g}", minutes=f"{profile.minutes:,}"),
        say("Bills use the mean duration, {duration} ms; fleets and Provisioned Concurrency are "
            "sized for the replay's peak of {peak} requests in flight.",
            duration=_ms(profile.mean_duration_ms), peak=f"{run['peak_in_flight']:,}"),
        say("The EC2 fleets and Managed Instances run {instance}: {why}.",
            instance=s.instance_type, why=fleet_from),
    ]
    if traffic.aggregated:
        notes.append(word("Per-minute data hides bursts inside a minute: the replay spreads each "
                          "minute's requests evenly at random, and every request of a minute runs "
                          "the minute's average duration, so its p99 understates the tail."))
    if variants:
        notes.append(say("What-ifs: at another memory size the CPU-busy share ({share}) of each "
                         "request scales with the CPU Lambda gives it; the other architecture "
                         "keeps the durations and changes the prices.",
                         share=f"{s.cpu_fraction:.0%}"))

    numbers = {
        "format": traffic.format, "start": traffic.start.isoformat(),
        "end": traffic.end.isoformat(), "minutes": profile.minutes,
        "invocations": profile.invocations,
        "monthly_invocations": profile.monthly_invocations,
        "mean_duration_ms": profile.mean_duration_ms,
        "average_concurrency": profile.average_concurrency,
        "peak_minute_concurrency": profile.peak_minute_concurrency,
        "regularity": profile.regularity, "idle_share": profile.idle_share,
        "memory_mb": s.memory_mb, "arch": s.arch, "region": s.region,
        "instance_type": s.instance_type,
        "keep_alive_s": s.keep_alive_s, "init_ms": s.init_ms,
        "replay_whole": plan.whole, "replay_window_minutes": plan.window_minutes,
        "replay_windows": len(plan.windows), "replayed_requests": run["replayed"],
        "counted_requests": run["requests"], "cold_starts": run["cold_starts"],
        "cold_start_share": cold, "p50_ms": run["p50_ms"], "p99_ms": run["p99_ms"],
        "peak_concurrency": run["peak_concurrency"], "peak_in_flight": run["peak_in_flight"],
        "concurrency_limit": s.concurrency_limit, "throttled": run["throttled"],
        "throttled_share": throttle,
        "recorded_cold_start_share": recorded["cold_share"] if recorded else None,
        "recorded_init_ms": recorded["init_ms"] if recorded else None,
        "recorded_p50_ms": recorded["p50_ms"] if recorded else None,
        "recorded_p99_ms": recorded["p99_ms"] if recorded else None,
        "choice": rec.choice, "monthly_usd": rec.monthly_usd,
        "lambda_monthly_usd": lam.monthly_usd,
        "options_monthly_usd": {o.option: o.monthly_usd for o in rec.options},
        "what_if_monthly_usd": {label: v.monthly_usd for label, _r, v in variants},
    }
    out = result(word("Your workload"), summary, numbers=numbers, columns=columns, rows=rows,
                 chart=bill_chart)
    out.update(clean({
        "tables": {"profile": _table(word("Profile"), [word("figure"), word("value")],
                                     profile_rows),
                   "replay": _table(word("Lambda replay"), [word("figure"), word("value")],
                                    replay_rows),
                   "recorded": recorded_table,
                   "bill": _table(word("Whole bill of every option"), columns, rows),
                   "what_if": what_if},
        "charts": {"traffic": _traffic_chart(traffic, profile), "bill": bill_chart},
        "reasons": [r.text for r in rec.reasons],
        "notes": notes}))
    return out


# --- showing a report -------------------------------------------------------------------------

def table_frame(report: Mapping[str, object], name: str):
    """One of the report's ``tables`` as a pandas DataFrame indexed by its first column (for a
    notebook), or ``None`` where the report has no such table."""
    import pandas as pd

    table = report["tables"][choice("name", name, tuple(report["tables"]))]  # type: ignore[index]
    if table is None:
        return None
    frame = pd.DataFrame(table["rows"], columns=table["columns"])
    return frame.set_index(table["columns"][0])


_FIGURE = re.compile(r"[$—\d.,%/ ()+-]*\d[$—\d.,%/ ()+-]*|—")


def _text_table(table: Mapping[str, object], keep: Sequence[int] | None = None) -> list[str]:
    columns = list(table["columns"])  # type: ignore[arg-type]
    rows = [list(r) for r in table["rows"]]  # type: ignore[union-attr]
    if keep is not None:
        columns = [columns[i] for i in keep]
        rows = [[r[i] for i in keep] for r in rows]
    widths = [max(len(str(c)) for c in column) for column in zip(columns, *rows, strict=True)]
    # figures (money, counts, shares) line up on the right, words on the left
    right = [all(_FIGURE.fullmatch(r[i]) for r in rows) for i in range(len(columns))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if r else c.ljust(w)
                         for c, w, r in zip(cells, widths, right, strict=True)).rstrip()

    return [str(table["title"]), line(columns), line(["-" * w for w in widths]),
            *(line(r) for r in rows)]


def report_text(report: Mapping[str, object]) -> str:
    """The report as plain text for a terminal: the profile, the replay, the bills (total and
    compute) and the recommendation with its reasons."""
    tables = report["tables"]
    parts = [str(report["title"]), "", *_text_table(tables["profile"]), "",  # type: ignore[index]
             *_text_table(tables["replay"]), ""]  # type: ignore[index]
    if tables["recorded"]:  # type: ignore[index]
        parts += [*_text_table(tables["recorded"]), ""]  # type: ignore[index]
    parts += [*_text_table(tables["bill"], keep=(0, 1, 2)), ""]  # type: ignore[index]
    if tables["what_if"]:  # type: ignore[index]
        parts += [*_text_table(tables["what_if"]), ""]  # type: ignore[index]
    parts += [str(report["summary"]), ""]
    parts += [f"- {reason}" for reason in report["reasons"]]  # type: ignore[attr-defined]
    parts += [""] + [f"* {note}" for note in report["notes"]]  # type: ignore[attr-defined]
    return "\n".join(parts) + "\n"
