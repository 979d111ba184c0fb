"""Shared test fixtures: where the reference corpus lives (read-only, never copied into the repo)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpora" / "seeds"
GOLD = SHARED / "gold"
SCORER = SHARED / "tools" / "score.py"

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/ helpers such as docx_factory


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def gold_plans(seed: Path) -> list[dict]:
    path = GOLD / (seed.stem + ".jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def reference_scorer():
    """`shared/tools/score.py` as a module (its canon, sim, greedy, match_plans)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("score", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def seed_plans_with(fill) -> list[tuple[Path, list[dict], list]]:
    """(seed, its plans as dicts, the Plan objects) for every seed, read through the whole flow
    (`process.read_plans`), then `fill(plan)` sets again the one field a test measures."""
    from pipeline.model import to_dict
    from pipeline.process import read_plans

    out = []
    for seed in seed_files():
        plans = read_plans(seed)
        for plan in plans:
            fill(plan)
        out.append((seed, [to_dict(p) for p in plans], plans))
    return out


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpora/seeds not present")
