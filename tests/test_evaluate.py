"""`plans evaluate` gives the same numbers as the reference scorer, and a quality gate on the seeds."""
import json
import subprocess
import sys

import pytest
from conftest import GOLD, ROOT, SCORER, SEEDS, needs_seeds

from pipeline.cli import main
from pipeline.evaluate import canon, evaluate, sim

# Floors the seeds' scores must not fall below (raise them as extraction improves; never lower silently).
FLOORS = {"plans": 0.95, "metadata": 0.95, "phases": 0.95, "tasks": 0.9, "owners": 0.75, "dates": 0.9}


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    assert main(["run", str(SEEDS), "--out", str(out), "-q"]) == 0
    return out


@pytest.mark.parametrize("a, b, expected", [
    ("衛(wèi)生", "卫生", 1.0),
    ("加强学科人才建设。", "加强 学科人才建设", 1.0),
    ("开展专题活动", "开展专题", 0.85),
    ("", "x", 0.0),
])
def test_similarity(a, b, expected):
    assert sim(a, b) == pytest.approx(expected, abs=0.01)
    assert canon("Ａ，b") == "ab"


@needs_seeds
def test_same_numbers_as_reference_scorer(seed_run):
    gold = sorted(str(p) for p in GOLD.glob("*.jsonl"))
    ref = json.loads(subprocess.run([sys.executable, str(SCORER), str(seed_run / "plans.jsonl"), *gold, "--json"],
                                    capture_output=True, text=True, check=True).stdout)
    ours = evaluate(seed_run / "plans.jsonl", gold)
    assert ours["fields"] == ref["fields"] and ours["overall"] == ref["overall"]
    cli = subprocess.run([sys.executable, "-m", "pipeline", "evaluate", *gold, "--run", str(seed_run), "--json"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(cli.stdout)["overall"] == ref["overall"]


@needs_seeds
@pytest.mark.parametrize("field, floor", sorted(FLOORS.items()))
def test_seed_quality_gate(seed_run, field, floor):
    gold = sorted(str(p) for p in GOLD.glob("*.jsonl"))
    f1 = evaluate(seed_run / "plans.jsonl", gold)["fields"][field]["f1"]
    assert f1 >= floor, f"{field} F1 {f1} fell below its floor {floor}"
