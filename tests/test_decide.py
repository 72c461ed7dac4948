"""The decision guide: its prices come from data/, every option is priced by the package's own
cost functions, limits and latency rule options out for the right reasons, and the choice is the
cheapest option that fits (or a more managed one within the stated tolerance)."""

import csv
import math
import shutil
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2vslambda import data, decide, latency, limits, pricing
from ec2vslambda.decide import Assumptions, Workload, peak_concurrency_for
from ec2vslambda.decide import decide as choose

SECONDS_PER_MONTH = pricing.HOURS_PER_MONTH * 3600


def csv_value(item: str, arch: str = "any", region: str = "us-east-1") -> float:
    with (data.data_dir() / decide.MIDDLE_FILE).open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["item"] == item and r["arch"] == arch
                and r["region"] in (region, "global")]
    assert len(rows) == 1
    return float(rows[0]["value"])


def steady_service(**changes) -> Workload:
    base = Workload(requests_per_month=400 * SECONDS_PER_MONTH, duration_ms=50,
                    peak_concurrency=peak_concurrency_for(600, 50), memory_mb=512,
                    cold_start_fraction=0.001, init_ms=300, steady_for_a_year=True,
                    name="steady")
    return replace(base, **changes)


def quiet_api(**changes) -> Workload:
    base = Workload(requests_per_month=2_000_000, duration_ms=100,
                    peak_concurrency=peak_concurrency_for(150, 100), memory_mb=512,
                    init_ms=400, cold_start_fraction=0.02, latency_target_ms=1500, name="quiet")
    return replace(base, **changes)


# --- data ------------------------------------------------------------------------------------

def test_middle_prices_come_from_the_csv():
    prices = decide.middle_prices()
    for arch in ("x86_64", "arm64"):
        assert prices.fargate_usd_per_vcpu_hour[arch] == csv_value("fargate_vcpu", arch)
        assert prices.fargate_usd_per_gb_hour[arch] == csv_value("fargate_memory", arch)
    assert prices.managed_instances_fee == csv_value("managed_instances_fee")
    assert (prices.managed_instances_usd_per_million_requests
            == csv_value("managed_instances_requests"))
    assert prices.microvm_usd_per_vcpu_second == csv_value("microvm_vcpu", "arm64")
    assert prices.microvm_usd_per_gb_second == csv_value("microvm_memory", "arm64")
    assert prices.durable_usd_per_million_operations == csv_value("durable_operations")
    assert all(s.startswith("https://") for s in prices.sources)


def test_seoul_middle_prices_hold_only_what_a_source_gives():
    seoul = decide.middle_prices(region="ap-northeast-2")
    assert seoul.fargate_usd_per_vcpu_hour == {
        "arm64": csv_value("fargate_vcpu", "arm64", "ap-northeast-2")}
    assert seoul.microvm_usd_per_vcpu_second is None  # not offered there in the data
    assert seoul.managed_instances_fee == csv_value("managed_instances_fee")  # a global row
    with pytest.raises(ValueError, match="region='ap-northeast-2' has no price for Lambda "
                                         "durable operations"):
        decide.durable_operations_usd(1e6, region="ap-northeast-2")


def test_durable_operations_are_priced_per_million():
    rate = csv_value("durable_operations")
    # 2.5 million operations x $8.00 per million = $20.00 (at the rate in the data)
    assert decide.durable_operations_usd(2_500_000) == pytest.approx(2.5 * rate)


def test_middle_prices_table_lists_every_row_with_its_source():
    table = decide.middle_prices_table()
    with (data.data_dir() / decide.MIDDLE_FILE).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(table["item"]) == [r["item"] for r in rows]
    assert list(table["value"]) == [float(r["value"]) for r in rows]
    assert table["source_url"].str.startswith("https://").all()
    assert list(table["figure from"]) == ["third-party copy" if r["provenance"] else "AWS"
                                          for r in rows]


def test_broken_middle_prices_are_rejected_with_file_row_and_column(tmp_path):
    shutil.copy(data.data_dir() / decide.MIDDLE_FILE, tmp_path / decide.MIDDLE_FILE)
    path = tmp_path / decide.MIDDLE_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("0.04048", "-1", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(data.DataError, match=r"middle_options_prices.csv, row 1 .*'value'"):
        decide.middle_prices(tmp_path)
    shutil.copy(data.data_dir() / decide.MIDDLE_FILE, path)
    text = path.read_text(encoding="utf-8").replace(",0.15,", ",1.5,")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(data.DataError, match="managed_instances_fee 1.5 is not a fraction"):
        decide.middle_prices(tmp_path)


# --- the workload ----------------------------------------------------------------------------

def test_peak_concurrency_is_littles_law_rounded_up():
    assert peak_concurrency_for(700, 50) == 35
    assert peak_concurrency_for(701, 50) == 36
    assert peak_concurrency_for(0.001, 10) == 1
    with pytest.raises(ValueError, match="peak_rps=-1 is out of range"):
        peak_concurrency_for(-1, 50)


def test_average_concurrency_and_regularity():
    w = steady_service()
    assert w.average_concurrency == pytest.approx(400 * 50 / 1000)
    assert w.regularity == pytest.approx(w.average_concurrency / w.peak_concurrency)
    part_time = Workload(requests_per_month=3600, duration_ms=1000, peak_concurrency=2,
                         active_hours_per_month=1)
    assert part_time.average_concurrency == pytest.approx(1.0)
    assert part_time.regularity == pytest.approx(0.5)


@pytest.mark.parametrize("changes, message", [
    ({"requests_per_month": 0}, "requests_per_month=0 is out of range"),
    ({"duration_ms": 0}, "duration_ms=0 is out of range"),
    ({"peak_concurrency": 0}, "peak_concurrency=0 is out of range"),
    ({"peak_concurrency": 2.5}, "peak_concurrency=2.5 is not a whole number"),
    ({"memory_mb": 64}, "memory_mb=64 is out of range"),
    ({"arch": "sparc"}, "arch='sparc' is not allowed"),
    ({"active_hours_per_month": 800}, "active_hours_per_month=800 is out of range"),
    ({"cold_start_fraction": 1.5}, "cold_start_fraction=1.5 is out of range"),
    ({"cpu_fraction": 0}, "cpu_fraction=0 is out of range"),
    ({"invocation": "later"}, "invocation='later' is not allowed"),
    ({"can_queue": "yes"}, "can_queue='yes' is not allowed"),
    ({"latency_target_ms": -5}, "latency_target_ms=-5 is out of range"),
    ({"peak_concurrency": 3}, "peak_concurrency=3 is below the average load"),
])
def test_bad_workloads_name_the_parameter(changes, message):
    with pytest.raises(ValueError, match=message):
        steady_service(**changes)


def test_vcpus_follow_lambdas_cpu_share():
    w = steady_service(memory_mb=1024, cpu_fraction=0.5)
    share = 1024 / data.limit_value("memory_per_vcpu")
    assert w.vcpus_for(10) == pytest.approx(10 * share * 0.5)


# --- sizing ----------------------------------------------------------------------------------

def test_fleet_size_covers_the_load_at_the_target_utilisation():
    assert decide.fleet_size(1.2, 2, 0.6) == 1  # exactly full at the target
    assert decide.fleet_size(1.21, 2, 0.6) == 2
    assert decide.fleet_size(0.01, 2, 0.6, minimum=2) == 2
    with pytest.raises(ValueError, match="target_utilisation=0 "):
        decide.fleet_size(1, 2, 0)
    with pytest.raises(ValueError, match="minimum=0 is out of range"):
        decide.fleet_size(1, 2, 0.5, minimum=0)


def test_default_instance_type_is_the_cheapest_general_purpose_one():
    for arch in ("x86_64", "arm64"):
        name = decide.default_instance_type(arch)
        spec = pricing.instance(name)
        assert spec.arch == arch and spec.category == "general_purpose"
        for other in data.ec2_prices().instances.values():
            if other.arch == arch and other.category == "general_purpose":
                assert spec.usd_per_hour <= other.usd_per_hour


@pytest.mark.parametrize("changes, message", [
    ({"instance_type": "z9.huge"}, "instance_type='z9.huge' is not in ec2_prices.csv"),
    ({"target_utilisation": 0}, "target_utilisation=0 is out of range"),
    ({"fargate_task_vcpu": 0}, "fargate_task_vcpu=0 is out of range"),
    ({"prefer_managed_within": 2}, "prefer_managed_within=2 is out of range"),
])
def test_bad_assumptions_name_the_parameter(changes, message):
    with pytest.raises(ValueError, match=message):
        Assumptions(**changes)


# --- pricing every option with the package's own functions ---------------------------------

def test_each_option_is_priced_by_the_cost_model():
    w = steady_service(response_kb=2.0)
    a = Assumptions()
    rec = choose(w, a)
    itype = decide.default_instance_type(w.arch)
    spec = pricing.instance(itype)
    n = decide.fleet_size(w.vcpus_for(w.peak_concurrency), spec.vcpu, a.target_utilisation,
                          minimum=2)
    assert rec.instance_type == itype and rec.fleet_instances == n

    lam = pricing.lambda_cost(w.requests_per_month, w.duration_ms, w.memory_mb, arch=w.arch,
                              init_ms=w.init_ms, cold_start_ratio=w.cold_start_fraction)
    assert rec.option("lambda").detail["compute_usd"] == pytest.approx(lam.total_usd)
    pc = pricing.lambda_cost(w.requests_per_month, w.duration_ms, w.memory_mb, arch=w.arch,
                             provisioned_concurrency=w.peak_concurrency,
                             provisioned_hours=pricing.HOURS_PER_MONTH)
    assert rec.option("lambda_provisioned").detail["compute_usd"] == pytest.approx(pc.total_usd)

    on_demand = pricing.ec2_monthly_usd(itype, count=n)
    assert rec.option("ec2_on_demand").detail["compute_usd"] == pytest.approx(on_demand)
    assert rec.option("ec2_savings_plan").detail["compute_usd"] == pytest.approx(
        pricing.ec2_monthly_usd(itype, count=n, pricing="savings_plan"))
    assert rec.option("ec2_spot").detail["compute_usd"] == pytest.approx(
        pricing.ec2_monthly_usd(itype, count=n, pricing="spot"))

    middle = decide.middle_prices()
    n_lmi = max(n, int(data.limit_value("managed_instances_default_instances")))
    lmi = (pricing.ec2_monthly_usd(itype, count=n_lmi, pricing="savings_plan")  # committed
           + middle.managed_instances_fee * pricing.ec2_monthly_usd(itype, count=n_lmi)
           + w.requests_per_month * middle.managed_instances_usd_per_million_requests / 1e6)
    assert rec.option("managed_instances").detail["compute_usd"] == pytest.approx(lmi)
    assert rec.option("managed_instances").units == n_lmi

    tasks = decide.fleet_size(w.vcpus_for(w.peak_concurrency), a.fargate_task_vcpu,
                              a.target_utilisation, minimum=2)
    per_task_hour = (a.fargate_task_vcpu * middle.fargate_usd_per_vcpu_hour[w.arch]
                     + a.fargate_task_memory_gb * middle.fargate_usd_per_gb_hour[w.arch])
    assert rec.option("fargate").detail["compute_usd"] == pytest.approx(
        tasks * pricing.HOURS_PER_MONTH * per_task_hour)
    assert rec.option("fargate").units == tasks

    # every total is its compute plus the whole bill's other lines
    for option in rec.options:
        extras = sum(v for k, v in option.detail.items() if k in decide.EXTRA_LINES)
        assert option.monthly_usd == pytest.approx(option.detail["compute_usd"] + extras)


def test_lambda_and_ec2_totals_are_the_whole_bills():
    # For a full month, the two plain options are exactly pricing.whole_bill's two designs.
    w = steady_service(response_kb=2.0)
    rec = choose(w)
    bill = pricing.whole_bill(w.requests_per_month, w.duration_ms, w.memory_mb,
                              rec.instance_type, rec.fleet_instances, w.gb_out, arch=w.arch,
                              init_ms=w.init_ms, cold_start_ratio=w.cold_start_fraction)
    assert rec.option("lambda").monthly_usd == pytest.approx(bill.lambda_total_usd)
    assert rec.option("ec2_on_demand").monthly_usd == pytest.approx(bill.ec2_total_usd)


def test_events_without_a_front_door_drop_the_api_and_the_alb():
    w = steady_service(front_door="none")
    rec = choose(w)
    assert rec.option("lambda").detail["front_door_usd"] == 0
    assert rec.option("ec2_on_demand").detail["front_door_usd"] == 0
    with_api = choose(steady_service())
    assert with_api.option("lambda").detail["front_door_usd"] > 0
    assert with_api.option("ec2_on_demand").detail["front_door_usd"] > 0


def test_managed_instances_never_run_fewer_than_three():
    rec = choose(Workload(requests_per_month=100_000, duration_ms=100, peak_concurrency=1,
                          multi_az=False))
    assert rec.fleet_instances < 3
    assert rec.option("managed_instances").units == data.limit_value(
        "managed_instances_default_instances") == 3


def test_a_region_without_prices_refuses_the_options_it_cannot_price():
    w = quiet_api(region="ap-northeast-2", front_door="function_url", arch="arm64")
    with pytest.raises(ValueError, match="region='ap-northeast-2' has no general_purpose arm64"):
        choose(w)
    # With an instance type priced there, what the data lacks for Seoul is refused by name
    with pytest.raises(ValueError, match="no option can be priced") as info:
        choose(w, Assumptions(instance_type="t4g.small"))
    assert "CloudWatch Logs ingestion" in str(info.value)


def test_a_part_time_fleet_runs_only_its_active_hours_but_a_commitment_runs_all_month():
    w = Workload(requests_per_month=30, duration_ms=3_600_000, peak_concurrency=1,
                 active_hours_per_month=30, multi_az=False, interruptible=True,
                 steady_for_a_year=True)
    rec = choose(w)
    itype, n = rec.instance_type, rec.fleet_instances
    assert rec.option("ec2_on_demand").detail["compute_usd"] == pytest.approx(
        pricing.ec2_cost(itype, 30, count=n).total_usd)
    assert rec.option("ec2_savings_plan").detail["compute_usd"] == pytest.approx(
        pricing.ec2_monthly_usd(itype, count=n, pricing="savings_plan"))
    assert rec.option("ec2_savings_plan").monthly_usd > rec.option("ec2_on_demand").monthly_usd
    # the ALB, addresses and volumes exist only while the fleet does
    assert (rec.option("ec2_on_demand").detail["public_ipv4_usd"]
            < rec.option("ec2_savings_plan").detail["public_ipv4_usd"])


def test_queued_work_sizes_the_fleet_for_the_average():
    spiky = Workload(requests_per_month=2_000_000, duration_ms=1500, peak_concurrency=60,
                     memory_mb=2048, invocation="async", multi_az=False)
    queued = replace(spiky, can_queue=True)
    a = Assumptions()
    spec = pricing.instance(choose(spiky).instance_type)
    assert choose(spiky).fleet_instances == decide.fleet_size(
        spiky.vcpus_for(60), spec.vcpu, a.target_utilisation)
    assert choose(queued).fleet_instances == decide.fleet_size(
        queued.vcpus_for(math.ceil(queued.average_concurrency)), spec.vcpu, a.target_utilisation)
    assert choose(queued).fleet_instances < choose(spiky).fleet_instances


# --- what rules an option out ----------------------------------------------------------------

def test_a_long_job_rules_out_lambda_and_managed_instances_but_not_containers():
    job_ms = (data.limit_value("timeout_max") + 1) * 1000
    rec = choose(Workload(requests_per_month=30, duration_ms=job_ms, peak_concurrency=1,
                          multi_az=False))
    for key in ("lambda", "lambda_provisioned", "managed_instances"):
        option = rec.option(key)
        assert not option.eligible and option.monthly_usd is None
        assert any(w.startswith("timeout: ") for w in option.why_not)
    assert rec.option("fargate").eligible and rec.option("ec2_on_demand").eligible
    assert rec.option("microvm").eligible  # arm64, under MicroVMs' lifetime
    assert rec.choice in ("microvm", "fargate", "ec2_on_demand")
    timeout = next(r for r in rec.reasons if r.source.endswith("timeout_max"))
    assert timeout.value == pytest.approx(job_ms / 1000)
    assert "rules out Lambda and Lambda Managed Instances" in timeout.text


def test_an_async_job_of_half_an_hour_fits_managed_instances():
    # Managed Instances allow asynchronous invocations up to 90 minutes; on-demand Lambda 15
    job_ms = 30 * 60 * 1000
    rec = choose(Workload(requests_per_month=100, duration_ms=job_ms, peak_concurrency=1,
                          invocation="async", multi_az=False, front_door="none"))
    assert not rec.option("lambda").eligible
    assert rec.option("managed_instances").eligible
    sync = choose(Workload(requests_per_month=100, duration_ms=job_ms, peak_concurrency=1,
                           multi_az=False, front_door="none"))
    assert not sync.option("managed_instances").eligible


def test_microvms_are_for_long_or_stateful_work_on_arm64():
    assert not choose(quiet_api()).option("microvm").eligible  # short and stateless
    stateful = choose(quiet_api(needs_state=True))
    assert stateful.option("microvm").eligible
    x86 = choose(quiet_api(needs_state=True, arch="x86_64"))
    assert "arm64 (Graviton) only" in " ".join(x86.option("microvm").why_not)
    lifetime_ms = (data.limit_value("microvm_lifetime_max") + 1) * 1000
    too_long = choose(Workload(requests_per_month=10, duration_ms=lifetime_ms, peak_concurrency=1,
                               multi_az=False))
    assert not too_long.option("microvm").eligible


def test_state_rules_out_both_lambda_flavours():
    rec = choose(quiet_api(needs_state=True))
    assert not rec.option("lambda").eligible and not rec.option("managed_instances").eligible
    assert rec.choice not in ("lambda", "lambda_provisioned", "managed_instances")


def test_a_big_payload_keeps_lambda_with_a_change():
    over = data.limit_value("payload_sync_max") + 1
    rec = choose(quiet_api(payload_mb=over))
    assert rec.option("lambda").eligible
    payload = next(r for r in rec.reasons if r.source.endswith("payload_sync_max"))
    assert "Lambda still fits with a change" in payload.text and payload.value == over


def test_a_concurrency_quota_is_adjustable_so_lambda_stays():
    peak = int(data.limit_value("concurrency_default")) + 1
    w = Workload(requests_per_month=peak * 50 * 3600, duration_ms=100, peak_concurrency=peak,
                 memory_mb=512)
    rec = choose(w)
    assert any(v.limit == "concurrency_default" for v in rec.violations)
    assert rec.option("lambda").eligible and rec.option("managed_instances").eligible


def test_cold_starts_that_miss_the_target_rule_out_on_demand_lambda_only():
    w = quiet_api(cold_start_fraction=0.05, init_ms=2000, latency_target_ms=1000)
    rec = choose(w)
    p99 = latency.tail_latency(0.05, 2000, w.duration_ms).percentiles_ms[99]
    assert rec.option("lambda").p99_ms == pytest.approx(p99)
    assert p99 > 1000 and not rec.option("lambda").eligible
    assert rec.option("lambda_provisioned").eligible
    assert rec.option("lambda_provisioned").p99_ms == pytest.approx(
        latency.tail_latency(0.0, 0.0, w.duration_ms).percentiles_ms[99])
    assert rec.choice != "lambda"


def test_when_even_warm_runs_are_too_slow_the_guide_says_so():
    rec = choose(quiet_api(latency_target_ms=50))
    assert not any(o.eligible for o in rec.options)
    runnable = [o for o in rec.options if o.monthly_usd is not None]
    assert rec.monthly_usd == min(o.monthly_usd for o in runnable)
    assert any("No option meets the 50 ms p99 target" in r.text for r in rec.reasons)


def test_spot_needs_interruptible_work_and_a_savings_plan_needs_a_steady_year():
    rec = choose(quiet_api())
    assert not rec.option("ec2_spot").eligible and not rec.option("ec2_savings_plan").eligible
    rec = choose(quiet_api(interruptible=True, steady_for_a_year=True))
    assert rec.option("ec2_spot").eligible and rec.option("ec2_savings_plan").eligible


# --- the choice and its reasons --------------------------------------------------------------

def test_regular_heavy_traffic_goes_to_a_fleet_and_spiky_light_traffic_to_lambda():
    heavy = choose(steady_service())
    assert heavy.choice not in ("lambda", "lambda_provisioned")
    assert heavy.monthly_usd < heavy.option("lambda").monthly_usd
    light = choose(quiet_api())
    assert light.choice == "lambda"
    assert light.monthly_usd < min(o.monthly_usd for o in light.options
                                   if o.option != "lambda" and o.monthly_usd is not None)


def test_the_tolerance_for_managed_options_changes_the_choice():
    w = steady_service()
    strict = choose(w, Assumptions(prefer_managed_within=0.0))
    fits = [o for o in strict.options if o.eligible]
    assert strict.monthly_usd == min(o.monthly_usd for o in fits)
    loose = choose(w, Assumptions(prefer_managed_within=1.0))
    order = list(decide.OPTIONS)
    allowed = [o for o in fits if o.monthly_usd <= 2 * strict.monthly_usd]
    assert loose.choice == min(allowed, key=lambda o: order.index(o.option)).option
    if loose.choice != strict.choice:
        assert any(r.source == "Assumptions.prefer_managed_within" for r in loose.reasons)


def test_every_reason_carries_a_number_and_its_source():
    for w in (steady_service(), quiet_api(), quiet_api(needs_state=True)):
        rec = choose(w)
        assert rec.reasons
        for reason in rec.reasons:
            assert math.isfinite(reason.value) and reason.unit and reason.source
        regularity = next(r for r in rec.reasons if r.source == "Workload.regularity")
        assert regularity.value == pytest.approx(w.regularity)
        assert rec.label in rec.reasons_markdown()


def test_the_break_even_reason_matches_the_cost_model():
    rec = choose(quiet_api())
    reason = next(r for r in rec.reasons if r.source == "pricing.break_even_requests")
    w = rec.workload
    assert reason.value == pricing.break_even_requests(
        w.duration_ms, w.memory_mb, rec.instance_type, count=rec.fleet_instances, arch=w.arch)


def test_table_has_one_row_per_option_and_marks_the_choice():
    rec = choose(quiet_api(needs_state=True))
    table = rec.table()
    assert len(table) == len(decide.OPTIONS)
    marked = [i for i in table.index if "recommended" in i]
    assert marked == [rec.label + " ◀ recommended"]
    # money as money, and a dash (never NaN) where an option cannot run
    assert table.loc[marked[0], "USD per month"] == pricing.format_usd(rec.monthly_usd)
    assert table.loc[decide.OPTIONS["lambda"], "USD per month"] == "—"
    assert not table.isna().any().any()


def test_the_whole_bill_reasons():
    rec = choose(quiet_api(response_kb=50))
    whole = next(r for r in rec.reasons if r.source == "decide.decide: whole bill")
    chosen = rec.option(rec.choice)
    assert whole.value == pytest.approx(chosen.monthly_usd - chosen.detail["compute_usd"])
    even = next(r for r in rec.reasons if r.source == "pricing.whole_bill_break_even")
    w = rec.workload
    assert even.value == pricing.whole_bill_break_even(
        w.duration_ms, w.memory_mb, rec.instance_type, rec.fleet_instances,
        response_kb=w.response_kb, arch=w.arch, init_ms=w.init_ms,
        cold_start_ratio=w.cold_start_fraction)


def test_bad_arguments_to_decide():
    with pytest.raises(ValueError, match="workload=.* is not allowed"):
        choose({"requests_per_month": 1})
    with pytest.raises(ValueError, match="option='gpu' is not allowed"):
        choose(quiet_api()).option("gpu")


def test_regularity_sweep_moves_fleets_not_lambda():
    sweep = decide.regularity_sweep(steady_service(steady_for_a_year=False), [0.05, 0.2, 0.5, 1.0])
    lam = sweep[decide.OPTIONS["lambda"]]
    assert lam.max() - lam.min() < 0.05 * lam.max()  # only cold-start noise: same requests
    ec2 = sweep[decide.OPTIONS["ec2_on_demand"]].tolist()
    assert ec2 == sorted(ec2, reverse=True)
    assert list(sweep["peak_concurrency"]) == sorted(sweep["peak_concurrency"], reverse=True)
    with pytest.raises(ValueError, match="regularity=0"):
        decide.regularity_sweep(steady_service(), [0])


# --- properties ------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(rps=st.floats(0.01, 2000), duration_ms=st.floats(5, 5000),
       burst=st.floats(1, 50), memory_mb=st.sampled_from([128, 512, 1769, 4096]),
       cpu=st.floats(0.05, 1), tolerance=st.sampled_from([0.0, 0.1, 0.3]))
def test_the_choice_is_never_dearer_than_the_tolerance_allows(rps, duration_ms, burst, memory_mb,
                                                              cpu, tolerance):
    requests = rps * SECONDS_PER_MONTH
    average = requests * duration_ms / 1000 / SECONDS_PER_MONTH
    w = Workload(requests_per_month=requests, duration_ms=duration_ms,
                 peak_concurrency=max(1, math.ceil(average * burst)), memory_mb=memory_mb,
                 cpu_fraction=cpu)
    rec = choose(w, Assumptions(prefer_managed_within=tolerance))
    fits = [o for o in rec.options if o.eligible]
    assert rec.option(rec.choice).eligible
    assert rec.monthly_usd <= min(o.monthly_usd for o in fits) * (1 + tolerance) + 1e-9
    # a bigger peak never makes a fleet cheaper
    bigger = choose(replace(w, peak_concurrency=w.peak_concurrency * 2))
    assert (bigger.option("ec2_on_demand").monthly_usd
            >= rec.option("ec2_on_demand").monthly_usd)
    assert limits.check_workload(w.needs(), init_ms=w.init_ms) == list(rec.violations)


def test_explain_false_gives_the_same_bills_and_choice_without_reasons():
    workload = steady_service()
    explained = choose(workload)
    quick = choose(workload, explain=False)
    assert quick.options == explained.options and quick.choice == explained.choice
    assert explained.reasons and quick.reasons == ()
    with pytest.raises(ValueError, match="explain='no' is not allowed"):
        choose(workload, explain="no")
