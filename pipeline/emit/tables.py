"""Parquet (raw values) and CSV (UTF-8 with BOM) files of the flat tables (`columns.py`), written in input order.

Plans are encoded in batches into `Fragment`s (Arrow arrays, CSV text built by `csv_cells`) — by a run's workers
as they process files, or by `write_tables` from chunks of `plans.jsonl` lines — and `TableWriter` writes them in
order, so only the current batch is held. Parquet row groups are cut at `BATCH_ROWS` rows or `BATCH_CHARS`
characters of text. Every file is written to a temporary name and renamed into place at the end.
"""
from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from . import atomic_write
from .columns import TableSpec, table_specs
from .csv_cells import csv_cells, csv_column, csv_rows, json_cells
from .jsonl import read_chunks
from .shares import OldRows, Placed, Splicer

BATCH_ROWS = 5000
BATCH_CHARS = 16_000_000          # flush a table's buffer past this many characters of text
FLUSH_PLANS, FLUSH_BYTES = 200, 16 << 20   # plans (and bytes) gathered before they are encoded and written


def _text_chars(raw: list) -> list[int]:
    if str not in set(map(type, raw)):  # the usual case for a list or object column: at C speed
        return [0] * len(raw)
    return [len(v) if isinstance(v, str) else 0 for v in raw]


# ------------------------------------------------------------------ fragments
#
# A run encodes each input file's tables once, where the file is processed (a worker encodes its chunk of files
# together; the cache keeps each file's slice): a `Fragment` per table holds the Parquet columns as Arrow arrays and the CSV cells as Arrow strings,
# all but the run-level columns (`RUN_COLUMNS`: the plan's id, what it duplicates, the path it was read from),
# which only the run knows. `TableWriter.add` fills those in and appends the rows, so a re-run over cached files
# does no table work beyond copying their fragments into the files.

RUN_COLUMNS = ("plan_id", "duplicate_of", "source_path")


def run_values(plan: dict) -> dict[str, Any]:
    """The run-level column values of one `plans.jsonl` record."""
    return {"plan_id": plan.get("plan_id"), "duplicate_of": plan.get("duplicate_of"),
            "source_path": (plan.get("source") or {}).get("path")}


@dataclass
class Fragment:
    """One table's rows for a list of plans, encoded: `plan` is each row's plan (index into the list);
    `parquet` the Parquet columns but the run-level ones, as one struct array; `csv` the CSV text of the cells
    between run-level columns (`_csv_layout`), one struct field per stretch, each row's cells already joined by
    `,`; `chars` each row's characters of text (Parquet row groups are cut by rows and characters)."""

    rows: int
    plan: np.ndarray
    parquet: pa.StructArray | None
    csv: pa.StructArray | None
    chars: np.ndarray | None


def encode(plans: list[dict]) -> dict[str, Fragment]:
    """Every table's `Fragment` for `plans` (their run-level fields are ignored)."""
    indexed = [{**p, "plan_id": k} for k, p in enumerate(plans)]  # the plan_id column says which plan a row is of
    return {spec.name: _encode_table(spec, indexed) for spec in table_specs()}


def _csv_layout(spec: TableSpec) -> list:
    """The CSV columns as run-level `Column`s and stretches (lists) of the other columns between them."""
    layout: list = []
    for c in spec.columns_for("csv"):
        if c.name in RUN_COLUMNS:
            layout.append(c)
        elif layout and isinstance(layout[-1], list):
            layout[-1].append(c)
        else:
            layout.append([c])
    return layout


def _encode_table(spec: TableSpec, plans: list[dict]) -> Fragment:
    data = spec.build(plans)
    rows = len(data[spec.columns[0].name])
    plan = np.asarray(data["plan_id"], dtype=np.int64) if rows else np.zeros(0, dtype=np.int64)
    parquet = csv_array = chars = None
    arrays: dict[str, pa.Array] = {}
    try:
        if rows and "parquet" in spec.formats:
            cols = [c for c in spec.columns_for("parquet") if c.name not in RUN_COLUMNS]
            for c in cols:
                raw = data[c.name]
                arrays[c.name] = pa.array(json_cells(raw) if c.kind == "json" else raw, c.type)
            parquet = pa.StructArray.from_arrays([arrays[c.name] for c in cols], [c.name for c in cols])
            chars = _row_chars(spec, data, arrays, rows)
        if rows and "csv" in spec.formats:
            import pyarrow.compute as pc

            stretches = [x for x in _csv_layout(spec) if isinstance(x, list)]
            flat = [c for stretch in stretches for c in stretch]
            cells = dict(zip((c.name for c in flat),
                             csv_cells([csv_column(c, data[c.name], arrays.get(c.name)) for c in flat])))
            joined = [cells[st[0].name] if len(st) == 1 else
                      pc.binary_join_element_wise(*[cells[c.name] for c in st], ",") for st in stretches]
            csv_array = pa.StructArray.from_arrays(joined, [str(i) for i in range(len(joined))])
    except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
        raise ValueError(f"table {spec.name}: a value does not fit the schema: {e}") from None
    return Fragment(rows, plan, parquet, csv_array, chars)


def _row_chars(spec: TableSpec, data: dict[str, list], arrays: dict[str, pa.Array], n: int) -> np.ndarray:
    """Characters of text per row, without the run-level columns (the str values of the row, as the row-by-row
    writer counted them)."""
    import pyarrow.compute as pc

    total = np.zeros(n, dtype=np.int64)
    for c in spec.columns:
        if c.name in RUN_COLUMNS:
            continue
        # only str values count: a list/object (kept as JSON text) does not, a str where a list belongs does;
        # in a number column a str would not have fit the Arrow type
        if c.kind != "scalar":
            total += np.fromiter(_text_chars(data[c.name]), dtype=np.int64, count=n)
        elif pa.types.is_string(c.type):
            total += pc.fill_null(pc.utf8_length(arrays[c.name]), 0).to_numpy(zero_copy_only=False)
    return total


class _Sink:
    """One table's Parquet and CSV files, written fragment by fragment and share by share (rows of the previous
    files, `splice`); Parquet row groups as the row-by-row writer cut them."""

    def __init__(self, spec: TableSpec, dirs: dict[str, Path], stack: ExitStack,
                 previous: dict[str, Path] | None = None):
        self.spec = spec
        self.count = 0
        self.parquet = self.csv = None
        self.old_rows = None
        self.splice_rows: list | None = None  # [start, end, [chars]]: previous Parquet rows not yet copied
        self.pending: list[pa.Table] = []
        self.pending_rows = 0
        self.pending_chars = 0
        self.csv_cols = spec.columns_for("csv")
        self.csv_layout = _csv_layout(spec)
        self.run_cols = [c for c in spec.columns if c.name in RUN_COLUMNS]
        if "parquet" in spec.formats and "parquet" in dirs:
            self.schema = spec.arrow_schema()
            self.parquet_cols = spec.columns_for("parquet")
            f = stack.enter_context(atomic_write(dirs["parquet"] / f"{spec.name}.parquet", "wb"))
            self.parquet = pq.ParquetWriter(f, self.schema, compression="zstd")
            stack.callback(self.parquet.close)  # runs before the file is renamed into place
            if previous and "parquet" in previous:
                self.old_rows = OldRows(previous["parquet"], self.schema)
                stack.callback(self.old_rows.close)
        if "csv" in spec.formats and "csv" in dirs:
            f = stack.enter_context(atomic_write(dirs["csv"] / f"{spec.name}.csv", "wb"))
            self.csv = Splicer(f, (previous or {}).get("csv"))
            stack.callback(self.csv.release)
            header = io.StringIO(newline="")
            csv.writer(header).writerow([c.name for c in self.csv_cols])
            self.csv.write(header.getvalue().encode("utf-8-sig"))

    def write(self, frag: Fragment, values: list[dict[str, Any]]) -> tuple[int, int, np.ndarray, np.ndarray]:
        """`frag`'s rows, the run-level columns taken from `values` (one dict per plan of the fragment); where
        they went: (first row, first CSV byte, where each row ends in the CSV bytes from there, each row's
        characters of text)."""
        n = frag.rows
        self._copy_rows()
        row0, byte0 = self.count, self.csv.pos if self.csv is not None else 0
        chars = np.zeros(n, dtype=np.int64)
        ends = np.zeros(n + 1, dtype=np.int64)
        if not n:
            return row0, byte0, ends, chars
        self.count += n
        run: dict[str, list] = {}
        for c in self.run_cols:
            per_plan = [v[c.name] for v in values]
            run[c.name] = [per_plan[k] for k in frag.plan.tolist()]
        try:
            arrays = {c.name: pa.array(run[c.name], c.type) for c in self.run_cols}
        except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
            raise ValueError(f"table {self.spec.name}: a value does not fit the schema: {e}") from None
        if self.parquet is not None:
            chars = frag.chars.copy()
            for c in self.run_cols:
                chars += np.fromiter(_text_chars(run[c.name]), dtype=np.int64, count=n)
            fields = dict(zip((f.name for f in frag.parquet.type), frag.parquet.flatten()))
            table = pa.Table.from_arrays([arrays[c.name] if c.name in arrays else fields[c.name]
                                          for c in self.parquet_cols], schema=self.schema)
            self._add_parquet(table, chars)
        if self.csv is not None:
            run_cols = [c for c in self.csv_layout if not isinstance(c, list)]
            run_cells = dict(zip((c.name for c in run_cols),
                                 csv_cells([csv_column(c, run[c.name], arrays[c.name]) for c in run_cols])))
            stretches = iter(frag.csv.flatten())
            body, ends = csv_rows([next(stretches) if isinstance(c, list) else run_cells[c.name]
                                   for c in self.csv_layout])
            self.csv.write(body)
        return row0, byte0, ends, chars

    def splice(self, placed: Placed, chars: Callable[[str], np.ndarray]) -> Placed:
        """An input's rows of the previous files (`placed`: where they are there; `chars(table)`: their
        characters of text), copied; where they are in these."""
        n = placed.row_end - placed.row_start
        now = Placed(self.csv.pos if self.csv is not None else 0, 0, self.count, self.count + n)
        if self.csv is not None:
            self.csv.copy(placed.csv_start, placed.csv_end)
            now.csv_end = now.csv_start + placed.csv_end - placed.csv_start
        if n and self.parquet is not None:
            if self.splice_rows and self.splice_rows[1] == placed.row_start:
                self.splice_rows[1] = placed.row_end
                self.splice_rows[2].append(chars(self.spec.name))
            else:
                self._copy_rows()
                self.splice_rows = [placed.row_start, placed.row_end, [chars(self.spec.name)]]
        self.count += n
        return now

    def _copy_rows(self) -> None:
        if not self.splice_rows:
            return
        start, end, chars = self.splice_rows
        self.splice_rows = None
        chars = np.concatenate(chars)
        at = 0
        for table in self.old_rows.read(start, end):
            self._add_parquet(table, chars[at: at + table.num_rows])
            at += table.num_rows

    def _add_parquet(self, table: pa.Table, chars: np.ndarray) -> None:
        n = table.num_rows
        cum = np.cumsum(chars)
        start = 0
        while start < n:
            base = int(cum[start - 1]) if start else 0
            by_rows = start + BATCH_ROWS - self.pending_rows - 1           # index of the row that fills the batch
            by_chars = int(np.searchsorted(cum, BATCH_CHARS - self.pending_chars + base, side="left"))
            end = min(by_rows, by_chars)
            if end >= n:
                self.pending.append(table.slice(start))
                self.pending_rows += n - start
                self.pending_chars += int(cum[-1]) - base
                return
            self.pending.append(table.slice(start, end + 1 - start))
            self.pending_rows = self.pending_chars = 0
            self._write_pending()
            start = end + 1

    def _write_pending(self) -> None:
        if self.pending:
            table = self.pending[0] if len(self.pending) == 1 else pa.concat_tables(self.pending)
            self.parquet.write_table(table.combine_chunks())
        self.pending = []
        self.pending_rows = self.pending_chars = 0

    def close(self) -> None:
        if self.parquet is not None:
            self._copy_rows()
            self._write_pending()
        if self.csv is not None:
            self.csv.close()


class TableWriter:
    """The Parquet and CSV files of every table under `out_dir`, filled in order with `add` (encoded fragments)
    and `add_plans` (plans to encode); they all appear together when the `with` block ends without error (each
    written to a temporary name, then renamed), else none of them is replaced.

    Arrow's kernels cost per call, not per row: what is added waits until `FLUSH_PLANS` plans or `FLUSH_BYTES`
    are pending, then the waiting plans are encoded together and everything is written together.

    `splice` copies an input's share of the `previous` files instead (`shares.py`). `placed` says, per call of
    `add`, `add_plans` or `splice` in order, where that input's rows of each table went."""

    def __init__(self, out_dir: Path, formats: tuple[str, ...] = ("parquet", "csv"),
                 dirs: dict[str, Path] | None = None, previous: dict[str, dict[str, Path]] | None = None):
        """`formats`: which of Parquet and CSV to write; `dirs`: a folder per format (default `out_dir`);
        `previous`: the files `splice` copies from, {table: {format: path}}."""
        self.out_dir = Path(out_dir)
        self.dirs = {fmt: Path((dirs or {}).get(fmt, out_dir)) for fmt in formats}
        self.previous = previous or {}
        self.pending: list[list] = []   # [fragments (None: plans to encode), plans or None, values]
        self.pending_plans = self.pending_bytes = 0
        self.placed: list[dict[str, Placed]] = []

    def __enter__(self) -> TableWriter:
        for d in self.dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        self.stack = ExitStack().__enter__()
        try:
            self.sinks = [_Sink(spec, self.dirs, self.stack, self.previous.get(spec.name)) for spec in table_specs()
                          if set(self.dirs) & set(spec.formats)]
        except BaseException:
            self.stack.__exit__(*sys.exc_info())
            raise
        return self

    def add(self, fragments: dict[str, Fragment], values: list[dict[str, Any]]) -> None:
        """One list of plans' fragments (`encode`), with their run-level values (`run_values`), in order."""
        size = sum((f.parquet if f.parquet is not None else f.csv).nbytes for f in fragments.values() if f.rows)
        self._queue([fragments, None, values], len(values), size)

    def add_plans(self, plans: list[dict], values: list[dict[str, Any]]) -> None:
        """One list of plans (`plans.jsonl` records) to encode with the others waiting, and their run-level
        values, in order."""
        size = sum(3 * (len(p.get("text") or "") + len(p.get("original_text") or "")) for p in plans)
        self._queue([None, plans, values], len(plans), size)

    def splice(self, placed: dict[str, Placed], chars: Callable[[str], np.ndarray]) -> None:
        """One input's rows of the previous files, copied (`placed`: where they are there, by table;
        `chars(table)`: their characters of text)."""
        self.flush()
        self.placed.append({sink.spec.name: sink.splice(placed[sink.spec.name], chars)
                            for sink in self.sinks})

    def _queue(self, item: list, plans: int, size: int) -> None:
        self.pending.append(item)
        self.pending_plans += plans
        self.pending_bytes += size
        if self.pending_plans >= FLUSH_PLANS or self.pending_bytes >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        raw = [item for item in self.pending if item[0] is None]
        if raw:
            fragments = encode([p for item in raw for p in item[1]])
            at = 0
            for item in raw:
                n = len(item[1])
                item[0] = slice_fragments(fragments, at, at + n)
                at += n
        bounds = np.cumsum([0] + [len(item[2]) for item in self.pending])  # each item's plans in the join
        placed: list[dict[str, Placed]] = [{} for _ in self.pending]
        for sink in self.sinks:
            frag, values = _join([(item[0][sink.spec.name], item[2]) for item in self.pending])
            row0, byte0, ends, chars = sink.write(frag, values)
            cuts = np.searchsorted(frag.plan, bounds)  # each item's rows: cuts[k]..cuts[k + 1]
            for k, (lo, hi) in enumerate(zip(cuts[:-1].tolist(), cuts[1:].tolist())):
                placed[k][sink.spec.name] = Placed(byte0 + int(ends[lo]), byte0 + int(ends[hi]), row0 + lo,
                                                   row0 + hi, chars[lo:hi])
        self.placed += placed
        self.pending, self.pending_plans, self.pending_bytes = [], 0, 0

    def counts(self) -> dict[str, int]:
        return {sink.spec.name: sink.count for sink in self.sinks}

    def __exit__(self, *exc) -> bool:
        if exc[0] is None:
            try:
                self.flush()
                for sink in self.sinks:
                    sink.close()
            except BaseException:
                self.stack.__exit__(*sys.exc_info())  # the temporary files go; nothing is renamed
                raise
        return self.stack.__exit__(*exc)


def slice_fragments(fragments: dict[str, Fragment], first: int, end: int) -> dict[str, Fragment]:
    """The rows of plans `first`..`end - 1` of every table, as fragments of those plans (zero-copy)."""
    return {name: _slice(f, first, end) for name, f in fragments.items()}


def _slice(frag: Fragment, first: int, end: int) -> Fragment:
    """The rows of plans `first`..`end - 1` of `frag`, as a fragment of those plans (zero-copy)."""
    lo, hi = np.searchsorted(frag.plan, [first, end])
    lo, hi = int(lo), int(hi)
    return Fragment(hi - lo, frag.plan[lo:hi] - first,
                    frag.parquet.slice(lo, hi - lo) if frag.parquet is not None else None,
                    frag.csv.slice(lo, hi - lo) if frag.csv is not None else None,
                    frag.chars[lo:hi] if frag.chars is not None else None)


def _join(parts: list[tuple[Fragment, list]]) -> tuple[Fragment, list]:
    """Fragments of consecutive lists of plans (with their values) as one fragment of all the plans."""
    values: list = []
    plan, frags = [], []
    for frag, vs in parts:
        if frag.rows:
            plan.append(frag.plan + len(values))
            frags.append(frag)
        values += vs
    if not frags:
        return Fragment(0, np.zeros(0, dtype=np.int64), None, None, None), values
    if len(frags) == 1:
        f = frags[0]
        return Fragment(f.rows, plan[0], f.parquet, f.csv, f.chars), values
    return Fragment(
        sum(f.rows for f in frags), np.concatenate(plan),
        pa.concat_arrays([f.parquet for f in frags]) if frags[0].parquet is not None else None,
        pa.concat_arrays([f.csv for f in frags]) if frags[0].csv is not None else None,
        np.concatenate([f.chars for f in frags]) if frags[0].chars is not None else None), values


def write_tables(plans_jsonl: Path, out_dir: Path, xlsx: bool = True) -> dict[str, int]:
    """`plans.jsonl` -> `out_dir/NAME.parquet`, `NAME.csv` per table and (if `xlsx`) `plans.xlsx`;
    {table: rows}. (A run writes the same files from the fragments its files were encoded into.)

    All files appear together at the end (each written to a temporary name, then renamed); on error none
    of them is replaced."""
    out_dir = Path(out_dir)
    with TableWriter(out_dir) as writer:
        for plans in read_chunks(Path(plans_jsonl)):
            writer.add_plans(plans, [run_values(p) for p in plans])
    if xlsx:
        from .xlsx import write_workbook

        write_workbook(plans_jsonl, out_dir)
    counts = writer.counts()
    counts.update({s.name: 0 for s in table_specs() if s.name not in counts})
    return counts
