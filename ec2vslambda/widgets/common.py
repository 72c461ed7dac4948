"""Shared pieces of every calculator: the live/static split and readable error messages.

A static page cannot run Python, so a slider there would silently do nothing. The book's
calculators therefore come in two parts:

* the result for the default inputs, displayed as ordinary output (a table and a figure) that
  the static site shows and nbval checks; and
* a :class:`LiveCalculator` widget for a running kernel. Its plain-text form, which the static
  site shows instead of the widget (``nb_mime_priority_overrides`` in ``_config.yml``), says how
  to make it live.

Bad input never reaches the reader as a traceback: :func:`guarded` turns a ``ValueError`` from
the package into a message box inside the widget.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

HOW_TO_GO_LIVE = (
    "needs a running Python kernel. Launch this page on Binder or Colab (rocket icon at the top "
    "of the page), press 'Live Code', or run it locally with `make lab`."
)

_STYLE = {"description_width": "initial"}
_LAYOUT = widgets.Layout(width="420px")


class LiveCalculator(widgets.VBox):
    """A calculator whose plain-text form explains how to make it live."""

    def __init__(self, title: str, controls: Iterable[widgets.Widget], *, message: widgets.HTML,
                 output: widgets.Widget, **kwargs):
        self.title = title
        self.controls = tuple(controls)
        self.message = message
        self.output = output
        header = widgets.HTML(f"<b>{html.escape(title)}</b> (live)")
        super().__init__([header, *self.controls, message, output], **kwargs)

    def __repr__(self) -> str:
        return f"[Live calculator: {self.title}] This calculator {HOW_TO_GO_LIVE}"

    def _repr_mimebundle_(self, **kwargs):
        # ipywidgets cuts the plain-text form at 110 characters; the static page shows it whole
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
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



def show_static(table: object, summary_markdown: str, figure: Figure | None = None) -> None:
    """Display a calculator's result as ordinary output: what the static site shows and nbval
    checks. The figure, if any, is closed once shown."""
    from IPython.display import Markdown, display

    display(table)
    display(Markdown(summary_markdown))
    if figure is not None:
        display(figure)
        plt.close(figure)


DEFAULT_INTRO = "Change any input; the result for the default inputs is shown above."


def live_calculator(title: str, controls: Mapping[str, widgets.Widget],
                    compute: Callable[[dict[str, Any]], tuple[Iterable[object], str]], *,
                    intro: str = DEFAULT_INTRO) -> LiveCalculator:
    """Wire ``controls`` to ``compute`` and return the calculator.

    On every change ``compute`` receives the controls' values by name and returns the objects to
    show (tables, figures) and an HTML summary for the message area. A ``ValueError`` from it
    becomes a readable message and clears the stale result. Figures are closed once shown.
    """
    message = widgets.HTML(note_html(intro))
    output = widgets.Output()
    calc = LiveCalculator(title, controls.values(), message=message, output=output)

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
