"""Owners × plans: how many tasks each owner (unit or person) is responsible for in each plan.

The report uses the plain lists (`owner_counts`); the notebook the DataFrames. pandas is imported where a
DataFrame is made, so the report never loads it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from .load import Dataset

MAX_OWNERS = 30
MAX_PLANS = 60


def owner_tasks(ds: Dataset) -> pd.DataFrame:
    """Long table (plan_id, code, owner, role, task_id): one row per task and owner or co-owner."""
    import pandas as pd

    rows = []
    for p in ds.plans:
        for t in p.get("tasks") or []:
            for role, key in (("owner", "owners"), ("co_owner", "co_owners")):
                for owner in t.get(key) or []:
                    rows.append({"plan_id": p["plan_id"], "code": ds.codes[p["plan_id"]], "owner": owner,
                                 "role": role, "task_id": t.get("id")})
    return pd.DataFrame(rows, columns=["plan_id", "code", "owner", "role", "task_id"])


def owner_counts(ds: Dataset, role: str = "owner", max_owners: int = MAX_OWNERS,
                 max_plans: int = MAX_PLANS) -> tuple[list[str], list[str], list[list[int]]]:
    """(owners, busiest first; plan codes, dataset order; tasks of each owner in each plan) in `role`."""
    key = "owners" if role == "owner" else "co_owners"
    counts: dict[str, dict[str, int]] = {}
    for p in ds.plans:
        code = ds.codes[p["plan_id"]]
        for t in p.get("tasks") or []:
            for owner in t.get(key) or []:
                mine = counts.setdefault(owner, {})
                mine[code] = mine.get(code, 0) + 1
    present = {c for mine in counts.values() for c in mine}
    codes = [c for c in ds.codes.values() if c in present][:max_plans]
    totals = {o: sum(mine.get(c, 0) for c in codes) for o, mine in counts.items()}
    order = sorted(counts, key=lambda o: (-totals[o], o))[:max_owners]
    return order, codes, [[counts[o].get(c, 0) for c in codes] for o in order]


def owner_matrix(ds: Dataset, role: str = "owner", max_owners: int = MAX_OWNERS,
                 max_plans: int = MAX_PLANS) -> pd.DataFrame:
    """Owners (rows, busiest first) × plan codes (columns, dataset order): number of tasks in `role`."""
    import pandas as pd

    found, codes, counts = owner_counts(ds, role, max_owners, max_plans)
    if not found:
        return pd.DataFrame()
    return pd.DataFrame(counts, index=pd.Index(found, name="owner"), columns=pd.Index(codes, name="code"))
