"""The flat tables' layout, derived from `model.Plan`: `table_specs()` — `plans` (one row per plan: scalar fields,
`source` flattened, item counts), one table per item list of `Plan` (`sections`, `tasks`, `phases`, `dates`,
`people`, `rules`, and any list added to the model later), a long table per nested item list (`rule_amounts`),
`task_owners` (the long form of `tasks.owners`/`tasks.co_owners`) and, for spreadsheets only, `texts`. Every row
carries `plan_id`; item rows carry `idx`, their position in the plan's list. A field holding one object
(`tasks.deadline`) is a JSON column and its fields columns of their own (`deadline_value`, …).

Each `TableSpec` names its columns (with Arrow types and descriptions) and builds a batch of plans' rows column by
column (`build`), which the writers (`tables.py`, `xlsx.py`), the database (`database.py`) and `api.read_dataset`
share.
"""
from __future__ import annotations

import dataclasses
import operator
import sys
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyarrow as pa

from ..model import SCHEMA, Plan
from .fields import describe, emitted_fields, enum_values, item_classes, type_hints, unwrap_optional

FORMATS = ("parquet", "csv", "xlsx")


class _PandasAbsent:
    """An import finder that says pandas is not installed (see `arrow_without_pandas`)."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas":
            raise ModuleNotFoundError("pandas is not imported by a batch", name=name)


def arrow_without_pandas() -> None:
    """Spare a batch process the pandas import (0.2 s) that pyarrow makes on its first `pa.array` of a Python list,
    only to ask whether the list is a pandas object (apache/arrow#34994, open): pyarrow's lazy pandas importer is
    told once that pandas is absent. For processes whose work ends with the batch (`plans run`/`plans add`, and
    their workers: forked ones inherit it, spawned ones call it), which build arrays from lists alone; a library
    caller's process keeps pyarrow's own behaviour (afterwards it would take a pandas object passed to `pa.array`
    for a plain sequence until something asks pyarrow for pandas). A process that has pandas already is left
    alone."""
    if "pandas" in sys.modules:
        return
    finder = _PandasAbsent()
    sys.meta_path.insert(0, finder)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(finder)

# Descriptions of what exists only in the flat tables (the fields' are in model.py).
TABLE_DESCRIPTIONS: dict[str, str] = {
    "plans": "One row per plan: the scalar fields, `source` flattened, and the number of items of each kind. "
             "`text`/`original_text` are in Parquet and DuckDB only (see `texts` for CSV/XLSX).",
    "texts": "CSV/XLSX only: the plan texts (in Parquet and DuckDB they are columns of `plans`). XLSX cells "
             "hold at most 32,767 characters: longer texts end with a `…[truncated …]` marker there.",
    "task_owners": "One row per (task, owner) and (task, co-owner): the long form of `tasks.owners` and "
                   "`tasks.co_owners`.",
    "plan_id": "The plan the row belongs to (`plans.plan_id`).",
    "idx": "Position of the item in its plan's list, from 0.",
    "text_chars": "Length of `text` in characters.",
    "original_chars": "Length of `original_text` in characters.",
    "n_items": "Number of items of the plan in",
    "source_span_start": "`source.span[0]`: start offset of the plan in the file's decoded text.",
    "source_span_end": "`source.span[1]`: end offset (exclusive) of the plan in the file's decoded text.",
    "task_owners.task_id": "`tasks.id` of the task.",
    "task_owners.task_idx": "`tasks.idx` of the task.",
    "task_owners.owner": "One owner or co-owner name.",
    "task_owners.role": "`owner` (from `owners`) or `co_owner` (from `co_owners`).",
    "task_owners.rank": "Position of the name in its list, from 0.",
    "child_parent_idx": "`idx` of the parent item in its table.",
}




@dataclass(frozen=True)
class Column:
    """One column: `kind` is `scalar`, `list` (list of scalars), `struct` (list of objects) or `json` (a value
    stored as JSON text). `formats` limits the column to some formats (None: all of its table's)."""

    name: str
    type: pa.DataType
    description: str
    kind: str = "scalar"
    formats: tuple[str, ...] | None = None
    struct: pa.DataType | None = None  # a `json` column holding one object (`tasks.deadline`): its shape


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    columns: tuple[Column, ...]
    # the rows of a list of plans, column-wise: {column: [values]}
    build: Callable[[list[dict]], dict[str, list]]
    formats: tuple[str, ...] = FORMATS

    def columns_for(self, fmt: str) -> list[Column]:
        return [c for c in self.columns if c.formats is None or fmt in c.formats]

    def arrow_schema(self) -> pa.Schema:
        cols = self.columns_for("parquet")
        return pa.schema([pa.field(c.name, c.type, metadata={"description": c.description}) for c in cols],
                         metadata={"table": self.name, "schema": SCHEMA})


_ARROW = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def arrow_type(tp: Any) -> tuple[pa.DataType, str]:
    """A model type hint -> (Arrow type, column kind)."""
    tp, _ = unwrap_optional(tp)
    if enum_values(tp) is not None:  # an enumeration of the contract: its values are strings
        return pa.string(), "scalar"
    if tp in _ARROW:
        return _ARROW[tp], "scalar"
    if typing.get_origin(tp) is list:
        (arg,) = typing.get_args(tp)
        arg, _ = unwrap_optional(arg)
        if arg in _ARROW:
            return pa.list_(_ARROW[arg]), "list"
        if dataclasses.is_dataclass(arg):
            return pa.list_(_struct(arg)), "struct"
    return pa.string(), "json"


def _struct(cls: type) -> pa.DataType:
    """The Arrow struct of a dataclass's emitted fields."""
    return pa.struct([pa.field(f.name, arrow_type(type_hints(cls)[f.name])[0]) for f in emitted_fields(cls)])


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
                atype, kind = arrow_type(sub)
                cols.append(Column(f"{name}_{g.name}", atype, describe(tp, g.name), kind))
                getters.append((f"{name}_{g.name}", _sub_getter(name, g.name)))
            continue
        atype, kind = arrow_type(tp)
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

    def build(plans: list[dict]) -> dict[str, list]:
        return {name: [get(p) for p in plans] for name, get in getters}

    return TableSpec("plans", TABLE_DESCRIPTIONS["plans"], tuple(cols), build)


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
    loose: dict[str, list[str]] = {}   # a field holding one object (`deadline`): its fields as columns too
    children: list[tuple[str, type]] = []
    for f in emitted_fields(cls):
        tp = type_hints(cls)[f.name]
        atype, kind = arrow_type(tp)
        obj = unwrap_optional(tp)[0]
        shape = _struct(obj) if dataclasses.is_dataclass(obj) else None
        cols.append(Column(f.name, atype, describe(cls, f.name) + (" As JSON text." if kind == "json" else ""),
                           kind, struct=shape))
        if shape is not None:
            loose[f.name] = [g.name for g in emitted_fields(obj)]
            for k in loose[f.name]:
                cols.append(Column(f"{f.name}_{k}", arrow_type(type_hints(obj)[k])[0],
                                   f"`{f.name}.{k}`: {describe(obj, k)}"))
        if kind == "struct":
            (arg,) = typing.get_args(unwrap_optional(tp)[0])
            children.append((f.name, arg))
    names = [f.name for f in emitted_fields(cls)]

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
        for n, keys in loose.items():
            objs = [v if isinstance(v, dict) else {} for v in data[n]]
            for k in keys:
                data[f"{n}_{k}"] = [obj.get(k) for obj in objs]
        return data

    specs = [TableSpec(table, describe(Plan, table) + " One row per item.", tuple(cols), build)]
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
        atype, kind = arrow_type(type_hints(cls)[f.name])
        cols.append(Column(f.name, atype, describe(cls, f.name), kind))
    names = [f.name for f in emitted_fields(cls)]

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
    return TableSpec(name, f"{describe(cls)} One row per `{table}.{field_name}` entry.", tuple(cols), build)


def _task_owners_spec() -> TableSpec:
    cols = (Column("plan_id", pa.string(), TABLE_DESCRIPTIONS["plan_id"]),
            Column("task_id", pa.string(), TABLE_DESCRIPTIONS["task_owners.task_id"]),
            Column("task_idx", pa.int64(), TABLE_DESCRIPTIONS["task_owners.task_idx"]),
            Column("owner", pa.string(), TABLE_DESCRIPTIONS["task_owners.owner"]),
            Column("role", pa.string(), TABLE_DESCRIPTIONS["task_owners.role"]),
            Column("rank", pa.int64(), TABLE_DESCRIPTIONS["task_owners.rank"]))

    def build(plans: list[dict]) -> dict[str, list]:
        data: dict[str, list] = {c.name: [] for c in cols}
        for plan in plans:
            pid = plan.get("plan_id")
            for i, task in enumerate(plan.get("tasks") or []):
                for role, key in (("owner", "owners"), ("co_owner", "co_owners")):
                    for r, owner in enumerate(task.get(key) or []):
                        for k, v in (("plan_id", pid), ("task_id", task.get("id")), ("task_idx", i),
                                     ("owner", owner), ("role", role), ("rank", r)):
                            data[k].append(v)
        return data

    return TableSpec("task_owners", TABLE_DESCRIPTIONS["task_owners"], cols, build)


def _texts_spec() -> TableSpec:
    cols = (Column("plan_id", pa.string(), TABLE_DESCRIPTIONS["plan_id"]),
            Column("text", pa.string(), describe(Plan, "text")),
            Column("original_text", pa.string(), describe(Plan, "original_text")))

    def build(plans: list[dict]) -> dict[str, list]:
        return {c.name: [p.get(c.name) for p in plans] for c in cols}

    return TableSpec("texts", TABLE_DESCRIPTIONS["texts"], cols, build, formats=("csv", "xlsx"))


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
