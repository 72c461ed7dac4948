"""Unit tests of the site checks (tests/site_check.py), and the Colab setup cell of every
notebook. No browser, no built site needed."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import yaml

from tests import site_check as sc
from tools import colab_setup

BOOK_ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((BOOK_ROOT / "_config.yml").read_text(encoding="utf-8"))
SITE = "http://127.0.0.1:8123/"
REPO = "https://github.com/ec2-vs-lambda/ec2-vs-lambda-book"


# --- table of contents ------------------------------------------------------------------------

def test_toc_docnames_walks_parts_chapters_and_sections_in_order():
    toc = {"format": "jb-book", "root": "intro", "parts": [
        {"caption": "A", "chapters": [
            {"file": "chapters/01_a.ipynb", "sections": [{"file": "chapters/01b"}]},
            {"url": "https://example.org", "title": "not a page"}]},
        {"caption": "B", "chapters": [{"file": "labs/01.md"}, {"file": "chapters/01_a"}]}]}
    assert sc.toc_docnames(toc) == ["intro", "chapters/01_a", "chapters/01b", "labs/01"]


def test_toc_without_root_is_refused():
    with pytest.raises(ValueError, match="root"):
        sc.toc_docnames({"chapters": [{"file": "a"}]})


def test_every_page_in_the_real_toc_has_a_source():
    names = sc.read_toc(BOOK_ROOT / "_toc.yml")
    assert names[0] == "intro"
    missing = [n for n in names if sc.source_file(BOOK_ROOT, n) is None]
    assert not missing, f"_toc.yml lists pages with no .md/.ipynb source: {missing}"


# --- local links and files --------------------------------------------------------------------

@pytest.mark.parametrize(("href", "expected"), [
    ("05_pricing.html#the-free-tier", sc.LocalTarget("chapters/05_pricing.html", "the-free-tier")),
    ("../reference/glossary.html#term-Cold-start",
     sc.LocalTarget("reference/glossary.html", "term-Cold-start")),
    ("#top", sc.LocalTarget("chapters/01.html", "top")),
    ("/_static/x%20y.css", sc.LocalTarget("_static/x y.css", "")),
    (SITE + "intro.html", sc.LocalTarget("intro.html", "")),
    ("https://aws.amazon.com/lambda/pricing/", None),
    ("http://127.0.0.1:9999/intro.html", None),  # another port is another origin
    ("mailto:someone@example.org", None),
    ("javascript:void(0)", None),
])
def test_local_target(href, expected):
    assert sc.local_target(href, SITE + "chapters/01.html", SITE) == expected


def test_is_local_tells_the_site_from_a_cdn():
    assert sc.is_local(SITE + "_static/a.js", SITE)
    assert not sc.is_local("https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js", SITE)
    assert not sc.is_local("data:image/png;base64,AAAA", SITE)


def test_loadable_urls_include_inline_script_urls_and_frames_but_not_links():
    facts = sc.page_facts(
        '<html><head><script src="//cdn.example.org/a.js"></script>'
        '<script>const THEBE_JS_URL = "https://unpkg.com/thebe@0.8.2/lib/index.js";</script>'
        '<script type="application/ld+json">{"url": "https://example.org/"}</script>'
        '<link rel="alternate" hreflang="ko" href="https://example.org/ko/"></head><body>'
        '<iframe src="https://www.youtube.com/embed/x"></iframe>'
        '<a href="https://mybinder.org/v2/gh/o/r/main">Binder</a>'
        '<script type="module">import "./_static/live.js";</script></body></html>')
    assert facts.loadable_urls == ["//cdn.example.org/a.js", "https://www.youtube.com/embed/x",
                                   "https://unpkg.com/thebe@0.8.2/lib/index.js"]


@pytest.mark.parametrize("url, expected", [
    ("http://127.0.0.1:8000/", True), ("http://localhost/x", True), ("http://[::1]:80/", True),
    ("https://unpkg.com/thebe", False), ("//cdn.example.org/a.js", False),
    ("http://127.0.0.1.example.org/", False)])
def test_is_loopback(url, expected):
    assert sc.is_loopback(url) is expected


def test_site_file_serves_index_for_folders_and_refuses_escapes(tmp_path):
    (tmp_path / "html" / "sub").mkdir(parents=True)
    (tmp_path / "html" / "sub" / "index.html").write_text("x")
    (tmp_path / "html" / "a.html").write_text("x")
    (tmp_path / "secret.txt").write_text("x")
    html = tmp_path / "html"
    assert sc.site_file(html, "a.html") == (html / "a.html").resolve()
    assert sc.site_file(html, "sub") == (html / "sub" / "index.html").resolve()
    assert sc.site_file(html, "missing.html") is None
    assert sc.site_file(html, "../secret.txt") is None


def test_html_ids_include_ids_and_named_anchors():
    text = '<section id="a"><span id="b"></span><a name="c">x</a><a href="#d">d</a></section>'
    assert sc.html_ids(text) == {"a", "b", "c"}


# --- page facts -------------------------------------------------------------------------------

PAGE = """<html><head><title>5. Pricing &#8212; Book</title>
<link rel="stylesheet" href="../_static/site.css"><link rel="canonical" href="x.html">
<script src="../_static/a.js"></script><script src="https://cdn.example.org/m.js"></script>
<script type="application/vnd.jupyter.widget-view+json">{}</script></head><body>
<div class="dropdown-launch-buttons"><ul>
<li><a href="https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/c/5.ipynb">
 <img alt="Binder logo" src="../_static/images/logo_binder.svg"><span>Binder</span></a></li>
<li><a href="https://colab.research.google.com/github/o/r/blob/main/c/5.ipynb">
 <span>Colab</span></a></li></ul></div>
<article><h1>5. Pricing<a class="headerlink" href="#pricing">#</a></h1>
<img src="../_images/f.png">
<div class="cell docutils container"><div class="cell_output docutils container">
<div class="output text_html"><table><tr><td>1</td></tr></table></div></div></div>
<div class="cell tag_raises-exception docutils container"><div class="cell_output">
<div class="output traceback"><pre>Traceback (most recent call last)</pre></div></div></div>
<div class="cell docutils container"><div class="cell_output docutils container">
<input type="range"></div></div>
</article></body></html>"""


def test_page_facts_reads_title_heading_links_images_assets_outputs():
    facts = sc.page_facts(PAGE)
    assert facts.title == "5. Pricing — Book"
    assert facts.h1 == "5. Pricing"
    assert "#pricing" in facts.links
    assert facts.images[1] == sc.Image(src="../_images/f.png", alt=None)
    assert facts.images[0].alt == "Binder logo"
    assert "../_static/site.css" in facts.assets and "x.html" not in facts.assets
    assert "https://cdn.example.org/m.js" in facts.assets
    assert facts.launch_links == {
        "Binder": "https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/c/5.ipynb",
        "Colab": "https://colab.research.google.com/github/o/r/blob/main/c/5.ipynb"}
    assert facts.widget_views == 1
    table, traceback, control = facts.outputs
    assert table.has_table and not table.has_image and table.cell_tags == ()
    assert traceback.cell_tags == ("raises-exception",) and "traceback" in traceback.classes
    assert control.widget_controls == 1


def _output(text="", classes=("output", "text_plain"), tags=(), table=False, image=False,
            controls=0):
    return sc.Output(classes=tuple(classes), text=text, cell_tags=tuple(tags), has_table=table,
                     has_image=image, widget_controls=controls)


@pytest.mark.parametrize(("output", "why"), [
    (_output("42"), None),
    (_output("x", classes=("output", "traceback")), "traceback"),
    (_output("Traceback (most recent call last):\n  File ..."), "traceback"),
    (_output("-" * 40 + "\nValueError    Traceback"), "traceback"),
    (_output("Traceback (most recent call last)", classes=("output", "traceback"),
             tags=("raises-exception",)), None),
    (_output("/x.py:3: FutureWarning: soon", classes=("output", "stderr")), "stderr"),
    (_output("100%|#####| 10/10", classes=("output", "stderr")), None),
])
def test_output_problem(output, why):
    problem = sc.output_problem(output)
    assert (problem is None) if why is None else (why in problem)


NOTE = "needs a running Python kernel. Launch it on Binder."


def test_calculator_with_default_result_and_full_note_passes():
    outputs = [_output(table=True), _output(f"[Live calculator: Cost] This calculator {NOTE}")]
    assert sc.calculator_problems(outputs, NOTE) == []


def test_calculator_note_cut_short_is_reported():
    outputs = [_output(image=True), _output("[Live calculator: Cost] This calculator needs a "
                                            "running Python kernel. Launch it on Bi…")]
    (problem,) = sc.calculator_problems(outputs, NOTE)
    assert "'Cost'" in problem and "cut short" in problem


def test_calculator_without_default_result_is_reported():
    outputs = [_output("some text"), _output("more"), _output("x"),
               _output(f"[Live calculator: Cost] This calculator {NOTE}")]
    (problem,) = sc.calculator_problems(outputs, NOTE)
    assert "no default result" in problem


def test_a_live_control_on_a_static_page_is_reported():
    (problem,) = sc.calculator_problems([_output(controls=2)], NOTE)
    assert "2 input control" in problem


# --- launch links -----------------------------------------------------------------------------

BINDER = "https://mybinder.org/v2/gh/ec2-vs-lambda/ec2-vs-lambda-book/main?urlpath=lab/tree/{}"
COLAB = "https://colab.research.google.com/github/ec2-vs-lambda/ec2-vs-lambda-book/blob/main/{}"
HUB = ("https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A//github.com/ec2-vs-lambda/"
       "ec2-vs-lambda-book&urlpath=lab/tree/ec2-vs-lambda-book/{}&branch=main")


@pytest.mark.parametrize(("url", "service"), [(BINDER, "binder"), (COLAB, "colab"),
                                              (HUB, "jupyterhub")])
def test_parse_launch_url_reads_repo_branch_and_path(url, service):
    target = sc.parse_launch_url(url.format("labs/01_x.ipynb"))
    assert target == sc.LaunchTarget(service, "ec2-vs-lambda/ec2-vs-lambda-book", "main",
                                     "labs/01_x.ipynb")


def test_parse_launch_url_refuses_other_links():
    with pytest.raises(ValueError, match="not a Binder, Colab"):
        sc.parse_launch_url("https://example.org/notebook.ipynb")


def test_launch_problems_accepts_matching_links_and_reports_each_mismatch():
    good = {"Binder": BINDER.format("c/5.ipynb"), "Colab": COLAB.format("c/5.ipynb")}
    assert sc.launch_problems(good, repository_url=REPO, branch="main",
                              path_in_repo="c/5.ipynb") == []
    bad = {"Binder": BINDER.format("c/4.ipynb").replace("/main?", "/dev?")}
    problems = sc.launch_problems(bad, repository_url=REPO, branch="main",
                                  path_in_repo="c/5.ipynb")
    assert any("branch 'dev'" in p for p in problems)
    assert any("path 'c/4.ipynb'" in p for p in problems)
    assert "no colab launch link" in problems


@pytest.mark.parametrize("url", [REPO, REPO + ".git", REPO + "/", "https://www.github.com/"
                                 "ec2-vs-lambda/ec2-vs-lambda-book/tree/main"])
def test_github_repo(url):
    assert sc.github_repo(url) == "ec2-vs-lambda/ec2-vs-lambda-book"


@pytest.mark.parametrize("url", ["https://gitlab.com/a/b", "https://github.com/only-owner"])
def test_github_repo_refuses_non_repositories(url):
    with pytest.raises(ValueError, match="url="):
        sc.github_repo(url)


# --- sizes ------------------------------------------------------------------------------------

def test_size_report_totals_the_site_and_flags_pages_over_budget(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "intro.html").write_bytes(b"x" * 100)
    (tmp_path / "c" / "big.html").write_bytes(b"x" * 3000)
    (tmp_path / "c" / "pic.png").write_bytes(b"x" * 50)
    report = sc.size_report(tmp_path, ["intro", "c/big", "c/missing"])
    assert report.total_bytes == 3150
    assert report.page_bytes == {"intro.html": 100, "c/big.html": 3000, "c/missing.html": 0}
    assert report.largest(1) == [("c/big.html", 3000)]
    assert report.over_budget(2000) == [("c/big.html", 3000)]
    assert report.over_budget() == []
    assert "c/big.html" in report.summary() and "3 pages" in report.summary()


# --- the Colab setup cell ---------------------------------------------------------------------

def _notebook(source: str, tags=("hide-input",)) -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# T"),
                nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)})]
    return nb


SETUP = ('import sys\nif "google.colab" in sys.modules:\n    REPO = "' + REPO + '"\n'
         '    subprocess.run(["git", "clone", "--depth", "1", REPO, "/content/course"])')


def test_colab_setup_cell_that_clones_the_configured_repository_passes():
    assert sc.colab_setup_problems(_notebook(SETUP), REPO, "main") == []
    shell = '!git clone --branch main ' + REPO + '.git course  # google.colab only'
    assert sc.colab_setup_problems(_notebook(shell), REPO, "main") == []


@pytest.mark.parametrize(("source", "tags", "expected"), [
    (SETUP.replace("ec2-vs-lambda-book", "old-book"), ("hide-input",), "but _config.yml says"),
    (SETUP, (), "not tagged hide-input"),
    (SETUP.replace("google.colab", "COLAB"), ("hide-input",), "does not check for Colab"),
    (SETUP.replace('"git", "clone", ', ""), ("hide-input",), "does not git clone"),
    ("!git clone -b dev " + REPO + "  # google.colab", ("hide-input",), "branch 'dev'"),
    ("import google.colab; !git clone $URL", ("hide-input",), "names no GitHub repository"),
])
def test_colab_setup_cell_problems_are_reported(source, tags, expected):
    problems = sc.colab_setup_problems(_notebook(source, tags), REPO, "main")
    assert any(expected in p for p in problems), problems


def test_a_notebook_without_code_has_no_setup_cell():
    nb = nbformat.v4.new_notebook()
    assert sc.colab_setup_problems(nb, REPO, "main") == [
        "the notebook has no code cell, so no Colab setup cell"]


NOTEBOOKS = sorted(p.relative_to(BOOK_ROOT).as_posix()
                   for folder in ("chapters", "labs", "workshop")
                   for p in (BOOK_ROOT / folder).rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_colab_setup_cell_clones_the_configured_repository(notebook):
    repository = CONFIG["repository"]
    problems = sc.colab_setup_problems(nbformat.read(BOOK_ROOT / notebook, as_version=4),
                                       repository["url"], repository["branch"])
    assert not problems, f"{notebook}: " + "; ".join(problems)


def test_pdf_page_count_counts_page_objects_not_the_page_tree():
    pdf = (b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
           b"2 0 obj <</Type /Pages /Kids [3 0 R 4 0 R] /Count 2>> endobj\n"
           b"3 0 obj <</Type /Page /Parent 2 0 R>> endobj\n4 0 obj <</Type/Page>> endobj\n")
    assert sc.pdf_page_count(pdf) == 2


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_setup_cell_is_the_generated_one(notebook):
    """One source for the setup cell (tools/colab_setup.py), with the extras the notebook uses."""
    nb = nbformat.read(BOOK_ROOT / notebook, as_version=4)
    assert colab_setup.first_code_cell(nb).source == colab_setup.expected_cell(nb), (
        f"{notebook}: the setup cell differs from tools/colab_setup.py's; run "
        "`python tools/colab_setup.py`")


def test_a_notebook_that_starts_a_local_s3_installs_the_labs_extra():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print(1)")]
    assert colab_setup.extras_needed(nb) == ()
    assert '"/content/course"], check=True)' in colab_setup.cell_source()
    nb.cells.append(nbformat.v4.new_code_cell("from ec2vslambda import localaws"))
    assert colab_setup.extras_needed(nb) == ("labs",)
    assert '"/content/course[labs]"], check=True)' in colab_setup.expected_cell(nb)
    lab4 = nbformat.read(BOOK_ROOT / "labs/04_thumbnail_pipeline.ipynb", as_version=4)
    assert "[labs]" in colab_setup.first_code_cell(lab4).source
