"""The command line, run as a user runs it: ``python -m ec2vslambda workload FILE...`` on every
bundled sample (text and ``--json``), and bad input: exit status 2 with the message."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ec2vslambda import cli
from ec2vslambda.traffic import FORMATS, read, report, samples

ROOT = Path(__file__).resolve().parent.parent
#: Each bundled sample as one call's files (two layouts come as two files that go together).
CALLS = [samples.paths(name) for name in FORMATS]


def run(*args: object, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    return subprocess.run([sys.executable, "-m", "ec2vslambda", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def json_runs():
    """``--json`` on every sample, two at a time (each run starts its own interpreter)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(map(tuple, CALLS),
                        pool.map(lambda files: run("workload", *files, "--json"), CALLS),
                        strict=True))


def test_the_samples_cover_every_format():
    assert [read(*files).format for files in CALLS] == list(FORMATS)


@pytest.mark.parametrize("files", CALLS, ids=lambda files: files[0].name)
def test_json_on_every_sample_is_the_report_itself(json_runs, files):
    done = json_runs[tuple(files)]
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed == json.loads(json.dumps(report(read(*files)), allow_nan=False))


@pytest.mark.parametrize("name", ["lambda-report.log", "metric-data-1min.json"])
def test_text_is_a_short_report_with_the_table_and_the_recommendation(name):
    done = run("workload", samples.folder() / name, "--memory-mb", 256, "--arch", "arm64")
    assert done.returncode == 0, done.stderr
    result = report(read(samples.folder() / name), memory_mb=256, arch="arm64")
    assert result["summary"] in done.stdout
    assert "Whole bill of every option" in done.stdout
    for row in result["table"]["rows"]:  # each option with its monthly bill
        assert row[0] in done.stdout and row[1] in done.stdout
    assert "256" in done.stdout


def test_a_file_that_cannot_be_read_exits_2_with_its_message(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("these are my notes\nnothing to see\n", encoding="utf-8")
    done = run("workload", bad)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("ec2vslambda workload: error: ")
    assert f"{bad}: is in no format read here" in done.stderr
    missing = run("workload", tmp_path / "absent.log")
    assert missing.returncode == 2 and "absent.log" in missing.stderr


def test_a_value_the_model_refuses_exits_2_naming_it():
    done = run("workload", samples.folder() / "requests.csv", "--memory-mb", "64")
    assert done.returncode == 2
    assert "memory_mb=64" in done.stderr and "Traceback" not in done.stderr
    # the data has no Seoul price for the front door or the logs: said, never guessed
    seoul = run("workload", samples.folder() / "requests.csv", "--region", "ap-northeast-2")
    assert seoul.returncode == 2
    assert "region='ap-northeast-2'" in seoul.stderr and "Traceback" not in seoul.stderr


@pytest.mark.parametrize("args", [["workload"], ["workload", "x.log", "--format", "xml"],
                                  ["workload", "x.log", "--region", "mars-1"], ["dance"]])
def test_argparse_errors_exit_2(args):
    done = run(*args)
    assert done.returncode == 2 and "error:" in done.stderr and "usage:" in done.stderr


def test_main_returns_the_status_in_process(tmp_path, capsys):
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    assert cli.main(["workload", str(empty)]) == 2
    assert "empty.log" in capsys.readouterr().err
    assert cli.main(["workload", str(samples.folder() / "requests.csv"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["numbers"]["format"] == "csv"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_follows_the_bytes_read_on_a_terminal(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(cli, "PROGRESS_DELAY_S", 0.0)
    on_progress, close = cli._progress_bar()
    for done in (0, 1_000_000, 2_500_000):
        on_progress(done, 2_500_000)
    close()
    shown = terminal.getvalue()
    assert "reading" in shown and "2.50M" in shown
    # not a terminal (a pipe, a notebook): no bar at all
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    on_progress, close = cli._progress_bar()
    on_progress(5, 10)
    close()
    assert piped.getvalue() == ""
