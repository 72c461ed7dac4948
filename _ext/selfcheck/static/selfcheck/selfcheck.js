/* Self-checks (see _ext/selfcheck): judge an answer in the page, show its feedback, keep it.
 *
 * Each check is an element with data-selfcheck="ID" holding a form: radio buttons
 * (data-kind="choice", the right one named by data-correct) or a number input (data-kind="number",
 * right within data-tolerance of data-answer, a share of it or an amount as data-tolerance-kind
 * says). Answering sets data-answered="correct" or "wrong" on the element and shows the feedback
 * for that answer in the check's live region. The answer is kept in localStorage under the
 * page's path and the check's id, restored on the next visit, and forgotten by "Clear my answer".
 * A classic script (a module would not run on a page opened from a file), deferred. */
(() => {
  const PREFIX = "ec2vslambda-selfcheck:";

  const storageKey = (id) => `${PREFIX}${window.location.pathname}#${id}`;

  const remembered = (id) => {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey(id)));
    } catch {
      return null; // storage refused (private mode, a file page) or an unreadable entry
    }
  };

  const remember = (id, given) => {
    try {
      window.localStorage.setItem(storageKey(id), JSON.stringify({ given }));
    } catch {
      // the answer still shows; it is only not kept
    }
  };

  const forget = (id) => {
    try {
      window.localStorage.removeItem(storageKey(id));
    } catch {
      // nothing was kept
    }
  };

  /* The reader's answer as text, or null when there is none yet. */
  const given = (box) => {
    if (box.dataset.kind === "choice") {
      const picked = box.querySelector("input[type=radio]:checked");
      return picked ? picked.value : null;
    }
    const input = box.querySelector("input[type=number]");
    return input.value === "" || !Number.isFinite(input.valueAsNumber) ? null : input.value;
  };

  /* Which feedback an answer gets, and whether it is right. */
  const judge = (box, answer) => {
    if (box.dataset.kind === "choice") {
      return { right: answer === box.dataset.correct, feedback: answer };
    }
    const value = Number(answer);
    const expected = Number(box.dataset.answer);
    let tolerance = Number(box.dataset.tolerance);
    if (box.dataset.toleranceKind === "relative") {
      tolerance *= Math.abs(expected);
    }
    tolerance += 1e-9 * Math.max(1, Math.abs(expected)); // a typed 0.1 is not exactly 0.1
    if (Math.abs(value - expected) <= tolerance) {
      return { right: true, feedback: "right" };
    }
    const side = value < expected ? "low" : "high";
    const hasSide = box.querySelector(`[data-feedback="${side}"]`) !== null;
    return { right: false, feedback: hasSide ? side : "wrong" };
  };

  /* Show a verdict and its feedback (or, with null, neither). */
  const show = (box, verdict) => {
    const words = JSON.parse(box.dataset.words);
    for (const feedback of box.querySelectorAll(".selfcheck-feedback")) {
      feedback.hidden = !verdict || feedback.dataset.feedback !== verdict.feedback;
    }
    box.querySelector(".selfcheck-verdict").textContent = verdict
      ? words[verdict.right ? "right" : "wrong"]
      : "";
    if (verdict) {
      box.dataset.answered = verdict.right ? "correct" : "wrong";
    } else {
      delete box.dataset.answered;
    }
  };

  /* Put a kept answer back into the controls; false when it no longer fits them. */
  const restore = (box, answer) => {
    if (box.dataset.kind === "choice") {
      const option = box.querySelector(`input[type=radio][value="${CSS.escape(answer)}"]`);
      if (!option) {
        return false;
      }
      option.checked = true;
      return true;
    }
    if (!Number.isFinite(Number(answer))) {
      return false;
    }
    box.querySelector("input[type=number]").value = answer;
    return true;
  };

  const setUp = (box) => {
    const id = box.dataset.selfcheck;
    const form = box.querySelector("form");
    const words = JSON.parse(box.dataset.words);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const answer = given(box);
      if (answer === null) {
        show(box, null);
        box.querySelector(".selfcheck-verdict").textContent =
          box.dataset.kind === "choice" ? words.choose : words.type;
        return;
      }
      show(box, judge(box, answer));
      remember(id, answer);
    });
    box.querySelector(".selfcheck-clear").addEventListener("click", () => {
      form.reset();
      show(box, null);
      forget(id);
    });
    box.querySelector(".selfcheck-actions").hidden = false;
    const kept = remembered(id);
    if (kept && typeof kept.given === "string" && restore(box, kept.given)) {
      show(box, judge(box, kept.given));
    }
  };

  for (const box of document.querySelectorAll("[data-selfcheck]")) {
    setUp(box);
  }
})();
