"""JSON read as a stream: the items of a large array one at a time, never the whole file.

``aws logs filter-log-events`` writes one JSON object whose ``events`` array may hold millions
of log events. :func:`array_items` walks the top level of such a document and yields the
items of the arrays under the key asked for, decoding each one on its own with
:meth:`json.JSONDecoder.raw_decode`; the rest of the document is decoded and dropped. It also
takes a bare top-level array, and several documents one after another (pages appended to one
file).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TextIO

from .model import TrafficError

__all__ = ["array_items"]

CHUNK_CHARS = 1 << 20
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _Reader:
    """A window on a text stream, refilled as the scan moves on; counts lines for messages."""

    def __init__(self, stream: TextIO, name: str):
        self.stream = stream
        self.name = name
        self.text = ""
        self.pos = 0
        self.eof = False
        self.lines_before = 0  # newlines in the text already dropped from the window

    def more(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(CHUNK_CHARS)
        if not chunk:
            self.eof = True
            return False
        self.lines_before += self.text.count("\n", 0, self.pos)
        self.text = self.text[self.pos:] + chunk
        self.pos = 0
        return True

    def line(self) -> int:
        return self.lines_before + self.text.count("\n", 0, self.pos) + 1

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()
            if self.pos < len(self.text) or not self.more():
                return self.text[self.pos:self.pos + 1]

    def take(self, char: str, what: str) -> None:
        if self.peek() != char:
            found = self.peek() or "the end of the file"
            raise TrafficError(self.name, f"has {found!r} where JSON needs {char!r}",
                               line=self.line(), expected=what)
        self.pos += 1

    def value(self) -> object:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                # A value cut by the window's end fails at its end, or as an unterminated
                # string; anything else is broken JSON, refused without reading further.
                cut = (error.pos >= len(self.text) - 1
                       or error.msg.startswith("Unterminated string"))
                if cut and self.more():
                    continue
                if cut:
                    raise TrafficError(self.name, "ends in the middle of a JSON value (a "
                                       "truncated file?)", line=self.line(),
                                       expected="complete JSON") from None
                raise TrafficError(self.name, f"is not valid JSON ({error.msg})",
                                   line=self.line(), expected="JSON as AWS writes it") from None
            if end == len(self.text) and not isinstance(value, dict | list | str) and self.more():
                continue  # a number cut at the window's end: decode it again, whole
            self.pos = end
            return value


def array_items(stream: TextIO, name: str, key: str) -> Iterator[object]:
    """Each item of the arrays found under ``key`` at the top of each JSON document in
    ``stream`` (or of a top-level array). Raises :class:`TrafficError` naming the line where
    the JSON breaks."""
    reader = _Reader(stream, name)
    found = False
    while reader.peek():
        if reader.peek() == "[":
            found = True
            yield from _items(reader)
            continue
        reader.take("{", f"a JSON object with an {key!r} array")
        if reader.peek() == "}":
            reader.pos += 1
            continue
        while True:
            field = reader.value()
            reader.take(":", "a ':' after a key")
            if field == key and reader.peek() == "[":
                found = True
                yield from _items(reader)
            else:
                reader.value()
            if reader.peek() == ",":
                reader.pos += 1
                continue
            reader.take("}", "',' or '}' in an object")
            break
    if not found:
        raise TrafficError(name, f"has no {key!r} array", expected=f"a JSON object with an "
                           f"{key!r} array, as the AWS CLI writes it")


def _items(reader: _Reader) -> Iterator[object]:
    reader.take("[", "an array")
    if reader.peek() == "]":
        reader.pos += 1
        return
    while True:
        yield reader.value()
        if reader.peek() == ",":
            reader.pos += 1
            continue
        reader.take("]", "',' or ']' in an array")
        return
