"""The shared validators: messages name the parameter, the value and what is allowed."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ec2vslambda import pricing
from ec2vslambda.validation import InputError, choice, flag, number, range_text, whole


@pytest.mark.parametrize(("call", "message"), [
    (lambda: number("duration_ms", -5, low=0, high=900_000),
     "duration_ms=-5 is out of range; allowed: 0 to 900,000"),
    (lambda: number("rate", "fast"), "rate='fast' is not a number; allowed: 0 or more"),
    (lambda: number("rate", True), "rate=True is not a number; allowed: 0 or more"),
    (lambda: number("rate", math.nan), "rate=nan is not a finite number; allowed: 0 or more"),
    (lambda: number("rate", math.inf, what="a rate above 0"),
     "rate=inf is not a finite number; allowed: a rate above 0"),
    (lambda: number("x", 11, low=None, high=10), "x=11 is out of range; allowed: at most 10"),
    (lambda: whole("count", 2.5, low=1), "count=2.5 is not a whole number; allowed: whole "
     "numbers 1 or more"),
    (lambda: choice("arch", "sparc", ("x86_64", "arm64")),
     "arch='sparc' is not allowed; allowed: x86_64, arm64"),
    (lambda: flag("free_tier", 1), "free_tier=1 is not allowed; allowed: True, False"),
])
def test_messages_say_parameter_value_and_what_is_allowed(call, message):
    with pytest.raises(InputError) as caught:
        call()
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)
    assert caught.value.name == message.split("=", 1)[0]


def test_good_values_come_back_in_their_working_type():
    assert number("x", 3) == 3.0 and isinstance(number("x", 3), float)
    assert whole("n", 4.0) == 4 and isinstance(whole("n", 4.0), int)
    assert choice("c", "a", ["a", "b"]) == "a"
    assert flag("f", False) is False
    assert range_text(None, None) == "any finite number"


def test_the_package_raises_the_shared_error():
    with pytest.raises(InputError, match="memory_mb=64 is out of range"):
        pricing.lambda_cost(1, 1, 64)


@given(st.floats(allow_nan=False, allow_infinity=False), st.floats(0, 1e6), st.floats(0, 1e6))
def test_number_accepts_exactly_the_closed_range(value, a, b):
    low, high = min(a, b), max(a, b)
    if low <= value <= high:
        assert number("v", value, low=low, high=high) == value
    else:
        with pytest.raises(InputError, match="is out of range"):
            number("v", value, low=low, high=high)
