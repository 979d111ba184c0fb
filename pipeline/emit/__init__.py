"""Emit: write a run's dataset. Every file is written to a temporary name and renamed into place (`atomic_path`),
so a reader never sees a half-written output and a crash leaves the previous version intact.

    fields -> columns -> csv_cells -> tables (Parquet, CSV), xlsx, database (DuckDB);  schema (JSON Schema);
    jsonl (plans.jsonl lines), manifest;  dictionary (the data dictionary, above them all)
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# what a run can write (`plans run --formats`), in this order
FORMATS = ("jsonl", "parquet", "csv", "xlsx", "duckdb")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A path to write `path`'s new content at, in a temporary folder beside it (where a writer's side files go
    too, as DuckDB's); on success the file is fsynced and renamed over `path`, and the folder always removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        tmp = folder / path.name
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkdtemp's folder is private; the outputs are ordinary files
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def atomic_write(path: Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = "\n"):
    """Open `path`'s new content for writing (`atomic_path`): it replaces `path` only once written whole."""
    with atomic_path(path) as tmp:
        kwargs = {"encoding": encoding, "newline": newline} if "b" not in mode else {}
        with open(tmp, mode, **kwargs) as f:
            yield f
