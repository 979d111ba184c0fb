"""Command-line conventions: --version, one-line usage errors with exit 2, Ctrl-C, the summary line and the exit
code agreeing, --formats, --json."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, SEEDS, needs_seeds

from pipeline import __version__
from pipeline import run as run_mod
from pipeline.cli import main

PLAN = "为加强安全管理，特制定本方案。\n一、工作目标\n全面排查隐患。\n二、主要任务\n1.开展排查。由总务处牵头，3月底前完成。\n"
TRAD = "為加強安全管理，特訂定本計畫。\n壹、工作目標\n全面排查隱患。\n貳、主要任務\n一、開展排查。由總務處負責。\n"


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(PLAN, encoding="utf-8")
    (d / "b.txt").write_bytes(TRAD.encode("big5"))
    return d


def _one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("plans: error: ") and "Traceback" not in err, err
    return lines[0]


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"plans {__version__}"


@pytest.mark.parametrize("args, says", [
    (["run", "{in}", "--out", "{file}"], "exists and is not a folder"),
    (["run", "{in}", "--out", "{file}/sub"], "is not a folder"),
    (["add", "{in}", "--out", "{file}"], "manifest.json"),
    (["run", "{in}", "--scheduler", "tcp://127.0.0.1:8786"], "--scheduler is for --engine dask"),
    (["run", "{in}", "--formats", "jsonl,pdf"], "choose from jsonl,parquet,csv,xlsx,duckdb"),
    (["run", "{in}", "--jobs", "0"], "--jobs must be at least 1"),
    (["run", "{in}", "--frobnicate"], "unrecognized arguments"),
    (["compare", "{tmp}/no-dataset"], "no plans.jsonl"),
    (["compare", "{ds}", "--out", "{tmp}"], "is a folder"),
    (["compare", "{ds}", "--plans", "P1", "P9"], "names no plans"),
    (["evaluate", "{tmp}/missing-gold.jsonl", "--run", "{ds}"], "no such gold file"),
    (["evaluate", "{tmp}/missing-gold.jsonl", "--run", "{tmp}/no-dataset"], "not found"),
])
def test_usage_errors_exit_2_with_one_line(folder, tmp_path, capsys, args, says):
    ds = tmp_path / "ds"
    assert main(["run", str(folder), "--out", str(ds), "-q"]) == 0
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    capsys.readouterr()
    fill = {"in": str(folder), "file": str(tmp_path / "afile"), "tmp": str(tmp_path), "ds": str(ds)}
    argv = [a.format(**fill) for a in args]
    if "--out" not in argv and argv[0] == "run":
        argv += ["--out", str(tmp_path / "never")]
    assert main(argv) == 2
    assert says in _one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "never").exists()


def test_the_summary_counts_every_failed_input_and_matches_the_exit_code(folder, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(folder), str(tmp_path / "typo.txt"), "--out", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("typo.txt: [not_found] no such file or folder, or the pattern matched nothing")
    assert err[-1].endswith("; 1 failed (1 not found)")
    assert main(["run", str(folder), "--out", str(out)]) == 0
    assert capsys.readouterr().err.splitlines()[-1].endswith("; 0 failed, 2 from the cache")


def test_json_prints_the_run_summary(folder, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(folder), str(tmp_path / "typo.txt"), "--out", str(out), "-q", "--json"]) == 1
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["exit_code"] == 1 and summary["written"] is True and summary["out"] == str(out)
    assert summary["counts"]["plans"] == 2 and summary["counts"]["inputs_not_found"] == 1
    assert [e["code"] for e in summary["errors"]] == ["not_found"]
    assert captured.err.count("\n") == 1  # -q: only the error
    assert main(["run", str(tmp_path / "typo.txt"), "--out", str(out), "-q", "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["written"] is False


@pytest.mark.parametrize("formats, files", [
    ("jsonl", {"plans.jsonl"}),
    ("csv,jsonl", {"plans.jsonl", "plans.csv", "tasks.csv", "texts.csv"}),
    ("duckdb", {"plans.duckdb"}),
    ("xlsx,parquet", {"plans.xlsx", "plans.parquet", "tasks.parquet"}),
])
def test_formats_choose_the_outputs(folder, tmp_path, formats, files):
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), "-q"]) == 0   # everything first: stale files must go
    assert main(["run", str(folder), "--out", str(out), "-q", "--formats", formats]) == 0
    names = {p.name for p in out.iterdir() if not p.name.startswith(".")} - {"manifest.json"}
    assert files <= names
    kinds = {n.rsplit(".", 1)[1] for n in names}
    assert kinds == {n.rsplit(".", 1)[1] for n in files}
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["config"]["formats"] == [
        f for f in ("jsonl", "parquet", "csv", "xlsx", "duckdb") if f in formats.split(",")]
    if "duckdb" in formats:
        import duckdb

        with duckdb.connect(str(out / "plans.duckdb"), read_only=True) as con:
            assert con.execute("select count(*) from plans").fetchone() == (2,)


def test_ctrl_c_while_writing_the_dataset_finishes_it_then_exits_130(folder, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    from pipeline.emit import xlsx

    real = xlsx.write_workbook

    def interrupted(*args, **kwargs):  # Ctrl-C arrives while the workbook is written
        os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(xlsx, "write_workbook", interrupted)
    assert main(["run", str(folder), "--out", str(out)]) == 130
    assert capsys.readouterr().err.splitlines()[-1] == "plans: interrupted after the dataset was written"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["plans"] == 2 and (out / "plans.duckdb").is_file()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (Linux /proc)."""
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == pid:
                kids.append(int(entry))
    return kids


@needs_seeds
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc")
def test_ctrl_c_in_a_parallel_run_prints_one_line_and_keeps_the_previous_dataset(tmp_path):
    out = tmp_path / "out"
    seeds = sorted(SEEDS.glob("*.txt"))
    assert main(["run", str(seeds[0]), "--out", str(out), "-q"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    env = dict(os.environ, PLANS_COMPACT_DICTIONARY_MAX_BYTES="0")  # the process pool, even for small files
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(SEEDS), "--out", str(out), "-j", "2",
                             "--no-cache"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while len(_children(proc.pid)) < 2 and proc.poll() is None:  # until both workers are at work
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    err = proc.communicate(timeout=120)[1]
    assert proc.returncode == 130
    assert err.splitlines() == ["plans: interrupted: no file was left half-written, the output is as it was before"]
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert not any(p.name.startswith(".") and p.name != ".plans-cache" for p in out.iterdir())


def test_a_python_api_run_reports_progress_and_prints_nothing(folder, tmp_path, capsys):
    events = []
    result = run_mod.run([str(folder), str(tmp_path / "typo.txt")], tmp_path / "out", progress=events.append)
    assert capsys.readouterr() == ("", "")
    assert result.code == 1 and result.written and result.failed == 1
    assert [e.kind for e in events] == ["error", "start", "file", "file"]
    assert events[1].total == 2 and events[-1].done == 2
