"""Tail latency of a Lambda function whose invocations are sometimes cold.

The model
---------
* A **warm** invocation takes a random time ``W`` drawn from a log-normal distribution whose
  median is ``warm_ms`` and whose shape is ``warm_sigma`` (the standard deviation of
  ``ln W``). Service times are skewed to the right: most requests are near the median and a few
  are much slower, which a log-normal captures with one extra number. ``warm_sigma=0.25`` puts
  the 99th percentile of warm requests about 1.8 times the median; ``warm_sigma=0`` makes every
  warm request take exactly ``warm_ms``.
* A **cold** invocation first pays INIT, a fixed ``init_ms`` (an average, such as those in
  ``data/cold_starts.csv``), and then runs like a warm one: ``init_ms + W``.
* Each invocation is cold with probability ``cold_fraction``, independently of the others.

The latency ``L`` is then a two-part mixture with distribution function

    F(x) = (1 - c) * G(x) + c * G(x - init_ms),

where ``G`` is the log-normal distribution function of ``W``. Percentiles are found exactly from
``F`` by bisection: no sampling, so the same inputs always give the same answer.

Why p99 jumps once more than 1% of invocations are cold: the 99th percentile is the latency
that 99% of invocations stay under. While fewer than 1% are cold, all of them fit in the slowest
1% and p99 is still a warm latency. Once more than 1% are cold, the slowest 1% is made only of
cold invocations, and p99 becomes ``init_ms`` plus a warm draw. The same happens to p95 at 5%.

Latency here is the function's own time (INIT plus handler). Network, API Gateway and client
time come on top and are not modelled.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import bounds
from .validation import Allowed, InputError, number, whole

__all__ = ["DEFAULT_PERCENTILES", "DEFAULT_WARM_SIGMA", "MAX_WARM_SIGMA", "WARM_SIGMA",
           "TailLatency", "latency_cdf", "percentile_curve", "sample_latencies_ms", "tail_latency"]

DEFAULT_WARM_SIGMA = 0.25
MAX_WARM_SIGMA = 2.0
#: The log-normal spread of warm durations the model takes (2 already spans a factor of e**2
#: either side of the median for one sigma).
WARM_SIGMA = Allowed(0, MAX_WARM_SIGMA)
DEFAULT_PERCENTILES = (50, 95, 99)


@dataclass(frozen=True)
class TailLatency:
    """Latency percentiles of a mix of warm and cold invocations (all times in ms)."""

    percentiles_ms: dict[int, float]  # {50: ..., 95: ..., 99: ...}
    cold_fraction: float
    init_ms: float
    warm_ms: float
    warm_sigma: float = DEFAULT_WARM_SIGMA

    def rows(self) -> list[tuple[str, float]]:
        """(label, ms) pairs, for tables."""
        return [(f"p{p}", v) for p, v in sorted(self.percentiles_ms.items())]


def _check_inputs(cold_fraction: object, init_ms: object, warm_ms: object,
                  warm_sigma: object) -> tuple[float, float, float, float]:
    return (bounds.SHARE.check("cold_fraction", cold_fraction),
            bounds.INIT_MS.check("init_ms", init_ms), bounds.WARM_MS.check("warm_ms", warm_ms),
            WARM_SIGMA.check("warm_sigma", warm_sigma))


def _check_percentiles(percentiles: Iterable[object]) -> tuple[int, ...]:
    checked = []
    for p in percentiles:
        checked.append(whole("percentiles", p, low=1, high=99))
    if not checked:
        raise InputError("percentiles", (), "is empty",
                         Allowed(1, 99, whole=True, text=("one or more whole numbers 1 to "
                                                               "99")))
    return tuple(checked)


def _warm_cdf(x: float, warm_ms: float, warm_sigma: float) -> float:
    """P(W <= x) for the log-normal warm duration."""
    if x <= 0:
        return 0.0
    if warm_sigma == 0:
        return 1.0 if x >= warm_ms else 0.0
    z = (math.log(x) - math.log(warm_ms)) / warm_sigma
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def latency_cdf(x_ms: float, cold_fraction: float, init_ms: float, warm_ms: float, *,
                warm_sigma: float = DEFAULT_WARM_SIGMA) -> float:
    """P(latency <= x_ms) for the warm/cold mixture (see the module docstring)."""
    c, init, warm, sigma = _check_inputs(cold_fraction, init_ms, warm_ms, warm_sigma)
    return ((1.0 - c) * _warm_cdf(x_ms, warm, sigma)
            + c * _warm_cdf(x_ms - init, warm, sigma))


def _quantile(q: float, c: float, init: float, warm: float, sigma: float) -> float:
    """Smallest x with F(x) >= q, by bisection (F is non-decreasing)."""
    def cdf(x: float) -> float:
        return (1.0 - c) * _warm_cdf(x, warm, sigma) + c * _warm_cdf(x - init, warm, sigma)

    low, high = 0.0, init + warm * math.exp(8.0 * sigma) + 1.0  # F(high) ~ 1
    for _ in range(200):
        mid = (low + high) / 2.0
        if cdf(mid) >= q:
            high = mid
        else:
            low = mid
        if high - low <= 1e-9 * max(1.0, high):
            break
    return high


def tail_latency(cold_fraction: float, init_ms: float, warm_ms: float, *,
                 percentiles: Sequence[int] = DEFAULT_PERCENTILES,
                 **spread_params: float) -> TailLatency:
    """Latency percentiles (ms) when a share ``cold_fraction`` of invocations are cold starts.

    Parameters
    ----------
    cold_fraction: share of invocations that are cold, 0 to 1.
    init_ms: INIT duration added to each cold invocation, 0 up to the INIT time limit.
    warm_ms: median duration of a warm invocation (ms), above 0 up to the timeout.
    percentiles: which percentiles to report, whole numbers 1 to 99.
    spread_params: ``warm_sigma`` -- log-normal shape of warm durations, 0 to 2
        (default 0.25). No other spread parameter is known.
    """
    unknown = set(spread_params) - {"warm_sigma"}
    if unknown:
        name = sorted(unknown)[0]
        raise InputError(name, spread_params[name], "is not a spread parameter",
                         Allowed(options=("warm_sigma",)))
    sigma_in = spread_params.get("warm_sigma", DEFAULT_WARM_SIGMA)
    c, init, warm, sigma = _check_inputs(cold_fraction, init_ms, warm_ms, sigma_in)
    wanted = _check_percentiles(percentiles)
    values = {p: _quantile(p / 100.0, c, init, warm, sigma) for p in wanted}
    return TailLatency(percentiles_ms=values, cold_fraction=c, init_ms=init, warm_ms=warm,
                       warm_sigma=sigma)


def percentile_curve(cold_fractions: Iterable[float], init_ms: float, warm_ms: float, *,
                     percentile: int = 99, warm_sigma: float = DEFAULT_WARM_SIGMA) -> list[float]:
    """One percentile (ms) for each cold fraction, e.g. to plot p99 against the cold share."""
    return [tail_latency(c, init_ms, warm_ms, percentiles=(percentile,),
                         warm_sigma=warm_sigma).percentiles_ms[percentile]
            for c in cold_fractions]


def sample_latencies_ms(n: int, cold_fraction: float, init_ms: float, warm_ms: float, *,
                        seed: int = 0, warm_sigma: float = DEFAULT_WARM_SIGMA):
    """``n`` simulated latencies (numpy array, ms) from the same model, with a seeded generator.

    Useful for histograms and for checking the exact percentiles against a sample.
    """
    import numpy as np

    n = int(number("n", n, low=1, high=10_000_000))
    c, init, warm, sigma = _check_inputs(cold_fraction, init_ms, warm_ms, warm_sigma)
    rng = np.random.default_rng(seed)
    warm_draws = warm * np.exp(sigma * rng.standard_normal(n))
    cold = rng.random(n) < c
    return warm_draws + np.where(cold, init, 0.0)
