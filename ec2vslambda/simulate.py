"""Discrete-event simulators: one Lambda function's execution environments, and an EC2 fleet.

Lambda rules (:func:`simulate_lambda`)
--------------------------------------
* An execution environment serves one request at a time.
* An arriving request first takes an idle Provisioned Concurrency environment, if any (they are
  always initialised, so such a request is warm).
* Otherwise it reuses the on-demand environment that became idle most recently, if that one is
  still loaded: idle for at most ``keep_alive_s`` (with a fixed policy; see
  :mod:`ec2vslambda.keepalive` for pre-warming). Warm: latency = duration.
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

Speed: the Lambda loops are compiled with numba (:mod:`ec2vslambda.kernels`): a heap of busy
environments keyed by the time they free and a stack of idle ones, most recently freed on top.
A day at 100 requests a second (8.64 million) takes under a second;
``benchmarks/bench_simulate.py`` measures it against a plain-Python heapq loop of the same
rules, and ``tests/simpy_reference.py`` restates the rules in SimPy to check them request by
request.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from . import data as _data
from . import kernels, pricing
from .keepalive import FixedKeepAlive, HybridHistogram
from .validation import Allowed, InputError, number, whole
from .workloads import check_requests

__all__ = ["FIRST_CAPACITY", "MAX_EVALUATIONS", "MAX_SLOTS", "PERCENTILES", "SCALING_WINDOW_S",
           "ApplicationResult", "Autoscaling", "Ec2Result", "LambdaResult", "in_flight_at",
           "lambda_cold_and_idle", "simulate_application", "simulate_ec2", "simulate_functions",
           "simulate_lambda"]

#: The most request slots (instances x requests each serves at once) and Auto Scaling
#: evaluations one fleet simulation holds: both are Python loops (a heap of slots, one step
#: per evaluation), which stay within a few seconds below these.
MAX_SLOTS = 1_000_000
MAX_EVALUATIONS = 1_000_000

PERCENTILES = (50, 95, 99)
SCALING_WINDOW_S = kernels.SCALING_WINDOW_S
FIRST_CAPACITY = 4096  # environments alive at once, for the first try (see lambda_kernel)


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
        raise InputError("policy", policy, "is not allowed",
                         Allowed(text="None (fixed keep_alive_s), FixedKeepAlive(...) or "
                                      "HybridHistogram(...)"))
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
                    idle_from_s: float = 0.0, idle_until_s: float | None = None) -> LambdaResult:
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
    """
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

    params = np.array(policy.params(), dtype=np.float64)
    step_ms = _data.lambda_prices().duration_rounding_ms
    most = min(limit, arrivals.size) + 2  # environments alive at once never exceed the limit
    capacity = min(most, FIRST_CAPACITY)
    while True:
        (cold, throttled, by_provisioned, idle_env_s, prewarm_loads, peak, latency, billed_ms,
         last_end, n_served, overflow) = kernels.lambda_kernel(
            arrivals, durations, init_ms, limit, rate, provisioned, params, idle_from,
            idle_until, capacity, step_ms)
        if not overflow:
            break
        capacity = most
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


def lambda_cold_and_idle(arrivals_s, durations_ms, *,
                         policy: FixedKeepAlive | HybridHistogram | None = None,
                         keep_alive_s: float = 600.0, init_ms: float = 200.0,
                         idle_from_s: float = 0.0, idle_until_s: float | None = None):
    """:func:`simulate_lambda`'s cold starts and idle memory only, for trace replays: the same
    rules with the default limits and no provisioned environments, without latencies, bills or
    percentiles. Returns an :class:`ApplicationResult` whose ``wasted_memory_s`` is
    environment-seconds."""
    timeout_ms = _data.limit_value("timeout_max") * 1000.0
    arrivals, durations = check_requests(arrivals_s, durations_ms, max_duration_ms=timeout_ms)
    policy = _check_policy(policy, number("keep_alive_s", keep_alive_s, low=0.0))
    init_ms = number("init_ms", init_ms, high=_data.limit_value("init_timeout") * 1000.0)
    idle_from, idle_until = _idle_span(idle_from_s, idle_until_s)
    limit = int(_data.limit_value("concurrency_default"))
    rate = int(_data.limit_value("scaling_rate"))
    params = np.array(policy.params(), dtype=np.float64)
    capacity = min(limit, arrivals.size) + 2
    cold, _, _, idle_env_s, prewarm_loads, *_ = kernels.lambda_kernel(
        arrivals, durations, init_ms, limit, rate, 0, params, idle_from, idle_until, capacity,
        _data.lambda_prices().duration_rounding_ms)
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
                         idle_from_s: float = 0.0,
                         idle_until_s: float | None = None) -> ApplicationResult:
    """Shahrad et al.'s model of an application: one image, loaded or not.

    Concurrency does not matter here: while any request executes the image is loaded, so every
    request that arrives then is warm. When the last one ends, the policy's windows for that
    idle period apply (see :mod:`ec2vslambda.keepalive`): loaded for the keep-alive, or unloaded
    until the pre-warm and then loaded for the keep-alive. A request that finds the image
    unloaded is cold and runs ``init_ms`` longer. Wasted memory-time is the time the image is
    loaded while nothing executes, inside ``[idle_from_s, idle_until_s]`` (by default the last
    idle period counts its whole window). There are no limits, throttles or provisioned images.
    """
    arrivals, durations = check_requests(arrivals_s, durations_ms)
    policy = _check_policy(policy, number("keep_alive_s", keep_alive_s, low=0.0))
    init_ms = number("init_ms", init_ms)
    idle_from, idle_until = _idle_span(idle_from_s, idle_until_s)
    cold, wasted_s, prewarm_loads = kernels.application_kernel(
        arrivals, durations, init_ms, np.array(policy.params(), dtype=np.float64), idle_from,
        idle_until)
    return ApplicationResult(arrivals_s=arrivals, cold=cold,
                             cold_starts=int(np.count_nonzero(cold)),
                             wasted_memory_s=float(wasted_s), prewarm_loads=int(prewarm_loads),
                             policy_label=policy.label)


# --- EC2 ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Autoscaling:
    """Target-tracking autoscaling for :func:`simulate_ec2`.

    Every ``evaluation_s`` the fleet's utilisation over the last period (busy slot-seconds over
    in-service slot-seconds) is compared with ``target_utilisation``; the desired count is
    ``ceil(in_service × utilisation / target)``, clamped to ``[min_instances, max_instances]``.
    New instances are billed from launch and take requests after ``warmup_s``. Scale-in happens
    only when ``scale_in_cooldown_s`` has passed since the last scaling action; the newest
    instances stop taking requests, finish what they hold, and are terminated.
    """

    target_utilisation: float = 0.5
    warmup_s: float = 120.0
    scale_in_cooldown_s: float = 300.0
    min_instances: int = 1
    max_instances: int = 20
    evaluation_s: float = 60.0

    def __post_init__(self) -> None:
        number("target_utilisation", self.target_utilisation, low=0.01, high=1.0)
        number("warmup_s", self.warmup_s)
        number("scale_in_cooldown_s", self.scale_in_cooldown_s)
        whole("min_instances", self.min_instances, low=1, high=10_000)
        whole("max_instances", self.max_instances, low=self.min_instances, high=10_000)
        number("evaluation_s", self.evaluation_s, low=1.0)


@dataclass
class _Instance:
    launched_s: float
    ready_s: float
    ended_s: float | None = None  # terminated (after draining)
    draining: bool = False
    slot_free_s: list[float] = field(default_factory=list)


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
                 pricing_model: str = "on_demand") -> Ec2Result:
    """Serve the requests with a fleet of ``instance_type``; FIFO, earliest free slot first.

    ``instances`` is the fleet at time 0 (with autoscaling: the starting size, within its
    bounds). The fleet runs from 0 to ``horizon_s`` (at least the last arrival), or until the
    last request finishes if that is later; each instance is billed per second, 60 s minimum.
    """
    arrivals, durations = check_requests(arrivals_s, durations_ms)
    spec = pricing.instance(instance_type)
    slots = spec.vcpu if concurrency_per_instance is None else whole(
        "concurrency_per_instance", concurrency_per_instance, low=1, high=100_000)
    if autoscaling is not None and not isinstance(autoscaling, Autoscaling):
        raise InputError("autoscaling", autoscaling, "is not allowed",
                         Allowed(text="None or Autoscaling(...)"))
    low, high = ((autoscaling.min_instances, autoscaling.max_instances) if autoscaling
                 else (1, 10_000))
    instances = whole("instances", instances, low=low, high=high)
    if high * slots > MAX_SLOTS:
        raise InputError("concurrency_per_instance", slots,
                         "gives the fleet more request slots than the simulator holds",
                         Allowed(1, MAX_SLOTS // high, whole=True),
                         involves=("instances", "autoscaling"))
    period = autoscaling.evaluation_s if autoscaling else 60.0

    fleet = [_Instance(0.0, 0.0, slot_free_s=[0.0] * slots) for _ in range(instances)]
    free: list[tuple[float, int, int]] = [(0.0, k, s) for k in range(instances)
                                         for s in range(slots)]
    heapq.heapify(free)
    starts = np.empty(arrivals.size)
    ends = np.empty(arrivals.size)
    active: list[tuple[float, float]] = []  # (start, end) of requests that may overlap a period
    tick = period
    last_action = -math.inf
    times, utilisation, in_service = [], [], []

    def evaluate(now: float) -> None:
        nonlocal active, last_action
        since = now - period
        busy_s = sum(max(0.0, min(e, now) - max(s, since)) for s, e in active)
        active = [(s, e) for s, e in active if e > now]
        capacity_s = slots * sum(
            max(0.0, min(now, now if inst.ended_s is None else inst.ended_s)
                - max(since, inst.ready_s)) for inst in fleet)
        use = busy_s / capacity_s if capacity_s > 0 else 0.0
        serving = [k for k, inst in enumerate(fleet) if inst.ended_s is None
                   and not inst.draining]
        times.append(since)
        utilisation.append(use)
        in_service.append(sum(1 for k in serving if fleet[k].ready_s <= now))
        if autoscaling is None:
            return
        current = len(serving)
        ready = in_service[-1]
        desired = math.ceil(round(ready * use / autoscaling.target_utilisation, 9))
        desired = min(max(desired, autoscaling.min_instances), autoscaling.max_instances)
        if desired > current:
            for _ in range(desired - current):
                k = len(fleet)
                ready_at = now + autoscaling.warmup_s
                fleet.append(_Instance(now, ready_at, slot_free_s=[ready_at] * slots))
                for s in range(slots):
                    heapq.heappush(free, (ready_at, k, s))
            last_action = now
        elif desired < current and now - last_action >= autoscaling.scale_in_cooldown_s:
            for k in sorted(serving, key=lambda k: fleet[k].launched_s)[desired:]:
                inst = fleet[k]
                inst.draining = True
                inst.ended_s = max(now, max(inst.slot_free_s))
            last_action = now

    for i, (t, d_ms) in enumerate(zip(arrivals.tolist(), durations.tolist(), strict=True)):
        while True:
            while fleet[free[0][1]].draining:  # slots of retired instances are dropped lazily
                heapq.heappop(free)
            start = max(t, free[0][0])
            if start <= tick:
                break
            evaluate(tick)
            tick += period
        _, k, s = heapq.heappop(free)
        end = start + d_ms / 1000.0
        fleet[k].slot_free_s[s] = end
        heapq.heappush(free, (end, k, s))
        starts[i], ends[i] = start, end
        active.append((start, end))

    last = max(float(ends.max()) if ends.size else 0.0,
               float(arrivals[-1]) if arrivals.size else 0.0)
    if horizon_s is not None:
        number("horizon_s", horizon_s,
                low=float(arrivals[-1]) if arrivals.size else 0.0)  # the fleet waits for work
    horizon = last if horizon_s is None else max(float(horizon_s), last)
    if horizon / period > MAX_EVALUATIONS:
        raise InputError("evaluation_s", period,
                         "makes more scaling evaluations than the simulator runs",
                         Allowed(horizon / MAX_EVALUATIONS, None),
                         involves=("horizon_s", "arrivals_s"))
    while tick <= horizon:
        evaluate(tick)
        tick += period
    if horizon > tick - period:
        evaluate(horizon)  # the last, partial period

    spans = tuple((inst.launched_s, min(horizon, inst.ended_s if inst.ended_s is not None
                                        else horizon)) for inst in fleet)
    bills = tuple(pricing.ec2_cost(instance_type, max(0.0, finish - begin)
                                   / pricing.SECONDS_PER_HOUR, pricing=pricing_model)
                  for begin, finish in spans)
    wait = (starts - arrivals) * 1000.0
    latency = (ends - arrivals) * 1000.0
    return Ec2Result(
        arrivals_s=arrivals, durations_ms=durations, latency_ms=latency, wait_ms=wait,
        percentiles=_percentiles(latency), wait_percentiles=_percentiles(wait),
        time_s=np.array(times), utilisation=np.array(utilisation),
        instances_in_service=np.array(in_service, dtype=np.int64),
        instance_hours=sum(b.hours for b in bills), launches=len(fleet), bills=bills,
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
