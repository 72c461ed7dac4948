"""Time ``simulate_lambda`` on 1,000,000 invocations and compare it with the SimPy reference.

Target: <= 1 s for 1,000,000 invocations on a 2-core machine, and >= 20x faster than the plain
SimPy model in ``tests/simpy_reference.py`` on the same input. The SimPy model is run on the
first ``--reference-slice`` invocations of that input and its time is extrapolated linearly
(per invocation), which the output says. Prints figures; asserts nothing.

Usage: ``python benchmarks/bench_simulate.py [--invocations 1000000] [--reference-slice 50000]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ec2vslambda import simulate, workloads  # noqa: E402
from tests.simpy_reference import simulate_lambda_simpy  # noqa: E402

TARGET_S = 1.0
TARGET_SPEEDUP = 20.0
RATE_PER_S = 200.0  # enough traffic for tens of environments in flight at once


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invocations", type=int, default=1_000_000)
    parser.add_argument("--reference-slice", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    workload = workloads.poisson(RATE_PER_S, args.invocations / RATE_PER_S,
                                 duration_ms=workloads.LogNormalMs(100, 1.0), seed=1)
    workload = workload.head(min(len(workload), args.invocations))
    options = dict(keep_alive_s=60.0, init_ms=200.0, concurrency_limit=1000,
                   max_new_envs_per_10s=1000)
    steps = tqdm(total=args.repeats + 2, desc="bench_simulate", unit="run", leave=False,
                 disable=None)

    best_s = float("inf")
    for _ in range(args.repeats):
        start = time.perf_counter()
        fast = simulate.simulate_lambda(workload.arrivals_s, workload.durations_ms, **options)
        best_s = min(best_s, time.perf_counter() - start)
        steps.update()

    piece = workload.head(min(args.reference_slice, len(workload)))
    start = time.perf_counter()
    reference = simulate_lambda_simpy(piece.arrivals_s, piece.durations_ms, **options)
    reference_s = time.perf_counter() - start
    steps.update()
    same_slice = simulate.simulate_lambda(piece.arrivals_s, piece.durations_ms, with_cost=False,
                                          **options)
    steps.update()
    steps.close()
    agree = (same_slice.cold_starts == reference.cold_starts
             and same_slice.throttled == reference.throttled)

    n = len(workload)
    reference_full_s = reference_s * n / len(piece)
    speedup = reference_full_s / best_s
    extrapolated = len(piece) < n
    print(f"simulate_lambda: {n:,} invocations in {best_s:.3f} s (best of {args.repeats}), "
          f"{n / best_s:,.0f} invocations/s; {fast.cold_starts:,} cold starts, "
          f"peak concurrency {fast.peak_concurrency} "
          f"(target <= {TARGET_S:g} s: {'met' if best_s <= TARGET_S else 'NOT met'})")
    print(f"SimPy reference: {len(piece):,} invocations in {reference_s:.2f} s"
          + (f", extrapolated linearly to {reference_full_s:.1f} s for {n:,}" if extrapolated
             else "")
          + f"; results on that slice {'agree' if agree else 'DIFFER'}")
    verdict = "met" if speedup >= TARGET_SPEEDUP else "NOT met"
    print(f"speed-up over SimPy: {speedup:.0f}x"
          + (" (against the extrapolated time)" if extrapolated else "")
          + f" (target >= {TARGET_SPEEDUP:g}x: {verdict})")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
