"""The package bundle the browser loads: the course package's modules and data as one zip."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

BOOK_ROOT = Path(__file__).resolve().parent.parent.parent
BUNDLE_EXCLUDE = ("widgets",)  # ipywidgets front ends: not for the browser
DATA_EXCLUDE = re.compile(r"trace|replay", re.IGNORECASE)  # large data no calculator reads


def bundle_bytes(root: Path = BOOK_ROOT) -> bytes:
    """A zip of the course package's modules and data, as the worker unpacks it.

    The CSV files go to ``ec2vslambda/_data/``, where an installed package looks for them.
    Entries are written in a fixed order with a fixed date, so the same sources give the same
    bytes (and the same cache-busting name).
    """
    package = root / "ec2vslambda"
    files: list[tuple[str, bytes]] = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] in BUNDLE_EXCLUDE or "__pycache__" in relative.parts:
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
