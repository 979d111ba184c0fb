"""PDFs with a text layer laid out like real documents: paragraphs that wrap (first line indented by two
characters) and ruled tables whose cells wrap, drawn by reportlab's platypus with its built-in CID font
STSong-Light (Adobe-GB1, not embedded: pdfminer maps it with its bundled CMaps)."""
from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
SIZE = 12
BODY = ParagraphStyle("body", fontName="STSong-Light", fontSize=SIZE, leading=SIZE * 1.6, wordWrap="CJK",
                      firstLineIndent=2 * SIZE)
FLUSH = ParagraphStyle("flush", parent=BODY, firstLineIndent=0)
TITLE = ParagraphStyle("title", parent=BODY, fontSize=18, leading=30, alignment=1, firstLineIndent=0)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=10.5, leading=15, firstLineIndent=0)


def plan_pdf(before: list[str], header: list[str] | None = None, rows: list[list[str]] = (),
             after: list[str] = (), widths=(40, 230, 100, 90)) -> bytes:
    """Title and paragraphs, then a ruled table (cells wrap), then more paragraphs -> PDF bytes. Lines that
    name the issuer or the date are set flush, as signatures are."""
    story = [Paragraph(before[0], TITLE)] + [Paragraph(p, BODY) for p in before[1:]]
    if header:
        table = Table([[Paragraph(c, CELL) for c in row] for row in [header] + list(rows)], colWidths=widths,
                      repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        story.append(table)
    story += [Paragraph(p, FLUSH if len(p) < 16 else BODY) for p in after]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build(story)
    return buf.getvalue()
