"""Every calculator of the book as one function from inputs to plain data: the live layer.

A calculator is written once, here, in standard-library Python, and three front ends draw it:

* the ipywidgets calculator in a running notebook (:mod:`ec2vslambda.widgets.common`);
* the static result a notebook stores for its default inputs (table, sentence, matplotlib
  figure), which strict nbval checks and the printed book shows;
* the live calculator on the static site, where the same code runs in the reader's browser on
  Pyodide (``_ext/live_calculators``), without numpy or pandas.

So they cannot disagree. The entry point is :func:`compute`::

    >>> result = compute("pricing", {"requests_per_month": 1_000_000})
    >>> sorted(result)
    ['chart', 'numbers', 'summary', 'table', 'title']

Inputs a calculator does not know, or values it does not allow, raise :class:`ValueError` with
the package's usual message (parameter, value, what is allowed).

The result (JSON-able, no NaN or infinity) has:

``title``
    the calculator's title;
``summary``
    one or two plain sentences on the result;
``numbers``
    the summary's numbers, by name (numbers, strings, booleans or ``None``);
``table``
    ``{"columns": [...], "rows": [[...], ...]}`` of display strings (money as ``$0.80``, a line
    that does not apply as ``"—"``), or ``None``;
``chart``
    ``None``, or a chart description (see :func:`line_chart`, :func:`bar_chart` and
    :func:`timeline_chart`) that the browser draws with Chart.js and the notebook with
    matplotlib.

Adding a calculator: write a module in this package with a ``CALCULATOR =``
:class:`Calculator` (its :class:`Field` list, title, and ``run(inputs) -> result``), add its
module to :data:`MODULES`, test it in ``tests/test_live.py``, and put its widget in a notebook
(``ec2vslambda.widgets.calculator(name)``). CONTRIBUTING.md has the whole recipe.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..validation import Allowed, InputError, choice, flag
from ..words import speaking, term, word

__all__ = ["MAX_FILE_BYTES", "Calculator", "Field", "MODULES", "axis", "bar_chart", "calculator",
           "compute", "dash", "line_chart", "money", "names", "placeholder_html", "result",
           "series", "spec", "timeline_chart", "vline"]

#: Calculator name -> module of this package that defines it (imported on first use, so the
#: browser loads only what a page needs).
MODULES: dict[str, str] = {
    "fit_checker": "fit_checker",
    "tail_latency": "tail_latency",
    "power_tuning": "power_tuning",
    "thumbnail_cost": "thumbnail_cost",
    "idle_capacity": "idle_capacity",
    "lifecycle": "lifecycle_explorer",
    "keepalive": "keepalive",
    "keepalive_sim": "keepalive_sim",
    "burst": "burst",
    "pricing": "pricing",
    "whole_bill": "whole_bill",
    "decision": "decision",
    "workload": "workload",
}

KINDS = ("number", "integer", "choice", "flag", "file")
DASH = "—"
#: The largest file a ``file`` field takes (bytes): a page holds what it reads in memory, and a
#: larger file belongs on the command line.
MAX_FILE_BYTES = 100_000_000
_NOT_A_FILE = term("is not a sample's name or a list of files read in the page")
_TOO_BIG = term("is {megabytes} MB, more than a page reads")
_NOT_READ = term("was not read")
# what is allowed, as the messages say it (100 MB: MAX_FILE_BYTES, which a test checks)
_FILE_OR_SAMPLE = term("a sample's name, or files up to 100 MB read in the page")
_USE_THE_CLI = term("files up to 100 MB here; on your computer, `python -m ec2vslambda "
                    "workload FILE` reads a file of any size")
_READ_IN_PAGE = term("a file the page has read")


@dataclass(frozen=True)
class Field:
    """One input of a calculator: what the form shows and what the model accepts.

    ``kind`` is ``number``, ``integer``, ``choice``, ``flag`` or ``file``. ``allowed`` is the
    input's range, declared once where the model declares it (:mod:`ec2vslambda.bounds`, or the
    model's own module) and passed here, so that the form and the model read the same bounds;
    without it, ``minimum`` and ``maximum`` give the range. Either way :meth:`check` enforces
    it, and the form shows it. ``options`` are the allowed values of a ``choice``, ``option_labels``
    how the form shows them. A ``file`` field's ``options`` are the bundled samples a reader
    can load with one button (``option_labels`` name them), and its value is a sample's name or
    the files the page read: a list of ``{"name", "size", "path"}`` (:meth:`check`).
    """

    key: str
    label: str
    kind: str
    default: object
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    options: tuple = ()
    option_labels: tuple[str, ...] = ()
    help: str = ""
    allowed: Allowed | None = None

    def __post_init__(self) -> None:
        choice("kind", self.kind, KINDS)
        allowed = self.allowed
        if allowed is not None and (self.minimum is not None or self.maximum is not None):
            raise InputError("minimum", self.minimum, "is given twice",
                             Allowed(text="allowed= or minimum/maximum, not both"))
        if self.kind in ("number", "integer"):
            if allowed is None:
                allowed = Allowed(self.minimum, self.maximum, whole=self.kind == "integer")
            object.__setattr__(self, "minimum", allowed.low)
            object.__setattr__(self, "maximum", allowed.high)
        elif self.kind == "flag":
            allowed = Allowed(options=(True, False))
        elif self.kind == "file":
            allowed = Allowed(options=tuple(self.options), text=_FILE_OR_SAMPLE)
        else:
            allowed = Allowed(options=tuple(self.options))
        object.__setattr__(self, "allowed", allowed)
        if self.kind in ("choice", "file") and self.default not in self.options:
            raise InputError("default", self.default, "is not one of the options",
                             allowed)
        if self.option_labels and len(self.option_labels) != len(self.options):
            raise InputError("option_labels", len(self.option_labels),
                             "is not one label per option",
                             Allowed(len(self.options), len(self.options)))
        self.check(self.default)

    def check(self, value: object) -> object:
        """The value, checked against the field's type and range, or :class:`InputError`
        naming the field.

        A number keeps its type (so a message repeats ``-3``, not ``-3.0``); an integer given
        as ``512.0`` becomes ``512``.
        """
        if self.kind == "flag":
            return flag(self.key, value)
        if self.kind == "file":
            return self._files(value)
        checked = self.allowed.check(self.key, value)  # type: ignore[union-attr]
        return value if self.kind == "number" else checked

    def _files(self, value: object) -> object:
        """A sample's name, or each file read in the page as ``{"name", "size", "path"}``
        (``path``: where the page put its bytes for Python); a file over
        :data:`MAX_FILE_BYTES` is refused with a pointer to the command line."""
        if isinstance(value, str) and value in self.options:
            return value
        files = [value] if isinstance(value, Mapping) else value
        if (not isinstance(files, list) or not files
                or not all(isinstance(f, Mapping) and isinstance(f.get("name"), str)
                           and type(f.get("size")) is int and f["size"] >= 0 for f in files)):
            raise InputError(self.key, value, _NOT_A_FILE, self.allowed)  # type: ignore[arg-type]
        out = []
        for f in files:
            if f["size"] > MAX_FILE_BYTES:
                raise InputError(self.key, f["name"], _TOO_BIG, Allowed(text=_USE_THE_CLI),
                                 details={"megabytes": f"{f['size'] / 1e6:,.0f}"})
            if not isinstance(f.get("path"), str):
                raise InputError(self.key, f["name"], _NOT_READ, Allowed(text=_READ_IN_PAGE))
            out.append({"name": f["name"], "size": f["size"], "path": f["path"]})
        return out

    def as_dict(self) -> dict[str, object]:
        spec: dict[str, object] = {"key": self.key, "label": self.label, "kind": self.kind,
                                   "default": self.default, "unit": self.unit}
        for name in ("minimum", "maximum", "step"):
            if getattr(self, name) is not None:
                spec[name] = getattr(self, name)
        if self.kind in ("choice", "file"):
            spec["options"] = list(self.options)
            spec["option_labels"] = list(self.option_labels or map(str, self.options))
        if self.kind == "file":
            spec["max_bytes"] = MAX_FILE_BYTES
        if self.help:
            spec["help"] = self.help
        return spec


@dataclass(frozen=True)
class Calculator:
    """A named calculator: its inputs and the function from inputs to a result."""

    name: str
    title: str
    fields: tuple[Field, ...]
    run: Callable[[dict[str, Any]], dict[str, Any]]
    intro: str = ""
    #: model parameter -> input key, where an input reaches the model under another name: a
    #: refusal then names the input the reader changed, so the page shows it next to that control
    aliases: Mapping[str, str] = field(default_factory=dict)
    keys: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", tuple(f.key for f in self.fields))
        if len(set(self.keys)) != len(self.keys):
            twice = next(k for k in self.keys if self.keys.count(k) > 1)
            raise InputError("fields", twice, "is the key of two fields",
                             Allowed(text="one key per field"))

    @property
    def defaults(self) -> dict[str, object]:
        return {f.key: f.default for f in self.fields}

    def inputs(self, given: Mapping[str, object] | None = None) -> dict[str, object]:
        """The defaults updated with ``given``, each value checked against its field."""
        given = dict(given or {})
        unknown = [k for k in given if k not in self.keys]
        if unknown:
            raise InputError("inputs", unknown[0], f"is not an input of the {self.name} "
                             "calculator", Allowed(options=self.keys))
        values = {**self.defaults, **given}
        return {f.key: f.check(values[f.key]) for f in self.fields}

    def compute(self, given: Mapping[str, object] | None = None) -> dict[str, Any]:
        try:
            return self.run(self.inputs(given))
        except InputError as error:
            if not {error.name, *error.involves} & set(self.aliases):
                raise
            raise error.renamed(self.aliases) from None

    def spec(self) -> dict[str, object]:
        return {"name": self.name, "title": self.title, "intro": self.intro,
                "fields": [f.as_dict() for f in self.fields]}


def names() -> tuple[str, ...]:
    """Every calculator's name."""
    return tuple(MODULES)


def calculator(name: str) -> Calculator:
    """The calculator called ``name``."""
    module = choice("name", name, MODULES)
    return importlib.import_module(f"{__name__}.{MODULES[module]}").CALCULATOR


def compute(name: str, inputs: Mapping[str, object] | None = None, *,
            words: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Run calculator ``name`` on ``inputs`` (missing keys take their defaults).

    Returns the JSON-able result described in this module's docstring; raises ``ValueError``
    for an unknown name, an unknown input or a value the model does not allow. ``words`` is a
    catalogue (English -> translation, :mod:`ec2vslambda.words`) in which the result's sentences
    and labels are written; the numbers are the same in every language.
    """
    with speaking(words):
        return calculator(name).compute(inputs)


def spec(name: str) -> dict[str, object]:
    """Calculator ``name``'s title and fields as plain data, for building a form."""
    return calculator(name).spec()


def dataclass_fields(cls, labels: Mapping[str, str], *,
                     choices: Mapping[str, tuple[Sequence, Sequence[str]]] | None = None,
                     allowed: Mapping[str, Allowed] | None = None) -> tuple[Field, ...]:
    """One :class:`Field` per field of the inputs dataclass ``cls``, with its default.

    ``labels`` maps each field to its label, a trailing ``" (unit)"`` becoming the unit;
    ``choices`` maps a field to ``(options, option labels)``; other fields are a flag, an
    integer or a number by their annotation (``bool``, ``int``, ``float``), in the range
    ``allowed`` declares for them (by default 0 or more).
    """
    from dataclasses import fields as dataclass_fields_of

    defaults, choices, allowed = cls(), choices or {}, allowed or {}
    out = []
    for f in dataclass_fields_of(cls):
        label, unit, value = labels[f.name], "", getattr(defaults, f.name)
        if label.endswith(")") and " (" in label:
            label, unit = label[:-1].split(" (", 1)
        if f.name in choices:
            options, shown = choices[f.name]
            out.append(Field(f.name, label, "choice", value, options=tuple(options),
                             option_labels=tuple(shown)))
        elif str(f.type) in ("bool", "<class 'bool'>"):
            out.append(Field(f.name, label, "flag", value))
        else:
            kind = "integer" if str(f.type) in ("int", "<class 'int'>") else "number"
            out.append(Field(f.name, label, kind, value, unit,
                             allowed=allowed.get(f.name, Allowed(0, None,
                                                                 whole=kind == "integer"))))
    return tuple(out)


def region_choice() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The regions the data prices, and how a form names them."""
    from .. import data as _data

    return _data.REGIONS, tuple(f"{_data.REGION_NAMES[r]} ({r})" for r in _data.REGIONS)


# --- the static site ---------------------------------------------------------------------------

PLACEHOLDER_CLASS = "ec2vl-live"
ON_THE_SITE = ("On the book's website this calculator runs in your browser; in Jupyter it "
               "needs a running kernel.")


def placeholder_html(name: str, inputs: Mapping[str, object] | None = None) -> str:
    """The HTML a calculator leaves in a notebook's output for the static site.

    It names the calculator and its starting inputs; the book's Sphinx extension
    (``_ext/live_calculators``) replaces it with the live calculator. Anywhere else it reads as
    one sentence. ``inputs`` are checked, so a typo fails when the notebook runs.
    """
    import html
    import json

    values = calculator(name).inputs(inputs)
    data = html.escape(json.dumps(values, sort_keys=True), quote=True)
    return (f'<div class="{PLACEHOLDER_CLASS}" data-calculator="{html.escape(name)}" '
            f'data-defaults="{data}"><p>{html.escape(ON_THE_SITE)}</p></div>')


# --- helpers for writing results -------------------------------------------------------------

def money(usd: float | None, *, cents: bool = True) -> str:
    """``$1,234.56`` (or ``$1,235`` without cents); ``—`` for ``None``/NaN. Amounts under a
    cent keep two significant figures (``$0.0042``) so they do not read as free."""
    if usd is None or (isinstance(usd, float) and math.isnan(usd)):
        return DASH
    if 0 < abs(usd) < 0.01:  # two significant figures, never in e-notation
        places = 1 - math.floor(math.log10(abs(usd)))
        return f"${usd:.{places}f}"
    return f"${usd:,.2f}" if cents else f"${usd:,.0f}"


def dash(value: object, fmt: str = "{:,}") -> str:
    """``fmt`` applied to ``value``, or ``—`` where the value does not apply (None/NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    return fmt.format(value)


def clean(value: object) -> object:
    """``value`` with NaN and infinities replaced by ``None`` (JSON has neither)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def result(title: str, summary: str, *, numbers: Mapping[str, object] | None = None,
           columns: Sequence[str] | None = None, rows: Sequence[Sequence[object]] = (),
           chart: Mapping[str, object] | None = None) -> dict[str, Any]:
    """A calculator result; table cells become strings, numbers lose NaN/inf."""
    table = None
    if columns is not None:
        table = {"columns": [str(c) for c in columns],
                 "rows": [[str(cell) for cell in row] for row in rows]}
    return {"title": word(title), "summary": summary, "numbers": clean(dict(numbers or {})),
            "table": table, "chart": clean(dict(chart)) if chart else None}


#: Colours shared by the browser and matplotlib (matplotlib's tab10).
COLOURS = {"blue": "#1f77b4", "orange": "#ff7f0e", "green": "#2ca02c", "red": "#d62728",
           "purple": "#9467bd", "brown": "#8c564b", "pink": "#e377c2", "grey": "#7f7f7f",
           "olive": "#bcbd22", "cyan": "#17becf", "black": "#000000", "lightgrey": "#c7c7c7"}
STYLES = ("line", "dashed", "dotted", "points", "line+points")


def series(label: str, x: Sequence[float], y: Sequence[float | None], *, colour: str = "blue",
           style: str = "line", axis: str = "y") -> dict[str, object]:
    """One line of a chart: points (x, y); ``None`` in ``y`` leaves a gap."""
    if len(x) != len(y):
        raise InputError("y", len(y), "values do not match the {count} x values of {label}",
                         Allowed(len(x), len(x)), involves=("x",),
                         details={"count": str(len(x)), "label": repr(label)})
    return {"label": label, "x": [float(v) for v in x],
            "y": [None if v is None else float(v) for v in y],
            "colour": COLOURS[choice("colour", colour, COLOURS)],
            "style": choice("style", style, STYLES), "axis": choice("axis", axis, ("y", "y2"))}


def vline(x: float, label: str, *, colour: str = "grey", style: str = "dotted"
          ) -> dict[str, object]:
    """A vertical marker across the chart at ``x`` (e.g. 'your traffic')."""
    return {"x": float(x), "label": label, "colour": COLOURS[choice("colour", colour, COLOURS)],
            "style": choice("style", style, STYLES)}


def axis(label: str, *, log: bool = False, minimum: float | None = None,
         maximum: float | None = None) -> dict[str, object]:
    return {"label": label, "log": log, "min": minimum, "max": maximum}


def line_chart(title: str, x: Mapping[str, object], y: Mapping[str, object],
               lines: Sequence[Mapping[str, object]], *, y2: Mapping[str, object] | None = None,
               vlines: Sequence[Mapping[str, object]] = ()) -> dict[str, object]:
    """A chart of lines over a numeric x axis; ``x``/``y``/``y2`` from :func:`axis`."""
    return {"kind": "line", "title": title, "x": dict(x), "y": dict(y),
            "y2": dict(y2) if y2 else None, "series": list(lines), "vlines": list(vlines)}


def timeline_chart(title: str, time_axis: Mapping[str, object], lanes: Sequence[str],
                   segments: Sequence[tuple[str, float, float, str, str]],
                   marks: Sequence[tuple[str, float, str]] = (),
                   phase_labels: Mapping[str, str] | None = None,
                   marks_label: str = "") -> dict[str, object]:
    """Floating bars on lanes (e.g. one lane per execution environment, time across).

    ``segments`` are ``(lane, start, end, phase, colour)`` with ``colour`` a ``#rrggbb``;
    ``marks`` are point events ``(lane, at, label)`` such as a shutdown; ``phase_labels`` name
    the phases in the legend (default: the phase itself) and ``marks_label`` the marks.
    """
    known = set(lanes)
    for lane, *_rest in segments:
        if lane not in known:
            raise InputError("segments", lane, "names a lane that is not one of the lanes",
                             Allowed(options=tuple(lanes)))
    return {"kind": "timeline", "title": title, "x": dict(time_axis), "lanes": list(lanes),
            "segments": [{"lane": lane, "start": float(start), "end": float(end),
                          "phase": phase, "colour": colour}
                         for lane, start, end, phase, colour in segments],
            "marks": [{"lane": lane, "at": float(at), "label": label}
                      for lane, at, label in marks],
            "phase_labels": {s[3]: (phase_labels or {}).get(s[3], s[3]) for s in segments},
            "marks_label": marks_label}


def bar_chart(title: str, value_axis: Mapping[str, object],
              bars: Sequence[tuple[str, float | None, str]]) -> dict[str, object]:
    """Horizontal bars, one per ``(label, value, colour)``; ``None`` draws no bar."""
    return {"kind": "hbar", "title": title, "x": dict(value_axis),
            "bars": [{"label": label, "value": value,
                      "colour": COLOURS[choice("colour", colour, COLOURS)]}
                     for label, value, colour in bars]}
