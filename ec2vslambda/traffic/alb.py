"""Application Load Balancer access logs (format ``alb``), plain or ``.gz`` as S3 holds them.

The layout is AWS's ("Access log entries", Elastic Load Balancing User Guide,
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html):
one request per line, fields separated by spaces, some in double quotes::

    type time elb client:port target:port request_processing_time target_processing_time
    response_processing_time elb_status_code target_status_code received_bytes sent_bytes
    "request" "user_agent" ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name"
    "chosen_cert_arn" matched_rule_priority request_creation_time "actions_executed" …

New fields are added at the end over time, so everything after ``request_creation_time`` is
passed over. What a line gives:

* the arrival: ``request_creation_time``, when the load balancer received the request (``time``
  is when it sent the response);
* the duration: ``target_processing_time``, seconds from sending the request to the target
  until the target started its response headers, so queueing in a target is included;
* ``-1`` there means the load balancer could not dispatch the request to a target (the client
  sent a malformed request, no target answered before the idle timeout, …): not an invocation,
  counted in :attr:`Traffic.skipped` as "never reached a target (HTTP <elb_status_code>)".

Elastic Load Balancing writes a ``.gz`` file every 5 minutes per load-balancer node and logs
"on a best-effort basis", so a few requests may be missing. A log line repeated (the same file
passed twice) is counted once. Cold starts are not in this log: ``cold`` is ``None``.

The fast path splits each line (as bytes) on its quotes, then the unquoted head on spaces; a
line whose quoted fields hold an escaped quote goes to a full regular expression instead.
"""

from __future__ import annotations

import re
import zlib
from typing import TextIO

from ..words import term
from .model import Columns
from .sources import broken
from .timestamps import iso_parser

__all__ = ["MALFORMED", "NO_TARGET", "parse", "sniff"]

TYPES = frozenset({"http", "https", "h2", "grpcs", "ws", "wss"})
_TYPES = frozenset(t.encode() for t in TYPES)
MALFORMED = term("malformed access log line")
NO_TARGET = term("never reached a target (HTTP {status})")
_SNIFF = re.compile(r"(?:https?|h2|grpcs|wss?) \d{4}-\d\d-\d\dT[\d:.]+Z \S+ \S+ \S+ "
                    r"-?[\d.]+ -?[\d.]+ -?[\d.]+ ")
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_FULL = re.compile(
    rf"\S+ \S+ \S+ \S+ \S+ \S+ (\S+) \S+ (\S+) \S+ \S+ \S+ {_QUOTED} {_QUOTED} \S+ \S+ \S+ "
    rf"{_QUOTED} {_QUOTED} {_QUOTED} \S+ (\S+)")


def sniff(prefix: str, name: str) -> bool:
    first = next((line for line in prefix.splitlines() if line.strip()), "")
    return _SNIFF.match(first) is not None


def parse(text: TextIO, name: str) -> tuple[Columns, dict[str, int]]:
    """The requests of one access log file (see the module's notes).

    Lines are read as bytes from ``text.buffer``: only the arrival time is ever decoded."""
    columns = Columns.empty(keys=True)
    add_arrival = columns.arrivals_epoch_s.append
    add_duration = columns.durations_ms.append
    add_key = columns.keys.append
    crc32 = zlib.crc32
    parse_iso = iso_parser()
    skipped: dict[str, int] = {}
    types = _TYPES
    full = _FULL.match
    line_number = 0
    try:
        for line_number, line in enumerate(text.buffer, 1):  # noqa: B007 (the except names it)
            # The first twelve fields hold no quote, so splitting on quotes first leaves them
            # in piece 0, and request_creation_time after matched_rule_priority in piece 10.
            quoted = line.split(b'"', 11)
            fields = quoted[0].split(b" ")
            if len(fields) != 13 or fields[0] not in types:
                if line.strip():
                    skipped[MALFORMED] = skipped.get(MALFORMED, 0) + 1
                continue
            target_s = fields[6]
            if target_s == b"-1":
                status = fields[8].decode() if fields[8].isdigit() else "-"
                reason = NO_TARGET.format(status=status)
                skipped[reason] = skipped.get(reason, 0) + 1
                continue
            tail = quoted[10].split(b" ") if len(quoted) == 12 else ()
            try:
                if len(tail) == 4:  # b" priority created "
                    created = tail[2].decode("ascii")
                else:  # an escaped quote inside a quoted field: the slow, exact way
                    match = full(line.decode("utf-8", "replace"))
                    if match is None:
                        raise ValueError("not an access log line")
                    created = match.group(3)
                arrival = parse_iso(created)
                duration_ms = float(target_s) * 1000.0
            except ValueError:  # UnicodeDecodeError included
                skipped[MALFORMED] = skipped.get(MALFORMED, 0) + 1
                continue
            if not 0.0 <= duration_ms < 1e9:
                skipped[MALFORMED] = skipped.get(MALFORMED, 0) + 1
                continue
            add_arrival(arrival)
            add_duration(duration_ms)
            add_key(crc32(line))
    except (EOFError, OSError, zlib.error) as error:
        raise broken(name, error, line_number + 1) from None
    return columns, skipped
