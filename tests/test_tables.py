"""ec2vslambda.tables: stored tables read as money, counts, shares and "—"."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ec2vslambda import tables


@pytest.mark.parametrize(("usd", "shown"), [(0.11040048, "$0.11"), (1234.5, "$1,234.50"),
                                             (0.0000166667, "$0.0000167"), (0, "$0.00"),
                                             (0.0042, "$0.00420")])
def test_money(usd, shown):
    assert tables.money(usd) == shown


def test_readable_formats_each_column_by_what_it_holds():
    frame = pd.DataFrame({"events": [16.0, 16.0], "start (ms)": [165.23, math.nan],
                          "cost (USD)": [0.2021, 0.1432], "answered": [1.0, 0.995],
                          "cheaper": ["on demand", "provisioned"], "throttled": [0, 20676]},
                         index=["a", "b"])
    shown = tables.readable(frame, percent=["answered"])
    assert shown.loc["a"].tolist() == ["16", "165.2", "$0.20", "100.0%", "on demand", "0"]
    assert shown.loc["b"].tolist() == ["16", "—", "$0.14", "99.5%", "provisioned", "20,676"]
    assert list(shown.index) == ["a", "b"] and frame.loc["a", "events"] == 16.0
