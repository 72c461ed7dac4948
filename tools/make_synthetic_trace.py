"""Write made-up serverless traffic shaped like Azure's: a day, or a week in Azure's own layout.

Usage:

* ``python tools/make_synthetic_trace.py [--functions 300] [--seed 2019] [--out PATH]`` writes
  ``data/synthetic_trace.csv``, one day in a single file (see below);
* ``python tools/make_synthetic_trace.py --week [--days 7] [--seed 2020] [--out DIR]`` writes
  ``data/synthetic_week/``: for each day ``invocations_per_function_md.anon.dNN.csv.gz`` and
  ``function_durations_percentiles.anon.dNN.csv.gz``, the two files of the Azure Functions 2019
  dataset with exactly its columns, so that ``ec2vslambda.workloads.load_azure_trace`` reads the
  synthetic week and the real one the same way. Each function keeps its shape and rate all week.

The same arguments always write the same files.

The layout is that of the Azure Functions 2019 public trace (``invocations_per_function``): one
row per function with ``HashOwner``, ``HashApp``, ``HashFunction``, ``Trigger`` and the
invocation counts of minutes ``1`` … ``1440`` of one day; we add ``AverageDurationMs`` (Azure
keeps durations in a separate file keyed by the same hashes). Nothing in it comes from the real
trace: the hashes are random and every count is drawn here. What it copies is the shape that
Shahrad et al. (USENIX ATC 2020, figures 5 and 7) published:

* invocation frequency per app (here one function per app): 45% invoked at most once an hour
  (at most 24 times in the day), 81% at most once a minute (at most 1,440), the other 19% far
  more often and carrying nearly all invocations;
* average execution time: about 50% of functions under 1 s and about 20% under 100 ms, drawn
  from a log-normal with a 1 s median whose spread puts the 20th percentile at 100 ms.

Where we depart, to keep the file small (under 2 MB) and the lab quick: the busiest function
makes about 3 requests per second (the real trace spans 8 orders of magnitude, ours about 5.4),
so the busiest 19% carry about 99% of invocations rather than more than 99.5%. The split of
timers versus other triggers and the shapes (Poisson, day/night cycle, on/off bursts, cron
timers) are our choice, made so that keep-alive policies meet each kind of pattern.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ec2vslambda import workloads  # noqa: E402

DAY_S = workloads.SECONDS_PER_DAY
MINUTES = workloads.MINUTES_PER_DAY
# (share of functions, fewest and most invocations in the day): Shahrad et al. 2020, figure 5
GROUPS = ((0.45, 1, 24), (0.36, 25, 1440), (0.19, 1441, 360_000))
TIMER_SHARE = 0.4  # of the two rarer groups; our assumption
DURATION_MEDIAN_MS = 1000.0  # ~50% of functions under 1 s
DURATION_P20_MS = 100.0  # ~20% under 100 ms
# Timer periods (minutes) whose daily counts fall in each of the two rarer groups
TIMER_PERIODS_MIN = ((60, 120, 180, 240, 360, 480, 720, 1440), (1, 2, 5, 10, 15, 20, 30, 45))
WEEK_DIR = "synthetic_week"


def minute_counts(arrivals_s: np.ndarray) -> np.ndarray:
    return np.bincount((arrivals_s // 60).astype(np.int64), minlength=MINUTES)[:MINUTES]


def minute_counts_over(arrivals_s: np.ndarray, minutes: int) -> np.ndarray:
    return np.bincount((arrivals_s // 60).astype(np.int64), minlength=minutes)[:minutes]


def draw_function(rng: np.random.Generator, group: int, low: int, high: int, days: int = 1):
    """One function's (trigger, per-minute counts over ``days``) with a daily average in
    [low, high]."""
    span_s = days * DAY_S
    while True:
        seed = int(rng.integers(2**32))
        if group < 2 and rng.random() < TIMER_SHARE:
            period_min = int(rng.choice(TIMER_PERIODS_MIN[group]))
            offset_s = float(rng.integers(0, period_min)) * 60.0 + 1.0
            w = workloads.periodic(period_min * 60.0, span_s, offset_s=offset_s, seed=seed)
            trigger = "timer"
        else:
            daily = float(np.exp(rng.uniform(np.log(low), np.log(high + 1))))
            rate_per_s = daily / DAY_S
            shape = rng.choice(["poisson", "diurnal", "bursty"], p=[0.4, 0.4, 0.2])
            if shape == "poisson":
                w = workloads.poisson(rate_per_s, span_s, seed=seed)
                trigger = "http"
            elif shape == "diurnal":
                w = workloads.diurnal(rate_per_s, span_s, peak_to_trough=float(
                    rng.uniform(2, 10)), peak_at_s=float(rng.uniform(8, 20)) * 3600, seed=seed)
                trigger = "http"
            else:  # queue-driven batches: a burst of 5 minutes every 1 to 6 hours
                cycle_s = float(rng.integers(1, 7)) * 3600
                w = workloads.bursty(0.0, rate_per_s * cycle_s / 300.0, span_s, on_s=300.0,
                                     off_s=cycle_s - 300.0, seed=seed)
                trigger = "queue"
        counts = minute_counts_over(w.arrivals_s, days * MINUTES)
        if low * days <= counts.sum() <= high * days:
            return trigger, counts


def average_durations_ms(rng: np.random.Generator, count: int) -> np.ndarray:
    """Stratified log-normal draws: the shares below 100 ms and 1 s come out close to target."""
    normal = statistics.NormalDist()
    sigma = (np.log(DURATION_MEDIAN_MS) - np.log(DURATION_P20_MS)) / -normal.inv_cdf(0.2)
    strata = (rng.permutation(count) + rng.random(count)) / count
    z = np.array([normal.inv_cdf(float(u)) for u in strata])
    return np.round(np.clip(np.exp(np.log(DURATION_MEDIAN_MS) + sigma * z), 1.0, 600_000.0), 1)


def make_trace(functions: int = 300, seed: int = 2019):
    import pandas as pd

    rng = np.random.default_rng(seed)
    sizes = [round(share * functions) for share, _, _ in GROUPS]
    sizes[-1] = functions - sum(sizes[:-1])
    rows = []
    for group, ((_, low, high), size) in enumerate(zip(GROUPS, sizes, strict=True)):
        for _ in range(size):
            rows.append(draw_function(rng, group, low, high))
    order = rng.permutation(functions)
    owners = [rng.bytes(8).hex() for _ in range(functions // 2)]
    table = pd.DataFrame({
        "HashOwner": [owners[int(rng.integers(len(owners)))] for _ in range(functions)],
        "HashApp": [rng.bytes(8).hex() for _ in range(functions)],
        "HashFunction": [rng.bytes(8).hex() for _ in range(functions)],
        "Trigger": [rows[i][0] for i in order],
        "AverageDurationMs": average_durations_ms(rng, functions),
    })
    counts = pd.DataFrame(np.array([rows[i][1] for i in order]),
                          columns=[str(m) for m in range(1, MINUTES + 1)])
    return pd.concat([table, counts], axis=1)


# Spread of each function's per-30-second average durations (ln), for the percentile columns of
# the durations files; our assumption (Azure publishes the percentiles, not a spread).
WITHIN_SIGMA = 0.3
PERCENTILE_Z = {"0": -3.09, "1": -2.326, "25": -0.674, "50": 0.0, "75": 0.674, "99": 2.326,
                "100": 3.09}  # z of each percentile column; 0 and 100 stand in as 0.1% and 99.9%


def durations_table(keys, average_ms: np.ndarray, daily_counts: np.ndarray):
    """A day's ``function_durations_percentiles`` rows for functions of the given averages."""
    import pandas as pd

    median_ms = average_ms * np.exp(-WITHIN_SIGMA ** 2 / 2)
    table = keys.copy()
    table["Average"] = np.round(average_ms, 3)
    table["Count"] = daily_counts
    table["Minimum"] = np.round(median_ms * np.exp(WITHIN_SIGMA * PERCENTILE_Z["0"]) * 0.8, 3)
    table["Maximum"] = np.round(median_ms * np.exp(WITHIN_SIGMA * PERCENTILE_Z["100"]) * 1.25, 3)
    for name, z in PERCENTILE_Z.items():
        table[f"percentile_Average_{name}"] = np.round(median_ms * np.exp(WITHIN_SIGMA * z), 3)
    return pd.DataFrame(table)


def make_week(functions: int = 300, days: int = 7, seed: int = 2020):
    """``days`` pairs of (invocations table, durations table) in the Azure 2019 layout; only
    functions invoked that day appear in that day's files, as in Azure's."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    sizes = [round(share * functions) for share, _, _ in GROUPS]
    sizes[-1] = functions - sum(sizes[:-1])
    drawn = []
    for group, ((_, low, high), size) in enumerate(zip(GROUPS, sizes, strict=True)):
        for _ in range(size):
            drawn.append(draw_function(rng, group, low, high, days))
    order = rng.permutation(functions)
    owners = [rng.bytes(8).hex() for _ in range(functions // 2)]
    keys = pd.DataFrame({
        "HashOwner": [owners[int(rng.integers(len(owners)))] for _ in range(functions)],
        "HashApp": [rng.bytes(8).hex() for _ in range(functions)],
        "HashFunction": [rng.bytes(8).hex() for _ in range(functions)]})
    triggers = [drawn[i][0] for i in order]
    counts = np.array([drawn[i][1] for i in order])
    average_ms = average_durations_ms(rng, functions)
    out = []
    for day in range(days):
        day_counts = counts[:, day * MINUTES:(day + 1) * MINUTES]
        active = day_counts.sum(axis=1) > 0
        invocations = pd.concat([keys, pd.DataFrame({"Trigger": triggers}),
                                 pd.DataFrame(day_counts, columns=[str(m) for m in range(
                                     1, MINUTES + 1)])], axis=1)[active]
        durations = durations_table(keys, average_ms, day_counts.sum(axis=1))[active]
        out.append((invocations, durations))
    return out


def write_week(directory: Path, functions: int, days: int, seed: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    total = 0
    for day, (invocations, durations) in enumerate(make_week(functions, days, seed), start=1):
        invocations.to_csv(directory / f"invocations_per_function_md.anon.d{day:02d}.csv.gz",
                           index=False, compression={"method": "gzip", "mtime": 0})
        durations.to_csv(directory / f"function_durations_percentiles.anon.d{day:02d}.csv.gz",
                         index=False, compression={"method": "gzip", "mtime": 0})
        total += int(durations["Count"].sum())
    size = sum(p.stat().st_size for p in directory.glob("*.csv.gz"))
    print(f"{directory}: {functions} functions, {days} days, {total:,} invocations, "
          f"{size / 1e6:.2f} MB")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=300)
    parser.add_argument("--seed", type=int, default=None,
                        help="default 2019 for the day, 2020 for the week")
    parser.add_argument("--week", action="store_true", help="write the week in Azure's layout")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.week:
        write_week(args.out or ROOT / "data" / WEEK_DIR, args.functions, args.days,
                   2020 if args.seed is None else args.seed)
        return 0
    args.seed = 2019 if args.seed is None else args.seed
    args.out = args.out or ROOT / "data" / workloads.TRACE_FILE
    table = make_trace(args.functions, args.seed)
    table.to_csv(args.out, index=False)
    minutes = [str(m) for m in range(1, MINUTES + 1)]
    daily = table[minutes].sum(axis=1)
    print(f"{args.out}: {len(table)} functions, {int(daily.sum()):,} invocations, "
          f"{args.out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
