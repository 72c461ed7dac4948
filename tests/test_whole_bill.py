"""The rest of the bill: API Gateway, ALB, data transfer out, NAT gateway, public IPv4, EBS gp3 and
CloudWatch Logs, then both designs' whole bills side by side.

AWS's pricing pages render their rate tables in the browser, so the stored copies the book could
read hold the pages' worked examples (or third-party transcriptions of them) rather than the
tables. Each test below writes the example's arithmetic out and names where it was read. AWS
rounds each charge to the cent, and so do the assertions.
"""

import math
import shutil

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ec2vslambda import bills, data, pricing
from ec2vslambda.bills import (
    alb_cost,
    alb_lcus,
    api_gateway_cost,
    data_transfer_out_cost,
    ebs_gp3_cost,
    logs_cost,
    nat_gateway_cost,
    public_ipv4_cost,
    whole_bill,
)

SEOUL = "ap-northeast-2"


def cents(x: float) -> float:
    return round(x + 1e-9, 2)


def rate(item: str, region: str = "us-east-1") -> float:
    return data.whole_bill_prices().value(item, region)


@pytest.fixture
def rates_override(tmp_path, monkeypatch):
    """A copy of data/ whose us-east-1 rows for some items hold other rates (to replay an
    example printed for another region or currency with the model's own arithmetic)."""
    folder = tmp_path / "data"
    shutil.copytree(data.data_dir(), folder)

    def override(values: dict[str, str]):
        path = folder / "whole_bill_prices.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            item, region, *rest = line.split(",")
            if region == "us-east-1" and item in values:
                rest[2] = values[item]  # tier_start, tier_end, value, ...
                lines[i] = ",".join([item, region, *rest])
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        monkeypatch.setenv(data.DATA_ENV_VAR, str(folder))

    yield override
    monkeypatch.delenv(data.DATA_ENV_VAR, raising=False)


# --- API Gateway -------------------------------------------------------------------------------

def test_http_api_example_over_300_million():
    # The page's HTTP API example (as transcribed by api-evangelist, 2026-09-20):
    # the first 300 million at $1.00 per million, the 132 million above at $0.90:
    # 300 x $1.00 + 132 x $0.90 = $300.00 + $118.80 = $418.80
    cost = api_gateway_cost(432_000_000, api="http")
    assert [cents(t.usd) for t in cost.tiers] == [300.00, 118.80]
    assert cents(cost.total_usd) == 418.80


def test_the_issues_round_numbers():
    # 100 million requests: HTTP API 100 x $1.00 = $100; REST API 100 x $3.50 = $350
    assert cents(api_gateway_cost(100e6).total_usd) == 100.00
    assert cents(api_gateway_cost(100e6, api="rest").total_usd) == 350.00


def test_rest_api_four_tiers():
    # 1.5 billion: 333 M x $3.50 + 667 M x $2.80 + 500 M x $2.38
    #            = $1,165.50 + $1,867.60 + $1,190.00 = $4,223.10
    assert cents(api_gateway_cost(1.5e9, api="rest").total_usd) == 4223.10
    # 25 billion reaches the last tier: ... + 19 B x $2.38 + 5 B x $1.51
    #   = 1,165.50 + 1,867.60 + 45,220.00 + 7,550.00 = $55,803.10
    assert cents(api_gateway_cost(25e9, api="rest").total_usd) == 55803.10


def test_api_free_tier_is_off_by_default_and_comes_off_the_first_tier():
    # 3 million HTTP API calls: $3.00; with the 12-month free tier, 2 million billed: $2.00
    assert cents(api_gateway_cost(3e6).total_usd) == 3.00
    free = api_gateway_cost(3e6, free_tier=True)
    assert free.free_requests == 1e6 and cents(free.total_usd) == 2.00
    assert api_gateway_cost(500_000, free_tier=True).total_usd == 0


def test_function_urls_cost_nothing_of_their_own_even_in_seoul():
    assert bills.function_url_cost(1e9) == 0
    assert bills.function_url_cost(1e9, region=SEOUL) == 0


# --- Application Load Balancer -----------------------------------------------------------------

def test_alb_example_from_the_elb_pricing_page():
    # ELB pricing page, US East (read through stored adaptations of the example): 1 new
    # connection per second lasting 2 minutes, 5 requests per second, 300 KB per second
    # processed, 60 rules:
    #   new connections   1 / 25               = 0.04 LCU
    #   active            120 / 3,000          = 0.04 LCU
    #   processed bytes   300 KB/s x 3,600 s   = 1.08 GB/h -> 1.08 LCU
    #   rule evaluations  (60 - 10 free) x 5   = 250 / 1,000 = 0.25 LCU
    lcus = alb_lcus(new_connections_per_s=1, active_connections_per_min=120,
                    processed_gb_per_hour=300 * 3600 / 1e6, rule_evaluations_per_s=(60 - 10) * 5)
    assert lcus.new_connections == pytest.approx(0.04)
    assert lcus.active_connections == pytest.approx(0.04)
    assert lcus.processed_bytes == pytest.approx(1.08)
    assert lcus.rule_evaluations == pytest.approx(0.25)
    assert lcus.lcu == pytest.approx(1.08) and lcus.dominant == "processed_bytes"
    # 1.08 LCU x $0.008 = $0.00864 an hour; x 24 x 30 = $6.22 a month
    # hourly charge $0.0225 x 720 h = $16.20; together $22.42 a month
    cost = alb_cost(24 * 30, lcu=lcus.lcu)
    assert cost.lcu_usd / cost.billed_hours == pytest.approx(0.00864)
    assert cents(cost.lcu_usd) == 6.22
    assert cents(cost.hourly_usd) == 16.20
    assert cents(cost.total_usd) == 22.42


def test_alb_bills_each_partial_hour_and_lambda_targets_need_more_lcus():
    assert alb_cost(10.2, lcu=0).billed_hours == 11
    assert alb_cost(0, lcu=5).total_usd == 0
    ec2 = alb_lcus(processed_gb_per_hour=1.0)
    fn = alb_lcus(processed_gb_per_hour=1.0, lambda_targets=True)
    assert fn.processed_bytes == pytest.approx(ec2.processed_bytes / rate(
        "alb_lcu_processed_gb_lambda"))


def test_lcus_from_a_months_traffic():
    # 100 M requests a month, 5 per connection, 500 GB through the ALB, 730 h:
    #   38.05 requests/s -> 7.61 new connections/s -> 0.304 LCU; 0.685 GB/h -> 0.685 LCU
    lcus = bills.alb_lcus_for_traffic(100e6, 500, duration_ms=100, requests_per_connection=5)
    per_s = 100e6 / (730 * 3600)
    assert lcus.new_connections == pytest.approx(per_s / 5 / 25)
    assert lcus.processed_bytes == pytest.approx(500 / 730)
    assert lcus.lcu == lcus.processed_bytes


# --- network ---------------------------------------------------------------------------------

def test_nat_gateway_from_its_two_rates():
    # No worked example was readable in the stored VPC pricing page; from the two rates:
    # one NAT gateway all month, 1 GB processed: 730 h x $0.045 + 1 GB x $0.045 = $32.895
    cost = nat_gateway_cost(730, 1)
    assert cost.hourly_usd == pytest.approx(730 * rate("nat_gateway_hour"))
    assert cents(cost.total_usd) == 32.90
    assert cents(nat_gateway_cost(730, 1, count=2).hourly_usd) == 65.70


def test_data_transfer_out_free_allowance_then_tiers():
    # 1,000 GB: 100 free, 900 x $0.09 = $81.00
    assert cents(data_transfer_out_cost(1000).total_usd) == 81.00
    # 20 TB = 20,480 GB: 100 free; 10,240 x $0.09 + 10,140 x $0.085 = $921.60 + $861.90
    assert cents(data_transfer_out_cost(20 * 1024).total_usd) == 1783.50
    assert data_transfer_out_cost(100).total_usd == 0
    assert cents(data_transfer_out_cost(1000, free_gb=0).total_usd) == 90.00


def test_public_ipv4_per_address_hour():
    # one address all month: 730 x $0.005 = $3.65; an ALB in 2 zones plus 2 instances: $14.60
    assert cents(public_ipv4_cost(730).total_usd) == 3.65
    assert cents(public_ipv4_cost(730, count=4).total_usd) == 14.60


# --- EBS gp3 ---------------------------------------------------------------------------------

def test_ebs_gp3_example_as_printed_with_its_own_rates(rates_override):
    # The EBS pricing page's gp3 example, read in the stored copy of AWS's European Sovereign
    # Cloud page (aws.eu/ebs/pricing), which prints it in euros: a 2,000 GB volume for 12 hours
    # (43,200 s) of a 30-day month, provisioned at 10,000 IOPS and 500 MB/s.
    #   storage: EUR 0.09394 x 2,000 GB x 43,200 / (86,400 x 30) = EUR 3.13133
    #   IOPS:    EUR 0.00592 x (10,000 - 3,000) x 43,200 / (86,400 x 30) = EUR 0.69067
    rates_override({"ebs_gp3_storage": "0.09394", "ebs_gp3_iops": "0.00592"})
    months = 43_200 / (86_400 * 30)
    cost = ebs_gp3_cost(2000 * months, iops=10_000, throughput_mbps=500, months=months)
    assert round(cost.storage_usd, 5) == 3.13133
    assert round(cost.iops_usd, 5) == 0.69067


def test_ebs_gp3_example_at_us_east_1_rates():
    # The same volume at the us-east-1 rates in the data:
    #   storage    $0.08  x 2,000 x 1/60       = $2.667
    #   IOPS       $0.005 x 7,000 x 1/60       = $0.583
    #   throughput $0.04  x (500 - 125) x 1/60 = $0.250; total $3.50
    months = 43_200 / (86_400 * 30)
    cost = ebs_gp3_cost(2000 * months, iops=10_000, throughput_mbps=500, months=months)
    assert round(cost.storage_usd, 3) == 2.667
    assert round(cost.iops_usd, 3) == 0.583
    assert round(cost.throughput_usd, 3) == 0.250
    assert cents(cost.total_usd) == 3.50
    # the baseline is free: an 8 GB root volume all month is 8 x $0.08 = $0.64
    assert cents(ebs_gp3_cost(8).total_usd) == 0.64


# --- CloudWatch Logs -------------------------------------------------------------------------

def test_lambda_log_tiers():
    # 60 TB of Lambda logs in a month (1 TB = 1,024 GB, as the tiers are metered):
    #   10 TB x $0.50 + 20 TB x $0.25 + 20 TB x $0.10 + 10 TB x $0.05
    #   = $5,120 + $5,120 + $2,048 + $512 = $12,800, against $30,720 at the flat rate.
    # Duckbill's analysis of the change writes the same tiers with 1 TB = 1,000 GB: $12,500.
    gb = 60 * 1024
    tiered = logs_cost(gb, retention_months=0, lambda_logs=True)
    flat = logs_cost(gb, retention_months=0)
    assert cents(tiered.ingestion_usd) == 12800.00
    assert cents(flat.ingestion_usd) == 30720.00


def test_logs_storage_follows_retention():
    # 10 GB a month kept 3 months: 30 GB stored x $0.03 = $0.90; ingestion 10 x $0.50 = $5.00
    cost = logs_cost(10, retention_months=3)
    assert cents(cost.storage_usd) == 0.90 and cents(cost.ingestion_usd) == 5.00


# --- regions ---------------------------------------------------------------------------------

def test_us_east_1_results_are_unchanged_by_naming_the_region():
    a = pricing.lambda_cost(3_000_000, 120, 1536)
    b = pricing.lambda_cost(3_000_000, 120, 1536, region="us-east-1")
    assert a == b
    assert pricing.ec2_cost("m7g.large", 730) == pricing.ec2_cost("m7g.large", 730,
                                                                   region="us-east-1")


def test_seoul_prices_what_a_source_gives_and_refuses_the_rest():
    assert cents(nat_gateway_cost(730, 100, region=SEOUL).total_usd) == cents(
        730 * rate("nat_gateway_hour", SEOUL) + 100 * rate("nat_gateway_gb", SEOUL))
    assert pricing.ec2_monthly_usd("t4g.small", region=SEOUL) == pytest.approx(
        730 * data.ec2_prices().in_region(SEOUL)["t4g.small"].usd_per_hour)
    fn = pricing.lambda_cost(3_000_000, 120, 1536, region=SEOUL)
    assert fn.total_usd == pytest.approx(pricing.lambda_cost(3_000_000, 120, 1536).total_usd)
    refusals = [
        (lambda: api_gateway_cost(1e6, region=SEOUL), "API Gateway HTTP API requests"),
        (lambda: data_transfer_out_cost(500, region=SEOUL), "data transfer out"),
        (lambda: logs_cost(5, region=SEOUL), "CloudWatch Logs ingestion"),
        (lambda: ebs_gp3_cost(8, iops=4000, region=SEOUL), "EBS gp3 IOPS above the baseline"),
        (lambda: pricing.lambda_cost(1e6, 100, 1024, provisioned_concurrency=1,
                                     provisioned_hours=1, region=SEOUL),
         "Provisioned Concurrency"),
        (lambda: pricing.lambda_cost(1e6, 100, 1024, ephemeral_mb=2048, region=SEOUL),
         "ephemeral storage"),
        (lambda: pricing.tiered_compute_usd(7e9, "x86_64", region=SEOUL), "beyond"),
        (lambda: pricing.ec2_cost("m7g.large", 1, region=SEOUL), "the instance type m7g.large"),
    ]
    for call, what in refusals:
        with pytest.raises(ValueError, match="region='ap-northeast-2' has no price for") as info:
            call()
        assert what in str(info.value) and "does not guess" in str(info.value)


def test_a_quantity_of_zero_needs_no_price():
    assert logs_cost(0, region=SEOUL).total_usd == 0
    assert data_transfer_out_cost(0, region=SEOUL).total_usd == 0
    assert ebs_gp3_cost(8, region=SEOUL).total_usd == pytest.approx(8 * rate("ebs_gp3_storage",
                                                                               SEOUL))


@pytest.mark.parametrize("call, fragment", [
    (lambda: api_gateway_cost(-1), "requests=-1 is out of range"),
    (lambda: api_gateway_cost(1, api="graphql"), "api='graphql' is not allowed; allowed: http, "
     "rest"),
    (lambda: api_gateway_cost(1, free_tier="yes"), "free_tier='yes' is not allowed"),
    (lambda: alb_cost(10, lcu=-0.5), "lcu=-0.5 is out of range"),
    (lambda: nat_gateway_cost(10, 5, count=1.5), "count=1.5 is not a whole number"),
    (lambda: data_transfer_out_cost(math.inf), "gb=inf is not a finite number"),
    (lambda: public_ipv4_cost(10, count=-1), "count=-1 is out of range"),
    (lambda: ebs_gp3_cost(10, iops=100), "iops=100 is out of range; allowed: 3,000 or more"),
    (lambda: logs_cost(1, lambda_logs=1), "lambda_logs=1 is not allowed"),
    (lambda: whole_bill(1, 100, 512, "t4g.small", 1, 0, front_door="cdn"),
     "front_door='cdn' is not allowed"),
    (lambda: whole_bill(1, 100, 512, "t4g.small", 0, 0), "count=0 is out of range"),
    (lambda: whole_bill(1, 100, 512, "t4g.small", 1, 0, nat_gb=5), "nat_gb=5 needs a NAT"),
    (lambda: whole_bill(1, 100, 512, "t4g.small", 1, 0, region="eu-west-1"),
     "region='eu-west-1' is not a region the book prices"),
])
def test_bad_input_names_parameter_value_and_what_is_allowed(call, fragment):
    with pytest.raises(ValueError, match="allowed") as info:
        call()
    assert fragment in str(info.value)


# --- the whole bill ----------------------------------------------------------------------------

def test_whole_bill_lines_are_the_line_functions():
    bill = whole_bill(100e6, 120, 512, "t4g.small", 2, 500, arch="arm64")
    lam = {line.key: line.usd for line in bill.lambda_lines}
    ec2 = {line.key: line.usd for line in bill.ec2_lines}
    assert lam["compute"] == pytest.approx(pricing.lambda_cost(100e6, 120, 512,
                                                               arch="arm64").total_usd)
    assert lam["front_door"] == pytest.approx(api_gateway_cost(100e6).total_usd)
    assert lam["ebs"] is None and lam["public_ipv4"] is None and lam["nat_gateway"] is None
    assert ec2["compute"] == pytest.approx(pricing.ec2_monthly_usd("t4g.small", count=2))
    lcus = bills.alb_lcus_for_traffic(100e6, 500, duration_ms=120,
                                        requests_per_connection=5)
    assert ec2["front_door"] == pytest.approx(alb_cost(730, lcu=lcus.lcu).total_usd)
    assert ec2["ebs"] == pytest.approx(ebs_gp3_cost(16).total_usd)
    assert ec2["public_ipv4"] == pytest.approx(public_ipv4_cost(730, count=2 + 2).total_usd)
    assert lam["data_transfer"] == ec2["data_transfer"] == pytest.approx(
        data_transfer_out_cost(500).total_usd)
    log_gb = 100e6 * bills.DEFAULT_LOG_BYTES_PER_REQUEST / 1024 ** 3
    assert lam["logs"] == pytest.approx(logs_cost(log_gb, lambda_logs=True).total_usd)
    assert ec2["logs"] == pytest.approx(logs_cost(log_gb).total_usd)
    assert bill.lambda_total_usd == pytest.approx(sum(v for v in lam.values() if v))
    assert bill.ec2_total_usd == pytest.approx(sum(v for v in ec2.values() if v))


def test_a_nat_gateway_moves_the_instances_off_public_addresses():
    bill = whole_bill(1e6, 100, 512, "t4g.small", 3, 10, nat_gateways=2, nat_gb=50)
    lam = {line.key: line for line in bill.lambda_lines}
    ec2 = {line.key: line for line in bill.ec2_lines}
    nat = nat_gateway_cost(730, 50, count=2).total_usd
    assert lam["nat_gateway"].usd == ec2["nat_gateway"].usd == pytest.approx(nat)
    assert ec2["public_ipv4"].usd == pytest.approx(public_ipv4_cost(730, count=2 + 2).total_usd)
    assert lam["public_ipv4"].usd == pytest.approx(public_ipv4_cost(730, count=2).total_usd)


def test_rows_are_display_strings_with_a_dash_for_what_does_not_apply():
    bill = whole_bill(20e6, 80, 1024, "m7g.large", 2, 200, front_door="function_url")
    rows = bill.rows()
    assert [r["line"] for r in rows] == list(bills.BILL_LINES.values()) + ["Total per month"]
    ebs = next(r for r in rows if r["line"] == "EBS volumes")
    assert ebs["lambda"] == "—" and ebs["ec2"].startswith("$")
    door = next(r for r in rows if r["line"] == "Front door")
    assert door["lambda"] == "$0.00" and door["lambda_detail"] == "Lambda function URL"
    assert rows[-1]["ec2"] == pricing.format_usd(bill.ec2_total_usd)
    plain = bill.as_plain()
    assert plain["cheaper"] in ("Lambda", "EC2") and plain["summary"] == bill.summary()
    assert all(isinstance(v, str) for r in plain["rows"] for v in r.values())


def test_dominant_lines_cover_half_the_bill():
    bill = whole_bill(100e6, 120, 512, "t4g.small", 2, 500, arch="arm64")
    for design in ("lambda", "ec2"):
        lines = bill.dominant(design)
        total = bill.total(design)
        assert sum(line.usd for line in lines) >= 0.5 * total
        # dropping the smallest of them would fall below half
        assert sum(line.usd for line in lines[:-1]) < 0.5 * total
    assert "Most of the Lambda bill is" in bill.summary()


def test_whole_bill_break_even_is_where_the_totals_cross():
    options = dict(arch="arm64")
    n = bills.whole_bill_break_even(120, 512, "t4g.small", 2, response_kb=5, **options)
    assert n is not None and n > 0

    def gap(requests):
        bill = bills.whole_bill_at(requests, 120, 512, "t4g.small", 2, response_kb=5, **options)
        return bill.lambda_total_usd - bill.ec2_total_usd

    assert gap(n - 1) < 0 <= gap(n)


def test_whole_bill_break_even_none_beyond_the_fleets_capacity():
    # A t3.micro serving 5-second jobs two at a time cannot reach its whole-bill crossing
    assert bills.whole_bill_break_even(5000, 128, "t3.micro", 1, concurrency_per_instance=2,
                                         front_door="none") is None


def test_series_are_plain_lists():
    series = bills.whole_bill_series([0, 1e6, 1e8], 120, 512, "t4g.small", 1, response_kb=5)
    assert set(series) == {"requests", "lambda_compute", "ec2_compute", "lambda_total",
                           "ec2_total"}
    assert all(isinstance(v, list) and len(v) == 3 for v in series.values())
    assert series["lambda_total"][2] >= series["lambda_compute"][2]


# --- properties ------------------------------------------------------------------------------

quantity = st.floats(0, 5e10, allow_nan=False)
api_st = st.sampled_from(["http", "rest"])


@settings(max_examples=200, deadline=None)
@given(quantity, quantity, api_st, st.booleans())
def test_api_gateway_never_negative_and_monotone(a, b, api, free):
    low, high = sorted((a, b))
    lo = api_gateway_cost(low, api=api, free_tier=free).total_usd
    hi = api_gateway_cost(high, api=api, free_tier=free).total_usd
    assert 0 <= lo <= hi * (1 + 1e-12)


def _continuous(cost, boundary: float, offset: float, top_rate: float) -> None:
    assume(boundary + offset >= 0)
    at, near = cost(boundary), cost(boundary + offset)
    # a step of x units can change the charge by at most x times the dearest rate: no jumps
    assert abs(near - at) <= abs(offset) * top_rate * (1 + 1e-9) + 1e-9


@settings(max_examples=200, deadline=None)
@given(api_st, st.integers(0, 3), st.floats(-1e7, 1e7))
def test_api_gateway_continuous_across_tiers(api, index, offset):
    tiers = data.whole_bill_prices().tiers(bills.API_ITEMS[api], "us-east-1")
    boundary = tiers[min(index, len(tiers) - 1)].start
    _continuous(lambda n: api_gateway_cost(n, api=api).total_usd, boundary, offset,
                tiers[0].rate / 1e6)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 3), st.floats(-1e4, 1e4))
def test_data_transfer_continuous_across_tiers(index, offset):
    tiers = data.whole_bill_prices().tiers("data_transfer_out", "us-east-1")
    free = rate("data_transfer_out_free")
    _continuous(lambda gb: data_transfer_out_cost(gb).total_usd, tiers[index].start + free,
                offset, tiers[0].rate)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 3), st.floats(-1e4, 1e4))
def test_lambda_logs_continuous_across_tiers(index, offset):
    tiers = data.whole_bill_prices().tiers("logs_lambda_ingestion", "us-east-1")
    _continuous(lambda gb: logs_cost(gb, retention_months=0, lambda_logs=True).total_usd,
                tiers[index].start, offset, tiers[0].rate)


@settings(max_examples=200, deadline=None)
@given(quantity, quantity, st.floats(0, 1e4), st.floats(0, 1e4), st.integers(0, 5))
def test_network_and_storage_lines_never_negative_and_monotone(a, b, h1, h2, count):
    low, high = sorted((a, b))
    hours_lo, hours_hi = sorted((h1, h2))
    pairs = [
        (data_transfer_out_cost(low).total_usd, data_transfer_out_cost(high).total_usd),
        (nat_gateway_cost(hours_lo, low, count=count).total_usd,
         nat_gateway_cost(hours_hi, high, count=count).total_usd),
        (public_ipv4_cost(hours_lo, count=count).total_usd,
         public_ipv4_cost(hours_hi, count=count).total_usd),
        (alb_cost(hours_lo, lcu=count).total_usd, alb_cost(hours_hi, lcu=count).total_usd),
        (ebs_gp3_cost(low).total_usd, ebs_gp3_cost(high).total_usd),
        (logs_cost(low / 1e3).total_usd, logs_cost(high / 1e3).total_usd),
        (logs_cost(low / 1e3, lambda_logs=True).total_usd,
         logs_cost(high / 1e3, lambda_logs=True).total_usd),
    ]
    for lo, hi in pairs:
        assert 0 <= lo <= hi * (1 + 1e-12) + 1e-12


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 2e9), st.floats(0, 2e9), st.floats(1, 5000), st.sampled_from([128, 1024]),
       st.sampled_from(["http_api", "rest_api", "function_url", "none"]), st.floats(0, 50),
       st.integers(0, 2))
def test_whole_bill_lines_never_negative_and_totals_monotone_in_requests(a, b, duration_ms,
                                                                          memory_mb, door,
                                                                          response_kb, nats):
    low, high = sorted((a, b))
    options = dict(front_door=door, nat_gateways=nats, response_kb=response_kb)
    lo = bills.whole_bill_at(low, duration_ms, memory_mb, "m7g.large", 2, **options)
    hi = bills.whole_bill_at(high, duration_ms, memory_mb, "m7g.large", 2, **options)
    for bill in (lo, hi):
        assert all(line.usd is None or line.usd >= 0
                   for line in bill.lambda_lines + bill.ec2_lines)
    assert lo.lambda_total_usd <= hi.lambda_total_usd * (1 + 1e-12) + 1e-9
    assert lo.ec2_total_usd <= hi.ec2_total_usd * (1 + 1e-12) + 1e-9


def test_the_whole_bill_is_its_own_module_and_its_old_names_still_import():
    """ec2vslambda.pricing holds Lambda and EC2; the rest of the bill is ec2vslambda.bills. Code
    written before the split still finds each moved name where it was."""
    assert not set(pricing.__all__) & pricing.MOVED_TO_BILLS
    assert pricing.MOVED_TO_BILLS == set(bills.__all__)
    for name in pricing.MOVED_TO_BILLS:
        assert getattr(pricing, name) is getattr(bills, name)
    with pytest.raises(AttributeError, match="has no attribute 'nothing_here'"):
        _ = pricing.nothing_here
