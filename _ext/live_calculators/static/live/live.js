// Live calculators: the page's entry point, a classic script on every page of the site.
//
// It does two things only. Opened from file://, where browsers refuse module scripts and
// workers, it says once at the top of the page how to serve the site, and disables the
// calculators' buttons. Served, and only on a page that has a calculator, it loads the
// calculators' modules (main.mjs and what it imports); other pages load nothing more.
//
// Nothing in these scripts computes a result: every number comes from
// ec2vslambda.live.compute, the function the notebooks call, running in a Web Worker on
// Pyodide (worker.mjs).
(() => {
  const script = document.currentScript;
  const FALLBACK = "This page was opened from a file: serve the site with `make serve` and "
    + "open http://127.0.0.1:8000/ so that its mathematics and calculators load.";

  function fromFile() {
    const box = document.querySelector(".ec2vl-live[data-ui]");
    const note = document.createElement("div");
    note.className = "ec2vl-file-note";
    note.setAttribute("role", "note");
    note.textContent = box ? JSON.parse(box.dataset.ui).file
      : document.documentElement.dataset.ec2vlFile || FALLBACK;
    const main = document.querySelector("main") || document.body;
    main.insertBefore(note, main.firstChild);
    for (const calculator of document.querySelectorAll(".ec2vl-live[data-calculator]")) {
      const button = calculator.querySelector(".ec2vl-go");
      if (button) {
        button.disabled = true;
        calculator.querySelector(".ec2vl-status").textContent = JSON.parse(
          calculator.dataset.ui).file;
      }
    }
  }

  function whenParsed(run) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", run);
    } else {
      run();
    }
  }

  function load() {
    // a button pressed while the modules load is pressed again once they have
    const early = new Set();
    const remember = (event) => {
      const button = event.target.closest?.(".ec2vl-go");
      if (button) {
        early.add(button);
      }
    };
    document.addEventListener("click", remember);
    // the modules' entry, with this script's cache-busting query (Sphinx's ?v=)
    const source = new URL(script.src, document.baseURI);
    const entry = new URL("main.mjs", source);
    entry.search = source.search;
    import(entry.href).then((main) => {
      document.removeEventListener("click", remember);
      main.start(document, early);
    });
  }

  whenParsed(() => {
    if (location.protocol === "file:") {
      fromFile();
    } else if (document.querySelector(".ec2vl-live[data-calculator]")) {
      load();
    }
  });
})();
