"""The browser's way into the calculators (ec2vslambda.live.adapter), in CPython.

The site's worker only loads the package and calls :func:`compute_json`; everything the page
shows comes from its reply: the result, or a refusal with the reader's sentence in the page's
language and the key of the control it concerns, or a failure said without a traceback.
"""

from __future__ import annotations

import dataclasses
import doctest
import json
import re
import sys

import pytest

from ec2vslambda import live, validation
from ec2vslambda.live import adapter
from ec2vslambda.validation import InputError
from tests.conftest import BOOK_ROOT

NAMES = live.names()


def _ko() -> dict[str, str]:
    sys.path.insert(0, str(BOOK_ROOT / "_ext"))
    from live_calculators import i18n

    return i18n.result_words("ko")


def _reply(name, inputs, words=None) -> dict:
    words_json = json.dumps(words) if words is not None else None
    text = adapter.compute_json(name, json.dumps(inputs), words_json)
    json.loads(text)  # plain JSON: compute_json refuses NaN and infinity itself
    return json.loads(text)


@pytest.mark.parametrize("name", NAMES)
def test_a_result_is_compute_in_a_one_key_object(name):
    assert _reply(name, {}) == {"result": live.compute(name)}


def test_a_refusal_names_the_control_by_its_label_and_unit():
    reply = _reply("keepalive", {"memory_mb": -5})
    with pytest.raises(InputError) as caught:
        live.compute("keepalive", {"memory_mb": -5})
    assert reply["error"] == str(caught.value)
    assert reply["key"] == "memory_mb"
    assert reply["message"] == ("Memory (MB): \N{MINUS SIGN}5 is out of range; allowed: 128 to "
                                "10,240")
    assert reply["parts"] == {"name": "memory_mb", "value": "-5", "problem": "is out of range",
                              "details": {},
                              "allowed": {"text": "whole numbers 128 to 10,240", "low": 128,
                                          "high": 10240, "whole": True}, "involves": []}


def test_a_model_parameter_is_named_by_the_input_that_feeds_it():
    reply = _reply("pricing", {"requests_per_month": -1})
    assert reply["key"] == "requests_per_month"
    assert reply["message"].startswith("Requests per month: \N{MINUS SIGN}1 is out of range")


def test_an_empty_box_and_a_word_are_named_as_the_reader_typed_them():
    empty = _reply("fit_checker", {"peak_concurrency": None})
    assert empty["message"] == ("Peak runs in flight: (empty) is not a number; allowed: whole "
                                "numbers 1 to 1,000,000,000,000,000")
    word = _reply("tail_latency", {"arch": "sparc"})
    assert word["key"] == "arch" and word["message"] == (
        "Architecture: 'sparc' is not allowed; allowed: x86_64, arm64")
    assert word["parts"]["allowed"]["options"] == ["x86_64", "arm64"]


def test_a_huge_integer_is_refused_without_printing_its_digits():
    reply = _reply("keepalive", {"memory_mb": 10 ** 400})
    assert reply["key"] == "memory_mb" and "1.00e+400" in reply["message"]
    assert len(reply["error"]) < 200


def test_a_refusal_that_names_no_field_goes_to_the_status_line():
    unknown = _reply("keepalive", {"colour": "blue"})
    assert unknown["key"] is None and unknown["error"].startswith("inputs='colour'")
    assert unknown["parts"]["allowed"]["options"] == list(live.calculator("keepalive").keys)
    nameless = _reply("nope", {})
    assert nameless["key"] is None and nameless["error"].startswith("name='nope'")


def test_korean_pages_get_the_sentence_in_korean_with_the_same_parts():
    words = _ko()
    english = _reply("keepalive", {"memory_mb": -5})
    korean = _reply("keepalive", {"memory_mb": -5}, words)
    assert korean["error"] == english["error"] and korean["parts"] == english["parts"]
    assert korean["key"] == "memory_mb"
    label = words["Memory"]
    assert korean["message"].startswith(f"{label} (MB): \N{MINUS SIGN}5")
    assert words["is out of range"] in korean["message"]
    assert "128~10,240" in korean["message"]
    assert not re.search(r"[a-z]{3}", korean["message"].replace("(MB)", "")), korean["message"]


def test_korean_particles_never_follow_a_placeholder():
    """은(는), 이(가) after a value read badly: the sentence is written so none is needed."""
    words = _ko()
    for english in ("{label}: {value} {problem}; allowed: {allowed}",
                    "The calculator failed ({detail})."):
        assert not re.search(r"\}(은|는|이|가|을|를|\()", words[english]), words[english]


def test_a_bug_is_said_in_a_sentence_without_a_traceback(monkeypatch):
    def broken(inputs):
        return 1 / 0

    calc = dataclasses.replace(live.calculator("keepalive"), run=broken)
    monkeypatch.setattr(adapter, "calculator", lambda name: calc)
    reply = _reply("keepalive", {})
    assert reply == {"error": "the calculator failed (ZeroDivisionError: division by zero)",
                     "key": None,
                     "message": "The calculator failed (ZeroDivisionError: division by zero)."}
    korean = _reply("keepalive", {}, _ko())
    assert korean["error"] == reply["error"] and korean["message"] != reply["message"]
    assert "ZeroDivisionError" in korean["message"] and "Traceback" not in json.dumps(korean)


def test_text_that_is_not_json_is_a_failure_not_a_crash():
    reply = json.loads(adapter.compute_json("keepalive", "{not json"))
    assert reply["key"] is None and reply["error"].startswith("the calculator failed (")


def test_the_catalogue_is_parsed_once_per_page():
    words = json.dumps(_ko())
    adapter.compute_json("keepalive", "{}", words)
    first = adapter._catalogue[words]
    adapter.compute_json("keepalive", "{}", words)
    assert adapter._catalogue[words] is first


def test_the_documented_examples_run():
    for module in (adapter, validation):
        outcome = doctest.testmod(module)
        assert outcome.attempted and not outcome.failed, module.__name__
