"""The words of the calculators' results (ec2vslambda.words), and that every word a result shows
goes through them, so that another edition's pages show none in English."""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

import pytest

from ec2vslambda import live, words
from ec2vslambda.validation import InputError
from ec2vslambda.words import check_catalogue, fields_of, say, speaking, templates, term, word

ROOT = Path(__file__).resolve().parent.parent


def test_english_is_the_template_filled_in():
    assert say("{count} cold starts of {total}", count="3", total="10") == "3 cold starts of 10"
    assert word("cold") == "cold"
    assert term("warm") == "warm"


def test_a_catalogue_translates_inside_its_block_only():
    catalogue = {"{count} cold starts": "콜드 스타트 {count}회", "cold": "콜드"}
    with speaking(catalogue):
        assert say("{count} cold starts", count="3") == "콜드 스타트 3회"
        assert word("cold") == "콜드"
        assert word("warm") == "warm"  # no translation: English
        with speaking(None):
            assert word("cold") == "cold"
        assert word("cold") == "콜드"
    assert word("cold") == "cold"


def test_a_catalogue_is_left_even_when_the_block_raises():
    with pytest.raises(RuntimeError), speaking({"cold": "콜드"}):
        raise RuntimeError("boom")
    assert word("cold") == "cold"


def test_fields_of_reads_names_and_skips_literal_braces():
    assert fields_of("{a} and {b_2} {{not}}") == {"a", "b_2"}
    with pytest.raises(ValueError, match="is not a plain name"):
        fields_of("{x:,.0f}")


def test_check_catalogue_refuses_a_translation_that_changes_a_field():
    assert check_catalogue({"{n} ms": "{n} ms"}) == {"{n} ms": "{n} ms"}
    with pytest.raises(ValueError, match=r"words\['\{n\} ms'\] has the fields \['m'\]"):
        check_catalogue({"{n} ms": "{m} ms"})


def test_templates_reads_literal_calls_and_refuses_an_untranslatable_one(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text(
        'from .words import say, term, word\n'
        'LABELS = {"x": term("a label")}\n'
        'def f(n, key):\n'
        '    return say("{n} things", n=n) + word("thing") + word(LABELS[key])\n',
        encoding="utf-8")
    found = templates(package)
    assert set(found) == {"a label", "{n} things", "thing"}
    assert found["thing"] == ["pkg/a.py:4"]
    (package / "b.py").write_text('def g(text):\n    return say(text)\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"pkg/b\.py:2: say\(\) needs a literal string"):
        templates(package)


def test_the_package_templates_include_every_calculators_sentences():
    found = templates()
    assert "Breaks {count} Lambda limits: {names}." in found
    assert "Most of the Lambda bill is {lambda_lines}; most of the EC2 bill is {ec2_lines}." \
        in found
    assert all(where for where in found.values())


# --- every word of a result is translatable ---------------------------------------------------
# A pseudo-translation wraps every English string in ⟪ ⟫. Whatever of a result stays outside the
# brackets was never looked up, so another edition would show it in English. Codes (instance
# types, regions, runtimes: anything with a digit, dot, underscore or hyphen), numbers, money and
# capitalised product names may stay; a lower-case English word may not.

_WRAPPED = re.compile(r"⟪[^⟪⟫]*⟫")
_SYMBOLS = {"ms"}  # a unit symbol, written the same in Korean
_TOKEN = re.compile(r"[^\s,;:()+/=|◀%$'\"]+")


@functools.cache
def _pseudo_catalogue() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "tools"))
    from translations import book_strings

    return {text: f"⟪{text}⟫" for _context, text in book_strings()}


def _shown_strings(result: dict) -> list[str]:
    shown = [result["title"], result["summary"]]
    if result["table"]:
        shown += result["table"]["columns"] + [c for row in result["table"]["rows"] for c in row]
    chart = result["chart"] or {}
    for key in ("x", "y", "y2"):
        if chart.get(key):
            shown.append(chart[key]["label"])
    shown.append(chart.get("title", ""))
    shown += [s["label"] for s in chart.get("series", [])]
    shown += [v["label"] for v in chart.get("vlines", [])]
    shown += [b["label"] for b in chart.get("bars", [])]
    shown += chart.get("lanes", []) + [m["label"] for m in chart.get("marks", [])]
    shown += list((chart.get("phase_labels") or {}).values()) + [chart.get("marks_label", "")]
    return [s for s in shown if s]


def _english_left(text: str) -> list[str]:
    while _WRAPPED.search(text):
        text = _WRAPPED.sub(" ", text)
    return [token for token in _TOKEN.findall(text)
            if re.fullmatch(r"[a-z]{2,}", token) and token not in _SYMBOLS]


def _cases(name: str) -> list[dict]:
    calc = live.calculator(name)
    cases = [{}]
    for field in calc.fields:
        if field.kind in ("choice", "file"):  # a file field's options are its samples
            cases += [{field.key: option} for option in field.options]
        elif field.kind == "flag":
            cases.append({field.key: not field.default})
        elif field.default:
            cases.append({field.key: field.default * 50})
    return cases


@pytest.mark.parametrize("name", live.names())
def test_every_word_a_result_shows_is_looked_up(name):
    catalogue = _pseudo_catalogue()
    left, shown = {}, 0
    for inputs in _cases(name):
        try:
            result = live.compute(name, inputs, words=catalogue)
        except InputError:
            continue  # a refusal's sentence is the adapter's (tests/test_live_adapter.py)
        shown += 1
        for text in _shown_strings(result):
            for token in _english_left(text):
                left.setdefault(token, (inputs, text))
    assert shown > 1, f"{name}: only {shown} of the inputs tried gave a result to read"
    assert not left, "\n".join(f"{token!r} in {text!r} (inputs {inputs})"
                               for token, (inputs, text) in sorted(left.items()))


def _unwrap(value):
    if isinstance(value, str):
        return value.replace("⟪", "").replace("⟫", "")
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    if isinstance(value, dict):
        return {k: _unwrap(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("name", live.names())
def test_a_catalogue_changes_words_never_numbers(name):
    """The pseudo-translated result, brackets removed, is the English one: same numbers, same
    order, nothing lost or added on the way through a catalogue."""
    english = live.compute(name)
    pseudo = live.compute(name, words=_pseudo_catalogue())
    assert _unwrap(pseudo["numbers"]) == english["numbers"]
    assert pseudo["summary"] != english["summary"]
    assert _unwrap(_shown_strings(pseudo)) == _shown_strings(english)


def test_the_module_is_standard_library_only():
    source = Path(words.__file__).read_text(encoding="utf-8")
    imported = set(re.findall(r"^(?:from|import) ([a-z_.]+)", source, flags=re.M))
    assert imported <= {"__future__", "ast", "re", "string", "collections.abc", "contextlib",
                        "contextvars", "pathlib", "types"}, imported


def test_the_documented_examples_run():
    """The examples in the docstrings of ec2vslambda.words and ec2vslambda.live."""
    import doctest

    for module in (words, live):
        outcome = doctest.testmod(module)
        assert outcome.attempted and not outcome.failed, module.__name__


def test_a_large_count_is_written_the_way_each_language_counts():
    from ec2vslambda.words import language, large_count

    assert language() == "en"
    assert [large_count(n) for n in (950, 30_061_241, 2_458_323_527)] == \
        ["950", "30.1 million", "2,458.3 million"]
    with speaking({"": "Project-Id-Version: x\nLanguage: ko\n"}):
        assert language() == "ko"
        assert [large_count(n) for n in (950, 30_061_241, 2_458_323_527)] == \
            ["950", "3,006만", "24.6억"]


def test_the_whole_bill_says_when_the_bills_never_cross():
    from ec2vslambda.live import whole_bill

    outcome = whole_bill.compute(whole_bill.WholeBillInputs())

    def said(compute, whole):
        return whole_bill.summary(type(outcome)(outcome.inputs, outcome.bill, compute, whole))

    assert said(5_000_000, None).endswith(
        "at 5.0 million requests a month; on the whole bill Lambda stays cheaper at any traffic.")
    assert said(None, 5_000_000).endswith(
        "On compute alone Lambda stays cheaper at any traffic; on the whole bill the two cost the "
        "same at 5.0 million requests a month.")
    assert said(None, None).endswith(
        "Lambda stays cheaper at any traffic, on compute alone and on the whole bill.")


# --- Korean particles ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "topic", "subject", "object_", "with_", "towards"), [
    ("Lambda", "는", "가", "를", "와", "로"),          # 람다
    ("EC2", "는", "가", "를", "와", "로"),             # 이씨투
    ("Fargate", "는", "가", "를", "와", "로"),         # 파게이트
    ("Spot", "은", "이", "을", "과", "으로"),           # 스팟
    ("EC2 스팟", "은", "이", "을", "과", "으로"),
    ("Lambda (on demand)", "는", "가", "를", "와", "로"),  # the word before the parenthesis
    ("Lambda MicroVM", "은", "이", "을", "과", "으로"),   # 브이엠
    ("m7g.large", "는", "가", "를", "와", "로"),        # 라지
    ("서울", "은", "이", "을", "과", "로"),              # ㄹ takes 로
    ("1", "은", "이", "을", "과", "로"),                # 일
    ("2", "는", "가", "를", "와", "로"),                # 이
    ("3", "은", "이", "을", "과", "으로"),              # 삼
    ("10", "은", "이", "을", "과", "으로"),             # 십
    ("100", "은", "이", "을", "과", "으로"),            # 백
    ("1,000", "은", "이", "을", "과", "으로"),          # 천
    ("20,000", "은", "이", "을", "과", "으로"),         # 만
    ("2.18", "은", "이", "을", "과", "로"),             # 이 점 일팔
    ("5.7%", "는", "가", "를", "와", "로"),             # 퍼센트
    ("$77.50", "는", "가", "를", "와", "로"),           # 달러
    ("7 min", "은", "이", "을", "과", "으로"),          # 분
    ("120 ms", "는", "가", "를", "와", "로"),           # 밀리초
    ("ALB", "는", "가", "를", "와", "로"),              # 에이엘비
    ("URL", "은", "이", "을", "과", "로"),              # 유알엘
    ("Python", "은", "이", "을", "과", "으로"),         # 파이썬
])
def test_a_particle_follows_the_sound_its_word_ends_with(text, topic, subject, object_, with_,
                                                         towards):
    from ec2vslambda.words import particle

    assert [particle(text, p) for p in ("은", "이", "을", "와", "으로")] == \
        [topic, subject, object_, with_, towards]
    assert particle(text, "는") == topic and particle(text, "로는") == towards + "는"


def test_a_template_asks_for_a_particle_with_a_filter():
    catalogue = {"{option} is not used.": "{option|은} 쓰지 않습니다.",
                 "{a} and {b}": "{a|과} {b|을} {{그대로}}"}
    assert fields_of("{option|은} 쓰지 않습니다.") == {"option"}
    assert check_catalogue(catalogue) == catalogue
    with speaking(catalogue):
        assert say("{option} is not used.", option="Lambda") == "Lambda는 쓰지 않습니다."
        assert say("{option} is not used.", option="EC2 스팟") == "EC2 스팟은 쓰지 않습니다."
        assert say("{a} and {b}", a="3", b="Fargate") == "3과 Fargate를 {그대로}"
    assert say("{option} is not used.", option="Lambda") == "Lambda is not used."


def test_an_unknown_particle_is_refused_where_the_catalogue_is_checked():
    with pytest.raises(ValueError, match=r"asks for the particle '요'; allowed: .*은"):
        check_catalogue({"{x} ok": "{x|요} 좋아요"})
    from ec2vslambda.words import particle

    with pytest.raises(ValueError, match="is not one this module chooses"):
        particle("Lambda", "의")


def test_no_catalogue_writes_a_particle_both_ways():
    """은(는), 이(가), 을(를), 와(과), (으)로: a filter chooses the form instead."""
    both = re.compile(r"은\(는\)|는\(은\)|이\(가\)|가\(이\)|을\(를\)|를\(을\)|와\(과\)|과\(와\)"
                      r"|\(으\)로")
    import polib

    found = [f"{path.name}: {entry.msgstr[:60]}"
             for path in sorted((ROOT / "locale").rglob("*.po"))
             for entry in polib.pofile(str(path)) if both.search(entry.msgstr)]
    assert not found, found
