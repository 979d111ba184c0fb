"""Two plans side by side: their tasks aligned by similarity (one-to-one, best total similarity).

When either plan has no tasks (extraction not available), its paragraphs (non-empty lines) are aligned
instead. Similarity is the cosine of character 1-2-gram TF-IDF vectors; pairs below `MIN_SCORE` stay apart.
"""
from __future__ import annotations

from dataclasses import dataclass, field

MIN_SCORE = 0.2
MAX_UNITS = 400


@dataclass
class Unit:
    key: str                   # task id, or `L<n>` for the n-th paragraph
    label: str                 # marker path and title
    text: str
    start: int | None
    end: int | None
    owners: list[str] = field(default_factory=list)


@dataclass
class AlignedRow:
    a: Unit | None
    b: Unit | None
    score: float


def units(plan: dict, kind: str = "tasks") -> list[Unit]:
    """A plan's tasks (`kind="tasks"`) or paragraphs (`kind="paragraphs"`) as units."""
    if kind == "tasks":
        return [Unit(t.get("id") or str(i), " ".join(t.get("path") or []) + " " + (t.get("title") or ""),
                     t.get("text") or t.get("title") or "", t.get("start"), t.get("end"), list(t.get("owners") or []))
                for i, t in enumerate(plan.get("tasks") or [])][:MAX_UNITS]
    out, pos = [], 0
    text = plan.get("text") or ""
    for n, line in enumerate(text.split("\n"), 1):
        s, e = pos, pos + len(line)
        pos = e + 1
        stripped = line.strip()
        if len(stripped) >= 4:
            lead = len(line) - len(line.lstrip())
            out.append(Unit(f"L{n}", f"第{n}行", stripped, s + lead, s + lead + len(stripped)))
    return out[:MAX_UNITS]


def unit_kind(a: dict, b: dict) -> str:
    return "tasks" if (a.get("tasks") and b.get("tasks")) else "paragraphs"


def align_units(ua: list[Unit], ub: list[Unit], min_score: float = MIN_SCORE) -> list[AlignedRow]:
    """Rows in the order of A; a unit of B without a partner follows the row of its predecessor in B."""
    if not ua or not ub:
        return [AlignedRow(u, None, 0.0) for u in ua] + [AlignedRow(None, u, 0.0) for u in ub]
    from scipy.optimize import linear_sum_assignment
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    x = vec.fit_transform([u.text for u in ua] + [u.text for u in ub])
    sim = (x[: len(ua)] @ x[len(ua):].T).toarray()
    ri, ci = linear_sum_assignment(-sim)
    match = {int(i): (int(j), float(sim[i, j])) for i, j in zip(ri, ci) if sim[i, j] >= min_score}
    rows = [AlignedRow(u, ub[match[i][0]] if i in match else None, round(match[i][1], 4) if i in match else 0.0)
            for i, u in enumerate(ua)]
    used = {j for j, _ in match.values()}
    b_row = {match[i][0]: i for i in match}  # B index -> row index
    inserted_after: dict[int, int] = {}
    result = list(rows)
    for j in range(len(ub)):
        if j in used:
            continue
        prev = max((k for k in b_row if k < j), default=None)
        anchor = b_row[prev] if prev is not None else -1
        row = AlignedRow(None, ub[j], 0.0)
        # position: after the anchor row and any B-only rows already placed after it
        target = next(k for k, r in enumerate(result) if r is rows[anchor]) + 1 if anchor >= 0 else 0
        target += inserted_after.get(anchor, 0)
        result.insert(target, row)
        inserted_after[anchor] = inserted_after.get(anchor, 0) + 1
    return result
