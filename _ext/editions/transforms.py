"""Transforms that make exercises and figures translatable, and keep translated doctrees small.

* Exercise titles: sphinx-exercise makes them without a source line, and Sphinx extracts and
  translates only text that has one (:class:`TranslatableExerciseTitles`,
  :class:`ExtractExerciseTitles`); solution headings then use the translated title
  (:class:`TranslatedExercisesInRegistry`).
* Notebook figures' alt texts, which myst-nb draws only after reading
  (:class:`ExtractFigureAltTexts`, :class:`TranslateFigureAltTexts`).
* Translated nodes point back at their page's document (:class:`AdoptTranslatedNodes`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from .languages import DEFAULT


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


class ExtractNotebookTexts(SphinxPostTransform):
    """For the gettext builder only: texts a notebook stores but myst-nb draws only after
    reading (or not at all for this builder), each copied once into a paragraph of the page, so
    that they land in its catalogue. A subclass says which texts (:meth:`texts`)."""

    builders = ("gettext",)
    default_priority = 10  # after myst-nb's choice of output format (4)

    def texts(self, notebook: Path) -> Iterable[str]:
        raise NotImplementedError

    def run(self, **kwargs) -> None:
        source = self.document.get("source", "")
        if not source.endswith(".ipynb"):
            return
        seen: set[str] = set()
        for text in self.texts(Path(source)):
            if text in seen:
                continue
            seen.add(text)
            copy = nodes.paragraph(text, text)
            copy.source, copy.line, copy.uid = source, 1, ""
            self.document.append(copy)


class ExtractFigureAltTexts(ExtractNotebookTexts):
    """Each notebook figure's alt text, the cell's ``mystnb.image.alt`` metadata (the text
    myst-nb gives the figure's ``<img alt>``): Sphinx's extraction and translation never see it,
    as myst-nb draws a cell's figure only after reading. :class:`TranslateFigureAltTexts`
    applies the translation."""

    def texts(self, notebook: Path) -> Iterable[str]:
        import json

        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
        for cell in cells:
            alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
            if alt:
                yield alt


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
