"""Power-tuning calculator: memory settings -> duration, cost and the three picks.

Thin wiring around :func:`ec2vslambda.power_tuning.tune`; all arithmetic lives there.
"""

from __future__ import annotations

import base64
import html
import io

import ipywidgets as widgets

from .. import data as _data
from .. import power_tuning as _pt
from .common import LiveCalculator, control_style, guarded, note_html


def figure_html(fig) -> str:
    """A matplotlib figure as an inline PNG ``<img>`` (closes the figure)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    plt.close(fig)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<img alt='power-tuning figure' src='data:image/png;base64,{encoded}'/>"


def picks_html(result: _pt.TuningResult) -> str:
    """The three picks as a small HTML table."""
    rows = "".join(
        f"<tr><td>{html.escape(str(strategy))}</td><td>{int(p['memory_mb']):,} MB</td>"
        f"<td>{p['billed_duration_ms']:,.1f} ms</td><td>${p['cost_usd_per_million']:,.2f}</td>"
        "</tr>" for strategy, p in result.picks().iterrows())
    return ("<table><tr><th>strategy</th><th>memory</th><th>mean billed duration</th>"
            f"<th>USD per million</th></tr>{rows}</table>")


def power_tuning_calculator(**defaults) -> LiveCalculator:
    """Build the live calculator; keyword arguments override
    :data:`ec2vslambda.power_tuning.REFERENCE`."""
    values = {**_pt.REFERENCE, **defaults}
    style = control_style()
    base = widgets.FloatText(value=values["base_duration_ms"],
                             description="Duration at one vCPU (ms)", **style)
    parallel = widgets.FloatSlider(value=values["parallel_fraction"], min=0.0, max=1.0,
                                   step=0.05, description="Parallel fraction", **style)
    init = widgets.FloatText(value=values["init_ms"], description="INIT (ms)", **style)
    cold = widgets.FloatText(value=values["cold_start_ratio"], step=0.01,
                             description="Cold-start share (0-1)", **style)
    arch = widgets.Dropdown(options=list(_data.lambda_prices().architectures), value="arm64",
                            description="Architecture", **style)
    weight = widgets.FloatSlider(value=_pt.BALANCED_WEIGHT, min=0.0, max=1.0, step=0.05,
                                 description="Balanced weight (1 = cost)", **style)
    message = widgets.HTML()
    output = widgets.HTML()

    def render() -> str:
        result = _pt.tune(base.value, parallel_fraction=parallel.value, init_ms=init.value,
                          cold_start_ratio=cold.value, arch=arch.value,
                          balanced_weight=weight.value)
        output.value = picks_html(result) + figure_html(_pt.plot_tuning(result))
        return note_html(f"Cheapest {result.cost_optimal_mb:,} MB, fastest "
                         f"{result.speed_optimal_mb:,} MB, balanced {result.balanced_mb:,} MB.")

    def update(_change=None) -> None:
        if not guarded(render, message):
            output.value = ""

    controls = (base, parallel, init, cold, arch, weight)
    for control in controls:
        control.observe(update, names="value")
    calculator = LiveCalculator("Power tuning: memory, speed and cost", controls,
                                message=message, output=output)
    update()
    return calculator


__all__ = ["figure_html", "picks_html", "power_tuning_calculator"]
