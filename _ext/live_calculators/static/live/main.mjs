// The calculators' modules, started by live.js on a served page that has a calculator.
//
//   main.mjs         each calculator's button: start the runtime, then make the form live
//   calculator.mjs   one live calculator: input change -> request -> reply on the page
//   form.mjs         the form's controls, read into the request
//   worker-link.mjs  the Python worker: start-up, progress, compute
//   result.mjs       summary and table; chart.mjs draws a chart (loaded when first needed)
//   messages.mjs     the interface's words, the status line, refusals beside their controls
//   site.mjs         where the site keeps the runtime and the page's words

import { goLive } from "./calculator.mjs";
import { hideProgress, showFailure, showProgress, showStartup } from "./messages.mjs";
import { onProgress, start as startRuntime } from "./worker-link.mjs";

async function press(box) {
  const button = box.querySelector(".ec2vl-go");
  button.disabled = true;
  showProgress(box);
  const clickedAt = performance.now();
  const stopListening = onProgress((progress) => showStartup(box, progress));
  try {
    const timings = await startRuntime();
    box.dataset.bootMs = JSON.stringify(timings || {});
    stopListening();
    hideProgress(box);
    await goLive(box);
    box.dataset.firstResultMs = String(Math.round(performance.now() - clickedAt));
  } catch (error) {
    stopListening();
    hideProgress(box);
    button.disabled = false;
    showFailure(box, error);
  }
}

/** Wire every calculator of ``page``; ``early``: buttons pressed before this module loaded. */
export function start(page, early = new Set()) {
  for (const box of page.querySelectorAll(".ec2vl-live[data-calculator]")) {
    const button = box.querySelector(".ec2vl-go");
    if (button) {
      button.addEventListener("click", () => press(box));
      if (early.has(button)) {
        press(box);
      }
    }
  }
}
