"""Temporal expressions of a plan: find them in the text (`Timex`, year left open), then normalize each with
the plan's reference year (`timex.normalize`) to day bounds and an EDTF value.

`find_dates(text, year, roc)` reads a plan's normalized simplified text and returns one `DateItem` per
temporal expression (kinds `date`, `range`, `deadline`, `duration`, `set`; DATASET.md `dates[]`), grounded
(`text[item.start:item.end] == item.text`), sorted and non-overlapping. `find_timexes(text, roc)` is the
year-independent half, computed once per text however often the plan's dates are asked for (metadata
looks for the year before the dates are normalized with it). `parse_date(expr, year)` normalizes one
expression (phases use it for their `time_text`).

Find, then normalize (STYLE lesson 11): one finder regex, compiled once on first use, is an ordered
alternation of (name, pattern) rows; the row that matched names its reader, which turns the row's named
groups into a `Timex`. Rows come longest construct first (deadline with a prefix, ranges, deadline with a
suffix, a date, recurrences, durations), so at any position the fullest reading wins; `re.finditer` gives
the leftmost, non-overlapping matches. The regex *structure* lives here, the meaning of each word in
`timex.py`; every Chinese word (calendar units, period bounds, eras, recurrence and duration units,
markers, guards) lives in `models/time/*.txt`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..lexicon import alternation
from ..model import DateItem
from ..numerals import DIGITS, UNITS, parse_cn
from .timex import (IN_START_MONTH, LAST, NO_YEAR, RELATIVE, STATED, UNKNOWN, Timex, When, YearRef,
                    normalize, time_group, time_words)

__all__ = ["Mention", "find_dates", "find_timexes", "parse_date", "uses_roc_years"]


def _alt(name: str, group: str) -> str:
    return alternation(time_group(name, group))


def _chars(name: str, group: str) -> str:
    """A group of one-character entries as the inside of a regex character class."""
    return "".join(re.escape(w) for w in time_group(name, group))


# ---------------------------------------------------------------- the grammar

_SP = r"[ \t\u3000]*"                      # spaces a scraped text may put between parts
_CN = "".join(DIGITS) + "".join(UNITS)    # Chinese numeral characters
_CN_CLASS = re.escape(_CN)
_NOT_NUM = rf"(?<![\d{_CN_CLASS}])"      # a number starts here, not inside another one (after 1. it may)
_PUNCT = r"[\s，。、；：,.;:!?！？（）()《》“”\"'【】\[\]/|—–―~～-]"


# Numbers as dates write them (numeral grammar, not cue words: the characters are those of numerals.py)
_MONTH_NUM = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"                      # 3, 03, 十二
_DAY_NUM = r"3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九]"  # 8, 二十一
_QUARTER_NUM = r"[1-4一二三四]"
_YEAR_DIGIT = "[〇零○Ｏ一二三四五六七八九]"                                       # 二〇二一
_COUNT_START = "[一二三四五六七八九十两]"                                          # 两个月, 十天


def _cn_num(max_len: int) -> str:
    return rf"[{_CN_CLASS}]{{1,{max_len}}}"


@dataclass(frozen=True)
class _Pieces:
    conn: str          # range connector
    close: str         # range close (止)
    before: str        # deadline marker after a date (前)
    not_before_dl: str
    prefix: str        # deadline marker before a date (截至, 到)
    tod: str           # time of day after a day


@lru_cache(maxsize=1)
def _pieces() -> _Pieces:
    clock = (rf"(?:(?:[01]?\d|2[0-4])[:：][0-5]\d(?:[:：][0-5]\d)?|(?:\d{{1,2}}|{_cn_num(3)}){_alt('markers', 'hour')}"
             rf"(?:(?:\d{{1,2}}|{_cn_num(3)}){_alt('markers', 'minute')}|{_alt('markers', 'half_hour')})?)")
    part = _alt("markers", "part_of_day")
    conn = _alt("markers", "range")
    weekday = (rf"(?:{_SP}[（(]{_alt('calendar', 'weekday_prefix')}[{_chars('calendar', 'weekday')}][）)])")
    tod = rf"{weekday}?(?:{_SP}{part}?{_SP}{clock}(?:{_SP}{conn}{_SP}{part}?{_SP}{clock})?|{_SP}{part})?"
    return _Pieces(
        conn=conn,
        close=_alt("markers", "range_close"),
        before=_alt("markers", "deadline_after"),
        not_before_dl=_alt("markers", "deadline_not_before"),
        prefix=_alt("markers", "deadline_before"),
        tod=tod,
    )


def _point(t: str, roc: bool, bare_day: bool = False, lead: bool = True) -> str:
    """A date: a year, a month, a day, or a part of a year or month. Its groups are named `t_NAME`, or
    `t_alone_NAME` for the month and quarter forms written without a year (`_point_groups` reads both
    under NAME): era/era_year (民国110年), year (2021年), cn_year (二〇二一年), roc_year (110年, ROC),
    open_year (20xx年), rel_year (今年), year_part (底, 上半年 after a year), quarter/quarter_part/
    quarter_q (第一季度末, Q1), month/month_part/day (3月上旬, 3月8日), no_day_unit (3月25 before 前),
    year_word (年底 on its own), num_year/num_sep/num_month/num_day (2021-03-24)."""
    d = time_words()
    p = _pieces()
    year_unit = _alt("calendar", "year")
    month_unit = _alt("calendar", "month")
    day_unit = _alt("calendar", "day")
    xdig = _chars("calendar", "unknown_year_digit")
    year_suffix = _alt("calendar", "year_suffix")
    not_after_year_word = _alt("markers", "not_after_year_word")
    guarded = set(time_group("periods", "guarded_year_word"))

    def words_alt(entries) -> str:
        """Alternation of period words; a guarded word (年终) may not begin an assessment's name."""
        plain = [w for w in entries if w not in guarded]
        guard = [w for w in entries if w in guarded]
        alts = []
        if plain:
            alts.append(alternation(plain))
        if guard:
            alts.append(alternation(guard) + f"(?!{not_after_year_word})")
        return "(?:" + "|".join(alts) + ")"

    def nb(rx: str = rf"[\d{_CN_CLASS}]") -> str:    # not after: a look-behind, when `lead`
        return f"(?<!{rx})" if lead else ""

    nb_num, nb_digit = nb(), nb(r"\d")
    nb_year, nb_x = nb(rf"[\d{xdig}]"), nb(rf"[\dA-Za-z{xdig}]")
    nb_word = nb(rf"[\d{_CN_CLASS}{xdig}]")
    era = alternation(d.era)
    years = [
        rf"(?P<{t}_era>{era}){_SP}(?P<{t}_era_year>\d{{1,4}}|{_cn_num(6)}){_SP}{year_unit}",
        rf"{nb_year}(?P<{t}_year>(?:1[89]|20)\d\d){_SP}{year_unit}",
        rf"{nb_num}(?P<{t}_cn_year>{_YEAR_DIGIT}{{4}}){year_unit}",
        rf"{nb_x}(?P<{t}_open_year>[{xdig}]{{4}}|(?:19|20)[{xdig}]{{2}}|[{xdig}]{{2}}){_SP}{year_unit}"
        rf"(?!{_SP}[{xdig}]{{1,2}}{_SP}{month_unit})",   # xx年xx月xx日 is a blank form, not a date
        rf"(?P<{t}_rel_year>{alternation(d.relative_year)})",
    ]
    if roc:
        # 113年; a 2-digit ROC year (99年) only before a month or 度
        roc_2digit = rf"[5-9]\d(?={_SP}{year_unit}(?:{year_suffix}|{_SP}\d{{1,2}}{_SP}{month_unit}))"
        years.insert(2, rf"{nb_digit}(?P<{t}_roc_year>1\d\d|{roc_2digit}){_SP}{year_unit}")
    year = "(?:" + "|".join(years) + ")" + f"(?:{year_suffix})?"

    strict = set(time_group("periods", "month_part_strict"))
    mp_plain = [w for w in d.month_part if w not in strict]
    mp_strict = [w for w in d.month_part if w in strict]

    def month(g: str) -> str:   # 3月, 3月份, 3月上旬, 3月8日(星期一)下午2:30
        day_num = rf"(?P<{g}_day>{_DAY_NUM})"
        day = rf"{day_num}{_SP}{day_unit}{p.tod}"
        if bare_day:   # 4月10——30日, 3月25前: the day's unit may be left out before a connector or 前;
            # the empty group `no_day_unit` marks that, and the caller then requires one (_needs_tail)
            day = rf"{day_num}(?:{_SP}{day_unit}{p.tod}|(?P<{g}_no_day_unit>)(?!\d))"
        month_part = (rf"(?P<{g}_month_part>(?:{alternation(mp_plain)}|{alternation(mp_strict)}"
                      rf"(?=$|{_PUNCT}|{p.conn}|{p.before}))(?![{_chars('periods', 'month_part_not_before')}]))")
        return (rf"(?P<{g}_month>{_MONTH_NUM}|{alternation(d.month_name)})"
                rf"{_SP}{month_unit}(?:{_alt('calendar', 'month_suffix')})?(?:{_SP}(?:{day}|{month_part}))?")

    def quarter(g: str) -> str:   # 第一季度, 一季度末, Q1
        return (rf"(?:{_alt('calendar', 'ordinal')})?(?P<{g}_quarter>{_QUARTER_NUM}){_alt('calendar', 'quarter')}"
                rf"(?P<{g}_quarter_part>{alternation(d.quarter_part)})?"
                rf"|{_alt('calendar', 'quarter_latin')}(?P<{g}_quarter_q>[1-4])(?!\d)")

    alone = f"{t}_alone"
    year_tail = (rf"(?:{_SP}(?:{month(t)}|(?:{year_unit})?(?P<{t}_year_part>{words_alt(d.year_part)})"
                 rf"|{quarter(t)}))?")
    numeric = (rf"{nb_digit}(?P<{t}_num_year>(?:19|20)\d\d)(?P<{t}_num_sep>[-./])(?P<{t}_num_month>1[0-2]|0?[1-9])"
               rf"(?P={t}_num_sep)(?P<{t}_num_day>3[01]|[12]\d|0?[1-9])(?![\d.]){p.tod}")
    return (rf"(?:{numeric}|{year}{year_tail}|{nb_num}{month(alone)}"
            rf"|{nb_word}(?P<{t}_year_word>{words_alt(d.year_word)})"
            rf"|{nb_num}(?:{quarter(alone)}))")


def _needs_tail(t: str) -> str:
    """Fails when point `t` took a day without its unit (`3月25`) and no connector or 前 follows."""
    return rf"(?({t}_no_day_unit)(?!)|(?({t}_alone_no_day_unit)(?!)|))"


def _range_end(t: str, roc: bool) -> str:
    """A range's second end: a full date, or one that leans on the start (30日, 月底)."""
    d = time_words()
    return (rf"(?:{_point(t, roc, lead=False)}"
            rf"|(?P<{t}_day_only>{_DAY_NUM}){_SP}{_alt('calendar', 'day')}{_pieces().tod}"
            rf"|(?P<{t}_month_word>{alternation(d.month_word)}))")


_REACH = 20   # a match holds one of its row's anchor characters within this many characters of its start


def _anchors(*groups: tuple[str, str], also: str = "", words=()) -> str:
    """Characters one of which every match of a row holds near its start: the last character of each
    unit word of `groups` (`(file, group)`: a match holds the whole word), `also`, and the last character
    of each of `words` (words a match may consist of) that holds none of those."""
    chars = set(also)
    for name, group in groups:
        chars |= {w[-1] for w in time_group(name, group)}
    chars |= {w[-1] for w in words if not chars & set(w)}
    return "".join(sorted(chars))


def _rows(roc: bool) -> list[tuple[str, str, str | None]]:
    """The finder's rows, (name, regex, anchors) in priority order; each name has a reader. A row
    with anchors is only tried where one of them follows within `_REACH` characters."""
    p = _pieces()
    d = time_words()
    month_unit = _alt("calendar", "month")
    year_unit = _alt("calendar", "year")
    conn = rf"{_SP}{p.conn}{_SP}"
    close = rf"(?:{_SP}{p.close})?"
    before = rf"{_SP}{p.before}(?!{p.not_before_dl})"
    num = rf"(?:\d+(?:\.\d{{1,2}}(?!\d))?|{_COUNT_START}[{_CN_CLASS}]{{0,4}})"
    num_start = rf"(?<![\d.{_CN_CLASS}{_chars('durations', 'not_after')}{_chars('recurrence', 'every')}~～\-—–―〜])"
    dur_units = alternation(d.duration_unit)
    # 21年3月 and 2021年度 are years, not durations
    year_month_ahead = (rf"(?<={year_unit})(?:{_alt('calendar', 'year_suffix')}|{_SP}\d"
                        rf"|{_SP}[{_CN_CLASS}]{{1,2}}{month_unit})")
    mpart = alternation(d.month_part)
    # every date holds a year, month or quarter unit (year words and relative years hold 年), a Q or a
    # numeric date's separator; every duration holds its unit
    quarter_first = "".join(w[0] for w in time_group("calendar", "quarter"))
    dated_anchors = _anchors(("calendar", "year"), ("calendar", "month"), ("calendar", "quarter_latin"),
                             also=quarter_first + "-./", words=[*d.year_word, *d.relative_year])
    duration_anchors = _anchors(("durations", "unit"), ("durations", "half"))
    week_ends = "".join(re.escape(w[-1]) for w in time_group("recurrence", "week_word"))
    weekday = (rf"[{_chars('recurrence', 'weekday')}](?!{_alt('recurrence', 'weekday_not_before')})")
    set_day = (rf"(?:(?<=[{week_ends}]){weekday}"   # 每周五
               rf"|(?<=[{_chars('calendar', 'month')}]){_alt('recurrence', 'ordinal')}{num}"
               rf"(?:{_alt('recurrence', 'count_word')})?(?:{_alt('recurrence', 'week_word')}){weekday})")  # 每月第一个周六
    rows = [
        # 截至2021年12月31日, 到2021年底
        ("deadline_prefix", rf"(?P<deadline_before>{p.prefix}){_SP}{_point('due', roc)}(?:{before})?", None),
        # 2021-2025年
        ("range_years", rf"(?<!\d)(?P<years_from>(?:19|20)\d\d){conn}(?P<years_to>(?:19|20)\d\d){_SP}{year_unit}"
                        rf"(?:{_alt('calendar', 'year_suffix')})?{close}", _anchors(("calendar", "year"))),
        # 3-5月, 2021年3—5月
        ("range_months", rf"(?:(?<!\d)(?P<months_year>(?:19|20)\d\d){_SP}{year_unit}{_SP})?{_NOT_NUM}"
                         rf"(?P<months_from>{_MONTH_NUM}){conn}"
                         rf"(?P<months_to>{_MONTH_NUM}){_SP}{month_unit}"
                         rf"(?:{_alt('calendar', 'month_suffix')})?(?P<months_to_part>{mpart})?{close}",
         _anchors(("calendar", "month"))),
        # a date, and what follows it: 2021年3月24日, 12月底, 下半年, 一季度, 年内 (a date);
        # 6月11日至30日, 4月初至11月底, 12月11日至次年1月31日 (a range); 6月底前, 3月25前 (a deadline)
        ("dated", rf"{_point('start', roc, bare_day=True)}(?:(?P<range>{conn}{_range_end('end', roc)}{close})"
                  rf"|(?P<deadline_after>{before})|{_needs_tail('start')})", dated_anchors),
        # 每月, 每两个月, 每季度; with the day in each period: 每周五, 每月第一个周六
        ("set_every", rf"{_alt('recurrence', 'every')}(?:(?P<every_count>{num}))?(?:{_alt('recurrence', 'count_word')})?"
                      rf"(?P<every_unit>{alternation(d.set_unit)}){set_day}?", None),
        # 周调度、月述职、季盘点、年评比
        ("set_act", rf"(?<![\d{_CN_CLASS}{_chars('recurrence', 'act_not_after')}])"
                    rf"(?P<act_unit>{alternation(d.act_unit)})(?P<act>{_alt('recurrence', 'act')})", None),
        # 半年, 半个月
        ("duration_half", rf"(?:{_alt('durations', 'qualifier')}{_SP})?"
                          rf"(?<![{_chars('durations', 'half_not_after')}])(?P<half>{alternation(d.duration_half)})",
         None),
        # 3个月, 不少于10小时, 为期两周
        ("duration", rf"(?:(?P<qualifier>{_alt('durations', 'qualifier')}){_SP})?{num_start}(?P<count>{num}){_SP}"
                     rf"(?P<unit>{dur_units})(?![{_chars('durations', 'not_before')}])(?!{year_month_ahead})",
         duration_anchors),
        # 7日内 (not 3月7日内, a date)
        ("duration_within", rf"{num_start}(?<![{_chars('calendar', 'month')}])(?P<within_count>{num}){_SP}"
                            rf"(?P<within_unit>{alternation(d.within_unit)})(?={_alt('durations', 'within')})",
         _anchors(("durations", "within_unit"))),
    ]
    return rows


@lru_cache(maxsize=2)
def _finder(roc: bool) -> re.Pattern:
    """The combined finder: one named group per row, rows in priority order. Each row, and the whole,
    sits behind a one-character look-ahead of the characters a match can start with, so most positions
    fail on one test and most rows are skipped on one test."""
    rows = []
    for name, rx, anchors in _rows(roc):
        first = _first_chars(rx)
        guard = f"(?=[{first}])" if first else ""
        if anchors:
            a = re.escape(anchors)
            guard += f"(?=[^{a}\n]{{0,{_REACH}}}[{a}])"
        rows.append((first, f"{guard}(?P<{name}>{rx})"))
    alt = "|".join(rx for _, rx in rows)
    if all(first for first, _ in rows):   # (no row starts right after a digit: numbers start whole)
        return re.compile(f"(?<!\\d)(?=[{''.join(first for first, _ in rows)}])(?:{alt})")
    return re.compile(alt)


def _first_chars(rx: str) -> str | None:
    """The inside of a character class holding every character a match of `rx` can start with, read
    from the parsed pattern (look-arounds are skipped: a superset is safe); None when it cannot tell."""
    try:
        from re import _constants as C, _parser as P
    except ImportError:   # pragma: no cover - another Python's private layout: no prefilter
        return None

    def first(seq) -> tuple[list, bool] | None:
        items: list = []
        for op, av in seq:
            if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
                continue
            if op is C.LITERAL:
                return items + [(op, av)], False
            if op is C.IN:
                if any(o is C.NEGATE for o, _ in av):
                    return None
                return items + list(av), False
            if op is C.SUBPATTERN or op is C.ATOMIC_GROUP:
                sub = first(av[-1] if op is C.SUBPATTERN else av)
            elif op is C.BRANCH:
                subs = [first(alt) for alt in av[1]]
                if any(x is None for x in subs):
                    return None
                sub = ([i for x in subs for i in x[0]], any(x[1] for x in subs))
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                sub = first(av[2])
                if sub is not None and av[0] == 0:
                    sub = (sub[0], True)
            elif op is C.GROUPREF_EXISTS:
                subs = [first(av[1])] + [first(av[2]) if av[2] is not None else ([], True)]
                if any(x is None for x in subs):
                    return None
                sub = ([i for x in subs for i in x[0]], any(x[1] for x in subs))
            else:               # ANY, NOT_LITERAL, GROUPREF…: anything may come first
                return None
            if sub is None:
                return None
            items += sub[0]
            if not sub[1]:
                return items, False
        return items, True

    try:
        found = first(P.parse(rx))
    except Exception:   # pragma: no cover - defensive: a prefilter is an optimization only
        return None
    if found is None or found[1]:
        return None
    out = []
    for op, av in found[0]:
        if op is C.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is C.RANGE:
            out.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is C.CATEGORY and av is C.CATEGORY_DIGIT:
            out.append(r"\d")
        else:
            return None
    return "".join(sorted(set(out)))


# ---------------------------------------------------------------- reading a match into a Timex


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    return time_words().month_name.get(s) or parse_cn(s)


def _g(m: re.Match, name: str) -> str | None:
    """Group `name` of `m`, None when unmatched or absent from the pattern."""
    return m.group(name) if name in m.re.groupindex else None


_POINT_GROUPS = ("num_year", "num_month", "num_day", "era", "era_year", "year", "cn_year", "roc_year",
                 "open_year", "rel_year", "year_word", "quarter", "quarter_q", "quarter_part", "year_part",
                 "month", "month_part", "day")

_GROUP_NAMES: dict[tuple[int, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _point_groups(m: re.Match, t: str) -> dict[str, str]:
    """The matched groups of point `t` (`t_NAME` and `t_alone_NAME`), keyed by NAME, in one call."""
    key = (id(m.re), t)    # (hashing a compiled pattern hashes its whole code: key on its id)
    if key not in _GROUP_NAMES:
        pairs = [(k, f"{t}{sep}{k}") for k in _POINT_GROUPS for sep in ("_", "_alone_")]
        pairs = [(k, name) for k, name in pairs if name in m.re.groupindex]
        _GROUP_NAMES[key] = tuple(k for k, _ in pairs), tuple(name for _, name in pairs)
    keys, names = _GROUP_NAMES[key]
    return {k: v for k, v in zip(keys, m.group(*names)) if v is not None}


def _year_ref(g: dict) -> YearRef | None:
    """How a point's groups state its year; None when the year they write is no year (二〇九九九年)."""
    d = time_words()
    if "era" in g:
        n = parse_cn(g["era_year"])
        return None if n is None else YearRef(STATED, n + d.era[g["era"]])
    if "year" in g:
        return YearRef(STATED, int(g["year"]))
    if "cn_year" in g:
        n = parse_cn(g["cn_year"])
        return YearRef(STATED, n) if n is not None and 1800 <= n <= 2200 else None
    if "roc_year" in g:
        return YearRef(STATED, int(g["roc_year"]) + d.roc_offset)
    if "open_year" in g:
        return YearRef(UNKNOWN)
    if "rel_year" in g:
        return YearRef(RELATIVE, d.relative_year[g["rel_year"]])
    return NO_YEAR


def _year_grain(m1: int, d1: int, m2: int, d2: int) -> str:
    return "year" if (m1, d1, m2, d2) == (1, 1, 12, 31) else "period"


def _read_point(m: re.Match, t: str) -> When | None:
    """The `_point(t)` groups of a match as a `When`; None when the numbers make no date (13月, 32日)."""
    d = time_words()
    g = _point_groups(m, t)
    if "num_year" in g:
        y, mo, dd = int(g["num_year"]), int(g["num_month"]), int(g["num_day"])
        return When(YearRef(STATED, y), mo, dd, mo, dd, "day", True)
    yr = _year_ref(g)
    if yr is None:
        return None
    if "year_word" in g:
        m1, d1, m2, d2 = d.year_word[g["year_word"]]
        return When(yr, m1, d1, m2, d2, _year_grain(m1, d1, m2, d2), False)
    q = g.get("quarter") or g.get("quarter_q")
    if q is not None:
        n = parse_cn(q)
        m1, d1, m2, d2 = 3 * n - 2, 1, 3 * n, LAST
        part = d.quarter_part.get(g["quarter_part"]) if "quarter_part" in g else None
        if part == "first":
            m2, d2 = m1, 10
        elif part == "last":
            m1, d1 = m2, 21
        return When(yr, m1, d1, m2, d2, "period", False)
    if "year_part" in g:
        m1, d1, m2, d2 = d.year_part[g["year_part"]]
        return When(yr, m1, d1, m2, d2, _year_grain(m1, d1, m2, d2), False)
    if "month" in g:
        mo = _num(g["month"])
        if not mo or mo > 12:
            return None
        if "day" in g:
            dd = _num(g["day"])
            if not dd or dd > 31:
                return None
            return When(yr, mo, dd, mo, dd, "day", True)
        if "month_part" in g:
            d1, d2 = d.month_part[g["month_part"]]
            return When(yr, mo, d1, mo, d2, "period", True)
        return When(yr, mo, 1, mo, LAST, "month", True)
    if yr.written:   # a year alone: 2021年, 今年
        return When(yr, 1, 1, 12, 31, "year", False)
    return None


def _read_dated(m: re.Match) -> Timex | None:
    start = _read_point(m, "start")
    if start is None:
        return None
    if m.group("range"):
        return _read_range(m, start)
    return Timex("deadline" if m.group("deadline_after") else "date", start)


def _read_range(m: re.Match, start: When) -> Timex | None:
    day_only, month_word = _g(m, "end_day_only"), _g(m, "end_month_word")
    if day_only:                            # 6月11日至30日: inside the start's month
        dd = _num(day_only)
        if not dd or dd > 31:
            return None
        end = When(NO_YEAR, IN_START_MONTH, dd, IN_START_MONTH, dd, "day", False)
    elif month_word:                        # 6月11日至月底
        d1, d2 = time_words().month_word[month_word]
        end = When(NO_YEAR, IN_START_MONTH, d1, IN_START_MONTH, d2, "period", False)
    else:
        end = _read_point(m, "end")
        if end is None:
            return None
    return Timex("range", start, end)


def _read_deadline_prefix(m: re.Match) -> Timex | None:
    due = _read_point(m, "due")
    return due and Timex("deadline", due)


def _read_range_years(m: re.Match) -> Timex:
    a, b = int(m.group("years_from")), int(m.group("years_to"))
    return Timex("range", When(YearRef(STATED, a), 1, 1, 12, 31, "year", False),
                 When(YearRef(STATED, b), 1, 1, 12, 31, "year", False))


def _read_range_months(m: re.Match) -> Timex | None:
    ma, mb = _num(m.group("months_from")), _num(m.group("months_to"))
    if not ma or not mb or ma > 12 or mb > 12:
        return None
    y = m.group("months_year")
    start = When(YearRef(STATED, int(y)) if y else NO_YEAR, ma, 1, ma, LAST, "month", True)
    part = m.group("months_to_part")
    d1, d2 = time_words().month_part[part] if part else (1, LAST)   # 3—5月底: the part is the end's
    return Timex("range", start, When(NO_YEAR, mb, d1, mb, d2, "month", True))


def _scale(iso: str, n: float) -> str:
    """`P1M` × 2 -> `P2M`; `PT1H` × 10 -> `PT10H`."""
    mm = re.fullmatch(r"P(T?)(\d+(?:\.\d+)?)([YMWDHS])", iso)
    if mm is None:
        return iso
    v = float(mm.group(2)) * n
    return f"P{mm.group(1)}{int(v) if v == int(v) else round(v, 3)}{mm.group(3)}"


def _count(s: str | None) -> float | None:
    if s is None:
        return 1
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    return parse_cn(s)


def _counted(m: re.Match, kind: str, units: dict[str, str], count: str, unit: str) -> Timex | None:
    """A `set` or `duration`: the ISO period of the unit in group `unit`, times the count in group `count`."""
    n = _count(m.group(count))
    if not n:
        return None
    return Timex(kind, period=_scale(units[m.group(unit)], n))


_READERS = {
    "deadline_prefix": _read_deadline_prefix,
    "range_years": _read_range_years,
    "range_months": _read_range_months,
    "dated": _read_dated,
    "set_every": lambda m: _counted(m, "set", time_words().set_unit, "every_count", "every_unit"),
    "set_act": lambda m: Timex("set", period=time_words().act_unit[m.group("act_unit")]),
    "duration_half": lambda m: Timex("duration", period=time_words().duration_half[m.group("half")]),
    "duration": lambda m: _counted(m, "duration", time_words().duration_unit, "count", "unit"),
    "duration_within": lambda m: _counted(m, "duration", time_words().within_unit, "within_count", "within_unit"),
}


# ---------------------------------------------------------------- API


class Mention(NamedTuple):
    """A temporal expression found at `text[start:end]`, with its year-independent meaning."""

    start: int
    end: int
    timex: Timex


_FULLWIDTH = "０１２３４５６７８９"
_FOLD = str.maketrans(_FULLWIDTH, "0123456789")
_HAS_FULLWIDTH = re.compile(f"[{_FULLWIDTH}]")


def _scan_text(text: str) -> str:
    """`text` with any full-width digit folded to ASCII, one character for one (offsets unchanged)."""
    return text.translate(_FOLD) if _HAS_FULLWIDTH.search(text) else text


@lru_cache(maxsize=8)
def find_timexes(text: str, roc: bool = False) -> tuple[Mention, ...]:
    """Every temporal expression of `text`, read but not yet normalized: sorted, non-overlapping; the
    same for any reference year, so computed once per text (cached: metadata and dates share it)."""
    out = []
    seen: dict[tuple[str | None, str], Timex | None] = {}   # a plan repeats its expressions
    for m in _finder(roc).finditer(_scan_text(text)):
        key = (m.lastgroup, m.group())
        if key not in seen:
            seen[key] = _READERS[m.lastgroup](m)
        tx = seen[key]
        if tx is not None:
            out.append(Mention(m.start(), m.end(), tx))
    return tuple(out)


def _dated(text: str, mentions, year: int | None) -> list[DateItem]:
    out = []
    seen: dict[int, DateItem | None] = {}   # a repeated expression is one Timex object (find_timexes)
    for start, end, tx in mentions:
        key = id(tx)
        if key not in seen:
            seen[key] = normalize(tx, year)
        item = seen[key]
        if item is not None:
            out.append(DateItem(text[start:end], item.kind, item.value, item.first_day, item.last_day,
                                item.year_inferred, start, end, item.inconsistent))
    return out


def find_dates(text: str, year: int | None, roc: bool = False) -> list[DateItem]:
    """Every temporal expression of a plan's normalized simplified `text` -> `DateItem`s, grounded,
    sorted by start, non-overlapping; `year` completes dates that omit it (None: `XXXX`); `roc` reads
    bare 3-digit years (113年) as ROC years."""
    return _dated(text, find_timexes(text, roc), year)


def parse_date(expr: str, year: int | None, roc: bool = False) -> DateItem | None:
    """One expression (a phase's `time_text`, `4月初至11月底`) -> its `DateItem`, offsets relative to
    `expr`; when `expr` holds more than the expression (brackets, words), the longest expression in it
    (the first of equals); None when it holds none."""
    stripped = expr.strip()
    m = _finder(roc).fullmatch(_scan_text(stripped))
    if m is not None:
        tx = _READERS[m.lastgroup](m)
        item = tx and normalize(tx, year)
        if item is not None:
            shift = expr.find(stripped)
            item.text, item.start, item.end = stripped, shift, shift + len(stripped)
            return item
    items = find_dates(expr, year, roc)
    return max(items, key=lambda i: i.end - i.start) if items else None


@lru_cache(maxsize=1)
def _roc_detector() -> re.Pattern:
    from ..script import s2t

    eras = set(time_group("eras", "roc_era"))
    eras |= {s2t(w) for w in eras}
    year_unit = _alt("calendar", "year")
    month_unit = _alt("calendar", "month")
    return re.compile(rf"{alternation(eras)}{_SP}(?:\d{{1,3}}|{_cn_num(6)}){_SP}{year_unit}"
                      rf"|(?<![\d.])1\d\d{_SP}{year_unit}(?:{_alt('calendar', 'year_suffix')}"
                      rf"|{_SP}(?:1[0-2]|0?[1-9]){_SP}{month_unit})")


def uses_roc_years(text: str) -> bool:
    """True when `text` writes ROC years: an era word (民国/民國/中华民国 110年), or a 3-digit year
    followed by a month or 度 (113年3月, 113年度)."""
    return _roc_detector().search(text) is not None
