"""Temporal expressions of a plan: find them in the text, normalize each to day bounds and an EDTF value.

`find_dates(text, year)` reads a plan's normalized simplified text and returns one `DateItem` per temporal
expression (kinds `date`, `range`, `deadline`, `duration`, `set`; DATASET.md `dates[]`), grounded
(`text[item.start:item.end] == item.text`), sorted and non-overlapping. `parse_date(expr, year)`
normalizes one expression (phases use it for their `time_text`).

Find, then normalize (STYLE lesson 11): one finder regex, compiled once on first use, is an ordered
alternation of (name, pattern) rows; the row that matched names its normalizer, which reads the row's
named groups. Rows come longest construct first (deadline with a prefix, ranges, deadline with a suffix,
a date, recurrences, durations), so at any position the fullest reading wins; `re.finditer` gives the
leftmost, non-overlapping matches. The regex *structure* lives here; every Chinese word it is built from
(calendar units, period bounds, eras, recurrence and duration units, markers, guards) lives in
`models/time/*.txt`.

Conventions (DATASET.md): 月 = the whole month; 上旬/初 = days 1-10, 中旬/中 = 11-20, 下旬/底/末 = 21-last;
上半年/下半年; quarters; 年底/年末/年终 = Dec 21-31 as a date, Dec 31 as a deadline; a range end inherits
year and month from its start, a year-less end month before the start month rolls into the next year;
次年/翌年/明年 = year + 1; a year unknown from text and context is `XXXX` (in an unknown year February
ends on the 29th, the latest possible day). `year_inferred` is true when the year came from the `year`
argument (also for 今年/明年, which count from it).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from ..lexicon import LexiconError, alternation
from ..model import DateItem
from ..numerals import DIGITS, UNITS, parse_cn

__all__ = ["find_dates", "parse_date", "uses_roc_years"]

# ---------------------------------------------------------------- data (models/time/*.txt)


def _table(name: str) -> dict[str, dict[str, str | None]]:
    """`models/time/NAME.txt` as {group: {word: value or None}} (see `lexicon.table`)."""
    return lexicon.table(f"time/{name}.txt")


def _words(name: str, group: str) -> dict[str, str | None]:
    table = _table(name)
    if group not in table:
        raise LexiconError(f"models/time/{name}.txt has no group [{group}]")
    return table[group]


def _alt(name: str, group: str) -> str:
    return alternation(_words(name, group))


def _chars(name: str, group: str) -> str:
    """A group of one-character entries as the inside of a regex character class."""
    return "".join(re.escape(w) for w in _words(name, group))


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
class _Data:
    month_part: dict[str, tuple[int, int]]
    month_word: dict[str, tuple[int, int]]
    year_part: dict[str, tuple[int, int, int, int]]
    year_word: dict[str, tuple[int, int, int, int]]
    quarter_part: dict[str, str]
    month_name: dict[str, int]
    era: dict[str, int]
    roc_offset: int
    relative_year: dict[str, int]
    duration_unit: dict[str, str]
    duration_half: dict[str, str]
    within_unit: dict[str, str]
    set_unit: dict[str, str]
    act_unit: dict[str, str]


@lru_cache(maxsize=1)
def _data() -> _Data:
    periods = _table("periods")
    return _Data(
        month_part={w: _day_bounds(v) for w, v in periods["month_part"].items()},
        month_word={w: _day_bounds(v) for w, v in periods["month_word"].items()},
        year_part={w: _year_bounds(v) for w, v in periods["year_part"].items()},
        year_word={w: _year_bounds(v) for w, v in periods["year_word"].items()},
        quarter_part=dict(periods["quarter_part"]),
        month_name={w: int(v) for w, v in _words("calendar", "month_name").items()},
        era={w: int(v) for w, v in _words("eras", "era").items()},
        roc_offset=int(_words("eras", "era")[next(iter(_words("eras", "roc_era")))]),
        relative_year={w: int(v) for w, v in _words("eras", "relative_year").items()},
        duration_unit=dict(_words("durations", "unit")),
        duration_half=dict(_words("durations", "half")),
        within_unit=dict(_words("durations", "within_unit")),
        set_unit=dict(_words("recurrence", "unit")),
        act_unit=dict(_words("recurrence", "act_unit")),
    )


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
    """A date: a year, a month, a day, or a part of a year or month, with named groups prefixed `t`.

    Groups: era/ye (民国110年), y (2021年), yc (二〇二一年), yr (110年, ROC), yx (20xx年), yrel (今年),
    yp (year part: 底, 上半年), yq/yqp/yql (quarter after a year), m/mp/d (month, month part, day after a
    year; `s`m/`s`mp/`s`d without one), w (a year word on its own: 年底), nq/nqp/nql (a quarter on its own),
    ny/nm/nd (2021-03-24)."""
    d = _data()
    p = _pieces()
    year_unit = _alt("calendar", "year")
    month_unit = _alt("calendar", "month")
    day_unit = _alt("calendar", "day")
    xdig = _chars("calendar", "unknown_year_digit")
    year_suffix = _alt("calendar", "year_suffix")
    not_after_year_word = _alt("markers", "not_after_year_word")
    guarded = set(_words("periods", "guarded_year_word"))

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
        rf"(?P<{t}era>{era}){_SP}(?P<{t}ye>\d{{1,4}}|{_cn_num(6)}){_SP}{year_unit}",
        rf"{nb_year}(?P<{t}y>(?:1[89]|20)\d\d){_SP}{year_unit}",
        rf"{nb_num}(?P<{t}yc>{_YEAR_DIGIT}{{4}}){year_unit}",
        rf"{nb_x}(?P<{t}yx>[{xdig}]{{4}}|(?:19|20)[{xdig}]{{2}}|[{xdig}]{{2}}){_SP}{year_unit}"
        rf"(?!{_SP}[{xdig}]{{1,2}}{_SP}{month_unit})",   # xx年xx月xx日 is a blank form, not a date
        rf"(?P<{t}yrel>{alternation(d.relative_year)})",
    ]
    if roc:
        # 113年; a 2-digit ROC year (99年) only before a month or 度
        roc_2digit = rf"[5-9]\d(?={_SP}{year_unit}(?:{year_suffix}|{_SP}\d{{1,2}}{_SP}{month_unit}))"
        years.insert(2, rf"{nb_digit}(?P<{t}yr>1\d\d|{roc_2digit}){_SP}{year_unit}")
    year = "(?:" + "|".join(years) + ")" + f"(?:{_alt('calendar', 'year_suffix')})?"

    strict = set(_words("periods", "month_part_strict"))
    mp_plain = [w for w in d.month_part if w not in strict]
    mp_strict = [w for w in d.month_part if w in strict]

    def month(g: str) -> str:   # 3月, 3月份, 3月上旬, 3月8日(星期一)下午2:30; groups `g`m, `g`mp, `g`d
        day_num = rf"(?P<{g}d>{_DAY_NUM})"
        day = rf"{day_num}{_SP}{day_unit}{p.tod}"
        if bare_day:   # 4月10——30日, 3月25前: the day's unit may be left out before a connector or 前;
            # the empty group `g`bare marks that, and the caller then requires one (see _bare_needs_tail)
            day = rf"{day_num}(?:{_SP}{day_unit}{p.tod}|(?P<{g}bare>)(?!\d))"
        month_part = (rf"(?P<{g}mp>(?:{alternation(mp_plain)}|{alternation(mp_strict)}"
                      rf"(?=$|{_PUNCT}|{p.conn}|{p.before}))(?![{_chars('periods', 'month_part_not_before')}]))")
        return (rf"(?P<{g}m>{_MONTH_NUM}|{alternation(d.month_name)})"
                rf"{_SP}{month_unit}(?:{_alt('calendar', 'month_suffix')})?(?:{_SP}(?:{day}|{month_part}))?")

    def quarter(g: str) -> str:   # 第一季度, 一季度末, Q1; groups `g` (number), `g`p (part), `g`l (Q1)
        return (rf"(?:{_alt('calendar', 'ordinal')})?(?P<{g}>{_QUARTER_NUM}){_alt('calendar', 'quarter')}"
                rf"(?P<{g}p>{alternation(d.quarter_part)})?|{_alt('calendar', 'quarter_latin')}(?P<{g}l>[1-4])(?!\d)")

    year_tail = (rf"(?:{_SP}(?:{month(t)}|(?:{year_unit})?(?P<{t}yp>{words_alt(d.year_part)})"
                 rf"|{quarter(t + 'yq')}))?")
    numeric = (rf"{nb_digit}(?P<{t}ny>(?:19|20)\d\d)(?P<{t}ns>[-./])(?P<{t}nm>1[0-2]|0?[1-9])(?P={t}ns)"
               rf"(?P<{t}nd>3[01]|[12]\d|0?[1-9])(?![\d.]){p.tod}")
    return (rf"(?:{numeric}|{year}{year_tail}|{nb_num}{month(t + 's')}"
            rf"|{nb_word}(?P<{t}w>{words_alt(d.year_word)})"
            rf"|{nb_num}(?:{quarter(t + 'nq')}))")


def _bare_needs_tail(t: str) -> str:
    """Fails when point `t` took a day without its unit (`3月25`) and no connector or 前 follows."""
    return rf"(?({t}bare)(?!)|(?({t}sbare)(?!)|))"


def _range_end(t: str, roc: bool) -> str:
    """A range's second end: a full date, or one that leans on the start (30日, 月底)."""
    d = _data()
    day_num = rf"(?P<{t}do>{_DAY_NUM})"
    return (rf"(?:{_point(t, roc, lead=False)}|{day_num}{_SP}{_alt('calendar', 'day')}{_pieces().tod}"
            rf"|(?P<{t}mw>{alternation(d.month_word)}))")


_REACH = 20   # a match holds one of its row's anchor characters within this many characters of its start


def _anchors(*groups: tuple[str, str], also: str = "", words=()) -> str:
    """Characters one of which every match of a row holds near its start: the last character of each
    unit word of `groups` (`(file, group)`: a match holds the whole word), `also`, and the last character
    of each of `words` (words a match may consist of) that holds none of those."""
    chars = set(also)
    for name, group in groups:
        chars |= {w[-1] for w in _words(name, group)}
    chars |= {w[-1] for w in words if not chars & set(w)}
    return "".join(sorted(chars))


def _rows(roc: bool) -> list[tuple[str, str, str | None]]:
    """The finder's rows, (name, regex, anchors) in priority order; each name has a normalizer. A row
    with anchors is only tried where one of them follows within `_REACH` characters."""
    p = _pieces()
    d = _data()
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
    quarter_first = "".join(w[0] for w in _words("calendar", "quarter"))
    dated_anchors = _anchors(("calendar", "year"), ("calendar", "month"), ("calendar", "quarter_latin"),
                             also=quarter_first + "-./", words=[*d.year_word, *d.relative_year])
    duration_anchors = _anchors(("durations", "unit"), ("durations", "half"))
    week_ends = "".join(re.escape(w[-1]) for w in _words("recurrence", "week_word"))
    weekday = (rf"[{_chars('recurrence', 'weekday')}](?!{_alt('recurrence', 'weekday_not_before')})")
    set_day = (rf"(?:(?<=[{week_ends}]){weekday}"   # 每周五
               rf"|(?<=[{_chars('calendar', 'month')}]){_alt('recurrence', 'ordinal')}{num}"
               rf"(?:{_alt('recurrence', 'count_word')})?(?:{_alt('recurrence', 'week_word')}){weekday})")  # 每月第一个周六
    rows = [
        # 截至2021年12月31日, 到2021年底
        ("deadline_prefix", rf"(?P<dlp>{p.prefix}){_SP}{_point('e', roc)}(?:{before})?", None),
        # 2021-2025年
        ("range_years", rf"(?<!\d)(?P<rya>(?:19|20)\d\d){conn}(?P<ryb>(?:19|20)\d\d){_SP}{year_unit}"
                        rf"(?:{_alt('calendar', 'year_suffix')})?{close}", _anchors(("calendar", "year"))),
        # 3-5月, 2021年3—5月
        ("range_months", rf"(?:(?<!\d)(?P<rmy>(?:19|20)\d\d){_SP}{year_unit}{_SP})?{_NOT_NUM}"
                         rf"(?P<rma>{_MONTH_NUM}){conn}"
                         rf"(?P<rmb>{_MONTH_NUM}){_SP}{month_unit}"
                         rf"(?:{_alt('calendar', 'month_suffix')})?(?P<rmp>{mpart})?{close}",
         _anchors(("calendar", "month"))),
        # a date, and what follows it: 2021年3月24日, 12月底, 下半年, 一季度, 年内 (a date);
        # 6月11日至30日, 4月初至11月底, 12月11日至次年1月31日 (a range); 6月底前, 3月25前 (a deadline)
        ("dated", rf"{_point('a', roc, bare_day=True)}(?:(?P<rng>{conn}{_range_end('b', roc)}{close})"
                  rf"|(?P<dlb>{before})|{_bare_needs_tail('a')})", dated_anchors),
        # 每月, 每两个月, 每季度; with the day in each period: 每周五, 每月第一个周六
        ("set_every", rf"{_alt('recurrence', 'every')}(?:(?P<sn>{num}))?(?:{_alt('recurrence', 'count_word')})?"
                      rf"(?P<su>{alternation(d.set_unit)}){set_day}?", None),
        # 周调度、月述职、季盘点、年评比
        ("set_act", rf"(?<![\d{_CN_CLASS}{_chars('recurrence', 'act_not_after')}])"
                    rf"(?P<au>{alternation(d.act_unit)})(?P<aa>{_alt('recurrence', 'act')})", None),
        # 半年, 半个月
        ("duration_half", rf"(?:{_alt('durations', 'qualifier')}{_SP})?"
                          rf"(?<![{_chars('durations', 'half_not_after')}])(?P<dh>{alternation(d.duration_half)})",
         None),
        # 3个月, 不少于10小时, 为期两周
        ("duration", rf"(?:(?P<dq>{_alt('durations', 'qualifier')}){_SP})?{num_start}(?P<dn>{num}){_SP}"
                     rf"(?P<du>{dur_units})(?![{_chars('durations', 'not_before')}])(?!{year_month_ahead})",
         duration_anchors),
        # 7日内 (not 3月7日内, a date)
        ("duration_within", rf"{num_start}(?<![{_chars('calendar', 'month')}])(?P<wn>{num}){_SP}"
                            rf"(?P<wu>{alternation(d.within_unit)})(?={_alt('durations', 'within')})",
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


# ---------------------------------------------------------------- normalizers


@dataclass
class _Pt:
    """A normalized date: year (None = unknown), where the year came from, and month/day bounds."""

    y: int | None
    src: str            # "text": written; "arg": from the `year` argument; "none": nowhere
    m1: int
    d1: int
    m2: int
    d2: int             # 0 = the month's last day
    gran: str           # day | month | year | period
    has_year: bool      # the expression writes a year (2021年, 20xx年, 次年…)
    has_month: bool     # the expression writes a month
    rel: int | None = None   # a relative year word's offset (次年 = 1)
    ok: bool = True


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    return _data().month_name.get(s) or parse_cn(s)


def _last_day(y: int | None, m: int) -> int:
    return calendar.monthrange(2000 if y is None else y, m)[1]


def _g(m: re.Match, name: str) -> str | None:
    """Group `name` of `m`, None when unmatched or absent from the pattern (`yr` without roc)."""
    return m.group(name) if name in m.re.groupindex else None


_POINT_GROUPS = ("ny", "nm", "nd", "era", "ye", "y", "yc", "yr", "yx", "yrel", "w", "nq", "nql", "nqp",
                 "yq", "yql", "yqp", "yp", "m", "mp", "d", "sm", "smp", "sd")


_GROUP_NAMES: dict[tuple[int, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _point_groups(m: re.Match, t: str) -> dict[str, str]:
    """The matched groups of point `t`, keyed without the prefix, in one call."""
    key = (id(m.re), t)    # (hashing a compiled pattern hashes its whole code: key on its id)
    if key not in _GROUP_NAMES:
        keys = tuple(k for k in _POINT_GROUPS if t + k in m.re.groupindex)
        _GROUP_NAMES[key] = keys, tuple(t + k for k in keys)
    keys, names = _GROUP_NAMES[key]
    return {k: v for k, v in zip(keys, m.group(*names)) if v is not None}


def _year_of(g: dict, year: int | None) -> tuple[int | None, str, bool, int | None, bool]:
    """(year, source, written, relative offset, valid) from a point's year groups."""
    d = _data()
    if "era" in g:
        n = parse_cn(g["ye"])
        return (None if n is None else n + d.era[g["era"]]), "text", True, None, n is not None
    if "y" in g:
        return int(g["y"]), "text", True, None, True
    if "yc" in g:
        n = parse_cn(g["yc"])
        return n, "text", True, None, n is not None and 1800 <= n <= 2200
    if "yr" in g:
        return int(g["yr"]) + d.roc_offset, "text", True, None, True
    if "yx" in g:
        return None, "text", True, None, True
    if "yrel" in g:
        rel = d.relative_year[g["yrel"]]
        return (None if year is None else year + rel), ("arg" if year is not None else "none"), True, rel, True
    return year, ("arg" if year is not None else "none"), False, None, True


def _read_point(m: re.Match, t: str, year: int | None) -> _Pt | None:
    """The `_point(t)` groups of a match as a `_Pt`; None when the numbers make no date (2月30日)."""
    d = _data()
    g = _point_groups(m, t)
    if "ny" in g:
        y, mo, dd = int(g["ny"]), int(g["nm"]), int(g["nd"])
        pt = _Pt(y, "text", mo, dd, mo, dd, "day", True, True)
        return pt if dd <= _last_day(y, mo) else None
    y, src, written, rel, ok = _year_of(g, year)
    if not ok:
        return None
    if "w" in g:
        m1, d1, m2, d2 = d.year_word[g["w"]]
        return _Pt(y, src, m1, d1, m2, d2, _year_gran(m1, d1, m2, d2), written, False, rel)
    q = g.get("nq") or g.get("nql") or g.get("yq") or g.get("yql")
    if q is not None:
        n = parse_cn(q)
        m1, d1, m2, d2 = 3 * n - 2, 1, 3 * n, 0
        qp = g.get("nqp") or g.get("yqp")
        part = d.quarter_part.get(qp) if qp else None
        if part == "first":
            m2, d2 = m1, 10
        elif part == "last":
            m1, d1 = m2, 21
        return _Pt(y, src, m1, d1, m2, d2, "period", written, False, rel)
    if "yp" in g:
        m1, d1, m2, d2 = d.year_part[g["yp"]]
        return _Pt(y, src, m1, d1, m2, d2, _year_gran(m1, d1, m2, d2), written, False, rel)
    p = "" if "m" in g else "s"
    if p + "m" in g:
        mo = _num(g[p + "m"])
        if not mo or mo > 12:
            return None
        if p + "d" in g:
            dd = _num(g[p + "d"])
            if not dd or dd > _last_day(y, mo):
                return None
            return _Pt(y, src, mo, dd, mo, dd, "day", written, True, rel)
        if p + "mp" in g:
            d1, d2 = d.month_part[g[p + "mp"]]
            return _Pt(y, src, mo, d1, mo, d2, "period", written, True, rel)
        return _Pt(y, src, mo, 1, mo, 0, "month", written, True, rel)
    if written:   # a year alone: 2021年, 今年
        return _Pt(y, src, 1, 1, 12, 31, "year", written, False, rel)
    return None


def _year_gran(m1: int, d1: int, m2: int, d2: int) -> str:
    return "year" if (m1, d1, m2, d2) == (1, 1, 12, 31) else "period"


def _ys(y: int | None) -> str:
    return "XXXX" if y is None else f"{y:04d}"


def _first(p: _Pt) -> str:
    return f"{_ys(p.y)}-{p.m1:02d}-{p.d1:02d}"


def _last(p: _Pt) -> str:
    d2 = p.d2 or _last_day(p.y, p.m2)
    return f"{_ys(p.y)}-{p.m2:02d}-{d2:02d}"


def _value(p: _Pt) -> str:
    if p.gran == "day":
        return _first(p)
    if p.gran == "month":
        return f"{_ys(p.y)}-{p.m1:02d}"
    if p.gran == "year":
        return _ys(p.y)
    return f"{_first(p)}/{_last(p)}"


def _item(m: re.Match, kind: str, value: str | None, first: str | None, last: str | None,
          inferred: bool = False, inconsistent: bool = False) -> DateItem:
    return DateItem(text=m.group(0), kind=kind, value=value, first_day=first, last_day=last,
                    year_inferred=inferred, start=m.start(), end=m.end(), inconsistent=inconsistent)


def _n_dated(m, year):
    if m.group("rng"):
        return _n_range(m, year)
    p = _read_point(m, "a", year)
    if p is None:
        return None
    if m.group("dlb"):
        return _item(m, "deadline", _last(p), None, _last(p), p.src == "arg")
    return _item(m, "date", _value(p), _first(p), _last(p), p.src == "arg")


def _n_deadline_prefix(m, year):
    p = _read_point(m, "e", year)
    return p and _item(m, "deadline", _last(p), None, _last(p), p.src == "arg")


def _n_range(m, year):
    a = _read_point(m, "a", year)
    if a is None:
        return None
    d = _data()
    if _g(m, "bdo") or _g(m, "bmw"):       # 30日, 月底: inside the start's month
        if _g(m, "bdo"):
            dd = _num(m.group("bdo"))
            d1 = d2 = dd
        else:
            d1, d2 = d.month_word[m.group("bmw")]
            dd = d2 or _last_day(a.y, a.m2)
        if not dd or dd > _last_day(a.y, a.m2):
            return None
        b = _Pt(a.y, a.src, a.m2, d1, a.m2, d2, "day" if _g(m, "bdo") else "period", False, False)
    else:
        b = _read_point(m, "b", a.y)     # a relative year word in the end counts from the start's year
        if b is None:
            return None
        if b.rel is not None:
            b.src = a.src if a.y is not None else "none"
    return _join(m, a, b)


def _join(m: re.Match, a: _Pt, b: _Pt) -> DateItem:
    """A range from its two ends: inheritance, next-year roll-over, inconsistency."""
    rolled = False
    if not b.has_year:
        b.y, b.src = a.y, a.src
        if b.has_month and a.has_month and b.m1 < a.m1:
            rolled = True                  # 12月11日至1月31日 (an unknown year cannot roll: XXXX stays)
            if b.y is not None:
                b.y += 1
    elif not a.has_year and b.has_year and b.rel is None:
        a.y, a.src = b.y, b.src            # 12月1日至2022年1月31日: the start takes the end's year
        if a.y is not None and a.has_month and a.m1 > b.m2:
            a.y -= 1
    first, last = _first(a), _last(b)
    if a.y is not None and b.y is not None:
        inconsistent = last < first
    elif a.y is None and b.y is None and not rolled:
        inconsistent = last[4:] < first[4:]
    else:
        inconsistent = False
    return _item(m, "range", f"{first}/{last}", first, last, a.src == "arg", inconsistent)


def _n_range_years(m, year):
    a, b = int(m.group("rya")), int(m.group("ryb"))
    first, last = f"{a:04d}-01-01", f"{b:04d}-12-31"
    return _item(m, "range", f"{first}/{last}", first, last, False, b < a)


def _n_range_months(m, year):
    ma, mb = _num(m.group("rma")), _num(m.group("rmb"))
    if not ma or not mb or ma > 12 or mb > 12:
        return None
    y, src = (int(m.group("rmy")), "text") if m.group("rmy") else (year, "arg" if year is not None else "none")
    a = _Pt(y, src, ma, 1, ma, 0, "month", m.group("rmy") is not None, True)
    d1, d2 = _data().month_part[m.group("rmp")] if m.group("rmp") else (1, 0)
    b = _Pt(None, "none", mb, d1, mb, d2, "month", False, True)    # 3—5月底: the part is the end's
    return _join(m, a, b)


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


def _counted(m, kind: str, units: dict[str, str], count: str, unit: str):
    """A `set` or `duration` item: the ISO period of the unit in group `unit`, times the count in group `count`."""
    n = _count(m.group(count))
    if not n:
        return None
    return _item(m, kind, _scale(units[m.group(unit)], n), None, None)


def _n_set_every(m, year):
    return _counted(m, "set", _data().set_unit, "sn", "su")


def _n_set_act(m, year):
    return _item(m, "set", _data().act_unit[m.group("au")], None, None)


def _n_duration_half(m, year):
    return _item(m, "duration", _data().duration_half[m.group("dh")], None, None)


def _n_duration(m, year):
    return _counted(m, "duration", _data().duration_unit, "dn", "du")


def _n_duration_within(m, year):
    return _counted(m, "duration", _data().within_unit, "wn", "wu")


_NORMALIZERS = {
    "deadline_prefix": _n_deadline_prefix,
    "range_years": _n_range_years,
    "range_months": _n_range_months,
    "dated": _n_dated,
    "set_every": _n_set_every,
    "set_act": _n_set_act,
    "duration_half": _n_duration_half,
    "duration": _n_duration,
    "duration_within": _n_duration_within,
}


# ---------------------------------------------------------------- API


def _normalize(m: re.Match, year: int | None) -> DateItem | None:
    return _NORMALIZERS[m.lastgroup](m, year)


_FULLWIDTH = "０１２３４５６７８９"
_FOLD = str.maketrans(_FULLWIDTH, "0123456789")
_HAS_FULLWIDTH = re.compile(f"[{_FULLWIDTH}]")


def _scan_text(text: str) -> str:
    """`text` with any full-width digit folded to ASCII, one character for one (offsets unchanged)."""
    return text.translate(_FOLD) if _HAS_FULLWIDTH.search(text) else text


def find_dates(text: str, year: int | None, roc: bool = False) -> list[DateItem]:
    """Every temporal expression of a plan's normalized simplified `text` -> `DateItem`s, grounded,
    sorted by start, non-overlapping; `year` completes dates that omit it (None: `XXXX`); `roc` reads
    bare 3-digit years (113年) as ROC years."""
    scan = _scan_text(text)
    out = []
    seen: dict[tuple[str | None, str], DateItem | None] = {}   # a plan repeats its expressions
    for m in _finder(roc).finditer(scan):
        key = (m.lastgroup, m.group())
        if key not in seen:
            seen[key] = _normalize(m, year)
        item = seen[key]
        if item is not None:
            start, end = m.span()
            out.append(DateItem(text[start:end], item.kind, item.value, item.first_day, item.last_day,
                                item.year_inferred, start, end, item.inconsistent))
    return out


def parse_date(expr: str, year: int | None, roc: bool = False) -> DateItem | None:
    """One expression (a phase's `time_text`, `4月初至11月底`) -> its `DateItem`, offsets relative to
    `expr`; when `expr` holds more than the expression (brackets, words), the longest expression in it
    (the first of equals); None when it holds none."""
    stripped = expr.strip()
    m = _finder(roc).fullmatch(_scan_text(stripped))
    if m is not None:
        item = _normalize(m, year)
        if item is not None:
            shift = expr.find(stripped)
            item.text = stripped
            item.start += shift
            item.end += shift
            return item
    items = find_dates(expr, year, roc)
    return max(items, key=lambda i: i.end - i.start) if items else None


@lru_cache(maxsize=1)
def _roc_detector() -> re.Pattern:
    from ..script import s2t

    eras = set(_words("eras", "roc_era"))
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
