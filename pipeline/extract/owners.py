"""Owners: who an item of a plan is explicitly assigned to — `find_owners(text, start, end, lead_end)`,
`owners_of_cell(cell)` for a task table's owner cell, `split_owners(names)` for a written list.

Only explicit assignment counts (the contract's "Owner scope and form"), never a sentence's subject (`各科室要…`):
- labels, in brackets or not: `（责任科室：医务科）`, `〔牵头单位：A；配合单位：B、C〕`, `承办单位为学务处`;
- `由X负责/牵头/举办…`, a unit or role as the subject of 牵头/负总责 (`区教育局安全科牵头，…`);
- a bracket or a sentence that is only an assignment, anywhere in the item: `（省商务厅负责）`,
  `（A、B按职责分工负责）`, `…。市委宣传部、市教育局按职责分工负责。`;
- in the item's lead (its title and first sentence): `由X` + any verb when X is a unit, a role or a named person
  (`由本部进行列管`, `由安全处沈祥土主任讲清…`), a unit or role as the subject of 牵头/负责/负总责
  (`区教育局安全科牵头，…`, `德育处和总务处共同负责…`), `X为第一责任人`, `请罗明芬…`;
- co-owners: 配合/协办/参与/协同 labels, `Y配合`, `Y参与` after an owner, also inside a label's list (`责任单位：A，B配合`).
A person is written as their name (`党群工作部部长陈晓燕` -> `陈晓燕`). A list splits at 、，；和及与 except inside
a compound name (`各直辖市、县（市）政府教育局`); trailing `按职责分工负责`, `等`, `牵头` are no part of a name.
Cue words and patterns: models/cues/owners.txt, models/patterns/owners.txt.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon, segment
from ..script import is_cjk_word
from .people import person_name

_QUOTES = " \t“”\"'「」"
_MASK = "\x00"  # stands for a separator inside a compound name while a list is split
_STOP_TAGS = {"v", "p", "d", "c", "vd"}  # jieba POS of words no owner's name holds: verbs, prepositions, adverbs


def _rx() -> lexicon.Patterns:
    return lexicon.patterns("owners")


def _co_label() -> re.Pattern:
    return lexicon.cue_pattern("owners", "co_label", before="^")


def _compound() -> re.Pattern:
    return lexicon.cue_pattern("owners", "compound")


def _suffix() -> re.Pattern:
    return lexicon.cue_pattern("owners", "owner_suffix", after="$")


def _false_suffix() -> re.Pattern:
    return lexicon.cue_pattern("owners", "not_owner_end", after="$")


@lru_cache(maxsize=1)
def _separators() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """(any separator, punctuation separators, conjunctions 和/及/与) between the names of a list."""
    seps = lexicon.words("owners", "separator")
    alt = lexicon.alternation
    return (re.compile(alt(seps) + "+"), re.compile(alt(w for w in seps if not is_cjk_word(w)) + "+"),
            re.compile(alt(w for w in seps if is_cjk_word(w))))


@lru_cache(maxsize=1)
def _trigger() -> re.Pattern:
    """Any word an explicit assignment needs: a label, a verb, 由, 请, 第一责任人."""
    groups = ("lead_label", "co_label", "unit_label", "lead_verb", "subject_verb", "lead_subject_verb", "trigger")
    return re.compile(lexicon.alternation(w for g in groups for w in lexicon.words("owners", g)))


_END_BRACKET = re.compile(r"[（(](?P<inner>[^（）()]{1,60})[）)]\s*$")  # a bracket closing an owner's name


def _role_note(inner: str) -> bool:
    return inner.strip() in lexicon.words("owners", "role_note")


def _parts(names: str) -> list[str]:
    """`names` cut at its separators: punctuation always, 和/及/与 only as words (`参与工作人员` stays whole)."""
    _, punct, conjunction = _separators()
    masked = _compound().sub(lambda m: punct.sub(lambda s: _MASK * len(s.group()), m.group()), names)
    out, pos = [], 0
    for piece in punct.split(masked):
        start = masked.index(piece, pos)
        pos = start + len(piece)
        piece = names[start:pos]  # the original, with a compound's own separators
        if not conjunction.search(piece):
            out.append(piece)
            continue
        cur, cut = "", []
        for w in segment.words(piece):  # a conjunction parts two owners, not the words of one name (资讯及科技教育司)
            if conjunction.fullmatch(w) and _ownerlike(_rx().owner_trim.sub("", cur)):
                cut += [cur, w]
                cur = ""
            else:
                cur += w
        cut.append(cur)
        # the two sides of a conjunction are alike, units or people: a name-like word before a unit is the unit's
        # own first word (康乐及文化事务署, 劳工及福利局)
        merged, trim = [cut[0]], _rx().owner_trim.sub
        for conj, right in zip(cut[1::2], cut[2::2]):
            if _unit(trim("", right)) and not _unit(trim("", merged[-1])) and person_name(trim("", merged[-1])):
                merged[-1] += conj + right
            else:
                merged.append(right)
        out += merged
    return out


def _unit(name: str) -> bool:
    """A name that ends like a unit or a role (科, 局, 委员会, 组长…)."""
    return bool(_suffix().search(name) and not _false_suffix().search(name))


def split_owners(names: str) -> list[str]:
    """`医务科、监审科等` -> ['医务科', '监审科']; `各直辖市、县（市）政府教育局` stays one; a person -> the name."""
    rx = _rx()
    out: list[str] = []
    for part in _parts(names):
        part = part.strip(_QUOTES)
        m = _END_BRACKET.search(part)
        if m and _role_note(m.group("inner")):
            part = part[:m.start()]
        part = rx.owner_trim.sub("", part).strip(_QUOTES)
        part = person_name(part) or part
        if 2 <= len(part) <= 30 and part not in out:
            out.append(part)
    return out


def owners_of_cell(cell: str) -> tuple[list[str], list[str]]:
    """A task table's owner cell -> (owners, co-owners): `本部（机关学校、民间团体）` -> ([本部], [机关学校, 民间团体]);
    `各直辖市、县（市）政府教育局` is one owner; `市教育局（牵头）、市卫健委` two owners."""
    cell = cell.strip()
    m = _END_BRACKET.search(cell)
    if m and not _role_note(m.group("inner")) and not _compound().search(cell[max(0, m.start() - 2):]):
        return split_owners(cell[:m.start()]), split_owners(m.group("inner"))
    return split_owners(cell), []


def _ownerlike(name: str) -> bool:
    """A unit, a role or a person: what `X负责` / `由X…` may name (not `各科室要`, not `附件表格`)."""
    return _unit(name) or person_name(name) is not None


def _agent(rest: str) -> str | None:
    """The longest unit, role or person opening `rest` (what follows 由), a noun phrase ending at a word boundary
    before the verb: `本部组成复审小组…` -> 本部, `安全处沈祥土主任讲清…` -> 安全处沈祥土主任."""
    ends, pos = [], 0
    for word, flag in segment.pos_tags(rest[:32]):
        if flag in _STOP_TAGS:
            break
        pos += len(word)
        ends.append(pos)
    for k in reversed([e for e in ends if 2 <= e < len(rest)]):
        names = split_owners(rest[:k])
        if names and all(_ownerlike(n) for n in names) and not _separators()[0].match(rest[k:]):
            return rest[:k]
    return None


def find_owners(text: str, start: int = 0, end: int | None = None,
                lead_end: int | None = None) -> tuple[list[str], list[str]]:
    """(owners, co_owners) explicitly assigned in `text[start:end]`. Labels, `由X负责`, `X牵头` and `X为第一责任人`
    count anywhere; a subject's `X负责`, `由X` with any verb and `请X` only in the item's lead, before `lead_end`
    (later sentences of a long item tell what other bodies do)."""
    rx = _rx()
    end = len(text) if end is None else end
    if not _trigger().search(text, start, end):
        return [], []
    seg = text[start:end]
    owners: list[str] = []
    co: list[str] = []

    def add(target, names):
        for n in split_owners(names):
            if n not in target:
                target.append(n)

    def add_labelled(label, names):
        if _co_label().match(label):
            add(co, names)
            return
        for part in _separators()[1].split(names):  # 责任单位：A，B配合 -> owner A, co-owner B
            cm = rx.co_subject.fullmatch(part.strip())
            add(co if cm and _ownerlike(cm.group("names")) else owners, part)

    def add_ownerlike(target, names):
        found = split_owners(names)
        if found and all(_ownerlike(n) for n in found):
            add(target, names)

    for m in rx.paren.finditer(seg):
        for part in re.split(r"[；;]", m.group("body")):
            lm = rx.labelled.search(part)
            if lm:
                add_labelled(lm.group("label"), lm.group("names"))
    if not owners:
        for m in [*rx.labelled.finditer(seg), *rx.labelled_is.finditer(seg)]:
            add_labelled(m.group("label"), m.group("names"))
    if not owners:
        for m in rx.by.finditer(seg):
            add(owners, m.group("names"))
        lead = seg if lead_end is None else text[start:max(start, min(lead_end, end))]
        for m in rx.by_any.finditer(lead):
            agent = _agent(m.group("rest"))
            if agent:
                add(owners, agent)
        for m in rx.first_responsible.finditer(seg):
            add(owners, m.group("names"))
        for m in [*rx.subject.finditer(seg), *rx.subject_lead.finditer(lead), *rx.bracket_subject.finditer(seg),
                  *rx.subject_alone.finditer(seg)]:
            add_ownerlike(owners, m.group("names"))
        for m in rx.asked.finditer(lead):
            if person_name(m.group("names")):
                add(owners, m.group("names"))
    if owners and not co:  # 由X牵头，Y配合 / X负责、Y配合
        for m in rx.co_subject.finditer(seg):
            add_ownerlike(co, m.group("names"))
    return owners, [c for c in co if c not in owners]


def closing_note(text: str, start: int, end: int) -> tuple[int, tuple[list[str], list[str]]] | None:
    """A bracket that assigns (labelled, or `X牵头，Y配合`) and closes the paragraph `text[start:end]` (after its
    last inline item): (where it starts, its (owners, co_owners)), or None."""
    m = _rx().closing.search(text, start, end)
    if m is None:
        return None
    return m.start(), find_owners(text, m.start(), m.end())
