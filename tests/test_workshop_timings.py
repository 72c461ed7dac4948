"""The workshop's minutes (workshop/timings.yml through ec2vslambda.agendas): the pages' own
estimates, agendas that fit their clock with a buffer, blocks that give what they teach the time
it takes, tables that agree with the data, quizzes that ask only about what was taught, and
instructor notes for every exercise an agenda uses."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

from ec2vslambda import agendas

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import objective_map  # noqa: E402
import workshop_tables  # noqa: E402

PAGES = {p.page: p for p in agendas.pages()}
AGENDAS = agendas.agenda_names()
LESSONS = sorted(str(p.relative_to(ROOT).with_suffix("")) for folder in ("chapters", "labs")
                 for p in (ROOT / folder).glob("*.ipynb"))
TIME_TO_LEARN = re.compile(r"\*\*Time to learn:\*\* (\d+) minutes \(plus (\d+) for the exercises\)")


def _markdown(page: str) -> list[str]:
    notebook = nbformat.read(ROOT / f"{page}.ipynb", as_version=4)
    return [c.source for c in notebook.cells if c.cell_type == "markdown"]


def _headings(page: str) -> list[tuple[str, str | None]]:
    """Content headings of a page, as (## heading, ### heading or None), outside code fences."""
    found, top = [], None
    for source in _markdown(page):
        fenced = False
        for line in source.splitlines():
            if line.startswith(("```", "~~~")):
                fenced = not fenced
            if fenced:
                continue
            if line.startswith("## "):
                top = line[3:].strip()
                found.append((top, None))
            elif line.startswith("### ") and top:
                found.append((top, line[4:].strip()))
    return found


def _starts(heading: str, key: str) -> bool:
    """``heading`` starts with ``key`` as whole words ("Step 1" is not "Step 10")."""
    return heading.startswith(key) and not heading[len(key):len(key) + 1].isalnum()


NOT_CONTENT = ("Learning objectives", "Goals", "Prerequisites", "Check your understanding",
               "Key takeaways", "What's next", "References")


# --- pages ---------------------------------------------------------------------------------------

def test_every_chapter_and_lab_has_its_minutes():
    missing = sorted(set(LESSONS) - set(PAGES))
    assert not missing, (f"add the minutes of {missing} to workshop/timings.yml (pages:), from "
                         "each page's Time to learn line, split over its sections")
    assert set(PAGES) <= set(LESSONS), f"timings.yml names pages that do not exist: " \
                                       f"{sorted(set(PAGES) - set(LESSONS))}"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_minutes_are_the_pages_own_time_to_learn(page):
    stated = [TIME_TO_LEARN.search(s) for s in _markdown(page) if TIME_TO_LEARN.search(s)]
    assert len(stated) == 1, f"{page}: one **Time to learn:** line expected"
    teach, exercises = (int(n) for n in stated[0].groups())
    assert (PAGES[page].teach_min, PAGES[page].exercise_min) == (teach, exercises), (
        f"{page} says {teach} + {exercises} minutes; workshop/timings.yml says "
        f"{PAGES[page].teach_min} + {PAGES[page].exercise_min}")


def section_minutes(page: str, key: str) -> int:
    return PAGES[page].sections[key]


def resolve(page: str, key: str) -> tuple[str, str | None]:
    """The heading a section key names on the page."""
    top_key, _, sub_key = (part.strip() for part in key.partition(">"))
    matches = [(top, sub) for top, sub in _headings(page)
               if _starts(top, top_key) and (sub is None if not sub_key
                                             else sub is not None and _starts(sub, sub_key))]
    assert len(matches) == 1, f"{page}: section key {key!r} names {len(matches)} headings"
    return matches[0]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_section_minutes_name_headings_cover_the_page_and_add_up(page):
    entry = PAGES[page]
    assert sum(entry.sections.values()) == entry.teach_min, (
        f"{page}: sections add up to {sum(entry.sections.values())} minutes, the page teaches "
        f"for {entry.teach_min}")
    named = {resolve(page, key) for key in entry.sections}
    covered_tops = {top for top, _ in named}
    content = [top for top, sub in _headings(page) if sub is None and top not in NOT_CONTENT]
    uncovered = [top for top in content if top not in covered_tops]
    assert not uncovered, f"{page}: sections with no minutes in timings.yml: {uncovered}"


def test_a_section_key_must_name_a_heading():
    page = "chapters/03_how_they_work"
    assert resolve(page, "3.2 > Three phases") == (
        "3.2 Lambda: code in execution environments", "Three phases")
    with pytest.raises(AssertionError, match="names 0 headings"):
        resolve(page, "3.2 > Four phases")
    with pytest.raises(AssertionError, match="names 0 headings"):
        resolve("labs/01_cold_starts_keepalive", "Step 9")


# --- agendas -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", AGENDAS)
def test_the_agenda_fits_its_time_with_a_tenth_as_buffer(name):
    plan = agendas.agenda(name)
    assert plan.buffer_min >= agendas.MIN_BUFFER_SHARE * plan.minutes, (
        f"{name}: a buffer of {plan.buffer_min} minutes is under 10% of {plan.minutes}")
    assert plan.used_min + plan.buffer_min <= plan.minutes, (
        f"{name}: {plan.used_min} minutes of blocks and {plan.buffer_min} of buffer overrun "
        f"{plan.minutes}")
    assert plan.fits
    starts = [b.start_min for b in plan.blocks]
    assert starts[0] == 0 and all(a.end_min == b.start_min
                                  for a, b in zip(plan.blocks, plan.blocks[1:], strict=False))


def _variants():
    for name in AGENDAS:
        for block in agendas.agenda(name).blocks:
            yield pytest.param(name, block, id=f"{name}-{block.id}")
            if block.alternative is not None:
                yield pytest.param(name, block.alternative, id=f"{name}-{block.id}-alternative")


@pytest.mark.parametrize(("name", "block"), list(_variants()))
def test_a_block_gives_what_it_teaches_the_time_it_takes(name, block):
    stated = 0
    for page, keys in block.covers.items():
        assert page in PAGES, f"{name}/{block.id}: {page} has no minutes in timings.yml"
        for key in keys:
            assert key in PAGES[page].sections, f"{name}/{block.id}: {page} has no section {key!r}"
            stated += section_minutes(page, key)
    assert block.teach_min >= stated, (
        f"{name}/{block.id} teaches for {block.teach_min} minutes what the pages say takes "
        f"{stated}")
    minutes = agendas.exercise_minutes()
    unknown = [u for u in block.uses if u not in minutes]
    assert not unknown, f"{name}/{block.id}: give {unknown} their minutes in timings.yml"
    needed = sum(minutes[u] for u in block.uses)
    assert block.exercise_min >= needed, (
        f"{name}/{block.id} gives {block.exercise_min} minutes to exercises that need {needed}")


def _all_exercise_labels() -> set[str]:
    return {label for page in LESSONS for label in objective_map.exercise_labels(page)}


@pytest.mark.parametrize("name", AGENDAS)
def test_every_exercise_an_agenda_uses_exists_and_is_named_in_its_table(name):
    plan = agendas.agenda(name)
    labels = _all_exercise_labels()
    missing = [u for u in plan.exercises() if u not in labels]
    assert not missing, f"{name} uses exercises that no page defines: {missing}"
    for block in plan.blocks:
        for label in block.uses:
            assert f"{{ref}}`{label}`" in block.live, f"{name}/{block.id}: name {label} in live"


@pytest.mark.parametrize("name", AGENDAS)
def test_the_plan_for_running_late_names_its_blocks_and_saves_what_they_have(name):
    plan = agendas.agenda(name)
    assert plan.cut, f"{name} has no plan for running late"
    for block_id in {c.block for c in plan.cut}:
        block = plan.block(block_id)
        saved = sum(c.saves_min for c in plan.cut if c.block == block_id)
        assert 0 < saved <= block.minutes, f"{name}/{block_id} cannot save {saved} minutes"
    assert all(plan.block(c.block).id not in ("welcome", "close") for c in plan.cut)


def test_an_agenda_that_overruns_or_keeps_no_buffer_does_not_fit(tmp_path):
    def write(blocks: str, buffer: int) -> Path:
        path = tmp_path / f"t{len(list(tmp_path.iterdir()))}.yml"
        path.write_text("pages: {}\nexercises: {}\nagendas:\n  a:\n    minutes: 60\n"
                        f"    buffer: {buffer}\n    blocks:\n{blocks}", encoding="utf-8")
        return path

    block = "      - {{id: b{0}, activity: x, teach: {1}, exercises: {2}, flag: must}}\n"
    fitting = write(block.format(1, 30, 10) + block.format(2, 10, 4), 6)
    assert agendas.agenda("a", fitting).fits
    assert agendas.agenda("a", fitting).blocks[1].start_min == 40
    overrun = write(block.format(1, 30, 10) + block.format(2, 10, 5), 6)
    assert not agendas.agenda("a", overrun).fits  # 55 + 6 > 60
    thin = write(block.format(1, 30, 10) + block.format(2, 10, 5), 5)
    assert not agendas.agenda("a", thin).fits  # fits the hour, but 5 is under a tenth of it


@pytest.mark.parametrize(("bad", "message"), [
    ("teach: -5", r"teach=-5 is not allowed; allowed: whole minutes"),
    ("teach: 2.5", r"teach=2.5 is not allowed"),
    ("teach: 5, flag: maybe", r"flag='maybe' is not allowed; allowed: must, optional"),
])
def test_a_malformed_block_is_refused_by_name(tmp_path, bad, message):
    path = tmp_path / "t.yml"
    path.write_text("pages: {}\nexercises: {}\nagendas:\n  a:\n    minutes: 60\n    buffer: 6\n"
                    f"    blocks:\n      - {{id: b, exercises: 0, {bad}}}\n", encoding="utf-8")
    with pytest.raises(agendas.TimingsError, match=message):
        agendas.agenda("a", path)
    with pytest.raises(agendas.TimingsError, match="name='b' is not an agenda; allowed: a"):
        agendas.agenda("b", path)


def test_the_half_day_header_promises_exactly_what_its_table_has():
    text = (ROOT / "workshop" / "agenda_halfday.md").read_text(encoding="utf-8")
    header = text.split("\n\n")[1]
    promised_chapters = {int(n) for n in re.findall(r"\d+", re.search(
        r"chapters ([\d, and]+)", header).group(1))}
    promised_labs = {int(n) for n in re.findall(r"\blab (\d+)", header)}
    plan = agendas.agenda("agenda_halfday")
    material = " ".join(b.material for b in plan.blocks)
    taught_chapters = {int(n) for n in re.findall(r"\.\./chapters/0(\d)_", material)}
    taught_labs = {int(n) for n in re.findall(r"\.\./labs/0(\d)_", material)}
    taught_labs |= {int(n) for n in re.findall(r"\bLab (\d+): ", material)}
    assert promised_chapters == taught_chapters
    assert promised_labs == taught_labs


# --- the pages agree with the data --------------------------------------------------------------

def test_the_generated_tables_are_up_to_date():
    stale = [str(path.relative_to(ROOT)) for path, text in workshop_tables.rendered().items()
             if path.read_text(encoding="utf-8") != text]
    assert not stale, f"{stale}: run python tools/workshop_tables.py"


def test_the_agenda_table_shows_each_block_and_the_buffer():
    table = workshop_tables.agenda_table("agenda_90min")
    plan = agendas.agenda("agenda_90min")
    rows = [line for line in table.splitlines()[2:]]
    assert len(rows) == len(plan.blocks) + 2
    for row, block in zip(rows, plan.blocks, strict=False):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[0] == workshop_tables.clock(block.start_min)
        assert cells[2:5] == [str(block.teach_min), str(block.exercise_min or "—"), block.flag]
    assert rows[-2].startswith(f"| {workshop_tables.clock(plan.used_min)} | Buffer")
    assert rows[-1].startswith(f"| {workshop_tables.clock(plan.minutes)} | End")


def test_a_page_edited_by_hand_is_caught(tmp_path):
    text = (ROOT / "workshop" / "agenda_90min.md").read_text(encoding="utf-8")
    edited = text.replace("| 0:04 |", "| 0:05 |")
    assert edited != text
    rendered = workshop_tables.render(edited, "agenda", "timings.yml",
                                      workshop_tables.agenda_table("agenda_90min"))
    assert rendered == text
    with pytest.raises(SystemExit, match="no generated block 'nothing'"):
        workshop_tables.render(text, "nothing", "timings.yml", "")


# --- quizzes and instructor notes ----------------------------------------------------------------

def _quiz_labels(page: str) -> list[str]:
    labels = []
    for source in _markdown(page):
        labels += re.findall(r"^:label: (\S+)", source, re.M)
    return labels


@pytest.mark.parametrize("name", AGENDAS)
def test_the_quiz_asks_only_about_blocks_its_agenda_teaches(name):
    plan = agendas.agenda(name)
    asked = _quiz_labels(plan.quiz_page)
    assert asked == list(plan.quiz), f"{plan.quiz_page} asks {asked}; timings.yml maps {plan.quiz}"
    for label, where in plan.quiz.items():
        block_id, _, alternative = where.partition(" ")
        block = plan.block(block_id)
        taught = block.alternative if alternative == "(alternative)" else block
        assert taught is not None and taught.covers, (
            f"{label} asks about {where!r}, which teaches no page's section")


@pytest.mark.parametrize("name", AGENDAS)
def test_every_quiz_question_is_multiple_choice(name):
    page = agendas.agenda(name).quiz_page
    for source in _markdown(page):
        if "{exercise}" not in source:
            continue
        question = source.split("```{solution}")[0]
        answer = source.split("```{solution}")[1]
        options = re.findall(r"\(([a-d])\) ", question)
        assert options == ["a", "b", "c", "d"], f"{page}: options {options} in {question[:60]}"
        right = re.search(r":class: dropdown\n\n\(([a-d])\)\.", answer)
        assert right, f"{page}: a solution must start with its option, e.g. '(b).'"


@pytest.mark.parametrize("name", AGENDAS)
def test_the_scoring_note_names_only_questions_of_its_quiz(name):
    page = agendas.agenda(name).quiz_page
    scoring = next(s for s in _markdown(page) if s.startswith("## Scoring"))
    numbers = {int(n) for n in re.findall(r"\bquestions? ([\d, and]+)", scoring)
               for n in re.findall(r"\d+", n)}
    table = {int(n) for row in re.findall(r"^\| ([\d, and]+) \|", scoring, re.M)
             for n in re.findall(r"\d+", row)}
    count = len(_quiz_labels(page))
    assert table == set(range(1, count + 1)), f"{page}: the scoring table lists {sorted(table)}"
    assert numbers <= set(range(1, count + 1)), f"{page}: the note names {sorted(numbers)}"


def test_every_exercise_an_agenda_uses_has_notes_on_common_mistakes():
    notes = _markdown("workshop/lab_notes")
    used = {label for name in AGENDAS for label in agendas.agenda(name).exercises()}
    without = sorted(label for label in used
                     if not any(f"Common mistakes in {{ref}}`{label}`" in s for s in notes))
    assert not without, ("workshop/lab_notes: add '*Common mistakes in {ref}`LABEL`:*' for "
                         f"{without}")


def test_the_timings_file_ships_with_the_package_build():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    assert setuptools["package-dir"]["ec2vslambda._workshop"] == "workshop"
    assert setuptools["package-data"]["ec2vslambda._workshop"] == ["timings.yml"]
    assert agendas.timings_path() == ROOT / "workshop" / "timings.yml"  # the checkout's copy
