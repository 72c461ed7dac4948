"""A PDF of each edition, printed from the built site by the Chromium the tests use.

``make pdf`` runs this after ``make book``. For each edition it joins the articles of every page
in the table of contents' order into one document (the site's own stylesheets, with its print
rules: calculators as their stored results, no code toggles, code wrapped, answers at the end
of each chapter), adds a cover and a table of contents, and prints it to A4 with page numbers
and a bookmark for each heading. The contents' page numbers come from a first printing: each
chapter's first page is where its title first appears after the contents.

    python tools/pdf.py [--site _build/html] [--out _build/pdf] [--edition en --edition ko]

Writes ``_build/pdf/ec2-vs-lambda-<language>.pdf`` and copies each into the site's ``pdf/``
folder, where every page's download button points. Needs Chromium (``/usr/bin/chromium``) and
Playwright; ``pdftotext`` (poppler-utils) for the contents' page numbers.
"""

from __future__ import annotations

import argparse
import datetime
import html
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT))

from reader import furniture  # noqa: E402 - after the path is set
from reader.pages import element_end  # noqa: E402

from tools import serve  # noqa: E402

#: language -> the edition's folder under the site's root
EDITIONS = {"en": "", "ko": "ko/"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]
#: Shown on the cover and in the contents' heading, per edition.
WORDS = {"en": {"contents": "Contents", "edition": "English edition",
                "built": "Printed from the website on {date}", "page": "page"},
         "ko": {"contents": "목차", "edition": "한국어판",
                "built": "{date}에 웹사이트에서 인쇄", "page": "쪽"}}

PDF_CSS = """
@media print {
  .pdf-cover { height: 240mm; display: flex; flex-direction: column; justify-content: center;
    text-align: center; break-after: page; }
  .pdf-cover .pdf-title { font-size: 26pt; font-weight: bold; margin-bottom: 0.6em; }
  .pdf-cover p { font-size: 12pt; margin: 0.3em 0; }
  .pdf-contents { break-after: page; }
  .pdf-contents ol { list-style: none; padding: 0; }
  .pdf-contents li { display: flex; gap: 0.5em; margin: 0.25em 0; }
  .pdf-contents li.pdf-part { font-weight: bold; margin-top: 0.8em; }
  .pdf-contents .pdf-dots { flex: 1; border-bottom: 1px dotted #888; margin-bottom: 0.3em; }
  .pdf-chapter { break-before: page; }
  /* the theme hides a page's first heading in print (it prints the title in its own header,
     which the book leaves out): each chapter shows its heading */
  .bd-main .bd-content .bd-article .pdf-chapter h1:first-of-type { display: block !important;
    margin-top: 0; }
  .pdf-chapter .reader-print-solutions { break-before: auto; }
}
html[lang="ko"] body { font-family: "Noto Sans CJK KR", "Noto Sans KR", sans-serif; }
"""


def toc_entries(toc_path: Path) -> list[tuple[str | None, str]]:
    """(part caption or None, docname) in reading order, the root first."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    entries: list[tuple[str | None, str]] = [(None, str(toc["root"]))]

    def walk(items, caption):
        for item in items or []:
            if "file" in item:
                entries.append((caption, str(item["file"]).removesuffix(".ipynb")
                                .removesuffix(".md")))
            walk(item.get("sections"), caption)

    for part in toc.get("parts", []):
        walk(part.get("chapters"), part.get("caption"))
    walk(toc.get("chapters"), None)
    return entries


def _slug(docname: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", docname.lower()).strip("-")


def article(page_html: str) -> str:
    """The inner HTML of a built page's ``<article>`` (its content, without the theme)."""
    match = re.search(r"<article\b[^>]*>", page_html)
    if match is None:
        raise ValueError("no <article> in the page")
    end = element_end(page_html, match.start())
    inner = page_html[match.end():end]
    return inner[:inner.rfind("</article>")]


def rebase(fragment: str, docname: str, page_url: str, book: set[str], edition_url: str) -> str:
    """Ids prefixed by the page, links inside the book turned into links inside the PDF, every
    other relative URL made absolute."""
    slug = _slug(docname)
    fragment = re.sub(r'\bid="([^"]*)"', lambda m: f'id="{slug}--{m.group(1)}"', fragment)
    fragment = fragment.replace(' loading="lazy"', "")

    def url(match: re.Match) -> str:
        attribute, value = match.group(1), html.unescape(match.group(2))
        if value.startswith("#"):
            return f'{attribute}="#{slug}--{value[1:]}"'
        absolute = urljoin(page_url, value)
        parts = urlsplit(absolute)
        if absolute.startswith(edition_url) and parts.path.endswith(".html"):
            target = parts.path[len(urlsplit(edition_url).path):].removesuffix(".html")
            if target in book:
                anchor = f"{_slug(target)}--{parts.fragment}" if parts.fragment else \
                    f"{_slug(target)}--start"
                return f'{attribute}="#{anchor}"'
        return f'{attribute}="{html.escape(absolute, quote=True)}"'

    return re.sub(r'\b(href|src)="([^"]*)"', url, fragment)


def _head(index_html: str, index_url: str) -> str:
    """The edition's stylesheets and MathJax (configuration and script), with absolute URLs."""
    head = index_html[:index_html.find("</head>")]
    tags = re.findall(r'<link\b[^>]*rel="stylesheet"[^>]*>', head)
    tags += [m for m in re.findall(r"<script\b[^>]*>.*?</script>", head, re.DOTALL)
             if "mathjax" in m.lower() or "MathJax" in m]
    return re.sub(r'\b(href|src)="([^"]*)"',
                  lambda m: f'{m.group(1)}="{urljoin(index_url, html.unescape(m.group(2)))}"',
                  "\n".join(tags))


def document(site: Path, site_url: str, language: str, numbers: dict[str, int]) -> str:
    """The whole edition as one HTML document (``numbers``: docname -> first page)."""
    folder = EDITIONS[language]
    edition_url = urljoin(site_url, folder)
    entries = toc_entries(ROOT / "_toc.yml")
    book = {d for _c, d in entries}
    front = entries[0][1]  # the root page (index.html only redirects to it)
    index = (site / folder / f"{front}.html").read_text(encoding="utf-8")
    words = WORDS[language]
    site_title = html.unescape(re.search(r"<title>(.*?)</title>", index, re.DOTALL).group(1))
    site_title = site_title.split(" — ")[-1].strip()
    chapters, contents, part = [], [], None
    for caption, docname in entries:
        page_url = urljoin(edition_url, f"{docname}.html")
        page = (site / folder / f"{docname}.html").read_text(encoding="utf-8")
        title = re.sub(r"<[^>]+>", "", re.search(r"<h1\b.*?</h1>", page, re.DOTALL).group(0))
        title = html.unescape(title).replace("#", "").strip()
        if caption and caption != part:
            part = caption
            contents.append(f'<li class="pdf-part">{html.escape(_caption(caption, language))}'
                            "</li>")
        number = numbers.get(docname, "")
        contents.append(f'<li><a href="#{_slug(docname)}--start">{html.escape(title)}</a>'
                        f'<span class="pdf-dots"></span><span>{number}</span></li>')
        chapters.append(f'<section class="pdf-chapter" id="{_slug(docname)}--start">'
                        f'{rebase(article(page), docname, page_url, book, edition_url)}'
                        "</section>")
    date = datetime.date.today().isoformat()
    cover = (f'<section class="pdf-cover"><p class="pdf-title">{html.escape(site_title)}</p>'
             f'<p>{html.escape(words["edition"])}</p>'
             f'<p>{html.escape(words["built"].format(date=date))}</p></section>')
    toc = (f'<section class="pdf-contents"><h2>{html.escape(words["contents"])}</h2><ol>'
           + "".join(contents) + "</ol></section>")
    return (f'<!DOCTYPE html><html lang="{language}" data-theme="light" data-mode="light">'
            f'<head><meta charset="utf-8"><title>{html.escape(site_title)}</title>'
            f'{_head(index, urljoin(edition_url, f"{front}.html"))}<style>{PDF_CSS}</style></head>'
            '<body><main class="bd-main"><div class="bd-content">'
            '<div class="bd-article-container">'
            f'<article class="bd-article">{cover}{toc}{"".join(chapters)}</article></div></div>'
            "</main></body></html>")


def _caption(caption: str, language: str) -> str:
    if language == "en":
        return caption
    sys.path.insert(0, str(ROOT / "tools"))
    from translations import book_translations

    return book_translations(language).get(caption, caption)


def first_pages(pdf: bytes, titles: dict[str, str], after: int) -> dict[str, int]:
    """docname -> the first page (1-based) after page ``after`` that starts with its title
    (each chapter starts a page, with its title first)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              check=True).stdout.decode("utf-8", "replace")
    # compared without white space: pdftotext splits a line's runs of Latin and Hangul text
    pages = ["".join(p.split()) for p in text.split("\f")]
    found, start = {}, after
    for docname, title in titles.items():
        wanted = "".join(title.split())
        for number in range(start, len(pages)):
            if pages[number].startswith(wanted):
                found[docname] = number + 1
                start = number
                break
    return found


def _footer(title: str) -> str:
    return ('<div style="font-size:8px; width:100%; padding:0 14mm; display:flex; '
            'justify-content:space-between; font-family:sans-serif; color:#555">'
            f'<span>{html.escape(title)}</span><span><span class="pageNumber"></span> / '
            '<span class="totalPages"></span></span></div>')


def print_pdf(page, markup: str, title: str) -> bytes:
    page.set_content(markup, wait_until="load", timeout=120_000)
    page.wait_for_function("() => [...document.images].every((i) => i.complete)",
                           timeout=60_000)
    page.evaluate("async () => { if (window.MathJax && MathJax.startup) {"
                  " await MathJax.startup.promise; } }")
    page.emulate_media(media="print")
    return page.pdf(format="A4", print_background=False, display_header_footer=True,
                    header_template="<span></span>", footer_template=_footer(title),
                    margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
                    outline=True, tagged=True)


def build(site: Path, out: Path, languages: list[str]) -> dict[str, dict]:
    """Print each edition; returns language -> {path, pages, chapters: docname -> page}."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if not chromium:
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    out.mkdir(parents=True, exist_ok=True)
    report = {}
    with tempfile.TemporaryDirectory(prefix="pdf-serve-") as cache:
        server = serve.make_server(site, cache_dir=Path(cache), quiet=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        site_url = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium,
                                                     args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.route("**/*", lambda route: route.continue_() if route.request.url
                           .startswith((site_url, "data:", "about:")) else route.abort())
                for language in languages:
                    started = time.perf_counter()
                    report[language] = _edition(page, site, site_url, language, out)
                    report[language]["seconds"] = time.perf_counter() - started
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return report


def _edition(page, site: Path, site_url: str, language: str, out: Path) -> dict:
    entries = toc_entries(ROOT / "_toc.yml")
    folder = EDITIONS[language]
    titles = {}
    for _caption_text, docname in entries:
        text = (site / folder / f"{docname}.html").read_text(encoding="utf-8")
        heading = re.search(r"<h1\b.*?</h1>", text, re.DOTALL).group(0)
        titles[docname] = html.unescape(re.sub(r"<[^>]+>", "", heading)).replace("#", "").strip()
    first = document(site, site_url, language, {})
    title = re.search(r"<title>(.*?)</title>", first).group(1)
    draft = print_pdf(page, first, html.unescape(title))
    contents_pages = 2  # the cover and (at most) one page of contents
    numbers = first_pages(draft, titles, contents_pages)
    final = print_pdf(page, document(site, site_url, language, numbers), html.unescape(title))
    path = out / furniture.pdf_name(language)
    path.write_bytes(final)
    shipped = site / furniture.SITE_FOLDER / path.name
    shipped.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, shipped)
    pages_total = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", final))
    return {"path": path, "pages": pages_total, "chapters": numbers, "titles": titles}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf")
    parser.add_argument("--edition", action="append", choices=sorted(EDITIONS))
    args = parser.parse_args(argv)
    languages = args.edition or list(EDITIONS)
    for language in languages:
        if not (args.site / EDITIONS[language] / "index.html").is_file():
            print(f"no built {language} edition in {args.site}: run `make book` first",
                  file=sys.stderr)
            return 1
    report = build(args.site, args.out, languages)
    for facts in report.values():
        numbers = facts["chapters"]
        order = list(facts["titles"])
        starts = [numbers.get(d) for d in order] + [facts["pages"] + 1]
        lengths = {d: starts[i + 1] - starts[i] for i, d in enumerate(order)
                   if starts[i] and starts[i + 1]}
        longest = sorted(lengths.items(), key=lambda kv: -kv[1])[:3]
        print(f"{facts['path']}: {facts['pages']} A4 pages in {facts['seconds']:.0f} s; "
              f"longest: " + ", ".join(f"{d} {n}" for d, n in longest)
              + f"; chapters/05_pricing: {lengths.get('chapters/05_pricing', '?')} pages")
        missing = [d for d in order if d not in numbers]
        if missing:
            print(f"  no page number found for: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
