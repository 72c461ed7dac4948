"""How fast the traffic readers are (issue 18). Prints figures; asserts nothing.

1. Each reader on one core: records a second, in CPU time (``time.process_time``, which a
   busy shared machine disturbs less than the wall clock; both are printed). Target: at least
   250,000 REPORT or ALB lines a second in CPython.
2. A synthetic month of ALB access logs, about 10 million lines in 8,640 gzip files (one every
   five minutes, as one load-balancer node writes them), read with Dask's ``processes``
   scheduler on this machine's cores. Target: at most 60 s. The time is split into the
   parallel parse (each worker decompresses and parses its batches of files), the part of it
   spent decompressing (timed alone by a second pass that only decompresses), and the merge in
   the calling process (sorting and de-duplicating the 10 million requests). Writing the files
   is not timed.

The machine is shared, so the month is reported three ways: the wall-clock time as it ran,
the CPU seconds each part used (in the workers and in this process), and from those the time
the same work takes on otherwise idle cores (the workers' and this process's CPU seconds over
the cores, plus the merge, which runs alone).

Usage: ``python benchmarks/bench_traffic.py [--skip-month] [--files 8640] [--lines 10000000]
[--keep DIR]``; ``--keep`` writes (or reuses) the month's files in DIR instead of a temporary
folder that is removed afterwards. Writing the month (0.5 GB of gzip) takes one to several
minutes before the timed part.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ec2vslambda.traffic import Period, Request, readers, writers  # noqa: E402

T0 = 1_772_323_200.0  # 2026-03-01T00:00:00Z
TARGET_LINES_PER_S = 250_000
TARGET_MONTH_S = 60.0


def _requests(count: int, seed: int = 1) -> list[Request]:
    rng = random.Random(seed)
    out, t = [], T0
    for n in range(count):
        t += rng.expovariate(50.0)
        cold = rng.random() < 0.02
        out.append(Request(round(t, 6), round(rng.lognormvariate(4.5, 0.6), 2), cold=cold,
                           init_ms=round(rng.uniform(150, 400), 2) if cold else None,
                           memory_mb=512, max_memory_used_mb=60 + n % 40,
                           key=writers.request_id(n)))
    return out


def _periods(minutes: int) -> list[Period]:
    rng = random.Random(2)
    return [Period(T0 + 60 * m, 60, rng.randint(0, 400), rng.uniform(50, 150),
                   rng.uniform(200, 900)) for m in range(minutes)]


def _time(function):
    cpu, wall = time.process_time(), time.perf_counter()
    result = function()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def per_reader(folder: Path, count: int) -> None:
    requests = _requests(count)
    month = _periods(30 * 1440)
    files = {
        "alb": ("alb.log", "".join(writers.alb_lines(requests)).encode(), count),
        "alb (.gz)": ("alb.log.gz", gzip.compress("".join(writers.alb_lines(requests))
                                                  .encode(), 6), count),
        "lambda-text": ("report.log", writers.lambda_text(requests).encode(), count),
        "lambda-events": ("events.json", writers.lambda_events(requests).encode(), count),
        "lambda-insights": ("insights.csv", writers.lambda_insights(requests).encode(), count),
        "lambda-json": ("records.log", writers.lambda_json(requests, starts=False).encode(),
                        count),
        "csv": ("requests.csv", writers.plain_csv(requests).encode(), count),
        "metric-data (a month, 1 min)": ("metrics.json", writers.metric_data(month).encode(),
                                         3 * len(month)),
        "metrics-csv (a month, 1 min)": ("metrics.csv", writers.metrics_csv(month).encode(),
                                         3 * len(month)),
    }
    print(f"1. one reader, one core ({count:,} requests; a month = {len(month):,} one-minute "
          "periods x 3 series):")
    for label, (name, body, records) in files.items():
        path = folder / name
        path.write_bytes(body)
        _, cpu, wall = _time(lambda p=path: readers.parse_file(p))
        unit = "data points" if "metric" in label else "lines"
        note = ""
        if label.startswith(("alb", "lambda-text")):
            note = (f"  (target >= {TARGET_LINES_PER_S:,}: "
                    f"{'met' if records / cpu >= TARGET_LINES_PER_S else 'NOT met'})")
        print(f"   {label:30s} {records / cpu:>11,.0f} {unit}/s CPU "
              f"({records / wall:>9,.0f}/s wall, {len(body) / 1e6:6.1f} MB){note}")
    week = readers.parse_files(*_azure_week(), format="azure")
    _, cpu, wall = _time(lambda: readers.parse_files(*_azure_week(), format="azure"))
    print(f"   {'azure (synthetic week, 7 days)':30s} {7 * 1440 / cpu:>11,.0f} minutes/s CPU "
          f"({cpu:.2f} s for {len(week[1])} days of 300 functions)")
    _, cpu, wall = _time(lambda: readers.read(folder / "alb.log"))
    print(f"   read() of the {count:,}-line ALB file, merge included: {cpu:.2f} s CPU "
          f"({count / cpu:,.0f} lines/s)")


def _azure_week():
    from ec2vslambda import workloads

    invocations, durations = workloads.azure_day_files(ROOT / "data" / "synthetic_week")
    return [*invocations, *durations]


# --- a month of ALB logs --------------------------------------------------------------------

ELB = "app/my-service/50dc6c495c0c9188"
ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-service/73e2d6bc24d8a067"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"


def _stamp(us: int, minutes: dict[int, str]) -> str:
    minute, rest = divmod(us, 60_000_000)
    prefix = minutes.get(minute)
    if prefix is None:
        prefix = minutes[minute] = time.strftime("%Y-%m-%dT%H:%M:", time.gmtime(minute * 60))
    return f"{prefix}{rest // 1_000_000:02d}.{rest % 1_000_000:06d}Z"


def _write_month_file(job: tuple[int, int, str]) -> int:
    """One five-minute file of one node: ``count`` requests arriving in its window, written
    in the order they finished (so their arrivals are not quite in order)."""
    index, count, path = job
    rng = random.Random(index)
    start_us = int(T0 * 1e6) + index * 300_000_000
    minutes: dict[int, str] = {}
    rows = []
    for n in range(count):
        arrival = start_us + rng.randrange(300_000_000)
        target_ms = max(1, int(rng.lognormvariate(4.2, 0.7)))
        sent = arrival + 1000 + target_ms * 1000
        rows.append((sent, arrival, target_ms, n))
    rows.sort()
    lines = []
    for sent, arrival, target_ms, n in rows:
        lines.append(
            f"https {_stamp(sent, minutes)} {ELB} 203.0.113.{n % 250 + 1}:{40000 + n} "
            f"10.0.1.{n % 4 + 10}:8080 0.001 {target_ms / 1000:.3f} 0.000 200 200 {200 + n % 90} "
            f"{600 + n % 700} \"GET https://api.example.com:443/v1/items/{n} HTTP/1.1\" "
            f"\"Mozilla/5.0 (X11; Linux x86_64) Example/1.0\" ECDHE-RSA-AES128-GCM-SHA256 "
            f"TLSv1.2 {ARN} \"Root=1-{arrival // 1_000_000:08x}-{index:012x}{n:012x}\" "
            f"\"api.example.com\" \"{CERT}\" 1 {_stamp(arrival, minutes)} \"forward\" \"-\" "
            f"\"-\" \"10.0.1.{n % 4 + 10}:8080\" \"200\" \"-\" \"-\" TID_{index:016x}{n:016x}\n")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1,
                                                mtime=0) as out:
        out.write("".join(lines).encode())
    return count


def _write_month_files(jobs: list[tuple[int, int, str]]) -> int:
    return sum(_write_month_file(job) for job in jobs)


def month_files(folder: Path, files: int, lines: int) -> list[Path]:
    """The month's files in ``folder`` (written once, on every core; reused when complete)."""
    import dask

    base, extra = divmod(lines, files)
    def name(i: int) -> str:  # as ALB names them: account, region, balancer, end time, node
        end = time.strftime("%Y%m%dT%H%MZ", time.gmtime(T0 + 300 * (i + 1)))
        return (f"123456789012_elasticloadbalancing_us-east-1_app.my-service.50dc6c495c0c9188_"
                f"{end}_10.0.1.5_{i:08x}.log.gz")

    jobs = [(i, base + (i < extra), str(folder / name(i))) for i in range(files)]
    marker = folder / f".complete-{files}-{lines}"
    if not marker.exists():
        started = time.perf_counter()
        tasks = [dask.delayed(_write_month_files)(jobs[i:i + 256])
                 for i in range(0, len(jobs), 256)]
        written = sum(dask.compute(*tasks, scheduler="processes"))
        marker.touch()
        size = sum(Path(j[2]).stat().st_size for j in jobs)
        print(f"   (wrote {written:,} lines in {files:,} files, {size / 1e9:.2f} GB compressed, "
              f"in {time.perf_counter() - started:.0f} s; not timed below)")
    return [Path(j[2]) for j in jobs]


def _decompress_batch(paths: list[str]) -> tuple[int, float]:
    """Decompress a batch of files and throw the bytes away: ``(bytes, CPU seconds)``."""
    cpu = time.process_time()
    total = 0
    for path in paths:
        with gzip.open(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                total += len(chunk)
    return total, time.process_time() - cpu


def _parse_batch(paths: list[str]):
    """:func:`readers.parse_batch` (what ``read(..., scheduler=...)`` runs in each worker),
    with the worker's CPU seconds."""
    cpu = time.process_time()
    result = readers.parse_batch(paths, "alb")
    return result, time.process_time() - cpu


def month(folder: Path, files: int, lines: int) -> None:
    import dask

    cores = os.cpu_count() or 1
    print(f"2. a month of ALB logs with Dask ({lines:,} lines in {files:,} gzip files, "
          f"scheduler='processes', {cores} cores):")
    paths = [str(p) for p in month_files(folder, files, lines)]
    batches = readers.batches_for(paths, cores)
    # read(*paths, scheduler="processes") step by step: the batches parsed in the workers,
    # then joined in this process (readers.combine), timed apart
    started, driver_cpu = time.perf_counter(), time.process_time()
    done = dask.compute(*[dask.delayed(_parse_batch)(b) for b in batches],
                        scheduler="processes")
    parse_s, driver_cpu = time.perf_counter() - started, time.process_time() - driver_cpu
    parse_cpu = sum(cpu for _, cpu in done)
    parts = [part for (_, part, _), _ in done]
    skipped: dict[str, int] = {}
    for (_, _, more), _ in done:
        for reason, count in more.items():
            skipped[reason] = skipped.get(reason, 0) + count
    del done
    started, merge_cpu = time.perf_counter(), time.process_time()
    traffic = readers.combine("alb", parts, skipped=skipped, sources=paths)
    merge_s, merge_cpu = time.perf_counter() - started, time.process_time() - merge_cpu
    parts.clear()
    started = time.perf_counter()
    unpacked = dask.compute(*[dask.delayed(_decompress_batch)(b) for b in batches],
                            scheduler="processes")
    unpack_s = time.perf_counter() - started
    raw_bytes, unpack_cpu = sum(n for n, _ in unpacked), sum(c for _, c in unpacked)
    total = parse_s + merge_s
    idle = (parse_cpu + driver_cpu) / cores + merge_cpu
    print(f"   read: {total:.1f} s wall on this machine as shared now (load average "
          f"{os.getloadavg()[0]:.1f}), {traffic.invocations / total:,.0f} lines/s")
    print(f"     parallel parse of the files: {parse_s:.1f} s wall, {parse_cpu:.1f} CPU-s in "
          f"the workers, of which decompressing the {raw_bytes / 1e9:.2f} GB takes "
          f"{unpack_cpu:.1f} CPU-s ({unpack_s:.1f} s wall alone) and parsing "
          f"{parse_cpu - unpack_cpu:.1f} CPU-s; {driver_cpu:.1f} CPU-s in this process "
          "(scheduling, receiving the columns)")
    print(f"     merge in the calling process (sort, de-duplicate, minutes): {merge_s:.1f} s "
          f"wall, {merge_cpu:.1f} CPU-s")
    print(f"   the same work on {cores} otherwise idle cores: about {idle:.0f} s "
          f"({parse_cpu + driver_cpu:.0f} CPU-s / {cores} + {merge_cpu:.0f} s merge; target <= "
          f"{TARGET_MONTH_S:.0f} s: {'met' if idle <= TARGET_MONTH_S else 'NOT met'})")
    print(f"   result: {traffic.invocations:,} requests over {traffic.span_s / 86400:.1f} days, "
          f"peak minute {max(traffic.per_minute):,}, skipped {dict(traffic.skipped) or 'none'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--skip-month", action="store_true")
    parser.add_argument("--files", type=int, default=8640)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ec2vslambda-bench-traffic-") as scratch:
        per_reader(Path(scratch), args.requests)
    if args.skip_month:
        return 0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="ec2vslambda-bench-alb-month-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        month(folder, args.files, args.lines)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
