"""Chinese dates and numbers: 2021年12月7日, 二〇二一年十二月七日, 第一百二十三期.

Numerals are converted on matched spans only (converting free text corrupts words: 一网通办).
"""

from __future__ import annotations

import datetime as dt
import re

_DIGIT_VALUE = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0, "o": 0}
CN_NUM = r"[〇○零一二三四五六七八九十百千两]"
_SP = r"[ \t\u3000]*"

DATE_RE = re.compile(
    rf"(?P<y>(?:19|20)\d{{2}}|[〇○零一二三四五六七八九Oo]{{4}}){_SP}年{_SP}"
    rf"(?P<m>\d{{1,2}}|{CN_NUM}{{1,3}}){_SP}月{_SP}(?P<d>\d{{1,2}}|{CN_NUM}{{1,3}}){_SP}日"
)


def cn_to_int(text: str) -> int | None:
    """Convert an Arabic or Chinese numeral (十二, 一百二十三, 二〇二一) to int; None if not a number."""
    s = text.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(ch in _DIGIT_VALUE for ch in s):  # digit by digit: 二〇二一
        return int("".join(str(_DIGIT_VALUE[ch]) for ch in s))
    try:
        import cn2an

        value = cn2an.cn2an(s.replace("两", "二"), "normal")
    except (ValueError, KeyError, TypeError):
        return None
    return int(value) if float(value).is_integer() else None


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text`` (Arabic or Chinese numerals), or None."""
    m = DATE_RE.search(text)
    if not m:
        return None
    return _date_from(m)


def _date_from(m: re.Match[str]) -> dt.date | None:
    y, mo, d = cn_to_int(m.group("y")), cn_to_int(m.group("m")), cn_to_int(m.group("d"))
    if y is None or mo is None or d is None:
        return None
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def full_date(text: str) -> dt.date | None:
    """A date when ``text`` is nothing but a date (a signature date line), else None."""
    s = re.sub(r"\s+", "", text)
    m = DATE_RE.fullmatch(s)
    return _date_from(m) if m else None
