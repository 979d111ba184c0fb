"""`plans.jsonl`: one JSON object per plan, fields in contract order."""
from __future__ import annotations

import json


def dict_line(plan: dict) -> str:
    """A plan as its dict (`model.to_dict`, key order fixed by the dataclasses) -> its `plans.jsonl` line,
    without the newline."""
    return json.dumps(plan, ensure_ascii=False, separators=(",", ":"))


# A plan's line is serialized once, where the plan is extracted, with a stand-in for each value only the run
# knows (its id, what it duplicates, the path it was read under); `fill_line` puts the values in.
_SLOTS = {"plan_id": b'"\\u0000i"', "duplicate_of": b'"\\u0000d"', "path": b'"\\u0000p"'}


def line_template(plan: dict) -> bytes | None:
    """`dict_line(plan)` in UTF-8 with stand-ins for the run-level values; None if the plan's own text holds
    one."""
    stand_in = {**plan, "plan_id": "\0i", "duplicate_of": "\0d", "source": {**plan["source"], "path": "\0p"}}
    line = dict_line(stand_in).encode("utf-8")
    return line if all(line.count(slot) == 1 for slot in _SLOTS.values()) else None


def fill_line(template: bytes, plan_id: str, duplicate_of: str | None, path: str) -> bytes:
    """The plan's line from its template: `dict_line` of the plan with these values, in UTF-8."""
    def dumps(value) -> bytes:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")

    return (template.replace(_SLOTS["plan_id"], dumps(plan_id), 1)
            .replace(_SLOTS["duplicate_of"], dumps(duplicate_of), 1)
            .replace(_SLOTS["path"], dumps(path), 1))
