"""The `plans` command (also `python -m pipeline`): parse arguments, call the library, print, set the exit code.

The library is silent; this module owns every line printed and every exit code: 0 every input processed; 1 some
inputs failed (the rest were written); 2 usage error (one line, no traceback); 3 nothing usable (no plan found in
any input: an existing dataset is left as it was); 130 interrupted (Ctrl-C: no file is left half-written).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import __version__
from .emit import FORMATS
from .errors import EXIT_INTERRUPTED, EXIT_NOTHING, EXIT_OK, EXIT_USAGE


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (argparse prints the whole usage first)
        self.exit(EXIT_USAGE, f"plans: error: {message} (see `{self.prog} --help`)\n")


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"{', '.join(unknown) or 'none'}: choose from {','.join(FORMATS)}")
    return chosen


def _batch_options(r: argparse.ArgumentParser, default_formats: str) -> None:
    r.add_argument("--out", type=Path, default=None, help="output folder (default: outputs/)")
    r.add_argument("--formats", type=_formats, default=None, metavar="LIST",
                   help=f"outputs to write, comma-separated: {','.join(FORMATS)} (default: {default_formats})")
    r.add_argument("--quiet", "-q", action="store_true", help="only errors on stderr")
    r.add_argument("--json", action="store_true", help="print the run's summary as JSON on stdout")
    r.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="worker processes (default: the number of cores); output is the same for any N")
    r.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes, or a dask.distributed cluster")
    r.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="with --engine dask: the scheduler's address (tcp://host:8786); default: a LocalCluster")
    r.add_argument("--no-cache", action="store_true",
                   help="process every file again (default: reuse results for files seen unchanged)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="plans", description="Chinese plan documents -> structured dataset")
    p.add_argument("--version", action="version", version=f"plans {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    r = sub.add_parser("run", help="process files and folders into a dataset that mirrors exactly these inputs")
    r.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="files, folders (walked recursively) or glob patterns; default: the bundled samples")
    _batch_options(r, "all")
    a = sub.add_parser("add", help="add new or changed files to an existing dataset, keeping its other plans")
    a.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders (walked recursively) or glob patterns")
    _batch_options(a, "the dataset's")
    c = sub.add_parser("compare", help="write an offline HTML report comparing the plans of a run, and the run's "
                                       "reuse_pairs table")
    c.add_argument("output_dir", nargs="?", type=Path, default=None, metavar="OUTPUT_DIR",
                   help="a run's output folder (default: outputs/)")
    c.add_argument("--out", type=Path, default=None, help="report file (default: OUTPUT_DIR/report.html)")
    c.add_argument("--plans", nargs=2, metavar=("A", "B"), default=None,
                   help="two plans to set side by side: plan_id, a unique prefix, or a code such as P3")
    c.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="processes for segmentation and alignment (default: the number of cores); output is the "
                        "same for any N")
    c.add_argument("--neighbours", type=int, default=None, metavar="K",
                   help="reuse_pairs: passages of each plan with its K most similar plans (default: 1)")
    e = sub.add_parser("evaluate", help="score a run against gold annotations (same numbers as shared/tools/score.py)")
    e.add_argument("gold", nargs="+", metavar="GOLD", help="gold .jsonl files (one object per plan)")
    e.add_argument("--run", type=Path, default=None, help="the run's output folder (default: outputs/)")
    e.add_argument("--detail", action="store_true", help="list every miss (with --json: as a `detail` list)")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:  # --help, --version, usage errors
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    try:
        if args.command in ("run", "add"):
            return _batch(args)
        if args.command == "compare":
            return _compare(args)
        if args.command == "evaluate":
            return _evaluate(args)
    except KeyboardInterrupt as e:
        what = f" {e}" if str(e) else ": no file was left half-written, the output is as it was before"
        print(f"plans: interrupted{what}", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_USAGE


def _usage(message: str) -> int:
    print(f"plans: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _batch(args) -> int:
    from . import settings
    from .emit.columns import arrow_without_pandas
    from .run import UsageError, add, run

    arrow_without_pandas()  # this process ends with the batch, which needs no pandas
    inputs = args.inputs or [str(settings.SAMPLES_DIR)]
    out = args.out or settings.DEFAULT_OUT
    reporter = _Reporter(args.quiet)
    batch = add if args.command == "add" else run
    try:
        result = batch(inputs, out, jobs=args.jobs, engine=args.engine, scheduler=args.scheduler,
                       use_cache=not args.no_cache, formats=args.formats, progress=reporter)
    except UsageError as e:
        return _usage(str(e))
    finally:
        reporter.close()
    if not args.quiet:
        print(summary_line(result), file=sys.stderr)
    if args.json:
        print(json.dumps(result.summary(), ensure_ascii=False))
    return result.code


def summary_line(result) -> str:
    """One line on what a run did; the inputs it counts as failed are what the exit code says."""
    from .inputs import display_path

    c = result.counts
    parts = [f"{result.failed} failed" + (f" ({c['inputs_not_found']} not found)" if c["inputs_not_found"] else "")]
    if c["files_cached"]:
        parts.append(f"{c['files_cached']} from the cache")
    if c["files_skipped"]:
        parts.append(f"{c['files_skipped']} skipped: not documents, or written by plans")
    out = display_path(result.out)
    if not result.written:
        return f"plans: no plan found in any input; {', '.join(parts)}; {out} left as it was"
    verb = "added to" if result.manifest["config"]["command"] == "add" else "->"
    return (f"plans: {c['plans']} plans from {c['files'] - c['files_failed']}/{c['files']} files {verb} {out}; "
            f"{', '.join(parts)}")


def _compare(args) -> int:
    from . import settings
    from .compare import EmptyDataset, compare

    out_dir = args.output_dir or settings.DEFAULT_OUT
    target = args.out or Path(out_dir) / "report.html"
    if target.is_dir():
        return _usage(f"--out {target}: is a folder; give the report's file name")
    if args.jobs is not None and args.jobs < 1:
        return _usage("--jobs must be at least 1")
    if args.neighbours is not None and not 0 <= args.neighbours <= 10:
        return _usage("--neighbours must be from 0 to 10 (the nearest plans the similarity search keeps)")
    extra = {} if args.neighbours is None else {"neighbours": args.neighbours}
    try:
        path = compare(out_dir, target, tuple(args.plans) if args.plans else None, jobs=args.jobs, **extra)
    except FileNotFoundError as e:
        return _usage(str(e))
    except EmptyDataset as e:
        print(f"plans: error: {e}", file=sys.stderr)
        return EXIT_NOTHING
    except KeyError as e:
        return _usage(e.args[0])
    except OSError as e:
        return _usage(f"--out {target}: {e.strerror or e}")
    print(path)
    return EXIT_OK


def _evaluate(args) -> int:
    from . import settings
    from .evaluate import evaluate, format_table

    plans = (args.run or settings.DEFAULT_OUT) / "plans.jsonl"
    if not plans.is_file():
        return _usage(f"{plans} not found (run `plans run` first, or pass --run DIR)")
    missing = [g for g in args.gold if not Path(g).is_file()]
    if missing:
        return _usage(f"{missing[0]}: no such gold file")
    try:
        result = evaluate(plans, args.gold)
    except (ValueError, KeyError) as e:
        return _usage(f"cannot read the gold or the run: {e}")
    if args.json:
        scores = {"fields": result["fields"], "overall": result["overall"]}
        if args.detail:
            scores["detail"] = result["detail"]
        print(json.dumps(scores, ensure_ascii=False))
    else:
        if args.detail:
            print("\n".join(result["detail"]) + "\n")
        print(format_table(result))
    return EXIT_OK


class _Reporter:
    """The run's progress on stderr: a bar (files/s, ETA) when stderr is a terminal, else a log line every ~10 s;
    errors always (above the bar), even when quiet."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.bar = None
        self.total = self.done = 0
        self.t0 = self.last = time.perf_counter()

    def __call__(self, event) -> None:
        if event.kind == "start":
            self.total = event.total
            self.t0 = self.last = time.perf_counter()
            if not self.quiet and sys.stderr.isatty() and event.total > 1:
                from tqdm import tqdm

                self.bar = tqdm(total=event.total, unit="file", file=sys.stderr, dynamic_ncols=True)
            return
        if event.error is not None:
            self._write(f"plans: error: {event.error.path}: [{event.error.code}] {event.error.message}")
        if event.kind == "file":
            self.done = event.done
            if self.bar is not None:
                self.bar.update()
            elif not self.quiet and time.perf_counter() - self.last >= 10 and self.done < self.total:
                self.last = now = time.perf_counter()
                rate = self.done / (now - self.t0)
                print(f"plans: {self.done}/{self.total} files, {rate:.1f} files/s, "
                      f"ETA {(self.total - self.done) / rate:.0f} s", file=sys.stderr)

    def _write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


if __name__ == "__main__":
    sys.exit(main())
