"""The theme's icons without Font Awesome's JavaScript.

pydata-sphinx-theme loads Font Awesome twice: its stylesheet draws every ``<i class="fa-...">``
icon from a web font, and every page also loads ``fontawesome.js`` (1.5 MB) so that authors can
add custom SVG icons, which this book does not. :func:`drop_script` takes that script out of
each page as it is written; the icons stay, drawn by the font. :func:`subset_fonts` then cuts the
theme's icon fonts down to the icons the pages use (``fontTools``; WOFF2 needs ``brotli``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

_SCRIPT = re.compile(r'[ \t]*<script\b[^>]*\bsrc="[^"]*fontawesome\.js[^"]*"[^>]*></script>\n?')
_ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+\b")
#: Icons the theme's script adds to a page after it loads (the search dialog's close button).
SCRIPTED_ICONS = ("fa-xmark",)
#: Classes that change an icon's size or spacing, not which glyph it draws.
_MODIFIERS = {"fa-lg", "fa-xs", "fa-sm", "fa-xl", "fa-2x", "fa-3x", "fa-fw", "fa-solid",
              "fa-brands", "fa-regular", "fa-spin"}


def drop_script(page: str) -> str:
    """A written page without the ``<script src=".../fontawesome.js">`` tag."""
    return _SCRIPT.sub("", page)


def icon_names(page: str) -> set[str]:
    """The Font Awesome icons a page draws (``fa-github``, ...), without size classes."""
    names = set()
    for classes in re.findall(r'class="([^"]*\bfa[bsr]?\b[^"]*|[^"]*\bfa-[^"]*)"', page):
        names |= {c for c in _ICON_CLASS.findall(classes) if c not in _MODIFIERS}
    return names


def codepoints(stylesheet: str, names: Iterable[str]) -> set[int]:
    """The characters the theme's stylesheet gives those icons (``.fa-github:before{content:
    "\\f09b"}``)."""
    found = set()
    for name in names:
        match = re.search(rf'\.{re.escape(name)}:before[^{{]*\{{content:"\\([0-9a-f]+)"',
                          stylesheet)
        if match:
            found.add(int(match.group(1), 16))
    return found


def subset_fonts(static: Path, names: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Cut each of the theme's icon fonts (WOFF2 and TrueType) to the glyphs of ``names``, in
    place; returns file -> (bytes before, bytes after). Without fontTools or brotli the fonts
    stay whole."""
    try:
        import brotli  # noqa: F401 - fontTools writes WOFF2 with it
        from fontTools import subset
    except ImportError:
        return {}
    stylesheet = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                           for p in (static / "styles").glob("*.css"))
    wanted = codepoints(stylesheet, set(names) | set(SCRIPTED_ICONS))
    sizes = {}
    for font in sorted((static / "vendor" / "fontawesome").rglob("fa-*")):
        if font.suffix not in (".woff2", ".ttf"):
            continue
        before = font.stat().st_size
        options = subset.Options()
        options.flavor = "woff2" if font.suffix == ".woff2" else None
        options.layout_features = ["*"]
        loaded = subset.load_font(str(font), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(loaded)
        subset.save_font(loaded, str(font), options)
        sizes[font.name] = (before, font.stat().st_size)
    return sizes
