"""Chapter 6's decision guide widget: the package's numbers, readable errors, a static text form."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from ec2vslambda import (
    decide,  # noqa: E402
    live,  # noqa: E402
)
from ec2vslambda.widgets import calculator  # noqa: E402
from ec2vslambda.widgets.decision import DecisionInputs, cost_figure  # noqa: E402


def test_inputs_become_the_workload_the_guide_decides_on():
    inputs = DecisionInputs(peak_rps=120, duration_ms=250, cold_start_percent=3,
                            latency_target_ms=0, instance_type="c7g.large")
    w = inputs.workload()
    assert w.peak_concurrency == decide.peak_concurrency_for(120, 250)
    assert w.cold_start_fraction == pytest.approx(0.03)
    assert w.latency_target_ms is None
    assert inputs.assumptions().instance_type == "c7g.large"
    assert DecisionInputs().assumptions().instance_type is None
    assert inputs.decide() == decide.decide(w, inputs.assumptions())


def test_live_guide_updates_and_reports_bad_input_readably():
    calc = calculator("decision")
    controls = calc.controls_by_key
    controls["requests_per_month"].value = 50_000_000.0
    rec = DecisionInputs(requests_per_month=50_000_000.0).decide()
    assert f"Recommendation: {rec.label}" in calc.message.value
    assert f"${rec.monthly_usd:,.2f}" in calc.message.value
    assert len(calc.output.outputs) == 2  # the table and the figure

    controls["memory_mb"].value = 64
    assert "memory_mb=64 is out of range" in calc.notes_by_key["memory_mb"].value
    assert "Traceback" not in calc.notes_by_key["memory_mb"].value
    assert len(calc.output.outputs) == 2  # the last good result stays

    controls["memory_mb"].value = 2048
    assert calc.notes_by_key["memory_mb"].value == ""
    assert "Recommendation:" in calc.message.value

    controls["cold_start_percent"].value = 150.0
    notes = calc.notes_by_key
    assert "cold_start_percent=150.0 is out of range" in notes["cold_start_percent"].value
    controls["cold_start_percent"].value = 1.0
    controls["target_utilisation"].value = 0.0
    assert "target_utilisation=0.0 is out of range" in calc.notes_by_key["target_utilisation"].value


def test_a_long_job_shows_what_cannot_run_it():
    result = live.compute("decision", {"duration_ms": 3_600_000.0, "requests_per_month": 30.0,
                                       "peak_rps": 0.001})
    assert "rules out Lambda" in result["summary"]
    table = " ".join(" ".join(row) for row in result["table"]["rows"])
    assert "cannot run" not in table and "timeout: One run takes" in table


def test_static_text_form_says_how_to_go_live():
    text = repr(calculator("decision"))
    assert text.startswith("[Live calculator: Decision guide]")
    assert "Binder" in text and "Colab" in text


def test_live_result_is_the_guides_recommendation():
    result = live.compute("decision")
    rec = DecisionInputs().decide()
    assert result["numbers"]["choice"] == rec.choice
    assert result["numbers"]["reasons"] == [r.text for r in rec.reasons]
    assert [b["label"] for b in result["chart"]["bars"]] == [o.label for o in rec.options]
    assert [row[0] for row in result["table"]["rows"]] == [r["option"] for r in rec.rows()]


def test_figure_has_a_bar_per_runnable_option_and_highlights_the_choice():
    rec = DecisionInputs().decide()
    fig = cost_figure(rec)
    ax = fig.axes[0]
    bars = ax.patches
    runnable = [o for o in rec.options if o.monthly_usd is not None]
    assert len(bars) == len(runnable)
    orange = [b for b in bars if b.get_facecolor()[:3] == matplotlib.colors.to_rgb("tab:orange")]
    assert len(orange) == 1
    assert orange[0].get_x() + orange[0].get_width() == pytest.approx(rec.monthly_usd)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [o.label for o in reversed(rec.options)]
