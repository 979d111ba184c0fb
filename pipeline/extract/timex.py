"""Meaning of temporal expressions: a found expression with its year left open (`Timex`) plus the plan's
reference year -> inclusive day bounds and an EDTF value (`DateItem`, DATASET.md `dates[]`).

`dates.py` finds expressions and reads each into a `Timex` once per plan, whatever the year; this module
decides everything the year decides: which year an unstated, relative or two-digit year is, how long a
month is, whether a day exists (2月29日), on which days a week falls, whether a range rolls over into the
next year or ends before it starts, what a year-less day or 次年 takes from the date before it
(`Context`), whether a date is the plan's background (`is_historical`). STYLE lesson 11 (jionlp: find,
then normalize).

Conventions (DATASET.md, and docs/date_conventions.md for those the contract does not state): 月 = the
whole month; 上旬/初 = days 1-10, 中旬/中 = 11-20, 下旬/底/末 = 21-last; 上半年/下半年; quarters;
年底/年末/年终 = Dec 21-31 as a date, Dec 31 as a deadline; a range end inherits year and month from its
start, a year-less end month before the start month rolls into the next year; 明年 = year + 1 (relative
years count from the reference year, also at a range's end), 次年/翌年 = the year before them + 1; a
two-digit year lies from 79 years before the reference year to 20 after; a year unknown from text and context is `XXXX` (in an unknown year February ends on the 29th, the latest
possible day). `year_inferred` is true when the year came from the reference year (also for 今年/明年,
which count from it).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from .. import lexicon
from ..lexicon import LexiconError
from ..model import DateItem

__all__ = ["Context", "TimeWords", "Timex", "When", "YearRef", "context_of", "depends_on_context", "is_historical", "normalize",
           "time_group", "time_words"]

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
    weekday: dict[str, int]                        # 一 -> 1 (Monday), 日 -> 7
    era: dict[str, int]                            # 民国 -> 1911
    roc_offset: int
    relative_year: dict[str, int]                  # 明年 -> 1 (from the reference year)
    following_year: dict[str, int]                 # 次年 -> 1 (from the year of the date before it)
    relative_years: dict[str, tuple[int, int]]     # 今明两年 -> (0, 1)
    duration_unit: dict[str, str]                  # 月 (after a count and 个) -> P1M
    duration_half: dict[str, str]                  # 半年 -> P6M
    set_unit: dict[str, str]                       # 季度 (after 每) -> P3M
    by_unit: dict[str, str]                        # 季 (after 按) -> P3M
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
        weekday={w: int(v) for w, v in time_group("calendar", "weekday").items()},
        era={w: int(v) for w, v in era.items()},
        roc_offset=int(era[next(iter(time_group("eras", "roc_era")))]),
        relative_year={w: int(v) for w, v in time_group("eras", "relative_year").items()},
        following_year={w: int(v) for w, v in time_group("eras", "following_year").items()},
        relative_years={w: tuple(int(x) for x in v.split("..")) for w, v in time_group("eras", "relative_years").items()},
        duration_unit={w: v for g in ("unit", "unit_after_ge", "unit_in_compound", "day_unit")
                       for w, v in time_group("durations", g).items()},
        duration_half=dict(time_group("durations", "half_unit")),
        set_unit=dict(time_group("recurrence", "unit")),
        by_unit=dict(time_group("recurrence", "by_unit")),
        act_unit=dict(time_group("recurrence", "act_unit")),
    )


# ---------------------------------------------------------------- found expressions, year left open

STATED = "stated"       # 2021年, 二〇二一年, 民国110年, 113年 in a ROC plan: `n` is the year
TWO_DIGIT = "two_digit" # 15年3月, 九七年一季度: `n` is the last two digits, the century the reference year's
RELATIVE = "relative"   # 今年, 明年, 去年: `n` is the offset from the reference year
FOLLOWING = "following" # 次年, 翌年, 同年: `n` is the offset from the year of the date before it
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
FROM_CONTEXT = -1    # a `When` month: the month of the date written before it (9月10号，11号; 10日考试)
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
    week: tuple | None = None   # a week or weekday the year places: ("month_week", n) the Monday-Sunday
    # week starting on the month's nth Monday, ("weekday", n, wd) its nth weekday wd (1 = Monday),
    # ("year_week", n) the week starting on the year's nth Monday; first/last then bound the month or year


class Timex(NamedTuple):
    """One found expression's meaning before the year is known. `when`: a date or deadline, or a range's
    start; `until`: a range's end; `period`: the ISO 8601 period of a duration or set."""

    kind: str
    when: When | None = None
    until: When | None = None
    period: str | None = None


# ---------------------------------------------------------------- normalizing


class Context(NamedTuple):
    """What a plan's earlier dates tell a later one: the year and month of the last date before it
    (次年/同年 count from that year, 11号 and 10日 take that month)."""

    year: int | None
    source: str
    month: int | None


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


def _century(two: int, year: int) -> int:
    """The year ending in `two` (0-99) that lies from 79 years before `year` to 20 after it."""
    y = year - year % 100 + two
    if y > year + 20:
        y -= 100
    elif y < year - 79:
        y += 100
    return y


def _resolve(w: When, year: int | None, source: str, reference: int | None,
             context: Context | None = None) -> _Day:
    """`w`'s year given the year it would take if it stated none (`year`, from `source`), the plan's
    reference year and what the dates before it say."""
    yr = w.year
    if w.first_month == FROM_CONTEXT:       # 11号 of 9月10号，11号: the month (and year) of the date before
        m = context.month if context else None
        w = w._replace(first_month=m or 1, last_month=m or 1)
        if not yr.written:
            return _Day(context.year if context else None, context.source if context else "none", w)
    if yr.how == STATED:
        return _Day(yr.n, "text", w)
    if yr.how == UNKNOWN:
        return _Day(None, "text", w)
    if yr.how == TWO_DIGIT:
        return _Day(None if reference is None else _century(yr.n, reference), "text" if reference else "none", w)
    if yr.how == RELATIVE:
        return _Day(None if reference is None else reference + yr.n, "reference" if reference is not None else "none", w)
    if yr.how == FOLLOWING:
        base, base_source = (context.year, context.source) if context and context.year is not None else (
            reference, "reference")
        return _Day(None if base is None else base + yr.n, base_source if base is not None else "none", w)
    return _Day(year, source, w)


def _week_days(y: int, w: When) -> tuple[date, date] | None:
    """The days a week rule names in year `y`; None when it falls outside its month or year."""
    kind, n = w.week[0], w.week[1]
    if kind == "year_week":
        jan1 = date(y, 1, 1)
        first = jan1 + timedelta(days=(7 - jan1.weekday()) % 7 + 7 * (n - 1))
        return (first, first + timedelta(days=6)) if first.year == y else None
    day1 = date(y, w.first_month, 1)
    if kind == "weekday":
        wd = w.week[2] - 1
        day = day1 + timedelta(days=(wd - day1.weekday()) % 7 + 7 * (n - 1))
        return (day, day) if day.month == w.first_month else None
    first = day1 + timedelta(days=(7 - day1.weekday()) % 7 + 7 * (n - 1))
    return (first, first + timedelta(days=6)) if first.month == w.first_month else None


def _ys(y: int | None) -> str:
    return "XXXX" if y is None else f"{y:04d}"


def _bounds(d: _Day) -> tuple[str, str] | None:
    """`d`'s first and last day, ISO (`XXXX-…` in an unknown year); None when they do not exist in its
    year (2月29日 in 2021, the fifth Monday of a month with four)."""
    w = d.when
    if w.week is not None:
        if d.y is None:      # weekdays need the year: the month (a week of an unknown year: nothing)
            if w.week[0] == "year_week":
                return None
            w = w._replace(first_day=1, last_day=LAST)
        else:
            days = _week_days(d.y, w)
            return days and (days[0].isoformat(), days[1].isoformat())
    if w.first_day > 28 and w.first_day > _last_day(d.y, w.first_month):
        return None
    last_day = w.last_day or _last_day(d.y, w.last_month)
    if last_day > 28 and last_day > _last_day(d.y, w.last_month):
        return None
    y = _ys(d.y)
    return f"{y}-{w.first_month:02d}-{w.first_day:02d}", f"{y}-{w.last_month:02d}-{last_day:02d}"


def _value(d: _Day, first: str, last: str) -> str:
    grain = d.when.grain
    if grain == "day" and first == last:
        return first
    if grain == "month":
        return first[:7]
    if grain == "year":
        return first[:4]
    return f"{first}/{last}"


def _item(kind: str, value: str | None, first: str | None, last: str | None, inferred: bool = False,
          inconsistent: bool = False) -> DateItem:
    return DateItem(text="", kind=kind, value=value, first_day=first, last_day=last, year_inferred=inferred,
                    start=0, end=0, inconsistent=inconsistent)


def _range(tx: Timex, year: int | None, context: Context | None) -> DateItem | None:
    """A range from its two ends: inheritance, next-year roll-over, inconsistency."""
    ref = "reference" if year is not None else "none"
    a = _resolve(tx.when, year, ref, year, context)
    until = tx.until
    if until.first_month == IN_START_MONTH:      # 30日, 月底: inside the start's (last) month
        m = a.when.last_month
        until = until._replace(first_month=m, last_month=m)
    # the end's year: 次年 counts from the start's; 今年, 15年 from the reference year; none: the start's
    b = _resolve(until, a.y, a.source, year, Context(a.y, a.source, a.when.last_month))
    rolled = False
    if not until.year.written:
        if until.month_written and a.when.month_written and until.first_month < a.when.first_month:
            rolled = True                  # 12月11日至1月31日 (an unknown year cannot roll: XXXX stays)
            if b.y is not None:
                b.y += 1
    elif not tx.when.year.written and until.year.how in (STATED, TWO_DIGIT, UNKNOWN):
        a.y, a.source = b.y, b.source      # 12月1日至2022年1月31日: the start takes the end's year
        if a.y is not None and a.when.month_written and a.when.first_month > until.last_month:
            a.y -= 1
    first_bounds, last_bounds = _bounds(a), _bounds(b)
    if first_bounds is None or last_bounds is None:
        return None
    first, last = first_bounds[0], last_bounds[1]
    if a.y is not None and b.y is not None:
        inconsistent = last < first
    elif a.y is None and b.y is None and not rolled:
        inconsistent = last[4:] < first[4:]
    else:
        inconsistent = False
    return _item("range", f"{first}/{last}", first, last, a.source == "reference", inconsistent)


def normalize(tx: Timex, year: int | None, context: Context | None = None) -> DateItem | None:
    """`tx`'s `DateItem` (text and offsets left for the caller) in a plan whose reference year is `year`
    (None: unknown), after the dates `context` sums up; None when its days do not exist in that year
    (2月29日 in 2021) or it leans on a date that is not there (a day alone, with no month before it)."""
    if tx.kind in ("duration", "set"):
        return _item(tx.kind, tx.period, None, None)
    if tx.when.first_month == FROM_CONTEXT and (context is None or context.month is None):
        return None
    if tx.kind == "range":
        return _range(tx, year, context)
    d = _resolve(tx.when, year, "reference" if year is not None else "none", year, context)
    bounds = _bounds(d)
    if bounds is None:
        return None
    first, last = bounds
    inferred = d.source == "reference"
    if tx.kind == "deadline":
        return _item("deadline", last, None, last, inferred)
    return _item("date", _value(d, first, last), first, last, inferred)


def depends_on_context(tx: Timex) -> bool:
    """True when `tx`'s meaning depends on the dates before it (次年 alone, 11号 of a list)."""
    return tx.when is not None and (tx.when.first_month == FROM_CONTEXT or tx.when.year.how == FOLLOWING)


def context_of(item: DateItem | None) -> Context | None:
    """The context a date leaves for the dates after it: its (last) year and month."""
    if item is None or item.last_day is None:
        return None
    day = item.last_day
    y = int(day[:4]) if day[:4].isdigit() else None
    source = "reference" if item.year_inferred else ("text" if y is not None else "none")
    return Context(y, source, int(day[5:7]))


def is_historical(item: DateItem, year: int | None) -> bool:
    """True when a date of a plan whose reference year is `year` is background, not the plan's time: it
    ends before that year and begins more than a year before it (公元一九四八年, 一九九五年至二〇〇四年 in a
    plan of 2005; a plan of 2008 issued on 2007-12-25 keeps that day)."""
    if year is None or item.last_day is None or not item.last_day[:4].isdigit():
        return False
    first = item.first_day or item.last_day
    return item.last_day < f"{year:04d}-01-01" and first < f"{year - 1:04d}-01-01"
