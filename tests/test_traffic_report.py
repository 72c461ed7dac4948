"""The workload report: profile arithmetic, the replay against the simulator, the bills against
the decision guide, what the source recorded beside the replay, the bounded replay's sample,
what-ifs, bad input, plain JSON, every word looked up, and the browser's imports."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from ec2vslambda import data, decide, simulate, workloads
from ec2vslambda.traffic import (
    FORMATS,
    Period,
    Request,
    from_periods,
    from_requests,
    read,
    report,
    samples,
)
from ec2vslambda.traffic.layout import FORMAT_LABELS, report_text, table_frame
from ec2vslambda.traffic.profiling import percentile
from ec2vslambda.traffic.replay_engine import plan as _plan
from ec2vslambda.traffic.report import _fleet_type, _scale
from ec2vslambda.validation import InputError
from ec2vslambda.words import speaking
from tests.browser_imports import browser_import_problems
from tests.test_words import _english_left, _pseudo_catalogue

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = samples.folder()
T0 = datetime(2026, 3, 2, 8, 0, 20, tzinfo=UTC).timestamp()


def per_request(workload: workloads.Workload, **fields):
    return from_requests("csv", [Request(T0 + a, d, key=str(i), **fields) for i, (a, d) in
                                 enumerate(zip(workload.arrivals_s.tolist(),
                                               workload.durations_ms.tolist(), strict=True))],
                         skipped={}, sources=["w.csv"])


def per_minute(counts, duration_ms=120.0, start=T0 - 20):
    periods = [Period(start + 60 * m, 60, n, duration_ms) for m, n in enumerate(counts)]
    return from_periods("metric-data", periods, skipped={}, sources=["m.json"])


@pytest.fixture(scope="module")
def day():
    return workloads.diurnal(0.5, 6 * 3600.0, duration_ms=workloads.LogNormalMs(150, 0.6),
                             seed=7)


@pytest.fixture(scope="module")
def day_report(day):
    return report(per_request(day))


def test_the_report_is_plain_json_and_the_same_every_time(day):
    first = report(per_request(day))
    text = json.dumps(first, allow_nan=False)
    assert json.loads(text) == first
    assert report(per_request(day)) == first
    aggregated = report(per_minute([3, 0, 5, 2] * 30))
    json.dumps(aggregated, allow_nan=False)
    assert sorted(first) == ["chart", "charts", "notes", "numbers", "reasons", "summary",
                             "table", "tables", "title"]


def test_the_profile_is_littles_law_per_minute_and_scaled_to_730_hours():
    counts = [6, 0, 0, 12, 6, 0]
    result = report(per_minute(counts, duration_ms=500.0), what_ifs=False)
    n = result["numbers"]
    assert n["invocations"] == 24 and n["minutes"] == 6
    assert n["monthly_invocations"] == pytest.approx(24 * 730 * 60 / 6)
    assert n["mean_duration_ms"] == pytest.approx(500.0)
    # 24 requests of 0.5 s in 6 minutes keep 12 s / 360 s busy; the busiest minute 6 s / 60 s
    assert n["average_concurrency"] == pytest.approx(12 / 360)
    assert n["peak_minute_concurrency"] == pytest.approx(0.1)
    assert n["regularity"] == pytest.approx((12 / 360) / 0.1)
    assert n["idle_share"] == pytest.approx(3 / 6)


def test_per_request_traffic_replays_its_real_arrivals_in_the_simulator(day, day_report):
    run = simulate.simulate_lambda(day.arrivals_s, day.durations_ms, keep_alive_s=600,
                                   init_ms=day_report["numbers"]["init_ms"])
    n = day_report["numbers"]
    assert n["replay_whole"] and n["counted_requests"] == len(day)
    assert n["cold_starts"] == run.cold_starts
    assert n["p99_ms"] == pytest.approx(run.percentiles["p99"])
    assert n["p50_ms"] == pytest.approx(run.percentiles["p50"])
    assert n["peak_concurrency"] == run.peak_concurrency
    assert n["throttled"] == 0 and n["concurrency_limit"] == data.limit_value(
        "concurrency_default")


def test_every_bill_is_the_decision_guides_for_the_replayed_workload(day, day_report):
    n = day_report["numbers"]
    workload = decide.Workload(
        requests_per_month=n["monthly_invocations"], duration_ms=n["mean_duration_ms"],
        peak_concurrency=n["peak_in_flight"], memory_mb=n["memory_mb"], arch=n["arch"],
        init_ms=n["init_ms"], cold_start_fraction=n["cold_start_share"])
    rec = decide.decide(workload)
    assert n["options_monthly_usd"] == {o.option: o.monthly_usd for o in rec.options}
    assert n["choice"] == rec.choice and day_report["reasons"] == [r.text for r in rec.reasons]
    assert len(day_report["table"]["rows"]) == len(decide.OPTIONS)
    assert day_report["tables"]["bill"]["rows"] == day_report["table"]["rows"]


def test_aggregated_traffic_is_spread_inside_its_minutes_with_the_minutes_duration():
    counts = [40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25]
    one = report(per_minute(counts, duration_ms=80.0), keep_alive_s=600, what_ifs=False)
    other_seed = report(per_minute(counts, duration_ms=80.0), keep_alive_s=600, what_ifs=False,
                        seed=1)
    n = one["numbers"]
    assert n["counted_requests"] == 65 and n["p50_ms"] == pytest.approx(80.0)
    # twelve idle minutes outlive a 600 s keep-alive: the second burst starts cold again
    assert n["cold_starts"] >= 2
    assert other_seed["numbers"]["counted_requests"] == 65
    assert "Per-minute data hides bursts" in " ".join(one["notes"])


def test_a_recorded_cold_start_stands_beside_the_replayed_one(day):
    run = simulate.simulate_lambda(day.arrivals_s, day.durations_ms, keep_alive_s=300,
                                   init_ms=400.0)
    requests = [Request(T0 + a, d, cold=bool(c), init_ms=400.0 if c else 0.0, memory_mb=512,
                        key=str(i))
                for i, (a, d, c) in enumerate(zip(day.arrivals_s.tolist(),
                                                  day.durations_ms.tolist(), run.cold.tolist(),
                                                  strict=True))]
    result = report(from_requests("lambda-report", requests, skipped={}, sources=["r.log"]),
                    keep_alive_s=300, what_ifs=False)
    n = result["numbers"]
    assert n["init_ms"] == pytest.approx(400.0) and n["memory_mb"] == 512
    assert n["recorded_cold_start_share"] == pytest.approx(run.cold_starts / len(day))
    assert n["recorded_init_ms"] == pytest.approx(400.0)
    # the same rules, the same arrivals and INIT: the replay finds what was recorded
    assert n["cold_start_share"] == pytest.approx(n["recorded_cold_start_share"])
    assert n["recorded_p99_ms"] == pytest.approx(n["p99_ms"])
    cold_row = result["tables"]["recorded"]["rows"][0]
    assert cold_row[1] == cold_row[2]


def test_without_a_record_of_cold_starts_init_comes_from_the_measured_floor(day_report):
    assert day_report["tables"]["recorded"] is None
    assert day_report["numbers"]["recorded_cold_start_share"] is None
    init_row = day_report["tables"]["replay"]["rows"][3]
    assert "hello-world python3.13" in init_row[1]


def test_plan_replays_everything_that_fits_and_samples_the_rest():
    counts = [10] * 600 + [500] + [10] * 599  # 20 hours, one busy minute in hour 10
    whole = _plan(counts, 100_000, 10)
    assert whole.whole and whole.windows == ((0, 1200),)
    plan = _plan(counts, 2_000, 10)
    assert not plan.whole and plan.window_minutes == 60
    assert (600, 660) in plan.windows  # the busiest hour is one of the windows
    starts = [a for a, _b in plan.windows]
    assert all(b - a == plan.stride * 60 for a, b in zip(starts, starts[1:], strict=False))
    prefix = np.concatenate([[0], np.cumsum(counts)])
    assert sum(prefix[b] - prefix[a] for a, b in plan.intervals) <= 2_000
    for a, b in plan.windows:  # each counted window is replayed with its warm-up before it
        assert any(lo <= max(0, a - 10) and b <= hi for lo, hi in plan.intervals)
    tiny = _plan(counts, 1_000, 10)  # the busiest hour alone is over 1,000: shorter windows
    assert tiny.window_minutes == 10 and (600, 610) in tiny.windows


def test_a_sampled_replay_says_so_and_keeps_the_busiest_window():
    counts = [30] * 1440
    counts[900] = 3000
    full = report(per_minute(counts, duration_ms=200.0), what_ifs=False)
    sampled = report(per_minute(counts, duration_ms=200.0), what_ifs=False,
                     replay_requests=5_000)
    assert full["numbers"]["replay_whole"] and not sampled["numbers"]["replay_whole"]
    assert sampled["numbers"]["counted_requests"] < 5_000
    assert sampled["numbers"]["peak_in_flight"] == full["numbers"]["peak_in_flight"]
    assert "the busiest included" in sampled["tables"]["replay"]["rows"][0][1]


def test_what_ifs_change_memory_architecture_and_keep_alive(day, day_report):
    table = day_report["tables"]["what_if"]
    labels = [row[0] for row in table["rows"]]
    assert labels == ["as read", "memory 512 MB", "memory 2,048 MB", "architecture arm64",
                      "keep-alive 60 s", "keep-alive 1,800 s"]
    usd = day_report["numbers"]["what_if_monthly_usd"]
    assert usd["as read"] == day_report["numbers"]["monthly_usd"]
    cold = {row[0]: float(row[2].rstrip("%")) for row in table["rows"]}
    assert cold["keep-alive 60 s"] > cold["as read"] >= cold["keep-alive 1,800 s"]
    # a CPU-bound request runs half as long with twice the memory (below one vCPU)
    assert _scale(512, 1024, 1.0) == pytest.approx(0.5)
    assert _scale(512, 1024, 0.0) == 1.0


def test_stdlib_percentile_is_numpys_linear_one():
    values = np.random.default_rng(3).lognormal(4, 1, 1001).tolist()
    for q in (0, 50, 99, 100):
        assert percentile(values, q) == pytest.approx(np.percentile(values, q))
    assert percentile([], 50) == 0.0


@pytest.mark.parametrize(("changes", "name"), [
    (dict(memory_mb=64), "memory_mb"), (dict(region="mars-1"), "region"),
    (dict(arch="sparc"), "arch"), (dict(keep_alive_s=-1), "keep_alive_s"),
    (dict(duration_ms=0), "duration_ms"), (dict(replay_requests=10), "replay_requests"),
    (dict(front_door="carrier pigeon"), "front_door"), (dict(runtime="cobol"), "runtime"),
])
def test_bad_input_names_the_parameter(changes, name):
    traffic = per_minute([3, 4], duration_ms=None if name == "runtime" else 50.0)
    with pytest.raises(InputError) as caught:
        report(traffic, **({"duration_ms": 50.0} if name == "runtime" else {}), **changes)
    assert caught.value.name == name


def test_traffic_without_durations_asks_for_duration_ms():
    with pytest.raises(InputError, match=r"duration_ms=None is needed: the metric-data source "
                                         r"records no durations"):
        report(per_minute([3, 4], duration_ms=None))
    assert report(per_minute([3, 4], duration_ms=None), duration_ms=75.0)["numbers"][
        "mean_duration_ms"] == 75.0
    with pytest.raises(InputError, match="traffic="):
        report("traffic.log")


def _shown(result: dict) -> list[str]:
    shown = [result["title"], result["summary"], *result["reasons"], *result["notes"]]
    for table in result["tables"].values():
        if table:
            shown += [table["title"], *table["columns"], *(c for row in table["rows"]
                                                            for c in row)]
    for chart in result["charts"].values():
        shown += [chart["title"], chart["x"]["label"]]
        shown += [s["label"] for s in chart.get("series", [])]
        shown += [b["label"] for b in chart.get("bars", [])]
    return shown


def test_every_word_the_report_shows_is_looked_up(day):
    catalogue = _pseudo_catalogue()
    left = {}
    traffics = {"per request": per_request(day), "per minute": per_minute([5, 0, 9] * 40),
                "ALB sample": read(SAMPLES / "alb-access.log.gz"),
                "REPORT sample": read(SAMPLES / "lambda-report.log")}
    for kind, traffic in traffics.items():
        with speaking(catalogue):
            result = report(traffic)
        for text in _shown(result):
            for token in _english_left(text):
                left.setdefault(token, (kind, text))
    assert not left, left


def test_report_text_and_tables_for_the_terminal_and_the_notebook(day_report):
    text = report_text(day_report)
    assert text.startswith("Your workload\n")
    assert day_report["summary"] in text
    assert "Lambda (on demand)" in text and "What if" in text
    frame = table_frame(day_report, "profile")
    assert frame.loc["invocations", "value"] == f"{day_report['numbers']['invocations']:,}"
    assert table_frame(day_report, "recorded") is None
    with pytest.raises(InputError, match="name="):
        table_frame(day_report, "nothing")


def test_the_report_imports_only_what_the_browser_has():
    problems = browser_import_problems(ROOT / "ec2vslambda" / "traffic" / "report.py")
    assert not problems, problems


def test_the_traffic_chart_has_at_most_its_points_and_keeps_the_busiest_minute():
    counts = [1] * 10_000
    counts[4321] = 77
    chart = report(per_minute(counts), what_ifs=False)["charts"]["traffic"]
    busiest = next(s for s in chart["series"] if s["label"] == "busiest minute")
    assert len(busiest["y"]) <= 720 and max(busiest["y"]) == 77
    assert math.isclose(sum(chart["series"][0]["y"]) * 14, sum(counts), rel_tol=0.01)


def test_every_format_has_a_name_in_the_report():
    assert set(FORMAT_LABELS) == set(FORMATS)
    result = report(read(SAMPLES / "alb-access.log.gz"), what_ifs=False)
    profile = dict(result["tables"]["profile"]["rows"])
    assert profile["source format"] == "Application Load Balancer access log"
    assert "never reached a target (HTTP 502) 1" in profile["records skipped"]


def test_minute_data_of_the_same_traffic_starts_cold_less_often_than_its_requests():
    """The samples hold one traffic in every layout: per-minute counts lose the bursts inside
    each minute, so the replay of the metrics finds fewer cold starts than that of the log."""
    per_request_share = report(read(SAMPLES / "lambda-report.log"), what_ifs=False)[
        "numbers"]["cold_start_share"]
    per_minute_share = report(read(SAMPLES / "metric-data-1min.json"), what_ifs=False)[
        "numbers"]["cold_start_share"]
    assert per_minute_share < per_request_share / 2


def test_fleets_run_the_guides_default_type_or_the_cheapest_steady_one(monkeypatch):
    assert _fleet_type("x86_64", "us-east-1", None)[0] == decide.default_instance_type(
        "x86_64", "us-east-1")
    assert _fleet_type("arm64", "us-east-1", "m7i.large") == ("m7i.large", "as given")

    # a region whose data prices no general-purpose type: the cheapest one that is not burstable
    def priced(*types):
        known = {i.name: i for i in data.ec2_prices().in_region("us-east-1").values()}
        table = {name: replace(known[name], category=category) for name, category in types}
        return lambda: SimpleNamespace(in_region=lambda region: table, by_region={})

    monkeypatch.setattr(decide, "default_instance_type", _no_general_purpose)
    monkeypatch.setattr(data, "ec2_prices", priced(("t3.micro", "burstable"),
                                                   ("m7i.large", "compute_optimized"),
                                                   ("m7g.large", "memory_optimized")))
    name, why = _fleet_type("x86_64", "us-east-1", None)
    assert name == "m7g.large" and "not burstable" in why  # the cheaper of the two steady ones
    monkeypatch.setattr(data, "ec2_prices", priced(("t3.micro", "burstable")))
    with pytest.raises(InputError, match="region='us-east-1' has no EC2 type priced that can "
                                         "run a fleet"):
        _fleet_type("x86_64", "us-east-1", None)


def _no_general_purpose(arch, region="us-east-1"):
    raise InputError("region", region, f"has no general_purpose {arch} instance type", "none")
