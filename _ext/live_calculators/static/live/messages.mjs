// What one calculator says: the interface's sentences in the page's language (its data-ui,
// from _ext/live_calculators/i18n.py), the status line under the button, a refused value's
// message beside its control, and what a screen reader hears.
//
// Every status sentence goes through status() here, so how it is announced is decided in one
// place. The visible line changes as often as there is news (bytes downloaded, seconds spent);
// a screen reader hears the box's .ec2vl-said region, which is written once per stage (the
// status's kind: downloading, starting Python, ready, a refusal...), politely. A result is
// announced as its one-line summary through .ec2vl-said-result, once the inputs have settled
// (SETTLE_MS without a newer result), and only when it says something new: typing "1024"
// computes four results and announces one.

const words = new WeakMap(); // box -> its data-ui, parsed once

/** The interface sentence ``key`` in the page's language, with its {placeholders} filled. */
export function say(box, key, values = {}) {
  if (!words.has(box)) {
    words.set(box, JSON.parse(box.dataset.ui));
  }
  let text = words.get(box)[key];
  for (const [name, value] of Object.entries(values)) {
    text = text.replace(`{${name}}`, value);
  }
  return text;
}

const SETTLE_MS = 700;
const stages = new WeakMap(); // box -> the stage last announced
const settling = new WeakMap(); // box -> the timer of the summary waiting to be announced
const announced = new WeakMap(); // box -> the summary last announced

/** Show ``text`` in the status line; announce ``spoken`` (default: ``text``) if ``stage`` is
 * not the stage announced last. */
function status(box, text, stage, spoken = text) {
  box.querySelector(".ec2vl-status").textContent = text;
  if (stages.get(box) === stage) {
    return;
  }
  stages.set(box, stage);
  const region = box.querySelector(".ec2vl-said");
  if (region) {
    region.textContent = spoken;
  }
}

/** Announce a result's one-line summary once the reader stops changing inputs. */
export function announceResult(box, summary) {
  clearTimeout(settling.get(box));
  settling.set(box, setTimeout(() => {
    const region = box.querySelector(".ec2vl-said-result");
    if (region && announced.get(box) !== summary) {
      announced.set(box, summary);
      region.textContent = summary;
    }
  }, SETTLE_MS));
}

/** The progress bar, shown while the runtime starts. */
export function showProgress(box) {
  box.querySelector(".ec2vl-progress").hidden = false;
}

const MB = (bytes) => (bytes / 1e6).toFixed(1);

/** The runtime's start-up, as the worker reports it (worker-link.mjs): ``progress.stage`` is
 * "download" (``loaded`` of ``total`` bytes on the wire), "python" or "package";
 * ``seconds``: how long it has been in that stage, ``quiet``: how long since the last news.
 * Past a second of silence the line says what it waits for, and how long it has waited. */
export function showStartup(box, progress, seconds = 0, quiet = 0) {
  const bar = box.querySelector(".ec2vl-progress");
  const stage = progress?.stage || "download";
  if (!progress) { // asking the site what to download
    bar.removeAttribute("value");
    status(box, say(box, "fetching"), stage);
    return;
  }
  if (stage === "download" && progress.total) {
    bar.value = progress.loaded / progress.total;
    const text = say(box, "loading", {
      what: "Python", done: MB(progress.loaded), total: MB(progress.total) });
    const shown = quiet >= 1 ? say(box, "stalled", { status: text, seconds: Math.floor(quiet) })
      : text;
    status(box, shown, stage, say(box, "loading", {
      what: "Python", done: MB(0), total: MB(progress.total) }));
    return;
  }
  bar.removeAttribute("value"); // a bar that moves without a fraction: work, not bytes
  const text = say(box, stage === "package" ? "package" : "starting");
  const shown = seconds >= 1 ? say(box, "elapsed", { status: text, seconds: Math.floor(seconds) })
    : text;
  status(box, shown, stage, text);
}

/** A long recompute (a file read and replayed): the bar without a value (it moves, as the
 * work's length is not known) and the status saying what runs. */
export function showWorking(box) {
  const bar = box.querySelector(".ec2vl-progress");
  bar.removeAttribute("value");
  bar.hidden = false;
  status(box, say(box, "working"));
}

export function hideProgress(box) {
  box.querySelector(".ec2vl-progress").hidden = true;
}

export function showReady(box) {
  status(box, say(box, "ready"), "ready");
}

/** Something broke (the runtime did not start, a drawing failed): say what, never a trace. */
export function showFailure(box, error) {
  status(box, say(box, "failed", { message: String(error?.message || error) }), "failed");
}

export function clearRefusals(box) {
  for (const slot of box.querySelectorAll(".ec2vl-error")) {
    slot.textContent = "";
  }
  for (const marked of box.querySelectorAll("[aria-invalid]")) {
    marked.removeAttribute("aria-invalid");
  }
}

/** A refused input: its message beside its control (marked invalid) and, in the status line,
 * what to do; a refusal no control owns goes in the status line itself. The message is the
 * package's sentence in the page's language, naming the label the reader sees
 * (ec2vslambda.live.adapter): nothing here reads or rewrites it. */
export function showRefusal(box, reply, control) {
  const message = reply.message;
  const slot = control ? box.querySelector(`#${CSS.escape(control.id)}-error`) : null;
  if (slot) {
    slot.textContent = message;
    control.setAttribute("aria-invalid", "true");
    status(box, say(box, "fix"), "fix");
  } else {
    status(box, message, `refused: ${message}`);
  }
}
