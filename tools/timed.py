"""Run one stage of ``make test`` and print its name and its time, on any operating system.

Usage: ``python tools/timed.py "STAGE" COMMAND [ARG ...]``. Prints ``== STAGE`` before and
``== STAGE: 12.3 s`` after, and exits with the command's own status, so ``make`` stops at the first
failing stage. (The Makefile used ``date +%s.%N`` and ``awk`` for this, which native Windows does
not have.)
"""

from __future__ import annotations

import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    stage, command = argv[0], argv[1:]
    print(f"== {stage}", flush=True)
    start = time.perf_counter()
    status = subprocess.call(command)
    if status == 0:
        print(f"== {stage}: {time.perf_counter() - start:.1f} s", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
