"""Normalize a plan's text: simplified script, full-width digits and letters folded, clutter removed.

`to_simplified(text)` converts a whole file once, character for character (same length), so offsets in the
converted text are offsets in the original. `normalize(original, converted)` then removes clutter with
edits whose offset map leads every position of the result back to `original`:

- reading annotations `衛(wèi)`, stray `'` and `` ` `` and `[]` inside Chinese text;
- page clutter lines (上传日期, 小编, 本文地址 …), part headers (…篇三), lone page-number lines, blank lines;
- leading and trailing blanks of each line; a sentence broken across two lines is joined again.

Patterns and cue words are data: models/patterns/markers.txt and models/cues/boilerplate.txt.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon
from .offsets import Edit, OffsetMap, apply_edits
from .script import t2s
from .script import CJK, FULLWIDTH_TO_ASCII

# full-width ASCII (digits, letters, common signs) -> ASCII; length-preserving
_FOLD = FULLWIDTH_TO_ASCII
_FOLD.update({ord("\u3000"): " "})
# keep Chinese punctuation that full-width forms encode (，：；（） stay as they are)
for _c in "，：；（）！？＜＞［］｛｝～":
    _FOLD.pop(ord(_c), None)
_FOLD_CHARS = {chr(k): (v if isinstance(v, str) else chr(v)) for k, v in _FOLD.items()}
_FOLD_RX = re.compile("[" + "".join(re.escape(c) for c in _FOLD_CHARS) + "]+")


def fold_width(text: str) -> str:
    """Full-width digits and Latin letters (and a few signs) -> ASCII, one character for one (a regex finds
    the few runs to fold: `str.translate` with a table looks up every character)."""
    return _FOLD_RX.sub(lambda m: "".join(_FOLD_CHARS[c] for c in m.group()), text)


def to_simplified(text: str) -> str:
    """Width-folded, t2s-converted `text` of exactly the same length (so offsets carry over unchanged)."""
    folded = fold_width(text)
    out = t2s(folded)
    if len(out) == len(folded):
        return out
    # OpenCC phrase rules changed a length somewhere: convert line by line, char by char where needed
    lines = folded.split("\n")
    fixed = []
    for line, conv in zip(lines, t2s("\n".join(lines)).split("\n")):
        if len(conv) != len(line):
            conv = t2s("\n".join(line)).replace("\n", "") if line else line
            if len(conv) != len(line):
                conv = line
        fixed.append(conv)
    return "\n".join(fixed)


@dataclass
class Rx:
    reading: re.Pattern
    stray: re.Pattern
    page_number: re.Pattern
    part_header: re.Pattern
    marker: re.Pattern
    clutter: re.Pattern
    label_line: re.Pattern


@lru_cache(maxsize=1)
def rx() -> Rx:
    p = lexicon.regexes("markers")
    return Rx(
        reading=re.compile(p["reading"]),
        stray=re.compile(p["stray"]),
        page_number=re.compile(p["page_number"]),
        part_header=re.compile(p["part_header"]),
        marker=re.compile(p["any"]),
        clutter=re.compile(lexicon.alternation(lexicon.words("boilerplate", "line"))),
        label_line=re.compile(rf"^[{CJK}\s]{{1,8}}[:：]"),
    )


_BLANK = " \t\u3000\xa0\ufeff\u200b"
_END_PUNCT = set("。！？；：:;!?…）)”」』》．.，,、|")
_SENTENCE_INSIDE = re.compile(r"[，,。；;]")
_CJK = re.compile(f"[{CJK}]")


def is_clutter_line(line: str) -> bool:
    """A line that belongs to the page, not the plan: clutter cue, part header or page number."""
    r = rx()
    return bool(r.clutter.search(line) or r.part_header.match(line) or r.page_number.match(line))


def _broken(a: str, b: str) -> bool:
    """Is line `a` a sentence that continues on line `b` (a line break inside a sentence)?"""
    r = rx()
    if not a or not b or a[-1] in _END_PUNCT or r.marker.match(a) or r.marker.match(b):
        return False
    if not (_CJK.match(a[-1]) and (_CJK.match(b[0]) or b[0] in "“《（(")):
        return False
    if r.label_line.match(b):
        return False
    unclosed = a.count("《") > a.count("》") or a.count("“") > a.count("”") or a.count("（") > a.count("）")
    return unclosed or bool(_SENTENCE_INSIDE.search(a))


def clean_edits(s: str) -> list[Edit]:
    """Edits that remove clutter from the converted text `s` (see module docstring)."""
    r = rx()
    lines = []  # (start, content start, content end, end incl. newline) of every line
    pos = 0
    for line in s.split("\n"):
        end = pos + len(line)
        a = pos + (len(line) - len(line.lstrip(_BLANK)))
        b = end - (len(line) - len(line.rstrip(_BLANK)))
        lines.append((pos, a, max(a, b), min(end + 1, len(s))))
        pos = end + 1
    keep = [a < b and not is_clutter_line(s[a:b]) for _, a, b, _ in lines]
    next_kept: list[int | None] = [None] * len(lines)  # the next line kept after each line
    following = None
    for i in range(len(lines) - 1, -1, -1):
        next_kept[i] = following
        if keep[i]:
            following = i
    edits: list[Edit] = []
    for i, (start, a, b, end) in enumerate(lines):
        if not keep[i]:
            edits.append((start, end, ""))
            continue
        if a > start:
            edits.append((start, a, ""))
        for m in r.reading.finditer(s, a, b):
            edits.append((m.start(), m.end(), ""))
        for m in r.stray.finditer(s, a, b):
            edits.append((m.start(), m.end(), ""))
        nxt = next_kept[i]
        if nxt is None:
            edits.append((b, end, ""))  # no newline after the last line
        elif b < end:
            joined = _broken(s[a:b], s[lines[nxt][1]:lines[nxt][2]])
            edits.append((b, end, "" if joined else "\n") if (joined or end - b > 1) else (b, b, ""))
    return [e for e in edits if e[0] < e[1] or e[2]]


def normalize(original: str, converted: str | None = None) -> tuple[str, OffsetMap]:
    """`original` plan text -> (normalized simplified text, map from it back to `original`)."""
    if converted is None:
        converted = to_simplified(original)
    return apply_edits(converted, clean_edits(converted))
