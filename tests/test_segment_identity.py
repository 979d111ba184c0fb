"""The fast segmenter gives jieba's words exactly: `segment.words` against a `jieba.Tokenizer` built by jieba itself
(its dictionary, then `models/userdict.txt`, HMM on), on everything the pipeline segments in the seeds, the samples
and the real documents (each file run through the pipeline's own per-file processing, every text handed to
`segment.words` recorded), and on random mixes of scripts, digits, Latin letters, punctuation and blanks."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from conftest import ROOT, SHARED
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline import process, segment

CORPORA = {"seeds": SHARED / "corpora" / "seeds", "samples": ROOT / "corpora" / "samples",
           "real": SHARED / "corpora" / "real"}
needs_fast = pytest.mark.skipif(segment._prefix_dict_class() is None, reason="no jieba-next wheel here")


@lru_cache(maxsize=1)
def _jieba():
    """The reference: jieba's own loading, nothing of ours."""
    import jieba

    tk = jieba.Tokenizer()
    tk.initialize()
    tk.load_userdict(str(segment.settings.MODELS_DIR / "userdict.txt"))
    return tk


def _fast():
    tk = segment.tokenizer(False)
    assert isinstance(segment._loaded["cut"], segment._Cutter)
    return segment._loaded["cut"]


def _spans(words: list[str]) -> set[tuple[int, int]]:
    out, at = set(), 0
    for w in words:
        out.add((at, at + len(w)))
        at += len(w)
    return out


def _differing_spans(text: str) -> set[tuple[int, int]]:
    return _spans(_fast()(text)) ^ _spans(_jieba().lcut(text, HMM=True))


def _inputs() -> list[Path]:
    return [f for folder in CORPORA.values() if folder.is_dir() for f in sorted(folder.iterdir())
            if f.suffix != ".tsv"]


def _segmented_by_pipeline(path: Path) -> list[str]:
    """Every text the pipeline hands to `segment.words` while processing `path` (plan texts after t2s and
    normalization, the people extractor's spans, cue phrases…)."""
    cut = _fast()
    seen: list[str] = []

    def recording(text: str) -> list[str]:
        seen.append(text)
        return cut(text)

    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(segment._loaded, "cut", recording)
        segment._phrases.cache_clear()  # cue phrases are segmented once per process: record them too
        result = process.process_file(path)
    assert result.error is None, result.error
    return seen


@needs_fast
@pytest.mark.parametrize("path", _inputs(), ids=lambda p: f"{p.parent.name}/{p.stem[:24]}")
def test_what_the_pipeline_segments_is_segmented_as_jieba_does(path):
    texts = _segmented_by_pipeline(path)
    assert any(len(t) > 200 for t in texts)  # the plan's whole text is among them
    for text in texts:
        diff = _differing_spans(text)
        assert not diff, (text[:80], sorted(diff)[:5])


def test_every_corpus_is_there():
    assert all(folder.is_dir() for folder in CORPORA.values()), "../shared/corpora or corpora/samples missing"


@lru_cache(maxsize=1)
def _hmm_chars() -> tuple[list[str], list[str]]:
    """Characters jieba's HMM has seen in some of its four states only, and never (no emission probability:
    scores of states tie), a sample of each."""
    from jieba.finalseg.prob_emit import P

    seen = set().union(*map(set, P.values()))
    partly = sorted(c for c in seen if sum(c in e for e in P.values()) < 4)[::150]
    unseen = [chr(c) for c in range(0x4E00, 0x9FD6) if chr(c) not in seen][::97]
    return partly, unseen


@lru_cache(maxsize=1)
def _alphabet() -> list[str]:
    """Characters of every kind jieba treats differently: common and user-dictionary words' characters (both
    scripts), characters jieba's HMM knows in some states only or not at all, CJK beyond jieba's range (U+9FD6…,
    extension A), the ASCII jieba keeps inside a block (+#&._%-), other punctuation, blanks and \\r\\n."""
    partly, unseen = _hmm_chars()
    user = "".join(w for w in _jieba().user_word_tag_tab)
    return sorted(set(
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
        "方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好"
        "应开合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又么利比或但质气第向道"
        "嚴禁違規負責領導小組辦公室醫務科護理部教務處學務處張王李趙劉陳楊黃吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐"
        "〇零一二三四五六七八九十百千万亿年月日时分秒号至前后起止第"
        "0123456789abcXYZ+#&._%-@/:()（）《》“”、，。；：！？…—·")
        | set(user) | set(partly) | set(unseen) | {"\u9fd6", "\u9fea", "\u3400", "\u4dbf", "𠀀"}
        | set(" \t\n\r\u3000\xa0"))


@lru_cache(maxsize=1)
def _words() -> list[str]:
    """Dictionary words to glue into the text: the user dictionary's, and long words with many words inside."""
    freq = _jieba().FREQ
    long_words = [w for w, n in freq.items() if n and len(w) >= 6][::400]
    return sorted(set(_jieba().user_word_tag_tab) | set(long_words))


pieces = st.one_of(st.text(alphabet=st.sampled_from(_alphabet()), min_size=1, max_size=12),
                   st.sampled_from(_words()))
texts = st.lists(pieces, max_size=12).map("".join)


@needs_fast
@settings(max_examples=600, deadline=None)
@given(texts)
@example("樮蝖瀤籷医务科负责")  # characters without HMM emissions, then a user word
@example("版本v2.0-rc1于2024.5%完成，\r\n\r\n　C++与C#")
@example("一万二千五百余吨")  # seven dictionary words start here, the most in the dictionary
def test_any_text_is_segmented_as_jieba_does(text):
    assert not _differing_spans(text)


@needs_fast
def test_no_start_has_more_dictionary_words_than_the_route_looks_at():
    """jieba-next's route looks at 12 words per start (jieba at all): no word of the table (user dictionary
    included) has more than 12 words of the table as its prefixes, so the bound is never reached."""
    freq = segment.tokenizer(False).FREQ
    most = max(sum(1 for i in range(1, len(w) + 1) if freq.get(w[:i])) for w, n in freq.items() if n)
    assert most <= 12


runs = st.text(alphabet=st.sampled_from(sorted(set("的一是在不了有和人这中大为上个张王李医务科负责ab12.%")
                                               | set(_hmm_chars()[0]) | set(_hmm_chars()[1]))), min_size=1,
               max_size=16)


@settings(max_examples=1000, deadline=None)
@given(runs)
@example("樮蝖瀤籷")
def test_our_hmm_finds_jiebas_unknown_words(run):
    import jieba.finalseg

    out: list[str] = []
    segment._Hmm(jieba.finalseg).cut(run, out)
    assert out == list(jieba.finalseg.cut(run))


def test_our_hmm_splits_the_words_jieba_is_told_to_split(monkeypatch):
    import jieba.finalseg

    run = "张三丰负责医务"
    whole = list(jieba.finalseg.cut(run))
    monkeypatch.setattr(jieba.finalseg, "Force_Split_Words", {w for w in whole if len(w) > 1})
    out: list[str] = []
    segment._Hmm(jieba.finalseg).cut(run, out)
    assert out == list(jieba.finalseg.cut(run)) == list(run)
