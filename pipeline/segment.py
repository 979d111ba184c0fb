"""Segment a plan once: jieba (with the domain user dictionary in models/) -> `Segmented`, the plan's words with
their character offsets, shared by every extractor that needs tokens (`seg.text == "".join(seg.words)`).

The words are exactly `jieba.Tokenizer.cut(text, HMM=True)`'s, ~4x faster (`_Cutter`): jieba's own steps in
jieba's order — its regexes cut the text into blocks; each block's best route through the dictionary (jieba's
`get_DAG` + `calc`, most of its time) comes from jieba-next's compiled `PrefixDict` over the same table, which sums
the same logarithms in the same order with the same tie-break; runs of one-character words go through jieba's HMM,
its Viterbi unrolled (`_Hmm`: the same scores and tie-breaks). Where the jieba-next wheel is missing, jieba segments
(the same words). Both are tested against jieba on every corpus and on random text (tests/test_segment_identity.py).

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
    """The process's `jieba.Tokenizer` with `models/userdict.txt`, loaded once (its words: `words`).

    jieba's dictionary (every word and word prefix -> count, ~500,000 entries) is read from our copy of it
    (`_Table`). `compact=True` (asked for by a run with little text to segment) answers lookups from a
    memory-mapped trie (`_CompactFreq`): ready in milliseconds, segmentation in pure-Python jieba, the same words.
    `compact=False` asks for the dict and the compiled route (~0.25 s to build; replacing a compact one: a big run
    follows); None takes whichever is loaded, else the dict."""
    tk = _loaded.get("tk")
    if tk is None or (compact is False and isinstance(tk.FREQ, _CompactFreq)):
        tk = _loaded["tk"] = load_tokenizer(bool(compact))
        _loaded["cut"] = _cutter(tk)
    return tk


def load_tokenizer(compact: bool = False):
    """A new `jieba.Tokenizer` with `models/userdict.txt` (see `tokenizer`): jieba's main dictionary from our
    copy (`_Table`, written from jieba's own on first use), then the user dictionary added by jieba itself."""
    import logging

    jieba = _jieba()
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    stem = _table_stem(tk)
    table = _Table.open(stem, compact)
    if table is None:
        tk.initialize()
        _Table.save(tk, stem)
    else:
        (tk.FREQ, tk.total), tk.initialized = table, True
    tk.load_userdict(str(settings.MODELS_DIR / "userdict.txt"))
    return tk


def _jieba():
    """The `jieba` module, imported without `pkg_resources`: jieba 0.42's `_compat` imports it (~80 ms, most of
    jieba's import) only to open its own dictionary file, and opens it by path where it is missing."""
    import sys

    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # `import pkg_resources` raises ImportError
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    import jieba

    return jieba


def _table_stem(tk) -> Path:
    """Where our copy of this jieba version's main dictionary lives (temp dir, beside jieba's own cache)."""
    import tempfile

    jieba = _jieba()
    main = Path(tk.dictionary or jieba.DEFAULT_DICT_NAME)
    stamp = f"plans-table-2|{jieba.__version__}|{main}|{main.stat().st_mtime if main.exists() else ''}"
    return Path(tempfile.gettempdir()) / f"plans-jieba-{zlib.crc32(stamp.encode()):08x}"


class _Table:
    """jieba's main dictionary table (word or word prefix -> count, and their total) in three files: a
    `marisa_trie.Trie` of the words (`.trie`), the words in trie order (`.keys`, one a line) and their counts
    then the total (`.counts`, int64). jieba unmarshals its own cache in ~0.8 s; a dict rebuilt from these takes
    ~0.15 s, and the compact form (`_CompactFreq`) is memory-mapped at once."""

    @staticmethod
    def open(stem: Path, compact: bool) -> tuple[dict | _CompactFreq, int] | None:
        """(FREQ, total), the dict or (`compact`) the memory-mapped trie; None if missing or damaged."""
        from array import array

        counts = array("q")
        try:
            counts.frombytes(stem.with_suffix(".counts").read_bytes())
            if compact:
                freq = _CompactFreq.open(stem.with_suffix(".trie"), counts)
                n = len(freq.trie)
            else:
                keys = stem.with_suffix(".keys").read_bytes().decode("utf-8").split("\n")
                n = len(keys)
        except (OSError, ValueError, RuntimeError):
            return None
        if not n or n + 1 != len(counts):  # damaged or from another table: the caller rebuilds it
            return None
        total = counts.pop()
        return (freq if compact else dict(zip(keys, counts))), total

    @staticmethod
    def save(tk, stem: Path) -> None:
        """Write `tk`'s table (each file to a temporary name, then renamed; a failure leaves no table)."""
        from array import array

        import marisa_trie

        trie = marisa_trie.Trie(tk.FREQ.keys())
        keys = [trie.restore_key(i) for i in range(len(trie))]
        counts = array("q", (tk.FREQ[k] for k in keys))
        counts.append(tk.total)
        files = {".trie": trie.save,
                 ".keys": lambda p: Path(p).write_bytes("\n".join(keys).encode("utf-8")),
                 ".counts": lambda p: Path(p).write_bytes(counts.tobytes())}
        try:
            for suffix, write in files.items():
                tmp = f"{stem}{suffix}.{os.getpid()}.tmp"
                write(tmp)
                os.replace(tmp, stem.with_suffix(suffix))
        except OSError:
            pass  # no table: the next run reads jieba's cache again


class _CompactFreq:
    """jieba's frequency table as a `marisa_trie.Trie` (word -> id, memory-mapped) and an array of counts by id,
    with the words added after loading (the user dictionary's) in a dict: what `jieba.Tokenizer` asks of its
    `FREQ` dict (`in`, `[]`, `.get`, and `[word] = count` from `add_word`)."""

    __slots__ = ("trie", "counts", "added")

    def __init__(self, trie, counts):
        self.trie, self.counts, self.added = trie, counts, {}

    def __contains__(self, word: str) -> bool:
        return word in self.added or word in self.trie

    def __getitem__(self, word: str) -> int:
        found = self.added.get(word)
        return self.counts[self.trie[word]] if found is None else found

    def __setitem__(self, word: str, count: int) -> None:
        self.added[word] = count

    def get(self, word: str, default=None):
        found = self.added.get(word)
        if found is not None:
            return found
        i = self.trie.get(word)
        return default if i is None else self.counts[i]

    @classmethod
    def open(cls, path: Path, counts) -> _CompactFreq:
        import marisa_trie

        trie = marisa_trie.Trie()
        trie.mmap(str(path))
        return cls(trie, counts)


def _cutter(tk):
    """`text -> words` for `tk`: the compiled route (`_Cutter`) over a dict table when jieba-next is installed,
    else jieba's own `lcut` (the compact table, or no wheel for this platform)."""
    prefix_dict = _prefix_dict_class() if isinstance(tk.FREQ, dict) else None
    if prefix_dict is None:
        return lambda text: tk.lcut(text, HMM=True)
    return _Cutter(tk, prefix_dict)


def _prefix_dict_class():
    """jieba-next's compiled `PrefixDict`, None where its wheel is not installed."""
    try:
        from jieba_next.jieba_next_rust import PrefixDict
    except ImportError:
        return None
    return PrefixDict


class _Cutter:
    """`jieba.Tokenizer.lcut(text, HMM=True)` of `tk`, word for word, with the best route of each block from
    jieba-next's `PrefixDict` (a trie of the same counts; route[x] = the last character of the word at x).

    Its Rust computes jieba's `calc` exactly: per start, the words of the dictionary beginning there (count > 0;
    a lone character otherwise, count 1), scored `ln(count) - ln(total) + score(after)`, the highest kept, ties to
    the longest; it looks at 12 such words per start at most (jieba: all), a bound our dictionary never reaches
    (at most 7 words begin with the same characters; tests check). Its HMM is not jieba's (it breaks ties between
    states the other way, on characters the model has never seen), so runs of one-character words go through
    jieba's (`_Hmm`), as in `Tokenizer.__cut_DAG`."""

    def __init__(self, tk, prefix_dict):
        jieba = _jieba()
        self.freq = tk.FREQ
        self.route = prefix_dict(tk.FREQ, float(tk.total)).get_dag_and_calc
        self.han, self.skip = jieba.re_han_default, jieba.re_skip_default
        self.hmm = _Hmm(jieba.finalseg)

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        for i, block in enumerate(self.han.split(text)):
            if i % 2:  # a run of characters jieba segments (split() puts each match between two others)
                if len(block) == 1:
                    out.append(block)
                else:
                    self._block(block, out)
            elif block:  # the rest: each blank (or \r\n) whole, every other character alone
                for j, piece in enumerate(self.skip.split(block)):
                    if j % 2:
                        out.append(piece)
                    else:
                        out.extend(piece)
        return out

    def _block(self, s: str, out: list[str]) -> None:
        route = self.route(s)
        n = len(s)
        x = single = 0  # `single`: where the pending run of one-character words starts
        while x < n:
            y = route[x] + 1
            if y - x > 1:
                if single < x:
                    self._singles(s[single:x], out)
                out.append(s[x:y])
                single = y
            x = y
        if single < n:
            self._singles(s[single:], out)

    def _singles(self, run: str, out: list[str]) -> None:
        """A run of one-character words: one character as is; a dictionary word (jieba could not prefer it)
        character by character; else jieba's HMM finds the unknown words in it."""
        if len(run) == 1:
            out.append(run)
        elif self.freq.get(run):
            out.extend(run)
        else:
            self.hmm.cut(run, out)


class _Hmm:
    """`jieba.finalseg.cut` (jieba's HMM for unknown words), word for word, ~2.4x faster: the same blocks and
    steps, its Viterbi over the four states B M E S unrolled — the same sums in the same order, the same
    tie-breaks (jieba keeps `max((score, state))`: on equal scores the later letter), the same model."""

    def __init__(self, finalseg):
        e, s, t = finalseg.emit_P, finalseg.start_P, finalseg.trans_P
        self.emit = e["B"], e["M"], e["E"], e["S"]
        self.start = s["B"], s["M"], s["E"], s["S"]
        self.trans = t["E"]["B"], t["S"]["B"], t["M"]["M"], t["B"]["M"], t["B"]["E"], t["M"]["E"], t["S"]["S"], \
            t["E"]["S"]
        self.low = finalseg.MIN_FLOAT
        self.han, self.skip, self.force_split = finalseg.re_han, finalseg.re_skip, finalseg.Force_Split_Words

    def cut(self, run: str, out: list[str]) -> None:
        for i, block in enumerate(self.han.split(run)):
            if i % 2:  # Chinese characters: the HMM's words, unless the user dictionary forces a word apart
                for w in self._words(block):
                    if w in self.force_split:
                        out.extend(w)
                    else:
                        out.append(w)
            else:
                out.extend(x for x in self.skip.split(block) if x)

    def _words(self, s: str) -> list[str]:
        """jieba's `finalseg.__cut`: B begins a word, E ends it, S is a word alone; a word left open runs to the
        end."""
        out, begin, after = [], 0, 0
        for i, state in enumerate(self._states(s)):
            if state == "B":
                begin = i
            elif state == "E":
                out.append(s[begin:i + 1])
                after = i + 1
            elif state == "S":
                out.append(s[i])
                after = i + 1
        if after < len(s):
            out.append(s[after:])
        return out

    def _states(self, obs: str) -> list[str]:
        """jieba's `finalseg.viterbi(obs, "BMES", …)` path: for each state the best of its two predecessors
        (B after E|S, M after M|B, E after B|M, S after S|E), scored `previous + transition + emission`
        (an unseen character's emission: MIN_FLOAT); the path ends in E or S."""
        eB, eM, eE, eS = self.emit
        tEB, tSB, tMM, tBM, tBE, tME, tSS, tES = self.trans
        low = self.low
        c = obs[0]
        vB, vM, vE, vS = (p + e.get(c, low) for p, e in zip(self.start, self.emit))
        back = []
        for c in obs[1:]:
            em = eB.get(c, low)
            a, b = vE + tEB + em, vS + tSB + em
            nB, pB = (a, "E") if a > b else (b, "S")
            em = eM.get(c, low)
            a, b = vM + tMM + em, vB + tBM + em
            nM, pM = (a, "M") if a >= b else (b, "B")
            em = eE.get(c, low)
            a, b = vB + tBE + em, vM + tME + em
            nE, pE = (a, "B") if a > b else (b, "M")
            em = eS.get(c, low)
            a, b = vS + tSS + em, vE + tES + em
            nS, pS = (a, "S") if a >= b else (b, "E")
            back.append({"B": pB, "M": pM, "E": pE, "S": pS})
            vB, vM, vE, vS = nB, nM, nE, nS
        state = "E" if vE > vS else "S"
        path = [state]
        for step in reversed(back):
            state = step[state]
            path.append(state)
        path.reverse()
        return path


def words(text: str) -> list[str]:
    """jieba's words of `text`, in order; they concatenate back to `text`."""
    tokenizer()
    return _loaded["cut"](text)


def in_dictionary(word: str) -> bool:
    """Is `word` an entry of jieba's dictionary (with the user dictionary), with a count above zero?"""
    return tokenizer().FREQ.get(word, 0) > 0


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
    """jieba's dictionary word -> POS tag (`_tag_trie`), the user dictionary's tags first."""
    return _CompactTags(_tag_trie(), _user_tags())


@lru_cache(maxsize=1)
def _tag_trie():
    """jieba's dictionary word -> POS tag as a `marisa_trie.BytesTrie`. jieba's POS tagger parses its
    350,000-line dictionary for this on every start (~0.5 s); we keep the table as a memory-mapped trie beside
    jieba's own dictionary cache (ready at once, shared by forked workers, ~3 MB instead of a 50 MB dict)."""
    import tempfile

    import marisa_trie

    tk = tokenizer()
    jieba = _jieba()
    stamp = f"{tk.dictionary}{jieba.__version__}"
    path = Path(tempfile.gettempdir()) / f"plans-jieba-tags-{zlib.crc32(stamp.encode()):08x}.trie"
    trie = marisa_trie.BytesTrie()
    try:
        return trie.mmap(str(path))
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
    return trie


class _CompactTags:
    """Word -> POS tag from a `marisa_trie.BytesTrie`, the user dictionary's tags first: what jieba's POS tagger
    asks of its `word_tag_tab` (`get`, and `update` with the user dictionary's tags)."""

    __slots__ = ("trie", "user")

    def __init__(self, trie, user: dict[str, str]):
        self.trie, self.user = trie, user

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
    """jieba's POS tagger on our tokenizer, sharing the tag table (`_word_tags`); imported only when an unknown
    word needs its HMM.

    `import jieba.posseg` builds jieba's default tagger (`jieba.posseg.dt`) by parsing the whole dictionary for
    its tags (~0.45 s, nearly all of the import): during the import jieba's default tokenizer hands it an empty
    dictionary, then that tagger gets the same tags from our trie (jieba's own, none of ours), so
    `jieba.posseg.cut` stays jieba's."""
    import io
    import sys

    tk = tokenizer()
    jieba = _jieba()
    if "jieba.posseg" not in sys.modules:
        jieba.dt.get_dict_file = io.BytesIO  # for the import only: the default tagger reads no lines
        try:
            import jieba.posseg
        finally:
            del jieba.dt.get_dict_file
        jieba.posseg.dt.word_tag_tab = _CompactTags(_tag_trie(), {})
    import jieba.posseg

    tagger = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)  # jieba is pinned (setup.cfg)
    tagger.tokenizer = tk
    tagger.word_tag_tab = _word_tags()
    return tagger


def pos_tags(span: str) -> list[tuple[str, str]]:
    """(word, jieba POS flag) for a SHORT span (a name list, a clause) — never a whole text (HMM: ~40x slower
    than segmentation). For a single dictionary word use `word_tag`."""
    return [(p.word, p.flag) for p in _posseg().cut(span)]
