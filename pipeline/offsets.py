"""Offsets between a derived text and the text it came from.

A normalizing step is a list of edits `(start, end, replacement)` on its input; `apply_edits` performs them
and returns the new text with an `OffsetMap` back to the input. Maps chain: `compose(outer, inner)`.
Spans map to the smallest source span that produced them, so `source[src_start:src_end]` quotes an item
in its original script and layout.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

Edit = tuple[int, int, str]


@dataclass
class OffsetMap:
    """Piecewise map from positions in a derived text to positions in its source.

    Segment i covers derived `[dst[i], dst[i] + dlen[i])` and source `[src[i], src[i] + slen[i])`;
    equal lengths map char by char, unequal ones map as a block.
    """

    dst: list[int]
    src: list[int]
    dlen: list[int]
    slen: list[int]
    dst_len: int
    src_len: int
    parent: "OffsetMap | None" = None

    @classmethod
    def identity(cls, n: int) -> "OffsetMap":
        return cls([0], [0], [n], [n], n, n)

    def _seg(self, pos: int) -> int:
        return max(0, bisect_right(self.dst, pos) - 1)

    def _start(self, pos: int) -> int:
        if pos >= self.dst_len:
            return self.src_len
        i = self._seg(pos)
        # skip zero-length (deleted) segments that share this start
        while self.dlen[i] == 0 and i + 1 < len(self.dst) and self.dst[i + 1] <= pos:
            i += 1
        if self.dlen[i] == self.slen[i]:
            return self.src[i] + (pos - self.dst[i])
        return self.src[i]

    def _end(self, pos: int) -> int:
        if pos <= 0:
            return 0
        i = self._seg(pos - 1)
        while self.dlen[i] == 0 and i > 0:
            i -= 1
        if self.dlen[i] == self.slen[i]:
            return self.src[i] + (pos - self.dst[i])
        return self.src[i] + self.slen[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Derived `[start, end)` -> source `[start, end)`, through every map in the chain."""
        if end <= start:
            s = self._start(start)
            out = (s, s)
        else:
            out = (self._start(start), self._end(end))
        return self.parent.span(*out) if self.parent is not None else out


    def to_derived(self, pos: int) -> int:
        """A source position -> the derived position of the first character kept at or after it."""
        if self.parent is not None:
            pos = self.parent.to_derived(pos)
        i = max(0, bisect_right(self.src, pos) - 1)
        while i < len(self.src):
            s, sl, d, dl = self.src[i], self.slen[i], self.dst[i], self.dlen[i]
            if pos < s + sl or (sl == 0 and pos == s):
                if dl == sl:
                    return d + (pos - s)
                return d if pos == s or dl == 0 else d + dl
            i += 1
        return self.dst_len

    def inverse(self):
        """`to_derived` as a function (source position -> derived position)."""
        return self.to_derived


def apply_edits(text: str, edits: list[Edit], parent: OffsetMap | None = None) -> tuple[str, OffsetMap]:
    """Apply non-overlapping edits to `text`; return the new text and its map back to `text` (then `parent`)."""
    edits = sorted(e for e in edits if not (e[0] == e[1] and not e[2]))
    out: list[str] = []
    dst, src, dlen, slen = [], [], [], []
    pos = d = 0
    for a, b, repl in edits:
        if a < pos:
            raise ValueError(f"overlapping edits at {a}")
        if a > pos:  # unchanged run
            dst.append(d), src.append(pos), dlen.append(a - pos), slen.append(a - pos)
            out.append(text[pos:a])
            d += a - pos
        dst.append(d), src.append(a), dlen.append(len(repl)), slen.append(b - a)
        out.append(repl)
        d += len(repl)
        pos = b
    if pos < len(text) or not dst:
        dst.append(d), src.append(pos), dlen.append(len(text) - pos), slen.append(len(text) - pos)
        out.append(text[pos:])
        d += len(text) - pos
    return "".join(out), OffsetMap(dst, src, dlen, slen, d, len(text), parent)
