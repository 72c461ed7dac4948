"""Lab 2's flash crowd in standard-library Python: the scenario, and both designs' runs.

:mod:`ec2vslambda.burst` runs the lab's experiments with numpy and pandas (tables and figures
for the notebook). The browser's Python has neither, so what the live calculator needs lives
here, in the standard library: the scenario (:class:`BurstScenario`, :data:`DEFAULT`), the
sizing helpers, and :func:`replay` -- the same requests on one Lambda function
(:func:`ec2vslambda.engine.replay_lambda`) and on the Auto Scaling group
(:func:`ec2vslambda.engine.replay_ec2`), with the same options as
:func:`ec2vslambda.burst.run_burst` -- summed up by :func:`totals` (the rows of
:meth:`ec2vslambda.burst.BurstResult.summary`, equal to them on the same requests, which a test
checks) and :func:`latency_bins` (each design's p99 latency over time). :func:`draw` draws the
scenario's requests with the standard library (:mod:`ec2vslambda.streams`): other numbers than
numpy's for the same seed, the same rates.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, fields, replace
from typing import NamedTuple

from . import data as _data
from . import engine as _engine
from . import pricing as _pricing
from . import streams as _streams
from .validation import Allowed, InputError, number, whole

__all__ = ["CONCURRENCY", "DEFAULT", "INSTANCES", "LIVE_MAX_REQUESTS", "MAX_REQUESTS", "MS_PER_S",
           "PEAK_RATE_PER_S", "PROVISIONED", "WARMUP_S", "WINDOW_SHARE_S", "BurstRun",
           "BurstScenario", "autoscaling",
           "check_size", "default_concurrency_limit", "draw", "fleet_for_peak", "latency_bins",
           "mean_duration_ms", "replay", "totals"]

MS_PER_S = 1000.0

#: Largest expected request count :func:`run_burst` accepts, so that a calculator stays quick
#: (about a second per million requests on a laptop).
MAX_REQUESTS = 2_000_000


def default_concurrency_limit() -> int:
    """AWS's default concurrency limit per account and region (``lambda_limits.csv``)."""
    return int(_data.limit_value("concurrency_default"))


@dataclass(frozen=True)
class BurstScenario:
    """Inputs of one burst experiment. ``None`` means "read the default from ``data/``".

    Traffic: ``base_rate_per_s`` until ``start_s``, a linear climb over ``ramp_s`` to
    ``peak_rate_per_s``, held for ``hold_s``, fading over ``decay_s``, within ``window_s``.
    Handler durations are log-normal with median ``median_duration_ms`` and spread
    ``duration_sigma``; CPU-bound, so the fleet serves one request per vCPU at a time.

    Lambda: ``memory_mb`` (default: one full vCPU, ``memory_per_vcpu``), ``init_ms`` per cold
    start, ``concurrency_limit`` and ``scaling_rate_per_10s`` (defaults: AWS's, from
    ``lambda_limits.csv``), ``provisioned`` environments enabled for the whole window.

    EC2: ``instances`` running from the start (and the group's minimum), target tracking up to
    ``max_instances`` with ``warmup_s`` before a new instance takes requests; with
    ``autoscaling=False`` the fleet stays at ``instances``.
    """

    base_rate_per_s: float = 20.0
    peak_rate_per_s: float = 400.0
    window_s: float = 600.0
    start_s: float = 60.0
    ramp_s: float = 10.0
    hold_s: float = 120.0
    decay_s: float = 60.0
    median_duration_ms: float = 100.0
    duration_sigma: float = 0.5
    seed: int = 2026
    memory_mb: int | None = None
    arch: str = "arm64"
    init_ms: float = 250.0
    concurrency_limit: int | None = None
    scaling_rate_per_10s: int | None = None
    provisioned: int = 0
    instance_type: str = "c7g.large"
    instances: int = 2
    max_instances: int = 40
    autoscaling: bool = True
    warmup_s: float = 120.0
    target_utilisation: float = 0.5
    evaluation_s: float = 60.0
    scale_in_cooldown_s: float = 300.0

    def with_(self, **changes) -> BurstScenario:
        """A copy with some inputs changed (unknown names raise ``ValueError``)."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise InputError(unknown[0], changes[unknown[0]], "is not an input of a burst scenario",
                             Allowed(options=tuple(sorted(known))))
        return replace(self, **changes)

    def lambda_memory_mb(self) -> int:
        if self.memory_mb is None:
            return int(round(_data.limit_value("memory_per_vcpu")))
        return _pricing.check_memory_mb(self.memory_mb)


#: The lab's default scenario.
DEFAULT = BurstScenario()


def check_size(scenario: BurstScenario, most: int = MAX_REQUESTS) -> float:
    """The scenario's inputs that shape the traffic, checked, and its expected request count;
    a crowd of more than ``most`` requests is refused, naming the peak."""
    s = scenario
    window = number("window_s", s.window_s, low=1.0, high=86_400.0)
    base = number("base_rate_per_s", s.base_rate_per_s, high=1e6)
    peak = number("peak_rate_per_s", s.peak_rate_per_s, low=base, high=1e7)
    extra_s = (number("ramp_s", s.ramp_s) + number("decay_s", s.decay_s)) / 2 + \
        number("hold_s", s.hold_s)
    expected = base * window + (peak - base) * min(extra_s, window)
    if expected > most:
        raise InputError("peak_rate_per_s", s.peak_rate_per_s,
                         "with hold_s={hold_s} makes about {expected} requests",
                         Allowed(high=most, text=f"at most {most:,} requests "
                                 "(lower the peak or shorten the burst)"),
                         involves=("hold_s", "base_rate_per_s", "window_s", "ramp_s", "decay_s"),
                         details={"hold_s": repr(s.hold_s), "expected": f"{expected:,.0f}"})
    return expected


def mean_duration_ms(scenario: BurstScenario) -> float:
    """Mean handler duration of the scenario's log-normal durations: median × exp(σ²/2)."""
    return scenario.median_duration_ms * math.exp(scenario.duration_sigma ** 2 / 2)


def fleet_for_peak(scenario: BurstScenario, *, utilisation: float = 0.75) -> int:
    """Instances needed to serve the peak rate with every slot busy ``utilisation`` of the time
    (one slot per vCPU): ``ceil(peak × mean duration / slots / utilisation)``."""
    utilisation = number("utilisation", utilisation, low=0.01, high=1.0)
    slots = _pricing.instance(scenario.instance_type).vcpu
    busy = scenario.peak_rate_per_s * mean_duration_ms(scenario) / MS_PER_S
    return max(1, math.ceil(round(busy / slots / utilisation, 9)))


def autoscaling(s: BurstScenario) -> _engine.Autoscaling | None:
    """The scenario's target tracking (None for a fixed fleet)."""
    if not s.autoscaling:
        return None
    return _engine.Autoscaling(target_utilisation=s.target_utilisation,
                               warmup_s=s.warmup_s,
                               scale_in_cooldown_s=s.scale_in_cooldown_s,
                               min_instances=s.instances,
                               max_instances=max(s.max_instances, s.instances),
                               evaluation_s=s.evaluation_s)


# --- both designs on the same requests ---------------------------------------------------------

def draw(scenario: BurstScenario) -> tuple[list[float], list[float]]:
    """The scenario's requests, drawn with the standard library: arrival times (s, sorted) of
    the flash crowd and log-normal handler durations (ms)."""
    s = scenario
    check_size(s)
    rng = random.Random(s.seed)
    arrivals = _streams.flash_crowd_arrivals(
        s.base_rate_per_s, s.peak_rate_per_s, s.window_s, start_s=number("start_s", s.start_s),
        ramp_s=s.ramp_s, hold_s=s.hold_s, decay_s=s.decay_s, rng=rng)
    median = number("median_duration_ms", s.median_duration_ms, low=1e-3)
    sigma = number("duration_sigma", s.duration_sigma, high=5.0)
    return arrivals, _streams.lognormal_ms(rng, median, sigma, len(arrivals))


class BurstRun(NamedTuple):
    """Both designs' replays of the same requests, and how long each ran (s)."""

    arrivals_s: list
    durations_ms: list
    lambda_run: _engine.LambdaReplay
    lambda_horizon_s: float
    ec2_run: _engine.Ec2Replay
    ec2_horizon_s: float


def replay(scenario: BurstScenario, arrivals_s, durations_ms) -> BurstRun:
    """The requests on Lambda and on the Auto Scaling group, with the scenario's options and
    the same rules as :func:`ec2vslambda.burst.run_burst`."""
    s = scenario
    whole("instances", s.instances, low=1, high=10_000)
    arrivals, durations = _engine.check_requests(
        arrivals_s, durations_ms, max_duration_ms=_data.limit_value("timeout_max") * MS_PER_S)
    limit = s.concurrency_limit or default_concurrency_limit()
    rate = s.scaling_rate_per_10s or int(_data.limit_value("scaling_rate"))
    init_ms = number("init_ms", s.init_ms, high=_data.limit_value("init_timeout") * MS_PER_S)
    lam = _engine.replay_lambda(arrivals, durations, init_ms=init_ms,
                                concurrency_limit=limit, max_new_envs_per_10s=rate,
                                provisioned=s.provisioned,
                                step_ms=_data.lambda_prices().duration_rounding_ms)
    last_end = max((a + (d + init_ms) / MS_PER_S for a, d in zip(arrivals, durations,
                                                                 strict=True)), default=0.0)
    slots = _pricing.instance(s.instance_type).vcpu
    fleet = autoscaling(s)
    ec2, horizon = _engine.replay_ec2(arrivals, durations, slots_per_instance=slots,
                                      instances=s.instances, autoscaling=fleet)
    if horizon < s.window_s:  # the fleet runs for the whole window, busy or not
        ec2, horizon = _engine.replay_ec2(arrivals, durations, slots_per_instance=slots,
                                          instances=s.instances, autoscaling=fleet,
                                          horizon_s=s.window_s)
    return BurstRun(arrivals, durations, lam, max(s.window_s, last_end), ec2, horizon)


def totals(scenario: BurstScenario, run: BurstRun, *, slo_ms: float = 1000.0
           ) -> dict[str, tuple[float, float]]:
    """The rows of :meth:`ec2vslambda.burst.BurstResult.summary`, ``(Lambda, EC2)`` each, keyed
    by the same names (``answered`` for the share answered within ``slo_ms``)."""
    s, lam, ec2 = scenario, run.lambda_run, run.ec2_run
    slo_ms = number("slo_ms", slo_ms, low=0.0)
    n = len(run.arrivals_s)
    served = [v for v in lam.latency_ms if not math.isnan(v)]
    ec2_latency = [(end - a) * MS_PER_S for end, a in zip(ec2.ends_s, run.arrivals_s,
                                                          strict=True)]
    memory = s.lambda_memory_mb()
    n_prov = sum(lam.provisioned)
    on_demand = lam.served - n_prov
    mean_ms = (math.fsum(d for d, t in zip(run.durations_ms, lam.throttled, strict=True)
                         if not t) / lam.served) if lam.served else 0.0
    lam_cost = _pricing.lambda_cost(
        lam.served, mean_ms, memory, arch=s.arch, free_tier=False, init_ms=s.init_ms,
        cold_start_ratio=sum(lam.cold) / on_demand if on_demand else 0.0,
        provisioned_concurrency=s.provisioned,
        provisioned_hours=run.lambda_horizon_s / _pricing.SECONDS_PER_HOUR
        if s.provisioned else 0.0,
        provisioned_share=n_prov / lam.served if s.provisioned and lam.served else 0.0
    ).total_usd if n else 0.0
    ec2_cost = math.fsum(_pricing.ec2_cost(s.instance_type, max(0.0, end - begin)
                                           / _pricing.SECONDS_PER_HOUR).total_usd
                         for begin, end in ec2.spans_s)

    def pct(values: list[float], q: float) -> float:
        return _engine.percentile(values, q)

    return {
        "requests": (n, n),
        "throttled": (n - lam.served, 0),
        "cold starts / instance launches": (sum(lam.cold), len(ec2.spans_s) - s.instances),
        "p50 latency (ms)": (pct(served, 50), pct(ec2_latency, 50)),
        "p95 latency (ms)": (pct(served, 95), pct(ec2_latency, 95)),
        "p99 latency (ms)": (pct(served, 99), pct(ec2_latency, 99)),
        "p99.9 latency (ms)": (pct(served, 99.9), pct(ec2_latency, 99.9)),
        "answered": (sum(1 for v in served if v <= slo_ms) / max(n, 1),
                     sum(1 for v in ec2_latency if v <= slo_ms) / max(n, 1)),
        "peak environments / instances": (lam.peak_concurrency, max(ec2.in_service, default=0)),
        "cost (USD)": (lam_cost, ec2_cost),
    }


def latency_bins(run: BurstRun, bin_s: float = 10.0, q: float = 99.0
                 ) -> tuple[list[float], list[float], list[float | None], list[float | None]]:
    """Per ``bin_s`` of arrival time over the window and what follows: the bin's middle (s), the
    request rate (per s), and each design's ``q``-th latency percentile (ms) of the requests
    that arrived in it (None where none was answered)."""
    bin_s = number("bin_s", bin_s, low=1.0)
    span = max(run.lambda_horizon_s, run.ec2_horizon_s, bin_s)
    bins = int(math.ceil(round(span / bin_s, 6)))
    lam: list[list[float]] = [[] for _ in range(bins)]
    ec2: list[list[float]] = [[] for _ in range(bins)]
    counts = [0] * bins
    for a, latency, end in zip(run.arrivals_s, run.lambda_run.latency_ms, run.ec2_run.ends_s,
                               strict=True):
        k = min(int(a // bin_s), bins - 1)
        counts[k] += 1
        if not math.isnan(latency):
            lam[k].append(latency)
        ec2[k].append((end - a) * MS_PER_S)
    middles = [(k + 0.5) * bin_s for k in range(bins)]
    return (middles, [c / bin_s for c in counts],
            [_engine.percentile(v, q) if v else None for v in lam],
            [_engine.percentile(v, q) if v else None for v in ec2])


# --- what the live calculator accepts ------------------------------------------------------------

#: Most requests a live recompute draws and replays (both designs), so that it answers in about
#: a second in the reader's browser; the notebook's :func:`ec2vslambda.burst.run_burst` takes
#: up to :data:`MAX_REQUESTS`.
LIVE_MAX_REQUESTS = 150_000
PEAK_RATE_PER_S = Allowed(int(DEFAULT.base_rate_per_s), 10_000)  # from the base rate up
WINDOW_SHARE_S = Allowed(0, DEFAULT.window_s)  # ramp and hold: inside the 10-minute window
CONCURRENCY = Allowed(1, 1_000_000, whole=True)
PROVISIONED = Allowed(0, 1_000_000, whole=True)
WARMUP_S = Allowed(0, 3600)
INSTANCES = Allowed(1, 1_000, whole=True)
