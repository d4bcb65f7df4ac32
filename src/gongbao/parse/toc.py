"""The table of contents (目录): categories, multi-line titles, 文号 in any bracket style, pages.

The TOC runs over pages separated by banners (发布政令 宣传政策 / 指导工作 服务社会), may repeat its
heading and category, and ends where the colophon (主编, 主管…) or the body begins. An entry is the
title lines gathered since the previous entry, closed by a line carrying its 文号 and/or page number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongbao import docnumber
from gongbao.model import Span as SpanT
from gongbao.model import TocEntry
from gongbao.parse.lines import Line
from gongbao.textnorm import repair_spaces

_LEADERS = r"[.…·．。\-—_ \t\u3000⋯]*"
_DN = (r"(?:[\u4e00-\u9fff][\u4e00-\u9fff ]{0,14}[〔\[［（(【〖][ ]*(?:19|20)\d{2}[ ]*[〕\]］）)】〗][ ]*(?:第[ ]*)?\d{1,5}[ ]*号"
       r"|[\u4e00-\u9fff]{2,30}令[ ]*第[ ]*[\d一二三四五六七八九十百零〇]{1,8}[ ]*号)")
_PAGE = r"[(（]?[ ]*(?P<page>\d{1,4})[ ]*[)）]?"
_NUMBER_PAGE_RE = re.compile(rf"^(?P<title>.*?)[(（][ ]*(?P<dn>{_DN})[ ]*[)）]{_LEADERS}{_PAGE}$")
_NUMBER_ONLY_RE = re.compile(rf"^(?P<title>.*?)[(（][ ]*(?P<dn>{_DN})[ ]*[)）]$")
_TITLE_PAGE_RE = re.compile(r"^(?P<title>.*?\S)(?:[.…·．⋯]{2,}|[ \t]+)[ ]*[(（]?[ ]*(?P<page>\d{1,4})[ ]*[)）]?$")
_PAGE_ONLY_RE = re.compile(rf"^{_LEADERS}{_PAGE}$")
_CATEGORY_RE = re.compile(r"^[【\[［〖]\s*(?P<cat>[^】\]］〗]{2,40}?)\s*[】\]］〗]$")
_BANNER_RE = re.compile(r"^(?:[\u4e00-\u9fff]{4}[ \u3000]+)+[\u4e00-\u9fff]{4}$")
COLOPHON_RE = re.compile(
    r"^(主\s*编|副\s*主\s*编|责任编辑|主\s*管|主\s*办|编辑出版|编\s*辑|出\s*版|地\s*址|电\s*话|传\s*真|邮政编码|邮\s*编|"
    r"电子邮箱|邮\s*箱|网\s*址|印\s*刷|国际标准刊号|国内统一刊号|准印证号|发行方式)\s*[:：]"
)


def is_toc_heading(line: Line) -> bool:
    return line.key in ("目录", "目次")


def is_banner(line: Line) -> bool:
    return bool(_BANNER_RE.match(line.text.strip())) and "关于" not in line.text


@dataclass(slots=True)
class TocResult:
    entries: list[TocEntry]
    start: int  # index into lines of the first 目录 heading, -1 if none
    end: int  # index of the last line that belongs to the TOC


def _title(parts: list[Line], tail: str = "") -> str:
    text = "".join(p.clean for p in parts) + tail
    return repair_spaces(text)


# a category printed bare on its own line (国务院文件, 国务院办公厅文件, 部门文件, 人事任免, 国务院令)
_BARE_CATEGORY_RE = re.compile(
    r"^[\u4e00-\u9fff]{0,10}(?:文件|任免|令|法律|法规|规章|批复|公告|通告|信息|动态|数据|解读|纪要|公报|会议)$")
_ORDER_HEAD_RE = re.compile(r"^[\u4e00-\u9fff]{2,30}令$")
_SERIAL_RE = re.compile(r"^[（(]?第\s*[\d一二三四五六七八九十百零〇]{1,8}\s*号[）)]?$")


def is_bare_category(text: str) -> bool:
    return len(text) <= 12 and "关于" not in text and "的" not in text and bool(_BARE_CATEGORY_RE.match(text))


def _next(lines: list[Line], i: int) -> int | None:
    i += 1
    while i < len(lines) and lines[i].blank:
        i += 1
    return i if i < len(lines) else None


def parse_bare_toc(lines: list[Line], start: int) -> TocResult:
    """A TOC of bare titles, with no 文号 and no page numbers (a portal's copy of an issue, the 国务院公报):
    bare category lines, an order as its number line then its title line, one title per line. The TOC
    ends where the body begins: a line repeating an entry or a category, an order's header (…令 / 第N号),
    a 文号 line, prose, or the colophon."""
    entries: list[TocEntry] = []
    seen: set[str] = set()
    category: str | None = None
    end = start
    i = _next(lines, start)
    while i is not None:
        line = lines[i]
        text = line.clean
        if is_toc_heading(line) or is_banner(line):
            i = _next(lines, i)
            continue
        if line.key in seen or COLOPHON_RE.match(line.text) or not text or text[-1] in "。；：:;，," or len(text) > 90:
            break
        k = _next(lines, i)
        if _ORDER_HEAD_RE.match(text) and k is not None and _SERIAL_RE.match(lines[k].clean):
            break  # the body's order header
        m = _CATEGORY_RE.match(text)
        if (m and "号" not in text) or is_bare_category(text):
            category = repair_spaces(m.group("cat")) if m else text
            seen.add(line.key)
            end, i = i, k
            continue
        number = docnumber.parse(text)
        if number is not None and not number.is_order:
            break  # a 文号 line: the body has begun
        if number is not None and k is not None and lines[k].clean and lines[k].clean[-1] not in "。；：:":
            # 令 item: the number line, then the regulation's title
            title_line = lines[k]
            entries.append(TocEntry(title=repair_spaces(title_line.clean), category=category, doc_number=number,
                                    page=None, span=SpanT(line.no, title_line.no),
                                    printed="\n".join([line.raw, title_line.raw])))
            seen.update((line.key, title_line.key))
            end, i = k, _next(lines, k)
            continue
        if number is not None:
            break
        entries.append(TocEntry(title=repair_spaces(text), category=category, doc_number=None, page=None,
                                span=SpanT(line.no, line.no), printed=line.raw))
        seen.add(line.key)
        end, i = i, k
    return TocResult(entries, start, end)


def parse_toc(lines: list[Line]) -> TocResult:
    """Find the TOC and read its entries. ``lines`` is the whole file."""
    start = next((i for i, ln in enumerate(lines[:400]) if is_toc_heading(ln)), -1)
    if start < 0:
        return TocResult([], -1, -1)
    printed = _parse_printed_toc(lines, start)
    if printed.entries:
        return printed
    bare = parse_bare_toc(lines, start)
    return bare if bare.entries else printed


def _parse_printed_toc(lines: list[Line], start: int) -> TocResult:
    """The printed TOC: entries closed by their 文号 and/or page number."""
    entries: list[TocEntry] = []
    category: str | None = None
    pending: list[Line] = []
    end = start
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.blank:
            continue
        text = line.clean
        if is_toc_heading(line) or is_banner(line):
            pending = []
            continue
        if (m := _CATEGORY_RE.match(text)) and "号" not in text:
            category = repair_spaces(m.group("cat"))
            pending = []
            end = i
            continue
        if COLOPHON_RE.match(line.text) or docnumber.parse(text):
            break
        m = _NUMBER_PAGE_RE.match(text) or _NUMBER_ONLY_RE.match(text)
        if m:
            parts = [*pending]
            title = _title(parts, m.group("title").strip())
            number = docnumber.parse(m.group("dn"))
            page = int(m.group("page")) if "page" in m.groupdict() and m.group("page") else None
            first = parts[0].no if parts else line.no
            entries.append(TocEntry(title=title, category=category, doc_number=number, page=page,
                                    span=SpanT(first, line.no),
                                    printed="\n".join([*(p.raw for p in parts), line.raw])))
            pending, end = [], i
            continue
        m = _TITLE_PAGE_RE.match(text) if len(text) > 4 else None
        if m is None and pending and (pm := _PAGE_ONLY_RE.match(text)):
            m = pm
        if m is not None and (pending or "title" in m.groupdict()):
            parts = [*pending]
            tail = m.group("title").strip() if "title" in m.groupdict() else ""
            title = _title(parts, tail)
            if title:
                first = parts[0].no if parts else line.no
                entries.append(TocEntry(title=title, category=category, doc_number=None,
                                        page=int(m.group("page")), span=SpanT(first, line.no),
                                        printed="\n".join([*(p.raw for p in parts), line.raw])))
                pending, end = [], i
                continue
        pending.append(line)
        if len(pending) > 5:
            break
    return TocResult(entries, start, end)
