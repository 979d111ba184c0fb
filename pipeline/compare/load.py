"""Load a run's emitted dataset (`plans.jsonl`, the canonical form) for comparison.

`compare` reads emitted data only: it never imports a pipeline stage. An exact copy of a plan (the same text,
the run's `-2`, `-3`… ids) is listed with its original, not compared with it again: `Dataset.plans` are the
distinct plans, `Dataset.copies` the copies of each. Plans get short codes `P1`, `P2`, … in file order, used as
chart labels, and a display name: the title, else the issuer and the source file, else the source file.

`load_dataset(output, slim_plans=True)` keeps of each plan only what the report reads (its text, phases, task owners,
rules, and the plan's own fields; not `original_text`, sections, dates, people): about a fifth of the memory, for
runs of thousands of plans. `Dataset.full(key)` reads one plan's whole record again from `plans.jsonl`.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where a DataFrame is made (`items`): the report never needs it
    import pandas as pd

NAME_CHARS = 18


class EmptyDataset(ValueError):
    """A dataset with no plan: nothing to compare."""


def plans_file(output: Path) -> Path:
    """`output` itself when it is a `.jsonl` file, else `output/plans.jsonl`."""
    output = Path(output)
    path = output if output.suffix == ".jsonl" and output.is_file() else output / "plans.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no plans.jsonl (run `plans run … --out {output}` first)")
    return path


def short(text: str | None, n: int = NAME_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def plot_text(text: str) -> str:
    """Untrusted text for a plotly label or hover: `&`, `<`, `>` as entities. Plotly reads its texts as
    pseudo-HTML and turns these entities back into characters, so the text shows as written and no tag can
    form (plotly does not know `&quot;`, hence quotes stay as they are)."""
    return html.escape(text, quote=False)


@dataclass
class Dataset:
    """The distinct plans of one output folder, in file order, with codes and names for display; the exact
    copies of each (`copies`: plan_id -> the plans with the same text found after it)."""

    path: Path
    plans: list[dict]
    codes: dict[str, str] = field(default_factory=dict)
    copies: dict[str, list[dict]] = field(default_factory=dict)
    offsets: dict[str, int] = field(default_factory=dict)   # plan_id -> byte offset of its line in `path`

    def __post_init__(self) -> None:
        first: dict[str, str] = {}
        distinct = []
        for p in self.plans:
            original = first.setdefault(p.get("text") or "", p["plan_id"])
            if original == p["plan_id"]:
                distinct.append(p)
            else:
                self.copies.setdefault(original, []).append(p)
        self.plans = distinct
        self.codes = {p["plan_id"]: f"P{i}" for i, p in enumerate(self.plans, 1)}
        self._by_id = {p["plan_id"]: p for p in self.plans}
        for copies in self.copies.values():
            for c in copies:
                self._by_id.setdefault(c["plan_id"], c)

    def __len__(self) -> int:
        return len(self.plans)

    @property
    def ids(self) -> list[str]:
        return [p["plan_id"] for p in self.plans]

    def plan(self, key: str) -> dict:
        """A plan by `plan_id`, a unique `plan_id` prefix, or its code (`P3`)."""
        if key in self._by_id:
            return self._by_id[key]
        by_code = [p for p in self.plans if self.codes[p["plan_id"]] == key]
        found = by_code or [p for p in self.plans if p["plan_id"].startswith(key)]
        if len(found) != 1:
            raise KeyError(f"{key!r} names {'no' if not found else len(found)} plans of {self.path}")
        return found[0]

    def full(self, key: str) -> dict:
        """A plan's whole record (as in `plans.jsonl`), by the keys `plan` takes."""
        p = self.plan(key)
        offset = self.offsets.get(p["plan_id"])
        if offset is None:
            return p
        with open(self.path, "rb") as f:
            f.seek(offset)
            return json.loads(f.readline())

    def name(self, plan_id: str) -> str:
        """The plan's title, else its issuer and source file (`136团医院党总支 · a.txt #9/14`), else the source."""
        p = self._by_id[plan_id]
        if p.get("title"):
            return p["title"]
        if p.get("issuer"):
            return f"{p['issuer']} · {self.source(plan_id)}"
        return self.source(plan_id)

    def short_name(self, plan_id: str, n: int = NAME_CHARS) -> str:
        """`name` in about `n` characters; a file name is cut in its stem, so its part number (`#9/14`) stays."""
        p = self._by_id[plan_id]
        if p.get("title"):
            return short(p["title"], n)
        src = self._short_source(plan_id, max(10, n // 2) if p.get("issuer") else n)
        return f"{short(p['issuer'], max(4, n - len(src) - 3))} · {src}" if p.get("issuer") else src

    def _short_source(self, plan_id: str, n: int) -> str:
        full = self.source(plan_id)
        name, _, part = full.partition(" #")
        part = f"#{part}" if part else ""
        if len(full) <= n:
            return full
        stem = name.rsplit(".", 1)[0]
        return short(stem, max(4, n - len(part) - 1)) + part

    def label(self, plan_id: str, n: int = 10) -> str:
        """`P3 短名…`: a chart label."""
        return f"{self.codes[plan_id]} {self.short_name(plan_id, n)}"

    def source(self, plan_id: str) -> str:
        src = self._by_id[plan_id].get("source") or {}
        path = str(src.get("path") or "")
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        return f"{name} #{src.get('part')}/{src.get('parts')}" if src.get("parts", 1) != 1 else name

    def items(self, kind: str) -> pd.DataFrame:
        """All items of one list field (`tasks`, `phases`, `rules`, …) with `plan_id` and `idx` columns."""
        import pandas as pd

        rows = [{"plan_id": p["plan_id"], "idx": i, **item}
                for p in self.plans for i, item in enumerate(p.get(kind) or [])]
        return pd.DataFrame(rows, columns=None if rows else ["plan_id", "idx"])


def slim(plan: dict) -> dict:
    """What the report reads of a plan: its own fields and text, phases, each task's id and owners, each rule's
    modality and amounts (with its text and offsets when it states amounts)."""
    out = {k: v for k, v in plan.items() if k not in _HEAVY}
    out["tasks"] = [{"id": t.get("id"), "owners": t.get("owners") or [], "co_owners": t.get("co_owners") or []}
                    for t in plan.get("tasks") or []]
    out["rules"] = [{"modality": r.get("modality"), "amounts": r.get("amounts") or [],
                     **({"text": r.get("text"), "start": r.get("start"), "end": r.get("end")} if r.get("amounts")
                        else {})} for r in plan.get("rules") or []]
    return out


_HEAVY = {"original_text", "sections", "dates", "people", "tasks", "rules"}


def load_dataset(output: Path, slim_plans: bool = False) -> Dataset:
    """Read `output/plans.jsonl` (or a `.jsonl` path) into a Dataset, every plan whole, or only what the report
    reads (`slim_plans`, see `slim`)."""
    path = plans_file(output)
    plans, offsets = [], {}
    with open(path, "rb") as f:
        n, offset = 0, 0
        for line in f:
            n += 1
            if line.strip():
                try:
                    plan = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as e:
                    raise ValueError(f"{path}: line {n}: not JSON: {e}") from None
                plans.append(slim(plan) if slim_plans else plan)
                if isinstance(plan, dict) and "plan_id" in plan:
                    offsets[plan["plan_id"]] = offset
            offset += len(line)
    return Dataset(path, plans, offsets=offsets)
