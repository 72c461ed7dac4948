"""A private, offline stand-in for S3 and SQS: moto's server mode on the loopback interface.

The thumbnail lab runs real boto3 code against real HTTP APIs without an AWS account. boto3
reads the standard ``AWS_ENDPOINT_URL`` environment variable, so code that creates plain clients
(``boto3.client("s3")``, no endpoint and no keys in the code) talks to whatever that variable
names. :func:`local_aws` starts a moto server on 127.0.0.1 and a free port, points the variables
at it with dummy credentials for the duration of a ``with`` block, and restores everything
afterwards.

:func:`check_target` is the safety catch used by the lab's runtimes: it refuses to run unless
the endpoint is on loopback, or the learner has explicitly opted in to real AWS with
``EC2VSLAMBDA_ALLOW_REAL_AWS=1``.
"""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["DEFAULT_REGION", "LOOPBACK_HOSTS", "OPT_IN_VARIABLE", "LocalAws", "RealAwsRefused",
           "awkward_uploads", "bomb_png", "check_target", "connect_bucket_to_queue",
           "is_loopback_url", "local_aws", "local_environment", "patched_environment", "s3_event",
           "sample_photo"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
OPT_IN_VARIABLE = "EC2VSLAMBDA_ALLOW_REAL_AWS"
DEFAULT_REGION = "us-east-1"

# Variables that decide where boto3 sends requests and whose credentials it signs them with.
# Inside the local scope every one of them is either set to a local value or removed, so that a
# learner's own profile or session token can never leak into (or be used by) the lab.
_MANAGED_VARIABLES = (
    "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE",
    "AWS_EC2_METADATA_DISABLED", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
)


class RealAwsRefused(ValueError):
    """Raised when code would talk to an endpoint that is not on this machine."""


def is_loopback_url(url: str | None) -> bool:
    """True when ``url`` is an http(s) URL whose host is this machine's loopback interface."""
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.hostname in LOOPBACK_HOSTS


def check_target(environ: Mapping[str, str] | None = None, *,
                 allow_real_aws: bool | None = None) -> str:
    """Refuse to run against anything but a loopback endpoint, unless opted in.

    Returns the endpoint URL in use (``"AWS"`` when the learner opted in and no endpoint is
    set). The opt-in is either ``allow_real_aws=True`` or ``EC2VSLAMBDA_ALLOW_REAL_AWS=1`` in
    ``environ``; both are deliberate acts, never defaults.
    """
    environ = os.environ if environ is None else environ
    endpoint = environ.get("AWS_ENDPOINT_URL", "")
    if is_loopback_url(endpoint):
        return endpoint
    opted_in = allow_real_aws if allow_real_aws is not None else (
        environ.get(OPT_IN_VARIABLE, "") == "1")
    if opted_in:
        return endpoint or "AWS"
    raise RealAwsRefused(
        f"AWS_ENDPOINT_URL={endpoint!r} is not a local endpoint; allowed: http://127.0.0.1:PORT "
        f"(start one with ec2vslambda.localaws.local_aws()), or opt in to real AWS, and its "
        f"bill, with {OPT_IN_VARIABLE}=1")


def local_environment(endpoint_url: str, region: str = DEFAULT_REGION) -> dict[str, str]:
    """The environment variables that send boto3 to ``endpoint_url`` with dummy credentials."""
    if not is_loopback_url(endpoint_url):
        raise RealAwsRefused(f"endpoint_url={endpoint_url!r} is not on loopback; allowed: "
                             "http://127.0.0.1:PORT")
    return {
        "AWS_ENDPOINT_URL": endpoint_url,
        # moto accepts any key; these are deliberately not shaped like real ones
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        # never ask the EC2 instance metadata service (169.254.169.254) for credentials
        "AWS_EC2_METADATA_DISABLED": "true",
        # ignore the learner's ~/.aws files, which could name a profile or another endpoint
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }


@contextmanager
def patched_environment(values: Mapping[str, str],
                        environ: MutableMapping[str, str] | None = None) -> Iterator[None]:
    """Set ``values`` in ``environ`` and remove the other managed variables; restore on exit."""
    environ = os.environ if environ is None else environ
    names = set(_MANAGED_VARIABLES) | set(values)
    saved = {name: environ.get(name) for name in names}
    try:
        for name in names:
            environ.pop(name, None)
        environ.update(values)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                environ.pop(name, None)
            else:
                environ[name] = value


@dataclass(frozen=True)
class LocalAws:
    """A running local S3/SQS server and the environment that points boto3 at it."""

    endpoint_url: str
    port: int
    region: str
    environment: dict[str, str]

    def client(self, service: str):
        """A boto3 client for ``service`` on the local server (explicit, for set-up code)."""
        import boto3

        return boto3.client(service, endpoint_url=self.endpoint_url, region_name=self.region,
                            aws_access_key_id=self.environment["AWS_ACCESS_KEY_ID"],
                            aws_secret_access_key=self.environment["AWS_SECRET_ACCESS_KEY"])


@contextmanager
def local_aws(region: str = DEFAULT_REGION, *, set_environment: bool = True) -> Iterator[LocalAws]:
    """Run moto's S3/SQS server on 127.0.0.1 and a free port for the ``with`` block.

    With ``set_environment`` (the default) the process environment points boto3 at the server
    inside the block, so plain ``boto3.client("s3")`` calls, and child processes started in the
    block, use it. The server is stopped and the environment restored on exit, even on error.
    moto keeps its buckets and queues per Python process: a second server started in the same
    process sees what the first one stored.
    """
    from moto.server import ThreadedMotoServer

    # werkzeug logs every request to stderr, which would fill a notebook cell; keep it quiet
    request_log = logging.getLogger("werkzeug")
    saved_level = request_log.level
    request_log.setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint_url = f"http://{host}:{port}"
        aws = LocalAws(endpoint_url=endpoint_url, port=int(port), region=region,
                       environment=local_environment(endpoint_url, region))
        if set_environment:
            with patched_environment(aws.environment):
                yield aws
        else:
            yield aws
    finally:
        server.stop()
        request_log.setLevel(saved_level)


def connect_bucket_to_queue(s3, sqs, *, bucket: str, queue_name: str,
                            visibility_timeout_s: int = 60) -> str:
    """Create ``bucket`` and queue ``queue_name``; send every new object's event to the queue.

    Uses the same API calls as on AWS: a queue policy that lets S3 send to it, then a bucket
    notification configuration with a ``QueueConfigurations`` entry for ``s3:ObjectCreated:*``.
    Returns the queue URL.
    """
    s3.create_bucket(Bucket=bucket)
    queue_url = sqs.create_queue(
        QueueName=queue_name,
        Attributes={"VisibilityTimeout": str(int(visibility_timeout_s))})["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": queue_arn,
        "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{bucket}"}}}]}
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy)})
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "QueueConfigurations": [{"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}]})
    return queue_url


def s3_event(bucket: str, keys: list[str], *, size_bytes: int = 0,
             event_time: str = "2026-11-27T00:00:00.000Z") -> dict:
    """An S3 ``ObjectCreated:Put`` event for ``keys``, encoded the way S3 encodes keys.

    S3 URL-encodes the key in events in the form style (a space becomes ``+``, a literal ``+``
    becomes ``%2B``, non-ASCII characters become UTF-8 percent escapes); slashes stay as they are.
    """
    from urllib.parse import quote_plus

    return {"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": DEFAULT_REGION,
        "eventTime": event_time, "eventName": "ObjectCreated:Put",
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "thumbnail-trigger",
               "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
               "object": {"key": quote_plus(key, safe="/"), "size": size_bytes}}}
        for key in keys]}


def sample_photo(width_px: int, height_px: int, *, seed: int, fmt: str = "JPEG",
                 orientation: int | None = None, transparent: bool = False) -> bytes:
    """A synthetic photo: a smooth colour gradient, a few discs, mild seeded noise.

    ``orientation`` writes an EXIF Orientation tag (6 = the camera was turned a quarter turn,
    as a phone held upright records it). ``transparent`` gives an RGBA image whose corners are
    fully transparent (for PNG, WebP and GIF).
    """
    import numpy as np
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height_px, 0:width_px]
    base = rng.uniform(40, 215, size=3)
    slope = rng.uniform(-0.15, 0.15, size=(3, 2))
    channels = [base[c] + slope[c, 0] * x + slope[c, 1] * y + rng.normal(0, 6, x.shape)
                for c in range(3)]
    pixels = np.clip(np.stack(channels, axis=-1), 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(4):
        cx, cy = rng.uniform(0, width_px), rng.uniform(0, height_px)
        radius = rng.uniform(0.05, 0.2) * min(width_px, height_px)
        colour = tuple(int(v) for v in rng.integers(0, 256, size=3))
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=colour)
    if transparent:
        mask = Image.new("L", image.size, 0)
        inset = min(width_px, height_px) // 6
        ImageDraw.Draw(mask).rounded_rectangle(
            (inset, inset, width_px - inset, height_px - inset), radius=inset, fill=255)
        image = image.convert("RGBA")
        image.putalpha(mask)
    out = io.BytesIO()
    options: dict = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation  # Orientation
        options["exif"] = exif
    image.save(out, format=fmt, **options)
    return out.getvalue()


def bomb_png(width_px: int, height_px: int) -> bytes:
    """A tiny, valid PNG whose header claims a ``width_px`` x ``height_px`` canvas.

    The shape of a decompression bomb: a few hundred bytes on disk that would need
    width x height x 3 bytes of memory if a program decoded them without checking first.
    """
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width_px, height_px, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = zlib.compress(b"\x00" * (1 + 3 * width_px) * 4)  # a few rows of black, compressed
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)
            + chunk(b"IEND", b""))


def awkward_uploads(seed: int = 0) -> dict[str, bytes]:
    """One of each kind of object a real upload bucket receives, keyed by a telling name.

    Keys use spaces, a literal plus, Korean and nested prefixes, as users name files.
    """
    from PIL import Image

    photo = sample_photo(1200, 900, seed=seed)
    scan = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(scan, "BMP")
    return {
        "phone/IMG 0001 (portrait).jpg": sample_photo(1200, 900, seed=seed + 1, orientation=6),
        "logos/로고+투명.png": sample_photo(600, 400, seed=seed + 2, fmt="PNG", transparent=True),
        "docs/read me.txt": b"A text file, not a picture.\n",
        "scans/page 1.bmp": scan.getvalue(),
        "empty/zero bytes.jpg": b"",
        "broken/half uploaded.jpg": photo[: len(photo) // 2],
        "bombs/small file, huge canvas.png": bomb_png(10_000, 6_000),
        "photos/2026/11/바다 sea.jpg": photo,
    }
