"""Time a clean build of the book (target: <= 60 s on a 2-core machine, after install).

Builds into a fresh temporary folder with the same flags as `make book`, so nothing is reused.
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


def main() -> int:
    jb = Path(sys.executable).with_name("jupyter-book")
    out = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        start = time.perf_counter()
        result = subprocess.run([str(jb), "build", "--all", "-W", "-n", "--keep-going", ".",
                                 "--path-output", str(out)], cwd=ROOT, capture_output=True,
                                text=True)
        seconds = time.perf_counter() - start
        html = out / "_build" / "html"
        pages = len(list(html.rglob("*.html"))) if html.exists() else 0
        size_mb = sum(p.stat().st_size for p in html.rglob("*") if p.is_file()) / 1e6
        status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
        print(f"clean book build: {seconds:.1f} s, {pages} HTML pages, {size_mb:.1f} MB, {status} "
              f"(target <= {TARGET_S:.0f} s: {'met' if seconds <= TARGET_S else 'NOT met'})")
        if result.returncode:
            print(result.stdout[-2000:], result.stderr[-2000:], sep="\n")
        return result.returncode
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
