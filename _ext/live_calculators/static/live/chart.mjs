// A result's chart, drawn with Chart.js (shipped with the site in _live/chartjs/). This module,
// and the library with it, loads only when a calculator first draws a chart.
//
// The chart's description comes from ec2vslambda.live (its "chart" entry): "line" (series of
// points, optional second axis and vertical marks), "hbar" (one bar per label) or "timeline"
// (phases of each lane as horizontal bars, with shut-down marks). Here it only becomes
// Chart.js's configuration: no number is computed.
//
// The chart fills its holder, whose height the stylesheet sets (reader.css: at least 180 px of
// plot on a phone), and takes its text and grid colours from the theme's variables
// (--pst-color-text-base, --pst-color-border): when the reader switches between light and dark
// (html[data-theme] changes), every drawn chart is drawn again in the new colours.

import { LIVE } from "./site.mjs";

const DASHES = { line: [], dashed: [6, 4], dotted: [2, 3], points: [], "line+points": [] };
const drawn = new Map(); // canvas -> its Chart, replaced by the next result

/** The theme's colours for a chart's text and lines, read from the page's stylesheet. */
export function themeColours(element = document.documentElement) {
  const style = getComputedStyle(element);
  const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read("--pst-color-text-base", "#222832"),
    grid: read("--pst-color-border", "#d1d5da"),
  };
}

/** The colours of ``config``'s title, legend, ticks, axis titles and grid: ``colours``. */
export function paint(config, colours) {
  const options = config.options;
  options.color = colours.text;
  options.borderColor = colours.grid;
  const plugins = options.plugins;
  plugins.title.color = colours.text;
  plugins.legend = { ...plugins.legend,
    labels: { ...plugins.legend?.labels, color: colours.text } };
  for (const axis of Object.values(options.scales)) {
    axis.ticks = { ...axis.ticks, color: colours.text };
    axis.title = { ...axis.title, color: colours.text };
    axis.grid = { ...axis.grid, color: colours.grid };
    axis.border = { ...axis.border, color: colours.grid };
  }
  for (const set of config.data.datasets) {
    if (set.themed) { // a mark drawn in the text's colour (the timeline's shut-downs)
      set.backgroundColor = colours.text;
      set.borderColor = colours.text;
    }
  }
  return config;
}

function given(value) {
  return value !== null && value !== undefined;
}

function scale(spec, position) {
  const axis = {
    type: spec.log ? "logarithmic" : "linear",
    position,
    title: { display: true, text: spec.label },
  };
  if (given(spec.min)) {
    axis.min = spec.min;
  }
  if (given(spec.max)) {
    axis.max = spec.max;
  }
  return axis;
}

const PHASE_ORDER = { init: 1, invoke: 0 };
const PHASE_THICKNESS = { init: 0.7, invoke: 0.45 };

function timelineConfig(chart) {
  const phases = [...new Set(chart.segments.map((s) => s.phase))];
  const datasets = phases.map((phase) => {
    const mine = chart.segments.filter((s) => s.phase === phase);
    return {
      label: chart.phase_labels?.[phase] || phase,
      data: mine.map((s) => ({ x: [s.start, s.end], y: s.lane })),
      backgroundColor: mine.length ? mine[0].colour : "#999",
      minBarLength: 3,
      barPercentage: PHASE_THICKNESS[phase] || 0.3,
      categoryPercentage: 1.0,
      grouped: false,
      order: PHASE_ORDER[phase] === undefined ? 2 : PHASE_ORDER[phase],
    };
  });
  if (chart.marks.length) {
    datasets.push({
      label: chart.marks_label || "shut down",
      themed: true,
      backgroundColor: "#000000",
      minBarLength: 3,
      barPercentage: 0.9,
      grouped: false,
      data: chart.marks.map((m) => ({ x: [m.at, m.at], y: m.lane })),
    });
  }
  return {
    type: "bar",
    data: { labels: chart.lanes, datasets },
    options: {
      indexAxis: "y",
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { title: { display: true, text: chart.title } },
      scales: { x: scale(chart.x, "bottom"), y: { type: "category" } },
    },
  };
}

function barsConfig(chart) {
  return {
    type: "bar",
    data: {
      labels: chart.bars.map((b) => b.label),
      datasets: [{
        label: chart.x.label,
        data: chart.bars.map((b) => b.value),
        backgroundColor: chart.bars.map((b) => b.colour),
      }],
    },
    options: {
      indexAxis: "y",
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { title: { display: true, text: chart.title }, legend: { display: false } },
      scales: { x: scale(chart.x, "bottom") },
    },
  };
}

function linesConfig(chart) {
  const datasets = chart.series.map((line) => ({
    label: line.label,
    yAxisID: line.axis,
    data: line.x.map((x, i) => ({ x, y: line.y[i] })),
    borderColor: line.colour,
    backgroundColor: line.colour,
    borderDash: DASHES[line.style],
    showLine: line.style !== "points",
    pointRadius: line.style === "points" || line.style === "line+points" ? 3 : 0,
    borderWidth: 2,
    spanGaps: false,
  }));
  // a vertical marker is a two-point line across the values the chart shows
  const ys = [];
  for (const line of chart.series) {
    if (line.axis === "y") {
      ys.push(...line.y.filter((y) => y !== null && (!chart.y.log || y > 0)));
    }
  }
  const low = given(chart.y.min) ? chart.y.min : Math.min(...ys);
  const high = given(chart.y.max) ? chart.y.max : Math.max(...ys);
  for (const mark of chart.vlines || []) {
    datasets.push({
      label: mark.label,
      yAxisID: "y",
      data: [{ x: mark.x, y: low }, { x: mark.x, y: high }],
      borderColor: mark.colour,
      backgroundColor: mark.colour,
      borderWidth: 1,
      borderDash: DASHES[mark.style],
      pointRadius: 0,
      showLine: true,
    });
  }
  const scales = { x: scale(chart.x, "bottom"), y: scale(chart.y, "left") };
  if (chart.y2) {
    scales.y2 = scale(chart.y2, "right");
    scales.y2.grid = { drawOnChartArea: false };
  }
  return {
    type: "scatter",
    data: { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: true,
      plugins: {
        title: { display: true, text: chart.title },
        legend: { labels: { boxHeight: 2 } },
      },
      scales,
    },
  };
}

/** Chart.js's configuration for a result's chart, in the theme's ``colours``. */
export function chartConfig(chart, colours = themeColours()) {
  if (chart.kind === "timeline") {
    return paint(timelineConfig(chart), colours);
  }
  if (chart.kind === "hbar") {
    return paint(barsConfig(chart), colours);
  }
  return paint(linesConfig(chart), colours);
}

let library = null;

function loadLibrary() {
  if (!library) {
    library = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = `${LIVE}chartjs/chart.umd.min.js`;
      script.onload = () => resolve(window.Chart);
      script.onerror = () => reject(new Error("Chart.js did not load"));
      document.head.appendChild(script);
    });
  }
  return library;
}

/** Load Chart.js ahead of the first chart (while Python starts and the network is idle). */
export function preload() {
  return loadLibrary().catch(() => {}); // a failure is told when a chart is drawn
}

let watching = false;

/** Draw every chart again in the theme's colours when the reader changes the theme. */
function followTheme() {
  if (watching) {
    return;
  }
  watching = true;
  new MutationObserver(() => {
    const colours = themeColours();
    for (const [canvas, drawing] of drawn) {
      if (!canvas.isConnected) {
        drawn.delete(canvas);
        continue;
      }
      paint(drawing.config, colours);
      drawing.update("none");
    }
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
}

/** The least height of a chart's plot area, in CSS pixels: the holder grows to give it. */
export const MIN_PLOT_PX = 182;

/** Grow ``holder`` until the plot area of ``drawing`` is MIN_PLOT_PX tall: on a phone the
 * title, a legend of several lines and the axes' labels take much of the stylesheet's
 * height. */
function keepPlotTall(holder, drawing) {
  const short = MIN_PLOT_PX - (drawing.chartArea?.height ?? MIN_PLOT_PX);
  if (short > 0) {
    holder.style.maxHeight = "none"; // the stylesheet's cap is for the holder, not the plot
    holder.style.height = `${Math.ceil(holder.clientHeight + short)}px`;
    drawing.resize();
  }
}

/** A Chart.js plugin that keeps the plot tall whenever the chart is laid out again (the window
 * narrowed, a phone turned). */
function tall(holder) {
  return {
    id: "ec2vlTall",
    afterLayout(drawing) {
      if (drawing.chartArea.height < MIN_PLOT_PX) {
        requestAnimationFrame(() => keepPlotTall(holder, drawing));
      }
    },
  };
}

/** Draw ``chart`` in its holder's canvas, replacing the one drawn before. */
export async function draw(holder, chart) {
  const Chart = await loadLibrary();
  const canvas = holder.querySelector("canvas");
  canvas.setAttribute("aria-label", chart.title);
  drawn.get(canvas)?.destroy();
  // the stylesheet's height, grown again below if this chart needs it
  holder.style.height = "";
  holder.style.maxHeight = "";
  const drawing = new Chart(canvas, { ...chartConfig(chart), plugins: [tall(holder)] });
  drawn.set(canvas, drawing);
  keepPlotTall(holder, drawing);
  followTheme();
}
