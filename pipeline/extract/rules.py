"""Rules: normative sentences (placeholder until the extractor lands)."""
from __future__ import annotations

from ..model import Rule


def find_rules(text: str) -> list[Rule]:
    return []
