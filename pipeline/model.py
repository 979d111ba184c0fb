"""Plain data classes passed between stages, and the schema version of `plans.jsonl`.

Every stage takes and returns these; nothing here knows how they are produced.
Field names follow `DATASET.md` (contract `plan/1`).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

SCHEMA = "plan/1"


@lru_cache(maxsize=None)
def _public_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if not f.metadata.get("internal"))


def to_dict(obj: Any) -> Any:
    """Dataclass (or list/dict of them) -> JSON-ready value, fields in declaration order."""
    if hasattr(obj, "__dataclass_fields__"):
        return {name: to_dict(getattr(obj, name)) for name in _public_fields(type(obj))}
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


def internal(default: Any = None, factory: Any = None) -> Any:
    """A field that travels between stages but is not written to `plans.jsonl`."""
    if factory is not None:
        return field(default_factory=factory, metadata={"internal": True}, repr=False, compare=False)
    return field(default=default, metadata={"internal": True}, repr=False, compare=False)


# ---------------------------------------------------------------- ingest -> split


@dataclass
class Block:
    """A paragraph-level unit of an extracted file text: `text[start:end]` is one line.

    `kind` is `paragraph`, `heading` (from a heading style), `list_item` (Word numbering) or
    `table_row` (cells joined by tabs; `cells` holds their spans, `table` numbers the table in the file,
    `merged` the columns whose cell is merged with the one above — a rowspan — and so written there, left empty).
    """

    start: int
    end: int
    kind: str = "paragraph"
    level: int | None = None
    marker: str | None = None
    table: int | None = None
    cells: list[tuple[int, int]] | None = None
    merged: list[int] | None = None


@dataclass
class RawText:
    """What a reader returns: the file's plain text (paragraphs joined by `\\n`) and its layout.

    Text read by OCR sets `ocr` and lists its lines as `ocr_lines` (start, end, confidence in 0..1)."""

    text: str
    format: str
    encoding: str | None = None
    blocks: list[Block] = field(default_factory=list)
    ocr: bool = False
    ocr_lines: list[tuple[int, int, float]] = field(default_factory=list)

    def ocr_source(self, start: int, end: int, low: float) -> tuple[bool, float | None, list[list[int]]]:
        """For the plan at `text[start:end]`: (read by OCR, mean confidence of its OCR lines weighted by
        length, spans in the plan's text of the lines below confidence `low`)."""
        if not self.ocr:
            return False, None, []
        lines = [(a, b, c) for a, b, c in self.ocr_lines if start <= a and b <= end and b > a]
        chars = sum(b - a for a, b, _ in lines)
        mean = round(sum((b - a) * c for a, b, c in lines) / chars, 3) if chars else None
        return True, mean, [[a - start, b - start] for a, b, c in lines if c < low]


# ---------------------------------------------------------------- plan and items


@dataclass
class Source:
    path: str
    part: int
    parts: int
    span: list[int]
    format: str
    encoding: str | None
    sha256: str
    ocr: bool = False
    ocr_confidence: float | None = None
    ocr_flagged: list[list[int]] = field(default_factory=list)


@dataclass
class Section:
    id: str
    parent: str | None
    level: int
    marker: str
    heading: str
    kind: str
    start: int
    end: int
    src_start: int | None = None
    src_end: int | None = None
    # between stages only: the heading names a part whose items are not actions (整顿重点, 活动范围)
    no_tasks: bool = internal(False)
    # between stages only: the marker's type (models/cues/marker_types.txt), `hN` for a heading style
    marker_type: str = internal("")


@dataclass
class DateItem:
    text: str
    kind: str
    value: str | None
    first_day: str | None
    last_day: str | None
    year_inferred: bool
    start: int
    end: int
    inconsistent: bool = False
    src_start: int | None = None
    src_end: int | None = None


@dataclass
class Task:
    id: str
    section: str | None
    path: list[str]
    title: str
    text: str
    owners: list[str]
    co_owners: list[str]
    phase: int | None
    deadline: dict | None
    start: int
    end: int
    src_start: int | None = None
    src_end: int | None = None


@dataclass
class Phase:
    order: int
    name: str
    time_text: str | None
    first_day: str | None
    last_day: str | None
    inconsistent: bool
    start: int
    end: int
    section: str | None = None
    src_start: int | None = None
    src_end: int | None = None


@dataclass
class Person:
    name: str
    role: str | None
    group: str | None
    title: str | None
    start: int
    end: int
    src_start: int | None = None
    src_end: int | None = None


@dataclass
class Amount:
    value: float
    upto: float | None
    unit: str


@dataclass
class Rule:
    text: str
    modality: str
    condition: str | None
    consequence: str | None
    amounts: list[Amount]
    subject: str | None
    start: int
    end: int
    src_start: int | None = None
    src_end: int | None = None


@dataclass
class Plan:
    """One plan document: the unit of `plans.jsonl`."""

    schema: str
    plan_id: str
    source: Source
    script: str
    title: str | None
    doc_number: str | None
    issuer: str | None
    issue_date: str | None
    year: int | None
    duplicate_of: str | None
    text: str
    original_text: str
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    dates: list[DateItem] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    # between stages only
    blocks: list[Block] = internal(factory=list)
    signature: Any = internal()

    def to_dict(self) -> dict:
        """The plan as its `plans.jsonl` object: JSON-ready (dicts, lists, str, numbers, None), fields in
        contract order, without the between-stages fields; valid against the shipped JSON Schema."""
        return to_dict(self)


@dataclass
class FileError:
    """Why a file gave no plans: a code of `errors.CODES` and a message; for an `internal_error`, the stage it
    happened in and the last frames of its traceback."""

    path: str
    code: str
    message: str
    stage: str | None = None
    trace: str | None = None

    def as_dict(self) -> dict:
        """The manifest's entry for it (`stage` and `trace` only when there are)."""
        out = {"path": self.path, "code": self.code, "message": self.message}
        out.update({k: v for k, v in (("stage", self.stage), ("trace", self.trace)) if v})
        return out


@dataclass
class FileResult:
    """What processing one input file gives: its plans, or the error that stopped it."""

    path: str
    format: str | None
    encoding: str | None
    sha256: str | None
    size: int
    plans: list[Plan] = field(default_factory=list)
    error: FileError | None = None
    seconds: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------- worker -> cache -> writers


@dataclass
class PlanRecord:
    """One plan as the batch emits it, encoded once where it was extracted: its text id, its sentence signature
    (a list of CRC32s; from the cache an Arrow list read when the run asks for it, `signature_of`) and its
    `plans.jsonl` line with the run-level values left out (`slots`: where `plan_id`, `source.path` and
    `duplicate_of` go, `emit.jsonl.fill_line`)."""

    id: str
    line: bytes
    slots: tuple[int, int, int]
    signature: Any = None


def signature_of(record: PlanRecord) -> frozenset[int]:
    sig = record.signature
    return frozenset(sig.as_py() if hasattr(sig, "as_py") else sig)


@dataclass
class FileRecord:
    """What the batch needs of one input file, from a worker, the cache or the previous dataset: the file's
    facts, its error or its plans, and the plans' table fragments (`emit.tables.Fragment` by table name, encoded
    in the worker; None for plans kept from a previous dataset, encoded by the writer)."""

    path: str
    format: str | None
    encoding: str | None
    sha256: str | None
    bytes: int | None
    error: FileError | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    plans: list[PlanRecord] = field(default_factory=list)
    tables: dict[str, Any] | None = None
    kept_plans: list[dict] | None = internal()  # plans kept from the previous dataset, as `plans.jsonl` has them
