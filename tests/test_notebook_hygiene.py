"""Rules every committed notebook keeps, checked without running it (fast, no browser).

Strict nbval proves stored text outputs match a fresh run; these checks cover what it cannot:
figures need alt text for screen readers, stored widget state bloats pages, every code cell
must carry its outputs, and stored errors are allowed only where a cell is meant to fail.

They also check each page's structure, as The Carpentries' ``check_lesson`` does for a lesson:

- chapters and labs keep the skeleton of CONTRIBUTING.md, in order: objectives (labs: goals),
  prerequisites with a **Time to learn** line, check your understanding (three exercises or
  more), key takeaways, what's next, references;
- workshop pages are not lessons (a cheat sheet, a quiz, setup steps, instructor notes): they
  need only one title, and a references section where they cite;
- on every page, an answer's code sits inside its solution's dropdown, every exercise has a
  solution, and a cell that only glues values for the prose is removed from the page.

Each rule is a function returning the problems it finds, tested on small synthetic notebooks
below as well as on the book's own.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for folder in ("chapters", "labs", "workshop")
                   for p in (ROOT / folder).glob("*.ipynb"))
LESSONS = [p for p in NOTEBOOKS if p.parent.name in ("chapters", "labs")]


def _ids(path):
    return str(path.relative_to(ROOT))


def code_cells(path):
    return [(i, c) for i, c in enumerate(nbformat.read(path, as_version=4).cells)
            if c.cell_type == "code"]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 10
    assert len(LESSONS) >= 10


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_every_figure_has_alt_text(path):
    missing = [i for i, cell in code_cells(path)
               if any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))
               and len(cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")) < 20]
    assert not missing, (f"cells {missing} draw a figure without alt text: set the cell metadata "
                         '{"mystnb": {"image": {"alt": "what the figure shows"}}}')


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_executed_in_order_with_outputs_and_no_widget_state(path):
    notebook = nbformat.read(path, as_version=4)
    assert "widgets" not in notebook.metadata, "stored widget state: run `make outputs`"
    counts = [c.execution_count for c in notebook.cells if c.cell_type == "code"]
    assert None not in counts, "a code cell was never executed: run `make outputs`"
    assert counts == sorted(counts), "cells were executed out of order: run `make outputs`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_stored_errors_only_where_meant(path):
    untagged = [(i, o.get("ename")) for i, cell in code_cells(path)
                for o in cell.get("outputs", []) if o.get("output_type") == "error"
                and "raises-exception" not in cell.metadata.get("tags", [])]
    assert not untagged, f"cells store errors but are not tagged raises-exception: {untagged}"


# --- reading a page's Markdown -------------------------------------------------------------

_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w-]+)\}\s*(?P<argument>.*)$")


def _lines_outside_fences(source: str):
    """Yield (line, top-level directive name or None) for each line outside any fence, and the
    opening line of each top-level fence. MyST fences nest by length and character."""
    stack: list[str] = []
    for line in source.splitlines():
        match = _FENCE.match(line.strip())
        if match:
            fence, info = match["fence"], match["info"]
            if stack and not info and fence[0] == stack[-1][0] and len(fence) >= len(stack[-1]):
                stack.pop()
                yield line, "/"  # a fence closed
                continue
            if not stack:
                directive = _DIRECTIVE.match(info)
                yield line, directive["name"] if directive else "code"
            stack.append(fence)
            continue
        if not stack:
            yield line, None


def unclosed_fences(notebook) -> list[str]:
    problems = []
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        stack: list[str] = []
        for line in cell.source.splitlines():
            match = _FENCE.match(line.strip())
            if not match:
                continue
            fence, info = match["fence"], match["info"]
            if stack and not info and fence[0] == stack[-1][0] and len(fence) >= len(stack[-1]):
                stack.pop()
            else:
                stack.append(fence)
        if stack:
            problems.append(f"cell {i}: a fence opened with {stack[0]} is never closed")
    return problems


def headings(notebook) -> list[tuple[int, str, int]]:
    """(level, text, cell index) of every Markdown heading outside fences."""
    found = []
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for line, fence in _lines_outside_fences(cell.source):
            heading = re.match(r"^(#{1,6})\s+(.*?)\s*$", line)
            if fence is None and heading:
                found.append((len(heading[1]), heading[2], i))
    return found


def section_text(notebook, title: str) -> str:
    """The Markdown from the level-2 heading ``title`` to the next level-1/2 heading."""
    text, inside = [], False
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            heading = re.match(r"^(#{1,2})\s+(.*?)\s*$", line)
            if heading:
                if inside:
                    return "\n".join(text)
                inside = heading[2] == title
            elif inside:
                text.append(line)
    return "\n".join(text)


# --- rule: the skeleton ----------------------------------------------------------------------

LESSON_SKELETON = ("Prerequisites", "Check your understanding", "Key takeaways", "What's next",
                   "References")
TIME_LINE = re.compile(r"\*\*Time to learn:\*\*\s+\d+ minutes")
MIN_EXERCISES = 3


def title_problems(notebook) -> list[str]:
    found = headings(notebook)
    titles = [h for h in found if h[0] == 1]
    problems = []
    if not found or found[0][0] != 1 or found[0][2] != 0:
        problems.append("the page must open with a `# Title` in its first cell")
    if len(titles) > 1:
        problems.append(f"one `# Title` per page, found {[t[1] for t in titles]}")
    return problems


def skeleton_problems(notebook, objectives: str = "Learning objectives") -> list[str]:
    """What a chapter (objectives='Learning objectives') or a lab ('Goals') lacks."""
    wanted = (objectives, *LESSON_SKELETON)
    sections = [text for level, text, _ in headings(notebook) if level == 2]
    problems = [f"no `## {name}` section" for name in wanted if name not in sections]
    present = [name for name in wanted if name in sections]
    order = sorted(present, key=sections.index)
    if order != present:
        problems.append(f"sections out of order: {order}, expected {present}")
    if "Prerequisites" in sections and not TIME_LINE.search(section_text(notebook,
                                                                         "Prerequisites")):
        problems.append("`## Prerequisites` has no `**Time to learn:** N minutes` line")
    if "References" in sections and "{footbibliography}" not in section_text(notebook,
                                                                            "References"):
        problems.append("`## References` has no ```{footbibliography}``` block")
    exercises = exercise_count(notebook)
    if exercises < MIN_EXERCISES:
        problems.append(f"{exercises} exercise(s); a lesson has at least {MIN_EXERCISES}")
    return problems


def references_problems(notebook) -> list[str]:
    """A page that cites must list its references (workshop pages included)."""
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    if "{footcite" not in text:
        return []
    sections = [text for level, text, _ in headings(notebook) if level == 2]
    if "References" not in sections or "{footbibliography}" not in section_text(notebook,
                                                                                "References"):
        return ["the page cites but has no `## References` with ```{footbibliography}```"]
    return []


def objectives_heading(path: Path) -> str:
    return "Goals" if path.parent.name == "labs" else "Learning objectives"


@pytest.mark.parametrize("path", LESSONS, ids=_ids)
def test_lessons_keep_the_skeleton(path):
    problems = skeleton_problems(nbformat.read(path, as_version=4), objectives_heading(path))
    assert not problems, f"{_ids(path)} (see CONTRIBUTING.md, 'The chapter skeleton'): {problems}"


# --- rule: an answer's code sits inside its solution ------------------------------------------

GATED = ("exercise-start", "exercise-end", "solution-start", "solution-end")


def directive_events(notebook) -> list[tuple[str, int, str]]:
    """In page order: (kind, cell index, argument) with kind a directive name (exercise,
    solution, exercise-start...), "code" for a code cell, or "prose" for text outside fences."""
    events = []
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            events.append(("code", i, ""))
            continue
        for line, fence in _lines_outside_fences(cell.source):
            if fence in ("exercise", "solution", *GATED):
                argument = _DIRECTIVE.match(_FENCE.match(line.strip())["info"])["argument"]
                events.append((fence, i, argument.strip()))
            elif fence != "/" and (fence is not None or line.strip()):
                events.append(("prose", i, ""))  # text, a code block or another directive
    return events


def exercise_count(notebook) -> int:
    return sum(1 for kind, _, _ in directive_events(notebook)
               if kind in ("exercise", "exercise-start"))


def solution_problems(notebook) -> list[str]:
    """Gated exercises and solutions are balanced, and no answer's code escapes its dropdown.

    A code cell between ``exercise-end`` and ``solution-start`` shows the answer before the
    reader opens it; a code cell straight after a ``solution-end`` (no text between) is the
    answer's too; and a gated solution without a code cell means its code escaped (or the
    plain ``{solution}`` directive was meant)."""
    problems, state, codes, opened = [], "out", 0, None
    for kind, cell, _ in directive_events(notebook):
        if kind == "exercise-start":
            if state in ("exercise", "solution"):
                problems.append(f"cell {cell}: exercise-start inside an open {state}")
            state = "exercise"
        elif kind == "exercise-end":
            if state != "exercise":
                problems.append(f"cell {cell}: exercise-end without an exercise-start")
            state = "between"
        elif kind == "solution-start":
            if state in ("exercise", "solution"):
                problems.append(f"cell {cell}: solution-start inside an open {state}")
            state, codes, opened = "solution", 0, cell
        elif kind == "solution-end":
            if state != "solution":
                problems.append(f"cell {cell}: solution-end without a solution-start")
            elif codes == 0:
                problems.append(f"cell {opened}: the gated solution holds no code cell (its code "
                                "is outside the dropdown, or use a plain {solution})")
            state = "just-closed"
        elif kind == "code":
            if state == "between":
                problems.append(f"cell {cell}: code between exercise-end and solution-start "
                                "shows the answer outside its dropdown")
            elif state == "just-closed":
                problems.append(f"cell {cell}: code straight after a solution-end belongs to the "
                                "answer: move the solution-end below it")
            elif state == "solution":
                codes += 1
        elif kind == "prose" and state == "just-closed":
            state = "out"
    if state in ("exercise", "solution"):
        problems.append(f"the page ends inside an open {state}")
    return problems


def unanswered_exercises(notebook) -> list[str]:
    labels = []
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        labels += [(i, label) for label in re.findall(
            r"^[`:~]{3,}\{exercise(?:-start)?\}.*\n(?::[\w-]+:.*\n)*?:label:\s*(\S+)",
            cell.source, flags=re.M)]
    answered = {argument for kind, _, argument in directive_events(notebook)
                if kind in ("solution", "solution-start")}
    exercises = exercise_count(notebook)
    problems = [f"cell {i}: exercise {label} has no solution" for i, label in labels
                if label not in answered]
    if len(labels) < exercises:
        problems.append(f"{exercises - len(labels)} exercise(s) without a :label:")
    return problems


# --- rule: cells that only glue are removed from the page -------------------------------------

HIDDEN = {"remove-cell", "remove-input"}  # either way the reader sees nothing of the cell


def _is_glue_record(output) -> bool:
    data = output.get("data", {})
    return bool(data) and all(key.startswith("application/papermill.record/") for key in data)


def glue_only_problems(notebook) -> list[str]:
    """A code cell that calls glue() and shows nothing else must be tagged remove-cell, so the
    reader does not meet a screen of glue calls (put its imports in a visible cell)."""
    problems = []
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or not re.search(r"\bglue\(", cell.source):
            continue
        if all(_is_glue_record(o) for o in cell.outputs) and not HIDDEN & set(
                cell.metadata.get("tags", [])):
            problems.append(f"cell {i} only glues values: tag it remove-cell")
    return problems


# --- every page keeps every rule ----------------------------------------------------------------

PAGE_RULES = (title_problems, unclosed_fences, references_problems, solution_problems,
              unanswered_exercises, glue_only_problems)


@pytest.mark.parametrize("rule", PAGE_RULES, ids=lambda rule: rule.__name__)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_every_page_keeps_the_rule(path, rule):
    problems = rule(nbformat.read(path, as_version=4))
    assert not problems, f"{_ids(path)}: {problems}"


# --- each rule fails where it should: synthetic notebooks --------------------------------------

def _md(*lines):
    return new_markdown_cell("\n".join(lines))


def _code(source="x = 1", outputs=(), tags=()):
    cell = new_code_cell(source, execution_count=1, outputs=list(outputs))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _gated_exercise(label):
    return ["```{exercise-start} Question", f":label: {label}", "```", "", "Do it.", "",
            "```{exercise-end}", "```", ""]


def _solution_start(label):
    return ["```{solution-start} " + label, ":class: dropdown", "```", "", "Like this:"]


END = ["```{solution-end}", "```"]


def _lesson(objectives="Learning objectives", time_line="**Time to learn:** 30 minutes.",
            exercises=3, extra=()):
    ex = []
    for n in range(exercises):
        ex += [f"```{{exercise}} Q{n}", f":label: q{n}", "", "Why?", "```", "",
               f"```{{solution}} q{n}", ":class: dropdown", "", "Because.", "```", ""]
    return new_notebook(cells=[
        _md("# 1. A chapter", "", "Overview."),
        _md(f"## {objectives}", "", "- one", "", "## Prerequisites", "", "| a | b | c |", "",
            time_line),
        _code(),
        _md("## Check your understanding", "", *ex, *extra, "## Key takeaways", "", "- x", "",
            "## What's next", "", "More.", "", "## References", "", "```{footbibliography}",
            "```"),
    ])


def test_skeleton_rule_passes_a_complete_lesson_and_names_what_is_missing():
    assert skeleton_problems(_lesson()) == []
    assert skeleton_problems(_lesson("Goals"), "Goals") == []
    assert skeleton_problems(_lesson("Goals")) == ["no `## Learning objectives` section"]
    assert any("Time to learn" in p for p in skeleton_problems(
        _lesson(time_line="**Time needed:** 30 minutes.")))
    assert skeleton_problems(_lesson(exercises=2)) == ["2 exercise(s); a lesson has at least 3"]


def test_skeleton_rule_catches_sections_out_of_order_and_empty_references():
    notebook = _lesson()
    last = notebook.cells[-1]
    last.source = last.source.replace("## Key takeaways", "## Key-takeaways-later")
    last.source += "\n\n## Key takeaways\n\n- late"
    assert any("out of order" in p for p in skeleton_problems(notebook))
    notebook = _lesson()
    notebook.cells[-1].source = notebook.cells[-1].source.replace("{footbibliography}", "{note}")
    assert skeleton_problems(notebook) == [
        "`## References` has no ```{footbibliography}``` block"]


def test_headings_inside_fences_do_not_count():
    notebook = _lesson()
    notebook.cells[-1].source = notebook.cells[-1].source.replace(
        "## What's next", "````{note}\n## What's next\n````")
    assert skeleton_problems(notebook) == ["no `## What's next` section"]


def test_title_rule():
    assert title_problems(_lesson()) == []
    two = _lesson()
    two.cells.append(_md("# Another title"))
    assert len(title_problems(two)) == 1
    untitled = _lesson()
    untitled.cells[0].source = "Overview first."
    assert title_problems(untitled) == ["the page must open with a `# Title` in its first cell"]


def test_unclosed_fence_rule():
    assert unclosed_fences(_lesson()) == []
    broken = new_notebook(cells=[_md("# T", "````{solution} x", "text", "```")])
    assert unclosed_fences(broken) == ["cell 0: a fence opened with ```` is never closed"]


def test_references_rule_applies_only_to_pages_that_cite():
    plain = new_notebook(cells=[_md("# Notes", "", "No citations.")])
    citing = new_notebook(cells=[_md("# Notes", "", "A fact {footcite:p}`key`.")])
    assert references_problems(plain) == []
    assert len(references_problems(citing)) == 1
    citing.cells.append(_md("## References", "", "```{footbibliography}", "```"))
    assert references_problems(citing) == []


def test_solution_rule_passes_lab_2s_layout():
    # Lab 2: solution-start ends a Markdown cell, the code follows, and the next Markdown cell
    # opens with the solution-end.
    notebook = new_notebook(cells=[
        _md(*_gated_exercise("a"), *_solution_start("a")), _code(),
        _md(*END, "", *_gated_exercise("b"), *_solution_start("b")), _code(), _code(),
        _md(*END, "", "## Key takeaways"), _code("lab.close()"),
    ])
    assert solution_problems(notebook) == []


def test_solution_rule_catches_lab_4s_leak():
    # Lab 4 before its fix: each Markdown cell closed the solution, then the answer's code came.
    notebook = new_notebook(cells=[
        _md(*_gated_exercise("a"), *_solution_start("a"), *END), _code(),
        _md(*_gated_exercise("b"), *_solution_start("b"), *END), _code(),
    ])
    problems = solution_problems(notebook)
    assert sum("holds no code cell" in p for p in problems) == 2
    assert sum("straight after a solution-end" in p for p in problems) == 2


def test_solution_rule_catches_code_between_exercise_and_solution():
    notebook = new_notebook(cells=[
        _md(*_gated_exercise("a")), _code(), _md(*_solution_start("a")), _code(), _md(*END),
    ])
    assert solution_problems(notebook) == [
        "cell 1: code between exercise-end and solution-start shows the answer outside its "
        "dropdown"]


def test_solution_rule_allows_code_after_a_solution_when_text_comes_first():
    notebook = new_notebook(cells=[
        _md(*_gated_exercise("a"), *_solution_start("a")), _code(),
        _md(*END, "", "Back to the lab: the next step."), _code(),
        _md("```{exercise} Plain", ":label: b", "", "Why?", "```"), _code(),
    ])
    assert solution_problems(notebook) == []


def test_solution_rule_catches_unbalanced_fences():
    assert solution_problems(new_notebook(cells=[_md(*_gated_exercise("a"),
                                                     *_solution_start("a"))])) == [
        "the page ends inside an open solution"]
    assert solution_problems(new_notebook(cells=[_md(*END)])) == [
        "cell 0: solution-end without a solution-start"]
    assert "exercise-end without an exercise-start" in solution_problems(
        new_notebook(cells=[_md("```{exercise-end}", "```")]))[0]


def test_every_exercise_needs_a_solution_and_a_label():
    assert unanswered_exercises(_lesson()) == []
    notebook = _lesson()
    notebook.cells[-1].source = notebook.cells[-1].source.replace("{solution} q1", "{solution} q9")
    assert unanswered_exercises(notebook) == ["cell 3: exercise q1 has no solution"]
    gated = new_notebook(cells=[_md(*_gated_exercise("g"), *_solution_start("g")), _code(),
                                _md(*END, "", "```{exercise} No label", "", "Why?", "```")])
    assert unanswered_exercises(gated) == ["1 exercise(s) without a :label:"]


def _glue_output():
    return new_output("display_data", data={"application/papermill.record/text/plain": "'7'"},
                      metadata={"scrapbook": {"name": "n", "mime_prefix":
                                              "application/papermill.record/"}})


def test_glue_rule():
    visible = new_output("execute_result", data={"text/plain": "1"}, execution_count=1)
    assert glue_only_problems(new_notebook(cells=[
        _code("glue('n', '7', display=False)", [_glue_output()], tags=["remove-cell"]),
        _code("glue('n', '7', display=False)\ntable", [_glue_output(), visible]),
        _code("import pandas as pd"),
    ])) == []
    assert glue_only_problems(new_notebook(cells=[
        _code("import x\nglue('n', '7', display=False)", [_glue_output()]),
        _code("glue('n', '7', display=False)", [_glue_output()], tags=["hide-input"]),
    ])) == ["cell 0 only glues values: tag it remove-cell",
            "cell 1 only glues values: tag it remove-cell"]
