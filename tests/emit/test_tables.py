"""Flat tables (Parquet, CSV, XLSX) and the DuckDB database agree with plans.jsonl row for row; spreadsheet
cells cannot run formulas; every output is replaced atomically."""
from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from pipeline.emit.database import VIEWS, is_day, write_database
from pipeline.emit.columns import table_specs
from pipeline.emit.csv_cells import FORMULA_PREFIXES, neutralize
from pipeline.emit.tables import write_tables
from pipeline.emit.xlsx import XLSX_MAX_CHARS

from .sample import C_TEXT, FORMULA_OWNER, SCRIPT, write_sample

ITEM_TABLES = ["sections", "tasks", "phases", "dates", "people", "rules"]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("tables")
    write_sample(d)
    counts = write_tables(d / "plans.jsonl", d)
    write_database(d)
    (d / "counts.json").write_text(json.dumps(counts))
    return d


def _plans(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "plans.jsonl").read_text(encoding="utf-8").splitlines()]


def _expected(out: Path, table: str) -> list[dict]:
    """Rows of an item table as projected by hand from plans.jsonl."""
    rows = []
    for p in _plans(out):
        for i, item in enumerate(p[table]):
            rows.append({"plan_id": p["plan_id"], "idx": i, **item})
    return rows


def _same(got, want) -> bool:
    if isinstance(want, float) or isinstance(got, float):
        return got is not None and want is not None and abs(float(got) - float(want)) < 1e-9
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(_same(g, w) for g, w in zip(got, want))
    if isinstance(want, dict):
        if isinstance(got, str):
            got = json.loads(got)
        return all(_same(got.get(k), v) for k, v in want.items())
    return got == want


def _csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _cell(value) -> str:
    """What the CSV must hold for a raw value."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    return neutralize(value) if isinstance(value, str) else str(value)


def test_counts_are_rows_per_table(out):
    counts = json.loads((out / "counts.json").read_text())
    plans = _plans(out)
    assert counts["plans"] == counts["texts"] == len(plans) == 4
    for t in ITEM_TABLES:
        assert counts[t] == sum(len(p[t]) for p in plans) > 0
    assert counts["task_owners"] == sum(len(t["owners"]) + len(t["co_owners"]) for p in plans for t in p["tasks"])
    assert counts["rule_amounts"] == sum(len(r["amounts"]) for p in plans for r in p["rules"]) == 2
    for spec in table_specs():
        if "parquet" in spec.formats:
            assert pq.read_metadata(out / f"{spec.name}.parquet").num_rows == counts[spec.name]


@pytest.mark.parametrize("table", ITEM_TABLES)
def test_parquet_and_duckdb_item_rows_agree_with_jsonl(out, table):
    want = _expected(out, table)
    got_pq = pq.read_table(out / f"{table}.parquet").to_pylist()
    with duckdb.connect(str(out / "plans.duckdb"), read_only=True) as con:
        cur = con.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cur.description]
        got_db = [dict(zip(names, r)) for r in cur.fetchall()]
    assert len(got_pq) == len(got_db) == len(want)
    for g_pq, g_db, w in zip(got_pq, got_db, want):
        for key, value in w.items():
            assert _same(g_pq[key], value), (table, key, g_pq[key], value)
            if is_day(key):  # a DATE in the database (NULL for an unknown year), its text beside it
                assert g_db[f"{key}_text"] == value
                assert g_db[key] == (date.fromisoformat(value) if value and value[:4].isdigit() else None)
            elif isinstance(value, dict):  # a STRUCT of the object's shape: keys it lacks are NULL
                assert {k: v for k, v in g_db[key].items() if v is not None} == {
                    k: v for k, v in value.items() if v is not None}, (table, key)
            else:
                assert _same(g_db[key], value), (table, key, g_db[key], value)
        for column in g_pq:
            assert column in w or column.startswith(tuple(f"{k}_" for k in w)), column


def test_plans_table_flattens_source_and_counts_items(out):
    rows = pq.read_table(out / "plans.parquet").to_pylist()
    with duckdb.connect(str(out / "plans.duckdb"), read_only=True) as con:
        db = con.execute("SELECT plan_id, text, source_span_end, n_tasks FROM plans").fetchall()
    plans = _plans(out)
    assert [r["plan_id"] for r in rows] == [p["plan_id"] for p in plans] == [d[0] for d in db]
    for r, p, d in zip(rows, plans, db):
        for key in ("schema", "script", "title", "doc_number", "issuer", "issue_date", "year", "duplicate_of"):
            assert r[key] == p[key]
        for key, value in p["source"].items():
            if key == "span":
                assert [r["source_span_start"], r["source_span_end"]] == value
            else:  # a nested list (source.ocr_flagged) is a JSON column
                got = r[f"source_{key}"]
                assert (json.loads(got) if isinstance(value, list) else got) == value
        for t in ITEM_TABLES:
            assert r[f"n_{t}"] == len(p[t])
        assert r["text"] == p["text"] == d[1] and r["original_text"] == p["original_text"]  # raw, untruncated
        assert r["text_chars"] == len(p["text"]) and d[2] == p["source"]["span"][1] and d[3] == len(p["tasks"])


def test_parquet_columns_carry_descriptions(out):
    schema = pq.read_schema(out / "tasks.parquet")
    assert all(f.metadata and f.metadata[b"description"] for f in schema)
    assert schema.field("owners").type.value_type == schema.field("id").type  # list<string>


@pytest.mark.parametrize("table", ["plans", "tasks", "task_owners", "people", "rules", "rule_amounts", "texts"])
def test_csv_has_bom_and_agrees_with_parquet(out, table):
    raw = (out / f"{table}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(out / f"{table}.csv")
    if table == "texts":
        plans = _plans(out)
        assert [r["text"] for r in rows] == [_cell(p["text"]) for p in plans]
        return
    want = pq.read_table(out / f"{table}.parquet").to_pylist()
    assert len(rows) == len(want)
    for r, w in zip(rows, want):
        for key in r:
            value = w[key]
            if isinstance(value, float):
                assert float(r[key]) == value
            elif isinstance(value, bool):
                assert r[key] == str(value)
            elif key == "amounts":
                assert _same(json.loads(r[key]), value)
            else:
                assert r[key] == _cell(value), (table, key)
    if table == "plans":
        assert "text" not in rows[0] and "original_text" not in rows[0]


def test_formula_cells_are_neutralized_in_csv_and_xlsx_but_raw_in_parquet(out):
    owners = _csv_rows(out / "task_owners.csv")
    names = {r["owner"] for r in owners}
    assert "'" + FORMULA_OWNER in names and "'@SUM(1+1)" in names and "'\t制表符单位" in names
    plans = {r["plan_id"]: r for r in _csv_rows(out / "plans.csv")}
    assert any(r["title"] == "'=1+1 校园读书月活动计划" for r in plans.values())
    assert any(r["issuer"] == "'-2+3" for r in plans.values())
    assert any(r["doc_number"].startswith("'+1") for r in plans.values())
    people = _csv_rows(out / "people.csv")
    assert "'\r组长" in {r["role"] for r in people} and "'+主任" in {r["title"] for r in people}
    for path in out.glob("*.csv"):
        for row in csv.reader(open(path, encoding="utf-8-sig", newline="")):
            assert not any(c.startswith(FORMULA_PREFIXES) for c in row), (path.name, row)
    raw = pq.read_table(out / "task_owners.parquet").column("owner").to_pylist()
    assert FORMULA_OWNER in raw and "@SUM(1+1)" in raw

    wb = load_workbook(out / "plans.xlsx", read_only=True)
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    assert c.data_type == "s" and not c.value.startswith(FORMULA_PREFIXES), (ws.title, c.value)
                    seen += c.value == "'" + FORMULA_OWNER
    assert seen >= 1


def test_xlsx_has_a_sheet_per_table_with_every_row_and_truncates_long_cells(out):
    counts = json.loads((out / "counts.json").read_text())
    wb = load_workbook(out / "plans.xlsx", read_only=True)
    sheets = [s.name for s in table_specs() if "xlsx" in s.formats]
    assert wb.sheetnames == sheets
    for name in sheets:
        assert sum(1 for _ in wb[name].iter_rows()) == counts[name] + 1, name  # header + rows
    plans = _plans(out)
    long_plan = max(plans, key=lambda p: len(p["text"]))
    assert len(long_plan["text"]) > XLSX_MAX_CHARS
    texts = {r[0]: r[1] for r in wb["texts"].iter_rows(min_row=2, values_only=True)}
    cell = texts[long_plan["plan_id"]]
    assert len(cell) <= XLSX_MAX_CHARS and "truncated" in cell[-40:]
    assert long_plan["text"].startswith(cell[1:200])  # after the formula guard
    header = [c.value for c in next(wb["plans"].iter_rows(max_row=1))]
    assert "text" not in header and "text_chars" in header
    xlsx_script = [r for r in wb["people"].iter_rows(min_row=2, values_only=True) if SCRIPT in r]
    assert xlsx_script  # text kept as text


def test_views_work_through_the_python_api(out):
    plans = _plans(out)
    a, b, c = plans[0]["plan_id"], plans[1]["plan_id"], plans[2]["plan_id"]
    con = duckdb.connect(str(out / "plans.duckdb"), read_only=True)
    assert set(VIEWS) <= {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    work = {(r[0], r[1]): r[2:] for r in con.execute("select * from owner_workload").fetchall()}
    assert work[(a, "保卫科")] == (1, 0) and work[(a, "后勤管理科")] == (1, 1)
    assert work[(c, "\t制表符单位")] == (0, 1)
    mods = dict(((r[0], r[1]), r[2]) for r in con.execute("select * from rule_modalities").fetchall())
    assert mods[(a, "sanction")] == 1 and mods[(c, "prohibition")] == 1
    dups = con.execute("select plan_id, duplicate_of, original_source_path from duplicates").fetchall()
    assert dups == [(b, a, "fixtures/a.txt")]
    tl = con.execute('select plan_id, phase_order, start_date, year_unknown, inconsistent, tasks from plan_timeline '
                     'where plan_id = ?', [c]).fetchall()
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in tl] == [(1, None, True, False, 1), (2, None, True, True, 1)]
    assert str(con.execute("select start_date from plan_timeline where plan_id = ? and phase_order = 1",
                           [a]).fetchone()[0]) == "2021-03-01"
    comment = con.execute("select comment from duckdb_tables() where table_name = 'tasks'").fetchone()[0]
    assert comment and "One row per item" in comment


def test_the_workbook_opens_ready_to_read(out):
    from openpyxl import load_workbook

    wb = load_workbook(out / "plans.xlsx")
    for spec in table_specs():
        if "xlsx" not in spec.formats:
            continue
        ws = wb[spec.name]
        names = [c.name for c in spec.columns_for("xlsx")]
        assert ws.freeze_panes == "A2" and ws["A1"].font.b, spec.name
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(names)).column_letter}{ws.max_row}", spec.name
        widths = {name: ws.column_dimensions[ws.cell(1, i).column_letter].width for i, name in enumerate(names, 1)}
        assert all(6 <= w <= 60 for w in widths.values()), (spec.name, widths)
    tasks = wb["tasks"]
    header = [c.value for c in tasks[1]]
    owners = [row[header.index("owners")] for row in tasks.iter_rows(min_row=2, values_only=True)]
    assert "药剂科、检验科" in owners                       # a list of names: one text joined with 、
    widths = {h: tasks.column_dimensions[tasks.cell(1, i).column_letter].width for i, h in enumerate(header, 1)}
    assert widths["idx"] < widths["title"] < widths["text"] == 60   # fitted to the cells, long texts capped


def test_days_are_dates_and_plain_sql_works_through_the_views(out):
    con = duckdb.connect(str(out / "plans.duckdb"), read_only=True)
    types = dict(con.execute("select column_name, data_type from duckdb_columns() where table_name = 'phases'")
                 .fetchall())
    assert types["first_day"] == types["last_day"] == "DATE" and types["first_day_text"] == "VARCHAR"
    deadline = con.execute("select data_type from duckdb_columns() where table_name = 'tasks' and "
                           "column_name = 'deadline'").fetchone()[0]
    assert deadline.startswith("STRUCT(") and "last_day VARCHAR" in deadline
    # date arithmetic, struct fields and no quoting of keywords, through the views
    rows = con.execute("select phase_order, last_day - first_day, end_offset > start_offset from phases_view "
                       "where first_day is not null order by plan_id, phase_order").fetchall()
    assert rows and all(isinstance(days, int) and later for _, days, later in rows)
    assert con.execute("select count(*) from tasks where deadline.last_day is not null").fetchone()[0] > 0
    assert con.execute("select count(*) from people_view where group_name is not null").fetchone()[0] >= 0
    views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert {"phases_view", "tasks_view", "people_view", "sections_view", "dates_view", "rules_view"} <= views


def _snapshot(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if p.is_file()}


def test_no_temporary_files_are_left(out):
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("bad_line", [
    "{not json",
    '{"plan_id": "p-000000000000", "year": "not a number"}',
])
def test_a_failed_write_leaves_the_previous_outputs_intact(tmp_path, bad_line):
    write_sample(tmp_path)
    write_tables(tmp_path / "plans.jsonl", tmp_path)
    write_database(tmp_path)
    before = _snapshot(tmp_path)
    with open(tmp_path / "plans.jsonl", "a", encoding="utf-8") as f:
        f.write(bad_line + "\n")
    with pytest.raises(ValueError):
        write_tables(tmp_path / "plans.jsonl", tmp_path)
    after = _snapshot(tmp_path)
    after.pop("plans.jsonl"), before.pop("plans.jsonl")
    assert after == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_failed_database_build_keeps_the_previous_database(tmp_path):
    write_sample(tmp_path)
    write_tables(tmp_path / "plans.jsonl", tmp_path)
    db = write_database(tmp_path)
    before = db.read_bytes()
    (tmp_path / "tasks.parquet").write_bytes(b"PAR1 broken")
    with pytest.raises(duckdb.Error):
        write_database(tmp_path)
    assert db.read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    (tmp_path / "tasks.parquet").unlink()
    with pytest.raises(FileNotFoundError):
        write_database(tmp_path)


def test_an_empty_run_gives_empty_tables_with_their_columns(tmp_path):
    (tmp_path / "plans.jsonl").write_text("", encoding="utf-8")
    counts = write_tables(tmp_path / "plans.jsonl", tmp_path)
    assert set(counts.values()) == {0}
    write_database(tmp_path)
    con = duckdb.connect(str(tmp_path / "plans.duckdb"), read_only=True)
    assert con.execute("select count(*) from owner_workload").fetchone() == (0,)
    cols = [r[0] for r in con.execute("describe tasks").fetchall()]
    assert cols[:3] == ["plan_id", "idx", "id"] and "owners" in cols
    assert (tmp_path / "tasks.csv").read_bytes().startswith(b"\xef\xbb\xbfplan_id,idx,id")


@pytest.mark.parametrize("how", ["command", "library"])
def test_a_batch_command_does_not_import_pandas_and_a_library_run_leaves_pyarrow_as_it_was(tmp_path, how):
    """`arrow_without_pandas`: `plans run` (Parquet, CSV, DuckDB) never imports pandas, which pyarrow would import
    on its first array (0.2 s); `run()` called from a library user's process leaves pyarrow's pandas handling
    alone (a categorical it is given afterwards is still one)."""
    import subprocess
    import sys

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "plan.txt").write_text(C_TEXT, encoding="utf-8")
    inp, out = str(tmp_path / "in"), str(tmp_path / "out")
    batch = (f"from pipeline.cli import main; assert main(['run', {inp!r}, '--out', {out!r}, '-q', '--no-cache']) == 0"
             if how == "command" else
             f"from pipeline.run import run; assert run([{inp!r}], {out!r}, jobs=1, use_cache=False).written")
    code = f"""
import sys
{batch}
print('pandas' in sys.modules)
import pandas as pd
import pyarrow as pa
print(pa.array(pd.Categorical(['a', 'b', 'a'])).type)
"""
    lines = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    if how == "command":
        assert lines[0] == "False"
    else:
        assert lines[1].startswith("dictionary<")
