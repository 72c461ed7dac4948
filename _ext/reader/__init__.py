"""The book wherever readers are: phones, screen readers, dark mode, paper, slow links.

``setup`` only connects events; each job lives in a module of its own:

* :mod:`.pages` rewrites each page's body (tables that scroll in labelled regions, figures that
  open full size, the bibliography's list roles, solutions printed at the end, numbers kept
  with their units);
* :mod:`.icons` leaves out Font Awesome's 1.5 MB script and cuts the icon fonts to the icons
  the pages draw;
* :mod:`.stdlib` trims the Python standard library the browser downloads to what the book's
  Python imports;
* ``static/reader/reader.css`` holds the layout for phones, dark mode and print, and the
  favicon.

Words a rewrite adds to a page are translated from the edition's ``book.po`` (see
``tools/translations.py``, which extracts :data:`.pages.WORDS`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import zipfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from . import furniture, icons, pages, stdlib

HERE = Path(__file__).resolve().parent
BOOK_ROOT = HERE.parent.parent
FAVICON = HERE / "static" / "reader" / "favicon.svg"

logger = logging.getLogger(__name__)


def _words(app: Sphinx) -> dict[str, str]:
    from live_calculators import i18n  # the book.po reader the calculators use

    t = i18n.translator(app.config.language or "en")
    return {key: t(text) for key, text in pages.WORDS.items()}


def on_config_inited(app: Sphinx, config) -> None:
    config.html_static_path.append(str(HERE / "static"))
    if not config.html_favicon:
        config.html_favicon = str(FAVICON)


def on_builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    app.add_css_file("reader/reader.css")
    from live_calculators import assets

    try:  # for the accessibility tests, which run offline: fetched with the site's assets
        assets.ensure(assets.AXE_CORE)
    except assets.AssetError as error:
        logger.info(f"reader: axe-core is not cached ({error}); the accessibility tests skip")
    app._reader_icons = set()
    templates = getattr(app.builder, "templates", None)
    if templates is None:
        return
    render = templates.render

    language = app.config.language or "en"
    to_root = app.config.live_calculators_assets  # "../" from an edition under the English site

    def render_page(template: str, context: dict) -> str:
        page = furniture.search_named_by_its_text(icons.drop_script(render(template, context)))
        if "pathto" in context:
            href = context["pathto"](
                f"{to_root}{furniture.SITE_FOLDER}/{furniture.pdf_name(language)}", 1)
            page = furniture.pdf_link(page, href, _words(app)["pdf"])
        app._reader_icons |= icons.icon_names(page)
        return page

    templates.render = render_page


def on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict,
                    doctree) -> None:
    if app.builder.format != "html" or "body" not in context:
        return
    context["body"] = pages.rewrite_body(context["body"], _words(app))


@functools.cache
def _trimmed_stdlib() -> tuple[bytes, int]:
    import sys

    sys_path_entry = str(BOOK_ROOT)
    if sys_path_entry not in sys.path:
        sys.path.insert(0, sys_path_entry)
    from live_calculators import assets

    from ec2vslambda import live as live_package

    original = assets.ensure(assets.PYODIDE) / "python_stdlib.zip"
    roots = stdlib.package_roots(BOOK_ROOT / "ec2vslambda",
                                 [f"ec2vslambda.live.{m}" for m in live_package.MODULES.values()])
    with zipfile.ZipFile(original) as archive:
        keep = stdlib.selection(stdlib.zip_sources(archive), roots)
        return stdlib.trimmed_zip(archive, keep), len(keep)


def trimmed_stdlib() -> bytes:
    """The ``python_stdlib.zip`` the built site ships: only the modules the book's Python
    imports (made once per build; the calculators' button counts its size before it is
    written)."""
    return _trimmed_stdlib()[0]


def trim_stdlib(app: Sphinx, live: Path) -> None:
    """The built site's ``python_stdlib.zip``: only the modules the book's Python imports."""
    from live_calculators import assets

    original = assets.ensure(assets.PYODIDE) / "python_stdlib.zip"
    data, modules = _trimmed_stdlib()
    target = live / "pyodide" / "python_stdlib.zip"
    target.write_bytes(data)
    manifest_path = live / "manifest.json"
    if manifest_path.exists():  # the worker's progress counts the bytes it expects
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["bytes"]["python_stdlib.zip"] = len(data)
        manifest.setdefault("wire", {})["python_stdlib.zip"] = len(data)  # a zip goes as it is
        manifest["stdlib"] = {"modules": modules,
                              "sha256": hashlib.sha256(data).hexdigest()}
        manifest_path.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    logger.info(f"reader: standard library for the browser {original.stat().st_size / 1e6:.2f}"
                f" -> {len(data) / 1e6:.2f} MB ({modules} modules)")


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for name in ("fontawesome.js", "fontawesome.js.map", "fontawesome.js.LICENSE.txt"):
        (out / "_static" / "scripts" / name).unlink(missing_ok=True)
    sizes = icons.subset_fonts(out / "_static", getattr(app, "_reader_icons", set()))
    if sizes:
        before = sum(b for b, _a in sizes.values())
        after = sum(a for _b, a in sizes.values())
        logger.info(f"reader: icon fonts {before / 1e3:.0f} -> {after / 1e3:.0f} kB")
    (out / "favicon.ico").write_bytes(favicon_ico())
    if not app.config.live_calculators_assets and (out / "_live" / "pyodide").is_dir():
        trim_stdlib(app, out / "_live")


def favicon_ico() -> bytes:
    """``/favicon.ico`` (browsers ask for it at the root): the favicon's shape at 16 and 32 px,
    drawn with Pillow, for browsers and tools that do not read the SVG."""
    import io

    from PIL import Image, ImageDraw

    size = 64
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=12, fill=(201, 90, 0, 255))
    # a lambda, as in favicon.svg: a long stroke down to the right, a short one to the left
    draw.line((20, 12, 46, 54), fill="white", width=8)
    draw.line((33, 32, 18, 54), fill="white", width=8)
    buffer = io.BytesIO()
    image.save(buffer, format="ICO", sizes=[(16, 16), (32, 32)])
    return buffer.getvalue()


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", on_config_inited)
    app.connect("builder-inited", on_builder_inited)
    app.connect("html-page-context", on_page_context)
    # after live_calculators has copied the runtime into the site (priority 500)
    app.connect("build-finished", on_build_finished, priority=800)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
