"""The documented schema of `plans.jsonl` (contract `plan/1`), generated from the dataclasses in `model.py`.

One place for what every field means: `DESCRIPTIONS` (field -> description, after `DATASET.md`) and
`CONSTRAINTS` (field -> extra JSON Schema keywords). From them and `model.py` come

- `build_schema()`: JSON Schema (draft 2020-12) for one `plans.jsonl` line, shipped as
  `pipeline/schema/plan.schema.json`;
- `build_data_dictionary()`: `docs/data_dictionary.md`, which also documents the flat tables
  (`emit/tables.py`) and the DuckDB views (`emit/database.py`).

`python -m pipeline.emit.schema --write` regenerates both files; `--check` exits 1 when they differ from the
code (a test does the same, so code and docs cannot drift). Adding a field to `model.py` means adding its
description here.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import types
import typing
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .. import model
from ..model import SCHEMA, Plan

SCHEMA_ID = "https://plans-pipeline.invalid/schema/plan-1.schema.json"
SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema" / "plan.schema.json"
DICTIONARY_FILE = Path(__file__).resolve().parents[2] / "docs" / "data_dictionary.md"

# ------------------------------------------------------------------ descriptions: the one place

DESCRIPTIONS: dict[str, str] = {
    # any item class (a `Class.field` entry wins over these)
    "*.start": "Start offset of the item in the plan's `text`.",
    "*.end": "End offset (exclusive) of the item in the plan's `text`.",
    "*.src_start": "Start offset of the item in the plan's `original_text`; absent or null when not mapped.",
    "*.src_end": "End offset (exclusive) of the item in the plan's `original_text`; absent or null when not "
                 "mapped.",
    # Plan
    "Plan": "One plan document: one line of `plans.jsonl`.",
    "Plan.schema": "Schema version of the line, `plan/1`.",
    "Plan.plan_id": "Stable id: `p-` + the first 12 hex digits of the SHA-256 of the normalized text; an exact "
                    "copy later in the same run gets `-2`, `-3`, ….",
    "Plan.source": "Where the plan was found.",
    "Plan.script": "Script of the original text: `simplified`, `traditional` or `mixed` (traditional when ≥ 90 % "
                   "of the script-specific characters are traditional-only, simplified when ≤ 10 %).",
    "Plan.title": "The plan's own title line (simplified script); null when it has none (a `篇N` header is not a "
                  "title).",
    "Plan.doc_number": "发文字号 as written, e.g. `某卫字〔2021〕8号`; null when not stated.",
    "Plan.issuer": "Issuing body; null when not stated.",
    "Plan.issue_date": "Issue date, day precision only, ISO `YYYY-MM-DD`; null when not stated.",
    "Plan.year": "Reference year used to complete dates that omit the year; null when the plan gives none (then "
                 "such dates keep `XXXX`).",
    "Plan.duplicate_of": "`plan_id` of an earlier plan in the same run with (near-)identical text; null otherwise.",
    "Plan.text": "Normalized text: traditional converted to simplified, reading annotations and web boilerplate "
                 "removed. Every item's `start`/`end` are offsets into this text.",
    "Plan.original_text": "This plan's text as decoded from the file (`source.span` of the file's text).",
    "Plan.sections": "The heading tree, flat: each section names its `parent`.",
    "Plan.tasks": "Actionable items: the lowest enumerated items of task, measure, step or safeguard sections.",
    "Plan.phases": "Stages of the plan's timeline.",
    "Plan.dates": "Every temporal expression (TIMEX3-like: date, range, deadline, duration, set).",
    "Plan.people": "Named persons with a role; one entry per (name, role).",
    "Plan.rules": "Normative sentences: prohibitions, obligations, sanctions, rewards.",
    # Source
    "Source": "Where a plan was found.",
    "Source.path": "Input file path as given to the run (control characters escaped).",
    "Source.part": "Number of this plan among the plans of the file, from 1.",
    "Source.parts": "Number of plans found in the file.",
    "Source.span": "`[start, end)` character offsets of the plan in the file's decoded text (for .docx/.pdf/.html: "
                   "in the extracted plain text, paragraphs joined by `\\n`).",
    "Source.format": "Detected format (from the content, else the extension): `txt`, `docx`, `html` (also saved "
                     "pages such as .aspx, .php, .mht), `pdf`, `doc`, `wps`, `rtf`, `odt` (converted by LibreOffice "
                     "and read as .docx), `xlsx`, `xls` (task-list sheets) or `image` (read by OCR).",
    "Source.encoding": "Detected text encoding (`utf-8`, `gb18030`, `big5`, …); null for formats without one.",
    "Source.sha256": "SHA-256 of the file's bytes (hex).",
    "Source.ocr": "True when the plan's text (or part of it) was read by OCR: a photo or scan, or scanned PDF "
                  "pages.",
    "Source.ocr_confidence": "Mean OCR confidence (0–1) of the plan's OCR lines, weighted by their length; null "
                             "when no OCR was used.",
    "Source.ocr_flagged": "`[start, end)` spans in the plan's `original_text` of OCR lines read with low "
                          "confidence (below 0.8): kept in the text, to be checked.",
    # Section
    "Section": "A heading of the plan's heading tree.",
    "Section.id": "Section id, unique in the plan (`s1`, `s2`, …).",
    "Section.parent": "`id` of the enclosing section; null at top level.",
    "Section.level": "Depth in the tree, 1 = top level.",
    "Section.marker": "Enumeration marker as written: `一、`, `（一）`, `1.`, `(1)`, `①`, `一是`, `第一阶段`, ….",
    "Section.heading": "Heading text without its marker.",
    "Section.kind": "Role of the section: `guidance`, `principles`, `goals`, `tasks`, `steps`, `safeguards`, "
                    "`organization`, `requirements` or `other`.",
    # Task
    "Task": "An actionable item of the plan.",
    "Task.id": "Task id, unique in the plan (`t1`, `t2`, …).",
    "Task.section": "`id` of the section holding the task; null when none.",
    "Task.path": "Markers from the top section down to the item, e.g. `[\"二\", \"（二）\", \"3\"]`.",
    "Task.title": "Lead phrase of the item, up to the first `。`/`：`/`;`, marker removed.",
    "Task.text": "The whole item: `text[start:end]`.",
    "Task.owners": "Responsible units or people, one name each, from explicit assignment only (`责任科室`, "
                   "`牵头单位`, `由…负责`, task-table columns) or inherited from the enclosing section.",
    "Task.co_owners": "Co-operating units (`配合单位`, `协办`).",
    "Task.phase": "`order` of the phase the item belongs to; null when it sits under no phase.",
    "Task.deadline": "Deadline stated by the item, as a date item (see `dates[]`); null when none.",
    # Phase
    "Phase": "A stage of the plan's timeline (`动员部署阶段（3月）`).",
    "Phase.order": "Position of the phase in the plan, from 1.",
    "Phase.name": "Heading without its marker and time.",
    "Phase.time_text": "The time as written (`3月`, `3月1日——3月7日`); null when none.",
    "Phase.first_day": "First day, ISO `YYYY-MM-DD`, `XXXX` for an unknown year; null when not stated.",
    "Phase.last_day": "Last day (inclusive), as `first_day`.",
    "Phase.inconsistent": "True when the stated end precedes the stated start (both kept as written).",
    "Phase.start": "Start offset of the phase heading in `text`.",
    "Phase.end": "End offset (exclusive) of the phase heading in `text`.",
    "Phase.section": "`id` of the section that is this phase, when there is one.",
    # DateItem
    "DateItem": "A temporal expression.",
    "DateItem.text": "The expression as written, markers included (`6月底前`).",
    "DateItem.kind": "`date`, `range`, `deadline`, `duration` or `set` (after TIMEX3 DATE / DURATION / SET).",
    "DateItem.value": "EDTF value (`2021-03-24`, `2021-03`, `2021-03-01/2021-03-10`, `XXXX-03-08`) or, for a "
                      "duration or set, an ISO 8601 duration (`P3M`).",
    "DateItem.first_day": "Inclusive first day, `YYYY-MM-DD` (`XXXX` year when unknown); null for deadlines, "
                          "durations and sets.",
    "DateItem.last_day": "Inclusive last day, as `first_day`; null for durations and sets.",
    "DateItem.year_inferred": "True when the year came from the plan's `year`, not from the expression.",
    "DateItem.inconsistent": "True when a range's stated end precedes its start.",
    # Person
    "Person": "A named person with a role.",
    "Person.name": "Name without spaces (`王 伟` is `王伟`).",
    "Person.role": "Role as written: `组长`, `副组长`, `成员`, `办公室主任`, `联络员`, …",
    "Person.group": "The group the role is in (`领导小组`); null when none.",
    "Person.title": "Job title stated with the name (`党委书记`, `院长`); null when none.",
    # Rule
    "Rule": "A normative sentence (to `。`/`；`).",
    "Rule.text": "The sentence: `text[start:end]`.",
    "Rule.modality": "`prohibition`, `obligation`, `sanction` or `reward`; a mixed sentence takes the first of "
                     "sanction, reward, prohibition, obligation.",
    "Rule.condition": "The condition stated (`凡评议结果属于差档次的`); null when none.",
    "Rule.consequence": "The consequence stated; null when none.",
    "Rule.amounts": "Money or other amounts stated by the rule.",
    "Rule.subject": "Who the rule binds (`医务人员`); null when not stated.",
    # Amount
    "Amount": "An amount stated by a rule: `扣50至100元` is value 50, upto 100, unit 元.",
    "Amount.value": "The amount (the lower bound of a range).",
    "Amount.upto": "Upper bound of a range; null for a single amount.",
    "Amount.unit": "Unit as written (`元`, `分`, …).",
}

# Columns that exist only in the flat tables (see emit/tables.py): same single place.
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
    "deadline_value": "`deadline.value`, for filtering without parsing JSON.",
    "deadline_first_day": "`deadline.first_day`.",
    "deadline_last_day": "`deadline.last_day`.",
    "child_parent_idx": "`idx` of the parent item in its table.",
}

# Extra JSON Schema keywords per field (formats of ids, enumerations, bounds).
_PLAN_ID = r"^p-[0-9a-f]{12}(-[0-9]+)?$"
_DAY = r"^([0-9]{4}|XXXX)-[0-9]{2}-[0-9]{2}$"
_OFFSET = {"minimum": 0}
CONSTRAINTS: dict[str, dict[str, Any]] = {
    "Plan.schema": {"const": SCHEMA},
    "Plan.plan_id": {"pattern": _PLAN_ID},
    "Plan.duplicate_of": {"pattern": _PLAN_ID},
    "Plan.script": {"enum": ["simplified", "traditional", "mixed"]},
    "Plan.issue_date": {"pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    "Plan.year": {"minimum": 1, "maximum": 9999},
    "Source.part": {"minimum": 1},
    "Source.parts": {"minimum": 1},
    "Source.span": {"minItems": 2, "maxItems": 2, "items": {"type": "integer", "minimum": 0}},
    "Source.format": {"enum": ["txt", "docx", "html", "pdf", "doc", "wps", "rtf", "odt", "xlsx", "xls", "image"]},
    "Source.ocr_confidence": {"minimum": 0, "maximum": 1},
    "Source.ocr_flagged": {"items": {"type": "array", "minItems": 2, "maxItems": 2,
                                     "items": {"type": "integer", "minimum": 0}}},
    "Source.sha256": {"pattern": r"^[0-9a-f]{64}$"},
    "Section.kind": {"enum": ["guidance", "principles", "goals", "tasks", "steps", "safeguards", "organization",
                              "requirements", "other"]},
    "Section.level": {"minimum": 1},
    "Phase.order": {"minimum": 1},
    "Phase.first_day": {"pattern": _DAY},
    "Phase.last_day": {"pattern": _DAY},
    "DateItem.kind": {"enum": ["date", "range", "deadline", "duration", "set"]},
    "DateItem.first_day": {"pattern": _DAY},
    "DateItem.last_day": {"pattern": _DAY},
    "Rule.modality": {"enum": ["prohibition", "obligation", "sanction", "reward"]},
    "Task.phase": {"minimum": 1},
}
for _name in ("start", "end", "src_start", "src_end"):
    CONSTRAINTS[f"*.{_name}"] = _OFFSET

# Fields whose value is a loosely typed dict in model.py: the shape they follow.
LOOSE_OBJECTS: dict[str, str] = {"Task.deadline": "DateItem"}


# ------------------------------------------------------------------ introspection of model.py


def emitted_fields(cls: type) -> list[dataclasses.Field]:
    """The fields of a dataclass that are written to `plans.jsonl` (not the `internal` ones), in order."""
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


@lru_cache(maxsize=None)
def type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def unwrap_optional(tp: Any) -> tuple[Any, bool]:
    """`X | None` -> (X, True); `X` -> (X, False)."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(tp))
        if len(args) == 1:
            return args[0], nullable
        return typing.Union[tuple(args)], nullable
    return tp, False


def item_classes() -> dict[str, type]:
    """Plan list fields whose items are dataclasses -> the item class (`tasks` -> Task), in order."""
    out = {}
    for f in emitted_fields(Plan):
        tp, _ = unwrap_optional(type_hints(Plan)[f.name])
        if typing.get_origin(tp) is list:
            (arg,) = typing.get_args(tp)
            if dataclasses.is_dataclass(arg):
                out[f.name] = arg
    return out


def describe(cls: type, name: str | None = None) -> str:
    """The description of a class or `Class.field`; raises KeyError naming what to add."""
    key = cls.__name__ if name is None else f"{cls.__name__}.{name}"
    text = DESCRIPTIONS.get(key) or (DESCRIPTIONS.get(f"*.{name}") if name and cls is not Plan else None)
    if text is None:
        raise KeyError(f"no description for {key!r}: add it to DESCRIPTIONS in pipeline/emit/schema.py")
    return text


def constraints(cls: type, name: str) -> dict[str, Any]:
    """Extra JSON Schema keywords of `Class.field` (or of `*.field` for item classes)."""
    key = f"{cls.__name__}.{name}"
    if key in CONSTRAINTS:
        return CONSTRAINTS[key]
    return CONSTRAINTS.get(f"*.{name}", {}) if cls is not Plan else {}


def required(cls: type, f: dataclasses.Field) -> bool:
    """Fields without a default, and lists (default factory), are always present; a field with a scalar
    default (`src_start: int | None = None`) may be absent."""
    return f.default is dataclasses.MISSING


# ------------------------------------------------------------------ JSON Schema


_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean", dict: "object"}


def _json_type(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """A Python type hint -> JSON Schema (without null)."""
    if dataclasses.is_dataclass(tp):
        _define(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if typing.get_origin(tp) is list:
        (arg,) = typing.get_args(tp)
        return {"type": "array", "items": _json_type(arg, defs)}
    if tp in _JSON_TYPES:
        return {"type": _JSON_TYPES[tp]}
    if tp is Any:
        return {}
    raise TypeError(f"no JSON Schema mapping for {tp!r}")


def _property(cls: type, f: dataclasses.Field, defs: dict[str, Any]) -> dict[str, Any]:
    key = f"{cls.__name__}.{f.name}"
    tp, nullable = unwrap_optional(type_hints(cls)[f.name])
    if key in LOOSE_OBJECTS:
        target = getattr(model, LOOSE_OBJECTS[key])
        _define(target, defs)
        shape = {"type": "object", "properties": {
            g.name: _nullable(_json_type(unwrap_optional(type_hints(target)[g.name])[0], defs)
                              | constraints(target, g.name),
                              unwrap_optional(type_hints(target)[g.name])[1])
            for g in emitted_fields(target)}}
        prop = _nullable(shape, nullable)
    else:
        base = _json_type(tp, defs)
        extra = constraints(cls, f.name)
        if "items" in extra and "items" in base:
            base = base | {"items": base["items"] | extra["items"]}
            extra = {k: v for k, v in extra.items() if k != "items"}
        prop = _nullable(base | extra, nullable)
    return {"description": describe(cls, f.name)} | prop


def _nullable(schema: dict[str, Any], nullable: bool) -> dict[str, Any]:
    if not nullable:
        return schema
    if "$ref" in schema or "type" not in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    out = dict(schema)
    out["type"] = [schema["type"], "null"]
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


def _define(cls: type, defs: dict[str, Any]) -> None:
    name = cls.__name__
    if name in defs:
        return
    defs[name] = {}  # reserve: breaks cycles, keeps first-seen order
    fs = emitted_fields(cls)
    defs[name] = {
        "type": "object",
        "description": describe(cls),
        "properties": {f.name: _property(cls, f, defs) for f in fs},
        "required": [f.name for f in fs if required(cls, f)],
    }


def build_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one `plans.jsonl` line, from `model.Plan` and DESCRIPTIONS/CONSTRAINTS.

    Fields without a scalar default are required; other properties are allowed, since the contract lets
    fields be added."""
    defs: dict[str, Any] = {}
    _define(Plan, defs)
    root = defs.pop("Plan")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"One line of plans.jsonl ({SCHEMA})",
        **root,
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


def load_schema() -> dict[str, Any]:
    """The shipped `plan.schema.json` (package data)."""
    ref = resources.files("pipeline").joinpath("schema/plan.schema.json")
    return json.loads(ref.read_text(encoding="utf-8"))


def validator():
    """A jsonschema validator of `plans.jsonl` lines (shipped schema, draft 2020-12)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema())


def validate_jsonl(path: Path) -> list[str]:
    """Validate every line of a `plans.jsonl`; messages `line N: field: problem` (empty when all valid)."""
    v = validator()
    problems = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            for err in sorted(v.iter_errors(json.loads(line)), key=lambda e: list(e.absolute_path)):
                where = "/".join(str(p) for p in err.absolute_path) or "(line)"
                problems.append(f"line {n}: {where}: {err.message[:300]}")
    return problems


# ------------------------------------------------------------------ data dictionary


def _md(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _json_type_text(cls: type, name: str) -> str:
    tp, nullable = unwrap_optional(type_hints(cls)[name])
    key = f"{cls.__name__}.{name}"

    def show(t: Any) -> str:
        if dataclasses.is_dataclass(t):
            return f"[{t.__name__}](#{t.__name__.lower()})"
        if typing.get_origin(t) is list:
            return f"array of {show(typing.get_args(t)[0])}"
        return _JSON_TYPES.get(t, "any")

    text = f"object ({show(getattr(model, LOOSE_OBJECTS[key]))})" if key in LOOSE_OBJECTS else show(tp)
    extra = constraints(cls, name)
    if "enum" in extra:
        text += ": " + ", ".join(f"`{v}`" for v in extra["enum"])
    elif "const" in extra:
        text += f": `{extra['const']}`"
    elif "pattern" in extra:
        text += f" matching `{extra['pattern']}`"
    return text + (" or null" if nullable else "")


def build_data_dictionary() -> str:
    """`docs/data_dictionary.md`: plans.jsonl fields, flat tables with their columns, DuckDB views."""
    from .database import ALIASES, VIEWS, alias_views, is_day
    from .tables import table_specs

    out = [
        "# Data dictionary — `plan/1`",
        "",
        "<!-- Generated by `python -m pipeline.emit.schema --write` from pipeline/model.py and the descriptions in",
        "     pipeline/emit/schema.py; do not edit by hand (a test compares this file with the generated one). -->",
        "",
        "The contract is `DATASET.md`; this file lists every field and column as the code writes them. The JSON Schema "
        "of one `plans.jsonl` line is `pipeline/schema/plan.schema.json` (draft 2020-12).",
        "",
        "## `plans.jsonl`",
        "",
        "One JSON object per line. A required field is always present (null where its type allows); an optional "
        "one may be absent. Readers must ignore fields they do not know, since fields may be added.",
        "",
    ]
    defs: dict[str, Any] = {}
    _define(Plan, defs)
    for name in ["Plan", *[n for n in defs if n != "Plan"]]:
        cls = getattr(model, name)
        out += [f"### {name}", "", describe(cls), "",
                "| field | type | required | description |", "| --- | --- | --- | --- |"]
        for f in emitted_fields(cls):
            req = "yes" if required(cls, f) else "optional"
            out.append(f"| `{f.name}` | {_md(_json_type_text(cls, f.name))} | {req} | {_md(describe(cls, f.name))} |")
        out.append("")
    out += [
        "## Flat tables",
        "",
        "Projections of `plans.jsonl`, written by `pipeline.emit.tables.write_tables` as `NAME.parquet` (raw values, "
        "list and struct columns native), `NAME.csv` (UTF-8 with BOM; lists and objects as JSON) and one sheet each "
        "in `plans.xlsx`. In CSV and XLSX a text cell that begins with `=`, `+`, `-`, `@`, tab or carriage return "
        "is prefixed with `'` so spreadsheets do not evaluate it; Parquet and DuckDB keep the raw value. Every row "
        "carries `plan_id`.",
        "",
    ]
    for spec in table_specs():
        formats = ", ".join(spec.formats)
        out += [f"### `{spec.name}`", "", spec.description, "", f"Written as: {formats}.", "",
                "| column | type | description |", "| --- | --- | --- |"]
        for col in spec.columns:
            where = "" if col.formats is None else " (Parquet and DuckDB only)" if col.formats == ("parquet",) \
                else f" ({', '.join(col.formats)} only)"
            out.append(f"| `{col.name}` | `{col.type}` | {_md(col.description)}{where} |")
        out.append("")
    out += [
        "## `plans.duckdb`",
        "",
        "Written by `pipeline.emit.database.write_database`: every Parquet table above as a table of the same name "
        "(with these descriptions as comments), with SQL types where SQL has them: each day column ("
        + ", ".join(sorted({f"`{c.name}`" for s in table_specs() for c in s.columns if is_day(c.name)}))
        + ") is a DATE, NULL when the year is unknown, its text as in `plans.jsonl` kept beside it as "
        "`COLUMN_text`; `tasks.deadline` is a STRUCT (JSON text in CSV and Parquet). Columns named by SQL keywords "
        "need quotes in the tables (`\"order\"`, `\"end\"`); the `TABLE_view` views rename them ("
        + ", ".join(f"`{k}` → `{v}`" for k, v in ALIASES.items()) + ") so plain SQL works.",
        "",
    ]
    specs = [s for s in table_specs() if "parquet" in s.formats]
    for name, (description, sql) in {**VIEWS, **alias_views(specs)}.items():
        out += [f"### view `{name}`", "", description, "", "```sql", sql.strip(), "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"


# ------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline.emit.schema [--write | --check]`: regenerate or check the committed files."""
    from . import atomic_write

    p = argparse.ArgumentParser(prog="python -m pipeline.emit.schema", description=main.__doc__)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--write", action="store_true", help="write plan.schema.json and docs/data_dictionary.md")
    g.add_argument("--check", action="store_true", help="exit 1 when the committed files differ from the code")
    args = p.parse_args(argv)
    files = {SCHEMA_FILE: schema_text(), DICTIONARY_FILE: build_data_dictionary()}
    if args.write:
        for path, text in files.items():
            with atomic_write(path) as f:
                f.write(text)
            print(f"wrote {path}", file=sys.stderr)
        return 0
    if args.check:
        stale = [str(p) for p, t in files.items() if not p.exists() or p.read_text(encoding="utf-8") != t]
        for s in stale:
            print(f"out of date: {s} (run python -m pipeline.emit.schema --write)", file=sys.stderr)
        return 1 if stale else 0
    sys.stdout.write(files[SCHEMA_FILE])
    return 0


if __name__ == "__main__":
    sys.exit(main())
