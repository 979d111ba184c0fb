"""Identity: what makes plans the same — `text_id` (a plan's id from its text), `signature` and `similarity`
(its set of sentences, for near-duplicates), and the run's `Registry` that assigns each plan a unique `plan_id`
and its `duplicate_of`, in run order.

- `plan_id` is `p-` + 12 hex digits of the SHA-256 of the plan's normalized text: the same plan gets the same
  id on every run and machine; an exact copy later in the run gets `-2`, `-3`…;
- `duplicate_of` names the earliest earlier plan whose set of sentences has Jaccard similarity ≥
  `settings.DUPLICATE_THRESHOLD` with this one's (an exact copy: its first copy, found by id alone).
"""
from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from . import settings


def text_id(text: str) -> str:
    """A plan's id from its text: `p-` and 12 hex digits of its SHA-256 (the run adds `-2`, … to copies)."""
    return "p-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
_NON_WORD = re.compile(r"[\W_]+")


def signature(text: str) -> frozenset[int]:
    """The set of a plan's sentences (split at 。！？； and line ends, punctuation and blanks removed,
    at least `settings.MIN_SENTENCE` characters), each as a CRC32 — deterministic across processes."""
    out = set()
    for sent in _SENTENCE_END.split(text):
        key = _NON_WORD.sub("", sent)
        if len(key) >= settings.MIN_SENTENCE:
            out.add(zlib.crc32(key.encode("utf-8")))
    return frozenset(out)


def similarity(a: frozenset[int], b: frozenset[int]) -> float:
    """Jaccard similarity of two sentence signatures."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass
class Registry:
    """Run-level identity: unique plan ids and near-duplicate lookup over the plans seen so far.

    A plan whose text was seen before is a duplicate of its first copy, found by its id alone; only plans with
    new text are compared by signature (and indexed), so a corpus full of copies costs no more than its
    distinct plans."""

    first: dict = field(default_factory=dict)      # text hash id -> plan id of its first copy
    sigs: list = field(default_factory=list)       # signatures of the distinct plans, in run order
    sig_ids: list = field(default_factory=list)    # their plan ids
    index: dict = field(default_factory=lambda: defaultdict(list))
    copies: dict = field(default_factory=dict)    # text hash id -> copies seen so far
    duplicates: int = 0

    def assign(self, base: str, signature: Callable[[], frozenset]) -> tuple[str, str | None]:
        """The next plan's `plan_id` (its text id `base`, unique in the run) and `duplicate_of`, in run order;
        `signature()` gives its sentence signature, asked for only when its text is new to the run."""
        if base in self.first:  # the same text seen before is a duplicate whatever its length
            n = self.copies[base] = self.copies.get(base, 1) + 1  # only this text's copies have ids base-N
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
