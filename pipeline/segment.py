"""Segment a plan once: jieba (with the domain user dictionary in models/) -> a spaCy `Doc` built straight from
jieba's token offsets, so `doc.text == text` and character offsets are shared by every extractor.

We do not use spaCy's own jieba segmenter: it calls module-level jieba (a user dictionary would become
process-wide) and re-aligns words by re-slicing the remaining text, which grows quadratically with length.
jieba's part-of-speech tagger (HMM) is ~40x slower than plain segmentation: `pos_tags` is for short spans only.
"""
from __future__ import annotations

import os
import zlib
from functools import lru_cache
from pathlib import Path

from . import settings


@lru_cache(maxsize=1)
def tokenizer():
    """One `jieba.Tokenizer` with `models/userdict.txt`, initialised once per process (dictionary cached)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    tk.load_userdict(str(settings.MODELS_DIR / "userdict.txt"))
    return tk


@lru_cache(maxsize=1)
def vocab():
    """The shared spaCy vocabulary of a blank Chinese pipeline (no model download needed)."""
    import spacy

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}}).vocab


def words(text: str) -> list[str]:
    """jieba's words of `text`, in order; they concatenate back to `text`."""
    return tokenizer().lcut(text, HMM=True)


def segment(text: str):
    """`text` -> spaCy `Doc` whose tokens are jieba's words (`doc.text == text`)."""
    from spacy.tokens import Doc

    ws = words(text)
    doc = Doc(vocab(), words=ws, spaces=[False] * len(ws))
    doc.user_data["words"] = ws  # plain strings: cheaper to scan than spaCy Token objects
    doc.user_data["text"] = text  # Doc.text re-joins every Token
    return doc


@lru_cache(maxsize=None)
def _phrase_matcher(name: str, groups: tuple[str, ...]):
    """A PhraseMatcher over jieba tokens for the cue groups of `models/cues/NAME.txt`: each cue is
    segmented as jieba segments it, and labelled with its group."""
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    from . import lexicon

    matcher = PhraseMatcher(vocab())
    for group in groups:
        cues = [c for c in lexicon.words(name, group) if len(c) > 1]
        if cues:
            matcher.add(group, [Doc(vocab(), words=words(c), spaces=[False] * len(words(c))) for c in cues])
    return matcher


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


def match_cues(doc, name: str, groups: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start, end, group) character spans of the cue words of `models/cues/NAME.txt` groups in `doc`.
    Words match as whole jieba tokens, token sequences, or the head of a longer token (严禁吸烟), never the
    inside or tail of a word; one-character cues match on characters, their compounds (应急) being excluded by
    the caller's lists."""
    matcher = _phrase_matcher(name, groups)
    strings = vocab().strings
    out = set()
    for label, s, e in matcher(doc):
        span = doc[s:e]
        out.add((span.start_char, span.end_char, strings[label]))
    heads = _cue_heads(name, groups)
    pos = 0
    for w in doc.user_data.get("words") or [t.text for t in doc]:  # a cue opening a longer word: 严禁吸烟
        found = heads.get(w[:2]) if len(w) > 2 else None
        if found:
            for cue, group in found:
                if w.startswith(cue):
                    out.add((pos, pos + len(cue), group))
        pos += len(w)
    text = doc.user_data.get("text") or doc.text
    for group, rx in _single_chars(name, groups):
        out.update((m.start(), m.end(), group) for m in rx.finditer(text))
    return sorted(out)


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    """jieba's dictionary word -> POS tag. jieba's POS tagger parses its 350,000-line dictionary for this on
    every start (~0.8 s); we cache the table with marshal beside jieba's own dictionary cache."""
    import marshal
    import tempfile

    import jieba

    tk = tokenizer()
    stamp = f"{tk.dictionary}{jieba.__version__}"
    cache = Path(tempfile.gettempdir()) / f"plans-jieba-tags-{zlib.crc32(stamp.encode()):08x}.marshal"
    try:
        with open(cache, "rb") as f:
            return marshal.load(f)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    tags: dict[str, str] = {}
    with tk.get_dict_file() as f:
        for line in f:
            parts = line.decode("utf-8").split()
            if len(parts) >= 3:
                tags[parts[0]] = parts[2]
    try:
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=cache.name)
        with os.fdopen(fd, "wb") as f:
            marshal.dump(tags, f)
        os.replace(tmp, cache)
    except OSError:
        pass  # no cache: the next start reads the dictionary again
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
