"""ec2vslambda.traffic readers: every format on AWS's published layouts, and every bad input.

Layouts: the ALB access-log syntax (Elastic Load Balancing User Guide, "Access log entries"),
Lambda's REPORT line and JSON ``platform.report`` record, ``aws logs tail`` output, the
CloudWatch Logs and CloudWatch APIs' JSON, a Logs Insights CSV, the Azure 2019 trace. The lines
below are written for these tests in those layouts.
"""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2vslambda.traffic import FORMATS, Request, TrafficError, detect, read, writers
from ec2vslambda.traffic.timestamps import epoch_s, iso_parser, to_epoch_s
from tests.browser_imports import ROOT, browser_import_problems

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC).timestamp()
TRAFFIC_MODULES = sorted((ROOT / "ec2vslambda" / "traffic").glob("*.py"))


def src(name: str, text: str | bytes) -> io.BytesIO:
    """A named in-memory file, as a browser hands a dropped file to Python."""
    stream = io.BytesIO(text.encode() if isinstance(text, str) else text)
    stream.name = name
    return stream


# report.py (the workload report) is tested with the report; these are the readers
@pytest.mark.parametrize("module", [m for m in TRAFFIC_MODULES if m.name != "report.py"],
                         ids=lambda p: p.name)
def test_readers_import_only_what_the_browser_has(module):
    problems = browser_import_problems(module)
    assert not problems, problems


# --- timestamps -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2026-03-02T09:00:01.5Z", "2026-03-02T09:00:01.500000+00:00",
                                  "2026-03-02T18:00:01.5+09:00", "2026-03-02 09:00:01.500",
                                  "2026-03-02T04:00:01.5-05:00", "2026-03-02T09:00:01,5Z",
                                  "2026-03-02T18:00:01.5+0900"])
def test_iso_timestamps_respect_their_offsets(text):
    assert iso_parser()(text) == T0 + 1.5


def test_epoch_numbers_in_seconds_or_milliseconds():
    assert epoch_s(T0) == T0 == epoch_s(T0 * 1000)
    assert to_epoch_s(f"{T0 * 1000:.0f}") == T0 == to_epoch_s(f"{T0:.3f}")
    with pytest.raises(ValueError, match="outside 2000-2100"):
        epoch_s(T0 * 1e6)  # microseconds


@pytest.mark.parametrize("text", ["2026-03-02T09:00:nanZ", "2026-13-02T09:00:00Z",
                                  "yesterday", "2026-03-02T09:00:1e1Z", "1999-12-31T23:59:00Z"])
def test_what_is_not_a_timestamp_is_refused(text):
    with pytest.raises(ValueError):
        iso_parser()(text)


# --- ALB access logs ------------------------------------------------------------------------

def alb_line(kind="https", created="2026-03-02T09:00:00.250000Z", target="0.120",
             status="200", target_port="10.0.1.10:8080", agent="curl/8.5.0", tail=""):
    sent = "2026-03-02T09:00:00.371000Z"
    fields = [kind, sent, "app/my-service/50dc6c495c0c9188", "203.0.113.7:40412", target_port,
              "0.001" if target != "-1" else "-1", target, "0.000" if target != "-1" else "-1",
              status, status if target != "-1" else "-", "210", "640",
              '"GET https://api.example.com:443/items/7 HTTP/1.1"', f'"{agent}"',
              "ECDHE-RSA-AES128-GCM-SHA256", "TLSv1.2",
              "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/svc/73e2d6bc",
              '"Root=1-65e2ea50-0123456789abcdef01234567"', '"api.example.com"', '"-"', "1",
              created, '"forward"', '"-"', '"-"', f'"{target_port}"', f'"{status}"', '"-"',
              '"-"']
    return " ".join(fields) + tail + "\n"


def test_alb_arrival_is_request_creation_time_and_duration_target_processing_time():
    text = (alb_line(created="2026-03-02T09:00:02.000000Z", target="0.050")
            + alb_line(kind="h2", created="2026-03-02T09:00:00.250000Z")
            + alb_line(kind="wss", created="2026-03-02T09:01:00.000000Z", target="1.500"))
    traffic = read(src("a.log", text))
    assert traffic.format == "alb" and detect(src("a.log", text)) == "alb"
    assert traffic.start.timestamp() == T0 + 0.25
    assert list(traffic.arrivals_s) == [0.0, 1.75, 59.75]
    assert list(traffic.durations_ms) == [120.0, 50.0, 1500.0]
    assert traffic.per_minute == (2, 1)
    assert traffic.cold is None and traffic.memory_mb is None and traffic.skipped == {}


def test_alb_requests_that_never_reached_a_target_are_counted_by_status():
    text = (alb_line() + alb_line(target="-1", status="503", target_port="-")
            + alb_line(target="-1", status="503", target_port="-")
            + alb_line(target="-1", status="460", target_port="-"))
    traffic = read(src("a.log", text))
    assert traffic.invocations == 1
    assert traffic.skipped == {"never reached a target (HTTP 503)": 2,
                               "never reached a target (HTTP 460)": 1}


def test_alb_lambda_targets_new_trailing_fields_and_escaped_quotes():
    lambda_target = alb_line(target_port="-", created="2026-03-02T09:00:01.000000Z")
    newer = alb_line(created="2026-03-02T09:00:02.000000Z",
                     tail=' TID_0123456789abcdef "-" "-" "-"')
    quoted = alb_line(agent=r'Mozilla/5.0 \"quoted\" agent',
                      created="2026-03-02T09:00:03.000000Z", target="0.300")
    traffic = read(src("a.log", lambda_target + newer + quoted))
    assert list(traffic.arrivals_s) == [0.0, 1.0, 2.0]
    assert traffic.durations_ms[2] == 300.0


def test_alb_malformed_lines_are_skipped_and_counted_never_guessed():
    text = (alb_line() + "https 2026-03-02T09:00:00Z truncated line\n"
            + alb_line(created="not-a-time") + alb_line(target="abc") + "\n")
    traffic = read(src("a.log", text), format="alb")
    assert traffic.invocations == 1
    assert traffic.skipped == {"malformed access log line": 3}


def test_alb_gzip_and_plain_read_the_same():
    lines = "".join(alb_line(created=f"2026-03-02T09:00:{s:02d}.000000Z") for s in range(30))
    plain = read(src("a.log", lines))
    packed = read(src("a.log.gz", gzip.compress(lines.encode())))
    assert packed.invocations == plain.invocations == 30
    assert list(packed.arrivals_s) == list(plain.arrivals_s)


# --- Lambda REPORT lines --------------------------------------------------------------------

REPORT = ("REPORT RequestId: {rid}\tDuration: {d} ms\tBilled Duration: 103 ms\t"
          "Memory Size: 512 MB\tMax Memory Used: {used} MB\t")


def report(rid="3f6c0a52-1b2d-4e5f-8a9b-0c1d2e3f4a5b", d="102.25", used=81, init=None,
           restore=None):
    text = REPORT.format(rid=rid, d=d, used=used)
    if init:
        text += f"Init Duration: {init} ms\t"
    if restore:
        text += f"Restore Duration: {restore} ms\tBilled Restore Duration: 130 ms\t"
    return text


def test_report_text_arrival_is_the_end_minus_init_and_duration():
    stream = "2026/03/02/[$LATEST]8e1f0c2a9e71b44c8d9a3e6b1f2d4c8e"
    text = (f"2026-03-02T09:00:00.400000+00:00 {stream} START RequestId: a Version: $LATEST\n"
            f"2026-03-02T09:00:00.400000+00:00 {stream} {report('a', '200.00', init='200.00')}\n"
            "XRAY TraceId: 1-65e2ea50-0123456789abcdef01234567\tSegmentId: 1a2b3c\tSampled: "
            "true\n"
            f"2026-03-02T09:00:01.150000+00:00 {stream} some application output\n"
            f"2026-03-02T09:00:01.250000+00:00 {stream} {report('b', '50.00', used=90)}\n"
            f"2026-03-02T09:00:02.000000+00:00 {stream} END RequestId: b\n")
    traffic = read(src("tail.log", text))
    assert traffic.format == "lambda-text"
    assert traffic.start.timestamp() == pytest.approx(T0)
    assert list(traffic.arrivals_s) == pytest.approx([0.0, 1.2])
    assert list(traffic.durations_ms) == [200.0, 50.0]
    assert traffic.cold == (True, False) and list(traffic.init_ms) == [200.0, 0.0]
    assert traffic.memory_mb == 512 and traffic.max_memory_used_mb == 90


def test_report_text_short_format_and_snapstart_restore():
    text = (f"2026-03-02T09:00:01 {report('a', '300.00', restore='500.00')}\n"
            f"2026-03-02T09:00:05 {report('b', '1000.00')}\n")
    traffic = read(src("short.log", text))
    assert traffic.start.timestamp() == T0 + 1 - 0.8
    assert traffic.cold == (True, False) and list(traffic.init_ms) == [500.0, 0.0]


def test_report_text_with_json_log_format_messages():
    record = {"time": "2026-03-02T09:00:00.500Z", "type": "platform.report",
              "record": {"requestId": "a", "metrics": {"durationMs": 300.0,
                                                       "billedDurationMs": 301,
                                                       "memorySizeMB": 256,
                                                       "maxMemoryUsedMB": 70,
                                                       "initDurationMs": 200.0}}}
    text = f"2026-03-02T09:00:00.500000+00:00 stream {json.dumps(record)}\n"
    traffic = read(src("tail.log", text))
    assert traffic.format == "lambda-text" and traffic.start.timestamp() == T0
    assert traffic.cold == (True,) and traffic.memory_mb == 256


def test_report_text_malformed_lines_are_counted_by_reason():
    text = (f"2026-03-02T09:00:00.500000+00:00 s {report('a')}\n"
            "2026-03-02T09:00:00.600000+00:00 s REPORT RequestId: b Duration: soon\n"
            f"{report('c')}\n"
            f"2026-02-31T09:00:00.700000+00:00 s {report('d')}\n")
    traffic = read(src("tail.log", text), format="lambda-text")
    assert traffic.invocations == 1
    assert traffic.skipped == {"malformed REPORT line": 1, "REPORT without a timestamp": 1,
                               "unreadable timestamp": 1}


def test_the_same_report_in_two_exports_counts_once_but_a_retry_counts():
    one = f"2026-03-02T09:00:00.500000+00:00 s {report('a')}\n"
    retry = f"2026-03-02T09:01:00.500000+00:00 s {report('a')}\n"
    other = f"2026-03-02T09:00:00.500000+00:00 s {report('b')}\n"
    traffic = read(src("x.log", one + other), src("y.log", one + retry))
    assert traffic.invocations == 3
    assert traffic.skipped == {"duplicate": 1}
    assert traffic.sources == ("x.log", "y.log")


def test_out_of_order_lines_are_sorted_ties_in_file_order():
    lines = [f"2026-03-02T09:00:{s:02d}.000000+00:00 s {report(f'r{n}', d=f'{d}.00')}\n"
             for n, (s, d) in enumerate([(30, 300), (10, 100), (20, 200), (10, 100)])]
    traffic = read(src("x.log", "".join(lines)))
    # arrival = end - duration: 29.7 s, 9.9 s, 19.8 s and 9.9 s after 09:00
    assert list(traffic.arrivals_s) == pytest.approx([0.0, 0.0, 9.9, 19.8])
    assert list(traffic.durations_ms) == [100.0, 100.0, 200.0, 300.0]
    assert traffic.skipped == {}


def test_filter_log_events_json_and_its_variants():
    events = [{"logStreamName": "s", "timestamp": int((T0 + 1) * 1000), "message":
               report("a", "500.00", init="500.00") + "\n", "ingestionTime": 1, "eventId": "1"},
              {"logStreamName": "s", "timestamp": int((T0 + 2) * 1000),
               "message": "START RequestId: b Version: $LATEST\n"},
              {"logStreamName": "s", "timestamp": int((T0 + 2) * 1000),
               "message": report("b", "1000.00")}]
    for text in (json.dumps({"events": events, "searchedLogStreams": []}, indent=4),
                 json.dumps({"events": events, "nextForwardToken": "f/1",
                             "nextBackwardToken": "b/1"}),
                 json.dumps(events)):
        traffic = read(src("events.json", text))
        assert traffic.format == "lambda-events"
        assert list(traffic.arrivals_s) == [0.0, 1.0] and traffic.cold == (True, False)


def test_events_json_pages_appended_and_bad_events():
    page = {"events": [{"timestamp": int((T0 + 1) * 1000), "message": report("a")},
                       {"timestamp": "soon", "message": report("b")}, "not an event"]}
    traffic = read(src("events.json", json.dumps(page) + "\n" + json.dumps(page)))
    assert traffic.invocations == 1
    assert traffic.skipped == {"malformed log event": 4, "duplicate": 1}


def test_logs_insights_csv_with_a_multi_line_message():
    message = report("a", "100.00", init="150.00") + "\nXRAY TraceId: 1-2-3\tSampled: true\t\n"
    text = ("@timestamp,@message,@logStream\n"
            f'2026-03-02 09:00:00.250,"{message}",s\n'
            f'2026-03-02 09:00:00.900,"{report("b", "400.00")}",s\n'
            '2026-03-02 09:00:01.000,"END RequestId: b",s\n')
    traffic = read(src("insights.csv", text))
    assert traffic.format == "lambda-insights"
    assert list(traffic.arrivals_s) == pytest.approx([0.0, 0.5])  # 0.25 - 0.25, 0.9 - 0.4
    assert traffic.cold == (True, False)


def test_lambda_json_log_format_lines():
    start = {"time": "2026-03-02T09:00:00.000Z", "type": "platform.start",
             "record": {"requestId": "a", "version": "$LATEST"}}
    done = {"time": "2026-03-02T09:00:00.350Z", "type": "platform.report",
            "record": {"requestId": "a", "metrics": {"durationMs": 100.0,
                                                     "billedDurationMs": 350,
                                                     "memorySizeMB": 1024, "maxMemoryUsedMB": 99,
                                                     "initDurationMs": 250.0},
                       "status": "success"}}
    broken = {"time": "2026-03-02T09:00:01.000Z", "type": "platform.report",
              "record": {"requestId": "b", "metrics": {"durationMs": "fast"}}}
    app = {"timestamp": "2026-03-02T09:00:00.100Z", "level": "INFO", "message": "hello"}
    text = "\n".join(json.dumps(r) for r in (start, app, done, broken)) + "\nplain print\n"
    traffic = read(src("json.log", text))
    assert traffic.format == "lambda-json" and traffic.start.timestamp() == T0
    assert traffic.cold == (True,) and traffic.memory_mb == 1024
    assert traffic.skipped == {"malformed platform.report record": 1}


# --- CloudWatch metrics ---------------------------------------------------------------------

def stamp(minute: int) -> str:
    return f"2026-03-02T09:{minute:02d}:00+00:00"


def test_get_metric_data_newest_first_with_labelled_series():
    document = {"MetricDataResults": [
        {"Id": "m1", "Label": "Invocations", "Timestamps": [stamp(2), stamp(1), stamp(0)],
         "Values": [6.0, 0.0, 3.0], "StatusCode": "Complete"},
        {"Id": "m2", "Label": "Duration", "Timestamps": [stamp(2), stamp(0)],
         "Values": [120.0, 80.0], "StatusCode": "Complete"},
        {"Id": "m3", "Label": "Duration p99", "Timestamps": [stamp(2), stamp(0)],
         "Values": [400.0, 95.0], "StatusCode": "Complete"},
        {"Id": "m4", "Label": "Errors", "Timestamps": [stamp(2)], "Values": [1.0]}],
        "Messages": []}
    traffic = read(src("m.json", json.dumps(document, indent=4)))
    assert traffic.format == "metric-data" and traffic.aggregated
    assert traffic.per_minute == (3, 0, 6) and traffic.invocations == 9
    assert traffic.duration_avg_ms_per_minute == (80.0, None, 120.0)
    assert traffic.duration_p99_ms == 400.0
    assert traffic.start.timestamp() == T0 and traffic.span_s == 180


def test_get_metric_statistics_files_in_no_order_with_five_minute_periods():
    invocations = {"Label": "Invocations", "Datapoints": [
        {"Timestamp": stamp(10), "Sum": 5.0, "Unit": "Count"},
        {"Timestamp": stamp(0), "Sum": 12.0, "Unit": "Count"}]}
    duration = {"Label": "Duration", "Datapoints": [
        {"Timestamp": stamp(0), "Average": 50.0, "SampleCount": 12.0,
         "ExtendedStatistics": {"p99": 90.0}, "Unit": "Milliseconds"},
        {"Timestamp": stamp(10), "Average": 70.0, "SampleCount": 5.0, "Unit": "Milliseconds"}]}
    traffic = read(src("i.json", json.dumps(invocations)), src("d.json", json.dumps(duration)))
    assert traffic.format == "metric-statistics"
    # ten-minute gaps: five-minute periods would give 0 between them; the period read is
    # the largest that divides the gaps, 600 s, so each count spreads over ten minutes
    assert traffic.invocations == 17 and traffic.minutes == 20
    assert traffic.per_minute[:10] == (2, 2, 1, 1, 1, 1, 1, 1, 1, 1)
    alone = read(src("d.json", json.dumps(duration)))  # the counts from SampleCount
    assert alone.invocations == 17


def test_metrics_csv_layout():
    text = ("Time,Invocations,Duration,Duration p99\n"
            "2026-03-02 09:00:00,4,100.5,180\n2026-03-02 09:01:00,,,\n"
            "2026-03-02 09:02:00,2,50,60\nnot a time,1,1,1\n")
    traffic = read(src("m.csv", text))
    assert traffic.format == "metrics-csv"
    assert traffic.per_minute == (4, 0, 2) and traffic.skipped == {"malformed data point": 1}


def test_two_different_values_for_one_period_are_refused():
    one = {"Label": "Invocations", "Datapoints": [{"Timestamp": stamp(0), "Sum": 3.0},
                                                  {"Timestamp": stamp(1), "Sum": 1.0}]}
    other = {"Label": "Invocations", "Datapoints": [{"Timestamp": stamp(0), "Sum": 4.0},
                                                    {"Timestamp": stamp(1), "Sum": 1.0}]}
    with pytest.raises(TrafficError, match=r"b.json: has Invocations 4 for the period starting "
                                           r"2026-03-02 09:00:00 UTC, a.json 3; expected one "):
        read(src("a.json", json.dumps(one)), src("b.json", json.dumps(other)))
    same = read(src("a.json", json.dumps(one)), src("c.json", json.dumps(one)))
    assert same.invocations == 4 and same.skipped == {"duplicate": 2}


def test_a_single_data_point_has_no_period_to_tell():
    one = {"Label": "Invocations", "Datapoints": [{"Timestamp": stamp(0), "Sum": 3.0}]}
    with pytest.raises(TrafficError, match="a.json: has a single data point"):
        read(src("a.json", json.dumps(one)))


def test_metric_data_without_invocations_is_refused():
    document = {"MetricDataResults": [{"Id": "d", "Label": "Duration", "Timestamps": [stamp(0)],
                                       "Values": [1.0]}]}
    with pytest.raises(TrafficError, match="m.json: has no Invocations series; expected"):
        read(src("m.json", json.dumps(document)))


# --- Azure Functions 2019 -------------------------------------------------------------------

def test_azure_synthetic_day_sums_every_function_minute_by_minute():
    from ec2vslambda import workloads

    path = ROOT / "data" / "synthetic_trace.csv"
    traffic = read(path)
    table = workloads.load_trace()
    minutes = workloads.minute_columns(table.columns)
    assert traffic.format == "azure" and traffic.minutes == 1440
    assert list(traffic.per_minute) == table[minutes].sum(axis=0).astype(int).tolist()
    assert traffic.start == datetime(2019, 7, 1, tzinfo=UTC)
    weights = table[minutes[0]]
    expected = float((weights * table["AverageDurationMs"]).sum() / weights.sum())
    assert traffic.duration_avg_ms_per_minute[0] == pytest.approx(expected)


def test_azure_week_files_join_each_days_durations():
    from ec2vslambda import workloads

    invocations, durations = workloads.azure_day_files(ROOT / "data" / "synthetic_week", days=2)
    traffic = read(*invocations, *durations)
    trace = workloads.load_azure_trace(invocations, durations)
    assert traffic.minutes == 2 * 1440
    assert traffic.invocations == int(trace.count.sum()) + int(
        trace.dropped["their invocations"].sum())
    assert traffic.start == datetime(2019, 7, 1, tzinfo=UTC)
    assert all(d is None or d > 0 for d in traffic.duration_avg_ms_per_minute)


# --- plain CSV ------------------------------------------------------------------------------

def test_plain_csv_with_offsets_epochs_and_optional_columns():
    text = ("Timestamp,Duration_ms,cold,init_ms,memory_mb,request_id,extra\n"
            "2026-03-02T18:00:01+09:00,100,true,180.5,512,a,x\n"
            f"{T0 * 1000 + 2000:.0f},50,false,,512,b,x\n"
            f"{T0 + 3:.1f},25,no,,1024,c,x\n"
            "2026-03-02T09:00:04,7,maybe,,512,d,x\n"
            "2026-03-02T09:00:01Z,100,true,180.5,512,a,x\n")
    traffic = read(src("r.csv", text))
    assert traffic.format == "csv"
    assert list(traffic.arrivals_s) == [0.0, 1.0, 2.0]
    assert traffic.cold == (True, False, False) and list(traffic.init_ms) == [180.5, 0, 0]
    assert traffic.memory_mb == 512
    assert traffic.skipped == {"malformed row": 1, "duplicate": 1}


def test_plain_csv_without_identity_counts_every_row():
    text = "timestamp,duration_ms\n2026-03-02T09:00:00Z,5\n2026-03-02T09:00:00Z,5\n"
    traffic = read(src("r.csv", text))
    assert traffic.invocations == 2 and traffic.cold is None and traffic.memory_mb is None


# --- bad input ------------------------------------------------------------------------------

def test_an_empty_file_is_refused_with_its_name(tmp_path):
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    with pytest.raises(TrafficError, match=r"empty\.log: is empty; expected traffic records"):
        read(empty)
    with pytest.raises(TrafficError, match="blank.log: holds only blank space"):
        read(src("blank.log", "\n \n"))


def test_an_unknown_format_is_refused_naming_the_known_ones():
    with pytest.raises(TrafficError, match=r"notes.txt: is in no format read here \(its first "
                                           r"line: 'dear diary'\); expected one of alb, "):
        read(src("notes.txt", "dear diary\nnothing here\n"))


def test_a_binary_file_is_refused():
    with pytest.raises(TrafficError, match="pic.bin: is a binary file, not text"):
        read(src("pic.bin", bytes(range(256)) * 4))
    with pytest.raises(TrafficError, match="x.zip: is a zip archive; expected a text file or a "
                                           "gzip-compressed"):
        read(src("x.zip", b"PK\x03\x04" + b"\x00" * 100))
    with pytest.raises(TrafficError, match="noise: is not UTF-8 text"):
        read(src("noise", bytes(range(128, 256)) * 8))


def test_a_truncated_gzip_is_refused_with_its_name():
    lines = "".join(alb_line(created=f"2026-03-02T09:00:{s % 60:02d}.{s:06d}Z")
                    for s in range(5000))
    packed = gzip.compress(lines.encode())
    with pytest.raises(TrafficError, match=r"cut.log.gz(, line [\d,]+)?: ends in the middle of "
                                           r"its gzip data"):
        read(src("cut.log.gz", packed[: len(packed) // 2]))
    with pytest.raises(TrafficError, match="tiny.gz: ends in the middle of its gzip data"):
        read(src("tiny.gz", packed[:40]))


def test_a_csv_without_the_needed_columns_names_them():
    with pytest.raises(TrafficError, match=r"r.csv, line 1: has no duration_ms column .*; "
                                           r"expected a header with timestamp and duration_ms"):
        read(src("r.csv", "timestamp,latency\n2026-03-02T09:00:00Z,5\n"))
    with pytest.raises(TrafficError, match=r"q.csv, line 1: is a CSV file whose header matches "
                                           r"no layout read here .*expected timestamp,"):
        read(src("q.csv", "when,how_long\n2026-03-02T09:00:00Z,5\n"))
    with pytest.raises(TrafficError, match=r"i.csv, line 1: has no @message column"):
        read(src("i.csv", "@timestamp,@duration\n2026-03-02 09:00:00.000,5\n"))


def test_two_formats_in_one_call_are_refused_naming_both_files():
    alb = src("a.log", alb_line())
    csv_file = src("r.csv", "timestamp,duration_ms\n2026-03-02T09:00:00Z,5\n")
    with pytest.raises(TrafficError, match=r"r.csv: is csv but a.log is alb; expected files of "
                                           "one format in one call"):
        read(alb, csv_file)


def test_a_missing_file_a_folder_and_a_text_mode_file(tmp_path):
    with pytest.raises(TrafficError, match="nope.log: does not exist"):
        read(tmp_path / "nope.log")
    with pytest.raises(TrafficError, match="is a folder"):
        read(tmp_path)
    with pytest.raises(TrafficError, match="is open in text mode"):
        read(io.StringIO("x"))
    with pytest.raises(TrafficError, match="was given no file"):
        read()
    with pytest.raises(ValueError, match="format='elb' is not allowed; allowed: alb, "):
        read(src("a.log", alb_line()), format="elb")


def test_a_file_with_nothing_readable_says_what_was_skipped():
    with pytest.raises(TrafficError, match=r"a.log: holds no request that could be read \(1 "
                                           r"never reached a target \(HTTP 503\) skipped\)"):
        read(src("a.log", alb_line(target="-1", status="503", target_port="-")))


def test_broken_json_names_the_line():
    with pytest.raises(TrafficError, match=r"e.json, line 3: is not valid JSON"):
        read(src("e.json", '{"events": [\n{"timestamp": 1, "message": "x"},\n{"timestamp": ]}'),
             format="lambda-events")
    with pytest.raises(TrafficError, match="ends in the middle of a JSON value"):
        read(src("e.json", '{"events": [{"timestamp": 1, "message": "REPORT'),
             format="lambda-events")


def test_format_names_are_listed_and_each_has_a_reader():
    assert len(FORMATS) == len(set(FORMATS)) == 10
    assert {"alb", "lambda-text", "lambda-events", "lambda-insights", "lambda-json",
            "metric-data", "metric-statistics", "metrics-csv", "azure", "csv"} == set(FORMATS)


# --- progress -------------------------------------------------------------------------------

def test_progress_reaches_the_total_of_the_files_on_disk(tmp_path):
    lines = "".join(alb_line(created=f"2026-03-02T09:{s // 60 % 60:02d}:{s % 60:02d}.0Z")
                    for s in range(20_000))
    paths = []
    for i in range(2):
        path = tmp_path / f"part{i}.log.gz"
        path.write_bytes(gzip.compress(lines.encode()))
        paths.append(path)
    calls = []
    read(*paths, on_progress=lambda done, total: calls.append((done, total)))
    total = sum(p.stat().st_size for p in paths)
    assert calls[-1] == (total, total)
    assert all(t == total for _, t in calls) and len(calls) >= 2
    dones = [d for d, _ in calls]
    assert dones == sorted(dones)


# --- round trips ----------------------------------------------------------------------------

def requests_for_round_trip(n=200):
    import random

    rng = random.Random(7)
    out, t = [], T0
    for i in range(n):
        t += rng.expovariate(2.0)
        cold = rng.random() < 0.2
        out.append(Request(round(t, 3), round(rng.uniform(1, 900), 2), cold=cold,
                           init_ms=round(rng.uniform(100, 400), 2) if cold else None,
                           memory_mb=512, max_memory_used_mb=64 + i % 30,
                           key=writers.request_id(i)))
    return out


@pytest.mark.parametrize("format", ["lambda-text", "lambda-events", "lambda-insights",
                                    "lambda-json", "alb", "csv"])
def test_every_per_request_writer_reads_back(format):
    requests = requests_for_round_trip()
    write = {"lambda-text": writers.lambda_text, "lambda-events": writers.lambda_events,
             "lambda-insights": writers.lambda_insights, "lambda-json": writers.lambda_json,
             "alb": lambda r: "".join(writers.alb_lines(r)), "csv": writers.plain_csv}[format]
    traffic = read(src(f"x.{format}", write(requests)))
    assert traffic.format == format and traffic.invocations == len(requests)
    first = requests[0].arrival_epoch_s
    assert list(traffic.arrivals_s) == pytest.approx(
        [r.arrival_epoch_s - first for r in requests], abs=2e-3)
    assert list(traffic.durations_ms) == pytest.approx([r.duration_ms for r in requests],
                                                       abs=0.5)
    if format != "alb":
        assert traffic.cold == tuple(r.cold for r in requests)
        assert traffic.memory_mb == 512


def test_samples_folder_path_is_where_the_data_is():
    from ec2vslambda.traffic import samples

    assert samples.folder() == ROOT / "data" / "traffic"
    assert set(samples.FILES) == set(FORMATS)
    assert all(p.is_file() for f in FORMATS for p in samples.paths(f))
    with pytest.raises(ValueError, match="format='x' is not allowed"):
        samples.paths("x")


def test_a_path_object_and_a_string_read_the_same(tmp_path):
    path = tmp_path / "a.log"
    path.write_text(alb_line())
    assert read(path) == read(str(path))
    assert read(Path(path)).sources == (str(path),)


# --- properties -----------------------------------------------------------------------------

request_lists = st.lists(
    st.tuples(st.integers(0, 3 * 86_400_000),  # arrival, ms after T0
              st.integers(0, 900_000),  # duration, hundredths of a ms
              st.booleans(), st.integers(1, 1_000_000)),  # cold, init (hundredths of a ms)
    min_size=1, max_size=60)


def as_requests(rows):
    return [Request(T0 + ms / 1000.0, d / 100.0, cold=cold, init_ms=init / 100.0 if cold else None,
                    memory_mb=256, max_memory_used_mb=70, key=writers.request_id(n))
            for n, (ms, d, cold, init) in enumerate(rows)]


@settings(max_examples=40, deadline=None)
@given(request_lists, st.sampled_from(["csv", "lambda-text", "lambda-events", "lambda-json",
                                       "lambda-insights", "alb"]))
def test_round_trip_through_any_per_request_format(rows, format):
    requests = as_requests(rows)
    write = {"lambda-text": writers.lambda_text, "lambda-events": writers.lambda_events,
             "lambda-insights": writers.lambda_insights, "lambda-json": writers.lambda_json,
             "alb": lambda r: "".join(writers.alb_lines(r)), "csv": writers.plain_csv}[format]
    traffic = read(src("x", write(requests)), format=format)
    assert traffic.invocations == len(requests)
    assert sum(traffic.per_minute) == len(requests)
    arrivals = list(traffic.arrivals_s)
    assert arrivals == sorted(arrivals) and arrivals[0] == 0.0
    first = min(r.arrival_epoch_s for r in requests)
    expected = sorted(r.arrival_epoch_s - first for r in requests)
    assert arrivals == pytest.approx(expected, abs=2e-3)
    if format != "alb":
        assert sum(traffic.cold) == sum(r.cold for r in requests)


@settings(max_examples=60, deadline=None)
@given(request_lists, st.integers(0, 3))
def test_any_split_into_files_with_copies_reads_as_one(rows, copies):
    requests = as_requests(rows)
    whole = read(src("all.csv", writers.plain_csv(requests)))
    middle = len(requests) // 2
    parts = [src("a.csv", writers.plain_csv(requests[middle:])),
             src("b.csv", writers.plain_csv(requests[:middle] or requests[:1]))]
    parts += [src(f"copy{i}.csv", writers.plain_csv(requests)) for i in range(copies)]
    split = read(*parts)
    assert split.invocations == whole.invocations
    assert list(split.arrivals_s) == list(whole.arrivals_s)
    repeated = (0 if middle else 1) + copies * len(requests)
    assert split.skipped.get("duplicate", 0) == repeated


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2099, 12, 30)),
       st.integers(-14 * 60, 14 * 60), st.sampled_from(["T", " "]))
def test_the_cached_iso_parser_agrees_with_the_standard_library(moment, offset_min, sep):
    from datetime import timedelta, timezone

    zone = timezone(timedelta(minutes=offset_min))
    aware = moment.replace(tzinfo=zone)
    text = aware.isoformat(sep=sep, timespec="microseconds")
    parse = iso_parser()
    assert parse(text) == pytest.approx(aware.timestamp(), abs=1e-6)
    assert parse(text) == parse(text)  # the cached path agrees with the first


class _Pipe(io.RawIOBase):
    """A stream that cannot seek, like standard input."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)


def test_a_stream_that_cannot_seek_reads_like_a_file():
    lines = "".join(alb_line(created=f"2026-03-02T09:00:{s:02d}.000000Z") for s in range(40))
    assert read(_Pipe(gzip.compress(lines.encode()))).invocations == 40
    assert read(io.BufferedReader(_Pipe(lines.encode()))).sources == ("<stream>",)
