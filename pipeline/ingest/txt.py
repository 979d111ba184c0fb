"""Plain text files: detected encoding, universal newlines."""
from __future__ import annotations

from ..model import RawText
from .detect import decode


def read_txt(data: bytes) -> RawText:
    """Bytes of a .txt file -> its text (newlines as `\\n`, BOM dropped) and encoding."""
    text, encoding = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return RawText(text=text, format="txt", encoding=encoding)
