"""Reused passages between two plans, with character offsets into both texts.

1. Candidates: both texts are cut into sentences (at 。！？；, line ends; long ones again at ，、：) with their
   offsets; sentence pairs whose character 2-3-gram TF-IDF cosine is at least `CANDIDATE_MIN` are candidates
   (at most `CANDIDATES_PER_SENTENCE` per sentence of A).
2. Local alignment: `difflib.SequenceMatcher` on the two sentences (characters, no junk heuristic) gives the
   matching blocks; blocks of `MIN_BLOCK`+ characters delimit an aligned region in both sentences, kept when it
   matches `MIN_MATCHED`+ characters and covers at least `MIN_DENSITY` of the region.
3. Regions are taken best first without overlapping in either text, then neighbours separated in both texts
   by punctuation only, or by the same short text (`。\n（二）`, a short heading), merge into one passage.

Every passage satisfies `a_text == text_a[a_start:a_end]` and `b_text == text_b[b_start:b_end]`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

CANDIDATE_MIN = 0.35
CANDIDATES_PER_SENTENCE = 3
MIN_BLOCK = 4
MIN_MATCHED = 10
MIN_DENSITY = 0.6
MERGE_GAP = 8            # punctuation-only gaps up to this many characters are bridged
MERGE_SAME_GAP = 40      # so are gaps this long that are the same text in both plans
MAX_SENTENCE = 300

_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
_CLAUSE_END = re.compile(r"[，、：,:]+")
_BLANK = re.compile(r"\s")
_WORDY = re.compile(r"[\w\u3400-\u9fff]")


@dataclass(frozen=True)
class Passage:
    """A stretch of A reused in B: offsets are `[start, end)` into each plan's `text`."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str
    matched: int          # characters in matching blocks
    score: float          # 2 * matched / (len A span + len B span)

    @property
    def identical(self) -> bool:
        return self.a_text == self.b_text


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and _BLANK.match(text[s]):
        s += 1
    while e > s and _BLANK.match(text[e - 1]):
        e -= 1
    return s, e


def sentences(text: str, min_chars: int = 6) -> list[tuple[int, int]]:
    """`[start, end)` of the sentences of `text` (terminators excluded, blanks trimmed); sentences over
    `MAX_SENTENCE` characters are cut again into clauses, then into pieces of `MAX_SENTENCE`."""
    out: list[tuple[int, int]] = []

    def add(s: int, e: int) -> None:
        s, e = _strip(text, s, e)
        if e - s >= min_chars:
            out.append((s, e))

    pos = 0
    for m in [*_SENTENCE_END.finditer(text), None]:
        end = m.start() if m else len(text)
        s, e = pos, end
        pos = m.end() if m else len(text)
        if e - s <= MAX_SENTENCE:
            add(s, e)
            continue
        cpos = s
        for c in [*_CLAUSE_END.finditer(text, s, e), None]:
            cend = c.end() if c else e
            for k in range(cpos, cend, MAX_SENTENCE):
                add(k, min(k + MAX_SENTENCE, cend))
            cpos = cend
    return out


def _candidates(a: str, b: str, sa: list[tuple[int, int]], sb: list[tuple[int, int]]) -> list[tuple[int, int]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [a[s:e] for s, e in sa] + [b[s:e] for s, e in sb]
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, dtype=np.float32)
    x = vec.fit_transform(docs)
    xa, xb = x[: len(sa)], x[len(sa):]
    sim = (xa @ xb.T).tocsr()
    out = []
    for i in range(sim.shape[0]):
        row = sim.getrow(i)
        if row.nnz == 0:
            continue
        order = np.argsort(-row.data)[:CANDIDATES_PER_SENTENCE]
        for k in order:
            if row.data[k] >= CANDIDATE_MIN:
                out.append((i, int(row.indices[k])))
    return out


def _align(a: str, b: str, span_a: tuple[int, int], span_b: tuple[int, int]) -> tuple[int, int, int, int, int] | None:
    """Aligned region of two sentences: (a_start, a_end, b_start, b_end, matched) in text offsets, or None."""
    x, y = a[span_a[0]:span_a[1]], b[span_b[0]:span_b[1]]
    blocks = [m for m in SequenceMatcher(None, x, y, autojunk=False).get_matching_blocks() if m.size >= MIN_BLOCK]
    if not blocks:
        return None
    matched = sum(m.size for m in blocks)
    a0, a1 = blocks[0].a, blocks[-1].a + blocks[-1].size
    b0, b1 = blocks[0].b, blocks[-1].b + blocks[-1].size
    if matched < MIN_MATCHED or 2 * matched / ((a1 - a0) + (b1 - b0)) < MIN_DENSITY:
        return None
    return span_a[0] + a0, span_a[0] + a1, span_b[0] + b0, span_b[0] + b1, matched


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Without punctuation and blanks at either end (`，主要是…` -> `主要是…`)."""
    while s < e and not _WORDY.match(text[s]) and text[s] not in "（(《“‘【[":
        s += 1
    while e > s and not _WORDY.match(text[e - 1]) and text[e - 1] not in "）)》”’】]。！？":
        e -= 1
    return s, e


def _overlaps(taken: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(s < te and ts < e for ts, te in taken)


def _mergeable(a: str, b: str, pa: list[int], r: list[int]) -> bool:
    """Two regions follow each other in both texts, separated by punctuation only or by the same few
    characters (`。\n（二）`)."""
    if r[0] < pa[1] or r[2] < pa[3]:
        return False
    ga, gb = a[pa[1]:r[0]], b[pa[3]:r[2]]
    if ga == gb:
        return len(ga) <= MERGE_SAME_GAP
    return len(ga) <= MERGE_GAP and len(gb) <= MERGE_GAP and not (_WORDY.search(ga) or _WORDY.search(gb))


def reused_passages(text_a: str, text_b: str) -> list[Passage]:
    """Passages of `text_a` reused in `text_b`, in the order of A."""
    sa, sb = sentences(text_a), sentences(text_b)
    if not sa or not sb:
        return []
    regions = []
    for i, j in _candidates(text_a, text_b, sa, sb):
        r = _align(text_a, text_b, sa[i], sb[j])
        if r:
            regions.append(r)
    regions.sort(key=lambda r: (-r[4], r[0], r[2]))
    taken_a: list[tuple[int, int]] = []
    taken_b: list[tuple[int, int]] = []
    kept = []
    for r in regions:
        if _overlaps(taken_a, r[0], r[1]) or _overlaps(taken_b, r[2], r[3]):
            continue
        taken_a.append((r[0], r[1]))
        taken_b.append((r[2], r[3]))
        kept.append(list(r))
    kept.sort()
    merged: list[list[int]] = []
    for r in kept:
        if merged:
            p = merged[-1]
            if _mergeable(text_a, text_b, p, r):
                gap = text_a[p[1]:r[0]]
                same = len(gap) if gap == text_b[p[3]:r[2]] else 0
                p[1], p[3], p[4] = r[1], r[3], p[4] + r[4] + same
                continue
        merged.append(r)
    out = []
    for a0, a1, b0, b1, matched in merged:
        a0, a1 = _trim(text_a, a0, a1)
        b0, b1 = _trim(text_b, b0, b1)
        if a1 - a0 < MIN_MATCHED or b1 - b0 < MIN_MATCHED:
            continue
        matched = min(matched, a1 - a0, b1 - b0)
        out.append(Passage(a0, a1, b0, b1, text_a[a0:a1], text_b[b0:b1], matched,
                           round(2 * matched / ((a1 - a0) + (b1 - b0)), 4)))
    return out


def coverage(passages: list[Passage], length: int, side: str = "a") -> float:
    """Share of a text (of `length` characters) covered by the passages, on side `a` or `b`."""
    if length <= 0:
        return 0.0
    total = sum((p.a_end - p.a_start) if side == "a" else (p.b_end - p.b_start) for p in passages)
    return min(1.0, total / length)


def diff_segments(a: str, b: str) -> list[tuple[str, str]]:
    """(`same`|`del`|`ins`, text) pieces turning `a` into `b`, for showing where a reused passage differs."""
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", a[i1:i2]))
        else:
            if i2 > i1:
                out.append(("del", a[i1:i2]))
            if j2 > j1:
                out.append(("ins", b[j1:j2]))
    return out
