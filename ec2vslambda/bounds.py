"""What the model's inputs allow, declared once, each bound with its reason.

Each constant below is an :class:`~ec2vslambda.validation.Allowed`: the model checks a value with
it (``REQUESTS.check("requests", n)``), a calculator's form takes its range from it
(``Field(..., allowed=REQUESTS)``), and the tests make bad values from it. So a range is written
in one place, and the form, the model and the tests cannot disagree about it.

A bound is one of two kinds:

* **one of AWS's limits**, read from ``data/lambda_limits.csv``, where the row carries its
  ``source_url`` and ``as_of`` date (the memory setting, the timeout, INIT, ``/tmp``, a
  response's size);
* **a bound of the book's own arithmetic**, a constant documented here with its reason: counts
  that stay exact (:data:`MAX_COUNT`), the largest fleet the break-even arithmetic supports
  (:data:`MAX_INSTANCES`), and the month every bill covers (:data:`HOURS_PER_MONTH`).

Bounds keep every answer quick as well as meaningful: no input makes a calculation grow without
limit (``tests/test_live_hostile.py`` feeds every calculator's every field values far outside
them, and each must answer within a second).

Standard library only: the site's calculators read these bounds in the reader's browser.
"""

from __future__ import annotations

from . import data as _data
from .validation import Allowed

__all__ = ["DURATION_MS", "FLEET", "FLEET_OR_NONE", "HOURS_PER_MONTH", "INIT_MS", "INIT_MS_MAX",
           "KEEP_ALIVE_MIN", "KEEP_ALIVE_S", "MAX_COUNT", "MAX_INSTANCES", "MAX_KEEP_ALIVE_MIN",
           "MEMORY_MB", "MONTH_HOURS", "MONTH_MS", "MONTH_MS_MAX", "PERCENT", "QUANTITY",
           "RATE_PER_HOUR", "REQUESTS", "RESPONSE_KB", "SHARE", "TMP_MB", "WARM_MS", "limit"]

#: A month is 730 hours: AWS's own convention for monthly estimates, and the span of every bill
#: in the book.
HOURS_PER_MONTH = 730.0

MAX_COUNT = 10 ** 15
"""The most of any count the book takes: requests or uploads a month, runs in flight, requests
in a second. Every whole number up to 2**53 (about 9.007e15) is a float of its own, so below
that a count keeps its last digit in the model's arithmetic; 10**15 is the round figure under
it. It is also far beyond any real function: 10**15 requests a month is about 380 million a
second."""

MAX_INSTANCES = 1_000_000
"""The largest fleet the book prices (instances, tasks, NAT gateways). It is the largest the
break-even arithmetic supports: a fleet of the dearest instance type in ``ec2_prices.csv``
costs as much as the cheapest Lambda request (128 MB, 1 ms, arm64, no free tier) at fewer than
:data:`MAX_COUNT` requests a month, so every break-even point the book reports is an exact
count. ``tests/test_bounds.py`` checks this against the data, so a dearer instance added to
the CSV fails the test until this bound is lowered."""

MAX_KEEP_ALIVE_MIN = 24 * 60
"""The longest keep-alive window the book assumes, in minutes: a day. AWS publishes no keep-alive
time and recycles execution environments within hours anyway
(:mod:`ec2vslambda.lifecycle`), so a longer window describes nothing the model could show."""


def limit(name: str, scale: float = 1.0) -> float:
    """Lambda's limit ``name`` from ``lambda_limits.csv``, times ``scale`` (1000 for s -> ms)."""
    return _data.limit_value(name) * scale


#: Requests (uploads, events) in a month.
REQUESTS = Allowed(0, MAX_COUNT)
#: Requests an hour: the round figure whose month (730 hours) stays below :data:`MAX_COUNT`.
RATE_PER_HOUR = Allowed(0, 10 ** 12)
#: Instances in a fleet the user sizes.
FLEET = Allowed(1, MAX_INSTANCES, whole=True)
#: A count of resources that may be none (NAT gateways, instances of a fleet not running).
FLEET_OR_NONE = Allowed(0, MAX_INSTANCES, whole=True)
#: Hours in a month something runs.
MONTH_HOURS = Allowed(0, HOURS_PER_MONTH)
#: A time within the month the bills cover, in ms (a job's run, a gap between requests).
MONTH_MS_MAX = HOURS_PER_MONTH * 3_600_000.0
MONTH_MS = Allowed(0, MONTH_MS_MAX)
#: A size or a count the book knows no real bound for (what a workload needs, before the
#: limits are checked): only the arithmetic's, :data:`MAX_COUNT`.
QUANTITY = Allowed(0, MAX_COUNT)
#: A share, 0 to 1, and a percentage.
SHARE = Allowed(0, 1)
PERCENT = Allowed(0, 100)

#: A Lambda function's memory setting (MB, whole numbers), its ``/tmp`` (MB), one invocation's
#: duration (ms, up to the timeout), the INIT phase of a cold start (ms, up to its limit) and the
#: response it sends (KB, up to the largest streamed response).
MEMORY_MB = Allowed(limit("memory_min"), limit("memory_max"), whole=True)
TMP_MB = Allowed(limit("tmp_min"), limit("tmp_max"), whole=True)
DURATION_MS = Allowed(0, limit("timeout_max", 1000.0))
INIT_MS_MAX = limit("init_timeout", 1000.0)
INIT_MS = Allowed(0, INIT_MS_MAX)
RESPONSE_KB = Allowed(0, limit("response_streaming_max", 1024.0))
#: A warm invocation's duration where a latency model divides by it: more than 0.
WARM_MS = DURATION_MS.but(low_open=True)
#: A keep-alive window, in minutes and in seconds.
KEEP_ALIVE_MIN = Allowed(0, MAX_KEEP_ALIVE_MIN)
KEEP_ALIVE_S = Allowed(0, MAX_KEEP_ALIVE_MIN * 60)
