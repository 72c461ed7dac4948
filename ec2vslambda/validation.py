"""Input validation shared by every module of the package.

Each checker takes the parameter's name and value and either returns the value in its working
type or raises :class:`InputError`, whose message names the parameter, repeats the value and says
what is allowed::

    >>> number("duration_ms", -5, low=0, high=900_000)
    Traceback (most recent call last):
    ...
    ec2vslambda.validation.InputError: duration_ms=-5 is out of range; allowed: 0 to 900,000

:class:`InputError` subclasses :class:`ValueError`, so callers (the widgets, the live calculators
on the site) catch ``ValueError`` and show the message as it is. Standard library only: the same
code validates inputs in a notebook and in the reader's browser.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["InputError", "choice", "flag", "number", "range_text", "whole"]


class InputError(ValueError):
    """A parameter's value is not allowed. The message says which, what value and what is."""

    def __init__(self, name: str, value: object, problem: str, allowed: str):
        self.name = name
        self.value = value
        self.problem = problem
        self.allowed = allowed
        super().__init__(f"{name}={value!r} {problem}; allowed: {allowed}")


def range_text(low: float | None, high: float | None) -> str:
    """``0 to 900,000``, ``1 or more``, ``at most 10``: how an allowed range reads in a message."""
    if low is not None and high is not None:
        return f"{low:,g} to {high:,g}"
    if low is not None:
        return f"{low:,g} or more"
    if high is not None:
        return f"at most {high:,g}"
    return "any finite number"


def number(name: str, value: object, *, low: float | None = 0.0, high: float | None = None,
           what: str | None = None) -> float:
    """Check that ``value`` is a finite real number in ``[low, high]``; return it as ``float``.

    ``bool`` is refused (``True`` is not a duration). ``what`` replaces the generated description
    of the allowed range when the range alone would mislead (for example "a rate above 0").
    """
    allowed = what or range_text(low, high)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(name, value, "is not a number", allowed)
    result = float(value)
    if math.isnan(result) or math.isinf(result):
        raise InputError(name, value, "is not a finite number", allowed)
    if (low is not None and result < low) or (high is not None and result > high):
        raise InputError(name, value, "is out of range", allowed)
    return result


def whole(name: str, value: object, *, low: float | None = 0.0, high: float | None = None) -> int:
    """Check that ``value`` is a whole number in ``[low, high]``; return it as ``int``.

    ``3.0`` is accepted (a text box or JSON may send it), ``3.5`` is not.
    """
    result = number(name, value, low=low, high=high)
    if result != int(result):
        raise InputError(name, value, "is not a whole number",
                         f"whole numbers {range_text(low, high)}")
    return int(result)


def choice(name: str, value: object, allowed: Iterable[str]) -> str:
    """Check that ``value`` is one of ``allowed``; return it."""
    options = tuple(allowed)
    if value not in options:
        raise InputError(name, value, "is not allowed", ", ".join(options))
    return str(value)


def flag(name: str, value: object) -> bool:
    """Check that ``value`` is ``True`` or ``False`` (not 0, 1 or "yes")."""
    if not isinstance(value, bool):
        raise InputError(name, value, "is not allowed", "True, False")
    return value
