"""What the browser's Python can import: a module's imports, checked transitively.

The live calculators and the traffic readers run on Pyodide, which has the standard library and
this package but no numpy, pandas, ... Used by tests/test_live.py and tests/test_traffic_readers.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What the browser has: the standard library and this package (no numpy, pandas, ...).
BROWSER_UNAVAILABLE = {"numpy", "pandas", "matplotlib", "ipywidgets", "IPython", "scipy",
                       "simpy", "tqdm", "boto3", "moto", "PIL", "yaml", "numba", "dask",
                       "distributed"}


def browser_import_problems(module: Path) -> list[str]:
    """``"<file> imports <name>"`` for each module-level import, in ``module`` or any package
    module it imports (relative imports, followed), that the browser lacks. Imports inside
    functions are lazy and not counted."""
    seen: set[Path] = set()
    problems: list[str] = []

    def visit(path: Path) -> None:
        if path in seen:
            return
        seen.add(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only: imports inside functions are lazy
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: follow it inside the package
                    base = path.parent
                    for _ in range(node.level - 1):
                        base = base.parent
                    parts = (node.module or "").split(".") if node.module else []
                    candidates = [base.joinpath(*parts)] if parts else []
                    candidates += [base.joinpath(*parts, a.name) for a in node.names]
                    for candidate in candidates:
                        for file in (candidate.with_suffix(".py"), candidate / "__init__.py"):
                            if file.is_file():
                                visit(file)
                    continue
                targets = [node.module or ""]
            for target in targets:
                if target.split(".")[0] in BROWSER_UNAVAILABLE:
                    problems.append(f"{path.relative_to(ROOT)} imports {target}")

    visit(module)
    return problems
