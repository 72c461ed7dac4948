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
from collections.abc import Callable, Iterable

import ipywidgets as widgets

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

