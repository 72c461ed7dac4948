"""Memory, speed and cost of a CPU-bound Lambda function: a model of power tuning.

Lambda gives a function CPU in proportion to its memory: ``memory_per_vcpu`` MB buy the
equivalent of one full vCPU, up to ``vcpu_max`` vCPUs (both from ``data/lambda_limits.csv``).
A CPU-bound handler therefore runs faster with more memory, until it cannot use more CPU:

* single-threaded code never runs faster than one vCPU allows;
* multi-threaded code with a share ``parallel_fraction`` of its work in parallel follows
  Amdahl's law: the serial part is capped at one vCPU, the parallel part spreads over all of
  the function's CPU share.

Duration at a memory setting, relative to duration with one full vCPU, is therefore::

    (1 - p) / min(vcpus, 1) + p / vcpus

(below one vCPU both parts slow down together, which the formula gives as ``1 / vcpus``).

:func:`tune` then does what AWS Lambda Power Tuning does with real invocations: for each memory
setting it prices the billed duration (rounded up to 1 ms, INIT included on cold starts, since
INIT is billed from August 2025) and picks the cheapest setting, the fastest one and a balanced
one. Two details follow Power Tuning's analyser: when costs tie the faster setting wins, when
durations tie the cheaper one wins; the balanced pick minimises
``weight * cost / max cost + (1 - weight) * duration / max duration``. Cost is what AWS bills
(durations rounded up to 1 ms); speed is the mean duration as measured, *not* rounded, the way
Power Tuning averages the durations its invocations report. Ranking by the rounded figure would
make settings tie that are not equally fast (800 ms against 799.34 ms both bill as 800 ms).

Pure functions: no printing, no network. The only impure helper, :func:`measure_duration_ms`,
times a small pure-Python workload on the reader's own machine.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from . import bounds
from . import data as _data
from . import pricing as _pricing
from .validation import Allowed, InputError, choice, number, whole
from .words import say, term, word

__all__ = ["BALANCED_WEIGHT", "COLUMNS", "COST_TIE_TOLERANCE", "DEFAULT_MEMORY_MB",
           "MAX_COLLATZ_LIMIT", "PICK_STYLES", "REFERENCE", "STRATEGIES", "STRATEGY_WORDS",
           "TuningResult", "collatz_steps_total", "compare_picks", "draw_scaling", "draw_tuning",
           "duration_at_memory_ms", "measure_duration_ms", "plot_tuning", "relative_duration",
           "scaling_drawing", "scaling_table", "tune", "tuning_drawing", "vcpus_at_memory"]

#: Memory settings tried by default, MB: Power Tuning's usual sizes, the one-vCPU point and the
#: largest setting. Each is checked against ``lambda_limits.csv`` when used.
DEFAULT_MEMORY_MB: tuple[int, ...] = (128, 256, 512, 1024, 1536, 1769, 2048, 3008, 4096, 6144,
                                      8192, 10240)

#: Costs within this share of the cheapest count as a tie (then the faster setting wins). With
#: 1 ms billing two settings almost never cost exactly the same, even when the model says they
#: should; Power Tuning compares exactly (``tie_tolerance=0``).
COST_TIE_TOLERANCE = 0.01

#: Power Tuning's default weight for the balanced strategy (0 = fastest, 1 = cheapest).
BALANCED_WEIGHT = 0.5

#: The lab's reference function (labs/03_power_tuning.ipynb): a CPU-bound handler taking
#: ``base_duration_ms`` with one full vCPU, a Python INIT phase of ``init_ms`` on the
#: ``cold_start_ratio`` share of invocations that start cold. Model inputs, not AWS figures.
REFERENCE = {"base_duration_ms": 800.0, "init_ms": 250.0, "cold_start_ratio": 0.01,
             "parallel_fraction": 0.0}

_REQUESTS = 1_000_000  # price a million invocations: cost per invocation is that / 1e6


# --- the CPU model --------------------------------------------------------------------------

def vcpus_at_memory(memory_mb: int) -> float:
    """CPU share of a function with ``memory_mb`` of memory, in vCPUs.

    ``memory_mb / memory_per_vcpu``, capped at ``vcpu_max`` (``lambda_limits.csv``).
    """
    memory_mb = _pricing.check_memory_mb(memory_mb)
    return min(memory_mb / _data.limit_value("memory_per_vcpu"), _data.limit_value("vcpu_max"))


def relative_duration(vcpus: float, parallel_fraction: float = 0.0) -> float:
    """Duration with ``vcpus`` of CPU, as a multiple of the duration with exactly one vCPU.

    Amdahl's law with the serial part capped at one vCPU: ``(1-p)/min(vcpus,1) + p/vcpus``.
    """
    vcpus = Allowed(0, None, low_open=True).check("vcpus", vcpus)
    p = bounds.SHARE.check("parallel_fraction", parallel_fraction)
    return (1.0 - p) / min(vcpus, 1.0) + p / vcpus


def duration_at_memory_ms(base_duration_ms: float, base_memory_mb: int, memory_mb: int, *,
                          parallel_fraction: float = 0.0) -> float:
    """Scale a handler's duration measured at ``base_memory_mb`` to ``memory_mb``.

    Parameters
    ----------
    base_duration_ms: the handler's duration at ``base_memory_mb``, ms (no INIT).
    base_memory_mb, memory_mb: memory settings, within Lambda's limits.
    parallel_fraction: share of the work that runs in parallel threads, 0 (single-threaded)
        to 1. Pure-Python threads share one interpreter lock, so pure-Python code is 0.

    Returns the modelled duration in ms (not rounded: billing rounds it, see :func:`tune`).
    """
    base_duration_ms = number("base_duration_ms", base_duration_ms, low=0.0)
    base = relative_duration(vcpus_at_memory(base_memory_mb), parallel_fraction)
    target = relative_duration(vcpus_at_memory(memory_mb), parallel_fraction)
    return base_duration_ms * target / base


def scaling_table(base_duration_ms: float, parallel_fractions: Iterable[float], *,
                  base_memory_mb: int | None = None,
                  memory_mb: Sequence[int] = DEFAULT_MEMORY_MB):
    """Modelled handler duration (ms) at each memory setting (rows) for each parallel fraction
    (columns, labelled ``p=<fraction>``); ``base_memory_mb`` defaults to one full vCPU."""
    if base_memory_mb is None:
        base_memory_mb = int(round(_data.limit_value("memory_per_vcpu")))
    settings = _memory_settings(memory_mb)
    columns = {}
    for p in parallel_fractions:
        columns[f"p={p:g}"] = [duration_at_memory_ms(base_duration_ms, base_memory_mb, m,
                                                     parallel_fraction=p) for m in settings]
    if not columns:
        raise InputError("parallel_fractions", [], "is empty",
                         Allowed(0, 1, text="one or more fractions 0 to 1"))
    import pandas as pd

    return pd.DataFrame(columns, index=pd.Index(settings, name="memory_mb"))


# --- tuning ---------------------------------------------------------------------------------

#: The columns of a tuning table, in order (see :class:`TuningResult`).
COLUMNS = ("memory_mb", "vcpus", "duration_ms", "mean_duration_ms", "billed_duration_ms",
           "compute_usd_per_invocation", "cost_usd_per_invocation", "cost_usd_per_million",
           "timed_out")
STRATEGIES = ("cost", "speed", "balanced")
#: How a reader's table and chart name each strategy (:mod:`ec2vslambda.words`).
STRATEGY_WORDS = {"cost": term("cost"), "speed": term("speed"), "balanced": term("balanced")}


@dataclass(frozen=True)
class TuningResult:
    """One power-tuning run over several memory settings.

    ``rows`` has one dict per setting with the keys of :data:`COLUMNS`: ``memory_mb``,
    ``vcpus``, ``duration_ms`` (handler, warm), ``mean_duration_ms`` (mean per invocation, INIT
    added on the cold share, not rounded: what the speed and balanced strategies rank),
    ``billed_duration_ms`` (the same mean after rounding each invocation up to 1 ms),
    ``compute_usd_per_invocation`` (duration charge only, what Power Tuning compares),
    ``cost_usd_per_invocation`` and ``cost_usd_per_million`` (duration plus the request charge),
    and ``timed_out`` (the handler would exceed Lambda's timeout; such rows are never picked and
    carry NaN costs). :attr:`table` is the same as a pandas DataFrame.
    """

    rows: tuple[dict, ...]
    cost_optimal_mb: int
    speed_optimal_mb: int
    balanced_mb: int
    arch: str
    init_ms: float
    cold_start_ratio: float
    parallel_fraction: float
    balanced_weight: float
    tie_tolerance: float

    @property
    def table(self):
        """The rows as a pandas DataFrame (columns :data:`COLUMNS`)."""
        import pandas as pd

        return pd.DataFrame(list(self.rows), columns=list(COLUMNS))

    def row(self, memory_mb: int) -> dict:
        """The row of one memory setting."""
        for row in self.rows:
            if row["memory_mb"] == memory_mb:
                return row
        raise InputError("memory_mb", memory_mb, "was not tuned",
                         Allowed(options=tuple(r["memory_mb"] for r in self.rows)))

    def pick(self, strategy: str) -> int:
        """The memory setting a strategy (``cost``, ``speed`` or ``balanced``) picks."""
        return {"cost": self.cost_optimal_mb, "speed": self.speed_optimal_mb,
                "balanced": self.balanced_mb}[choice("strategy", strategy, STRATEGIES)]

    def picks(self):
        """The three recommended settings with their duration and cost, one row each."""
        import pandas as pd

        rows = [{"strategy": word(STRATEGY_WORDS[s]), "memory_mb": self.pick(s),
                 "billed_duration_ms": self.row(self.pick(s))["billed_duration_ms"],
                 "cost_usd_per_million": self.row(self.pick(s))["cost_usd_per_million"]}
                for s in STRATEGIES]
        return pd.DataFrame(rows).set_index("strategy")

    def picked_for(self, memory_mb: int) -> str:
        """The strategies that picked ``memory_mb`` (``"cost, speed"``), or ``"timed out"``, in
        the reader's words."""
        names = [word(STRATEGY_WORDS[s]) for s in STRATEGIES if self.pick(s) == memory_mb]
        return ", ".join(names) or (word("timed out") if self.row(memory_mb)["timed_out"]
                                    else "")

    def summary_table(self):
        """The table for reading: one row per setting, rounded, with the picks named."""
        import pandas as pd

        return pd.DataFrame({
            "vCPUs": [round(r["vcpus"], 2) for r in self.rows],
            "handler (ms)": [round(r["duration_ms"], 1) for r in self.rows],
            "mean billed (ms)": [round(r["billed_duration_ms"], 1) for r in self.rows],
            "USD per million": [round(r["cost_usd_per_million"], 4) for r in self.rows],
            "picked for": [self.picked_for(r["memory_mb"]) for r in self.rows],
        }, index=pd.Index([r["memory_mb"] for r in self.rows], name="memory (MB)"))


def _memory_settings(memory_mb: Iterable[int]) -> list[int]:
    try:
        settings = list(memory_mb)
    except TypeError:
        raise InputError("memory_mb", memory_mb, "is not a list of memory settings",
                         Allowed(text="a non-empty list of whole numbers of MB")) from None
    if not settings:
        raise InputError("memory_mb", [], "is empty",
                         Allowed(text="a non-empty list of memory settings"))
    checked = sorted({_pricing.check_memory_mb(m) for m in settings})
    return checked


def _cheapest(candidates: list[dict], tolerance: float) -> int:
    """Cheapest row; rows within ``tolerance`` of the cheapest tie, and the fastest wins."""
    least = min(r["compute_usd_per_invocation"] for r in candidates)
    tied = [r for r in candidates if r["compute_usd_per_invocation"] <= least * (1 + tolerance)]
    return _fastest(tied)


def _fastest(candidates: list[dict]) -> int:
    """Fastest row by mean (unrounded) duration; when durations tie, the cheaper one wins."""
    best = min(candidates, key=lambda r: (r["mean_duration_ms"],
                                          r["compute_usd_per_invocation"], r["memory_mb"]))
    return int(best["memory_mb"])


def _balanced(candidates: list[dict], weight: float) -> int:
    """Power Tuning's balanced pick: minimise weighted cost and duration, each over its max."""
    top_cost = max(r["compute_usd_per_invocation"] for r in candidates)
    top_duration = max(r["mean_duration_ms"] for r in candidates)

    def score(r: dict) -> float:
        cost = r["compute_usd_per_invocation"] / top_cost if top_cost > 0 else 0.0
        duration = r["mean_duration_ms"] / top_duration if top_duration > 0 else 0.0
        return weight * cost + (1.0 - weight) * duration

    best = min(candidates, key=lambda r: (score(r), r["mean_duration_ms"], r["memory_mb"]))
    return int(best["memory_mb"])


def tune(base_duration_ms: float, *, base_memory_mb: int | None = None,
         memory_mb: Sequence[int] = DEFAULT_MEMORY_MB, parallel_fraction: float = 0.0,
         init_ms: float = 0.0, cold_start_ratio: float = 0.0, arch: str = "arm64",
         balanced_weight: float = BALANCED_WEIGHT,
         tie_tolerance: float = COST_TIE_TOLERANCE) -> TuningResult:
    """Model a power-tuning run of a CPU-bound function and pick three memory settings.

    Parameters
    ----------
    base_duration_ms: the handler's warm duration at ``base_memory_mb``, ms.
    base_memory_mb: where ``base_duration_ms`` was measured; default ``memory_per_vcpu`` (one
        full vCPU, the closest match to one core of an ordinary computer).
    memory_mb: the settings to try, each within Lambda's memory limits.
    parallel_fraction: share of the work that runs in parallel, 0 to 1.
    init_ms: INIT duration of a cold start, ms; taken as the same at every setting.
    cold_start_ratio: share of invocations that are cold starts, 0 to 1 (1 = every invocation
        cold, like Power Tuning's ``onlyColdStarts``).
    arch: ``"arm64"`` (default) or ``"x86_64"`` prices.
    balanced_weight: 0 (balanced = fastest) to 1 (balanced = cheapest).
    tie_tolerance: costs within this share of the cheapest count as a tie, 0 to 1.

    Raises ``ValueError`` when every setting would exceed Lambda's timeout.
    """
    base_duration_ms = _pricing.check_duration_ms(base_duration_ms, "base_duration_ms")
    if base_memory_mb is None:
        base_memory_mb = int(round(_data.limit_value("memory_per_vcpu")))
    base_memory_mb = _pricing.check_memory_mb(base_memory_mb)
    settings = _memory_settings(memory_mb)
    parallel_fraction = bounds.SHARE.check("parallel_fraction", parallel_fraction)
    init_ms = bounds.INIT_MS.check("init_ms", init_ms)
    cold_start_ratio = bounds.SHARE.check("cold_start_ratio", cold_start_ratio)
    arch = _pricing.check_arch(arch)
    balanced_weight = bounds.SHARE.check("balanced_weight", balanced_weight)
    tie_tolerance = bounds.SHARE.check("tie_tolerance", tie_tolerance)
    timeout_ms = _data.limit_value("timeout_max") * 1000.0

    rows = []
    for setting in settings:
        duration_ms = duration_at_memory_ms(base_duration_ms, base_memory_mb, setting,
                                            parallel_fraction=parallel_fraction)
        row = {"memory_mb": setting, "vcpus": vcpus_at_memory(setting),
               "duration_ms": duration_ms,
               "mean_duration_ms": duration_ms + cold_start_ratio * init_ms,
               "timed_out": duration_ms > timeout_ms}
        if row["timed_out"]:
            row.update(billed_duration_ms=math.nan, compute_usd_per_invocation=math.nan,
                       cost_usd_per_invocation=math.nan, cost_usd_per_million=math.nan)
        else:
            warm_ms = _pricing.billed_duration_ms(duration_ms)
            cold_ms = _pricing.billed_duration_ms(duration_ms + init_ms)
            cost = _pricing.lambda_cost(_REQUESTS, duration_ms, setting, arch=arch,
                                        free_tier=False, init_ms=init_ms,
                                        cold_start_ratio=cold_start_ratio)
            row.update(billed_duration_ms=(1 - cold_start_ratio) * warm_ms
                       + cold_start_ratio * cold_ms,
                       compute_usd_per_invocation=cost.compute_usd / _REQUESTS,
                       cost_usd_per_invocation=cost.total_usd / _REQUESTS,
                       cost_usd_per_million=cost.total_usd)
        rows.append({key: row[key] for key in COLUMNS})
    candidates = [r for r in rows if not r["timed_out"]]
    if not candidates:
        raise InputError("base_duration_ms", base_duration_ms,
                         "makes every setting exceed Lambda's {timeout} s timeout",
                         Allowed(text="a duration that fits at one of the settings tried"),
                         details={"timeout": f"{timeout_ms / 1000:g}"})
    return TuningResult(rows=tuple(rows), cost_optimal_mb=_cheapest(candidates, tie_tolerance),
                        speed_optimal_mb=_fastest(candidates),
                        balanced_mb=_balanced(candidates, balanced_weight), arch=arch,
                        init_ms=init_ms, cold_start_ratio=cold_start_ratio,
                        parallel_fraction=parallel_fraction, balanced_weight=balanced_weight,
                        tie_tolerance=tie_tolerance)


def compare_picks(name: str, values: Iterable[object], **inputs):
    """Tune once per value of one input ``name`` (any keyword of :func:`tune`, or
    ``base_duration_ms``), the others from :data:`REFERENCE` overridden by ``inputs``; one row
    per value with the three picks and the cost at the cheapest."""
    allowed = ("base_duration_ms", "base_memory_mb", "memory_mb", "parallel_fraction",
               "init_ms", "cold_start_ratio", "arch", "balanced_weight", "tie_tolerance")
    name = choice("name", name, allowed)
    rows = []
    for value in values:
        result = tune(**{**REFERENCE, **inputs, name: value})
        cheapest = result.row(result.cost_optimal_mb)
        rows.append({name: value, "cheapest (MB)": result.cost_optimal_mb,
                     "fastest (MB)": result.speed_optimal_mb,
                     "balanced (MB)": result.balanced_mb,
                     "USD per million at cheapest": round(cheapest["cost_usd_per_million"], 4),
                     "mean billed ms at cheapest": round(cheapest["billed_duration_ms"], 1)})
    if not rows:
        raise InputError("values", [], "is empty", Allowed(text="one or more values to compare"))
    import pandas as pd

    return pd.DataFrame(rows).set_index(name)


# --- a real measurement ---------------------------------------------------------------------

#: The largest ``limit`` :func:`collatz_steps_total` takes: the job is meant to take a second or
#: two to time (30,000 takes about half a second on a laptop core; the work grows a little
#: faster than the limit), not minutes.
MAX_COLLATZ_LIMIT = 100_000


def collatz_steps_total(limit: int) -> int:
    """Total Collatz steps to reach 1 for every start from 1 to ``limit``: a CPU-bound job.

    Pure Python on purpose: it runs on one core, holds the interpreter lock, and gives the same
    answer everywhere, so a learner can time it and check it did the same work.
    """
    limit = whole("limit", limit, low=1, high=MAX_COLLATZ_LIMIT)
    total = 0
    for start in range(1, limit + 1):
        n = start
        while n != 1:
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            total += 1
    return total


def measure_duration_ms(job: Callable[[], object] | None = None, *, repeats: int = 5) -> float:
    """Time ``job`` (default: :func:`collatz_steps_total` up to 30,000) ``repeats`` times with
    :func:`time.perf_counter`; return the median in ms.

    The median shrugs off a slow first run or a busy moment; the result still varies from run
    to run and machine to machine, so notebooks show it only where the output is sanitised.
    """
    repeats = whole("repeats", repeats, low=1, high=1000)
    if job is None:
        def job() -> int:
            return collatz_steps_total(30_000)
    if not callable(job):
        raise InputError("job", job, "is not callable", Allowed(text="a function of no arguments"))
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        job()
        timings.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(timings)


# --- figure ---------------------------------------------------------------------------------

PICK_STYLES = {"cost": ("o", "tab:green", 15), "speed": ("s", "tab:red", 10),
               "balanced": ("D", "tab:purple", 8)}  # marker, colour, size: coinciding picks
# stay visible, the larger marker drawn first


def plot_tuning(result: TuningResult, *, title: str | None = None):
    """Cost per million and billed duration against memory, with the three picks marked.

    Returns a matplotlib Figure with two panels side by side (log-scaled memory axis).
    """
    return draw_tuning(**_tuning_data(result), title=title)


def tuning_drawing(result: TuningResult, *, title: str | None = None):
    """:func:`plot_tuning` as a figure the book stores with its data (the drawing ``tuning`` of
    :mod:`ec2vslambda.figures`), which draws it again in each edition's language."""
    from .figures import Drawing

    return Drawing("tuning", **_tuning_data(result), title=title)


def _tuning_data(result: TuningResult) -> dict:
    table = result.table[~result.table["timed_out"]]
    return {"memory_mb": [int(m) for m in table["memory_mb"]],
            "cost_usd_per_million": [float(v) for v in table["cost_usd_per_million"]],
            "billed_duration_ms": [float(v) for v in table["billed_duration_ms"]],
            "picks": {s: int(result.pick(s)) for s in STRATEGIES}, "arch": result.arch}


def draw_tuning(memory_mb: list, cost_usd_per_million: list, billed_duration_ms: list,
                picks: dict, arch: str, title: str | None = None):
    """:func:`plot_tuning` from its data (the non-timed-out rows' columns and each strategy's
    pick)."""
    import matplotlib.pyplot as plt

    columns = {"cost_usd_per_million": cost_usd_per_million,
               "billed_duration_ms": billed_duration_ms}
    fig, (ax_cost, ax_time) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    ax_cost.plot(memory_mb, cost_usd_per_million, "-", color="0.35", marker=".",
                 label=word("cost"))
    ax_time.plot(memory_mb, billed_duration_ms, "-", color="0.35", marker=".",
                 label=word("billed duration"))
    for strategy in STRATEGIES:
        at = memory_mb.index(picks[strategy])
        marker, colour, size = PICK_STYLES[strategy]
        label = say("{strategy}: {memory} MB", strategy=word(STRATEGY_WORDS[strategy]),
                    memory=f"{picks[strategy]}")
        for ax, column in ((ax_cost, "cost_usd_per_million"), (ax_time, "billed_duration_ms")):
            ax.plot(picks[strategy], columns[column][at], marker, color=colour, markersize=size,
                    fillstyle="none", markeredgewidth=2, label=label)
    ticks = [m for m in (128, 512, 2048, 8192) if min(memory_mb) <= m <= max(memory_mb)]
    for ax in (ax_cost, ax_time):
        ax.set_xscale("log", base=2)
        ax.set_xticks(ticks, [f"{m:,}" for m in ticks])
        ax.set_xlabel(word("memory (MB, log scale)"))
        ax.grid(True, alpha=0.3)
    ax_cost.set_ylabel(say("USD per million invocations ({arch})", arch=arch))
    ax_time.set_ylabel(word("mean billed duration (ms)"))
    ax_time.set_yscale("log")
    ax_cost.legend(fontsize=8)
    if title:
        fig.suptitle(word(title))
    return fig


def scaling_drawing(table, *, title: str):
    """:func:`scaling_table`'s durations against memory, one line per parallel share (the
    drawing ``scaling`` of :mod:`ec2vslambda.figures`)."""
    from .figures import Drawing, frame

    return Drawing("scaling", table=frame(table), title=title)


def draw_scaling(table: dict, title: str):
    import matplotlib.pyplot as plt

    from .figures import unframe

    durations = unframe(table)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for column in durations.columns:
        ax.plot(durations.index, durations[column], marker=".", label=column)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set(xlabel=word("memory (MB, log scale)"), ylabel=word("handler duration (ms, log scale)"),
           title=word(title))
    ax.grid(True, alpha=0.3)
    ax.legend()
    return fig
