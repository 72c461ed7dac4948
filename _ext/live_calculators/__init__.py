"""Live calculators on the static site: the course package computing in the reader's browser.

A calculator in a notebook (``ec2vslambda.widgets.calculator(name)``) leaves, besides its
ipywidgets view, a small HTML placeholder in its output (``ec2vslambda.live.placeholder_html``).
On the static site the widget cannot run; this extension turns the placeholder into a real form
built from the calculator's fields (labels with units, ``name`` equal to the input key), a
button, a progress line and a result area. The ``live-calculator`` directive does the same on
a Markdown page::

    ```{live-calculator} pricing
    :inputs: {"requests_per_month": 1000000}
    ```

On click, the page's scripts (``static/live/``: ``live.js`` loads the ES modules listed in
``main.mjs``) start a Web Worker (``browser/worker.mjs``) that loads the Pyodide runtime and
the course package, both shipped with the site, and from then on every input change runs
``ec2vslambda.live.compute`` there: the same function the notebook calls. The first page of a
visit keeps a snapshot of the interpreter, with the package imported, in the browser's Cache
Storage, made a second after its first result (so the first click does not wait for it), so
that later pages start in about a second instead of three. Results are drawn with Chart.js.
The extension also makes the whole site work offline: it fetches Pyodide, Chart.js and MathJax
from the npm registry at build time, pinned and verified (:mod:`.assets`), copies them into the
site, and points MathJax at the local copy.

The modules, by role:

=================  ============================================================================
:mod:`.directive`  the ``live-calculator`` directive (a placeholder, as a notebook cell leaves)
:mod:`.transforms` placeholders become forms; stored tables in the page's language
:mod:`.form`       the form's HTML, and a result's table as the browser draws it
:mod:`.i18n`       the interface's words in the page's language (theme strings)
:mod:`.bundle`     the package's modules the browser runs, and its data, as the worker's zip
:mod:`.publish`    what the site ships: runtime, bundle, worker, manifest, MathJax's path
:mod:`.assets`     pinned npm packages fetched, verified and cached
:mod:`.thebe`      Thebe's unused scripts left out of every page
=================  ============================================================================

Testing contract: each calculator's element carries ``data-calculator="NAME"``; after each
recompute it carries ``data-inputs`` (JSON of the inputs used) and either ``data-result`` (JSON
of ``compute``'s return) or ``data-error`` (the message).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import publish, thebe, transforms
from .directive import LiveCalculatorDirective


def setup(app: Sphinx) -> dict:
    # Where this site's runtime, package and MathJax are, relative to its root: "" (it ships
    # them), or e.g. "../" for an edition under the English site that shares the English copies.
    app.add_config_value("live_calculators_assets", "", "html")
    app.add_directive("live-calculator", LiveCalculatorDirective)
    app.connect("config-inited", publish.on_config_inited)
    app.connect("builder-inited", publish.on_builder_inited)
    app.connect("doctree-resolved", transforms.expand_placeholders)
    app.connect("build-finished", publish.on_build_finished)
    app.connect("doctree-resolved", thebe.drop_thebe_nodes, priority=900)  # after sphinx-thebe's
    app.connect("html-page-context", thebe.drop_thebe_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
