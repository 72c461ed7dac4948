"""The workload report's engine (ec2vslambda.traffic.replay_engine) in standard-library Python
against the numpy and compiled version it replaced: the same requests and the same numbers, so
the report is the same, here and in the reader's browser.

The numpy version is kept below as it was, as the reference.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from ec2vslambda import workloads
from ec2vslambda.simulate import simulate_lambda
from ec2vslambda.traffic import read, report, samples
from ec2vslambda.traffic import replay_engine as engine
from ec2vslambda.traffic.profiling import source as _source
from ec2vslambda.traffic.replay_engine import GAMMA, SECONDS_PER_MINUTE
from tests.test_traffic_report import per_minute, per_request

# --- the reference: the numpy engine the report used before ------------------------------------

def numpy_uniform(indices, seed: int):
    """A uniform number in [0, 1) for each request index ``k`` in ``indices`` (the request's
    place in the whole traffic): SplitMix64 of ``seed + (k + 1) * GAMMA``. A request gets its
    own number whatever else is replayed, by integer arithmetic that standard-library Python
    repeats bit for bit."""
    with np.errstate(over="ignore"):
        z = ((np.asarray(indices, dtype=np.uint64) + np.uint64(1)) * np.uint64(GAMMA)
             + np.uint64(seed % 2**64))
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def numpy_requests(source, plan, seed: int):
    """The plan's requests as arrays ``(arrivals_s, durations_ms, counted)``: the real ones of a
    per-request source, or each minute's count spread at seeded uniform times inside it (the
    same times for a minute whichever minutes are replayed, see :func:`uniform`)."""
    per_minute = np.asarray(source.per_minute, dtype=np.int64)
    minutes = np.concatenate([np.arange(a, b) for a, b in plan.intervals])
    counts = per_minute[minutes]
    minute_of = np.repeat(minutes, counts)
    # each request's index in the whole traffic: its minute's first, plus its rank in the minute
    firsts = np.asarray(source.starts, dtype=np.int64)[minutes]
    rank = np.arange(minute_of.size) - np.repeat(np.cumsum(counts) - counts, counts)
    index = np.repeat(firsts, counts) + rank
    counted_minutes = np.zeros(per_minute.size, dtype=bool)
    for a, b in plan.windows:
        counted_minutes[a:b] = True
    if source.arrivals_s is not None:
        assert source.durations_ms is not None  # a per-request source gives both
        arrivals = (np.frombuffer(source.arrivals_s, dtype=np.float64)[index]
                    + source.offset_s)
        durations = np.frombuffer(source.durations_ms, dtype=np.float64)[index]
    else:  # minutes only grow, so one sort keeps each request inside its minute
        arrivals = np.sort(minute_of + numpy_uniform(index, seed)) * SECONDS_PER_MINUTE
        durations = np.asarray(source.minute_durations_ms)[minute_of]
    return arrivals, durations, counted_minutes[minute_of]


def numpy_replay(arrays, *, keep_alive_s: float, init_ms: float, concurrency_limit: int,
            duration_scale: float = 1.0, in_flight: bool = True) -> dict[str, float]:
    """One Lambda replay of ``arrays`` (from :func:`requests`), as plain numbers: the counted
    requests, their cold starts, throttles and latency percentiles (ms), and the peaks over
    everything replayed: environments busy at once (INIT included) and, with ``in_flight``,
    requests in flight (the handlers alone, which the keep-alive does not change; else 0)."""

    arrivals, durations, counted = arrays
    durations = durations * duration_scale if duration_scale != 1.0 else durations
    run = simulate_lambda(arrivals, durations, keep_alive_s=keep_alive_s, init_ms=init_ms,
                          concurrency_limit=concurrency_limit, with_cost=False)
    served = counted & ~run.throttled_mask
    latency = run.latency_ms[served]
    p50, p99 = (np.percentile(latency, (50, 99)).tolist() if latency.size else (0.0, 0.0))
    peak_in_flight = 0
    if in_flight and arrivals.size:  # just after each arrival; one ending then is gone
        ended = np.searchsorted(np.sort(arrivals + durations / 1000.0, kind="stable"), arrivals,
                                side="right")
        peak_in_flight = int((np.arange(1, arrivals.size + 1) - ended).max())
    return {"requests": int(np.count_nonzero(counted)),
            "cold_starts": int(np.count_nonzero(run.cold & counted)),
            "throttled": int(np.count_nonzero(run.throttled_mask & counted)),
            "p50_ms": float(p50), "p99_ms": float(p99),
            "peak_concurrency": int(run.peak_concurrency),
            "peak_in_flight": peak_in_flight,
            "replayed": int(arrivals.size)}


# --- the comparisons ------------------------------------------------------------------------------

def test_splitmix_draws_the_same_numbers_as_numpy():
    indices = [0, 1, 2, 10 ** 6, 2 ** 40, 2 ** 63 - 7]
    for seed in (0, 1, 2 ** 64 + 5, -3):
        assert engine.uniform(indices, seed) == numpy_uniform(indices, seed).tolist()


def traffics():
    day = workloads.diurnal(0.2, 3 * 3600.0, duration_ms=workloads.LogNormalMs(150, 0.6),
                            seed=11)
    burst = workloads.flash_crowd(0.5, 30.0, 1800.0, start_s=600, ramp_s=30, hold_s=120,
                                  decay_s=60, duration_ms=workloads.LogNormalMs(300, 1.0), seed=2)
    return {"per request": per_request(day), "crowd": per_request(burst),
            "per minute": per_minute([3, 0, 5, 2, 40, 0, 0, 1] * 40, duration_ms=240.0),
            "alb sample": read(*samples.paths("alb")),
            "metric sample": read(*samples.paths("metric-data"))}


TRAFFICS = traffics()


@pytest.mark.parametrize("name", TRAFFICS)
@pytest.mark.parametrize("budget", [10 ** 9, 400])
def test_requests_and_replay_equal_numpys(name, budget):
    traffic = TRAFFICS[name]
    source = _source(traffic, 120.0 if traffic.durations_ms is None else None)
    plan = engine.plan(traffic.per_minute, budget, 10)
    mine = engine.requests(source, plan, 3)
    theirs = numpy_requests(source, plan, 3)
    assert mine.arrivals_s == theirs[0].tolist()
    assert mine.durations_ms == theirs[1].tolist()
    assert list(mine.counted) == theirs[2].astype(int).tolist()
    for keep_alive, init_ms, limit, scale, in_flight in ((600.0, 250.0, 1000, 1.0, True),
                                                         (60.0, 900.0, 3, 1.0, True),
                                                         (0.0, 0.0, 1000, 2.5, False)):
        options = dict(keep_alive_s=keep_alive, init_ms=init_ms, concurrency_limit=limit,
                       duration_scale=scale, in_flight=in_flight)
        assert engine.replay(mine, **options) == numpy_replay(theirs, **options), options


@pytest.mark.parametrize("name", ["per request", "per minute", "alb sample"])
def test_the_report_is_the_same_as_with_the_numpy_engine(name, monkeypatch):
    traffic = TRAFFICS[name]
    options = {} if traffic.durations_ms is not None else {"duration_ms": 120.0}
    mine = report(traffic, **options)
    monkeypatch.setattr(engine, "requests", numpy_requests)
    monkeypatch.setattr(engine, "replay", numpy_replay)
    theirs = report(traffic, **options)
    assert json.dumps(mine, sort_keys=True) == json.dumps(theirs, sort_keys=True)
