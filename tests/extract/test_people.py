"""People: one row per case of the genre (role lists, offices, appointments, teams and duty lists, titles,
groups, placeholders), in simplified and in traditional script (converted with t2s before the call, as the
pipeline does), grounding as a property, the cue file, speed, and precision/recall on the seeds' gold."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import reference_scorer, seed_plans_with, gold_plans, needs_seeds
from pipeline import lexicon
from pipeline.extract.people import find_people, is_name, split_name
from pipeline.normalize import normalize
from pipeline.script import s2t, t2s

N = None  # no title

# (text, expected [(name, role, title)]) — exactly these people, in any order
SIMPLIFIED = [
    # role lists: blanks inside role words, names separated by blanks, 、 or ，, several per line
    ("组长：陈立群 何晓梅\n副组长：林国栋、周文斌、郑海燕\n成  员：各科室负责人",
     [("陈立群", "组长", N), ("何晓梅", "组长", N), ("林国栋", "副组长", N), ("周文斌", "副组长", N),
      ("郑海燕", "副组长", N)]),
    ("组 长:吴建华\n副组长:孙丽娟\n成 员:科室主任、护士长",
     [("吴建华", "组长", N), ("孙丽娟", "副组长", N)]),
    ("成员：唐国庆，钟丽萍，谢文军", [("唐国庆", "成员", N), ("钟丽萍", "成员", N), ("谢文军", "成员", N)]),
    ("组长：唐国庆；副组长：钟丽萍；成员：谢文军、宋玉兰。",
     [("唐国庆", "组长", N), ("钟丽萍", "副组长", N), ("谢文军", "成员", N), ("宋玉兰", "成员", N)]),
    ("组长：唐国庆 副组长：钟丽萍 谢文军", [("唐国庆", "组长", N), ("钟丽萍", "副组长", N), ("谢文军", "副组长", N)]),
    ("成员：唐国庆、钟丽萍等", [("唐国庆", "成员", N), ("钟丽萍", "成员", N)]),
    ("领导小组成员如下：\n组长：欧阳明华\n成员：司马光", [("欧阳明华", "组长", N), ("司马光", "成员", N)]),
    # a list continuing on the next lines without a label; a two-character name written with a blank
    ("副组长：马志强 黄春燕 胡明亮\n高秀英 徐 静\n成  员：朱 伟 罗建平 梁晓东\n宋玉兰 许 兵\n（二）工作职责",
     [("马志强", "副组长", N), ("黄春燕", "副组长", N), ("胡明亮", "副组长", N), ("高秀英", "副组长", N),
      ("徐静", "副组长", N), ("朱伟", "成员", N), ("罗建平", "成员", N), ("梁晓东", "成员", N),
      ("宋玉兰", "成员", N), ("许兵", "成员", N)]),
    ("组 长:许 兵\n成 员:朱 伟 罗建平", [("许兵", "组长", N), ("朱伟", "成员", N), ("罗建平", "成员", N)]),
    ("成员：陈立群、何晓梅、\n林国栋、周文斌\n二、工作要求",
     [("陈立群", "成员", N), ("何晓梅", "成员", N), ("林国栋", "成员", N), ("周文斌", "成员", N)]),
    # titles stated with the name
    ("组长：陈立群（院长）\n副组长：何晓梅（副院长）、林国栋",
     [("陈立群", "组长", "院长"), ("何晓梅", "副组长", "副院长"), ("林国栋", "副组长", N)]),
    ("组长：院长 陈立群\n副组长：副院长 何晓梅", [("陈立群", "组长", "院长"), ("何晓梅", "副组长", "副院长")]),
    ("组长：陈立群 院长\n副组长：何晓梅 副院长、林国栋 工会主席",
     [("陈立群", "组长", "院长"), ("何晓梅", "副组长", "副院长"), ("林国栋", "副组长", "工会主席")]),
    ("组　长：梁晓东（街道党工委书记）\n副组长：宋玉兰（街道办事处主任）",
     [("梁晓东", "组长", "街道党工委书记"), ("宋玉兰", "副组长", "街道办事处主任")]),
    # offices, liaisons, conveners, secretaries
    ("领导小组下设办公室，办公室主任由陈立群兼任。", [("陈立群", "办公室主任", N)]),
    ("领导小组下设办公室，设在院办，办公室主任何晓梅（兼），负责日常工作。", [("何晓梅", "办公室主任", N)]),
    ("领导小组下设办公室，办公室设在教务处，主任：林国栋，副主任：周文斌、郑海燕。",
     [("林国栋", "主任", N), ("周文斌", "副主任", N), ("郑海燕", "副主任", N)]),
    ("办公室主任由陈立群兼任，副主任由：何晓梅 林国栋兼任。",
     [("陈立群", "办公室主任", N), ("何晓梅", "副主任", N), ("林国栋", "副主任", N)]),
    ("联络员：吴建华\n召集人：孙丽娟\n执行秘书：马志强",
     [("吴建华", "联络员", N), ("孙丽娟", "召集人", N), ("马志强", "执行秘书", N)]),
    ("胡明亮同志兼任办公室主任。", [("胡明亮", "办公室主任", N)]),
    # appointments: titles before the names, 由…任, …由…担任
    ("医院成立领导小组，党委书记陈立群、院长何晓梅任组长；副院长林国栋任副组长。",
     [("陈立群", "组长", "党委书记"), ("何晓梅", "组长", "院长"), ("林国栋", "副组长", "副院长")]),
    ("由院长周文斌任组长。", [("周文斌", "组长", "院长")]),
    ("组长由郑海燕同志担任，副组长由副校长吴建华担任。", [("郑海燕", "组长", N), ("吴建华", "副组长", "副校长")]),
    ("党委副书记孙丽娟，党委副书记、纪委书记马志强，党委副书记兼副院长黄春燕任副组长。",
     [("孙丽娟", "副组长", "党委副书记"), ("马志强", "副组长", "党委副书记、纪委书记"),
      ("黄春燕", "副组长", "党委副书记兼副院长")]),
    ("成立以校长高秀英为组长、副校长罗建平为副组长的工作领导小组。",
     [("高秀英", "组长", "校长"), ("罗建平", "副组长", "副校长")]),
    ("街道成立工作专班，由街道党工委书记梁晓东任组长，办事处主任宋玉兰任常务副组长。",
     [("梁晓东", "组长", "街道党工委书记"), ("宋玉兰", "常务副组长", "办事处主任")]),
    # a title in brackets between the name and the appointment verb
    ("领导小组下设办公室，设在人事科，丁雨桐（人事科科长）任办公室主任，负责日常事务。",
     [("丁雨桐", "办公室主任", "人事科科长")]),
    ("成立工作组，严子墨（党支部书记）任组长，齐海波（办公室主任）、鲁思远任副组长。",
     [("严子墨", "组长", "党支部书记"), ("齐海波", "副组长", "办公室主任"), ("鲁思远", "副组长", N)]),
    # a two-character name written with a blank inside an appointment, after a title or with a suffix
    ("校长韩志远任组长，党支部书记汤佳宁、副校长龚 磊任副组长，各处室主任为成员。",
     [("韩志远", "组长", "校长"), ("汤佳宁", "副组长", "党支部书记"), ("龚磊", "副组长", "副校长")]),
    ("组长由副院长邹 敏担任，办公室主任由褚 林同志兼任。",
     [("邹敏", "组长", "副院长"), ("褚林", "办公室主任", N)]),
    # a person with two roles appears twice
    ("梁晓东任组长兼办公室主任。", [("梁晓东", "组长", N), ("梁晓东", "办公室主任", N)]),
    ("副组长兼办公室主任：梁晓东", [("梁晓东", "副组长", N), ("梁晓东", "办公室主任", N)]),
    ("组长：陈立群\n副组长：何晓梅\n领导小组下设办公室，何晓梅同志兼任办公室主任。",
     [("陈立群", "组长", N), ("何晓梅", "副组长", N), ("何晓梅", "办公室主任", N)]),
    # teams of an event plan; duty lists (role = the label as written), a list running into the next label
    ("一队：一年级和二年级，组长：宋玉兰，副组长：唐国庆。\n二队：三年级和四年级，组长：钟丽萍，副组长：谢文军。",
     [("宋玉兰", "组长", N), ("唐国庆", "副组长", N), ("钟丽萍", "组长", N), ("谢文军", "副组长", N)]),
    ("拔河比赛：陈立群、何晓梅、林国栋\n活动摄影：周文斌",
     [("陈立群", "拔河比赛", N), ("何晓梅", "拔河比赛", N), ("林国栋", "拔河比赛", N), ("周文斌", "活动摄影", N)]),
    ("趣味活动：郑海燕、吴建华、孙丽娟活动摄影：马志强",
     [("郑海燕", "趣味活动", N), ("吴建华", "趣味活动", N), ("孙丽娟", "趣味活动", N), ("马志强", "活动摄影", N)]),
    ("总指挥：陈立群，副总指挥：何晓梅、林国栋。",
     [("陈立群", "总指挥", N), ("何晓梅", "副总指挥", N), ("林国栋", "副总指挥", N)]),
    ("裁判长：周文斌\n裁判员：郑海燕、吴建华", [("周文斌", "裁判长", N), ("郑海燕", "裁判员", N), ("吴建华", "裁判员", N)]),
    ("总裁判长：周文斌\n径赛裁判长：郑海燕    田赛裁判长：吴建华\n检录组：孙丽娟、马志强\n宣传组：政教处",
     [("周文斌", "总裁判长", N), ("郑海燕", "径赛裁判长", N), ("吴建华", "田赛裁判长", N), ("孙丽娟", "检录组", N),
      ("马志强", "检录组", N)]),
    ("组长：陈立群、何晓梅副组长：林国栋", [("陈立群", "组长", N), ("何晓梅", "组长", N), ("林国栋", "副组长", N)]),
    # duty labels of parts joined by 、 (role = the whole label as written); one name after a duty label
    ("一、现场分工\n通讯、联络、摄像：韩志远、汤佳宁、龚磊\n秩序维护、疏散引导：邹敏、褚林\n医疗救护：严子墨",
     [("韩志远", "通讯、联络、摄像", N), ("汤佳宁", "通讯、联络、摄像", N), ("龚磊", "通讯、联络、摄像", N),
      ("邹敏", "秩序维护、疏散引导", N), ("褚林", "秩序维护、疏散引导", N), ("严子墨", "医疗救护", N)]),
    ("2.宣传、报道：齐文博\n后勤保障：校医 鲁思远", [("齐文博", "宣传、报道", N), ("鲁思远", "后勤保障", "校医")]),
    # groups in brackets continuing a 成员 list (title = the group's label); a bracket after one name is a note
    ("成员：韩志远、汤佳宁、龚磊（华安物业）；\n初二各班班主任（邹敏、褚 林、严子墨）；\n信息技术教师（齐海波、鲁思远）；\n"
     "校医（萧雅琪）\n三、活动安排",
     [("韩志远", "成员", N), ("汤佳宁", "成员", N), ("龚磊", "成员", N), ("邹敏", "成员", "初二各班班主任"),
      ("褚林", "成员", "初二各班班主任"), ("严子墨", "成员", "初二各班班主任"), ("齐海波", "成员", "信息技术教师"),
      ("鲁思远", "成员", "信息技术教师"), ("萧雅琪", "成员", "校医")]),
    ("组员：语文教师（韩志远、汤佳宁）、后勤（龚磊）", [("韩志远", "组员", "语文教师"), ("汤佳宁", "组员", "语文教师"),
                                            ("龚磊", "组员", "后勤")]),
    # table rows: role, title, name / title, name, role
    ("召集人 校长 王大明 综理全校事务\n执行秘书 教务主任 李小华", [("王大明", "召集人", "校长"), ("李小华", "执行秘书", "教务主任")]),
    ("职称 姓名 职务\n校长 王大明 召集人\n教务主任 李小华 执行秘书",
     [("王大明", "召集人", "校长"), ("李小华", "执行秘书", "教务主任")]),
    # transposed tables: a label, then one name per cell (blanks inside a name dropped); a header of numbers, none
    ("连队\t1\t2\t3\t4\n班主任\t韩 志 远\t汤佳 宁\t龚 磊\t邹敏\n教官\t褚 林\t严子墨\t齐海波\t齐海波\n"
     "体育教师\t鲁思远\t\t萧 雅 琪\t",
     [("韩志远", "班主任", N), ("汤佳宁", "班主任", N), ("龚磊", "班主任", N), ("邹敏", "班主任", N),
      ("褚林", "教官", N), ("严子墨", "教官", N), ("齐海波", "教官", N), ("鲁思远", "体育教师", N),
      ("萧雅琪", "体育教师", N)]),
    ("组别\t第一组\t第二组\n组长\t韩志远\t汤佳宁\n组员\t龚磊、邹敏\t褚林、严子墨",
     [("韩志远", "组长", N), ("汤佳宁", "组长", N), ("龚磊", "组员", N), ("邹敏", "组员", N), ("褚林", "组员", N),
      ("严子墨", "组员", N)]),
    # signatories: a line that is only a title and a name (role = the title without blanks)
    ("请查照。\n局  长 韩志远\n2026年3月1日", [("韩志远", "局长", N)]),
    ("计划统筹：汤佳宁（中心主任）\n……\n中心主任　汤佳宁", [("汤佳宁", "计划统筹", "中心主任"), ("汤佳宁", "中心主任", N)]),
    ("主任委员 龚磊", [("龚磊", "主任委员", N)]),
    # owner notes are no people; a 负责人 list opening its line in an organisation part is
    ("1.完善制度。明确包保责任人。（责任人：安全部部长韩志远）\n2.上门辅导。安排数码大使个别辅导。负责人：汤佳宁\n"
     "3.义工培训（负责人：龚磊）\n四、分工\n楼层疏散负责人：邹敏、褚林\n集合场地负责人：严子墨",
     [("邹敏", "楼层疏散负责人", N), ("褚林", "楼层疏散负责人", N), ("严子墨", "集合场地负责人", N)]),
]

# Taiwan-school and other traditional rows: converted with t2s before the call
TRADITIONAL = [
    ("召集人：校長 王大明\n執行秘書：教務主任 李小華\n委員：學務主任 陳美玲、總務主任 林志豪",
     [("王大明", "召集人", "校长"), ("李小华", "执行秘书", "教务主任"), ("陈美玲", "委员", "学务主任"),
      ("林志豪", "委员", "总务主任")]),
    ("職稱 姓名 職務\n校長 王大明 召集人\n教務主任 李小華 執行秘書",
     [("王大明", "召集人", "校长"), ("李小华", "执行秘书", "教务主任")]),
    ("組長：劉建國　張麗華\n副組長：黃志偉、鄭淑芬", [("刘建国", "组长", N), ("张丽华", "组长", N),
                                                  ("黄志伟", "副组长", N), ("郑淑芬", "副组长", N)]),
    ("組長由陳立群同志擔任，副組長由副校長何曉梅擔任。", [("陈立群", "组长", N), ("何晓梅", "副组长", "副校长")]),
    ("黨委書記陳立群、院長何曉梅任組長。", [("陈立群", "组长", "党委书记"), ("何晓梅", "组长", "院长")]),
    ("領導小組下設辦公室，辦公室主任林國棟（兼）。", [("林国栋", "办公室主任", N)]),
    ("聯絡員：吳建華\n執行祕書：馬志強", [("吴建华", "联络员", N), ("马志强", "执行秘书", N)]),
    ("領導小組下設辦公室，設在財務處，鄧雅琴（財務處處長）任辦公室主任，負責日常工作。",
     [("邓雅琴", "办公室主任", "财务处处长")]),
    ("院長程國強任組長，黨委副書記顧曉雯、副院長蕭 偉任副組長，各職能科室負責人為成員。",
     [("程国强", "组长", "院长"), ("顾晓雯", "副组长", "党委副书记"), ("萧伟", "副组长", "副院长")]),
    ("副組長：馬志強 黃春燕\n徐 靜\n成  員：朱 偉 羅建平", [("马志强", "副组长", N), ("黄春燕", "副组长", N),
                                                   ("徐静", "副组长", N), ("朱伟", "成员", N), ("罗建平", "成员", N)]),
    ("警報、廣播、電子屏：韓志遠、湯佳寧\n醫療救護：龔磊", [("韩志远", "警报、广播、电子屏", N),
                                                 ("汤佳宁", "警报、广播、电子屏", N), ("龚磊", "医疗救护", N)]),
    ("成員：韓志遠、湯佳寧（華安物業）；\n體育教師（鄒敏、褚 林）；\n醫務（嚴子墨）",
     [("韩志远", "成员", N), ("汤佳宁", "成员", N), ("邹敏", "成员", "体育教师"), ("褚林", "成员", "体育教师"),
      ("严子墨", "成员", "医务")]),
    ("班級\t1\t2\t3\n導師\t韓 志 遠\t湯佳 寧\t龔 磊\n教官\t鄒 敏\t褚林\t嚴子墨",
     [("韩志远", "导师", N), ("汤佳宁", "导师", N), ("龚磊", "导师", N), ("邹敏", "教官", N), ("褚林", "教官", N),
      ("严子墨", "教官", N)]),
    ("請查照。\n部  長 韓志遠\n中心主任　湯佳寧", [("韩志远", "部长", N), ("汤佳宁", "中心主任", N)]),
    ("1.落實責任。（責任人：總務處處長韓志遠）\n2.個別輔導。負責人：湯佳寧\n樓層疏散負責人：龔磊",
     [("龚磊", "楼层疏散负责人", N)]),
    # Taiwan seats counted before the appointment; a second appointment after a comma (Hong Kong)
    ("置召集人一人，由政務次長陳怡蓁兼任；執行秘書一人，由綜合規劃司司長黃志明兼任；委員若干人。",
     [("陈怡蓁", "召集人", "政务次长"), ("黄志明", "执行秘书", "综合规划司司长")]),
    ("成立督導委員會，由勞工及福利局副局長梁詠詩擔任主席，社會福利署署長何志明擔任副主席。",
     [("梁咏诗", "主席", "劳工及福利局副局长"), ("何志明", "副主席", "社会福利署署长")]),
]

# placeholders, titles without a name, units, prose: no people
NO_PEOPLE = [
    "组长：xx\n副组长：XXX\n成员：×××",
    "成员：各科室负责人、各职能科室负责人、相关人员",
    "组长：院长\n副组长：副院长\n成员：各处室主任、年级组长、班主任",
    "组长：某某\n成员：张某、李某某",
    "成员：医务科、护理部、党办、院办",
    "成员：宣传组、后勤组、保卫部、高新区、江北中学",
    "领导组下设办公室，xx兼办公室主任。",
    "成立由书记、院长为组长、副院长为副组长、科室负责人为成员的领导小组。",
    "学校成立以校长为组长，分管副校长为副组长，各处室主任为成员的工作领导小组。",
    "各单位要成立由主要领导任组长的工作机构。",
    "各科室主任为本科室第一责任人，组长负责全面工作，班子成员要带头。",
    "时间：3月8日\n地点：学校操场\n参加人员：全体职工",
    "比赛项目：拔河、跳绳、踢毽子\n口号：安全第一，预防为主。",
    "主办单位：高新区教育局\n联系人：王老师，电话：12345678",
    "主任：负责全面工作；副主任：协助主任工作。",
    "具体分工如下：\n宣传报道：办公室\n后勤保障：总务处",
    "总指挥：公司总经理\n副总指挥：公司副总经理",
    "张明同志不再担任组长职务。",
    "組長：校長\n成員：各處室主任",
    # duty labels joined by 、 over prose; names with their duty; a header row; grades in cells; a title alone
    "朱玛莉、张帆：警报声发出、扩音设备准备。\n时间、地点：3月8日 学校操场\n宣传、后勤：办公室、总务处",
    "班级\t1\t2\t3\n年级\t高一\t高二\t高三\n时间\t内容\t地点\t负责人\n7：00\t模拟报警\t操场\t韩志远、汤佳宁",
    "部长 各处室主任\n校长\n院长 全体职工",
    "工作任务\t负责人\t配合人\n安全检查\t韩志远\t汤佳宁\n设备巡查\t龚磊\t邹敏、褚林",
    "（责任人：安全部部长韩志远；配合：各车间主任）",
]

# (text, name, role, group)
GROUPS = [
    ("成立领导小组，具体组成如下：\n组长：陈立群", "陈立群", "组长", "领导小组"),
    ("领导小组下设办公室，办公室主任由何晓梅兼任。", "何晓梅", "办公室主任", "办公室"),
    ("领导小组下设办公室，办公室设在教务处，主任：林国栋。", "林国栋", "主任", "办公室"),
    ("一队：一年级，组长：宋玉兰。", "宋玉兰", "组长", "一队"),
    ("公司成立项目指挥部，总指挥：陈立群。", "陈立群", "总指挥", "指挥部"),
    ("成员：林国栋", "林国栋", "成员", None),
]


def _check(text: str, expected: list[tuple]) -> None:
    found = find_people(text)
    _assert_grounded(text, found)
    assert sorted((p.name, p.role, p.title) for p in found) == sorted(expected)


def _assert_grounded(text: str, found) -> None:
    for p in found:
        span = text[p.start:p.end]
        assert re.sub(r"\s", "", span) == p.name, (span, p)
        assert not span[0].isspace() and not span[-1].isspace()


@pytest.mark.parametrize("text, expected", SIMPLIFIED)
def test_simplified(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", TRADITIONAL)
def test_traditional(text, expected):
    _check(normalize(text)[0], expected)


@pytest.mark.parametrize("text, expected", [r for r in SIMPLIFIED if t2s(s2t(r[0])) == r[0]])
def test_simplified_rows_written_in_traditional(text, expected):
    _check(t2s(s2t(text)), expected)


@pytest.mark.parametrize("text", NO_PEOPLE)
def test_placeholders_and_prose_are_not_people(text):
    assert find_people(t2s(text)) == []


@pytest.mark.parametrize("text, name, role, group", GROUPS)
def test_group(text, name, role, group):
    got = [p for p in find_people(text) if (p.name, p.role) == (name, role)]
    assert len(got) == 1 and got[0].group == group


@pytest.mark.parametrize("text, span", [
    ("院长何国平任组长，副院长苏 伟任副组长。", "苏 伟"),
    ("组长由副校长龚 磊担任。", "龚 磊"),
    ("组长：院长\u3000何 伟", "何 伟"),
])
def test_blank_name_after_a_title_spans_the_blank(text, span):
    (p,) = [p for p in find_people(text) if " " in text[p.start:p.end] or "\u3000" in text[p.start:p.end]]
    assert text[p.start:p.end] == span


@pytest.mark.parametrize("text, span", [
    ("班主任\t方 建 平\t顾秀 芳", ["方 建 平", "顾秀 芳"]),
    ("部  长 杜 伟", ["杜 伟"]),
])
def test_table_cell_and_signatory_names_span_their_blanks(text, span):
    assert [text[p.start:p.end] for p in find_people(text)] == span


def test_two_char_name_with_a_blank_is_one_grounded_person():
    text = "成 员:朱 伟 罗建平"
    (a, b) = find_people(text)
    assert (a.name, text[a.start:a.end]) == ("朱伟", "朱 伟")
    assert (b.name, text[b.start:b.end]) == ("罗建平", "罗建平")


def test_one_entry_per_name_and_role():
    text = "成员：陈立群、何晓梅\n综合组\n成员：陈立群"
    assert [(p.name, p.role) for p in find_people(text)] == [("陈立群", "成员"), ("何晓梅", "成员")]


@pytest.mark.parametrize("s, ok", [
    ("陈立群", True), ("王芳", True), ("欧阳明华", True), ("许兵", True),
    ("院长", False), ("党委书记", False), ("各科室负责人", False), ("相关人员", False), ("医务科", False),
    ("党办", False), ("高新区", False), ("某某", False), ("张某", False), ("xx", False), ("XXX", False),
    ("×××", False), ("全体", False), ("科室主任", False), ("王老师", False), ("陈立群华", False),
])
def test_is_name(s, ok):
    assert is_name(s) is ok


@pytest.mark.parametrize("run, expected", [
    ("院长何晓梅", ("院长", 2, 5)),
    ("党委书记陈立群", ("党委书记", 4, 7)),
    ("林国栋同志", (None, 0, 3)),
    ("由院长张三", ("院长", 3, 5)),
    ("周文斌兼任", (None, 0, 3)),
    ("医院成立领导小组", None),
])
def test_split_name(run, expected):
    assert split_name(run) == expected


# ---------------------------------------------------------------- grounding as a property

_NAMES = ["陈立群", "何晓梅", "林国栋", "周文斌", "郑海燕", "吴建华", "徐 静", "朱 伟", "许 兵", "欧阳明华"]
_ROLES = ["组长", "副组长", "成员", "组  长", "成  员", "联络员", "召集人", "执行秘书"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_ROLES), st.lists(st.sampled_from(_NAMES), min_size=1, max_size=6),
                          st.sampled_from([" ", "、", "，", "  ", "\u3000"]), st.sampled_from(["：", ":"])),
                min_size=1, max_size=4))
def test_lists_give_their_grounded_names(lines):
    text = "\n".join(role + colon + sep.join(names) for role, names, sep, colon in lines)
    found = find_people(text)
    _assert_grounded(text, found)
    expected = {(n.replace(" ", ""), role.replace(" ", "")) for role, names, _, _ in lines for n in names}
    assert {(p.name, p.role) for p in found} == expected


# ---------------------------------------------------------------- data and speed


def test_cue_file_is_simplified_and_complete():
    table = lexicon.groups("people")
    for group in ("roles", "groups", "title_suffixes", "placeholders", "surnames", "compound_surnames"):
        assert table[group]
    for group, entries in table.items():
        for entry in entries:
            assert t2s(entry) == entry, f"[{group}] {entry}"
    assert all(len(s) == 1 for s in table["surnames"]) and all(len(s) == 2 for s in table["compound_surnames"])
    assert lexicon.regexes("people")


_PROSE = (
    "各科室要高度重视，把这项工作列入重要议事日程，主要负责人亲自抓，分管领导具体抓，班子成员分工负责，"
    "科室主任为本科室第一责任人，形成一级抓一级、层层抓落实的工作格局。要加强督促检查，领导小组办公室定期"
    "通报工作进展情况，对工作不力的科室和个人严肃问责。时间：3月1日至12月31日。要求：各科室于每月底前报送"
    "工作总结，由办公室汇总后报领导小组。成员单位要密切配合，形成合力，确保各项工作落到实处、取得实效。\n"
    "坚持以人民为中心的发展思想，深入贯彻落实新发展理念，围绕提升服务质量和群众满意度这一目标，着力解决"
    "群众反映强烈的突出问题，持续改进工作作风，优化服务流程，完善便民措施，推动各项工作提质增效。通过开展"
    "专题学习、集中研讨、案例剖析等形式，引导干部职工进一步增强宗旨意识和服务意识，切实把思想和行动统一"
    "到决策部署上来，以优良作风保障各项目标任务顺利完成，为推动高质量发展提供坚强保障。\n"
)
def _long_plan(n_blocks: int) -> str:
    """A plan-like text: prose full of role words, colons and group words, and an organisation section (11 people)
    per block, with names never seen before."""
    given_names = "立群晓梅国栋文斌海燕建华丽娟志强春燕明亮秀英建平晓东玉兰国庆"
    surnames = lexicon.words("people", "surnames")
    blocks = []
    for i in range(n_blocks):
        names = [surnames[(i * 11 + k) % 300] + given_names[(i + k) % len(given_names)] +
                 given_names[(i * 3 + 2 * k) % len(given_names)] for k in range(11)]
        blocks.append(
            _PROSE * 18 + f"（{i}）加强组织领导。成立工作领导小组，具体组成：\n组  长：{names[0]} {names[1]}\n"
            f"副组长：{names[2]}、{names[3]}\n成  员：{names[4]} {names[5]} {names[6]}\n{names[7]} {names[8]}\n"
            f"领导小组下设办公室，办公室主任由{names[9]}兼任，负责日常工作。拔河比赛：{names[10]}、{names[0]}。\n")
    return "".join(blocks)


def test_a_long_plan_with_unseen_names():
    """40,000 characters with an organisation section every ~8,000 characters and names never seen before:
    every list is read (speed is measured by bench/, not here)."""
    found = find_people(_long_plan(6)[:40000])
    assert len(found) >= 55


# ---------------------------------------------------------------- the seeds' gold


@pytest.fixture(scope="module")
def seed_counts():
    """(true positives, system people, gold people, differences) of (name, role) as the scorer counts them.
    The seeds go through ingest, normalize and split with only the people extractor running."""
    score = reference_scorer()
    tp = n_sys = n_gold = 0
    diffs = []
    for seed, plans, objects in seed_plans_with(lambda plan: setattr(plan, "people", find_people(plan.text))):
        gold = gold_plans(seed)
        for p in objects:
            _assert_grounded(p.text, p.people)
        pairs = score.match_plans(plans, gold)
        for i, j in pairs:
            if "people" not in gold[j]:
                continue
            got = {(score.canon(p["name"]), score.canon(p["role"])) for p in plans[i]["people"]}
            want = {(score.canon(p["name"]), score.canon(p["role"])) for p in gold[j]["people"]}
            tp += len(got & want)
            n_sys += len(got)
            n_gold += len(want)
            diffs += [(seed.name, "missed", x) for x in sorted(want - got)]
            diffs += [(seed.name, "extra", x) for x in sorted(got - want)]
        matched = {j for _, j in pairs}
        n_gold += sum(len(g.get("people", [])) for j, g in enumerate(gold) if j not in matched)
    return tp, n_sys, n_gold, diffs


@needs_seeds
def test_seed_precision_and_recall(seed_counts):
    tp, n_sys, n_gold, diffs = seed_counts
    precision, recall = tp / max(n_sys, 1), tp / max(n_gold, 1)
    print(f"\nseed people: P {precision:.3f} R {recall:.3f} ({tp} of {n_sys} found, {tp} of {n_gold} gold)")
    assert n_gold > 0
    assert precision >= 0.9 and recall >= 0.9, diffs


