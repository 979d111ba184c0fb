"""Phase timelines of all plans, each plan on its own year.

Plans of different years side by side on one calendar would be slivers (a month-long phase is 1 % of a seven-year
axis), so every plan is drawn on the months of its own year: the axis runs from January to December of "the
plan's year" (and on into the next years for phases that go on), and a plan of 2015 and one of 2021 that both
start in March start at the same place; the real dates are in the hover and in the legend's year.

`place` puts a phase's days on an axis first: a phase whose days carry a year on the calendar; a phase whose year
is unknown (`XXXX-03-01`) on a relative axis, month and day within an unspecified year (drawn in 2000, a leap year,
so `XXXX-02-29` exists; an end month before the start month rolls into the next year unless the phase is
`inconsistent`). The plan's year is its reference `year`, else the year of its earliest dated phase; calendar days
are then moved onto the relative year (`RELATIVE_YEAR` + years after the plan's year), so both kinds share the
axis. An inconsistent phase (stated end before start) is drawn across both days, hatched, and flagged. A phase with
only one day is a one-day mark; a phase with none is listed as undated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .load import Dataset, short
from .load import plot_text as escape

RELATIVE_YEAR = 2000
_DAY = re.compile(r"^(\d{4}|XXXX)-(\d{2})-(\d{2})$")
MAX_ROWS = 400


@dataclass
class PhaseBar:
    plan_id: str
    code: str
    order: int
    name: str
    time_text: str | None
    first_day: str | None
    last_day: str | None
    inconsistent: bool
    axis: str                 # calendar | relative | undated
    x0: date | None = None    # first day drawn
    x1: date | None = None    # last day drawn (inclusive)
    year: int | None = None   # the plan's year (None: unknown; the phase is on the relative axis)
    a0: date | None = None    # first and last day on the plan-year axis (RELATIVE_YEAR = the plan's year)
    a1: date | None = None


def parse_day(value: str | None) -> tuple[int | None, int, int] | None:
    """`2021-03-01` -> (2021, 3, 1); `XXXX-03-01` -> (None, 3, 1); anything else -> None."""
    m = _DAY.match(value or "")
    if not m:
        return None
    year = None if m.group(1) == "XXXX" else int(m.group(1))
    return year, int(m.group(2)), int(m.group(3))


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def place(first_day: str | None, last_day: str | None,
          inconsistent: bool = False) -> tuple[str, date | None, date | None]:
    """(axis, first, last) drawn for a phase's days: see the module docstring."""
    first, last = parse_day(first_day), parse_day(last_day)
    if first is None and last is None:
        return "undated", None, None
    first = first or last
    last = last or first
    known = first[0] if first[0] is not None else last[0]
    if known is None:
        axis, fy, ly = "relative", RELATIVE_YEAR, RELATIVE_YEAR
    else:
        axis = "calendar"
        fy = first[0] if first[0] is not None else known
        ly = last[0] if last[0] is not None else fy
    x0, x1 = _day(fy, first[1], first[2]), _day(ly, last[1], last[2])
    if x0 is None or x1 is None:
        return "undated", None, None
    if x1 < x0 and not inconsistent and (first[0] is None or last[0] is None):
        x1 = _day(x1.year + 1, x1.month, x1.day) or x1 + timedelta(days=365)
    if x1 < x0:  # inconsistent: draw across both days
        x0, x1 = x1, x0
    return axis, x0, x1


def _shift(day: date, years: int) -> date:
    """`day` moved by whole years (29 February becomes the 28th in a common year)."""
    return _day(day.year + years, day.month, day.day) or date(day.year + years, day.month, 28)


def phase_bars(ds: Dataset) -> list[PhaseBar]:
    """Every phase of every plan, placed on an axis and on its plan's year."""
    out = []
    for p in ds.plans:
        mine = []
        for ph in p.get("phases") or []:
            inconsistent = bool(ph.get("inconsistent"))
            axis, x0, x1 = place(ph.get("first_day"), ph.get("last_day"), inconsistent)
            mine.append(PhaseBar(p["plan_id"], ds.codes[p["plan_id"]], ph.get("order") or 0, ph.get("name") or "",
                                 ph.get("time_text"), ph.get("first_day"), ph.get("last_day"), inconsistent,
                                 axis, x0, x1))
        years = [b.x0.year for b in mine if b.axis == "calendar"]
        year = p.get("year") if isinstance(p.get("year"), int) else min(years, default=None)
        for b in mine:
            if b.axis == "calendar" and year is not None:
                b.year = year
                b.a0, b.a1 = _shift(b.x0, RELATIVE_YEAR - year), _shift(b.x1, RELATIVE_YEAR - year)
            elif b.axis == "relative":
                b.a0, b.a1 = b.x0, b.x1
        out += mine
    return out


def month_ticks(first: date, last: date) -> tuple[list[str], list[str]]:
    """Tick values and labels for the plan-year axis: `3月` in the plan's year, `次年3月` in the next,
    `第3年3月` after; every month up to 14 months, else every third."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = 1 if months <= 14 else 3
    values, labels = [], []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        if (m - 1) % step == 0:
            offset = y - RELATIVE_YEAR
            prefix = "" if offset <= 0 else "次年" if offset == 1 else f"第{offset + 1}年"
            values.append(date(y, m, 1).isoformat())
            labels.append(f"{prefix}{m}月")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return values, labels


def timeline_figure(ds: Dataset, bars: list[PhaseBar], font_family: str = "sans-serif"):
    """A Gantt chart (plotly) of the dated bars, each plan on its own year (see the module docstring); None when
    there are none. Every text in it is HTML-escaped (plotly renders entities as text)."""
    import plotly.graph_objects as go

    bars = [b for b in bars if b.a0 is not None][:MAX_ROWS]
    if not bars:
        return None
    fig = go.Figure()
    rows = []
    for pid in dict.fromkeys(b.plan_id for b in bars):
        mine = [b for b in bars if b.plan_id == pid]
        ys = [escape(f"{b.code} · {b.order} {b.name}") for b in mine]
        rows += ys
        year = next((b.year for b in mine if b.year is not None), None)
        note = [" ⚠ 结束早于开始 · end before start (inconsistent)" if b.inconsistent else "" for b in mine]
        fig.add_trace(go.Bar(
            orientation="h", y=ys, base=[b.a0.isoformat() for b in mine],
            x=[((b.a1 - b.a0).days + 1) * 86_400_000 for b in mine],
            name=escape(f"{ds.label(pid, 16)} · " + (f"{year}年" if year else "年份未知 year unknown")),
            marker=dict(pattern=dict(shape=["x" if b.inconsistent else "" for b in mine]),
                        line=dict(width=[2 if b.inconsistent else 0 for b in mine], color="#c0392b")),
            customdata=[[escape(short(ds.name(pid), 60)), escape(b.name), escape(b.time_text or ""),
                         escape(b.first_day or "—"), escape(b.last_day or "—"), n] for b, n in zip(mine, note)],
            hovertemplate="%{customdata[0]}<br><b>%{customdata[1]}</b> %{customdata[2]}<br>"
                          "%{customdata[3]} → %{customdata[4]}%{customdata[5]}<extra></extra>",
        ))
    values, labels = month_ticks(min(b.a0 for b in bars), max(b.a1 for b in bars))
    fig.update_layout(
        barmode="overlay", height=160 + 26 * len(rows), margin=dict(l=10, r=10, t=80, b=40),
        font=dict(family=font_family), template="plotly_white",
        title=dict(text="阶段时间轴：各方案按其年度（1–12月）对齐 · phases, each plan on its own year (Jan–Dec)",
                   font=dict(size=14)),
        legend=dict(orientation="h", y=-0.08 if len(rows) > 12 else -0.2, font=dict(size=11)),
    )
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=rows, automargin=True)
    fig.update_xaxes(type="date", tickvals=values, ticktext=labels, side="top", showgrid=True)
    return fig
