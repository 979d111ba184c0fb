"""What the format tests share: run one file through the whole pipeline and compare its plan with the same
plan read from .txt (title equal, tasks matched by their titles)."""
from __future__ import annotations

import difflib
from pathlib import Path

from pipeline.process import process_file


def plan_of(path: Path):
    """The one plan of a file (asserting the file gave exactly one and no error)."""
    res = process_file(path)
    assert res.error is None, res.error
    assert len(res.plans) == 1, [p.title for p in res.plans]
    return res.plans[0]


def matched_tasks(reference, plan, threshold: float = 0.8) -> int:
    """How many of `reference`'s tasks `plan` has, matched one to one by title similarity."""
    left = [t.title for t in plan.tasks]
    found = 0
    for task in reference.tasks:
        best = max(left, key=lambda t: difflib.SequenceMatcher(None, task.title, t).ratio(), default=None)
        if best is not None and difflib.SequenceMatcher(None, task.title, best).ratio() >= threshold:
            left.remove(best)
            found += 1
    return found


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
