"""Write ``data/traffic/``: one small file of each traffic format, all of the same made-up
traffic, for lab 5, the command line and the tests.

Usage: ``python tools/make_traffic_samples.py [--out DIR]``. The same command always writes the
same bytes (``tests/test_traffic_samples.py`` regenerates the files and compares them).

The traffic: two hours of one Lambda function on Monday 2026-03-02 from 09:00 UTC, drawn with
the book's seeded generators (:mod:`ec2vslambda.workloads`): steady Poisson arrivals plus a
short, sharp burst every 15 minutes, durations log-normal. Which requests started cold comes
from the book's Lambda simulator (:func:`ec2vslambda.simulate.simulate_lambda`, 10-minute
keep-alive), each cold start's INIT drawn around 250 ms. Nothing in these files was measured.

The files (in AWS's published layouts; see :mod:`ec2vslambda.traffic` for each format):

* per request: ``lambda-report.log`` (``aws logs tail`` of the REPORT lines),
  ``lambda-events.json`` (``aws logs filter-log-events``), ``lambda-insights.csv`` (a Logs
  Insights CSV download), ``lambda-json.log`` (JSON log format ``platform.report`` records),
  ``alb-access.log.gz`` (an ALB access log, the same requests to an instance target, plus a few
  that never reached a target), ``requests.csv`` (the plain CSV);
* per period, the same traffic counted as CloudWatch counts it: ``metric-data-1min.json``
  (``get-metric-data``, one-minute periods), ``metrics-1min.csv`` (the CSV layout),
  ``metric-statistics-5min-invocations.json`` and ``metric-statistics-5min-duration.json``
  (``get-metric-statistics``, five-minute periods), and the Azure Functions 2019 layout's two
  day files (``invocations_per_function_md.anon.d01.csv``,
  ``function_durations_percentiles.anon.d01.csv``; its day 1 is 2019-07-01).

Because the per-period files carry the same requests as the per-request ones, lab 5 can show
how much a cold-start estimate moves when the bursts inside each minute are lost.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ec2vslambda import simulate, workloads  # noqa: E402
from ec2vslambda.traffic import Request, writers  # noqa: E402

OUT = ROOT / "data" / "traffic"
START_EPOCH_S = 1_772_442_000.0  # 2026-03-02T09:00:00Z
SPAN_S = 2 * 3600.0
BASE_RATE_PER_S = 0.08
BURST = {"rate_per_s": 25.0, "on_s": 6.0, "every_s": 900.0}
DURATION = workloads.LogNormalMs(median_ms=150.0, sigma=0.5)
KEEP_ALIVE_S = 600.0
INIT_MEDIAN_MS = 250.0
MEMORY_MB = 512
SEED = 2026
NO_TARGET = ((600.5, 502), (1810.2, 503), (3625.9, 460), (5411.3, 504))  # (s into the window,
# ALB status) for requests that never reached a target


def make_requests() -> list[Request]:
    """The sample's requests: arrivals, durations, cold starts with their INIT, memory."""
    steady = workloads.poisson(BASE_RATE_PER_S, SPAN_S, duration_ms=DURATION, seed=SEED)
    bursts = workloads.bursty(0.0, BURST["rate_per_s"], SPAN_S, on_s=BURST["on_s"],
                              off_s=BURST["every_s"] - BURST["on_s"], duration_ms=DURATION,
                              seed=SEED + 1)
    traffic = workloads.merge([steady, bursts], name="sample")
    arrivals = np.round(traffic.arrivals_s, 6)
    durations = np.round(traffic.durations_ms, 2)
    result = simulate.simulate_lambda(arrivals, durations, keep_alive_s=KEEP_ALIVE_S,
                                      init_ms=INIT_MEDIAN_MS, memory_mb=MEMORY_MB,
                                      with_cost=False)
    rng = np.random.default_rng(SEED + 2)
    inits = np.round(INIT_MEDIAN_MS * rng.lognormal(0.0, 0.2, arrivals.size), 2)
    used = 70 + rng.integers(0, 25, arrivals.size)
    return [Request(START_EPOCH_S + float(a), float(d), cold=bool(c),
                    init_ms=float(i) if c else None, memory_mb=MEMORY_MB,
                    max_memory_used_mb=int(u), key=writers.request_id(n))
            for n, (a, d, c, i, u) in enumerate(zip(arrivals, durations, result.cold, inits,
                                                    used, strict=True))]


def _gzip(text: str) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as archive:
        archive.write(text.encode())
    return buffer.getvalue()


def files(requests: list[Request]) -> dict[str, bytes]:
    """Each sample file's name and bytes."""
    per_minute = writers.per_period(requests, 60.0)
    per_5min = writers.per_period(requests, 300.0)
    shuffled = np.random.default_rng(SEED + 3).permutation(len(per_5min)).tolist()
    no_target = [(START_EPOCH_S + s, status) for s, status in NO_TARGET]
    counts = [0] * 1440
    for r in requests:
        counts[int((r.arrival_epoch_s - START_EPOCH_S) // 60) + 9 * 60] += 1
    text = {
        "lambda-report.log": writers.lambda_text(requests),
        "lambda-events.json": writers.lambda_events(requests),
        "lambda-insights.csv": writers.lambda_insights(requests),
        "lambda-json.log": writers.lambda_json(requests, starts=False),
        "requests.csv": writers.plain_csv(requests),
        "metric-data-1min.json": writers.metric_data(per_minute),
        "metrics-1min.csv": writers.metrics_csv(per_minute),
        "metric-statistics-5min-invocations.json": writers.metric_statistics(
            per_5min, "Invocations", order=shuffled),
        "metric-statistics-5min-duration.json": writers.metric_statistics(
            per_5min, "Duration", order=shuffled),
        "invocations_per_function_md.anon.d01.csv": writers.azure_invocations(counts),
        "function_durations_percentiles.anon.d01.csv": writers.azure_durations(
            [r.duration_ms for r in requests]),
    }
    out = {name: body.encode() for name, body in text.items()}
    out["alb-access.log.gz"] = _gzip("".join(writers.alb_lines(requests, no_target=no_target)))
    return dict(sorted(out.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    requests = make_requests()
    for name, body in files(requests).items():
        (args.out / name).write_bytes(body)
    cold = sum(bool(r.cold) for r in requests)
    print(f"{len(requests):,} requests ({cold} cold starts) written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
