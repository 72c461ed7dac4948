"""Every page of both editions, as readers on phones, desktops, keyboards and screen readers meet
it: axe-core's WCAG 2.0/2.1/2.2 A and AA rules, and the phone layout.

One browser tab visits every page once. On each page axe runs at 1280 px and at 390 px, in
light mode (every rule) and in dark mode (the rules that depend on colour), the scheme switched
with ``emulate_media``, which the theme follows, before any calculator goes live.
The narrow pass also measures what axe does not: no page is wider than a 360 px screen, every
number in a table stays on one line, and every live calculator's chart holder is at least
180 px tall.

Then, on a page with live calculators, every calculator's button is pressed once (the page's
runtime starts once and serves them all; the browser's cache and Python snapshot carry over
from page to page, as in a reader's visit), and axe runs again at both widths in both schemes
on the live calculators, with their result tables, charts and status lines. At 390 px every drawn
chart's plot area (Chart.js's ``chartArea``, not its holder) must be at least 180 px tall.

axe-core is pinned in ``_ext/live_calculators/assets.py`` and cached by the build (tests may not
reach the network). The pass prints how long it took.
"""

from __future__ import annotations

import json
import sys
import time
from urllib.parse import urljoin

import pytest

from tests import site_check
from tests.conftest import BOOK_ROOT, HTML_DIR
from tests.test_site_browser import DOCNAMES

pytestmark = pytest.mark.browser
ARTIFACTS = BOOK_ROOT / "test-artifacts"

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SCHEMES = ("light", "dark")
NARROWEST_PX = 360
CHART_MIN_PX = 180
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: The rules whose verdict can change with the colour scheme: dark mode runs only these (every
#: other rule reads structure, names and roles, which light mode has already checked).
COLOUR_RULES = ["color-contrast", "link-in-text-block", "non-text-contrast"]
#: The theme fades colours when the scheme changes; axe must see the end state.
NO_TRANSITIONS = ("*, *::before, *::after { transition: none !important; "
                  "animation: none !important; }")

#: What the narrow pass measures on a page (a function of the page, run in the browser).
PHONE_FACTS = """(args) => {
  const [minChart] = args;
  const doc = document.documentElement;
  const broken = [];
  const numeric = /^[-−$]?[0-9][0-9,]*(\\.[0-9]+)?(\\s?(%|[A-Za-z/]{1,5}|[가-힣]{1,3}))?$/;
  for (const cell of document.querySelectorAll("article td, article th")) {
    const text = cell.textContent.trim();
    if (!numeric.test(text)) continue;
    const tops = new Set();  // the lines the cell's text sits on
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    if (tops.size > 1) broken.push(text);
  }
  const charts = [];
  for (const holder of document.querySelectorAll(".ec2vl-chart")) {
    const was = holder.hidden;
    holder.hidden = false;
    const height = holder.getBoundingClientRect().height;
    holder.hidden = was;
    if (height < minChart) charts.push(Math.round(height));
  }
  return {width: doc.scrollWidth, broken: broken.slice(0, 10), charts};
}"""

#: Press every calculator's button, one after the other (the first starts the page's runtime,
#: the others find it running), each waited for until it shows a result or says it failed.
GO_LIVE = """async (timeoutMs) => {
  const settled = (box) => box.dataset.result !== undefined || box.dataset.error !== undefined
    || /could not start/.test(box.querySelector('.ec2vl-status').textContent);
  const failed = [];
  for (const box of document.querySelectorAll('.ec2vl-live[data-calculator]')) {
    const button = box.querySelector('.ec2vl-go');
    if (!button) continue;
    button.click();
    const began = performance.now();
    while (!settled(box)) {
      if (performance.now() - began > timeoutMs) { failed.push(box.id + ': timed out'); break; }
      await new Promise((done) => setTimeout(done, 100));
    }
    if (box.dataset.result === undefined) {
      failed.push(box.id + ': ' + box.querySelector('.ec2vl-status').textContent);
    }
  }
  return failed;
}"""

#: The plot area of every chart drawn on the page, in CSS pixels (Chart.js's chartArea).
PLOT_AREAS = """() => [...document.querySelectorAll('.ec2vl-chart:not([hidden]) canvas')].map(
  (canvas) => { const chart = window.Chart && Chart.getChart(canvas);
    return {id: canvas.closest('.ec2vl-live').id,
            height: chart ? Math.round(chart.chartArea.height) : 0}; })"""
BOOT_TIMEOUT_MS = 120_000


def _axe_source() -> str:
    sys.path.insert(0, str(BOOK_ROOT / "_ext"))
    from live_calculators import assets

    path = assets.cache_dir() / "npm" / f"axe-core-{assets.AXE_CORE.version}" / "axe.min.js"
    if not path.is_file():
        pytest.skip(f"axe-core is not cached at {path}: `make book` fetches it")
    return path.read_text(encoding="utf-8")


def _violations(page, colour_only: bool, scope: str | None = None) -> list[dict]:
    """axe's violations on the page, or only within the elements matching ``scope``."""
    return page.evaluate(
        "async ([tags, rules, scope]) => { const only = rules ? {type: 'rule', values: rules}"
        " : {type: 'tag', values: tags}; const known = new Set(axe.getRules().map((r) =>"
        " r.ruleId)); if (rules) { only.values = rules.filter((r) => known.has(r)); }"
        " const context = scope ? {include: [scope]} : document;"
        " const r = await axe.run(context, {runOnly: only, resultTypes: ['violations']});"
        " return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ': '"
        " + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))})); }",
        [RULES, COLOUR_RULES if colour_only else None, scope])


def _set_scheme(page, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.wait_for_function("(s) => document.documentElement.dataset.theme === s", arg=scheme,
                           timeout=5_000)


@pytest.fixture(scope="module")
def audit(browser, site_url):
    """{(docname, width, scheme): violations} and {docname: phone facts}, every page once.

    Each page loads once, at desktop width: axe in light and dark mode; then the same tab is
    narrowed to a phone (the theme lays out again, and after its 300 ms resize handler, which
    gives overflowing code blocks their tab stops, axe runs in dark and light mode); then to
    360 px for the layout facts."""
    axe = _axe_source()
    found: dict[tuple[str, str, str, str], list[dict]] = {}
    phone: dict[str, dict] = {}
    started = time.perf_counter()
    live_s = 0.0  # of which: pressing the buttons and the live pass
    context = browser.new_context(viewport=WIDTHS["desktop"])
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if site_check.is_local(
        route.request.url, site_url) else route.abort())
    for docname in DOCNAMES:
        if not (HTML_DIR / site_check.html_name(docname)).exists():
            continue
        page.set_viewport_size(WIDTHS["desktop"])
        page.emulate_media(color_scheme="light")
        page.goto(urljoin(site_url, site_check.html_name(docname)), wait_until="load")
        page.add_script_tag(content=axe)
        page.add_style_tag(content=NO_TRANSITIONS)
        _both_widths(page, found, docname, "static")
        page.set_viewport_size({"width": NARROWEST_PX, "height": 800})
        phone[docname] = page.evaluate(PHONE_FACTS, [CHART_MIN_PX])
        if page.locator(".ec2vl-go").count():
            went_live = time.perf_counter()
            page.set_viewport_size(WIDTHS["desktop"])
            _set_scheme(page, "light")
            phone[docname]["live_failures"] = page.evaluate(GO_LIVE, BOOT_TIMEOUT_MS)
            _both_widths(page, found, docname, "live")  # ends at 390 px
            page.wait_for_timeout(200)  # a chart narrowed to a phone grows its holder
            phone[docname]["plots"] = page.evaluate(PLOT_AREAS)
            live_s += time.perf_counter() - went_live
    context.close()
    elapsed = time.perf_counter() - started
    report = (f"accessibility pass: {len(found)} axe runs on {len(phone)} pages in {elapsed:.0f} s"
              f" (going live and its axe runs: {live_s:.0f} s)")
    print("\n" + report)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "accessibility.json").write_text(json.dumps(
        {"report": report, "violations": {":".join(k): v for k, v in found.items() if v},
         "phone": phone}, ensure_ascii=False, indent=1), encoding="utf-8")
    return found, phone


#: What going live changes on a page: axe's second pass reads only the calculators (the rest of
#: the page is as the first pass found it), which keeps it to seconds per page.
LIVE_SCOPE = ".ec2vl-live"


def _both_widths(page, found: dict, docname: str, state: str) -> None:
    """axe at 1280 px (light, then dark) and at 390 px (dark, then light) on the page as it
    is (live: on its calculators), recorded under ``(docname, width, scheme, state)``."""
    for width, schemes in (("desktop", SCHEMES), ("phone", SCHEMES[::-1])):
        page.set_viewport_size(WIDTHS[width])
        if width != "desktop":
            page.wait_for_timeout(400)
        for scheme in schemes:
            _set_scheme(page, scheme)
            found[(docname, width, scheme, state)] = _violations(
                page, scheme != "light", LIVE_SCOPE if state == "live" else None)


def _live_docnames() -> list[str]:
    """The pages whose built HTML has a live calculator's button."""
    return [d for d in DOCNAMES if (HTML_DIR / site_check.html_name(d)).exists()
            and 'class="ec2vl-go"' in (HTML_DIR / site_check.html_name(d)).read_text("utf-8")]


LIVE_DOCS = _live_docnames()
CASES = ([(d, w, s, "static") for d in DOCNAMES for w in WIDTHS for s in SCHEMES]
         + [(d, w, s, "live") for d in LIVE_DOCS for w in WIDTHS for s in SCHEMES])


@pytest.mark.parametrize(("docname", "width", "scheme", "state"), CASES,
                         ids=[f"{d}:{w}:{s}" + (":live" if t == "live" else "")
                              for d, w, s, t in CASES])
def test_axe_finds_no_violation(audit, docname, width, scheme, state):
    found, phone = audit
    violations = found.get((docname, width, scheme, state))
    if violations is None:
        pytest.skip(f"{docname} is not built")
    if state == "live":
        assert not phone[docname]["live_failures"], (
            f"{docname}: calculators that did not go live: {phone[docname]['live_failures']}")
    assert not violations, (
        f"{docname} at {WIDTHS[width]['width']} px, {scheme} mode"
        + (", calculators live" if state == "live" else "") + ": axe finds\n  "
        + "\n  ".join(json.dumps(v, ensure_ascii=False) for v in violations))


@pytest.mark.parametrize("docname", LIVE_DOCS)
def test_every_live_chart_has_a_tall_plot_on_a_phone(audit, docname):
    _found, phone = audit
    plots = phone[docname].get("plots")
    assert plots is not None, f"{docname}: its calculators were not pressed"
    assert not phone[docname]["live_failures"], phone[docname]["live_failures"]
    short = [p for p in plots if p["height"] < CHART_MIN_PX]
    assert not short, (
        f"{docname} at {WIDTHS['phone']['width']} px: plot areas under {CHART_MIN_PX} px: {short}")


@pytest.mark.parametrize("docname", DOCNAMES)
def test_phone_layout(audit, docname):
    _found, phone = audit
    facts = phone.get(docname)
    if facts is None:
        pytest.skip(f"{docname} is not built")
    assert facts["width"] <= NARROWEST_PX, (
        f"{docname} is {facts['width']} px wide on a {NARROWEST_PX} px screen")
    assert not facts["broken"], f"{docname}: numbers broken across lines: {facts['broken']}"
    assert not facts["charts"], (
        f"{docname}: live chart holders shorter than {CHART_MIN_PX} px: {facts['charts']}")
