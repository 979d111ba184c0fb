"""`plans.jsonl`: one JSON object per plan, fields in contract order."""
from __future__ import annotations

import json

from ..model import Plan, to_dict


def plan_line(plan: Plan) -> str:
    """One plan as its `plans.jsonl` line (no trailing newline); deterministic key order."""
    return json.dumps(to_dict(plan), ensure_ascii=False, separators=(",", ":"))
