# A two-page book for the extensions' own tests (tests/test_extensions.py): plain Sphinx with the
# book's theme and extensions, no notebooks. The test puts the book's _ext/ on sys.path.
project = "Two pages"
author = "The test authors"
extensions = ["sphinx_exercise", "live_calculators", "editions"]
html_theme = "sphinx_book_theme"
html_theme_options = {"search_bar_text": "Search this book..."}
exclude_patterns = ["_build", "locale"]
locale_dirs = ["locale/"]
gettext_compact = False
gettext_location = False


def setup(app):
    """``.. notebook-output::``: a stand-in for myst-nb's cell output container, whose class
    (``cell_output``, with an underscore) reStructuredText's own container cannot give."""
    from docutils import nodes
    from docutils.parsers.rst import Directive

    class NotebookOutput(Directive):
        has_content = True

        def run(self):
            node = nodes.container(classes=["cell_output"])
            self.state.nested_parse(self.content, self.content_offset, node)
            return [node]

    app.add_directive("notebook-output", NotebookOutput)
