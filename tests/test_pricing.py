"""The cost model against AWS's own published arithmetic, plus properties that must always hold.

The worked examples are those on AWS's Lambda pricing page (https://aws.amazon.com/lambda/pricing/,
US East, read 2026-11-27). Each test writes the page's arithmetic out, so a reader can check the
model line by line; AWS rounds each charge to the cent, and so do the assertions.
"""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ec2vslambda import data, pricing
from ec2vslambda.pricing import break_even_requests, ec2_cost, lambda_cost

X86_FIRST_TIER = 0.0000166667  # USD per GB-s, as printed on the pricing page


def cents(x: float) -> float:
    return round(x + 1e-9, 2)


# --- AWS's worked examples ------------------------------------------------------------------

def test_example_mobile_backend_with_free_tier():
    # 3M requests x 120 ms = 360,000 s; x 1536/1024 GB = 540,000 GB-s
    # 540,000 - 400,000 free = 140,000 GB-s x $0.0000166667 = $2.33
    # 3M - 1M free = 2M requests x $0.20/M = $0.40; total $2.73
    cost = lambda_cost(3_000_000, 120, 1536)
    assert cost.gb_seconds == pytest.approx(540_000)
    assert cents(cost.compute_usd) == 2.33
    assert cents(cost.requests_usd) == 0.40
    assert cents(cost.total_usd) == 2.73


def test_example_streaming_telemetry_without_free_tier():
    # 10,000 vehicles x 24 x 31 = 7.44M messages; x $0.20/M = $1.488 ~ $1.49
    # 7.44M x 2 s x 1 GB = 14.88M GB-s x $0.0000166667 = $248.00; total $249.49
    requests = 10_000 * 24 * 31
    cost = lambda_cost(requests, 2000, 1024, free_tier=False)
    assert cents(cost.requests_usd) == 1.49
    assert cents(cost.compute_usd) == 248.00
    assert cents(cost.total_usd) == 249.49


def test_example_nlp_with_ephemeral_storage():
    # 6M x 280 ms = 1,680,000 s; x 4 GB = 6,720,000 GB-s; - 400,000 = 6,320,000 -> $105.33
    # 5M billable requests -> $1.00
    # /tmp 2048 MB: 1536 MB above the free 512 MB; 1,680,000 s x 1.5 GB = 2,520,000 GB-s
    #   x $0.0000000309 = $0.08; total $106.41
    cost = lambda_cost(6_000_000, 280, 4096, ephemeral_mb=2048)
    assert cents(cost.compute_usd) == 105.33
    assert cents(cost.requests_usd) == 1.00
    assert cents(cost.ephemeral_usd) == 0.08
    assert cents(cost.total_usd) == 106.41


def test_example_provisioned_concurrency_launch_day():
    # PC 100 x 1.5 GB for 8 h = 150 GB x 28,800 s = 4,320,000 GB-s x $0.0000041667 = $18.00
    # 500,000 requests at 100 ms under PC: 50,000 s x 1.5 GB = 75,000 GB-s x $0.0000097222 = $0.73
    # 2.5M on-demand at 120 ms: 450,000 GB-s - 400,000 free = 50,000 x $0.0000166667 = $0.83
    # requests 3M - 1M free = 2M -> $0.40; total $18 + $0.40 + $0.73 + $0.83 = $19.96
    cost = lambda_cost(3_000_000, 120, 1536, provisioned_concurrency=100, provisioned_hours=8,
                       provisioned_share=500_000 / 3_000_000, provisioned_duration_ms=100)
    assert cost.provisioned_gb_seconds == pytest.approx(4_320_000)
    assert cost.provisioned_duration_gb_seconds == pytest.approx(75_000)
    assert cents(cost.compute_usd) == 0.83
    assert cents(cost.requests_usd) == 0.40
    assert cents(cost.provisioned_usd) == pytest.approx(18.00 + 0.73)
    assert cents(cost.total_usd) == 19.96


def test_example_provisioned_concurrency_cyber_monday():
    # PC 7 x 4 GB for 24 h = 28 GB x 86,400 s = 2,419,200 GB-s x $0.0000041667 = $10.08
    # 2M x 280 ms = 560,000 s x 4 GB = 2,240,000 GB-s x $0.0000097222 = $21.78
    # 2M requests, all under PC, so no free tier: $0.40; total $32.26
    cost = lambda_cost(2_000_000, 280, 4096, provisioned_concurrency=7, provisioned_hours=24)
    assert cents(cost.requests_usd) == 0.40
    assert cost.compute_usd == 0
    assert cents(cost.total_usd) == 32.26


def test_example_archived_page_512mb_one_second():
    # The page's older example (rate then printed as $0.00001667): 3M x 1 s x 0.5 GB =
    # 1,500,000 GB-s - 400,000 = 1,100,000 GB-s. At today's $0.0000166667 that is $18.33
    # (the page showed $18.34 with the rounded rate); requests 2M -> $0.40.
    cost = lambda_cost(3_000_000, 1000, 512)
    assert cents(cost.compute_usd) == cents(1_100_000 * X86_FIRST_TIER) == 18.33
    assert cents(cost.total_usd) == 18.73


def test_first_tier_rate_matches_the_page():
    assert data.lambda_prices().duration_tiers["x86_64"][0].usd_per_gb_s == X86_FIRST_TIER


# --- rules -----------------------------------------------------------------------------------

def test_duration_rounds_up_to_the_next_millisecond():
    assert pricing.billed_duration_ms(120.0) == 120
    assert pricing.billed_duration_ms(120.2) == 121
    assert pricing.billed_duration_ms(0.3) == 1
    assert pricing.billed_duration_ms(0.1 + 0.2) == 1  # float noise does not add a millisecond
    one = lambda_cost(1_000_000, 100.01, 1024, free_tier=False)
    assert one.billed_duration_ms == 101


def test_cold_starts_bill_their_init():
    warm = lambda_cost(2_000_000, 100, 1024, free_tier=False)
    cold = lambda_cost(2_000_000, 100, 1024, free_tier=False, init_ms=250, cold_start_ratio=0.01)
    # 20,000 cold starts x 250 ms x 1 GB = 5,000 GB-s extra
    assert cold.cold_starts == pytest.approx(20_000)
    assert cold.gb_seconds - warm.gb_seconds == pytest.approx(5_000)
    assert cold.compute_usd - warm.compute_usd == pytest.approx(5_000 * X86_FIRST_TIER)


def test_tiers_apply_to_the_months_aggregate():
    tiers = data.lambda_prices().duration_tiers["x86_64"]
    # 10 billion GB-s: 6 billion at the first rate, 4 billion at the second
    usd = pricing.tiered_compute_usd(10e9, "x86_64")
    assert usd == pytest.approx(6e9 * tiers[0].usd_per_gb_s + 4e9 * tiers[1].usd_per_gb_s)
    usd = pricing.tiered_compute_usd(20e9, "x86_64")
    assert usd == pytest.approx(6e9 * tiers[0].usd_per_gb_s + 9e9 * tiers[1].usd_per_gb_s
                                + 5e9 * tiers[2].usd_per_gb_s)


def test_free_tier_is_taken_from_the_first_tier():
    assert pricing.tiered_compute_usd(400_000, free_gb_s=400_000) == 0
    assert pricing.tiered_compute_usd(500_000, free_gb_s=400_000) == pytest.approx(
        100_000 * X86_FIRST_TIER)


def test_provisioned_time_rounds_up_to_five_minutes():
    a = lambda_cost(0, 100, 1024, provisioned_concurrency=1, provisioned_hours=1 + 1 / 60)
    b = lambda_cost(0, 100, 1024, provisioned_concurrency=1, provisioned_hours=1 + 5 / 60)
    assert a.provisioned_gb_seconds == b.provisioned_gb_seconds == pytest.approx(3900)


def test_nothing_costs_nothing():
    cost = lambda_cost(0, 0, 128)
    assert cost.total_usd == 0 and cost.gb_seconds == 0


def test_within_the_free_tier_costs_nothing():
    # 1M requests x 100 ms x 0.5 GB = 50,000 GB-s, inside both allowances
    assert lambda_cost(1_000_000, 100, 512).total_usd == 0


# --- EC2 -------------------------------------------------------------------------------------

def test_ec2_published_hourly_prices_for_a_month():
    for name, spec in data.ec2_prices().instances.items():
        cost = ec2_cost(name, pricing.HOURS_PER_MONTH)
        assert cost.total_usd == pytest.approx(spec.usd_per_hour * 730)


def test_ec2_m7i_large_month_to_the_cent():
    # $0.1008 per hour x 730 h = $73.584 -> $73.58
    assert cents(ec2_cost("m7i.large", 730).total_usd) == 73.58


def test_ec2_per_second_billing_with_60_second_minimum():
    hourly = pricing.instance("c7g.large").usd_per_hour
    assert ec2_cost("c7g.large", 10 / 3600).total_usd == pytest.approx(hourly * 60 / 3600)
    assert ec2_cost("c7g.large", 61 / 3600).total_usd == pytest.approx(hourly * 61 / 3600)
    assert ec2_cost("c7g.large", 61.2 / 3600).total_usd == pytest.approx(hourly * 62 / 3600)
    assert ec2_cost("c7g.large", 0).total_usd == 0


def test_ec2_count_and_discounts():
    on_demand = ec2_cost("m7g.large", 100, count=3)
    hourly = pricing.instance("m7g.large").usd_per_hour
    assert on_demand.total_usd == pytest.approx(3 * 100 * hourly)
    for model in ("savings_plan", "spot"):
        discounted = ec2_cost("m7g.large", 100, count=3, pricing=model)
        off = data.ec2_prices().discounts[model]
        assert discounted.total_usd == pytest.approx(on_demand.total_usd * (1 - off))
        assert discounted.total_usd < on_demand.total_usd


# --- break-even ------------------------------------------------------------------------------

def test_break_even_is_where_the_costs_meet():
    n = break_even_requests(100, 512, "m7g.large")
    assert n is not None
    fleet = pricing.ec2_monthly_usd("m7g.large")
    assert lambda_cost(n - 1, 100, 512).total_usd <= fleet <= lambda_cost(n, 100, 512).total_usd


def test_break_even_none_beyond_the_fleets_capacity():
    # A t3.micro serving 5-second requests two at a time manages ~1M a month, but Lambda at
    # 128 MB only reaches the instance's price after several million: no crossing for this fleet.
    capacity = pricing.ec2_capacity_requests("t3.micro", 5000, concurrency_per_instance=2)
    assert capacity == pytest.approx(2 * 730 * 3600 * 1000 / 5000)
    assert break_even_requests(5000, 128, "t3.micro", concurrency_per_instance=2) is None
    # on cost alone the lines do cross, beyond that capacity
    assert break_even_requests(5000, 128, "t3.micro") > capacity


def test_break_even_falls_with_memory_and_rises_with_fleet_price():
    small = break_even_requests(100, 256, "m7g.large")
    large = break_even_requests(100, 2048, "m7g.large")
    assert small > large
    assert break_even_requests(100, 512, "m7g.xlarge") > break_even_requests(100, 512, "m7g.large")


# --- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, fragment", [
    (dict(memory_mb=64), "memory_mb=64 is out of range; allowed: 128 to 10,240"),
    (dict(memory_mb=20_000), "memory_mb=20000"),
    (dict(memory_mb=1536.5), "memory_mb=1536.5 is not a whole number"),
    (dict(duration_ms=900_001), "duration_ms=900001 is out of range; allowed: 0 to 900,000"),
    (dict(duration_ms=-1), "duration_ms=-1"),
    (dict(duration_ms=math.nan), "duration_ms=nan is not a finite number"),
    (dict(requests=-5), "requests=-5"),
    (dict(requests="many"), "requests='many' is not a number"),
    (dict(arch="riscv"), "arch='riscv' is not allowed; allowed: x86_64, arm64"),
    (dict(cold_start_ratio=1.5), "cold_start_ratio=1.5"),
    (dict(ephemeral_mb=100), "ephemeral_mb=100"),
    (dict(provisioned_share=0.5), "provisioned_share=0.5 needs Provisioned Concurrency"),
])
def test_lambda_bad_input_names_parameter_value_and_range(kwargs, fragment):
    args = dict(requests=1_000, duration_ms=100, memory_mb=512) | kwargs
    requests, duration_ms, memory_mb = (args.pop(k) for k in ("requests", "duration_ms",
                                                               "memory_mb"))
    with pytest.raises(ValueError, match="allowed") as info:
        lambda_cost(requests, duration_ms, memory_mb, **args)
    assert fragment in str(info.value)


@pytest.mark.parametrize("call, fragment", [
    (lambda: ec2_cost("m9.huge", 1), "instance_type='m9.huge' is not in ec2_prices.csv"),
    (lambda: ec2_cost("m7g.large", -1), "hours=-1"),
    (lambda: ec2_cost("m7g.large", 1, count=1.5), "count=1.5 is not a whole number"),
    (lambda: ec2_cost("m7g.large", 1, pricing="reserved"), "pricing='reserved' is not allowed"),
    (lambda: break_even_requests(100, 512, "m7g.large", arch="sparc"), "arch='sparc'"),
])
def test_ec2_bad_input(call, fragment):
    with pytest.raises(ValueError, match="allowed") as info:
        call()
    assert fragment in str(info.value)


# --- properties ------------------------------------------------------------------------------

requests_st = st.floats(0, 5e10, allow_nan=False)
duration_st = st.floats(0, 900_000, allow_nan=False)
memory_st = st.integers(128, 10_240)
arch_st = st.sampled_from(["x86_64", "arm64"])
free_st = st.booleans()


@settings(max_examples=300, deadline=None)
@given(requests_st, duration_st, memory_st, arch_st, free_st,
       st.floats(0, 10_000), st.floats(0, 1), st.integers(512, 10_240))
def test_never_negative_and_parts_add_up(requests, duration_ms, memory_mb, arch, free, init_ms,
                                         ratio, ephemeral_mb):
    cost = lambda_cost(requests, duration_ms, memory_mb, arch=arch, free_tier=free,
                       init_ms=init_ms, cold_start_ratio=ratio, ephemeral_mb=ephemeral_mb)
    parts = (cost.requests_usd, cost.compute_usd, cost.ephemeral_usd, cost.provisioned_usd)
    assert all(p >= 0 for p in parts)
    assert cost.total_usd == pytest.approx(sum(parts))


@settings(max_examples=300, deadline=None)
@given(requests_st, requests_st, duration_st, memory_st, arch_st, free_st)
def test_monotone_in_requests(a, b, duration_ms, memory_mb, arch, free):
    low, high = sorted((a, b))
    assert (lambda_cost(low, duration_ms, memory_mb, arch=arch, free_tier=free).total_usd
            <= lambda_cost(high, duration_ms, memory_mb, arch=arch, free_tier=free).total_usd
            * (1 + 1e-12))


@settings(max_examples=300, deadline=None)
@given(requests_st, duration_st, duration_st, memory_st, arch_st, free_st)
def test_monotone_in_duration(requests, a, b, memory_mb, arch, free):
    low, high = sorted((a, b))
    assert (lambda_cost(requests, low, memory_mb, arch=arch, free_tier=free).total_usd
            <= lambda_cost(requests, high, memory_mb, arch=arch, free_tier=free).total_usd
            * (1 + 1e-12))


@settings(max_examples=300, deadline=None)
@given(requests_st, duration_st, memory_st, memory_st, arch_st, free_st)
def test_monotone_in_memory(requests, duration_ms, a, b, arch, free):
    low, high = sorted((a, b))
    assert (lambda_cost(requests, duration_ms, low, arch=arch, free_tier=free).total_usd
            <= lambda_cost(requests, duration_ms, high, arch=arch, free_tier=free).total_usd
            * (1 + 1e-12))


@settings(max_examples=300, deadline=None)
@given(requests_st, duration_st, memory_st, free_st, st.integers(0, 3000), st.floats(0, 730))
def test_arm64_never_dearer_than_x86(requests, duration_ms, memory_mb, free, pc, hours):
    kwargs = dict(free_tier=free, provisioned_concurrency=pc, provisioned_hours=hours)
    arm = lambda_cost(requests, duration_ms, memory_mb, arch="arm64", **kwargs)
    x86 = lambda_cost(requests, duration_ms, memory_mb, arch="x86_64", **kwargs)
    assert arm.total_usd <= x86.total_usd * (1 + 1e-12)


@settings(max_examples=200, deadline=None)
@given(arch_st, st.integers(0, 2), st.floats(-1e6, 1e6))
def test_continuous_across_tier_boundaries(arch, boundary_index, offset):
    tiers = data.lambda_prices().duration_tiers[arch]
    boundary = [t.start_gb_s for t in tiers][boundary_index]
    assume(boundary + offset >= 0)
    at = pricing.tiered_compute_usd(boundary, arch)
    near = pricing.tiered_compute_usd(boundary + offset, arch)
    top_rate = tiers[0].usd_per_gb_s
    # a step of x GB-s can change the bill by at most x times the dearest rate: no jumps
    assert abs(near - at) <= abs(offset) * top_rate * (1 + 1e-9) + 1e-9

