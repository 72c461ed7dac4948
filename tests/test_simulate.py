"""The Lambda and EC2 simulators: hand-checked cases, properties, policies and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2vslambda import data, pricing, workloads
from ec2vslambda.keepalive import FixedKeepAlive, HybridHistogram
from ec2vslambda.simulate import (
    Autoscaling,
    simulate_application,
    simulate_ec2,
    simulate_functions,
    simulate_lambda,
)
from tests.heapq_reference import simulate_fixed_heapq


def lam(arrivals, durations, **options):
    return simulate_lambda(np.array(arrivals, dtype=float), np.array(durations, dtype=float),
                           **options)


# --- Lambda, by hand ------------------------------------------------------------------------

def test_hand_worked_sequence():
    # t=0 cold (ends 0.3); t=0.1 overlaps -> second environment, cold (ends 0.4);
    # t=0.35 takes the env freed at 0.3 (warm); t=100 finds both idle < 600 s -> the one freed
    # most recently (0.45, by the t=0.35 request); t=800: idle 699.9 s > 600 -> cold.
    r = lam([0.0, 0.1, 0.35, 100.0, 800.0], [100, 100, 100, 100, 100], init_ms=200)
    np.testing.assert_array_equal(r.cold, [True, True, False, False, True])
    np.testing.assert_allclose(r.latency_ms, [300, 300, 100, 100, 300])
    assert r.cold_starts == 3 and r.throttled == 0 and r.peak_concurrency == 2
    assert r.served == 5 and r.cold_start_ratio == pytest.approx(0.6)
    # idle memory-time: env A freed 0.3 reused 0.35 (0.05 s), env B freed 0.4 never reused
    # (600 s), env A freed 0.45 reused at 100 (99.55 s), freed 100.1 then expired (600 s),
    # the t=800 env lives out its 600 s after the end.
    assert r.idle_env_s == pytest.approx(0.05 + 600 + 99.55 + 600 + 600)
    assert r.idle_gb_s == pytest.approx(r.idle_env_s * r.memory_mb / 1024)


def test_billed_gb_s_rounds_each_invocation_and_bills_init():
    r = lam([0.0, 10.0], [100.2, 100.2], init_ms=150.5, memory_mb=1024)
    # cold: 250.7 -> 251 ms; warm: 100.2 -> 101 ms; 1 GB
    assert r.billed_gb_s == pytest.approx((251 + 101) / 1000)
    expected = pricing.lambda_cost(2, 100.2, 1024, free_tier=False, init_ms=150.5,
                                   cold_start_ratio=0.5)
    assert r.cost.total_usd == pytest.approx(expected.total_usd)


def test_concurrency_limit_throttles_and_frees():
    # three at once with a limit of two: the third is throttled; a fourth after they end runs
    r = lam([0, 0, 0, 1.0], [500] * 4, concurrency_limit=2, init_ms=0)
    np.testing.assert_array_equal(r.throttled_mask, [False, False, True, False])
    assert math.isnan(r.latency_ms[2]) and r.peak_concurrency == 2
    assert r.percentiles["p50"] == 500


def test_scaling_rate_is_a_bucket_refilled_every_10_s():
    arrivals = [0.0] * 5 + [9.999] * 2 + [10.0] * 4
    r = lam(arrivals, [60_000] * 11, max_new_envs_per_10s=3)
    # 3 tokens for [0, 10): three cold starts, four throttled; at 10 s the bucket is full again
    assert r.cold.tolist() == [True] * 3 + [False] * 4 + [True] * 3 + [False]
    assert r.throttled == 5


def test_defaults_come_from_the_limits_file():
    n = int(data.limit_value("concurrency_default")) + 5
    r = lam(np.zeros(n), np.full(n, 1000.0))
    assert r.peak_concurrency == min(int(data.limit_value("concurrency_default")),
                                     int(data.limit_value("scaling_rate")))
    assert r.throttled == n - r.peak_concurrency


def test_provisioned_environments_are_always_warm():
    arrivals = np.arange(0, 7200, 1800.0)  # every 30 minutes: cold every time on demand
    on_demand = lam(arrivals, np.full(arrivals.size, 100.0))
    assert on_demand.cold_starts == arrivals.size
    provisioned = lam(arrivals, np.full(arrivals.size, 100.0), provisioned=1)
    assert provisioned.cold_starts == 0 and provisioned.provisioned_mask.all()
    assert provisioned.idle_env_s == 0  # provisioned idle time is paid for, not wasted
    assert provisioned.cost.provisioned_usd > 0
    # spill-over: two at once with one provisioned environment -> one cold on demand
    spill = lam([0.0, 0.0], [100, 100], provisioned=1)
    assert spill.provisioned_mask.tolist() == [True, False] and spill.cold_starts == 1


def test_empty_workload_gives_zero_result():
    r = lam([], [])
    assert r.cold_starts == r.throttled == r.served == r.peak_concurrency == 0
    assert r.latency_ms.size == 0 and r.billed_gb_s == 0 and r.idle_env_s == 0
    assert r.cost_usd == 0 and r.percentiles == {"p50": 0.0, "p95": 0.0, "p99": 0.0}
    e = simulate_ec2([], [], instance_type="t3.micro")
    assert e.latency_ms.size == 0 and e.cost_usd == 0 and e.instance_hours == 0


@pytest.mark.parametrize("options, name", [
    (dict(arrivals=[1.0, 0.5]), "arrivals_s"),
    (dict(arrivals=[0.0, math.nan]), "arrivals_s"),
    (dict(durations=[1.0, -1.0]), "durations_ms"),
    (dict(durations=[1.0, math.nan]), "durations_ms"),
    (dict(durations=[1.0]), "durations_ms"),
    (dict(durations=[1.0, 1e9]), "durations_ms"),  # beyond Lambda's timeout
    (dict(keep_alive_s=-1), "keep_alive_s"),
    (dict(init_ms=-5), "init_ms"),
    (dict(concurrency_limit=0), "concurrency_limit"),
    (dict(concurrency_limit=2.5), "concurrency_limit"),
    (dict(max_new_envs_per_10s=0), "max_new_envs_per_10s"),
    (dict(provisioned=-1), "provisioned"),
    (dict(provisioned=5, concurrency_limit=4), "provisioned"),
    (dict(memory_mb=64), "memory_mb"),
    (dict(arch="sparc"), "arch"),
    (dict(policy="lru"), "policy"),
])
def test_lambda_bad_input_names_the_parameter(options, name):
    arrivals = options.pop("arrivals", [0.0, 1.0])
    durations = options.pop("durations", [10.0, 10.0])
    with pytest.raises(ValueError, match=name):
        lam(arrivals, durations, **options)


# --- Lambda, properties ---------------------------------------------------------------------

@st.composite
def traffic(draw, max_size=60):
    gaps = draw(st.lists(st.sampled_from([0.0, 0.05, 0.3, 1.0, 5.0, 30.0, 200.0]),
                         min_size=1, max_size=max_size))
    arrivals = np.cumsum(gaps)
    durations = np.array(draw(st.lists(st.sampled_from([0.0, 20.0, 150.0, 1000.0, 8000.0]),
                                       min_size=len(gaps), max_size=len(gaps))))
    return arrivals, durations


@settings(max_examples=150, deadline=None)
@given(traffic(), st.sampled_from([0.0, 1.0, 10.0, 100.0]), st.integers(1, 6),
       st.integers(1, 6), st.integers(0, 2), st.sampled_from([0.0, 200.0]))
def test_invariants(requests, keep_alive_s, limit, rate, provisioned, init_ms):
    arrivals, durations = requests
    provisioned = min(provisioned, limit)
    r = simulate_lambda(arrivals, durations, keep_alive_s=keep_alive_s, init_ms=init_ms,
                        concurrency_limit=limit, max_new_envs_per_10s=rate,
                        provisioned=provisioned)
    served = ~r.throttled_mask
    assert r.cold_starts + r.throttled <= len(arrivals)
    assert r.cold_starts <= r.served == served.sum()
    assert not (r.cold & r.throttled_mask).any() and not (r.cold & r.provisioned_mask).any()
    assert np.all(r.latency_ms[served] >= durations[served])
    np.testing.assert_allclose(r.latency_ms[r.cold], durations[r.cold] + init_ms)
    warm = served & ~r.cold
    np.testing.assert_array_equal(r.latency_ms[warm], durations[warm])
    assert r.peak_concurrency <= limit
    windows = np.floor(arrivals[r.cold] / 10.0)
    assert np.bincount(windows.astype(int)).max(initial=0) <= rate
    assert r.idle_env_s >= 0
    if r.served:
        lo, hi = np.nanmin(r.latency_ms), np.nanmax(r.latency_ms)
        assert lo <= r.percentiles["p50"] <= r.percentiles["p95"] <= r.percentiles["p99"] <= hi


@settings(max_examples=150, deadline=None)
@given(traffic(), st.sampled_from([0.0, 0.5, 2.0, 20.0, 100.0]),
       st.sampled_from([0.0, 0.5, 2.0, 20.0, 100.0]), st.sampled_from([0.0, 50.0, 700.0]))
def test_longer_keep_alive_never_more_cold_starts(requests, a_s, b_s, init_ms):
    arrivals, durations = requests
    short, long = sorted((a_s, b_s))
    n = len(arrivals)
    few = simulate_lambda(arrivals, durations, keep_alive_s=short, init_ms=init_ms,
                          concurrency_limit=n, max_new_envs_per_10s=n, with_cost=False)
    more = simulate_lambda(arrivals, durations, keep_alive_s=long, init_ms=init_ms,
                           concurrency_limit=n, max_new_envs_per_10s=n, with_cost=False)
    assert more.cold_starts <= few.cold_starts


@settings(max_examples=100, deadline=None)
@given(traffic(), st.sampled_from([0.0, 1.0, 30.0, 600.0]), st.integers(1, 4), st.integers(1, 4))
def test_compiled_kernel_equals_plain_heapq_loop(requests, keep_alive_s, limit, rate):
    """The compiled loop and a plain heapq loop of the same rules agree, idle memory included."""
    arrivals, durations = requests
    fast = simulate_lambda(arrivals, durations, keep_alive_s=keep_alive_s, with_cost=False,
                           concurrency_limit=limit, max_new_envs_per_10s=rate)
    cold, throttled, idle_env_s = simulate_fixed_heapq(
        arrivals, durations, keep_alive_s=keep_alive_s, concurrency_limit=limit,
        max_new_envs_per_10s=rate)
    np.testing.assert_array_equal(fast.cold, cold)
    np.testing.assert_array_equal(fast.throttled_mask, throttled)
    assert fast.idle_env_s == pytest.approx(idle_env_s, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(traffic(), st.sampled_from([0.0, 1.0, 30.0, 600.0, 7200.0]))
def test_a_fixed_policy_counts_idle_memory_at_its_own_window(requests, keep_alive_s):
    """``policy=FixedKeepAlive(k)`` and ``keep_alive_s=k`` are the same run (they once were not:
    the policy's idle periods were counted at the default window)."""
    arrivals, durations = requests
    by_argument = simulate_lambda(arrivals, durations, keep_alive_s=keep_alive_s,
                                  with_cost=False)
    by_policy = simulate_lambda(arrivals, durations, policy=FixedKeepAlive(keep_alive_s),
                                with_cost=False)
    np.testing.assert_array_equal(by_policy.cold, by_argument.cold)
    assert by_policy.idle_env_s == by_argument.idle_env_s


def test_fixed_windows_through_the_policy_door_by_hand():
    # a 2-hour timer over a day: 12 runs, each then idle for the whole window (it never
    # bridges the 2 hours), so the idle memory is 12 windows
    w = workloads.periodic(2 * 3600, 86_400, duration_ms=100.0)
    for minutes in (5, 10, 20, 60):
        r = simulate_lambda(w.arrivals_s, w.durations_ms, policy=FixedKeepAlive(minutes * 60))
        assert r.cold_starts == 12
        assert r.idle_env_s == pytest.approx(12 * minutes * 60)


# --- keep-alive policies --------------------------------------------------------------------

def test_hybrid_learns_a_timer_and_prewarms():
    w = workloads.periodic(15 * 60, 2 * 86_400, duration_ms=100.0)  # every 15 min for 2 days
    fixed = simulate_lambda(w.arrivals_s, w.durations_ms, keep_alive_s=600)
    hybrid = simulate_lambda(w.arrivals_s, w.durations_ms, policy=HybridHistogram())
    assert fixed.cold_starts == len(w)  # 10 minutes is too short for a 15-minute timer
    assert hybrid.cold_starts <= HybridHistogram().min_samples + 1
    # pre-warmed shortly before each firing instead of kept for 10 minutes after it
    assert hybrid.idle_env_s < 0.5 * fixed.idle_env_s


def test_hybrid_windows_from_the_histogram():
    policy = HybridHistogram()
    tracker = policy.tracker()
    assert tracker.windows() == (0.0, policy.range_s)  # nothing learnt yet
    for _ in range(50):
        tracker.observe(14.5 * 60)  # always 14.5 minutes idle: bin 14
    prewarm, keep = tracker.windows()
    assert prewarm == pytest.approx(14 * 60 * 0.9)
    assert prewarm + keep == pytest.approx(15 * 60 * 1.1)


def test_hybrid_falls_back_without_a_pattern_and_forecasts_long_gaps():
    policy = HybridHistogram()
    spread = policy.tracker()
    for minute in range(240):  # idle times spread evenly over the range: no pattern
        spread.observe(minute * 60 + 30)
    assert spread.windows() == (0.0, policy.range_s)
    rare = policy.tracker()
    for _ in range(20):
        rare.observe(6 * 3600)  # beyond the 4-hour range: forecast instead
    prewarm, keep = rare.windows()
    # the paper's margin for forecasts: pre-warm at 85% of the forecast, keep until 115%
    assert prewarm == pytest.approx(6 * 3600 * 0.85)
    assert keep == pytest.approx(6 * 3600 * 0.30)


def test_hybrid_does_not_unload_environments_while_the_function_is_busy():
    # a 5-minute batch every 2 hours (5 requests a second, 3 s each) for 4 days: many
    # environments free inside each batch while others still run
    w = workloads.bursty(0.0, 5.0, 4 * 86_400, on_s=300, off_s=7200 - 300, duration_ms=3000.0,
                         seed=1)
    hybrid = simulate_lambda(w.arrivals_s, w.durations_ms, policy=HybridHistogram())
    fixed_60 = simulate_lambda(w.arrivals_s, w.durations_ms, policy=FixedKeepAlive(3600))
    batches = 4 * 12
    # at most one pre-warm per idle period (between batches), none inside a batch
    assert 0 < hybrid.prewarm_loads <= batches
    assert hybrid.cold_starts < fixed_60.cold_starts + 20 * batches
    # pre-warming one environment before each batch keeps less memory idle than an hour's window
    assert hybrid.idle_env_s < fixed_60.idle_env_s
    app = simulate_application(w.arrivals_s, w.durations_ms, policy=HybridHistogram())
    assert app.prewarm_loads == hybrid.prewarm_loads


def test_a_request_before_the_prewarm_cancels_it():
    policy = HybridHistogram(min_samples=3, cv_threshold=0.0)
    # a timer every 30 minutes teaches a pre-warm near 27 minutes; then one early request
    arrivals = np.array([0.0, 1800, 3600, 5400, 7200, 7200 + 600, 9000 + 1800])
    r = simulate_lambda(arrivals, np.full(arrivals.size, 100.0), policy=policy, init_ms=0.0)
    a = simulate_application(arrivals, np.full(arrivals.size, 100.0), policy=policy, init_ms=0.0)
    for run in (r, a):
        assert run.cold[5]  # 10 minutes after the last run: before the pre-warm, so cold
        assert not run.cold[4]  # learnt by then: pre-warmed before it
    # a cancelled pre-warm is not a load; both models count the same loads
    assert 0 < r.prewarm_loads == a.prewarm_loads < arrivals.size


def test_application_model_by_hand():
    # fixed 10 minutes; requests at 0 (cold, ends 0.3 with 200 ms INIT), 0.1 (the image is
    # loaded while the first runs: warm, however many run at once), 300 (idle 299.7 s: warm),
    # 1000 (idle 699.9 s > 600: cold)
    a = simulate_application([0.0, 0.1, 300.0, 1000.0], [100.0] * 4, keep_alive_s=600,
                             init_ms=200)
    np.testing.assert_array_equal(a.cold, [True, False, False, True])
    # wasted: 299.7 s, then the whole 600 s window, then the last idle period's 600 s
    assert a.wasted_memory_s == pytest.approx(299.7 + 600 + 600)
    clipped = simulate_application([0.0, 0.1, 300.0, 1000.0], [100.0] * 4, keep_alive_s=600,
                                   init_ms=200, idle_from_s=500.0, idle_until_s=1100.0)
    # only [500, 900.1] of the second window and [1000.3, 1100] of the last count
    assert clipped.wasted_memory_s == pytest.approx(400.1 + 99.7)
    assert a.cold_start_ratio == pytest.approx(0.5)


def test_policy_bad_input():
    with pytest.raises(ValueError, match="keep_alive_s"):
        FixedKeepAlive(-1)
    with pytest.raises(ValueError, match="tail_percentile"):
        HybridHistogram(head_percentile=50, tail_percentile=10)
    with pytest.raises(ValueError, match="margin"):
        HybridHistogram(margin=1.5)


def test_simulate_functions_runs_each_function_on_its_own():
    counts = np.zeros((2, 30), dtype=int)
    counts[0, ::2] = 1  # every other minute
    counts[1, 0] = 3
    w = workloads.from_minute_counts(counts, seed=0, duration_ms=50.0)
    results = simulate_functions(w, keep_alive_s=600)
    assert [r.requests for r in results] == [15, 3]
    assert results[0].cold_starts == 1  # one environment serves the whole timer
    assert results[1].cold_starts >= 1


# --- EC2 ------------------------------------------------------------------------------------

def test_ec2_fifo_by_hand():
    # one instance with one slot: requests queue behind each other
    e = simulate_ec2([0.0, 0.1, 0.2, 5.0], [1000, 1000, 1000, 1000], instance_type="t3.micro",
                     concurrency_per_instance=1)
    np.testing.assert_allclose(e.wait_ms, [0, 900, 1800, 0], atol=1e-9)
    np.testing.assert_allclose(e.latency_ms, [1000, 1900, 2800, 1000], atol=1e-9)
    # billed per second with a 60 s minimum: the fleet ran 6 s
    assert e.horizon_s == pytest.approx(6.0)
    assert e.cost_usd == pytest.approx(pricing.ec2_cost("t3.micro", 60 / 3600).total_usd)
    assert e.instance_hours == pytest.approx(6 / 3600)


def test_ec2_default_slots_are_vcpus_and_earliest_free_slot_wins():
    vcpu = pricing.instance("m7g.large").vcpu
    n = vcpu + 1
    e = simulate_ec2(np.zeros(n), np.full(n, 1000.0), instance_type="m7g.large")
    assert e.slots_per_instance == vcpu
    assert (e.wait_ms == 0).sum() == vcpu and e.wait_ms.max() == pytest.approx(1000)


def test_ec2_utilisation_and_cost_over_an_hour():
    w = workloads.poisson(2, 3600, duration_ms=250.0, seed=3)
    e = simulate_ec2(w.arrivals_s, w.durations_ms, instance_type="t3.micro", instances=2,
                     horizon_s=3600)
    slots = 2 * pricing.instance("t3.micro").vcpu
    assert np.all((e.utilisation >= 0) & (e.utilisation <= 1))
    expected = len(w) * 0.25 / (slots * 3600)
    assert np.average(e.utilisation) == pytest.approx(expected, rel=0.05)
    # the fleet runs the hour, and on until the last request (arrived before 3600 s) is done
    assert 3600 <= e.horizon_s < 3602
    assert e.cost_usd == pytest.approx(
        2 * pricing.ec2_cost("t3.micro", math.ceil(e.horizon_s) / 3600).total_usd)


def test_autoscaling_scales_out_after_warm_up_and_in_after_cooldown():
    w = workloads.flash_crowd(1, 60, 3600, start_s=600, ramp_s=10, hold_s=900, decay_s=10,
                              duration_ms=200.0, seed=4)
    policy = Autoscaling(target_utilisation=0.5, warmup_s=120, scale_in_cooldown_s=300,
                         min_instances=1, max_instances=10, evaluation_s=60)
    e = simulate_ec2(w.arrivals_s, w.durations_ms, instance_type="t3.micro",
                     concurrency_per_instance=4, autoscaling=policy, horizon_s=3600)
    fixed = simulate_ec2(w.arrivals_s, w.durations_ms, instance_type="t3.micro",
                         concurrency_per_instance=4, horizon_s=3600)
    assert e.instances_in_service.max() > 1 and e.launches > 1
    assert e.instances_in_service[-1] == 1  # back to the minimum after the crowd
    assert np.all(np.diff(e.time_s) > 0)
    first_launch = min(b for b, _ in e.instance_spans_s if b > 0)
    assert first_launch >= 600
    assert e.percentiles["p99"] < fixed.percentiles["p99"]
    assert e.cost_usd > fixed.cost_usd


@pytest.mark.parametrize("options, name", [
    (dict(instance_type="x1.huge"), "instance_type"),
    (dict(instances=0), "instances"),
    (dict(concurrency_per_instance=0), "concurrency_per_instance"),
    (dict(autoscaling="yes"), "autoscaling"),
    (dict(horizon_s=0.5), "horizon_s"),  # before the last arrival
])
def test_ec2_bad_input_names_the_parameter(options, name):
    with pytest.raises(ValueError, match=name):
        simulate_ec2([0.0, 1.0], [100.0, 100.0], **{"instance_type": "t3.micro", **options})


def test_autoscaling_bad_input():
    with pytest.raises(ValueError, match="target_utilisation"):
        Autoscaling(target_utilisation=0)
    with pytest.raises(ValueError, match="max_instances"):
        Autoscaling(min_instances=3, max_instances=2)


def test_timelines():
    w = workloads.flash_crowd(1, 100, 300, start_s=100, duration_ms=200.0, seed=1)
    r = simulate_lambda(w.arrivals_s, w.durations_ms, concurrency_limit=10)
    table = r.timeline(60)
    assert table["requests"].sum() == len(w)
    assert table["throttled"].sum() == r.throttled
    assert table["cold_starts"].sum() == r.cold_starts
    assert table["in_flight_max"].max() == r.peak_concurrency
    e = simulate_ec2(w.arrivals_s, w.durations_ms, instance_type="t3.micro", horizon_s=300)
    assert e.horizon_s > 1000  # two slots cannot keep up: the queue drains long after 300 s
    fleet = e.timeline(60)
    assert fleet["requests"].sum() == len(w)
    assert fleet["cost_usd"].sum() == pytest.approx(
        pricing.instance("t3.micro").usd_per_hour * e.horizon_s / 3600)
    assert fleet["p99"].iloc[4] > fleet["p99"].iloc[0]  # the queue builds up
