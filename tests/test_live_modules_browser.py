"""The live calculators' page modules (``_ext/live_calculators/static/live/*.mjs``), one by one,
imported into a page of the built site in Chromium: no runtime starts, so each check takes
milliseconds. The whole calculators are driven in ``tests/test_live_browser.py``."""

from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest

from ec2vslambda import live
from tests.conftest import VIEWPORT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(browser, site_url):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        site_url) else route.abort())
    page.goto(urljoin(site_url, "intro.html"), wait_until="load")
    yield page
    context.close()


def _run(page, module: str, body: str, arg=None):
    """Evaluate ``body`` (an async function body with ``m``, the module, and ``arg``)."""
    return page.evaluate(
        "async ([module, body, arg]) => {"
        " const m = await import(new URL(`_static/live/${module}`, document.baseURI).href);"
        " return await (new Function('m', 'arg', `return (async () => { ${body} })();`))(m, arg);"
        "}", [module, body, arg])


def test_latest_wins_runs_once_more_for_any_number_of_triggers_during_a_run(page):
    runs = _run(page, "calculator.mjs", """
        let runs = 0;
        const trigger = m.latestWins(() => { runs++;
          return new Promise((done) => setTimeout(done, 30)); });
        const first = trigger();
        for (let i = 0; i < 5; i++) trigger();   // during the first run: merged into one
        await first;
        await new Promise((done) => setTimeout(done, 120));
        const afterBurst = runs;
        await trigger();                          // idle again: runs at once
        return [afterBurst, runs];""")
    assert runs == [2, 3]


def test_latest_wins_goes_on_after_a_failed_run(page):
    runs = _run(page, "calculator.mjs", """
        let runs = 0;
        const trigger = m.latestWins(async () => { runs++; if (runs === 1) throw new Error("x"); });
        try { await trigger(); } catch (error) { /* the failure reaches its caller */ }
        await trigger();
        return runs;""")
    assert runs == 2


def test_the_form_reads_each_kind_as_the_model_takes_it(page):
    inputs = _run(page, "form.mjs", """
        const box = document.createElement("div");
        box.innerHTML = `
          <input data-kind="number" name="a" value=" 12.5 ">
          <input data-kind="integer" name="b" value="">
          <input data-kind="number" name="c" type="text" value="abc">
          <input data-kind="number" name="d" type="text" value="Infinity">
          <select data-kind="choice" name="e" data-options='["x", "y"]'>
            <option value="0">X</option><option value="1" selected>Y</option></select>
          <input type="checkbox" data-kind="flag" name="f" checked>
          <input type="file" multiple data-kind="file" name="g" data-value="" data-max-bytes="2">`;
        box.dataset.calculator = "demo";
        const chosen = new DataTransfer();  // as if the reader chose two files
        chosen.items.add(new File(["ab"], "small.log"));
        chosen.items.add(new File(["abc"], "over-the-cap.log"));
        box.querySelector("[name=g]").files = chosen.files;
        const asked = await m.request(box);
        // the bytes as their length: a file over the cap is named, and not read
        asked.files = asked.files.map((f) => ({ ...f, bytes: f.bytes.byteLength }));
        return asked;""")
    assert inputs == {"name": "demo", "inputs": {
        "a": 12.5, "b": None, "c": "abc", "d": "Infinity", "e": "y", "f": True,
        "g": [{"name": "small.log", "size": 2}, {"name": "over-the-cap.log", "size": 3}]},
        "files": [{"key": "g", "name": "small.log", "sample": False, "bytes": 2}]}


@pytest.mark.parametrize("name", ["keepalive", "tail_latency", "idle_capacity", "lifecycle"])
def test_a_results_chart_becomes_chart_js_configuration(page, name):
    chart = live.compute(name, {})["chart"]
    config = _run(page, "chart.mjs", "return m.chartConfig(arg);", chart)
    datasets = config["data"]["datasets"]
    assert config["options"]["plugins"]["title"]["text"] == chart["title"]
    assert config["options"]["animation"] is False
    if chart["kind"] == "line":
        assert config["type"] == "scatter"
        assert len(datasets) == len(chart["series"]) + len(chart.get("vlines") or [])
        for line, data in zip(chart["series"], datasets, strict=False):
            assert data["label"] == line["label"]
            assert [p["x"] for p in data["data"]] == line["x"]
            assert [p["y"] for p in data["data"]] == line["y"]
    elif chart["kind"] == "hbar":
        assert config["data"]["labels"] == [b["label"] for b in chart["bars"]]
        assert datasets[0]["data"] == [b["value"] for b in chart["bars"]]
    else:  # a timeline: one dataset per phase, then the shut-down marks
        phases = list(dict.fromkeys(s["phase"] for s in chart["segments"]))
        assert [d["label"] for d in datasets[:len(phases)]] == [
            chart.get("phase_labels", {}).get(p, p) for p in phases]
        assert sum(len(d["data"]) for d in datasets[:len(phases)]) == len(chart["segments"])
        assert len(datasets[-1]["data"]) == len(chart["marks"])
    json.dumps(config)  # plain data, as Chart.js takes it


def test_a_refusal_sits_beside_its_control_and_is_cleared_by_the_next_answer(page):
    state = _run(page, "messages.mjs", """
        const box = document.createElement("div");
        box.dataset.ui = JSON.stringify({fix: "Check the input marked below."});
        box.innerHTML = `<div class="ec2vl-status"></div>
          <input id="x-memory_mb" name="memory_mb">
          <span class="ec2vl-error" id="x-memory_mb-error"></span>`;
        const control = box.querySelector("input");
        m.showRefusal(box, {error: "memory_mb=-1 ...", key: "memory_mb",
                            message: "Memory (MB): -1 is out of range"}, control);
        const shown = [box.querySelector(".ec2vl-error").textContent,
                       control.getAttribute("aria-invalid"),
                       box.querySelector(".ec2vl-status").textContent];
        m.clearRefusals(box);
        m.showRefusal(box, {error: "bug", key: null, message: "The calculator failed."}, null);
        return [shown, box.querySelector(".ec2vl-error").textContent,
                control.hasAttribute("aria-invalid"),
                box.querySelector(".ec2vl-status").textContent];""")
    assert state == [["Memory (MB): -1 is out of range", "true", "Check the input marked below."],
                     "", False, "The calculator failed."]


UI = {"fetching": "Loading Python…", "loading": "Loading {what}: {done} of {total} MB",
      "stalled": "{status}; waiting for this site, {seconds} s", "starting": "Starting Python…",
      "package": "Loading the course package…", "elapsed": "{status} {seconds} s",
      "ready": "Live.", "fix": "Check the input marked below.", "table": "Table: {columns}"}

#: A calculator's status line, its screen reader's regions and its progress bar, with a record
#: of every text each region is given.
BOX = """
  const box = document.createElement("div");
  box.dataset.ui = JSON.stringify(arg.ui);
  box.innerHTML = `<div class="ec2vl-status"></div><div class="ec2vl-said"></div>
    <progress class="ec2vl-progress"></progress><div class="ec2vl-said-result"></div>`;
  document.body.appendChild(box);
  const heard = {status: [], said: [], result: []};
  for (const [key, selector] of [["status", ".ec2vl-status"], ["said", ".ec2vl-said"],
                                 ["result", ".ec2vl-said-result"]]) {
    const element = box.querySelector(selector);
    new MutationObserver(() => heard[key].push(element.textContent))
      .observe(element, {childList: true, characterData: true, subtree: true});
  }
  const tick = () => new Promise((done) => setTimeout(done, 0));
"""


def test_the_status_line_is_announced_once_per_stage_however_often_it_changes(page):
    heard = _run(page, "messages.mjs", BOX + """
        m.showStartup(box, null);
        for (let loaded = 0; loaded <= 5e6; loaded += 1e5) {   // 51 reports of bytes
          m.showStartup(box, {stage: "download", loaded, total: 5e6});
          await tick();
        }
        m.showStartup(box, {stage: "download", loaded: 5e6, total: 5e6}, 3, 2.4);  // stalled
        await tick();
        for (let s = 0; s < 4; s++) { m.showStartup(box, {stage: "python"}, s); await tick(); }
        m.showStartup(box, {stage: "package"}, 0);
        await tick();
        for (let i = 0; i < 3; i++) { m.showReady(box); await tick(); }
        box.remove();
        return heard;""", {"ui": UI})
    assert heard["said"] == ["Loading Python…", "Starting Python…",
                             "Loading the course package…", "Live."]
    status = heard["status"]
    assert "Loading Python: 2.5 of 5.0 MB" in status
    assert "Loading Python: 5.0 of 5.0 MB; waiting for this site, 2 s" in status
    assert "Starting Python… 3 s" in status  # a clock while Python starts, never still
    assert len(status) > 50


def test_a_result_is_announced_once_the_inputs_settle_and_only_when_it_is_new(page):
    heard = _run(page, "messages.mjs", BOX + """
        for (const summary of ["1", "10", "102", "1024"]) {   // typed, one result per key
          m.announceResult(box, `Memory ${summary} MB.`);
          await new Promise((done) => setTimeout(done, 50));
        }
        await new Promise((done) => setTimeout(done, 1000));
        m.announceResult(box, "Memory 1024 MB.");               // the same result again
        await new Promise((done) => setTimeout(done, 1000));
        box.remove();
        return heard;""", {"ui": UI})
    assert heard["result"] == ["Memory 1024 MB."]


def test_the_live_table_scrolls_in_a_labelled_focusable_region(page):
    state = _run(page, "result.mjs", """
        const box = document.createElement("div");
        box.dataset.ui = JSON.stringify(arg.ui);
        box.innerHTML = `<div class="ec2vl-table"></div>`;
        const holder = box.querySelector(".ec2vl-table");
        const table = {columns: ["Option", "Monthly cost", "Per request", "Share", "Why"],
                       rows: [["Lambda", "$1.00", "$0.01", "10%", "cheap"]]};
        m.drawTable(holder, table, m.tableLabel(box, table.columns));
        const drawn = [holder.getAttribute("role"), holder.getAttribute("tabindex"),
                       holder.getAttribute("aria-label"), holder.className,
                       holder.querySelectorAll("tbody th[scope=row]").length];
        m.drawTable(holder, {columns: ["Option"], rows: []});
        return [drawn, holder.getAttribute("role"), holder.hasAttribute("tabindex"),
                holder.className];""", {"ui": UI})
    assert state == [["region", "0", "Table: Option, Monthly cost, Per request, Share…",
                      "ec2vl-table reader-table pst-scrollable-table-container", 1],
                     None, False, "ec2vl-table"]


@pytest.mark.parametrize("name", ["keepalive", "lifecycle", "idle_capacity"])
def test_a_chart_takes_the_themes_colours_and_fills_its_holder(page, name):
    chart = live.compute(name, {})["chart"]
    config = _run(page, "chart.mjs",
                  "return m.chartConfig(arg, {text: '#ced6dd', grid: '#48566b'});", chart)
    options = config["options"]
    assert options["maintainAspectRatio"] is False  # the stylesheet gives the holder its height
    assert options["plugins"]["title"]["color"] == "#ced6dd"
    assert options["plugins"]["legend"]["labels"]["color"] == "#ced6dd"
    for axis in options["scales"].values():
        assert axis["ticks"]["color"] == "#ced6dd"
        assert axis["grid"]["color"] == "#48566b"
    themed = [d for d in config["data"]["datasets"] if d.get("themed")]
    assert all(d["backgroundColor"] == "#ced6dd" for d in themed)
    assert themed or chart["kind"] != "timeline" or not chart["marks"]


def test_chart_colours_follow_the_theme_switch(page):
    colours = page.evaluate("""async () => {
        const m = await import(new URL("_static/live/chart.mjs", document.baseURI).href);
        const before = m.themeColours();
        const was = document.documentElement.dataset.theme;
        document.documentElement.dataset.theme = was === "dark" ? "light" : "dark";
        const after = m.themeColours();
        document.documentElement.dataset.theme = was;
        return [before, after];}""")
    assert colours[0]["text"] != colours[1]["text"]
