"""Lambda's REPORT records, in the four containers people export them in.

At the end of every invocation Lambda writes one REPORT record to the function's log group
("Using CloudWatch Logs with Lambda",
https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html; the fields are
listed on each runtime's logging page, e.g.
https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html), in one of two log formats
("Configuring JSON and plain text log formats",
https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html):

* plain text::

    REPORT RequestId: 3f6c…  Duration: 102.25 ms  Billed Duration: 103 ms  Memory Size: 512 MB
    Max Memory Used: 81 MB  Init Duration: 180.43 ms

  with the fields separated by tabs, ``Init Duration`` only when the invocation started a new
  execution environment (a cold start), ``Restore Duration`` and ``Billed Restore Duration``
  instead when a SnapStart function restored a snapshot
  (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html), and an ``XRAY
  TraceId: … SegmentId: … Sampled: …`` part on its own line for traced requests;
* JSON: ``{"time": "…", "type": "platform.report", "record": {"requestId": "…", "metrics":
  {"durationMs": …, "billedDurationMs": …, "memorySizeMB": …, "maxMemoryUsedMB": …,
  "initDurationMs": …}, "status": "success"}}``, the ``PlatformReport`` record of the Telemetry
  API (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html), with
  ``initDurationMs`` (or ``restoreDurationMs``) only on a cold start.

The containers (format names of :data:`ec2vslambda.traffic.FORMATS`):

* ``lambda-text``: one log event per line after its timestamp, as ``aws logs tail`` prints it
  (``2026-03-02T09:00:01.234000+00:00 2026/03/02/[$LATEST]8e1f… REPORT RequestId: …``, or
  ``--format short``: ``2026-03-02T09:00:01 REPORT …``; the AWS CLI reference,
  https://docs.aws.amazon.com/cli/latest/reference/logs/tail.html) and as a CloudWatch Logs
  export to S3 writes it. START, END, XRAY and application lines are passed over.
* ``lambda-events``: ``aws logs filter-log-events`` or ``get-log-events`` JSON: ``{"events":
  [{"timestamp": <epoch ms>, "message": "REPORT …", …}]}`` (CloudWatch Logs API reference,
  https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
  and API_GetLogEvents.html), read one event at a time.
* ``lambda-insights``: a CloudWatch Logs Insights result downloaded as CSV with the columns
  ``@timestamp`` and ``@message`` (system fields,
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_AnalyzeLogData-discoverable-fields.html);
  ``@timestamp`` as the console writes it, ``2026-03-02 09:00:01.234`` in UTC.
* ``lambda-json``: Lambda's JSON log format with one record per line, as the function's log
  group holds it: the ``platform.report`` records are read, every other line is passed over.

Each of the first three takes REPORT messages in either log format.

**Arrival and cold starts.** The log event's timestamp marks the *end* of the invocation, so
the arrival is that time minus the INIT (or restore) duration and the handler's duration. An
invocation with an ``Init Duration`` (or a ``Restore Duration``) started cold; one without ran
in a warm environment. A JSON record's own ``time`` is used where it has one. Durations are the
handler's ``Duration``; INIT is kept apart in :attr:`Traffic.init_ms`.

**Duplicates.** The same REPORT (same RequestId, same time) in two exported files is one
invocation. The same RequestId at another time is another invocation: Lambda keeps the
RequestId when it retries an asynchronous event.
"""

from __future__ import annotations

import csv
import json
import math
import re
import zlib
from typing import TextIO

from ..words import term
from .jsonstream import array_items
from .model import Columns, TrafficError
from .sources import broken
from .timestamps import epoch_s, iso_parser

__all__ = ["parse_events", "parse_insights", "parse_json_lines", "parse_text", "sniff_events",
           "sniff_insights", "sniff_json_lines", "sniff_text"]

REPORT_MARK = "REPORT RequestId: "
JSON_MARK = '"platform.report"'
_REPORT = re.compile(
    r"REPORT RequestId: (\S+)\s+Duration: ([0-9]+(?:\.[0-9]+)?) ms\s+"
    r"Billed Duration: [0-9]+ ms\s+Memory Size: ([0-9]+) MB\s+Max Memory Used: ([0-9]+) MB"
    r"(?:\s+Init Duration: ([0-9]+(?:\.[0-9]+)?) ms)?"
    r"(?:\s+Restore Duration: ([0-9]+(?:\.[0-9]+)?) ms)?")
_REPORT_BYTES = re.compile(_REPORT.pattern.encode())
_STAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")

# Reasons a record is left out (keys of Traffic.skipped).
MALFORMED_REPORT = term("malformed REPORT line")
MALFORMED_JSON = term("malformed platform.report record")
MALFORMED_EVENT = term("malformed log event")
NO_TIMESTAMP = term("REPORT without a timestamp")
BAD_TIMESTAMP = term("unreadable timestamp")


class _Skip(Exception):
    """A record to leave out, with the reason it is counted under."""


def _number(metrics: dict, key: str, *, required: bool = False) -> float | None:
    value = metrics.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not (
            math.isfinite(value) and value >= 0):
        raise _Skip(MALFORMED_JSON)
    return float(value)


class _Builder:
    """Columns of REPORT records, with the bound methods the hot loops call."""

    def __init__(self):
        self.columns = Columns.empty(keys=True, cold=True, memory=True)
        c = self.columns
        self.arrival, self.duration = c.arrivals_epoch_s.append, c.durations_ms.append
        self.key, self.cold, self.init = c.keys.append, c.cold.append, c.init_ms.append
        self.memory = c.memory_mb.append
        self.used = 0
        self.skipped: dict[str, int] = {}

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def add(self, end_s: float, request_id: str, duration_ms: float, memory_mb: int,
            used_mb: int | None, init_ms: float | None) -> None:
        cold = init_ms is not None
        init = init_ms if cold else 0.0
        self.arrival(end_s - (init + duration_ms) / 1000.0)
        self.duration(duration_ms)
        self.key(zlib.crc32(request_id.encode()))
        self.cold(cold)
        self.init(init)
        self.memory(memory_mb)
        if used_mb is not None and used_mb > self.used:
            self.used = used_mb

    def text_report(self, match: re.Match, end_s: float) -> None:
        request_id, duration, memory, used, init, restore = match.groups()
        start_up = init if init is not None else restore
        self.add(end_s, request_id, float(duration), int(memory), int(used),
                 None if start_up is None else float(start_up))

    def json_report(self, text: str, end_s: float | None, parse_iso) -> None:
        """A ``platform.report`` record (JSON text); ``end_s``: the log event's time."""
        try:
            record = json.loads(text)
        except ValueError:
            raise _Skip(MALFORMED_JSON) from None
        if not isinstance(record, dict) or record.get("type") != "platform.report":
            raise _Skip(MALFORMED_JSON)
        body = record.get("record")
        metrics = body.get("metrics") if isinstance(body, dict) else None
        request_id = body.get("requestId") if isinstance(body, dict) else None
        if not isinstance(metrics, dict) or not isinstance(request_id, str):
            raise _Skip(MALFORMED_JSON)
        duration = _number(metrics, "durationMs", required=True)
        memory = _number(metrics, "memorySizeMB")
        used = _number(metrics, "maxMemoryUsedMB")
        init = _number(metrics, "initDurationMs")
        if init is None:
            init = _number(metrics, "restoreDurationMs")
        stamp = record.get("time")
        if isinstance(stamp, str):
            try:
                end_s = parse_iso(stamp)
            except ValueError:
                raise _Skip(BAD_TIMESTAMP) from None
        if end_s is None:
            raise _Skip(NO_TIMESTAMP)
        self.add(end_s, request_id, duration, int(memory or 0),
                 None if used is None else int(used), init)

    def message(self, message: str, end_s: float, parse_iso) -> None:
        """One log event's message: a REPORT in either log format, or anything else (passed
        over)."""
        at = message.find(REPORT_MARK)
        if at >= 0:
            match = _REPORT.match(message, at)
            if match is None:
                raise _Skip(MALFORMED_REPORT)
            self.text_report(match, end_s)
        elif JSON_MARK in message:
            self.json_report(message[message.find("{"):], end_s, parse_iso)

    def done(self) -> tuple[Columns, dict[str, int]]:
        self.columns.max_memory_used_mb = self.used or None
        return self.columns, self.skipped


# --- lambda-text ----------------------------------------------------------------------------

def sniff_text(prefix: str, name: str) -> bool:
    """Lines that start with a timestamp, with a REPORT among them."""
    if REPORT_MARK not in prefix and JSON_MARK not in prefix:
        return False
    lines = [line for line in prefix.splitlines()[:50] if REPORT_MARK in line or JSON_MARK in line]
    return bool(lines) and _STAMP.match(lines[0]) is not None


def parse_text(text: TextIO, name: str) -> tuple[Columns, dict[str, int]]:
    """``lambda-text``: ``TIMESTAMP [LOG-STREAM] MESSAGE`` per line (see the module's notes).

    Lines are read as bytes from ``text.buffer``; only a timestamp, or a JSON record, is
    decoded."""
    build = _Builder()
    c = build.columns
    add_arrival, add_duration = c.arrivals_epoch_s.append, c.durations_ms.append
    add_key, add_cold, add_init = c.keys.append, c.cold.append, c.init_ms.append
    add_memory = c.memory_mb.append
    parse_iso = iso_parser()
    match_report = _REPORT_BYTES.match
    mark, json_mark = REPORT_MARK.encode(), JSON_MARK.encode()
    crc32 = zlib.crc32
    skip = build.skip
    used_most = 0
    line_number = 0
    try:
        for line_number, line in enumerate(text.buffer, 1):  # noqa: B007 (the except names it)
            at = line.find(mark)
            if at < 0:
                if json_mark in line:
                    decoded = line.decode("utf-8", "replace")
                    brace = decoded.find("{")
                    stamp = decoded[:brace].split(None, 1)
                    try:
                        end_s = parse_iso(stamp[0]) if stamp else None
                        build.json_report(decoded[brace:], end_s, parse_iso)
                    except (_Skip, ValueError) as why:
                        skip(str(why) if isinstance(why, _Skip) else BAD_TIMESTAMP)
                continue
            match = match_report(line, at)
            if match is None:
                skip(MALFORMED_REPORT)
                continue
            space = line.find(b" ")
            if not 0 < space < at:
                skip(NO_TIMESTAMP)
                continue
            try:
                end_s = parse_iso(line[:space].decode("ascii"))
            except ValueError:  # UnicodeDecodeError included
                skip(BAD_TIMESTAMP)
                continue
            request_id, duration, memory, used, init, restore = match.groups()
            duration_ms = float(duration)
            if init is None:
                init = restore
            if init is None:
                add_arrival(end_s - duration_ms / 1000.0)
                add_cold(0)
                add_init(0.0)
            else:
                init_ms = float(init)
                add_arrival(end_s - (init_ms + duration_ms) / 1000.0)
                add_cold(1)
                add_init(init_ms)
            add_duration(duration_ms)
            add_key(crc32(request_id))
            add_memory(int(memory))
            used_mb = int(used)
            if used_mb > used_most:
                used_most = used_mb
    except (EOFError, OSError, zlib.error) as error:
        raise broken(name, error, line_number + 1) from None
    build.used = max(build.used, used_most)
    return build.done()


# --- lambda-events --------------------------------------------------------------------------

_EVENTS_DOCUMENT = re.compile(
    r'\s*\{\s*"(?:events|searchedLogStreams|nextToken|nextForwardToken|nextBackwardToken)"')
_EVENTS_ARRAY = re.compile(r'\s*\[\s*\{')


def sniff_events(prefix: str, name: str) -> bool:
    """The CLI's JSON document of log events, or a bare array of them."""
    if _EVENTS_DOCUMENT.match(prefix):
        return True
    return _EVENTS_ARRAY.match(prefix) is not None and '"message"' in prefix and (
        '"ingestionTime"' in prefix or '"eventId"' in prefix or '"logStreamName"' in prefix)


def parse_events(text: TextIO, name: str) -> tuple[Columns, dict[str, int]]:
    """``lambda-events``: the ``events`` of ``aws logs filter-log-events`` /
    ``get-log-events`` output (or a bare array of such events), one at a time."""
    build = _Builder()
    parse_iso = iso_parser()
    try:
        for event in array_items(text, name, "events"):
            if not isinstance(event, dict):
                build.skip(MALFORMED_EVENT)
                continue
            message, stamp = event.get("message"), event.get("timestamp")
            if not isinstance(message, str) or isinstance(stamp, bool) or not isinstance(
                    stamp, int | float):
                build.skip(MALFORMED_EVENT)
                continue
            if REPORT_MARK not in message and JSON_MARK not in message:
                continue
            try:
                build.message(message, epoch_s(stamp), parse_iso)
            except _Skip as why:
                build.skip(str(why))
            except ValueError:
                build.skip(BAD_TIMESTAMP)
    except (EOFError, OSError, zlib.error) as error:
        raise broken(name, error) from None
    return build.done()


# --- lambda-insights ------------------------------------------------------------------------

INSIGHTS_COLUMNS = ("@timestamp", "@message")


def sniff_insights(prefix: str, name: str) -> bool:
    header = prefix.lstrip("\ufeff").split("\n", 1)[0]
    return "@timestamp" in header and "," in header


def parse_insights(text: TextIO, name: str) -> tuple[Columns, dict[str, int]]:
    """``lambda-insights``: a Logs Insights CSV download with ``@timestamp`` and
    ``@message``."""
    build = _Builder()
    parse_iso = iso_parser()
    rows = csv.reader(text)
    row_number = 1
    try:
        header = next(rows, None) or []
        columns = [h.strip() for h in header]
        missing = [c for c in INSIGHTS_COLUMNS if c not in columns]
        if missing:
            raise TrafficError(name, f"has no {missing[0]} column (its header: "
                               f"{','.join(columns)[:120]})", line=1,
                               expected="a Logs Insights CSV with the columns @timestamp and "
                               "@message (query: fields @timestamp, @message | filter @type = "
                               "\"REPORT\")")
        at_time, at_message = columns.index("@timestamp"), columns.index("@message")
        width = max(at_time, at_message) + 1
        for row_number, row in enumerate(rows, 2):  # noqa: B007 (the except names it)
            if len(row) < width:
                if any(cell.strip() for cell in row):
                    build.skip(MALFORMED_EVENT)
                continue
            message = row[at_message]
            if REPORT_MARK not in message and JSON_MARK not in message:
                continue
            try:
                build.message(message, parse_iso(row[at_time].strip()), parse_iso)
            except _Skip as why:
                build.skip(str(why))
            except ValueError:
                build.skip(BAD_TIMESTAMP)
    except csv.Error as error:
        raise TrafficError(name, f"is not valid CSV ({error})", line=row_number) from None
    except (EOFError, OSError, zlib.error) as error:
        raise broken(name, error, row_number) from None
    return build.done()


# --- lambda-json ----------------------------------------------------------------------------

def sniff_json_lines(prefix: str, name: str) -> bool:
    """Lines that are JSON records of Lambda's JSON log format."""
    first = next((line for line in prefix.splitlines() if line.strip()), "").lstrip()
    return first.startswith("{") and '"type"' in prefix and '"platform.' in prefix


def parse_json_lines(text: TextIO, name: str) -> tuple[Columns, dict[str, int]]:
    """``lambda-json``: one JSON record per line; ``platform.report`` records are read."""
    build = _Builder()
    parse_iso = iso_parser()
    line_number = 0
    try:
        for line_number, line in enumerate(text, 1):  # noqa: B007 (the except names it)
            if JSON_MARK not in line:
                continue
            try:
                build.json_report(line, None, parse_iso)
            except _Skip as why:
                build.skip(str(why))
    except (EOFError, OSError, zlib.error) as error:
        raise broken(name, error, line_number + 1) from None
    return build.done()
