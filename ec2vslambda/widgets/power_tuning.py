"""Lab 3's calculator: memory settings -> duration, cost and the three power-tuning picks.

Thin wiring around :func:`ec2vslambda.power_tuning.tune`; all arithmetic lives there.
:func:`show` displays the result for given inputs (the static result); :func:`calculator`
wires controls to it for a live kernel.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import data as _data
from .. import power_tuning as _pt
from .common import LiveCalculator, control_style, live_calculator, note_html, show_static


def summary(result: _pt.TuningResult) -> str:
    """One plain sentence naming the three picks."""
    return (f"Cheapest {result.cost_optimal_mb:,} MB, fastest {result.speed_optimal_mb:,} MB, "
            f"balanced {result.balanced_mb:,} MB (weight {result.balanced_weight:g}).")


def show(**inputs) -> _pt.TuningResult:
    """Display the picks, a summary and the figure for ``tune(**inputs)``; defaults are
    :data:`ec2vslambda.power_tuning.REFERENCE`."""
    result = _pt.tune(**{**_pt.REFERENCE, **inputs})
    show_static(result.picks(), summary(result), _pt.plot_tuning(result))
    return result


def calculator(**defaults) -> LiveCalculator:
    """The live calculator; keyword arguments override the reference inputs."""
    values = {**_pt.REFERENCE, "arch": "arm64", "balanced_weight": _pt.BALANCED_WEIGHT,
              **defaults}
    style = control_style()
    controls = {
        "base_duration_ms": widgets.FloatText(value=values["base_duration_ms"],
                                              description="Duration at one vCPU (ms)", **style),
        "parallel_fraction": widgets.FloatSlider(value=values["parallel_fraction"], min=0.0,
                                                 max=1.0, step=0.05,
                                                 description="Parallel fraction", **style),
        "init_ms": widgets.FloatText(value=values["init_ms"], description="INIT (ms)", **style),
        "cold_start_ratio": widgets.FloatText(value=values["cold_start_ratio"], step=0.01,
                                              description="Cold-start share (0 to 1)", **style),
        "arch": widgets.Dropdown(options=list(_data.lambda_prices().architectures),
                                 value=values["arch"], description="Architecture", **style),
        "balanced_weight": widgets.FloatSlider(value=values["balanced_weight"], min=0.0,
                                               max=1.0, step=0.05,
                                               description="Balanced weight (1 = cost only)",
                                               **style),
    }

    def compute(values: dict) -> tuple[list, str]:
        result = _pt.tune(**values)
        return [result.picks(), _pt.plot_tuning(result)], note_html(summary(result))

    return live_calculator("Power tuning: memory, speed and cost", controls, compute,
                           intro="Change any input; the result for the reference inputs is "
                                 "shown above.")
