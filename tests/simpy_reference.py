"""A plain SimPy model of the Lambda rules, written for clarity, not speed.

It restates the rules of :mod:`ec2vslambda.simulate` (fixed keep-alive) one object per execution
environment and one SimPy process per request, so that the fast simulator can be checked against
it request by request (``tests/test_simulate_crosscheck.py``) and timed against it
(``benchmarks/bench_simulate.py``).

Rules restated:
* an environment serves one request at a time and is free again at the instant its request ends;
* a request takes an idle provisioned environment if there is one (warm);
* otherwise the idle on-demand environment that became free most recently, if it has been idle
  for at most ``keep_alive_s`` (warm); environments idle for longer are gone;
* otherwise a new environment (cold: ``init_ms`` added), unless ``concurrency_limit`` requests
  are in flight or the scaling tokens are spent (throttled: never runs);
* the scaling tokens are reset to ``max_new_envs_per_10s`` at 0, 10, 20, … s.

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


@dataclass
class ExecutionEnvironment:
    provisioned: bool
    busy: bool = False
    free_since_s: float = 0.0


@dataclass
class ReferenceResult:
    latency_ms: np.ndarray
    cold: np.ndarray
    throttled_mask: np.ndarray
    idle_env_s: float

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
                          max_new_envs_per_10s: int = 1000,
                          provisioned: int = 0) -> ReferenceResult:
    arrivals = [float(a) for a in arrivals_s]
    durations = [float(d) for d in durations_ms]
    count = len(arrivals)
    latency = np.full(count, np.nan)
    cold = np.zeros(count, dtype=bool)
    throttled = np.zeros(count, dtype=bool)
    sim = simpy.Environment()
    environments = [ExecutionEnvironment(provisioned=True) for _ in range(provisioned)]
    state = {"tokens": max_new_envs_per_10s, "idle_env_s": 0.0}

    def refill_tokens():
        k = 0
        while arrivals and 10.0 * k <= arrivals[-1]:
            yield _at(sim, 10.0 * k)
            state["tokens"] = max_new_envs_per_10s
            k += 1

    def run(i: int, environment: ExecutionEnvironment, latency_ms: float):
        environment.busy = True
        latency[i] = latency_ms
        yield _at(sim, arrivals[i] + latency_ms / 1000.0)
        environment.busy = False
        environment.free_since_s = sim.now

    def choose(i: int):
        now = arrivals[i]
        in_flight = sum(1 for e in environments if e.busy)
        for e in environments:
            if e.provisioned and not e.busy:
                return e, durations[i]
        for e in [e for e in environments if not e.provisioned and not e.busy
                  and now - e.free_since_s > keep_alive_s]:
            state["idle_env_s"] += keep_alive_s  # it stayed loaded its whole keep-alive
            environments.remove(e)
        idle = [e for e in environments if not e.provisioned and not e.busy]
        if idle:
            newest = max(idle, key=lambda e: e.free_since_s)
            state["idle_env_s"] += now - newest.free_since_s
            return newest, durations[i]
        if in_flight >= concurrency_limit or state["tokens"] == 0:
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
                sim.process(run(i, environment, latency_ms))

    sim.process(refill_tokens())
    sim.process(arrive())
    sim.run()
    leftover = sum(1 for e in environments if not e.provisioned)
    return ReferenceResult(latency_ms=latency, cold=cold, throttled_mask=throttled,
                           idle_env_s=state["idle_env_s"] + leftover * keep_alive_s)
