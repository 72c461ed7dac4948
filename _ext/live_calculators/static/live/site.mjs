// Where this site keeps the calculators' runtime (Pyodide, the package bundle, the worker,
// Chart.js) and, in an edition in another language, the catalogue its results are written in.
// Both are named by the first calculator of the page, relative to the edition's root.

const root = document.documentElement.dataset.content_root || "./";
const shipped = document.querySelector(".ec2vl-live[data-assets]");
const worded = document.querySelector(".ec2vl-live[data-words]");

/** The runtime's folder: this edition's own _live/, or that of the site it shares. */
export const LIVE = new URL(root + (shipped ? shipped.dataset.assets : "_live/"),
                            document.baseURI).href;

/** The page's catalogue of result words (null on an English page). */
export const WORDS = worded ? new URL(root + worded.dataset.words, document.baseURI).href
  : null;
