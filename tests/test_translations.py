"""The Korean edition's catalogues: complete, current, and faithful to the English markup.

* Every entry of every catalogue is translated and none is fuzzy (an English change that was not
  carried over shows up here, page by page).
* The catalogues match the current English text: each page's msgids are exactly what the
  extraction gives today (``make translations`` updates them).
* A translation keeps what must not change: the target of every role (glue keys, citations,
  cross-references, glossary terms, documents), inline code, link addresses and mathematics.
  Words may move and labels may be translated (``{term}`실행 환경 <execution environment>```).
"""

from __future__ import annotations

import collections
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import translations  # noqa: E402

LANGUAGES = tuple(translations.EDITIONS)
CATALOGUES = [(lang, path) for lang in LANGUAGES for path in translations.catalogues(lang)]
IDS = [str(path.relative_to(translations.LOCALE)) for _lang, path in CATALOGUES]

polib = pytest.importorskip("polib")

#: The editions are switched on when _config.yml loads the editions extension (the English pages
#: then link to their Korean twins, which must exist and be complete).
SWITCHED_ON = ("editions:" in (ROOT / "_config.yml").read_text(encoding="utf-8")
               or os.environ.get("EDITIONS_TESTS") == "1")
pytestmark = pytest.mark.skipif(not SWITCHED_ON, reason="the Korean edition is not switched on "
                                "yet (_config.yml does not load _ext/editions)")

_ROLE = re.compile(r"\{(?P<role>[a-z][\w:-]*)\}`(?P<body>[^`]*)`")
_CODE = re.compile(r"(?<![`}])(`+)(?!`)(?P<code>.+?)(?<!`)\1(?!`)")
_LINK = re.compile(r"\]\((?P<url>[^)\s]+)\)|<(?P<auto>https?://[^>\s]+)>|\bhttps?://[^\s)>\]]+")
# MyST's dollarmath: $$...$$, or $...$ opened by a $ before a non-space and closed by a $ after a
# non-space and not before a digit ("$24.53 and $0.40" is money); an escaped \$ is a dollar sign
_MATH = re.compile(r"\$\$.+?\$\$|(?<!\\)\$(?=\S)(?:[^$\\]|\\.)*?(?<=\S)(?<!\\)\$(?!\d)")
#: roles whose whole content is a key (nothing in it is shown as words)
_KEY_ROLES = {"footcite", "footcite:p", "footcite:t", "cite", "cite:p", "cite:t", "eq",
              "glue", "glue:text", "glue:md", "glue:any", "glue:figure", "glue:math",
              "math"}


def _role_target(role: str, body: str) -> str:
    if role in _KEY_ROLES:
        return body
    explicit = re.search(r"<([^<>]+)>\s*$", body)
    return explicit.group(1).strip() if explicit else body.strip()


def invariants(text: str) -> collections.Counter:
    """What a translation must keep: roles with their targets, inline code, links, maths."""
    found: collections.Counter = collections.Counter()
    for match in _ROLE.finditer(text):
        found[("role", match.group("role"), _role_target(match.group("role"),
                                                         match.group("body")))] += 1
    stripped = _ROLE.sub(" ", text)
    for match in _CODE.finditer(stripped):
        found[("code", match.group("code"))] += 1
    for match in _LINK.finditer(stripped):
        url = match.group("url") or match.group("auto") or match.group(0)
        found[("link", url)] += 1
    for match in _MATH.finditer(_CODE.sub(" ", stripped)):
        found[("math", match.group(0))] += 1
    return found


def test_invariants_see_roles_code_links_and_maths():
    text = ("Use {term}`layers <layer>` and {glue:text}`n_types` types, `pip install` and "
            "[the docs](https://aws.amazon.com/lambda/) with $p = 0.5$ {footcite:p}`a,b`.")
    found = invariants(text)
    assert found[("role", "term", "layer")] == 1
    assert found[("role", "glue:text", "n_types")] == 1
    assert found[("role", "footcite:p", "a,b")] == 1
    assert found[("code", "pip install")] == 1
    assert found[("link", "https://aws.amazon.com/lambda/")] == 1
    assert found[("math", "$p = 0.5$")] == 1
    korean = ("{term}`레이어 <layer>`와 {glue:text}`n_types`개 유형, `pip install`, "
              "[문서](https://aws.amazon.com/lambda/), $p = 0.5$ {footcite:p}`a,b`.")
    assert invariants(korean) == found
    assert invariants(korean.replace("n_types", "n_type")) != found
    assert invariants("{term}`실행 환경`") != invariants("{term}`execution environment`")
    assert invariants("{term}`실행 환경 <execution environment>`") == invariants(
        "{term}`execution environment`")
    money = invariants("**The fleet costs $24.53 a month, so $23.13 of it is idle.**")
    assert not [k for k in money if k[0] == "math"]
    assert not [k for k in invariants(r"비용은 \$24.53이고 \$23.13입니다") if k[0] == "math"]


def test_there_are_catalogues_for_every_page():
    assert CATALOGUES, "no catalogues: run `make translations`"
    toc_pages = {f"{d}.po" for d in _toc_docnames()}
    for language in LANGUAGES:
        base = translations.LOCALE / language / "LC_MESSAGES"
        have = {p.relative_to(base).as_posix() for p in translations.catalogues(language)}
        missing = sorted(toc_pages - have)
        assert not missing, f"{language}: pages without a catalogue: {missing}"
        assert f"{translations.BOOK_CATALOGUE}.po" in have


def _toc_docnames() -> list[str]:
    from tests import site_check

    return site_check.read_toc(ROOT / "_toc.yml")


@pytest.mark.parametrize(("language", "path"), CATALOGUES, ids=IDS)
def test_catalogue_is_complete(language, path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid[:70] for e in po.untranslated_entries()]
    fuzzy = [e.msgid[:70] for e in po.fuzzy_entries()]
    assert not untranslated and not fuzzy, (
        f"{path.name}: {len(untranslated)} untranslated, {len(fuzzy)} fuzzy; the first: "
        f"{(fuzzy + untranslated)[:3]} (a change to English text updates its {language} string "
        "in the same commit: `make translations`, then translate)")


@pytest.mark.parametrize(("language", "path"), CATALOGUES, ids=IDS)
def test_translation_keeps_roles_code_links_and_maths(language, path):
    po = polib.pofile(str(path))
    problems = []
    for entry in po.translated_entries():
        want, got = invariants(entry.msgid), invariants(entry.msgstr)
        if want != got:
            lost = sorted((want - got).elements())[:3]
            added = sorted((got - want).elements())[:3]
            problems.append(f"{entry.msgid[:60]!r}: lost {lost}, added {added}")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems[:10])


@pytest.mark.parametrize(("language", "path"), CATALOGUES, ids=IDS)
def test_catalogue_compiles(language, path, tmp_path):
    # syntax only: Babel flags any msgid with a % as python-format, and "1% of" is no format
    compiled = tmp_path / "x.mo"
    if _has_msgfmt():
        done = subprocess.run(["msgfmt", "-o", str(compiled), str(path)], capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
    else:
        polib.pofile(str(path)).save_as_mofile(str(compiled))
    assert compiled.stat().st_size > 0


def _has_msgfmt() -> bool:
    from shutil import which

    return which("msgfmt") is not None


def test_catalogues_match_the_current_english_text():
    """Each catalogue holds exactly the messages the English pages have today."""
    pot_dir = translations.POT_DIR
    if not (pot_dir / f"{translations.BOOK_CATALOGUE}.pot").exists():
        pytest.skip("no extraction in _build/i18n: `make book` (or `make translations`) makes it")
    stale = []
    for pot in sorted(pot_dir.rglob("*.pot")):
        relative = pot.relative_to(pot_dir).with_suffix(".po")
        english = {e.msgid for e in polib.pofile(str(pot)) if e.msgid}
        for language in LANGUAGES:
            po_path = translations.LOCALE / language / "LC_MESSAGES" / relative
            if not po_path.exists():
                stale.append(f"{language}/{relative}: missing")
                continue
            translated = {e.msgid for e in polib.pofile(str(po_path)) if not e.obsolete}
            if english != translated:
                new, gone = len(english - translated), len(translated - english)
                stale.append(f"{language}/{relative}: {new} new English strings, {gone} gone")
    assert not stale, "catalogues older than the English text (run `make translations`): " + \
        "; ".join(stale[:8])


# --- the themes' interface on a translated page ------------------------------------------------

#: Interface text every page shows, by CSS selector, and the attribute that holds it ("" for the
#: element's text): the skip link, the back-to-top button, the search box, the author line whose
#: "By" the book theme's Korean catalogue got wrong, the issue button and the heading links.
CHROME = (("#pst-skip-link a", ""), ("#pst-back-to-top", ""), ("input[name=q]", "placeholder"),
          ("p.component-author", ""), (".dropdown-source-buttons .btn__text-container", ""),
          ("a.headerlink", "title"), ("button.theme-switch-button", "title"))


def _edition_pages(language: str) -> list[Path]:
    from tests.conftest import HTML_DIR

    folder = HTML_DIR / translations.EDITIONS[language]
    return [folder / f"{d}.html" for d in _toc_docnames() if (folder / f"{d}.html").exists()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_themes_interface_is_translated(language):
    from bs4 import BeautifulSoup

    pages = _edition_pages(language)
    if not pages:
        pytest.skip(f"the {language} edition is not built (`make book`)")
    english = []
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for selector, attribute in CHROME:
            for element in soup.select(selector):
                text = (element.get(attribute, "") if attribute
                        else element.get_text(" ", strip=True))
                if text and not re.search("[가-힣]", text):
                    english.append(f"{page.name}: {selector} {text!r}")
    assert not english, f"{len(english)} English interface strings, e.g. {english[:5]}"
