// One calculator's result on the page: its one-line summary, its table and, when it has one,
// its chart (chart.mjs, loaded the first time a chart is drawn).

import { announceResult, say } from "./messages.mjs";

/** The region classes the book's static tables have (_ext/reader/pages.py): sideways scrolling
 * with the first column kept in view, and a focus ring. */
const REGION = ["reader-table", "pst-scrollable-table-container"];

/** What a screen reader hears for a table's region, as for the book's static tables
 * (_ext/reader/pages.py's table_label): "Table: " and its first four columns. */
export function tableLabel(box, columns) {
  const named = columns.filter((c) => c).slice(0, 4);
  return say(box, "table", {
    columns: named.join(", ") + (columns.length > 4 ? "…" : ""),
  });
}

/** The result's table, as _ext/live_calculators/form.py's table_html writes it, in
 * ``container``, which becomes a focusable region labelled ``label`` that scrolls sideways
 * (an empty container is no region). */
export function drawTable(container, table, label = "") {
  container.textContent = "";
  if (!table?.rows.length) {
    container.classList.remove(...REGION);
    for (const name of ["role", "tabindex", "aria-label"]) {
      container.removeAttribute(name);
    }
    return;
  }
  container.classList.add(...REGION);
  container.setAttribute("role", "region");
  container.setAttribute("tabindex", "0");
  container.setAttribute("aria-label", label);
  const element = document.createElement("table");
  element.className = "ec2vl-result-table";
  const head = element.createTHead().insertRow();
  for (const column of table.columns) {
    const cell = document.createElement("th");
    cell.scope = "col";
    cell.textContent = column;
    head.appendChild(cell);
  }
  const body = element.createTBody();
  for (const row of table.rows) {
    const line = body.insertRow();
    row.forEach((value, index) => {
      const cell = document.createElement(index === 0 ? "th" : "td");
      if (index === 0) {
        cell.scope = "row";
      }
      cell.textContent = value;
      line.appendChild(cell);
    });
  }
  container.appendChild(element);
}

async function drawChart(box, chart) {
  const holder = box.querySelector(".ec2vl-chart");
  if (!chart) {
    holder.hidden = true;
    return;
  }
  holder.hidden = false;
  const { draw } = await import("./chart.mjs");
  await draw(holder, chart);
}

/** Show a computed result; resolves once its chart is drawn. */
/** A summary longer than this many characters is not kept in view on a phone (reader.css): at
 * more than about five lines it would cover the form it answers. */
const STICKY_SUMMARY_CHARS = 240;

export async function showResult(box, result) {
  const summary = box.querySelector(".ec2vl-summary");
  summary.textContent = result.summary;
  summary.classList.toggle("ec2vl-summary-long", result.summary.length > STICKY_SUMMARY_CHARS);
  announceResult(box, result.summary);
  const label = result.table ? tableLabel(box, result.table.columns) : "";
  drawTable(box.querySelector(".ec2vl-table"), result.table, label);
  await drawChart(box, result.chart);
}
