"""Segmentation: our copy of jieba's table is jieba's, the compact (memory-mapped) form gives jieba's words
exactly, jieba segments where the jieba-next wheel is missing; cue words match whole words. (The fast segmenter
against jieba: test_segment_identity.py.)"""
from __future__ import annotations

import sys
from functools import lru_cache

import pytest
from conftest import needs_seeds, seed_files
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import segment
from pipeline.normalize import to_simplified


@lru_cache(maxsize=1)
def _pair():
    full = segment.load_tokenizer(compact=False)
    compact = segment.load_tokenizer(compact=True)
    assert isinstance(compact.FREQ, segment._CompactFreq)
    return full, compact


def test_our_table_is_jiebas():
    import jieba

    ref = jieba.Tokenizer()
    ref.initialize()  # jieba's own loading of its dictionary
    segment.load_tokenizer()  # written on first use
    freq, total = segment._Table.open(segment._table_stem(ref), compact=False)
    assert total == ref.total and freq == ref.FREQ
    ref.load_userdict(str(segment.settings.MODELS_DIR / "userdict.txt"))
    full, compact = _pair()
    assert full.FREQ == ref.FREQ and full.total == compact.total == ref.total
    assert all(compact.FREQ.get(w) == n for w, n in list(ref.FREQ.items())[::50])
    assert all(compact.FREQ[w] == ref.FREQ[w] for w in ref.user_word_tag_tab)  # added after loading


@needs_seeds
@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.stem[:3])
def test_compact_dictionary_segments_the_seeds_as_jieba_does(path):
    full, compact = _pair()
    text = path.read_text(encoding="utf-8")
    for t in (text, to_simplified(text)):  # traditional as scraped, and simplified as the pipeline reads it
        assert compact.lcut(t, HMM=True) == full.lcut(t, HMM=True)


# plan vocabulary, user-dictionary words, rare characters, digits, Latin and punctuation, in both scripts
ALPHABET = list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
                "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
                "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又"
                "么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入"
                "常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西"
                "被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认"
                "六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才"
                "科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商"
                "非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选"
                "标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价"
                "严龍門於為開關與實際發會員長進時間區總務處應須嚴禁違規負責領導小組辦公室醫務科護理部教務處學務處"
                "〇一二三四五六七八九十0123456789年月日至前后起止，。、；：（）()《》“”!？ \nabcXYZ-/")
texts = st.text(alphabet=st.sampled_from(ALPHABET), max_size=80)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_compact_dictionary_segments_any_text_as_jieba_does(text):
    full, compact = _pair()
    assert compact.lcut(text, HMM=True) == full.lcut(text, HMM=True)


@settings(max_examples=100, deadline=None)
@given(texts)
def test_words_concatenate_back_to_the_text(text):
    seg = segment.segment(text)
    assert "".join(seg.words) == text
    assert all(text.startswith(w, s) for w, s in zip(seg.words, seg.starts))


@pytest.mark.parametrize("text,expected", [
    ("严禁在校内吸烟。", {"严禁"}),            # a whole word
    ("严禁吸烟。", {"严禁"}),                  # the head of a longer word
    ("不得擅自离岗。", {"不得"}),
    ("嚴禁校內吸菸。", {"严禁"}),              # traditional, read after t2s as the pipeline does
    ("要做好准备。", set()),
])
def test_cue_words_match_whole_words_or_word_heads(text, expected):
    text = to_simplified(text)
    found = {text[s:e] for s, e, g in segment.match_cues(segment.segment(text), "rules", ("prohibition",))}
    assert found == expected


def test_a_big_run_after_a_small_one_gets_the_full_dictionary(monkeypatch):
    monkeypatch.setattr(segment, "_loaded", {})
    small = segment.tokenizer(True)
    assert isinstance(small.FREQ, segment._CompactFreq)
    assert segment.tokenizer() is small                      # whichever is loaded
    assert isinstance(segment.tokenizer(False).FREQ, dict)   # a big run replaces it
    assert isinstance(segment.tokenizer(True).FREQ, dict)    # and is never downgraded
    assert isinstance(segment._loaded["cut"], segment._Cutter) or segment._prefix_dict_class() is None


@pytest.mark.parametrize("compact", [False, True])
def test_a_damaged_or_missing_table_is_rebuilt_from_jieba(tmp_path, monkeypatch, compact):
    stem = tmp_path / "plans-jieba-test"
    assert segment._Table.open(stem, compact) is None                   # missing
    for suffix in (".counts", ".keys", ".trie"):
        stem.with_suffix(suffix).write_bytes(b"not a table")
    assert segment._Table.open(stem, compact) is None                   # garbage
    monkeypatch.setattr(segment, "_table_stem", lambda tk: stem)
    tk = segment.load_tokenizer(compact)                                # jieba's loading, the table written
    assert tk.FREQ == _pair()[0].FREQ and tk.total == _pair()[0].total
    assert segment._Table.open(stem, compact) is not None


@pytest.mark.parametrize("text", ["医务科负责全院的培训。", "醫務科負責全院的培訓。", "2024年5月至12月，C++与v2.0%"])
def test_without_the_jieba_next_wheel_jieba_segments(monkeypatch, text):
    fast = segment.words(text)
    monkeypatch.setitem(sys.modules, "jieba_next", None)  # as on a platform without the wheel: import fails
    monkeypatch.setitem(sys.modules, "jieba_next.jieba_next_rust", None)
    monkeypatch.setattr(segment, "_loaded", {})
    assert segment._prefix_dict_class() is None
    assert not isinstance(segment._cutter(segment.tokenizer(False)), segment._Cutter)
    assert segment.words(text) == fast == segment.tokenizer().lcut(text, HMM=True)


def test_word_tags_hold_the_user_dictionary_in_every_mode():
    assert segment.word_tag("医务科") == "nt"         # models/userdict.txt
    assert segment.word_tag("北京") == "ns"           # jieba's dictionary
    assert segment.word_tag("不是一个词的串") is None


@lru_cache(maxsize=1)
def _jieba_tagger():
    """jieba's POS tagger on a tokenizer loaded by jieba itself with models/userdict.txt (nothing of ours)."""
    import jieba
    import jieba.posseg

    tk = jieba.Tokenizer()
    tk.initialize()
    tk.load_userdict(str(segment.settings.MODELS_DIR / "userdict.txt"))
    return jieba.posseg.POSTokenizer(tk)


@pytest.mark.parametrize("span", ["张三丰、李四", "組長：王小明", "医务科负责人赵某某", "由欧阳娜娜和司马光负责", "樮蝖瀤籷"])
def test_pos_tags_are_jiebas(span):
    span = to_simplified(span)
    assert segment.pos_tags(span) == [(p.word, p.flag) for p in _jieba_tagger().cut(span)]


def test_jiebas_own_tagger_keeps_jiebas_tags_after_our_quick_import():
    import subprocess

    code = ("import sys; from pipeline import segment; segment.pos_tags('张三'); import jieba, jieba.posseg as ps; "
            "ref = ps.POSTokenizer(jieba.Tokenizer()); text = '我爱北京天安门，医务科的张三丰负责。'; "
            "print(isinstance(ps.dt.word_tag_tab, segment._CompactTags), ps.lcut(text) == ref.lcut(text), "
            "'pkg_resources' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "False"]  # our import ran, jieba's tags, no pkg_resources
