"""Run the flow over files: ingest -> normalize -> split -> (segment -> structure -> extract) -> emit.

`process_file(path)` turns one file into a `FileResult` (its plans, or the error that stopped it); it never
raises for bad input. `run(inputs, out)` maps it over every input file in a stable order and streams the
plans to `plans.jsonl`, assigning the run-level fields on the way: `plan_id` (unique in the run) and
`duplicate_of` (the earlier plan whose sentences this one shares, see `split.signature`). `add(inputs, out)` does
the same over the previous dataset's inputs and these, keeping the others as the dataset has them.

Both are silent (progress goes to a callback, `Progress`) and return a `RunResult`; `cli.py` prints. A run that
finds no usable input writes nothing, so an existing dataset stays as it was.
"""
from __future__ import annotations

import gc
import glob
import hashlib
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import __version__, engines, ingest, settings
from .cache import ContentCache, file_sha256, fingerprint
from .emit import FORMATS, atomic_write
from .emit.jsonl import dict_line, fill_line, line_template
from .emit.manifest import write_manifest
from .errors import CODES, EXIT_NOTHING, EXIT_OK, EXIT_SOME_FAILED, InputError
from .ingest.detect import EXTENSIONS
from .extract.dates import find_dates, uses_roc_years
from .extract.metadata import find_metadata
from .extract.people import find_people
from .extract.phases import find_phases
from .extract.rules import find_rules
from .extract.tasks import find_tasks
from .offsets import OffsetMap
from .segment import pos_tags, segment, tokenizer, word_tag
from .structure import build_sections
from .model import SCHEMA, Block, FileError, FileResult, Plan, RawText, Source, to_dict
from .normalize import normalize, to_simplified
from .script import detect_script
from .split import signature, similarity, split_plans

TOOL = "plans-pipeline"


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
    return isinstance(manifest, dict) and (manifest.get("tool") or {}).get("name") == TOOL


def _is_report(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return REPORT_MARK in f.read(4096)
    except OSError:
        return False


def process_file(path: Path | str) -> FileResult:
    """One input file -> its plans (each `plan_id` its text id; no other run-level field), or the error that
    stopped it."""
    path = Path(path)
    name = display_path(path)
    res = FileResult(path=name, format=None, encoding=None, sha256=None, size=0)
    t0 = time.perf_counter()
    try:
        raw, sha, size = ingest.read_file(path)
        res.format, res.encoding, res.sha256, res.size = raw.format, raw.encoding, sha, size
        res.seconds = {"ingest": time.perf_counter() - t0}
        res.plans = plans_in(raw, name, sha, res.seconds)
    except InputError as e:
        res.error = FileError(name, e.code, str(e))
    except Exception as e:  # a defect on this file must not stop the batch
        res.error = FileError(name, "internal_error", f"{type(e).__name__}: {e}")
    return res


def plans_in(raw: RawText, name: str, sha: str, seconds: dict[str, float] | None = None) -> list[Plan]:
    """A file's decoded text -> its plans, extracted and grounded (`plan_id` is the text id); raises
    `InputError` (`no_plan`) when it holds none. `seconds` accumulates the time of each step."""
    seconds = {} if seconds is None else seconds
    t1 = time.perf_counter()
    converted = to_simplified(raw.text)
    spans = split_plans(converted)
    found = []
    for part, (s, e) in enumerate(spans, 1):
        original = raw.text[s:e]
        text, offsets = normalize(original, converted[s:e])
        plan = Plan(
            schema=SCHEMA, plan_id=text_id(text),
            source=Source(name, part, len(spans), [s, e], raw.format, raw.encoding, sha,
                          *raw.ocr_source(s, e, settings.OCR_LOW_CONFIDENCE)),
            script=detect_script(original), title=None, doc_number=None, issuer=None, issue_date=None,
            year=None, duplicate_of=None, text=text, original_text=original,
        )
        plan.blocks = _blocks_in_plan(raw.blocks, s, e, offsets)
        plan.signature = signature(text)
        found.append((plan, offsets))
    seconds["normalize"] = seconds.get("normalize", 0.0) + time.perf_counter() - t1
    for plan, offsets in found:
        extract_fields(plan, seconds)
        ground(plan, offsets)
    return [plan for plan, _ in found]


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


def extract_fields(plan: Plan, seconds: dict[str, float] | None = None) -> None:
    """Fill the extracted fields of one plan; every extractor reads the same normalized text (and the one
    segmentation of it). `seconds` accumulates the time of each step."""
    seconds = {} if seconds is None else seconds
    clock = time.perf_counter
    text = plan.text
    t = clock()

    def lap(step: str) -> None:
        nonlocal t
        now = clock()
        seconds[step] = seconds.get(step, 0.0) + now - t
        t = now

    roc = uses_roc_years(text)
    meta = find_metadata(text, roc)
    plan.title, plan.doc_number, plan.issuer, plan.issue_date, plan.year = (
        meta.title, meta.doc_number, meta.issuer, meta.issue_date, meta.year)
    lap("metadata")
    plan.sections = build_sections(text, plan.blocks)
    lap("structure")
    plan.dates = find_dates(text, plan.year, roc)
    lap("dates")
    plan.phases = find_phases(text, plan.sections, plan.year, roc)
    plan.tasks = find_tasks(text, plan.sections, plan.phases, plan.dates, plan.blocks, plan.title)
    lap("tasks")
    seg = segment(text)  # once per plan, after t2s; extractors that need words share it
    lap("segment")
    plan.people = find_people(text)
    lap("people")
    plan.rules = find_rules(text, seg)
    lap("rules")


def ground(plan: Plan, offsets: OffsetMap) -> None:
    """Give every extracted item `src_start`/`src_end` into `original_text`."""
    for items in (plan.sections, plan.tasks, plan.phases, plan.dates, plan.people, plan.rules):
        for item in items:
            item.src_start, item.src_end = offsets.span(item.start, item.end)


def process_for_run(path: str) -> dict:
    """Worker of a run: one file -> a plain record (picklable, cacheable): the file's facts, its error or its
    plans, and what the run needs to emit them without redoing any of it: each plan's text-hash id and
    near-duplicate signature and its `plans.jsonl` line with stand-ins for the run-level values
    (`emit.jsonl.line_template`). `process_chunk` adds the plans' table fragments (`emit.tables.encode`)."""
    res = process_file(Path(path))
    plans = [to_dict(p) for p in res.plans]
    return {
        "path": res.path, "format": res.format, "encoding": res.encoding, "sha256": res.sha256, "bytes": res.size,
        "error": {"code": res.error.code, "message": res.error.message} if res.error else None,
        "seconds": res.seconds,
        "plans": plans,
        "ids": [p["plan_id"] for p in plans],
        "signatures": [sorted(p.signature or ()) for p in res.plans],
        "lines": [line_template(p) or p for p in plans],  # the plan itself if its text holds a stand-in
        "tables": None,
    }


def text_id(text: str) -> str:
    """A plan's id from its text: `p-` and 12 hex digits of its SHA-256 (the run adds `-2`, … to copies)."""
    return "p-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


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


@dataclass
class _Registry:
    """Run-level identity: unique plan ids and near-duplicate lookup over the plans seen so far.

    A plan whose text was seen before is a duplicate of its first copy, found by its id alone; only plans with
    new text are compared by signature (and indexed), so a corpus full of copies costs no more than its
    distinct plans."""

    ids: set = field(default_factory=set)
    first: dict = field(default_factory=dict)      # text hash id -> plan id of its first copy
    sigs: list = field(default_factory=list)       # signatures of the distinct plans, in run order
    sig_ids: list = field(default_factory=list)    # their plan ids
    index: dict = field(default_factory=lambda: defaultdict(list))
    duplicates: int = 0

    def assign(self, base: str, signature: Callable[[], frozenset]) -> tuple[str, str | None]:
        """The next plan's `plan_id` (its text id `base`, unique in the run) and `duplicate_of`, in run order;
        `signature()` gives its sentence signature, asked for only when its text is new to the run."""
        if base in self.first:  # the same text seen before is a duplicate whatever its length
            pid, n = base, 1
            while pid in self.ids:
                n += 1
                pid = f"{base}-{n}"
            dup = self.first[base]
        else:
            pid = base
            self.first[base] = pid
            sig = signature()
            dup = self._nearest(sig)
            k = len(self.sigs)
            self.sigs.append(sig)
            self.sig_ids.append(pid)
            for h in sig:
                self.index[h].append(k)
        self.ids.add(pid)
        self.duplicates += dup is not None
        return pid, dup

    def _nearest(self, sig: frozenset) -> str | None:
        """The earlier distinct plan most similar to `sig`, if at least `DUPLICATE_THRESHOLD` alike."""
        shared: dict[int, int] = defaultdict(int)
        for h in sig:
            for j in self.index[h][:1000]:
                shared[j] += 1
        best, best_sim = None, 0.0
        for j, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:20]:
            sim = similarity(sig, self.sigs[j])
            if sim > best_sim:
                best, best_sim = j, sim
        return self.sig_ids[best] if best is not None and best_sim >= settings.DUPLICATE_THRESHOLD else None


@dataclass
class _Source:
    """One input of a run: a file to read or, for `add`, an input of the previous dataset kept as it was there
    (`sha`: the content the dataset holds; `kept`: its record rebuilt from the dataset, when neither the cache
    nor the file on disk still has that content)."""

    path: Path
    name: str
    sha: str | None = None
    kept: dict | None = None


def _records(sources: list[_Source], cache: ContentCache | None, jobs: int, engine: str,
             scheduler: str | None) -> Iterator[tuple[dict, str]]:
    """(record, origin) for every source in order; origin is `cache` (the content was seen by this pipeline
    version), `processed` (computed by the engine in chunks, `process_chunk`) or `dataset` (kept from the previous
    dataset as it was)."""
    shas = [s.sha if s.sha or s.kept is not None else file_sha256(s.path) if cache else None for s in sources]
    hit = [bool(s.kept is None and cache and sha and cache.has(sha)) for s, sha in zip(sources, shas)]
    misses = [str(s.path) for s, h in zip(sources, hit) if not h and s.kept is None]
    little = _bytes(misses) < settings.COMPACT_DICTIONARY_MAX_BYTES  # a few new files: start fast, one process
    pool = engine != "dask" and jobs > 1 and len(misses) > 1 and not little
    forked = pool and engines.forks()
    if misses and engine != "dask" and (forked or not pool):
        warm(compact=little)  # this process does the work, or forks the workers that share what it loaded
    chunks = _chunks(misses, jobs)
    if engine == "dask":
        computed = engines.dask(process_chunk, chunks, scheduler, jobs)
    elif pool:
        computed = engines.processes(process_chunk, chunks, min(jobs, len(chunks)),
                                     initializer=partial(_start_worker, not forked))
    else:
        computed = engines.serial(process_chunk, chunks)
    fresh = (record for chunk in computed for record in split_chunk(chunk))
    for source, sha, h in zip(sources, shas, hit):
        if source.kept is not None:
            yield source.kept, "dataset"
            continue
        record = cache.get(sha) if h else None
        if record is not None:
            record["path"] = source.name  # the same content may sit at another path
            yield record, "cache"
            continue
        record = next(fresh) if not h else next(split_chunk(process_chunk([str(source.path)])))
        record["path"] = source.name
        if cache and record["sha256"] and not record["error"]:
            cache.put(record["sha256"], record)
        yield record, "processed"


def _start_worker(load: bool) -> None:
    """A worker process: Ctrl-C is the parent's to handle (it stops the run and reports it once), and the models
    are loaded unless the worker was forked from a parent that had them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if load:
        warm()


CHUNK_FILES, CHUNK_BYTES = 8, 1 << 20


def _chunks(paths: list[str], jobs: int) -> list[list[str]]:
    """Consecutive runs of up to `CHUNK_FILES` files (fewer when there are few files per worker) and about
    `CHUNK_BYTES`: a worker's unit of work."""
    most = max(1, min(CHUNK_FILES, len(paths) // (4 * max(jobs, 1))))
    chunks, size = [], 0
    for p in paths:
        n = _bytes([p])
        if not chunks or len(chunks[-1]) >= most or size + n > CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(p)
        size += n
    return chunks


def process_chunk(paths: list[str]) -> dict:
    """Worker of a run: some files -> their records (`process_for_run` without the plan dicts) and the table
    fragments of all their plans, encoded at once (Arrow costs per call, not per row) and sent back as one set of
    arrays; `split_chunk` gives each record its slice."""
    from .emit.tables import encode

    records = [process_for_run(p) for p in paths]
    plans = [plan for r in records for plan in r.pop("plans")]
    t = time.perf_counter()
    fragments = encode(plans) if plans else None
    if records:
        records[-1]["seconds"] = {**(records[-1]["seconds"] or {}), "encode": time.perf_counter() - t}
    return {"records": records, "tables": fragments}


def split_chunk(chunk: dict) -> Iterator[dict]:
    """The records of a `process_chunk` result, each with its plans' table fragments (zero-copy slices)."""
    from .emit.tables import slice_fragments

    at = 0
    for record in chunk["records"]:
        n = len(record["lines"])
        if n and chunk["tables"] is not None:
            record["tables"] = slice_fragments(chunk["tables"], at, at + n)
        at += n
        yield record


def _bytes(paths: list[str]) -> int:
    total = 0
    for p in paths:
        try:
            total += os.path.getsize(p)
        except OSError:
            pass
    return total


class UsageError(ValueError):
    """A run that cannot start as asked (an output folder that is a file, options that do nothing together, `add`
    without a dataset…): raised before anything is read or written."""


@dataclass(frozen=True)
class Progress:
    """What `run` reports as it goes, to its `progress` callback: `kind` is `start` (`total` inputs to go
    through), `file` (one more done; `error` when it failed) or `error` (an input that names nothing)."""

    kind: str
    done: int = 0
    total: int = 0
    error: FileError | None = None


@dataclass
class RunResult:
    """What `run` or `add` did: the exit code, whether the dataset under `out` was written (a run that found no
    usable input leaves it as it was), and the run's facts (`manifest`, also when it was not written)."""

    code: int
    out: Path
    written: bool
    manifest: dict

    @property
    def counts(self) -> dict:
        return self.manifest["counts"]

    @property
    def failed(self) -> int:
        """Inputs that failed: files with an error and inputs that named nothing."""
        return len(self.manifest["errors"]) - self.manifest["counts"].get("kept_errors", 0)

    def summary(self) -> dict:
        """The run in short, JSON-ready (what `plans run --json` prints)."""
        m = self.manifest
        return {"exit_code": self.code, "out": display_path(self.out), "written": self.written,
                "command": m["config"]["command"], "formats": m["config"]["formats"], "counts": m["counts"],
                "errors": m["errors"], "skipped": m["skipped"]}


def check_options(out: Path, formats=None, jobs: int | None = None, engine: str = "local",
                  scheduler: str | None = None) -> tuple[str, ...]:
    """Refuse, before any work, what cannot be done or would do nothing (`UsageError`); the formats to write, in
    canonical order."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {display_path(out)}: exists and is not a folder")
    parent = out
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise UsageError(f"--out {display_path(out)}: {display_path(parent)} is not a folder")
    if parent.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"--out {display_path(out)}: cannot write in {display_path(parent)}")
    chosen = FORMATS if formats is None else tuple(formats)
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(f"--formats: {'unknown ' + ', '.join(map(repr, unknown)) if unknown else 'none given'} "
                         f"(choose from {','.join(FORMATS)})")
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if engine not in ("local", "dask"):
        raise UsageError(f"--engine {engine!r}: choose local or dask")
    if scheduler and engine != "dask":
        raise UsageError("--scheduler is for --engine dask (the local engine would ignore it)")
    return tuple(f for f in FORMATS if f in chosen)


class _NothingUsable(Exception):
    """Raised inside the writing block when no input gave a plan: every temporary file is dropped."""


class _InterruptGuard:
    """Holds Ctrl-C (SIGINT) back while the dataset's files are renamed into place and completed, so an interrupt
    leaves either the previous dataset or the new one, never a mix; `release` then raises it."""

    def __init__(self):
        self.caught = False
        self.previous = None

    def hold(self) -> None:
        if threading.current_thread() is threading.main_thread() and self.previous is None:
            self.previous = signal.signal(signal.SIGINT, self._note)

    def _note(self, signum, frame) -> None:
        self.caught = True

    def release(self, raise_caught: bool = True) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
            self.previous = None
        if self.caught and raise_caught:
            self.caught = False
            raise KeyboardInterrupt("after the dataset was written")


def run(inputs: list[str], out: Path, *, jobs: int | None = None, engine: str = "local",
        scheduler: str | None = None, use_cache: bool = True, formats=None,
        progress: Callable[[Progress], None] | None = None) -> RunResult:
    """Process every input file and write the dataset under `out`, mirroring exactly these inputs.

    `jobs`: worker processes (default: the machine's cores); `engine`: `local` or `dask` (`scheduler`: a
    dask.distributed address, else a LocalCluster); `use_cache`: skip files whose content this pipeline version
    has processed before (cache under `out`); `formats`: which of `FORMATS` to write (default all); `progress`:
    called with a `Progress` as the run goes. Silent: prints nothing. Raises `UsageError` before any work for
    options that cannot be honoured. A run that finds no usable input leaves `out` as it was (exit code 3)."""
    return _run(inputs, out, jobs=jobs, engine=engine, scheduler=scheduler, use_cache=use_cache, formats=formats,
                progress=progress, add=False)


def add(inputs: list[str], out: Path, *, jobs: int | None = None, engine: str = "local",
        scheduler: str | None = None, use_cache: bool = True, formats=None,
        progress: Callable[[Progress], None] | None = None) -> RunResult:
    """Add the input files to the dataset under `out`: new files join it, a file at a path the dataset has is
    updated, every other input of the dataset is kept as the dataset has it; ids and `duplicate_of` are assigned
    again over the whole, so the dataset is what one `run` over all of its inputs would write. `formats` defaults
    to those of the dataset. Raises `UsageError` when `out` holds no dataset; exit code 3 (dataset untouched) when
    no input gives a plan; otherwise 1 when some of these inputs failed."""
    return _run(inputs, out, jobs=jobs, engine=engine, scheduler=scheduler, use_cache=use_cache, formats=formats,
                progress=progress, add=True)


def _run(inputs, out, *, jobs, engine, scheduler, use_cache, formats, progress, add) -> RunResult:
    started = time.time()
    t0 = time.perf_counter()
    out = Path(out)
    previous = _previous_dataset(out) if add else None
    if formats is None and previous is not None:
        formats = previous["manifest"].get("config", {}).get("formats")
    formats = check_options(out, formats, jobs, engine, scheduler)
    jobs = jobs or os.cpu_count() or 1
    notify = progress or (lambda event: None)
    found = find_inputs(inputs, exclude=[out])
    errors = list(found.missing)
    for err in errors:
        notify(Progress("error", error=err))
    sources = [_Source(f, display_path(f)) for f in found.files]
    cache = ContentCache(out) if use_cache else None
    config_inputs = [display_path(i) for i in inputs]
    skipped = {s.path: s for s in found.skipped}
    if previous is not None:
        named = {s.name for s in sources}
        kept = _kept_sources(previous, named, out, cache)
        sources = sorted(sources + kept, key=lambda s: s.name)
        config_inputs = [*previous["manifest"].get("config", {}).get("inputs", []), *config_inputs]
        for s in previous["manifest"].get("skipped", []):
            skipped.setdefault(s["path"], Skipped(s["path"], s["reason"]))
    fresh_names = {display_path(f) for f in found.files}
    registry = _Registry()
    entries: list[dict] = []
    stage_seconds: dict[str, float] = defaultdict(float)
    n_plans = n_fresh = cached = kept_errors = 0
    table_rows: dict[str, int] = {}
    written = False
    xlsx_note = "not written"
    notify(Progress("start", total=len(sources)))
    guard = _InterruptGuard()
    created = not out.exists()
    scratch = None
    completed = False
    try:
        if found.files:
            out.mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix=".plans-run-", dir=out))
            try:
                jsonl, tables = _write_plans(sources, cache, jobs, engine, scheduler, out, scratch, formats,
                                             registry, entries, errors, stage_seconds, notify, fresh_names,
                                             guard, found.walked_images, skipped)
            except _NothingUsable:
                pass
            else:
                written = True
                table_rows = tables
                n_plans = sum(e["plans"] for e in entries)
                te = time.perf_counter()
                xlsx_note = _write_rest(out, scratch, jsonl, formats, n_plans, use_cache)
                stage_seconds["database"] += time.perf_counter() - te
        n_plans = sum(e["plans"] for e in entries)
        n_fresh = sum(e["plans"] for e in entries if e["path"] in fresh_names)
        cached = sum(1 for e in entries if e["cached"])
        kept_errors = sum(1 for e in entries if e["error"] and e["path"] not in fresh_names)
        ok = written and n_fresh > 0
        fresh_errors = [e for e in errors if e.path in fresh_names or e.code == "not_found"]
        if not found.files and not found.missing and not found.skipped:
            fresh_errors.append(FileError(display_path(" ".join(inputs)), "not_found", "no input files"))
            errors.append(fresh_errors[-1])
        code = EXIT_NOTHING if not ok else EXIT_SOME_FAILED if fresh_errors else EXIT_OK
        manifest = {
            "schema": SCHEMA,
            "tool": {"name": TOOL, "version": __version__, "fingerprint": fingerprint()},
            "config": {"command": "add" if add else "run", "inputs": config_inputs, "out": display_path(out),
                       "formats": list(formats), "duplicate_threshold": settings.DUPLICATE_THRESHOLD,
                       "jobs": jobs, "engine": engine, "cache": use_cache},
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
            "inputs": entries,
            "skipped": [{"path": s.path, "reason": s.reason} for s in sorted(skipped.values(), key=lambda s: s.path)],
            "counts": {"files": len(entries), "files_failed": sum(1 for e in entries if e["error"]),
                       "files_cached": cached, "files_skipped": len(skipped),
                       "inputs_not_found": sum(1 for e in errors if e.code == "not_found"),
                       "plans": n_plans, "duplicates": registry.duplicates, "kept_errors": kept_errors},
            "tables": table_rows,
            "xlsx": xlsx_note,
            "errors": [{"path": e.path, "code": e.code, "message": e.message} for e in errors],
            "timings": {"total_seconds": round(time.perf_counter() - t0, 4),
                        "stages_seconds": {k: round(v, 4) for k, v in stage_seconds.items()}},
            "exit_code": code,
        }
        if written:
            write_manifest(out / "manifest.json", manifest)
            if cache is not None:
                cache.prune()
        completed = True
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        if created and not written and out.is_dir():
            _remove_empty(out)
        guard.release(raise_caught=completed)
    return RunResult(code, out, written, manifest)


IMAGE_WITHOUT_PLAN = {"no_plan", "empty", "corrupt_image"}  # what skips an image met while walking


def _write_plans(sources, cache, jobs, engine, scheduler, out, scratch, formats, registry, entries, errors,
                 stage_seconds, notify, fresh_names, guard, walked_images=frozenset(),
                 skipped=None) -> tuple[Path, dict[str, int]]:
    """Stream every source's plans to `plans.jsonl` and the Parquet/CSV tables (renamed into place together at
    the end); (the jsonl path, rows per table). Raises `_NothingUsable`, writing nothing, when no input given to
    this run yields a plan. From the end of the loop on, Ctrl-C waits (`guard`) until the dataset is complete."""
    from .emit.tables import TableWriter

    jsonl = out / "plans.jsonl" if "jsonl" in formats else scratch / "plans.jsonl"
    table_formats = tuple(f for f in ("parquet", "csv") if f in formats)
    if "duckdb" in formats and "parquet" not in formats:
        table_formats += ("parquet",)
    dirs = {"csv": out, "parquet": out if "parquet" in formats else scratch}
    fresh = 0
    with atomic_write(jsonl, "wb") as f, TableWriter(out, table_formats, dirs) as tables:
        for done, (record, origin) in enumerate(_records(sources, cache, jobs, engine, scheduler), 1):
            if origin == "processed":
                for k, v in record["seconds"].items():
                    stage_seconds[k] += v
            te = time.perf_counter()
            name = record["path"]
            values = []
            sigs = record["signatures"]
            plans = []
            for k, (base, line) in enumerate(zip(record["ids"], record["lines"])):
                pid, dup = registry.assign(base, lambda: frozenset(sigs[k]))
                if isinstance(line, dict):
                    plans.append(line)
                    line = dict_line({**line, "plan_id": pid, "duplicate_of": dup,
                                      "source": {**line["source"], "path": name}}).encode("utf-8")
                else:
                    line = fill_line(line, pid, dup, name)
                f.write(line + b"\n")
                values.append({"plan_id": pid, "duplicate_of": dup, "source_path": name})
            if record["tables"]:
                tables.add(record["tables"], values)
            elif values:  # plans kept from the previous dataset (or holding a stand-in): encoded here
                tables.add_plans(plans, values)
            stage_seconds["emit"] += time.perf_counter() - te
            if name in fresh_names:
                fresh += len(values)
            err = record["error"]
            if err and name in walked_images and err["code"] in IMAGE_WITHOUT_PLAN and skipped is not None:
                skipped[name] = Skipped(name, f"an image with no plan in it ({err['code']})")
                notify(Progress("file", done, len(sources), None))
                continue
            entries.append({"path": name, "sha256": record["sha256"], "format": record["format"],
                            "encoding": record["encoding"], "bytes": record["bytes"], "plans": len(values),
                            "error": err["code"] if err else None, "cached": origin == "cache",
                            "kept": name not in fresh_names})
            error = FileError(name, err["code"], err["message"]) if err else None
            if error:
                errors.append(error)
            notify(Progress("file", done, len(sources), error if name in fresh_names else None))
        if not fresh:
            raise _NothingUsable
        guard.hold()
        te = time.perf_counter()
        tables.flush()  # the last plans' tables: encoded and written here, renamed into place with plans.jsonl
        stage_seconds["emit"] += time.perf_counter() - te
    return jsonl, tables.counts()


def _write_rest(out: Path, scratch: Path, jsonl: Path, formats: tuple[str, ...], n_plans: int,
                use_cache: bool) -> str:
    """The workbook and the database from what `_write_plans` wrote; outputs of formats not chosen are removed
    (they would be stale). What the manifest says of the workbook."""
    from .emit.database import DATABASE, write_database
    from .emit.tables import table_specs, write_workbook

    note = "not written (--formats)"
    if "xlsx" in formats:
        if n_plans <= settings.XLSX_MAX_PLANS:
            write_workbook(jsonl, out)
            note = "plans.xlsx"
        else:
            note = (f"skipped: {n_plans} plans > {settings.XLSX_MAX_PLANS} (PLANS_XLSX_MAX_PLANS); open the CSV "
                    "files or plans.duckdb")
    if "duckdb" in formats:
        previous_db = _previous_database(out) if use_cache else None
        write_database(out, previous=previous_db, tables_dir=out if "parquet" in formats else scratch)
    stale = [] if "xlsx" in formats and note == "plans.xlsx" else ["plans.xlsx"]
    for fmt, names in (("jsonl", ["plans.jsonl"]), ("duckdb", [DATABASE]),
                       ("parquet", [f"{s.name}.parquet" for s in table_specs() if "parquet" in s.formats]),
                       ("csv", [f"{s.name}.csv" for s in table_specs() if "csv" in s.formats])):
        if fmt not in formats:
            stale += names
    for name in stale:
        (out / name).unlink(missing_ok=True)
    return note


def _remove_empty(folder: Path) -> None:
    """Remove a folder this run created and left empty (a cache folder with nothing in it counts as empty)."""
    for sub in sorted(folder.rglob("*"), key=lambda p: -len(p.parts)):
        if sub.is_dir():
            try:
                sub.rmdir()
            except OSError:
                return
    try:
        folder.rmdir()
    except OSError:
        pass


def _previous_dataset(out: Path) -> dict:
    """The dataset `add` adds to: its manifest and where its plans are; `UsageError` when there is none."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{display_path(out)}: no dataset to add to (run `plans run … --out "
                         f"{display_path(out)}` first)") from None
    except (OSError, ValueError) as e:
        raise UsageError(f"{display_path(out)}/manifest.json: unreadable ({e})") from None
    if not isinstance(manifest, dict) or (manifest.get("tool") or {}).get("name") != TOOL:
        raise UsageError(f"{display_path(out)}: manifest.json was not written by plans")
    if manifest.get("schema") != SCHEMA:
        raise UsageError(f"{display_path(out)}: schema {manifest.get('schema')!r}, not {SCHEMA!r}: run `plans run` "
                         "over all of its inputs")
    return {"manifest": manifest}


def _kept_sources(previous: dict, named: set[str], out: Path, cache: ContentCache | None) -> list[_Source]:
    """The previous dataset's inputs that this `add` does not name, as sources: read from the cache when it has
    their content, else from the file when it is unchanged, else rebuilt from the dataset's `plans.jsonl` (failed
    inputs keep their error). `UsageError` when none of these has a kept input's plans."""
    manifest = previous["manifest"]
    messages = {e["path"]: e for e in manifest.get("errors", [])}
    kept, need = [], {}
    for entry in manifest.get("inputs", []):
        if entry["path"] in named:
            continue
        source = _Source(Path(entry["path"]), entry["path"], entry.get("sha256"))
        if entry.get("error"):
            err = messages.get(entry["path"], {})
            source.kept = _kept_record(entry, [], {"code": entry["error"], "message": err.get("message", "")})
        elif not (cache and source.sha and cache.has(source.sha)) and file_sha256(source.path) != source.sha:
            need[entry["path"]] = (source, entry)
        kept.append(source)
    if need:
        lines: dict[str, list[dict]] = defaultdict(list)
        jsonl = out / "plans.jsonl"
        if jsonl.is_file():
            with open(jsonl, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        plan = json.loads(line)
                        path = (plan.get("source") or {}).get("path")
                        if path in need:
                            lines[path].append(plan)
        lost = [p for p, (_, entry) in need.items() if len(lines.get(p, ())) != entry.get("plans")]
        if lost:
            raise UsageError(f"{display_path(out)}: cannot keep {len(lost)} input(s) ({lost[0]}…): neither the cache, "
                             "the file nor plans.jsonl has their plans; run `plans run` over all inputs")
        for path, (source, entry) in need.items():
            source.kept = _kept_record(entry, lines[path], None)
    return kept


def _kept_record(entry: dict, plans: list[dict], error: dict | None) -> dict:
    """A record like `process_for_run`'s from a previous dataset's manifest entry and `plans.jsonl` lines."""
    return {"path": entry["path"], "format": entry.get("format"), "encoding": entry.get("encoding"),
            "sha256": entry.get("sha256"), "bytes": entry.get("bytes"), "error": error, "seconds": {},
            "ids": [text_id(p["text"]) for p in plans], "signatures": _Signatures(plans), "lines": plans,
            "tables": None}


class _Signatures:
    """`sigs[k]`: the sentence signature of plan k, computed when the run asks for it (only for new texts)."""

    def __init__(self, plans: list[dict]):
        self.plans = plans

    def __getitem__(self, k: int) -> list[int]:
        return sorted(signature(self.plans[k]["text"]))


def _previous_database(out: Path) -> Path | None:
    """The run's last `plans.duckdb`, if this pipeline version built it and its run completed (the manifest,
    written last, is not older than it): a re-run updates it rather than loading every table again."""
    db, manifest = out / "plans.duckdb", out / "manifest.json"
    try:
        if db.stat().st_mtime > manifest.stat().st_mtime:
            return None
        previous = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return db if (previous.get("tool") or {}).get("fingerprint") == fingerprint() else None
