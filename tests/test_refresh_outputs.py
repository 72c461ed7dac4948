"""`make outputs` (tools/refresh_outputs.py) refreshes every page and writes a stable file.

Checked on small synthetic notebooks, never by executing the book's notebooks again: the normal
form is idempotent, drops what records a run or a machine, and one tiny notebook executed twice
gives byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import refresh_outputs as ro

ROOT = Path(__file__).resolve().parent.parent


def _toc_files(entries) -> list[str]:
    files = []
    for entry in entries or []:
        if "file" in entry:
            files.append(entry["file"])
        files += _toc_files(entry.get("chapters")) + _toc_files(entry.get("sections"))
        for part in entry.get("parts", []):
            files += _toc_files(part.get("chapters"))
    return files


def test_every_notebook_page_is_refreshed_by_default():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = _toc_files([toc])
    notebooks = {p for p in pages if (ROOT / f"{p}.ipynb").exists()}
    refreshed = {str(p.relative_to(ROOT).with_suffix("")) for p in ro.default_notebooks()}
    assert any(p.startswith("workshop/") for p in notebooks), "expected workshop notebooks"
    assert notebooks <= refreshed, f"make outputs skips {sorted(notebooks - refreshed)}"


def test_default_notebooks_skip_build_output_and_checkpoints(tmp_path):
    for rel in ("chapters/a.ipynb", "workshop/b.ipynb", "_build/jupyter_execute/a.ipynb",
                "labs/.ipynb_checkpoints/c-checkpoint.ipynb", ".venv/share/x.ipynb"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}")
    found = [str(p.relative_to(tmp_path)) for p in ro.default_notebooks(tmp_path)]
    assert found == ["chapters/a.ipynb", "workshop/b.ipynb"]


def _messy_notebook():
    notebook = new_notebook(cells=[
        new_markdown_cell("# Title", metadata={"tags": ["keep-me"]}),
        new_code_cell("print('a'); print('b')", execution_count=1, metadata={
            "execution": {"iopub.execute_input": "2026-12-01T10:00:00Z"},
            "ExecuteTime": {"end_time": "2026-12-01T10:00:01Z"}, "scrolled": True,
            "tags": ["hide-input"], "mystnb": {"image": {"alt": "kept"}}},
            outputs=[new_output("stream", name="stdout", text="a\n"),
                     new_output("stream", name="stdout", text="b\n"),
                     new_output("display_data", data={"text/plain": "1"}),
                     new_output("display_data", data={
                         "text/plain": "Live in a running notebook",
                         "application/vnd.jupyter.widget-view+json": {
                             "model_id": "5f0c", "version_major": 2, "version_minor": 0}})]),
    ])
    notebook.metadata = nbformat.from_dict({
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python", "version": "3.13.1"},
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}},
        "vscode": {"interpreter": {"hash": "abc"}},
        "mystnb": {"kept": True}})
    return notebook


def test_normal_form_drops_run_and_machine_details_and_keeps_the_authors():
    notebook = ro.normalise(_messy_notebook())
    assert set(notebook.metadata) == {"kernelspec", "language_info", "mystnb"}
    assert notebook.metadata.kernelspec == ro.KERNELSPEC
    assert "version" not in notebook.metadata.language_info
    code = notebook.cells[1]
    assert set(code.metadata) == {"tags", "mystnb"}
    assert notebook.cells[0].metadata == {"tags": ["keep-me"]}
    assert [o.output_type for o in code.outputs] == ["stream", "display_data", "display_data"]
    assert code.outputs[0].text == "a\nb\n"
    assert code.outputs[2].data == {"text/plain": "Live in a running notebook"}
    nbformat.validate(notebook)


def test_normal_form_is_idempotent():
    once = nbformat.writes(ro.normalise(_messy_notebook()))
    twice = nbformat.writes(ro.normalise(nbformat.reads(once, as_version=4)))
    assert once == twice


def test_streams_of_different_names_or_apart_stay_apart():
    outputs = [new_output("stream", name="stdout", text="1\n"),
               new_output("stream", name="stderr", text="2\n"),
               new_output("stream", name="stdout", text="3\n")]
    assert [o.text for o in ro._merge_streams(outputs)] == ["1\n", "2\n", "3\n"]


@pytest.mark.slow
def test_refreshing_an_unchanged_notebook_twice_gives_the_same_bytes(tmp_path):
    path = tmp_path / "tiny.ipynb"
    nbformat.write(new_notebook(cells=[
        new_markdown_cell("# Tiny"),
        # Two flushed prints with a pause come to the client as separate stream messages.
        new_code_cell("import sys, time\nprint('one', flush=True)\ntime.sleep(0.2)\n"
                      "print('two')\nsys.stderr.write('warned\\n')"),
        new_code_cell("{'b': 2, 'a': 1}"),
    ]), path)
    ro.refresh(path)
    first = path.read_bytes()
    ro.refresh(path)
    assert path.read_bytes() == first
    notebook = nbformat.read(path, as_version=4)
    assert [c.execution_count for c in notebook.cells if c.cell_type == "code"] == [1, 2]
    assert "version" not in notebook.metadata.language_info
    assert notebook.cells[1].outputs[0].text == "one\ntwo\n"
