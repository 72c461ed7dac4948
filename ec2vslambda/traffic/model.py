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

import bisect
import itertools
import math
import operator
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..words import say, word

__all__ = ["Columns", "Period", "Request", "Series", "Traffic", "TrafficError", "from_columns",
           "from_periods", "from_requests", "from_series", "key_of", "utc"]

SECONDS_PER_MINUTE = 60


class TrafficError(ValueError):
    """A traffic file cannot be read. The message names the file (and the line, where it helps)
    and says what was expected; the parts stay available to a front end. ``problem`` and
    ``expected`` may be templates whose fields ``details`` fills (already formatted), so that
    :meth:`words` can say them in another language."""

    def __init__(self, path: str, problem: str, *, line: int | None = None,
                 expected: str | None = None, details: Mapping[str, str] | None = None):
        self.path = path
        self.line = line
        self.problem = problem
        self.expected = expected
        self.details = dict(details or {})
        where = f"{path}, line {line:,}" if line is not None else path
        text = f"{where}: {self._fill(problem)}"
        super().__init__(text + (f"; expected {self._fill(expected)}" if expected else ""))

    def _fill(self, template: str) -> str:
        """``template`` with its fields filled (a problem without details is plain text, braces
        and all)."""
        return template.format(**self.details) if self.details else template

    def words(self) -> str:
        """The message in the active catalogue's language (:mod:`ec2vslambda.words`): the same
        sentence as ``str(self)`` in English; parts without a translation stay English."""
        where = (say("{path}, line {line}", path=self.path, line=f"{self.line:,}")
                 if self.line is not None else self.path)
        text = say("{where}: {problem}", where=where, problem=self._fill(word(self.problem)))
        if not self.expected:
            return text
        return say("{text}; expected {expected}", text=text,
                   expected=self._fill(word(self.expected)))


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
    """The most frequent value other than None and 0 (unknown); the smallest on a tie."""
    counts = Counter(value for value in values if value)
    return max(sorted(counts), key=counts.__getitem__) if counts else None


NO_KEY = -1  # Columns.keys: the record has no identity, so it is never a duplicate
UNKNOWN = 2  # Columns.cold: the source does not say whether this record was a cold start


@dataclass
class Columns:
    """Per-request records, one array per field: what the readers build, line by line, and
    what :func:`from_columns` turns into a :class:`Traffic`.

    arrivals_epoch_s, durations_ms: one value per record.
    keys: per record, a CRC-32 of its identity (a RequestId, an access-log line), or
        :data:`NO_KEY`; two records with the same arrival and the same key are one event seen
        twice. ``None`` when the source has no identity at all.
    cold: per record, 1 for a cold start, 0 for a warm one, :data:`UNKNOWN`; ``None`` when the
        source never says.
    init_ms: per record, the INIT (or SnapStart restore) duration, 0 where warm; ``None`` with
        ``cold``.
    memory_mb: per record, the function's memory setting, 0 where unknown; ``None`` when the
        source never says.
    max_memory_used_mb: the most memory any record reports using, or ``None``.

    Arrays pickle compactly, so a parallel read ships columns back from its workers cheaply.
    """

    arrivals_epoch_s: array = field(default_factory=lambda: array("d"))
    durations_ms: array = field(default_factory=lambda: array("d"))
    keys: array | None = None
    cold: bytearray | None = None
    init_ms: array | None = None
    memory_mb: array | None = None
    max_memory_used_mb: int | None = None

    @classmethod
    def empty(cls, *, keys: bool = False, cold: bool = False, memory: bool = False) -> Columns:
        """Empty columns with the optional fields a source fills."""
        return cls(keys=array("q") if keys else None, cold=bytearray() if cold else None,
                   init_ms=array("d") if cold else None,
                   memory_mb=array("l") if memory else None)

    def __len__(self) -> int:
        return len(self.arrivals_epoch_s)

    @classmethod
    def concat(cls, parts: Sequence[Columns]) -> Columns:
        """One :class:`Columns` holding every part's records in order; an optional field is
        kept where any part has it (``cold`` only where all do), records of a part without it
        getting NO_KEY, UNKNOWN or 0."""
        if len(parts) == 1:
            return parts[0]
        out = cls.empty(keys=any(p.keys is not None for p in parts),
                        cold=bool(parts) and all(p.cold is not None for p in parts),
                        memory=any(p.memory_mb is not None for p in parts))
        for p in parts:
            n = len(p)
            out.arrivals_epoch_s.extend(p.arrivals_epoch_s)
            out.durations_ms.extend(p.durations_ms)
            if out.keys is not None:
                out.keys.extend(p.keys if p.keys is not None else array("q", [NO_KEY]) * n)
            if out.cold is not None and out.init_ms is not None:
                assert p.cold is not None and p.init_ms is not None  # every part has cold here
                out.cold.extend(p.cold)
                out.init_ms.extend(p.init_ms)
            if out.memory_mb is not None:
                out.memory_mb.extend(p.memory_mb if p.memory_mb is not None
                                     else array("l", [0]) * n)
            if p.max_memory_used_mb is not None:
                out.max_memory_used_mb = max(out.max_memory_used_mb or 0, p.max_memory_used_mb)
        return out


def key_of(identity: str) -> int:
    """The :attr:`Columns.keys` value of a record's identity (a RequestId, a whole log line)."""
    return zlib.crc32(identity.encode("utf-8", "surrogatepass"))


def _stable_order(values: array) -> list[int] | None:
    """Indices that sort ``values`` (ties keep their order), or ``None`` when already sorted."""
    if all(map(operator.le, values, itertools.islice(values, 1, None))):
        return None
    return sorted(range(len(values)), key=values.__getitem__)


def _repeats(sorted_epochs: array, keys: array) -> list[int]:
    """Positions of records that repeat an earlier one: the same arrival and the same key.

    Only runs of equal arrivals are compared (found at C speed), so no set of every key is
    ever built."""
    n = len(sorted_epochs)
    ties = itertools.compress(range(1, n), map(operator.eq, sorted_epochs,
                                               itertools.islice(sorted_epochs, 1, None)))
    repeats: list[int] = []
    run_end = -1
    seen: set[int] = set()
    for i in ties:
        if i - 1 != run_end:  # a new run of equal arrivals starts at i - 1
            seen = {keys[i - 1]}
        run_end = i
        key = keys[i]
        if key == NO_KEY:
            continue
        if key in seen:
            repeats.append(i)
        else:
            seen.add(key)
    return repeats


def _per_minute(sorted_epochs: Sequence[float]) -> tuple[int, ...]:
    """Invocations in each UTC minute from the first arrival's minute to the last's: the
    minute of ``t`` is the ``m`` with ``60 m <= t < 60 (m + 1)``."""
    first = _minute(sorted_epochs[0])
    last = _minute(sorted_epochs[-1])
    edges = [bisect.bisect_left(sorted_epochs, (m + 1) * SECONDS_PER_MINUTE)
             for m in range(first, last)]
    edges.append(len(sorted_epochs))
    return (edges[0], *(b - a for a, b in itertools.pairwise(edges)))


def from_columns(format: str, parts: Sequence[Columns], *, skipped: Mapping[str, int],
                 sources: Sequence[str]) -> Traffic:
    """A :class:`Traffic` from per-request columns, in the order the files were given.

    The records are sorted by arrival; ties keep their order, so reading files one by one or in
    parallel gives the same result. A record with the same arrival and the same key as an
    earlier one (the same REPORT in two exported files) is counted once, the copies in
    ``skipped["duplicate"]``.
    """
    skipped = dict(skipped)
    joined = Columns.concat(parts)
    if not len(joined):
        where = ", ".join(sources) or "the input"
        raise TrafficError(where, "holds no request that could be read"
                           + (f" ({_skipped_text(skipped)} skipped)" if skipped else ""),
                           expected=f"at least one {format} record")
    order = _stable_order(joined.arrivals_epoch_s)

    def sort(values, typecode):
        if values is None or order is None:
            return values
        return array(typecode, map(values.__getitem__, order))

    epochs = sort(joined.arrivals_epoch_s, "d")
    durations = sort(joined.durations_ms, "d")
    cold = None if joined.cold is None else bytes(sort(joined.cold, "B"))
    init = sort(joined.init_ms, "d")
    memory = sort(joined.memory_mb, "l")
    if joined.keys is not None:
        repeats = _repeats(epochs, sort(joined.keys, "q"))
        if repeats:
            skipped["duplicate"] = skipped.get("duplicate", 0) + len(repeats)
            keep = bytearray(b"\x01") * len(epochs)
            for i in repeats:
                keep[i] = 0

            def kept(values, typecode):
                return None if values is None else array(typecode,
                                                          itertools.compress(values, keep))

            epochs, durations = kept(epochs, "d"), kept(durations, "d")
            init, memory = kept(init, "d"), kept(memory, "l")
            cold = None if cold is None else bytes(itertools.compress(cold, keep))
    first = epochs[0]
    known_cold = cold if cold is not None and UNKNOWN not in cold else None
    return Traffic(
        format=format, start=utc(first), end=utc(epochs[-1]), invocations=len(epochs),
        per_minute=_per_minute(epochs),
        arrivals_s=array("d", map(first.__rsub__, epochs)),  # t - first, at C speed
        durations_ms=array("d", durations),
        cold=tuple(map(bool, known_cold)) if known_cold is not None else None,
        init_ms=array("d", init) if known_cold is not None else None,
        memory_mb=None if memory is None else _most_common(memory),
        max_memory_used_mb=joined.max_memory_used_mb, skipped=skipped, sources=tuple(sources))


def from_requests(format: str, requests: Iterable[Request], *, skipped: Mapping[str, int],
                  sources: Sequence[str]) -> Traffic:
    """A :class:`Traffic` from per-request records in any order.

    Records with the same ``key`` and the same arrival are counted once (the same REPORT in two
    exported files), the extra copies counted in ``skipped["duplicate"]``; the same key at
    another time is another invocation (Lambda keeps a RequestId when it retries). The rest are
    sorted by arrival, ties in the order given.
    """
    keys, cold, init_ms, memory_mb = array("q"), bytearray(), array("d"), array("l")
    columns = Columns(keys=keys, cold=cold, init_ms=init_ms, memory_mb=memory_mb)
    for r in requests:
        columns.arrivals_epoch_s.append(r.arrival_epoch_s)
        columns.durations_ms.append(r.duration_ms)
        keys.append(NO_KEY if r.key is None else key_of(r.key))
        cold.append(UNKNOWN if r.cold is None else int(r.cold))
        init_ms.append(r.init_ms or 0.0)
        memory_mb.append(r.memory_mb or 0)
        if r.max_memory_used_mb is not None:
            columns.max_memory_used_mb = max(columns.max_memory_used_mb or 0,
                                             r.max_memory_used_mb)
    return from_columns(format, [columns], skipped=skipped, sources=sources)


@dataclass
class Series:
    """What one aggregated file says, period by period: what the metrics readers build, and
    what :func:`from_series` turns into a :class:`Traffic`.

    counts: period start (epoch s) -> invocations (CloudWatch ``Invocations``, Sum).
    averages, p99s: period start -> average and p99 ``Duration`` (ms).
    samples: period start -> ``Duration``'s SampleCount, the invocations that reported a
        duration: the count when a file has no ``Invocations``.
    period_s: the period's length when the format fixes it; ``None``: read from the spacing
        of the data points.
    listed: period starts the file lists even without a value (a CSV row with empty cells),
        which also tell the period.
    source: the file's name, for messages.
    """

    source: str
    counts: dict[float, float] = field(default_factory=dict)
    averages: dict[float, float] = field(default_factory=dict)
    p99s: dict[float, float] = field(default_factory=dict)
    samples: dict[float, float] = field(default_factory=dict)
    period_s: float | None = None
    listed: set[float] = field(default_factory=set)

    ROLES = {"counts": "Invocations", "averages": "Duration average", "p99s": "Duration p99",
             "samples": "Duration SampleCount"}

    def starts(self) -> list[float]:
        """Every period start the file mentions."""
        return [*self.counts, *self.averages, *self.p99s, *self.samples, *self.listed]

    def put(self, role: str, start_s: float, value: float, skipped: dict[str, int],
            label: str = "") -> None:
        """Record ``value`` for ``start_s`` in the ``role`` dict; the same value twice is a
        duplicate (counted in ``skipped``), a different one a conflict (TrafficError)."""
        values = getattr(self, role)
        old = values.get(start_s)
        if old is None:
            values[start_s] = value
        elif old == value:
            skipped["duplicate"] = skipped.get("duplicate", 0) + 1
        else:
            raise TrafficError(self.source, f"has two {label or self.ROLES[role]} values for "
                               f"the period "
                               f"starting {utc(start_s):%Y-%m-%d %H:%M:%S} UTC ({old:g} and "
                               f"{value:g})", expected="one series per metric (one function, "
                               "one statistic)")


def _gcd_spacing_s(starts: Iterable[float]) -> int | None:
    ordered = sorted({round(s) for s in starts})
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    return math.gcd(*gaps) if gaps else None


def _period_of(series: Series, others: Sequence[Series]) -> float:
    if series.period_s is not None:
        return series.period_s
    own = _gcd_spacing_s(series.starts())
    if own is None:  # a single data point: take the other files' period
        found = {gcd for o in others if (gcd := _gcd_spacing_s(o.starts())) is not None}
        if len(found) != 1:
            raise TrafficError(series.source, "has a single data point, so its period cannot "
                               "be told", expected="two or more data points (the period is read "
                               "from their spacing)")
        own = found.pop()
    if own < SECONDS_PER_MINUTE or own % SECONDS_PER_MINUTE:
        raise TrafficError(series.source, f"has data points {own} s apart", expected="a period "
                           "of a whole number of minutes (Lambda's metrics have one-minute "
                           "resolution)")
    return float(own)


def from_series(format: str, parts: Sequence[Series], *, skipped: Mapping[str, int],
                sources: Sequence[str]) -> Traffic:
    """A :class:`Traffic` from aggregated files of one format (all of one period length).

    Each file's period is its own (``period_s``) or the largest spacing that divides the gaps
    between its data points (a period with no invocations has no data point, so the gaps are
    whole numbers of periods). The same data point in two files is counted once; two different
    values for the same period are refused."""
    skipped = dict(skipped)
    periods = {p.source: _period_of(p, parts) for p in parts}
    if len(set(periods.values())) > 1:
        (a, pa), (b, pb) = sorted(periods.items(), key=lambda kv: kv[1])[::len(periods) - 1]
        raise TrafficError(b, f"has {pb:g}-second periods but {a} has {pa:g}-second ones",
                           expected="files of one period length in one call")
    merged = Series(source=", ".join(sources))
    origin: dict[tuple[str, float], str] = {}
    for part in parts:
        for role in Series.ROLES:
            values = getattr(merged, role)
            for start, value in getattr(part, role).items():
                old = values.get(start)
                if old is not None and old != value:
                    raise TrafficError(part.source, f"has {Series.ROLES[role]} {value:g} for "
                                       f"the period starting {utc(start):%Y-%m-%d %H:%M:%S} "
                                       f"UTC, {origin[role, start]} {old:g}",
                                       expected="one series per metric (one function, one "
                                       "statistic)")
                merged.put(role, start, value, skipped)
                origin.setdefault((role, start), part.source)
    counts = merged.counts or merged.samples
    if not counts:
        where = ", ".join(sources) or "the input"
        raise TrafficError(where, "has no invocation counts", expected="an Invocations series "
                           "(Sum), or a Duration series with SampleCount")
    period_s = next(iter(periods.values()))
    return from_periods(format, [Period(start, period_s, count, merged.averages.get(start),
                                        merged.p99s.get(start))
                                 for start, count in counts.items()],
                        skipped=skipped, sources=sources)


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
