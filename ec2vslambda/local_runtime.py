"""Run one Lambda handler two ways on this machine: as Lambda runs it, and as a server would.

:class:`LocalLambdaRuntime` is a small model of the Lambda service for S3 events. A bucket
notification puts each upload's event on an SQS queue (playing the part of Lambda's internal
queue for asynchronous invocations); the runtime polls it and hands each event to an *execution
environment*, a separate worker process:

* a new environment starts a fresh Python interpreter (``start_ms``) and runs the function's
  INIT once, importing the handler module, which creates its clients (``init_ms``);
* every event is an INVOKE (``duration_ms``) in an environment that is not busy;
* environments are reused while warm, and shut down once idle for ``idle_timeout_s``;
* at most ``max_concurrency`` environments exist; more events wait in the queue.

:class:`AlwaysOnWorker` does the same job the EC2 way: long-running processes, booted before any
traffic, each polling the queue and calling the same handler, forever.

Both record one :class:`Invocation` per event with times measured on this machine (wall clock,
``time.perf_counter``). Worker processes use the ``spawn`` start method, so they behave the same on
Linux and macOS, and they inherit the parent's environment variables (``AWS_ENDPOINT_URL`` and
friends), plus the function's own configured ``environment``. Before INIT each worker checks
that it talks to a loopback endpoint (:func:`ec2vslambda.localaws.check_target`).

This module imports only the standard library at load time: every worker process imports it,
and a heavy import here would be counted in every cold start.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import math
import multiprocessing
import os
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection, wait
from typing import cast

from . import localaws
from .upload_costs import cold_start_ratio, monthly_costs  # noqa: F401 - lab 4's API
from .validation import Allowed, InputError, number, whole

__all__ = ["ALWAYS_ON", "LAMBDA", "AlwaysOnWorker", "FunctionConfig", "Invocation", "LambdaContext",
           "LocalLambdaRuntime", "event_time_s", "events_in_message", "summarise"]

_CONTEXT = multiprocessing.get_context("spawn")
LAMBDA = "lambda"
ALWAYS_ON = "always-on"
_POLL_PAUSE_S = 0.02  # pause between empty polls of the queue
_STOP_GRACE_S = 5.0  # how long a worker may take to exit before it is terminated


@dataclass(frozen=True)
class FunctionConfig:
    """What a deployment says about a function: its code, handler and settings."""

    code_dir: str  # folder holding the handler module (the deployment package)
    handler: str = "app.handler"  # module.function, as in Lambda's Handler setting
    environment: Mapping[str, str] = field(default_factory=dict)  # function env variables
    memory_mb: int = 512  # used for cost; this runtime does not cap memory
    timeout_s: float = 30.0  # an INVOKE running longer is stopped, like Lambda's timeout
    name: str = "function"


@dataclass(frozen=True)
class Invocation:
    """One event handled by one environment. Times in milliseconds, measured here."""

    request_id: str
    design: str  # "lambda" or "always-on"
    environment_id: int
    cold: bool  # True when this event waited for the environment's start and INIT
    start_ms: float  # new interpreter until INIT begins (cold only, else 0)
    init_ms: float  # INIT: importing the handler module and creating clients (cold only)
    duration_ms: float  # INVOKE: the handler's run time
    uploaded_s: float  # the event's time (the upload), Unix seconds
    finished_s: float  # when the result was back, Unix seconds
    records: int  # S3 records in the event
    result: dict | None  # what the handler returned
    error: str | None  # a function error (exception, timeout, crash), else None
    peak_rss_mb: float  # the environment's peak resident memory so far

    @property
    def latency_ms(self) -> float:
        """From the upload until the result was back: queueing + start + INIT + INVOKE."""
        return (self.finished_s - self.uploaded_s) * 1000.0

    @property
    def service_ms(self) -> float:
        """Time this event spent being served: start + INIT (when cold) + INVOKE."""
        return self.start_ms + self.init_ms + self.duration_ms

    def as_dict(self) -> dict:
        return {**asdict(self), "latency_ms": self.latency_ms, "service_ms": self.service_ms}


# --- events ---------------------------------------------------------------------------------

def events_in_message(body: str) -> dict | None:
    """The S3 event in an SQS message body, or None for S3's one-off ``s3:TestEvent``."""
    event = json.loads(body)
    if event.get("Event") == "s3:TestEvent" or "Records" not in event:
        return None
    return event


def event_time_s(event: dict) -> float:
    """The earliest ``eventTime`` of an S3 event, as a Unix timestamp in seconds."""
    times = [datetime.fromisoformat(r["eventTime"].replace("Z", "+00:00")).timestamp()
             for r in event.get("Records", []) if "eventTime" in r]
    return min(times) if times else time.time()


class LambdaContext:
    """The handful of context attributes and methods a handler commonly uses."""

    def __init__(self, config: FunctionConfig, request_id: str, deadline: float):
        self.function_name = config.name
        self.memory_limit_in_mb = config.memory_mb
        self.aws_request_id = request_id
        self.invoked_function_arn = f"arn:aws:lambda:local:000000000000:function:{config.name}"
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


# --- inside a worker process ----------------------------------------------------------------

def _peak_rss_mb() -> float:
    """This process's peak resident memory in MB (MiB), or NaN where it cannot be read."""
    # Linux: VmHWM belongs to this program image; ru_maxrss would also count the memory of the
    # parent that was copied by fork() before the new interpreter was exec'd.
    with contextlib.suppress(OSError):
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return math.nan
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes vs KiB


def _init_function(config: FunctionConfig):
    """INIT: apply the function's environment, then import the handler module (timed).

    Returns the handler, INIT's duration in ms, and the wall-clock time INIT began (Unix
    seconds), from which the parent works out how long the new interpreter took to start.
    """
    init_started_s = time.time()
    os.environ.update(config.environment)
    localaws.check_target()
    code_dir = os.path.abspath(config.code_dir)
    if code_dir not in sys.path:
        sys.path.insert(0, code_dir)
    module_name, _, function_name = config.handler.rpartition(".")
    started = time.perf_counter()
    module = importlib.import_module(module_name)
    handler = getattr(module, function_name)
    return handler, (time.perf_counter() - started) * 1000.0, init_started_s


def _invoke(handler, config: FunctionConfig, request_id: str, event: dict):
    """INVOKE: run the handler once; return (result, error, duration_ms, log text)."""
    context = LambdaContext(config, request_id, time.monotonic() + config.timeout_s)
    log = io.StringIO()  # like CloudWatch Logs: what the handler prints stays with the request
    result, error = None, None
    started = time.perf_counter()
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        try:
            result = handler(event, context)
        except Exception as exc:  # a function error, reported like Lambda's errorType/message
            error = f"{type(exc).__name__}: {exc}"
            traceback.print_exc(file=log)
    return result, error, (time.perf_counter() - started) * 1000.0, log.getvalue()


def _environment_main(conn: Connection, config: FunctionConfig) -> None:
    """An execution environment: INIT once, then INVOKE each request until told to stop."""
    try:
        handler, init_ms, init_started_s = _init_function(config)
    except Exception as exc:
        conn.send(("init_error", f"{type(exc).__name__}: {exc}"))
        conn.close()
        return
    conn.send(("ready", init_ms, init_started_s))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            break
        if request is None:
            break
        request_id, event = request
        result, error, duration_ms, _log = _invoke(handler, config, request_id, event)
        conn.send(("done", request_id, result, error, duration_ms, _peak_rss_mb()))
    conn.close()


def _always_on_main(conn: Connection, config: FunctionConfig, queue_url: str,
                    worker_id: int) -> None:
    """The EC2 way: boot once, then poll the queue and handle events until told to stop."""
    try:
        handler, init_ms, init_started_s = _init_function(config)
        import boto3  # the worker's own polling client, created once at boot

        sqs = boto3.client("sqs")
    except Exception as exc:
        conn.send(("init_error", f"{type(exc).__name__}: {exc}"))
        conn.close()
        return
    conn.send(("ready", init_ms, init_started_s))
    while not conn.poll():
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1,
                                       WaitTimeSeconds=0).get("Messages", [])
        if not messages:
            time.sleep(_POLL_PAUSE_S)
            continue
        message = messages[0]
        event = events_in_message(message["Body"])
        if event is not None:
            request_id = str(uuid.uuid4())
            result, error, duration_ms, _log = _invoke(handler, config, request_id, event)
            conn.send(("done", Invocation(
                request_id=request_id, design=ALWAYS_ON, environment_id=worker_id, cold=False,
                start_ms=0.0, init_ms=0.0, duration_ms=duration_ms,
                uploaded_s=event_time_s(event), finished_s=time.time(),
                records=len(event["Records"]), result=result, error=error,
                peak_rss_mb=_peak_rss_mb())))
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    conn.close()


# --- in the parent process ------------------------------------------------------------------

@dataclass
class _Environment:
    """The runtime's view of one execution environment."""

    environment_id: int
    process: multiprocessing.process.BaseProcess
    conn: Connection
    created_s: float  # wall clock (Unix seconds) just before the process was started
    last_used: float  # time.monotonic() when it last finished a request
    ready: bool = False
    start_ms: float = 0.0
    init_ms: float = 0.0
    busy: dict | None = None  # the request in progress

    def stop(self, *, force: bool = False) -> None:
        """Ask the process to exit (or, with ``force``, kill it at once, as after a timeout)."""
        if not force:
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
            self.process.join(_STOP_GRACE_S)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.conn.close()


class _Design:
    """What both designs share: a background thread, a results list and a clean stop."""

    def __init__(self) -> None:
        self._results: list[Invocation] = []
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    def _record(self, invocation: Invocation) -> None:
        with self._changed:
            self._results.append(invocation)
            self._changed.notify_all()

    def _run_guarded(self) -> None:
        try:
            self._loop()
        except BaseException as exc:  # surfaced by wait_for(), never lost in the thread
            self._failure = exc
            with self._changed:
                self._changed.notify_all()

    def _loop(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _start_thread(self, name: str) -> None:
        self._thread = threading.Thread(target=self._run_guarded, name=name, daemon=True)
        self._thread.start()

    def _stop_thread(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    @property
    def invocations(self) -> list[Invocation]:
        with self._changed:
            return list(self._results)

    def wait_for(self, count: int, timeout_s: float = 60.0) -> list[Invocation]:
        """Block until ``count`` events in all have been handled; return every invocation."""
        count = whole("count", count)
        timeout_s = number("timeout_s", timeout_s, low=0.0)
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while len(self._results) < count:
                if self._failure is not None:
                    raise RuntimeError(f"the runtime stopped: {self._failure!r}") from \
                        self._failure
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(self._results)} of {count} events handled after "
                                       f"{timeout_s:g} s")
                self._changed.wait(min(remaining, 0.1))
            return list(self._results)

    def close(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def start(self):  # pragma: no cover - abstract
        raise NotImplementedError


class LocalLambdaRuntime(_Design):
    """Poll ``queue_url`` and run ``config``'s handler in execution environments.

    Use it as a context manager, or call :meth:`start` and, in a ``finally``, :meth:`close`:
    closing stops the polling thread and every environment process.
    """

    def __init__(self, config: FunctionConfig, queue_url: str, *, max_concurrency: int = 2,
                 idle_timeout_s: float = 5.0, allow_real_aws: bool = False) -> None:
        super().__init__()
        self.config = config
        self.queue_url = queue_url
        self.max_concurrency = whole("max_concurrency", max_concurrency, low=1, high=64)
        self.idle_timeout_s = number("idle_timeout_s", idle_timeout_s, low=0.0, high=3600.0)
        self._allow_real_aws = allow_real_aws
        self._environments: list[_Environment] = []
        self._lock = threading.Lock()
        self._next_id = 1
        self.environments_started = 0
        self.environments_stopped = 0

    # public ------------------------------------------------------------------------------
    def start(self) -> LocalLambdaRuntime:
        localaws.check_target(allow_real_aws=self._allow_real_aws or None)
        import boto3

        self._sqs = boto3.client("sqs")
        self._start_thread("local-lambda-runtime")
        return self

    def close(self) -> None:
        """Stop polling and shut every environment down (no process is left behind)."""
        self._stop_thread()
        with self._lock:
            environments, self._environments = self._environments, []
        for environment in environments:
            environment.stop()
            self.environments_stopped += 1

    @property
    def warm_environments(self) -> int:
        """Environments alive right now (busy or idle)."""
        with self._lock:
            return len(self._environments)

    def processes(self) -> list[multiprocessing.process.BaseProcess]:
        with self._lock:
            return [e.process for e in self._environments]

    def wait_until_idle(self, timeout_s: float = 60.0) -> float:
        """Block until every environment has been shut down for idleness; return seconds waited."""
        timeout_s = number("timeout_s", timeout_s, low=0.0)
        started = time.monotonic()
        while self.warm_environments:
            if self._failure is not None or time.monotonic() - started > timeout_s:
                raise TimeoutError(f"{self.warm_environments} environments still warm after "
                                   f"{timeout_s:g} s")
            time.sleep(_POLL_PAUSE_S)
        return time.monotonic() - started

    # the loop ----------------------------------------------------------------------------
    def _loop(self) -> None:
        while not self._stop.is_set():
            self._reap_idle()
            with self._lock:
                busy = [e for e in self._environments if e.busy is not None]
            free = self.max_concurrency - len(busy)
            received = 0
            if free > 0:
                messages = self._sqs.receive_message(
                    QueueUrl=self.queue_url, MaxNumberOfMessages=min(10, free),
                    WaitTimeSeconds=0,
                    VisibilityTimeout=int(self.config.timeout_s) + 30).get("Messages", [])
                received = len(messages)
                for message in messages:
                    self._dispatch(message)
            with self._lock:
                busy = [e for e in self._environments if e.busy is not None]
            if busy:
                for conn in wait([e.conn for e in busy], timeout=_POLL_PAUSE_S):
                    self._collect(next(e for e in busy if e.conn is conn))
                self._enforce_timeouts(busy)
            elif not received:
                time.sleep(_POLL_PAUSE_S)

    def _dispatch(self, message: dict) -> None:
        event = events_in_message(message["Body"])
        if event is None:
            self._sqs.delete_message(QueueUrl=self.queue_url,
                                     ReceiptHandle=message["ReceiptHandle"])
            return
        with self._lock:
            idle = [e for e in self._environments if e.busy is None]
        # reuse the most recently used environment, so surplus ones can go idle and be reaped
        environment = max(idle, key=lambda e: e.last_used) if idle else self._new_environment()
        request_id = str(uuid.uuid4())
        environment.busy = {"request_id": request_id, "event": event, "message": message,
                            "cold": not environment.ready, "sent": time.monotonic()}
        environment.conn.send((request_id, event))

    def _new_environment(self) -> _Environment:
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_environment_main, args=(child, self.config),
                                   name=f"{self.config.name}-env-{self._next_id}", daemon=True)
        created_s = time.time()
        process.start()
        child.close()
        environment = _Environment(self._next_id, process, parent, created_s=created_s,
                                   last_used=time.monotonic())
        self._next_id += 1
        self.environments_started += 1
        with self._lock:
            self._environments.append(environment)
        return environment

    def _collect(self, environment: _Environment) -> None:
        try:
            message = environment.conn.recv()
        except (EOFError, OSError):
            self._fail(environment, "the execution environment exited unexpectedly")
            return
        kind = message[0]
        if kind == "ready":
            environment.ready = True
            environment.init_ms = message[1]
            environment.start_ms = max(0.0, (message[2] - environment.created_s) * 1000.0)
        elif kind == "init_error":
            self._fail(environment, f"INIT failed: {message[1]}")
        elif kind == "done":
            _, request_id, result, error, duration_ms, peak_rss_mb = message
            self._finish(environment, result, error, duration_ms, peak_rss_mb)

    def _finish(self, environment: _Environment, result, error, duration_ms: float,
                peak_rss_mb: float) -> None:
        request = environment.busy
        assert request is not None
        cold = request["cold"]
        event = request["event"]
        invocation = Invocation(
            request_id=request["request_id"], design=LAMBDA,
            environment_id=environment.environment_id, cold=cold,
            start_ms=environment.start_ms if cold else 0.0,
            init_ms=environment.init_ms if cold else 0.0, duration_ms=duration_ms,
            uploaded_s=event_time_s(event), finished_s=time.time(),
            records=len(event["Records"]), result=result, error=error, peak_rss_mb=peak_rss_mb)
        # Lambda retries a failed asynchronous event twice, then hands it to a dead-letter
        # destination; this runtime records the error and deletes the message instead.
        self._sqs.delete_message(QueueUrl=self.queue_url,
                                 ReceiptHandle=request["message"]["ReceiptHandle"])
        environment.busy = None
        environment.last_used = time.monotonic()
        self._record(invocation)

    def _fail(self, environment: _Environment, reason: str) -> None:
        """Record the request in progress as failed and discard the environment."""
        request = environment.busy
        with self._lock:
            if environment in self._environments:
                self._environments.remove(environment)
        environment.stop(force=True)
        self.environments_stopped += 1
        if request is None:
            return
        event = request["event"]
        self._sqs.delete_message(QueueUrl=self.queue_url,
                                 ReceiptHandle=request["message"]["ReceiptHandle"])
        self._record(Invocation(
            request_id=request["request_id"], design=LAMBDA,
            environment_id=environment.environment_id, cold=request["cold"], start_ms=0.0,
            init_ms=0.0, duration_ms=(time.monotonic() - request["sent"]) * 1000.0,
            uploaded_s=event_time_s(event), finished_s=time.time(),
            records=len(event["Records"]), result=None, error=reason, peak_rss_mb=math.nan))

    def _enforce_timeouts(self, busy: Iterable[_Environment]) -> None:
        now = time.monotonic()
        for environment in busy:
            if environment.busy is None or not environment.ready:
                continue
            if now - environment.busy["sent"] > self.config.timeout_s + environment.init_ms / 1e3:
                self._fail(environment, f"Task timed out after {self.config.timeout_s:g} s")

    def _reap_idle(self) -> None:
        now = time.monotonic()
        with self._lock:
            expired = [e for e in self._environments
                       if e.busy is None and now - e.last_used >= self.idle_timeout_s]
        for environment in expired:  # only this thread dispatches, so none is picked meanwhile
            environment.stop()
            with self._lock:
                self._environments.remove(environment)
            self.environments_stopped += 1


class AlwaysOnWorker(_Design):
    """The same handler as ``processes`` long-running workers polling ``queue_url`` (EC2 way).

    :meth:`start` boots the workers and waits until each has run its INIT, before any upload: on
    a server that time is spent once, at boot, and is on no request's path. ``boot_ms`` holds
    each worker's start + INIT time.
    """

    def __init__(self, config: FunctionConfig, queue_url: str, *, processes: int = 1,
                 allow_real_aws: bool = False) -> None:
        super().__init__()
        self.config = config
        self.queue_url = queue_url
        self.process_count = whole("processes", processes, low=1, high=64)
        self._allow_real_aws = allow_real_aws
        self._workers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
        self.boot_ms: list[float] = []

    def start(self, timeout_s: float = 60.0) -> AlwaysOnWorker:
        localaws.check_target(allow_real_aws=self._allow_real_aws or None)
        booted_s = time.time()
        try:
            for worker_id in range(1, self.process_count + 1):
                parent, child = _CONTEXT.Pipe()
                process = _CONTEXT.Process(
                    target=_always_on_main, args=(child, self.config, self.queue_url, worker_id),
                    name=f"{self.config.name}-worker-{worker_id}", daemon=True)
                process.start()
                child.close()
                self._workers.append((process, parent))
            for _process, conn in self._workers:
                if not conn.poll(timeout_s):
                    raise TimeoutError(f"a worker did not boot within {timeout_s:g} s")
                message = conn.recv()
                if message[0] != "ready":
                    raise RuntimeError(f"a worker failed to boot: {message[1]}")
                _, init_ms, init_started_s = message
                self.boot_ms.append((init_started_s - booted_s) * 1000.0 + init_ms)
        except BaseException:
            self.close()
            raise
        self._start_thread("always-on-collector")
        return self

    def _loop(self) -> None:
        conns = [conn for _process, conn in self._workers]
        while not self._stop.is_set() and conns:
            for conn in cast(list[Connection], wait(conns, timeout=_POLL_PAUSE_S)):
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    conns.remove(conn)
                    continue
                if message[0] == "done":
                    self._record(message[1])

    def close(self) -> None:
        """Stop the collector and every worker process."""
        self._stop_thread()
        workers, self._workers = self._workers, []
        for _process, conn in workers:
            with contextlib.suppress(OSError, ValueError):
                conn.send(None)
        for process, conn in workers:
            process.join(_STOP_GRACE_S)
            if process.is_alive():
                process.terminate()
                process.join()
            conn.close()

    def processes(self) -> list[multiprocessing.process.BaseProcess]:
        return [process for process, _conn in self._workers]


# --- what the measurements say ----------------------------------------------------------------

def summarise(invocations: Sequence[Invocation]) -> dict[str, float]:
    """Counts and mean times (ms) of a run, split into cold and warm invocations.

    ``throughput_per_s`` is events handled per second between the first upload and the last
    result.
    """
    if not invocations:
        raise InputError("invocations", invocations, "is empty",
                         Allowed(text="at least one Invocation"))
    cold = [i for i in invocations if i.cold]
    warm = [i for i in invocations if not i.cold]

    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else math.nan

    finished = [i.latency_ms for i in invocations]
    span_s = max(i.finished_s for i in invocations) - min(i.uploaded_s for i in invocations)
    return {
        "events": float(len(invocations)),
        "cold_starts": float(len(cold)),
        "errors": float(sum(1 for i in invocations if i.error)),
        "environments": float(len({i.environment_id for i in invocations})),
        "cold_start_ms": mean([i.start_ms for i in cold]),
        "cold_init_ms": mean([i.init_ms for i in cold]),
        "cold_duration_ms": mean([i.duration_ms for i in cold]),
        "warm_duration_ms": mean([i.duration_ms for i in warm]),
        "cold_latency_ms": mean([i.latency_ms for i in cold]),
        "warm_latency_ms": mean([i.latency_ms for i in warm]),
        "mean_latency_ms": mean(finished),
        "max_latency_ms": max(finished),
        "throughput_per_s": len(invocations) / span_s if span_s > 0 else math.inf,
        "peak_rss_mb": max((i.peak_rss_mb for i in invocations if not math.isnan(i.peak_rss_mb)),
                           default=math.nan),
    }


