"""The objective map: each learning objective of the book, the exercises that practise it and the
checks that test it.

The objectives are read from the pages themselves, the bullet list under each chapter's
``## Learning objectives`` and each lab's ``## Goals``, in order. ``workshop/objectives.yml`` says,
for each of them, which exercises (``{exercise}`` labels) practise it and which checks test it:
a question of a quiz (its label) or an on-page self-check (its id). An entry may mark a gap that
work under way will fill (``pending``), with what will fill it; nothing else may be missing.

``tools/workshop_tables.py`` writes :func:`table` into the instructor guide, and
``tests/test_objective_map.py`` checks every objective against the pages: the labels exist, each
objective has an exercise and a check, and each pending gap is still a gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "workshop" / "objectives.yml"
PAGES = ("chapters/01_what_they_are", "chapters/02_use_cases", "chapters/03_how_they_work",
         "chapters/04_performance", "chapters/05_pricing", "chapters/06_choosing",
         "labs/01_cold_starts_keepalive", "labs/02_burst_lambda_vs_asg", "labs/03_power_tuning",
         "labs/04_thumbnail_pipeline", "labs/05_your_workload")
#: Where checks live besides the pages' own self-checks: the quizzes.
QUIZZES = ("workshop/quiz_90min", "workshop/quiz_halfday")
OBJECTIVE_HEADINGS = ("## Learning objectives", "## Goals")
_LABEL = re.compile(r"^:label:\s*(\S+)", re.M)
_TITLED = re.compile(r"^```\{exercise(?:-start)?\}[ \t]*(?P<title>.*)\n:label:\s*(?P<label>\S+)",
                     re.M)
_BARE_REF = re.compile(r"\{ref\}`(?P<label>[^`<>]+)`")
_SELF_CHECK = re.compile(r"data-selfcheck=\"([^\"]+)\"|^:id:\s*(\S+)", re.M)


@dataclass(frozen=True)
class Objective:
    """One objective of one page, with what practises and what tests it."""

    page: str
    number: int
    text: str
    exercises: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    pending: dict[str, str] = field(default_factory=dict)


def _markdown(page: str) -> list[str]:
    notebook = nbformat.read(ROOT / f"{page}.ipynb", as_version=4)
    return [c.source for c in notebook.cells if c.cell_type == "markdown"]


def page_objectives(page: str) -> list[str]:
    """The bullets of the page's objectives list, each joined onto one line."""
    for source in _markdown(page):
        lines = source.splitlines()
        starts = [i for i, line in enumerate(lines) if line.strip() in OBJECTIVE_HEADINGS]
        if not starts:
            continue
        bullets: list[str] = []
        for line in lines[starts[0] + 1:]:
            if line.startswith("## "):
                break
            if line.startswith("- "):
                bullets.append(line[2:].strip())
            elif line.startswith("  ") and bullets:
                bullets[-1] += " " + line.strip()
        return bullets
    raise ValueError(f"page={page!r} has no objectives list; allowed: a page with one of "
                     f"{', '.join(OBJECTIVE_HEADINGS)}")


def exercise_labels(page: str) -> set[str]:
    return {m.group(1) for source in _markdown(page) for m in _LABEL.finditer(source)}


def exercise_titles() -> dict[str, str]:
    """Every exercise's title (chapters, labs, quizzes), by its label."""
    return {m.group("label"): m.group("title").strip()
            for page in (*PAGES, *QUIZZES) if (ROOT / f"{page}.ipynb").exists()
            for source in _markdown(page) for m in _TITLED.finditer(source)}


def titled(text: str, titles: dict[str, str] | None = None) -> str:
    """``text`` with each bare ``{ref}`label``` of an exercise written with its title, so the
    link reads "Half busy" rather than the exercise's number."""
    titles = exercise_titles() if titles is None else titles
    return _BARE_REF.sub(lambda m: (f"{{ref}}`{titles[m.group('label')]} <{m.group('label')}>`"
                                    if m.group("label") in titles else m.group(0)), text)


def known_checks() -> set[str]:
    """Quiz questions' labels, and the ids of self-checks placed on any page."""
    found = {label for quiz in QUIZZES if (ROOT / f"{quiz}.ipynb").exists()
             for label in exercise_labels(quiz)}
    for page in PAGES:
        for source in _markdown(page):
            found |= {a or b for a, b in _SELF_CHECK.findall(source)}
    return found


def load(path: Path = DATA) -> list[Objective]:
    """Every objective of every page, with the map's entries for it (aligned by position)."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    objectives = []
    for page in PAGES:
        texts = page_objectives(page)
        mapped = entries.get(page) or []
        if len(mapped) != len(texts):
            raise ValueError(f"{path.name}: {page} lists {len(texts)} objectives, the map "
                             f"{len(mapped)}; allowed: one entry per objective, in order")
        for number, (text, entry) in enumerate(zip(texts, mapped, strict=True), start=1):
            about = str(entry.get("about", ""))
            if about not in text:
                raise ValueError(f"{path.name}: {page} objective {number} should be about "
                                 f"{about!r} but reads {text!r}; allowed: entries in the page's "
                                 "order")
            objectives.append(Objective(
                page, number, text, tuple(entry.get("exercises") or ()),
                tuple(entry.get("checks") or ()),
                {str(k): " ".join(str(v).split()) for k, v in
                 (entry.get("pending") or {}).items()}))
    return objectives


def _page_name(page: str) -> str:
    kind, rest = page.split("/")
    number = int(rest.split("_")[0])
    return f"[{'Chapter' if kind == 'chapters' else 'Lab'} {number}](../{page}.ipynb)"


def _cell(items: tuple[str, ...], pending: str | None, titles: dict[str, str]) -> str:
    parts = [titled(f"{{ref}}`{label}`", titles) for label in items]
    if pending:
        parts.append(f"*to come: {pending}*")
    return "; ".join(parts) or "—"


def table(path: Path = DATA) -> str:
    """The objective map as a Markdown table, one row per objective."""
    rows = ["| Page | Objective: you can ... | Exercises | Checks |", "|---|---|---|---|"]
    titles = exercise_titles()
    for o in load(path):
        text = o.text.rstrip(";.").replace("|", "\\|")
        rows.append(f"| {_page_name(o.page)} | {text} | "
                    f"{_cell(o.exercises, o.pending.get('exercise'), titles)} | "
                    f"{_cell(o.checks, o.pending.get('check'), titles)} |")
    return "\n".join(rows)


if __name__ == "__main__":
    for page in PAGES:
        for number, text in enumerate(page_objectives(page), start=1):
            print(f"{page} {number}: {text}")
