"""Build small .docx files for tests and samples: Word automatic numbering, styles, tables, raw zips.

python-docx writes paragraphs and tables but has no API for numbering definitions, so `add_list`
writes the `w:abstractNum` / `w:num` XML itself. `docx_bytes` saves with fixed zip timestamps, so the
same document always gives the same bytes.
"""
from __future__ import annotations

import io
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

# the numbering a Chinese plan uses, level by level: 一、 （一） 1. (1) ①
PLAN_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."),
               ("decimal", "(%4)"), ("decimalEnclosedCircle", "%5")]
FIXED_TIME = (2026, 2, 20, 9, 0, 0)


def new_document() -> docx.document.Document:
    """An empty document from python-docx's default template."""
    return docx.Document()


def _numbering(doc):
    return doc.part.numbering_part.element


def add_list(doc, levels=PLAN_LEVELS, starts: dict[int, int] | None = None,
             restarts: dict[int, int] | None = None) -> str:
    """A new abstract list with `levels` [(numFmt, lvlText)] and a `w:num` using it -> the numId.
    `starts` gives `w:start` per level (default 1), `restarts` a `w:lvlRestart` per level."""
    numbering = _numbering(doc)
    abstract_id = max([int(a.get(qn("w:abstractNumId"))) for a in numbering.iter(qn("w:abstractNum"))] + [-1]) + 1
    lvls = []
    for ilvl, (fmt, text) in enumerate(levels):
        start = (starts or {}).get(ilvl, 1)
        restart = (restarts or {}).get(ilvl)
        lvls.append(f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
                    + (f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else "")
                    + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>')
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                         f'<w:multiLevelType w:val="multilevel"/>{"".join(lvls)}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:  # every w:abstractNum comes before the first w:num
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    return str(numbering.add_num(abstract_id).numId)


def restart_list(doc, num_id: str, ilvl: int = 0, start: int | None = 1) -> str:
    """A new `w:num` on the same abstract list as `num_id`, restarting level `ilvl` at `start`
    (Word's "restart numbering"; start None: no override, so Word continues the count) -> its numId."""
    numbering = _numbering(doc)
    num = numbering.add_num(numbering.num_having_numId(int(num_id)).abstractNumId.val)
    if start is not None:
        num.append(parse_xml(f'<w:lvlOverride {nsdecls("w")} w:ilvl="{ilvl}">'
                             f'<w:startOverride w:val="{start}"/></w:lvlOverride>'))
    return str(num.numId)


def set_numbering(paragraph, num_id: str | None, ilvl: int | None = 0) -> None:
    """Give a paragraph `w:numPr` (num_id None: only the level, the list comes from its style)."""
    _set_num_pr(paragraph._p.get_or_add_pPr(), num_id, ilvl)


def _set_num_pr(ppr, num_id, ilvl) -> None:
    num_pr = ppr.get_or_add_numPr()
    if ilvl is not None:
        num_pr.get_or_add_ilvl().val = ilvl
    if num_id is not None:
        num_pr.get_or_add_numId().val = int(num_id)


def add_item(container, text: str, num_id: str | None, ilvl: int | None = 0, style: str | None = None):
    """Add a numbered paragraph to a document or table cell -> the paragraph."""
    paragraph = container.add_paragraph(text, style=style)
    set_numbering(paragraph, num_id, ilvl)
    return paragraph


def add_numbered_style(doc, name: str, num_id: str, ilvl: int | None = 0, outline: int | None = None):
    """A new paragraph style (based on Normal) numbered by list `num_id` at `ilvl` -> the style."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    number_style(style, num_id, ilvl, outline)
    return style


def number_style(style, num_id: str, ilvl: int | None = 0, outline: int | None = None) -> None:
    """Make an existing paragraph style number its paragraphs with list `num_id` at `ilvl`
    (and give it an outline level)."""
    ppr = style.element.get_or_add_pPr()
    _set_num_pr(ppr, num_id, ilvl)
    if outline is not None:
        for old in ppr.findall(qn("w:outlineLvl")):
            ppr.remove(old)
        ppr.insert_element_before(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{outline}"/>'),
                                  "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def add_table(container, rows: list[list[str]], merges=()):
    """A table filled with `rows`; `merges` = [((row, col), (row, col))] corner pairs to merge -> the table.
    Merged cells keep only the first cell's text (as Word does when the others are empty)."""
    table = container.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    for (r1, c1), (r2, c2) in merges:
        keep = table.cell(r1, c1).text
        for i in range(r1, r2 + 1):
            for j in range(c1, c2 + 1):
                table.cell(i, j).text = ""
        merged = table.cell(r1, c1).merge(table.cell(r2, c2))
        merged.text = keep
    return table


def docx_bytes(doc) -> bytes:
    """Save `doc` -> .docx bytes with fixed timestamps (the same document always gives the same bytes)."""
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        return zip_bytes({name: zf.read(name) for name in zf.namelist()})


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Members {name: bytes} -> a zip archive's bytes, in the given order, with fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, content in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), content, compress_type=compression)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, content: bytes | None) -> bytes:
    """A copy of zip `data` with member `name` replaced by `content` (added if new, dropped if None)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    if content is None:
        members.pop(name, None)
    else:
        members[name] = content
    return zip_bytes(members)


def corrupt_member(data: bytes, name: str) -> bytes:
    """A copy of zip `data` whose member `name` has its compressed bytes scrambled (CRC and sizes intact)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    out = bytearray(data)
    for i in range(start + 8, start + min(info.compress_size, 48)):
        out[i] ^= 0x55
    return bytes(out)
