"""Cells of the CSV and XLSX tables: spreadsheet safety and the CSV text of whole columns at once.

Spreadsheet safety: in CSV and XLSX a text cell that begins with `=`, `+`, `-`, `@`, tab or carriage return is
prefixed with `'` (OWASP "CSV injection"), so Excel/LibreOffice/Sheets show it as text instead of evaluating it;
Parquet keeps the raw value. Lists and objects are JSON text in a CSV cell.

A batch's CSV cells are made column by column with Arrow compute kernels (formula guard, quoting, joining) from
the columns' raw values (`TableSpec.build`), exactly as `csv.writer` (QUOTE_MINIMAL, `\r\n`) writes them, instead
of a Python call per cell.
"""
from __future__ import annotations

import json
from typing import Any

import numpy as np
import pyarrow as pa

from .columns import Column

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: str) -> str:
    """A text cell made inert for spreadsheets: `'` before a leading `=`, `+`, `-`, `@`, tab or CR."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _to_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def sheet_value(col: Column, value: Any) -> Any:
    """A value for a CSV/XLSX cell: lists and objects as JSON; text neutralized."""
    if value is None:
        return None
    if col.kind in ("list", "struct", "json") and not isinstance(value, str):
        value = _to_json(value)
    if isinstance(value, str):
        return neutralize(value)
    return value


_JSON = json.JSONEncoder(ensure_ascii=False)   # == json.dumps(value, ensure_ascii=False), without its set-up
_encode_str = json.encoder.encode_basestring   # what that encoder does with a str
_QUOTE_LUT = np.zeros(256, dtype=bool)     # bytes that make csv.writer (QUOTE_MINIMAL) quote a field: , " CR LF
_QUOTE_LUT[[ord(c) for c in ',"\r\n']] = True
_QUOTE_MAX = max(ord(c) for c in ',"\r\n')
_FORMULA_LUT = np.zeros(256, dtype=bool)   # first bytes that start a formula
_FORMULA_LUT[[ord(c) for c in FORMULA_PREFIXES]] = True
_CSV_NL = "\r\n"                 # csv.writer's lineterminator


def dumps(value: Any) -> str:
    if value.__class__ is list:
        if not value:
            return "[]"
        if all(v.__class__ is str for v in value):  # the encoder's own string escaping, without its set-up
            return "[" + ", ".join(map(_encode_str, value)) + "]"
    return _JSON.encode(value)


def json_cells(values: list) -> list:
    """Lists/objects as JSON text (strings and None as they are)."""
    return [v if v is None or v.__class__ is str else dumps(v) for v in values]


def csv_text(arr: pa.Array) -> pa.Array:
    """Text cells as csv.writer writes them: formula guard, then quotes when needed; null -> ''.

    The cells that need either are found on the UTF-8 bytes at once (every trigger is one ASCII byte, which
    UTF-8 never uses inside another character); only those cells are rewritten."""
    import pyarrow.compute as pc

    n = len(arr)
    if n == 0:
        return pa.array([], pa.string())
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=np.int32)[arr.offset: arr.offset + n + 1]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, dtype=np.uint8)
    lo, hi = int(offsets[0]), int(offsets[-1])
    low = np.flatnonzero(data[lo:hi] <= _QUOTE_MAX) + lo    # one fast pass; the table lookup only on those
    hits = low[_QUOTE_LUT[data[low]]]
    rows = np.searchsorted(offsets, hits, side="right") - 1
    starts = offsets[:-1]
    filled = np.flatnonzero(offsets[1:] > starts)
    formula = filled[_FORMULA_LUT[data[starts[filled]]]]
    flagged = np.union1d(rows, formula)
    if arr.null_count:
        flagged = flagged[np.asarray(arr.is_valid())[flagged]]
    if len(flagged):
        # the flagged cells only: `'` before a formula, then quotes (a neutralized CR start still needs them)
        sub = arr.take(pa.array(flagged))
        guard = np.isin(flagged, formula, assume_unique=True)
        if guard.any():
            sub = pc.if_else(pa.array(guard), pc.binary_join_element_wise("'", sub, ""), sub)
        quote = np.isin(flagged, rows)
        if quote.any():
            sub = pc.if_else(pa.array(quote), pc.binary_join_element_wise(
                '"', pc.replace_substring(sub, '"', '""'), '"', ""), sub)
        mask = np.zeros(n, dtype=bool)
        mask[flagged] = True
        arr = pc.replace_with_mask(arr, pa.array(mask), sub)
    return pc.fill_null(arr, "") if arr.null_count else arr


def _json_str_lists(raw: list, arr: pa.Array) -> pa.Array | None:
    """`json.dumps(list_of_str, ensure_ascii=False)` per cell, from the Arrow list array, when no string needs
    escaping (no `"`, `\\` or control character: then each is just quoted); else None."""
    import pyarrow.compute as pc

    if not pa.types.is_string(arr.type.value_type) or arr.offset or set(map(type, raw)) - {list, type(None)}:
        return None
    flat = arr.values
    if flat.null_count or flat.offset:
        return None
    bufs = flat.buffers()
    if bufs[2] is not None:
        offsets = np.frombuffer(bufs[1], dtype=np.int32)
        data = np.frombuffer(bufs[2], dtype=np.uint8)[offsets[0]: offsets[len(flat)]]
        if (data < 0x20).any() or (data == 0x22).any() or (data == 0x5C).any():
            return None
    quoted = pc.binary_join_element_wise('"', flat, '"', "")
    lists = pa.ListArray.from_arrays(arr.offsets, quoted, mask=arr.is_null() if arr.null_count else None)
    return pc.binary_join_element_wise("[", pc.binary_join(lists, ", "), "]", "")


def csv_column(col: Column, raw: list, arr: pa.Array | None) -> tuple[pa.Array, bool]:
    """One column of CSV cells from its raw values and, when it has one, its Arrow array: (cells, is_text).
    Text cells (`is_text`) still need `csv_text`; the others are final (strings, never null)."""
    import pyarrow.compute as pc

    if col.kind == "list" and arr is not None:
        fast = _json_str_lists(raw, arr)
        if fast is not None:
            return fast, True
    if col.kind in ("list", "struct"):
        return pa.array(json_cells(raw), pa.string()), True
    if col.kind == "json":
        return (arr if arr is not None else pa.array(json_cells(raw), pa.string())), True
    if arr is None:
        arr = pa.array(raw, col.type)
    if pa.types.is_string(col.type):
        return arr, True
    if pa.types.is_integer(col.type) and not (set(map(type, raw)) - {int, type(None)}):
        return pc.fill_null(pc.cast(arr, pa.string()), ""), False
    if pa.types.is_boolean(col.type) and not (set(map(type, raw)) - {bool, type(None)}):
        return pc.fill_null(pc.if_else(arr, "True", "False"), ""), False
    # floats (an int stays `3`, a float is `3.0`, as str() gives them) and anything unusual
    return pa.array(["" if v is None else str(v) for v in raw], pa.string()), False


def csv_cells(columns: list[tuple[pa.Array, bool]]) -> list[pa.Array]:
    """Final CSV cells per column; the text columns go through `csv_text` together (one call per kernel)."""
    texts = [a for a, is_text in columns if is_text]
    if not texts:
        return [a for a, _ in columns]
    done = csv_text(texts[0] if len(texts) == 1 else pa.concat_arrays(texts))
    cells, at = [], 0
    for a, is_text in columns:
        if is_text:
            cells.append(done.slice(at, len(a)))
            at += len(a)
        else:
            cells.append(a)
    return cells


def csv_rows(cells: list[pa.Array]) -> tuple[bytes, np.ndarray]:
    """Rows of CSV cells -> UTF-8 bytes, `,` between cells and `\\r\\n` after each row, and where each row ends
    in them (`ends[k]`: the end of row `k`, `ends[-1]` the length; one more element than there are rows, the first
    0)."""
    import pyarrow.compute as pc

    if not cells or len(cells[0]) == 0:
        return b"", np.zeros(1, dtype=np.int64)

    rows = pc.binary_join_element_wise(*cells, ",")
    rows = pc.binary_join_element_wise(rows, _CSV_NL, "")
    offsets = rows.buffers()[1]
    ends = np.frombuffer(offsets, dtype=np.int32)[rows.offset: rows.offset + len(rows) + 1]
    return rows.buffers()[2].to_pybytes()[ends[0]: ends[-1]], ends.astype(np.int64) - int(ends[0])
