"""The Azure Functions 2019 trace's day files (format ``azure``).

The layout is Azure's ("Azure Functions Trace 2019",
https://github.com/Azure/AzurePublicDataset/blob/master/AzureFunctionsDataset2019.md), the
same :func:`ec2vslambda.workloads.load_azure_trace` reads with pandas; this reader needs only
the standard library, so it also runs in the browser:

* ``invocations_per_function_md.anon.dNN.csv``: ``HashOwner``, ``HashApp``, ``HashFunction``,
  ``Trigger``, then ``1`` … ``1440``, each function's invocations in each minute of day NN,
  "recorded after the functions execute" (counted in the minute an invocation finished);
* ``function_durations_percentiles.anon.dNN.csv``: the same three hashes, ``Average`` (ms,
  without cold-start time), ``Count``, ``Minimum``, ``Maximum`` and percentiles.

Plain or gzip-compressed. Every function of the files is added up into one traffic, minute by
minute: the invocations, and the average duration weighted by each function's invocations
(its day's ``Average``, from the durations file of the same day, or an ``AverageDurationMs``
column as in the book's ``synthetic_trace.csv``; a function with neither counts but has no
weight). Keep only the rows of one application to study it alone.

The trace gives no calendar dates ("collected in July of 2019"): day NN, from the file name's
``.dNN.`` (else the files' order), is placed at 2019-07-NN 00:00 UTC.
"""

from __future__ import annotations

import csv
import re
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from ..words import term
from .model import Series, TrafficError
from .sources import Source, broken, open_text

__all__ = ["DAY_ONE", "parse_all", "sniff"]

KEYS = ("HashOwner", "HashApp", "HashFunction")
MINUTES = 1440
DAY_ONE = datetime(2019, 7, 1, tzinfo=UTC).timestamp()
MALFORMED = term("malformed row")
_DAY = re.compile(r"\.d(\d+)\.csv")


def sniff(prefix: str, name: str) -> bool:
    return prefix.lstrip("\ufeff").startswith("HashOwner,HashApp,HashFunction,")


def _header(rows, name: str) -> list[str]:
    header = next(rows, None)
    if not header or tuple(header[:3]) != KEYS:
        raise TrafficError(name, "does not start with HashOwner,HashApp,HashFunction", line=1,
                           expected="an Azure Functions 2019 invocations or durations file")
    return header


def _durations(text, name: str, skipped: dict[str, int]) -> dict[tuple[str, ...], float]:
    rows = csv.reader(text)
    header = _header(rows, name)
    if "Average" not in header:
        raise TrafficError(name, "has no Average column", line=1,
                           expected="function_durations_percentiles.anon.dNN.csv's columns")
    at = header.index("Average")
    averages: dict[tuple[str, ...], float] = {}
    for row in rows:
        try:
            averages[tuple(row[:3])] = float(row[at])
        except (ValueError, IndexError):
            skipped[MALFORMED] = skipped.get(MALFORMED, 0) + 1
    return averages


def _invocations(text, name: str, day: int, averages: dict, series: Series,
                 skipped: dict[str, int]) -> None:
    rows = csv.reader(text)
    header = _header(rows, name)
    first = header.index("1") if "1" in header else -1
    if first < 0 or header[first:first + MINUTES] != [str(m) for m in range(1, MINUTES + 1)]:
        raise TrafficError(name, "does not have the minute columns 1 … 1440", line=1,
                           expected="invocations_per_function_md.anon.dNN.csv's columns")
    last = first + MINUTES
    own_average = header.index("AverageDurationMs") if "AverageDurationMs" in header else None
    counts = [0] * MINUTES
    weighted = [0.0] * MINUTES
    weights = [0] * MINUTES
    for row in rows:
        if len(row) < last:
            if any(cell.strip() for cell in row):
                skipped[MALFORMED] = skipped.get(MALFORMED, 0) + 1
            continue
        try:
            cells = [(m, int(c)) for m, c in enumerate(row[first:last]) if c != "0"]
            average = averages.get(tuple(row[:3]))
            if average is None and own_average is not None:
                average = float(row[own_average])
        except ValueError:
            skipped[MALFORMED] = skipped.get(MALFORMED, 0) + 1
            continue
        if any(c < 0 for _, c in cells):
            skipped[MALFORMED] = skipped.get(MALFORMED, 0) + 1
            continue
        for m, c in cells:
            counts[m] += c
            if average is not None:
                weighted[m] += c * average
                weights[m] += c
    start = DAY_ONE + (day - 1) * 86_400.0
    for m in range(MINUTES):
        series.put("counts", start + 60.0 * m, float(counts[m]), skipped)
        if weights[m]:
            series.put("averages", start + 60.0 * m, weighted[m] / weights[m], skipped)


def parse_all(sources: Sequence[Source], report: Callable[[Source], Callable[[int], None]]
              ) -> tuple[list[Series], dict[str, int]]:
    """Every day file at once: a day's durations file is read before its invocations file.

    ``report(source)`` gives the progress callback for reading ``source``."""
    skipped: dict[str, int] = {}
    kinds: list[tuple[Source, str, int]] = []
    order = 0
    for source in sources:
        prefix, text = open_text(source)
        text.close()
        header = prefix.split("\n", 1)[0]
        kind = "durations" if "Average" in header.split(",")[3:5] else "invocations"
        match = _DAY.search(source.name)
        if kind == "invocations":
            order += 1
        kinds.append((source, kind, int(match.group(1)) if match else order))
    averages: dict[int, dict] = {}
    for source, kind, day in kinds:
        if kind == "durations":
            _, text = open_text(source, report=report(source))
            with text:
                try:
                    averages.setdefault(day, {}).update(_durations(text, source.name, skipped))
                except (EOFError, OSError, zlib.error) as error:
                    raise broken(source.name, error) from None
                except csv.Error as error:
                    raise TrafficError(source.name, f"is not valid CSV ({error})") from None
    parts = []
    for source, kind, day in kinds:
        if kind == "invocations":
            series = Series(source=source.name, period_s=60.0)
            _, text = open_text(source, report=report(source))
            with text:
                try:
                    _invocations(text, source.name, day, averages.get(day, {}), series, skipped)
                except (EOFError, OSError, zlib.error) as error:
                    raise broken(source.name, error) from None
                except csv.Error as error:
                    raise TrafficError(source.name, f"is not valid CSV ({error})") from None
            parts.append(series)
    if not parts:
        raise TrafficError(", ".join(s.name for s in sources), "has no invocations file",
                           expected="invocations_per_function_md.anon.dNN.csv (its durations "
                           "file is optional)")
    return parts, skipped
