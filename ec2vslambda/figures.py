"""The book's figures, stored as the data they are drawn from and drawn in the reader's language.

A notebook figure is a :class:`Drawing`: the name of one of this module's drawings
(:data:`DRAWINGS`) and the plain data (JSON) it is drawn from. Displayed in a notebook, it shows
as the PNG Jupyter and Colab show, and its output also stores the description itself under
:data:`MIME`: the drawing, its data, and the English texts it looked up while drawing (its
``words``). Strict nbval compares that description like any text output, so a figure whose data
changed fails the notebook's test until its outputs are refreshed.

The book never runs a notebook; its build draws every stored description again, once per edition
(``_ext/editions/figures.py``), as SVG with the text as outlines, with the edition's catalogue
active (:mod:`ec2vslambda.words`) and a CJK font: Korean pages get Korean titles, axes and
legends. Every text a drawing shows therefore goes through :func:`~ec2vslambda.words.word` or
:func:`~ec2vslambda.words.say`: the package's own templates are translated in ``book.po``, and
texts a notebook passes in (a title) in the page's catalogue, where the translation tools put
them from the stored ``words``.

Adding a figure: write ``draw_<name>(**data) -> matplotlib Figure`` taking JSON-able data (use
:func:`frame`/:func:`unframe` for a pandas table), register it in :data:`DRAWINGS`, and show
``Drawing("<name>", **data)`` in the notebook (the package's figure helpers return one).
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import io
import json
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .validation import choice
from .words import active_catalogue, speaking

__all__ = ["BOOK_FONTS", "CJK_FONT", "DRAWINGS", "MIME", "Drawing", "check_font", "code_version",
           "draw", "frame", "key", "plain", "render", "unframe"]

#: The MIME type of a stored figure description in a notebook output.
MIME = "application/vnd.ec2vslambda.figure+json"

#: Drawing name -> ``module:function`` of this package that draws it from its data.
DRAWINGS: dict[str, str] = {
    "chart": "widgets.common:draw_result_chart",
    "responsibility": "diagrams:draw_responsibility",
    "pipelines": "diagrams:draw_pipelines",
    "ec2_states": "lifecycle:draw_ec2_states",
    "environments": "lifecycle:draw_environments",
    "cold_starts": "coldstarts:draw_figure",
    "pricing": "widgets.pricing:draw_costs",
    "whole_bill": "widgets.whole_bill:draw_costs",
    "regularity": "decide:draw_regularity",
    "decision": "widgets.decision:draw_costs",
    "keepalive_grid": "widgets.keepalive:draw_grid",
    "pareto": "replay:draw_pareto",
    "flash_crowd": "burst:draw_traffic",
    "burst": "burst:draw_burst",
    "scaling": "power_tuning:draw_scaling",
    "tuning": "power_tuning:draw_tuning",
    "pictures": "diagrams:draw_pictures",
    "latency_runs": "diagrams:draw_latency_runs",
    "workload_report": "widgets.workload:draw_report_chart",
    "workload_layouts": "widgets.workload:draw_layouts",
}

#: Fonts of a drawing made for the book's pages: Latin in DejaVu Sans (matplotlib's own), Hangul
#: in Noto Sans CJK KR (Debian's ``fonts-noto-cjk``).
BOOK_FONTS = ["DejaVu Sans", "Noto Sans CJK KR"]
CJK_FONT = "Noto Sans CJK KR"


# --- data ---------------------------------------------------------------------------------------

def plain(value: Any) -> Any:
    """``value`` as JSON data: numpy numbers as Python ones, tuples as lists, NaN and infinities
    as ``None``; anything else JSON cannot hold is a ``TypeError`` naming it."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return plain(value.tolist())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (bool, int, str)):
        return value
    raise TypeError(f"figure data holds {type(value).__name__} {value!r}; allowed: numbers, "
                    "strings, booleans, None, lists and dicts of them (frame() for a table)")


def frame(table) -> dict[str, Any]:
    """A pandas DataFrame as JSON data (its index, columns and values; NaN as ``None``)."""
    return {"index": plain(list(table.index)), "index_name": table.index.name,
            "columns": [str(c) for c in table.columns],
            "values": plain(table.to_numpy(dtype=object).tolist())}


def unframe(data: Mapping[str, Any]):
    """The DataFrame :func:`frame` stored (``None`` back as NaN in numeric columns)."""
    import pandas as pd

    table = pd.DataFrame(data["values"], columns=data["columns"],
                         index=pd.Index(data["index"], name=data.get("index_name")))
    return table.infer_objects().apply(
        lambda column: pd.to_numeric(column) if column.map(
            lambda v: v is None or isinstance(v, (int, float)) and not isinstance(v, bool)).all()
        else column)


# --- drawing ------------------------------------------------------------------------------------

class _Recording(dict):
    """A catalogue that remembers every English text looked up in it."""

    def __init__(self, catalogue: Mapping[str, str]):
        super().__init__(catalogue)
        self.asked: set[str] = set()

    def __bool__(self) -> bool:  # active even when empty (English)
        return True

    def get(self, text, default=None):
        if text:
            self.asked.add(text)
        return super().get(text, default)


def _drawing(name: str):
    module, function = DRAWINGS[choice("drawing", name, sorted(DRAWINGS))].split(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), function)


@contextmanager
def _closing(figure) -> Iterator[Any]:
    import matplotlib.pyplot as plt

    try:
        yield figure
    finally:
        plt.close(figure)


def draw(name: str, data: Mapping[str, Any], catalogue: Mapping[str, str] | None = None):
    """Drawing ``name`` of ``data`` as a matplotlib Figure, its texts from ``catalogue`` (the
    active one when ``None``), and the English texts it looked up."""
    recording = _Recording(active_catalogue() if catalogue is None else catalogue)
    with speaking(recording):
        figure = _drawing(name)(**data)
    return figure, sorted(recording.asked)


class Drawing:
    """A figure of the book: drawing ``name`` of ``data`` (see the module's doc).

    In a notebook it displays as a PNG with its description beside it; :meth:`figure` draws it as
    a matplotlib Figure in the active catalogue's language."""

    def __init__(self, name: str, **data: Any):
        _drawing(name)
        self.name, self.data = name, plain(data)

    def figure(self):
        """The matplotlib Figure, in the active catalogue's language."""
        return draw(self.name, self.data)[0]

    def _repr_mimebundle_(self, include=None, exclude=None):
        from IPython.core.pylabtools import print_figure

        figure, words = draw(self.name, self.data)
        with _closing(figure):
            png = print_figure(figure, "png")
            text = repr(figure)
        return {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": text,
                MIME: {"drawing": self.name, "data": self.data, "words": words}}

    def __repr__(self) -> str:
        return f"Drawing({self.name!r})"


# --- the book's build -------------------------------------------------------------------------

def check_font(language: str) -> None:
    """``RuntimeError`` unless matplotlib finds the CJK font that a page in ``language`` needs
    (rebuilding matplotlib's font list once, for a font installed after it was made)."""
    if language == "en":
        return
    from matplotlib import font_manager

    try:
        font_manager.findfont(CJK_FONT, fallback_to_default=False)
    except ValueError:
        font_manager.fontManager = font_manager._load_fontmanager(  # type: ignore[attr-defined]
            try_read_cache=False)
        try:
            font_manager.findfont(CJK_FONT, fallback_to_default=False)
        except ValueError:
            raise RuntimeError(f"the {language} edition's figures need the font {CJK_FONT!r}; "
                               "install it (Debian/Ubuntu: apt-get install fonts-noto-cjk)"
                               ) from None


def render(description: Mapping[str, Any], catalogue: Mapping[str, str] | None = None,
           language: str = "en") -> bytes:
    """A stored description drawn again as SVG (text as outlines, so every reader sees the
    glyphs the layout was made with), its texts from ``catalogue``."""
    import matplotlib
    import matplotlib.pyplot as plt

    check_font(language)
    settings: dict[str, Any] = {"svg.fonttype": "path", "svg.hashsalt": "ec2vslambda",
                                "font.family": BOOK_FONTS if language != "en"
                                else ["DejaVu Sans"]}
    with plt.rc_context(settings):  # type: ignore[arg-type]
        if matplotlib.get_backend().lower() not in ("agg", "svg"):
            plt.switch_backend("agg")
        figure, _words = draw(description["drawing"], description["data"], catalogue or {})
        with _closing(figure):
            out = io.BytesIO()
            figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    return out.getvalue()


def code_version() -> str:
    """A fingerprint of what a drawing depends on besides its data and words: this package's
    source, its data files, matplotlib's version."""
    from importlib.metadata import version

    digest = hashlib.sha256(version("matplotlib").encode())
    package = Path(__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), *(package.parent / "data").glob("*.csv")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key(description: Mapping[str, Any], catalogue: Mapping[str, str], language: str,
        version: str) -> str:
    """A name for the drawing of ``description`` in ``language``: it changes with the data, the
    translation of any word the drawing looks up, and :func:`code_version`."""
    words = {w: catalogue.get(w, w) for w in description.get("words", [])}
    text = json.dumps([description["drawing"], description["data"], words, language, version],
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
