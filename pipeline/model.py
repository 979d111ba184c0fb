"""Plain data classes passed between stages, and the schema version of `plans.jsonl`.

Every stage takes and returns these; nothing here knows how they are produced. Field names follow `DATASET.md`
(contract `plan/1`); each field of the contract carries its description and extra JSON Schema keywords
(`doc(...)`), and the contract's enumerations are `Literal` types: `emit/fields.py` reads them for the JSON
Schema, the data dictionary and the tables, so what a field means is written once, here.
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache
from typing import Any, Literal

SCHEMA = "plan/1"

PLAN_ID_PATTERN = r"^p-[0-9a-f]{12}(-[0-9]+)?$"
DAY_PATTERN = r"^([0-9]{4}|XXXX)-[0-9]{2}-[0-9]{2}$"  # a day, `XXXX` for an unknown year

# the contract's enumerations: the JSON Schema, the extractors and the report read them from here
Script = Literal["simplified", "traditional", "mixed"]
SourceFormat = Literal["txt", "docx", "html", "pdf", "doc", "wps", "rtf", "odt", "xlsx", "xls", "image"]
SectionKind = Literal["guidance", "principles", "goals", "tasks", "steps", "safeguards", "organization",
                      "requirements", "other"]
DateKind = Literal["date", "range", "deadline", "duration", "set"]
Modality = Literal["prohibition", "obligation", "sanction", "reward"]


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


def doc(text: str, default: Any = MISSING, factory: Any = MISSING, schema: dict | None = None) -> Any:
    """A field of the contract with its description (`emit/fields.py` reads it for the JSON Schema, the data
    dictionary and the tables) and extra JSON Schema keywords (`schema`: a pattern, bounds)."""
    meta = {"doc": text, "schema": schema or {}}
    if factory is not MISSING:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


def item_start() -> Any:
    return doc("Start offset of the item in the plan's `text`.", schema={"minimum": 0})


def item_end() -> Any:
    return doc("End offset (exclusive) of the item in the plan's `text`.", schema={"minimum": 0})


def item_src_start() -> Any:
    return doc("Start offset of the item in the plan's `original_text`; absent or null when not mapped.",
               default=None, schema={"minimum": 0})


def item_src_end() -> Any:
    return doc("End offset (exclusive) of the item in the plan's `original_text`; absent or null when not "
               "mapped.", default=None, schema={"minimum": 0})


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
    """Where a plan was found."""

    path: str = doc("Input file path as given to the run (control characters escaped).")
    part: int = doc("Number of this plan among the plans of the file, from 1.", schema={"minimum": 1})
    parts: int = doc("Number of plans found in the file.", schema={"minimum": 1})
    span: list[int] = doc(
        "`[start, end)` character offsets of the plan in the file's decoded text (for .docx/.pdf/.html: in the "
        "extracted plain text, paragraphs joined by `\\n`).",
        schema={"minItems": 2, "maxItems": 2, "items": {"type": "integer", "minimum": 0}},
    )
    format: SourceFormat = doc(
        "Detected format (from the content, else the extension): `txt`, `docx`, `html` (also saved pages such "
        "as .aspx, .php, .mht), `pdf`, `doc`, `wps`, `rtf`, `odt` (converted by LibreOffice and read as "
        ".docx), `xlsx`, `xls` (task-list sheets) or `image` (read by OCR)."
    )
    encoding: str | None = doc(
        "Detected text encoding (`utf-8`, `gb18030`, `big5`, …); null for formats without one."
    )
    sha256: str = doc("SHA-256 of the file's bytes (hex).", schema={"pattern": "^[0-9a-f]{64}$"})
    ocr: bool = doc(
        "True when the plan's text (or part of it) was read by OCR: a photo or scan, or scanned PDF pages.",
        default=False,
    )
    ocr_confidence: float | None = doc(
        "Mean OCR confidence (0–1) of the plan's OCR lines, weighted by their length; null when no OCR was "
        "used.",
        default=None, schema={"minimum": 0, "maximum": 1},
    )
    ocr_flagged: list[list[int]] = doc(
        "`[start, end)` spans in the plan's `original_text` of OCR lines read with low confidence (below 0.8): "
        "kept in the text, to be checked.",
        factory=list,
        schema={"items": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "integer", "minimum": 0}}},
    )


@dataclass
class Section:
    """A heading of the plan's heading tree."""

    id: str = doc("Section id, unique in the plan (`s1`, `s2`, …).")
    parent: str | None = doc("`id` of the enclosing section; null at top level.")
    level: int = doc("Depth in the tree, 1 = top level.", schema={"minimum": 1})
    marker: str = doc(
        "Enumeration marker as written: `一、`, `（一）`, `1.`, `(1)`, `①`, `一是`, `第一阶段`, …."
    )
    heading: str = doc("Heading text without its marker.")
    kind: SectionKind = doc(
        "Role of the section: `guidance`, `principles`, `goals`, `tasks`, `steps`, `safeguards`, "
        "`organization`, `requirements` or `other`."
    )
    start: int = item_start()
    end: int = item_end()
    src_start: int | None = item_src_start()
    src_end: int | None = item_src_end()
    # between stages only: the heading names a part whose items are not actions (整顿重点, 活动范围)
    no_tasks: bool = internal(False)
    # between stages only: the marker's type (models/cues/marker_types.txt), `hN` for a heading style
    marker_type: str = internal("")


@dataclass
class DateItem:
    """A temporal expression."""

    text: str = doc("The expression as written, markers included (`6月底前`).")
    kind: DateKind = doc("`date`, `range`, `deadline`, `duration` or `set` (after TIMEX3 DATE / DURATION / SET).")
    value: str | None = doc(
        "EDTF value (`2021-03-24`, `2021-03`, `2021-03-01/2021-03-10`, `XXXX-03-08`) or, for a duration or "
        "set, an ISO 8601 duration (`P3M`)."
    )
    first_day: str | None = doc(
        "Inclusive first day, `YYYY-MM-DD` (`XXXX` year when unknown); null for deadlines, durations and sets.",
        schema={"pattern": DAY_PATTERN},
    )
    last_day: str | None = doc(
        "Inclusive last day, as `first_day`; null for durations and sets.",
        schema={"pattern": DAY_PATTERN},
    )
    year_inferred: bool = doc("True when the year came from the plan's `year`, not from the expression.")
    start: int = item_start()
    end: int = item_end()
    inconsistent: bool = doc("True when a range's stated end precedes its start.", default=False)
    src_start: int | None = item_src_start()
    src_end: int | None = item_src_end()


@dataclass
class Deadline:
    """A deadline an item states: the date (`…前完成`, `截至…`, a `完成时限` cell) that bounds it."""

    text: str = doc("The deadline as written (`6月底前`).")
    value: str | None = doc("EDTF value: the deadline day (`2021-06-30`), or the date as stated after a "
                            "`完成时限` label.")
    last_day: str | None = doc("The last day, ISO `YYYY-MM-DD` (`XXXX` year when unknown).",
                               schema={"pattern": DAY_PATTERN})


@dataclass
class Task:
    """An actionable item of the plan."""

    id: str = doc("Task id, unique in the plan (`t1`, `t2`, …).")
    section: str | None = doc("`id` of the section holding the task; null when none.")
    path: list[str] = doc('Markers from the top section down to the item, e.g. `["二", "（二）", "3"]`.')
    title: str = doc("Lead phrase of the item, up to the first `。`/`：`/`;`, marker removed.")
    text: str = doc("The whole item: `text[start:end]`.")
    owners: list[str] = doc(
        "Responsible units or people, one name each, from explicit assignment only (`责任科室`, `牵头单位`, "
        "`由…负责`, task-table columns) or inherited from the enclosing section."
    )
    co_owners: list[str] = doc("Co-operating units (`配合单位`, `协办`).")
    phase: int | None = doc(
        "`order` of the phase the item belongs to; null when it sits under no phase.",
        schema={"minimum": 1},
    )
    deadline: Deadline | None = doc("Deadline stated by the item; null when none.")
    start: int = item_start()
    end: int = item_end()
    src_start: int | None = item_src_start()
    src_end: int | None = item_src_end()


@dataclass
class Phase:
    """A stage of the plan's timeline (`动员部署阶段（3月）`)."""

    order: int = doc("Position of the phase in the plan, from 1.", schema={"minimum": 1})
    name: str = doc("Heading without its marker and time.")
    time_text: str | None = doc("The time as written (`3月`, `3月1日——3月7日`); null when none.")
    first_day: str | None = doc(
        "First day, ISO `YYYY-MM-DD`, `XXXX` for an unknown year; null when not stated.",
        schema={"pattern": DAY_PATTERN},
    )
    last_day: str | None = doc(
        "Last day (inclusive), as `first_day`.",
        schema={"pattern": DAY_PATTERN},
    )
    inconsistent: bool = doc("True when the stated end precedes the stated start (both kept as written).")
    start: int = doc("Start offset of the phase heading in `text`.", schema={"minimum": 0})
    end: int = doc("End offset (exclusive) of the phase heading in `text`.", schema={"minimum": 0})
    section: str | None = doc("`id` of the section that is this phase, when there is one.", default=None)
    src_start: int | None = item_src_start()
    src_end: int | None = item_src_end()


@dataclass
class Person:
    """A named person with a role."""

    name: str = doc("Name without spaces (`王 伟` is `王伟`).")
    role: str | None = doc("Role as written: `组长`, `副组长`, `成员`, `办公室主任`, `联络员`, …")
    group: str | None = doc("The group the role is in (`领导小组`); null when none.")
    title: str | None = doc("Job title stated with the name (`党委书记`, `院长`); null when none.")
    start: int = item_start()
    end: int = item_end()
    src_start: int | None = item_src_start()
    src_end: int | None = item_src_end()


@dataclass
class Amount:
    """An amount stated by a rule: `扣50至100元` is value 50, upto 100, unit 元."""

    value: float = doc("The amount (the lower bound of a range).")
    upto: float | None = doc("Upper bound of a range; null for a single amount.")
    unit: str = doc("Unit as written (`元`, `分`, …).")


@dataclass
class Rule:
    """A normative sentence (to `。`/`；`)."""

    text: str = doc("The sentence: `text[start:end]`.")
    modality: Modality = doc(
        "`prohibition`, `obligation`, `sanction` or `reward`; a mixed sentence takes the first of sanction, "
        "reward, prohibition, obligation."
    )
    condition: str | None = doc("The condition stated (`凡评议结果属于差档次的`); null when none.")
    consequence: str | None = doc("The consequence stated; null when none.")
    amounts: list[Amount] = doc("Money or other amounts stated by the rule.")
    subject: str | None = doc("Who the rule binds (`医务人员`); null when not stated.")
    start: int = item_start()
    end: int = item_end()
    src_start: int | None = item_src_start()
    src_end: int | None = item_src_end()


@dataclass
class Plan:
    """One plan document: one line of `plans.jsonl`."""

    schema: str = doc("Schema version of the line, `plan/1`.", schema={"const": SCHEMA})
    plan_id: str = doc(
        "Stable id: `p-` + the first 12 hex digits of the SHA-256 of the normalized text; an exact copy later "
        "in the same run gets `-2`, `-3`, ….",
        schema={"pattern": PLAN_ID_PATTERN},
    )
    source: Source = doc("Where the plan was found.")
    script: Script = doc(
        "Script of the original text: `simplified`, `traditional` or `mixed` (traditional when ≥ 90 % of the "
        "script-specific characters are traditional-only, simplified when ≤ 10 %)."
    )
    title: str | None = doc(
        "The plan's own title line (simplified script); null when it has none (a `篇N` header is not a title)."
    )
    doc_number: str | None = doc("发文字号 as written, e.g. `某卫字〔2021〕8号`; null when not stated.")
    issuer: str | None = doc("Issuing body; null when not stated.")
    issue_date: str | None = doc(
        "Issue date, day precision only, ISO `YYYY-MM-DD`; null when not stated.",
        schema={"pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    )
    year: int | None = doc(
        "Reference year used to complete dates that omit the year; null when the plan gives none (then such "
        "dates keep `XXXX`).",
        schema={"minimum": 1, "maximum": 9999},
    )
    duplicate_of: str | None = doc(
        "`plan_id` of an earlier plan in the same run with (near-)identical text; null otherwise.",
        schema={"pattern": PLAN_ID_PATTERN},
    )
    text: str = doc(
        "Normalized text: traditional converted to simplified, reading annotations and web boilerplate "
        "removed. Every item's `start`/`end` are offsets into this text."
    )
    original_text: str = doc("This plan's text as decoded from the file (`source.span` of the file's text).")
    sections: list[Section] = doc("The heading tree, flat: each section names its `parent`.", factory=list)
    tasks: list[Task] = doc(
        "Actionable items: the lowest enumerated items of task, measure, step or safeguard sections.",
        factory=list,
    )
    phases: list[Phase] = doc("Stages of the plan's timeline.", factory=list)
    dates: list[DateItem] = doc(
        "Every temporal expression (TIMEX3-like: date, range, deadline, duration, set).",
        factory=list,
    )
    people: list[Person] = doc("Named persons with a role; one entry per (name, role).", factory=list)
    rules: list[Rule] = doc("Normative sentences: prohibitions, obligations, sanctions, rewards.", factory=list)
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
    # an input the previous dataset holds unchanged: where its share lies there (`emit.shares.Share`); its plans
    # then carry only their ids and signatures, their lines and rows are copied from the previous files
    share: Any = internal()
