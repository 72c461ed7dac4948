"""Discrete-event simulators: one Lambda function's execution environments, and an EC2 fleet.

Lambda rules (:func:`simulate_lambda`)
--------------------------------------
* An execution environment serves one request at a time.
* An arriving request first takes an idle Provisioned Concurrency environment, if any (they are
  always initialised, so such a request is warm).
* Otherwise it reuses the on-demand environment that became idle most recently, if that one is
  still loaded: idle for at most ``keep_alive_s`` (with a fixed policy; see
  :mod:`ec2vslambda.keepalive` for pre-warming). Warm: latency = duration. Which idle
  environment AWS picks is not documented: this *routing* is an assumption, and
  ``routing="newest"`` picks the newest created one instead, as SimFaaS does (see
  :func:`simulate_lambda`).
* Otherwise a new environment starts (cold: latency = ``init_ms`` + duration), unless
  ``concurrency_limit`` requests are already in flight or the scaling rate is spent; then the
  request is *throttled*: it is not run, not billed, not retried, and its latency is NaN.
* Scaling rate: a token bucket that holds ``max_new_envs_per_10s`` tokens and is refilled to
  full at every multiple of 10 s (0, 10, 20 … s from the start of the window). Each cold start
  takes a token. This is how we read AWS's "1,000 execution environments every 10 seconds" per
  function; provisioned environments take none.
* An environment is free again at the instant its request ends (``arrival + latency``): a
  request arriving at that very instant can reuse it. An environment idle for exactly
  ``keep_alive_s`` is still warm.
* Keep-alive policies (:mod:`ec2vslambda.keepalive`) give each idle period a pre-warm and a
  keep-alive window. An environment that frees while other requests of the function are still
  in flight stays loaded for the keep-alive window: the function is not idle. When the last one
  ends, the function's idle period starts: with no pre-warm every idle environment lives out its
  window; with a pre-warm the idle environments are unloaded at once, and one environment is
  loaded again after the pre-warm window (unless provisioned environments are there) and kept
  for the keep-alive window. A request that arrives before that pre-warm cancels it (and starts
  cold). The function's idle time -- from the end of its last request in flight to its next
  arrival -- is what an adaptive policy learns from.

Idle memory-time is what keeping environments loaded costs the provider: for every idle period
of an on-demand environment, the time it is loaded and idle, from becoming idle (or from its
pre-warm) until reuse, unloading or the end of its keep-alive -- counted in full for
environments still idle when the workload ends, unless ``idle_until_s`` ends the count -- times
the memory size. Provisioned environments are excluded (they are paid for).

:func:`simulate_application` is the coarser model of Shahrad et al. (2020): one image per
application, loaded or not, whatever the concurrency; see its docstring.

The default ``concurrency_limit`` and ``max_new_envs_per_10s`` are AWS's defaults, read from
``lambda_limits.csv``.

EC2 rules (:func:`simulate_ec2`)
--------------------------------
A FIFO queue served by ``instances × concurrency_per_instance`` slots (default: one slot per
vCPU); each request takes the slot that frees earliest and waits for it if needed. Optional
target-tracking autoscaling (:class:`Autoscaling`). Instances are billed per second with a
60-second minimum through :func:`ec2vslambda.pricing.ec2_cost`.

Engines: the Lambda loops are compiled with numba (:mod:`ec2vslambda.kernels`): busy
environments sorted by the time they free and a stack of idle ones, most recently freed on top.
A day at 100 requests a second (8.64 million) takes under a second;
``benchmarks/bench_simulate.py`` measures it against a plain-Python heapq loop of the same
rules, and ``tests/simpy_reference.py`` restates the rules in SimPy to check them request by
request. :mod:`ec2vslambda.engine` runs the same rules in standard-library Python, for the
reader's browser (``engine="python"``; ``benchmarks/bench_engine.py`` times it), and property
tests require both engines to agree request by request (``tests/test_engine.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from . import data as _data
from . import engine as _engine
from . import pricing
from .engine import Autoscaling
from .keepalive import FixedKeepAlive, HybridHistogram
from .validation import choice, number, whole
from .workloads import check_requests

try:
    from . import kernels
except ImportError:  # no numba here: the standard-library engine runs every simulation
    kernels = None

PERCENTILES = (50, 95, 99)
SCALING_WINDOW_S = _engine.SCALING_WINDOW_S
FIRST_CAPACITY = 4096  # environments alive at once, for the first try (see lambda_kernel)
ENGINES = ("compiled", "python")
ROUTINGS = _engine.ROUTINGS


def default_engine() -> str:
    """``"compiled"`` where numba imports, else ``"python"``."""
    return "python" if kernels is None else "compiled"


def _pick_engine(engine: str | None) -> str:
    if engine is None:
        return default_engine()
    engine = choice("engine", engine, ENGINES)
    if engine == "compiled" and kernels is None:
        raise ValueError("engine='compiled' is not allowed here: numba is not installed; "
                         "allowed: engine='python' (or None)")
    return engine


def _percentiles(latency_ms: np.ndarray, *, served_only: bool = False) -> dict[str, float]:
    served = latency_ms if served_only else latency_ms[~np.isnan(latency_ms)]
    if served.size == 0:
        return {f"p{q}": 0.0 for q in PERCENTILES}
    values = np.percentile(served, PERCENTILES)
    return {f"p{q}": float(v) for q, v in zip(PERCENTILES, values, strict=True)}


def _in_flight_at_starts(starts_s: np.ndarray, ends_s: np.ndarray) -> np.ndarray:
    """Requests in flight just after each start (``starts_s`` sorted; a request that ends at t
    is gone at t). The peak of these is the peak concurrency."""
    # ends are nearly sorted (arrivals are sorted): timsort ("stable") is fastest on them
    ended = np.searchsorted(np.sort(ends_s, kind="stable"), starts_s, side="right")
    return np.arange(1, starts_s.size + 1) - ended


def in_flight_at(times_s: np.ndarray, starts_s: np.ndarray, ends_s: np.ndarray) -> np.ndarray:
    """Requests in flight at each of ``times_s`` (started at or before, ending after)."""
    times = np.asarray(times_s, dtype=float)
    started = np.searchsorted(np.sort(starts_s, kind="stable"), times, side="right")
    ended = np.searchsorted(np.sort(ends_s, kind="stable"), times, side="right")
    return started - ended


# --- Lambda ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class LambdaResult:
    """What happened to each request of one function, and the totals.

    Per-request arrays (same order as the input): ``latency_ms`` (NaN where throttled),
    ``cold``, ``throttled_mask`` and ``provisioned_mask`` (served by a provisioned environment).
    """

    arrivals_s: np.ndarray
    durations_ms: np.ndarray
    latency_ms: np.ndarray
    cold: np.ndarray
    throttled_mask: np.ndarray
    provisioned_mask: np.ndarray
    cold_starts: int
    throttled: int
    served: int
    peak_concurrency: int
    billed_gb_s: float
    idle_env_s: float
    idle_gb_s: float
    cost: pricing.LambdaCost | None
    memory_mb: int
    arch: str
    init_ms: float
    horizon_s: float
    policy_label: str
    prewarm_loads: int = 0  # environments loaded by a pre-warm (hybrid policy)

    @cached_property
    def percentiles(self) -> dict[str, float]:
        """Latency percentiles of the served requests (``p50`` ... in ms), worked out when first
        asked for: on a day at 100 requests a second they cost a fifth of the simulation, and a
        trace replay that scores cold starts and idle memory never reads them."""
        served = self.latency_ms if self.throttled == 0 else self.latency_ms[~self.throttled_mask]
        return _percentiles(served, served_only=True)

    @property
    def requests(self) -> int:
        return int(self.arrivals_s.size)

    @property
    def cold_start_ratio(self) -> float:
        """Cold starts per served request (0 when nothing was served)."""
        return self.cold_starts / self.served if self.served else 0.0

    @property
    def cost_usd(self) -> float:
        return self.cost.total_usd if self.cost is not None else 0.0

    @property
    def ends_s(self) -> np.ndarray:
        """When each request finished (NaN where throttled)."""
        return self.arrivals_s + self.latency_ms / 1000.0

    def in_flight_at(self, times_s: np.ndarray) -> np.ndarray:
        served = ~self.throttled_mask
        return in_flight_at(times_s, self.arrivals_s[served], self.ends_s[served])

    def timeline(self, bin_s: float = 60.0):
        """A table per time bin: requests, throttles, cold starts, latency percentiles, peak
        concurrency and cost (no free tier) of the requests that arrived in the bin."""
        import pandas as pd

        bin_s = number("bin_s", bin_s, low=1e-3)
        span = max(self.horizon_s, float(self.arrivals_s[-1]) if self.requests else 0.0)
        edges = np.arange(0.0, span + bin_s, bin_s)
        which = np.searchsorted(edges, self.arrivals_s, side="right") - 1
        served = ~self.throttled_mask
        at_starts = np.zeros(self.requests, dtype=np.int64)
        at_starts[served] = _in_flight_at_starts(self.arrivals_s[served], self.ends_s[served])
        at_edges = self.in_flight_at(edges)
        rows = []
        for b, start in enumerate(edges[:-1]):
            mine = which == b
            latency = self.latency_ms[mine]
            served = latency[~np.isnan(latency)]
            cold = int(self.cold[mine].sum())
            on_demand = int((mine & ~self.throttled_mask & ~self.provisioned_mask).sum())
            cost = pricing.lambda_cost(
                served.size, float(served.mean()) if served.size else 0.0, self.memory_mb,
                arch=self.arch, free_tier=False, init_ms=self.init_ms,
                cold_start_ratio=cold / on_demand if on_demand else 0.0).total_usd
            peak = max(int(at_edges[b]), int(at_starts[mine].max()) if mine.any() else 0)
            rows.append({"start_s": start, "requests": int(mine.sum()),
                         "throttled": int(self.throttled_mask[mine].sum()), "cold_starts": cold,
                         **_percentiles(latency), "in_flight_max": peak, "cost_usd": cost})
        return pd.DataFrame(rows)


def _check_policy(policy: object, keep_alive_s: float):
    if policy is None:
        return FixedKeepAlive(keep_alive_s)
    if not isinstance(policy, FixedKeepAlive | HybridHistogram):
        raise ValueError(f"policy={policy!r} is not allowed; allowed: None (fixed keep_alive_s), "
                         "FixedKeepAlive(...) or HybridHistogram(...)")
    return policy


def _idle_span(idle_from_s: float, idle_until_s: float | None) -> tuple[float, float]:
    start = number("idle_from_s", idle_from_s, low=0.0)
    if idle_until_s is None:
        return start, math.inf
    return start, number("idle_until_s", idle_until_s, low=start)


def simulate_lambda(arrivals_s, durations_ms, *, keep_alive_s: float = 600.0,
                    init_ms: float = 200.0, concurrency_limit: int | None = None,
                    max_new_envs_per_10s: int | None = None, provisioned: int = 0,
                    policy: FixedKeepAlive | HybridHistogram | None = None,
                    memory_mb: int = 512, arch: str = "x86_64", free_tier: bool = False,
                    horizon_s: float | None = None, with_cost: bool = True,
                    idle_from_s: float = 0.0, idle_until_s: float | None = None,
                    routing: str = "recently_freed", engine: str | None = None
                    ) -> LambdaResult:
    """Simulate one Lambda function under the rules in the module docstring.

    Parameters
    ----------
    arrivals_s, durations_ms: sorted arrival times (s) and handler durations (ms), one each.
    keep_alive_s: how long an idle environment stays loaded (fixed policy; ignored when
        ``policy`` is given).
    init_ms: INIT duration added to a cold start's latency, and billed.
    concurrency_limit: most requests in flight at once (default: the account default in
        ``lambda_limits.csv``).
    max_new_envs_per_10s: scaling rate (default: ``scaling_rate`` in ``lambda_limits.csv``).
    provisioned: Provisioned Concurrency environments, always initialised.
    policy: a :class:`~ec2vslambda.keepalive.FixedKeepAlive` or
        :class:`~ec2vslambda.keepalive.HybridHistogram`.
    memory_mb, arch: the function's configuration, for GB-seconds and cost.
    free_tier: deduct the monthly free tier in ``cost`` (off: a simulated window is rarely the
        account's whole month).
    horizon_s: the window's length, for Provisioned Concurrency's enabled hours (default: until
        the last request finishes).
    with_cost: compute ``cost`` through :func:`ec2vslambda.pricing.lambda_cost` (the average
        duration of the served requests, the simulated cold-start ratio and ``init_ms``);
        ``billed_gb_s`` is always exact per invocation.
    idle_from_s, idle_until_s: count idle memory-time only inside this span (a trace replay
        scores the days after its training days). By default from 0 with no end: environments
        still loaded when the workload ends count their whole remaining window.
    routing: which idle environment serves a request when several are loaded -- an
        assumption, because AWS documents no rule. AWS says only that Lambda reuses an
        execution environment for later invocations when it can; which of several idle ones
        gets the next request is not published, and Amazon's patents on the worker managers
        describe random or semi-random choices, which fit neither rule here.
        ``"recently_freed"`` (the default): the one that became idle most recently (a stack),
        which keeps the fewest environments in use, so the others expire. ``"newest"``: the
        idle environment created most recently, as SimFaaS (Mahmoudi and Khazaei's simulator,
        PACS lab) picks it; among environments created at the same instant, the first
        created, as its ``argmax`` does. The two agree whenever at most one environment is
        idle; lab 1 shows how much they differ otherwise.
    engine: ``"compiled"`` (numba, :mod:`ec2vslambda.kernels`; the default where numba
        imports) or ``"python"`` (:mod:`ec2vslambda.engine`, standard library, as the
        reader's browser runs it). Both give the same answers request by request.
    """
    engine = _pick_engine(engine)
    newest = choice("routing", routing, ROUTINGS) == "newest"
    timeout_ms = _data.limit_value("timeout_max") * 1000.0
    arrivals, durations = check_requests(arrivals_s, durations_ms, max_duration_ms=timeout_ms)
    keep_alive_s = number("keep_alive_s", keep_alive_s, low=0.0)
    init_ms = number("init_ms", init_ms, high=_data.limit_value("init_timeout") * 1000.0)
    if concurrency_limit is None:
        concurrency_limit = int(_data.limit_value("concurrency_default"))
    limit = whole("concurrency_limit", concurrency_limit, low=1, high=1e9)
    if max_new_envs_per_10s is None:
        max_new_envs_per_10s = int(_data.limit_value("scaling_rate"))
    rate = whole("max_new_envs_per_10s", max_new_envs_per_10s, low=1, high=1e9)
    provisioned = whole("provisioned", provisioned, high=limit)
    policy = _check_policy(policy, keep_alive_s)
    memory_mb = pricing.check_memory_mb(memory_mb)
    arch = pricing.check_arch(arch)
    idle_from, idle_until = _idle_span(idle_from_s, idle_until_s)

    (cold, throttled, by_provisioned, idle_env_s, prewarm_loads, peak, latency, billed_ms,
     last_end, n_served) = _run_lambda(engine, arrivals, durations, init_ms, limit, rate,
                                       provisioned, policy, idle_from, idle_until, newest)
    n_cold = int(np.count_nonzero(cold))
    n_prov = int(np.count_nonzero(by_provisioned))
    n_throttled = arrivals.size - n_served
    served_durations = durations if n_throttled == 0 else durations[~throttled]
    mean_duration_ms = float(served_durations.mean()) if n_served else 0.0
    gb = memory_mb / pricing.MB_PER_GB
    horizon = last_end if horizon_s is None else number(
        "horizon_s", horizon_s, low=float(arrivals[-1]) if arrivals.size else 0.0)

    cost = None
    if with_cost and arrivals.size:
        on_demand_served = n_served - n_prov
        cost = pricing.lambda_cost(
            n_served, mean_duration_ms, memory_mb,
            arch=arch, free_tier=free_tier, init_ms=init_ms,
            cold_start_ratio=n_cold / on_demand_served if on_demand_served else 0.0,
            provisioned_concurrency=provisioned,
            provisioned_hours=horizon / pricing.SECONDS_PER_HOUR if provisioned else 0.0,
            provisioned_share=n_prov / n_served if provisioned and n_served and horizon else 0.0)

    return LambdaResult(
        arrivals_s=arrivals, durations_ms=durations, latency_ms=latency, cold=cold,
        throttled_mask=throttled, provisioned_mask=by_provisioned, cold_starts=n_cold,
        throttled=n_throttled, served=n_served, peak_concurrency=int(peak),
        billed_gb_s=billed_ms / 1000.0 * gb,
        idle_env_s=float(idle_env_s), idle_gb_s=float(idle_env_s) * gb, cost=cost,
        memory_mb=memory_mb, arch=arch, init_ms=init_ms, horizon_s=horizon,
        policy_label=policy.label, prewarm_loads=int(prewarm_loads))


def _run_lambda(engine: str, arrivals: np.ndarray, durations: np.ndarray, init_ms: float,
                limit: int, rate: int, provisioned: int, policy, idle_from: float,
                idle_until: float, newest: bool) -> tuple:
    """One engine's replay on checked inputs, as numpy arrays: ``(cold, throttled,
    by_provisioned, idle_env_s, prewarm_loads, peak, latency, billed_ms, last_end, served)``."""
    step_ms = _data.lambda_prices().duration_rounding_ms
    if engine == "python":
        r = _engine.lambda_loop(arrivals.tolist(), durations.tolist(), init_ms, limit, rate,
                                provisioned, policy, idle_from, idle_until, step_ms, newest)
        return (np.frombuffer(r.cold, dtype=bool), np.frombuffer(r.throttled, dtype=bool),
                np.frombuffer(r.provisioned, dtype=bool), r.idle_env_s, r.prewarm_loads,
                r.peak_concurrency, np.frombuffer(r.latency_ms, dtype=np.float64), r.billed_ms,
                r.last_end_s, r.served)
    params = np.array(policy.params(), dtype=np.float64)
    most = min(limit, arrivals.size) + 2  # environments alive at once never exceed the limit
    capacity = min(most, FIRST_CAPACITY)
    while True:
        *result, overflow = kernels.lambda_kernel(
            arrivals, durations, init_ms, limit, rate, provisioned, params, idle_from,
            idle_until, capacity, step_ms, newest)
        if not overflow:
            return tuple(result)
        capacity = most


def lambda_cold_and_idle(arrivals_s, durations_ms, *,
                         policy: FixedKeepAlive | HybridHistogram | None = None,
                         keep_alive_s: float = 600.0, init_ms: float = 200.0,
                         idle_from_s: float = 0.0, idle_until_s: float | None = None,
                         routing: str = "recently_freed", engine: str | None = None):
    """:func:`simulate_lambda`'s cold starts and idle memory only, for trace replays: the same
    rules with the default limits and no provisioned environments, without latencies, bills or
    percentiles. Returns an :class:`ApplicationResult` whose ``wasted_memory_s`` is
    environment-seconds. ``routing`` and ``engine`` as in :func:`simulate_lambda`."""
    engine = _pick_engine(engine)
    newest = choice("routing", routing, ROUTINGS) == "newest"
    timeout_ms = _data.limit_value("timeout_max") * 1000.0
    arrivals, durations = check_requests(arrivals_s, durations_ms, max_duration_ms=timeout_ms)
    policy = _check_policy(policy, number("keep_alive_s", keep_alive_s, low=0.0))
    init_ms = number("init_ms", init_ms, high=_data.limit_value("init_timeout") * 1000.0)
    idle_from, idle_until = _idle_span(idle_from_s, idle_until_s)
    limit = int(_data.limit_value("concurrency_default"))
    rate = int(_data.limit_value("scaling_rate"))
    cold, _, _, idle_env_s, prewarm_loads, *_ = _run_lambda(
        engine, arrivals, durations, init_ms, limit, rate, 0, policy, idle_from, idle_until,
        newest)
    return ApplicationResult(arrivals_s=arrivals, cold=cold,
                             cold_starts=int(np.count_nonzero(cold)),
                             wasted_memory_s=float(idle_env_s),
                             prewarm_loads=int(prewarm_loads), policy_label=policy.label)


@dataclass(frozen=True)
class ApplicationResult:
    """One application under the paper's model: per-request ``cold`` mask and the totals."""

    arrivals_s: np.ndarray
    cold: np.ndarray
    cold_starts: int
    wasted_memory_s: float  # loaded-idle time of the application's one image
    prewarm_loads: int
    policy_label: str

    @property
    def requests(self) -> int:
        return int(self.arrivals_s.size)

    @property
    def cold_start_ratio(self) -> float:
        return self.cold_starts / self.requests if self.requests else 0.0


def simulate_application(arrivals_s, durations_ms, *,
                         policy: FixedKeepAlive | HybridHistogram | None = None,
                         keep_alive_s: float = 600.0, init_ms: float = 200.0,
                         idle_from_s: float = 0.0, idle_until_s: float | None = None,
                         engine: str | None = None) -> ApplicationResult:
    """Shahrad et al.'s model of an application: one image, loaded or not.

    Concurrency does not matter here: while any request executes the image is loaded, so every
    request that arrives then is warm. When the last one ends, the policy's windows for that
    idle period apply (see :mod:`ec2vslambda.keepalive`): loaded for the keep-alive, or unloaded
    until the pre-warm and then loaded for the keep-alive. A request that finds the image
    unloaded is cold and runs ``init_ms`` longer. Wasted memory-time is the time the image is
    loaded while nothing executes, inside ``[idle_from_s, idle_until_s]`` (by default the last
    idle period counts its whole window). There are no limits, throttles or provisioned images.
    ``engine`` as in :func:`simulate_lambda`.
    """
    engine = _pick_engine(engine)
    arrivals, durations = check_requests(arrivals_s, durations_ms)
    policy = _check_policy(policy, number("keep_alive_s", keep_alive_s, low=0.0))
    init_ms = number("init_ms", init_ms)
    idle_from, idle_until = _idle_span(idle_from_s, idle_until_s)
    if engine == "python":
        cold_bytes, wasted_s, prewarm_loads = _engine.application_loop(
            arrivals.tolist(), durations.tolist(), init_ms, policy, idle_from, idle_until)
        cold = np.frombuffer(cold_bytes, dtype=bool)
    else:
        cold, wasted_s, prewarm_loads = kernels.application_kernel(
            arrivals, durations, init_ms, np.array(policy.params(), dtype=np.float64),
            idle_from, idle_until)
    return ApplicationResult(arrivals_s=arrivals, cold=cold,
                             cold_starts=int(np.count_nonzero(cold)),
                             wasted_memory_s=float(wasted_s), prewarm_loads=int(prewarm_loads),
                             policy_label=policy.label)


# --- EC2 ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Ec2Result:
    """A fleet's run: per-request ``latency_ms`` and ``wait_ms``, the fleet over time, cost."""

    arrivals_s: np.ndarray
    durations_ms: np.ndarray
    latency_ms: np.ndarray
    wait_ms: np.ndarray
    percentiles: dict[str, float]
    wait_percentiles: dict[str, float]
    time_s: np.ndarray  # start of each evaluation period
    utilisation: np.ndarray  # busy share of in-service slots in each period
    instances_in_service: np.ndarray  # at the end of each period
    instance_hours: float
    launches: int
    bills: tuple[pricing.Ec2Cost, ...]  # one per instance, per-second billing, 60 s minimum
    cost_usd: float
    instance_type: str
    slots_per_instance: int
    horizon_s: float
    instance_spans_s: tuple[tuple[float, float], ...]

    @property
    def requests(self) -> int:
        return int(self.arrivals_s.size)

    def timeline(self, bin_s: float = 60.0):
        """Per time bin: requests, latency percentiles, instances running and their cost."""
        import pandas as pd

        bin_s = number("bin_s", bin_s, low=1e-3)
        edges = np.arange(0.0, self.horizon_s + bin_s, bin_s)
        which = np.searchsorted(edges, self.arrivals_s, side="right") - 1
        usd_per_s = pricing.instance(self.instance_type).usd_per_hour / pricing.SECONDS_PER_HOUR
        rows = []
        for b, start in enumerate(edges[:-1]):
            end = start + bin_s
            running_s = sum(max(0.0, min(e, end) - max(s, start)) for s, e in
                            self.instance_spans_s)
            mine = which == b
            rows.append({"start_s": start, "requests": int(mine.sum()),
                         **_percentiles(self.latency_ms[mine]),
                         "instances": running_s / bin_s, "cost_usd": running_s * usd_per_s})
        return pd.DataFrame(rows)


def simulate_ec2(arrivals_s, durations_ms, *, instance_type: str, instances: int = 1,
                 concurrency_per_instance: int | None = None,
                 autoscaling: Autoscaling | None = None, horizon_s: float | None = None,
                 pricing_model: str = "on_demand", engine: str | None = None) -> Ec2Result:
    """Serve the requests with a fleet of ``instance_type``; FIFO, earliest free slot first.

    ``instances`` is the fleet at time 0 (with autoscaling: the starting size, within its
    bounds). The fleet runs from 0 to ``horizon_s`` (at least the last arrival), or until the
    last request finishes if that is later; each instance is billed per second, 60 s minimum.
    The fleet's loop is :func:`ec2vslambda.engine.ec2_loop`, standard-library Python for either
    ``engine`` (accepted as in :func:`simulate_lambda`; the fleet was never compiled: a heap
    push and pop per request is fast enough).
    """
    _pick_engine(engine)
    arrivals, durations = check_requests(arrivals_s, durations_ms)
    spec = pricing.instance(instance_type)
    slots = spec.vcpu if concurrency_per_instance is None else whole(
        "concurrency_per_instance", concurrency_per_instance, low=1, high=100_000)
    instances, horizon_s = _engine.check_fleet(
        instances, autoscaling, horizon_s, float(arrivals[-1]) if arrivals.size else 0.0)
    run, horizon = _engine.ec2_loop(arrivals.tolist(), durations.tolist(), slots, instances,
                                    autoscaling, horizon_s)
    starts = np.frombuffer(run.starts_s, dtype=np.float64)
    ends = np.frombuffer(run.ends_s, dtype=np.float64)
    spans = tuple(run.spans_s)
    bills = tuple(pricing.ec2_cost(instance_type, max(0.0, finish - begin)
                                   / pricing.SECONDS_PER_HOUR, pricing=pricing_model)
                  for begin, finish in spans)
    wait = (starts - arrivals) * 1000.0
    latency = (ends - arrivals) * 1000.0
    return Ec2Result(
        arrivals_s=arrivals, durations_ms=durations, latency_ms=latency, wait_ms=wait,
        percentiles=_percentiles(latency), wait_percentiles=_percentiles(wait),
        time_s=np.array(run.period_starts_s), utilisation=np.array(run.utilisation),
        instances_in_service=np.array(run.in_service, dtype=np.int64),
        instance_hours=sum(b.hours for b in bills), launches=len(spans), bills=bills,
        cost_usd=sum(b.total_usd for b in bills), instance_type=instance_type,
        slots_per_instance=slots, horizon_s=horizon, instance_spans_s=spans)


def simulate_functions(workload, *, policy=None, keep_alive_s: float = 600.0,
                       **kwargs) -> list[LambdaResult]:
    """Simulate each function of a multi-function workload (a trace replay) on its own.

    Every function gets its own environments, scaling budget and, for an adaptive policy, its
    own histogram. Returns one result per function id (0 to the largest id), in order. Extra
    keyword arguments go to :func:`simulate_lambda`.
    """
    if workload.function_ids is None or workload.function_ids.size == 0:
        return [simulate_lambda(workload.arrivals_s, workload.durations_ms, policy=policy,
                                keep_alive_s=keep_alive_s, **kwargs)]
    ids = workload.function_ids
    order = np.argsort(ids, kind="stable")
    bounds = np.searchsorted(ids[order], np.arange(int(ids.max()) + 2))
    results = []
    for f in range(int(ids.max()) + 1):  # one result per function id, even if it has no request
        rows = order[bounds[f]:bounds[f + 1]]
        results.append(simulate_lambda(workload.arrivals_s[rows], workload.durations_ms[rows],
                                       policy=policy, keep_alive_s=keep_alive_s, **kwargs))
    return results
