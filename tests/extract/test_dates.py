"""Dates: one row per convention of DATASET.md `dates[]` (both scripts where they differ), not-dates,
inconsistent ranges, year inference and XXXX, grounding as a property, the data files, speed, and recall
of the gold dates of the seed plans."""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import gold_plans, needs_seeds, seed_files
from pipeline import settings as pipeline_settings
from pipeline.extract.dates import find_dates, parse_date, uses_roc_years
from pipeline.numerals import format_cn
from pipeline.script import s2t, t2s

N = None  # a null first_day / last_day

# (expression as written, year argument, kind, first_day, last_day, value)
CONVENTIONS = [
    # a day, a month, a year
    ("2021年3月24日", None, "date", "2021-03-24", "2021-03-24", "2021-03-24"),
    ("3月", 2021, "date", "2021-03-01", "2021-03-31", "2021-03"),
    ("2月", 2024, "date", "2024-02-01", "2024-02-29", "2024-02"),
    ("3月份", 2021, "date", "2021-03-01", "2021-03-31", "2021-03"),
    ("2021年", None, "date", "2021-01-01", "2021-12-31", "2021"),
    ("2021年度", None, "date", "2021-01-01", "2021-12-31", "2021"),
    ("2021.3.24", None, "date", "2021-03-24", "2021-03-24", "2021-03-24"),
    # ten-day periods and month parts
    ("2021年3月上旬", None, "date", "2021-03-01", "2021-03-10", "2021-03-01/2021-03-10"),
    ("3月中旬", 2021, "date", "2021-03-11", "2021-03-20", "2021-03-11/2021-03-20"),
    ("2月下旬", 2021, "date", "2021-02-21", "2021-02-28", "2021-02-21/2021-02-28"),
    ("7月初", 2015, "date", "2015-07-01", "2015-07-10", "2015-07-01/2015-07-10"),
    ("12月底", 2021, "date", "2021-12-21", "2021-12-31", "2021-12-21/2021-12-31"),
    ("6月末", 2021, "date", "2021-06-21", "2021-06-30", "2021-06-21/2021-06-30"),
    # half years, quarters, year parts
    ("上半年", 2021, "date", "2021-01-01", "2021-06-30", "2021-01-01/2021-06-30"),
    ("下半年", 2021, "date", "2021-07-01", "2021-12-31", "2021-07-01/2021-12-31"),
    ("2021年上半年", None, "date", "2021-01-01", "2021-06-30", "2021-01-01/2021-06-30"),
    ("一季度", 2021, "date", "2021-01-01", "2021-03-31", "2021-01-01/2021-03-31"),
    ("第二季度", 2021, "date", "2021-04-01", "2021-06-30", "2021-04-01/2021-06-30"),
    ("Q3", 2021, "date", "2021-07-01", "2021-09-30", "2021-07-01/2021-09-30"),
    ("2021年第四季度末", None, "date", "2021-12-21", "2021-12-31", "2021-12-21/2021-12-31"),
    ("年底", 2021, "date", "2021-12-21", "2021-12-31", "2021-12-21/2021-12-31"),
    ("年末", 2021, "date", "2021-12-21", "2021-12-31", "2021-12-21/2021-12-31"),
    ("年终", None, "date", "XXXX-12-21", "XXXX-12-31", "XXXX-12-21/XXXX-12-31"),
    ("年内", None, "date", "XXXX-01-01", "XXXX-12-31", "XXXX"),
    ("2021年底", None, "date", "2021-12-21", "2021-12-31", "2021-12-21/2021-12-31"),
    # relative years
    ("今年", 2021, "date", "2021-01-01", "2021-12-31", "2021"),
    ("本年", 2021, "date", "2021-01-01", "2021-12-31", "2021"),
    ("当年", 2021, "date", "2021-01-01", "2021-12-31", "2021"),
    ("次年3月", 2021, "date", "2022-03-01", "2022-03-31", "2022-03"),
    ("翌年1月", 2021, "date", "2022-01-01", "2022-01-31", "2022-01"),
    ("明年上半年", 2021, "date", "2022-01-01", "2022-06-30", "2022-01-01/2022-06-30"),
    # Chinese numerals
    ("二〇二四年三月十五日", None, "date", "2024-03-15", "2024-03-15", "2024-03-15"),
    ("三月", 2021, "date", "2021-03-01", "2021-03-31", "2021-03"),
    ("十二月底", 2021, "date", "2021-12-21", "2021-12-31", "2021-12-21/2021-12-31"),
    ("三月二十一日", 2021, "date", "2021-03-21", "2021-03-21", "2021-03-21"),
    ("元月", 2021, "date", "2021-01-01", "2021-01-31", "2021-01"),
    # eras: ROC years
    ("民国110年", None, "date", "2021-01-01", "2021-12-31", "2021"),
    ("民國110年", None, "date", "2021-01-01", "2021-12-31", "2021"),
    ("民國113年3月1日", None, "date", "2024-03-01", "2024-03-01", "2024-03-01"),
    ("中華民國一百一十年三月", None, "date", "2021-03-01", "2021-03-31", "2021-03"),
    # unknown years
    ("20xx年3月8日", 2021, "date", "XXXX-03-08", "XXXX-03-08", "XXXX-03-08"),
    ("20XX年5月", None, "date", "XXXX-05-01", "XXXX-05-31", "XXXX-05"),
    ("xx年6月", None, "date", "XXXX-06-01", "XXXX-06-30", "XXXX-06"),
    # times of day belong to their date and do not change its day
    ("20xx年3月8日下午2:30―5:30", None, "date", "XXXX-03-08", "XXXX-03-08", "XXXX-03-08"),
    ("3月8日（星期一）上午9:00", 2021, "date", "2021-03-08", "2021-03-08", "2021-03-08"),
    ("3月8日(周一)9时30分", 2021, "date", "2021-03-08", "2021-03-08", "2021-03-08"),
    ("3月8日下午两点半", 2021, "date", "2021-03-08", "2021-03-08", "2021-03-08"),
    # ranges, every connector
    ("6月11日至6月30日", None, "range", "XXXX-06-11", "XXXX-06-30", "XXXX-06-11/XXXX-06-30"),
    ("4月初至11月底", 2021, "range", "2021-04-01", "2021-11-30", "2021-04-01/2021-11-30"),
    ("6月11日至30日", 2021, "range", "2021-06-11", "2021-06-30", "2021-06-11/2021-06-30"),
    ("4月10——30日", None, "range", "XXXX-04-10", "XXXX-04-30", "XXXX-04-10/XXXX-04-30"),
    ("3月1日——3月7日", 2021, "range", "2021-03-01", "2021-03-07", "2021-03-01/2021-03-07"),
    ("5月1日—12月15日", 2021, "range", "2021-05-01", "2021-12-15", "2021-05-01/2021-12-15"),
    ("12月15日-12月31日", 2021, "range", "2021-12-15", "2021-12-31", "2021-12-15/2021-12-31"),
    ("3月1日～3月7日", 2021, "range", "2021-03-01", "2021-03-07", "2021-03-01/2021-03-07"),
    ("3月1日~3月7日", 2021, "range", "2021-03-01", "2021-03-07", "2021-03-01/2021-03-07"),
    ("3月1日到3月7日", 2021, "range", "2021-03-01", "2021-03-07", "2021-03-01/2021-03-07"),
    ("3月1日一3月7日", 2021, "range", "2021-03-01", "2021-03-07", "2021-03-01/2021-03-07"),
    ("3月1日起至3月31日止", 2021, "range", "2021-03-01", "2021-03-31", "2021-03-01/2021-03-31"),
    ("2021年3月至12月", None, "range", "2021-03-01", "2021-12-31", "2021-03-01/2021-12-31"),
    ("3-5月", 2021, "range", "2021-03-01", "2021-05-31", "2021-03-01/2021-05-31"),
    ("2021-2025年", None, "range", "2021-01-01", "2025-12-31", "2021-01-01/2025-12-31"),
    ("6月11日至月底", 2021, "range", "2021-06-11", "2021-06-30", "2021-06-11/2021-06-30"),
    ("4月至年底", 2021, "range", "2021-04-01", "2021-12-31", "2021-04-01/2021-12-31"),
    ("2020年12月至2021年3月", None, "range", "2020-12-01", "2021-03-31", "2020-12-01/2021-03-31"),
    # a year-less end month before the start month rolls into the next year; 次年 = year + 1
    ("12月11日至1月31日", 2021, "range", "2021-12-11", "2022-01-31", "2021-12-11/2022-01-31"),
    ("2021年12月11日至1月31日", None, "range", "2021-12-11", "2022-01-31", "2021-12-11/2022-01-31"),
    ("12月11日至次年1月31日", 2021, "range", "2021-12-11", "2022-01-31", "2021-12-11/2022-01-31"),
    ("民國113年12月1日至次年1月31日", None, "range", "2024-12-01", "2025-01-31", "2024-12-01/2025-01-31"),
    # deadlines
    ("6月底前", 2021, "deadline", N, "2021-06-30", "2021-06-30"),
    ("2021年10月31日前", None, "deadline", N, "2021-10-31", "2021-10-31"),
    ("3月25前", 2015, "deadline", N, "2015-03-25", "2015-03-25"),
    ("3月31日以前", 2015, "deadline", N, "2015-03-31", "2015-03-31"),
    ("到2021年底", None, "deadline", N, "2021-12-31", "2021-12-31"),
    ("到年底", 2021, "deadline", N, "2021-12-31", "2021-12-31"),
    ("截至2021年12月31日", None, "deadline", N, "2021-12-31", "2021-12-31"),
    ("截止到9月底", 2021, "deadline", N, "2021-09-30", "2021-09-30"),
    ("20xx年2月26日前", None, "deadline", N, "XXXX-02-26", "XXXX-02-26"),
    ("二季度前", 2021, "deadline", N, "2021-06-30", "2021-06-30"),
    # durations
    ("3个月", None, "duration", N, N, "P3M"),
    ("为期两周", None, "duration", N, N, "P2W"),
    ("为期兩週", None, "duration", N, N, "P2W"),
    ("不少于10小时", None, "duration", N, N, "PT10H"),
    ("不少於10小時", None, "duration", N, N, "PT10H"),
    ("两小时", None, "duration", N, N, "PT2H"),
    ("一分钟", None, "duration", N, N, "PT1M"),
    ("5个工作日", None, "duration", N, N, "P5D"),
    ("三年", None, "duration", N, N, "P3Y"),
    ("半年", None, "duration", N, N, "P6M"),
    # recurrences
    ("每月", None, "set", N, N, "P1M"),
    ("每季度", None, "set", N, N, "P3M"),
    ("每两个月", None, "set", N, N, "P2M"),
    ("每兩個月", None, "set", N, N, "P2M"),
    ("每周", None, "set", N, N, "P1W"),
    ("每週", None, "set", N, N, "P1W"),
    ("每年", None, "set", N, N, "P1Y"),
    ("每半年", None, "set", N, N, "P6M"),
    ("每天", None, "set", N, N, "P1D"),
    ("每周五", None, "set", N, N, "P1W"),           # the day in each period stays in the text
    ("每週五", None, "set", N, N, "P1W"),
    ("每星期三", None, "set", N, N, "P1W"),
    ("每月第一个周六", None, "set", N, N, "P1M"),
    ("每月第一個週六", None, "set", N, N, "P1M"),
    ("每月第2个星期三", None, "set", N, N, "P1M"),
    ("周调度", None, "set", N, N, "P1W"),
    ("月述职", None, "set", N, N, "P1M"),
    ("月述職", None, "set", N, N, "P1M"),
    ("季盘点", None, "set", N, N, "P3M"),
    ("季盤點", None, "set", N, N, "P3M"),
    ("年评比", None, "set", N, N, "P1Y"),
    ("年評比", None, "set", N, N, "P1Y"),
    # two-digit years: the century that puts them from 79 years before the plan's year to 20 after it
    ("15年3月2日", 2021, "date", "2015-03-02", "2015-03-02", "2015-03-02"),
    ("98年4月", 2021, "date", "1998-04-01", "1998-04-30", "1998-04"),
    ("35年底", 2021, "date", "2035-12-21", "2035-12-31", "2035-12-21/2035-12-31"),
    ("九七年一季度", 2021, "date", "1997-01-01", "1997-03-31", "1997-01-01/1997-03-31"),
    ("零七年八月二十九号", 2021, "date", "2007-08-29", "2007-08-29", "2007-08-29"),
    ("21年度", 2021, "date", "2021-01-01", "2021-12-31", "2021"),
    ("19年底前", 2021, "deadline", N, "2019-12-31", "2019-12-31"),
    ("15年3月", None, "date", "XXXX-03-01", "XXXX-03-31", "XXXX-03"),       # no plan year: no century
    ("二O一八年一月", None, "date", "2018-01-01", "2018-01-31", "2018-01"),   # a letter O for 〇
    ("二0二一年", None, "date", "2021-01-01", "2021-12-31", "2021"),
    # first/last N periods of a year, its first one, its Nth month, the first days of a month
    ("2021年前两个季度", None, "date", "2021-01-01", "2021-06-30", "2021-01-01/2021-06-30"),
    ("今年前三季度", 2021, "date", "2021-01-01", "2021-09-30", "2021-01-01/2021-09-30"),
    ("前三季度", 2021, "date", "2021-01-01", "2021-09-30", "2021-01-01/2021-09-30"),
    ("2022年首季度", None, "date", "2022-01-01", "2022-03-31", "2022-01-01/2022-03-31"),
    ("首季度", 2021, "date", "2021-01-01", "2021-03-31", "2021-01-01/2021-03-31"),
    ("今年前五个月", 2021, "date", "2021-01-01", "2021-05-31", "2021-01-01/2021-05-31"),
    ("2005年首月", None, "date", "2005-01-01", "2005-01-31", "2005-01"),
    ("二〇二一年后三月", None, "date", "2021-10-01", "2021-12-31", "2021-10-01/2021-12-31"),
    ("70年第8个月", 2021, "date", "1970-08-01", "1970-08-31", "1970-08"),
    ("4月前4天", 2021, "date", "2021-04-01", "2021-04-04", "2021-04-01/2021-04-04"),
    # weeks: week N of a month or year starts on its Nth Monday; the Nth weekday of a month
    ("3月第三周", 2021, "date", "2021-03-15", "2021-03-21", "2021-03-15/2021-03-21"),
    ("四月第4周", 2021, "date", "2021-04-26", "2021-05-02", "2021-04-26/2021-05-02"),
    ("2023年三月的第二周", None, "date", "2023-03-13", "2023-03-19", "2023-03-13/2023-03-19"),
    ("6月第3个星期日", 2021, "date", "2021-06-20", "2021-06-20", "2021-06-20"),
    ("八月份的第一个周二", 2021, "date", "2021-08-03", "2021-08-03", "2021-08-03"),
    ("20年第52周", 2021, "date", "2020-12-28", "2021-01-03", "2020-12-28/2021-01-03"),
    ("今年第三十七个星期", 2021, "date", "2021-09-13", "2021-09-19", "2021-09-13/2021-09-19"),
    ("3月第三周", None, "date", "XXXX-03-01", "XXXX-03-31", "XXXX-03-01/XXXX-03-31"),  # no year: the month
    # numeric forms
    ("20240307", None, "date", "2024-03-07", "2024-03-07", "2024-03-07"),
    ("2022 11 23", None, "date", "2022-11-23", "2022-11-23", "2022-11-23"),
    ("1994.01-19", None, "date", "1994-01-19", "1994-01-19", "1994-01-19"),
    ("2018-12-1209:03", None, "date", "2018-12-12", "2018-12-12", "2018-12-12"),
    ("2021-09-12-11：23", None, "date", "2021-09-12", "2021-09-12", "2021-09-12"),
    ("1999.08-2002.02", None, "range", "1999-08-01", "2002-02-28", "1999-08-01/2002-02-28"),
    ("2008.03-2009", None, "range", "2008-03-01", "2009-12-31", "2008-03-01/2009-12-31"),
    ("09-01", 2021, "date", "2021-09-01", "2021-09-01", "2021-09-01"),
    ("09-01 20:01 至 12-01 18:07", 2021, "range", "2021-09-01", "2021-12-01", "2021-09-01/2021-12-01"),
    ("11/3号早上", 2021, "date", "2021-11-03", "2021-11-03", "2021-11-03"),
    # a day without 日 at the end of the expression; 月底 after a month
    ("1月3", 2021, "date", "2021-01-03", "2021-01-03", "2021-01-03"),
    ("四月十三", 2021, "date", "2021-04-13", "2021-04-13", "2021-04-13"),
    ("1月3至2月10", 2021, "range", "2021-01-03", "2021-02-10", "2021-01-03/2021-02-10"),
    ("十二月月底", 2021, "date", "2021-12-21", "2021-12-31", "2021-12-21/2021-12-31"),
    # ranges: relative years count from the plan's year at either end; a bare year before a dated end;
    # ROC counting years; clock times inside the ends; two relative years at once
    ("去年12月至今年6月", 2021, "range", "2020-12-01", "2021-06-30", "2020-12-01/2021-06-30"),
    ("前年11月到去年3月", 2021, "range", "2019-11-01", "2020-03-31", "2019-11-01/2020-03-31"),
    ("2014年11月到去年3月", 2021, "range", "2014-11-01", "2020-03-31", "2014-11-01/2020-03-31"),
    ("1985到89年9月", 2020, "range", "1985-01-01", "1989-09-30", "1985-01-01/1989-09-30"),
    ("2021年4月20日11:00时至2021年4月25日17:00时", None, "range", "2021-04-20", "2021-04-25",
     "2021-04-20/2021-04-25"),
    ("今明两年", 2021, "range", "2021-01-01", "2022-12-31", "2021-01-01/2022-12-31"),
    ("上一年", 2021, "date", "2020-01-01", "2020-12-31", "2020"),
    # durations: halves in the next smaller unit, more-than as the amount, compounds, ranges, 日 counts
    ("两年半", None, "duration", N, N, "P2Y6M"),
    ("3年半以内", None, "duration", N, N, "P3Y6M"),
    ("两个半月以内", None, "duration", N, N, "P2M15D"),
    ("十三分半以内", None, "duration", N, N, "PT13M30S"),
    ("17个多月", None, "duration", N, N, "P17M"),
    ("70多分钟", None, "duration", N, N, "PT70M"),
    ("十余天", None, "duration", N, N, "P10D"),
    ("四年六个月", None, "duration", N, N, "P4Y6M"),
    ("36天5小时30分", None, "duration", N, N, "P36DT5H30M"),
    ("6天5晚", None, "duration", N, N, "P6D"),
    ("3~6个月", None, "duration", N, N, "P3M/P6M"),
    ("13—18天", None, "duration", N, N, "P13D/P18D"),
    ("13天—8周", None, "duration", N, N, "P13D/P8W"),
    ("3年以上7年以下", None, "duration", N, N, "P3Y/P7Y"),
    ("两万四千到3万秒", None, "duration", N, N, "PT24000S/PT30000S"),
    ("2000万小时", None, "duration", N, N, "PT20000000H"),
    ("35,000个钟头", None, "duration", N, N, "PT35000H"),
    ("五个季度", None, "duration", N, N, "P15M"),
    ("一季", None, "duration", N, N, "P3M"),
    ("90日", None, "duration", N, N, "P90D"),
    ("两日", None, "duration", N, N, "P2D"),
    ("30~90日", None, "duration", N, N, "P30D/P90D"),
    ("近三月", None, "duration", N, N, "P3M"),
    ("未来三年", None, "duration", N, N, "P3Y"),
    # recurrences: the day, month or time in each period stays in the set's text
    ("每隔3天", None, "set", N, N, "P3D"),
    ("每月4号", None, "set", N, N, "P1M"),
    ("每年9月", None, "set", N, N, "P1Y"),
    ("每年9月到11月", None, "set", N, N, "P1Y"),
    ("每天晚上8点", None, "set", N, N, "P1D"),
    ("每个工作日的下午三点", None, "set", N, N, "P1D"),
    ("每周工作日9点", None, "set", N, N, "P1W"),
    ("每个周末九点", None, "set", N, N, "P1W"),
    ("每半天", None, "set", N, N, "PT12H"),
    ("按季", None, "set", N, N, "P3M"),
    ("按月", None, "set", N, N, "P1M"),
    ("按季度", None, "set", N, N, "P3M"),
    # Hong Kong and Taiwan: a quarter as 第三季, on or before (或之前), every Saturday (逢星期六)
    ("2026年第三季", None, "date", "2026-07-01", "2026-09-30", "2026-07-01/2026-09-30"),
    ("第四季", 2026, "date", "2026-10-01", "2026-12-31", "2026-10-01/2026-12-31"),
    ("2026年9月30日或之前", None, "deadline", N, "2026-09-30", "2026-09-30"),
    ("逢星期六", None, "set", N, N, "P1W"),
]


@pytest.mark.parametrize("expr, year, kind, first_day, last_day, value", CONVENTIONS)
def test_convention(expr, year, kind, first_day, last_day, value):
    text = t2s(expr)
    item = parse_date(text, year)
    assert item is not None, expr
    assert (item.text, item.kind, item.first_day, item.last_day, item.value) == (
        text, kind, first_day, last_day, value)
    assert text[item.start:item.end] == item.text


@pytest.mark.parametrize("expr, year, kind, first_day, last_day, value", [
    r for r in CONVENTIONS if s2t(r[0]) != r[0] and t2s(r[0]) == r[0]])
def test_convention_traditional(expr, year, kind, first_day, last_day, value):
    """The same expression written in traditional script, converted as the pipeline converts it."""
    text = t2s(s2t(expr))
    item = parse_date(text, year)
    assert item is not None and (item.kind, item.first_day, item.last_day, item.value) == (
        kind, first_day, last_day, value)


@pytest.mark.parametrize("expr, year, first_day, last_day", [
    ("113年3月1日", None, "2024-03-01", "2024-03-01"),
    ("113年度", None, "2024-01-01", "2024-12-31"),
    ("110年3月1日至12月31日", None, "2021-03-01", "2021-12-31"),
    ("99年6月底前", None, None, "2010-06-30"),
])
def test_roc_years_when_the_plan_uses_them(expr, year, first_day, last_day):
    item = parse_date(t2s(expr), year, roc=True)
    assert (item.text, item.first_day, item.last_day) == (expr, first_day, last_day)
    plain = parse_date(expr, year, roc=False)
    assert plain is None or plain.last_day != last_day   # without roc it is no ROC year (99年: two digits)


@pytest.mark.parametrize("text, roc", [
    ("民国110年3月1日", True), ("民國110年", True), ("中華民國113年度計畫", True), ("113年3月1日起實施", True),
    ("113年度工作計畫", True), ("2021年3月1日", False), ("建党100年", False), ("共130人", False),
])
def test_uses_roc_years(text, roc):
    assert uses_roc_years(text) is roc


# ---------------------------------------------------------------- not dates


@pytest.mark.parametrize("text", [
    "要定期召开会议", "长期坚持", "纳入年终考核", "年终考评结果", "科室年终目标", "年度重点工作", "个人年度评先",
    "开展医院管理年活动", "转作风优环境活动年方案", "洪九医字〔2021〕19号", "川卫发〔2015〕4号)要求",
    "满意率达90%以上", "处以3~5倍罚款", "扣发劳务费1~6个月", "第十三条", "电话：13710012345",
    "电话：0797-8123456", "一年来，我们", "医改进行三年来", "十九届五中全会", "费用一日清单制", "第二天上午",
    "每人每次扣50元", "培养年轻干部", "建院六十周年", "一年级", "百年大计", "纳入当月绩效考评",
    "截至目前", "邮编330000", "共计2021人", "xx年xx月xx日", "每个环节", "同时", "及时", "当天",
    "逢年过节", "逢山开路",
])
def test_not_dates(text):
    assert [i.text for i in find_dates(text, 2021)] == []


def test_around_a_month_is_no_deadline():
    assert [(i.text, i.kind) for i in find_dates("3月前后完成", 2021)] == [("3月", "date")]


def test_a_month_before_a_word_is_just_the_month():
    assert [i.text for i in find_dates("3月初步完成，3月中国家发布", 2021)] == ["3月", "3月"]


def test_separated_ends_are_two_dates():
    text = "活动自2021年3月上旬启动，至12月底结束，从2015年1月开始，2015年9月基本完成"
    got = [(i.text, i.kind) for i in find_dates(text, None)]
    assert got == [("2021年3月上旬", "date"), ("12月底", "date"), ("2015年1月", "date"), ("2015年9月", "date")]


@pytest.mark.parametrize("text, expected", [
    ("每周一次例会", [("每周", "set")]),                        # a count, not Monday
    ("每周三天在岗", [("每周", "set"), ("三天", "duration")]),
    ("每週二小時", [("每周", "set"), ("二小时", "duration")]),
    ("每周一至周五上午", [("每周一", "set")]),
])
def test_a_weekday_after_every_week_is_not_a_count(text, expected):
    assert [(i.text, i.kind) for i in find_dates(t2s(text), None)] == expected


@pytest.mark.parametrize("text, expected", [
    ("责任护士在患者出院后7日内完成首次随访", [("7日内", "duration", "P7D")]),  # N日 + 内: a span of days
    ("收到通知後3日以內上報", [("3日以内", "duration", "P3D")]),
    ("十五日内办结", [("十五日内", "duration", "P15D")]),
    ("于3月7日内完成", [("3月7日", "date", "2021-03-07")]),                  # after a month: a day
    ("本月7日内报送", []),
    ("每月7日前报送", [("每月7日前", "set", "P1M")]),                         # the day stays in the set's text
])
def test_days_within_are_durations(text, expected):
    assert [(i.text, i.kind, i.value) for i in find_dates(t2s(text), 2021)] == expected


@pytest.mark.parametrize("text, roc, expected", [
    # a ROC plan: Chinese counting years at both ends of a range
    ("自中華民國九十四年一月一日至九十七年十二月三十一日止（共四年）", True,
     [("中华民国九十四年一月一日至九十七年十二月三十一日止", "range", "2005-01-01", "2008-12-31"),
      ("四年", "duration", None, None)]),
    ("獲選學校應於九十七年九月三十日前辦理", True, [("九十七年九月三十日前", "deadline", None, "2008-09-30")]),
    ("九年一贯课程", True, [("九年", "duration", None, None)]),          # a count: no month follows
])
def test_roc_counting_years(text, roc, expected):
    got = [(i.text, i.kind, i.first_day, i.last_day) for i in find_dates(t2s(text), 2005, roc)]
    assert got == expected


@pytest.mark.parametrize("text, expected", [
    # a bracket listing the months of a recurrence belongs to it, and is no date of its own
    ("检查机构按季（1月、4月、7月、10月）统计辖区结果", [("按季", "set", "P3M")]),
    ("檢查機構按季（1月、4月、7月、10月）統計", [("按季", "set", "P3M")]),
    ("按年度计划推进", []),                                        # 年度计划 is a noun
    ("口罩（每人每半天1只的标准）", [("每半天", "set", "PT12H")]),
    ("并于每月10日前将情况传送本会", [("每月10日前", "set", "P1M")]),
])
def test_recurrences_keep_their_parts(text, expected):
    assert [(i.text, i.kind, i.value) for i in find_dates(t2s(text), 2021)] == expected


@pytest.mark.parametrize("text, expected", [
    # days listed after a day take its month; a day alone at a sentence's start takes the last month written
    ("9月10号，11号，12号，13号", ["2021-09-10", "2021-09-11", "2021-09-12", "2021-09-13"]),
    ("6月5日、6日考试。10日考试工作结束后消杀", ["2021-06-05", "2021-06-06", "2021-06-10"]),
    ("10日考试工作结束后", []),                                   # no month written before it
    ("第1号、2号", []),                                           # 号 after a number that is no day
    ("在1号楼，2号楼", []),
])
def test_days_without_their_month(text, expected):
    assert [i.first_day for i in find_dates(text, 2021)] == expected


def test_same_year_counts_from_the_date_before():
    got = find_dates("于中华民国九十年四月设置委员会，并于同年六月订定方案", None, roc=True)
    assert [(i.text, i.first_day) for i in got] == [("中华民国九十年四月", "2001-04-01"), ("同年六月", "2001-06-01")]


@pytest.mark.parametrize("text, year, expected", [
    # background: ends before the plan's year and begins more than a year before it
    ("联合国于公元一九四八年十二月十日公布宣言，于一九九四年通过决议，将一九九五年至二○○四年订为人权教育期", 2005, []),
    ("本方案于2007年12月25日发布", 2008, ["2007-12-25"]),           # the year before: kept
    ("截至2019年底，已完成", 2021, []),
    ("截至2020年底，已完成", 2021, ["2020-12-31"]),
    ("联合国于公元一九四八年十二月十日公布宣言", None, ["1948-12-10"]),   # no plan year: no background
])
def test_background_dates_are_left_out(text, year, expected):
    assert [i.last_day for i in find_dates(t2s(text), year)] == expected
    assert find_dates(t2s(text), year, background=True)           # kept when asked for


@pytest.mark.parametrize("text, expected", [
    # parts of names: inside quotation marks or title brackets, a year on a title line, a page's stamp
    ("将一九九五年至二○○四年订为「人权教育十年」", ["一九九五年至二○○四年"]),
    ("促使人权教育融入「国民中小学九年一贯课程」", []),
    ("订定「97年度国民中小学落实指标绩优学校评选实施计划」", []),
    ("印发《2021年工作要点》的通知", []),
    ("2020年绍兴一中消防应急疏散演练方案\n为贯彻落实", []),
    ("2022年高考绍兴市第一中学考点\n疫情防控工作方案\n为积极应对", []),
    ("绍兴市第一中学大气重污染应急行动方案(2018年)\n根据", []),
    ("三、2021年工作安排\n", ["2021年"]),                          # a heading is no title
    ("2021年3月工作安排\n", ["2021年3月"]),                        # a month on a title line is a date
    ("文章来源：本站原创 作者：佚名 发布时间：2020年11月18日 点击数：次", []),
])
def test_names_are_not_dates(text, expected):
    assert [i.text for i in find_dates(t2s(text), None)] == expected


@pytest.mark.parametrize("text", ["农历十月初八举行", "农历正月", "阴历八月十五", "正月十五元宵节", "腊月二十三"])
def test_lunar_dates_are_left_out(text):
    assert find_dates(t2s(text), 2021) == []


@pytest.mark.parametrize("text, expected", [
    ("在考前一天对所有考场消毒", []),                               # the day before the exam
    ("考前14天起监测", [("14天", "duration")]),
    ("于次一季起调降一级", []),                                    # the next quarter
    ("考前五个月", [("五个月", "duration")]),                      # no first five months of a year
    ("工作15年3个月", [("15年3个月", "duration")]),
    ("15年内完成", [("15年内", "duration")]),                      # 内 makes no two-digit year
    ("得分90分", []),
    ("3日", []), ("工作10日", []),                                  # a day of the month, or nothing
])
def test_relative_days_and_counts(text, expected):
    assert [(i.text, i.kind) for i in find_dates(t2s(text), 2021)] == expected


def test_a_table_cell_deadline():
    text = "工作任务\t牵头单位\t完成时限\n校园周边环境集中整治\t区市场监督管理局\t2025年9月30日前\n"
    (item,) = find_dates(text, 2025)
    assert (item.text, item.kind, item.last_day) == ("2025年9月30日前", "deadline", "2025-09-30")


def test_set_and_duration_side_by_side():
    got = [(i.text, i.kind, i.value) for i in find_dates("抓好每周两小时政治学习", None)]
    assert got == [("每周", "set", "P1W"), ("两小时", "duration", "PT2H")]


def test_deadline_keeps_marker_but_not_yu():
    got = find_dates("请各队于20xx年2月26日前将名单报送", None)
    assert [(i.text, i.first_day, i.last_day) for i in got] == [("20xx年2月26日前", None, "XXXX-02-26")]


# ---------------------------------------------------------------- inconsistent ranges


@pytest.mark.parametrize("expr, year, first_day, last_day, inconsistent", [
    ("2015年9月10日至2015年5月30日", None, "2015-09-10", "2015-05-30", True),
    ("6月30日至6月11日", 2021, "2021-06-30", "2021-06-11", True),
    ("6月30日至6月11日", None, "XXXX-06-30", "XXXX-06-11", True),
    ("2022年3月1日至2021年3月1日", None, "2022-03-01", "2021-03-01", True),
    ("12月11日至1月31日", None, "XXXX-12-11", "XXXX-01-31", False),    # rolls over; unknown year stays XXXX
    ("6月11日至6月30日", 2021, "2021-06-11", "2021-06-30", False),
])
def test_inconsistent_ranges(expr, year, first_day, last_day, inconsistent):
    item = parse_date(expr, year)
    assert (item.kind, item.first_day, item.last_day, item.inconsistent) == (
        "range", first_day, last_day, inconsistent)
    assert item.value == f"{first_day}/{last_day}"


# ---------------------------------------------------------------- year inference


@pytest.mark.parametrize("expr, year, first_day, inferred", [
    ("3月8日", 2021, "2021-03-08", True),
    ("3月8日", None, "XXXX-03-08", False),
    ("2020年3月8日", 2021, "2020-03-08", False),
    ("今年3月", 2021, "2021-03-01", True),
    ("今年3月", None, "XXXX-03-01", False),
    ("明年3月", None, "XXXX-03-01", False),
    ("20xx年3月8日", 2021, "XXXX-03-08", False),
    ("2021年3月1日至4月30日", 2015, "2021-03-01", False),
    ("3月1日至4月30日", 2015, "2015-03-01", True),
    ("12月1日至2022年1月31日", None, "2021-12-01", False),
    ("年底", None, "XXXX-12-21", False),
])
def test_year_inference(expr, year, first_day, inferred):
    item = parse_date(expr, year)
    assert (item.first_day, item.year_inferred) == (first_day, inferred)


def test_unknown_year_values():
    assert parse_date("6月11日", None).value == "XXXX-06-11"
    assert parse_date("6月", None).value == "XXXX-06"
    assert parse_date("2月", None).last_day == "XXXX-02-29"      # the latest possible day


def test_impossible_days_are_dropped():
    assert find_dates("2021年2月30日", None) == []
    assert find_dates("13月", None) == []


def test_full_width_digits():
    text = "于２０２１年３月２４日前完成"
    (item,) = find_dates(text, None)
    assert (item.text, item.last_day) == ("２０２１年３月２４日前", "2021-03-24")


def test_parse_date_inside_brackets():
    item = parse_date("（4月初至11月底）", 2021)
    assert (item.text, item.start, item.end, item.first_day) == ("4月初至11月底", 1, 9, "2021-04-01")
    assert parse_date("各科室", 2021) is None


# ---------------------------------------------------------------- grounding, as a property

FILLER = "的工作医院活动开展组织落实检查制服务质量提管理人员要求和在对与，。；"


@st.composite
def expressions(draw) -> str:
    """A date-like expression of the genre, from a small grammar (the finder must take it whole)."""
    def month() -> str:
        m = draw(st.integers(1, 12))
        return draw(st.sampled_from([str(m), format_cn(m)])) + "月"

    def day() -> str:
        d = draw(st.integers(1, 28))
        return draw(st.sampled_from([str(d), format_cn(d)])) + "日"

    year = draw(st.sampled_from(["", "", "2021年", "2020年", "20xx年", "二〇二一年", "民国110年", "今年", "次年"]))
    part = draw(st.sampled_from(["", "", "上旬", "中旬", "下旬", "初", "底", "末", "份"]))
    point = year + month() + (day() if not part and draw(st.booleans()) else part)
    shape = draw(st.sampled_from(["point", "range", "deadline", "set", "duration", "year"]))
    if shape == "range":
        end = draw(st.sampled_from(["full", "day"]))
        conn = draw(st.sampled_from(["至", "到", "—", "——", "-", "～", "起至"]))
        return point + conn + (month() + day() if end == "full" else day())
    if shape == "deadline":
        return draw(st.sampled_from(["", "截至", "到"])) + point + draw(st.sampled_from(["前", "以前"]))
    if shape == "set":
        return draw(st.sampled_from(["每月", "每季度", "每两个月", "每周", "每年", "每半年", "周调度", "季盘点"]))
    if shape == "duration":
        return draw(st.sampled_from(["", "为期", "不少于"])) + str(draw(st.integers(1, 30))) + draw(
            st.sampled_from(["个月", "小时", "天", "周", "分钟"]))
    if shape == "year":
        return draw(st.sampled_from(["2021年", "下半年", "上半年", "一季度", "第三季度", "年底", "2021年度",
                                     "21年3月", "今年前三季度", "3月第二周", "今明两年", "两年半", "3~6个月"]))
    return point


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(FILLER, max_size=12), expressions(), st.text(FILLER, max_size=12), st.sampled_from([None, 2021]))
def test_grounding_property(before, expr, after, year):
    text = before + expr + after
    items = find_dates(text, year)
    for item in items:
        assert text[item.start:item.end] == item.text
    starts = [i.start for i in items]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(items, items[1:]))
    spans = [(i.start, i.end) for i in items]
    assert (len(before), len(before) + len(expr)) in spans, (text, [i.text for i in items])
    alone = parse_date(expr, year)
    (inside,) = [i for i in items if i.start == len(before)]
    assert (alone.kind, alone.value, alone.first_day, alone.last_day) == (
        inside.kind, inside.value, inside.first_day, inside.last_day)


@settings(max_examples=200, deadline=None)
@given(st.integers(1950, 2080), st.integers(0, 99), st.sampled_from(["3月", "底", "一季度", "上半年"]))
def test_two_digit_years_take_the_nearest_century(year, two, tail):
    item = parse_date(f"{two:02d}年{tail}", year)
    y = int(item.first_day[:4])
    assert y % 100 == two and year - 79 <= y <= year + 20


@settings(max_examples=200, deadline=None)
@given(st.integers(1990, 2060), st.integers(1, 12), st.integers(1, 4), st.sampled_from(["周", "个星期", "个礼拜"]))
def test_the_nth_week_of_a_month_starts_on_its_nth_monday(year, month, n, word):
    from datetime import date

    item = parse_date(f"{year}年{month}月第{n}{word}", None)
    first, last = date.fromisoformat(item.first_day), date.fromisoformat(item.last_day)
    assert first.weekday() == 0 and (last - first).days == 6 and first.month == month
    assert (first.day - 1) // 7 == n - 1            # the nth Monday of the month


UNITS = {"年": "Y", "个月": "M", "周": "W", "天": "D", "小时": "H", "分钟": "M"}


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 200), st.integers(1, 200), st.sampled_from(sorted(UNITS)), st.sampled_from(["~", "至", "—", "到"]))
def test_duration_amounts_and_ranges(a, b, unit, conn):
    t = "T" if unit in ("小时", "分钟") else ""
    assert parse_date(f"{a}{unit}", None).value == f"P{t}{a}{UNITS[unit]}"
    assert parse_date(f"{a}{conn}{b}{unit}", None).value == f"P{t}{a}{UNITS[unit]}/P{t}{b}{UNITS[unit]}"


DATEISH = "0123456789年月日号至到起止前后每个季度上下半旬底初中末—-~～周星期小时分钟天内终截次今明xX民国第一二三四五六七八九十两〇的工作，。 "


@settings(max_examples=500, deadline=None)
@given(st.text(DATEISH, max_size=40), st.sampled_from([None, 2021]), st.booleans())
def test_any_text_gives_grounded_sorted_items(text, year, roc):
    items = find_dates(text, year, roc)
    for item in items:
        assert text[item.start:item.end] == item.text and item.end > item.start
        assert item.kind in {"date", "range", "deadline", "duration", "set"}
        if item.kind in {"duration", "set"}:
            assert item.first_day is None and item.last_day is None and item.value.startswith("P")
        elif item.kind == "deadline":
            assert item.first_day is None and item.value == item.last_day
        else:
            assert item.first_day and item.last_day
    assert all(a.end <= b.start for a, b in zip(items, items[1:]))


# ---------------------------------------------------------------- data and speed


def test_time_data_is_simplified():
    for path in sorted((pipeline_settings.MODELS_DIR / "time").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = line.split(" #", 1)[0].strip()
            if entry and not entry.startswith("#"):
                assert t2s(entry) == entry, f"{path.name}: {entry}"




# ---------------------------------------------------------------- recall on the seeds' gold


def _plan_text(raw: str) -> str:
    try:
        from pipeline.normalize import normalize
    except ImportError:                          # until the normalizer lands: t2s, readings, stray []
        text = t2s(raw)
        text = re.sub(r"\((?:[a-zü]|[\u00e0-\u01dc])+\)", "", text)
        return text.replace("[]", "")
    return normalize(raw)[0]


def _canon(s: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", s))


def seed_recall() -> tuple[int, int, list]:
    """(found, total, misses) of the gold dates of every seed plan, matched by text, kind and bounds."""
    found = total = 0
    misses = []
    for seed in seed_files():
        raw = seed.read_text(encoding="utf-8")
        for plan in gold_plans(seed):
            if "dates" not in plan:
                continue
            start, end = plan["source"]["span"]
            items = find_dates(_plan_text(raw[start:end]), plan.get("year"))
            pool = Counter((_canon(i.text), i.kind, i.first_day, i.last_day) for i in items)
            for gold in plan["dates"]:
                total += 1
                key = (_canon(gold["text"]), gold["kind"], gold["first_day"], gold["last_day"])
                if pool[key] > 0:
                    pool[key] -= 1
                    found += 1
                else:
                    misses.append((seed.name, key))
    return found, total, misses


@needs_seeds
def test_seed_recall():
    found, total, misses = seed_recall()
    print(f"\nseed dates recall: {found}/{total} = {found / total:.1%}")
    assert total and found / total >= 0.9, json.dumps(misses, ensure_ascii=False)
