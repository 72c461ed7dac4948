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
without a translation stays English. Numbers are formatted before they reach a template, so
every edition shows the same figures; only a large count is written in each language's own way
(:func:`large_count`: 30.1 million, 3,006만).

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

__all__ = ["check_catalogue", "fields_of", "language", "large_count", "say", "speaking",
           "templates", "term", "word"]

_CATALOGUE: ContextVar[Mapping[str, str]] = ContextVar("ec2vslambda_words",
                                                     default=MappingProxyType({}))
_FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")


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
    """``template`` translated, then filled with ``fields`` (already formatted values)."""
    return word(template).format(**fields)


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
    never ``{count:,}``), so that every edition shows the same figures."""
    names = set()
    for _text, name, spec, conversion in string.Formatter().parse(template):
        if name is not None:
            if not _FIELD.match(name) or spec or conversion:
                raise ValueError(f"template field {{{name}}} in {template!r} is not a plain name;"
                                 " allowed: lower-case names such as {count}")
            names.add(name)
    return names


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
