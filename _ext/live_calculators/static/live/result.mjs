// One calculator's result on the page: its one-line summary, its table and, when it has one,
// its chart (chart.mjs, loaded the first time a chart is drawn).

/** The result's table, as _ext/live_calculators/form.py's table_html writes it. */
export function drawTable(container, table) {
  container.textContent = "";
  if (!table?.rows.length) {
    return;
  }
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
export async function showResult(box, result) {
  box.querySelector(".ec2vl-summary").textContent = result.summary;
  drawTable(box.querySelector(".ec2vl-table"), result.table);
  await drawChart(box, result.chart);
}
