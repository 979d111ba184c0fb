"""The JSON Schema of one `plans.jsonl` line (contract `plan/1`), generated from the dataclasses in `model.py`
(their fields' descriptions and keywords, read by `fields.py`), shipped as `pipeline/schema/plan.schema.json`;
`validator()` and `validate_jsonl()` check lines against the shipped file. `python -m pipeline.emit.dictionary
--write` regenerates it with the data dictionary.
"""
from __future__ import annotations

import dataclasses
import json
import typing
from importlib import resources
from pathlib import Path
from typing import Any

from ..model import SCHEMA, Plan
from .fields import constraints, describe, emitted_fields, enum_values, required, type_hints, unwrap_optional

SCHEMA_ID = "https://plans-pipeline.invalid/schema/plan-1.schema.json"
SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema" / "plan.schema.json"


# ------------------------------------------------------------------ JSON Schema


JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean", dict: "object"}


def _json_type(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """A Python type hint -> JSON Schema (without null; an enumeration's values come with `constraints`)."""
    if enum_values(tp) is not None:
        return {"type": "string"}
    if dataclasses.is_dataclass(tp):
        _define(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if typing.get_origin(tp) is list:
        (arg,) = typing.get_args(tp)
        return {"type": "array", "items": _json_type(arg, defs)}
    if tp in JSON_TYPES:
        return {"type": JSON_TYPES[tp]}
    if tp is Any:
        return {}
    raise TypeError(f"no JSON Schema mapping for {tp!r}")


def _property(cls: type, f: dataclasses.Field, defs: dict[str, Any]) -> dict[str, Any]:
    tp, nullable = unwrap_optional(type_hints(cls)[f.name])
    base = _json_type(tp, defs)
    extra = constraints(cls, f.name)
    if "items" in extra and "items" in base:
        base = base | {"items": base["items"] | extra["items"]}
        extra = {k: v for k, v in extra.items() if k != "items"}
    return {"description": describe(cls, f.name)} | _nullable(base | extra, nullable)


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
    """JSON Schema (draft 2020-12) of one `plans.jsonl` line, from `model.Plan`'s fields and their `doc(...)`.

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
