"""The simulations that went live (issue 19), in CPython and in the built site's Chromium.

For each: lab 1's keep-alive simulator (``keepalive_sim``), lab 2's burst (``burst``) and the
workload report (``workload``) on a 20 MB ALB access log of about 100,000 requests (the book's
writer, a diurnal day), this prints

* CPython: the wall time and this process's CPU time of ``ec2vslambda.live.compute`` on the
  defaults (and on the file, read from disk), best of ``--repeats``;
* the page: the site (``_build/html``, build it first with ``make book``) served on 127.0.0.1,
  the calculator's button pressed in a headless Chromium, and the page's own figure for each
  recompute (``data-update-ms``: from the input's change to the result drawn, the file read in
  the page included), for the defaults and for a few changes (the burst's peak moved and back,
  the keep-alive window, the file given to the real ``<input type=file>``).

Targets (issue 19): lab 2's default burst within 1 s a recompute in the browser; a 20 MB ALB log
from file to report within 5 s. The machine is shared: read the CPU figures beside the wall
ones, and repeat on a quiet moment. Prints figures; asserts nothing. Usage:
``python benchmarks/bench_live_sims.py [--repeats 3] [--no-browser]``
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ec2vslambda import live, workloads  # noqa: E402
from ec2vslambda.traffic import Request, writers  # noqa: E402

HTML = ROOT / "_build" / "html"
T0 = datetime(2026, 3, 2, tzinfo=UTC).timestamp()
TARGETS_S = {"burst": 1.0, "workload": 5.0}


def alb_log(folder: Path) -> Path:
    """About 100,000 requests of a diurnal day as an ALB access log."""
    day = workloads.diurnal(100_000 / 86_400, 86_400.0,
                            duration_ms=workloads.LogNormalMs(120, 0.7), seed=19)
    requests = [Request(T0 + a, d) for a, d in zip(day.arrivals_s.tolist(),
                                                   day.durations_ms.tolist(), strict=True)]
    path = folder / "service-access.log"
    path.write_text("".join(writers.alb_lines(requests)), encoding="utf-8")
    return path


def in_cpython(name: str, inputs: dict, repeats: int) -> tuple[float, float]:
    """Best wall time and best CPU time (s) of one compute."""
    wall = cpu = float("inf")
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        live.compute(name, inputs)
        wall, cpu = min(wall, time.perf_counter() - w), min(cpu, time.process_time() - c)
    return wall, cpu


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def in_the_page(log: Path) -> dict[str, list[float]]:
    """Each calculator's recompute times (s) as its page measures them."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_Quiet, directory=str(HTML)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out: dict[str, list[float]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--headless", "--no-sandbox", "--disable-gpu",
                      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
            plans = {
                "keepalive_sim": ("labs/01_cold_starts_keepalive.html",
                                  [("keep_alive_min", 20), ("keep_alive_min", 10),
                                   ("rate_per_hour", 1000), ("rate_per_hour", 12)]),
                "burst": ("labs/02_burst_lambda_vs_asg.html",
                          [("peak_rate_per_s", 401), ("peak_rate_per_s", 400),
                           ("peak_rate_per_s", 401), ("peak_rate_per_s", 400)]),
                "workload": ("labs/05_your_workload.html", [("file", log)]),
            }
            for name, (path, changes) in plans.items():
                page = browser.new_page()
                page.goto(base + path)
                box = page.locator(f".ec2vl-live[data-calculator='{name}']").first
                box_id = box.get_attribute("id")
                times = []
                box.locator(".ec2vl-go").click()
                for n, change in enumerate([None, *changes], 1):
                    if change is not None:
                        key, value = change
                        control = page.locator(f"#{box_id} [name='{key}']")
                        if key == "file":
                            control.set_input_files(str(value))
                        else:
                            control.fill(str(value))
                    page.wait_for_function(
                        "([id, n]) => Number(document.getElementById(id).dataset.updates || 0)"
                        " >= n", arg=[box_id, n], timeout=600_000)
                    times.append(int(page.evaluate(
                        "(id) => document.getElementById(id).dataset.updateMs", box_id)) / 1e3)
                out[name] = times
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = alb_log(Path(folder))
        size = log.stat().st_size
        lines = sum(1 for _ in log.open(encoding="utf-8"))
        print(f"ALB log: {size / 1e6:.1f} MB, {lines:,} lines")
        file_input = {"file": [{"name": log.name, "size": size, "path": str(log)}]}
        print(f"CPython (best of {args.repeats}): wall ms / CPU ms")
        for name, inputs in (("keepalive_sim", {}), ("burst", {}), ("workload", file_input)):
            wall, cpu = in_cpython(name, inputs, args.repeats)
            print(f"  {name:14} {wall * 1e3:7.0f} / {cpu * 1e3:7.0f}")
        if args.no_browser or not (HTML / "_live" / "manifest.json").exists() \
                or not shutil.which("chromium"):
            print("the page: skipped (needs make book, Chromium, and no --no-browser)")
            return 0
        print("the page (Pyodide in Chromium), data-update-ms per recompute, s:")
        for name, times in in_the_page(log).items():
            target = TARGETS_S.get(name)
            shown = ", ".join(f"{t:.2f}" for t in times)
            verdict = "" if target is None else (
                f"  target {target:g} s: {'met' if max(times) <= target else 'missed'}")
            print(f"  {name:14} {shown}{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
