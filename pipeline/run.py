"""Run the flow over files: ingest -> normalize -> split -> (segment -> structure -> extract) -> emit.

`process_file(path)` turns one file into a `FileResult` (its plans, or the error that stopped it); it never
raises for bad input. `run(inputs, out)` maps it over every input file in a stable order and streams the
plans to `plans.jsonl`, assigning the run-level fields on the way: `plan_id` (unique in the run) and
`duplicate_of` (the earlier plan whose sentences this one shares, see `split.signature`).
"""
from __future__ import annotations

import gc
import glob
import hashlib
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, engines, ingest, settings
from .cache import ContentCache, file_sha256, fingerprint
from .emit import atomic_write
from .emit.jsonl import dict_line, fill_line, line_template
from .emit.manifest import write_manifest
from .errors import CODES, InputError
from .extract.dates import find_dates, uses_roc_years
from .extract.metadata import find_metadata
from .extract.people import find_people
from .extract.phases import find_phases
from .extract.rules import find_rules
from .extract.tasks import find_tasks
from .offsets import OffsetMap
from .segment import pos_tags, segment, tokenizer, word_tag
from .structure import build_sections
from .model import SCHEMA, Block, FileError, FileResult, Plan, Source, to_dict
from .normalize import normalize, to_simplified
from .script import detect_script
from .split import signature, similarity, split_plans

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3


def display_path(path: Path | str) -> str:
    """A path as text safe to print and store: control characters escaped."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in str(path))


def find_inputs(inputs: list[str]) -> tuple[list[Path], list[FileError]]:
    """Files named by `inputs` (files, folders walked recursively, glob patterns), sorted, each once."""
    found: dict[str, Path] = {}
    missing = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if not name.startswith("."):
                        f = Path(root, name)
                        found.setdefault(str(f), f)
        elif p.exists() or p.is_symlink():
            found.setdefault(str(p), p)
        else:
            matches = sorted(glob.glob(item, recursive=True)) if glob.has_magic(item) else []
            files = [Path(m) for m in matches if not Path(m).is_dir()]
            for m in matches:
                if Path(m).is_dir():
                    files += find_inputs([m])[0]
            if not files:
                missing.append(FileError(display_path(item), "not_found", CODES["not_found"]))
            for f in files:
                found.setdefault(str(f), f)
    return sorted(found.values(), key=lambda f: str(f)), missing


def process_file(path: Path) -> FileResult:
    """One input file -> its plans (without run-level fields), or the error that stopped it."""
    name = display_path(path)
    res = FileResult(path=name, format=None, encoding=None, sha256=None, size=0)
    clock = time.perf_counter
    t0 = clock()
    try:
        raw, sha, size = ingest.read_file(path)
        res.format, res.encoding, res.sha256, res.size = raw.format, raw.encoding, sha, size
        t1 = clock()
        converted = to_simplified(raw.text)
        spans = split_plans(converted)
        for part, (s, e) in enumerate(spans, 1):
            original = raw.text[s:e]
            text, offsets = normalize(original, converted[s:e])
            plan = Plan(
                schema=SCHEMA, plan_id="",
                source=Source(name, part, len(spans), [s, e], raw.format, raw.encoding, sha,
                              *raw.ocr_source(s, e, settings.OCR_LOW_CONFIDENCE)),
                script=detect_script(original), title=None, doc_number=None, issuer=None, issue_date=None,
                year=None, duplicate_of=None, text=text, original_text=original,
            )
            plan.blocks = _blocks_in_plan(raw.blocks, s, e, offsets)
            plan.signature = signature(text)
            res.plans.append((plan, offsets))
        t2 = clock()
        res.seconds = {"ingest": t1 - t0, "normalize": t2 - t1}
        for plan, offsets in res.plans:
            extract_fields(plan, res.seconds)
            ground(plan, offsets)
        res.plans = [plan for plan, _ in res.plans]
    except InputError as e:
        res.error = FileError(name, e.code, str(e))
    except Exception as e:  # a defect on this file must not stop the batch
        res.error = FileError(name, "internal_error", f"{type(e).__name__}: {e}")
    return res


def _blocks_in_plan(blocks: list[Block], start: int, end: int, offsets: OffsetMap) -> list[Block]:
    """The file's layout blocks inside a plan, moved into the plan's normalized-text offsets."""
    inverse = offsets.inverse()
    out = []
    for b in blocks:
        if start <= b.start and b.end <= end:
            ns, ne = inverse(b.start - start), inverse(b.end - start)
            cells = [(inverse(cs - start), inverse(ce - start)) for cs, ce in b.cells] if b.cells else None
            out.append(Block(ns, ne, b.kind, b.level, b.marker, b.table, cells))
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
    plan.tasks = find_tasks(text, plan.sections, plan.phases, plan.dates, plan.blocks)
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
        "ids": [text_id(p["text"]) for p in plans],
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


def _records(files: list[Path], cache: ContentCache | None, jobs: int, engine: str,
             scheduler: str | None) -> Iterator[tuple[dict, bool]]:
    """(record, from_cache) for every file in input order: cached records where the content was seen
    by this pipeline version, the others computed by the engine in chunks (`process_chunk`)."""
    shas = [file_sha256(f) if cache else None for f in files]
    hit = [bool(cache and sha and cache.has(sha)) for sha in shas]
    misses = [str(f) for f, h in zip(files, hit) if not h]
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
                                     initializer=None if forked else warm)
    else:
        computed = engines.serial(process_chunk, chunks)
    fresh = (record for chunk in computed for record in split_chunk(chunk))
    for path, sha, h in zip(files, shas, hit):
        record = cache.get(sha) if h else None
        if record is not None:
            record["path"] = display_path(path)  # the same content may sit at another path
            yield record, True
            continue
        record = next(fresh) if not h else next(split_chunk(process_chunk([str(path)])))
        if cache and record["sha256"] and not record["error"]:
            cache.put(record["sha256"], record)
        yield record, False


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


def run(inputs: list[str], out: Path, quiet: bool = False, jobs: int | None = None, engine: str = "local",
        scheduler: str | None = None, use_cache: bool = True) -> tuple[int, dict]:
    """Process every input file, write the dataset under `out`; (exit code, manifest).

    `jobs`: worker processes (default: the machine's cores); `engine`: `local` or `dask` (`scheduler`: a
    dask.distributed address, else a LocalCluster); `use_cache`: skip files whose content this pipeline
    version has processed before (cache under `out`)."""
    started = time.time()
    t0 = time.perf_counter()
    out = Path(out)
    jobs = jobs or os.cpu_count() or 1
    files, missing = find_inputs(inputs)
    registry = _Registry()
    entries, errors = [], list(missing)
    stage_seconds: dict[str, float] = defaultdict(float)
    n_plans = cached = 0
    for err in missing:
        _report(err, quiet)
    cache = ContentCache(out) if use_cache else None
    previous_db = _previous_database(out) if use_cache else None
    progress = _Progress(len(files), quiet)
    from .emit.tables import TableWriter

    with atomic_write(out / "plans.jsonl", "wb") as f, TableWriter(out) as tables:
        for record, from_cache in _records(files, cache, jobs, engine, scheduler):
            cached += from_cache
            if not from_cache:
                for k, v in record["seconds"].items():
                    stage_seconds[k] += v
            te = time.perf_counter()
            name = record["path"]
            values = []
            sigs = record["signatures"]
            for k, (base, line) in enumerate(zip(record["ids"], record["lines"])):
                pid, dup = registry.assign(base, lambda: frozenset(sigs[k]))
                if isinstance(line, dict):
                    line = dict_line({**line, "plan_id": pid, "duplicate_of": dup,
                                      "source": {**line["source"], "path": name}}).encode("utf-8")
                else:
                    line = fill_line(line, pid, dup, name)
                f.write(line + b"\n")
                values.append({"plan_id": pid, "duplicate_of": dup, "source_path": name})
            if record["tables"]:
                tables.add(record["tables"], values)
            stage_seconds["emit"] += time.perf_counter() - te
            n_plans += len(values)
            err = record["error"]
            entries.append({"path": name, "sha256": record["sha256"], "format": record["format"],
                            "encoding": record["encoding"], "bytes": record["bytes"], "plans": len(values),
                            "error": err["code"] if err else None, "cached": from_cache})
            if err:
                errors.append(FileError(name, err["code"], err["message"]))
                progress.write(_error_line(errors[-1]))
            progress.update()
        te = time.perf_counter()
        tables.flush()  # the last plans' tables: encoded and written here, renamed into place with plans.jsonl
        stage_seconds["emit"] += time.perf_counter() - te
    progress.close()
    table_rows = tables.counts()
    te = time.perf_counter()
    from .emit.database import write_database  # duckdb loads only once the plans are written
    from .emit.tables import table_specs, write_workbook

    table_rows.update({s.name: 0 for s in table_specs() if s.name not in table_rows})
    xlsx = n_plans <= settings.XLSX_MAX_PLANS
    if xlsx:
        write_workbook(out / "plans.jsonl", out)
    else:
        (out / "plans.xlsx").unlink(missing_ok=True)  # a workbook from an earlier run would be stale
    write_database(out, previous=previous_db)
    stage_seconds["database"] += time.perf_counter() - te
    failed = sum(1 for e in entries if e["error"])
    if not files and not missing:
        errors.append(FileError(display_path(" ".join(inputs)), "not_found", "no input files"))
    if n_plans == 0:
        code = EXIT_NOTHING
    elif errors:
        code = EXIT_SOME_FAILED
    else:
        code = EXIT_OK
    manifest = {
        "schema": SCHEMA,
        "tool": {"name": "plans-pipeline", "version": __version__, "fingerprint": fingerprint()},
        "config": {"inputs": [display_path(i) for i in inputs], "out": display_path(out),
                   "duplicate_threshold": settings.DUPLICATE_THRESHOLD, "jobs": jobs, "engine": engine,
                   "cache": use_cache},
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "inputs": entries,
        "counts": {"files": len(entries), "files_failed": failed, "files_cached": cached, "plans": n_plans,
                   "duplicates": registry.duplicates},
        "tables": table_rows,
        "xlsx": "plans.xlsx" if xlsx else f"skipped: {n_plans} plans > {settings.XLSX_MAX_PLANS} "
                                          "(PLANS_XLSX_MAX_PLANS); open the CSV files or plans.duckdb",
        "errors": [{"path": e.path, "code": e.code, "message": e.message} for e in errors],
        "timings": {"total_seconds": round(time.perf_counter() - t0, 4),
                    "stages_seconds": {k: round(v, 4) for k, v in stage_seconds.items()}},
        "exit_code": code,
    }
    write_manifest(out / "manifest.json", manifest)
    if not quiet:
        print(f"plans: {n_plans} plans from {len(entries) - failed}/{len(entries)} files ({cached} cached) -> "
              f"{display_path(out)} ({failed} failed)", file=sys.stderr)
    return code, manifest


def _previous_database(out: Path) -> Path | None:
    """The run's last `plans.duckdb`, if this pipeline version built it and its run completed (the manifest,
    written last, is not older than it): a re-run updates it rather than loading every table again."""
    import json

    db, manifest = out / "plans.duckdb", out / "manifest.json"
    try:
        if db.stat().st_mtime > manifest.stat().st_mtime:
            return None
        previous = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return db if (previous.get("tool") or {}).get("fingerprint") == fingerprint() else None


class _Progress:
    """A progress bar (files/s, ETA) when stderr is a terminal; otherwise a log line every ~10 s."""

    def __init__(self, total: int, quiet: bool):
        self.total, self.quiet, self.done = total, quiet, 0
        self.t0 = self.last = time.perf_counter()
        self.bar = None
        if not quiet and sys.stderr.isatty() and total > 1:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True)

    def update(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update()
        elif not self.quiet and time.perf_counter() - self.last >= 10 and self.done < self.total:
            self.last = now = time.perf_counter()
            rate = self.done / (now - self.t0)
            print(f"plans: {self.done}/{self.total} files, {rate:.1f} files/s, "
                  f"ETA {(self.total - self.done) / rate:.0f} s", file=sys.stderr)

    def write(self, line: str) -> None:
        """Errors always go to stderr, above the bar when there is one."""
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _error_line(err: FileError) -> str:
    return f"plans: error: {err.path}: [{err.code}] {err.message}"


def _report(err: FileError, quiet: bool) -> None:
    # errors go to stderr even when quiet: they are the point
    print(_error_line(err), file=sys.stderr)
