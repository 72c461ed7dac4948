"""The live calculators' words, per page language.

The form's labels, units and the calculators' titles come from :mod:`ec2vslambda.live` in
English; :func:`translator` maps them to the page's language where a translation exists (the
Korean edition adds its table here), and leaves them as they are otherwise. The interface's own
sentences (button, progress, errors) are in :data:`UI`, which the browser script receives with
each calculator.
"""

from __future__ import annotations

from collections.abc import Callable

UI: dict[str, dict[str, str]] = {
    "en": {
        "badge": "live calculator",
        "button": "Run this calculator in the page",
        "note": ("Loads Python into your browser once per visit (about {mb} MB, from this site; "
                 "nothing is sent anywhere)."),
        "legend": "Inputs",
        "before": ("The result for the inputs below is shown above this box. Press the button "
                   "to change them here."),
        "loading": "Loading {what}: {done} of {total} MB",
        "starting": "Starting Python…",
        "ready": "Live: change any input and the result follows.",
        "failed": "The calculator could not start: {message}",
        "fix": "Check the input marked below; the result shown is for the last good inputs.",
        "file": ("This page was opened from a file, so its calculators and mathematics cannot "
                 "load. Serve the site instead: run `make serve` in the book's folder (or "
                 "`python -m http.server -d _build/html`) and open http://127.0.0.1:8000/."),
    },
}

#: Translations of the calculators' English strings, by language.
STRINGS: dict[str, dict[str, str]] = {}


def translator(language: str) -> Callable[[str], str]:
    table = STRINGS.get(language, {})
    return lambda text: table.get(text, text)


def ui(language: str) -> dict[str, str]:
    return {**UI["en"], **UI.get(language, {})}
