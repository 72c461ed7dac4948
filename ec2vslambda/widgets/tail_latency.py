"""Chapter 4's calculator: how cold starts shape p50, p95 and p99.

:func:`estimate` is the pure part (the INIT floor from ``data/cold_starts.csv`` plus the
reader's own INIT work, then :func:`ec2vslambda.latency.tail_latency`); :func:`figure` draws the
percentiles against the cold-start share; :func:`show` displays both for given inputs (the
static result); :func:`calculator` wires controls to them for a live kernel.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import coldstarts, latency
from ..validation import number
from .common import LiveCalculator, control_style, live_calculator, note_html, show_static

MEMORY_SIZES_MB = (128, 256, 512, 1024)


@dataclass(frozen=True)
class TailInputs:
    cold_percent: float = 2.0  # share of invocations that are cold, in %
    runtime: str = "python3.13"
    arch: str = "arm64"
    memory_mb: int = 512
    extra_init_ms: float = 0.0  # the function's own INIT work beyond a hello world
    warm_ms: float = 40.0  # median warm duration
    warm_sigma: float = latency.DEFAULT_WARM_SIGMA


@dataclass(frozen=True)
class Estimate:
    inputs: TailInputs
    floor_init_ms: float  # measured hello-world INIT
    result: latency.TailLatency

    def table(self) -> pd.DataFrame:
        """p50/p95/p99 with cold starts, next to the same percentiles with none."""
        none = latency.tail_latency(0.0, self.result.init_ms, self.result.warm_ms,
                                    warm_sigma=self.result.warm_sigma)
        rows = [(f"p{p}", none.percentiles_ms[p], v)
                for p, v in sorted(self.result.percentiles_ms.items())]
        frame = pd.DataFrame(rows, columns=["Percentile", "No cold starts (ms)",
                                            f"{self.inputs.cold_percent:g}% cold (ms)"])
        return frame.set_index("Percentile").round(1)


def estimate(inputs: TailInputs) -> Estimate:
    """INIT floor + extra INIT, then the percentiles; raises ValueError on bad input."""
    cold_percent = number("cold_percent", inputs.cold_percent, high=100.0)
    extra = number("extra_init_ms", inputs.extra_init_ms)
    floor = coldstarts.init_ms(inputs.runtime, inputs.arch, inputs.memory_mb)
    result = latency.tail_latency(cold_percent / 100.0, floor + extra, inputs.warm_ms,
                                  warm_sigma=inputs.warm_sigma)
    return Estimate(inputs, floor, result)


def summary(est: Estimate) -> str:
    r = est.result
    p50, p99 = r.percentiles_ms[50], r.percentiles_ms[99]
    return (f"INIT {r.init_ms:,.1f} ms ({est.inputs.runtime}, {est.inputs.arch}, "
            f"{est.inputs.memory_mb} MB hello-world floor {est.floor_init_ms:,.1f} ms + "
            f"{est.inputs.extra_init_ms:,.0f} ms of your own). With "
            f"{est.inputs.cold_percent:g}% cold starts: p50 {p50:,.1f} ms, p99 {p99:,.1f} ms.")


def figure(est: Estimate) -> plt.Figure:
    """p50, p95 and p99 against the cold-start share, with the chosen share marked."""
    r = est.result
    shares = np.geomspace(1e-4, 0.3, 160)
    fig, ax = plt.subplots(figsize=(8, 4))
    for p, colour in zip(latency.DEFAULT_PERCENTILES, ("tab:green", "tab:orange", "tab:red"),
                         strict=True):
        curve = latency.percentile_curve(shares, r.init_ms, r.warm_ms, percentile=p,
                                         warm_sigma=r.warm_sigma)
        ax.plot(shares * 100, curve, color=colour, lw=2, label=f"p{p}")
    for share in (1, 5):
        ax.axvline(share, color="grey", lw=0.8, ls=":")
    ax.axvline(r.cold_fraction * 100, color="black", lw=1.2, ls="--",
               label=f"your share: {r.cold_fraction * 100:g}%")
    ax.set(xscale="log", xlabel="cold starts (% of invocations)", ylabel="latency (ms)",
           title="p99 jumps once more than 1% of invocations are cold; p95 at 5%")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def show(inputs: TailInputs = TailInputs()) -> Estimate:
    """Display the table, the summary and the figure for ``inputs`` (the static result)."""
    est = estimate(inputs)
    show_static(est.table(), summary(est), figure(est))
    return est


def calculator(inputs: TailInputs = TailInputs()) -> LiveCalculator:
    """The live calculator: every control change recomputes the percentiles and redraws."""
    style = control_style()
    controls = {
        "cold_percent": widgets.FloatText(value=inputs.cold_percent,
                                          description="Cold starts (% of invocations)", **style),
        "runtime": widgets.Dropdown(options=coldstarts.runtimes(), value=inputs.runtime,
                                    description="Runtime (measured INIT)", **style),
        "arch": widgets.Dropdown(options=["x86_64", "arm64"], value=inputs.arch,
                                 description="Architecture", **style),
        "memory_mb": widgets.Dropdown(options=MEMORY_SIZES_MB, value=inputs.memory_mb,
                                      description="Memory (MB)", **style),
        "extra_init_ms": widgets.FloatText(value=inputs.extra_init_ms,
                                           description="Your own INIT work (ms)", **style),
        "warm_ms": widgets.FloatText(value=inputs.warm_ms,
                                     description="Warm duration, median (ms)", **style),
        "warm_sigma": widgets.FloatText(value=inputs.warm_sigma,
                                        description="Warm spread (log-normal sigma)", **style),
    }

    def compute(values: dict) -> tuple[list, str]:
        est = estimate(replace(inputs, **values))
        return [est.table(), figure(est)], note_html(summary(est))

    return live_calculator("Tail latency with cold starts", controls, compute)
