"""What a traffic file says, in one shape: :class:`Traffic`, and the error a bad file gets.

Every reader of :mod:`ec2vslambda.traffic` ends in one of the two builders here:

* :func:`from_requests` for sources with one record per request (Lambda's REPORT lines, ALB
  access logs, a plain CSV): arrivals and durations, sorted by arrival;
* :func:`from_periods` for aggregated sources (CloudWatch metrics, the Azure Functions day
  files): a count (and an average duration) per period of any length.

Times are seconds since the Unix epoch (UTC) on the way in, and seconds from
:attr:`Traffic.start` in the result. Standard library only: the same code reads a dropped file in
the reader's browser.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = ["Period", "Request", "Traffic", "TrafficError", "from_periods", "from_requests",
           "utc"]

SECONDS_PER_MINUTE = 60


class TrafficError(ValueError):
    """A traffic file cannot be read. The message names the file (and the line, where it helps)
    and says what was expected; the parts stay available to a front end."""

    def __init__(self, path: str, problem: str, *, line: int | None = None,
                 expected: str | None = None):
        self.path = path
        self.line = line
        self.problem = problem
        self.expected = expected
        where = f"{path}, line {line:,}" if line is not None else path
        super().__init__(f"{where}: {problem}" + (f"; expected {expected}" if expected else ""))


def utc(epoch_s: float) -> datetime:
    """A timezone-aware UTC datetime for ``epoch_s`` seconds since the Unix epoch."""
    return datetime.fromtimestamp(epoch_s, tz=UTC)


@dataclass(frozen=True)
class Request:
    """One invocation as a source records it. ``arrival_epoch_s``: when it arrived (UTC epoch
    seconds); ``duration_ms``: how long the handler ran; ``cold``: True/False where the source
    says, else None; ``init_ms``: INIT duration of a cold start, where recorded; ``memory_mb``:
    the function's memory setting, where recorded; ``key``: an identity for de-duplication (a
    RequestId), or None when the source has none."""

    arrival_epoch_s: float
    duration_ms: float
    cold: bool | None = None
    init_ms: float | None = None
    memory_mb: int | None = None
    max_memory_used_mb: int | None = None
    key: str | None = None


@dataclass(frozen=True)
class Period:
    """One aggregated period: ``invocations`` in ``[start_epoch_s, start_epoch_s + period_s)``,
    with the average duration (and p99) over them where the source gives it."""

    start_epoch_s: float
    period_s: float
    invocations: float
    duration_avg_ms: float | None = None
    duration_p99_ms: float | None = None


@dataclass(frozen=True)
class Traffic:
    """A service's traffic, read from one or more files of one format.

    format: the source format's name (see :data:`ec2vslambda.traffic.FORMATS`).
    start, end: timezone-aware UTC; the first arrival (or period start) and the last arrival
        (or period end).
    invocations: requests counted.
    per_minute: invocations in each UTC minute from ``start``'s minute to ``end``'s; a coarser
        period is spread evenly over its minutes, in whole requests, so the sum is kept.
    arrivals_s: arrival times in seconds from ``start``, sorted; ``None`` for aggregated formats.
    durations_ms: one duration per arrival; ``None`` for aggregated formats.
    cold: per invocation, whether it was a cold start, where the source says; else ``None``.
    init_ms: per invocation, its INIT duration (0 where warm), where the source says; else
        ``None``.
    memory_mb: the function's memory setting, where the source says (the most common one).
    max_memory_used_mb: the most memory any invocation used, where the source says.
    duration_avg_ms_per_minute: aggregated formats: the average duration in each minute of
        ``per_minute`` (``None`` where no duration was given); else ``None``.
    duration_p99_ms: the largest p99 duration a metrics source gives, else ``None``.
    skipped: reason -> count of records left out (malformed, duplicate, never reached a target).
    sources: the files read, in the order given.
    """

    format: str
    start: datetime
    end: datetime
    invocations: int
    per_minute: tuple[int, ...]
    arrivals_s: array | None = None
    durations_ms: array | None = None
    cold: tuple[bool, ...] | None = None
    init_ms: array | None = None
    memory_mb: int | None = None
    max_memory_used_mb: int | None = None
    duration_avg_ms_per_minute: tuple[float | None, ...] | None = None
    duration_p99_ms: float | None = None
    skipped: Mapping[str, int] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    @property
    def aggregated(self) -> bool:
        """True when the source counts requests per period instead of listing them."""
        return self.arrivals_s is None

    @property
    def span_s(self) -> float:
        """Seconds from ``start`` to ``end``."""
        return (self.end - self.start).total_seconds()

    @property
    def minutes(self) -> int:
        """Minutes covered by :attr:`per_minute`."""
        return len(self.per_minute)


def _minute(epoch_s: float) -> int:
    return math.floor(epoch_s / SECONDS_PER_MINUTE)


def _most_common(values: Iterable[int | None]) -> int | None:
    counts: dict[int, int] = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    return max(sorted(counts), key=counts.__getitem__) if counts else None


def from_requests(format: str, requests: Iterable[Request], *, skipped: Mapping[str, int],
                  sources: Sequence[str]) -> Traffic:
    """A :class:`Traffic` from per-request records in any order.

    Records with the same ``key`` are counted once (the same REPORT in two exported files), the
    extra copies counted in ``skipped["duplicate"]``; the rest are sorted by arrival.
    """
    skipped = dict(skipped)
    seen: set[str] = set()
    kept: list[Request] = []
    for request in requests:
        if request.key is not None:
            if request.key in seen:
                skipped["duplicate"] = skipped.get("duplicate", 0) + 1
                continue
            seen.add(request.key)
        kept.append(request)
    if not kept:
        where = ", ".join(sources) or "the input"
        raise TrafficError(where, "holds no request that could be read"
                           + (f" ({_skipped_text(skipped)} skipped)" if skipped else ""),
                           expected=f"at least one {format} record")
    kept.sort(key=lambda r: (r.arrival_epoch_s, r.duration_ms))
    first = kept[0].arrival_epoch_s
    last = kept[-1].arrival_epoch_s
    first_minute = _minute(first)
    per_minute = [0] * (_minute(last) - first_minute + 1)
    for request in kept:
        per_minute[_minute(request.arrival_epoch_s) - first_minute] += 1
    colds = [r.cold for r in kept]
    inits = [r.init_ms for r in kept]
    known_cold = all(c is not None for c in colds)
    return Traffic(
        format=format, start=utc(first), end=utc(last), invocations=len(kept),
        per_minute=tuple(per_minute),
        arrivals_s=array("d", (r.arrival_epoch_s - first for r in kept)),
        durations_ms=array("d", (r.duration_ms for r in kept)),
        cold=tuple(bool(c) for c in colds) if known_cold else None,
        init_ms=(array("d", (i or 0.0 for i in inits)) if known_cold else None),
        memory_mb=_most_common(r.memory_mb for r in kept),
        max_memory_used_mb=max((r.max_memory_used_mb for r in kept
                                if r.max_memory_used_mb is not None), default=None),
        skipped=skipped, sources=tuple(sources))


def _spread(total: float, minutes: int) -> list[int]:
    """``total`` requests over ``minutes`` minutes in whole requests, the remainder going to the
    first minutes, so that the sum is ``round(total)``."""
    whole = round(total)
    base, extra = divmod(whole, minutes)
    return [base + (1 if i < extra else 0) for i in range(minutes)]


def from_periods(format: str, periods: Iterable[Period], *, skipped: Mapping[str, int],
                 sources: Sequence[str]) -> Traffic:
    """A :class:`Traffic` from aggregated periods in any order (of any length, a whole number of
    minutes each). Two periods starting at the same time are counted once (the later copy is
    ``skipped["duplicate"]``)."""
    skipped = dict(skipped)
    by_start: dict[float, Period] = {}
    for period in periods:
        if period.start_epoch_s in by_start:
            skipped["duplicate"] = skipped.get("duplicate", 0) + 1
            continue
        by_start[period.start_epoch_s] = period
    if not by_start:
        where = ", ".join(sources) or "the input"
        raise TrafficError(where, "holds no period that could be read"
                           + (f" ({_skipped_text(skipped)} skipped)" if skipped else ""),
                           expected=f"at least one {format} data point")
    ordered = [by_start[s] for s in sorted(by_start)]
    first_minute = _minute(ordered[0].start_epoch_s)
    last_minute = max(_minute(p.start_epoch_s) + max(1, round(p.period_s / SECONDS_PER_MINUTE))
                      for p in ordered)
    per_minute = [0] * (last_minute - first_minute)
    durations: list[float | None] = [None] * len(per_minute)
    for p in ordered:
        minutes = max(1, round(p.period_s / SECONDS_PER_MINUTE))
        offset = _minute(p.start_epoch_s) - first_minute
        for i, count in enumerate(_spread(p.invocations, minutes)):
            per_minute[offset + i] += count
            if p.duration_avg_ms is not None:
                durations[offset + i] = p.duration_avg_ms
    p99s = [p.duration_p99_ms for p in ordered if p.duration_p99_ms is not None]
    start_s = ordered[0].start_epoch_s
    end_s = max(p.start_epoch_s + p.period_s for p in ordered)
    return Traffic(
        format=format, start=utc(start_s), end=utc(end_s), invocations=sum(per_minute),
        per_minute=tuple(per_minute),
        duration_avg_ms_per_minute=(tuple(durations) if any(d is not None for d in durations)
                                    else None),
        duration_p99_ms=max(p99s) if p99s else None, skipped=skipped, sources=tuple(sources))


def _skipped_text(skipped: Mapping[str, int]) -> str:
    return ", ".join(f"{count:,} {reason}" for reason, count in sorted(skipped.items()))
