"""A month of per-minute metrics to a workload report (issue 18: at most 1 s).

A synthetic month (30 days, a diurnal cycle, 43,200 one-minute periods with an average
duration each) at three traffic levels, as ``ec2vslambda.traffic.from_periods`` receives it
from the CloudWatch reader. For each: the report's time, the best of three in one process, split
into its parts (profile and plan in standard-library Python, the requests to replay, the five
replays, the six bills and the layout), and how much the bounded replay ran. Then the first
report in a fresh interpreter (imports and the simulator's compiled code loaded from numba's
cache). Prints figures; asserts nothing.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ec2vslambda import decide  # noqa: E402
from ec2vslambda.traffic import Period, from_periods  # noqa: E402
from ec2vslambda.traffic import report as make_report  # noqa: E402

engine = sys.modules["ec2vslambda.traffic.report"]
TARGET_S = 1.0
DAYS = 30
START = datetime(2026, 11, 1, tzinfo=UTC).timestamp()
RATES_PER_S = (0.4, 10.0, 100.0)  # about 1 million, 26 million and 260 million a month
PARTS = {"_source": "source", "_profile": "profile", "_plan": "plan",
         "_requests": "requests to replay", "_replay": "replays", "_recorded": "recorded",
         "_assemble": "layout"}


def month_of_minutes(rate_per_s: float):
    """Per-minute counts of a diurnal month, from the expected rate of each minute (the
    generator's own cosine), so that a month at 100 requests a second is made in a moment."""
    import numpy as np

    minutes = np.arange(DAYS * 1440)
    peak_to_trough = 4.0
    amplitude = rate_per_s * (peak_to_trough - 1) / (peak_to_trough + 1)
    rate = rate_per_s + amplitude * np.cos(2 * np.pi * (minutes * 60 - 14 * 3600) / 86400)
    counts = np.random.default_rng(1).poisson(rate * 60)
    duration = 120 + 30 * np.sin(minutes / 500)
    periods = [Period(START + 60 * m, 60, int(n), float(d))
               for m, n, d in zip(minutes.tolist(), counts.tolist(), duration.tolist(),
                                  strict=True)]
    return from_periods("cloudwatch-metric-data", periods, skipped={}, sources=["month.json"])


@contextmanager
def timed_parts():
    """Wrap the report's parts (and the decision guide) to add up their time; unwrap after."""
    spent: dict[str, float] = defaultdict(float)
    originals = [(engine, name, label) for name, label in PARTS.items()]
    originals.append((decide, "decide", "bills (decide)"))
    saved = [(owner, name, getattr(owner, name)) for owner, name, _label in originals]

    def timed(original, label):
        def call(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start
        return call

    for (owner, name, label), (_o, _n, original) in zip(originals, saved, strict=True):
        setattr(owner, name, timed(original, label))
    try:
        yield spent
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


FRESH = """
import time
start = time.perf_counter()
import sys
sys.path.insert(0, {root!r})
from ec2vslambda.traffic import report
sys.path.insert(0, {bench!r})
from bench_traffic_report import month_of_minutes
traffic = month_of_minutes(10.0)
made = time.perf_counter()
report(traffic)
print(f"{{made - start:.2f}} {{time.perf_counter() - made:.2f}}")
"""


def main() -> int:
    print(f"target: a month of per-minute metrics to a report in at most {TARGET_S:g} s")
    print(f"replay budget: {engine.REPLAY_REQUESTS:,} requests per replay")
    make_report(month_of_minutes(1.0))  # load the compiled simulator once
    for rate in RATES_PER_S:
        traffic = month_of_minutes(rate)
        best, result = float("inf"), None
        for _ in range(3):
            start = time.perf_counter()
            result = make_report(traffic)
            best = min(best, time.perf_counter() - start)
        with timed_parts() as spent:
            make_report(traffic)
        n = result["numbers"]
        replayed = ("all" if n["replay_whole"] else
                    f"{n['replay_windows']} windows of {n['replay_window_minutes']} min")
        print(f"{traffic.invocations:>12,} invocations ({rate:g}/s): {best:.2f} s "
              f"({'meets' if best <= TARGET_S else 'misses'} the target); replayed {replayed}, "
              f"{n['replayed_requests']:,} requests with warm-ups, cold starts "
              f"{n['cold_start_share']:.3%}")
        print("    split (one run): " + ", ".join(f"{label} {seconds:.3f} s"
                                               for label, seconds in spent.items()))
    fresh = subprocess.run([sys.executable, "-c", FRESH.format(root=str(ROOT),
                                                              bench=str(Path(__file__).parent))],
                           capture_output=True, text=True, check=True).stdout.split()
    print(f"fresh interpreter, 10/s month: imports and traffic {fresh[0]} s, first report "
          f"{fresh[1]} s (loads the compiled simulator from numba's cache)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
