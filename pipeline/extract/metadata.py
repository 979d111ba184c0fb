"""Plan metadata: `find_metadata(text, roc) -> Metadata` — title, doc_number (发文字号), issuer, issue_date, year.

- title: the plan's title line near the top (a cover notice's 关于印发《…》 or a decree's 订定「…」 names it — the
  title line that starts with that name wins; a title broken over two lines is joined; a title glued to its
  preamble is cut at the preamble);
- doc_number: a 发文字号 line (…〔2021〕19号, Taiwan …字第…号, Hong Kong SKH/IC/2022/015) among the first lines,
  never a document cited in the body;
- issuer and issue_date: a decree header (`教育部令` over its date line), a signature — a short name of a body
  over a date line, or a date line over the body's name closing the plan — or the body named before 关于 in
  the title; issue_date only at day precision;
- year: the plan's reference year for completing year-less dates: the closing signature's, else the year most
  stated in the plan's dates, else the title's or document number's (a decree's date dates the order, not the
  plan's schedule).
Cue words: models/cues/metadata.txt, models/cues/split.txt (plan types, preamble openers).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from .dates import find_dates, parse_date
from .people import person_name

HEAD_LINES = 12


@dataclass
class Metadata:
    title: str | None
    doc_number: str | None
    issuer: str | None
    issue_date: str | None
    year: int | None


@dataclass
class _Rx:
    doc_number: re.Pattern
    notice_title: re.Pattern
    title_end: re.Pattern
    glued_title: re.Pattern
    issuer_suffix: re.Pattern
    about: re.Pattern
    date_line: re.Pattern
    marker: re.Pattern
    year_in: re.Pattern
    approval: re.Pattern
    stated_year: re.Pattern
    title_issuer: re.Pattern
    decree: re.Pattern
    notice_title_bare: re.Pattern
    dated: re.Pattern
    annex_label: re.Pattern
    central_body: re.Pattern


@lru_cache(maxsize=1)
def _rx() -> _Rx:
    m = lexicon.regexes("markers")
    own = lexicon.regexes("metadata")
    alt = lambda f, g: lexicon.alternation(lexicon.words(f, g))  # noqa: E731
    plan_type = alt("split", "plan_type")
    return _Rx(
        doc_number=re.compile(own["doc_number"]),
        notice_title=re.compile(own["notice_title"]),
        title_end=re.compile(plan_type + r"[”\"》）)]?$"),
        glued_title=re.compile(r"^(?P<t>.{4,60}?" + plan_type + r")(?=" + alt("split", "preamble_start") + ")"),
        issuer_suffix=re.compile(alt("metadata", "issuer_suffix") + "$"),
        about=re.compile("^(?P<i>.{2,30}?)" + alt("metadata", "about")),
        date_line=re.compile(m["date_line"]),
        marker=re.compile(m["any"]),
        year_in=re.compile(own["year_in"]),
        stated_year=re.compile(own["stated_year"]),
        approval=re.compile(alt("metadata", "approval") + "$"),
        decree=re.compile(own["decree"]),
        notice_title_bare=re.compile(own["notice_title_bare"]),
        dated=re.compile(own["dated"]),
        annex_label=re.compile(own["annex_label"]),
        central_body=re.compile("^(?P<i>" + alt("metadata", "central_body") + ")"),
        title_issuer=re.compile(r"^(?P<i>[^\d，。“”\s]{0,10}?" + alt("metadata", "place")
                                + r"[^\d，。“”\s]{0,14}?" + alt("metadata", "issuer_suffix") + ")"),
    )


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


_PUNCT = re.compile(r"[。，,；;：:！？!?]")
_YEAR_FIRST = re.compile(r"(?:19|20)\d{2}\s*年")
_TITLE_ADDITION = re.compile(r"\s*(?:[（(][^（）()]{1,40}[）)])?\s*$")  # what a title line adds to the name


def find_title(lines: list[str]) -> str | None:
    rx = _rx()
    head = [ln for ln in lines[:HEAD_LINES] if not rx.annex_label.match(ln)]
    for ln in head:
        m = rx.notice_title.search(ln) or rx.notice_title_bare.search(ln)
        if m:
            named = m.group("t")
            # the plan's own title line may add to the name (`…执行方案（Enhance Enforcement Program, EEP）`)
            return next((t for t in head if t.startswith(named) and len(t) <= len(named) + 40
                         and _TITLE_ADDITION.match(t[len(named):])), named)
    for i, ln in enumerate(head):
        if _PUNCT.search(ln) or rx.marker.match(ln) or rx.doc_number.search(ln) or rx.date_line.match(ln):
            m = rx.glued_title.match(ln)
            if m and i < 3:
                return m.group("t")
            if i >= 2:
                break
            continue
        if len(ln) <= 60 and rx.title_end.search(ln):
            prev = head[i - 1] if i else ""
            # a body's name over a title that starts with its year is the title's first line (…公司 / 2026年…方案)
            if prev and not _PUNCT.search(prev) and len(prev) <= 30 and not rx.doc_number.search(prev) \
                    and not rx.date_line.match(prev) and ln not in prev \
                    and (not rx.issuer_suffix.search(prev) or _YEAR_FIRST.match(ln)):
                return prev + ln
            return ln
    first = head[0] if head else ""
    if first and not _PUNCT.search(first) and 6 <= len(first) <= 40 and not rx.marker.match(first) \
            and not rx.date_line.match(first) and not rx.doc_number.search(first) and not rx.issuer_suffix.search(first):
        return first
    return None


def _is_body(line: str) -> bool:
    """A short line naming a body (`绍兴一中德育处、体育组`), as a signature writes it."""
    return bool(line) and len(line) <= 30 and not _PUNCT.search(line) and bool(_rx().issuer_suffix.search(line))


def find_decree(lines: list[str], roc: bool) -> tuple[str | None, str | None]:
    """(issuer, day) of a decree or letter header: `教育部令` over `中华民国94年1月17日（补登）`, `教育部 函` with a
    `发文日期：…` line."""
    rx = _rx()
    m = rx.decree.match(lines[0]) if lines else None
    if m is None or not rx.issuer_suffix.search(m.group("i")):
        return None, None
    for k, ln in enumerate(lines[1:HEAD_LINES], 1):
        label = rx.dated.match(ln)
        if k > 2 and not label:
            continue
        d = next(iter(find_dates(ln[label.end():] if label else ln, None, roc)), None)
        if d is not None and d.start == 0 and d.first_day and d.first_day == d.last_day and d.first_day[:4].isdigit():
            return m.group("i"), d.first_day
    return m.group("i"), None


def find_signature(lines: list[str], roc: bool) -> tuple[str | None, str | None, int | None]:
    """(issuer, issue_date at day precision, year) from the first `name of a body / date` line pair, or a date
    line over the body's name as the plan's last lines."""
    rx = _rx()
    for i, ln in enumerate(lines):
        if not rx.date_line.match(ln):
            continue
        d = parse_date(ln, None, roc)
        if d is None or not d.first_day or "X" in d.first_day[:4]:
            continue
        prev = lines[i - 1] if i else ""
        if i >= 2 and person_name(prev.replace(" ", "")) and not _is_body(prev):
            prev = lines[i - 2]  # 圣公会…中心 / 中心主任 何志明 / 2026年3月20日: the signatory between
        issuer = prev if _is_body(prev) else None
        if issuer is None and i + 2 == len(lines) and _is_body(lines[-1]):
            issuer = lines[-1]  # 2020年11月17日 / 安全处
        if issuer is None and i + 1 < len(lines) and not rx.marker.match(ln):
            continue  # a date line without a body's name above it is not a signature mid-text
        day = d.first_day if d.kind == "date" and d.first_day == d.last_day else None
        return issuer, day, int(d.first_day[:4])
    return None, None, None


def find_approval(lines: list[str], roc: bool) -> tuple[str | None, int | None]:
    """(day, year) of a line that dates the plan's adoption (`…年…月…日行政会议通过`)."""
    rx = _rx()
    for ln in lines:
        if len(ln) <= 40 and rx.approval.search(ln):
            d = next(iter(find_dates(ln, None, roc)), None)
            if d is not None and d.start == 0 and d.first_day and d.first_day == d.last_day and d.first_day[:4].isdigit():
                return d.first_day, int(d.first_day[:4])
    return None, None


def _after_date(line: str, roc: bool) -> str:
    """`line` without the date it opens with, if any (a Taiwan letter line: date, number, 函订定)."""
    d = next(iter(find_dates(line, None, roc)), None)
    return line[d.end:] if d is not None and d.start == 0 else line


def find_metadata(text: str, roc: bool = False) -> Metadata:
    """Metadata of one plan's normalized text."""
    rx = _rx()
    lines = _lines(text)
    title = find_title(lines)
    doc_number = None
    for ln in lines[:HEAD_LINES]:
        m = rx.doc_number.search(ln)
        if m and len(ln) > len(m.group()) + 12:  # 中华民国115年1月20日劳动发综字第1150500123号函订定
            ln = _after_date(ln, roc)
            m = rx.doc_number.search(ln)
        if m and len(ln) <= len(m.group()) + 12:
            doc_number = m.group()
            break
    issuer, issue_date, year = find_signature(lines, roc)
    if issuer is None and issue_date is None:
        issuer, issue_date = find_decree(lines, roc)
    if issue_date is None:
        issue_date, approved_year = find_approval(lines, roc)
        year = year or approved_year
    if issuer is None and title:
        m = rx.about.match(title)
        if m and rx.issuer_suffix.search(m.group("i")):
            issuer = m.group("i")
        else:
            m = rx.title_issuer.match(title) or rx.central_body.match(title)
            issuer = m.group("i") if m else None
    if year is None:  # the year the plan's dates state most often (a cited document's number is no date)
        if roc:
            years = Counter(int(d.first_day[:4]) for d in find_dates(text, None, roc)
                            if d.first_day and d.first_day[:4].isdigit() and not d.year_inferred)
        else:
            years = Counter(int(m.group(1)) for m in rx.stated_year.finditer(text))
        if years:
            year = years.most_common(1)[0][0]
    if year is None:  # a year in the title or the plan's own number, never a cited document's
        m = rx.year_in.search(" ".join(filter(None, [title, doc_number])))
        year = int(m.group(1)) if m else None
    return Metadata(title=title, doc_number=doc_number, issuer=issuer, issue_date=issue_date, year=year)
