"""Every live calculator answers every input at once: a result, or a refusal naming the input.

A reader can type anything into a field (or a page can send it). For every calculator, every
field and a list of hostile values, :func:`ec2vslambda.live.compute` must return plain JSON or
raise an :class:`~ec2vslambda.validation.InputError` that names that field (for a refusal of a
combination of inputs, among the inputs it involves), within one second. A timer interrupts a
value that takes longer (in CPU time) and fails the test, rather than waiting for a hang.

Then random valid inputs (hypothesis), and values just outside each declared range, generated
from the declarations themselves (:func:`ec2vslambda.validation.invalid_values`).
"""

from __future__ import annotations

import contextlib
import json
import math
import signal
import time

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ec2vslambda import live
from ec2vslambda.validation import InputError, invalid_values

NAMES = live.names()
FIELDS = [(name, field.key) for name in NAMES for field in live.calculator(name).fields]
DEADLINE_S = 1.0
HOSTILE = (0, -1, 1e12, 1e308, math.nan, math.inf, -math.inf, "", "abc", None, True, 10 ** 400)

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"),
                                reason="needs signal.setitimer (a POSIX timer)")


class TooSlow(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: float, what: str):
    """Interrupt the block after ``seconds`` of this process's CPU time (``ITIMER_PROF``,
    ``SIGPROF``) and fail: a hang fails, it is not waited for. CPU time, not the wall clock, so
    that other work on a shared machine does not fail the test while a loop that never ends
    still does."""
    def interrupt(signum, frame):
        raise TooSlow(f"{what} took more than {seconds} s")

    previous = signal.signal(signal.SIGPROF, interrupt)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    started = time.process_time()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    assert time.process_time() - started < seconds, f"{what} took too long"


def answer(name: str, inputs: dict) -> dict | InputError:
    """The calculator's result (checked to be plain JSON) or its refusal, within the deadline."""
    with deadline(DEADLINE_S, f"{name} on {inputs!r:.200}"):
        try:
            result = live.compute(name, inputs)
        except InputError as error:
            return error
    text = json.dumps(result, allow_nan=False)  # raises on NaN or infinity
    assert json.loads(text) == result
    return result


def refers_to(error: InputError, key: str) -> bool:
    return key in (error.name, *error.involves)


def hostile_values(field: live.Field) -> list:
    values = list(HOSTILE)
    if field.minimum is not None:
        values.append(field.minimum - 1)
    if field.maximum is not None:
        values.append(field.maximum + 1)
    return values


@pytest.mark.parametrize(("name", "key"), FIELDS, ids=[f"{n}.{k}" for n, k in FIELDS])
def test_every_hostile_value_is_answered_or_refused_by_name_within_a_second(name, key):
    field = next(f for f in live.calculator(name).fields if f.key == key)
    for value in hostile_values(field):
        outcome = answer(name, {key: value})
        if isinstance(outcome, InputError):
            assert refers_to(outcome, key), f"{name}: {key}={value!r} refused as {outcome}"


def test_the_timer_fails_a_hang():
    with pytest.raises(TooSlow), deadline(0.05, "a loop that never ends"):
        while True:
            pass


@pytest.mark.parametrize(("name", "key"), FIELDS, ids=[f"{n}.{k}" for n, k in FIELDS])
def test_values_just_outside_the_declared_range_are_refused_by_name(name, key):
    """Generated from the field's declaration, as scikit-learn's
    ``generate_invalid_param_val`` does from a parameter's constraints."""
    field = next(f for f in live.calculator(name).fields if f.key == key)
    values = invalid_values(field.allowed)
    assert values, f"{name}.{key} declares nothing to refuse"
    for value in values:
        outcome = answer(name, {key: value})
        assert isinstance(outcome, InputError) and outcome.name == key, (
            f"{name}: {key}={value!r} gave {outcome!r:.200}")


def valid_value(field: live.Field):
    """A strategy of values the field's declaration allows."""
    allowed = field.allowed
    if field.kind == "flag":
        return st.booleans()
    if field.kind == "choice":
        return st.sampled_from(field.options)
    low = allowed.low if allowed.low is not None else -1e15
    high = allowed.high if allowed.high is not None else 1e15
    if field.kind == "integer":
        return st.integers(math.ceil(low) + allowed.low_open, math.floor(high))
    return st.floats(low, high, exclude_min=allowed.low_open, allow_nan=False,
                     allow_infinity=False)


@pytest.mark.parametrize("name", NAMES)
def test_random_valid_inputs_give_plain_json_within_a_second(name):
    fields = live.calculator(name).fields
    inputs = st.fixed_dictionaries({f.key: valid_value(f) for f in fields})

    # no "explain" phase: on Python before 3.12 it traces every line the calculator runs,
    # which makes a simulation ten times slower than a reader's browser would see it
    @settings(max_examples=20, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow],
              phases=[p for p in Phase if p is not Phase.explain])
    @given(inputs)
    def check(values):
        outcome = answer(name, values)
        if isinstance(outcome, InputError):  # a combination the model refuses, by name
            assert {outcome.name, *outcome.involves} & set(values), outcome

    check()


def _workload(**changes):
    from ec2vslambda import decide

    return decide.Workload(**{"requests_per_month": 1_000_000, "duration_ms": 100.0,
                              "peak_concurrency": 5, **changes})


def _assumptions(**changes):
    from ec2vslambda import decide

    return decide.Assumptions(**changes)


def _needs(**changes):
    from ec2vslambda import limits

    return limits.WorkloadNeeds(**{"duration_ms": 100.0, "memory_mb": 512, "payload_mb": 0.1,
                                   "invocation": "sync", "tmp_mb": 0, "peak_concurrency": 1,
                                   "needs_state": False, "latency_target_ms": None, **changes})


def _model_declarations():
    from ec2vslambda import decide, limits

    needs = {k: v for k, v in limits.NEEDS.items() if k != "init_ms"}
    return ([(_workload, key, allowed) for key, allowed in decide.WORKLOAD.items()]
            + [(_assumptions, key, allowed) for key, allowed in decide.ASSUMPTIONS.items()]
            + [(_needs, key, allowed) for key, allowed in needs.items()])


@pytest.mark.parametrize(("make", "key", "allowed"), _model_declarations(),
                         ids=lambda v: getattr(v, "__name__", None) or str(v)[:20])
def test_the_models_refuse_what_their_declarations_refuse(make, key, allowed):
    """The same declarations the forms read, checked where the model takes its inputs."""
    for value in invalid_values(allowed):
        with pytest.raises(InputError) as caught:
            make(**{key: value})
        assert caught.value.name == key, caught.value
