"""Rules side by side: modality counts per plan and the amounts of sanctions (and rewards).

The report uses the plain lists (`modality_table`, `amount_rows`, `summary_rows`); the notebook the DataFrames.
pandas is imported where a DataFrame is made, so the report never loads it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from .load import Dataset

MODALITIES = ("prohibition", "obligation", "sanction", "reward")


def modality_table(ds: Dataset) -> tuple[list[str], list[str], list[list[int]]]:
    """(plan codes with rules, dataset order; modalities; rules of each plan in each modality). Rules without a
    modality are not counted."""
    counts: dict[str, dict[str, int]] = {}
    for p in ds.plans:
        for r in p.get("rules") or []:
            if r.get("modality") is not None:
                mine = counts.setdefault(ds.codes[p["plan_id"]], {})
                mine[r["modality"]] = mine.get(r["modality"], 0) + 1
    seen = {m for mine in counts.values() for m in mine}
    cols = [c for c in MODALITIES if c in seen] + sorted(c for c in seen if c not in MODALITIES)
    codes = [c for c in ds.codes.values() if c in counts]
    return codes, cols, [[counts[c].get(m, 0) for m in cols] for c in codes]


def modality_counts(ds: Dataset) -> pd.DataFrame:
    """Plan codes (rows, dataset order, plans with rules only) × modalities: number of rules."""
    import pandas as pd

    codes, cols, counts = modality_table(ds)
    if not codes:
        return pd.DataFrame(columns=list(MODALITIES))
    return pd.DataFrame(counts, index=pd.Index(codes, name="code"), columns=pd.Index(cols, name="modality"))


def format_amount(a: dict) -> str:
    """`{"value": 500, "upto": 1000, "unit": "元"}` -> `500–1000 元`."""
    def num(v):
        return "" if v is None else (f"{v:g}" if isinstance(v, (int, float)) else str(v))

    value, upto = num(a.get("value")), num(a.get("upto"))
    return f"{value}–{upto} {a.get('unit') or ''}".strip() if upto else f"{value} {a.get('unit') or ''}".strip()


AMOUNT_COLUMNS = ["plan_id", "code", "modality", "amounts", "max_value", "unit", "text", "start", "end"]
SUMMARY_COLUMNS = ["code", "unit", "rules", "lowest", "highest"]


def rule_amounts(ds: Dataset) -> pd.DataFrame:
    """One row per rule with amounts: plan_id, code, modality, amounts (text), max_value, unit, text, start, end."""
    import pandas as pd

    return pd.DataFrame(amount_rows(ds), columns=AMOUNT_COLUMNS)


def amount_rows(ds: Dataset) -> list[dict]:
    """The rows of `rule_amounts`."""
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
    return rows


def amount_summary(ds: Dataset, modality: str = "sanction") -> pd.DataFrame:
    """Per plan (dataset order) and unit, for rules of one modality that state amounts: rules, lowest and
    highest amount. Amounts of different units (元, 分, 倍, %, 个月) are never mixed in one row."""
    import pandas as pd

    return pd.DataFrame(summary_rows(ds, modality), columns=SUMMARY_COLUMNS)


def summary_rows(ds: Dataset, modality: str = "sanction") -> list[dict]:
    """The rows of `amount_summary`."""
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
    return out
