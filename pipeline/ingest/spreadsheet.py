"""Spreadsheets of tasks (.xlsx with openpyxl, .xls with xlrd): a 任务清单 sheet becomes a plan's text.

A sheet is a task list when one of its first rows is a header naming a task column (工作任务, 重点任务…)
and a unit or deadline column (牵头单位, 责任单位, 完成时限…), the same header cues as task tables in
documents (`models/cues/owners.txt`), in either script. Rows above the header with one cell (the list's title, 附件1) become
paragraphs; the sheet name stands as the title when there is none and it is not a default name (Sheet1);
the header and every row below it become `table_row` lines, cells joined by tabs, as the .docx reader
writes tables, so the extractors read them as task tables. Every task-list sheet is one table; a workbook
with none is `no_plan`. Cells are written as shown: integers without `.0`, dates as 2026年6月30日,
line breaks inside a cell joined.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from functools import lru_cache

from .. import lexicon
from ..errors import InputError
from ..model import Block, RawText

HEADER_ROWS = 10        # the header is looked for in this many first rows
MAX_COLUMNS = 64
_DEFAULT_SHEET = re.compile(r"^(?:sheet|工作表|表)\s*\d*$", re.I)


@lru_cache(maxsize=1)
def _cues() -> tuple[re.Pattern, re.Pattern]:
    task = re.compile(lexicon.alternation(lexicon.words("owners", "table_task")))
    other = re.compile(lexicon.alternation(lexicon.words("owners", "lead_label") + lexicon.words("owners", "co_label")
                                           + lexicon.words("owners", "table_deadline")))
    return task, other


def header_row(rows: list[list[str]]) -> int | None:
    """Index of the task-list header among the first rows, or None."""
    from ..script import t2s  # cues are simplified; a traditional header (工作任務, 責任單位) matches too

    task, other = _cues()
    for i, row in enumerate(rows[:HEADER_ROWS]):
        cells = [t2s(c) for c in row if c]
        if len(cells) >= 2 and any(task.search(c) for c in cells) and any(other.search(c) for c in cells):
            return i
    return None


def cell_value(value) -> str:
    """A cell's value as shown: `3.0` -> 3, a date -> 2026年6月30日, lines joined, blanks collapsed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return f"{value.year}年{value.month}月{value.day}日"
    lines = [" ".join(line.split()) for line in str(value).splitlines()]
    out = ""
    for line in filter(None, lines):
        out += (" " if out and out[-1].isascii() and line[0].isascii() else "") + line
    return out


def sheets_to_text(sheets: list[tuple[str, list[list[str]]]], fmt: str) -> RawText:
    """(sheet name, rows of cell texts) -> RawText of the task-list sheets; `no_plan` when there is none."""
    lines: list[tuple[str, Block]] = []
    table = 0
    for name, rows in sheets:
        rows = [row[:MAX_COLUMNS] for row in rows]
        head = header_row(rows)
        if head is None:
            continue
        width = max(i + 1 for row in rows[head:] for i, c in enumerate(row) if c) if rows[head:] else 0
        above = [" ".join(c for c in row if c) for row in rows[:head]]
        above = [t for t in above if t]
        if not above and name and not _DEFAULT_SHEET.match(name.strip()):
            above = [name.strip()]
        lines += [(t, Block(0, 0)) for t in above]
        for row in rows[head:]:
            cells = (row + [""] * width)[:width]
            if any(cells):
                lines.append(("\t".join(cells), Block(0, 0, kind="table_row", table=table, cells=[])))
        table += 1
    if not lines:
        names = ", ".join(repr(n) for n, _ in sheets[:5]) or "none"
        raise InputError("no_plan", f"no sheet is a task list (a header with 工作任务/重点任务 and 责任单位/完成时限 "
                                    f"columns in its first {HEADER_ROWS} rows); sheets: {names}")
    out, pos, blocks = [], 0, []
    for text, block in lines:
        block.start, block.end = pos, pos + len(text)
        if block.kind == "table_row":
            p = pos
            for cell in text.split("\t"):
                block.cells.append((p, p + len(cell)))
                p += len(cell) + 1
        out.append(text)
        blocks.append(block)
        pos = block.end + 1
    return RawText(text="\n".join(out), format=fmt, encoding=None, blocks=blocks)


def _trim(rows: list[list[str]]) -> list[list[str]]:
    """Drop trailing empty cells and rows."""
    rows = [row[:max((i + 1 for i, c in enumerate(row) if c), default=0)] for row in rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def read_xlsx(data: bytes) -> RawText:
    """Bytes of an .xlsx workbook -> the text of its task-list sheets; `corrupt_spreadsheet`, `unsafe_xlsx`."""
    from .docx import check_archive

    check_archive(data, main="xl/workbook.xml", corrupt="corrupt_spreadsheet", unsafe="unsafe_xlsx",
                  what="an Excel workbook")
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = []
        for ws in wb.worksheets:
            rows = [[cell_value(v) for v in row] for row in ws.iter_rows(values_only=True)]
            sheets.append((ws.title, _trim(rows)))
        wb.close()
    except Exception as e:  # openpyxl raises KeyError, ValueError, zipfile and XML errors for damaged files
        raise InputError("corrupt_spreadsheet", f"openpyxl cannot read it: {type(e).__name__}: {str(e)[:160]}") from None
    return sheets_to_text(sheets, "xlsx")


def read_xls(data: bytes) -> RawText:
    """Bytes of a legacy .xls workbook -> the text of its task-list sheets; `corrupt_spreadsheet`."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        sheets = []
        for k in range(book.nsheets):
            sh = book.sheet_by_index(k)
            rows = []
            for r in range(sh.nrows):
                row = []
                for c in range(min(sh.ncols, MAX_COLUMNS)):
                    cell = sh.cell(r, c)
                    value = cell.value
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                    row.append(cell_value(value))
                rows.append(row)
            sheets.append((sh.name, _trim(rows)))
            book.unload_sheet(k)
    except Exception as e:  # xlrd raises XLRDError, struct and index errors for damaged files
        detail = str(e)
        if "encrypt" in detail.lower() or "password" in detail.lower():
            raise InputError("encrypted", f"a password-protected workbook ({detail[:120]})") from None
        raise InputError("corrupt_spreadsheet", f"xlrd cannot read it: {type(e).__name__}: {detail[:160]}") from None
    return sheets_to_text(sheets, "xls")
