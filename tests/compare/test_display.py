"""A plan's items shown in its text: every span is the item exactly, in both scripts."""
from __future__ import annotations

import pytest

from pipeline.compare.display import SPANS_KEY, plan_doc, render
from pipeline.model import to_dict
from pipeline.process import read_plans

SIMPLIFIED = """某街道垃圾分类工作方案
一、工作安排
（一）动员部署阶段（2025年3月1日至3月15日）。
二、工作要求
各社区须于3月10日前上报名单，严禁弄虚作假；对工作不力的，予以通报批评。
"""
TRADITIONAL = """某學校防災演練實施計畫
一、實施期程
（一）準備階段（2025年9月1日至9月10日）。
二、注意事項
各班導師應於演練前說明路線，嚴禁學生擅自離隊。
"""


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL], ids=["simplified", "traditional"])
def test_every_item_is_a_span_of_its_own_text(tmp_path, text):
    f = tmp_path / "plan.txt"
    f.write_text(text, encoding="utf-8")
    plan = to_dict(read_plans(f)[0])
    assert plan["rules"] and plan["dates"] and plan["phases"]
    doc = plan_doc(plan)
    assert doc.text == plan["text"]
    spans = doc.spans[SPANS_KEY]
    expected = sorted((it["start"], it["end"]) for k in ("phases", "dates", "people", "rules") for it in plan[k])
    assert sorted((s.start_char, s.end_char) for s in spans) == expected
    for span in spans:
        assert span.text == plan["text"][span.start_char:span.end_char]
    labels = {s.label_ for s in spans}
    assert {"date", "phase"} <= labels and any(lb.startswith("rule:") for lb in labels)
    html = render(plan)
    assert "rule:prohibition" in html and "严禁" in html


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL], ids=["simplified", "traditional"])
def test_the_rendered_text_reads_as_written_with_the_font_embedded(tmp_path, text):
    import html as html_lib
    import re

    from pipeline.compare.fonts import find_cjk_font

    f = tmp_path / "plan.txt"
    f.write_text(text, encoding="utf-8")
    plan = to_dict(read_plans(f)[0])
    out = render(plan)
    doc = plan_doc(plan)
    labels = {s.label_ for s in doc.spans[SPANS_KEY]}
    shown = html_lib.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", "", out, flags=re.S))
    for label in sorted(labels, key=len, reverse=True):
        shown = shown.replace(label, "")
    assert shown.strip("\n") == plan["text"].strip("\n")  # no space between words, line breaks kept
    assert "white-space: pre-wrap" in out
    if find_cjk_font() is not None:
        assert "@font-face" in out and "data:font/woff;base64," in out
