// What one calculator says: the interface's sentences in the page's language (its data-ui,
// from _ext/live_calculators/i18n.py), the status line under the button, and a refused value's
// message beside its control. Every status sentence goes through status() here, so that how it
// is announced to a screen reader is decided in one place.

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

function status(box, text) {
  box.querySelector(".ec2vl-status").textContent = text;
}

/** The progress bar, shown while the runtime starts. */
export function showProgress(box) {
  box.querySelector(".ec2vl-progress").hidden = false;
}

/** The runtime's start-up: bytes downloaded so far, then Python starting. */
export function showStartup(box, progress) {
  const bar = box.querySelector(".ec2vl-progress");
  if (progress?.stage === "download" && progress.total) {
    bar.value = progress.loaded / progress.total;
    status(box, say(box, "loading", {
      what: "Python",
      done: (progress.loaded / 1e6).toFixed(1),
      total: (progress.total / 1e6).toFixed(1),
    }));
  } else {
    status(box, say(box, "starting"));
  }
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
  status(box, say(box, "ready"));
}

/** Something broke (the runtime did not start, a drawing failed): say what, never a trace. */
export function showFailure(box, error) {
  status(box, say(box, "failed", { message: String(error?.message || error) }));
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
    status(box, say(box, "fix"));
  } else {
    status(box, message);
  }
}
