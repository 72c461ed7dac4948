"""The live calculators' words, per page language.

The form's labels, units and the calculators' titles come from :mod:`ec2vslambda.live` in
English, and the interface's own sentences (button, progress, status) from :data:`UI`, which the
browser script receives with each calculator. In another edition both are looked up in that
language's ``locale/<lang>/LC_MESSAGES/book.po`` (``tools/translations.py`` extracts them there
with the book's other strings); a string without a translation stays English. A refused value's
sentence is not here: the package writes it in the page's language, from the error's parts
(:mod:`ec2vslambda.live.adapter`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent.parent / "locale"

UI: dict[str, dict[str, str]] = {
    "en": {
        "badge": "live calculator",
        "button": "Run this calculator in the page",
        "note": ("Loads Python into your browser once per visit (about {mb} MB, from this site; "
                 "nothing is sent anywhere)."),
        "legend": "Inputs",
        "before": ("The result for the inputs below is shown above this box. Press the button "
                   "to change them here."),
        "fetching": "Loading Python…",
        "loading": "Loading {what}: {done} of {total} MB",
        "stalled": "{status}; waiting for this site, {seconds} s",
        "starting": "Starting Python…",
        "package": "Loading the course package…",
        "elapsed": "{status} {seconds} s",
        "ready": "Live: change any input and the result follows.",
        "failed": "The calculator could not start: {message}",
        "fix": "Check the input marked below; the result shown is for the last good inputs.",
        "table": "Table: {columns}",
        "file_note": ("Your file is read by this page and stays on your computer: nothing is "
                      "uploaded."),
        "samples": "Or try a sample:",
        "working": "Reading the file and replaying it…",
        "file": ("This page was opened from a file, so its calculators and mathematics cannot "
                 "load. Serve the site instead: run `make serve` in the book's folder (or "
                 "`python -m http.server -d _build/html`) and open http://127.0.0.1:8000/."),
    },
}


@cache
def strings(language: str) -> dict[str, str]:
    """English -> translation for ``language``, from its ``book.po`` (empty for English)."""
    path = LOCALE / language / "LC_MESSAGES" / "book.po"
    if language == "en" or not path.exists():
        return {}
    import polib

    return {e.msgid: e.msgstr for e in polib.pofile(str(path)).translated_entries()}


def translator(language: str) -> Callable[[str], str]:
    table = strings(language)
    return lambda text: table.get(text, text)


def ui(language: str) -> dict[str, str]:
    t = translator(language)
    return {key: t(text) for key, text in UI["en"].items()}


@cache
def result_words(language: str) -> dict[str, str]:
    """The catalogue a calculator's results are written in on a page in ``language``: every
    translated string of its ``book.po`` (``ec2vslambda.live.compute(..., words=...)``); empty
    for English but its language. Read once per build; callers must not change it."""
    from ec2vslambda.words import check_catalogue

    # the empty string's translation is a gettext catalogue's header, which names its language
    return check_catalogue({**strings(language), "": f"Language: {language}"})
