"""PDF files: the text layer, page by page, with pdfplumber (pdfminer.six underneath).

Each page's text is taken in pdfplumber's reading order (lines top to bottom); lines are stripped, empty
ones dropped, and all lines of all pages joined by `\\n`. No OCR: a PDF without a usable text layer
(a scan, or glyphs that map to no characters and come out as `(cid:NN)`) is refused with
`no_text_layer`, so that the user knows to run OCR first rather than get an empty or garbled plan.
"""
from __future__ import annotations

import io
import re

from .. import settings
from ..errors import InputError
from ..model import RawText

# a PDF with more pages than settings.MAX_PDF_PAGES is refused, not truncated
MAX_PAGES = settings.MAX_PDF_PAGES
MIN_CHARS = 20          # fewer non-space characters in the whole file: no usable text layer
MAX_UNMAPPED = 0.5      # share of glyphs that are `(cid:NN)` from which the text layer is garbage
_CID = re.compile(r"\(cid:\d+\)")


def read_pdf(data: bytes) -> RawText:
    """Bytes of a PDF -> its text layer (a line per text line, pages in order); `InputError`
    `corrupt_pdf` (damaged, or encrypted with a password), `too_large` (too many pages) or
    `no_text_layer` (scanned or unmapped glyphs)."""
    import pdfplumber  # imported here so that other formats never load it

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            count = len(pdf.pages)
            if count > MAX_PAGES:
                raise InputError("too_large", f"{count:,} pages > limit {MAX_PAGES:,}")
            encrypted = getattr(pdf.doc, "encryption", None) is not None
            pages, images = [], 0
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
                images += len(page.images)
                page.close()  # frees the page's parsed objects as we go
    except InputError:
        raise
    except Exception as e:  # pdfminer raises many types (syntax, EOF, crypto, recursion in bad trees)
        raise InputError("corrupt_pdf", _reason(e)) from None
    text, unmapped = clean_pages(pages)
    check_text_layer(text, unmapped, count, images, encrypted)
    return RawText(text=text, format="pdf", encoding=None)


def clean_pages(pages: list[str]) -> tuple[str, int]:
    """Page texts -> (non-empty stripped lines joined by `\\n`, number of `(cid:NN)` glyphs removed)."""
    lines, unmapped = [], 0
    for page in pages:
        for line in page.splitlines():
            line, n = _CID.subn("", line)
            unmapped += n
            line = line.strip()
            if line:
                lines.append(line)
    return "\n".join(lines), unmapped


def check_text_layer(text: str, unmapped: int, pages: int, images: int, encrypted: bool = False) -> None:
    """Raise `no_text_layer` when the text is too short or mostly unmapped glyphs."""
    chars = sum(not c.isspace() for c in text)
    if unmapped and unmapped >= MAX_UNMAPPED * (unmapped + chars):
        # encrypted files (owner password only) can carry CID font dictionaries whose strings do not
        # decrypt (seen with reportlab's encryption); pdfminer then finds no character map for the font
        hint = "the PDF is encrypted: try an unencrypted copy, or " if encrypted else ""
        raise InputError("no_text_layer", f"{unmapped:,} of {unmapped + chars:,} glyphs map to no character "
                                          f"(cid:NN; fonts without a ToUnicode map): {hint}run OCR first")
    if chars < MIN_CHARS:
        what = f"{pages:,} page{'s' * (pages != 1)} with " + (f"{images:,} images and " if images else "")
        raise InputError("no_text_layer", f"{what}{chars} characters of text: scanned? run OCR first")


def _reason(e: Exception) -> str:
    """A readable reason from pdfminer's exception (pdfplumber wraps it in `PdfminerException`)."""
    inner = e.args[0] if type(e).__name__ == "PdfminerException" and e.args else e
    name = type(inner).__name__
    if "Password" in name or "Encryption" in name:
        return f"encrypted and cannot be opened without a password ({name})"
    detail = str(inner)
    return f"{name}: {detail}" if detail and detail != name else name
