"""The bundled sample plans: the committed bytes are what their generators write, and each gold file in
tests/gold finds its plan (spans on the text the reader extracts, annotated texts present in document order)."""
import importlib.util
import json

import pytest
from conftest import ROOT

from pipeline import ingest
from pipeline.script import t2s

SAMPLES = ROOT / "corpora" / "samples"
GOLD_FILES = sorted((ROOT / "tests" / "gold").glob("*.jsonl"))


def _generator(stem: str):
    spec = importlib.util.spec_from_file_location(stem, ROOT / "corpora" / f"{stem}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATORS = {stem: _generator(stem) for stem in ("make_txt_samples", "make_more_samples")}


@pytest.mark.parametrize("stem, name", [(stem, name) for stem, g in GENERATORS.items() for name in g.SAMPLES])
def test_committed_sample_is_what_its_generator_writes(stem, name):
    assert GENERATORS[stem].render(name) == (SAMPLES / name).read_bytes(), f"run corpora/{stem}.py"


def _gold(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _in_order(text: str, items: list[str]) -> list[str]:
    """The items not found in `text` searching each after the previous one's start."""
    missing, pos = [], 0
    for item in items:
        i = text.find(item, pos)
        if i < 0:
            missing.append(item)
        else:
            pos = i + 1
    return missing


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_spans_and_texts_are_grounded(gold):
    plans = _gold(gold)
    assert plans
    raw, _, _ = ingest.read_file(SAMPLES / plans[0]["source"]["path"])
    for plan in plans:
        start, end = plan["source"]["span"]
        part = raw.text[start:end]
        assert part and part == part.strip(), (gold.name, plan["source"]["span"])
        text = t2s(part)   # the gold is in simplified script, converted with the same tables
        for field, key in (("dates", "text"), ("tasks", "title"), ("rules", "text")):
            assert not _in_order(text, [item[key] for item in plan.get(field, [])]), (gold.name, field)
        names = [o for task in plan.get("tasks", []) for o in task["owners"] + task["co_owners"]]
        names += [p["name"] for p in plan.get("people", [])]
        flat = text.replace("　", "").replace(" ", "")
        assert [n for n in names if n not in flat] == [], gold.name
