"""The data files load, carry their provenance, and broken copies are rejected with a message
that names the file, the row and the column."""

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from ec2vslambda import data

REAL = data.data_dir()


def test_every_file_loads_with_provenance():
    for name in data.SCHEMAS:
        rows = data.load(name)
        assert rows, name
        for row in rows:
            assert str(row["source_url"]).startswith("https://")
            assert isinstance(row["as_of"], dt.date)
            assert row["region"] in data.REGIONS + (data.GLOBAL,)
            if "provenance" in row and row["provenance"]:
                # a row whose figure comes from a copy says which copy
                assert str(row["provenance"]).startswith("third-party cop")
        assert any(r["region"] in ("us-east-1", data.GLOBAL) for r in rows)


def test_every_seoul_price_says_where_it_comes_from():
    for name in ("lambda_prices.csv", "ec2_prices.csv", "whole_bill_prices.csv"):
        seoul = [row for row in data.load(name) if row["region"] == "ap-northeast-2"]
        assert seoul, f"{name} prices nothing in Seoul"
        for row in seoul:
            assert str(row["provenance"]).startswith("third-party cop"), (name, row)


def test_unknown_regions_are_refused_by_name():
    with pytest.raises(ValueError, match="region='eu-west-1' is not a region the book prices; "
                                         "allowed: us-east-1, ap-northeast-2"):
        data.lambda_prices(region="eu-west-1")


def test_seoul_lambda_prices_hold_only_what_a_source_gives():
    seoul = data.lambda_prices(region="ap-northeast-2")
    assert seoul.usd_per_million_requests == data.lambda_prices().usd_per_million_requests
    assert seoul.provisioned_usd_per_gb_s == {}  # no source: refused when used
    assert seoul.ephemeral_usd_per_gb_s is None
    assert all(len(t) == 1 and t[0].end_gb_s < float("inf")
               for t in seoul.duration_tiers.values())
    assert seoul.free_gb_s == data.lambda_prices().free_gb_s  # the free tier is global


def test_whole_bill_prices_look_up_by_item_and_region():
    prices = data.whole_bill_prices()
    assert prices.value("nat_gateway_hour", "us-east-1") > 0
    assert prices.value("public_ipv4_hour", "ap-northeast-2") == prices.value(
        "public_ipv4_hour", "us-east-1")  # a global row
    assert prices.regions_with("apigw_http_requests") == ("us-east-1",)
    tiers = prices.tiers("apigw_rest_requests", "us-east-1")
    assert [t.start for t in tiers] == [0, 333e6, 1e9, 20e9]
    assert [t.rate for t in tiers] == sorted((t.rate for t in tiers), reverse=True)
    with pytest.raises(ValueError, match="region='ap-northeast-2' has no price for "
                                         "apigw_rest_requests"):
        prices.tiers("apigw_rest_requests", "ap-northeast-2")
    with pytest.raises(ValueError, match="is not a region the book prices"):
        prices.value("alb_hour", "mars-1")


def test_typed_views():
    prices = data.lambda_prices()
    assert set(prices.architectures) == {"x86_64", "arm64"}
    for arch in prices.architectures:
        tiers = prices.duration_tiers[arch]
        rates = [t.usd_per_gb_s for t in tiers]
        assert rates == sorted(rates, reverse=True), "volume tiers must get cheaper"
    ec2 = data.ec2_prices()
    assert len(ec2.instances) >= 12
    families = {i.family for i in ec2.instances.values()}
    assert {"t3", "t4g", "m7i", "m7g", "c7i", "c7g", "r7i", "r7g"} <= families
    assert {"m8g", "c8g", "r8g", "m8a", "m9g"} <= families  # the 2026 catalogue
    assert all(ec2.provenance_of(i.name) for i in ec2.instances.values()
               if i.family[1] in "89")
    assert "t4g.small" in ec2.in_region("ap-northeast-2")
    assert {"savings_plan", "spot"} <= set(ec2.discounts)
    assert all("ASSUMPTION" in ec2.discount_notes[m] for m in ("savings_plan", "spot"))
    limits = data.lambda_limits()
    for name in ("memory_min", "memory_max", "memory_per_vcpu", "timeout_max", "payload_sync_max",
                 "payload_async_max", "tmp_max", "package_zip_max", "package_unzipped_max",
                 "container_image_max", "concurrency_default", "scaling_rate"):
        assert name in limits
    assert data.limit_value("timeout_max") == 900


def test_unknown_limit_and_file_names():
    with pytest.raises(ValueError, match="name='nope' is not a limit"):
        data.limit_value("nope")
    with pytest.raises(ValueError, match="not a known data file"):
        data.load("prices.xlsx")


def broken_copy(tmp_path: Path, file: str, edit) -> Path:
    """Copy the real data folder, apply ``edit(rows, header)`` to one file, return the folder."""
    folder = tmp_path / "data"
    shutil.copytree(REAL, folder)
    path = folder / file
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header, *rows = list(reader)
    header, rows = edit(header, rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    return folder


def set_cell(row_index: int, column: str, value: str):
    def edit(header, rows):
        rows[row_index][header.index(column)] = value
        return header, rows
    return edit


def drop_column(column: str):
    def edit(header, rows):
        i = header.index(column)
        return header[:i] + header[i + 1:], [r[:i] + r[i + 1:] for r in rows]
    return edit


CASES = [
    ("lambda_prices.csv", drop_column("source_url"), "column 'source_url': missing column"),
    ("lambda_prices.csv", set_cell(0, "source_url", ""), "row 1 (line 2), column 'source_url': "
     "must not be empty"),
    ("lambda_prices.csv", set_cell(1, "value", "-0.0000166667"),
     "row 2 (line 3), column 'value': -1.66667e-05 is negative"),
    ("lambda_prices.csv", set_cell(2, "unit", "usd_per_fortnight"),
     "row 3 (line 4), column 'unit': unknown unit 'usd_per_fortnight'"),
    ("lambda_prices.csv", set_cell(3, "as_of", "27/11/2026"),
     "row 4 (line 5), column 'as_of': '27/11/2026' is not a date"),
    ("lambda_prices.csv", set_cell(1, "value", "cheap"), "column 'value': 'cheap' is not a number"),
    ("lambda_prices.csv", set_cell(1, "arch", "sparc"), "column 'arch': 'sparc' is not one of"),
    ("lambda_prices.csv", set_cell(2, "tier_start", "7000000000"), "not contiguous"),
    ("ec2_prices.csv", set_cell(0, "value", "-0.0104"), "row 1 (line 2), column 'value'"),
    ("ec2_prices.csv", set_cell(4, "vcpu", ""),
     "row 5 (line 6), column 'vcpu': must be a positive"),
    ("ec2_prices.csv", set_cell(0, "source_url", "http://example.com"),
     "column 'source_url': 'http://example.com' is not an https:// address"),
    ("ec2_prices.csv", set_cell(-1, "value", "1.5"), "column 'value': 1.5 is not a fraction"),
    ("ec2_prices.csv", drop_column("as_of"), "column 'as_of': missing column"),
    ("lambda_limits.csv", set_cell(0, "unit", "furlongs"), "lambda_limits.csv, row 1 (line 2), "
     "column 'unit': unknown unit 'furlongs'"),
    ("lambda_limits.csv", set_cell(5, "as_of", "2026-13-01"), "row 6 (line 7), column 'as_of'"),
    ("lambda_limits.csv", set_cell(1, "adjustable", "maybe"), "column 'adjustable'"),
    ("lambda_prices.csv", set_cell(0, "region", "eu-west-1"), "column 'region': 'eu-west-1' is "
     "not one of"),
    ("whole_bill_prices.csv", set_cell(2, "value", "-3.5"), "row 3 (line 4), column 'value'"),
    ("whole_bill_prices.csv", set_cell(3, "tier_start", "400000000"), "not contiguous"),
    ("whole_bill_prices.csv", drop_column("provenance"), "column 'provenance': missing column"),
]


@pytest.mark.parametrize("file, edit, message", CASES)
def test_broken_copies_are_rejected_with_file_row_and_column(tmp_path, monkeypatch, file, edit,
                                                             message):
    folder = broken_copy(tmp_path, file, edit)
    monkeypatch.setenv(data.DATA_ENV_VAR, str(folder))
    loaders = {"lambda_prices.csv": data.lambda_prices, "ec2_prices.csv": data.ec2_prices,
               "lambda_limits.csv": data.lambda_limits,
               "whole_bill_prices.csv": lambda: data.whole_bill_prices().tiers(
                   "apigw_rest_requests", "us-east-1")}
    with pytest.raises(data.DataError) as info:
        loaders[file]()
    text = str(info.value)
    assert text.startswith(file)
    assert message in text


def test_missing_file(tmp_path, monkeypatch):
    folder = tmp_path / "empty"
    folder.mkdir()
    monkeypatch.setenv(data.DATA_ENV_VAR, str(folder))
    with pytest.raises(data.DataError, match="ec2_prices.csv: file not found"):
        data.ec2_prices()


def test_real_data_is_used_again_after_the_override(monkeypatch):
    monkeypatch.delenv(data.DATA_ENV_VAR, raising=False)
    assert data.data_dir() == REAL
    assert data.lambda_prices().usd_per_million_requests > 0


def test_every_subpackage_is_in_the_wheel():
    """pyproject.toml lists the packages explicitly (the data folder is mapped in as one): a new
    subpackage must be listed, or the wheel ships without it."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(p.parent.relative_to(root).parts)
             for p in (root / "ec2vslambda").rglob("__init__.py")}
    assert found <= listed, f"missing from pyproject.toml's packages: {sorted(found - listed)}"
