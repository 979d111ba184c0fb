"""`manifest.json`: the facts of a run — versions, config, inputs with sha256, counts, errors, timings."""
from __future__ import annotations

import json
from pathlib import Path

from . import atomic_write


def write_manifest(path: Path, manifest: dict) -> None:
    with atomic_write(path) as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")
