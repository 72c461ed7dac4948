"""Chapter 4's calculator: right numbers, readable errors, a helpful text form on static pages."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from ec2vslambda import coldstarts, latency  # noqa: E402
from ec2vslambda.widgets import tail_latency as calc_module  # noqa: E402
from ec2vslambda.widgets.tail_latency import TailInputs, calculator, estimate  # noqa: E402


def test_estimate_uses_the_measured_floor_plus_extra_init():
    inputs = TailInputs(cold_percent=3, runtime="java21", arch="x86_64", memory_mb=1024,
                        extra_init_ms=500, warm_ms=80)
    est = estimate(inputs)
    floor = coldstarts.init_ms("java21", "x86_64", 1024)
    assert est.floor_init_ms == floor
    assert est.result == latency.tail_latency(0.03, floor + 500, 80)
    table = est.table()
    assert table.loc["p99", "3% cold (ms)"] == round(est.result.percentiles_ms[99], 1)
    assert table.loc["p50", "No cold starts (ms)"] == pytest.approx(80.0)
    assert f"{est.result.percentiles_ms[99]:,.1f} ms" in calc_module.summary(est)


def test_live_calculator_updates_and_reports_bad_input_readably():
    calc = calculator()
    controls = {c.description: c for c in calc.controls}
    controls["Cold starts (% of invocations)"].value = 0.5
    assert "With 0.5% cold starts" in calc.message.value
    assert len(calc.output.outputs) == 2  # the table and the figure
    controls["Cold starts (% of invocations)"].value = 150
    assert "Check the inputs" in calc.message.value
    assert "cold_percent=150.0 is out of range; allowed: 0 to 100" in calc.message.value
    assert "Traceback" not in calc.message.value
    assert calc.output.outputs == ()
    controls["Cold starts (% of invocations)"].value = 5
    assert "Check the inputs" not in calc.message.value
    controls["Warm duration, median (ms)"].value = 0
    assert "warm_ms=0.0 is out of range" in calc.message.value
    controls["Warm duration, median (ms)"].value = 40
    controls["Runtime (measured INIT)"].value = "dotnet8"
    controls["Architecture"].value = "arm64"
    controls["Memory (MB)"].value = 512
    assert "memory_mb=512 was not measured for dotnet8 on arm64" in calc.message.value


def test_static_text_form_says_how_to_go_live():
    text = repr(calculator())
    assert text.startswith("[Live calculator: Tail latency with cold starts]")
    assert "Binder" in text and "Colab" in text


def test_figure_marks_the_chosen_share():
    est = estimate(TailInputs(cold_percent=2))
    fig = calc_module.figure(est)
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.lines][:3] == ["p50", "p95", "p99"]
    marker = [line for line in ax.lines if line.get_label().startswith("your share")]
    assert marker and marker[0].get_xdata()[0] == pytest.approx(2)
