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
from .model import FileRecord, PlanRecord

CACHE_DIR = ".plans-cache"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Hash of the version, the package sources and the model data."""
    h = hashlib.sha256(__version__.encode())
    roots = [Path(__file__).resolve().parent, Path(settings.MODELS_DIR)]
    data = {Path(settings.MODELS_DIR).resolve(), Path(settings.SAMPLES_DIR).resolve()}  # inside the package when installed
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".txt", ".jsonl", ".json")
                           and (root != roots[0] or not data & set(p.resolve().parents))):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


class ContentCache:
    """`FileRecord`s of a run, keyed by the SHA-256 of the input file's bytes.

    An entry is one Arrow IPC stream of one record batch of one row (`encode_entry`): the record's facts as
    JSON, its plans' ids, line templates, slots and signatures, and each table fragment's arrays (Parquet columns
    as a struct, CSV stretches, row plan index, text characters) as one-element lists. One read per file, and
    nothing in it is executed on reading (no pickle): an output folder can be shared."""

    def __init__(self, out: Path):
        self.root = Path(out) / CACHE_DIR
        self.dir = self.root / fingerprint()

    def prune(self) -> None:
        """Remove the entries of other pipeline versions (once a run has written its dataset: a run that wrote
        nothing leaves the output folder as it was)."""
        if self.root.is_dir():
            for old in self.root.iterdir():
                if old.is_dir() and old.name != self.dir.name:
                    shutil.rmtree(old, ignore_errors=True)

    def _path(self, sha: str) -> Path:
        return self.dir / sha[:2] / f"{sha}.arrow"

    def has(self, sha: str) -> bool:
        return self._path(sha).is_file()

    def get(self, sha: str) -> FileRecord | None:
        try:
            return decode_entry(self._path(sha).read_bytes())
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # unreadable or damaged: the file is processed again

    def put(self, sha: str, record: FileRecord) -> None:
        data = encode_entry(record)
        with atomic_write(self._path(sha), "wb") as f:
            f.write(data)


_FACTS = ("path", "format", "encoding", "sha256", "bytes", "seconds")


def encode_entry(record: FileRecord) -> bytes:
    """A `FileRecord` (of a file that gave plans) -> bytes for `decode_entry`."""
    import numpy as np
    import pyarrow as pa

    head = {k: getattr(record, k) for k in _FACTS}
    head["ids"] = [p.id for p in record.plans]
    head["slots"] = [list(p.slots) for p in record.plans]
    head["tables"] = None if record.tables is None else list(record.tables)
    cols = {
        "head": pa.array([json.dumps(head, ensure_ascii=False)], pa.string()),
        "signatures": pa.array([[list(p.signature) for p in record.plans]], pa.list_(pa.list_(pa.int64()))),
        "lines": pa.array([[p.line for p in record.plans]], pa.list_(pa.binary())),
    }
    for name, frag in (record.tables or {}).items():
        parts = {"plan": frag.plan, "chars": frag.chars, "parquet": frag.parquet,
                 "csv": frag.csv}
        for key, arr in parts.items():
            if arr is not None:
                arr = pa.array(arr, pa.int64()) if isinstance(arr, np.ndarray) else arr
                cols[f"{name}/{key}"] = pa.ListArray.from_arrays(pa.array([0, len(arr)], pa.int32()), arr)
    batch = pa.RecordBatch.from_pydict(cols)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as w:
        w.write_batch(batch)
    return sink.getvalue().to_pybytes()


def decode_entry(data: bytes) -> FileRecord:
    """`encode_entry`'s bytes -> the record (its fragments' arrays share the bytes' memory; each signature stays
    an Arrow list until the run asks for it: only plans new to the run are compared)."""
    import pyarrow as pa

    from .emit.tables import Fragment

    batch = pa.ipc.open_stream(data).read_next_batch()
    cols = dict(zip(batch.schema.names, batch.columns))
    head = json.loads(cols.pop("head")[0].as_py())
    record = FileRecord(**{k: head[k] for k in _FACTS})
    signatures = cols.pop("signatures").values
    lines = cols.pop("lines").values.to_pylist()
    record.plans = [PlanRecord(pid, line, tuple(slots), signatures[k])
                    for k, (pid, line, slots) in enumerate(zip(head["ids"], lines, head["slots"]))]
    names = head["tables"]
    if names is not None:
        parts: dict[str, dict] = {name: {} for name in names}
        for key, arr in cols.items():
            name, part = key.split("/", 1)
            parts[name][part] = arr.values  # the one list of the one row (offsets 0..n)
        record.tables = {}
        for name in names:
            p = parts[name]
            plan = p["plan"].to_numpy()
            record.tables[name] = Fragment(len(plan), plan, p.get("parquet"), p.get("csv"),
                                           p["chars"].to_numpy() if "chars" in p else None)
    return record


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
