"""Chinese numerals both ways: `parse_cn("二十三") == 23`, `format_cn(23) == "二十三"`.

Used by the docx reader (Word's chineseCounting), the section tree (marker order) and dates (二〇二四年).
"""
from __future__ import annotations

DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
          "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6,
          "柒": 7, "捌": 8, "玖": 9}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10000}
CN_CHARS = "".join(DIGITS) + "".join(UNITS)
CIRCLED_FIRST, CIRCLED_LAST = 0x2460, 0x2473  # ① … ⑳
_NAMES = "零一二三四五六七八九"


def parse_cn(s: str) -> int | None:
    """Value of a Chinese numeral (`十二`, `二十`, `一百零五`, digit-by-digit `二〇二四`), or Arabic digits;
    None when `s` is not a numeral."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s.translate(_FULLWIDTH))
    if any(c not in DIGITS and c not in UNITS for c in s):
        return None
    if not any(c in UNITS for c in s):  # digit by digit: 二〇二四
        return int("".join(str(DIGITS[c]) for c in s))
    total = section = 0
    digit = None
    for c in s:
        if c in DIGITS:
            digit = DIGITS[c]
        else:
            unit = UNITS[c]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
    return total + section + (digit or 0)


def format_cn(n: int) -> str:
    """`n` (0 <= n < 10000) in the counting style Word calls chineseCounting: 1 -> 一, 10 -> 十, 21 -> 二十一."""
    if n < 0 or n >= 10000:
        return str(n)
    if n < 10:
        return _NAMES[n]
    if n < 20:
        return "十" + (_NAMES[n - 10] if n > 10 else "")
    out = []
    for value, name in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, value)
        if q:
            out.append(_NAMES[q] + name)
        elif out and n:
            if not out[-1].endswith("零"):
                out.append("零")
    if n:
        out.append(_NAMES[n])
    return "".join(out)


_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
