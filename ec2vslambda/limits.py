"""Does a workload fit inside AWS Lambda? The workload fit checker.

:func:`check_workload` compares what a workload needs (:class:`WorkloadNeeds`) with Lambda's
limits and returns one :class:`Violation` per limit it breaks, each with a readable sentence and
the services to use instead. Every limit is read from ``data/lambda_limits.csv`` through
:mod:`ec2vslambda.data`; nothing here restates a number.

Two checks are not rows of the CSV:

* ``"state"``: an execution environment may be recycled at any time, so nothing kept in memory
  survives for sure from one invocation to the next.
* ``"latency"``: the slowest request a user can meet is a cold start, the INIT phase plus the
  handler's own duration. ``init_ms`` is a parameter because it depends on runtime, memory and
  package (chapter 4 measures it); :data:`DEFAULT_INIT_MS` is a pessimistic assumption, not a
  measurement.

The alternatives follow AWS's own suggestions: a workflow service (Step Functions or Lambda
durable functions) for long multi-step work, containers on ECS/Fargate for long-running
processes, Lambda Managed Instances (Lambda functions on EC2 instances in your account, several
requests per environment, no cold starts) for steady high-volume or latency-critical traffic,
and EC2 for full control.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from . import bounds
from . import data as _data
from .validation import Allowed, InputError, flag
from .words import say, term, word

__all__ = ["ALT_CONTAINER_IMAGE", "ALT_EC2", "ALT_EFS", "ALT_FARGATE", "ALT_FASTER_CODE",
           "ALT_LAZY_INIT", "ALT_MANAGED_INSTANCES", "ALT_QUEUE", "ALT_QUOTA", "ALT_S3_REFERENCE",
           "ALT_STATE_STORE", "ALT_STREAMING", "ALT_WARM", "ALT_WORKFLOW", "CHECKED_LIMITS",
           "DEFAULT_INIT_MS", "INVOCATION_TYPES", "LIMIT_WORDS", "MS_PER_S", "NEEDS", "UNIT_WORDS",
           "VIOLATION_COLUMNS", "Violation", "WorkloadNeeds", "check_workload", "fits_lambda",
           "limit_name", "limits_frame", "unit_name", "violation_rows", "violations_frame"]

MS_PER_S = 1000.0
INVOCATION_TYPES = ("sync", "async")

#: A pessimistic INIT duration for a real function (runtime start plus imports and SDK clients),
#: used when the caller has no measurement. AWS's operator guide puts cold starts anywhere from
#: under 100 ms to over a second; chapter 4 shows measured values per runtime.
DEFAULT_INIT_MS = 1000.0

# What to use instead. Shared names so that chapters and the decision guide can match on them.
ALT_WORKFLOW = term("Step Functions or Lambda durable functions")
ALT_FARGATE = "ECS/Fargate"
ALT_MANAGED_INSTANCES = term("Lambda Managed Instances")
ALT_EC2 = "EC2"
ALT_S3_REFERENCE = term("Put the data in S3 and pass its key")
ALT_STREAMING = term("Lambda response streaming (large responses)")
ALT_EFS = term("Amazon EFS mounted in the function")
ALT_CONTAINER_IMAGE = term("Lambda container image")
ALT_QUOTA = term("Ask AWS to raise the concurrency quota")
ALT_QUEUE = term("Buffer bursts in an SQS queue")
ALT_WARM = term("Provisioned Concurrency or SnapStart")
ALT_STATE_STORE = term("An external store (DynamoDB, ElastiCache, S3)")
ALT_LAZY_INIT = term("Load less at start-up (lazy imports)")
ALT_FASTER_CODE = term("Make the work itself faster (profile it; more memory also gives more CPU)")

#: What each of a workload's needs may be, declared once (the fit checker's form reads it). A
#: need may exceed Lambda's limits, which is what the checker reports; the bounds are the book's
#: own (:mod:`ec2vslambda.bounds`): a run or a wait within the month, a size or count the
#: arithmetic holds exactly.
NEEDS = {
    "duration_ms": bounds.MONTH_MS,
    "memory_mb": bounds.QUANTITY,
    "payload_mb": bounds.QUANTITY,
    "invocation": Allowed(options=INVOCATION_TYPES),
    "tmp_mb": bounds.QUANTITY,
    "peak_concurrency": Allowed(1, bounds.MAX_COUNT, whole=True),
    "latency_target_ms": bounds.MONTH_MS.but(low_open=True),
    "package_mb": bounds.QUANTITY,
    "init_ms": bounds.MONTH_MS,
}


@dataclass(frozen=True)
class WorkloadNeeds:
    """What one unit of work (one request, one event, one job) needs from the platform.

    duration_ms: handler time of one run, warm, in ms.
    memory_mb: memory the work needs, in MB.
    payload_mb: the larger of the request and the response, in MB.
    invocation: ``"sync"`` (caller waits for the answer) or ``"async"`` (fire and forget).
    tmp_mb: scratch disk space the run needs, in MB.
    peak_concurrency: most runs in flight at the same moment.
    needs_state: True when the work relies on memory kept between runs (sessions, in-process
        caches, long-lived connections that must survive).
    latency_target_ms: slowest acceptable response, in ms; ``None`` when nobody waits.
    package_mb: code plus dependencies, unzipped, in MB (0 when unknown).

    Invalid values raise ``ValueError`` naming the field, the value and what is allowed.
    """

    duration_ms: float
    memory_mb: float
    payload_mb: float
    invocation: str
    tmp_mb: float
    peak_concurrency: int
    needs_state: bool
    latency_target_ms: float | None
    package_mb: float = 0.0

    def __post_init__(self) -> None:
        for name in ("duration_ms", "memory_mb", "payload_mb", "invocation", "tmp_mb",
                     "peak_concurrency", "package_mb"):
            NEEDS[name].check(name, getattr(self, name))
        flag("needs_state", self.needs_state)
        if self.latency_target_ms is not None:
            NEEDS["latency_target_ms"].check("latency_target_ms", self.latency_target_ms)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Violation:
    """One Lambda limit a workload breaks."""

    limit: str  # a name in data/lambda_limits.csv, or "state" / "latency"
    requested: float  # what the workload needs, in ``unit``
    allowed: float  # what Lambda allows, in ``unit``
    unit: str
    message: str  # a readable sentence
    alternatives: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _fmt(value: float) -> str:
    return f"{value:,.10g}"


def _ceiling(name: str, needed: float, sentence: Callable[[float], str],
             alternatives: tuple[str, ...]) -> Violation | None:
    """A :class:`Violation` of the CSV limit ``name`` when ``needed`` exceeds it, else None.

    ``needed`` is in the limit's own unit; ``sentence(allowed)`` writes the message.
    """
    limit = _data.lambda_limits()[name]
    if needed <= limit.value:
        return None
    return Violation(name, needed, limit.value, limit.unit, sentence(limit.value), alternatives)


def _check_timeout(needs: WorkloadNeeds) -> Violation | None:
    needed_s = needs.duration_ms / MS_PER_S
    # Lambda Managed Instances let asynchronous (and event-source-mapping) invocations run longer
    managed = (needs.invocation == "async"
               and needed_s <= _data.limit_value("managed_instances_async_timeout"))
    return _ceiling(
        "timeout_max", needed_s,
        lambda allowed: say(
            "One run takes {needed} s, but Lambda stops an invocation after {allowed} s. Split "
            "the work into steps that each finish in time and let a workflow chain them, or run "
            "it where nothing stops it (Lambda Managed Instances allow an asynchronous run up to "
            "{managed} s).", needed=_fmt(needed_s), allowed=_fmt(allowed),
            managed=_fmt(_data.limit_value("managed_instances_async_timeout"))) if managed
        else say("One run takes {needed} s, but Lambda stops an invocation after {allowed} s. "
                 "Split the work into steps that each finish in time and let a workflow chain "
                 "them, or run it where nothing stops it.", needed=_fmt(needed_s),
                 allowed=_fmt(allowed)),
        (ALT_WORKFLOW,) + ((ALT_MANAGED_INSTANCES,) if managed else ()) + (ALT_FARGATE, ALT_EC2))


def _check_memory(needs: WorkloadNeeds) -> Violation | None:
    return _ceiling(
        "memory_max", needs.memory_mb,
        lambda allowed: say("The work needs {needed} MB of memory; a Lambda function can have at "
                            "most {allowed} MB.", needed=_fmt(needs.memory_mb),
                            allowed=_fmt(allowed)),
        (ALT_FARGATE, ALT_EC2))


def _check_payload(needs: WorkloadNeeds) -> Violation | None:
    if needs.invocation == "sync":
        name = "payload_sync_max"
        streams = needs.payload_mb <= _data.limit_value("response_streaming_max")
        alternatives = (ALT_S3_REFERENCE,) + ((ALT_STREAMING,) if streams else ())

        def sentence(allowed: float) -> str:
            return say("A synchronous request or response can carry at most {allowed} MB; this "
                       "one is {needed} MB. Send a reference to the data instead of the data.",
                       allowed=_fmt(allowed), needed=_fmt(needs.payload_mb))
    else:
        name = "payload_async_max"
        alternatives = (ALT_S3_REFERENCE,)

        def sentence(allowed: float) -> str:
            return say("An asynchronous event can carry at most {allowed} MB; this one is "
                       "{needed} MB. Send a reference to the data instead of the data.",
                       allowed=_fmt(allowed), needed=_fmt(needs.payload_mb))
    return _ceiling(
        name, needs.payload_mb, sentence,
        alternatives + (ALT_FARGATE, ALT_EC2))


def _check_tmp(needs: WorkloadNeeds) -> Violation | None:
    return _ceiling(
        "tmp_max", needs.tmp_mb,
        lambda allowed: say("The work needs {needed} MB of scratch disk; Lambda's /tmp holds at "
                            "most {allowed} MB.", needed=_fmt(needs.tmp_mb),
                            allowed=_fmt(allowed)),
        (ALT_EFS, ALT_FARGATE, ALT_EC2))


def _check_package(needs: WorkloadNeeds) -> Violation | None:
    image_max = _data.limit_value("container_image_max")
    if needs.package_mb > image_max:
        return _ceiling(
            "container_image_max", needs.package_mb,
            lambda allowed: say("The code and its dependencies take {needed} MB; even a "
                                "container image may take at most {allowed} MB.",
                                needed=_fmt(needs.package_mb), allowed=_fmt(allowed)),
            (ALT_FARGATE, ALT_EC2))
    return _ceiling(
        "package_unzipped_max", needs.package_mb,
        lambda allowed: say("The code and its dependencies take {needed} MB unzipped; a .zip "
                            "function with its layers may take at most {allowed} MB. A container "
                            "image may take up to {image} MB.", needed=_fmt(needs.package_mb),
                            allowed=_fmt(allowed), image=_fmt(image_max)),
        (ALT_CONTAINER_IMAGE, ALT_FARGATE, ALT_EC2))


def _check_concurrency(needs: WorkloadNeeds) -> Violation | None:
    adjustable = _data.lambda_limits()["concurrency_default"].adjustable
    quota = word("It is a default quota: AWS raises it on request.") if adjustable else \
        word("AWS does not raise it.")
    alternatives = ((ALT_QUOTA,) if adjustable else ()) + (
        (ALT_QUEUE,) if needs.invocation == "async" else ()) + (ALT_MANAGED_INSTANCES, ALT_EC2)
    return _ceiling(
        "concurrency_default", float(needs.peak_concurrency),
        lambda allowed: say("At peak {needed} runs are in flight at once; an account's functions "
                            "share {allowed} concurrent executions per region by default.",
                            needed=f"{needs.peak_concurrency:,}", allowed=_fmt(allowed))
        + f" {quota}",
        alternatives)


def _check_init(init_ms: float) -> Violation | None:
    needed_s = init_ms / MS_PER_S
    return _ceiling(
        "init_timeout", needed_s,
        lambda allowed: say("Start-up (INIT) takes {needed} s; Lambda allows an on-demand "
                            "function {allowed} s to initialise.", needed=_fmt(needed_s),
                            allowed=_fmt(allowed)),
        (ALT_LAZY_INIT, ALT_FARGATE, ALT_EC2))


def _check_state(needs: WorkloadNeeds) -> Violation | None:
    if not needs.needs_state:
        return None
    return Violation(
        "state", 1.0, 0.0, "flag",
        word("The work relies on memory kept between runs, but Lambda may recycle an execution "
             "environment at any time; nothing in memory is guaranteed to survive. Keep state "
             "outside the function, or run a process that you keep alive."),
        (ALT_STATE_STORE, ALT_WORKFLOW, ALT_FARGATE, ALT_EC2))


def _check_latency(needs: WorkloadNeeds, init_ms: float) -> Violation | None:
    target = needs.latency_target_ms
    if target is None:
        return None
    cold_ms = init_ms + needs.duration_ms
    if cold_ms <= target:
        return None
    if needs.duration_ms > target:
        return Violation(
            "latency", needs.duration_ms, target, "ms",
            say("Even a warm run takes {needed} ms, over the {target} ms target. No choice of "
                "platform fixes that: the work itself must get faster.",
                needed=_fmt(needs.duration_ms), target=_fmt(target)),
            (ALT_FASTER_CODE,))
    return Violation(
        "latency", cold_ms, target, "ms",
        say("A cold start (INIT {init} ms + run {run} ms = {cold} ms) misses the {target} ms "
            "target. Warm runs meet it, so the question is how often users meet a cold start.",
            init=_fmt(init_ms), run=_fmt(needs.duration_ms), cold=_fmt(cold_ms),
            target=_fmt(target)),
        (ALT_WARM, ALT_MANAGED_INSTANCES, ALT_EC2))


def check_workload(needs: WorkloadNeeds, *, init_ms: float = DEFAULT_INIT_MS) -> list[Violation]:
    """Every Lambda limit ``needs`` breaks, in a fixed order; an empty list when it fits.

    ``init_ms`` is the INIT duration of a cold start, in ms (see :data:`DEFAULT_INIT_MS`). It is
    checked against the INIT limit and used for the latency check.
    """
    if not isinstance(needs, WorkloadNeeds):
        raise InputError("needs", needs, "is not allowed",
                         Allowed(text="a WorkloadNeeds"))
    init_ms = NEEDS["init_ms"].check("init_ms", init_ms)
    checks = (_check_timeout(needs), _check_memory(needs), _check_payload(needs),
              _check_tmp(needs), _check_package(needs), _check_concurrency(needs),
              _check_init(init_ms), _check_state(needs), _check_latency(needs, init_ms))
    return [v for v in checks if v is not None]


def fits_lambda(needs: WorkloadNeeds, *, init_ms: float = DEFAULT_INIT_MS) -> bool:
    """True when :func:`check_workload` finds nothing."""
    return not check_workload(needs, init_ms=init_ms)


#: Every limit named for a reader: the rows of ``lambda_limits.csv`` (whose keys, such as
#: ``timeout_max``, are the data file's) and the two checks that are not rows of it.
LIMIT_WORDS = {
    "memory_min": term("smallest memory setting"), "memory_max": term("memory"),
    "memory_per_vcpu": term("memory per vCPU"), "vcpu_max": term("vCPUs"),
    "timeout_max": term("timeout"), "init_timeout": term("INIT time"),
    "payload_sync_max": term("synchronous payload"),
    "payload_async_max": term("asynchronous payload"),
    "response_streaming_max": term("streamed response"), "tmp_min": term("included /tmp"),
    "tmp_max": term("/tmp storage"), "package_zip_max": term(".zip package"),
    "package_unzipped_max": term("unzipped package"),
    "container_image_max": term("container image"), "concurrency_default": term("concurrency"),
    "scaling_rate": term("scaling rate"), "durable_execution_max": term("durable execution"),
    "managed_instances_async_timeout": term("Managed Instances asynchronous timeout"),
    "managed_instances_default_instances": term("Managed Instances starting instances"),
    "microvm_lifetime_max": term("MicroVM lifetime"),
    "web_functions_concurrency_default": term("web function concurrency"),
    "web_functions_concurrency_max": term("web function concurrency, most"),
    "state": term("state"), "latency": term("latency")}
#: The units of the violations, for a reader (the CSV's own unit names are lower-case keys).
UNIT_WORDS = {"mb": term("MB"), "s": term("s"), "ms": term("ms"),
              "executions": term("concurrent executions"), "flag": term("yes or no")}


def limit_name(key: str) -> str:
    """A limit's name for a reader (``timeout`` for ``timeout_max``), in the active catalogue's
    words."""
    return word(LIMIT_WORDS.get(key, key))


def unit_name(unit: str) -> str:
    """A violation's unit for a reader (``MB`` for the CSV's ``mb``)."""
    return word(UNIT_WORDS.get(unit, unit))


VIOLATION_COLUMNS = (term("limit"), term("needed"), term("Lambda allows"), term("unit"),
                     term("what to use instead"))


def violation_rows(violations: list[Violation]) -> list[list[str]]:
    """The violations as rows of display strings (columns :data:`VIOLATION_COLUMNS`), in the
    active catalogue's words (:mod:`ec2vslambda.words`)."""
    return [[limit_name(v.limit), _fmt(v.requested), _fmt(v.allowed), unit_name(v.unit),
             "; ".join(word(a) for a in v.alternatives)] for v in violations]


def violations_frame(violations: list[Violation]):
    """The violations as a pandas table for a page: one row a limit."""
    import pandas as pd

    return pd.DataFrame(violation_rows(violations), columns=[word(c) for c in VIOLATION_COLUMNS])


def limits_frame(names: tuple[str, ...] | None = None):
    """The limits the checker uses, from the CSV: each by its name for a reader, with its
    value, unit, whether AWS raises it, and notes."""
    import pandas as pd

    limits = _data.lambda_limits()
    names = names or CHECKED_LIMITS
    rows = [[limit_name(n), _fmt(limits[n].value), limits[n].unit,
             "yes" if limits[n].adjustable else "no", limits[n].notes] for n in names]
    return pd.DataFrame(rows, columns=["limit", "value", "unit", "adjustable", "notes"])


#: The rows of ``lambda_limits.csv`` that :func:`check_workload` reads.
CHECKED_LIMITS = ("timeout_max", "memory_max", "payload_sync_max", "payload_async_max",
                  "response_streaming_max", "tmp_max", "package_unzipped_max",
                  "container_image_max", "concurrency_default", "init_timeout")
