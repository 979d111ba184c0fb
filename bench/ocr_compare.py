"""OCR engines side by side on the same rendered pages: RapidOCR (PP-OCRv4, the pipeline's choice) against
tesseract with Debian's chi_sim / chi_tra models (`apt-get install tesseract-ocr-chi-sim tesseract-ocr-chi-tra`).

    .venv/bin/python bench/ocr_compare.py

Pages are the test plan (`tests/plan_texts.py`) drawn by `tests/scan_factory.py` (A4 at 150 dpi, noise, blur)
in simplified and traditional script, one column and two. For each engine: seconds per page and character
accuracy (difflib ratio of the text without blanks against the truth, reading order included), and for
RapidOCR the pipeline's own reading (`ingest/ocr.py` + `layout.py`: columns, paragraphs rejoined).
"""
from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from plan_texts import PLAN, traditional  # noqa: E402
from scan_factory import pages_of  # noqa: E402


def accuracy(truth: str, text: str) -> float:
    strip = lambda s: "".join(s.split()).replace("\u3000", "")  # noqa: E731
    return difflib.SequenceMatcher(None, strip(truth), strip(text), autojunk=False).ratio()


def tesseract(image, lang: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "page.png")
        image.save(path)
        return subprocess.run(["tesseract", str(path), "-", "-l", lang, "--psm", "3"], capture_output=True,
                              text=True, check=True).stdout


def main() -> None:
    from pipeline.ingest.ocr import engine, read_pages

    engine()  # loaded once, as a worker does
    cases = [("simplified", PLAN, 1, "chi_sim"), ("traditional", traditional(PLAN), 1, "chi_tra"),
             ("simplified 2 columns", PLAN, 2, "chi_sim")]
    have_tesseract = shutil.which("tesseract") is not None
    print("OCR engines on the same rendered page (A4, 150 dpi): seconds per page, character accuracy\n")
    print(f"{'page':24} {'engine':28} {'s/page':>7} {'accuracy':>9}")
    for name, paras, columns, lang in cases:
        image = pages_of(paras, columns=columns)[0]
        truth = "".join(paras)
        t = time.perf_counter()
        raw = read_pages([image], "image", 1)
        dt = time.perf_counter() - t
        print(f"{name:24} {'rapidocr (pipeline)':28} {dt:7.2f} {accuracy(truth, raw.text):9.3f}")
        if have_tesseract:
            for lg in dict.fromkeys([lang, "chi_sim+chi_tra"]):
                t = time.perf_counter()
                text = tesseract(image, lg)
                print(f"{'':24} {'tesseract ' + lg:28} {time.perf_counter() - t:7.2f} {accuracy(truth, text):9.3f}")
    if not have_tesseract:
        print("\n(tesseract not installed: apt-get install tesseract-ocr-chi-sim tesseract-ocr-chi-tra)")


if __name__ == "__main__":
    main()
