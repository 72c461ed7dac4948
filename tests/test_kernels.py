"""The compiled policy state (ec2vslambda.kernels) decides exactly what the readable trackers of
ec2vslambda.keepalive decide."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2vslambda import kernels
from ec2vslambda.keepalive import FixedKeepAlive, HybridHistogram, arima_next_idle_s

POLICIES = [HybridHistogram(), HybridHistogram(min_samples=3, cv_threshold=0.5),
            HybridHistogram(range_s=3600.0, bin_s=60.0, min_samples=5),
            HybridHistogram(bin_s=10.0, range_s=600.0, min_samples=2, cv_threshold=0.0,
                            out_of_range_share=0.3, forecast_samples=4)]


def tracker_windows(policy, idle_times_s):
    tracker = policy.tracker()
    out = []
    for idle in idle_times_s:
        tracker.observe(idle)
        out.append(tracker.windows())
    return np.array(out).reshape(-1, 2)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(range(len(POLICIES))),
       st.lists(st.one_of(st.floats(0, 20_000, allow_nan=False),
                          st.sampled_from([0.0, 59.999, 60.0, 900.0, 14_399.0, 14_400.0])),
                min_size=1, max_size=300))
def test_compiled_windows_equal_the_trackers(which, idle_times_s):
    policy = POLICIES[which]
    compiled = kernels.policy_windows(np.array(policy.params()), np.array(idle_times_s))
    np.testing.assert_array_equal(compiled, tracker_windows(policy, idle_times_s))


def test_windows_for_a_clear_pattern_by_hand():
    # 200 idle times: 95% in minute 14, 5% in minute 2
    idle = [2.5 * 60] * 10 + [14.5 * 60] * 190
    compiled = kernels.policy_windows(np.array(HybridHistogram().params()), np.array(idle))
    prewarm, keep = compiled[-1]
    assert prewarm == pytest.approx(2 * 60 * 0.9)  # the 5th percentile is in minute 2
    assert prewarm + keep == pytest.approx(15 * 60 * 1.1)  # the 99th in minute 14, rounded up


def test_fixed_policy_state_never_changes():
    compiled = kernels.policy_windows(np.array(FixedKeepAlive(300).params()),
                                      np.array([1.0, 5000.0, 20.0]))
    np.testing.assert_array_equal(compiled, [[0.0, 300.0]] * 3)


def test_arima_forecast_follows_a_trend_and_falls_back_when_it_cannot_fit():
    rising = [3600.0 * (5 + 0.5 * k) for k in range(12)]
    forecast = arima_next_idle_s(rising, rising)
    assert forecast > np.median(rising)  # a trend the median cannot see
    assert arima_next_idle_s([7200.0] * 5, [7200.0] * 5) == 7200.0  # constant: the median
    assert arima_next_idle_s([5000.0, 9000.0], [5000.0, 9000.0]) == 7000.0  # too short


def test_floor_div_is_pythons():
    for x in (0.0, 9.999999999999998, 10.0, 29.999999999999996, 1e9 + 0.5, 86_399.99):
        assert kernels.floor_div(x, 10.0) == x // 10.0
        assert kernels.floor_div(x, 60.0) == x // 60.0


def test_billing_rounds_exactly_as_numpy():
    rng = np.random.default_rng(3)
    latency = np.concatenate([rng.lognormal(4.6, 1.5, 3000), np.arange(0, 1, 0.0000005)[:2000],
                              [0.0, 1.0, 100.2, 250.7, 899_999.9999995, 0.0000005]])
    for step in (1.0, 100.0):
        expected = np.ceil(np.round(latency / step, 6)) * step
        billed = np.array([kernels._bill(x, step) for x in latency])
        np.testing.assert_array_equal(billed, expected)
