"""Tests for ec2vslambda.power_tuning and its calculator (lab 3)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_data import broken_copy

from ec2vslambda import data, live
from ec2vslambda import power_tuning as pt
from ec2vslambda.widgets import calculator


def set_value(key: str, name: str, value: str):
    """An edit for ``broken_copy``: set ``value`` in the row whose ``key`` column is ``name``."""
    def edit(header, rows):
        for row in rows:
            if row[header.index(key)] == name:
                row[header.index("value")] = value
        return header, rows
    return edit

MB_PER_VCPU = data.limit_value("memory_per_vcpu")
MEMORY_MIN = int(data.limit_value("memory_min"))
MEMORY_MAX = int(data.limit_value("memory_max"))
ONE_VCPU_MB = int(round(MB_PER_VCPU))


def arm64_usd_per_gb_s() -> float:
    return data.lambda_prices().duration_tiers["arm64"][0].usd_per_gb_s


# --- CPU model ------------------------------------------------------------------------------

def test_one_vcpu_at_memory_per_vcpu():
    assert pt.vcpus_at_memory(ONE_VCPU_MB) == pytest.approx(1.0)
    assert pt.vcpus_at_memory(2 * ONE_VCPU_MB) == pytest.approx(2.0)


def test_vcpus_capped_at_vcpu_max(tmp_path, monkeypatch):
    folder = broken_copy(tmp_path, "lambda_limits.csv", set_value("limit", "vcpu_max", "2"))
    monkeypatch.setenv(data.DATA_ENV_VAR, str(folder))
    assert pt.vcpus_at_memory(MEMORY_MAX) == 2.0
    # with the cap at 2 vCPUs, fully parallel code stops speeding up past 2 vCPUs' memory
    assert pt.duration_at_memory_ms(1000, ONE_VCPU_MB, MEMORY_MAX, parallel_fraction=1.0) == \
        pytest.approx(500.0)


def test_single_threaded_scales_below_one_vcpu_and_stops_above():
    half = pt.duration_at_memory_ms(1000, ONE_VCPU_MB, 1024)
    quarter = pt.duration_at_memory_ms(1000, ONE_VCPU_MB, 512)
    assert quarter == pytest.approx(2 * half)
    assert half == pytest.approx(1000 * MB_PER_VCPU / 1024)
    for memory_mb in (ONE_VCPU_MB, 3008, MEMORY_MAX):
        assert pt.duration_at_memory_ms(1000, ONE_VCPU_MB, memory_mb) == pytest.approx(1000)


def test_amdahl_half_parallel_on_two_vcpus():
    # half the work serial (1 vCPU), half spread over 2 vCPUs: 0.5 + 0.25 of the 1-vCPU time
    duration = pt.duration_at_memory_ms(1000, ONE_VCPU_MB, 2 * ONE_VCPU_MB,
                                        parallel_fraction=0.5)
    assert duration == pytest.approx(750.0)


def test_base_memory_returns_base_duration_and_scaling_is_reversible():
    assert pt.duration_at_memory_ms(640, 512, 512, parallel_fraction=0.3) == pytest.approx(640)
    there = pt.duration_at_memory_ms(640, 512, 4096, parallel_fraction=0.3)
    back = pt.duration_at_memory_ms(there, 4096, 512, parallel_fraction=0.3)
    assert back == pytest.approx(640)


@settings(max_examples=60, deadline=None)
@given(p=st.floats(0, 1), low=st.integers(MEMORY_MIN, MEMORY_MAX),
       high=st.integers(MEMORY_MIN, MEMORY_MAX))
def test_more_memory_is_never_slower(p, low, high):
    low, high = sorted((low, high))
    slow = pt.duration_at_memory_ms(1000, ONE_VCPU_MB, low, parallel_fraction=p)
    fast = pt.duration_at_memory_ms(1000, ONE_VCPU_MB, high, parallel_fraction=p)
    assert fast <= slow * (1 + 1e-12)


@pytest.mark.parametrize("kwargs, name", [
    ({"base_duration_ms": -1}, "base_duration_ms"),
    ({"memory_mb": 64}, "memory_mb"),
    ({"base_memory_mb": MEMORY_MAX + 1}, "memory_mb"),
    ({"parallel_fraction": 1.5}, "parallel_fraction"),
    ({"parallel_fraction": float("nan")}, "parallel_fraction"),
])
def test_duration_at_memory_bad_input(kwargs, name):
    args = {"base_duration_ms": 100, "base_memory_mb": 1024, "memory_mb": 2048, **kwargs}
    with pytest.raises(ValueError, match=name):
        pt.duration_at_memory_ms(args.pop("base_duration_ms"), args.pop("base_memory_mb"),
                                 args.pop("memory_mb"), **args)


# --- tuning ---------------------------------------------------------------------------------

def test_cost_is_billed_duration_times_gb_times_price():
    result = pt.tune(333.3, init_ms=120, cold_start_ratio=0.25)
    price = arm64_usd_per_gb_s()
    request_usd = data.lambda_prices().usd_per_million_requests / 1e6
    for _, row in result.table.iterrows():
        warm = math.ceil(row["duration_ms"] - 1e-9)
        cold = math.ceil(row["duration_ms"] + 120 - 1e-9)
        billed = 0.75 * warm + 0.25 * cold
        assert row["billed_duration_ms"] == pytest.approx(billed)
        compute = billed / 1000 * row["memory_mb"] / 1024 * price
        assert row["compute_usd_per_invocation"] == pytest.approx(compute, rel=1e-9)
        assert row["cost_usd_per_invocation"] == pytest.approx(compute + request_usd, rel=1e-9)
        assert row["cost_usd_per_million"] == pytest.approx((compute + request_usd) * 1e6)


def test_x86_costs_more_than_arm64_for_the_same_duration():
    arm = pt.tune(500, arch="arm64").table
    x86 = pt.tune(500, arch="x86_64").table
    assert (x86["compute_usd_per_invocation"] > arm["compute_usd_per_invocation"]).all()


def test_cost_ties_go_to_the_faster_setting():
    # Single-threaded, no INIT: every setting up to one vCPU costs the same GB-s (duration
    # halves as memory doubles) apart from 1 ms rounding, so they tie and the fastest wins.
    settings_mb = (128, 256, 512, 1024, ONE_VCPU_MB, 4096)
    result = pt.tune(987.3, memory_mb=settings_mb)
    assert result.cost_optimal_mb == ONE_VCPU_MB
    # Compared exactly, as Power Tuning does, rounding noise decides instead
    exact = pt.tune(987.3, memory_mb=settings_mb, tie_tolerance=0.0)
    costs = exact.table.set_index("memory_mb")["compute_usd_per_invocation"]
    assert exact.cost_optimal_mb == costs.idxmin()
    assert exact.cost_optimal_mb != ONE_VCPU_MB


def test_speed_ties_go_to_the_cheaper_setting():
    # single-threaded code is no faster above one vCPU: the cheapest of the fastest wins
    result = pt.tune(1000)
    assert result.speed_optimal_mb == ONE_VCPU_MB
    parallel = pt.tune(1000, parallel_fraction=1.0)
    assert parallel.speed_optimal_mb == MEMORY_MAX


def test_billing_init_pushes_the_cheapest_setting_down():
    # INIT takes as long at every size but is billed per GB-s, so it favours small memory
    warm = pt.tune(1000, init_ms=400, cold_start_ratio=0.0, memory_mb=(128, 512, ONE_VCPU_MB))
    cold = pt.tune(1000, init_ms=400, cold_start_ratio=1.0, memory_mb=(128, 512, ONE_VCPU_MB))
    assert warm.cost_optimal_mb == ONE_VCPU_MB
    assert cold.cost_optimal_mb == 128
    row = cold.row(128)
    assert row["billed_duration_ms"] == math.ceil(row["duration_ms"] + 400 - 1e-9)


def test_balanced_weight_ends_are_cheapest_and_fastest():
    result = pt.tune(900, parallel_fraction=0.8, balanced_weight=0.0)
    assert result.balanced_mb == result.speed_optimal_mb
    cheapest = pt.tune(900, parallel_fraction=0.8, balanced_weight=1.0, tie_tolerance=0.0)
    assert cheapest.balanced_mb == cheapest.cost_optimal_mb


def test_balanced_minimises_normalised_score():
    result = pt.tune(900, parallel_fraction=0.8, init_ms=300, cold_start_ratio=0.05,
                     balanced_weight=0.3)
    table = result.table
    score = (0.3 * table["compute_usd_per_invocation"] / table["compute_usd_per_invocation"].max()
             + 0.7 * table["billed_duration_ms"] / table["billed_duration_ms"].max())
    assert result.balanced_mb == table.loc[score.idxmin(), "memory_mb"]


def test_timed_out_settings_are_never_picked():
    timeout_ms = data.limit_value("timeout_max") * 1000
    base_ms = timeout_ms / 2  # at one vCPU; at 128 MB it would run ~14 times longer
    result = pt.tune(base_ms)
    slow = result.row(128)
    assert bool(slow["timed_out"]) and math.isnan(slow["cost_usd_per_million"])
    assert result.cost_optimal_mb != 128 and not result.row(result.cost_optimal_mb)["timed_out"]
    with pytest.raises(ValueError, match="timeout"):
        pt.tune(base_ms, memory_mb=(128, 256))


def test_picks_table_matches_rows():
    result = pt.tune(800, parallel_fraction=0.9)
    picks = result.picks()
    assert list(picks.index) == ["cost", "speed", "balanced"]
    assert picks.loc["speed", "billed_duration_ms"] == result.table["billed_duration_ms"].min()
    with pytest.raises(ValueError, match="memory_mb=777"):
        result.row(777)


@pytest.mark.parametrize("kwargs, name", [
    ({"memory_mb": []}, "memory_mb"),
    ({"memory_mb": [128, 20000]}, "memory_mb"),
    ({"memory_mb": 512}, "memory_mb"),
    ({"arch": "sparc"}, "arch"),
    ({"cold_start_ratio": 2}, "cold_start_ratio"),
    ({"init_ms": -5}, "init_ms"),
    ({"balanced_weight": "high"}, "balanced_weight"),
    ({"tie_tolerance": -0.1}, "tie_tolerance"),
])
def test_tune_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        pt.tune(500, **kwargs)


# --- measurement ----------------------------------------------------------------------------

def test_collatz_total_by_hand():
    # steps for 1..10: 0, 1, 7, 2, 5, 8, 16, 3, 19, 6
    assert pt.collatz_steps_total(10) == 67
    assert pt.collatz_steps_total(1) == 0
    with pytest.raises(ValueError, match="limit"):
        pt.collatz_steps_total(0)


def test_measure_duration_times_the_job():
    calls = []

    def job():
        calls.append(1)
        time.sleep(0.01)

    measured = pt.measure_duration_ms(job, repeats=3)
    assert len(calls) == 3
    assert 10 <= measured < 1000
    with pytest.raises(ValueError, match="job"):
        pt.measure_duration_ms(42)
    with pytest.raises(ValueError, match="repeats"):
        pt.measure_duration_ms(job, repeats=0)


def test_plot_marks_the_picks():
    import matplotlib.pyplot as plt

    result = pt.tune(800, parallel_fraction=0.9)
    fig = pt.plot_tuning(result, title="test")
    try:
        labels = fig.axes[0].get_legend_handles_labels()[1]
        assert f"speed: {result.speed_optimal_mb} MB" in labels
        assert f"cost: {result.cost_optimal_mb} MB" in labels
        assert len(fig.axes) == 2
    finally:
        plt.close(fig)


# --- calculator -----------------------------------------------------------------------------

def test_calculator_shows_errors_and_updates():
    calc = calculator("power_tuning")
    controls = calc.controls_by_key
    controls["parallel_fraction"].value = 1.0
    assert f"fastest {MEMORY_MAX:,} MB" in calc.message.value
    assert len(calc.output.outputs) == 2  # the table and the figure

    controls["base_duration_ms"].value = -5.0
    note = calc.notes_by_key["base_duration_ms"]
    assert "base_duration_ms=-5.0 is out of range" in note.value
    assert "Traceback" not in note.value
    assert len(calc.output.outputs) == 2  # the last good result stays

    controls["base_duration_ms"].value = 400.0
    controls["parallel_fraction"].value = 0.0
    assert note.value == ""
    assert f"fastest {ONE_VCPU_MB:,} MB" in calc.message.value
    controls["cold_start_ratio"].value = 1.5
    assert "cold_start_ratio=1.5 is out of range" in calc.notes_by_key["cold_start_ratio"].value


def test_static_text_form_says_how_to_go_live():
    text = repr(calculator("power_tuning"))
    assert text.startswith("[Live calculator: Power tuning")
    assert "Colab" in text


def test_the_live_result_is_the_models_run():
    result = live.compute("power_tuning", {"parallel_fraction": 0.9})
    tuned = pt.tune(**{**pt.REFERENCE, "parallel_fraction": 0.9})
    assert result["numbers"]["speed"] == tuned.speed_optimal_mb == MEMORY_MAX
    assert result["summary"].startswith(f"Cheapest {tuned.cost_optimal_mb:,} MB")


def test_scaling_table_columns_follow_the_model():
    table = pt.scaling_table(1000, [0, 0.5, 1], memory_mb=(512, ONE_VCPU_MB, 2 * ONE_VCPU_MB))
    assert list(table.columns) == ["p=0", "p=0.5", "p=1"]
    assert list(table.index) == [512, ONE_VCPU_MB, 2 * ONE_VCPU_MB]
    assert table.loc[2 * ONE_VCPU_MB, "p=0.5"] == pytest.approx(750.0)
    assert table.loc[2 * ONE_VCPU_MB, "p=0"] == pytest.approx(1000.0)
    assert table.loc[512, "p=1"] == pytest.approx(table.loc[512, "p=0"])
    with pytest.raises(ValueError, match="parallel_fractions"):
        pt.scaling_table(1000, [])
    with pytest.raises(ValueError, match="parallel_fraction"):
        pt.scaling_table(1000, [2])


def test_summary_table_names_the_picks():
    result = pt.tune(800, parallel_fraction=0.9)
    table = result.summary_table()
    assert list(table.index) == list(result.table["memory_mb"])
    assert "speed" in table.loc[result.speed_optimal_mb, "picked for"]
    assert "cost" in table.loc[result.cost_optimal_mb, "picked for"]
    named = table["picked for"].str.len() > 0
    assert set(table.index[named]) == {result.cost_optimal_mb, result.speed_optimal_mb,
                                       result.balanced_mb}
    slow = pt.tune(data.limit_value("timeout_max") * 500).summary_table()
    assert slow.loc[128, "picked for"] == "timed out"


def test_compare_picks_runs_tune_once_per_value():
    table = pt.compare_picks("cold_start_ratio", [0.0, 1.0], init_ms=400,
                             memory_mb=(128, 512, ONE_VCPU_MB))
    assert list(table.index) == [0.0, 1.0]
    assert table.loc[0.0, "cheapest (MB)"] == ONE_VCPU_MB
    assert table.loc[1.0, "cheapest (MB)"] == 128
    direct = pt.tune(**{**pt.REFERENCE, "init_ms": 400, "cold_start_ratio": 1.0,
                        "memory_mb": (128, 512, ONE_VCPU_MB)})
    assert table.loc[1.0, "USD per million at cheapest"] == pytest.approx(
        direct.row(128)["cost_usd_per_million"], abs=1e-4)
    with pytest.raises(ValueError, match="name="):
        pt.compare_picks("colour", [1])
    with pytest.raises(ValueError, match="values"):
        pt.compare_picks("init_ms", [])


def test_speed_ranks_by_the_unrounded_duration_like_power_tuning():
    """799.34 ms and 800 ms both bill as 800 ms; the faster setting is still the faster one."""
    result = pt.tune(800, parallel_fraction=0.001, memory_mb=(1769, 10240))
    fast, slow = result.row(10240), result.row(1769)
    assert fast["mean_duration_ms"] == pytest.approx(799.34, abs=0.01)
    assert fast["billed_duration_ms"] == slow["billed_duration_ms"] == 800
    assert result.speed_optimal_mb == 10240
    assert result.cost_optimal_mb == 1769  # the same billed time at less memory costs less
