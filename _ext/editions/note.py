"""On a translated edition's front page, a note saying what is and is not translated."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .languages import DEFAULT, book_catalogue, current

#: Said once, on the front page of every translated edition (translated in its ``book.po``).
EDITION_NOTE = ("This is a translation of the English book, built from the same pages: every "
                "number, price and calculator is the same. The figures are drawn again from "
                "the same data with translated labels; their descriptions, the text around "
                "them, every table and the calculators' forms are translated, and a calculator "
                "answers in Korean once you press its button.")


def add_edition_note(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """On a translated edition's front page, say what is and is not translated."""
    if app.builder.format != "html" or current(app) == DEFAULT or docname != app.config.root_doc:
        return
    note = book_catalogue(app).get(EDITION_NOTE, EDITION_NOTE)
    box = nodes.note("", nodes.paragraph(note, note))
    box["classes"].append("edition-note")
    sections = list(doctree.findall(nodes.section))
    if not sections:
        doctree.insert(0, box)
        return
    title = sections[0].next_node(nodes.title)
    at = sections[0].index(title) + 1 if title is not None else 0
    sections[0].insert(at, box)  # under the heading, below the language switch
