"""Word .docx files: the body's text in reading order, with Word's automatic numbering written out.

One line per paragraph and one per table row (cells joined by tabs), lines joined by `\\n`; each line
gets a `Block`. Numbers that Word draws from `word/numbering.xml` are not in the paragraph text: they
are rebuilt here (`一、`, `（一）`, `1.`, `(1)`, `①`) and put in front of the line.

Safety comes first: `check_archive` looks at the zip with `zipfile` (zip bombs, DOCTYPE / ENTITY
declarations) before python-docx opens it, and python-docx's own parser never resolves entities.
Nothing is read but the bytes given.

How Word numbers a paragraph: its `w:numPr` (or its style's) names a `w:num` and a level `w:ilvl`; the
`w:num` points to a `w:abstractNum` whose `w:lvl` gives the format (`w:numFmt`), the text (`w:lvlText`,
`%1` = level 1's counter) and the start value; a `w:lvlOverride` in the `w:num` may replace a level.
As in Word, counters belong to the abstract list: every `w:num` pointing to it continues one count,
and a `w:startOverride` (Word's "restart numbering") resets it when that `w:num` is first used.
A level restarts when a higher level is used, or as `w:lvlRestart` says (0 = never).
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from .. import settings
from ..errors import InputError
from ..model import Block, RawText
from ..numerals import format_cn
from ..script import is_cjk

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MAIN_PART = "word/document.xml"
BIG_MEMBER = 1024 * 1024  # the compression-ratio check applies to members larger than this

# ---------------------------------------------------------------- the archive


_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def check_archive(data: bytes, main: str = MAIN_PART, corrupt: str = "corrupt_docx",
                  unsafe: str = "unsafe_docx", what: str = "a Word document") -> None:
    """Bytes of an Office Open XML package (.docx; .xlsx with `main` and codes of its own) -> None, or
    `InputError` when they are not a sane zip holding `main`: zip bombs (members, total size, any member
    inflating beyond `settings.MAX_MEMBER_BYTES`, ratio), XML parts with a DOCTYPE (entities)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        hint = " (an OLE file: a legacy .doc or a password-protected document?)" \
            if data.startswith(b"\xd0\xcf\x11\xe0") else ""
        raise InputError(corrupt, f"not a zip archive{hint}: {_reason(e)}") from None
    if len(members) > settings.MAX_ZIP_MEMBERS:
        raise InputError(unsafe, f"zip bomb: {len(members):,} members > limit {settings.MAX_ZIP_MEMBERS:,}")
    total = sum(m.file_size for m in members)
    if total > settings.MAX_UNZIPPED_BYTES:
        raise InputError(unsafe, f"zip bomb: would inflate to {total:,} bytes > limit {settings.MAX_UNZIPPED_BYTES:,}")
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > BIG_MEMBER and ratio > settings.MAX_ZIP_RATIO:
            raise InputError(unsafe, f"zip bomb: member {m.filename!r} inflates {ratio:,.0f}x "
                                     f"({m.file_size:,} bytes) > ratio limit {settings.MAX_ZIP_RATIO}")
        if m.file_size > settings.MAX_MEMBER_BYTES:
            raise InputError("too_large", f"member {m.filename!r} inflates to {m.file_size:,} bytes > limit "
                                          f"{settings.MAX_MEMBER_BYTES:,} per member (PLANS_MAX_MEMBER_BYTES)")
    names = {m.filename.lower() for m in members}
    if main not in names:
        raise InputError(corrupt, f"no {main} in the archive (not {what})")
    try:
        for m in _xml_members(zf, members):
            declared = _doctype(zf, m)
            if declared:
                raise InputError(unsafe, f"external/internal XML entities are refused (DOCTYPE or ENTITY "
                                         f"declaration in {m.filename!r}): {declared}")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error) as e:
        raise InputError(corrupt, f"damaged zip member: {_reason(e)}") from None


def _xml_members(zf: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The archive's XML parts: names ending in `.xml` / `.rels`, and the parts `[Content_Types].xml`
    declares as XML (read with a parser that loads no DTD and resolves no entity)."""
    exts, names = {"xml", "rels"}, set()
    try:
        for el in etree.fromstring(zf.read("[Content_Types].xml"), _SAFE_PARSER):
            if el.get("ContentType", "").endswith("xml"):
                exts.add(el.get("Extension", "").lower())
                names.add(el.get("PartName", "").lstrip("/").lower())
    except (KeyError, etree.XMLSyntaxError):
        pass  # no or broken content types: python-docx refuses the package later
    return [m for m in members
            if m.filename.lower() in names or ("." in m.filename and m.filename.rsplit(".", 1)[1].lower() in exts)]


def _doctype(zf: zipfile.ZipFile, member: zipfile.ZipInfo) -> str | None:
    """One XML zip member -> a description of its DOCTYPE if it has one, else None. The member is parsed
    with DTDs and entities off, only up to its root element, which any DOCTYPE must precede. libxml2's
    incremental parser does not detect every encoding (UTF-32 / UCS-4), so a part it cannot start is
    parsed whole as python-docx would parse it; a part that does not parse at all is left to the reader,
    which then fails on it too."""
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True, load_dtd=False)
    with zf.open(member) as f:
        while chunk := f.read(1 << 16):
            try:
                parser.feed(chunk)
                started = next(iter(parser.read_events()), None)
            except etree.XMLSyntaxError:
                return _doctype_whole(zf, member)
            if started is not None:
                return _declared(started[1].getroottree().docinfo)
    return _doctype_whole(zf, member)  # no root element seen: an encoding the feed parser does not read


def _doctype_whole(zf: zipfile.ZipFile, member: zipfile.ZipInfo) -> str | None:
    try:  # from bytes: libxml2 reads files incrementally too (and then misses UCS-4)
        return _declared(etree.fromstring(zf.read(member), _SAFE_PARSER).getroottree().docinfo)
    except etree.XMLSyntaxError:
        return None


def _declared(info) -> str | None:
    """lxml's document info -> the DOCTYPE it records, or None."""
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        return f"<!DOCTYPE {info.root_name}…>"
    return None


def _reason(e: BaseException) -> str:
    """An exception -> a short reason for an error message."""
    text = str(e).strip() or "no detail"
    name = type(e).__name__ if type(e).__name__ != "error" else f"{type(e).__module__}.error"  # zlib.error
    return f"{name}: {text[:160]}"


# ---------------------------------------------------------------- numbering formats


_CIRCLED = [chr(0x2460 + i) for i in range(20)] + [chr(0x3251 + i) for i in range(15)] \
    + [chr(0x32B1 + i) for i in range(15)]  # ① .. ⑳, ㉑ .. ㉟, ㊱ .. ㊿
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_LEGAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    """4 -> iv."""
    out = []
    for value, letters in _ROMAN:
        q, n = divmod(n, value)
        out.append(letters * q)
    return "".join(out)


def _letter(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa (Word repeats the letter)."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _pick(seq: str | list[str], n: int) -> str:
    """The `n`th symbol of `seq` (1-based), or `n` in digits beyond it, as Word does."""
    return seq[n - 1] if 1 <= n <= len(seq) else str(n)


_CHINESE = ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
            "taiwaneseCountingThousand")
_DIGITS = ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand")  # 10 -> 一〇
FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(_FULLWIDTH),
    "decimalFullWidth2": lambda n: str(n).translate(_FULLWIDTH),
    "decimalHalfWidth": str,
    "decimalEnclosedCircle": lambda n: _pick(_CIRCLED, n),
    "decimalEnclosedCircleChinese": lambda n: _pick(_CIRCLED, n),
    "decimalEnclosedParen": lambda n: _pick([chr(0x2474 + i) for i in range(20)], n),  # ⑴
    "decimalEnclosedFullstop": lambda n: _pick([chr(0x2488 + i) for i in range(20)], n),  # ⒈
    "ideographEnclosedCircle": lambda n: _pick([chr(0x3280 + i) for i in range(10)], n),  # ㊀
    "ideographTraditional": lambda n: _pick(_STEMS, n),
    "ideographZodiac": lambda n: _pick(_BRANCHES, n),
    "chineseLegalSimplified": lambda n: format_cn(n).translate(_LEGAL),
    "lowerLetter": _letter,
    "upperLetter": lambda n: _letter(n).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
    **{name: format_cn for name in _CHINESE},
    **{name: (lambda n: "".join("〇一二三四五六七八九"[int(d)] for d in str(n))) for name in _DIGITS},
}


def format_number(n: int, fmt: str) -> str:
    """A counter value in one of Word's `w:numFmt` formats (unknown formats as decimal; `none` as '')."""
    if fmt == "none":
        return ""
    return FORMATS.get(fmt, str)(n) if n > 0 or fmt.startswith("decimal") else str(n)


# ---------------------------------------------------------------- styles and numbering definitions


def _val(el, path: str) -> str | None:
    """The `w:val` of the first element at `path` under `el` (None when absent)."""
    found = el.find(path) if el is not None else None
    return found.get(W + "val") if found is not None else None


def _int(text: str | None, default: int | None = None) -> int | None:
    """An attribute value as int, or `default` when absent or not a number."""
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


@dataclass
class Style:
    """What the reader needs of one `w:style`: its lower-cased name, parent, numbering, outline level."""

    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    outline: int | None


def read_styles(root) -> tuple[dict[str, Style], str | None]:
    """`w:styles` element -> (style id -> Style, id of the default paragraph style)."""
    styles, default = {}, None
    if root is None:
        return styles, default
    for el in root.iter(W + "style"):
        sid = el.get(W + "styleId")
        if sid is None:
            continue
        ppr = el.find(W + "pPr")
        styles[sid] = Style(name=(_val(el, W + "name") or "").strip().lower(),
                            based_on=_val(el, W + "basedOn"),
                            num_id=_val(ppr, f"{W}numPr/{W}numId"),
                            ilvl=_int(_val(ppr, f"{W}numPr/{W}ilvl")),
                            outline=_int(_val(ppr, W + "outlineLvl")))
        if el.get(W + "type") == "paragraph" and el.get(W + "default") in ("1", "true", "on"):
            default = sid
    return styles, default


def _inherited(styles: dict[str, Style], sid: str | None, attr: str):
    """The first non-None `attr` along the `basedOn` chain of style `sid`."""
    seen = set()
    while sid in styles and sid not in seen:
        seen.add(sid)
        value = getattr(styles[sid], attr)
        if value is not None:
            return value
        sid = styles[sid].based_on
    return None


@dataclass
class Level:
    """One `w:lvl` of a list: how its counter is written and when it restarts."""

    fmt: str = "decimal"
    text: str = ""
    start: int = 0  # ECMA-376: 0 when w:start is omitted
    restart: int | None = None  # w:lvlRestart: restart when a level < this (1-based) is used; 0 = never
    legal: bool = False  # w:isLgl: show every counter as decimal
    style: str | None = None  # w:pStyle: the paragraph style tied to this level


def read_level(el) -> Level:
    """One `w:lvl` element -> Level."""
    legal = el.find(W + "isLgl")
    return Level(fmt=_val(el, W + "numFmt") or "decimal",
                 text=_val(el, W + "lvlText") or "",
                 start=_int(_val(el, W + "start"), 0),
                 restart=_int(_val(el, W + "lvlRestart")),
                 legal=legal is not None and legal.get(W + "val", "1") not in ("0", "false", "off"),
                 style=_val(el, W + "pStyle"))


@dataclass
class Numbering:
    """The numbering definitions of one document, and the running counters while it is read."""

    abstracts: dict[str, dict[int, Level]] = field(default_factory=dict)  # abstractNum id -> ilvl -> level
    nums: dict[str, str] = field(default_factory=dict)  # num id -> abstractNum id (numStyleLink resolved)
    overrides: dict[str, dict[int, Level]] = field(default_factory=dict)  # num id -> ilvl -> replaced level
    starts: dict[str, dict[int, int]] = field(default_factory=dict)  # num id -> ilvl -> w:startOverride
    counters: dict[str, list[int | None]] = field(default_factory=dict)  # abstractNum id -> count per level
    started: set[tuple[str, int]] = field(default_factory=set)  # (num id, ilvl) whose override was applied


def read_numbering(root, styles: dict[str, Style]) -> Numbering:
    """`w:numbering` element (or None) -> Numbering, lists that link to a numbering style resolved."""
    nb = Numbering()
    if root is None:
        return nb
    links = {}  # abstractNum id -> the numbering style whose list it is (w:numStyleLink)
    for el in root.iter(W + "abstractNum"):
        aid = el.get(W + "abstractNumId")
        nb.abstracts[aid] = {_int(lvl.get(W + "ilvl"), 0): read_level(lvl) for lvl in el.iter(W + "lvl")}
        if _val(el, W + "numStyleLink"):
            links[aid] = _val(el, W + "numStyleLink")
    for el in root.iter(W + "num"):
        nid = el.get(W + "numId")
        nb.nums[nid] = _val(el, W + "abstractNumId")
        for ov in el.iter(W + "lvlOverride"):
            ilvl = _int(ov.get(W + "ilvl"), 0)
            if ov.find(W + "lvl") is not None:
                nb.overrides.setdefault(nid, {})[ilvl] = read_level(ov.find(W + "lvl"))
            if _int(_val(ov, W + "startOverride")) is not None:
                nb.starts.setdefault(nid, {})[ilvl] = _int(_val(ov, W + "startOverride"))
    first_pass = dict(nb.nums)
    for nid, aid in first_pass.items():  # one hop: list -> numbering style -> its num -> its abstract list
        target = first_pass.get(_inherited(styles, links.get(aid), "num_id"))
        if target in nb.abstracts and not nb.abstracts.get(aid):
            nb.nums[nid] = target
    return nb


def _level(nb: Numbering, num_id: str, ilvl: int) -> Level:
    """The definition of level `ilvl` as list `num_id` uses it (its own override first)."""
    override = nb.overrides.get(num_id, {}).get(ilvl)
    return override or nb.abstracts.get(nb.nums.get(num_id), {}).get(ilvl) or Level()


def next_marker(nb: Numbering, num_id: str, ilvl: int) -> str | None:
    """Advance the counter of (`num_id`, `ilvl`) -> the marker Word shows (None for bullets / unknown lists).

    Counters belong to the abstract list; a `w:startOverride` sets its level's counter the first time
    its `w:num` is used at that level (Word's "restart numbering"), then the shared count goes on."""
    if num_id not in nb.nums:
        return None
    counts = nb.counters.setdefault(nb.nums[num_id], [None] * 10)
    level = _level(nb, num_id, ilvl)
    override = nb.starts.get(num_id, {}).get(ilvl)
    if override is not None and (num_id, ilvl) not in nb.started:
        nb.started.add((num_id, ilvl))
        counts[ilvl] = override
    else:
        counts[ilvl] = level.start if counts[ilvl] is None else counts[ilvl] + 1
    for deeper in range(ilvl + 1, len(counts)):
        restart = _level(nb, num_id, deeper).restart
        if restart is None or ilvl < restart:
            counts[deeper] = None
    if level.fmt == "bullet":
        return None

    def number(m: re.Match) -> str:
        k = int(m.group(1)) - 1
        ref = _level(nb, num_id, k)
        value = counts[k] if counts[k] is not None else ref.start
        return format_number(value, "decimal" if level.legal and ref.fmt != "none" else ref.fmt)

    marker = re.sub(r"%([1-9])", number, level.text).strip()
    return marker or None


# ---------------------------------------------------------------- reading the body


@dataclass
class Reader:
    """Everything one `read_docx` call needs while it walks the body; built anew for each file."""

    styles: dict[str, Style]
    default_style: str | None
    numbering: Numbering
    lines: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    pos: int = 0
    tables: int = 0

    def add(self, line: str, block: Block) -> None:
        """Append one line and its block (offsets filled in here)."""
        if self.lines:
            self.pos += 1  # the "\n" before it
        block.start, block.end = self.pos, self.pos + len(line)
        self.lines.append(line)
        self.blocks.append(block)
        self.pos = block.end


_WRAPPERS = {W + "sdt", W + "customXml"}


def _children(parent, tags: set[str]):
    """Children of `parent` with one of `tags`, looking through content controls and custom XML."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            content = child.find(W + "sdtContent")
            yield from _children(content if content is not None else child, tags)


_TEXT_TAGS = (W + "t", W + "tab", W + "ptab", W + "br", W + "cr", W + "noBreakHyphen")
_SKIPPED = {W + "del", W + "moveFrom", W + "txbxContent", MC_FALLBACK}  # deleted text, text boxes, duplicates


def paragraph_text(p) -> str:
    """A `w:p` element -> its visible text (tabs kept, line breaks as spaces; no text boxes or deletions)."""
    out = []
    for el in p.iter(*_TEXT_TAGS):
        run = el.getparent()
        if run.tag != W + "r" or _hidden(run) or _inside_skipped(run, p):
            continue
        if el.tag == W + "t":
            out.append(el.text or "")
        elif el.tag in (W + "tab", W + "ptab"):
            out.append("\t")
        elif el.tag == W + "noBreakHyphen":
            out.append("-")
        elif el.get(W + "type") in (None, "textWrapping"):  # page and column breaks add nothing
            out.append(" ")
    return "".join(out)


def _hidden(run) -> bool:
    """Whether a `w:r` is hidden text (`w:vanish`)."""
    vanish = run.find(f"{W}rPr/{W}vanish")
    return vanish is not None and vanish.get(W + "val", "1") not in ("0", "false", "off")


def _inside_skipped(el, stop) -> bool:
    """Whether `el` sits in deleted text, a text box or a fallback copy, looking up to `stop`."""
    el = el.getparent()
    while el is not None and el is not stop:
        if el.tag in _SKIPPED:
            return True
        el = el.getparent()
    return False


_HEADING = re.compile(r"^(?:heading|标题)\s*([1-9])$")


def heading_level(r: Reader, p, style_id: str | None) -> int | None:
    """Heading level of a paragraph: 1..9 from `Heading N` / `标题 N` styles or an outline level,
    0 for the `Title` style; None for body text."""
    outline = _int(_val(p, f"{W}pPr/{W}outlineLvl"))
    if outline is None:
        style = r.styles.get(style_id)
        m = _HEADING.match(style.name) if style else None
        if m:
            return int(m.group(1))
        outline = _inherited(r.styles, style_id, "outline")
        if outline is None and style and style.name in ("title", "标题"):
            return 0
    return outline + 1 if outline is not None and 0 <= outline < 9 else None


def read_paragraph(r: Reader, p) -> tuple[str, Block]:
    """A `w:p` element -> (its line with the numbering marker in front, its block); counters advance
    even when the line turns out empty, as Word counts empty numbered paragraphs too."""
    style_id = _val(p, f"{W}pPr/{W}pStyle") or r.default_style
    num_id = _val(p, f"{W}pPr/{W}numPr/{W}numId") or _inherited(r.styles, style_id, "num_id")
    ilvl = _int(_val(p, f"{W}pPr/{W}numPr/{W}ilvl"))
    if ilvl is None:
        ilvl = _inherited(r.styles, style_id, "ilvl")
    marker = None
    if num_id not in (None, "0"):
        if ilvl is None:  # a style tied to a level through that level's w:pStyle
            levels = r.numbering.abstracts.get(r.numbering.nums.get(num_id), {})
            ilvl = next((i for i, lvl in levels.items() if lvl.style == style_id), 0)
        ilvl = min(max(ilvl, 0), 8)
        marker = next_marker(r.numbering, num_id, ilvl)
    text = paragraph_text(p).strip()
    level = heading_level(r, p, style_id)
    if level is not None:
        block = Block(0, 0, kind="heading", level=level, marker=marker)
    elif num_id not in (None, "0") and num_id in r.numbering.nums:
        block = Block(0, 0, kind="list_item", level=ilvl, marker=marker)
    else:
        block = Block(0, 0)
    if marker and text:
        last = marker[-1]
        sep = " " if (last.isascii() and last.isalnum()) or is_cjk(last) else ""
        text = marker + sep + text
    return text, block


def cell_text(r: Reader, tc) -> str:
    """A `w:tc` element -> its text on one line: paragraphs (and nested tables) joined by spaces."""
    parts = []
    for el in _children(tc, {W + "p", W + "tbl"}):
        if el.tag == W + "p":
            parts.append(read_paragraph(r, el)[0])
        else:
            for tr in _children(el, {W + "tr"}):
                parts.extend(cell_text(r, cell) for cell in _children(tr, {W + "tc"}))
    return " ".join(" ".join(parts).split())


def read_table(r: Reader, tbl) -> None:
    """A top-level `w:tbl` -> one line per non-empty row, cells joined by tabs and aligned to the grid:
    a cell spanning n columns (`w:gridSpan`) is followed by n-1 empty cells, a vertically merged
    continuation cell is empty (and listed in `Block.merged`), so no text is repeated and columns stay in place."""
    index = r.tables
    r.tables += 1
    for tr in _children(tbl, {W + "tr"}):
        cells = [""] * (_int(_val(tr, f"{W}trPr/{W}gridBefore"), 0))
        merged = []
        for tc in _children(tr, {W + "tc"}):
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            if vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue":
                merged.append(len(cells))  # continues the cell above
            cells.append(cell_text(r, tc))
            span = _int(_val(tc, f"{W}tcPr/{W}gridSpan"), 1) or 1
            cells.extend([""] * (min(span, 64) - 1))
        if not any(cells):
            continue
        block = Block(0, 0, kind="table_row", table=index, cells=[], merged=merged or None)
        r.add("\t".join(cells), block)
        pos = block.start
        for text in cells:
            block.cells.append((pos, pos + len(text)))
            pos += len(text) + 1


def read_body(r: Reader, body) -> None:
    """The `w:body` element -> lines and blocks in reading order (paragraphs and tables interleaved)."""
    for el in _children(body, {W + "p", W + "tbl"}):
        if el.tag == W + "tbl":
            read_table(r, el)
            continue
        text, block = read_paragraph(r, el)
        if text:
            r.add(text, block)


def _part_element(document, reltype: str):
    """The XML root of the part the main document relates to by `reltype`, or None."""
    try:
        return document.part.part_related_by(reltype).element
    except (KeyError, AttributeError):
        return None


def read_docx(data: bytes) -> RawText:
    """Bytes of a .docx file -> its body text (a line per paragraph or table row, numbering written out)
    and one Block per line; `InputError` (`corrupt_docx`, `unsafe_docx`) for damaged or hostile files."""
    check_archive(data)
    import docx  # python-docx: imported here so that other formats never load it
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        document = docx.Document(io.BytesIO(data))
        styles, default_style = read_styles(_part_element(document, RT.STYLES))
        numbering = read_numbering(_part_element(document, RT.NUMBERING), styles)
        body = document.element.body
        if body is None:
            raise ValueError("the document has no w:body")
    except Exception as e:  # whatever python-docx trips on: KeyError, XMLSyntaxError, BadZipFile, ValueError
        raise InputError("corrupt_docx", f"python-docx cannot read it: {_reason(e)}") from None
    r = Reader(styles=styles, default_style=default_style, numbering=numbering)
    read_body(r, body)
    return RawText(text="\n".join(r.lines), format="docx", encoding=None, blocks=r.blocks)
