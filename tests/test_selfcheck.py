"""The self-check directive (_ext/selfcheck), built by Sphinx on a two-page book in seconds.

The pages are a notebook that glues a number (so that a numeric check reads its answer from
the page, as the book's do) and a Markdown page. The tests read the HTML the way the browser
test and a screen reader do: the testing contract (``data-selfcheck``, real form controls, a
submit button, a polite live region, feedback for every option), the answers printed at the
page's end, the words from ``book.po`` in another language, and refusals with their reason.
The script's behaviour in a page is tested in ``tests/test_selfcheck_browser.py``.
"""

from __future__ import annotations

import io
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

from selfcheck import directive, words  # noqa: E402

CONF = f"""
import sys
sys.path.insert(0, {str(ROOT / "_ext")!r})
extensions = ["myst_nb", "selfcheck"]
nb_execution_mode = "off"
exclude_patterns = ["_build"]
"""

CHOICE = """```{selfcheck}
:id: t-event
:correct: 2

Where does the handler find the uploaded object's **key**?

- In `context`.

  No: the context describes the invocation.
- In `event`, URL-encoded.

  Right: the event describes what happened, {glue:text}`limit` times over.
- Nowhere.

  No: S3 always sends it.
```
"""

NUMBER = """```{selfcheck}
:id: t-number
:answer: break_even
:tolerance: 2%

How many million requests a month?

- Right: about {glue:text}`break_even` million.
- Too low: check the free tier.
- Too high: check the rate.
```
"""


def notebook(markdown: str) -> nbformat.NotebookNode:
    glue = nbformat.v4.new_code_cell('glue("break_even", "48.4", display=False)', outputs=[
        nbformat.v4.new_output("display_data", data={
            "application/papermill.record/text/plain": "'48.4'"}, metadata={
            "scrapbook": {"mime_prefix": "application/papermill.record/",
                          "name": "break_even"}})], execution_count=1)
    limit = nbformat.v4.new_code_cell('glue("limit", "3", display=False)', outputs=[
        nbformat.v4.new_output("display_data", data={
            "application/papermill.record/text/plain": "'3'"}, metadata={
            "scrapbook": {"mime_prefix": "application/papermill.record/", "name": "limit"}})],
        execution_count=2)
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Page\n\nSome text."), glue, limit,
        nbformat.v4.new_markdown_cell(markdown)], metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def build(tmp_path: Path, pages: dict[str, str], builder: str = "html",
          language: str | None = None, locale: dict[str, dict[str, str]] | None = None):
    """Build ``pages`` (name -> Markdown of a notebook's last cell; ``.md`` names are Markdown
    pages) and return (output folder, warnings)."""
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace

    src = tmp_path / "src"
    src.mkdir()
    conf = CONF + (f"language = {language!r}\nlocale_dirs = ['locale']\n"
                   "gettext_compact = False\n" if language else "")
    (src / "conf.py").write_text(conf, encoding="utf-8")
    toctree = "\n".join(name.rsplit(".", 1)[0] for name in pages)
    (src / "index.md").write_text(f"# Book\n\n```{{toctree}}\n{toctree}\n```\n", encoding="utf-8")
    for name, text in pages.items():
        if name.endswith(".md"):
            (src / name).write_text(text, encoding="utf-8")
        else:
            nbformat.write(notebook(text), src / f"{name}.ipynb")
    for domain, entries in (locale or {}).items():
        import polib

        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        po.extend(polib.POEntry(msgid=k, msgstr=v) for k, v in entries.items())
        folder = src / "locale" / language / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        po.save_as_mofile(str(folder / f"{domain}.mo"))
    out, warnings = tmp_path / "out", io.StringIO()
    nocolor()
    with docutils_namespace():  # each build registers the extensions' nodes and directives anew
        app = Sphinx(str(src), str(src), str(out), str(tmp_path / "doctrees"), builder,
                     status=io.StringIO(), warning=warnings, freshenv=True)
        app.build()
    return out, warnings.getvalue()


class Elements(HTMLParser):
    """Every start tag of a page, with its attributes, and the text inside chosen elements."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str | None = None, **wanted) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if (tag is None or t == tag)
                and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in wanted.items())]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("english")
    out, warnings = build(tmp, {"page": CHOICE + "\n" + NUMBER})
    return (out / "page.html").read_text(encoding="utf-8"), warnings


def test_a_choice_check_keeps_the_testing_contract(english):
    html, warnings = english
    assert "WARNING" not in warnings and "ERROR" not in warnings, warnings
    page = Elements(html)
    (box,) = page.find("div", data_selfcheck="t-event")
    assert box["data-kind"] == "choice" and box["data-correct"] == "2"
    assert box["role"] == "group" and box["aria-labelledby"] == "selfcheck-t-event-title"
    radios = page.find("input", type="radio", name="selfcheck-t-event")
    assert [r["value"] for r in radios] == ["1", "2", "3"]
    labels = {a["for"] for a in page.find("label")}
    assert {r["id"] for r in radios} <= labels  # every option has its label
    (fieldset,) = [a for a in page.find("fieldset")
                   if a["aria-labelledby"] == "selfcheck-t-event-question"]
    assert page.find("div", id="selfcheck-t-event-question")
    assert re.search(r'<label for="selfcheck-t-event-1">In <code[^>]*><span class="pre">'
                     r"context</span></code>\.</label>", html)
    assert len(page.find("button", type="submit", class_="selfcheck-check")) == 2
    regions = page.find("div", role="status")
    assert len(regions) == 2 and all(r["aria-live"] == "polite" for r in regions)
    feedback = [a["data-feedback"] for a in page.find("div", class_="selfcheck-feedback")]
    assert feedback == ["1", "2", "3", "right", "low", "high"]
    assert all("hidden" in a for a in page.find("div", class_="selfcheck-feedback"))
    assert json.loads(box["data-words"]) == {k: words.WORDS[k]
                                             for k in ("right", "wrong", "choose", "type")}
    # the glue inside feedback is the page's value
    assert "the event describes what happened, 3 times over" in text(html)


def test_a_numeric_check_reads_its_answer_from_the_glued_value(english):
    html, _ = english
    page = Elements(html)
    (box,) = page.find("div", data_selfcheck="t-number")
    assert (box["data-kind"], float(box["data-answer"])) == ("number", 48.4)
    assert (float(box["data-tolerance"]), box["data-tolerance-kind"]) == (0.02, "relative")
    (field,) = page.find("input", type="number")
    assert field["step"] == "any" and field["id"] == "selfcheck-t-number-input"
    assert page.find("label", for_="selfcheck-t-number-input")
    assert field["aria-describedby"] == "selfcheck-t-number-within"
    assert "Counts as right within ±2% of the answer." in html


def test_the_answers_follow_the_page_numbered_like_its_checks(english):
    html, _ = english
    answers = html[html.index('<section class="selfcheck-answers"'):]
    assert "Answers to this page&#x27;s self-checks" in answers or \
        "Answers to this page's self-checks" in answers
    first, second = re.findall(r'<div class="selfcheck-answer"[^>]*>(.*?)</div>', answers,
                               re.DOTALL)
    assert "<strong>Self-check 1.</strong> Answer: In <code" in first
    assert "Right: the event describes what happened" in first and "No:" not in first
    assert "<strong>Self-check 2.</strong> Answer: 48.4" in second
    assert "Right: about 48.4 million." in text(second) and "Too low" not in second
    assert html.count('id="selfcheck-t-event-1"') == 1  # copies carry no ids
    assert html.index("Self-check 1</p>") < html.index("Self-check 2</p>")


def test_the_script_and_its_styles_load_only_where_a_check_is(tmp_path):
    out, warnings = build(tmp_path, {"page": CHOICE, "plain.md": "# Plain\n\nNo checks."})
    assert "WARNING" not in warnings, warnings
    page, plain = ((out / f"{n}.html").read_text(encoding="utf-8") for n in ("page", "plain"))
    assert "selfcheck/selfcheck.js" in page and "selfcheck/selfcheck.js" not in plain
    assert (out / "_static" / "selfcheck" / "selfcheck.js").exists()
    assert "selfcheck-answers" not in plain


def test_gettext_extracts_question_options_and_feedback_not_the_interface(tmp_path):
    out, warnings = build(tmp_path, {"page": CHOICE + "\n" + NUMBER}, builder="gettext")
    import polib

    ids = {e.msgid for e in polib.pofile(str(out / "page.pot"))}
    assert {"Where does the handler find the uploaded object's **key**?", "In `context`.",
            "No: the context describes the invocation.", "Too low: check the free tier.",
            "How many million requests a month?"} <= ids
    assert not ids & set(words.WORDS.values())


def test_a_translated_page_shows_translated_options_feedback_and_answers(tmp_path):
    out, warnings = build(tmp_path, {"page": CHOICE}, language="fr", locale={"page": {
        "In `context`.": "Dans `context`.",
        "In `event`, URL-encoded.": "Dans `event`, encodée.",
        "Right: the event describes what happened, {glue:text}`limit` times over.":
            "Oui : l'événement, {glue:text}`page.ipynb::limit:s` fois.",
    }})
    assert "WARNING" not in warnings, warnings
    html = (out / "page.html").read_text(encoding="utf-8")
    assert re.search(r'<label for="selfcheck-t-event-1">Dans <code', html)
    answers = html[html.index('<section class="selfcheck-answers"'):]
    assert "Answer: Dans <code" in answers and "Oui : l’événement, 3 fois." in text(answers)


def test_interface_words_come_from_book_po(tmp_path, monkeypatch):
    folder = tmp_path / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    import polib

    po = polib.POFile()
    po.append(polib.POEntry(msgid=words.WORDS["check"], msgstr="Vérifier"))
    po.save(str(folder / "book.po"))
    from live_calculators import i18n

    monkeypatch.setattr(i18n, "LOCALE", tmp_path)
    i18n.strings.cache_clear()
    try:
        table = words.words("xx")
    finally:
        i18n.strings.cache_clear()
    assert table["check"] == "Vérifier" and table["clear"] == words.WORDS["clear"]
    assert words.words("en") == words.WORDS


@pytest.mark.parametrize(("markdown", "message"), [
    (CHOICE.replace(":id: t-event", ":id: T_event"),
     "id='T_event' is not allowed; allowed: lower-case letters and digits"),
    (CHOICE.replace(":correct: 2", ":correct: 4"),
     "correct=4 with 3 options; allowed: two options or more, and :correct: from 1 to 3"),
    (CHOICE.replace(":correct: 2", ""), "give exactly one of :correct:"),
    (CHOICE.replace("\n  No: S3 always sends it.", ""),
     "option 3 needs its words in a first paragraph, then its feedback"),
    (CHOICE.replace("  No: S3 always sends it.\n", "  No: S3 always sends it.\n\nA paragraph.\n"),
     "then one bullet list"),
    (NUMBER.replace(":answer: break_even", ":answer: missing"),
     "answer='missing': No key 'missing' found in glue data"),
    (NUMBER.replace("- Too high: check the rate.\n", ""), None),
    (NUMBER.replace("- Right:", "- One.\n- Right:"),
     "a numeric check has 4 feedback items; allowed: 2 (right, wrong) or 3"),
    (NUMBER.replace("2%", "some"), "tolerance='some' is not a number"),
])
def test_a_malformed_check_is_refused_with_its_reason(tmp_path, markdown, message):
    _, warnings = build(tmp_path, {"page": markdown})
    if message is None:  # two feedback items are allowed: right and wrong
        assert "selfcheck" not in warnings, warnings
    else:
        assert message in warnings, warnings


def test_an_id_used_on_two_pages_is_refused(tmp_path):
    _, warnings = build(tmp_path, {"one": CHOICE, "two": CHOICE})
    assert "selfcheck id='t-event' is used by one already" in warnings


@pytest.mark.parametrize(("shown", "value"), [
    ("'42.89'", 42.89), ("'$42.89'", 42.89), ("'65,100,000'", 65_100_000.0),
    ("'25.6%'", 25.6), ("0.135", 0.135), ("'-3'", -3.0), ("12", 12.0)])
def test_a_glued_value_reads_as_the_number_it_shows(shown, value):
    assert directive.parse_number(shown) == pytest.approx(value)


@pytest.mark.parametrize("shown", ["'between 3 and 4'", "'none'", "'$1.00 to $2.00'"])
def test_a_glued_value_without_exactly_one_number_is_refused(shown):
    with pytest.raises(ValueError, match="allowed: exactly one"):
        directive.parse_number(shown)


def test_tolerances_are_shares_or_amounts():
    assert directive.parse_tolerance("2%") == (0.02, "relative")
    assert directive.parse_tolerance("0.05") == (0.05, "absolute")
    for bad in ("-1", "x", "nan"):
        with pytest.raises(ValueError, match=f"tolerance={bad!r} is not a number"):
            directive.parse_tolerance(bad)


# --- the book's own self-checks, read from the notebooks (no build) ---------------------------

LESSONS = sorted(p for folder in ("chapters", "labs") for p in (ROOT / folder).glob("*.ipynb"))
_CHECK = re.compile(r"^```\{selfcheck\}\n:id: (?P<id>\S+)\n(?P<options>(?::\S+: .*\n)*)", re.M)


def book_checks() -> dict[Path, list[tuple[str, str]]]:
    found = {}
    for path in LESSONS:
        cells = nbformat.read(path, as_version=4).cells
        found[path] = [(m.group("id"), m.group("options")) for c in cells
                       if c.cell_type == "markdown" for m in _CHECK.finditer(c.source)]
    return found


def test_every_chapter_and_lab_has_three_to_five_self_checks_with_ids_of_its_own():
    checks = book_checks()
    counts = {p.stem: len(found) for p, found in checks.items()}
    assert len(counts) == len(LESSONS) >= 11 and all(3 <= n <= 5 for n in counts.values()), counts
    ids = [ident for found in checks.values() for ident, _ in found]
    assert len(ids) == len(set(ids)), "a self-check id is used twice"
    for path, found in checks.items():
        number = int(path.stem[:2])
        prefix = f"ch{number:02d}-" if path.parent.name == "chapters" else f"lab{number}-"
        assert all(ident.startswith(prefix) for ident, _ in found), (path.stem, found)


def test_a_numeric_self_check_names_a_value_its_page_glues():
    numeric = 0
    for path, found in book_checks().items():
        glued = {o.get("metadata", {}).get("scrapbook", {}).get("name")
                 for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"
                 for o in c.get("outputs", [])}
        for ident, options in found:
            answer = re.search(r"^:answer: (\S+)", options, re.M)
            if answer:
                numeric += 1
                assert answer.group(1) in glued, f"{path.stem}: {ident} reads an unglued value"
                assert ":correct:" not in options
    assert numeric >= 7  # a numeric check, its answer computed by the package, on most pages


def test_a_self_check_is_a_label_that_ref_links_to(tmp_path):
    out, warnings = build(tmp_path, {"page": CHOICE, "guide.md": (
        "# Guide\n\nSee {ref}`t-event`, or {ref}`this one <t-event>`.\n")})
    assert "WARNING" not in warnings, warnings
    guide = (out / "guide.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="reference internal" href="([^"]+)"><span class="std '
                       r'std-ref">([^<]+)</span></a>', guide)
    assert links == [("page.html#selfcheck-t-event", "Self-check 1"),
                     ("page.html#selfcheck-t-event", "this one")]
