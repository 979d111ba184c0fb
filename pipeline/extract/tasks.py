"""Tasks and their owners: `find_tasks(text, sections, phases, dates, blocks) -> [Task]`.

A task is an enumerated leaf item (the lowest level: an item with sub-items gives way to them) in a section
that carries action — not under guiding ideology, principles, goals, organization or scope headings, and not
a phase heading itself. A task table (工作任务 | 牵头单位 | 配合单位 | 完成时限) gives one task per row.

Owners come only from explicit assignment — （责任科室：…）, 牵头/责任/配合单位, 由…负责/牵头, …第一责任人,
a unit or role subject of 负责 — or are inherited from the nearest enclosing section that states them.
Cue words and patterns: models/cues/owners.txt, models/patterns/owners.txt.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from ..model import Block, DateItem, Phase, Section, Task
from ..structure import marker_value, names_section

NO_TASK_KINDS = {"guidance", "principles", "goals", "no_tasks"}


@dataclass
class _Rx:
    paren: re.Pattern
    labelled: re.Pattern
    by: re.Pattern
    first: re.Pattern
    subject: re.Pattern
    co_label: re.Pattern
    co_verb: re.Pattern
    separator: re.Pattern
    suffix: re.Pattern
    table_task: re.Pattern
    table_lead: re.Pattern
    table_co: re.Pattern
    table_deadline: re.Pattern
    co_subject: re.Pattern
    deadline_label: re.Pattern
    labels: frozenset
    owner_trim: re.Pattern
    group_heading: re.Pattern
    rule_like: re.Pattern


@lru_cache(maxsize=1)
def _rx() -> _Rx:
    p = lexicon.regexes("owners")
    alt = lambda g: lexicon.alternation(lexicon.words("owners", g))  # noqa: E731
    return _Rx(
        paren=re.compile(p["paren"]),
        labelled=re.compile(p["labelled"]),
        by=re.compile(p["by"]),
        first=re.compile(p["first_responsible"]),
        subject=re.compile(p["subject"]),
        co_label=re.compile("^" + alt("co_label")),
        co_verb=re.compile(alt("co_verb") + "$"),
        separator=re.compile(alt("separator") + "+"),
        suffix=re.compile(alt("owner_suffix") + "$"),
        table_task=re.compile(alt("table_task")),
        table_lead=re.compile(alt("lead_label")),
        table_co=re.compile(alt("co_label")),
        table_deadline=re.compile(alt("table_deadline")),
        co_subject=re.compile(p["co_subject"]),
        owner_trim=re.compile(p["owner_trim"]),
        deadline_label=re.compile(p["deadline_label"]),
        labels=frozenset(lexicon.words("owners", "lead_label") + lexicon.words("owners", "co_label")),
        group_heading=re.compile(lexicon.alternation(lexicon.words("sections", "group_heading")) + "$"),
        rule_like=re.compile(lexicon.regexes("tasks")["rule_like"]),
    )


def is_task_heading(title: str) -> bool:
    """An item reads as an action: not a label (主办单位：…), not the name of a group, not a reward or
    sanction, not a subject's duty."""
    rx = _rx()
    return not (title in rx.labels or rx.group_heading.search(title) or rx.rule_like.search(title))


def split_owners(names: str) -> list[str]:
    """`医务科、监审科等` -> ['医务科', '监审科']."""
    out = []
    for part in _rx().separator.split(names):
        part = _rx().owner_trim.sub("", part.strip(" \t“”\"'"))
        if 2 <= len(part) <= 20 and part not in out:
            out.append(part)
    return out


def find_owners(text: str) -> tuple[list[str], list[str]]:
    """(owners, co_owners) explicitly assigned in `text`."""
    rx = _rx()
    owners: list[str] = []
    co: list[str] = []

    def add(target, names):
        for n in split_owners(names):
            if n not in target:
                target.append(n)

    for m in rx.paren.finditer(text):
        for part in re.split(r"[；;]", m.group("body")):
            lm = rx.labelled.search(part)
            if lm:
                add(co if rx.co_label.match(lm.group("label")) else owners, lm.group("names"))
    if not owners:
        for m in rx.labelled.finditer(text):
            add(co if rx.co_label.match(m.group("label")) else owners, m.group("names"))
    if not owners:
        for m in rx.by.finditer(text):
            add(owners, m.group("names"))
        for m in rx.first.finditer(text):
            add(owners, m.group("names"))
        for m in rx.subject.finditer(text):
            names = m.group("names")
            if all(rx.suffix.search(n) for n in split_owners(names) or ["-"]):
                add(owners, names)
    if owners and not co:  # 由X牵头，Y配合 / X负责、Y配合
        for m in rx.co_subject.finditer(text):
            names = m.group("names")
            if all(rx.suffix.search(n) for n in split_owners(names) or ["-"]):
                add(co, names)
    return owners, [c for c in co if c not in owners]


def _path(sections: list[Section], sec: Section, by_id: dict[str, Section]) -> list[str]:
    chain = []
    cur: Section | None = sec
    while cur is not None:
        chain.append(cur.marker.strip(" 、.，,．:："))
        cur = by_id.get(cur.parent) if cur.parent else None
    return list(reversed(chain))


def _opens_its_list(sec: Section, kids: list[Section]) -> bool:
    """An item whose sub-list starts at 二是 holds its first sub-item (一是…) in its own text: it counts too."""
    return marker_value(kids[0].marker) == 2


def _effective_kind(sec: Section, by_id: dict[str, Section]) -> str:
    """The kind of the nearest enclosing section that has one (`no_tasks` for 整顿重点-like parts)."""
    cur = by_id.get(sec.parent) if sec.parent else None
    while cur is not None:
        if cur.no_tasks:
            return "no_tasks"
        if cur.kind != "other":
            return cur.kind
        cur = by_id.get(cur.parent) if cur.parent else None
    return "other"


def _own_text(text: str, sec: Section, children: list[Section]) -> str:
    """The part of a section before its first child (its heading line and lead paragraph)."""
    end = min((c.start for c in children), default=sec.end)
    return text[sec.start:end]


def _deadline(text: str, dates: list[DateItem], starts: list[int], start: int, end: int) -> dict | None:
    """The item's deadline: a deadline date (…前完成, 截至…), else the date after a 完成时限 label
    (`dates` sorted, `starts` their start offsets)."""
    lo = bisect_left(starts, start)
    inside = []
    for d in dates[lo:]:
        if d.start >= end:
            break
        if start <= d.start and d.end <= end:
            inside.append(d)
    for d in inside:
        if d.kind == "deadline":
            return {"text": d.text, "value": d.value, "last_day": d.last_day}
    for m in _rx().deadline_label.finditer(text, start, end):
        d = next((d for d in inside if d.start >= m.end() and d.start - m.end() <= 2 and d.last_day), None)
        if d is not None:
            return {"text": d.text, "value": d.last_day, "last_day": d.last_day}
    return None


def find_tasks(text: str, sections: list[Section], phases: list[Phase], dates: list[DateItem],
               blocks: list[Block] | None = None) -> list[Task]:
    """Tasks of a plan's normalized text, in text order."""
    by_id = {s.id: s for s in sections}
    children: dict[str, list[Section]] = {}
    for s in sections:
        if s.parent:
            children.setdefault(s.parent, []).append(s)
    starts = [d.start for d in dates]
    phase_of = {p.section: p.order for p in phases}
    phase_ids = set(phase_of)
    stated: dict[str, tuple[list[str], list[str]]] = {}
    tasks: list[Task] = []
    for sec in sections:
        own = _own_text(text, sec, children.get(sec.id, []))
        stated[sec.id] = find_owners(own)
        if sec.id in phase_ids:
            continue
        if sec.id in children and not _opens_its_list(sec, children[sec.id]):
            continue
        if _effective_kind(sec, by_id) in NO_TASK_KINDS:
            continue
        if names_section(sec.heading) or (sec.level == 1 and sec.kind != "other"):
            continue  # a heading with no items under it (二、活动范围, （三）工作目标)
        title = sec.heading.strip()
        if not title or not is_task_heading(title):
            continue
        owners, co = stated[sec.id]
        anc = by_id.get(sec.parent) if sec.parent else None
        phase = None
        while anc is not None:
            if not owners and stated.get(anc.id, ([], []))[0]:
                owners, co = stated[anc.id]
            if phase is None and anc.id in phase_of:
                phase = phase_of[anc.id]
            anc = by_id.get(anc.parent) if anc.parent else None
        tasks.append(Task(
            id=f"t{len(tasks) + 1}", section=sec.id, path=_path(sections, sec, by_id), title=title,
            text=text[sec.start:sec.end], owners=list(owners), co_owners=list(co), phase=phase,
            deadline=_deadline(text, dates, starts, sec.start, sec.end), start=sec.start, end=sec.end,
        ))
    tasks += _table_tasks(text, blocks or [], dates, start_id=len(tasks) + 1)
    tasks.sort(key=lambda t: t.start)
    for i, t in enumerate(tasks, 1):
        t.id = f"t{i}"
    return tasks


def _table_tasks(text: str, blocks: list[Block], dates: list[DateItem], start_id: int) -> list[Task]:
    """One task per data row of a task table (header with a task column and a lead-unit column)."""
    rx = _rx()
    out: list[Task] = []
    rows_by_table: dict[int, list[Block]] = {}
    for b in blocks:
        if b.kind == "table_row" and b.cells:
            rows_by_table.setdefault(b.table or 0, []).append(b)
    for rows in rows_by_table.values():
        header = [text[s:e] for s, e in rows[0].cells]
        col = {}
        for i, h in enumerate(header):
            if "task" not in col and rx.table_task.search(h) and not rx.table_lead.search(h):
                col["task"] = i
            elif "co" not in col and rx.table_co.search(h):
                col["co"] = i
            elif "lead" not in col and rx.table_lead.search(h):
                col["lead"] = i
            elif "deadline" not in col and rx.table_deadline.search(h):
                col["deadline"] = i
        if "task" not in col or "lead" not in col:
            continue
        for row in rows[1:]:
            cells = row.cells
            if len(cells) <= max(col.values()):
                continue
            cs, ce = cells[col["task"]]
            cell = text[cs:ce].strip()
            if not cell:
                continue
            title = re.split(r"[。：:；;]", cell, maxsplit=1)[0]
            co = split_owners(text[slice(*cells[col["co"]])]) if "co" in col else []
            deadline = None
            if "deadline" in col:
                ds, de = cells[col["deadline"]]
                d = next((x for x in dates if ds <= x.start < de), None)
                if d is not None:
                    deadline = {"text": d.text, "value": d.value, "last_day": d.last_day}
            out.append(Task(
                id=f"t{start_id + len(out)}", section=None, path=[f"table{(row.table or 0) + 1}", str(len(out) + 1)],
                title=title, text=text[row.start:row.end], owners=split_owners(text[slice(*cells[col["lead"]])]),
                co_owners=co, phase=None, deadline=deadline, start=row.start, end=row.end,
            ))
    return out
