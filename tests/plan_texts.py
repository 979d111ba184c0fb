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


# a plan whose tasks are a table (as many directives attach them), with `…前` deadlines
TABLE_TITLE = "某县2026年农村人居环境整治工作方案"
TABLE_BEFORE = [
    TABLE_TITLE,
    "为持续改善农村人居环境，建设美丽宜居乡村，根据上级有关要求，结合我县实际，制定本方案。各乡镇、各部门要高度重视，"
    "切实加强组织领导，认真制定宣传计划，广泛动员群众参与，确保整治工作取得实效。",
    "一、重点任务",
]
TABLE_HEADER = ["序号", "工作任务", "责任单位", "完成时限"]
TABLE_ROWS = [
    ["1", "开展村庄清洁行动，集中清理农村生活垃圾、村内沟渠和畜禽养殖粪污等农业生产废弃物", "县农业农村局", "2026年4月底前"],
    ["2", "推进农村厕所革命，新建改建农村户用卫生厕所两千户，同步建设粪污处理设施", "县卫生健康局", "2026年6月30日前"],
    ["3", "加强农村生活污水治理，完成十个行政村污水管网建设并投入运行", "县生态环境局", "2026年9月底前"],
    ["4", "整治农村道路沿线环境，清理乱堆乱放，补植绿化苗木", "县交通运输局", "2026年10月底前"],
    ["5", "建立长效管护机制，落实村庄保洁人员和经费，开展季度考核评比", "各乡镇人民政府", "2026年12月底前"],
]
TABLE_AFTER = [
    "二、工作要求",
    "各责任单位要明确专人负责，按照时间节点推进各项工作，每月底前向县农业农村局报送工作进展情况。",
    "某县人民政府办公室",
    "2026年3月1日",
]


def table_plan_text() -> str:
    """The table plan as a .txt file would hold it: a line per paragraph, table rows tab-separated."""
    rows = ["\t".join(r) for r in [TABLE_HEADER] + TABLE_ROWS]
    return "\n".join(TABLE_BEFORE + rows + TABLE_AFTER) + "\n"
