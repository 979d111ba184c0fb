"""The JSON Schema of plans.jsonl: generated from model.py, shipped as package data, documented in
docs/data_dictionary.md; every line a run writes validates, and the committed files equal the generated ones."""
from __future__ import annotations

import copy
import dataclasses
import json
import subprocess
import sys

import pytest
from conftest import ROOT, SEEDS, needs_seeds
from jsonschema import Draft202012Validator

from pipeline import model
from pipeline.emit import fields as fields_mod
from pipeline.emit.dictionary import DICTIONARY_FILE, build_data_dictionary
from pipeline.emit.fields import emitted_fields
from pipeline.emit.schema import SCHEMA_FILE, build_schema, load_schema, schema_text, validate_jsonl
from pipeline.run import run

from .sample import write_sample

PLAN = ("为加强安全管理，特制定本方案。\n一、工作目标\n全面排查隐患。\n二、主要任务\n"
        "1.开展排查。由总务处牵头，3月底前完成。\n")
REGENERATE = "out of date: run `python -m pipeline.emit.dictionary --write` and commit the result"


def test_committed_schema_equals_the_generated_one():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), REGENERATE


def test_committed_data_dictionary_equals_the_generated_one():
    assert DICTIONARY_FILE.read_text(encoding="utf-8") == build_data_dictionary(), REGENERATE


def test_check_command_agrees():
    proc = subprocess.run([sys.executable, "-m", "pipeline.emit.dictionary", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_shipped_schema_is_package_data_and_valid_2020_12():
    shipped = load_schema()
    assert shipped == build_schema()
    Draft202012Validator.check_schema(shipped)
    assert shipped["$schema"].endswith("2020-12/schema")


def test_schema_covers_every_emitted_field_with_a_description():
    s = build_schema()
    assert list(s["properties"]) == [f.name for f in emitted_fields(model.Plan)]
    for name, definition in s["$defs"].items():
        cls = getattr(model, name)
        assert list(definition["properties"]) == [f.name for f in emitted_fields(cls)]
        assert all(p["description"] for p in definition["properties"].values())
    assert "blocks" not in s["properties"] and "signature" not in s["properties"]  # internal fields


def test_a_field_without_description_is_reported(monkeypatch):
    @dataclasses.dataclass
    class Extra:
        mystery: int

    with pytest.raises(KeyError, match="Extra.mystery"):
        fields_mod.describe(Extra, "mystery")


def test_every_sample_line_validates(tmp_path):
    path = write_sample(tmp_path)
    assert validate_jsonl(path) == []


def test_every_line_of_a_run_validates(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(PLAN, encoding="utf-8")
    (d / "b.txt").write_text(PLAN * 2, encoding="utf-8")
    (d / "c.txt").write_text(PLAN, encoding="utf-8")  # an exact duplicate: id suffix -2
    run([str(d)], tmp_path / "out")
    lines = (tmp_path / "out" / "plans.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 3
    problems = validate_jsonl(tmp_path / "out" / "plans.jsonl")
    assert not problems, "\n".join(problems)


@needs_seeds
def test_every_line_of_the_seed_run_validates(tmp_path):
    run([str(SEEDS)], tmp_path)
    assert (tmp_path / "plans.jsonl").stat().st_size > 0
    problems = validate_jsonl(tmp_path / "plans.jsonl")
    assert not problems, "\n".join(problems)


def _mutate(line: dict, path: list, value) -> dict:
    line = copy.deepcopy(line)
    target = line
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return line


@pytest.mark.parametrize("path, value", [
    (["schema"], "plan/2"),
    (["plan_id"], "plan-1"),
    (["script"], "latin"),
    (["text"], KeyError),
    (["year"], "2021"),
    (["issue_date"], "2021年3月"),
    (["source", "span"], [1]),
    (["source", "format"], "pptx"),  # not a format the pipeline reads
    (["dates", 0, "kind"], "sometime"),
    (["dates", 0, "first_day"], "21-3-1"),
    (["phases", 0, "order"], 0),
    (["rules", 0, "modality"], "advice"),
    (["rules", 1, "amounts", 0, "value"], "五百"),
    (["tasks", 0, "owners"], "保卫科"),
    (["tasks", 1, "deadline", "last_day"], "March"),
    (["sections", 0, "kind"], "preface"),
    (["people", 0, "start"], -1),
])
def test_schema_rejects_contract_violations(tmp_path, path, value):
    line = json.loads(write_sample(tmp_path).read_text(encoding="utf-8").splitlines()[0])
    v = Draft202012Validator(load_schema())
    assert v.is_valid(line)
    assert not v.is_valid(_mutate(line, path, value))


def test_optional_and_added_fields_are_allowed(tmp_path):
    line = json.loads(write_sample(tmp_path).read_text(encoding="utf-8").splitlines()[0])
    v = Draft202012Validator(load_schema())
    line = _mutate(line, ["tasks", 0, "src_start"], KeyError)  # optional
    line["targets"] = [{"metric": "满意率", "value": 90}]      # fields may be added
    assert v.is_valid(line)
