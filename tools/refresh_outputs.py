"""Re-execute notebooks in place so their committed outputs match the current code and data.

Usage: ``python tools/refresh_outputs.py [NOTEBOOK ...]`` (default: every notebook in chapters/
and labs/). Each notebook runs in its own folder, top to bottom, in a fresh kernel of this
environment. Stored widget state is dropped: the site never draws widgets (see _config.yml), and
the state would only bloat the pages. Run ``make test`` afterwards: strict nbval then proves that
a fresh run reproduces what was stored.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def refresh(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False, store_widget_state=False)
    client.execute()
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(
        p for folder in ("chapters", "labs") for p in (ROOT / folder).rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts)
    for path in paths:
        seconds = refresh(path.resolve())
        print(f"{path}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
