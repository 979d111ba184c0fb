"""People: named persons with a role (placeholder until the extractor lands)."""
from __future__ import annotations

from ..model import Person


def find_people(text: str) -> list[Person]:
    return []
