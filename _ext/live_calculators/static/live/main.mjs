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

/** Follow the start-up on the status line: each report from the worker, and once a second a
 * clock, so the line never sits still for more than a second without saying what it waits
 * for. Returns the function that stops following. */
function follow(box) {
  let last = null;
  let stageAt = performance.now();
  let newsAt = stageAt;
  const show = () => {
    const now = performance.now();
    showStartup(box, last, (now - stageAt) / 1000, (now - newsAt) / 1000);
  };
  const stopListening = onProgress((progress) => {
    const now = performance.now();
    if (progress.stage !== last?.stage) {
      stageAt = now;
      if (progress.stage === "python") {
        // the download is done and Python's start is the worker's work: the page fetches
        // Chart.js meanwhile, so the first chart does not wait for it
        import("./chart.mjs").then((chart) => chart.preload());
      }
    }
    newsAt = now;
    last = progress;
    show();
  });
  show();
  const clock = setInterval(show, 1000);
  return () => {
    clearInterval(clock);
    stopListening();
  };
}

/** The first control of the form, where focus goes when the button it replaces hides. */
function firstControl(box) {
  return box.querySelector("fieldset [data-kind]");
}

async function press(box) {
  const button = box.querySelector(".ec2vl-go");
  if (button.getAttribute("aria-disabled") === "true") {
    return;
  }
  // aria-disabled rather than disabled: a disabled button would drop the keyboard's focus
  button.setAttribute("aria-disabled", "true");
  const hadFocus = document.activeElement === button;
  showProgress(box);
  const clickedAt = performance.now();
  const stopFollowing = follow(box);
  try {
    const timings = await startRuntime();
    box.dataset.bootMs = JSON.stringify(timings || {});
    stopFollowing();
    hideProgress(box);
    // the button hides as the form goes live: focus moves to the first input, unless the
    // reader has taken it elsewhere while waiting
    const focused = document.activeElement;
    const first = goLive(box);
    if (focused === button || (hadFocus && (!focused || focused === document.body))) {
      firstControl(box)?.focus();
    }
    await first;
    box.dataset.firstResultMs = String(Math.round(performance.now() - clickedAt));
  } catch (error) {
    stopFollowing();
    hideProgress(box);
    button.removeAttribute("aria-disabled");
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
