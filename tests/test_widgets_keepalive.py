"""Lab 1's calculator and experiment helpers: right numbers, readable errors, text form."""

import matplotlib

matplotlib.use("Agg")

import math  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from ec2vslambda import keepalive, replay, simulate, workloads  # noqa: E402
from ec2vslambda.widgets import keepalive as calc_module  # noqa: E402
from ec2vslambda.widgets.keepalive import KeepAliveInputs, calculator, evaluate  # noqa: E402


def test_outcome_matches_the_simulator():
    inputs = KeepAliveInputs(shape="bursty", rate_per_hour=40, keep_alive_min=5, hours=6)
    outcome = evaluate(inputs)
    w = replay.shaped_workload("bursty", 40, 6, seed=inputs.seed)
    direct = simulate.simulate_lambda(w.arrivals_s, w.durations_ms, keep_alive_s=300)
    assert outcome.result.cold_starts == direct.cold_starts
    table = outcome.table()
    assert table.loc["Cold starts", "value"] == f"{direct.cold_starts:,}"
    assert table.loc["Requests in the window", "value"] == f"{len(w):,}"
    at_five = outcome.sweep.set_index("keep_alive_min").loc[5, "cold_start_ratio"]
    assert at_five == pytest.approx(direct.cold_start_ratio)
    # a longer window never adds cold starts on the same traffic
    assert np.all(np.diff(outcome.sweep["cold_start_ratio"]) <= 1e-12)


def test_poisson_formula_row_and_its_agreement():
    outcome = evaluate(KeepAliveInputs(shape="poisson", rate_per_hour=6, keep_alive_min=10,
                                       hours=72))
    expected = keepalive.poisson_cold_start_ratio(6 / 3600, 600)
    assert expected == pytest.approx(math.exp(-1))
    assert outcome.table().loc["Cold-start share, formula exp(-rate × keep-alive)",
                               "value"] == f"{expected:.1%}"
    assert outcome.result.cold_start_ratio == pytest.approx(expected, abs=0.05)


def test_live_calculator_updates_and_reports_bad_input_readably():
    calc = calculator(hours=2.0)
    controls = {c.description: c for c in calc.controls}
    controls["Requests per hour"].value = 120.0
    assert "120 requests an hour" in calc.message.value
    assert len(calc.output.outputs) == 2  # the table and the figure
    controls["Keep-alive (minutes)"].value = -3
    assert "Check the inputs" in calc.message.value
    assert "keep_alive_min=-3" in calc.message.value and "allowed" in calc.message.value
    assert "Traceback" not in calc.message.value
    assert calc.output.outputs == ()
    controls["Keep-alive (minutes)"].value = 20
    assert "Check the inputs" not in calc.message.value
    assert "keep-alive 20 min" in calc.message.value
    controls["Memory (MB)"].value = 64
    assert "memory_mb=64 is out of range" in calc.message.value
    controls["Memory (MB)"].value = 1024
    controls["Traffic shape"].value = "periodic"
    assert "periodic traffic" in calc.message.value


def test_static_text_form_says_how_to_go_live():
    text = repr(calculator())
    assert text.startswith("[Live calculator: Cold starts and keep-alive]")
    assert "Colab" in text and "make lab" in text


def test_shaped_workloads_have_the_asked_rate():
    for shape in replay.SHAPES:
        w = replay.shaped_workload(shape, 60, 24, seed=2)
        assert len(w) / 24 == pytest.approx(60, rel=0.1), shape
    with pytest.raises(ValueError, match="shape"):
        replay.shaped_workload("spiky", 60)
    with pytest.raises(ValueError, match="rate_per_hour"):
        replay.shaped_workload("poisson", 0)


def test_grid_and_policy_tables():
    grid = replay.cold_start_grid(("poisson", "periodic"), (2, 120), (1, 60), hours=12)
    assert len(grid) == 8
    rare_timer = grid.query("shape == 'periodic' and rate_per_hour == 2")
    # a timer every 30 minutes: all cold with 1 minute, all warm but the first with 60
    assert rare_timer["cold_starts"].tolist() == [24, 1]
    counts = np.zeros((3, 120), dtype=int)
    counts[0, ::15] = 1  # every 15 minutes
    counts[1, :5] = 20  # one burst
    counts[2, ::2] = 2
    w = workloads.from_minute_counts(counts, seed=0, duration_ms=100.0)
    runs = replay.run_policies(w, [keepalive.FixedKeepAlive(600),
                                      keepalive.FixedKeepAlive(3600)])
    table = replay.policy_table(runs)
    assert table.loc["fixed 10 min", "idle memory vs fixed 10 min"] == 1.0
    assert (table.loc["fixed 60 min", "cold starts (% of invocations)"]
            < table.loc["fixed 10 min", "cold starts (% of invocations)"])
    by_group = replay.policy_table_by_group(runs, ["timer", "other", "other"])
    assert set(by_group.index.get_level_values(0)) == {"timer", "other"}
    assert by_group.loc[("timer", "fixed 10 min"), "median function cold (%)"] == 100.0



def test_grid_figure_has_a_panel_per_shape_and_a_line_per_window():
    grid = replay.cold_start_grid(("poisson", "bursty"), (5, 50), (1, 10, 60), hours=4)
    fig = calc_module.grid_figure(grid)
    assert [ax.get_title() for ax in fig.axes] == ["poisson", "bursty"]
    assert all(len(ax.lines) == 3 for ax in fig.axes)
    y = fig.axes[0].lines[0].get_ydata()
    expected = 100 * grid.query("shape == 'poisson' and keep_alive_min == 1")["cold_start_ratio"]
    np.testing.assert_allclose(y, expected)


def test_run_policies_names_and_rejects_duplicate_labels():
    w = workloads.from_minute_counts([[1, 0, 1, 0, 1]], seed=0)
    runs = replay.run_policies(w, {"short": keepalive.FixedKeepAlive(1),
                                      "long": keepalive.FixedKeepAlive(600)})
    assert [r.cold_starts for r in runs["short"]] == [3]
    assert [r.cold_starts for r in runs["long"]] == [1]
    with pytest.raises(ValueError, match="policies"):
        replay.run_policies(w, [keepalive.HybridHistogram(), keepalive.HybridHistogram()])
