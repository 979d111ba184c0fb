"""Normalization: script detection, t2s, readings, width folding, clutter, broken lines; offsets round-trip."""
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalize import fold_width, normalize, to_simplified
from pipeline.script import detect_script


@pytest.mark.parametrize("text, script", [
    ("关于开展医疗服务质量提升活动的实施方案", "simplified"),
    ("關於開展醫療服務質量提升活動的實施計畫", "traditional"),
    ("關於開展医疗服务質量提升活動的实施方案", "mixed"),
    ("一二三四五，2024年", "simplified"),          # no script-specific characters
    ("衛(wèi)健局關(guān)於開展活動(dòng)", "traditional"),
])
def test_detect_script(text, script):
    assert detect_script(text) == script


@pytest.mark.parametrize("original, expected", [
    ("XX縣衛(wèi)健局關(guān)于開展", "XX县卫健局关于开展"),                  # reading annotations, t2s
    ("２０２１年３月，ＡＢＣ", "2021年3月，ABC"),                          # full-width folded, ，kept
    ("营造更宽松的参与发展的'和谐氛围", "营造更宽松的参与发展的和谐氛围"),          # stray quote
    ("第一阶段(3[]月1日", "第一阶段(3月1日"),                              # stray []
    ("　　一、总体要求\n\n　　（一）指导思想", "一、总体要求\n（一）指导思想"),     # indentation, blank lines
    ("正文第一段。\n\n— 11 —\n\n正文第二段。", "正文第一段。\n正文第二段。"),      # page number line
    ("正文。\n10\n正文。\n|\n", "正文。\n正文。"),
    ("严禁在规定之外乱收费。严禁设立\n“小金库”或私收费。", "严禁在规定之外乱收费。严禁设立“小金库”或私收费。"),
    ("严格执行《从业人员行\n为规范》，杜绝回扣。", "严格执行《从业人员行为规范》，杜绝回扣。"),
    ("一、指导思想\n坚持以人民为中心。", "一、指导思想\n坚持以人民为中心。"),       # heading not joined
    ("组  长：张三 李四\n副组长：王五", "组  长：张三 李四\n副组长：王五"),         # label lines not joined
    ("以下是小編幫大家整理的方案，希望能夠幫助到大家。\n為加強管理，特制定本方案。", "为加强管理，特制定本方案。"),
    ("医院活动方案篇三\n为做好工作，制定本方案。", "为做好工作，制定本方案。"),     # part header is page furniture
])
def test_normalize(original, expected):
    text, _ = normalize(original)
    assert text == expected


def test_to_simplified_keeps_length_and_folds():
    s = "關於２０２１年實施計畫"
    out = to_simplified(s)
    assert len(out) == len(s) and out == "关于2021年实施计划"
    assert fold_width("ＡＢ１２") == "AB12"


CHUNKS = st.sampled_from([
    "實施方案", "衛(wèi)生", "２０２４年", "\n\n", "　　", "'", "一、總體要求\n", "— 3 —\n", "關(guān)於", "，", "。",
    "严禁", "小编整理\n", "[]", "工作", "\n",
])


@given(st.lists(CHUNKS, max_size=30))
def test_offsets_round_trip(chunks):
    original = "".join(chunks)
    text, m = normalize(original)
    converted = to_simplified(original)
    assert not re.search(r"\(\w+\)", text.replace("(", "(").replace(")", ")")) or "(" not in original
    # every character of the result comes from the character it maps to (converted, same length as original)
    for i, ch in enumerate(text):
        s, e = m.span(i, i + 1)
        assert 0 <= s < e <= len(original)
        if e - s == 1 and ch != "\n":
            assert converted[s] == ch
    # whole-text span covers the quoted source
    if text:
        s, e = m.span(0, len(text))
        assert converted[s] == text[0]
