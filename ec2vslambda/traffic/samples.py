"""The sample traffic files shipped with the book (``data/traffic/``): one per format, all of
the same two made-up hours, written by ``tools/make_traffic_samples.py``.

``paths("alb")`` gives the files to pass to :func:`~ec2vslambda.traffic.read` for a format
(two for ``metric-statistics`` and ``azure``, whose outputs come one metric or one kind per
file). They are found where :func:`ec2vslambda.data.data_dir` finds the book's data: the
checkout's ``data/`` or an installed package's ``_data/``.
"""

from __future__ import annotations

from pathlib import Path

from .. import data

__all__ = ["FILES", "folder", "paths"]

FILES: dict[str, tuple[str, ...]] = {
    "alb": ("alb-access.log.gz",),
    "lambda-insights": ("lambda-insights.csv",),
    "lambda-text": ("lambda-report.log",),
    "lambda-events": ("lambda-events.json",),
    "lambda-json": ("lambda-json.log",),
    "metric-data": ("metric-data-1min.json",),
    "metric-statistics": ("metric-statistics-5min-invocations.json",
                          "metric-statistics-5min-duration.json"),
    "azure": ("invocations_per_function_md.anon.d01.csv",
              "function_durations_percentiles.anon.d01.csv"),
    "csv": ("requests.csv",),
    "metrics-csv": ("metrics-1min.csv",),
}
"""Each format's sample files, by name."""


def folder() -> Path:
    """The folder holding the sample files."""
    return data.data_dir() / "traffic"


def paths(format: str) -> list[Path]:
    """The sample files of ``format`` (one of :data:`ec2vslambda.traffic.FORMATS`)."""
    if format not in FILES:
        raise ValueError(f"format={format!r} is not allowed; allowed: {', '.join(FILES)}")
    return [folder() / name for name in FILES[format]]
