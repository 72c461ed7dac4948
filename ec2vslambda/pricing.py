"""Monthly cost of a Lambda function and of an EC2 fleet, from the prices in ``data/``.

Pure functions: no widgets, no printing, no network. Every rate comes from
:mod:`ec2vslambda.data`; nothing here restates a price.

Conventions
-----------
* A month is 730 hours (AWS's own convention for monthly estimates).
* Lambda duration is rounded up to the billing granularity (1 ms) per invocation.
* Volume tiers apply to the month's aggregate on-demand GB-seconds of one architecture.
* The free tier (1M requests, 400,000 GB-s a month) covers on-demand use only: requests and
  GB-s served by provisioned environments never count against it (AWS's worked examples apply
  it to the on-demand part of a function that also has Provisioned Concurrency). Free GB-s are
  deducted from the lowest tier.
* Since 2025-08-01 the INIT phase of on-demand functions is billed: each cold start adds its
  INIT duration to that invocation's billed duration.
* EC2 instances are billed per second with a 60-second minimum (Linux On-Demand).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from . import data as _data
from .validation import choice, flag, number, whole

HOURS_PER_MONTH = 730.0
SECONDS_PER_HOUR = 3600.0
MB_PER_GB = 1024.0
EC2_MINIMUM_BILLED_S = 60.0


# --- validation of Lambda settings -------------------------------------------------------

def check_memory_mb(memory_mb: object) -> int:
    """Validate a Lambda memory setting against ``lambda_limits.csv``; return it as int."""
    return whole("memory_mb", memory_mb, low=_data.limit_value("memory_min"),
                  high=_data.limit_value("memory_max"))


def check_duration_ms(duration_ms: object, name: str = "duration_ms") -> float:
    """Validate one invocation's duration against Lambda's timeout."""
    return number(name, duration_ms, low=0.0, high=_data.limit_value("timeout_max") * 1000.0)


def check_arch(arch: object) -> str:
    return choice("arch", arch, _data.lambda_prices().architectures)


# --- Lambda ---------------------------------------------------------------------------------

def billed_duration_ms(duration_ms: float) -> float:
    """One invocation's billed duration: rounded up to the billing granularity (1 ms)."""
    step = _data.lambda_prices().duration_rounding_ms
    # round() first so that 120.00000000001 (float noise) bills as 120 ms, not 121 ms
    return math.ceil(round(duration_ms / step, 6)) * step


def tiered_compute_usd(gb_seconds: float, arch: str = "x86_64", *, free_gb_s: float = 0.0) -> float:
    """Price a month's on-demand GB-s through the volume tiers of ``arch``.

    ``free_gb_s`` is taken off the lowest tier first (the free tier).
    """
    gb_seconds = number("gb_seconds", gb_seconds)
    tiers = _data.lambda_prices().duration_tiers[check_arch(arch)]
    usd = 0.0
    for tier in tiers:
        in_tier = max(0.0, min(gb_seconds, tier.end_gb_s) - tier.start_gb_s)
        free_here = max(0.0, min(free_gb_s, tier.end_gb_s) - tier.start_gb_s)
        usd += max(0.0, in_tier - free_here) * tier.usd_per_gb_s
    return usd


@dataclass(frozen=True)
class LambdaCost:
    """One month of a Lambda function, itemised. All money in USD."""

    requests: float
    memory_mb: int
    arch: str
    billed_duration_ms: float  # per warm invocation
    cold_starts: float
    gb_seconds: float  # on-demand compute, before the free tier
    free_gb_seconds: float  # free-tier GB-s used
    free_requests: float
    provisioned_gb_seconds: float  # configured concurrency x enabled time
    provisioned_duration_gb_seconds: float  # invocations served by provisioned environments
    requests_usd: float
    compute_usd: float
    ephemeral_usd: float
    provisioned_usd: float  # enabled charge + duration of provisioned invocations
    total_usd: float

    def as_dict(self) -> dict[str, float | int | str]:
        return asdict(self)

    def items(self) -> list[tuple[str, float]]:
        """The charges as (label, USD) pairs, for tables."""
        return [("Requests", self.requests_usd), ("Compute (duration)", self.compute_usd),
                ("Ephemeral storage", self.ephemeral_usd),
                ("Provisioned Concurrency", self.provisioned_usd), ("Total", self.total_usd)]


def lambda_cost(requests: float, duration_ms: float, memory_mb: int, *, arch: str = "x86_64",
                free_tier: bool = True, ephemeral_mb: int = 512, init_ms: float = 0.0,
                cold_start_ratio: float = 0.0, provisioned_concurrency: int = 0,
                provisioned_hours: float = 0.0, provisioned_share: float | None = None,
                provisioned_duration_ms: float | None = None) -> LambdaCost:
    """Monthly cost of one Lambda function.

    Parameters
    ----------
    requests: invocations per month.
    duration_ms: average duration of one invocation (handler time), ms.
    memory_mb: configured memory, 128 to 10,240 MB.
    arch: ``"x86_64"`` or ``"arm64"``.
    free_tier: deduct the monthly free tier from the on-demand requests and GB-s.
    ephemeral_mb: configured ``/tmp``, 512 to 10,240 MB; the part above 512 MB is charged.
    init_ms: INIT duration of a cold start, billed on top of that invocation's duration.
    cold_start_ratio: share of on-demand invocations that are cold starts, 0 to 1.
    provisioned_concurrency: environments kept initialised (0 = none).
    provisioned_hours: hours in the month that Provisioned Concurrency is enabled (rounded up to
        5 minutes).
    provisioned_share: share of requests served by provisioned environments; defaults to 1 when
        Provisioned Concurrency is configured (it is sized for the traffic), else 0. The rest run
        on demand, with cold starts.
    provisioned_duration_ms: average duration of the invocations served by provisioned
        environments, if it differs from ``duration_ms``.
    """
    prices = _data.lambda_prices()
    requests = number("requests", requests)
    duration_ms = check_duration_ms(duration_ms)
    memory_mb = check_memory_mb(memory_mb)
    arch = check_arch(arch)
    free_tier = flag("free_tier", free_tier)
    ephemeral_mb = whole("ephemeral_mb", ephemeral_mb, low=_data.limit_value("tmp_min"),
                          high=_data.limit_value("tmp_max"))
    init_ms = number("init_ms", init_ms, high=_data.limit_value("init_timeout") * 1000.0)
    cold_start_ratio = number("cold_start_ratio", cold_start_ratio, high=1.0)
    provisioned_concurrency = whole("provisioned_concurrency", provisioned_concurrency,
                                     high=_data.limit_value("concurrency_default") * 1000)
    provisioned_hours = number("provisioned_hours", provisioned_hours, high=HOURS_PER_MONTH)
    if provisioned_share is None:
        provisioned_share = 1.0 if provisioned_concurrency and provisioned_hours else 0.0
    provisioned_share = number("provisioned_share", provisioned_share, high=1.0)
    provisioned_duration_ms = duration_ms if provisioned_duration_ms is None else \
        check_duration_ms(provisioned_duration_ms, "provisioned_duration_ms")
    if provisioned_share > 0 and not (provisioned_concurrency and provisioned_hours):
        raise ValueError(f"provisioned_share={provisioned_share!r} needs Provisioned Concurrency; "
                         "allowed: 0 unless provisioned_concurrency and provisioned_hours are > 0")

    gb = memory_mb / MB_PER_GB
    warm_ms = billed_duration_ms(duration_ms)
    cold_ms = billed_duration_ms(duration_ms + init_ms)

    provisioned_requests = requests * provisioned_share
    on_demand_requests = requests - provisioned_requests
    cold_starts = on_demand_requests * cold_start_ratio
    on_demand_ms = on_demand_requests * warm_ms + cold_starts * (cold_ms - warm_ms)
    gb_seconds = on_demand_ms / 1000.0 * gb

    provisioned_on = provisioned_concurrency > 0 and provisioned_hours > 0
    free_requests = min(on_demand_requests, prices.free_requests) if free_tier else 0.0
    free_gb_s = min(gb_seconds, prices.free_gb_s) if free_tier else 0.0

    requests_usd = (requests - free_requests) * prices.usd_per_million_requests / 1e6
    compute_usd = tiered_compute_usd(gb_seconds, arch, free_gb_s=free_gb_s)

    step_h = prices.provisioned_rounding_minutes / 60.0
    enabled_h = math.ceil(round(provisioned_hours / step_h, 6)) * step_h if provisioned_on else 0.0
    provisioned_gb_s = provisioned_concurrency * gb * enabled_h * SECONDS_PER_HOUR
    provisioned_ms = provisioned_requests * billed_duration_ms(provisioned_duration_ms)
    provisioned_duration_gb_s = provisioned_ms / 1000.0 * gb
    provisioned_usd = (provisioned_gb_s * prices.provisioned_usd_per_gb_s[arch]
                       + provisioned_duration_gb_s * prices.provisioned_duration_usd_per_gb_s[arch])

    extra_storage_gb = (ephemeral_mb - prices.ephemeral_free_mb) / MB_PER_GB
    billed_s = (on_demand_ms + provisioned_ms) / 1000.0
    ephemeral_usd = extra_storage_gb * billed_s * prices.ephemeral_usd_per_gb_s

    total = requests_usd + compute_usd + ephemeral_usd + provisioned_usd
    return LambdaCost(
        requests=requests, memory_mb=memory_mb, arch=arch, billed_duration_ms=warm_ms,
        cold_starts=cold_starts, gb_seconds=gb_seconds, free_gb_seconds=free_gb_s,
        free_requests=free_requests, provisioned_gb_seconds=provisioned_gb_s,
        provisioned_duration_gb_seconds=provisioned_duration_gb_s, requests_usd=requests_usd,
        compute_usd=compute_usd, ephemeral_usd=ephemeral_usd, provisioned_usd=provisioned_usd,
        total_usd=total)


# --- EC2 ------------------------------------------------------------------------------------

PRICING_MODELS = ("on_demand", "savings_plan", "spot")


def instance(instance_type: str) -> _data.InstanceType:
    """Look up an instance type in ``ec2_prices.csv``."""
    instances = _data.ec2_prices().instances
    if instance_type not in instances:
        raise ValueError(f"instance_type={instance_type!r} is not in ec2_prices.csv; allowed: "
                         f"{', '.join(instances)}")
    return instances[instance_type]


def instance_types() -> tuple[str, ...]:
    return tuple(_data.ec2_prices().instances)


@dataclass(frozen=True)
class Ec2Cost:
    """An EC2 fleet's bill for some running time. All money in USD."""

    instance_type: str
    count: int
    pricing: str
    hours: float  # each instance's running time
    billed_hours: float  # per instance, after per-second rounding and the 60 s minimum
    usd_per_hour: float  # effective rate per instance after the discount
    discount: float  # fraction off On-Demand (an assumption for savings_plan and spot)
    total_usd: float

    def as_dict(self) -> dict[str, float | int | str]:
        return asdict(self)


def ec2_billed_seconds(seconds: float) -> float:
    """Per-second billing with a 60-second minimum (Linux); zero running time costs nothing."""
    if seconds <= 0:
        return 0.0
    return max(EC2_MINIMUM_BILLED_S, float(math.ceil(round(seconds, 6))))


def ec2_cost(instance_type: str, hours: float, *, count: int = 1,
             pricing: str = "on_demand") -> Ec2Cost:
    """Cost of ``count`` instances of ``instance_type`` each running ``hours``."""
    spec = instance(instance_type)
    hours = number("hours", hours)
    count = whole("count", count)
    discounts = _data.ec2_prices().discounts
    pricing = choice("pricing", pricing, tuple(m for m in PRICING_MODELS if m in discounts))
    discount = discounts[pricing]
    billed_h = ec2_billed_seconds(hours * SECONDS_PER_HOUR) / SECONDS_PER_HOUR
    rate = spec.usd_per_hour * (1.0 - discount)
    return Ec2Cost(instance_type=instance_type, count=count, pricing=pricing, hours=hours,
                   billed_hours=billed_h, usd_per_hour=rate, discount=discount,
                   total_usd=count * billed_h * rate)


def ec2_monthly_usd(instance_type: str, *, count: int = 1, pricing: str = "on_demand") -> float:
    """A fleet running the whole 730-hour month."""
    return ec2_cost(instance_type, HOURS_PER_MONTH, count=count, pricing=pricing).total_usd


def ec2_capacity_requests(instance_type: str, duration_ms: float, *, count: int = 1,
                          concurrency_per_instance: int | None = None) -> float:
    """Most requests a month the fleet can serve, every slot busy all month.

    A slot serves one request at a time; by default an instance has one slot per vCPU (the
    CPU-bound case). Real fleets are run well below 100% busy, so treat this as a ceiling.
    """
    spec = instance(instance_type)
    duration_ms = check_duration_ms(duration_ms)
    count = whole("count", count)
    slots = spec.vcpu if concurrency_per_instance is None else whole(
        "concurrency_per_instance", concurrency_per_instance, low=1)
    if duration_ms == 0:
        return math.inf
    return count * slots * HOURS_PER_MONTH * SECONDS_PER_HOUR * 1000.0 / duration_ms


def break_even_requests(duration_ms: float, memory_mb: int, instance_type: str, *,
                        count: int = 1, arch: str = "x86_64", free_tier: bool = True,
                        pricing: str = "on_demand",
                        concurrency_per_instance: int | None = None) -> int | None:
    """Monthly requests at which Lambda costs as much as the EC2 fleet running all month.

    Lambda's monthly cost rises with every request; the fleet's is flat. Below the returned count
    Lambda is cheaper, above it the fleet is.

    On cost alone the two lines always cross. Give ``concurrency_per_instance`` (how many requests
    one instance serves at once, each taking ``duration_ms``) to also ask whether the fleet could
    carry that traffic: if the crossing lies beyond the requests it serves with every slot busy
    all month (:func:`ec2_capacity_requests`), they never cross *for this fleet* and the result is
    ``None`` -- a bigger fleet, with a higher line, is needed first.
    """
    target = ec2_monthly_usd(instance_type, count=count, pricing=pricing)
    capacity = math.inf
    if concurrency_per_instance is not None:
        capacity = ec2_capacity_requests(instance_type, duration_ms, count=count,
                                         concurrency_per_instance=concurrency_per_instance)

    def cost(n: float) -> float:
        return lambda_cost(n, duration_ms, memory_mb, arch=arch, free_tier=free_tier).total_usd

    if target <= cost(0):
        return 0
    low, high = 0.0, 1e6
    while cost(high) < target:  # Lambda's cost grows without bound: every request is priced
        high *= 2
    while high - low > 0.5:  # the cost is continuous and non-decreasing in requests
        mid = (low + high) / 2
        if cost(mid) < target:
            low = mid
        else:
            high = mid
    crossing = math.ceil(high)
    return None if crossing > capacity else crossing


def lambda_cost_curve_usd(requests_grid, duration_ms: float, memory_mb: int, *,
                          arch: str = "x86_64", free_tier: bool = True):
    """Lambda's monthly total for each request count in ``requests_grid`` (a numpy array).

    For fixed duration and memory the total is piecewise linear in the request count, with kinks
    only where a free allowance runs out or a volume tier starts. Pricing those points with
    :func:`lambda_cost` and interpolating between them is therefore exact, and fast enough for a
    calculator that redraws on every change.
    """
    import numpy as np

    grid = np.asarray(requests_grid, dtype=float)
    if grid.size == 0:
        return grid.copy()
    if np.any(~np.isfinite(grid)) or np.any(grid < 0):
        raise ValueError("requests_grid has a negative or non-finite value; allowed: 0 or more")
    prices = _data.lambda_prices()
    one = lambda_cost(1.0, duration_ms, memory_mb, arch=arch, free_tier=False)
    gb_s_per_request = one.gb_seconds
    kinks = {0.0, float(grid.max())}
    if free_tier:
        kinks.add(prices.free_requests)
    if gb_s_per_request > 0:
        edges = [t.start_gb_s for t in prices.duration_tiers[arch]]
        edges += [prices.free_gb_s] if free_tier else []
        kinks.update(e / gb_s_per_request for e in edges)
    xs = np.array(sorted(k for k in kinks if k <= grid.max()) + [grid.max() * 2 + 1])
    ys = np.array([lambda_cost(x, duration_ms, memory_mb, arch=arch, free_tier=free_tier).total_usd
                   for x in xs])
    return np.interp(grid, xs, ys)
