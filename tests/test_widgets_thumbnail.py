"""Lab 4's cost calculator: the numbers are the package's, bad input reads as a sentence."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from ec2vslambda import local_runtime as lr  # noqa: E402
from ec2vslambda import pricing  # noqa: E402
from ec2vslambda.widgets import thumbnail as calc  # noqa: E402


def test_evaluate_matches_monthly_costs():
    inputs = calc.ThumbnailCostInputs(uploads_per_month=3_000_000, warm_ms=80, init_ms=700,
                                      memory_mb=1024, keep_alive_min=5, instance_type="t4g.small")
    costs = calc.evaluate(inputs)
    expected = lr.monthly_costs([3_000_000], duration_ms=80, init_ms=700, memory_mb=1024,
                                instance_type="t4g.small", keep_alive_s=300)[0]
    assert costs.row == expected
    assert costs.row["ec2_usd"] == pytest.approx(pricing.ec2_monthly_usd("t4g.small"))
    table = costs.table()
    assert table["Lambda (USD)"][0] == round(expected["lambda_usd"], 2)
    assert len(costs.sweep) == len(calc.SWEEP)


def test_summary_flags_an_instance_that_cannot_keep_up():
    # a 2-vCPU instance does at most 2 x 730 h x 3600 s / 0.5 s ~ 10.5M half-second jobs a month
    costs = calc.evaluate(calc.ThumbnailCostInputs(uploads_per_month=50_000_000, warm_ms=500))
    assert costs.row["ec2_busy_share"] > 1
    assert "could not keep up" in costs.summary()
    small = calc.evaluate(calc.ThumbnailCostInputs(uploads_per_month=10_000))
    assert "Lambda is cheaper" in small.summary()


def test_live_calculator_updates_and_shows_readable_errors():
    live = calc.calculator()
    controls = {c.description: c for c in live.controls}
    controls["Uploads per month"].value = 20_000_000
    assert "20,000,000 uploads a month" in live.message.value
    assert len(live.output.outputs) == 2
    controls["Memory (MB)"].value = 50
    assert "memory_mb=50 is out of range" in live.message.value
    assert live.output.outputs == ()
    controls["Memory (MB)"].value = 512
    controls["Assumed keep-alive (min)"].value = -1
    assert "keep_alive_min=-1" in live.message.value
    assert "Traceback" not in live.message.value
    assert repr(live).startswith("[Live calculator: Thumbnail job")
