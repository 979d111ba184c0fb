"""Structure: the heading tree of a plan, `build_sections(text, blocks) -> [Section]`.

Markers (一、 （一） 1. (1) ① 一是 第一阶段 …, patterns in models/patterns/markers.txt) open sections at line
starts; scraped text also glues a marker after the previous sentence (`…成果。(三)强化督导`), so a marker after
。；： counts when it continues its own sequence. Nesting follows the order in which marker types appear, so a
plan may use any subset in any order, except that a conventionally higher marker (一、) never nests under a
lower one (1.). `.docx` heading styles open sections too. A section's `kind` comes from its heading words
(models/cues/sections.txt).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon
from .model import Block, Section
from .numerals import CIRCLED_FIRST, CIRCLED_LAST, CN_CHARS, parse_cn

SUCCESSOR_WINDOW = 1500
NO_TASKS = "no_tasks"  # a cue group, not a contract kind: such sections are written as `other`
NO_TASKS_END = "no_tasks_end"  # the same, by the heading's last words (推荐条件, 列管对象)
_LEAD_END = re.compile(r"[。：:；;！？!?\n]")
_DECIMAL = re.compile(r"^\d+\.(\d+)")
_LETTER = re.compile(r"(?<![A-Za-z])[a-z](?![A-Za-z])")


@dataclass
class Marker:
    start: int
    end: int
    type: str
    value: int
    inline: bool


@dataclass
class _Rx:
    line: re.Pattern
    inline: re.Pattern
    kinds: list[tuple[str, tuple[str, ...]]]
    sequence: tuple[str, ...]
    rank: dict[str, float]          # marker type -> conventional depth (models/cues/marker_types.txt)
    inline_types: frozenset
    first_inline: frozenset
    after_comma: frozenset
    top: frozenset


@lru_cache(maxsize=1)
def _rx() -> _Rx:
    p = lexicon.regexes("markers")
    table = lexicon.table("cues/marker_types.txt")
    rank = {t: float(v) for t, v in table["rank"].items()}
    alt = "|".join(f"(?P<{t}>{p[t]})" for t in rank)
    groups = lexicon.groups("sections")
    kinds = [(k, v) for k, v in groups.items() if k not in ("group_heading", "sequence", "row_label", "stage_order")]
    return _Rx(
        line=re.compile(rf"(?m)^[ \t]*(?:{alt})"),
        inline=re.compile(rf"(?<=[。；;：:！？，, \t])(?:{alt})"),
        kinds=kinds,
        sequence=groups["sequence"],
        rank=rank,
        inline_types=frozenset(table["inline"]),
        first_inline=frozenset(table["first_inline"]),
        after_comma=frozenset(table["after_comma"]),
        top=frozenset(table["top"]),
    )


def is_top_marker(marker_type: str) -> bool:
    """Does this marker type head a part of the plan (一、, 壹、, 第一章)?"""
    return marker_type in _rx().top


def _rank(marker_type: str) -> float:
    """The depth of a marker type; a heading style `hN` ranks by its level among the markers."""
    if marker_type.startswith("h") and marker_type[1:].isdigit():
        return int(marker_type[1:]) - 10
    return _rx().rank.get(marker_type, 9)


def _value(kind: str, s: str) -> int:
    if kind == "sequence":
        seq = _rx().sequence
        return next((i for i, w in enumerate(seq, 1) if s.startswith(w)), 1)
    return marker_value(s)


def marker_value(marker: str) -> int:
    """The number a marker counts: `（三）` 3, `12.` 12, `⑤` 5, `贰、` 2, `第二阶段` 2, `四是` 4, `4.2` 2, `(b)` 2;
    0 if none."""
    decimal = _DECIMAL.match(marker)
    if decimal:
        return int(decimal.group(1))
    letter = _LETTER.search(marker)
    if letter:
        return ord(letter.group().lower()) - ord("a") + 1
    for c in marker:
        if CIRCLED_FIRST <= ord(c) <= CIRCLED_LAST:
            return ord(c) - CIRCLED_FIRST + 1
    return parse_cn("".join(c for c in marker if c.isdigit() or c in CN_CHARS)) or 0


def _followed(markers: list[Marker], i: int) -> bool:
    """Is marker i (an item 1) followed by an item 2 of its type within SUCCESSOR_WINDOW characters?"""
    k = markers[i]
    for n in markers[i + 1:]:
        if n.start - k.start >= SUCCESSOR_WINDOW:
            return False
        if n.type == k.type and n.value == 2:
            return True
    return False


def find_markers(text: str) -> list[Marker]:
    """Every accepted section marker, in text order."""
    rx = _rx()
    found: dict[int, Marker] = {}
    for m in rx.line.finditer(text):
        t = m.lastgroup
        found[m.start(t)] = Marker(m.start(t), m.end(t), t, _value(t, m.group(t)), False)
    for m in rx.inline.finditer(text):
        t = m.lastgroup
        if t in rx.inline_types and m.start(t) not in found:
            found[m.start(t)] = Marker(m.start(t), m.end(t), t, _value(t, m.group(t)), True)
    markers = sorted(found.values(), key=lambda k: k.start)
    # an inline marker must continue its sequence, or open one that item 2 continues
    last: dict[str, int] = {}
    out = []
    for i, k in enumerate(markers):
        if k.inline:
            prev = text[:k.start].rstrip()[-1:]
            if prev in "，, \t" and k.type not in rx.after_comma and not (k.value == 1 and prev in " \t"):
                continue
            follows = last.get(k.type) == k.value - 1 or (k.type == "sequence" and k.value > 1 and "sequence" in last)
            opens = k.value == 1 and (k.type in rx.first_inline or prev in "：: \t") and _followed(markers, i)
            if not (follows or opens):
                continue
        if k.type == "cn_number":  # a new top-level list resets the sequences below it
            last = {t: v for t, v in last.items() if _rank(t) <= _rank("cn_number")}
        last[k.type] = k.value
        out.append(k)
    return out


def classify(heading: str) -> str:
    """The section kind from its heading words (the longest cue found wins), or `other`."""
    return kind_cue(heading)[0]


def kind_cue(heading: str) -> tuple[str, str]:
    """(kind, the cue word that decided it) of a heading; ("other", "") when none applies."""
    heading = heading.strip(" ：:。.")
    if len(heading) > 16:
        return "other", ""
    best, best_cue = "other", ""
    for kind, cues in _rx().kinds:
        for cue in cues:
            hit = heading == cue if kind == NO_TASKS else heading.endswith(cue) if kind == NO_TASKS_END else cue in heading
            if hit and len(cue) > len(best_cue):
                best, best_cue = (NO_TASKS if kind == NO_TASKS_END else kind), cue
    return best, best_cue


def names_section(heading: str) -> bool:
    """Is the heading the name of a part (工作目标, 活动范围) rather than an action (落实提升任务)?"""
    kind, cue = kind_cue(heading)
    return kind != "other" and heading.strip(" ：:。.").startswith(cue)


def lead(text: str, start: int, end: int) -> tuple[int, int]:
    """Span of the lead phrase of `text[start:end]`: up to the first 。：；！？ or line end; a bracket the lead
    opens but does not close (an owner note: `优化流程（责任科室：医务科）`) is left out."""
    m = _LEAD_END.search(text, start, end)
    stop = m.start() if m else end
    opened = max(text.rfind("（", start, stop), text.rfind("(", start, stop))
    if opened > start and max(text.rfind("）", opened, stop), text.rfind(")", opened, stop)) < 0:
        stop = opened
    while stop > start and text[stop - 1] in " \t，,、":
        stop -= 1
    return start, stop


def build_sections(text: str, blocks: list[Block] | None = None) -> list[Section]:
    """The heading tree of a plan's normalized text (`blocks`: .docx headings, in text offsets)."""
    opens: list[tuple[int, int, str]] = [(k.start, k.end, k.type) for k in find_markers(text)]
    taken = {s for s, _, _ in opens}
    for b in blocks or []:
        if b.kind == "heading" and b.start not in taken and b.end > b.start:
            opens.append((b.start, b.start, f"h{b.level or 1}"))
    opens.sort()
    sections: list[Section] = []
    stack: list[tuple[str, Section]] = []
    for n, (start, mend, typ) in enumerate(opens, 1):
        limit = opens[n][0] if n < len(opens) else len(text)  # the heading ends where the next item starts
        rank = _rank(typ)
        if any(t == typ for t, _ in stack):
            while stack[-1][0] != typ:
                stack.pop()
            stack.pop()
        else:
            while stack and _rank(stack[-1][0]) > rank:
                stack.pop()
        hs, he = lead(text, mend, limit)
        while hs < he and text[hs] in " \t、":
            hs += 1
        heading = text[hs:he]
        kind = classify(heading)
        sec = Section(id=f"s{n}", parent=stack[-1][1].id if stack else None, level=len(stack) + 1,
                      marker=text[start:mend].strip(), heading=heading,
                      kind="other" if kind == NO_TASKS else kind, start=start, end=len(text))
        sec.no_tasks = kind == NO_TASKS
        sec.marker_type = typ
        stack.append((typ, sec))
        sections.append(sec)
    # a section ends where the next section at its level or above begins
    open_: list[Section] = []
    for sec in sections:
        while open_ and open_[-1].level >= sec.level:
            open_.pop().end = sec.start
        open_.append(sec)
    for sec in sections:
        while sec.end > sec.start and text[sec.end - 1] in " \n\t":
            sec.end -= 1
    return sections
