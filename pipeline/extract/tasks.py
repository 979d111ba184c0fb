"""Tasks: `find_tasks(text, sections, phases, dates, blocks, title) -> [Task]`.

A task is an enumerated leaf item (the lowest level: an item with sub-items gives way to them) in a section
that carries action — not under guiding ideology, principles, goals, organization, scope or eligibility
headings, not a phase heading itself, not a part's heading over prose (`一、方案缘起`, `六、经费需求`), not an item
of a cover notice or letter (before the plan's own title), of the annexes (`附件一` forms and rubrics) or of a
remark (`备注：①…`), not a line of a timetable. A task table
(工作任务 | 牵头单位 | 配合单位 | 完成时限, or 时间 | 内容 | 地点 | 负责人) gives one task per row; items written
inside its task cells are its tasks, with the row's owners and deadline. In other tables, items count in a task
column (内容, 项目) or in a row labelled as requirements or measures (`注意 | ①…②…`), not in a form's cells.

Owners (`owners.py`) are the item's own explicit assignment, else a bracket closing the item's paragraph of
inline items, else its task-table row, else the nearest enclosing section that states them.
Cue words and patterns: models/cues/owners.txt, models/patterns/owners.txt, models/patterns/tasks.txt.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon, segment
from ..model import Block, DateItem, Deadline, Phase, Section, Task
from ..structure import classify, is_top_marker, marker_value, names_section
from .owners import closing_note, find_owners, owners_of_cell, split_owners

NO_TASK_KINDS = {"guidance", "principles", "goals", "no_tasks"}
ACTION_KINDS = {"tasks", "steps", "safeguards", "requirements"}
_SENTENCE_END = re.compile(r"[。！？!?\n]")


def _rx() -> lexicon.Patterns:
    return lexicon.patterns("tasks")


def _cue(group: str, name: str = "owners", after: str = "") -> re.Pattern:
    return lexicon.cue_pattern(name, group, after=after)


@lru_cache(maxsize=1)
def _labels() -> frozenset:
    return frozenset(lexicon.words("owners", "lead_label") + lexicon.words("owners", "co_label"))


def is_task_heading(title: str) -> bool:
    """An item reads as an action: not a label (主办单位：…), not the name of a group, not a reward or
    sanction, not a subject's duty."""
    return not (title in _labels() or _cue("group_heading", "sections", "$").search(title)
                or _rx().rule_like.search(title))


def _lists_things(lead: str, kids: list[Section]) -> bool:
    """An item that introduces a list (…如下：) whose entries all name things, not actions: no verb in an entry's
    label (国民中学：…, 书面资料一式十份及电子档光碟一份)."""
    if not _rx().introduces.search(lead):
        return False
    for k in kids:
        label = re.split(r"[：:（(，,。；;]", k.heading.strip(), maxsplit=1)[0]
        if not label or any(flag.startswith("v") for _, flag in segment.pos_tags(label)):
            return False
    return True


def _names_a_case(title: str, sec: Section, by_id: dict[str, Section]) -> bool:
    """An item of a contingency part that names a case (考生健康码异常, 居家健康观察考生), not an action."""
    if not _rx().case_lead.search(title):
        return False
    anc = by_id.get(sec.parent) if sec.parent else None
    while anc is not None:
        if _rx().contingency.search(anc.heading):
            return True
        anc = by_id.get(anc.parent) if anc.parent else None
    return False


# ---------------------------------------------------------------- task tables


@dataclass
class _Row:
    block: Block
    task: tuple[int, int] | None        # a task table's task cell
    owners: tuple[list[str], list[str]]
    deadline: tuple[int, int] | None    # the deadline cell's span
    items: tuple[int, int] | None       # the cell whose enumerated items can be tasks (a task column's)
    label_kind: str                     # the section kind of the row's label (`注意` -> requirements), or other

    def holds_items(self, pos: int) -> bool:
        """Can an item starting at `pos` in this row be a task? In its task cell, or anywhere in a row labelled
        as requirements, measures, steps…; never in a timetable's line nor a form's cells."""
        if self.label_kind in ACTION_KINDS:
            return True
        return self.items is not None and self.items[0] <= pos < self.items[1]


@dataclass
class _Tables:
    rows: list[_Row]                    # every table row of the plan, in text order
    starts: list[int]

    def row_at(self, pos: int) -> _Row | None:
        i = bisect_right(self.starts, pos) - 1
        return self.rows[i] if i >= 0 and pos < self.rows[i].block.end else None


def _cell(text: str, rows: list[Block], r: int, c: int) -> tuple[int, int] | None:
    """Span of cell `c` of row `r`, a cell merged from the rows above read where its text is."""
    while r >= 0:
        cells = rows[r].cells or []
        if c >= len(cells):
            return None
        if c not in (rows[r].merged or ()):
            return cells[c]
        r -= 1
    return None


def _columns(header: list[str]) -> dict[str, int | list[int]]:
    """Which column holds what: `task`, `co` (配合/协办), `deadline`, and `leads` — every owner column
    (牵头单位 and 责任单位 both name owners, in that order)."""
    task, lead, co, deadline = (_cue(g) for g in ("table_task", "lead_label", "co_label", "table_deadline"))
    col: dict[str, int | list[int]] = {"leads": []}
    for i, h in enumerate(header):
        if "task" not in col and task.search(h) and not lead.search(h):
            col["task"] = i
        elif "co" not in col and co.search(h):
            col["co"] = i
        elif lead.search(h):
            col["leads"].append(i)
        elif "deadline" not in col and deadline.search(h):
            col["deadline"] = i
    return col


def read_tables(text: str, blocks: list[Block]) -> _Tables:
    """Every table row of the plan with what it says of tasks: a task table's (a task column and an owner
    column) task cell, owners and deadline; the cell of a task column otherwise; the kind its label names."""
    rx = _rx()
    row_labels = set(lexicon.words("sections", "row_label"))
    by_table: dict[int, list[Block]] = {}
    for b in blocks:
        if b.kind == "table_row" and b.cells:
            by_table.setdefault(b.table or 0, []).append(b)
    out: list[_Row] = []
    for rows in by_table.values():
        col = _columns([text[s:e] for s, e in rows[0].cells])
        tasks = "task" in col and bool(col["leads"])
        out.append(_Row(rows[0], None, ([], []), None, None, "other"))
        for r, row in enumerate(rows[1:], 1):
            first = next((text[s:e].strip() for s, e in row.cells if text[s:e].strip()), "")
            label_kind = "requirements" if first in row_labels else classify(first) if len(first) <= 8 else "other"
            cell = row.cells[col["task"]] if "task" in col and col["task"] < len(row.cells) else None
            if not tasks:  # in a timetable's line (its first cell a time) the cells hold no items
                out.append(_Row(row, None, ([], []), None, None if rx.time_cell.match(first) else cell, label_kind))
                continue
            owners, co = [], []
            for c in col["leads"]:
                lead = _cell(text, rows, r, c)
                found, found_co = owners_of_cell(text[slice(*lead)]) if lead else ([], [])
                owners += [o for o in found if o not in owners]
                co += [o for o in found_co if o not in co]
            co = [o for o in co if o not in owners]
            co_cell = _cell(text, rows, r, col["co"]) if "co" in col else None
            if co_cell:
                co += [c for c in split_owners(text[slice(*co_cell)]) if c not in co and c not in owners]
            deadline = _cell(text, rows, r, col["deadline"]) if "deadline" in col else None
            out.append(_Row(row, cell, (owners, co), deadline, cell, label_kind))
    out.sort(key=lambda x: x.block.start)
    return _Tables(out, [x.block.start for x in out])


# ---------------------------------------------------------------- items


def _path(sec: Section, by_id: dict[str, Section]) -> list[str]:
    chain = []
    cur: Section | None = sec
    while cur is not None:
        chain.append(cur.marker.strip(" 、.，,．:："))
        cur = by_id.get(cur.parent) if cur.parent else None
    return list(reversed(chain))


def _opens_its_list(kids: list[Section]) -> bool:
    """An item whose sub-list starts at 二是 holds its first sub-item (一是…) in its own text: it counts too."""
    return marker_value(kids[0].marker) == 2



def _effective_kind(sec: Section, by_id: dict[str, Section], row: _Row | None) -> str:
    """The kind of the nearest enclosing section that has one (`no_tasks` for 整顿重点-like parts); an item in a
    table row its label names (`注意 | ①…②…`) is of that kind."""
    if row is not None and row.label_kind != "other":
        return row.label_kind
    cur = by_id.get(sec.parent) if sec.parent else None
    while cur is not None:
        if cur.no_tasks:
            return "no_tasks"
        if cur.kind != "other":
            return cur.kind
        cur = by_id.get(cur.parent) if cur.parent else None
    return "other"


def _heading_start(text: str, sec: Section) -> int:
    """Where the section's heading starts: after its marker and the blanks or 、 that follow it."""
    i = sec.start + len(sec.marker)
    while i < sec.end and text[i] in " \t、":
        i += 1
    return i


def _line(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _part_heading(text: str, sec: Section, by_id: dict[str, Section]) -> bool:
    """The heading of a part of the plan, alone on its line over prose (`一、方案缘起`, `3. 服务对象`): a top-level
    heading (一、 壹、 第一章, or any marker with no enumerated section above it), not an item."""
    top = is_top_marker(sec.marker_type) or not any(
        by_id[a].marker for a in _ancestors(sec, by_id))
    if not top:
        return False
    _, line_end = _line(text, sec.start)
    alone = not text[_heading_start(text, sec):line_end].strip(" \t:：").replace(sec.heading.strip(), "", 1)
    return alone and bool(text[line_end:sec.end].strip())


def _ancestors(sec: Section, by_id: dict[str, Section]) -> list[str]:
    out, cur = [], sec.parent
    while cur:
        out.append(cur)
        cur = by_id[cur].parent
    return out


def _body_start(text: str, title: str | None) -> int:
    """Where the plan itself starts after a cover notice or letter (印发通知, 函): its own title line."""
    if not title:
        return 0
    head = title[:12]
    for m in re.finditer(r"(?m)^[ \t]*", text):
        if text.startswith(head, m.end()):
            return m.start()
    return 0


def _over_table(text: str, sec: Section, tables: _Tables) -> bool:
    """A heading alone on its line over a table (`（一）活动日程` / the schedule): the table's caption, not an item."""
    _, line_end = _line(text, sec.start)
    alone = not text[_heading_start(text, sec):line_end].strip(" \t:：").replace(sec.heading.strip(), "", 1)
    return alone and line_end + 1 < sec.end and tables.row_at(line_end + 1) is not None


def _in_remark(text: str, sec: Section) -> bool:
    """An item after a remark label on its line (`备注：①…②…`)."""
    line_start, _ = _line(text, sec.start)
    return bool(_rx().note_label.match(text, line_start, sec.start))


def _annex_start(text: str, sections: list[Section]) -> int:
    """Where the annexes begin: an annex header line (附件一, 附表) after the plan's first top-level part."""
    first = next((s.start for s in sections if is_top_marker(s.marker_type)), None)
    if first is None:
        return len(text)
    m = _rx().annex.search(text, first)
    return m.start() if m else len(text)


def _aside(text: str, sec: Section, annex: int, tables: _Tables) -> bool:
    """An item of the annexes, of a remark or of a table cell that holds no tasks (a timetable's line, a form):
    never a task, nor a sub-item that would make its parent no leaf."""
    if sec.start >= annex or _in_remark(text, sec):
        return True
    row = tables.row_at(sec.start)
    return row is not None and not row.holds_items(sec.start)


def _lead_end(text: str, sec: Section, title: str) -> int:
    """End of an item's lead: its title, and when the title is a heading (`复选：…`, a line) the first sentence
    after it."""
    after = _heading_start(text, sec) + len(title)
    if after >= len(text) or text[after] not in ":：\n":
        return after + 1
    m = _SENTENCE_END.search(text, after + 1, sec.end)
    return m.end() if m else sec.end


def _date_in(dates: list[DateItem], starts: list[int], start: int, end: int) -> list[DateItem]:
    lo = bisect_left(starts, start)
    inside = []
    for d in dates[lo:]:
        if d.start >= end:
            break
        if d.end <= end:
            inside.append(d)
    return inside


def _deadline(text: str, dates: list[DateItem], starts: list[int], start: int, end: int) -> Deadline | None:
    """The item's deadline: a deadline date (…前完成, 截至…), else the date after a 完成时限 label
    (`dates` sorted, `starts` their start offsets)."""
    inside = _date_in(dates, starts, start, end)
    for d in inside:
        if d.kind == "deadline":
            return Deadline(d.text, d.value, d.last_day)
    for m in lexicon.patterns("owners").deadline_label.finditer(text, start, end):
        d = next((d for d in inside if d.start >= m.end() and d.start - m.end() <= 2 and d.last_day), None)
        if d is not None:
            return Deadline(d.text, d.last_day, d.last_day)
    return None


def _cell_deadline(dates: list[DateItem], starts: list[int], span: tuple[int, int] | None) -> Deadline | None:
    """A deadline cell's date: its deadline if it states one, else its last day (完成时限 says it is one)."""
    if span is None:
        return None
    inside = _date_in(dates, starts, *span)
    d = next((x for x in inside if x.kind == "deadline"), None) or next((x for x in inside if x.last_day), None)
    return Deadline(d.text, d.value if d.kind == "deadline" else d.last_day, d.last_day) if d else None


def find_tasks(text: str, sections: list[Section], phases: list[Phase], dates: list[DateItem],
               blocks: list[Block] | None = None, title: str | None = None) -> list[Task]:
    """Tasks of a plan's normalized text, in text order; `title` (the plan's) tells where a cover notice ends."""
    by_id = {s.id: s for s in sections}
    starts = [d.start for d in dates]
    phase_of = {p.section: p.order for p in phases}
    tables = read_tables(text, blocks or [])
    annex = _annex_start(text, sections)
    body = _body_start(text, title)
    children: dict[str, list[Section]] = {}
    for s in sections:  # items of the annexes and lines of timetables are no sub-items of the plan's items
        if s.parent and not _aside(text, s, annex, tables):
            children.setdefault(s.parent, []).append(s)
    stated: dict[str, tuple[list[str], list[str]]] = {}
    tasks: list[Task] = []
    rows_with_items: set[int] = set()
    particulars: set[str] = set()
    for sec in sections:
        kids = children.get(sec.id, [])
        hs = _heading_start(text, sec)
        own_end = min((c.start for c in kids), default=sec.end)
        title = sec.heading.strip()
        stated[sec.id] = find_owners(text, hs, own_end, _lead_end(text, sec, title))
        if sec.id in phase_of or not sec.marker or sec.start < body or _aside(text, sec, annex, tables):
            continue  # a phase; a heading (no marker); an item of the cover notice, the annexes or a form
        if sec.id in particulars:
            continue
        if kids and not _opens_its_list(kids):
            if not _lists_things(text[hs:own_end].strip(), kids):
                continue
            particulars.update(k.id for k in kids)
        row = tables.row_at(sec.start)
        if _effective_kind(sec, by_id, row) in NO_TASK_KINDS:
            continue
        if names_section(sec.heading) or (sec.level == 1 and sec.kind != "other"):
            continue  # a heading with no items under it (二、活动范围, （三）工作目标)
        if not title or not is_task_heading(title) or _part_heading(text, sec, by_id) or _over_table(text, sec, tables):
            continue
        if _names_a_case(title, sec, by_id):
            continue
        owners, co = stated[sec.id]
        if not owners:  # a bracket closing this item's paragraph of inline items (一是…二是…（责任单位：…）)
            note = closing_note(text, *_line(text, sec.start))
            if note is not None and note[0] > sec.start:
                owners, co = note[1]
        if not owners and row is not None and row.task:
            owners, co = row.owners
        anc = by_id.get(sec.parent) if sec.parent else None
        phase = None
        while anc is not None:
            if not owners and stated.get(anc.id, ([], []))[0]:
                owners, co = stated[anc.id]
            if phase is None and anc.id in phase_of:
                phase = phase_of[anc.id]
            anc = by_id.get(anc.parent) if anc.parent else None
        deadline = _deadline(text, dates, starts, sec.start, sec.end)
        if row is not None and row.task:
            rows_with_items.add(row.block.start)
            deadline = deadline or _cell_deadline(dates, starts, row.deadline)
        tasks.append(Task(
            id="", section=sec.id, path=_path(sec, by_id), title=title,
            text=text[sec.start:sec.end], owners=list(owners), co_owners=list(co), phase=phase,
            deadline=deadline, start=sec.start, end=sec.end,
        ))
    tasks += _row_tasks(text, tables, dates, starts, rows_with_items)
    tasks.sort(key=lambda t: t.start)
    for i, t in enumerate(tasks, 1):
        t.id = f"t{i}"
    return tasks


def _row_tasks(text: str, tables: _Tables, dates: list[DateItem], starts: list[int], skip: set[int]) -> list[Task]:
    """One task per data row of a task table whose task cell holds no items of its own."""
    out: list[Task] = []
    count: dict[int, int] = {}
    for row in tables.rows:
        if row.task is None:
            continue
        n = count[row.block.table or 0] = count.get(row.block.table or 0, 0) + 1
        cell = text[slice(*row.task)].strip()
        if not cell or row.block.start in skip:
            continue
        title = re.split(r"[。：:；;]", cell, maxsplit=1)[0]
        owners, co = row.owners
        out.append(Task(
            id="", section=None, path=[f"table{(row.block.table or 0) + 1}", str(n)],
            title=title, text=text[row.block.start:row.block.end], owners=list(owners), co_owners=list(co),
            phase=None, deadline=_cell_deadline(dates, starts, row.deadline), start=row.block.start,
            end=row.block.end,
        ))
    return out
