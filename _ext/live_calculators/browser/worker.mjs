// The book's Python, off the page's main thread: Pyodide plus the course package.
//
// Messages in:  {type: "start", base}                      load the runtime and the package
//               {type: "compute", id, name, inputs}         run ec2vslambda.live.compute
// Messages out: {type: "progress", stage, loaded, total}
//               {type: "ready"} | {type: "failed", message}
//               {type: "done", id, result} | {type: "done", id, error, key}
//
// Every file comes from this site (base = the site's _live/ folder): nothing else is fetched.

let pyodide = null;
let computeJson = null;
let expected = {};   // file name -> bytes, from manifest.json
let loaded = {};     // file name -> bytes received so far

const originalFetch = self.fetch.bind(self);

function fileName(url) {
  return new URL(url, self.location.href).pathname.split("/").pop();
}

function report(stage) {
  const total = Object.values(expected).reduce((a, b) => a + b, 0);
  const done = Object.values(loaded).reduce((a, b) => a + b, 0);
  self.postMessage({ type: "progress", stage, loaded: Math.min(done, total), total });
}

// Count the bytes of every download, so the page can show how far along the runtime is.
self.fetch = async (input, init) => {
  const response = await originalFetch(input, init);
  const name = fileName(typeof input === "string" ? input : input.url);
  if (!(name in expected) || !response.body) {
    return response;
  }
  const reader = response.body.getReader();
  const stream = new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      loaded[name] = (loaded[name] || 0) + value.byteLength;
      report("download");
      controller.enqueue(value);
    },
  });
  return new Response(stream, { headers: response.headers, status: response.status,
                                statusText: response.statusText });
};

async function start(base) {
  const manifest = await (await originalFetch(base + "manifest.json")).json();
  expected = manifest.bytes;
  report("download");
  const { loadPyodide } = await import(base + "pyodide/pyodide.mjs");
  pyodide = await loadPyodide({ indexURL: base + "pyodide/", stdout: () => {},
                                stderr: () => {} });
  const bundle = await (await self.fetch(base + manifest.bundle)).arrayBuffer();
  report("python");
  pyodide.unpackArchive(bundle, "zip", { extractDir: "/home/pyodide/book" });
  pyodide.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide/book")
from ec2vslambda import live

def compute_json(name, inputs_json):
    try:
        return json.dumps({"result": live.compute(name, json.loads(inputs_json))},
                          allow_nan=False)
    except ValueError as error:
        return json.dumps({"error": str(error), "key": getattr(error, "name", None)})
    except Exception as error:  # a bug, not bad input: say what, never a traceback
        return json.dumps({"error": f"the calculator failed ({type(error).__name__}: {error})",
                           "key": None})
`);
  computeJson = pyodide.globals.get("compute_json");
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "start") {
    try {
      await start(message.base);
      self.postMessage({ type: "ready" });
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error && error.message || error) });
    }
    return;
  }
  if (message.type === "compute") {
    const reply = JSON.parse(computeJson(message.name, JSON.stringify(message.inputs)));
    self.postMessage({ type: "done", id: message.id, ...reply });
  }
};
