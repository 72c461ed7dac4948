"""Time a clean build of the book (target: <= 60 s on a 2-core machine, after install).

Builds into a fresh temporary folder, so nothing is reused: first as `make book` and `make test`
do (from the outputs stored in the notebooks), then with every notebook executed by the build
(execution "force", as `make test` built before nbval became the one execution).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 60.0


def _verdict(seconds: float, target_s: float | None) -> str:
    if target_s is None:
        return "(no target: it runs every notebook once more)"
    return f"(target <= {target_s:.0f} s: {'met' if seconds <= target_s else 'NOT met'})"


def build(label: str, mode: str, target_s: float | None = None) -> int:
    jb = Path(sys.executable).with_name("jupyter-book")
    config = subprocess.run([sys.executable, "tools/book_config.py", mode], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.strip()
    out = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        start = time.perf_counter()
        result = subprocess.run([str(jb), "build", "--all", "-W", "-n", "--keep-going", ".",
                                 "--config", config, "--path-output", str(out)], cwd=ROOT,
                                capture_output=True, text=True)
        seconds = time.perf_counter() - start
        html = out / "_build" / "html"
        pages = len(list(html.rglob("*.html"))) if html.exists() else 0
        size_mb = sum(p.stat().st_size for p in html.rglob("*") if p.is_file()) / 1e6
        status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
        print(f"clean build, {label}: {seconds:.1f} s, {pages} HTML pages, {size_mb:.1f} MB, "
              f"{status} " + _verdict(seconds, target_s))
        if result.returncode:
            print(result.stdout[-2000:], result.stderr[-2000:], sep="\n")
        return result.returncode
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> int:
    return build("make book / make test (stored outputs)", "off", TARGET_S) or build(
        "every notebook executed (force)", "force")


if __name__ == "__main__":
    sys.exit(main())
