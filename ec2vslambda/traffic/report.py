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
  as long as the keep-alive, which is run but not counted. Shares and percentiles come from the
  counted requests; the peak comes from the busiest window. The report says how much it
  replayed.

The parts
---------
:mod:`.profiling` measures the traffic and reads what its source recorded;
:mod:`.replay_engine` plans the replay and runs it; :mod:`.layout` lays the report out (and
prints it as text). Everything is standard-library Python, the replay included (the
standard-library engine, :mod:`ec2vslambda.engine`), so the book's site runs the report in the
reader's browser, where numpy does not exist.
"""


from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .. import bills, coldstarts, pricing
from .. import data as _data
from .. import decide as _decide
from ..power_tuning import duration_at_memory_ms
from ..validation import InputError, choice, flag, number, whole
from ..words import say, word
from . import layout, profiling, replay_engine
from .layout import report_text, table_frame
from .model import Traffic

__all__ = ["REPLAY_REQUESTS", "Settings", "report", "report_text", "table_frame"]

#: Lambda's default architecture; no traffic source records the architecture.
DEFAULT_ARCH = "x86_64"
#: The runtime whose measured hello-world INIT stands in when the source recorded none.
DEFAULT_RUNTIME = "python3.13"
#: Most requests one replay runs (counted and warm-up together) before it samples windows: five
#: replays of this many take about a second with the standard-library engine in CPython.
REPLAY_REQUESTS = 300_000
#: Keep-alive what-ifs (s) beside the one asked for.
WHAT_IF_KEEP_ALIVE_S = (60.0, 1800.0)
#: Longest keep-alive a replay takes (a day): longer ones only lengthen every window's warm-up.
MAX_KEEP_ALIVE_S = 86_400.0


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
class Settings:
    """What the report was asked for, with its defaults filled in."""

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


def _workload(profile: profiling.Profile, run: Mapping[str, float], s: Settings, *,
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


def _assumptions(s: Settings) -> _decide.Assumptions:
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
        if pricing.check_duration_ms(duration_ms) <= 0:
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
           replay_requests: int = REPLAY_REQUESTS) -> layout.Report:
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
    settings = Settings(
        region=region, memory_mb=memory, arch=arch, keep_alive_s=float(keep_alive_s),
        init_ms=init, concurrency_limit=limit, cpu_fraction=float(cpu_fraction),
        front_door=choice("front_door", front_door, tuple(bills.FRONT_DOORS)),
        response_kb=number("response_kb", response_kb),
        latency_target_ms=(None if latency_target_ms is None
                           else number("latency_target_ms", latency_target_ms)),
        steady_for_a_year=flag("steady_for_a_year", steady_for_a_year),
        interruptible=flag("interruptible", interruptible),
        instance_type=fleet[0])
    what_ifs = flag("what_ifs", what_ifs)

    source = profiling.source(traffic, duration_ms)
    profile = profiling.profile(traffic, source)
    plans: dict[float, tuple[replay_engine.Plan, replay_engine.Requests]] = {}

    def planned(keep_alive: float) -> tuple[replay_engine.Plan, replay_engine.Requests]:
        """The plan for a keep-alive (its warm-ups as long as it) and its requests."""
        if keep_alive not in plans:
            plan = replay_engine.plan(traffic.per_minute, replay_requests,
                                      math.ceil(keep_alive / replay_engine.SECONDS_PER_MINUTE))
            plans[keep_alive] = plan, replay_engine.requests(source, plan, seed)
        return plans[keep_alive]

    plan, requests = planned(settings.keep_alive_s)
    run = replay_engine.replay(requests, keep_alive_s=settings.keep_alive_s, init_ms=init,
                               concurrency_limit=limit)

    def replay(keep_alive: float, scale: float = 1.0) -> dict[str, float]:
        """A what-if's replay; the requests in flight do not depend on the keep-alive."""
        if scale != 1.0:
            return replay_engine.replay(requests, keep_alive_s=keep_alive, init_ms=init,
                                        concurrency_limit=limit, duration_scale=scale)
        return {**replay_engine.replay(planned(keep_alive)[1], keep_alive_s=keep_alive,
                                       init_ms=init, concurrency_limit=limit, in_flight=False),
                "peak_in_flight": run["peak_in_flight"]}

    rec = _decide.decide(_workload(profile, run, settings), _assumptions(settings))
    others = [k for k in WHAT_IF_KEEP_ALIVE_S if k != settings.keep_alive_s]
    return layout.assemble(layout.Findings(
        traffic=traffic, profile=profile, plan=plan, run=run, rec=rec,
        recorded=profiling.recorded(traffic, source, plan),
        variants=_what_ifs(profile, run, rec, settings, others, replay) if what_ifs else [],
        settings=settings, init_from=init_from, fleet_from=fleet[1]))


def _what_ifs(profile: profiling.Profile, run: Mapping[str, float], rec: _decide.Recommendation,
              s: Settings, keep_alives: Sequence[float],
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
