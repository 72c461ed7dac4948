"""Every refusal of every live calculator names the control as the reader sees it.

For each field of each calculator, values the form lets a reader type and the model refuses (a
negative number, a word, an empty box, one past either end of its range, an option that is not
offered): the page's sentence starts with the field's label and unit in the page's language
(English and Korean), the reply's ``key`` is the field's (so the sentence sits beside that
control), and ``error`` keeps the package's own English message, which the page puts in
``data-error``.
"""

from __future__ import annotations

import sys

import pytest

from ec2vslambda import live
from ec2vslambda.live import adapter
from ec2vslambda.words import speaking
from tests.conftest import BOOK_ROOT


def _korean() -> dict[str, str]:
    sys.path.insert(0, str(BOOK_ROOT / "_ext"))
    from live_calculators import i18n

    return i18n.result_words("ko")


def _bad_values(field) -> list[object]:
    if field.kind == "choice":
        return ["not one of the options"]
    if field.kind == "flag":
        return ["yes"]
    values: list[object] = [-5, "abc", None]
    if field.minimum is not None:
        values.append(field.minimum - 1)
    if field.maximum is not None:
        values.append(field.maximum * 10 + 1)
    return values


CASES = [(name, field.key) for name in live.names() for field in live.calculator(name).fields]


@pytest.mark.parametrize(("name", "key"), CASES, ids=[f"{n}:{k}" for n, k in CASES])
@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_refusal_names_the_field_by_the_label_the_reader_sees(name, key, language):
    words = _korean() if language == "ko" else None
    field = next(f for f in live.calculator(name).fields if f.key == key)
    with speaking(words):
        label = adapter.label(field)
    refused = 0
    for value in _bad_values(field):
        reply = adapter.reply(name, {key: value}, words)
        if "result" in reply:  # a value this field takes (a flag reads any truth)
            continue
        refused += 1
        english = adapter.reply(name, {key: value})
        assert reply["error"] == english["error"], "data-error keeps the package's message"
        assert reply["key"] == key, f"{name}: {value!r} for {key} is shown by {reply['key']}"
        assert reply["message"].startswith(f"{label}:"), (
            f"{name}: {value!r} for {key} is refused as {reply['message']!r}, not by its "
            f"label {label!r}")
        if language == "ko":
            assert key not in reply["message"], reply["message"]
    assert refused or field.kind == "flag", f"{name}: {key} refused none of {_bad_values(field)}"
