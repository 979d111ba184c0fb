"""Chinese script: what counts as a CJK character, full-width forms, OpenCC conversion (traditional <->
simplified) and script detection — the one place for each.

One converter per direction, created on first use. We use the `opencc` wheel (the C++ OpenCC library):
its output equals opencc-python-reimplemented's on our corpora and it is ~50x faster (see README).
"""
from __future__ import annotations

import re
from functools import lru_cache

# CJK ideographs (Extension A and the Unified block), as a regex class body: f"[{CJK}]"
CJK = "\u3400-\u9fff"
# characters that take a full cell of width (CJK, kana, punctuation, full-width forms): no space beside them
WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
# full-width ASCII (！ to ～) -> ASCII, for str.translate
FULLWIDTH_TO_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
FULLWIDTH_DIGITS = "０１２３４５６７８９"


def is_cjk(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff"


def is_cjk_word(word: str) -> bool:
    return bool(word) and all(is_cjk(c) for c in word)


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def t2s(text: str) -> str:
    return _converter("t2s").convert(text)


def s2t(text: str) -> str:
    return _converter("s2t").convert(text)


@lru_cache(maxsize=1)
def _script_chars() -> tuple[frozenset[str], frozenset[str]]:
    """(traditional-only, simplified-only) characters of the CJK block, by OpenCC's character tables."""
    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    joined = "\n".join(chars)
    to_s = t2s(joined).split("\n")
    to_t = s2t(joined).split("\n")
    trad = {c for c, s, t in zip(chars, to_s, to_t) if s != c and t == c}
    simp = {c for c, s, t in zip(chars, to_s, to_t) if t != c and s == c}
    return frozenset(trad), frozenset(simp)


@lru_cache(maxsize=1)
def _script_rx() -> tuple[re.Pattern, re.Pattern]:
    """Character classes of the traditional-only and the simplified-only characters (counted in C)."""
    trad, simp = _script_chars()
    return (re.compile("[" + "".join(sorted(trad)) + "]"), re.compile("[" + "".join(sorted(simp)) + "]"))


def detect_script(text: str) -> str:
    """`traditional` when >= 90 % of script-specific characters are traditional-only, `simplified` when
    <= 10 %, else `mixed`; text with no script-specific characters counts as simplified."""
    trad_rx, simp_rx = _script_rx()
    n_t = len(trad_rx.findall(text))
    n_s = len(simp_rx.findall(text))
    if not n_t + n_s:
        return "simplified"
    share = n_t / (n_t + n_s)
    if share >= 0.9:
        return "traditional"
    if share <= 0.1:
        return "simplified"
    return "mixed"
