"""Serve the built site as a static host would: compressed, with validators, on loopback.

``make serve`` runs this. Python's ``http.server`` sends every file as it is on disk, so a
reader's first calculator pulled about 17 MB; a real static host sends text, JavaScript and
WebAssembly compressed. This server does the same, with the standard library's ``http.server``:

* a file whose type compresses (HTML, CSS, JavaScript, JSON, WebAssembly, SVG, fonts other
  than WOFF2, text) goes out as brotli when the browser accepts it and the ``brotli`` package
  is installed (``requirements.txt`` pins it), else as gzip; zips, images and WOFF2 fonts are
  compressed already and go out as they are;
* each compressed copy is made once and kept in a cache folder outside the site (default
  ``_build/serve-cache``), named by the file's path, size and modification time, so a rebuilt
  file is compressed again and an unchanged one never is; a background thread compresses the
  runtime's large files as the server starts, so the first click does not wait for it;
* ``Last-Modified``, ``ETag`` and ``Vary: Accept-Encoding`` let browsers cache and revalidate.

It listens on 127.0.0.1 unless ``--host`` (``make serve HOST=...``) names another address: to
serve a classroom from one laptop, the instructor names the laptop's address, or 0.0.0.0, on
purpose (see the setup page of the workshop).

    python tools/serve.py [--host 127.0.0.1] [--port 8000] [--directory _build/html]
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import gzip
import hashlib
import os
import sys
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: File types sent compressed (by suffix); everything else is sent as it is.
COMPRESSIBLE = {".html", ".htm", ".css", ".js", ".mjs", ".json", ".map", ".wasm", ".svg",
                ".txt", ".xml", ".ttf", ".otf", ".eot", ".ico", ".csv", ".md", ".py", ".ipynb",
                ".pot", ".po", ".bib", ".tex", ".inv"}
MIN_BYTES = 1024  # smaller files gain nothing worth the header
#: Types Python's ``mimetypes`` may not know, which browsers need exactly (module scripts and
#: streaming WebAssembly compilation check them).
TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
         ".json": "application/json", ".svg": "image/svg+xml", ".woff2": "font/woff2",
         ".ico": "image/x-icon"}

try:
    import brotli
except ImportError:  # pragma: no cover - pinned in requirements.txt
    brotli = None


def _brotli(data: bytes) -> bytes:
    # quality 9 for ordinary files; 5 for the multi-megabyte runtime, which at 9 and above
    # takes many seconds to compress for a few per cent
    return brotli.compress(data, quality=9 if len(data) < 2_000_000 else 5)


ENCODERS = {"gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0)}
if brotli is not None:
    ENCODERS = {"br": _brotli, **ENCODERS}


def accepted(header: str | None) -> list[str]:
    """The encodings this server can send that an ``Accept-Encoding`` header allows, best
    first (``q=0`` refuses one)."""
    allowed = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        q = params.strip()
        if q.startswith("q=") and float(q[2:] or 0) == 0:
            continue
        allowed.add(name.strip().lower())
    return [name for name in ENCODERS if name in allowed or "*" in allowed]


class CompressedCache:
    """Compressed copies of the site's files, made once per file version."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def path(self, file: Path, encoding: str) -> Path:
        """The compressed copy of ``file`` for ``encoding``, made if missing."""
        stat = file.stat()
        key = hashlib.sha256(f"{file.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|"
                             f"{encoding}".encode()).hexdigest()[:32]
        target = self.folder / f"{key}.{encoding}"
        if target.exists():
            return target
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one thread compresses, the others wait for its result
            if not target.exists():
                partial = target.with_suffix(f".{encoding}.{threading.get_ident()}.partial")
                partial.write_bytes(ENCODERS[encoding](file.read_bytes()))
                os.replace(partial, target)
        return target


def compressible(path: Path) -> bool:
    return path.suffix.lower() in COMPRESSIBLE and path.stat().st_size >= MIN_BYTES


class Handler(SimpleHTTPRequestHandler):
    """``SimpleHTTPRequestHandler`` that sends compressed copies and answers revalidation."""

    protocol_version = "HTTP/1.1"  # keep-alive: one connection serves many files
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def __init__(self, *args, cache: CompressedCache, quiet: bool = False, **kwargs):
        self.cache = cache
        self.quiet = quiet
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if not self.quiet:
            super().log_message(format, *args)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            index = path / "index.html"
            if not self.path.split("?", 1)[0].endswith("/") or not index.is_file():
                return super().send_head()  # the redirect to "dir/", or a 404
            path = index
        if not path.is_file():
            return super().send_head()
        stat = path.stat()
        encodings = accepted(self.headers.get("Accept-Encoding")) if compressible(path) else []
        encoding = encodings[0] if encodings else None
        etag = f'W/"{stat.st_mtime_ns:x}-{stat.st_size:x}{"-" + encoding if encoding else ""}"'
        if self._not_modified(etag, stat.st_mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        body = self.cache.path(path, encoding) if encoding else path
        handle = open(body, "rb")  # noqa: SIM115 - the base class closes it after copying
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(os.fstat(handle.fileno()).st_size))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.send_header("ETag", etag)
        self.end_headers()
        return handle

    def _not_modified(self, etag: str, mtime: float) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                when = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
            return int(mtime) <= when.timestamp()
        return False


def warm(directory: Path, cache: CompressedCache, prefix: str = "_live") -> threading.Thread:
    """Compress the runtime's files in the background, largest first."""
    def run() -> None:
        files = sorted((p for p in (directory / prefix).rglob("*")
                        if p.is_file() and compressible(p)),
                       key=lambda p: -p.stat().st_size)
        for file in files:
            for encoding in ENCODERS:
                try:
                    cache.path(file, encoding)
                except OSError:
                    return  # the site was rebuilt or removed under us: requests will redo it

    thread = threading.Thread(target=run, name="compress-runtime", daemon=True)
    thread.start()
    return thread


class QuietServer(ThreadingHTTPServer):
    """A threaded server that does not print a traceback when a browser drops a connection."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 0,
                cache_dir: Path | None = None, quiet: bool = False,
                handler_class: type[Handler] = Handler) -> ThreadingHTTPServer:
    """A threaded server for ``directory`` (port 0: any free port); start it with
    ``serve_forever``."""
    cache = CompressedCache(cache_dir or ROOT / "_build" / "serve-cache")
    handler = functools.partial(handler_class, directory=str(directory), cache=cache,
                                quiet=quiet)
    server = QuietServer((host, port), handler)
    server.cache = cache
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--directory", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder for compressed copies (default _build/serve-cache)")
    args = parser.parse_args(argv)
    if not (args.directory / "index.html").is_file():
        print(f"no built site at {args.directory}: run `make book` first", file=sys.stderr)
        return 1
    server = make_server(args.directory, args.host, args.port, args.cache)
    warm(args.directory, server.cache)
    shown = "127.0.0.1" if args.host in ("127.0.0.1", "localhost") else args.host
    kinds = " and ".join(ENCODERS)
    print(f"Serving {args.directory} at http://{shown}:{server.server_address[1]}/ "
          f"(compressed: {kinds}; Ctrl-C stops it)")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Listening on {args.host}: other machines on this network can read the book.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
