"""Each input's share of a run's dataset: where its lines lie in `plans.jsonl`, its bytes in each CSV table and
its rows in each Parquet table, with what the run assigned its plans (`plan_id`, `duplicate_of`).

The next run over the same folder copies the share of every input whose content is unchanged and whose plans get
the same run-level values again — bytes copied file to file in the kernel (`Splicer`), Parquet rows re-read by
row group and re-cut as they were written (`OldRows`) — and encodes only what changed, so the outputs are
byte for byte what encoding every input again would write, at the cost of the change.

The map is one Arrow IPC file beside the cache (`ShareMap.path`: `.plans-cache/<fingerprint>/shares.arrow`),
one row per input that gave plans, with the size and modification time of every output file it describes. A
run uses it only when each of those files is as the run that wrote the map left it; otherwise (a file edited,
removed, written by another version or with other formats) it encodes every input again, from the cache.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from . import atomic_write

MAP_NAME = "shares.arrow"
_VERSION = 1
# the map's columns of one value per input (besides signatures and, per table, placement and characters)
_COLUMNS = {"name": pa.string(), "sha256": pa.string(), "format": pa.string(), "encoding": pa.string(),
            "bytes": pa.int64(), "ids": pa.list_(pa.string()), "plan_ids": pa.list_(pa.string()),
            "duplicates": pa.list_(pa.string()), "jsonl_start": pa.int64(), "jsonl_end": pa.int64()}


@dataclass
class Placed:
    """Where one input's rows of one table went: CSV bytes `[csv_start, csv_end)`, Parquet rows
    `[row_start, row_end)`, and each row's characters of text (Parquet row groups are cut by them)."""

    csv_start: int = 0
    csv_end: int = 0
    row_start: int = 0
    row_end: int = 0
    chars: np.ndarray | None = None


@dataclass
class Share:
    """One input's share, as the previous run wrote it (`ShareMap.get`) or as this run writes it."""

    name: str
    sha256: str
    format: str | None
    encoding: str | None
    bytes: int | None
    ids: list[str]                       # each plan's text id
    plan_ids: list[str]                  # what the run assigned: plan_id …
    duplicates: list[str | None]         # … and duplicate_of
    signatures: object = None            # per plan, its sentence signature (an Arrow list, or a list of ints)
    jsonl: tuple[int, int] = (0, 0)
    tables: dict[str, Placed] = field(default_factory=dict)
    row: int | None = None               # its row in the previous map (its signatures and chars are there)


def _file_state(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


class ShareMap:
    """The previous run's shares (`load`), looked up by input name and content."""

    def __init__(self, table: pa.Table):
        self.table = table
        cols = {name: table.column(name).to_pylist() for name in _COLUMNS}
        self.tables = sorted({n.split("/", 1)[0] for n in table.column_names if "/" in n})
        placed = {t: [table.column(f"{t}/{k}").to_pylist() for k in ("csv_start", "csv_end", "row_start",
                                                                      "row_end")] for t in self.tables}
        self.rows = {(n, s): k for k, (n, s) in enumerate(zip(cols["name"], cols["sha256"]))}
        self._cols = cols
        self._placed = placed
        self._signatures = table.column("signatures").combine_chunks()
        self._chars = {t: table.column(f"{t}/chars").combine_chunks() for t in self.tables}
        self._flat_chars = {t: (a.offsets.to_numpy(), a.values.to_numpy(zero_copy_only=False))
                            for t, a in self._chars.items()}

    @staticmethod
    def path(cache_dir: Path) -> Path:
        return Path(cache_dir) / MAP_NAME

    @classmethod
    def load(cls, cache_dir: Path, out: Path, needed: list[str]) -> ShareMap | None:
        """The map under `cache_dir` if it describes exactly the outputs `needed` (names under `out`) as they
        are on disk now; else None."""
        try:
            table = pa.ipc.open_file(pa.py_buffer(cls.path(cache_dir).read_bytes())).read_all()
            meta = json.loads(table.schema.metadata[b"shares"])
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
            return None
        if meta.get("version") != _VERSION or sorted(meta.get("files", {})) != sorted(needed):
            return None
        if any(_file_state(Path(out) / name) != state for name, state in meta["files"].items()):
            return None
        try:
            return cls(table)
        except (KeyError, pa.ArrowException):
            return None

    def get(self, name: str, sha: str | None) -> Share | None:
        k = self.rows.get((name, sha))
        if k is None:
            return None
        c = self._cols
        tables = {t: Placed(*(v[k] for v in p), chars=None) for t, p in self._placed.items()}
        sigs = [_Signature(self, k, j) for j in range(len(c["ids"][k]))]
        return Share(c["name"][k], c["sha256"][k], c["format"][k], c["encoding"][k], c["bytes"][k], c["ids"][k],
                     c["plan_ids"][k], c["duplicates"][k], sigs, (c["jsonl_start"][k], c["jsonl_end"][k]),
                     tables, k)

    def chars(self, table: str, row: int) -> np.ndarray:
        """The characters of text of each of an input's rows of `table` (its `row` in the map)."""
        offsets, values = self._flat_chars[table]
        return values[offsets[row]: offsets[row + 1]]


class _Signature:
    """A plan's signature in the map, read when the run asks for it (`model.signature_of`)."""

    __slots__ = ("map", "row", "plan")

    def __init__(self, shares: ShareMap, row: int, plan: int):
        self.map, self.row, self.plan = shares, row, plan

    def as_py(self) -> list[int]:
        return self.map._signatures[self.row][self.plan].as_py()


def write_map(cache_dir: Path, out: Path, outputs: list[str], shares: list[Share], tables: list[str],
              previous: ShareMap | None) -> None:
    """The map of this run's `shares` (in input order), describing the `outputs` (names under `out`) as they
    are now. Signatures and characters of shares copied from the `previous` map are taken from it in one go."""
    files = {name: _file_state(Path(out) / name) for name in outputs}
    if any(v is None for v in files.values()):
        return
    value = {"jsonl_start": lambda s: s.jsonl[0], "jsonl_end": lambda s: s.jsonl[1]}
    arrays = {k: pa.array([value[k](s) if k in value else getattr(s, k) for s in shares], t)
              for k, t in _COLUMNS.items()}
    # the list columns: rows of the previous map taken in one call, the new ones built here, then put in order
    order, fresh = [], []
    n_old = len(previous.table) if previous is not None else 0
    for s in shares:
        if s.row is not None and previous is not None:
            order.append(s.row)
        else:
            order.append(n_old + len(fresh))
            fresh.append(s)
    take = pa.array(order, pa.int64())

    def combined(old: pa.Array | None, new: pa.Array) -> pa.Array:
        whole = new if old is None else pa.concat_arrays([old, new])
        return whole.take(take)

    sig_type = pa.list_(pa.list_(pa.int64()))
    new_sigs = pa.array([[_ints(x) for x in s.signatures or ()] for s in fresh], sig_type)
    arrays["signatures"] = combined(previous._signatures if previous else None, new_sigs)
    for t in tables:
        for k in ("csv_start", "csv_end", "row_start", "row_end"):
            arrays[f"{t}/{k}"] = pa.array([getattr(s.tables.get(t) or Placed(), k) for s in shares], pa.int64())
        new_chars = _list_of_ints([(s.tables[t].chars if t in s.tables else None) for s in fresh])
        old_chars = previous._chars.get(t) if previous is not None else None
        if previous is not None and old_chars is None:
            return  # a table the previous map did not have: no map (the next run encodes everything)
        arrays[f"{t}/chars"] = combined(old_chars, new_chars)
    meta = {"version": _VERSION, "files": files}
    table = pa.table(arrays).replace_schema_metadata({"shares": json.dumps(meta)})
    with atomic_write(ShareMap.path(cache_dir), "wb") as f:
        with pa.ipc.new_file(f, table.schema) as w:
            w.write_table(table)


def _ints(sig) -> list[int]:
    if hasattr(sig, "as_py"):
        return sig.as_py()
    return list(sig)


def _list_of_ints(parts: list[np.ndarray | None]) -> pa.Array:
    lengths = [0 if p is None else len(p) for p in parts]
    offsets = np.zeros(len(parts) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    values = np.concatenate([p for p in parts if p is not None and len(p)] or [np.zeros(0, np.int64)])
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(values.astype(np.int64)))


class Splicer:
    """Writes a binary file in order from new bytes (`write`) and ranges of an old file (`copy`), the ranges
    copied in the kernel (`os.copy_file_range`; adjacent ranges as one copy). `pos`: bytes written so far,
    counting a range that waits to be copied (it is always the end of what was written)."""

    def __init__(self, dst, src: Path | None, pos: int = 0):
        self.dst = dst
        self.src_path = src
        self.src = None
        self.pos = pos
        self.pending: tuple[int, int] | None = None

    def write(self, data: bytes) -> None:
        if self.pending:
            self._copy_pending()
        self.dst.write(data)
        self.pos += len(data)

    def copy(self, start: int, end: int) -> None:
        if end <= start:
            return
        if self.pending and self.pending[1] != start:
            self._copy_pending()
        self.pending = (self.pending[0] if self.pending else start, end)
        self.pos += end - start

    def close(self) -> None:
        """The last range copied; the old file closed."""
        if self.pending:
            self._copy_pending()
        self.release()

    def release(self) -> None:
        """The old file closed, what was pending dropped (on error)."""
        self.pending = None
        if self.src is not None:
            self.src.close()
            self.src = None

    def _copy_pending(self) -> None:
        start, end = self.pending
        self.pending = None
        if self.src is None:
            self.src = open(self.src_path, "rb")
        self.dst.flush()
        fd_out, at = self.dst.fileno(), self.pos - (end - start)
        while start < end:
            try:
                n = os.copy_file_range(self.src.fileno(), fd_out, end - start, start, at)
            except OSError:  # another file system, an old kernel: copy through user space
                n = _copy_range(self.src, fd_out, start, end - start, at)
            if n <= 0:
                raise OSError(f"{self.src_path}: shorter than the dataset's map says (copying bytes {start}..{end})")
            start += n
            at += n
        self.dst.seek(0, os.SEEK_END)


def _copy_range(src, fd_out: int, start: int, n: int, at: int) -> int:
    data = os.pread(src.fileno(), min(n, 1 << 22), start)
    return os.pwrite(fd_out, data, at) if data else 0


class OldRows:
    """Rows of a previous Parquet file read by row group, one row group in memory at a time."""

    def __init__(self, path: Path, schema: pa.Schema):
        self.path = path
        self.schema = schema
        self.file = None
        self.cached: tuple[int, pa.Table] | None = None

    def read(self, start: int, end: int):
        """The rows `[start, end)` as tables of this schema, in order (a slice per row group they span)."""
        if self.file is None:
            import pyarrow.parquet as pq

            self.file = pq.ParquetFile(self.path)
            counts = [self.file.metadata.row_group(i).num_rows for i in range(self.file.num_row_groups)]
            self.starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
            if self.file.schema_arrow.remove_metadata() != self.schema.remove_metadata():
                raise ValueError(f"{self.path}: not the schema the dataset's map says")
        while start < end:
            g = int(np.searchsorted(self.starts, start, side="right")) - 1
            if g >= len(self.starts) - 1:
                raise ValueError(f"{self.path}: fewer rows than the dataset's map says")
            if self.cached is None or self.cached[0] != g:
                t = self.file.read_row_group(g)
                self.cached = (g, pa.Table.from_arrays(t.columns, schema=self.schema))
            lo = start - int(self.starts[g])
            hi = min(end, int(self.starts[g + 1])) - int(self.starts[g])
            yield self.cached[1].slice(lo, hi - lo)
            start += hi - lo

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
        self.cached = None
