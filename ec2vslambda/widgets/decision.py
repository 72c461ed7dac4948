"""Chapter 6's decision guide: a workload in, a recommendation with its reasons out.

:func:`cost_figure` draws every option's monthly cost (those that cannot run the work greyed
out); :func:`show` displays the table, the reasons and the figure for given inputs (the static
result); :func:`calculator` wires controls to :func:`ec2vslambda.decide.decide` for a live
kernel. The arithmetic is all in :mod:`ec2vslambda.decide`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, fields, replace

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.patches import Patch

from .. import data as _data
from .. import decide as _decide
from .. import pricing
from ..validation import number
from .common import LiveCalculator, control_style, live_calculator, show_static
from .pricing import instance_choices


@dataclass(frozen=True)
class DecisionInputs:
    """What the calculator asks for: a service described the way its owner would describe it.

    ``peak_rps`` becomes a peak concurrency by Little's law; ``latency_target_ms`` of 0 means no
    target; ``cold_start_percent`` is a percentage of on-demand invocations; ``response_kb`` is
    what each request sends to the internet, and ``front_door`` how requests arrive (the whole
    bill prices both).
    """

    requests_per_month: float = 20_000_000.0
    duration_ms: float = 200.0
    peak_rps: float = 60.0
    memory_mb: int = 1024
    arch: str = "arm64"
    active_hours_per_month: float = pricing.HOURS_PER_MONTH
    init_ms: float = 500.0
    cold_start_percent: float = 1.0
    latency_target_ms: float = 1000.0
    cpu_fraction: float = 0.5
    invocation: str = "sync"
    payload_mb: float = 0.1
    tmp_mb: float = 0.0
    needs_state: bool = False
    can_queue: bool = False
    interruptible: bool = False
    steady_for_a_year: bool = False
    multi_az: bool = True
    front_door: str = "http_api"
    response_kb: float = 20.0
    region: str = "us-east-1"
    instance_type: str = "(cheapest general purpose)"
    target_utilisation: float = 0.6
    prefer_managed_within: float = 0.1

    def workload(self) -> _decide.Workload:
        cold = number("cold_start_percent", self.cold_start_percent, high=100.0)
        target = number("latency_target_ms", self.latency_target_ms,
                                 what="0 (no target) or more")
        return _decide.Workload(
            requests_per_month=self.requests_per_month, duration_ms=self.duration_ms,
            peak_concurrency=_decide.peak_concurrency_for(self.peak_rps, self.duration_ms),
            memory_mb=self.memory_mb, arch=self.arch,
            active_hours_per_month=self.active_hours_per_month, init_ms=self.init_ms,
            cold_start_fraction=cold / 100.0, latency_target_ms=target or None,
            cpu_fraction=self.cpu_fraction, payload_mb=self.payload_mb,
            invocation=self.invocation, tmp_mb=self.tmp_mb, needs_state=self.needs_state,
            can_queue=self.can_queue, interruptible=self.interruptible,
            steady_for_a_year=self.steady_for_a_year, multi_az=self.multi_az,
            region=self.region, front_door=self.front_door, response_kb=self.response_kb,
            name="this workload")

    def assumptions(self) -> _decide.Assumptions:
        itype = None if self.instance_type.startswith("(") else self.instance_type
        return _decide.Assumptions(instance_type=itype, target_utilisation=self.target_utilisation,
                                   prefer_managed_within=self.prefer_managed_within)

    def decide(self) -> _decide.Recommendation:
        return _decide.decide(self.workload(), self.assumptions())


def cost_figure(rec: _decide.Recommendation, *, title: str | None = None) -> plt.Figure:
    """Horizontal bars of each option's monthly cost on a log axis; the recommendation in
    orange, options that fit in blue, those ruled out in grey (or only named, with no cost,
    when they cannot run the work at all)."""
    options = list(reversed(rec.options))
    fig, ax = plt.subplots(figsize=(8, 3.6))
    costs = [o.monthly_usd for o in options if o.monthly_usd]
    floor = min(costs) / 3 if costs else 0.01
    for y, o in enumerate(options):
        if o.monthly_usd is None:
            ax.text(floor, y, "  cannot run this work", va="center", fontsize=8, color="grey")
            continue
        colour = ("tab:orange" if o.option == rec.choice
                  else "tab:blue" if o.eligible else "lightgrey")
        ax.barh(y, o.monthly_usd - floor, left=floor, color=colour,
                hatch=None if o.eligible else "//", edgecolor="grey")
        ax.text(o.monthly_usd, y, f" {pricing.format_usd(o.monthly_usd)}", va="center",
                fontsize=8)
    ax.set_yticks(range(len(options)), [o.label for o in options], fontsize=9)
    ax.set_xscale("log")
    ax.set_xlim(floor, max(costs + [floor * 10]) * 8)
    ax.set(xlabel="USD per month (log scale)",
           title=title or f"{rec.workload.name}: {rec.label} recommended")
    ax.grid(True, axis="x", which="major", alpha=0.3)
    ax.legend(handles=[Patch(facecolor="tab:orange", label="recommended"),
                       Patch(facecolor="tab:blue", label="fits"),
                       Patch(facecolor="lightgrey", hatch="//", edgecolor="grey",
                             label="ruled out")], fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def show(workload: _decide.Workload, assumptions: _decide.Assumptions | None = None, *,
         figure: bool = True) -> _decide.Recommendation:
    """Display the options table, the reasons and (optionally) the figure: the static result."""
    rec = _decide.decide(workload, assumptions or _decide.Assumptions())
    show_static(rec.table(), rec.reasons_markdown(), cost_figure(rec) if figure else None)
    return rec


def reasons_html(rec: _decide.Recommendation) -> str:
    items = "".join(f"<li>{html.escape(r.text)}</li>" for r in rec.reasons)
    return (f"<div><b>Recommendation: {html.escape(rec.label)}</b>, about "
            f"{pricing.format_usd(rec.monthly_usd)} a month (whole bill).<ul>{items}</ul></div>")


_LABELS = {
    "requests_per_month": "Requests per month",
    "duration_ms": "Duration per request (ms)",
    "peak_rps": "Peak requests per second",
    "memory_mb": "Lambda memory (MB)",
    "arch": "Architecture",
    "active_hours_per_month": "Active hours per month",
    "init_ms": "INIT duration of a cold start (ms)",
    "cold_start_percent": "Cold starts (% of invocations)",
    "latency_target_ms": "p99 latency target (ms, 0 = none)",
    "cpu_fraction": "CPU-busy share of a request (0-1)",
    "invocation": "Invocation",
    "payload_mb": "Payload (MB)",
    "tmp_mb": "Scratch disk needed (MB)",
    "needs_state": "Needs in-memory state between requests",
    "can_queue": "Work can wait in a queue",
    "interruptible": "Work can be interrupted and retried (Spot)",
    "steady_for_a_year": "Load steady enough to commit for a year",
    "multi_az": "At least two instances (two AZs)",
    "front_door": "How requests arrive (Lambda's front door)",
    "response_kb": "Response size (KB, sent to the internet)",
    "region": "Region",
    "instance_type": "EC2 instance type",
    "target_utilisation": "Fleet target utilisation (0-1)",
    "prefer_managed_within": "Pay up to this share more for managed (0-1)",
}


def _control(name: str, value: object) -> widgets.Widget:
    style = control_style()
    label = _LABELS[name]
    if name == "arch":
        return widgets.Dropdown(options=["x86_64", "arm64"], value=value, description=label,
                                **style)
    if name == "invocation":
        return widgets.Dropdown(options=["sync", "async"], value=value, description=label,
                                **style)
    if name == "instance_type":
        return widgets.Dropdown(options=[DecisionInputs.instance_type, *instance_choices()],
                                value=value, description=label, **style)
    if name == "front_door":
        return widgets.Dropdown(options=[(v, k) for k, v in pricing.FRONT_DOORS.items()],
                                value=value, description=label, **style)
    if name == "region":
        return widgets.Dropdown(options=[(f"{_data.REGION_NAMES[r]} ({r})", r)
                                         for r in _data.REGIONS],
                                value=value, description=label, **style)
    if isinstance(value, bool):
        return widgets.Checkbox(value=value, description=label, **style)
    if isinstance(value, int):
        return widgets.IntText(value=value, description=label, **style)
    return widgets.FloatText(value=value, description=label, **style)


def calculator(inputs: DecisionInputs = DecisionInputs()) -> LiveCalculator:
    """The live decision guide: every change re-runs :func:`ec2vslambda.decide.decide`."""
    controls = {f.name: _control(f.name, getattr(inputs, f.name)) for f in fields(inputs)}

    def compute(values: dict) -> tuple[list, str]:
        rec = replace(inputs, **values).decide()
        return [rec.table(), cost_figure(rec)], reasons_html(rec)

    return live_calculator("Decision guide", controls, compute)
