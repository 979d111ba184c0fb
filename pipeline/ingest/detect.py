"""Detect a file's format (from its content, else its name) and a text file's encoding.

Content first: PDF, RTF and image signatures; a zip holding a Word, Excel or OpenDocument text package; an
OLE2 compound file by its streams (Word binary, Kingsoft WPS, Works, Excel; password-protected documents
are refused here as `encrypted`); a MIME archive of a page (.mht) and markup at the start of a file with a
page-like or unknown extension (.aspx, .php, .jsp, a .doc that is HTML). Otherwise the extension decides.

Encodings are tried strictly in a fixed order rather than guessed: BOMs, UTF-16 by its NUL pattern,
UTF-8, then GB18030 and Big5. Big5 bytes nearly always decode as GB18030 too (into rare characters),
so when both decode, the one whose characters are more often common Chinese characters wins.
"""
from __future__ import annotations

import codecs
import re
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..script import is_cjk

# extension -> format when the content says nothing more specific (see `sniff`); readers are chosen by format
EXTENSIONS = {
    ".txt": "txt", ".text": "txt",
    ".docx": "docx",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html", ".shtm": "html",
    ".aspx": "html", ".asp": "html", ".php": "html", ".jsp": "html", ".jspx": "html", ".do": "html",
    ".mht": "mhtml", ".mhtml": "mhtml",
    ".pdf": "pdf",
    ".doc": "doc", ".wps": "wps", ".rtf": "rtf", ".odt": "odt",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".et": "xls",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image", ".bmp": "image",
    ".webp": "image",
}
MAGIC = {"docx": (b"PK\x03\x04",), "pdf": (b"%PDF",)}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")
# a page saved from a site, whatever its extension: markup at its start (after a BOM, blanks, comments)
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*(?:<\?xml[^>]*>\s*)?"
                         rb"(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<meta\s|<title[\s>]|<body[\s>])", re.I | re.S)
_MIME_HTML = re.compile(rb"^(?:[\w-]+:[^\n]*\n(?:[ \t][^\n]*\n)*)*?content-type:\s*multipart/related", re.I)


def detect_format(path: Path, data: bytes) -> str:
    """The format of `path`: from its content when that is decisive (a `.doc` holding RTF or HTML, a
    renamed .docx, a page saved as .aspx), else from its extension, with magic bytes checked for binary
    formats; `unsupported_format` (with a hint) or `encrypted` when neither says it can be read."""
    ext = path.suffix.lower()
    by_name = EXTENSIONS.get(ext)
    found = sniff(data, by_name)
    if found is not None:
        return found
    if by_name is None:
        raise InputError("unsupported_format", f"{ext or 'no extension'} (supported: "
                                               + ", ".join(sorted(set(EXTENSIONS))) + ")")
    if by_name in ("doc", "wps", "xls"):
        if not data.startswith(OLE) and _is_binary(data):
            raise InputError("unsupported_format", f"{ext}: the content is no office document "
                                                   "(no OLE2 header, not RTF, HTML or text)")
        if not data.startswith(OLE):
            return "txt"  # a text file with a legacy office name: read as text
    magic = MAGIC.get(by_name)
    if magic and not data.startswith(magic):
        raise InputError(f"corrupt_{by_name}", f"does not start like a {by_name.upper()} file")
    return by_name


def sniff(data: bytes, by_name: str | None) -> str | None:
    """The format the content itself shows, or None when it is not decisive."""
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(IMAGES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(data) or (by_name if by_name in ("docx", "xlsx", "odt") else None)
    if head.startswith(OLE):
        return ole_format(data, by_name)
    if by_name in ("txt", "docx", "pdf", "image", "xlsx", "odt"):
        return None  # text files are read as text even when they quote markup
    if _MIME_HTML.match(head.replace(b"\r\n", b"\n")):
        return "mhtml"
    if _HTML_START.match(head) or _HTML_START.match(_utf16_head(head)):
        return "html"
    return None


def _utf16_head(head: bytes) -> bytes:
    """The start of a UTF-16 page (with a BOM) as ASCII-compatible bytes, for sniffing markup."""
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(enc, "replace").encode("utf-8", "replace")
    return b""


def _zip_format(data: bytes) -> str | None:
    """A zip archive -> the office format it holds (Word, Excel, OpenDocument text), or None."""
    import io
    import zipfile

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = {n.lower() for n in zf.namelist()}
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "mimetype" in names and zf.getinfo("mimetype").file_size < 100:
            mime = zf.read("mimetype").strip()
            if mime == b"application/vnd.oasis.opendocument.text":
                return "odt"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, NotImplementedError):
        pass
    return None


def ole_format(data: bytes, by_name: str | None) -> str | None:
    """An OLE2 compound file -> `doc`, `wps` or `xls` from its streams (a Word binary, Kingsoft WPS and
    Works documents, an Excel workbook); `encrypted` for a password-protected document (an encrypted
    .docx/.xlsx package, or a Word/Excel binary with its encryption flag set)."""
    import io

    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, IndexError, TypeError) as e:  # olefile's errors for damaged files
        raise InputError("unsupported_format", f"a damaged OLE2 compound file ({type(e).__name__}: {e})") from None
    try:
        streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
        if "encryptedpackage" in streams or "encryptioninfo" in streams:
            raise InputError("encrypted", "a password-protected Office document (encrypted package): "
                                          "save an unprotected copy")
        if "worddocument" in streams:
            fib = ole.openstream("WordDocument").read(12)
            if len(fib) >= 12 and int.from_bytes(fib[10:12], "little") & 0x0100:  # FIB fEncrypted
                raise InputError("encrypted", "a password-protected Word document: save an unprotected copy")
            return "wps" if by_name == "wps" else "doc"
        if "workbook" in streams or "book" in streams:
            return "xls"
        if "contents" in streams or "matost" in streams:  # Microsoft Works word processor
            return "wps"
    except InputError:
        raise
    except (OSError, ValueError, IndexError, TypeError):
        return None
    finally:
        ole.close()
    return None


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
    cjk = [c for c in text if is_cjk(c)]
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
