"""Reading many traffic files in parallel with Dask gives exactly the serial Traffic."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from ec2vslambda.traffic import Request, read, writers
from ec2vslambda.traffic.readers import batches_for

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC).timestamp()


def write_alb_files(folder, files=24, per_file=150):
    """Five-minute ALB log files whose requests straddle the files' edges (a request arriving
    before a file's end is logged in the next one when it finishes), with one file twice."""
    paths = []
    n = 0
    for f in range(files):
        requests = []
        for i in range(per_file):
            arrival = T0 + f * 300 + (i * 300.0 / per_file) - 0.4
            requests.append(Request(round(arrival, 6), 50.0 + (n * 37) % 900))
            n += 1
        path = folder / f"node1_{f:03d}.log.gz"
        extra = [(T0 + f * 300 + 1.5, 503)] if f % 5 == 0 else []
        path.write_bytes(gzip.compress("".join(writers.alb_lines(requests,
                                                                 no_target=extra)).encode()))
        paths.append(path)
    return paths + [paths[3]]  # the same file passed twice: its lines are duplicates


def write_report_files(folder, files=6, per_file=80):
    paths, n = [], 0
    for f in range(files):
        requests = []
        for i in range(per_file):
            cold = i % 17 == 0
            requests.append(Request(T0 + 7 * n % 3600 + 0.25, 20.0 + n % 300, cold=cold,
                                    init_ms=180.0 if cold else None, memory_mb=1024,
                                    max_memory_used_mb=90, key=writers.request_id(n)))
            n += 1
        path = folder / f"report_{f}.log"
        path.write_text(writers.lambda_text(requests))
        paths.append(path)
    return paths


def test_batches_keep_the_files_in_order():
    paths = [f"p{i}" for i in range(37)]
    batches = batches_for(paths, 2)
    assert [p for b in batches for p in b] == paths
    assert len(batches) <= 16
    assert batches_for(paths[:3], 8) == [["p0"], ["p1"], ["p2"]]


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_local_dask_schedulers_give_the_serial_traffic(tmp_path, scheduler):
    paths = write_report_files(tmp_path)
    serial = read(*paths)
    parallel = read(*paths, scheduler=scheduler)
    assert parallel == serial
    assert serial.cold is not None and any(serial.cold)


def test_a_local_cluster_on_loopback_gives_the_serial_traffic(tmp_path):
    from dask.distributed import Client, LocalCluster

    paths = write_alb_files(tmp_path)
    serial = read(*paths)
    assert serial.skipped["duplicate"] == 150
    assert serial.skipped["never reached a target (HTTP 503)"] == 5
    calls = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                      host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster) as client:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        parallel = read(*paths, scheduler=client,
                        on_progress=lambda done, total: calls.append((done, total)))
    assert parallel == serial
    total = sum(p.stat().st_size for p in paths)
    assert calls[-1] == (total, total)


def test_mixed_formats_are_refused_in_parallel_too(tmp_path):
    from ec2vslambda.traffic import TrafficError

    paths = write_report_files(tmp_path, files=2)
    other = tmp_path / "r.csv"
    other.write_text("timestamp,duration_ms\n2026-03-02T09:00:00Z,5\n")
    with pytest.raises(TrafficError, match=r"r.csv: is csv but .*report_0.log is lambda-text"):
        read(*paths, other, scheduler="sync")
