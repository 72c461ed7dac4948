"""Your own traffic: read what AWS exports, replay it and price every option.

:func:`read` turns traffic files (Lambda REPORT logs, ALB access logs, CloudWatch metrics, the
Azure Functions trace, a plain CSV; :data:`FORMATS`) into one shape, :class:`Traffic`
(:mod:`.model`); a file that cannot be read gets a :class:`TrafficError`. Each format's module
(:mod:`.lambda_logs`, :mod:`.alb`, :mod:`.cloudwatch`, :mod:`.azure`, :mod:`.plain_csv`) says
which AWS page its layout follows; :mod:`.writers` writes every layout and :mod:`.samples`
finds the sample files shipped with the book. :func:`report` (:mod:`.report`) replays a traffic
on Lambda and prices every option's whole bill.
"""

from __future__ import annotations

from .model import (
    Columns,
    Period,
    Request,
    Series,
    Traffic,
    TrafficError,
    from_columns,
    from_periods,
    from_requests,
    from_series,
    key_of,
    utc,
)
from .readers import DESCRIPTIONS, FORMATS, detect, read
from .report import report

__all__ = ["DESCRIPTIONS", "FORMATS", "Columns", "Period", "Request", "Series", "Traffic",
           "TrafficError", "detect", "from_columns", "from_periods", "from_requests",
           "from_series", "key_of", "read", "report", "utc"]
