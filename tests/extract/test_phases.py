"""Phases: steps under a steps heading with or without 阶段, 第N阶段/第N环节, the time in full- or half-width
parentheses or on the heading line, names without marker and time (第一阶段（9月1日—9月7日） is named 第一阶段),
year inference, ROC years, inconsistent phases, phases without a time, what is not a phase, and the phase
order that tasks inherit — one row per convention in simplified and traditional script (traditional rows go
through `normalize`), plus day bounds over generated ranges (hypothesis). All fixtures are invented."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.dates import find_dates
from pipeline.extract.phases import find_phases
from pipeline.extract.tasks import find_tasks
from pipeline.normalize import normalize
from pipeline.structure import build_sections

N = None


def _phases(text: str, year: int | None = 2023, roc: bool = False):
    t = normalize(text)[0]
    return find_phases(t, build_sections(t), year, roc)


def _rows(text: str, year: int | None = 2023, roc: bool = False):
    return [(p.name, p.time_text, p.first_day, p.last_day, p.inconsistent) for p in _phases(text, year, roc)]


# (text as written, year, expected [(name, time_text, first_day, last_day, inconsistent)])
PHASES = [
    # …阶段 with the time in full-width parentheses
    ("一、实施步骤\n（一）动员部署阶段（3月）\n（二）自查整改阶段（4月至6月）",
     2023, [("动员部署阶段", "3月", "2023-03-01", "2023-03-31", False),
            ("自查整改阶段", "4月至6月", "2023-04-01", "2023-06-30", False)]),
    ("一、實施步驟\n（一）動員部署階段（3月）\n（二）自查整改階段（4月至6月）",
     2023, [("动员部署阶段", "3月", "2023-03-01", "2023-03-31", False),
            ("自查整改阶段", "4月至6月", "2023-04-01", "2023-06-30", False)]),
    # half-width parentheses; a stated year; the end inherits year and month
    ("一、进度安排\n1.动员部署阶段(2022年3月1日-3月10日)\n2.集中整治阶段(3月11日-6月30日)",
     2023, [("动员部署阶段", "2022年3月1日-3月10日", "2022-03-01", "2022-03-10", False),
            ("集中整治阶段", "3月11日-6月30日", "2023-03-11", "2023-06-30", False)]),
    ("一、進度安排\n1.動員部署階段(2022年3月1日-3月10日)\n2.集中整治階段(3月11日-6月30日)",
     2023, [("动员部署阶段", "2022年3月1日-3月10日", "2022-03-01", "2022-03-10", False),
            ("集中整治阶段", "3月11日-6月30日", "2023-03-11", "2023-06-30", False)]),
    # steps without 阶段 under a steps heading
    ("一、实施步骤\n（一）宣传发动（3月）\n（二）自查自纠(4月)\n（三）督查考核：12月",
     2023, [("宣传发动", "3月", "2023-03-01", "2023-03-31", False),
            ("自查自纠", "4月", "2023-04-01", "2023-04-30", False),
            ("督查考核", "12月", "2023-12-01", "2023-12-31", False)]),
    ("一、實施步驟\n（一）宣傳發動（3月）\n（二）自查自糾(4月)\n（三）督查考核：12月",
     2023, [("宣传发动", "3月", "2023-03-01", "2023-03-31", False),
            ("自查自纠", "4月", "2023-04-01", "2023-04-30", False),
            ("督查考核", "12月", "2023-12-01", "2023-12-31", False)]),
    # 第一阶段（9月1日—9月7日）：… is named 第一阶段
    ("一、进度安排\n第一阶段（9月1日—9月7日）：宣传发动。\n第二阶段(9月8日-9月25日)：组织实施。",
     2026, [("第一阶段", "9月1日—9月7日", "2026-09-01", "2026-09-07", False),
            ("第二阶段", "9月8日-9月25日", "2026-09-08", "2026-09-25", False)]),
    ("一、進度安排\n第一階段（9月1日—9月7日）：宣傳發動。\n第二階段(9月8日-9月25日)：組織實施。",
     2026, [("第一阶段", "9月1日—9月7日", "2026-09-01", "2026-09-07", False),
            ("第二阶段", "9月8日-9月25日", "2026-09-08", "2026-09-25", False)]),
    # 第N环节 with a day each
    ("一、活动安排\n第一环节：初赛（10月8日）\n第二环节：决赛（10月15日）",
     2024, [("初赛", "10月8日", "2024-10-08", "2024-10-08", False),
            ("决赛", "10月15日", "2024-10-15", "2024-10-15", False)]),
    ("一、活動安排\n第一環節：初賽（10月8日）\n第二環節：決賽（10月15日）",
     2024, [("初赛", "10月8日", "2024-10-08", "2024-10-08", False),
            ("决赛", "10月15日", "2024-10-15", "2024-10-15", False)]),
    # the time on the heading line after a colon or a full stop
    ("二、时间安排\n（一）启动阶段：2023年5月\n（二）推进阶段：2023年6月至10月",
     N, [("启动阶段", "2023年5月", "2023-05-01", "2023-05-31", False),
         ("推进阶段", "2023年6月至10月", "2023-06-01", "2023-10-31", False)]),
    ("二、時間安排\n（一）啟動階段：2023年5月\n（二）推進階段：2023年6月至10月",
     N, [("启动阶段", "2023年5月", "2023-05-01", "2023-05-31", False),
         ("推进阶段", "2023年6月至10月", "2023-06-01", "2023-10-31", False)]),
    ("一、实施步骤\n（一）动员部署阶段。3月1日至10日，召开动员会。",
     2021, [("动员部署阶段", "3月1日至10日", "2021-03-01", "2021-03-10", False)]),
    # a year-less plan keeps XXXX
    ("一、实施步骤\n（一）动员阶段（3月1日至3月7日）", N, [("动员阶段", "3月1日至3月7日", "XXXX-03-01", "XXXX-03-07", False)]),
    ("一、實施步驟\n（一）動員階段（3月1日至3月7日）", N, [("动员阶段", "3月1日至3月7日", "XXXX-03-01", "XXXX-03-07", False)]),
    # an end in the next year: 次年, or a month earlier than the start
    ("一、实施步骤\n（一）总结评估阶段（12月1日至次年1月31日）",
     2024, [("总结评估阶段", "12月1日至次年1月31日", "2024-12-01", "2025-01-31", False)]),
    ("一、實施步驟\n（一）總結評估階段（12月1日至次年1月31日）",
     2024, [("总结评估阶段", "12月1日至次年1月31日", "2024-12-01", "2025-01-31", False)]),
    ("一、实施步骤\n（一）排查阶段（11月至1月）", 2023, [("排查阶段", "11月至1月", "2023-11-01", "2024-01-31", False)]),
    # a deadline as the time: no first day
    ("一、实施步骤\n（一）总结表彰阶段（12月底前）", 2023, [("总结表彰阶段", "12月底前", N, "2023-12-31", False)]),
    # an end stated before the start: kept as written, flagged
    ("一、方法步骤\n1.动员部署阶段（2024年3月1日至3月10日）。\n2.整改提升阶段（2024年8月1日至2024年7月15日）。",
     N, [("动员部署阶段", "2024年3月1日至3月10日", "2024-03-01", "2024-03-10", False),
         ("整改提升阶段", "2024年8月1日至2024年7月15日", "2024-08-01", "2024-07-15", True)]),
    ("一、方法步驟\n1.動員部署階段（2024年3月1日至3月10日）。\n2.整改提升階段（2024年8月1日至2024年7月15日）。",
     N, [("动员部署阶段", "2024年3月1日至3月10日", "2024-03-01", "2024-03-10", False),
         ("整改提升阶段", "2024年8月1日至2024年7月15日", "2024-08-01", "2024-07-15", True)]),
    ("一、实施步骤\n（一）动员部署阶段（3月10日至3月1日）", 2023,
     [("动员部署阶段", "3月10日至3月1日", "2023-03-10", "2023-03-01", True)]),
    # phases without a time
    ("一、工作安排\n（一）准备阶段\n（二）实施阶段\n（三）总结阶段",
     2023, [("准备阶段", N, N, N, False), ("实施阶段", N, N, N, False), ("总结阶段", N, N, N, False)]),
    ("一、工作安排\n（一）準備階段\n（二）實施階段\n（三）總結階段",
     2023, [("准备阶段", N, N, N, False), ("实施阶段", N, N, N, False), ("总结阶段", N, N, N, False)]),
    ("一、实施步骤\n（一）动员部署阶段（ ）\n（二）整改阶段（待定）",
     2023, [("动员部署阶段", N, N, N, False), ("整改阶段", N, N, N, False)]),
    # a …阶段 heading outside a steps section is a phase too
    ("一、主要任务\n（一）学习提高阶段（5月）\n1.集中学习。", 2021, [("学习提高阶段", "5月", "2021-05-01", "2021-05-31", False)]),
    ("一、主要任務\n（一）學習提高階段（5月）\n1.集中學習。", 2021, [("学习提高阶段", "5月", "2021-05-01", "2021-05-31", False)]),
    # not phases: dated items of a task section, and the items under a phase
    ("一、主要任务\n（一）加强学习（3月）\n（二）强化督导", 2023, []),
    ("一、主要任務\n（一）加強學習（3月）\n（二）強化督導", 2023, []),
    ("一、实施步骤\n（一）动员阶段\n1.召开会议（3月1日）\n2.部署工作", 2023, [("动员阶段", N, N, N, False)]),
    ("一、實施步驟\n（一）動員階段\n1.召開會議（3月1日）\n2.部署工作", 2023, [("动员阶段", N, N, N, False)]),
    # the name without the time, when the heading line goes on after it
    pytest.param("一、实施步骤\n（一）集中整治阶段，4月至9月，全面开展整治。", 2023,
                 [("集中整治阶段", "4月至9月", "2023-04-01", "2023-09-30", False)]),
    pytest.param("一、實施步驟\n（一）集中整治階段，4月至9月，全面開展整治。", 2023,
                 [("集中整治阶段", "4月至9月", "2023-04-01", "2023-09-30", False)]),
    # sibling headings naming an event's parts in time order are phases, with no days when none is stated
    ("二、工作要点\n（一）考前准备\n1.设置隔离考场。\n（二）考中流程\n1.考生入场。\n（三）考后处置\n1.试卷回收。", 2022,
     [("考前准备", N, N, N, False), ("考中流程", N, N, N, False), ("考后处置", N, N, N, False)]),
    ("二、工作要點\n（一）考前準備\n1.設置隔離考場。\n（二）考中流程\n1.考生入場。\n（三）考後處置\n1.試卷回收。", 2022,
     [("考前准备", N, N, N, False), ("考中流程", N, N, N, False), ("考后处置", N, N, N, False)]),
    ("二、赛事保障\n（一）赛前检查（5月）\n（二）赛后总结", 2022,
     [("赛前检查", "5月", "2022-05-01", "2022-05-31", False), ("赛后总结", N, N, N, False)]),
    # not when one sibling falls outside the sequence, or the order is broken
    ("二、工作要点\n（一）考前准备\n（二）宣传报道\n（三）考后处置", 2022, []),
    ("二、工作要点\n（一）考后处置\n（二）考前准备", 2022, []),
    pytest.param("三、活动安排\n1.动员部署阶段，3月中旬完成。", 2021,
                 [("动员部署阶段", "3月中旬", "2021-03-11", "2021-03-20", False)]),
]


@pytest.mark.parametrize("text,year,expected", PHASES)
def test_phases(text, year, expected):
    assert _rows(text, year) == expected


# ROC years, as a Taiwan plan writes them (roc=True)
ROC = [
    ("一、實施步驟\n（一）籌備階段（113年8月1日至8月31日）\n（二）執行階段（113年9月至114年1月）",
     [("筹备阶段", "113年8月1日至8月31日", "2024-08-01", "2024-08-31", False),
      ("执行阶段", "113年9月至114年1月", "2024-09-01", "2025-01-31", False)]),
    ("一、实施步骤\n（一）筹备阶段（民国113年8月1日至8月31日）",
     [("筹备阶段", "民国113年8月1日至8月31日", "2024-08-01", "2024-08-31", False)]),
]


@pytest.mark.parametrize("text,expected", ROC)
def test_phases_with_roc_years(text, expected):
    assert _rows(text, None, roc=True) == expected


@pytest.mark.parametrize("text", [
    "一、实施步骤\n（一）动员部署阶段（3月）\n召开动员会。\n（二）集中整治阶段（4月至9月）\n开展整治。",
    "一、實施步驟\n（一）動員部署階段（3月）\n召開動員會。\n（二）集中整治階段（4月至9月）\n開展整治。",
])
def test_phase_order_span_and_section(text):
    t = normalize(text)[0]
    secs = build_sections(t)
    phases = find_phases(t, secs, 2023)
    by_id = {s.id: s for s in secs}
    assert [p.order for p in phases] == [1, 2]
    for p in phases:
        sec = by_id[p.section]
        assert (p.start, p.end) == (sec.start, sec.end)
        assert t[p.start:p.end].startswith(sec.marker)
        assert p.name in t[p.start:p.end]
        assert p.time_text in t[p.start:p.end]


@pytest.mark.parametrize("text,expected", [
    (("一、实施步骤\n（一）动员部署阶段（3月）\n1.召开动员会。\n2.制定方案。\n（二）集中整治阶段（4月至9月）\n1.开展清理。\n"
      "（三）总结验收阶段（12月）\n开展验收。\n二、保障措施\n1.加强领导。"),
     [("召开动员会", 1), ("制定方案", 1), ("开展清理", 2), ("加强领导", None)]),
    (("一、實施步驟\n（一）動員部署階段（3月）\n1.召開動員會。\n2.制定方案。\n（二）集中整治階段（4月至9月）\n1.開展清理。\n"
      "（三）總結驗收階段（12月）\n開展驗收。\n二、保障措施\n1.加強領導。"),
     [("召开动员会", 1), ("制定方案", 1), ("开展清理", 2), ("加强领导", None)]),
])
def test_tasks_under_a_phase_get_its_order(text, expected):
    t = normalize(text)[0]
    secs = build_sections(t)
    phases = find_phases(t, secs, 2023)
    tasks = find_tasks(t, secs, phases, find_dates(t, 2023))
    assert len(phases) == 3
    assert [(x.title, x.phase) for x in tasks] == expected


# ---------------------------------------------------------------- generated ranges

@settings(max_examples=80, deadline=None)
@given(st.integers(2000, 2040), st.integers(1, 12), st.integers(1, 28), st.integers(1, 12), st.integers(1, 28),
       st.sampled_from(["（）", "()"]), st.sampled_from(["至", "—", "-"]))
def test_generated_year_less_range(year, m1, d1, m2, d2, parens, dash):
    text = f"一、实施步骤\n（一）动员阶段{parens[0]}{m1}月{d1}日{dash}{m2}月{d2}日{parens[1]}"
    (p,) = find_phases(text, build_sections(text), year)
    assert p.name == "动员阶段"
    assert p.time_text == f"{m1}月{d1}日{dash}{m2}月{d2}日"
    assert p.first_day == f"{year}-{m1:02d}-{d1:02d}"
    end_year = year + 1 if m2 < m1 else year  # a year-less end month before the start rolls over
    assert p.last_day == f"{end_year}-{m2:02d}-{d2:02d}"
    assert p.inconsistent is (m1 == m2 and d2 < d1)


@settings(max_examples=80, deadline=None)
@given(st.integers(2000, 2040), st.integers(1, 12), st.integers(1, 28), st.integers(2000, 2040),
       st.integers(1, 12), st.integers(1, 28))
def test_generated_dated_range_inconsistent_iff_end_before_start(y1, m1, d1, y2, m2, d2):
    text = f"一、实施步骤\n（一）整改阶段（{y1}年{m1}月{d1}日至{y2}年{m2}月{d2}日）"
    (p,) = find_phases(text, build_sections(text), None)
    assert (p.first_day, p.last_day) == (f"{y1}-{m1:02d}-{d1:02d}", f"{y2}-{m2:02d}-{d2:02d}")
    assert p.inconsistent is ((y2, m2, d2) < (y1, m1, d1))
