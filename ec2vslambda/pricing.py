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
* Every function takes ``region``: ``"us-east-1"`` (the default) or ``"ap-northeast-2"``
  (Seoul). A price no source gives for the region is refused with a ``ValueError`` that says so;
  the model never borrows another region's rate. A quantity of zero needs no price.

Where the two cost the same: :func:`break_even_requests`, in closed form on Lambda's
piecewise-linear cost (:func:`lambda_cost_kinks`). The rest of a design's bill (front door,
network, storage, logs) and both designs' whole bills side by side are :mod:`ec2vslambda.bills`'s.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from . import bounds
from . import data as _data
from .bounds import HOURS_PER_MONTH
from .validation import Allowed, InputError, choice, flag, number, whole
from .words import term

__all__ = ["DEFAULT_REGION", "EC2_MINIMUM_BILLED_S", "HOURS_PER_MONTH", "MB_PER_GB",
           "PRICING_MODELS", "REGIONS", "SECONDS_PER_HOUR", "SLOTS", "Ec2Cost", "LambdaCost",
           "architectures", "beyond_tiers", "billed_duration_ms", "break_even_requests",
           "capacity_if_asked", "check_arch", "check_duration_ms", "check_memory_mb",
           "check_region",
           "ec2_billed_seconds", "ec2_capacity_requests", "ec2_cost", "ec2_monthly_usd",
           "format_usd", "instance", "instance_types", "lambda_cost", "lambda_cost_curve_usd",
           "lambda_cost_kinks", "tiered_compute_usd"]

REGIONS = _data.REGIONS
DEFAULT_REGION = "us-east-1"
SECONDS_PER_HOUR = 3600.0
MB_PER_GB = 1024.0
EC2_MINIMUM_BILLED_S = 60.0


# --- validation of Lambda settings -------------------------------------------------------

def check_memory_mb(memory_mb: object) -> int:
    """Validate a Lambda memory setting against ``lambda_limits.csv``; return it as int."""
    return bounds.MEMORY_MB.check("memory_mb", memory_mb)


def check_duration_ms(duration_ms: object, name: str = "duration_ms") -> float:
    """Validate one invocation's duration against Lambda's timeout."""
    return bounds.DURATION_MS.check(name, duration_ms)


def architectures(region: str = DEFAULT_REGION) -> tuple[str, ...]:
    """The architectures Lambda's prices cover in ``region``."""
    return tuple(_data.lambda_prices(region=region).architectures)


def check_arch(arch: object, region: str = DEFAULT_REGION) -> str:
    return choice("arch", arch, _data.lambda_prices(region=region).architectures)


def check_region(region: object) -> str:
    """Validate a region against the regions the book prices; return it."""
    return _data.check_region(region)


def beyond_tiers(what: str, quantity: float, last_end: float, region: str,
                  file: str) -> InputError:
    return InputError("region", region, term(
        "has no price for {what} beyond {last_end} in {file} (the usage asks for {quantity}; no "
        "source the book could check gives the rate above, and the model does not guess)"),
        Allowed(text=term("usage within the priced tiers, or us-east-1")),
        details={"what": what, "last_end": f"{last_end:,.10g}", "file": file,
                 "quantity": f"{quantity:,.10g}"})


# --- Lambda ---------------------------------------------------------------------------------

def billed_duration_ms(duration_ms: float) -> float:
    """One invocation's billed duration: rounded up to the billing granularity (1 ms)."""
    step = _data.lambda_prices().duration_rounding_ms
    # round() first so that 120.00000000001 (float noise) bills as 120 ms, not 121 ms
    return math.ceil(round(duration_ms / step, 6)) * step


def tiered_compute_usd(gb_seconds: float, arch: str = "x86_64", *, free_gb_s: float = 0.0,
                       region: str = DEFAULT_REGION) -> float:
    """Price a month's on-demand GB-s through the volume tiers of ``arch`` in ``region``.

    ``free_gb_s`` is taken off the lowest tier first (the free tier).
    """
    gb_seconds = number("gb_seconds", gb_seconds)
    region = check_region(region)
    tiers = _data.lambda_prices(region=region).duration_tiers[check_arch(arch, region)]
    if gb_seconds > tiers[-1].end_gb_s:
        raise beyond_tiers(f"Lambda duration ({arch}), GB-s a month", gb_seconds,
                            tiers[-1].end_gb_s, region, "lambda_prices.csv")
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
    region: str = DEFAULT_REGION

    def as_dict(self) -> dict[str, float | int | str]:
        return asdict(self)

    def items(self) -> list[tuple[str, float]]:
        """The charges as (label, USD) pairs, for tables."""
        return [(term("Requests"), self.requests_usd),
                (term("Compute (duration)"), self.compute_usd),
                (term("Ephemeral storage"), self.ephemeral_usd),
                (term("Provisioned Concurrency"), self.provisioned_usd),
                (term("Total"), self.total_usd)]


def lambda_cost(requests: float, duration_ms: float, memory_mb: int, *, arch: str = "x86_64",
                free_tier: bool = True, ephemeral_mb: int = 512, init_ms: float = 0.0,
                cold_start_ratio: float = 0.0, provisioned_concurrency: int = 0,
                provisioned_hours: float = 0.0, provisioned_share: float | None = None,
                provisioned_duration_ms: float | None = None,
                region: str = DEFAULT_REGION) -> LambdaCost:
    """Monthly cost of one Lambda function in ``region``.

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
    region: ``"us-east-1"`` or ``"ap-northeast-2"``; a rate the region lacks in the data (for
        Seoul: Provisioned Concurrency, ephemeral storage, the volume tiers) is refused when used.
    """
    region = check_region(region)
    prices = _data.lambda_prices(region=region)
    requests = bounds.REQUESTS.check("requests", requests)
    duration_ms = check_duration_ms(duration_ms)
    memory_mb = check_memory_mb(memory_mb)
    arch = check_arch(arch, region)
    free_tier = flag("free_tier", free_tier)
    ephemeral_mb = bounds.TMP_MB.check("ephemeral_mb", ephemeral_mb)
    init_ms = bounds.INIT_MS.check("init_ms", init_ms)
    cold_start_ratio = bounds.SHARE.check("cold_start_ratio", cold_start_ratio)
    provisioned_concurrency = whole("provisioned_concurrency", provisioned_concurrency,
                                     high=_data.limit_value("concurrency_default") * 1000)
    provisioned_hours = number("provisioned_hours", provisioned_hours, high=HOURS_PER_MONTH)
    if provisioned_share is None:
        provisioned_share = 1.0 if provisioned_concurrency and provisioned_hours else 0.0
    provisioned_share = number("provisioned_share", provisioned_share, high=1.0)
    provisioned_duration_ms = duration_ms if provisioned_duration_ms is None else \
        check_duration_ms(provisioned_duration_ms, "provisioned_duration_ms")
    if provisioned_share > 0 and not (provisioned_concurrency and provisioned_hours):
        raise InputError("provisioned_share", provisioned_share,
                         "needs Provisioned Concurrency",
                         Allowed(0, 0, text=("0 unless provisioned_concurrency and "
                                                 "provisioned_hours are > 0")),
                         involves=("provisioned_concurrency", "provisioned_hours"))

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
    compute_usd = tiered_compute_usd(gb_seconds, arch, free_gb_s=free_gb_s, region=region)

    step_h = prices.provisioned_rounding_minutes / 60.0
    enabled_h = math.ceil(round(provisioned_hours / step_h, 6)) * step_h if provisioned_on else 0.0
    provisioned_gb_s = provisioned_concurrency * gb * enabled_h * SECONDS_PER_HOUR
    provisioned_ms = provisioned_requests * billed_duration_ms(provisioned_duration_ms)
    provisioned_duration_gb_s = provisioned_ms / 1000.0 * gb
    provisioned_usd = 0.0
    if provisioned_gb_s or provisioned_duration_gb_s:
        if arch not in prices.provisioned_usd_per_gb_s or \
                arch not in prices.provisioned_duration_usd_per_gb_s:
            raise _data.missing_price(f"Lambda Provisioned Concurrency ({arch})", region,
                                      "lambda_prices.csv", ("us-east-1",))
        provisioned_usd = (provisioned_gb_s * prices.provisioned_usd_per_gb_s[arch]
                           + provisioned_duration_gb_s
                           * prices.provisioned_duration_usd_per_gb_s[arch])

    extra_storage_gb = (ephemeral_mb - prices.ephemeral_free_mb) / MB_PER_GB
    billed_s = (on_demand_ms + provisioned_ms) / 1000.0
    ephemeral_usd = 0.0
    if extra_storage_gb > 0 and billed_s > 0:
        if prices.ephemeral_usd_per_gb_s is None:
            raise _data.missing_price("Lambda ephemeral storage above the free 512 MB", region,
                                      "lambda_prices.csv", ("us-east-1",))
        ephemeral_usd = extra_storage_gb * billed_s * prices.ephemeral_usd_per_gb_s

    total = requests_usd + compute_usd + ephemeral_usd + provisioned_usd
    return LambdaCost(
        requests=requests, memory_mb=memory_mb, arch=arch, billed_duration_ms=warm_ms,
        cold_starts=cold_starts, gb_seconds=gb_seconds, free_gb_seconds=free_gb_s,
        free_requests=free_requests, provisioned_gb_seconds=provisioned_gb_s,
        provisioned_duration_gb_seconds=provisioned_duration_gb_s, requests_usd=requests_usd,
        compute_usd=compute_usd, ephemeral_usd=ephemeral_usd, provisioned_usd=provisioned_usd,
        total_usd=total, region=region)


# --- EC2 ------------------------------------------------------------------------------------

PRICING_MODELS = ("on_demand", "savings_plan", "spot")
#: Requests one instance serves at once (its request slots): a count, with only the
#: arithmetic's bound.
SLOTS = Allowed(1, bounds.MAX_COUNT, whole=True)


def instance(instance_type: str, region: str = DEFAULT_REGION) -> _data.InstanceType:
    """Look up an instance type's On-Demand price in ``region`` in ``ec2_prices.csv``."""
    region = check_region(region)
    prices = _data.ec2_prices()
    instances = prices.in_region(region)
    if instance_type not in instances:
        elsewhere = tuple(r for r in REGIONS if instance_type in prices.in_region(r))
        if elsewhere:
            raise _data.missing_price(f"the instance type {instance_type}", region,
                                      "ec2_prices.csv", elsewhere)
        raise InputError("instance_type", instance_type, "is not in ec2_prices.csv",
                         Allowed(options=tuple(instances)))
    return instances[instance_type]


def instance_types(region: str = DEFAULT_REGION) -> tuple[str, ...]:
    """The instance types priced in ``region``."""
    return tuple(_data.ec2_prices().in_region(region))


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
    region: str = DEFAULT_REGION

    def as_dict(self) -> dict[str, float | int | str]:
        return asdict(self)


def ec2_billed_seconds(seconds: float) -> float:
    """Per-second billing with a 60-second minimum (Linux); zero running time costs nothing."""
    if seconds <= 0:
        return 0.0
    return max(EC2_MINIMUM_BILLED_S, float(math.ceil(round(seconds, 6))))


def ec2_cost(instance_type: str, hours: float, *, count: int = 1,
             pricing: str = "on_demand", region: str = DEFAULT_REGION) -> Ec2Cost:
    """Cost of ``count`` instances of ``instance_type`` each running ``hours`` in ``region``."""
    spec = instance(instance_type, region)
    hours = number("hours", hours)
    count = bounds.FLEET_OR_NONE.check("count", count)
    discounts = _data.ec2_prices().discounts
    pricing = choice("pricing", pricing, tuple(m for m in PRICING_MODELS if m in discounts))
    discount = discounts[pricing]
    billed_h = ec2_billed_seconds(hours * SECONDS_PER_HOUR) / SECONDS_PER_HOUR
    rate = spec.usd_per_hour * (1.0 - discount)
    return Ec2Cost(instance_type=instance_type, count=count, pricing=pricing, hours=hours,
                   billed_hours=billed_h, usd_per_hour=rate, discount=discount,
                   total_usd=count * billed_h * rate, region=check_region(region))


def ec2_monthly_usd(instance_type: str, *, count: int = 1, pricing: str = "on_demand",
                    region: str = DEFAULT_REGION) -> float:
    """A fleet running the whole 730-hour month."""
    return ec2_cost(instance_type, HOURS_PER_MONTH, count=count, pricing=pricing,
                    region=region).total_usd


def ec2_capacity_requests(instance_type: str, duration_ms: float, *, count: int = 1,
                          concurrency_per_instance: int | None = None,
                          region: str = DEFAULT_REGION) -> float:
    """Most requests a month the fleet can serve, every slot busy all month.

    A slot serves one request at a time; by default an instance has one slot per vCPU (the
    CPU-bound case). Real fleets are run well below 100% busy, so treat this as a ceiling.
    """
    spec = instance(instance_type, region)
    duration_ms = check_duration_ms(duration_ms)
    count = bounds.FLEET_OR_NONE.check("count", count)
    slots = spec.vcpu if concurrency_per_instance is None else SLOTS.check(
        "concurrency_per_instance", concurrency_per_instance)
    if duration_ms == 0:
        return math.inf
    return count * slots * HOURS_PER_MONTH * SECONDS_PER_HOUR * 1000.0 / duration_ms


def capacity_if_asked(instance_type: str, duration_ms: float, count: int,
                      concurrency_per_instance: int | None, region: str) -> float:
    """:func:`ec2_capacity_requests` when ``concurrency_per_instance`` is given; infinity (no
    ceiling) when it is not, for a break-even that asks about cost alone."""
    if concurrency_per_instance is None:
        return math.inf
    return ec2_capacity_requests(instance_type, duration_ms, count=count,
                                 concurrency_per_instance=concurrency_per_instance,
                                 region=region)


def break_even_requests(duration_ms: float, memory_mb: int, instance_type: str, *,
                        count: int = 1, arch: str = "x86_64", free_tier: bool = True,
                        pricing: str = "on_demand",
                        concurrency_per_instance: int | None = None,
                        region: str = DEFAULT_REGION) -> int | None:
    """Monthly requests at which Lambda costs as much as the EC2 fleet running all month.

    Lambda's monthly cost rises with every request; the fleet's is flat. Below the returned count
    Lambda is cheaper, above it the fleet is.

    On cost alone the two lines always cross. Give ``concurrency_per_instance`` (how many requests
    one instance serves at once, each taking ``duration_ms``) to also ask whether the fleet could
    carry that traffic: if the crossing lies beyond the requests it serves with every slot busy
    all month (:func:`ec2_capacity_requests`), they never cross *for this fleet* and the result is
    ``None`` -- a bigger fleet, with a higher line, is needed first.
    """
    target = ec2_monthly_usd(instance_type, count=count, pricing=pricing, region=region)
    capacity = capacity_if_asked(instance_type, duration_ms, count, concurrency_per_instance,
                                 region)

    def cost(n: float) -> float:
        return lambda_cost(n, duration_ms, memory_mb, arch=arch, free_tier=free_tier,
                           region=region).total_usd

    crossing = _first_reaching(cost, target, lambda_cost_kinks(
        duration_ms, memory_mb, arch=arch, free_tier=free_tier, region=region))
    return None if crossing is None or crossing > capacity else crossing


def lambda_cost_kinks(duration_ms: float, memory_mb: int, *, arch: str = "x86_64",
                      free_tier: bool = True, region: str = DEFAULT_REGION) -> list[float]:
    """The request counts where Lambda's monthly total changes slope, from 0 up: where a free
    allowance runs out or a volume tier starts (and where the last priced tier ends, if it
    does). Between two of them, and beyond the last, the total is linear in the requests."""
    region = check_region(region)
    prices = _data.lambda_prices(region=region)
    arch = check_arch(arch, region)
    per_request = lambda_cost(1.0, duration_ms, memory_mb, arch=arch, free_tier=False,
                              region=region).gb_seconds
    kinks = {0.0}
    if free_tier:
        kinks.add(prices.free_requests)
    if per_request > 0:
        tiers = prices.duration_tiers[arch]
        edges = [t.start_gb_s for t in tiers] + [tiers[-1].end_gb_s]
        edges += [prices.free_gb_s] if free_tier else []
        kinks.update(e / per_request for e in edges if math.isfinite(e))
    return sorted(kinks)


def _first_reaching(cost, target: float, kinks: list[float]) -> int | None:
    """The fewest whole requests whose cost reaches ``target``, for a ``cost`` that is
    continuous, non-decreasing and linear between consecutive ``kinks`` (and beyond the last):
    solved on the segment where it crosses, then checked on the integers beside the answer.
    ``None`` when the cost stops rising short of the target. A fixed number of evaluations,
    whatever the target: no search that grows with the inputs."""
    low, low_usd = kinks[0], cost(kinks[0])
    if target <= low_usd:
        return math.ceil(low)
    for high in kinks[1:]:
        high_usd = cost(high)
        if high_usd >= target:
            break
        low, low_usd = high, high_usd
    else:  # past the last kink: the slope of the open-ended last segment
        step = max(low, 1e6)
        high, high_usd = low + step, cost(low + step)  # refuses usage beyond priced tiers
        if high_usd <= low_usd:
            return None
    n = math.ceil(low + (target - low_usd) * (high - low) / (high_usd - low_usd))
    if n < 2 ** 53:  # where one request more is a different float: settle the rounding
        for _ in range(3):
            n -= n > 0 and cost(n - 1) >= target
        for _ in range(3):
            n += cost(n) < target
    return n


def lambda_cost_curve_usd(requests_grid, duration_ms: float, memory_mb: int, *,
                          arch: str = "x86_64", free_tier: bool = True,
                          region: str = DEFAULT_REGION):
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
        bad = grid[~np.isfinite(grid) | (grid < 0)][0]
        raise InputError("requests_grid", float(bad), "has a negative or non-finite value",
                         Allowed(0, None))
    top = float(grid.max())
    kinks = {top} | set(lambda_cost_kinks(duration_ms, memory_mb, arch=arch,
                                          free_tier=free_tier, region=region))
    xs = np.array(sorted(k for k in kinks if k <= top))
    ys = np.array([lambda_cost(x, duration_ms, memory_mb, arch=arch, free_tier=free_tier,
                               region=region).total_usd for x in xs])
    return np.interp(grid, xs, ys)


def format_usd(usd: float | None) -> str:
    """Money as money: ``$0.80``, ``$1,234.56``; ``—`` for a line that does not apply."""
    if usd is None:
        return "—"
    return f"${usd:,.2f}"


#: The whole bill's names, which this module held until they moved to :mod:`ec2vslambda.bills`.
#: They stay importable from here for code written against the old layout; new code imports
#: them from ``ec2vslambda.bills``.
MOVED_TO_BILLS = frozenset({
    "API_ITEMS", "API_LABELS", "AlbCost", "ApiGatewayCost", "BILL_FILE", "BILL_LINES",
    "BYTES_PER_GB", "BillLine", "DEFAULT_ALB_ZONES", "DEFAULT_EBS_GB_PER_INSTANCE",
    "DEFAULT_LOG_BYTES_PER_REQUEST", "DEFAULT_REQUESTS_PER_CONNECTION", "DESIGNS",
    "DataTransferCost", "EbsCost", "FRONT_DOORS", "KB_PER_GB", "LCU_DIMENSIONS", "LCU_WORDS",
    "LINE_PHRASES", "LcuEstimate", "LogsCost", "NatGatewayCost", "PRICING_WORDS",
    "PublicIpv4Cost", "TierCharge", "WholeBill", "alb_cost", "alb_lcus", "alb_lcus_for_traffic",
    "api_gateway_cost", "data_transfer_out_cost", "ebs_gp3_cost", "format_gb",
    "function_url_cost", "logs_cost", "nat_gateway_cost", "public_ipv4_cost", "whole_bill",
    "whole_bill_at", "whole_bill_break_even", "whole_bill_series"})


def __getattr__(name: str) -> object:
    if name in MOVED_TO_BILLS:
        from . import bills

        return getattr(bills, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
