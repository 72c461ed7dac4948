"""The PDF of each edition (``make pdf``, ``tools/pdf.py``): built, complete, linked from the site.

``make test`` prints both PDFs before pytest runs; these tests read them back with ``pdftotext``
(Debian ``poppler-utils``) and check the cover, the contents with page numbers, every chapter
title of the edition, Korean glyphs in a Korean font, and that every page's download button
points at its edition's PDF in the site.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BOOK_ROOT, HTML_DIR, _unavailable
from tests.test_site_browser import DOCNAMES, ENGLISH

sys.path.insert(0, str(BOOK_ROOT / "_ext"))
from reader import furniture  # noqa: E402

pytestmark = pytest.mark.browser

PDF_DIR = BOOK_ROOT / "_build" / "pdf"
EDITIONS = {"en": "", "ko": "ko/"}


def _text(path: Path, *pages: int) -> str:
    if not shutil.which("pdftotext"):
        _unavailable("pdftotext is not installed (apt-get install poppler-utils)")
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(["pdftotext", "-layout", *span, str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8", "replace")


def _pdf(language: str) -> Path:
    path = PDF_DIR / furniture.pdf_name(language)
    if not path.exists():
        _unavailable(f"no {path}: `make pdf` prints it (make test does, before pytest)")
    return path


def _titles(language: str) -> dict[str, str]:
    titles = {}
    for docname in ENGLISH:
        page = (HTML_DIR / EDITIONS[language] / f"{docname}.html").read_text(encoding="utf-8")
        heading = re.search(r"<h1\b.*?</h1>", page, re.DOTALL).group(0)
        titles[docname] = " ".join(re.sub(r"<[^>]+>|#", " ", heading).split())
    return titles


@pytest.mark.parametrize("language", sorted(EDITIONS))
def test_the_pdf_holds_every_chapter_title_with_its_page(language):
    path = _pdf(language)
    assert path.stat().st_mtime >= (HTML_DIR / EDITIONS[language] / "intro.html").stat() \
        .st_mtime, f"{path} is older than the site: run `make pdf` again"
    # compared without white space: pdftotext splits a line's runs of Latin and Hangul text
    text = "".join(_text(path).split())
    contents = ["".join(line.split()) for line in _text(path, 2).splitlines()]
    titles = {t: "".join(t.split()) for t in _titles(language).values()}
    missing = [t for t, bare in titles.items() if bare not in text]
    assert not missing, f"{path.name} lacks the chapter titles {missing}"
    numbered = [t for t, bare in titles.items()  # a line of the contents: title, page
                if not any(re.fullmatch(re.escape(bare) + r"\d+", line) for line in contents)]
    assert not numbered, f"{path.name}'s contents give no page for {numbered}"
    assert re.search(r"1/\d+", "".join(_text(path, 1).split())), "no page numbers"


def test_the_korean_pdf_is_in_korean_with_a_korean_font():
    path = _pdf("ko")
    assert len(re.findall("[가-힣]", _text(path, 3, 8))) > 500
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        assert "CJK" in fonts or "Type 3" in fonts, fonts[:500]


@pytest.mark.parametrize("docname", DOCNAMES)
def test_the_download_button_points_at_the_editions_pdf(docname):
    language = "ko" if docname.startswith("ko/") else "en"
    page = (HTML_DIR / f"{docname}.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)" class="[^"]*btn-download-book-pdf', page)
    assert links, f"{docname}: no download link to the PDF"
    target = (HTML_DIR / f"{docname}.html").parent / links[0]
    assert target.resolve() == (HTML_DIR / furniture.SITE_FOLDER /
                                furniture.pdf_name(language)).resolve()
    assert "window.print()" not in page
    if not target.exists():
        _unavailable(f"{target} is missing: `make pdf` copies each PDF into the site")


@pytest.mark.parametrize("docname", ["chapters/05_pricing", "ko/chapters/05_pricing"])
def test_print_shows_results_and_answers_never_a_form_or_a_stub(browser, site_url, docname):
    """On paper a calculator is its stored result, code toggles are gone, code wraps, and the
    answers follow the page (a self-check's question stays, without its button)."""
    from urllib.parse import urljoin

    page = browser.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        site_url) else route.abort())
    page.goto(urljoin(site_url, f"{docname}.html"), wait_until="load")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => {
      const visible = (sel) => [...document.querySelectorAll(sel)].filter(
        (e) => getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0).length;
      const pre = document.querySelector('.cell_input pre');
      // a self-check prints as its question and options (its form), never its button
      return {forms: visible('.ec2vl-live, form:not([data-selfcheck] form), button'),
              stubs: visible('details.above-input'),
              inline_answers: visible('.solution:not(.reader-print-solution)'),
              answers: visible('.reader-print-solutions .solution'),
              tables: visible('.cell_output table'),
              wrap: pre ? getComputedStyle(pre).whiteSpace : 'pre-wrap'};
    }""")
    page.close()
    assert shown["forms"] == 0 and shown["stubs"] == 0, shown
    assert shown["inline_answers"] == 0 and shown["answers"] >= 3, shown
    assert shown["tables"] >= 1 and shown["wrap"] == "pre-wrap", shown
