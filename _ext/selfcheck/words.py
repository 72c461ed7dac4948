"""The self-checks' interface words, in the page's language.

The question, its options and their feedback are page text: Sphinx's gettext builder extracts
them into the page's catalogue like any paragraph. The words the directive adds around them
(:data:`WORDS`) are the book's own strings: ``tools/translations.py`` extracts them into
``book.pot``, and a translated edition reads them from its ``book.po``.
"""

from __future__ import annotations

#: Every word a self-check shows besides its own text, in English.
WORDS = {
    "title": "Self-check {number}",
    "check": "Check my answer",
    "clear": "Clear my answer",
    "right": "Right.",
    "wrong": "Not quite.",
    "choose": "Choose an answer first.",
    "type": "Type a number first.",
    "your_answer": "Your answer",
    "within": "Counts as right within ±{tolerance} of the answer.",
    "answers": "Answers to this page's self-checks",
    "answer": "Answer:",
}


def words(language: str | None) -> dict[str, str]:
    """:data:`WORDS` in ``language`` (English where its ``book.po`` has no translation), read
    as the live calculators read their interface words."""
    from live_calculators import i18n

    translate = i18n.translator(language or "en")
    return {key: translate(text) for key, text in WORDS.items()}
