"""Helpers for teaching the course: workshop JupyterHub links and the printable cheat sheet.

* :func:`nbgitpuller_link` builds the link an instructor hands out so that every learner on a
  workshop JupyterHub gets a fresh copy of the course, opened at the right notebook.
* The ``cheat_*`` functions build the cheat sheet's tables straight from ``data/*.csv`` (through
  :mod:`ec2vslambda.data` and :mod:`ec2vslambda.pricing`), each row with its ``as_of`` date, so
  the printed page can never disagree with the book.
* The instructor notes' helpers compute the labs' expected answers:
  :func:`keep_alive_for_cold_share_s` inverts the Poisson cold-start formula, and
  :func:`thumbnail_handler`, :func:`edge_case_outcomes`, :func:`recursion_trap` and
  :func:`thumbnail_cost_range` give lab 4's answers that do not depend on the learner's machine.

Pure functions, no printing; the lab 4 helpers talk only to a local server on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import itertools
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pandas as pd

from . import data as _data
from . import pricing as _pricing
from .limits import limit_name
from .validation import choice, number

#: Jupyter front ends an nbgitpuller link can open, and the URL path prefix each one uses.
NBGITPULLER_APPS = {"lab": "lab/tree", "notebook": "tree"}


def _text(name: str, value: object, allowed: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name}={value!r} is not allowed; allowed: {allowed}")
    return value.strip()


def repo_folder(repo_url: str) -> str:
    """The folder ``git clone repo_url`` creates: the last path segment without ``.git``."""
    repo_url = _text("repo_url", repo_url, "an https:// git repository URL")
    parts = urlsplit(repo_url)
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme != "https" or not parts.netloc or not segments:
        raise ValueError(f"repo_url={repo_url!r} is not allowed; allowed: an https:// git "
                         "repository URL such as https://github.com/owner/name")
    name = segments[-1]
    return name[:-4] if name.endswith(".git") else name


def nbgitpuller_link(hub_url: str, repo_url: str, branch: str = "main", path: str = "",
                     app: str = "lab") -> str:
    """An nbgitpuller link: log in to ``hub_url``, pull ``repo_url`` and open ``path``.

    Clicking it on a JupyterHub with nbgitpuller installed clones the repository into the
    learner's home folder the first time (and merges updates later, keeping the learner's own
    edits), then opens ``path`` (a file or folder inside the repository; empty for its top
    folder) in JupyterLab (``app="lab"``) or the Notebook interface (``app="notebook"``).

    The link has the form ``<hub>/hub/user-redirect/git-pull?repo=...&urlpath=...&branch=...``
    with ``urlpath`` = ``lab/tree/<repository folder>/<path>``.
    """
    hub_url = _text("hub_url", hub_url, "an http(s):// JupyterHub address")
    hub = urlsplit(hub_url)
    if hub.scheme not in ("https", "http") or not hub.netloc or hub.query or hub.fragment:
        raise ValueError(f"hub_url={hub_url!r} is not allowed; allowed: an http(s):// "
                         "JupyterHub address with no query, e.g. https://hub.example.org")
    branch = _text("branch", branch, "a branch name such as main")
    if not isinstance(path, str) or path.startswith("/") or ".." in path.split("/"):
        raise ValueError(f"path={path!r} is not allowed; allowed: a path inside the "
                         "repository, e.g. labs/01_cold_starts_keepalive.ipynb, or ''")
    app = choice("app", app, tuple(NBGITPULLER_APPS))
    folder = repo_folder(repo_url)
    urlpath = "/".join(p for p in (NBGITPULLER_APPS[app], folder, path.strip("/")) if p)
    query = urlencode({"repo": repo_url.strip(), "urlpath": urlpath, "branch": branch})
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


# --- cheat sheet ------------------------------------------------------------------------------

def _money(usd: float) -> str:
    """A price as published: every significant digit, at least two decimals ($0.08925, $0.20)."""
    text = f"{usd:,.10f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"${whole}.{decimals.ljust(2, '0')}"


def _date(value: dt.date) -> str:
    return value.isoformat()


def cheat_lambda_prices() -> pd.DataFrame:
    """Lambda's key prices (us-east-1): requests, first duration tier per architecture, free
    tier, billing granularity, ephemeral storage and Provisioned Concurrency."""
    rows = _data.regional_rows(_data.load("lambda_prices.csv"), "us-east-1")
    labels = {
        "requests": "Requests",
        "duration_rounding": "Billing granularity",
        "free_tier_requests": "Free tier: requests",
        "free_tier_compute": "Free tier: compute",
        "ephemeral_storage_free": "Ephemeral storage included",
        "ephemeral_storage": "Ephemeral storage above that",
        "provisioned_concurrency": "Provisioned Concurrency (enabled)",
    }
    units = {"usd_per_million_requests": "per 1M requests", "usd_per_gb_second": "per GB-s",
             "requests_per_month": "requests / month", "gb_seconds_per_month": "GB-s / month",
             "mb": "MB", "ms": "ms"}
    table = []
    for row in rows:
        item, arch = str(row["item"]), str(row["arch"])
        if item == "duration" and not row["tier_start"]:
            label = "Duration, first tier"
        elif item in labels:
            label = labels[item]
        else:
            continue
        value = float(row["value"])
        money = str(row["unit"]).startswith("usd")
        table.append({"item": label, "arch": "" if arch == "any" else arch,
                      "value": _money(value) if money else f"{value:,.10g}",
                      "unit": units.get(str(row["unit"]), str(row["unit"])),
                      "as of": _date(row["as_of"])})
    return pd.DataFrame(table)


#: Limits printed on the sheet, in this order.
CHEAT_LIMITS = ("memory_min", "memory_max", "memory_per_vcpu", "vcpu_max", "timeout_max",
                "init_timeout", "payload_sync_max", "payload_async_max", "tmp_max",
                "package_zip_max", "package_unzipped_max", "container_image_max",
                "concurrency_default", "scaling_rate")


def cheat_lambda_limits(names: tuple[str, ...] = CHEAT_LIMITS) -> pd.DataFrame:
    """Lambda's key limits, each by its name for a reader (:func:`~ec2vslambda.limits.limit_name`),
    with unit, whether AWS raises them on request, and ``as_of``."""
    limits = _data.lambda_limits()
    missing = [n for n in names if n not in limits]
    if missing:
        raise ValueError(f"names={missing!r} are not limits in lambda_limits.csv; allowed: "
                         f"{', '.join(sorted(limits))}")
    units = {"mb": "MB", "s": "s", "vcpu": "vCPU", "executions": "concurrent executions",
             "environments_per_10s": "environments / 10 s", "days": "days"}
    return pd.DataFrame([{"limit": limit_name(n), "value": f"{limits[n].value:,.10g}",
                          "unit": units.get(limits[n].unit, limits[n].unit),
                          "adjustable": "yes" if limits[n].adjustable else "no",
                          "as of": _date(limits[n].as_of)} for n in names])


def cheat_ec2_prices(region: str = "us-east-1") -> pd.DataFrame:
    """Every EC2 instance type priced in ``region``, with its On-Demand hourly and 730-hour
    month price; ``*`` marks a price known only from a third-party copy. Short column names,
    so that the table fits beside another on the printed sheet."""
    ec2 = _data.ec2_prices()
    prices = ec2.in_region(region)
    return pd.DataFrame([{
        "instance": spec.name + (" *" if ec2.provenance_of(spec.name, region) else ""),
        "vCPU": spec.vcpu, "GiB": f"{spec.memory_gib:g}", "arch": spec.arch,
        "$/hour": _money(spec.usd_per_hour),
        "$/month": f"${_pricing.ec2_monthly_usd(spec.name, region=region):,.2f}",
        "as of": _date(spec.as_of)} for spec in prices.values()])


#: The rest of the bill on the sheet: (label, item of whole_bill_prices.csv, unit shown). A
#: tiered item shows its first tier, and the label says where that tier ends.
CHEAT_BILL_LINES = (
    ("API Gateway HTTP API", "apigw_http_requests", "per 1M requests"),
    ("API Gateway REST API", "apigw_rest_requests", "per 1M requests"),
    ("Lambda function URL", "function_url_requests", "per 1M requests"),
    ("Load balancer (ALB)", "alb_hour", "per hour"),
    ("ALB capacity", "alb_lcu_hour", "per LCU-hour"),
    ("Data out, free", "data_transfer_out_free", "GB / month"),
    ("Data out", "data_transfer_out", "per GB"),
    ("NAT gateway", "nat_gateway_hour", "per hour"),
    ("NAT gateway, data", "nat_gateway_gb", "per GB"),
    ("Public IPv4 address", "public_ipv4_hour", "per hour"),
    ("EBS gp3 volume", "ebs_gp3_storage", "per GB-month"),
    ("gp3 included", "ebs_gp3_baseline_iops", "IOPS"),
    ("gp3 included", "ebs_gp3_baseline_throughput", "MB/s"),
    ("CloudWatch Logs in", "logs_ingestion", "per GB"),
    ("CloudWatch Logs kept", "logs_storage", "per GB-month"),
)


def _first_tier(item: str, end: float) -> str:
    if item == "data_transfer_out":
        return f"first {end / 1024:,.6g} TB"
    return f"first {end / 1e6:,.6g}M"


def cheat_whole_bill_prices(region: str = "us-east-1") -> pd.DataFrame:
    """The rest of a web service's bill (front door, network, storage, logs) in ``region``,
    from ``whole_bill_prices.csv``; ``*`` marks a figure known only from a third-party copy.
    A line the region has no price for shows ``—``. The sheet's footer gives the file's date."""
    region = _data.check_region(region)
    prices = _data.whole_bill_prices()
    table = []
    for label, item, unit in CHEAT_BILL_LINES:
        if not prices.has(item, region):
            table.append({"line": label, "price": "—", "unit": unit})
            continue
        row = prices.row(item, region)
        value = float(row["value"])
        if row["tier_end"] is not None:
            first = prices.tiers(item, region)[0]
            value, label = first.rate, f"{label} ({_first_tier(item, first.end)})"
        money = str(row["unit"]).startswith("usd")
        table.append({"line": label + (" *" if row["provenance"] else ""),
                      "price": _money(value) if money else f"{value:,.10g}", "unit": unit})
    return pd.DataFrame(table)


def cheat_break_even(instance_type: str = "t4g.small", memory_mb: int = 512,
                     durations_ms: tuple[float, ...] = (20.0, 100.0, 500.0)) -> pd.DataFrame:
    """Requests a month at which Lambda costs as much as one instance running all month.

    The crossing is on cost alone (:func:`ec2vslambda.pricing.break_even_requests`: x86_64, free
    tier on, On-Demand). Next to it stands the instance's ceiling, the requests it serves with
    every vCPU busy all month on one request each (:func:`ec2vslambda.pricing.
    ec2_capacity_requests`); a crossing above the ceiling means one instance cannot carry that
    load at all.
    """
    monthly = _pricing.ec2_monthly_usd(instance_type)
    table = []
    for duration_ms in durations_ms:
        crossing = _pricing.break_even_requests(duration_ms, memory_mb, instance_type)
        ceiling = _pricing.ec2_capacity_requests(instance_type, duration_ms)
        table.append({"Lambda function (x86_64)": f"{duration_ms:g} ms at {memory_mb} MB",
                      "EC2": f"1 x {instance_type} (${monthly:,.2f}/month)",
                      "break-even requests / month": _count(crossing),
                      "instance's ceiling / month": _count(int(ceiling))
                      + (" (below the break-even)" if crossing > ceiling else "")})
    return pd.DataFrame(table)


def _count(requests: int) -> str:
    return f"{requests / 1e6:,.1f} million" if requests >= 1e6 else f"{requests:,}"


def cheat_at_a_glance() -> pd.DataFrame:
    """EC2 and Lambda side by side; every number comes from ``data/`` or the cost model."""
    prices = _data.lambda_prices()
    limit = _data.lambda_limits()
    timeout_s = limit["timeout_max"].value
    minimum_s = _pricing.EC2_MINIMUM_BILLED_S
    rows = [
        ("What you rent", "A virtual machine (instance) you keep running",
         "A function that runs when an event arrives"),
        ("You pay for", f"Capacity held: per second while running ({minimum_s:g} s minimum)",
         f"Work done: per request plus GB-seconds, rounded up to "
         f"{prices.duration_rounding_ms:g} ms"),
        ("Idle costs", "The full hourly price", "Nothing (unless Provisioned Concurrency is on)"),
        ("Longest run", "Unlimited", f"{timeout_s:g} s per invocation"),
        ("Memory", "Fixed by the instance type",
         f"{limit['memory_min'].value:g} to {limit['memory_max'].value:,g} MB; CPU in "
         f"proportion ({limit['memory_per_vcpu'].value:,g} MB per vCPU)"),
        ("Scaling", "You add instances (Auto Scaling group); each takes time to boot",
         f"Automatic, {limit['scaling_rate'].value:,g} environments per 10 s per function, up "
         f"to the account's concurrency ({limit['concurrency_default'].value:,g} by default)"),
        ("Start-up delay", "Boot once, then warm", "A cold start on each new environment"),
        ("State between requests", "Memory and disk persist", "Only while an environment is "
         "warm; keep state in S3, DynamoDB, ..."),
    ]
    return pd.DataFrame(rows, columns=["", "EC2", "Lambda"])


def tables_html(sections: list[tuple[str, pd.DataFrame]]) -> str:
    """Titled tables side by side (they wrap on a narrow screen), for the printed sheet."""
    import html

    blocks = [f"<div class='cheat-block'><p class='cheat-title'><strong>{html.escape(title)}"
              f"</strong></p>{table.to_html(index=False, classes='cheat', border=0)}</div>"
              for title, table in sections]
    return "<div class='cheat-row'>" + "".join(blocks) + "</div>"


def cheat_as_of() -> dict[str, str]:
    """The newest ``as_of`` date of each data file on the sheet."""
    return {"lambda_prices.csv": _date(_data.lambda_prices().as_of),
            "lambda_limits.csv": _date(max(v.as_of for v in _data.lambda_limits().values())),
            "ec2_prices.csv": _date(_data.ec2_prices().as_of),
            "whole_bill_prices.csv": _date(max(r["as_of"] for r in
                                               _data.whole_bill_prices().rows))}


# --- learner setup ----------------------------------------------------------------------------

BOOK_ROOT = Path(__file__).resolve().parent.parent


def book_config_path(start: Path | None = None) -> Path:
    """The book's ``_config.yml``: beside the package in a git checkout (or an editable
    install), else in ``start`` (by default the current folder) or a folder above it, where a
    learner's copy of the course keeps it next to ``chapters/``, ``labs/`` and ``workshop/``."""
    candidates = [BOOK_ROOT / "_config.yml"]
    here = Path(start or Path.cwd()).resolve()
    candidates += [folder / "_config.yml" for folder in (here, *here.parents)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise ValueError(f"start={str(here)!r} is not inside a copy of the course; allowed: a "
                     "folder of the course (or below it), which holds _config.yml")


def book_repository(config_path: Path | None = None) -> dict[str, str]:
    """The book's repository settings from ``_config.yml``: ``url``, ``branch``, ``hub_url``."""
    import yaml  # a dependency of the package

    config = yaml.safe_load(Path(config_path or book_config_path()).read_text("utf-8"))
    repository = config.get("repository") or {}
    launch = config.get("launch_buttons") or {}
    return {"url": str(repository.get("url", "")), "branch": str(repository.get("branch", "")),
            "hub_url": str(launch.get("jupyterhub_url", ""))}


def binder_link(repo_url: str, branch: str = "main", path: str = "") -> str:
    """A mybinder.org link opening ``path`` of a GitHub repository in JupyterLab."""
    owner, name = _github(repo_url)
    return (f"https://mybinder.org/v2/gh/{owner}/{name}/{_text('branch', branch, 'a branch')}"
            f"?urlpath=lab/tree/{path.strip('/')}")


def colab_link(repo_url: str, branch: str = "main", path: str = "") -> str:
    """A Colab link opening the notebook ``path`` of a GitHub repository."""
    owner, name = _github(repo_url)
    if not path.endswith(".ipynb"):
        raise ValueError(f"path={path!r} is not allowed; allowed: a notebook path ending .ipynb")
    return (f"https://colab.research.google.com/github/{owner}/{name}/blob/"
            f"{_text('branch', branch, 'a branch')}/{path.strip('/')}")


def _github(repo_url: str) -> tuple[str, str]:
    parts = urlsplit(_text("repo_url", repo_url, "https://github.com/owner/name"))
    segments = [s for s in parts.path.split("/") if s]
    if parts.netloc != "github.com" or len(segments) != 2:
        raise ValueError(f"repo_url={repo_url!r} is not allowed; allowed: "
                         "https://github.com/owner/name")
    return segments[0], repo_folder(repo_url)


# --- instructor notes: expected answers -------------------------------------------------------

def keep_alive_for_cold_share_s(rate_per_s: float, cold_share: float) -> float:
    """Shortest keep-alive window, in seconds, at which steady random traffic starts cold at most
    ``cold_share`` of the time.

    The inverse of :func:`ec2vslambda.keepalive.poisson_cold_start_ratio`: a request is cold when
    the gap since the previous one exceeds the window ``k``, which for a Poisson stream at
    ``rate_per_s`` happens with probability ``exp(-rate * k)``; so ``k = ln(1 / share) / rate``.
    """
    rate_per_s = number("rate_per_s", rate_per_s, what="a rate above 0 per second")
    cold_share = number("cold_share", cold_share, high=1.0,
                                  what="a share above 0 and at most 1")
    if rate_per_s == 0:
        raise ValueError("rate_per_s=0 is out of range; allowed: a rate above 0 per second")
    if cold_share == 0:
        raise ValueError("cold_share=0 is out of range; allowed: a share above 0 and at most 1")
    import math

    return math.log(1.0 / cold_share) / rate_per_s


@contextmanager
def thumbnail_handler(code_dir: str | Path, *, thumbnail_bucket: str = "photos-thumbnails"):
    """A local S3 server on 127.0.0.1 and a fresh import of the lab's handler that talks to it.

    Yields ``(app, s3)``: the handler module loaded from ``code_dir/app.py`` under a private
    module name (its INIT runs here, so its S3 client points at this server), and an S3 client
    for set-up. ``THUMBNAIL_BUCKET`` is set for the block and created as a bucket. The server is
    stopped and the environment restored on exit, even on error.
    """
    import importlib.util
    import os

    from . import localaws

    source = Path(code_dir) / "app.py"
    if not source.is_file():
        raise ValueError(f"code_dir={str(code_dir)!r} is not allowed; allowed: a folder that "
                         "holds the thumbnail function's app.py")
    with localaws.local_aws() as aws:
        saved = os.environ.get("THUMBNAIL_BUCKET")
        os.environ["THUMBNAIL_BUCKET"] = thumbnail_bucket
        try:
            name = f"_thumbnail_app_{next(_HANDLER_IMPORTS)}"
            spec = importlib.util.spec_from_file_location(name, source)
            app = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(app)
            s3 = aws.client("s3")
            s3.create_bucket(Bucket=thumbnail_bucket)
            yield app, s3
        finally:
            if saved is None:
                os.environ.pop("THUMBNAIL_BUCKET", None)
            else:
                os.environ["THUMBNAIL_BUCKET"] = saved


_HANDLER_IMPORTS = itertools.count()


def edge_case_outcomes(app, s3, *, seed: int = 4, bucket: str = "inbox") -> pd.DataFrame:
    """Lab 4, Step 3: run the handler on one object of each awkward kind and tabulate its answers.

    Uploads :func:`ec2vslambda.localaws.awkward_uploads` (``seed``) to ``bucket``, plus one object
    that is deleted before the event is handled, and calls ``app.handler`` on one event naming all
    of them. One row per record: key, status, thumbnail size (``ok`` only) and reason.
    """
    from . import localaws

    awkward = localaws.awkward_uploads(seed=seed)
    s3.create_bucket(Bucket=bucket)
    for key, body in awkward.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    gone = "gone/replaced.jpg"
    s3.put_object(Bucket=bucket, Key=gone, Body=next(iter(awkward.values())))
    event = localaws.s3_event(bucket, [*awkward, gone])
    s3.delete_object(Bucket=bucket, Key=gone)
    results = app.handler(event, None)["results"]
    return pd.DataFrame([{
        "key": r["source"].removeprefix(f"s3://{bucket}/"), "status": r["status"],
        "thumbnail": f"{r['width']}x{r['height']}" if r["status"] == "ok" else "",
        "reason": r.get("reason", "")} for r in results])


def recursion_trap(app, s3, *, bucket: str = "trap", key: str = "photos/one.jpg",
                   body: bytes | None = None) -> dict[str, object]:
    """Lab 4's recursion exercise: point ``THUMBNAIL_BUCKET`` at the source bucket and upload once.

    Returns the handler's status and reason, whether the original's bytes survived, and how many
    objects the bucket holds before and after (a write would mean a new event, and a loop).
    """
    import os

    from . import localaws

    body = localaws.sample_photo(1200, 900, seed=0) if body is None else body
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    before = s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0)
    saved = os.environ.get("THUMBNAIL_BUCKET")
    os.environ["THUMBNAIL_BUCKET"] = bucket
    try:
        result = app.handler(localaws.s3_event(bucket, [key]), None)["results"][0]
    finally:
        if saved is None:
            os.environ.pop("THUMBNAIL_BUCKET", None)
        else:
            os.environ["THUMBNAIL_BUCKET"] = saved
    after = s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0)
    intact = s3.get_object(Bucket=bucket, Key=key)["Body"].read() == body
    return {"status": result["status"], "reason": result.get("reason", ""),
            "original intact": intact, "objects before": before, "objects after": after}


def thumbnail_cost_range(warm_ms: tuple[float, ...], *, init_ms: float,
                         uploads_per_month: tuple[float, ...], memory_mb: int = 512,
                         instance_type: str = "t3.small",
                         keep_alive_s: float = 600.0) -> pd.DataFrame:
    """Lab 4, Step 7, over a range of plausible laptop timings instead of one measurement.

    One row per warm INVOKE time: Lambda's monthly cost at each upload rate
    (:func:`ec2vslambda.local_runtime.monthly_costs`, INIT billed on cold starts), the instance's
    flat month, and the uploads a month at which the two cost the same
    (:func:`ec2vslambda.pricing.break_even_requests`, free tier on, INIT left out, as in the lab).
    """
    from . import local_runtime as _lr

    if not warm_ms:
        raise ValueError("warm_ms=() is empty; allowed: one or more durations in ms")
    rows = []
    for duration_ms in warm_ms:
        costs = _lr.monthly_costs(uploads_per_month, duration_ms=duration_ms, init_ms=init_ms,
                                  memory_mb=memory_mb, instance_type=instance_type,
                                  keep_alive_s=keep_alive_s)
        row = {"warm INVOKE (ms)": duration_ms}
        row.update({f"Lambda, {c['uploads_per_month']:,.0f}/month (USD)": c["lambda_usd"]
                    for c in costs})
        row[f"{instance_type}, any rate (USD)"] = costs[0]["ec2_usd"]
        row["break-even uploads / month"] = _pricing.break_even_requests(
            duration_ms, memory_mb, instance_type)
        rows.append(row)
    return pd.DataFrame(rows).set_index("warm INVOKE (ms)")
