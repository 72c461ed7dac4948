"""ec2vslambda.check, the learner's smoke test: every part passes here, and a missing or broken
part fails loudly, with its fix."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ec2vslambda import check


@pytest.fixture(scope="module")
def full_report():
    return check.run()


def test_every_part_passes_in_the_books_environment(full_report):
    assert [o.part for o in full_report.outcomes] == [
        "Python 3.11 or newer", "course package", "labs' packages (labs extra)",
        "trace replays (trace extra)", "Jupyter kernel and widgets", "numba kernels",
        "local S3 server", "data files"]
    assert full_report.ok, full_report.text()
    assert full_report.text().endswith("All 8 parts work: you are ready for the course.")
    full_report.raise_for_failures()  # nothing to raise


def test_the_package_part_imports_every_module(full_report):
    modules = check.package_modules()
    assert "ec2vslambda.check" in modules and "ec2vslambda.widgets.common" in modules
    assert len(modules) >= 40
    package = full_report.outcomes[1]
    assert package.detail.startswith("every module imports; numpy ")


def test_the_text_keeps_timings_out_unless_asked(full_report):
    assert " s)" not in full_report.text()
    assert full_report.text(times=True).count(" s)") == len(full_report.outcomes)


def test_a_python_too_old_fails_with_its_fix(monkeypatch):
    monkeypatch.setattr(check, "MINIMUM_PYTHON", (99, 0))
    outcome = check.check_python()
    assert not outcome.ok and "install Python 3.11 or newer" in outcome.fix


def test_missing_data_files_fail_with_their_fix(tmp_path, monkeypatch):
    from ec2vslambda import data

    monkeypatch.setenv(data.DATA_ENV_VAR, str(tmp_path))
    outcome = check.check_data()
    assert not outcome.ok
    assert "lambda_prices.csv" in outcome.detail and "file not found" in outcome.detail
    assert outcome.fix.startswith("reinstall the course package")


def test_a_broken_kernel_fails_the_numba_part(monkeypatch):
    from ec2vslambda import simulate

    def broken(*args, **kwargs):
        raise RuntimeError("LLVM ERROR: out of memory")

    monkeypatch.setattr(simulate, "simulate_lambda", broken)
    outcome = check.check_numba()
    assert not outcome.ok and "LLVM ERROR" in outcome.detail
    assert "reinstall numba and llvmlite" in outcome.fix


def test_a_crashing_part_counts_as_failed_and_the_report_says_so_loudly():
    def check_boom():
        raise OSError("disk full")

    def check_fine():
        return check.Outcome("fine", True, "all good")

    report = check.run((check_fine, check_boom))
    assert not report.ok and [o.part for o in report.failures] == ["boom"]
    text = report.text()
    assert text.startswith("FAILED: 1 of 2 parts of the course setup are missing or broken")
    assert "FAILED  boom  OSError: disk full" in text
    assert "- boom: reinstall: " + check.INSTALL_HINT in text
    with pytest.raises(check.SetupCheckFailed, match="disk full"):
        report.raise_for_failures()


def _run_check_without(*modules: str) -> subprocess.CompletedProcess:
    """``python -m ec2vslambda.check`` in a fresh interpreter where ``modules`` cannot import."""
    blocked = "; ".join(f"sys.modules[{m!r}] = None" for m in modules)
    code = ("import runpy, sys; " + blocked +
            "; runpy.run_module('ec2vslambda.check', run_name='__main__')")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600, env=env)


@pytest.mark.slow
def test_a_missing_labs_package_fails_loudly_from_the_command_line():
    done = _run_check_without("PIL", "PIL.Image")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("FAILED: ")
    failed = [line for line in lines if line.startswith("FAILED  ")]
    # the labs' packages, and the package modules that import Pillow at module level, if any
    assert any("labs' packages (labs extra)" in line and "PIL" in line for line in failed)
    fixes = [line for line in lines if line.startswith("- labs' packages")]
    assert fixes == ["- labs' packages (labs extra): install pillow: " + check.INSTALL_HINT
                     + ", or on Colab run the notebook's first (Setup) cell"]
    assert not any("numba kernels" in line or "data files" in line for line in failed)


@pytest.mark.slow
def test_a_missing_core_dependency_names_the_modules_it_breaks():
    done = _run_check_without("ipywidgets")
    assert done.returncode == 1, done.stdout + done.stderr
    package = next(line for line in done.stdout.splitlines()
                   if line.startswith("FAILED  course package"))
    assert "ec2vslambda.widgets: ModuleNotFoundError" in package
    assert "- course package: install ipywidgets: " in done.stdout
