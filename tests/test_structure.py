"""Structure: every marker type and its nesting, higher markers never nesting under lower ones, glued inline
markers, inline lists opened after `：`, 一是/二是 and 首先是/其次是 items, .docx heading blocks, section kinds
(the longest cue wins), section ends, ids and parents — one row per convention, in simplified and in
traditional script (traditional rows go through `normalize` like a plan's text does), and properties of the
tree over generated outlines (hypothesis). All fixtures are invented."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.model import Block
from pipeline.normalize import normalize
from pipeline.structure import build_sections, classify, find_markers, names_section


def _norm(text: str) -> str:
    return normalize(text)[0]


def _outline(text: str) -> list[tuple[int, str, str]]:
    """(level, marker, heading) of every section of the normalized `text`."""
    return [(s.level, s.marker, s.heading) for s in build_sections(_norm(text))]


# ---------------------------------------------------------------- marker types and their nesting

# (text as written, expected [(level, marker, heading)]); headings in simplified script
NESTING = [
    # decimal and letter items of Hong Kong / English-style numbering: 1. > 1.1 > (a)
    ("4. 計劃內容\n4.1 數碼基礎班\n(a) 智能手機入門班：每月兩期。\n(b) 一對一輔導。\n4.2 防騙講座",
     [(1, "4.", "计划内容"), (2, "4.1", "数码基础班"), (3, "(a)", "智能手机入门班"), (3, "(b)", "一对一辅导"),
      (2, "4.2", "防骗讲座")]),
    ("4. 计划内容\n4.1 数码基础班\n(a) 智能手机入门班：每月两期。\n(b) 一对一辅导。\n4.2 防骗讲座",
     [(1, "4.", "计划内容"), (2, "4.1", "数码基础班"), (3, "(a)", "智能手机入门班"), (3, "(b)", "一对一辅导"),
      (2, "4.2", "防骗讲座")]),
    # 一、 > （一） > 1. > (1) > ①
    ("一、主要任务\n（一）加强学习\n1.组织培训\n(1)集中授课\n①理论课",
     [(1, "一、", "主要任务"), (2, "（一）", "加强学习"), (3, "1.", "组织培训"), (4, "(1)", "集中授课"),
      (5, "①", "理论课")]),
    ("一、主要任務\n（一）加強學習\n1.組織培訓\n(1)集中授課\n①理論課",
     [(1, "一、", "主要任务"), (2, "（一）", "加强学习"), (3, "1.", "组织培训"), (4, "(1)", "集中授课"),
      (5, "①", "理论课")]),
    # siblings come back to their level
    ("一、主要任务\n（一）加强学习\n1.组织培训\n2.开展研讨\n（二）强化督导\n二、工作要求",
     [(1, "一、", "主要任务"), (2, "（一）", "加强学习"), (3, "1.", "组织培训"), (3, "2.", "开展研讨"),
      (2, "（二）", "强化督导"), (1, "二、", "工作要求")]),
    ("一、主要任務\n（一）加強學習\n1.組織培訓\n2.開展研討\n（二）強化督導\n二、工作要求",
     [(1, "一、", "主要任务"), (2, "（一）", "加强学习"), (3, "1.", "组织培训"), (3, "2.", "开展研讨"),
      (2, "（二）", "强化督导"), (1, "二、", "工作要求")]),
    # 1、 and （1） forms
    ("一、工作措施\n1、建立台账\n（1）逐户登记\n2、定期回访",
     [(1, "一、", "工作措施"), (2, "1、", "建立台账"), (3, "（1）", "逐户登记"), (2, "2、", "定期回访")]),
    ("一、工作措施\n1、建立檯賬\n（1）逐戶登記\n2、定期回訪",
     [(1, "一、", "工作措施"), (2, "1、", "建立台账"), (3, "（1）", "逐户登记"), (2, "2、", "定期回访")]),
    # 壹、 over 一、
    ("壹、依据\n一、法规依据\n贰、目的", [(1, "壹、", "依据"), (2, "一、", "法规依据"), (1, "贰、", "目的")]),
    ("壹、依據\n一、法規依據\n貳、目的", [(1, "壹、", "依据"), (2, "一、", "法规依据"), (1, "贰、", "目的")]),
    # 第N章 over 一、
    ("第一章 总则\n一、目的\n第二章 任务\n一、内容",
     [(1, "第一章", "总则"), (2, "一、", "目的"), (1, "第二章", "任务"), (2, "一、", "内容")]),
    ("第一章 總則\n一、目的\n第二章 任務\n一、內容",
     [(1, "第一章", "总则"), (2, "一、", "目的"), (1, "第二章", "任务"), (2, "一、", "内容")]),
    # 一是/二是 and 一要/二要 items on their own lines
    ("一、保障措施\n一是加强领导。\n二是强化宣传。",
     [(1, "一、", "保障措施"), (2, "一是", "加强领导"), (2, "二是", "强化宣传")]),
    ("一、保障措施\n一是加強領導。\n二是強化宣傳。",
     [(1, "一、", "保障措施"), (2, "一是", "加强领导"), (2, "二是", "强化宣传")]),
    ("一、工作措施\n一要健全制度。\n二要严格考核。",
     [(1, "一、", "工作措施"), (2, "一要", "健全制度"), (2, "二要", "严格考核")]),
    ("一、工作措施\n一要健全制度。\n二要嚴格考核。",
     [(1, "一、", "工作措施"), (2, "一要", "健全制度"), (2, "二要", "严格考核")]),
    # 首先是/其次是/最后是
    ("一、工作要求\n首先是统一思想。\n其次是压实责任。\n最后是加强督查。",
     [(1, "一、", "工作要求"), (2, "首先是", "统一思想"), (2, "其次是", "压实责任"), (2, "最后是", "加强督查")]),
    ("一、工作要求\n首先是統一思想。\n其次是壓實責任。\n最後是加強督查。",
     [(1, "一、", "工作要求"), (2, "首先是", "统一思想"), (2, "其次是", "压实责任"), (2, "最后是", "加强督查")]),
    # 第一阶段 / 第一环节 under a steps heading
    ("一、实施步骤\n第一阶段：宣传发动\n第二阶段：组织实施",
     [(1, "一、", "实施步骤"), (2, "第一阶段：", "宣传发动"), (2, "第二阶段：", "组织实施")]),
    ("一、實施步驟\n第一階段：宣傳發動\n第二階段：組織實施",
     [(1, "一、", "实施步骤"), (2, "第一阶段：", "宣传发动"), (2, "第二阶段：", "组织实施")]),
    ("一、活动安排\n第一环节：报名\n第二环节：初赛",
     [(1, "一、", "活动安排"), (2, "第一环节：", "报名"), (2, "第二环节：", "初赛")]),
    ("一、活動安排\n第一環節：報名\n第二環節：初賽",
     [(1, "一、", "活动安排"), (2, "第一环节：", "报名"), (2, "第二环节：", "初赛")]),
]


@pytest.mark.parametrize("text,expected", NESTING)
def test_marker_types_and_nesting(text, expected):
    assert _outline(text) == expected


# a conventionally higher marker never nests under a lower one, whatever order the plan uses
HIGHER_NOT_UNDER_LOWER = [
    ("1.前言说明\n一、主要任务\n2.开展培训", [(1, "1.", "前言说明"), (1, "一、", "主要任务"), (2, "2.", "开展培训")]),
    ("1.前言說明\n一、主要任務\n2.開展培訓", [(1, "1.", "前言说明"), (1, "一、", "主要任务"), (2, "2.", "开展培训")]),
    ("（1）预备事项\n（一）正式事项\n1.具体事项",
     [(1, "（1）", "预备事项"), (1, "（一）", "正式事项"), (2, "1.", "具体事项")]),
    ("（1）預備事項\n（一）正式事項\n1.具體事項",
     [(1, "（1）", "预备事项"), (1, "（一）", "正式事项"), (2, "1.", "具体事项")]),
    # （一） after 1. pops back to the level of the first 1.'s parent, the next 1.-list nests under it
    ("一、工作安排\n1.排查隐患\n（一）集中整治\n2.复查验收",
     [(1, "一、", "工作安排"), (2, "1.", "排查隐患"), (2, "（一）", "集中整治"), (3, "2.", "复查验收")]),
    ("一、工作安排\n1.排查隱患\n（一）集中整治\n2.複查驗收",
     [(1, "一、", "工作安排"), (2, "1.", "排查隐患"), (2, "（一）", "集中整治"), (3, "2.", "复查验收")]),
]


@pytest.mark.parametrize("text,expected", HIGHER_NOT_UNDER_LOWER)
def test_higher_marker_never_nests_under_lower(text, expected):
    assert _outline(text) == expected


# ---------------------------------------------------------------- inline markers

INLINE = [
    # glued after 。: (三) continues （一）（二）
    ("一、主要任务\n（一）加强学习\n（二）强化培训。结合实际开展。(三)严格督导",
     [(1, "一、", "主要任务"), (2, "（一）", "加强学习"), (2, "（二）", "强化培训"), (2, "(三)", "严格督导")]),
    ("一、主要任務\n（一）加強學習\n（二）強化培訓。結合實際開展。(三)嚴格督導",
     [(1, "一、", "主要任务"), (2, "（一）", "加强学习"), (2, "（二）", "强化培训"), (2, "(三)", "严格督导")]),
    # glued after ；: 2. and 3. continue a 1. that opens the line
    ("一、主要任务\n1.建立台账；2.定期回访；3.限期整改。",
     [(1, "一、", "主要任务"), (2, "1.", "建立台账"), (2, "2.", "定期回访"), (2, "3.", "限期整改")]),
    ("一、主要任務\n1.建立檯賬；2.定期回訪；3.限期整改。",
     [(1, "一、", "主要任务"), (2, "1.", "建立台账"), (2, "2.", "定期回访"), (2, "3.", "限期整改")]),
    # glued after 。 on one line
    ("一、工作措施\n1.甲事项。2.乙事项。3.丙事项。",
     [(1, "一、", "工作措施"), (2, "1.", "甲事项"), (2, "2.", "乙事项"), (2, "3.", "丙事项")]),
    # an inline (1) list opened after ：, item 2 following
    ("一、主要任务\n1.开展培训：(1)理论学习；(2)实操演练。\n2.组织考核。",
     [(1, "一、", "主要任务"), (2, "1.", "开展培训"), (3, "(1)", "理论学习"), (3, "(2)", "实操演练"),
      (2, "2.", "组织考核")]),
    ("一、主要任務\n1.開展培訓：(1)理論學習；(2)實操演練。\n2.組織考核。",
     [(1, "一、", "主要任务"), (2, "1.", "开展培训"), (3, "(1)", "理论学习"), (3, "(2)", "实操演练"),
      (2, "2.", "组织考核")]),
    ("一、主要任务\n具体包括：（1）逐户排查；（2）建立台账。",
     [(1, "一、", "主要任务"), (2, "（1）", "逐户排查"), (2, "（2）", "建立台账")]),
    # an inline （一） list opened after the heading's ：
    ("一、主要任务：（一）加强学习；（二）强化督导。",
     [(1, "一、", "主要任务"), (2, "（一）", "加强学习"), (2, "（二）", "强化督导")]),
    ("一、主要任務：（一）加強學習；（二）強化督導。",
     [(1, "一、", "主要任务"), (2, "（一）", "加强学习"), (2, "（二）", "强化督导")]),
    # 一是/二是 and 首先/其次/最后 inline
    ("一、保障措施\n一是加强领导；二是强化宣传；三是严格考核。",
     [(1, "一、", "保障措施"), (2, "一是", "加强领导"), (2, "二是", "强化宣传"), (2, "三是", "严格考核")]),
    ("一、保障措施\n一是加強領導；二是強化宣傳；三是嚴格考核。",
     [(1, "一、", "保障措施"), (2, "一是", "加强领导"), (2, "二是", "强化宣传"), (2, "三是", "严格考核")]),
    ("一、工作要求\n首先是统一思想；其次是压实责任。",
     [(1, "一、", "工作要求"), (2, "首先是", "统一思想"), (2, "其次是", "压实责任")]),
    ("一、工作要求\n首先是統一思想；其次是壓實責任。",
     [(1, "一、", "工作要求"), (2, "首先是", "统一思想"), (2, "其次是", "压实责任")]),
    ("一、工作措施\n首先，要统一思想。其次，要压实责任。最后，要加强督查。",
     [(1, "一、", "工作措施"), (2, "首先，", "要统一思想"), (2, "其次，", "要压实责任"), (2, "最后，", "要加强督查")]),
    ("一、工作措施\n首先，要統一思想。其次，要壓實責任。最後，要加強督查。",
     [(1, "一、", "工作措施"), (2, "首先，", "要统一思想"), (2, "其次，", "要压实责任"), (2, "最后，", "要加强督查")]),
]


@pytest.mark.parametrize("text,expected", INLINE)
def test_inline_markers(text, expected):
    assert _outline(text) == expected


# glued look-alikes that neither continue a sequence nor open one are text, not markers
NOT_MARKERS = [
    "一、主要任务\n1.5倍以上的投入。",
    "一、主要任务\n2026.3.16",
    "一、主要任务\n资料详见附件。(三)不构成条目",
    "一、主要任務\n資料詳見附件。(三)不構成條目",
    "一、主要任务\n具体包括：(1)逐户排查。",  # a lone first item: no item 2 follows
    "一、主要任務\n具體包括：(1)逐戶排查。",
    "一、工作措施\n一要求严格。",  # 一要求 is a word, not 一要
    "一、工作措施\n一要求嚴格。",
    "一、主要任务\n满意率提高到3.5个百分点以上。",
    "一、主要任務\n滿意率提高到3.5個百分點以上。",
]


@pytest.mark.parametrize("text", NOT_MARKERS)
def test_look_alikes_are_not_markers(text):
    t = _norm(text)
    assert [(k.start, k.type) for k in find_markers(t)] == [(0, "cn_number")]
    assert len(build_sections(t)) == 1


def test_inline_marker_flags_and_values():
    t = _norm("一、主要任务\n（一）加强学习\n（二）强化培训。结合实际。(三)严格督导")
    got = [(t[k.start:k.end], k.type, k.value, k.inline) for k in find_markers(t)]
    assert got == [("一、", "cn_number", 1, False), ("（一）", "cn_paren", 1, False), ("（二）", "cn_paren", 2, False),
                   ("(三)", "cn_paren", 3, True)]


# an item's heading is its own lead phrase: it never runs past the item into the next one
OWN_HEADING = [
    pytest.param("一、保障措施\n一是加强领导，二是强化宣传。", "一是", "加强领导"),
    pytest.param("一、保障措施\n一是加強領導，二是強化宣傳。", "一是", "加强领导"),
    pytest.param("一、工作要求\n首先是统一思想，其次是压实责任。", "首先是", "统一思想"),
    pytest.param("一、主要任务\n1.开展入户宣传，（1）发放倡议书；（2）张贴海报。", "1.", "开展入户宣传"),
    ("一、保障措施\n一是加强领导；二是强化宣传。", "一是", "加强领导"),
    ("一、保障措施\n一是加強領導；二是強化宣傳。", "一是", "加强领导"),
]


@pytest.mark.parametrize("text,marker,heading", OWN_HEADING)
def test_heading_stays_inside_its_item(text, marker, heading):
    t = _norm(text)
    secs = build_sections(t)
    sec = next(s for s in secs if s.marker == marker)
    kids_start = min((s.start for s in secs if s.parent == sec.id), default=sec.end)
    assert sec.heading == heading
    assert t.find(sec.heading, sec.start) + len(sec.heading) <= kids_start


# ---------------------------------------------------------------- section kinds

# (heading as written, kind); the longest cue found wins
KINDS = [
    ("工作目标", "goals"), ("工作目標", "goals"),
    ("主要任务", "tasks"), ("主要任務", "tasks"),
    ("实施步骤", "steps"), ("實施步驟", "steps"),
    ("进度安排", "steps"), ("進度安排", "steps"),
    ("保障措施", "safeguards"), ("保障措施：", "safeguards"),
    ("组织领导", "organization"), ("組織領導", "organization"),
    ("工作要求", "requirements"), ("方法和要求", "requirements"),
    ("指导思想", "guidance"), ("指導思想", "guidance"),
    ("基本原则", "principles"), ("基本原則", "principles"),
    ("总体要求", "guidance"), ("總體要求", "guidance"),  # not requirements: 总体要求 is longer than 要求
    ("目标任务", "tasks"), ("目標任務", "tasks"),  # not goals: 目标任务 is longer than 目标
    ("加强学科建设", "other"), ("加強學科建設", "other"),
    ("这是一句很长的话其中虽然提到主要任务但不是标题", "other"),  # prose, not a heading
]


@pytest.mark.parametrize("heading,kind", KINDS)
def test_classify(heading, kind):
    assert classify(_norm(heading)) == kind


@pytest.mark.parametrize("heading,kind", KINDS[:-1])
def test_section_kind_from_heading(heading, kind):
    t = _norm("一、" + heading + "\n（一）具体事项")
    top, item = build_sections(t)
    assert (top.kind, item.kind) == (kind, "other")


# scope parts (活动范围) have no contract kind of their own: written as `other`
@pytest.mark.parametrize("heading", ["活动范围", "活動範圍", "参加对象", "參加對象"])
def test_scope_parts_are_written_as_other(heading):
    (sec,) = build_sections(_norm("三、" + heading))
    assert sec.kind == "other"
    assert names_section(sec.heading)


NAMES_SECTION = [
    ("工作目标", True), ("工作目標", True), ("活动范围", True), ("活動範圍", True),
    ("落实提升任务", False), ("落實提升任務", False), ("加强学科建设", False), ("加強學科建設", False),
]


@pytest.mark.parametrize("heading,expected", NAMES_SECTION)
def test_names_section(heading, expected):
    assert names_section(_norm(heading)) is expected


# ---------------------------------------------------------------- ends, ids, parents

SAMPLE = ("一、工作目标\n全面提升服务质量。\n二、主要任务\n（一）优化流程\n1.推行预约诊疗。\n2.缩短候诊时间。\n"
          "（二）改善环境\n更新院内标识。\n三、保障措施\n加强组织领导。\n")
SAMPLE_TRAD = ("一、工作目標\n全面提升服務品質。\n二、主要任務\n（一）優化流程\n1.推行預約診療。\n2.縮短候診時間。\n"
               "（二）改善環境\n更新院內標識。\n三、保障措施\n加強組織領導。\n")


@pytest.mark.parametrize("text", [SAMPLE, SAMPLE_TRAD])
def test_ids_parents_levels(text):
    secs = build_sections(_norm(text))
    assert [s.id for s in secs] == [f"s{i}" for i in range(1, 8)]
    assert [(s.marker, s.parent, s.level) for s in secs] == [
        ("一、", None, 1), ("二、", None, 1), ("（一）", "s2", 2), ("1.", "s3", 3), ("2.", "s3", 3),
        ("（二）", "s2", 2), ("三、", None, 1)]
    assert [s.kind for s in secs] == ["goals", "tasks", "other", "other", "other", "other", "safeguards"]


@pytest.mark.parametrize("text", [SAMPLE, SAMPLE_TRAD])
def test_section_ends(text):
    t = _norm(text)
    secs = {s.marker + str(s.level): s for s in build_sections(t)}
    two, three = t.index("二、"), t.index("三、")
    # a section ends where the next one at its level or above begins, without the line break
    assert secs["一、1"].end == two - 1
    assert secs["二、1"].end == three - 1
    assert secs["（一）2"].end == t.index("（二）") - 1
    assert secs["1.3"].end == t.index("\n2.")
    assert secs["2.3"].end == secs["（一）2"].end
    assert secs["三、1"].end == len(t.rstrip())
    assert t[secs["（二）2"].start:secs["（二）2"].end] == t[t.index("（二）"):three - 1]
    for s in secs.values():
        assert t[s.start:].startswith(s.marker)
        assert not t[s.start:s.end].endswith(("\n", " "))


# ---------------------------------------------------------------- .docx heading blocks

def _docx(lines: list[tuple[str, int | None]]) -> tuple[str, list[Block]]:
    """Text joined by `\\n` and one Block per line (a heading block where a level is given)."""
    text = "\n".join(ln for ln, _ in lines)
    blocks, pos = [], 0
    for ln, level in lines:
        kind = "heading" if level else "paragraph"
        blocks.append(Block(pos, pos + len(ln), kind, level=level))
        pos += len(ln) + 1
    return text, blocks


DOCX = [
    ([("为做好工作，制定本方案。", None), ("工作目标", 1), ("提升服务质量。", None), ("主要任务", 1),
      ("门诊服务", 2), ("1.优化流程。", None), ("2.改善环境。", None), ("保障措施", 1), ("加强领导。", None)],
     [(1, "", "工作目标", "goals", None), (1, "", "主要任务", "tasks", None), (2, "", "门诊服务", "other", "s2"),
      (3, "1.", "优化流程", "other", "s3"), (3, "2.", "改善环境", "other", "s3"),
      (1, "", "保障措施", "safeguards", None)]),
    ([("為做好工作，制定本方案。", None), ("工作目標", 1), ("提升服務品質。", None), ("主要任務", 1),
      ("門診服務", 2), ("1.優化流程。", None), ("2.改善環境。", None), ("保障措施", 1), ("加強領導。", None)],
     [(1, "", "工作目标", "goals", None), (1, "", "主要任务", "tasks", None), (2, "", "门诊服务", "other", "s2"),
      (3, "1.", "优化流程", "other", "s3"), (3, "2.", "改善环境", "other", "s3"),
      (1, "", "保障措施", "safeguards", None)]),
]


@pytest.mark.parametrize("lines,expected", DOCX)
def test_docx_heading_blocks(lines, expected):
    text, _ = _docx(lines)
    text = _norm(text)
    # the blocks are built on the normalized text, as the pipeline maps them
    text, blocks = _docx([(ln, lv) for (_, lv), ln in zip(lines, text.split("\n"))])
    secs = build_sections(text, blocks)
    assert [(s.level, s.marker, s.heading, s.kind, s.parent) for s in secs] == expected
    assert secs[0].start == text.index("工作目标")


def test_docx_heading_block_on_a_marker_is_not_doubled():
    text, blocks = _docx([("一、工作目标", 1), ("提升服务质量。", None), ("二、主要任务", 1), ("1.优化流程。", None)])
    secs = build_sections(text, blocks)
    assert [(s.marker, s.heading, s.level) for s in secs] == [("一、", "工作目标", 1), ("二、", "主要任务", 1),
                                                              ("1.", "优化流程", 2)]


def test_no_blocks_no_markers_no_sections():
    assert build_sections(_norm("为做好工作，制定本方案。\n全面提升服务质量。")) == []


# ---------------------------------------------------------------- properties over generated outlines

_WORDS = ["加强学习", "优化流程", "改善环境", "强化督导", "建立台账", "开展培训", "落实责任", "完善制度"]
_L1 = "一二三四五六七八九"
_L2 = ["（一）", "（二）", "（三）", "（四）"]


@st.composite
def outlines(draw):
    """An outline 一、 > （一） > 1. > (1) as text, and its expected (level, marker) rows."""
    lines, rows = [], []
    for i in range(draw(st.integers(1, 4))):
        lines.append(f"{_L1[i]}、{draw(st.sampled_from(_WORDS))}")
        rows.append((1, f"{_L1[i]}、"))
        for j in range(draw(st.integers(0, 3))):
            lines.append(f"{_L2[j]}{draw(st.sampled_from(_WORDS))}")
            rows.append((2, _L2[j]))
            for k in range(draw(st.integers(0, 3))):
                body = draw(st.sampled_from(_WORDS)) + "。"
                lines.append(f"{k + 1}.{body}")
                rows.append((3, f"{k + 1}."))
                for m in range(draw(st.integers(0, 2))):
                    lines.append(f"({m + 1}){draw(st.sampled_from(_WORDS))}。")
                    rows.append((4, f"({m + 1})"))
    return "\n".join(lines), rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(outlines())
def test_generated_outline_tree(case):
    text, rows = case
    secs = build_sections(text)
    assert [(s.level, s.marker) for s in secs] == rows
    by_id = {s.id: s for s in secs}
    for s in secs:
        assert text[s.start:].startswith(s.marker)
        assert s.start < s.end <= len(text)
        assert s.heading in _WORDS
        if s.parent:
            parent = by_id[s.parent]
            assert parent.level == s.level - 1
            assert parent.start < s.start and s.end <= parent.end
        else:
            assert s.level == 1
    # top-level sections tile the text from the first marker
    tops = [s for s in secs if s.level == 1]
    for a, b in itertools.pairwise(tops):
        assert a.end == b.start - 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6), st.sampled_from(["；", "。"]))
def test_generated_glued_items_continue_their_sequence(words, sep):
    text = "一、主要任务\n" + sep.join(f"{i}.{w}" for i, w in enumerate(words, 1)) + "。"
    secs = build_sections(text)
    assert [(s.marker, s.heading) for s in secs[1:]] == [(f"{i}.", w) for i, w in enumerate(words, 1)]
    assert all(s.parent == "s1" for s in secs[1:])
