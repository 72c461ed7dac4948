"""Timestamps as traffic files write them, to seconds since the Unix epoch (UTC).

* ISO 8601, as AWS writes it: ``2026-03-02T09:00:01.234567Z`` (ALB access logs, Lambda's JSON
  log format), ``2026-03-02T09:00:01.234000+00:00`` (``aws logs tail``, ``aws cloudwatch``
  output), ``2026-03-02T09:00:01`` (``aws logs tail --format short``), ``2026-03-02
  09:00:01.234`` (a CloudWatch Logs Insights export). An offset is respected; a time without
  one is read as UTC, the time zone AWS's tools print by default.
* Epoch numbers, as APIs return them: seconds, or milliseconds (CloudWatch Logs'
  ``timestamp``). A number of 10^11 or more is taken as milliseconds: 10^11 seconds is the
  year 5138, 10^11 ms is March 1973.

Parsing is the hot path of a log reader, so :func:`iso_parser` returns a parser that works out
each minute once and then only adds the seconds (a log's lines share their minutes).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["EARLIEST_EPOCH_S", "LATEST_EPOCH_S", "epoch_s", "iso_parser", "to_epoch_s"]

# What a timestamp in a traffic file can be: from 2000-01-01 to 2100-01-01 (UTC).
EARLIEST_EPOCH_S = 946_684_800.0
LATEST_EPOCH_S = 4_102_444_800.0
MS_THRESHOLD = 1e11


def epoch_s(value: float) -> float:
    """Seconds since the epoch for an epoch number in seconds or milliseconds.

    Raises ValueError outside 2000-2100 (a number in microseconds, say)."""
    seconds = value / 1000.0 if abs(value) >= MS_THRESHOLD else float(value)
    if not EARLIEST_EPOCH_S <= seconds < LATEST_EPOCH_S:
        raise ValueError(f"epoch {value!r} is outside 2000-2100 in seconds or milliseconds")
    return seconds


def _zone_split(text: str) -> tuple[str, str]:
    """``(body, zone)``: zone is ``"Z"``, ``"+hh:mm"``/``"-hh:mm"`` or ``""``."""
    if text.endswith(("Z", "z")):
        return text[:-1], "+00:00"
    if len(text) >= 22 and text[-6] in "+-" and text[-3] == ":":
        return text[:-6], text[-6:]
    if len(text) >= 21 and text[-5] in "+-" and text[-4:].isdigit():  # +hhmm
        return text[:-5], f"{text[-5:-2]}:{text[-2:]}"
    return text, ""


def iso_parser() -> Callable[[str], float]:
    """A function from an ISO 8601 timestamp to epoch seconds, caching each minute.

    Raises ValueError for text that is not a timestamp or falls outside 2000-2100.

    The lines of one file share one shape (length and zone), so the parser remembers the last
    shape and, for a text of that shape whose minute it has seen, only checks and adds the
    seconds."""
    by_zone: dict[str, dict[str, float]] = {}
    shape_length = -1
    shape_zone = ""
    shape_minutes: dict[str, float] = {}

    def slow(text: str) -> float:
        nonlocal shape_length, shape_zone, shape_minutes
        body, zone = _zone_split(text)
        head = body[:16]  # YYYY-MM-DDTHH:MM
        minutes = by_zone.setdefault(zone, {})
        base = minutes.get(head)
        if base is None:
            if len(head) != 16 or head[13] != ":" or head[10] not in "T t":
                raise ValueError(f"{text!r} is not an ISO 8601 timestamp")
            moment = datetime.fromisoformat(f"{head[:10]}T{head[11:]}:00{zone}")
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            base = moment.timestamp()
            if not EARLIEST_EPOCH_S <= base < LATEST_EPOCH_S:
                raise ValueError(f"{text!r} is outside 2000-2100")
            minutes[head] = base
        seconds = _seconds(body[16:], text)
        shape_length, shape_zone, shape_minutes = len(text), text[len(body):], minutes
        return base + seconds

    def parse(text: str) -> float:
        if len(text) == shape_length and text.endswith(shape_zone):
            base = shape_minutes.get(text[:16])
            if base is not None:
                rest = text[16:shape_length - len(shape_zone)]
                if rest[:1] == ":" and rest[1:3].isdigit() and (
                        len(rest) == 3 or (rest[3] == "." and rest[4:].isdigit())):
                    return base + float(rest[1:])
        return slow(text)

    return parse


def _seconds(rest: str, text: str) -> float:
    """The seconds of ``":SS"`` or ``":SS.fff…"`` (or nothing), checked by hand: float()
    would also take "nan" or "1e1"."""
    if not rest:
        return 0.0
    if rest[0] != ":" or not rest[1:3].isdigit() or (
            len(rest) > 3 and (rest[3] not in ".," or not rest[4:].isdigit())):
        raise ValueError(f"{text!r} is not an ISO 8601 timestamp")
    seconds = float(rest[1:].replace(",", "."))
    if seconds >= 61.0:
        raise ValueError(f"{text!r} has {seconds:g} seconds")
    return seconds


def to_epoch_s(text: str, parse_iso: Callable[[str], float] | None = None) -> float:
    """Epoch seconds for ``text``: an ISO 8601 timestamp, or an epoch number in seconds or
    milliseconds. Raises ValueError for anything else."""
    text = text.strip()
    if text[:1].isdigit() and text.replace(".", "", 1).isdigit():
        return epoch_s(float(text))
    return (parse_iso or iso_parser())(text)
