"""Temporal expressions of a plan: find them in the text (`Timex`, year left open), then normalize each with
the plan's reference year (`timex.normalize`) to day bounds and an EDTF value.

`find_dates(text, year, roc)` reads a plan's normalized simplified text and returns one `DateItem` per
temporal expression (kinds `date`, `range`, `deadline`, `duration`, `set`; DATASET.md `dates[]`), grounded
(`text[item.start:item.end] == item.text`), sorted and non-overlapping. `find_timexes(text, roc)` is the
year-independent half, computed once per text however often the plan's dates are asked for (metadata
looks for the year before the dates are normalized with it). `parse_date(expr, year)` normalizes one
expression (phases use it for their `time_text`).

Find, then normalize (STYLE lesson 11): one finder regex, compiled once on first use, is an ordered
alternation of (name, pattern) rows; the row that matched names its reader, which turns the match into a
`Timex`. Rows come longest construct first (expressions opened by a word: 截至…, 今明两年; by a bare
number: 2021-2025年, 20240307; month ranges; a date with what follows it: a range, 前; recurrences;
durations), so at any position the fullest reading wins; `re.finditer` gives the leftmost, non-overlapping
matches. The finder keeps few groups (a regex's speed falls with its group count): a date inside a row is
one group, read again by the point parser (`_point_parser`, the same grammar with every group). Then
`find_timexes` leaves out what only looks like a date (a name: 「人权教育十年」, a title line's year, a page
stamp) and `find_dates` the plan's background (`timex.is_historical`). The regex *structure* lives here,
the meaning of each word in `timex.py`; every Chinese word (calendar units, period bounds, eras,
recurrence and duration units, markers, guards) lives in `models/time/*.txt`; conventions the contract
does not state are in `docs/date_conventions.md`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from typing import NamedTuple

from .. import lexicon
from ..lexicon import alternation
from ..model import DateItem
from ..numerals import DIGITS, UNITS, parse_cn
from ..script import FULLWIDTH_DIGITS
from .timex import (FOLLOWING, FROM_CONTEXT, IN_START_MONTH, LAST, NO_YEAR, RELATIVE, STATED, TWO_DIGIT, UNKNOWN,
                    Timex, When, YearRef, context_of, depends_on_context, is_historical, normalize, time_group,
                    time_words)

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
_END = r"(?=$|[\s，。、；：,;:!?！？）)\]】》”])"   # an expression ends here: the text, a space or punctuation

# Numbers as dates write them (numeral grammar, not cue words: the characters are those of numerals.py)
_MONTH_NUM = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"                      # 3, 03, 十二
_DAY_NUM = r"3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九]"  # 8, 二十一
_QUARTER_NUM = r"[1-4一二三四]"
_ZERO = "".join(c for c, v in DIGITS.items() if v == 0)                          # 〇零○ＯO (scraped 二O一八)
_YEAR_DIGIT = f"[{re.escape(_ZERO)}0一二三四五六七八九]"                          # 二〇二一, 二O一八
_COUNT_START = "[一二三四五六七八九十两]"                                          # 两个月, 十天
_ORDINAL_NUM = r"(?:\d{1,2}|[一二三四五六七八九十两]{1,4})"                       # 第3个, 前十一个, 第三十七个
_ROC_CN_YEAR = "[一二三四五六七八九十百〇零]{2,6}"                                  # 九十七年, 一百一十三年


def _cn_num(max_len: int) -> str:
    return rf"[{_CN_CLASS}]{{1,{max_len}}}"


@dataclass(frozen=True)
class _Pieces:
    conn: str          # range connector
    close: str         # range close (止)
    before: str        # deadline marker after a date (前)
    not_before_dl: str
    prefix: str        # deadline marker before a date (截至, 到)
    clock: str         # a time of day: 9:30, 下午2:30―5:30, 早上8点11分
    tod: str           # what may follow a day and belongs to it: (星期一), a time of day


@lru_cache(maxsize=1)
def _pieces() -> _Pieces:
    hour = (rf"(?:\d{{1,2}}|{_cn_num(3)}){_alt('markers', 'hour')}"
            rf"(?:(?:\d{{1,2}}|{_cn_num(3)}){_alt('markers', 'minute')}|{_alt('markers', 'half_hour')})?")
    clock = rf"(?:(?:[01]?\d|2[0-4])[:：][0-5]\d(?:[:：][0-5]\d)?(?:{_alt('markers', 'hour')})?|{hour})"
    part = _alt("markers", "part_of_day")
    conn = _alt("markers", "range")
    clock_span = rf"{part}?{_SP}{clock}(?:{_SP}{conn}{_SP}{part}?{_SP}{clock})?"
    weekday = (rf"(?:{_SP}[（(]?{_alt('calendar', 'weekday_prefix')}[{_chars('calendar', 'weekday')}][）)]?)")
    tod = rf"{weekday}?(?:{_SP}{clock_span}|{_SP}{part})?"
    return _Pieces(
        conn=conn,
        close=_alt("markers", "range_close"),
        before=_alt("markers", "deadline_after"),
        not_before_dl=_alt("markers", "deadline_not_before"),
        prefix=_alt("markers", "deadline_before"),
        clock=clock_span,
        tod=tod,
    )


def _point(t: str, roc: bool, bare_day: bool = False, lead: bool = True, need_year: bool = False) -> str:
    """A date: a year, a month, a day, a part of a year or month, a week. Its groups are named `t_NAME`,
    or `t_alone_NAME` for the month and quarter forms written without a year (`_point_groups` reads
    both under NAME). Years: era/era_year (民国110年), year (2021年), cn_year (二〇二一年), roc_year (110年)
    and roc_cn_year (九十七年) in a ROC plan, short_year/short_cn_year (15年3月, 九七年一季度: only before
    what makes them a date), open_year (20xx年), rel_year (今年), next_year (次年). After a year:
    year_part (底, 上半年), quarter/quarter_part/quarter_q (第一季度末, Q1), first_n/last_n/first_one with
    their unit (前两个季度, 后三月, 首月), nth_month (第8个月), year_week (第52周), a month. A month: month,
    then day (8日; no_day_unit when 日 is left out), month_part (上旬), week/weekday (第三周, 第3个星期日)
    or first_days (前4天). Numeric: num_year/num_month/num_day (2021-03-24), nm_year/nm_month (1999.08),
    md_month/md_day (09-01), sl_month/sl_day (11/3号). `need_year`: only the forms that write a year."""
    d = time_words()
    p = _pieces()
    year_unit = _alt("calendar", "year")
    month_unit = _alt("calendar", "month")
    day_unit = _alt("calendar", "day")
    xdig = _chars("calendar", "unknown_year_digit")
    year_suffix = _alt("calendar", "year_suffix")
    not_after_year_word = _alt("markers", "not_after_year_word")
    guarded = set(time_group("periods", "guarded_year_word"))
    ordinal, count_word, of = _alt("calendar", "ordinal"), _alt("calendar", "count_word"), _alt("calendar", "of")
    week = _alt("calendar", "week")

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
    strict = set(time_group("periods", "month_part_strict"))
    mp_plain = [w for w in d.month_part if w not in strict]
    mp_strict = [w for w in d.month_part if w in strict]
    period_unit = alternation([*time_group("calendar", "quarter"), *time_group("calendar", "month")])

    def month(g: str) -> str:   # 3月, 3月份, 3月上旬, 3月8日(星期一)下午2:30, 3月第三周, 4月前4天
        day_num = rf"(?P<{g}_day>{_DAY_NUM})"
        day = rf"{day_num}{_SP}{day_unit}(?P<{g}_day_end>)"     # (the time of day after it: `with_time`)
        if bare_day:   # 4月10——30日, 3月25前, 1月3: the day's unit may be left out before a connector,
            # 前 or the end of the expression; the empty group `no_day_unit` marks that (_needs_tail)
            day = rf"{day_num}(?:{_SP}{day_unit}(?P<{g}_day_end>)|(?P<{g}_no_day_unit>)(?!\d))"
        month_part = (rf"(?P<{g}_month_part>(?:{alternation(mp_plain)}|{alternation(mp_strict)}"
                      rf"(?=$|{_PUNCT}|{p.conn}|{p.before}))(?![{_chars('periods', 'month_part_not_before')}]))")
        week_of = (rf"(?:{of})?{ordinal}(?P<{g}_week>{_ORDINAL_NUM}){_SP}(?:{count_word})?{week}"
                   rf"(?P<{g}_weekday>[{_chars('calendar', 'weekday')}](?!{_alt('recurrence', 'weekday_not_before')}))?"
                   rf"(?!{year_unit})")
        first_days = (rf"{_alt('calendar', 'first_n')}(?P<{g}_first_days>{_ORDINAL_NUM}){_SP}(?:{count_word})?"
                      rf"{_alt('calendar', 'day_count')}")
        return (rf"(?P<{g}_month>{_MONTH_NUM}|{alternation(d.month_name)})"
                rf"{_SP}{month_unit}(?:{_alt('calendar', 'month_suffix')})?"
                rf"(?:{_SP}(?:{day}|{month_part}|{week_of}|{first_days}))?")

    def quarter(g: str) -> str:   # 第一季度, 一季度末, Q1
        return (rf"(?:{ordinal})?(?P<{g}_quarter>{_QUARTER_NUM})(?:{_alt('calendar', 'quarter')}"
                rf"|(?<={ordinal}{_QUARTER_NUM}){_alt('calendar', 'quarter_after_ordinal')})"
                rf"(?P<{g}_quarter_part>{alternation(d.quarter_part)})?"
                rf"|{_alt('calendar', 'quarter_latin')}(?P<{g}_quarter_q>[1-4])(?!\d)(?:{_alt('calendar', 'quarter')})?")

    def periods(g: str, unit: str = period_unit) -> str:   # 前两个季度, 前十一个月, 首月, 首季度
        return (rf"(?:{_alt('calendar', 'first_n')}(?P<{g}_first_n>{_ORDINAL_NUM}){_SP}(?:{count_word})?"
                rf"(?P<{g}_first_n_unit>{unit})"
                rf"|{_alt('calendar', 'first_one')}(?P<{g}_first_one>{period_unit}))")

    # without a year only quarters, after punctuation or 的/年: 前三季度 (考前五个月 counts months back)
    quarters_alone = (rf"(?:(?<=[{_chars('calendar', 'of')}{_chars('calendar', 'year')}])|(?<!\w))"
                      rf"{periods(f'{t}_alone', _alt('calendar', 'quarter'))}")

    alone = f"{t}_alone"
    year_part = words_alt(d.year_part)
    year_tail = (rf"{_SP}(?:{month(t)}|(?:{year_unit})?(?P<{t}_year_part>{year_part})|{quarter(t)}"
                 rf"|(?:{of})?(?:{periods(t)}"
                 rf"|{_alt('calendar', 'last_n')}(?P<{t}_last_n>{_ORDINAL_NUM}){_SP}(?:{count_word})?"
                 rf"(?P<{t}_last_n_unit>{period_unit})"
                 rf"|{ordinal}(?P<{t}_nth_month>{_ORDINAL_NUM}){_SP}{count_word}{month_unit}"
                 rf"|{ordinal}(?P<{t}_year_week>{_ORDINAL_NUM}){_SP}(?:{count_word})?{week}(?!{year_unit})))")
    # a two-digit year (15年, 九七年) is one only before what makes it a date: a month, a quarter, a
    # part of the year (not 内: 3年内 is a duration), a period or week of it, or 度
    short_part = words_alt([w for w in d.year_part if w not in time_group("periods", "not_after_short_year")])
    short_follow = (rf"(?={_SP}{year_unit}(?:{year_suffix}|{_SP}(?:(?:\d{{1,2}}|{_cn_num(3)}){_SP}{month_unit}"
                    rf"|{short_part}|{_QUARTER_NUM}{_alt('calendar', 'quarter')}|{_alt('calendar', 'quarter_latin')}[1-4]"
                    rf"|(?:{of})?(?:{ordinal}|{_alt('calendar', 'first_n')}|{_alt('calendar', 'last_n')}){_ORDINAL_NUM}"
                    rf"{_SP}(?:{count_word})?(?:{period_unit}|{week})|(?:{of})?{_alt('calendar', 'first_one')}{period_unit}"
                    rf"|{ordinal}{_QUARTER_NUM}{_alt('calendar', 'quarter')})))")
    era = alternation(d.era)
    # years written with digits (or x), then the others; each group behind one test of its first character
    digit_years = [
        rf"{nb_year}(?P<{t}_year>(?:1[89]|20)\d\d){_SP}{year_unit}",
        rf"{nb_num}(?P<{t}_short_year>\d\d){short_follow}{_SP}{year_unit}",
        rf"{nb_x}(?P<{t}_open_year>[{xdig}]{{4}}|(?:19|20)[{xdig}]{{2}}|[{xdig}]{{2}}){_SP}{year_unit}"
        rf"(?!{_SP}[{xdig}]{{1,2}}{_SP}{month_unit})",   # xx年xx月xx日 is a blank form, not a date
    ]
    word_years = [
        rf"(?P<{t}_era>{era}){_SP}(?P<{t}_era_year>\d{{1,4}}|{_cn_num(6)}){_SP}{year_unit}",
        rf"{nb_num}(?P<{t}_cn_year>{_YEAR_DIGIT}{{4}}){year_unit}",
        rf"{nb_num}(?P<{t}_short_cn_year>{_YEAR_DIGIT}{{2}}){short_follow}{year_unit}",
        rf"(?P<{t}_rel_year>{alternation(d.relative_year)})",
        rf"(?P<{t}_next_year>{alternation(d.following_year)})",
    ]
    if roc:
        # 113年, 九十七年九月; a 2-digit ROC year (99年) only before a month or 度
        before_month = rf"(?={_SP}{year_unit}(?:{year_suffix}|{_SP}(?:\d{{1,2}}|{_cn_num(3)}){_SP}{month_unit}))"
        roc_2digit = rf"[5-9]\d{before_month}"
        digit_years.insert(1, rf"{nb_digit}(?P<{t}_roc_year>1\d\d|{roc_2digit}){_SP}{year_unit}")
        word_years.insert(1, rf"{nb_num}(?=[{_CN_CLASS}]*[十百])(?P<{t}_roc_cn_year>{_ROC_CN_YEAR}){before_month}"
                             rf"{year_unit}")
    years = [rf"(?=[\d{xdig}])(?:{'|'.join(digit_years)})", *word_years]
    year = "(?:" + "|".join(years) + ")" + f"(?:{year_suffix})?"
    dated_year = rf"{year}(?:{year_tail})?"

    def with_time(rx: str, *days: str) -> str:
        """`rx`, then a time of day (8日下午2:30) where one of the groups `days` marks that a day ended it."""
        test = "(?!)"
        for g in reversed(days):
            test = f"(?({g}_day_end)|{test})"
        return rf"{rx}(?:{test}{p.tod})?"

    if need_year:
        return with_time(dated_year, t)
    before = _pieces().before
    nb_md, nb_sl = nb(r"[\d.:/-]"), nb(r"[\d/.]")
    numeric = (rf"{nb_digit}(?P<{t}_num_year>(?:19|20)\d\d)(?P<{t}_num_sep>[-./])(?P<{t}_num_month>1[0-2]|0?[1-9])"
               rf"(?:(?P={t}_num_sep)(?P<{t}_num_day>3[01]|[12]\d|0?[1-9])|[-./](?P<{t}_num_day2>3[01]|[12]\d|0[1-9]))"
               rf"(?:(?![\d.])|(?=(?:[01]\d|2[0-3])[:：]))(?:[-T](?=\d{{1,2}}[:：]))?"
               rf"|{nb_md}(?P<{t}_md_month>0[1-9]|1[0-2])-(?P<{t}_md_day>0[1-9]|[12]\d|3[01])(?![\d.:/-])"
               rf"(?:(?<=0\d-\d\d)|(?<=-0\d)|(?={_SP}\d{{1,2}}[:：]))"
               rf"|{nb_sl}(?P<{t}_sl_month>1[0-2]|0?[1-9])/(?P<{t}_sl_day>3[01]|[12]\d|0?[1-9]){_SP}{day_unit}")
    month_numeric = (rf"{nb_digit}(?P<{t}_nm_year>(?:19|20)\d\d)[./](?P<{t}_nm_month>0[1-9]|1[0-2])"
                     rf"(?=$|[\s，。、；：,;:）)]|{_SP}(?:{p.conn}|{before}))")
    return (rf"(?:(?=\d)(?:(?:{numeric}){p.tod}|{month_numeric})|"
            + with_time(rf"(?:{dated_year}|{nb_num}{month(alone)})", t, alone)
            + rf"|{nb_word}(?P<{t}_year_word>{words_alt(d.year_word)})"
            rf"|{nb_num}{quarter(alone)}|{quarters_alone})")


_FINDER_GROUPS = ("_no_day_unit", "_num_sep", "_day_end")   # point groups the finder's own pattern refers to


def _found(t: str, rx: str) -> str:
    """Point `t`'s pattern as the finder holds it: one group `t` around the whole, its inner groups made
    anonymous but those the pattern itself refers to (a finder with few groups runs faster; the point's
    text is read again by `_point_parser`)."""
    inner = re.sub(r"\(\?P<(\w+)>", lambda m: m.group(0) if m.group(1).endswith(_FINDER_GROUPS) else "(?:", rx)
    return f"(?P<{t}>{inner})"


def _needs_tail(t: str) -> str:
    """When point `t` took a day without its unit (`3月25`), the expression must end there."""
    return rf"(?({t}_no_day_unit)(?={_END})|(?({t}_alone_no_day_unit)(?={_END})|))"


def _range_end(t: str, roc: bool) -> str:
    """A range's second end: a full date, one that leans on the start (30日, 月底), or a bare year after a
    numeric start (2008.03-2009)."""
    d = time_words()
    return (rf"(?:{_found(t, _point(t, roc, bare_day=True, lead=False))}"
            rf"|(?P<{t}_day_only>{_DAY_NUM}){_SP}{_alt('calendar', 'day')}{_pieces().tod}"
            rf"|(?P<{t}_month_word>{alternation(d.month_word)})"
            rf"|(?P<{t}_bare_year>(?:19|20)\d\d)(?![\d./{_chars('calendar', 'year')}-]))")


_SHOWN_ROWS = ("set",)   # rows that name the part of their match that is the expression's text
_REACH = 20   # a match holds one of its row's anchor characters within this many characters of its start


def _anchors(*groups: tuple[str, str], also: str = "", words=()) -> str:
    """Characters one of which every match of a row holds near its start: `also`, and the last character
    of each unit word of `groups` (`(file, group)`: a match holds the whole word) and of each of `words`
    (words a match may consist of) that holds none already chosen (shorter words first: 季度 holds 季)."""
    chars = set(also)
    entries = sorted((w for name, group in groups for w in time_group(name, group)), key=len)
    for w in entries + sorted(words, key=len):
        if not chars & set(w):
            # the last character, or one that ends another entry (钟头 holds the 钟 of 分钟)
            chars.add(next((c for c in w if any(e.endswith(c) for e in entries)), w[-1]))
    return "".join(sorted(chars))


def _lookbehind_none(words) -> str:
    """Not after any of `words` (one look-behind per length: Python's must be fixed-width)."""
    by_len: dict[int, list[str]] = {}
    for w in words:
        by_len.setdefault(len(w), []).append(w)
    return "".join(f"(?<!{alternation(ws)})" for _, ws in sorted(by_len.items()))


_DURATION_COUNT = (r"(?:(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d{1,2}(?!\d))?)(?:%s)?"
                   r"|" + _COUNT_START + "[" + _CN_CLASS + "]{0,5})")


def _durations() -> str:
    """A duration's amount as written: one amount (3个月, 两年半, 两个半月, 17个多月, 四年六个月,
    36天5小时30分, 十三分半), or a range of them (3~6个月, 13天—8周, 3年以上7年以下). `_read_amounts`
    reads the matched text again; here the grammar only needs its extent (the first count is written
    once in the pattern, so it is read once at each place tried). Counts of 日 are `duration_days`."""
    p = _pieces()
    count = _DURATION_COUNT % _alt("durations", "thousands")
    more, half = _alt("durations", "more"), _alt("durations", "half")
    ge = _alt("durations", "count_word")
    units = _alt("durations", "unit")
    after_ge = alternation(time_group("durations", "unit_after_ge"))
    minute = _alt("durations", "unit_in_compound")
    unit = rf"(?:{ge}(?:{more})?(?:{half})?{_SP}(?:{units}|{after_ge})|(?:{more})?{_SP}{units})(?:{half})?"
    tail = rf"(?:{_SP}{count}{_SP}(?:{unit}|{minute}(?:{half})?|{_alt('durations', 'night')}))*"
    rest = rf"(?:{unit}{tail}|{minute}{half})"          # an amount after its first count
    amount = rf"{count}{_SP}{rest}"
    conn = rf"{_SP}{p.conn}{_SP}"
    return (rf"{count}{_SP}(?:{rest}(?:{conn}{amount}"
            rf"|{_SP}{_alt('durations', 'at_least')}{_SP}[，,]?{_SP}{amount}{_SP}{_alt('durations', 'at_most')})?"
            rf"|{conn}{amount})")


def _rows(roc: bool) -> list[tuple[str, str, str | None]]:
    """The finder's rows, (name, regex, anchors) in priority order; each name has a reader. A row
    with anchors is only tried where one of them follows within `_REACH` characters. A row may name the
    part of its match that is the expression's text (group `ROW_shown`): 按季 of 按季（1月、4月、7月、10月）."""
    p = _pieces()
    d = time_words()
    month_unit = _alt("calendar", "month")
    year_unit = _alt("calendar", "year")
    day_unit = _alt("calendar", "day")
    conn = rf"{_SP}{p.conn}{_SP}"
    close = rf"(?:{_SP}{p.close})?"
    before = rf"{_SP}{p.before}(?!{p.not_before_dl})"
    num = rf"(?:\d+(?:\.\d{{1,2}}(?!\d))?|{_COUNT_START}[{_CN_CLASS}]{{0,4}})"
    within = _alt("durations", "within")
    num_start = (rf"(?<![\d.,{_CN_CLASS}{_chars('durations', 'not_after')}{_chars('recurrence', 'every')}"
                 rf"{_chars('calendar', 'month')}~～\-—–―〜])")
    amount = _durations()
    # 21年3月 and 2021年度 are years, not durations
    year_month_ahead = (rf"(?<={year_unit})(?:{_alt('calendar', 'year_suffix')}|{_SP}\d"
                        rf"|{_SP}[{_CN_CLASS}]{{1,2}}{month_unit})")
    days = rf"{_DURATION_COUNT % _alt('durations', 'thousands')}(?:{conn}{_DURATION_COUNT % _alt('durations', 'thousands')})?"
    # 考前一天 (the day before the exam), 次一季 (the next quarter): a relative day or period, no duration
    not_relative = "".join(rf"(?!(?<={re.escape(w[0])}){re.escape(w[1:])})"
                           for w in time_group("durations", "relative_day"))
    pay = _lookbehind_none(time_group("durations", "pay"))
    mpart = alternation(d.month_part)
    month_num = rf"(?:{_MONTH_NUM}){_SP}{month_unit}(?:{_alt('calendar', 'month_suffix')})?"
    # every date holds a year, month or quarter unit (year words and relative years hold 年), a Q or a
    # numeric date's separator; every duration holds its unit
    quarter_first = "".join(w[0] for w in time_group("calendar", "quarter"))
    dated_anchors = _anchors(("calendar", "year"), ("calendar", "month"), ("calendar", "quarter_latin"),
                             also=quarter_first + "-./",
                             words=[*d.year_word, *d.relative_year, *d.following_year])
    # (a match whose only unit is 分 ends with 半: 十三分半)
    duration_anchors = _anchors(("durations", "unit"), ("durations", "unit_after_ge"), also=_chars("durations", "half"))
    week_ends = "".join(re.escape(w[-1]) for w in time_group("recurrence", "week_word"))
    weekday = (rf"[{_chars('recurrence', 'weekday')}](?!{_alt('recurrence', 'weekday_not_before')})")
    set_day = (rf"(?:(?<=[{week_ends}]){weekday}"   # 每周五
               rf"|(?<=[{_chars('calendar', 'month')}]){_alt('recurrence', 'ordinal')}{num}"
               rf"(?:{_alt('recurrence', 'count_word')})?(?:{_alt('recurrence', 'week_word')}){weekday}"  # 每月第一个周六
               rf"|(?<=[{_chars('calendar', 'month')}])(?:{_DAY_NUM}){_SP}{day_unit}(?:{before})?"  # 每月4号, 每月10日前
               rf"|(?<=[{_chars('calendar', 'year')}]){month_num}(?:{conn}{month_num})?"   # 每年9月, 每年9月到11月
               rf"|{_alt('recurrence', 'day_kind')})")    # 每周工作日
    set_time = rf"(?:{_SP}(?:{_alt('recurrence', 'of')})?{_SP}{p.clock})"      # 每天晚上8点, 每个工作日的下午三点
    rows = [
        # words that open an expression: 截至2021年12月31日, 到2021年底 (a deadline); 今明两年 (a range);
        # 农历十月, 阴历八月十五: read so that no Gregorian date is made of them, then left out
        ("worded", rf"(?P<deadline_before>{p.prefix}){_SP}{_found('due', _point('due', roc))}(?:{before})?"
                   rf"|(?P<relative_years>{alternation(d.relative_years)})"
                   rf"|{_alt('calendar', 'lunar_calendar')}{_SP}(?:(?:\d{{4}}|{_YEAR_DIGIT}{{4}}){_SP}{year_unit})?"
                   rf"(?:[{_CN_CLASS}{_chars('calendar', 'lunar_month_name')}]{{1,3}}{month_unit}"
                   rf"(?:[{_chars('calendar', 'lunar_day_prefix')}{_CN_CLASS}]{{1,3}}(?:{day_unit})?)?)?", None),
        # numbers that open an expression: 2021-2025年, 1985到89年9月 (a bare year, then an end that writes
        # its own); 20240307, 2022 11 23; a day alone
        ("digits", rf"(?<![\d.])(?P<years_from>(?:19|20)\d\d){conn}{_found('upto', _point('upto', roc, lead=False, need_year=True))}{close}"
                   rf"|(?<![\dA-Za-z.])(?P<plain_year>(?:19|20)\d\d)(?P<plain_sep> ?)(?P<plain_month>0[1-9]|1[0-2])"
                   rf"(?P=plain_sep)(?P<plain_day>0[1-9]|[12]\d|3[01])(?![\dA-Za-z{_chars('calendar', 'day')}])"
                   # a day without its month takes the month last written: listed after another day
                   # (9月10号，11号，12号), or alone at the start of a sentence or after 于 (10日考试结束后)
                   rf"|(?<=[{_chars('calendar', 'day')}][，、,{_chars('calendar', 'list_joiner')}])(?P<listed_day>3[01]|[12]\d|0?[1-9]){_SP}{day_unit}"
                   rf"(?!{_SP}(?:{within}))"
                   rf"|(?:(?<=[{_chars('calendar', 'day_alone_after')}])|(?<![^\n。；;！？!?：:]))(?P<alone_day>3[01]|[12]\d|0?[1-9]){_SP}{_alt('calendar', 'day_alone')}"
                   rf"(?!{_SP}(?:{within}|{_alt('calendar', 'day_alone_not_before')}))(?P<alone_deadline>{before})?", None),
        # 3-5月, 2021年3—5月
        ("range_months", rf"(?:(?<!\d)(?P<months_year>(?:19|20)\d\d){_SP}{year_unit}{_SP})?{_NOT_NUM}"
                         rf"(?P<months_from>{_MONTH_NUM}){conn}"
                         rf"(?P<months_to>{_MONTH_NUM}){_SP}{month_unit}"
                         rf"(?:{_alt('calendar', 'month_suffix')})?(?P<months_to_part>{mpart})?{close}",
         _anchors(("calendar", "month"))),
        # a date, and what follows it: 2021年3月24日, 12月底, 下半年, 一季度, 年内 (a date);
        # 6月11日至30日, 4月初至11月底, 12月11日至次年1月31日 (a range); 6月底前, 3月25前 (a deadline)
        ("dated", rf"{_found('start', _point('start', roc, bare_day=True))}(?:(?P<range>{conn}{_range_end('end', roc)}{close}"
                  rf"{_needs_tail('end')})|(?P<deadline_after>{before})|{_needs_tail('start')})", dated_anchors),
        # 按季, 按月; a bracket listing the months of a recurrence belongs to it: 按季（1月、4月、7月、10月）.
        # 每月, 每两个月, 每季度, 每隔3天; with the day in each period: 每周五, 每月第一个周六, 每月4号,
        # 每年9月; with the time of day: 每天晚上8点. 周调度、月述职、季盘点、年评比
        ("set", rf"(?P<set_shown>{_alt('recurrence', 'by')}(?P<by_unit>(?>{alternation(d.by_unit)})))"
                rf"(?!{_alt('recurrence', 'by_not_before')})"
                rf"(?:{_SP}[（(](?:{_SP}{month_num}{_SP}[、，,]?)+[）)])?"
                rf"|(?:{_alt('recurrence', 'every')}|{_alt('recurrence', 'every_week')}"
                rf"(?={_alt('recurrence', 'week_word')}))(?P<every_gap>{_alt('recurrence', 'every_gap')})?"
                rf"(?:(?P<every_count>{num}))?(?:{_alt('recurrence', 'count_word')})?"
                rf"(?P<every_unit>{alternation(d.set_unit)}){set_day}?{set_time}?"
                rf"|(?<![\d{_CN_CLASS}{_chars('recurrence', 'act_not_after')}])"
                rf"(?P<act_unit>{alternation(d.act_unit)})(?P<act>{_alt('recurrence', 'act')})", None),
        # 半年, 半个月; 近三月, 未来三年 (a window from now)
        ("duration_words", rf"(?:{_alt('durations', 'qualifier')}{_SP})?"
                           rf"(?<![{_chars('durations', 'half_not_after')}])(?P<half>{alternation(d.duration_half)})"
                           rf"(?:{_SP}{within})?"
                           rf"|(?P<window>{_alt('durations', 'window')}){_SP}(?P<window_count>{num}){_SP}"
                           rf"(?:{_alt('durations', 'count_word')})?(?P<window_unit>{month_unit}"
                           rf"|{alternation(time_group('durations', 'unit_after_ge'))}|{_alt('durations', 'unit')})"
                           rf"(?![{_chars('durations', 'not_before')}])(?:{_SP}{within})?", None),
        # 3个月, 不少于10小时, 为期两周, 两年半, 3~6个月
        ("duration", rf"(?:(?P<qualifier>{_alt('durations', 'qualifier')}){_SP})?{num_start}{not_relative}"
                     rf"{pay}(?P<amount>{amount})"
                     rf"(?![{_chars('durations', 'not_before')}])(?!{year_month_ahead})"
                     rf"(?:{_SP}(?P<within>{within}))?", duration_anchors),
        # 7日内, 90日, 两日, 30~90日 (3日 alone is a day of the month, or nothing)
        ("duration_days", rf"(?:{_alt('durations', 'qualifier')}{_SP})?{num_start}{not_relative}{pay}"
                          rf"(?P<days>{days}){_SP}(?P<days_unit>{_alt('durations', 'day_unit')})"
                          rf"(?:{_SP}(?P<days_within>{within}))?", _anchors(("durations", "day_unit"))),
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
            guard += f"(?=[^{a}\n]{{0,{_REACH}}}+[{a}])"     # (possessive: no anchor, no backtracking)
        rows.append((first, f"{guard}(?P<{name}>{rx})"))
    alt = "|".join(rx for _, rx in rows)
    if all(first for first, _ in rows):   # (no row starts right after a digit: numbers start whole)
        finder = re.compile(f"(?<!\\d)(?=[{''.join(first for first, _ in rows)}])(?:{alt})")
    else:
        finder = re.compile(alt)
    _ROC_FINDERS[id(finder)] = roc
    return finder


_ROC_FINDERS: dict[int, bool] = {}   # id of a finder -> whether it reads ROC years (its points are read so)


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

_ZERO_FOLD = str.maketrans({c: "〇" for c in _ZERO + "0"})


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    return time_words().month_name.get(s) or parse_cn(s)


def _g(m: re.Match, name: str) -> str | None:
    """Group `name` of `m`, None when unmatched or absent from the pattern."""
    return m.group(name) if name in m.re.groupindex else None


_POINT_GROUPS = ("num_year", "num_month", "num_day", "num_day2", "nm_year", "nm_month", "md_month", "md_day",
                 "sl_month", "sl_day", "era", "era_year", "year", "cn_year", "roc_year", "roc_cn_year",
                 "short_year", "short_cn_year", "open_year", "rel_year", "next_year", "year_word",
                 "quarter", "quarter_q", "quarter_part", "year_part", "first_n", "first_n_unit", "last_n",
                 "last_n_unit", "first_one", "nth_month", "year_week", "month", "month_part", "day", "week",
                 "weekday", "first_days")

_GROUP_NAMES: dict[tuple[int, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _point_groups(m: re.Match, t: str) -> dict[str, str]:
    """The matched groups of point `t` (`t_NAME` and `t_alone_NAME`), keyed by NAME, in one call."""
    key = (id(m.re), t)    # (hashing a compiled pattern hashes its whole code: key on its id)
    if key not in _GROUP_NAMES:
        pairs = [(k, f"{t}{sep}{k}") for k in _POINT_GROUPS for sep in ("_", "_alone_")]
        pairs = [(k, name) for k, name in pairs if name in m.re.groupindex]
        _GROUP_NAMES[key] = tuple(k for k, _ in pairs), tuple(name for _, name in pairs)
    keys, names = _GROUP_NAMES[key]
    values = m.group(*names)        # (a matched point group is never empty: truth tells matched ones)
    return dict(zip(compress(keys, values), filter(None, values)))


def _year_ref(g: dict) -> YearRef | None:
    """How a point's groups state its year; None when the year they write is no year (二〇九九九年)."""
    d = time_words()
    if "era" in g:
        n = parse_cn(g["era_year"])
        return None if n is None else YearRef(STATED, n + d.era[g["era"]])
    if "year" in g:
        return YearRef(STATED, int(g["year"]))
    if "cn_year" in g:
        n = parse_cn(g["cn_year"].translate(_ZERO_FOLD))
        return YearRef(STATED, n) if n is not None and 1800 <= n <= 2200 else None
    if "roc_year" in g:
        return YearRef(STATED, int(g["roc_year"]) + d.roc_offset)
    if "roc_cn_year" in g:
        n = parse_cn(g["roc_cn_year"])
        return YearRef(STATED, n + d.roc_offset) if n and n <= 200 else None
    if "short_year" in g:
        return YearRef(TWO_DIGIT, int(g["short_year"]))
    if "short_cn_year" in g:
        return YearRef(TWO_DIGIT, parse_cn(g["short_cn_year"].translate(_ZERO_FOLD)))
    if "open_year" in g:
        return YearRef(UNKNOWN)
    if "rel_year" in g:
        return YearRef(RELATIVE, d.relative_year[g["rel_year"]])
    if "next_year" in g:
        return YearRef(FOLLOWING, d.following_year[g["next_year"]])
    return NO_YEAR


def _year_grain(m1: int, d1: int, m2: int, d2: int) -> str:
    return "year" if (m1, d1, m2, d2) == (1, 1, 12, 31) else "period"


def _months_of(unit: str) -> int:
    """Months in one period word: 季度 3, 月 1."""
    return 3 if unit in time_group("calendar", "quarter") else 1


def _read_numeric(g: dict) -> When | None:
    """The numeric forms: 2021-03-24, 1999.08, 09-01, 11/3号."""
    if "num_year" in g:
        y, mo, dd = int(g["num_year"]), int(g["num_month"]), int(g.get("num_day") or g["num_day2"])
        return When(YearRef(STATED, y), mo, dd, mo, dd, "day", True)
    if "nm_year" in g:
        mo = int(g["nm_month"])
        return When(YearRef(STATED, int(g["nm_year"])), mo, 1, mo, LAST, "month", True)
    mo, dd = (int(g["md_month"]), int(g["md_day"])) if "md_month" in g else (int(g["sl_month"]), int(g["sl_day"]))
    return When(NO_YEAR, mo, dd, mo, dd, "day", True)


def _read_year_period(yr: YearRef, g: dict) -> When | None:
    """What follows a year: its first/last N quarters or months, its first one, its Nth month or week."""
    if "first_n" in g or "last_n" in g:
        n = _num(g.get("first_n") or g.get("last_n"))
        months = n * _months_of(g.get("first_n_unit") or g["last_n_unit"]) if n else 0
        if not 0 < months <= 12:
            return None
        m1, m2 = (1, months) if "first_n" in g else (13 - months, 12)
        return When(yr, m1, 1, m2, LAST, "month" if m1 == m2 else "period", False)
    if "first_one" in g:
        m2 = _months_of(g["first_one"])
        return When(yr, 1, 1, m2, LAST, "month" if m2 == 1 else "period", m2 == 1)
    if "nth_month" in g:
        mo = _num(g["nth_month"])
        return When(yr, mo, 1, mo, LAST, "month", True) if mo and mo <= 12 else None
    n = _num(g["year_week"])
    return When(yr, 1, 1, 12, 31, "period", False, ("year_week", n)) if n and n <= 53 else None


@lru_cache(maxsize=2)
def _point_parser(roc: bool) -> re.Pattern:
    """The grammar of one date (`_point`) with all its groups, to read a point the finder found."""
    return re.compile(_point("p", roc, bare_day=True, lead=False))


def _read_point(m: re.Match, t: str) -> When | None:
    """Point `t` of a finder match as a `When`."""
    return _parse_point(m.group(t), _ROC_FINDERS.get(id(m.re), False))


@lru_cache(maxsize=4096)
def _parse_point(text: str, roc: bool) -> When | None:
    """A point's text (2021年3月24日, 3月上旬, 今年第三十七个星期) as a `When`; None when the numbers make
    no date (13月, 32日)."""
    m = _point_parser(roc).fullmatch(text)
    if m is None:        # pragma: no cover - the finder matched this text with the same grammar
        return None
    d = time_words()
    g = _point_groups(m, "p")
    if "num_year" in g or "nm_year" in g or "md_month" in g or "sl_month" in g:
        return _read_numeric(g)
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
    if "first_n" in g or "last_n" in g or "first_one" in g or "nth_month" in g or "year_week" in g:
        return _read_year_period(yr, g)
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
        if "week" in g:     # 3月第三周, 6月第3个星期日: the month's bounds until the year gives the weekdays
            n = _num(g["week"])
            if not n or n > 5:
                return None
            rule = ("weekday", n, d.weekday[g["weekday"]]) if "weekday" in g else ("month_week", n)
            return When(yr, mo, 1, mo, LAST, "day" if "weekday" in g else "period", True, rule)
        if "first_days" in g:
            n = _num(g["first_days"])
            return When(yr, mo, 1, mo, n, "period", True) if n and n <= 31 else None
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
    day_only, month_word, bare_year = _g(m, "end_day_only"), _g(m, "end_month_word"), _g(m, "end_bare_year")
    if day_only:                            # 6月11日至30日: inside the start's month
        dd = _num(day_only)
        if not dd or dd > 31:
            return None
        end = When(NO_YEAR, IN_START_MONTH, dd, IN_START_MONTH, dd, "day", False)
    elif month_word:                        # 6月11日至月底
        d1, d2 = time_words().month_word[month_word]
        end = When(NO_YEAR, IN_START_MONTH, d1, IN_START_MONTH, d2, "period", False)
    elif bare_year:                         # 2008.03-2009
        end = When(YearRef(STATED, int(bare_year)), 1, 1, 12, 31, "year", False)
    else:
        end = _read_point(m, "end")
        if end is None:
            return None
    return Timex("range", start, end)


def _read_range_months(m: re.Match) -> Timex | None:
    ma, mb = _num(m.group("months_from")), _num(m.group("months_to"))
    if not ma or not mb or ma > 12 or mb > 12:
        return None
    y = m.group("months_year")
    start = When(YearRef(STATED, int(y)) if y else NO_YEAR, ma, 1, ma, LAST, "month", True)
    part = m.group("months_to_part")
    d1, d2 = time_words().month_part[part] if part else (1, LAST)   # 3—5月底: the part is the end's
    return Timex("range", start, When(NO_YEAR, mb, d1, mb, d2, "month", True))


@lru_cache(maxsize=1)
def _amount_part() -> re.Pattern:
    """One count and unit of an amount, read again from a matched duration (see `_durations`); the unit
    is missing from a count that takes the next one's (3 of 3~6个月)."""
    d = time_words()
    units = alternation([*d.duration_unit, *time_group("durations", "night")])
    ge = _alt("durations", "count_word")
    return re.compile(rf"(?P<count>(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:{_alt('durations', 'thousands')})?"
                      rf"|{_COUNT_START}[{_CN_CLASS}]{{0,5}}){_SP}(?:{ge})?(?:{_alt('durations', 'more')})?(?:{ge})?"
                      rf"(?P<half_before>{_alt('durations', 'half')})?{_SP}"
                      rf"(?P<unit>{units})?(?P<half_after>{_alt('durations', 'half')})?")


def _count(s: str | None) -> float | None:
    """A count as written: 3, 35,000, 2621.2, 2000万, 两万四千, 十五; None for 三三 (digit by digit is how
    years are written, never how anything is counted)."""
    if s is None:
        return 1
    plain = s.replace(",", "")
    for word, factor in time_group("durations", "thousands").items():
        if plain.endswith(word) and re.fullmatch(r"\d+(?:\.\d+)?", plain[:-len(word)]):
            return float(plain[:-len(word)]) * int(factor)
    if re.fullmatch(r"\d+(?:\.\d+)?", plain):
        return float(plain)
    if len(s) > 1 and not any(c in UNITS for c in s):
        return None
    return parse_cn(s)


_HALF_OF = {"Y": ("M", 6), "M": ("D", 15), "W": ("D", 3.5), "D": ("H", 12), "H": ("TM", 30), "TM": ("S", 30)}


def _iso_unit(iso: str) -> tuple[str, float]:
    """`PT1H` -> ("H", 1), `P3M` -> ("M", 3), `PT1M` -> ("TM", 1): one unit's key and size."""
    t, n, unit = re.fullmatch(r"P(T?)(\d+)([YMWDHS])", iso).groups()
    return ("TM" if t and unit == "M" else unit), float(n)


def _iso(parts: dict[str, float]) -> str:
    """{"Y": 2, "M": 6} -> `P2Y6M`; weeks mixed with other units become days."""
    if parts.get("W") and any(parts.get(k) for k in ("Y", "M", "D", "H", "TM", "S")):
        parts = {**parts, "D": parts.get("D", 0) + 7 * parts.pop("W")}

    def fmt(v: float) -> str:
        return str(int(v)) if v == int(v) else str(round(v, 3))

    date = "".join(f"{fmt(parts[k])}{k}" for k in ("Y", "M", "W", "D") if parts.get(k))
    clock = "".join(f"{fmt(parts[k])}{k[-1]}" for k in ("H", "TM", "S") if parts.get(k))
    return "P" + date + ("T" + clock if clock else "")


def _read_amounts(text: str) -> list[list[tuple[float, str, bool]]] | None:
    """The amounts of a matched duration (one, or the two ends of a range), each a list of (count, unit,
    plus a half) parts; None when a count is no count."""
    amounts: list[list[tuple[float, str | None, bool]]] = []
    last_end = None
    for m in _amount_part().finditer(text):
        n = _count(m.group("count"))
        if n is None:
            return None
        if last_end is None or text[last_end:m.start()].strip():
            amounts.append([])
        amounts[-1].append((n, m.group("unit"), bool(m.group("half_before") or m.group("half_after"))))
        last_end = m.end()
    for i, parts in enumerate(amounts):     # 3~6个月: a count without a unit takes the next amount's
        if parts[-1][1] is None and i + 1 < len(amounts):
            n, _, half = parts[-1]
            amounts[i] = [*parts[:-1], (n, amounts[i + 1][0][1], half)]
    if any(unit is None for parts in amounts for _, unit, _ in parts):
        return None
    return amounts


def _amount_iso(parts: list[tuple[float, str, bool]]) -> str:
    d = time_words()
    nights = set(time_group("durations", "night"))
    out: dict[str, float] = {}
    for n, unit, half in parts:
        if unit in nights:                  # 6天5晚: the nights of a stay are counted in its days
            continue
        key, size = _iso_unit(d.duration_unit[unit])
        n += 0.5 if half else 0
        whole = int(n)
        out[key] = out.get(key, 0) + whole * size
        if n - whole == 0.5 and size == 1 and key in _HALF_OF:   # 两年半 = P2Y6M
            smaller, amount = _HALF_OF[key]
            out[smaller] = out.get(smaller, 0) + amount
        elif n != whole:
            out[key] += (n - whole) * size
    return _iso(out)


def _read_duration(m: re.Match) -> Timex | None:
    amounts = _read_amounts(m.group("amount"))
    if not amounts or len(amounts) > 2:
        return None
    return Timex("duration", period="/".join(_amount_iso(parts) for parts in amounts))


_TWO = "".join(c for c, v in DIGITS.items() if v == 2 and c not in "二")   # 两 (二日 is the second day)


def _read_duration_days(m: re.Match) -> Timex | None:
    """N日 is a count of days only where it cannot be a day of the month: before 内 (7日内), above 31
    (90日), counted with 两 (两日), in a range (30~90日)."""
    amounts = _read_amounts(m.group("days") + m.group("days_unit"))
    if not amounts or len(amounts) > 2:
        return None
    n = amounts[0][0][0]
    if len(amounts) == 1 and not m.group("days_within") and not (n > 31 or m.group("days")[0] in _TWO):
        return None
    return Timex("duration", period="/".join(_amount_iso(parts) for parts in amounts))


def _scale(iso: str, n: float) -> str:
    """`P1M` × 2 -> `P2M`; `PT1H` × 10 -> `PT10H`."""
    mm = re.fullmatch(r"P(T?)(\d+(?:\.\d+)?)([YMWDHS])", iso)
    if mm is None:
        return iso
    v = float(mm.group(2)) * n
    return f"P{mm.group(1)}{int(v) if v == int(v) else round(v, 3)}{mm.group(3)}"


def _read_worded(m: re.Match) -> Timex | None:
    if m.group("deadline_before"):
        due = _read_point(m, "due")
        return due and Timex("deadline", due)
    if m.group("relative_years"):
        a, b = time_words().relative_years[m.group("relative_years")]
        return Timex("range", When(YearRef(RELATIVE, a), 1, 1, 12, 31, "year", False),
                     When(YearRef(RELATIVE, b), 1, 1, 12, 31, "year", False))
    return None                             # a lunar date


def _read_digits(m: re.Match) -> Timex | None:
    if m.group("years_from"):               # 2021-2025年, 1985到89年9月
        end = _read_point(m, "upto")
        start = When(YearRef(STATED, int(m.group("years_from"))), 1, 1, 12, 31, "year", False)
        return end and Timex("range", start, end)
    if m.group("plain_year") is None:
        return _read_day(m)
    mo, dd = int(m.group("plain_month")), int(m.group("plain_day"))
    return Timex("date", When(YearRef(STATED, int(m.group("plain_year"))), mo, dd, mo, dd, "day", True))


def _read_day(m: re.Match) -> Timex | None:
    listed = m.group("listed_day")
    dd = int(listed or m.group("alone_day"))
    w = When(NO_YEAR, FROM_CONTEXT, dd, FROM_CONTEXT, dd, "day", True)
    return Timex("deadline" if not listed and m.group("alone_deadline") else "date", w)


def _read_set(m: re.Match) -> Timex | None:
    d = time_words()
    if m.group("by_unit"):
        return Timex("set", period=d.by_unit[m.group("by_unit")])
    if m.group("act_unit"):
        return Timex("set", period=d.act_unit[m.group("act_unit")])
    n = _count(m.group("every_count"))
    return Timex("set", period=_scale(d.set_unit[m.group("every_unit")], n)) if n else None


def _read_duration_words(m: re.Match) -> Timex | None:
    if m.group("half"):
        return Timex("duration", period=time_words().duration_half[m.group("half")])
    n = _count(m.group("window_count"))
    unit = m.group("window_unit")       # 近三月: here 月 counts months
    return Timex("duration", period=_amount_iso([(n, unit, False)])) if n else None


_READERS = {
    "worded": _read_worded,
    "digits": _read_digits,
    "range_months": _read_range_months,
    "dated": _read_dated,
    "set": _read_set,
    "duration_words": _read_duration_words,
    "duration": _read_duration,
    "duration_days": _read_duration_days,
}


# ---------------------------------------------------------------- API


class Mention(NamedTuple):
    """A temporal expression found at `text[start:end]`, with its year-independent meaning."""

    start: int
    end: int
    timex: Timex


_FULLWIDTH = FULLWIDTH_DIGITS
_FOLD = str.maketrans(_FULLWIDTH, "0123456789")
_HAS_FULLWIDTH = re.compile(f"[{_FULLWIDTH}]")


def _scan_text(text: str) -> str:
    """`text` with any full-width digit folded to ASCII, one character for one (offsets unchanged)."""
    return text.translate(_FOLD) if _HAS_FULLWIDTH.search(text) else text


def _span(m: re.Match) -> tuple[int, int]:
    """The expression's text: the part of the match its row shows (group `ROW_shown`), else the whole."""
    if m.lastgroup in _SHOWN_ROWS and m.group(m.lastgroup + "_shown") is not None:
        return m.span(m.lastgroup + "_shown")
    return m.span()


@lru_cache(maxsize=1)
def _name_finders() -> tuple[tuple[tuple[str, str], ...], re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """(quotation mark pairs, a title line, a heading marker at a line's start, a page stamp's label before
    a date, any opening quotation mark)."""
    quotes = tuple(time_group("markers", "name_quotes").items())
    opening = re.compile("[" + "".join(re.escape(o) for o, _ in quotes) + "]")
    title = (rf"[^\n，。；：,;:!?！？]{{0,60}}?{alternation(lexicon.words('split', 'plan_type'))}"
             rf"(?:{alternation(lexicon.words('split', 'notice_end'))})?"
             rf"(?:{_SP}[（(][^）)\n]{{1,12}}[)）])?{_SP}")
    markers = lexicon.regexes("markers")
    marker = rf"[ \t\u3000]*(?:{markers['any']}|{markers['cn']}[、.．])"     # (三、2021年…: l1 wants no digit)
    stamp = rf"(?:{_alt('markers', 'page_stamp')})[:：]{_SP}$"
    return quotes, re.compile(title), re.compile(marker), re.compile(stamp), opening


_NAME_REACH = 60      # a quoted name holds at most this many characters
_BARE = re.compile(r"[^\n，。；：,;:!?！？]{0,40}")


def _part_of_a_name(text: str, start: int, end: int, tx: Timex) -> bool:
    """The expression at `text[start:end]` only looks like a date: it is inside a quoted name (「人权教育十年」,
    《2021年工作要点》), it is a whole year on a title line (2020年绍兴一中消防应急疏散演练方案; a title line
    has no sentence punctuation nor heading marker and ends with a plan's kind, maybe then a bracketed year
    (行动方案(2018年)); the line above one belongs to it when as bare: a title broken over two lines), or
    it is a scraped page's stamp (发布时间：2020年11月18日)."""
    quotes, title_rx, marker_rx, stamp_rx, opening = _name_finders()
    line_start = text.rfind("\n", 0, start) + 1
    before = max(line_start, start - _NAME_REACH)
    if opening.search(text, before, start):
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        for open_, close in quotes:
            i = text.rfind(open_, before, start)
            if i >= 0 and text.find(close, i, start) < 0 and text.find(close, end, min(line_end, i + _NAME_REACH + 1)) >= 0:
                return True
    if stamp_rx.search(text, max(line_start, start - 8), start):
        return True
    if tx.kind != "date" or tx.when.grain != "year":
        return False
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if marker_rx.match(text, line_start):
        return False
    if title_rx.fullmatch(text, line_start, line_end):
        return True
    if line_end < len(text) and _BARE.fullmatch(text, line_start, line_end):    # the title's first line
        next_end = text.find("\n", line_end + 1)
        next_end = len(text) if next_end < 0 else next_end
        return (title_rx.fullmatch(text, line_end + 1, next_end) is not None
                and not marker_rx.match(text, line_end + 1))
    return False


@lru_cache(maxsize=8)
def find_timexes(text: str, roc: bool = False) -> tuple[Mention, ...]:
    """Every temporal expression of `text`, read but not yet normalized: sorted, non-overlapping; the
    same for any reference year, so computed once per text (cached: metadata and dates share it).
    Expressions that are parts of names are left out: inside quotation marks or title brackets
    (「人权教育十年」), a year on a title line (2020年绍兴一中消防应急疏散演练方案); and a scraped page's stamp
    (发布时间：2020年11月18日)."""
    out = []
    seen: dict[tuple[str | None, str], Timex | None] = {}   # a plan repeats its expressions
    for m in _finder(roc).finditer(_scan_text(text)):
        key = (m.lastgroup, m.group())
        if key not in seen:
            seen[key] = _READERS[m.lastgroup](m)
        tx = seen[key]
        if tx is None:
            continue
        start, end = _span(m)
        if not _part_of_a_name(text, start, end, tx):
            out.append(Mention(start, end, tx))
    return tuple(out)


_LIST_SEPARATORS = "，、,"     # and the words of models/time/calendar.txt [list_joiner]


_DEPENDS = object()   # a `seen` entry: this expression's meaning depends on the dates before it


def _dated(text: str, mentions, year: int | None, background: bool = False) -> list[DateItem]:
    """The mentions normalized in order, each that leans on the dates before it after them (`timex.Context`);
    `background`: keep dates long before the reference year too."""
    out: list[DateItem] = []
    seen: dict[int, object] = {}      # a repeated expression is one Timex object (find_timexes)
    last_dated: DateItem | None = None
    keep_all = background or year is None
    for start, end, tx in mentions:
        key = id(tx)
        item = seen.get(key)
        if item is None:
            item = seen[key] = _DEPENDS if depends_on_context(tx) else (normalize(tx, year) or False)
        if item is _DEPENDS:
            listed = tx.when.first_month == FROM_CONTEXT and start and (
                text[start - 1] in _LIST_SEPARATORS or text[start - 1] in time_group("calendar", "list_joiner"))
            if listed and not (out and out[-1].end == start - 1):
                continue       # 11号 is a listed day only right after the day before it
            item = normalize(tx, year, context_of(last_dated))
        if item:
            found = DateItem(text[start:end], item.kind, item.value, item.first_day, item.last_day,
                             item.year_inferred, start, end, item.inconsistent)
            if item.last_day is not None:
                last_dated = found
                if not keep_all and is_historical(item, year):
                    continue   # 公元一九四八年十二月十日 in a plan of 2005: background, not the plan's time
            out.append(found)
    return out


def find_dates(text: str, year: int | None, roc: bool = False, background: bool = False) -> list[DateItem]:
    """Every temporal expression of a plan's normalized simplified `text` -> `DateItem`s, grounded,
    sorted by start, non-overlapping; `year` completes dates that omit it (None: `XXXX`); `roc` reads
    bare 3-digit years (113年) as ROC years. Dates of the plan's background (`timex.is_historical`: 公元一九四八年
    in a plan of 2005) are left out unless `background`."""
    return _dated(text, find_timexes(text, roc), year, background)


def parse_date(expr: str, year: int | None, roc: bool = False) -> DateItem | None:
    """One expression (a phase's `time_text`, `4月初至11月底`) -> its `DateItem`, offsets relative to
    `expr`; when `expr` holds more than the expression (brackets, words), the longest expression in it
    (the first of equals); None when it holds none."""
    stripped = expr.strip()
    m = _finder(roc).fullmatch(_scan_text(stripped))
    if m is not None and _span(m) == (0, len(stripped)):
        tx = _READERS[m.lastgroup](m)
        item = tx and not depends_on_context(tx) and normalize(tx, year)
        if item:
            shift = expr.find(stripped)
            item.text, item.start, item.end = stripped, shift, shift + len(stripped)
            return item
    items = find_dates(expr, year, roc, background=True)
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
