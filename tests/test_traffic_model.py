"""The one shape every traffic reader produces: sorting, de-duplication, minutes, periods."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ec2vslambda.traffic import Period, Request, TrafficError, from_periods, from_requests

T0 = datetime(2026, 3, 1, 12, 0, 30, tzinfo=UTC).timestamp()


def test_requests_are_sorted_counted_per_minute_and_deduplicated():
    requests = [Request(T0 + 70, 5.0, cold=False, key="b"), Request(T0, 20.0, cold=True,
                init_ms=150.0, memory_mb=512, key="a"),
                Request(T0 + 10, 7.0, cold=False, memory_mb=512, key="c"),
                Request(T0, 20.0, cold=True, init_ms=150.0, key="a")]
    traffic = from_requests("csv", requests, skipped={"malformed": 2}, sources=["x.log"])
    assert traffic.invocations == 3
    assert traffic.start == datetime(2026, 3, 1, 12, 0, 30, tzinfo=UTC)
    assert traffic.end.tzinfo is UTC
    assert list(traffic.arrivals_s) == [0.0, 10.0, 70.0]
    assert list(traffic.durations_ms) == [20.0, 7.0, 5.0]
    # 12:00:30 and 12:00:40 fall in the first minute, 12:01:40 in the second
    assert traffic.per_minute == (2, 1)
    assert traffic.cold == (True, False, False)
    assert list(traffic.init_ms) == [150.0, 0.0, 0.0]
    assert traffic.memory_mb == 512
    assert traffic.skipped == {"malformed": 2, "duplicate": 1}
    assert not traffic.aggregated


def test_cold_is_none_unless_every_record_says():
    traffic = from_requests("alb", [Request(T0, 1.0), Request(T0 + 1, 1.0, cold=True)],
                            skipped={}, sources=["a"])
    assert traffic.cold is None and traffic.init_ms is None


def test_no_readable_request_names_the_file_and_what_was_skipped():
    with pytest.raises(TrafficError, match=r"a\.log: holds no request .*3 malformed"):
        from_requests("csv", [], skipped={"malformed": 3}, sources=["a.log"])


def test_a_coarse_period_is_spread_over_its_minutes_keeping_the_sum():
    start = datetime(2026, 3, 1, 0, 0, tzinfo=UTC).timestamp()
    periods = [Period(start + 300, 300, 3, duration_avg_ms=40.0),
               Period(start, 300, 7, duration_avg_ms=20.0, duration_p99_ms=90.0)]
    traffic = from_periods("cloudwatch", periods, skipped={}, sources=["m.json"])
    assert traffic.per_minute == (2, 2, 1, 1, 1, 1, 1, 1, 0, 0)
    assert traffic.invocations == 10 == sum(traffic.per_minute)
    assert traffic.duration_avg_ms_per_minute[:6] == (20.0,) * 5 + (40.0,)
    assert traffic.duration_p99_ms == 90.0
    assert traffic.span_s == 600 and traffic.aggregated


def test_the_same_period_twice_is_counted_once():
    periods = [Period(T0, 60, 4), Period(T0, 60, 4)]
    traffic = from_periods("cloudwatch", periods, skipped={}, sources=["m"])
    assert traffic.invocations == 4 and traffic.skipped == {"duplicate": 1}
