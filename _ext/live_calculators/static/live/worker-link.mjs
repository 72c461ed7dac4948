// The page's link to the Python worker (worker.mjs, whose header lists the messages): one
// worker per page, started by the first button pressed and shared by every calculator on it.
//
// start() resolves with the worker's start-up timings; compute(request) resolves with its reply,
// {result} or {error, key, message, ...}; onProgress(listener) hears the start-up's stages until
// the listener is removed. A request is {name, inputs, files}: files (their bytes move to the
// worker) are those of file fields the worker does not hold yet. Work is numbered, so a later change can
// add messages of its own (progress of a long run, or the cancellation of one) by id.

import { LIVE, WORDS } from "./site.mjs";

let worker = null;
let starting = null;
let nextId = 0;
const pending = new Map(); // compute id -> resolve
const listeners = new Set(); // start-up progress listeners

function receive(event, resolve, reject) {
  const message = event.data;
  if (message.type === "progress") {
    for (const listener of listeners) {
      listener(message);
    }
  } else if (message.type === "ready") {
    resolve(message.timings);
  } else if (message.type === "failed") {
    reject(new Error(message.message));
  } else if (message.type === "done") {
    const done = pending.get(message.id);
    pending.delete(message.id);
    done?.(message);
  }
}

/** Start the worker once; later calls get the same promise. */
export function start() {
  if (!starting) {
    starting = new Promise((resolve, reject) => {
      worker = new Worker(`${LIVE}worker.mjs`, { type: "module" });
      worker.onmessage = (event) => receive(event, resolve, reject);
      worker.onerror = (event) => {
        reject(new Error(event.message || "the Python worker could not start"));
      };
      worker.postMessage({ type: "start", base: LIVE, words: WORDS });
    });
  }
  return starting;
}

/** Listen to the start-up's progress; returns the function that stops listening. */
export function onProgress(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Run the calculator on the inputs in the worker (which must have started). */
export function compute(request) {
  return new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    const files = request.files || [];
    worker.postMessage({ type: "compute", id, name: request.name, inputs: request.inputs, files },
      files.map((file) => file.bytes));
  });
}
