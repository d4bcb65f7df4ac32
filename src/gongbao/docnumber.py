"""文号 (document number) grammar: find, parse, canonicalise, and spell for lookup.

A 文号 is ``prefix + 〔year〕 + serial + 号`` (GB/T 9704-2012 §7.2.4). Converted text prints the
brackets as 〔〕 [] ［］ （） () 【】 〖〗 and scatters spaces anywhere, and a line break can fall inside.
The canonical form uses 〔〕 and no spaces, so every spelling of a number finds the same document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongbao.model import DocNumber

OPEN = "〔[［（(【〖{｛"
CLOSE = "〕]］）)】〗}｝"
_SP = r"[ \t\u3000]*"
_HAN = r"\u4e00-\u9fff"

# Words that may precede a 文号 in running text without being part of its prefix.
_LEAD_INS = (
    "根据", "按照", "依据", "依照", "参照", "执行", "落实", "贯彻", "印发", "转发", "详见", "参见", "对照",
    "同时", "其中", "以及", "见", "和", "及", "与", "或", "即", "经", "的", "按", "据", "自", "从", "由",
)

DOC_NUMBER_RE = re.compile(
    rf"(?P<prefix>[{_HAN}][{_HAN}{_SP[1:-2]}]{{0,14}}?[{_HAN}])?{_SP}"
    rf"(?P<open>[{re.escape(OPEN)}]){_SP}(?P<year>(?:19|20)\d{{2}}){_SP}(?P<close>[{re.escape(CLOSE)}])"
    rf"{_SP}(?:第{_SP})?(?P<serial>\d{{1,5}}){_SP}号"
)
# An order (令) that promulgates a regulation: 宁夏回族自治区人民政府令 第 123 号
ORDER_RE = re.compile(
    rf"(?P<prefix>[{_HAN}]{{2,30}}令){_SP}[（(]?{_SP}第{_SP}(?P<serial>\d{{1,5}}|[一二三四五六七八九十百零〇]{{1,8}}){_SP}号{_SP}[）)]?"
)
# A series numbered within the year, as 公告, 通告 and ministries' 令 are: 国家税务总局公告2021年第3号
SERIES_RE = re.compile(
    rf"(?P<prefix>[{_HAN}]{{2,30}}(?:公告|通告|令)){_SP}[（(〔\[]?{_SP}(?P<year>(?:19|20)\d{{2}}){_SP}"
    rf"(?:年|[）)〕\]]){_SP}第{_SP}(?P<serial>\d{{1,5}}){_SP}号{_SP}[）)]?"
)
# The State Council's orders are filed as 国令第N号 (the 发文字号 of every 国务院令)
_ORDER_SERIES = {"中华人民共和国国务院令": "国令", "国务院令": "国令"}


def _clean_prefix(prefix: str) -> str:
    prefix = re.sub(r"\s+", "", prefix)
    changed = True
    while changed and prefix:
        changed = False
        for word in _LEAD_INS:
            if prefix.startswith(word) and len(prefix) - len(word) >= 1:
                prefix = prefix[len(word):]
                changed = True
                break
    return prefix


def canonical(prefix: str, year: int, serial: int) -> str:
    """The GB/T 9704 spelling: 宁政办发〔2022〕68号."""
    return f"{prefix}〔{year}〕{serial}号"


def _from_match(m: re.Match[str], text: str) -> DocNumber | None:
    prefix = _clean_prefix(m.group("prefix") or "")
    if not prefix:
        return None
    year, serial = int(m.group("year")), int(m.group("serial"))
    start = m.start("prefix") + (len(re.sub(r"\s+", "", m.group("prefix") or "")) - len(prefix))
    printed = text[m.start():m.end()]
    if start > m.start():
        # drop the lead-in words from the printed form too
        stripped = re.sub(r"\s+", "", printed)
        printed = stripped[stripped.find(prefix):] if prefix in stripped else printed
    return DocNumber(canonical(prefix, year, serial), printed.strip(), prefix, year, serial)


def _order_from_match(m: re.Match[str]) -> DocNumber | None:
    from gongbao.dates import cn_to_int

    prefix = _clean_prefix(m.group("prefix"))
    serial = cn_to_int(m.group("serial"))
    if serial is None or len(prefix) < 3:
        return None
    prefix = _ORDER_SERIES.get(prefix, prefix)
    return DocNumber(f"{prefix}第{serial}号", m.group(0).strip(), prefix, None, serial)


def _series_from_match(m: re.Match[str]) -> DocNumber | None:
    prefix = _clean_prefix(m.group("prefix"))
    if len(prefix) < 3:
        return None
    year, serial = int(m.group("year")), int(m.group("serial"))
    return DocNumber(f"{prefix}{year}年第{serial}号", m.group(0).strip(), prefix, year, serial)


def parse(text: str) -> DocNumber | None:
    """Parse a string that *is* a 文号 (spaces and any bracket style allowed); None if it is not one."""
    s = text.strip()
    if "号" not in s:  # both grammars end in 号: most lines are rejected without running a regex
        return None
    m = DOC_NUMBER_RE.fullmatch(s)
    if m:
        return _from_match(m, s)
    m = ORDER_RE.fullmatch(s)
    if m:
        return _order_from_match(m)
    m = SERIES_RE.fullmatch(s)
    return _series_from_match(m) if m else None


def find(text: str) -> Iterator[tuple[DocNumber, int, int]]:
    """Every 文号 in running text, with its character offsets (start, end) in ``text``."""
    if "号" not in text:
        return
    for m in DOC_NUMBER_RE.finditer(text):
        number = _from_match(m, text)
        if number is None:
            continue
        end = m.end()
        printed_compact = re.sub(r"\s+", "", number.printed)
        # locate the start of the (lead-in-free) prefix in the original text
        start = m.start()
        window = text[m.start():end]
        idx = re.sub(r"\s+", "", window).find(printed_compact)
        if idx > 0:
            # walk forward over idx non-space characters
            seen = 0
            for i, ch in enumerate(window):
                if seen == idx:
                    start = m.start() + i
                    break
                if not ch.isspace():
                    seen += 1
        yield number, start, end


def normalize_query(text: str) -> str | None:
    """If ``text`` is a 文号 in any spelling, its canonical form; else None. Used by lookups."""
    number = parse(text)
    return number.canonical if number else None


def is_standard(printed: str) -> bool:
    """True when the printed 文号 already uses the GB/T 9704 brackets 〔〕 (spaces aside)."""
    compact = re.sub(r"\s+", "", printed)
    if ORDER_RE.fullmatch(compact) or SERIES_RE.fullmatch(compact):
        return True
    return "〔" in compact and "〕" in compact
