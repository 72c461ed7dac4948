"""The workload fit checker: each limit just inside and just outside, bad input, data-driven."""

from __future__ import annotations

import math
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from ec2vslambda import data
from ec2vslambda import limits as L

ROOT = Path(__file__).resolve().parent.parent


def lim(name: str) -> float:
    return data.limit_value(name)


def small_needs(**changes) -> L.WorkloadNeeds:
    """A workload far inside every limit; each test pushes one field to an edge."""
    base = L.WorkloadNeeds(duration_ms=200.0, memory_mb=256.0, payload_mb=0.01,
                           invocation="sync", tmp_mb=100.0, peak_concurrency=5,
                           needs_state=False, latency_target_ms=None, package_mb=10.0)
    return replace(base, **changes)


def names(violations) -> list[str]:
    return [v.limit for v in violations]


def test_a_small_workload_fits():
    assert L.check_workload(small_needs()) == []
    assert L.fits_lambda(small_needs())


# (field, limit name, value just inside, value just outside); the values come from the CSV.
EDGES = [
    ("duration_ms", "timeout_max", lambda: lim("timeout_max") * 1000,
     lambda: lim("timeout_max") * 1000 + 1),
    ("memory_mb", "memory_max", lambda: lim("memory_max"), lambda: lim("memory_max") + 1),
    ("tmp_mb", "tmp_max", lambda: lim("tmp_max"), lambda: lim("tmp_max") + 1),
    ("package_mb", "package_unzipped_max", lambda: lim("package_unzipped_max"),
     lambda: lim("package_unzipped_max") + 1),
    ("peak_concurrency", "concurrency_default", lambda: int(lim("concurrency_default")),
     lambda: int(lim("concurrency_default")) + 1),
]


@pytest.mark.parametrize("field, limit, inside, outside", EDGES, ids=[e[1] for e in EDGES])
def test_each_limit_just_inside_and_just_outside(field, limit, inside, outside):
    assert L.check_workload(small_needs(**{field: inside()})) == []
    [violation] = L.check_workload(small_needs(**{field: outside()}))
    assert violation.limit == limit
    assert violation.allowed == pytest.approx(lim(limit))
    assert violation.requested > violation.allowed
    assert violation.alternatives and violation.message


def test_timeout_is_compared_in_seconds_and_suggests_workflows():
    [v] = L.check_workload(small_needs(duration_ms=lim("timeout_max") * 1000 + 1))
    assert v.unit == "s"
    assert v.requested == pytest.approx(lim("timeout_max") + 0.001)
    assert v.alternatives[0] == L.ALT_WORKFLOW
    assert L.ALT_FARGATE in v.alternatives and L.ALT_EC2 in v.alternatives


@pytest.mark.parametrize("invocation, limit", [("sync", "payload_sync_max"),
                                               ("async", "payload_async_max")])
def test_payload_limit_depends_on_invocation_type(invocation, limit):
    edge = lim(limit)
    assert L.check_workload(small_needs(invocation=invocation, payload_mb=edge)) == []
    [v] = L.check_workload(small_needs(invocation=invocation, payload_mb=edge + 0.001))
    assert v.limit == limit and v.unit == "mb"
    assert v.alternatives[0] == L.ALT_S3_REFERENCE


def test_async_payload_between_the_two_limits_breaks_only_async():
    between = (lim("payload_async_max") + lim("payload_sync_max")) / 2
    assert L.check_workload(small_needs(invocation="sync", payload_mb=between)) == []
    assert names(L.check_workload(small_needs(invocation="async", payload_mb=between))) == [
        "payload_async_max"]


def test_streaming_is_offered_only_while_it_can_carry_the_payload():
    just_over_sync = lim("payload_sync_max") + 1
    [v] = L.check_workload(small_needs(payload_mb=just_over_sync))
    assert L.ALT_STREAMING in v.alternatives
    [v] = L.check_workload(small_needs(payload_mb=lim("response_streaming_max") + 1))
    assert L.ALT_STREAMING not in v.alternatives


def test_package_beyond_a_container_image():
    inside = L.check_workload(small_needs(package_mb=lim("container_image_max")))
    assert names(inside) == ["package_unzipped_max"]
    assert inside[0].alternatives[0] == L.ALT_CONTAINER_IMAGE
    [v] = L.check_workload(small_needs(package_mb=lim("container_image_max") + 1))
    assert v.limit == "container_image_max"
    assert L.ALT_CONTAINER_IMAGE not in v.alternatives


def test_concurrency_quota_is_adjustable_and_queues_only_help_async():
    over = int(lim("concurrency_default")) + 1
    [sync] = L.check_workload(small_needs(peak_concurrency=over))
    [asyn] = L.check_workload(small_needs(peak_concurrency=over, invocation="async"))
    assert data.lambda_limits()["concurrency_default"].adjustable
    assert L.ALT_QUOTA in sync.alternatives and "raises it on request" in sync.message
    assert L.ALT_QUEUE not in sync.alternatives and L.ALT_QUEUE in asyn.alternatives
    assert L.ALT_MANAGED_INSTANCES in sync.alternatives


def test_init_duration_just_inside_and_just_outside():
    edge_ms = lim("init_timeout") * 1000
    assert L.check_workload(small_needs(), init_ms=edge_ms) == []
    [v] = L.check_workload(small_needs(), init_ms=edge_ms + 1)
    assert v.limit == "init_timeout" and v.unit == "s"


def test_state_needs_an_external_store():
    [v] = L.check_workload(small_needs(needs_state=True))
    assert v.limit == "state"
    assert v.alternatives[0] == L.ALT_STATE_STORE


def test_latency_compares_the_target_with_a_cold_start():
    init_ms, duration_ms = 300.0, 200.0
    cold = init_ms + duration_ms
    assert L.check_workload(small_needs(duration_ms=duration_ms, latency_target_ms=cold),
                            init_ms=init_ms) == []
    [v] = L.check_workload(small_needs(duration_ms=duration_ms, latency_target_ms=cold - 1),
                           init_ms=init_ms)
    assert (v.limit, v.requested, v.allowed, v.unit) == ("latency", cold, cold - 1, "ms")
    assert v.alternatives == (L.ALT_WARM, L.ALT_MANAGED_INSTANCES, L.ALT_EC2)
    # the same target with a faster start fits: init_ms really is used
    assert L.check_workload(small_needs(duration_ms=duration_ms, latency_target_ms=cold - 1),
                            init_ms=init_ms - 2) == []


def test_latency_target_below_the_warm_duration_is_not_a_platform_problem():
    [v] = L.check_workload(small_needs(duration_ms=200.0, latency_target_ms=199.0), init_ms=0)
    assert v.limit == "latency" and v.alternatives == (L.ALT_FASTER_CODE,)
    assert "Even a warm run" in v.message


def test_no_latency_target_means_no_latency_check():
    assert L.check_workload(small_needs(latency_target_ms=None), init_ms=9000) == []


def test_everything_at_once_in_a_fixed_order():
    needs = small_needs(duration_ms=lim("timeout_max") * 2000, memory_mb=lim("memory_max") * 2,
                        payload_mb=lim("payload_sync_max") * 2, tmp_mb=lim("tmp_max") * 2,
                        package_mb=lim("package_unzipped_max") * 2,
                        peak_concurrency=int(lim("concurrency_default")) * 2, needs_state=True,
                        latency_target_ms=10.0)
    assert names(L.check_workload(needs, init_ms=lim("init_timeout") * 2000)) == [
        "timeout_max", "memory_max", "payload_sync_max", "tmp_max", "package_unzipped_max",
        "concurrency_default", "init_timeout", "state", "latency"]


@pytest.mark.parametrize("field, value", [
    ("duration_ms", -1), ("duration_ms", "long"), ("memory_mb", math.nan),
    ("payload_mb", -0.5), ("invocation", "batch"), ("tmp_mb", math.inf),
    ("peak_concurrency", 0), ("peak_concurrency", 2.5), ("needs_state", "yes"),
    ("latency_target_ms", 0), ("latency_target_ms", -10), ("package_mb", True),
])
def test_bad_input_names_the_field_and_the_value(field, value):
    with pytest.raises(ValueError, match=field) as caught:
        small_needs(**{field: value})
    assert "allowed" in str(caught.value)


def test_bad_init_ms_and_bad_needs():
    with pytest.raises(ValueError, match="init_ms"):
        L.check_workload(small_needs(), init_ms=-1)
    with pytest.raises(ValueError, match="needs"):
        L.check_workload({"duration_ms": 1})


def test_limits_come_from_the_csv(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    csv = folder / "lambda_limits.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines = [",".join(["timeout_max", "60"] + line.split(",")[2:])
             if line.startswith("timeout_max,") else line for line in lines]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv(data.DATA_ENV_VAR, str(folder))
    [v] = L.check_workload(small_needs(duration_ms=61_000))
    assert (v.limit, v.allowed, v.requested) == ("timeout_max", 60.0, 61.0)
    assert "60 s" in v.message


def test_tables_for_the_page():
    needs = small_needs(memory_mb=lim("memory_max") + 1, needs_state=True)
    frame = L.violations_frame(L.check_workload(needs))
    assert list(frame["limit"]) == ["memory", "state"]
    assert list(frame.columns) == ["limit", "needed", "Lambda allows", "unit",
                                   "what to use instead"]
    table = L.limits_frame()
    assert list(table["limit"]) == [L.limit_name(key) for key in L.CHECKED_LIMITS]
    for name, value in zip(L.CHECKED_LIMITS, table["value"], strict=True):
        assert float(value.replace(",", "")) == lim(name)


def test_every_limit_has_a_name_for_a_reader():
    """The data file's keys (timeout_max) are not what a page shows: every row of
    lambda_limits.csv, and the two checks that are not rows, has a reader's name."""
    from ec2vslambda import data

    keys = set(data.lambda_limits()) | {"state", "latency"}
    assert keys <= set(L.LIMIT_WORDS), sorted(keys - set(L.LIMIT_WORDS))
    assert L.limit_name("timeout_max") == "timeout"
    assert all("_" not in name for name in L.LIMIT_WORDS.values())
