"""Load the data in `models/`: cue-word lists, grouped cue tables (with values for `models/time/`) and regex
fragments. (Cue words matched on jieba's words are looked up by `segment.match_cues`.)

Cue files (`models/cues/NAME.txt`, `models/time/NAME.txt`) hold one entry per line; `#` starts a comment. A file
may be split into groups by `[label]` lines. Every group must be non-empty and free of duplicates: an empty alternation
would match everything, a duplicate hides an edit mistake.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from . import settings


class LexiconError(ValueError):
    pass


def _path(*parts: str) -> Path:
    return Path(settings.MODELS_DIR, *parts)


def _lines(path: Path) -> list[tuple[int, str]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            out.append((n, line))
    return out


@lru_cache(maxsize=None)
def table(relpath: str) -> dict[str, dict[str, str | None]]:
    """`models/RELPATH` as {group: {entry: value or None}}: `[group]` lines, `entry` or `entry = value` lines;
    entries before any `[group]` go under `""`."""
    path = _path(relpath)
    out: dict[str, dict[str, str | None]] = {}
    label = ""
    for n, line in _lines(path):
        if line.startswith("[") and line.endswith("]"):
            label = line[1:-1].strip()
            if label in out:
                raise LexiconError(f"{path}:{n}: group [{label}] appears twice")
            out[label] = {}
            continue
        entry, sep, value = line.partition(" = ")
        entry = entry.strip()
        bucket = out.setdefault(label, {})
        if entry in bucket:
            raise LexiconError(f"{path}:{n}: duplicate entry {entry!r} in [{label}]")
        bucket[entry] = value.strip() if sep else None
    for label, entries in out.items():
        if not entries:
            raise LexiconError(f"{path}: group [{label}] is empty")
    if not out:
        raise LexiconError(f"{path}: no entries")
    return out


def groups(name: str) -> dict[str, tuple[str, ...]]:
    """`models/cues/NAME.txt` as {label: entries}; entries before any `[label]` go under `""`."""
    return {k: tuple(v) for k, v in table(f"cues/{name}.txt").items()}


def words(name: str, group: str = "") -> tuple[str, ...]:
    """The entries of one group of `models/cues/NAME.txt` (the ungrouped ones by default)."""
    table = groups(name)
    if group not in table:
        raise LexiconError(f"models/cues/{name}.txt has no group [{group}]")
    return table[group]


class Patterns(dict):
    """The compiled regexes of `models/patterns/NAME.txt`, by label: `rx["paren"]` or `rx.paren`."""

    def __getattr__(self, label: str) -> re.Pattern:
        try:
            return self[label]
        except KeyError:
            raise AttributeError(label) from None


@lru_cache(maxsize=None)
def patterns(name: str) -> Patterns:
    """`models/patterns/NAME.txt` compiled, once per process: the one idiom for a module's patterns."""
    return Patterns({label: re.compile(rx) for label, rx in regexes(name).items()})


@lru_cache(maxsize=None)
def cue_pattern(name: str, group: str = "", before: str = "", after: str = "") -> re.Pattern:
    """A compiled alternation of one cue group of `models/cues/NAME.txt` (longest first), between `before` and
    `after` (`^`, `$`, `+`…)."""
    return re.compile(before + alternation(words(name, group)) + after)


def alternation(entries) -> str:
    """A regex alternation of literal entries, longest first so `牵头单位` wins over `牵头`."""
    entries = sorted(set(entries), key=lambda s: (-len(s), s))
    if not entries:
        raise LexiconError("empty alternation")
    return "(?:" + "|".join(re.escape(e) for e in entries) + ")"


@lru_cache(maxsize=None)
def regexes(name: str) -> dict[str, str]:
    """`models/patterns/NAME.txt`: `label = regex` lines (regex fragments kept as data, `{group}` expands a
    cue group written `{cues_file:group}`)."""
    path = _path("patterns", f"{name}.txt")
    out: dict[str, str] = {}
    for n, line in _lines(path):
        label, sep, rx = line.partition(" = ")
        if not sep:
            raise LexiconError(f"{path}:{n}: expected 'label = regex'")
        label = label.strip()
        if label in out:
            raise LexiconError(f"{path}:{n}: duplicate label {label!r}")
        rx = re.sub(r"\{(\w+):(\w*)\}", lambda m: alternation(words(m.group(1), m.group(2))), rx.strip())
        rx = re.sub(r"\{(\w+)\}", lambda m: out[m.group(1)] if m.group(1) in out else m.group(0), rx)
        try:
            re.compile(rx)
        except re.error as e:
            raise LexiconError(f"{path}:{n}: bad regex for {label}: {e}") from None
        out[label] = rx
    return out
