"""Your own traffic: read what AWS exports, replay it and price every option.

:mod:`.model` holds the one shape every reader produces (:class:`Traffic`) and the error a bad
file gets (:class:`TrafficError`).
"""

from __future__ import annotations

from .model import Period, Request, Traffic, TrafficError, from_periods, from_requests, utc

__all__ = ["Period", "Request", "Traffic", "TrafficError", "from_periods", "from_requests", "utc"]
