"""Our `parse_date` against jionlp's `parse_time` on the same plan-genre expressions (bench/timex_cases.tsv).

Run: .venv/bin/python bench/timex_vs_jionlp.py [--reps N]

Prints, side by side, accuracy and expressions/second for both parsers, then the rows either gets wrong.

How jionlp's output is mapped to day bounds, as fairly as we can:
- `time_point` / `time_span`: `time` is `[start, end]` datetime strings ('2021-03-01 00:00:00'); the day
  bounds are their first 10 characters; an open end (`inf`, `-inf`) is null.
- jionlp is given `time_base={'year': base_year, 'month': 1, 'day': 1}` (a plan read from the start of its
  year); our parser gets `year=base_year` (and `roc` where the row says the plan counts ROC years).
- deadline rows (`6月底前`): only `last_day` is compared, for both parsers — jionlp writes a deadline as a span
  from the base time, we leave its start open; either way the deadline day is the fact.
- rows whose expected year is `XXXX` (20xx年): only month and day are compared, for both — jionlp fills in
  the base year where we write XXXX; neither choice is counted against it.
- duration rows: `time_delta` `{'month': 3.0}`; set rows: `time_period` `{'delta': {...}}`. Both sides are
  reduced to (months, days, seconds) with 1 year = 12 months, 1 week = 7 days, 1 workday = 1 day, so
  `P2W` equals jionlp's `{'day': 14}` and `P6M` equals `{'year': 0.5}`. A range of durations is our
  `P3M/P6M` and jionlp's list of two deltas: both amounts are compared.
- an exception, or an output of another shape than the row's kind needs, counts as wrong.
Speed is the best of `--reps` passes over the whole list (after one warm-up pass that also loads jionlp's
dictionaries), in expressions per second; both run in this process, one after the other.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.extract.dates import parse_date  # noqa: E402

CASES = Path(__file__).with_name("timex_cases.tsv")


def read_cases(path: Path = CASES) -> list[dict]:
    rows = []
    header = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        row = {k: (None if v == "-" else v) for k, v in zip(header, cells)}
        row["base_year"] = int(row["base_year"])
        row["roc"] = row["roc"] == "1"
        rows.append(row)
    return rows


# ---------------------------------------------------------------- comparing


def iso_parts(iso: str):
    """`P1Y2M3W4DT5H6M` -> (months, days, seconds); a range `P3M/P6M` -> a tuple of both."""
    if iso and "/" in iso:
        ends = tuple(iso_parts(x) for x in iso.split("/"))
        return None if None in ends else ends
    m = re.fullmatch(r"P(?:([\d.]+)Y)?(?:([\d.]+)M)?(?:([\d.]+)W)?(?:([\d.]+)D)?"
                     r"(?:T(?:([\d.]+)H)?(?:([\d.]+)M)?(?:([\d.]+)S)?)?", iso or "")
    if not m:
        return None
    y, mo, w, d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
    return (y * 12 + mo, w * 7 + d, h * 3600 + mi * 60 + s)


_JIO_UNITS = {"year": (12, 0, 0), "month": (1, 0, 0), "week": (0, 7, 0), "day": (0, 1, 0), "workday": (0, 1, 0),
              "hour": (0, 0, 3600), "minute": (0, 0, 60), "second": (0, 0, 1)}


def jio_parts(delta: dict) -> tuple[float, float, float] | None:
    total = [0.0, 0.0, 0.0]
    for unit, n in delta.items():
        if unit not in _JIO_UNITS:
            return None
        for i, f in enumerate(_JIO_UNITS[unit]):
            total[i] += f * float(n)
    return tuple(total)


def same_day(expected: str | None, got: str | None) -> bool:
    if expected is None or got is None:
        return expected == got
    if expected.startswith("XXXX"):
        return expected[4:] == got[4:]
    return expected == got


def correct(row: dict, kind: str | None, first: str | None, last: str | None, parts) -> bool:
    if row["kind"] in ("duration", "set"):
        return parts is not None and parts == iso_parts(row["value"])
    if row["kind"] == "deadline":
        return same_day(row["last_day"], last)
    return same_day(row["first_day"], first) and same_day(row["last_day"], last)


# ---------------------------------------------------------------- the two parsers


def ours(row: dict):
    item = parse_date(row["expr"], row["base_year"], roc=row["roc"])
    if item is None:
        return None, None, None, None
    parts = iso_parts(item.value) if item.kind in ("duration", "set") else None
    return item.kind, item.first_day, item.last_day, parts


def _load_jionlp():
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import jionlp
    return jionlp


def theirs(jio, row: dict):
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            r = jio.parse_time(row["expr"], time_base={"year": row["base_year"], "month": 1, "day": 1})
    except Exception:
        return None, None, None, None
    kind, t = r.get("type"), r.get("time")
    if kind in ("time_point", "time_span") and isinstance(t, list) and len(t) == 2:
        day = [s[:10] if isinstance(s, str) and re.match(r"\d{1,4}-\d\d-\d\d", s) else None for s in t]
        return kind, day[0], day[1], None
    if kind == "time_delta" and isinstance(t, dict):
        return kind, None, None, jio_parts(t)
    if kind == "time_delta" and isinstance(t, list) and all(isinstance(x, dict) for x in t):
        ends = tuple(jio_parts(x) for x in t)
        return kind, None, None, None if None in ends else ends
    if kind == "time_period" and isinstance(t, dict) and isinstance(t.get("delta"), dict):
        return kind, None, None, jio_parts(t["delta"])
    return kind, None, None, None


# ---------------------------------------------------------------- run


def run(reps: int = 5) -> dict:
    rows = read_cases()
    jio = _load_jionlp()
    results = {}
    for name, fn in (("ours (parse_date)", ours), ("jionlp.parse_time", lambda r: theirs(jio, r))):
        outputs = [fn(r) for r in rows]                    # warm-up pass, also the one that is scored
        best = float("inf")
        for _ in range(reps):
            t = time.perf_counter()
            for r in rows:
                fn(r)
            best = min(best, time.perf_counter() - t)
        ok = [correct(r, *out) for r, out in zip(rows, outputs)]
        by_kind = {}
        for r, good in zip(rows, ok):
            n, k = by_kind.get(r["kind"], (0, 0))
            by_kind[r["kind"]] = (n + 1, k + good)
        results[name] = {"ok": ok, "outputs": outputs, "per_second": len(rows) / best, "by_kind": by_kind}
    return {"rows": rows, "results": results}


def report(out: dict) -> str:
    rows, results = out["rows"], out["results"]
    names = list(results)
    kinds = sorted({r["kind"] for r in rows}, key=["date", "range", "deadline", "duration", "set"].index)
    lines = [f"{len(rows)} expressions from {CASES.name}", "",
             f"{'':22}" + "".join(f"{n:>22}" for n in names)]
    for k in kinds:
        cells = []
        for n in names:
            total, good = results[n]["by_kind"][k]
            cells.append(f"{good}/{total} ({good / total:.0%})")
        lines.append(f"{'  ' + k:22}" + "".join(f"{c:>22}" for c in cells))
    cells = [f"{sum(results[n]['ok'])}/{len(rows)} ({sum(results[n]['ok']) / len(rows):.1%})" for n in names]
    lines.append(f"{'accuracy':22}" + "".join(f"{c:>22}" for c in cells))
    lines.append(f"{'expressions/second':22}" + "".join(f"{results[n]['per_second']:>22,.0f}" for n in names))
    lines += ["", "rows either parser gets wrong (expected | ours | jionlp):"]
    for i, r in enumerate(rows):
        if all(results[n]["ok"][i] for n in names):
            continue
        exp = r["value"] if r["kind"] in ("duration", "set") else f"{r['first_day']}..{r['last_day']}"
        got = []
        for n in names:
            kind, first, last, parts = results[n]["outputs"][i]
            mark = "ok" if results[n]["ok"][i] else "x "
            got.append(f"{mark} {parts if parts is not None else f'{first}..{last}'}")
        lines.append(f"  {r['expr']:<24} {exp:<24} | {got[0]:<28} | {got[1]}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5, help="timed passes over the list (best one counts)")
    args = ap.parse_args(argv)
    print(report(run(args.reps)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
