"""Tests for ec2vslambda.burst, its standard-library twin burst_model and the live calculator
(lab 2)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import math
from functools import cache

import numpy as np
import pytest
from test_data import broken_copy
from test_power_tuning import set_value

from ec2vslambda import burst, burst_model, data, workloads

SMALL = burst.BurstScenario(base_rate_per_s=5, peak_rate_per_s=120, window_s=300, start_s=30,
                            ramp_s=10, hold_s=60, decay_s=30, max_instances=12)


@cache
def run(**changes) -> burst.BurstResult:
    return burst.run_burst(SMALL.with_(**changes))


def test_workload_is_the_seeded_flash_crowd():
    direct = workloads.flash_crowd(5, 120, 300, start_s=30, ramp_s=10, hold_s=60, decay_s=30,
                                   duration_ms=workloads.LogNormalMs(100.0, 0.5),
                                   seed=SMALL.seed)
    mine = burst.burst_workload(SMALL)
    np.testing.assert_array_equal(mine.arrivals_s, direct.arrivals_s)
    np.testing.assert_array_equal(mine.durations_ms, direct.durations_ms)


def test_both_designs_serve_the_same_requests():
    result = run()
    table = result.summary()
    n = len(result.workload)
    assert table.loc["requests", "Lambda"] == n == table.loc["requests", "EC2 Auto Scaling"]
    lam = result.lambda_result
    assert table.loc["p99 latency (ms)", "Lambda"] == pytest.approx(
        np.nanpercentile(lam.latency_ms, 99))
    assert table.loc["p99.9 latency (ms)", "Lambda"] == pytest.approx(
        np.nanpercentile(lam.latency_ms, 99.9))
    assert table.loc["p50 latency (ms)", "EC2 Auto Scaling"] == pytest.approx(
        np.percentile(result.ec2_result.latency_ms, 50))
    assert table.loc["answered within 1,000 ms", "EC2 Auto Scaling"] == pytest.approx(
        np.mean(result.ec2_result.latency_ms <= 1000))
    # Lambda's memory defaults to one full vCPU, read from data/
    assert lam.memory_mb == int(round(data.limit_value("memory_per_vcpu")))


def test_throttled_requests_count_as_not_answered():
    result = run(concurrency_limit=5)
    table = result.summary(slo_ms=10_000)
    throttled = table.loc["throttled", "Lambda"]
    assert throttled > 0
    assert throttled == result.lambda_result.throttled
    answered = table.loc["answered within 10,000 ms", "Lambda"]
    assert answered == pytest.approx(1 - throttled / len(result.workload))


def test_autoscaling_group_lags_the_burst_and_a_big_fixed_fleet_does_not():
    scaled = run()
    t = scaled.timeline(10)
    before = t[t["start_s"] + 10 <= SMALL.start_s]
    assert (before["ec2_instances"] == SMALL.instances).all()
    assert t["ec2_instances"].max() <= SMALL.max_instances
    # The two starting instances (4 slots, 40 requests/s at 100 ms) are swamped at the peak
    assert scaled.ec2_result.percentiles["p99"] > 10 * scaled.lambda_result.percentiles["p99"]
    fixed = run(autoscaling=False, instances=12)
    assert fixed.ec2_result.launches == 12
    assert fixed.ec2_result.wait_percentiles["p99"] < 100
    assert fixed.ec2_result.cost_usd > scaled.ec2_result.cost_usd


def test_cumulative_cost_ends_at_each_designs_bill():
    for result in (run(), run(provisioned=20), run(autoscaling=False, instances=12)):
        t = result.timeline(10)
        assert t["lambda_cost_usd"].iloc[-1] == pytest.approx(result.lambda_result.cost_usd,
                                                              rel=0.02)
        assert t["ec2_cost_usd"].iloc[-1] == pytest.approx(result.ec2_result.cost_usd,
                                                           rel=0.02)
        assert (np.diff(t["lambda_cost_usd"]) >= 0).all()
        assert (np.diff(t["ec2_cost_usd"]) >= 0).all()


def test_provisioned_environments_remove_cold_starts_and_cost_while_idle():
    on_demand = run()
    peak = on_demand.lambda_result.peak_concurrency
    provisioned = run(provisioned=peak + 5)
    assert provisioned.lambda_result.cold_starts == 0
    assert provisioned.lambda_result.provisioned_mask.any()
    # idle provisioned environments are paid for: the first bin already costs more
    t0 = on_demand.timeline(10)["lambda_cost_usd"].iloc[0]
    t1 = provisioned.timeline(10)["lambda_cost_usd"].iloc[0]
    assert t1 > t0


def test_lambda_cost_timeline_spreads_the_enabled_charge_evenly():
    result = run(provisioned=20)
    edges = np.array([0.0, 100.0, 200.0, 300.0])
    with_pc = burst.lambda_cost_timeline(result.lambda_result, edges, provisioned=20)
    assert with_pc.sum() == pytest.approx(result.lambda_result.cost_usd, rel=0.02)
    with pytest.raises(ValueError, match="provisioned=0"):
        burst.lambda_cost_timeline(result.lambda_result, edges, provisioned=0)
    with pytest.raises(ValueError, match="edges_s"):
        burst.lambda_cost_timeline(result.lambda_result, [5.0])


def test_break_even_utilisation_is_the_ratio_of_rates():
    prices = data.lambda_prices()
    for arch in ("arm64", "x86_64"):
        expected = prices.provisioned_usd_per_gb_s[arch] / (
            prices.duration_tiers[arch][0].usd_per_gb_s
            - prices.provisioned_duration_usd_per_gb_s[arch])
        found = burst.provisioned_break_even_utilisation(arch=arch, concurrency=10, hours=2)
        assert found == pytest.approx(expected, abs=1e-4)
    table = burst.provisioned_vs_on_demand([0.1, 0.9])
    assert table.loc[0.1, "cheaper"] == "on demand"
    assert table.loc[0.9, "cheaper"] == "provisioned"
    # cold starts make on-demand dearer, so provisioned pays off sooner
    with_colds = burst.provisioned_break_even_utilisation(init_ms=1000, cold_start_ratio=0.1)
    assert with_colds < burst.provisioned_break_even_utilisation()


def test_break_even_is_none_when_provisioned_never_pays(tmp_path, monkeypatch):
    folder = broken_copy(tmp_path, "lambda_prices.csv",
                         set_value("item", "provisioned_concurrency", "0.001"))
    monkeypatch.setenv(data.DATA_ENV_VAR, str(folder))
    assert burst.provisioned_break_even_utilisation() is None


def test_compare_has_a_row_per_scenario_and_design():
    table = burst.compare({"small": SMALL, "limited": SMALL.with_(concurrency_limit=5)})
    assert list(table.index) == [("small", "Lambda"), ("small", "EC2 Auto Scaling"),
                                 ("limited", "Lambda"), ("limited", "EC2 Auto Scaling")]
    assert table.loc[("limited", "Lambda"), "throttled"] > 0
    assert table.loc[("small", "Lambda"), "throttled"] == 0
    small = run().summary()
    assert table.loc[("small", "EC2 Auto Scaling"), "p99.9 latency (ms)"] == \
        small.loc["p99.9 latency (ms)", "EC2 Auto Scaling"]


@pytest.mark.parametrize("changes, name", [
    ({"instances": 0}, "instances"),
    ({"peak_rate_per_s": 1.0}, "peak_rate_per_s"),
    ({"peak_rate_per_s": 1e6}, "peak_rate_per_s"),
    ({"concurrency_limit": 0}, "concurrency_limit"),
    ({"provisioned": 5000}, "provisioned"),
    ({"warmup_s": -1.0}, "warmup_s"),
    ({"memory_mb": 64}, "memory_mb"),
    ({"window_s": 0}, "window_s"),
])
def test_bad_scenarios_raise_readable_errors(changes, name):
    with pytest.raises(ValueError, match=name):
        burst.run_burst(SMALL.with_(**changes))


def test_with_rejects_unknown_inputs_and_bad_objects():
    with pytest.raises(ValueError, match="colour"):
        SMALL.with_(colour="red")
    with pytest.raises(ValueError, match="scenario"):
        burst.run_burst("big")
    with pytest.raises(ValueError, match="bin_s"):
        run().timeline(0)


def test_plot_has_both_designs_side_by_side():
    import matplotlib.pyplot as plt

    fig = burst.plot_burst(run(concurrency_limit=5), title="t")
    try:
        titles = [ax.get_title() for ax in fig.axes]
        assert "Lambda" in titles
        assert any(title.startswith("EC2 Auto Scaling") for title in titles)
        assert len(fig.axes) == 8  # 3 rows x 2 columns plus two capacity axes
    finally:
        plt.close(fig)


SCENARIOS = {"small": {}, "capped": {"concurrency_limit": 30},
             "provisioned": {"provisioned": 40, "autoscaling": False, "instances": 6},
             "slow fleet": {"warmup_s": 300.0, "instances": 1, "init_ms": 1500.0}}


@pytest.mark.parametrize("changes", SCENARIOS.values(), ids=SCENARIOS)
def test_standard_library_run_equals_the_numpy_run_on_the_same_requests(changes):
    """The live calculator's path (burst_model: engine, lists) against run_burst's."""
    result = run(**changes)
    scenario = SMALL.with_(**changes)
    replayed = burst_model.replay(scenario, result.workload.arrivals_s.tolist(),
                                  result.workload.durations_ms.tolist())
    totals = burst_model.totals(scenario, replayed)
    summary = result.summary()
    assert set(totals) == set(summary.index) - {"answered within 1,000 ms"} | {"answered"}
    for key, pair in totals.items():
        row = summary.loc["answered within 1,000 ms" if key == "answered" else key]
        assert list(pair) == pytest.approx(list(row), rel=1e-9, abs=1e-12), key
    assert replayed.lambda_run.cold == bytearray(result.lambda_result.cold.tobytes())


def test_live_burst_is_the_standard_library_run_of_its_own_draw():
    from ec2vslambda import live

    inputs = {"peak_rate_per_s": 150.0, "hold_s": 60.0, "concurrency_limit": 20}
    shown = live.compute("burst", inputs)
    scenario = burst.DEFAULT.with_(**inputs)
    totals = burst_model.totals(scenario,
                                burst_model.replay(scenario, *burst_model.draw(scenario)))
    numbers = shown["numbers"]
    assert numbers["requests"] == totals["requests"][0] > 0
    assert numbers["lambda_throttled"] == totals["throttled"][0] > 0
    assert numbers["ec2_cost_usd"] == totals["cost (USD)"][1]
    assert f"{totals['throttled'][0]:,} throttled" in shown["summary"]
    too_big = {"peak_rate_per_s": 2000.0, "hold_s": 300.0}
    with pytest.raises(ValueError, match=r"^peak_rate_per_s=2000.0 with hold_s=300.0 makes "
                                         r"about .* requests; allowed: at most 150,000"):
        live.compute("burst", too_big)
    burst.burst_workload(burst.DEFAULT.with_(**too_big))  # the notebook still runs it


def test_standard_library_draw_has_the_scenarios_rates():
    arrivals, durations = burst_model.draw(SMALL)
    expected = burst_workload_size(SMALL)
    assert len(arrivals) == len(durations) == pytest.approx(expected, rel=0.05)
    assert sorted(durations)[len(durations) // 2] == pytest.approx(SMALL.median_duration_ms,
                                                                   rel=0.05)


def burst_workload_size(scenario) -> float:
    return len(burst.burst_workload(scenario))


def test_fleet_for_peak_follows_littles_law():
    durations = burst.burst_workload(SMALL).durations_ms
    assert burst.mean_duration_ms(SMALL) == pytest.approx(durations.mean(), rel=0.03)
    # 120 requests/s x ~113 ms = ~13.6 busy slots; c7g.large has 2 vCPUs -> 6.8 instances
    busy_slots = SMALL.peak_rate_per_s * burst.mean_duration_ms(SMALL) / 1000
    assert burst.fleet_for_peak(SMALL, utilisation=1.0) == math.ceil(busy_slots / 2)
    assert burst.fleet_for_peak(SMALL, utilisation=0.5) == math.ceil(busy_slots / 2 / 0.5)
    sized = run(autoscaling=False, instances=burst.fleet_for_peak(SMALL))
    assert sized.summary().loc["answered within 1,000 ms", "EC2 Auto Scaling"] == 1.0
    with pytest.raises(ValueError, match="utilisation"):
        burst.fleet_for_peak(SMALL, utilisation=0)
