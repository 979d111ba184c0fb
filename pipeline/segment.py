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


@lru_cache(maxsize=1)
def _posseg():
    import jieba.posseg

    return jieba.posseg.POSTokenizer(tokenizer())


def pos_tags(span: str) -> list[tuple[str, str]]:
    """(word, jieba POS flag) for a SHORT span (a name list, a clause) — never a whole text."""
    return [(p.word, p.flag) for p in _posseg().cut(span)]
