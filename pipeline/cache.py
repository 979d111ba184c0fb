"""An incremental cache: one entry per input file content (SHA-256), valid for one pipeline fingerprint.

A run looks each file up by the hash of its bytes; a hit skips every stage up to emit. The fingerprint covers
the package version, the package's code and everything in models/, so any change to code or data
invalidates the cache. Entries live under `OUT/.plans-cache/<fingerprint>/`; older fingerprints are removed.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from functools import lru_cache
from pathlib import Path

from . import __version__, settings
from .emit import atomic_write

CACHE_DIR = ".plans-cache"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Hash of the version, the package sources and the model data."""
    h = hashlib.sha256(__version__.encode())
    roots = [Path(__file__).resolve().parent, Path(settings.MODELS_DIR)]
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".txt", ".jsonl", ".json")):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


class ContentCache:
    """Results of `run.process_for_run`, keyed by the SHA-256 of the input file's bytes.

    An entry is one file: a JSON line (the record without its table fragments, and where each fragment lies),
    then each fragment as an Arrow IPC stream. Nothing in it is executed on reading (no pickle): an output folder
    can be shared."""

    def __init__(self, out: Path):
        self.root = Path(out) / CACHE_DIR
        self.dir = self.root / fingerprint()
        if self.root.is_dir():  # keep only the current pipeline's entries
            for old in self.root.iterdir():
                if old.is_dir() and old.name != self.dir.name:
                    shutil.rmtree(old, ignore_errors=True)

    def _path(self, sha: str) -> Path:
        return self.dir / sha[:2] / f"{sha}.entry"

    def has(self, sha: str) -> bool:
        return self._path(sha).is_file()

    def get(self, sha: str) -> dict | None:
        from .emit.tables import Fragment

        try:
            data = self._path(sha).read_bytes()
            head, _, body = data.partition(b"\n")
            record = json.loads(head)
            spans = record.pop("table_spans")
            if spans is not None:
                view = memoryview(body)
                record["tables"] = {name: Fragment.from_bytes(view[a:b]) for name, (a, b) in spans.items()}
            return record
        except (OSError, ValueError, KeyError, TypeError):
            return None  # unreadable or damaged: the file is processed again

    def put(self, sha: str, record: dict) -> None:
        tables = record.get("tables")
        parts, spans, at = [], None, 0
        if tables is not None:
            spans = {}
            for name, frag in tables.items():
                blob = frag.to_bytes()
                spans[name] = (at, at + len(blob))
                parts.append(blob)
                at += len(blob)
        head = {k: v for k, v in record.items() if k != "tables"}
        head["table_spans"] = spans
        with atomic_write(self._path(sha), "wb") as f:
            f.write(json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
            for blob in parts:
                f.write(blob)


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read (the run reports that file's error)."""
    h = hashlib.sha256()
    try:
        if path.stat().st_size > settings.MAX_FILE_BYTES:
            return None
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()
