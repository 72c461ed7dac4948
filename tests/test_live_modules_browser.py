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
