// One calculator's form: its controls (rendered by _ext/live_calculators/form.py, each with
// data-kind and name = the input's key), read into the request the model takes.
//
// Each kind of field has its reader; a reader may return a promise (a field that must load
// something before it has a value), and the request waits for all of them.
//
// A file field's reader returns {value, files}: the value the model takes (a sample's name, or
// [{name, size}] for the files the reader chose) and the bytes the worker must hold first
// ({name, sample, bytes}). Files are read here, in the page, and go only to the worker.

import { LIVE } from "./site.mjs";

function readNumber(control) {
  const raw = control.value.trim();
  const value = Number(raw);
  // an empty or unreadable box goes to Python as it is, whose message then says so
  return raw !== "" && Number.isFinite(value) ? value : raw || null;
}

/** Sample files the worker already holds (one worker per page). */
const placed = new Set();

async function readFiles(control) {
  const sample = control.dataset.value;
  if (sample) {
    const files = [];
    for (const name of JSON.parse(control.dataset.samples)[sample] || []) {
      if (!placed.has(name)) {
        const response = await fetch(`${LIVE}samples/${encodeURIComponent(name)}`);
        if (!response.ok) {
          throw new Error(`${name}: HTTP ${response.status}`);
        }
        files.push({ name, sample: true, bytes: await response.arrayBuffer() });
        placed.add(name);
      }
    }
    return { value: sample, files };
  }
  const chosen = [...control.files];
  const most = Number(control.dataset.maxBytes);
  const files = [];
  for (const file of chosen) {
    if (file.size <= most) { // a larger one is refused by the model, by its size, unread
      files.push({ name: file.name, sample: false, bytes: await file.arrayBuffer() });
    }
  }
  return { value: chosen.map((file) => ({ name: file.name, size: file.size })), files };
}

const READERS = {
  file: readFiles,
  flag: (control) => control.checked,
  choice: (control) => JSON.parse(control.dataset.options)[Number(control.value)],
  number: readNumber,
  integer: readNumber,
};

/** Kinds whose value changes as the reader types: they answer every keystroke. */
const TYPED = new Set(["number", "integer"]);

export function controls(box) {
  return [...box.querySelectorAll("[data-kind]")];
}

/** The control of the input named ``key``, or null. */
export function control(box, key) {
  return key ? box.querySelector(`[name="${CSS.escape(key)}"]`) : null;
}

/** The inputs as the model takes them: key -> value; the bytes of files go to ``files``. */
export async function readInputs(box, files = []) {
  const inputs = {};
  for (const each of controls(box)) {
    const reader = READERS[each.dataset.kind] || readNumber;
    const read = await reader(each);
    if (each.dataset.kind === "file") {
      inputs[each.name] = read.value;
      files.push(...read.files.map((file) => ({ key: each.name, ...file })));
    } else {
      inputs[each.name] = read;
    }
  }
  return inputs;
}

/** What the worker is asked to compute: the calculator's name, its inputs and the bytes of
 * the files among them that the worker does not hold yet. */
export async function request(box) {
  const files = [];
  const inputs = await readInputs(box, files);
  return { name: box.dataset.calculator, inputs, files };
}

/** Call ``listener`` whenever an input changes (as typed, for typed kinds). */
export function onChange(box, listener) {
  for (const each of controls(box)) {
    each.addEventListener(TYPED.has(each.dataset.kind) ? "input" : "change", () => {
      if (each.dataset.kind === "file") {
        each.dataset.value = ""; // the reader's own files from now on
      }
      listener();
    });
  }
  for (const button of box.querySelectorAll(".ec2vl-sample")) {
    button.addEventListener("click", () => {
      const field = button.closest(".ec2vl-file").querySelector("[data-kind='file']");
      field.value = ""; // forget the files chosen before
      field.dataset.value = button.dataset.sample;
      listener();
    });
  }
}

export function enable(box) {
  box.querySelector("fieldset").disabled = false;
}
