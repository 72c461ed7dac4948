"""The workload fit checker widget: defaults, readable errors, live updates."""

from __future__ import annotations

from ec2vslambda import data
from ec2vslambda import limits as L
from ec2vslambda.widgets import fit_checker as fc
from ec2vslambda.widgets.common import LiveCalculator


def test_default_report_matches_the_package():
    frame = fc.fit_report(fc.DEFAULT_NEEDS)
    expected = L.violations_frame(L.check_workload(fc.DEFAULT_NEEDS))
    assert frame.equals(expected)
    assert list(frame["limit"]) == ["timeout_max", "memory_max"]


def test_verdict_sentences():
    assert fc.verdict(fc.DEFAULT_NEEDS) == "Breaks 2 Lambda limits: timeout_max, memory_max."
    fits = L.WorkloadNeeds(duration_ms=100, memory_mb=128, payload_mb=0.1, invocation="sync",
                           tmp_mb=0, peak_concurrency=1, needs_state=False,
                           latency_target_ms=None)
    assert fc.verdict(fits) == "Fits Lambda: no limit is broken."


def test_calculator_shows_the_default_result_and_says_how_to_go_live():
    calc = fc.calculator()
    assert isinstance(calc, LiveCalculator)
    assert "Breaks 2 Lambda limits" in calc.message.value
    assert "timeout_max" in calc.output.value and "memory_max" in calc.output.value
    assert "Live calculator: Workload fit checker" in repr(calc)
    assert "Binder" in repr(calc)


def test_bad_value_shows_a_readable_message_then_recovers():
    calc = fc.calculator()
    calc.inputs["duration_ms"].value = -5
    assert "Check the inputs" in calc.message.value
    assert "duration_ms=-5" in calc.message.value and "Traceback" not in calc.message.value
    assert calc.output.value == ""
    calc.inputs["duration_ms"].value = 60_000.0
    assert "Check the inputs" not in calc.message.value
    assert "Breaks 1 Lambda limit: memory_max." in calc.message.value
    assert "timeout_max" not in calc.output.value


def test_zero_peak_concurrency_is_an_error():
    calc = fc.calculator()
    calc.inputs["peak_concurrency"].value = 0
    assert "peak_concurrency" in calc.message.value and "Check the inputs" in calc.message.value


def test_latency_target_only_counts_when_someone_waits():
    calc = fc.calculator()
    calc.inputs["duration_ms"].value = 200.0
    calc.inputs["memory_mb"].value = 1024.0
    calc.inputs["latency_target_ms"].value = 300.0
    calc.inputs["init_ms"].value = 500.0
    assert "Fits Lambda" in calc.message.value
    calc.inputs["has_latency_target"].value = True
    assert "latency" in calc.output.value
    calc.inputs["init_ms"].value = 50.0
    assert "Fits Lambda" in calc.message.value


def test_every_field_reaches_the_checker():
    calc = fc.calculator()
    calc.inputs["duration_ms"].value = 100.0
    calc.inputs["memory_mb"].value = 512.0
    calc.inputs["invocation"].value = "async"
    calc.inputs["payload_mb"].value = data.limit_value("payload_async_max") + 1
    calc.inputs["tmp_mb"].value = data.limit_value("tmp_max") + 1
    calc.inputs["peak_concurrency"].value = int(data.limit_value("concurrency_default")) + 1
    calc.inputs["needs_state"].value = True
    calc.inputs["package_mb"].value = data.limit_value("package_unzipped_max") + 1
    for name in ("payload_async_max", "tmp_max", "concurrency_default", "state",
                 "package_unzipped_max"):
        assert name in calc.output.value


def test_show_displays_the_verdict_and_returns_the_table(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objs: shown.extend(objs))
    frame = fc.show()
    assert list(frame["limit"]) == ["timeout_max", "memory_max"]
    assert "Breaks 2 Lambda limits" in shown[0].data
    assert len(shown) == 2
