"""Inputs: the files a run reads, from what the user named — `find_inputs(inputs, exclude) -> Inputs`.

Files, folders (walked recursively) and glob patterns; documents only when walking (by their extension:
`ingest.detect.EXTENSIONS`), never the run's own output folder, another dataset written by plans or a report of
`plans compare`. Paths are kept as text safe to print and store (`display_path`).
"""
from __future__ import annotations

import glob
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import settings
from .errors import CODES
from .ingest.detect import EXTENSIONS
from .model import FileError


def display_path(path: Path | str) -> str:
    """A path as text safe to print and store: control characters escaped."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in str(path))


@dataclass(frozen=True)
class Skipped:
    """A file or folder met while walking that is not an input: not a document, or written by this pipeline."""

    path: str
    reason: str


@dataclass
class Inputs:
    """What `find_inputs` found: the files to process (sorted), inputs that name nothing, and what was skipped."""

    files: list[Path] = field(default_factory=list)
    missing: list[FileError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    walked_images: set[str] = field(default_factory=set)  # images met while walking: skipped if they hold no plan


REPORT_MARK = b'<meta name="generator" content="plans-pipeline'  # in the head of every report `compare` writes


def find_inputs(inputs: list[str], exclude: list[Path] | tuple = ()) -> Inputs:
    """Files named by `inputs` (files, folders walked recursively, glob patterns), sorted, each once.

    Walking a folder (or expanding a pattern) takes documents only: files of another kind (.csv, .json) are
    skipped (an image is read by OCR, and skipped later if it holds no plan: a logo, a photo), and so are hidden files, the folders in `exclude` (the run's output folder), other datasets this
    pipeline wrote (a folder with its `manifest.json`) and its reports. A file named explicitly is taken whatever
    its kind (it gets its error if it cannot be read), unless this pipeline wrote it."""
    excluded = [Path(x).resolve() for x in exclude]
    found: dict[str, Path] = {}
    res = Inputs()

    def pipeline_output(p: Path, named: bool = False) -> str | None:
        real = p.resolve()
        if any(real == x or x in real.parents for x in excluded):
            return "in the output folder of this run"
        if p.is_dir() and _is_dataset(p):
            return "a dataset written by plans (manifest.json)"
        if named and _is_dataset(p.parent):  # (a walk never enters a dataset's folder)
            return "a file of a dataset written by plans"
        if p.suffix.lower() in (".html", ".htm") and _is_report(p):
            return "a report written by plans compare"
        return None

    def take(p: Path, walked: bool) -> None:
        reason = pipeline_output(p, named=not walked) or (None if not walked or is_document(p) else
                                        f"not a document ({p.suffix.lower() or 'no extension'})")
        if reason:
            res.skipped.append(Skipped(display_path(p), reason))
        else:
            found.setdefault(str(p), p)
            if walked and EXTENSIONS.get(p.suffix.lower()) == "image":
                res.walked_images.add(display_path(p))

    def walk(top: Path) -> None:
        reason = pipeline_output(top)
        if reason:
            res.skipped.append(Skipped(display_path(top), reason))
            return
        for root, dirs, files in os.walk(top):
            keep = []
            for d in sorted(d for d in dirs if not d.startswith(".")):
                reason = pipeline_output(Path(root, d))
                if reason:
                    res.skipped.append(Skipped(display_path(Path(root, d)), reason))
                else:
                    keep.append(d)
            dirs[:] = keep
            for name in files:
                if not name.startswith("."):
                    take(Path(root, name), walked=True)

    for item in inputs:
        p = Path(item)
        if p.is_dir():
            walk(p)
        elif p.exists() or p.is_symlink():
            take(p, walked=False)
        else:
            matches = sorted(glob.glob(item, recursive=True)) if glob.has_magic(item) else []
            if not matches:
                res.missing.append(FileError(display_path(item), "not_found", CODES["not_found"]))
            for m in matches:
                if Path(m).is_dir():
                    walk(Path(m))
                else:
                    take(Path(m), walked=True)
    res.files = sorted(found.values(), key=lambda f: str(f))
    res.skipped = sorted(set(res.skipped), key=lambda s: s.path)
    return res


def is_document(path: Path) -> bool:
    """Whether a file's name says it is a document: a format the readers take, or one they refuse with a hint
    (.doc, .wps, .rtf: the user should hear about those)."""
    ext = path.suffix.lower()
    return ext in EXTENSIONS


def _is_dataset(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and (manifest.get("tool") or {}).get("name") == settings.TOOL


def _is_report(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return REPORT_MARK in f.read(4096)
    except OSError:
        return False
