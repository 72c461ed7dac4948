"""Traffic generators: reproducible, the right shape and rate, and strict about their input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2vslambda import data, workloads
from ec2vslambda.workloads import (
    ExponentialMs,
    LogNormalMs,
    Workload,
    bursty,
    diurnal,
    flash_crowd,
    from_minute_counts,
    periodic,
    poisson,
)

GENERATORS = {
    "poisson": lambda seed: poisson(5, 2000, seed=seed),
    "diurnal": lambda seed: diurnal(2, 4000, period_s=1000, seed=seed),
    "bursty": lambda seed: bursty(0.5, 20, 2000, on_s=20, off_s=180, seed=seed),
    "flash_crowd": lambda seed: flash_crowd(1, 50, 600, seed=seed),
    "periodic": lambda seed: periodic(60, 3600, jitter_s=5, seed=seed),
    "replay": lambda seed: from_minute_counts([3, 0, 7, 1] * 10, seed=seed),
}


@pytest.mark.parametrize("name", list(GENERATORS))
def test_same_seed_same_workload_other_seed_other_workload(name):
    make = GENERATORS[name]
    first, again, other = make(1), make(1), make(2)
    assert len(first) > 10
    np.testing.assert_array_equal(first.arrivals_s, again.arrivals_s)
    np.testing.assert_array_equal(first.durations_ms, again.durations_ms)
    assert not np.array_equal(first.arrivals_s, other.arrivals_s)


@pytest.mark.parametrize("name", list(GENERATORS))
def test_arrivals_sorted_float64_and_durations_match(name):
    w = GENERATORS[name](3)
    assert w.arrivals_s.dtype == np.float64 and w.durations_ms.dtype == np.float64
    assert np.all(np.diff(w.arrivals_s) >= 0)
    assert w.arrivals_s.shape == w.durations_ms.shape
    assert w.arrivals_s.min() >= 0


def test_poisson_rate_and_exponential_gaps():
    w = poisson(10, 5000, seed=7)
    assert len(w) / 5000 == pytest.approx(10, rel=0.02)
    gaps = np.diff(w.arrivals_s)
    # exponential gaps: the standard deviation equals the mean
    assert gaps.std() / gaps.mean() == pytest.approx(1.0, rel=0.05)
    assert w.arrivals_s.max() < 5000


def test_diurnal_peak_and_trough():
    w = diurnal(4, 86_400 * 3, peak_to_trough=4, seed=1)
    hour = (w.arrivals_s % 86_400) // 3600
    per_hour = np.bincount(hour.astype(int), minlength=24) / (3 * 3600)
    assert per_hour.argmax() in (13, 14, 15)  # peak at 14:00
    assert per_hour.argmin() in (1, 2, 3)  # trough 12 hours later
    assert per_hour.max() / per_hour.min() == pytest.approx(4, rel=0.25)
    assert len(w) / (3 * 86_400) == pytest.approx(4, rel=0.03)


def test_bursty_rates_on_and_off():
    w = bursty(1, 50, 10_000, on_s=100, off_s=900, seed=2)
    phase = w.arrivals_s % 1000
    on = np.sum(phase >= 900) / (10 * 100)
    off = np.sum(phase < 900) / (10 * 900)
    assert on == pytest.approx(50, rel=0.05)
    assert off == pytest.approx(1, rel=0.1)


def test_flash_crowd_shape():
    w = flash_crowd(2, 200, 400, start_s=100, ramp_s=10, hold_s=60, decay_s=30, seed=3)
    before = np.sum(w.arrivals_s < 100) / 100
    peak = np.sum((w.arrivals_s >= 110) & (w.arrivals_s < 170)) / 60
    after = np.sum(w.arrivals_s >= 200) / 200
    assert before == pytest.approx(2, rel=0.3)
    assert peak == pytest.approx(200, rel=0.05)
    assert after == pytest.approx(2, rel=0.3)


def test_periodic_is_a_cron():
    w = periodic(300, 3600, per_fire=2, offset_s=30)
    np.testing.assert_array_equal(w.arrivals_s, np.repeat(np.arange(30, 3600, 300), 2))
    jittered = periodic(300, 3600, jitter_s=10, seed=1)
    offsets = jittered.arrivals_s - np.arange(0, 3600, 300)
    assert offsets.min() >= 0 and offsets.max() <= 10 and offsets.std() > 0


def test_durations_constant_and_models():
    assert np.all(poisson(5, 100, duration_ms=42).durations_ms == 42)
    rng = np.random.default_rng(0)
    logn = workloads.durations(LogNormalMs(100, 1.0), 50_000, rng)
    assert np.median(logn) == pytest.approx(100, rel=0.03)
    expo = workloads.durations(ExponentialMs(250), 50_000, rng)
    assert expo.mean() == pytest.approx(250, rel=0.03)
    timeout_ms = data.limit_value("timeout_max") * 1000
    capped = workloads.durations(LogNormalMs(timeout_ms, 3.0), 1000, rng)
    assert capped.max() == timeout_ms  # nothing runs past Lambda's timeout


def test_from_minute_counts_keeps_every_count_in_its_minute():
    counts = np.array([[0, 3, 0, 5], [2, 0, 0, 1]])
    w = from_minute_counts(counts, seed=4, duration_ms=[10.0, LogNormalMs(50, 0.1)])
    assert len(w) == counts.sum()
    for f in range(2):
        mine = w.arrivals_s[w.function_ids == f]
        np.testing.assert_array_equal(np.bincount((mine // 60).astype(int), minlength=4),
                                      counts[f])
    assert np.all(w.durations_ms[w.function_ids == 0] == 10.0)
    assert np.all(np.abs(w.durations_ms[w.function_ids == 1] - 50) < 50)
    one = w.for_function(1)
    assert len(one) == 3 and one.function_ids is None


def test_from_minute_counts_reads_the_azure_layout():
    table = pd.DataFrame({"HashFunction": ["a", "b"], "1": [1, 0], "2": [0, 4], "3": [2, 2]})
    w = from_minute_counts(table, seed=0)
    assert len(w) == 9
    assert np.sum(w.arrivals_s < 60) == 1


def test_synthetic_trace_follows_shahrad_et_al():
    table = workloads.load_trace()
    minutes = workloads.minute_columns(table.columns)
    assert len(minutes) == workloads.MINUTES_PER_DAY
    assert 200 <= len(table) <= 1000
    assert workloads.trace_path().stat().st_size <= 2 * 1024 * 1024
    daily = table[minutes].sum(axis=1).to_numpy()
    assert daily.min() >= 1
    # Shahrad et al. (2020): 45% of apps at most once per hour, 81% at most once per minute
    assert np.mean(daily <= 24) == pytest.approx(0.45, abs=0.03)
    assert np.mean(daily <= 1440) == pytest.approx(0.81, abs=0.03)
    busiest = np.sort(daily)[::-1]
    assert busiest[: int(0.19 * len(daily))].sum() / daily.sum() > 0.985  # paper: > 99.5%
    assert np.log10(daily.max() / daily.min()) >= 5  # rates span orders of magnitude
    duration = table["AverageDurationMs"].to_numpy()
    assert np.mean(duration < 1000) == pytest.approx(0.5, abs=0.06)
    assert np.mean(duration < 100) == pytest.approx(0.2, abs=0.05)


def test_trace_workload_replays_every_function():
    table = workloads.load_trace()
    w = workloads.trace_workload(table, seed=1)
    minutes = workloads.minute_columns(table.columns)
    assert len(w) == int(table[minutes].to_numpy().sum())
    assert w.function_ids.max() == len(table) - 1


@pytest.mark.parametrize("call, name", [
    (lambda: poisson(-1, 10), "rate_per_s"),
    (lambda: poisson(1, float("nan")), "duration_s"),
    (lambda: poisson(1, 10, duration_ms=-5), "duration_ms"),
    (lambda: poisson(1, 10, duration_ms="slow"), "duration_ms"),
    (lambda: diurnal(1, 100, peak_to_trough=0.5), "peak_to_trough"),
    (lambda: bursty(1, 2, 100, on_s=0, off_s=0), "on_s"),
    (lambda: flash_crowd(10, 5, 100), "peak_rate_per_s"),
    (lambda: periodic(0, 100), "period_s"),
    (lambda: periodic(10, 100, per_fire=1.5), "per_fire"),
    (lambda: from_minute_counts([1, -2, 3]), "counts"),
    (lambda: from_minute_counts([1, 2.5]), "counts"),
    (lambda: from_minute_counts([[1, 2], [3, 4]], duration_ms=[1.0]), "duration_ms"),
    (lambda: Workload(np.array([2.0, 1.0]), np.array([1.0, 1.0])), "arrivals_s"),
    (lambda: Workload(np.array([1.0, 2.0]), np.array([1.0])), "durations_ms"),
    (lambda: Workload(np.array([1.0]), np.array([np.nan])), "durations_ms"),
    (lambda: LogNormalMs(100, -1).sample(np.random.default_rng(), 3), "sigma"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_empty_workloads():
    assert len(poisson(0, 100)) == 0
    assert len(periodic(10, 0)) == 0
    assert len(from_minute_counts([0, 0, 0])) == 0
    assert workloads.merge([]).span_s == 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 20), min_size=1, max_size=30), st.integers(0, 2**32 - 1))
def test_replay_preserves_counts_for_any_minute_series(counts, seed):
    w = from_minute_counts(counts, seed=seed)
    assert len(w) == sum(counts)
    per_minute = np.bincount((w.arrivals_s // 60).astype(int), minlength=len(counts))
    np.testing.assert_array_equal(per_minute, counts)
