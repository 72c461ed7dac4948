"""Page text the course package wrote, translated with the package's own templates.

A sentence a calculator or the decision guide writes into a notebook's stored output (a result's
summary, a reason of the guide, a cell of its table) is page text: Sphinx extracts it into the
page's catalogue like any paragraph. Its translation is not written by hand. It is the
translated template of ``book.po`` filled with the same values, so the stored result on a page
and the live calculator in the reader's browser word one result the same way.

:func:`retell` reads an English text back into the template that wrote it and fills that
template's translation; :func:`derive` does the same for a page's msgid, whose Markdown (a bold
result, ``\\$`` for a dollar sign) it keeps. ``make translations`` writes the derived entries
(:func:`fill`), and ``tests/test_translations.py`` fails when a page's entry differs from its
derivation.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

from ec2vslambda import words

#: Text with no English word in it (numbers, money, codes such as ``m7g.large`` or ``x86_64``,
#: function names such as ``exp(``, acronyms, product names, unit symbols) reads the same in
#: every edition. Words joined by hyphens (``shutting-down``) are words; a capitalised word is a
#: word unless it is one of the names the Korean edition keeps as they are.
_TOKEN = re.compile(r"[\w.\-/:]+\(?")
_WORDS = re.compile(r"[A-Za-z][a-z]+(?:-[A-Za-z]?[a-z]+)*")
_UNIT_SYMBOLS = {"ms", "min", "vs"}
NAMES = frozenset((
    "Amazon", "Binder", "Colab", "Fargate", "Firecracker", "Firehose", "Go", "Google",
    "Graviton", "Intel", "Java", "Jupyter", "Kinesis", "Lambda", "Linux", "Nitro", "Pillow",
    "Python", "Ruby", "Rust", "Swift", "Ubuntu", "Windows", "Xeon"))
#: Names of several words the Korean edition keeps as AWS's Korean documentation does.
NAME_PHRASES = ("Application Load Balancer", "Classic Load Balancer", "Elastic Load Balancing",
                "API Gateway", "Auto Scaling", "Savings Plans", "Savings Plan", "Step Functions",
                "Power Tuning", "CloudWatch Logs")
_SEPARATORS = ("; ", ", ")
_SENTENCE_END = re.compile(r"(?<=[.!?]) (?=[A-Z])")
_MILLION = re.compile(r"(\d[\d,]*(?:\.\d+)?) million\Z")
_FORMATTER = string.Formatter()
#: A page's text is taken for the package's when a template with at least this much text of
#: its own matches it whole ("{share} busy" could match any heading).
_MIN_LITERAL = 12


def plain(text: str) -> bool:
    """Whether ``text`` holds no lower-case English word (so it is the same in every language)."""
    for phrase in NAME_PHRASES:
        text = text.replace(phrase, " ")
    for token in _TOKEN.findall(text):
        if token.endswith("(") or not _WORDS.fullmatch(token):
            continue  # a function name, a code, a number, an acronym or a CamelCase name
        if token not in _UNIT_SYMBOLS and token not in NAMES:
            return False
    return True


class Retelling:
    """The templates of one catalogue (English -> translation), ready to read texts back."""

    def __init__(self, catalogue: Mapping[str, str], language: str = "en"):
        self.catalogue = {k: v for k, v in catalogue.items() if k and v}
        self.language = language

    @cached_property
    def chunks(self) -> dict[str, tuple[str, ...]]:
        """Each template's literal pieces: a text without all of them cannot be its output (a
        quick test before the regular expression)."""
        return {english: tuple(text for text, *_rest in _FORMATTER.parse(english) if text.strip())
                for _pattern, english, _literal in self.patterns}

    def _could_be(self, english: str, text: str) -> bool:
        return all(chunk in text for chunk in self.chunks[english])

    @cached_property
    def patterns(self) -> list[tuple[re.Pattern, str, int]]:
        """(regular expression, template, characters of literal text), most literal first."""
        found = []
        for english in self.catalogue:
            try:
                fields = words.fields_of(english)
            except ValueError:
                continue
            if not fields:
                continue
            parts, seen, literal = [], set(), 0
            for text, name, _spec, _conversion in _FORMATTER.parse(english):
                parts.append(re.escape(text))
                literal += len(text)
                if name is not None:
                    parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
                    seen.add(name)
            found.append((re.compile("".join(parts) + r"\Z", re.DOTALL), english, literal))
        return sorted(found, key=lambda item: -item[2])

    @cached_property
    def unanchored(self) -> list[tuple[re.Pattern, str, int]]:
        """The same expressions, found anywhere in a text (a result of several sentences)."""
        return [(re.compile(p.pattern.removesuffix(r"\Z"), re.DOTALL), e, n)
                for p, e, n in self.patterns]

    def retell(self, text: str, depth: int = 0) -> str | None:
        """``text`` in the catalogue's language, or None when no template accounts for it.

        Exact entries first; then a text with no English word in it, unchanged; then a filled
        template, each value retold in turn; then a list (``a; b`` or ``a, b``) of retellable
        parts."""
        if text in self.catalogue:
            return self.catalogue[text]
        count = _MILLION.match(text)
        if count:  # a large count, written as the language counts (words.large_count)
            with words.speaking({"": f"Language: {self.language}"}):
                return words.large_count(float(count.group(1).replace(",", "")) * 1e6)
        if plain(text):
            return text
        if depth > 6:
            return None
        for pattern, english, _literal in self.patterns:
            if not self._could_be(english, text):
                continue
            match = pattern.match(text)
            if match is None:
                continue
            values = {}
            for name, value in match.groupdict().items():
                told = self.retell(value, depth + 1)
                if told is None:
                    break
                values[name] = told
            else:
                with words.speaking({english: self.catalogue[english]}):
                    return words.say(english, **values)
        for separator in _SEPARATORS:
            if separator in text:
                parts = [self.retell(part, depth + 1) for part in text.split(separator)]
                if all(part is not None for part in parts):
                    return separator.join(parts)
        head, _space, amount = text.rpartition(" ")
        if head and plain(amount):  # a label and its figure: "public IPv4 $0.30"
            told = self.retell(head, depth + 1)
            if told is not None:
                return f"{told} {amount}"
        for boundary in _SENTENCE_END.finditer(text):  # sentences written one after another
            first = self.retell(text[:boundary.start()], depth + 1)
            rest = self.retell(text[boundary.end():], depth + 1) if first is not None else None
            if rest is not None:
                return f"{first} {rest}"
        return None

    def derive(self, msgid: str) -> str | None:
        """A page's msgid that the package wrote, translated; None when it is not one.

        A stored result is Markdown: bold (``**...**``) and dollar signs escaped (``\\$``), which
        the translation keeps. Only text that a template accounts for is derived: an entry
        that is a catalogue word alone (a heading such as ``Cost``) is left to its page."""
        inner, bold = msgid, False
        if inner.startswith("**") and inner.endswith("**") and inner.count("**") == 2:
            inner, bold = inner[2:-2], True
        inner = inner.replace("\\$", "$")
        if plain(inner) or not any(literal >= _MIN_LITERAL and self._could_be(e, inner)
                                   and p.search(inner) for p, e, literal in self.unanchored):
            return None
        told = self.retell(inner)
        if told is None:
            return None
        told = re.sub(r"(?<!\\)\$", r"\\$", told)
        return f"**{told}**" if bold else told


def book_catalogue(language: str, locale: Path) -> dict[str, str]:
    """English -> translation from ``locale/<language>/LC_MESSAGES/book.po`` (translated only)."""
    import polib

    path = locale / language / "LC_MESSAGES" / "book.po"
    return {e.msgid: e.msgstr for e in polib.pofile(str(path)).translated_entries()}


def fill(language: str, locale: Path) -> list[str]:
    """Write every derivable entry of the language's page catalogues; return what changed."""
    import polib

    retelling = Retelling(book_catalogue(language, locale), language)
    changed = []
    base = locale / language / "LC_MESSAGES"
    for path in sorted(base.rglob("*.po")):
        if path.name in ("book.po", "sphinx.po", "booktheme.po"):
            continue
        po = polib.pofile(str(path), wrapwidth=0)
        touched = False
        for entry in po:
            derived = retelling.derive(entry.msgid)
            if derived is None or (entry.msgstr == derived and "fuzzy" not in entry.flags):
                continue
            entry.msgstr = derived
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            touched = True
            changed.append(f"{path.relative_to(base)}: {entry.msgid[:70]}")
        if touched:
            po.save()
    return changed
