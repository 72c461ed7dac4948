"""Thumbnail function: make a small copy of every image uploaded to an S3 bucket.

Deployable to AWS Lambda unchanged (runtime ``python3.13``, handler ``app.handler``). The code
names no endpoint and no credentials: boto3 takes them from the standard environment variables
(on Lambda, from the execution role; in the course's offline lab, from ``AWS_ENDPOINT_URL`` and
dummy keys pointing at a local server).

Configuration (environment variables)
-------------------------------------
``THUMBNAIL_BUCKET``   bucket that receives the thumbnails (required; never the source bucket).
``THUMBNAIL_MAX_PX``   longer edge of a thumbnail in pixels (default 256, 16 to 4096).
``THUMBNAIL_MAX_PIXELS`` largest source image, in pixels, that will be decoded (default
                       40,000,000): a guard against decompression bombs.

The thumbnail keeps the source's key and format (JPEG, PNG, WebP or GIF; GIF keeps its first
frame) in the thumbnail bucket. The handler only reads originals, never writes or deletes them,
and its output depends only on the original's bytes, so handling an event twice writes the same
thumbnail twice.
"""

from __future__ import annotations

import io
import os
from urllib.parse import unquote_plus

# INIT: everything at module level runs once per execution environment, before the first event.
import boto3
from botocore.exceptions import ClientError
from PIL import Image, ImageOps, UnidentifiedImageError

S3 = boto3.client("s3")

SUPPORTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp",
                     "GIF": "image/gif"}
DEFAULT_MAX_PX = 256
DEFAULT_MAX_PIXELS = 40_000_000
# Read at most this many bytes of one object: a video dropped in the bucket by mistake must not
# be pulled into memory.
MAX_SOURCE_BYTES = 50 * 1024 * 1024
JPEG_QUALITY = 85

# A truncated file must fail, not decode to a half-grey picture.
Image.LOAD_TRUNCATED_IMAGES = False


class ConfigError(ValueError):
    """The function's environment variables are missing or invalid."""


def _int_setting(name: str, default: int, low: int, high: int) -> int:
    text = os.environ.get(name, "")
    if text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(
            f"{name}={text!r} is not a whole number; allowed: {low} to {high}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={text!r} is out of range; allowed: {low} to {high}")
    return value


def settings() -> tuple[str, int, int]:
    """(thumbnail bucket, longer edge in px, largest source in pixels) from the environment."""
    bucket = os.environ.get("THUMBNAIL_BUCKET", "")
    if not bucket:
        raise ConfigError("THUMBNAIL_BUCKET='' is not set; allowed: the name of the bucket that "
                          "receives thumbnails (not the source bucket)")
    return (bucket, _int_setting("THUMBNAIL_MAX_PX", DEFAULT_MAX_PX, 16, 4096),
            _int_setting("THUMBNAIL_MAX_PIXELS", DEFAULT_MAX_PIXELS, 1, 500_000_000))


def source_of(record: dict) -> tuple[str, str]:
    """Bucket and decoded key of one S3 event record.

    S3 sends keys URL-encoded in the form style: a space arrives as ``+``, a literal ``+`` as
    ``%2B``, non-ASCII characters as UTF-8 percent escapes.
    """
    return record["s3"]["bucket"]["name"], unquote_plus(record["s3"]["object"]["key"])


def make_thumbnail(data: bytes, max_px: int, max_pixels: int) -> tuple[bytes, str, tuple[int, int]]:
    """Thumbnail ``data``; return (bytes, format, (width, height)).

    Raises ``UnidentifiedImageError`` for data that is not an image, ``UnsupportedFormat`` for a
    format outside ``SUPPORTED_FORMATS``, ``ImageTooLarge`` beyond ``max_pixels`` and
    ``OSError`` for corrupt or truncated data.
    """
    with Image.open(io.BytesIO(data)) as image:
        fmt = image.format
        if fmt not in SUPPORTED_FORMATS:
            raise UnsupportedFormat(fmt)
        width, height = image.size
        # The header is read but nothing is decoded yet: refuse before allocating any pixels.
        if width * height > max_pixels:
            raise ImageTooLarge(width, height, max_pixels)
        if fmt == "JPEG":
            # let the JPEG decoder scale down by up to 8x while decoding: far less memory
            image.draft("RGB", (max_px, max_px))
        image.load()
        # A phone stores a portrait photo as landscape pixels plus an EXIF "rotate" tag; apply it.
        picture = ImageOps.exif_transpose(image)
        picture = _normalise_mode(picture, fmt)
        picture.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        options = {"quality": JPEG_QUALITY} if fmt in ("JPEG", "WEBP") else {}
        # No EXIF is written: the rotation is applied, and a location tag should not travel on.
        picture.save(out, format=fmt, **options)
        return out.getvalue(), fmt, picture.size


def _normalise_mode(picture: Image.Image, fmt: str) -> Image.Image:
    """A mode that resizes smoothly and keeps transparency where the format can hold it."""
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    if fmt == "JPEG":
        return picture if picture.mode in ("RGB", "L") else picture.convert("RGB")
    if has_alpha:
        return picture if picture.mode == "RGBA" else picture.convert("RGBA")
    return picture if picture.mode in ("RGB", "L") else picture.convert("RGB")


class UnsupportedFormat(Exception):
    def __init__(self, fmt: str | None):
        super().__init__(f"unsupported image format {fmt}; supported: "
                         f"{', '.join(SUPPORTED_FORMATS)}")


class ImageTooLarge(Exception):
    def __init__(self, width: int, height: int, max_pixels: int):
        super().__init__(f"image is {width}x{height} = {width * height:,} pixels, over the "
                         f"{max_pixels:,}-pixel limit (possible decompression bomb); not decoded")


def handle_record(record: dict, thumbnail_bucket: str, max_px: int, max_pixels: int) -> dict:
    """Process one S3 event record; never raises for a problem with this record's object."""
    bucket, key = source_of(record)
    result = {"source": f"s3://{bucket}/{key}"}

    def outcome(status: str, reason: str) -> dict:
        return {**result, "status": status, "reason": reason}

    if bucket == thumbnail_bucket:
        return outcome("error", "refused: the thumbnail bucket is the source bucket, so each "
                                "thumbnail would trigger this function again (recursive loop)")
    try:
        response = S3.get_object(Bucket=bucket, Key=key)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchKey", "404", "NotFound"):
            return outcome("skipped", "object no longer exists (deleted before the event was "
                                      "handled)")
        return outcome("error", f"could not read the object: {code or error}")
    size = int(response.get("ContentLength", 0))
    with response["Body"] as body:
        if size == 0:
            return outcome("skipped", "empty object (0 bytes)")
        if size > MAX_SOURCE_BYTES:
            return outcome("skipped", f"object is {size:,} bytes, over the {MAX_SOURCE_BYTES:,}"
                                      "-byte limit for a thumbnail source")
        data = body.read()
    try:
        thumbnail, fmt, (width, height) = make_thumbnail(data, max_px, max_pixels)
    except UnidentifiedImageError:
        return outcome("skipped", "not an image (Pillow cannot identify the content)")
    except UnsupportedFormat as error:
        return outcome("skipped", str(error))
    except (ImageTooLarge, Image.DecompressionBombError) as error:
        return outcome("error", str(error))
    except (OSError, SyntaxError, ValueError) as error:
        return outcome("error", f"corrupt or truncated image: {error}")
    try:
        S3.put_object(Bucket=thumbnail_bucket, Key=key, Body=thumbnail,
                      ContentType=SUPPORTED_FORMATS[fmt],
                      Metadata={"source-etag": response.get("ETag", "").strip('"'),
                                "source-bucket": bucket})
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        return outcome("error", f"could not write the thumbnail: {code or error}")
    return {**result, "status": "ok", "thumbnail": f"s3://{thumbnail_bucket}/{key}",
            "width": width, "height": height, "format": fmt}


def handler(event: dict, context: object) -> dict:
    """Lambda entry point: one result per record of an S3 event."""
    thumbnail_bucket, max_px, max_pixels = settings()
    results = []
    for record in event.get("Records", []):
        try:
            results.append(handle_record(record, thumbnail_bucket, max_px, max_pixels))
        except Exception as error:  # one bad record must not cost the others their thumbnails
            source = record.get("s3", {}) if isinstance(record, dict) else {}
            results.append({
                "source": f"s3://{source.get('bucket', {}).get('name', '?')}/"
                          f"{unquote_plus(source.get('object', {}).get('key', '?'))}",
                "status": "error", "reason": f"{type(error).__name__}: {error}"})
    return {"results": results}
