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
          ("a.headerlink", "title"), ("button.theme-switch-button", "title"),
          # the toggles: the sidebars' buttons, a hidden code cell's summary and its two prompts
          ("button.primary-toggle", "title"), ("button.secondary-toggle", "title"),
          ("details.hide > summary", "aria-label"), ("details.hide p.admonition-title", ""),
          (".dropdown-launch-buttons a", "title"))


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


# --- what the package wrote reads as the package's own templates ---------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_a_stored_result_reads_as_the_live_calculator_words_it(language):
    """A page's entry that a template of the package wrote (a calculator's stored result, a
    reason of the decision guide) is translated with that template's translation, filled with
    the same values, so the page and the live calculator cannot word it two ways
    (`python tools/translations.py derive` writes them)."""
    import derived

    retelling = derived.Retelling(derived.book_catalogue(language, translations.LOCALE), language)
    base = translations.LOCALE / language / "LC_MESSAGES"
    differ, count = [], 0
    for path in translations.catalogues(language):
        if path.name in ("book.po", "sphinx.po", "booktheme.po"):
            continue
        for entry in polib.pofile(str(path)).translated_entries():
            told = retelling.derive(entry.msgid)
            if told is None:
                continue
            count += 1
            if told != entry.msgstr:
                differ.append(f"{path.relative_to(base)}: {entry.msgstr[:60]!r} is not "
                              f"{told[:60]!r}")
    assert count >= 20, f"only {count} stored results recognised"
    assert not differ, f"{len(differ)} differ (run `python tools/translations.py derive`): " + \
        "; ".join(differ[:5])


def test_retelling_fills_the_translated_template_with_retold_values():
    import derived

    retelling = derived.Retelling({
        "{option} is not used: {why} (it would cost {usd}).":
            "{option|은} 쓰지 않습니다. 이유: {why}(쓴다면 {usd}).",
        "EC2 Spot": "EC2 스팟", "the work cannot be interrupted": "작업을 중단할 수 없음",
        "{count} million": "{count}백만"}, "ko")
    assert retelling.retell("EC2 Spot is not used: the work cannot be interrupted (it would "
                            "cost $1.50).") == \
        "EC2 스팟은 쓰지 않습니다. 이유: 작업을 중단할 수 없음(쓴다면 $1.50)."
    assert retelling.derive("**EC2 Spot is not used: the work cannot be interrupted (it would "
                            "cost \\$1.50).**") == \
        "**EC2 스팟은 쓰지 않습니다. 이유: 작업을 중단할 수 없음(쓴다면 \\$1.50).**"
    assert retelling.retell("30.1 million") == "3,010만"
    assert retelling.retell("an English reason of its own") is None
    assert retelling.derive("EC2 Spot is not used: a reason no template wrote (it would cost "
                            "$1.50).") is None


# --- one term for each idea ---------------------------------------------------------------------

def _terms(language: str) -> list[dict]:
    import csv

    path = translations.LOCALE / language / "terms.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_terms_table_is_well_formed(language):
    rows = _terms(language)
    assert rows, f"locale/{language}/terms.csv: no terms"
    for row in rows:
        assert row["rejected"] and row["chosen"] and row["why"], row
        assert row["rejected"] != row["chosen"], row
        if row["english"]:
            re.compile(row["english"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalogue_uses_a_rejected_variant(language):
    """locale/<language>/terms.csv lists variants the edition does not use, each with the term
    it uses instead and why; an entry's English (a regular expression, when the row gives one)
    limits the rule to the entries it applies to. Inline code is not words."""
    problems = []
    rules = [(row, re.compile(row["english"]) if row["english"] else None)
             for row in _terms(language)]
    for path in translations.catalogues(language):
        if path.name == "glossary.po":
            continue  # the glossary names a rejected variant on purpose, to say why it is not used
        for entry in polib.pofile(str(path)).translated_entries():
            text = _CODE.sub(" ", _ROLE.sub(lambda m: m.group(0) if m.group("role") == "term"
                                            else " ", entry.msgstr))
            for row, english in rules:
                if english is not None and not english.search(entry.msgid):
                    continue
                if re.search(rf"(?<![A-Za-z]){re.escape(row['rejected'])}(?![A-Za-z])", text):
                    problems.append(f"{path.name}: {row['rejected']!r} (use {row['chosen']!r}) "
                                    f"in {entry.msgstr[:50]!r}")
    assert not problems, f"{len(problems)} rejected variants: " + "; ".join(problems[:6])


# --- the seed in its own words ------------------------------------------------------------------

#: The Korean article the book follows (not shipped with the book): beside the checkout, in the
#: course authors' shared folder (``../shared/seed/``), or wherever ``SEED_ARTICLE`` names.
SEED = Path(os.environ.get("SEED_ARTICLE", Path(__file__).resolve().parents[2] / "shared" / "seed"
                           / "ec2-vs-lambda-seed.md"))
#: How each language's box says where its words come from: a quotation, or the gist.
SEED_LABELS = {"ko": ("**원문:** ", "**원문의 요지:** ")}
_QUOTED = re.compile(r"“([^”]*)”")


def _seed_boxes(language: str) -> list[tuple[str, str]]:
    return [(path.name, entry.msgstr) for path in translations.catalogues(language)
            for entry in polib.pofile(str(path)).translated_entries()
            if entry.msgid.startswith("**The seed says:**")]


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang in SEED_LABELS])
def test_a_seed_box_quotes_the_seed_verbatim_or_says_it_gives_the_gist(language):
    """A box that corrects the seed quotes the seed's own Korean words, exactly (each quotation,
    or each part of it around an ellipsis, occurs in the article), or says it gives the gist and
    quotes nothing."""
    if not SEED.exists():
        pytest.skip(f"the seed article is not at {SEED} (set SEED_ARTICLE)")
    seed = " ".join(SEED.read_text(encoding="utf-8").split())
    quote, gist = SEED_LABELS[language]
    boxes = _seed_boxes(language)
    assert len(boxes) >= 10, boxes
    problems = []
    for name, text in boxes:
        if text.startswith(gist):
            if re.search("[“”\"「」]", text):
                problems.append(f"{name}: a gist in quotation marks: {text[:60]!r}")
            continue
        if not text.startswith(quote):
            problems.append(f"{name}: says neither {quote!r} nor {gist!r}: {text[:40]!r}")
            continue
        quotations = _QUOTED.findall(text)
        if not quotations:
            problems.append(f"{name}: {quote!r} without a quotation: {text[:60]!r}")
        for quoted in quotations:
            for part in filter(None, (p.strip() for p in quoted.split("…"))):
                if " ".join(part.split()) not in seed:
                    problems.append(f"{name}: not in the seed: {part!r}")
    assert not problems, "\n".join(problems)


def _english_in(text: str) -> bool:
    """Whether ``text`` holds an English word once its Hangul is set aside (numbers, codes,
    unit symbols and capitalised product names are not words: see ``tools/derived.py``)."""
    import derived

    return not derived.plain(re.sub("[가-힣]+", " ", text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_stored_tables_have_headers_in_the_page_language(language):
    """Every header and row label of a table a notebook stored (pandas HTML), and of a
    calculator's stored table, reads in the page's language (``_ext/editions/tables.py``)."""
    from bs4 import BeautifulSoup

    pages = _edition_pages(language)
    if not pages:
        pytest.skip(f"the {language} edition is not built (`make book`)")
    english, tables = [], 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for table in soup.select("table.dataframe, .ec2vl-stored-table table"):
            tables += 1
            for cell in table.select("th"):
                text = cell.get_text(" ", strip=True)
                if text and _english_in(text):
                    english.append(f"{page.name}: {text!r}")
    assert tables >= 50, f"only {tables} stored tables found"
    assert not english, f"{len(english)} English headers, e.g. {english[:8]}"


def test_english_in_sees_words_not_codes_or_hangul():
    assert _english_in("fits Lambda")
    assert _english_in("cold 비율")
    assert not _english_in("p99 지연 시간(ms)")
    assert not _english_in("m7g.large")
    assert not _english_in("Lambda(온디맨드)")


def _page_words(page: Path) -> str:
    """A built page's text as a reader sees it, without code, code cells or printed output."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    main = soup.select_one("main") or soup
    # code, printed output, and the English titles of cited sources and glossary headwords
    for element in main.select("pre, code, .cell_input, .output.stream, .output.text_plain, "
                               "script, style, .bibliography, .footnote-list, "
                               "a.reference.external, dl.glossary > dt"):
        element.decompose()
    return " ".join(main.get_text(" ").split())


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_a_translated_page_shows_no_english_name_or_particle_written_both_ways(language):
    """What the package names for a reader (the decision guide's options, traffic shapes,
    power-tuning strategies, limits) appears in the page's language, never as the English name
    or the data key; and no particle is written both ways (은(는), 이(가))."""
    from ec2vslambda import data, decide, power_tuning, replay

    pages = _edition_pages(language)
    if not pages:
        pytest.skip(f"the {language} edition is not built (`make book`)")
    catalogue = translations.book_translations(language)
    names = [n for n in (*decide.OPTIONS.values(), *replay.SHAPE_WORDS.values(),
                         *power_tuning.STRATEGY_WORDS.values())
             if catalogue.get(n, n) != n]
    keys = [k for k in data.lambda_limits() if "_" in k]
    pattern = re.compile("|".join(
        [rf"(?<![\w(]){re.escape(n)}(?![\w)])" for n in sorted(names, key=len, reverse=True)]
        + [rf"\b{re.escape(k)}\b" for k in keys]
        + [r"은\(는\)|는\(은\)|이\(가\)|가\(이\)|을\(를\)|를\(을\)|와\(과\)|과\(와\)|\(으\)로"]))
    found = []
    for page in pages:
        if page.stem == "bibliography":  # the sources' own titles
            continue
        text = _page_words(page)
        found += [f"{page.name}: {m.group(0)!r} in …{text[max(0, m.start() - 30):m.end() + 20]}…"
                  for m in pattern.finditer(text)]
    assert not found, f"{len(found)} found: " + "\n".join(found[:12])


def _figure_codes() -> re.Pattern:
    """What a figure may show in any edition: tick numbers (matplotlib's mathtext), Lambda
    runtime identifiers, the names of a benchmark project and of its function, and the traffic
    layouts' names a reader passes as ``format=`` (lab 5)."""
    from ec2vslambda import coldstarts, traffic

    names = ["lambda-perf", "hello-world", *coldstarts.runtimes(), *traffic.FORMATS]
    return re.compile(r"\$[^$]*\$|" + "|".join(
        re.escape(n) for n in sorted(names, key=len, reverse=True)))


_FIGURE_CODES = _figure_codes()


@pytest.mark.parametrize("language", LANGUAGES)
def test_figures_are_drawn_again_with_labels_in_the_page_language(language):
    """Every notebook figure on a page is the build's own drawing of its stored description
    (``_ext/editions/figures.py``), and on a translated page none of its labels is English:
    the SVG keeps each text it draws as a comment beside the outlines."""
    from bs4 import BeautifulSoup

    pages = _edition_pages(language)
    if not pages:
        pytest.skip(f"the {language} edition is not built (`make book`)")
    drawn, stored, english = 0, 0, []
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        stored += len(soup.select(".cell_output img"))
        for image in soup.select("img.ec2vl-figure"):
            drawn += 1
            svg = (page.parent / image["src"]).read_text(encoding="utf-8")
            texts = re.findall(r"<!-- (.*?) -->", svg, flags=re.DOTALL)
            assert texts, f"{page.name}: {image['src']} has no text"
            if language != "en":
                english += [f"{page.name}: {t!r}" for t in texts
                            if _english_in(_FIGURE_CODES.sub(" ", t))]
    assert drawn >= 28 and drawn == stored, f"{drawn} of {stored} figures drawn by the build"
    assert not english, f"{len(english)} English labels, e.g. {english[:8]}"
