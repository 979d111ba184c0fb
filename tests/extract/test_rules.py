"""Rules: one row per modality cue, precedence, names, exemptions, targets and weak words (both scripts),
amounts, condition / consequence / subject, sentence cutting and grounding, the data files, speed, and
precision / recall against the gold rules of the seed plans (matched as the scorer matches them)."""
from __future__ import annotations


import pytest

from conftest import ROOT, gold_plans, needs_seeds, reference_scorer, seed_files, seed_plans_with
from pipeline import lexicon
from pipeline.extract.rules import find_rules, split_sentences
from pipeline.model import Amount
from pipeline.script import t2s


def _rules(text):
    return find_rules(t2s(text))


def _one(text):
    rules = _rules(text)
    assert len(rules) == 1, [r.text for r in rules]
    return rules[0]


# (sentence as written, modality); traditional rows go through t2s like a plan's text does
MODALITY = [
    # prohibitions
    ("严禁工作人员收受服务对象的礼品礼金。", "prohibition"),
    ("嚴禁工作人員收受服務對象的禮品禮金。", "prohibition"),
    ("学生不得携带手机进入考场。", "prohibition"),
    ("學生不得攜帶手機進入考場。", "prohibition"),
    ("禁止在校园内吸烟。", "prohibition"),
    ("禁止在校園內吸菸。", "prohibition"),
    ("值班期间不准擅自离岗。", "prohibition"),
    ("比赛中一律不许推搡对方队员。", "prohibition"),
    ("坚持廉洁办事，杜绝吃拿卡要现象。", "prohibition"),
    ("未经批准，不允许外来车辆进入厂区。", "prohibition"),
    # obligations
    ("全体员工必须参加消防疏散演练。", "obligation"),
    ("全體員工必須參加消防疏散演練。", "obligation"),
    ("各处室应当于9月1日前报送工作计划。", "obligation"),
    ("授课教师均应参加期初研习。", "obligation"),
    ("授課教師均應參加期初研習。", "obligation"),
    ("申报材料应包括个人简历和业绩证明两部分。", "obligation"),
    ("参赛选手务必提前30分钟到场检录。", "obligation"),
    ("各班须于周五前上交参赛名单。", "obligation"),
    ("外来人员一律凭证件登记入校。", "obligation"),
    ("要求每名党员每周学习时长不少于2小时。", "obligation"),
    ("各网格每周入户走访不少于2次。", "obligation"),
    # sanctions
    ("违者扣发当月绩效200~500元。", "sanction"),
    ("違者扣發當月績效200~500元。", "sanction"),
    ("违者依相关规定议处。", "sanction"),
    ("違者依相關規定議處。", "sanction"),
    ("对工作敷衍、推诿扯皮的进行严肃问责。", "sanction"),
    ("情节严重的，给予诫勉谈话。", "sanction"),
    ("情節嚴重的，給予誡勉談話。", "sanction"),
    ("经查实的，每次罚款100元。", "sanction"),
    ("造成不良社会影响的，按规定追究有关人员责任。", "sanction"),
    ("对履职不力的科室负责人，要进行组织调整。", "sanction"),
    ("屡教不改的，给予组织处理。", "sanction"),
    ("对弄虚作假、应付检查的严肃处理。", "sanction"),
    ("对情节恶劣的进行查处。", "sanction"),
    ("发现的违纪线索，及时移送纪检部门严肃查处。", "sanction"),
    ("加大对慢作为、乱作为的问责力度。", "sanction"),
    ("全面落实安全生产责任制，实行责任追究制度。", "sanction"),
    ("未按时完成整改的，予以通报批评。", "sanction"),
    ("考试作弊者，取消当年评优资格。", "sanction"),
    ("每人次扣当事人绩效20元。", "sanction"),
    ("违反作息纪律的班级，每次扣班级量化分2分。", "sanction"),
    ("比赛中如有冒名顶替者，取消该班团体总分。", "sanction"),
    ("检录三次未到者，按弃权处理。", "sanction"),
    ("檢錄三次未到者，按棄權處理。", "sanction"),
    ("违规经营的商户，由执法部门依法予以处罚。", "sanction"),
    ("違反規定者，記小過一次。", "sanction"),
    # rewards
    ("对表现突出的科室和个人给予表彰奖励。", "reward"),
    ("對表現突出的處室和個人給予表揚獎勵。", "reward"),
    ("对活动中表现突出的班级，学期末予以通报表彰。", "reward"),
    ("收到群众感谢信的，每次奖200元。", "reward"),
    ("本次比赛设一等奖3名、二等奖5名。", "reward"),
    ("对实绩突出、群众公认的干部，要提拔使用。", "reward"),
    ("承办人员嘉奖二次，协办人员嘉奖一次。", "reward"),
    ("承辦人員嘉獎二次，協辦人員嘉獎一次。", "reward"),
    ("成绩进步显著者，由教务处颁发奖状以资鼓励。", "reward"),
    ("成績進步顯著者，由教務處頒發獎狀以資鼓勵。", "reward"),
    ("获得区级以上奖项的班级加5分。", "reward"),
    ("熱心服務表現優良者，記小功一次。", "reward"),
]


@pytest.mark.parametrize("text,modality", MODALITY)
def test_modality(text, modality):
    assert _one(text).modality == modality


# sanction > reward > prohibition > obligation, wherever the cues stand
PRECEDENCE = [
    ("严禁私自加价，违者每次扣发绩效300元，对检举人奖励100元。", "sanction"),
    ("嚴禁私自加價，違者每次扣發績效300元，對檢舉人獎勵100元。", "sanction"),
    ("对工作成效明显的奖励500元，对工作不力的扣罚200元。", "sanction"),
    ("对表现突出的班级予以表彰，不得弄虚作假。", "reward"),
    ("各部门必须落实值班制度，不得脱岗。", "prohibition"),
    ("各部門必須落實值班制度，不得脫崗。", "prohibition"),
    ("任何人不得代签，违反者取消考核资格。", "sanction"),
]


@pytest.mark.parametrize("text,modality", PRECEDENCE)
def test_precedence(text, modality):
    assert _one(text).modality == modality


# sentences whose cue words do not make a rule
NOT_RULES = [
    # prohibition or obligation words inside a quoted name, a title or a numbered rule set
    "组织全体职工学习“九不准”规定。",
    "組織全體職工學習「九不準」規定。",
    "认真对照“八个严禁”和“52个不准”进行自查。",
    "牢记“两个务必”，保持艰苦奋斗作风。",
    "坚持“三个必须”的原则。",
    "认真学习《关于严禁领导干部违规经商办企业的规定》。",
    "认真學習《關於嚴禁領導幹部違規經商辦企業的規定》。",
    "贯彻落实八个严禁要求。",
    # exemptions
    "经核实无责任的，不扣罚绩效。",
    "經核實無責任的，不扣罰績效。",
    "因公外出及病假人员除外。",
    "主动说明情况的，免予处分。",
    # targets
    "门诊患者满意率达到90%以上。",
    "群众满意度必须达到95%以上。",
    "參賽率達到90%以上。",
    # weak words and compounds that only contain a cue
    "各科室要高度重视作风建设。",
    "作风教育不能仅停留在口头，应把重点放在解决实际问题上。",
    "作風教育不能僅停留在口頭，應把重點放在解決實際問題上。",
    "提升校园突发事件应急处理水平。",
    "对政策理解不深、把握不准的问题依然存在。",
    "要处理好改革与稳定的关系。",
    "按照即查即改的要求，不得不加快进度。",
    "完善考核奖惩制度和责任追究制度。",
    "完善考核獎懲制度和責任追究制度。",
    "推行安全责任问责制。",
    "坚决查处招生考试中的违规行为。",
    "群众反映的问题得到及时查处。",
    "由分管领导研判处理，形成闭环。",
    "对投诉信息进行核查处理，及时回复。",
    "研究制定考核细则和奖惩措施。",
    "上级交办要求严肃处理的信访问题。",
    "规范行政处罚行为，提高执法水平。",
    "扣除成本后的收益用于设备更新。",
    "做好下岗职工再就业工作。",
    "组织党员学习纪律处分条例。",
    "培训结束后颁发结业证书。",
    "任何时候都不能放松警惕。",
    "任何時候都不能放鬆警惕。",
    # headings and document names
    "（五）严格考核问责\n各部门要加强日常管理。",
    "附件：安全管理奖惩制度\n",
]


@pytest.mark.parametrize("text", NOT_RULES)
def test_not_rules(text):
    assert _rules(text) == []


# an exemption inside a sentence that is otherwise a rule leaves the rule
def test_exemption_inside_a_rule():
    rule = _one("不得代收代交现金（押金除外）。")
    assert rule.modality == "prohibition"


# (sentence, [(value, upto, unit)])
AMOUNTS = [
    ("违者扣发绩效60~120元。", [(60, 120, "元")]),
    ("違者扣發績效60~120元。", [(60, 120, "元")]),
    ("每次扣当事人绩效50-200元。", [(50, 200, "元")]),
    ("按违规金额处以3~5倍罚款。", [(3, 5, "倍")]),
    ("按違規金額處以3~5倍罰款。", [(3, 5, "倍")]),
    ("视情节扣罚当月绩效30%以上。", [(30, None, "%")]),
    ("违反者停发奖金1~6个月。", [(1, 6, "个月")]),
    ("每下降1个百分点扣责任科室每人10元。", [(10, None, "元")]),
    ("并处违规所得10倍罚款。", [(10, None, "倍")]),
    ("如造成损失，责任人要按实价10%以上赔偿。", [(10, None, "%")]),
    ("满意度没有达到90%的，每下降1个百分点扣每人5元。", [(5, None, "元")]),
    ("违者扣罚200元至500元。", [(200, 500, "元")]),
    ("违者扣发一个月绩效。", [(1, None, "个月")]),
    ("区级每次奖励80元，市级每次奖励150元。", [(80, None, "元"), (150, None, "元")]),
    ("區級每次獎勵80元，市級每次獎勵150元。", [(80, None, "元"), (150, None, "元")]),
    # a range stated by its two bounds is one amount
    ("对违反规定的，处200元以上500元以下罚款。", [(200, 500, "元")]),
    ("對違反規定的，處200元以上500元以下罰款。", [(200, 500, "元")]),
    ("违者处五百元以上一千元以下罚款。", [(500, 1000, "元")]),
    ("違者處1萬元以上5萬元以下的罰款。", [(1, 5, "万元")]),
    ("违者处200元以上、500元以下罚款。", [(200, 500, "元")]),
    ("违者处200元以上罚款。", [(200, None, "元")]),
    ("违者扣罚200元，情节严重的扣罚500元以下。", [(200, None, "元"), (500, None, "元")]),
]


@pytest.mark.parametrize("text,amounts", AMOUNTS)
def test_amounts(text, amounts):
    assert _one(text).amounts == [Amount(v, u, unit) for v, u, unit in amounts]


# (sentence, condition, consequence)
CONDITIONS = [
    ("凡季度考评为差等的，第一次的书面提醒，第二次的给予诫勉谈话。",
     "凡季度考评为差等的", "第一次的书面提醒，第二次的给予诫勉谈话"),
    ("凡季度考評為差等的，第一次的書面提醒，第二次的給予誡勉談話。",
     "凡季度考评为差等的", "第一次的书面提醒，第二次的给予诫勉谈话"),
    ("对工作敷衍、推诿扯皮的进行严肃问责。", "对工作敷衍、推诿扯皮的", "进行严肃问责"),
    ("对成效突出的网格和个人，年底予以通报表彰。", "对成效突出的网格和个人", "年底予以通报表彰"),
    ("如有违反，取消其参赛资格。", "如有违反", "取消其参赛资格"),
    ("若发现弄虚作假，一律取消评优资格。", "若发现弄虚作假", "一律取消评优资格"),
    ("若發現弄虛作假，一律取消評優資格。", "若发现弄虚作假", "一律取消评优资格"),
    ("违者扣发绩效60~120元。", "违者", "扣发绩效60~120元"),
    ("情节严重的，给予诫勉谈话。", "情节严重的", "给予诫勉谈话"),
    ("违反规定私自收费者，扣发责任人绩效300元。", "违反规定私自收费者", "扣发责任人绩效300元"),
    ("严禁在检查中弄虚作假，违者按公司规定从严处理。", "违者", "按公司规定从严处理"),
    ("病人投诉查实后，每人次扣当事人绩效20元。", None, "每人次扣当事人绩效20元"),
]


@pytest.mark.parametrize("text,condition,consequence", CONDITIONS)
def test_condition_and_consequence(text, condition, consequence):
    rule = _one(text)
    assert (rule.condition, rule.consequence) == (condition, consequence)


def test_obligation_condition_and_no_consequence():
    rule = _one("发现疑似病例的，必须在2小时内报告。")
    assert (rule.modality, rule.condition, rule.consequence) == ("obligation", "发现疑似病例的", None)


# (sentence, subject)
SUBJECTS = [
    ("严禁医务人员向患者推销保健品。", "医务人员"),
    ("嚴禁醫務人員向患者推銷保健品。", "医务人员"),
    ("全院工作人员不得私自接受宴请。", "全院工作人员"),
    ("任何单位和个人都不得擅自占用消防通道。", "任何单位和个人"),
    ("比赛期间各班班主任须全程在场。", "各班班主任"),
    ("受輔學生不得無故缺席。", "受辅学生"),
    ("外单位进修、规培人员必须遵守本规定。", "外单位进修、规培人员"),
    ("经费应于年底前完成核销。", None),
    ("任何人不得以任何理由拒绝执行。", "任何人"),
    ("居民应当配合做好健康监测。", "居民"),
    ("發現發熱人員應立即報告。", None),
    ("会议要求每位参会人员必须准时到会。", "每位参会人员"),
]


@pytest.mark.parametrize("text,subject", SUBJECTS)
def test_subject(text, subject):
    assert _one(text).subject == subject


# sentence cutting: (text, the rule texts in order)
CUTTING = [
    # item markers and a lead phrase ending in a colon are not part of the rule
    ("重点抓好以下工作：(1)加强实验室管理，严禁违规存放危化品；(2)严禁私接电源；(3)定期检查。",
     ["加强实验室管理，严禁违规存放危化品；", "严禁私接电源；"]),
    ("二、工作要求\n1、全体职工必须遵守本制度。\n2、违者扣发绩效100元。",
     ["全体职工必须遵守本制度。", "违者扣发绩效100元。"]),
    # a sentence broken across lines by scraping is joined back (mid-line start, or an open bracket)
    ("食堂账目公开透明。严禁设立\n“小账本”或私自加价。", ["严禁设立\n“小账本”或私自加价。"]),
    ("认真落实《校园安全管理\n工作规范》，杜绝安全隐患。",
     ["认真落实《校园安全管理\n工作规范》，杜绝安全隐患。"]),
    # a line without end punctuation is a sentence of its own
    ("严禁酒后上岗\n加强巡查", ["严禁酒后上岗"]),
    # one rule per sentence, to 。/；/;
    ("严禁吸烟；禁止明火。必须佩戴安全帽; 不得攀爬。", ["严禁吸烟；", "禁止明火。", "必须佩戴安全帽;", "不得攀爬。"]),
]


@pytest.mark.parametrize("text,expected", CUTTING)
def test_sentence_cutting(text, expected):
    assert [r.text for r in find_rules(text)] == expected


GROUNDING = [
    "  （一）严禁私自收费；违者扣发绩效50~100元。\n\n附件：奖惩办法\n3.对表现突出的个人给予表彰。",
    "一、總體要求\n受輔學生不得無故缺席，請假應事先填寫假單；違者依相關規定議處。\n",
    "各项目设一等奖1名。\r\n凡迟到者，取消比赛资格！是否必须参加？必须。",
]


@pytest.mark.parametrize("text", GROUNDING)
def test_grounding(text):
    text = t2s(text)
    rules = find_rules(text)
    assert rules
    for r in rules:
        assert text[r.start:r.end] == r.text
        assert r.text == r.text.strip()
    assert [r.start for r in rules] == sorted(r.start for r in rules)


def test_split_sentences_grounded_and_ordered():
    text = "一、目标\n各部门要重视。严禁吸烟；\n（1）必须戴帽：（2）不得攀爬。"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["目标", "各部门要重视。", "严禁吸烟；", "必须戴帽：", "不得攀爬。"]


def test_cue_data_is_simplified_and_non_empty():
    table = lexicon.groups("rules")
    for group in ("prohibition", "obligation", "modal", "sanction", "sanction_weak", "reward", "not_cue",
                  "exemption", "subject_head", "amount_unit"):
        assert table[group]
    for group, entries in table.items():
        for entry in entries:
            assert t2s(entry) == entry, (group, entry)
    assert lexicon.regexes("rules")  # every pattern compiles


# ---------------------------------------------------------------- the seeds' gold


@pytest.fixture(scope="module")
def seed_counts():
    """(true positives, system rules, gold rules) over the seeds, matched and judged as the scorer does.
    The seeds go through ingest, normalize and split with only the rules extractor running."""
    score = reference_scorer()
    tp = n_sys = n_gold = 0
    for seed, plans, _ in seed_plans_with(lambda plan: setattr(plan, "rules", find_rules(plan.text))):
        gold = gold_plans(seed)
        for i, j in score.match_plans(plans, gold):
            if "rules" not in gold[j]:
                continue
            got, want = plans[i]["rules"], gold[j]["rules"]
            pairs = score.greedy(got, want, lambda s, g: score.sim(s["text"], g["text"]), 0.6)
            tp += sum(1 for a, b in pairs if got[a]["modality"] == want[b]["modality"])
            n_sys += len(got)
            n_gold += len(want)
        matched = {j for _, j in score.match_plans(plans, gold)}
        n_gold += sum(len(g.get("rules", [])) for j, g in enumerate(gold) if j not in matched)
    return tp, n_sys, n_gold


@needs_seeds
def test_seed_precision_floor(seed_counts):
    tp, n_sys, _ = seed_counts
    assert tp / n_sys >= 0.97, seed_counts


@needs_seeds
def test_seed_recall_floor(seed_counts):
    tp, _, n_gold = seed_counts
    assert tp / n_gold >= 0.97, seed_counts


def test_the_repository_holds_no_seed_text():
    """The rule data and tests are written for the genre, not copied from the seeds."""
    own = [ROOT / "models" / "cues" / "rules.txt", ROOT / "models" / "patterns" / "rules.txt",
           ROOT / "pipeline" / "extract" / "rules.py", ROOT / "tests" / "extract" / "test_rules.py"]
    sentences = set()
    for seed in seed_files():
        text = t2s(seed.read_text(encoding="utf-8"))
        sentences.update(text[s:e] for s, e in split_sentences(text) if e - s >= 16)
    for path in own:
        body = path.read_text(encoding="utf-8")
        assert not [s for s in sentences if s in body], path
