"""Plan × plan similarity: TF-IDF over jieba words (unigrams and bigrams), cosine; near-duplicate clusters.

Rows of the TF-IDF matrix are L2-normalized, so a dot product is the cosine. Pairs are found a block of rows
at a time, so a large run never needs the full N × N matrix; the heatmap shows at most `HEATMAP_MAX` plans.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..segment import words

DUPLICATE_COSINE = 0.8     # pairs at least this similar form near-duplicate clusters
HEATMAP_MAX = 60
_BLOCK = 512
_WORD = re.compile(r"[\w\u3400-\u9fff]")  # a token with at least one letter, digit or CJK character


@dataclass(frozen=True)
class Pair:
    """Two plans (indices into the dataset, `a < b`) and their cosine similarity."""

    a: int
    b: int
    score: float


def tokens(text: str) -> list[str]:
    """jieba words of `text` without blanks and punctuation, then word bigrams."""
    ws = [w for w in words(text) if _WORD.search(w)]
    return ws + [f"{x} {y}" for x, y in zip(ws, ws[1:])]


def tfidf(texts: list[str]):
    """Sparse TF-IDF matrix (one L2-normalized row per text) over `tokens`."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=tokens, sublinear_tf=True, norm="l2", dtype=np.float32)
    if not any(t.strip() for t in texts):
        return np.zeros((len(texts), 1), dtype=np.float32)
    return vec.fit_transform(texts)


def _dense(m) -> np.ndarray:
    return m.toarray() if hasattr(m, "toarray") else np.asarray(m)


def similarity_matrix(x, members: list[int] | None = None) -> np.ndarray:
    """Cosine similarities among the rows `members` (default: all) of a TF-IDF matrix."""
    sub = x if members is None else x[members]
    sim = _dense(sub @ sub.T).astype(float)
    np.fill_diagonal(sim, 1.0)
    return np.clip(sim, 0.0, 1.0)


def top_pairs(x, k: int = 20, per_plan: int = 10, min_score: float = 0.0) -> list[Pair]:
    """The `k` most similar pairs of plans (each plan contributes its `per_plan` nearest), best first."""
    n = x.shape[0]
    found: dict[tuple[int, int], float] = {}
    for start in range(0, n, _BLOCK):
        block = _dense(x[start:start + _BLOCK] @ x.T)
        for r, row in enumerate(block):
            i = start + r
            row[i] = -1.0
            m = min(per_plan, n - 1)
            if m <= 0:
                continue
            best = np.argpartition(-row, m - 1)[:m]
            for j in best:
                s = float(row[j])
                if s > min_score and j != i:
                    found[(min(i, j), max(i, j))] = s
    pairs = [Pair(a, b, round(min(s, 1.0), 6)) for (a, b), s in found.items()]
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return pairs[:k]


def clusters(n: int, pairs: list[Pair], threshold: float = DUPLICATE_COSINE,
             links: list[tuple[int, int]] = ()) -> list[list[int]]:
    """Near-duplicate clusters: connected components of pairs scoring ≥ `threshold` and of extra `links`
    (such as the run's `duplicate_of`); clusters of two or more, largest first."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    edges = [(p.a, p.b) for p in pairs if p.score >= threshold] + list(links)
    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    out = [g for g in groups.values() if len(g) > 1]
    out.sort(key=lambda g: (-len(g), g[0]))
    return out


def heatmap_members(n: int, pairs: list[Pair], limit: int = HEATMAP_MAX) -> list[int]:
    """Which plans the heatmap shows: all when few, else those of the best pairs (in dataset order)."""
    if n <= limit:
        return list(range(n))
    chosen: list[int] = []
    for p in pairs:
        for i in (p.a, p.b):
            if i not in chosen and len(chosen) < limit:
                chosen.append(i)
    for i in range(n):  # fill up with the first plans
        if len(chosen) >= limit:
            break
        if i not in chosen:
            chosen.append(i)
    return sorted(chosen)
