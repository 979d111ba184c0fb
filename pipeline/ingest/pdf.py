"""PDF files: the text layer with pdfplumber (pdfminer.six underneath), ruled tables as rows, OCR for scans.

Each page's words, with their positions, go through `layout.py`: columns in reading order, page numbers
dropped, lines that wrap inside a paragraph joined again (also across pages), so the same plan as .pdf and
as .txt gives the same text. Ruled tables (pdfplumber's table finder, lines strategy) become one
`table_row` line per row, cells joined by tabs, as the .docx reader writes them (`Block.cells`,
`Block.table`); lines that wrap inside a cell are joined. A table that goes on at the top of the next page
with as many columns keeps its number, and a header row repeated there is dropped.

A page with almost no text but images (a scan), or whose glyphs mostly map to no character (`(cid:NN)`),
is rendered with pdfium (`settings.OCR_SCALE`) and read by OCR (`ocr.py`); the plan then records
`source.ocr`. A PDF that still gives almost no text is refused with `no_text_layer`.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from .. import settings
from ..errors import InputError
from ..model import Block, RawText
from . import layout

# a PDF with more pages than settings.MAX_PDF_PAGES is refused, not truncated
MAX_PAGES = settings.MAX_PDF_PAGES
MIN_CHARS = 20          # fewer non-space characters in the whole file: no usable text layer
MIN_PAGE_CHARS = 10     # a page with fewer characters and an image is a scan: OCR
MAX_UNMAPPED = 0.5      # share of glyphs that are `(cid:NN)` from which the text layer is garbage
_CID = re.compile(r"\(cid:\d+\)")
_TABLE = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass
class Table:
    """A ruled table of one page: its rows of cell texts, and where it starts on the page."""

    top: float
    rows: list[list[str]]


@dataclass
class Page:
    """What one page gives: lines in reading order and tables (or `ocr` when it must be read by OCR)."""

    lines: list[layout.Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    ocr: bool = False


def read_pdf(data: bytes) -> RawText:
    """Bytes of a PDF -> its text (a line per paragraph or table row, pages in order) and blocks;
    `InputError` `corrupt_pdf` (damaged), `encrypted` (it needs a password to open), `too_large` (too many
    pages) or `no_text_layer` (no text even by OCR)."""
    import pdfplumber  # imported here so that other formats never load it

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            count = len(pdf.pages)
            if count > MAX_PAGES:
                raise InputError("too_large", f"{count:,} pages > limit {MAX_PAGES:,}")
            encrypted = getattr(pdf.doc, "encryption", None) is not None
            pages, images, unmapped = [], 0, 0
            for k, page in enumerate(pdf.pages):
                result, cids = read_page(page, k)
                pages.append(result)
                images += len(page.images)
                unmapped += cids
                page.close()  # frees the page's parsed objects as we go
    except InputError:
        raise
    except Exception as e:  # pdfminer raises many types (syntax, EOF, crypto, recursion in bad trees)
        raise _error(e) from None
    scanned = [k for k, p in enumerate(pages) if p.ocr]
    if scanned:
        ocr_pages(data, pages, scanned)
    raw = assemble(pages)
    raw.ocr = bool(scanned)
    check_text_layer(raw.text, unmapped, count, images, encrypted, len(scanned))
    return raw


def read_page(page, k: int) -> tuple[Page, int]:
    """One pdfplumber page -> (its lines and ruled tables, number of `(cid:NN)` glyphs it holds)."""
    found = [t for t in page.find_tables(_TABLE) if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
    tables = [Table(t.bbox[1], [[cell_text(c) for c in row] for row in t.extract()]) for t in found]
    bboxes = [t.bbox for t in found]

    def outside(obj) -> bool:
        cx, cy = (obj.get("x0", 0) + obj.get("x1", 0)) / 2, (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return not any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in bboxes)

    text_part = page.filter(outside) if bboxes else page
    boxes, unmapped, chars = [], 0, 0
    for w in text_part.extract_words(keep_blank_chars=False, use_text_flow=False):
        text, n = _CID.subn("", w["text"])
        unmapped += n
        text = text.strip()
        chars += len(text)
        if text:
            boxes.append(layout.Box(w["x0"], w["top"], w["x1"], w["bottom"], text))
    chars += sum(len(c) for t in tables for row in t.rows for c in row)
    garbage = unmapped and unmapped >= MAX_UNMAPPED * (unmapped + chars)
    if (chars < MIN_PAGE_CHARS and page.images) or garbage:
        return Page(ocr=True), unmapped
    return Page(lines=layout.page_lines(boxes, page=k), tables=tables), unmapped


def cell_text(text: str | None) -> str:
    """A table cell's text on one line: lines that wrap inside the cell joined (with a space before an
    item marker or between Latin words), blanks collapsed."""
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    out = ""
    for line in filter(None, lines):
        if out:
            out += " " if layout.starts_item(line) or (out[-1].isascii() and line[0].isascii()) else ""
        out += line
    return out


def ocr_pages(data: bytes, pages: list[Page], which: list[int]) -> None:
    """Render the pages `which` with pdfium and read them by OCR, in place (one page in memory at a time)."""
    import pypdfium2 as pdfium

    from .ocr import Progress, read_page as ocr_page

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise InputError("corrupt_pdf", f"pdfium cannot open it to read its scanned pages: {e}") from None
    progress = Progress(len(which))
    try:
        for n, k in enumerate(which, 1):
            page = doc[k]
            width, height = page.get_size()
            scale = min(settings.OCR_SCALE, settings.OCR_MAX_SIDE / max(width, height, 1))  # posters, A0 plans
            image = page.render(scale=scale).to_pil()
            page.close()
            pages[k] = Page(lines=layout.page_lines(ocr_page(image), page=k))
            progress.update(n)
    finally:
        doc.close()


def assemble(pages: list[Page]) -> RawText:
    """Pages -> one RawText: paragraphs rebuilt across pages, tables where they stand between the lines,
    a table going on at the top of the next page kept as one (its repeated header dropped)."""
    items: list = []  # layout.Line or Table, in reading order over the document
    for page in pages:
        pending = sorted(page.tables, key=lambda t: t.top)
        for line in page.lines:
            while pending and pending[0].top < line.boxes[0].top:
                items.append(pending.pop(0))
            items.append(line)
        items += pending
    out = _Out()
    run: list[layout.Line] = []
    last_table: Table | None = None
    for item in items + [None]:
        if isinstance(item, layout.Line):
            run.append(item)
            continue
        for para in layout.paragraphs(run):
            out.paragraph(para)
        if run:
            last_table = None
        run = []
        if item is None:
            break
        rows = item.rows
        if last_table is not None and len(rows[0]) == len(last_table.rows[0]):
            if rows[0] == last_table.rows[0]:
                rows = rows[1:]
        else:
            out.tables += 1
        last_table = item
        for row in rows:
            out.row(row, out.tables - 1)
    return RawText(text="\n".join(out.lines), format="pdf", encoding=None, blocks=out.blocks,
                   ocr_lines=out.ocr_lines)


@dataclass
class _Out:
    """The lines, blocks and OCR line confidences being written."""

    lines: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    ocr_lines: list[tuple[int, int, float]] = field(default_factory=list)
    pos: int = 0
    tables: int = 0

    def _add(self, text: str, block: Block) -> None:
        block.start, block.end = self.pos, self.pos + len(text)
        self.lines.append(text)
        self.blocks.append(block)
        self.pos = block.end + 1

    def paragraph(self, para: layout.Paragraph) -> None:
        start = self.pos
        self._add(para.text, Block(0, 0))
        self.ocr_lines += [(start + a, start + b, round(c, 4)) for a, b, c in para.spans if c is not None]

    def row(self, cells: list[str], table: int) -> None:
        if not any(cells):
            return
        block = Block(0, 0, kind="table_row", table=table, cells=[])
        self._add("\t".join(cells), block)
        pos = block.start
        for text in cells:
            block.cells.append((pos, pos + len(text)))
            pos += len(text) + 1


def check_text_layer(text: str, unmapped: int, pages: int, images: int, encrypted: bool = False,
                     scanned: int = 0) -> None:
    """Raise `no_text_layer` when the text (OCR of `scanned` pages included) is too short, or the text
    layer mostly unmapped glyphs that OCR could not replace."""
    chars = sum(not c.isspace() for c in text)
    ocr = f"; OCR of {scanned:,} page{'s' * (scanned != 1)} read {chars:,} characters" if scanned else ""
    if unmapped and unmapped >= MAX_UNMAPPED * (unmapped + chars):
        # encrypted files (owner password only) can carry CID font dictionaries whose strings do not
        # decrypt (seen with reportlab's encryption); pdfminer then finds no character map for the font
        hint = ": the PDF is encrypted, try an unencrypted copy" if encrypted else ""
        raise InputError("no_text_layer", f"{unmapped:,} of {unmapped + chars:,} glyphs map to no character "
                                          f"(cid:NN; fonts without a ToUnicode map){ocr}{hint}")
    if chars < MIN_CHARS:
        what = f"{pages:,} page{'s' * (pages != 1)} with " + (f"{images:,} images and " if images else "")
        raise InputError("no_text_layer", f"{what}{chars} characters of text{ocr or ' and nothing to OCR'}")


def _error(e: Exception) -> InputError:
    """The `InputError` for pdfminer's exception (pdfplumber wraps it in `PdfminerException`): `encrypted` when
    it needs a password, else `corrupt_pdf` with a readable reason."""
    inner = e.args[0] if type(e).__name__ == "PdfminerException" and e.args else e
    name = type(inner).__name__
    if "Password" in name or "Encryption" in name:
        return InputError("encrypted", f"a password-protected PDF: it cannot be opened without its password "
                                       f"({name}); save an unprotected copy")
    detail = str(inner)
    return InputError("corrupt_pdf", f"{name}: {detail}" if detail and detail != name else name)
