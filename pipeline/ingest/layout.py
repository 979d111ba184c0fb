"""Reading order from positioned text: OCR boxes or a PDF's words -> lines -> paragraphs.

Both OCR (`ingest/ocr.py`) and PDF text layers (`ingest/pdf.py`) give pieces of text with a box on the
page. A page is cut into regions the XY-cut way: a wide empty vertical band (a gutter) splits it into
columns, read left then right; otherwise it splits at its widest empty horizontal band, top then bottom,
recursively. A gutter counts only when both sides are wide (a third of the width each) and one of them is
running text (most of its lines fill it). A scanned table whose columns pass that test is read column by
column: tables in images are not rebuilt (ruled tables in PDF text layers are, in `pdf.py`). Pieces on one row of a region make
one line.

Lines are then rejoined into paragraphs as typeset Chinese text shows them: a line that runs to the right
edge of its column continues on the next line when that one starts at the left edge (not indented, no
item marker such as `一、` or `（二）`), also across a column or page break. Page numbers (`- 3 -`, `第 2 页`)
are dropped first, so they do not stop a paragraph that continues on the next page.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from functools import lru_cache

from .. import lexicon
from ..script import WIDE

GUTTER_EMS = 0.3       # an empty band this many characters wide may separate columns (OCR boxes are padded)
FULL_LINE = 0.75       # a column's lines mostly span this share of its width
MIN_COLUMN = 0.3       # each column is at least this share of the width of the columns together
EDGE_EMS = 1.6         # a line ending within this many characters of the column's right edge runs to it
INDENT_EMS = 0.8       # a line starting further than this from the left edge is indented (a new paragraph)
SAME_ROW = 0.5         # boxes whose vertical overlap is this share of the smaller height are on one row


@dataclass
class Box:
    """A piece of text on a page: its box in page units (y grows downwards) and OCR confidence."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    conf: float | None = None   # OCR confidence in 0..1; None for a text layer's words


@dataclass
class Line:
    """One line of a region, with the edges of the region it sits in."""

    boxes: list[Box]
    left: float = 0.0
    right: float = 0.0
    em: float = 1.0
    page: int = 0
    region: int = 0
    justified: bool = True   # the region has a measure: two or more of its lines run to its right edge
    indents: bool = True     # the region starts paragraphs with an indent

    @property
    def x0(self) -> float:
        return self.boxes[0].x0

    @property
    def x1(self) -> float:
        return self.boxes[-1].x1

    @property
    def confidence(self) -> float | None:
        """Mean OCR confidence of the pieces, weighted by their length (None for a text layer)."""
        read = [(len(b.text), b.conf) for b in self.boxes if b.conf is not None]
        total = sum(n for n, _ in read)
        return sum(n * c for n, c in read) / total if total else None

    @property
    def text(self) -> str:
        """The pieces left to right: a wide gap between them is a space, else `joiner`."""
        out = self.boxes[0].text
        for prev, box in zip(self.boxes, self.boxes[1:]):
            out += (" " if box.x0 - prev.x1 > self.em else joiner(out, box.text)) + box.text
        return out


@dataclass
class Paragraph:
    """Lines joined into one paragraph: its text and, per line, its span in that text and OCR confidence."""

    text: str
    spans: list[tuple[int, int, float | None]] = field(default_factory=list)


_WIDE = re.compile(f"[{WIDE}]")


def joiner(a: str, b: str) -> str:
    """What goes between two pieces joined on one line: nothing between Chinese characters or full-width
    punctuation, a space between Latin letters or digits."""
    if not a or not b:
        return ""
    return "" if _WIDE.match(a[-1]) or _WIDE.match(b[0]) else " "


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    p = lexicon.regexes("markers")
    return re.compile(p["any"]), re.compile(p["page_number"])


def em_of(boxes: list[Box]) -> float:
    """The size of one character: the median width per character of the longer pieces (their height
    when none is long enough)."""
    widths = [(b.x1 - b.x0) / len(b.text) for b in boxes if len(b.text) >= 6 and _WIDE.search(b.text)]
    if widths:
        return statistics.median(widths)
    heights = [b.bottom - b.top for b in boxes if b.bottom > b.top]
    return statistics.median(heights) if heights else 1.0


# ---------------------------------------------------------------- regions


def _gaps(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sorted intervals -> the empty bands between their union's pieces, as (start, end)."""
    out, reach = [], None
    for a, b in sorted(intervals):
        if reach is not None and a > reach:
            out.append((reach, a))
        reach = b if reach is None else max(reach, b)
    return out


def _columnar(side: list[Box]) -> bool:
    """Whether pieces look like a column of running text: at least three, most filling its width."""
    if len(side) < 3:
        return False
    left, right = min(b.x0 for b in side), max(b.x1 for b in side)
    width = right - left
    return sum(b.x1 - b.x0 >= FULL_LINE * width for b in side) >= 0.5 * len(side)


def _columns(left: list[Box], right: list[Box]) -> bool:
    """Whether two sides of a vertical gap are columns of text: each at least `MIN_COLUMN` of the width of
    both, and one of them running text (`_columnar`)."""
    if not left or not right:
        return False
    x0, x1 = min(b.x0 for b in left), max(b.x1 for b in right)
    wide = all(max(b.x1 for b in side) - min(b.x0 for b in side) >= MIN_COLUMN * (x1 - x0) for side in (left, right))
    return wide and (_columnar(left) or _columnar(right))


def regions(boxes: list[Box], em: float, path: str = "") -> list[tuple[str, list[Box]]]:
    """Pieces of one page -> (column path, pieces) in reading order; `path` names the columns a region lies
    in ("" spans the page, "0", "1" the columns of a split, "10" the left column inside a right one)."""
    if len(boxes) <= 1:
        return [(path, boxes)] if boxes else []
    vertical = [g for g in _gaps([(b.x0, b.x1) for b in boxes]) if g[1] - g[0] >= GUTTER_EMS * em]
    for a, b in sorted(vertical, key=lambda g: g[0] - g[1]):  # the widest first
        cut = (a + b) / 2
        left = [x for x in boxes if x.x1 <= cut]
        right = [x for x in boxes if x.x0 >= cut]
        if _columns(left, right):
            return regions(left, em, path + "0") + regions(right, em, path + "1")
    horizontal = _gaps([(b.top, b.bottom) for b in boxes])
    if not horizontal:
        return [(path, boxes)]
    a, b = max(horizontal, key=lambda g: g[1] - g[0])
    cut = (a + b) / 2
    top = regions([x for x in boxes if x.bottom <= cut], em, path)
    bottom = regions([x for x in boxes if x.top >= cut], em, path)
    if top and bottom and top[-1][0] == bottom[0][0]:  # one column goes on: one region
        return top[:-1] + [(path, top[-1][1] + bottom[0][1])] + bottom[1:]
    return top + bottom


def rows(boxes: list[Box]) -> list[list[Box]]:
    """Pieces of one region -> rows top to bottom, each left to right."""
    out: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        row = out[-1] if out else None
        if row is not None:
            top, bottom = min(b.top for b in row), max(b.bottom for b in row)
            overlap = min(bottom, box.bottom) - max(top, box.top)
            if overlap >= SAME_ROW * min(bottom - top, box.bottom - box.top):
                row.append(box)
                continue
        out.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in out]


def page_lines(boxes: list[Box], page: int = 0) -> list[Line]:
    """Pieces of one page -> its lines in reading order, each knowing its region's edges."""
    boxes = [b for b in boxes if b.text.strip()]
    if not boxes:
        return []
    em = em_of(boxes)
    out = []
    for k, (_, region) in enumerate(regions(boxes, em)):
        left = _low(b.x0 for b in region)
        right = max(b.x1 for b in region)
        lines = [Line(row, left=left, right=right, em=em, page=page, region=k) for row in rows(region)]
        justified = sum(_full(line) for line in lines) >= 2
        indents = any(INDENT_EMS * em < line.x0 - left < 4 * em for line in lines)
        for line in lines:
            line.justified, line.indents = justified, indents
        out += lines
    return _without_page_numbers(out)


def _full(line: Line) -> bool:
    """Whether a line runs to its region's right edge from near its left edge."""
    return line.x1 >= line.right - EDGE_EMS * line.em and line.x0 <= line.left + 4 * line.em


def _low(values) -> float:
    """A robust left edge: the second smallest value (one outdented piece does not move it)."""
    v = sorted(values)
    return v[1] if len(v) > 2 else v[0]


def _without_page_numbers(lines: list[Line]) -> list[Line]:
    """Drop a page-number line at the top or bottom of the page."""
    page_number = _patterns()[1]
    ends = {0, len(lines) - 1}
    return [line for i, line in enumerate(lines) if not (i in ends and page_number.match(line.text.strip()))]


# ---------------------------------------------------------------- paragraphs


_SENTENCE_END = tuple("。！？!?")


def starts_item(text: str) -> bool:
    """Whether a line starts with an item marker (`一、`, `（二）`, `3.`, `①`, `第一阶段`…)."""
    return bool(_patterns()[0].match(text.lstrip()))


def continues(prev: Line, line: Line) -> bool:
    """Whether `line` goes on with the paragraph of `prev`: `prev` runs to the right edge of a justified
    column and `line` starts at its column's left edge with no item marker. Where paragraphs are not
    indented, a line ending a sentence ends its paragraph."""
    text = line.text.lstrip()
    if not text or starts_item(text) or not prev.justified or not _full(prev):
        return False
    if not prev.indents and prev.text.rstrip().endswith(_SENTENCE_END):
        return False
    return line.x0 <= line.left + INDENT_EMS * line.em


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Lines in reading order -> paragraphs (wrapped lines joined without a break)."""
    out: list[Paragraph] = []
    prev = None
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if out and prev is not None and continues(prev, line):
            para = out[-1]
            para.text += " " if para.text[-1:].isascii() and para.text[-1:].isalpha() and text[0].isascii() \
                and text[0].isalpha() else ""  # a wrapped Latin word sentence keeps its space
        else:
            para = Paragraph("")
            out.append(para)
        para.spans.append((len(para.text), len(para.text) + len(text), line.confidence))
        para.text += text
        prev = line
    return out
