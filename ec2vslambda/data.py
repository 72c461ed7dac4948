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

DATA_ENV_VAR = "EC2VSLAMBDA_DATA"


class DataError(ValueError):
    """A data file is missing, malformed or inconsistent."""


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


LAMBDA_PRICES = Schema(
    required=("item", "arch", "tier_start", "tier_end", "value", "unit", "region", "source_url",
              "as_of", "notes"),
    numeric=("value",),
    optional_numeric=("tier_start", "tier_end"),
    units=frozenset({"usd_per_million_requests", "usd_per_gb_second", "requests_per_month",
                     "gb_seconds_per_month", "mb", "ms", "minutes", "fraction",
                     "usd_per_gb"}),
    choices={"arch": frozenset({"x86_64", "arm64", "any"})},
    non_empty=("item", "source_url", "unit", "region", "as_of"),
)

EC2_PRICES = Schema(
    required=("instance_type", "pricing", "family", "category", "vcpu", "memory_gib", "arch",
              "value", "unit", "region", "os", "source_url", "as_of", "notes"),
    numeric=("value",),
    optional_numeric=("vcpu", "memory_gib"),
    units=frozenset({"usd_per_hour", "fraction_off_on_demand"}),
    choices={
        "arch": frozenset({"x86_64", "arm64", "any"}),
        "pricing": frozenset({"on_demand", "savings_plan", "spot"}),
    },
    non_empty=("instance_type", "pricing", "source_url", "unit", "region", "as_of"),
)

LAMBDA_LIMITS = Schema(
    required=("limit", "value", "unit", "adjustable", "region", "source_url", "as_of", "notes"),
    numeric=("value",),
    units=frozenset({"mb", "s", "vcpu", "executions", "environments_per_10s", "days"}),
    choices={"adjustable": frozenset({"yes", "no"})},
    non_empty=("limit", "source_url", "unit", "region", "as_of"),
)

SCHEMAS: dict[str, Schema] = {
    "lambda_prices.csv": LAMBDA_PRICES,
    "ec2_prices.csv": EC2_PRICES,
    "lambda_limits.csv": LAMBDA_LIMITS,
}


def _fail(file: str, row: int | None, column: str | None, problem: str) -> DataError:
    where = file
    if row is not None:
        where += f", row {row} (line {row + 1})"
    if column is not None:
        where += f", column '{column}'"
    return DataError(f"{where}: {problem}")


def _parse_number(text: str) -> float:
    value = float(text)
    if math.isnan(value):
        raise ValueError("NaN")
    return value


def read_rows(path: Path, schema: Schema) -> list[dict[str, object]]:
    """Read ``path`` and check it against ``schema``; return rows with numbers parsed.

    Numeric columns become ``float`` (``None`` where an optional number is empty), ``as_of``
    becomes a :class:`datetime.date`; every other column stays a stripped string.
    """
    name = path.name
    if not path.exists():
        raise _fail(name, None, None, f"file not found at {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in schema.required if c not in header]
        if missing:
            raise _fail(name, None, missing[0],
                        f"missing column (required columns: {', '.join(schema.required)})")
        rows: list[dict[str, object]] = []
        for number, raw in enumerate(reader, start=1):
            if None in raw:  # more cells than header columns
                raise _fail(name, number, None, "more cells than the header has columns")
            row: dict[str, object] = {k: (v or "").strip() for k, v in raw.items()}
            for column in schema.non_empty:
                if not row[column]:
                    raise _fail(name, number, column, "must not be empty")
            for column in schema.numeric + schema.optional_numeric:
                text = str(row[column])
                if not text and column in schema.optional_numeric:
                    row[column] = None
                    continue
                try:
                    value = _parse_number(text)
                except ValueError:
                    raise _fail(name, number, column, f"'{text}' is not a number") from None
                if value < 0:
                    raise _fail(name, number, column, f"{value:g} is negative")
                row[column] = value
            if schema.units and row["unit"] not in schema.units:
                raise _fail(name, number, "unit", f"unknown unit '{row['unit']}' "
                            f"(known: {', '.join(sorted(schema.units))})")
            for column, allowed in schema.choices.items():
                if row[column] not in allowed:
                    raise _fail(name, number, column, f"'{row[column]}' is not one of "
                                f"{', '.join(sorted(allowed))}")
            for column in schema.dates:
                try:
                    row[column] = dt.date.fromisoformat(str(row[column]))
                except ValueError:
                    raise _fail(name, number, column,
                                f"'{row[column]}' is not a date in YYYY-MM-DD form") from None
            if not str(row["source_url"]).startswith("https://"):
                raise _fail(name, number, "source_url",
                            f"'{row['source_url']}' is not an https:// address")
            rows.append(row)
    if not rows:
        raise _fail(name, None, None, "has no data rows")
    return rows


def load(name: str, *, directory: Path | None = None) -> list[dict[str, object]]:
    """Load one known data file by name (e.g. ``"lambda_prices.csv"``) and validate it."""
    if name not in SCHEMAS:
        raise ValueError(f"name={name!r} is not a known data file; known: {', '.join(SCHEMAS)}")
    return read_rows((directory or data_dir()) / name, SCHEMAS[name])


# --- typed views used by the rest of the package -------------------------------------------

@dataclass(frozen=True)
class Tier:
    """One volume tier of Lambda duration pricing, in GB-seconds per month."""

    start_gb_s: float
    end_gb_s: float  # math.inf for the last tier
    usd_per_gb_s: float


@dataclass(frozen=True)
class LambdaPrices:
    """Lambda's price list for one region, as loaded from ``lambda_prices.csv``."""

    usd_per_million_requests: float
    duration_tiers: Mapping[str, tuple[Tier, ...]]  # by architecture
    duration_rounding_ms: float
    free_requests: float
    free_gb_s: float
    ephemeral_free_mb: float
    ephemeral_usd_per_gb_s: float
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
    """One EC2 instance type with its On-Demand Linux price."""

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
    instances: Mapping[str, InstanceType]
    discounts: Mapping[str, float]  # pricing model -> fraction off On-Demand
    discount_notes: Mapping[str, str]
    as_of: dt.date


@dataclass(frozen=True)
class Limit:
    name: str
    value: float
    unit: str
    adjustable: bool
    source_url: str
    as_of: dt.date
    notes: str


def _only(rows: list[dict[str, object]], file: str, item: str, arch: str = "any"):
    found = [r for r in rows if r["item"] == item and r["arch"] == arch]
    if len(found) != 1:
        raise _fail(file, None, "item",
                    f"expected exactly one '{item}' row for arch '{arch}', found {len(found)}")
    return found[0]


def _tiers(rows: list[dict[str, object]], file: str, arch: str) -> tuple[Tier, ...]:
    found = sorted((r for r in rows if r["item"] == "duration" and r["arch"] == arch),
                   key=lambda r: r["tier_start"] or 0.0)
    if not found:
        raise _fail(file, None, "item", f"no 'duration' rows for arch '{arch}'")
    tiers = []
    expected_start = 0.0
    for r in found:
        start = r["tier_start"] or 0.0
        end = r["tier_end"] if r["tier_end"] is not None else math.inf
        if start != expected_start:
            raise _fail(file, None, "tier_start", f"{arch} duration tiers are not contiguous: "
                        f"a tier starts at {start:g} GB-s where {expected_start:g} was expected")
        if end <= start:
            raise _fail(file, None, "tier_end", f"{arch} tier ends at {end:g}, before its start")
        tiers.append(Tier(start, end, float(r["value"])))
        expected_start = end
    if tiers[-1].end_gb_s != math.inf:
        raise _fail(file, None, "tier_end", f"the last {arch} tier must be open-ended (empty)")
    return tuple(tiers)


@cache
def _lambda_prices(directory: Path) -> LambdaPrices:
    file = "lambda_prices.csv"
    rows = load(file, directory=directory)
    archs = ("x86_64", "arm64")

    def value(item: str, arch: str = "any") -> float:
        return float(_only(rows, file, item, arch)["value"])

    return LambdaPrices(
        usd_per_million_requests=value("requests"),
        duration_tiers={a: _tiers(rows, file, a) for a in archs},
        duration_rounding_ms=value("duration_rounding"),
        free_requests=value("free_tier_requests"),
        free_gb_s=value("free_tier_compute"),
        ephemeral_free_mb=value("ephemeral_storage_free"),
        ephemeral_usd_per_gb_s=value("ephemeral_storage"),
        provisioned_usd_per_gb_s={a: value("provisioned_concurrency", a) for a in archs},
        provisioned_duration_usd_per_gb_s={a: value("provisioned_duration", a) for a in archs},
        provisioned_rounding_minutes=value("provisioned_rounding"),
        savings_plan_discount_max=value("savings_plan_discount_max"),
        as_of=max(r["as_of"] for r in rows),
        sources=tuple(dict.fromkeys(str(r["source_url"]) for r in rows)),
    )


@cache
def _ec2_prices(directory: Path) -> Ec2Prices:
    file = "ec2_prices.csv"
    rows = load(file, directory=directory)
    instances: dict[str, InstanceType] = {}
    discounts: dict[str, float] = {"on_demand": 0.0}
    notes: dict[str, str] = {"on_demand": "List price"}
    for number, r in enumerate(rows, start=1):
        if r["pricing"] == "on_demand":
            if r["unit"] != "usd_per_hour":
                raise _fail(file, number, "unit", "an on_demand row must be priced in usd_per_hour")
            for column in ("vcpu", "memory_gib"):
                if not r[column]:
                    raise _fail(file, number, column, "must be a positive number for an instance")
            if r["arch"] not in ("x86_64", "arm64"):
                raise _fail(file, number, "arch", "an instance must be x86_64 or arm64")
            name = str(r["instance_type"])
            if name in instances:
                raise _fail(file, number, "instance_type", f"'{name}' appears twice")
            instances[name] = InstanceType(
                name=name, family=str(r["family"]), category=str(r["category"]),
                vcpu=int(r["vcpu"]), memory_gib=float(r["memory_gib"]), arch=str(r["arch"]),
                usd_per_hour=float(r["value"]), as_of=r["as_of"],
                source_url=str(r["source_url"]))
        else:
            if r["unit"] != "fraction_off_on_demand":
                raise _fail(file, number, "unit",
                            f"a {r['pricing']} row must be a fraction_off_on_demand")
            if not 0 <= float(r["value"]) < 1:
                raise _fail(file, number, "value", f"{r['value']} is not a fraction in [0, 1)")
            discounts[str(r["pricing"])] = float(r["value"])
            notes[str(r["pricing"])] = str(r["notes"])
    return Ec2Prices(instances=instances, discounts=discounts, discount_notes=notes,
                     as_of=max(r["as_of"] for r in rows))


@cache
def _lambda_limits(directory: Path) -> dict[str, Limit]:
    rows = load("lambda_limits.csv", directory=directory)
    limits: dict[str, Limit] = {}
    for number, r in enumerate(rows, start=1):
        name = str(r["limit"])
        if name in limits:
            raise _fail("lambda_limits.csv", number, "limit", f"'{name}' appears twice")
        limits[name] = Limit(name=name, value=float(r["value"]), unit=str(r["unit"]),
                             adjustable=r["adjustable"] == "yes",
                             source_url=str(r["source_url"]), as_of=r["as_of"],
                             notes=str(r["notes"]))
    return limits


def lambda_prices(directory: Path | None = None) -> LambdaPrices:
    """Lambda prices from ``lambda_prices.csv`` (cached per folder)."""
    return _lambda_prices(directory.resolve() if directory else data_dir())


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
        raise ValueError(f"name={name!r} is not a limit in lambda_limits.csv; "
                         f"known: {', '.join(sorted(limits))}")
    return limits[name].value


def clear_cache() -> None:
    """Forget loaded files (after editing a CSV in a running kernel)."""
    for loader in (_lambda_prices, _ec2_prices, _lambda_limits):
        loader.cache_clear()
