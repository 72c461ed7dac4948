"""No Thebe.

Jupyter Book always loads sphinx-thebe, which writes Thebe's unpkg URL, its script and a Binder
configuration into every page even when launch_buttons.thebe is off. With Thebe off, nothing can
use them, and a page that names a CDN it could load from breaks the site's promise to load only
from itself; so they are left out.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

_THEBE_MARKS = ("text/x-thebe-config", "<script>kernelName = ")


def thebe_enabled(app: Sphinx) -> bool:
    options = getattr(app.config, "html_theme_options", None) or {}
    launch = options.get("launch_buttons") or {}
    thebe_config = getattr(app.config, "thebe_config", None) or {}
    return bool(launch.get("thebe")) or bool(thebe_config.get("always_load"))


def drop_thebe_nodes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if thebe_enabled(app):
        return
    for node in list(doctree.findall(nodes.raw)):
        if any(mark in node.astext() for mark in _THEBE_MARKS):
            node.parent.remove(node)


def drop_thebe_assets(app: Sphinx, pagename: str, templatename: str, context: dict,
                      doctree: nodes.document | None) -> None:
    if thebe_enabled(app):
        return
    for key in ("script_files", "css_files"):
        if key in context:
            # an asset's text names its file, or its body for an inline script
            context[key] = [f for f in context[key] if "thebe" not in str(f).lower()]
