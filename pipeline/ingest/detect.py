"""Detect a file's format (from its name, checked against its first bytes) and a text file's encoding.

Encodings are tried strictly in a fixed order rather than guessed: BOMs, UTF-16 by its NUL pattern,
UTF-8, then GB18030 and Big5. Big5 bytes nearly always decode as GB18030 too (into rare characters),
so when both decode, the one whose characters are more often common Chinese characters wins.
"""
from __future__ import annotations

import codecs
from functools import lru_cache
from pathlib import Path

from ..errors import InputError

# extension -> format; readers are chosen by format
EXTENSIONS = {
    ".txt": "txt", ".text": "txt",
    ".docx": "docx",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".pdf": "pdf",
}
MAGIC = {"docx": (b"PK\x03\x04",), "pdf": (b"%PDF",)}
HINTS = {".doc": "legacy Word .doc: save it as .docx", ".wps": "WPS document: save it as .docx",
         ".rtf": "RTF: save it as .docx or .txt"}


def detect_format(path: Path, head: bytes) -> str:
    """The format of `path` from its extension, with magic bytes checked for binary formats."""
    ext = path.suffix.lower()
    fmt = EXTENSIONS.get(ext)
    if fmt is None:
        hint = HINTS.get(ext, "supported: " + ", ".join(sorted(set(EXTENSIONS))))
        raise InputError("unsupported_format", f"{ext or 'no extension'} ({hint})")
    magic = MAGIC.get(fmt)
    if magic and not head.startswith(magic):
        raise InputError(f"corrupt_{fmt}", f"does not start like a {fmt.upper()} file")
    return fmt


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 with no BOM: ASCII characters leave NULs on one side of each code unit; accept the side
    whose decoding is plausible text (printable, no stray control characters)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    for enc, lead in (("utf-16-le", odd > 2 * even), ("utf-16-be", even > 2 * odd)):
        if not lead:
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        bad = sum(1 for c in text if (c < " " and c not in "\t\n\r\f") or "\ud800" <= c <= "\udfff")
        if bad <= len(text) * 0.01:
            return enc
    return None


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return ctrl > len(sample) * 0.05


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """GB2312's 6,763 hanzi (the common simplified set) plus their traditional forms."""
    simp = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                simp.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    from ..script import s2t

    trad = s2t("\n".join(simp)).split("\n")
    return frozenset(simp) | frozenset(trad)


def _commonness(text: str) -> float:
    cjk = [c for c in text if "\u3400" <= c <= "\u9fff"]
    if not cjk:
        return 0.0
    common = _common_chars()
    return sum(c in common for c in cjk) / len(cjk)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes strictly; return `(text, encoding)` or raise `InputError`."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise InputError("undecodable", f"{enc} BOM but invalid bytes at offset {e.start}") from None
    enc16 = _utf16_without_bom(data)
    if enc16:
        try:
            return data.decode(enc16), enc16
        except UnicodeDecodeError:
            pass
    if _is_binary(data):
        raise InputError("binary", "NUL or control bytes; not a text file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    decoded = {}
    for enc in ("gb18030", "big5"):
        try:
            decoded[enc] = data.decode(enc)
        except UnicodeDecodeError:
            pass
    if not decoded:
        raise InputError("undecodable", "not valid UTF-8, UTF-16, GB18030/GBK or Big5")
    if len(decoded) == 1:
        (enc, text), = decoded.items()
        return text, enc
    # both decode: prefer the reading made of common characters; GB18030 on a tie
    sample = {enc: text[:20000] for enc, text in decoded.items()}
    best = max(("gb18030", "big5"), key=lambda enc: (_commonness(sample[enc]) - (0.02 if enc == "big5" else 0)))
    return decoded[best], best
