"""Figures stored as data and drawn in each edition's language (ec2vslambda.figures).

* A stored figure's description names a drawing of the package, holds plain JSON data, and
  draws the same figure again.
* Every text a stored figure shows is looked up in the catalogue: drawn under a
  pseudo-translation, no lower-case English word is left outside its brackets, so the Korean
  edition cannot show an English label.
* Drawn for a Korean page, a figure is SVG whose text is Hangul drawn with the CJK font.
"""

from __future__ import annotations

import functools
import json
import math
import re
import sys
import warnings
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from ec2vslambda import figures  # noqa: E402
from ec2vslambda.validation import InputError  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted([*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("labs/*.ipynb"),
                    *ROOT.glob("workshop/*.ipynb")])


def _stored() -> list[tuple[str, int, dict]]:
    found = []
    for notebook in NOTEBOOKS:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            for output in cell.get("outputs", []):
                if figures.MIME in output.get("data", {}):
                    found.append((notebook.relative_to(ROOT).as_posix(), index,
                                  output["data"][figures.MIME]))
    return found


STORED = _stored()
IDS = [f"{path}:{index}:{d['drawing']}" for path, index, d in STORED]


def test_every_notebook_figure_is_stored_with_its_description():
    """No notebook shows a figure the build cannot draw again (each PNG has its description)."""
    bare = []
    for notebook in NOTEBOOKS:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/png" in data and figures.MIME not in data:
                    bare.append(f"{notebook.name} cell {index}")
    assert len(STORED) >= 28
    assert not bare, f"figures without a description: {bare}"


@pytest.mark.parametrize("path, index, description", STORED, ids=IDS)
def test_a_stored_description_is_plain_data_of_a_known_drawing(path, index, description):
    assert description["drawing"] in figures.DRAWINGS
    assert figures.plain(description["data"]) == description["data"]
    json.dumps(description, allow_nan=False)
    assert all(isinstance(w, str) and w for w in description["words"])


def test_plain_refuses_what_json_cannot_hold_and_turns_nan_into_none():
    import numpy as np

    assert figures.plain({"a": (1, np.float64(2.5), math.nan)}) == {"a": [1, 2.5, None]}
    with pytest.raises(TypeError, match="figure data holds object"):
        figures.plain({"a": object()})
    with pytest.raises(InputError, match="drawing='nope' is not allowed; allowed: burst, chart"):
        figures.Drawing("nope")


def test_a_frame_comes_back_as_the_same_table():
    table = pd.DataFrame({"cost": [1.5, math.nan], "name": ["a", "b"]},
                         index=pd.Index([0.1, 0.2], name="regularity"))
    back = figures.unframe(figures.frame(table))
    pd.testing.assert_frame_equal(back, table)


def test_the_stored_png_and_the_description_come_from_one_drawing():
    drawing = figures.Drawing("ec2_states", title="EC2 instance lifecycle")
    bundle = drawing._repr_mimebundle_()
    description = bundle[figures.MIME]
    assert bundle["image/png"] and bundle["text/plain"].startswith("<Figure size")
    assert description["drawing"] == "ec2_states"
    assert "EC2 instance lifecycle" in description["words"]
    assert "billed: {answer}" in description["words"]  # a template of the package, filled in


# --- every text is looked up ------------------------------------------------------------------
# As tests/test_words.py does for the calculators' results: a pseudo-translation wraps every
# English text in ⟪ ⟫; whatever a figure shows outside the brackets was never looked up.

_WRAPPED = re.compile(r"⟪[^⟪⟫]*⟫")
_TOKEN = re.compile(r"[^\s,;:()+/=|%$'\"⟪⟫]+")
_SYMBOLS = {"ms", "min", "x", "vs"}


@functools.cache
def _runtime_ids() -> set[str]:
    """Lambda runtime identifiers (``go (provided.al2023)``): codes, the same in every edition."""
    from ec2vslambda import coldstarts

    return {token for runtime in coldstarts.runtimes() for token in _TOKEN.findall(runtime)}


@functools.cache
def _pseudo_catalogue() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "tools"))
    from translations import book_strings

    catalogue = {text: f"⟪{text}⟫" for _context, text in book_strings()}
    for _path, _index, description in STORED:  # the texts a notebook passed in
        catalogue.update({w: f"⟪{w}⟫" for w in description["words"] if w not in catalogue})
    return catalogue


def _english_left(text: str) -> list[str]:
    while _WRAPPED.search(text):
        text = _WRAPPED.sub(" ", text)
    return [t for t in _TOKEN.findall(text) if re.fullmatch(r"[a-z]{2,}", t)
            and t not in _SYMBOLS and t not in _runtime_ids()]


def _shown(figure) -> list[str]:
    figure.canvas.draw()  # tick labels exist once the figure is drawn
    return [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text()]


@pytest.mark.parametrize("path, index, description", STORED, ids=IDS)
def test_every_text_a_figure_shows_is_looked_up(path, index, description):
    figure, _words = figures.draw(description["drawing"], description["data"],
                                  _pseudo_catalogue())
    try:
        left = {token: text for text in _shown(figure) for token in _english_left(text)}
    finally:
        plt.close(figure)
    assert not left, "\n".join(f"{token!r} in {text!r}" for token, text in sorted(left.items()))


def test_a_korean_drawing_is_svg_in_hangul_with_the_cjk_font():
    catalogue = {"EC2 instance lifecycle": "EC2 인스턴스 수명 주기", "pending": "대기 중"}
    description = {"drawing": "ec2_states", "data": {"title": "EC2 instance lifecycle"},
                   "words": ["EC2 instance lifecycle", "pending"]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from the fonts is a warning
        svg = figures.render(description, catalogue, "ko").decode()
    assert svg.startswith("<?xml") and "<svg" in svg
    comments = re.findall(r"<!-- (.*?) -->", svg)
    assert "EC2 인스턴스 수명 주기" in comments and "대기 중" in comments
    assert "<text" not in svg  # outlines: every reader sees the glyphs the layout was made with


def test_a_drawing_key_changes_with_data_translation_and_code():
    description = {"drawing": "ec2_states", "data": {"title": "t"}, "words": ["t"]}
    base = figures.key(description, {"t": "가"}, "ko", "v1")
    assert base == figures.key(description, {"t": "가", "other": "x"}, "ko", "v1")
    assert base != figures.key(description, {"t": "나"}, "ko", "v1")
    assert base != figures.key(description, {"t": "가"}, "ko", "v2")
    assert base != figures.key({**description, "data": {"title": "u"}}, {"t": "가"}, "ko", "v1")
