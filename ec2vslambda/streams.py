"""Seeded traffic in standard-library Python: what the live simulators replay in the browser.

:mod:`ec2vslambda.workloads` draws traffic with numpy, which the browser's Python (Pyodide) does
not have. The live calculators of labs 1 and 2 draw theirs here instead, with one
:class:`random.Random` per run, so that a seed gives the same requests in CPython and in the
page. The shapes are the same as :func:`ec2vslambda.replay.shaped_workload`'s and
:func:`ec2vslambda.workloads.flash_crowd`'s (same rates, same rules); the random numbers are not,
so a seed here draws other requests than the same seed there.

* :func:`constant_rate` -- a Poisson stream: exponential gaps;
* :func:`thinned` -- a stream whose rate changes with time, by thinning a constant-rate one;
* :func:`shaped_arrivals` -- one function's day of a named shape (lab 1);
* :func:`flash_crowd_arrivals` -- a flash crowd (lab 2);
* :func:`lognormal_ms` -- log-normal handler durations.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Callable

from .validation import choice, number
from .words import term

__all__ = ["BURST_CYCLE_S", "BURST_ON_S", "PEAK_TO_TROUGH", "SHAPES", "SHAPE_WORDS",
           "constant_rate", "flash_crowd_arrivals", "lognormal_ms", "shaped_arrivals",
           "thinned"]

SHAPES = ("poisson", "diurnal", "bursty", "periodic")
#: How a reader sees each shape's name (``word(SHAPE_WORDS[shape])`` in the active language).
SHAPE_WORDS = {"poisson": term("poisson"), "diurnal": term("diurnal"), "bursty": term("bursty"),
               "periodic": term("periodic")}
BURST_ON_S = 300.0  # bursty shape: a 5-minute batch every hour
BURST_CYCLE_S = 3600.0
PEAK_TO_TROUGH = 10.0  # diurnal shape: the day's peak rate over the night's trough
PEAK_AT_S = 14 * 3600.0  # diurnal shape: the peak falls at 14:00


def constant_rate(rng: random.Random, rate_per_s: float, start_s: float, end_s: float
                  ) -> list[float]:
    """Arrival times of a Poisson stream at ``rate_per_s`` in ``[start_s, end_s)``, sorted."""
    out: list[float] = []
    if rate_per_s <= 0:
        return out
    t = start_s
    while True:
        t += rng.expovariate(rate_per_s)
        if t >= end_s:
            return out
        out.append(t)


def thinned(rng: random.Random, rate: Callable[[float], float], peak_per_s: float,
            span_s: float) -> list[float]:
    """A stream whose rate at time ``t`` is ``rate(t)`` (at most ``peak_per_s``) over
    ``[0, span_s)``: a constant-rate stream at the peak, each arrival kept with probability
    ``rate(t) / peak``."""
    return [t for t in constant_rate(rng, peak_per_s, 0.0, span_s)
            if rng.random() * peak_per_s < rate(t)]


def shaped_arrivals(shape: str, rate_per_hour: float, hours: float = 24.0, *,
                    seed: int = 0) -> list[float]:
    """One function's arrival times (s, sorted) over ``hours`` at an average of
    ``rate_per_hour``, of a named shape (as :func:`ec2vslambda.replay.shaped_workload`):
    ``poisson`` (constant rate), ``diurnal`` (a day/night cycle, the peak ten times the
    trough), ``bursty`` (each hour's requests packed into a 5-minute batch) or ``periodic`` (a
    timer every ``3600 / rate_per_hour`` s)."""
    shape = choice("shape", shape, SHAPES)
    rate_per_s = number("rate_per_hour", rate_per_hour, low=1e-3, high=1e7) / 3600.0
    span_s = number("hours", hours, low=1e-3, high=24.0 * 366) * 3600.0
    rng = random.Random(seed)
    if shape == "poisson":
        return constant_rate(rng, rate_per_s, 0.0, span_s)
    if shape == "diurnal":
        amplitude = rate_per_s * (PEAK_TO_TROUGH - 1.0) / (PEAK_TO_TROUGH + 1.0)
        return thinned(rng, lambda t: rate_per_s + amplitude * math.cos(
            2 * math.pi * (t - PEAK_AT_S) / 86_400.0), rate_per_s + amplitude, span_s)
    if shape == "bursty":
        off_s = BURST_CYCLE_S - BURST_ON_S
        burst = rate_per_s * BURST_CYCLE_S / BURST_ON_S
        return thinned(rng, lambda t: burst if t % BURST_CYCLE_S >= off_s else 0.0, burst,
                       span_s)
    period_s = 1.0 / rate_per_s
    return [k * period_s for k in range(math.ceil(span_s / period_s)) if k * period_s < span_s]


def flash_crowd_arrivals(base_rate_per_s: float, peak_rate_per_s: float, span_s: float, *,
                         start_s: float, ramp_s: float, hold_s: float, decay_s: float,
                         rng: random.Random) -> list[float]:
    """A flash crowd over ``[0, span_s)`` (as :func:`ec2vslambda.workloads.flash_crowd`): the
    base rate, then at ``start_s`` a linear climb over ``ramp_s`` to the peak, held for
    ``hold_s``, fading back to the base over ``decay_s``."""
    knots = [0.0, start_s, start_s + ramp_s, start_s + ramp_s + hold_s,
             start_s + ramp_s + hold_s + decay_s]
    levels = [base_rate_per_s, base_rate_per_s, peak_rate_per_s, peak_rate_per_s,
              base_rate_per_s]

    def rate(t: float) -> float:  # numpy.interp's rule: flat outside the knots
        k = bisect_right(knots, t)
        if k >= len(knots):
            return levels[-1]
        if k == 0:
            return levels[0]
        width = knots[k] - knots[k - 1]
        if width <= 0:
            return levels[k]
        return levels[k - 1] + (levels[k] - levels[k - 1]) * (t - knots[k - 1]) / width

    return thinned(rng, rate, peak_rate_per_s, span_s)


def lognormal_ms(rng: random.Random, median_ms: float, sigma: float, count: int) -> list[float]:
    """``count`` log-normal durations (ms) with median ``median_ms`` and spread ``sigma``."""
    mu = math.log(median_ms)
    return [rng.lognormvariate(mu, sigma) for _ in range(count)]
