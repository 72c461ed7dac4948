"""The chapter-1 demo: one piece of logic behind a Lambda handler and behind a local server."""

from __future__ import annotations

import hashlib
import json
import socket

import pytest

from ec2vslambda import events
from ec2vslambda import serve_two_ways as two

KEY = "uploads/my cat.jpg"
SIZE = 48_213


# --- the logic ------------------------------------------------------------------------------

def test_an_image_gets_a_thumbnail_plan():
    plan = two.plan_thumbnail(KEY, SIZE)
    assert plan["action"] == "resize"
    assert plan["thumbnail_key"] == "thumbnails/" + KEY
    assert plan["content_type"] == "image/jpeg"
    assert plan["size_bytes"] == SIZE


@pytest.mark.parametrize("key, size, reason", [
    ("docs/report.pdf", 10, "'.pdf' is not an image"),
    ("README", 10, "'(none)' is not an image"),
    ("thumbnails/uploads/cat.jpg", 10, "already a thumbnail"),
    ("uploads/empty.png", 0, "empty object"),
])
def test_other_objects_are_skipped_with_a_reason(key, size, reason):
    plan = two.plan_thumbnail(key, size)
    assert plan["action"] == "skip" and plan["thumbnail_key"] is None
    assert reason in plan["reason"]


def test_extension_case_does_not_matter():
    assert two.plan_thumbnail("A.PNG", 1)["content_type"] == "image/png"


@pytest.mark.parametrize("key, size, name", [("", 1, "key"), (None, 1, "key"),
                                             ("a.jpg", -1, "size_bytes"),
                                             ("a.jpg", 1.5, "size_bytes"),
                                             ("a.jpg", "big", "size_bytes")])
def test_bad_input_is_a_readable_error(key, size, name):
    with pytest.raises(ValueError, match=name):
        two.plan_thumbnail(key, size)


# --- sample events --------------------------------------------------------------------------

def test_s3_event_encodes_the_key_and_is_deterministic():
    event = events.s3_put_event("photos", KEY, SIZE)
    record = event["Records"][0]
    assert record["eventSource"] == "aws:s3" and record["eventName"] == "ObjectCreated:Put"
    assert record["s3"]["object"]["key"] == "uploads/my+cat.jpg"
    assert record["s3"]["bucket"]["arn"] == "arn:aws:s3:::photos"
    assert event == events.s3_put_event("photos", KEY, SIZE)
    assert event != events.s3_put_event("photos", KEY, SIZE + 1)


def test_http_api_event_is_payload_format_2():
    event = events.http_api_event("GET", "/plan", query={"key": KEY, "size_bytes": "5"},
                                  headers={"X-Trace": "1"})
    assert event["version"] == "2.0" and event["routeKey"] == "GET /plan"
    assert event["requestContext"]["http"]["method"] == "GET"
    assert event["queryStringParameters"] == {"key": KEY, "size_bytes": "5"}
    assert event["rawQueryString"] == "key=uploads%2Fmy+cat.jpg&size_bytes=5"
    assert event["headers"]["x-trace"] == "1" and "body" not in event


def test_sqs_event_ids_and_checksums():
    event = events.sqs_event([{"key": "a.png", "size_bytes": 1}, "not json"])
    first, second = event["Records"]
    assert first["eventSource"] == "aws:sqs"
    assert first["body"] == '{"key": "a.png", "size_bytes": 1}'
    assert first["md5OfBody"] == hashlib.md5(first["body"].encode()).hexdigest()
    assert first["messageId"] != second["messageId"]
    assert first["eventSourceARN"].endswith(":thumbnail-jobs")


@pytest.mark.parametrize("call, name", [
    (lambda: events.s3_put_event("", "k", 1), "bucket"),
    (lambda: events.s3_put_event("b", "k", -1), "size_bytes"),
    (lambda: events.http_api_event("FETCH", "/plan"), "method"),
    (lambda: events.http_api_event("GET", "plan"), "path"),
    (lambda: events.sqs_event([]), "bodies"),
    (lambda: events.sqs_event([""]), "bodies"),
])
def test_event_builders_reject_bad_input(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# --- the Lambda way -------------------------------------------------------------------------

def test_s3_handler_decodes_the_key():
    result = two.handler(events.s3_put_event("photos", KEY, SIZE), two.LambdaContext())
    assert result == {"plans": [two.plan_thumbnail(KEY, SIZE)]}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_http_handler_answers_like_the_logic(method):
    fields = {"key": KEY, "size_bytes": SIZE}
    event = (events.http_api_event("GET", "/plan", query={"key": KEY, "size_bytes": str(SIZE)})
             if method == "GET" else events.http_api_event("POST", "/plan", body=fields))
    response = two.handler(event, two.LambdaContext())
    assert response["statusCode"] == 200
    assert response["headers"]["content-type"] == "application/json"
    assert json.loads(response["body"]) == two.plan_thumbnail(KEY, SIZE)


@pytest.mark.parametrize("event, status, text", [
    (events.http_api_event("POST", "/plan", body="{oops"), 400, "not JSON"),
    (events.http_api_event("POST", "/plan", body="[1, 2]"), 400, "allowed: a JSON object"),
    (events.http_api_event("POST", "/plan", body={"key": "a.jpg", "size_bytes": -3}), 400,
     "size_bytes"),
    (events.http_api_event("PUT", "/plan", body={}), 405, "not allowed"),
    (events.http_api_event("GET", "/other"), 404, "no route"),
])
def test_http_handler_errors_are_json_messages(event, status, text):
    response = two.handler(event)
    assert response["statusCode"] == status
    assert text in json.loads(response["body"])["error"]


def test_sqs_handler_reports_only_the_bad_message():
    event = events.sqs_event([{"key": "a.png", "size_bytes": 3}, "not json",
                              {"key": "b.txt", "size_bytes": 4}])
    result = two.handler(event, two.LambdaContext())
    assert result["batchItemFailures"] == [{"itemIdentifier": event["Records"][1]["messageId"]}]
    assert [p["action"] for p in result["plans"]] == ["resize", "skip"]


def test_unknown_events_are_rejected():
    for event in ({}, {"Records": []}, {"Records": [{"eventSource": "aws:sns"}]}, "text"):
        with pytest.raises(ValueError, match="event"):
            two.handler(event)


def test_context_counts_down():
    context = two.LambdaContext(timeout_s=3)
    assert 0 < context.get_remaining_time_in_millis() <= 3000
    assert context.invoked_function_arn.endswith(":function:make-thumbnail")
    with pytest.raises(ValueError, match="timeout_s"):
        two.LambdaContext(timeout_s=-1)


# --- the EC2 way ----------------------------------------------------------------------------

@pytest.fixture
def server():
    with two.PlanServer() as running:
        yield running


def test_server_binds_to_loopback_on_a_free_port(server):
    assert server.running and server.host == "127.0.0.1"
    assert 0 < server.port < 65536
    assert server.url == f"http://127.0.0.1:{server.port}"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_server_and_handler_give_the_same_answer(server, method):
    status, body = two.call_server(server.url, KEY, SIZE, method=method)
    response = two.handler(events.http_api_event("POST", "/plan",
                                                  body={"key": KEY, "size_bytes": SIZE}))
    assert status == response["statusCode"] == 200
    assert body == json.loads(response["body"]) == two.plan_thumbnail(KEY, SIZE)


def test_server_bad_request_is_a_400_with_a_message(server):
    status, body = two.call_server(server.url, "a.jpg", -1)
    assert status == 400 and "size_bytes" in body["error"]


def test_server_stops_and_frees_its_port():
    server = two.PlanServer().start()
    port = server.port
    server.stop()
    assert not server.running
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.port
    server.stop()  # stopping twice is harmless


def test_only_loopback_is_allowed():
    with pytest.raises(ValueError, match="host"):
        two.PlanServer(host="0.0.0.0")
    with pytest.raises(ValueError, match="url"):
        two.call_server("http://example.com:80", KEY, SIZE)
    with pytest.raises(ValueError, match="port"):
        two.PlanServer(port=70000)
