"""Meaning of temporal expressions: a found expression with its year left open (`Timex`) plus the plan's
reference year -> inclusive day bounds and an EDTF value (`DateItem`, DATASET.md `dates[]`).

`dates.py` finds expressions and reads each into a `Timex` once per plan, whatever the year; this module
decides everything the year decides: which year an unstated, relative or two-digit year is, how long a
month is, whether a day exists (2月29日), on which days a week falls, whether a range rolls over into the
next year or ends before it starts. STYLE lesson 11 (jionlp: find, then normalize).

Conventions (DATASET.md, and docs/date_conventions.md for those the contract does not state): 月 = the
whole month; 上旬/初 = days 1-10, 中旬/中 = 11-20, 下旬/底/末 = 21-last; 上半年/下半年; quarters;
年底/年末/年终 = Dec 21-31 as a date, Dec 31 as a deadline; a range end inherits year and month from its
start, a year-less end month before the start month rolls into the next year; 次年/翌年/明年 = year + 1;
a year unknown from text and context is `XXXX` (in an unknown year February ends on the 29th, the latest
possible day). `year_inferred` is true when the year came from the reference year (also for 今年/明年,
which count from it).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .. import lexicon
from ..lexicon import LexiconError
from ..model import DateItem

__all__ = ["TimeWords", "Timex", "When", "YearRef", "normalize", "time_group", "time_words"]

# ---------------------------------------------------------------- words (models/time/*.txt)


def time_group(name: str, group: str) -> dict[str, str | None]:
    """Group `[group]` of `models/time/NAME.txt` as {word: value or None} (see `lexicon.table`)."""
    table = lexicon.table(f"time/{name}.txt")
    if group not in table:
        raise LexiconError(f"models/time/{name}.txt has no group [{group}]")
    return table[group]


def _day_bounds(spec: str) -> tuple[int, int]:
    """`1..10` -> (1, 10); `21..last` -> (21, 0), 0 standing for the month's last day."""
    a, _, b = spec.partition("..")
    return int(a), 0 if b == "last" else int(b)


def _year_bounds(spec: str) -> tuple[int, int, int, int]:
    """`12-21..12-31` -> (12, 21, 12, 31)."""
    a, _, b = spec.partition("..")
    (m1, d1), (m2, d2) = (tuple(int(x) for x in s.split("-")) for s in (a, b))
    return m1, d1, m2, d2


@dataclass(frozen=True)
class TimeWords:
    """The valued words of `models/time/`, parsed: what each calendar word means."""

    month_part: dict[str, tuple[int, int]]         # 上旬 -> days (1, 10) of the month
    month_word: dict[str, tuple[int, int]]         # 月底 (a range end inside the start's month) -> days
    year_part: dict[str, tuple[int, int, int, int]]   # 底 after 2021年 -> (12, 21, 12, 31)
    year_word: dict[str, tuple[int, int, int, int]]   # 年底 on its own
    quarter_part: dict[str, str]                   # 末 after 一季度 -> "last"
    month_name: dict[str, int]                     # 元 -> 1
    era: dict[str, int]                            # 民国 -> 1911
    roc_offset: int
    relative_year: dict[str, int]                  # 明年 -> 1
    duration_unit: dict[str, str]                  # 个月 -> P1M
    duration_half: dict[str, str]                  # 半年 -> P6M
    within_unit: dict[str, str]                    # 日 (before 内) -> P1D
    set_unit: dict[str, str]                       # 季度 (after 每) -> P3M
    act_unit: dict[str, str]                       # 周 (before 调度) -> P1W


@lru_cache(maxsize=1)
def time_words() -> TimeWords:
    periods = lexicon.table("time/periods.txt")
    era = time_group("eras", "era")
    return TimeWords(
        month_part={w: _day_bounds(v) for w, v in periods["month_part"].items()},
        month_word={w: _day_bounds(v) for w, v in periods["month_word"].items()},
        year_part={w: _year_bounds(v) for w, v in periods["year_part"].items()},
        year_word={w: _year_bounds(v) for w, v in periods["year_word"].items()},
        quarter_part=dict(periods["quarter_part"]),
        month_name={w: int(v) for w, v in time_group("calendar", "month_name").items()},
        era={w: int(v) for w, v in era.items()},
        roc_offset=int(era[next(iter(time_group("eras", "roc_era")))]),
        relative_year={w: int(v) for w, v in time_group("eras", "relative_year").items()},
        duration_unit=dict(time_group("durations", "unit")),
        duration_half=dict(time_group("durations", "half")),
        within_unit=dict(time_group("durations", "within_unit")),
        set_unit=dict(time_group("recurrence", "unit")),
        act_unit=dict(time_group("recurrence", "act_unit")),
    )


# ---------------------------------------------------------------- found expressions, year left open

STATED = "stated"       # 2021年, 二〇二一年, 民国110年, 113年 in a ROC plan: `n` is the year
RELATIVE = "relative"   # 今年, 明年, 去年: `n` is the offset from the reference year
UNKNOWN = "unknown"     # 20xx年: written, but never known
UNSTATED = "unstated"   # no year written: the reference year (a range end: its start's)


class YearRef(NamedTuple):
    """How an expression states its year."""

    how: str
    n: int = 0

    @property
    def written(self) -> bool:
        return self.how != UNSTATED


NO_YEAR = YearRef(UNSTATED)
IN_START_MONTH = 0   # a `When` month: the month its range's start ends in (6月11日至30日)
LAST = 0             # a `When` day: the month's last day


class When(NamedTuple):
    """A calendar day or stretch with its year left open: first and last (month, day), `grain` the EDTF
    precision of its value (day, month, year, or period: a first/last interval)."""

    year: YearRef
    first_month: int
    first_day: int
    last_month: int
    last_day: int          # LAST = the month's last day
    grain: str
    month_written: bool    # the expression writes a month (a range rolls over only between months)


class Timex(NamedTuple):
    """One found expression's meaning before the year is known. `when`: a date or deadline, or a range's
    start; `until`: a range's end; `period`: the ISO 8601 period of a duration or set."""

    kind: str
    when: When | None = None
    until: When | None = None
    period: str | None = None


# ---------------------------------------------------------------- normalizing


@dataclass(slots=True)
class _Day:
    """A `When` once its year is resolved: `y` None = unknown; `source` where the year came from
    ("text": written, "reference": the plan's year, "none": nowhere)."""

    y: int | None
    source: str
    when: When


_MONTH_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _last_day(y: int | None, m: int) -> int:
    """The last day of month `m` of year `y` (None: unknown, so February may have 29 days)."""
    if m != 2 or y is None:
        return _MONTH_DAYS[m]
    return 29 if calendar.isleap(y) else 28


def _resolve(w: When, year: int | None, source: str) -> _Day:
    """`w`'s year given the year it would take if it stated none (`year`, from `source`)."""
    yr = w.year
    if yr.how == STATED:
        return _Day(yr.n, "text", w)
    if yr.how == UNKNOWN:
        return _Day(None, "text", w)
    if yr.how == RELATIVE:
        return _Day(None if year is None else year + yr.n, source if year is not None else "none", w)
    return _Day(year, source, w)


def _exists(d: _Day) -> bool:
    """The days `d` names exist in its year (2月29日 only in a leap year, or an unknown one)."""
    w = d.when
    return ((w.first_day <= 28 or w.first_day <= _last_day(d.y, w.first_month))
            and (w.last_day <= 28 or w.last_day <= _last_day(d.y, w.last_month)))


def _ys(y: int | None) -> str:
    return "XXXX" if y is None else f"{y:04d}"


def _first(d: _Day) -> str:
    return f"{_ys(d.y)}-{d.when.first_month:02d}-{d.when.first_day:02d}"


def _last(d: _Day) -> str:
    w = d.when
    return f"{_ys(d.y)}-{w.last_month:02d}-{(w.last_day or _last_day(d.y, w.last_month)):02d}"


def _value(d: _Day) -> str:
    grain = d.when.grain
    if grain == "day":
        return _first(d)
    if grain == "month":
        return f"{_ys(d.y)}-{d.when.first_month:02d}"
    if grain == "year":
        return _ys(d.y)
    return f"{_first(d)}/{_last(d)}"


def _reference(year: int | None) -> tuple[int | None, str]:
    return year, ("reference" if year is not None else "none")


def _item(kind: str, value: str | None, first: str | None, last: str | None, inferred: bool = False,
          inconsistent: bool = False) -> DateItem:
    return DateItem(text="", kind=kind, value=value, first_day=first, last_day=last, year_inferred=inferred,
                    start=0, end=0, inconsistent=inconsistent)


def _range(tx: Timex, year: int | None) -> DateItem | None:
    """A range from its two ends: inheritance, next-year roll-over, inconsistency."""
    a = _resolve(tx.when, *_reference(year))
    until = tx.until
    if until.first_month == IN_START_MONTH:      # 30日, 月底: inside the start's (last) month
        m = a.when.last_month
        until = until._replace(first_month=m, last_month=m)
    if until.year.how == RELATIVE:
        # a relative year word in the end counts from the start's year
        b = _Day(None if a.y is None else a.y + until.year.n, a.source if a.y is not None else "none", until)
    else:
        b = _resolve(until, a.y, a.source)
    rolled = False
    if not until.year.written:
        if until.month_written and a.when.month_written and until.first_month < a.when.first_month:
            rolled = True                  # 12月11日至1月31日 (an unknown year cannot roll: XXXX stays)
            if b.y is not None:
                b.y += 1
    elif not a.when.year.written and until.year.how != RELATIVE:
        a.y, a.source = b.y, b.source      # 12月1日至2022年1月31日: the start takes the end's year
        if a.y is not None and a.when.month_written and a.when.first_month > until.last_month:
            a.y -= 1
    if not (_exists(a) and _exists(b)):
        return None
    first, last = _first(a), _last(b)
    if a.y is not None and b.y is not None:
        inconsistent = last < first
    elif a.y is None and b.y is None and not rolled:
        inconsistent = last[4:] < first[4:]
    else:
        inconsistent = False
    return _item("range", f"{first}/{last}", first, last, a.source == "reference", inconsistent)


def normalize(tx: Timex, year: int | None) -> DateItem | None:
    """`tx`'s `DateItem` (text and offsets left for the caller) in a plan whose reference year is `year`
    (None: unknown); None when its days do not exist in that year (2月29日 in 2021)."""
    if tx.kind in ("duration", "set"):
        return _item(tx.kind, tx.period, None, None)
    if tx.kind == "range":
        return _range(tx, year)
    d = _resolve(tx.when, *_reference(year))
    if not _exists(d):
        return None
    inferred = d.source == "reference"
    if tx.kind == "deadline":
        return _item("deadline", _last(d), None, _last(d), inferred)
    return _item("date", _value(d), _first(d), _last(d), inferred)
