""".docx: Word's automatic numbering written out as a Chinese plan writes it, headings, tables as rows with
cell spans, and hostile or damaged archives refused with specific errors."""
import importlib.util
import io
import zipfile
from pathlib import Path

import docx_factory as f
import pytest
from docx.oxml import parse_xml
from lxml import etree

from pipeline import settings
from pipeline.errors import InputError
from pipeline.ingest import reader
from pipeline.ingest.docx import format_number, next_marker, read_docx, read_numbering, read_styles

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpora" / "samples" / "school_safety_2026.docx"


def read(doc):
    raw = read_docx(f.docx_bytes(doc))
    assert raw.format == "docx" and raw.encoding is None
    assert [raw.text[b.start:b.end] for b in raw.blocks] == raw.text.split("\n")  # one block per line
    return raw


def lines(doc):
    return read(doc).text.split("\n")


def numbered(items, levels=f.PLAN_LEVELS, **list_options):
    """A document whose paragraphs [(ilvl, text)] are all in one new list."""
    doc = f.new_document()
    list_id = f.add_list(doc, levels, **list_options)
    for ilvl, text in items:
        f.add_item(doc, text, list_id, ilvl)
    return doc


# ---------------------------------------------------------------- numbering


def test_plan_numbering_at_five_levels_with_restarts():
    doc = numbered([(0, "总体要求"), (1, "指导思想"), (2, "加强领导"), (3, "细化分工"), (3, "定期调度"),
                    (4, "每周一次"), (2, "落实责任"), (1, "工作目标"), (2, "排查隐患"),
                    (0, "主要任务"), (1, "开展排查"), (2, "全面摸底")])
    assert lines(doc) == ["一、总体要求", "（一）指导思想", "1.加强领导", "(1)细化分工", "(2)定期调度",
                          "①每周一次", "2.落实责任", "（二）工作目标", "1.排查隐患",
                          "二、主要任务", "（一）开展排查", "1.全面摸底"]


def test_list_blocks_carry_level_and_marker():
    raw = read(numbered([(0, "总体要求"), (1, "指导思想"), (2, "加强领导")]))
    assert [(b.kind, b.level, b.marker) for b in raw.blocks] == [
        ("list_item", 0, "一、"), ("list_item", 1, "（一）"), ("list_item", 2, "1.")]


@pytest.mark.parametrize("levels, items, expected", [
    # a level restarts when a higher one advances ...
    ([("decimal", "%1."), ("decimal", "(%2)")], [(0, "a"), (1, "b"), (1, "c"), (0, "d"), (1, "e")],
     ["1.a", "(1)b", "(2)c", "2.d", "(1)e"]),
    # ... and the outline form %1.%2 shows both counters
    ([("decimal", "%1."), ("decimal", "%1.%2")], [(0, "a"), (1, "b"), (1, "c"), (0, "d"), (1, "e")],
     ["1.a", "1.1 b", "1.2 c", "2.d", "2.1 e"]),
    # 甲乙丙 and ① formats; an unused parent level shows its start value
    ([("ideographTraditional", "%1、"), ("decimalEnclosedCircle", "%2")], [(1, "x"), (0, "a"), (1, "b")],
     ["①x", "甲、a", "①b"]),
    # bullets give no marker text
    ([("bullet", "\uf0b7"), ("decimal", "%2.")], [(0, "a"), (1, "b"), (0, "c")], ["a", "1.b", "c"]),
    # a marker ending in a letter or character gets a space: 第一条 总则
    ([("chineseCounting", "第%1条")], [(0, "总则"), (0, "适用范围")], ["第一条 总则", "第二条 适用范围"]),
])
def test_counters_and_formats(levels, items, expected):
    assert lines(numbered(items, levels)) == expected


def test_level_restart_zero_keeps_counting_under_a_new_parent():
    items = [(0, "a"), (1, "b"), (1, "c"), (0, "d"), (1, "e")]
    assert lines(numbered(items, [("chineseCounting", "%1、"), ("decimal", "%2.")], restarts={1: 0})) == \
        ["一、a", "1.b", "2.c", "二、d", "3.e"]


def test_start_values_and_start_override():
    doc = f.new_document()
    first = f.add_list(doc, [("decimal", "%1.")], starts={0: 3})
    f.add_item(doc, "a", first, 0)
    f.add_item(doc, "b", first, 0)
    restarted = f.restart_list(doc, first, 0, start=1)  # Word's "restart numbering": a w:num with an override
    f.add_item(doc, "c", restarted, 0)
    f.add_item(doc, "d", restarted, 0)
    f.add_item(doc, "e", first, 0)  # back on the first w:num: the shared count goes on
    other_list = f.add_list(doc, [("decimal", "%1.")])
    f.add_item(doc, "f", other_list, 0)
    assert lines(doc) == ["3.a", "4.b", "1.c", "2.d", "3.e", "1.f"]


def test_two_nums_on_one_abstract_list_share_its_counter():
    doc = f.new_document()
    first = f.add_list(doc, [("chineseCounting", "%1、")])
    f.add_item(doc, "a", first, 0)
    second = f.restart_list(doc, first, start=None)
    f.add_item(doc, "b", second, 0)  # same abstract list, no override: Word continues the count
    assert lines(doc) == ["一、a", "二、b"]


def test_numbering_inherited_from_paragraph_styles():
    doc = f.new_document()
    list_id = f.add_list(doc)
    f.add_numbered_style(doc, "方案一级", list_id, 0)
    f.add_numbered_style(doc, "方案二级", list_id, 1)
    f.add_numbered_style(doc, "方案条目", list_id, None)  # the paragraph gives the level
    doc.add_paragraph("总体要求", style="方案一级")
    doc.add_paragraph("指导思想", style="方案二级")
    f.set_numbering(doc.add_paragraph("加强领导", style="方案条目"), None, 2)
    doc.add_paragraph("主要任务", style="方案一级")
    f.set_numbering(doc.add_paragraph("不编号", style="方案一级"), "0", 0)  # numId 0: the style's list is off
    raw = read(doc)
    assert raw.text.split("\n") == ["一、总体要求", "（一）指导思想", "1.加强领导", "二、主要任务", "不编号"]
    assert [b.kind for b in raw.blocks] == ["list_item"] * 4 + ["paragraph"]


def test_empty_numbered_paragraph_is_skipped_but_counted():
    assert lines(numbered([(2, "a"), (2, "  "), (2, "c")])) == ["1.a", "3.c"]


def test_list_linked_through_a_numbering_style_shares_that_list():
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    styles, _ = read_styles(etree.fromstring(
        f'<w:styles {w}><w:style w:type="numbering" w:styleId="PlanList"><w:name w:val="Plan List"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>'))
    nb = read_numbering(etree.fromstring(
        f'<w:numbering {w}><w:abstractNum w:abstractNumId="0"><w:styleLink w:val="PlanList"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '</w:abstractNum><w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="PlanList"/></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>'), styles)
    assert [next_marker(nb, num, 0) for num in ("1", "2", "2", "9")] == ["一、", "二、", "三、", None]


@pytest.mark.parametrize("n, fmt, text", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (21, "chineseCountingThousand", "二十一"), (3, "japaneseCounting", "三"),
    (3, "ideographTraditional", "丙"), (10, "ideographTraditional", "癸"),
    (1, "decimalEnclosedCircle", "①"), (20, "decimalEnclosedCircleChinese", "⑳"), (21, "decimalEnclosedCircle", "㉑"),
    (12, "decimalFullWidth", "１２"), (7, "decimal", "7"), (2, "decimalZero", "02"),
    (1, "lowerLetter", "a"), (27, "lowerLetter", "aa"), (3, "upperLetter", "C"),
    (4, "lowerRoman", "iv"), (14, "upperRoman", "XIV"), (5, "someFutureFormat", "5"), (1, "none", ""),
])
def test_format_number(n, fmt, text):
    assert format_number(n, fmt) == text


# ---------------------------------------------------------------- headings and paragraphs


def test_heading_styles_and_outline_levels():
    doc = f.new_document()
    cn_heading = doc.styles.add_style("标题 2", 1)  # a WPS-style Chinese style name
    outline_style = doc.styles.add_style("大标题", 1)
    f.number_style(outline_style, "0", None, outline=0)  # no list, outline level 0 = level 1
    for text, style in [("实施方案", "Title"), ("总体要求", "Heading 1"), ("工作原则", "Heading 3"),
                        ("主要任务", cn_heading.name), ("保障措施", "大标题"), ("正文。", None)]:
        doc.add_paragraph(text, style=style)
    raw = read(doc)
    assert [(raw.text[b.start:b.end], b.kind, b.level) for b in raw.blocks] == [
        ("实施方案", "heading", 0), ("总体要求", "heading", 1), ("工作原则", "heading", 3),
        ("主要任务", "heading", 2), ("保障措施", "heading", 1), ("正文。", "paragraph", None)]


def test_numbered_heading_style_keeps_its_marker():
    doc = f.new_document()
    f.number_style(doc.styles["Heading 1"], f.add_list(doc), 0)
    doc.add_heading("指导思想", 1)
    doc.add_heading("工作目标", 1)
    raw = read(doc)
    assert raw.text == "一、指导思想\n二、工作目标"
    assert [(b.kind, b.level, b.marker) for b in raw.blocks] == [("heading", 1, "一、"), ("heading", 1, "二、")]


def test_empty_paragraphs_skipped_breaks_and_indentation():
    doc = f.new_document()
    doc.add_paragraph("")
    doc.add_paragraph("\u3000\u3000为加强管理，制定本方案。")
    doc.add_paragraph("   ")
    p = doc.add_paragraph("青溪区教育局")
    p.add_run().add_break()  # a soft line break inside one paragraph
    p.add_run("2026年2月20日")
    assert lines(doc) == ["为加强管理，制定本方案。", "青溪区教育局 2026年2月20日"]


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def xml(fragment: str):
    """An XML fragment -> element, its first tag given the w: and mc: namespace declarations."""
    head, rest = fragment.split(">", 1)
    return parse_xml(f"{head} {W_NS} {MC_NS}>{rest}")


TEXT_BOX = ('<w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent>'
            '</w:drawing></w:r>')


@pytest.mark.parametrize("inline, line", [
    ('<w:ins w:id="1" w:author="a"><w:r><w:t>新增</w:t></w:r></w:ins>', "正文新增"),
    ('<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText><w:tab/></w:r></w:del>', "正文"),
    ('<w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink>', "正文链接"),
    ('<w:fldSimple w:instr="DATE"><w:r><w:t>2026年2月20日</w:t></w:r></w:fldSimple>', "正文2026年2月20日"),
    ('<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>', "正文"),
    (f'<mc:AlternateContent><mc:Choice Requires="wps">{TEXT_BOX}</mc:Choice>'
     f'<mc:Fallback>{TEXT_BOX}</mc:Fallback></mc:AlternateContent>', "正文"),
    ('<w:r><w:tab/><w:t>甲</w:t><w:br w:type="page"/><w:t>乙</w:t><w:noBreakHyphen/></w:r>', "正文\t甲乙-"),
])
def test_visible_run_text_only(inline, line):
    doc = f.new_document()
    doc.add_paragraph("正文")._p.append(xml(inline))
    assert lines(doc) == [line]


def test_content_controls_are_read_in_body_order():
    doc = f.new_document()
    doc.add_paragraph("前言")
    doc.element.body.insert(1, xml('<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>目录</w:t></w:r></w:p>'
                                   '</w:sdtContent></w:sdt>'))
    doc.add_paragraph("正文")
    assert lines(doc) == ["前言", "目录", "正文"]


# ---------------------------------------------------------------- tables

TASKS = [["工作任务", "牵头单位", "配合单位", "完成时限"],
         ["排查校舍隐患", "计划财务科", "住建局", "6月30日前"],
         ["消防安全检查", "安全管理科", "消防救援大队", "5月31日前"]]


def test_task_table_rows_with_cell_spans_in_body_order():
    doc = f.new_document()
    doc.add_paragraph("重点任务分工如下：")
    f.add_table(doc, TASKS)
    doc.add_paragraph("附件二：")
    f.add_table(doc, [["阶段", "时间"], ["动员部署", "3月"]])
    raw = read(doc)
    assert raw.text.split("\n") == ["重点任务分工如下：", *("\t".join(r) for r in TASKS), "附件二：",
                                    "阶段\t时间", "动员部署\t3月"]
    rows = [b for b in raw.blocks if b.kind == "table_row"]
    assert [b.table for b in rows] == [0, 0, 0, 1, 1]
    for block, cells in zip(rows, TASKS + [["阶段", "时间"], ["动员部署", "3月"]]):
        assert [raw.text[s:e] for s, e in block.cells] == cells


@pytest.mark.parametrize("merge, row1", [
    # horizontal: one cell over two columns, text once, columns kept in place
    (((1, 1), (1, 2)), ["排查校舍隐患", "计划财务科", "", "6月30日前"]),
    # vertical: the lead unit written once, the continuation cell empty
    (((1, 1), (2, 1)), ["排查校舍隐患", "计划财务科", "住建局", "6月30日前"]),
])
def test_merged_cells_are_neither_repeated_nor_dropped(merge, row1):
    doc = f.new_document()
    f.add_table(doc, TASKS, merges=[merge])
    raw = read(doc)
    rows = [[raw.text[s:e] for s, e in b.cells] for b in raw.blocks]
    assert rows[0] == TASKS[0] and rows[1] == row1
    assert all(len(r) == 4 for r in rows)
    assert raw.text.count("计划财务科") == 1


def test_cell_with_paragraphs_list_and_tab_stays_one_line():
    doc = f.new_document()
    table = f.add_table(doc, [["任务", "要求"], ["排查", "全面摸底"]])
    cell = table.cell(1, 1)
    cell.add_paragraph("建立台账\t销号管理")
    f.add_item(cell, "限期整改", f.add_list(doc, [("decimal", "%1.")]), 0)
    raw = read(doc)
    assert raw.text.split("\n")[1] == "排查\t全面摸底 建立台账 销号管理 1.限期整改"
    assert len(raw.blocks[1].cells) == 2


# ---------------------------------------------------------------- bad input


def good_docx() -> bytes:
    doc = f.new_document()
    doc.add_paragraph("一、总体要求")
    return f.docx_bytes(doc)


XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
       b'<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>')
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
          b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&lol2;</w:styles>')


def _bomb() -> bytes:
    return f.replace_member(good_docx(), "word/media/zeros.bin", bytes(4 * 1024 * 1024))  # ~4 KB on disk


@pytest.mark.parametrize("make, code, words", [
    (lambda: b"PK\x03\x04 not really a zip", "corrupt_docx", "not a zip archive"),
    (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "corrupt_docx", "legacy .doc"),
    (lambda: f.zip_bytes({"readme.txt": b"hello"}), "corrupt_docx", "no word/document.xml"),
    (lambda: f.replace_member(good_docx(), "word/document.xml", b"<w:document><w:body>"), "corrupt_docx",
     "python-docx cannot read it: XMLSyntaxError"),
    (lambda: f.replace_member(good_docx(), "[Content_Types].xml", None), "corrupt_docx", "KeyError"),
    (lambda: f.corrupt_member(good_docx(), "word/document.xml"), "corrupt_docx", "damaged zip member"),
    (_bomb, "unsafe_docx", "zip bomb: member 'word/media/zeros.bin' inflates"),
    (lambda: f.replace_member(good_docx(), "word/document.xml", XXE), "unsafe_docx",
     "entities are refused (DOCTYPE or ENTITY declaration in 'word/document.xml')"),
    (lambda: f.replace_member(good_docx(), "word/styles.xml", LAUGHS), "unsafe_docx", "'word/styles.xml'"),
    (lambda: f.replace_member(good_docx(), "word/document.xml", XXE.decode().replace('"1.0"', '"1.0" encoding="utf-16"')
                              .encode("utf-16")), "unsafe_docx", "entities are refused"),
    # a part with an unusual name that [Content_Types].xml declares as XML is checked too
    (lambda: f.replace_member(f.replace_member(good_docx(), "word/extra.dat", XXE), "[Content_Types].xml",
                              zipfile.ZipFile(io.BytesIO(good_docx())).read("[Content_Types].xml").replace(
                                  b"</Types>", b'<Default Extension="dat" ContentType="application/xml"/></Types>')),
     "unsafe_docx", "'word/extra.dat'"),
])
def test_bad_archives_are_refused_specifically(make, code, words):
    with pytest.raises(InputError) as err:
        read_docx(make())
    assert err.value.code == code
    assert words in str(err.value)
    assert "root:" not in str(err.value)  # nothing of /etc/passwd leaks


@pytest.mark.parametrize("limit, value, words", [
    ("MAX_ZIP_MEMBERS", 5, "members > limit 5"),
    ("MAX_UNZIPPED_BYTES", 100_000, "would inflate to"),
    ("MAX_ZIP_RATIO", 1, "inflates"),
])
def test_zip_limits_come_from_settings(monkeypatch, limit, value, words):
    monkeypatch.setattr(settings, limit, value)
    monkeypatch.setattr("pipeline.ingest.docx.BIG_MEMBER", 0)
    with pytest.raises(InputError, match=words) as err:
        read_docx(good_docx())
    assert err.value.code == "unsafe_docx" and "zip bomb" in str(err.value)


def test_good_archive_passes_and_reader_is_registered():
    raw = reader("docx")(good_docx())
    assert raw.text == "一、总体要求" and raw.blocks[0].kind == "paragraph"


# ---------------------------------------------------------------- the bundled sample


def test_sample_is_in_sync_with_its_script_and_reads_as_a_plan():
    spec = importlib.util.spec_from_file_location("make_docx_sample", ROOT / "corpora" / "make_docx_sample.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert f.docx_bytes(script.build_plan()) == SAMPLE.read_bytes(), "run corpora/make_docx_sample.py"
    raw = read_docx(SAMPLE.read_bytes())
    text = raw.text.split("\n")
    heads = [raw.text[b.start:b.end] for b in raw.blocks if b.kind == "heading" and b.level == 1]
    assert heads == ["一、指导思想", "二、工作目标", "三、主要任务", "四、实施步骤", "五、保障措施"]
    assert "（一）动员部署阶段（2026年3月1日—3月15日）" in text
    assert "工作任务\t牵头单位\t配合单位\t完成时限" in text
    assert sum(b.kind == "table_row" for b in raw.blocks) == 6
    assert [b.marker for b in raw.blocks if b.kind == "list_item"] == ["1.", "2."] * 4
    assert 1500 <= len(raw.text) <= 2500
