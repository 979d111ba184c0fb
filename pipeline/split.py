"""Split a file's text into plans: `split_plans(converted_text) -> [(start, end)]` (file offsets).

A file may hold several plans:
- a scraped page with part headers (…篇一 … 篇八): text before the first header is the page's, not a plan's;
- several plans run together inside one part. A new plan starts
  (a) after a closing signature (a date line, usually under an issuer line) that ends a plan of some size,
  (b) where the numbering restarts at 一、 under a new preamble or title (为…/根据…/…制定本方案) — unless the
      plan numbers its top level 壹、贰、…: then 一、 restarts under each of them, inside the same plan.
Page clutter (上传日期, 小编 intros, 本文地址 …) at a plan's edges belongs to no plan.

Reads the width-folded simplified text (`normalize.to_simplified`), so cue words are matched in one script.
"""
from __future__ import annotations

import re
from itertools import islice
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon
from .errors import InputError
from .normalize import is_clutter_line
from .numerals import parse_cn

MIN_PLAN_CHARS = 40       # a plan has at least this much text besides clutter
MIN_CLOSED_PLAN = 300     # a signature ends a plan only after this much text (not a cover notice)


@dataclass
class Line:
    start: int
    end: int
    text: str
    clutter: bool


@dataclass
class _Cues:
    part_header: re.Pattern
    tw_top: re.Pattern      # 壹、
    cn_number: re.Pattern   # 一、
    marker: re.Pattern
    date_line: re.Pattern
    preamble_start: re.Pattern
    preamble_has: re.Pattern
    title_end: re.Pattern
    attachment: re.Pattern


@lru_cache(maxsize=1)
def cues() -> _Cues:
    p = lexicon.regexes("markers")
    w = lambda g: lexicon.alternation(lexicon.words("split", g))  # noqa: E731
    return _Cues(
        part_header=re.compile(p["part_header"]),
        tw_top=re.compile(p["tw_top"]),
        cn_number=re.compile(p["cn_number"]),
        marker=re.compile(p["any"]),
        date_line=re.compile(p["date_line"]),
        preamble_start=re.compile("^" + w("preamble_start")),
        preamble_has=re.compile(w("preamble_has")),
        title_end=re.compile(w("plan_type") + r"[”\"》]?$"),
        attachment=re.compile("^" + w("attachment")),
    )


def lines_of(text: str) -> list[Line]:
    """Non-blank lines with their stripped spans."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.span()
        raw = m.group()
        s += len(raw) - len(raw.lstrip())
        e -= len(raw) - len(raw.rstrip())
        if s < e:
            line = text[s:e]
            out.append(Line(s, e, line, is_clutter_line(line)))
    return out


def _is_title(t: str) -> bool:
    return len(t) <= 60 and not re.search(r"[。；;]", t) and bool(cues().title_end.search(t)) and not cues().marker.match(t)


def _is_preamble(t: str) -> bool:
    c = cues()
    if c.marker.match(t):
        return False
    return bool(c.preamble_has.search(t)) or (bool(c.preamble_start.match(t)) and len(t) >= 20)


def _is_org(t: str) -> bool:
    return len(t) <= 20 and not re.search(r"[，,。；;：:、]", t) and not cues().marker.match(t)


def _restarts(t: str) -> bool:
    """Does the line restart top-level numbering (一、)?"""
    m = cues().cn_number.match(t)
    return bool(m) and parse_cn(m.group()[:-1]) == 1


def _split_part(lines: list[Line]) -> list[list[Line]]:
    """Plans inside one part (or a whole file without part headers)."""
    c = cues()
    plans: list[list[Line]] = []
    cur: list[Line] = []
    seen_cn = seen_tw = False
    chars = 0
    i = 0
    while i < len(lines):
        ln = lines[i]
        if not ln.clutter and seen_cn and not seen_tw and _restarts(ln.text):
            # walk back over the preamble / title / issuer lines that open a new plan
            k = len(cur)
            opener = False
            while k > 0:
                t = cur[k - 1]
                if t.clutter:
                    k -= 1
                    continue
                if _is_preamble(t.text) or _is_title(t.text):
                    opener = True
                elif not (_is_org(t.text) and not c.date_line.match(t.text)):
                    break
                k -= 1
            while k < len(cur) and cur[k].clutter:
                k += 1
            if opener and k > 0:
                plans.append(cur[:k])
                cur = cur[k:]
                seen_cn = seen_tw = False
                chars = sum(len(x.text) for x in cur if not x.clutter)
        cur.append(ln)
        if not ln.clutter:
            chars += len(ln.text)
            if c.cn_number.match(ln.text):
                seen_cn = True
            elif c.tw_top.match(ln.text):
                seen_tw = True
            if c.date_line.match(ln.text) and chars >= MIN_CLOSED_PLAN:
                rest = list(islice((x for x in lines[i + 1:i + 200] if not x.clutter), 5))
                if sum(len(x.text) for x in rest) >= MIN_PLAN_CHARS * 2 and not c.attachment.match(rest[0].text):
                    # keep trailing page numbers with the closed plan
                    while i + 1 < len(lines) and lines[i + 1].clutter:
                        i += 1
                        cur.append(lines[i])
                    plans.append(cur)
                    cur, seen_cn, seen_tw, chars = [], False, False, 0
        i += 1
    if cur:
        plans.append(cur)
    return plans


def _trim(plan: list[Line], keep_header: bool) -> tuple[int, int] | None:
    """The plan's span without clutter lines at its edges (a leading part header is kept)."""
    c = cues()
    body = [x for x in plan if not x.clutter]
    if sum(len(x.text) for x in body) < MIN_PLAN_CHARS:
        return None
    first = plan[0] if keep_header and c.part_header.match(plan[0].text) else body[0]
    return first.start, body[-1].end


def split_plans(text: str) -> list[tuple[int, int]]:
    """Plan spans `[start, end)` in `text` (the converted file text); raises InputError when none."""
    lines = lines_of(text)
    c = cues()
    headers = [i for i, x in enumerate(lines) if c.part_header.match(x.text)]
    parts = [lines[a:b] for a, b in zip(headers, headers[1:] + [len(lines)])] if headers else [lines]
    spans = []
    for part in parts:
        for j, plan in enumerate(_split_part(part)):
            span = _trim(plan, keep_header=bool(headers) and j == 0)
            if span:
                spans.append(span)
    if not spans:
        raise InputError("no_plan", "only page clutter or too little text")
    return spans
