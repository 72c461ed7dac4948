"""The thumbnail Lambda function, against a real S3 API on loopback (moto's server mode).

Every case of the lab's list of what real uploads throw at a handler, plus the SAM template.
"""

from __future__ import annotations

import importlib.util
import io
import itertools
import time
from pathlib import Path

import pytest
from PIL import Image

from ec2vslambda import localaws

FUNCTION_DIR = Path(__file__).resolve().parent.parent / "labs" / "thumbnail_function"
_names = itertools.count(1)


@pytest.fixture(scope="module")
def app(local_aws_server):
    """The function module, imported (INIT) inside the local environment, as Lambda would."""
    spec = importlib.util.spec_from_file_location("thumbnail_app", FUNCTION_DIR / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def s3(local_aws_server):
    return local_aws_server.client("s3")


@pytest.fixture
def buckets(s3, monkeypatch):
    """A fresh (uploads, thumbnails) pair; the function is configured for it."""
    number = next(_names)
    uploads, thumbnails = f"uploads-{number}", f"thumbnails-{number}"
    s3.create_bucket(Bucket=uploads)
    s3.create_bucket(Bucket=thumbnails)
    monkeypatch.setenv("THUMBNAIL_BUCKET", thumbnails)
    monkeypatch.delenv("THUMBNAIL_MAX_PX", raising=False)
    monkeypatch.delenv("THUMBNAIL_MAX_PIXELS", raising=False)
    return uploads, thumbnails


def put(s3, bucket: str, objects: dict[str, bytes]) -> dict:
    for key, body in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    return localaws.s3_event(bucket, list(objects))


def thumbnail_of(s3, bucket: str, key: str) -> Image.Image:
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    image = Image.open(io.BytesIO(body))
    image.load()
    return image


def photo(width_px=800, height_px=600, seed=1, **kwargs) -> bytes:
    return localaws.sample_photo(width_px, height_px, seed=seed, **kwargs)


# --- the function itself --------------------------------------------------------------------

def test_clients_come_from_the_environment_not_the_code(app, local_aws_server):
    assert app.S3.meta.endpoint_url == local_aws_server.endpoint_url
    source = (FUNCTION_DIR / "app.py").read_text()
    for forbidden in ("endpoint_url", "aws_access_key_id", "aws_secret_access_key", "127.0.0.1"):
        assert forbidden not in source


def test_thumbnail_has_the_configured_longer_edge(app, s3, buckets, monkeypatch):
    uploads, thumbnails = buckets
    event = put(s3, uploads, {"wide.jpg": photo(800, 600), "tall.png": photo(300, 900, fmt="PNG")})
    results = app.handler(event, None)["results"]
    assert [r["status"] for r in results] == ["ok", "ok"]
    assert [(r["width"], r["height"]) for r in results] == [(256, 192), (85, 256)]
    assert results[0]["thumbnail"] == f"s3://{thumbnails}/wide.jpg"
    assert thumbnail_of(s3, thumbnails, "wide.jpg").format == "JPEG"
    head = s3.head_object(Bucket=thumbnails, Key="tall.png")
    assert head["ContentType"] == "image/png"

    monkeypatch.setenv("THUMBNAIL_MAX_PX", "100")
    result = app.handler(event, None)["results"][0]
    assert (result["width"], result["height"]) == (100, 75)
    assert thumbnail_of(s3, thumbnails, "wide.jpg").size == (100, 75)


@pytest.mark.parametrize("key", [
    "photos/2026/beach day.jpg",  # a space arrives as "+"
    "a+b.jpg",  # a literal plus arrives as "%2B"
    "사진/고양이 1.jpg",  # Korean, percent-encoded UTF-8
    "deep/nested/prefix/a b+c 사진 (1).jpg",
])
def test_keys_are_decoded_as_s3_encodes_them(app, s3, buckets, key):
    uploads, thumbnails = buckets
    event = put(s3, uploads, {key: photo()})
    encoded = event["Records"][0]["s3"]["object"]["key"]
    assert encoded != key or key.isascii() and " " not in key and "+" not in key
    result = app.handler(event, None)["results"][0]
    assert result["status"] == "ok", result
    assert result["source"] == f"s3://{uploads}/{key}"
    assert thumbnail_of(s3, thumbnails, key).size == (256, 192)


def test_skips_what_is_not_an_image_and_says_why(app, s3, buckets):
    uploads, _ = buckets
    bmp = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(bmp, "BMP")
    event = put(s3, uploads, {"notes.txt": b"not a picture", "scan.bmp": bmp.getvalue(),
                              "empty.jpg": b""})
    results = app.handler(event, None)["results"]
    assert [r["status"] for r in results] == ["skipped"] * 3
    assert "not an image" in results[0]["reason"]
    assert "unsupported image format BMP" in results[1]["reason"]
    assert "0 bytes" in results[2]["reason"]
    assert all("thumbnail" not in r for r in results)


def test_an_object_deleted_before_the_event_is_handled_is_skipped(app, s3, buckets):
    uploads, _ = buckets
    event = put(s3, uploads, {"gone.jpg": photo()})
    s3.delete_object(Bucket=uploads, Key="gone.jpg")
    result = app.handler(event, None)["results"][0]
    assert result["status"] == "skipped"
    assert "no longer exists" in result["reason"]


def test_corrupt_and_truncated_images_are_errors_for_that_record_only(app, s3, buckets):
    uploads, thumbnails = buckets
    good = photo(seed=2)
    png = photo(seed=3, fmt="PNG")
    scan = good.index(b"\xff\xda") + 200  # inside the compressed pixels, after the headers
    corrupt = good[:scan] + bytes(b ^ 0x5A for b in good[scan:scan + 1800]) + good[scan + 1800:]
    event = put(s3, uploads, {"first.jpg": good, "truncated.png": png[: len(png) // 2],
                              "corrupt.jpg": corrupt, "last.jpg": good})
    results = app.handler(event, None)["results"]
    assert [r["status"] for r in results] == ["ok", "error", "error", "ok"]
    assert all("corrupt or truncated" in r["reason"] for r in results[1:3])
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=thumbnails)["Contents"]}
    assert keys == {"first.jpg", "last.jpg"}


@pytest.mark.parametrize("side_px", [8_000, 30_000])  # under and over Pillow's own bomb limit
def test_decompression_bombs_are_refused_before_decoding(app, s3, buckets, side_px):
    uploads, _ = buckets
    bomb = localaws.bomb_png(side_px, side_px)
    assert len(bomb) < 200_000  # a small file ...
    event = put(s3, uploads, {"bomb.png": bomb, "fine.jpg": photo()})
    started = time.perf_counter()
    results = app.handler(event, None)["results"]
    assert time.perf_counter() - started < 5  # ... never expanded to side_px² pixels
    assert results[0]["status"] == "error"
    assert "pixels" in results[0]["reason"]
    assert results[1]["status"] == "ok"


def test_the_pixel_limit_is_configurable(app, s3, buckets, monkeypatch):
    uploads, _ = buckets
    monkeypatch.setenv("THUMBNAIL_MAX_PIXELS", "100000")
    event = put(s3, uploads, {"small.jpg": photo(300, 300), "big.jpg": photo(400, 300)})
    results = app.handler(event, None)["results"]
    assert [r["status"] for r in results] == ["ok", "error"]
    assert "120,000 pixels" in results[1]["reason"]


def test_exif_orientation_gives_a_portrait_thumbnail_for_a_portrait_photo(app, s3, buckets):
    uploads, thumbnails = buckets
    # stored as 800x600 pixels, tagged "rotate 90° clockwise to display" as phones do
    event = put(s3, uploads, {"phone.jpg": photo(800, 600, orientation=6)})
    result = app.handler(event, None)["results"][0]
    assert (result["width"], result["height"]) == (192, 256)
    thumbnail = thumbnail_of(s3, thumbnails, "phone.jpg")
    assert thumbnail.size == (192, 256)
    assert thumbnail.getexif().get(0x0112) is None  # rotation applied, not left as a tag


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF"])
def test_transparency_is_kept(app, s3, buckets, fmt):
    uploads, thumbnails = buckets
    key = f"logo.{fmt.lower()}"
    event = put(s3, uploads, {key: photo(600, 400, fmt=fmt, transparent=True)})
    result = app.handler(event, None)["results"][0]
    assert result["status"] == "ok", result
    assert result["format"] == fmt
    thumbnail = thumbnail_of(s3, thumbnails, key).convert("RGBA")
    assert thumbnail.size == (256, 171)
    assert thumbnail.getpixel((0, 0))[3] == 0  # corner: transparent
    assert thumbnail.getpixel((128, 85))[3] == 255  # centre: opaque


def test_originals_are_untouched_and_a_repeated_event_gives_the_same_result(app, s3, buckets):
    uploads, thumbnails = buckets
    event = put(s3, uploads, {"a.jpg": photo(seed=5), "b.png": photo(seed=6, fmt="PNG"),
                              "c.txt": b"text"})
    before = {o["Key"]: (o["ETag"], o["LastModified"])
              for o in s3.list_objects_v2(Bucket=uploads)["Contents"]}
    first = app.handler(event, None)
    first_bytes = {k: s3.get_object(Bucket=thumbnails, Key=k)["Body"].read()
                   for k in ("a.jpg", "b.png")}
    second = app.handler(event, None)
    second_bytes = {k: s3.get_object(Bucket=thumbnails, Key=k)["Body"].read()
                    for k in ("a.jpg", "b.png")}
    after = {o["Key"]: (o["ETag"], o["LastModified"])
             for o in s3.list_objects_v2(Bucket=uploads)["Contents"]}
    assert first == second
    assert first_bytes == second_bytes
    assert before == after
    assert len(s3.list_objects_v2(Bucket=thumbnails)["Contents"]) == 2


def test_writing_into_the_source_bucket_is_refused(app, s3, buckets, monkeypatch):
    uploads, _ = buckets
    monkeypatch.setenv("THUMBNAIL_BUCKET", uploads)
    event = put(s3, uploads, {"loop.jpg": photo()})
    result = app.handler(event, None)["results"][0]
    assert result["status"] == "error"
    assert "recursive" in result["reason"]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=uploads)["Contents"]] == ["loop.jpg"]


def test_a_missing_thumbnail_bucket_is_an_error_per_record(app, s3, buckets, monkeypatch):
    uploads, _ = buckets
    monkeypatch.setenv("THUMBNAIL_BUCKET", "no-such-bucket")
    result = app.handler(put(s3, uploads, {"x.jpg": photo()}), None)["results"][0]
    assert result["status"] == "error"
    assert "NoSuchBucket" in result["reason"]


def test_a_malformed_record_does_not_stop_the_others(app, s3, buckets):
    uploads, _ = buckets
    event = put(s3, uploads, {"ok.jpg": photo()})
    event["Records"].insert(0, {"s3": {"bucket": {"name": uploads}}})  # no object
    results = app.handler(event, None)["results"]
    assert [r["status"] for r in results] == ["error", "ok"]
    assert results[0]["reason"].startswith("KeyError")


@pytest.mark.parametrize(("name", "value", "message"), [
    ("THUMBNAIL_BUCKET", "", "THUMBNAIL_BUCKET='' is not set"),
    ("THUMBNAIL_MAX_PX", "big", "THUMBNAIL_MAX_PX='big' is not a whole number; allowed: 16 to"),
    ("THUMBNAIL_MAX_PX", "8", "THUMBNAIL_MAX_PX='8' is out of range; allowed: 16 to 4096"),
    ("THUMBNAIL_MAX_PIXELS", "0", "THUMBNAIL_MAX_PIXELS='0' is out of range"),
])
def test_bad_configuration_is_reported_by_name(app, buckets, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        app.handler({"Records": []}, None)


def test_sample_event_decodes_to_the_documented_keys(app):
    import json

    event = json.loads((FUNCTION_DIR / "events" / "s3-put.json").read_text())
    assert [app.source_of(r)[1] for r in event["Records"]] == [
        "photos/2026/beach day.jpg", "photos/2026/a+b 사진.png"]


# --- the SAM template -----------------------------------------------------------------------

def lint(text: str) -> list[str]:
    """cfn-lint's errors and warnings for a template (informational notes are left out)."""
    from cfnlint.api import lint_all

    return [f"{m.rule.id}: {m.message}" for m in lint_all(text) if m.rule.id[0] in "EW"]


def test_template_passes_cfn_lint():
    assert lint((FUNCTION_DIR / "template.yaml").read_text()) == []


def test_cfn_lint_catches_a_broken_template():
    text = (FUNCTION_DIR / "template.yaml").read_text().replace("MemorySize: 512",
                                                                "MemorySize: 64")
    assert any(line.startswith("E3034") for line in lint(text))


def test_template_grants_only_what_the_function_needs():
    from cfnlint.decode import decode_str

    template, problems = decode_str((FUNCTION_DIR / "template.yaml").read_text())
    assert not problems
    function = template["Resources"]["ThumbnailFunction"]["Properties"]
    statements = [s for policy in function["Policies"] for s in policy["Statement"]]
    actions = sorted(a for s in statements for a in s["Action"])
    assert actions == ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]
    by_action = {s["Action"][0]: s["Resource"]["Fn::Sub"] for s in statements}
    assert by_action["s3:GetObject"].endswith("-uploads-${AWS::AccountId}-${AWS::Region}/*")
    assert by_action["s3:PutObject"].endswith("-thumbnails-${AWS::AccountId}-${AWS::Region}/*")
    # the function writes to the thumbnails bucket and is triggered by the other one
    target = function["Environment"]["Variables"]["THUMBNAIL_BUCKET"]["Fn::Sub"]
    assert target == template["Resources"]["ThumbnailsBucket"]["Properties"]["BucketName"][
        "Fn::Sub"]
    trigger = function["Events"]["Upload"]["Properties"]
    assert trigger["Bucket"] == {"Ref": "UploadsBucket"}
    assert trigger["Events"] == "s3:ObjectCreated:*"
    assert function["Handler"] == "app.handler"


def test_the_labs_awkward_uploads_get_one_result_each(app, s3, buckets):
    uploads, thumbnails = buckets
    objects = localaws.awkward_uploads(seed=0)
    event = put(s3, uploads, objects)
    results = app.handler(event, None)["results"]
    assert [r["source"] for r in results] == [f"s3://{uploads}/{k}" for k in objects]
    assert [r["status"] for r in results] == ["ok", "ok", "skipped", "skipped", "skipped",
                                              "error", "error", "ok"]
    assert (results[0]["width"], results[0]["height"]) == (192, 256)  # portrait
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=thumbnails)["Contents"]}
    assert keys == {k for k, r in zip(objects, results, strict=True) if r["status"] == "ok"}
