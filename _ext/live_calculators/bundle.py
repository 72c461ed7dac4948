"""The package bundle the browser loads: the course package's modules and data as one zip.

Only the modules the browser runs go in: ``ec2vslambda.live``, its adapter and every live
calculator module, with the package's modules they import, at any depth, lazy imports included
(found by the same reading of import statements that trims the standard library,
``_ext/reader/stdlib.py``). Readers of log files, the command line, the workshop's tools and the
local AWS stand-ins stay out: about half of the package's bytes. ``tests/test_live_bundle.py``
runs every live calculator from the bundle alone.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

BOOK_ROOT = Path(__file__).resolve().parent.parent.parent
BUNDLE_EXCLUDE = ("widgets",)  # ipywidgets front ends: not for the browser
DATA_EXCLUDE = re.compile(r"trace|replay", re.IGNORECASE)  # large data no calculator reads


def browser_modules(root: Path = BOOK_ROOT) -> set[str]:
    """The package's modules the browser runs (dotted names): the live calculators and what
    they import."""
    import sys

    extensions = str(Path(__file__).resolve().parent.parent)
    if extensions not in sys.path:
        sys.path.insert(0, extensions)
    from reader import stdlib

    from ec2vslambda import live

    package = root / "ec2vslambda"
    sources = {}
    for path in sorted(package.rglob("*.py")):
        named = stdlib.module_name(path.relative_to(root).as_posix())
        if named is not None:
            sources[named[0]] = (path.read_text(encoding="utf-8"), named[1])
    roots = ["ec2vslambda.live", "ec2vslambda.live.adapter",
             *(f"ec2vslambda.live.{m}" for m in live.MODULES.values())]
    return stdlib.closure(roots, sources)


def bundle_bytes(root: Path = BOOK_ROOT) -> bytes:
    """A zip of the course package's modules the browser runs (:func:`browser_modules`) and its
    data, as the worker unpacks it.

    The CSV files go to ``ec2vslambda/_data/``, where an installed package looks for them.
    Entries are written in a fixed order with a fixed date, so the same sources give the same
    bytes (and the same cache-busting name).
    """
    package = root / "ec2vslambda"
    wanted = browser_modules(root)
    files: list[tuple[str, bytes]] = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] in BUNDLE_EXCLUDE or "__pycache__" in relative.parts:
            continue
        name = ".".join(("ec2vslambda", *relative.with_suffix("").parts))
        if name.removesuffix(".__init__") not in wanted:
            continue
        files.append((f"ec2vslambda/{relative.as_posix()}", path.read_bytes()))
    for path in sorted((root / "data").glob("*.csv")):
        if not DATA_EXCLUDE.search(path.name):
            files.append((f"ec2vslambda/_data/{path.name}", path.read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
