"""Opening a traffic file as a stream: a path or a binary file object, plain or gzip.

A file is never read into memory whole. :func:`open_text` reads its first
:data:`SNIFF_BYTES` (decompressed) to tell its format and to refuse what is not text, then
hands back a text stream that starts again from the first byte. The bytes taken from the file
on disk (compressed, for a ``.gz``) are counted for progress reports.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from .model import TrafficError

__all__ = ["SNIFF_BYTES", "Source", "broken", "open_text"]

SNIFF_BYTES = 64 * 1024
BUFFER_BYTES = 1 << 20
SPOOL_BYTES = 64 << 20
GZIP_MAGIC = b"\x1f\x8b"
# Other containers a user may pass by mistake, by their first bytes.
OTHER_CONTAINERS = ((b"PK\x03\x04", "a zip archive"), (b"BZh", "bzip2-compressed"),
                    (b"\xfd7zXZ\x00", "xz-compressed"), (b"7z\xbc\xaf", "a 7-Zip archive"),
                    (b"\x28\xb5\x2f\xfd", "zstd-compressed"), (b"%PDF", "a PDF document"),
                    (b"\x89PNG", "a PNG image"))
EXPECTED_TEXT = "a text file or a gzip-compressed (.gz) one"


@dataclass(frozen=True)
class Source:
    """A file to read: a path, or a binary file object (a browser's dropped file, say).

    ``name`` is what error messages and :attr:`Traffic.sources` call it."""

    name: str
    path: str | None = None
    stream: BinaryIO | None = None

    @classmethod
    def of(cls, value: object) -> Source:
        if isinstance(value, Source):
            return value
        if isinstance(value, str | os.PathLike):
            return cls(name=os.fspath(value), path=os.fspath(value))
        if hasattr(value, "read"):
            if isinstance(value, io.TextIOBase):
                raise TrafficError(str(getattr(value, "name", value)),
                                   "is open in text mode", expected="a path, or a file object "
                                   "opened in binary mode ('rb')")
            name = str(getattr(value, "name", None) or "<stream>")
            seekable = getattr(value, "seekable", None)
            if not (callable(seekable) and seekable()):
                # A pipe is read twice (its format is told from its start): keep a copy, in
                # memory up to SPOOL_BYTES and on disk beyond
                copy = tempfile.SpooledTemporaryFile(SPOOL_BYTES)  # noqa: SIM115 (kept open)
                shutil.copyfileobj(value, copy, BUFFER_BYTES)
                copy.seek(0)
                value = copy
            return cls(name=name, stream=value)
        raise TrafficError(repr(value), "is neither a path nor a file object",
                           expected="a path, or a binary file object with a name")

    def size(self) -> int | None:
        """Bytes on disk, when known (for progress)."""
        if self.path is not None:
            try:
                return os.path.getsize(self.path)
            except OSError:
                return None
        try:
            position = self.stream.tell()
            end = self.stream.seek(0, io.SEEK_END)
            self.stream.seek(position)
            return end
        except (AttributeError, OSError, ValueError):
            return None

    def open_binary(self) -> BinaryIO:
        if self.path is not None:
            try:
                return open(self.path, "rb")  # noqa: SIM115 (closed by the caller)
            except FileNotFoundError:
                raise TrafficError(self.name, "does not exist",
                                   expected="a path to a traffic file") from None
            except IsADirectoryError:
                raise TrafficError(self.name, "is a folder",
                                   expected="a file (pass each file of a folder)") from None
            except OSError as error:
                raise TrafficError(self.name, f"cannot be opened ({error.strerror})") from None
        if hasattr(self.stream, "seek"):
            try:
                self.stream.seek(0)
            except OSError:
                pass
        return _Unclosed(self.stream)


class _Unclosed(io.RawIOBase):
    """A caller's file object, read through but never closed (it is the caller's)."""

    def __init__(self, stream):
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


class _Counting(io.RawIOBase):
    """Reads through ``raw``, reporting the bytes taken so far to ``report``."""

    def __init__(self, raw: BinaryIO, report: Callable[[int], None] | None):
        self._raw = raw
        self._report = report
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if hasattr(self._raw, "readinto"):
            n = self._raw.readinto(buffer)
        else:
            data = self._raw.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        self.done += n or 0
        if self._report is not None:
            self._report(self.done)
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


class _Prefixed(io.RawIOBase):
    """``prefix`` (bytes already read), then the rest of ``stream``."""

    def __init__(self, prefix: bytes, stream, closer):
        self._prefix = memoryview(prefix)
        self._stream = stream
        self._closer = closer

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        return self._stream.readinto(buffer)

    def close(self) -> None:
        self._closer()
        super().close()


def broken(name: str, error: BaseException, line: int | None = None) -> TrafficError:
    """The :class:`TrafficError` for a stream that fails while being read."""
    if isinstance(error, EOFError):
        return TrafficError(name, "ends in the middle of its gzip data (a truncated download?)",
                            line=line, expected="a complete .gz file")
    if isinstance(error, gzip.BadGzipFile | zlib.error):
        return TrafficError(name, f"has corrupt gzip data ({error})", line=line,
                            expected="a valid .gz file")
    return TrafficError(name, f"cannot be read ({error})", line=line)


def _read_prefix(stream, size: int) -> bytes:
    chunks = []
    wanted = size
    while wanted > 0:
        chunk = stream.read(wanted)
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)


def open_text(source: Source, *, report: Callable[[int], None] | None = None
              ) -> tuple[str, io.TextIOWrapper]:
    """``(prefix, text)``: the first :data:`SNIFF_BYTES` of ``source`` decoded, and a text
    stream over the whole of it (UTF-8; a byte that is not UTF-8 reads as U+FFFD, so a
    malformed line is skipped rather than the file refused). Lines keep their endings
    (``newline=""``), as the csv module needs; the line readers ignore them.

    Raises :class:`TrafficError` for an empty file, a binary one, another kind of archive and
    a gzip file that is truncated or corrupt in its first bytes. ``report(bytes_done)`` is
    called as the file on disk is read. Close ``text`` when done.
    """
    raw = _Counting(source.open_binary(), report)
    try:
        buffered = io.BufferedReader(raw, BUFFER_BYTES)
        head = buffered.peek(8)[:8]
        stream = buffered
        if head.startswith(GZIP_MAGIC):
            stream = gzip.GzipFile(fileobj=buffered, mode="rb")
        else:
            for magic, kind in OTHER_CONTAINERS:
                if head.startswith(magic):
                    raise TrafficError(source.name, f"is {kind}", expected=EXPECTED_TEXT)
        try:
            prefix = _read_prefix(stream, SNIFF_BYTES)
        except (EOFError, OSError, zlib.error) as error:
            raise broken(source.name, error) from None
        if not prefix.strip():
            raise TrafficError(source.name, "is empty" if not prefix else "holds only blank "
                               "space", expected="traffic records")
        if b"\x00" in prefix:
            raise TrafficError(source.name, "is a binary file, not text", expected=EXPECTED_TEXT)
        text = prefix.decode("utf-8", "replace")
        if text.count("\ufffd") > len(text) // 20:
            raise TrafficError(source.name, "is not UTF-8 text (a binary file?)",
                               expected=EXPECTED_TEXT)
        whole = io.BufferedReader(_Prefixed(prefix, stream, raw.close), BUFFER_BYTES)
        wrapper = io.TextIOWrapper(whole, encoding="utf-8-sig", errors="replace", newline="")
    except BaseException:
        raw.close()
        raise
    return text.removeprefix("\ufeff"), wrapper
