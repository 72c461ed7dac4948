"""The tail-latency model: exact percentiles that agree with a seeded sample, move the right way,
and show the p99 jump at 1% cold starts."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2vslambda import data
from ec2vslambda.latency import (
    TailLatency,
    latency_cdf,
    percentile_curve,
    sample_latencies_ms,
    tail_latency,
)


def test_no_cold_starts_gives_the_log_normal_quantiles():
    r = tail_latency(0.0, 300.0, 40.0, warm_sigma=0.25)
    assert isinstance(r, TailLatency)
    assert set(r.percentiles_ms) == {50, 95, 99}
    assert r.percentiles_ms[50] == pytest.approx(40.0, rel=1e-6)
    # z-scores of the standard normal at 95% and 99%
    assert r.percentiles_ms[95] == pytest.approx(40.0 * math.exp(0.25 * 1.6448536), rel=1e-6)
    assert r.percentiles_ms[99] == pytest.approx(40.0 * math.exp(0.25 * 2.3263479), rel=1e-6)


def test_all_cold_shifts_every_percentile_by_init():
    warm = tail_latency(0.0, 300.0, 40.0)
    cold = tail_latency(1.0, 300.0, 40.0)
    for p in (50, 95, 99):
        assert cold.percentiles_ms[p] == pytest.approx(warm.percentiles_ms[p] + 300.0, rel=1e-6)


def test_without_spread_the_answer_is_a_step():
    below = tail_latency(0.009, 250.0, 40.0, warm_sigma=0)
    above = tail_latency(0.011, 250.0, 40.0, warm_sigma=0)
    assert below.percentiles_ms == pytest.approx({50: 40.0, 95: 40.0, 99: 40.0})
    assert above.percentiles_ms[99] == pytest.approx(290.0)
    assert above.percentiles_ms[95] == pytest.approx(40.0)


def test_p99_jumps_once_the_cold_share_passes_one_percent():
    init_ms, warm_ms = 250.0, 40.0
    p99_below = tail_latency(0.009, init_ms, warm_ms).percentiles_ms[99]
    p99_above = tail_latency(0.011, init_ms, warm_ms).percentiles_ms[99]
    assert p99_below < warm_ms * 2.5  # still a warm latency
    assert p99_above > init_ms  # now INIT plus a warm draw
    p95_below = tail_latency(0.045, init_ms, warm_ms).percentiles_ms[95]
    p95_above = tail_latency(0.055, init_ms, warm_ms).percentiles_ms[95]
    assert p95_below < init_ms < p95_above


def test_p50_is_unaffected_by_half_a_percent_of_cold_starts():
    base = tail_latency(0.0, 1000.0, 40.0).percentiles_ms[50]
    some = tail_latency(0.005, 1000.0, 40.0).percentiles_ms[50]
    assert some == pytest.approx(base, rel=0.005)
    assert some >= base


def test_exact_percentiles_agree_with_a_seeded_sample():
    sample = sample_latencies_ms(400_000, 0.03, 180.0, 60.0, seed=7, warm_sigma=0.4)
    exact = tail_latency(0.03, 180.0, 60.0, warm_sigma=0.4)
    for p in (50, 95, 99):
        assert np.percentile(sample, p) == pytest.approx(exact.percentiles_ms[p], rel=0.02)
    again = sample_latencies_ms(400_000, 0.03, 180.0, 60.0, seed=7, warm_sigma=0.4)
    assert np.array_equal(sample, again)


def test_cdf_is_consistent_with_the_percentiles():
    r = tail_latency(0.02, 200.0, 50.0, percentiles=(10, 50, 90, 99))
    for p, value in r.percentiles_ms.items():
        assert latency_cdf(value, 0.02, 200.0, 50.0) == pytest.approx(p / 100, abs=1e-6)


fractions = st.floats(min_value=0.0, max_value=1.0)
inits = st.floats(min_value=0.0, max_value=5000.0)


def assert_not_lower(low: TailLatency, high: TailLatency) -> dict[int, float]:
    """Every percentile of ``high`` is at least that of ``low`` (to bisection precision)."""
    for p, value in low.percentiles_ms.items():
        assert high.percentiles_ms[p] >= value - 1e-6 * value
    return low.percentiles_ms


@settings(max_examples=60, deadline=None)
@given(a=fractions, b=fractions, init_ms=inits, warm_ms=st.floats(1.0, 2000.0))
def test_percentiles_never_fall_as_the_cold_share_rises(a, b, init_ms, warm_ms):
    low, high = sorted((a, b))
    r_low = assert_not_lower(tail_latency(low, init_ms, warm_ms),
                             tail_latency(high, init_ms, warm_ms))
    assert r_low[50] <= r_low[95] <= r_low[99]


@settings(max_examples=60, deadline=None)
@given(c=fractions, a=inits, b=inits, warm_ms=st.floats(1.0, 2000.0))
def test_percentiles_never_fall_as_init_grows(c, a, b, warm_ms):
    low, high = sorted((a, b))
    assert_not_lower(tail_latency(c, low, warm_ms), tail_latency(c, high, warm_ms))


def test_curve_matches_single_calls():
    shares = [0.0, 0.005, 0.02, 0.1]
    curve = percentile_curve(shares, 300.0, 40.0, percentile=95)
    assert curve == [tail_latency(s, 300.0, 40.0).percentiles_ms[95] for s in shares]


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(cold_fraction=1.5), r"cold_fraction=1.5 is out of range; allowed: 0 to 1"),
    (dict(cold_fraction="lots"), r"cold_fraction='lots' is not a number"),
    (dict(init_ms=-1), r"init_ms=-1 is out of range; allowed: 0 to 10,000"),
    (dict(warm_ms=0), r"warm_ms=0 is out of range; allowed: more than 0 up to 900,000"),
    (dict(warm_ms=float("nan")), r"warm_ms=nan is not a finite number"),
    (dict(percentiles=(50, 100)), r"percentiles=100 is out of range; allowed: 1 to 99"),
    (dict(percentiles=(97.5,)), r"percentiles=97.5 is not a whole number"),
    (dict(percentiles=()), r"percentiles=\(\) is empty"),
    (dict(warm_sigma=3), r"warm_sigma=3 is out of range; allowed: 0 to 2"),
    (dict(init_sigma=0.1), r"init_sigma=0.1 is not a spread parameter; allowed: warm_sigma"),
])
def test_bad_input_is_named(kwargs, message):
    args = dict(cold_fraction=0.01, init_ms=200.0, warm_ms=40.0) | kwargs
    with pytest.raises(ValueError, match=message):
        tail_latency(**args)


def test_init_limit_comes_from_the_data():
    limit_ms = data.limit_value("init_timeout") * 1000
    tail_latency(0.01, limit_ms, 40.0)
    with pytest.raises(ValueError, match="init_ms"):
        tail_latency(0.01, limit_ms + 1, 40.0)
