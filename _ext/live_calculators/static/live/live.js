// Live calculators: wire each form that _ext/live_calculators rendered to the book's Python,
// which runs in a Web Worker on Pyodide (see _live/worker.mjs). Nothing here computes a
// result: every number comes from ec2vslambda.live.compute, the function the notebooks call.
(function () {
  "use strict";
  const root = document.documentElement.dataset.content_root || "./";
  // the runtime's folder, relative to this edition's root: its own _live/, or the one of the
  // site it shares (an edition under the English site)
  const first = document.querySelector(".ec2vl-live[data-assets]");
  const LIVE = new URL(root + (first ? first.dataset.assets : "_live/"), document.baseURI).href;
  // an edition in another language: the catalogue its results are written in
  const worded = document.querySelector(".ec2vl-live[data-words]");
  const WORDS = worded ? new URL(root + worded.dataset.words, document.baseURI).href : null;

  function text(box, key) {
    return JSON.parse(box.dataset.ui)[key];
  }

  // Opened from file:// nothing can load (module scripts and workers need a server): say how
  // to serve the site, once, at the top of the page.
  if (location.protocol === "file:") {
    document.addEventListener("DOMContentLoaded", function () {
      const note = document.createElement("div");
      note.className = "ec2vl-file-note";
      note.setAttribute("role", "note");
      const box = document.querySelector(".ec2vl-live[data-ui]");
      note.textContent = box ? text(box, "file") : document.documentElement.dataset.ec2vlFile
        || "This page was opened from a file: serve the site with `make serve` and open "
        + "http://127.0.0.1:8000/ so that its mathematics and calculators load.";
      const main = document.querySelector("main") || document.body;
      main.insertBefore(note, main.firstChild);
    });
  }

  let worker = null;
  let starting = null;
  const pending = new Map();  // compute id -> callback
  let nextId = 0;
  const listeners = new Set();  // progress callbacks of boxes waiting for the runtime

  function startRuntime() {
    if (starting) {
      return starting;
    }
    starting = new Promise(function (resolve, reject) {
      worker = new Worker(LIVE + "worker.mjs", { type: "module" });
      worker.onmessage = function (event) {
        const message = event.data;
        if (message.type === "progress") {
          listeners.forEach(function (listener) { listener(message); });
        } else if (message.type === "ready") {
          resolve(message.timings);
        } else if (message.type === "failed") {
          reject(new Error(message.message));
        } else if (message.type === "done") {
          const callback = pending.get(message.id);
          pending.delete(message.id);
          if (callback) {
            callback(message);
          }
        }
      };
      worker.onerror = function (event) {
        reject(new Error(event.message || "the Python worker could not start"));
      };
      worker.postMessage({ type: "start", base: LIVE, words: WORDS });
    });
    return starting;
  }

  function compute(name, inputs) {
    return new Promise(function (resolve) {
      const id = nextId++;
      pending.set(id, resolve);
      worker.postMessage({ type: "compute", id: id, name: name, inputs: inputs });
    });
  }

  // --- reading the form --------------------------------------------------------------------

  function readInputs(box) {
    const inputs = {};
    box.querySelectorAll("[data-kind]").forEach(function (control) {
      const kind = control.dataset.kind;
      if (kind === "flag") {
        inputs[control.name] = control.checked;
      } else if (kind === "choice") {
        inputs[control.name] = JSON.parse(control.dataset.options)[Number(control.value)];
      } else {
        const raw = control.value.trim();
        const value = Number(raw);
        // an empty or unreadable box goes to Python as it is, whose message then says so
        inputs[control.name] = raw !== "" && Number.isFinite(value) ? value : (raw || null);
      }
    });
    return inputs;
  }

  // --- drawing the result --------------------------------------------------------------------

  function drawTable(container, table) {
    container.textContent = "";
    if (!table || !table.rows.length) {
      return;
    }
    const element = document.createElement("table");
    element.className = "ec2vl-result-table";
    const head = element.createTHead().insertRow();
    table.columns.forEach(function (column) {
      const cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = column;
      head.appendChild(cell);
    });
    const body = element.createTBody();
    table.rows.forEach(function (row) {
      const line = body.insertRow();
      row.forEach(function (value, index) {
        const cell = index === 0 ? document.createElement("th") : document.createElement("td");
        if (index === 0) {
          cell.scope = "row";
        }
        cell.textContent = value;
        line.appendChild(cell);
      });
    });
    container.appendChild(element);
  }

  const DASHES = { line: [], dashed: [6, 4], dotted: [2, 3], points: [], "line+points": [] };

  function scale(spec, position) {
    const axis = { type: spec.log ? "logarithmic" : "linear", position: position,
                   title: { display: true, text: spec.label } };
    if (spec.min !== null && spec.min !== undefined) { axis.min = spec.min; }
    if (spec.max !== null && spec.max !== undefined) { axis.max = spec.max; }
    return axis;
  }

  function timelineConfig(chart) {
    const phases = [];
    chart.segments.forEach(function (s) { if (phases.indexOf(s.phase) < 0) { phases.push(s.phase); } });
    const datasets = phases.map(function (phase) {
      const mine = chart.segments.filter(function (s) { return s.phase === phase; });
      return { label: (chart.phase_labels || {})[phase] || phase, data: mine.map(function (s) { return { x: [s.start, s.end], y: s.lane }; }),
               backgroundColor: mine.length ? mine[0].colour : "#999", minBarLength: 3,
               barPercentage: ({ init: 0.7, invoke: 0.45 })[phase] || 0.3,
               categoryPercentage: 1.0, grouped: false,
               order: ({ init: 1, invoke: 0 })[phase] === undefined ? 2 : ({ init: 1, invoke: 0 })[phase] };
    });
    if (chart.marks.length) {
      datasets.push({ label: chart.marks_label || "shut down", backgroundColor: "#000000", minBarLength: 3,
                      barPercentage: 0.9, grouped: false,
                      data: chart.marks.map(function (m) { return { x: [m.at, m.at], y: m.lane }; }) });
    }
    return {
      type: "bar",
      data: { labels: chart.lanes, datasets: datasets },
      options: { indexAxis: "y", animation: false, responsive: true,
                 plugins: { title: { display: true, text: chart.title } },
                 scales: { x: scale(chart.x, "bottom"), y: { type: "category" } } },
    };
  }

  function chartConfig(chart) {
    if (chart.kind === "timeline") {
      return timelineConfig(chart);
    }
    if (chart.kind === "hbar") {
      return {
        type: "bar",
        data: { labels: chart.bars.map(function (b) { return b.label; }),
                datasets: [{ label: chart.x.label, data: chart.bars.map(function (b) {
                  return b.value; }),
                  backgroundColor: chart.bars.map(function (b) { return b.colour; }) }] },
        options: { indexAxis: "y", animation: false, responsive: true,
                   plugins: { title: { display: true, text: chart.title },
                              legend: { display: false } },
                   scales: { x: scale(chart.x, "bottom") } },
      };
    }
    const datasets = chart.series.map(function (line) {
      return {
        label: line.label, yAxisID: line.axis,
        data: line.x.map(function (x, i) { return { x: x, y: line.y[i] }; }),
        borderColor: line.colour, backgroundColor: line.colour,
        borderDash: DASHES[line.style], showLine: line.style !== "points",
        pointRadius: line.style === "points" || line.style === "line+points" ? 3 : 0,
        borderWidth: 2, spanGaps: false,
      };
    });
    // a vertical marker is a two-point line across the values the chart shows
    const ys = [];
    chart.series.forEach(function (line) {
      if (line.axis === "y") {
        line.y.forEach(function (y) { if (y !== null && (!chart.y.log || y > 0)) { ys.push(y); } });
      }
    });
    const low = chart.y.min !== null && chart.y.min !== undefined ? chart.y.min : Math.min.apply(null, ys);
    const high = chart.y.max !== null && chart.y.max !== undefined ? chart.y.max : Math.max.apply(null, ys);
    (chart.vlines || []).forEach(function (mark) {
      datasets.push({ label: mark.label, yAxisID: "y", data: [{ x: mark.x, y: low }, { x: mark.x, y: high }],
                      borderColor: mark.colour, backgroundColor: mark.colour, borderWidth: 1,
                      borderDash: DASHES[mark.style], pointRadius: 0, showLine: true });
    });
    const scales = { x: scale(chart.x, "bottom"), y: scale(chart.y, "left") };
    if (chart.y2) {
      scales.y2 = scale(chart.y2, "right");
      scales.y2.grid = { drawOnChartArea: false };
    }
    return {
      type: "scatter",
      data: { datasets: datasets },
      options: { animation: false, responsive: true, parsing: true,
                 plugins: { title: { display: true, text: chart.title },
                            legend: { labels: { boxHeight: 2 } } },
                 scales: scales },
    };
  }

  let chartLibrary = null;
  function loadChartLibrary() {
    if (!chartLibrary) {
      chartLibrary = new Promise(function (resolve, reject) {
        const script = document.createElement("script");
        script.src = LIVE + "chartjs/chart.umd.min.js";
        script.onload = function () { resolve(window.Chart); };
        script.onerror = function () { reject(new Error("Chart.js did not load")); };
        document.head.appendChild(script);
      });
    }
    return chartLibrary;
  }

  function drawChart(box, chart) {
    const holder = box.querySelector(".ec2vl-chart");
    if (!chart) {
      holder.hidden = true;
      return Promise.resolve();
    }
    holder.hidden = false;
    return loadChartLibrary().then(function (Chart) {
      const canvas = holder.querySelector("canvas");
      canvas.setAttribute("aria-label", chart.title);
      if (box.ec2vlChart) {
        box.ec2vlChart.destroy();
      }
      box.ec2vlChart = new Chart(canvas, chartConfig(chart));
    });
  }

  // --- one calculator ------------------------------------------------------------------------

  function clearErrors(box) {
    box.querySelectorAll(".ec2vl-error").forEach(function (e) { e.textContent = ""; });
    box.querySelectorAll("[aria-invalid]").forEach(function (c) {
      c.removeAttribute("aria-invalid"); });
  }

  // reply.message is the package's sentence in the page's language (ec2vslambda.live.adapter),
  // beside the control reply.key names, or in the status line when it names none.
  function showError(box, reply) {
    const key = reply.key;
    const control = key ? box.querySelector('[name="' + CSS.escape(key) + '"]') : null;
    const message = reply.message;
    const slot = control ? box.querySelector("#" + CSS.escape(control.id) + "-error") : null;
    if (slot) {
      slot.textContent = message;
      control.setAttribute("aria-invalid", "true");
      box.querySelector(".ec2vl-status").textContent = text(box, "fix");
    } else {
      box.querySelector(".ec2vl-status").textContent = message;
    }
  }

  function makeLive(box) {
    let running = false;
    let again = false;

    async function recompute() {
      if (running) {  // the latest inputs win; no queue of stale work
        again = true;
        return;
      }
      running = true;
      const inputs = readInputs(box);
      const started = performance.now();
      try {
        const reply = await compute(box.dataset.calculator, inputs);
        box.dataset.inputs = JSON.stringify(inputs);
        clearErrors(box);
        if (reply.error !== undefined) {
          delete box.dataset.result;
          box.dataset.error = reply.error;
          showError(box, reply);
          box.classList.add("ec2vl-stale");
        } else {
          delete box.dataset.error;
          box.classList.remove("ec2vl-stale");
          box.querySelector(".ec2vl-status").textContent = text(box, "ready");
          box.querySelector(".ec2vl-summary").textContent = reply.result.summary;
          drawTable(box.querySelector(".ec2vl-table"), reply.result.table);
          await drawChart(box, reply.result.chart);
          box.dataset.result = JSON.stringify(reply.result);
        }
      } catch (error) {  // a drawing failure: say so, keep the page working
        box.querySelector(".ec2vl-status").textContent = text(box, "failed")
          .replace("{message}", String(error && error.message || error));
      } finally {
        box.dataset.updateMs = String(Math.round(performance.now() - started));
        box.dataset.updates = String(Number(box.dataset.updates || 0) + 1);
        running = false;
      }
      if (again) {
        again = false;
        recompute();
      }
    }

    box.querySelectorAll("[data-kind]").forEach(function (control) {
      const typed = control.dataset.kind === "number" || control.dataset.kind === "integer";
      control.addEventListener(typed ? "input" : "change", recompute);
    });
    box.querySelector("fieldset").disabled = false;
    box.querySelector(".ec2vl-start").hidden = true;
    return recompute();
  }

  function onClick(box) {
    const button = box.querySelector(".ec2vl-go");
    const status = box.querySelector(".ec2vl-status");
    const bar = box.querySelector(".ec2vl-progress");
    button.disabled = true;
    bar.hidden = false;
    const clickedAt = performance.now();
    const listener = function (message) {
      if (message.stage === "download" && message.total) {
        bar.value = message.loaded / message.total;
        status.textContent = text(box, "loading").replace("{what}", "Python")
          .replace("{done}", (message.loaded / 1e6).toFixed(1))
          .replace("{total}", (message.total / 1e6).toFixed(1));
      } else {
        status.textContent = text(box, "starting");
      }
    };
    listeners.add(listener);
    startRuntime().then(function (timings) {
      box.dataset.bootMs = JSON.stringify(timings || {});
      listeners.delete(listener);
      bar.hidden = true;
      return makeLive(box);
    }).then(function () {
      box.dataset.firstResultMs = String(Math.round(performance.now() - clickedAt));
    }).catch(function (error) {
      listeners.delete(listener);
      bar.hidden = true;
      button.disabled = false;
      status.textContent = text(box, "failed").replace("{message}", error.message);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".ec2vl-live[data-calculator]").forEach(function (box) {
      const button = box.querySelector(".ec2vl-go");
      if (!button) {
        return;
      }
      if (location.protocol === "file:") {
        button.disabled = true;
        box.querySelector(".ec2vl-status").textContent = text(box, "file");
        return;
      }
      button.addEventListener("click", function () { onClick(box); });
    });
  });
})();
