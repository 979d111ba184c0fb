"""A small `plans.jsonl` written for the tests, with every field filled: two near-identical plans (A, B), a
hostile one (C: `<script>`, formula-like cells, year-less and inconsistent phases) and a long one (D: longer than
an XLSX cell). The texts are written for these tests; every item is grounded (`text[start:end] == item text`)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.emit.jsonl import dict_line
from pipeline.model import to_dict
from pipeline.model import SCHEMA, Amount, DateItem, Deadline, Person, Phase, Plan, Rule, Section, Source, Task

A_TEXT = """某市第一人民医院2021年安全生产专项整治实施方案
为深入贯彻落实安全生产责任制，切实消除各类安全隐患，结合我院实际，特制定本方案。
一、工作目标
通过专项整治，全面排查医院消防、用电、危化品等领域的安全隐患，建立长效管理机制，确保全年不发生较大安全事故。
二、主要任务
（一）开展消防安全大排查。对病房楼、门诊楼、食堂等重点部位逐一检查，建立隐患台账，限期整改到位。（责任科室：保卫科；配合科室：后勤管理科）
（二）加强用电安全管理。严禁在病房内私拉乱接电线，严禁使用大功率电器，3月底前完成全院线路检测。（责任科室：后勤管理科）
（三）规范危险化学品管理。建立危化品领用登记制度，实行双人双锁管理。（责任科室：药剂科、检验科）
三、实施步骤
（一）动员部署阶段（2021年3月1日至3月15日）。召开专题会议，制定整治方案，明确责任分工。
（二）排查整改阶段（2021年3月16日至6月30日）。各科室全面开展自查自纠，对发现的问题立即整改。
（三）总结验收阶段（2021年7月）。组织验收小组对整治情况进行检查验收，总结经验做法。
四、组织领导
成立安全生产专项整治领导小组，组长：王建国（院长），副组长：李红梅，成员：各科室主任。
五、工作要求
各科室必须高度重视，主要负责人为第一责任人。对工作不力、整改不到位的科室，扣罚科室绩效500元至1000元，并全院通报批评。对表现突出的个人给予表彰奖励。
某市第一人民医院
2021年2月26日"""

# B reuses A almost word for word: another hospital, another year, one task rewritten.
B_TEXT = (A_TEXT.replace("某市第一人民医院", "某县中医院").replace("2021年", "2022年")
          .replace("（三）规范危险化学品管理。建立危化品领用登记制度，实行双人双锁管理。（责任科室：药剂科、检验科）",
                   "（三）强化食品安全监管。食堂每日留样，每周开展一次卫生检查。（责任科室：总务科）")
          .replace("2021年2月26日", "2022年3月2日"))

SCRIPT = "<script>alert(1)</script>"
FORMULA_OWNER = '=HYPERLINK("http://example.invalid","点击")'
C_TEXT = f"""{SCRIPT}社区健康教育活动方案
为提高居民健康素养，开展系列健康教育活动，现制定如下方案。
一、活动内容
1.举办健康讲座。每月举办一次健康知识讲座，由{FORMULA_OWNER}负责。
2.发放宣传资料。在社区服务站摆放宣传资料。（牵头单位：@SUM(1+1)）
二、时间安排
第一阶段（3月1日至3月31日）：宣传发动。
第二阶段（5月1日至4月10日）：集中开展。
三、工作纪律
不得借活动名义收取任何费用。"""

D_HEAD = "=1+1 校园读书月活动计划\n"
D_LINE = "第{n}条：各班级每周组织读书分享会第{n}次，推荐优秀书目，交流阅读心得，营造书香校园氛围。\n"
D_TEXT = D_HEAD + "".join(D_LINE.format(n=n) for n in range(1, 800))


def at(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    i = text.index(needle, after)
    return i, i + len(needle)


def _source(name: str, text: str) -> Source:
    return Source(path=f"fixtures/{name}.txt", part=1, parts=1, span=[0, len(text)], format="txt",
                  encoding="utf-8", sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


def _plan(name: str, text: str, **kw) -> Plan:
    base = dict(schema=SCHEMA, plan_id="p-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12],
                source=_source(name, text), script="simplified", title=None, doc_number=None, issuer=None,
                issue_date=None, year=None, duplicate_of=None, text=text, original_text=text)
    base.update(kw)
    return Plan(**base)


def _sections(text: str, headings: list[tuple[str, str]]) -> list[Section]:
    starts = [at(text, h)[0] for h, _ in headings]
    out = []
    for k, ((heading, kind), s) in enumerate(zip(headings, starts)):
        e = starts[k + 1] - 1 if k + 1 < len(starts) else len(text)
        out.append(Section(id=f"s{k + 1}", parent=None, level=1, marker=heading[:2], heading=heading[2:],
                           kind=kind, start=s, end=e, src_start=s, src_end=e))
    return out


def _line(text: str, lead: str) -> tuple[int, int]:
    s = text.index(lead)
    e = text.find("\n", s)
    return s, (len(text) if e < 0 else e)


def _hospital_plan(name: str, text: str, year: int, **kw) -> Plan:
    p = _plan(name, text, title=text.split("\n", 1)[0], year=year, issue_date=None, **kw)
    p.sections = _sections(text, [("一、工作目标", "goals"), ("二、主要任务", "tasks"), ("三、实施步骤", "steps"),
                                  ("四、组织领导", "organization"), ("五、工作要求", "requirements")])
    tasks = []
    for k, (lead, owners, co) in enumerate([("（一）开展消防安全大排查", ["保卫科"], ["后勤管理科"]),
                                            ("（二）加强用电安全管理", ["后勤管理科"], []),
                                            ("（三）", None, [])]):
        s, e = _line(text, lead)
        item = text[s:e]
        if owners is None:  # the third task differs between A and B
            owners = ["药剂科", "检验科"] if "药剂科" in item else ["总务科"]
        deadline = None
        if "3月底前" in item:
            deadline = Deadline(text="3月底前", value=f"{year}-03-31", last_day=f"{year}-03-31")
        tasks.append(Task(id=f"t{k + 1}", section="s2", path=["二", lead[:3]], title=item[3:item.index("。")],
                          text=item, owners=owners, co_owners=co, phase=None, deadline=deadline, start=s, end=e,
                          src_start=s, src_end=e))
    p.tasks = tasks
    phases = []
    for order, (lead, first, last) in enumerate([
            ("（一）动员部署阶段", f"{year}-03-01", f"{year}-03-15"),
            ("（二）排查整改阶段", f"{year}-03-16", f"{year}-06-30"),
            ("（三）总结验收阶段", f"{year}-07-01", f"{year}-07-31")], 1):
        s, e = at(text, lead)
        ts, te = at(text, "（", e)
        close = text.index("）", ts)
        phases.append(Phase(order=order, name=lead[3:], time_text=text[ts + 1:close], first_day=first,
                            last_day=last, inconsistent=False, start=s, end=close + 1, section=None,
                            src_start=s, src_end=close + 1))
    p.phases = phases
    d1 = at(text, f"{year}年3月1日至3月15日")
    d2 = at(text, "3月底前")
    d3 = at(text, f"{year}年7月")
    p.dates = [
        DateItem(text=text[d1[0]:d1[1]], kind="range", value=f"{year}-03-01/{year}-03-15",
                 first_day=f"{year}-03-01", last_day=f"{year}-03-15", year_inferred=False, start=d1[0], end=d1[1]),
        DateItem(text="3月底前", kind="deadline", value=f"{year}-03-31", first_day=None, last_day=f"{year}-03-31",
                 year_inferred=True, start=d2[0], end=d2[1]),
        DateItem(text=text[d3[0]:d3[1]], kind="date", value=f"{year}-07", first_day=f"{year}-07-01",
                 last_day=f"{year}-07-31", year_inferred=False, start=d3[0], end=d3[1]),
    ]
    n1, n2 = at(text, "王建国"), at(text, "李红梅")
    p.people = [Person(name="王建国", role="组长", group="领导小组", title="院长", start=n1[0], end=n1[1]),
                Person(name="李红梅", role="副组长", group="领导小组", title=None, start=n2[0], end=n2[1])]
    r1 = at(text, "严禁在病房内私拉乱接电线，严禁使用大功率电器，3月底前完成全院线路检测。")
    r2 = at(text, "对工作不力、整改不到位的科室，扣罚科室绩效500元至1000元，并全院通报批评。")
    r3 = at(text, "对表现突出的个人给予表彰奖励。")
    r4 = at(text, "各科室必须高度重视，主要负责人为第一责任人。")
    p.rules = [
        Rule(text=text[r1[0]:r1[1]], modality="prohibition", condition=None, consequence=None, amounts=[],
             subject=None, start=r1[0], end=r1[1]),
        Rule(text=text[r2[0]:r2[1]], modality="sanction", condition="对工作不力、整改不到位的科室",
             consequence="扣罚科室绩效500元至1000元，并全院通报批评", amounts=[Amount(value=500, upto=1000, unit="元")],
             subject="科室", start=r2[0], end=r2[1]),
        Rule(text=text[r3[0]:r3[1]], modality="reward", condition=None, consequence="给予表彰奖励", amounts=[],
             subject="个人", start=r3[0], end=r3[1]),
        Rule(text=text[r4[0]:r4[1]], modality="obligation", condition=None, consequence=None, amounts=[],
             subject="各科室", start=r4[0], end=r4[1]),
    ]
    return p


def _hostile_plan() -> Plan:
    t = C_TEXT
    p = _plan("c", t, title=t.split("\n", 1)[0], issuer="-2+3", doc_number="+1 社字〔2021〕1号", script="mixed")
    p.sections = _sections(t, [("一、活动内容", "tasks"), ("二、时间安排", "steps"), ("三、工作纪律", "requirements")])
    s1, e1 = _line(t, "1.举办健康讲座")
    s2, e2 = _line(t, "2.发放宣传资料")
    p.tasks = [Task(id="t1", section="s1", path=["一", "1"], title="举办健康讲座", text=t[s1:e1],
                    owners=[FORMULA_OWNER], co_owners=["\t制表符单位"], phase=1, deadline=None, start=s1, end=e1),
               Task(id="t2", section="s1", path=["一", "2"], title="发放宣传资料", text=t[s2:e2],
                    owners=["@SUM(1+1)"], co_owners=[], phase=2, deadline=None, start=s2, end=e2)]
    ph1, ph2 = _line(t, "第一阶段"), _line(t, "第二阶段")
    p.phases = [Phase(order=1, name="宣传发动", time_text="3月1日至3月31日", first_day="XXXX-03-01",
                      last_day="XXXX-03-31", inconsistent=False, start=ph1[0], end=ph1[1]),
                Phase(order=2, name="集中开展", time_text="5月1日至4月10日", first_day="XXXX-05-01",
                      last_day="XXXX-04-10", inconsistent=True, start=ph2[0], end=ph2[1])]
    d1, d2 = at(t, "每月"), at(t, "3月1日至3月31日")
    p.dates = [DateItem(text="每月", kind="set", value="P1M", first_day=None, last_day=None, year_inferred=False,
                        start=d1[0], end=d1[1]),
               DateItem(text=t[d2[0]:d2[1]], kind="range", value="XXXX-03-01/XXXX-03-31", first_day="XXXX-03-01",
                        last_day="XXXX-03-31", year_inferred=False, start=d2[0], end=d2[1])]
    s = at(t, SCRIPT)
    p.people = [Person(name=SCRIPT, role="\r组长", group=None, title="+主任", start=s[0], end=s[1])]
    r = at(t, "不得借活动名义收取任何费用。")
    p.rules = [Rule(text=t[r[0]:r[1]], modality="prohibition", condition=None, consequence=None, amounts=[],
                    subject="-", start=r[0], end=r[1])]
    return p


def sample_plans() -> list[Plan]:
    a = _hospital_plan("a", A_TEXT, 2021, issuer="某市第一人民医院", doc_number="某医字〔2021〕8号")
    b = _hospital_plan("b", B_TEXT, 2022, issuer="某县中医院", doc_number=None, duplicate_of=a.plan_id)
    a.issue_date, b.issue_date = "2021-02-26", "2022-03-02"
    c = _hostile_plan()
    d = _plan("d", D_TEXT, title="=1+1 校园读书月活动计划", script="simplified")
    return [a, b, c, d]


def write_sample(out_dir: Path) -> Path:
    """`out_dir/plans.jsonl` with the sample plans; its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "plans.jsonl"
    path.write_text("".join(dict_line(to_dict(p)) + "\n" for p in sample_plans()), encoding="utf-8")
    return path
