"""A plain SimPy model of the Lambda rules, written for clarity, not speed.

It restates the rules of :mod:`ec2vslambda.simulate` one object per execution environment and
one SimPy process per request, so that the fast simulator can be checked against it request by
request, idle memory-time and pre-warm loads included (``tests/test_simulate_crosscheck.py``),
and timed against it (``benchmarks/bench_simulate.py``). The keep-alive policy's decisions come
from the readable trackers of :mod:`ec2vslambda.keepalive` (``policy.tracker()``), not from the
compiled kernels.

Rules restated:
* an environment serves one request at a time and is free again at the instant its request ends;
* a request takes an idle provisioned environment if there is one (warm);
* otherwise the idle on-demand environment that became free most recently, if it is still
  loaded (warm); environments past their keep-alive are gone;
* otherwise a new environment (cold: ``init_ms`` added), unless ``concurrency_limit`` requests
  are in flight or the scaling tokens are spent (throttled: never runs);
* the scaling tokens are reset to ``max_new_envs_per_10s`` at 0, 10, 20, … s;
* an environment that frees while others still run stays loaded for the policy's keep-alive;
  when the function's last request ends, with a pre-warm window every idle environment is
  unloaded and (without provisioned environments) one is loaded again after the pre-warm, for
  the keep-alive; a request before that pre-warm cancels it;
* the function's idle time (last request ends to next arrival) goes to the policy's tracker.

Times are SimPy's clock in seconds. Each wake-up is scheduled so that the clock lands exactly on
the intended float (``arrival`` or ``arrival + latency_ms / 1000``), and an arriving request
yields once more at the same instant so that every environment freeing at that instant (and
every token refill) is processed first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import simpy

from ec2vslambda.keepalive import FixedKeepAlive


@dataclass
class ExecutionEnvironment:
    provisioned: bool
    busy: bool = False
    loaded_at_s: float = 0.0  # idle and loaded from (its free time, or its pre-warm)
    expires_at_s: float = math.inf
    pending: bool = False  # a pre-warm not loaded yet


@dataclass
class ReferenceResult:
    latency_ms: np.ndarray
    cold: np.ndarray
    throttled_mask: np.ndarray
    idle_env_s: float
    prewarm_loads: int = 0

    @property
    def cold_starts(self) -> int:
        return int(self.cold.sum())

    @property
    def throttled(self) -> int:
        return int(self.throttled_mask.sum())


def _at(env: simpy.Environment, when_s: float) -> simpy.Timeout:
    """A timeout that fires with ``env.now == when_s`` exactly (floats round otherwise)."""
    delay = when_s - env.now
    while env.now + delay < when_s:
        delay = math.nextafter(delay, math.inf)
    while env.now + delay > when_s:
        delay = math.nextafter(delay, -math.inf)
    return env.timeout(max(delay, 0.0))


def simulate_lambda_simpy(arrivals_s, durations_ms, *, keep_alive_s: float = 600.0,
                          init_ms: float = 200.0, concurrency_limit: int = 1000,
                          max_new_envs_per_10s: int = 1000, provisioned: int = 0,
                          policy=None) -> ReferenceResult:
    arrivals = [float(a) for a in arrivals_s]
    durations = [float(d) for d in durations_ms]
    count = len(arrivals)
    latency = np.full(count, np.nan)
    cold = np.zeros(count, dtype=bool)
    throttled = np.zeros(count, dtype=bool)
    tracker = (policy if policy is not None else FixedKeepAlive(keep_alive_s)).tracker()
    sim = simpy.Environment()
    environments = [ExecutionEnvironment(provisioned=True) for _ in range(provisioned)]
    state = {"tokens": max_new_envs_per_10s, "idle_env_s": 0.0, "in_flight": 0,
             "idle_since": None, "prewarm_loads": 0}

    def idle_on_demand():
        return [e for e in environments if not e.provisioned and not e.busy]

    def refill_tokens():
        k = 0
        while arrivals and 10.0 * k <= arrivals[-1]:
            yield _at(sim, 10.0 * k)
            state["tokens"] = max_new_envs_per_10s
            k += 1

    def run(i: int, environment: ExecutionEnvironment, latency_ms: float):
        latency[i] = latency_ms
        yield _at(sim, arrivals[i] + latency_ms / 1000.0)
        environment.busy = False
        state["in_flight"] -= 1
        now = sim.now
        prewarm_s, keep_s = tracker.windows()
        if not environment.provisioned:
            environment.loaded_at_s, environment.expires_at_s = now, now + keep_s
        if state["in_flight"] == 0:  # the function goes idle
            state["idle_since"] = now
            if prewarm_s > 0:
                for e in idle_on_demand():
                    state["idle_env_s"] += max(0.0, min(now, e.expires_at_s) - e.loaded_at_s)
                    environments.remove(e)
                if provisioned == 0:
                    environments.append(ExecutionEnvironment(
                        provisioned=False, loaded_at_s=now + prewarm_s,
                        expires_at_s=now + prewarm_s + keep_s, pending=True))

    def choose(i: int):
        now = arrivals[i]
        if state["idle_since"] is not None:  # this arrival ends the function's idle period
            tracker.observe(now - state["idle_since"])
            state["idle_since"] = None
            for e in [e for e in environments if e.pending]:
                e.pending = False
                if now < e.loaded_at_s:
                    environments.remove(e)  # cancelled: it never loaded
                else:
                    state["prewarm_loads"] += 1
        for e in environments:
            if e.provisioned and not e.busy:
                return e, durations[i]
        for e in [e for e in idle_on_demand() if now > e.expires_at_s]:
            state["idle_env_s"] += e.expires_at_s - e.loaded_at_s  # loaded its whole keep-alive
            environments.remove(e)
        idle = idle_on_demand()
        if idle:
            newest = max(idle, key=lambda e: e.loaded_at_s)
            state["idle_env_s"] += now - newest.loaded_at_s
            return newest, durations[i]
        if state["in_flight"] >= concurrency_limit or state["tokens"] == 0:
            return None, None
        state["tokens"] -= 1
        cold[i] = True
        fresh = ExecutionEnvironment(provisioned=False)
        environments.append(fresh)
        return fresh, init_ms + durations[i]

    def arrive():
        for i in range(count):
            yield _at(sim, arrivals[i])
            yield sim.timeout(0)  # let environments freeing at this instant go first
            environment, latency_ms = choose(i)
            if environment is None:
                throttled[i] = True
            else:
                environment.busy = True
                state["in_flight"] += 1
                sim.process(run(i, environment, latency_ms))

    sim.process(refill_tokens())
    sim.process(arrive())
    sim.run()
    leftover = [e for e in environments if not e.provisioned]
    state["prewarm_loads"] += sum(1 for e in leftover if e.pending)
    return ReferenceResult(latency_ms=latency, cold=cold, throttled_mask=throttled,
                           idle_env_s=state["idle_env_s"] + sum(e.expires_at_s - e.loaded_at_s
                                                                for e in leftover),
                           prewarm_loads=state["prewarm_loads"])
