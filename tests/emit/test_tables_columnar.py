"""The column-wise writer (`write_tables`) gives exactly what a row-by-row writing of each table (each plan's rows
on their own, `csv.writer`, one Arrow batch per `BATCH_ROWS` rows or `BATCH_CHARS` characters) gives: the same CSV
bytes, the same Parquet values and the same Parquet row groups, also for hostile cells."""
from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from pipeline.emit import jsonl, tables
from pipeline.emit.columns import table_specs
from pipeline.emit.csv_cells import sheet_value
from pipeline.emit.tables import write_tables
from pipeline.emit.xlsx import _xlsx_value, xlsx_text

from .sample import write_sample

HOSTILE = ["a,b", 'say "hi"', "line\nbreak", "cr\rhere", "=1+1", "+1", "-1", "@x", "\tTab", "\rCR", "x\n=y",
           "'=already", "", " =space first", "，全角逗号", "“引号”", 'both,"and"\n', "=", "-", "\r\n", "é=", "😀,"]


def _hostile_plans(d: Path) -> list[dict]:
    write_sample(d)
    plans = [json.loads(line) for line in (d / "plans.jsonl").read_text(encoding="utf-8").splitlines()]
    extra = copy.deepcopy(plans[0])
    extra["plan_id"] = "p-hostile00000"
    extra["title"] = HOSTILE[0]
    extra["issuer"] = None
    extra["doc_number"] = ""
    extra["source"]["path"] = "dir,with/comma\n.txt"
    extra["sections"] = [dict(extra["sections"][i % len(extra["sections"])], id=f"s{i + 1}")
                         for i in range(len(HOSTILE))]
    for i, s in enumerate(extra["sections"]):
        s["heading"] = HOSTILE[i % len(HOSTILE)]
        s["marker"] = HOSTILE[(i + 5) % len(HOSTILE)]
        s.pop("src_start", None)  # absent optional keys read as null
    for i, t in enumerate(extra["tasks"]):
        t["owners"] = HOSTILE[i % 7: i % 7 + 3]
        t["co_owners"] = [] if i % 2 else ["-协办", 'q"uote']
        t["path"] = ["一", "=二"]
        t["title"] = HOSTILE[(i + 3) % len(HOSTILE)]
        t["deadline"] = [None, {"text": "=3月底前", "last_day": "2021-03-31"}, {"value": "-1"},
                         {"text": "x", "extra": [1, 2.5]}][i % 4]
    for i, r in enumerate(extra["rules"]):
        r["amounts"] = [{"value": 500, "upto": 1000.0, "unit": "元"}, {"value": 0.1, "upto": None, "unit": "=元"},
                        {"value": 1e20, "upto": 2, "unit": "-"}][: i % 4]
        r["condition"] = HOSTILE[(i + 9) % len(HOSTILE)]
    empty = {"plan_id": "p-empty0000000", "schema": "plan/1", "text": "", "original_text": "=raw"}
    plans += [extra, empty]
    return plans


def _rows(spec, plan: dict) -> list[dict]:
    """One plan's rows of a table, one dict per row."""
    data = spec.build([plan])
    names = list(data)
    return [dict(zip(names, values)) for values in zip(*(data[n] for n in names))]


def _arrow_value(col, value):
    """A cell as Parquet holds it: an object or list in a JSON column as its JSON text."""
    if col.kind == "json" and value is not None and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write(d: Path, plans: list[dict]) -> Path:
    path = d / "plans.jsonl"
    path.write_text("".join(json.dumps(p, ensure_ascii=False, separators=(",", ":")) + "\n" for p in plans),
                    encoding="utf-8")
    return path


def _reference_csv(spec, plans: list[dict]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    cols = spec.columns_for("csv")
    w.writerow([c.name for c in cols])
    for p in plans:
        for row in _rows(spec, p):
            w.writerow([sheet_value(c, row.get(c.name)) for c in cols])
    return buf.getvalue().encode("utf-8-sig")


def _reference_row_groups(spec, plans: list[dict]) -> list[int]:
    groups, rows, chars = [], 0, 0
    for p in plans:
        for row in _rows(spec, p):
            rows += 1
            chars += sum(len(v) for v in row.values() if isinstance(v, str))
            if rows >= tables.BATCH_ROWS or chars >= tables.BATCH_CHARS:
                groups.append(rows)
                rows = chars = 0
    return groups + ([rows] if rows else [])


@pytest.mark.parametrize("small_batches", [False, True])
@pytest.mark.parametrize("loose_types", [False, True])
def test_outputs_match_the_row_by_row_definition(tmp_path, monkeypatch, small_batches, loose_types):
    if small_batches:  # cut batches and chunks everywhere, across chunk borders too
        monkeypatch.setattr(tables, "BATCH_ROWS", 3)
        monkeypatch.setattr(tables, "BATCH_CHARS", 700)
        monkeypatch.setattr(jsonl, "CHUNK_PLANS", 2)
    plans = _hostile_plans(tmp_path)
    if loose_types:  # values Arrow accepts in a column of another type
        plans[-2]["tasks"][0]["owners"] = "a str where a list belongs" * 20
        plans[-2]["tasks"][1]["deadline"] = "=a str where an object belongs"
        plans[-2]["tasks"][2]["start"] = 3.0
        plans[-2]["rules"][1]["amounts"][0]["value"] = True
    counts = write_tables(_write(tmp_path, plans), tmp_path)
    for spec in table_specs():
        rows = [r for p in plans for r in _rows(spec, p)]
        assert counts[spec.name] == len(rows), spec.name
        if "csv" in spec.formats:
            assert (tmp_path / f"{spec.name}.csv").read_bytes() == _reference_csv(spec, plans), spec.name
        if "parquet" in spec.formats:  # byte for byte what the row-by-row writer wrote
            cols = spec.columns_for("parquet")
            schema = spec.arrow_schema()
            buf = io.BytesIO()
            writer = pq.ParquetWriter(buf, schema, compression="zstd")
            at = 0
            for n in _reference_row_groups(spec, plans):
                batch = rows[at: at + n]
                at += n
                writer.write_table(pa.Table.from_pydict(
                    {c.name: [_arrow_value(c, r.get(c.name)) for r in batch] for c in cols}, schema=schema))
            writer.close()
            assert (tmp_path / f"{spec.name}.parquet").read_bytes() == buf.getvalue(), spec.name
    if small_batches:
        assert pq.read_metadata(tmp_path / "sections.parquet").num_row_groups > 3


def test_hostile_cells_in_csv(tmp_path):
    plans = _hostile_plans(tmp_path)
    write_tables(_write(tmp_path, plans), tmp_path, xlsx=False)
    with open(tmp_path / "sections.csv", encoding="utf-8-sig", newline="") as f:
        headings = [r["heading"] for r in csv.DictReader(f) if r["plan_id"] == "p-hostile00000"]
    assert "'=1+1" in headings and "x\n=y" in headings and "'\rCR" in headings and "a,b" in headings
    assert "'\tTab" in headings and "'-" in headings and "" in headings and " =space first" in headings
    with open(tmp_path / "rule_amounts.csv", encoding="utf-8-sig", newline="") as f:
        values = [(r["value"], r["upto"], r["unit"]) for r in csv.DictReader(f)]
    assert ("500", "1000.0", "元") in values and ("0.1", "", "'=元") in values and ("1e+20", "2", "'-") in values
    got = pq.read_table(tmp_path / "rule_amounts.parquet").column("value").to_pylist()
    assert 500.0 in got and 1e20 in got


def test_xlsx_sheets_in_table_order_and_cells_as_before(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl, "CHUNK_PLANS", 1)  # tables get their first rows in different chunks
    plans = _hostile_plans(tmp_path)
    write_tables(_write(tmp_path, plans), tmp_path)
    wb = load_workbook(tmp_path / "plans.xlsx", read_only=True)
    assert wb.sheetnames == [s.name for s in table_specs() if "xlsx" in s.formats]
    for spec in table_specs():
        cols = spec.columns_for("xlsx")
        want = [tuple(c.name for c in cols)]
        for p in plans:
            for row in _rows(spec, p):
                cells = [_xlsx_value(c, row.get(c.name)) for c in cols]
                want.append(tuple(xlsx_text(v) if isinstance(v, str) else v for v in cells))
        got = [tuple(r) for r in wb[spec.name].iter_rows(values_only=True)]
        def norm(rows):  # a read-only sheet drops trailing empty cells
            out = []
            for r in rows:
                r = ["" if v is None else v for v in r]
                while r and r[-1] == "":
                    r.pop()
                out.append(r)
            return out
        assert norm(got) == norm(want), spec.name


def test_a_value_of_the_wrong_type_fails_before_anything_is_replaced(tmp_path):
    plans = _hostile_plans(tmp_path)
    write_tables(_write(tmp_path, plans), tmp_path, xlsx=False)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.suffix in (".csv", ".parquet")}
    bad = copy.deepcopy(plans)
    bad[-2]["tasks"][0]["start"] = "12"
    with pytest.raises(ValueError):
        write_tables(_write(tmp_path, bad), tmp_path, xlsx=False)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.suffix in (".csv", ".parquet")}
    assert after == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
