"""End to end: one command over a folder; bad input gets a specific error per file and the run goes on."""
import json
import os
import subprocess
import sys

import pytest
from conftest import GOLD, ROOT, SCORER, SEEDS, needs_seeds

from pipeline import run as run_mod
from pipeline.cli import main

PLAN = "为加强安全管理，特制定本方案。\n一、工作目标\n全面排查隐患。\n二、主要任务\n1.开展排查。由总务处牵头，3月底前完成。\n"
TRAD = "為加強安全管理，特訂定本計畫。\n壹、工作目標\n全面排查隱患。\n貳、主要任務\n一、開展排查。由總務處負責。\n"


def _only_dataset_files(out) -> bool:
    """The output folder holds the run's dataset files and nothing else (no temp files, nothing from inputs)."""
    names = set(os.listdir(out))
    allowed = {"plans.jsonl", "manifest.json", "plans.duckdb", "plans.xlsx", "texts.csv", ".plans-cache"}
    return {"plans.jsonl", "manifest.json"} <= names and all(
        n in allowed or (n.endswith((".parquet", ".csv")) and not n.startswith(".")) for n in names)


def _plans(out):
    return [json.loads(line) for line in (out / "plans.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def mixed_folder(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a_utf8.txt").write_text(PLAN, encoding="utf-8")
    (d / "sub" / "b_gbk.txt").write_bytes(PLAN.replace("安全", "消防").encode("gbk"))
    (d / "c_big5.txt").write_bytes(TRAD.encode("big5"))
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (d / "undecodable.txt").write_bytes(bytes(range(0x80, 0xA0)) * 8)
    (d / "legacy.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    (d / "notes.xyz").write_text("x", encoding="utf-8")
    (d / "clutter.txt").write_text("格式:DOC 上传日期:2025-01-01\n小编:某某\n下载此文档\n", encoding="utf-8")
    (d / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (d / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    os.symlink(d / "does-not-exist.txt", d / "dangling.txt")
    with open(d / "huge.txt", "wb") as f:  # 50 MB, sparse: refused by size before reading
        f.truncate(50 * 1024 * 1024)
    return d


EXPECTED_ERRORS = {
    "empty.txt": "empty", "binary.txt": "binary", "undecodable.txt": "undecodable",
    "legacy.doc": "unsupported_format", "clutter.txt": "no_plan",
    "broken.docx": "corrupt_docx", "broken.pdf": "corrupt_pdf", "dangling.txt": "unreadable",
    "huge.txt": "too_large",
}


def test_bad_files_get_specific_errors_and_the_rest_is_written(mixed_folder, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["run", str(mixed_folder), "--out", str(out)])
    assert code == 1  # some files failed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    got = {os.path.basename(e["path"]): e["code"] for e in manifest["errors"]}
    assert got == EXPECTED_ERRORS
    err = capsys.readouterr().err
    for name, code_ in EXPECTED_ERRORS.items():
        assert f"{name}: [{code_}]" in err
    plans = _plans(out)
    assert sorted(os.path.basename(p["source"]["path"]) for p in plans) == ["a_utf8.txt", "b_gbk.txt", "c_big5.txt"]
    by_name = {os.path.basename(p["source"]["path"]): p for p in plans}
    assert by_name["b_gbk.txt"]["source"]["encoding"] == "gb18030"
    assert by_name["c_big5.txt"]["source"]["encoding"] == "big5"
    assert by_name["c_big5.txt"]["script"] == "traditional" and "为加强安全管理" in by_name["c_big5.txt"]["text"]
    assert manifest["counts"] == {"files": 12, "files_failed": 9, "files_cached": 0, "files_skipped": 1,
                                  "inputs_not_found": 0, "plans": 3, "duplicates": 0, "kept_errors": 0}
    assert [(os.path.basename(s["path"]), s["reason"]) for s in manifest["skipped"]] == [
        ("notes.xyz", "not a document (.xyz)")]  # walking a folder takes documents only
    inputs = {os.path.basename(e["path"]): e for e in manifest["inputs"]}
    assert len(inputs["a_utf8.txt"]["sha256"]) == 64 and inputs["a_utf8.txt"]["format"] == "txt"


def test_nothing_usable_exits_3(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    assert main(["run", str(d), "--out", str(tmp_path / "out")]) == 3
    assert main(["run", str(tmp_path / "missing-*.txt"), "--out", str(tmp_path / "out2")]) == 3


def test_hostile_names_stay_inside_the_output_folder(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    (d / "evil\x1b[31m\nname.txt").write_text(PLAN, encoding="utf-8")
    (d / "bad\x07.bin").write_bytes(b"x")
    before = set(os.listdir(tmp_path))
    out = tmp_path / "out"
    code = main(["run", str(d / ".." / "in"), str(d / "bad\x07.bin"), "--out", str(out)])  # named: an error
    assert code == 1
    assert set(os.listdir(tmp_path)) - before == {"out"}
    assert _only_dataset_files(out)
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "bad\\x07.bin: [unsupported_format]" in err
    plan = _plans(out)[0]
    assert "\\x1b" in plan["source"]["path"] and "\n" not in plan["source"]["path"]


@pytest.mark.parametrize("encoded", [True, False], ids=["encoding", "copying-from-the-previous-dataset"])
def test_a_crash_mid_run_leaves_the_previous_output_intact(tmp_path, monkeypatch, capsys, encoded):
    d = tmp_path / "in"
    d.mkdir()
    for i in range(3):
        (d / f"{i}.txt").write_text(PLAN.replace("安全", f"安全{i}"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(d), "--out", str(out)]) == 0
    before = (out / "plans.jsonl").read_bytes()
    calls = []

    def boom(*args):
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return b"{}"

    if encoded:
        monkeypatch.setattr(run_mod, "fill_line", boom)
    else:  # an unchanged re-run copies every input's share of the previous files
        real = run_mod.Splicer.copy
        monkeypatch.setattr(run_mod.Splicer, "copy", lambda self, *a: boom(*a) and real(self, *a))
    capsys.readouterr()
    args = ["--no-cache"] if encoded else []
    assert main(["run", str(d), "--out", str(out), *args]) == 130  # Ctrl-C: one line, exit 130
    assert capsys.readouterr().err.splitlines() == [
        "plans: interrupted: no file was left half-written, the output is as it was before"]
    assert (out / "plans.jsonl").read_bytes() == before
    assert _only_dataset_files(out)  # no temp file left behind


def test_ids_are_stable_and_duplicates_marked(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "1.txt").write_text(PLAN, encoding="utf-8")
    (d / "2.txt").write_text(PLAN, encoding="utf-8")                   # exact copy
    (d / "3.txt").write_bytes(PLAN.encode("gb18030"))                   # same text, other encoding
    main(["run", str(d), "--out", str(tmp_path / "o1")])
    main(["run", str(d), "--out", str(tmp_path / "o2")])
    assert (tmp_path / "o1" / "plans.jsonl").read_bytes() == (tmp_path / "o2" / "plans.jsonl").read_bytes()
    p1, p2, p3 = _plans(tmp_path / "o1")
    assert p1["plan_id"].startswith("p-") and len({p1["plan_id"], p2["plan_id"], p3["plan_id"]}) == 3
    assert p1["duplicate_of"] is None and p2["duplicate_of"] == p3["duplicate_of"] == p1["plan_id"]


def test_module_and_console_script_share_the_cli(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(PLAN, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "pipeline", "run", str(d), "--out", str(tmp_path / "o"), "-q"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stderr == ""
    assert len(_plans(tmp_path / "o")) == 1


@needs_seeds
def test_seeds_plans_script_and_duplicates_against_gold(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--out", str(out), "-q"]) == 0
    gold = sorted(str(p) for p in GOLD.glob("*.jsonl"))
    r = subprocess.run([sys.executable, str(SCORER), str(out / "plans.jsonl"), *gold, "--json", ],
                       capture_output=True, text=True, check=True)
    scores = json.loads(r.stdout)
    assert scores["fields"]["plans"]["f1"] >= 0.9
    detail = subprocess.run([sys.executable, str(SCORER), str(out / "plans.jsonl"), *gold, "--detail"],
                            capture_output=True, text=True, check=True).stdout
    assert " metadata script" not in detail and "duplicate_of" not in detail
