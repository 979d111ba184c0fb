"""Plan similarity at corpus size: the NumPy TF-IDF is scikit-learn's, the words by sentence are the words of the
text, MinHash/LSH finds the pairs the exact search finds, and reuse candidates follow their definition."""
from __future__ import annotations

import re

import numpy as np
import pytest
from emit.sample import A_TEXT, B_TEXT, C_TEXT
from compare.families import T_TEXT, family_texts
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

from pipeline.compare import reuse, similarity, tfidf, top_pairs
from pipeline.compare.vectors import term_counts, tfidf_matrix
from pipeline.compare.workers import Workers
from pipeline.segment import words

_WORD = re.compile(r"[\w\u3400-\u9fff]")
_LINES = [line for line in (A_TEXT + "\n" + B_TEXT + "\n" + C_TEXT + "\n" + T_TEXT).split("\n") if line]
_pieces = st.sampled_from(_LINES)
_texts = st.lists(st.lists(_pieces, min_size=1, max_size=6).map("\n".join), min_size=2, max_size=6)


def _reference_tokens(text: str) -> list[str]:
    """The report's terms, as scikit-learn is given them: words with a letter, digit or CJK character, then
    word bigrams."""
    ws = [w for w in words(text) if _WORD.search(w)]
    return ws + [f"{x} {y}" for x, y in zip(ws, ws[1:])]


def _cosines(x) -> np.ndarray:
    return (x @ x.T).toarray()


@settings(max_examples=25, deadline=None)
@given(_texts)
def test_tfidf_gives_scikit_learns_cosines(texts):
    ours = _cosines(tfidf(texts))
    theirs = _cosines(TfidfVectorizer(analyzer=_reference_tokens, sublinear_tf=True, dtype=np.float32)
                      .fit_transform(texts))
    assert np.allclose(ours, theirs, atol=1e-5)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), max_size=30), min_size=1, max_size=8))
def test_tfidf_matrix_is_scikit_learns_weighting(docs):
    counts = np.zeros((len(docs), 41))
    for i, doc in enumerate(docs):
        for t in doc:
            counts[i, t] += 1
    ours = tfidf_matrix([term_counts(np.array(doc, dtype=np.uint64)) for doc in docs]).toarray()
    theirs = TfidfTransformer(sublinear_tf=True).fit_transform(counts).toarray()
    keep = counts.sum(axis=0) > 0  # our columns are the terms that occur, in key order
    if keep.any():
        assert np.allclose(ours, theirs[:, keep], atol=1e-5)
    else:
        assert not ours.any()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_LINES + ["，", "。", "；", "！", "\n", " ", "  ", "abc ", "１２３"]), max_size=12))
def test_words_by_sentence_are_the_words_of_the_text(pieces):
    text = "".join(pieces)
    vocab = similarity.Vocabulary()
    ids = vocab.text(text)
    assert [vocab.words[i] for i in ids] == [w for w in words(text) if _WORD.search(w)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_matrix_is_the_same_for_any_number_of_processes(jobs):
    texts = [t for _, t in family_texts(6)]
    with Workers(texts, jobs) as w:
        x = tfidf_matrix(similarity.collect_terms(similarity.submit_terms(w, texts)))
    assert np.array_equal(_cosines(x), _cosines(tfidf(texts)))


def _pairs_at(pairs, least: float) -> dict[tuple[int, int], float]:
    return {(p.a, p.b): p.score for p in pairs if p.score >= least}


def test_minhash_lsh_finds_the_similar_pairs_the_exact_search_finds():
    x = tfidf([t for _, t in family_texts(25)])
    n = x.shape[0]
    exact = top_pairs(x, k=10**6)
    lsh = top_pairs(x, k=10**6, exact_max=0)
    similar, found = _pairs_at(exact, 0.5), _pairs_at(lsh, 0.5)
    assert len(similar) > 400
    assert all(abs(found[k] - s) < 1e-5 for k, s in similar.items() if k in found)  # the exact cosines
    assert len(similar.keys() - found.keys()) <= len(similar) // 20      # a few, less similar, go unseen
    assert np.allclose(similarity.nearest(n, exact), similarity.nearest(n, lsh), atol=1e-5)
    assert similarity.clusters(n, exact) == similarity.clusters(n, lsh)
    assert {(p.a, p.b) for p in lsh[:20]} == {(p.a, p.b) for p in exact[:20]}


@pytest.mark.parametrize("overlap", [0, 300, 700, 1000])
def test_signatures_estimate_jaccard_similarity(overlap):
    import scipy.sparse as sp

    a = np.arange(1000)
    b = np.arange(1000 - overlap, 2000 - overlap)
    x = sp.csr_matrix((np.ones(2000), np.concatenate([a, b]), [0, 1000, 2000]), shape=(2, 3000))
    sig = similarity.signatures(x, num_perm=256)
    true = overlap / (2000 - overlap)
    assert abs((sig[0] == sig[1]).mean() - true) < 0.1


def test_a_row_without_terms_collides_with_nothing():
    import scipy.sparse as sp

    x = sp.csr_matrix((np.ones(3), [0, 1, 2], [0, 0, 3, 3]), shape=(3, 5))
    sig = similarity.signatures(x)
    assert (sig[0] == sig[2]).all() and not (sig[0] == sig[1]).any()
    assert top_pairs(x, exact_max=0) == []


@pytest.mark.parametrize("n, pairs, links, expected", [
    (4, [(0, 1, 0.9), (2, 3, 0.5)], [], [[0, 1]]),
    (4, [(0, 1, 0.9), (1, 2, 0.85)], [], [[0, 1, 2]]),
    (4, [(0, 1, 0.2)], [(2, 3)], [[2, 3]]),
    (3, [], [], []),
])
def test_clusters_join_pairs_above_the_threshold_and_links(n, pairs, links, expected):
    ps = [similarity.Pair(a, b, s) for a, b, s in pairs]
    assert similarity.clusters(n, ps, links=links) == expected


def _reference_candidates(a: str, b: str) -> dict[int, list[tuple[int, float]]]:
    """Sentence pairs by their definition: scikit-learn's char 2-3-gram TF-IDF over both texts' sentences; per
    sentence of A its best `CANDIDATES_PER_SENTENCE` at least `CANDIDATE_MIN`."""
    sa, sb = reuse.sentences(a), reuse.sentences(b)
    if not sa or not sb:
        return {}
    docs = [a[s:e] for s, e in sa] + [b[s:e] for s, e in sb]
    x = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, dtype=np.float32).fit_transform(docs)
    sim = (x[: len(sa)] @ x[len(sa):].T).toarray()
    out = {}
    for i, row in enumerate(sim):
        best = sorted((-s, j) for j, s in enumerate(row) if s >= reuse.CANDIDATE_MIN)[:reuse.CANDIDATES_PER_SENTENCE]
        if best:
            out[i] = [(j, -s) for s, j in best]
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(_pieces, min_size=1, max_size=8), st.lists(_pieces, min_size=1, max_size=8))
def test_reuse_candidates_are_the_sentences_scikit_learn_ranks_best(xs, ys):
    a, b = "\n".join(xs), "\n".join(reversed(ys))
    ours: dict[int, list[int]] = {}
    for i, j in reuse._candidates(reuse.prepare(a), reuse.prepare(b)):
        ours.setdefault(i, []).append(j)
    theirs = _reference_candidates(a, b)
    assert set(ours) == set(theirs)
    for i, ranked in theirs.items():
        scores = dict(ranked)
        assert len(ours[i]) == len(ranked)
        # the same cosines, best first (of equal ones, ours takes the nearest place in B: any of them is right)
        got = [scores.get(j) for j in ours[i]]
        assert None not in got or _ties_at_the_cut(a, b, i, theirs)
        assert sorted((s for s in got if s is not None), reverse=True) == [s for s in got if s is not None]


def _ties_at_the_cut(a: str, b: str, i: int, theirs) -> bool:
    """Whether sentence `i` of A has more equally good candidates than are taken (then either choice is right)."""
    last = theirs[i][-1][1]
    sa, sb = reuse.sentences(a), reuse.sentences(b)
    x = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, dtype=np.float32).fit_transform(
        [a[s:e] for s, e in sa] + [b[s:e] for s, e in sb])
    row = (x[i] @ x[len(sa):].T).toarray().ravel()
    return int(np.isclose(row, last, atol=1e-6).sum()) > 1


def test_of_equal_candidates_the_one_at_the_same_place_in_b_comes_first():
    line = "（责任单位：区卫生健康委员会、区财政局）"
    a = "第一项工作要求，认真组织落实。\n" + line + "\n第二项工作要求，加强督促检查。\n" + line
    b = line + "\n第一项工作要求，认真组织落实。\n" + line + "\n第二项工作要求，加强督促检查。\n" + line
    pa, pb = reuse.prepare(a), reuse.prepare(b)
    first = {i: j for i, j in reversed(reuse._candidates(pa, pb))}  # each sentence of A: its first candidate
    assert pb.strings[first[1]] == line and first[1] == 2              # not B's first copy: the one after 第一项
    assert pb.strings[first[3]] == line and first[3] == 4
