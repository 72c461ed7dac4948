"""Re-execute notebooks in place so their committed outputs match the current code and data.

Usage: ``python tools/refresh_outputs.py [NOTEBOOK ...]`` (default: every notebook of the book,
see ``default_notebooks``). Each notebook runs in its own folder, top to bottom, in a fresh kernel
of this environment, and is then written in a normal form (``normalise``), so that re-running an
unchanged notebook leaves the file byte-identical and a diff shows only outputs that changed:

- execution counts run 1, 2, 3... in cell order (a fresh kernel, every cell once);
- no timings (``record_timing=False``; stale ``execution``/``ExecuteTime`` metadata is dropped),
  no editor UI state, no stored widget state (the site never draws widgets, see _config.yml) and
  so no widget views either: each pointed at a model that is not stored, under a random id that
  changed on every run; the widget's plain-text form (how to make it live) stays;
- a cell's stream outputs are merged, one per stream (how a kernel splits prints into messages
  depends on timing), as strict nbval does before it compares;
- the kernel and language metadata are the same fixed values on every machine (no Python
  version), and nbformat writes keys in sorted order.

Outputs that measure this machine or name a free port (cells marked ``# NBVAL_IGNORE_OUTPUT``,
timings and ports matched by tests/nbval_sanitize.cfg) still change from run to run: that is what
they show. Run ``make test``
afterwards: strict nbval then proves that a fresh run reproduces what was stored.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
# Folders never holding the book's notebooks (build output, environments, test artefacts).
SKIP_PARTS = {"_build", ".venv", ".ipynb_checkpoints", "test-artifacts", "node_modules", ".git"}

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
# What ipykernel reports, minus its Python version (which differs between machines).
LANGUAGE_INFO = {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                 "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                 "pygments_lexer": "ipython3"}
# Notebook metadata written by editors or extensions, never by authors.
VOLATILE_NOTEBOOK_METADATA = ("widgets", "vscode", "toc", "varInspector")
# Cell metadata that records a run or an editor's view, not the cell's content.
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "scrolled", "collapsed")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def default_notebooks(root: Path = ROOT) -> list[Path]:
    """Every .ipynb under the book root (chapters, labs, workshop, ...), in path order."""
    return sorted(p for p in root.rglob("*.ipynb")
                  if not SKIP_PARTS.intersection(p.relative_to(root).parts))


def _merge_streams(outputs: list) -> list:
    """Merge each run of consecutive stream outputs with the same name into one output."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")):
            previous["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def normalise(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Put an executed notebook in the normal form described above (in place; returned too)."""
    metadata = notebook.metadata
    for key in VOLATILE_NOTEBOOK_METADATA:
        metadata.pop(key, None)
    metadata["kernelspec"] = nbformat.from_dict(KERNELSPEC)
    metadata["language_info"] = nbformat.from_dict(LANGUAGE_INFO)
    for cell in notebook.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = _merge_streams(cell.outputs)
            for output in cell.outputs:
                output.get("data", {}).pop(WIDGET_VIEW, None)
    return notebook


def refresh(path: Path) -> float:
    """Execute one notebook in place and write it normalised; return the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False, store_widget_state=False,
                            coalesce_streams=True)
    client.execute()
    nbformat.write(normalise(notebook), path)
    return time.perf_counter() - start


def _shown(path: Path) -> str:
    resolved = path.resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(path)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or default_notebooks()
    total = 0.0
    for path in paths:
        seconds = refresh(path.resolve())
        total += seconds
        print(f"{_shown(path)}: executed in {seconds:.1f} s", flush=True)
    print(f"{len(paths)} notebook(s) in {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
