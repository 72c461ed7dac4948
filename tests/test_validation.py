"""The shared validators: messages name the parameter, the value and what is allowed."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ec2vslambda import pricing
from ec2vslambda.validation import (
    Allowed,
    InputError,
    choice,
    figure,
    flag,
    invalid_values,
    number,
    range_text,
    whole,
)
from ec2vslambda.words import speaking


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


def test_no_refusal_in_the_package_is_a_bare_value_error():
    """Every refusal the package raises carries its parts: an InputError (or a DataError for a
    bad data file), never a hand-formatted ValueError that a front end would have to parse.
    ``words.py`` is the exception: the translation machinery under validation itself."""
    import ast
    from pathlib import Path

    package = Path(pricing.__file__).parent
    bare = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "words.py":
            continue
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                        and getattr(node.exc.func, "id", None) == "ValueError":
                    bare.append(f"{path.relative_to(package)}: {function.name}")
    assert bare == ["data.py: _parse_number"], bare  # caught where it is called


def test_allowed_is_data_a_front_end_can_word():
    allowed = Allowed(128, 10_240, whole=True)
    assert allowed.as_dict() == {"text": "whole numbers 128 to 10,240", "low": 128,
                                 "high": 10_240, "whole": True}
    assert Allowed(0, 1, low_open=True).as_dict()["low_open"] is True
    with speaking({"{low} to {high}": "{low}~{high}", "whole numbers {range}": "정수 {range}"}):
        assert allowed.words() == "정수 128~10,240"
    assert str(Allowed(options=("a", "b"), text="one of: {options}")) == "one of: a, b"


@pytest.mark.parametrize("allowed", [Allowed(0, 10), Allowed(1, None, whole=True),
                                     Allowed(0, 1, low_open=True), Allowed(None, 5),
                                     Allowed(options=("x86_64", "arm64"))])
def test_invalid_values_are_refused_and_their_neighbours_are_not(allowed):
    bad = invalid_values(allowed)
    assert bad
    for value in bad:
        with pytest.raises(InputError):
            allowed.check("v", value)
    good = allowed.options[0] if allowed.options else (allowed.high if allowed.high is not None
                                                      else allowed.low)
    assert allowed.check("v", good) == good


def test_a_huge_integer_is_not_a_finite_number_and_its_message_stays_short():
    with pytest.raises(InputError, match=r"^n=1\.00e\+400 is not a finite number") as caught:
        number("n", 10 ** 400)
    assert len(str(caught.value)) < 80
    assert figure(-12_345.0, minus="\N{MINUS SIGN}") == "\N{MINUS SIGN}12,345"


def test_a_refusal_about_a_combination_names_the_inputs_it_involves():
    error = InputError("peak", 1, "is below the average load", Allowed(5, None),
                       involves=("requests",), details={})
    renamed = error.renamed({"peak": "peak_rps", "requests": "requests_per_month"})
    assert (renamed.name, renamed.involves) == ("peak_rps", ("requests_per_month",))
    assert renamed.parts["involves"] == ["requests_per_month"]


def test_a_problem_template_is_filled_in_each_language():
    error = InputError("memory_mb", 777, "was not measured for {runtime}", Allowed(options=(128,)),
                       details={"runtime": "java21"})
    assert str(error) == "memory_mb=777 was not measured for java21; allowed: 128"
    with speaking({"was not measured for {runtime}": "{runtime}: 측정하지 않음"}):
        assert error.problem_words() == "java21: 측정하지 않음"
