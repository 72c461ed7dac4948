"""A plain-Python heapq implementation of the Lambda rules with a fixed keep-alive window.

The straightforward way to write :func:`ec2vslambda.simulate.simulate_lambda`'s loop without a
compiler: a heap of busy environments keyed by the time they free, a stack of idle ones (most
recently freed on top). ``benchmarks/bench_simulate.py`` times it against the compiled kernel on
the same input, and ``tests/test_simulate.py`` checks that both give the same answers.
"""

from __future__ import annotations

import heapq

import numpy as np

SCALING_WINDOW_S = 10.0


def simulate_fixed_heapq(arrivals_s, durations_ms, *, keep_alive_s: float = 600.0,
                         init_ms: float = 200.0, concurrency_limit: int = 1000,
                         max_new_envs_per_10s: int = 1000):
    """Returns ``(cold mask, throttled mask, idle environment-seconds)``."""
    arrivals = np.asarray(arrivals_s, dtype=float).tolist()
    durations = np.asarray(durations_ms, dtype=float).tolist()
    cold = np.zeros(len(arrivals), dtype=bool)
    throttled = np.zeros(len(arrivals), dtype=bool)
    busy: list[float] = []
    idle: list[float] = []  # the times idle environments freed, most recent last
    idle_env_s = 0.0
    window, tokens = -1.0, 0
    for i, t in enumerate(arrivals):
        while busy and busy[0] <= t:
            idle.append(heapq.heappop(busy))
        while idle and t - idle[-1] > keep_alive_s:
            idle.pop()
            idle_env_s += keep_alive_s
        if idle:
            idle_env_s += t - idle.pop()
            heapq.heappush(busy, t + durations[i] / 1000.0)
            continue
        w = t // SCALING_WINDOW_S
        if w != window:
            window, tokens = w, max_new_envs_per_10s
        if len(busy) >= concurrency_limit or tokens == 0:
            throttled[i] = True
            continue
        tokens -= 1
        cold[i] = True
        heapq.heappush(busy, t + (init_ms + durations[i]) / 1000.0)
    idle_env_s += keep_alive_s * (len(idle) + len(busy))
    return cold, throttled, idle_env_s
