"""The simulators' loops in standard-library Python, for the reader's browser.

:mod:`ec2vslambda.kernels` compiles the Lambda loops with numba, which the browser's Python
(Pyodide) does not have, and :func:`ec2vslambda.simulate.simulate_ec2` keeps its results in
numpy arrays. This module runs the same rules with ``heapq``, lists, ``bytearray`` and
``array`` only, so that a page can replay a workload without a server:

* :func:`replay_lambda` -- one function's execution environments under Lambda's rules (see
  :mod:`ec2vslambda.simulate`), rule for rule and in the same order as
  :func:`ec2vslambda.kernels.lambda_kernel`: the most recently freed environment (or, with
  ``routing="newest"``, the newest created one) serves a request; the scaling tokens; throttling;
  the keep-alive policy's pre-warm and keep-alive windows, decided by the policy's readable
  tracker (:mod:`ec2vslambda.keepalive`), which the compiled state matches bit for bit.
* :func:`replay_application` -- the paper's application-level model
  (:func:`ec2vslambda.kernels.application_kernel`).
* :func:`replay_ec2` -- the FIFO fleet with optional target-tracking autoscaling behind
  :func:`ec2vslambda.simulate.simulate_ec2` (one loop for both engines: it was never compiled).

Each takes and returns plain sequences: lists or arrays of floats in, ``bytearray`` masks (one
byte per request, 1 for true), ``array("d")`` latencies and plain numbers out. ``simulate``'s
functions wrap them with ``engine="python"``; property tests require the same answers as the
compiled engine, request by request (``tests/test_engine.py``).

Speed: everything per request is one pass of a Python loop with a heap push and pop; the
benchmark ``benchmarks/bench_engine.py`` prints the time per invocation against the compiled
kernel.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from operator import le
from typing import NamedTuple

from .keepalive import FixedKeepAlive, HybridHistogram
from .validation import PROBLEMS, Allowed, InputError, choice, number, whole

__all__ = ["MAX_EVALUATIONS", "MAX_SLOTS", "ROUTINGS", "SCALING_WINDOW_S", "ApplicationReplay",
           "Autoscaling", "Ec2Replay", "LambdaReplay", "application_loop", "check_fleet",
           "check_requests", "ec2_loop", "lambda_loop", "percentile", "replay_application",
           "replay_ec2", "replay_lambda"]

SCALING_WINDOW_S = 10.0
#: The most request slots (instances x requests each serves at once) and Auto Scaling
#: evaluations one fleet simulation holds: both are Python loops (a heap of slots, one step
#: per evaluation), which stay within a few seconds below these.
MAX_SLOTS = 1_000_000
MAX_EVALUATIONS = 1_000_000
ROUTINGS = ("recently_freed", "newest")
_ROUNDER = 1.5 * 2.0**52  # see kernels._bill
_INF = math.inf


class LambdaReplay(NamedTuple):
    """What :func:`replay_lambda` returns. Masks hold one byte per request (1: true)."""

    cold: bytearray
    throttled: bytearray
    provisioned: bytearray
    latency_ms: array  # "d"; NaN where throttled
    idle_env_s: float  # environment-seconds loaded and idle, inside the counted span
    prewarm_loads: int
    peak_concurrency: int
    billed_ms: float  # each served request's latency rounded up to the billing step, summed
    last_end_s: float  # when the last served request ends (0 when none was served)
    served: int


class ApplicationReplay(NamedTuple):
    """What :func:`replay_application` returns."""

    cold: bytearray
    wasted_memory_s: float
    prewarm_loads: int


class Ec2Replay(NamedTuple):
    """What :func:`replay_ec2` returns: per request, when it started and ended (s); per
    evaluation period, its start, utilisation and instances in service at its end; and each
    instance's ``(launched, ended)`` span (``ended`` is None while it runs)."""

    starts_s: array
    ends_s: array
    period_starts_s: list
    utilisation: list
    in_service: list
    spans_s: list


# --- requests -------------------------------------------------------------------------------

def check_requests(arrivals_s, durations_ms, *, max_duration_ms: float = _INF
                   ) -> tuple[list[float], list[float]]:
    """Validate a request list as :func:`ec2vslambda.workloads.check_requests` does (the same
    rules and refusals, without numpy); return both as lists of floats."""
    try:
        arrivals = list(map(float, arrivals_s))
    except (TypeError, ValueError):
        raise InputError("arrivals_s", arrivals_s, PROBLEMS["number"],
                         Allowed(text="a 1-D list of numbers")) from None
    try:
        durations = list(map(float, durations_ms))
    except (TypeError, ValueError):
        raise InputError("durations_ms", durations_ms, PROBLEMS["number"],
                         Allowed(text="a 1-D list of numbers")) from None
    if len(arrivals) != len(durations):
        raise InputError("durations_ms", len(durations),
                         "values do not match the {count} arrivals_s", Allowed(
                             len(arrivals), len(arrivals), text="one duration per arrival"),
                         involves=("arrivals_s",), details={"count": str(len(arrivals))})
    # fast passes in C for the usual, valid list (NaN fails every comparison, and makes a sum
    # NaN); the loops below only find the first bad value for the message
    if arrivals and not (0.0 <= arrivals[0] and arrivals[-1] < _INF
                         and all(map(le, arrivals, islice(arrivals, 1, None)))):
        for i, a in enumerate(arrivals):  # first the values, then the order, as workloads does
            if not 0.0 <= a < _INF:
                raise InputError(f"arrivals_s[{i}]", a, PROBLEMS["range"],
                                 Allowed(0, None, text="finite times of 0 s or more"))
        i = next(i for i in range(1, len(arrivals)) if arrivals[i] < arrivals[i - 1])
        raise InputError(f"arrivals_s[{i}]", arrivals[i],
                         "comes before arrivals_s[{i}]={previous}",
                         Allowed(arrivals[i - 1], None, text="non-decreasing times"),
                         details={"i": str(i - 1), "previous": repr(arrivals[i - 1])})
    total = sum(durations)
    if durations and not (total == total and total < _INF and 0.0 <= min(durations)
                          and max(durations) <= max_duration_ms):
        for i, d in enumerate(durations):
            if not (0.0 <= d <= max_duration_ms and d < _INF):
                raise InputError(
                    f"durations_ms[{i}]", d, PROBLEMS["range"],
                    Allowed(0, None if max_duration_ms == _INF else max_duration_ms,
                            text=f"finite durations from 0 to {max_duration_ms:,g} ms"))
    return arrivals, durations


def _tracker(policy):
    """``(tracker or None, prewarm_s, keep_s)``: None for a fixed policy, which learns nothing."""
    tracker = policy.tracker()
    prewarm, keep = tracker.windows()
    return (tracker if isinstance(policy, HybridHistogram) else None), prewarm, keep


def _check_policy(policy, keep_alive_s: float):
    if policy is None:
        return FixedKeepAlive(number("keep_alive_s", keep_alive_s))
    if not isinstance(policy, FixedKeepAlive | HybridHistogram):
        raise InputError("policy", policy, PROBLEMS["option"], Allowed(
            text="None (fixed keep_alive_s), FixedKeepAlive(...) or HybridHistogram(...)"))
    return policy


def _idle_span(idle_from_s, idle_until_s) -> tuple[float, float]:
    start = number("idle_from_s", idle_from_s)
    if idle_until_s is None or idle_until_s == _INF:
        return start, _INF
    return start, number("idle_until_s", idle_until_s, low=start)


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


# --- Lambda ---------------------------------------------------------------------------------

def replay_lambda(arrivals_s, durations_ms, *, init_ms: float = 200.0,
                  concurrency_limit: int = 1000, max_new_envs_per_10s: int = 1000,
                  provisioned: int = 0, keep_alive_s: float = 600.0, policy=None,
                  idle_from_s: float = 0.0, idle_until_s: float | None = None,
                  step_ms: float = 1.0, routing: str = "recently_freed",
                  max_duration_ms: float = _INF) -> LambdaReplay:
    """One function under Lambda's rules (:mod:`ec2vslambda.simulate`), standard library only.

    ``arrivals_s`` (sorted, s) and ``durations_ms`` are sequences of numbers. The limits are
    plain numbers here (``simulate_lambda`` reads AWS's defaults from ``data/``); ``policy`` is
    a :class:`~ec2vslambda.keepalive.FixedKeepAlive` or
    :class:`~ec2vslambda.keepalive.HybridHistogram` (default: fixed ``keep_alive_s``);
    ``step_ms`` is the billing step; ``routing`` is ``"recently_freed"`` or ``"newest"`` (see
    :func:`ec2vslambda.simulate.simulate_lambda`). Every input is checked, with the messages
    of :mod:`ec2vslambda.validation` (a duration over ``max_duration_ms`` is refused).
    """
    arrivals, durations = check_requests(arrivals_s, durations_ms,
                                         max_duration_ms=max_duration_ms)
    limit = whole("concurrency_limit", concurrency_limit, low=1, high=1e9)
    return lambda_loop(
        arrivals, durations, number("init_ms", init_ms), limit,
        whole("max_new_envs_per_10s", max_new_envs_per_10s, low=1, high=1e9),
        whole("provisioned", provisioned, high=limit), _check_policy(policy, keep_alive_s),
        *_idle_span(idle_from_s, idle_until_s), number("step_ms", step_ms, low=1e-6),
        choice("routing", routing, ROUTINGS) == "newest")


def lambda_loop(arrivals: list, durations: list, init_ms: float, limit: int, rate: int,
                provisioned: int, policy, idle_from: float, idle_until: float, step_ms: float,
                newest: bool) -> LambdaReplay:
    """:func:`replay_lambda` on checked inputs (lists of floats; ``simulate`` calls this).

    The state, as in :func:`ec2vslambda.kernels.lambda_kernel`: busy on-demand and provisioned
    environments in heaps keyed by the time they free; idle on-demand ones as two parallel
    stacks (loaded from, expires at), most recently freed on top, or with ``newest`` a heap
    keyed by (creation time, latest first; then creation order, first first), as SimFaaS picks.
    """
    tracker, prewarm, keep = _tracker(policy)
    clip = idle_from > 0.0 or idle_until < _INF
    if tracker is None and not (newest or provisioned or clip):
        return _fixed_loop(arrivals, durations, init_ms, limit, rate, keep, step_ms)
    n = len(arrivals)
    cold = bytearray(n)
    throttled = bytearray(n)
    by_provisioned = bytearray(n)
    latency = array("d", durations)  # warm: the duration; changed below where not
    push, pop = heapq.heappush, heapq.heappop
    busy: list = []  # on-demand end times; with ``newest``, (end, -created, id) tuples
    provisioned_busy: list = []
    provisioned_idle = provisioned
    loaded: list = []  # the idle stack (recently_freed)
    expires: list = []
    idle_heap: list = []  # (-created, id, loaded, expires) (newest)
    created = 0  # environments created so far (ids, for ``newest``)
    pending = False  # the idle set holds a pre-warm not loaded yet (then it is the only one)
    idle_env_s = 0.0
    prewarm_loads = 0
    peak = 0
    idle_since = -1.0
    window = -1.0
    tokens = 0
    freed = 0.0
    stop = n
    arrivals = arrivals + [_INF]  # a last arrival at infinity frees every busy environment
    for i, t in enumerate(arrivals):
        # environments freed before this arrival, in the order they free (on-demand first on a
        # tie); at t = inf every busy one frees in turn and lives out its window
        while (busy and (busy[0][0] if newest else busy[0]) <= t) or (
                provisioned_busy and provisioned_busy[0] <= t):
            if busy and (busy[0][0] if newest else busy[0]) <= t and not (
                    provisioned_busy and provisioned_busy[0] < (
                        busy[0][0] if newest else busy[0])):
                if newest:
                    freed, minus_created, env = pop(busy)
                else:
                    freed = pop(busy)
                on_demand = True
            else:
                freed = pop(provisioned_busy)
                provisioned_idle += 1
                on_demand = False
            in_flight = len(busy) + len(provisioned_busy)
            if in_flight or prewarm == 0.0:
                # still busy (or no pre-warm): it stays loaded for the keep-alive window
                if on_demand:
                    if newest:
                        push(idle_heap, (minus_created, env, freed, freed + keep))
                    else:
                        loaded.append(freed)
                        expires.append(freed + keep)
            else:  # the function goes idle: unload everything; one comes back at the pre-warm
                for start, end in _idle_spans(newest, idle_heap, loaded, expires):
                    idle_env_s += _clipped(start, freed if freed < end else end, idle_from,
                                           idle_until)
                loaded.clear()
                expires.clear()
                idle_heap.clear()
                if provisioned == 0:
                    if newest:
                        idle_heap.append((-(freed + prewarm), created, freed + prewarm,
                                          freed + prewarm + keep))
                        created += 1
                    else:
                        loaded.append(freed + prewarm)
                        expires.append(freed + prewarm + keep)
                    pending = True
            if not in_flight:
                idle_since = freed
        if i == stop:
            break
        if idle_since >= 0.0:  # this arrival ends an idle period
            if tracker is not None:
                tracker.observe(t - idle_since)
                prewarm, keep = tracker.windows()
            idle_since = -1.0
            if pending:
                if t < (idle_heap[0][2] if newest else loaded[-1]):  # before its pre-warm
                    loaded.clear()
                    expires.clear()
                    idle_heap.clear()
                else:
                    prewarm_loads += 1
                pending = False
        d_ms = durations[i]
        if provisioned_idle:
            provisioned_idle -= 1
            by_provisioned[i] = 1
            push(provisioned_busy, t + d_ms / 1000.0)
            # the peak needs checking only here and at cold starts: a warm start reuses an
            # environment that was busy at the cold start that created it, with every
            # provisioned one busy too (a cold start waits for none to be idle)
            in_flight = len(busy) + len(provisioned_busy)
            if in_flight > peak:
                peak = in_flight
            continue
        start = -1.0  # when the environment this request reuses was loaded (-1: none)
        if newest:
            while idle_heap and t > idle_heap[0][3]:  # expired: loaded for its whole window
                _, _, start, end = pop(idle_heap)
                idle_env_s += _clipped(start, end, idle_from, idle_until)
                start = -1.0
            if idle_heap:  # the newest loaded environment: warm
                minus_created, env, start, _ = pop(idle_heap)
                reused = (t + d_ms / 1000.0, minus_created, env)
        else:
            while loaded and t > expires[-1]:  # expired: loaded for its whole window
                idle_env_s += _clipped(loaded.pop(), expires.pop(), idle_from, idle_until)
            if loaded:  # the most recently freed loaded environment: warm
                start = loaded.pop()
                expires.pop()
                reused = t + d_ms / 1000.0
        if start >= 0.0:
            end = t
            if clip:
                start = idle_from if idle_from > start else start
                end = idle_until if idle_until < end else end
            if end > start:
                idle_env_s += end - start
            push(busy, reused)
            continue
        w = t // SCALING_WINDOW_S
        if w != window:
            window = w
            tokens = rate
        in_flight = len(busy) + len(provisioned_busy)
        if in_flight >= limit or tokens == 0:
            throttled[i] = 1
            latency[i] = math.nan
            continue
        tokens -= 1
        cold[i] = 1
        end = t + (init_ms + d_ms) / 1000.0
        if newest:
            push(busy, (end, -t, created))
            created += 1
        else:
            push(busy, end)
        latency[i] = init_ms + d_ms
        if in_flight + 1 > peak:
            peak = in_flight + 1
    if pending:
        prewarm_loads += 1
    for start, end in _idle_spans(newest, idle_heap, loaded, expires):
        idle_env_s += _clipped(start, end, idle_from, idle_until)
    served = n - sum(throttled)
    return LambdaReplay(cold, throttled, by_provisioned, latency, idle_env_s, prewarm_loads,
                        peak, _billed_ms(latency, step_ms, served < n), freed if served else 0.0,
                        served)


def _fixed_loop(arrivals: list, durations: list, init_ms: float, limit: int, rate: int,
                keep: float, step_ms: float) -> LambdaReplay:
    """:func:`lambda_loop` for the usual case, about 1.6 times as fast (timed side by side): a
    fixed keep-alive window (no pre-warm, nothing to learn), the default routing, no
    provisioned environments and idle memory counted from 0 with no end. The same rules, with
    what cannot happen left out: nothing is ever unloaded early, and every span is already
    inside the counted one."""
    n = len(arrivals)
    cold = bytearray(n)
    throttled = bytearray(n)
    latency = array("d", durations)
    push, pop = heapq.heappush, heapq.heappop
    busy: list = []
    loaded: list = []  # when each idle environment freed; it expires at that + keep
    load, unload = loaded.append, loaded.pop
    idle_env_s = 0.0
    peak = 0
    window = -1.0
    tokens = 0
    freed = 0.0
    for i, t in enumerate(arrivals):
        while busy and busy[0] <= t:
            freed = pop(busy)
            load(freed)
        while loaded and t > loaded[-1] + keep:  # expired: loaded for its whole window
            start = unload()
            end = start + keep
            if end > start:
                idle_env_s += end - start
        if loaded:  # the most recently freed loaded environment: warm
            start = unload()
            if t > start:
                idle_env_s += t - start
            push(busy, t + durations[i] / 1000.0)
            continue
        w = t // SCALING_WINDOW_S
        if w != window:
            window = w
            tokens = rate
        in_flight = len(busy)
        if in_flight >= limit or tokens == 0:
            throttled[i] = 1
            latency[i] = math.nan
            continue
        tokens -= 1
        cold[i] = 1
        d_ms = durations[i]
        push(busy, t + (init_ms + d_ms) / 1000.0)
        latency[i] = init_ms + d_ms
        if in_flight >= peak:
            peak = in_flight + 1
    while busy:  # the end: every busy environment frees and lives out its window
        freed = pop(busy)
        load(freed)
    for start in loaded:
        end = start + keep
        if end > start:
            idle_env_s += end - start
    served = n - sum(throttled)
    return LambdaReplay(cold, throttled, bytearray(n), latency, idle_env_s, 0, peak,
                        _billed_ms(latency, step_ms, served < n), freed if served else 0.0,
                        served)


def _idle_spans(newest: bool, idle_heap: list, loaded: list, expires: list):
    """The idle set's ``(loaded from, expires at)`` pairs, in the order the compiled kernel
    keeps them."""
    if newest:
        return ((entry[2], entry[3]) for entry in idle_heap)
    return zip(loaded, expires, strict=True)


def _clipped(start: float, end: float, low: float, high: float) -> float:
    """Length of ``[start, end]`` inside ``[low, high]`` (:func:`ec2vslambda.kernels._clipped`)."""
    start = low if low > start else start
    end = high if high < end else end
    return end - start if end > start else 0.0


def _billed_ms(latency_ms: array, step_ms: float, skip_nan: bool) -> float:
    """Every served request's latency rounded up to ``step_ms``, summed, as
    :func:`ec2vslambda.kernels._bill` rounds each: ``ceil(round(latency / step, 6)) * step``
    (the sum of whole steps, then one product: the same number when ``step_ms`` is a whole
    number of ms). One list comprehension: faster here than passes of ``map`` in C that only
    round the few values near a whole step the long way."""
    values = [x for x in latency_ms if x == x] if skip_nan else latency_ms
    ceil = math.ceil
    if step_ms == 1.0:
        return float(sum([ceil(((x * 1e6 + _ROUNDER) - _ROUNDER) / 1e6) for x in values]))
    return sum([_bill_steps(x / step_ms) for x in values]) * step_ms


def _bill_steps(steps: float) -> int:
    """``ceil(round(steps, 6))`` as the compiled kernel computes it (see kernels._bill)."""
    return math.ceil(((steps * 1e6 + _ROUNDER) - _ROUNDER) / 1e6)


# --- the paper's application model ----------------------------------------------------------

def replay_application(arrivals_s, durations_ms, *, init_ms: float = 200.0,
                       keep_alive_s: float = 600.0, policy=None, idle_from_s: float = 0.0,
                       idle_until_s: float | None = None) -> ApplicationReplay:
    """Shahrad et al.'s application model (:func:`ec2vslambda.simulate.simulate_application`),
    standard library only; inputs are checked."""
    arrivals, durations = check_requests(arrivals_s, durations_ms)
    return application_loop(arrivals, durations, number("init_ms", init_ms),
                            _check_policy(policy, keep_alive_s),
                            *_idle_span(idle_from_s, idle_until_s))


def application_loop(arrivals: list, durations: list, init_ms: float, policy, idle_from: float,
                     idle_until: float) -> ApplicationReplay:
    """:func:`replay_application` on checked inputs, in the order of
    :func:`ec2vslambda.kernels.application_kernel`."""
    n = len(arrivals)
    cold = bytearray(n)
    tracker, prewarm, keep = _tracker(policy)
    busy_until = -_INF  # when the last execution so far ends
    idle_s = 0.0
    prewarm_loads = 0
    for i in range(n):
        t = arrivals[i]
        if i == 0:
            cold[i] = 1
        elif t >= busy_until:  # an idle period [busy_until, t] ends here
            load = busy_until + prewarm
            expire = load + keep
            if prewarm > 0.0 and t >= load:
                prewarm_loads += 1
            if t < load:
                cold[i] = 1  # before the pre-warm: the image is not loaded
            elif t > expire:
                cold[i] = 1
                idle_s += _clipped(load, expire, idle_from, idle_until)
            else:
                idle_s += _clipped(load, t, idle_from, idle_until)
            if tracker is not None:
                tracker.observe(t - busy_until)
                prewarm, keep = tracker.windows()
        end = t + ((init_ms if cold[i] else 0.0) + durations[i]) / 1000.0
        if end > busy_until:
            busy_until = end
    if n:
        load = busy_until + prewarm
        if prewarm > 0.0:
            prewarm_loads += 1
        idle_s += _clipped(load, load + keep, idle_from, idle_until)
    return ApplicationReplay(cold, idle_s, prewarm_loads)


# --- EC2 ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Autoscaling:
    """Target-tracking autoscaling for :func:`ec2vslambda.simulate.simulate_ec2`.

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


class _Instance:
    __slots__ = ("launched_s", "ready_s", "ended_s", "draining", "slot_free_s")

    def __init__(self, launched_s: float, ready_s: float, slots: int):
        self.launched_s = launched_s
        self.ready_s = ready_s
        self.ended_s: float | None = None  # terminated (after draining)
        self.draining = False
        self.slot_free_s = [ready_s] * slots


def replay_ec2(arrivals_s, durations_ms, *, slots_per_instance: int, instances: int = 1,
               autoscaling: Autoscaling | None = None, horizon_s: float | None = None
               ) -> tuple[Ec2Replay, float]:
    """The fleet of :func:`ec2vslambda.simulate.simulate_ec2`, standard library only; inputs are
    checked. Returns the replay and the horizon (s) the fleet ran to."""
    arrivals, durations = check_requests(arrivals_s, durations_ms)
    slots = whole("slots_per_instance", slots_per_instance, low=1, high=100_000)
    instances, horizon_s = check_fleet(instances, autoscaling, horizon_s,
                                       arrivals[-1] if arrivals else 0.0, slots)
    return ec2_loop(arrivals, durations, slots, instances, autoscaling, horizon_s)


def check_fleet(instances, autoscaling, horizon_s, last_arrival_s: float, slots: int = 1
                ) -> tuple[int, float | None]:
    """The fleet's starting size and horizon, checked against the autoscaling bounds and the
    last arrival (the fleet waits for work); ``autoscaling`` must be None or
    :class:`Autoscaling`, and the largest fleet may hold at most :data:`MAX_SLOTS` slots of
    ``slots`` requests per instance."""
    if autoscaling is not None and not isinstance(autoscaling, Autoscaling):
        raise InputError("autoscaling", autoscaling, PROBLEMS["option"],
                         Allowed(text="None or Autoscaling(...)"))
    low, high = ((autoscaling.min_instances, autoscaling.max_instances) if autoscaling
                 else (1, 10_000))
    instances = whole("instances", instances, low=low, high=high)
    if high * slots > MAX_SLOTS:
        raise InputError("concurrency_per_instance", slots,
                         "gives the fleet more request slots than the simulator holds",
                         Allowed(1, MAX_SLOTS // high, whole=True),
                         involves=("instances", "autoscaling"))
    if horizon_s is not None:
        horizon_s = number("horizon_s", horizon_s, low=last_arrival_s)
    return instances, horizon_s


def ec2_loop(arrivals: list, durations: list, slots: int, instances: int,
             autoscaling: Autoscaling | None, horizon_s: float | None
             ) -> tuple[Ec2Replay, float]:
    """:func:`replay_ec2` on checked inputs: FIFO, each request takes the slot that frees
    earliest (a heap of ``(free at, instance, slot)``) and waits for it if needed."""
    period = autoscaling.evaluation_s if autoscaling else 60.0
    fleet = [_Instance(0.0, 0.0, slots) for _ in range(instances)]
    free = [(0.0, k, s) for k in range(instances) for s in range(slots)]
    heapq.heapify(free)
    n = len(arrivals)
    starts = array("d", bytes(8 * n))
    ends = array("d", bytes(8 * n))
    # (start, end) of requests that started before the next evaluation and may overlap its
    # period; a request queued to start later waits in a heap by start, so that an evaluation
    # reads only the requests of its own period, however long the queue
    active: list[tuple[float, float]] = []
    later: list[tuple[float, float]] = []
    tick = period
    last_action = -_INF
    times: list[float] = []
    utilisation: list[float] = []
    in_service: list[int] = []

    def evaluate(now: float) -> None:
        nonlocal active, last_action
        while later and later[0][0] < now:
            active.append(heapq.heappop(later))
        since = now - period
        busy_s = math.fsum(max(0.0, min(e, now) - max(s, since)) for s, e in active)
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
        desired = math.ceil(round(in_service[-1] * use / autoscaling.target_utilisation, 9))
        desired = min(max(desired, autoscaling.min_instances), autoscaling.max_instances)
        if desired > current:
            for _ in range(desired - current):
                k = len(fleet)
                ready_at = now + autoscaling.warmup_s
                fleet.append(_Instance(now, ready_at, slots))
                for s in range(slots):
                    heapq.heappush(free, (ready_at, k, s))
            last_action = now
        elif desired < current and now - last_action >= autoscaling.scale_in_cooldown_s:
            for k in sorted(serving, key=lambda k: fleet[k].launched_s)[desired:]:
                inst = fleet[k]
                inst.draining = True
                inst.ended_s = max(now, max(inst.slot_free_s))
            last_action = now

    for i in range(n):
        t = arrivals[i]
        while True:
            while fleet[free[0][1]].draining:  # slots of retired instances are dropped lazily
                heapq.heappop(free)
            start = t if t > free[0][0] else free[0][0]
            if start <= tick:
                break
            evaluate(tick)
            tick += period
        _, k, s = heapq.heappop(free)
        end = start + durations[i] / 1000.0
        fleet[k].slot_free_s[s] = end
        heapq.heappush(free, (end, k, s))
        starts[i] = start
        ends[i] = end
        if start < tick:
            active.append((start, end))
        else:
            heapq.heappush(later, (start, end))

    last = max(max(ends) if n else 0.0, arrivals[-1] if n else 0.0)
    horizon = last if horizon_s is None else max(horizon_s, last)
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
    spans = [(inst.launched_s, min(horizon, horizon if inst.ended_s is None else inst.ended_s))
             for inst in fleet]
    return Ec2Replay(starts, ends, times, utilisation, in_service, spans), horizon
