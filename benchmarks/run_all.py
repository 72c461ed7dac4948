"""Run every benchmark script in this folder and print their figures (`make bench`)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failures = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        try:
            runpy.run_path(str(script), run_name="__main__")
        except SystemExit as stop:
            failures += bool(stop.code)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
