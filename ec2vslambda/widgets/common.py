"""The notebook front ends of the book's calculators: static results and ipywidgets.

Every calculator is one function from inputs to plain data (:mod:`ec2vslambda.live`). Here it
gets its two notebook front ends:

* :func:`show` displays the result for given inputs as ordinary output (a table, a sentence and
  a matplotlib figure drawn from the result's chart): what nbval checks and a printed page
  shows;
* :func:`calculator` returns a :class:`LiveCalculator` widget for a running kernel, with one
  control per :class:`~ec2vslambda.live.Field`. On the static site the widget cannot run, so
  its HTML form is a placeholder that the book's Sphinx extension (``_ext/live_calculators``)
  turns into the same calculator running in the reader's browser on Pyodide. Its plain-text
  form says how to make it live in Jupyter.

Bad input never reaches the reader as a traceback: a ``ValueError`` from the model becomes a
message next to the control it names (:func:`guarded` for the older, hand-wired calculators).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from .. import live
from ..figures import Drawing
from ..live import adapter
from ..validation import InputError
from ..words import word

__all__ = ["DEFAULT_INTRO", "HOW_TO_GO_LIVE", "LiveCalculator", "calculator", "chart_figure",
           "control_style", "draw_result_chart", "error_html", "guarded", "live_calculator",
           "note_html", "result_table", "show", "show_static"]

HOW_TO_GO_LIVE = (
    "needs a running Python kernel. Launch this page on Binder or Colab (rocket icon at the top "
    "of the page), or run it locally with `make lab`."
)

_STYLE = {"description_width": "initial"}
_LAYOUT = widgets.Layout(width="420px")


class LiveCalculator(widgets.VBox):
    """A calculator whose plain-text form explains how to make it live."""

    def __init__(self, title: str, controls: Iterable[widgets.Widget], *, message: widgets.HTML,
                 output: widgets.Widget, not_in_browser: str = "", **kwargs):
        self.title = title
        self.not_in_browser = not_in_browser
        self.controls = tuple(controls)
        self.message = message
        self.output = output
        header = widgets.HTML(f"<b>{html.escape(title)}</b> (live)")
        super().__init__([header, *self.controls, message, output], **kwargs)

    def __repr__(self) -> str:
        why = f"{self.not_in_browser} " if self.not_in_browser else ""
        return f"[Live calculator: {self.title}] {why}This calculator {HOW_TO_GO_LIVE}"

    def _repr_mimebundle_(self, **kwargs):
        # ipywidgets cuts the plain-text form at 110 characters; the static page shows it whole
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        placeholder = getattr(self, "placeholder", None)
        if placeholder:  # the static site's live calculator (see placeholder_html)
            bundle["text/html"] = placeholder
        return bundle


def control_style() -> dict:
    return dict(style=_STYLE, layout=_LAYOUT)


def error_html(message: str) -> str:
    """A readable error box; never a traceback."""
    return ("<div style='border-left:4px solid #c0392b;padding:4px 8px;background:#fdecea'>"
            f"<b>Check the inputs:</b> {html.escape(message)}</div>")


def note_html(message: str) -> str:
    return f"<div style='color:#555'>{html.escape(message)}</div>"


def guarded(render: Callable[[], str], message: widgets.HTML) -> bool:
    """Run ``render`` (returns HTML for the message area); show a readable box on ValueError.

    Returns True when the inputs were valid.
    """
    try:
        message.value = render()
    except ValueError as error:
        message.value = error_html(str(error))
        return False
    return True



def show_static(table: object, summary_markdown: str, figure: Figure | Drawing | None = None
                ) -> None:
    """Display a calculator's result as ordinary output: what the static site shows and nbval
    checks. The figure, if any, is closed once shown (a :class:`~ec2vslambda.figures.Drawing`
    is stored with its data, so the book draws it in each edition's language).

    Dollar signs in the summary are escaped: the book parses ``$...$`` as mathematics, and two
    amounts in one sentence ("$24.53 ... $0.40") must stay money, in English and in translation.
    """
    from IPython.display import Markdown, display

    display(table)
    display(Markdown(re.sub(r"(?<!\\)\$", r"\\$", summary_markdown)))
    if figure is not None:
        display(figure)
        if isinstance(figure, Figure):
            plt.close(figure)


DEFAULT_INTRO = "Change any input; the result for the default inputs is shown above."


def live_calculator(title: str, controls: Mapping[str, widgets.Widget],
                    compute: Callable[[dict[str, Any]], tuple[Iterable[object], str]], *,
                    intro: str = DEFAULT_INTRO, not_in_browser: str = "") -> LiveCalculator:
    """Wire ``controls`` to ``compute`` and return the calculator.

    On every change ``compute`` receives the controls' values by name and returns the objects to
    show (tables, figures) and an HTML summary for the message area. A ``ValueError`` from it
    becomes a readable message and clears the stale result. Figures are closed once shown.
    """
    message = widgets.HTML(note_html(intro))
    output = widgets.Output()
    calc = LiveCalculator(title, controls.values(), message=message, output=output,
                          not_in_browser=not_in_browser)

    def render() -> str:
        shown, summary_html = compute({name: c.value for name, c in controls.items()})
        output.outputs = ()
        for item in shown:
            output.append_display_data(item)
            if isinstance(item, Figure):
                plt.close(item)
        return summary_html

    def on_change(_change=None) -> None:
        if not guarded(render, message):
            output.outputs = ()

    for control in controls.values():
        control.observe(on_change, names="value")
    calc.refresh = on_change
    return calc


# --- calculators of ec2vslambda.live -----------------------------------------------------------

def result_table(result: Mapping[str, Any]):
    """The result's table as a pandas DataFrame indexed by its first column (or None)."""
    import pandas as pd

    table = result.get("table")
    if not table or not table["rows"]:
        return None
    frame = pd.DataFrame(table["rows"], columns=table["columns"])
    return frame.set_index(table["columns"][0])


_LINESTYLES = {"line": ("-", None), "dashed": ("--", None), "dotted": (":", None),
               "points": ("none", "o"), "line+points": ("-", "o")}


def chart_figure(chart: Mapping[str, Any]) -> Figure:
    """Draw a result's chart with matplotlib (the browser draws the same data with Chart.js)."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    if chart["kind"] == "timeline":
        row = {lane: i for i, lane in enumerate(reversed(chart["lanes"]))}
        span = max((s["end"] for s in chart["segments"]), default=1.0) or 1.0
        seen: set[str] = set()
        # long spans thin and underneath, short ones taller on top and at least 0.4% wide
        for s in sorted(chart["segments"], key=lambda s: s["end"] - s["start"], reverse=True):
            length = s["end"] - s["start"]
            height = 0.25 if length > span / 20 else (0.6 if s["phase"] == "init" else 0.4)
            ax.barh(row[s["lane"]], max(length, span / 250), left=s["start"], height=height,
                    color=s["colour"], label=None if s["phase"] in seen
                    else chart.get("phase_labels", {}).get(s["phase"], s["phase"]))
            seen.add(s["phase"])
        for i, mark in enumerate(chart["marks"]):
            ax.plot([mark["at"]], [row[mark["lane"]]], "X", color="black", markersize=8,
                    label=(chart.get("marks_label") or word("shut down")) if i == 0 else None)
        ax.set_yticks(list(row.values()), list(row))
        _axis(ax, "x", chart["x"])
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    elif chart["kind"] == "hbar":
        bars = list(reversed(chart["bars"]))
        values = [b["value"] for b in bars if b["value"] is not None]
        floor = min(values) / 3 if chart["x"].get("log") and values else 0.0
        for y, bar in enumerate(bars):
            if bar["value"] is None:
                ax.text(floor or 0, y, "  " + word("cannot run this work"), va="center",
                        fontsize=8, color="grey")
                continue
            ax.barh(y, bar["value"] - floor, left=floor, color=bar["colour"])
            ax.text(bar["value"], y, f" ${bar['value']:,.2f}", va="center", fontsize=8)
        ax.set_yticks(range(len(bars)), [b["label"] for b in bars], fontsize=9)
        _axis(ax, "x", chart["x"])
        if values and chart["x"].get("log"):
            ax.set_xlim(floor, max(values) * 8)
    else:
        twin = ax.twinx() if chart.get("y2") else None
        for line in chart["series"]:
            target = twin if line["axis"] == "y2" and twin is not None else ax
            style, marker = _LINESTYLES[line["style"]]
            ys = [float("nan") if v is None else v for v in line["y"]]
            target.plot(line["x"], ys, linestyle=style, marker=marker, color=line["colour"],
                        lw=2, markersize=5, label=line["label"])
        for mark in chart.get("vlines", ()):
            ax.axvline(mark["x"], color=mark["colour"], lw=1,
                       linestyle=_LINESTYLES[mark["style"]][0], label=mark["label"])
        _axis(ax, "x", chart["x"])
        _axis(ax, "y", chart["y"])
        if twin is not None:
            _axis(twin, "y", chart["y2"])
        handles, labels = ax.get_legend_handles_labels()
        if twin is not None:
            more = twin.get_legend_handles_labels()
            handles, labels = handles + more[0], labels + more[1]
        ax.legend(handles, labels, fontsize=8, loc="best")
    ax.set_title(chart["title"])
    ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    return fig


def _axis(ax, which: str, spec: Mapping[str, Any]) -> None:
    getattr(ax, f"set_{which}label")(spec["label"])
    if spec.get("log"):
        getattr(ax, f"set_{which}scale")("log")
    low, high = spec.get("min"), spec.get("max")
    if low is not None or high is not None:
        getattr(ax, f"set_{which}lim")(low, high)


def draw_result_chart(calculator: str, inputs: Mapping[str, Any]) -> Figure:
    """Calculator ``calculator``'s chart for ``inputs``, computed and drawn in the active
    catalogue's language (the drawing ``chart`` of :mod:`ec2vslambda.figures`)."""
    return chart_figure(live.calculator(calculator).compute(inputs)["chart"])


def show(name: str, **inputs) -> dict[str, Any]:
    """Display calculator ``name``'s result for ``inputs`` as static output; return it."""
    result = live.compute(name, inputs)
    chart = result.get("chart")
    drawing = Drawing("chart", calculator=name, inputs=live.calculator(name).inputs(inputs))
    show_static(result_table(result), f"**{result['summary']}**", drawing if chart else None)
    return result


def _control(spec: live.Field, value: object) -> widgets.Widget:
    style = control_style()
    label = spec.label + (f" ({spec.unit})" if spec.unit else "")
    if spec.kind == "flag":
        return widgets.Checkbox(value=bool(value), description=label, **style)
    if spec.kind == "file":  # in a notebook, a sample (your own file: read it with read(path))
        names = spec.option_labels or tuple(map(str, spec.options))
        return widgets.Dropdown(options=list(zip(names, spec.options, strict=True)),
                                value=value if value in spec.options else spec.default,
                                description=label, **style)
    if spec.kind == "choice":
        names = spec.option_labels or tuple(map(str, spec.options))
        return widgets.Dropdown(options=list(zip(names, spec.options, strict=True)), value=value,
                                description=label, **style)
    if spec.kind == "integer":
        return widgets.IntText(value=value, description=label, **style)
    return widgets.FloatText(value=value, description=label, step=spec.step, **style)


def calculator(name: str, **inputs) -> LiveCalculator:
    """The ipywidgets calculator for ``name``, starting from ``inputs`` (else the defaults).

    Every change recomputes through :func:`ec2vslambda.live.compute` and redraws the table, the
    sentence and the chart; a ``ValueError`` shows its message next to the control it names and
    keeps the last good result. ``calculator.controls_by_key`` maps input keys to controls and
    ``calculator.notes_by_key`` to the message next to each.
    """
    calc_spec = live.calculator(name)
    start = calc_spec.inputs(inputs)
    controls = {f.key: _control(f, start[f.key]) for f in calc_spec.fields}
    notes = {key: widgets.HTML() for key in controls}
    rows = [widgets.HBox([controls[key], notes[key]]) for key in controls]
    message = widgets.HTML(note_html(DEFAULT_INTRO))
    output = widgets.Output()
    calc = LiveCalculator(calc_spec.title, rows, message=message, output=output)
    calc.name = name
    calc.controls_by_key = controls
    calc.notes_by_key = notes  # the message shown next to each control ("" when it is fine)
    calc.last_result = None

    def refresh(_change=None) -> None:
        values = {key: control.value for key, control in controls.items()}
        for note in notes.values():
            note.value = ""
        try:
            result = live.compute(name, values)
        except InputError as error:  # beside the control the browser's page would mark
            key = adapter.refusal(error, calc_spec)["key"]
            (notes[key] if key in notes else message).value = error_html(str(error))
            if key in notes:
                message.value = note_html("Fix the input marked in red; the result below is "
                                          "for the last good inputs.")
            return
        calc.last_result = result
        message.value = note_html(result["summary"])
        output.outputs = ()
        table = result_table(result)
        if table is not None:
            output.append_display_data(table)
        if result.get("chart"):
            figure = chart_figure(result["chart"])
            output.append_display_data(figure)
            plt.close(figure)

    for control in controls.values():
        control.observe(refresh, names="value")
    calc.refresh = refresh
    calc.placeholder = live.placeholder_html(name, start)
    return calc
