"""How a workload report is laid out: its tables, charts, sentences and numbers, and the same
report as text for a terminal or as pandas tables for a notebook.

Every word a report shows is written here through :mod:`ec2vslambda.words`, so that the Korean
edition shows it in Korean; the figures are formatted before they reach a sentence, so that
both editions show the same numbers. Standard library only (pandas only inside
:func:`table_frame`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import decide as _decide
from .. import pricing
from ..live import DASH, axis, bar_chart, clean, line_chart, money, result, series
from ..validation import choice
from ..words import fields_of, large_count, say, term, word
from . import alb
from .model import Traffic
from .profiling import Profile
from .replay_engine import Plan

if TYPE_CHECKING:
    from .report import Settings

__all__ = ["FORMAT_LABELS", "Findings", "assemble", "report_text", "table_frame"]

#: How the report names each format the readers know (:data:`ec2vslambda.traffic.FORMATS`).
FORMAT_LABELS = {
    "alb": term("Application Load Balancer access log"),
    "lambda-insights": term("Lambda REPORT lines, Logs Insights CSV"),
    "lambda-text": term("Lambda REPORT lines, text"),
    "lambda-events": term("Lambda REPORT lines, filter-log-events JSON"),
    "lambda-json": term("Lambda REPORT records, JSON log format"),
    "metric-data": term("CloudWatch metrics, get-metric-data JSON"),
    "metric-statistics": term("CloudWatch metrics, get-metric-statistics JSON"),
    "azure": term("Azure Functions 2019 trace"),
    "csv": term("CSV of requests"),
    "metrics-csv": term("CloudWatch metrics, CSV"),
}
#: Points of the traffic chart at most (one per bucket of minutes).
CHART_POINTS = 720


@dataclass(frozen=True)
class Findings:
    """Everything a report lays out: the traffic, its profile, the replay's plan and figures
    (``run``, from :func:`~ec2vslambda.traffic.replay_engine.replay`), the decision guide's
    recommendation, what the source recorded (or ``None``), the what-ifs as (label, replay,
    recommendation), the settings, and where the INIT time and the fleets' type came from."""

    traffic: Traffic
    profile: Profile
    plan: Plan
    run: Mapping[str, float]
    rec: _decide.Recommendation
    recorded: Mapping[str, float] | None
    variants: Sequence[tuple[str, Mapping[str, float], _decide.Recommendation]]
    settings: Settings
    init_from: str
    fleet_from: str

    @property
    def cold_share(self) -> float:
        return self.run["cold_starts"] / self.run["requests"] if self.run["requests"] else 0.0

    @property
    def throttled_share(self) -> float:
        return self.run["throttled"] / self.run["requests"] if self.run["requests"] else 0.0


# --- words and figures ----------------------------------------------------------------------

def _share(fraction: float) -> str:
    """A share as a percentage, with two decimals under 1% (0.04% is not 0.0%)."""
    return f"{fraction:.2%}" if fraction < 0.01 else f"{fraction:.1%}"


def _ms(value: float | None) -> str:
    return DASH if value is None else f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _span(minutes: int) -> str:
    if minutes < 2 * 1440:
        return say("{hours} hours", hours=f"{minutes / 60:,.1f}")
    return say("{days} days", days=f"{minutes / 1440:,.1f}")


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> dict:
    return {"title": title, "columns": [str(c) for c in columns],
            "rows": [[str(cell) for cell in row] for row in rows]}


#: Skip reasons that carry a value (as the readers write them, marked there with ``term``).
REASON_TEMPLATES = (alb.NO_TARGET,)
#: The model's own reason for a record seen twice.
DUPLICATE = term("duplicate")


def _reason(reason: str) -> str:
    """A reader's skip reason in the active language: a fixed reason as it is, one with a
    value (``never reached a target (HTTP 502)``) through its template."""
    for template in REASON_TEMPLATES:
        names = fields_of(template)
        pattern = re.escape(template)
        for name in names:
            pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>.+?)")
        found = re.fullmatch(pattern, reason)
        if found:
            return word(template).format(**found.groupdict())
    return word(reason)


def _skipped(skipped: Mapping[str, int]) -> str:
    if not skipped:
        return word("none")
    return ", ".join(f"{_reason(reason)} {count:,}" for reason, count in sorted(skipped.items()))


#: The whole bill's columns beyond the total, as an option's ``detail`` names them.
BILL_COLUMNS = {"compute_usd": term("compute"), **_decide.EXTRA_LINES}


def bill_rows(rec: _decide.Recommendation) -> tuple[list[str], list[list[str]]]:
    columns = [word("option"), word("USD per month"),
               *(word(label) for label in BILL_COLUMNS.values()),
               word("instances / tasks / environments"), word("why not")]
    rows = []
    for o in rec.options:
        priced = o.monthly_usd is not None
        rows.append([say("{option} ◀ recommended", option=o.label) if o.option == rec.choice
                     else o.label,
                     money(o.monthly_usd),
                     *(money(o.detail.get(key, 0.0)) if priced else DASH for key in BILL_COLUMNS),
                     f"{o.units:,}", "; ".join(o.why_not) or DASH])
    return columns, rows


def traffic_chart(traffic: Traffic, profile: Profile) -> dict[str, object]:
    """Requests per minute over the period: the busiest minute and the average of each bucket
    of minutes (at most :data:`CHART_POINTS` buckets)."""
    counts = traffic.per_minute
    bucket = max(1, math.ceil(len(counts) / CHART_POINTS))
    days = profile.minutes >= 2 * 1440
    unit = 1440.0 if days else 60.0
    x, busiest, mean = [], [], []
    for start in range(0, len(counts), bucket):
        part = counts[start:start + bucket]
        x.append(start / unit)
        busiest.append(max(part))
        mean.append(sum(part) / len(part))
    lines = [series(word("average minute"), x, mean, colour="blue")]
    if bucket > 1:
        lines.append(series(word("busiest minute"), x, busiest, colour="orange", style="dotted"))
    label = (say("days since {start} UTC", start=traffic.start.strftime("%Y-%m-%d %H:%M")) if days
             else say("hours since {start} UTC", start=traffic.start.strftime("%Y-%m-%d %H:%M")))
    return line_chart(word("Requests per minute"), axis(label, minimum=0),
                      axis(word("requests per minute"), minimum=0), lines)


# --- the tables --------------------------------------------------------------------------------

def profile_rows(f: Findings) -> list[list[str]]:
    t, p = f.traffic, f.profile
    when = f"{t.start:%Y-%m-%d %H:%M} – {t.end:%Y-%m-%d %H:%M} UTC"
    rows = [
        [word("source format"), word(FORMAT_LABELS[t.format])
         if t.format in FORMAT_LABELS else t.format],
        [word("period covered"), f"{when} ({_span(p.minutes)})"],
        [word("invocations"), f"{p.invocations:,}"],
        [word("invocations per month (730 hours)"), large_count(p.monthly_invocations)],
        [word("mean duration (ms)"), _ms(p.mean_duration_ms)],
        [word("average concurrency"), f"{p.average_concurrency:,.2f}"],
        [word("busiest minute's concurrency"), f"{p.peak_minute_concurrency:,.2f}"],
        [word("regularity (average / busiest minute)"), _share(p.regularity)],
        [word("idle minutes"), _share(p.idle_share)],
        [word("memory (MB)"), f"{f.settings.memory_mb:,}"],
        [word("records skipped"), _skipped(t.skipped)],
    ]
    if t.duration_p99_ms is not None:
        rows.insert(5, [word("p99 duration the source gives (ms)"), _ms(t.duration_p99_ms)])
    return rows


def replay_rows(f: Findings) -> list[list[str]]:
    run, plan, s = f.run, f.plan, f.settings
    if plan.whole:
        replayed = say("all {count} requests", count=f"{run['requests']:,}")
    else:
        replayed = say("{count} requests in {windows} windows of {minutes} min (one in every "
                       "{stride}, the busiest included), {share} of the traffic; warm-ups not "
                       "counted",
                       count=f"{run['requests']:,}", windows=f"{len(plan.windows):,}",
                       minutes=f"{plan.window_minutes:,}", stride=f"{plan.stride:,}",
                       share=_share(run["requests"] / f.profile.invocations))
    return [
        [word("replayed"), replayed],
        [word("arrivals"), word("as recorded") if not f.traffic.aggregated
         else word("spread at random inside each minute (seeded)")],
        [word("keep-alive (s)"), f"{s.keep_alive_s:,.0f}"],
        [word("INIT of a cold start (ms)"), f"{_ms(s.init_ms)} ({f.init_from})"],
        [word("cold starts"), f"{run['cold_starts']:,} ({_share(f.cold_share)})"],
        [word("p50 latency (ms)"), _ms(run["p50_ms"])],
        [word("p99 latency (ms)"), _ms(run["p99_ms"])],
        [word("peak concurrency / account limit"),
         f"{run['peak_concurrency']:,} / {s.concurrency_limit:,}"],
        [word("throttled"), f"{run['throttled']:,} ({_share(f.throttled_share)})"],
    ]


def recorded_table(f: Findings) -> dict | None:
    r, run = f.recorded, f.run
    if r is None:
        return None
    return _table(
        word("Recorded beside replayed (the same requests)"),
        [word("figure"), word("recorded"), word("replayed")],
        [[word("cold starts"), _share(r["cold_share"]), _share(f.cold_share)],
         [word("INIT of a cold start (ms)"), _ms(r["init_ms"]), _ms(f.settings.init_ms)],
         [word("p50 latency (ms)"), _ms(r["p50_ms"]), _ms(run["p50_ms"])],
         [word("p99 latency (ms)"), _ms(r["p99_ms"]), _ms(run["p99_ms"])]])


def what_if_table(f: Findings) -> dict | None:
    if not f.variants:
        return None
    return _table(
        word("What if"),
        [word("what if"), word("Lambda (on demand) per month"), word("cold starts"),
         word("p99 latency (ms)"), word("peak concurrency"), word("recommended"),
         word("USD per month")],
        [[label, money(v.option("lambda").monthly_usd),
          _share(r["cold_starts"] / r["requests"] if r["requests"] else 0.0),
          _ms(r["p99_ms"]), f"{r['peak_concurrency']:,}", v.label, money(v.monthly_usd)]
         for label, r, v in f.variants])


# --- the sentences -----------------------------------------------------------------------------

def summary(f: Findings) -> str:
    rec, run, s = f.rec, f.run, f.settings
    text = say("Recommendation: {option}, about {usd} a month (whole bill).", option=rec.label,
               usd=pricing.format_usd(rec.monthly_usd))
    text += " " + say(
        "Replayed on Lambda, {cold} of the invocations start cold, the p99 latency is {p99} ms "
        "and at most {peak} environments run at once.", cold=_share(f.cold_share),
        p99=_ms(run["p99_ms"]), peak=f"{run['peak_concurrency']:,}")
    if run["throttled"]:
        text += " " + say("The account limit of {limit} throttles {share} of them.",
                          limit=f"{s.concurrency_limit:,}", share=_share(f.throttled_share))
    return text


def notes(f: Findings) -> list[str]:
    """The report's assumptions, as sentences."""
    s = f.settings
    out = [
        say("The month is {hours} hours: the {minutes} minutes covered are scaled to it.",
            hours=f"{pricing.HOURS_PER_MONTH:,g}", minutes=f"{f.profile.minutes:,}"),
        say("Bills use the mean duration, {duration} ms; fleets and Provisioned Concurrency are "
            "sized for the replay's peak of {peak} requests in flight.",
            duration=_ms(f.profile.mean_duration_ms), peak=f"{f.run['peak_in_flight']:,}"),
        say("The EC2 fleets and Managed Instances run {instance}: {why}.",
            instance=s.instance_type, why=f.fleet_from),
    ]
    if f.traffic.aggregated:
        out.append(word("Per-minute data hides bursts inside a minute: the replay spreads each "
                        "minute's requests evenly at random, and every request of a minute runs "
                        "the minute's average duration, so its p99 understates the tail."))
    if f.variants:
        out.append(say("What-ifs: at another memory size the CPU-busy share ({share}) of each "
                       "request scales with the CPU Lambda gives it; the other architecture "
                       "keeps the durations and changes the prices.",
                       share=f"{s.cpu_fraction:.0%}"))
    return out


def numbers(f: Findings) -> dict[str, object]:
    """The report's figures by name, for programs (the tables show the same, formatted)."""
    t, p, plan, run, rec, r, s = (f.traffic, f.profile, f.plan, f.run, f.rec, f.recorded,
                                  f.settings)
    return {
        "format": t.format, "start": t.start.isoformat(), "end": t.end.isoformat(),
        "minutes": p.minutes, "invocations": p.invocations,
        "monthly_invocations": p.monthly_invocations, "mean_duration_ms": p.mean_duration_ms,
        "average_concurrency": p.average_concurrency,
        "peak_minute_concurrency": p.peak_minute_concurrency,
        "regularity": p.regularity, "idle_share": p.idle_share,
        "memory_mb": s.memory_mb, "arch": s.arch, "region": s.region,
        "instance_type": s.instance_type, "keep_alive_s": s.keep_alive_s, "init_ms": s.init_ms,
        "replay_whole": plan.whole, "replay_window_minutes": plan.window_minutes,
        "replay_windows": len(plan.windows), "replayed_requests": run["replayed"],
        "counted_requests": run["requests"], "cold_starts": run["cold_starts"],
        "cold_start_share": f.cold_share, "p50_ms": run["p50_ms"], "p99_ms": run["p99_ms"],
        "peak_concurrency": run["peak_concurrency"], "peak_in_flight": run["peak_in_flight"],
        "concurrency_limit": s.concurrency_limit, "throttled": run["throttled"],
        "throttled_share": f.throttled_share,
        "recorded_cold_start_share": r["cold_share"] if r else None,
        "recorded_init_ms": r["init_ms"] if r else None,
        "recorded_p50_ms": r["p50_ms"] if r else None,
        "recorded_p99_ms": r["p99_ms"] if r else None,
        "choice": rec.choice, "monthly_usd": rec.monthly_usd,
        "lambda_monthly_usd": rec.option("lambda").monthly_usd,
        "options_monthly_usd": {o.option: o.monthly_usd for o in rec.options},
        "what_if_monthly_usd": {label: v.monthly_usd for label, _r, v in f.variants},
    }


def assemble(f: Findings) -> dict[str, object]:
    """The report: :func:`ec2vslambda.live.result`'s keys (the bills as its table and chart),
    with ``tables``, ``charts``, ``reasons`` and ``notes``."""
    columns, rows = bill_rows(f.rec)
    bars = [(o.label, o.monthly_usd, "orange" if o.option == f.rec.choice
             else "blue" if o.eligible else "lightgrey") for o in f.rec.options]
    bill_chart = bar_chart(say("{option} recommended", option=f.rec.label),
                           axis(word("USD per month"), log=True), bars)
    out = result(word("Your workload"), summary(f), numbers=numbers(f), columns=columns,
                 rows=rows, chart=bill_chart)
    out.update(clean({
        "tables": {"profile": _table(word("Profile"), [word("figure"), word("value")],
                                     profile_rows(f)),
                   "replay": _table(word("Lambda replay"), [word("figure"), word("value")],
                                    replay_rows(f)),
                   "recorded": recorded_table(f),
                   "bill": _table(word("Whole bill of every option"), columns, rows),
                   "what_if": what_if_table(f)},
        "charts": {"traffic": traffic_chart(f.traffic, f.profile), "bill": bill_chart},
        "reasons": [reason.text for reason in f.rec.reasons],
        "notes": notes(f)}))
    return out


# --- showing a report --------------------------------------------------------------------------

def table_frame(report: Mapping[str, object], name: str):
    """One of the report's ``tables`` as a pandas DataFrame indexed by its first column (for a
    notebook), or ``None`` where the report has no such table."""
    import pandas as pd

    table = report["tables"][choice("name", name, tuple(report["tables"]))]  # type: ignore[index]
    if table is None:
        return None
    frame = pd.DataFrame(table["rows"], columns=table["columns"])
    return frame.set_index(table["columns"][0])


_FIGURE = re.compile(r"[$—\d.,%/ ()+-]*\d[$—\d.,%/ ()+-]*|—")


def _text_table(table: Mapping[str, object], keep: Sequence[int] | None = None) -> list[str]:
    columns = list(table["columns"])  # type: ignore[arg-type]
    rows = [list(r) for r in table["rows"]]  # type: ignore[union-attr]
    if keep is not None:
        columns = [columns[i] for i in keep]
        rows = [[r[i] for i in keep] for r in rows]
    widths = [max(len(str(c)) for c in column) for column in zip(columns, *rows, strict=True)]
    # figures (money, counts, shares) line up on the right, words on the left
    right = [all(_FIGURE.fullmatch(r[i]) for r in rows) for i in range(len(columns))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if r else c.ljust(w)
                         for c, w, r in zip(cells, widths, right, strict=True)).rstrip()

    return [str(table["title"]), line(columns), line(["-" * w for w in widths]),
            *(line(r) for r in rows)]


def report_text(report: Mapping[str, object]) -> str:
    """The report as plain text for a terminal: the profile, the replay, the bills (total and
    compute) and the recommendation with its reasons."""
    tables = report["tables"]
    parts = [str(report["title"]), "", *_text_table(tables["profile"]), "",  # type: ignore[index]
             *_text_table(tables["replay"]), ""]  # type: ignore[index]
    if tables["recorded"]:  # type: ignore[index]
        parts += [*_text_table(tables["recorded"]), ""]  # type: ignore[index]
    parts += [*_text_table(tables["bill"], keep=(0, 1, 2)), ""]  # type: ignore[index]
    if tables["what_if"]:  # type: ignore[index]
        parts += [*_text_table(tables["what_if"]), ""]  # type: ignore[index]
    parts += [str(report["summary"]), ""]
    parts += [f"- {reason}" for reason in report["reasons"]]  # type: ignore[attr-defined]
    parts += [""] + [f"* {note}" for note in report["notes"]]  # type: ignore[attr-defined]
    return "\n".join(parts) + "\n"
