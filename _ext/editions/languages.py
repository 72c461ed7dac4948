"""The editions a build knows, the one it is building, that edition's ``book.po``, and the
translation pipeline's modules in ``tools/``."""

from __future__ import annotations

import importlib
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from sphinx.application import Sphinx

#: language -> (folder under the English site's root, the switch's label in that language)
EDITIONS = {"en": ("", "English"), "ko": ("ko/", "한국어")}
DEFAULT = "en"
ROOT = Path(__file__).resolve().parent.parent.parent


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


@cache
def book_tool(name: str) -> ModuleType:
    """Module ``name`` of the book's ``tools/`` folder (``derived``, ``translations``): the
    translation pipeline that the build shares with ``make translations``."""
    folder = str(ROOT / "tools")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(name)
