"""The book's editions (English at the site's root, Korean under ``ko/``), linked both ways.

* Every page links to its twin in the other edition: a visible switch at the top of the page and
  ``<link rel="alternate" hreflang>`` in its head (with ``x-default`` for the English page).
* Korean text breaks between words, not inside them (``word-break: keep-all``).
* Exercise titles become translatable: sphinx-exercise makes them without a source line, and
  Sphinx extracts and translates only text that has one.
* Citations are formatted with one pybtex style instance per style (see
  :func:`_reuse_citation_styles`), which keeps the translated build as fast as the English one.
* Korean search finds what a reader types. Sphinx has no Korean search language: it indexes
  words with their particles attached (``패치를``), so ``패치`` finds nothing. :class:`SearchKorean`
  indexes every run of Hangul as its two-syllable pieces (character bigrams) and splits the
  query the same way, so a word matches wherever it stands inside a longer one.

The language of a build is Sphinx's ``language``; ``editions_current`` names it when the build
is an edition other than the English one (``tools/translations.py`` sets both).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.search import SearchLanguage
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

HERE = Path(__file__).resolve().parent
#: Said once, on the front page of every translated edition (translated in its ``book.po``).
EDITION_NOTE = ("This is a translation of the English book, built from the same pages: every "
                "number, price and calculator is the same. The figures are drawn again from "
                "the same data with translated labels; their descriptions, the text around "
                "them, every table and the calculators' forms are translated, and a calculator "
                "answers in Korean once you press its button.")

#: language -> (folder under the English site's root, the switch's label in that language)
EDITIONS = {"en": ("", "English"), "ko": ("ko/", "한국어")}
DEFAULT = "en"


def twin_url(docname: str, current: str, other: str) -> str:
    """Relative URL from ``docname``'s page in edition ``current`` to its twin in ``other``."""
    depth = docname.count("/") + (EDITIONS[current][0].count("/"))
    to_root = "../" * depth
    return f"{to_root}{EDITIONS[other][0]}{docname}.html"


class TranslatableExerciseTitles(SphinxTransform):
    """Give exercise subtitles the source line and raw text Sphinx needs to extract and translate
    them."""

    default_priority = 10  # before Sphinx's Locale transform (20)

    def apply(self, **kwargs) -> None:
        try:
            from sphinx_exercise.nodes import exercise_subtitle
        except ImportError:  # pragma: no cover - sphinx-exercise is pinned
            return
        for node in self.document.findall(exercise_subtitle):
            holder = node.parent.parent if node.parent is not None else None
            node.source = node.source or (holder.source if holder is not None else None) or \
                self.document["source"]
            node.line = node.line or (holder.line if holder is not None else None) or 1
            node.rawsource = node.rawsource or node.astext()  # what gettext extracts


class TranslatedExercisesInRegistry(SphinxTransform):
    """After translation, give sphinx-exercise's registry the translated exercises.

    The registry keeps a copy of each exercise made while parsing, before the translation is
    applied; solution headings ("Solution to Exercise 3 (title)") are built from that copy, and
    would repeat the English title on a translated page.
    """

    default_priority = 25  # after Sphinx's Locale transform (20)

    def apply(self, **kwargs) -> None:
        registry = getattr(self.env, "sphinx_exercise_registry", None)
        if not registry:
            return
        try:
            from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node
        except ImportError:  # pragma: no cover - sphinx-exercise is pinned
            return
        for node in self.document.findall(lambda n: isinstance(
                n, (exercise_node, exercise_enumerable_node))):
            entry = registry.get(node.get("label"))
            if entry is not None and entry.get("docname") == self.env.docname:
                entry["node"] = node.deepcopy()


class AdoptTranslatedNodes(SphinxTransform):
    """Point the nodes of translated text back at the page's own document.

    Sphinx parses each translation as a small document of its own and moves its nodes into the
    page, where they keep a reference to that small document and its settings. Pickled with the
    page, those copies made the translated doctrees several times larger and each one slow to
    load; after this transform they are the same size as the English ones.
    """

    default_priority = 26  # after Sphinx's Locale transform (20)

    def apply(self, **kwargs) -> None:
        document = self.document
        for node in document.findall():
            if getattr(node, "document", document) is not document:
                node.document = document


class ExtractExerciseTitles(SphinxPostTransform):
    """For the gettext builder only: copy each exercise title into a paragraph of its own.

    sphinx-exercise folds its titles into a plain heading during writing, after which Sphinx's
    extraction no longer sees them; the copies carry the same text and source line, so the
    title is extracted, and :class:`TranslatableExerciseTitles` lets the translation apply.
    """

    builders = ("gettext",)
    default_priority = 10  # before sphinx-exercise resolves its titles (20)

    def run(self, **kwargs) -> None:
        try:
            from sphinx_exercise.nodes import exercise_subtitle
        except ImportError:  # pragma: no cover - sphinx-exercise is pinned
            return
        for node in list(self.document.findall(exercise_subtitle)):
            copy = nodes.paragraph(node.rawsource, "", *[c.deepcopy() for c in node.children])
            copy.source, copy.line = node.source, node.line
            copy.uid = getattr(node, "uid", "")  # the gettext catalogue only takes nodes with one
            self.document.append(copy)


class ExtractFigureAltTexts(SphinxPostTransform):
    """For the gettext builder only: copy each notebook figure's alt text into a paragraph.

    myst-nb draws a cell's figure only after reading (it picks the output's format then, and
    draws none for this builder), so Sphinx's extraction and translation never see the figure's
    alt text, which is the cell's ``mystnb.image.alt`` metadata. The copies put it in the page's
    catalogue; :class:`TranslateFigureAltTexts` applies the translation.
    """

    builders = ("gettext",)
    default_priority = 10  # after myst-nb's choice of output format (4)

    def run(self, **kwargs) -> None:
        source = self.document["source"]
        if not source.endswith(".ipynb"):
            return
        import json

        with open(source, encoding="utf-8") as handle:
            cells = json.load(handle).get("cells", [])
        for cell in cells:
            alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
            if alt:  # the text myst-nb gives the figure's <img alt>
                copy = nodes.paragraph(alt, alt)
                copy.source, copy.line, copy.uid = source, 1, ""
                self.document.append(copy)


class TranslateFigureAltTexts(SphinxPostTransform):
    """In a translated edition, give notebook figures their alt text from the page's catalogue
    (see :class:`ExtractFigureAltTexts`)."""

    default_priority = 10

    def run(self, **kwargs) -> None:
        if (self.config.language or DEFAULT) == DEFAULT or self.app.builder.format != "html":
            return
        from os import path

        from sphinx.locale import init as init_locale
        from sphinx.util.i18n import docname_to_domain

        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [path.join(self.env.srcdir, d) for d in self.config.locale_dirs]
        catalog, found = init_locale(dirs, self.config.language, domain)
        if not found:
            return
        for image in self.document.findall(nodes.image):
            if image.get("alt"):
                image["alt"] = catalog.gettext(image["alt"])


def _current(app: Sphinx) -> str:
    return app.config.editions_current or (app.config.language or DEFAULT)


def add_switch(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A visible link to the page's twin, as the first thing on the page."""
    if app.builder.format != "html":
        return
    current = _current(app)
    links = " · ".join(
        f'<a href="{twin_url(docname, current, other)}" hreflang="{other}" lang="{other}">'
        f"{label}</a>" for other, (_folder, label) in EDITIONS.items() if other != current)
    switch = nodes.raw("", f'<p class="editions-switch">{links}</p>', format="html")
    sections = list(doctree.findall(nodes.section))
    if sections:
        title = sections[0].next_node(nodes.title)
        index = sections[0].index(title) + 1 if title is not None else 0
        sections[0].insert(index, switch)
    else:
        doctree.insert(0, switch)


def _book_catalogue(app: Sphinx) -> dict[str, str]:
    """English -> translation from the edition's ``book.po`` (empty in the default edition)."""
    import polib

    if _current(app) == DEFAULT:
        return {}
    for directory in app.config.locale_dirs:
        catalogue = Path(app.srcdir, directory, app.config.language, "LC_MESSAGES", "book.po")
        if catalogue.exists():
            return {e.msgid: e.msgstr for e in polib.pofile(str(catalogue)).translated_entries()}
    return {}


#: Theme options that hold interface text, translated from book.po in another edition.
TRANSLATED_THEME_OPTIONS = ("search_bar_text",)


def translate_theme(app: Sphinx) -> None:
    """In another edition: the theme options' text from ``book.po``, and sphinx-book-theme's
    own catalogue (domain ``booktheme``) behind the edition's ``booktheme.po``, whose entries
    then win (the theme's Korean catalogue renders "By" as "으로")."""
    if _current(app) == DEFAULT or app.builder.format != "html":
        return
    words = _book_catalogue(app)
    options = app.config.html_theme_options
    for key in TRANSLATED_THEME_OPTIONS:
        if options.get(key) in words:
            options[key] = words[options[key]]
    import gettext

    import polib
    from sphinx import locale

    class Catalogue(gettext.NullTranslations):
        """A catalogue read from its .po (Sphinx compiles this domain only later in a build)."""

        def __init__(self, entries: dict[str, str]):
            super().__init__()
            self.entries = entries

        def gettext(self, message: str) -> str:
            if message in self.entries:
                return self.entries[message]
            return self._fallback.gettext(message) if self._fallback else message

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


def add_edition_note(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """On a translated edition's front page, say what is and is not translated."""
    if app.builder.format != "html" or _current(app) == DEFAULT or docname != app.config.root_doc:
        return
    note = _book_catalogue(app).get(EDITION_NOTE, EDITION_NOTE)
    box = nodes.note("", nodes.paragraph(note, note))
    box["classes"].append("edition-note")
    sections = list(doctree.findall(nodes.section))
    if not sections:
        doctree.insert(0, box)
        return
    title = sections[0].next_node(nodes.title)
    at = sections[0].index(title) + 1 if title is not None else 0
    sections[0].insert(at, box)  # under the heading, below the language switch


def add_alternates(app: Sphinx, pagename: str, templatename: str, context: dict,
                   doctree) -> None:
    """``<link rel="alternate" hreflang>`` to every edition of the page."""
    if doctree is None:
        return
    current = _current(app)

    def href(language: str) -> str:
        if language == current:
            return posixpath.basename(pagename) + ".html"
        return twin_url(pagename, current, language)

    tags = [f'<link rel="alternate" hreflang="{language}" href="{href(language)}">'
            for language in EDITIONS]
    tags.append(f'<link rel="alternate" hreflang="x-default" href="{href(DEFAULT)}">')
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags)


# --- Korean search ----------------------------------------------------------------------------

_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_TOKEN = re.compile(rf"[{_HANGUL}]+|\w+", re.UNICODE)
_HANGUL_RUN = re.compile(rf"^[{_HANGUL}]+$")


def korean_tokens(text: str) -> list[str]:
    """Words as Sphinx indexes them: Latin words whole, Hangul runs as their bigrams."""
    tokens: list[str] = []
    for word in _TOKEN.findall(text):
        if _HANGUL_RUN.match(word) and len(word) > 2:
            tokens.extend(word[i:i + 2] for i in range(len(word) - 1))
        else:
            tokens.append(word)
    return tokens


class SearchKorean(SearchLanguage):
    """Korean search as character bigrams of Hangul (an n-gram index); Latin words as English."""

    lang = "ko"
    language_name = "Korean"
    js_stemmer_rawcode = ""
    js_stemmer_code = """
function Stemmer() {
  this.stemWord = function (word) { return word.toLowerCase(); };
}
"""
    # the query is split exactly as the pages were indexed (see korean_tokens)
    js_splitter_code = r"""
function splitQuery(query) {
  const tokens = [];
  const words = query.match(/[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+|[\p{L}\p{N}_]+/gu) || [];
  for (const word of words) {
    if (/^[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+$/.test(word) && word.length > 2) {
      for (let i = 0; i < word.length - 1; i++) tokens.push(word.slice(i, i + 2));
    } else {
      tokens.push(word);
    }
  }
  return tokens;
}
"""

    def split(self, input: str) -> list[str]:  # noqa: A002 - Sphinx's name
        return korean_tokens(input)

    def word_filter(self, word: str) -> bool:
        return len(word) > 1 or bool(_HANGUL_RUN.match(word))

    def stem(self, word: str) -> str:
        return word.lower()


def _reuse_citation_styles() -> None:
    """Build one pybtex formatting style per name, not one per citation.

    sphinxcontrib-bibtex's ``footcite`` role looks up and instantiates its pybtex style on every
    use (about 90 ms each here), and a translated edition parses every cited paragraph twice:
    that alone made the Korean build four times as slow as the English one. A style holds no
    state between entries, so one instance serves every citation.
    """
    from functools import cache

    try:
        from sphinxcontrib.bibtex import foot_roles
    except ImportError:  # pragma: no cover - sphinxcontrib-bibtex is pinned
        return
    if getattr(foot_roles, "_ec2vl_cached", False):
        return
    lookup = foot_roles.find_plugin

    @cache
    def style(group: str, name: str):
        return lookup(group, name)()

    foot_roles.find_plugin = lambda group, name: (lambda: style(group, name))
    foot_roles._ec2vl_cached = True


def setup(app: Sphinx) -> dict:
    from . import figures, tables, toggles

    _reuse_citation_styles()
    app.add_config_value("editions_current", "", "html")
    app.add_transform(TranslatableExerciseTitles)
    app.add_transform(TranslatedExercisesInRegistry)
    app.add_transform(AdoptTranslatedNodes)
    app.add_post_transform(ExtractExerciseTitles)
    app.add_post_transform(ExtractFigureAltTexts)
    app.add_post_transform(TranslateFigureAltTexts)
    app.connect("doctree-resolved", add_edition_note)  # then the switch above it
    app.connect("doctree-resolved", add_switch)
    app.connect("html-page-context", add_alternates)
    app.connect("builder-inited", translate_theme)
    app.add_search_language(SearchKorean)
    app.connect("config-inited", lambda app, config: config.html_static_path.append(
        str(HERE / "static")))
    app.add_css_file("editions/editions.css")
    figures.setup(app)  # notebooks' figures drawn again in the page's language
    tables.setup(app)  # notebooks' stored tables in the page's language
    toggles.setup(app)  # hidden cells' and sidebars' toggles in the page's language
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
