"""The command line: ``python -m ec2vslambda workload FILE...`` (or the ``ec2vslambda`` script).

``workload`` reads traffic files (:func:`ec2vslambda.traffic.read`), replays and prices them
(:func:`ec2vslambda.traffic.report`) and prints a short report, or the same dict as JSON with
``--json``. A progress bar on standard error follows long reads. Bad input (an unknown option, a
file that cannot be read, a value the model refuses) prints its message and exits with status 2,
as argparse does for its own errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import data as _data

PROG = "ec2vslambda"
#: Reads shorter than this show no progress bar (tqdm's ``delay``, seconds).
PROGRESS_DELAY_S = 0.5


def _parser() -> argparse.ArgumentParser:
    from .traffic import FORMATS

    parser = argparse.ArgumentParser(
        prog=PROG, description="The EC2 vs Lambda course's tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    workload = commands.add_parser(
        "workload", help="replay and price your own traffic",
        description="Read traffic files (Lambda REPORT lines, ALB access logs, CloudWatch "
                    "metrics, Azure Functions day files or a CSV of timestamps and durations), "
                    "replay them on Lambda and price every option's whole bill.")
    workload.add_argument("files", nargs="+", metavar="FILE",
                          help="one or more files of one format (plain or .gz)")
    workload.add_argument("--format", choices=FORMATS, metavar="F",
                          help="the files' format (default: told from their content): "
                               + ", ".join(FORMATS))
    workload.add_argument("--region", choices=_data.REGIONS, default="us-east-1",
                          help="where to price it (default: %(default)s)")
    workload.add_argument("--memory-mb", type=int, metavar="M",
                          help="the function's memory (default: what the files record, "
                               "else 1024)")
    workload.add_argument("--arch", choices=("x86_64", "arm64"),
                          help="the function's architecture (default: x86_64)")
    workload.add_argument("--keep-alive-s", type=float, default=600.0, metavar="S",
                          help="how long an idle environment stays loaded in the replay "
                               "(default: %(default)g)")
    workload.add_argument("--duration-ms", type=float, metavar="MS",
                          help="every request's duration, for files that record none")
    workload.add_argument("--json", action="store_true",
                          help="print the whole report as JSON instead of text")
    return parser


def _progress_bar():
    """A tqdm bar on standard error, updated from ``read``'s ``on_progress(done, total)``."""
    from tqdm import tqdm

    bar = None

    def on_progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:  # shown on a terminal only (disable=None), after PROGRESS_DELAY_S
            bar = tqdm(total=total, unit="B", unit_scale=True, desc="reading", file=sys.stderr,
                       delay=PROGRESS_DELAY_S, leave=False, disable=None)
        bar.update(done - bar.n)

    def close() -> None:
        if bar is not None:
            bar.close()

    return on_progress, close


def workload(args: argparse.Namespace) -> str:
    """The report of ``args.files`` as text (or JSON)."""
    from .traffic import read, report
    from .traffic.layout import report_text

    on_progress, close = _progress_bar()
    try:
        traffic = read(*args.files, format=args.format, on_progress=on_progress)
    finally:
        close()
    result = report(traffic, region=args.region, memory_mb=args.memory_mb, arch=args.arch,
                    keep_alive_s=args.keep_alive_s, duration_ms=args.duration_ms)
    if args.json:
        return json.dumps(result, ensure_ascii=False, allow_nan=False, indent=1) + "\n"
    return report_text(result)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input)."""
    args = _parser().parse_args(argv)  # exits 2 with argparse's message on a bad option
    try:
        text = workload(args)
    except (ValueError, OSError) as error:  # TrafficError and InputError are ValueErrors
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0
