"""Tables a notebook built, in the page's language.

A notebook's pandas table is stored as HTML in its output, in English: its column headers, its
row labels and the words in its cells. Sphinx never sees them as text, so they are neither
extracted nor translated. For the gettext builder, :class:`ExtractTableWords` copies each such
string into a paragraph of the page (as :class:`~editions.ExtractFigureAltTexts` does for alt
texts), so it lands in the page's catalogue; strings the course package itself wrote (a label of
``ec2vslambda.words``, a sentence one of its templates accounts for) are left to ``book.po``.
In a translated edition :class:`TranslateTableWords` rewrites the stored HTML with the page's
catalogue, then ``book.po`` and its templates (``tools/derived.py``), so the table reads in the
page's language; the English pages are unchanged.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .languages import book_tool
from .transforms import ExtractNotebookTexts

ROOT = Path(__file__).resolve().parent.parent.parent
#: A header or cell of a stored table, or a bold title above one (the cheat sheet's blocks).
_CELL = re.compile(r"(<t[hd]\b[^>]*>|<strong>)(.*?)(</t[hd]>|</strong>)", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def is_stored_table(node: nodes.Node) -> bool:
    """A notebook output's pandas table (raw HTML with a ``dataframe`` table)."""
    return (isinstance(node, nodes.raw) and node.get("format") == "html"
            and 'class="dataframe' in node.astext())


def cell_texts(table_html: str) -> list[str]:
    """The text of every header and cell of a stored table, and of a bold title above it, in
    order (tags stripped)."""
    return [html.unescape(_TAG.sub("", match.group(2))).strip()
            for match in _CELL.finditer(table_html)]


def translate_cells(table_html: str, translate) -> str:
    """``table_html`` with each header's and cell's text replaced by ``translate(text)``."""
    def replace(match: re.Match) -> str:
        inner = match.group(2)
        if _TAG.search(inner):  # markup inside a cell: leave it as it is
            return match.group(0)
        text = html.unescape(inner).strip()
        told = translate(text) if text else text
        if told == text:
            return match.group(0)
        return f"{match.group(1)}{html.escape(told, quote=False)}{match.group(3)}"

    return _CELL.sub(replace, table_html)


@cache
def _package_words() -> object:
    """A retelling of the package's own templates in English: whatever it accounts for is
    ``book.po``'s to translate, not the page's."""
    from ec2vslambda import words

    derived = book_tool("derived")
    templates = words.templates()
    return derived.Retelling({text: text for text in templates})


def words_to_translate(text: str) -> bool:
    """Whether a table's ``text`` needs a page translation: it holds English words (not only
    numbers, codes and names) and the course package did not write it."""
    derived = book_tool("derived")
    if not text or derived.plain(text):
        return False
    return _package_words().retell(text) is None


def stored_tables(notebook: Path) -> list[str]:
    """The HTML of every pandas table a notebook's outputs store, in order."""
    import json

    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    found = []
    for cell in cells:
        for output in cell.get("outputs", []):
            html_text = output.get("data", {}).get("text/html", "")
            html_text = "".join(html_text) if isinstance(html_text, list) else html_text
            if 'class="dataframe' in html_text:
                found.append(html_text)
    return found


class ExtractTableWords(ExtractNotebookTexts):
    """Each English string of a stored table. myst-nb draws a cell's outputs only for a builder
    that shows them, so the tables are read from the notebook itself."""

    def texts(self, notebook: Path) -> Iterable[str]:
        for table in stored_tables(notebook):
            yield from (text for text in cell_texts(table) if words_to_translate(text))


@cache
def _result_words(language: str) -> object:
    derived = book_tool("derived")
    return derived.Retelling(derived.book_catalogue(language, ROOT / "locale"), language)


class TranslateTableWords(SphinxPostTransform):
    """In a translated edition: stored tables in the page's language (see the module's doc)."""

    default_priority = 10

    def run(self, **kwargs) -> None:
        language = self.config.language or "en"
        if language == "en" or self.app.builder.format != "html":
            return
        tables = list(self.document.findall(is_stored_table))
        if not tables:
            return
        from os import path

        from sphinx.locale import init as init_locale
        from sphinx.util.i18n import docname_to_domain

        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [path.join(self.env.srcdir, d) for d in self.config.locale_dirs]
        catalog, _found = init_locale(dirs, language, domain)
        results = _result_words(language)

        def translate(text: str) -> str:
            told = catalog.gettext(text)
            if told != text:
                return told
            return results.retell(text) or text

        for node in tables:
            node.replace_self(nodes.raw("", translate_cells(node.astext(), translate),
                                        format="html"))


def setup(app) -> None:
    """Connect both transforms (called from the editions extension's ``setup``)."""
    app.add_post_transform(ExtractTableWords)
    app.add_post_transform(TranslateTableWords)
