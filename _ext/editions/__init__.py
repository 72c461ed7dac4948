"""The book's editions (English at the site's root, Korean under ``ko/``), linked both ways.

* Every page links to its twin in the other edition: a visible switch at the top of the page and
  ``<link rel="alternate" hreflang>`` in its head (with ``x-default`` for the English page):
  :mod:`.links`.
* Korean text breaks between words, not inside them (``word-break: keep-all``):
  ``static/editions/editions.css``.
* Exercise titles and notebook figures' alt texts become translatable: :mod:`.transforms`.
* Notebook figures are drawn again from their stored data in the page's language
  (:mod:`.figures`), and notebooks' stored tables are translated (:mod:`.tables`); hidden
  cells' and sidebars' toggles too (:mod:`.toggles`).
* A translated edition's front page says what is translated (:mod:`.note`), and the theme's
  own words are translated (:mod:`.theme`).
* Citations are formatted with one pybtex style instance per style, which keeps the translated
  build as fast as the English one: :mod:`.citations`.
* Korean search finds what a reader types (character bigrams of Hangul): :mod:`.search`.

The language of a build is Sphinx's ``language``; ``editions_current`` names it when the build
is an edition other than the English one (``tools/translations.py`` sets both). The editions and
their folders are in :mod:`.languages`.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from . import figures, links, note, tables, theme, toggles, transforms
from .citations import reuse_citation_styles
from .note import EDITION_NOTE
from .search import SearchKorean

__all__ = ["EDITION_NOTE", "setup"]

HERE = Path(__file__).resolve().parent


def add_static_path(app: Sphinx, config: Config) -> None:
    config.html_static_path.append(str(HERE / "static"))


def setup(app: Sphinx) -> dict:
    reuse_citation_styles()
    app.add_config_value("editions_current", "", "html")
    app.add_transform(transforms.TranslatableExerciseTitles)
    app.add_transform(transforms.TranslatedExercisesInRegistry)
    app.add_transform(transforms.AdoptTranslatedNodes)
    app.add_post_transform(transforms.ExtractExerciseTitles)
    app.add_post_transform(transforms.ExtractFigureAltTexts)
    app.add_post_transform(transforms.TranslateFigureAltTexts)
    app.connect("doctree-resolved", note.add_edition_note)  # then the switch above it
    app.connect("doctree-resolved", links.add_switch)
    app.connect("html-page-context", links.add_alternates)
    app.connect("builder-inited", theme.translate_theme)
    app.add_search_language(SearchKorean)
    app.connect("config-inited", add_static_path)
    app.add_css_file("editions/editions.css")
    figures.setup(app)  # notebooks' figures drawn again in the page's language
    tables.setup(app)  # notebooks' stored tables in the page's language
    toggles.setup(app)  # hidden cells' and sidebars' toggles in the page's language
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
