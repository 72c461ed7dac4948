"""Chapter 6's decision guide: a workload in, a recommendation with its reasons out.

:class:`DecisionInputs` describes a service the way its owner would; :func:`run` asks
:func:`ec2vslambda.decide.decide` for every option's whole bill and lays out the table, the
recommendation with its reasons, and the options' costs as bars. The notebook's own figure
(:func:`ec2vslambda.widgets.decision.cost_figure`) draws the same recommendation.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import bills, bounds, limits, pricing
from .. import decide as _decide
from ..validation import Allowed, InputError
from ..words import say, word
from . import Calculator, Field, axis, bar_chart, dataclass_fields, region_choice, result
from .pricing import instance_choices

__all__ = ["ALLOWED", "CALCULATOR", "LATENCY_TARGET_MS", "MS_PER_S", "DecisionInputs",
           "reasons_text", "run"]


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
        cold = bounds.PERCENT.check("cold_start_percent", self.cold_start_percent)
        target = LATENCY_TARGET_MS.check("latency_target_ms", self.latency_target_ms)
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
        try:
            return _decide.decide(self.workload(), self.assumptions())
        except InputError as error:
            if error.name != "peak_concurrency":
                raise
            raise self._as_peak_rps(error) from None

    def _as_peak_rps(self, error: InputError) -> InputError:
        """A refusal of the peak concurrency, said of the input that sets it: ``peak_rps`` (by
        Little's law, requests in flight are requests a second times the duration)."""
        per_s = MS_PER_S / self.duration_ms
        span = error.allowed if isinstance(error.allowed, Allowed) else Allowed()
        return InputError("peak_rps", self.peak_rps, error.problem, _decide.PEAK_RPS.but(
            low=0 if span.low is None or span.low <= 1 else span.low * per_s,
            high=_decide.PEAK_RPS.high if span.high is None else span.high * per_s),
            involves=("duration_ms", *error.involves))


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


def reasons_text(rec: _decide.Recommendation) -> str:
    """The recommendation and its reasons as plain sentences."""
    head = say("Recommendation: {option}, about {usd} a month (whole bill).", option=rec.label,
               usd=pricing.format_usd(rec.monthly_usd))
    return " ".join([head] + [r.text for r in rec.reasons])


def run(values: dict) -> dict:
    rec = DecisionInputs(**values).decide()
    rows = rec.rows()
    bars = [(o.label, o.monthly_usd, "orange" if o.option == rec.choice
             else "blue" if o.eligible else "lightgrey") for o in rec.options]
    chart = bar_chart(say("{option} recommended", option=rec.label),
                      axis(word("USD per month"), log=True), bars)
    return result(CALCULATOR.title, reasons_text(rec),
                  numbers={"choice": rec.choice, "monthly_usd": rec.monthly_usd,
                           "reasons": [r.text for r in rec.reasons]},
                  columns=list(rows[0]), rows=[list(r.values()) for r in rows], chart=chart)


MS_PER_S = 1000.0
#: A p99 latency target in ms, 0 for none.
LATENCY_TARGET_MS = Allowed(0, bounds.MONTH_MS_MAX)
#: Each number's range, as the model declares it.
ALLOWED = {**{k: v for k, v in _decide.WORKLOAD.items() if k != "peak_concurrency"},
           "peak_rps": _decide.PEAK_RPS, "cold_start_percent": bounds.PERCENT,
           "latency_target_ms": LATENCY_TARGET_MS, "payload_mb": limits.NEEDS["payload_mb"],
           "tmp_mb": limits.NEEDS["tmp_mb"],
           "target_utilisation": _decide.ASSUMPTIONS["target_utilisation"],
           "prefer_managed_within": _decide.ASSUMPTIONS["prefer_managed_within"]}


def _fields() -> tuple[Field, ...]:
    return dataclass_fields(
        DecisionInputs, _LABELS, allowed=ALLOWED,
        choices={"arch": (("x86_64", "arm64"), ()), "invocation": (("sync", "async"), ()),
                 "instance_type": ((DecisionInputs.instance_type, *instance_choices()), ()),
                 "front_door": (tuple(bills.FRONT_DOORS), tuple(bills.FRONT_DOORS.values())),
                 "region": region_choice()})


CALCULATOR = Calculator(name="decision", title="Decision guide", run=run, fields=_fields(),
                        intro="Describe the service; every option is priced on its whole bill.")
