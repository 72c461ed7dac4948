"""Input validation shared by every module of the package.

Each checker takes the parameter's name and value and either returns the value in its working
type or raises :class:`InputError`, whose message names the parameter, repeats the value and says
what is allowed::

    >>> number("duration_ms", -5, low=0, high=900_000)
    Traceback (most recent call last):
    ...
    ec2vslambda.validation.InputError: duration_ms=-5 is out of range; allowed: 0 to 900,000

The error keeps its parts as data (:attr:`InputError.name`, ``value``, ``problem`` and
``allowed``, an :class:`Allowed`), so that a front end can word it in its own language without
reading the English back: :meth:`Allowed.words` says what is allowed in the active catalogue's
language (:mod:`ec2vslambda.words`), and each problem is a fixed phrase marked for translation.

:class:`InputError` subclasses :class:`ValueError`, so callers (the widgets, the live calculators
on the site) catch ``ValueError`` and show the message as it is. Standard library only: the same
code validates inputs in a notebook and in the reader's browser.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .words import say, speaking, term, word

__all__ = ["PROBLEMS", "Allowed", "InputError", "choice", "figure", "finite", "flag",
           "invalid_values", "number", "range_text", "shown", "text", "whole"]

#: The problems the checkers report, marked for translation (a front end shows ``word(problem)``).
PROBLEMS = {
    "range": term("is out of range"),
    "number": term("is not a number"),
    "finite": term("is not a finite number"),
    "whole": term("is not a whole number"),
    "option": term("is not allowed"),
}

#: Digits beyond which a message shows an integer in scientific form (10**400 has 401).
_LONGEST_INTEGER = 16
#: Characters of a text value a message repeats.
_LONGEST_TEXT = 60


def figure(value: float, minus: str = "-") -> str:
    """A bound or a value as a message writes it: ``10,240``, ``0.5``, ``1e+20``.

    Whole values below 10**15 keep every digit with thousands separators; others take the
    shortest ``g`` form. ``minus`` is the sign a negative number starts with."""
    if isinstance(value, int) and not isinstance(value, bool):
        size = abs(value)
        if size < 10 ** _LONGEST_INTEGER:
            text = f"{size:,}"
        else:  # str() of a huge int is slow, or refused past 4,300 digits; its size matters
            exponent = int(size.bit_length() * math.log10(2))
            exponent += size >= 10 ** (exponent + 1)
            exponent -= size < 10 ** exponent
            text = f"{size // 10 ** (exponent - 2) / 100:.2f}e+{exponent}"
        return (minus if value < 0 else "") + text
    number_ = float(value)
    if math.isfinite(number_) and number_.is_integer() and abs(number_) < 1e15:
        text = f"{int(abs(number_)):,}"
    else:
        text = f"{abs(number_):,g}" if math.isfinite(number_) else f"{abs(number_)}"
    return (minus if number_ < 0 else "") + text


def shown(value: object) -> str:
    """``value`` as a message repeats it: ``repr`` for most, short for huge integers and long
    text (the reader typed it; the message need not repeat it in full)."""
    if isinstance(value, int) and not isinstance(value, bool) \
            and abs(value) >= 10 ** _LONGEST_INTEGER:
        return figure(value).replace(",", "")
    if isinstance(value, str) and len(value) > _LONGEST_TEXT:
        return repr(value[:_LONGEST_TEXT] + "…")
    return repr(value)


@dataclass(frozen=True)
class Allowed:
    """What a parameter allows, as data: a closed range ``[low, high]`` (``low_open``: more
    than ``low``), whole numbers only, or one of ``options``. ``text`` describes it in English
    where that shape alone would mislead (marked with :func:`~ec2vslambda.words.term` where it
    is written, so that it can be translated)."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    whole: bool = False
    options: tuple[object, ...] = ()
    text: str = ""

    def words(self, minus: str = "-") -> str:
        """What is allowed, in the active catalogue's language."""
        if self.text:  # a phrase, or a template of the options ("regions with this price:
            options = ", ".join(map(str, self.options)) or word("none")  # {options}")
            return word(self.text).format(options=options) if "{options}" in self.text \
                else word(self.text)
        if self.options:
            return ", ".join(map(str, self.options))
        low = None if self.low is None else figure(self.low, minus)
        high = None if self.high is None else figure(self.high, minus)
        if low is not None and high is not None:
            span = (say("more than {low} up to {high}", low=low, high=high) if self.low_open
                    else say("{low} to {high}", low=low, high=high))
        elif low is not None:
            span = say("more than {low}", low=low) if self.low_open \
                else say("{low} or more", low=low)
        elif high is not None:
            span = say("at most {high}", high=high)
        else:
            return word("whole numbers") if self.whole else word("any finite number")
        return say("whole numbers {range}", range=span) if self.whole else span

    def __str__(self) -> str:
        with speaking(None):
            return self.words()

    def check(self, name: str, value: object) -> Any:
        """``value`` in its working type (``float``, ``int`` for whole numbers, the option
        itself), or :class:`InputError` naming ``name``: the one check behind every checker."""
        if self.options:
            for option in self.options:
                if option == value and isinstance(option, bool) == isinstance(value, bool):
                    return option
            raise InputError(name, value, PROBLEMS["option"], self)
        result = finite(name, value, self)
        if (self.low is not None and (result < self.low or self.low_open and result == self.low)
                or self.high is not None and result > self.high):
            raise InputError(name, value, PROBLEMS["range"], self)
        if self.whole:
            if result != int(result):
                raise InputError(name, value, PROBLEMS["whole"], self)
            return int(result)
        return result

    def but(self, **changes: object) -> Allowed:
        """A copy with ``changes`` (a narrower range, say)."""
        from dataclasses import replace

        return replace(self, **changes)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, object]:
        """The parts a front end needs to word it, and the English ``text``."""
        out: dict[str, object] = {"text": str(self)}
        for name in ("low", "high"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.low_open:
            out["low_open"] = True
        if self.whole:
            out["whole"] = True
        if self.options:
            out["options"] = list(self.options)
        return out


class InputError(ValueError):
    """A parameter's value is not allowed. The message says which, what value and what is.

    ``problem`` is a fixed English phrase (``is out of range``), marked for translation where
    it is written; ``allowed`` an :class:`Allowed` (or, rarely, an English phrase).
    """

    def __init__(self, name: str, value: object, problem: str, allowed: Allowed | str, *,
                 involves: Iterable[str] = (), details: Mapping[str, str] | None = None):
        self.name = name
        self.value = value
        self.problem = problem
        self.allowed = allowed
        #: the other parameters the refusal depends on, where it is about a combination (a
        #: peak below the average load): what is allowed for ``name`` is given them
        self.involves = tuple(involves)
        #: the values a problem written as a template names (``was not measured for
        #: {runtime}``), already formatted
        self.details = dict(details or {})
        super().__init__(f"{name}={shown(value)} {problem.format(**self.details)}; "
                         f"allowed: {self._said()}")

    def _said(self) -> Allowed | str:
        """What the message says is allowed: for a value out of range, the range alone (being a
        whole number is not what is wrong with it)."""
        allowed = self.allowed
        if isinstance(allowed, Allowed) and allowed.whole and self.problem == PROBLEMS["range"]:
            return allowed.but(whole=False)
        return allowed

    @property
    def parts(self) -> dict[str, object]:
        """The message's parts as plain data: ``name``, ``value`` (as the message shows it),
        ``problem`` (a template) with its ``details``, ``allowed`` (:meth:`Allowed.as_dict`)
        and ``involves``."""
        allowed = self.allowed
        return {"name": self.name, "value": shown(self.value), "problem": self.problem,
                "details": dict(self.details),
                "allowed": allowed.as_dict() if isinstance(allowed, Allowed)
                else {"text": str(allowed)}, "involves": list(self.involves)}

    def problem_words(self) -> str:
        """The problem in the active catalogue's language, its details filled in."""
        return word(self.problem).format(**self.details)

    def renamed(self, names: Mapping[str, str]) -> InputError:
        """The same refusal with its parameters renamed by ``names`` (a model's parameter ->
        the input that feeds it); a name not in ``names`` stays."""
        return InputError(names.get(self.name, self.name), self.value, self.problem,
                          self.allowed, involves=(names.get(n, n) for n in self.involves),
                          details=self.details)

    def allowed_words(self, minus: str = "-") -> str:
        """What is allowed, in the active catalogue's language."""
        said = self._said()
        return said.words(minus) if isinstance(said, Allowed) else word(said)


def invalid_values(allowed: Allowed) -> list[object]:
    """Values ``allowed`` refuses, just outside what it declares: below the low end (or the
    low end itself when it is excluded), above the high end, between two whole numbers, an
    option that is not one. Tests make their bad inputs from the declarations with this, in
    the manner of scikit-learn's ``generate_invalid_param_val``."""
    if allowed.options:
        taken = {str(o) for o in allowed.options}
        return [next(f"not-{n}" for n in range(len(taken) + 1) if f"not-{n}" not in taken)]
    bad: list[object] = []
    if allowed.low is not None:
        bad.append(allowed.low if allowed.low_open else allowed.low - max(1, abs(allowed.low)))
    if allowed.high is not None:
        bad.append(allowed.high + max(1, abs(allowed.high)))
    if allowed.whole:
        inside = allowed.low if allowed.low is not None else 0
        if allowed.high is None or inside + 0.5 <= allowed.high:
            bad.append(inside + 0.5)
    return bad


def range_text(low: float | None, high: float | None) -> str:
    """``0 to 900,000``, ``1 or more``, ``at most 10``: how an allowed range reads in a message."""
    return str(Allowed(low, high))


def finite(name: str, value: object, allowed: Allowed) -> float:
    """``value`` as a finite ``float``, or :class:`InputError` saying it is not one (its
    range is the caller's to check)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(name, value, PROBLEMS["number"], allowed)
    try:
        result = float(value)
    except OverflowError:  # an int beyond any float (10**400): not a finite number here
        raise InputError(name, value, PROBLEMS["finite"], allowed) from None
    if math.isnan(result) or math.isinf(result):
        raise InputError(name, value, PROBLEMS["finite"], allowed)
    return result


def number(name: str, value: object, *, low: float | None = 0.0, high: float | None = None,
           what: str | None = None) -> float:
    """Check that ``value`` is a finite real number in ``[low, high]``; return it as ``float``.

    ``bool`` is refused (``True`` is not a duration). ``what`` replaces the generated description
    of the allowed range when the range alone would mislead (for example "a rate above 0").
    """
    return float(Allowed(low, high, text=what or "").check(name, value))


def whole(name: str, value: object, *, low: float | None = 0.0, high: float | None = None) -> int:
    """Check that ``value`` is a whole number in ``[low, high]``; return it as ``int``.

    ``3.0`` is accepted (a text box or JSON may send it), ``3.5`` is not.
    """
    return int(Allowed(low, high, whole=True).check(name, value))


def choice(name: str, value: object, allowed: Iterable[str]) -> str:
    """Check that ``value`` is one of ``allowed``; return it."""
    return str(Allowed(options=tuple(allowed)).check(name, value))


def text(name: str, value: object, what: str = "a non-empty string") -> str:
    """Check that ``value`` is a non-empty string (``what`` says which kind); return it."""
    if not isinstance(value, str) or not value:
        raise InputError(name, value, PROBLEMS["option"], Allowed(text=what))
    return value


def flag(name: str, value: object) -> bool:
    """Check that ``value`` is ``True`` or ``False`` (not 0, 1 or "yes")."""
    if not isinstance(value, bool):
        raise InputError(name, value, PROBLEMS["option"], Allowed(options=(True, False)))
    return value
