"""The rest of the bill, and both designs' whole monthly bills side by side.

Beyond compute (:mod:`ec2vslambda.pricing`), a design pays for its front door (API Gateway, a
function URL, or an Application Load Balancer), the data it sends to the internet, a NAT gateway,
public IPv4 addresses, EBS volumes and CloudWatch Logs, at the rates of
``data/whole_bill_prices.csv``. :func:`whole_bill` puts a Lambda design and an EC2 design side by
side, line by line; :func:`whole_bill_break_even` finds the traffic where they cost the same.

Conventions (as :mod:`ec2vslambda.pricing`'s): a month is 730 hours; hourly resources are billed
for each hour or partial hour; tiered rates apply to the month's aggregate, with a free allowance
taken from the lowest tier first; a price no source gives for the region is refused, never
borrowed from another region.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from . import bounds
from . import data as _data
from .bounds import HOURS_PER_MONTH
from .pricing import (
    DEFAULT_REGION,
    SECONDS_PER_HOUR,
    Ec2Cost,
    LambdaCost,
    beyond_tiers,
    capacity_if_asked,
    check_duration_ms,
    check_region,
    ec2_cost,
    format_usd,
    lambda_cost,
)
from .validation import Allowed, InputError, choice, flag, number, whole
from .words import say, term, word

__all__ = ["API_ITEMS", "API_LABELS", "BILL_FILE", "BILL_LINES", "BYTES_PER_GB",
           "DEFAULT_ALB_ZONES", "DEFAULT_EBS_GB_PER_INSTANCE", "DEFAULT_LOG_BYTES_PER_REQUEST",
           "DEFAULT_REQUESTS_PER_CONNECTION", "DESIGNS", "FRONT_DOORS", "KB_PER_GB",
           "LCU_DIMENSIONS", "LCU_WORDS", "LINE_PHRASES", "PRICING_WORDS", "AlbCost",
           "ApiGatewayCost", "BillLine", "DataTransferCost", "EbsCost", "LcuEstimate", "LogsCost",
           "NatGatewayCost", "PublicIpv4Cost", "TierCharge", "WholeBill", "alb_cost", "alb_lcus",
           "alb_lcus_for_traffic", "api_gateway_cost", "data_transfer_out_cost", "ebs_gp3_cost",
           "format_gb", "function_url_cost", "logs_cost", "nat_gateway_cost", "public_ipv4_cost",
           "whole_bill", "whole_bill_at", "whole_bill_break_even", "whole_bill_series"]

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
        raise beyond_tiers(what, quantity, tiers[-1].end, region, BILL_FILE)
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
        charged = sorted(((line.usd, line) for line in self.lines(design) if line.usd),
                         key=lambda pair: -pair[0])
        picked, running = [], 0.0
        for usd, line in charged:
            if total and running >= share * total:
                break
            picked.append(line)
            running += usd
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
                         share=f"{(line.usd or 0.0) / total:.0%}")
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
    capacity = capacity_if_asked(instance_type, duration_ms, count, concurrency_per_instance,
                                 options.get("region", DEFAULT_REGION))

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
