"""OCR, offline: page images -> text lines with confidences (RapidOCR: PP-OCRv4 on onnxruntime).

The detection and recognition models ship inside the `rapidocr-onnxruntime` wheel (~15 MB); nothing is
downloaded at run time. The Chinese recognition model reads traditional script too (see the README for the
comparison with tesseract's chi_sim / chi_tra). Each detected line comes back as a box with its text and a
score; `layout.py` puts the boxes in reading order and rejoins wrapped lines into paragraphs.

Images (.png .jpg .jpeg .tif .bmp .webp) are read with Pillow: EXIF rotation applied, every frame of a
multi-page TIFF a page, sizes bounded. A scanned PDF's pages come from `pdf.py` (rendered by pdfium).
Pages are read one after the other in the worker that reads the file (onnxruntime uses the cores for one
page); a long scan reports its progress on stderr.
"""
from __future__ import annotations

import io
import re
import sys
import time
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .. import settings
from ..errors import InputError
from ..model import Block, RawText
from . import layout
from ..script import WIDE

MIN_SCORE = 0.3        # boxes read with a lower score are noise (specks, stamps); 0.3..0.8 are kept, flagged
# the recogniser puts spaces where glyphs stand apart: none is meant next to a Chinese character or mark
_LOOSE_SPACE = re.compile(f"(?<=[{WIDE}]) +| +(?=[{WIDE}])")


@lru_cache(maxsize=1)
def engine():
    """The RapidOCR engine, loaded once per process (~1.5 s: three ONNX models)."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise InputError("ocr_unavailable", f"rapidocr-onnxruntime cannot be imported ({e}): "
                                            "pip install 'rapidocr-onnxruntime>=1.4,<1.5'") from None
    return RapidOCR(text_score=MIN_SCORE, print_verbose=False)


def read_page(image) -> list[layout.Box]:
    """One page as a Pillow image -> its text boxes (pixel coordinates)."""
    import numpy as np

    rgb = np.asarray(image.convert("RGB"))
    result, _ = engine()(rgb)
    boxes = []
    for points, text, score in result or ():
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        text = _LOOSE_SPACE.sub("", text.strip())
        if text:
            boxes.append(layout.Box(min(xs), min(ys), max(xs), max(ys), text, float(score)))
    return boxes


def read_pages(images: Iterable, fmt: str, count: int | None = None) -> RawText:
    """Page images (an iterable, so a long scan is rendered page by page) -> RawText with one block per
    paragraph, `ocr` set and every line's confidence."""
    lines: list[layout.Line] = []
    progress = Progress(count)
    for k, image in enumerate(images):
        lines += layout.page_lines(read_page(image), page=k)
        progress.update(k + 1)
    paras = layout.paragraphs(lines)
    texts, blocks, ocr_lines, pos = [], [], [], 0
    for para in paras:
        texts.append(para.text)
        blocks.append(Block(pos, pos + len(para.text)))
        ocr_lines += [(pos + a, pos + b, round(conf, 4)) for a, b, conf in para.spans]
        pos += len(para.text) + 1
    return RawText(text="\n".join(texts), format=fmt, encoding=None, blocks=blocks, ocr=True, ocr_lines=ocr_lines)


class Progress:
    """`OCR page 12/100 …` on stderr every ~10 s, for scans of more than `settings.OCR_PROGRESS_PAGES` pages."""

    def __init__(self, total: int | None):
        limit = settings.OCR_PROGRESS_PAGES
        self.on = bool(total and limit and total > limit)
        self.total, self.t0, self.last = total, time.monotonic(), time.monotonic()

    def update(self, done: int) -> None:
        now = time.monotonic()
        if not self.on or (now - self.last < 10 and done < self.total):
            return
        self.last = now
        rate = (now - self.t0) / done
        print(f"plans: OCR page {done}/{self.total} ({rate:.1f} s/page, ETA {rate * (self.total - done):.0f} s)",
              file=sys.stderr, flush=True)


# ---------------------------------------------------------------- image files


def open_image(data: bytes):
    """Bytes of an image file -> its pages as Pillow images (frames of a TIFF), or `corrupt_image` /
    `too_large`."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = settings.OCR_MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        img.verify()  # checks the file's structure; the image must be opened again afterwards
        img = Image.open(io.BytesIO(data))
        frames = getattr(img, "n_frames", 1)
    except Image.DecompressionBombError as e:
        raise InputError("too_large", f"image: {e}") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as e:
        raise InputError("corrupt_image", f"{type(e).__name__}: {str(e)[:160]}") from None
    if img.width * img.height > settings.OCR_MAX_PIXELS:
        raise InputError("too_large", f"image of {img.width}x{img.height} pixels > limit {settings.OCR_MAX_PIXELS:,}")

    def pages() -> Iterator:
        for k in range(frames):
            try:
                img.seek(k)
                page = ImageOps.exif_transpose(img.copy())
                page.load()
            except (OSError, SyntaxError, ValueError, EOFError) as e:
                raise InputError("corrupt_image", f"page {k + 1}: {type(e).__name__}: {str(e)[:160]}") from None
            scale = settings.OCR_MAX_SIDE / max(page.size)
            if scale < 1:
                page = page.resize((round(page.width * scale), round(page.height * scale)))
            yield page

    return pages(), frames


def read_image(data: bytes) -> RawText:
    """Bytes of a photo or scan (.png .jpg .tif .bmp .webp) -> its text by OCR; `no_plan` when none is read."""
    pages, count = open_image(data)
    raw = read_pages(pages, "image", count)
    if not raw.text.strip():
        raise InputError("no_plan", f"OCR read no text in the image ({count} page{'s' * (count != 1)})")
    return raw
