"""`plans.jsonl`: one JSON object per plan, fields in contract order.

A plan's line is serialized once, where the plan is extracted, without the values only the run knows (its
unique id, what it duplicates, the path it was read under): `line_template` leaves them empty and notes where they
go, `fill_line` puts them in. (A key cannot occur inside a JSON string, whose quotes are escaped, so each slot is
found by its key.)
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

CHUNK_CHARS = 8_000_000           # parse this many characters of plans.jsonl lines at a time
CHUNK_PLANS = 2000


def dict_line(plan: dict) -> str:
    """A plan as its dict (`model.to_dict`, key order fixed by the dataclasses) -> its `plans.jsonl` line,
    without the newline."""
    return json.dumps(plan, ensure_ascii=False, separators=(",", ":"))


_KEYS = (b'"plan_id":', b'"source":{"path":', b'"duplicate_of":')


def line_template(plan: dict) -> tuple[bytes, tuple[int, int, int]]:
    """`dict_line(plan)` in UTF-8 without the run-level values, and where `plan_id`, `source.path` and
    `duplicate_of` go in it."""
    blank = {**plan, "plan_id": None, "duplicate_of": None, "source": {**plan["source"], "path": None}}
    line = dict_line(blank).encode("utf-8")
    pieces, last = [], 0
    for key in _KEYS:  # in the order they occur in a plan's line
        at = line.index(key + b"null", last) + len(key)
        pieces.append(line[last:at])
        last = at + len(b"null")
    pieces.append(line[last:])
    a = len(pieces[0])
    b = a + len(pieces[1])
    return b"".join(pieces), (a, b, b + len(pieces[2]))


def fill_line(template: bytes, slots: tuple[int, int, int], plan_id: str, duplicate_of: str | None,
              path: str) -> bytes:
    """The plan's line from its template: `dict_line` of the plan with these values, in UTF-8."""
    a, b, c = slots
    return b"".join((template[:a], _dumps(plan_id), template[a:b], _dumps(path), template[b:c],
                     _dumps(duplicate_of), template[c:]))


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def read_chunks(plans_jsonl: Path) -> Iterator[list[dict]]:
    """The plans of a `plans.jsonl`, a list per `CHUNK_CHARS` characters of lines."""
    loads = json.loads
    chunk: list[dict] = []
    chars = 0
    with open(plans_jsonl, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    chunk.append(loads(line))
                except json.JSONDecodeError as e:
                    raise ValueError(f"{plans_jsonl}: line {n}: not JSON: {e}") from None
                chars += len(line)
                if chars >= CHUNK_CHARS or len(chunk) >= CHUNK_PLANS:
                    yield chunk
                    chunk, chars = [], 0
    if chunk:
        yield chunk
