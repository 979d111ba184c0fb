"""The batch: `run(inputs, out)` takes every input file (`inputs.find_inputs`) through the per-file flow
(`process.process_file`, in worker processes or on Dask, `engines.py`; or from the incremental cache, `cache.py`)
and emits the dataset: it streams the plans to `plans.jsonl` and the tables in input order, assigning the
run-level fields on the way (`identity.Registry`: `plan_id` unique in the run, `duplicate_of`). Workers hand
back typed `FileRecord`s, each plan's line and table fragments already encoded. `add(inputs, out)` does the same
over the previous dataset's inputs and these, keeping the others as the dataset has them.

Both are silent (progress goes to a callback, `Progress`) and return a `RunResult`; `cli.py` prints. A run that
finds no usable input writes nothing, so an existing dataset stays as it was.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from . import __version__, engines, settings
from .cache import ContentCache, file_sha256, fingerprint
from .emit import FORMATS, atomic_write
from .emit.columns import arrow_without_pandas
from .emit.jsonl import fill_line, line_template
from .emit.manifest import write_manifest
from .emit.shares import Share, ShareMap, Splicer, write_map
from .errors import EXIT_NOTHING, EXIT_OK, EXIT_SOME_FAILED
from .identity import Registry, signature, text_id
from .inputs import Skipped, display_path, find_inputs
from .model import SCHEMA, FileError, FileRecord, PlanRecord, signature_of, to_dict
from .process import process_file, warm

def process_for_run(path: str) -> FileRecord:
    """Worker of a run: one file -> its `FileRecord`, with each plan's text id, sentence signature and
    `plans.jsonl` line template; `process_chunk` adds the table fragments (`emit.tables.encode`)."""
    res = process_file(Path(path))
    plans = [to_dict(p) for p in res.plans]
    record = FileRecord(res.path, res.format, res.encoding, res.sha256, res.size, res.error, res.seconds)
    record.plans = [PlanRecord(d["plan_id"], *line_template(d), sorted(p.signature or ()))
                    for d, p in zip(plans, res.plans)]
    record.kept_plans = plans  # until the chunk's tables are encoded
    return record


@dataclass
class _Source:
    """One input of a run: a file to read or, for `add`, an input of the previous dataset kept as it was there
    (`sha`: the content the dataset holds; `kept`: its record rebuilt from the dataset, when neither the cache
    nor the file on disk still has that content)."""

    path: Path
    name: str
    sha: str | None = None
    kept: FileRecord | None = None


def _records(sources: list[_Source], cache: ContentCache | None, jobs: int, engine: str,
             scheduler: str | None, shares: ShareMap | None = None) -> Iterator[tuple[FileRecord, str]]:
    """(record, origin) for every source in order; origin is `cache` (the content was seen by this pipeline
    version), `processed` (computed by the engine in chunks, `process_chunk`) or `dataset` (kept from the previous
    dataset as it was). A cached input the previous dataset holds (`shares`) comes as its `share` alone: its
    ids and signatures, not its lines and fragments (`_full` reads those when they are needed after all)."""
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
        share = shares.get(source.name, sha) if h and shares is not None else None
        if share is not None:
            yield _shared(share), "cache"
            continue
        record = cache.get(sha) if h else None
        if record is not None:
            record.path = source.name  # the same content may sit at another path
            yield record, "cache"
            continue
        record = _put(next(fresh), cache) if not h else _process_one(source.path, cache)
        record.path = source.name
        yield record, "processed"


def _shared(share: Share) -> FileRecord:
    """The record of an input the previous dataset holds: its facts, and its plans' ids and signatures."""
    record = FileRecord(share.name, share.format, share.encoding, share.sha256, share.bytes)
    record.plans = [PlanRecord(pid, b"", (0, 0, 0), share.signatures[k]) for k, pid in enumerate(share.ids)]
    record.share = share
    return record


def _full(record: FileRecord, path: Path, cache: ContentCache) -> FileRecord:
    """The whole record of an input that came as its share (its plans got other run-level values this time):
    from the cache, else processed again."""
    full = cache.get(record.sha256) or _process_one(path, cache)
    full.path = record.path
    return full


def _process_one(path: Path, cache: ContentCache | None) -> FileRecord:
    """One file processed here (its cache entry was unreadable), and cached again."""
    return _put(next(split_chunk(process_chunk([str(path)]))), cache)


def _put(record: FileRecord, cache: ContentCache | None) -> FileRecord:
    if cache and record.sha256 and not record.error:
        cache.put(record.sha256, record)
    return record


def _start_worker(load: bool) -> None:
    """A worker process (which leaves Ctrl-C to the parent, see `engines.processes`) loads the models unless it was
    forked from a parent that had them; its work is the batch's alone (`arrow_without_pandas`)."""
    arrow_without_pandas()
    if load:
        warm()


CHUNK_FILES, CHUNK_BYTES = 8, 1 << 18  # small enough that the last, largest files spread over the workers


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


@dataclass
class Chunk:
    """A worker's result for some consecutive files: their records and the table fragments of all their plans,
    encoded at once (Arrow costs per call, not per row)."""

    records: list[FileRecord]
    tables: dict | None


def process_chunk(paths: list[str]) -> Chunk:
    """Worker of a run: some files -> a `Chunk`; `split_chunk` gives each record its slice of the fragments."""
    from .emit.tables import encode

    records = [process_for_run(p) for p in paths]
    plans = [plan for r in records for plan in r.kept_plans]
    for r in records:
        r.kept_plans = None
    t = time.perf_counter()
    fragments = encode(plans) if plans else None
    if records:
        records[-1].seconds["encode"] = records[-1].seconds.get("encode", 0.0) + time.perf_counter() - t
    return Chunk(records, fragments)


def split_chunk(chunk: Chunk) -> Iterator[FileRecord]:
    """The records of a `Chunk`, each with its plans' table fragments (zero-copy slices)."""
    from .emit.tables import slice_fragments

    at = 0
    for record in chunk.records:
        n = len(record.plans)
        if n and chunk.tables is not None:
            record.tables = slice_fragments(chunk.tables, at, at + n)
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
    registry = Registry()
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
            "tool": {"name": settings.TOOL, "version": __version__, "fingerprint": fingerprint()},
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
            "errors": [e.as_dict() for e in errors],
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
    the end); (the jsonl path, rows per table). An input whose share of the previous dataset is unchanged (same
    content, same run-level values) is copied from the previous files (`emit.shares`), the others encoded; the
    map of where each input's share now lies is written for the next run. Raises `_NothingUsable`, writing
    nothing, when no input given to this run yields a plan. From the end of the loop on, Ctrl-C waits (`guard`)
    until the dataset is complete."""
    from .emit.columns import table_specs
    from .emit.tables import TableWriter

    jsonl = out / "plans.jsonl" if "jsonl" in formats else scratch / "plans.jsonl"
    table_formats = tuple(f for f in ("parquet", "csv") if f in formats)
    if "duckdb" in formats and "parquet" not in formats:
        table_formats += ("parquet",)
    dirs = {"csv": out, "parquet": out if "parquet" in formats else scratch}
    outputs = _shared_outputs(formats, table_specs())
    shares = ShareMap.load(cache.dir, out, outputs) if cache is not None and outputs else None
    previous = None
    if shares is not None:
        previous = {spec.name: {fmt: out / f"{spec.name}.{fmt}" for fmt in table_formats if fmt in spec.formats}
                    for spec in table_specs()}
    paths = {s.name: s.path for s in sources}
    placed: list[Share] = []
    fresh = 0
    with atomic_write(jsonl, "wb") as f, TableWriter(out, table_formats, dirs, previous) as tables:
        lines = Splicer(f, jsonl if shares is not None else None)
        try:
            for done, (record, origin) in enumerate(_records(sources, cache, jobs, engine, scheduler, shares), 1):
                if origin == "processed":
                    for k, v in record.seconds.items():
                        stage_seconds[k] += v
                te = time.perf_counter()
                name = record.path
                assigned = [registry.assign(plan.id, lambda plan=plan: signature_of(plan)) for plan in record.plans]
                pids, dups = [a[0] for a in assigned], [a[1] for a in assigned]
                old = record.share
                if old is not None and (pids != old.plan_ids or dups != old.duplicates):
                    record = _full(record, paths[name], cache)  # the same plans, but other ids this time
                values = [{"plan_id": pid, "duplicate_of": dup, "source_path": name} for pid, dup in assigned]
                start = lines.pos
                if record.share is not None:
                    lines.copy(*old.jsonl)
                    tables.splice(old.tables, partial(shares.chars, row=old.row))
                else:
                    for plan, (pid, dup) in zip(record.plans, assigned):
                        lines.write(fill_line(plan.line, plan.slots, pid, dup, name) + b"\n")
                    if record.tables:
                        tables.add(record.tables, values)
                    elif values:  # plans kept from the previous dataset: encoded here
                        tables.add_plans(record.kept_plans, values)
                if values:
                    placed.append(Share(name, record.sha256, record.format, record.encoding, record.bytes,
                                        [p.id for p in record.plans], pids, dups,
                                        [p.signature for p in record.plans],
                                        (start, lines.pos), row=old.row if record.share is not None else None))
                stage_seconds["emit"] += time.perf_counter() - te
                if name in fresh_names:
                    fresh += len(values)
                err = record.error
                if err and name in walked_images and err.code in IMAGE_WITHOUT_PLAN and skipped is not None:
                    skipped[name] = Skipped(name, f"an image with no plan in it ({err.code})")
                    notify(Progress("file", done, len(sources), None))
                    continue
                entries.append({"path": name, "sha256": record.sha256, "format": record.format,
                                "encoding": record.encoding, "bytes": record.bytes, "plans": len(values),
                                "error": err.code if err else None, "cached": origin == "cache",
                                "kept": name not in fresh_names})
                error = FileError(name, err.code, err.message, err.stage, err.trace) if err else None
                if error:
                    errors.append(error)
                notify(Progress("file", done, len(sources), error if name in fresh_names else None))
            if not fresh:
                raise _NothingUsable
            guard.hold()
            te = time.perf_counter()
            lines.close()
            tables.flush()  # the last plans' tables: encoded and written here, renamed into place with plans.jsonl
            stage_seconds["emit"] += time.perf_counter() - te
        finally:
            lines.release()
    for share, where in zip(placed, tables.placed):
        share.tables = where
    if cache is not None and outputs:
        te = time.perf_counter()
        write_map(cache.dir, out, outputs, placed, sorted({t for w in tables.placed for t in w}), shares)
        stage_seconds["emit"] += time.perf_counter() - te
    return jsonl, tables.counts()


def _shared_outputs(formats: tuple[str, ...], specs) -> list[str]:
    """The files a share map describes for these formats (names under the output folder); none when the
    tables would be written to a scratch folder (the next run could not copy from them)."""
    if "jsonl" not in formats or ("duckdb" in formats and "parquet" not in formats):
        return []
    names = ["plans.jsonl"]
    for fmt in ("parquet", "csv"):
        if fmt in formats:
            names += [f"{spec.name}.{fmt}" for spec in specs if fmt in spec.formats]
    return names


def _write_rest(out: Path, scratch: Path, jsonl: Path, formats: tuple[str, ...], n_plans: int,
                use_cache: bool) -> str:
    """The workbook and the database from what `_write_plans` wrote; outputs of formats not chosen are removed
    (they would be stale). What the manifest says of the workbook."""
    from .emit.database import DATABASE, write_database
    from .emit.columns import table_specs
    from .emit.xlsx import write_workbook

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
    if not isinstance(manifest, dict) or (manifest.get("tool") or {}).get("name") != settings.TOOL:
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
            source.kept = _kept_record(entry, [], FileError(entry["path"], entry["error"], err.get("message", ""),
                                                            err.get("stage"), err.get("trace")))
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


def _kept_record(entry: dict, plans: list[dict], error: FileError | None) -> FileRecord:
    """A record like `process_for_run`'s from a previous dataset's manifest entry and `plans.jsonl` lines."""
    record = FileRecord(entry["path"], entry.get("format"), entry.get("encoding"), entry.get("sha256"),
                        entry.get("bytes"), error)
    record.plans = [PlanRecord(text_id(p["text"]), *line_template(p), sorted(signature(p["text"]))) for p in plans]
    record.kept_plans = plans
    return record


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
