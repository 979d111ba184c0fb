"""Tasks: which items are tasks (leaves, sub-items over their parent, not goal/guidance/principle/scope parts,
not rules, not phase headings, not unmarked prose), titles and paths, owners from every explicit pattern
(split into single names), co-owners, inheritance from the enclosing heading, phase numbers, deadlines and
task tables — one row per convention, in simplified and traditional script (traditional rows go through
`normalize`, which converts to simplified, as the pipeline does), plus properties of owner lists
(hypothesis). All fixtures are invented."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.dates import find_dates
from pipeline.extract.phases import find_phases
from pipeline.extract.owners import find_owners, split_owners
from pipeline.extract.tasks import find_tasks
from pipeline.model import Block
from pipeline.normalize import normalize
from pipeline.structure import build_sections

YEAR = 2024


def _norm(text: str) -> str:
    return normalize(text)[0]


def _tasks(text: str, year: int | None = YEAR, blocks: list[Block] | None = None, normalized: bool = False):
    t = text if normalized else _norm(text)
    secs = build_sections(t)
    return t, find_tasks(t, secs, find_phases(t, secs, year), find_dates(t, year), blocks)


def _titles(text: str) -> list[tuple[list[str], str]]:
    return [(x.path, x.title) for x in _tasks(text)[1]]


# ---------------------------------------------------------------- which items are tasks

# (text as written, expected [(path, title)]) in text order
SELECTION = [
    # leaves of an action section are tasks; the section heading itself is not
    ("一、主要任务\n1.开展培训。\n2.组织考核。", [(["一", "1"], "开展培训"), (["一", "2"], "组织考核")]),
    ("一、主要任務\n1.開展培訓。\n2.組織考核。", [(["一", "1"], "开展培训"), (["一", "2"], "组织考核")]),
    # an item with sub-items gives way to them; its sibling without sub-items stays a task
    ("一、主要任务\n1.开展培训：(1)理论学习；(2)实操演练。\n2.组织考核。",
     [(["一", "1", "(1)"], "理论学习"), (["一", "1", "(2)"], "实操演练"), (["一", "2"], "组织考核")]),
    ("一、主要任務\n1.開展培訓：(1)理論學習；(2)實操演練。\n2.組織考核。",
     [(["一", "1", "(1)"], "理论学习"), (["一", "1", "(2)"], "实操演练"), (["一", "2"], "组织考核")]),
    ("一、主要任务\n（一）加强学习\n①读原著\n②写心得\n（二）强化督导",
     [(["一", "（一）", "①"], "读原著"), (["一", "（一）", "②"], "写心得"), (["一", "（二）"], "强化督导")]),
    ("一、主要任務\n（一）加強學習\n①讀原著\n②寫心得\n（二）強化督導",
     [(["一", "（一）", "①"], "读原著"), (["一", "（一）", "②"], "写心得"), (["一", "（二）"], "强化督导")]),
    # 一是/二是 items in a safeguards section
    ("一、保障措施\n一是加强领导；二是强化宣传。", [(["一", "一是"], "加强领导"), (["一", "二是"], "强化宣传")]),
    ("一、保障措施\n一是加強領導；二是強化宣傳。", [(["一", "一是"], "加强领导"), (["一", "二是"], "强化宣传")]),
    # 首先/其次 items
    ("一、工作措施\n首先是统一思想。\n其次是压实责任。", [(["一", "首先是"], "统一思想"), (["一", "其次是"], "压实责任")]),
    ("一、工作措施\n首先是統一思想。\n其次是壓實責任。", [(["一", "首先是"], "统一思想"), (["一", "其次是"], "压实责任")]),
    # numbered items of a 工作要求 section are tasks (tests/gold/README.md)
    ("一、工作要求\n1.加强组织协调。\n2.注重活动实效。",
     [(["一", "1"], "加强组织协调"), (["一", "2"], "注重活动实效")]),
    # guidance, principles and goal items are not tasks
    (("一、指导思想\n1.坚持以人为本。\n二、基本原则\n1.坚持问题导向。\n三、工作目标\n1.满意率达到95%以上。\n"
      "四、主要任务\n1.优化服务流程。"), [(["四", "1"], "优化服务流程")]),
    (("一、指導思想\n1.堅持以人為本。\n二、基本原則\n1.堅持問題導向。\n三、工作目標\n1.滿意率達到95%以上。\n"
      "四、主要任務\n1.優化服務流程。"), [(["四", "1"], "优化服务流程")]),
    # goal and guidance parts nested under 总体要求, and a goal part nested under the tasks
    (("一、总体要求\n（一）指导思想\n坚持问题导向。\n（二）工作目标\n1.群众满意度明显提升。\n二、主要任务\n"
      "（一）工作目标\n1.窗口服务全覆盖。\n（二）推行预约诊疗"), [(["二", "（二）"], "推行预约诊疗")]),
    (("一、總體要求\n（一）指導思想\n堅持問題導向。\n（二）工作目標\n1.群眾滿意度明顯提升。\n二、主要任務\n"
      "（一）工作目標\n1.窗口服務全覆蓋。\n（二）推行預約診療"), [(["二", "（二）"], "推行预约诊疗")]),
    # scope parts (活动范围, 参加对象) are not tasks
    ("一、活动范围\n1.全院在职职工。\n2.退休人员。\n二、活动内容\n1.开展读书分享。",
     [(["二", "1"], "开展读书分享")]),
    ("一、活動範圍\n1.全院在職職工。\n2.退休人員。\n二、活動內容\n1.開展讀書分享。",
     [(["二", "1"], "开展读书分享")]),
    # the items of an organization part (办理单位: 主办单位/协办单位) are not tasks (tests/gold/README.md)
    pytest.param("一、办理单位\n1.主办单位：教务处。\n2.协办单位：学务处、辅导室。\n二、实施内容\n1.办理筛选测验。",
                 [(["二", "1"], "办理筛选测验")]),
    pytest.param("一、辦理單位\n1.主辦單位：教務處。\n2.協辦單位：學務處、輔導室。\n二、實施內容\n1.辦理篩選測驗。",
                 [(["二", "1"], "办理筛选测验")]),
    # items that are rules, and items named after a group, are not tasks
    (("一、保障措施\n1.对工作不力的，扣绩效200元。\n2.凡未按时完成的，予以通报。\n3.本方案自印发之日起施行。\n"
      "4.全院职工必须按时参加培训。\n5.无故缺席者，取消评优资格。\n6.领导小组\n7.强化经费保障。"),
     [(["一", "7"], "强化经费保障")]),
    (("一、保障措施\n1.對工作不力的，扣績效200元。\n2.凡未按時完成的，予以通報。\n3.本方案自印發之日起施行。\n"
      "4.全院職工必須按時參加培訓。\n5.無故缺席者，取消評優資格。\n6.領導小組\n7.強化經費保障。"),
     [(["一", "7"], "强化经费保障")]),
    # part headings alone on their line over prose are not tasks, at any marker (一、 or 1. at the top)
    ("一、方案缘起\n为推动人权教育，特订定本方案。\n二、实施内容\n（一）办理研习。", [(["二", "（一）"], "办理研习")]),
    ("一、方案緣起\n為推動人權教育，特訂定本方案。\n二、實施內容\n（一）辦理研習。", [(["二", "（一）"], "办理研习")]),
    ("3. 服务对象\n居于本区的长者。\n4. 计划内容\n4.1 开设入门班。", [(["4", "4.1"], "开设入门班")]),
    ("3. 服務對象\n居於本區的長者。\n4. 計劃內容\n4.1 開設入門班。", [(["4", "4.1"], "开设入门班")]),
    # eligibility, classes and awards are no tasks (推荐条件, 预警分级, 各项先进设奖)
    ("一、推荐条件\n（一）成绩卓著者。\n二、实施内容\n（一）办理研习。", [(["二", "（一）"], "办理研习")]),
    ("一、預警分級\n1.藍色預警\n2.黃色預警\n二、應急響應\n1.發布通知。", [(["二", "1"], "发布通知")]),
    ("一、各项先进设奖\n1.军训积极分子\n2.军训标兵\n二、训练内容\n1.队列训练。", [(["二", "1"], "队列训练")]),
    # a contingency part's items that name a case are no tasks; its response steps are, and so are the items of
    # any other part that read like a case
    (("三、应急预案\n1.考生体温异常。经专用通道进入隔离考场。\n2.居家健康观察学生\n"
      "3.发现学生发热，立即报告卫生室。\n4.出现以下几种情形\n四、工作内容\n1.排查体温异常学生。"),
     [(["三", "3"], "发现学生发热，立即报告卫生室"), (["四", "1"], "排查体温异常学生")]),
    (("三、應急處置\n1.員工體溫異常。經專用通道離開。\n2.居家健康觀察人員\n"
      "3.發現員工發熱，立即報告醫務室。\n4.對隔離區域進行消殺。"),
     [(["三", "3"], "发现员工发热，立即报告医务室"), (["三", "4"], "对隔离区域进行消杀")]),
    # an item introducing a list of things (如下：, 依下列规定…：) is the task, the things its particulars; a list of
    # actions stays the tasks
    (("一、评选方式\n1.各县教育局依下列规定推荐学校：\n(1)国民中学：推荐一校。\n(2)国民小学：推荐二校。\n"
      "2.应缴交之资料如下：\n(1)书面资料一式十份\n(2)资料光碟一份\n3.组织复审。"),
     [(["一", "1"], "各县教育局依下列规定推荐学校"), (["一", "2"], "应缴交之资料如下"), (["一", "3"], "组织复审")]),
    (("一、評選方式\n1.各縣教育局依下列規定推薦學校：\n(1)國民中學：推薦一校。\n(2)國民小學：推薦二校。\n"
      "2.工作要求如下：\n(1)加強組織領導。\n(2)落實工作責任。"),
     [(["一", "1"], "各县教育局依下列规定推荐学校"), (["一", "2", "(1)"], "加强组织领导"),
      (["一", "2", "(2)"], "落实工作责任")]),
    # remarks and annexes hold no tasks
    ("一、活动安排\n1.开展队列训练。\n备注：①教官休息室在体育馆；②教官在食堂用餐。", [(["一", "1"], "开展队列训练")]),
    ("一、工作任务\n1.开展评选。\n附件一\n评选规准表\n1.行政与管理\n2.课程与教学", [(["一", "1"], "开展评选")]),
    # unmarked paragraphs are not tasks
    ("一、活动内容\n开展读书活动，评选优秀读者。\n二、工作要求\n各科室要高度重视。", []),
    ("一、活動內容\n開展讀書活動，評選優秀讀者。\n二、工作要求\n各科室要高度重視。", []),
    # phase headings are not tasks; their numbered steps are; phase prose gives none
    (("一、实施步骤\n（一）动员部署阶段（3月1日至3月10日）\n1.召开动员会。\n2.制定工作台账。\n"
      "（二）总结验收阶段（12月）\n开展验收评比。"),
     [(["一", "（一）", "1"], "召开动员会"), (["一", "（一）", "2"], "制定工作台账")]),
    (("一、實施步驟\n（一）動員部署階段（3月1日至3月10日）\n1.召開動員會。\n2.制定工作檯賬。\n"
      "（二）總結驗收階段（12月）\n開展驗收評比。"),
     [(["一", "（一）", "1"], "召开动员会"), (["一", "（一）", "2"], "制定工作台账")]),
]


@pytest.mark.parametrize("text,expected", SELECTION)
def test_which_items_are_tasks(text, expected):
    assert _titles(text) == expected


# ---------------------------------------------------------------- titles

# (item as written, title): the lead phrase up to the first 。/：/;, marker removed
TITLES = [
    ("1.开展专项检查：对全院病历进行抽查。", "开展专项检查"),
    ("1.開展專項檢查：對全院病歷進行抽查。", "开展专项检查"),
    ("1.加强督导；每月通报一次。", "加强督导"),
    ("1.加強督導；每月通報一次。", "加强督导"),
    ("1.加强督导;每月通报一次。", "加强督导"),
    ("1.强化培训。每季度开展一次。", "强化培训"),
    ("1.強化培訓。每季度開展一次。", "强化培训"),
    ("1.加强组织领导\n成立工作专班。", "加强组织领导"),
    ("1.加強組織領導\n成立工作專班。", "加强组织领导"),
    ("1、完善台账，做到一户一档。", "完善台账，做到一户一档"),
    pytest.param("1.优化门诊流程（责任科室：医务科、监审科）。推行预约诊疗。", "优化门诊流程"),
    pytest.param("1.開展專項檢查（牽頭單位：醫務科；配合單位：護理部）。", "开展专项检查"),
]


@pytest.mark.parametrize("item,title", TITLES)
def test_title_is_the_lead_phrase(item, title):
    t, (task,) = _tasks("一、主要任务\n" + item)
    assert task.title == title
    assert task.text == t[task.start:task.end]
    assert t[task.start:task.end].find(task.title) >= 0


# comma-ended 一是/首先是 items: the title belongs to the item, never to the next one
COMMA_ITEMS = [
    pytest.param("一、保障措施\n一是加强领导，二是强化宣传。", ["加强领导", "强化宣传"]),
    pytest.param("一、保障措施\n一是加強領導，二是強化宣傳。", ["加强领导", "强化宣传"]),
    pytest.param("一、工作措施\n首先是统一思想，其次是压实责任。", ["统一思想", "压实责任"]),
]


@pytest.mark.parametrize("text,titles", COMMA_ITEMS)
def test_title_of_a_comma_ended_item(text, titles):
    _, tasks = _tasks(text)
    assert [x.title for x in tasks] == titles
    assert all(x.title in x.text for x in tasks)


# ---------------------------------------------------------------- owners

# (item as written, owners, co_owners)
OWNERS = [
    # （责任科室：…）, split into single names
    ("1.优化门诊流程。推行预约诊疗（责任科室：医务科、监审科）。", ["医务科", "监审科"], []),
    ("1.優化門診流程。推行預約診療（責任科室：醫務科、監審科）。", ["医务科", "监审科"], []),
    # （牵头单位：…；配合单位：…）
    ("1.开展专项检查。全面排查隐患（牵头单位：总务科；配合单位：保卫科、后勤科）。", ["总务科"], ["保卫科", "后勤科"]),
    ("1.開展專項檢查。全面排查隱患（牽頭單位：總務科；配合單位：保衛科、後勤科）。", ["总务科"], ["保卫科", "后勤科"]),
    # labels outside brackets
    ("1.完善台账。责任单位：各社区。", ["各社区"], []),
    ("1.完善檯賬。責任單位：各社區。", ["各社区"], []),
    ("1.组织应急演练。牵头单位：保卫科；配合单位：各车间。", ["保卫科"], ["各车间"]),
    ("1.組織應急演練。牽頭單位：保衛科；配合單位：各車間。", ["保卫科"], ["各车间"]),
    # 协办
    ("1.做好宣传报道。协办：工会、团委。", [], ["工会", "团委"]),
    ("1.做好宣傳報道。協辦：工會、團委。", [], ["工会", "团委"]),
    # 由…负责 / 由…牵头 / 由…举办
    ("1.开展专项检查。由医务科、监审科负责。", ["医务科", "监审科"], []),
    ("1.開展專項檢查。由醫務科、監審科負責。", ["医务科", "监审科"], []),
    ("1.开展技能比武。由人事科牵头，各科室参加。", ["人事科"], []),
    ("1.開展技能比武。由人事科牽頭，各科室參加。", ["人事科"], []),
    ("1.举办义诊活动。由团委举办。", ["团委"], []),
    # …是第一责任人, X牵头, X负总责
    ("1.压实工作责任。各社区党组织书记是第一责任人。", ["各社区党组织书记"], []),
    ("1.壓實工作責任。各社區黨組織書記是第一責任人。", ["各社区党组织书记"], []),
    ("1.组织技能竞赛。工会牵头组织。", ["工会"], []),
    ("1.組織技能競賽。工會牽頭組織。", ["工会"], []),
    ("1.落实整改。院长负总责。", ["院长"], []),
    # collective owners stay as written
    ("1.落实消杀。（责任单位：全院各科室）", ["全院各科室"], []),
    # sentence subjects are not owners
    ("1.加强值守。各科室要安排专人值班。", [], []),
    ("1.加強值守。各科室要安排專人值班。", [], []),
    ("1.督查通报。信息科要每月通报。", [], []),
    # 由X牵头，Y配合 / 由X负责、Y配合: Y is a co-owner (tests/gold/README.md, the street and company gold)
    pytest.param("1.整治重点场所。由城建办牵头，市场监管所、城管中队配合。", ["城建办"], ["市场监管所", "城管中队"]),
    pytest.param("1.整治重點場所。由城建辦牽頭，市場監管所、城管中隊配合。", ["城建办"], ["市场监管所", "城管中队"]),
    pytest.param("1.开展质量宣传。由文化部负责、各车间配合。", ["文化部"], ["各车间"]),
    # a unit whose name holds 及 after a name-like word stays whole (Hong Kong 康樂及文化事務署)
    ("1.設立數碼支援站。（負責部門：康樂及文化事務署）", ["康乐及文化事务署"], []),
]


@pytest.mark.parametrize("item,owners,co_owners", OWNERS)
def test_owners(item, owners, co_owners):
    _, (task,) = _tasks("一、主要任务\n" + item)
    assert (task.owners, task.co_owners) == (owners, co_owners)


# owners stated on the heading line of the enclosing section are inherited, with its co-owners
INHERITED = [
    ("一、主要任务\n（一）优化服务（牵头科室：门诊部；配合科室：总务科）\n1.更新标识。\n2.改善候诊条件。",
     [("更新标识", ["门诊部"], ["总务科"]), ("改善候诊条件", ["门诊部"], ["总务科"])]),
    ("一、主要任務\n（一）優化服務（牽頭科室：門診部；配合科室：總務科）\n1.更新標識。\n2.改善候診條件。",
     [("更新标识", ["门诊部"], ["总务科"]), ("改善候诊条件", ["门诊部"], ["总务科"])]),
    ("一、主要任务\n（一）优化服务（由院办牵头）\n1.更新标识。\n2.改善候诊条件。",
     [("更新标识", ["院办"], []), ("改善候诊条件", ["院办"], [])]),
    ("一、主要任務\n（一）優化服務（由院辦牽頭）\n1.更新標識。\n2.改善候診條件。",
     [("更新标识", ["院办"], []), ("改善候诊条件", ["院办"], [])]),
    # an item's own owner wins over the inherited one
    ("一、主要任务\n（一）优化服务（责任科室：门诊部）\n1.更新标识。由信息科负责。\n2.改善候诊条件。",
     [("更新标识", ["信息科"], []), ("改善候诊条件", ["门诊部"], [])]),
    ("一、主要任務\n（一）優化服務（責任科室：門診部）\n1.更新標識。由總務科負責。\n2.改善候診條件。",
     [("更新标识", ["总务科"], []), ("改善候诊条件", ["门诊部"], [])]),
    # nothing to inherit across sibling sections
    ("一、主要任务\n（一）优化服务（责任科室：门诊部）\n1.更新标识。\n（二）改善环境\n1.增设座椅。",
     [("更新标识", ["门诊部"], []), ("增设座椅", [], [])]),
]


# a bracket closing a paragraph of inline items assigns every item, labelled or `X牵头，Y配合` (DATASET.md)
CLOSING = [
    "一、主要任务\n（一）完善课程。一是开设必修课；二是开设选修课；三是编写教材。（教务处牵头，研究生院配合）",
    "一、主要任務\n（一）完善課程。一是開設必修課；二是開設選修課；三是編寫教材。（教務處牽頭，研究生院配合）",
    "一、主要任务\n（一）完善课程。一是开设必修课；二是开设选修课；三是编写教材。（牵头单位：教务处；配合单位：研究生院）",
]


@pytest.mark.parametrize("text", CLOSING)
def test_a_bracket_closing_a_paragraph_assigns_each_of_its_items(text):
    _, tasks = _tasks(text)
    assert [(x.title, x.owners, x.co_owners) for x in tasks] == [
        ("开设必修课", ["教务处"], ["研究生院"]), ("开设选修课", ["教务处"], ["研究生院"]),
        ("编写教材", ["教务处"], ["研究生院"])]


@pytest.mark.parametrize("text,expected", INHERITED)
def test_owners_inherited_from_the_section_heading(text, expected):
    _, tasks = _tasks(text)
    assert [(x.title, x.owners, x.co_owners) for x in tasks] == expected


SPLIT = [
    ("医务科、监审科", ["医务科", "监审科"]),
    ("医务科、监审科等", ["医务科", "监审科"]),
    ("医务科和护理部", ["医务科", "护理部"]),
    ("医务科，护理部及药剂科", ["医务科", "护理部", "药剂科"]),
    ("由医务科", ["医务科"]),
    ("医务科、医务科", ["医务科"]),
    ("张明和李华", ["张明", "李华"]),              # people joined by 和: two owners
    ("劳工及福利局", ["劳工及福利局"]),            # one unit (劳工 is no unit)
    ("康乐及文化事务署", ["康乐及文化事务署"]),    # 康乐 reads as a name, but a name and a unit are not alike
]


@pytest.mark.parametrize("names,expected", SPLIT)
def test_split_owners(names, expected):
    assert split_owners(names) == expected


_UNITS = ["医务科", "护理部", "信息科", "总务处", "办公室", "人事科", "财务科", "工会", "团委", "质控科", "保卫科",
          "门诊部", "药剂科", "院办", "城管中队"]
_SEPS = ["、", "，", ",", "/"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_UNITS), min_size=1, max_size=5, unique=True), st.sampled_from(_SEPS))
def test_split_owners_property(names, sep):
    assert split_owners(sep.join(names)) == names


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_UNITS), min_size=1, max_size=4, unique=True),
       st.lists(st.sampled_from(_UNITS), min_size=0, max_size=3, unique=True),
       st.sampled_from(["责任科室", "牵头单位", "责任单位", "牵头部门"]))
def test_find_owners_property(lead, co, label):
    co = [c for c in co if c not in lead]
    note = f"{label}：{'、'.join(lead)}" + (f"；配合单位：{'、'.join(co)}" if co else "")
    assert find_owners(f"开展专项检查（{note}）。") == (lead, co)


# ---------------------------------------------------------------- phases and deadlines

PHASES = [
    (("一、实施步骤\n（一）动员部署阶段（3月）\n1.召开动员会。\n（二）集中整治阶段（4月至9月）\n1.开展集中清理。\n"
      "2.实施交叉检查。\n二、保障措施\n1.加强领导。"),
     [("召开动员会", 1), ("开展集中清理", 2), ("实施交叉检查", 2), ("加强领导", None)]),
    (("一、實施步驟\n（一）動員部署階段（3月）\n1.召開動員會。\n（二）集中整治階段（4月至9月）\n1.開展集中清理。\n"
      "2.實施交叉檢查。\n二、保障措施\n1.加強領導。"),
     [("召开动员会", 1), ("开展集中清理", 2), ("实施交叉检查", 2), ("加强领导", None)]),
    # steps without 阶段 under a steps heading are phases too
    ("一、方法步骤\n（一）自查自纠\n1.对照清单自查。\n（二）督查考核\n1.开展交叉检查。",
     [("对照清单自查", 1), ("开展交叉检查", 2)]),
    ("一、方法步驟\n（一）自查自糾\n1.對照清單自查。\n（二）督查考核\n1.開展交叉檢查。",
     [("对照清单自查", 1), ("开展交叉检查", 2)]),
]


@pytest.mark.parametrize("text,expected", PHASES)
def test_tasks_under_phases_carry_the_phase_order(text, expected):
    _, tasks = _tasks(text)
    assert [(x.title, x.phase) for x in tasks] == expected


# (item as written, the deadline's value or None): only a `deadline` date inside the item sets it
DEADLINES = [
    ("1.完成隐患整改，6月底前完成。", "2024-06-30"),
    ("1.完成隱患整改，6月底前完成。", "2024-06-30"),
    ("1.报送总结，于2023年11月30日前报送。", "2023-11-30"),
    ("1.報送總結，於2023年11月30日前報送。", "2023-11-30"),
    ("1.全面完成整改，年底前验收。", "2024-12-31"),
    ("1.全面完成整改，年底前驗收。", "2024-12-31"),
    ("1.完成整改，截至2024年6月30日。", "2024-06-30"),
    ("1.全部完成整改，到2025年底验收。", "2025-12-31"),
    ("1.全部完成整改，到2025年底驗收。", "2025-12-31"),
    pytest.param("1.完成整改（完成时限：2024年6月30日）。", "2024-06-30"),
    pytest.param("1.完成整改（完成時限：2024年6月30日）。", "2024-06-30"),
    ("1.开展自查，4月上旬完成。", None),
    ("1.開展自查，4月上旬完成。", None),
    ("1.健全长效机制，下半年完成。", None),
]


@pytest.mark.parametrize("item,value", DEADLINES)
def test_deadline(item, value):
    _, (task,) = _tasks("一、主要任务\n" + item)
    assert (task.deadline.value if task.deadline else None) == value


def test_deadline_of_another_item_is_not_taken():
    _, tasks = _tasks("一、主要任务\n1.完成整改，6月底前完成。\n2.开展回头看。")
    assert [x.deadline.value if x.deadline else None for x in tasks] == ["2024-06-30", None]


def test_task_fields_are_grounded_and_numbered():
    t, tasks = _tasks("一、主要任务\n（一）优化服务（责任科室：门诊部）\n1.更新标识。\n2.改善候诊条件。\n"
                      "（二）改善环境。增设座椅。\n二、保障措施\n一是加强领导；二是强化宣传。")
    assert [x.id for x in tasks] == ["t1", "t2", "t3", "t4", "t5"]
    assert [x.section for x in tasks] == ["s3", "s4", "s5", "s7", "s8"]
    for x in tasks:
        assert t[x.start:x.end] == x.text
        assert x.title in x.text
    assert [x.start for x in tasks] == sorted(x.start for x in tasks)


# ---------------------------------------------------------------- task tables

def _table(lead: str, rows: list[list[str]], table: int = 0) -> tuple[str, list[Block]]:
    """`lead` line, then one tab-joined line per row, with a table_row Block carrying each cell's span."""
    text = lead
    blocks = [Block(0, len(lead), "paragraph")]
    for row in rows:
        text += "\n"
        start, cells = len(text), []
        for i, cell in enumerate(row):
            if i:
                text += "\t"
            cells.append((len(text), len(text) + len(cell)))
            text += cell
        blocks.append(Block(start, len(text), "table_row", table=table, cells=cells))
    return text, blocks


TABLES = [
    ("四、任务分工",
     [["工作任务", "牵头单位", "配合单位", "完成时限"],
      ["开展安全检查", "安监办", "各车间、工会", "2024年5月31日前"],
      ["组织应急演练", "保卫科", "", "6月底前"],
      ["修订管理制度。按要求报送", "办公室", "人事科", ""]]),
    ("四、任務分工",
     [["工作任務", "牽頭單位", "配合單位", "完成時限"],
      ["開展安全檢查", "安監辦", "各車間、工會", "2024年5月31日前"],
      ["組織應急演練", "保衛科", "", "6月底前"],
      ["修訂管理制度。按要求報送", "辦公室", "人事科", ""]]),
]


@pytest.mark.parametrize("lead,rows", TABLES)
def test_task_table_gives_one_task_per_row(lead, rows):
    # cells keep their lengths through normalization, so spans are computed on the converted cells
    rows = [[_norm(c) if c else c for c in row] for row in rows]
    text, blocks = _table(_norm(lead), rows)
    _, tasks = _tasks(text, blocks=blocks, normalized=True)
    got = [(x.path, x.title, x.owners, x.co_owners, (x.deadline.value if x.deadline else None)) for x in tasks]
    assert got == [
        (["table1", "1"], "开展安全检查", ["安监办"], ["各车间", "工会"], "2024-05-31"),
        (["table1", "2"], "组织应急演练", ["保卫科"], [], "2024-06-30"),
        (["table1", "3"], "修订管理制度", ["办公室"], ["人事科"], None),
    ]
    for x, b in zip(tasks, blocks[2:]):
        assert (x.start, x.end) == (b.start, b.end) and x.text == text[b.start:b.end]
        assert x.section is None


@pytest.mark.parametrize("header", [["重点任务", "牵头单位", "责任单位", "完成时限"],
                                    ["重點任務", "牽頭單位", "責任單位", "完成時限"]])
def test_every_owner_column_of_a_task_table_gives_owners(header):
    """牵头单位 and 责任单位 both name owners (DATASET.md: task-table columns), the lead column's first."""
    rows = [[_norm(c) for c in header], ["推行一网通办", "区市场监管局", "区政务服务中心、区税务局", "6月底前"]]
    text, blocks = _table("附件", rows)
    _, (task,) = _tasks(text, blocks=blocks, normalized=True)
    assert (task.owners, task.co_owners) == (["区市场监管局", "区政务服务中心", "区税务局"], [])


def test_table_without_a_lead_column_gives_no_tasks():
    text, blocks = _table("附件：人员名单", [["姓名", "科室", "联系电话"], ["张三", "医务科", "123"]])
    assert _tasks(text, blocks=blocks, normalized=True)[1] == []


def test_table_tasks_merge_with_item_tasks_in_text_order():
    text, blocks = _table("一、主要任务\n1.开展培训。", [["工作任务", "责任单位"], ["组织考核", "人事科"]])
    _, tasks = _tasks(text, blocks=blocks, normalized=True)
    assert [(x.id, x.title, x.owners) for x in tasks] == [("t1", "开展培训", []), ("t2", "组织考核", ["人事科"])]
