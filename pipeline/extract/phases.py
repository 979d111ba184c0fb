"""Phases: the stages of a plan's timeline, `find_phases(text, sections, year, roc) -> [Phase]`.

A phase is a section directly under a steps section (方法步骤, 实施步骤, 工作安排 … — kinds from
models/cues/sections.txt), any section headed `…阶段` / `第N阶段` / `第N环节`, or one of sibling sections that name
an event's parts in time order (考前准备, 考中流程, 考后处置). Its name is the heading without
marker and time; its time is the date in the heading's parentheses or the first date on the heading line.
Day bounds come from `dates.parse_date`; an end stated before its start is kept and flagged `inconsistent`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from ..model import Phase, Section
from ..structure import lead
from .dates import find_dates, parse_date

_PAREN = re.compile(r"[（(]([^（）()]{2,40})[）)]")
_EMPTY_PAREN = re.compile(r"[（(]\s*[）)]")


@lru_cache(maxsize=1)
def _stage() -> re.Pattern:
    p = lexicon.regexes("markers")
    return re.compile(rf"^(?:{p['stage']})|{p['stage_word']}$")


@lru_cache(maxsize=1)
def _stage_word() -> re.Pattern:
    return re.compile(lexicon.regexes("markers")["stage_word"])


def is_phase(sec: Section, parent: Section | None) -> bool:
    name = re.split(r"[，,]", _PAREN.sub("", sec.heading), maxsplit=1)[0].strip()  # 动员部署阶段，3月中旬完成
    return bool(_stage().search(sec.marker) or _stage().search(name)) or (parent is not None and parent.kind == "steps")


@lru_cache(maxsize=1)
def _sequence() -> tuple[re.Pattern, tuple[str, ...]]:
    return re.compile(lexicon.regexes("markers")["stage_sequence"]), lexicon.words("sections", "stage_order")


def in_time_order(sections: list[Section]) -> set[str]:
    """Ids of sibling sections whose headings name one event's parts in time order (考前…, 考中…, 考后…)."""
    rx, order = _sequence()
    siblings: dict[str | None, list[Section]] = {}
    for s in sections:
        siblings.setdefault(s.parent, []).append(s)
    out: set[str] = set()
    for group in siblings.values():
        parts = [(s, rx.match(s.heading)) for s in group]
        named = [(s, m) for s, m in parts if m]
        events = {m.group("event") for _, m in named}
        ranks = [order.index(m.group("when")) for _, m in named]
        if len(named) >= 2 and len(events) == 1 and ranks == sorted(set(ranks)) and len(named) == len(group):
            out.update(s.id for s, _ in named)
    return out


def _phase_time(text: str, sec: Section, year: int | None, roc: bool):
    """(time_text, DateItem | None) from the heading line of a phase section."""
    line_end = text.find("\n", sec.start)
    line_end = len(text) if line_end < 0 or line_end > sec.end else line_end
    line = text[sec.start:line_end]
    for m in _PAREN.finditer(line):
        item = parse_date(m.group(1).strip(), year, roc)
        if item is not None:
            return m.group(1).strip(), item
    hs, he = lead(text, sec.start, line_end)
    dates = [d for d in find_dates(text[sec.start:line_end], year, roc) if d.kind in ("date", "range", "deadline")]
    if dates:
        return dates[0].text, dates[0]
    return None, None


def _name(sec: Section, time_text: str | None) -> str:
    """The heading without marker, time and what follows the stage's name (`集中整治阶段，4月至9月，…`)."""
    name = sec.heading
    if time_text:
        name = name.replace(time_text, "")
    name = _EMPTY_PAREN.sub("", _PAREN.sub("", name))
    stage = _stage_word().search(name)
    name = name[:stage.end()] if stage else re.split(r"[，,]", name, maxsplit=1)[0]
    return name.strip(" \t:：，,、.。")


def find_phases(text: str, sections: list[Section], year: int | None, roc: bool = False) -> list[Phase]:
    """The plan's phases in order; `Phase.section` links each to its section."""
    by_id = {s.id: s for s in sections}
    timed = in_time_order(sections)
    phases: list[Phase] = []
    inside: set[str] = set()
    for sec in sections:
        parent = by_id.get(sec.parent) if sec.parent else None
        if parent is not None and parent.id in inside:
            inside.add(sec.id)  # below a phase: its items, not phases
            continue
        if not (is_phase(sec, parent) or sec.id in timed):
            continue
        time_text, item = _phase_time(text, sec, year, roc)
        name = _name(sec, time_text) or sec.marker.strip(" \t:：，,、.。")  # 第一阶段（9月1日—9月7日）
        inside.add(sec.id)
        phases.append(Phase(
            order=len(phases) + 1, name=name, time_text=time_text,
            first_day=item.first_day if item else None, last_day=item.last_day if item else None,
            inconsistent=bool(item and item.inconsistent), start=sec.start, end=sec.end, section=sec.id,
        ))
    return phases
