// One live calculator: once the runtime is up, every change of an input sends the form's
// request to the worker and shows the reply, a result or a refusal beside its control.
//
// The testing contract (see _ext/live_calculators/__init__.py): after each recompute the box
// carries data-inputs (the inputs sent, as JSON), data-result (compute's return, as JSON) or
// data-error (the package's own message), data-update-ms and data-updates; a refused input
// leaves the last good result on the page, marked stale.

import { onChange, enable, control, request } from "./form.mjs";
import {
  clearRefusals,
  hideProgress,
  showFailure,
  showReady,
  showRefusal,
  showWorking,
} from "./messages.mjs";
import { showResult } from "./result.mjs";
import { compute } from "./worker-link.mjs";

/** Run ``task`` once per trigger, one run at a time. A trigger during a run asks for one more
 * run when it ends, on the inputs of that moment; the triggers in between merge into it, so
 * there is never a queue of stale work. Returns the trigger, which resolves when its run
 * (or the run it merged into) ends. */
export function latestWins(task) {
  let running = false;
  let again = false;
  const trigger = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await task();
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      trigger();
    }
  };
  return trigger;
}

async function answer(box, reply, inputs) {
  box.dataset.inputs = JSON.stringify(inputs);
  clearRefusals(box);
  if (reply.error !== undefined) {
    delete box.dataset.result;
    box.dataset.error = reply.error;
    showRefusal(box, reply, control(box, reply.key));
    box.classList.add("ec2vl-stale");
    return;
  }
  delete box.dataset.error;
  box.classList.remove("ec2vl-stale");
  showReady(box);
  await showResult(box, reply.result);
  box.dataset.result = JSON.stringify(reply.result);
}

async function recompute(box) {
  const started = performance.now();
  const long = box.querySelector("[data-kind='file']") !== null; // a file to read and replay
  if (long) {
    showWorking(box);
  }
  try {
    const asked = await request(box);
    await answer(box, await compute(asked), asked.inputs);
  } catch (error) { // a drawing failure: say so, keep the page working
    showFailure(box, error);
  } finally {
    if (long) {
      hideProgress(box);
    }
    box.dataset.updateMs = String(Math.round(performance.now() - started));
    box.dataset.updates = String(Number(box.dataset.updates || 0) + 1);
  }
}

/** Make the calculator live (the runtime has started): resolves with its first result. */
export function goLive(box) {
  const update = latestWins(() => recompute(box));
  onChange(box, update);
  enable(box);
  box.querySelector(".ec2vl-start").hidden = true;
  return update();
}
