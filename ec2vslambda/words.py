"""The words a calculator's result shows, in the reader's language.

English is the source language. A sentence of a result is written as a template with named
fields and filled by :func:`say`; a label (a table column, a chart's title, a line's name) goes
through :func:`word`. Both give English unless a catalogue is active: a mapping from each English
template to its translation, made active for the length of a ``with speaking(catalogue):`` block.
:func:`ec2vslambda.live.compute` takes the catalogue as ``words=``; the book's Korean pages pass
the Korean one (``locale/ko/LC_MESSAGES/book.po``) to the same Python in the browser::

    >>> say("{count} cold starts", count="3")
    '3 cold starts'
    >>> with speaking({"{count} cold starts": "콜드 스타트 {count}회"}):
    ...     say("{count} cold starts", count="3")
    '콜드 스타트 3회'

A translation must keep the template's fields (``{count}``) and may reorder them. A template
without a translation stays English.

A Korean particle whose form depends on the word before it (은/는, 이/가, 을/를, 과/와, (으)로)
is asked for with a filter on the field, ``{name|은}``: :func:`say` writes the form that suits
the last syllable of the value filled in (:func:`particle`), for Hangul, numbers read as Korean
numerals, units and Latin names read as Korean readers say them::

    >>> with speaking({"{option} is not used.": "{option|은} 쓰지 않습니다."}):
    ...     [say("{option} is not used.", option=o) for o in ("Lambda", "EC2 스팟", "m7g.large")]
    ['Lambda는 쓰지 않습니다.', 'EC2 스팟은 쓰지 않습니다.', 'm7g.large는 쓰지 않습니다.']

Numbers are formatted before they reach a template, so every edition shows the same figures;
only a large count is written in each language's own way (:func:`large_count`: 30.1 million,
3,006만).

:func:`templates` finds every template in the package's source (the literal first argument of
each ``say``/``word``/``term`` call), so that the book's translation tools extract them with its
other strings. Standard library only: this runs in the browser.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from types import MappingProxyType

__all__ = ["PARTICLES", "active_catalogue", "check_catalogue", "fields_of", "language",
           "large_count", "particle", "say", "speaking", "templates", "term", "word"]

_CATALOGUE: ContextVar[Mapping[str, str]] = ContextVar("ec2vslambda_words",
                                                     default=MappingProxyType({}))
_FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")
_FORMATTER = string.Formatter()


def word(text: str) -> str:
    """``text`` in the active catalogue's language (itself when it has no translation).

    Its argument is usually a literal; a variable is allowed when every text it can hold is
    marked with :func:`term` where it is written (a dictionary of labels, say)."""
    return _CATALOGUE.get().get(text, text)


def term(text: str) -> str:
    """``text`` unchanged, marked for translation: for labels kept in tables and translated
    later, where they are shown, with :func:`word`."""
    return text


def say(template: str, **fields: object) -> str:
    """``template`` translated, then filled with ``fields`` (already formatted values).

    A field with a particle filter (``{name|은}``, see :func:`particle`) is followed by the
    particle's form that suits its value."""
    text = word(template)
    if "|" not in text:
        return text.format(**fields)
    parts = []
    for literal, name, _spec, _conversion in _FORMATTER.parse(text):
        parts.append(literal)
        if name is not None:
            key, bar, form = name.partition("|")
            value = str(fields[key])
            parts.append(value + (particle(value, form) if bar else ""))
    return "".join(parts)


def language() -> str:
    """The active catalogue's language: the ``Language:`` of its gettext header (the translation
    of the empty string), ``en`` when it has none."""
    found = re.search(r"^Language:\s*([A-Za-z_-]+)", word(""), flags=re.MULTILINE)
    return found.group(1) if found else "en"


def large_count(count: float) -> str:
    """A large count the way a reader of the active language says it: ``30.1 million`` in
    English, ``3,006만`` in Korean, which counts in ten thousands (만) and hundred millions
    (억). The same figure either way, rounded to three or four significant digits."""
    if language() == "ko":
        if count >= 1e8:
            return f"{count / 1e8:,.1f}억"
        if count >= 1e4:
            return f"{count / 1e4:,.0f}만"
        return f"{count:,.0f}"
    return say("{count} million", count=f"{count / 1e6:,.1f}") if count >= 1e6 \
        else f"{count:,.0f}"


def active_catalogue() -> Mapping[str, str]:
    """The catalogue :func:`word` reads now (English template -> translation; empty in
    English)."""
    return _CATALOGUE.get()


@contextmanager
def speaking(catalogue: Mapping[str, str] | None) -> Iterator[None]:
    """Make ``catalogue`` (English template -> translation) the active one inside the block."""
    token = _CATALOGUE.set(catalogue or MappingProxyType({}))
    try:
        yield
    finally:
        _CATALOGUE.reset(token)


def check_catalogue(catalogue: Mapping[str, str]) -> dict[str, str]:
    """``catalogue`` as a dict, or ``ValueError`` naming the first translation whose fields
    differ from its template's: it would fail, or show the wrong number, only when that
    sentence came up. The book checks its catalogues with this when it builds and tests them."""
    for english, translated in catalogue.items():
        if fields_of(english) != fields_of(translated):
            raise ValueError(f"words[{english!r}] has the fields {sorted(fields_of(translated))};"
                             f" allowed: exactly the template's {sorted(fields_of(english))}")
    return dict(catalogue)


def fields_of(template: str) -> set[str]:
    """The names of a template's fields (``{name}``); ``{{`` and ``}}`` are literal braces.

    A field is a bare name: values are formatted before they reach a template (``{count}``,
    never ``{count:,}``), so that every edition shows the same figures. A translation may
    follow a name with a particle filter (``{name|은}``): the field is still ``name``."""
    names = set()
    for _text, name, spec, conversion in _FORMATTER.parse(template):
        if name is not None:
            key, bar, form = name.partition("|")
            if not _FIELD.match(key) or spec or conversion:
                raise ValueError(f"template field {{{name}}} in {template!r} is not a plain name;"
                                 " allowed: lower-case names such as {count}")
            if bar and _split_particle(form) is None:
                raise ValueError(f"template field {{{name}}} in {template!r} asks for the "
                                 f"particle {form!r}; allowed: {', '.join(sorted(PARTICLES))} "
                                 "(optionally followed by more Hangul, as in 으로는)")
            names.add(key)
    return names


# --- Korean particles ---------------------------------------------------------------------------

#: Korean particles whose form depends on the sound that ends the word before them: the form
#: after a final consonant, then the form after a vowel. Either form names the pair in a filter.
#: (으)로 takes 로 after ㄹ as after a vowel.
PARTICLE_PAIRS = (("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("으로", "로"),
                  ("이나", "나"), ("이라", "라"))
PARTICLES = {form: pair for pair in PARTICLE_PAIRS for form in pair}
_BY_LENGTH = sorted(PARTICLES, key=len, reverse=True)
_RIEUL = 8  # index of ㄹ among the final consonants of a Hangul syllable

# final consonant (index in a Hangul syllable, 0 = none) of the Korean reading of ...
#: ... a digit read as a Korean numeral: 영 일 이 삼 사 오 육 칠 팔 구
_DIGIT_KO = (21, 8, 0, 16, 0, 0, 1, 8, 8, 0)
#: ... a number ending in that many zeros: 십 백 천 만 (up to 천만) 억 조 경
_ZEROS_KO = {1: 17, 2: 1, 3: 4, 4: 4, 5: 4, 6: 4, 7: 4, 8: 1, 9: 1, 10: 1, 11: 1}
#: ... a digit inside a Latin name, read in English (EC2 이씨투, S3 에스스리, 10 텐)
_DIGIT_EN = (0, 4, 0, 0, 0, 0, 0, 4, 0, 4)
#: ... a letter read by its name, as in an acronym (ALB 에이엘비, VM 브이엠, URL 유알엘)
_LETTER = {"l": _RIEUL, "m": 16, "n": 4, "r": _RIEUL}
#: ... a unit or symbol after a number, as Korean readers say it
_UNITS = {"%": 0, "ms": 0, "s": 0, "µs": 0, "min": 4, "h": 4, "x": 0, "×": 0, "times": 0,
          "B": 0, "KB": 0, "kB": 0, "MB": 0, "GB": 0, "TB": 0, "KiB": 0, "MiB": 0, "GiB": 0,
          "GB-s": 0, "GB-h": 4, "USD": 0, "vCPU": 0, "vCPUs": 0}
#: ... names and words whose reading the rules below would get wrong
_READINGS = {"spot": 19, "plan": 4, "web": 17, "job": 17, "microvm": 16, "vm": 16,
             "python": 4, "check": 0, "nat": 19, "graviton": 4, "ipv4": 0, "ipv6": 0, "arm64": 0,
             "x86_64": 0, "dynamodb": 0, "sqs": 0, "s3": 0, "ec2": 0, "ebs": 0, "efs": 0}

_NUMBER = re.compile(r"(?P<int>\d[\d,]*)(?:\.(?P<frac>\d+))?$")
_TRAILING = " \t\n.,:;!?…*_\"'”’»」』"
_CLOSING = {")": "(", "]": "["}


def _split_particle(form: str) -> tuple[str, str] | None:
    """``form`` as (the pair's form it starts with, what follows), or None."""
    for known in _BY_LENGTH:
        if form.startswith(known) and re.fullmatch("[가-힣]*", form[len(known):]):
            return known, form[len(known):]
    return None


def particle(text: str, form: str) -> str:
    """The form of particle ``form`` (either form of a pair, possibly followed by more Hangul:
    ``은``, ``가``, ``으로는``) that follows ``text`` in Korean::

        >>> [particle(t, "은") for t in ("Lambda", "EC2 스팟", "3", "10", "5.7%", "$1.50")]
        ['는', '은', '은', '은', '는', '는']
        >>> [particle(t, "로") for t in ("서울", "m7g.large", "Lambda (on demand)", "7 min")]
        ['로', '로', '로', '으로']
    """
    found = _split_particle(form)
    if found is None:
        raise ValueError(f"particle {form!r} is not one this module chooses; allowed: "
                         f"{', '.join(sorted(PARTICLES))}")
    known, rest = found
    after_consonant, after_vowel = PARTICLES[known]
    final = final_consonant(text)
    vowel_like = final == 0 or (final == _RIEUL and after_consonant == "으로")
    return (after_vowel if vowel_like else after_consonant) + rest


def final_consonant(text: str) -> int:
    """The final consonant of the last syllable a Korean reader says for ``text``: its index
    among a Hangul syllable's final consonants (0 for none, 8 for ㄹ).

    A parenthesis at the end is read past (the particle agrees with the word before it);
    numbers are read as Korean numerals, digits inside a Latin name in English; a unit after a
    number as its Korean word; a Latin word by the usual reading of English loanwords."""
    text = _last_words(text)
    if not text:
        return 0
    last = text[-1]
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28
    if "ㄱ" <= last <= "ㅎ":
        return _RIEUL if last == "ㄹ" else 1
    tokens = text.split()
    token = tokens[-1]
    for unit in sorted(_UNITS, key=len, reverse=True):
        if token.endswith(unit) and (token != unit or len(tokens) > 1) and (
                token == unit or re.search(r"[\d.]$", token[:-len(unit)])):
            head = token[:-len(unit)] if token != unit else tokens[-2]
            if re.search(r"\d", head) or unit in ("%", "×"):
                return _UNITS[unit]
    if token.startswith(("$", "US$")) and re.search(r"\d$", token):
        return 0  # 달러
    number = _NUMBER.search(token)
    if number and not re.search("[A-Za-z]", token[:number.start()]):
        return _korean_number(number.group("int"), number.group("frac"))
    if number:  # digits at the end of a name: EC2, S3, arm64
        return _READINGS.get(token.lower(), _english_number(number.group("int")))
    return _latin(token)


def _last_words(text: str) -> str:
    """``text`` without closing punctuation, and without a parenthesis at its end (``Lambda
    (on demand)`` -> ``Lambda``); the inside of a text wholly in parentheses."""
    while True:
        text = text.rstrip(_TRAILING)
        if not text or text[-1] not in _CLOSING:
            return text
        depth, opening = 0, None
        for index in range(len(text) - 1, -1, -1):
            if text[index] in _CLOSING:
                depth += 1
            elif text[index] in _CLOSING.values():
                depth -= 1
                if depth == 0:
                    opening = index
                    break
        if opening is None:  # unbalanced: read past the bracket
            text = text[:-1]
        elif text[:opening].strip():
            text = text[:opening]
        else:
            text = text[opening + 1:-1]


def _korean_number(integer: str, fraction: str | None) -> int:
    if fraction:
        return _DIGIT_KO[int(fraction[-1])]
    digits = integer.replace(",", "")
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == len(digits):
        return _DIGIT_KO[0]
    return _ZEROS_KO.get(zeros, 0 if zeros < 16 else 21) if zeros else _DIGIT_KO[int(digits[-1])]


def _english_number(integer: str) -> int:
    digits = integer.replace(",", "")
    if len(digits) >= 2 and digits[-1] == "0":
        return 4 if digits[-2] == "1" else 0  # ten 텐; twenty 트웬티, hundred 헌드레드
    return _DIGIT_EN[int(digits[-1])]


def _latin(token: str) -> int:
    word_ = re.sub(r"[^A-Za-z0-9]+$", "", token.split(".")[-1] if "." in token.rstrip(".")
                   else token)
    lower = word_.lower()
    if lower in _READINGS:
        return _READINGS[lower]
    if not word_:
        return 0
    if word_.isupper() and len(word_) <= 5:  # an acronym, read letter by letter
        return _LETTER.get(lower[-1], 0)
    for ending, final in (("ng", 21), ("ck", 1), ("ll", _RIEUL), ("le", _RIEUL), ("me", 16),
                          ("ne", 4), ("m", 16), ("n", 4), ("l", _RIEUL), ("c", 1)):
        if lower.endswith(ending):
            return final
    if lower[-1] in "ptk" and len(lower) >= 2 and lower[-2] in "aeiou" and \
            (len(lower) < 3 or lower[-3] not in "aeiou"):
        return {"p": 17, "t": 19, "k": 1}[lower[-1]]  # a short vowel: 팁, 스팟, 북
    return 0  # a vowel, or a consonant Korean spells with a vowel after it: 서버, 스트, 크


def templates(package: Path | None = None) -> dict[str, list[str]]:
    """Every template of the package: English text -> where it is used (``module.py:line``).

    Read from the source, not by running it: the literal first argument of every call to
    ``say``, ``word`` or ``term``. A ``say`` or ``term`` whose first argument is not a literal
    string is an error here, because its text could never be translated.
    """
    package = package or Path(__file__).resolve().parent
    found: dict[str, list[str]] = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("say", "word", "term")):
                continue
            where = f"{path.relative_to(package.parent).as_posix()}:{node.lineno}"
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                if node.func.id == "word":
                    continue  # a label marked with term() where it is written
                raise ValueError(f"{where}: {node.func.id}() needs a literal string to be "
                                 "translatable")
            fields_of(first.value)
            found.setdefault(first.value, []).append(where)
    return found
