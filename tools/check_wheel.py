"""Build the package's wheel, install it with its extras into a fresh venv, and use it from
outside the checkout.

A package that only works from a git checkout hides missing data files and undeclared
dependencies. This check catches both: the fresh venv has nothing but what the wheel declares,
and it runs from a temporary folder, so ``data/`` and the source tree are out of reach.

Usage: ``python tools/check_wheel.py`` (``make wheel-check``; ``.ci/run`` runs it). It installs
the wheel's dependencies from the package index, like any user's ``pip install``, so it needs the
registry (pip's cache makes repeat runs quick). Prints what it did and exits non-zero on failure.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = "labs,trace"

# Runs inside the fresh venv, from a folder that is not the checkout.
SMOKE = r'''
import importlib, json, pkgutil, sys
from pathlib import Path

import ec2vslambda
from ec2vslambda import data, pricing

root = Path(ec2vslambda.__file__).parent
checkout = Path(sys.argv[1])
assert checkout not in root.parents, f"imported from the checkout: {root}"
names = sorted(m.name for m in pkgutil.walk_packages([str(root)], "ec2vslambda."))
for name in names:
    importlib.import_module(name)
import moto.server, boto3, PIL  # the labs extra
import dask.distributed, statsmodels  # the trace extra
from ec2vslambda import simulate
assert simulate.simulate_lambda([0.0, 1.0], [100.0, 100.0]).cold_starts == 1  # numba compiles
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


def run(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(args)}")
    return done.stdout


def main() -> int:
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wheel-check-") as tmp:
        tmp_path = Path(tmp)
        run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT))
        wheel = next(tmp_path.glob("ec2vslambda-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            csvs = [n for n in archive.namelist() if n.endswith(".csv")]
        shipped = sorted(p.name for p in (ROOT / "data").glob("*.csv"))
        missing = sorted(set(shipped) - {Path(n).name for n in csvs})
        if missing:
            raise SystemExit(f"the wheel lacks data files: {', '.join(missing)}")
        env = tmp_path / "venv"
        venv.create(env, with_pip=True)
        python = env / "bin" / "python"
        run(str(python), "-m", "pip", "install", "-q", f"{wheel}[{EXTRAS}]")
        away = tmp_path / "elsewhere"
        away.mkdir()
        (away / "smoke.py").write_text(SMOKE, encoding="utf-8")
        result = run(str(python), "smoke.py", str(ROOT), cwd=away)
    print(f"wheel {wheel.name}: {len(csvs)} data files; installed with [{EXTRAS}] into a fresh "
          f"venv; from outside the checkout: {result.strip()} "
          f"({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
