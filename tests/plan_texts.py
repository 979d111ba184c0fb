"""One small plan written for the format tests, as paragraphs (the first is the title), in both scripts.

The same plan goes through every format (.txt, .docx, .doc, .rtf, .odt, scanned .pdf, .png): each must give
the same title and (nearly) the same tasks. Long task paragraphs wrap on a page, so readers that rejoin lines
are exercised. The traditional version is the OpenCC s2t conversion of the simplified one.
"""
from __future__ import annotations

TITLE = "某区2026年社区卫生服务提升工作方案"
PLAN = [
    TITLE,
    "为进一步提升社区卫生服务能力，方便群众就近看病就医，结合我区实际，制定本方案。",
    "一、工作目标",
    "到2026年底，全区社区卫生服务中心标准化建设达标率达到百分之九十以上，群众满意度明显提高。",
    "二、主要任务",
    "（一）完善服务网络。合理调整社区卫生服务站布局，新建服务站三个，改造提升服务站五个。（责任单位：区卫生健康局）",
    "（二）加强人才队伍建设。组织全科医生转岗培训，每个中心至少配备三名全科医生。（责任单位：区人力资源社会保障局）",
    "（三）推进家庭医生签约服务。重点人群签约率达到百分之七十，于2026年6月底前完成年度签约工作。（责任单位：各街道办事处）",
    "（四）提升慢病管理水平。对高血压、糖尿病患者实行规范化管理，每季度随访一次。（责任单位：区疾病预防控制中心）",
    "（五）改善就医环境。完成候诊区、输液区改造，设置无障碍设施，9月30日前全部完工。（责任单位：区住房城乡建设局）",
    "（六）加强信息化建设。建设区域健康信息平台，实现检查结果互认，年底前上线运行。（责任单位：区大数据中心）",
    "三、保障措施",
    "各部门要加强协调配合，落实经费保障，定期通报工作进展，确保各项任务按时完成。",
    "某区卫生健康局办公室",
    "2026年3月16日",
]
TASKS = 6


def traditional(paragraphs: list[str]) -> list[str]:
    from pipeline.script import s2t

    return [s2t(p) for p in paragraphs]


def plan_text(paragraphs: list[str] = PLAN) -> str:
    return "\n".join(paragraphs) + "\n"
