"""Lab 1's calculator: one function's traffic and keep-alive window -> cold starts and idle memory.

Thin wiring around :func:`ec2vslambda.replay.shaped_workload` and
:func:`ec2vslambda.simulate.simulate_lambda`; all arithmetic lives there. :func:`show` displays
the result for given inputs (the static result); :func:`calculator` wires controls to it for a
live kernel.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd

from .. import keepalive as _ka
from .. import replay as _replay
from ..figures import Drawing, frame, unframe
from ..simulate import LambdaResult, simulate_lambda
from ..validation import number
from ..words import say, word
from .common import LiveCalculator, control_style, live_calculator, note_html, show_static

__all__ = ["GRID_COLUMNS", "SWEEP_MIN", "KeepAliveInputs", "KeepAliveOutcome", "calculator",
           "draw_grid", "draw_sweep", "evaluate", "grid_drawing", "grid_figure", "show"]

SWEEP_MIN = (0.5, 1, 2, 5, 10, 20, 30, 60, 120)


@dataclass(frozen=True)
class KeepAliveInputs:
    """What the calculator asks for; the defaults are the result shown on the static page."""

    shape: str = "poisson"
    rate_per_hour: float = 12.0
    keep_alive_min: float = 10.0
    duration_ms: float = 100.0
    init_ms: float = 200.0
    memory_mb: int = 512
    hours: float = 24.0
    seed: int = 1


@dataclass(frozen=True)
class KeepAliveOutcome:
    inputs: KeepAliveInputs
    result: LambdaResult
    sweep: pd.DataFrame  # cold-start share and idle memory for other windows, same traffic

    def table(self) -> pd.DataFrame:
        r = self.result
        rows = {
            "Requests in the window": f"{r.requests:,}",
            "Cold starts": f"{r.cold_starts:,}",
            "Cold-start share": f"{r.cold_start_ratio:.1%}",
            "Latency p50 / p99 (ms)": f"{r.percentiles['p50']:,.0f} / {r.percentiles['p99']:,.0f}",
            "Memory kept idle (GB-h)": f"{r.idle_gb_s / 3600:,.2f}",
            "Lambda cost, no free tier (USD)": f"{r.cost_usd:,.4f}",
        }
        if self.inputs.shape == "poisson":
            expected = _ka.poisson_cold_start_ratio(self.inputs.rate_per_hour / 3600,
                                                    self.inputs.keep_alive_min * 60)
            rows["Cold-start share, formula exp(-rate × keep-alive)"] = f"{expected:.1%}"
        return pd.DataFrame({"value": rows})

    def summary(self) -> str:
        i = self.inputs
        return say("{shape} traffic at {rate} requests an hour for {hours} h, keep-alive "
                   "{window} min: {cold} of requests start cold.",
                   shape=_replay.shape_name(i.shape), rate=f"{i.rate_per_hour:g}",
                   hours=f"{i.hours:g}", window=f"{i.keep_alive_min:g}",
                   cold=f"{self.result.cold_start_ratio:.1%}")

    def figure(self):
        return draw_sweep(self.sweep.to_dict(orient="list"), self.inputs.shape,
                          self.inputs.rate_per_hour, self.inputs.keep_alive_min)

    def drawing(self):
        """:meth:`figure` as a figure the book stores with its data (the drawing
        ``keepalive_sweep`` of :mod:`ec2vslambda.figures`)."""
        return Drawing("keepalive_sweep", sweep=self.sweep.to_dict(orient="list"),
                       shape=self.inputs.shape, rate_per_hour=self.inputs.rate_per_hour,
                       keep_alive_min=self.inputs.keep_alive_min)


def draw_sweep(sweep: dict, shape: str, rate_per_hour: float, keep_alive_min: float):
    """Cold-start share and memory kept idle against the keep-alive window (``sweep``: columns
    ``keep_alive_min``, ``cold_start_ratio`` and ``idle_gb_h``), the chosen window marked."""
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    ax.plot(sweep["keep_alive_min"], [100 * v for v in sweep["cold_start_ratio"]], "o-",
            label=word("cold-start share"))
    ax.axvline(keep_alive_min, color="grey", linestyle="--", label=word("your window"))
    ax.set_xscale("log")
    ax.set_xlabel(word("keep-alive window (minutes, log scale)"))
    ax.set_ylabel(word("cold starts (% of requests)"))
    ax.set_ylim(0, 105)
    twin = ax.twinx()
    twin.plot(sweep["keep_alive_min"], sweep["idle_gb_h"], "s:", color="C1",
              label=word("memory kept idle"))
    twin.set_ylabel(word("memory kept idle (GB-h)"))
    ax.set_title(say("{shape}, {rate} requests/hour", shape=_replay.shape_name(shape),
                     rate=f"{rate_per_hour:g}"))
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles, [str(h.get_label()) for h in handles], loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig


def evaluate(inputs: KeepAliveInputs | None = None, **overrides) -> KeepAliveOutcome:
    """Simulate the inputs, and the same traffic under the windows of :data:`SWEEP_MIN`."""
    values = {**asdict(inputs or KeepAliveInputs()), **overrides}
    i = KeepAliveInputs(**values)
    keep_alive_s = number("keep_alive_min", i.keep_alive_min, high=24 * 60.0) * 60.0
    number("rate_per_hour", i.rate_per_hour, low=0.01, high=100_000.0)
    number("hours", i.hours, low=0.1, high=72.0)
    workload = _replay.shaped_workload(i.shape, i.rate_per_hour, i.hours,
                                   duration_ms=i.duration_ms, seed=i.seed)
    options: dict[str, Any] = dict(init_ms=i.init_ms, memory_mb=i.memory_mb)
    result = simulate_lambda(workload.arrivals_s, workload.durations_ms,
                             keep_alive_s=keep_alive_s, **options)
    sweep = []
    for minutes in SWEEP_MIN:
        r = simulate_lambda(workload.arrivals_s, workload.durations_ms,
                            keep_alive_s=minutes * 60.0, with_cost=False, **options)
        sweep.append({"keep_alive_min": minutes, "cold_start_ratio": r.cold_start_ratio,
                      "idle_gb_h": r.idle_gb_s / 3600.0})
    return KeepAliveOutcome(i, result, pd.DataFrame(sweep))


def show(**inputs) -> KeepAliveOutcome:
    """Display the table, a one-line summary and the figure for the given inputs."""
    outcome = evaluate(**inputs)
    show_static(outcome.table(), outcome.summary(), outcome.drawing())
    return outcome


def calculator(**defaults) -> LiveCalculator:
    """The live calculator; keyword arguments override :class:`KeepAliveInputs`' defaults."""
    values = asdict(KeepAliveInputs(**defaults))
    style = control_style()
    controls = {
        "shape": widgets.Dropdown(options=list(_replay.SHAPES), value=values["shape"],
                                  description="Traffic shape", **style),
        "rate_per_hour": widgets.FloatText(value=values["rate_per_hour"],
                                           description="Requests per hour", **style),
        "keep_alive_min": widgets.FloatText(value=values["keep_alive_min"],
                                            description="Keep-alive (minutes)", **style),
        "duration_ms": widgets.FloatText(value=values["duration_ms"],
                                         description="Duration (ms)", **style),
        "init_ms": widgets.FloatText(value=values["init_ms"], description="INIT (ms)", **style),
        "memory_mb": widgets.IntText(value=values["memory_mb"], description="Memory (MB)",
                                     **style),
    }

    def compute(chosen: dict) -> tuple[list, str]:
        outcome = evaluate(KeepAliveInputs(**{**values, **chosen}))
        return [outcome.table(), outcome.figure()], note_html(outcome.summary())

    return live_calculator("Cold starts and keep-alive", controls, compute,
                           not_in_browser="It simulates the traffic with the course's compiled "
                                          "simulator, which cannot run in this page; its formula "
                                          "part (step 2) can.")


def grid_figure(grid: pd.DataFrame):
    """One panel per traffic shape: cold-start share against rate, a line per keep-alive window
    (``grid`` as returned by :func:`ec2vslambda.replay.cold_start_grid`)."""
    shapes = list(dict.fromkeys(grid["shape"]))
    fig, axes = plt.subplots(1, len(shapes), figsize=(3.2 * len(shapes), 3.2), sharey=True,
                             squeeze=False)
    for ax, shape in zip(axes[0], shapes, strict=True):
        mine = grid[grid["shape"] == shape]
        for minutes, line in mine.groupby("keep_alive_min"):
            ax.plot(line["rate_per_hour"], 100 * line["cold_start_ratio"], "o-", markersize=3,
                    label=say("{minutes} min", minutes=f"{minutes:g}"))
        ax.set_xscale("log")
        ax.set_title(_replay.shape_name(shape))
        ax.set_xlabel(word("requests per hour (log)"))
    axes[0][0].set_ylabel(word("cold starts (% of requests)"))
    axes[0][-1].legend(title=word("keep-alive"), fontsize=8)
    fig.tight_layout()
    return fig


GRID_COLUMNS = ("shape", "keep_alive_min", "rate_per_hour", "cold_start_ratio")


def grid_drawing(grid: pd.DataFrame):
    """:func:`grid_figure` as a figure the book stores with its data (the drawing
    ``keepalive_grid`` of :mod:`ec2vslambda.figures`)."""
    return Drawing("keepalive_grid", grid=frame(grid[list(GRID_COLUMNS)].reset_index(drop=True)))


def draw_grid(grid: dict):
    return grid_figure(unframe(grid))
