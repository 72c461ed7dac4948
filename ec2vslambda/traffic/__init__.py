"""Your own traffic: read what AWS exports, replay it and price every option.

:mod:`.model` holds the one shape every reader produces (:class:`Traffic`) and the error a bad
file gets (:class:`TrafficError`); :mod:`.report` replays and prices a traffic (:func:`report`).
"""

from __future__ import annotations

from .model import Period, Request, Traffic, TrafficError, from_periods, from_requests, utc
from .report import report

__all__ = ["Period", "Request", "Traffic", "TrafficError", "from_periods", "from_requests",
           "report", "utc"]
