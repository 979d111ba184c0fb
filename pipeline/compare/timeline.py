"""Phase timelines of all plans on one time axis.

A phase whose days carry a year goes on the calendar axis. A phase whose year is unknown (`XXXX-03-01`) goes on a
separate relative axis: month and day within an unspecified year (drawn in 2000, a leap year, so `XXXX-02-29`
exists; an end month before the start month rolls into the next year unless the phase is `inconsistent`).
An inconsistent phase (stated end before start) is drawn across both days, hatched, and flagged. A phase with
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


def phase_bars(ds: Dataset) -> list[PhaseBar]:
    """Every phase of every plan, placed on an axis."""
    out = []
    for p in ds.plans:
        for ph in p.get("phases") or []:
            inconsistent = bool(ph.get("inconsistent"))
            axis, x0, x1 = place(ph.get("first_day"), ph.get("last_day"), inconsistent)
            out.append(PhaseBar(p["plan_id"], ds.codes[p["plan_id"]], ph.get("order") or 0, ph.get("name") or "",
                                ph.get("time_text"), ph.get("first_day"), ph.get("last_day"), inconsistent,
                                axis, x0, x1))
    return out


def timeline_figure(ds: Dataset, bars: list[PhaseBar], axis: str, font_family: str = "sans-serif"):
    """A Gantt chart (plotly) of the bars on one axis (`calendar` or `relative`); None when there are none.
    Every text in it is HTML-escaped (plotly renders entities as text)."""
    import plotly.graph_objects as go

    bars = [b for b in bars if b.axis == axis][:MAX_ROWS]
    if not bars:
        return None
    fig = go.Figure()
    rows = []
    for pid in dict.fromkeys(b.plan_id for b in bars):
        mine = [b for b in bars if b.plan_id == pid]
        ys = [escape(f"{b.code} · {b.order} {b.name}") for b in mine]
        rows += ys
        note = [" ⚠ 结束早于开始 (inconsistent)" if b.inconsistent else "" for b in mine]
        fig.add_trace(go.Bar(
            orientation="h", y=ys, base=[b.x0.isoformat() for b in mine],
            x=[((b.x1 - b.x0).days + 1) * 86_400_000 for b in mine],
            name=escape(ds.label(pid, 16)),
            marker=dict(pattern=dict(shape=["x" if b.inconsistent else "" for b in mine]),
                        line=dict(width=[2 if b.inconsistent else 0 for b in mine], color="#c0392b")),
            customdata=[[escape(short(ds.name(pid), 60)), escape(b.name), escape(b.time_text or ""),
                         escape(b.first_day or "—"), escape(b.last_day or "—"), n] for b, n in zip(mine, note)],
            hovertemplate="%{customdata[0]}<br><b>%{customdata[1]}</b> %{customdata[2]}<br>"
                          "%{customdata[3]} → %{customdata[4]}%{customdata[5]}<extra></extra>",
        ))
    relative = axis == "relative"
    fig.update_layout(
        barmode="overlay", height=140 + 26 * len(rows), margin=dict(l=10, r=10, t=40, b=40),
        font=dict(family=font_family), template="plotly_white",
        title=dict(text="年份未知的阶段（月-日相对轴） · phases with unknown year (XXXX), month–day axis"
                   if relative else "阶段时间轴 · phase timeline (calendar)", font=dict(size=14)),
        legend=dict(orientation="h", y=-0.12 if len(rows) > 6 else -0.3),
    )
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=rows, automargin=True)
    fig.update_xaxes(type="date", tickformat="%m-%d" if relative else "%Y-%m-%d",
                     title_text="月-日（年份未知）· month–day, year unknown" if relative else None)
    return fig
