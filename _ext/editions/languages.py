"""The editions a build knows, the one it is building, and that edition's ``book.po``."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

#: language -> (folder under the English site's root, the switch's label in that language)
EDITIONS = {"en": ("", "English"), "ko": ("ko/", "한국어")}
DEFAULT = "en"


def current(app: Sphinx) -> str:
    """The edition being built: ``editions_current``, else Sphinx's ``language``."""
    return app.config.editions_current or (app.config.language or DEFAULT)


def book_catalogue(app: Sphinx) -> dict[str, str]:
    """English -> translation from the edition's ``book.po`` (empty in the default edition)."""
    import polib

    if current(app) == DEFAULT:
        return {}
    for directory in app.config.locale_dirs:
        catalogue = Path(app.srcdir, directory, app.config.language, "LC_MESSAGES", "book.po")
        if catalogue.exists():
            return {e.msgid: e.msgstr for e in polib.pofile(str(catalogue)).translated_entries()}
    return {}
