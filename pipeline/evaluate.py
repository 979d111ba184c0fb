"""Evaluate a run against gold annotations: `evaluate(run_jsonl, gold_paths) -> {"fields", "overall", "detail"}`.

The same scoring as the project's reference scorer (`shared/tools/score.py`; a test checks the numbers agree):
plans are matched by file name and span overlap (>= 0.5); items inside a plan by content — canonicalized
strings (NFKC, simplified, reading annotations and punctuation removed) — never by offsets. Per field:
precision, recall, F1; `overall` is the mean F1 of the fields some gold object annotates (the others are shown `-`).
"""
from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from .script import t2s
from .script import CJK

FIELDS = ["plans", "metadata", "phases", "tasks", "owners", "dates", "people", "rules"]
_KEEP = re.compile(rf"[\w{CJK}]+")
_READING = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def canon(s) -> str:
    if s is None:
        return ""
    s = _READING.sub("", unicodedata.normalize("NFKC", str(s)))
    return t2s("".join(_KEEP.findall(s))).lower().replace("_", "")


def sim(a, b) -> float:
    a, b = canon(a), canon(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and short in long_:
        return max(0.85, len(short) / len(long_))
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


class PRF:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, tp: int, n_sys: int, n_gold: int) -> None:
        self.tp += tp
        self.fp += n_sys - tp
        self.fn += n_gold - tp

    def row(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"f1": round(f1, 3), "p": round(p, 3), "r": round(r, 3), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def greedy(sys_items, gold_items, score, threshold):
    """Pairs (i, j) of best-scoring system/gold items, each used once."""
    cands = []
    for i, s in enumerate(sys_items):
        for j, g in enumerate(gold_items):
            v = score(s, g)
            if v >= threshold:
                cands.append((v, -abs(i - j), i, j))
    cands.sort(reverse=True)
    used_s, used_g, pairs = set(), set(), []
    for _, _, i, j in cands:
        if i not in used_s and j not in used_g:
            used_s.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def _load(path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _overlap(a, b) -> float:
    if not a or not b:
        return 0.0
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def _match_plans(sys_plans, gold_plans):
    if len(gold_plans) == 1 and not gold_plans[0]["source"].get("span"):
        if not sys_plans:
            return []
        return [(max(range(len(sys_plans)), key=lambda i: len(sys_plans[i].get("text") or "")), 0)]
    return greedy(sys_plans, gold_plans,
                  lambda s, g: _overlap((s.get("source") or {}).get("span"), g["source"].get("span")), 0.5)


def _day(d):
    return (d or None) and str(d)


def _owners(items) -> set:
    return {canon(o) for o in (items or []) if canon(o)}


def _score_plan(sp, gp, acc, detail, sys_by_span) -> None:
    tag = f"{gp['source']['path']}@{gp['source'].get('span')}"
    for key in ("title", "doc_number", "issuer", "issue_date", "year", "script"):
        if key in gp:
            if key in ("title", "doc_number", "issuer"):
                ok = canon(sp.get(key)) == canon(gp[key])
            else:
                ok = str(sp.get(key)) == str(gp[key]) if gp[key] is not None else sp.get(key) in (None, "")
            acc["metadata"].add(int(ok), 1, 1)
            if not ok:
                detail.append(f"{tag} metadata {key}: got {sp.get(key)!r} want {gp[key]!r}")
    if "duplicate_of_span" in gp:
        want, got = gp["duplicate_of_span"], sp.get("duplicate_of")
        ok = got in (None, "") if want is None else (
            sys_by_span(gp["source"]["path"], want) is not None and got == sys_by_span(gp["source"]["path"], want))
        acc["metadata"].add(int(ok), 1, 1)
        if not ok:
            detail.append(f"{tag} duplicate_of: got {got!r} want plan at {want}")
    if "phases" in gp:
        S, G = sp.get("phases") or [], gp["phases"]

        def ph(s, g):
            same = s.get("first_day") == g.get("first_day") and s.get("last_day") == g.get("last_day") and (
                g.get("first_day") or g.get("last_day"))
            return max(sim(s.get("name"), g.get("name")), 0.7 if same else 0.0)

        pairs = greedy(S, G, ph, 0.6)
        exact = sum(1 for i, j in pairs if _day(S[i].get("first_day")) == _day(G[j].get("first_day"))
                    and _day(S[i].get("last_day")) == _day(G[j].get("last_day")))
        acc["phases"].add(exact, len(S), len(G))
        for i, j in pairs:
            if (S[i].get("first_day"), S[i].get("last_day")) != (G[j].get("first_day"), G[j].get("last_day")):
                detail.append(f"{tag} phase {G[j].get('name')}: got {S[i].get('first_day')}..{S[i].get('last_day')}"
                              f" want {G[j].get('first_day')}..{G[j].get('last_day')}")
        missed = set(range(len(G))) - {j for _, j in pairs}
        detail += [f"{tag} phase missed: {G[j].get('name')} {G[j].get('time_text')}" for j in sorted(missed)]
    if "tasks" in gp:
        S, G = sp.get("tasks") or [], gp["tasks"]
        pairs = greedy(S, G, lambda s, g: sim(s.get("title"), g.get("title")), 0.7)
        acc["tasks"].add(len(pairs), len(S), len(G))
        matched = dict(pairs)
        tp = n_sys = 0
        for i, s in enumerate(S):
            so = _owners(s.get("owners"))
            n_sys += len(so)
            if i in matched:
                go = _owners(G[matched[i]].get("owners"))
                tp += len(so & go)
                if so != go:
                    detail.append(f"{tag} task {G[matched[i]].get('title')}: owners got {sorted(so)} want {sorted(go)}")
        acc["owners"].add(tp, n_sys, sum(len(_owners(g.get("owners"))) for g in G))
        detail += [f"{tag} task missed: {G[j].get('title')}" for j in sorted(set(range(len(G))) - set(matched.values()))]
        detail += [f"{tag} task extra: {S[i].get('title')}" for i in sorted(set(range(len(S))) - set(matched))]
    if "dates" in gp:
        S, G = sp.get("dates") or [], gp["dates"]
        pairs = greedy(S, G, lambda s, g: sim(s.get("text"), g.get("text")), 0.6)
        good = 0
        for i, j in pairs:
            s, g = S[i], G[j]
            if g.get("kind") in ("duration", "set"):
                ok = s.get("kind") == g.get("kind")
            else:
                ok = _day(s.get("first_day")) == _day(g.get("first_day")) and _day(s.get("last_day")) == _day(g.get("last_day"))
            good += ok
            if not ok:
                detail.append(f"{tag} date {g.get('text')}: got {s.get('kind')} {s.get('first_day')}..{s.get('last_day')}"
                              f" want {g.get('kind')} {g.get('first_day')}..{g.get('last_day')}")
        acc["dates"].add(good, len(S), len(G))
        detail += [f"{tag} date missed: {G[j].get('text')}" for j in sorted(set(range(len(G))) - {j for _, j in pairs})]
    if "people" in gp:
        S = {(canon(p.get("name")), canon(p.get("role"))) for p in sp.get("people") or []}
        G = {(canon(p.get("name")), canon(p.get("role"))) for p in gp["people"]}
        acc["people"].add(len(S & G), len(S), len(G))
        detail += [f"{tag} person missed: {n} {r}" for n, r in sorted(G - S)]
        detail += [f"{tag} person extra: {n} {r}" for n, r in sorted(S - G)]
    if "rules" in gp:
        S, G = sp.get("rules") or [], gp["rules"]
        pairs = greedy(S, G, lambda s, g: sim(s.get("text"), g.get("text")), 0.6)
        acc["rules"].add(sum(1 for i, j in pairs if S[i].get("modality") == G[j].get("modality")), len(S), len(G))
        detail += [f"{tag} rule missed: {G[j].get('text')[:40]}" for j in sorted(set(range(len(G))) - {j for _, j in pairs})]


def evaluate(run_jsonl: Path | str, gold_paths: list[Path | str]) -> dict:
    """Score a run's plans.jsonl against gold files: {"fields": {field: row}, "overall": float, "detail": [str]}."""
    sys_plans = _load(run_jsonl)
    gold = [g for p in gold_paths for g in _load(p)]
    by_file, gold_by_file = defaultdict(list), defaultdict(list)
    for p in sys_plans:
        by_file[Path((p.get("source") or {}).get("path", "")).name].append(p)
    for g in gold:
        gold_by_file[Path(g["source"]["path"]).name].append(g)
    matches = {name: _match_plans(by_file.get(name, []), gps) for name, gps in gold_by_file.items()}

    def sys_by_span(path, span):
        name = Path(path).name
        for i, j in matches.get(name, []):
            if gold_by_file[name][j]["source"].get("span") == span:
                return by_file[name][i].get("plan_id")
        return None

    acc = {f: PRF() for f in FIELDS}
    detail: list[str] = []
    for name, gps in gold_by_file.items():
        sps, pairs = by_file.get(name, []), matches[name]
        acc["plans"].add(len(pairs), len(sps), len(gps))
        if len(sps) != len(gps):
            detail.append(f"{name}: {len(sps)} plans, gold has {len(gps)}")
        for i, j in pairs:
            _score_plan(sps[i], gps[j], acc, detail, sys_by_span)
        for j in set(range(len(gps))) - {j for _, j in pairs}:
            g = gps[j]
            detail.append(f"{name}: gold plan at {g['source'].get('span')} unmatched")
            for f in ("phases", "tasks", "dates", "people", "rules"):
                if f in g:
                    acc[f].add(0, 0, len(g[f]))
            acc["owners"].add(0, 0, sum(len(t.get("owners") or []) for t in g.get("tasks", [])))
    rows = {f: acc[f].row() for f in FIELDS}
    # a field no gold object annotates (left out as ambiguous) is not scored: out of the mean, as the scorer does
    scored = [v["f1"] for v in rows.values() if v["tp"] + v["fp"] + v["fn"]]
    return {"fields": rows, "overall": round(sum(scored) / len(scored), 3) if scored else 0.0, "detail": detail}


def format_table(result: dict) -> str:
    lines = [f"{'field':<10}{'F1':>7}{'P':>7}{'R':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for f, v in result["fields"].items():
        if not v["tp"] + v["fp"] + v["fn"]:
            lines.append(f"{f:<10}{'-':>7}{'-':>7}{'-':>7}{0:>6}{0:>6}{0:>6}   (not annotated)")
            continue
        lines.append(f"{f:<10}{v['f1']:>7.3f}{v['p']:>7.3f}{v['r']:>7.3f}{v['tp']:>6}{v['fp']:>6}{v['fn']:>6}")
    lines.append(f"overall {result['overall']:.3f}")
    return "\n".join(lines)
