"""Rules: the normative sentences of a plan — prohibitions, obligations, sanctions, rewards (`rules[]`).

Find, then read: `split_sentences` cuts the text into sentences (to 。/；/; or the line end), `find_cues`
finds the cue words of each modality in one sentence, `classify` picks the modality by precedence
(sanction > reward > prohibition > obligation), and small functions read the condition, consequence,
subject and amounts of a rule. Cue words are data (`models/cues/rules.txt`), assembled into regexes by
`models/patterns/rules.txt`.

Cue words are found once per plan on the plan's jieba words (`segment.match_cues`), so a cue inside a longer word (`应急`, `奖惩`, `不得不`) does not count; multi-part cues (`追究…责任`, amounts)
are regexes over the sentence. The sentences holding a cue are the only ones read in full.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from types import SimpleNamespace

from .. import lexicon
from ..model import Amount, Rule
from ..numerals import parse_cn
from ..segment import Segmented, match_cues, segment
from ..script import CJK

MODALITIES = ("sanction", "reward", "prohibition", "obligation")  # precedence, first wins

_CJK = re.compile(f"[{CJK}]")
_PUNCT_HEAD = re.compile(r"[\s，,、。；;：:！!？?（(）)]")
_END_PUNCT = "。；;！!？?"
_CLAUSE_END = re.compile(r"[，,：:]")


_WORD_GROUPS = ("prohibition", "obligation", "modal", "sanction", "sanction_qualified", "sanction_weak",
                "sanction_handle", "reward")


@lru_cache(maxsize=1)
def _rx() -> SimpleNamespace:
    """The compiled patterns of `models/patterns/rules.txt` (plus the item markers of `markers.txt`)."""
    p = lexicon.regexes("rules")
    rx = SimpleNamespace(**{k: re.compile(v) for k, v in p.items()})
    rx.marker = re.compile(r"\s*(?:" + lexicon.regexes("markers")["any"] + r")\s*")
    rx.title_end = re.compile(lexicon.alternation(lexicon.words("rules", "title_end")) + r"$")
    rx.heads = re.compile(lexicon.alternation(lexicon.words("rules", "subject_head")))
    rx.patterns = (("obligation", rx.obligation_pattern), ("sanction", rx.sanction_pattern),
                   ("reward", rx.reward_pattern))
    rx.masks = (rx.quoted, rx.count_name, rx.exemption, rx.target)
    return rx


# ---------------------------------------------------------------- sentences


def split_sentences(text: str) -> list[tuple[int, int]]:
    """`text` -> (start, end) of its sentences: to 。/；/; or the line end, a line broken inside a sentence
    joined back, item markers and lead phrases (`…：`) left out, surrounding whitespace excluded."""
    return [piece for s, e in _raw_sentences(text) for piece in _pieces(text, s, e)]


def _raw_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans as cut by end punctuation and line ends (lines broken inside a sentence joined)."""
    rx = _rx()
    out: list[tuple[int, int]] = []
    start, at_line_start, joined = 0, True, 0
    for m in rx.boundary.finditer(text):
        newline = text[m.start()] == "\n"
        end = m.start() if newline else m.end()
        if newline and joined < 3 and end > start and _continues(text, start, end, at_line_start):
            joined += 1
            continue
        if end > start:
            out.append((start, end))
        start, at_line_start, joined = m.end(), newline, 0
    if start < len(text):
        out.append((start, len(text)))
    return out


def _continues(text: str, start: int, end: int, at_line_start: bool) -> bool:
    """Whether the sentence piece `text[start:end]` goes on past the line break at `end` (scraping damage):
    a bracket left open, a trailing comma, or a mid-line sentence cut off after a Chinese character."""
    rx = _rx()
    piece = text[start:end].rstrip()
    nxt = end + 1
    line_end = text.find("\n", nxt)
    next_line = text[nxt:line_end if line_end >= 0 else len(text)].strip()
    if not piece or not next_line or rx.marker.match(next_line):
        return False
    if len(rx.open_bracket.findall(piece)) > len(rx.close_bracket.findall(piece)):
        return True
    if piece[-1] in "，,、":
        return True
    return not at_line_start and bool(_CJK.match(piece[-1]))


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence span cut after its lead phrases (`…：`), each part without item marker and whitespace."""
    rx = _rx()
    out = []
    cuts = [start] + [m.end() for m in rx.lead.finditer(text, start, end)] + [end]
    for s, e in zip(cuts, cuts[1:]):
        while s < e:
            m = rx.marker.match(text, s, e)
            if not m or m.end() == s:
                break
            s = m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s >= 2:
            out.append((s, e))
    return out


def is_heading(text: str, start: int, end: int) -> bool:
    """A heading, lead phrase or document name rather than a rule: a sentence without a comma that ends in
    a colon or ends its line without end punctuation, and opens its line with an item marker
    (`3.总结表彰阶段（12月）：`, `（五）严格考核问责`) or ends with a document word (`安全管理奖惩制度`)."""
    sentence = text[start:end]
    if "，" in sentence or "," in sentence or sentence[-1] in _END_PUNCT:
        return False
    if sentence[-1] not in "：:":
        line_end = text.find("\n", end)
        if text[end:line_end if line_end >= 0 else len(text)].strip():
            return False
    rx = _rx()
    head = text[text.rfind("\n", 0, start) + 1:start]
    return bool(head.strip() and rx.marker.fullmatch(head)) or bool(rx.title_end.search(sentence))


# ---------------------------------------------------------------- cues


def mask_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of `sentence` where cues do not count: quoted names and titles, numbered rule sets (八个严禁),
    exemptions (不扣罚, …除外) and targets (满意率达到95%以上)."""
    rx = _rx()
    spans = [m.span() for r in rx.masks for m in r.finditer(sentence)]
    if rx.exemption_word.search(sentence):  # the clause pattern backtracks: only where it can match
        spans += [m.span() for m in rx.exemption_clause.finditer(sentence)]
    return spans


def _free(span: tuple[int, int], masks: list[tuple[int, int]]) -> bool:
    return all(span[1] <= a or span[0] >= b for a, b in masks)


def find_cues(sentence: str, masks: list[tuple[int, int]] | None = None,
              words: list[tuple[int, int, str]] | None = None) -> dict[str, list[tuple[int, int]]]:
    """Modality -> spans of the cues in `sentence` that count, masks (`mask_spans`) and word-level
    exclusions applied. `words`: the cue words of the sentence as (start, end, group) from the plan's
    segmentation (sentence offsets); without them the sentence is segmented here."""
    rx = _rx()
    masks = mask_spans(sentence) if masks is None else masks
    if words is None:
        words = match_cues(segment(sentence), "rules", _WORD_GROUPS)
    words_off = masks + [m.span() for m in rx.not_cue.finditer(sentence)]
    cues: dict[str, list[tuple[int, int]]] = {m: [] for m in MODALITIES}
    for ws, we, group in words:  # every cue word, then its group decides
        span = (ws, we)
        if not _free(span, words_off):
            continue
        if group in cues:
            cues[group].append(span)
        elif group == "modal":
            if _has_subject_before(sentence, span[0]):
                cues["obligation"].append(span)
        elif group == "sanction_qualified":
            if _bare(sentence, span[1]):
                cues["sanction"].append(span)
        elif _weak_counts(sentence, span, group):
            cues["sanction"].append(span)
    for modality, regex in rx.patterns:
        cues[modality] += [m.span() for m in regex.finditer(sentence) if _free(m.span(), masks)]
    return {k: sorted(v) for k, v in cues.items()}


def _has_subject_before(sentence: str, at: int) -> bool:
    """A modal 应 counts after a subject in its clause, not at the head of a clause."""
    before = sentence[:at].rstrip()
    return bool(before) and not _PUNCT_HEAD.match(before[-1])


def _weak_counts(sentence: str, span: tuple[int, int], group: str) -> bool:
    """A weak sanction verb counts before 力度 (`问责力度`), or without an object when qualified
    (`严肃处理`); a `sanction_weak` verb (not 处理) also when the sentence states a condition before it."""
    weak = group == "sanction_weak"
    if weak and _rx().weak_force.match(sentence, span[1]):
        return True
    if not _bare(sentence, span[1]):
        return False
    return _qualified(sentence, span[0]) or weak and find_condition(sentence, span[0]) is not None


def _bare(sentence: str, end: int) -> bool:
    """A weak sanction verb without an object: a clause end, 力度 or an amount follows it."""
    return bool(_rx().weak_tail.match(sentence, end))


def _qualified(sentence: str, at: int) -> bool:
    """A qualifier (严肃, 给予, 按…规定) right before a sanction verb."""
    return bool(_rx().qualifier_before.search(sentence, max(0, at - 6), at))


def classify(cues: dict[str, list[tuple[int, int]]]) -> str | None:
    """The modality of a sentence from its cues: the first of sanction, reward, prohibition, obligation."""
    return next((m for m in MODALITIES if cues.get(m)), None)


# ---------------------------------------------------------------- parts of a rule


def find_condition(sentence: str, before: int) -> tuple[int, int] | None:
    """Span of the condition that ends at or before offset `before`: the last 凡…/如…/若…/对…/违者 clause,
    else the last clause ending in 的/者 (`情节严重的，`); None when the sentence states none."""
    rx = _rx()
    spans = [m.span() for m in rx.condition_marker.finditer(sentence) if m.end() <= before]
    if not spans:
        clauses = (rx.condition_clause.match(sentence, s) for s in _clause_starts(sentence) if s < before)
        spans = [m.span() for m in clauses if m and m.end() <= before]
    return max(spans) if spans else None


def _clause_starts(sentence: str) -> list[int]:
    """Offsets where the clauses of `sentence` begin (after each comma or colon)."""
    return [0] + [m.end() for m in _CLAUSE_END.finditer(sentence)]


def find_subject(sentence: str) -> str | None:
    """Who the rule binds when the sentence says so: `全院工作人员不得…`, `严禁医务人员…`."""
    rx = _rx()
    if not rx.heads.search(sentence):  # a cheap look for a head noun spares the costly patterns
        return None
    m = next((m for m in (rx.subject.match(sentence, s) for s in _clause_starts(sentence)) if m), None)
    m = m or rx.subject_after.search(sentence)
    if not m:
        return None
    subject = m.group("subject")
    det = rx.subject_determiner.search(subject, 1)  # "比赛期间各班班主任" -> "各班班主任"
    return subject[det.start():] if det else subject


def find_amounts(sentence: str, masks: list[tuple[int, int]] | None = None) -> list[Amount]:
    """The amounts of a sanction or reward: 50~100元, 3~5倍, 30%以上 (upto null), 1~6个月, 五百元;
    numbers inside targets (满意度没有达到90%) and quoted names (`mask_spans`) are not amounts."""
    rx = _rx()
    masks = mask_spans(sentence) if masks is None else masks
    found: list[tuple[Amount, int, int]] = []
    for m in rx.amount.finditer(sentence):
        if not _free(m.span(), masks) or m.start() and sentence[m.start() - 1] in "0123456789.":
            continue
        if m.group("value"):
            value, upto, unit = m.group("value", "upto", "unit")
        else:  # Chinese numerals: 五百元, 一个月
            value, upto, unit = m.group("cvalue", "cupto", "cunit")
        value = _number(value)
        if value is None:
            continue
        amount = Amount(value, _number(upto), unit)
        if found and _bounds(sentence, found[-1], amount, m.start(), m.end()):
            low = found.pop()[0]
            amount = Amount(low.value, amount.value, unit)  # 200元以上500元以下: one amount, 200–500 元
        found.append((amount, m.start(), m.end()))
    return [a for a, _, _ in found]


def _bounds(sentence: str, previous: tuple[Amount, int, int], amount: Amount, start: int, end: int) -> bool:
    """Whether the amount at `start:end` closes a range the previous one opened (`X元以上Y元以下`): the lower
    bound's words between them, the upper bound's right after, the same unit, single values rising."""
    rx = _rx()
    low, _, low_end = previous
    return (low.upto is None and amount.upto is None and low.unit == amount.unit and low.value < amount.value
            and rx.amount_lower_bound.fullmatch(sentence, low_end, start) is not None
            and rx.amount_upper_bound.match(sentence, end) is not None)


def _number(s: str | None) -> float | int | None:
    if not s:
        return None
    if re.fullmatch(r"\d+", s):
        return int(s)
    if re.fullmatch(r"\d+\.\d+", s):
        return float(s)
    return parse_cn(s)


def read_rule(text: str, start: int, end: int, words: list[tuple[int, int, str]] | None = None) -> Rule | None:
    """The rule stated by the sentence `text[start:end]`, or None when it states none (`words`: the plan's
    cue words, text offsets)."""
    sentence = text[start:end]
    masks = mask_spans(sentence)
    inside = None if words is None else [(s - start, e - start, g) for s, e, g in words if start <= s and e <= end]
    cues = find_cues(sentence, masks, inside)
    modality = classify(cues)
    if modality is None or is_heading(text, start, end):
        return None
    condition = consequence = None
    amounts: list[Amount] = []
    first = _first_consequence(sentence, cues[modality])
    cond = find_condition(sentence, first)
    if cond:
        condition = sentence[cond[0]:cond[1]]
    if modality in ("sanction", "reward"):
        consequence = _consequence(sentence, cond[1] if cond else None, first)
        amounts = find_amounts(sentence, masks)
    return Rule(text=sentence, modality=modality, condition=condition, consequence=consequence,
                amounts=amounts, subject=find_subject(sentence), start=start, end=end)


def _first_consequence(sentence: str, spans: list[tuple[int, int]]) -> int:
    """Offset of the first cue that states a consequence: `违者`/`如有违反` name the condition instead."""
    violator = _rx().condition_violator
    for s, e in spans:
        if not violator.fullmatch(sentence, s, e):
            return s
    return spans[-1][1]


def _consequence(sentence: str, after: int | None, cue: int) -> str | None:
    """The sanction or reward clause: what follows the condition, else from the clause of the first cue,
    to the end of the sentence."""
    if after is None:
        head = max(sentence.rfind(c, 0, cue) for c in "，,")
        after = head + 1
    tail = sentence[after:].strip(" \t\n，,。；;！!？?")
    return tail or None


def find_rules(text: str, seg: Segmented | None = None) -> list[Rule]:
    """Normalized plan text (and its words, segmented once by the caller) -> its rules, one per normative
    sentence, in text order (grounded: `text[rule.start:rule.end] == rule.text`)."""
    if seg is None:
        seg = segment(text)
    words = match_cues(seg, "rules", _WORD_GROUPS)
    raw = _raw_sentences(text)
    starts = [s for s, _ in raw]
    candidates = {bisect_right(starts, s) - 1 for s, _, _ in words}
    for trigger in _rx().patterns:
        for m in trigger[1].finditer(text):
            candidates.add(bisect_right(starts, m.start()) - 1)
    rules = []
    for i in sorted(candidates):
        if i < 0:
            continue
        for start, end in _pieces(text, *raw[i]):
            rule = read_rule(text, start, end, words)
            if rule is not None:
                rules.append(rule)
    return rules
