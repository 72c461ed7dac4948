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

On click, ``live.js`` starts a Web Worker (``worker.mjs``) that loads the Pyodide runtime and
the course package, both shipped with the site, and from then on every input change runs
``ec2vslambda.live.compute`` there: the same function the notebook calls. The first page of a
visit keeps a snapshot of the started interpreter in the browser's Cache Storage, so that later
pages start in about a second instead of three. Results are drawn with
Chart.js. The extension also makes the whole site work offline: it fetches Pyodide, Chart.js and
MathJax from the npm registry at build time, pinned and verified (:mod:`.assets`), copies them
into the site, and points MathJax at the local copy.

Testing contract: each calculator's element carries ``data-calculator="NAME"``; after each
recompute it carries ``data-inputs`` (JSON of the inputs used) and either ``data-result`` (JSON
of ``compute``'s return) or ``data-error`` (the message).
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import zipfile
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import assets, i18n

HERE = Path(__file__).resolve().parent
BOOK_ROOT = HERE.parent.parent
LIVE_DIR = "_live"  # in the built site: runtime, package bundle, worker
WORDS_FILE = "words.json"  # in an edition in another language: its results' catalogue
MATHJAX_PATH = "mathjax/tex-mml-chtml.js"  # relative to _static, as Sphinx wants it
BUNDLE_EXCLUDE = ("widgets",)  # ipywidgets front ends: not for the browser
DATA_EXCLUDE = re.compile(r"trace|replay", re.IGNORECASE)  # large data no calculator reads

logger = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(
    r'<div class="ec2vl-live" data-calculator="(?P<name>[a-z0-9_]+)" '
    r'data-defaults="(?P<defaults>[^"]*)">.*?</div>', re.DOTALL)


# --- the package bundle the browser loads -----------------------------------------------------

def bundle_bytes() -> bytes:
    """A zip of the course package's modules and data, as the worker unpacks it.

    The CSV files go to ``ec2vslambda/_data/``, where an installed package looks for them.
    Entries are written in a fixed order with a fixed date, so the same sources give the same
    bytes (and the same cache-busting name).
    """
    package = BOOK_ROOT / "ec2vslambda"
    files: list[tuple[str, bytes]] = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] in BUNDLE_EXCLUDE or "__pycache__" in relative.parts:
            continue
        files.append((f"ec2vslambda/{relative.as_posix()}", path.read_bytes()))
    for path in sorted((BOOK_ROOT / "data").glob("*.csv")):
        if not DATA_EXCLUDE.search(path.name):
            files.append((f"ec2vslambda/_data/{path.name}", path.read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


# --- the form ---------------------------------------------------------------------------------

def _field_html(calculator: str, field: dict, value: object, uid: str, t) -> str:
    key = field["key"]
    ident = f"{uid}-{key}"
    label = html.escape(t(field["label"]))
    unit = t(field.get("unit") or "")
    unit_html = f' <span class="ec2vl-unit">({html.escape(unit)})</span>' if unit else ""
    error = (f'<span class="ec2vl-error" id="{ident}-error" role="alert" '
             'aria-live="assertive"></span>')
    described = f'aria-describedby="{ident}-error"'
    common = f'id="{ident}" name="{html.escape(key)}" data-kind="{field["kind"]}" {described}'
    hint = field.get("help")
    help_html = (f'<span class="ec2vl-help">{html.escape(t(hint))}</span>' if hint else "")
    if field["kind"] == "flag":
        checked = " checked" if value else ""
        return (f'<div class="ec2vl-field ec2vl-flag"><input type="checkbox" {common}{checked}>'
                f'<label for="{ident}">{label}</label>{help_html}{error}</div>')
    if field["kind"] == "choice":
        options = []
        for index, (option, shown) in enumerate(zip(field["options"], field["option_labels"],
                                                    strict=True)):
            selected = " selected" if option == value else ""
            options.append(f'<option value="{index}"{selected}>{html.escape(t(shown))}</option>')
        choices = html.escape(json.dumps(field["options"]), quote=True)
        control = f'<select {common} data-options="{choices}">{"".join(options)}</select>'
    else:
        step = field.get("step")
        attributes = [f'step="{step if step is not None else "any"}"']
        for name, attribute in (("minimum", "min"), ("maximum", "max")):
            if field.get(name) is not None and field["kind"] != "number":
                attributes.append(f'{attribute}="{field[name]}"')
        shown = int(value) if isinstance(value, float) and value.is_integer() else value
        control = (f'<input type="number" inputmode="decimal" {common} value="{shown}" '
                   f'{" ".join(attributes)}>')
    return (f'<div class="ec2vl-field"><label for="{ident}">{label}{unit_html}</label>'
            f'{control}{help_html}{error}</div>')


def table_html(table: dict | None) -> str:
    """A result's table as the browser script draws it (``drawTable`` in ``live.js``)."""
    if not table or not table["rows"]:
        return ""
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in table["columns"])
    rows = "".join(
        "<tr>" + "".join(f'<th scope="row">{html.escape(v)}</th>' if i == 0
                         else f"<td>{html.escape(v)}</td>" for i, v in enumerate(row)) + "</tr>"
        for row in table["rows"])
    return (f'<table class="ec2vl-result-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{rows}</tbody></table>')


def render_box(name: str, defaults: dict, uid: str, language: str,
               runtime_bytes: int = 0, assets: str = "") -> str:
    """The live calculator's HTML: a form of real controls, the button, status and result."""
    from ec2vslambda import live

    t = i18n.translator(language)
    spec = live.spec(name)
    values = live.calculator(name).inputs(defaults)
    fields = "".join(_field_html(name, f, values[f["key"]], uid, t) for f in spec["fields"])
    data = html.escape(json.dumps(values, sort_keys=True), quote=True)
    intro = f'<p class="ec2vl-intro">{html.escape(t(spec["intro"]))}</p>' if spec["intro"] else ""
    title = html.escape(t(spec["title"]))
    ui = i18n.ui(language)
    ui["note"] = ui["note"].format(mb=f"{runtime_bytes / 1e6:.0f}")
    ui_data = html.escape(json.dumps(ui, ensure_ascii=False), quote=True)
    return (
        f'<div class="ec2vl-live" data-calculator="{name}" data-defaults="{data}" '
        f'data-ui="{ui_data}" data-assets="{html.escape(assets)}{LIVE_DIR}/" id="{uid}" '
        + (f'data-words="{LIVE_DIR}/{WORDS_FILE}" ' if language != "en" else "") +
        f'lang="{language}">'
        f'<p class="ec2vl-title"><b>{title}</b> · {html.escape(ui["badge"])}</p>{intro}'
        f'<div class="ec2vl-start"><button type="button" class="ec2vl-go">'
        f'{html.escape(ui["button"])}</button> <span class="ec2vl-note">'
        f'{html.escape(ui["note"])}</span></div>'
        f'<div class="ec2vl-status" role="status" aria-live="polite"></div>'
        f'<progress class="ec2vl-progress" max="1" value="0" hidden></progress>'
        f'<form class="ec2vl-form" novalidate><fieldset disabled>'
        f'<legend class="ec2vl-legend">{html.escape(ui["legend"])}</legend>{fields}'
        f'</fieldset></form>'
        f'<div class="ec2vl-output" aria-live="polite"><p class="ec2vl-summary">'
        f'{html.escape(ui["before"])}</p><div class="ec2vl-table"></div>'
        f'<div class="ec2vl-chart" hidden><canvas role="img" aria-label="{title}"></canvas>'
        f'</div></div></div>')


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


RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")


def runtime_bytes(app: Sphinx) -> int:
    """What a reader downloads on the first click: the runtime's files and the package."""
    if not hasattr(app, "_ec2vl_runtime_bytes"):
        folder = assets.ensure(assets.PYODIDE)
        app._ec2vl_runtime_bytes = (sum((folder / f).stat().st_size for f in RUNTIME_FILES)
                                    + len(bundle_bytes()))
    return app._ec2vl_runtime_bytes


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


class LiveCalculatorDirective(SphinxDirective):
    """``{live-calculator} NAME`` with an optional ``:inputs:`` JSON object of defaults."""

    required_arguments = 1
    option_spec = {"inputs": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        from ec2vslambda import live

        try:
            inputs = json.loads(self.options.get("inputs") or "{}")
            placeholder = live.placeholder_html(self.arguments[0], inputs)
        except (ValueError, json.JSONDecodeError) as error:
            raise self.error(f"live-calculator {self.arguments[0]!r}: {error}") from None
        return [nodes.raw("", placeholder, format="html")]


# --- assets -----------------------------------------------------------------------------------

def on_config_inited(app: Sphinx, config) -> None:
    config.html_static_path.append(str(HERE / "static"))
    from sphinx.ext.mathjax import MATHJAX_URL

    if config.mathjax_path in (MATHJAX_URL, "", None):
        # the copy this extension ships, not a CDN; in an edition that shares another site's
        # assets, that site's copy (Sphinx puts the path under this site's _static/)
        shared = config.live_calculators_assets
        config.mathjax_path = f"../{shared}_static/{MATHJAX_PATH}" if shared else MATHJAX_PATH


def on_builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    try:
        for package in assets.PACKAGES:
            assets.ensure(package)
    except assets.AssetError as error:
        raise ExtensionError(str(error)) from None
    app.add_js_file("live/live.js", defer="defer")
    app.add_css_file("live/live.css")


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    language = app.config.language or "en"
    if language != "en":  # the catalogue this edition's results are written in
        words = Path(app.outdir) / LIVE_DIR / WORDS_FILE
        words.parent.mkdir(parents=True, exist_ok=True)
        words.write_text(json.dumps(i18n.result_words(language), ensure_ascii=False,
                                    sort_keys=True), encoding="utf-8")
    if app.config.live_calculators_assets:  # another site (the English one) ships them
        return
    out = Path(app.outdir)
    live_dir = out / LIVE_DIR
    folders = {p.name: Path(assets.ensure(p)) for p in assets.PACKAGES}
    sizes = {}
    sizes["pyodide"] = assets.copy_tree(folders["pyodide"], live_dir / "pyodide")
    sizes["chartjs"] = assets.copy_tree(folders["chart.js"] / "dist", live_dir / "chartjs")
    assets.copy_tree(folders["mathjax"] / "es5", out / "_static" / "mathjax")
    bundle = bundle_bytes()
    digest = hashlib.sha256(bundle).hexdigest()[:12]
    bundle_name = f"ec2vslambda-{digest}.zip"
    for old in live_dir.glob("ec2vslambda-*.zip"):
        old.unlink()
    (live_dir / bundle_name).write_bytes(bundle)
    assets.mark_immutable(live_dir / bundle_name)  # named by its hash: a new build, a new name
    (live_dir / "worker.mjs").write_bytes((HERE / "browser" / "worker.mjs").read_bytes())
    manifest = {
        "bundle": bundle_name,
        "pyodide": assets.PYODIDE.version,
        "chartjs": assets.CHARTJS.version,
        "bytes": {f: (live_dir / "pyodide" / f).stat().st_size for f in RUNTIME_FILES}
        | {bundle_name: len(bundle)},
    }
    (live_dir / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    licences = [f"{p.label}: {p.licence}" for p in assets.PACKAGES]
    (live_dir / "LICENSES.txt").write_text(
        "Third-party files shipped with this site, unchanged from their npm packages:\n"
        + "\n".join(licences) + "\n", encoding="utf-8")
    logger.info(f"live calculators: runtime {sum(manifest['bytes'].values()) / 1e6:.1f} MB, "
                f"package bundle {len(bundle) / 1e3:.0f} kB")


# --- no Thebe -----------------------------------------------------------------------------------
# Jupyter Book always loads sphinx-thebe, which writes Thebe's unpkg URL, its script and a Binder
# configuration into every page even when launch_buttons.thebe is off. With Thebe off, nothing
# can use them, and a page that names a CDN it could load from breaks the site's promise to load
# only from itself; so they are left out.

_THEBE_MARKS = ("text/x-thebe-config", "<script>kernelName = ")


def thebe_enabled(app: Sphinx) -> bool:
    options = getattr(app.config, "html_theme_options", None) or {}
    launch = options.get("launch_buttons") or {}
    return bool(launch.get("thebe")) or bool((app.config.thebe_config or {}).get("always_load"))


def drop_thebe_nodes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if thebe_enabled(app):
        return
    for node in list(doctree.findall(nodes.raw)):
        if any(mark in node.astext() for mark in _THEBE_MARKS):
            node.parent.remove(node)


def drop_thebe_assets(app: Sphinx, pagename: str, templatename: str, context: dict,
                      doctree) -> None:
    if thebe_enabled(app):
        return
    for key in ("script_files", "css_files"):
        if key in context:
            # an asset's text names its file, or its body for an inline script
            context[key] = [f for f in context[key] if "thebe" not in str(f).lower()]


def setup(app: Sphinx) -> dict:
    # Where this site's runtime, package and MathJax are, relative to its root: "" (it ships
    # them), or e.g. "../" for an edition under the English site that shares the English copies.
    app.add_config_value("live_calculators_assets", "", "html")
    app.add_directive("live-calculator", LiveCalculatorDirective)
    app.connect("config-inited", on_config_inited)
    app.connect("builder-inited", on_builder_inited)
    app.connect("doctree-resolved", expand_placeholders)
    app.connect("build-finished", on_build_finished)
    app.connect("doctree-resolved", drop_thebe_nodes, priority=900)  # after sphinx-thebe's
    app.connect("html-page-context", drop_thebe_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
