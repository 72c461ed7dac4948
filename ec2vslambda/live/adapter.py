"""The browser's way into the calculators: JSON text in, JSON text out, never a traceback.

The site's Web Worker (``_ext/live_calculators/browser/worker.mjs``) loads this package on
Pyodide and calls :func:`compute_json` for every change of a form; the notebook and the tests call
the same function in CPython. Its reply is one JSON object, of one of three shapes:

``{"result": ...}``
    the calculator's result (:func:`ec2vslambda.live.compute`);
``{"error": ..., "key": ..., "message": ..., "parts": ...}``
    a value the model refuses (an :class:`~ec2vslambda.validation.InputError`). ``error`` is the
    package's own English message (the page keeps it in ``data-error``); ``key`` the input key
    of the calculator's field it concerns, or ``None``; ``message`` the sentence the reader
    sees, in the page's language, naming the control by its label and unit; ``parts`` the
    error's parts as data (name, value, problem, allowed: see
    :attr:`~ec2vslambda.validation.InputError.parts`);
``{"error": "the calculator failed (...)", "key": None, "message": ...}``
    anything else: a bug, not bad input. It says what failed, in a sentence, never a traceback.

::

    >>> import json
    >>> reply = json.loads(compute_json("keepalive", '{"memory_mb": 64}'))
    >>> reply["key"], reply["message"]
    ('memory_mb', 'Memory (MB): 64 is out of range; allowed: 128 to 10,240')
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from ..validation import InputError, figure, shown
from ..words import say, speaking, word
from . import Calculator, Field, calculator

__all__ = ["compute_json", "failure", "label", "refusal", "reply"]

#: The sign a negative number takes in a sentence for the reader (a true minus, not a hyphen).
MINUS = "\N{MINUS SIGN}"

_catalogue: dict[str, Mapping[str, str]] = {}  # the page's catalogue, parsed once


def compute_json(name: str, inputs_json: str, words_json: str | None = None) -> str:
    """Calculator ``name`` on the JSON object ``inputs_json``, in the language of the catalogue
    ``words_json`` (JSON text of English -> translation; ``None`` for English): the JSON text of
    :func:`reply`."""
    words = None
    if words_json:
        if words_json not in _catalogue:
            _catalogue.clear()
            _catalogue[words_json] = json.loads(words_json)
        words = _catalogue[words_json]
    try:
        inputs = json.loads(inputs_json)
    except ValueError as error:
        with speaking(words):
            return json.dumps(failure(error), allow_nan=False)
    return json.dumps(reply(name, inputs, words), allow_nan=False)


def reply(name: str, inputs: Mapping[str, object] | None,
          words: Mapping[str, str] | None = None) -> dict[str, object]:
    """The reply for calculator ``name`` on ``inputs``: ``{"result": ...}``, a refusal
    (:func:`refusal`) or a failure (:func:`failure`), every sentence in ``words``' language."""
    with speaking(words):
        calc = None
        try:
            calc = calculator(name)
            return {"result": calc.compute(inputs)}
        except InputError as error:
            return refusal(error, calc)
        except ValueError as error:  # a refusal not yet written as an InputError
            return {"error": str(error), "key": None, "message": str(error), "parts": None}
        except Exception as error:  # a bug, not bad input: say what, never a traceback
            return failure(error)


def refusal(error: InputError, calc: Calculator | None = None) -> dict[str, object]:
    """A refused value as the page shows it: beside the control ``key`` when the error names one
    of ``calc``'s fields (or, for a combination of inputs, involves one), in the active
    catalogue's language."""
    fields = {f.key: f for f in calc.fields} if calc else {}
    named = fields.get(error.name)
    key = error.name if named else next((n for n in error.involves if n in fields), None)
    message = say("{label}: {value} {problem}; allowed: {allowed}",
                  label=label(named) if named else error.name, value=_value(error.value),
                  problem=error.problem_words(), allowed=error.allowed_words(MINUS))
    return {"error": str(error), "key": key, "message": message, "parts": error.parts}


def failure(error: BaseException) -> dict[str, object]:
    """An unexpected failure, said in a sentence (the English one in ``error``)."""
    detail = f"{type(error).__name__}: {error}"
    return {"error": f"the calculator failed ({detail})", "key": None,
            "message": say("The calculator failed ({detail}).", detail=detail)}


def label(field: Field) -> str:
    """A field's label as the form shows it, with its unit: ``Memory (MB)``."""
    text = word(field.label)
    return f"{text} ({word(field.unit)})" if field.unit else text


def _value(value: object) -> str:
    """The refused value as the reader typed it: ``−5``, ``"abc"``, (empty)."""
    if value is None or value == "":
        return word("(empty)")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return figure(value, MINUS)
    return shown(value)
