/* Self-checks (see _ext/selfcheck): judge an answer in the page, show its feedback, keep it.
 *
 * Each check is an element with data-selfcheck="ID" holding a form: radio buttons
 * (data-kind="choice", the right one named by data-correct) or a number input (data-kind="number",
 * right within data-tolerance of data-answer, a share of it or an amount as data-tolerance-kind
 * says). Answering sets data-answered="correct" or "wrong" on the element and shows the feedback
 * for that answer in the check's live region. The answer is kept in localStorage under the
 * page's path and the check's id, restored on the next visit, and forgotten by "Clear my answer".
 * A classic script, so that it also runs on a page opened from a file. */
(function () {
  "use strict";

  var PREFIX = "ec2vslambda-selfcheck:";

  function storageKey(id) {
    return PREFIX + window.location.pathname + "#" + id;
  }

  function remembered(id) {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey(id)));
    } catch (error) {
      return null; // storage refused (private mode, file page) or an unreadable entry
    }
  }

  function remember(id, given) {
    try {
      window.localStorage.setItem(storageKey(id), JSON.stringify({ given: given }));
    } catch (error) {
      // the answer still shows; it is only not kept
    }
  }

  function forget(id) {
    try {
      window.localStorage.removeItem(storageKey(id));
    } catch (error) {
      // nothing was kept
    }
  }

  function given(box) {
    if (box.dataset.kind === "choice") {
      var picked = box.querySelector("input[type=radio]:checked");
      return picked ? picked.value : null;
    }
    var input = box.querySelector("input[type=number]");
    return input.value === "" || !isFinite(input.valueAsNumber) ? null : input.value;
  }

  /* Which feedback an answer gets, and whether it is right. */
  function judge(box, answer) {
    if (box.dataset.kind === "choice") {
      return { right: answer === box.dataset.correct, feedback: answer };
    }
    var value = Number(answer);
    var expected = Number(box.dataset.answer);
    var tolerance = Number(box.dataset.tolerance);
    if (box.dataset.toleranceKind === "relative") {
      tolerance *= Math.abs(expected);
    }
    tolerance += 1e-9 * Math.max(1, Math.abs(expected)); // a typed 0.1 is not exactly 0.1
    if (Math.abs(value - expected) <= tolerance) {
      return { right: true, feedback: "right" };
    }
    var side = value < expected ? "low" : "high";
    var hasSide = box.querySelector('[data-feedback="' + side + '"]') !== null;
    return { right: false, feedback: hasSide ? side : "wrong" };
  }

  function show(box, verdict) {
    var words = JSON.parse(box.dataset.words);
    var feedback = box.querySelectorAll(".selfcheck-feedback");
    for (var i = 0; i < feedback.length; i += 1) {
      feedback[i].hidden = !verdict || feedback[i].dataset.feedback !== verdict.feedback;
    }
    box.querySelector(".selfcheck-verdict").textContent = verdict
      ? words[verdict.right ? "right" : "wrong"]
      : "";
    if (verdict) {
      box.dataset.answered = verdict.right ? "correct" : "wrong";
    } else {
      delete box.dataset.answered;
    }
  }

  function restore(box, answer) {
    if (box.dataset.kind === "choice") {
      var option = box.querySelector('input[type=radio][value="' + answer + '"]');
      if (!option) {
        return false;
      }
      option.checked = true;
    } else {
      if (!isFinite(Number(answer))) {
        return false;
      }
      box.querySelector("input[type=number]").value = answer;
    }
    return true;
  }

  function setUp(box) {
    var id = box.dataset.selfcheck;
    var form = box.querySelector("form");
    var words = JSON.parse(box.dataset.words);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var answer = given(box);
      if (answer === null) {
        show(box, null);
        box.querySelector(".selfcheck-verdict").textContent =
          box.dataset.kind === "choice" ? words.choose : words.type;
        return;
      }
      show(box, judge(box, answer));
      remember(id, answer);
    });
    box.querySelector(".selfcheck-clear").addEventListener("click", function () {
      form.reset();
      show(box, null);
      forget(id);
    });
    box.querySelector(".selfcheck-actions").hidden = false;
    var kept = remembered(id);
    if (kept && typeof kept.given === "string" && restore(box, kept.given)) {
      show(box, judge(box, kept.given));
    }
  }

  var boxes = document.querySelectorAll("[data-selfcheck]");
  for (var i = 0; i < boxes.length; i += 1) {
    setUp(boxes[i]);
  }
})();
