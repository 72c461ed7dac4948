"""The package's layers, and each module's declared public names.

Imports run one way (CONTRIBUTING.md, "How the package is layered"): the base (checkers and the
words of results) -> the data -> the model -> the live calculators -> the front ends (the
ipywidgets forms and the Sphinx extensions). A module imports from its own layer or the ones
below it, never from one above, so that the browser's Python never needs a widget and the model
never needs a page. Read from the source (every import, a function's lazy ones too), not by
importing anything.

A new module needs no entry here: a module of the package outside ``live/`` and ``widgets/`` is
in the model layer unless :data:`LAYER_OF` says otherwise, and it declares ``__all__``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ec2vslambda"

#: The layers, lowest first.
LAYERS = ("base", "data", "model", "live", "front ends")
#: Modules (dotted, from the book's root) outside the model layer, by the start of their name.
LAYER_OF = {
    "ec2vslambda.validation": "base",
    "ec2vslambda.words": "base",
    "ec2vslambda.data": "data",
    "ec2vslambda.bounds": "data",
    "ec2vslambda.live": "live",
    # the workload report is a live result (ec2vslambda.live's helpers), re-exported with the
    # readers by ec2vslambda.traffic, so the whole package sits at the live layer
    "ec2vslambda.traffic": "live",
    "ec2vslambda.widgets": "front ends",
    "ec2vslambda.cli": "front ends",
    "ec2vslambda.__main__": "front ends",
    "_ext": "front ends",
}


def layer(module: str) -> str:
    """The layer of a dotted module name of the book (``None``-free: the package's own)."""
    best = max((prefix for prefix in LAYER_OF
                if module == prefix or module.startswith(prefix + ".")), key=len, default=None)
    return LAYER_OF[best] if best else "model"


def dotted(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(module: str, source: str, *, package: bool = False) -> list[tuple[int, str]]:
    """(line, dotted module) of every import of the book's own modules in ``source``, the text
    of ``module`` (``package``: an ``__init__.py``)."""
    here = module.split(".")
    base_package = here if package else here[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = base_package[:len(base_package) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
                names = [stem] if node.module else [f"{stem}.{a.name}" for a in node.names]
            else:
                names = [node.module or ""]
        else:
            continue
        found += [(node.lineno, n) for n in names if n.split(".")[0] in ("ec2vslambda", "_ext")]
    return found


def upward(module: str, source: str, *, package: bool = False) -> list[str]:
    """The imports of ``source`` that run up from ``module``'s layer."""
    mine = LAYERS.index(layer(module))
    return [f"line {line}: {name} ({layer(name)})"
            for line, name in imported(module, source, package=package)
            if LAYERS.index(layer(name)) > mine]


def sources() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py")) + sorted((ROOT / "_ext").rglob("*.py"))
    return [p for p in files if "__pycache__" not in p.parts]


def test_the_layer_map_knows_every_layer():
    assert set(LAYER_OF.values()) <= set(LAYERS)
    assert layer("ec2vslambda.live.adapter") == "live" and layer("ec2vslambda.bills") == "model"
    assert layer("ec2vslambda.engine") == "model"  # a new module: the model's
    assert layer("ec2vslambda.traffic.report") == "live"
    assert layer("_ext.live_calculators.i18n") == "front ends"


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_runs_up_a_layer(path):
    module = dotted(path)
    found = upward(module, path.read_text(encoding="utf-8"), package=path.name == "__init__.py")
    assert not found, f"{module} ({layer(module)}) imports from a higher layer: {found}"


def test_the_check_catches_an_upward_import():
    assert upward("ec2vslambda.pricing", "def f():\n    from .live import adapter\n") == [
        "line 2: ec2vslambda.live (live)"]
    assert upward("ec2vslambda.live.adapter", "from .. import pricing\nfrom . import spec\n") == []
    assert upward("ec2vslambda.data", "import ec2vslambda.widgets.common\n") == [
        "line 1: ec2vslambda.widgets.common (front ends)"]


@pytest.mark.parametrize("path", [p for p in sorted(PACKAGE.rglob("*.py"))
                                  if p.name != "__init__.py" or p.parent != PACKAGE],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_declares_its_public_names(path):
    """``__all__`` lists what other modules and the notebooks may use; every name in it
    exists."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    declared = next((node.value for node in tree.body if isinstance(node, ast.Assign)
                     and any(getattr(t, "id", None) == "__all__" for t in node.targets)), None)
    assert declared is not None, f"{dotted(path)} declares no __all__ (its public names)"
    names = ast.literal_eval(declared)
    defined = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign):
            defined |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            defined.add(node.target.id)
        elif isinstance(node, ast.ImportFrom | ast.Import):
            defined |= {(a.asname or a.name).split(".")[0] for a in node.names}
    assert set(names) <= defined, f"{dotted(path)}.__all__ names {set(names) - defined}"
    assert len(names) == len(set(names))
