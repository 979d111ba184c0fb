"""Limits and locations, in one place; the `PLANS_*` environment variables override some of them."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(name: str, checkout: Path) -> Path:
    """A data folder of the package: `pipeline/<name>/` in an installed wheel (setup.cfg maps the top-level folder
    there), read through importlib.resources; in a source checkout or an editable install, the top-level folder."""
    shipped = resources.files(__package__) / name
    return Path(str(shipped)) if shipped.is_dir() else checkout


MODELS_DIR = Path(os.environ.get("PLANS_MODELS_DIR") or _shipped("models", PACKAGE_DIR.parent / "models"))
SAMPLES_DIR = _shipped("samples", PACKAGE_DIR.parent / "corpora" / "samples")
DEFAULT_OUT = Path("outputs")
TOOL = "plans-pipeline"  # the tool's name in every manifest, and in the reports it writes

MAX_FILE_BYTES = int(os.environ.get("PLANS_MAX_FILE_BYTES", 32 * 1024 * 1024))
# .docx: refuse archives that would inflate beyond this, or with an absurd compression ratio
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_ZIP_MEMBERS = 5000
# every zip member (.docx, .xlsx, .odt) and every web page: refuse what inflates beyond this, whatever the ratio.
# Parsing costs ~8-10x the XML's size in lxml trees, so this keeps one input well under ~1 GB of memory.
MAX_MEMBER_BYTES = int(os.environ.get("PLANS_MAX_MEMBER_BYTES", 32 * 1024 * 1024))
MAX_HTML_BYTES = int(os.environ.get("PLANS_MAX_HTML_BYTES", 16 * 1024 * 1024))
# the text a reader extracts, whatever the format: the later stages take ~200 bytes of memory per character
# (a 3.4 M-character file peaks at ~670 MiB), so this keeps one input under ~1 GB
MAX_TEXT_CHARS = int(os.environ.get("PLANS_MAX_TEXT_CHARS", 4_000_000))

# legacy office formats (.doc .wps .rtf .odt, .xls): LibreOffice headless converts them to .docx.
# PLANS_SOFFICE names the program (default: `soffice` on PATH); a conversion running longer is killed.
SOFFICE = os.environ.get("PLANS_SOFFICE", "soffice")
CONVERT_TIMEOUT = float(os.environ.get("PLANS_CONVERT_TIMEOUT", 120))

# OCR (scanned PDFs, images): pages rendered at this scale of 72 dpi; lines read with a confidence below
# OCR_LOW_CONFIDENCE are kept and listed in `source.ocr_flagged`; images larger than OCR_MAX_PIXELS refused
OCR_SCALE = 2.0
OCR_MAX_SIDE = 2400     # pixels: larger pages and photos are scaled down to this on their longer side
OCR_LOW_CONFIDENCE = 0.8
OCR_MAX_PIXELS = 60_000_000
# a scan of more pages than this reports its progress on stderr (a line every ~10 s); PLANS_OCR_PROGRESS=0: never
OCR_PROGRESS_PAGES = int(os.environ.get("PLANS_OCR_PROGRESS", 5)) or None

# near-duplicate plans: Jaccard similarity of their sets of sentences (see identity.signature)
MIN_SENTENCE = 6
DUPLICATE_THRESHOLD = 0.8

# .pdf: refuse documents with more pages than this (too_large) rather than truncating them
MAX_PDF_PAGES = 2000

# the .xlsx workbook is for spreadsheet users: written for runs up to this many plans (about 50 rows of tables
# per plan; ~100 µs a row to write); larger runs get Parquet, CSV and DuckDB only (noted in the manifest)
XLSX_MAX_PLANS = int(os.environ.get("PLANS_XLSX_MAX_PLANS", 300))

# a run with less than this many bytes of files to process loads jieba's dictionary as a memory-mapped trie
# (ready at once, jieba's own segmentation) rather than as a dict and compiled route (~0.3 s to load, segmentation
# ~5x faster): see segment.tokenizer
COMPACT_DICTIONARY_MAX_BYTES = int(os.environ.get("PLANS_COMPACT_DICTIONARY_MAX_BYTES", 300_000))
