"""Flat tables projected from `plans.jsonl`: Parquet (raw values), CSV (UTF-8 with BOM) and one XLSX workbook.

The tables follow `model.py`: `plans` (one row per plan: scalar fields, `source` flattened, item counts), one
table per item list of `Plan` (`sections`, `tasks`, `phases`, `dates`, `people`, `rules`, and any list added to the
model later), a long table per nested item list (`rule_amounts`), `task_owners` (the long form of
`tasks.owners`/`tasks.co_owners`) and, for spreadsheets only, `texts`. Every row carries `plan_id`; item rows
carry `idx`, their position in the plan's list.

Spreadsheet safety: in CSV and XLSX a text cell that begins with `=`, `+`, `-`, `@`, tab or carriage return is
prefixed with `'` (OWASP "CSV injection"), so Excel/LibreOffice/Sheets show it as text instead of evaluating
it; Parquet keeps the raw value. XLSX cells are cut at 32,767 characters with a visible marker.

Plans are encoded in batches into `Fragment`s (Arrow arrays, CSV text built by Arrow compute kernels) — by a run's
workers as they process files, or by `write_tables` from chunks of `plans.jsonl` lines — and `TableWriter` writes
them in order, so only the current batch is held. Every file is written to a temporary name and renamed into place
at the end.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import operator
import re
import sys
import typing
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
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
FLUSH_PLANS, FLUSH_BYTES = 200, 16 << 20   # plans (and bytes) gathered before they are encoded and written
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
    # the same rows for a list of plans, column-wise: {column: [values]} (what `write_tables` uses)
    build: Callable[[list[dict]], dict[str, list]] | None = None

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

    def build(plans: list[dict]) -> dict[str, list]:
        return {name: [get(p) for p in plans] for name, get in getters}

    return TableSpec("plans", TABLE_DESCRIPTIONS["plans"], tuple(cols), rows, build=build)


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

    def build(plans: list[dict]) -> dict[str, list]:
        pids: list = []
        idxs: list = []
        items: list = []
        for plan in plans:
            lst = plan.get(table) or []
            if lst:
                k = len(lst)
                pids += [plan.get("plan_id")] * k
                idxs += range(k)
                items += lst
        data = {"plan_id": pids, "idx": idxs}
        data.update(_fields(items, names))
        for n in loose:
            objs = [v if isinstance(v, dict) else {} for v in data[n]]
            for k in _LOOSE_KEYS:
                data[f"{n}_{k}"] = [obj.get(k) for obj in objs]
        return data

    specs = [TableSpec(table, describe(Plan, table) + " One row per item.", tuple(cols), rows, build=build)]
    for field_name, child in children:
        specs.append(_child_spec(table, field_name, child))
    return specs


def _fields(items: list, names: list[str]) -> dict[str, list]:
    """{name: [item.get(name) for item in items]} for each name, at C speed when every item has every name."""
    data = {}
    for n in names:
        try:
            data[n] = list(map(operator.itemgetter(n), items))
        except (KeyError, TypeError, IndexError):
            data[n] = [item.get(n) for item in items]
    return data


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

    def build(plans: list[dict]) -> dict[str, list]:
        pids: list = []
        parents: list = []
        idxs: list = []
        subs: list = []
        for plan in plans:
            pid = plan.get("plan_id")
            for i, item in enumerate(plan.get(table) or []):
                lst = item.get(field_name) or []
                if lst:
                    k = len(lst)
                    pids += [pid] * k
                    parents += [i] * k
                    idxs += range(k)
                    subs += lst
        data = {"plan_id": pids, parent_idx: parents, "idx": idxs}
        data.update(_fields(subs, names))
        return data

    name = f"{_singular(table)}_{field_name}"
    return TableSpec(name, f"{describe(cls)} One row per `{table}.{field_name}` entry.", tuple(cols), rows,
                     build=build)


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

    def build(plans: list[dict]) -> dict[str, list]:
        data: dict[str, list] = {c.name: [] for c in cols}
        for plan in plans:
            for row in rows(plan):
                for k, v in row.items():
                    data[k].append(v)
        return data

    return TableSpec("task_owners", TABLE_DESCRIPTIONS["task_owners"], cols, rows, build=build)


def _texts_spec() -> TableSpec:
    cols = (Column("plan_id", pa.string(), TABLE_DESCRIPTIONS["plan_id"]),
            Column("text", pa.string(), describe(Plan, "text")),
            Column("original_text", pa.string(), describe(Plan, "original_text")))

    def rows(plan: dict) -> Iterator[dict]:
        yield {"plan_id": plan.get("plan_id"), "text": plan.get("text"), "original_text": plan.get("original_text")}

    def build(plans: list[dict]) -> dict[str, list]:
        return {c.name: [p.get(c.name) for p in plans] for c in cols}

    return TableSpec("texts", TABLE_DESCRIPTIONS["texts"], cols, rows, formats=("csv", "xlsx"), build=build)


def table_specs() -> list[TableSpec]:
    """Every flat table, in the order of the workbook's sheets (derived from `model.Plan`)."""
    return list(_table_specs())


@lru_cache(maxsize=1)
def _table_specs() -> tuple[TableSpec, ...]:
    items = item_classes()
    specs = [_plans_spec(items)]
    for name, cls in items.items():
        item_specs = _item_specs(name, cls)
        specs.append(item_specs[0])
        if name == "tasks":
            specs.append(_task_owners_spec())
        specs += item_specs[1:]
    specs.append(_texts_spec())
    return tuple(specs)


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
#
# Tables are built column by column: for a batch of plans (a worker's files, or `CHUNK_CHARS` of `plans.jsonl`
# lines) each table's columns are collected as Python lists (`TableSpec.build`), converted to Arrow in one call per
# column, and the CSV text is produced by Arrow compute kernels (formula guard, quoting, joining) instead of a
# Python call per cell. Parquet row groups are cut exactly where the row-by-row writer cut them (`BATCH_ROWS` rows or
# `BATCH_CHARS` characters of text), so the files are byte for byte the same.

CHUNK_CHARS = 8_000_000           # parse this many characters of plans.jsonl lines at a time
CHUNK_PLANS = 2000
_JSON = json.JSONEncoder(ensure_ascii=False)   # == json.dumps(value, ensure_ascii=False), without its set-up
_encode_str = json.encoder.encode_basestring   # what that encoder does with a str
_QUOTE_LUT = np.zeros(256, dtype=bool)     # bytes that make csv.writer (QUOTE_MINIMAL) quote a field: , " CR LF
_QUOTE_LUT[[ord(c) for c in ',"\r\n']] = True
_QUOTE_MAX = max(ord(c) for c in ',"\r\n')
_FORMULA_LUT = np.zeros(256, dtype=bool)   # first bytes that start a formula
_FORMULA_LUT[[ord(c) for c in FORMULA_PREFIXES]] = True
_CSV_NL = "\r\n"                 # csv.writer's lineterminator


def _iter_chunks(plans_jsonl: Path) -> Iterator[list[dict]]:
    """The plans of a `plans.jsonl`, a list per `CHUNK_CHARS` characters of lines."""
    loads = json.loads
    chunk: list[dict] = []
    chars = 0
    with open(plans_jsonl, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    chunk.append(loads(line))
                except json.JSONDecodeError as e:
                    raise ValueError(f"{plans_jsonl}: line {n}: not JSON: {e}") from None
                chars += len(line)
                if chars >= CHUNK_CHARS or len(chunk) >= CHUNK_PLANS:
                    yield chunk
                    chunk, chars = [], 0
    if chunk:
        yield chunk


def _dumps(value: Any) -> str:
    if value.__class__ is list:
        if not value:
            return "[]"
        if all(v.__class__ is str for v in value):  # the encoder's own string escaping, without its set-up
            return "[" + ", ".join(map(_encode_str, value)) + "]"
    return _JSON.encode(value)


def _json_cells(values: list) -> list:
    """Lists/objects as JSON text (strings and None as they are)."""
    return [v if v is None or v.__class__ is str else _dumps(v) for v in values]


def _csv_text(arr: pa.Array) -> pa.Array:
    """Text cells as csv.writer writes them: formula guard, then quotes when needed; null -> ''.

    The cells that need either are found on the UTF-8 bytes at once (every trigger is one ASCII byte, which
    UTF-8 never uses inside another character); only those cells are rewritten."""
    import pyarrow.compute as pc

    n = len(arr)
    if n == 0:
        return pa.array([], pa.string())
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=np.int32)[arr.offset: arr.offset + n + 1]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, dtype=np.uint8)
    lo, hi = int(offsets[0]), int(offsets[-1])
    low = np.flatnonzero(data[lo:hi] <= _QUOTE_MAX) + lo    # one fast pass; the table lookup only on those
    hits = low[_QUOTE_LUT[data[low]]]
    rows = np.searchsorted(offsets, hits, side="right") - 1
    starts = offsets[:-1]
    filled = np.flatnonzero(offsets[1:] > starts)
    formula = filled[_FORMULA_LUT[data[starts[filled]]]]
    flagged = np.union1d(rows, formula)
    if arr.null_count:
        flagged = flagged[np.asarray(arr.is_valid())[flagged]]
    if len(flagged):
        # the flagged cells only: `'` before a formula, then quotes (a neutralized CR start still needs them)
        sub = arr.take(pa.array(flagged))
        guard = np.isin(flagged, formula, assume_unique=True)
        if guard.any():
            sub = pc.if_else(pa.array(guard), pc.binary_join_element_wise("'", sub, ""), sub)
        quote = np.isin(flagged, rows)
        if quote.any():
            sub = pc.if_else(pa.array(quote), pc.binary_join_element_wise(
                '"', pc.replace_substring(sub, '"', '""'), '"', ""), sub)
        mask = np.zeros(n, dtype=bool)
        mask[flagged] = True
        arr = pc.replace_with_mask(arr, pa.array(mask), sub)
    return pc.fill_null(arr, "") if arr.null_count else arr


def _json_str_lists(raw: list, arr: pa.Array) -> pa.Array | None:
    """`json.dumps(list_of_str, ensure_ascii=False)` per cell, from the Arrow list array, when no string needs
    escaping (no `"`, `\\` or control character: then each is just quoted); else None."""
    import pyarrow.compute as pc

    if not pa.types.is_string(arr.type.value_type) or arr.offset or set(map(type, raw)) - {list, type(None)}:
        return None
    flat = arr.values
    if flat.null_count or flat.offset:
        return None
    bufs = flat.buffers()
    if bufs[2] is not None:
        offsets = np.frombuffer(bufs[1], dtype=np.int32)
        data = np.frombuffer(bufs[2], dtype=np.uint8)[offsets[0]: offsets[len(flat)]]
        if (data < 0x20).any() or (data == 0x22).any() or (data == 0x5C).any():
            return None
    quoted = pc.binary_join_element_wise('"', flat, '"', "")
    lists = pa.ListArray.from_arrays(arr.offsets, quoted, mask=arr.is_null() if arr.null_count else None)
    return pc.binary_join_element_wise("[", pc.binary_join(lists, ", "), "]", "")


def _csv_column(col: Column, raw: list, arr: pa.Array | None) -> tuple[pa.Array, bool]:
    """One column of CSV cells from its raw values and, when it has one, its Arrow array: (cells, is_text).
    Text cells (`is_text`) still need `_csv_text`; the others are final (strings, never null)."""
    import pyarrow.compute as pc

    if col.kind == "list" and arr is not None:
        fast = _json_str_lists(raw, arr)
        if fast is not None:
            return fast, True
    if col.kind in ("list", "struct"):
        return pa.array(_json_cells(raw), pa.string()), True
    if col.kind == "json":
        return (arr if arr is not None else pa.array(_json_cells(raw), pa.string())), True
    if arr is None:
        arr = pa.array(raw, col.type)
    if pa.types.is_string(col.type):
        return arr, True
    if pa.types.is_integer(col.type) and not (set(map(type, raw)) - {int, type(None)}):
        return pc.fill_null(pc.cast(arr, pa.string()), ""), False
    if pa.types.is_boolean(col.type) and not (set(map(type, raw)) - {bool, type(None)}):
        return pc.fill_null(pc.if_else(arr, "True", "False"), ""), False
    # floats (an int stays `3`, a float is `3.0`, as str() gives them) and anything unusual
    return pa.array(["" if v is None else str(v) for v in raw], pa.string()), False


def _csv_cells(columns: list[tuple[pa.Array, bool]]) -> list[pa.Array]:
    """Final CSV cells per column; the text columns go through `_csv_text` together (one call per kernel)."""
    texts = [a for a, is_text in columns if is_text]
    if not texts:
        return [a for a, _ in columns]
    done = _csv_text(texts[0] if len(texts) == 1 else pa.concat_arrays(texts))
    cells, at = [], 0
    for a, is_text in columns:
        if is_text:
            cells.append(done.slice(at, len(a)))
            at += len(a)
        else:
            cells.append(a)
    return cells


def _csv_body(cells: list[pa.Array]) -> bytes:
    """Rows of CSV cells -> UTF-8 bytes, `,` between cells and `\\r\\n` after each row."""
    import pyarrow.compute as pc

    if not cells or len(cells[0]) == 0:
        return b""

    rows = pc.binary_join_element_wise(*cells, ",")
    rows = pc.binary_join_element_wise(rows, _CSV_NL, "")
    offsets = rows.buffers()[1]
    ends = np.frombuffer(offsets, dtype=np.int32)[rows.offset: rows.offset + len(rows) + 1]
    return rows.buffers()[2].to_pybytes()[ends[0]: ends[-1]]


def _text_chars(raw: list) -> list[int]:
    if str not in set(map(type, raw)):  # the usual case for a list or object column: at C speed
        return [0] * len(raw)
    return [len(v) if isinstance(v, str) else 0 for v in raw]


# ------------------------------------------------------------------ fragments
#
# A run encodes each input file's tables once, where the file is processed (a worker encodes its chunk of files
# together; the cache keeps each file's slice): a `Fragment` per table holds the Parquet columns as Arrow arrays and the CSV cells as Arrow strings,
# all but the run-level columns (`RUN_COLUMNS`: the plan's id, what it duplicates, the path it was read from),
# which only the run knows. `TableWriter.add` fills those in and appends the rows, so a re-run over cached files
# does no table work beyond copying their fragments into the files.

RUN_COLUMNS = ("plan_id", "duplicate_of", "source_path")


def run_values(plan: dict) -> dict[str, Any]:
    """The run-level column values of one `plans.jsonl` record."""
    return {"plan_id": plan.get("plan_id"), "duplicate_of": plan.get("duplicate_of"),
            "source_path": (plan.get("source") or {}).get("path")}


@dataclass
class Fragment:
    """One table's rows for a list of plans, encoded: `plan` is each row's plan (index into the list);
    `parquet` the Parquet columns but the run-level ones, as one struct array; `csv` the CSV text of the cells
    between run-level columns (`_csv_layout`), one struct field per stretch, each row's cells already joined by
    `,`; `chars` each row's characters of text (Parquet row groups are cut by rows and characters)."""

    rows: int
    plan: np.ndarray
    parquet: pa.StructArray | None
    csv: pa.StructArray | None
    chars: np.ndarray | None


def encode(plans: list[dict]) -> dict[str, Fragment]:
    """Every table's `Fragment` for `plans` (their run-level fields are ignored)."""
    indexed = [{**p, "plan_id": k} for k, p in enumerate(plans)]  # the plan_id column says which plan a row is of
    return {spec.name: _encode_table(spec, indexed) for spec in table_specs()}


def _csv_layout(spec: TableSpec) -> list:
    """The CSV columns as run-level `Column`s and stretches (lists) of the other columns between them."""
    layout: list = []
    for c in spec.columns_for("csv"):
        if c.name in RUN_COLUMNS:
            layout.append(c)
        elif layout and isinstance(layout[-1], list):
            layout[-1].append(c)
        else:
            layout.append([c])
    return layout


def _encode_table(spec: TableSpec, plans: list[dict]) -> Fragment:
    data = spec.build(plans)
    rows = len(data[spec.columns[0].name])
    plan = np.asarray(data["plan_id"], dtype=np.int64) if rows else np.zeros(0, dtype=np.int64)
    parquet = csv_cells = chars = None
    arrays: dict[str, pa.Array] = {}
    try:
        if rows and "parquet" in spec.formats:
            cols = [c for c in spec.columns_for("parquet") if c.name not in RUN_COLUMNS]
            for c in cols:
                raw = data[c.name]
                arrays[c.name] = pa.array(_json_cells(raw) if c.kind == "json" else raw, c.type)
            parquet = pa.StructArray.from_arrays([arrays[c.name] for c in cols], [c.name for c in cols])
            chars = _row_chars(spec, data, arrays, rows)
        if rows and "csv" in spec.formats:
            import pyarrow.compute as pc

            stretches = [x for x in _csv_layout(spec) if isinstance(x, list)]
            flat = [c for stretch in stretches for c in stretch]
            cells = dict(zip((c.name for c in flat),
                             _csv_cells([_csv_column(c, data[c.name], arrays.get(c.name)) for c in flat])))
            joined = [cells[st[0].name] if len(st) == 1 else
                      pc.binary_join_element_wise(*[cells[c.name] for c in st], ",") for st in stretches]
            csv_cells = pa.StructArray.from_arrays(joined, [str(i) for i in range(len(joined))])
    except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
        raise ValueError(f"table {spec.name}: a value does not fit the schema: {e}") from None
    return Fragment(rows, plan, parquet, csv_cells, chars)


def _row_chars(spec: TableSpec, data: dict[str, list], arrays: dict[str, pa.Array], n: int) -> np.ndarray:
    """Characters of text per row, without the run-level columns (the str values of the row, as the row-by-row
    writer counted them)."""
    import pyarrow.compute as pc

    total = np.zeros(n, dtype=np.int64)
    for c in spec.columns:
        if c.name in RUN_COLUMNS:
            continue
        # only str values count: a list/object (kept as JSON text) does not, a str where a list belongs does;
        # in a number column a str would not have fit the Arrow type
        if c.kind != "scalar":
            total += np.fromiter(_text_chars(data[c.name]), dtype=np.int64, count=n)
        elif pa.types.is_string(c.type):
            total += pc.fill_null(pc.utf8_length(arrays[c.name]), 0).to_numpy(zero_copy_only=False)
    return total


class _Sink:
    """One table's Parquet and CSV files, written fragment by fragment; Parquet row groups as the row-by-row
    writer cut them."""

    def __init__(self, spec: TableSpec, dirs: dict[str, Path], stack: ExitStack):
        self.spec = spec
        self.count = 0
        self.parquet = self.csv = None
        self.pending: list[pa.Table] = []
        self.pending_rows = 0
        self.pending_chars = 0
        self.csv_cols = spec.columns_for("csv")
        self.csv_layout = _csv_layout(spec)
        self.run_cols = [c for c in spec.columns if c.name in RUN_COLUMNS]
        if "parquet" in spec.formats and "parquet" in dirs:
            self.schema = spec.arrow_schema()
            self.parquet_cols = spec.columns_for("parquet")
            f = stack.enter_context(atomic_write(dirs["parquet"] / f"{spec.name}.parquet", "wb"))
            self.parquet = pq.ParquetWriter(f, self.schema, compression="zstd")
            stack.callback(self.parquet.close)  # runs before the file is renamed into place
        if "csv" in spec.formats and "csv" in dirs:
            self.csv = stack.enter_context(atomic_write(dirs["csv"] / f"{spec.name}.csv", "wb"))
            header = io.StringIO(newline="")
            csv.writer(header).writerow([c.name for c in self.csv_cols])
            self.csv.write(header.getvalue().encode("utf-8-sig"))

    def write(self, frag: Fragment, values: list[dict[str, Any]]) -> None:
        """`frag`'s rows, the run-level columns taken from `values` (one dict per plan of the fragment)."""
        n = frag.rows
        if not n:
            return
        self.count += n
        run: dict[str, list] = {}
        for c in self.run_cols:
            per_plan = [v[c.name] for v in values]
            run[c.name] = [per_plan[k] for k in frag.plan.tolist()]
        try:
            arrays = {c.name: pa.array(run[c.name], c.type) for c in self.run_cols}
        except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
            raise ValueError(f"table {self.spec.name}: a value does not fit the schema: {e}") from None
        if self.parquet is not None:
            chars = frag.chars.copy()
            for c in self.run_cols:
                chars += np.fromiter(_text_chars(run[c.name]), dtype=np.int64, count=n)
            fields = dict(zip((f.name for f in frag.parquet.type), frag.parquet.flatten()))
            table = pa.Table.from_arrays([arrays[c.name] if c.name in arrays else fields[c.name]
                                          for c in self.parquet_cols], schema=self.schema)
            self._add_parquet(table, chars)
        if self.csv is not None:
            run_cols = [c for c in self.csv_layout if not isinstance(c, list)]
            run_cells = dict(zip((c.name for c in run_cols),
                                 _csv_cells([_csv_column(c, run[c.name], arrays[c.name]) for c in run_cols])))
            stretches = iter(frag.csv.flatten())
            self.csv.write(_csv_body([next(stretches) if isinstance(c, list) else run_cells[c.name]
                                      for c in self.csv_layout]))

    def _add_parquet(self, table: pa.Table, chars: np.ndarray) -> None:
        n = table.num_rows
        cum = np.cumsum(chars)
        start = 0
        while start < n:
            base = int(cum[start - 1]) if start else 0
            by_rows = start + BATCH_ROWS - self.pending_rows - 1           # index of the row that fills the batch
            by_chars = int(np.searchsorted(cum, BATCH_CHARS - self.pending_chars + base, side="left"))
            end = min(by_rows, by_chars)
            if end >= n:
                self.pending.append(table.slice(start))
                self.pending_rows += n - start
                self.pending_chars += int(cum[-1]) - base
                return
            self.pending.append(table.slice(start, end + 1 - start))
            self.pending_rows = self.pending_chars = 0
            self._write_pending()
            start = end + 1

    def _write_pending(self) -> None:
        if self.pending:
            table = self.pending[0] if len(self.pending) == 1 else pa.concat_tables(self.pending)
            self.parquet.write_table(table.combine_chunks())
        self.pending = []
        self.pending_rows = self.pending_chars = 0

    def close(self) -> None:
        if self.parquet is not None:
            self._write_pending()


class TableWriter:
    """The Parquet and CSV files of every table under `out_dir`, filled in order with `add` (encoded fragments)
    and `add_plans` (plans to encode); they all appear together when the `with` block ends without error (each
    written to a temporary name, then renamed), else none of them is replaced.

    Arrow's kernels cost per call, not per row: what is added waits until `FLUSH_PLANS` plans or `FLUSH_BYTES`
    are pending, then the waiting plans are encoded together and everything is written together."""

    def __init__(self, out_dir: Path, formats: tuple[str, ...] = ("parquet", "csv"),
                 dirs: dict[str, Path] | None = None):
        """`formats`: which of Parquet and CSV to write; `dirs`: a folder per format (default `out_dir`)."""
        self.out_dir = Path(out_dir)
        self.dirs = {fmt: Path((dirs or {}).get(fmt, out_dir)) for fmt in formats}
        self.pending: list[list] = []   # [fragments (None: plans to encode), plans or None, values]
        self.pending_plans = self.pending_bytes = 0

    def __enter__(self) -> TableWriter:
        for d in self.dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        self.stack = ExitStack().__enter__()
        try:
            self.sinks = [_Sink(spec, self.dirs, self.stack) for spec in table_specs()
                          if set(self.dirs) & set(spec.formats)]
        except BaseException:
            self.stack.__exit__(*sys.exc_info())
            raise
        return self

    def add(self, fragments: dict[str, Fragment], values: list[dict[str, Any]]) -> None:
        """One list of plans' fragments (`encode`), with their run-level values (`run_values`), in order."""
        size = sum((f.parquet if f.parquet is not None else f.csv).nbytes for f in fragments.values() if f.rows)
        self._queue([fragments, None, values], len(values), size)

    def add_plans(self, plans: list[dict], values: list[dict[str, Any]]) -> None:
        """One list of plans (`plans.jsonl` records) to encode with the others waiting, and their run-level
        values, in order."""
        size = sum(3 * (len(p.get("text") or "") + len(p.get("original_text") or "")) for p in plans)
        self._queue([None, plans, values], len(plans), size)

    def _queue(self, item: list, plans: int, size: int) -> None:
        self.pending.append(item)
        self.pending_plans += plans
        self.pending_bytes += size
        if self.pending_plans >= FLUSH_PLANS or self.pending_bytes >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        raw = [item for item in self.pending if item[0] is None]
        if raw:
            fragments = encode([p for item in raw for p in item[1]])
            at = 0
            for item in raw:
                n = len(item[1])
                item[0] = slice_fragments(fragments, at, at + n)
                at += n
        for sink in self.sinks:
            sink.write(*_join([(item[0][sink.spec.name], item[2]) for item in self.pending]))
        self.pending, self.pending_plans, self.pending_bytes = [], 0, 0

    def counts(self) -> dict[str, int]:
        return {sink.spec.name: sink.count for sink in self.sinks}

    def __exit__(self, *exc) -> bool:
        if exc[0] is None:
            try:
                self.flush()
                for sink in self.sinks:
                    sink.close()
            except BaseException:
                self.stack.__exit__(*sys.exc_info())  # the temporary files go; nothing is renamed
                raise
        return self.stack.__exit__(*exc)


def slice_fragments(fragments: dict[str, Fragment], first: int, end: int) -> dict[str, Fragment]:
    """The rows of plans `first`..`end - 1` of every table, as fragments of those plans (zero-copy)."""
    return {name: _slice(f, first, end) for name, f in fragments.items()}


def _slice(frag: Fragment, first: int, end: int) -> Fragment:
    """The rows of plans `first`..`end - 1` of `frag`, as a fragment of those plans (zero-copy)."""
    lo, hi = np.searchsorted(frag.plan, [first, end])
    lo, hi = int(lo), int(hi)
    return Fragment(hi - lo, frag.plan[lo:hi] - first,
                    frag.parquet.slice(lo, hi - lo) if frag.parquet is not None else None,
                    frag.csv.slice(lo, hi - lo) if frag.csv is not None else None,
                    frag.chars[lo:hi] if frag.chars is not None else None)


def _join(parts: list[tuple[Fragment, list]]) -> tuple[Fragment, list]:
    """Fragments of consecutive lists of plans (with their values) as one fragment of all the plans."""
    values: list = []
    plan, frags = [], []
    for frag, vs in parts:
        if frag.rows:
            plan.append(frag.plan + len(values))
            frags.append(frag)
        values += vs
    if not frags:
        return Fragment(0, np.zeros(0, dtype=np.int64), None, None, None), values
    if len(frags) == 1:
        f = frags[0]
        return Fragment(f.rows, plan[0], f.parquet, f.csv, f.chars), values
    return Fragment(
        sum(f.rows for f in frags), np.concatenate(plan),
        pa.concat_arrays([f.parquet for f in frags]) if frags[0].parquet is not None else None,
        pa.concat_arrays([f.csv for f in frags]) if frags[0].csv is not None else None,
        np.concatenate([f.chars for f in frags]) if frags[0].chars is not None else None), values


# ------------------------------------------------------------------ the workbook


XLSX_LIST_SEPARATOR = "、"        # a list of names or markers in one cell: 教务处、总务处
XLSX_WIDTHS = (6, 60)             # column widths (Excel units, about one Latin character) from the header and
XLSX_WIDTH_SAMPLE = 500           # the first rows of a sheet: CJK characters count two


def _xlsx_value(col: Column, value: Any) -> Any:
    """A value for an XLSX cell: a list of names or markers joined with `、` (lists of objects, objects: JSON);
    text neutralized."""
    if col.kind == "list" and isinstance(value, list) and not any(isinstance(v, (list, dict)) for v in value):
        value = XLSX_LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    return _sheet_value(col, value)


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

    for plans in _iter_chunks(Path(plans_jsonl)):
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


def write_tables(plans_jsonl: Path, out_dir: Path, xlsx: bool = True) -> dict[str, int]:
    """`plans.jsonl` -> `out_dir/NAME.parquet`, `NAME.csv` per table and (if `xlsx`) `plans.xlsx`;
    {table: rows}. (A run writes the same files from the fragments its files were encoded into.)

    All files appear together at the end (each written to a temporary name, then renamed); on error none
    of them is replaced."""
    out_dir = Path(out_dir)
    with TableWriter(out_dir) as writer:
        for plans in _iter_chunks(Path(plans_jsonl)):
            writer.add_plans(plans, [run_values(p) for p in plans])
    if xlsx:
        write_workbook(plans_jsonl, out_dir)
    counts = writer.counts()
    counts.update({s.name: 0 for s in table_specs() if s.name not in counts})
    return counts
