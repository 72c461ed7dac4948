"""The live layer in CPython: every calculator's inputs -> result function, and its contract.

The same functions run in the reader's browser on Pyodide (tests/test_live_browser.py checks that
the browser's answers equal these). Here: each calculator computes its defaults, its result is
plain JSON (no NaN), bad input raises the package's message, and the modules the browser loads
import nothing the browser lacks.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from ec2vslambda import coldstarts, latency, limits, live
from ec2vslambda.validation import InputError
from tests.browser_imports import browser_import_problems

ROOT = Path(__file__).resolve().parent.parent
NAMES = live.names()


def test_every_calculator_is_registered_and_named_consistently():
    assert len(NAMES) >= 4
    for name in NAMES:
        calc = live.calculator(name)
        assert calc.name == name
        assert calc.title and calc.fields
        assert live.spec(name)["fields"][0]["key"] == calc.fields[0].key


@pytest.mark.parametrize("name", NAMES)
def test_defaults_compute_to_plain_json(name):
    result = live.compute(name)
    text = json.dumps(result, allow_nan=False)  # raises on NaN or infinity
    assert json.loads(text) == result
    assert set(result) == {"title", "summary", "numbers", "table", "chart"}
    assert result["summary"].strip()
    if result["table"]:
        widths = {len(row) for row in result["table"]["rows"]}
        assert widths <= {len(result["table"]["columns"])}
        assert all(isinstance(cell, str) for row in result["table"]["rows"] for cell in row)
        assert not any("nan" == cell.lower() for row in result["table"]["rows"] for cell in row)
    if result["chart"]:
        chart = result["chart"]
        assert chart["kind"] in ("line", "hbar", "timeline")
        for line in chart.get("series", ()):
            assert len(line["x"]) == len(line["y"]) > 0


@pytest.mark.parametrize("name", NAMES)
def test_same_inputs_same_result(name):
    assert live.compute(name) == live.compute(name, live.calculator(name).defaults)


@pytest.mark.parametrize("name", NAMES)
def test_an_unknown_input_is_named(name):
    with pytest.raises(InputError, match=rf"inputs='colour' is not an input of the {name} "
                                         "calculator; allowed: "):
        live.compute(name, {"colour": "blue"})


@pytest.mark.parametrize("name", NAMES)
def test_every_field_rejects_a_wrong_type_with_its_name(name):
    for field in live.calculator(name).fields:
        wrong = "not-a-value" if field.kind != "flag" else "yes"
        with pytest.raises(ValueError, match=rf"^{field.key}="):
            live.compute(name, {field.key: wrong})


def test_unknown_calculator():
    with pytest.raises(ValueError, match="name='nope' is not allowed; allowed: fit_checker"):
        live.compute("nope")


def test_whole_numbers_sent_as_floats_are_accepted_and_halves_are_not():
    assert live.compute("fit_checker", {"peak_concurrency": 40.0}) == live.compute("fit_checker")
    with pytest.raises(InputError, match="peak_concurrency=2.5 is not a whole number; allowed: "
                                         "whole numbers 1 to 1,000,000,000,000,000"):
        live.compute("fit_checker", {"peak_concurrency": 2.5})


@pytest.mark.parametrize("module", sorted((ROOT / "ec2vslambda" / "live").glob("*.py")),
                         ids=lambda p: p.name)
def test_live_modules_import_only_what_the_browser_has(module):
    """Each live module and every package module it imports, transitively, at import time."""
    problems = browser_import_problems(module)
    assert not problems, problems


def test_placeholder_names_the_calculator_and_its_checked_inputs():
    html = live.placeholder_html("tail_latency", {"cold_percent": 5})
    assert 'data-calculator="tail_latency"' in html and "&quot;cold_percent&quot;: 5" in html
    with pytest.raises(ValueError, match="inputs='cold' is not an input"):
        live.placeholder_html("tail_latency", {"cold": 5})


def test_money_and_dash():
    assert live.money(0.8) == "$0.80"
    assert live.money(1234.5) == "$1,234.50"
    assert live.money(0.0042) == "$0.0042"
    assert live.money(None) == live.money(math.nan) == "—"
    assert live.dash(None) == "—" and live.dash(1500) == "1,500"


def test_result_drops_nan_from_numbers_and_charts():
    out = live.result("t", "s", numbers={"x": math.nan, "y": [1.0, math.inf]})
    assert out["numbers"] == {"x": None, "y": [1.0, None]}


# --- each calculator against the model it wraps ----------------------------------------------

def test_fit_checker_defaults_are_the_video_job():
    from ec2vslambda.live import fit_checker

    result = live.compute("fit_checker")
    broken = limits.check_workload(fit_checker.DEFAULT_NEEDS)
    assert result["table"]["rows"] == limits.violation_rows(broken)
    assert result["summary"] == "Breaks 2 Lambda limits: timeout, memory."
    fits = live.compute("fit_checker", {"duration_ms": 100, "memory_mb": 128, "tmp_mb": 0})
    assert fits["summary"] == "Fits Lambda: no limit is broken." and fits["table"]["rows"] == []


def test_fit_checker_latency_target_counts_only_when_someone_waits():
    inputs = {"duration_ms": 200, "memory_mb": 1024, "tmp_mb": 0, "latency_target_ms": 300,
              "init_ms": 500}
    assert live.compute("fit_checker", inputs)["numbers"]["fits"] is True
    waits = live.compute("fit_checker", {**inputs, "has_latency_target": True})
    assert waits["numbers"]["broken"] == ["latency"]


def test_fit_checker_messages_are_the_models():
    with pytest.raises(ValueError, match=r"^duration_ms=-5 is out of range; allowed: 0 to "
                                         r"2,628,000,000"):
        live.compute("fit_checker", {"duration_ms": -5})
    with pytest.raises(ValueError, match=r"^peak_concurrency=0 is out of range"):
        live.compute("fit_checker", {"peak_concurrency": 0})


def test_tail_latency_uses_the_measured_floor_plus_extra_init():
    result = live.compute("tail_latency", {"cold_percent": 3, "runtime": "java21",
                                           "arch": "x86_64", "memory_mb": 1024,
                                           "extra_init_ms": 500, "warm_ms": 80})
    floor = coldstarts.init_ms("java21", "x86_64", 1024)
    expected = latency.tail_latency(0.03, floor + 500, 80)
    assert result["numbers"]["floor_init_ms"] == floor
    assert result["numbers"]["p99_ms"] == expected.percentiles_ms[99]
    no_cold = latency.tail_latency(0, floor + 500, 80).percentiles_ms[99]
    assert result["table"]["rows"][2] == ["p99", f"{no_cold:,.1f}",
                                          f"{expected.percentiles_ms[99]:,.1f}"]
    assert f"p99 {expected.percentiles_ms[99]:,.1f} ms" in result["summary"]
    p99 = next(s for s in result["chart"]["series"] if s["label"] == "p99")
    assert p99["y"][-1] > p99["y"][0]  # more cold starts, slower tail


def test_tail_latency_rejects_a_share_over_100_percent_and_unmeasured_memory():
    with pytest.raises(ValueError, match=r"^cold_percent=150 is out of range; allowed: 0 to 100"):
        live.compute("tail_latency", {"cold_percent": 150})
    with pytest.raises(ValueError, match="memory_mb=2048 is not allowed"):
        live.compute("tail_latency", {"memory_mb": 2048})


def test_power_tuning_is_the_models_run():
    from ec2vslambda import power_tuning as pt

    result = live.compute("power_tuning", {"parallel_fraction": 0.9})
    tuned = pt.tune(**{**pt.REFERENCE, "parallel_fraction": 0.9, "arch": "arm64",
                       "balanced_weight": pt.BALANCED_WEIGHT})
    assert result["numbers"] == {"cost": tuned.cost_optimal_mb, "speed": tuned.speed_optimal_mb,
                                 "balanced": tuned.balanced_mb}
    assert [row[0] for row in result["table"]["rows"]] == [f"{m:,}" for m in pt.DEFAULT_MEMORY_MB]
    assert result["table"]["rows"][0][4] == live.money(tuned.rows[0]["cost_usd_per_million"])
    with pytest.raises(ValueError, match=r"^parallel_fraction=2 is out of range; allowed: 0 to 1"):
        live.compute("power_tuning", {"parallel_fraction": 2})


def test_power_tuning_shows_a_timed_out_setting_as_a_dash():
    result = live.compute("power_tuning", {"base_duration_ms": 400_000})
    first = result["table"]["rows"][0]  # 128 MB: 400 s at one vCPU is over 15 minutes here
    assert first[3] == "—" and first[4] == "—" and first[5] == "timed out"


def test_thumbnail_cost_is_monthly_costs():
    from ec2vslambda import pricing
    from ec2vslambda.upload_costs import monthly_costs

    inputs = {"uploads_per_month": 3_000_000, "warm_ms": 80, "init_ms": 700, "memory_mb": 1024,
              "keep_alive_min": 5, "instance_type": "t4g.small"}
    result = live.compute("thumbnail_cost", inputs)
    expected = monthly_costs([3_000_000], duration_ms=80, init_ms=700, memory_mb=1024,
                             instance_type="t4g.small", keep_alive_s=300)[0]
    assert result["numbers"]["lambda_usd"] == expected["lambda_usd"]
    assert result["numbers"]["ec2_usd"] == pytest.approx(pricing.ec2_monthly_usd("t4g.small"))
    assert result["table"]["rows"][0][2] == live.money(expected["lambda_usd"])
    assert len(result["chart"]["series"][0]["x"]) == 61


def test_thumbnail_cost_flags_an_instance_that_cannot_keep_up():
    # a 2-vCPU instance does at most 2 x 730 h x 3600 s / 0.5 s ~ 10.5M half-second jobs a month
    busy = live.compute("thumbnail_cost", {"uploads_per_month": 50_000_000, "warm_ms": 500})
    assert busy["numbers"]["ec2_busy_share"] > 1 and "could not keep up" in busy["summary"]
    assert any("full capacity" in m["label"] for m in busy["chart"]["vlines"])
    small = live.compute("thumbnail_cost", {"uploads_per_month": 10_000})
    assert "Lambda is cheaper" in small["summary"]
    with pytest.raises(ValueError, match=r"^memory_mb=50 is out of range"):
        live.compute("thumbnail_cost", {"memory_mb": 50})
    with pytest.raises(ValueError, match=r"^keep_alive_min=-1 is out of range"):
        live.compute("thumbnail_cost", {"keep_alive_min": -1})


def test_idle_capacity_splits_the_fleet_bill_by_its_busy_share():
    from ec2vslambda import pricing

    inputs = {"requests_per_month": 3_000_000, "duration_ms": 200, "instance_type": "t4g.small",
              "instances": 2}
    result = live.compute("idle_capacity", inputs)
    fleet = pricing.ec2_monthly_usd("t4g.small", count=2)
    capacity = pricing.ec2_capacity_requests("t4g.small", 200, count=2)
    n = result["numbers"]
    assert n["ec2_usd"] == pytest.approx(fleet)
    assert n["busy_share"] == pytest.approx(3_000_000 / capacity)
    assert n["idle_usd"] == pytest.approx(fleet * (1 - 3_000_000 / capacity))
    assert n["lambda_usd"] == pricing.lambda_cost(3_000_000, 200, 512, arch="arm64").total_usd
    assert [b["value"] for b in result["chart"]["bars"]] == pytest.approx(
        [fleet - n["idle_usd"], n["idle_usd"], n["lambda_usd"]])


def test_idle_capacity_says_when_the_fleet_cannot_carry_the_load():
    result = live.compute("idle_capacity", {"requests_per_month": 2e8, "instances": 1})
    assert "cannot carry this load" in result["summary"] and result["numbers"]["busy_share"] > 1
    assert result["numbers"]["idle_usd"] == 0
    more = live.compute("idle_capacity", {"requests_per_month": 2e8, "instances": 1,
                                          "concurrency_per_instance": 50})
    assert "pays for idle capacity" in more["summary"]  # I/O-bound: many requests at once
    with pytest.raises(ValueError, match=r"^instances=0 is out of range"):
        live.compute("idle_capacity", {"instances": 0})


def test_lifecycle_reuses_warm_environments_and_starts_cold_after_the_keep_alive():
    result = live.compute("lifecycle")  # 6 arrivals of 2, a 12-minute pause after the third
    n = result["numbers"]
    assert n["requests"] == 12 and n["environments"] == 4 and n["cold_starts"] == 4
    starts = [row[3] for row in result["table"]["rows"]]
    assert starts == ["cold", "cold", "warm", "warm", "warm", "warm"] * 2
    longer = live.compute("lifecycle", {"keep_alive_min": 15})  # the pause no longer expires it
    assert longer["numbers"]["environments"] == 2 and longer["numbers"]["cold_starts"] == 2


def test_lifecycle_bills_init_on_cold_starts_only():
    from ec2vslambda import pricing

    result = live.compute("lifecycle", {"duration_ms": 400, "init_ms": 600})
    n = result["numbers"]
    assert n["billed_ms"] == 12 * 400 + 4 * 600 and n["init_billed_ms"] == 4 * 600
    expected = pricing.lambda_cost(12, 400, 512, init_ms=600, cold_start_ratio=4 / 12,
                                   free_tier=False).total_usd
    assert n["cost_usd"] == pytest.approx(expected)
    lanes = result["chart"]["lanes"]
    assert lanes == ["env 1", "env 2", "env 3", "env 4"]
    assert {s["phase"] for s in result["chart"]["segments"]} == {"init", "invoke", "frozen"}
    assert len(result["chart"]["marks"]) == 4  # every environment shut down when idle


def test_lifecycle_pauses_halfway_and_one_field_turns_the_pause_off():
    arrives = {}
    for pause in (12, 0):
        rows = live.compute("lifecycle", {"arrivals": 4, "requests_per_arrival": 1, "gap_s": 10,
                                          "pause_min": pause})["table"]["rows"]
        arrives[pause] = [float(row[1].replace(",", "")) for row in rows]
    assert arrives[12] == [0.0, 10.0, 10.0 + 12 * 60, 20.0 + 12 * 60]  # after arrival 2 of 4
    assert arrives[0] == [0.0, 10.0, 20.0, 30.0]
    assert "pause_after" not in {f.key for f in live.calculator("lifecycle").fields}


def test_lifecycle_concurrent_requests_need_their_own_environments():
    burst = live.compute("lifecycle", {"arrivals": 10, "requests_per_arrival": 1, "gap_s": 0.2,
                                       "pause_min": 0})
    assert burst["numbers"]["environments"] == 5  # each busy 1 s (INIT + run), one every 0.2 s
    with pytest.raises(InputError, match="^arrivals=150 makes more requests than the timeline "
                                         "shows; allowed: whole numbers 1 to 100$") as caught:
        live.compute("lifecycle", {"arrivals": 150, "requests_per_arrival": 2})
    assert caught.value.involves == ("requests_per_arrival",)


@pytest.mark.parametrize("name", NAMES)
def test_a_refused_value_names_the_input_the_reader_changed(name):
    """So the page can put the message next to that control, the error names the field's key
    (not the name of some model parameter it feeds)."""
    fields = live.calculator(name).fields
    numbers = [f for f in fields if f.kind in ("number", "integer")]
    assert all(f.minimum is not None for f in numbers), "every range is declared"
    assert numbers or any(f.kind == "file" for f in fields), "a calculator of nothing"
    for field in numbers:
        with pytest.raises(InputError) as caught:
            live.compute(name, {field.key: field.minimum - 1})
        assert caught.value.name == field.key, (
            f"{name}: {field.key}={field.minimum - 1} is refused as {caught.value}")


def test_keepalive_formula_matches_the_simulator_on_poisson_traffic():
    from ec2vslambda import simulate, workloads

    result = live.compute("keepalive", {"rate_per_hour": 12, "keep_alive_min": 10})
    stream = workloads.poisson(12 / 3600, 7 * 86_400, duration_ms=100.0, seed=3)
    run = simulate.simulate_lambda(stream.arrivals_s, stream.durations_ms, keep_alive_s=600,
                                   memory_mb=512, with_cost=False)
    assert result["numbers"]["cold_start_share"] == pytest.approx(run.cold_start_ratio,
                                                                  abs=0.02)
    simulated_gb_h_per_day = run.idle_gb_s / 3600 / 7
    assert result["numbers"]["idle_gb_h_per_day"] == pytest.approx(simulated_gb_h_per_day,
                                                                   rel=0.05)
    assert [r[0] for r in result["table"]["rows"]].count("10 (yours)") == 1


def test_keepalive_simulator_is_the_compiled_simulators_run_on_the_same_requests():
    import numpy as np

    from ec2vslambda import simulate, streams
    from ec2vslambda.live import keepalive_sim

    inputs = {"shape": "bursty", "rate_per_hour": 40, "keep_alive_min": 5, "duration_ms": 800.0,
              "init_ms": 300.0, "memory_mb": 1024, "seed": 4}
    result = live.compute("keepalive_sim", inputs)
    arrivals = np.array(streams.shaped_arrivals("bursty", 40, keepalive_sim.HOURS, seed=4))
    run = simulate.simulate_lambda(arrivals, np.full(arrivals.size, 800.0), keep_alive_s=300,
                                   init_ms=300, memory_mb=1024, arch="x86_64", free_tier=False)
    numbers = result["numbers"]
    assert numbers["requests"] == arrivals.size > 0
    assert numbers["cold_starts"] == run.cold_starts
    assert numbers["idle_gb_h"] == pytest.approx(run.idle_gb_s / 3600, rel=1e-9)
    assert numbers["p99_ms"] == pytest.approx(run.percentiles["p99"])
    assert numbers["cost_usd"] == pytest.approx(run.cost_usd, rel=1e-9)
    shares = [float(row[2].rstrip("%")) for row in result["table"]["rows"]]
    assert shares == sorted(shares, reverse=True)  # a longer window never adds cold starts
    assert [row[0] for row in result["table"]["rows"]].count("5 (yours)") == 1


def test_keepalive_simulator_follows_the_formula_on_random_traffic():
    from ec2vslambda import keepalive

    result = live.compute("keepalive_sim", {"rate_per_hour": 600, "keep_alive_min": 0.2})
    expected = keepalive.poisson_cold_start_ratio(600 / 3600, 12)
    assert result["numbers"]["cold_start_share"] == pytest.approx(expected, abs=0.02)


def test_keepalive_simulator_refuses_more_than_a_day_it_replays_quickly():
    from ec2vslambda.live import keepalive_sim

    too_many = int(keepalive_sim.MAX_REQUESTS_PER_DAY // keepalive_sim.HOURS * 2)
    with pytest.raises(InputError, match=rf"^rate_per_hour={too_many} is out of range; "
                                         "allowed: 0.1 to 1,000$"):
        live.compute("keepalive_sim", {"rate_per_hour": too_many})


def test_workload_is_the_report_of_a_sample_or_of_the_files_read_in_the_page(tmp_path):
    from ec2vslambda.traffic import read, report, samples

    expected = report(read(*samples.paths("lambda-text")))
    shown = live.compute("workload", {"file": "lambda-text"})
    assert shown["summary"] == expected["summary"] and shown["chart"] == expected["chart"]
    assert shown["table"]["rows"] == expected["table"]["rows"]
    copy = tmp_path / "mine.log"
    copy.write_bytes(samples.paths("lambda-text")[0].read_bytes())
    read_in_page = [{"name": "mine.log", "size": copy.stat().st_size, "path": str(copy)}]
    assert live.compute("workload", {"file": read_in_page}) == shown


def test_workload_refuses_a_bad_file_with_the_readers_message_and_a_big_one_by_size(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n")
    files = [{"name": "notes.txt", "size": 6, "path": str(bad)}]
    with pytest.raises(InputError, match=r"^file='notes.txt' cannot be read: notes.txt: is in "
                                         r"no format read here") as caught:
        live.compute("workload", {"file": files})
    assert caught.value.name == "file"
    big = [{"name": "big.log", "size": live.MAX_FILE_BYTES + 1, "path": str(bad)}]
    with pytest.raises(InputError, match=r"^file='big.log' is 100 MB, more than a page reads; "
                                         r"allowed: files up to 100 MB here; on your computer, "
                                         r"`python -m ec2vslambda workload FILE`"):
        live.compute("workload", {"file": big})
    assert f"{live.MAX_FILE_BYTES / 1e6:,.0f} MB" in live.calculator("workload").fields[0] \
        .allowed.text  # the sentence says the cap the code applies
