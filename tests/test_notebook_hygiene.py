"""Rules every committed notebook keeps, checked without running it (fast, no browser).

Strict nbval proves stored text outputs match a fresh run; these checks cover what it cannot:
figures need alt text for screen readers, stored widget state bloats pages, every code cell
must carry its outputs, and stored errors are allowed only where a cell is meant to fail.
"""

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for folder in ("chapters", "labs", "workshop")
                   for p in (ROOT / folder).glob("*.ipynb"))


def code_cells(path):
    return [(i, c) for i, c in enumerate(nbformat.read(path, as_version=4).cells)
            if c.cell_type == "code"]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 10


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_figure_has_alt_text(path):
    missing = [i for i, cell in code_cells(path)
               if any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))
               and len(cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")) < 20]
    assert not missing, (f"cells {missing} draw a figure without alt text: set the cell metadata "
                         '{"mystnb": {"image": {"alt": "what the figure shows"}}}')


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_executed_in_order_with_outputs_and_no_widget_state(path):
    notebook = nbformat.read(path, as_version=4)
    assert "widgets" not in notebook.metadata, "stored widget state: run `make outputs`"
    counts = [c.execution_count for c in notebook.cells if c.cell_type == "code"]
    assert None not in counts, "a code cell was never executed: run `make outputs`"
    assert counts == sorted(counts), "cells were executed out of order: run `make outputs`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_stored_errors_only_where_meant(path):
    for i, cell in code_cells(path):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            assert "raises-exception" in cell.metadata.get("tags", []), (
                f"cell {i} stores a {errors[0].get('ename')} but is not tagged raises-exception")
