"""What the site ships for its calculators, and the offline site's assets.

* ``config-inited``: the extension's stylesheet and scripts folder; MathJax from the site's own
  copy instead of a CDN.
* ``builder-inited``: every pinned npm package fetched and verified (:mod:`.assets`), the page
  scripts added.
* ``build-finished``: Pyodide, Chart.js and MathJax copied into the site, the package bundle
  (:mod:`.bundle`) written under a name made of its hash, the worker, ``manifest.json`` (file
  sizes for the progress bar), the licences; in another language, the catalogue its results
  are written in.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

from . import assets, i18n
from .bundle import BOOK_ROOT, bundle_bytes
from .form import LIVE_DIR, WORDS_FILE

HERE = Path(__file__).resolve().parent
MATHJAX_PATH = "mathjax/tex-mml-chtml.js"  # relative to _static, as Sphinx wants it
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")

logger = logging.getLogger(__name__)


#: File types a static host sends compressed (``tools/serve.py`` does too); zips go as they are.
COMPRESSED_ON_THE_WIRE = (".mjs", ".js", ".wasm", ".json")


def wire_size(name: str, data: bytes) -> int:
    """The bytes ``data`` (a file called ``name``) takes on the wire from a static host: gzip
    at its usual level for text and WebAssembly (brotli, where a host sends it, is a little
    smaller), the file itself for a zip."""
    if name.endswith(COMPRESSED_ON_THE_WIRE):
        return len(gzip.compress(data, compresslevel=6, mtime=0))
    return len(data)


def runtime_files(app: Sphinx) -> dict[str, tuple[int, int]]:
    """The files a reader downloads on the first click, as the built site ships them: file name
    -> (bytes, bytes on the wire). The runtime's files (the standard library as the ``reader``
    extension trims it, when it is loaded) and the package bundle; worked out once per build."""
    if not hasattr(app, "_ec2vl_runtime_files"):
        folder = assets.ensure(assets.PYODIDE)
        files = {name: (folder / name).read_bytes() for name in RUNTIME_FILES}
        if "reader" in app.extensions:
            from reader import trimmed_stdlib

            files["python_stdlib.zip"] = trimmed_stdlib()
        bundle = bundle_bytes()
        files[bundle_name(bundle)] = bundle
        app._ec2vl_runtime_files = {name: (len(data), wire_size(name, data))
                                    for name, data in files.items()}
    return app._ec2vl_runtime_files


def runtime_bytes(app: Sphinx) -> int:
    """What a reader's first click really downloads: the runtime and the package, in bytes on
    the wire (compressed as a static host sends them, the standard library trimmed)."""
    return sum(wire for _size, wire in runtime_files(app).values())


def bundle_name(bundle: bytes) -> str:
    """The package bundle's file name in the site: made of its hash, so a new build that
    changes it gives it a new name."""
    return f"ec2vslambda-{hashlib.sha256(bundle).hexdigest()[:12]}.zip"


def on_config_inited(app: Sphinx, config: Config) -> None:
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
    assets.copy_tree(folders["pyodide"], live_dir / "pyodide")
    assets.copy_tree(folders["chart.js"] / "dist", live_dir / "chartjs")
    assets.copy_tree(folders["mathjax"] / "es5", out / "_static" / "mathjax")
    bundle = bundle_bytes()
    name = bundle_name(bundle)
    for old in live_dir.glob("ec2vslambda-*.zip"):
        old.unlink()
    (live_dir / name).write_bytes(bundle)
    assets.mark_immutable(live_dir / name)  # named by its hash: a new build, a new name
    (live_dir / "worker.mjs").write_bytes((HERE / "browser" / "worker.mjs").read_bytes())
    # "bytes": each file as the site holds it (the worker counts what it receives against
    # them); "wire": what it weighs compressed, which the progress line reports
    shipped = runtime_files(app)
    samples = live_dir / "samples"  # the traffic samples a file field loads with one button
    samples.mkdir(exist_ok=True)
    for path in sorted((BOOK_ROOT / "data" / "traffic").iterdir()):
        (samples / path.name).write_bytes(path.read_bytes())
    manifest = {
        "bundle": name,
        "pyodide": assets.PYODIDE.version,
        "chartjs": assets.CHARTJS.version,
        "bytes": {f: (live_dir / "pyodide" / f).stat().st_size for f in RUNTIME_FILES}
        | {name: len(bundle)},
        "wire": {f: wire for f, (_size, wire) in shipped.items()},
    }
    (live_dir / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    licences = [f"{p.label}: {p.licence}" for p in assets.PACKAGES]
    (live_dir / "LICENSES.txt").write_text(
        "Third-party files shipped with this site, unchanged from their npm packages:\n"
        + "\n".join(licences) + "\n", encoding="utf-8")
    logger.info(f"live calculators: runtime {sum(manifest['bytes'].values()) / 1e6:.1f} MB, "
                f"{runtime_bytes(app) / 1e6:.1f} MB on the wire once trimmed and compressed; "
                f"package bundle {len(bundle) / 1e3:.0f} kB")
