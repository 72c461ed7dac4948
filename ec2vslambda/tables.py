"""Tables as a reader reads them: money as money, counts as whole numbers, "—" for a blank.

A notebook's pandas table shows raw floats (``324.738``, ``16.0``, ``0.11040048``, ``NaN``).
:func:`readable` returns the same table with every cell a display string, chosen per column:

* a column whose name says ``USD`` (or ``$``) is money: two decimals, or enough to show a
  price per GB-second;
* a column of whole numbers is a count: ``16``, ``20,676``;
* a column named in ``percent`` is a share: ``99.5%``;
* any other number keeps ``decimals`` places, with thousands separators;
* a missing value (``NaN``, ``None``) is "—".

Text cells stay as they are. pandas is imported by the caller's frame, not here: this module
imports only the standard library, like the rest of the model.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real

__all__ = ["BLANK", "money", "readable"]

BLANK = "—"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value_usd: float) -> str:
    """``$1,234.56``; a small price keeps three significant digits (``$0.0000167``)."""
    if value_usd != 0 and abs(value_usd) < 0.01:
        places = 2 - math.floor(math.log10(abs(value_usd)))
        return f"${value_usd:,.{places}f}"
    return f"${value_usd:,.2f}"


def _is_count(values: list[object]) -> bool:
    numbers = [v for v in values if isinstance(v, Real) and not isinstance(v, bool)
               and not _missing(v)]
    return bool(numbers) and len(numbers) == len([v for v in values if not _missing(v)]) and \
        all(isinstance(v, Integral) or float(v).is_integer() for v in numbers)


def readable(frame, *, percent: Iterable[str] = (), decimals: int = 1):
    """A copy of ``frame`` whose cells are display strings (see the module's docstring)."""
    shares = set(percent)
    out = frame.astype(object).copy()
    for column in frame.columns:
        values = list(frame[column])
        name = " ".join(map(str, column)) if isinstance(column, tuple) else str(column)
        if column in shares:
            def shown(v):
                return f"{v:.1%}"
        elif "USD" in name or "$" in name:
            shown = money
        elif _is_count(values):
            def shown(v):
                return f"{int(v):,}"
        else:
            def shown(v):
                return f"{v:,.{decimals}f}"
        out[column] = [BLANK if _missing(v) else
                       shown(v) if isinstance(v, Real) and not isinstance(v, bool) else v
                       for v in values]
    return out
