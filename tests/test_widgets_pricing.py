"""Chapter 5's calculator: right numbers, readable errors, a helpful text form on static pages."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from ec2vslambda import (
    live,  # noqa: E402
    pricing,  # noqa: E402
)
from ec2vslambda.widgets import calculator  # noqa: E402
from ec2vslambda.widgets import pricing as calc_module  # noqa: E402
from ec2vslambda.widgets.pricing import PricingInputs, comparison  # noqa: E402


def test_comparison_matches_the_cost_model():
    inputs = PricingInputs(requests_per_month=20_000_000, duration_ms=80, memory_mb=1024,
                           arch="x86_64", instance_type="m7g.large", instance_count=2)
    result = comparison(inputs)
    assert result.lambda_cost == pricing.lambda_cost(20_000_000, 80, 1024, arch="x86_64")
    assert result.ec2_cost.total_usd == pytest.approx(pricing.ec2_monthly_usd("m7g.large", count=2))
    table = result.table()
    assert table.loc["Total per month", "Lambda"] == f"${result.lambda_cost.total_usd:,.2f}"
    assert table.loc["Total per month", "EC2"] == f"${result.ec2_cost.total_usd:,.2f}"
    assert table.loc["Requests", "EC2"] == "—"  # a charge that does not apply, never NaN
    assert not table.isna().any().any()
    expected = "Lambda" if result.lambda_cost.total_usd < result.ec2_cost.total_usd else "EC2"
    assert result.cheaper == expected
    assert f"{result.break_even_requests:,}" in calc_module.summary(result)


def test_live_calculator_updates_and_reports_bad_input_readably():
    calc = calculator("pricing")
    controls = calc.controls_by_key
    controls["requests_per_month"].value = 123_456_789
    assert "123,456,789 requests a month" in calc.message.value
    assert len(calc.output.outputs) == 2  # the table and the figure
    controls["memory_mb"].value = 64
    note = calc.notes_by_key["memory_mb"].value
    assert "memory_mb=64 is out of range; allowed: 128 to 10,240" in note
    assert "Traceback" not in calc.notes_by_key["memory_mb"].value
    assert len(calc.output.outputs) == 2  # the last good result stays
    controls["memory_mb"].value = 2048
    assert calc.notes_by_key["memory_mb"].value == ""
    controls["instance_count"].value = 0
    assert "instance_count=0 is out of range" in calc.notes_by_key["instance_count"].value


def test_region_choice_prices_seoul_and_refuses_what_seoul_lacks():
    seoul = live.compute("pricing", {"region": "ap-northeast-2"})  # t4g.small is priced there
    assert seoul["numbers"]["ec2_usd"] == pytest.approx(
        pricing.ec2_monthly_usd("t4g.small", region="ap-northeast-2"))
    assert comparison(PricingInputs(region="ap-northeast-2")).ec2_cost.total_usd == \
        pytest.approx(seoul["numbers"]["ec2_usd"])
    with pytest.raises(ValueError, match="region='ap-northeast-2' has no price for the "
                                         "instance type m7g.large"):
        live.compute("pricing", {"region": "ap-northeast-2", "instance_type": "m7g.large"})


def test_static_text_form_says_how_to_go_live():
    text = repr(calculator("pricing"))
    assert text.startswith("[Live calculator: Lambda vs EC2 monthly cost]")
    assert "Binder" in text and "Colab" in text and "make lab" in text


def test_live_result_is_the_comparison():
    result = live.compute("pricing", {"requests_per_month": 20_000_000, "memory_mb": 1024})
    outcome = comparison(PricingInputs(requests_per_month=20_000_000, memory_mb=1024))
    assert result["table"]["rows"] == [list(r.values()) for r in outcome.rows()]
    assert result["numbers"]["break_even_requests"] == outcome.break_even_requests
    assert result["summary"] == calc_module.summary(outcome)


def test_figure_marks_each_break_even():
    inputs = PricingInputs()
    fleets = (("t4g.small", 1, "on_demand"), ("m7g.large", 1, "on_demand"))
    fig = calc_module.cost_figure(inputs, fleets=fleets)
    ax = fig.axes[0]
    markers = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(markers) == 2
    for marker, (name, _count, _model) in zip(markers, fleets, strict=True):
        assert marker.get_xdata()[0] == pricing.break_even_requests(
            inputs.duration_ms, inputs.memory_mb, name, arch=inputs.arch)


def test_rate_rows_show_tiers_as_ranges_and_where_each_figure_comes_from():
    rows = calc_module.rate_rows("whole_bill_prices.csv")
    http = [r for r in rows if r["item"] == "apigw_http_requests"]
    assert [r["tier"] for r in http] == ["0 to 300 million", "above 300 million"]
    assert {r["figure from"] for r in http} == {"third-party copy"}
    free = next(r for r in rows if r["item"] == "apigw_free_tier_requests")
    assert (free["tier"], free["region"], free["figure from"]) == ("—", "global", "AWS")
    assert all(r["region"] in ("us-east-1", "global") for r in rows)
    seoul = calc_module.rate_rows("lambda_prices.csv", "ap-northeast-2")
    assert {r["region"] for r in seoul} == {"ap-northeast-2", "global"}
    assert "duration (arm64)" in {r["item"] for r in seoul}
    assert "nan" not in repr(calc_module.rates_table("lambda_prices.csv")).lower()
    with pytest.raises(ValueError, match="region='eu-west-1'"):
        calc_module.rate_rows("lambda_prices.csv", "eu-west-1")
