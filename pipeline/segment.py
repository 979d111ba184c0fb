"""Segment a plan once: jieba (with the domain user dictionary in models/) -> a spaCy `Doc` built straight from
jieba's token offsets, so `doc.text == text` and character offsets are shared by every extractor.

We do not use spaCy's own jieba segmenter: it calls module-level jieba (a user dictionary would become
process-wide) and re-aligns words by re-slicing the remaining text, which grows quadratically with length.
jieba's part-of-speech tagger (HMM) is ~40x slower than plain segmentation: `pos_tags` is for short spans only.
"""
from __future__ import annotations

from functools import lru_cache

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
    return Doc(vocab(), words=ws, spaces=[False] * len(ws))


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
    for tok in doc:  # a cue opening a longer dictionary word: 严禁吸烟, 开除党籍
        for cue, group in heads.get(tok.text[:2], ()):
            if len(tok.text) > len(cue) and tok.text.startswith(cue):
                out.add((tok.idx, tok.idx + len(cue), group))
    for group, rx in _single_chars(name, groups):
        out.update((m.start(), m.end(), group) for m in rx.finditer(doc.text))
    return sorted(out)


@lru_cache(maxsize=1)
def _posseg():
    import jieba.posseg

    return jieba.posseg.POSTokenizer(tokenizer())


def pos_tags(span: str) -> list[tuple[str, str]]:
    """(word, jieba POS flag) for a SHORT span (a name list, a clause) — never a whole text."""
    return [(p.word, p.flag) for p in _posseg().cut(span)]
