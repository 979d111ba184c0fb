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
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run":
        from . import settings
        from .run import run

        inputs = args.inputs or [str(settings.SAMPLES_DIR)]
        out = args.out or settings.DEFAULT_OUT
        code, _ = run(inputs, out, quiet=args.quiet)
        return code
    return 2


if __name__ == "__main__":
    sys.exit(main())
