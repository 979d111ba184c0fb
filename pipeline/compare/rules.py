"""Rules side by side: modality counts per plan and the amounts of sanctions (and rewards)."""
from __future__ import annotations

import pandas as pd

from .load import Dataset

MODALITIES = ("prohibition", "obligation", "sanction", "reward")


def modality_counts(ds: Dataset) -> pd.DataFrame:
    """Plan codes (rows, dataset order, plans with rules only) × modalities: number of rules."""
    rows = [{"code": ds.codes[p["plan_id"]], "modality": r.get("modality")}
            for p in ds.plans for r in p.get("rules") or []]
    if not rows:
        return pd.DataFrame(columns=list(MODALITIES))
    m = pd.crosstab(pd.DataFrame(rows)["code"], pd.DataFrame(rows)["modality"])
    cols = [c for c in MODALITIES if c in m.columns] + sorted(c for c in m.columns if c not in MODALITIES)
    codes = [c for c in ds.codes.values() if c in m.index]
    return m.loc[codes, cols]


def format_amount(a: dict) -> str:
    """`{"value": 500, "upto": 1000, "unit": "元"}` -> `500–1000 元`."""
    def num(v):
        return "" if v is None else (f"{v:g}" if isinstance(v, (int, float)) else str(v))

    value, upto = num(a.get("value")), num(a.get("upto"))
    return f"{value}–{upto} {a.get('unit') or ''}".strip() if upto else f"{value} {a.get('unit') or ''}".strip()


def rule_amounts(ds: Dataset) -> pd.DataFrame:
    """One row per rule with amounts: plan_id, code, modality, amounts (text), max_value, unit, text, start, end."""
    rows = []
    for p in ds.plans:
        for r in p.get("rules") or []:
            amounts = r.get("amounts") or []
            if not amounts:
                continue
            values = [v for a in amounts for v in (a.get("value"), a.get("upto")) if isinstance(v, (int, float))]
            rows.append({"plan_id": p["plan_id"], "code": ds.codes[p["plan_id"]], "modality": r.get("modality"),
                         "amounts": "；".join(format_amount(a) for a in amounts),
                         "max_value": max(values) if values else None,
                         "unit": next((a.get("unit") for a in amounts if a.get("unit")), None),
                         "text": r.get("text"), "start": r.get("start"), "end": r.get("end")})
    return pd.DataFrame(rows, columns=["plan_id", "code", "modality", "amounts", "max_value", "unit", "text",
                                       "start", "end"])


def amount_summary(ds: Dataset, modality: str = "sanction") -> pd.DataFrame:
    """Per plan (dataset order) and unit, for rules of one modality that state amounts: rules, lowest and
    highest amount. Amounts of different units (元, 分, 倍, %, 个月) are never mixed in one row."""
    cols = ["code", "unit", "rules", "lowest", "highest"]
    out = []
    for pid in ds.ids:
        by_unit: dict[str, dict] = {}
        for r in ds.plan(pid).get("rules") or []:
            if r.get("modality") != modality:
                continue
            for unit in dict.fromkeys(a.get("unit") or "" for a in r.get("amounts") or []):
                values = [v for a in r.get("amounts") or [] if (a.get("unit") or "") == unit
                          for v in (a.get("value"), a.get("upto")) if isinstance(v, (int, float))]
                row = by_unit.setdefault(unit, {"code": ds.codes[pid], "unit": unit, "rules": 0, "values": []})
                row["rules"] += 1
                row["values"] += values
        for row in by_unit.values():
            values = row.pop("values")
            out.append({**row, "lowest": min(values) if values else None, "highest": max(values) if values else None})
    return pd.DataFrame(out, columns=cols)
