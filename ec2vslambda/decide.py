"""The decision guide: which compute option should run this workload, and why?

Chapter 6 turns the seed article's conclusion ("idle time and regularity decide the cost;
long-running and latency-critical work favours EC2") into arithmetic. :func:`decide` takes a
:class:`Workload` and

1. checks it against Lambda's limits (:func:`ec2vslambda.limits.check_workload`);
2. sizes a fleet for the load it must carry (enough instances or tasks for the peak, or for the
   average when the work can wait in a queue, at a target utilisation);
3. prices every option's whole bill for one month: Lambda on demand, Lambda with Provisioned
   Concurrency, Lambda Managed Instances, Lambda MicroVMs, Fargate, and an EC2 fleet On-Demand,
   under a Savings Plan and on Spot (:mod:`ec2vslambda.pricing` and
   ``data/middle_options_prices.csv``). Beyond compute each bill carries its front door (API
   Gateway or a function URL for Lambda, an Application Load Balancer for a fleet), its logs,
   its data transfer out, and for a fleet its EBS volumes and public IPv4 addresses;
4. estimates the 99th-percentile latency of each (:func:`ec2vslambda.latency.tail_latency`);
5. picks the cheapest option that fits, preferring a more managed one when it costs at most
   :attr:`Assumptions.prefer_managed_within` more, and returns a :class:`Recommendation` whose
   every :class:`Reason` carries the number it rests on and where that number came from.

Model assumptions (all visible, all parameters)
-----------------------------------------------
* ``duration_ms`` is one request's time on Lambda at ``memory_mb``. There the request holds a
  CPU share of ``memory_mb / memory_per_vcpu`` (``lambda_limits.csv``), busy for the fraction
  ``cpu_fraction`` of its duration (1 = CPU-bound, lower when it mostly waits on I/O). The same
  request needs the same vCPU-seconds on an instance or a Fargate task, where several requests
  share a vCPU; a fleet is sized from those vCPU-seconds. Memory per request is not a constraint
  on the fleet.
* A fleet runs only during ``active_hours_per_month`` (scheduled or launched for the job), except
  under a Savings Plan, whose hourly commitment is paid every hour of the month.
* A fleet is sized for ``peak_concurrency`` (Little's law: requests per second x duration in
  seconds, see :func:`peak_concurrency_for`) because peaks shorter than an instance's start-up
  time cannot be followed by scaling; when ``can_queue`` is set the work waits in a queue and the
  fleet is sized for the average instead. ``multi_az`` keeps at least two instances or tasks, one
  per Availability Zone, as Lambda does on its own. Lambda Managed Instances launches three
  instances by default for the same reason (``lambda_limits.csv``), so it never runs fewer.
* Provisioned Concurrency is sized for the peak and enabled during the active hours.
* Lambda MicroVMs (arm64 only) run one MicroVM per job while it runs, sized like the function
  (its memory, and CPU in Lambda's proportion), billed per second; they are for per-session or
  long-running work, so short stateless requests are left to Lambda functions.
* A fleet's ALB, EBS volumes and public IPv4 addresses exist while the fleet runs (all month
  under a Savings Plan). Every option sends the same ``response_kb`` per request to the
  internet and writes the same logs (``Assumptions.log_bytes_per_request``).
* ``region`` prices everything in ``us-east-1`` or ``ap-northeast-2``. An option whose price the
  data lacks for the region is ruled out with the reason, never priced from another region.
* Human time to run servers is not priced; ``prefer_managed_within`` is how much more you are
  willing to pay to have AWS run them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path

from . import data as _data
from . import latency, limits, pricing
from .power_tuning import vcpus_at_memory
from .pricing import HOURS_PER_MONTH, SECONDS_PER_HOUR
from .validation import InputError, choice, flag, number, whole
from .words import say, term, word

MS_PER_S = 1000.0


def _positive(name: str, value: object, high: float | None = None) -> float:
    """:func:`~ec2vslambda.validation.number` for quantities that must be more than 0 (a duration,
    a size, a share)."""
    allowed = f"more than 0 up to {high:,g}" if high is not None else "more than 0"
    result = number(name, value, high=high, what=allowed)
    if result <= 0:
        raise InputError(name, value, "is out of range", allowed)
    return result

# --- prices of the middle options -------------------------------------------------------------

MIDDLE_FILE = "middle_options_prices.csv"
MIDDLE_PRICES = _data.Schema(
    required=("item", "arch", "value", "unit", "region", "source_url", "as_of", "provenance",
              "notes"),
    numeric=("value",),
    units=frozenset({"usd_per_vcpu_hour", "usd_per_gb_hour", "usd_per_million_requests",
                     "fraction_of_on_demand", "usd_per_vcpu_second", "usd_per_gb_second",
                     "usd_per_gb_month", "usd_per_million_operations"}),
    choices={"arch": frozenset({"x86_64", "arm64", "any"}), "region": _data.REGION_CHOICES},
    non_empty=("item", "source_url", "unit", "region", "as_of"),
)


@dataclass(frozen=True)
class MiddlePrices:
    """Fargate, Lambda Managed Instances, Lambda MicroVMs and durable-function prices in one
    region, from ``middle_options_prices.csv``. A rate the region lacks is absent (or None)."""

    fargate_usd_per_vcpu_hour: Mapping[str, float]  # by architecture
    fargate_usd_per_gb_hour: Mapping[str, float]
    managed_instances_usd_per_million_requests: float
    managed_instances_fee: float  # fraction of the EC2 On-Demand price
    sources: tuple[str, ...]
    microvm_usd_per_vcpu_second: float | None = None  # arm64 only
    microvm_usd_per_gb_second: float | None = None
    microvm_snapshot_usd_per_gb_month: float | None = None
    durable_usd_per_million_operations: float | None = None
    region: str = "us-east-1"


@cache
def _middle_prices(directory: Path, region: str = "us-east-1") -> MiddlePrices:
    rows = _data.regional_rows(_data.read_rows(directory / MIDDLE_FILE, MIDDLE_PRICES), region)

    def optional(item: str, arch: str = "any") -> float | None:
        return _data._optional(rows, MIDDLE_FILE, item, arch)

    def value(item: str, arch: str = "any") -> float:
        found = optional(item, arch)
        if found is None:
            raise _data.missing_price(item, region, MIDDLE_FILE, ("us-east-1",))
        return found

    fee = value("managed_instances_fee")
    if not 0 <= fee < 1:
        raise _data.DataError(f"{MIDDLE_FILE}: managed_instances_fee {fee:g} is not a fraction "
                              "in [0, 1)")
    archs = ("x86_64", "arm64")
    return MiddlePrices(
        fargate_usd_per_vcpu_hour={a: v for a in archs
                                   if (v := optional("fargate_vcpu", a)) is not None},
        fargate_usd_per_gb_hour={a: v for a in archs
                                 if (v := optional("fargate_memory", a)) is not None},
        managed_instances_usd_per_million_requests=value("managed_instances_requests"),
        managed_instances_fee=fee,
        sources=tuple(dict.fromkeys(str(r["source_url"]) for r in rows)),
        microvm_usd_per_vcpu_second=optional("microvm_vcpu", "arm64"),
        microvm_usd_per_gb_second=optional("microvm_memory", "arm64"),
        microvm_snapshot_usd_per_gb_month=optional("microvm_snapshot_storage"),
        durable_usd_per_million_operations=optional("durable_operations"),
        region=region,
    )


def middle_prices(directory: Path | None = None, *, region: str = "us-east-1") -> MiddlePrices:
    """Fargate, Lambda Managed Instances, MicroVMs and durable-function prices (cached)."""
    return _middle_prices(directory.resolve() if directory else _data.data_dir(),
                          _data.check_region(region))


def middle_prices_table(directory: Path | None = None):
    """The rows of ``middle_options_prices.csv`` as loaded and validated (a pandas table), with
    where each figure comes from: ``AWS`` or ``third-party copy`` (the ``provenance`` column)."""
    import pandas as pd

    rows = _data.read_rows((directory or _data.data_dir()) / MIDDLE_FILE, MIDDLE_PRICES)
    for row in rows:
        row["figure from"] = "third-party copy" if row["provenance"] else "AWS"
    return pd.DataFrame(rows)[["item", "arch", "region", "value", "unit", "as_of", "figure from",
                               "source_url"]]


def durable_operations_usd(operations: float, *, region: str = "us-east-1") -> float:
    """The charge for ``operations`` durable operations (steps, waits, callbacks) of Lambda
    durable functions, on top of the function's own requests and duration."""
    operations = number("operations", operations)
    rate = middle_prices(region=region).durable_usd_per_million_operations
    if rate is None:
        raise _data.missing_price("Lambda durable operations", region, MIDDLE_FILE,
                                  ("us-east-1",))
    return operations * rate / 1e6


# --- the workload and the assumptions -------------------------------------------------------

OPTIONS = {  # most managed first: the order used to prefer a managed option on a near-tie
    "lambda": term("Lambda (on demand)"),
    "lambda_provisioned": term("Lambda + Provisioned Concurrency"),
    "managed_instances": term("Lambda Managed Instances"),
    "microvm": term("Lambda MicroVMs"),
    "fargate": term("Fargate"),
    "ec2_on_demand": term("EC2 On-Demand"),
    "ec2_savings_plan": term("EC2 + Savings Plan"),
    "ec2_spot": term("EC2 Spot"),
}
LAMBDA_OPTIONS = ("lambda", "lambda_provisioned")
#: Options billed like Lambda functions beyond compute: their front door is API Gateway or a
#: function URL, and their logs pay Lambda's tiered rate.
SERVERLESS_FRONT = ("lambda", "lambda_provisioned", "managed_instances")
FLEETS = ("fargate", "ec2_on_demand", "ec2_savings_plan", "ec2_spot")

#: Alternatives in a :class:`~ec2vslambda.limits.Violation` that keep the work on Lambda: with
#: one of these changes the function still runs there.
LAMBDA_FIXES = frozenset({limits.ALT_S3_REFERENCE, limits.ALT_STREAMING, limits.ALT_EFS,
                          limits.ALT_CONTAINER_IMAGE, limits.ALT_QUOTA})


def peak_concurrency_for(peak_rps: float, duration_ms: float) -> int:
    """Requests in flight at the peak (Little's law), rounded up: ``peak_rps x duration``.

    At least 1: something is running whenever there is any load.
    """
    peak_rps = number("peak_rps", peak_rps)
    duration_ms = number("duration_ms", duration_ms)
    return max(1, math.ceil(round(peak_rps * duration_ms / MS_PER_S, 9)))


@dataclass(frozen=True)
class Workload:
    """One workload to place. Times in ms, memory in MB, money never (that comes from data/).

    requests_per_month: requests (events, jobs) in a month.
    duration_ms: one request's duration on Lambda at ``memory_mb`` (warm, median).
    peak_concurrency: most requests in flight at once (see :func:`peak_concurrency_for`).
    memory_mb: the Lambda memory setting (and the memory one request needs).
    arch: ``"x86_64"`` or ``"arm64"`` for Lambda and Fargate; the EC2 type defaults to match.
    active_hours_per_month: hours in the month in which requests arrive (730 = always).
    init_ms: INIT duration of a cold start.
    cold_start_fraction: share of on-demand Lambda invocations that are cold, 0 to 1.
    latency_target_ms: the p99 latency the work must meet, or ``None`` when nobody waits.
    cpu_fraction: share of a request's duration that keeps its CPU busy, above 0 up to 1.
    payload_mb, invocation, tmp_mb, needs_state, package_mb: as in
        :class:`ec2vslambda.limits.WorkloadNeeds`.
    can_queue: the work may wait in a queue, so a fleet can be sized for the average load.
    interruptible: the work survives being stopped and retried (Spot is allowed).
    steady_for_a_year: the load is known well enough to commit to a year (Savings Plan).
    multi_az: keep at least two instances or tasks, in two Availability Zones.
    region: ``"us-east-1"`` or ``"ap-northeast-2"`` (Seoul).
    front_door: how requests arrive: ``"http_api"``, ``"rest_api"``, ``"function_url"`` (for the
        Lambda options; a fleet then sits behind an ALB) or ``"none"`` (events from a queue, a
        stream or a schedule: no front door at all).
    response_kb: KB each request sends to the internet (data transfer out).
    """

    requests_per_month: float
    duration_ms: float
    peak_concurrency: int
    memory_mb: int = 1024
    arch: str = "arm64"
    active_hours_per_month: float = HOURS_PER_MONTH
    init_ms: float = 0.0
    cold_start_fraction: float = 0.0
    latency_target_ms: float | None = None
    cpu_fraction: float = 1.0
    payload_mb: float = 0.0
    invocation: str = "sync"
    tmp_mb: float = 0.0
    needs_state: bool = False
    package_mb: float = 0.0
    can_queue: bool = False
    interruptible: bool = False
    steady_for_a_year: bool = False
    multi_az: bool = True
    name: str = "workload"
    region: str = "us-east-1"
    front_door: str = "http_api"
    response_kb: float = 0.0

    def __post_init__(self) -> None:
        number("requests_per_month", self.requests_per_month, low=1.0)
        _positive("duration_ms", self.duration_ms)
        whole("peak_concurrency", self.peak_concurrency, low=1)
        whole("memory_mb", self.memory_mb, low=_data.limit_value("memory_min"))
        _data.check_region(self.region)
        choice("front_door", self.front_door, tuple(pricing.FRONT_DOORS))
        number("response_kb", self.response_kb)
        pricing.check_arch(self.arch)
        _positive("active_hours_per_month", self.active_hours_per_month, high=HOURS_PER_MONTH)
        number("init_ms", self.init_ms)
        number("cold_start_fraction", self.cold_start_fraction, high=1.0)
        _positive("cpu_fraction", self.cpu_fraction, high=1.0)
        for name in ("can_queue", "interruptible", "steady_for_a_year", "multi_az"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name}={getattr(self, name)!r} is not allowed; allowed: True, "
                                 "False")
        self.needs()  # payload, invocation, tmp, state, package, latency target: limits checks
        if self.average_concurrency > self.peak_concurrency:
            raise ValueError(
                f"peak_concurrency={self.peak_concurrency!r} is below the average load: "
                f"{self.requests_per_month:,.0f} requests of {self.duration_ms:,g} ms in "
                f"{self.active_hours_per_month:,g} h keep {self.average_concurrency:,.2f} "
                "requests in flight on average; allowed: at least that")

    @property
    def average_concurrency(self) -> float:
        """Requests in flight on average during the active hours."""
        busy_s = self.requests_per_month * self.duration_ms / MS_PER_S
        return busy_s / (self.active_hours_per_month * SECONDS_PER_HOUR)

    @property
    def gb_out(self) -> float:
        """GB a month sent to the internet."""
        return self.requests_per_month * self.response_kb / pricing.KB_PER_GB

    @property
    def regularity(self) -> float:
        """Average load over peak load during the active hours, in (0, 1]; 1 = perfectly flat."""
        return self.average_concurrency / self.peak_concurrency

    def vcpus_for(self, concurrency: float) -> float:
        """vCPUs kept busy by ``concurrency`` requests in flight (see the module docstring)."""
        return concurrency * vcpus_at_memory(self.memory_mb) * self.cpu_fraction

    def needs(self) -> limits.WorkloadNeeds:
        """The workload as the limits checker sees it."""
        return limits.WorkloadNeeds(
            duration_ms=self.duration_ms, memory_mb=self.memory_mb, payload_mb=self.payload_mb,
            invocation=self.invocation, tmp_mb=self.tmp_mb,
            peak_concurrency=self.peak_concurrency, needs_state=self.needs_state,
            latency_target_ms=self.latency_target_ms, package_mb=self.package_mb)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def default_instance_type(arch: str, region: str = "us-east-1") -> str:
    """The cheapest general-purpose instance type of ``arch`` priced in ``region``."""
    arch = pricing.check_arch(arch)
    region = _data.check_region(region)
    priced = _data.ec2_prices().in_region(region)
    candidates = [i for i in priced.values()
                  if i.category == "general_purpose" and i.arch == arch]
    if not candidates:
        raise InputError("region", region, f"has no general_purpose {arch} instance type priced "
                         "in ec2_prices.csv (no source the book could check gives one)",
                         "an instance type priced there: " + (", ".join(priced) or "none"))
    return min(candidates, key=lambda i: (i.usd_per_hour, i.name)).name


@dataclass(frozen=True)
class Assumptions:
    """How the fleets are run and how a near-tie is broken. All are choices, not prices.

    instance_type: EC2 (and Managed Instances) type; ``None`` picks
        :func:`default_instance_type` for the workload's architecture.
    target_utilisation: the busiest share of its vCPUs a fleet is sized to run at, above 0 up
        to 1. Fleets keep headroom for bursts, deployments and a failed instance.
    fargate_task_vcpu, fargate_task_memory_gb: the size of one Fargate task.
    prefer_managed_within: choose a more managed option if it costs at most this fraction more
        than the cheapest (0 = cost alone decides).
    log_bytes_per_request, ebs_gb_per_instance, alb_zones: the whole bill's assumptions (see
        :func:`ec2vslambda.pricing.whole_bill`).
    """

    instance_type: str | None = None
    target_utilisation: float = 0.6
    fargate_task_vcpu: float = 1.0
    fargate_task_memory_gb: float = 2.0
    prefer_managed_within: float = 0.10
    log_bytes_per_request: float = pricing.DEFAULT_LOG_BYTES_PER_REQUEST
    ebs_gb_per_instance: float = pricing.DEFAULT_EBS_GB_PER_INSTANCE
    alb_zones: int = pricing.DEFAULT_ALB_ZONES

    def __post_init__(self) -> None:
        if self.instance_type is not None:
            known = set().union(*(_data.ec2_prices().in_region(r) for r in _data.REGIONS))
            if self.instance_type not in known:
                pricing.instance(self.instance_type)  # raises the readable error
        number("log_bytes_per_request", self.log_bytes_per_request)
        number("ebs_gb_per_instance", self.ebs_gb_per_instance)
        whole("alb_zones", self.alb_zones, low=1)
        _positive("target_utilisation", self.target_utilisation, high=1.0)
        _positive("fargate_task_vcpu", self.fargate_task_vcpu)
        _positive("fargate_task_memory_gb", self.fargate_task_memory_gb)
        number("prefer_managed_within", self.prefer_managed_within, high=1.0)


# --- the result -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Reason:
    """One reason for the recommendation, with the number it rests on.

    ``source`` names what computed ``value`` (a package function or a data row), so a reader can
    recompute it.
    """

    text: str
    value: float
    unit: str
    source: str


@dataclass(frozen=True)
class OptionCost:
    """One option priced for the month. ``monthly_usd`` is ``None`` when it cannot run the work."""

    option: str
    label: str
    monthly_usd: float | None
    eligible: bool
    units: int  # instances, tasks or provisioned environments (0 for on-demand Lambda)
    p99_ms: float | None
    why_not: tuple[str, ...] = ()
    detail: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Recommendation:
    workload: Workload
    assumptions: Assumptions
    choice: str  # a key of OPTIONS
    options: tuple[OptionCost, ...]
    reasons: tuple[Reason, ...]
    violations: tuple[limits.Violation, ...]
    instance_type: str
    fleet_instances: int

    @property
    def label(self) -> str:
        return word(OPTIONS[self.choice])

    @property
    def monthly_usd(self) -> float:
        return self.option(self.choice).monthly_usd  # type: ignore[return-value]

    def option(self, key: str) -> OptionCost:
        choice("option", key, tuple(OPTIONS))
        return next(o for o in self.options if o.option == key)

    def rows(self) -> list[dict[str, str]]:
        """One row per option as display strings: money as money, ``—`` where it cannot run."""
        rows = []
        for o in self.options:
            rows.append({
                word("option"): (say("{option} ◀ recommended", option=o.label)
                                 if o.option == self.choice else o.label),
                word("USD per month"): pricing.format_usd(o.monthly_usd),
                word("of which compute"): pricing.format_usd(
                    o.detail.get("compute_usd") if o.monthly_usd is not None else None),
                word("instances / tasks / environments"): f"{o.units:,}",
                word("p99 latency (ms)"): "—" if o.p99_ms is None else f"{o.p99_ms:,.1f}",
                word("fits"): word("yes") if o.eligible else word("no"),
                word("why not"): "; ".join(o.why_not),
            })
        return rows

    def table(self):
        """:meth:`rows` as a pandas table indexed by option."""
        import pandas as pd

        return pd.DataFrame(self.rows()).set_index(word("option"))

    def reasons_markdown(self) -> str:
        head = (f"**Recommendation for {self.workload.name}: {self.label}**, about "
                f"${self.monthly_usd:,.2f} a month.")
        return "\n".join([head, ""] + [f"- {r.text}" for r in self.reasons])


# --- pricing each option --------------------------------------------------------------------

def fleet_size(vcpus_needed: float, vcpus_per_unit: float, target_utilisation: float, *,
               minimum: int = 1) -> int:
    """Instances (or tasks) of ``vcpus_per_unit`` each to carry ``vcpus_needed`` busy vCPUs
    while running at most ``target_utilisation`` of their capacity; at least ``minimum``."""
    vcpus_needed = number("vcpus_needed", vcpus_needed)
    vcpus_per_unit = _positive("vcpus_per_unit", vcpus_per_unit)
    target_utilisation = _positive("target_utilisation", target_utilisation, high=1.0)
    minimum = whole("minimum", minimum, low=1)
    return max(minimum, math.ceil(round(vcpus_needed / (vcpus_per_unit * target_utilisation), 9)))


def _p99(cold_fraction: float, init_ms: float, duration_ms: float) -> float | None:
    """p99 of the latency model, or ``None`` when the run is longer than the model covers."""
    if duration_ms > _data.limit_value("timeout_max") * MS_PER_S:
        return None
    return latency.tail_latency(cold_fraction, init_ms, duration_ms,
                                percentiles=(99,)).percentiles_ms[99]


def _blocking(violations: Sequence[limits.Violation]) -> list[limits.Violation]:
    """The violations that rule Lambda out: not about latency (modelled separately) and with no
    alternative that keeps the work on Lambda."""
    return [v for v in violations
            if v.limit != "latency" and not LAMBDA_FIXES.intersection(v.alternatives)]


def _serverless_extras(w: Workload, a: Assumptions) -> dict[str, float]:
    """Front door, logs and data transfer of an option billed like a Lambda function."""
    region, n = w.region, w.requests_per_month
    if w.front_door == "none":
        door = 0.0
    elif w.front_door == "function_url":
        door = pricing.function_url_cost(n, region=region)
    else:
        door = pricing.api_gateway_cost(n, api=w.front_door.split("_")[0],
                                        region=region).total_usd
    logs = pricing.logs_cost(n * a.log_bytes_per_request / pricing.BYTES_PER_GB,
                             lambda_logs=True, region=region).total_usd
    dto = pricing.data_transfer_out_cost(w.gb_out, region=region).total_usd
    return {"front_door_usd": door, "logs_usd": logs, "data_transfer_usd": dto}


def _fleet_extras(w: Workload, a: Assumptions, units: int, hours: float, *,
                  volumes: bool) -> dict[str, float]:
    """ALB, public IPv4 addresses, EBS (``volumes``), logs and data transfer of a fleet of
    ``units`` instances or tasks that exists ``hours`` in the month."""
    region, n = w.region, w.requests_per_month
    extras: dict[str, float] = {"front_door_usd": 0.0}
    zones = 0
    if w.front_door != "none":
        lcus = pricing.alb_lcus_for_traffic(
            n, w.gb_out, duration_ms=min(w.duration_ms, _data.limit_value("timeout_max")
                                         * MS_PER_S), hours=hours,
            requests_per_connection=pricing.DEFAULT_REQUESTS_PER_CONNECTION, region=region)
        extras["front_door_usd"] = pricing.alb_cost(hours, lcu=lcus.lcu, region=region).total_usd
        zones = a.alb_zones
    extras["public_ipv4_usd"] = pricing.public_ipv4_cost(hours, count=zones + units,
                                                         region=region).total_usd
    if volumes:
        extras["ebs_usd"] = pricing.ebs_gp3_cost(
            a.ebs_gb_per_instance * units * hours / HOURS_PER_MONTH, region=region).total_usd
    extras["logs_usd"] = pricing.logs_cost(n * a.log_bytes_per_request / pricing.BYTES_PER_GB,
                                           region=region).total_usd
    extras["data_transfer_usd"] = pricing.data_transfer_out_cost(w.gb_out,
                                                                 region=region).total_usd
    return extras


def _priced(key: str, compute: Mapping[str, float], extras: Mapping[str, float], units: int,
            p99: float | None, why: Sequence[str]) -> OptionCost:
    detail = {"compute_usd": sum(compute.values()), **compute, **extras}
    total = detail["compute_usd"] + sum(extras.values())
    return OptionCost(key, word(OPTIONS[key]), total, not why, units, p99, tuple(why), detail)


def _refused(key: str, units: int, error: ValueError | Sequence[str]) -> OptionCost:
    why = (str(error),) if isinstance(error, ValueError) else tuple(error)
    return OptionCost(key, word(OPTIONS[key]), None, False, units, None, why)


def decide(workload: Workload, assumptions: Assumptions = Assumptions(), *,
           explain: bool = True) -> Recommendation:
    """Price every option's whole bill for ``workload``, rule out those that cannot run it, and
    recommend one.

    ``explain=False`` leaves the reasons out (``reasons`` is empty): the same bills and choice in
    about a quarter of the time, for sweeps that show only the figures (the break-even searches
    behind two of the reasons cost the most).

    Raises ``ValueError`` (naming the parameter) on bad input, and when no option can be priced
    in the workload's region.
    """
    if not isinstance(workload, Workload):
        raise ValueError(f"workload={workload!r} is not allowed; allowed: a Workload")
    if not isinstance(assumptions, Assumptions):
        raise ValueError(f"assumptions={assumptions!r} is not allowed; allowed: an Assumptions")
    explain = flag("explain", explain)
    w, a = workload, assumptions
    region = w.region
    middle = middle_prices(region=region)
    itype = a.instance_type or default_instance_type(w.arch, region)
    spec = pricing.instance(itype, region)
    hours = w.active_hours_per_month

    violations = limits.check_workload(w.needs(), init_ms=w.init_ms)
    blocking = _blocking(violations)
    lambda_blocked = [f"{limits.limit_name(v.limit)}: {v.message}" for v in blocking]
    lmi_blocked = [f"{limits.limit_name(v.limit)}: {v.message}" for v in blocking
                   if limits.ALT_MANAGED_INSTANCES not in v.alternatives]

    sized_for = math.ceil(round(w.average_concurrency, 9)) if w.can_queue else w.peak_concurrency
    vcpus = w.vcpus_for(sized_for)
    minimum = 2 if w.multi_az else 1
    n = fleet_size(vcpus, spec.vcpu, a.target_utilisation, minimum=minimum)
    n_lmi = max(n, int(_data.limit_value("managed_instances_default_instances")))
    tasks = fleet_size(vcpus, a.fargate_task_vcpu, a.target_utilisation, minimum=minimum)

    target = w.latency_target_ms
    p99_cold = None if lambda_blocked else _p99(w.cold_start_fraction, w.init_ms, w.duration_ms)
    p99_warm = _p99(0.0, 0.0, w.duration_ms)
    slow_ms = p99_warm if p99_warm is not None else w.duration_ms

    def late(p99: float | None) -> list[str]:
        value = slow_ms if p99 is None else p99
        if target is None or value <= target:
            return []
        return [say("p99 {p99} ms misses the {target} ms target", p99=f"{value:,.0f}",
                    target=f"{target:,g}")]

    options: list[OptionCost] = []
    ephemeral_mb = int(min(max(math.ceil(w.tmp_mb), _data.limit_value("tmp_min")),
                           _data.limit_value("tmp_max")))
    lambda_costs: dict[str, pricing.LambdaCost] = {}
    try:
        serverless = _serverless_extras(w, a)
    except ValueError as error:
        serverless = error
    if not lambda_blocked and not isinstance(serverless, ValueError):
        for key, kwargs in (("lambda", dict(init_ms=w.init_ms,
                                            cold_start_ratio=w.cold_start_fraction)),
                            ("lambda_provisioned", dict(provisioned_concurrency=w.peak_concurrency,
                                                        provisioned_hours=hours))):
            try:
                lambda_costs[key] = pricing.lambda_cost(
                    w.requests_per_month, w.duration_ms, w.memory_mb, arch=w.arch,
                    ephemeral_mb=ephemeral_mb, region=region, **kwargs)
            except ValueError as error:
                lambda_costs[key] = error  # type: ignore[assignment]
    for key, p99, units in (("lambda", p99_cold, 0),
                            ("lambda_provisioned", p99_warm, w.peak_concurrency)):
        cost = lambda_costs.get(key)
        if lambda_blocked:
            options.append(_refused(key, units, lambda_blocked))
        elif isinstance(serverless, ValueError) or isinstance(cost, ValueError):
            options.append(_refused(key, units, serverless if isinstance(serverless, ValueError)
                                    else cost))
        else:
            options.append(_priced(key, {"requests_usd": cost.requests_usd,
                                         "duration_usd": cost.compute_usd + cost.ephemeral_usd,
                                         "provisioned_usd": cost.provisioned_usd},
                                   serverless, units, p99, late(p99)))
    lambda_costs = {k: v for k, v in lambda_costs.items() if isinstance(v, pricing.LambdaCost)}

    # Lambda Managed Instances: the fleet at EC2 prices, the fee on On-Demand, the requests.
    on_demand_fleet = pricing.ec2_cost(itype, hours, count=n, region=region).total_usd
    if lmi_blocked:
        options.append(_refused("managed_instances", n_lmi, lmi_blocked))
    elif isinstance(serverless, ValueError):
        options.append(_refused("managed_instances", n_lmi, serverless))
    else:
        lmi_on_demand = pricing.ec2_cost(itype, hours, count=n_lmi, region=region).total_usd
        lmi_instances = (pricing.ec2_monthly_usd(itype, count=n_lmi, pricing="savings_plan",
                                                 region=region)
                         if w.steady_for_a_year else lmi_on_demand)
        options.append(_priced("managed_instances", {
            "instances_usd": lmi_instances,
            "fee_usd": middle.managed_instances_fee * lmi_on_demand,
            "requests_usd": (w.requests_per_month
                             * middle.managed_instances_usd_per_million_requests / 1e6)},
            serverless, n_lmi, p99_warm, late(p99_warm)))

    options.append(_microvm_option(w, a, middle, p99_warm, late(p99_warm)))

    try:
        fargate_rate = (a.fargate_task_vcpu * _rate(middle.fargate_usd_per_vcpu_hour, w.arch,
                                                    "Fargate vCPU", region)
                        + a.fargate_task_memory_gb * _rate(middle.fargate_usd_per_gb_hour,
                                                           w.arch, "Fargate memory", region))
        options.append(_priced("fargate", {"tasks_usd": tasks * hours * fargate_rate},
                               _fleet_extras(w, a, tasks, hours, volumes=False), tasks,
                               p99_warm, late(p99_warm)))
    except ValueError as error:
        options.append(_refused("fargate", tasks, error))

    fleets = {"ec2_on_demand": (on_demand_fleet, hours),
              "ec2_savings_plan": (pricing.ec2_monthly_usd(itype, count=n, pricing="savings_plan",
                                                           region=region), HOURS_PER_MONTH),
              "ec2_spot": (pricing.ec2_cost(itype, hours, count=n, pricing="spot",
                                            region=region).total_usd, hours)}
    for key, (usd, fleet_hours) in fleets.items():
        why = late(p99_warm)
        if key == "ec2_savings_plan" and not w.steady_for_a_year:
            why = [word(NO_COMMITMENT)] + why
        if key == "ec2_spot" and not w.interruptible:
            why = [word(NO_SPOT)] + why
        try:
            options.append(_priced(key, {"instances_usd": usd},
                                   _fleet_extras(w, a, n, fleet_hours, volumes=True), n,
                                   p99_warm, why))
        except ValueError as error:
            options.append(_refused(key, n, error))

    if all(o.monthly_usd is None for o in options):
        reasons = sorted({r for o in options for r in o.why_not})
        raise ValueError(f"region={region!r}: no option can be priced for this workload; "
                         + " | ".join(reasons))
    chosen = _choose(options, a.prefer_managed_within)
    rec = Recommendation(workload=w, assumptions=a, choice=chosen, options=tuple(options),
                         reasons=(), violations=tuple(violations), instance_type=itype,
                         fleet_instances=n)
    if not explain:
        return rec
    return replace(rec, reasons=tuple(_reasons(rec, vcpus, sized_for, lambda_costs, middle)))


def _rate(rates: Mapping[str, float], arch: str, what: str, region: str) -> float:
    if arch not in rates:
        raise _data.missing_price(f"{what} ({arch})", region, MIDDLE_FILE, ("us-east-1",))
    return rates[arch]


def _microvm_option(w: Workload, a: Assumptions, middle: MiddlePrices, p99: float | None,
                    late: list[str]) -> OptionCost:
    """One MicroVM per job, running only while the job runs (suspended MicroVMs pay storage
    only), sized like the function: its memory, CPU in Lambda's proportion."""
    key = "microvm"
    lifetime_s = _data.limit_value("microvm_lifetime_max")
    why: list[str] = []
    if w.arch != "arm64":
        why.append(word("Lambda MicroVMs run on arm64 (Graviton) only"))
    if w.duration_ms / MS_PER_S > lifetime_s:
        why.append(say("a job of {seconds} s outlives a MicroVM, which keeps its state for at most "
                       "{hours} hours", seconds=f"{w.duration_ms / MS_PER_S:,.0f}",
                       hours=f"{lifetime_s / 3600:g}"))
    if not w.needs_state and w.duration_ms <= _data.limit_value("timeout_max") * MS_PER_S:
        why.append(word("short stateless requests: Lambda functions serve these; MicroVMs are "
                        "per-session or long-running sandboxes"))
    if middle.microvm_usd_per_vcpu_second is None or middle.microvm_usd_per_gb_second is None:
        return _refused(key, w.peak_concurrency, [str(_data.missing_price(
            "Lambda MicroVMs", w.region, MIDDLE_FILE, ("us-east-1",)))] + why)
    gb = w.memory_mb / pricing.MB_PER_GB
    vcpu = vcpus_at_memory(w.memory_mb)
    billed_s = math.ceil(round(w.duration_ms / MS_PER_S, 6))  # per second
    compute = w.requests_per_month * billed_s * (vcpu * middle.microvm_usd_per_vcpu_second
                                                 + gb * middle.microvm_usd_per_gb_second)
    try:
        extras = {"logs_usd": pricing.logs_cost(
                      w.requests_per_month * a.log_bytes_per_request / pricing.BYTES_PER_GB,
                      region=w.region).total_usd,
                  "data_transfer_usd": pricing.data_transfer_out_cost(
                      w.gb_out, region=w.region).total_usd}
    except ValueError as error:
        return _refused(key, w.peak_concurrency, error)
    return _priced(key, {"microvm_usd": compute}, extras, w.peak_concurrency, p99, why + late)


def _choose(options: Sequence[OptionCost], prefer_managed_within: float) -> str:
    """Cheapest eligible option; a more managed one wins if within the tolerance. When nothing
    fits (only a latency target no platform meets), the cheapest option that can run at all."""
    fits = [o for o in options if o.eligible]
    if not fits:
        fits = [o for o in options if o.monthly_usd is not None]
    cheapest = min(o.monthly_usd for o in fits)  # type: ignore[type-var]
    order = list(OPTIONS)
    near = [o for o in fits if o.monthly_usd <= cheapest * (1 + prefer_managed_within) + 1e-9]
    return min(near, key=lambda o: order.index(o.option)).option


def _usd(x: float) -> str:
    return pricing.format_usd(x)


#: The whole bill's lines beyond compute, as an option's ``detail`` names them.
EXTRA_LINES = {"front_door_usd": term("front door"), "public_ipv4_usd": term("public IPv4"),
               "ebs_usd": "EBS", "logs_usd": term("logs"),
               "data_transfer_usd": term("data transfer")}
#: Why a discounted fleet is not used, whatever the latency (the first reason of its why_not).
NO_COMMITMENT = term("the load is not known to be steady for a year, so no commitment")
NO_SPOT = term("the work cannot be interrupted, and AWS may reclaim Spot capacity")


def _reasons(rec: Recommendation, vcpus: float, sized_for: float,
             lambda_costs: Mapping[str, pricing.LambdaCost],
             middle: MiddlePrices) -> list[Reason]:
    w, a = rec.workload, rec.assumptions
    chosen = rec.option(rec.choice)
    reasons: list[Reason] = []

    for v in rec.violations:
        if v.limit == "latency":
            continue
        fix = sorted(LAMBDA_FIXES.intersection(v.alternatives))
        effect = (say("Lambda still fits with a change: {fix}.", fix=word(fix[0])) if fix
                  else word("This rules out Lambda.")
                  if limits.ALT_MANAGED_INSTANCES in v.alternatives
                  else word("This rules out Lambda and Lambda Managed Instances."))
        reasons.append(Reason(f"{v.message} {effect}", v.requested, v.unit,
                              f"limits.check_workload: {v.limit}"))

    reasons.append(Reason(
        say("Regularity: the average load ({average} requests in flight) is {share} of the peak "
            "({peak}) during the {hours} active hours.", average=f"{w.average_concurrency:,.2f}",
            share=f"{w.regularity:.1%}", peak=f"{w.peak_concurrency:,}",
            hours=f"{w.active_hours_per_month:,g}"), w.regularity, "fraction",
        "Workload.regularity"))

    spec = pricing.instance(rec.instance_type)
    busy = w.vcpus_for(w.average_concurrency) / (rec.fleet_instances * spec.vcpu)
    sized = word("the average (the work can wait in a queue)") if w.can_queue \
        else word("the peak")
    reasons.append(Reason(
        say("Idle time: a fleet sized for {sized} needs {count} x {instance} ({vcpus} busy vCPUs "
            "at a {target} target); on average its vCPUs would be busy {busy} of the time it is "
            "paid for.", sized=sized, count=f"{rec.fleet_instances:,}", instance=rec.instance_type,
            vcpus=f"{vcpus:,.2f}", target=f"{a.target_utilisation:.0%}", busy=f"{busy:.1%}"),
        busy, "fraction",
        "decide.fleet_size"))

    priced = sorted((o for o in rec.options if o.eligible and o.option != rec.choice),
                    key=lambda o: o.monthly_usd)  # type: ignore[arg-type, return-value]
    if chosen.eligible and priced:
        other = priced[0]
        ratio = other.monthly_usd / chosen.monthly_usd if chosen.monthly_usd else math.inf
        reasons.append(Reason(
            say("Cost: {chosen} costs {chosen_usd} a month; the next option that fits, {other}, "
                "costs {other_usd} ({ratio} times as much).", chosen=chosen.label,
                chosen_usd=_usd(chosen.monthly_usd), other=other.label,
                other_usd=_usd(other.monthly_usd), ratio=f"{ratio:,.2f}"),
            chosen.monthly_usd, "usd_per_month", f"decide.decide: {rec.choice}"))
    fits = [o for o in rec.options if o.eligible]
    if fits:
        cheapest = min(fits, key=lambda o: o.monthly_usd)  # type: ignore[arg-type, return-value]
        if cheapest.option != rec.choice:
            extra = chosen.monthly_usd / cheapest.monthly_usd - 1
            reasons.append(Reason(
                say("Managed beats cheapest by a little: {chosen} costs {extra} more than "
                    "{cheapest} ({cheapest_usd}), within the {within} you accept for AWS running "
                    "more of it.", chosen=chosen.label, extra=f"{extra:.1%}",
                    cheapest=cheapest.label, cheapest_usd=_usd(cheapest.monthly_usd),
                    within=f"{a.prefer_managed_within:.0%}"), extra,
                "fraction", "Assumptions.prefer_managed_within"))
    else:
        reasons.append(Reason(
            say("No option meets the {target} ms p99 target: a warm run alone is too slow, so "
                "the work itself has to get faster. The cheapest option that runs it is shown.",
                target=f"{w.latency_target_ms:,g}"), w.duration_ms, "ms",
            "latency.tail_latency"))

    if chosen.monthly_usd:
        extras = {k: v for k, v in chosen.detail.items()
                  if k.endswith("_usd") and k in EXTRA_LINES and v}
        beyond = sum(extras.values())
        shown = {k: v for k, v in extras.items() if v >= 0.005}  # a line of at least a cent
        if shown:
            parts = ", ".join(f"{word(EXTRA_LINES[k])} {_usd(v)}" for k, v in
                              sorted(shown.items(), key=lambda kv: -kv[1]))
            reasons.append(Reason(
                say("Whole bill: beyond compute, {chosen} pays {parts}: {beyond} ({share} of its "
                    "bill).", chosen=chosen.label, parts=parts, beyond=_usd(beyond),
                    share=f"{beyond / chosen.monthly_usd:.0%}"), beyond, "usd_per_month",
                "decide.decide: whole bill"))

    if "lambda" in lambda_costs and w.active_hours_per_month == HOURS_PER_MONTH:
        even = pricing.break_even_requests(w.duration_ms, w.memory_mb, rec.instance_type,
                                           count=rec.fleet_instances, arch=w.arch,
                                           region=w.region)
        if even:
            reasons.append(Reason(
                say("Break-even on compute alone: on-demand Lambda costs as much as {count} x "
                    "{instance} On-Demand all month at {even} requests a month; this workload "
                    "has {requests} ({times} times that).", count=f"{rec.fleet_instances:,}",
                    instance=rec.instance_type, even=f"{even:,}",
                    requests=f"{w.requests_per_month:,.0f}",
                    times=f"{w.requests_per_month / even:,.2f}"), float(even),
                "requests_per_month", "pricing.break_even_requests"))
        try:
            whole_even = pricing.whole_bill_break_even(
                w.duration_ms, w.memory_mb, rec.instance_type, rec.fleet_instances,
                response_kb=w.response_kb, front_door=w.front_door, arch=w.arch,
                region=w.region, init_ms=w.init_ms, cold_start_ratio=w.cold_start_fraction,
                log_bytes_per_request=a.log_bytes_per_request,
                ebs_gb_per_instance=a.ebs_gb_per_instance, alb_zones=a.alb_zones)
        except ValueError:
            whole_even = None
        if whole_even:
            reasons.append(Reason(
                say("Break-even on the whole bill (front door, logs, data transfer, EBS and "
                    "public addresses included): {even} requests a month.",
                    even=f"{whole_even:,}"), float(whole_even),
                "requests_per_month", "pricing.whole_bill_break_even"))

    lam = rec.option("lambda")
    if w.latency_target_ms is not None and lam.p99_ms is not None:
        fields = dict(cold=f"{w.cold_start_fraction:.1%}", init=f"{w.init_ms:,g}",
                      p99=f"{lam.p99_ms:,.0f}", target=f"{w.latency_target_ms:,g}",
                      warm=f"{rec.option('fargate').p99_ms:,.0f}")
        if lam.p99_ms <= w.latency_target_ms:
            text = say("Latency: with {cold} cold starts of {init} ms INIT, on-demand Lambda's "
                       "p99 is about {p99} ms and meets the {target} ms target; without cold "
                       "starts (Provisioned Concurrency, Managed Instances, containers, "
                       "instances) it is {warm} ms.", **fields)
        else:
            text = say("Latency: with {cold} cold starts of {init} ms INIT, on-demand Lambda's "
                       "p99 is about {p99} ms and misses the {target} ms target; without cold "
                       "starts (Provisioned Concurrency, Managed Instances, containers, "
                       "instances) it is {warm} ms.", **fields)
        reasons.append(Reason(text, lam.p99_ms, "ms", "latency.tail_latency"))

    if rec.choice == "managed_instances":
        d = chosen.detail
        reasons.append(Reason(
            say("Managed Instances' fee ({fee} of the On-Demand price) adds {fee_usd} and its "
                "request charge {requests_usd} to {instances_usd} of instances.",
                fee=f"{middle.managed_instances_fee:.0%}", fee_usd=_usd(d["fee_usd"]),
                requests_usd=_usd(d["requests_usd"]), instances_usd=_usd(d["instances_usd"])),
            d["fee_usd"], "usd_per_month",
            f"{MIDDLE_FILE}: managed_instances_fee"))
    for key in ("ec2_savings_plan", "ec2_spot"):
        option = rec.option(key)
        if option.why_not and option.why_not[0] in (word(NO_COMMITMENT), word(NO_SPOT)):
            reasons.append(Reason(
                say("{option} is not used: {why} (it would cost {usd}).", option=option.label,
                    why=option.why_not[0], usd=_usd(option.monthly_usd)),
                option.monthly_usd, "usd_per_month",
                f"pricing.ec2_cost: {key}"))
    return reasons


def regularity_sweep(workload: Workload, regularities: Sequence[float],
                     assumptions: Assumptions = Assumptions()):
    """Monthly cost of every option as the same traffic gets burstier.

    Keeps the month's requests and the duration; sets the peak to ``average / regularity``.
    One row per regularity (the index), one column per option (``NaN`` where it cannot run),
    plus the recommended option. A numeric pandas table, for plotting; display uses
    :meth:`Recommendation.rows`.
    """
    import pandas as pd

    rows = []
    for r in regularities:
        r = _positive("regularity", r, high=1.0)
        peak = max(1, math.ceil(round(workload.average_concurrency / r, 9)))
        rec = decide(replace(workload, peak_concurrency=peak), assumptions)
        row = {o.label: (o.monthly_usd if o.monthly_usd is not None else math.nan)
               for o in rec.options}
        row.update({"regularity": r, "peak_concurrency": peak, "recommended": rec.label})
        rows.append(row)
    return pd.DataFrame(rows).set_index("regularity")
