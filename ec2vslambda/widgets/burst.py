"""Lab 2's calculator: a flash crowd on Lambda and on an EC2 Auto Scaling group.

Thin wiring around :func:`ec2vslambda.burst.run_burst`; all arithmetic lives there.
:func:`show` displays the result for a scenario (the static result); :func:`calculator` wires
controls to it for a live kernel.
"""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as widgets

from .. import burst as _burst
from ..words import say
from .common import LiveCalculator, control_style, live_calculator, note_html, show_static

__all__ = ["SLO_MS", "calculator", "show", "summary"]

SLO_MS = 1000.0


def summary(result: _burst.BurstResult, *, slo_ms: float = SLO_MS) -> str:
    """Two plain sentences comparing the designs."""
    table = result.summary(slo_ms=slo_ms)
    answered = f"answered within {slo_ms:,.0f} ms"
    lam, ec2 = table["Lambda"], table["EC2 Auto Scaling"]
    return say("Lambda answered {share} of {requests} requests within {slo} ms (p99 {p99} ms, "
               "{throttled} throttled) for {cost}; the Auto Scaling group answered {ec2_share} "
               "(p99 {ec2_p99} ms) for {ec2_cost}.",
               share=f"{lam[answered]:.1%}", requests=f"{int(lam['requests']):,}",
               slo=f"{slo_ms:,.0f}", p99=f"{lam['p99 latency (ms)']:,.0f}",
               throttled=f"{int(lam['throttled']):,}", cost=f"${lam['cost (USD)']:,.3f}",
               ec2_share=f"{ec2[answered]:.1%}", ec2_p99=f"{ec2['p99 latency (ms)']:,.0f}",
               ec2_cost=f"${ec2['cost (USD)']:,.3f}")


def show(scenario: _burst.BurstScenario = _burst.DEFAULT) -> _burst.BurstResult:
    """Display the summary table, a sentence and the side-by-side figure for ``scenario``."""
    result = _burst.run_burst(scenario)
    show_static(result.summary(slo_ms=SLO_MS).round(3), summary(result),
                _burst.burst_drawing(result))
    return result


def calculator(scenario: _burst.BurstScenario = _burst.DEFAULT) -> LiveCalculator:
    """The live calculator: every change re-runs both simulations and redraws."""
    style = control_style()
    controls = {
        "peak_rate_per_s": widgets.FloatText(value=scenario.peak_rate_per_s,
                                             description="Peak requests per second", **style),
        "ramp_s": widgets.FloatText(value=scenario.ramp_s, description="Climb to the peak (s)",
                                    **style),
        "hold_s": widgets.FloatText(value=scenario.hold_s, description="Peak lasts (s)",
                                    **style),
        "concurrency_limit": widgets.IntText(
            value=scenario.concurrency_limit or _burst.default_concurrency_limit(),
            description="Lambda concurrency limit", **style),
        "provisioned": widgets.IntText(value=scenario.provisioned,
                                       description="Provisioned Concurrency", **style),
        "warmup_s": widgets.FloatText(value=scenario.warmup_s,
                                      description="Instance launch to ready (s)", **style),
        "instances": widgets.IntText(value=scenario.instances,
                                     description="Instances at the start (minimum)", **style),
        "autoscaling": widgets.Checkbox(value=scenario.autoscaling,
                                        description="Auto Scaling (else a fixed fleet)",
                                        **style),
    }

    def compute(values: dict) -> tuple[list, str]:
        result = _burst.run_burst(replace(scenario, **values))
        return ([result.summary(slo_ms=SLO_MS).round(3), _burst.plot_burst(result)],
                note_html(summary(result)))

    return live_calculator("A burst: Lambda vs an Auto Scaling group", controls, compute,
                           intro="Change any input; the result for the default scenario is "
                                 "shown above. Each change re-runs both simulations.",
                           not_in_browser="Unlike the book's other calculators it cannot run in "
                                          "this page: its simulations use numpy, which the "
                                          "Python in your browser does not have.")
