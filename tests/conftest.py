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


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpora/seeds not present")
