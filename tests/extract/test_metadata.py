"""Metadata: 发文字号 only near the top, titles (cover notice, two-line, glued to the preamble, short first
line, none when the first line is prose), issuer (signature, `X关于…`, place-named title), issue_date (day
precision only, Chinese numerals), year (signature, else the most stated year) and ROC years — one row per
convention in simplified and traditional script (traditional rows go through `normalize`, which converts to
simplified, as the pipeline does), plus generated document numbers and signature dates (hypothesis).
All fixtures are invented."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.metadata import find_metadata
from pipeline.normalize import normalize
from pipeline.numerals import format_cn

N = None

BODY = "一、工作目标\n提升服务水平。\n二、主要任务\n1.优化流程。\n2.改善环境。"
BODY_TRAD = "一、工作目標\n提升服務水準。\n二、主要任務\n1.優化流程。\n2.改善環境。"
# enough lines that a number cited at the end sits far below the head
LONG = BODY + "\n" + "\n".join(f"{i}.落实第{format_cn(i)}项措施。" for i in range(3, 14))


def _meta(text: str, roc: bool = False):
    return find_metadata(normalize(text)[0], roc)


def _check(text: str, expected: dict, roc: bool = False):
    m = _meta(text, roc)
    assert {k: getattr(m, k) for k in expected} == expected


# ---------------------------------------------------------------- doc_number

DOC_NUMBER = [
    ("青山县卫生健康局文件\n青卫发〔2021〕19号\n关于印发《青山县卫生健康系统作风建设实施方案》的通知\n各单位：\n"
     "现将方案印发给你们，请认真贯彻执行。\n青山县卫生健康局\n2021年4月6日\n" + BODY,
     {"doc_number": "青卫发〔2021〕19号"}),
    ("青山縣衛生健康局文件\n青衛發〔2021〕19號\n關於印發《青山縣衛生健康系統作風建設實施方案》的通知\n各單位：\n"
     "現將方案印發給你們，請認真貫徹執行。\n青山縣衛生健康局\n2021年4月6日\n" + BODY_TRAD,
     {"doc_number": "青卫发〔2021〕19号"}),
    ("青卫发〔2023〕12号\n读书月活动方案\n" + BODY, {"doc_number": "青卫发〔2023〕12号", "year": 2023}),
    ("青衛發〔2023〕12號\n讀書月活動方案\n" + BODY_TRAD, {"doc_number": "青卫发〔2023〕12号", "year": 2023}),
    # a document cited in the preamble or the body is not the plan's number
    ("读书月活动方案\n根据市卫健委《关于开展读书活动的通知》（青卫发〔2015〕4号）要求，制定本方案。\n" + BODY,
     {"doc_number": N}),
    ("讀書月活動方案\n根據市衛健委《關於開展讀書活動的通知》（青衛發〔2015〕4號）要求，制定本方案。\n" + BODY_TRAD,
     {"doc_number": N}),
    ("读书月活动方案\n" + LONG + "\n青卫发〔2015〕4号", {"doc_number": N}),
    ("读书月活动方案\n" + BODY, {"doc_number": N}),
]


@pytest.mark.parametrize("text,expected", DOC_NUMBER)
def test_doc_number(text, expected):
    _check(text, expected)


# ---------------------------------------------------------------- title

TITLES = [
    # a cover notice names the plan in 《》
    ("关于印发《青山县卫生健康系统作风建设实施方案》的通知\n各单位：\n现将方案印发给你们，请认真贯彻执行。\n" + BODY,
     "青山县卫生健康系统作风建设实施方案"),
    ("關於印發《青山縣衛生健康系統作風建設實施方案》的通知\n各單位：\n現將方案印發給你們，請認真貫徹執行。\n" + BODY_TRAD,
     "青山县卫生健康系统作风建设实施方案"),
    # a title broken over two lines is joined
    ("青山县第一中学2024年\n校园安全专项整治工作方案\n为加强校园安全，制定本方案。\n" + BODY,
     "青山县第一中学2024年校园安全专项整治工作方案"),
    ("青山縣第一中學2024年\n校園安全專項整治工作方案\n為加強校園安全，制定本方案。\n" + BODY_TRAD,
     "青山县第一中学2024年校园安全专项整治工作方案"),
    # a title glued to its preamble is cut at the preamble
    ("青山县人民医院优质服务活动方案为进一步提升服务质量，结合我院实际，制定本方案。\n" + BODY,
     "青山县人民医院优质服务活动方案"),
    ("青山縣人民醫院優質服務活動方案為進一步提升服務品質，結合我院實際，制定本方案。\n" + BODY_TRAD,
     "青山县人民医院优质服务活动方案"),
    # a short first line
    ("消防安全月活动方案\n" + BODY, "消防安全月活动方案"),
    ("消防安全月活動方案\n" + BODY_TRAD, "消防安全月活动方案"),
    ("2024年读书节\n" + BODY, "2024年读书节"),
    ("2024年讀書節\n" + BODY_TRAD, "2024年读书节"),
    # a title with 关于
    ("青山县教育局关于开展读书月活动的实施方案\n" + BODY, "青山县教育局关于开展读书月活动的实施方案"),
    ("青山縣教育局關於開展讀書月活動的實施方案\n" + BODY_TRAD, "青山县教育局关于开展读书月活动的实施方案"),
    # no title when the first line is prose or a marker
    ("为进一步加强管理，结合实际，制定本方案。\n" + BODY, N),
    ("為進一步加強管理，結合實際，制定本方案。\n" + BODY_TRAD, N),
    (BODY, N),
    (BODY_TRAD, N),
]


@pytest.mark.parametrize("text,title", TITLES)
def test_title(text, title):
    assert _meta(text).title == title


# ---------------------------------------------------------------- issuer, issue_date, year

SIGNED = [
    # a signature: the body's name over a date line
    ("读书月活动方案\n" + BODY + "\n青山县人民医院\n2024年3月15日",
     {"issuer": "青山县人民医院", "issue_date": "2024-03-15", "year": 2024}),
    ("讀書月活動方案\n" + BODY_TRAD + "\n青山縣人民醫院\n2024年3月15日",
     {"issuer": "青山县人民医院", "issue_date": "2024-03-15", "year": 2024}),
    ("关于开展读书月活动的实施方案\n" + BODY + "\n青山县人民医院办公室\n2024年3月15日\n附件：报名表",
     {"issuer": "青山县人民医院办公室", "issue_date": "2024-03-15", "year": 2024}),
    # Chinese numerals
    ("读书月活动方案\n" + BODY + "\n青山县人民医院\n二〇二四年三月十五日",
     {"issuer": "青山县人民医院", "issue_date": "2024-03-15", "year": 2024}),
    ("讀書月活動方案\n" + BODY_TRAD + "\n青山縣人民醫院\n二〇二四年三月十五日",
     {"issuer": "青山县人民医院", "issue_date": "2024-03-15", "year": 2024}),
    ("读书月活动方案\n" + BODY + "\n二〇二三年十二月一日", {"issue_date": "2023-12-01", "year": 2023}),
    # issue_date only at day precision; the year still counts
    ("读书月活动方案\n" + BODY + "\n青山县人民医院\n2024年3月",
     {"issuer": "青山县人民医院", "issue_date": N, "year": 2024}),
    ("讀書月活動方案\n" + BODY_TRAD + "\n青山縣人民醫院\n2024年3月",
     {"issuer": "青山县人民医院", "issue_date": N, "year": 2024}),
    # the issuer named before 关于 in the title
    ("青山县教育局关于开展读书月活动的实施方案\n" + BODY, {"issuer": "青山县教育局", "issue_date": N}),
    ("青山縣教育局關於開展讀書月活動的實施方案\n" + BODY_TRAD, {"issuer": "青山县教育局", "issue_date": N}),
    # the issuer opening a place-named title
    ("青山县第一中学2024年校园安全专项整治工作方案\n" + BODY, {"issuer": "青山县第一中学", "year": 2024}),
    ("青山縣第一中學2024年校園安全專項整治工作方案\n" + BODY_TRAD, {"issuer": "青山县第一中学", "year": 2024}),
    ("台北市立青山国民中学学习扶助实施计划\n" + BODY, {"issuer": "台北市立青山国民中学"}),
    ("臺北市立青山國民中學學習扶助實施計畫\n" + BODY_TRAD, {"issuer": "台北市立青山国民中学"}),
    # no issuer anywhere
    ("读书月活动方案\n" + BODY, {"issuer": N, "issue_date": N, "year": N}),
    ("讀書月活動方案\n" + BODY_TRAD, {"issuer": N, "issue_date": N, "year": N}),
]


@pytest.mark.parametrize("text,expected", SIGNED)
def test_issuer_issue_date(text, expected):
    _check(text, expected)


TIMELINE = "\n三、时间安排\n2022年5月启动，2022年6月总结，2023年1月验收。"
TIMELINE_TRAD = "\n三、時間安排\n2022年5月啟動，2022年6月總結，2023年1月驗收。"

YEARS = [
    # the signature's year wins over the dates of the plan
    ("读书月活动方案\n" + BODY + TIMELINE + "\n青山县人民医院\n2024年1月5日", 2024),
    ("讀書月活動方案\n" + BODY_TRAD + TIMELINE_TRAD + "\n青山縣人民醫院\n2024年1月5日", 2024),
    # else the year most stated
    ("读书月活动方案\n" + BODY + TIMELINE, 2022),
    ("讀書月活動方案\n" + BODY_TRAD + TIMELINE_TRAD, 2022),
    # else the title's
    ("2025年读书节\n" + BODY, 2025),
    # a cited document's number is not a year of the plan
    ("读书月活动方案\n根据《关于开展读书活动的通知》（青卫发〔2015〕4号）要求，制定本方案。\n" + BODY, N),
    pytest.param("根据《关于开展读书活动的通知》（青卫发〔2015〕4号）要求，制定本方案。\n" + BODY, N),
    pytest.param("根據《關於開展讀書活動的通知》（青衛發〔2015〕4號）要求，制定本方案。\n" + BODY_TRAD, N),
]


@pytest.mark.parametrize("text,year", YEARS)
def test_year(text, year):
    assert _meta(text).year == year


# ---------------------------------------------------------------- ROC years

ROC = [
    ("臺北市立青山國民中學學習扶助實施計畫\n中華民國113年8月26日行政會議通過\n" + BODY_TRAD,
     {"title": "台北市立青山国民中学学习扶助实施计划", "issuer": "台北市立青山国民中学", "doc_number": N,
      "issue_date": "2024-08-26", "year": 2024}),
    ("臺北市立青山國民中學學習扶助實施計畫\n" + BODY_TRAD + "\n中華民國113年8月26日行政會議通過",
     {"issue_date": "2024-08-26", "year": 2024}),
    ("台北市立青山国民中学学习扶助实施计划\n中华民国113年8月26日行政会议通过\n" + BODY,
     {"issue_date": "2024-08-26", "year": 2024}),
    # a cited letter's date is not the adoption date
    ("臺北市立青山國民中學學習扶助實施計畫\n依據教育局113年7月10日函辦理。\n" + BODY_TRAD,
     {"issue_date": N, "year": 2024}),
    # a signature dated with an ROC year
    pytest.param("讀書月活動計畫\n" + BODY_TRAD + "\n青山國民中學\n中華民國113年9月1日",
                 {"issuer": "青山国民中学", "issue_date": "2024-09-01", "year": 2024}),
]


@pytest.mark.parametrize("text,expected", ROC)
def test_roc_years(text, expected):
    _check(text, expected, roc=True)


# ---------------------------------------------------------------- generated numbers and signatures

_PREFIXES = ["青卫发", "青政办发", "柳街办发", "洪九医字", "青教", "江州质字"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_PREFIXES), st.integers(2000, 2039), st.integers(1, 999),
       st.sampled_from(["〔〕", "[]", "（）", "【】"]), st.booleans())
def test_generated_doc_number(prefix, year, number, brackets, di):
    doc = f"{prefix}{brackets[0]}{year}{brackets[1]}{'第' if di else ''}{number}号"
    m = _meta(f"青山县人民政府办公室文件\n{doc}\n读书月活动方案\n" + BODY)
    assert m.doc_number == doc
    assert m.year == year
    assert m.title == "读书月活动方案"


def _cn_date(y: int, mo: int, d: int) -> str:
    return "".join("〇一二三四五六七八九"[int(c)] for c in str(y)) + f"年{format_cn(mo)}月{format_cn(d)}日"


@settings(max_examples=60, deadline=None)
@given(st.integers(2000, 2039), st.integers(1, 12), st.integers(1, 28), st.booleans(),
       st.sampled_from(["青山县人民医院", "柳塘街道办事处", "青山县教育局", "江州恒锐机械制造有限公司"]))
def test_generated_signature(year, month, day, chinese, issuer):
    date = _cn_date(year, month, day) if chinese else f"{year}年{month}月{day}日"
    m = _meta("读书月活动方案\n" + BODY + f"\n{issuer}\n{date}")
    assert (m.issuer, m.issue_date, m.year) == (issuer, f"{year}-{month:02d}-{day:02d}", year)


# ---------------------------------------------------------------- other document kinds: decrees, departments, HK

DECREE_TRAD = ("青山部令\n中華民國114年2月3日（補登）\n臺教（二）字第1140012345B號\n"
               "訂定「青山部校園閱讀推廣實施計畫」，並自即日生效。\n附「青山部校園閱讀推廣實施計畫」\n部  長 林大同\n"
               "青山部校園閱讀推廣實施計畫（Reading Campus Program, RCP）\n"
               "一、依據\n依本部閱讀政策辦理。\n二、實施期程\n自115年1月1日至115年12月31日止。\n"
               "三、辦理事項\n(一)115年3月辦理閱讀週。\n(二)115年9月辦理成果展。")
DECREE_SIMP = ("青山部令\n中华民国114年2月3日\n台教（二）字第1140012345B号\n"
               "订定「青山部校园阅读推广实施计划」，并自即日生效。\n附「青山部校园阅读推广实施计划」\n部  长 林大同\n"
               "青山部校园阅读推广实施计划\n一、依据\n依本部阅读政策办理。\n二、实施期程\n自115年1月1日至115年12月31日止。\n"
               "三、办理事项\n(一)115年3月办理阅读周。")
OTHER_KINDS = [
    # a Taiwan decree over the plan: issuer from the header, its date, its 字第…号, the enacted plan's title line;
    # the year is the plan's own (115), not the decree's (114)
    (DECREE_TRAD, {"title": "青山部校园阅读推广实施计划（Reading Campus Program, RCP）", "issuer": "青山部",
                   "doc_number": "台教（二）字第1140012345B号", "issue_date": "2025-02-03", "year": 2026}, True),
    (DECREE_SIMP, {"title": "青山部校园阅读推广实施计划", "issuer": "青山部", "doc_number": "台教（二）字第1140012345B号",
                   "issue_date": "2025-02-03", "year": 2026}, True),
    ("青山市衛生局防疫工作計畫\n青市衛疾字第1130004521號\n" + BODY_TRAD, {"doc_number": "青市卫疾字第1130004521号"}, True),
    ("江州劳检4字第0940063594号\n江州检查执行方案\n" + BODY, {"doc_number": "江州劳检4字第0940063594号"}, False),
    # a Hong Kong reference number, written full-width
    ("ＱＳＫ／ＥＤ／２０２６／０１２\n青山書院閱讀推廣計劃\n" + BODY_TRAD, {"doc_number": "QSK/ED/2026/012"}, False),
    # a department's signature: the date line over the department, closing the plan
    (BODY + "\n2020年11月17日\n安全处", {"issuer": "安全处", "issue_date": "2020-11-17", "year": 2020}, False),
    (BODY_TRAD + "\n2020年11月17日\n安全處", {"issuer": "安全处", "issue_date": "2020-11-17", "year": 2020}, False),
    # two departments over the date line
    (BODY + "\n青山一中德育处、体育组\n2021年8月24日", {"issuer": "青山一中德育处、体育组", "issue_date": "2021-08-24"}, False),
    (BODY_TRAD + "\n青山一中德育處、體育組\n2021年8月24日", {"issuer": "青山一中德育处、体育组", "issue_date": "2021-08-24"}, False),
    # a Taiwan ministry's plan adopted by letter: the date, the 字第…号 and 函订定 on one line; the ministry opens
    # the title and is the issuer
    ("勞動部推動高齡者就業實施計畫\n中華民國115年1月20日勞動發綜字第1150500123號函訂定\n" + BODY_TRAD,
     {"title": "劳动部推动高龄者就业实施计划", "issuer": "劳动部", "doc_number": "劳动发综字第1150500123号",
      "issue_date": "2026-01-20"}, True),
    # a plan issued as an attachment: the 附件 line is not part of its title
    ("附件\n青山区2026年优化营商环境重点任务分工方案\n" + BODY, {"title": "青山区2026年优化营商环境重点任务分工方案"},
     False),
    # a page's title line (with its year) over the document's own title: not joined into one
    ("青山中学大气污染应急方案(2018年)\n青山中学大气污染应急方案\n" + BODY, {"title": "青山中学大气污染应急方案"}, False),
]


@pytest.mark.parametrize("text,expected,roc", OTHER_KINDS)
def test_other_document_kinds(text, expected, roc):
    _check(text, expected, roc)
