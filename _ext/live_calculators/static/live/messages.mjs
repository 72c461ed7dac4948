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

// The package's message in the page's language, rebuilt from its parts (name, value, problem,
// allowed); a part with no translation stays as the package wrote it.
function allowedText(box, allowed) {
  const patterns = [
    [/^whole numbers (.+)$/, "whole numbers {range}", ["range"]],
    [/^more than 0 up to (.+)$/, "more than 0 up to {high}", ["high"]],
    [/^(.+) to (.+)$/, "{low} to {high}", ["low", "high"]],
    [/^(.+) or more$/, "{low} or more", ["low"]],
    [/^at most (.+)$/, "at most {high}", ["high"]],
  ];
  for (const [pattern, key, names] of patterns) {
    const match = allowed.match(pattern);
    if (match) {
      const values = {};
      names.forEach((name, i) => {
        values[name] = name === "range" ? allowedText(box, match[i + 1]) : match[i + 1];
      });
      return say(box, key, values);
    }
  }
  return say(box, allowed) || allowed;
}

function readable(box, reply, control) {
  if (box.lang === "en" || !reply.parts) {
    return reply.error;
  }
  const parts = reply.parts;
  const label = control ? box.querySelector(`label[for="${control.id}"]`) : null;
  return say(box, "refused")
    .replace("{label}", label ? label.textContent.trim() : parts.name)
    .replace("{value}", parts.value)
    .replace("{problem}", say(box, parts.problem) || parts.problem)
    .replace("{allowed}", allowedText(box, parts.allowed));
}

/** A refused input: its message beside its control (marked invalid) and, in the status line,
 * what to do; a refusal no control owns goes in the status line itself. */
export function showRefusal(box, reply, control) {
  const message = readable(box, reply, control);
  const slot = control ? box.querySelector(`#${CSS.escape(control.id)}-error`) : null;
  if (slot) {
    slot.textContent = message;
    control.setAttribute("aria-invalid", "true");
    status(box, say(box, "fix"));
  } else {
    status(box, message);
  }
}
