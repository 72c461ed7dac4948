"""The workload fit checker: a workload's needs in, the Lambda limits it breaks out.

Thin wiring around :func:`ec2vslambda.limits.check_workload`, in the pattern of the chapter-5
calculator: :func:`show` displays the verdict and the table for given inputs (the static site's
view, which nbval checks), and :func:`calculator` wires controls to the same functions for a
running kernel.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from ..limits import (
    DEFAULT_INIT_MS,
    INVOCATION_TYPES,
    WorkloadNeeds,
    check_workload,
    violations_frame,
)
from .common import LiveCalculator, control_style, guarded

#: The calculator's starting point: a video-transcoding job that outgrows Lambda in several ways.
DEFAULT_NEEDS = WorkloadNeeds(duration_ms=1_500_000, memory_mb=12_288, payload_mb=0.5,
                              invocation="async", tmp_mb=4_096, peak_concurrency=40,
                              needs_state=False, latency_target_ms=None)


def fit_report(needs: WorkloadNeeds, *, init_ms: float = DEFAULT_INIT_MS) -> pd.DataFrame:
    """The table the calculator shows: one row per broken limit (empty when the work fits)."""
    return violations_frame(check_workload(needs, init_ms=init_ms))


def verdict(needs: WorkloadNeeds, *, init_ms: float = DEFAULT_INIT_MS) -> str:
    """One sentence: fits, or how many limits it breaks and which."""
    broken = check_workload(needs, init_ms=init_ms)
    if not broken:
        return "Fits Lambda: no limit is broken."
    names = ", ".join(v.limit for v in broken)
    return f"Breaks {len(broken)} Lambda limit{'s' if len(broken) > 1 else ''}: {names}."


def _table_html(frame: pd.DataFrame) -> str:
    if frame.empty:
        return ""
    return frame.to_html(index=False, escape=True, border=0)


def show(needs: WorkloadNeeds = DEFAULT_NEEDS, *, init_ms: float = DEFAULT_INIT_MS
         ) -> pd.DataFrame:
    """Display the verdict and the table for ``needs`` (the static result); return the table."""
    from IPython.display import Markdown, display

    frame = fit_report(needs, init_ms=init_ms)
    display(Markdown(f"**{verdict(needs, init_ms=init_ms)}**"))
    if not frame.empty:
        display(frame.set_index("limit"))  # a DataFrame: its HTML is the same on every run
    return frame


def calculator(needs: WorkloadNeeds = DEFAULT_NEEDS, *,
               init_ms: float = DEFAULT_INIT_MS) -> LiveCalculator:
    """A live calculator; ``calculator.inputs`` maps each field name to its control."""
    style = control_style()
    target = needs.latency_target_ms
    inputs: dict[str, widgets.Widget] = {
        "duration_ms": widgets.FloatText(value=needs.duration_ms,
                                         description="Duration of one run (ms)", **style),
        "memory_mb": widgets.FloatText(value=needs.memory_mb, description="Memory (MB)", **style),
        "payload_mb": widgets.FloatText(value=needs.payload_mb,
                                        description="Request or response size (MB)", **style),
        "invocation": widgets.Dropdown(options=INVOCATION_TYPES, value=needs.invocation,
                                       description="Invocation", **style),
        "tmp_mb": widgets.FloatText(value=needs.tmp_mb, description="Scratch disk, /tmp (MB)",
                                    **style),
        "peak_concurrency": widgets.IntText(value=needs.peak_concurrency,
                                            description="Peak runs in flight", **style),
        "needs_state": widgets.Checkbox(value=needs.needs_state,
                                        description="Needs memory kept between runs", **style),
        "has_latency_target": widgets.Checkbox(value=target is not None,
                                               description="Someone waits for the answer",
                                               **style),
        "latency_target_ms": widgets.FloatText(value=target if target is not None else 1000.0,
                                               description="Latency target (ms)", **style),
        "init_ms": widgets.FloatText(value=init_ms, description="Cold-start INIT (ms)", **style),
        "package_mb": widgets.FloatText(value=needs.package_mb,
                                        description="Code + dependencies, unzipped (MB)", **style),
    }
    message = widgets.HTML()
    output = widgets.HTML()

    def render() -> str:
        output.value = ""
        current = WorkloadNeeds(
            duration_ms=inputs["duration_ms"].value, memory_mb=inputs["memory_mb"].value,
            payload_mb=inputs["payload_mb"].value, invocation=inputs["invocation"].value,
            tmp_mb=inputs["tmp_mb"].value, peak_concurrency=inputs["peak_concurrency"].value,
            needs_state=inputs["needs_state"].value,
            latency_target_ms=(inputs["latency_target_ms"].value
                               if inputs["has_latency_target"].value else None),
            package_mb=inputs["package_mb"].value)
        cold_ms = inputs["init_ms"].value
        frame = fit_report(current, init_ms=cold_ms)
        output.value = _table_html(frame)
        return f"<b>{html.escape(verdict(current, init_ms=cold_ms))}</b>"

    calculator = LiveCalculator("Workload fit checker", inputs.values(), message=message,
                                output=output)
    calculator.inputs = inputs
    calculator.refresh = lambda *_: guarded(render, message)
    for control in inputs.values():
        control.observe(calculator.refresh, names="value")
    calculator.refresh()
    return calculator
