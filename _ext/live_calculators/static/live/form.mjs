// One calculator's form: its controls (rendered by _ext/live_calculators/form.py, each with
// data-kind and name = the input's key), read into the request the model takes.
//
// Each kind of field has its reader; a reader may return a promise (a field that must load
// something before it has a value), and the request waits for all of them.

function readNumber(control) {
  const raw = control.value.trim();
  const value = Number(raw);
  // an empty or unreadable box goes to Python as it is, whose message then says so
  return raw !== "" && Number.isFinite(value) ? value : raw || null;
}

const READERS = {
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

/** The inputs as the model takes them: key -> value. */
export async function readInputs(box) {
  const inputs = {};
  for (const each of controls(box)) {
    const reader = READERS[each.dataset.kind] || readNumber;
    inputs[each.name] = await reader(each);
  }
  return inputs;
}

/** What the worker is asked to compute: the calculator's name and its inputs. */
export async function request(box) {
  return { name: box.dataset.calculator, inputs: await readInputs(box) };
}

/** Call ``listener`` whenever an input changes (as typed, for typed kinds). */
export function onChange(box, listener) {
  for (const each of controls(box)) {
    each.addEventListener(TYPED.has(each.dataset.kind) ? "input" : "change", listener);
  }
}

export function enable(box) {
  box.querySelector("fieldset").disabled = false;
}
