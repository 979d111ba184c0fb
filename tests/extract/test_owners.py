"""Owners in every explicit form of the contract's "Owner scope and form": inline 牵头/负责 with any marker, the
bracket closing a paragraph of inline items, section-level 承办/协办 and `…由X负责` inherited, 〔〕 brackets with
trailing words, people as owners, 由X + any verb in an item's lead, compound names, and task-table columns in .html
and .docx (merged cells, `本部（机关学校、民间团体）`) — simplified and traditional rows (traditional goes through
`normalize`, as the pipeline does). All fixtures are invented."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import docx_factory as f
from pipeline.extract.dates import find_dates
from pipeline.extract.owners import find_owners, owners_of_cell, split_owners
from pipeline.extract.phases import find_phases
from pipeline.extract.tasks import find_tasks
from pipeline.normalize import normalize
from pipeline.process import process_file
from pipeline.structure import build_sections


def _tasks(text: str):
    t = normalize(text)[0]
    secs = build_sections(t)
    return find_tasks(t, secs, find_phases(t, secs, 2026), find_dates(t, 2026))


def _owners(text: str) -> list[tuple[str, list[str], list[str]]]:
    return [(x.title, x.owners, x.co_owners) for x in _tasks(text)]


# ---------------------------------------------------------------- inline assignment, any marker

INLINE = [
    ("1.区教育局安全科牵头，开展校园安全检查。", ["区教育局安全科"], []),
    ("1.區教育局安全科牽頭，開展校園安全檢查。", ["区教育局安全科"], []),
    ("（一）区教育局安全科负责，开展校园安全检查。", ["区教育局安全科"], []),
    ("（一）區教育局安全科負責，開展校園安全檢查。", ["区教育局安全科"], []),
    ("（1）德育处负责组织主题班会。", ["德育处"], []),
    ("（1）德育處負責組織主題班會。", ["德育处"], []),
    ("①总务处负责更换灭火器。", ["总务处"], []),
    ("①總務處負責更換滅火器。", ["总务处"], []),
    # 由 is optional; a list with 和 and 共同; 等部门 is no part of a name
    ("1.由德育处和总务处共同负责开展宣传。", ["德育处", "总务处"], []),
    ("1.教学处、德育处、体育组等部门负责调整课程安排。", ["教学处", "德育处", "体育组"], []),
    ("1.教學處、德育處、體育組等部門負責調整課程安排。", ["教学处", "德育处", "体育组"], []),
    # …为第一责任人: the whole name, not cut at 负责
    ("1.落实领导责任。医院主要负责同志为第一责任人。", ["医院主要负责同志"], []),
    ("1.落實領導責任。醫院主要負責同志為第一責任人。", ["医院主要负责同志"], []),
    # a later sentence telling what another body does is no assignment of this item (…负责 there)
    ("1.加强督查。建立联系点制度。纪委监察室负责督导各支部。", [], []),
    # but 牵头 is, wherever it stands
    ("1.强化督查。建立联系点制度。同时，领导小组办公室要牵头组织开展督查。", ["领导小组办公室"], []),
    # a bracket ending the item that is an assignment: X牵头，Y配合 / X负责 / A、B按职责分工负责 (the bracket no part
    # of a name; provincial departments 厅, Taiwan 署/司)
    ("1.改造商业设施。2026年6月底前完成遴选。（省商务厅牵头，省发展改革委、省财政厅配合）",
     ["省商务厅"], ["省发展改革委", "省财政厅"]),
    ("1.改造商業設施。2026年6月底前完成遴選。（省商務廳牽頭，省發展改革委、省財政廳配合）",
     ["省商务厅"], ["省发展改革委", "省财政厅"]),
    ("1.发展即时配送。鼓励电商平台开展业务。（省商务厅负责）", ["省商务厅"], []),
    ("1.發展即時配送。鼓勵電商平台開展業務。（衛生福利部社會及家庭署負責）", ["卫生福利部社会及家庭署"], []),
    ("1.培育电商主体。每年培训5000人次。（省商务厅、省人力资源社会保障厅按职责分工负责）",
     ["省商务厅", "省人力资源社会保障厅"], []),
    ("1.建设物流中心。（各县（市）人民政府牵头）", ["各县（市）人民政府"], []),
    # a sentence that is only an assignment names the item's owners wherever it stands
    ("1.开展宣传教育。市委宣传部、市教育局按职责分工负责。", ["市委宣传部", "市教育局"], []),
    ("1.開展宣傳教育。市委宣傳部、市教育局按職責分工負責。", ["市委宣传部", "市教育局"], []),
    # `Y配合` inside a label's list, `按职责配合`, 参与, 主责/协同 labels: co-owners
    ("1.推进清洁取暖。责任单位：各区县人民政府，市住房城乡建设局配合。", ["各区县人民政府"], ["市住房城乡建设局"]),
    ("1.推進清潔取暖。責任單位：各區縣人民政府，市住房城鄉建設局配合。", ["各区县人民政府"], ["市住房城乡建设局"]),
    ("1.完善应急预案。（市应急管理局负责，市卫生健康委、市公安局按职责配合）",
     ["市应急管理局"], ["市卫生健康委", "市公安局"]),
    ("1.开展专项督查。市政府督查室牵头，各相关部门参与。", ["市政府督查室"], ["各相关部门"]),
    ("1.推進數位化改造。主責部門：市大數據局；協同部門：市工信局。", ["市大数据局"], ["市工信局"]),
    # Taiwan labels: 權責單位, 主辦機關 … 協辦機關 in one sentence
    ("（一）建立巡查機制。權責單位：各國民中小學。", ["各国民中小学"], []),
    ("（四）完成校舍補強。主辦機關：教育部國民及學前教育署，協辦機關：各縣市政府。",
     ["教育部国民及学前教育署"], ["各县市政府"]),
]


@pytest.mark.parametrize("item,owners,co", INLINE)
def test_inline_assignment(item, owners, co):
    (task,) = _tasks("一、主要任务\n" + item)
    assert (task.owners, task.co_owners) == (owners, co)


# ---------------------------------------------------------------- 由X + any verb, in the item's lead

BY = [
    ("（一）本方案由本部进行列管，并由各主管教育行政机关每半年填报执行成果。", ["本部", "各主管教育行政机关"]),
    ("（一）本方案由本部進行列管，並由各主管教育行政機關每半年填報執行成果。", ["本部", "各主管教育行政机关"]),
    ("（二）复选：由本部组成复审小组进行评选。", ["本部"]),
    ("（二）複選：由本部組成複審小組進行評選。", ["本部"]),
    ("（一）初选：由各直辖市、县（市）政府教育局自行办理。", ["各直辖市、县（市）政府教育局"]),
    ("（一）初選：由各直轄市、縣（市）政府教育局自行辦理。", ["各直辖市、县（市）政府教育局"]),
    # a person with unit and title -> the name
    ("3.演练准备：由安全处沈祥土主任讲清疏散线路。", ["沈祥土"]),
    ("(a) 入门班：每月举办两期，由陈家乐社工负责。", ["陈家乐"]),
    ("(a) 入門班：每月舉辦兩期，由陳家樂社工負責。", ["陈家乐"]),
    ("4.4 成效检讨：年中进行检讨，由何志明中心主任负责。", ["何志明"]),
    ("(c) 防骗大使：由黄美玲社工及陈家乐社工共同负责。", ["黄美玲", "陈家乐"]),
    ("3.演練準備：由安全處沈祥土主任講清疏散線路。", ["沈祥土"]),
    # not an agent: a source (附件表格由…下载), 经由, 或由 (an alternative), a later sentence
    ("2.附件表格由教育评量网公布事项下载。", []),
    ("2.评选结果经由复审小组评选后公布。", []),
    ("2.开展辅导，或由检查机构派员辅导。", []),
    ("3.考生入场。考生到指定场所休息。进场前按次序由班主任带至考场。", []),
]


@pytest.mark.parametrize("item,owners", BY)
def test_by_agent_in_the_lead(item, owners):
    (task,) = _tasks("一、主要任务\n" + item)
    assert task.owners == owners


# ---------------------------------------------------------------- brackets

BRACKETS = [
    ("1.加强校园巡查。〔责任单位：区教育局、区公安分局按职责分工负责〕", ["区教育局", "区公安分局"], []),
    ("1.加強校園巡查。〔責任單位：區教育局、區公安分局按職責分工負責〕", ["区教育局", "区公安分局"], []),
    ("1.开展隐患排查。〔牵头单位：区应急局；配合单位：区住建局、区消防救援大队〕",
     ["区应急局"], ["区住建局", "区消防救援大队"]),
    ("1.開展隱患排查。〔牽頭單位：區應急局；配合單位：區住建局、區消防救援大隊〕",
     ["区应急局"], ["区住建局", "区消防救援大队"]),
    # a person as owner
    ("1.做好宣传报道。（责任人：党群工作部部长陈晓燕）", ["陈晓燕"], []),
    ("1.做好宣傳報道。（責任人：黨群工作部部長陳曉燕）", ["陈晓燕"], []),
    # (牵头) marks the lead in a list, it is no co-owner
    ("1.整治重点场所。（责任单位：市教育局（牵头）、市卫健委）", ["市教育局", "市卫健委"], []),
]


@pytest.mark.parametrize("item,owners,co", BRACKETS)
def test_brackets(item, owners, co):
    (task,) = _tasks("一、主要任务\n" + item)
    assert (task.owners, task.co_owners) == (owners, co)


# a bracket closing a paragraph of inline items assigns every item of the paragraph
CLOSING = [
    ("一、保障措施\n一是加强领导；二是强化宣传；三是严格考核（责任单位：办公室、人事科）。",
     [("加强领导", ["办公室", "人事科"], []), ("强化宣传", ["办公室", "人事科"], []),
      ("严格考核", ["办公室", "人事科"], [])]),
    ("一、保障措施\n一是加強領導；二是強化宣傳；三是嚴格考核（責任單位：辦公室、人事科）。",
     [("加强领导", ["办公室", "人事科"], []), ("强化宣传", ["办公室", "人事科"], []),
      ("严格考核", ["办公室", "人事科"], [])]),
    ("一、工作措施\n首先是统一思想，其次是压实责任，再次是强化督导（责任人：安全环保部部长李建国）。",
     [("统一思想", ["李建国"], []), ("压实责任", ["李建国"], []), ("强化督导", ["李建国"], [])]),
    # an item that names its own keeps it
    ("一、保障措施\n一是加强领导（责任单位：党办）；二是强化宣传（责任单位：办公室）。",
     [("加强领导", ["党办"], []), ("强化宣传", ["办公室"], [])]),
]


@pytest.mark.parametrize("text,expected", CLOSING)
def test_bracket_closing_a_paragraph(text, expected):
    assert _owners(text) == expected


# section-level assignment inherited by the items below, unless an item names its own
SECTION = [
    ("一、门禁管制及校园巡查（承办单位：总务处；协办单位：学务处）\n（一）落实门禁登记。\n（二）加强夜间巡查。由教官室负责。",
     [("落实门禁登记", ["总务处"], ["学务处"]), ("加强夜间巡查", ["教官室"], [])]),
    ("一、門禁管制及校園巡查（承辦單位：總務處；協辦單位：學務處）\n（一）落實門禁登記。\n（二）加強夜間巡查。由教官室負責。",
     [("落实门禁登记", ["总务处"], ["学务处"]), ("加强夜间巡查", ["教官室"], [])]),
    ("二、本计划承办单位为学务处，协办单位为总务处。\n（一）办理防灾演练。\n（二）更新疏散图。",
     [("办理防灾演练", ["学务处"], ["总务处"]), ("更新疏散图", ["学务处"], ["总务处"])]),
    ("二、本計畫承辦單位為學務處，協辦單位為總務處。\n（一）辦理防災演練。\n（二）更新疏散圖。",
     [("办理防灾演练", ["学务处"], ["总务处"]), ("更新疏散图", ["学务处"], ["总务处"])]),
    ("一、主要任务\n（一）宣传教育工作由团委负责。\n1.开展主题团日。\n2.评选优秀团员。",
     [("开展主题团日", ["团委"], []), ("评选优秀团员", ["团委"], [])]),
]


@pytest.mark.parametrize("text,expected", SECTION)
def test_section_level_assignment_is_inherited(text, expected):
    assert _owners(text) == expected


# ---------------------------------------------------------------- lists and cells

@pytest.mark.parametrize("names,expected", [
    ("各直辖市、县（市）政府教育局", ["各直辖市、县（市）政府教育局"]),
    ("主管教育行政机关及社教馆所", ["主管教育行政机关", "社教馆所"]),
    ("各寝室长、楼层长、年级长等", ["各寝室长", "楼层长", "年级长"]),
    ("参与工作人员", ["参与工作人员"]),  # 与 inside a word is no separator
    ("区教育局、区公安分局按职责分工负责", ["区教育局", "区公安分局"]),
    ("安全环保部部长李建国、党群工作部部长陈晓燕", ["李建国", "陈晓燕"]),
])
def test_split_owners(names, expected):
    assert split_owners(names) == expected


@pytest.mark.parametrize("cell,owners,co", [
    ("本部（机关学校、民间团体）", ["本部"], ["机关学校", "民间团体"]),
    ("本部、主管教育行政机关（民间团体及各级学校）", ["本部", "主管教育行政机关"], ["民间团体", "各级学校"]),
    ("各直辖市、县（市）政府教育局", ["各直辖市、县（市）政府教育局"], []),
    ("市教育局（牵头）、市卫健委", ["市教育局", "市卫健委"], []),
    ("沈祥土", ["沈祥土"], []),
])
def test_owners_of_a_table_cell(cell, owners, co):
    assert owners_of_cell(cell) == (owners, co)


_UNITS = ["医务科", "护理部", "信息科", "总务处", "办公室", "人事科", "财务科", "工会", "团委", "质控科",
          "门诊部", "药剂科", "院办", "城管中队", "区教育局", "区公安分局"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_UNITS), min_size=1, max_size=4, unique=True),
       st.lists(st.sampled_from(_UNITS), min_size=0, max_size=3, unique=True),
       st.sampled_from(["（）", "〔〕", "【】", "()"]), st.sampled_from(["", "按职责分工负责", "等"]))
def test_bracket_property(lead, co, brackets, tail):
    co = [c for c in co if c not in lead]
    note = f"牵头单位：{'、'.join(lead)}{tail}" + (f"；配合单位：{'、'.join(co)}" if co else "")
    assert find_owners(f"开展专项检查{brackets[0]}{note}{brackets[1]}。") == (lead, co)


# ---------------------------------------------------------------- task tables in .html and .docx

HTML_TABLE = """<html><head><meta charset="utf-8"><title>x</title></head><body>
<h1>青山区校园安全专项整治实施方案</h1>
<p>一、工作任务</p>
<table border="1">
<tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>配合单位</td><td>完成时限</td></tr>
<tr><td>1</td><td>开展校园安全隐患排查。</td><td rowspan="2">区教育局</td><td>区公安分局、区消防救援大队</td><td>2026年5月31日前</td></tr>
<tr><td>2</td><td>完善校园视频监控。</td><td>各学校</td><td>2026年6月30日前</td></tr>
<tr><td>3</td><td>组织应急疏散演练。</td><td>本部（机关学校、民间团体）</td><td></td><td>2026年10月底前</td></tr>
</table>
<p>二、实施策略</p>
<table border="1">
<tr><td>实施策略</td><td>执行项目</td><td>主（协）办机关</td></tr>
<tr><td rowspan="2">(一)加强宣导</td><td>1、制作宣导短片。</td><td>本部（各级学校）</td></tr>
<tr><td>2、办理校园讲座。</td><td>主管教育行政机关及社教馆所</td></tr>
</table>
<p>三、活动安排</p>
<table border="1">
<tr><td>时间</td><td>内容</td><td>地点</td><td>负责人</td></tr>
<tr><td>6：00</td><td>消防安全知识讲座</td><td>报告厅</td><td>沈祥土</td></tr>
<tr><td>6：40</td><td>清点人数</td><td></td><td>各寝室长、楼层长等</td></tr>
</table>
</body></html>"""


def _by_title(tasks) -> dict:
    return {t.title: (t.owners, t.co_owners, (t.deadline.last_day if t.deadline else None)) for t in tasks}


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_html_task_tables(tmp_path, script):
    page = HTML_TABLE
    if script == "traditional":
        import opencc
        page = opencc.OpenCC("s2t").convert(page)
    path = tmp_path / "plan.html"
    path.write_text(page, encoding="utf-8")
    (plan,) = process_file(path).plans
    got = _by_title(plan.tasks)
    assert got == {
        "开展校园安全隐患排查": (["区教育局"], ["区公安分局", "区消防救援大队"], "2026-05-31"),
        "完善校园视频监控": (["区教育局"], ["各学校"], "2026-06-30"),  # the merged cell of the row above
        "组织应急疏散演练": (["本部"], ["机关学校", "民间团体"], "2026-10-31"),
        "制作宣导短片": (["本部"], ["各级学校"], None),
        "办理校园讲座": (["主管教育行政机关", "社教馆所"], [], None),
        "消防安全知识讲座": (["沈祥土"], [], None),
        "清点人数": (["各寝室长", "楼层长"], [], None),
    }
    for t in plan.tasks:
        assert plan.text[t.start:t.end] == t.text


def test_docx_task_table_with_a_merged_owner_cell(tmp_path):
    doc = f.new_document()
    doc.add_paragraph("青山县安全生产任务分工方案")
    doc.add_paragraph("一、重点任务")
    f.add_table(doc, [["序号", "工作任务", "责任单位", "协办单位", "完成时限"],
                      ["1", "开展危化品专项检查", "县应急局", "县公安局", "2026年4月30日前"],
                      ["2", "开展消防通道整治", "", "县消防救援大队", "2026年5月31日前"],
                      ["3", "修订应急预案", "县住建局", "", "2026年6月底前"]],
                merges=[((1, 2), (2, 2))])
    path = tmp_path / "plan.docx"
    path.write_bytes(f.docx_bytes(doc))
    (plan,) = process_file(path).plans
    assert _by_title(plan.tasks) == {
        "开展危化品专项检查": (["县应急局"], ["县公安局"], "2026-04-30"),
        "开展消防通道整治": (["县应急局"], ["县消防救援大队"], "2026-05-31"),
        "修订应急预案": (["县住建局"], [], "2026-06-30"),
    }


def test_a_timetable_without_owners_gives_no_tasks_and_its_notes_row_does(tmp_path):
    page = """<html><body><h1>青山中学新生军训方案</h1><p>一、训练内容</p><p>1.基本军事技能训练。</p>
<p>附：活动安排表</p><table border="1">
<tr><td>时间</td><td>项目</td><td>场地</td></tr>
<tr><td>8月25日</td><td>1.整齐队列 2.军语训练</td><td>操场</td></tr>
<tr><td>14:00-15:00</td><td>1.队列训练 2.内务教学</td><td>宿舍</td></tr>
<tr><td>注意</td><td colspan="2">①军训期间根据天气调整训练计划；②由各连教官组织晚点名。</td></tr>
</table></body></html>"""
    path = tmp_path / "plan.html"
    path.write_text(page, encoding="utf-8")
    (plan,) = process_file(path).plans
    assert [(t.title, t.owners) for t in plan.tasks] == [
        ("基本军事技能训练", []), ("军训期间根据天气调整训练计划", []), ("由各连教官组织晚点名", ["各连教官"])]
