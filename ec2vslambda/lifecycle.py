"""How EC2 instances and Lambda execution environments live and die, as small runnable models.

Lambda
------
:class:`LambdaModel` is a tiny in-process model of the execution environments behind one
function. The function's code is an ordinary Python callable, a *module*: calling it runs the
"module-level" code (the INIT phase) and returns the handler, a closure over that code's local
variables. Those variables play the part of a real module's globals:

* INIT runs once per execution environment, when the environment is created (a cold start);
* global state and ``/tmp`` survive from one warm invocation to the next in the same environment;
* a second concurrent request needs a second environment, with its own INIT and its own globals;
* everything vanishes when the environment is shut down: after it has been idle for a while
  (``keep_alive_ms``, which AWS neither documents nor guarantees: the model's value is an
  assumption), when it reaches ``max_lifetime_ms`` (AWS recycles environments every few hours
  even under steady traffic), or after a deploy, which retires the old version's environments.

Time is simulated: each invocation says when it arrives and how long its handler runs, so runs
are deterministic. Which warm environment serves a request is not documented by AWS; the model
takes the one used most recently.

EC2
---
:data:`EC2_STATES` and :data:`EC2_TRANSITIONS` describe an instance's lifecycle states and the
actions that move it between them, with whether AWS bills the instance in each state.
:func:`draw_ec2_state_diagram` and :func:`draw_timeline` draw both models with matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from . import bounds
from . import data as _data
from .validation import PROBLEMS, Allowed, InputError, number, whole
from .words import say, term, word

__all__ = ["EC2_STATES", "EC2_TRANSITIONS", "PHASE_COLOURS", "PHASE_WORDS", "Ec2State",
           "ExecutionEnvironment", "Handler", "Invocation", "InvokeContext", "LambdaModel",
           "Module", "Segment", "concurrency_needed", "demo_module", "draw_ec2_state_diagram",
           "draw_ec2_states", "draw_environments", "draw_timeline", "max_environments_after",
           "poisson_cold_start_ratio", "poisson_kept_share", "seconds_to_reach", "segments_data"]

_MODULE = "a function that takes the environment and returns a handler"

Handler = Callable[[object, "InvokeContext"], object]
Module = Callable[["ExecutionEnvironment"], Handler]


# --- Lambda execution environments -----------------------------------------------------------

@dataclass
class InvokeContext:
    """What the handler receives besides the event (a small cut of Lambda's context object)."""

    request_id: int
    env_id: int
    version: int
    tmp: dict[str, object]  # this environment's /tmp: files as name -> content


@dataclass
class ExecutionEnvironment:
    """One execution environment: the INIT'd module, its /tmp and its timing."""

    env_id: int
    version: int
    created_ms: float
    init_ms: float
    handler: Handler | None = None
    tmp: dict[str, object] = field(default_factory=dict)
    busy_until_ms: float = 0.0
    last_used_ms: float = 0.0
    invocations: int = 0
    shutdown_ms: float | None = None
    shutdown_reason: str = ""

    @property
    def alive(self) -> bool:
        return self.shutdown_ms is None


@dataclass(frozen=True)
class Invocation:
    """The record of one request."""

    request_id: int
    at_ms: float  # arrival
    env_id: int | None  # None when throttled
    version: int
    cold: bool
    init_ms: float  # INIT paid by this request (0 when warm)
    start_ms: float  # handler start
    end_ms: float  # handler end
    result: object

    @property
    def latency_ms(self) -> float:
        return self.end_ms - self.at_ms

    @property
    def throttled(self) -> bool:
        return self.env_id is None


@dataclass(frozen=True)
class Segment:
    """One bar of a lifecycle timeline."""

    env_id: int
    phase: str  # "init", "invoke", "frozen" or "shutdown"
    start_ms: float
    end_ms: float
    label: str = ""


class LambdaModel:
    """Execution environments of one function, driven by timed invocations.

    Parameters
    ----------
    module: the function's code; called once per environment (INIT), returns the handler.
    init_ms: how long INIT takes (simulated), ms.
    keep_alive_ms: an idle environment is shut down once idle this long. An assumption: AWS
        keeps idle environments for an undocumented, non-deterministic time.
    max_lifetime_ms: an environment is retired once this old (``None``: never).
    concurrency_limit: most environments at once; further requests are throttled. Defaults to
        the account's default concurrency from ``lambda_limits.csv``.
    """

    def __init__(self, module: Module, *, init_ms: float = 200.0,
                 keep_alive_ms: float = 600_000.0, max_lifetime_ms: float | None = None,
                 concurrency_limit: int | None = None):
        if not callable(module):
            raise InputError("module", module, "is not callable", Allowed(text=_MODULE))
        self._module = module
        self.init_ms = bounds.INIT_MS.check("init_ms", init_ms)
        self.keep_alive_ms = number("keep_alive_ms", keep_alive_ms)
        self.max_lifetime_ms = (None if max_lifetime_ms is None
                                else number("max_lifetime_ms", max_lifetime_ms, low=1.0))
        default_limit = _data.limit_value("concurrency_default")
        self.concurrency_limit = whole("concurrency_limit", concurrency_limit
                                        if concurrency_limit is not None else default_limit,
                                        low=1)
        self.version = 1
        self.environments: list[ExecutionEnvironment] = []
        self.invocations: list[Invocation] = []
        self._clock_ms = 0.0
        self._deployed_ms = 0.0

    # -- time and housekeeping
    def _advance(self, at_ms: object) -> float:
        given = at_ms
        at_ms = number("at_ms", at_ms)
        if at_ms < self._clock_ms:
            raise InputError("at_ms", given, PROBLEMS["range"], Allowed(
                self._clock_ms, None,
                text=f"{self._clock_ms:g} or later (events must arrive in time order)"))
        self._clock_ms = at_ms
        for env in self.environments:
            if not env.alive or env.busy_until_ms > at_ms:
                continue
            idle_since = max(env.last_used_ms, env.busy_until_ms)
            if env.version != self.version:
                env.shutdown_ms = max(idle_since, self._deployed_ms)
                env.shutdown_reason = "new version deployed"
            elif at_ms - idle_since >= self.keep_alive_ms:
                env.shutdown_ms, env.shutdown_reason = idle_since + self.keep_alive_ms, "idle"
            elif self.max_lifetime_ms is not None and at_ms - env.created_ms >= \
                    self.max_lifetime_ms:
                env.shutdown_ms = max(idle_since, env.created_ms + self.max_lifetime_ms)
                env.shutdown_reason = "recycled"
        return at_ms

    def live_environments(self) -> list[ExecutionEnvironment]:
        return [e for e in self.environments if e.alive]

    # -- the three things that happen to a function
    def invoke(self, at_ms: float, event: object = None, *,
               duration_ms: float = 50.0) -> Invocation:
        """A request arrives at ``at_ms``; its handler runs for ``duration_ms`` (simulated)."""
        at_ms = self._advance(at_ms)
        duration_ms = bounds.DURATION_MS.check("duration_ms", duration_ms)
        request_id = len(self.invocations) + 1
        idle = [e for e in self.live_environments()
                if e.version == self.version and e.busy_until_ms <= at_ms]
        if idle:
            env = max(idle, key=lambda e: (e.last_used_ms, e.env_id))
            cold, init_ms, start = False, 0.0, at_ms
        elif len([e for e in self.live_environments() if e.busy_until_ms > at_ms]) \
                >= self.concurrency_limit:
            record = Invocation(request_id, at_ms, None, self.version, False, 0.0, at_ms, at_ms,
                                "throttled (429): concurrency limit reached")
            self.invocations.append(record)
            return record
        else:
            env = ExecutionEnvironment(env_id=len(self.environments) + 1, version=self.version,
                                       created_ms=at_ms, init_ms=self.init_ms)
            self.environments.append(env)
            env.handler = self._module(env)  # INIT: the module-level code runs here, once
            cold, init_ms, start = True, self.init_ms, at_ms + self.init_ms
        context = InvokeContext(request_id, env.env_id, env.version, env.tmp)
        if env.handler is None:  # every environment runs INIT before its first request
            raise RuntimeError(f"environment {env.env_id} has no handler")
        result = env.handler(event, context)
        end = start + duration_ms
        env.busy_until_ms = end
        env.last_used_ms = end
        env.invocations += 1
        record = Invocation(request_id, at_ms, env.env_id, env.version, cold, init_ms, start, end,
                            result)
        self.invocations.append(record)
        return record

    def deploy(self, at_ms: float, module: Module | None = None) -> int:
        """Publish new code (or a configuration change): later requests need new environments."""
        if module is not None and not callable(module):
            raise InputError("module", module, "is not callable", Allowed(text=_MODULE))
        self._deployed_ms = self._advance(at_ms)
        self.version += 1
        if module is not None:
            self._module = module
        self._advance(at_ms)  # retire the old version's idle environments now
        return self.version

    def finish(self, at_ms: float) -> None:
        """Advance the clock to ``at_ms`` so that environments idle by then are shut down."""
        self._advance(at_ms)

    # -- what happened
    def segments(self, until_ms: float | None = None) -> list[Segment]:
        """Timeline bars for every environment: INIT, each invoke, frozen gaps, shutdown."""
        end_of_time = self._clock_ms if until_ms is None else float(until_ms)
        bars: list[Segment] = []
        for env in self.environments:
            mine = [r for r in self.invocations if r.env_id == env.env_id]
            if env.init_ms:
                bars.append(Segment(env.env_id, "init", env.created_ms,
                                    env.created_ms + env.init_ms, f"v{env.version}"))
            cursor = env.created_ms + env.init_ms
            for r in mine:
                if r.start_ms > cursor:
                    bars.append(Segment(env.env_id, "frozen", cursor, r.start_ms))
                bars.append(Segment(env.env_id, "invoke", r.start_ms, r.end_ms,
                                    f"#{r.request_id}"))
                cursor = r.end_ms
            stop = env.shutdown_ms if env.shutdown_ms is not None else end_of_time
            if stop > cursor:
                bars.append(Segment(env.env_id, "frozen", cursor, stop))
            if env.shutdown_ms is not None:
                bars.append(Segment(env.env_id, "shutdown", env.shutdown_ms, env.shutdown_ms,
                                    env.shutdown_reason))
        return bars


def demo_module(env: ExecutionEnvironment) -> Handler:
    """The chapter's demonstration function.

    Everything before ``def handler`` is module-level code: it runs during INIT, once per
    execution environment. ``client`` stands for an SDK client or database connection built
    at INIT and reused; ``invocations_seen`` is global state that lives as long as the
    environment does.
    """
    client = {"built_in_env": env.env_id, "calls": 0}  # created once per environment
    invocations_seen: list[int] = []

    def handler(event: object, context: InvokeContext) -> dict[str, object]:
        invocations_seen.append(context.request_id)
        client["calls"] += 1
        cached = "cache.json" in context.tmp
        context.tmp.setdefault("cache.json", f"written by request {context.request_id}")
        return {"env": context.env_id, "global_count": len(invocations_seen),
                "client_calls": client["calls"], "tmp_hit": cached}

    return handler


# --- concurrency and scaling --------------------------------------------------------------------

def poisson_cold_start_ratio(rate_per_s: float, keep_alive_s: float) -> float:
    """Cold-start share of a Poisson stream whose requests are short next to the gaps.

    Also :func:`ec2vslambda.keepalive.poisson_cold_start_ratio`, where lab 1 uses it.

    One environment suffices; a request is cold when the gap since the previous one exceeds the
    keep-alive, which for exponential gaps happens with probability ``exp(-rate × keep_alive)``.
    """
    rate_per_s = number("rate_per_s", rate_per_s)
    keep_alive_s = number("keep_alive_s", keep_alive_s)
    return math.exp(-rate_per_s * keep_alive_s)


def poisson_kept_share(rate_per_s: float, keep_alive_s: float) -> float:
    """Share of the time one environment is kept loaded for a Poisson stream of short requests.

    After each request the environment waits for the next one, or for the keep-alive, whichever
    comes first: ``E[min(gap, keep_alive)] = (1 - exp(-rate × keep_alive)) / rate`` per request,
    so over a long run the environment is loaded ``1 - exp(-rate × keep_alive)`` of the time,
    which is one minus :func:`poisson_cold_start_ratio`. Memory kept for nothing is that share
    of the time times the function's memory.
    """
    return 1.0 - poisson_cold_start_ratio(rate_per_s, keep_alive_s)


def concurrency_needed(requests_per_s: float, duration_ms: float) -> float:
    """Average concurrent executions for a steady request rate (Little's law: rate x duration)."""
    requests_per_s = number("requests_per_s", requests_per_s)
    duration_ms = number("duration_ms", duration_ms,
                          high=_data.limit_value("timeout_max") * 1000.0)
    return requests_per_s * duration_ms / 1000.0


def max_environments_after(seconds: float, *, account_limit: int | None = None) -> int:
    """Most execution environments one function can have ``seconds`` into a burst from zero.

    Lambda adds up to ``scaling_rate`` environments per function every 10 seconds (both from
    ``lambda_limits.csv``), capped by the account's concurrency limit. The model counts whole
    10-second steps, with the first step available at once.
    """
    seconds = number("seconds", seconds)
    limit = whole("account_limit", account_limit if account_limit is not None
                   else _data.limit_value("concurrency_default"), low=1)
    rate = _data.limit_value("scaling_rate")
    steps = math.floor(seconds / 10.0) + 1
    return int(min(limit, rate * steps))


def seconds_to_reach(environments: int, *, account_limit: int | None = None) -> float | None:
    """Seconds from a standing start until a function may run ``environments`` at once.

    ``None`` when the account limit is below the target (raise the limit first).
    """
    environments = whole("environments", environments, low=1)
    limit = whole("account_limit", account_limit if account_limit is not None
                   else _data.limit_value("concurrency_default"), low=1)
    if environments > limit:
        return None
    rate = _data.limit_value("scaling_rate")
    return 10.0 * (math.ceil(environments / rate) - 1)


# --- EC2 instance lifecycle ----------------------------------------------------------------------

@dataclass(frozen=True)
class Ec2State:
    name: str
    billed: str  # whether the instance itself is billed in this state
    position: tuple[float, float]  # where the diagram draws it


EC2_STATES: tuple[Ec2State, ...] = (
    Ec2State("pending", "no", (0.0, 1.0)),
    Ec2State("running", "yes", (1.5, 1.0)),
    Ec2State("stopping", "no (yes when hibernating)", (3.0, 1.75)),
    Ec2State("stopped", "no (EBS volumes still billed)", (4.5, 1.0)),
    Ec2State("shutting-down", "no", (3.0, 0.0)),
    Ec2State("terminated", "no", (4.5, 0.0)),
)

# (from, to, action); from=None is the launch.
EC2_TRANSITIONS: tuple[tuple[str | None, str, str], ...] = (
    (None, "pending", "launch (from an AMI)"),
    ("pending", "running", "boots"),
    ("running", "running", "reboot"),
    ("running", "stopping", "stop / hibernate"),
    ("stopping", "stopped", ""),
    ("stopped", "pending", "start"),
    ("running", "shutting-down", "terminate"),
    ("stopped", "shutting-down", "terminate"),
    ("shutting-down", "terminated", ""),
)


def draw_ec2_state_diagram(ax) -> None:
    """Draw the EC2 instance lifecycle on a matplotlib Axes."""
    pos = {s.name: s.position for s in EC2_STATES}
    colour = {"yes": "#f6c28b"}
    for s in EC2_STATES:
        billed = say("billed: {answer}", answer=word(s.billed.split(" (")[0]))
        ax.text(*s.position, f"{word(s.name)}\n{billed}", ha="center",
                va="center", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.5", fc=colour.get(s.billed, "#dbe9f6"),
                          ec="#333"))
    for source, target, action in EC2_TRANSITIONS:
        x1, y1 = pos[target]
        if source is None:
            x0, y0 = x1 - 0.9, y1 + 0.8
            ax.text(x0, y0 + 0.08, word(action), ha="center", fontsize=8, color="#333")
            ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                        arrowprops=dict(arrowstyle="->", shrinkA=0, shrinkB=24))
            continue
        else:
            x0, y0 = pos[source]
        if source == target:
            ax.annotate("", xy=(x1 + 0.15, y1 + 0.22), xytext=(x1 - 0.15, y1 + 0.22),
                        arrowprops=dict(arrowstyle="->", connectionstyle="arc3,rad=-1.6"))
            ax.text(x1, y1 + 0.62, word(action), ha="center", fontsize=8)
            continue
        bend = 0.6 if (source, target) == ("stopped", "pending") else 0.0
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops=dict(arrowstyle="->", shrinkA=24, shrinkB=24,
                                    connectionstyle=f"arc3,rad={bend}"))
        if action:
            mx, my = (x0 + x1) / 2, (y0 + y1) / 2
            if bend:  # the arc peaks half its control offset above the chord
                my += bend * abs(x1 - x0) / 2 + 0.02
            ax.text(mx, my + 0.08, word(action), ha="center", fontsize=8, color="#333")
    ax.set_xlim(-1.2, 5.4)
    ax.set_ylim(-0.5, 2.7)
    ax.axis("off")


PHASE_COLOURS = {"init": "#e4572e", "invoke": "#2e86ab", "frozen": "#d9d9d9"}
#: How a timeline's legend names each phase.
PHASE_WORDS = {"init": term("init"), "invoke": term("invoke"), "frozen": term("frozen")}


def draw_timeline(ax, segments: list[Segment], *, title: str = "") -> None:
    """Draw lifecycle segments: one row per execution environment, time in ms across."""
    from matplotlib.patches import Patch

    envs = sorted({s.env_id for s in segments})
    row = {e: i for i, e in enumerate(reversed(envs))}
    for s in segments:
        y = row[s.env_id]
        if s.phase == "shutdown":
            ax.plot([s.start_ms], [y], marker="X", color="black", markersize=9)
            ax.text(s.start_ms, y - 0.45, say("shut down: {reason}", reason=word(s.label)),
                    fontsize=7, ha="right")
            continue
        ax.barh(y, s.end_ms - s.start_ms, left=s.start_ms, height=0.5,
                color=PHASE_COLOURS[s.phase], edgecolor=PHASE_COLOURS[s.phase], linewidth=0.5)
    ax.set_yticks(list(row.values()), [say("env {number}", number=f"{e}") for e in row])
    ax.set_xlabel(word("time (ms)"))
    handles = [Patch(color=c, label=word(PHASE_WORDS[p])) for p, c in PHASE_COLOURS.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    ax.set_ylim(-0.8, len(envs) - 0.5)
    if title:
        ax.set_title(word(title))


def draw_ec2_states(title: str):
    """The EC2 state diagram as a figure of its own (the drawing ``ec2_states`` of
    :mod:`ec2vslambda.figures`)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4))
    draw_ec2_state_diagram(ax)
    ax.set_title(word(title))
    return fig


def segments_data(segments: list[Segment]) -> list[dict]:
    """Timeline segments as figure data (for :func:`draw_environments`)."""
    from dataclasses import asdict

    return [asdict(s) for s in segments]


def draw_environments(segments: list[dict], title: str, linear_below_ms: float | None = None):
    """A timeline of execution environments (:func:`draw_timeline`) as a figure of its own;
    time on a scale that is linear up to ``linear_below_ms`` and logarithmic after it."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 3.2))
    draw_timeline(ax, [Segment(**s) for s in segments], title=title)
    if linear_below_ms:
        ax.set_xscale("symlog", linthresh=linear_below_ms)
    return fig
