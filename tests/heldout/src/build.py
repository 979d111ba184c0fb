# -*- coding: utf-8 -*-
"""Writes ../plans/* and ../gold/*.jsonl. Run with the project's .venv/bin/python (python-docx, openpyxl, opencc)."""
import json
import sys
from pathlib import Path

import docx
import opencc
import openpyxl
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl.styles import Alignment, Border, Font, Side

sys.path.insert(0, str(Path(__file__).parent))
from docs_rich import (BINHE_HEADER, BINHE_NOTE, BINHE_ROWS, BINHE_TITLE, MOL_AFTER_TABLE,  # noqa: E402
                       MOL_BEFORE_TABLE, MOL_TABLE, MOL_TITLE, QINGCHUAN_HTML)
from docs_txt import HK, PENGYUAN  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PLANS, GOLD = ROOT / "plans", ROOT / "gold"
T2S = opencc.OpenCC("t2s").convert
HK2S = opencc.OpenCC("hk2s").convert


def D(text, kind, value, first=None, last=None, inferred=False):
    return {"text": text, "kind": kind, "value": value, "first_day": first, "last_day": last,
            "year_inferred": inferred}


def dl(text, day, inferred=False):  # deadline
    return D(text, "deadline", day, None, day, inferred)


def st(text, value):  # set
    return D(text, "set", value)


def du(text, value):  # duration
    return D(text, "duration", value)


def T(title, owners=(), co=(), phase=None, deadline=None):
    return {"title": title, "owners": list(owners), "co_owners": list(co), "phase": phase, "deadline": deadline}


def P(name, role, title=None):
    return {"name": name, "role": role, "title": title}


def R(text, modality, **kw):
    return dict({"text": text, "modality": modality}, **kw)


def convert(obj, fn):
    """Converts every string of a gold object (written in the document's script) to simplified."""
    if isinstance(obj, str):
        return fn(obj)
    if isinstance(obj, list):
        return [convert(x, fn) for x in obj]
    if isinstance(obj, dict):
        return {k: (v if k in ("kind", "value", "first_day", "last_day", "modality", "schema") else convert(v, fn))
                for k, v in obj.items()}
    return obj


def decoded(path, encoding):
    """The file's decoded text: newlines normalized (universal newlines), BOM dropped."""
    with open(path, encoding=encoding, newline=None) as f:
        return f.read()


def span_of(text):
    start = len(text) - len(text.lstrip())
    return [start, len(text.rstrip())]


# ---------------------------------------------------------------- 1. SOE, GB18030 + CRLF
def build_pengyuan():
    name = "pengyuan_energy_safety_2026.txt"
    PLANS.joinpath(name).write_bytes(PENGYUAN.replace("\n", "\r\n").encode("gb18030"))
    text = decoded(PLANS / name, "gb18030")
    ph = [
        {"order": 1, "name": "动员部署阶段", "time_text": "2026年4月1日至4月20日", "first_day": "2026-04-01",
         "last_day": "2026-04-20", "inconsistent": False},
        {"order": 2, "name": "集中整治阶段", "time_text": "2026年4月21日至10月31日", "first_day": "2026-04-21",
         "last_day": "2026-10-31", "inconsistent": False},
        {"order": 3, "name": "总结提升阶段", "time_text": "2026年11月1日至12月15日", "first_day": "2026-11-01",
         "last_day": "2026-12-15", "inconsistent": False},
    ]
    tasks = [
        T("开展重大危险源辨识评估", ["安全环保部"], deadline="2026-05-31"),
        T("深化有限空间作业专项治理", ["生产技术部"], ["设备管理部", "各二级单位"]),
        T("加强危险作业管控", ["安全环保部", "各二级单位"]),
        T("整治老旧设备设施", deadline="2026-09-30"),
        T("加强危险化学品储存管理", ["安全环保部"], ["物资供应部"]),
        T("保障电力设施安全运行", ["生产技术部"]),
        T("加强道路交通安全管理", ["综合管理部"]),
        T("修订全员安全生产责任制", ["人力资源部"], ["安全环保部"], deadline="2026-06-30"),
        T("开展安全生产述职评议", ["人力资源部"], ["安全环保部"], deadline="2026-12-31"),
        T("强化安全教育培训", ["安全环保部"], ["人力资源部", "各二级单位"]),
        T("制定实施方案", phase=1, deadline="2026-04-15"),
        T("召开动员会议", phase=1),
        T("全面自查自改", phase=2),
        T("开展督导检查", ["安全环保部"], phase=2),
        T("开展“回头看”", phase=3),
        T("总结固化经验", phase=3, deadline="2026-12-10"),
        T("加强组织领导", ["各单位主要负责人"]),
        T("强化资金保障"),
        T("加强信息报送"),
    ]
    dates = [
        dl("到2026年底", "2026-12-31"),
        D("2025年", "date", "2025", "2025-01-01", "2025-12-31"),
        dl("2026年5月31日前", "2026-05-31"),
        st("每月", "P1M"),
        du("超过20年", "P20Y"),
        dl("2026年9月30日前", "2026-09-30"),
        D("6月至9月", "range", "2026-06/2026-09", "2026-06-01", "2026-09-30", True),
        du("24小时", "PT24H"),
        dl("2026年6月底前", "2026-06-30"),
        st("每季度", "P3M"),
        dl("年底前", "2026-12-31", True),
        D("2026年4月1日至4月20日", "range", "2026-04-01/2026-04-20", "2026-04-01", "2026-04-20"),
        dl("4月15日前", "2026-04-15", True),
        D("2026年4月21日至10月31日", "range", "2026-04-21/2026-10-31", "2026-04-21", "2026-10-31"),
        st("每季度", "P3M"),
        D("2026年11月1日至12月15日", "range", "2026-11-01/2026-12-15", "2026-11-01", "2026-12-15"),
        dl("12月10日前", "2026-12-10", True),
        st("每月25日前", "P1M"),
        du("1小时内", "PT1H"),
        D("2026年3月25日", "date", "2026-03-25", "2026-03-25", "2026-03-25"),
        D("2026年3月25日", "date", "2026-03-25", "2026-03-25", "2026-03-25"),
    ]
    people = [
        P("王建华", "组长", "集团党委书记、董事长"),
        P("刘斌", "副组长", "集团党委副书记、总经理"),
        P("陈志强", "副组长", "集团副总经理、安全总监"),
        P("李强", "成员", "安全环保部部长"),
        P("赵晓东", "成员", "生产技术部部长"),
        P("孙丽娟", "成员", "人力资源部部长"),
        P("周伟", "成员", "设备管理部部长"),
        P("李强", "办公室主任"),
    ]
    rules = [
        R("全面排查污水池、储罐、管廊、电缆沟等有限空间作业点位，逐一设置安全警示标识，严格执行“先通风、再检测、后作业”要求，未经审批严禁进入有限空间作业。", "prohibition"),
        R("对动火、高处、吊装、临时用电等危险作业实行作业票管理，作业现场必须安排专人监护，每月开展一次危险作业专项检查。", "obligation"),
        R("全面核查危险化学品仓库、储罐区安全设施，严格落实出入库登记和双人双锁管理制度，库存量不得超过设计储量。", "prohibition"),
        R("对驾驶员实行“一人一档”管理，车辆全部安装动态监控装置，严禁疲劳驾驶、超速超载。", "prohibition"),
        R("组织开展全员安全生产教育培训和应急演练，特种作业人员必须持证上岗。", "obligation", subject="特种作业人员"),
        R("安全生产费用必须专款专用，严禁挪作他用。", "prohibition"),
        R("各二级单位须于每月25日前向集团安全环保部报送专项整治进展情况。", "obligation", subject="各二级单位"),
        R("发生生产安全事故的，必须在1小时内向集团安全环保部报告，不得迟报、漏报、瞒报。", "prohibition",
          condition="发生生产安全事故的"),
        R("对工作推进不力、重大事故隐患整改不到位的单位，予以通报批评，并扣减该单位负责人绩效奖金3000元至5000元；", "sanction",
          condition="工作推进不力、重大事故隐患整改不到位的单位",
          consequence="予以通报批评，并扣减该单位负责人绩效奖金3000元至5000元",
          amounts=[{"value": 3000, "upto": 5000, "unit": "元"}]),
        R("对瞒报、谎报重大事故隐患的，扣减单位主要负责人绩效年薪的10%，并按照干部管理权限追究相关人员责任。", "sanction",
          condition="瞒报、谎报重大事故隐患的",
          consequence="扣减单位主要负责人绩效年薪的10%，并按照干部管理权限追究相关人员责任",
          amounts=[{"value": 10, "unit": "%"}]),
        R("对发生较大及以上生产安全事故的单位，取消其评先评优资格，并严肃追究相关领导责任。", "sanction",
          condition="发生较大及以上生产安全事故的单位"),
        R("对专项整治工作成效突出的单位和个人，集团予以通报表扬，并给予每个单位2万元奖励。", "reward",
          condition="专项整治工作成效突出的单位和个人", amounts=[{"value": 2, "unit": "万元"}]),
    ]
    gold = {
        "source": {"path": name, "span": span_of(text), "format": "txt", "encoding": "gb18030"},
        "script": "simplified",
        "title": "鹏远能源集团有限公司安全生产治本攻坚专项整治实施方案",
        "doc_number": "鹏远能源安〔2026〕18号",
        "issuer": "鹏远能源集团有限公司",
        "issue_date": "2026-03-25",
        "year": 2026,
        "duplicate_of_span": None,
        "phases": ph, "tasks": tasks, "dates": dates, "people": people, "rules": rules,
    }
    return name, gold


# ---------------------------------------------------------------- 2. Taiwan ministry, .docx
def build_mol():
    name = "mol_senior_employment_115.docx"
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = "標楷體"
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "標楷體")

    t = d.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = t.add_run(MOL_TITLE)
    r.bold = True
    r.font.size = Pt(18)

    def add(items):
        for kind, s in items:
            p = d.add_paragraph()
            if kind == "sub":
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                run = p.add_run(s)
                run.font.size = Pt(11)
            elif kind == "h":
                run = p.add_run(s)
                run.bold = True
            elif kind == "li":
                p.paragraph_format.left_indent = Pt(28)
                p.paragraph_format.first_line_indent = Pt(-28)
                p.add_run(s)
            else:
                p.paragraph_format.first_line_indent = Pt(28)
                p.add_run(s)

    add(MOL_BEFORE_TABLE)
    tab = d.add_table(rows=len(MOL_TABLE), cols=len(MOL_TABLE[0]))
    tab.style = "Table Grid"
    for i, row in enumerate(MOL_TABLE):
        for j, cell in enumerate(row):
            c = tab.cell(i, j)
            c.text = cell
            if i == 0:
                for run in c.paragraphs[0].runs:
                    run.bold = True
                c.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    add(MOL_AFTER_TABLE)
    d.core_properties.title = MOL_TITLE
    d.core_properties.author = "綜合規劃司"
    d.save(PLANS / name)

    tasks = [
        T("設置中高齡就業服務專區", ["勞動力發展署"], ["各分署"], deadline="2026-03-31"),
        T("辦理雇主職務再設計諮詢服務", ["勞動力發展署"], ["職業安全衛生署"]),
        T("開辦中高齡職業訓練專班", ["勞動力發展署"], ["各直轄市、縣（市）政府"], deadline="2026-06-30"),
        T("推動退休人員再就業媒合", ["勞動力發展署"], ["勞工保險局"], deadline="2026-09-30"),
        T("研修中高齡者及高齡者就業促進法相關子法", ["勞動條件及就業平等司"], ["法務處"], deadline="2026-12-31"),
        T("推動高齡友善職場認證", ["職業安全衛生署"], ["勞動條件及就業平等司", "勞動力發展署"], deadline="2027-06-30"),
        T("補助雇主繼續僱用高齡者", ["勞動力發展署"], []),
        T("辦理世代合作及經驗傳承活動", ["勞動力發展署"], ["各分署", "民間團體"]),
        T("建置計畫執行績效資料庫", ["綜合規劃司"], ["資訊處"], deadline="2026-04-15"),
        T("辦理計畫宣導及成果發表", ["綜合規劃司", "勞動力發展署"], ["職業安全衛生署"], deadline="2027-11-30"),
    ]
    dates = [
        D("中華民國115年1月20日", "date", "2026-01-20", "2026-01-20", "2026-01-20"),
        D("114年", "date", "2025", "2025-01-01", "2025-12-31"),
        D("115年度", "date", "2026", "2026-01-01", "2026-12-31"),
        dl("116年底前", "2027-12-31"),
        du("三個月", "P3M"),
        D("中華民國115年2月1日至116年12月31日", "range", "2026-02-01/2027-12-31", "2026-02-01", "2027-12-31"),
        st("每季", "P3M"),
        dl("115年3月底前", "2026-03-31"),
        st("每季", "P3M"),
        dl("115年6月30日前", "2026-06-30"),
        dl("115年9月底前", "2026-09-30"),
        dl("115年12月31日前", "2026-12-31"),
        dl("116年6月30日前", "2027-06-30"),
        D("115年至116年", "range", "2026/2027", "2026-01-01", "2027-12-31"),
        st("每半年", "P6M"),
        dl("115年4月15日前", "2026-04-15"),
        dl("116年11月底前", "2027-11-30"),
        D("115年度", "date", "2026", "2026-01-01", "2026-12-31"),
        D("116年度", "date", "2027", "2027-01-01", "2027-12-31"),
        st("每季", "P3M"),
        du("15日內", "P15D"),
        st("每半年", "P6M"),
        dl("116年12月底前", "2027-12-31"),
    ]
    people = [
        P("陳怡蓁", "召集人", "政務次長"),
        P("吳建宏", "副召集人", "常務次長"),
        P("林淑惠", "副召集人", "主任秘書"),
        P("黃志明", "執行秘書", "綜合規劃司司長"),
    ]
    rules = [
        R("各主辦單位須依相關規定覈實核銷，不得挪作他用。", "prohibition", subject="各主辦單位"),
        R("各主辦單位須於每季結束後15日內，將執行進度填報本部計畫管考系統；", "obligation", subject="各主辦單位"),
        R("執行本計畫績效優良之有功人員，由各主辦單位依規定從優敘獎；", "reward"),
        R("執行不力致影響計畫目標達成者，相關承辦人員依規定予以懲處。", "sanction", condition="執行不力致影響計畫目標達成者"),
    ]
    gold = {
        "source": {"path": name, "format": "docx"},
        "script": "traditional",
        "title": MOL_TITLE,
        "doc_number": "勞動發綜字第1150500123號",
        "issuer": "勞動部",
        "issue_date": "2026-01-20",
        "year": 2026,
        "duplicate_of_span": None,
        "phases": [], "tasks": tasks, "dates": dates, "people": people, "rules": rules,
    }
    return name, convert(gold, T2S)


# ---------------------------------------------------------------- 3. District, .xlsx
def build_binhe():
    name = "binhe_district_bizenv_2026.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["A1"] = "附件"
    ws["A1"].font = Font(name="黑体", size=12)
    ws.merge_cells("A2:F2")
    ws["A2"] = BINHE_TITLE
    ws["A2"].font = Font(name="方正小标宋简体", size=18)
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[2].height = 40
    ws.append(BINHE_HEADER)
    for c in ws[3]:
        c.font = Font(name="黑体", size=11, bold=True)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = border
    for row in BINHE_ROWS:
        ws.append(row)
        for c in ws[ws.max_row]:
            c.font = Font(name="仿宋_GB2312", size=11)
            c.alignment = Alignment(vertical="center", wrap_text=True,
                                    horizontal="center" if c.column in (1, 6) else "left")
            c.border = border
    note_row = ws.max_row + 1
    ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=6)
    ws.cell(note_row, 1, BINHE_NOTE).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[note_row].height = 48
    for col, width in zip("ABCDEF", (6, 24, 52, 18, 30, 16)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    wb.properties.title = BINHE_TITLE
    wb.save(PLANS / name)

    def owners(row):
        out = [row[3]]
        for u in row[4].split("、"):
            if u not in out:
                out.append(u)
        return out

    deadlines = {"2026年6月底前": "2026-06-30", "2026年9月30日前": "2026-09-30", "2026年12月底前": "2026-12-31",
                 "2026年底前": "2026-12-31", "2026年4月30日前": "2026-04-30", "2026年11月底前": "2026-11-30"}
    tasks = [T(r[1], owners(r), [], deadline=deadlines.get(r[5])) for r in BINHE_ROWS]
    dates = [
        du("1个工作日以内", "P1D"),
        dl("2026年6月底前", "2026-06-30"),
        du("15个工作日以内", "P15D"),
        dl("2026年9月30日前", "2026-09-30"),
        D("2026年上半年", "date", "2026-01-01/2026-06-30", "2026-01-01", "2026-06-30"),
        D("2026年三季度", "date", "2026-07-01/2026-09-30", "2026-07-01", "2026-09-30"),
        du("30日内", "P30D"),
        st("每季度", "P3M"),
        st("每月", "P1M"),
        st("每月", "P1M"),
        dl("2026年12月底前", "2026-12-31"),
        st("每季度", "P3M"),
        dl("2026年底前", "2026-12-31"),
        D("2026年3月至5月", "range", "2026-03/2026-05", "2026-03-01", "2026-05-31"),
        dl("2026年4月30日前", "2026-04-30"),
        dl("2026年11月底前", "2026-11-30"),
        st("每季度末月25日前", "P3M"),
    ]
    rules = [
        R("全面清理规范涉企行政事业性收费和保证金，严禁违规设立收费项目、擅自提高收费标准。", "prohibition"),
        R("全面推行包容审慎监管，对首次轻微违法行为依法不予处罚，严禁以罚代管、趋利执法。", "prohibition"),
        R("各牵头单位须于每季度末月25日前将工作进展情况报送区营商环境建设局。", "obligation", subject="各牵头单位"),
        R("对工作推进不力、未按时限完成任务的单位，予以通报批评。", "sanction",
          condition="工作推进不力、未按时限完成任务的单位", consequence="予以通报批评"),
    ]
    gold = {
        "source": {"path": name, "format": "xlsx"},
        "script": "simplified",
        "title": BINHE_TITLE,
        "doc_number": None,
        "issue_date": None,
        "year": 2026,
        "duplicate_of_span": None,
        "phases": [], "tasks": tasks, "dates": dates, "people": [], "rules": rules,
    }
    return name, gold


# ---------------------------------------------------------------- 4. University, .html
def build_qingchuan():
    name = "qingchuan_univ_mentalhealth_2026.html"
    PLANS.joinpath(name).write_text(QINGCHUAN_HTML, encoding="utf-8")
    tasks = [
        T("将《大学生心理健康教育》纳入本科生公共必修课程体系", ["教务处"], ["研究生院", "心理健康教育与咨询中心"]),
        T("面向研究生开设心理健康系列选修课程", ["教务处"], ["研究生院", "心理健康教育与咨询中心"]),
        T("组织编写校本心理健康教育案例教材，2026年9月底前完成初稿", ["教务处"], ["研究生院", "心理健康教育与咨询中心"],
          deadline="2026-09-30"),
        T("开展新生心理健康普查", ["心理健康教育与咨询中心"]),
        T("在各班级设立心理委员、在学生宿舍设立心理信息员", ["学生工作部"], ["各学院"]),
        T("各学院配备1名专职心理辅导员", ["学生工作部"], ["各学院"]),
        T("建立学校、学院、班级、宿舍四级心理危机预警信息报送制度，各学院须于每月5日前报送本学院学生心理动态",
          ["学生工作部"], ["各学院"]),
        T("强化心理危机干预", ["学生工作部"], ["保卫处", "校医院"]),
        T("加强心理健康教育队伍建设", ["人事处"], ["学生工作部"]),
        T("营造校园心理健康文化氛围", ["校团委"], ["各学院"]),
        T("加强经费保障"),
        T("改善场地条件", ["后勤管理处"], deadline="2026-12-31"),
        T("严格督导考核"),
    ]
    dates = [
        dl("到2026年底", "2026-12-31"),
        dl("2026年9月底前", "2026-09-30"),
        st("每年", "P1Y"),
        du("1个月内", "P1M"),
        st("每月5日前", "P1M"),
        du("2小时内", "PT2H"),
        st("每季度", "P3M"),
        D("即日起至12月31日", "range", "2026-03-16/2026-12-31", "2026-03-16", "2026-12-31", True),
        st("每年5月", "P1Y"),
        dl("2026年12月底前", "2026-12-31"),
        st("每季度", "P3M"),
        D("2026年3月16日", "date", "2026-03-16", "2026-03-16", "2026-03-16"),
    ]
    people = [
        P("张海峰", "组长", "党委书记"),
        P("刘文博", "组长", "校长"),
        P("陈慧琳", "副组长", "党委副书记"),
        P("李建军", "成员", "学生工作部部长"),
        P("王雅琴", "成员", "教务处处长"),
        P("赵磊", "成员", "研究生院常务副院长"),
        P("孙倩", "成员", "心理健康教育与咨询中心主任"),
        P("周斌", "成员", "保卫处处长"),
        P("吴凡", "成员", "校医院院长"),
        P("李建军", "办公室主任"),
        P("孙倩", "办公室副主任"),
    ]
    rules = [
        R("建立学校、学院、班级、宿舍四级心理危机预警信息报送制度，各学院须于每月5日前报送本学院学生心理动态。", "obligation",
          subject="各学院"),
        R("建立心理危机干预快速响应机制，对发现的心理危机学生，所在学院须在2小时内上报学生工作部和心理健康教育与咨询中心，必要时联系学生家长和专业医疗机构。",
          "obligation", subject="所在学院"),
        R("专项经费须专款专用，严禁挪作他用。", "prohibition"),
        R("对工作不力、因失职导致发生严重后果的，依规依纪追究相关人员责任；", "sanction",
          condition="工作不力、因失职导致发生严重后果的", consequence="依规依纪追究相关人员责任"),
        R("对工作成效显著的学院和个人予以表彰。", "reward", condition="工作成效显著的学院和个人"),
    ]
    gold = {
        "source": {"path": name, "format": "html"},
        "script": "simplified",
        "title": "青川师范大学学生心理健康教育与危机干预工作方案",
        "doc_number": "青师党发〔2026〕9号",
        "issuer": "青川师范大学",
        "issue_date": "2026-03-16",
        "year": 2026,
        "duplicate_of_span": None,
        "phases": [], "tasks": tasks, "dates": dates, "people": people, "rules": rules,
    }
    return name, gold


# ---------------------------------------------------------------- 5. Hong Kong, UTF-8 with BOM
def build_hk():
    name = "hk_lwb_elderly_digital_2026.txt"
    PLANS.joinpath(name).write_bytes(HK.encode("utf-8-sig"))
    text = decoded(PLANS / name, "utf-8-sig")
    ph = [
        {"order": 1, "name": "籌備及試行", "time_text": "2026年7月至12月", "first_day": "2026-07-01",
         "last_day": "2026-12-31", "inconsistent": False},
        {"order": 2, "name": "全面推行", "time_text": "2027年1月至12月", "first_day": "2027-01-01",
         "last_day": "2027-12-31", "inconsistent": False},
        {"order": 3, "name": "檢討及總結", "time_text": "2028年1月至6月", "first_day": "2028-01-01",
         "last_day": "2028-06-30", "inconsistent": False},
    ]
    tasks = [
        T("開辦長者數碼學堂", ["社會福利署"], ["各長者地區中心"]),
        T("培訓長者數碼大使", ["社會福利署"]),
        T("推出網上自學平台", ["數字政策辦公室"], ["社會福利署"], deadline="2026-12-31"),
        T("設立數碼支援站", ["康樂及文化事務署"]),
        T("提供上門支援", ["社會福利署"], ["衞生署"]),
        T("資助購置智能裝置", ["社會福利署"]),
        T("製作宣傳短片", ["政府新聞處"], ["各政策局及部門"]),
        T("舉辦「樂齡數碼嘉年華」", ["政府新聞處"], ["各政策局及部門"]),
    ]
    dates = [
        D("2026年5月", "date", "2026-05", "2026-05-01", "2026-05-31"),
        dl("截至2025年底", "2025-12-31"),
        D("2026年7月1日", "date", "2026-07-01", "2026-07-01", "2026-07-01"),
        du("兩年", "P2Y"),
        D("2028年6月30日", "date", "2028-06-30", "2028-06-30", "2028-06-30"),
        du("1.5小時", "PT1H30M"),
        D("2026年第三季", "date", "2026-07-01/2026-09-30", "2026-07-01", "2026-09-30"),
        dl("2026年12月31日前", "2026-12-31"),
        st("逢星期六", "P1W"),
        D("2026年第四季", "date", "2026-10-01/2026-12-31", "2026-10-01", "2026-12-31"),
        D("2027年1月", "date", "2027-01", "2027-01-01", "2027-01-31"),
        D("2026年7月至12月", "range", "2026-07/2026-12", "2026-07-01", "2026-12-31"),
        dl("2026年9月30日或之前", "2026-09-30"),
        D("2027年1月至12月", "range", "2027-01/2027-12", "2027-01-01", "2027-12-31"),
        D("2028年1月至6月", "range", "2028-01/2028-06", "2028-01-01", "2028-06-30"),
        st("每季", "P3M"),
        st("每半年", "P6M"),
    ]
    people = [
        P("梁詠詩", "主席", "勞工及福利局副局長"),
        P("何志明", "副主席", "社會福利署署長"),
    ]
    rules = [
        R("開辦長者數碼學堂：在全港18區長者地區中心開辦智能手機基礎班，每班不少於8節，每節1.5小時。", "obligation"),
        R("提供上門支援：為行動不便的長者提供上門教學服務，服務申請須經長者地區中心社工評估轉介。", "obligation"),
        R("各長者地區中心須於2026年9月30日或之前提交開班計劃。", "obligation", subject="各長者地區中心"),
        R("社會福利署須每半年向督導委員會提交進度報告。", "obligation", subject="社會福利署"),
        R("受資助機構須按規定妥善保存單據，不得將撥款用於計劃以外的用途。", "prohibition", subject="受資助機構"),
    ]
    gold = {
        "source": {"path": name, "span": span_of(text), "format": "txt", "encoding": "utf-8-sig"},
        "script": "traditional",
        "title": "長者數碼共融推廣計劃",
        "doc_number": None,
        "issuer": "勞工及福利局",
        "issue_date": None,
        "year": 2026,
        "duplicate_of_span": None,
        "phases": ph, "tasks": tasks, "dates": dates, "people": people, "rules": rules,
    }
    return name, convert(gold, HK2S)


def main():
    PLANS.mkdir(parents=True, exist_ok=True)
    GOLD.mkdir(parents=True, exist_ok=True)
    for build in (build_pengyuan, build_mol, build_binhe, build_qingchuan, build_hk):
        name, gold = build()
        out = GOLD / (Path(name).stem + ".jsonl")
        out.write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
        print(out.name, {k: len(v) for k, v in gold.items() if isinstance(v, list)},
              "owners", sum(len(t["owners"]) for t in gold["tasks"]))


if __name__ == "__main__":
    main()
