"""Time the week-long replay behind lab 1: every policy of the paper's figure, both models.

Target (issue 11): <= 60 s on this 2-core machine for all policies, hybrid included, on the
synthetic week (300 applications, about 21 million invocations). Runs the same code as
``tools/replay_week.py`` without writing its file, and checks that the result equals the stored
``data/lab1_week_replay.csv``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.replay_week import OUT, replay_week  # noqa: E402


def main() -> int:
    table, took = replay_week(ROOT / "data" / "synthetic_week")
    stored = pd.read_csv(OUT)
    same = stored.shape == table.shape and (
        (stored.drop(columns="wasted_memory_s") == table.drop(columns="wasted_memory_s"))
        .all().all() and ((stored["wasted_memory_s"] - table["wasted_memory_s"]).abs()
                          <= 1e-3).all())
    print(f"week replay: {took['applications']} applications, {took['invocations']:,} "
          f"invocations, {table['policy'].nunique()} policies x 2 models in "
          f"{took['replay_s']:.1f} s (+{took['load_s']:.1f} s to load; target <= 60 s: "
          f"{'met' if took['replay_s'] <= 60 else 'NOT met'}); equals the stored "
          f"{OUT.name}: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
