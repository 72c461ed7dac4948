"""Sample events shaped like the ones AWS services deliver to a Lambda function.

Three builders, each returning a plain ``dict`` (what a Python handler receives after Lambda has
parsed the JSON):

* :func:`s3_put_event` — an Amazon S3 event notification for ``ObjectCreated:Put``
  (event structure version 2.1). The object key arrives URL-encoded, as S3 sends it.
* :func:`http_api_event` — an Amazon API Gateway HTTP API request, payload format version 2.0.
* :func:`sqs_event` — a batch of Amazon SQS messages from an event source mapping.

Everything that AWS would fill with a random ID or the current time is derived from the inputs
instead, so a notebook prints the same event on every run. The account ID ``123456789012`` is the
placeholder AWS uses in its own documentation.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from urllib.parse import quote_plus, urlencode

from .validation import Allowed, InputError, choice, text, whole

__all__ = ["ACCOUNT_ID", "EVENT_TIME", "HTTP_METHODS", "REGION", "http_api_event", "s3_put_event",
           "sqs_event"]

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
#: A fixed moment for every sample event (the day this book's data were checked).
EVENT_TIME = dt.datetime(2026, 11, 27, 9, 0, 0, tzinfo=dt.UTC)
HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")

_NAMESPACE = uuid.UUID("6f1d3c1e-6a53-4d0e-9a38-2f8a4b1f0c11")


def _stable_id(*parts: object) -> str:
    """A UUID that depends only on ``parts``: the same inputs give the same ID."""
    return str(uuid.uuid5(_NAMESPACE, "|".join(map(str, parts))))


def _iso_ms(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def s3_put_event(bucket: str, key: str, size_bytes: int, *, region: str = REGION,
                 event_time: dt.datetime = EVENT_TIME) -> dict:
    """An S3 ``ObjectCreated:Put`` notification for one object.

    ``key`` is the object key as the uploader wrote it; in the event it is URL-encoded (a space
    becomes ``+``), so a handler must decode it with ``urllib.parse.unquote_plus``.
    """
    bucket = text("bucket", bucket)
    key = text("key", key)
    size_bytes = whole("size_bytes", size_bytes)
    request_id = _stable_id("s3", bucket, key, size_bytes).replace("-", "")[:16].upper()
    return {"Records": [{
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": region,
        "eventTime": _iso_ms(event_time),
        "eventName": "ObjectCreated:Put",
        "userIdentity": {"principalId": "AWS:AIDAEXAMPLEUPLOADER"},
        "requestParameters": {"sourceIPAddress": "198.51.100.10"},
        "responseElements": {"x-amz-request-id": request_id,
                             "x-amz-id-2": base64.b64encode(request_id.encode()).decode()},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "thumbnail-on-upload",
            "bucket": {"name": bucket,
                       "ownerIdentity": {"principalId": "AEXAMPLEOWNER"},
                       "arn": f"arn:aws:s3:::{bucket}"},
            "object": {"key": quote_plus(key, safe="/"),
                       "size": size_bytes,
                       "eTag": hashlib.md5(f"{bucket}/{key}/{size_bytes}".encode()).hexdigest(),
                       "sequencer": f"{int(event_time.timestamp() * 1000):016X}"},
        },
    }]}


def http_api_event(method: str, path: str, *, query: dict[str, str] | None = None,
                   body: dict | str | None = None, headers: dict[str, str] | None = None,
                   event_time: dt.datetime = EVENT_TIME) -> dict:
    """An API Gateway HTTP API request (payload format version 2.0) for ``method path``.

    ``body`` may be a dict (sent as JSON) or a string. Header names are lower-cased, as API
    Gateway delivers them.
    """
    method = choice("method", method, HTTP_METHODS)
    path = text("path", path)
    if not path.startswith("/"):
        raise InputError("path", path, "is not allowed",
                         Allowed(text="a path starting with '/'"))
    sent_headers = {"content-type": "application/json", "host": "api.example.com",
                    "user-agent": "ec2vslambda-demo"}
    sent_headers.update({k.lower(): v for k, v in (headers or {}).items()})
    sent = json.dumps(body) if isinstance(body, dict) else body
    request_id = _stable_id("http", method, path, sorted((query or {}).items()), sent)
    event: dict = {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": urlencode(query or {}),
        "headers": sent_headers,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": "a1b2c3d4e5",
            "domainName": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "a1b2c3d4e5",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": "198.51.100.20", "userAgent": sent_headers["user-agent"]},
            "requestId": request_id,
            "routeKey": f"{method} {path}",
            "stage": "$default",
            "time": event_time.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(event_time.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = dict(query)
    if sent is not None:
        event["body"] = sent
    return event


def sqs_event(bodies: list[dict | str], *, queue_name: str = "thumbnail-jobs",
              region: str = REGION, event_time: dt.datetime = EVENT_TIME) -> dict:
    """A batch of SQS messages as an event source mapping delivers them.

    Each body may be a dict (sent as JSON) or a string (sent as is, e.g. a malformed message).
    """
    queue_name = text("queue_name", queue_name)
    if not isinstance(bodies, list) or not bodies:
        raise InputError("bodies", bodies, "is not allowed", Allowed(text="a non-empty list"))
    sent_ms = int(event_time.timestamp() * 1000)
    records = []
    for number, body in enumerate(bodies, start=1):
        sent = json.dumps(body) if isinstance(body, dict) else text(f"bodies[{number - 1}]", body)
        message_id = _stable_id("sqs", queue_name, number, sent)
        records.append({
            "messageId": message_id,
            "receiptHandle": base64.b64encode(f"{queue_name}/{message_id}".encode()).decode(),
            "body": sent,
            "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": str(sent_ms),
                           "SenderId": "AIDAEXAMPLESENDER",
                           "ApproximateFirstReceiveTimestamp": str(sent_ms + number)},
            "messageAttributes": {},
            "md5OfBody": hashlib.md5(sent.encode()).hexdigest(),
            "eventSource": "aws:sqs",
            "eventSourceARN": f"arn:aws:sqs:{region}:{ACCOUNT_ID}:{queue_name}",
            "awsRegion": region,
        })
    return {"Records": records}
