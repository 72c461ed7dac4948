"""Keep-alive policies: how long an idle execution environment is kept, and when it is pre-warmed.

A policy is a frozen description (its parameters). :func:`ec2vslambda.simulate.simulate_lambda`
asks it for a fresh :meth:`tracker` per run, because an adaptive policy learns from the run's
own traffic. A tracker answers two things:

* :meth:`windows` -- for an environment that becomes idle *now*: ``(prewarm_s, keepalive_s)``.
  With ``prewarm_s == 0`` the environment stays loaded for ``keepalive_s`` seconds. With
  ``prewarm_s > 0`` it is unloaded at once (holding no memory), loaded again ``prewarm_s`` later
  and then kept for ``keepalive_s``. A request that finds it loaded is warm.
* :meth:`observe` -- the function's idle time: the gap between the moment its last request in
  flight finished and the next arrival.

Policies
--------
:class:`FixedKeepAlive`
    One window for every function: what AWS Lambda (about 10 minutes) and Azure Functions
    (20 minutes) used when Shahrad et al. measured them; AWS does not document or guarantee it.
:class:`HybridHistogram`
    Our implementation of the hybrid histogram policy of Shahrad et al. (USENIX ATC 2020), per
    function. Idle times go into a histogram of 1-minute bins covering 4 hours. The pre-warm
    window is the 5th percentile of the histogram (lower edge of its bin) less a 10% margin; the
    environment is then kept until the 99th percentile (upper edge of its bin) plus a 10% margin.
    When the histogram is not yet representative (fewer than ``min_samples`` idle times, or the
    coefficient of variation of its bin counts is below ``cv_threshold``, i.e. no clear pattern)
    it falls back to no pre-warm and a keep-alive of the whole range (4 hours), as the paper does.
    When most idle times fall beyond the range, the paper forecasts the next one with ARIMA; we
    use a simpler forecast instead, the median of the recent out-of-range idle times, and
    pre-warm just before it (``margin`` either side). For speed the windows are recomputed after
    every idle time while a histogram holds up to 100 of them, then whenever the count has grown
    by 1%.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from .pricing import _number, _whole


class FixedTracker:
    """The state of a :class:`FixedKeepAlive` run: none, the window never changes."""

    __slots__ = ("_windows",)

    def __init__(self, keep_alive_s: float):
        self._windows = (0.0, keep_alive_s)

    def windows(self) -> tuple[float, float]:
        return self._windows

    def observe(self, idle_s: float) -> None:
        """A fixed window learns nothing."""


@dataclass(frozen=True)
class FixedKeepAlive:
    """Keep every idle environment for ``keep_alive_s`` seconds, never pre-warm."""

    keep_alive_s: float = 600.0

    def __post_init__(self) -> None:
        _number("keep_alive_s", self.keep_alive_s, low=0.0)

    def tracker(self) -> FixedTracker:
        return FixedTracker(float(self.keep_alive_s))

    @property
    def label(self) -> str:
        return f"fixed {self.keep_alive_s / 60:g} min"


@dataclass(frozen=True)
class HybridHistogram:
    """The hybrid histogram policy (Shahrad et al., 2020), with the paper's default settings."""

    range_s: float = 4 * 3600.0
    bin_s: float = 60.0
    head_percentile: float = 5.0
    tail_percentile: float = 99.0
    margin: float = 0.10
    cv_threshold: float = 2.0
    min_samples: int = 10
    out_of_range_share: float = 0.5
    forecast_samples: int = 10

    def __post_init__(self) -> None:
        _number("bin_s", self.bin_s, low=1e-3)
        _number("range_s", self.range_s, low=self.bin_s)
        _number("head_percentile", self.head_percentile, low=0.0, high=100.0)
        _number("tail_percentile", self.tail_percentile, low=self.head_percentile, high=100.0)
        _number("margin", self.margin, low=0.0, high=0.99)
        _number("cv_threshold", self.cv_threshold, low=0.0)
        _whole("min_samples", self.min_samples, low=1)
        _number("out_of_range_share", self.out_of_range_share, low=0.0, high=1.0)
        _whole("forecast_samples", self.forecast_samples, low=1)

    def tracker(self) -> HybridTracker:
        return HybridTracker(self)

    @property
    def label(self) -> str:
        return "hybrid histogram"


class HybridTracker:
    """One function's idle-time histogram and the windows it implies."""

    def __init__(self, policy: HybridHistogram):
        self.policy = policy
        self.bins = np.zeros(math.ceil(policy.range_s / policy.bin_s), dtype=np.int64)
        self.in_range = 0
        self.out_of_range = 0
        self.recent_out = deque(maxlen=policy.forecast_samples)
        self._windows = (0.0, float(policy.range_s))
        self._computed_at = 0

    @property
    def samples(self) -> int:
        return self.in_range + self.out_of_range

    def observe(self, idle_s: float) -> None:
        index = int(idle_s // self.policy.bin_s)
        if index < self.bins.size:
            self.bins[index] += 1
            self.in_range += 1
        else:
            self.out_of_range += 1
            self.recent_out.append(idle_s)
        total = self.samples
        if total <= 100 or total >= self._computed_at * 1.01:
            self._windows = self.compute()
            self._computed_at = total

    def windows(self) -> tuple[float, float]:
        return self._windows

    def compute(self) -> tuple[float, float]:
        """The windows for the histogram as it is now."""
        p = self.policy
        fallback = (0.0, float(p.range_s))
        total = self.samples
        if total < p.min_samples:
            return fallback
        if self.out_of_range > p.out_of_range_share * total:
            predicted_s = float(np.median(self.recent_out))
            return predicted_s * (1.0 - p.margin), predicted_s * 2.0 * p.margin
        if self.in_range == 0:
            return fallback
        mean = self.bins.mean()
        if self.bins.std() / mean < p.cv_threshold:
            return fallback
        cumulative = np.cumsum(self.bins) / self.in_range
        head_bin = int(np.searchsorted(cumulative, p.head_percentile / 100.0))
        tail_bin = int(np.searchsorted(cumulative, p.tail_percentile / 100.0 - 1e-12))
        head_s = head_bin * p.bin_s
        tail_s = (tail_bin + 1) * p.bin_s
        prewarm_s = head_s * (1.0 - p.margin)
        return prewarm_s, tail_s * (1.0 + p.margin) - prewarm_s
