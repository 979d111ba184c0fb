"""`plans.jsonl`: one JSON object per plan, fields in contract order."""
from __future__ import annotations

import json


def dict_line(plan: dict) -> str:
    """A plan as its dict (`model.to_dict`, key order fixed by the dataclasses) -> its `plans.jsonl` line,
    without the newline."""
    return json.dumps(plan, ensure_ascii=False, separators=(",", ":"))
