"""Load and validate the book's data files (``data/*.csv``).

Every price and limit the book uses comes from these files, never from a literal in code or
prose. Each row carries its unit, region, ``source_url`` and ``as_of`` date. A file that breaks
the rules raises :class:`DataError` naming the file, the row and the column, so a bad refresh is
caught the moment anything loads it.

Row numbers in messages count data rows from 1 (the header is not a row); the line number in the
file is one more.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypedDict, cast

from .validation import Allowed, InputError
from .words import term

__all__ = ["DATA_ENV_VAR", "EC2_PRICES", "GLOBAL", "LAMBDA_LIMITS", "LAMBDA_PRICES", "REGIONS",
           "REGION_CHOICES", "REGION_NAMES", "SCHEMAS", "WHOLE_BILL_PRICES", "DataError",
           "Ec2Prices", "InstanceType", "LambdaPrices", "Limit", "PriceTier", "RegionalPrices",
           "Row", "Schema", "Tier", "check_region", "clear_cache", "contiguous_tiers", "data_dir",
           "ec2_prices", "fail", "lambda_limits", "lambda_prices", "limit_value", "load",
           "missing_price", "optional_value", "read_rows", "regional_rows", "whole_bill_prices"]

DATA_ENV_VAR = "EC2VSLAMBDA_DATA"

#: The regions the book prices. ``global`` marks a row that holds in every region (a free tier,
#: a billing rule, an assumption).
REGIONS = ("us-east-1", "ap-northeast-2")
GLOBAL = "global"
REGION_NAMES = {"us-east-1": "US East (N. Virginia)", "ap-northeast-2": "Asia Pacific (Seoul)"}


class DataError(ValueError):
    """A data file is missing, malformed or inconsistent.

    Its parts say where (``file``, the data ``row`` counted from 1, the ``column``) and what is
    wrong (``problem``); the message joins them: ``lambda_prices.csv, row 3 (line 4), column
    'value': '-1' is negative``.
    """

    def __init__(self, file: str, problem: str, *, row: int | None = None,
                 column: str | None = None):
        self.file, self.problem, self.row, self.column = file, problem, row, column
        where = file
        if row is not None:
            where += f", row {row} (line {row + 1})"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}")

    @property
    def parts(self) -> dict[str, object]:
        return {"file": self.file, "row": self.row, "column": self.column,
                "problem": self.problem}


def check_region(region: object) -> str:
    """Validate a region name against :data:`REGIONS`; return it."""
    if region not in REGIONS:
        raise InputError("region", region, "is not a region the book prices",
                         Allowed(options=REGIONS))
    return str(region)


def missing_price(what: str, region: str, file: str, regions_with: tuple[str, ...]) -> InputError:
    """The error for a price no source gives in ``region``: the model refuses, never guesses."""
    return InputError("region", region, term(
        "has no price for {what} in {file} (no source the book could check gives one, and the "
        "model does not guess)"), Allowed(options=tuple(regions_with),
                                          text=term("regions with this price: {options}")),
        details={"what": what, "file": file})


def data_dir() -> Path:
    """The folder holding the CSV files.

    ``$EC2VSLAMBDA_DATA`` wins when set (tests use it for broken copies). An installed package
    (a wheel, or the bundle the site's live calculators load) carries the CSV files as
    ``ec2vslambda/_data/``; a git checkout uses the book's top-level ``data/`` folder.
    """
    return _resolve_dir(os.environ.get(DATA_ENV_VAR) or None)


@cache
def _resolve_dir(override: str | None) -> Path:
    if override:
        return Path(override).resolve()
    here = Path(__file__).resolve().parent
    shipped = here / "_data"
    return shipped if shipped.is_dir() else here.parent / "data"


@dataclass(frozen=True)
class Schema:
    """What a data file must contain."""

    required: tuple[str, ...]
    numeric: tuple[str, ...] = ()  # parsed as float, must be >= 0 when present
    optional_numeric: tuple[str, ...] = ()  # may be empty
    units: frozenset[str] = frozenset()
    choices: Mapping[str, frozenset[str]] = field(default_factory=dict)
    non_empty: tuple[str, ...] = ("source_url", "unit", "region", "as_of")
    dates: tuple[str, ...] = ("as_of",)


REGION_CHOICES = frozenset(REGIONS + (GLOBAL,))

LAMBDA_PRICES = Schema(
    required=("item", "arch", "tier_start", "tier_end", "value", "unit", "region", "source_url",
              "as_of", "provenance", "notes"),
    numeric=("value",),
    optional_numeric=("tier_start", "tier_end"),
    units=frozenset({"usd_per_million_requests", "usd_per_gb_second", "requests_per_month",
                     "gb_seconds_per_month", "mb", "ms", "minutes", "fraction",
                     "usd_per_gb"}),
    choices={"arch": frozenset({"x86_64", "arm64", "any"}), "region": REGION_CHOICES},
    non_empty=("item", "source_url", "unit", "region", "as_of"),
)

EC2_PRICES = Schema(
    required=("instance_type", "pricing", "family", "category", "vcpu", "memory_gib", "arch",
              "value", "unit", "region", "os", "source_url", "as_of", "provenance", "notes"),
    numeric=("value",),
    optional_numeric=("vcpu", "memory_gib"),
    units=frozenset({"usd_per_hour", "fraction_off_on_demand"}),
    choices={
        "arch": frozenset({"x86_64", "arm64", "any"}),
        "pricing": frozenset({"on_demand", "savings_plan", "spot"}),
        "region": REGION_CHOICES,
    },
    non_empty=("instance_type", "pricing", "source_url", "unit", "region", "as_of"),
)

LAMBDA_LIMITS = Schema(
    required=("limit", "value", "unit", "adjustable", "region", "source_url", "as_of", "notes"),
    numeric=("value",),
    units=frozenset({"mb", "s", "vcpu", "executions", "environments_per_10s", "days",
                     "instances", "requests"}),
    choices={"adjustable": frozenset({"yes", "no"}), "region": REGION_CHOICES},
    non_empty=("limit", "source_url", "unit", "region", "as_of"),
)

WHOLE_BILL_PRICES = Schema(
    required=("item", "region", "tier_start", "tier_end", "value", "unit", "source_url", "as_of",
              "provenance", "notes"),
    numeric=("value",),
    optional_numeric=("tier_start", "tier_end"),
    units=frozenset({"usd_per_million_requests", "requests_per_month", "usd_per_hour",
                     "usd_per_lcu_hour", "usd_per_gb", "gb_per_month", "usd_per_gb_month",
                     "usd_per_iops_month", "usd_per_mbps_month", "iops", "mbps",
                     "connections_per_second", "connections_per_minute", "gb_per_hour",
                     "rule_evaluations_per_second", "rules"}),
    choices={"region": REGION_CHOICES},
    non_empty=("item", "source_url", "unit", "region", "as_of"),
)

SCHEMAS: dict[str, Schema] = {
    "lambda_prices.csv": LAMBDA_PRICES,
    "ec2_prices.csv": EC2_PRICES,
    "lambda_limits.csv": LAMBDA_LIMITS,
    "whole_bill_prices.csv": WHOLE_BILL_PRICES,
}


def fail(file: str, row: int | None, column: str | None, problem: str) -> DataError:
    """The :class:`DataError` for ``problem`` at ``row`` and ``column`` of ``file`` (a modules'
    loaders raise it for their own files)."""
    return DataError(file, problem, row=row, column=column)


def _parse_number(text: str) -> float:
    value = float(text)
    if math.isnan(value):
        raise ValueError("NaN")
    return value


class Row(TypedDict, total=False):
    """One row of one of the book's CSV files, each column in its parsed type.

    Every file has ``value`` (or its own numbers), ``unit``, ``region``, ``source_url``,
    ``as_of`` and ``notes``; the rest are the columns of some files only (``item`` and ``arch``
    of the price lists, ``instance_type`` of ``ec2_prices.csv``, ``limit`` of
    ``lambda_limits.csv``, ``runtime`` of ``cold_starts.csv``). A numeric column a row leaves
    empty is ``None``.
    """

    value: float
    unit: str
    region: str
    source_url: str
    as_of: dt.date
    notes: str
    provenance: str
    item: str
    arch: str
    tier_start: float | None
    tier_end: float | None
    instance_type: str
    pricing: str
    family: str
    category: str
    vcpu: float | None
    memory_gib: float | None
    os: str
    limit: str
    adjustable: str
    runtime: str
    memory_mb: float
    init_ms: float


def read_rows(path: Path, schema: Schema) -> list[Row]:
    """Read ``path`` and check it against ``schema``; return rows with numbers parsed.

    Numeric columns become ``float`` (``None`` where an optional number is empty), ``as_of``
    becomes a :class:`datetime.date`; every other column stays a stripped string.
    """
    name = path.name
    if not path.exists():
        raise fail(name, None, None, f"file not found at {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in schema.required if c not in header]
        if missing:
            raise fail(name, None, missing[0],
                        f"missing column (required columns: {', '.join(schema.required)})")
        rows: list[Row] = []
        for number, raw in enumerate(reader, start=1):
            if None in raw:  # more cells than header columns
                raise fail(name, number, None, "more cells than the header has columns")
            row: dict[str, object] = {k: (v or "").strip() for k, v in raw.items()}
            for column in schema.non_empty:
                if not row[column]:
                    raise fail(name, number, column, "must not be empty")
            for column in schema.numeric + schema.optional_numeric:
                text = str(row[column])
                if not text and column in schema.optional_numeric:
                    row[column] = None
                    continue
                try:
                    value = _parse_number(text)
                except ValueError:
                    raise fail(name, number, column, f"'{text}' is not a number") from None
                if value < 0:
                    raise fail(name, number, column, f"{value:g} is negative")
                row[column] = value
            if schema.units and row["unit"] not in schema.units:
                raise fail(name, number, "unit", f"unknown unit '{row['unit']}' "
                            f"(known: {', '.join(sorted(schema.units))})")
            for column, allowed in schema.choices.items():
                if row[column] not in allowed:
                    raise fail(name, number, column, f"'{row[column]}' is not one of "
                                f"{', '.join(sorted(allowed))}")
            for column in schema.dates:
                try:
                    row[column] = dt.date.fromisoformat(str(row[column]))
                except ValueError:
                    raise fail(name, number, column,
                                f"'{row[column]}' is not a date in YYYY-MM-DD form") from None
            if not str(row["source_url"]).startswith("https://"):
                raise fail(name, number, "source_url",
                            f"'{row['source_url']}' is not an https:// address")
            rows.append(cast(Row, row))
    if not rows:
        raise fail(name, None, None, "has no data rows")
    return rows


def load(name: str, *, directory: Path | None = None) -> list[Row]:
    """Load one known data file by name (e.g. ``"lambda_prices.csv"``) and validate it."""
    if name not in SCHEMAS:
        raise InputError("name", name, "is not a known data file", Allowed(options=tuple(SCHEMAS)))
    return read_rows((directory or data_dir()) / name, SCHEMAS[name])


# --- typed views used by the rest of the package -------------------------------------------

@dataclass(frozen=True)
class Tier:
    """One volume tier of Lambda duration pricing, in GB-seconds per month."""

    start_gb_s: float
    end_gb_s: float  # math.inf for an open-ended last tier
    usd_per_gb_s: float


@dataclass(frozen=True)
class LambdaPrices:
    """Lambda's price list for one region, as loaded from ``lambda_prices.csv``.

    A rate no source gives for the region is ``None`` (or absent from a mapping, or a tier list
    that stops short of infinity): :mod:`ec2vslambda.pricing` refuses to price what uses it.
    """

    region: str
    usd_per_million_requests: float
    duration_tiers: Mapping[str, tuple[Tier, ...]]  # by architecture
    duration_rounding_ms: float
    free_requests: float
    free_gb_s: float
    ephemeral_free_mb: float
    ephemeral_usd_per_gb_s: float | None
    provisioned_usd_per_gb_s: Mapping[str, float]
    provisioned_duration_usd_per_gb_s: Mapping[str, float]
    provisioned_rounding_minutes: float
    savings_plan_discount_max: float
    as_of: dt.date
    sources: tuple[str, ...]

    @property
    def architectures(self) -> tuple[str, ...]:
        return tuple(self.duration_tiers)


@dataclass(frozen=True)
class InstanceType:
    """One EC2 instance type with its On-Demand Linux price in one region."""

    name: str
    family: str
    category: str
    vcpu: int
    memory_gib: float
    arch: str
    usd_per_hour: float
    as_of: dt.date
    source_url: str


@dataclass(frozen=True)
class Ec2Prices:
    instances: Mapping[str, InstanceType]  # us-east-1, the book's default region
    discounts: Mapping[str, float]  # pricing model -> fraction off On-Demand
    discount_notes: Mapping[str, str]
    as_of: dt.date
    by_region: Mapping[str, Mapping[str, InstanceType]] = field(default_factory=dict)
    #: (region, instance type) -> where a price known only from a third-party copy comes from
    provenance: Mapping[tuple[str, str], str] = field(default_factory=dict)
    notes: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def in_region(self, region: str) -> Mapping[str, InstanceType]:
        """The instance types priced in ``region`` (possibly none)."""
        return self.by_region.get(check_region(region), {})

    def provenance_of(self, name: str, region: str = "us-east-1") -> str:
        """Empty when the price was read on AWS's page; else which copy gives it."""
        return self.provenance.get((region, name), "")


@dataclass(frozen=True)
class Limit:
    name: str
    value: float
    unit: str
    adjustable: bool
    source_url: str
    as_of: dt.date
    notes: str


def _only(rows: list[Row], file: str, item: str, arch: str = "any"):
    found = [r for r in rows if r["item"] == item and r["arch"] == arch]
    if len(found) != 1:
        raise fail(file, None, "item",
                    f"expected exactly one '{item}' row for arch '{arch}', found {len(found)}")
    return found[0]


def regional_rows(rows: list[Row], region: str) -> list[Row]:
    """The rows that hold in ``region``: its own and the ``global`` ones."""
    return [r for r in rows if r["region"] in (region, GLOBAL)]


def optional_value(rows: list[Row], file: str, item: str,
                   arch: str = "any") -> float | None:
    """The value of the one ``item`` row for ``arch``, or None when the region has none."""
    found = [r for r in rows if r["item"] == item and r["arch"] == arch]
    if len(found) > 1:
        raise fail(file, None, "item",
                    f"expected at most one '{item}' row for arch '{arch}', found {len(found)}")
    return float(found[0]["value"]) if found else None


def contiguous_tiers(rows: list[Row], file: str, what: str,
                     *, require_open: bool = False) -> tuple[tuple[float, float, float], ...]:
    """``(start, end, value)`` of tier rows, checked to run from 0 without gaps.

    The last tier may stop short of infinity when no source gives the rate beyond it; a caller
    then refuses usage past its end. ``require_open`` insists on an open-ended last tier.
    """
    found = sorted(rows, key=lambda r: r["tier_start"] or 0.0)
    tiers = []
    expected_start = 0.0
    for r in found:
        start = r["tier_start"] or 0.0
        end = r["tier_end"] if r["tier_end"] is not None else math.inf
        if start != expected_start:
            raise fail(file, None, "tier_start", f"{what} tiers are not contiguous: a tier "
                        f"starts at {start:g} where {expected_start:g} was expected")
        if end <= start:
            raise fail(file, None, "tier_end", f"{what} tier ends at {end:g}, before its start")
        tiers.append((start, end, float(r["value"])))
        expected_start = end
    if require_open and tiers and tiers[-1][1] != math.inf:
        raise fail(file, None, "tier_end", f"the last {what} tier must be open-ended (empty)")
    return tuple(tiers)


def _tiers(rows: list[Row], file: str, arch: str, region: str) -> tuple[Tier, ...]:
    found = [r for r in rows if r["item"] == "duration" and r["arch"] == arch]
    if not found:
        return ()
    return tuple(Tier(a, b, v) for a, b, v in contiguous_tiers(
        found, file, f"{region} {arch} duration", require_open=region == "us-east-1"))


@cache
def _lambda_prices(directory: Path, region: str = "us-east-1") -> LambdaPrices:
    file = "lambda_prices.csv"
    every = load(file, directory=directory)
    rows = regional_rows(every, region)
    archs = ("x86_64", "arm64")

    def value(item: str, arch: str = "any") -> float:
        found = optional_value(rows, file, item, arch)
        if found is None:
            regions = tuple(sorted({str(r["region"]) for r in every if r["item"] == item}))
            raise missing_price(f"Lambda '{item}'", region, file, regions)
        return found

    def each_arch(item: str) -> dict[str, float]:
        return {a: v for a in archs if (v := optional_value(rows, file, item, a)) is not None}

    tiers = {a: t for a in archs if (t := _tiers(rows, file, a, region))}
    if not tiers:
        raise missing_price("Lambda duration", region, file,
                            tuple(sorted({str(r["region"]) for r in every
                                          if r["item"] == "duration"})))
    return LambdaPrices(
        region=region,
        usd_per_million_requests=value("requests"),
        duration_tiers=tiers,
        duration_rounding_ms=value("duration_rounding"),
        free_requests=value("free_tier_requests"),
        free_gb_s=value("free_tier_compute"),
        ephemeral_free_mb=value("ephemeral_storage_free"),
        ephemeral_usd_per_gb_s=optional_value(rows, file, "ephemeral_storage"),
        provisioned_usd_per_gb_s=each_arch("provisioned_concurrency"),
        provisioned_duration_usd_per_gb_s=each_arch("provisioned_duration"),
        provisioned_rounding_minutes=value("provisioned_rounding"),
        savings_plan_discount_max=value("savings_plan_discount_max"),
        as_of=max(r["as_of"] for r in rows),
        sources=tuple(dict.fromkeys(str(r["source_url"]) for r in rows)),
    )


@cache
def _ec2_prices(directory: Path) -> Ec2Prices:
    file = "ec2_prices.csv"
    rows = load(file, directory=directory)
    by_region: dict[str, dict[str, InstanceType]] = {r: {} for r in REGIONS}
    provenance: dict[tuple[str, str], str] = {}
    row_notes: dict[tuple[str, str], str] = {}
    discounts: dict[str, float] = {"on_demand": 0.0}
    notes: dict[str, str] = {"on_demand": "List price"}
    for number, r in enumerate(rows, start=1):
        if r["pricing"] == "on_demand":
            if r["unit"] != "usd_per_hour":
                raise fail(file, number, "unit", "an on_demand row must be priced in usd_per_hour")
            for column in ("vcpu", "memory_gib"):
                if not r[column]:
                    raise fail(file, number, column, "must be a positive number for an instance")
            if r["arch"] not in ("x86_64", "arm64"):
                raise fail(file, number, "arch", "an instance must be x86_64 or arm64")
            if r["region"] not in REGIONS:
                raise fail(file, number, "region", f"an instance is priced in one region "
                            f"({', '.join(REGIONS)}), not '{r['region']}'")
            name, region = str(r["instance_type"]), str(r["region"])
            if name in by_region[region]:
                raise fail(file, number, "instance_type", f"'{name}' appears twice in {region}")
            vcpu, memory_gib = r["vcpu"], r["memory_gib"]
            if vcpu is None or memory_gib is None:
                raise fail(file, number, "vcpu" if vcpu is None else "memory_gib",
                           "an instance needs its vCPUs and memory")
            by_region[region][name] = InstanceType(
                name=name, family=str(r["family"]), category=str(r["category"]),
                vcpu=int(vcpu), memory_gib=float(memory_gib), arch=str(r["arch"]),
                usd_per_hour=float(r["value"]), as_of=r["as_of"],
                source_url=str(r["source_url"]))
            if r["provenance"]:
                provenance[(region, name)] = str(r["provenance"])
            row_notes[(region, name)] = str(r["notes"])
        else:
            if r["unit"] != "fraction_off_on_demand":
                raise fail(file, number, "unit",
                            f"a {r['pricing']} row must be a fraction_off_on_demand")
            if not 0 <= float(r["value"]) < 1:
                raise fail(file, number, "value", f"{r['value']} is not a fraction in [0, 1)")
            discounts[str(r["pricing"])] = float(r["value"])
            notes[str(r["pricing"])] = str(r["notes"])
    return Ec2Prices(instances=by_region["us-east-1"], discounts=discounts, discount_notes=notes,
                     as_of=max(r["as_of"] for r in rows), by_region=by_region,
                     provenance=provenance, notes=row_notes)


@cache
def _lambda_limits(directory: Path) -> dict[str, Limit]:
    rows = load("lambda_limits.csv", directory=directory)
    limits: dict[str, Limit] = {}
    for number, r in enumerate(rows, start=1):
        name = str(r["limit"])
        if name in limits:
            raise fail("lambda_limits.csv", number, "limit", f"'{name}' appears twice")
        limits[name] = Limit(name=name, value=float(r["value"]), unit=str(r["unit"]),
                             adjustable=r["adjustable"] == "yes",
                             source_url=str(r["source_url"]), as_of=r["as_of"],
                             notes=str(r["notes"]))
    return limits


def lambda_prices(directory: Path | None = None, *, region: str = "us-east-1") -> LambdaPrices:
    """Lambda prices for ``region`` from ``lambda_prices.csv`` (cached per folder and region)."""
    return _lambda_prices(directory.resolve() if directory else data_dir(), check_region(region))


def ec2_prices(directory: Path | None = None) -> Ec2Prices:
    """EC2 instance prices and discount assumptions from ``ec2_prices.csv`` (cached)."""
    return _ec2_prices(directory.resolve() if directory else data_dir())


def lambda_limits(directory: Path | None = None) -> dict[str, Limit]:
    """Lambda limits from ``lambda_limits.csv`` by name (cached)."""
    return _lambda_limits(directory.resolve() if directory else data_dir())


def limit_value(name: str, directory: Path | None = None) -> float:
    """One limit's value in its unit, e.g. ``limit_value("timeout_max")`` -> 900.0 (s)."""
    limits = lambda_limits(directory)
    if name not in limits:
        raise InputError("name", name, "is not a limit in lambda_limits.csv",
                         Allowed(options=tuple(sorted(limits))))
    return limits[name].value


# --- the rest of the bill: front door, network, storage, logs -----------------------------------

@dataclass(frozen=True)
class PriceTier:
    """One tier of a tiered rate: ``rate`` applies to the quantity between ``start`` and ``end``."""

    start: float
    end: float  # math.inf for an open-ended last tier
    rate: float


@dataclass(frozen=True)
class RegionalPrices:
    """The rows of ``whole_bill_prices.csv``, looked up by item and region.

    A region's own row wins; a ``global`` row holds in every region. An item no row gives for a
    region raises the :func:`missing_price` error: the model refuses rather than guesses.
    """

    file: str
    rows: tuple[Row, ...]

    def regions_with(self, item: str) -> tuple[str, ...]:
        found = {str(r["region"]) for r in self.rows if r["item"] == item}
        return REGIONS if GLOBAL in found else tuple(r for r in REGIONS if r in found)

    def _rows(self, item: str, region: str) -> list[Row]:
        region = check_region(region)
        own = [r for r in self.rows if r["item"] == item and r["region"] == region]
        return own or [r for r in self.rows if r["item"] == item and r["region"] == GLOBAL]

    def has(self, item: str, region: str) -> bool:
        return bool(self._rows(item, region))

    def value(self, item: str, region: str, what: str | None = None) -> float:
        """The single rate or quantity ``item`` has in ``region``."""
        found = self._rows(item, region)
        if not found:
            raise missing_price(what or item, region, self.file, self.regions_with(item))
        if len(found) != 1:
            raise fail(self.file, None, "item", f"expected one '{item}' row for {region}, "
                        f"found {len(found)}")
        return float(found[0]["value"])

    def tiers(self, item: str, region: str, what: str | None = None) -> tuple[PriceTier, ...]:
        """The tiers of ``item`` in ``region``, contiguous from 0."""
        found = self._rows(item, region)
        if not found:
            raise missing_price(what or item, region, self.file, self.regions_with(item))
        return tuple(PriceTier(a, b, v) for a, b, v in contiguous_tiers(
            found, self.file, f"{region} {item}"))

    def row(self, item: str, region: str) -> Row:
        """The (first) row behind ``item`` in ``region``, for its source and provenance."""
        found = self._rows(item, region)
        if not found:
            raise missing_price(item, region, self.file, self.regions_with(item))
        return found[0]


@cache
def _whole_bill_prices(directory: Path) -> RegionalPrices:
    file = "whole_bill_prices.csv"
    return RegionalPrices(file, tuple(load(file, directory=directory)))


def whole_bill_prices(directory: Path | None = None) -> RegionalPrices:
    """API Gateway, ALB, data transfer, NAT, public IPv4, EBS and CloudWatch Logs prices."""
    return _whole_bill_prices(directory.resolve() if directory else data_dir())


def clear_cache() -> None:
    """Forget loaded files (after editing a CSV in a running kernel)."""
    for loader in (_lambda_prices, _ec2_prices, _lambda_limits, _whole_bill_prices):
        loader.cache_clear()
