"""Write `corpora/samples/school_safety_2026.docx`: an invented district plan whose headings and items are
numbered by Word itself (一、 （一） 1.), with a task table — the bundled .docx sample.

Run `.venv/bin/python corpora/make_docx_sample.py`; it is deterministic (same bytes on every run).
The plan, its district (青溪区) and every name in it are made up.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import docx_factory as f  # noqa: E402

OUT = ROOT / "corpora" / "samples" / "school_safety_2026.docx"

# (kind, text): title / number / plain / h1 / h2 (numbered headings) / item (numbered 1.) / table / right
PLAN = [
    ("number", "青教发〔2026〕12号"),
    ("title", "青溪区2026年校园安全专项整治工作实施方案"),
    ("plain", "为切实加强全区校园安全管理，有效防范和遏制各类校园安全事故发生，保障广大师生生命财产安全，"
              "区教育局决定于2026年3月至11月在全区中小学、幼儿园开展校园安全专项整治工作。"
              "结合我区教育工作实际，制定本方案。"),
    ("h1", "指导思想"),
    ("plain", "坚持人民至上、生命至上，牢固树立安全第一、预防为主的理念，以排查整治突出隐患为抓手，"
              "以健全长效机制为目标，压实学校安全主体责任和部门监管责任，全面提升校园安全治理水平，"
              "为全区师生营造安全、稳定、和谐的学习生活环境。"),
    ("h1", "工作目标"),
    ("plain", "通过为期九个月的专项整治，到2026年11月底，全区中小学、幼儿园安全隐患整改率达到100%，"
              "专职保安员配备率达到100%，一键报警装置与公安机关联网率达到100%；"
              "校园安全事故起数较上年明显下降，家长对校园安全工作的满意率达到95%以上。"),
    ("h1", "主要任务"),
    ("h2", "开展校园安全隐患大排查"),
    ("item", "全面排查校舍安全。对校舍、围墙、护栏、运动场地等设施开展拉网式排查，建立隐患台账，"
             "实行销号管理。经鉴定为D级危房的，必须立即停止使用。"
             "（牵头单位：区教育局计划财务科；配合单位：区住房城乡建设局）"),
    ("item", "严格检查消防安全。重点检查学生宿舍、食堂、实验室、图书馆等人员密集场所，"
             "确保疏散通道畅通、消防设施完好有效。严禁在宿舍内私拉乱接电线、使用大功率电器。"
             "（牵头单位：区教育局安全管理科；配合单位：区消防救援大队）"),
    ("h2", "加强校园周边环境治理"),
    ("item", "规范校园周边交通秩序。上下学高峰时段落实“护学岗”制度，每所学校每天安排不少于2名教职工"
             "参与护学，配合交警疏导交通。（牵头单位：区公安分局交警大队；配合单位：各中小学、幼儿园）"),
    ("item", "整治校园周边经营场所。依法查处学校周边200米范围内的无证经营摊点，"
             "不得向未成年人销售烟酒和“三无”食品。（牵头单位：区市场监督管理局；配合单位：各街道办事处）"),
    ("h2", "提升食品安全和卫生防疫水平"),
    ("item", "落实食堂管理责任。严格执行食材采购索证索票和学校负责人陪餐制度，"
             "每学期开展食品安全自查不少于2次。（牵头单位：区教育局体卫艺科；配合单位：区市场监督管理局）"),
    ("item", "做好传染病防控。落实晨午检和因病缺勤追踪登记制度，发现聚集性病例应当在2小时内报告。"
             "（牵头单位：区教育局体卫艺科；配合单位：区疾病预防控制中心）"),
    ("h2", "强化安全教育和应急演练"),
    ("item", "每月组织一次安全主题教育，将防溺水、防欺凌、交通安全、网络安全等内容纳入班会课。"),
    ("item", "每学期至少开展2次应急疏散演练，做到全员参与、过程留痕。"),
    ("plain", "重点任务分工如下："),
    ("table", [["工作任务", "牵头单位", "配合单位", "完成时限"],
               ["校舍安全隐患排查整改", "区教育局计划财务科", "区住房城乡建设局", "2026年6月30日前"],
               ["消防安全专项检查", "区教育局安全管理科", "区消防救援大队", "2026年5月31日前"],
               ["校园周边环境集中整治", "区市场监督管理局", "区公安分局、各街道办事处", "2026年9月30日前"],
               ["食品安全自查自纠", "区教育局体卫艺科", "区市场监督管理局", "每学期开学后1个月内"],
               ["一键报警装置联网建设", "区教育装备中心", "区公安分局", "2026年10月31日前"]]),
    ("h1", "实施步骤"),
    ("h2", "动员部署阶段（2026年3月1日—3月15日）"),
    ("plain", "各学校结合实际制定具体实施方案，成立工作专班，召开动员会议，明确任务分工和责任人，"
              "并于3月15日前将实施方案报区教育局安全管理科备案。"),
    ("h2", "排查整改阶段（2026年3月16日—9月30日）"),
    ("plain", "各学校对照任务清单开展自查自纠，区教育局会同相关部门开展联合督查，"
              "对发现的问题建立清单、明确时限、逐项整改。"),
    ("h2", "总结验收阶段（2026年10月1日—11月30日）"),
    ("plain", "区教育局组织专项验收，各学校于11月20日前报送工作总结，区教育局汇总形成专项整治工作报告。"),
    ("h1", "保障措施"),
    ("h2", "加强组织领导"),
    ("plain", "区教育局成立校园安全专项整治工作领导小组，成员如下："),
    ("plain", "组　长：王建国（区教育局局长）"),
    ("plain", "副组长：李晓梅（区教育局副局长）　陈志远（区教育局副局长）"),
    ("plain", "成　员：局机关各科室负责人"),
    ("plain", "领导小组下设办公室，办公室设在安全管理科，赵明同志任办公室主任，负责日常协调和督导工作。"),
    ("h2", "压实工作责任"),
    ("plain", "各学校校长是校园安全第一责任人，必须亲自部署、亲自督办。"
              "严禁以任何理由推诿扯皮、敷衍应付，不得瞒报、迟报安全事故和隐患信息。"),
    ("h2", "严格督查问责"),
    ("plain", "区教育局将专项整治工作纳入学校年度考核。对工作不力、隐患整改不到位的学校，予以通报批评；"
              "因失职渎职造成安全事故的，依法依规追究相关人员责任。"),
    ("h2", "做好信息报送"),
    ("plain", "各学校须于每月25日前将工作进展情况报送区教育局安全管理科，重大情况随时报告。"),
    ("right", "青溪区教育局"),
    ("right", "2026年2月20日"),
]


def build_plan():
    """The plan above -> a python-docx Document: 一、 and （一） from numbered heading styles, 1. items
    numbered directly, restarting under each （一）."""
    doc = f.new_document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")
    list_id = f.add_list(doc)
    for name, ilvl in (("Heading 1", 0), ("Heading 2", 1)):
        style = doc.styles[name]
        f.number_style(style, list_id, ilvl)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.size = Pt(16 if ilvl == 0 else 14)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体" if ilvl == 0 else "楷体")
    for kind, content in PLAN:
        if kind == "table":
            table = f.add_table(doc, content)
            table.style = doc.styles["Table Grid"]
        elif kind == "title":
            doc.add_paragraph(content, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "h1":
            doc.add_paragraph(content, style="Heading 1")
        elif kind == "h2":
            doc.add_paragraph(content, style="Heading 2")
        elif kind == "item":
            f.add_item(doc, content, list_id, 2)
        else:
            p = doc.add_paragraph(content)
            p.alignment = {"number": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}.get(kind)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = PLAN[1][1], "青溪区教育局", "青溪区教育局"
    props.comments, props.revision = "", 1
    props.created = props.modified = dt.datetime(2026, 2, 20, 9, 0, 0)
    rels = doc.part.package.rels  # drop python-docx's template thumbnail
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rid]
    return doc


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(f.docx_bytes(build_plan()))
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
