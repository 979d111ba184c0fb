"""The `reuse_pairs` table that `plans compare` writes into the dataset: which pairs, their passages with offsets
that round-trip into both plans' texts, in the formats the run wrote, the same for any number of processes."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from compare.families import T_TEXT, family_texts, variant, write_dataset

from pipeline.cli import main
from pipeline.compare import compare, load_dataset
from pipeline.compare import reuse_table as rt
from pipeline.compare.similarity import Pair

ROOT = Path(__file__).resolve().parents[2]


def _texts(out: Path) -> dict[str, str]:
    return {p["plan_id"]: p["text"] for p in load_dataset(out).plans}


def _with_database(out: Path) -> Path:
    """A `plans.duckdb` beside the dataset, as a run that chose DuckDB leaves it (a table of its own)."""
    con = duckdb.connect(str(out / "plans.duckdb"))
    con.execute("CREATE TABLE plans AS SELECT 'p-000000000000' AS plan_id")
    con.close()
    return out


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = write_dataset(tmp_path_factory.mktemp("reuse"), family_texts(8),
                        formats=("jsonl", "parquet", "csv", "duckdb"))
    _with_database(out)
    compare(out, out / "report.html")
    return out


def test_every_passage_points_into_both_plans_texts(dataset):
    texts = _texts(dataset)
    rows = pq.read_table(dataset / "reuse_pairs.parquet").to_pylist()
    assert len(rows) > 50
    for r in rows:
        a, b = texts[r["plan_id_a"]], texts[r["plan_id_b"]]
        assert a[r["a_start"]:r["a_end"]] == r["a_text"]
        assert r["identical"] == (r["b_text"] is None)
        assert b[r["b_start"]:r["b_end"]] == (r["a_text"] if r["identical"] else r["b_text"])
        assert 0 < r["score"] <= 1 and 0 < r["a_share"] <= 1 and 0 < r["b_share"] <= 1


def test_pairs_are_listed_once_in_dataset_order_with_their_passages_numbered(dataset):
    ids = load_dataset(dataset).ids
    rows = pq.read_table(dataset / "reuse_pairs.parquet").to_pylist()
    keys = [(ids.index(r["plan_id_a"]), ids.index(r["plan_id_b"]), r["passage"]) for r in rows]
    assert keys == sorted(keys) and all(a < b for a, b, _ in keys)
    by_pair: dict[tuple, list[int]] = {}
    for a, b, k in keys:
        by_pair.setdefault((a, b), []).append(k)
    assert all(ks == list(range(1, len(ks) + 1)) for ks in by_pair.values())


def test_each_plan_with_a_similar_plan_is_in_the_table(dataset):
    rows = pq.read_table(dataset / "reuse_pairs.parquet", columns=["plan_id_a", "plan_id_b"]).to_pylist()
    listed = {r["plan_id_a"] for r in rows} | {r["plan_id_b"] for r in rows}
    assert listed == set(load_dataset(dataset).ids)  # every variant has its family


def test_the_table_is_in_parquet_csv_and_duckdb_with_its_descriptions(dataset):
    table = pq.read_table(dataset / "reuse_pairs.parquet")
    assert table.column_names == [name for name, _, _ in rt.COLUMNS]
    assert table.schema.metadata[b"table"] == b"reuse_pairs"
    assert all(table.schema.field(name).metadata[b"description"].decode() == text for name, _, text in rt.COLUMNS)
    with open(dataset / "reuse_pairs.csv", encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == table.column_names and len(lines) == table.num_rows + 1
    con = duckdb.connect(str(dataset / "plans.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM reuse_pairs").fetchone()[0] == table.num_rows
        comments = dict(con.execute("SELECT column_name, comment FROM duckdb_columns() "
                                    "WHERE table_name = 'reuse_pairs'").fetchall())
        assert comments == {name: text for name, _, text in rt.COLUMNS}
        assert con.execute("SELECT count(*) FROM plans").fetchone()[0] == 1  # the run's tables are left alone
    finally:
        con.close()


def test_the_report_shows_the_top_of_the_table(dataset):
    text = (dataset / "report.html").read_text(encoding="utf-8")
    assert '<table class="reuse-top">' in text and "reuse_pairs.parquet" in text


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://example.invalid","点击")', "+1 通知", "-2 条", "@SUM(1)", "\t表"])
def test_csv_cells_that_look_like_formulas_are_inert_and_parquet_keeps_them(tmp_path, cell):
    # a passage begins with a letter, digit, CJK character or opening bracket (punctuation is trimmed), so only
    # a hostile text could ever start a cell this way; the writer guards every text cell as the run's CSV does
    rows = rt.Rows([("p-000000000001", "p-000000000002", 0.9, 1, 0, 3, 0, 3, cell, cell + "乙", False, 3, 0.8,
                     0.5, 0.5)])
    rt.write_reuse_pairs(tmp_path, rows, formats=("parquet", "csv"))
    assert pq.read_table(tmp_path / "reuse_pairs.parquet").to_pylist()[0]["a_text"] == cell
    with open(tmp_path / "reuse_pairs.csv", encoding="utf-8-sig", newline="") as f:
        got = list(csv.DictReader(f))[0]
    assert got["a_text"] == "'" + cell and got["b_text"] == "'" + cell + "乙"


@pytest.mark.parametrize("formats, files", [
    (("jsonl", "parquet", "csv", "duckdb"), {"reuse_pairs.parquet", "reuse_pairs.csv"}),
    (("jsonl", "csv"), {"reuse_pairs.csv"}),
    (("jsonl", "parquet"), {"reuse_pairs.parquet"}),
    (("jsonl",), set()),
])
def test_the_table_comes_in_the_formats_the_run_wrote(tmp_path, formats, files):
    out = write_dataset(tmp_path / "ds", family_texts(2), formats=formats)
    for stale in ("reuse_pairs.parquet", "reuse_pairs.csv"):  # left by an earlier compare of other formats
        (out / stale).write_text("old", encoding="utf-8")
    compare(out, out / "r.html")
    assert {p.name for p in out.glob("reuse_pairs.*")} == files
    assert not list(out.glob(".reuse_pairs*"))  # no scratch left behind


def test_a_dataset_without_a_manifest_gets_parquet_and_csv(tmp_path):
    out = write_dataset(tmp_path / "ds", family_texts(2))
    (out / "manifest.json").unlink()
    compare(out, out / "r.html")
    assert {p.name for p in out.glob("reuse_pairs.*")} == {"reuse_pairs.parquet", "reuse_pairs.csv"}


def test_comparing_again_replaces_the_duckdb_table(tmp_path):
    out = _with_database(write_dataset(tmp_path / "ds", family_texts(3), formats=("jsonl", "parquet", "duckdb")))
    compare(out, out / "r.html")
    first = pq.read_table(out / "reuse_pairs.parquet").num_rows
    write_dataset(out, family_texts(2), formats=("jsonl", "parquet", "duckdb"))  # the run changed the dataset
    compare(out, out / "r.html")
    con = duckdb.connect(str(out / "plans.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM reuse_pairs").fetchone()[0] == \
            pq.read_table(out / "reuse_pairs.parquet").num_rows < first
    finally:
        con.close()


def test_the_table_is_the_same_for_any_number_of_processes(tmp_path):
    tables = []
    for jobs in (1, 2):
        out = write_dataset(tmp_path / f"j{jobs}", family_texts(6))
        compare(out, out / "r.html", jobs=jobs)
        tables.append((out / "reuse_pairs.csv").read_bytes())
    assert tables[0] == tables[1]


@pytest.mark.parametrize("scores, top, neighbours, expected", [
    # the best pairs, whatever their plans; then each plan's best pair
    ([(0, 1, 0.9), (0, 2, 0.8), (1, 2, 0.7), (2, 3, 0.3)], 1, 1, [(0, 1), (0, 2), (2, 3)]),
    ([(0, 1, 0.9), (0, 2, 0.8), (1, 2, 0.7), (2, 3, 0.3)], 0, 2, [(0, 1), (0, 2), (1, 2), (2, 3)]),
    ([(0, 1, 0.9), (2, 3, 0.15)], 0, 1, [(0, 1)]),          # below NEIGHBOUR_MIN_COSINE
    ([(0, 1, 0.9), (2, 3, 0.15)], 2, 1, [(0, 1), (2, 3)]),  # but among the top pairs (≥ TOP_MIN_COSINE)
    ([(0, 1, 0.05)], 8, 1, []),
])
def test_the_pairs_examined(scores, top, neighbours, expected):
    pairs = [Pair(a, b, s) for a, b, s in scores]
    assert [(p.a, p.b) for p in rt.pairs_to_examine(pairs, top=top, neighbours=neighbours)] == expected


def test_more_neighbours_examine_more_pairs(tmp_path):
    out = write_dataset(tmp_path / "ds", family_texts(6))
    counts = []
    for k in (1, 3):
        compare(out, out / "r.html", neighbours=k)
        counts.append(len({tuple(r.values()) for r in pq.read_table(
            out / "reuse_pairs.parquet", columns=["plan_id_a", "plan_id_b"]).to_pylist()}))
    assert counts[0] < counts[1]


def test_traditional_script_passages_are_found_too(tmp_path):
    out = write_dataset(tmp_path / "ds", [("t0", T_TEXT), ("t1", variant(T_TEXT, 5))])
    compare(out, out / "r.html")
    rows = pq.read_table(out / "reuse_pairs.parquet").to_pylist()
    assert any("家庭醫生" in r["a_text"] for r in rows)


def test_the_cli_compares_with_the_jobs_asked_for(tmp_path, capsys):
    out = write_dataset(tmp_path / "ds", family_texts(2))
    assert main(["compare", str(out), "--jobs", "1"]) == 0
    assert capsys.readouterr().out.strip() == str(out / "report.html")
    assert (out / "reuse_pairs.parquet").is_file()
    assert main(["compare", str(out), "--jobs", "0"]) == 2
    assert "--jobs must be at least 1" in capsys.readouterr().err


def test_the_documented_columns_are_the_written_ones():
    doc = (ROOT / "docs" / "reuse_pairs.md").read_text(encoding="utf-8")
    assert doc == rt.document(), f"regenerate it: {rt.GENERATE}"


def test_the_manifest_formats_are_read_as_the_run_wrote_them(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"config": {"formats": ["jsonl", "xlsx", "duckdb"]}}),
                                            encoding="utf-8")
    assert rt.dataset_formats(tmp_path) == ("duckdb",)
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    assert rt.dataset_formats(tmp_path) == ("parquet", "csv")
