"""What kind of text a file is, before it is split into documents: a 公文 or a gazette, a page a portal
publishes under 政府信息公开 (公示, 预算/决算, news, 解读), or something else that must be refused (a
technical standard, an academic paper, fiction).

A standard or a paper converted from PDF has a 目次 and numbered clauses that look like a gazette's TOC
and items; it is recognised by the parts every such text has (前言, 范围, 规范性引用文件, 术语和定义; 摘要
and 关键词) and refused with a reason, like an empty or binary file.
"""

from __future__ import annotations

import datetime as dt
import re

from gongbao import docnumber
from gongbao.dates import DATE_RE
from gongbao.parse.frontmatter import title_like
from gongbao.parse.lines import Line

_STANDARD_CODE_RE = re.compile(r"^(?:GB|GB/T|GB/Z|DB\d{2}(?:/T)?|[A-Z]{2}(?:/T)?)\s*\d{2,6}(?:[.\-—]\d+)*\s*[-—]\s*\d{4}")
_STANDARD_PARTS_RE = re.compile(r"^(?:\d{1,2}\s*)?(前\s*言|范\s*围|规范性引用文件|术语和定义|术语、定义)$")
_PAPER_RE = re.compile(r"^[【\[［]?\s*(摘\s*要|关\s*键\s*词|关\s*键\s*字|Abstract|Key\s*words)\s*[】\]］]?\s*[:：]?", re.I)
_REFERENCES_RE = re.compile(r"^(参考文献|References)\s*[:：]?$", re.I)


def refusal(lines: list[Line]) -> str | None:
    """Why the text is neither a gazette nor a 公文 (a standard, a paper), or None."""
    head = [ln for ln in lines[:400] if not ln.blank]
    parts = {re.sub(r"[\d\s]", "", m.group(1)) for ln in head if (m := _STANDARD_PARTS_RE.match(ln.clean))}
    code = any(_STANDARD_CODE_RE.match(ln.clean) or ln.clean.startswith("ICS") for ln in head[:40])
    if len(parts) >= 3 or (code and len(parts) >= 2):
        return "不是政府公报或公文：这是一份技术标准（前言、范围、规范性引用文件）(a technical standard, not a gazette or an official document)"
    paper = {re.sub(r"\s", "", m.group(1)).lower()[:2] for ln in head[:80] if (m := _PAPER_RE.match(ln.clean))}
    refs = any(_REFERENCES_RE.match(ln.clean) for ln in lines)
    if ("摘要" in paper and "关键" in paper) or ("ab" in paper and "ke" in paper) or (paper and refs):
        return "不是政府公报或公文：这是一篇学术论文（摘要、关键词、参考文献）(an academic paper, not a gazette or an official document)"
    return None


# pages a portal publishes under 政府信息公开 that are not 公文: the word in the title gives the kind
_PAGE_KINDS = (("解读", "解读"), ("一图读懂", "解读"), ("图解", "解读"), ("公示", "公示"), ("决算", "决算"),
               ("预算", "预算"), ("公开", "信息公开"))
_META_DATE_RE = re.compile(r"(?:发布|成文|印发|公开)?(?:日期|时间)\s*[:：]\s*(?P<d>(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2})")
_META_ORGAN_RE = re.compile(r"(?:来源|发布机构|发文机关|信息来源)\s*[:：]\s*(?P<o>[\u4e00-\u9fff]{2,40})")
_GOV_WORDS = ("政府", "人民", "办公厅", "委员会", "局", "厅", "部", "公示", "预算", "决算", "公开", "政策", "会议")


def page_kind(title: str) -> str:
    for word, kind in _PAGE_KINDS:
        if word in title:
            return kind
    return "信息"


def page_title(lines: list[Line]) -> int | None:
    """The title line of a portal page that is not a 公文 (公示, 预算, news): among the first five lines,
    a short title-like line followed by prose, in a text that names a government body and a date."""
    nonblank = [i for i, ln in enumerate(lines) if not ln.blank]
    if len(nonblank) < 2:
        return None
    text = "".join(lines[i].clean for i in nonblank[:60])
    has_date = bool(DATE_RE.search(text) or _META_DATE_RE.search(text))
    if not has_date or not any(w in text for w in _GOV_WORDS):
        return None
    for n, i in enumerate(nonblank[:5]):
        line = lines[i]
        if title_like(line) and 6 <= len(line.clean) <= 60 and not line.clean.startswith("第"):
            rest = [lines[j].clean for j in nonblank[n + 1:n + 8]]
            if any(len(r) >= 20 and ("。" in r or "：" in r or "\t" in r or "|" in r) for r in rest) or (
                    "公示" in line.clean or "预算" in line.clean or "决算" in line.clean):
                return i
    return None


def meta_facts(lines: list[Line], lo: int, hi: int) -> tuple[dt.date | None, str | None]:
    """(date, organ) from a page's 发布日期：2021-03-23 / 来源：… lines near the title."""
    date = organ = None
    for line in lines[lo:hi]:
        if date is None and (m := _META_DATE_RE.search(line.clean)):
            y, mo, d = (int(x) for x in re.split(r"[-/.]", m.group("d")))
            try:
                date = dt.date(y, mo, d)
            except ValueError:
                date = None
        if organ is None and (m := _META_ORGAN_RE.search(line.clean)):
            organ = m.group("o")
    return date, organ


_ENCLOSED_RE = re.compile(r"《((?:[^《》]|《[^《》]*》)+)》")
_EXPLAIN_TAIL_RE = re.compile(r"(?:的)?(?:政策)?(?:解读|图解)$|^(?:一图读懂|图解)")


def explained(title: str, lines: list[Line], lo: int, hi: int) -> tuple[str | None, str | None]:
    """(title, 文号) of the document an interpretation explains: the 《》 name in its title (or the title
    without 解读), and the first 文号 printed near the top."""
    m = _ENCLOSED_RE.search(title)
    name = m.group(1) if m else (_EXPLAIN_TAIL_RE.sub("", title).removeprefix("关于").strip() or None)
    number = None
    for line in lines[lo:hi]:
        for found, _s, _e in docnumber.find(line.clean):
            number = found.canonical
            break
        if number:
            break
    return name, number
