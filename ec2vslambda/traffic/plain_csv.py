"""A plain CSV, one row per request (format ``csv``): the way to bring traffic from anywhere.

Columns (a header row names them; case and order do not matter, others are passed over):

* ``timestamp`` (required): when the request arrived, ISO 8601 (``2026-03-02T09:00:01.25Z``,
  ``2026-03-02 18:00:01+09:00``; no offset means UTC) or epoch seconds or milliseconds;
* ``duration_ms`` (required): how long it ran, in ms;
* ``cold`` (optional): ``true``/``false`` (or ``1``/``0``, ``yes``/``no``, ``cold``/``warm``);
  empty where unknown;
* ``init_ms`` (optional): the INIT duration of a cold start, ms;
* ``memory_mb`` (optional): the function's memory setting;
* ``request_id`` or ``id`` (optional): an identity; two rows with the same identity and the
  same timestamp are one request listed twice. Without it every row counts.
"""

from __future__ import annotations

import csv
import math
import zlib
from typing import TextIO

from ..words import term
from .model import NO_KEY, UNKNOWN, Columns, TrafficError
from .sources import broken
from .timestamps import iso_parser, to_epoch_s

__all__ = ["REQUIRED", "parse", "sniff"]

REQUIRED = ("timestamp", "duration_ms")
MALFORMED = term("malformed row")
TRUE = frozenset({"true", "1", "yes", "cold", "t", "y"})
FALSE = frozenset({"false", "0", "no", "warm", "f", "n"})


def _names(header: list[str]) -> list[str]:
    return [h.strip().lower() for h in header]


def sniff(prefix: str, name: str) -> bool:
    first = prefix.split("\n", 1)[0]
    try:
        header = _names(next(csv.reader([first])))
    except (csv.Error, StopIteration):
        return False
    return "," in first and any(column in header for column in REQUIRED)


def parse(text: TextIO, name: str) -> tuple[Columns, dict[str, int]]:
    """The requests of one plain CSV (see the module's notes)."""
    rows = csv.reader(text)
    skipped: dict[str, int] = {}
    parse_iso = iso_parser()
    row_number = 1
    try:
        header = _names(next(rows, None) or [])
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise TrafficError(name, f"has no {' or '.join(missing)} column (its header: "
                               f"{','.join(header)[:120]})", line=1,
                               expected="a header with timestamp and duration_ms (optional: "
                               "cold, init_ms, memory_mb, request_id)")
        at_time, at_duration = header.index("timestamp"), header.index("duration_ms")
        at_cold = header.index("cold") if "cold" in header else None
        at_init = header.index("init_ms") if "init_ms" in header else None
        at_memory = header.index("memory_mb") if "memory_mb" in header else None
        at_id = next((header.index(c) for c in ("request_id", "id") if c in header), None)
        columns = Columns.empty(keys=at_id is not None, cold=at_cold is not None,
                                memory=at_memory is not None)
        for row_number, row in enumerate(rows, 2):  # noqa: B007 (the except names it)
            if not any(cell.strip() for cell in row):
                continue
            try:
                arrival = to_epoch_s(row[at_time], parse_iso)
                duration = float(row[at_duration])
                if not (math.isfinite(duration) and 0 <= duration < 1e9):
                    raise ValueError(duration)
                cold = init = memory = None
                if at_cold is not None:
                    flag = row[at_cold].strip().lower()
                    cold = 1 if flag in TRUE else 0 if flag in FALSE else UNKNOWN
                    if flag and cold == UNKNOWN:
                        raise ValueError(flag)
                    init = float(row[at_init]) if at_init is not None and row[at_init].strip(
                        ) else 0.0
                    if not (math.isfinite(init) and init >= 0):
                        raise ValueError(init)
                if at_memory is not None:
                    memory = int(row[at_memory]) if row[at_memory].strip() else 0
            except (ValueError, IndexError):
                skipped[MALFORMED] = skipped.get(MALFORMED, 0) + 1
                continue
            columns.arrivals_epoch_s.append(arrival)
            columns.durations_ms.append(duration)
            if at_id is not None:
                identity = row[at_id].strip()
                columns.keys.append(zlib.crc32(identity.encode()) if identity else NO_KEY)
            if at_cold is not None:
                columns.cold.append(cold)
                columns.init_ms.append(init if cold == 1 else 0.0)
            if at_memory is not None:
                columns.memory_mb.append(memory)
    except csv.Error as error:
        raise TrafficError(name, f"is not valid CSV ({error})", line=row_number) from None
    except (EOFError, OSError, zlib.error) as error:
        raise broken(name, error, row_number) from None
    return columns, skipped
