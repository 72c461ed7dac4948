"""Keep-alive experiments for lab 1: traffic shapes, policy sweeps and trace replays.

This module sits on top of both :mod:`ec2vslambda.keepalive` (the policies) and
:mod:`ec2vslambda.simulate` (the simulators), which do not import each other's way back.

* :func:`shaped_workload` and :func:`cold_start_grid` -- one function's traffic of a named shape,
  and the cold-start share under fixed windows for every shape and rate.
* :func:`run_policies`, :func:`policy_table`, :func:`policy_table_by_group` -- every function of
  a (small) multi-function workload under several policies, per environment, tabulated.
* :func:`replay_policies` -- a trace replay the way Shahrad et al. (USENIX ATC 2020) score
  policies: each function (application) on its own, under every policy, either with the paper's
  application-level model (one image, loaded or not:
  :func:`~ec2vslambda.simulate.simulate_application`) or Lambda's per-environment one
  (:func:`~ec2vslambda.simulate.lambda_cold_and_idle`), counting cold
  starts and wasted memory-time only after the training days. Functions are independent, so the
  replay runs as Dask tasks: on the local threaded scheduler by default (the compiled loops
  release the GIL, so every core works), or on a ``distributed`` cluster -- the same code -- when
  a ``dask.distributed.Client`` is active or passed as ``scheduler``.
* :func:`pareto_table` and :func:`frontier_position` -- the paper's two axes (75th-percentile
  per-application cold-start percentage; wasted memory-time normalised to fixed 10 minutes) and
  where an adaptive policy sits against the fixed windows' frontier.
* :func:`routing_table` -- how much the simulator's routing assumption (which idle environment
  serves a request) moves cold starts and idle memory.

Every function that simulates takes ``engine`` (``"compiled"`` or ``"python"``, see
:func:`ec2vslambda.simulate.simulate_lambda`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from . import workloads as _w
from .keepalive import FixedKeepAlive, HybridHistogram
from .simulate import (
    lambda_cold_and_idle,
    simulate_application,
    simulate_functions,
    simulate_lambda,
)
from .streams import BURST_CYCLE_S, BURST_ON_S, PEAK_TO_TROUGH, SHAPE_WORDS, SHAPES
from .validation import Allowed, InputError, choice, number, whole
from .words import say, word

__all__ = ["BASELINE", "BURST_CYCLE_S", "BURST_ON_S", "HYBRID_RANGES_H", "MODELS",
           "PAPER_FIXED_MIN", "SHAPES", "SHAPE_WORDS", "cold_start_grid", "draw_pareto",
           "frontier_position", "paper_policies", "pareto_drawing", "pareto_figure",
           "pareto_table", "policy_table", "policy_table_by_group", "replay_policies",
           "routing_cases", "routing_table", "run_policies", "shape_name", "shaped_workload",
           "split_functions"]

MODELS = ("application", "environment")
PAPER_FIXED_MIN = (5, 10, 20, 30, 45, 60, 90, 120)  # the fixed windows of the paper's figure
HYBRID_RANGES_H = (1, 2, 3, 4)  # the histogram ranges the paper ran
BASELINE = "fixed 10 min"


def shape_name(shape: str) -> str:
    """A traffic shape's name for a reader, in the active catalogue's words."""
    return word(SHAPE_WORDS.get(shape, shape))


# --- one function's traffic -----------------------------------------------------------------

def shaped_workload(shape: str, rate_per_hour: float, hours: float = 24.0, *,
                    duration_ms=100.0, seed: int = 0) -> _w.Workload:
    """One function's traffic of a named ``shape`` at an average of ``rate_per_hour``.

    ``poisson``: constant rate; ``diurnal``: a day/night cycle with a 10:1 peak-to-trough ratio;
    ``bursty``: every request of each hour packed into a 5-minute batch; ``periodic``: a timer
    firing every ``3600 / rate_per_hour`` seconds.
    """
    shape = choice("shape", shape, SHAPES)
    rate_per_hour = number("rate_per_hour", rate_per_hour, low=1e-3, high=1e7)
    span_s = number("hours", hours, low=1e-3, high=24.0 * 366) * 3600.0
    rate_per_s = rate_per_hour / 3600.0
    if shape == "poisson":
        return _w.poisson(rate_per_s, span_s, duration_ms=duration_ms, seed=seed)
    if shape == "diurnal":
        return _w.diurnal(rate_per_s, span_s, peak_to_trough=PEAK_TO_TROUGH,
                          duration_ms=duration_ms, seed=seed)
    if shape == "bursty":
        return _w.bursty(0.0, rate_per_s * BURST_CYCLE_S / BURST_ON_S, span_s, on_s=BURST_ON_S,
                         off_s=BURST_CYCLE_S - BURST_ON_S, duration_ms=duration_ms, seed=seed)
    return _w.periodic(3600.0 / rate_per_hour, span_s, duration_ms=duration_ms, seed=seed)


def cold_start_grid(shapes=SHAPES, rates_per_hour=(1, 3, 10, 30, 100, 300, 1000),
                    keep_alive_min=(1, 5, 10, 20, 60), *, hours: float = 24.0,
                    duration_ms=100.0, init_ms: float = 200.0, memory_mb: int = 512,
                    seed: int = 0, engine: str | None = None):
    """Cold-start share and idle memory for every shape × rate × fixed keep-alive window.

    Returns a DataFrame with one row per combination: ``shape``, ``rate_per_hour``,
    ``keep_alive_min``, ``requests``, ``cold_starts``, ``cold_start_ratio`` and ``idle_gb_h``.
    The same workload (same seed) is reused across keep-alive windows.
    """
    import pandas as pd

    rows = []
    for shape in shapes:
        for rate in rates_per_hour:
            w = shaped_workload(shape, rate, hours, duration_ms=duration_ms, seed=seed)
            for minutes in keep_alive_min:
                policy = FixedKeepAlive(number("keep_alive_min", minutes) * 60.0)
                r = simulate_lambda(w.arrivals_s, w.durations_ms, init_ms=init_ms,
                                    policy=policy, memory_mb=memory_mb, with_cost=False,
                                    engine=engine)
                rows.append({"shape": shape, "rate_per_hour": rate, "keep_alive_min": minutes,
                             "requests": r.requests, "cold_starts": r.cold_starts,
                             "cold_start_ratio": r.cold_start_ratio,
                             "idle_gb_h": r.idle_gb_s / 3600.0})
    return pd.DataFrame(rows)


# --- a few functions, per environment -------------------------------------------------------

def _named(policies) -> dict:
    named = dict(policies) if isinstance(policies, Mapping) else {p.label: p for p in policies}
    if len(named) != len(policies):
        raise InputError("policies", [p.label for p in policies],
                         "has two policies with the same label",
                         Allowed(text="distinct policies, or a mapping from names to policies"))
    for name, policy in named.items():
        if not isinstance(policy, FixedKeepAlive | HybridHistogram):
            raise InputError(f"policies[{name!r}]", policy, "is not allowed",
                             Allowed(text="FixedKeepAlive(...) or HybridHistogram(...)"))
    return named


def run_policies(workload, policies, *, memory_mb: int = 512, init_ms: float = 200.0,
                 engine: str | None = None) -> dict:
    """Simulate every function of a (multi-function) workload under each policy, per
    environment. ``policies`` is a sequence of policies (named by their ``label``) or a mapping
    from names to policies. Returns ``{name: [LambdaResult per function]}``."""
    return {name: simulate_functions(workload, policy=policy, memory_mb=memory_mb,
                                     init_ms=init_ms, with_cost=False, engine=engine)
            for name, policy in _named(policies).items()}


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


# --- the routing assumption ----------------------------------------------------------------

def routing_cases(seed: int = 1) -> dict:
    """A day of three kinds of traffic whose requests overlap, so that several environments are
    often idle at once and the routing rule has a choice to make."""
    one_s = _w.LogNormalMs(1000.0, 1.0)
    return {
        "steady, 1 request/s of 1 s": _w.poisson(1.0, _w.SECONDS_PER_DAY, duration_ms=one_s,
                                                 seed=seed),
        "day and night, 5 requests/s of 1 s": _w.diurnal(5.0, _w.SECONDS_PER_DAY,
                                                          peak_to_trough=10.0,
                                                          duration_ms=one_s, seed=seed),
        "steady, 10 requests/s of 0.1 s": _w.poisson(10.0, _w.SECONDS_PER_DAY,
                                                     duration_ms=_w.LogNormalMs(100.0, 1.0),
                                                     seed=seed),
    }


def routing_table(cases: Mapping | None = None, keep_alive_min=(1, 10), *, memory_mb: int = 512,
                  engine: str | None = None):
    """Cold starts and idle memory under both routing rules of
    :func:`~ec2vslambda.simulate.simulate_lambda`, per traffic and fixed window.

    ``cases`` maps a name to a workload (default: :func:`routing_cases`). Columns: requests,
    cold starts and idle GB-hours with ``"recently_freed"`` (the course's default) and
    ``"newest"`` (SimFaaS's), and each change in percent (recently freed against newest).
    """
    import pandas as pd

    cases = routing_cases() if cases is None else cases
    rows = []
    for name, w in cases.items():
        for minutes in keep_alive_min:
            runs = {routing: simulate_lambda(w.arrivals_s, w.durations_ms,
                                             keep_alive_s=number("keep_alive_min", minutes)
                                             * 60.0, memory_mb=memory_mb, with_cost=False,
                                             routing=routing, engine=engine)
                    for routing in ("recently_freed", "newest")}
            freed, newest = runs["recently_freed"], runs["newest"]
            rows.append({
                "traffic": name, "keep-alive (min)": minutes, "requests": freed.requests,
                "cold starts, recently freed": freed.cold_starts,
                "cold starts, newest": newest.cold_starts,
                "cold starts change (%)": _change(freed.cold_starts, newest.cold_starts),
                "idle GB-h, recently freed": freed.idle_gb_s / 3600.0,
                "idle GB-h, newest": newest.idle_gb_s / 3600.0,
                "idle memory change (%)": _change(freed.idle_gb_s, newest.idle_gb_s)})
    return pd.DataFrame(rows).set_index(["traffic", "keep-alive (min)"])


def _change(value: float, reference: float) -> float:
    return 100.0 * (value / reference - 1.0) if reference else 0.0


# --- trace replays, the paper's way ---------------------------------------------------------

def paper_policies(*, arima: bool = True) -> dict:
    """The policies of the paper's Pareto figure: fixed windows of 5 to 120 minutes, and the
    hybrid policy with a 4-hour histogram and the shorter ranges the paper also ran (1, 2 and
    3 hours); ``arima`` adds the 4-hour hybrid with the ARIMA forecast next to our default
    median forecast."""
    policies: dict[str, FixedKeepAlive | HybridHistogram] = {
        f"fixed {m} min": FixedKeepAlive(m * 60.0) for m in PAPER_FIXED_MIN}
    for hours in HYBRID_RANGES_H:
        policies[f"hybrid {hours} h"] = HybridHistogram(range_s=hours * 3600.0)
    if arima:
        policies["hybrid 4 h, ARIMA"] = HybridHistogram(forecast="arima")
    return policies


def split_functions(workload: _w.Workload) -> list[tuple[np.ndarray, np.ndarray]]:
    """A multi-function workload as one ``(arrivals_s, durations_ms)`` pair per function id."""
    if workload.function_ids is None:
        return [(workload.arrivals_s, workload.durations_ms)]
    ids = workload.function_ids
    order = np.argsort(ids, kind="stable")
    bounds = np.searchsorted(ids[order], np.arange(int(ids.max()) + 2)) if ids.size else [0]
    return [(workload.arrivals_s[order[bounds[f]:bounds[f + 1]]],
             workload.durations_ms[order[bounds[f]:bounds[f + 1]]])
            for f in range(len(bounds) - 1)]


def _replay_chunk(functions, first_id: int, name: str, policy, model: str, init_ms: float,
                  score_from_s: float, score_until_s: float | None,
                  engine: str | None = None) -> list[dict]:
    """Replay some functions under one policy (one Dask task)."""
    rows = []
    for offset, (arrivals, durations) in enumerate(functions):
        scored = arrivals >= score_from_s
        if score_until_s is not None:
            scored &= arrivals < score_until_s
        simulate = simulate_application if model == "application" else lambda_cold_and_idle
        r = simulate(arrivals, durations, policy=policy, init_ms=init_ms,
                     idle_from_s=score_from_s, idle_until_s=score_until_s, engine=engine)
        rows.append({"policy": name, "function": first_id + offset,
                     "requests": int(np.count_nonzero(scored)),
                     "cold_starts": int(np.count_nonzero(r.cold & scored)),
                     "wasted_memory_s": r.wasted_memory_s, "prewarm_loads": r.prewarm_loads})
    return rows


def replay_policies(functions, policies, *, model: str = "application",
                    score_from_s: float = 0.0, score_until_s: float | None = None,
                    init_ms: float = 200.0, chunk_size: int = 16, scheduler=None,
                    engine: str | None = None):
    """Replay every function under every policy; returns one row per (policy, function).

    ``functions`` is a multi-function :class:`~ec2vslambda.workloads.Workload` (each function id
    on its own) or a sequence of ``(arrivals_s, durations_ms)`` pairs. ``model`` is
    ``"application"`` (the paper's: one image per application, loaded or not) or
    ``"environment"`` (Lambda's: one environment per request in flight). Only requests that
    arrive in ``[score_from_s, score_until_s)`` and idle memory inside that span are counted:
    the days before ``score_from_s`` only train the adaptive policies.

    The work is split into Dask tasks of ``chunk_size`` functions × one policy and computed with
    ``scheduler``: ``None`` uses Dask's default (the threaded local scheduler, or the active
    ``distributed`` client), ``"sync"`` runs them one by one in this thread, ``"processes"`` in
    local processes, or pass a ``dask.distributed.Client``. Every choice gives the same table.

    Columns: ``policy``, ``function``, ``requests`` (scored), ``cold_starts`` (scored),
    ``wasted_memory_s`` (application-seconds, or environment-seconds per environment) and
    ``prewarm_loads``.
    """
    import dask
    import pandas as pd

    model = choice("model", model, MODELS)
    named = _named(policies)
    score_from_s = number("score_from_s", score_from_s)
    if score_until_s is not None:
        score_until_s = number("score_until_s", score_until_s, low=score_from_s)
    chunk_size = whole("chunk_size", chunk_size, low=1)
    pairs = (split_functions(functions) if isinstance(functions, _w.Workload)
             else [(np.asarray(a, dtype=float), np.asarray(d, dtype=float))
                   for a, d in functions])
    tasks = [dask.delayed(_replay_chunk, pure=True)(
                 pairs[start:start + chunk_size], start, name, policy, model, init_ms,
                 score_from_s, score_until_s, engine)
             for name, policy in named.items() for start in range(0, len(pairs), chunk_size)]
    if hasattr(scheduler, "compute") and hasattr(scheduler, "gather"):  # a distributed Client
        chunks = scheduler.gather(scheduler.compute(tasks))
    else:
        chunks = dask.compute(*tasks, scheduler=scheduler)
    return pd.DataFrame([row for chunk in chunks for row in chunk])


def pareto_table(replayed, *, baseline: str = BASELINE):
    """The paper's two axes per policy, from :func:`replay_policies`' rows.

    ``75th pct app cold (%)``: the 75th percentile, across functions (applications) with at
    least one scored request, of each one's cold-start percentage; ``median app cold (%)``;
    ``cold starts (% of invocations)``; ``wasted memory vs <baseline>``: total wasted
    memory-time relative to the baseline policy's; and ``pre-warm loads``.
    """
    import pandas as pd

    if baseline not in set(replayed["policy"]):
        raise InputError("baseline", baseline, "is not among the replayed policies",
                         Allowed(options=tuple(sorted(set(replayed["policy"])))))
    rows = []
    base = replayed.loc[replayed["policy"] == baseline, "wasted_memory_s"].sum()
    for name, mine in replayed.groupby("policy", sort=False):
        active = mine[mine["requests"] > 0]
        per_app = 100.0 * active["cold_starts"] / active["requests"]
        rows.append({"policy": name,
                     "75th pct app cold (%)": float(np.percentile(per_app, 75)),
                     "median app cold (%)": float(np.median(per_app)),
                     "cold starts (% of invocations)":
                         100.0 * active["cold_starts"].sum() / active["requests"].sum(),
                     f"wasted memory vs {baseline}":
                         mine["wasted_memory_s"].sum() / base if base else np.nan,
                     "pre-warm loads": int(mine["prewarm_loads"].sum())})
    return pd.DataFrame(rows).set_index("policy")


def frontier_position(table, policy: str, *, fixed: Sequence[str] | None = None,
                      baseline: str = BASELINE) -> dict:
    """Where ``policy`` sits against the fixed windows in a :func:`pareto_table`.

    Returns ``memory`` and ``cold`` (the policy's x and y), ``frontier_cold`` (the fixed
    windows' cold-start percentage at the same memory, interpolated linearly between the two
    fixed windows around it, or None outside their range), ``below_frontier`` (fewer cold
    starts than the fixed windows manage with the same memory), ``dominates`` (fixed windows
    that are worse on both axes, or as bad on one and worse on the other) and ``dominated_by``
    (fixed windows better on both).
    """
    x_col = f"wasted memory vs {baseline}"
    y_col = "75th pct app cold (%)"
    fixed = list(fixed) if fixed is not None else [p for p in table.index
                                                   if str(p).startswith("fixed")]
    points = table.loc[fixed, [x_col, y_col]].sort_values(x_col)
    x, y = float(table.loc[policy, x_col]), float(table.loc[policy, y_col])
    xs, ys = points[x_col].to_numpy(), points[y_col].to_numpy()
    frontier = float(np.interp(x, xs, ys)) if xs[0] <= x <= xs[-1] else None

    def worse(a, b):  # a is worse than b on both axes (ties count on one)
        return a[0] >= b[0] and a[1] >= b[1] and (a[0] > b[0] or a[1] > b[1])

    return {"memory": x, "cold": y, "frontier_cold": frontier,
            "below_frontier": frontier is not None and y < frontier,
            "dominates": [p for p in fixed if worse(tuple(table.loc[p, [x_col, y_col]]), (x, y))],
            "dominated_by": [p for p in fixed
                             if worse((x, y), tuple(table.loc[p, [x_col, y_col]]))]}


def pareto_figure(table, *, baseline: str = BASELINE, title: str = "", ax=None):
    """The paper's trade-off plot: each policy's wasted memory (relative to ``baseline``) against
    its 75th-percentile per-application cold-start percentage; fixed windows joined by a line."""
    import matplotlib.pyplot as plt

    x_col, y_col = f"wasted memory vs {baseline}", "75th pct app cold (%)"
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.0))
    fixed = table[[str(p).startswith("fixed") for p in table.index]].sort_values(x_col)
    ax.plot(fixed[x_col], fixed[y_col], "o-", color="C0", label=word("fixed keep-alive"))
    for name, row in fixed.iterrows():
        ax.annotate(str(name).removeprefix("fixed "), (row[x_col], row[y_col]),
                    textcoords="offset points", xytext=(4, 4), fontsize=7, color="C0")
    adaptive = table.drop(index=fixed.index)
    for k, (name, row) in enumerate(adaptive.iterrows()):
        ax.plot(row[x_col], row[y_col], "s^Dv"[k % 4], color=f"C{k + 1}", label=word(name),
                markersize=7, linestyle="none")
    ax.set_xlabel(say("wasted memory time, relative to {baseline}", baseline=word(baseline)))
    ax.set_ylabel(word("cold starts, 75th percentile of applications (%)"))
    ax.set_ylim(0, 105)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    if title:
        ax.set_title(word(title))
    return ax.figure


def pareto_drawing(table, *, title: str = ""):
    """:func:`pareto_figure` as a figure the book stores with its data (the drawing ``pareto``
    of :mod:`ec2vslambda.figures`), which draws it again in each edition's language."""
    from .figures import Drawing, frame

    return Drawing("pareto", table=frame(table), title=title)


def draw_pareto(table: Mapping, title: str):
    from .figures import unframe

    return pareto_figure(unframe(table), title=title)
