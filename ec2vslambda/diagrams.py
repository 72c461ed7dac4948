"""Figures of the chapters and labs that draw a diagram or a notebook's own measurements.

Each function draws one figure of :mod:`ec2vslambda.figures` from plain data, its texts through
:func:`~ec2vslambda.words.word`, so that the book draws it again in each edition's language. The
texts are the notebook's (the page's catalogue translates them) unless the function writes them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from .words import word

__all__ = ["draw_latency_runs", "draw_pictures", "draw_pipelines", "draw_responsibility",
           "wrap"]


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of about ``width`` Latin characters (a Hangul syllable takes
    the room of two)."""
    wide = sum(1 for c in text if "\uac00" <= c <= "\ud7a3")
    return textwrap.fill(text, max(4, width if wide < len(text) / 3 else width // 2 + 1))


def draw_responsibility(split: Mapping, title: str, colours: Mapping[str, str],
                        dark_text: Sequence[str] = ()):
    """Who looks after each layer (rows) under each way to run code (columns): a grid of
    coloured boxes, ``colours`` naming each owner's colour, in white but for the owners of
    ``dark_text`` (``split`` from :func:`ec2vslambda.figures.frame`; its first column names the
    layer)."""
    import matplotlib.pyplot as plt

    from .figures import unframe

    table = unframe(split)
    layer_column, *columns = list(table.columns)
    fig, ax = plt.subplots(figsize=(9, 4.6))
    for row, (_, layer) in enumerate(table.iloc[::-1].iterrows()):
        ax.text(-0.05, row + 0.5, word(layer[layer_column]), ha="right", va="center", fontsize=9)
        for col, name in enumerate(columns):
            who = layer[name]
            ax.add_patch(plt.Rectangle((col + 0.04, row + 0.06), 0.92, 0.88, color=colours[who]))
            ax.text(col + 0.5, row + 0.5, word(who), ha="center", va="center", fontsize=9,
                    color="black" if who in dark_text else "white")
    for col, name in enumerate(columns):
        ax.text(col + 0.5, len(table) + 0.15, wrap(word(name), 16), ha="center", va="bottom",
                fontsize=9, fontweight="bold")
    ax.set(xlim=(-3.0, len(columns)), ylim=(0, len(table) + 1.4))
    ax.axis("off")
    ax.set_title(word(title), fontsize=11)
    fig.tight_layout()
    return fig


def draw_pipelines(pipelines: Sequence[Mapping]):
    """Pipelines as rows of boxes joined by labelled arrows. Each pipeline has a ``title``, its
    ``steps`` (``[lines, colour]``: a box's lines of text and its colour) and the ``arrows``'
    labels between them."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 3.4))
    for y, pipeline in zip((2.2, 0.5), pipelines, strict=True):
        xs = [1 + 2.1 * i for i in range(len(pipeline["steps"]))]
        for x, (lines, colour) in zip(xs, pipeline["steps"], strict=True):
            ax.text(x, y, "\n".join(word(line) for line in lines), ha="center", va="center",
                    fontsize=9, bbox=dict(boxstyle="round,pad=0.5", facecolor=colour,
                                          edgecolor="none"))
        for x0, x1, label in zip(xs[:-1], xs[1:], pipeline["arrows"], strict=True):
            ax.annotate("", xy=(x1 - 0.75, y), xytext=(x0 + 0.75, y),
                        arrowprops=dict(arrowstyle="->", lw=1.4))
            ax.text((x0 + x1) / 2, y + 0.22, word(label), ha="center", fontsize=8,
                    color="#444")
        ax.text(0.2, y + 0.75, word(pipeline["title"]), fontsize=10, fontweight="bold")
    ax.set(xlim=(0, 10.8), ylim=(0, 3.3))
    ax.axis("off")
    fig.tight_layout()
    return fig


def picture(data: bytes, title: str, *, longest_px: int = 360) -> dict:
    """An image (PNG, JPEG, ...) as figure data for :func:`draw_pictures`: its pixels as stored
    (no EXIF rotation applied), scaled down to ``longest_px`` on its longer side (a figure's
    panel shows no more), as JPEG or as PNG when it has transparency, with its size in pixels."""
    import base64
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(data))
    width, height = image.size
    shown = image.copy()
    shown.thumbnail((longest_px, longest_px))
    out = BytesIO()
    if shown.mode in ("RGBA", "LA", "P"):
        shown.save(out, format="PNG", optimize=True)
    else:
        shown.convert("RGB").save(out, format="JPEG", quality=85)
    return {"title": title, "image": base64.b64encode(out.getvalue()).decode("ascii"),
            "width": width, "height": height}


def draw_pictures(pictures: Sequence[Mapping], width_ratios: Sequence[float]):
    """Images side by side, each titled with its ``title`` and its size in pixels."""
    import base64
    from io import BytesIO

    import matplotlib.pyplot as plt
    from PIL import Image

    fig, axes = plt.subplots(1, len(pictures), figsize=(10, 3), width_ratios=width_ratios)
    for ax, shown in zip(axes, pictures, strict=True):
        ax.imshow(Image.open(BytesIO(base64.b64decode(shown["image"]))))
        ax.set_title(f"{word(shown['title'])}\n{shown['width']}x{shown['height']}", fontsize=9)
        ax.set_facecolor("#d9d9d9")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def draw_latency_runs(runs: Mapping[str, Sequence[float]], title: str):
    """Latency from upload to thumbnail of each image, in upload order, one line per run
    (``runs``: the run's name -> latencies in ms)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.4))
    for name, latencies in runs.items():
        ax.plot(range(1, len(latencies) + 1), latencies, "o-", label=word(name))
    ax.set_xlabel(word("photo, in upload order"))
    ax.set_ylabel(word("upload to thumbnail (ms)"))
    ax.set_title(word(title))
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig
