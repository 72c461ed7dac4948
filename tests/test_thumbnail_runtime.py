"""Local AWS, the local Lambda runtime and the always-on worker, end to end on loopback.

Upload → bucket notification → SQS → runtime → execution environment → thumbnail, with real
processes and real timings.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import socket
import textwrap
import time
from pathlib import Path

import pytest

from ec2vslambda import local_runtime as lr
from ec2vslambda import localaws
from ec2vslambda.pricing import ec2_monthly_usd, lambda_cost

FUNCTION_DIR = Path(__file__).resolve().parent.parent / "labs" / "thumbnail_function"
_names = itertools.count(1)


@pytest.fixture
def pipeline(local_aws_server):
    """Fresh uploads bucket → queue, a thumbnails bucket, and the function's configuration."""
    number = next(_names)
    s3, sqs = local_aws_server.client("s3"), local_aws_server.client("sqs")
    uploads, thumbnails = f"rt-uploads-{number}", f"rt-thumbnails-{number}"
    queue_url = localaws.connect_bucket_to_queue(s3, sqs, bucket=uploads,
                                                 queue_name=f"rt-events-{number}")
    s3.create_bucket(Bucket=thumbnails)
    config = lr.FunctionConfig(code_dir=str(FUNCTION_DIR), name="thumbnail",
                               environment={"THUMBNAIL_BUCKET": thumbnails})
    return {"s3": s3, "sqs": sqs, "uploads": uploads, "thumbnails": thumbnails,
            "queue_url": queue_url, "config": config}


def upload(pipeline, keys):
    for number, key in enumerate(keys):
        body = localaws.sample_photo(640, 480, seed=number)
        pipeline["s3"].put_object(Bucket=pipeline["uploads"], Key=key, Body=body)


def thumbnail_keys(pipeline) -> set[str]:
    listing = pipeline["s3"].list_objects_v2(Bucket=pipeline["thumbnails"])
    return {o["Key"] for o in listing.get("Contents", [])}


def statuses(invocations) -> list[str]:
    return [r["status"] for i in invocations for r in i.result["results"]]


# --- localaws -------------------------------------------------------------------------------

def test_local_aws_points_boto3_at_loopback_and_restores_the_environment(monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "someones-real-profile")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with localaws.local_aws() as local:
        assert local.endpoint_url == f"http://127.0.0.1:{local.port}"
        assert os.environ["AWS_ENDPOINT_URL"] == local.endpoint_url
        assert "AWS_PROFILE" not in os.environ
        import boto3

        s3 = boto3.client("s3")  # plain client, as the function makes it
        s3.create_bucket(Bucket="probe")
        assert "probe" in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert os.environ["AWS_PROFILE"] == "someones-real-profile"
    assert "AWS_ENDPOINT_URL" not in os.environ
    with pytest.raises(ConnectionRefusedError):  # the server is gone once the block ends
        socket.create_connection(("127.0.0.1", local.port), timeout=1).close()


@pytest.mark.parametrize("endpoint", ["", "https://s3.us-east-1.amazonaws.com",
                                      "http://10.0.0.5:5000", "http://127.0.0.1.example.com"])
def test_check_target_refuses_anything_but_loopback(endpoint):
    with pytest.raises(localaws.RealAwsRefused, match="EC2VSLAMBDA_ALLOW_REAL_AWS=1"):
        localaws.check_target({"AWS_ENDPOINT_URL": endpoint})


def test_check_target_allows_loopback_and_an_explicit_opt_in():
    assert localaws.check_target({"AWS_ENDPOINT_URL": "http://127.0.0.1:4566"}) == \
        "http://127.0.0.1:4566"
    assert localaws.check_target({localaws.OPT_IN_VARIABLE: "1"}) == "AWS"
    assert localaws.check_target({}, allow_real_aws=True) == "AWS"
    with pytest.raises(localaws.RealAwsRefused):
        localaws.check_target({localaws.OPT_IN_VARIABLE: "yes"})


def test_runtimes_refuse_to_start_without_a_local_endpoint(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    config = lr.FunctionConfig(code_dir=str(FUNCTION_DIR))
    with pytest.raises(localaws.RealAwsRefused):
        lr.LocalLambdaRuntime(config, "http://127.0.0.1:1/q").start()
    with pytest.raises(localaws.RealAwsRefused):
        lr.AlwaysOnWorker(config, "http://127.0.0.1:1/q").start()


def test_the_network_guard_blocks_other_hosts(_only_loopback_network):
    attempts = _only_loopback_network
    before = len(attempts)
    try:
        for address in [("192.0.2.10", 443), ("example.com", 80)]:
            with pytest.raises(RuntimeError, match="only connect to loopback"):
                socket.create_connection(address, timeout=1)
        with socket.socket() as sock, pytest.raises(RuntimeError, match="loopback"):
            sock.connect(("198.51.100.7", 80))
        assert len(attempts) == before + 3
    finally:
        del attempts[before:]  # these attempts were the point of the test


# --- the local Lambda runtime ---------------------------------------------------------------

def test_upload_to_thumbnail_end_to_end_with_cold_then_warm_starts(pipeline):
    keys = ["batch/사진 1.jpg", "batch/a+b c.jpg", "batch/plain.jpg", "batch/x.jpg",
            "batch/y.jpg", "batch/z.jpg"]
    runtime = lr.LocalLambdaRuntime(pipeline["config"], pipeline["queue_url"],
                                    max_concurrency=2, idle_timeout_s=30)
    try:
        runtime.start()
        upload(pipeline, keys)
        invocations = runtime.wait_for(len(keys), timeout_s=60)
        assert runtime.warm_environments <= 2
    finally:
        runtime.close()
    assert statuses(invocations) == ["ok"] * len(keys)
    sources = sorted(r["source"] for i in invocations for r in i.result["results"])
    assert sources == sorted(f"s3://{pipeline['uploads']}/{k}" for k in keys)
    assert thumbnail_keys(pipeline) == set(keys)
    cold = [i for i in invocations if i.cold]
    warm = [i for i in invocations if not i.cold]
    assert 1 <= len(cold) <= 2  # one per environment, at most max_concurrency environments
    assert len({i.environment_id for i in invocations}) == len(cold)
    assert all(i.init_ms > 0 and i.start_ms > 0 for i in cold)
    assert all(i.init_ms == 0 and i.start_ms == 0 for i in warm)
    assert all(i.duration_ms > 0 and i.latency_ms >= i.duration_ms for i in invocations)
    assert all(i.error is None and i.design == lr.LAMBDA for i in invocations)
    # the messages were deleted: nothing is left for a second consumer
    left = pipeline["sqs"].receive_message(QueueUrl=pipeline["queue_url"], WaitTimeSeconds=0)
    assert "Messages" not in left


def test_one_environment_is_reused_while_warm_and_reaped_when_idle(pipeline):
    runtime = lr.LocalLambdaRuntime(pipeline["config"], pipeline["queue_url"],
                                    max_concurrency=1, idle_timeout_s=0.5)
    try:
        runtime.start()
        upload(pipeline, ["a.jpg", "b.jpg", "c.jpg"])
        first = runtime.wait_for(3, timeout_s=60)
        assert [i.cold for i in first] == [True, False, False]
        assert {i.environment_id for i in first} == {1}
        processes = runtime.processes()
        deadline = time.monotonic() + 10
        while runtime.warm_environments and time.monotonic() < deadline:
            time.sleep(0.05)
        assert runtime.warm_environments == 0  # shut down after the idle timeout
        assert all(p.exitcode is not None for p in processes)
        upload(pipeline, ["d.jpg"])
        second = runtime.wait_for(4, timeout_s=60)[3]
        assert second.cold and second.environment_id == 2  # a new environment: cold again
        assert runtime.environments_started == 2
    finally:
        runtime.close()


def test_close_leaves_no_process_behind(pipeline):
    runtime = lr.LocalLambdaRuntime(pipeline["config"], pipeline["queue_url"],
                                    max_concurrency=2, idle_timeout_s=60)
    with runtime:
        upload(pipeline, ["p.jpg", "q.jpg", "r.jpg"])
        runtime.wait_for(3, timeout_s=60)
        processes = runtime.processes()
        assert processes and all(p.is_alive() for p in processes)
    assert all(not p.is_alive() and p.exitcode is not None for p in processes)
    assert runtime.warm_environments == 0
    assert runtime.environments_stopped == runtime.environments_started
    ours = {p.pid for p in processes}
    assert not ours & {p.pid for p in multiprocessing.active_children()}


def write_function(folder: Path, body: str) -> str:
    folder.mkdir(exist_ok=True)
    (folder / "fn.py").write_text(textwrap.dedent(body))
    return str(folder)


def test_function_errors_init_errors_and_timeouts_are_reported(local_aws_server, tmp_path):
    s3, sqs = local_aws_server.client("s3"), local_aws_server.client("sqs")
    queue_url = localaws.connect_bucket_to_queue(s3, sqs, bucket="faults", queue_name="faults")
    code = write_function(tmp_path / "code", """
        import os, time
        MARK = os.environ["MARK"]  # INIT reads the function's configured environment
        def handler(event, context):
            key = event["Records"][0]["s3"]["object"]["key"]
            if key == "boom":
                raise ValueError("no thumbnails today")
            if key == "slow":
                time.sleep(30)
            left_ms = context.get_remaining_time_in_millis()
            return {"mark": MARK, "key": key, "remaining_ms": left_ms}
    """)
    config = lr.FunctionConfig(code_dir=code, handler="fn.handler", timeout_s=1.0,
                               environment={"MARK": "configured"})
    with lr.LocalLambdaRuntime(config, queue_url, max_concurrency=1) as runtime:
        for key in ("fine", "boom", "slow"):
            s3.put_object(Bucket="faults", Key=key, Body=b"x")
            runtime.wait_for(["fine", "boom", "slow"].index(key) + 1, timeout_s=60)
        fine, boom, slow = runtime.invocations
    assert fine.result["mark"] == "configured" and fine.error is None
    assert 0 < fine.result["remaining_ms"] <= 1000
    assert boom.error == "ValueError: no thumbnails today"
    assert slow.error == "Task timed out after 1 s" and slow.result is None

    broken = lr.FunctionConfig(code_dir=code, handler="missing_module.handler")
    with lr.LocalLambdaRuntime(broken, queue_url) as runtime:
        s3.put_object(Bucket="faults", Key="any", Body=b"x")
        (failed,) = runtime.wait_for(1, timeout_s=60)
    assert failed.error.startswith("INIT failed: ModuleNotFoundError")


def test_bad_runtime_settings_name_the_parameter(pipeline):
    with pytest.raises(ValueError, match="max_concurrency=0 is out of range"):
        lr.LocalLambdaRuntime(pipeline["config"], pipeline["queue_url"], max_concurrency=0)
    with pytest.raises(ValueError, match="idle_timeout_s=-1 is out of range"):
        lr.LocalLambdaRuntime(pipeline["config"], pipeline["queue_url"], idle_timeout_s=-1)
    with pytest.raises(ValueError, match="processes=1.5 is not a whole number"):
        lr.AlwaysOnWorker(pipeline["config"], pipeline["queue_url"], processes=1.5)


# --- the always-on worker -------------------------------------------------------------------

def test_always_on_worker_boots_first_and_serves_every_upload_warm(pipeline):
    worker = lr.AlwaysOnWorker(pipeline["config"], pipeline["queue_url"], processes=1)
    try:
        worker.start()
        assert len(worker.boot_ms) == 1 and worker.boot_ms[0] > 0
        processes = worker.processes()
        upload(pipeline, ["e1.jpg", "e2.jpg", "e3.jpg"])
        invocations = worker.wait_for(3, timeout_s=60)
    finally:
        worker.close()
    assert statuses(invocations) == ["ok"] * 3
    assert thumbnail_keys(pipeline) == {"e1.jpg", "e2.jpg", "e3.jpg"}
    assert all(not i.cold and i.init_ms == 0 and i.design == lr.ALWAYS_ON for i in invocations)
    assert all(not p.is_alive() for p in processes)


# --- what the measurements say --------------------------------------------------------------

def invocation(cold: bool, duration_ms: float, uploaded_s: float, finished_s: float,
               environment_id: int = 1) -> lr.Invocation:
    return lr.Invocation(request_id="r", design=lr.LAMBDA, environment_id=environment_id,
                         cold=cold, start_ms=100.0 if cold else 0.0,
                         init_ms=300.0 if cold else 0.0, duration_ms=duration_ms,
                         uploaded_s=uploaded_s, finished_s=finished_s, records=1,
                         result=None, error=None, peak_rss_mb=50.0)


def test_summarise_splits_cold_and_warm():
    runs = [invocation(True, 40.0, 0.0, 0.5), invocation(False, 10.0, 0.0, 0.6),
            invocation(False, 20.0, 0.2, 1.0)]
    summary = lr.summarise(runs)
    assert summary["events"] == 3 and summary["cold_starts"] == 1
    assert summary["cold_init_ms"] == 300.0 and summary["cold_start_ms"] == 100.0
    assert summary["warm_duration_ms"] == 15.0
    assert summary["cold_latency_ms"] == pytest.approx(500.0)
    assert summary["throughput_per_s"] == pytest.approx(3.0)  # 3 events from t=0 to t=1 s
    assert runs[0].service_ms == 440.0
    with pytest.raises(ValueError, match="invocations"):
        lr.summarise([])


def test_cold_start_ratio_falls_as_traffic_rises():
    assert lr.cold_start_ratio(0, 600) == 1.0
    assert lr.cold_start_ratio(1e6, 0) == 1.0
    ratios = [lr.cold_start_ratio(n, 600) for n in (1e3, 1e5, 1e7)]
    assert ratios == sorted(ratios, reverse=True)
    # one upload every 600 s on average, kept warm 600 s: exp(-1)
    uploads = 730 * 3600 / 600
    assert lr.cold_start_ratio(uploads, 600) == pytest.approx(math.exp(-1))
    with pytest.raises(ValueError, match="keep_alive_s=-5"):
        lr.cold_start_ratio(10, -5)


def test_monthly_costs_price_lambda_per_upload_and_ec2_flat():
    rates = [1e4, 1e6, 1e8]
    rows = lr.monthly_costs(rates, duration_ms=40.0, init_ms=500.0, memory_mb=512,
                            instance_type="t3.micro", keep_alive_s=600)
    assert [r["uploads_per_month"] for r in rows] == rates
    assert {r["ec2_usd"] for r in rows} == {ec2_monthly_usd("t3.micro")}
    lambdas = [r["lambda_usd"] for r in rows]
    assert lambdas == sorted(lambdas) and lambdas[-1] > lambdas[0]
    expected = lambda_cost(1e8, 40.0, 512, init_ms=500.0,
                           cold_start_ratio=lr.cold_start_ratio(1e8, 600)).total_usd
    assert rows[2]["lambda_usd"] == pytest.approx(expected)
    assert rows[0]["ec2_busy_share"] < rows[2]["ec2_busy_share"]
    with pytest.raises(ValueError, match="instance_type='t9.huge'"):
        lr.monthly_costs(rates, duration_ms=40.0, init_ms=500.0, memory_mb=512,
                         instance_type="t9.huge", keep_alive_s=600)


def test_wait_until_idle_returns_once_environments_are_reaped(pipeline):
    with lr.LocalLambdaRuntime(pipeline["config"], pipeline["queue_url"],
                               idle_timeout_s=0.3) as runtime:
        upload(pipeline, ["idle.jpg"])
        runtime.wait_for(1, timeout_s=60)
        assert runtime.warm_environments == 1
        waited_s = runtime.wait_until_idle(timeout_s=10)
        assert 0 < waited_s < 10
        assert runtime.warm_environments == 0
