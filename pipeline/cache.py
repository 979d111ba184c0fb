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
    """Results of `run.process_for_run`, keyed by the SHA-256 of the input file's bytes."""

    def __init__(self, out: Path):
        self.root = Path(out) / CACHE_DIR
        self.dir = self.root / fingerprint()
        if self.root.is_dir():  # keep only the current pipeline's entries
            for old in self.root.iterdir():
                if old.is_dir() and old.name != self.dir.name:
                    shutil.rmtree(old, ignore_errors=True)

    def _path(self, sha: str) -> Path:
        return self.dir / sha[:2] / f"{sha}.json"

    def has(self, sha: str) -> bool:
        return self._path(sha).is_file()

    def get(self, sha: str) -> dict | None:
        try:
            with open(self._path(sha), encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def put(self, sha: str, result: dict) -> None:
        with atomic_write(self._path(sha)) as f:
            json.dump(result, f, ensure_ascii=False, separators=(",", ":"))


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
