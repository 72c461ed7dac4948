"""Is this Python ready for the course? A smoke test a learner runs before the session.

From a terminal, in the environment the notebooks use::

    python -m ec2vslambda.check

or in a notebook (the last cell of the setup page)::

    from ec2vslambda import check
    report = check.run()
    report.raise_for_failures()
    report

It tries each part the course needs, for real, and says for each one what it found and, when the
part is missing or broken, what to do about it:

* Python 3.11 or newer;
* every module of the course package imports (so every dependency it declares is there);
* the labs' packages (the ``labs`` extra: boto3, moto's server, Pillow) and the trace replays'
  (the ``trace`` extra: Dask, statsmodels);
* Jupyter's kernel and widgets;
* the numba kernels compile and run once (the first compilation takes a while; later runs read
  the cached machine code);
* the local S3 server starts on 127.0.0.1, stores and returns an object, and stops;
* the data files load and pass their checks.

``python -m ec2vslambda.check`` exits with status 1 and prints a ``FAILED`` banner when any part
fails; :meth:`Report.raise_for_failures` raises :class:`SetupCheckFailed` with the same text.
Only the standard library is imported at module level, so the check runs, and says what is
missing, even when most of the course's dependencies are not installed. Nothing here talks to any
host but 127.0.0.1.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Outcome", "Report", "SetupCheckFailed", "PARTS", "INSTALL_HINT", "run", "main"]

#: What a learner runs, from the course's folder, to install everything the notebooks need.
INSTALL_HINT = "python -m pip install -r requirements-learner.txt (in the course's folder)"

#: The pip name of a module whose distribution is named differently.
PIP_NAMES = {"PIL": "pillow", "yaml": "pyyaml", "moto": "moto[server]", "flask": "moto[server]",
             "flask_cors": "moto[server]", "werkzeug": "moto[server]", "IPython": "ipython",
             "statsmodels": "statsmodels", "dask": "dask", "distributed": "distributed",
             "ipykernel": "ipykernel", "ipywidgets": "ipywidgets"}

#: Packages whose versions the report shows, so a learner can compare them with the book's.
SHOWN_VERSIONS = ("numpy", "pandas", "matplotlib", "numba", "ipywidgets")


class SetupCheckFailed(RuntimeError):
    """Raised by :meth:`Report.raise_for_failures` when a part of the course is missing."""


@dataclass(frozen=True)
class Outcome:
    """One part of the check: what was tried, whether it worked, what was found, the fix."""

    part: str
    ok: bool
    detail: str
    fix: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class Report:
    """Every part's outcome, in the order they ran."""

    outcomes: tuple[Outcome, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.outcomes)

    @property
    def failures(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if not o.ok)

    def text(self, *, times: bool = False) -> str:
        """A plain table, one line per part, then one fix per failed part.

        ``times`` adds each part's duration (left out by default, so that a stored notebook
        output does not change from run to run)."""
        width = max((len(o.part) for o in self.outcomes), default=0)
        lines = []
        for o in self.outcomes:
            took = f" ({o.seconds:.1f} s)" if times else ""
            lines.append(f"{'ok    ' if o.ok else 'FAILED'}  {o.part.ljust(width)}  "
                         f"{o.detail}{took}")
        failed = self.failures
        if failed:
            lines[:0] = [f"FAILED: {len(failed)} of {len(self.outcomes)} parts of the course "
                         "setup are missing or broken. Fix them before the session:", ""]
            lines += ["", "How to fix:"] + [f"- {o.part}: {o.fix}" for o in failed]
        else:
            lines.append(f"All {len(self.outcomes)} parts work: you are ready for the course.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython shows the table, not a repr
        printer.text(self.text())

    def raise_for_failures(self) -> None:
        """Raise :class:`SetupCheckFailed`, with the table and the fixes, if any part failed."""
        if not self.ok:
            raise SetupCheckFailed(self.text())


def _missing(error: BaseException) -> str | None:
    """The top-level name of the module an ImportError could not find, if it says."""
    name = getattr(error, "name", None)
    return name.split(".")[0] if isinstance(error, ImportError) and name else None


def _install_fix(names: list[str]) -> str:
    pips = sorted({PIP_NAMES.get(n, n) for n in names})
    return (f"install {', '.join(pips)}: {INSTALL_HINT}, or on Colab run the notebook's first "
            "(Setup) cell")


def _imports(modules: tuple[str, ...]) -> tuple[str, list[str], list[str]]:
    """Import each module; return (versions found, problems, missing top-level names)."""
    problems, missing = [], []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 - any failure to import is the finding
            problems.append(f"{name}: {type(error).__name__}: {error}")
            if _missing(error):
                missing.append(_missing(error))
    return ", ".join(modules), problems, missing


def _result(part: str, found: str, problems: list[str], missing: list[str],
            other_fix: str) -> Outcome:
    if not problems:
        return Outcome(part, True, found)
    fix = _install_fix(missing) if missing else other_fix
    return Outcome(part, False, "; ".join(problems), fix)


# --- the parts --------------------------------------------------------------------------------

#: The oldest Python the course supports (pyproject.toml's requires-python).
MINIMUM_PYTHON = (3, 11)


def check_python() -> Outcome:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info >= MINIMUM_PYTHON:
        return Outcome("Python 3.11 or newer", True, f"Python {version}")
    return Outcome("Python 3.11 or newer", False, f"Python {version}",
                   "install Python 3.11 or newer (python.org, or your system's packages), then "
                   "create a new virtual environment with it")


def package_modules() -> tuple[str, ...]:
    """Every module of the course package, by its full name."""
    import ec2vslambda

    return tuple(sorted(m.name for m in pkgutil.walk_packages(ec2vslambda.__path__,
                                                              "ec2vslambda.")))


def check_package() -> Outcome:
    from importlib import metadata

    names = package_modules()
    _, problems, missing = _imports(names)
    versions = []
    for name in SHOWN_VERSIONS:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
            missing.append(name)
            problems.append(f"{name} is not installed")
    found = "every module imports; " + ", ".join(versions)
    return _result("course package", found, problems, missing,
                   f"reinstall the course: {INSTALL_HINT}")


def _import_check(part: str, modules: tuple[str, ...], fix: str) -> Callable[[], Outcome]:
    """A part that imports ``modules``; ``fix`` says what to do when one fails."""
    def check() -> Outcome:
        found, problems, missing = _imports(modules)
        return _result(part, found, problems, missing, f"{fix}: {INSTALL_HINT}")

    check.__doc__ = f"Import {', '.join(modules)}."
    return check


check_labs_extra = _import_check("labs' packages (labs extra)",
                                 ("boto3", "moto.server", "PIL.Image"),
                                 "reinstall the labs' packages")
check_trace_extra = _import_check("trace replays (trace extra)",
                                  ("dask", "statsmodels.tsa.arima.model"),
                                  "reinstall the trace replays' packages")
check_jupyter = _import_check("Jupyter kernel and widgets",
                              ("ipykernel", "ipywidgets", "IPython.display"), "install Jupyter")


def _tried(part: str, action: Callable[[], str], other_fix: str) -> Outcome:
    """Run ``action``; its return value is what was found, any exception a failure whose fix
    is an install when a module is missing and ``other_fix`` otherwise."""
    try:
        found = action()
    except Exception as error:  # noqa: BLE001 - any failure of the part is the finding
        missing = [_missing(error)] if _missing(error) else []
        return Outcome(part, False, f"{type(error).__name__}: {error}",
                       _install_fix(missing) if missing else other_fix)
    return Outcome(part, True, found)


def _run_kernels() -> str:
    from ec2vslambda import keepalive, simulate

    arrivals_s, durations_ms = [0.0, 0.05, 700.0], [100.0, 100.0, 100.0]
    cold = (simulate.simulate_lambda(arrivals_s, durations_ms, keep_alive_s=600.0).cold_starts,
            simulate.simulate_lambda(arrivals_s, durations_ms,
                                     policy=keepalive.HybridHistogram()).cold_starts,
            simulate.simulate_application(arrivals_s, durations_ms,
                                          policy=keepalive.HybridHistogram()).cold_starts)
    # The second request overlaps the first, so it needs a second environment (cold); the
    # third comes after a gap longer than 10 minutes (cold again, except where the hybrid
    # policy's 4-hour fallback keeps an environment); one image serves overlapping requests.
    if cold != EXPECTED_COLD_STARTS:
        raise AssertionError(f"the kernels counted {cold} cold starts, not "
                             f"{EXPECTED_COLD_STARTS}")
    return "the simulators' kernels compiled and ran"


#: Cold starts of :func:`_run_kernels`' three requests: per environment with a 10-minute
#: window, per environment under the hybrid policy, and per application image under it.
EXPECTED_COLD_STARTS = (3, 2, 1)


def check_numba() -> Outcome:
    """Compile and run the simulators' numba kernels once, on a few requests."""
    return _tried("numba kernels", _run_kernels,
                  "reinstall numba and llvmlite for this Python: " + INSTALL_HINT)


def _round_trip_local_s3() -> str:
    import socket

    from ec2vslambda import localaws

    with localaws.local_aws() as aws:
        if not localaws.is_loopback_url(aws.endpoint_url):
            raise AssertionError(f"the server is not on loopback: {aws.endpoint_url}")
        s3 = aws.client("s3")
        s3.create_bucket(Bucket="setup-check")
        s3.put_object(Bucket="setup-check", Key="hello.txt", Body=b"hello")
        body = s3.get_object(Bucket="setup-check", Key="hello.txt")["Body"].read()
        if body != b"hello":
            raise AssertionError(f"the object came back as {body!r}")
        port = aws.port
    with socket.socket() as probe:
        probe.settimeout(1.0)
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise AssertionError(f"the server still answers on port {port} after stopping")
    return "started on 127.0.0.1, stored and read an object, stopped"


def check_local_s3() -> Outcome:
    """Start moto's S3 server on 127.0.0.1, put and get an object, stop it, and see it stopped."""
    return _tried("local S3 server", _round_trip_local_s3,
                  "make sure this machine lets programs listen on 127.0.0.1 (a firewall prompt "
                  "may ask), then run the check again")


def _load_data() -> str:
    from ec2vslambda import data

    for name in data.SCHEMAS:
        data.load(name)
    data.lambda_prices()
    data.ec2_prices()
    data.lambda_limits()
    return f"{len(data.SCHEMAS)} files load and pass their checks"


def check_data() -> Outcome:
    return _tried("data files", _load_data, "reinstall the course package, which carries the "
                                            "data files: " + INSTALL_HINT)


#: The parts, in the order they run.
PARTS: tuple[Callable[[], Outcome], ...] = (
    check_python, check_package, check_labs_extra, check_trace_extra, check_jupyter,
    check_numba, check_local_s3, check_data)


def run(parts: tuple[Callable[[], Outcome], ...] | None = None) -> Report:
    """Run every part (or ``parts``) and return the :class:`Report`; a part that raises counts
    as failed."""
    outcomes = []
    for part in PARTS if parts is None else parts:
        start = time.perf_counter()
        try:
            outcome = part()
        except Exception as error:  # noqa: BLE001 - a crashed part is a failed part
            outcome = Outcome(part.__name__.removeprefix("check_").replace("_", " "), False,
                              f"{type(error).__name__}: {error}", f"reinstall: {INSTALL_HINT}")
        outcomes.append(Outcome(outcome.part, outcome.ok, outcome.detail, outcome.fix,
                                time.perf_counter() - start))
    return Report(tuple(outcomes))


def main(argv: list[str] | None = None) -> int:
    """Print the report with each part's time; exit status 1 when a part failed."""
    report = run()
    print(report.text(times=True))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
