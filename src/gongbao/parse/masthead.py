"""The masthead: gazette name, 年第N期, 总第N期 and the publication date, from the cover lines."""

from __future__ import annotations

import re

from gongbao.dates import CN_NUM, DATE_RE, cn_to_int, parse_date
from gongbao.model import Gazette, Span
from gongbao.parse.lines import Line

_NUM = rf"(?:\d{{1,4}}|{CN_NUM}{{1,6}})"
# 年第N期, or 年第N号 as the 国务院公报 numbers its issues (the year is then required: 第N号 alone is an
# order's or a 文号's serial)
_YEAR_NUMBER_RE = re.compile(
    rf"(?:(?P<y>(?:19|20)\d{{2}}|[〇○零一二三四五六七八九]{{4}})年)?第(?P<n>{_NUM})期"
    rf"|(?P<y2>(?:19|20)\d{{2}})年?第(?P<n2>{_NUM})号")
_TOTAL_RE = re.compile(rf"总第(?P<t>{_NUM})[期号]|总号[:：]?(?P<t2>\d{{1,5}})")
_YEAR_ALONE_RE = re.compile(r"^((?:19|20)\d{2})年?$")
_PLACE_END = ("自治区", "省", "市", "县", "区", "州", "盟", "旗")


def _name_candidates(lines: list[Line]) -> list[tuple[str, Span]]:
    found: list[tuple[str, Span]] = []
    for i, line in enumerate(lines):
        c = line.clean
        if not c.endswith("公报") or "简介" in c or "《" in c or len(c) > 30:
            continue
        name, start = c, line.no
        if not any(c.startswith(p) for p in ("中华人民共和国",)) and len(c) <= 8:
            # "人民政府公报" with the place on the line above
            j = i - 1
            while j >= 0 and lines[j].blank:
                j -= 1
            if j >= 0 and lines[j].clean.endswith(_PLACE_END) and len(lines[j].clean) <= 12:
                name, start = lines[j].clean + c, lines[j].no
        found.append((name, Span(start, line.no)))
    return found


def parse_masthead(lines: list[Line]) -> Gazette:
    """Masthead facts from the lines before the body (the cover and the TOC page)."""
    gazette = Gazette()
    names = _name_candidates(lines)
    if names:
        name, span = max(names, key=lambda t: (len(t[0]), -t[1].start_line))
        gazette.name, gazette.span = name, span
    first = last = None
    year_alone: int | None = None
    for line in lines:
        c = line.key.replace("(", "").replace(")", "")
        if gazette.total_number is None and (m := _TOTAL_RE.search(c)):
            gazette.total_number = cn_to_int(m.group("t") or m.group("t2"))
            first, last = first or line.no, line.no
            c = c[: m.start()] + c[m.end():]
        if gazette.number is None and (m := _YEAR_NUMBER_RE.search(c)):
            gazette.number = cn_to_int(m.group("n") or m.group("n2"))
            if m.group("y") or m.group("y2"):
                gazette.year = cn_to_int(m.group("y") or m.group("y2"))
            first, last = first or line.no, line.no
        if year_alone is None and (m := _YEAR_ALONE_RE.match(c)):
            year_alone = int(m.group(1))
        if gazette.published is None and "出版" in c and DATE_RE.search(line.clean):
            gazette.published = parse_date(line.clean)
            first, last = first or line.no, line.no
    if gazette.year is None:
        gazette.year = year_alone or (gazette.published.year if gazette.published else None)
    if gazette.span is None and first is not None:
        gazette.span = Span(first, last or first)
    elif gazette.span is not None and last is not None:
        gazette.span = Span(min(gazette.span.start_line, first or last), max(gazette.span.end_line, last))
    return gazette
