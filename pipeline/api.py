"""The Python API: a text or a file -> its plans; a dataset folder -> its tables as pandas DataFrames.

Plans come with the ids and `duplicate_of` links a run of that one text or file would give them, so
`plan.to_dict()` is the plan's `plans.jsonl` object (valid against `pipeline/schema/plan.schema.json`). Exported
from `pipeline` (`from pipeline import process_text`).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .identity import Registry
from .inputs import display_path
from .process import plans_in
from .process import process_file as _process_file
from .errors import InputError
from .model import SCHEMA, FileResult, Plan, RawText

TEXT_NAME = "<text>"


def process_text(text: str, *, name: str | None = None) -> list[Plan]:
    """A plan document's text (what a .txt file holds once decoded) -> its plans; [] when it holds none.

    `name` becomes each plan's `source.path` (default `<text>`); `source.sha256` is the SHA-256 of the text in
    UTF-8 and `source.encoding` is null (nothing was decoded)."""
    if not isinstance(text, str):
        raise TypeError(f"process_text needs a str, not {type(text).__name__} (for bytes or files: process_file)")
    if not text.strip():
        return []
    label = display_path(name) if name is not None else TEXT_NAME
    try:
        plans = plans_in(RawText(text, "txt"), label, hashlib.sha256(text.encode("utf-8")).hexdigest())
    except InputError as e:
        if e.code == "no_plan":
            return []
        raise
    _identify(plans)
    return plans


def process_file(path: str | Path) -> FileResult:
    """One file (.txt in any supported encoding, .docx, .html, .pdf) -> a `FileResult`: its `plans`, or the
    `error` (code and message) that stopped it. Never raises for bad input."""
    result = _process_file(Path(path))
    _identify(result.plans)
    return result


def _identify(plans: list[Plan]) -> None:
    """Run-level fields as a run of these plans alone assigns them: unique `plan_id`, `duplicate_of`."""
    registry = Registry()
    for plan in plans:
        plan.plan_id, plan.duplicate_of = registry.assign(plan.plan_id, lambda plan=plan: plan.signature)


def read_dataset(folder: str | Path) -> dict:
    """A dataset folder (`plans run … --out DIR`) -> {table name: pandas DataFrame} for every flat table
    (`plans`, `sections`, `tasks`, `task_owners`, …; columns in docs/data_dictionary.md), read from its Parquet
    files, or built from `plans.jsonl` when the run wrote no Parquet. Raises FileNotFoundError when the folder
    holds no dataset, ValueError when its schema is not this version's (`plan/1`)."""
    import pandas as pd
    import pyarrow.parquet as pq

    from .emit.columns import table_specs

    folder = Path(folder)
    manifest = folder / "manifest.json"
    if manifest.is_file():
        _check_schema(json.loads(manifest.read_text(encoding="utf-8")).get("schema"), manifest)
    specs = [s for s in table_specs() if "parquet" in s.formats]
    if all((folder / f"{s.name}.parquet").is_file() for s in specs):
        frames = {}
        for s in specs:
            path = folder / f"{s.name}.parquet"
            meta = pq.read_schema(path).metadata or {}
            _check_schema(meta.get(b"schema", b"").decode("utf-8") or None, path)
            frames[s.name] = pd.read_parquet(path)
        return frames
    jsonl = folder / "plans.jsonl"
    if not jsonl.is_file():
        raise FileNotFoundError(f"{folder}: no dataset (no Parquet tables, no plans.jsonl): run `plans run` first")
    plans = []
    with open(jsonl, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                plan = json.loads(line)
                _check_schema(plan.get("schema"), f"{jsonl}: line {n}")
                plans.append(plan)
    frames = {}
    for s in specs:
        cols = [c.name for c in s.columns_for("parquet")]
        data = s.build(plans)
        frames[s.name] = pd.DataFrame({c: data[c] for c in cols}, columns=cols)
    return frames


def _check_schema(schema: str | None, where) -> None:
    if schema != SCHEMA:
        raise ValueError(f"{where}: schema {schema!r} is not {SCHEMA!r}, the one this version of plans reads")
