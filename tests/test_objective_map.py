"""The objective map (workshop/objectives.yml, tools/objective_map.py): every learning objective
of the book is practised by an exercise and tested by a check.

An objective whose gap work under way will fill carries a ``pending`` note in the map: its test
is an expected failure that names what will fill it (pytest lists them under XFAIL), and it
fails outright (XPASS, strict) once the gap is filled and the note is still there."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import objective_map  # noqa: E402

OBJECTIVES = objective_map.load()
LABELS = {label for page in objective_map.PAGES for label in objective_map.exercise_labels(page)}
CHECKS = objective_map.known_checks()
KINDS = ("exercise", "check")


def _params():
    for o in OBJECTIVES:
        for kind in KINDS:
            marks = ()
            if kind in o.pending:
                marks = pytest.mark.xfail(strict=True, reason=f"to come: {o.pending[kind]}")
            yield pytest.param(o, kind, marks=marks, id=f"{o.page} {o.number} {kind}")


def test_the_map_holds_every_objective_of_every_page():
    counted = sum(len(objective_map.page_objectives(p)) for p in objective_map.PAGES)
    assert len(OBJECTIVES) == counted == 52  # 47 before lab 5
    pages = {p.relative_to(ROOT).with_suffix("").as_posix() for folder in ("chapters", "labs")
             for p in (ROOT / folder).glob("*.ipynb")}
    assert set(objective_map.PAGES) == pages, (
        f"add {sorted(pages - set(objective_map.PAGES))} to objective_map.PAGES and its "
        "objectives to workshop/objectives.yml")


@pytest.mark.parametrize(("objective", "kind"), list(_params()))
def test_every_objective_has_an_exercise_and_a_check(objective, kind):
    found = objective.exercises if kind == "exercise" else objective.checks
    assert found, (f"{objective.page}, objective {objective.number} ({objective.text[:60]}...) "
                   f"has no {kind}: name one in workshop/objectives.yml")


def test_every_named_exercise_and_check_exists():
    unknown_exercises = {o.page: [e for e in o.exercises if e not in LABELS] for o in OBJECTIVES}
    unknown_checks = {o.page: [c for c in o.checks if c not in CHECKS] for o in OBJECTIVES}
    assert not any(unknown_exercises.values()), unknown_exercises
    assert not any(unknown_checks.values()), unknown_checks


def test_pending_notes_say_what_fills_which_gap():
    for o in OBJECTIVES:
        assert set(o.pending) <= set(KINDS), f"{o.page} {o.number}: pending {sorted(o.pending)}"
        assert all(len(text) > 20 for text in o.pending.values())


def test_no_gap_is_left_waiting():
    """Issue 22 filled every gap the map found: each objective has an exercise and a check now,
    and a new gap must be filled, not noted as pending."""
    waiting = [(o.page, o.number, sorted(o.pending)) for o in OBJECTIVES if o.pending]
    assert not waiting, waiting


def test_every_page_checks_most_of_its_objectives_on_the_page():
    """A quiz reaches only a room; a reader of the site meets the page's own self-checks."""
    for page in objective_map.PAGES:
        own = [o for o in OBJECTIVES if o.page == page]
        checked = [o for o in own if any(not c.startswith("quiz") for c in o.checks)]
        assert len(checked) >= len(own) - 2, (page, [o.number for o in own if o not in checked])


def test_a_map_out_of_step_with_the_page_is_refused(tmp_path):
    text = (ROOT / "workshop" / "objectives.yml").read_text(encoding="utf-8")
    swapped = text.replace("about: seven use cases", "about: rules Lambda out", 1)
    path = tmp_path / "objectives.yml"
    path.write_text(swapped, encoding="utf-8")
    with pytest.raises(ValueError, match="chapters/02_use_cases objective 1 should be about "
                                         "'rules Lambda out'"):
        objective_map.load(path)
    shorter = text.replace("  - about: recursive-trigger trap", "  - about: x\n  - about: y", 1)
    path.write_text(shorter, encoding="utf-8")
    with pytest.raises(ValueError,
                       match="labs/04_thumbnail_pipeline lists 4 objectives, the map 5"):
        objective_map.load(path)


def test_the_table_has_a_row_per_objective_with_its_exercises_and_checks():
    rows = objective_map.table().splitlines()[2:]
    assert len(rows) == len(OBJECTIVES)
    handler = next(r for r in rows if "write a Lambda-style handler" in r)
    assert ("{ref}`Write a handler for three services <ex-what-they-are-handler>` | "
            "{ref}`ch01-key`; {ref}`ch01-sqs` |") in handler
    assert not any("*to come:" in r for r in rows)
    assert ("{ref}`Who patches a function? <quiz90-q1>`; "
            "{ref}`A container image and a patch <quizhd-q1>`") in next(
                r for r in rows if "shared responsibility" in r)


def test_exercise_links_carry_their_titles():
    titles = objective_map.exercise_titles()
    assert titles["ex-pricing-bill"] == "Reading a bill"
    assert titles["lab1-ex-timer"] == "A 15-minute timer"  # an {exercise-start} block
    assert objective_map.titled("see {ref}`ex-pricing-bill` and {ref}`a-section`") == (
        "see {ref}`Reading a bill <ex-pricing-bill>` and {ref}`a-section`")
