"""People: named persons with a role, from role-labelled name lists and appointment sentences.

`find_people(text)` reads a plan's normalized (simplified) text and returns `Person` items, one per
(name, role), in text order. Each is grounded: `text[start:end]` is the name as written (`徐 静` spans both
characters) and `name` is that span without blanks (`徐静`).

Where people are found (cue words in `models/cues/people.txt`, regex fragments in `models/patterns/people.txt`):

- list labels: `组  长：陈立群 何晓梅`, `副组长：林国栋、周文斌`, `一队：…，组长：宋玉兰，副组长：唐国庆。`,
  a role opening a table row (`召集人 校长 王大明`); lines of bare names continue the list above them, and so do
  lines of groups, a label with its names in brackets (`体育教师（吴丽娟、方大林）；`: role of the list, title =
  the label), also after a `；` closing the line; a duty label (`拔河比赛：陈立群、何晓梅`, `医疗救护：杜娟`, parts
  joined by `、` when it opens its line: `警报、广播、电子屏：…`) when every item of its list is a name (role = the
  label as written). A label naming who answers for an item (`（责任人：…）`, `…。负责人：…`) is an owner note,
  not a list, unless it opens its line (`楼层疏散负责人：孟德超、吴丽娟`);
- appointments: `党委书记陈立群、院长何晓梅任组长`, `组长由张三同志担任`, `办公室主任林国栋（兼）`;
- table rows in title, name, role order (`校长 王大明 召集人`), and transposed tables: a row (cells joined by tabs)
  of a label, then names (`班主任 | 陈 浩 | 顾秀 芳 | …`: role = the label; blanks in a cell's name dropped);
- signatories: a line that is only a title and a name (`部  长 杜正胜`, `中心主任 何志明`: role = the title),
  unless a list already read that name.

A candidate is a name when it has 2–4 CJK characters (4 only after a compound surname), starts with a known
surname (or jieba tags it `nr`), holds no placeholder or title word, is not a unit (`…科`, `…区`), and jieba's
POS does not know it as a common word. Duty lists, having no role word to vouch for them, also need jieba to read
most of their items as persons. POS runs on short candidates only, and only where it is a dictionary lookup or
must decide: jieba's POS HMM costs milliseconds per unknown word.

Speed: regexes find the cues (labels with a colon, role words, appointment verbs); names are read around them.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon, segment
from ..model import Person
from ..script import CJK, is_cjk

_BLANKS = " \t\xa0\u3000"
_GROUP_WINDOW = 150  # characters before a role searched for the group it belongs to
_LABEL_MAX = 12  # characters of a list label before its colon
_SUBJECT_MAX = 120  # characters of the names and titles before `任组长`
_DIRECT_RUN_MAX = 6  # characters of the name right after a role word (`办公室主任林国栋（兼）`, `…欧阳明华同志`)
_LINKED_RUN_MAX = 16  # characters of the title, name and verb after `组长由` (`党委副书记兼副院长黄春燕担任`)
_NOTE_MAX = 120  # characters of a parenthetical after an item: a title, or the names of a group (`体育教师（…）`)


_is_cjk = is_cjk


@dataclass(frozen=True)
class _Cues:
    roles: frozenset
    role_last_chars: frozenset  # last characters of role words: a label ending otherwise holds no role
    link_chars: frozenset  # last characters of a link (`由`, `为`)
    group_words: tuple
    title_suffixes: tuple
    unit_suffixes: tuple
    label_stop_rx: re.Pattern
    owner_roles: tuple
    team_suffixes: tuple
    surnames: frozenset
    compound: frozenset
    group_rx: re.Pattern
    not_name_rx: re.Pattern  # a placeholder or title word inside a candidate
    not_names: frozenset  # whole words that are no names (`高三`)
    colon_rx: re.Pattern
    role_end_rx: re.Pattern  # a role, blanks allowed between its characters, ending the searched span
    row_start_rx: re.Pattern  # a role opening a line, followed by blanks and a name
    lead_rx: re.Pattern  # `由`/`以` before a (title and) name
    suffix_rx: re.Pattern  # `同志`, `兼任`… after a name
    appoint_rx: re.Pattern
    role_name_rx: re.Pattern
    linked_label_rx: re.Pattern
    role_joint_rx: re.Pattern
    title_joint_rx: re.Pattern
    row_cell_rx: re.Pattern
    clause_end_rx: re.Pattern
    list_end_rx: re.Pattern
    phrase_end_rx: re.Pattern
    role_before_rx: re.Pattern
    item_sep_rx: re.Pattern
    line_lead_rx: re.Pattern  # what may stand before a label that opens its line


def _trie(words, sep: str = "") -> str:
    """The alternation of `words`, longest match first as `lexicon.alternation`, factored by common prefixes
    (`副(?:组长|主任(?:委员)?)`): `re` tries fewer branches at each position, which halves a scan of a long text.
    `sep` is allowed between characters (blanks in `组  长`)."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict, lead: str) -> str:
        branches = [lead + re.escape(ch) + build(sub, sep) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + build(root, "") + ")"


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    w = lambda g: lexicon.words("people", g)  # noqa: E731
    roles = sorted(set(w("roles")), key=lambda s: (-len(s), s))
    # the patterns' role alternation, factored (same matches, faster)
    rx = {k: v.replace(lexicon.alternation(roles), _trie(roles)) for k, v in lexicon.regexes("people").items()}
    blanky_roles = _trie(roles, f"[{_BLANKS}]*")
    return _Cues(
        roles=frozenset(roles),
        role_last_chars=frozenset(r[-1] for r in roles),
        link_chars=frozenset(re.findall(f"[{CJK}]", rx["link"])),  # the words of `link` are one character
        group_words=tuple(sorted(w("groups"), key=len, reverse=True)),
        title_suffixes=w("title_suffixes"),
        unit_suffixes=w("unit_suffixes"),
        label_stop_rx=re.compile(lexicon.alternation(w("label_stop"))),
        owner_roles=w("owner_roles"),
        team_suffixes=w("team_suffixes"),
        surnames=frozenset(w("surnames")),
        compound=frozenset(w("compound_surnames")),
        group_rx=re.compile(_trie(w("groups"))),
        not_name_rx=re.compile(lexicon.alternation(w("placeholders") + w("title_suffixes"))),
        not_names=frozenset(w("not_names")),
        colon_rx=re.compile("[:：]"),
        role_end_rx=re.compile(f"(?P<role>{blanky_roles})\\Z"),
        row_start_rx=re.compile(f"^[{_BLANKS}]*(?P<role>{blanky_roles})[{_BLANKS}]+(?=[{CJK}])", re.M),
        lead_rx=re.compile("^(?:.*" + lexicon.alternation(w("name_lead")) + ")?(?P<rest>.*)$"),
        suffix_rx=re.compile("(?:" + lexicon.alternation(w("name_suffixes")) + ")+\\Z"),
        appoint_rx=re.compile(rx["appoint"]),
        role_name_rx=re.compile(rx["role_name"]),
        linked_label_rx=re.compile(rx["linked_label"]),
        role_joint_rx=re.compile(rx["role_joint"]),
        title_joint_rx=re.compile(rx["title_joint"]),
        row_cell_rx=re.compile(rx["row_cell"], re.M),
        clause_end_rx=re.compile(rx["clause_end"]),
        list_end_rx=re.compile(rx["list_end"]),
        phrase_end_rx=re.compile(rx["phrase_end"]),
        role_before_rx=re.compile(rx["role_before"]),
        item_sep_rx=re.compile(rx["item_sep"]),
        line_lead_rx=re.compile(rx["line_lead"]),
    )


# ---------------------------------------------------------------- candidate names and titles


@lru_cache(maxsize=4096)
def is_name(s: str, rare_surnames: bool = True) -> bool:
    """Whether `s` (no blanks) can be a person's name: shape, surname, placeholders, units, jieba's lexicon.
    With `rare_surnames`, a name whose surname is not in the list passes when jieba's POS tags it `nr`."""
    cues = _cues()
    if not 2 <= len(s) <= 4 or not all(_is_cjk(c) for c in s):
        return False
    compound = len(s) >= 3 and s[:2] in cues.compound
    if len(s) == 4 and not compound:
        return False
    known = segment.in_dictionary(s)
    if not compound and s[0] not in cues.surnames:
        # a rare surname: only an unknown word that jieba keeps whole and tags as a person name
        if not rare_surnames or known or len(s) > 3 or len(segment.words(s)) != 1:
            return False
        tags = segment.pos_tags(s)
        return len(tags) == 1 and tags[0][1].startswith("nr")
    if cues.not_name_rx.search(s) or s in cues.not_names:
        return False
    if len(s) >= 3 and s.endswith(cues.unit_suffixes):
        return False
    if known and segment.words(s) == [s]:  # a word jieba keeps whole: its dictionary tag decides
        tag = segment.word_tag(s)
        if tag is not None and not tag.startswith("nr"):
            return False  # a common word, not a name
    return True


def _mostly_persons(text: str, start: int, end: int, names: list[_Named]) -> bool:
    """jieba reads most `names` of the list `text[start:end]` as persons: a name that its segmentation keeps as one
    new word (found by its HMM, as unknown names are), or else whose POS tags hold `nr`. POS runs only while the
    majority is undecided, on one short name at a time."""
    bounds, pos = set(), start
    for w in segment.words(text[start:end]):
        bounds.add((pos, pos + len(w)))
        pos += len(w)
    need = (len(names) + 1) // 2
    rest = []
    for nm in names:
        if (nm.start, nm.end) in bounds and not segment.in_dictionary(nm.name):
            need -= 1
        else:
            rest.append(nm)
    for nm in rest:
        if need <= 0 or need > len(rest):
            break
        tag = segment.word_tag(nm.name) if segment.in_dictionary(nm.name) else None
        need -= tag.startswith("nr") if tag else any(f.startswith("nr") for _, f in segment.pos_tags(nm.name))
    return need <= 0


@lru_cache(maxsize=4096)
def is_title(s: str) -> bool:
    """Whether `s` is a job title (`院长`, `党委副书记、纪委书记`, `党委副书记兼副院长`), without a name."""
    cues = _cues()
    if not s or len(s) > 24:
        return False
    parts = cues.title_joint_rx.split(s)
    return all(0 < len(p) <= 12 and all(_is_cjk(c) for c in p) and p.endswith(cues.title_suffixes)
               for p in parts)


def split_name(run: str) -> tuple[str | None, int, int] | None:
    """A run of CJK characters -> (title, name start, name end) within the run, or None when no name.

    `院长何晓梅` -> ("院长", 2, 5); `林国栋同志` -> (None, 0, 3); `由院长张三` -> ("院长", 3, 5).
    """
    cues = _cues()
    end = len(run)
    m = cues.suffix_rx.search(run)
    if m and m.start() >= 2:
        end = m.start()
    core = run[:end]
    if is_name(core):
        return None, 0, end
    for k in (3, 2, 4):
        if len(core) <= k or not is_name(core[-k:], rare_surnames=False):
            continue
        pre = core[:-k]
        title = cues.lead_rx.match(pre).group("rest")
        if not title or is_title(title):
            return title or None, end - k, end
    return None


def person_name(s: str) -> str | None:
    """The name of one person written with a title or unit around it, else None: `党群工作部部长陈晓燕`,
    `安全处沈祥土主任`, `林萍华老师`, `陈晓燕` -> the name; `院长`, `医务科`, `各社区党组织书记` -> None."""
    cues = _cues()
    s = _strip_blanks(s)
    if not s or not all(_is_cjk(c) for c in s):
        return None
    if is_name(s, rare_surnames=False):
        return s
    split = split_name(s)
    if split is not None:  # a title before the name, or a suffix after it (`林国栋同志`)
        return s[split[1]:split[2]]
    for k in (3, 2):  # unit + name + title (`安全处沈祥土主任`, `何志明中心主任`, `陈家乐社工`)
        for i in range(0, len(s) - k - 1):
            name, unit, title = s[i:i + k], s[:i], s[i + k:]
            if is_title(title) and is_name(name, rare_surnames=False) and (
                    not unit or unit.endswith(cues.unit_suffixes) or is_title(unit)):
                return name
    return None


# ---------------------------------------------------------------- name lists


@dataclass
class _Item:
    text: str  # as written; a two-character name written with a blank keeps it
    start: int
    end: int
    gap: str  # the text between the previous item and this one
    note: str | None = None  # a parenthetical right after it: `（兼）`, `（院长）`, `（吴丽娟、方大林）`
    note_end: int | None = None  # where that parenthetical ends


_TOKEN = re.compile(f"[（(][^（）()\\n]{{0,{_NOTE_MAX}}}[）)]|[{CJK}]+")


def _items(text: str, start: int, end: int) -> list[_Item]:
    """The CJK runs of `text[start:end]` (parentheticals as notes). A two-character name written with a blank pairs
    up into one item (`徐 静`): a surname, blanks, then one character (a name suffix may follow it: `徐 静同志`);
    the surname may close a title (`副院长苏 伟`, `由院长苏 伟`), which `_parse` splits off."""
    items: list[_Item] = []
    prev_end = start
    for m in _TOKEN.finditer(text, start, end):
        tok = m.group()
        if tok[0] in "（(":
            if items and m.start() == items[-1].end:
                items[-1].note = tok[1:-1]
                items[-1].note_end = m.end()
            prev_end = m.end()
            continue
        items.append(_Item(tok, m.start(), m.end(), text[prev_end:m.start()]))
        prev_end = m.end()
    paired: list[_Item] = []
    i = 0
    surnames = _cues().surnames
    while i < len(items):
        a = items[i]
        b = items[i + 1] if i + 1 < len(items) else None
        if (b is not None and a.note is None and b.gap and not b.gap.strip(_BLANKS) and a.text[-1] in surnames
                and _given_char(b.text) and (len(a.text) == 1 or _title_before(a.text[:-1]))):
            paired.append(_Item(text[a.start:b.end], a.start, b.end, a.gap, b.note, b.note_end))
            i += 2
            continue
        paired.append(a)
        i += 1
    return paired


def _given_char(run: str) -> bool:
    """`伟`, `伟同志`, `伟担任`: one character, then at most a name suffix."""
    return len(run) == 1 or (len(run) > 1 and _cues().suffix_rx.fullmatch(run, 1) is not None)


def _title_before(run: str) -> bool:
    """`副院长`, `由院长`: a title (after an optional `由`/`以`) that a surname written apart may follow."""
    title = _cues().lead_rx.match(run).group("rest")
    return bool(title) and is_title(title)


@dataclass
class _Named:
    name: str
    start: int
    end: int
    title: str | None


def _parse(item: _Item) -> _Named | str | None:
    """An item -> a name (with its title), a title alone (str), or None."""
    run = item.text
    if any(c in _BLANKS for c in run):  # a paired `徐 静`, `副院长苏 伟`, `徐 静同志`
        at = [i for i, c in enumerate(run) if c not in _BLANKS]  # where each non-blank character is
        compact = "".join(run[i] for i in at)
        split = split_name(compact)
        if split is None:
            return None
        title, s, e = split
        first = len(run.rstrip(_BLANKS).split()[0]) - 1  # the surname written before the blank
        if not s <= first < e - 1:
            return None  # the blank is not inside the name
        if title is None and item.note and is_title(item.note):
            title = item.note
        return _Named(compact[s:e], item.start + at[s], item.start + at[e - 1] + 1, title)
    split = split_name(run)
    if split is None:
        return run if is_title(run) else None
    title, s, e = split
    note = item.note
    if title is None and note and is_title(note):
        title = note
    return _Named(run[s:e], item.start + s, item.start + e, title)


def _group(text: str, item: _Item) -> list[_Named] | None:
    """`体育教师（吴丽娟、方大林）`, `医务（范国娟）`: a label that is no name, then in brackets only names -> those
    names, the label their title; None otherwise (`冯小闹（铁血教育）`, `陈立群（院长）`: a note on a name)."""
    label = _strip_blanks(item.text)
    if item.note is None or len(label) > _LABEL_MAX or _cues().label_stop_rx.search(label):
        return None
    names, invalid = _names(text, _items(text, item.note_end - 1 - len(item.note), item.note_end - 1), True)
    if invalid or not names:
        return None
    for nm in names:
        nm.title = nm.title or label
    return names


def _names(text: str, items: list[_Item], stop_at_invalid: bool) -> tuple[list[_Named], int]:
    """Names of a list, left to right. A title alone goes with the name after it (`校长 王大明`), or with the name
    before it when the list opens with a name followed by a title (`王大明 校长、李小华 教务主任`). A label with
    names in brackets is a group of the list (`体育教师（吴丽娟、方大林）`: the label is their title).
    Returns (names, number of items that are neither names nor titles)."""
    parsed: list = []
    invalid = 0
    for item in items:
        got = _parse(item)
        if not isinstance(got, _Named) and item.note is not None:
            group = _group(text, item)
            if group:
                parsed.append(group)
                continue
        if got is None:
            invalid += 1
            if stop_at_invalid:
                break
        parsed.append(got)
    titles_follow = len(parsed) > 1 and isinstance(parsed[0], _Named) and isinstance(parsed[1], str)
    out: list[_Named] = []
    pending: str | None = None
    for got in parsed:
        if isinstance(got, list):  # a group: its names have their title
            out += got
            pending = None
        elif isinstance(got, _Named):
            if pending:
                got.title = pending if got.title is None else f"{pending}、{got.title}"
                pending = None
            out.append(got)
        elif isinstance(got, str):
            if titles_follow and out and out[-1].title is None:
                out[-1].title = got
            elif not titles_follow:
                pending = got if pending is None else f"{pending}、{got}"
        else:
            pending = None
    return out, invalid


# ---------------------------------------------------------------- groups


@lru_cache(maxsize=4)
def _group_index(text: str) -> tuple[list[int], list[tuple[int, str]]]:
    """Every group word (`领导小组`, `办公室`…) of `text`: (ends, [(start, word)]) sorted by end."""
    found = [(m.end(), m.start(), m.group()) for m in _cues().group_rx.finditer(text)]
    return [e for e, _, _ in found], [(s, w) for _, s, w in found]


def _group_before(text: str, pos: int) -> str | None:
    """The last group word in the characters just before `pos`."""
    ends, words = _group_index(text)
    i = bisect.bisect_right(ends, pos) - 1
    if i >= 0 and words[i][0] >= pos - _GROUP_WINDOW:
        return words[i][1]
    return None


@lru_cache(maxsize=None)
def _group_of_role(role: str) -> str | None:
    """`办公室主任` -> `办公室`: the group a role word names."""
    return next((g for g in _cues().group_words if role.startswith(g) and len(role) > len(g)), None)


def _person(text: str, n: _Named, role: str, group: str | None) -> Person:
    group = group or _group_of_role(role) or _group_before(text, n.start)
    return Person(name=n.name, role=role, group=group, title=n.title, start=n.start, end=n.end)


# ---------------------------------------------------------------- list labels: `组长：…`


@dataclass
class _Label:
    start: int  # where the label text starts
    end: int  # where the label text ends
    value: int  # where its list starts
    role: str | None  # a known role, or None for a duty label (role = the label text)
    role_start: int | None = None  # where the role starts when something stands before it (`领导小组组长`)
    group: str | None = None  # a group word written before the role
    also: tuple[str, ...] = ()  # roles written before this one (`副组长兼办公室主任：`)


_NO_BLANKS = str.maketrans("", "", _BLANKS)


def _strip_blanks(s: str) -> str:
    return s.translate(_NO_BLANKS)


def _labels_in_line(text: str, ls: int, le: int) -> list[_Label]:
    """Labels of one line: `X：` for any short CJK label, and a role opening the line before blanks."""
    cues = _cues()
    out: list[_Label] = []
    m = cues.row_start_rx.match(text, ls, le)
    if m:
        out.append(_Label(m.start("role"), m.end("role"), m.end(), _strip_blanks(m.group("role"))))
    for cm in cues.colon_rx.finditer(text, ls, le):
        c = e = cm.start()
        while e > ls and text[e - 1] in _BLANKS:
            e -= 1
        s = e
        while s > ls and e - s < _LABEL_MAX and _is_cjk(text[s - 1]):
            s -= 1
        if s == e:
            continue
        last = text[e - 1]
        if last in cues.link_chars and cues.linked_label_rx.search(text, max(s, e - _LABEL_MAX), e):
            continue  # `副主任由：…`: an appointment
        rm = cues.role_end_rx.search(text, max(ls, e - 2 * _LABEL_MAX), e) if last in cues.role_last_chars else None
        if rm and rm.start() <= s:  # the whole label is a role (`组  长`)
            out.append(_Label(rm.start(), e, c + 1, _strip_blanks(rm.group())))
        elif rm:  # `领导小组组长`, `郑海燕副组长`: a role after something else
            out.append(_Label(s, e, c + 1, _strip_blanks(rm.group()), role_start=rm.start()))
        else:
            out.append(_Label(_joined_start(text, ls, s), e, c + 1, None))
    out.sort(key=lambda lab: lab.start)
    return out


def _joined_start(text: str, ls: int, s: int) -> int:
    """`警报、广播、电子屏：`: where a duty label of parts joined by `、` starts when it opens its line (the parts are
    no names: `朱玛莉、张帆：…` is a list of names with their duty); else `s`, the start of its last part."""
    cues = _cues()
    t = s
    while t - 1 > ls and text[t - 1] == "、" and _is_cjk(text[t - 2]):
        u = t - 1
        while u > ls and t - 1 - u < _LABEL_MAX and _is_cjk(text[u - 1]):
            u -= 1
        if is_name(text[u:t - 1]):
            return s
        t = u
    return t if t < s and cues.line_lead_rx.match(text, ls, t) else s


def _split_glued(label: str) -> int:
    """`郑海燕活动摄影` -> 3: a name glued before a duty label (a list ran into the next label); 0 if none."""
    bounds = set()
    pos = 0
    for w in segment.words(label):
        pos += len(w)
        bounds.add(pos)
    for k in (3, 2):
        if len(label) - k >= 2 and k in bounds and is_name(label[:k]):
            return k
    return 0


def _resolve(text: str, labels: list[_Label]) -> list[tuple[_Label, int]]:
    """Each label with the end of the text its list may use. What stands before a role is its group
    (`领导小组组长`), another role (`副组长兼办公室主任`), or, right after a `、` of a list, a name glued to the next
    label (`…、郑海燕副组长：`, `…、郑海燕活动摄影：`), which goes back to the previous list; else it is part of the
    role as written (`总裁判长`, `执行副组长`)."""
    cues = _cues()
    ends: list[int] = []
    for i, lab in enumerate(labels):
        in_list = i > 0 and cues.item_sep_rx.match(text, lab.start - 1) is not None
        if lab.role_start is not None:
            prefix = text[lab.start:lab.role_start]
            group = next((g for g in cues.group_words if prefix.endswith(g)), None)
            joined = cues.role_joint_rx.fullmatch(prefix[-1]) and cues.role_end_rx.search(prefix[:-1])
            if joined:
                lab.also = (_strip_blanks(joined.group()),)
            elif group:
                lab.group = group
            elif in_list and is_name(prefix):
                lab.start = lab.role_start
            else:
                lab.role = _strip_blanks(text[lab.start:lab.end])
        elif lab.role is None and in_list and not cues.list_end_rx.search(text, labels[i - 1].value, lab.start):
            lab.start += _split_glued(text[lab.start:lab.end])
        if i > 0:
            ends[-1] = min(ends[-1], lab.start)
        ends.append(len(text))
    return list(zip(labels, ends))


def _duty_label(label: str) -> bool:
    """`拔河比赛`, `警报、广播、电子屏`: short CJK parts joined by `、`, naming no time, place, task…."""
    return all(2 <= len(part) <= 8 and all(_is_cjk(c) for c in part) for part in label.split("、")) \
        and not _cues().label_stop_rx.search(label)


def _owner_note(text: str, ls: int, lab: _Label, label: str) -> bool:
    """`（责任人：…）`, `…个别辅导。负责人：…`: a label naming who answers for an item that does not open its line
    (a bracket or a sentence stands before it); `楼层疏散负责人：…` opening its line is a people list."""
    return label.endswith(_cues().owner_roles) and not _cues().line_lead_rx.match(text, ls, lab.start)


_LIST_RESIDUE = re.compile(f"[（(][^（）()\\n]{{0,{_NOTE_MAX}}}[）)]|[{CJK}]|[\\s、，,;；。]")


def _continuation(text: str, pos: int) -> list[list[_Item]]:
    """Lines after `pos` made only of names (a list continuing without a label), until the first other line."""
    out = []
    n = len(text)
    while pos < n and text[pos] == "\n":
        ls = pos + 1
        le = text.find("\n", ls)
        le = n if le < 0 else le
        line = text[ls:le]
        if not line.strip() or ":" in line or "：" in line or _cues().row_start_rx.match(text, ls, le):
            break
        if _LIST_RESIDUE.sub("", line):  # digits, markers, latin: not a line of names
            break
        items = _items(text, ls, le)
        names, invalid = _names(text, items, stop_at_invalid=True)
        if invalid or not names:
            break
        out.append(items)
        pos = le
    return out


def _from_labels(text: str) -> list[Person]:
    cues = _cues()
    out: list[Person] = []
    n = len(text)
    ls = 0
    while ls <= n:
        le = text.find("\n", ls)
        le = n if le < 0 else le
        if ":" in text[ls:le] or "：" in text[ls:le] or cues.row_start_rx.match(text, ls, le):
            labels = _labels_in_line(text, ls, le)
            line_group = None
            for lab, owned_end in _resolve(text, labels):
                end = min(owned_end, le)
                stop = cues.list_end_rx.search(text, lab.value, end)
                vend = stop.start() if stop else end
                label = _strip_blanks(text[lab.start:lab.end])
                if _owner_note(text, ls, lab, lab.role or label):
                    continue
                if lab.role is not None:
                    names, _ = _names(text, _items(text, lab.value, vend), stop_at_invalid=False)
                    # the list runs to its line's end (a `；` may close it): lines of names or groups continue it
                    if not text[vend:le].strip(_BLANKS + "；;") and owned_end >= le:
                        for more in _continuation(text, le):
                            names += _names(text, more, stop_at_invalid=True)[0]
                    group = lab.group or line_group
                    out += [_person(text, nm, role, group) for role in (*lab.also, lab.role) for nm in names]
                    continue
                first = _TOKEN.search(text, lab.value, vend)
                if not _duty_label(label) or not first or len(first.group()) > _LABEL_MAX:
                    continue  # prose after the colon
                names, invalid = _names(text, _items(text, lab.value, vend), stop_at_invalid=True)
                if not names:
                    if not line_group and label.endswith(cues.team_suffixes):
                        line_group = label
                    continue
                if invalid:
                    continue
                if not _mostly_persons(text, lab.value, vend, names):
                    continue
                out += [_person(text, nm, label, line_group) for nm in names]
        ls = le + 1
    return out


# ---------------------------------------------------------------- appointments


def _split_roles(chain: str) -> list[str]:
    cues = _cues()
    return [r for r in cues.role_joint_rx.split(chain) if r in cues.roles]


def _from_appointments(text: str) -> list[Person]:
    """`…任组长`, `组长由…担任`, `办公室主任林国栋（兼）`."""
    cues = _cues()
    out: list[Person] = []
    # subject, verb, role: names run back from the verb to the start of the clause
    prev_end = 0
    for m in cues.appoint_rx.finditer(text):
        begin = max(prev_end, text.rfind("\n", 0, m.start()) + 1, m.start() - _SUBJECT_MAX)
        for cm in cues.clause_end_rx.finditer(text, begin, m.start()):
            begin = cm.end()
        prev_end = m.end()
        items = _items(text, begin, m.start())
        # the verb follows the last name, or its parenthetical (`方佳琪（质量管理部部长）任办公室主任`)
        if not items or (items[-1].note_end or items[-1].end) != m.start():
            continue
        named: list[_Named] = []
        last = None  # index of the item that gave the leftmost name so far
        for i in range(len(items) - 1, -1, -1):
            got = _parse(items[i])
            if isinstance(got, _Named):
                named.append(got)
                last = i
            elif isinstance(got, str):  # `党委副书记、纪委书记马志强`: a title alone joins the name after it
                if last == i + 1 and items[last].gap.strip(_BLANKS) == "、":
                    named[-1].title = got if named[-1].title is None else f"{got}、{named[-1].title}"
                    last = i
            else:
                break
        for role in _split_roles(m.group("roles")):
            out += [_person(text, nm, role, None) for nm in reversed(named)]
    # role, then names: `组长由张三同志担任`, `办公室主任林国栋（兼）`
    for m in cues.role_name_rx.finditer(text):
        s = m.start()
        if not m.group("link"):  # a role word right before a name must start a phrase or follow a group
            if s > 0 and not cues.role_before_rx.match(text, s - 1) \
                    and not text[max(0, s - 8):s].endswith(cues.group_words):
                continue
        first = _TOKEN.match(text, m.end())
        if not first or len(first.group()) > (_LINKED_RUN_MAX if m.group("link") else _DIRECT_RUN_MAX):
            continue  # prose, not a name (with its title)
        stop = cues.phrase_end_rx.search(text, m.end())
        items = _items(text, m.end(), stop.start() if stop else len(text))
        if not items or items[0].start != m.end():
            continue
        if not m.group("link") and not isinstance(_parse(items[0]), _Named):
            continue  # `组长负责…`, `成员单位`
        names, _ = _names(text, items, stop_at_invalid=True)
        out += [_person(text, nm, m.group("role"), None) for nm in names]
    return out


# ---------------------------------------------------------------- table rows: title, name, role


def _from_rows(text: str) -> list[Person]:
    """Rows `校长 王大明 召集人 …` or `王大明 召集人` (cells separated by blanks, no colon): the role cell comes
    right after a name cell, itself first in the row or after a title cell."""
    cues = _cues()
    out: list[Person] = []
    done = -1
    for m in cues.row_cell_rx.finditer(text):
        ls = text.rfind("\n", 0, m.start()) + 1
        if ls == done:
            continue
        done = ls
        le = text.find("\n", m.end())
        le = len(text) if le < 0 else le
        if ":" in text[ls:le] or "：" in text[ls:le]:
            continue
        items = _items(text, ls, le)
        for r in (1, 2):
            if len(items) <= r or items[r].text not in cues.roles or items[r].gap.strip(_BLANKS):
                continue
            got = _parse(items[r - 1])
            if not isinstance(got, _Named) or items[r - 1].gap.strip(_BLANKS):
                continue
            if r == 2:
                title = _parse(items[0])
                if not isinstance(title, str) or items[0].gap.strip(_BLANKS):
                    continue
                got.title = got.title or title
            out.append(_person(text, got, items[r].text, None))
            break
    return out


def _cell_names(text: str, s: int, e: int) -> list[_Named] | None:
    """The names of one table cell: one name, whatever blanks it is written with (`方 建 平`, `顾秀 芳`), or a list
    (`宋雅琴、骆志刚`); None when the cell holds anything else."""
    at = [i for i in range(s, e) if text[i] not in _BLANKS]
    compact = "".join(text[i] for i in at)
    if is_name(compact):
        return [_Named(compact, at[0], at[-1] + 1, None)]
    names, invalid = _names(text, _items(text, s, e), stop_at_invalid=True)
    return names if names and not invalid else None


def _from_transposed_rows(text: str) -> list[Person]:
    """A table row (cells joined by tabs) whose first cell is a label (`班主任`, `教官`, `组长`) and whose other cells
    are names, at least two (`班主任 | 陈 浩 | 邢 婷 | …`): one person per name, role = the label. A label that is
    neither a role nor a title needs jieba to read most names as persons. A row of numbers gives nobody, and so
    does a table whose header row (the first of its lines) names a column of owners (`… | 负责人 | 备注`): its rows
    are items and their owners."""
    cues = _cues()
    out: list[Person] = []
    n = len(text)
    tab = text.find("\t")
    prev_end = -2
    owners_table = False
    while tab >= 0:
        ls = text.rfind("\n", 0, tab) + 1
        le = text.find("\n", tab)
        le = n if le < 0 else le
        tab = text.find("\t", le)
        cells, at = [], ls
        for part in text[ls:le].split("\t"):
            cells.append((at, at + len(part)))
            at += len(part) + 1
        if ls != prev_end + 1:  # the first line of a table: its header
            owners_table = any(_strip_blanks(text[a:b]).endswith(cues.owner_roles) for a, b in cells[1:])
        prev_end = le
        label = _strip_blanks(text[slice(*cells[0])])
        if owners_table or not 0 < len(label) <= _LABEL_MAX or not all(_is_cjk(c) for c in label) \
                or cues.label_stop_rx.search(label) or is_name(label):
            continue
        names: list[_Named] = []
        filled = 0
        for a, b in cells[1:]:
            if not text[a:b].strip(_BLANKS):
                continue  # an empty (merged) cell
            got = _cell_names(text, a, b)
            if got is None:
                break
            filled += 1
            names += got
        else:
            if filled >= 2 and (label in cues.roles or is_title(label) or _mostly_persons(text, ls, le, names)):
                out += [_person(text, nm, label, None) for nm in names]
    return out


# ---------------------------------------------------------------- signatories

_SIGN_LINE = re.compile(f"^[{_BLANKS}]*([{CJK}][{CJK}{_BLANKS}]{{2,28}}[{CJK}])"
                        f"[{_BLANKS}]*$", re.M)
_BLANK_RUN = re.compile(f"[{_BLANKS}]+")


def _from_signatures(text: str) -> list[Person]:
    """`部  长 杜正胜`, `中心主任　何志明`: a line that is only a title and, after a blank, a name (the signatory of a
    letter or plan) -> the name, role = the title without blanks."""
    out: list[Person] = []
    for m in _SIGN_LINE.finditer(text):
        s, e = m.span(1)
        for gap in reversed(list(_BLANK_RUN.finditer(text, s, e))):
            title, name = _strip_blanks(text[s:gap.start()]), _strip_blanks(text[gap.end():e])
            if is_title(title) and is_name(name, rare_surnames=False):
                out.append(_person(text, _Named(name, gap.end(), e, None), title, None))
                break
    return out


# ---------------------------------------------------------------- all together


def find_people(text: str) -> list[Person]:
    """A plan's normalized text -> its named persons with a role, one per (name, role), in text order."""
    found = _from_labels(text) + _from_appointments(text) + _from_rows(text) + _from_transposed_rows(text)
    listed = {p.start for p in found}
    found += [p for p in _from_signatures(text) if p.start not in listed]  # a name read in a list signs nothing
    found.sort(key=lambda p: (p.start, p.role or ""))
    seen: set[tuple[str, str | None]] = set()
    out = []
    for p in found:
        key = (p.name, p.role)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
