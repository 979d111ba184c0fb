"""Reused passages between two plans, with character offsets into both texts.

1. Candidates: both texts are cut into sentences (at 。！？；, line ends; long ones again at ，、：) with their
   offsets; sentence pairs whose character 2-3-gram TF-IDF cosine is at least `CANDIDATE_MIN` are candidates
   (at most `CANDIDATES_PER_SENTENCE` per sentence of A, the best first; of equal ones, as when B repeats a
   sentence, the one nearest the same relative place in B). The TF-IDF is scikit-learn's
   `TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True)` fitted on the two texts' sentences,
   computed with NumPy from n-grams prepared once per text (`prepare`, cached), the cosines summed over the
   n-grams both texts have.
2. Local alignment: `difflib.SequenceMatcher` on the two sentences (characters, no junk heuristic) gives the
   matching blocks (two equal sentences are one block, without difflib; a sentence pair met again, in another
   pair of plans, is not aligned again); blocks of `MIN_BLOCK`+ characters delimit an aligned region in both
   sentences, kept when it matches `MIN_MATCHED`+ characters and covers at least `MIN_DENSITY` of the region.
3. Regions are taken best first without overlapping in either text, then neighbours separated in both texts
   by punctuation only, or by the same short text (`。\n（二）`, a short heading), merge into one passage.

Every passage satisfies `a_text == text_a[a_start:a_end]` and `b_text == text_b[b_start:b_end]`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

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
_WHITE_SPACES = re.compile(r"\s\s+")   # as scikit-learn's char analyzer collapses them
_TRIGRAM = np.uint64(1 << 63)
PREPARED_CACHE = 256                    # texts whose sentences and n-grams are kept for the next pairs
ALIGNED_CACHE = 1 << 16                 # sentence pairs whose alignment is kept
DENSE_MAX = 1 << 21                     # sentence × sentence cosines summed in a table up to this size


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


@dataclass(frozen=True)
class Prepared:
    """A text cut into sentences, with each sentence's character 2- and 3-grams (as scikit-learn's char analyzer
    makes them: lower case, runs of blanks as one space) as `uint64` keys: `vocab` holds the text's distinct keys
    in order; n-gram `vocab[term[k]]` occurs `counts[k]` times in sentence `sentence[k]`, n-gram by n-gram (those
    of n-gram `t` from entry `term_start[t]` on, `term_count[t]` of them). `strings` are the sentences' texts."""

    spans: list[tuple[int, int]]
    strings: list[str]
    vocab: np.ndarray
    term: np.ndarray
    counts: np.ndarray
    sentence: np.ndarray
    term_start: np.ndarray
    term_count: np.ndarray


@lru_cache(maxsize=PREPARED_CACHE)
def prepare(text: str) -> Prepared:
    """`text`'s sentences and their n-grams (cached for the last `PREPARED_CACHE` texts)."""
    spans = sentences(text)
    strings = [text[s:e] for s, e in spans]
    pieces = [_WHITE_SPACES.sub(" ", x.lower()) for x in strings]
    codes = np.frombuffer("".join(pieces).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    seg = np.repeat(np.arange(len(pieces), dtype=np.uint64), [len(p) for p in pieces])
    two = seg[:-1] == seg[1:]
    three = seg[:-2] == seg[2:]
    keys = np.concatenate([((codes[:-1] << np.uint64(21)) | codes[1:])[two],
                           (_TRIGRAM | (codes[:-2] << np.uint64(42)) | (codes[1:-1] << np.uint64(21))
                            | codes[2:])[three]])
    vocab, term = np.unique(keys, return_inverse=True)
    by_term = (term.astype(np.uint64) << np.uint64(32)) | np.concatenate([seg[:-1][two], seg[:-2][three]])
    entries, counts = np.unique(by_term, return_counts=True)
    term = (entries >> np.uint64(32)).astype(np.int64)
    term_count = np.bincount(term, minlength=vocab.size)
    return Prepared(spans, strings, vocab, term, counts.astype(np.float32),
                    (entries & np.uint64(0xFFFFFFFF)).astype(np.int64), np.cumsum(term_count) - term_count, term_count)


def _candidates(pa: Prepared, pb: Prepared) -> list[tuple[int, int]]:
    """(sentence of A, sentence of B) pairs to align, in the order of A, each sentence's best first.

    The cosines are summed over the n-grams the two texts share: every entry of A times every entry of B of the
    same n-gram (NumPy, no per-pair sparse matrices), into an `na × nb` table, or by key when that is large."""
    na, nb = len(pa.spans), len(pb.spans)
    if not pa.vocab.size or not pb.vocab.size:
        return []
    vocab = np.concatenate([pa.vocab, pb.vocab])
    vocab.sort(kind="stable")  # two sorted runs: merged in linear time
    vocab = vocab[np.r_[True, vocab[1:] != vocab[:-1]]]
    cols_a = np.searchsorted(vocab, pa.vocab)[pa.term]
    cols_b = np.searchsorted(vocab, pb.vocab)[pb.term]
    df = (np.bincount(cols_a, minlength=vocab.size) + np.bincount(cols_b, minlength=vocab.size)).astype(np.float32)
    idf = np.log(np.float32(na + nb + 1) / (df + np.float32(1.0))) + np.float32(1.0)
    wa = _normalized((np.log(pa.counts) + np.float32(1.0)) * idf[cols_a], pa.sentence, na)
    wb = _normalized((np.log(pb.counts) + np.float32(1.0)) * idf[cols_b], pb.sentence, nb)
    # B's entries by n-gram; each entry of A with an n-gram B has meets all of B's entries of it
    _, in_a, in_b = np.intersect1d(pa.vocab, pb.vocab, assume_unique=True, return_indices=True)
    count_b, start_b = pb.term_count, pb.term_start
    to_b = np.full(pa.vocab.size, -1, dtype=np.int64)
    to_b[in_a] = in_b
    term_b = to_b[pa.term]
    ea = np.flatnonzero(term_b >= 0)
    term_b = term_b[ea]
    rep = count_b[term_b]
    if not rep.sum():
        return []
    ia = np.repeat(ea, rep)
    ib = np.repeat(start_b[term_b] - (np.cumsum(rep) - rep), rep) + np.arange(ia.size)
    key = pa.sentence[ia] * nb + pb.sentence[ib]
    products = (wa[ia] * wb[ib]).astype(np.float64)
    if na * nb <= DENSE_MAX:
        sim = np.bincount(key, weights=products, minlength=na * nb).astype(np.float32)
        at = np.flatnonzero(sim >= CANDIDATE_MIN)
        data = sim[at]
    else:
        keys, inverse = np.unique(key, return_inverse=True)
        sim = np.bincount(inverse, weights=products).astype(np.float32)
        keep = sim >= CANDIDATE_MIN
        at, data = keys[keep], sim[keep]
    rows, js = at // nb, at % nb
    # ties (a sentence B repeats): the one at the nearest relative place in B first, then the earlier
    order = np.lexsort((js, np.abs(js / nb - rows / na), -data, rows))
    rows, js = rows[order], js[order]
    first = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if rows.size else np.zeros(0, dtype=np.int64)
    rank = np.arange(rows.size) - np.repeat(first, np.diff(np.r_[first, rows.size]))
    chosen = rank < CANDIDATES_PER_SENTENCE
    return list(zip(rows[chosen].tolist(), js[chosen].tolist()))


def _normalized(w: np.ndarray, sentence: np.ndarray, n: int) -> np.ndarray:
    """Weights `w` of entries of sentences `sentence`, divided by their sentence's L2 norm."""
    norm = np.sqrt(np.bincount(sentence, weights=w.astype(np.float64) ** 2, minlength=n)).astype(np.float32)
    return w / np.where(norm[sentence] > 0, norm[sentence], np.float32(1.0))


@lru_cache(maxsize=ALIGNED_CACHE)
def _aligned(x: str, y: str) -> tuple[int, int, int, int, int] | None:
    """The aligned region of two sentences (a0, a1, b0, b1, matched), offsets into them, or None."""
    if x == y:
        blocks = [(0, 0, len(x))] if len(x) >= MIN_BLOCK else []
    else:
        blocks = [(m.a, m.b, m.size) for m in SequenceMatcher(None, x, y, autojunk=False).get_matching_blocks()
                  if m.size >= MIN_BLOCK]
    if not blocks:
        return None
    matched = sum(size for _, _, size in blocks)
    a0, a1 = blocks[0][0], blocks[-1][0] + blocks[-1][2]
    b0, b1 = blocks[0][1], blocks[-1][1] + blocks[-1][2]
    if matched < MIN_MATCHED or 2 * matched / ((a1 - a0) + (b1 - b0)) < MIN_DENSITY:
        return None
    return a0, a1, b0, b1, matched


def _align(pa: Prepared, pb: Prepared, i: int, j: int) -> tuple[int, int, int, int, int] | None:
    """Aligned region of sentence `i` of A and `j` of B: (a_start, a_end, b_start, b_end, matched) in text
    offsets, or None."""
    r = _aligned(pa.strings[i], pb.strings[j])
    if r is None:
        return None
    (sa, _), (sb, _) = pa.spans[i], pb.spans[j]
    return sa + r[0], sa + r[1], sb + r[2], sb + r[3], r[4]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Without punctuation and blanks at either end (`，主要是…` -> `主要是…`)."""
    while s < e and not _WORDY.match(text[s]) and text[s] not in "（(《“‘【[":
        s += 1
    while e > s and not _WORDY.match(text[e - 1]) and text[e - 1] not in "）)》”’】]。！？":
        e -= 1
    return s, e


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
    pa, pb = prepare(text_a), prepare(text_b)
    if not pa.spans or not pb.spans:
        return []
    regions = []
    for i, j in _candidates(pa, pb):
        r = _align(pa, pb, i, j)
        if r:
            regions.append(r)
    regions.sort(key=lambda r: (-r[4], r[0], r[2]))
    taken_a, taken_b = bytearray(len(text_a)), bytearray(len(text_b))  # 1: in a region kept
    kept = []
    for r in regions:
        if taken_a.find(1, r[0], r[1]) >= 0 or taken_b.find(1, r[2], r[3]) >= 0:
            continue
        taken_a[r[0]:r[1]] = b"\x01" * (r[1] - r[0])
        taken_b[r[2]:r[3]] = b"\x01" * (r[3] - r[2])
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
