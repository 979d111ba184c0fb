"""Emit: write a run's dataset. Every file is written to a temporary name and renamed into place, so a
reader never sees a half-written output and a crash leaves the previous version intact."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

# what a run can write (`plans run --formats`), in this order
FORMATS = ("jsonl", "parquet", "csv", "xlsx", "duckdb")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_write(path: Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = "\n"):
    """Open a temporary file beside `path`; on success fsync and rename it over `path`, else remove it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        kwargs = {"encoding": encoding, "newline": newline} if "b" not in mode else {}
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fchmod(f.fileno(), 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
