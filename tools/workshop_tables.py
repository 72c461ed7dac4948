"""Write the workshop pages' tables from their data files, so they cannot disagree with them.

The tables live between two MyST comment lines in the pages::

    % begin generated: NAME (tools/workshop_tables.py; edit workshop/timings.yml, not this table)
    ...
    % end generated: NAME

NAME is one of :data:`TABLES`: each agenda's table and its plan for running late (from
``workshop/timings.yml`` through :mod:`ec2vslambda.agendas`), the instructor guide's minutes per
page (the same file), and the guide's objective map (``workshop/objectives.yml`` and the
objectives each page lists, see :mod:`objective_map`).

Usage: ``python tools/workshop_tables.py`` rewrites the pages; ``--check`` only says which are
out of date (exit status 1). ``tests/test_workshop_timings.py`` runs the check.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import objective_map  # noqa: E402

from ec2vslambda import agendas  # noqa: E402

WORKSHOP = ROOT / "workshop"
BEGIN = ("% begin generated: {name} (tools/workshop_tables.py; edit workshop/{source}, not this "
         "table)")
END = "% end generated: {name}"


def clock(minutes: int) -> str:
    """Minutes from the start as h:mm."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def agenda_table(name: str) -> str:
    """An agenda's table: one row per block, then the buffer and the end."""
    plan = agendas.agenda(name)
    titles = objective_map.exercise_titles()
    rows = ["| Start | Activity | Teach | Exercises | Must or optional | Material | Do live |",
            "|---|---|---|---|---|---|---|"]
    for block in plan.blocks:
        exercises = str(block.exercise_min) if block.exercise_min else "—"
        material = _cell(block.material) or "—"
        live = objective_map.titled(_cell(block.live), titles) or "—"
        rows.append(f"| {clock(block.start_min)} | {_cell(block.activity)} | {block.teach_min} "
                    f"| {exercises} | {block.flag} | {material} | {live} |")
    end = plan.used_min
    rows.append(f"| {clock(end)} | Buffer: a late start, questions, a laptop that needs help "
                f"| {plan.buffer_min} | — | must | — | — |")
    rows.append(f"| {clock(end + plan.buffer_min)} | End | — | — | — | — | — |")
    return "\n".join(rows)


def cut_list(name: str) -> str:
    """An agenda's plan for running late, in order, with the minutes each step saves."""
    plan = agendas.agenda(name)
    titles = objective_map.exercise_titles()
    lines = [f"{i}. {objective_map.titled(cut.do, titles)} *Saves {cut.saves_min} minutes.*"
             for i, cut in enumerate(plan.cut, start=1)]
    return "\n".join(lines)


def _title(page: str) -> str:
    notebook = nbformat.read(ROOT / f"{page}.ipynb", as_version=4)
    first = notebook.cells[0].source.splitlines()[0]
    return first.removeprefix("# ").strip()


def pages_table() -> str:
    """Each chapter's and lab's teaching and exercise minutes, with the totals."""
    found = agendas.pages()
    rows = ["| Page | Teaching (min) | Exercises (min) | Total (min) |", "|---|---|---|---|"]
    for entry in found:
        rows.append(f"| [{_title(entry.page)}](../{entry.page}.ipynb) | {entry.teach_min} | "
                    f"{entry.exercise_min} | {entry.total_min} |")
    teach = sum(p.teach_min for p in found)
    exercises = sum(p.exercise_min for p in found)
    rows.append(f"| All {len(found)} pages | {teach} | {exercises} | {teach + exercises} |")
    return "\n".join(rows)


def objective_table() -> str:
    return objective_map.table()


#: name -> (page it lives in, data file it comes from, function that draws it)
TABLES: dict[str, tuple[str, str, Callable[[], str]]] = {
    "agenda": ("agenda_90min.md", "timings.yml", lambda: agenda_table("agenda_90min")),
    "late": ("agenda_90min.md", "timings.yml", lambda: cut_list("agenda_90min")),
    "agenda-halfday": ("agenda_halfday.md", "timings.yml",
                       lambda: agenda_table("agenda_halfday")),
    "late-halfday": ("agenda_halfday.md", "timings.yml", lambda: cut_list("agenda_halfday")),
    "page-minutes": ("instructor_guide.md", "timings.yml", pages_table),
    "objective-map": ("instructor_guide.md", "objectives.yml", objective_table),
}


def render(text: str, name: str, source: str, body: str) -> str:
    """``text`` with the generated block NAME replaced by ``body``."""
    begin, end = BEGIN.format(name=name, source=source), END.format(name=name)
    pattern = re.compile(rf"^{re.escape(begin)}\n.*?^{re.escape(end)}$", re.M | re.S)
    if not pattern.search(text):
        raise SystemExit(f"no generated block {name!r}: add the lines\n{begin}\n{end}")
    return pattern.sub(lambda _: f"{begin}\n{body}\n{end}", text, count=1)


def rendered() -> dict[Path, str]:
    """Every page that holds a generated table, as it should read."""
    pages: dict[Path, str] = {}
    for name, (page, source, draw) in TABLES.items():
        path = WORKSHOP / page
        text = pages.get(path, path.read_text(encoding="utf-8"))
        pages[path] = render(text, name, source, draw())
    return pages


def main(argv: list[str]) -> int:
    stale = [path for path, text in rendered().items()
             if path.read_text(encoding="utf-8") != text]
    if "--check" in argv:
        for path in stale:
            print(f"{path.relative_to(ROOT)}: generated tables out of date; run "
                  "python tools/workshop_tables.py")
        return 1 if stale else 0
    for path, text in rendered().items():
        if path in stale:
            path.write_text(text, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: tables rewritten")
    print(f"{len(stale)} page(s) changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
