"""Checks of the built static site, as pure functions over files, URLs and HTML text.

The browser tests (``tests/test_site_browser.py``) drive Chromium through every page listed in
``_toc.yml`` and hand what they see to these functions: which pages the book has, which links
and files are local, whether a link's target and anchor exist, whether a page's launch links
point at the right repository, branch and file, whether a cell output shows an error, and whether
a calculator shows its default result and how to go live. Keeping the decisions here lets them be
unit-tested on small HTML snippets (``tests/test_site_check.py``).

Nothing here starts a browser or touches the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

#: The largest HTML file a page may have (issue 6): embedded widget state is the usual culprit.
PAGE_BUDGET_BYTES = 1024 * 1024

#: What marks a live calculator's plain-text form on the static site (see
#: :class:`ec2vslambda.widgets.common.LiveCalculator`).
CALCULATOR_MARK = "[Live calculator:"

_SOURCE_SUFFIXES = (".ipynb", ".md")


# --- the table of contents -------------------------------------------------------------------

def toc_docnames(toc: Mapping) -> list[str]:
    """Every page a Jupyter Book 1 table of contents lists, root first, in reading order.

    Handles ``parts``/``chapters``/``sections`` nesting at any depth. Entries that are URLs or
    globs are not pages and are skipped. Suffixes are dropped (``chapters/05_pricing``).
    """
    if "root" not in toc:
        raise ValueError("toc has no 'root' entry; allowed: a Jupyter Book 1 _toc.yml mapping")
    names = [_strip_suffix(str(toc["root"]))]

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, Mapping):
            if "file" in node:
                names.append(_strip_suffix(str(node["file"])))
            for key in ("parts", "chapters", "sections"):
                if key in node:
                    walk(node[key])

    walk({k: v for k, v in toc.items() if k != "root"})
    return list(dict.fromkeys(names))


def read_toc(path: Path) -> list[str]:
    """:func:`toc_docnames` of a ``_toc.yml`` file."""
    import yaml  # a dependency of jupyter-book; imported here so the package does not need it

    return toc_docnames(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def _strip_suffix(name: str) -> str:
    for suffix in _SOURCE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def html_name(docname: str) -> str:
    """The built page of a document: ``chapters/05_pricing`` -> ``chapters/05_pricing.html``."""
    return f"{docname}.html"


def source_file(book_root: Path, docname: str) -> Path | None:
    """The source of ``docname`` in the book (``.ipynb`` or ``.md``), or None if missing."""
    for suffix in _SOURCE_SUFFIXES:
        candidate = Path(book_root) / f"{docname}{suffix}"
        if candidate.exists():
            return candidate
    return None


# --- local or not ----------------------------------------------------------------------------

def origin(url: str) -> str:
    """``scheme://host:port`` of an absolute URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def is_local(url: str, site_url: str) -> bool:
    """Whether ``url`` is served by the site at ``site_url`` (same origin), e.g. not a CDN."""
    return urlsplit(url).scheme in ("http", "https") and origin(url) == origin(site_url)


@dataclass(frozen=True)
class LocalTarget:
    """A link into the built site: a path below the site root and an optional anchor."""

    path: str  # e.g. "chapters/05_pricing.html" (percent-decoded, no leading slash)
    fragment: str  # "" when the link has no anchor


def local_target(href: str, page_url: str, site_url: str) -> LocalTarget | None:
    """Where a link on ``page_url`` leads inside the site, or None when it leaves the site.

    ``href`` may be relative or absolute; ``mailto:``, ``javascript:`` and other origins give
    None. ``site_url`` is the site root (ending in ``/``).
    """
    absolute = urljoin(page_url, href)
    if not is_local(absolute, site_url):
        return None
    root_path = urlsplit(site_url).path
    parts = urlsplit(absolute)
    path = parts.path
    if not path.startswith(root_path):
        return None
    return LocalTarget(path=unquote(path[len(root_path):]), fragment=unquote(parts.fragment))


def site_file(html_dir: Path, path: str) -> Path | None:
    """The file the static server would send for ``path`` (directories serve index.html)."""
    html_dir = Path(html_dir).resolve()
    candidate = (html_dir / path).resolve()
    if html_dir != candidate and html_dir not in candidate.parents:
        return None  # ../ escapes the site
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def html_ids(text: str) -> set[str]:
    """Every anchor a page offers: ``id`` attributes and ``<a name=...>``."""
    soup = BeautifulSoup(text, "html.parser")
    ids = {str(tag["id"]) for tag in soup.find_all(id=True)}
    ids |= {str(tag["name"]) for tag in soup.find_all("a", attrs={"name": True})}
    return ids


# --- what a page shows ------------------------------------------------------------------------

@dataclass(frozen=True)
class Image:
    src: str
    alt: str | None  # None when the attribute is missing


@dataclass(frozen=True)
class Output:
    """One cell's rendered output block."""

    classes: tuple[str, ...]  # classes of the output's children, e.g. ("output", "traceback")
    text: str
    cell_tags: tuple[str, ...]  # the cell's tags, e.g. ("raises-exception",)
    has_table: bool
    has_image: bool
    widget_controls: int  # <input>, <select>, <textarea>, sliders, widget views
    live_calculators: tuple[str, ...] = ()  # data-calculator names of live calculators
    live_placeholders: tuple[str, ...] = ()  # calculators left as placeholders (not made live)


@dataclass
class PageFacts:
    """What a reader meets on one page (from the browser's DOM)."""

    title: str
    h1: str
    html_lang: str = ""
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang -> href
    links: list[str] = field(default_factory=list)  # href attributes as written
    images: list[Image] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)  # src/href of scripts, styles, images
    #: absolute URLs the page loads or can load without leaving it: assets, frames, and URLs
    #: written into inline scripts (a button that fetches a script on click, as Thebe's did)
    loadable_urls: list[str] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    launch_links: dict[str, str] = field(default_factory=dict)  # "Binder" -> URL
    widget_views: int = 0  # embedded widget views: drawn (and dead) once the CDN script loads


_ABSOLUTE = re.compile(r"(?:https?:)?//", re.IGNORECASE)
_URL_IN_TEXT = re.compile(r"https?://[^\s\"'`<>\\)]+", re.IGNORECASE)
_SCRIPT_TYPES = ("text/javascript", "module", "application/javascript")


def is_loopback(url: str) -> bool:
    """Whether an absolute URL names this machine (127.0.0.1, localhost or ::1)."""
    host = urlsplit(url if "://" in url else f"http:{url}").hostname or ""
    return host in ("127.0.0.1", "localhost", "::1")


_CONTROL_SELECTOR = ("input, select, textarea, .widget-slider, .jupyter-widgets, "
                     ".widget-inline-hbox")


def page_facts(text: str) -> PageFacts:
    """Parse a page's HTML (the DOM the browser built, or the file) into :class:`PageFacts`."""
    soup = BeautifulSoup(text, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    article = soup.select_one("article") or soup
    h1 = article.find("h1")
    facts = PageFacts(title=title, h1=_heading_text(h1) if h1 else "")
    facts.html_lang = str(soup.html.get("lang", "")) if soup.html else ""
    facts.alternates = {str(link["hreflang"]): str(link["href"])
                        for link in soup.find_all("link", rel="alternate", hreflang=True)}
    facts.links = [str(a["href"]) for a in soup.find_all("a", href=True)]
    facts.images = [Image(src=str(img.get("src", "")),
                          alt=None if img.get("alt") is None else str(img["alt"]))
                    for img in soup.find_all("img")]
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("source", "src")):
        for element in soup.find_all(tag, attrs={attr: True}):
            if tag == "link" and not {"stylesheet", "icon", "preload"} & set(
                    element.get("rel") or []):
                continue
            facts.assets.append(str(element[attr]))
    facts.loadable_urls = [a for a in facts.assets if _ABSOLUTE.match(a)]
    facts.loadable_urls += [str(e["src"]) for e in soup.find_all(["iframe", "embed", "video",
                                                                   "audio"], src=True)
                            if _ABSOLUTE.match(str(e["src"]))]
    for script in soup.find_all("script", src=False):
        if (script.get("type") or "text/javascript") in _SCRIPT_TYPES:
            facts.loadable_urls += _URL_IN_TEXT.findall(script.string or "")
    for block in soup.select("div.cell_output"):
        cell = block.find_parent("div", class_="cell")
        tags = tuple(c[len("tag_"):] for c in (cell.get("class") or []) if c.startswith("tag_")) \
            if cell else ()
        classes = tuple(dict.fromkeys(
            c for child in block.find_all(class_="output") for c in child.get("class") or []))
        live = block.select(".ec2vl-live[data-calculator]")
        facts.outputs.append(Output(
            classes=classes, text=block.get_text("\n"), cell_tags=tags,
            has_table=block.find("table") is not None,
            has_image=block.find(["img", "svg"]) is not None,
            widget_controls=sum(1 for c in block.select(_CONTROL_SELECTOR)
                                if not c.find_parent(class_="ec2vl-live")),
            live_calculators=tuple(str(b["data-calculator"]) for b in live if b.find("form")),
            live_placeholders=tuple(str(b["data-calculator"]) for b in live
                                    if not b.find("form")),
        ))
    for a in soup.select(".dropdown-launch-buttons a[href]"):
        label = a.get_text(" ", strip=True) or str(a.get("title", ""))
        facts.launch_links[label] = str(a["href"])
    facts.widget_views = len(soup.find_all(
        "script", attrs={"type": "application/vnd.jupyter.widget-view+json"}))
    return facts


def _heading_text(tag) -> str:
    """A heading's text without its "#" permalink (the soup is left as it was)."""
    skip = {id(s) for link in tag.select("a.headerlink") for s in link.find_all(string=True)}
    return " ".join(s.strip() for s in tag.find_all(string=True)
                    if id(s) not in skip and s.strip())


# --- errors in outputs ------------------------------------------------------------------------

_TRACEBACK = re.compile(
    r"Traceback \(most recent call last\)|^\s*-{20,}\s*$\n\s*\w+(Error|Exception)", re.MULTILINE)
_STDERR_PROBLEM = re.compile(r"\b\w*(Error|Exception|Warning)\b")


def output_problem(output: Output) -> str | None:
    """Why an output block counts as an error a reader should never see, or None.

    A traceback (rendered error output or its text) fails unless the cell is tagged
    ``raises-exception`` (an error shown on purpose, for teaching). Text on stderr fails when it
    names an error, exception or warning.
    """
    if "raises-exception" in output.cell_tags:
        return None
    first_line = output.text.strip().splitlines()[0][:120] if output.text.strip() else ""
    if "traceback" in output.classes or "error" in output.classes or _TRACEBACK.search(output.text):
        return f"a traceback: {first_line!r}"
    if "stderr" in output.classes and _STDERR_PROBLEM.search(output.text):
        return f"an error or warning on stderr: {first_line!r}"
    return None


# --- calculators on the static site -----------------------------------------------------------

def calculator_problems(outputs: list[Output], how_to_go_live: str) -> list[str]:
    """What is wrong with the calculators on a static page, as readable sentences.

    * No output may hold a control (slider, text box, widget view) outside a live calculator:
      nothing else runs on a static page, so such a control would silently do nothing.
    * A live calculator (``ec2vl-live``) must have been made live by the book's extension (a
      form, not the bare placeholder) and come after a default result.
    * Each other calculator's text form must carry the whole ``how_to_go_live`` note.
    * Each calculator must come after a default result: a table or figure in the same output or
      in one of the two outputs before it.
    """
    problems = []
    for index, output in enumerate(outputs):
        if output.widget_controls:
            problems.append(f"output {index + 1} shows {output.widget_controls} input control(s) "
                            "that cannot run on a static page")
        for name in output.live_placeholders:
            problems.append(f"calculator {name!r} was left as a placeholder: the live_calculators "
                            "extension did not make it live")
        before = outputs[max(0, index - 2): index + 1]
        for name in output.live_calculators:
            if not any(o.has_table or o.has_image for o in before):
                problems.append(f"live calculator {name!r}: no default result (table or figure) "
                                "just before it")
        if CALCULATOR_MARK not in output.text or output.live_calculators:
            continue
        name = output.text.split(CALCULATOR_MARK, 1)[1].split("]", 1)[0].strip()
        flat = " ".join(output.text.split())
        if " ".join(how_to_go_live.split()) not in flat:
            shown = flat[flat.index(CALCULATOR_MARK):][:200]
            problems.append(f"calculator {name!r}: its note on how to go live is missing or cut "
                            f"short (shown: {shown!r})")
        if not any(o.has_table or o.has_image for o in before):
            problems.append(f"calculator {name!r}: no default result (table or figure) just "
                            "before it")
    return problems


# --- launch links -----------------------------------------------------------------------------

@dataclass(frozen=True)
class LaunchTarget:
    """What a launch link opens: a GitHub repository, a branch and a file in it."""

    service: str  # "binder", "colab" or "jupyterhub"
    repo: str  # "owner/name"
    branch: str
    path: str  # the notebook's path inside the repository


def github_repo(url: str) -> str:
    """``owner/name`` of a GitHub repository URL (``.git`` and trailing slashes ignored)."""
    parts = urlsplit(url)
    if parts.netloc.lower() not in ("github.com", "www.github.com"):
        raise ValueError(f"url={url!r} is not a GitHub repository; allowed: https://github.com/"
                         "owner/name")
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2:
        raise ValueError(f"url={url!r} does not name owner and repository; allowed: "
                         "https://github.com/owner/name")
    name = segments[1][:-4] if segments[1].endswith(".git") else segments[1]
    return f"{segments[0]}/{name}"


def parse_launch_url(url: str) -> LaunchTarget:
    """Read a Binder, Colab or nbgitpuller (JupyterHub) launch URL back into its target."""
    parts = urlsplit(url)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    if segments[:2] == ["v2", "gh"] and len(segments) >= 5:
        urlpath = query.get("urlpath", "")
        path = re.sub(r"^(lab/tree|tree|notebooks|doc/tree)/", "", urlpath)
        return LaunchTarget("binder", f"{segments[2]}/{segments[3]}", "/".join(segments[4:]),
                            path)
    if segments[:1] == ["github"] and len(segments) >= 6 and segments[3] == "blob":
        return LaunchTarget("colab", f"{segments[1]}/{segments[2]}", segments[4],
                            "/".join(segments[5:]))
    if segments[-1:] == ["git-pull"] and "repo" in query:
        repo = github_repo(query["repo"])
        folder = repo.split("/")[1]
        urlpath = re.sub(r"^(lab/tree|tree|notebooks|doc/tree)/", "", query.get("urlpath", ""))
        path = urlpath[len(folder) + 1:] if urlpath.startswith(folder + "/") else urlpath
        return LaunchTarget("jupyterhub", repo, query.get("branch", ""), path)
    raise ValueError(f"url={url!r} is not a Binder, Colab or nbgitpuller launch link")


def launch_problems(links: Mapping[str, str], *, repository_url: str, branch: str,
                    path_in_repo: str, required: Iterable[str] = ("binder", "colab")) -> list[str]:
    """Compare a notebook page's launch links with the repository settings in ``_config.yml``.

    ``links`` maps button labels to URLs; ``path_in_repo`` is the notebook's path in the
    repository (``path_to_book`` + document + ``.ipynb``).
    """
    problems = []
    expected_repo = github_repo(repository_url)
    seen = set()
    for label, url in links.items():
        try:
            target = parse_launch_url(url)
        except ValueError:
            continue  # e.g. a JupyterLite link: not checked here
        seen.add(target.service)
        for what, got, want in (("repository", target.repo, expected_repo),
                                ("branch", target.branch, branch),
                                ("path", target.path, path_in_repo)):
            if got != want:
                problems.append(f"{label} link opens {what} {got!r}, expected {want!r}: {url}")
    for service in required:
        if service not in seen:
            problems.append(f"no {service} launch link")
    return problems


# --- sizes ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SizeReport:
    total_bytes: int  # every file of the built site
    page_bytes: dict[str, int]  # HTML size of each listed page

    def largest(self, count: int = 5) -> list[tuple[str, int]]:
        return sorted(self.page_bytes.items(), key=lambda kv: (-kv[1], kv[0]))[:count]

    def over_budget(self, budget_bytes: int = PAGE_BUDGET_BYTES) -> list[tuple[str, int]]:
        return [(p, n) for p, n in self.largest(len(self.page_bytes)) if n > budget_bytes]

    def summary(self, count: int = 5) -> str:
        lines = [f"site: {len(self.page_bytes)} pages, {self.total_bytes / 1e6:.1f} MB in total "
                 "(every file of the built site)", "largest pages (HTML):"]
        lines += [f"  {n / 1024:8.1f} KiB  {p}" for p, n in self.largest(count)]
        return "\n".join(lines)


def size_report(html_dir: Path, docnames: Iterable[str]) -> SizeReport:
    """Sizes of the built site and of each page's HTML (missing pages count as 0)."""
    html_dir = Path(html_dir)
    total = sum(p.stat().st_size for p in html_dir.rglob("*") if p.is_file())
    pages = {}
    for name in docnames:
        path = html_dir / html_name(name)
        pages[html_name(name)] = path.stat().st_size if path.exists() else 0
    return SizeReport(total_bytes=total, page_bytes=pages)


# --- the Colab setup cell ---------------------------------------------------------------------

_GITHUB_URL = re.compile(r"https://(?:www\.)?github\.com/[\w.-]+/[\w.-]+")
_BRANCH_OPTION = re.compile(r"(?:--branch[= ]|-b )\s*['\"]?([\w./-]+)")


def _cell_source(cell: Mapping) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def colab_setup_problems(notebook: Mapping, repository_url: str, branch: str) -> list[str]:
    """What is wrong with a notebook's Colab setup cell, as readable sentences.

    The first code cell must be tagged ``hide-input``, act only on Colab (mention
    ``google.colab``), run ``git clone``, and name no GitHub repository but ``repository_url``
    (the one in ``_config.yml``); a ``--branch``/``-b`` option must name ``branch``.
    """
    code = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    if not code:
        return ["the notebook has no code cell, so no Colab setup cell"]
    cell = code[0]
    source = _cell_source(cell)
    problems = []
    if "hide-input" not in (cell.get("metadata", {}).get("tags") or []):
        problems.append("the first code cell is not tagged hide-input")
    if "google.colab" not in source:
        problems.append("the first code cell does not check for Colab (google.colab)")
    if not re.search(r"\bclone\b", source):
        problems.append("the first code cell does not git clone the repository")
    want = github_repo(repository_url)
    urls = _GITHUB_URL.findall(source)
    if not urls:
        problems.append(f"the first code cell names no GitHub repository; expected {want}")
    for url in urls:
        if github_repo(url) != want:
            problems.append(f"the setup cell clones {url}, but _config.yml says {repository_url}")
    for named in _BRANCH_OPTION.findall(source):
        if named != branch:
            problems.append(f"the setup cell clones branch {named!r}, but _config.yml says "
                            f"{branch!r}")
    return problems


def pdf_page_count(pdf: bytes) -> int:
    """Pages in a PDF as Chromium writes it (one ``/Type /Page`` object per page)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
