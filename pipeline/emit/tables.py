"""Flat tables projected from `plans.jsonl`: Parquet (raw values), CSV (UTF-8 with BOM) and one XLSX workbook.

The tables follow `model.py`: `plans` (one row per plan: scalar fields, `source` flattened, item counts), one
table per item list of `Plan` (`sections`, `tasks`, `phases`, `dates`, `people`, `rules`, and any list added to the
model later), a long table per nested item list (`rule_amounts`), `task_owners` (the long form of
`tasks.owners`/`tasks.co_owners`) and, for spreadsheets only, `texts`. Every row carries `plan_id`; item rows
carry `idx`, their position in the plan's list.

Spreadsheet safety: in CSV and XLSX a text cell that begins with `=`, `+`, `-`, `@`, tab or carriage return is
prefixed with `'` (OWASP "CSV injection"), so Excel/LibreOffice/Sheets show it as text instead of evaluating
it; Parquet keeps the raw value. XLSX cells are cut at 32,767 characters with a visible marker.

`plans.jsonl` is read line by line and rows are written in batches, so a plan's text is held once, and only
for the current batch. Every file is written to a temporary name and renamed into place at the end.
"""
from __future__ import annotations

import csv
import dataclasses
import json
import re
import typing
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..model import SCHEMA, Plan
from . import atomic_write
from .schema import (
    LOOSE_OBJECTS,
    TABLE_DESCRIPTIONS,
    describe,
    emitted_fields,
    item_classes,
    type_hints,
    unwrap_optional,
)

FORMATS = ("parquet", "csv", "xlsx")
BATCH_ROWS = 5000
BATCH_CHARS = 16_000_000          # flush a table's buffer past this many characters of text
XLSX_MAX_CHARS = 32_767           # Excel's limit per cell
XLSX_MAX_ROWS = 1_048_576         # Excel's limit per sheet (header included); more rows go to `NAME_2`, …
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LOOSE_KEYS = ("value", "first_day", "last_day")


# ------------------------------------------------------------------ table specifications


@dataclass(frozen=True)
class Column:
    """One column: `kind` is `scalar`, `list` (list of scalars), `struct` (list of objects) or `json` (a value
    stored as JSON text). `formats` limits the column to some formats (None: all of its table's)."""

    name: str
    type: pa.DataType
    description: str
    kind: str = "scalar"
    formats: tuple[str, ...] | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[dict], Iterable[dict]]
    formats: tuple[str, ...] = FORMATS

    def columns_for(self, fmt: str) -> list[Column]:
        return [c for c in self.columns if c.formats is None or fmt in c.formats]

    def arrow_schema(self) -> pa.Schema:
        cols = self.columns_for("parquet")
        return pa.schema([pa.field(c.name, c.type, metadata={"description": c.description}) for c in cols],
                         metadata={"table": self.name, "schema": SCHEMA})


_ARROW = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def _arrow_type(tp: Any) -> tuple[pa.DataType, str]:
    """A model type hint -> (Arrow type, column kind)."""
    tp, _ = unwrap_optional(tp)
    if tp in _ARROW:
        return _ARROW[tp], "scalar"
    if typing.get_origin(tp) is list:
        (arg,) = typing.get_args(tp)
        arg, _ = unwrap_optional(arg)
        if arg in _ARROW:
            return pa.list_(_ARROW[arg]), "list"
        if dataclasses.is_dataclass(arg):
            fields = [pa.field(f.name, _arrow_type(type_hints(arg)[f.name])[0]) for f in emitted_fields(arg)]
            return pa.list_(pa.struct(fields)), "struct"
    return pa.string(), "json"


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") else name


def _plans_spec(items: dict[str, type]) -> TableSpec:
    hints = type_hints(Plan)
    cols: list[Column] = [Column("plan_id", pa.string(), describe(Plan, "plan_id"))]
    getters: list[tuple[str, Callable[[dict], Any]]] = [("plan_id", lambda p: p.get("plan_id"))]
    texts = []
    for f in emitted_fields(Plan):
        name = f.name
        tp, _ = unwrap_optional(hints[name])
        if name == "plan_id" or name in items:
            continue
        if name in ("text", "original_text"):
            texts.append(name)
            continue
        if dataclasses.is_dataclass(tp):  # source -> source_path, …, source_span_start, source_span_end
            for g in emitted_fields(tp):
                sub = type_hints(tp)[g.name]
                if g.name == "span":
                    for i, end in enumerate(("start", "end")):
                        cols.append(Column(f"{name}_span_{end}", pa.int64(),
                                           TABLE_DESCRIPTIONS[f"{name}_span_{end}"]))
                        getters.append((f"{name}_span_{end}", _span_getter(name, i)))
                    continue
                atype, kind = _arrow_type(sub)
                cols.append(Column(f"{name}_{g.name}", atype, describe(tp, g.name), kind))
                getters.append((f"{name}_{g.name}", _sub_getter(name, g.name)))
            continue
        atype, kind = _arrow_type(tp)
        cols.append(Column(name, atype, describe(Plan, name), kind))
        getters.append((name, _getter(name)))
    cols += [Column("text_chars", pa.int64(), TABLE_DESCRIPTIONS["text_chars"]),
             Column("original_chars", pa.int64(), TABLE_DESCRIPTIONS["original_chars"])]
    getters += [("text_chars", lambda p: len(p.get("text") or "")),
                ("original_chars", lambda p: len(p.get("original_text") or ""))]
    for name in items:
        cols.append(Column(f"n_{name}", pa.int64(), f"{TABLE_DESCRIPTIONS['n_items']} `{name}`."))
        getters.append((f"n_{name}", _count_getter(name)))
    for name in texts:
        cols.append(Column(name, pa.string(), describe(Plan, name), formats=("parquet",)))
        getters.append((name, _getter(name)))

    def rows(plan: dict) -> Iterator[dict]:
        yield {name: get(plan) for name, get in getters}

    return TableSpec("plans", TABLE_DESCRIPTIONS["plans"], tuple(cols), rows)


def _getter(name: str) -> Callable[[dict], Any]:
    return lambda d: d.get(name)


def _sub_getter(name: str, sub: str) -> Callable[[dict], Any]:
    return lambda d: (d.get(name) or {}).get(sub)


def _span_getter(name: str, i: int) -> Callable[[dict], Any]:
    def get(d: dict) -> Any:
        span = (d.get(name) or {}).get("span") or []
        return span[i] if len(span) > i else None
    return get


def _count_getter(name: str) -> Callable[[dict], Any]:
    return lambda d: len(d.get(name) or [])


def _item_specs(table: str, cls: type) -> list[TableSpec]:
    """The table of one item list (`tasks`), then one long table per nested list of objects (`rule_amounts`)."""
    cols = [Column("plan_id", pa.string(), TABLE_DESCRIPTIONS["plan_id"]),
            Column("idx", pa.int64(), TABLE_DESCRIPTIONS["idx"])]
    loose: list[str] = []
    children: list[tuple[str, type]] = []
    for f in emitted_fields(cls):
        tp = type_hints(cls)[f.name]
        atype, kind = _arrow_type(tp)
        cols.append(Column(f.name, atype, describe(cls, f.name) + (" As JSON text." if kind == "json" else ""),
                           kind))
        if f"{cls.__name__}.{f.name}" in LOOSE_OBJECTS:
            loose.append(f.name)
            for k in _LOOSE_KEYS:
                cols.append(Column(f"{f.name}_{k}", pa.string(), TABLE_DESCRIPTIONS.get(
                    f"{f.name}_{k}", f"`{f.name}.{k}`.")))
        if kind == "struct":
            (arg,) = typing.get_args(unwrap_optional(tp)[0])
            children.append((f.name, arg))
    names = [f.name for f in emitted_fields(cls)]

    def rows(plan: dict) -> Iterator[dict]:
        pid = plan.get("plan_id")
        for i, item in enumerate(plan.get(table) or []):
            row = {"plan_id": pid, "idx": i}
            for n in names:
                row[n] = item.get(n)
            for n in loose:
                obj = item.get(n) if isinstance(item.get(n), dict) else {}
                for k in _LOOSE_KEYS:
                    row[f"{n}_{k}"] = obj.get(k)
            yield row

    specs = [TableSpec(table, describe(Plan, table) + " One row per item.", tuple(cols), rows)]
    for field_name, child in children:
        specs.append(_child_spec(table, field_name, child))
    return specs


def _child_spec(table: str, field_name: str, cls: type) -> TableSpec:
    parent_idx = f"{_singular(table)}_idx"
    cols = [Column("plan_id", pa.string(), TABLE_DESCRIPTIONS["plan_id"]),
            Column(parent_idx, pa.int64(), TABLE_DESCRIPTIONS["child_parent_idx"]),
            Column("idx", pa.int64(), TABLE_DESCRIPTIONS["idx"])]
    for f in emitted_fields(cls):
        atype, kind = _arrow_type(type_hints(cls)[f.name])
        cols.append(Column(f.name, atype, describe(cls, f.name), kind))
    names = [f.name for f in emitted_fields(cls)]

    def rows(plan: dict) -> Iterator[dict]:
        pid = plan.get("plan_id")
        for i, item in enumerate(plan.get(table) or []):
            for j, sub in enumerate(item.get(field_name) or []):
                yield {"plan_id": pid, parent_idx: i, "idx": j, **{n: sub.get(n) for n in names}}

    name = f"{_singular(table)}_{field_name}"
    return TableSpec(name, f"{describe(cls)} One row per `{table}.{field_name}` entry.", tuple(cols), rows)


def _task_owners_spec() -> TableSpec:
    cols = (Column("plan_id", pa.string(), TABLE_DESCRIPTIONS["plan_id"]),
            Column("task_id", pa.string(), TABLE_DESCRIPTIONS["task_owners.task_id"]),
            Column("task_idx", pa.int64(), TABLE_DESCRIPTIONS["task_owners.task_idx"]),
            Column("owner", pa.string(), TABLE_DESCRIPTIONS["task_owners.owner"]),
            Column("role", pa.string(), TABLE_DESCRIPTIONS["task_owners.role"]),
            Column("rank", pa.int64(), TABLE_DESCRIPTIONS["task_owners.rank"]))

    def rows(plan: dict) -> Iterator[dict]:
        pid = plan.get("plan_id")
        for i, task in enumerate(plan.get("tasks") or []):
            for role, key in (("owner", "owners"), ("co_owner", "co_owners")):
                for r, owner in enumerate(task.get(key) or []):
                    yield {"plan_id": pid, "task_id": task.get("id"), "task_idx": i, "owner": owner,
                           "role": role, "rank": r}

    return TableSpec("task_owners", TABLE_DESCRIPTIONS["task_owners"], cols, rows)


def _texts_spec() -> TableSpec:
    cols = (Column("plan_id", pa.string(), TABLE_DESCRIPTIONS["plan_id"]),
            Column("text", pa.string(), describe(Plan, "text")),
            Column("original_text", pa.string(), describe(Plan, "original_text")))

    def rows(plan: dict) -> Iterator[dict]:
        yield {"plan_id": plan.get("plan_id"), "text": plan.get("text"), "original_text": plan.get("original_text")}

    return TableSpec("texts", TABLE_DESCRIPTIONS["texts"], cols, rows, formats=("csv", "xlsx"))


def table_specs() -> list[TableSpec]:
    """Every flat table, in the order of the workbook's sheets (derived from `model.Plan`)."""
    items = item_classes()
    specs = [_plans_spec(items)]
    for name, cls in items.items():
        item_specs = _item_specs(name, cls)
        specs.append(item_specs[0])
        if name == "tasks":
            specs.append(_task_owners_spec())
        specs += item_specs[1:]
    specs.append(_texts_spec())
    return specs


# ------------------------------------------------------------------ cell conversion


def neutralize(value: str) -> str:
    """A text cell made inert for spreadsheets: `'` before a leading `=`, `+`, `-`, `@`, tab or CR."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _to_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _arrow_value(col: Column, value: Any) -> Any:
    if col.kind == "json" and value is not None and not isinstance(value, str):
        return _to_json(value)
    return value


def _sheet_value(col: Column, value: Any) -> Any:
    """A value for a CSV/XLSX cell: lists and objects as JSON; text neutralized."""
    if value is None:
        return None
    if col.kind in ("list", "struct", "json") and not isinstance(value, str):
        value = _to_json(value)
    if isinstance(value, str):
        return neutralize(value)
    return value


def xlsx_text(value: str) -> str:
    """Text an XLSX cell can hold: control characters replaced, cut at 32,767 characters with a marker."""
    value = _XLSX_ILLEGAL.sub("\ufffd", value)
    if len(value) > XLSX_MAX_CHARS:
        marker = f"…[truncated: {len(value):,} characters]"
        value = value[: XLSX_MAX_CHARS - len(marker)] + marker
    return value


# ------------------------------------------------------------------ writing


def iter_plans(plans_jsonl: Path) -> Iterator[dict]:
    """The plans of a `plans.jsonl`, one at a time."""
    with open(plans_jsonl, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    raise ValueError(f"{plans_jsonl}: line {n}: not JSON: {e}") from None


class _Sink:
    """One table's outputs, written in batches."""

    def __init__(self, spec: TableSpec, out_dir: Path, stack: ExitStack, workbook: Any):
        self.spec = spec
        self.rows: list[dict] = []
        self.chars = 0
        self.count = 0
        self.parquet = self.csv = None
        self.sheet_cols = spec.columns_for("xlsx")
        if "parquet" in spec.formats:
            self.schema = spec.arrow_schema()
            self.parquet_cols = spec.columns_for("parquet")
            f = stack.enter_context(atomic_write(out_dir / f"{spec.name}.parquet", "wb"))
            self.parquet = pq.ParquetWriter(f, self.schema, compression="zstd")
            stack.callback(self.parquet.close)  # runs before the file is renamed into place
        if "csv" in spec.formats:
            self.csv_cols = spec.columns_for("csv")
            f = stack.enter_context(atomic_write(out_dir / f"{spec.name}.csv", "w", encoding="utf-8-sig",
                                                 newline=""))
            self.csv = csv.writer(f)
            self.csv.writerow([c.name for c in self.csv_cols])
        self.workbook = workbook if workbook is not None and "xlsx" in spec.formats else None
        self.sheets = 0
        self.sheet_rows = XLSX_MAX_ROWS
        self.sheet = None

    def add(self, row: dict) -> None:
        self.rows.append(row)
        self.count += 1
        self.chars += sum(len(v) for v in row.values() if isinstance(v, str))
        if len(self.rows) >= BATCH_ROWS or self.chars >= BATCH_CHARS:
            self.flush()

    def _next_sheet(self) -> None:
        self.sheets += 1
        title = self.spec.name if self.sheets == 1 else f"{self.spec.name}_{self.sheets}"
        self.sheet = self.workbook.create_sheet(title=title[:31])
        self.sheet.append([c.name for c in self.sheet_cols])
        self.sheet_rows = 1

    def flush(self) -> None:
        rows = self.rows
        if self.parquet is not None and rows:
            data = {c.name: [_arrow_value(c, r.get(c.name)) for r in rows] for c in self.parquet_cols}
            try:
                batch = pa.Table.from_pydict(data, schema=self.schema)
            except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
                raise ValueError(f"table {self.spec.name}: a value does not fit the schema: {e}") from None
            self.parquet.write_table(batch)
        if self.csv is not None:
            for r in rows:
                self.csv.writerow([_sheet_value(c, r.get(c.name)) for c in self.csv_cols])
        if self.workbook is not None:
            if self.sheet is None:
                self._next_sheet()
            for r in rows:
                if self.sheet_rows >= XLSX_MAX_ROWS:
                    self._next_sheet()
                cells = [_sheet_value(c, r.get(c.name)) for c in self.sheet_cols]
                self.sheet.append([xlsx_text(v) if isinstance(v, str) else v for v in cells])
                self.sheet_rows += 1
        self.rows = []
        self.chars = 0


def write_tables(plans_jsonl: Path, out_dir: Path, xlsx: bool = True) -> dict[str, int]:
    """`plans.jsonl` -> `out_dir/NAME.parquet`, `NAME.csv` per table and (if `xlsx`) `plans.xlsx`;
    {table: rows}.

    All files appear together at the end (each written to a temporary name, then renamed); on error none
    of them is replaced."""
    from openpyxl import Workbook

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    specs = table_specs()
    with ExitStack() as stack:
        workbook = Workbook(write_only=True) if xlsx else None
        sinks = [_Sink(spec, out_dir, stack, workbook) for spec in specs]
        for plan in iter_plans(Path(plans_jsonl)):
            for sink in sinks:
                for row in sink.spec.rows(plan):
                    sink.add(row)
        for sink in sinks:
            sink.flush()
        if workbook is not None:
            f = stack.enter_context(atomic_write(out_dir / "plans.xlsx", "wb"))
            workbook.save(f)
        return {sink.spec.name: sink.count for sink in sinks}
