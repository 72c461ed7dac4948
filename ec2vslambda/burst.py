"""A flash crowd served two ways: one Lambda function, and an EC2 Auto Scaling group (lab 2).

:func:`run_burst` draws a seeded flash crowd (:func:`ec2vslambda.workloads.flash_crowd`) and
feeds the same requests to :func:`ec2vslambda.simulate.simulate_lambda` and
:func:`ec2vslambda.simulate.simulate_ec2`; :class:`BurstResult` compares them as totals
(:meth:`BurstResult.summary`) and over time (:meth:`BurstResult.timeline`, plotted by
:func:`plot_burst`).

Cost over time. Lambda's bill accrues per request, except the Provisioned Concurrency charge,
which accrues with time while it is enabled; :func:`lambda_cost_timeline` prices each time bin
through :func:`ec2vslambda.pricing.lambda_cost` and spreads the enabled charge evenly over the
enabled time. The fleet's bill accrues per running instance-second
(:meth:`ec2vslambda.simulate.Ec2Result.timeline`).

When Provisioned Concurrency pays off: :func:`provisioned_vs_on_demand` prices the same
traffic both ways through :func:`ec2vslambda.pricing.lambda_cost`, and
:func:`provisioned_break_even_utilisation` finds the share of the enabled time the provisioned
environments must be busy for them to cost no more than on-demand environments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import data as _data
from . import pricing as _pricing
from . import simulate as _sim
from . import workloads as _wl
from .burst_model import (
    DEFAULT,
    MAX_REQUESTS,
    MS_PER_S,
    BurstScenario,
    check_size,
    default_concurrency_limit,
    fleet_for_peak,
    mean_duration_ms,
)
from .burst_model import autoscaling as _autoscaling
from .validation import Allowed, InputError, number, whole
from .words import say, word

__all__ = ["BURST_COLUMNS", "DEFAULT", "MAX_REQUESTS", "MS_PER_S", "BurstResult", "BurstScenario",
           "burst_drawing", "burst_workload", "compare", "default_concurrency_limit",
           "draw_burst", "draw_traffic", "fleet_for_peak", "lambda_cost_timeline",
           "mean_duration_ms", "plot_burst", "provisioned_break_even_utilisation",
           "provisioned_vs_on_demand", "run_burst", "traffic_drawing"]


def burst_workload(scenario: BurstScenario) -> _wl.Workload:
    """The scenario's requests: a seeded flash crowd with log-normal durations."""
    s = scenario
    check_size(s)
    return _wl.flash_crowd(s.base_rate_per_s, s.peak_rate_per_s, s.window_s, start_s=s.start_s,
                           ramp_s=s.ramp_s, hold_s=s.hold_s, decay_s=s.decay_s,
                           duration_ms=_wl.LogNormalMs(s.median_duration_ms, s.duration_sigma),
                           seed=s.seed)


@dataclass(frozen=True)
class BurstResult:
    """Both designs' runs on the same requests."""

    scenario: BurstScenario
    workload: _wl.Workload
    lambda_result: _sim.LambdaResult
    ec2_result: _sim.Ec2Result

    @property
    def window_s(self) -> float:
        return float(self.scenario.window_s)

    def summary(self, *, slo_ms: float = 1000.0) -> pd.DataFrame:
        """Totals for the window, one column per design: requests, throttled, cold starts,
        latency percentiles (ms, of the requests served), the share answered within ``slo_ms``
        (throttled requests count as not answered), peak capacity and cost (USD). The p99.9
        row shows the slowest requests, where cold starts live."""
        slo_ms = number("slo_ms", slo_ms, low=0.0)
        lam, ec2 = self.lambda_result, self.ec2_result
        n = max(lam.requests, 1)
        lam_ok = np.nan_to_num(lam.latency_ms, nan=math.inf) <= slo_ms
        ec2_ok = ec2.latency_ms <= slo_ms
        rows = {
            "requests": (lam.requests, ec2.requests),
            "throttled": (lam.throttled, 0),
            "cold starts / instance launches": (lam.cold_starts,
                                                ec2.launches - self.scenario.instances),
            "p50 latency (ms)": (lam.percentiles["p50"], ec2.percentiles["p50"]),
            "p95 latency (ms)": (lam.percentiles["p95"], ec2.percentiles["p95"]),
            "p99 latency (ms)": (lam.percentiles["p99"], ec2.percentiles["p99"]),
            "p99.9 latency (ms)": (_tail_ms(lam.latency_ms), _tail_ms(ec2.latency_ms)),
            f"answered within {slo_ms:,.0f} ms": (lam_ok.sum() / n,
                                                  ec2_ok.sum() / max(ec2.requests, 1)),
            "peak environments / instances": (lam.peak_concurrency,
                                              int(ec2.instances_in_service.max(initial=0))),
            "cost (USD)": (lam.cost_usd, ec2.cost_usd),
        }
        return pd.DataFrame(rows, index=["Lambda", "EC2 Auto Scaling"]).T

    def timeline(self, bin_s: float = 10.0) -> pd.DataFrame:
        """Per time bin: request rate, Lambda environments in flight, throttles and cold
        starts, EC2 instances running, p50 and p99 latency of the requests that arrived in the
        bin (0 where none did) for both designs, and each design's cumulative cost (USD).

        The bins cover the window and any time after it that either design still runs (a
        fleet draining its queue, or Provisioned Concurrency's enabled time)."""
        bin_s = number("bin_s", bin_s, low=1.0, high=self.window_s)
        span = max(self.window_s, self.ec2_result.horizon_s, self.lambda_result.horizon_s)
        bins = int(math.ceil(round(span / bin_s, 6)))
        edges = np.arange(bins + 1) * bin_s
        lam = _align(self.lambda_result.timeline(bin_s), bins)
        ec2 = _align(self.ec2_result.timeline(bin_s), bins)
        lam_cost = lambda_cost_timeline(self.lambda_result, edges,
                                        provisioned=self.scenario.provisioned)
        return pd.DataFrame({
            "start_s": edges[:-1],
            "requests_per_s": lam["requests"].to_numpy() / bin_s,
            "lambda_in_flight": lam["in_flight_max"].to_numpy(),
            "lambda_throttled": lam["throttled"].to_numpy(),
            "lambda_cold_starts": lam["cold_starts"].to_numpy(),
            "lambda_p50_ms": lam["p50"].to_numpy(), "lambda_p99_ms": lam["p99"].to_numpy(),
            "ec2_instances": ec2["instances"].to_numpy(),
            "ec2_p50_ms": ec2["p50"].to_numpy(), "ec2_p99_ms": ec2["p99"].to_numpy(),
            "lambda_cost_usd": np.cumsum(lam_cost),
            "ec2_cost_usd": np.cumsum(ec2["cost_usd"].to_numpy()),
        })


def _tail_ms(latency_ms: np.ndarray, q: float = 99.9) -> float:
    """The ``q``-th percentile of the served requests' latency (0 when none was served)."""
    served = latency_ms[~np.isnan(latency_ms)]
    return float(np.percentile(served, q)) if served.size else 0.0


def _align(table: pd.DataFrame, bins: int) -> pd.DataFrame:
    """The first ``bins`` rows of a simulator timeline, padded with zeros if it is shorter."""
    return table.iloc[:bins].reindex(range(bins), fill_value=0)


def run_burst(scenario: BurstScenario = DEFAULT) -> BurstResult:
    """Simulate the scenario's flash crowd on Lambda and on the Auto Scaling group."""
    s = scenario
    if not isinstance(s, BurstScenario):
        raise InputError("scenario", s, "is not allowed", Allowed(text="a BurstScenario"))
    whole("instances", s.instances, low=1, high=10_000)
    workload = burst_workload(s)
    lam = _sim.simulate_lambda(
        workload.arrivals_s, workload.durations_ms, init_ms=s.init_ms,
        concurrency_limit=s.concurrency_limit, max_new_envs_per_10s=s.scaling_rate_per_10s,
        provisioned=s.provisioned, memory_mb=s.lambda_memory_mb(), arch=s.arch,
        horizon_s=max(s.window_s, _last_end_s(workload, s.init_ms)))
    ec2 = _sim.simulate_ec2(workload.arrivals_s, workload.durations_ms,
                            instance_type=s.instance_type, instances=s.instances,
                            autoscaling=_autoscaling(s))
    if ec2.horizon_s < s.window_s:  # the fleet runs for the whole window, busy or not
        ec2 = _sim.simulate_ec2(workload.arrivals_s, workload.durations_ms,
                                instance_type=s.instance_type, instances=s.instances,
                                autoscaling=_autoscaling(s), horizon_s=s.window_s)
    return BurstResult(s, workload, lam, ec2)


def _last_end_s(workload: _wl.Workload, init_ms: float) -> float:
    """A time by which every Lambda request has surely finished (for the enabled hours)."""
    if not len(workload):
        return 0.0
    return float(np.max(workload.arrivals_s + (workload.durations_ms + init_ms) / MS_PER_S))


def compare(scenarios: dict[str, BurstScenario], *, slo_ms: float = 1000.0) -> pd.DataFrame:
    """One row per named scenario and design: p99 and p99.9 latency, answered share,
    throttles, cost."""
    rows = []
    for name, scenario in scenarios.items():
        summary = run_burst(scenario).summary(slo_ms=slo_ms)
        for design in summary.columns:
            column = summary[design]
            rows.append({"scenario": name, "design": design,
                         "p99 latency (ms)": column["p99 latency (ms)"],
                         "p99.9 latency (ms)": column["p99.9 latency (ms)"],
                         f"answered within {slo_ms:,.0f} ms":
                             column[f"answered within {slo_ms:,.0f} ms"],
                         "throttled": column["throttled"],
                         "cost (USD)": column["cost (USD)"]})
    return pd.DataFrame(rows).set_index(["scenario", "design"])


# --- cost over time -------------------------------------------------------------------------

def _enabled_usd(result: _sim.LambdaResult, provisioned: int) -> float:
    """The Provisioned Concurrency charge for keeping ``provisioned`` environments enabled
    over the run's horizon, with no requests (the part that accrues with time)."""
    if not provisioned:
        return 0.0
    return _pricing.lambda_cost(0, 0, result.memory_mb, arch=result.arch, free_tier=False,
                                provisioned_concurrency=provisioned,
                                provisioned_hours=result.horizon_s
                                / _pricing.SECONDS_PER_HOUR).provisioned_usd


def lambda_cost_timeline(result: _sim.LambdaResult, edges_s, *,
                         provisioned: int = 0) -> np.ndarray:
    """Lambda's cost (USD) in each bin ``[edges_s[i], edges_s[i+1])``, no free tier.

    ``provisioned`` is the number of Provisioned Concurrency environments the run had enabled
    (the simulator's result does not record it). Requests are priced in the bin they arrive in:
    on-demand ones with the bin's cold-start share and INIT, provisioned ones at the provisioned
    duration rate. The charge for keeping the environments enabled accrues evenly over the
    run's horizon.
    """
    edges = np.asarray(edges_s, dtype=float)
    if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise InputError("edges_s", edges_s, "is not allowed",
                         Allowed(text="at least two increasing bin edges"))
    provisioned = whole("provisioned", provisioned, high=1e6)
    if result.provisioned_mask.any() and not provisioned:
        raise InputError("provisioned", provisioned,
                         "but provisioned environments served requests",
                         Allowed(1, None, text="the number of environments the run had "
                                               "enabled"))
    enabled = _enabled_usd(result, provisioned)
    hours = result.horizon_s / _pricing.SECONDS_PER_HOUR
    served = ~result.throttled_mask
    which = np.searchsorted(edges, result.arrivals_s, side="right") - 1
    costs = np.zeros(edges.size - 1)
    for b in range(edges.size - 1):
        mine = (which == b) & served
        on_demand = mine & ~result.provisioned_mask
        by_provisioned = mine & result.provisioned_mask
        usd = 0.0
        n_od = int(on_demand.sum())
        if n_od:
            usd += _pricing.lambda_cost(
                n_od, float(result.durations_ms[on_demand].mean()), result.memory_mb,
                arch=result.arch, free_tier=False, init_ms=result.init_ms,
                cold_start_ratio=int(result.cold[on_demand].sum()) / n_od).total_usd
        n_pc = int(by_provisioned.sum())
        if n_pc:
            usd += _pricing.lambda_cost(
                n_pc, float(result.durations_ms[by_provisioned].mean()), result.memory_mb,
                arch=result.arch, free_tier=False, provisioned_concurrency=provisioned,
                provisioned_hours=hours, provisioned_share=1.0).total_usd - enabled
        if enabled and result.horizon_s > 0:
            overlap = max(0.0, min(edges[b + 1], result.horizon_s) - edges[b])
            usd += enabled * overlap / result.horizon_s
        costs[b] = usd
    return costs


# --- when Provisioned Concurrency pays off --------------------------------------------------

def provisioned_vs_on_demand(utilisations, *, concurrency: int = 10, hours: float = 1.0,
                             duration_ms: float = 100.0, memory_mb: int = 1024,
                             arch: str = "arm64", init_ms: float = 0.0,
                             cold_start_ratio: float = 0.0) -> pd.DataFrame:
    """Cost of the same traffic with and without Provisioned Concurrency.

    ``concurrency`` environments are enabled for ``hours``; the traffic keeps them busy a share
    ``utilisation`` of that time (so ``utilisation × concurrency × hours`` environment-hours of
    requests of ``duration_ms``). On demand, the same requests run with ``cold_start_ratio``
    cold starts of ``init_ms``. One row per utilisation; no free tier on either side.
    """
    concurrency = whole("concurrency", concurrency, low=1, high=1e6)
    hours = number("hours", hours, low=0.0, high=_pricing.HOURS_PER_MONTH)
    duration_ms = number("duration_ms", duration_ms, low=1.0,
                          high=_data.limit_value("timeout_max") * MS_PER_S)
    rows = []
    for u in utilisations:
        u = number("utilisation", u, high=1.0)
        requests = u * concurrency * hours * _pricing.SECONDS_PER_HOUR * MS_PER_S / duration_ms
        on_demand = _pricing.lambda_cost(requests, duration_ms, memory_mb, arch=arch,
                                         free_tier=False, init_ms=init_ms,
                                         cold_start_ratio=cold_start_ratio)
        provisioned = _pricing.lambda_cost(requests, duration_ms, memory_mb, arch=arch,
                                           free_tier=False, provisioned_concurrency=concurrency,
                                           provisioned_hours=hours)
        rows.append({"utilisation": u, "requests": requests,
                     "on-demand (USD)": on_demand.total_usd,
                     "provisioned (USD)": provisioned.total_usd,
                     "cheaper": "provisioned" if provisioned.total_usd < on_demand.total_usd
                     else "on demand"})
    if not rows:
        raise InputError("utilisations", [], "is empty",
                         Allowed(0, 1, text="one or more shares from 0 to 1"))
    return pd.DataFrame(rows).set_index("utilisation")


def provisioned_break_even_utilisation(*, duration_ms: float = 100.0, memory_mb: int = 1024,
                                       arch: str = "arm64", init_ms: float = 0.0,
                                       cold_start_ratio: float = 0.0,
                                       concurrency: int = 10, hours: float = 1.0) -> float | None:
    """The busy share above which Provisioned Concurrency costs less than on demand.

    Found by bisection on :func:`provisioned_vs_on_demand` (both bills grow linearly with the
    traffic, so they cross once at most); ``None`` when even fully busy provisioned
    environments cost more.
    """
    def gap(u: float) -> float:
        row = provisioned_vs_on_demand([u], concurrency=concurrency, hours=hours,
                                       duration_ms=duration_ms, memory_mb=memory_mb, arch=arch,
                                       init_ms=init_ms, cold_start_ratio=cold_start_ratio)
        return float(row["provisioned (USD)"].iloc[0] - row["on-demand (USD)"].iloc[0])

    if gap(1.0) > 0:
        return None
    low, high = 0.0, 1.0
    for _ in range(60):
        mid = (low + high) / 2
        if gap(mid) > 0:
            low = mid
        else:
            high = mid
    return high


# --- figure ---------------------------------------------------------------------------------

BURST_COLUMNS = ("start_s", "requests_per_s", "lambda_in_flight", "ec2_instances",
                 "lambda_throttled", "lambda_p50_ms", "lambda_p99_ms", "ec2_p50_ms",
                 "ec2_p99_ms", "lambda_cost_usd", "ec2_cost_usd")


def plot_burst(result: BurstResult, *, bin_s: float = 10.0, title: str | None = None):
    """Lambda (left) and the Auto Scaling group (right), same axes: traffic and capacity,
    latency percentiles per time bin, cumulative cost. Returns a matplotlib Figure."""
    return draw_burst(result.timeline(bin_s).to_dict(orient="list"), bin_s,
                      result.scenario.instance_type, title)


def burst_drawing(result: BurstResult, *, bin_s: float = 10.0, title: str | None = None):
    """:func:`plot_burst` as a figure the book stores with its data (the drawing ``burst`` of
    :mod:`ec2vslambda.figures`), which draws it again in each edition's language."""
    from .figures import Drawing

    timeline = result.timeline(bin_s)[list(BURST_COLUMNS)]
    return Drawing("burst", timeline=timeline.to_dict(orient="list"), bin_s=bin_s,
                   instance_type=result.scenario.instance_type, title=title)


def draw_burst(timeline: dict, bin_s: float, instance_type: str, title: str | None = None):
    """:func:`plot_burst` from its data (``timeline``: columns of :meth:`BurstResult.timeline`
    as lists)."""
    import matplotlib.pyplot as plt

    t = pd.DataFrame(timeline).astype(float)
    x = t["start_s"] + bin_s / 2
    fig, axes = plt.subplots(3, 2, figsize=(10, 8), sharex=True, sharey="row",
                             layout="constrained")
    sides = (("Lambda", "lambda", "lambda_in_flight", word("environments in flight")),
             (say("EC2 Auto Scaling ({instance_type})", instance_type=instance_type), "ec2",
              "ec2_instances", word("instances running")))
    for col, (name, key, capacity, capacity_label) in enumerate(sides):
        top, mid, low = axes[0, col], axes[1, col], axes[2, col]
        top.set_title(name)
        top.plot(x, t["requests_per_s"], color="0.4", label=word("requests per second"))
        twin = top.twinx()
        twin.plot(x, t[capacity], color="tab:blue", drawstyle="steps-mid", label=capacity_label)
        twin.set_ylabel(capacity_label, color="tab:blue")
        if key == "lambda" and t["lambda_throttled"].sum():
            top.bar(x, t["lambda_throttled"] / bin_s, width=bin_s, color="tab:red", alpha=0.4,
                    label=word("throttled per second"))
        top.legend(fontsize=8, loc="upper right")
        for q, style in (("p50", "-"), ("p99", "--")):
            series = t[f"{key}_{q}_ms"].where(t[f"{key}_{q}_ms"] > 0)
            mid.plot(x, series, style, color="tab:orange", label=q)
        mid.set_yscale("log")
        mid.legend(fontsize=8)
        low.plot(x, t[f"{key}_cost_usd"], color="tab:green")
        low.set_xlabel(word("time (s)"))
        for ax in (top, mid, low):
            ax.grid(True, alpha=0.3)
    axes[0, 0].set_ylabel(word("requests per second"))
    axes[1, 0].set_ylabel(word("latency (ms, log scale)"))
    axes[2, 0].set_ylabel(word("cost so far (USD)"))
    if title:
        fig.suptitle(word(title))
    return fig


def traffic_drawing(result: BurstResult, *, bin_s: float = 10.0, title: str = ""):
    """The flash crowd's requests per second in bins of ``bin_s`` (the drawing ``flash_crowd``
    of :mod:`ec2vslambda.figures`)."""
    from .figures import Drawing

    t = result.timeline(bin_s)
    return Drawing("flash_crowd", start_s=list(t["start_s"]),
                   requests_per_s=list(t["requests_per_s"]), title=title)


def draw_traffic(start_s: list, requests_per_s: list, title: str):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 2.8))
    ax.plot(start_s, requests_per_s, drawstyle="steps-post")
    ax.set(xlabel=word("time (s)"), ylabel=word("requests per second"), title=word(title))
    ax.grid(True, alpha=0.3)
    return fig
