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

MAX_FILE_BYTES = int(os.environ.get("PLANS_MAX_FILE_BYTES", 32 * 1024 * 1024))
# .docx: refuse archives that would inflate beyond this, or with an absurd compression ratio
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_ZIP_MEMBERS = 5000

# near-duplicate plans: Jaccard similarity of their sets of sentences (see split.signature)
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
