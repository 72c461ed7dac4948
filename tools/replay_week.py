"""Replay the synthetic week under every policy of the paper's figure; write what lab 1 plots.

Usage: ``python tools/replay_week.py [--trace DIR] [--days N] [--train-days 1] [--out CSV]
[--scheduler threads|sync|processes]``

Reads the week in the Azure Functions 2019 layout (default ``data/synthetic_week/``, written by
``tools/make_synthetic_trace.py --week``; point ``--trace`` at a folder of the real files to
replay those instead), replays every application under the fixed windows of 5 to 120 minutes
and the hybrid histogram policy (4-hour range with the median and the ARIMA forecasts, and 1,
2 and 3 hours), with the paper's application-level model and Lambda's per-environment one. The
first ``--train-days`` only train the policies; cold starts and wasted memory are counted from
then on, until the end of the last day (memory kept loaded after it is not counted). Writes one
row per (model, policy, application) to ``data/lab1_week_replay.csv`` and prints how long the
replay took. Runs on Dask's threaded scheduler by default: the compiled loops release the GIL,
so both cores work.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ec2vslambda import replay, workloads  # noqa: E402

OUT = ROOT / "data" / "lab1_week_replay.csv"
SEED = 1  # where each minute's invocations fall inside it


def replay_week(trace_dir: Path, *, days: int | None = None, train_days: int = 1,
                scheduler: str | None = None) -> tuple[pd.DataFrame, dict]:
    """The replay table and timings (s) for loading and replaying."""
    start = time.perf_counter()
    trace = workloads.load_azure_trace(*workloads.azure_day_files(trace_dir, days))
    apps = trace.by_application()
    functions = [apps.requests(row, seed=SEED) for row in range(len(apps.functions))]
    loaded = time.perf_counter()
    tables = []
    for model in replay.MODELS:
        rows = replay.replay_policies(functions, replay.paper_policies(), model=model,
                                      score_from_s=train_days * workloads.SECONDS_PER_DAY,
                                      score_until_s=trace.days * workloads.SECONDS_PER_DAY,
                                      scheduler=scheduler)
        tables.append(rows.assign(model=model))
    done = time.perf_counter()
    table = pd.concat(tables, ignore_index=True)[
        ["model", "policy", "function", "requests", "cold_starts", "wasted_memory_s",
         "prewarm_loads"]]
    table["wasted_memory_s"] = table["wasted_memory_s"].round(3)
    return table, {"load_s": loaded - start, "replay_s": done - loaded,
                   "invocations": int(apps.count.sum()), "applications": len(apps.functions),
                   "days": trace.days}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trace", type=Path, default=ROOT / "data" / "synthetic_week")
    parser.add_argument("--days", type=int, default=None)
    parser.add_argument("--train-days", type=int, default=1)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--scheduler", default=None, choices=["threads", "sync", "processes"])
    args = parser.parse_args(argv)
    table, took = replay_week(args.trace, days=args.days, train_days=args.train_days,
                              scheduler=args.scheduler)
    if str(args.out) != "-":
        table.to_csv(args.out, index=False)
    policies = table["policy"].nunique()
    print(f"{took['applications']} applications, {took['days']} days, "
          f"{took['invocations']:,} invocations: loaded in {took['load_s']:.1f} s; "
          f"{policies} policies x {len(replay.MODELS)} models replayed in "
          f"{took['replay_s']:.1f} s (target <= 60 s: "
          f"{'met' if took['replay_s'] <= 60 else 'NOT met'})"
          + ("" if str(args.out) == "-" else f"; wrote {args.out}"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
