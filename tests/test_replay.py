"""Trace replays: the same table whichever Dask scheduler runs them; the paper's two axes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from ec2vslambda import replay, simulate, workloads
from ec2vslambda.keepalive import FixedKeepAlive, HybridHistogram


def small_trace():
    """Six functions over two days: timers, bursts and random traffic."""
    day = 86_400.0
    parts = [workloads.periodic(1800, 2 * day, duration_ms=200.0),
             workloads.periodic(5 * 3600, 2 * day, offset_s=100, duration_ms=50.0),
             workloads.bursty(0.0, 2.0, 2 * day, on_s=120, off_s=3480, duration_ms=900.0,
                              seed=3),
             workloads.poisson(1 / 600, 2 * day, duration_ms=300.0, seed=4),
             workloads.poisson(0.5, 2 * day, duration_ms=workloads.LogNormalMs(400, 1.0),
                               seed=5),
             workloads.diurnal(1 / 120, 2 * day, duration_ms=100.0, seed=6)]
    return [(w.arrivals_s, w.durations_ms) for w in parts]


POLICIES = {"fixed 10 min": FixedKeepAlive(600), "fixed 60 min": FixedKeepAlive(3600),
            "hybrid 4 h": HybridHistogram(min_samples=5)}


@pytest.mark.parametrize("model", replay.MODELS)
def test_dask_schedulers_and_a_distributed_cluster_give_the_serial_table(model):
    from dask.distributed import Client, LocalCluster

    functions = small_trace()
    options = dict(model=model, score_from_s=86_400.0, chunk_size=2)
    serial = replay.replay_policies(functions, POLICIES, scheduler="sync", **options)
    threads = replay.replay_policies(functions, POLICIES, **options)
    # a real scheduler and worker talking TCP, on this machine's loopback address only
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                      host="127.0.0.1", scheduler_port=0, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        on_cluster = replay.replay_policies(functions, POLICIES, scheduler=client, **options)
    assert len(serial) == len(functions) * len(POLICIES)
    assert serial["requests"].gt(0).all() and serial["cold_starts"].sum() > 0
    pdt.assert_frame_equal(threads, serial)
    pdt.assert_frame_equal(on_cluster, serial)


def test_only_the_scored_days_count():
    functions = small_trace()
    everything = replay.replay_policies(functions, POLICIES, scheduler="sync")
    scored = replay.replay_policies(functions, POLICIES, score_from_s=86_400.0,
                                    scheduler="sync")
    assert (scored["requests"] < everything["requests"]).all()
    assert (scored["wasted_memory_s"] <= everything["wasted_memory_s"] + 1e-6).all()
    # a workload with function ids replays the same as its pairs
    counts = np.zeros((2, 120), dtype=int)
    counts[0, ::10] = 1
    counts[1, :3] = 4
    w = workloads.from_minute_counts(counts, seed=2, duration_ms=100.0)
    from_workload = replay.replay_policies(w, POLICIES, scheduler="sync")
    from_pairs = replay.replay_policies(replay.split_functions(w), POLICIES, scheduler="sync")
    pdt.assert_frame_equal(from_workload, from_pairs)


def test_pareto_table_and_frontier_position_by_hand():
    rows = []
    # two applications; wasted memory per policy: fixed 10 = 100 s, fixed 60 = 300 s,
    # fixed 120 = 500 s, hybrid = 200 s
    for policy, cold, wasted in [("fixed 10 min", (8, 4), 100), ("fixed 60 min", (4, 2), 300),
                                 ("fixed 120 min", (2, 1), 500), ("hybrid", (2, 0), 200)]:
        for function, c in enumerate(cold):
            rows.append({"policy": policy, "function": function, "requests": 10,
                         "cold_starts": c, "wasted_memory_s": wasted / 2, "prewarm_loads": 0})
    rows.append({"policy": "hybrid", "function": 2, "requests": 0, "cold_starts": 0,
                 "wasted_memory_s": 0.0, "prewarm_loads": 0})  # no scored request: left out
    table = replay.pareto_table(pd.DataFrame(rows))
    assert table.loc["fixed 10 min", "75th pct app cold (%)"] == pytest.approx(70.0)
    assert table.loc["hybrid", "wasted memory vs fixed 10 min"] == pytest.approx(2.0)
    assert table.loc["hybrid", "75th pct app cold (%)"] == pytest.approx(15.0)
    where = replay.frontier_position(table, "hybrid")
    # at 2x the memory the fixed frontier runs from 70% (1x) to 35% (3x): 52.5%
    assert where["frontier_cold"] == pytest.approx(52.5) and where["below_frontier"]
    assert where["dominates"] == ["fixed 60 min", "fixed 120 min"] and not where["dominated_by"]
    with pytest.raises(ValueError, match="baseline"):
        replay.pareto_table(pd.DataFrame(rows), baseline="fixed 5 min")


def test_paper_policies_and_bad_input():
    policies = replay.paper_policies()
    assert [p for p in policies if p.startswith("fixed")] == [
        f"fixed {m} min" for m in (5, 10, 20, 30, 45, 60, 90, 120)]
    assert policies["hybrid 4 h, ARIMA"].forecast == "arima"
    assert policies["hybrid 1 h"].range_s == 3600
    assert [policies[f"hybrid {h} h"].range_s for h in (1, 2, 3, 4)] == [
        h * 3600 for h in (1, 2, 3, 4)]  # the ranges the paper ran
    with pytest.raises(ValueError, match="model"):
        replay.replay_policies(small_trace(), POLICIES, model="container")
    with pytest.raises(ValueError, match="policies"):
        replay.replay_policies(small_trace(), {"x": "fixed"})


def test_routing_table_compares_both_rules_on_the_same_traffic():
    cases = {"bursts": workloads.bursty(0.2, 20, 1800, on_s=30, off_s=90,
                                        duration_ms=workloads.LogNormalMs(800, 0.8), seed=2)}
    table = replay.routing_table(cases, keep_alive_min=(0.5, 10), engine="python")
    assert list(table.index) == [("bursts", 0.5), ("bursts", 10)]
    for minutes in (0.5, 10):
        row = table.loc[("bursts", minutes)]
        for routing in ("recently_freed", "newest"):
            run = simulate.simulate_lambda(cases["bursts"].arrivals_s, cases["bursts"].durations_ms,
                                           keep_alive_s=minutes * 60, routing=routing)
            label = routing.replace("_", " ")
            assert row[f"cold starts, {label}"] == run.cold_starts
            assert row[f"idle GB-h, {label}"] == pytest.approx(run.idle_gb_s / 3600)
        assert row["cold starts change (%)"] == pytest.approx(
            100 * (row["cold starts, recently freed"] / row["cold starts, newest"] - 1))
    # with a short window the rules keep different environments and differ
    assert table.loc[("bursts", 0.5), "cold starts change (%)"] != 0
