"""Notebook figures drawn again at build time, in each edition's language.

A figure cell stores, beside the PNG Jupyter shows, the figure's description (the drawing, its
data and the English texts it looks up: :mod:`ec2vslambda.figures`). The build never runs a
notebook; instead :class:`DrawStoredFigures` draws each stored description again while the page
is read, as SVG, with the page's words active (``book.po`` for the package's templates, the
page's own catalogue for texts the notebook passed in, such as a title) and a CJK font, and
puts it where the PNG was. The English pages get the same figure as the notebook drew, sharp at
any size; the Korean pages get it with Korean titles, axes and legends. The figure's alt text is
the cell's, translated as before (:class:`~editions.TranslateFigureAltTexts`).

Drawings are cached by what they depend on (:func:`ec2vslambda.figures.key`: the data, the
translation of every text the drawing looks up, and the package's code and data), in
``$EC2VL_FIGURE_CACHE`` or ``figures/`` of the book's asset cache, so a build redraws only what
changed. For the gettext builder, :class:`ExtractFigureWords` copies every stored figure's texts
that ``book.po`` does not hold into the page's catalogue, as ``tables.py`` does for stored tables.
"""

from __future__ import annotations

import json
import os
import shutil
import warnings
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform

from ec2vslambda import figures

from .languages import book_tool
from .transforms import ExtractNotebookTexts

ROOT = Path(__file__).resolve().parent.parent.parent
#: The container myst-nb's renderer makes for a stored description (instead of a warning about an
#: unknown MIME type); its ``description`` is the stored JSON.
NODE = "ec2vl_figure"


def cache_dir() -> Path:
    configured = os.environ.get("EC2VL_FIGURE_CACHE")
    if configured:
        return Path(configured)
    assets = os.environ.get("EC2VL_ASSET_CACHE")
    base = Path(assets) if assets else Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ec2vslambda-book"
    return base / "figures"


def stored_descriptions(notebook: Path) -> list[dict]:
    """Every figure description a notebook's outputs store, in order."""
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    return [output["data"][figures.MIME] for cell in cells for output in cell.get("outputs", [])
            if figures.MIME in output.get("data", {})]


@cache
def _book_words() -> frozenset[str]:
    """Every English text ``book.po`` translates (the package's templates and labels)."""
    return frozenset(text for _context, text in book_tool("translations").book_strings())


def page_words(description: dict) -> list[str]:
    """The texts of a description that the page's catalogue translates: those ``book.po`` does
    not hold and that have words in them (not a number, a code or a product name)."""
    derived = book_tool("derived")
    return [w for w in description.get("words", [])
            if w not in _book_words() and not derived.plain(w)]


@cache
def _code_version() -> str:
    return figures.code_version()


@cache
def _book_catalogue(language: str) -> dict[str, str]:
    return book_tool("translations").book_translations(language)


def draw(description: dict, catalogue: dict[str, str], language: str, folder: Path) -> Path:
    """The SVG of ``description`` in ``language`` (from the cache, or drawn and cached), copied
    into ``folder``."""
    name = figures.key(description, catalogue, language, _code_version())
    target = folder / f"{name}.svg"
    if target.exists():
        return target
    cached = cache_dir() / f"{name}.svg"
    if not cached.exists():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            svg = figures.render(description, catalogue, language)
        missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
        if missing:
            raise RuntimeError(f"figure {description['drawing']!r} in {language}: {missing[0]}")
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(svg)
        temporary.replace(cached)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, target)
    return target


def _render_description(original):
    """myst-nb's ``render_mime_type``, which keeps a stored figure description as a node."""

    def render_mime_type(self, data):
        if data.mime_type == figures.MIME:
            node = nodes.container(nb_element=NODE)
            node["description"] = data.content
            return [node]
        return original(self, data)

    render_mime_type.ec2vl_figures = True
    return render_mime_type


class DrawStoredFigures(SphinxTransform):
    """Replace each stored figure's PNG with its description drawn in the page's language."""

    default_priority = 30  # after Sphinx's Locale transform (20), before the images are collected

    def apply(self, **kwargs) -> None:
        holders = [n for n in self.document.findall(nodes.container) if n.get("nb_element") == NODE]
        if not holders:
            return
        drawing = self.app.builder.format == "html"
        language = self.config.language or "en"
        translate = self._translator(language) if drawing else None
        folder = Path(self.app.outdir).parent / "figures"
        for holder in holders:
            kept = holder.parent  # myst-nb's container for this MIME type, in the output's bundle
            bundle = kept.parent
            description = holder["description"]
            bundle.remove(kept)
            image = next(iter(bundle.findall(nodes.image)), None)
            if image is None or not drawing:
                continue
            catalogue = {w: translate(w) for w in description.get("words", [])}
            path = draw(description, catalogue, language, folder)
            image["uri"] = "/" + os.path.relpath(path, self.env.srcdir)
            image["classes"] = [*image.get("classes", []), "ec2vl-figure"]

    def _translator(self, language: str):
        if language == "en":
            return lambda text: text
        from sphinx.locale import init as init_locale
        from sphinx.util.i18n import docname_to_domain

        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [os.path.join(self.env.srcdir, d) for d in self.config.locale_dirs]
        page, _found = init_locale(dirs, language, domain)
        book = _book_catalogue(language)

        def translate(text: str) -> str:
            told = page.gettext(text)
            return told if told != text else book.get(text, text)

        return translate


class ExtractFigureWords(ExtractNotebookTexts):
    """Each stored figure's texts that the page translates (see :func:`page_words`)."""

    def texts(self, notebook: Path) -> Iterable[str]:
        for description in stored_descriptions(notebook):
            yield from page_words(description)


def setup(app) -> None:
    """Connect the transforms, and teach myst-nb's renderer the description's MIME type (called
    from the editions extension's ``setup``)."""
    from myst_nb.core.render import NbElementRenderer

    if not getattr(NbElementRenderer.render_mime_type, "ec2vl_figures", False):
        NbElementRenderer.render_mime_type = _render_description(
            NbElementRenderer.render_mime_type)
    app.add_transform(DrawStoredFigures)
    app.add_post_transform(ExtractFigureWords)
