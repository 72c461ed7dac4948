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

from .lifecycle import poisson_cold_start_ratio  # noqa: F401 - part of this module's API
from .validation import choice, number, whole


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
        number("keep_alive_s", self.keep_alive_s, low=0.0)

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
        number("bin_s", self.bin_s, low=1e-3)
        number("range_s", self.range_s, low=self.bin_s)
        number("head_percentile", self.head_percentile, low=0.0, high=100.0)
        number("tail_percentile", self.tail_percentile, low=self.head_percentile, high=100.0)
        number("margin", self.margin, low=0.0, high=0.99)
        number("cv_threshold", self.cv_threshold, low=0.0)
        whole("min_samples", self.min_samples, low=1)
        number("out_of_range_share", self.out_of_range_share, low=0.0, high=1.0)
        whole("forecast_samples", self.forecast_samples, low=1)

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


# --- experiments for lab 1 ------------------------------------------------------------------

SHAPES = ("poisson", "diurnal", "bursty", "periodic")
BURST_ON_S = 300.0  # bursty shape: a 5-minute batch every hour
BURST_CYCLE_S = 3600.0


def shaped_workload(shape: str, rate_per_hour: float, hours: float = 24.0, *,
                    duration_ms=100.0, seed: int = 0):
    """One function's traffic of a named ``shape`` at an average of ``rate_per_hour``.

    ``poisson``: constant rate; ``diurnal``: a day/night cycle with a 10:1 peak-to-trough ratio;
    ``bursty``: every request of each hour packed into a 5-minute batch; ``periodic``: a timer
    firing every ``3600 / rate_per_hour`` seconds.
    """
    from . import workloads as _w

    shape = choice("shape", shape, SHAPES)
    rate_per_hour = number("rate_per_hour", rate_per_hour, low=1e-3, high=1e7)
    span_s = number("hours", hours, low=1e-3, high=24.0 * 366) * 3600.0
    rate_per_s = rate_per_hour / 3600.0
    if shape == "poisson":
        return _w.poisson(rate_per_s, span_s, duration_ms=duration_ms, seed=seed)
    if shape == "diurnal":
        return _w.diurnal(rate_per_s, span_s, peak_to_trough=10.0, duration_ms=duration_ms,
                          seed=seed)
    if shape == "bursty":
        return _w.bursty(0.0, rate_per_s * BURST_CYCLE_S / BURST_ON_S, span_s, on_s=BURST_ON_S,
                         off_s=BURST_CYCLE_S - BURST_ON_S, duration_ms=duration_ms, seed=seed)
    return _w.periodic(3600.0 / rate_per_hour, span_s, duration_ms=duration_ms, seed=seed)


def cold_start_grid(shapes=SHAPES, rates_per_hour=(1, 3, 10, 30, 100, 300, 1000),
                    keep_alive_min=(1, 5, 10, 20, 60), *, hours: float = 24.0,
                    duration_ms=100.0, init_ms: float = 200.0, memory_mb: int = 512,
                    seed: int = 0):
    """Cold-start share and idle memory for every shape × rate × fixed keep-alive window.

    Returns a DataFrame with one row per combination: ``shape``, ``rate_per_hour``,
    ``keep_alive_min``, ``requests``, ``cold_starts``, ``cold_start_ratio`` and ``idle_gb_h``.
    The same workload (same seed) is reused across keep-alive windows.
    """
    import pandas as pd

    from .simulate import simulate_lambda

    rows = []
    for shape in shapes:
        for rate in rates_per_hour:
            w = shaped_workload(shape, rate, hours, duration_ms=duration_ms, seed=seed)
            for minutes in keep_alive_min:
                r = simulate_lambda(w.arrivals_s, w.durations_ms, init_ms=init_ms,
                                    keep_alive_s=number("keep_alive_min", minutes) * 60.0,
                                    memory_mb=memory_mb, with_cost=False)
                rows.append({"shape": shape, "rate_per_hour": rate, "keep_alive_min": minutes,
                             "requests": r.requests, "cold_starts": r.cold_starts,
                             "cold_start_ratio": r.cold_start_ratio,
                             "idle_gb_h": r.idle_gb_s / 3600.0})
    return pd.DataFrame(rows)


def run_policies(workload, policies, *, memory_mb: int = 512, init_ms: float = 200.0,
                 progress: bool | None = False) -> dict:
    """Simulate every function of a (multi-function) workload under each policy.

    ``policies`` is a sequence of policies (named by their ``label``) or a mapping from names
    to policies. Returns ``{name: [LambdaResult per function]}``. ``progress=None`` shows a tqdm
    bar on a terminal only (``disable=None``); the default shows none.
    """
    from tqdm import tqdm

    from .simulate import simulate_functions

    named = dict(policies) if isinstance(policies, dict) else {p.label: p for p in policies}
    if len(named) != len(policies):
        raise ValueError("policies has two policies with the same label; allowed: distinct "
                         "policies, or a mapping from names to policies")
    runs = {}
    for name, policy in tqdm(named.items(), desc="policies", leave=False,
                             disable=None if progress is None else not progress):
        runs[name] = simulate_functions(workload, policy=policy, memory_mb=memory_mb,
                                        init_ms=init_ms, with_cost=False)
    return runs


def policy_table(runs: dict, *, baseline: str | None = None):
    """Compare policies the way Shahrad et al. do: cold starts per function and memory kept
    idle. Columns: the share of all invocations that were cold, the median and 75th-percentile
    per-function cold-start percentage, idle memory in GB-hours, and that memory relative to
    ``baseline`` (default: the first policy)."""
    import pandas as pd

    baseline = baseline or next(iter(runs))
    idle_base = sum(r.idle_gb_s for r in runs[baseline])
    rows = []
    for label, results in runs.items():
        cold = np.array([r.cold_starts for r in results])
        served = np.array([r.served for r in results])
        per_function = 100.0 * cold / np.maximum(served, 1)
        idle = sum(r.idle_gb_s for r in results)
        rows.append({"policy": label,
                     "cold starts (% of invocations)": 100.0 * cold.sum() / max(served.sum(), 1),
                     "median function cold (%)": float(np.median(per_function)),
                     "75th pct function cold (%)": float(np.percentile(per_function, 75)),
                     "idle memory (GB-h)": idle / 3600.0,
                     f"idle memory vs {baseline}": idle / idle_base if idle_base else np.nan})
    return pd.DataFrame(rows).set_index("policy")


def policy_table_by_group(runs: dict, groups, *, baseline: str | None = None):
    """:func:`policy_table` per group of functions (``groups``: one label per function)."""
    import pandas as pd

    groups = np.asarray(groups)
    tables = {}
    for group in dict.fromkeys(groups.tolist()):
        keep = np.flatnonzero(groups == group)
        subset = {label: [results[i] for i in keep] for label, results in runs.items()}
        tables[group] = policy_table(subset, baseline=baseline)
    return pd.concat(tables, names=["functions"])
