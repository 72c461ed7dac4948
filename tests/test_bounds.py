"""The bounds on the model's inputs (ec2vslambda.bounds) and the reasons they give.

A bound of the book's own arithmetic is only as good as its reason: these tests check each
reason against the data, so that a refreshed price list that breaks one fails here.
"""

from __future__ import annotations

import math
import time

import pytest

from ec2vslambda import bounds, data, pricing
from ec2vslambda.validation import InputError


def test_a_count_below_the_bound_keeps_its_last_digit():
    assert bounds.MAX_COUNT < 2 ** 53
    assert float(bounds.MAX_COUNT - 1) != float(bounds.MAX_COUNT)


def test_the_largest_fleet_still_breaks_even_at_an_exact_count():
    """MAX_INSTANCES' reason: the dearest instance type in the data, MAX_INSTANCES of them,
    against the cheapest Lambda request, cross below MAX_COUNT requests a month."""
    prices, checked = data.ec2_prices(), []
    for region in data.REGIONS:
        dearest = max(prices.in_region(region).values(), key=lambda i: i.usd_per_hour)
        tiers = data.lambda_prices(region=region).duration_tiers["arm64"]
        if not math.isinf(tiers[-1].end_gb_s):  # the data prices no duration beyond its tiers:
            continue  # the model refuses the usage there (a region error), whatever the count
        even = pricing.break_even_requests(1, 128, dearest.name, count=bounds.MAX_INSTANCES,
                                           arch="arm64", free_tier=False, region=region)
        assert even is not None and even < bounds.MAX_COUNT, (region, dearest.name, even)
        checked.append(region)
    assert "us-east-1" in checked


def test_the_limits_behind_the_bounds_come_from_the_data():
    assert bounds.MEMORY_MB.low == data.limit_value("memory_min")
    assert bounds.MEMORY_MB.high == data.limit_value("memory_max")
    assert bounds.DURATION_MS.high == data.limit_value("timeout_max") * 1000
    assert bounds.INIT_MS.high == data.limit_value("init_timeout") * 1000
    assert bounds.RESPONSE_KB.high == data.limit_value("response_streaming_max") * 1024


@pytest.mark.parametrize("count", [1, 3, 10 ** 5, bounds.MAX_INSTANCES])
def test_break_even_is_the_fewest_requests_that_cost_as_much(count):
    target = pricing.ec2_monthly_usd("m7g.large", count=count)
    even = pricing.break_even_requests(120, 512, "m7g.large", count=count, arch="arm64")

    def cost(n):
        return pricing.lambda_cost(n, 120, 512, arch="arm64").total_usd

    assert cost(even) >= target > cost(even - 1)


def test_break_even_answers_at_once_for_any_fleet_the_model_takes():
    """The bisection it replaced never ended beyond 2**53 requests (floats there are more than
    0.5 apart); the closed form takes a fixed number of steps."""
    started = time.perf_counter()
    even = pricing.break_even_requests(1, 10240, "m7i.xlarge", count=bounds.MAX_INSTANCES)
    assert time.perf_counter() - started < 1.0
    assert even > 0
    with pytest.raises(InputError, match="^count=1000001 is out of range"):
        pricing.break_even_requests(120, 512, "t4g.small", count=bounds.MAX_INSTANCES + 1)


def test_break_even_with_the_free_tier_and_without_agree_where_the_free_tier_is_used_up():
    paid = pricing.break_even_requests(120, 512, "m7g.large", free_tier=False)
    free = pricing.break_even_requests(120, 512, "m7g.large")
    assert free > paid  # the free tier moves the crossing to more requests


def test_a_fleet_that_costs_nothing_more_than_lambda_at_zero_breaks_even_at_zero():
    assert pricing.break_even_requests(120, 512, "t4g.small", count=0) == 0
