"""load_azure_trace reads files in the exact layout Azure published (AzureFunctionsDataset2019)."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from ec2vslambda import data, workloads

MINUTES = [str(m) for m in range(1, 1441)]
DURATION_HEADER = ["HashOwner", "HashApp", "HashFunction", *workloads.AZURE_DURATION_COLUMNS]


def write_day(directory, day, invocations, durations):
    """invocations: {(owner, app, function): (trigger, {minute: count})};
    durations: {(owner, app, function): (average_ms, count)}."""
    inv = directory / f"invocations_per_function_md.anon.d{day:02d}.csv"
    with inv.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["HashOwner", "HashApp", "HashFunction", "Trigger", *MINUTES])
        for key, (trigger, counts) in invocations.items():
            out.writerow([*key, trigger, *[counts.get(m, 0) for m in range(1, 1441)]])
    dur = directory / f"function_durations_percentiles.anon.d{day:02d}.csv"
    with dur.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(DURATION_HEADER)
        for key, (average, count) in durations.items():
            out.writerow([*key, average, count, average / 2, average * 2,
                          *[average] * 7])
    return inv, dur


A = ("o1", "a1", "f1")
B = ("o1", "a1", "f2")  # a second function of the same application
C = ("o2", "a2", "f3")


@pytest.fixture
def two_days(tmp_path):
    day1 = write_day(tmp_path, 1,
                     {A: ("http", {1: 3, 2: 1}), B: ("timer", {60: 1}), C: ("queue", {5: 7})},
                     {A: (100.0, 4), B: (2000.0, 1)})  # C has no durations: dropped
    day2 = write_day(tmp_path, 2,
                     {A: ("http", {1440: 2}), C: ("queue", {1: 1})},
                     {A: (300.0, 2), C: (50.0, 1), ("o9", "a9", "f9"): (1.0, 5)})
    return tmp_path, day1, day2


def test_joins_the_two_files_of_each_day_and_counts_what_it_drops(two_days):
    folder, day1, day2 = two_days
    trace = workloads.load_azure_trace([day1[0], day2[0]], [day1[1], day2[1]])
    assert trace.days == 2 and trace.minutes == 2880
    f = trace.functions.set_index("HashFunction")
    assert list(f.index) == ["f1", "f2", "f3"]
    # A: 4 invocations on day 1 at 100 ms, 2 on day 2 at 300 ms: the average weighted by Count
    assert f.loc["f1", "AverageDurationMs"] == pytest.approx((4 * 100 + 2 * 300) / 6)
    assert f.loc["f1", "Invocations"] == 6 and f.loc["f3", "Invocations"] == 1
    dropped = trace.dropped
    assert dropped.loc[1, "functions only in the invocations file"] == 1  # C on day 1
    assert dropped.loc[1, "their invocations"] == 7
    assert dropped.loc[2, "functions only in the durations file"] == 1  # o9 on day 2
    assert dropped.loc[2, "functions only in the invocations file"] == 0
    a = trace.minute_counts(0)
    assert a[0] == 3 and a[1] == 1 and a[1440 + 1439] == 2 and a.sum() == 6
    arrivals, durations = trace.requests(0, seed=1)
    assert arrivals.size == 6 and np.all(np.diff(arrivals) >= 0)
    assert 0 <= arrivals[0] < 60 and 2879 * 60 <= arrivals[-1] < 2880 * 60
    np.testing.assert_allclose(durations, f.loc["f1", "AverageDurationMs"])


def test_applications_add_up_their_functions(two_days):
    folder, day1, day2 = two_days
    apps = workloads.load_azure_trace(*workloads.azure_day_files(folder)).by_application()
    assert list(apps.functions["HashApp"]) == ["a1", "a2"]
    a1 = apps.functions.iloc[0]
    assert a1["Invocations"] == 7 and a1["Trigger"] == "mixed"
    # weighted by invocations: 6 of f1 (avg 166.7 ms) and 1 of f2 (2000 ms)
    assert a1["AverageDurationMs"] == pytest.approx((6 * (1000 / 6) + 2000) / 7)
    assert apps.minute_counts(0)[59] == 1 and apps.minute_counts(0).sum() == 7


def test_a_folder_of_compressed_days_and_max_days(tmp_path):
    import gzip

    for day in (1, 2, 3):
        inv, dur = write_day(tmp_path, day, {A: ("http", {day: day})}, {A: (10.0, day)})
        for path in (inv, dur):
            path.with_suffix(".csv.gz").write_bytes(gzip.compress(path.read_bytes()))
            path.unlink()
    inv, dur = workloads.azure_day_files(tmp_path)
    assert [p.name[-10:] for p in inv] == ["d01.csv.gz", "d02.csv.gz", "d03.csv.gz"]
    trace = workloads.load_azure_trace(inv, dur, max_days=2)
    assert trace.days == 2 and trace.count.sum() == 3


def test_bad_files_say_what_is_wrong(tmp_path):
    inv, dur = write_day(tmp_path, 1, {A: ("http", {1: 1})}, {A: (10.0, 1)})
    with pytest.raises(data.DataError, match="file not found"):
        workloads.load_azure_trace(tmp_path / "nope.csv", dur)
    with pytest.raises(ValueError, match="one of each per day"):
        workloads.load_azure_trace([inv, inv], [dur])
    text = inv.read_text().splitlines()
    inv.write_text("\n".join([text[0].replace(",1440", ""), text[1].rsplit(",", 1)[0]]) + "\n")
    with pytest.raises(data.DataError, match="1439 minute columns"):
        workloads.load_azure_trace(inv, dur)
    with pytest.raises(data.DataError, match="found 0 invocations files"):
        workloads.azure_day_files(tmp_path / "empty")


def test_the_synthetic_week_follows_the_papers_shares():
    trace = workloads.load_azure_trace(*workloads.azure_day_files(
        data.data_dir() / "synthetic_week"))
    assert trace.days == 7 and len(trace.functions) == 300
    assert trace.dropped.to_numpy().sum() == 0
    daily = trace.functions["Invocations"].to_numpy() / trace.days
    # Shahrad et al., figure 5: 45% invoked at most hourly, 81% at most once a minute
    assert np.mean(daily <= 24) == pytest.approx(0.45, abs=0.03)
    assert np.mean(daily <= 1440) == pytest.approx(0.81, abs=0.03)
    busiest = np.sort(daily)[::-1][:57]  # the busiest 19%
    assert busiest.sum() / daily.sum() > 0.98
    # figure 7: about half the functions average under 1 s, a fifth under 100 ms
    average = trace.functions["AverageDurationMs"].to_numpy()
    assert np.mean(average < 1000) == pytest.approx(0.5, abs=0.05)
    assert np.mean(average < 100) == pytest.approx(0.2, abs=0.05)
