"""Time ``simulate_lambda`` on a day at 100 requests a second against plain loops of the same rules.

Targets (issue 11): a day at 100 requests/s (8.64 million invocations) in <= 1 s on this 2-core
machine, and >= 8.6x faster per invocation than a plain-Python heapq loop of the same rules
(``tests/heapq_reference.py``) timed in the same run. The heapq loop runs on the first
``--reference-slice`` invocations and its time per invocation is compared (the output says so);
the plain SimPy model (``tests/simpy_reference.py``) runs on a smaller slice to show that the
results agree, idle memory-time included. Prints figures; asserts nothing.

Usage: ``python benchmarks/bench_simulate.py [--rate 100] [--hours 24] [--reference-slice 2000000]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ec2vslambda import simulate, workloads  # noqa: E402
from tests.heapq_reference import simulate_fixed_heapq  # noqa: E402
from tests.simpy_reference import simulate_lambda_simpy  # noqa: E402

TARGET_S = 1.0
TARGET_SPEEDUP = 8.6
OPTIONS = dict(keep_alive_s=60.0, init_ms=200.0, concurrency_limit=1000,
               max_new_envs_per_10s=1000)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--reference-slice", type=int, default=2_000_000)
    parser.add_argument("--simpy-slice", type=int, default=30_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    w = workloads.poisson(args.rate, args.hours * 3600,
                          duration_ms=workloads.LogNormalMs(100, 1.0), seed=1)
    n = len(w)
    simulate.simulate_lambda(w.arrivals_s[:100], w.durations_ms[:100])  # compile, or load cache
    best_s = float("inf")
    for _ in range(args.repeats):
        start = time.perf_counter()
        fast = simulate.simulate_lambda(w.arrivals_s, w.durations_ms, **OPTIONS)
        best_s = min(best_s, time.perf_counter() - start)

    k = min(args.reference_slice, n)
    heapq_s = float("inf")  # best of the same number of runs, as for simulate_lambda
    for _ in range(args.repeats):
        start = time.perf_counter()
        cold, throttled, idle_env_s = simulate_fixed_heapq(w.arrivals_s[:k], w.durations_ms[:k],
                                                           **OPTIONS)
        heapq_s = min(heapq_s, time.perf_counter() - start)
    piece = simulate.simulate_lambda(w.arrivals_s[:k], w.durations_ms[:k], with_cost=False,
                                     **OPTIONS)
    heapq_agrees = (np.array_equal(piece.cold, cold) and np.array_equal(piece.throttled_mask,
                                                                        throttled)
                    and abs(piece.idle_env_s - idle_env_s) < 1e-6 * max(1.0, idle_env_s))

    m = min(args.simpy_slice, n)
    start = time.perf_counter()
    reference = simulate_lambda_simpy(w.arrivals_s[:m], w.durations_ms[:m], **OPTIONS)
    simpy_s = time.perf_counter() - start
    small = simulate.simulate_lambda(w.arrivals_s[:m], w.durations_ms[:m], with_cost=False,
                                     **OPTIONS)
    simpy_agrees = (np.array_equal(small.cold, reference.cold)
                    and abs(small.idle_env_s - reference.idle_env_s)
                    < 1e-6 * max(1.0, reference.idle_env_s))

    per_fast = best_s / n
    speedup = (heapq_s / k) / per_fast
    print(f"simulate_lambda: {n:,} invocations ({args.rate:g}/s for {args.hours:g} h) in "
          f"{best_s:.3f} s (best of {args.repeats}), {n / best_s:,.0f} invocations/s; "
          f"{fast.cold_starts:,} cold starts, peak concurrency {fast.peak_concurrency} "
          f"(target <= {TARGET_S:g} s: {'met' if best_s <= TARGET_S else 'NOT met'})")
    print(f"plain heapq loop: {k:,} invocations in {heapq_s:.2f} s, "
          f"{heapq_s / k * 1e9:,.0f} ns each against {per_fast * 1e9:,.0f} ns: "
          f"{speedup:.1f}x per invocation (target >= {TARGET_SPEEDUP:g}x: "
          f"{'met' if speedup >= TARGET_SPEEDUP else 'NOT met'}); results "
          f"{'agree' if heapq_agrees else 'DIFFER'}, idle memory-time included")
    print(f"SimPy reference: {m:,} invocations in {simpy_s:.2f} s; results "
          f"{'agree' if simpy_agrees else 'DIFFER'}, idle memory-time included")
    return 0 if heapq_agrees and simpy_agrees else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
