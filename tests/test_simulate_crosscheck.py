"""Both engines of the simulator and the plain SimPy reference agree request by request."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ec2vslambda import simulate, workloads
from ec2vslambda.keepalive import FixedKeepAlive, HybridHistogram
from tests.simpy_reference import simulate_lambda_simpy


def keep_alive_boundary() -> workloads.Workload:
    """Requests that come back exactly ``keep_alive_s`` after their environment freed, and one
    float step later. With 500 ms requests and a 250 ms INIT every time is a multiple of 1/4 s,
    exact in binary, so the idle gaps are exactly what they look like."""
    arrivals = [0.0]
    freed = 0.0 + 750 / 1000.0  # the first request is cold
    for _ in range(6):
        arrivals.append(freed + 600.0)  # idle exactly keep_alive_s: warm
        freed = arrivals[-1] + 500 / 1000.0
        arrivals.append(math.nextafter(freed + 600.0, math.inf))  # one step beyond: cold
        freed = arrivals[-1] + 750 / 1000.0
    return workloads.Workload(np.array(arrivals), np.full(len(arrivals), 500.0), "boundary")


CASES = {
    # name: (workload, simulate_lambda keyword arguments)
    "poisson, short keep-alive": (
        workloads.poisson(20, 300, duration_ms=workloads.LogNormalMs(80, 1.0), seed=1),
        dict(keep_alive_s=2.0)),
    "flash crowd into the concurrency limit": (
        workloads.flash_crowd(2, 400, 120, start_s=20, ramp_s=5, hold_s=30, decay_s=20,
                              duration_ms=workloads.ExponentialMs(150), seed=2),
        dict(concurrency_limit=25, keep_alive_s=60.0)),
    "bursts against the scaling rate": (
        workloads.bursty(1, 300, 200, on_s=10, off_s=40,
                         duration_ms=workloads.LogNormalMs(300, 0.5), seed=3),
        dict(max_new_envs_per_10s=7, keep_alive_s=30.0)),
    "keep-alive boundary": (keep_alive_boundary(), dict(keep_alive_s=600.0, init_ms=250.0)),
    "cron fan-out with provisioned environments (simultaneous arrivals)": (
        workloads.periodic(30, 600, per_fire=5, duration_ms=workloads.LogNormalMs(2000, 0.3),
                           seed=4),
        dict(provisioned=2, keep_alive_s=20.0, init_ms=500.0)),
    "diurnal with zero-length requests and no init": (
        workloads.merge([workloads.diurnal(3, 600, period_s=300, seed=5, duration_ms=0.0),
                         workloads.poisson(1, 600, seed=6, duration_ms=250.0)]),
        dict(keep_alive_s=1.0, init_ms=0.0, concurrency_limit=3)),
    "a fixed policy passed as policy=, not keep_alive_s": (
        workloads.poisson(0.05, 7200, duration_ms=workloads.LogNormalMs(500, 1.0), seed=7),
        dict(policy=FixedKeepAlive(45.0))),
    "hybrid policy on bursts: environments free inside each burst": (
        workloads.bursty(0.0, 8.0, 4 * 3600, on_s=20, off_s=280,
                         duration_ms=workloads.LogNormalMs(1500, 0.6), seed=8),
        dict(policy=HybridHistogram(bin_s=10.0, range_s=1200.0, min_samples=3,
                                    cv_threshold=1.0), init_ms=400.0)),
    "hybrid policy on a jittered timer, with early requests that cancel pre-warms": (
        workloads.merge([workloads.periodic(120, 6 * 3600, jitter_s=5,
                                            duration_ms=workloads.LogNormalMs(800, 0.5),
                                            seed=9),
                         workloads.poisson(1 / 900, 6 * 3600, duration_ms=200.0, seed=10)]),
        dict(policy=HybridHistogram(bin_s=10.0, range_s=600.0, min_samples=4,
                                    cv_threshold=1.0))),
    "hybrid policy whose idle times are mostly out of its range (forecast)": (
        workloads.periodic(1000, 12 * 3600, jitter_s=30, duration_ms=300.0,
                           seed=11),
        dict(policy=HybridHistogram(bin_s=10.0, range_s=600.0, min_samples=3))),
    "hybrid policy forecasting with ARIMA": (
        workloads.periodic(1000, 8 * 3600, jitter_s=120, duration_ms=300.0, seed=12),
        dict(policy=HybridHistogram(bin_s=10.0, range_s=600.0, min_samples=3,
                                    forecast="arima"))),
}


@pytest.mark.parametrize("engine", simulate.ENGINES)
@pytest.mark.parametrize("name", list(CASES))
def test_fast_simulator_matches_simpy_reference(name, engine):
    workload, options = CASES[name]
    assert len(workload) > 5
    fast = simulate.simulate_lambda(workload.arrivals_s, workload.durations_ms,
                                    with_cost=False, engine=engine, **options)
    reference = simulate_lambda_simpy(workload.arrivals_s, workload.durations_ms, **{
        "concurrency_limit": 1000, "max_new_envs_per_10s": 1000, **options})
    assert fast.cold_starts == reference.cold_starts
    assert fast.throttled == reference.throttled
    np.testing.assert_array_equal(fast.cold, reference.cold)
    np.testing.assert_array_equal(fast.throttled_mask, reference.throttled_mask)
    np.testing.assert_array_equal(fast.latency_ms, reference.latency_ms)  # NaN == NaN here
    assert fast.idle_env_s == pytest.approx(reference.idle_env_s, rel=1e-9, abs=1e-6)
    assert fast.prewarm_loads == reference.prewarm_loads


def test_cases_exercise_the_rules_they_are_named_for():
    """Each case really reaches the situation it is meant to test."""
    def run(name):
        workload, options = CASES[name]
        return simulate.simulate_lambda(workload.arrivals_s, workload.durations_ms,
                                        with_cost=False, **options)

    limited = run("flash crowd into the concurrency limit")
    assert limited.throttled > 0 and limited.peak_concurrency == 25
    rate_bound = run("bursts against the scaling rate")
    assert rate_bound.throttled > 0 and rate_bound.peak_concurrency < 1000
    boundary = run("keep-alive boundary")
    # first request cold, then alternately warm (exactly 600 s idle) and cold (one step more)
    np.testing.assert_array_equal(boundary.cold, [True] + [False, True] * 6)
    provisioned = run("cron fan-out with provisioned environments (simultaneous arrivals)")
    assert provisioned.provisioned_mask.sum() > 0 and provisioned.cold_starts > 0
    short = run("poisson, short keep-alive")
    assert 0 < short.cold_starts < short.served
    # the hybrid cases really pre-warm, and the bursts really overlap
    for name in ("hybrid policy on bursts: environments free inside each burst",
                 "hybrid policy on a jittered timer, with early requests that cancel pre-warms",
                 "hybrid policy whose idle times are mostly out of its range (forecast)"):
        assert run(name).prewarm_loads > 3, name
    assert run("hybrid policy on bursts: environments free inside each burst"
               ).peak_concurrency > 3
    timer = run("hybrid policy on a jittered timer, with early requests that cancel pre-warms")
    cancelled = timer.cold_starts - 1
    assert cancelled > 0  # some requests came before their pre-warm
    fixed = run("a fixed policy passed as policy=, not keep_alive_s")
    assert fixed.policy_label == "fixed 0.75 min" and 0 < fixed.cold_starts < fixed.served
