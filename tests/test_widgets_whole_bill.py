"""Chapter 5's whole-bill calculator: the model's numbers, plain-data results, readable errors."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from ec2vslambda import bills, pricing  # noqa: E402
from ec2vslambda.widgets import calculator  # noqa: E402
from ec2vslambda.widgets import whole_bill as wb  # noqa: E402
from ec2vslambda.widgets.whole_bill import WholeBillInputs, compute  # noqa: E402


def test_result_is_the_models_whole_bill_and_both_break_evens():
    inputs = WholeBillInputs(requests_per_month=50e6, response_kb=10, front_door="rest_api")
    result = compute(inputs)
    bill = bills.whole_bill_at(50e6, inputs.duration_ms, inputs.memory_mb, inputs.instance_type,
                                 inputs.instance_count, response_kb=10, front_door="rest_api",
                                 arch=inputs.arch)
    assert result.bill == bill
    assert result.compute_break_even == pricing.break_even_requests(
        inputs.duration_ms, inputs.memory_mb, inputs.instance_type, count=inputs.instance_count,
        arch=inputs.arch)
    assert result.whole_break_even == bills.whole_bill_break_even(
        inputs.duration_ms, inputs.memory_mb, inputs.instance_type, inputs.instance_count,
        response_kb=10, front_door="rest_api", arch=inputs.arch)
    plain = result.as_plain()
    assert plain["rows"][-1]["Lambda"] == pricing.format_usd(bill.lambda_total_usd)
    assert all(isinstance(v, str) for row in plain["rows"] for v in row.values())
    assert "on the whole bill, at" in plain["summary"]


def test_table_shows_money_and_dashes_never_nan():
    table = compute(WholeBillInputs()).table()
    assert table.loc["EBS volumes", "Lambda"] == "—"
    assert table.loc["Total per month", "EC2"].startswith("$")
    assert not table.isna().any().any()


def test_series_are_plain_lists_over_the_range():
    curves = wb.series(WholeBillInputs(), (1e5, 1e9), points=10)
    assert curves["requests"][0] == pytest.approx(1e5)
    assert curves["requests"][-1] == pytest.approx(1e9)
    assert all(len(v) == 10 for v in curves.values())


def test_figure_marks_both_crossings():
    fig = wb.cost_figure(WholeBillInputs())
    markers = [line for line in fig.axes[0].lines if line.get_marker() == "o"]
    result = compute(WholeBillInputs())
    assert sorted(m.get_xdata()[0] for m in markers) == sorted(
        [result.compute_break_even, result.whole_break_even])


def test_live_calculator_updates_offers_regions_and_reports_bad_input():
    calc = calculator("whole_bill")
    controls, notes = calc.controls_by_key, calc.notes_by_key
    controls["requests_per_month"].value = 80e6
    assert "80,000,000 requests" in calc.message.value
    assert len(calc.output.outputs) == 2
    controls["region"].value = "ap-northeast-2"  # Seoul lacks API Gateway prices in the data
    assert "has no price for" in notes["region"].value
    assert "does not guess" in notes["region"].value
    assert len(calc.output.outputs) == 2  # the last good result stays
    controls["region"].value = "us-east-1"
    controls["instance_count"].value = 0
    assert "instance_count=0 is out of range" in notes["instance_count"].value
    assert repr(calc).startswith("[Live calculator: The whole bill: Lambda vs EC2]")
