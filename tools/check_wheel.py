"""Build the package's wheel, install it the way a learner does into a fresh venv, and run every
notebook of the book with it from outside the checkout.

A package that only works from a git checkout hides missing data files and undeclared
dependencies. This check catches both:

1. it builds the wheel and checks that it carries every data file (``data/``, the synthetic
   trace's compressed days included, and the workshop's timings);
2. it creates a fresh venv and installs ``requirements-learner.txt`` into it, the learner's one
   command, with the wheel in place of the course folder (``.[labs,trace]``): the package, its
   extras and JupyterLab, nothing of the book's build or tests (it checks that myst-nb is
   absent);
3. from a temporary folder, away from ``data/`` and the source tree, it imports every module and
   checks the data come from the wheel, then runs the learner's smoke test
   (``python -m ec2vslambda.check``);
4. it copies the course's notebook folders (``chapters/``, ``labs/`` with the thumbnail
   function, ``workshop/``) and ``_config.yml`` there, as a learner's copy of the course has
   them, and executes every notebook top to bottom in that venv's kernel (each Colab setup cell
   sees no Colab and does nothing);
5. it uninstalls Pillow and checks that the smoke test then fails, naming Pillow and its fix.

Usage: ``python tools/check_wheel.py`` (``make wheel-check``; ``.ci/run`` runs it). It installs
from the package index, like any learner's ``pip install`` (pip's cache makes repeat runs
quick). Prints the time of each stage and exits non-zero on failure.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEARNER_REQUIREMENTS = ROOT / "requirements-learner.txt"
#: The line of requirements-learner.txt that installs the course folder itself.
LOCAL_PACKAGE = re.compile(r"^\.(\[[\w,]+\])?\s*$")
#: What a learner's copy of the course holds besides the package: the notebook folders, and the
#: book's configuration (the setup page reads the repository's address from it).
COURSE_COPY = ("chapters", "labs", "workshop", "_config.yml")
#: The fresh venv's kernelspec, under a name no other Jupyter installation uses.
KERNEL = "ec2vslambda-wheel-check"

# Runs inside the fresh venv, from a folder that is not the checkout.
SMOKE = r'''
import importlib, importlib.util, json, pkgutil, sys
from pathlib import Path

import ec2vslambda
from ec2vslambda import data, pricing

root = Path(ec2vslambda.__file__).parent
checkout = Path(sys.argv[1])
assert checkout not in root.parents, f"imported from the checkout: {root}"
assert importlib.util.find_spec("myst_nb") is None, "myst-nb is installed: it must not be needed"
names = sorted(m.name for m in pkgutil.walk_packages([str(root)], "ec2vslambda."))
for name in names:
    importlib.import_module(name)
assert data.data_dir() == root / "_data", data.data_dir()
from ec2vslambda.traffic import FORMATS, read, samples  # the sample traffic files ship too
assert all(read(*samples.paths(f)).format == f for f in FORMATS)
import subprocess  # the console script the wheel installs: ec2vslambda workload FILE --json
script = Path(sys.executable).parent / "ec2vslambda"
shown = subprocess.run([str(script), "workload", str(samples.paths("lambda-text")[0]), "--json"],
                       capture_output=True, text=True, check=True).stdout
assert json.loads(shown)["numbers"]["format"] == "lambda-text"
bill = pricing.lambda_cost(5_000_000, 120, 512, arch="arm64")
fleet = pricing.ec2_monthly_usd("t4g.small")
print(json.dumps({"modules": len(names), "lambda_usd": round(bill.total_usd, 2),
                  "ec2_usd": round(fleet, 2), "data_dir": str(data.data_dir())}))
'''

# Runs inside the fresh venv: execute each notebook in its own folder, in that venv's kernel
# (argv[1] names its kernelspec, installed into the venv, so no other Jupyter's "python3" is
# taken instead).
EXECUTE = r'''
import sys, time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

failed = []
for name in sys.argv[2:]:
    path = Path(name)
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    try:
        NotebookClient(notebook, timeout=600, kernel_name=sys.argv[1],
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    except Exception as error:  # report every notebook, then fail
        failed.append(name)
        print(f"FAILED {name}: {type(error).__name__}: {str(error)[-2000:]}", flush=True)
    else:
        print(f"ok {name} ({time.perf_counter() - start:.0f} s)", flush=True)
sys.exit(1 if failed else 0)
'''


def run(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if check and done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(args)}")
    return done


def learner_requirements(wheel: Path, source: Path = LEARNER_REQUIREMENTS) -> str:
    """requirements-learner.txt with its course-folder line (``.[extras]``) pointing at the
    wheel instead, everything else as it is."""
    lines, replaced = [], 0
    for line in source.read_text(encoding="utf-8").splitlines():
        match = LOCAL_PACKAGE.match(line.strip())
        if match:
            line, replaced = f"{wheel}{match.group(1) or ''}", replaced + 1
        lines.append(line)
    if replaced != 1:
        raise SystemExit(f"{source.name}: expected one line installing the course folder "
                         f"('.[extras]'), found {replaced}")
    return "\n".join(lines) + "\n"


def venv_python(env: Path) -> Path:
    folder = "Scripts" if sys.platform == "win32" else "bin"
    return env / folder / ("python.exe" if sys.platform == "win32" else "python")


def data_files() -> list[str]:
    """Where the wheel must hold each file of ``data/`` (all but its README) and the workshop's
    timings, which the package reads."""
    data = ROOT / "data"
    files = [f"ec2vslambda/_data/{p.relative_to(data).as_posix()}" for p in sorted(data.rglob("*"))
             if p.is_file() and p.name != "README.md"]
    return files + ["ec2vslambda/_workshop/timings.yml"]


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def notebooks(course: Path) -> list[Path]:
    return sorted(p for folder in ("chapters", "labs", "workshop")
                  for p in (course / folder).glob("*.ipynb"))


def main() -> int:
    start = time.perf_counter()
    times: dict[str, float] = {}

    def stage(name: str, began: float) -> None:
        times[name] = time.perf_counter() - began
        print(f"== {name}: {times[name]:.0f} s", flush=True)

    with tempfile.TemporaryDirectory(prefix="wheel-check-") as tmp:
        tmp_path = Path(tmp)
        began = time.perf_counter()
        run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path),
            str(ROOT))
        wheel = next(tmp_path.glob("ec2vslambda-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            packed = set(archive.namelist())
        missing = sorted(name for name in data_files() if name not in packed)
        if missing:
            raise SystemExit(f"the wheel lacks data files: {', '.join(missing)}")
        stage("build the wheel", began)

        began = time.perf_counter()
        env = tmp_path / "venv"
        venv.create(env, with_pip=True)
        python = str(venv_python(env))
        requirements = tmp_path / "requirements-learner.txt"
        requirements.write_text(learner_requirements(wheel), encoding="utf-8")
        run(python, "-m", "pip", "install", "-q", "-r", str(requirements))
        size_mb = folder_mb(env)
        stage(f"install requirements-learner.txt into a fresh venv ({size_mb:,.0f} MB)", began)

        began = time.perf_counter()
        course = tmp_path / "course"
        course.mkdir()
        (course / "smoke.py").write_text(SMOKE, encoding="utf-8")
        smoke = run(python, "smoke.py", str(ROOT), cwd=course).stdout.strip()
        setup = run(python, "-m", "ec2vslambda.check", cwd=course).stdout
        stage("import from outside the checkout; the learner's smoke test", began)

        began = time.perf_counter()
        for name in COURSE_COPY:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, course / name,
                                ignore=shutil.ignore_patterns(".ipynb_checkpoints",
                                                              "__pycache__"))
            else:
                shutil.copy2(source, course / name)
        (course / "execute.py").write_text(EXECUTE, encoding="utf-8")
        run(python, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL)
        paths = [str(p.relative_to(course)) for p in notebooks(course)]
        executed = run(python, "execute.py", KERNEL, *paths, cwd=course, check=False)
        print(executed.stdout, end="")
        if executed.returncode:
            sys.stderr.write(executed.stderr[-5000:])
            raise SystemExit("a notebook failed outside the checkout (see above)")
        stage(f"execute {len(paths)} notebooks outside the checkout", began)

        began = time.perf_counter()
        run(python, "-m", "pip", "uninstall", "-q", "-y", "pillow")
        broken = run(python, "-m", "ec2vslambda.check", cwd=course, check=False)
        if broken.returncode != 1 or "install pillow" not in broken.stdout:
            sys.stderr.write(broken.stdout + broken.stderr)
            raise SystemExit("the smoke test did not fail loudly with Pillow missing")
        stage("the smoke test fails, naming Pillow, once Pillow is uninstalled", began)

    print(f"wheel {wheel.name}: installed from requirements-learner.txt into a fresh venv "
          f"({size_mb:,.0f} MB); from outside the checkout: {smoke}")
    print(setup.strip().splitlines()[-1])
    print(f"{len(paths)} notebooks ran outside the checkout; wheel check done in "
          f"{time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
