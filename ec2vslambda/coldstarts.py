"""Measured Lambda cold starts: load and query ``data/cold_starts.csv``.

The file holds one row per runtime x architecture x memory setting: the average INIT duration
of a *hello-world* function, measured by the daily lambda-perf benchmark (each function deployed
as a ZIP and cold-started 10 times). These are floors, not forecasts: a real function adds its
own imports, SDK clients and data loading to INIT. A combination the benchmark did not report is
absent from the file, never zero.

The rows go through the same validating reader as every other data file
(:func:`ec2vslambda.data.read_rows`), with this module's :data:`COLD_STARTS` schema, and then
through extra checks: no duplicate combination, memory inside Lambda's range, INIT above zero and
below the INIT time limit, both from ``lambda_limits.csv``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import data as _data
from .validation import Allowed, InputError, choice
from .words import say, term, word

__all__ = ["COLD_STARTS", "FILE", "ColdStart", "clear_cache", "cold_starts", "draw_figure",
           "figure", "init_ms", "runtimes", "table"]

FILE = "cold_starts.csv"

COLD_STARTS = _data.Schema(
    required=("runtime", "family", "arch", "memory_mb", "init_ms", "unit", "region",
              "source_url", "as_of", "notes"),
    numeric=("memory_mb", "init_ms"),
    units=frozenset({"ms"}),
    choices={"arch": frozenset({"x86_64", "arm64"})},
    non_empty=("runtime", "family", "source_url", "unit", "region", "as_of"),
)


@dataclass(frozen=True)
class ColdStart:
    """One measured combination: average INIT duration in ms."""

    runtime: str  # e.g. "python3.13" or "rust (provided.al2023)"
    family: str  # language family, e.g. "python", "java"
    arch: str  # "x86_64" or "arm64"
    memory_mb: int
    init_ms: float
    as_of: dt.date  # day of the benchmark run
    source_url: str


def _fail(number: int | None, column: str | None, problem: str) -> _data.DataError:
    return _data.fail(FILE, number, column, problem)


@cache
def _cold_starts(directory: Path) -> tuple[ColdStart, ...]:
    rows = _data.read_rows(directory / FILE, COLD_STARTS)
    low, high = _data.limit_value("memory_min"), _data.limit_value("memory_max")
    init_limit_ms = _data.limit_value("init_timeout") * 1000.0
    seen: set[tuple[str, str, int]] = set()
    found: list[ColdStart] = []
    for number, r in enumerate(rows, start=1):
        memory = float(r["memory_mb"])
        if memory != int(memory) or not low <= memory <= high:
            raise _fail(number, "memory_mb", f"{memory:g} is not a whole number of MB from "
                        f"{low:g} to {high:g}")
        init_ms = float(r["init_ms"])
        if not 0 < init_ms < init_limit_ms:
            raise _fail(number, "init_ms", f"{init_ms:g} is outside (0, {init_limit_ms:g}) ms; "
                        "a missing measurement is left out, not written as 0")
        key = (str(r["runtime"]), str(r["arch"]), int(memory))
        if key in seen:
            raise _fail(number, "runtime", f"{key[0]} / {key[1]} / {key[2]} MB appears twice")
        seen.add(key)
        found.append(ColdStart(runtime=key[0], family=str(r["family"]), arch=key[1],
                               memory_mb=key[2], init_ms=init_ms, as_of=r["as_of"],
                               source_url=str(r["source_url"])))
    return tuple(found)


def cold_starts(directory: Path | None = None) -> tuple[ColdStart, ...]:
    """Every row of ``cold_starts.csv``, validated (cached per folder)."""
    return _cold_starts(directory.resolve() if directory else _data.data_dir())


def runtimes(directory: Path | None = None) -> tuple[str, ...]:
    """The runtimes in the file, in file order."""
    return tuple(dict.fromkeys(c.runtime for c in cold_starts(directory)))


def init_ms(runtime: str, arch: str = "x86_64", memory_mb: int = 128, *,
            directory: Path | None = None) -> float:
    """The measured average INIT duration (ms) of one runtime, architecture and memory size.

    Raises ``ValueError`` naming the allowed values when the combination was not measured.
    """
    rows = cold_starts(directory)
    runtime = choice("runtime", runtime, runtimes(directory))
    arch = choice("arch", arch, ("x86_64", "arm64"))
    sizes = tuple(c.memory_mb for c in rows if c.runtime == runtime and c.arch == arch)
    for c in rows:
        if (c.runtime, c.arch, c.memory_mb) == (runtime, arch, memory_mb):
            return c.init_ms
    raise InputError("memory_mb", memory_mb, term("was not measured for {runtime} on {arch}"),
                     Allowed(options=sizes), involves=("runtime", "arch"),
                     details={"runtime": runtime, "arch": arch})


def table(directory: Path | None = None):
    """A pandas DataFrame: one row per runtime, columns (arch, memory_mb), values INIT ms.

    Combinations without a measurement are NaN (shown as blank), never zero.
    """
    import pandas as pd

    frame = pd.DataFrame([c.__dict__ for c in cold_starts(directory)])
    wide = frame.pivot_table(index="runtime", columns=["arch", "memory_mb"], values="init_ms",
                             sort=False)
    order = [(a, m) for a in ("x86_64", "arm64") for m in sorted(frame["memory_mb"].unique())]
    return wide.reindex(columns=pd.MultiIndex.from_tuples(order, names=["arch", "memory_mb"]))


def clear_cache() -> None:
    """Forget the loaded file (after editing the CSV in a running kernel)."""
    _cold_starts.cache_clear()


def figure(directory: Path | None = None):
    """Horizontal bars of INIT per runtime: one panel per architecture, one bar per memory size."""
    import matplotlib.pyplot as plt
    import numpy as np

    wide = table(directory)
    sizes = sorted({m for _, m in wide.columns})
    fig, axes = plt.subplots(1, 2, figsize=(10, 5), sharex=True, sharey=True)
    y = np.arange(len(wide.index))
    height = 0.8 / len(sizes)
    for ax, arch in zip(axes, ("x86_64", "arm64"), strict=True):
        for i, size in enumerate(sizes):
            ax.barh(y + i * height, wide[(arch, size)].to_numpy(), height=height,
                    label=say("{size} MB", size=f"{size}"),
                    color=plt.cm.Blues(0.35 + 0.6 * i / len(sizes)))
        ax.set_yticks(y + 0.4 - height / 2, wide.index)
        ax.invert_yaxis()
        ax.set(title=arch, xlabel=word("average INIT (ms), hello-world function"))
        ax.grid(True, axis="x", alpha=0.3)
    axes[0].legend(fontsize=8, loc="lower right")
    as_of = max(c.as_of for c in cold_starts(directory))
    fig.suptitle(say("Measured cold-start floors (lambda-perf, {date})",
                     date=f"{as_of:%Y-%m-%d}"))
    fig.tight_layout()
    return fig


def draw_figure():
    """:func:`figure` from the book's data (the drawing ``cold_starts`` of
    :mod:`ec2vslambda.figures`)."""
    return figure()
