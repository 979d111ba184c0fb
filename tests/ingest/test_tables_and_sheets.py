"""PDF ruled tables and wrapped lines, spreadsheets of tasks, saved pages (.mht): the same plan gives the same
text and table tasks as its .txt / .docx form. PDFs are built with reportlab (`tests/pdf_factory.py`)."""
from __future__ import annotations

import io

import openpyxl
import pytest

from formats_helpers import plan_of, write
from pdf_factory import plan_pdf
from plan_texts import (PLAN, TABLE_AFTER, TABLE_BEFORE, TABLE_HEADER, TABLE_ROWS, TABLE_TITLE, plan_text,
                        table_plan_text, traditional)

from pipeline.errors import InputError
from pipeline.ingest.pdf import read_pdf
from pipeline.ingest.spreadsheet import read_xlsx

DEADLINES = ["2026-04-30", "2026-06-30", "2026-09-30", "2026-10-31", "2026-12-31"]


def _script(paras, script):
    return traditional(paras) if script == "traditional" else list(paras)


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_a_pdf_with_a_wrapped_task_table_gives_its_table_tasks(tmp_path, script):
    before, after = _script(TABLE_BEFORE, script), _script(TABLE_AFTER, script)
    header, rows = _script(TABLE_HEADER, script), [_script(r, script) for r in TABLE_ROWS]
    pdf = plan_of(write(tmp_path / "p.pdf", plan_pdf(before, header, rows, after)))
    txt_lines = before + ["\t".join(r) for r in [header] + rows] + after
    txt = plan_of(write(tmp_path / "p.txt", ("\n".join(txt_lines) + "\n").encode("utf-8")))
    assert pdf.text == txt.text                 # wrapped paragraph and cells rejoined: the same text...
    assert pdf.title == txt.title == TABLE_TITLE
    table = [t for t in pdf.tasks if t.path[0] == "table1"]
    assert len(table) == len(TABLE_ROWS)
    assert [t.deadline.value for t in table] == DEADLINES
    assert all(t.deadline.text.endswith("前") for t in table)
    assert table[0].title.startswith("开展村庄清洁行动")
    assert [t.owners for t in table] == [[r[2]] for r in TABLE_ROWS]  # the 责任单位 column (simplified by t2s)


def test_table_rows_are_blocks_like_docx_rows():
    raw = read_pdf(plan_pdf(TABLE_BEFORE, TABLE_HEADER, TABLE_ROWS, TABLE_AFTER))
    assert raw.text + "\n" == table_plan_text()
    rows = [b for b in raw.blocks if b.kind == "table_row"]
    assert len(rows) == 1 + len(TABLE_ROWS) and {b.table for b in rows} == {0}
    assert [raw.text[s:e] for s, e in rows[1].cells] == TABLE_ROWS[0]


def test_a_table_going_on_over_pages_stays_one_table_with_one_header():
    many = [[str(i), f"第{i}项任务：完善工作机制，加强督促检查，确保按期完成各项整改要求", "县政府办公室", f"2026年{i % 12 + 1}月底前"]
            for i in range(1, 41)]
    raw = read_pdf(plan_pdf(TABLE_BEFORE, TABLE_HEADER, many, TABLE_AFTER))
    rows = [b for b in raw.blocks if b.kind == "table_row"]
    assert len(rows) == 41 and {b.table for b in rows} == {0}
    assert raw.text.count("工作任务") == 1


def test_a_paragraph_going_on_over_a_page_break_is_one_line():
    long = "为进一步提升社区卫生服务能力，" * 12 + "制定本方案。"
    filler = [f"（{i}）加强组织领导，明确工作职责。" for i in range(1, 40)]
    raw = read_pdf(plan_pdf([PLAN[0]] + filler[:33] + [long] + filler[33:]))
    assert long in raw.text.split("\n")


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def task_sheet(script="simplified"):
    import datetime as dt

    rows = [[int(r[0]), r[1], r[2], r[3]] for r in TABLE_ROWS]
    rows[1][3] = dt.datetime(2026, 6, 30)  # a date cell
    rows[2][1] = rows[2][1].replace("，", "，\n", 1)  # a line break inside a cell
    return [[_script([TABLE_TITLE], script)[0]], _script(TABLE_HEADER, script)] + \
        [[r[0], _script([r[1]], script)[0], _script([r[2]], script)[0], r[3]] for r in rows]


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_a_task_list_sheet_becomes_a_plan_of_tasks(tmp_path, script):
    data = xlsx({"说明": [["填表说明：按季度报送"]], "任务清单": task_sheet(script)})
    plan = plan_of(write(tmp_path / "tasks.xlsx", data))
    assert plan.source.format == "xlsx" and plan.title == TABLE_TITLE
    assert [t.deadline.value for t in plan.tasks] == DEADLINES
    assert [t.owners for t in plan.tasks] == [[r[2]] for r in TABLE_ROWS]
    assert plan.tasks[2].title.startswith("加强农村生活污水治理，完成十个")  # the cell's line break joined


def test_the_sheet_name_is_the_title_when_the_sheet_has_none(tmp_path):
    raw = read_xlsx(xlsx({"2026年重点工作任务清单": task_sheet()[1:]}))
    assert raw.text.split("\n")[0] == "2026年重点工作任务清单"
    assert raw.blocks[1].kind == "table_row"


def test_an_xls_workbook_is_read_through_xlrd(tmp_path):
    import datetime as dt

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("任务清单")
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(task_sheet()):
        for c, value in enumerate(row):
            sheet.write(r, c, value, dates) if isinstance(value, dt.datetime) else sheet.write(r, c, value)
    buf = io.BytesIO()
    book.save(buf)
    plan = plan_of(write(tmp_path / "t.xls", buf.getvalue()))
    assert plan.source.format == "xls" and plan.title == TABLE_TITLE
    assert [t.deadline.value for t in plan.tasks] == DEADLINES


@pytest.mark.parametrize("sheets, words", [
    ({"Sheet1": [["姓名", "电话"], ["张三", "123"]]}, "no sheet is a task list"),
    ({"Sheet1": []}, "'Sheet1'"),
])
def test_other_workbooks_are_no_plan(sheets, words):
    with pytest.raises(InputError) as e:
        read_xlsx(xlsx(sheets))
    assert e.value.code == "no_plan" and words in e.value.detail


def test_a_damaged_workbook_is_corrupt_spreadsheet():
    data = xlsx({"任务清单": task_sheet()})
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, b"<broken" if item.filename.endswith("sheet1.xml") else src.read(item))
    with pytest.raises(InputError) as e:
        read_xlsx(buf.getvalue())
    assert e.value.code == "corrupt_spreadsheet"


def test_a_saved_page_archive_is_read_as_its_html(tmp_path):
    html = "<html><body><h1>" + PLAN[0] + "</h1>" + "".join(f"<p>{p}</p>" for p in PLAN[1:]) + "</body></html>"
    import base64

    body = base64.encodebytes(html.encode("gb18030")).decode("ascii")
    mht = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"XX\"; type=\"text/html\"\r\n\r\n"
           "--XX\r\nContent-Type: text/html; charset=\"gb2312\"\r\nContent-Transfer-Encoding: base64\r\n"
           "Content-Location: http://example.invalid/plan.htm\r\n\r\n" + body + "\r\n--XX--\r\n")
    plan = plan_of(write(tmp_path / "page.mht", mht.encode("ascii")))
    ref = plan_of(write(tmp_path / "page.txt", plan_text().encode("utf-8")))
    assert plan.source.format == "html" and plan.title == ref.title and plan.text == ref.text
    assert len(plan.tasks) == len(ref.tasks)
    aspx = plan_of(write(tmp_path / "page.aspx", html.encode("utf-8")))
    assert aspx.text == ref.text
