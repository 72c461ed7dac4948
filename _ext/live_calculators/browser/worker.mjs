// The book's Python, off the page's main thread: Pyodide plus the course package.
//
// Messages in:  {type: "start", base, words}               load the runtime and the package;
//                                                          words: the URL of the page's
//                                                          catalogue, or null (English)
//               {type: "compute", id, name, inputs, files}  run ec2vslambda.live.adapter;
//                                                          files: [{key, name, sample, bytes}]
//                                                          to write first: a sample's where
//                                                          the package finds its samples, a
//                                                          reader's own in FILES (its entry in
//                                                          inputs[key] gets the path)
// Messages out: {type: "progress", stage, loaded, total}: stage "download" (loaded of total
//                                                          bytes on the wire), "python",
//                                                          "package"
//               {type: "ready"} | {type: "failed", message}
//               {type: "done", id, ...reply}: reply as ec2vslambda.live.adapter.compute_json
//               gives it: {result} | {error, key, message, parts} | {error, key, message}
//
// Every file comes from this site (base = the site's _live/ folder): nothing else is fetched.

let pyodide = null;
let computeJson = null;
let wordsJson = null;  // the page's catalogue (English -> its language), as JSON text
let expected = {};   // file name -> bytes, from manifest.json
let wire = {};       // file name -> bytes on the wire (compressed), from manifest.json
const loaded = {};   // file name -> bytes received so far

// The reader is told bytes on the wire, which the button's note promised: fetch() hands over
// each file decompressed, so what has crossed is each file's share received times its weight
// on the wire (the manifest's "wire"; a site built before it had one counts bytes as they are).
function report(stage) {
  let total = 0;
  let done = 0;
  for (const [name, bytes] of Object.entries(expected)) {
    const weight = wire[name] || bytes;
    total += weight;
    done += weight * Math.min(1, (loaded[name] || 0) / bytes);
  }
  self.postMessage({ type: "progress", stage, loaded: Math.round(done), total });
}

// Download one file with progress. The body goes to the browser's HTTP cache, from which
// Pyodide then loads it untouched, so that the browser can also cache the compiled
// WebAssembly: a second page of the same visit starts much faster.
async function prefetch(url) {
  const name = new URL(url).pathname.split("/").pop();
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`${name}: HTTP ${response.status}`);
  }
  const reader = response.body.getReader();
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    chunks.push(value);
    loaded[name] = (loaded[name] || 0) + value.byteLength;
    report("download");
  }
  return new Blob(chunks);
}

const timings = {};  // stage -> ms, for the benchmark (benchmarks/bench_live.py)

// Python's start-up is the slow part of every page's first result. The first page of a visit
// keeps a snapshot of the started interpreter, with the course package imported, in the
// browser's Cache Storage (on this machine only; nothing is sent anywhere); later pages start
// from it. The snapshot is made after the first result has gone back to the page, so the first
// click never waits for it. It is named by Pyodide's version and the package bundle's (a new
// build of the book, a new snapshot). Pyodide marks the snapshot API experimental, so any
// failure falls back to an ordinary start.
const SNAPSHOTS = "ec2vl-python-snapshots";
const SNAPSHOT_DELAY_MS = 1000; // after the first result: let the page draw it first
let snapshotKey = null; // where to keep the snapshot, while one is still to be made

async function bootPython(loadPyodide, base, manifest) {
  const options = { indexURL: `${base}pyodide/`, stdout: () => {}, stderr: () => {} };
  const key = new URL(`${base}pyodide/snapshot-${manifest.pyodide}-${manifest.bundle}`,
                      self.location.href).href;
  try {
    const cache = await caches.open(SNAPSHOTS);
    const stored = await cache.match(key);
    if (stored) {
      const snapshot = new Uint8Array(await stored.arrayBuffer());
      timings.snapshot = "used";
      return await loadPyodide({ ...options, _loadSnapshot: snapshot });
    }
  } catch (error) {
    timings.snapshot = `unusable: ${String(error?.message || error)}`;
    return await loadPyodide(options);
  }
  snapshotKey = key;
  return await loadPyodide({ ...options, _makeSnapshot: true });
}

/** Keep a snapshot of the interpreter, once, a moment after the first result. */
function snapshotSoon() {
  const key = snapshotKey;
  if (!key) {
    return;
  }
  snapshotKey = null;
  setTimeout(async () => {
    const began = performance.now();
    try {
      const snapshot = pyodide.makeMemorySnapshot();
      const cache = await caches.open(SNAPSHOTS);
      await cache.put(key, new Response(snapshot, {
        headers: { "Content-Type": "application/octet-stream" } }));
      timings.snapshot = `made in ${Math.round(performance.now() - began)} ms`;
    } catch (error) {
      timings.snapshot = `not made: ${String(error?.message || error)}`;
    }
  }, SNAPSHOT_DELAY_MS);
}

async function start(base, words) {
  let mark = performance.now();
  const lap = (stage) => {
    const now = performance.now();
    timings[stage] = Math.round(now - mark);
    mark = now;
  };
  const manifest = await (await fetch(`${base}manifest.json`)).json();
  if (words) {
    const response = await fetch(words);
    if (!response.ok) {
      throw new Error(`the page's words: HTTP ${response.status}`);
    }
    wordsJson = await response.text();
  }
  expected = manifest.bytes;
  wire = manifest.wire || {};
  report("download");
  const files = Object.keys(expected).filter((f) => f !== manifest.bundle);
  const [bundle] = await Promise.all([
    prefetch(base + manifest.bundle).then((blob) => blob.arrayBuffer()),
    ...files.map((f) => prefetch(`${base}pyodide/${f}`)),
  ]);
  lap("download");
  report("python");
  const { loadPyodide } = await import(`${base}pyodide/pyodide.mjs`);
  pyodide = await bootPython(loadPyodide, base, manifest);
  lap("runtime");
  report("package");
  pyodide.unpackArchive(bundle, "zip", { extractDir: "/home/pyodide/book" });
  pyodide.runPython(`
import sys
sys.path.insert(0, "/home/pyodide/book")
from ec2vslambda.live.adapter import compute_json
`);
  computeJson = pyodide.globals.get("compute_json");
  lap("package");
}

// Where files read in the page are written for Python (never anywhere else), and where the
// package looks for its traffic samples (ec2vslambda.traffic.samples, in the bundle's _data/).
const FILES = "/home/pyodide/files";
const SAMPLES = "/home/pyodide/book/ec2vslambda/_data/traffic";

function place(inputs, files) {
  for (const file of files || []) {
    const folder = file.sample ? SAMPLES : FILES;
    pyodide.FS.mkdirTree(folder);
    pyodide.FS.writeFile(`${folder}/${file.name}`, new Uint8Array(file.bytes));
    for (const entry of file.sample ? [] : inputs[file.key] || []) {
      if (entry.name === file.name) {
        entry.path = `${folder}/${file.name}`;
      }
    }
  }
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "start") {
    try {
      await start(message.base, message.words);
      self.postMessage({ type: "ready", timings });
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error?.message || error) });
    }
    return;
  }
  if (message.type === "compute") {
    place(message.inputs, message.files);
    const reply = JSON.parse(computeJson(message.name, JSON.stringify(message.inputs), wordsJson));
    self.postMessage({ type: "done", id: message.id, ...reply });
    snapshotSoon();
  }
};
