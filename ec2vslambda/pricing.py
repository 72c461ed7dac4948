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

The rest of the bill (API Gateway, ALB, data transfer out, NAT gateway, public IPv4, EBS gp3,
CloudWatch Logs; ``data/whole_bill_prices.csv``) follows the same conventions. Hourly resources
are billed for each hour or partial hour; tiered rates apply to the month's aggregate, with a free
allowance taken from the lowest tier first. :func:`whole_bill` puts a Lambda design and an EC2
design side by side line by line.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from . import bounds
from . import data as _data
from .bounds import HOURS_PER_MONTH
from .validation import Allowed, InputError, choice, flag, number, whole
from .words import say, term, word

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


def _beyond_tiers(what: str, quantity: float, last_end: float, region: str,
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
        raise _beyond_tiers(f"Lambda duration ({arch}), GB-s a month", gb_seconds,
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
    capacity = math.inf
    if concurrency_per_instance is not None:
        capacity = ec2_capacity_requests(instance_type, duration_ms, count=count,
                                         concurrency_per_instance=concurrency_per_instance,
                                         region=region)

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


# --- the rest of the bill: front door, network, storage, logs ---------------------------------

BILL_FILE = "whole_bill_prices.csv"
BYTES_PER_GB = 1024.0 ** 3
KB_PER_GB = 1024.0 ** 2
API_ITEMS = {"http": "apigw_http_requests", "rest": "apigw_rest_requests"}
API_LABELS = {"http": "API Gateway HTTP API", "rest": "API Gateway REST API"}
FRONT_DOORS = {"http_api": "API Gateway HTTP API", "rest_api": "API Gateway REST API",
               "function_url": "Lambda function URL",
               "none": "none (events from a queue, a stream or a schedule)"}

#: Assumptions of :func:`whole_bill`: choices about the design, not prices. Each is a parameter.
#: An Amazon Linux AMI boots from an 8 GB root volume; an ALB spans at least two Availability
#: Zones and holds one public IPv4 address in each; a request writes about 1 KB of logs (Lambda's
#: START, END and REPORT lines plus a line or two of the application's own); a client sends five
#: requests over each connection it opens (the traffic AWS's ALB pricing example assumes).
DEFAULT_EBS_GB_PER_INSTANCE = 8.0
DEFAULT_REQUESTS_PER_CONNECTION = 5.0
DEFAULT_ALB_ZONES = 2
DEFAULT_LOG_BYTES_PER_REQUEST = 1000.0


def format_gb(gb: float) -> str:
    """A data volume for a table: ``381 GB``, ``2.5 GB``, ``20,480 GB``."""
    return f"{gb:,.0f} GB" if gb >= 100 else f"{gb:,.3g} GB"


def format_usd(usd: float | None) -> str:
    """Money as money: ``$0.80``, ``$1,234.56``; ``—`` for a line that does not apply."""
    if usd is None:
        return "—"
    return f"${usd:,.2f}"


def _bill() -> _data.RegionalPrices:
    return _data.whole_bill_prices()


@dataclass(frozen=True)
class TierCharge:
    """The part of a quantity that falls in one tier, and what it costs."""

    start: float
    end: float  # math.inf for the open-ended last tier
    quantity: float  # billed in this tier, after any free allowance
    rate: float
    usd: float


def _tiered(quantity: float, tiers: tuple[_data.PriceTier, ...], *, free: float = 0.0,
            per: float = 1.0, what: str, region: str) -> tuple[float, tuple[TierCharge, ...]]:
    """Price ``quantity`` through ``tiers`` (rates per ``per`` units), the free allowance taken
    from the lowest tier first; refuse a quantity beyond the last priced tier."""
    if quantity > tiers[-1].end:
        raise _beyond_tiers(what, quantity, tiers[-1].end, region, BILL_FILE)
    charges = []
    for tier in tiers:
        in_tier = max(0.0, min(quantity, tier.end) - tier.start)
        free_here = max(0.0, min(free, tier.end) - tier.start)
        billed = max(0.0, in_tier - free_here)
        charges.append(TierCharge(tier.start, tier.end, billed, tier.rate,
                                  billed * tier.rate / per))
    return sum(c.usd for c in charges), tuple(charges)


def _billed_hours(hours: float) -> float:
    """Hourly resources are billed for each hour or partial hour."""
    return float(math.ceil(round(hours, 6)))


@dataclass(frozen=True)
class ApiGatewayCost:
    """A month of API Gateway requests (HTTP or REST API). Money in USD."""

    api: str
    region: str
    requests: float
    free_requests: float
    tiers: tuple[TierCharge, ...]
    total_usd: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def api_gateway_cost(requests: float, *, api: str = "http", free_tier: bool = False,
                     region: str = DEFAULT_REGION) -> ApiGatewayCost:
    """Monthly request charge of an API Gateway ``api`` (``"http"`` or ``"rest"``).

    The volume tiers apply to the month's requests; ``free_tier`` deducts the 12-month free
    allowance of a new account (off by default: most production accounts are past it). Data
    transfer out is priced separately (:func:`data_transfer_out_cost`), as AWS bills it. HTTP
    APIs meter requests in 512 KB increments: count a larger request as several.
    """
    requests = number("requests", requests)
    api = choice("api", api, tuple(API_ITEMS))
    free_tier = flag("free_tier", free_tier)
    region = check_region(region)
    free = _bill().value("apigw_free_tier_requests", region) if free_tier else 0.0
    free = min(free, requests)
    if requests - free <= 0:
        return ApiGatewayCost(api, region, requests, free, (), 0.0)
    usd, tiers = _tiered(requests, _bill().tiers(API_ITEMS[api], region,
                                                 f"{API_LABELS[api]} requests"),
                         free=free, per=1e6, what=f"{API_LABELS[api]} requests a month",
                         region=region)
    return ApiGatewayCost(api, region, requests, free, tiers, usd)


def function_url_cost(requests: float, *, region: str = DEFAULT_REGION) -> float:
    """A Lambda function URL has no charge of its own (the function's requests are billed)."""
    requests = number("requests", requests)
    region = check_region(region)
    return requests * _bill().value("function_url_requests", region,
                                    "Lambda function URLs") / 1e6


LCU_DIMENSIONS = {  # dimension -> (data item, what one LCU covers)
    "new_connections": ("alb_lcu_new_connections", "new connections per second"),
    "active_connections": ("alb_lcu_active_connections", "active connections per minute"),
    "processed_bytes": ("alb_lcu_processed_gb", "GB processed per hour"),
    "rule_evaluations": ("alb_lcu_rule_evaluations", "rule evaluations per second"),
}


@dataclass(frozen=True)
class LcuEstimate:
    """Load Balancer Capacity Units an hour needs on each of the four dimensions.

    AWS bills the largest of the four (:attr:`lcu`).
    """

    new_connections: float
    active_connections: float
    processed_bytes: float
    rule_evaluations: float

    @property
    def lcu(self) -> float:
        return max(self.new_connections, self.active_connections, self.processed_bytes,
                   self.rule_evaluations)

    @property
    def dominant(self) -> str:
        values = asdict(self)
        return max(values, key=lambda k: values[k])

    def as_dict(self) -> dict[str, float]:
        return asdict(self) | {"lcu": self.lcu}


def alb_lcus(*, new_connections_per_s: float = 0.0, active_connections_per_min: float = 0.0,
             processed_gb_per_hour: float = 0.0, rule_evaluations_per_s: float = 0.0,
             lambda_targets: bool = False, region: str = DEFAULT_REGION) -> LcuEstimate:
    """LCUs from an hour's traffic on the four dimensions (``whole_bill_prices.csv``).

    ``rule_evaluations_per_s`` counts evaluations beyond the free rules (the first 10 a request
    meets). With Lambda functions as targets one LCU covers less processed data.
    """
    region = check_region(region)
    values = {"new_connections": number("new_connections_per_s", new_connections_per_s),
              "active_connections": number("active_connections_per_min",
                                           active_connections_per_min),
              "processed_bytes": number("processed_gb_per_hour", processed_gb_per_hour),
              "rule_evaluations": number("rule_evaluations_per_s", rule_evaluations_per_s)}
    lambda_targets = flag("lambda_targets", lambda_targets)
    items = {k: item for k, (item, _) in LCU_DIMENSIONS.items()}
    if lambda_targets:
        items["processed_bytes"] = "alb_lcu_processed_gb_lambda"
    return LcuEstimate(**{k: values[k] / _bill().value(items[k], region) for k in values})


def alb_lcus_for_traffic(requests: float, gb_processed: float, *, duration_ms: float = 0.0,
                         hours: float = HOURS_PER_MONTH, requests_per_connection: float = 1.0,
                         rules: int = 0, lambda_targets: bool = False,
                         region: str = DEFAULT_REGION) -> LcuEstimate:
    """Average LCUs of a month's traffic spread evenly over ``hours``.

    Each connection carries ``requests_per_connection`` requests and stays open while they run
    one after another, so the active connections are the new ones times that time (Little's
    law). ``rules`` is how many listener rules a request is evaluated against. Uneven traffic
    needs more LCU-hours than its average: each hour is billed on its own peak dimension.
    """
    requests = number("requests", requests)
    gb_processed = number("gb_processed", gb_processed)
    duration_ms = check_duration_ms(duration_ms)
    hours = Allowed(0, None, low_open=True).check("hours", hours)
    per_connection = number("requests_per_connection", requests_per_connection, low=1.0)
    rules = whole("rules", rules)
    region = check_region(region)
    per_s = requests / (hours * SECONDS_PER_HOUR)
    new_per_s = per_s / per_connection
    active = new_per_s * per_connection * duration_ms / 1000.0  # open at once
    free_rules = _bill().value("alb_free_rules", region)
    return alb_lcus(new_connections_per_s=new_per_s, active_connections_per_min=max(active, 0.0),
                    processed_gb_per_hour=gb_processed / hours,
                    rule_evaluations_per_s=per_s * max(0.0, rules - free_rules),
                    lambda_targets=lambda_targets, region=region)


@dataclass(frozen=True)
class AlbCost:
    """An Application Load Balancer's hours and LCU-hours. Money in USD."""

    region: str
    hours: float
    billed_hours: float
    lcu: float
    hourly_usd: float
    lcu_usd: float
    total_usd: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def alb_cost(hours: float, *, lcu: float = 1.0, region: str = DEFAULT_REGION) -> AlbCost:
    """An ALB running ``hours`` (each partial hour billed) at an average of ``lcu`` LCUs.

    See :func:`alb_lcus` and :func:`alb_lcus_for_traffic` for the LCUs of a given traffic.
    """
    hours = number("hours", hours)
    lcu = number("lcu", lcu)
    region = check_region(region)
    billed = _billed_hours(hours)
    if billed == 0:
        return AlbCost(region, hours, 0.0, lcu, 0.0, 0.0, 0.0)
    hourly = billed * _bill().value("alb_hour", region, "Application Load Balancer hours")
    lcu_usd = (billed * lcu * _bill().value("alb_lcu_hour", region, "ALB LCU-hours")
               if lcu else 0.0)
    return AlbCost(region, hours, billed, lcu, hourly, lcu_usd, hourly + lcu_usd)


@dataclass(frozen=True)
class NatGatewayCost:
    """NAT gateways' hours and the data they process. Money in USD."""

    region: str
    hours: float
    billed_hours: float
    count: int
    gb_processed: float
    hourly_usd: float
    data_usd: float
    total_usd: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def nat_gateway_cost(hours: float, gb_processed: float, *, count: int = 1,
                     region: str = DEFAULT_REGION) -> NatGatewayCost:
    """``count`` NAT gateways existing ``hours`` each, processing ``gb_processed`` GB in all.

    Processing is charged in both directions and on top of any data transfer charge.
    """
    hours = number("hours", hours)
    gb_processed = number("gb_processed", gb_processed)
    count = whole("count", count)
    region = check_region(region)
    billed = _billed_hours(hours)
    hourly = (count * billed * _bill().value("nat_gateway_hour", region, "NAT gateway hours")
              if count and billed else 0.0)
    data_usd = (gb_processed * _bill().value("nat_gateway_gb", region,
                                             "NAT gateway data processed")
                if gb_processed else 0.0)
    return NatGatewayCost(region, hours, billed, count, gb_processed, hourly, data_usd,
                          hourly + data_usd)


@dataclass(frozen=True)
class DataTransferCost:
    """Data transfer out to the internet for a month. Money in USD."""

    region: str
    gb: float
    free_gb: float
    tiers: tuple[TierCharge, ...]
    total_usd: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def data_transfer_out_cost(gb: float, *, free_gb: float | None = None,
                           region: str = DEFAULT_REGION) -> DataTransferCost:
    """Data transfer out to the internet: the free allowance (100 GB a month by default, from
    the data; it is shared by every service and region of the account), then the volume tiers
    on the rest, as AWS's bill applies them "first 10 TB beyond the global free tier"."""
    gb = number("gb", gb)
    region = check_region(region)
    if free_gb is None:
        free_gb = _bill().value("data_transfer_out_free", region)
    free_gb = number("free_gb", free_gb)
    billable = max(0.0, gb - free_gb)
    if billable == 0:
        return DataTransferCost(region, gb, min(gb, free_gb), (), 0.0)
    usd, tiers = _tiered(billable, _bill().tiers("data_transfer_out", region,
                                                 "data transfer out to the internet"),
                         what="data transfer out (GB a month)", region=region)
    return DataTransferCost(region, gb, free_gb, tiers, usd)


@dataclass(frozen=True)
class PublicIpv4Cost:
    """Public IPv4 addresses held for some hours. Money in USD."""

    region: str
    hours: float
    billed_hours: float
    count: int
    total_usd: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def public_ipv4_cost(hours: float, *, count: int = 1,
                     region: str = DEFAULT_REGION) -> PublicIpv4Cost:
    """``count`` public IPv4 addresses, in use or idle, for ``hours`` each (since 2024-02-01)."""
    hours = number("hours", hours)
    count = whole("count", count)
    region = check_region(region)
    billed = _billed_hours(hours)
    usd = (count * billed * _bill().value("public_ipv4_hour", region, "public IPv4 addresses")
           if count and billed else 0.0)
    return PublicIpv4Cost(region, hours, billed, count, usd)


@dataclass(frozen=True)
class EbsCost:
    """gp3 volumes: storage plus IOPS and throughput above the free baseline. Money in USD."""

    region: str
    gb_months: float
    iops: float
    throughput_mbps: float
    months: float
    storage_usd: float
    iops_usd: float
    throughput_usd: float
    total_usd: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def ebs_gp3_cost(gb_months: float, *, iops: float | None = None,
                 throughput_mbps: float | None = None, months: float = 1.0,
                 region: str = DEFAULT_REGION) -> EbsCost:
    """gp3 storage of ``gb_months`` GB-months, provisioned at ``iops`` and ``throughput_mbps``
    for ``months`` (the fraction of a month the volume exists).

    ``iops`` and ``throughput_mbps`` default to the free baseline every volume includes (3,000
    IOPS and 125 MB/s in the data); only what is provisioned above it is charged, per IOPS-month
    and MB/s-month. For several volumes, pass the sum of their GB-months and call once per
    distinct performance setting.
    """
    gb_months = number("gb_months", gb_months)
    months = number("months", months)
    region = check_region(region)
    base_iops = _bill().value("ebs_gp3_baseline_iops", region)
    base_mbps = _bill().value("ebs_gp3_baseline_throughput", region)
    iops = number("iops", base_iops if iops is None else iops, low=base_iops)
    mbps = number("throughput_mbps", base_mbps if throughput_mbps is None else throughput_mbps,
                  low=base_mbps)
    storage = (gb_months * _bill().value("ebs_gp3_storage", region, "EBS gp3 storage")
               if gb_months else 0.0)
    extra_iops, extra_mbps = (iops - base_iops) * months, (mbps - base_mbps) * months
    iops_usd = (extra_iops * _bill().value("ebs_gp3_iops", region,
                                           "EBS gp3 IOPS above the baseline")
                if extra_iops else 0.0)
    mbps_usd = (extra_mbps * _bill().value("ebs_gp3_throughput", region,
                                           "EBS gp3 throughput above the baseline")
                if extra_mbps else 0.0)
    return EbsCost(region, gb_months, iops, mbps, months, storage, iops_usd, mbps_usd,
                   storage + iops_usd + mbps_usd)


@dataclass(frozen=True)
class LogsCost:
    """CloudWatch Logs: ingestion and storage. Money in USD."""

    region: str
    gb_ingested: float
    retention_months: float
    lambda_logs: bool
    ingestion_usd: float
    storage_usd: float
    total_usd: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def logs_cost(gb_ingested: float, *, retention_months: float = 1.0, lambda_logs: bool = False,
              region: str = DEFAULT_REGION) -> LogsCost:
    """A month of CloudWatch Logs (Standard class): ``gb_ingested`` GB collected, each month's
    logs kept ``retention_months`` (so that much is stored at any time, once steady).

    ``lambda_logs`` prices ingestion through the volume tiers AWS applies to logs that Lambda
    functions write (since May 2025); other logs pay the flat rate. Storage is billed here on
    the ingested size, an upper bound: CloudWatch stores logs compressed.
    """
    gb_ingested = number("gb_ingested", gb_ingested)
    retention_months = number("retention_months", retention_months)
    lambda_logs = flag("lambda_logs", lambda_logs)
    region = check_region(region)
    ingestion = 0.0
    if gb_ingested:
        if lambda_logs:
            ingestion, _ = _tiered(gb_ingested, _bill().tiers(
                "logs_lambda_ingestion", region, "CloudWatch Logs ingestion (Lambda logs)"),
                what="Lambda log ingestion (GB a month)", region=region)
        else:
            ingestion = gb_ingested * _bill().value("logs_ingestion", region,
                                                    "CloudWatch Logs ingestion")
    stored = gb_ingested * retention_months
    storage = (stored * _bill().value("logs_storage", region, "CloudWatch Logs storage")
               if stored else 0.0)
    return LogsCost(region, gb_ingested, retention_months, lambda_logs, ingestion, storage,
                    ingestion + storage)


# --- the whole bill ---------------------------------------------------------------------------

#: How a bill's detail names an LCU dimension and a pricing model.
LCU_WORDS = {"new_connections": term("new connections"),
             "active_connections": term("active connections"),
             "processed_bytes": term("processed bytes"),
             "rule_evaluations": term("rule evaluations")}
PRICING_WORDS = {"on_demand": term("on demand"), "savings_plan": term("savings plan"),
                 "spot": term("spot")}

#: The lines of a whole bill, in the order tables show them.
BILL_LINES = {"compute": term("Compute"), "front_door": term("Front door"),
              "ebs": term("EBS volumes"), "public_ipv4": term("Public IPv4 addresses"),
              "nat_gateway": term("NAT gateway"), "data_transfer": term("Data transfer out"),
              "logs": "CloudWatch Logs"}
DESIGNS = {"lambda": "Lambda", "ec2": "EC2"}
#: How a summary sentence names each line (translated where it is shown, see ..words).
LINE_PHRASES = {"compute": term("compute"), "front_door": term("the front door"), "ebs": "EBS",
                "public_ipv4": term("public IPv4 addresses"),
                "nat_gateway": term("the NAT gateway"),
                "data_transfer": term("data transfer out"), "logs": "CloudWatch Logs"}


@dataclass(frozen=True)
class BillLine:
    """One line of one design's bill; ``usd`` is None when the line does not apply."""

    key: str
    label: str
    usd: float | None
    detail: str


@dataclass(frozen=True)
class WholeBill:
    """A month of both designs, line by line. Money in USD."""

    region: str
    requests: float
    gb_out: float
    front_door: str
    instance_type: str
    count: int
    lambda_lines: tuple[BillLine, ...]
    ec2_lines: tuple[BillLine, ...]
    lambda_total_usd: float
    ec2_total_usd: float
    lambda_compute: LambdaCost
    ec2_fleet: Ec2Cost

    def lines(self, design: str) -> tuple[BillLine, ...]:
        design = choice("design", design, tuple(DESIGNS))
        return self.lambda_lines if design == "lambda" else self.ec2_lines

    def total(self, design: str) -> float:
        design = choice("design", design, tuple(DESIGNS))
        return self.lambda_total_usd if design == "lambda" else self.ec2_total_usd

    @property
    def cheaper(self) -> str:
        if math.isclose(self.lambda_total_usd, self.ec2_total_usd, abs_tol=0.005):
            return "neither (they cost the same)"
        return "Lambda" if self.lambda_total_usd < self.ec2_total_usd else "EC2"

    def dominant(self, design: str, share: float = 0.5) -> tuple[BillLine, ...]:
        """The fewest, largest lines that together make up at least ``share`` of the total."""
        share = number("share", share, high=1.0)
        total = self.total(design)
        lines = sorted((line for line in self.lines(design) if line.usd),
                       key=lambda line: -line.usd)
        picked, running = [], 0.0
        for line in lines:
            if total and running >= share * total:
                break
            picked.append(line)
            running += line.usd
        return tuple(picked)

    def rows(self) -> list[dict[str, str]]:
        """One row per line and a total: display strings, ``—`` where a line does not apply
        (labels in the active catalogue's words, see :mod:`ec2vslambda.words`)."""
        rows = []
        for lam, ec2 in zip(self.lambda_lines, self.ec2_lines, strict=True):
            rows.append({"line": word(lam.label), "lambda": format_usd(lam.usd),
                         "ec2": format_usd(ec2.usd), "lambda_detail": lam.detail,
                         "ec2_detail": ec2.detail})
        rows.append({"line": word("Total per month"), "lambda": format_usd(self.lambda_total_usd),
                     "ec2": format_usd(self.ec2_total_usd), "lambda_detail": "",
                     "ec2_detail": ""})
        return rows

    def summary(self) -> str:
        """Which design is cheaper, and which lines carry each bill."""
        def carried(design: str) -> str:
            total = self.total(design)
            parts = [say("{line} ({share})", line=word(LINE_PHRASES[line.key]),
                         share=f"{line.usd / total:.0%}")
                     for line in self.dominant(design)] if total else []
            return word(" and ").join(parts) if parts else word("nothing")

        fields = dict(requests=f"{self.requests:,.0f}", gb=format_gb(self.gb_out),
                      region=self.region, lambda_usd=format_usd(self.lambda_total_usd),
                      ec2_usd=format_usd(self.ec2_total_usd))
        if self.cheaper == "Lambda":
            head = say("At {requests} requests and {gb} out a month in {region}, the Lambda "
                       "design costs {lambda_usd} and the EC2 design {ec2_usd}: Lambda is "
                       "cheaper.", **fields)
        elif self.cheaper == "EC2":
            head = say("At {requests} requests and {gb} out a month in {region}, the Lambda "
                       "design costs {lambda_usd} and the EC2 design {ec2_usd}: EC2 is "
                       "cheaper.", **fields)
        else:
            head = say("At {requests} requests and {gb} out a month in {region}, the Lambda "
                       "design costs {lambda_usd} and the EC2 design {ec2_usd}: neither (they "
                       "cost the same) is cheaper.", **fields)
        return head + " " + say("Most of the Lambda bill is {lambda_lines}; most of the EC2 bill "
                                "is {ec2_lines}.", lambda_lines=carried("lambda"),
                                ec2_lines=carried("ec2"))

    def as_plain(self) -> dict[str, object]:
        """Plain data for a page or a browser: rows of display strings and the totals."""
        return {"rows": self.rows(), "summary": self.summary(),
                "lambda_total_usd": self.lambda_total_usd, "ec2_total_usd": self.ec2_total_usd,
                "cheaper": self.cheaper,
                "dominant": {d: [line.key for line in self.dominant(d)] for d in DESIGNS}}


def whole_bill(requests: float, duration_ms: float, memory_mb: int, instance_type: str,
               count: int, gb_out: float, *, front_door: str = "http_api",
               arch: str = "x86_64", region: str = DEFAULT_REGION, free_tier: bool = True,
               api_free_tier: bool = False, pricing: str = "on_demand", init_ms: float = 0.0,
               cold_start_ratio: float = 0.0,
               ebs_gb_per_instance: float = DEFAULT_EBS_GB_PER_INSTANCE,
               alb_zones: int = DEFAULT_ALB_ZONES,
               requests_per_connection: float = DEFAULT_REQUESTS_PER_CONNECTION,
               log_bytes_per_request: float = DEFAULT_LOG_BYTES_PER_REQUEST,
               log_retention_months: float = 1.0, nat_gateways: int = 0,
               nat_gb: float = 0.0) -> WholeBill:
    """Both designs' whole monthly bills, side by side, line by line.

    The Lambda design: the function (:func:`lambda_cost`), its front door (``front_door``:
    ``"http_api"``, ``"rest_api"`` or ``"function_url"``) and its logs (Lambda's tiered log
    rate); ``"none"`` for events from a queue or a schedule, where neither design has a front
    door. The EC2 design: ``count`` instances of ``instance_type`` all month, an 8 GB gp3 root
    volume each, an Application Load Balancer across ``alb_zones`` zones with LCUs from the
    traffic (:func:`alb_lcus_for_traffic`), public IPv4 addresses (one per ALB zone, one per
    instance in a public subnet) and the same logs at the flat rate. Both designs send
    ``gb_out`` GB a month to the internet. With ``nat_gateways`` > 0 both run in private
    subnets and reach the internet through that many NAT gateways, processing ``nat_gb`` GB:
    the instances then hold no public address, each NAT gateway holds one.

    Raises ``ValueError`` naming the parameter on bad input, and refuses (``ValueError``) a line
    whose price the data lacks for ``region``.
    """
    requests = bounds.REQUESTS.check("requests", requests)
    count = bounds.FLEET.check("count", count)
    gb_out = number("gb_out", gb_out)
    front_door = choice("front_door", front_door, tuple(FRONT_DOORS))
    region = check_region(region)
    ebs_gb = number("ebs_gb_per_instance", ebs_gb_per_instance)
    alb_zones = whole("alb_zones", alb_zones, low=1)
    log_bytes = number("log_bytes_per_request", log_bytes_per_request)
    retention = number("log_retention_months", log_retention_months)
    nat_gateways = bounds.FLEET_OR_NONE.check("nat_gateways", nat_gateways)
    if number("nat_gb", nat_gb) and not nat_gateways:
        raise InputError("nat_gb", nat_gb, "needs a NAT gateway", "0 unless nat_gateways > 0")
    nat_gb = float(nat_gb)
    hours = HOURS_PER_MONTH

    fn = lambda_cost(requests, duration_ms, memory_mb, arch=arch, free_tier=free_tier,
                     init_ms=init_ms, cold_start_ratio=cold_start_ratio, region=region)
    fleet = ec2_cost(instance_type, hours, count=count, pricing=pricing, region=region)
    log_gb = requests * log_bytes / BYTES_PER_GB
    dto = data_transfer_out_cost(gb_out, region=region)
    nat = nat_gateway_cost(hours, nat_gb, count=nat_gateways, region=region) \
        if nat_gateways else None
    nat_line = (BillLine("nat_gateway", BILL_LINES["nat_gateway"], nat.total_usd,
                         say("{count} x NAT gateway, {gb} processed", count=nat_gateways,
                             gb=format_gb(nat_gb)))
                if nat else BillLine("nat_gateway", BILL_LINES["nat_gateway"], None, ""))

    if front_door == "none":
        door_usd = None
    elif front_door == "function_url":
        door_usd = function_url_cost(requests, region=region)
    else:
        door_usd = api_gateway_cost(requests, api=front_door.split("_")[0],
                                    free_tier=api_free_tier, region=region).total_usd
    lambda_ipv4 = public_ipv4_cost(hours, count=nat_gateways, region=region) \
        if nat_gateways else None
    lambda_logs = logs_cost(log_gb, retention_months=retention, lambda_logs=True,
                            region=region)
    lam = (
        BillLine("compute", BILL_LINES["compute"], fn.total_usd,
                 f"{memory_mb} MB, {duration_ms:,.10g} ms, {fn.arch}"),
        BillLine("front_door", BILL_LINES["front_door"], door_usd,
                 word(FRONT_DOORS[front_door]) if door_usd is not None else ""),
        BillLine("ebs", BILL_LINES["ebs"], None, ""),
        BillLine("public_ipv4", BILL_LINES["public_ipv4"],
                 lambda_ipv4.total_usd if lambda_ipv4 else None,
                 say("{count} (the NAT gateways')", count=nat_gateways) if lambda_ipv4 else ""),
        nat_line,
        BillLine("data_transfer", BILL_LINES["data_transfer"], dto.total_usd,
                 format_gb(gb_out)),
        BillLine("logs", BILL_LINES["logs"], lambda_logs.total_usd,
                 say("{gb}, Lambda tiers", gb=format_gb(log_gb))),
    )

    if front_door == "none":
        alb_line = BillLine("front_door", BILL_LINES["front_door"], None, "")
        alb_zones = 0
    else:
        lcus = alb_lcus_for_traffic(requests, gb_out, duration_ms=duration_ms,
                                    requests_per_connection=requests_per_connection,
                                    region=region)
        alb = alb_cost(hours, lcu=lcus.lcu, region=region)
        alb_line = BillLine("front_door", BILL_LINES["front_door"], alb.total_usd,
                            say("ALB, {lcu} LCU ({dimension})", lcu=f"{lcus.lcu:,.3g}",
                                dimension=word(LCU_WORDS[lcus.dominant])))
    addresses = alb_zones + (nat_gateways if nat_gateways else count)
    ipv4 = public_ipv4_cost(hours, count=addresses, region=region)
    ebs = ebs_gp3_cost(ebs_gb * count, region=region)
    ec2_logs = logs_cost(log_gb, retention_months=retention, region=region)
    ec2 = (
        BillLine("compute", BILL_LINES["compute"], fleet.total_usd,
                 f"{count} x {instance_type}, {word(PRICING_WORDS[pricing])}"),
        alb_line,
        BillLine("ebs", BILL_LINES["ebs"], ebs.total_usd, f"{format_gb(ebs_gb * count)} gp3"),
        BillLine("public_ipv4", BILL_LINES["public_ipv4"], ipv4.total_usd, f"{addresses}"),
        nat_line,
        BillLine("data_transfer", BILL_LINES["data_transfer"], dto.total_usd,
                 format_gb(gb_out)),
        BillLine("logs", BILL_LINES["logs"], ec2_logs.total_usd, format_gb(log_gb)),
    )
    return WholeBill(region=region, requests=requests, gb_out=gb_out, front_door=front_door,
                     instance_type=instance_type, count=count, lambda_lines=lam, ec2_lines=ec2,
                     lambda_total_usd=sum(line.usd or 0.0 for line in lam),
                     ec2_total_usd=sum(line.usd or 0.0 for line in ec2),
                     lambda_compute=fn, ec2_fleet=fleet)


def whole_bill_at(requests: float, duration_ms: float, memory_mb: int, instance_type: str,
                  count: int = 1, *, response_kb: float = 0.0, **options) -> WholeBill:
    """:func:`whole_bill` with the data sent out proportional to the requests: each response
    carries ``response_kb`` KB (1 GB = 1,048,576 KB)."""
    response_kb = bounds.RESPONSE_KB.check("response_kb", response_kb)
    requests = bounds.REQUESTS.check("requests", requests)
    return whole_bill(requests, duration_ms, memory_mb, instance_type, count,
                      requests * response_kb / KB_PER_GB, **options)


def whole_bill_break_even(duration_ms: float, memory_mb: int, instance_type: str,
                          count: int = 1, *, response_kb: float = 0.0,
                          concurrency_per_instance: int | None = None,
                          **options) -> int | None:
    """Monthly requests at which the two whole bills cross, or ``None`` when they never do.

    Both bills now grow with traffic (the ALB's LCUs, logs and data transfer on EC2; requests,
    duration, the front door, logs and data transfer on Lambda), so the crossing is where the
    difference changes sign. ``None`` when the Lambda design stays cheaper up to the most
    requests the book takes (:data:`~ec2vslambda.bounds.MAX_COUNT`), or, with
    ``concurrency_per_instance``, when the crossing lies beyond what the fleet can serve
    (:func:`ec2_capacity_requests`). Options are :func:`whole_bill`'s.

    A bisection, of at most about 80 whole bills whatever the inputs: the search stops at
    ``MAX_COUNT`` (below 2**53, where neighbouring floats are less than 0.5 apart, so the
    half-request tolerance is always reached).
    """
    region = options.get("region", DEFAULT_REGION)
    capacity = math.inf
    if concurrency_per_instance is not None:
        capacity = ec2_capacity_requests(instance_type, duration_ms, count=count,
                                         concurrency_per_instance=concurrency_per_instance,
                                         region=region)

    def gap(n: float) -> float:
        bill = whole_bill_at(n, duration_ms, memory_mb, instance_type, count,
                             response_kb=response_kb, **options)
        return bill.lambda_total_usd - bill.ec2_total_usd

    if gap(0.0) >= 0:
        return 0
    low, high = 0.0, 1e6
    while gap(high) < 0:
        if high >= bounds.MAX_COUNT:
            return None
        low, high = high, min(high * 2, bounds.MAX_COUNT)
    while high - low > 0.5:  # both bills are continuous in the request count
        mid = (low + high) / 2
        if gap(mid) < 0:
            low = mid
        else:
            high = mid
    crossing = math.ceil(high)
    return None if crossing > capacity else crossing


def whole_bill_series(requests_grid, duration_ms: float, memory_mb: int, instance_type: str,
                      count: int = 1, *, response_kb: float = 0.0,
                      **options) -> dict[str, list[float]]:
    """Four curves over ``requests_grid`` (any iterable of request counts), as plain lists:
    each design's compute-only cost and its whole bill."""
    series: dict[str, list[float]] = {"requests": [], "lambda_compute": [], "ec2_compute": [],
                                      "lambda_total": [], "ec2_total": []}
    for n in requests_grid:
        bill = whole_bill_at(float(n), duration_ms, memory_mb, instance_type, count,
                             response_kb=response_kb, **options)
        series["requests"].append(float(n))
        series["lambda_compute"].append(bill.lambda_compute.total_usd)
        series["ec2_compute"].append(bill.ec2_fleet.total_usd)
        series["lambda_total"].append(bill.lambda_total_usd)
        series["ec2_total"].append(bill.ec2_total_usd)
    return series
