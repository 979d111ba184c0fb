"""`plans.xlsx`: the flat tables for spreadsheet users, one sheet per table (`NAME_2`, … past Excel's row limit),
each with a bold frozen header, an autofilter and column widths fitted to the cells; lists of names joined with
`、`; text cells made inert (`csv_cells.neutralize`) and cut at Excel's 32,767 characters with a visible marker.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import atomic_write
from .columns import Column, TableSpec, table_specs
from .csv_cells import sheet_value
from .jsonl import read_chunks

XLSX_MAX_CHARS = 32_767           # Excel's limit per cell
XLSX_MAX_ROWS = 1_048_576         # Excel's limit per sheet (header included); more rows go to `NAME_2`, …
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_text(value: str) -> str:
    """Text an XLSX cell can hold: control characters replaced, cut at 32,767 characters with a marker."""
    value = _XLSX_ILLEGAL.sub("\ufffd", value)
    if len(value) > XLSX_MAX_CHARS:
        marker = f"…[truncated: {len(value):,} characters]"
        value = value[: XLSX_MAX_CHARS - len(marker)] + marker
    return value


XLSX_LIST_SEPARATOR = "、"        # a list of names or markers in one cell: 教务处、总务处
XLSX_WIDTHS = (6, 60)             # column widths (Excel units, about one Latin character) from the header and
XLSX_WIDTH_SAMPLE = 500           # the first rows of a sheet: CJK characters count two


def _xlsx_value(col: Column, value: Any) -> Any:
    """A value for an XLSX cell: a list of names or markers joined with `、` (lists of objects, objects: JSON);
    text neutralized."""
    if col.kind == "list" and isinstance(value, list) and not any(isinstance(v, (list, dict)) for v in value):
        value = XLSX_LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    return sheet_value(col, value)


def _text_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_widths(names: list[str], rows: list[list]) -> list[int]:
    """A width per column that shows the header and the sample's cells, within `XLSX_WIDTHS`."""
    low, high = XLSX_WIDTHS
    widths = []
    for i, name in enumerate(names):
        cells = (str(r[i])[: 2 * high] for r in rows[:XLSX_WIDTH_SAMPLE] if r[i] is not None)
        longest = max([_text_width(name), *(_text_width(c.split("\n", 1)[0]) for c in cells)])
        widths.append(min(max(longest + 2, low), high))
    return widths


def write_workbook(plans_jsonl: Path, out_dir: Path) -> None:
    """`plans.jsonl` -> `out_dir/plans.xlsx`: a sheet per table (`NAME_2`, … past Excel's row limit), each with
    a bold frozen header row, an autofilter over its rows and column widths that fit their cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    specs = [s for s in table_specs() if "xlsx" in s.formats]
    workbook = Workbook(write_only=True)
    sheets: dict[str, list] = {s.name: [] for s in specs}
    state = {s.name: [None, XLSX_MAX_ROWS] for s in specs}  # current sheet, its rows
    bold = Font(bold=True)
    height: dict[str, int] = {}   # sheet -> rows written, header included

    def next_sheet(spec: TableSpec, sample: list[list]) -> None:
        title = spec.name if not sheets[spec.name] else f"{spec.name}_{len(sheets[spec.name]) + 1}"
        ws = workbook.create_sheet(title=title[:31])
        sheets[spec.name].append(ws)
        names = [c.name for c in spec.columns_for("xlsx")]
        for i, width in enumerate(_column_widths(names, sample), 1):  # set before the first row is written
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        header = []
        for name in names:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        state[spec.name] = [ws, 1]

    for plans in read_chunks(Path(plans_jsonl)):
        for spec in specs:
            data = spec.build(plans)
            cols = spec.columns_for("xlsx")
            rows = [[xlsx_text(v) if isinstance(v, str) else v for v in cells]
                    for cells in zip(*[[_xlsx_value(c, v) for v in data[c.name]] for c in cols])]
            for k, row in enumerate(rows):
                if state[spec.name][1] >= XLSX_MAX_ROWS:
                    next_sheet(spec, rows[k:])
                state[spec.name][0].append(row)
                state[spec.name][1] += 1
                height[state[spec.name][0].title] = state[spec.name][1]
    for spec in specs:
        if state[spec.name][0] is None:
            next_sheet(spec, [])
    for spec in specs:
        last = get_column_letter(len(spec.columns_for("xlsx")))
        for ws in sheets[spec.name]:
            ws.auto_filter.ref = f"A1:{last}{height.get(ws.title, 1)}"
    for i, ws in enumerate(ws for spec in specs for ws in sheets[spec.name]):  # sheets in table order
        workbook.move_sheet(ws.title, i - workbook.index(ws))
    with atomic_write(Path(out_dir) / "plans.xlsx", "wb") as f:
        workbook.save(f)
