"""Ingest: one reader per format, each `bytes -> RawText`; `read_file` picks one and enforces limits.

Readers are imported on first use so that a run over .txt files never loads python-docx, pdfplumber or OCR.
"""
from __future__ import annotations

import hashlib
from importlib import import_module
from pathlib import Path

from .. import settings
from ..errors import InputError
from ..model import RawText
from .detect import detect_format

# format -> "module:function"
READERS = {
    "txt": "txt:read_txt",
    "docx": "docx:read_docx",
    "html": "html:read_html",
    "mhtml": "html:read_mhtml",
    "pdf": "pdf:read_pdf",
    "image": "ocr:read_image",
    "doc": "convert:read_doc",
    "wps": "convert:read_wps",
    "rtf": "convert:read_rtf",
    "odt": "convert:read_odt",
    "xlsx": "spreadsheet:read_xlsx",
    "xls": "spreadsheet:read_xls",
}


def reader(fmt: str):
    module, func = READERS[fmt].split(":")
    return getattr(import_module(f"{__name__}.{module}"), func)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing unreadable and over-large files before reading them whole."""
    try:
        size = path.stat().st_size
        if size > settings.MAX_FILE_BYTES:
            raise InputError("too_large", f"{size:,} bytes > limit {settings.MAX_FILE_BYTES:,}")
        with open(path, "rb") as f:
            data = f.read(settings.MAX_FILE_BYTES + 1)
    except InputError:
        raise
    except OSError as e:
        raise InputError("unreadable", e.strerror or type(e).__name__) from None
    if len(data) > settings.MAX_FILE_BYTES:
        raise InputError("too_large", f"more than {settings.MAX_FILE_BYTES:,} bytes")
    if not data.strip():
        raise InputError("empty", "no content" if not data else "only whitespace")
    return data


def read_file(path: Path) -> tuple[RawText, str, int]:
    """Read and convert one file: `(RawText, sha256 of the bytes, size in bytes)`."""
    data = read_bytes(path)
    fmt = detect_format(path, data)
    raw = reader(fmt)(data)
    if len(raw.text) > settings.MAX_TEXT_CHARS:
        raise InputError("too_large", f"{len(raw.text):,} characters of text > limit {settings.MAX_TEXT_CHARS:,} "
                                      "(PLANS_MAX_TEXT_CHARS)")
    if not raw.text.strip():
        raise InputError("no_plan", "the file holds no text")
    return raw, hashlib.sha256(data).hexdigest(), len(data)


__all__ = ["READERS", "read_file", "reader", "RawText", "InputError"]
