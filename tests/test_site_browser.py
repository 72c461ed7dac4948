"""The built site, checked the way a reader meets it: in a real Chromium, page by page.

Every page listed in ``_toc.yml`` (read when the tests are collected, so new chapters are covered
without editing this file) is loaded from a local HTTP server on 127.0.0.1 and checked: it loads
with its title; it requests no missing local file; no cell output shows a traceback; every image
has alt text; every internal link and anchor resolves; notebook pages carry Binder and Colab links
to the right repository, branch and file; calculators show their default result and how to go
live, never a dead control; no page's HTML is over budget. A screenshot of each page's first
screen is saved under ``test-artifacts/screenshots/``.

The site is ``$BOOK_HTML_DIR`` if set, else ``_build/html`` (``make test`` builds it first).
Requests to other hosts are aborted at once: the tests run offline, and only local files must
exist; nor may a page hold a URL on another host that it could load later (Thebe's button did).
The decisions live in `tests/site_check.py`.

Without Chromium (Debian package ``chromium``) or a built site the tests skip with the reason;
with ``REQUIRE_BROWSER=1`` (set by ``.ci/run``) they fail instead.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from ec2vslambda.widgets.common import HOW_TO_GO_LIVE
from tests import site_check
from tests.conftest import HTML_DIR

pytestmark = pytest.mark.browser

BOOK_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = BOOK_ROOT / "test-artifacts"
CONFIG = yaml.safe_load((BOOK_ROOT / "_config.yml").read_text(encoding="utf-8"))
ENGLISH = site_check.read_toc(BOOK_ROOT / "_toc.yml")
#: Every page of every edition: the English pages, and each one's twin in the editions the site
#: has (the Korean edition under ko/, built by `make book`).
EDITIONS = {"ko": "ko/"}
DOCNAMES = ENGLISH + [f"{prefix}{d}" for prefix in EDITIONS.values() for d in ENGLISH]


def english(docname: str) -> str:
    """The English page a page translates (itself for an English page)."""
    for prefix in EDITIONS.values():
        if docname.startswith(prefix):
            return docname[len(prefix):]
    return docname


NOTEBOOK_DOCS = [d for d in DOCNAMES
                 if (site_check.source_file(BOOK_ROOT, english(d)) or Path()).suffix == ".ipynb"]


@functools.cache
def _ids(path: Path) -> frozenset[str]:
    return frozenset(site_check.html_ids(path.read_text(encoding="utf-8", errors="replace")))


def _problems(title: str, problems: list[str]) -> str:
    return title + ":\n  " + "\n  ".join(problems)


# --- per page ---------------------------------------------------------------------------------

@pytest.mark.parametrize("docname", DOCNAMES)
def test_page_loads_with_its_title(visit, docname):
    page = visit(docname)
    assert page.status == 200, f"{page.url} answered {page.status}: is {docname} built?"
    assert page.facts.h1, f"{docname}: the page has no <h1> heading"
    assert page.title.strip(), f"{docname}: the page has no <title>"
    assert page.facts.h1 in page.title, (
        f"{docname}: the title {page.title!r} does not carry the heading {page.facts.h1!r}")
    assert page.screenshot.stat().st_size > 1000, f"{docname}: the screenshot is empty"


@pytest.mark.parametrize("docname", DOCNAMES)
def test_no_missing_local_file(visit, site_url, docname):
    page = visit(docname)
    problems = list(page.missing)
    for asset in page.facts.assets:  # also images below the fold, which load lazily
        target = site_check.local_target(asset, page.url, site_url)
        if target and not site_check.site_file(HTML_DIR, target.path):
            problems.append(f"missing file {target.path} (referenced as {asset!r})")
    assert not problems, _problems(f"{docname} requests local files that do not exist",
                                   sorted(set(problems)))


@pytest.mark.parametrize("docname", DOCNAMES)
def test_nothing_the_page_can_load_lives_on_another_host(visit, docname):
    """Beyond the requests a page makes as it loads (aborted and counted elsewhere): no script,
    style, image or frame, and no URL a script would fetch later (on a click, say), is on
    another host. Links the reader follows (Binder, Colab, references) are not loads."""
    page = visit(docname)
    remote = sorted({u for u in page.facts.loadable_urls if not site_check.is_loopback(u)})
    assert not remote, _problems(f"{docname} can load from other hosts", remote)


@pytest.mark.parametrize("docname", DOCNAMES)
def test_no_error_in_cell_outputs(visit, docname):
    page = visit(docname)
    problems = [f"output {i + 1}: {why}" for i, o in enumerate(page.facts.outputs)
                if (why := site_check.output_problem(o))]
    assert not problems, _problems(f"{docname} shows errors to the reader", problems)


@pytest.mark.parametrize("docname", DOCNAMES)
def test_every_image_has_alt_text(visit, docname):
    page = visit(docname)
    problems = []
    for image in page.facts.images:
        alt = (image.alt or "").strip()
        if not alt:
            problems.append(f"no alt text: {image.src}")
        elif alt == image.src or alt.rsplit("/", 1)[-1] == image.src.rsplit("/", 1)[-1]:
            problems.append(f"alt text is only the file name: {image.src}")
    assert not problems, _problems(
        f"{docname} has images without alt text (for a figure drawn in a cell, set the cell "
        "metadata {\"mystnb\": {\"image\": {\"alt\": \"what the figure shows\"}}})", problems)


@pytest.mark.parametrize("docname", DOCNAMES)
def test_internal_links_and_anchors_resolve(visit, site_url, docname):
    page = visit(docname)
    problems = []
    for href in dict.fromkeys(page.facts.links):
        target = site_check.local_target(href, page.url, site_url)
        if target is None:
            continue  # another host: `make linkcheck` checks those when online
        file = site_check.site_file(HTML_DIR, target.path)
        if file is None:
            problems.append(f"{href!r}: no file {target.path}")
        elif target.fragment and file.suffix == ".html" and target.fragment not in _ids(file):
            problems.append(f"{href!r}: {target.path} has no anchor #{target.fragment}")
    assert not problems, _problems(f"{docname} has broken internal links", problems)


@pytest.mark.parametrize("docname", NOTEBOOK_DOCS)
def test_notebook_launch_links_match_the_file(visit, docname):
    page = visit(docname)
    repository = CONFIG["repository"]
    prefix = str(repository.get("path_to_book") or "").strip("/")
    path_in_repo = "/".join(p for p in (prefix, f"{english(docname)}.ipynb") if p)
    assert (BOOK_ROOT / f"{english(docname)}.ipynb").exists()
    problems = site_check.launch_problems(page.facts.launch_links,
                                          repository_url=repository["url"],
                                          branch=repository["branch"], path_in_repo=path_in_repo)
    assert not problems, _problems(f"{docname}: launch links", problems)


@pytest.mark.parametrize("docname", DOCNAMES)
def test_calculators_show_default_result_and_how_to_go_live(visit, docname):
    page = visit(docname)
    problems = site_check.calculator_problems(page.facts.outputs, HOW_TO_GO_LIVE)
    if page.facts.widget_views:
        problems.append(f"{page.facts.widget_views} embedded widget view(s): the site would draw "
                        "controls that do nothing (see nb_mime_priority_overrides in _config.yml)")
    assert not problems, _problems(f"{docname}: calculators on the static page", problems)


# --- the whole site ---------------------------------------------------------------------------

@pytest.mark.parametrize("docname", DOCNAMES)
def test_page_links_to_its_twin_in_every_other_edition(visit, site_url, docname):
    """A visible switch and <link rel=alternate hreflang> to the same page in each edition,
    and the page's own language on <html>."""
    page = visit(docname)
    language = next((lang for lang, prefix in EDITIONS.items() if docname.startswith(prefix)),
                    "en")
    assert page.facts.html_lang == language, f"{docname}: <html lang={page.facts.html_lang!r}>"
    twins = {"en": english(docname), **{lang: f"{prefix}{english(docname)}"
                                        for lang, prefix in EDITIONS.items()}}
    for lang, twin in twins.items():
        href = page.facts.alternates.get(lang)
        assert href, f"{docname}: no <link rel=alternate hreflang={lang}>"
        target = site_check.local_target(href, page.url, site_url)
        assert target and target.path.lstrip("/") == site_check.html_name(twin), (
            f"{docname}: hreflang={lang} points at {href}, not at {twin}")
        if lang != language:
            assert href in page.facts.links, f"{docname}: no visible link to its {lang} twin"


def test_html_size_budget(site_url, capsys):
    report = site_check.size_report(HTML_DIR, DOCNAMES)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "site-size.txt").write_text(report.summary(len(DOCNAMES)) + "\n")
    with capsys.disabled():
        print("\n" + report.summary())
    over = report.over_budget()
    assert not over, _problems(
        f"pages over the {site_check.PAGE_BUDGET_BYTES // 1024} KiB budget (embedded widget state "
        "or large inline outputs?)", [f"{p}: {n / 1024:.0f} KiB" for p, n in over])


CHEAT_SHEET = "workshop/cheat_sheet"


@pytest.mark.skipif(CHEAT_SHEET not in DOCNAMES, reason="no cheat sheet in _toc.yml")
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_cheat_sheet_prints_on_one_page(browser, site_url, paper):
    context = browser.new_context()
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if site_check.is_local(
        route.request.url, site_url) else route.abort())
    page.goto(urljoin(site_url, site_check.html_name(CHEAT_SHEET)), wait_until="load")
    pdf = page.pdf(format=paper, print_background=False)
    context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"cheat_sheet_{paper}.pdf").write_bytes(pdf)
    pages = site_check.pdf_page_count(pdf)
    assert pages == 1, f"the cheat sheet prints on {pages} {paper} pages, not one"
