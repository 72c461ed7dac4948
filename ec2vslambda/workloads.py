"""Seeded traffic generators: when requests arrive and how long each one runs.

Every generator returns a :class:`Workload`: sorted arrival times in seconds from the start of
the window, one duration in milliseconds per request, and a name for tables and plots. The same
arguments and ``seed`` always give the same workload (``numpy.random.default_rng(seed)``).

Shapes
------
* :func:`poisson` -- a constant rate; gaps between requests are exponential.
* :func:`diurnal` -- a day/night cycle: the rate follows a cosine between a trough and a peak.
* :func:`bursty` -- on/off traffic: a burst rate for ``on_s``, a base rate for ``off_s``, repeated.
* :func:`flash_crowd` -- a base rate, then a sudden climb to a peak that holds and fades.
* :func:`periodic` -- cron-like timers: a fixed number of requests every ``period_s``.
* :func:`from_minute_counts` -- replays per-minute invocation counts laid out like the Azure
  Functions 2019 trace (one row per function, columns ``"1"`` … ``"1440"``), spreading each
  minute's requests uniformly inside that minute. :func:`load_trace` reads the synthetic trace
  shipped in ``data/synthetic_trace.csv``.

Time-varying rates are drawn as a non-homogeneous Poisson process by thinning: candidates at the
peak rate, each kept with probability ``rate(t) / peak``.

Durations are either a constant (a number of ms) or a seeded model: :class:`LogNormalMs` or
:class:`ExponentialMs`. Drawn durations are capped at Lambda's timeout from
``lambda_limits.csv``, because no invocation can run longer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import data as _data
from .validation import number, whole

try:
    from . import kernels
except ImportError:  # no numba: check_requests falls back to numpy's vectorised tests
    kernels = None

MINUTES_PER_DAY = 1440
SECONDS_PER_DAY = 86_400.0
TRACE_FILE = "synthetic_trace.csv"
TRACE_KEY_COLUMNS = ("HashOwner", "HashApp", "HashFunction", "Trigger")


# --- the result type ------------------------------------------------------------------------

@dataclass(frozen=True)
class Workload:
    """Requests to simulate: when each arrives (s) and how long its handler runs (ms).

    ``function_ids`` is set for multi-function workloads (trace replays): the row of the trace
    each request belongs to. It is ``None`` for a single function.
    """

    arrivals_s: np.ndarray
    durations_ms: np.ndarray
    name: str = "workload"
    function_ids: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        arrivals, durations = check_requests(self.arrivals_s, self.durations_ms)
        object.__setattr__(self, "arrivals_s", arrivals)
        object.__setattr__(self, "durations_ms", durations)
        if self.function_ids is not None:
            ids = np.asarray(self.function_ids)
            if ids.shape != arrivals.shape or (ids.size and not np.issubdtype(ids.dtype,
                                                                               np.integer)):
                raise ValueError(f"function_ids has shape {ids.shape} and dtype {ids.dtype}; "
                                 f"allowed: integers, one per request ({arrivals.size})")
            object.__setattr__(self, "function_ids", ids.astype(np.int64))

    def __len__(self) -> int:
        return int(self.arrivals_s.size)

    @property
    def span_s(self) -> float:
        """Time from 0 to the last arrival (0 for an empty workload)."""
        return float(self.arrivals_s[-1]) if self.arrivals_s.size else 0.0

    @property
    def mean_rate_per_s(self) -> float:
        return len(self) / self.span_s if self.span_s > 0 else 0.0

    def for_function(self, function_id: int) -> Workload:
        """The requests of one function of a multi-function workload."""
        if self.function_ids is None:
            raise ValueError("function_id given, but this workload has no function_ids; "
                             "allowed: only for trace replays (from_minute_counts)")
        keep = self.function_ids == function_id
        return Workload(self.arrivals_s[keep], self.durations_ms[keep],
                        f"{self.name}[{function_id}]")

    def head(self, count: int) -> Workload:
        """The first ``count`` requests (for quick runs and benchmarks)."""
        count = whole("count", count)
        ids = None if self.function_ids is None else self.function_ids[:count]
        return Workload(self.arrivals_s[:count], self.durations_ms[:count], self.name, ids)


def check_requests(arrivals_s: object, durations_ms: object, *,
                   max_duration_ms: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Validate a request list; return float64 copies.

    Arrivals must be finite, non-negative and sorted; durations finite, non-negative (and at
    most ``max_duration_ms`` when given); both of the same length.
    """
    arrivals = np.array(arrivals_s, dtype=np.float64, ndmin=1)
    durations = np.array(durations_ms, dtype=np.float64, ndmin=1)
    if arrivals.ndim != 1 or durations.ndim != 1:
        raise ValueError(f"arrivals_s and durations_ms must be 1-D; got shapes {arrivals.shape} "
                         f"and {durations.shape}")
    if arrivals.size != durations.size:
        raise ValueError(f"arrivals_s has {arrivals.size} values but durations_ms has "
                         f"{durations.size}; allowed: one duration per arrival")
    high = math.inf if max_duration_ms is None else max_duration_ms
    if kernels is not None:
        problem, i = kernels.first_bad_request(arrivals, durations, high)  # one compiled pass
    else:
        problem, i = _first_bad_request(arrivals, durations, high)
    if problem == 1:
        _check_values("arrivals_s", arrivals, "finite times of 0 s or more")
    if problem == 2:
        raise ValueError(f"arrivals_s is not sorted: arrivals_s[{i + 1}]="
                         f"{arrivals[i + 1]!r} comes before arrivals_s[{i}]={arrivals[i]!r}; "
                         "allowed: non-decreasing times")
    if problem == 3:
        _check_values("durations_ms", durations, f"finite durations from 0 to {high:,g} ms",
                      high=high)
    return arrivals, durations


def _first_bad_request(arrivals: np.ndarray, durations: np.ndarray, high: float
                       ) -> tuple[int, int]:
    """:func:`ec2vslambda.kernels.first_bad_request` with numpy alone (where numba is not
    installed): the first problem and its index."""
    if not np.all(np.isfinite(arrivals) & (arrivals >= 0)):
        return 1, -1
    unsorted = np.flatnonzero(np.diff(arrivals) < 0)
    if unsorted.size:
        return 2, int(unsorted[0])
    if not np.all(np.isfinite(durations) & (durations >= 0) & (durations <= high)):
        return 3, -1
    return 0, -1


def _check_values(name: str, values: np.ndarray, allowed: str, *, high: float = math.inf) -> None:
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0) | (values > high))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"{name}[{i}]={values[i]!r} is out of range; allowed: {allowed}")


# --- durations ------------------------------------------------------------------------------

@dataclass(frozen=True)
class LogNormalMs:
    """Durations whose logarithm is normal: ``median_ms`` and the spread ``sigma`` (of ln)."""

    median_ms: float
    sigma: float = 0.5

    def sample(self, rng: np.random.Generator, count: int) -> np.ndarray:
        median = number("median_ms", self.median_ms, low=0.0)
        sigma = number("sigma", self.sigma, low=0.0, high=5.0)
        if median == 0:
            return np.zeros(count)
        return rng.lognormal(math.log(median), sigma, count)


@dataclass(frozen=True)
class ExponentialMs:
    """Durations with an exponential distribution of mean ``mean_ms``."""

    mean_ms: float

    def sample(self, rng: np.random.Generator, count: int) -> np.ndarray:
        return rng.exponential(number("mean_ms", self.mean_ms, low=0.0), count)


DurationSpec = float | int | LogNormalMs | ExponentialMs


def durations(spec: DurationSpec, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` durations (ms) from ``spec``: a constant, or a model with ``sample``."""
    timeout_ms = _data.limit_value("timeout_max") * 1000.0
    if isinstance(spec, (LogNormalMs, ExponentialMs)):
        return np.minimum(spec.sample(rng, count), timeout_ms)
    value = number("duration_ms", spec, low=0.0, high=timeout_ms,
                    what=f"a number of ms from 0 to {timeout_ms:,g}, LogNormalMs or ExponentialMs")
    return np.full(count, value)


# --- generators -----------------------------------------------------------------------------

def _make(name: str, arrivals: np.ndarray, spec: DurationSpec,
          rng: np.random.Generator) -> Workload:
    arrivals = np.sort(arrivals)
    return Workload(arrivals, durations(spec, arrivals.size, rng), name)


def _window(duration_s: object) -> float:
    return number("duration_s", duration_s, low=0.0, high=366 * SECONDS_PER_DAY)


def _constant_rate(rng: np.random.Generator, rate_per_s: float, start_s: float,
                   end_s: float) -> np.ndarray:
    count = rng.poisson(rate_per_s * (end_s - start_s))
    return rng.uniform(start_s, end_s, count)


def _thinned(rng: np.random.Generator, rate: Callable[[np.ndarray], np.ndarray],
             peak_per_s: float, duration_s: float) -> np.ndarray:
    candidates = np.sort(_constant_rate(rng, peak_per_s, 0.0, duration_s))
    keep = rng.random(candidates.size) * peak_per_s < rate(candidates)
    return candidates[keep]


def poisson(rate_per_s: float, duration_s: float, *, duration_ms: DurationSpec = 100.0,
            seed: int = 0) -> Workload:
    """Requests at a constant average rate over ``[0, duration_s)``."""
    rate = number("rate_per_s", rate_per_s, high=1e6)
    span = _window(duration_s)
    rng = np.random.default_rng(seed)
    return _make(f"poisson {rate:g}/s", _constant_rate(rng, rate, 0.0, span), duration_ms, rng)


def diurnal(mean_rate_per_s: float, duration_s: float = SECONDS_PER_DAY, *,
            peak_to_trough: float = 4.0, period_s: float = SECONDS_PER_DAY,
            peak_at_s: float = 14 * 3600.0, duration_ms: DurationSpec = 100.0,
            seed: int = 0) -> Workload:
    """A day/night cycle: the rate is a cosine whose average is ``mean_rate_per_s``.

    The peak is ``peak_to_trough`` times the trough and falls at ``peak_at_s`` into each
    ``period_s`` (default: 14:00 of a 24-hour day).
    """
    mean = number("mean_rate_per_s", mean_rate_per_s, high=1e6)
    span = _window(duration_s)
    ratio = number("peak_to_trough", peak_to_trough, low=1.0, high=1e6)
    period = number("period_s", period_s, low=1.0)
    peak_at = number("peak_at_s", peak_at_s, low=0.0)
    amplitude = mean * (ratio - 1.0) / (ratio + 1.0)

    def rate(t: np.ndarray) -> np.ndarray:
        return mean + amplitude * np.cos(2 * math.pi * (t - peak_at) / period)

    rng = np.random.default_rng(seed)
    arrivals = _thinned(rng, rate, mean + amplitude, span)
    return _make(f"diurnal {mean:g}/s (x{ratio:g})", arrivals, duration_ms, rng)


def bursty(base_rate_per_s: float, burst_rate_per_s: float, duration_s: float, *,
           on_s: float = 60.0, off_s: float = 540.0, duration_ms: DurationSpec = 100.0,
           seed: int = 0) -> Workload:
    """On/off traffic: each cycle has ``off_s`` at the base rate, then ``on_s`` of burst."""
    base = number("base_rate_per_s", base_rate_per_s, high=1e6)
    burst = number("burst_rate_per_s", burst_rate_per_s, high=1e6)
    span = _window(duration_s)
    on = number("on_s", on_s, low=0.0)
    off = number("off_s", off_s, low=0.0)
    if on + off <= 0:
        raise ValueError(f"on_s={on_s!r} and off_s={off_s!r} add up to 0; allowed: a positive "
                         "cycle")
    cycle = on + off

    def rate(t: np.ndarray) -> np.ndarray:
        return np.where(np.mod(t, cycle) >= off, burst, base)

    rng = np.random.default_rng(seed)
    arrivals = _thinned(rng, rate, max(base, burst), span)
    return _make(f"bursty {base:g}/s, {burst:g}/s for {on:g} s in {cycle:g} s", arrivals,
                 duration_ms, rng)


def flash_crowd(base_rate_per_s: float, peak_rate_per_s: float, duration_s: float, *,
                start_s: float = 60.0, ramp_s: float = 10.0, hold_s: float = 120.0,
                decay_s: float = 60.0, duration_ms: DurationSpec = 100.0,
                seed: int = 0) -> Workload:
    """A flash crowd: the base rate, then at ``start_s`` a linear climb over ``ramp_s`` to the
    peak, which holds for ``hold_s`` and then fades back to the base rate linearly over
    ``decay_s``."""
    base = number("base_rate_per_s", base_rate_per_s, high=1e6)
    peak = number("peak_rate_per_s", peak_rate_per_s, low=base, high=1e7)
    span = _window(duration_s)
    start = number("start_s", start_s)
    ramp = number("ramp_s", ramp_s)
    hold = number("hold_s", hold_s)
    decay = number("decay_s", decay_s)
    knots_s = [0.0, start, start + ramp, start + ramp + hold, start + ramp + hold + decay]

    def rate(t: np.ndarray) -> np.ndarray:
        return np.interp(t, knots_s, [base, base, peak, peak, base])

    rng = np.random.default_rng(seed)
    arrivals = _thinned(rng, rate, peak, span)
    return _make(f"flash crowd {base:g}/s to {peak:g}/s", arrivals, duration_ms, rng)


def periodic(period_s: float, duration_s: float, *, per_fire: int = 1, offset_s: float = 0.0,
             jitter_s: float = 0.0, duration_ms: DurationSpec = 100.0,
             seed: int = 0) -> Workload:
    """A cron timer: ``per_fire`` requests at ``offset_s``, ``offset_s + period_s``, … before
    ``duration_s``, each delayed by a uniform jitter in ``[0, jitter_s]``."""
    period = number("period_s", period_s, low=1e-3)
    span = _window(duration_s)
    per_fire = whole("per_fire", per_fire, low=1, high=1e6)
    offset = number("offset_s", offset_s)
    jitter = number("jitter_s", jitter_s, high=period)
    rng = np.random.default_rng(seed)
    fires = np.arange(offset, span, period) if offset < span else np.empty(0)
    arrivals = np.repeat(fires, per_fire)
    if jitter > 0:
        arrivals = arrivals + rng.uniform(0.0, jitter, arrivals.size)
    return _make(f"every {period:g} s", arrivals, duration_ms, rng)


def merge(workloads: Sequence[Workload], name: str = "merged") -> Workload:
    """Several workloads on one function, interleaved in time."""
    if not workloads:
        return Workload(np.empty(0), np.empty(0), name)
    arrivals = np.concatenate([w.arrivals_s for w in workloads])
    durations_ms = np.concatenate([w.durations_ms for w in workloads])
    order = np.argsort(arrivals, kind="stable")
    return Workload(arrivals[order], durations_ms[order], name)


# --- trace replay ---------------------------------------------------------------------------

def minute_columns(columns: Sequence[object]) -> list[str]:
    """The per-minute count columns of a trace table: ``"1"``, ``"2"``, … in order."""
    found = sorted((str(c) for c in columns if str(c).isdigit()), key=int)
    if not found:
        raise ValueError("the trace has no per-minute columns; allowed: columns named "
                         "'1' to '1440' as in the Azure Functions 2019 trace")
    expected = [str(m) for m in range(1, len(found) + 1)]
    if found != expected:
        raise ValueError(f"the trace's minute columns are not 1..{len(found)} without gaps")
    return found


def _counts_array(counts: object) -> np.ndarray:
    if hasattr(counts, "columns"):  # a DataFrame in the trace layout
        counts = counts[minute_columns(counts.columns)].to_numpy()
    array = np.array(counts, dtype=np.float64, ndmin=1)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2:
        raise ValueError(f"counts has shape {array.shape}; allowed: one row of per-minute counts "
                         "per function")
    bad = np.flatnonzero((~np.isfinite(array) | (array < 0) | (array != np.round(array))).ravel())
    if bad.size:
        row, minute = divmod(int(bad[0]), array.shape[1])
        raise ValueError(f"counts[{row}][{minute}]={array[row, minute]!r} is not allowed; "
                         "allowed: whole numbers of invocations, 0 or more")
    return array.astype(np.int64)


def from_minute_counts(counts: object, *, seed: int = 0, duration_ms: object = 100.0,
                       name: str = "trace replay") -> Workload:
    """Replay per-minute invocation counts.

    ``counts`` is one function's counts (a 1-D sequence, minute 1 first), a 2-D array with one
    row per function, or a DataFrame in the Azure Functions 2019 layout (columns ``"1"`` …).
    Each minute's requests arrive at uniform random times inside that minute.

    ``duration_ms`` is a constant, a duration model, or one value or model per function (a
    sequence as long as the number of rows), e.g. the trace's ``AverageDurationMs`` column.
    The result's ``function_ids`` holds each request's row number.
    """
    matrix = _counts_array(counts)
    functions, minutes = matrix.shape
    rng = np.random.default_rng(seed)
    flat = matrix.ravel()
    minute_of = np.repeat(np.tile(np.arange(minutes), functions), flat)
    function_of = np.repeat(np.repeat(np.arange(functions), minutes), flat)
    arrivals = (minute_of + rng.random(minute_of.size)) * 60.0
    order = np.argsort(arrivals, kind="stable")
    arrivals, function_of = arrivals[order], function_of[order]

    per_function = (duration_ms if isinstance(duration_ms, Sequence | np.ndarray)
                    and not isinstance(duration_ms, str) else None)
    if per_function is None:
        drawn = durations(duration_ms, arrivals.size, rng)  # type: ignore[arg-type]
    elif len(per_function) != functions:
        raise ValueError(f"duration_ms has {len(per_function)} entries for {functions} "
                         "functions; allowed: one constant, or one per function")
    elif all(isinstance(v, int | float | np.number) for v in per_function):
        constants = np.array([durations(float(v), 1, rng)[0] for v in per_function])
        drawn = constants[function_of]
    else:
        drawn = np.empty(arrivals.size)
        order_by_function = np.argsort(function_of, kind="stable")
        bounds = np.searchsorted(function_of[order_by_function], np.arange(functions + 1))
        for row, spec in enumerate(per_function):
            mine = order_by_function[bounds[row]:bounds[row + 1]]
            drawn[mine] = durations(spec, mine.size, rng)
    return Workload(arrivals, drawn, name, function_of)


def trace_path(directory: Path | None = None) -> Path:
    return (directory or _data.data_dir()) / TRACE_FILE


def load_trace(directory: Path | None = None):
    """The synthetic multi-function trace (``data/synthetic_trace.csv``) as a DataFrame.

    Columns: the Azure layout's ``HashOwner``, ``HashApp``, ``HashFunction``, ``Trigger`` and the
    minute counts ``"1"`` … ``"1440"``, plus ``AverageDurationMs`` (in the Azure dataset that
    figure lives in a separate durations file keyed by the same hashes).
    """
    import pandas as pd

    path = trace_path(directory)
    if not path.exists():
        raise _data.DataError(f"{TRACE_FILE}: file not found at {path}")
    table = pd.read_csv(path, dtype={c: str for c in TRACE_KEY_COLUMNS})
    missing = [c for c in (*TRACE_KEY_COLUMNS, "AverageDurationMs") if c not in table.columns]
    if missing:
        raise _data.DataError(f"{TRACE_FILE}: missing column '{missing[0]}'")
    _counts_array(table)  # validates the minute columns and their values
    return table


def trace_workload(table=None, *, seed: int = 0) -> Workload:
    """Replay the whole synthetic trace, each function with its average duration."""
    table = load_trace() if table is None else table
    return from_minute_counts(table, seed=seed,
                              duration_ms=table["AverageDurationMs"].to_numpy(dtype=float),
                              name="synthetic trace")


# --- the Azure Functions 2019 trace, as published ----------------------------------------------

AZURE_KEYS = ("HashOwner", "HashApp", "HashFunction")
AZURE_DURATION_COLUMNS = ("Average", "Count", "Minimum", "Maximum", "percentile_Average_0",
                          "percentile_Average_1", "percentile_Average_25",
                          "percentile_Average_50", "percentile_Average_75",
                          "percentile_Average_99", "percentile_Average_100")


@dataclass(frozen=True)
class AzureTrace:
    """Several days of the Azure Functions 2019 trace, joined and stored sparsely.

    ``functions`` has one row per function kept (``HashOwner``, ``HashApp``, ``HashFunction``,
    ``Trigger``, ``AverageDurationMs`` -- the ``Average`` of the durations files, averaged over
    the days weighted by their ``Count`` -- and ``Invocations``). The per-minute counts are kept
    only where they are non-zero: ``row`` (into ``functions``), ``minute`` (from the start of
    the first day) and ``count``, 12 bytes per non-zero minute. ``dropped`` has one row per day:
    functions, and the invocations they made, found in one file of the day and not the other.
    """

    functions: object  # pandas DataFrame
    row: np.ndarray
    minute: np.ndarray
    count: np.ndarray
    days: int
    dropped: object  # pandas DataFrame

    @property
    def minutes(self) -> int:
        return self.days * MINUTES_PER_DAY

    def minute_counts(self, row: int) -> np.ndarray:
        """One function's invocations per minute over all the days."""
        out = np.zeros(self.minutes, dtype=np.int64)
        lo, hi = np.searchsorted(self.row, [row, row + 1])
        out[self.minute[lo:hi]] = self.count[lo:hi]
        return out

    def requests(self, row: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """One function's ``(arrivals_s, durations_ms)``: each minute's invocations at uniform
        random times inside it, each lasting the function's average duration."""
        w = from_minute_counts(self.minute_counts(row), seed=seed + int(row),
                               duration_ms=float(self.functions["AverageDurationMs"].iat[row]))
        return w.arrivals_s, w.durations_ms

    def by_application(self) -> AzureTrace:
        """The same trace with the functions of each application added up: the unit the paper
        (and Azure) loads and unloads. ``AverageDurationMs`` is weighted by invocations."""
        import pandas as pd

        f = self.functions
        apps = f[["HashOwner", "HashApp"]].drop_duplicates().reset_index(drop=True)
        app_of = f.merge(apps.reset_index(), on=["HashOwner", "HashApp"], how="left")["index"]
        app_of = app_of.to_numpy()
        weight = f["Invocations"].to_numpy(dtype=float)
        duration = f["AverageDurationMs"].to_numpy(dtype=float)
        invocations = np.bincount(app_of, weights=weight, minlength=len(apps))
        weighted = np.bincount(app_of, weights=weight * duration, minlength=len(apps))
        plain = np.bincount(app_of, weights=duration, minlength=len(apps)) / np.bincount(
            app_of, minlength=len(apps))
        apps["HashFunction"] = ""
        apps["Trigger"] = f.groupby(app_of)["Trigger"].agg(
            lambda t: t.iat[0] if t.nunique() == 1 else "mixed").to_numpy()
        apps["AverageDurationMs"] = np.where(invocations > 0, weighted / np.maximum(
            invocations, 1), plain)
        apps["Invocations"] = invocations.astype(np.int64)
        key = app_of[self.row].astype(np.int64) * self.minutes + self.minute
        unique, inverse = np.unique(key, return_inverse=True)
        counts = np.bincount(inverse, weights=self.count).astype(np.int32)
        return AzureTrace(functions=pd.DataFrame(apps), row=(unique // self.minutes).astype(
            np.int32), minute=(unique % self.minutes).astype(np.int32), count=counts,
            days=self.days, dropped=self.dropped)


def _paths(value, name: str) -> list[Path]:
    paths = [Path(value)] if isinstance(value, str | Path) else [Path(p) for p in value]
    if not paths:
        raise ValueError(f"{name} is empty; allowed: a file, or one file per day")
    for p in paths:
        if not p.exists():
            raise _data.DataError(f"{name}: file not found at {p}")
    return paths


def _read_day(invocations_path: Path, durations_path: Path):
    """One day: the joined table and what was found in one file only."""
    import pandas as pd

    keys = list(AZURE_KEYS)
    invocations = pd.read_csv(invocations_path, dtype={c: str for c in (*keys, "Trigger")})
    missing = [c for c in (*keys, "Trigger") if c not in invocations.columns]
    if missing:
        raise _data.DataError(f"{invocations_path.name}: missing column '{missing[0]}'")
    minutes = minute_columns(invocations.columns)
    if len(minutes) != MINUTES_PER_DAY:
        raise _data.DataError(f"{invocations_path.name}: {len(minutes)} minute columns; "
                              f"allowed: '1' to '{MINUTES_PER_DAY}'")
    durations = pd.read_csv(durations_path, dtype={c: str for c in keys})
    missing = [c for c in (*keys, "Average", "Count") if c not in durations.columns]
    if missing:
        raise _data.DataError(f"{durations_path.name}: missing column '{missing[0]}'")
    durations = durations[[*keys, "Average", "Count"]].drop_duplicates(keys)
    counts = _counts_array(invocations[minutes].to_numpy())
    left = invocations[[*keys, "Trigger"]].drop_duplicates(keys).assign(_row=lambda f: f.index)
    joined = left.merge(durations, on=keys, how="outer", indicator=True)
    both = joined[joined["_merge"] == "both"]
    only_invocations = joined.loc[joined["_merge"] == "left_only", "_row"].to_numpy(np.int64)
    dropped = {"functions only in the invocations file": int(only_invocations.size),
               "their invocations": int(counts[only_invocations].sum()),
               "functions only in the durations file": int((joined["_merge"]
                                                            == "right_only").sum())}
    table = both[[*keys, "Trigger", "Average", "Count"]]
    return table.reset_index(drop=True), counts[both["_row"].to_numpy(np.int64)], dropped


def load_azure_trace(invocations_csv, durations_csv, *, max_days: int | None = None,
                     progress: bool = False) -> AzureTrace:
    """Read days of the Azure Functions 2019 trace exactly as published, one day at a time.

    ``invocations_csv`` and ``durations_csv`` are the day's files
    (``invocations_per_function_md.anon.dNN.csv`` with ``HashOwner``, ``HashApp``,
    ``HashFunction``, ``Trigger`` and the minute columns ``1`` … ``1440``;
    ``function_durations_percentiles.anon.dNN.csv`` with the same three hashes, ``Average``,
    ``Count``, ``Minimum``, ``Maximum`` and the ``percentile_Average_*`` columns), or two
    equally long sequences of them, one per day in order (compressed files work too). The two
    files of a day are joined on the three hashes; a function found in only one of them is
    dropped for that day, and ``dropped`` says how many and how many invocations they held. A
    function may appear on some days only: it has no invocations on the others.

    Only one day's table is in memory at a time; the result keeps the non-zero minutes, so
    fourteen days of the full trace fit in a laptop's memory.

    What the numbers mean, from Azure's description of the dataset: an invocation is counted in
    the minute it *finished*, not the one it started; ``Average`` is the execution time in ms and
    excludes cold-start time. Replays (:meth:`AzureTrace.requests`) spread each minute's
    invocations uniformly inside it and give them the function's average duration, so they
    start at most a minute (plus a duration) away from when they really did.
    """
    import pandas as pd

    invocation_paths = _paths(invocations_csv, "invocations_csv")
    duration_paths = _paths(durations_csv, "durations_csv")
    if len(invocation_paths) != len(duration_paths):
        raise ValueError(f"invocations_csv has {len(invocation_paths)} files but durations_csv "
                         f"has {len(duration_paths)}; allowed: one of each per day")
    if max_days is not None:
        count_days = whole("max_days", max_days, low=1)
        invocation_paths, duration_paths = (invocation_paths[:count_days],
                                            duration_paths[:count_days])
    index: dict[tuple, int] = {}
    meta: list[list] = []  # HashOwner, HashApp, HashFunction, Trigger, sum(Average*Count), Count
    rows, minutes, counts, dropped = [], [], [], []
    for day, (inv, dur) in enumerate(zip(invocation_paths, duration_paths, strict=True)):
        if progress:
            print(f"day {day + 1}: {inv.name}", flush=True)
        table, day_counts, day_dropped = _read_day(inv, dur)
        dropped.append({"day": day + 1, **day_dropped})
        ids = np.empty(len(table), dtype=np.int32)
        for k, key in enumerate(zip(table["HashOwner"], table["HashApp"],
                                    table["HashFunction"], strict=True)):
            if key not in index:
                index[key] = len(meta)
                meta.append([*key, table["Trigger"].iat[k], 0.0, 0.0])
            ids[k] = index[key]
            weight = float(table["Count"].iat[k])
            meta[ids[k]][4] += float(table["Average"].iat[k]) * weight
            meta[ids[k]][5] += weight
        r, m = np.nonzero(day_counts)
        rows.append(ids[r])
        minutes.append((m + day * MINUTES_PER_DAY).astype(np.int32))
        counts.append(day_counts[r, m].astype(np.int32))
    row = np.concatenate(rows) if rows else np.empty(0, np.int32)
    minute = np.concatenate(minutes) if minutes else np.empty(0, np.int32)
    count = np.concatenate(counts) if counts else np.empty(0, np.int32)
    order = np.lexsort((minute, row))
    functions = pd.DataFrame(meta, columns=[*AZURE_KEYS, "Trigger", "_weighted", "_count"])
    functions["AverageDurationMs"] = (functions["_weighted"]
                                      / functions["_count"].where(functions["_count"] > 0))
    functions["Invocations"] = np.bincount(row, weights=count, minlength=len(functions)).astype(
        np.int64)
    functions = functions.drop(columns=["_weighted", "_count"])
    return AzureTrace(functions=functions, row=row[order], minute=minute[order],
                      count=count[order], days=len(invocation_paths),
                      dropped=pd.DataFrame(dropped).set_index("day"))


def azure_day_files(directory: Path, days: int | None = None) -> tuple[list[Path], list[Path]]:
    """The invocations and durations files of a folder laid out like the Azure dataset
    (``*.anon.d01.csv`` …, optionally compressed), in day order."""
    directory = Path(directory)
    invocations = sorted(directory.glob("invocations_per_function_md.anon.d*.csv*"))
    durations = sorted(directory.glob("function_durations_percentiles.anon.d*.csv*"))
    if days is not None:
        invocations, durations = invocations[:days], durations[:days]
    if not invocations or len(invocations) != len(durations):
        raise _data.DataError(f"{directory}: found {len(invocations)} invocations files and "
                              f"{len(durations)} durations files; allowed: one of each per day")
    return invocations, durations
