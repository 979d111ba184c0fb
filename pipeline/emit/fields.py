"""What `model.py` says of the contract's fields, for the JSON Schema (`schema.py`), the flat tables
(`columns.py`) and the data dictionary (`dictionary.py`): which fields are written, their types, descriptions
(`doc(...)` metadata and the classes' docstrings), extra JSON Schema keywords and enumerations (`Literal`).
"""
from __future__ import annotations

import dataclasses
import types
import typing
from functools import lru_cache
from typing import Any

from .. import model
from ..model import Plan


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


def enum_values(tp: Any) -> list[str] | None:
    """The values of a `Literal[...]` type (an enumeration of the contract), else None."""
    return list(typing.get_args(tp)) if typing.get_origin(tp) is typing.Literal else None


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


def _field(cls: type, name: str) -> dataclasses.Field:
    return {f.name: f for f in dataclasses.fields(cls)}[name]


def describe(cls: type, name: str | None = None) -> str:
    """The description of a class (the first paragraph of its docstring) or of one of its fields (its `doc`);
    raises KeyError naming what to add."""
    if name is None:
        text = (cls.__doc__ or "").split("\n\n", 1)[0]
        if not text.strip():
            raise KeyError(f"no description for {cls.__name__}: give it a docstring in pipeline/model.py")
        return " ".join(line.strip() for line in text.strip().splitlines())
    text = _field(cls, name).metadata.get("doc")
    if text is None:
        raise KeyError(f"no description for {cls.__name__}.{name}: declare it with doc(...) in pipeline/model.py")
    return text


def constraints(cls: type, name: str) -> dict[str, Any]:
    """Extra JSON Schema keywords of `Class.field`: its `doc(schema=…)` and, for a `Literal`, its `enum`."""
    out = dict(_field(cls, name).metadata.get("schema") or {})
    values = enum_values(unwrap_optional(type_hints(cls)[name])[0])
    if values is not None:
        out["enum"] = values
    return out


def required(cls: type, f: dataclasses.Field) -> bool:
    """Fields without a default, and lists (default factory), are always present; a field with a scalar
    default (`src_start: int | None = None`) may be absent."""
    return f.default is dataclasses.MISSING
