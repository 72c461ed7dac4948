"""Lambda's CloudWatch metrics, per period, in three layouts.

Lambda publishes ``Invocations`` (a count: read its **Sum**) and ``Duration`` (ms: read its
**Average**, and **p99** where given) for every function at one-minute resolution ("Types of
metrics for Lambda functions",
https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html). A data point's
timestamp is the start of its period, and a period with no invocations has no data point. The
period is not written in any of these outputs: it is read as the largest spacing that divides
the gaps between data points, so ask for one-minute periods (``--period 60``) where you can.

* ``metric-data``: ``aws cloudwatch get-metric-data`` JSON: ``{"MetricDataResults": [{"Id",
  "Label", "Timestamps", "Values", "StatusCode"}], "Messages": []}``, newest first unless
  ``--scan-by TimestampAscending`` (GetMetricData and MetricDataResult, CloudWatch API
  reference, https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).
  Each series is recognised by its ``Label`` (or ``Id``): one mentioning *invocations* is the
  count, one mentioning *duration* the average, or the p99 when it also says *p99*. Label
  them so (``"Label": "Duration p99"``): the default label of both Duration series is the
  metric's name.
* ``metric-statistics``: ``aws cloudwatch get-metric-statistics`` JSON: ``{"Label":
  "Invocations", "Datapoints": [{"Timestamp", "Sum", "Average", "SampleCount",
  "ExtendedStatistics": {"p99": …}, "Unit"}]}``, one metric per call and the data points "not
  returned in chronological order" (GetMetricStatistics,
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html).
  Pass the Invocations file and the Duration file together; a Duration file alone gives the
  counts from its SampleCount.
* ``metrics-csv``: a CSV with a time column first and one column per series, named by its
  label (``Invocations``, ``Duration``, ``Duration p99``), as the CloudWatch console's graph
  downloads it (AWS does not document that file's layout; this is the one read here).

Every series is one function's: two different values for the same period are refused rather
than added up. Timestamps without a zone are UTC.
"""

from __future__ import annotations

import csv
import json
import math
import re
import zlib
from typing import TextIO

from ..words import term
from .model import Series, TrafficError
from .sources import broken
from .timestamps import epoch_s, iso_parser, to_epoch_s

__all__ = ["parse_csv", "parse_metric_data", "parse_statistics", "role", "sniff_csv",
           "sniff_metric_data", "sniff_statistics"]

MALFORMED = term("malformed data point")
_INVOCATIONS = re.compile(r"\binvocations?\b", re.IGNORECASE)
_DURATION = re.compile(r"\bduration\b", re.IGNORECASE)
_P99 = re.compile(r"\bp99\b", re.IGNORECASE)
_OTHER_PERCENTILE = re.compile(r"\bp\d", re.IGNORECASE)


def role(label: str) -> str | None:
    """Which :class:`Series` dict a series labelled ``label`` fills: ``"counts"``,
    ``"averages"``, ``"p99s"``, or ``None`` for a series not read here."""
    if _INVOCATIONS.search(label):
        return "counts"
    if _DURATION.search(label):
        if _P99.search(label):
            return "p99s"
        return None if _OTHER_PERCENTILE.search(label) else "averages"
    return None


def _value(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value >= 0 else None


def _load(text: TextIO, name: str) -> object:
    """The whole JSON document: metrics outputs are small (a month of one-minute data points
    is about 2 MB)."""
    try:
        return json.load(text)
    except json.JSONDecodeError as error:
        raise TrafficError(name, f"is not valid JSON ({error.msg})", line=error.lineno,
                           expected="the AWS CLI's JSON output") from None
    except (EOFError, OSError, zlib.error) as error:
        raise broken(name, error) from None


def _start(stamp: object, parse_iso) -> float:
    if isinstance(stamp, str):
        return to_epoch_s(stamp, parse_iso)
    value = _value(stamp)
    if value is None:
        raise ValueError(f"{stamp!r} is not a timestamp")
    return epoch_s(value)


# --- metric-data ----------------------------------------------------------------------------

def sniff_metric_data(prefix: str, name: str) -> bool:
    return prefix.lstrip()[:1] == "{" and '"MetricDataResults"' in prefix


def parse_metric_data(text: TextIO, name: str) -> tuple[Series, dict[str, int]]:
    """``metric-data``: the series of ``get-metric-data`` output (see the module's notes)."""
    document = _load(text, name)
    results = document.get("MetricDataResults") if isinstance(document, dict) else None
    if not isinstance(results, list):
        raise TrafficError(name, "has no MetricDataResults list",
                           expected="aws cloudwatch get-metric-data output")
    series = Series(source=name)
    skipped: dict[str, int] = {}
    parse_iso = iso_parser()
    roles: dict[str, list[str]] = {}
    for result in results:
        if not isinstance(result, dict):
            continue
        label = f"{result.get('Label') or ''} {result.get('Id') or ''}"
        which = role(label)
        if which is None:
            continue
        roles.setdefault(which, []).append(label.strip())
        stamps, values = result.get("Timestamps"), result.get("Values")
        if not isinstance(stamps, list) or not isinstance(values, list) or len(stamps) != len(
                values):
            raise TrafficError(name, f"series {label.strip()!r} has Timestamps and Values of "
                               "different lengths", expected="one value per timestamp")
        for stamp, raw in zip(stamps, values, strict=True):
            value = _value(raw)
            try:
                start = _start(stamp, parse_iso)
            except ValueError:
                value = None
            if value is None:
                skipped[MALFORMED] = skipped.get(MALFORMED, 0) + 1
                continue
            series.put(which, start, value, skipped, label=label.strip())
    if "counts" not in roles:
        raise TrafficError(name, "has no Invocations series", expected="a MetricDataResults "
                           "entry whose Label (or Id) names Invocations, with the Sum statistic")
    return series, skipped


# --- metric-statistics ----------------------------------------------------------------------

def sniff_statistics(prefix: str, name: str) -> bool:
    return prefix.lstrip()[:1] == "{" and '"Datapoints"' in prefix


def parse_statistics(text: TextIO, name: str) -> tuple[Series, dict[str, int]]:
    """``metric-statistics``: one metric's ``get-metric-statistics`` output."""
    document = _load(text, name)
    points = document.get("Datapoints") if isinstance(document, dict) else None
    if not isinstance(points, list):
        raise TrafficError(name, "has no Datapoints list",
                           expected="aws cloudwatch get-metric-statistics output")
    label = str(document.get("Label") or "")
    which = role(label)
    if which is None:
        raise TrafficError(name, f"holds the {label or 'unnamed'!r} metric",
                           expected="Invocations (with --statistics Sum) or Duration (with "
                           "--statistics Average SampleCount, --extended-statistics p99)")
    series = Series(source=name)
    skipped: dict[str, int] = {}
    parse_iso = iso_parser()
    for point in points:
        try:
            start = _start(point.get("Timestamp"), parse_iso) if isinstance(point, dict) else None
        except ValueError:
            start = None
        if start is None:
            skipped[MALFORMED] = skipped.get(MALFORMED, 0) + 1
            continue
        extended = point.get("ExtendedStatistics")
        found = False
        if which == "counts":
            pairs = [("counts", point.get("Sum"))]
        else:
            pairs = [("averages", point.get("Average")), ("samples", point.get("SampleCount")),
                     ("p99s", extended.get("p99") if isinstance(extended, dict) else None)]
        for into, raw in pairs:
            value = _value(raw)
            if value is not None:
                series.put(into, start, value, skipped, label=label)
                found = True
        if not found:
            skipped[MALFORMED] = skipped.get(MALFORMED, 0) + 1
    return series, skipped


# --- metrics-csv ----------------------------------------------------------------------------

def _header(prefix: str) -> list[str]:
    first = prefix.split("\n", 1)[0]
    try:
        return next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return []


def sniff_csv(prefix: str, name: str) -> bool:
    header = _header(prefix)
    return len(header) >= 2 and not header[0].startswith("@") and any(
        role(h) == "counts" for h in header[1:])


def parse_csv(text: TextIO, name: str) -> tuple[Series, dict[str, int]]:
    """``metrics-csv``: a time column, then one column per series (see the module's notes)."""
    rows = csv.reader(text)
    series = Series(source=name)
    skipped: dict[str, int] = {}
    parse_iso = iso_parser()
    row_number = 1
    try:
        header = next(rows, None) or []
        roles = [role(h) for h in header]
        if len(header) < 2 or "counts" not in roles[1:]:
            raise TrafficError(name, f"has no Invocations column (its header: "
                               f"{','.join(header)[:120]})", line=1,
                               expected="a time column first, then columns named by their "
                               "series: Invocations, Duration, Duration p99")
        for row_number, row in enumerate(rows, 2):  # noqa: B007 (the except names it)
            if not any(cell.strip() for cell in row):
                continue
            try:
                start = to_epoch_s(row[0].strip().removesuffix(" UTC").removesuffix(" GMT"),
                                   parse_iso)
            except (ValueError, IndexError):
                skipped[MALFORMED] = skipped.get(MALFORMED, 0) + 1
                continue
            series.listed.add(start)
            for column, which in enumerate(roles[1:], 1):
                if which is None or column >= len(row) or not row[column].strip():
                    continue
                try:
                    value = _value(float(row[column]))
                except ValueError:
                    value = None
                if value is None:
                    skipped[MALFORMED] = skipped.get(MALFORMED, 0) + 1
                    continue
                series.put(which, start, value, skipped, label=header[column])
    except csv.Error as error:
        raise TrafficError(name, f"is not valid CSV ({error})", line=row_number) from None
    except (EOFError, OSError, zlib.error) as error:
        raise broken(name, error, row_number) from None
    return series, skipped
