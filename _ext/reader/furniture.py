"""The theme's page furniture, adjusted as each page is written.

* The download menu's ".pdf" item called ``window.print()`` on the page: :func:`pdf_link` turns
  it into a link to the whole edition's PDF, which ``tools/pdf.py`` writes to ``_build/pdf/``
  and copies into the site at :data:`SITE_FOLDER`.
* :func:`search_named_by_its_text` lets the search field's visible words name it.
"""

from __future__ import annotations

import html
import re

SITE_FOLDER = "pdf"  # under the English site's root, for every edition


def pdf_name(language: str) -> str:
    """``ec2-vs-lambda-en.pdf``: the file name of an edition's PDF."""
    return f"ec2-vs-lambda-{language}.pdf"


_PRINT_BUTTON = re.compile(
    r'<button onclick="window\.print\(\)"\s+'
    r'class="(?P<classes>[^"]*btn-download-pdf-button[^"]*)"'
    r'\s+title="[^"]*"(?P<rest>.*?)</button>', re.DOTALL)


def pdf_link(page: str, href: str, title: str) -> str:
    """``page`` with its print button replaced by a link to ``href``."""
    def link(match: re.Match) -> str:
        classes = match.group("classes").replace("btn-download-pdf-button",
                                                 "btn-download-book-pdf")
        return (f'<a href="{html.escape(href, quote=True)}" class="{classes}" '
                f'title="{html.escape(title, quote=True)}" download{match.group("rest")}</a>')

    return _PRINT_BUTTON.sub(link, page)


_SEARCH_LABEL = re.compile(
    r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="[^"]*"')


def search_named_by_its_text(page: str) -> str:
    """The theme's search field is a button that shows "Search" and its shortcut but is
    labelled "Search" only (WCAG's label-in-name): its visible words name it instead."""
    return _SEARCH_LABEL.sub(r"\1", page)
