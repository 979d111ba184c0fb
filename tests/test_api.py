"""The Python API exported by `pipeline`: process_text, process_file, read_dataset, Plan.to_dict."""
from __future__ import annotations

import json

import pytest

import pipeline
from pipeline import FileResult, Plan, process_file, process_text, read_dataset
from pipeline.cli import main
from pipeline.emit.schema import validator

PLAN = "为加强安全管理，特制定本方案。\n一、工作目标\n全面排查隐患。\n二、主要任务\n1.开展排查。由总务处牵头，3月底前完成。\n"
TRAD = "為加強安全管理，特訂定本計畫。\n壹、工作目標\n全面排查隱患。\n貳、主要任務\n一、開展排查。由總務處負責。\n"


def test_the_api_is_exported_with_all():
    assert set(pipeline.__all__) == {"FileResult", "Plan", "__version__", "process_file", "process_text",
                                     "read_dataset"}
    namespace: dict = {}
    exec("from pipeline import *", namespace)
    assert set(pipeline.__all__) <= set(namespace)
    with pytest.raises(AttributeError):
        pipeline.no_such_thing  # noqa: B018


@pytest.mark.parametrize("text, script", [(PLAN, "simplified"), (TRAD, "traditional")])
def test_process_text_gives_plans_whose_dicts_validate(text, script):
    plans = process_text(text, name="memo.txt")
    assert len(plans) == 1 and isinstance(plans[0], Plan)
    d = plans[0].to_dict()
    assert list(validator().iter_errors(d)) == []
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert d["plan_id"].startswith("p-") and d["script"] == script and d["source"]["path"] == "memo.txt"
    assert d["tasks"] and d["tasks"][0]["owners"] == ["总务处"]


@pytest.mark.parametrize("text", ["", "   \n", "格式:DOC 上传日期:2025-01-01\n小编:某某\n下载此文档\n"])
def test_process_text_without_a_plan_gives_no_plans(text):
    assert process_text(text) == []


def test_process_text_refuses_bytes():
    with pytest.raises(TypeError):
        process_text(PLAN.encode("utf-8"))


def test_process_file_takes_a_str_and_agrees_with_a_run(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(TRAD.encode("big5"))
    result = process_file(str(path))
    assert isinstance(result, FileResult) and result.error is None and result.encoding == "big5"
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "-q"]) == 0
    line = json.loads((tmp_path / "out" / "plans.jsonl").read_text(encoding="utf-8"))
    assert [p.to_dict() for p in result.plans] == [line]
    missing = process_file(str(tmp_path / "missing.txt"))
    assert missing.plans == [] and missing.error.code == "unreadable"


def test_read_dataset_gives_every_table_and_rejects_another_schema(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(PLAN, encoding="utf-8")
    (d / "b.txt").write_bytes(TRAD.encode("big5"))
    assert main(["run", str(d), "--out", str(tmp_path / "full"), "-q"]) == 0
    assert main(["run", str(d), "--out", str(tmp_path / "lines"), "-q", "--formats", "jsonl"]) == 0
    full, lines = read_dataset(tmp_path / "full"), read_dataset(str(tmp_path / "lines"))
    assert set(full) == set(lines) and {"plans", "tasks", "task_owners", "rule_amounts"} <= set(full)
    for name, frame in full.items():
        assert list(frame.columns) == list(lines[name].columns) and len(frame) == len(lines[name]), name
    assert full["tasks"]["owners"].map(list).tolist() == lines["tasks"]["owners"].map(list).tolist()
    manifest = tmp_path / "full" / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"plan/1"', '"plan/2"'), encoding="utf-8")
    with pytest.raises(ValueError, match="plan/2"):
        read_dataset(tmp_path / "full")
    with pytest.raises(FileNotFoundError):
        read_dataset(tmp_path / "nothing")
