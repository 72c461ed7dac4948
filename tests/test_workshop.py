"""Tests of the workshop helpers: nbgitpuller links and the cheat sheet generated from data/."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ec2vslambda import data, pricing, workshop
from ec2vslambda.limits import limit_name
from tests import site_check

DATA = Path(__file__).resolve().parent.parent / "data"
REPO = "https://github.com/ec2-vs-lambda/ec2-vs-lambda-book"


# --- nbgitpuller ------------------------------------------------------------------------------

def test_nbgitpuller_link_has_the_documented_form():
    link = workshop.nbgitpuller_link("https://hub.example.org/", REPO, "main",
                                     "labs/03_power_tuning.ipynb")
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://hub.example.org/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {
        "repo": [REPO], "branch": ["main"],
        "urlpath": ["lab/tree/ec2-vs-lambda-book/labs/03_power_tuning.ipynb"]}


def test_nbgitpuller_link_reads_back_as_the_same_target():
    # The same parser that checks the site's JupyterHub launch button reads the link back.
    link = workshop.nbgitpuller_link("https://hub.uni.example/jupyter", REPO + ".git", "dev",
                                     "workshop/setup.ipynb")
    assert link.startswith("https://hub.uni.example/jupyter/hub/user-redirect/git-pull?")
    assert site_check.parse_launch_url(link) == site_check.LaunchTarget(
        "jupyterhub", "ec2-vs-lambda/ec2-vs-lambda-book", "dev", "workshop/setup.ipynb")


def test_nbgitpuller_link_to_the_repository_folder_in_the_notebook_interface():
    link = workshop.nbgitpuller_link("http://127.0.0.1:8000", REPO, app="notebook")
    assert parse_qs(urlsplit(link).query)["urlpath"] == ["tree/ec2-vs-lambda-book"]


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"hub_url": "hub.example.org"}, "hub_url"),
    ({"hub_url": "https://hub.example.org/?x=1"}, "hub_url"),
    ({"hub_url": ""}, "hub_url"),
    ({"repo_url": "git@github.com:o/r.git"}, "repo_url"),
    ({"repo_url": "https://github.com"}, "repo_url"),
    ({"branch": " "}, "branch"),
    ({"path": "/etc/passwd"}, "path"),
    ({"path": "labs/../../x"}, "path"),
    ({"app": "classic"}, "app"),
])
def test_nbgitpuller_link_bad_input_names_parameter_value_and_what_is_allowed(kwargs, name):
    arguments = {"hub_url": "https://hub.example.org", "repo_url": REPO, "branch": "main",
                 "path": "", "app": "lab"} | kwargs
    with pytest.raises(ValueError, match=rf"^{name}=.*allowed: "):
        workshop.nbgitpuller_link(**arguments)


def test_repo_folder():
    assert workshop.repo_folder(REPO + ".git") == "ec2-vs-lambda-book"
    assert workshop.repo_folder("https://gitlab.example.org/group/sub/course/") == "course"


# --- cheat sheet ------------------------------------------------------------------------------

def test_limits_table_matches_the_csv_row_by_row():
    table = workshop.cheat_lambda_limits()
    limits = data.lambda_limits()
    assert list(table["limit"]) == [limit_name(key) for key in workshop.CHEAT_LIMITS]
    for key, (_, row) in zip(workshop.CHEAT_LIMITS, table.iterrows(), strict=True):
        limit = limits[key]
        assert float(row["value"].replace(",", "")) == limit.value
        assert row["as of"] == limit.as_of.isoformat()
        assert row["adjustable"] == ("yes" if limit.adjustable else "no")


def test_unknown_limit_is_refused_with_the_known_names():
    with pytest.raises(ValueError, match=r"names=\['nope'\].*allowed: .*timeout_max"):
        workshop.cheat_lambda_limits(("timeout_max", "nope"))


def test_ec2_table_lists_every_instance_with_hourly_and_monthly_price():
    table = workshop.cheat_ec2_prices()
    instances = data.ec2_prices().instances
    assert [name.rstrip(" *") for name in table["instance"]] == list(instances)
    for _, row in table.iterrows():
        spec = instances[row["instance"].rstrip(" *")]
        assert row["instance"].endswith(" *") == bool(data.ec2_prices().provenance_of(spec.name))
        assert float(row["$/hour"].lstrip("$")) == pytest.approx(spec.usd_per_hour, rel=1e-12)
        monthly = spec.usd_per_hour * pricing.HOURS_PER_MONTH
        assert float(row["$/month"].lstrip("$").replace(",", "")) == pytest.approx(
            monthly, abs=0.005)
        assert row["as of"] == spec.as_of.isoformat()


def test_lambda_price_table_shows_the_published_rates():
    table = workshop.cheat_lambda_prices().set_index(["item", "arch"])
    prices = data.lambda_prices()
    first_x86 = prices.duration_tiers["x86_64"][0].usd_per_gb_s
    assert float(table.loc[("Duration, first tier", "x86_64"), "value"].lstrip("$")) == first_x86
    assert float(table.loc[("Requests", ""), "value"].lstrip("$")) == (
        prices.usd_per_million_requests)
    shown = {r["as_of"].isoformat() for r in data.load("lambda_prices.csv")
             if r["region"] in ("us-east-1", "global")}
    assert set(table["as of"]) <= shown
    assert len(table.loc["Duration, first tier"]) == len(prices.architectures)


def test_break_even_table_agrees_with_the_cost_model():
    table = workshop.cheat_break_even("t4g.small", 512, (100.0,))
    crossing = pricing.break_even_requests(100.0, 512, "t4g.small")
    assert crossing >= 1e6
    assert table.iloc[0]["break-even requests / month"] == f"{crossing / 1e6:,.1f} million"
    # At this price Lambda's cost at the crossing equals the instance's month.
    assert pricing.lambda_cost(crossing, 100.0, 512).total_usd == pytest.approx(
        pricing.ec2_monthly_usd("t4g.small"), rel=1e-6)


def test_break_even_flags_a_crossing_beyond_the_instance_ceiling():
    # A slow function at the smallest memory on a memory-optimised instance: even with every vCPU
    # busy all month the instance serves fewer requests than the crossing needs.
    memory_mb = int(data.limit_value("memory_min"))
    crossing = pricing.break_even_requests(1000.0, memory_mb, "r7i.large")
    ceiling = pricing.ec2_capacity_requests("r7i.large", 1000.0)
    assert crossing > ceiling
    row = workshop.cheat_break_even("r7i.large", memory_mb, (1000.0,)).iloc[0]
    expected = f"{ceiling / 1e6:,.1f} million (below the break-even)"
    assert row["instance's ceiling / month"] == expected
    fast = workshop.cheat_break_even("r7i.large", memory_mb, (10.0,)).iloc[0]
    assert "below" not in fast["instance's ceiling / month"]


def test_small_crossings_are_shown_as_exact_counts():
    longest_ms = data.limit_value("timeout_max") * 1000
    memory_mb = int(data.limit_value("memory_max"))
    crossing = pricing.break_even_requests(longest_ms, memory_mb, "t4g.micro")
    assert 0 < crossing < 1e6
    table = workshop.cheat_break_even("t4g.micro", memory_mb, (longest_ms,))
    assert table.iloc[0]["break-even requests / month"] == f"{crossing:,}"


def test_at_a_glance_numbers_come_from_the_data():
    text = workshop.cheat_at_a_glance().to_string()
    assert f"{data.limit_value('timeout_max'):g} s per invocation" in text
    assert f"{data.limit_value('memory_max'):,g} MB" in text


def _copy_data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def _edit(path: Path, key: str, match: str, column: str, value: str) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row[key] == match:
            row[column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_the_sheet_follows_a_data_refresh(tmp_path, monkeypatch):
    """Edit the CSVs (a new price, a raised limit, a new as_of date): the tables follow."""
    folder = _copy_data(tmp_path)
    _edit(folder / "ec2_prices.csv", "instance_type", "t3.micro", "value", "0.0123")
    _edit(folder / "ec2_prices.csv", "instance_type", "t3.micro", "as_of", "2027-01-15")
    _edit(folder / "lambda_limits.csv", "limit", "timeout_max", "value", "1200")
    monkeypatch.setenv(data.DATA_ENV_VAR, str(folder))
    ec2 = workshop.cheat_ec2_prices().set_index("instance")
    assert ec2.loc["t3.micro", "$/hour"] == "$0.0123"
    assert ec2.loc["t3.micro", "as of"] == "2027-01-15"
    assert workshop.cheat_as_of()["ec2_prices.csv"] == "2027-01-15"
    limits = workshop.cheat_lambda_limits().set_index("limit")
    assert limits.loc[limit_name("timeout_max"), "value"] == "1,200"
    assert "1200 s per invocation" in workshop.cheat_at_a_glance().to_string()


@pytest.mark.parametrize(("usd", "text"), [(0.08925, "$0.08925"), (0.2, "$0.20"),
                                           (0.0000166667, "$0.0000166667"), (7.5, "$7.50"),
                                           (1234.5, "$1,234.50")])
def test_money_keeps_every_published_digit(usd, text):
    assert workshop._money(usd) == text


# --- learner setup ----------------------------------------------------------------------------

def test_book_repository_reads_config(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/o/r\n  branch: dev\n"
                      "launch_buttons:\n  jupyterhub_url: https://hub.example.org\n")
    assert workshop.book_repository(config) == {
        "url": "https://github.com/o/r", "branch": "dev", "hub_url": "https://hub.example.org"}


def test_book_config_is_found_in_a_learners_copy_of_the_course(tmp_path, monkeypatch):
    # installed from a wheel, the package has no _config.yml beside it: a learner's copy of the
    # course has one above the notebook's folder
    monkeypatch.setattr(workshop, "BOOK_ROOT", tmp_path / "site-packages")
    (tmp_path / "course" / "workshop").mkdir(parents=True)
    config = tmp_path / "course" / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/o/r\n  branch: main\n")
    assert workshop.book_config_path(tmp_path / "course" / "workshop") == config
    monkeypatch.chdir(tmp_path / "course" / "workshop")
    assert workshop.book_repository()["url"] == "https://github.com/o/r"
    with pytest.raises(ValueError, match="is not inside a copy of the course"):
        workshop.book_config_path(tmp_path)


def test_in_the_checkout_the_books_own_config_wins(tmp_path):
    assert workshop.book_config_path(tmp_path) == workshop.BOOK_ROOT / "_config.yml"


@pytest.mark.parametrize(("make", "service"), [(workshop.binder_link, "binder"),
                                               (workshop.colab_link, "colab")])
def test_binder_and_colab_links_read_back_as_their_target(make, service):
    link = make(REPO + ".git", "main", "labs/03_power_tuning.ipynb")
    assert site_check.parse_launch_url(link) == site_check.LaunchTarget(
        service, "ec2-vs-lambda/ec2-vs-lambda-book", "main", "labs/03_power_tuning.ipynb")


def test_launch_links_refuse_what_they_cannot_open():
    with pytest.raises(ValueError, match="repo_url=.*allowed: https://github.com/owner/name"):
        workshop.binder_link("https://gitlab.com/o/r")
    with pytest.raises(ValueError, match="path='labs'.*ending .ipynb"):
        workshop.colab_link(REPO, "main", "labs")


# The agendas' minutes are tested in tests/test_workshop_timings.py.


def test_tables_html_puts_titled_tables_in_one_row():
    import pandas as pd

    text = workshop.tables_html([("A & B", pd.DataFrame({"x": [1]})),
                                 ("C", pd.DataFrame({"y": ["<z>"]}))])
    assert text.startswith("<div class='cheat-row'>") and text.count("cheat-block") == 2
    assert "A &amp; B" in text and "&lt;z&gt;" in text and text.count("<table") == 2


def test_large_counts_print_in_full():
    table = workshop.cheat_lambda_prices().set_index("item")
    requests = data.lambda_prices().free_requests
    assert table.loc["Free tier: requests", "value"] == f"{requests:,.0f}"


# --- instructor notes: expected answers -------------------------------------------------------

LAB4_FUNCTION = Path(__file__).resolve().parent.parent / "labs" / "thumbnail_function"


@pytest.mark.parametrize(("rate_per_s", "share"), [(6 / 3600, 0.05), (1 / 120, 0.1),
                                                   (2.0, 0.5), (1e-4, 1.0)])
def test_keep_alive_for_cold_share_inverts_the_poisson_formula(rate_per_s, share):
    from ec2vslambda import keepalive

    window_s = workshop.keep_alive_for_cold_share_s(rate_per_s, share)
    assert keepalive.poisson_cold_start_ratio(rate_per_s, window_s) == pytest.approx(share)
    # a window a little shorter leaves more requests cold than the target
    if share < 1:
        assert keepalive.poisson_cold_start_ratio(rate_per_s, 0.99 * window_s) > share


@pytest.mark.parametrize(("kwargs", "name"), [({"rate_per_s": 0}, "rate_per_s"),
                                              ({"rate_per_s": -1.0}, "rate_per_s"),
                                              ({"cold_share": 0}, "cold_share"),
                                              ({"cold_share": 1.5}, "cold_share"),
                                              ({"cold_share": "10%"}, "cold_share")])
def test_keep_alive_for_cold_share_refuses_bad_input(kwargs, name):
    arguments = {"rate_per_s": 1.0, "cold_share": 0.1} | kwargs
    with pytest.raises(ValueError, match=rf"^{name}=.*allowed: "):
        workshop.keep_alive_for_cold_share_s(**arguments)


@pytest.fixture(scope="module")
def handler_on_local_s3():
    with workshop.thumbnail_handler(LAB4_FUNCTION, thumbnail_bucket="notes-thumbs") as pair:
        yield pair


def test_edge_case_outcomes_answer_every_kind_of_upload(handler_on_local_s3):
    app, s3 = handler_on_local_s3
    table = workshop.edge_case_outcomes(app, s3, bucket="notes-inbox").set_index("key")
    assert len(table) == 9
    expected = {"phone/IMG 0001 (portrait).jpg": ("ok", "192x256"),  # EXIF turn applied
                "logos/로고+투명.png": ("ok", "256x171"),
                "photos/2026/11/바다 sea.jpg": ("ok", "256x192"),
                "docs/read me.txt": ("skipped", ""), "scans/page 1.bmp": ("skipped", ""),
                "empty/zero bytes.jpg": ("skipped", ""), "gone/replaced.jpg": ("skipped", ""),
                "broken/half uploaded.jpg": ("error", ""),
                "bombs/small file, huge canvas.png": ("error", "")}
    for key, (status, size) in expected.items():
        assert (table.loc[key, "status"], table.loc[key, "thumbnail"]) == (status, size), key
    assert "decompression bomb" in table.loc["bombs/small file, huge canvas.png", "reason"]
    assert "no longer exists" in table.loc["gone/replaced.jpg", "reason"]
    # the thumbnails really were written, under the decoded keys
    listed = {o["Key"] for o in s3.list_objects_v2(Bucket="notes-thumbs")["Contents"]}
    assert {"logos/로고+투명.png", "photos/2026/11/바다 sea.jpg"} <= listed


def test_recursion_trap_is_refused_and_leaves_the_original(handler_on_local_s3):
    app, s3 = handler_on_local_s3
    import os

    trap = workshop.recursion_trap(app, s3, bucket="notes-trap")
    assert trap["status"] == "error" and "recursive loop" in trap["reason"]
    assert trap["original intact"] and trap["objects before"] == trap["objects after"] == 1
    assert os.environ["THUMBNAIL_BUCKET"] == "notes-thumbs"  # restored after the trap


def test_thumbnail_handler_restores_the_environment_and_refuses_a_missing_function(tmp_path):
    import os

    before = {name: os.environ.get(name) for name in ("AWS_ENDPOINT_URL", "THUMBNAIL_BUCKET")}
    with workshop.thumbnail_handler(LAB4_FUNCTION) as (app, _):
        assert os.environ["THUMBNAIL_BUCKET"] == "photos-thumbnails"
        assert app.S3.meta.endpoint_url == os.environ["AWS_ENDPOINT_URL"]
        assert "127.0.0.1" in app.S3.meta.endpoint_url
    assert {name: os.environ.get(name) for name in before} == before
    with pytest.raises(ValueError, match="code_dir=.*allowed: a folder that holds"):
        with workshop.thumbnail_handler(tmp_path):
            pass


def test_thumbnail_cost_range_agrees_with_the_lab_model():
    from ec2vslambda import local_runtime

    uploads = (10_000, 30_000_000)
    table = workshop.thumbnail_cost_range((40.0, 160.0), init_ms=1500.0,
                                          uploads_per_month=uploads)
    for warm_ms in (40.0, 160.0):
        costs = local_runtime.monthly_costs(uploads, duration_ms=warm_ms, init_ms=1500.0,
                                            memory_mb=512, instance_type="t3.small",
                                            keep_alive_s=600.0)
        assert table.loc[warm_ms, "Lambda, 30,000,000/month (USD)"] == costs[1]["lambda_usd"]
        assert table.loc[warm_ms, "break-even uploads / month"] == (
            pricing.break_even_requests(warm_ms, 512, "t3.small"))
    assert table.loc[160.0, "Lambda, 30,000,000/month (USD)"] > (
        table.loc[40.0, "Lambda, 30,000,000/month (USD)"])
    assert table.loc[160.0, "break-even uploads / month"] < (
        table.loc[40.0, "break-even uploads / month"])
    assert set(table["t3.small, any rate (USD)"]) == {pricing.ec2_monthly_usd("t3.small")}
    with pytest.raises(ValueError, match="warm_ms=.*allowed"):
        workshop.thumbnail_cost_range((), init_ms=0.0, uploads_per_month=uploads)


def test_rest_of_the_bill_table_shows_each_line_from_the_data():
    table = workshop.cheat_whole_bill_prices()
    bill = data.whole_bill_prices()
    assert len(table) == len(workshop.CHEAT_BILL_LINES)
    lines = table.set_index("line")
    http = bill.tiers("apigw_http_requests", "us-east-1")[0]
    label = f"API Gateway HTTP API (first {http.end / 1e6:g}M) *"  # a third-party copy
    assert float(lines.loc[label, "price"].lstrip("$")) == http.rate
    ipv4 = next(i for i in lines.index if i.startswith("Public IPv4"))
    ipv4_rate = bill.value("public_ipv4_hour", "us-east-1")
    assert float(lines.loc[ipv4, "price"].lstrip("$")) == ipv4_rate
    included = table[table["line"].str.startswith("gp3 included")]
    assert list(included["price"]) == [
        f"{bill.value(i, 'us-east-1'):,.10g}"
        for i in ("ebs_gp3_baseline_iops", "ebs_gp3_baseline_throughput")]
    # Seoul: a line no source prices there shows a dash, never a US figure
    seoul = workshop.cheat_whole_bill_prices("ap-northeast-2").set_index("line")
    assert seoul.loc["API Gateway HTTP API", "price"] == "—"
    nat = next(i for i in seoul.index if i.startswith("NAT gateway *"))
    assert float(seoul.loc[nat, "price"].lstrip("$")) == bill.value("nat_gateway_hour",
                                                                    "ap-northeast-2")
    with pytest.raises(ValueError, match="region='mars-1'"):
        workshop.cheat_whole_bill_prices("mars-1")
