"""The theme's interface text in another edition: the theme options that hold text, from the
edition's ``book.po``, and sphinx-book-theme's own catalogue (domain ``booktheme``) behind the
edition's ``booktheme.po``, whose entries then win (the theme's Korean catalogue renders "By" as
"으로")."""

from __future__ import annotations

import gettext
from pathlib import Path

from sphinx.application import Sphinx

from .languages import DEFAULT, book_catalogue, current

#: Theme options that hold interface text, translated from book.po in another edition.
TRANSLATED_THEME_OPTIONS = ("search_bar_text",)


class Catalogue(gettext.NullTranslations):
    """A catalogue read from its .po (Sphinx compiles this domain only later in a build)."""

    def __init__(self, entries: dict[str, str]):
        super().__init__()
        self.entries = entries

    def gettext(self, message: str) -> str:
        if message in self.entries:
            return self.entries[message]
        return self._fallback.gettext(message) if self._fallback else message


def translate_theme(app: Sphinx) -> None:
    """In another edition (``builder-inited``): the theme's options and its own words."""
    if current(app) == DEFAULT or app.builder.format != "html":
        return
    words = book_catalogue(app)
    options = app.config.html_theme_options
    for key in TRANSLATED_THEME_OPTIONS:
        if options.get(key) in words:
            options[key] = words[options[key]]
    import polib
    from sphinx import locale

    for directory in app.config.locale_dirs:
        path = Path(app.srcdir, directory, app.config.language, "LC_MESSAGES", "booktheme.po")
        if not path.exists():
            continue
        ours = Catalogue({e.msgid: e.msgstr for e in polib.pofile(str(path)).translated_entries()})
        theirs = locale.translators.get(("general", "booktheme"))
        if theirs is not None:
            ours.add_fallback(theirs)
        locale.translators[("general", "booktheme")] = ours
        return
