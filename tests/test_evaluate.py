"""`plans evaluate` gives the same numbers as the reference scorer on every gold set, and quality gates: floors the
scores of the seeds, the real documents, our samples and the plans written blind must not fall below (raise them as extraction improves;
never lower one silently)."""
import json
import subprocess
import sys

import pytest
from conftest import GOLD, ROOT, SCORER, SEEDS, SHARED, needs_seeds

from pipeline.cli import main
from pipeline.evaluate import canon, evaluate, sim

REAL = SHARED / "corpora" / "real"
REAL_GOLD = SHARED / "gold-real"
SAMPLES = ROOT / "corpora" / "samples"
SAMPLE_GOLD = ROOT / "tests" / "gold"
HELDOUT = ROOT / "tests" / "heldout"

# per gold set: (corpus, gold folder, floors by field; "overall" is the scorer's mean of the scored fields)
GATES = {
    "seeds": (SEEDS, GOLD, {"plans": 0.97, "metadata": 0.97, "phases": 0.97, "tasks": 0.95, "owners": 0.93,
                            "dates": 0.97, "people": 0.97, "rules": 0.97, "overall": 0.97}),
    # issue 9's bars were overall, tasks and owners at least 0.85, every scored field at least 0.75; raised as it improved
    "real": (REAL, REAL_GOLD, {"plans": 0.95, "metadata": 0.95, "phases": 0.95, "tasks": 0.95, "owners": 0.95,
                               "dates": 0.93, "people": 0.95, "overall": 0.97}),
    "samples": (SAMPLES, SAMPLE_GOLD, {"plans": 0.97, "metadata": 0.95, "phases": 0.95, "tasks": 0.95,
                                       "owners": 0.95, "dates": 0.95, "people": 0.95, "rules": 0.9,
                                       "overall": 0.95}),
    # plans written blind (tests/heldout/README.md)
    "heldout": (HELDOUT / "plans", HELDOUT / "gold", {"plans": 0.97, "metadata": 0.95, "phases": 0.95, "tasks": 0.95,
                                                       "owners": 0.95, "dates": 0.95, "people": 0.95, "rules": 0.95,
                                                       "overall": 0.97}),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = {}
    for name, (corpus, _, _) in GATES.items():
        if corpus.is_dir():
            folder = tmp_path_factory.mktemp(name)
            assert main(["run", str(corpus), "--out", str(folder), "-q", "--formats", "jsonl"]) == 0
            out[name] = folder
    return out


def _gold(name: str) -> list[str]:
    return sorted(str(p) for p in GATES[name][1].glob("*.jsonl"))


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
@pytest.mark.parametrize("name", sorted(GATES))
def test_same_numbers_as_reference_scorer(runs, name):
    if name not in runs:
        pytest.skip(f"{GATES[name][0]} not present")
    gold = _gold(name)
    plans = runs[name] / "plans.jsonl"
    ref = json.loads(subprocess.run([sys.executable, str(SCORER), str(plans), *gold, "--json"],
                                    capture_output=True, text=True, check=True).stdout)
    ours = evaluate(plans, gold)
    assert ours["fields"] == ref["fields"] and ours["overall"] == ref["overall"]
    cli = subprocess.run([sys.executable, "-m", "pipeline", "evaluate", *gold, "--run", str(runs[name]), "--json"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(cli.stdout)["overall"] == ref["overall"]


@needs_seeds
@pytest.mark.parametrize("name, field", [(n, f) for n, (_, _, floors) in sorted(GATES.items()) for f in floors])
def test_quality_gate(runs, name, field):
    if name not in runs:
        pytest.skip(f"{GATES[name][0]} not present")
    floor = GATES[name][2][field]
    result = evaluate(runs[name] / "plans.jsonl", _gold(name))
    f1 = result["overall"] if field == "overall" else result["fields"][field]["f1"]
    assert f1 >= floor, f"{name}: {field} F1 {f1} fell below its floor {floor}"
