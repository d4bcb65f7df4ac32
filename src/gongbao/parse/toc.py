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


def parse_toc(lines: list[Line]) -> TocResult:
    """Find the TOC and read its entries. ``lines`` is the whole file."""
    start = next((i for i, ln in enumerate(lines[:400]) if is_toc_heading(ln)), -1)
    if start < 0:
        return TocResult([], -1, -1)
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
