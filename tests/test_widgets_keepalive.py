"""Lab 1's experiment helpers and its figure of the traffic shapes."""

import matplotlib

matplotlib.use("Agg")


import numpy as np  # noqa: E402
import pytest  # noqa: E402

from ec2vslambda import keepalive, replay, workloads  # noqa: E402
from ec2vslambda.widgets import keepalive as calc_module  # noqa: E402


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
