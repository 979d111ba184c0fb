"""A CJK font embedded in the report, so Chinese renders on a machine without CJK fonts (no boxes).

The browser renders every label, so the report carries its own font: an `@font-face` with a WOFF subset (only
the characters the report uses, typically a few hundred KB) as a base64 `data:` URL. No network, no CDN.

Where the font comes from, first found wins:
1. `PLANS_CJK_FONT` (environment): a .ttf/.otf/.ttc file;
2. the PyPI package `pylopdf-fonts-zh-cn` (Noto Sans SC, SIL OFL 1.1) — a Python dependency, so every
   machine that installs the project has it;
3. Debian font packages: `fonts-noto-cjk`, `fonts-wqy-microhei`, `fonts-wqy-zenhei`, `fonts-droid-fallback`,
   `fonts-arphic-uming`.
Without any, the report falls back to the viewer's fonts and says so at the top.
"""
from __future__ import annotations

import base64
import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONT_ENV = "PLANS_CJK_FONT"
FAMILY = "PlansCJK"
FONT_STACK = (f"'{FAMILY}', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', "
              "'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif")

PACKAGE_FONTS = [("pylopdf_fonts_zh_cn", "sans_path", "Noto Sans SC (PyPI pylopdf-fonts-zh-cn), SIL OFL 1.1")]
SYSTEM_FONTS = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC (Debian fonts-noto-cjk), SIL OFL 1.1"),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "WenQuanYi Micro Hei (Debian fonts-wqy-microhei)"),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYi Zen Hei (Debian fonts-wqy-zenhei)"),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
     "Droid Sans Fallback (Debian fonts-droid-fallback), Apache 2.0"),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", "AR PL UMing (Debian fonts-arphic-uming)"),
]


@dataclass(frozen=True)
class FontSource:
    path: str
    credit: str


@dataclass(frozen=True)
class EmbeddedFont:
    css: str                  # the @font-face rule
    credit: str
    size: int                 # bytes of the WOFF subset
    missing: tuple[str, ...]  # CJK characters the font lacks (left to the viewer's fonts)


def find_cjk_font() -> FontSource | None:
    """The font to embed (see the module docstring), or None."""
    env = os.environ.get(FONT_ENV)
    if env and Path(env).is_file():
        return FontSource(env, Path(env).name)
    for module, func, credit in PACKAGE_FONTS:
        try:
            mod = __import__(module)
            path = Path(getattr(mod, func)())
        except (ImportError, AttributeError):
            continue
        if path.is_file():
            return FontSource(str(path), credit)
    for path, credit in SYSTEM_FONTS:
        if Path(path).is_file():
            return FontSource(path, credit)
    return None


def _open(path: str):
    """TTFont of the file; for a collection (.ttc) the Simplified Chinese face when there is one. Bounding boxes
    are not computed again on saving (CFF glyphs store none; the font's own box stays the whole font's): that
    was 40 % of the time of making a subset."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.lower().endswith((".ttc", ".otc")):
        coll = TTCollection(path, lazy=True)
        number = 0
        for i, font in enumerate(coll.fonts):
            name = font["name"].getDebugName(4) or ""
            if " SC" in name or "Simplified" in name:
                number = i
                break
        return TTFont(path, fontNumber=number, lazy=False, recalcBBoxes=False)
    return TTFont(path, lazy=False, recalcBBoxes=False)


@lru_cache(maxsize=8)
def _subset(path: str, chars: str) -> tuple[bytes, tuple[str, ...]]:
    from fontTools import subset

    font = _open(path)
    cmap = font.getBestCmap() or {}
    missing = tuple(c for c in chars if ord(c) >= 0x2E80 and ord(c) not in cmap)
    opts = subset.Options()
    opts.flavor = "woff"
    opts.name_IDs = ["*"]          # keep copyright and license names
    opts.hinting = False
    opts.notdef_outline = True
    opts.ignore_missing_unicodes = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    font.flavor = "woff"
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue(), missing


def wanted_chars(chars: set[str] | str) -> set[str]:
    """What a subset for `chars` holds: the printable characters but the space, and ASCII letters and digits."""
    return {c for c in chars if c.isprintable() and c != " "} | set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def unicode_range(chars: set[str]) -> str:
    """A CSS `unicode-range` value naming exactly `chars` (`U+4E00-4E01, U+4E8C`)."""
    runs: list[list[int]] = []
    for p in sorted(ord(c) for c in chars):
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def embed_font(chars: set[str] | str, source: FontSource | None = None, part: bool = False) -> EmbeddedFont | None:
    """An @font-face rule for `FAMILY` with a subset of the CJK font covering `chars`; None without a font.

    `part`: `chars` is one part of a report's characters (`wanted_chars`, split): the subset holds them only and
    the rule says so (`unicode-range`), so rules for the other parts, made at the same time, complete it."""
    source = source or find_cjk_font()
    if source is None:
        return None
    want = {c for c in chars if c.isprintable() and c != " "} if part else wanted_chars(chars)
    data, missing = _subset(source.path, "".join(sorted(want)))
    b64 = base64.b64encode(data).decode("ascii")
    limit = f" unicode-range: {unicode_range(want)};" if part else ""
    css = (f"@font-face {{ font-family: '{FAMILY}'; font-style: normal; font-weight: 400 700; "
           f"font-display: block; src: url(data:font/woff;base64,{b64}) format('woff');{limit} }}")
    return EmbeddedFont(css, source.credit, len(data), missing)


def joined(fonts: list[EmbeddedFont]) -> EmbeddedFont:
    """One font of the parts' rules (`embed_font(…, part=True)`)."""
    return EmbeddedFont("\n".join(f.css for f in fonts), fonts[0].credit, sum(f.size for f in fonts),
                        tuple(sorted({c for f in fonts for c in f.missing})))
