"""The book's Sphinx extensions (``_ext/live_calculators``, ``_ext/editions``) on a small book.

``tests/books/two_pages`` is two reStructuredText pages (mathematics, an exercise and its
solution, a ``live-calculator`` directive, a notebook cell's stored table and calculator
placeholder, Thebe's configuration) and a Korean catalogue. It is built here with
``sphinx.testing``'s :class:`SphinxTestApp`: the English HTML, the Korean HTML as
``tools/translations.py`` builds an edition, and the gettext extraction; no notebook runs and no
browser starts. The npm assets come from a stand-in cache of small files, so the build neither
downloads nor copies megabytes; what the site ships is checked by name and size.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ec2vslambda import live
from tests.conftest import BOOK_ROOT

EXT = BOOK_ROOT / "_ext"
TEST_BOOK = Path(__file__).resolve().parent / "books" / "two_pages"

sys.path.insert(0, str(EXT))
from editions.links import twin_url  # noqa: E402
from editions.note import EDITION_NOTE  # noqa: E402
from editions.search import SearchKorean, korean_tokens  # noqa: E402
from live_calculators import assets, i18n  # noqa: E402
from live_calculators.bundle import bundle_bytes  # noqa: E402
from live_calculators.form import table_html  # noqa: E402
from live_calculators.publish import RUNTIME_FILES  # noqa: E402

# --- korean_tokens and the search language ------------------------------------------------------


@pytest.mark.parametrize(("text", "tokens"), [
    ("패치", ["패치"]),  # two syllables: the word itself
    ("패치를", ["패치", "치를"]),  # a particle attached: every two-syllable piece
    ("콜드 스타트를 줄이세요", ["콜드", "스타", "타트", "트를", "줄이", "이세", "세요"]),
    ("Lambda and EC2", ["Lambda", "and", "EC2"]),  # Latin words whole
    ("Lambda의 Graviton4가", ["Lambda", "의", "Graviton4", "가"]),  # apart from their particles
    ("비용(cost)은 0.5달러", ["비용", "cost", "은", "0", "5", "달러"]),  # punctuation splits
    ("", []),
])
def test_korean_tokens_index_hangul_as_bigrams_and_latin_words_whole(text, tokens):
    assert korean_tokens(text) == tokens


def test_a_two_syllable_query_is_a_token_of_every_longer_word_that_holds_it():
    for word in ("패치를", "핫패치", "패치하세요"):
        assert "패치" in korean_tokens(word), word


def test_the_search_language_splits_as_it_indexes_and_keeps_single_hangul_syllables():
    search = SearchKorean({})
    assert search.split("콜드스타트 Lambda") == korean_tokens("콜드스타트 Lambda")
    assert search.word_filter("은") and search.word_filter("EC2") and not search.word_filter("a")
    assert search.stem("Lambda") == "lambda"


# --- table_html --------------------------------------------------------------------------------

def test_table_html_heads_columns_and_rows_and_escapes_text():
    table = {"columns": ["plan", "cost <USD>"], "rows": [["A & B", "1,000"], ["C", "2"]]}
    out = BeautifulSoup(table_html(table), "html.parser")
    assert out.table["class"] == ["ec2vl-result-table"]
    assert [(th.text, th["scope"]) for th in out.thead.find_all("th")] == [
        ("plan", "col"), ("cost <USD>", "col")]
    rows = out.tbody.find_all("tr")
    assert [[c.name for c in r.children] for r in rows] == [["th", "td"], ["th", "td"]]
    assert rows[0].th["scope"] == "row" and rows[0].th.text == "A & B"
    assert "A &amp; B" in table_html(table) and "&lt;USD&gt;" in table_html(table)


@pytest.mark.parametrize("table", [None, {}, {"columns": ["a"], "rows": []}])
def test_table_html_is_empty_without_rows(table):
    assert table_html(table) == ""


def test_table_html_draws_a_calculators_real_table():
    result = live.compute("keepalive", {})
    out = BeautifulSoup(table_html(result["table"]), "html.parser")
    assert [th.text for th in out.thead.find_all("th")] == result["table"]["columns"]
    assert len(out.tbody.find_all("tr")) == len(result["table"]["rows"])


# --- the test book, built ----------------------------------------------------------------------

def _fake_asset_cache(root: Path) -> None:
    """Each pinned npm package as a small stand-in with its integrity stamp: ``assets.ensure``
    finds it and fetches nothing."""
    for package in assets.PACKAGES:
        folder = root / "npm" / f"{package.name.replace('/', '__')}-{package.version}"
        for kept in package.keep:
            path = folder / kept
            if not Path(kept).suffix and kept not in ("LICENSE",):  # a folder: one file in it
                path = path / "part.js"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"/* stand-in for {package.label}: {kept} */\n", encoding="utf-8")
        (folder / ".integrity").write_text(package.integrity + "\n", encoding="ascii")


class Built:
    """One build of the test book: its output folder and the warnings it gave."""

    def __init__(self, outdir: Path, warnings: str):
        self.outdir = outdir
        self.warnings = warnings

    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.outdir / page).read_text(encoding="utf-8"), "html.parser")


def _note_entry_follows_the_note(catalogue: Path) -> None:
    """The test book translates the edition note whatever its English wording is now."""
    import polib

    po = polib.pofile(str(catalogue))
    for entry in po:
        if entry.msgid.startswith("This is a translation of the English book"):
            entry.msgid = EDITION_NOTE
    po.save(str(catalogue))


def _build(tmp: Path, builder: str, **overrides) -> Built:
    from sphinx.testing.util import SphinxTestApp

    source = tmp / "src"
    shutil.copytree(TEST_BOOK, source)
    _note_entry_follows_the_note(source / "locale" / "ko" / "LC_MESSAGES" / "book.po")
    warnings = io.StringIO()
    app = SphinxTestApp(builder, srcdir=source, builddir=tmp / "_build",
                        confoverrides=overrides, status=io.StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    return Built(Path(app.outdir), warnings.getvalue())


@pytest.fixture(scope="module")
def asset_cache(tmp_path_factory):
    cache = tmp_path_factory.mktemp("assets")
    _fake_asset_cache(cache)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EC2VL_ASSET_CACHE", str(cache))
        yield cache


@pytest.fixture(scope="module")
def english(asset_cache, tmp_path_factory):
    return _build(tmp_path_factory.mktemp("en"), "html")


@pytest.fixture(scope="module")
def korean(asset_cache, tmp_path_factory):
    return _build(tmp_path_factory.mktemp("ko"), "html", language="ko",
                  editions_current="ko", live_calculators_assets="../")


@pytest.fixture(scope="module")
def gettext(asset_cache, tmp_path_factory):
    return _build(tmp_path_factory.mktemp("gettext"), "gettext")


def test_the_builds_give_no_warning(english, korean, gettext):
    for built in (english, korean, gettext):
        assert built.warnings.strip() == "", built.warnings


def _boxes(soup: BeautifulSoup) -> dict[str, object]:
    return {b["data-calculator"]: b for b in soup.select("div.ec2vl-live")}


def test_placeholders_and_the_directive_become_forms_of_the_calculators_fields(english):
    soup = english.soup("calculators.html")
    boxes = _boxes(soup)
    assert sorted(boxes) == ["keepalive", "pricing"]
    assert "On the book" not in soup.text, "a placeholder was left on the page"
    for name, box in boxes.items():
        fields = live.calculator(name).fields
        assert [c["name"] for c in box.select("[data-kind]")] == [f.key for f in fields]
        for control in box.select("[data-kind]"):  # each control's label and message slot
            assert box.select_one(f"label[for='{control['id']}']") is not None
            assert box.select_one(f"#{control['aria-describedby']}")["role"] == "alert"
        assert box["data-assets"] == "_live/" and box["lang"] == "en"
        assert not box.has_attr("data-words")
        assert box.select_one("fieldset").has_attr("disabled")
        assert json.loads(box["data-ui"]) == i18n.ui("en") | {
            "note": json.loads(box["data-ui"])["note"]}
    pricing = json.loads(html.unescape(boxes["pricing"]["data-defaults"]))
    assert pricing["requests_per_month"] == 2_000_000, "the directive's :inputs: are its defaults"
    # the stored table of an English page stays as the notebook stored it
    assert soup.select_one("table.dataframe") is not None
    assert soup.select_one(".ec2vl-stored-table") is None


def test_an_unknown_calculator_in_the_directive_fails_the_build(asset_cache, tmp_path):
    from sphinx.testing.util import SphinxTestApp

    source = tmp_path / "src"
    shutil.copytree(TEST_BOOK, source)
    page = source / "calculators.rst"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "live-calculator:: pricing", "live-calculator:: no_such_calculator"), encoding="utf-8")
    warnings = io.StringIO()
    app = SphinxTestApp("html", srcdir=source, builddir=tmp_path / "_build",
                        status=io.StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    assert "live-calculator 'no_such_calculator'" in warnings.getvalue()


def test_the_site_ships_the_runtime_bundle_worker_and_page_scripts(english):
    out = english.outdir
    manifest = json.loads((out / "_live" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pyodide"] == assets.PYODIDE.version
    assert (out / "_live" / manifest["bundle"]).read_bytes() == bundle_bytes()
    for name in RUNTIME_FILES:
        assert manifest["bytes"][name] == (out / "_live" / "pyodide" / name).stat().st_size
    assert (out / "_live" / "worker.mjs").read_bytes() == (
        EXT / "live_calculators" / "browser" / "worker.mjs").read_bytes()
    assert (out / "_live" / "chartjs" / "chart.umd.min.js").is_file()
    assert (out / "_static" / "mathjax" / "tex-mml-chtml.js").is_file()
    licences = (out / "_live" / "LICENSES.txt").read_text(encoding="utf-8")
    assert all(p.label in licences for p in assets.PACKAGES)
    # every module the page's entry imports, and every module those import, is shipped
    static = out / "_static" / "live"
    wanted, seen = ["main.mjs"], set()
    while wanted:
        module = wanted.pop()
        seen.add(module)
        text = (static / module).read_text(encoding="utf-8")
        for found in re.findall(r'(?:from|import\()\s*"\./([\w-]+\.mjs)"', text):
            assert (static / found).is_file(), f"{module} imports {found}, which is not shipped"
            if found not in seen:
                wanted.append(found)
    assert {"form.mjs", "worker-link.mjs", "chart.mjs", "messages.mjs"} <= seen


def test_pages_load_the_scripts_and_mathjax_from_the_site_and_not_thebe(english):
    soup = english.soup("calculators.html")
    scripts = [s.get("src", "") for s in soup.find_all("script")]
    assert any(re.match(r"_static/live/live\.js(\?|$)", s) for s in scripts)
    live_script = next(s for s in soup.find_all("script") if "live/live.js" in s.get("src", ""))
    assert live_script.has_attr("defer")
    assert not any("thebe" in s.lower() for s in scripts)
    assert "text/x-thebe-config" not in str(soup)
    assert any("live/live.css" in link.get("href", "") for link in soup.find_all("link"))
    mathjax = [s["src"] for s in english.soup("index.html").find_all("script", src=True)
               if "mathjax" in s["src"]]
    assert mathjax == ["_static/mathjax/tex-mml-chtml.js"], mathjax




def test_every_page_links_its_twin_in_the_other_edition(english, korean):
    for page, to_korean in (("index.html", "ko/index.html"),
                            ("calculators.html", "ko/calculators.html")):
        soup = english.soup(page)
        switch = soup.select_one("p.editions-switch a")
        assert (switch["href"], switch["hreflang"], switch.text) == (to_korean, "ko", "한국어")
        alternates = {link["hreflang"]: link["href"]
                      for link in soup.find_all("link", rel="alternate")}
        assert alternates == {"en": page, "ko": to_korean, "x-default": page}
    switch = korean.soup("calculators.html").select_one("p.editions-switch a")
    assert (switch["href"], switch["hreflang"]) == ("../calculators.html", "en")
    assert twin_url("chapters/one", "ko", "en") == "../../chapters/one.html"


def test_the_korean_edition_translates_titles_exercises_note_and_theme(korean):
    index = korean.soup("index.html")
    assert index.find("h1").text.startswith("시험용 책")
    # the exercise title, in the exercise and in its solution's heading
    assert "콜드 스타트 세기" in index.select_one(".exercise").text
    assert "콜드 스타트 세기" in index.select_one(".solution").text
    assert "Count the cold starts" not in index.text
    note = index.select_one(".edition-note")
    assert note is not None and "영어판을 옮긴 시험용 번역입니다." in note.text
    assert EDITION_NOTE not in index.text
    assert "이 책에서 검색..." in str(index)  # a theme option, from book.po
    assert "지은이" in index.text  # the theme's own word, from booktheme.po
    assert korean.soup("calculators.html").select_one(".edition-note") is None


def test_a_korean_page_gets_korean_forms_and_its_stored_table_in_korean(korean):
    soup = korean.soup("calculators.html")
    boxes = _boxes(soup)
    for box in boxes.values():
        assert box["lang"] == "ko"
        assert box["data-assets"] == "../_live/" and box["data-words"] == "_live/words.json"
        assert json.loads(box["data-ui"]) == i18n.ui("ko") | {
            "note": json.loads(box["data-ui"])["note"]}
    defaults = json.loads(html.unescape(boxes["keepalive"]["data-defaults"]))
    expected = live.compute("keepalive", defaults, words=i18n.result_words("ko"))
    stored = soup.select_one(".ec2vl-stored-table table")
    assert [th.text for th in stored.thead.find_all("th")] == expected["table"]["columns"]
    assert soup.select_one("table.dataframe") is None, "the English stored table was kept"
    words = json.loads((korean.outdir / "_live" / "words.json").read_text(encoding="utf-8"))
    assert words == i18n.result_words("ko")
    assert not (korean.outdir / "_live" / "manifest.json").exists(), (
        "an edition that shares the English site's runtime ships none of its own")
    mathjax = [s["src"] for s in korean.soup("index.html").find_all("script", src=True)
               if "mathjax" in s["src"]]
    assert mathjax and all("../_static/mathjax/tex-mml-chtml.js" in s for s in mathjax), mathjax


def test_korean_search_indexes_bigrams_and_splits_queries_the_same_way(korean):
    index = (korean.outdir / "searchindex.js").read_text(encoding="utf-8")
    whole = json.loads(index[index.index("(") + 1:index.rindex(")")])
    terms, titles = whole["terms"], whole["titleterms"]
    assert {"시험", "험용"} <= set(titles) and "시험용" not in titles
    assert {"요금", "금을", "계산", "산하", "하는", "지시", "시문", "문의"} <= set(terms)
    assert "lambda" in terms and "lambda의" not in terms, "a particle glued to a Latin word"
    language = (korean.outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "function splitQuery" in language and "word.slice(i, i + 2)" in language


def test_gettext_extracts_exercise_titles(gettext):
    catalogue = (gettext.outdir / "index.pot").read_text(encoding="utf-8")
    assert 'msgid "Count the cold starts"' in catalogue


# --- the bundle and Thebe, without a build ------------------------------------------------------

def test_the_bundle_is_the_package_without_widgets_and_large_data_and_is_reproducible():
    import zipfile

    data = bundle_bytes()
    assert bundle_bytes() == data, "the same sources must give the same bytes (and name)"
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "ec2vslambda/live/adapter.py" in names and "ec2vslambda/__init__.py" in names
    assert not any(n.startswith("ec2vslambda/widgets/") for n in names)
    assert not any("__pycache__" in n for n in names)
    csvs = {n.rsplit("/", 1)[-1] for n in names if n.endswith(".csv")}
    shipped = {p.name for p in (BOOK_ROOT / "data").glob("*.csv")
               if not re.search("trace|replay", p.name, re.IGNORECASE)}
    assert csvs == shipped and all(n.startswith("ec2vslambda/_data/") for n in names
                                   if n.endswith(".csv"))


class _Config:
    def __init__(self, theme_options, thebe_config=None):
        self.html_theme_options = theme_options
        if thebe_config is not None:
            self.thebe_config = thebe_config


class _App:
    def __init__(self, config):
        self.config = config


@pytest.mark.parametrize(("options", "thebe_config", "enabled"), [
    ({}, None, False),  # no sphinx-thebe at all
    ({"launch_buttons": {"thebe": False}}, {}, False),
    ({"launch_buttons": {"thebe": True}}, {}, True),
    ({}, {"always_load": True}, True),
])
def test_thebe_is_left_out_only_when_the_book_turns_it_off(options, thebe_config, enabled):
    from live_calculators import thebe

    app = _App(_Config(options, thebe_config))
    assert thebe.thebe_enabled(app) is enabled
    context = {"script_files": ["_static/thebe.js", "_static/live/live.js"], "css_files": []}
    thebe.drop_thebe_assets(app, "page", "page.html", context, None)
    assert context["script_files"] == (["_static/thebe.js", "_static/live/live.js"] if enabled
                                       else ["_static/live/live.js"])
