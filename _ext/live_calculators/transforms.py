"""Each page's calculator placeholders become live forms (``doctree-resolved``).

A calculator's notebook cell, or the ``live-calculator`` directive, leaves a placeholder
``<div class="ec2vl-live" data-calculator=... data-defaults=...>``. In an HTML build it is
replaced by the form of :mod:`.form`; in an edition in another language, the table the cell
stored above it (the notebook's pandas table, in English) is replaced by the same table written
in the page's language, computed here by the same code.
"""

from __future__ import annotations

import html
import json
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from . import i18n
from .form import render_box, table_html
from .publish import runtime_bytes

_PLACEHOLDER = re.compile(
    r'<div class="ec2vl-live" data-calculator="(?P<name>[a-z0-9_]+)" '
    r'data-defaults="(?P<defaults>[^"]*)">.*?</div>', re.DOTALL)


def _expand(text: str, docname: str, counter: list[int], language: str,
            runtime_bytes: int, assets: str) -> str:
    def replace(match: re.Match) -> str:
        counter[0] += 1
        name = match.group("name")
        defaults = json.loads(html.unescape(match.group("defaults")))
        uid = f"ec2vl-{name}-{counter[0]}"
        try:
            return render_box(name, defaults, uid, language, runtime_bytes, assets)
        except ValueError as error:
            raise ExtensionError(f"{docname}: live calculator {name!r}: {error}") from None

    return _PLACEHOLDER.sub(replace, text)


def expand_placeholders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Turn every calculator placeholder of a page into its live form."""
    if app.builder.format != "html":
        return
    counter = [0]
    language = app.config.language or "en"
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if "ec2vl-live" not in text or raw.get("format") != "html":
            continue
        if language != "en":
            translate_stored_table(raw, language)
        expanded = _expand(text, docname, counter, language, runtime_bytes(app),
                           app.config.live_calculators_assets)
        raw.replace_self(nodes.raw("", expanded, format="html"))


def translate_stored_table(placeholder: nodes.raw, language: str) -> None:
    """In another language: the table a calculator's cell stored for its starting inputs (the
    notebook's pandas table, in English) becomes the same table in the page's language,
    computed here by the same code. The cell's sentence is translated with the page's text;
    the figure keeps its English labels."""
    from ec2vslambda import live

    match = _PLACEHOLDER.search(placeholder.astext())
    cell = placeholder.parent
    while cell is not None and "cell_output" not in cell.get("classes", []):
        cell = cell.parent
    if match is None or cell is None:
        return
    stored = [node for node in cell.findall(nodes.raw)
              if node is not placeholder and 'class="dataframe' in node.astext()]
    before = [node for node in stored if cell.index(_child_of(cell, node))
              < cell.index(_child_of(cell, placeholder))]
    if not before:
        return
    defaults = json.loads(html.unescape(match.group("defaults")))
    result = live.compute(match.group("name"), defaults, words=i18n.result_words(language))
    if result["table"]:
        before[-1].replace_self(nodes.raw(
            "", f'<div class="ec2vl-stored-table">{table_html(result["table"])}</div>',
            format="html"))


def _child_of(parent: nodes.Element, node: nodes.Node) -> nodes.Node:
    """The child of ``parent`` that holds ``node``."""
    while node.parent is not parent:
        node = node.parent
    return node
