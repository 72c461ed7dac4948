"""Write ``data/synthetic_trace.csv``: a made-up day of serverless traffic shaped like Azure's.

Usage: ``python tools/make_synthetic_trace.py [--functions 300] [--seed 2019] [--out PATH]``.
The same arguments always write the same file.

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


def minute_counts(arrivals_s: np.ndarray) -> np.ndarray:
    return np.bincount((arrivals_s // 60).astype(np.int64), minlength=MINUTES)[:MINUTES]


def draw_function(rng: np.random.Generator, group: int, low: int, high: int):
    """One function's (trigger, per-minute counts) with a daily total in [low, high]."""
    while True:
        seed = int(rng.integers(2**32))
        if group < 2 and rng.random() < TIMER_SHARE:
            period_min = int(rng.choice(TIMER_PERIODS_MIN[group]))
            offset_s = float(rng.integers(0, period_min)) * 60.0 + 1.0
            w = workloads.periodic(period_min * 60.0, DAY_S, offset_s=offset_s, seed=seed)
            trigger = "timer"
        else:
            daily = float(np.exp(rng.uniform(np.log(low), np.log(high + 1))))
            rate_per_s = daily / DAY_S
            shape = rng.choice(["poisson", "diurnal", "bursty"], p=[0.4, 0.4, 0.2])
            if shape == "poisson":
                w = workloads.poisson(rate_per_s, DAY_S, seed=seed)
                trigger = "http"
            elif shape == "diurnal":
                w = workloads.diurnal(rate_per_s, DAY_S, peak_to_trough=float(
                    rng.uniform(2, 10)), peak_at_s=float(rng.uniform(8, 20)) * 3600, seed=seed)
                trigger = "http"
            else:  # queue-driven batches: a burst of 5 minutes every 1 to 6 hours
                cycle_s = float(rng.integers(1, 7)) * 3600
                w = workloads.bursty(0.0, rate_per_s * cycle_s / 300.0, DAY_S, on_s=300.0,
                                     off_s=cycle_s - 300.0, seed=seed)
                trigger = "queue"
        counts = minute_counts(w.arrivals_s)
        if low <= counts.sum() <= high:
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


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / workloads.TRACE_FILE)
    args = parser.parse_args(argv)
    table = make_trace(args.functions, args.seed)
    table.to_csv(args.out, index=False)
    minutes = [str(m) for m in range(1, MINUTES + 1)]
    daily = table[minutes].sum(axis=1)
    print(f"{args.out}: {len(table)} functions, {int(daily.sum()):,} invocations, "
          f"{args.out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
