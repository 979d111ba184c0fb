"""Parallel, distributed and incremental runs write exactly what a serial run writes."""
import json
import os

import pytest

from pipeline import cache as cache_mod
from pipeline import settings
from pipeline.cli import main

PLANS = {
    "a.txt": "为加强安全管理，特制定本方案。\n一、主要任务\n1.开展隐患排查。由总务处牵头，3月底前完成。\n2.加强安全教育。\n",
    "b.txt": "為做好防汛工作，特制定本方案。\n一、工作任務\n（一）加強巡查。（責任單位：水利站）\n（二）完善預案。\n",
    "c.txt": "根据上级部署，制定本方案。\n一、实施步骤\n（一）动员部署阶段（2025年3月1日至3月15日）\n1.召开动员会。\n",
    "d.txt": "为推进垃圾分类，特制定本方案。\n一、重点任务\n1.设置分类设施。由社区居委会负责。\n严禁混装混运。\n",
}


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for name, text in PLANS.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def _dataset(out):
    """The files that must not depend on how the run was executed: plans.jsonl and every table."""
    files = [p for p in out.iterdir() if p.name == "plans.jsonl" or p.suffix in (".csv", ".parquet")]
    assert len(files) > 10
    return {p.name: p.read_bytes() for p in files}


def _manifest(out):
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_jobs_2_equals_jobs_1(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "COMPACT_DICTIONARY_MAX_BYTES", 0)  # tiny files: use the pool all the same
    assert main(["run", str(folder), "--out", str(tmp_path / "j1"), "-j", "1", "-q", "--no-cache"]) == 0
    assert main(["run", str(folder), "--out", str(tmp_path / "j2"), "-j", "2", "-q", "--no-cache"]) == 0
    assert _dataset(tmp_path / "j1") == _dataset(tmp_path / "j2")


def test_dask_local_cluster_equals_local_engine(folder, tmp_path):
    pytest.importorskip("distributed")
    assert main(["run", str(folder), "--out", str(tmp_path / "j1"), "-j", "1", "-q", "--no-cache"]) == 0
    assert main(["run", str(folder), "--out", str(tmp_path / "dk"), "--engine", "dask", "-j", "2", "-q",
                 "--no-cache"]) == 0
    assert _dataset(tmp_path / "j1") == _dataset(tmp_path / "dk")
    assert _manifest(tmp_path / "dk")["config"]["engine"] == "dask"


def test_cache_skips_unchanged_files_and_invalidates_on_change(folder, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), "-j", "1", "-q"]) == 0
    first = _dataset(out)
    assert _manifest(out)["counts"]["files_cached"] == 0
    # unchanged: everything from the cache, same dataset
    assert main(["run", str(folder), "--out", str(out), "-j", "1", "-q"]) == 0
    assert _manifest(out)["counts"]["files_cached"] == 4
    assert _dataset(out) == first
    # one file changed, one new: only those two are processed
    (folder / "a.txt").write_text(PLANS["a.txt"].replace("3月底", "4月底"), encoding="utf-8")
    (folder / "e.txt").write_text(PLANS["d.txt"].replace("垃圾分类", "节水"), encoding="utf-8")
    assert main(["run", str(folder), "--out", str(out), "-j", "1", "-q"]) == 0
    m = _manifest(out)
    assert m["counts"]["files_cached"] == 3 and m["counts"]["files"] == 5
    assert {e["path"].rsplit("/", 1)[-1] for e in m["inputs"] if not e["cached"]} == {"a.txt", "e.txt"}
    assert "4月底" in (out / "plans.jsonl").read_text(encoding="utf-8")
    # --no-cache processes everything again
    assert main(["run", str(folder), "--out", str(out), "-j", "1", "-q", "--no-cache"]) == 0
    assert _manifest(out)["counts"]["files_cached"] == 0
    # a new pipeline version invalidates every entry
    monkeypatch.setattr(cache_mod, "fingerprint", lambda: "another-version")
    assert main(["run", str(folder), "--out", str(out), "-j", "1", "-q"]) == 0
    assert _manifest(out)["counts"]["files_cached"] == 0
    assert [p.name for p in (out / cache_mod.CACHE_DIR).iterdir()] == ["another-version"]


def test_a_re_run_from_the_cache_writes_what_a_fresh_run_writes(folder, tmp_path):
    """Cached files emit their stored lines and table fragments with this run's ids, duplicates and paths:
    the same content under a new name, and a path that needs CSV quoting and a formula guard."""
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), "-j", "1", "-q"]) == 0
    (folder / "a.txt").rename(folder / '=a, "copy".txt')     # moved: same content, another path
    (folder / "z.txt").write_text(PLANS["b.txt"], encoding="utf-8")  # a copy of b: a duplicate now
    assert main(["run", str(folder), "--out", str(out), "-j", "1", "-q"]) == 0
    assert _manifest(out)["counts"]["files_cached"] == 5
    assert main(["run", str(folder), "--out", str(tmp_path / "fresh"), "-j", "1", "-q", "--no-cache"]) == 0
    assert _dataset(out) == _dataset(tmp_path / "fresh")
    lines = [json.loads(x) for x in (out / "plans.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines[0]["source"]["path"].endswith('=a, "copy".txt')
    assert lines[-1]["duplicate_of"] == lines[1]["plan_id"] and lines[-1]["plan_id"].endswith("-2")


def _db_rows(out):
    """Every table of plans.duckdb as a sorted list of rows (a re-run's database is updated, not rebuilt:
    the same rows, not the same row order)."""
    duckdb = pytest.importorskip("duckdb")
    with duckdb.connect(str(out / "plans.duckdb"), read_only=True) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}


def test_a_re_run_updates_the_database_to_what_a_fresh_run_builds(folder, tmp_path, monkeypatch):
    from pipeline.emit import database

    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), "-j", "1", "-q"]) == 0
    built = []
    monkeypatch.setattr(database, "_build", lambda *a: built.append(a))  # the re-run must not rebuild
    (folder / "a.txt").write_text(PLANS["a.txt"].replace("3月底", "4月底"), encoding="utf-8")  # changed
    (folder / "c.txt").unlink()                                                                # gone
    (folder / "b.txt").rename(folder / "bb.txt")                                               # moved
    (folder / "e.txt").write_text(PLANS["d.txt"], encoding="utf-8")                            # a copy of d
    assert main(["run", str(folder), "--out", str(out), "-j", "1", "-q"]) == 0
    assert not built
    monkeypatch.undo()
    assert main(["run", str(folder), "--out", str(tmp_path / "fresh"), "-j", "1", "-q", "--no-cache"]) == 0
    assert _dataset(out) == _dataset(tmp_path / "fresh")
    rows, fresh = _db_rows(out), _db_rows(tmp_path / "fresh")
    assert rows == fresh and len(rows["plans"]) == 4 and any("4月底" in r for r in rows["tasks"])


def test_a_damaged_cache_entry_or_database_is_rebuilt_not_trusted(folder, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), "-j", "1", "-q"]) == 0
    first = _dataset(out)
    entries = sorted((out / cache_mod.CACHE_DIR).glob("*/??/*.arrow"))
    assert len(entries) == 4
    entries[0].write_bytes(entries[0].read_bytes()[:100])      # truncated
    entries[1].write_bytes(b"\x00" * 64)                       # garbage
    (share_map,) = (out / cache_mod.CACHE_DIR).glob("*/shares.arrow")
    share_map.write_bytes(share_map.read_bytes()[:-200])        # truncated: every input is read from its entry
    (out / "plans.duckdb").write_bytes(b"not a database")
    m = (out / "manifest.json").stat().st_mtime
    os.utime(out / "plans.duckdb", (m - 1, m - 1))  # as if this run wrote it: it is tried, fails, is rebuilt
    assert main(["run", str(folder), "--out", str(out), "-j", "1", "-q"]) == 0
    assert _manifest(out)["counts"]["files_cached"] == 2
    assert _dataset(out) == first
    assert len(_db_rows(out)["plans"]) == 4


def test_fingerprint_covers_code_and_models():
    fp = cache_mod.fingerprint()
    assert isinstance(fp, str) and len(fp) == 16 and fp == cache_mod.fingerprint()
