"""One file through the flow, stage by stage — `process_file(path) -> FileResult`, `read_plans(path) -> [Plan]`.

    ingest -> normalize -> split -> segment -> structure -> extract (metadata, dates, phases, tasks, people, rules)

`ingest` reads the file into a `RawText`; `normalize` converts script (offset-preserving, so `split` finds the
plans in text of the file's own offsets) and, per plan, cleans clutter with an offset map back to the original;
`split` finds the plans; then each plan is segmented once, its section tree built, and every extractor reads the
same normalized text and words. Each stage's time is kept under its module's name (`FileResult.seconds`, summed
into the manifest's `timings.stages_seconds`, in `STAGES` order). Run-level fields (unique `plan_id`,
`duplicate_of`) are the batch's (`run.py`, `identity.py`); here `plan_id` is the plan's text id.
"""
from __future__ import annotations

import gc
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

from . import ingest, settings
from .errors import InputError
from .extract.dates import find_dates, uses_roc_years
from .extract.metadata import find_metadata
from .extract.people import find_people
from .extract.phases import find_phases
from .extract.rules import find_rules
from .extract.tasks import find_tasks
from .identity import signature, text_id
from .inputs import display_path
from .model import SCHEMA, Block, FileError, FileResult, Plan, RawText, Source
from .normalize import normalize, to_simplified
from .offsets import OffsetMap
from .script import detect_script
from .segment import pos_tags, segment, tokenizer, word_tag
from .split import split_plans
from .structure import build_sections

# the per-file stages in flow order, as `FileResult.seconds` names them (the batch adds encode, emit, database)
STAGES = ("ingest", "normalize", "split", "segment", "structure", "metadata", "dates", "phases", "tasks",
          "people", "rules", "identity")


class _Timer:
    """`with timer("stage"):` adds the block's time to `seconds[stage]`; `timer.stage` is the one running."""

    def __init__(self, seconds: dict[str, float]):
        self.seconds = seconds
        self.stage = "ingest"

    @contextmanager
    def __call__(self, stage: str):
        self.stage = stage
        t = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - t


def process_file(path: Path | str) -> FileResult:
    """One input file -> its plans (each `plan_id` its text id; no other run-level field), or the error that
    stopped it: never raises for bad input, and a defect records the stage it happened in."""
    path = Path(path)
    name = display_path(path)
    res = FileResult(path=name, format=None, encoding=None, sha256=None, size=0)
    timer = _Timer(res.seconds)
    try:
        with timer("ingest"):
            raw, sha, size = ingest.read_file(path)
        res.format, res.encoding, res.sha256, res.size = raw.format, raw.encoding, sha, size
        res.plans = _plans(raw, name, sha, timer)
    except InputError as e:
        res.error = FileError(name, e.code, str(e))
    except Exception as e:  # a defect on this file must not stop the batch
        res.error = FileError(name, "internal_error", f"{type(e).__name__}: {e}", stage=timer.stage,
                              trace=_short_trace(e))
    return res


def read_plans(path: Path | str) -> list[Plan]:
    """One file -> its plans; raises `InputError` (with its code) when the file gives none."""
    res = process_file(path)
    if res.error is not None:
        raise InputError(res.error.code, res.error.message)
    return res.plans


def plans_in(raw: RawText, name: str, sha: str, seconds: dict[str, float] | None = None) -> list[Plan]:
    """A file's decoded text -> its plans, extracted and grounded (`plan_id` is the text id); raises
    `InputError` (`no_plan`) when it holds none. `seconds` accumulates the time of each stage."""
    return _plans(raw, name, sha, _Timer({} if seconds is None else seconds))


def _plans(raw: RawText, name: str, sha: str, timer: _Timer) -> list[Plan]:
    with timer("normalize"):
        converted = to_simplified(raw.text)  # offsets preserved: split's spans are the file's
    with timer("split"):
        spans = split_plans(converted)
    plans = []
    for part, (s, e) in enumerate(spans, 1):
        original = raw.text[s:e]
        with timer("normalize"):
            text, offsets = normalize(original, converted[s:e])
        plan = Plan(
            schema=SCHEMA, plan_id=text_id(text),
            source=Source(name, part, len(spans), [s, e], raw.format, raw.encoding, sha,
                          *raw.ocr_source(s, e, settings.OCR_LOW_CONFIDENCE)),
            script=detect_script(original), title=None, doc_number=None, issuer=None, issue_date=None,
            year=None, duplicate_of=None, text=text, original_text=original,
        )
        plan.blocks = _blocks_in_plan(raw.blocks, s, e, offsets)
        extract(plan, timer)
        ground(plan, offsets)
        with timer("identity"):
            plan.signature = signature(text)
        plans.append(plan)
    return plans


def extract(plan: Plan, timer: _Timer | None = None) -> None:
    """Segment, structure and extract one plan, in flow order: every extractor reads the same normalized text
    and the one segmentation of it."""
    timer = timer or _Timer({})
    text = plan.text
    with timer("segment"):
        seg = segment(text)
    with timer("structure"):
        plan.sections = build_sections(text, plan.blocks)
    with timer("metadata"):
        roc = uses_roc_years(text)
        meta = find_metadata(text, roc)
        plan.title, plan.doc_number, plan.issuer, plan.issue_date, plan.year = (
            meta.title, meta.doc_number, meta.issuer, meta.issue_date, meta.year)
    with timer("dates"):
        plan.dates = find_dates(text, plan.year, roc)
    with timer("phases"):
        plan.phases = find_phases(text, plan.sections, plan.year, roc)
    with timer("tasks"):
        plan.tasks = find_tasks(text, plan.sections, plan.phases, plan.dates, plan.blocks, plan.title)
    with timer("people"):
        plan.people = find_people(text)
    with timer("rules"):
        plan.rules = find_rules(text, seg)


def _blocks_in_plan(blocks: list[Block], start: int, end: int, offsets: OffsetMap) -> list[Block]:
    """The file's layout blocks inside a plan, moved into the plan's normalized-text offsets."""
    inverse = offsets.inverse()
    out = []
    for b in blocks:
        if start <= b.start and b.end <= end:
            ns, ne = inverse(b.start - start), inverse(b.end - start)
            cells = [(inverse(cs - start), inverse(ce - start)) for cs, ce in b.cells] if b.cells else None
            out.append(Block(ns, ne, b.kind, b.level, b.marker, b.table, cells, b.merged))
    return out


def ground(plan: Plan, offsets: OffsetMap) -> None:
    """Give every extracted item `src_start`/`src_end` into `original_text`."""
    for items in (plan.sections, plan.tasks, plan.phases, plan.dates, plan.people, plan.rules):
        for item in items:
            item.src_start, item.src_end = offsets.span(item.start, item.end)


def _short_trace(e: BaseException, frames: int = 4) -> str:
    """The last frames of a defect's traceback, for the manifest (what a bug report needs)."""
    return "".join(traceback.format_exception(type(e), e, e.__traceback__, limit=-frames)).strip()


def warm(compact: bool = False) -> None:
    """Load what every file needs once per process — jieba's dictionary (`compact`: the memory-mapped one, for
    little text) and, for real batches, its POS table and tagger (the people extractor asks them on every
    file) — then move it out of the garbage collector's sight: jieba's 500,000-entry dictionary, scanned by
    every full collection, otherwise doubles the time of segmentation. Workers forked after this share it."""
    tokenizer(compact)
    if not compact:
        word_tag("")
        pos_tags("")
    gc.freeze()
