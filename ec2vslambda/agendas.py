"""The workshop's minutes: each page's teaching and exercise time, and the two agendas.

Everything comes from one data file, ``workshop/timings.yml`` (an installed package carries it as
``ec2vslambda/_workshop/timings.yml``); its header says what each field means. This module reads
and checks it, and answers the questions an instructor and the tests ask of it: when each block
starts, how many minutes an agenda uses, whether it fits its time with its buffer, and which
exercises and sections each block covers. ``tools/workshop_tables.py`` draws the pages' tables
from it.

Pure functions over plain data classes; no printing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

__all__ = ["AgendaBlock", "Agenda", "Cut", "PageMinutes", "TimingsError", "timings_path",
           "load_timings", "pages", "exercise_minutes", "agenda", "agenda_names",
           "MIN_BUFFER_SHARE"]

#: The smallest buffer an agenda may keep, as a share of its time.
MIN_BUFFER_SHARE = 0.10
FLAGS = ("must", "optional")


class TimingsError(ValueError):
    """The timings file is malformed; the message names the place and what is allowed."""


@dataclass(frozen=True)
class PageMinutes:
    """One page's own estimate: teaching and exercise minutes, and its sections' minutes."""

    page: str
    teach_min: int
    exercise_min: int
    sections: dict[str, int] = field(default_factory=dict)

    @property
    def total_min(self) -> int:
        return self.teach_min + self.exercise_min


@dataclass(frozen=True)
class AgendaBlock:
    """One row of an agenda."""

    id: str
    activity: str
    start_min: int
    teach_min: int
    exercise_min: int
    flag: str
    material: str = ""
    live: str = ""
    covers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    uses: tuple[str, ...] = ()
    alternative: AgendaBlock | None = None

    @property
    def minutes(self) -> int:
        return self.teach_min + self.exercise_min

    @property
    def end_min(self) -> int:
        return self.start_min + self.minutes


@dataclass(frozen=True)
class Cut:
    """One step of an agenda's plan for running late: what to do and the minutes it saves."""

    block: str
    do: str
    saves_min: int


@dataclass(frozen=True)
class Agenda:
    """An agenda: its time, its buffer, its blocks in order, its cuts and its quiz."""

    name: str
    minutes: int
    buffer_min: int
    blocks: tuple[AgendaBlock, ...]
    cut: tuple[Cut, ...] = ()
    quiz_page: str = ""
    quiz: dict[str, str] = field(default_factory=dict)

    @property
    def used_min(self) -> int:
        """Minutes of every block, breaks included, without the buffer."""
        return sum(b.minutes for b in self.blocks)

    @property
    def fits(self) -> bool:
        """The blocks and the buffer fit the time, and the buffer is at least 10% of it."""
        return (self.used_min + self.buffer_min <= self.minutes
                and self.buffer_min >= MIN_BUFFER_SHARE * self.minutes)

    def block(self, block_id: str) -> AgendaBlock:
        for block in self.blocks:
            if block.id == block_id:
                return block
        raise TimingsError(f"block={block_id!r} is not a block of {self.name}; allowed: "
                           f"{', '.join(b.id for b in self.blocks)}")

    def exercises(self) -> tuple[str, ...]:
        """Every exercise a block (or its alternative) uses, in agenda order."""
        found: list[str] = []
        for block in self.blocks:
            for variant in (block, block.alternative):
                if variant is not None:
                    found += [u for u in variant.uses if u not in found]
        return tuple(found)


def timings_path() -> Path:
    """The timings file: the installed package's copy, else the book's ``workshop/`` folder."""
    here = Path(__file__).resolve().parent
    shipped = here / "_workshop" / "timings.yml"
    return shipped if shipped.is_file() else here.parent / "workshop" / "timings.yml"


def _minutes(where: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TimingsError(f"{where}={value!r} is not allowed; allowed: whole minutes, 0 or more")
    return value


@cache
def _load(path: Path, modified_ns: int) -> dict:
    import yaml  # a dependency of the package

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not {"pages", "exercises", "agendas"} <= set(raw):
        raise TimingsError(f"{path.name}: expected the sections pages, exercises and agendas")
    return raw


def load_timings(path: Path | None = None) -> dict:
    """The raw contents of the timings file (read again only when it changes)."""
    path = Path(path or timings_path()).resolve()
    return _load(path, path.stat().st_mtime_ns)


def pages(path: Path | None = None) -> tuple[PageMinutes, ...]:
    """Every page's minutes, in the file's order."""
    found = []
    for page, entry in load_timings(path)["pages"].items():
        sections = {str(k): _minutes(f"pages.{page}.sections.{k}", v)
                    for k, v in (entry.get("sections") or {}).items()}
        found.append(PageMinutes(page, _minutes(f"pages.{page}.teach", entry.get("teach")),
                                 _minutes(f"pages.{page}.exercises", entry.get("exercises")),
                                 sections))
    return tuple(found)


def exercise_minutes(path: Path | None = None) -> dict[str, int]:
    """The minutes a room needs for each exercise an agenda uses, by its label."""
    return {str(k): _minutes(f"exercises.{k}", v)
            for k, v in load_timings(path)["exercises"].items()}


def agenda_names(path: Path | None = None) -> tuple[str, ...]:
    return tuple(load_timings(path)["agendas"])


def _covers(where: str, value: object) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TimingsError(f"{where}={value!r} is not allowed; allowed: a mapping of page to "
                           "section keys")
    return {str(page): tuple(str(s) for s in keys) for page, keys in value.items()}


def _block(where: str, entry: dict, start_min: int) -> AgendaBlock:
    flag = entry.get("flag", "must")
    if flag not in FLAGS:
        raise TimingsError(f"{where}.flag={flag!r} is not allowed; allowed: {', '.join(FLAGS)}")
    alternative = entry.get("alternative")
    teach = _minutes(f"{where}.teach", entry.get("teach"))
    exercises = _minutes(f"{where}.exercises", entry.get("exercises"))
    return AgendaBlock(
        id=str(entry["id"]), activity=str(entry.get("activity", "")), start_min=start_min,
        teach_min=teach, exercise_min=exercises, flag=flag,
        material=str(entry.get("material", "")), live=str(entry.get("live", "")),
        covers=_covers(f"{where}.covers", entry.get("covers")),
        uses=tuple(str(u) for u in entry.get("uses") or ()),
        alternative=None if alternative is None else AgendaBlock(
            id=f"{entry['id']} (alternative)", activity="", start_min=start_min,
            teach_min=teach, exercise_min=exercises, flag=flag,
            covers=_covers(f"{where}.alternative.covers", alternative.get("covers")),
            uses=tuple(str(u) for u in alternative.get("uses") or ())))


def agenda(name: str, path: Path | None = None) -> Agenda:
    """One agenda, with each block's start minute computed from the blocks before it."""
    agendas = load_timings(path)["agendas"]
    if name not in agendas:
        raise TimingsError(f"name={name!r} is not an agenda; allowed: {', '.join(agendas)}")
    entry = agendas[name]
    blocks, start = [], 0
    for i, raw in enumerate(entry.get("blocks") or ()):
        block = _block(f"agendas.{name}.blocks[{i}]", raw, start)
        blocks.append(block)
        start = block.end_min
    cut = tuple(Cut(str(c["block"]), " ".join(str(c["do"]).split()),
                    _minutes(f"agendas.{name}.cut.saves", c.get("saves")))
                for c in entry.get("cut") or ())
    quiz = entry.get("quiz") or {}
    return Agenda(name=name, minutes=_minutes(f"agendas.{name}.minutes", entry.get("minutes")),
                  buffer_min=_minutes(f"agendas.{name}.buffer", entry.get("buffer")),
                  blocks=tuple(blocks), cut=cut, quiz_page=str(quiz.get("page", "")),
                  quiz={str(k): str(v) for k, v in (quiz.get("questions") or {}).items()})
