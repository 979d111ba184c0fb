"""The `plans` command (also `python -m pipeline`): parse arguments, call the library, set the exit code.

Exit codes: 0 every input processed; 1 some inputs failed (the rest were written); 2 usage error;
3 nothing usable (no plan found in any input).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="plans", description="Chinese plan documents -> structured dataset")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="process files and folders into OUT/plans.jsonl and manifest.json")
    r.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="files, folders (walked recursively) or glob patterns; default: the bundled samples")
    r.add_argument("--out", type=Path, default=None, help="output folder (default: outputs/)")
    r.add_argument("--quiet", "-q", action="store_true", help="only errors on stderr")
    r.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="worker processes (default: the number of cores); output is the same for any N")
    r.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes, or a dask.distributed cluster")
    r.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="dask scheduler address (tcp://host:8786); default: a LocalCluster for this run")
    r.add_argument("--no-cache", action="store_true",
                   help="process every file again (default: reuse results for files seen unchanged)")
    c = sub.add_parser("compare", help="write an offline HTML report comparing the plans of a run")
    c.add_argument("output_dir", nargs="?", type=Path, default=None, metavar="OUTPUT_DIR",
                   help="a run's output folder (default: outputs/)")
    c.add_argument("--out", type=Path, default=None, help="report file (default: OUTPUT_DIR/report.html)")
    c.add_argument("--plans", nargs=2, metavar=("A", "B"), default=None,
                   help="two plans to set side by side: plan_id, a unique prefix, or a code such as P3")
    e = sub.add_parser("evaluate", help="score a run against gold annotations (same numbers as shared/tools/score.py)")
    e.add_argument("gold", nargs="+", metavar="GOLD", help="gold .jsonl files (one object per plan)")
    e.add_argument("--run", type=Path, default=None, help="the run's output folder (default: outputs/)")
    e.add_argument("--detail", action="store_true", help="list every miss before the table")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run":
        from . import settings
        from .run import run

        inputs = args.inputs or [str(settings.SAMPLES_DIR)]
        out = args.out or settings.DEFAULT_OUT
        if args.jobs is not None and args.jobs < 1:
            print("plans: error: --jobs must be at least 1", file=sys.stderr)
            return 2
        code, _ = run(inputs, out, quiet=args.quiet, jobs=args.jobs, engine=args.engine,
                      scheduler=args.scheduler, use_cache=not args.no_cache)
        return code
    if args.command == "compare":
        from . import settings
        from .compare import compare

        out_dir = args.output_dir or settings.DEFAULT_OUT
        try:
            path = compare(out_dir, args.out or Path(out_dir) / "report.html",
                           tuple(args.plans) if args.plans else None)
        except FileNotFoundError as e:
            print(f"plans: error: {e}", file=sys.stderr)
            return 3
        except KeyError as e:
            print(f"plans: error: {e.args[0]}", file=sys.stderr)
            return 2
        print(path)
        return 0
    if args.command == "evaluate":
        import json

        from . import settings
        from .evaluate import evaluate, format_table

        plans = (args.run or settings.DEFAULT_OUT) / "plans.jsonl"
        if not plans.is_file():
            print(f"plans: error: {plans} not found (run `plans run` first, or pass --run DIR)", file=sys.stderr)
            return 2
        result = evaluate(plans, args.gold)
        if args.json:
            print(json.dumps({"fields": result["fields"], "overall": result["overall"]}, ensure_ascii=False))
        else:
            if args.detail:
                print("\n".join(result["detail"]) + "\n")
            print(format_table(result))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
