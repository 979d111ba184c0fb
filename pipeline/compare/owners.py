"""Owners × plans: how many tasks each owner (unit or person) is responsible for in each plan."""
from __future__ import annotations

import pandas as pd

from .load import Dataset

MAX_OWNERS = 30
MAX_PLANS = 60


def owner_tasks(ds: Dataset) -> pd.DataFrame:
    """Long table (plan_id, code, owner, role, task_id): one row per task and owner or co-owner."""
    rows = []
    for p in ds.plans:
        for t in p.get("tasks") or []:
            for role, key in (("owner", "owners"), ("co_owner", "co_owners")):
                for owner in t.get(key) or []:
                    rows.append({"plan_id": p["plan_id"], "code": ds.codes[p["plan_id"]], "owner": owner,
                                 "role": role, "task_id": t.get("id")})
    return pd.DataFrame(rows, columns=["plan_id", "code", "owner", "role", "task_id"])


def owner_matrix(ds: Dataset, role: str = "owner", max_owners: int = MAX_OWNERS,
                 max_plans: int = MAX_PLANS) -> pd.DataFrame:
    """Owners (rows, busiest first) × plan codes (columns, dataset order): number of tasks in `role`."""
    long = owner_tasks(ds)
    long = long[long["role"] == role]
    if long.empty:
        return pd.DataFrame()
    m = pd.crosstab(long["owner"], long["code"])
    codes = [c for c in ds.codes.values() if c in m.columns][:max_plans]
    m = m[codes]
    totals = m.sum(axis=1)
    order = sorted(m.index, key=lambda o: (-totals[o], o))[:max_owners]
    return m.loc[order]
