"""Every page links to its twin in the other edition: a visible switch at the top of the page
and ``<link rel="alternate" hreflang>`` in its head (with ``x-default`` for the English page)."""

from __future__ import annotations

import posixpath

from docutils import nodes
from sphinx.application import Sphinx

from .languages import DEFAULT, EDITIONS, current


def twin_url(docname: str, current: str, other: str) -> str:
    """Relative URL from ``docname``'s page in edition ``current`` to its twin in ``other``."""
    depth = docname.count("/") + (EDITIONS[current][0].count("/"))
    to_root = "../" * depth
    return f"{to_root}{EDITIONS[other][0]}{docname}.html"


def add_switch(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A visible link to the page's twin, as the first thing on the page."""
    if app.builder.format != "html":
        return
    edition = current(app)
    links = " · ".join(
        f'<a href="{twin_url(docname, edition, other)}" hreflang="{other}" lang="{other}">'
        f"{label}</a>" for other, (_folder, label) in EDITIONS.items() if other != edition)
    switch = nodes.raw("", f'<p class="editions-switch">{links}</p>', format="html")
    sections = list(doctree.findall(nodes.section))
    if sections:
        title = sections[0].next_node(nodes.title)
        index = sections[0].index(title) + 1 if title is not None else 0
        sections[0].insert(index, switch)
    else:
        doctree.insert(0, switch)


def add_alternates(app: Sphinx, pagename: str, templatename: str, context: dict,
                   doctree: nodes.document | None) -> None:
    """``<link rel="alternate" hreflang>`` to every edition of the page."""
    if doctree is None:
        return
    edition = current(app)

    def href(language: str) -> str:
        if language == edition:
            return posixpath.basename(pagename) + ".html"
        return twin_url(pagename, edition, language)

    tags = [f'<link rel="alternate" hreflang="{language}" href="{href(language)}">'
            for language in EDITIONS]
    tags.append(f'<link rel="alternate" hreflang="x-default" href="{href(DEFAULT)}">')
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags)
