"""Segment a plan once: jieba (with the domain user dictionary in models/) -> `Segmented`, the plan's words with
their character offsets, shared by every extractor that needs tokens (`seg.text == "".join(seg.words)`).

Cue words are matched on whole jieba words (`match_cues`): a token-sequence lookup, like spaCy's PhraseMatcher
over these words, without importing spaCy in the batch path (its import alone takes ~1.5 s, most of the 2 s
cold-start budget). spaCy is used where researchers look at a plan: `compare.display` builds a `Doc` with the
extracted items as spans for displaCy.
jieba's part-of-speech tagger (HMM) is ~40x slower than plain segmentation: `pos_tags` is for short spans only.
"""
from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate
from pathlib import Path

from . import settings


_loaded: dict[str, object] = {}


def tokenizer(compact: bool | None = None):
    """The process's `jieba.Tokenizer` with `models/userdict.txt`, loaded once.

    jieba keeps its dictionary (every word and word prefix -> frequency, ~500,000 entries) in a dict that takes
    ~1 s to unmarshal. `compact=True` (asked for by a run with little text to segment) reads the same table from
    a memory-mapped trie instead (`_CompactFreq`): ready in milliseconds, each lookup ~2x slower, the same
    words. `compact=False` asks for the dict (replacing a compact one: a big run follows); None takes whichever
    is loaded, else the dict."""
    tk = _loaded.get("tk")
    if tk is None or (compact is False and isinstance(tk.FREQ, _CompactFreq)):
        tk = _loaded["tk"] = load_tokenizer(bool(compact))
    return tk


def load_tokenizer(compact: bool = False):
    """A new `jieba.Tokenizer` with `models/userdict.txt` (see `tokenizer`)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    freq = _CompactFreq.open(_compact_stamp(tk)) if compact else None
    if freq is None:
        tk.initialize()
        tk.load_userdict(str(settings.MODELS_DIR / "userdict.txt"))
        if compact:
            _CompactFreq.save(tk, _compact_stamp(tk))  # the next small run starts fast
    else:
        tk.FREQ, tk.total, tk.initialized = freq, freq.total, True
    return tk


def _compact_stamp(tk) -> Path:
    """Where the compact table of this jieba version, dictionary and user dictionary lives (temp dir, beside
    jieba's own cache)."""
    import tempfile

    import jieba

    user = settings.MODELS_DIR / "userdict.txt"
    main = Path(tk.dictionary or jieba.DEFAULT_DICT_NAME)
    stamp = f"{jieba.__version__}|{main}|{main.stat().st_mtime if main.exists() else ''}|".encode()
    key = zlib.crc32(stamp + user.read_bytes())
    return Path(tempfile.gettempdir()) / f"plans-jieba-{key:08x}"


class _CompactFreq:
    """jieba's frequency table as a `marisa_trie.Trie` (word -> id, memory-mapped) and an array of counts by id:
    what `jieba.Tokenizer` asks of its `FREQ` dict (`in`, `[]`, `.get`), answered from files."""

    __slots__ = ("trie", "counts", "total")

    def __init__(self, trie, counts, total: int):
        self.trie, self.counts, self.total = trie, counts, total

    def __contains__(self, word: str) -> bool:
        return word in self.trie

    def __getitem__(self, word: str) -> int:
        return self.counts[self.trie[word]]

    def get(self, word: str, default=None):
        i = self.trie.get(word)
        return default if i is None else self.counts[i]

    @classmethod
    def open(cls, stem: Path) -> _CompactFreq | None:
        from array import array

        import marisa_trie

        try:
            counts = array("q")
            counts.frombytes(stem.with_suffix(".counts").read_bytes())
            trie = marisa_trie.Trie()
            trie.mmap(str(stem.with_suffix(".trie")))
        except (OSError, ValueError, RuntimeError):
            return None
        if len(counts) != len(trie) + 1:  # damaged or from another table: the caller loads the dict
            return None
        total = counts.pop()
        return cls(trie, counts, total)

    @staticmethod
    def save(tk, stem: Path) -> None:
        """Write `tk`'s table (each file to a temporary name, then renamed; a failure leaves no table)."""
        from array import array

        import marisa_trie

        trie = marisa_trie.Trie(tk.FREQ.keys())
        counts = array("q", bytes(8 * len(trie)))
        for word, n in tk.FREQ.items():
            counts[trie[word]] = n
        counts.append(tk.total)
        try:
            for suffix, write in ((".trie", trie.save), (".counts", lambda p: Path(p).write_bytes(counts.tobytes()))):
                tmp = f"{stem}{suffix}.{os.getpid()}.tmp"
                write(tmp)
                os.replace(tmp, stem.with_suffix(suffix))
        except OSError:
            pass  # no table: the next small run loads the dict


def words(text: str) -> list[str]:
    """jieba's words of `text`, in order; they concatenate back to `text`."""
    return tokenizer().lcut(text, HMM=True)


@dataclass
class Segmented:
    """A text and jieba's words of it, in order (they concatenate back to `text`)."""

    text: str
    words: list[str]

    @cached_property
    def starts(self) -> list[int]:
        """Character offset of each word."""
        return [0, *accumulate(len(w) for w in self.words)][:-1]


def segment(text: str) -> Segmented:
    """`text` -> its jieba words with offsets."""
    return Segmented(text, words(text))


@lru_cache(maxsize=None)
def _phrases(name: str, groups: tuple[str, ...]) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Multi-character cues of `models/cues/NAME.txt` groups as jieba segments them, by their first word:
    {"不": [(("不", "得"), "prohibition")], …}."""
    from . import lexicon

    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for group in groups:
        for cue in lexicon.words(name, group):
            if len(cue) > 1:
                ws = tuple(words(cue))
                out.setdefault(ws[0], []).append((ws, group))
    return out


@lru_cache(maxsize=None)
def _cue_heads(name: str, groups: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    """Multi-character cues by their first two characters: {"严禁": [("严禁", "prohibition")], …}."""
    from . import lexicon

    heads: dict[str, list[tuple[str, str]]] = {}
    for group in groups:
        for cue in lexicon.words(name, group):
            if len(cue) > 1:
                heads.setdefault(cue[:2], []).append((cue, group))
    return heads


@lru_cache(maxsize=None)
def _single_chars(name: str, groups: tuple[str, ...]):
    """One-character cues of the groups, as one regex per group: jieba glues a one-character word to its
    neighbour (各班须, 教师应), so these are matched on characters."""
    import re

    from . import lexicon

    out = []
    for group in groups:
        chars = "".join(c for c in lexicon.words(name, group) if len(c) == 1)
        if chars:
            out.append((group, re.compile(f"[{re.escape(chars)}]")))
    return out


def match_cues(seg: Segmented, name: str, groups: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start, end, group) character spans of the cue words of `models/cues/NAME.txt` groups in `seg`.
    Words match as whole jieba words, word sequences, or the head of a longer word (严禁吸烟), never the
    inside or tail of a word; one-character cues match on characters, their compounds (应急) being excluded by
    the caller's lists."""
    phrases, heads = _phrases(name, groups), _cue_heads(name, groups)
    ws, starts = seg.words, seg.starts
    n = len(ws)
    out = set()
    for i, w in enumerate(ws):
        pos = starts[i]
        for seq, group in phrases.get(w, ()):
            k = len(seq)
            if i + k <= n and (k == 1 or tuple(ws[i:i + k]) == seq):
                out.add((pos, pos + sum(map(len, seq)), group))
        if len(w) > 2:  # a cue opening a longer word: 严禁吸烟
            for cue, group in heads.get(w[:2], ()):
                if w.startswith(cue):
                    out.add((pos, pos + len(cue), group))
    for group, rx in _single_chars(name, groups):
        out.update((m.start(), m.end(), group) for m in rx.finditer(seg.text))
    return sorted(out)


@lru_cache(maxsize=1)
def _word_tags() -> _CompactTags:
    """jieba's dictionary word -> POS tag. jieba's POS tagger parses its 350,000-line dictionary for this on
    every start (~0.8 s); we keep the table as a memory-mapped trie beside jieba's own dictionary cache (ready at
    once, shared by forked workers, ~3 MB instead of a 50 MB dict)."""
    import tempfile

    import jieba
    import marisa_trie

    tk = tokenizer()
    stamp = f"{tk.dictionary}{jieba.__version__}"
    path = Path(tempfile.gettempdir()) / f"plans-jieba-tags-{zlib.crc32(stamp.encode()):08x}.trie"
    trie = marisa_trie.BytesTrie()
    try:
        return _CompactTags(trie.mmap(str(path)))
    except (OSError, ValueError, RuntimeError):
        pass
    pairs = []
    with tk.get_dict_file() as f:
        for line in f:
            parts = line.decode("utf-8").split()
            if len(parts) >= 3:
                pairs.append((parts[0], parts[2].encode()))
    trie = marisa_trie.BytesTrie(pairs)
    try:
        tmp = f"{path}.{os.getpid()}.tmp"
        trie.save(tmp)
        os.replace(tmp, path)
    except OSError:
        pass  # no table: the next start reads the dictionary again
    return _CompactTags(trie)


class _CompactTags:
    """Word -> POS tag from a `marisa_trie.BytesTrie`, the user dictionary's tags first: what jieba's POS tagger
    asks of its `word_tag_tab` (`get`, and `update` with the user dictionary's tags)."""

    __slots__ = ("trie", "user")

    def __init__(self, trie):
        self.trie = trie
        self.user = _user_tags()

    def get(self, word: str, default=None):
        if word in self.user:
            return self.user[word]
        found = self.trie.get(word)
        return found[0].decode() if found else default

    def update(self, tags: dict[str, str]) -> None:
        self.user.update(tags)


def _user_tags() -> dict[str, str]:
    """The tags of `models/userdict.txt` (`word [freq] [tag]`, jieba's format)."""
    tags = {}
    for line in (settings.MODELS_DIR / "userdict.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        rest = parts[1:]
        if rest and rest[0].isdigit():
            rest = rest[1:]
        if rest:
            tags[parts[0]] = rest[0]
    return tags


def word_tag(word: str) -> str | None:
    """The POS tag jieba's dictionary gives `word` (`nr` person, `n` noun …), None for an unknown word."""
    return _word_tags().get(word)


@lru_cache(maxsize=1)
def _posseg():
    """jieba's POS tagger on our tokenizer, sharing the cached tag table (imported only when an unknown word
    needs its HMM: `jieba.posseg` alone takes ~0.5 s to import)."""
    import jieba.posseg

    tagger = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)  # jieba is pinned (setup.cfg)
    tagger.tokenizer = tokenizer()
    tagger.word_tag_tab = _word_tags()
    return tagger


def pos_tags(span: str) -> list[tuple[str, str]]:
    """(word, jieba POS flag) for a SHORT span (a name list, a clause) — never a whole text (HMM: ~40x slower
    than segmentation). For a single dictionary word use `word_tag`."""
    return [(p.word, p.flag) for p in _posseg().cut(span)]
