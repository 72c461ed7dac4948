"""A month of per-minute metrics to a workload report (issue 18: at most 1 s).

A synthetic month (30 days, a diurnal cycle, 43,200 one-minute periods with an average
duration each) at three traffic levels, written as ``aws cloudwatch get-metric-data`` JSON (the
book's writer, newest first as the CLI returns it) and taken from the file to the report:
``read`` then ``report``, the best of three in one process. The report's time is split into its
parts (profile and plan in standard-library Python, the requests to replay, the five replays,
the six bills and the layout), with how much the bounded replay ran. Then the first file to
report in a fresh interpreter (imports, and the simulator's compiled code loaded from numba's
cache). Prints figures; asserts nothing.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ec2vslambda import decide  # noqa: E402
from ec2vslambda.traffic import Period, layout, profiling, read, replay_engine, writers  # noqa: E402  # noqa: E402
from ec2vslambda.traffic import report as make_report  # noqa: E402

REPORT = sys.modules["ec2vslambda.traffic.report"]  # the module (the package exports the function)
TARGET_S = 1.0
DAYS = 30
START = datetime(2026, 11, 1, tzinfo=UTC).timestamp()
RATES_PER_S = (0.4, 10.0, 100.0)  # about 1 million, 26 million and 260 million a month
PARTS = {(profiling, "source"): "source", (profiling, "profile"): "profile",
         (replay_engine, "plan"): "plan", (replay_engine, "requests"): "requests to replay",
         (replay_engine, "replay"): "replays", (profiling, "recorded"): "recorded",
         (layout, "assemble"): "layout"}


def month_of_minutes(rate_per_s: float, folder: Path) -> Path:
    """A diurnal month of per-minute counts and average durations, from the expected rate of
    each minute (the generator's own cosine), written as get-metric-data JSON in ``folder``."""
    import numpy as np

    minutes = np.arange(DAYS * 1440)
    peak_to_trough = 4.0
    amplitude = rate_per_s * (peak_to_trough - 1) / (peak_to_trough + 1)
    rate = rate_per_s + amplitude * np.cos(2 * np.pi * (minutes * 60 - 14 * 3600) / 86400)
    counts = np.random.default_rng(1).poisson(rate * 60)
    duration = 120 + 30 * np.sin(minutes / 500)
    periods = [Period(START + 60 * m, 60, int(n), float(d))
               for m, n, d in zip(minutes.tolist(), counts.tolist(), duration.tolist(),
                                  strict=True) if n]
    path = folder / f"month-{rate_per_s:g}-per-s.json"
    path.write_text(writers.metric_data(periods), encoding="utf-8")
    return path


@contextmanager
def timed_parts():
    """Wrap the report's parts (and the decision guide) to add up their time; unwrap after."""
    spent: dict[str, float] = defaultdict(float)
    originals = [(owner, name, label) for (owner, name), label in PARTS.items()]
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
from ec2vslambda.traffic import read, report
imported = time.perf_counter()
report(read({path!r}))
print(f"{{imported - start:.2f}} {{time.perf_counter() - imported:.2f}}")
"""


def main() -> int:
    print(f"target: a month of per-minute metrics to a report in at most {TARGET_S:g} s")
    print(f"replay budget: {REPORT.REPLAY_REQUESTS:,} requests per replay")
    with tempfile.TemporaryDirectory() as folder:
        files = {rate: month_of_minutes(rate, Path(folder)) for rate in RATES_PER_S}
        make_report(read(files[RATES_PER_S[0]]))  # load the compiled simulator once
        for rate, path in files.items():
            best = best_read = best_report = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                traffic = read(path)
                was_read = time.perf_counter()
                result = make_report(traffic)
                done = time.perf_counter()
                best_read = min(best_read, was_read - start)
                best_report = min(best_report, done - was_read)
                best = min(best, done - start)
            with timed_parts() as spent:
                make_report(traffic)
            n = result["numbers"]
            replayed = ("all" if n["replay_whole"] else
                        f"{n['replay_windows']} windows of {n['replay_window_minutes']} min")
            print(f"{traffic.invocations:>12,} invocations ({rate:g}/s, "
                  f"{path.stat().st_size / 1e6:.1f} MB of JSON): file to report {best:.2f} s "
                  f"({'meets' if best <= TARGET_S else 'misses'} the target): read "
                  f"{best_read:.2f} s, report {best_report:.2f} s "
                  f"({'meets' if best_report <= TARGET_S else 'misses'} it alone); replayed "
                  f"{replayed}, {n['replayed_requests']:,} requests with warm-ups, cold starts "
                  f"{n['cold_start_share']:.3%}")
            print("    report split (one run): " + ", ".join(
                f"{label} {seconds:.3f} s" for label, seconds in spent.items()))
        code = FRESH.format(root=str(ROOT), path=str(files[10.0]))
        fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True).stdout.split()
    print(f"fresh interpreter, the 10/s month: imports {fresh[0]} s, then file to report "
          f"{fresh[1]} s (the first replay loads the compiled simulator from numba's cache)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
