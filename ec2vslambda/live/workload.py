"""Lab 5's calculator: your own traffic file in, the workload report out.

The reader picks one of the book's sample files (:mod:`ec2vslambda.traffic.samples`) or a file
of their own, which the page reads in the browser (it is never uploaded) and hands to the
Python there. :func:`ec2vslambda.traffic.read` reads it, whatever its format, and
:func:`ec2vslambda.traffic.report` replays and prices it, on the standard-library engine; this
module keeps the report's summary, main table and chart. A file that cannot be read is refused
beside the control with the reader's own message (:class:`~ec2vslambda.traffic.TrafficError`).
"""

from __future__ import annotations

from pathlib import Path

from ..traffic import TrafficError, read, report, samples
from ..traffic.layout import FORMAT_LABELS
from ..validation import Allowed, InputError
from ..words import term
from . import Calculator, Field, result

__all__ = ["CALCULATOR", "SAMPLES", "run"]

#: The samples a reader loads with one button (each format's files), in the form's order.
SAMPLES = tuple(samples.FILES)
_UNREADABLE = term("cannot be read: {reason}")
_READABLE = term("a file in one of the formats the book reads (see lab 5)")


def run(inputs: dict) -> dict:
    chosen = inputs["file"]
    paths = (samples.paths(chosen) if isinstance(chosen, str)
             else [Path(f["path"]) for f in chosen])
    try:
        traffic = read(*paths)
    except TrafficError as error:
        name = chosen if isinstance(chosen, str) else ", ".join(f["name"] for f in chosen)
        raise InputError("file", name, _UNREADABLE, Allowed(text=_READABLE),
                         details={"reason": error.words().replace(str(paths[0].parent) + "/",
                                                                  "")}) from None
    found = report(traffic)
    table = found["table"]
    numbers = {k: v for k, v in found["numbers"].items()  # the plain ones (not per label)
               if v is None or isinstance(v, (bool, int, float, str))}
    return result(CALCULATOR.title, found["summary"], numbers=numbers,
                  columns=table["columns"] if table else None,
                  rows=table["rows"] if table else (), chart=found["chart"])


CALCULATOR = Calculator(
    name="workload", title="Your workload", run=run,
    intro=("Read in this page: your file never leaves your computer. Or try one of the "
           "book's samples."),
    fields=(
        Field("file", "Traffic file", "file", "alb", options=SAMPLES,
              option_labels=tuple(FORMAT_LABELS[s] for s in SAMPLES)),
    ))
