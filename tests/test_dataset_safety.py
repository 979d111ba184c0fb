"""An analyst's weekly routine never loses a dataset: mistyped inputs, a second run over the same folder, folders
with attachments, adding this week's files (`plans add`), and `compare` of nothing."""
from __future__ import annotations

import json
import os

import duckdb
import openpyxl
import pytest

from pipeline.cli import main
from pipeline.emit.columns import table_specs

PLANS = {
    "a.txt": "为加强安全管理，特制定本方案。\n一、主要任务\n1.开展隐患排查。由总务处牵头，3月底前完成。\n2.加强安全教育。\n",
    "b.txt": "為做好防汛工作，特制定本方案。\n一、工作任務\n（一）加強巡查。（責任單位：水利站）\n（二）完善預案。\n",
    "c.txt": "根据上级部署，制定本方案。\n一、实施步骤\n（一）动员部署阶段（2025年3月1日至3月15日）\n1.召开动员会。\n",
    "d.txt": "为推进垃圾分类，特制定本方案。\n一、重点任务\n1.设置分类设施。由社区居委会负责。\n严禁混装混运。\n",
}


def _write(folder, names):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(PLANS[name], encoding="utf-8")


def _snapshot(out) -> dict[str, tuple[bytes, int]]:
    """Every file under the output folder with its bytes and modification time."""
    return {str(p.relative_to(out)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*")) if p.is_file()}


def _dataset(out) -> dict[str, bytes]:
    """The files whose bytes a run fixes: plans.jsonl and every CSV and Parquet table."""
    names = ["plans.jsonl"] + [f"{s.name}.{fmt}" for s in table_specs() for fmt in ("csv", "parquet")
                               if fmt in s.formats]
    return {n: (out / n).read_bytes() for n in names}


def _manifest(out) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _plans(out) -> list[dict]:
    return [json.loads(line) for line in (out / "plans.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def dataset(tmp_path):
    folder = tmp_path / "in"
    _write(folder, ["a.txt", "b.txt"])
    out = tmp_path / "ds"
    assert main(["run", str(folder), "--out", str(out), "-q"]) == 0
    return folder, out


# ------------------------------------------------------------------ a run with nothing usable


@pytest.mark.parametrize("inputs", [
    ["{tmp}/inn"],                       # a mistyped folder
    ["{tmp}/in/*.docx"],                 # a pattern that matches nothing
    ["{tmp}/in/empty.txt"],              # a file with nothing in it
    ["{tmp}/attachments"],               # a folder of non-documents only
])
def test_a_run_with_no_usable_input_leaves_the_dataset_untouched(dataset, tmp_path, inputs, capsys):
    folder, out = dataset
    (folder / "empty.txt").write_bytes(b"")
    (tmp_path / "attachments").mkdir()
    (tmp_path / "attachments" / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    before = _snapshot(out)
    capsys.readouterr()
    assert main(["run", *[i.format(tmp=tmp_path) for i in inputs], "--out", str(out)]) == 3
    assert _snapshot(out) == before
    assert f"{out} left as it was" in capsys.readouterr().err.splitlines()[-1]


def test_a_run_with_no_usable_input_creates_no_output_folder(tmp_path):
    assert main(["run", str(tmp_path / "missing"), "--out", str(tmp_path / "new"), "-q"]) == 3
    assert not (tmp_path / "new").exists()


# ------------------------------------------------------------------ what a walk takes


def test_the_output_folder_and_what_plans_wrote_are_never_inputs(tmp_path, monkeypatch):
    work = tmp_path / "work"
    _write(work, ["a.txt", "b.txt"])
    monkeypatch.chdir(work)  # `plans run . --out out`, twice, then a report and a copy of it beside the inputs
    assert main(["run", ".", "--out", "out", "-q"]) == 0
    first = _dataset(work / "out")
    assert main(["compare", "out"]) == 0
    (work / "report-copy.html").write_bytes((work / "out" / "report.html").read_bytes())
    assert main(["run", ".", "--out", "other", "-q"]) == 0   # a second dataset beside the first
    assert main(["run", ".", "--out", "out", "-q"]) == 0
    assert _dataset(work / "out") == first
    m = _manifest(work / "out")
    assert [e["path"] for e in m["inputs"]] == ["a.txt", "b.txt"]
    assert {s["path"]: s["reason"] for s in m["skipped"]} == {
        "other": "a dataset written by plans (manifest.json)",
        "out": "in the output folder of this run",
        "report-copy.html": "a report written by plans compare"}
    # named explicitly, a file of a dataset is no input either
    assert main(["run", "a.txt", "out/plans.csv", "--out", "third", "-q"]) == 0
    assert [e["path"] for e in _manifest(work / "third")["inputs"]] == ["a.txt"]


def test_a_folder_with_attachments_exits_0_and_lists_them_as_skipped(tmp_path, capsys):
    folder = tmp_path / "in"
    _write(folder, ["a.txt", "b.txt"])
    (folder / "table.csv").write_text("单位,任务\n", encoding="utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (folder / "meta.json").write_text("{}", encoding="utf-8")
    (folder / "README").write_text("notes", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out)]) == 0
    m = _manifest(out)
    assert sorted(os.path.basename(s["path"]) for s in m["skipped"]) == ["README", "meta.json", "photo.png",
                                                                      "table.csv"]
    assert m["errors"] == [] and m["counts"]["files_skipped"] == 4 and m["exit_code"] == 0
    assert "0 failed, 4 skipped" in capsys.readouterr().err


def test_a_file_named_explicitly_that_cannot_be_read_is_an_error(tmp_path, capsys):
    folder = tmp_path / "in"
    _write(folder, ["a.txt"])
    (folder / "table.csv").write_text("单位,任务\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(folder / "a.txt"), str(folder / "table.csv"), "--out", str(out)]) == 1
    assert [e["code"] for e in _manifest(out)["errors"]] == ["unsupported_format"]
    assert "table.csv: [unsupported_format]" in capsys.readouterr().err


# ------------------------------------------------------------------ plans add


def _same_workbook(a, b) -> None:
    wa, wb = openpyxl.load_workbook(a, read_only=True), openpyxl.load_workbook(b, read_only=True)
    assert wa.sheetnames == wb.sheetnames
    for name in wa.sheetnames:
        assert list(wa[name].values) == list(wb[name].values), name


def _same_database(a, b) -> None:
    with duckdb.connect(str(a), read_only=True) as ca, duckdb.connect(str(b), read_only=True) as cb:
        tables = [r[0] for r in ca.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        assert tables == [r[0] for r in cb.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        for t in tables:
            query = f'select * from "{t}" order by all'
            assert ca.execute(query).fetchall() == cb.execute(query).fetchall(), t


def test_add_then_a_full_run_give_the_same_dataset(dataset, tmp_path, capsys):
    folder, out = dataset
    # this week: one new file, one changed, and an exact copy of a plan whose path sorts first (ids move)
    _write(folder, ["c.txt"])
    (folder / "b.txt").write_text(PLANS["b.txt"].replace("巡查", "巡邏"), encoding="utf-8")
    (folder / "0-copy.txt").write_text(PLANS["a.txt"], encoding="utf-8")
    capsys.readouterr()
    assert main(["add", str(folder / "c.txt"), str(folder / "b.txt"), str(folder / "0-copy.txt"),
                 "--out", str(out)]) == 0
    assert "4 plans from 4/4 files added to" in capsys.readouterr().err
    full = tmp_path / "full"
    assert main(["run", str(folder), "--out", str(full), "-q"]) == 0
    assert _dataset(out) == _dataset(full)
    _same_workbook(out / "plans.xlsx", full / "plans.xlsx")
    _same_database(out / "plans.duckdb", full / "plans.duckdb")
    ids = {os.path.basename(p["source"]["path"]): (p["plan_id"], p["duplicate_of"]) for p in _plans(out)}
    assert ids["a.txt"] == (ids["0-copy.txt"][0] + "-2", ids["0-copy.txt"][0])
    m = _manifest(out)
    assert m["config"]["command"] == "add" and len(m["config"]["inputs"]) == 4
    assert [(os.path.basename(e["path"]), e["kept"]) for e in m["inputs"]] == [
        ("0-copy.txt", False), ("a.txt", True), ("b.txt", False), ("c.txt", False)]


def test_add_keeps_the_plans_of_inputs_it_does_not_name(dataset, tmp_path):
    folder, out = dataset
    before = {p["source"]["path"]: p for p in _plans(out)}
    # a.txt is gone from disk and b.txt changed there, but neither is named: both stay as the dataset has them
    (folder / "a.txt").unlink()
    (folder / "b.txt").write_text(PLANS["d.txt"], encoding="utf-8")
    _write(tmp_path / "new", ["c.txt"])
    assert main(["add", str(tmp_path / "new" / "c.txt"), "--out", str(out), "-q"]) == 0
    after = {p["source"]["path"]: p for p in _plans(out)}
    assert set(after) == set(before) | {str(tmp_path / "new" / "c.txt")}
    for path, plan in before.items():
        assert after[path] == plan


def test_add_without_the_cache_rebuilds_kept_plans_from_the_dataset(dataset, tmp_path):
    folder, out = dataset
    lines = _dataset(out)["plans.jsonl"]
    (folder / "a.txt").unlink()                       # neither the cache nor the file has it any more
    assert main(["add", str(folder / "b.txt"), "--out", str(out), "-q", "--no-cache"]) == 0
    assert _dataset(out)["plans.jsonl"] == lines      # the same plans, ids and links


def test_add_needs_a_dataset_and_leaves_it_untouched_when_nothing_is_usable(dataset, tmp_path, capsys):
    folder, out = dataset
    capsys.readouterr()
    assert main(["add", str(folder / "a.txt"), "--out", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no dataset to add to" in err
    assert not (tmp_path / "nowhere").exists()
    before = _snapshot(out)
    assert main(["add", str(folder / "typo.txt"), "--out", str(out), "-q"]) == 3
    assert _snapshot(out) == before


def test_run_still_mirrors_exactly_its_inputs(dataset, tmp_path):
    folder, out = dataset
    _write(tmp_path / "new", ["c.txt"])
    assert main(["add", str(tmp_path / "new"), "--out", str(out), "-q"]) == 0
    assert len(_plans(out)) == 3
    assert main(["run", str(folder / "a.txt"), "--out", str(out), "-q"]) == 0
    assert [os.path.basename(p["source"]["path"]) for p in _plans(out)] == ["a.txt"]


# ------------------------------------------------------------------ compare of nothing


def test_compare_of_a_missing_or_empty_dataset_is_an_error(tmp_path, capsys):
    assert main(["compare", str(tmp_path / "nothing")]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "plans.jsonl").write_text("", encoding="utf-8")
    assert main(["compare", str(empty)]) == 3
    assert not (empty / "report.html").exists()
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(line.startswith("plans: error: ") for line in err)
