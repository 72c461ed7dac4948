"""Write requests (or per-period counts) in the layouts :mod:`~ec2vslambda.traffic.readers`
reads: the sample files, the tests' round trips and the benchmarks are made with these.

Each writer takes :class:`~ec2vslambda.traffic.Request` records (or
:class:`~ec2vslambda.traffic.Period` ones) and returns the file's text (``alb`` its lines, to
compress or not). What AWS would add and the readers pass over (START and END lines, TLS
fields, ingestion times) is written with fixed, plausible values; nothing in them is real.
A request's ``key`` is its RequestId; ``cold`` with ``init_ms`` gives the ``Init Duration``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from .model import Period, Request

__all__ = ["alb_lines", "azure_durations", "azure_invocations", "lambda_events",
           "lambda_insights", "lambda_json", "lambda_text", "metric_data", "metric_statistics",
           "metrics_csv", "per_period", "plain_csv", "request_id"]

STREAM = "2026/03/02/[$LATEST]5f0c2a9e71b44c8d9a3e6b1f2d4c8e07"
ALB_ID = "app/my-service/50dc6c495c0c9188"
TARGET_GROUP = ("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-service/"
                "73e2d6bc24d8a067")


def request_id(n: int) -> str:
    """A RequestId-shaped identity for the ``n``-th request (deterministic)."""
    h = f"{(n * 0x9E3779B97F4A7C15) & ((1 << 128) - 1):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def _iso(epoch_s: float, *, places: int = 6, zone: str = "Z") -> str:
    """ISO 8601 with ``places`` decimals of seconds, cut (not rounded) as AWS's tools do."""
    moment = datetime.fromtimestamp(epoch_s, tz=UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if places:
        text += "." + f"{moment.microsecond:06d}"[:places]
    return text + zone


def _end_ms(r: Request) -> int:
    """The REPORT's log event time: the invocation's end, in whole ms as CloudWatch keeps it."""
    return round((r.arrival_epoch_s + ((r.init_ms or 0.0) if r.cold else 0.0) / 1000.0
                  + r.duration_ms / 1000.0) * 1000.0)


def _report(r: Request, n: int) -> str:
    billed = math.ceil(r.duration_ms + ((r.init_ms or 0.0) if r.cold else 0.0))
    text = (f"REPORT RequestId: {r.key or request_id(n)}\tDuration: {r.duration_ms:.2f} ms\t"
            f"Billed Duration: {billed} ms\tMemory Size: {r.memory_mb or 512} MB\t"
            f"Max Memory Used: {r.max_memory_used_mb or 80} MB\t")
    if r.cold:
        text += f"Init Duration: {r.init_ms or 0.0:.2f} ms\t"
    return text


def _platform(r: Request, n: int) -> dict:
    metrics = {"durationMs": round(r.duration_ms, 3),
               "billedDurationMs": math.ceil(r.duration_ms + ((r.init_ms or 0.0)
                                                              if r.cold else 0.0)),
               "memorySizeMB": r.memory_mb or 512, "maxMemoryUsedMB": r.max_memory_used_mb or 80}
    if r.cold:
        metrics["initDurationMs"] = round(r.init_ms or 0.0, 3)
    return {"time": _iso(_end_ms(r) / 1000.0, places=3), "type": "platform.report",
            "record": {"requestId": r.key or request_id(n), "metrics": metrics,
                       "status": "success"}}


def _by_end(requests: Sequence[Request]) -> list[tuple[int, Request]]:
    """(n, request) in the order the log holds them: by the time they ended."""
    return sorted(enumerate(requests), key=lambda nr: (_end_ms(nr[1]), nr[0]))


def lambda_text(requests: Sequence[Request], *, short: bool = False) -> str:
    """``aws logs tail`` output of the REPORT lines (``--format detailed``, or ``short``)."""
    lines = []
    for n, r in _by_end(requests):
        end = _end_ms(r) / 1000.0
        if short:
            lines.append(f"{_iso(end, places=0, zone='')} {_report(r, n)}")
        else:
            lines.append(f"{_iso(end, places=6, zone='+00:00')} {STREAM} {_report(r, n)}")
    return "\n".join(lines) + "\n"


def lambda_events(requests: Sequence[Request]) -> str:
    """``aws logs filter-log-events`` output holding the REPORT events."""
    events = [{"logStreamName": STREAM, "timestamp": _end_ms(r), "message": _report(r, n) + "\n",
               "ingestionTime": _end_ms(r) + 1200, "eventId": f"{_end_ms(r):d}{n:020d}"}
              for n, r in _by_end(requests)]
    return json.dumps({"events": events, "searchedLogStreams": []}, indent=4) + "\n"


def lambda_insights(requests: Sequence[Request]) -> str:
    """A Logs Insights CSV download of ``fields @timestamp, @message``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["@timestamp", "@message"])
    for n, r in _by_end(requests):
        stamp = _iso(_end_ms(r) / 1000.0, places=3, zone="").replace("T", " ")
        writer.writerow([stamp, _report(r, n)])
    return out.getvalue()


def lambda_json(requests: Sequence[Request], *, starts: bool = True) -> str:
    """Lambda's JSON log format, one JSON object per line: a ``platform.report`` record per
    invocation, each after its ``platform.start`` (unless ``starts=False``, as a filter on
    ``platform.report`` keeps)."""
    lines = []
    for n, r in _by_end(requests):
        if starts:
            start = {"time": _iso(r.arrival_epoch_s, places=3), "type": "platform.start",
                     "record": {"requestId": r.key or request_id(n), "version": "$LATEST"}}
            lines.append(json.dumps(start, separators=(",", ":")))
        lines.append(json.dumps(_platform(r, n), separators=(",", ":")))
    return "\n".join(lines) + "\n"


def alb_lines(requests: Sequence[Request], *, no_target: Iterable[tuple[float, int]] = ()
              ) -> list[str]:
    """ALB access log lines, in the order ALB writes them (by response time), for requests
    to an instance target; ``no_target`` adds ``(arrival_epoch_s, elb_status_code)`` requests
    that never reached one (processing times -1)."""
    rows = []
    for n, r in enumerate(requests):
        target_s = round(r.duration_ms / 1000.0, 3)
        sent = r.arrival_epoch_s + 0.001 + target_s
        fields = (f"https {_iso(sent)} {ALB_ID} 203.0.113.{n % 250 + 1}:{40000 + n % 20000} "
                  f"10.0.1.{n % 3 + 10}:8080 0.001 {target_s:.3f} 0.000 200 200 {180 + n % 60} "
                  f"{500 + n % 900} \"GET https://api.example.com:443/items/{n} HTTP/1.1\" "
                  f"\"Mozilla/5.0 (X11; Linux x86_64) Example/1.0\" ECDHE-RSA-AES128-GCM-SHA256 "
                  f"TLSv1.2 {TARGET_GROUP} \"Root=1-{int(r.arrival_epoch_s):08x}-{n:024x}\" "
                  f"\"api.example.com\" \"arn:aws:acm:us-east-1:123456789012:certificate/"
                  f"12345678-1234-1234-1234-123456789012\" 1 {_iso(r.arrival_epoch_s)} "
                  f"\"forward\" \"-\" \"-\" \"10.0.1.{n % 3 + 10}:8080\" \"200\" \"-\" \"-\" "
                  f"TID_{n:032x}")
        rows.append((sent, n, fields))
    for m, (arrival, status) in enumerate(no_target):
        sent = arrival + 0.002
        fields = (f"https {_iso(sent)} {ALB_ID} 198.51.100.{m % 250 + 1}:{50000 + m} - -1 -1 -1 "
                  f"{status} - 150 {300 + m % 50} \"GET https://api.example.com:443/ HTTP/1.1\" "
                  f"\"curl/8.5.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {TARGET_GROUP} "
                  f"\"Root=1-{int(arrival):08x}-{m:024x}\" \"api.example.com\" \"-\" 1 "
                  f"{_iso(arrival)} \"forward\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_{m:032x}")
        rows.append((sent, len(rows), fields))
    rows.sort()
    return [f"{fields}\n" for _, _, fields in rows]


def plain_csv(requests: Sequence[Request]) -> str:
    """The plain CSV: ``timestamp,duration_ms,cold,init_ms,memory_mb,request_id``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["timestamp", "duration_ms", "cold", "init_ms", "memory_mb", "request_id"])
    for n, r in enumerate(requests):
        writer.writerow([_iso(r.arrival_epoch_s), f"{r.duration_ms:.3f}",
                         "" if r.cold is None else str(r.cold).lower(),
                         f"{r.init_ms:.2f}" if r.cold else "", r.memory_mb or "",
                         r.key or request_id(n)])
    return out.getvalue()


# --- per-period metrics ---------------------------------------------------------------------

def per_period(requests: Sequence[Request], period_s: float, *, start_epoch_s: float | None = None
               ) -> list[Period]:
    """What CloudWatch would publish for ``requests``: per period (counted by arrival, from
    ``start_epoch_s`` or the first arrival's period), the invocations, the average and the
    p99 (nearest rank) of the handler durations. Periods without invocations have no data
    point, as in CloudWatch."""
    if not requests:
        return []
    first = min(r.arrival_epoch_s for r in requests)
    origin = start_epoch_s if start_epoch_s is not None else first - first % period_s
    groups: dict[int, list[float]] = {}
    for r in requests:
        groups.setdefault(int((r.arrival_epoch_s - origin) // period_s), []).append(
            r.duration_ms)
    periods = []
    for index in sorted(groups):
        durations = sorted(groups[index])
        periods.append(Period(origin + index * period_s, period_s, len(durations),
                              sum(durations) / len(durations), _rank(durations, 99.0)))
    return periods


def _cli_time(epoch_s: float) -> str:
    return _iso(epoch_s, places=0, zone="+00:00")


def metric_data(periods: Sequence[Period]) -> str:
    """``aws cloudwatch get-metric-data`` output: Invocations (Sum), Duration avg and p99,
    newest first as the API returns them by default."""
    newest = sorted(periods, key=lambda p: -p.start_epoch_s)
    series = [("invocations", "Invocations", [(p, p.invocations) for p in newest]),
              ("duration_avg", "Duration avg",
               [(p, p.duration_avg_ms) for p in newest if p.duration_avg_ms is not None]),
              ("duration_p99", "Duration p99",
               [(p, p.duration_p99_ms) for p in newest if p.duration_p99_ms is not None])]
    results = [{"Id": key, "Label": label,
                "Timestamps": [_cli_time(p.start_epoch_s) for p, _ in points],
                "Values": [round(v, 3) for _, v in points], "StatusCode": "Complete"}
               for key, label, points in series]
    return json.dumps({"MetricDataResults": results, "Messages": []}, indent=4) + "\n"


def metric_statistics(periods: Sequence[Period], metric: str, *, order: Sequence[int] = ()
                      ) -> str:
    """``aws cloudwatch get-metric-statistics`` output for ``metric`` (``"Invocations"``:
    Sum; ``"Duration"``: Average, SampleCount and p99), data points in the order of the
    indices ``order`` (the API's order is none in particular)."""
    points = []
    for p in periods:
        stamp = _cli_time(p.start_epoch_s)
        if metric == "Invocations":
            points.append({"Timestamp": stamp, "Sum": float(p.invocations), "Unit": "Count"})
        elif p.duration_avg_ms is not None:
            point = {"Timestamp": stamp, "SampleCount": float(p.invocations),
                     "Average": round(p.duration_avg_ms, 3), "Unit": "Milliseconds"}
            if p.duration_p99_ms is not None:
                point["ExtendedStatistics"] = {"p99": round(p.duration_p99_ms, 3)}
            points.append(point)
    if order:
        points = [points[i] for i in order if i < len(points)]
    return json.dumps({"Label": metric, "Datapoints": points}, indent=4) + "\n"


def metrics_csv(periods: Sequence[Period]) -> str:
    """The CSV layout ``metrics-csv`` reads: a time column, then one column per series."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Time", "Invocations", "Duration", "Duration p99"])
    for p in sorted(periods, key=lambda p: p.start_epoch_s):
        writer.writerow([_iso(p.start_epoch_s, places=0, zone="").replace("T", " "),
                         f"{p.invocations:g}",
                         "" if p.duration_avg_ms is None else f"{p.duration_avg_ms:.3f}",
                         "" if p.duration_p99_ms is None else f"{p.duration_p99_ms:.3f}"])
    return out.getvalue()


# --- the Azure Functions 2019 layout --------------------------------------------------------

AZURE_FUNCTION = ("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
                  "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
                  "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0")


def azure_invocations(counts_per_minute: Sequence[int], *, trigger: str = "http",
                      function: Sequence[str] = AZURE_FUNCTION) -> str:
    """``invocations_per_function_md.anon.dNN.csv`` for one function: its 1,440 counts."""
    if len(counts_per_minute) != 1440:
        raise ValueError(f"counts_per_minute has {len(counts_per_minute)} values; allowed: 1440")
    header = ["HashOwner", "HashApp", "HashFunction", "Trigger", *map(str, range(1, 1441))]
    return (",".join(header) + "\n"
            + ",".join([*function, trigger, *map(str, counts_per_minute)]) + "\n")


def _rank(ordered: Sequence[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile (0-100) of sorted values."""
    return ordered[max(0, math.ceil(q / 100.0 * len(ordered)) - 1)]


def azure_durations(durations_ms: Sequence[float], *,
                    function: Sequence[str] = AZURE_FUNCTION) -> str:
    """``function_durations_percentiles.anon.dNN.csv`` for one function's day of durations
    (the percentiles here are of the durations themselves; Azure's are of 30-second
    averages)."""
    ordered = sorted(durations_ms)
    header = ["HashOwner", "HashApp", "HashFunction", "Average", "Count", "Minimum", "Maximum",
              *(f"percentile_Average_{q}" for q in (0, 1, 25, 50, 75, 99, 100))]
    row = [*function, f"{sum(ordered) / len(ordered):.3f}", str(len(ordered)),
           f"{ordered[0]:.3f}", f"{ordered[-1]:.3f}",
           *(f"{_rank(ordered, q):.3f}" for q in (0, 1, 25, 50, 75, 99, 100))]
    return ",".join(header) + "\n" + ",".join(row) + "\n"
