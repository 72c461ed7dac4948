"""The one source of every notebook's Colab setup cell, and the tool that writes it.

Each notebook's first code cell fetches the course on Colab and installs the package with the
extras that notebook needs (``pyproject.toml``'s ``[project.optional-dependencies]``). The cell is
generated from :data:`TEMPLATE`, never edited by hand: ``python tools/colab_setup.py`` rewrites
the cell of every notebook, and ``tests/test_site_check.py`` fails when a notebook's cell is not
exactly what this module generates for it.

Which extras a notebook needs is read from its own code: a notebook that imports a module listed
in :data:`EXTRA_FOR_IMPORT` (for example ``localaws``, which starts moto's S3 server) gets that
extra. So a notebook that starts using the local S3 cannot forget to install it on Colab.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("chapters", "labs", "workshop")
REPOSITORY = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]

TEMPLATE = '''\
# Setup. On Colab, fetch the course (package and data) first; elsewhere this does nothing.
import sys

if "google.colab" in sys.modules:  # pragma: no cover - runs only on Colab
    import subprocess

    REPO = "{repository}"
    subprocess.run(["git", "clone", "-q", "--depth", "1", REPO, "/content/course"], check=False)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e",
                    "{target}"], check=True)
    sys.path.insert(0, "/content/course")'''

# A module, imported by a notebook (directly or through an ec2vslambda module), whose
# dependencies live in an extra rather than in the package's core dependencies.
EXTRA_FOR_IMPORT = {
    "localaws": "labs",  # moto's S3/SQS server, boto3
    "local_runtime": "labs",  # the lab 4 runtime talks to the local S3 through boto3
    "PIL": "labs",
    "boto3": "labs",
    "moto": "labs",
    "thumbnail_handler": "labs",  # ec2vslambda.workshop helper that starts a local S3
    "thumbnail_cost_range": "labs",
    "replay_policies": "trace",  # trace replays on Dask, ARIMA by statsmodels (ec2vslambda.replay)
    "load_azure_trace": "trace",
    "check.run": "labs,trace",  # the learner's smoke test tries every part of the course
}


def _code(notebook) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "code")


def extras_needed(notebook) -> tuple[str, ...]:
    """The extras a notebook's code needs, sorted."""
    code = _code(notebook)
    return tuple(sorted({extra for name, extras in EXTRA_FOR_IMPORT.items()
                         if re.search(rf"\b{re.escape(name)}\b", code)
                         for extra in extras.split(",")}))


def cell_source(extras: tuple[str, ...] = ()) -> str:
    target = "/content/course" + (f"[{','.join(extras)}]" if extras else "")
    return TEMPLATE.format(repository=REPOSITORY, target=target)


def expected_cell(notebook) -> str:
    return cell_source(extras_needed(notebook))


def notebooks() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (ROOT / folder).glob("*.ipynb"))


def first_code_cell(notebook):
    return next(c for c in notebook.cells if c.cell_type == "code")


def main(argv: list[str]) -> int:
    changed = 0
    for path in [Path(a).resolve() for a in argv] or notebooks():
        notebook = nbformat.read(path, as_version=4)
        cell = first_code_cell(notebook)
        want = expected_cell(notebook)
        if cell.source != want:
            cell.source = want
            nbformat.write(notebook, path)
            changed += 1
            print(f"{path.relative_to(ROOT)}: setup cell rewritten")
    print(f"{changed} notebook(s) changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
