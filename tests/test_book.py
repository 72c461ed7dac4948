"""ec2vslambda.book: glue through myst-nb when it is there, plainly when it is not; and the
notebooks import nothing that the course package does not declare."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import nbformat
import pytest

from ec2vslambda import book

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for folder in ("chapters", "labs", "workshop")
                   for p in (ROOT / folder).glob("*.ipynb"))


@pytest.fixture
def shown(monkeypatch):
    """Every call to IPython's display, as (args, kwargs)."""
    import IPython.display

    calls = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: calls.append((a, k)))
    return calls


def test_glue_is_myst_nbs_when_myst_nb_is_installed(monkeypatch):
    import myst_nb

    recorded = []
    monkeypatch.setattr(myst_nb, "glue", lambda *a, **k: recorded.append((a, k)))
    book.glue("answer", "42", display=False)
    assert recorded == [(("answer", "42"), {"display": False})]


def test_without_myst_nb_a_prose_value_is_shown_as_one_plain_line(monkeypatch, shown):
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # import myst_nb now raises ImportError
    book.glue("free_requests", "1,000,000", display=False)
    book.glue("ratio", 0.25, display=False)
    assert shown == [(({"text/plain": "free_requests = 1,000,000"},), {"raw": True}),
                     (({"text/plain": "ratio = 0.25"},), {"raw": True})]


def test_without_myst_nb_a_displayed_value_is_displayed_as_itself(monkeypatch, shown):
    monkeypatch.setitem(sys.modules, "myst_nb", None)
    table = {"a": 1}
    book.glue("table", table)
    assert shown == [((table,), {})]


# --- the notebooks need nothing the package does not declare ----------------------------------

def _imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a notebook's code imports (magics and shell lines
    removed)."""
    notebook = nbformat.read(path, as_version=4)
    names = set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        code = "\n".join(line for line in cell.source.splitlines()
                         if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def _declared_distributions() -> set[str]:
    """The package's dependencies and every extra's, plus ipykernel (what runs a notebook)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    names = {re.split(r"[\[<>=!~ ;]", r, maxsplit=1)[0] for r in requirements}
    return {n.lower().replace("_", "-") for n in names} | {"ipykernel"}


def _own_modules() -> set[str]:
    """Modules of the course itself: the package, and the lab's function beside its notebook."""
    return {"ec2vslambda", "app"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebooks_import_only_the_standard_library_and_declared_packages(path):
    declared = _declared_distributions()
    providers = metadata.packages_distributions()
    undeclared = {}
    for name in _imported_modules(path) - _own_modules():
        if name in sys.stdlib_module_names:
            continue
        dists = {d.lower().replace("_", "-") for d in providers.get(name, [name])}
        if not dists & _with_dependencies(declared):
            undeclared[name] = sorted(dists)
    assert not undeclared, (f"{path.name} imports {undeclared}, which the course package does "
                            "not declare (pyproject.toml): a learner who installed only the "
                            "package cannot run it")


def _with_dependencies(declared: set[str]) -> set[str]:
    """Declared distributions and what they install in turn (IPython comes with ipykernel)."""
    seen, todo = set(), list(declared)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for requirement in requires:
            if "extra ==" in requirement:
                continue
            todo.append(re.split(r"[\[<>=!~ ;(]", requirement, maxsplit=1)[0].lower()
                        .replace("_", "-"))
    return seen


def test_the_import_rule_catches_myst_nb(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import numpy as np\nfrom myst_nb import glue\n%matplotlib inline\nimport json")])
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)
    assert _imported_modules(path) == {"numpy", "myst_nb", "json"}
    providers = metadata.packages_distributions()
    assert not {d.lower() for d in providers["myst_nb"]} & _with_dependencies(
        _declared_distributions())
