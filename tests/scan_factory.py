"""Make "scans" for tests and the bench: a plan's lines drawn on a page image with a CJK font, as a photo
(.png / .jpg) or as a scanned PDF (pages as images, no text layer).

The font is Noto Sans SC from the `pylopdf-fonts-zh-cn` package (a project dependency; it also holds the
traditional characters). Pages are A4 at 150 dpi: a title centred, paragraphs indented by two characters and
wrapped at the right margin, light grey noise and a slight blur so the OCR does not read clean vector text.
"""
from __future__ import annotations

import io
import random
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

WIDTH, HEIGHT, MARGIN = 1240, 1754, 110  # A4 at 150 dpi
BODY, TITLE = 30, 40                     # font sizes in pixels (~14 pt and ~19 pt)


@lru_cache(maxsize=None)
def font(size: int) -> ImageFont.FreeTypeFont:
    import pylopdf_fonts_zh_cn

    return ImageFont.truetype(str(Path(pylopdf_fonts_zh_cn.__file__).parent / "NotoSansSC-Regular.otf"), size)


def wrap(text: str, width: int, size: int = BODY, indent: int = 2) -> list[str]:
    """A paragraph -> its lines as drawn at `width` pixels, the first indented by `indent` characters."""
    f, lines, line = font(size), [], "\u3000" * indent
    for ch in text:  # closing punctuation never starts a line: it hangs in the margin
        if f.getlength(line + ch) > width and line.strip("\u3000") and ch not in "，。、；：？！）》”":
            lines.append(line)
            line = ""
        line += ch
    return lines + [line] if line else lines


def layout(paragraphs: list[str], columns: int = 1) -> list[list[tuple[int, int, str, int]]]:
    """Paragraphs (the first is the title) -> pages of (x, y, line, size); `columns` 2 sets the body in two
    columns under a full-width title. Lines ending a paragraph short of the margin show where it ends."""
    gutter = 90
    col_w = (WIDTH - 2 * MARGIN - gutter * (columns - 1)) // columns
    pages: list[list] = [[]]
    title, body = paragraphs[0], paragraphs[1:]
    tw = font(TITLE).getlength(title)
    pages[0].append((int((WIDTH - tw) / 2), MARGIN, title, TITLE))
    top = MARGIN + int(TITLE * 2.2)
    y, col = top, 0
    step = int(BODY * 1.6)
    for para in body:
        indent = 0 if para.endswith(("办公室", "日")) and len(para) < 16 else 2
        for line in wrap(para, col_w, indent=indent):
            if y + step > HEIGHT - MARGIN:
                col += 1
                y = top if len(pages) == 1 else MARGIN
                if col == columns:
                    pages.append([])
                    col, top = 0, MARGIN
                    y = MARGIN
            pages[-1].append((MARGIN + col * (col_w + gutter), y, line, BODY))
            y += step
    return pages


def render(page: list[tuple[int, int, str, int]], seed: int = 0) -> Image.Image:
    """One laid-out page -> a greyscale image that looks scanned (noise, slight blur)."""
    img = Image.new("L", (WIDTH, HEIGHT), 250)
    draw = ImageDraw.Draw(img)
    for x, y, line, size in page:
        draw.text((x, y), line, font=font(size), fill=20)
    rng = random.Random(seed)
    noise = Image.frombytes("L", (WIDTH // 4, HEIGHT // 4),
                            bytes(rng.randrange(200, 256) for _ in range((WIDTH // 4) * (HEIGHT // 4))))
    img = Image.composite(img, noise.resize((WIDTH, HEIGHT)), Image.new("L", (WIDTH, HEIGHT), 235))
    return img.filter(ImageFilter.GaussianBlur(0.6))


def pages_of(paragraphs: list[str], columns: int = 1) -> list[Image.Image]:
    return [render(p, seed=i) for i, p in enumerate(layout(paragraphs, columns))]


def image_bytes(img: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return buf.getvalue()


def scanned_pdf(images: list[Image.Image]) -> bytes:
    """Page images -> a PDF holding only them (no text layer), as a scanner writes it."""
    buf = io.BytesIO()
    first, *rest = [im.convert("RGB") for im in images]
    first.save(buf, format="PDF", save_all=True, append_images=rest, resolution=150)
    return buf.getvalue()
