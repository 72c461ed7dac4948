"""The standard-library engine (ec2vslambda.engine) and the compiled one agree, request by
request."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2vslambda import engine, simulate, workloads
from ec2vslambda.keepalive import FixedKeepAlive, HybridHistogram

ROOT = Path(__file__).resolve().parent.parent

# gaps that make overlapping requests (short), reuse (medium) and expiry or idle periods the
# hybrid policy learns from (long); quarter seconds make exact ties with ends and expiries
GRID_GAPS = st.integers(0, 48).map(lambda k: k / 4)  # exact in binary: ties happen
GAPS = st.one_of(GRID_GAPS, GRID_GAPS, st.floats(0.0, 2.0), st.floats(5.0, 200.0),
                 st.floats(300.0, 3000.0))
DURATIONS = st.one_of(st.integers(0, 8).map(lambda k: k * 250.0), st.floats(0.0, 5000.0))
POLICIES = st.one_of(
    st.builds(FixedKeepAlive, st.sampled_from([0.0, 0.5, 2.5, 10.0, 60.0, 600.0])),
    st.builds(HybridHistogram, bin_s=st.sampled_from([5.0, 10.0, 60.0]),
              range_s=st.sampled_from([120.0, 600.0, 1200.0]),
              min_samples=st.integers(1, 5), cv_threshold=st.sampled_from([0.0, 0.5, 1.0]),
              out_of_range_share=st.sampled_from([0.3, 0.5, 0.8]),
              forecast_samples=st.integers(1, 6)))


@st.composite
def workloads_and_options(draw):
    policy = draw(POLICIES)
    init_ms = draw(st.sampled_from([0.0, 0.0, 250.0, 1200.0]))
    # some gaps land exactly when the previous request's environment expires (a tie the rules
    # settle: still warm), or when a hybrid policy's pre-warm window ends
    window = policy.keep_alive_s if isinstance(policy, FixedKeepAlive) else 4.5
    pairs = draw(st.lists(st.tuples(st.one_of(GAPS, st.sampled_from(["cold", "warm"])),
                                    DURATIONS), min_size=1, max_size=120))
    arrivals, durations, t, previous_ms = [], [], 0.0, 0.0
    for gap, duration in pairs:
        if isinstance(gap, str):  # the tie: back exactly one window after the previous request
            # freed, computed as the simulators compute it (if that request was cold, or warm)
            latency_ms = (init_ms if gap == "cold" else 0.0) + previous_ms
            t = (t + latency_ms / 1000.0) + window
        else:
            t += gap
        arrivals.append(t)
        durations.append(duration)
        previous_ms = duration
    idle_from = draw(st.sampled_from([0.0, 0.0, 100.0]))
    options = dict(
        policy=policy, init_ms=init_ms,
        concurrency_limit=draw(st.integers(1, 12)), max_new_envs_per_10s=draw(st.integers(1, 8)),
        provisioned=draw(st.sampled_from([0, 0, 0, 1, 3])),
        routing=draw(st.sampled_from(simulate.ROUTINGS)), idle_from_s=idle_from,
        idle_until_s=draw(st.sampled_from([None, None, idle_from + 2000.0])))
    options["provisioned"] = min(options["provisioned"], options["concurrency_limit"])
    return np.array(arrivals), np.array(durations), options


def assert_same_lambda(compiled, python):
    np.testing.assert_array_equal(python.cold, compiled.cold)
    np.testing.assert_array_equal(python.throttled_mask, compiled.throttled_mask)
    np.testing.assert_array_equal(python.provisioned_mask, compiled.provisioned_mask)
    np.testing.assert_array_equal(python.latency_ms, compiled.latency_ms)  # NaN == NaN here
    for name in ("cold_starts", "throttled", "served", "peak_concurrency", "prewarm_loads",
                 "horizon_s"):
        assert getattr(python, name) == getattr(compiled, name), name
    for name in ("idle_env_s", "billed_gb_s", "cost_usd"):
        assert getattr(python, name) == pytest.approx(getattr(compiled, name), rel=1e-9,
                                                      abs=1e-9), name


@settings(max_examples=120, deadline=None)
@given(workloads_and_options())
def test_engines_agree_request_by_request(case):
    arrivals, durations, options = case
    runs = [simulate.simulate_lambda(arrivals, durations, engine=name, **options)
            for name in simulate.ENGINES]
    assert_same_lambda(*runs)


@settings(max_examples=60, deadline=None)
@given(workloads_and_options())
def test_engines_agree_on_the_application_model(case):
    arrivals, durations, options = case
    kept = {k: options[k] for k in ("policy", "init_ms", "idle_from_s", "idle_until_s")}
    compiled, python = (simulate.simulate_application(arrivals, durations, engine=name, **kept)
                        for name in simulate.ENGINES)
    np.testing.assert_array_equal(python.cold, compiled.cold)
    assert python.prewarm_loads == compiled.prewarm_loads
    assert python.wasted_memory_s == pytest.approx(compiled.wasted_memory_s, rel=1e-9, abs=1e-9)


def test_routings_differ_when_several_environments_are_idle():
    """A new environment is created while an older one idles; later, with both idle, recently
    freed takes the older one (freed last) and newest takes the new one, so different
    environments expire and a later request is cold under one rule only."""
    keep = dict(keep_alive_s=10.0, init_ms=0.0)
    # A created at 0 (busy until 6), B created at 1 (busy until 2): B frees first, A last
    arrivals = [0.0, 1.0, 7.0, 16.5]
    durations = [6000.0, 1000.0, 100.0, 100.0]
    for name in simulate.ENGINES:
        freed = simulate.simulate_lambda(arrivals, durations, engine=name, **keep)
        newest = simulate.simulate_lambda(arrivals, durations, engine=name, routing="newest",
                                          **keep)
        # at 7 recently freed reuses A (idle 1 s) and B expires at 12 (idle 10 s); newest
        # reuses B (idle 5 s) and A expires at 16 (idle 10 s). At 16.5 the one reused at 7
        # (freed at 7.1) serves; it then idles for its whole window.
        np.testing.assert_array_equal(freed.cold, [True, True, False, False])
        np.testing.assert_array_equal(newest.cold, [True, True, False, False])
        assert freed.idle_env_s == pytest.approx(1.0 + 10.0 + (16.5 - 7.1) + 10.0)
        assert newest.idle_env_s == pytest.approx(5.0 + 10.0 + (16.5 - 7.1) + 10.0)


def test_unknown_engine_and_routing_are_named():
    with pytest.raises(ValueError, match="engine='numpy' is not allowed; allowed: compiled, "
                                         "python"):
        simulate.simulate_lambda([0.0], [1.0], engine="numpy")
    with pytest.raises(ValueError, match="routing='random' is not allowed; allowed: "
                                         "recently_freed, newest"):
        simulate.simulate_lambda([0.0], [1.0], routing="random")


def test_plain_entry_point_takes_and_returns_plain_sequences():
    w = workloads.bursty(1, 40, 600, on_s=20, off_s=100, duration_ms=workloads.LogNormalMs(300),
                         seed=5)
    compiled = simulate.simulate_lambda(w.arrivals_s, w.durations_ms, keep_alive_s=30,
                                        concurrency_limit=20, max_new_envs_per_10s=5)
    plain = engine.replay_lambda(w.arrivals_s.tolist(), w.durations_ms.tolist(),
                                 keep_alive_s=30, concurrency_limit=20, max_new_envs_per_10s=5)
    assert isinstance(plain.cold, bytearray) and isinstance(plain.latency_ms, engine.array)
    assert list(plain.cold) == compiled.cold.astype(int).tolist()
    assert list(plain.throttled) == compiled.throttled_mask.astype(int).tolist()
    assert plain.served == compiled.served and plain.peak_concurrency == compiled.peak_concurrency
    assert plain.idle_env_s == pytest.approx(compiled.idle_env_s, rel=1e-12)
    assert compiled.throttled > 0 and compiled.cold_starts > 0  # the case reaches both rules


@pytest.mark.parametrize("arrivals, durations, message", [
    ([0.0, -1.0], [1.0, 1.0], r"arrivals_s\[1\]=-1.0 is out of range"),
    ([0.0, math.nan], [1.0, 1.0], r"arrivals_s\[1\]=nan is out of range"),
    ([2.0, 1.0], [1.0, 1.0], r"arrivals_s is not sorted: arrivals_s\[1\]=1.0 comes before"),
    ([0.0, 1.0], [1.0, -2.0], r"durations_ms\[1\]=-2.0 is out of range"),
    ([0.0, 1.0], [math.inf, 1.0], r"durations_ms\[0\]=inf is out of range"),
    ([0.0, 1.0], [1.0], "arrivals_s has 2 values but durations_ms has 1"),
])
def test_plain_entry_point_refuses_bad_requests_by_name(arrivals, durations, message):
    with pytest.raises(ValueError, match=message):
        engine.replay_lambda(arrivals, durations)


def test_plain_entry_point_checks_its_options():
    with pytest.raises(ValueError, match="concurrency_limit=0 is out of range"):
        engine.replay_lambda([0.0], [1.0], concurrency_limit=0)
    with pytest.raises(ValueError, match="routing='lifo' is not allowed"):
        engine.replay_lambda([0.0], [1.0], routing="lifo")


def test_ec2_fleet_is_one_loop_for_both_engines():
    w = workloads.flash_crowd(2, 60, 900, start_s=100, ramp_s=30, hold_s=200, decay_s=100,
                              duration_ms=workloads.LogNormalMs(400, 0.5), seed=3)
    scaling = simulate.Autoscaling(warmup_s=60, scale_in_cooldown_s=120, max_instances=8)
    runs = [simulate.simulate_ec2(w.arrivals_s, w.durations_ms, instance_type="t3.micro",
                                  autoscaling=scaling, engine=name) for name in simulate.ENGINES]
    plain, horizon = engine.replay_ec2(w.arrivals_s.tolist(), w.durations_ms.tolist(),
                                       slots_per_instance=2, autoscaling=scaling)
    assert runs[0].launches > 1  # the fleet scaled out
    for run in runs:
        np.testing.assert_array_equal(run.latency_ms, runs[0].latency_ms)
        assert run.cost_usd == runs[0].cost_usd and run.horizon_s == horizon
        np.testing.assert_array_equal(run.instances_in_service, plain.in_service)
    np.testing.assert_array_equal((np.array(plain.ends_s) - w.arrivals_s) * 1000.0,
                                  runs[0].latency_ms)


def test_engine_runs_without_numpy_or_numba():
    """The browser has neither: import the engine with both refused, and replay a workload."""
    code = (
        "import sys\n"
        "for name in ('numpy', 'numba', 'pandas', 'matplotlib'):\n"
        "    sys.modules[name] = None\n"
        "from ec2vslambda import engine\n"
        "from ec2vslambda.keepalive import HybridHistogram\n"
        "r = engine.replay_lambda([0.0, 0.1, 30.0, 900.0], [100.0] * 4, keep_alive_s=60)\n"
        "h = engine.replay_lambda([k * 600.0 for k in range(40)], [50.0] * 40,\n"
        "                         policy=HybridHistogram(min_samples=3))\n"
        "a = engine.replay_application([0.0, 700.0], [10.0, 10.0], keep_alive_s=600)\n"
        "e, _ = engine.replay_ec2([0.0, 0.0, 0.0], [1000.0] * 3, slots_per_instance=2)\n"
        "print(list(r.cold), h.prewarm_loads > 10, list(a.cold), list(e.ends_s))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[1, 1, 0, 1] True [1, 1] [1.0, 1.0, 2.0]"


def test_a_request_at_the_pre_warm_instant_is_warm_in_both_engines():
    """Idle times of 15 s teach the policy a pre-warm of 9 s (bin 1 of 10 s, less 10%): a
    request exactly 9 s after the last end finds the environment just loaded."""
    policy = HybridHistogram(bin_s=10.0, range_s=600.0, min_samples=3, cv_threshold=0.0)
    arrivals = [0.0, 15.0, 30.0, 45.0, 60.0, 69.0]  # 0-ms requests, no INIT
    for name in simulate.ENGINES:
        r = simulate.simulate_lambda(arrivals, [0.0] * 6, policy=policy, init_ms=0.0,
                                     engine=name)
        # trained after three idle times (at 45): pre-warms at 54 and at 69, each loaded
        # before (60) or exactly when (69) a request arrives
        np.testing.assert_array_equal(r.cold, [True] + [False] * 5)
        assert r.prewarm_loads == 2


@pytest.mark.parametrize("step_ms", [1.0, 0.5, 10.0])
def test_billing_sums_each_request_rounded_as_the_kernel_rounds_it(step_ms):
    from ec2vslambda import kernels

    rng = np.random.default_rng(4)
    values = np.concatenate([rng.uniform(0, 5000, 3000), np.arange(20) + 1e-7,
                             np.arange(20) + 5e-7, np.arange(20) + 6e-7, np.arange(20) + 1e-6,
                             np.arange(20) - 1e-7, np.arange(20) * 1.0, [900_000.0000004]])
    expected = sum(kernels._bill(x, step_ms) for x in values)
    assert engine._billed_ms(engine.array("d", values), step_ms, False) == expected
    with_nan = engine.array("d", np.append(values, np.nan))
    assert engine._billed_ms(with_nan, step_ms, True) == expected


def test_simulations_run_without_numba_on_the_python_engine():
    """Where numba does not import, the default engine is the standard-library one."""
    code = (
        "import sys\n"
        "sys.modules['numba'] = None\n"
        "from ec2vslambda import simulate\n"
        "assert simulate.default_engine() == 'python'\n"
        "r = simulate.simulate_lambda([0.0, 0.1, 30.0], [100.0] * 3, keep_alive_s=60)\n"
        "print(r.cold.tolist())\n"
        "try:\n"
        "    simulate.simulate_lambda([1.0, 0.0], [1.0, 1.0])\n"
        "except ValueError as error:\n"
        "    print(str(error).split(':')[0])\n"
        "try:\n"
        "    simulate.simulate_lambda([0.0], [1.0], engine='compiled')\n"
        "except ValueError as error:\n"
        "    print(str(error).split(':')[0])\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["[True, True, False]", "arrivals_s is not sorted",
                   "engine='compiled' is not allowed here"]


@pytest.mark.parametrize("options", [{}, {"routing": "newest"}, {"idle_until_s": 10_000.0}],
                         ids=["fast loop", "newest", "general loop"])
def test_an_environment_idle_exactly_its_window_is_warm_on_every_path(options):
    """The engine takes a shorter loop for the usual case; each path keeps the boundary rule:
    idle exactly ``keep_alive_s`` is warm, one float step longer is cold."""
    from tests.test_simulate_crosscheck import keep_alive_boundary

    w = keep_alive_boundary()
    runs = [simulate.simulate_lambda(w.arrivals_s, w.durations_ms, keep_alive_s=600.0,
                                     init_ms=250.0, engine=name, **options)
            for name in simulate.ENGINES]
    assert_same_lambda(*runs)
    np.testing.assert_array_equal(runs[1].cold, [True] + [False, True] * 6)
