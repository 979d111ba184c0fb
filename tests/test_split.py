"""Plan splitting: part headers, plans run together, page clutter; the seeds' plans as the gold has them."""
import pytest
from conftest import gold_plans, needs_seeds, seed_files

from pipeline.errors import InputError
from pipeline.normalize import to_simplified
from pipeline.identity import signature, similarity
from pipeline.split import split_plans

PLAN_A = """为加强校园安全管理，结合我校实际，特制定本方案。
一、工作目标
全面排查校园安全隐患，确保师生安全。
二、主要任务
1.开展隐患排查。由总务处牵头，于3月底前完成。
2.加强安全教育。每月开展一次安全教育活动。"""

PLAN_B = """根据区教育局工作部署，现制定本校运动会实施方案如下。
一、活动时间
2025年10月15日至10月16日。
二、活动安排
1.开幕式。由体育组负责。
2.田径比赛。各班按时参赛。"""

SIGNED = PLAN_A + "\n三、工作要求\n各部门要高度重视，认真落实各项工作任务，确保活动取得实效，切实提高全校师生的安全意识和自我保护能力，营造平安和谐的校园环境，为学校各项工作顺利开展提供坚实保障。\n某某市第一中学\n2025年3月1日\n"

PAGE = ("2025年学校活动方案精选（实用3篇）\n格式:DOC 上传日期:2025-01-01\n小编:某某\n"
        "以下是小编帮大家整理的方案范文，仅供参考。\n"
        "学校活动方案篇一\n" + PLAN_A + "\n"
        "学校活动方案篇二\n" + SIGNED + PLAN_B + "\n"
        "【本文地址:http://example.invalid/x.html】\n全文阅读已结束，如果需要下载本文请点击\n下载此文档\n")


def _texts(text):
    return [text[s:e] for s, e in split_plans(text)]


def test_part_headers_and_page_clutter():
    plans = _texts(PAGE)
    assert len(plans) == 3
    assert plans[0].startswith("学校活动方案篇一\n为加强校园安全管理")
    assert plans[1].startswith("学校活动方案篇二\n为加强") and plans[1].endswith("2025年3月1日")
    assert plans[2].startswith("根据区教育局工作部署") and plans[2].endswith("各班按时参赛。")
    assert not any("小编" in p or "本文地址" in p or "下载此文档" in p for p in plans)


def test_numbering_restart_under_a_new_preamble():
    plans = _texts(PLAN_A + "\n" + PLAN_B)
    assert plans == [PLAN_A, PLAN_B]


def test_cover_notice_does_not_split_off():
    notice = "关于印发《某某方案》的通知\n各科室：\n现将方案印发给你们，请认真组织实施。\n某某医院\n2024年3月15日\n"
    assert len(_texts(notice + PLAN_A)) == 1


def test_traditional_text_splits_the_same_way():
    trad = "為加強校園安全管理，結合我校實際，特制定本方案。\n一、工作目標\n全面排查校園安全隱患。\n二、主要任務\n1.開展隱患排查。"
    text = to_simplified(trad + "\n" + "根據區教育局工作部署，現制定本校運動會實施方案如下。\n一、活動時間\n2025年10月15日至10月16日。")
    assert len(split_plans(text)) == 2


def test_only_clutter_is_no_plan():
    with pytest.raises(InputError) as e:
        split_plans("格式:DOC 上传日期:2025-01-01\n小编:某某\n下载此文档\n")
    assert e.value.code == "no_plan"


def test_near_duplicate_signature():
    a, b = signature(PLAN_A), signature(PLAN_A.replace("3月底", "4月底"))
    assert similarity(a, signature(PLAN_A)) == 1.0
    assert 0.5 < similarity(a, b) < 1.0
    assert similarity(a, signature(PLAN_B)) < 0.2


@needs_seeds
@pytest.mark.parametrize("seed", seed_files(), ids=lambda p: p.name[:3])
def test_seed_spans_match_gold(seed):
    text = to_simplified(seed.read_text(encoding="utf-8"))
    spans = split_plans(text)
    gold = [g["source"]["span"] for g in gold_plans(seed)]
    assert len(spans) == len(gold)
    for (s, e), (gs, ge) in zip(spans, gold):
        overlap = (min(e, ge) - max(s, gs)) / (max(e, ge) - min(s, gs))
        assert overlap > 0.95, (s, e, gs, ge)


TAIWAN = """某某部推動校園安全實施計畫
壹、依據：
依據本部校園安全政策辦理。
貳、目標：
一、建立校園安全通報機制。
二、提升師生防災知能。
參、實施方式：
為落實本計畫，全面提升校園安全水準，各校應依下列方式辦理：
一、各校每學期辦理防災演練一次。
二、本部每年辦理訪視。
肆、經費：
由本部相關經費支應。"""


def test_numbering_restart_under_tw_top_level_markers_is_one_plan():
    text = to_simplified(TAIWAN)  # as the pipeline reads a traditional plan
    assert len(split_plans(text)) == 1
    # without 壹、贰、 the same restart under a new preamble starts a new plan
    flat = "\n".join(ln for ln in text.split("\n") if not ln.startswith(("壹", "贰", "参", "肆")))
    assert len(split_plans(flat)) == 2
