"""Read traffic files into a :class:`~ec2vslambda.traffic.Traffic`: :func:`read`.

A file's format is told from its content (its first 64 kB, decompressed), not its name, or
named with ``format=``. Every file of one call must be of one format. Each file is read as a
stream, line by line or event by event, so a 2 GB log never sits in memory whole; per-request
formats keep only a few numbers per request (:class:`~ec2vslambda.traffic.model.Columns`).

Many files (a month of ALB logs is thousands of ``.gz`` files) can be read in parallel with
Dask: ``read(*paths, scheduler="processes")`` on this machine, or ``scheduler=client`` with a
``distributed.Client``. The files are split into batches, each batch parsed by a worker, and
the batches joined in the order the files were given, so the result is exactly the serial
one. Dask is imported only then (it is in the package's ``trace`` extra).

Standard library only at module level: the same code reads a file dropped into the browser.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from ..validation import choice
from ..words import term
from . import alb, azure, cloudwatch, lambda_logs, plain_csv
from .model import Columns, Series, Traffic, TrafficError, from_columns, from_series
from .sources import Source, broken, open_text

__all__ = ["DESCRIPTIONS", "FORMATS", "Format", "batches_for", "combine", "detect", "parse_batch",
           "parse_file", "parse_files", "read"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Format:
    """One layout the readers know: ``name`` (what ``format=`` takes and
    :attr:`Traffic.format` says), a one-line ``description``, whether it lists ``requests``
    or counts ``periods``, how to recognise it (``sniff(prefix, file_name)``) and how to
    parse one file (``parse(text, file_name) -> (Columns or Series, skipped)``), or all of
    them at once (``parse_all``, for files that must be joined, such as Azure's two files of a
    day)."""

    name: str
    description: str
    kind: str
    sniff: Callable[[str, str], bool]
    parse: Callable[[TextIO, str], tuple[Columns | Series, dict[str, int]]] | None = None
    parse_all: Callable | None = None


_ALL = (
    Format("alb", "Application Load Balancer access log (plain or .gz)", "requests",
           alb.sniff, alb.parse),
    Format("lambda-insights", "CloudWatch Logs Insights CSV export (@timestamp, @message)",
           "requests", lambda_logs.sniff_insights, lambda_logs.parse_insights),
    Format("lambda-text", "Lambda REPORT lines with a leading timestamp (aws logs tail, "
           "CloudWatch Logs export)", "requests", lambda_logs.sniff_text,
           lambda_logs.parse_text),
    Format("lambda-events", "aws logs filter-log-events / get-log-events JSON", "requests",
           lambda_logs.sniff_events, lambda_logs.parse_events),
    Format("lambda-json", "Lambda JSON log format records (platform.report), one per line",
           "requests", lambda_logs.sniff_json_lines, lambda_logs.parse_json_lines),
    Format("metric-data", "aws cloudwatch get-metric-data JSON (Invocations, Duration)",
           "periods", cloudwatch.sniff_metric_data, cloudwatch.parse_metric_data),
    Format("metric-statistics", "aws cloudwatch get-metric-statistics JSON, one metric per "
           "file", "periods", cloudwatch.sniff_statistics, cloudwatch.parse_statistics),
    Format("azure", "Azure Functions 2019 trace day files (invocations, durations)", "periods",
           azure.sniff, parse_all=azure.parse_all),
    Format("csv", "plain CSV: timestamp, duration_ms (optional cold, init_ms, memory_mb, "
           "request_id)", "requests", plain_csv.sniff, plain_csv.parse),
    Format("metrics-csv", "CloudWatch metrics as CSV: a time column, then Invocations, "
           "Duration, Duration p99", "periods", cloudwatch.sniff_csv, cloudwatch.parse_csv),
)
_BY_NAME = {f.name: f for f in _ALL}
FORMATS: tuple[str, ...] = tuple(f.name for f in _ALL)
"""The format names :func:`read` knows, in the order detection tries them."""
DESCRIPTIONS: dict[str, str] = {f.name: f.description for f in _ALL}
"""A one-line description of each format, for help texts."""

CSV_LAYOUTS = ("timestamp,duration_ms (csv); @timestamp,@message (lambda-insights); a time "
               "column and an Invocations column (metrics-csv); HashOwner,HashApp,HashFunction,"
               "… (azure)")


def _format(name: str) -> Format:
    if name not in _BY_NAME:
        choice("format", name, FORMATS)
    return _BY_NAME[name]


def _sniffed(prefix: str, name: str) -> Format:
    for candidate in _ALL:
        if candidate.sniff(prefix, name):
            return candidate
    first = next((line for line in prefix.splitlines() if line.strip()), "")
    if "," in first and not first.lstrip().startswith(("{", "[")):
        raise TrafficError(name, term("is a CSV file whose header matches no layout read here "
                                      "(its header: {header})"), line=1, expected=CSV_LAYOUTS,
                           details={"header": first[:120]})
    raise TrafficError(name, term("is in no format read here (its first line: {first})"),
                       expected=term("one of {formats}"),
                       details={"first": repr(first[:80]), "formats": ", ".join(FORMATS)})


def detect(source: object) -> str:
    """The format of one file (a path or a binary file object), from its content."""
    source = Source.of(source)
    prefix, text = open_text(source)
    text.close()
    return _sniffed(prefix, source.name).name


def parse_file(source: object, format: str | None = None, *,
               report: Callable[[int], None] | None = None,
               like: tuple[str, str] | None = None
               ) -> tuple[str, Columns | Series, dict[str, int]]:
    """``(format, part, skipped)`` for one file: its format (told from its content unless
    given) and what it says. ``report(bytes_done)`` follows the file on disk. ``like``:
    ``(format, file name)`` of the call's first file; a file of another format is refused
    before it is parsed."""
    source = Source.of(source)
    prefix, text = open_text(source, report=report)
    with text:
        found = _format(format) if format is not None else _sniffed(prefix, source.name)
        if like is not None and found.name != like[0]:
            raise _mixed(source.name, found.name, like[1], like[0])
        if found.parse is None:
            raise TrafficError(source.name, f"is a {found.name} file, whose files are read "
                               "together", expected=f"read(..., format={found.name!r})")
        try:
            part, skipped = found.parse(text, source.name)
        except (EOFError, OSError) as error:
            raise broken(source.name, error) from None
    return found.name, part, skipped


def combine(format: str, parts: Sequence[Columns | Series], *, skipped: dict[str, int],
            sources: Sequence[str]) -> Traffic:
    """The :class:`Traffic` of the parts parsed from the files of one call, in their order."""
    if _format(format).kind == "requests":
        columns = [part for part in parts if isinstance(part, Columns)]
        assert len(columns) == len(parts), "a per-request format's readers return Columns"
        return from_columns(format, columns, skipped=skipped, sources=sources)
    series = [part for part in parts if isinstance(part, Series)]
    assert len(series) == len(parts), "an aggregated format's readers return Series"
    return from_series(format, series, skipped=skipped, sources=sources)


def _add(total: dict[str, int], more: dict[str, int]) -> None:
    for reason, count in more.items():
        total[reason] = total.get(reason, 0) + count


def _mixed(name: str, found: str, first_name: str, first: str) -> TrafficError:
    return TrafficError(name, f"is {found} but {first_name} is {first}",
                        expected="files of one format in one call")


class _Meter:
    """Bytes done over all files, for ``on_progress(done, total)``."""

    def __init__(self, sources: Sequence[Source], on_progress: Progress | None):
        self.on_progress = on_progress
        self.sizes = [s.size() or 0 for s in sources] if on_progress else [0] * len(sources)
        self.before = [0, *itertools.accumulate(self.sizes)]
        self.total = self.before[-1]

    def file(self, index: int) -> Callable[[int], None] | None:
        if self.on_progress is None:
            return None
        before, total, report = self.before[index], self.total, self.on_progress
        return lambda done: report(min(before + done, total), total)

    def add(self, done: int) -> None:
        if self.on_progress is not None:
            self.on_progress(min(done, self.total), self.total)


def read(*paths: object, format: str | None = None, scheduler: object = None,
         on_progress: Progress | None = None) -> Traffic:
    """Read traffic files of one format into a :class:`Traffic`.

    paths: file paths, or binary file objects with a ``name`` (plain or gzip-compressed).
    format: one of :data:`FORMATS`; by default each file's is told from its content.
    scheduler: read the files in parallel with Dask: ``"processes"``, ``"threads"``,
        ``"sync"``, or a ``distributed.Client``. Paths only.
    on_progress: called now and then with ``(bytes_done, bytes_total)`` of the files on disk.

    Raises :class:`TrafficError` (a ``ValueError``) naming the file, and the line where it
    helps, for a file that cannot be read: missing, empty, binary, a truncated ``.gz``, in no
    known format, a CSV without the needed columns, or of another format than the call's
    first file. A malformed record inside a good file is left out and counted in
    :attr:`Traffic.skipped` under its reason.
    """
    format, parts, skipped, names = parse_files(*paths, format=format, scheduler=scheduler,
                                                on_progress=on_progress)
    return combine(format, parts, skipped=skipped, sources=names)


def parse_files(*paths: object, format: str | None = None, scheduler: object = None,
                on_progress: Progress | None = None
                ) -> tuple[str, list[Columns | Series], dict[str, int], list[str]]:
    """What :func:`read` does before :func:`combine`: ``(format, parts, skipped, names)``,
    the files parsed (in parallel with a ``scheduler``) but not yet joined."""
    if not paths:
        raise TrafficError("read()", "was given no file", expected="one or more paths")
    sources = [Source.of(p) for p in paths]
    wanted = None if format is None else _format(format).name
    first = wanted or detect(sources[0])
    meter = _Meter(sources, on_progress)
    skipped: dict[str, int] = {}
    parse_all = _BY_NAME[first].parse_all
    if parse_all is not None:
        if wanted is None:
            for source in sources[1:]:
                found = detect(source)
                if found != first:
                    raise _mixed(source.name, found, sources[0].name, first)
        parts, skipped = parse_all(
            sources, lambda source: meter.file(sources.index(source)))
    elif scheduler is not None:
        parts, skipped = _read_parallel(sources, wanted, first, scheduler, meter)
    else:
        parts = []
        for index, source in enumerate(sources):
            _, part, more = parse_file(source, wanted, report=meter.file(index),
                                       like=(first, sources[0].name))
            parts.append(part)
            _add(skipped, more)
    meter.add(meter.total)
    return first, parts, skipped, [s.name for s in sources]


# --- many files with Dask -------------------------------------------------------------------

BATCHES_PER_WORKER = 8


def parse_batch(paths: Sequence[str], format: str | None
                ) -> tuple[list[str], Columns | list[Series], dict[str, int]]:
    """Parse several files in a worker: ``([format found per path], part(s), skipped)``.

    Per-request files come back as one :class:`Columns` holding their records in the order
    of ``paths``; aggregated files as a list of :class:`Series`."""
    found: list[str] = []
    parts: list = []
    skipped: dict[str, int] = {}
    for path in paths:
        name, part, more = parse_file(path, format)
        found.append(name)
        parts.append(part)
        _add(skipped, more)
    if parts and isinstance(parts[0], Columns):
        return found, Columns.concat(parts), skipped
    return found, parts, skipped


def _workers(scheduler: object) -> int:
    info = getattr(scheduler, "scheduler_info", None)
    if callable(info):
        return max(1, len(info().get("workers", {})))
    return os.cpu_count() or 1


def batches_for(paths: Sequence[str], workers: int) -> list[list[str]]:
    """``paths`` in order, cut into about :data:`BATCHES_PER_WORKER` batches per worker (many
    small tasks cost the scheduler more than they spread the work)."""
    count = min(len(paths), max(1, workers * BATCHES_PER_WORKER))
    size = -(-len(paths) // count)
    return [list(paths[i:i + size]) for i in range(0, len(paths), size)]


def _read_parallel(sources: Sequence[Source], wanted: str | None, first: str, scheduler,
                   meter: _Meter):
    import dask  # noqa: PLC0415 (the trace extra; the browser never comes here)

    paths = [s.path for s in sources if s.path is not None]
    if len(paths) < len(sources):
        raise TrafficError(next(s.name for s in sources if s.path is None), "is a file object",
                           expected="paths when reading with a Dask scheduler")
    batches = batches_for(paths, _workers(scheduler))
    tasks = [dask.delayed(parse_batch, pure=False)(batch, wanted) for batch in batches]
    ends = list(itertools.accumulate(len(b) for b in batches))
    sizes = [meter.before[end] - meter.before[end - len(b)] for b, end in zip(batches, ends,
                                                                              strict=True)]
    if hasattr(scheduler, "compute") and hasattr(scheduler, "gather"):
        results = _on_cluster(scheduler, tasks, sizes, meter)
    else:
        results = _on_local(dask, scheduler, tasks, sizes, meter)
    parts: list = []
    skipped: dict[str, int] = {}
    names = iter(sources)
    for found, part, more in results:
        for name in found:
            source = next(names)
            if name != first:
                raise _mixed(source.name, name, sources[0].name, first)
        parts.extend([part] if isinstance(part, Columns) else part)
        _add(skipped, more)
    return parts, skipped


def _on_local(dask, scheduler, tasks, sizes, meter: _Meter):
    from dask.callbacks import Callback  # noqa: PLC0415

    by_key = {task.key: size for task, size in zip(tasks, sizes, strict=True)}
    done = [0]

    def finished(key, result, dsk, state, worker_id):
        if key in by_key:
            done[0] += by_key[key]
            meter.add(done[0])

    with Callback(posttask=finished):
        return dask.compute(*tasks, scheduler=scheduler)


def _on_cluster(client, tasks, sizes, meter: _Meter):
    from distributed import as_completed  # noqa: PLC0415

    futures = client.compute(tasks)
    where = {future.key: i for i, future in enumerate(futures)}
    results: list = [None] * len(futures)
    done = 0
    for future in as_completed(futures):
        i = where[future.key]
        results[i] = future.result()
        done += sizes[i]
        meter.add(done)
    return results
