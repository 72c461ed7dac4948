"""One small piece of logic served two ways: as a Lambda handler and as a long-running server.

The logic, :func:`plan_thumbnail`, is the first step of the book's running example (an S3 upload
becomes a thumbnail): given an uploaded object's key and size, decide whether to make a
thumbnail and where to write it. It knows nothing about how it is called.

* **The Lambda way.** :func:`handler` has the signature Lambda calls, ``handler(event, context)``.
  It recognises three event shapes (an S3 put notification, an API Gateway HTTP API request in
  payload format 2.0, a batch of SQS messages), pulls the key and size out of each, calls the
  logic and returns what that event source expects back.
* **The EC2 way.** :class:`PlanServer` is a long-running HTTP server from the standard library,
  the kind of process you would keep running on an instance. It binds to ``127.0.0.1`` only, on
  a free port, runs in a background thread, and stops when asked (or when its ``with`` block
  ends). :func:`call_server` calls it over real HTTP.

Both the HTTP API route and the server answer through :func:`plan_from_request`, so the two ways
return the same body for the same request.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath
from typing import cast
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit

from .validation import Allowed, InputError, choice, number, text, whole

__all__ = ["IMAGE_TYPES", "LOOPBACK", "ROUTE", "THUMBNAIL_PREFIX", "LambdaContext", "PlanServer",
           "call_server", "event_source", "handler", "plan_from_request", "plan_thumbnail"]

LOOPBACK = "127.0.0.1"
THUMBNAIL_PREFIX = "thumbnails/"
ROUTE = "/plan"
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
               ".gif": "image/gif", ".webp": "image/webp"}


# --- the logic ------------------------------------------------------------------------------

def plan_thumbnail(key: str, size_bytes: int) -> dict[str, object]:
    """Decide what to do with one uploaded object.

    Returns a dict with ``source_key``, ``size_bytes``, ``action`` (``"resize"`` or ``"skip"``),
    ``thumbnail_key`` and ``content_type`` (``None`` when skipped) and a ``reason``.

    Objects already under ``thumbnails/`` are skipped: writing a thumbnail of a thumbnail back
    into the same bucket would trigger the function again, and again (a recursive loop).
    """
    key = text("key", key, "a non-empty object key")
    size_bytes = whole("size_bytes", size_bytes)
    plan: dict[str, object] = {"source_key": key, "size_bytes": size_bytes, "action": "skip",
                               "thumbnail_key": None, "content_type": None}
    suffix = PurePosixPath(key).suffix.lower()
    if key.startswith(THUMBNAIL_PREFIX):
        plan["reason"] = "already a thumbnail; resizing it would trigger the function again"
    elif suffix not in IMAGE_TYPES:
        plan["reason"] = f"'{suffix or '(none)'}' is not an image type this function resizes"
    elif size_bytes == 0:
        plan["reason"] = "empty object"
    else:
        plan.update(action="resize", thumbnail_key=THUMBNAIL_PREFIX + key,
                    content_type=IMAGE_TYPES[suffix], reason="image upload")
    return plan


def plan_from_request(method: str, query: dict[str, str], body: str | None
                      ) -> tuple[int, dict[str, object]]:
    """Answer one HTTP request to ``/plan``: ``(status, JSON body)``.

    ``GET /plan?key=...&size_bytes=...`` or ``POST /plan`` with a JSON body
    ``{"key": ..., "size_bytes": ...}``. Bad input is a 400 with an ``error`` message, never a
    traceback.
    """
    try:
        if method == "GET":
            fields: dict[str, object] = dict(query)
        elif method == "POST":
            fields = json.loads(body or "")
            if not isinstance(fields, dict):
                raise InputError("body", fields, "is not allowed",
                                 Allowed(text="a JSON object with key and size_bytes"))
        else:
            return int(HTTPStatus.METHOD_NOT_ALLOWED), {"error": f"method {method} not allowed; "
                                                        "allowed: GET, POST"}
        size = fields.get("size_bytes")
        if isinstance(size, str):
            size = int(size) if size.isdigit() else size
        # plan_thumbnail checks both, and refuses what is not a key or a size
        return int(HTTPStatus.OK), plan_thumbnail(cast(str, fields.get("key")), cast(int, size))
    except json.JSONDecodeError as error:
        return int(HTTPStatus.BAD_REQUEST), {"error": f"body is not JSON: {error.msg}"}
    except ValueError as error:
        return int(HTTPStatus.BAD_REQUEST), {"error": str(error)}


# --- the Lambda way -------------------------------------------------------------------------

@dataclass
class LambdaContext:
    """The attributes of the context object Lambda passes to a Python handler.

    ``timeout_s`` sets the deadline behind :meth:`get_remaining_time_in_millis`.
    """

    function_name: str = "make-thumbnail"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    aws_request_id: str = "c0ffee00-0000-4000-8000-000000000001"
    timeout_s: float = 30.0
    log_group_name: str = "/aws/lambda/make-thumbnail"
    log_stream_name: str = "2026/11/27/[$LATEST]0123456789abcdef"
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        number("timeout_s", self.timeout_s)
        self._deadline = time.monotonic() + self.timeout_s

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def event_source(event: object) -> str:
    """Which service sent ``event``: ``"s3"``, ``"http"`` (HTTP API 2.0) or ``"sqs"``."""
    if isinstance(event, dict):
        if event.get("version") == "2.0" and "requestContext" in event:
            return "http"
        records = event.get("Records")
        if isinstance(records, list) and records and isinstance(records[0], dict):
            source = records[0].get("eventSource")
            if source in ("aws:s3", "aws:sqs"):
                return source[4:]
    raise InputError("event", event, "is not an S3 notification, an HTTP API 2.0 request or an "
                     "SQS batch", Allowed(text="one of those three shapes"))


def _http_response(status: int, payload: dict[str, object]) -> dict[str, object]:
    return {"statusCode": status, "headers": {"content-type": "application/json"},
            "body": json.dumps(payload), "isBase64Encoded": False}


def handler(event: dict, context: LambdaContext | None = None) -> dict:
    """A Lambda handler for the three event sources.

    * S3: one plan per record, ``{"plans": [...]}`` (S3 ignores the return value; a real
      function would now write the thumbnail).
    * HTTP API: an HTTP response in payload format 2.0 (``statusCode``, ``headers``, ``body``).
    * SQS: ``{"batchItemFailures": [...], "plans": [...]}``. Lambda reads ``batchItemFailures``
      (when the mapping reports batch item failures) and sends only those messages back to the
      queue; ``plans`` is there so a reader can see the work.
    """
    source = event_source(event)
    if source == "s3":
        plans = []
        for record in event["Records"]:
            obj = record["s3"]["object"]
            plans.append(plan_thumbnail(unquote_plus(obj["key"]), obj["size"]))
        return {"plans": plans}
    if source == "http":
        http = event["requestContext"]["http"]
        if http["path"] != ROUTE:
            return _http_response(int(HTTPStatus.NOT_FOUND), {"error": f"no route {http['path']}"})
        status, payload = plan_from_request(http["method"], event.get("queryStringParameters")
                                            or {}, event.get("body"))
        return _http_response(status, payload)
    failures, plans = [], []
    for record in event["Records"]:
        status, payload = plan_from_request("POST", {}, record["body"])
        if status == HTTPStatus.OK:
            plans.append(payload)
        else:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures, "plans": plans}


# --- the EC2 way ----------------------------------------------------------------------------

class _PlanRequestHandler(BaseHTTPRequestHandler):
    server_version = "PlanServer/1.0"

    def _answer(self, method: str) -> None:
        url = urlsplit(self.path)
        payload: dict[str, object]
        if url.path != ROUTE:
            status, payload = int(HTTPStatus.NOT_FOUND), {"error": f"no route {url.path}"}
        else:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8") if length else None
            status, payload = plan_from_request(method, dict(parse_qsl(url.query)), body)
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._answer("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._answer("POST")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet: a notebook must print the same text on every run."""


class PlanServer:
    """The logic behind a long-running HTTP server on ``127.0.0.1``.

    ``port=0`` asks the operating system for a free port. Use it as a context manager, or call
    :meth:`start` and :meth:`stop`::

        with PlanServer() as server:
            call_server(server.url, "photos/cat.jpg", 48_213)
    """

    def __init__(self, host: str = LOOPBACK, port: int = 0) -> None:
        self.host = choice("host", host, (LOOPBACK,))
        self.requested_port = whole("port", port, high=65535)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the server is not running; call start() first")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> PlanServer:
        if self._server is None:
            server = ThreadingHTTPServer((self.host, self.requested_port), _PlanRequestHandler)
            server.daemon_threads = True
            self._server = server
            # a short poll interval so that stop() returns at once
            self._thread = threading.Thread(target=server.serve_forever, args=(0.05,),
                                            name="plan-server", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join()
            self._server = None
            self._thread = None

    def __enter__(self) -> PlanServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def call_server(url: str, key: str, size_bytes: int, *, method: str = "POST",
                timeout_s: float = 5.0) -> tuple[int, dict[str, object]]:
    """Ask a running :class:`PlanServer` for a plan over HTTP: ``(status, JSON body)``.

    Only loopback addresses are allowed: this book never calls another host.
    """
    if not isinstance(url, str) or urlsplit(url).hostname != LOOPBACK:
        raise InputError("url", url, "is not allowed",
                         Allowed(text=f"an http://{LOOPBACK}:PORT address"))
    method = choice("method", method, ("GET", "POST"))
    timeout_s = number("timeout_s", timeout_s, low=0.001, high=60.0)
    if method == "GET":
        request = urllib.request.Request(
            f"{url}{ROUTE}?{urlencode({'key': key, 'size_bytes': size_bytes})}", method="GET")
    else:
        request = urllib.request.Request(
            f"{url}{ROUTE}", data=json.dumps({"key": key, "size_bytes": size_bytes}).encode(),
            headers={"Content-Type": "application/json"}, method="POST")
    # No proxy: a proxy set in the environment must never see (or forward) a loopback call.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout_s) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
