"""Plan × plan similarity: TF-IDF over jieba words (unigrams and bigrams), cosine; near-duplicate clusters.

Rows of the TF-IDF matrix are L2-normalized, so a dot product is the cosine. No N × N matrix is ever built:
- up to `EXACT_MAX` plans, every plan's `per_plan` nearest plans are found exactly, a block of `_BLOCK` rows
  against all at a time (memory: the block; time: quadratic, ~0.25 s at 1,000 plans);
- beyond, candidates come from MinHash signatures of each plan's set of terms (`signatures`: `NUM_PERM` bins) in
  a datasketch `MinHashLSH` index tuned for Jaccard `LSH_JACCARD` (16 bands of 4: a pair of Jaccard 0.6 — cosine
  about 0.75 on plans — is a candidate with probability 0.89, of 0.75 with 0.998, of 0.2 with 0.025); each plan's
  candidates are ranked by their estimated Jaccard and the best `LSH_RESCORE` get their exact cosine. Time grows
  with the number of plans times the candidates each has (its near-copies), memory with the number of plans.
The heatmap shows at most `HEATMAP_MAX` plans; beyond, the report lists the top pairs and clusters instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..segment import words
from .vectors import term_counts, tfidf_matrix

DUPLICATE_COSINE = 0.8     # pairs at least this similar form near-duplicate clusters
HEATMAP_MAX = 60
EXACT_MAX = 3000
NUM_PERM = 64
LSH_JACCARD = 0.4
LSH_RESCORE = 40
_BLOCK = 512
_WORD = re.compile(r"[\w\u3400-\u9fff]")  # a token with at least one letter, digit or CJK character
_BIGRAM = np.uint64(1 << 62)


@dataclass(frozen=True)
class Pair:
    """Two plans (indices into the dataset, `a < b`) and their cosine similarity."""

    a: int
    b: int
    score: float


class Vocabulary:
    """The words of this process, numbered in order of first appearance: the jieba words with a letter, digit or
    CJK character (blanks and punctuation get no id). Each distinct sentence is segmented once (its ids cached):
    jieba segments the runs of characters between punctuation on their own, and a sentence ends at punctuation,
    so a text's words are those of its sentences one after the other."""

    SENTENCES = 200_000  # sentences whose ids are kept, then forgotten all at once

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        self._sentences: dict[str, tuple[int, ...]] = {}
        self._sent: dict[str, int] = {}   # per request: how many words were sent for it

    def load_segmenter(self, pieces: list[str]) -> None:
        """Load jieba's dictionary for segmenting `pieces`: as the memory-mapped trie when what is not cached is
        little (ready at once, the same words, as a run with little text does), else whole."""
        from .. import segment, settings

        new = sum(len(p) for p in set(pieces) if p not in self._sentences)
        segment.tokenizer(compact=new * 3 < settings.COMPACT_DICTIONARY_MAX_BYTES)

    def sentence(self, piece: str) -> tuple[int, ...]:
        found = self._sentences.get(piece)
        if found is None:
            if len(self._sentences) >= self.SENTENCES:
                self._sentences.clear()
            ids = self.ids
            found = []
            for w in words(piece):
                i = ids.get(w)
                if i is None and _WORD.search(w):
                    i = ids[w] = len(self.words)
                    self.words.append(w)
                if i is not None:
                    found.append(i)
            found = self._sentences[piece] = tuple(found)
        return found

    def text(self, text: str) -> np.ndarray:
        """The ids of a text's words, in order."""
        seq: list[int] = []
        for piece in _SENTENCE.split(text):
            seq.extend(self.sentence(piece))
        return np.array(seq, dtype=np.uint64)

    def new_words(self, request: str) -> tuple[int, list[str]]:
        """(the id of the first, the words) numbered since this process last answered `request`."""
        start = self._sent.get(request, 0)
        self._sent[request] = len(self.words)
        return start, self.words[start:]


_SENTENCE = re.compile(r"(?<=[。；！？\n])")  # after a character jieba never puts in a word
_VOCABULARY = Vocabulary()


def _term_counts_of(job: tuple[str, range]) -> tuple[int, int, list[str], list[tuple[np.ndarray, np.ndarray]]]:
    """(this process's id, the id of its first new word, its new words, per text `term_counts` of its term keys
    over this process's word ids) of texts `span` of the workers' texts (`request` names the whole job)."""
    import os

    from .workers import texts

    request, span = job
    every = [texts()[i] for i in span]
    _VOCABULARY.load_segmenter([p for t in every for p in _SENTENCE.split(t)])
    docs = [term_counts(_with_bigrams(_VOCABULARY.text(t))) for t in every]
    start, new = _VOCABULARY.new_words(request)
    return os.getpid(), start, new, docs


def _with_bigrams(uni: np.ndarray) -> np.ndarray:
    return np.concatenate([uni, _BIGRAM | (uni[:-1] << np.uint64(31)) | uni[1:]]) if uni.size else uni


def submit_terms(workers, texts: list[str]):
    """Start segmenting `texts` (the workers' texts) in the workers, each loading jieba's dictionary itself
    (meanwhile this process has other work); `collect_terms` of the pending result."""
    import uuid

    from .workers import spans

    request = uuid.uuid4().hex
    return workers.submit(_term_counts_of, [(request, span) for span in spans([len(t) for t in texts],
                                                                              4 * workers.jobs)])


def collect_terms(pending) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per text, `term_counts` of the `uint64` keys of its terms, from `submit_terms`: a word's key is its rank
    among all the texts' words in code point order, a bigram's key holds both ranks. So the keys, and the
    matrix's columns, depend on the texts only, never on which process numbered which word first."""
    words_of: dict[int, list[str]] = {}  # a process's words, in the order it numbered them
    raw = []
    for pid, start, new, docs in pending.results():
        known = words_of.setdefault(pid, [])
        assert start == len(known), "a process's words arrive in the order it numbered them"
        known.extend(new)
        raw.append((pid, docs))
    rank = {w: i for i, w in enumerate(sorted({w for ws in words_of.values() for w in ws}))}
    to_global = {pid: np.array([rank[w] for w in ws], dtype=np.uint64) for pid, ws in words_of.items()}
    out = []
    mask = np.uint64((1 << 31) - 1)
    while raw:
        pid, docs = raw.pop(0)
        table = to_global[pid]
        for keys, counts in docs:  # mapped in place: the texts' keys are the bulk of the memory here
            bigram = keys >= _BIGRAM
            hi = table[((keys >> np.uint64(31)) & mask)[bigram].astype(np.int64)]
            lo = table[(keys & mask)[bigram].astype(np.int64)]
            if table.size:
                keys[~bigram] = table[keys[~bigram].astype(np.int64)]
            keys[bigram] = _BIGRAM | (hi << np.uint64(31)) | lo
            out.append((keys, counts))
    return out


def tfidf(texts: list[str], jobs: int = 1):
    """Sparse TF-IDF matrix (CSR, float32, one L2-normalized row per text) over jieba words and word bigrams:
    scikit-learn's `TfidfVectorizer(sublinear_tf=True)` over those terms (see `vectors.py`); texts segmented in
    `jobs` processes."""
    from .workers import Workers

    with Workers(texts, jobs) as workers:
        return tfidf_matrix(collect_terms(submit_terms(workers, texts)))


def _dense(m) -> np.ndarray:
    return m.toarray() if hasattr(m, "toarray") else np.asarray(m)


def similarity_matrix(x, members: list[int] | None = None) -> np.ndarray:
    """Cosine similarities among the rows `members` (default: all) of a TF-IDF matrix."""
    sub = x if members is None else x[members]
    sim = _dense(sub @ sub.T).astype(float)
    np.fill_diagonal(sim, 1.0)
    return np.clip(sim, 0.0, 1.0)


def top_pairs(x, k: int = 20, per_plan: int = 10, min_score: float = 0.0, exact_max: int = EXACT_MAX) -> list[Pair]:
    """The `k` most similar pairs of plans (each plan contributes its `per_plan` nearest), best first: exact up to
    `exact_max` plans, through MinHash/LSH candidates beyond (see the module docstring)."""
    n = x.shape[0]
    if n < 2:
        return []
    found = _exact_neighbours(x, per_plan, min_score) if n <= exact_max else _lsh_neighbours(x, per_plan, min_score)
    pairs = [Pair(a, b, round(min(s, 1.0), 6)) for (a, b), s in found.items()]
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return pairs[:k]


def _exact_neighbours(x, per_plan: int, min_score: float) -> dict[tuple[int, int], float]:
    n = x.shape[0]
    found: dict[tuple[int, int], float] = {}
    m = min(per_plan, n - 1)
    if m <= 0:
        return found
    xt = x.T.tocsr() if hasattr(x, "tocsr") else x.T
    for start in range(0, n, _BLOCK):
        block = _dense(x[start:start + _BLOCK] @ xt)
        for r, row in enumerate(block):
            i = start + r
            row[i] = -1.0
            for j in np.argpartition(-row, m - 1)[:m]:
                s = float(row[j])
                if s > min_score and j != i:
                    found[(min(i, int(j)), max(i, int(j)))] = s
    return found


def _mix(v: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: `uint64` values to well-spread 64-bit hashes (arithmetic wraps modulo 2^64)."""
    v = v ^ (v >> np.uint64(30))
    v = v * np.uint64(0xBF58476D1CE4E5B9)
    v = v ^ (v >> np.uint64(27))
    v = v * np.uint64(0x94D049BB133111EB)
    return v ^ (v >> np.uint64(31))


def signatures(x, num_perm: int = NUM_PERM, seed: int = 1) -> np.ndarray:
    """MinHash signatures (n × `num_perm`, uint64) of each row's set of terms (its non-zero columns), by one
    permutation hashing: each term is hashed once (`_mix`); the top bits of its hash choose one of `num_perm`
    bins, the bin keeps the least of the other bits; an empty bin takes the next filled bin's value (circularly)
    plus its distance above the value range ("rotation" densification, Shrivastava & Li 2014). Equal places
    estimate the Jaccard similarity, as with `num_perm` permutations, at the cost of one hash per term. Rows are
    hashed a block at a time (memory: the block)."""
    x = x.tocsr()
    n = x.shape[0]
    bits = int(num_perm).bit_length() - 1
    if 1 << bits != num_perm:
        raise ValueError("num_perm must be a power of two")
    shift = np.uint64(64 - bits)
    low = (np.uint64(1) << shift) - np.uint64(1)
    salt = np.uint64(seed * 0x9E3779B97F4A7C15 % (1 << 64))
    empty = np.iinfo(np.uint64).max
    out = np.full((n, num_perm), empty, dtype=np.uint64)
    step = max(1, 1_000_000 // max(1, x.nnz // max(n, 1)))  # about a million terms at a time
    for start in range(0, n, step):
        lo, hi = x.indptr[start], x.indptr[min(n, start + step)]
        if hi == lo:
            continue
        with np.errstate(over="ignore"):
            h = _mix(x.indices[lo:hi].astype(np.uint64) ^ salt)
        rows = np.repeat(np.arange(start, min(n, start + step)), np.diff(x.indptr[start:start + step + 1]))
        np.minimum.at(out, (rows, (h >> shift).astype(np.int64)), h & low)
    hole = out == empty
    fill = hole.any(axis=1) & ~hole.all(axis=1)
    if fill.any():  # rotation: the next filled bin to the right (circularly), plus distance × 2^(64 − bits)
        sub = np.concatenate([out[fill], out[fill]], axis=1)
        at = np.where(sub != empty, np.arange(2 * num_perm), 2 * num_perm)
        nxt = np.minimum.accumulate(at[:, ::-1], axis=1)[:, ::-1][:, :num_perm]
        dist = (nxt - np.arange(num_perm)).astype(np.uint64)
        out[fill] = np.take_along_axis(sub, nxt, axis=1) + (dist << shift)
    return out


def _lsh_neighbours(x, per_plan: int, min_score: float) -> dict[tuple[int, int], float]:
    from datasketch import LeanMinHash, MinHashLSH

    x = x.tocsr()
    sig = signatures(x, NUM_PERM)
    try:  # datasketch ≥ 2 wants a scheme name: only the banding of the values is used, which any scheme shares
        hashes = [LeanMinHash(seed=1, hashvalues=s, scheme="legacy") for s in sig]
    except TypeError:
        hashes = [LeanMinHash(seed=1, hashvalues=s) for s in sig]
    lsh = MinHashLSH(threshold=LSH_JACCARD, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for i, h in enumerate(hashes):
            if x.indptr[i + 1] > x.indptr[i]:
                session.insert(i, h, check_duplication=False)
    found: dict[tuple[int, int], float] = {}
    row = np.zeros(x.shape[1], dtype=np.float32)  # plan i's vector, dense, for the dot products
    indptr, indices, data = x.indptr, x.indices, x.data
    for i, h in enumerate(hashes):
        if indptr[i + 1] == indptr[i]:
            continue
        cands = np.array([j for j in lsh.query(h) if j != i], dtype=np.int64)
        if cands.size == 0:
            continue
        if cands.size > LSH_RESCORE:  # rank by estimated Jaccard; exact cosine for the best only
            jaccard = (sig[cands] == sig[i]).mean(axis=1)
            cands = cands[np.argsort(-jaccard, kind="stable")[:LSH_RESCORE]]
        cols = indices[indptr[i]:indptr[i + 1]]
        row[cols] = data[indptr[i]:indptr[i + 1]]
        starts, sizes = indptr[cands], indptr[cands + 1] - indptr[cands]
        first = np.r_[0, np.cumsum(sizes)[:-1]]  # where each candidate's terms begin among all gathered
        at = np.repeat(starts - first, sizes) + np.arange(sizes.sum())
        products = (row[indices[at]] * data[at]).astype(np.float64)
        scores = np.add.reduceat(products, first) if at.size else np.zeros(0)
        scores[sizes == 0] = 0.0
        row[cols] = 0.0
        for r in np.argsort(-scores, kind="stable")[:per_plan]:
            s, j = float(scores[r]), int(cands[r])
            if s > min_score:
                found[(min(i, j), max(i, j))] = s
    return found


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


def nearest(n: int, pairs: list[Pair]) -> np.ndarray:
    """Each plan's best cosine with another plan among `pairs` (0 when it is in none)."""
    best = np.zeros(n)
    for p in pairs:
        best[p.a] = max(best[p.a], p.score)
        best[p.b] = max(best[p.b], p.score)
    return best
