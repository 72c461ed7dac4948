"""The page's toggles in the page's language.

myst-nb writes the switch of a hidden code cell ("Show code cell source", "Hide code cell
source", and the summary's label "Toggle hidden content") into the page's HTML in English, and
the book theme's sidebar buttons carry English tooltips from its own templates. In a translated
edition :func:`translate_toggles` replaces myst-nb's strings in each page's body with their
translations from ``book.po`` (``tools/translations.py`` extracts :data:`TOGGLE_STRINGS` there),
and the two sidebar templates are overridden by copies that look their tooltips up
(``templates/``, domain ``sphinx``: ``THEME_STRINGS`` in ``tools/translations.py``).
"""

from __future__ import annotations

import html
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: myst-nb's prompts (``nb_code_prompt_show`` / ``_hide`` with each ``{type}`` it fills in) and the
#: label of their summary.
TOGGLE_STRINGS = tuple(f"{verb} code cell {kind}" for kind in ("source", "content", "output",
                                                                 "outputs")
                       for verb in ("Show", "Hide")) + ("Toggle hidden content",)


def translate_toggles(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """In another edition: myst-nb's toggle strings in the page body, translated."""
    language = app.config.language or "en"
    body = context.get("body")
    if language == "en" or not body or app.builder.format != "html":
        return
    from .languages import book_catalogue

    words = book_catalogue(app)
    for english in TOGGLE_STRINGS:
        told = words.get(english)
        if told and english in body:
            escaped = html.escape(told)
            body = body.replace(f">{english}<", f">{escaped}<").replace(
                f'aria-label="{english}"', f'aria-label="{escaped}"')
    context["body"] = body


def use_translatable_templates(app, config) -> None:
    """Put this module's templates (the sidebar toggles, with their tooltips translatable) before
    the theme's."""
    config.templates_path.insert(0, str(HERE / "templates"))


def setup(app) -> None:
    """Connect the toggles' translation (called from the editions extension's ``setup``)."""
    app.connect("config-inited", use_translatable_templates)
    app.connect("html-page-context", translate_toggles)
