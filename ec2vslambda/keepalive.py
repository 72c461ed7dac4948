"""Keep-alive policies: how long an idle execution environment is kept, and when it is pre-warmed.

Standard library only (no numpy): the policies are frozen descriptions of their parameters, the
trackers below are the readable reference of what a policy decides, and
:func:`poisson_cold_start_ratio` (defined in :mod:`ec2vslambda.lifecycle`) runs unchanged in the
reader's browser. The simulators in :mod:`ec2vslambda.simulate` run the same rules in compiled
loops (:mod:`ec2vslambda.kernels`); tests check that both give the same windows after the same
idle times. The standard-library engine (:mod:`ec2vslambda.engine`) asks these trackers
directly. This module imports neither :mod:`ec2vslambda.simulate` nor
:mod:`ec2vslambda.replay`, which import it.

A tracker answers two things:

* :meth:`windows` -- for the idle period that starts *now*: ``(prewarm_s, keepalive_s)``. With
  ``prewarm_s == 0`` the function (application) stays loaded for ``keepalive_s`` seconds. With
  ``prewarm_s > 0`` it is unloaded at once, holding no memory, loaded again ``prewarm_s`` later
  and then kept for ``keepalive_s``. A request that finds it loaded is warm.
* :meth:`observe` -- one idle time: the gap between the moment the function's last request in
  flight finished and its next arrival.

Policies
--------
:class:`FixedKeepAlive`
    One window for every function: what AWS Lambda (about 10 minutes) and Azure Functions
    (20 minutes) used when Shahrad et al. measured them; AWS does not document or guarantee it.
:class:`HybridHistogram`
    The hybrid histogram policy of Shahrad et al., "Serverless in the Wild" (USENIX ATC 2020),
    rule by rule. Each rule says whose it is: **paper** (the paper's description), **reproduction**
    (where the paper leaves a choice open and we follow what open reproductions of it do, such as
    the ``serverless-in-the-wild`` example of DSLab FaaS and OpenDC's serverless policy), or
    **book** (our own choice, which a reader should not take for the paper's). The paper's own
    text could not be opened while this was written: the paper's rules below are those its
    abstract, its talk and the reproductions agree on.

    1. *Histogram* (**paper**). Idle times go into a histogram of 1-minute bins covering 4 hours
       (``bin_s``, ``range_s``); longer ones are out of bounds (OOB). The paper also ran ranges
       of 1, 2 and 3 hours; lab 1 replays all four.
    2. *Idle time* (**paper**): from the end of the application's last execution to its next
       invocation.
    3. *Pre-warm window* = the 5th percentile of the histogram less a 10% margin (**paper**),
       the percentile taken as its bin's lower edge (**reproduction**).
    4. *Keep-alive window* = until the 99th percentile plus a 10% margin (**paper**), the
       percentile taken as its bin's upper edge (**reproduction**). Counting the window from
       the pre-warm, so that ``keepalive = 1.1 × tail - 0.9 × head`` and the image is unloaded
       at the 99th percentile plus the margin, is our reading (**book**).
    5. *Unloading.* With a non-zero pre-warm window the function is unloaded when its execution
       ends and holds no memory until the pre-warm; wasted memory is loaded-idle time only
       (**paper**; the simulators count it so).
    6. *Representativeness.* The histogram is trusted when the coefficient of variation (CV) of
       its bin counts is at least ``cv_threshold`` (2; **paper**): a few tall bins mean a clear
       pattern. The CV uses the population standard deviation, ``ddof=0`` (**book**; DSLab
       divides by the number of bins less one). We also wait for ``min_samples`` (10) idle
       times before trusting any histogram, because a CV over two or three idle times means
       little (**book**: the paper gives no minimum).
    7. *Fallback.* While the histogram is not representative: no pre-warm and a keep-alive of
       the histogram's whole range (4 hours), the paper's conservative standard keep-alive
       (**paper**, as the reproductions implement it).
    8. *Out-of-bound idle times.* When "too many" idle times are OOB (**paper**: no number is
       given), the next idle time is forecast. Our threshold: more than
       ``out_of_range_share`` (half) of *all* the idle times seen so far, counted cumulatively
       (**book**; reproductions use 0.5 or 0.8 of the idle times, DSLab's default with
       ``>=``). The function is then pre-warmed at the forecast less ``forecast_margin``
       (15%) and kept until the forecast plus 15% (**reproduction**: DSLab's default margin and
       both reproductions' formulas, ``prewarm = f × (1 - m)`` and ``keepalive = 2 × m × f``).
       The paper forecasts with ARIMA (**paper**): ``forecast="arima"`` fits
       :class:`statsmodels.tsa.arima.model.ARIMA` of order (1, 0, 0) with a constant (an AR(1)
       model, by Burg's method) to the last ``forecast_samples`` (10) idle times in minutes
       (**book**: the order is fixed instead of chosen per function, because a general ARIMA
       fit by maximum likelihood takes about half a second here and a week's replay makes
       hundreds; the reproductions fit all the idle times seen). When a fit fails or the
       history is shorter than 4 idle times or constant, the median stands in (**book**).
       ``forecast="median"`` (the default, standard library only) uses the median of the
       recent OOB idle times instead (**book**): it ignores trends and the order of the idle
       times.
    9. *Memory of the past.* The histogram never ages: every idle time since the start counts
       for ever (**book**). Per secondary sources, Azure's production version starts a new
       histogram every day and keeps two weeks of them, so that it forgets old patterns; a week
       of synthetic traffic whose patterns do not change does not need that, a real trace may.
    10. *Recomputing* (**book**, for speed): windows are recomputed after every idle time while a
        histogram holds up to 100 of them, then whenever the count has grown by 1% (and after
        every idle time while forecasting), not after every single idle time.
    11. *Per environment* (**book**): the paper applies the policy to an application's one
        image; :func:`ec2vslambda.simulate.simulate_lambda` applies the same windows to each of
        Lambda's execution environments (see its module docstring).
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass

from .lifecycle import poisson_cold_start_ratio  # noqa: F401 - part of this module's API
from .validation import choice, number, whole

FORECASTS = ("median", "arima")
FIXED, HYBRID = 0, 1  # policy kinds, as the compiled simulators read them
RECOMPUTE_ALWAYS_UP_TO = 100  # idle times; then every 1% growth
RECOMPUTE_GROWTH = 1.01
ARIMA_MIN_HISTORY = 4


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

    def params(self) -> tuple[float, ...]:
        """The policy as numbers, in the order the compiled simulators read them."""
        return (float(FIXED), float(self.keep_alive_s))

    @property
    def label(self) -> str:
        return f"fixed {self.keep_alive_s / 60:g} min"


@dataclass(frozen=True)
class HybridHistogram:
    """The hybrid histogram policy (Shahrad et al., 2020), with the paper's settings where it
    gives them (the module docstring says, rule by rule, whether a rule is the paper's, a
    reproduction's or the book's)."""

    range_s: float = 4 * 3600.0
    bin_s: float = 60.0
    head_percentile: float = 5.0
    tail_percentile: float = 99.0
    margin: float = 0.10
    cv_threshold: float = 2.0
    min_samples: int = 10
    out_of_range_share: float = 0.5
    forecast: str = "median"
    forecast_samples: int = 10
    forecast_margin: float = 0.15

    def __post_init__(self) -> None:
        number("bin_s", self.bin_s, low=1e-3)
        number("range_s", self.range_s, low=self.bin_s, high=366 * 86_400.0)
        number("head_percentile", self.head_percentile, low=0.0, high=100.0)
        number("tail_percentile", self.tail_percentile, low=self.head_percentile, high=100.0)
        number("margin", self.margin, low=0.0, high=0.99)
        number("cv_threshold", self.cv_threshold, low=0.0)
        whole("min_samples", self.min_samples, low=1)
        number("out_of_range_share", self.out_of_range_share, low=0.0, high=1.0)
        choice("forecast", self.forecast, FORECASTS)
        whole("forecast_samples", self.forecast_samples, low=1, high=10_000)
        number("forecast_margin", self.forecast_margin, low=0.0, high=0.99)

    @property
    def bins(self) -> int:
        return math.ceil(self.range_s / self.bin_s)

    def tracker(self) -> HybridTracker:
        return HybridTracker(self)

    def params(self) -> tuple[float, ...]:
        """The policy as numbers, in the order the compiled simulators read them."""
        return (float(HYBRID), float(self.range_s), float(self.bin_s),
                float(self.head_percentile), float(self.tail_percentile), float(self.margin),
                float(self.cv_threshold), float(self.min_samples),
                float(self.out_of_range_share), float(FORECASTS.index(self.forecast)),
                float(self.forecast_samples), float(self.forecast_margin))

    @property
    def label(self) -> str:
        if self.range_s == 4 * 3600.0 and self.forecast == "median":
            return "hybrid histogram"
        hours = f"{self.range_s / 3600:g} h"
        return f"hybrid {hours}" + (", ARIMA" if self.forecast == "arima" else "")


class HybridTracker:
    """One function's idle-time histogram and the windows it implies (the reference version;
    :mod:`ec2vslambda.kernels` runs the same arithmetic compiled)."""

    def __init__(self, policy: HybridHistogram):
        self.policy = policy
        self.bins = [0] * policy.bins
        self.sum_squares = 0  # of the bin counts, kept as counts arrive (for the CV)
        self.in_range = 0
        self.out_of_range = 0
        self.recent_out: deque[float] = deque(maxlen=policy.forecast_samples)
        self.recent: deque[float] = deque(maxlen=policy.forecast_samples)
        self._windows = (0.0, float(policy.range_s))
        self._computed_at = 0
        self._forecasting = False

    @property
    def samples(self) -> int:
        return self.in_range + self.out_of_range

    def observe(self, idle_s: float) -> None:
        index = int(idle_s // self.policy.bin_s)
        if index < len(self.bins):
            self.sum_squares += 2 * self.bins[index] + 1
            self.bins[index] += 1
            self.in_range += 1
        else:
            self.out_of_range += 1
            self.recent_out.append(idle_s)
        self.recent.append(idle_s)
        total = self.samples
        if (total <= RECOMPUTE_ALWAYS_UP_TO or total >= self._computed_at * RECOMPUTE_GROWTH
                or self._forecasting):
            self._windows = self.compute()
            self._computed_at = total

    def windows(self) -> tuple[float, float]:
        return self._windows

    def cv(self) -> float:
        """Coefficient of variation of the bin counts (population standard deviation)."""
        n = len(self.bins)
        mean = self.in_range / n
        if mean == 0:
            return 0.0
        variance = self.sum_squares / n - mean * mean
        return math.sqrt(max(variance, 0.0)) / mean

    def compute(self) -> tuple[float, float]:
        """The windows for the histogram as it is now."""
        p = self.policy
        self._forecasting = False
        fallback = (0.0, float(p.range_s))
        total = self.samples
        if total < p.min_samples:
            return fallback
        if self.out_of_range > p.out_of_range_share * total:
            self._forecasting = True
            if p.forecast == "arima":
                predicted_s = arima_next_idle_s(list(self.recent), list(self.recent_out))
            else:
                predicted_s = statistics.median(self.recent_out)
            return predicted_s * (1.0 - p.forecast_margin), predicted_s * 2.0 * p.forecast_margin
        if self.in_range == 0 or self.cv() < p.cv_threshold:
            return fallback
        head_count = p.head_percentile / 100.0 * self.in_range
        tail_count = p.tail_percentile / 100.0 * self.in_range
        head_bin = tail_bin = len(self.bins) - 1
        cumulative = 0
        found_head = False
        for b, count in enumerate(self.bins):
            cumulative += count
            if not found_head and cumulative >= head_count:
                head_bin, found_head = b, True
            if cumulative >= tail_count - 1e-9:
                tail_bin = b
                break
        prewarm_s = head_bin * p.bin_s * (1.0 - p.margin)
        return prewarm_s, (tail_bin + 1) * p.bin_s * (1.0 + p.margin) - prewarm_s


def arima_next_idle_s(recent_s: list[float], recent_out_s: list[float]) -> float:
    """One-step ARIMA(1, 0, 0) forecast of the next idle time (s) from the recent idle times.

    Fitted in minutes with a constant by Burg's method, with statsmodels (imported here only:
    the rest of this module needs only the standard library). Falls back to the median of the recent
    out-of-bound idle times when the history is short or constant, or the fit fails; the
    forecast is never below one minute.
    """
    fallback = statistics.median(recent_out_s) if recent_out_s else statistics.median(recent_s)
    if len(recent_s) < ARIMA_MIN_HISTORY or max(recent_s) == min(recent_s):
        return fallback
    import warnings

    from statsmodels.tsa.arima.model import ARIMA

    minutes = [s / 60.0 for s in recent_s]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted = ARIMA(minutes, order=(1, 0, 0), trend="c").fit(method="burg")
            predicted_min = float(fitted.forecast(1)[0])
    except Exception:  # a fit that does not converge: fall back, as the docstring says
        return fallback
    if not math.isfinite(predicted_min):
        return fallback
    return max(predicted_min, 1.0) * 60.0
