"""The gazette parser: lines of a converted issue in, an :class:`~gongbao.model.Issue` out. Pure.

Stages: lines (Markdown stripped) → masthead and TOC → anchors (where documents start) → each document
assembled (front matter, body, signature, enclosures, annexes) → TOC reconciled, problems reported.
"""

from __future__ import annotations

from bisect import bisect_left

from gongbao.errors import UnusableInput
from gongbao.model import Document, Gazette, Issue, Source
from gongbao.parse.document import assemble, data_section
from gongbao.parse.frontmatter import kind_of, split_organs, title_like
from gongbao.parse.lines import Line, make_lines
from gongbao.parse.masthead import parse_masthead
from gongbao.parse.metadata import apply_metadata
from gongbao.parse.pages import ocr_problems, place_documents
from gongbao.parse.reconcile import match_toc, reconcile
from gongbao.parse.segment import Anchor, back_matter_start, find_number_anchors, find_title_anchor
from gongbao.parse.toc import is_toc_heading, parse_toc

__all__ = ["parse_lines", "parse_text"]


def _data_kind(category: str | None, title: str) -> str:
    if any(w in (category or "") + title for w in ("经济数据", "经济指标", "主要指标", "统计")):
        return "经济数据"
    return kind_of(title) or "其他"


def _standalone_anchor(lines: list[Line]) -> Anchor | None:
    seen = 0
    for i, line in enumerate(lines):
        if line.blank:
            continue
        seen += 1
        if seen > 15:
            break
        if title_like(line) and kind_of(line.clean) and len(line.clean) >= 6:
            organ = None
            j = i - 1
            while j >= 0 and lines[j].blank:
                j -= 1
            if j >= 0 and split_organs(lines[j].text):
                organ = j
            return Anchor([i], None, None, organ_line=organ)
    return None


def parse_lines(raw_lines: list[str], source: Source) -> Issue:
    """Parse an issue (or one standalone document). Raises UnusableInput if it is neither."""
    lines = make_lines(raw_lines)
    toc = parse_toc(lines)
    _check_order(lines, toc.start)
    begin = toc.end + 1 if toc.start >= 0 else 0
    anchors = find_number_anchors(lines, begin, toc.entries)
    # the masthead stands before the first document (or, with neither TOC nor document, near the top)
    head_end = min(a.start for a in anchors) if anchors else (begin if toc.start >= 0 else min(len(lines), 80))
    gazette = parse_masthead(lines[:head_end])
    # TOC items the 文号 lines did not find (data sections, damaged 文号 lines): look for their titles
    found = {a.toc for a in anchors if a.toc is not None}
    title_anchors: list[Anchor] = []
    for ti, entry in enumerate(toc.entries):
        if ti in found:
            continue
        lo = max([a.start for a in anchors if a.toc is not None and a.toc < ti] + [begin])
        later = [a.start for a in anchors if a.toc is not None and a.toc > ti]
        hi = min(later) if later else len(lines)
        a = find_title_anchor(lines, entry, lo, hi)
        if a is not None and all(a.title[0] not in b.title for b in anchors):
            a.toc = ti
            title_anchors.append(a)
    all_anchors = sorted([*anchors, *title_anchors], key=lambda a: a.start)
    if not all_anchors and toc.start < 0:
        standalone = _standalone_anchor(lines)
        if standalone is not None:
            all_anchors = [standalone]
    if not all_anchors:
        if gazette.name and toc.entries:
            raise UnusableInput("找到目录但正文缺失，文件可能被截断 (TOC found but no documents: truncated?)")
        raise UnusableInput("不是政府公报或公文：未找到刊头、目录或文号 (not a gazette or an official document)")
    last_start = all_anchors[-1].start
    tail = back_matter_start(lines, last_start + 1)
    stop = tail if tail is not None else len(lines)
    documents: list[Document] = []
    for n, anchor in enumerate(all_anchors):
        end = all_anchors[n + 1].start if n + 1 < len(all_anchors) else stop
        if anchor.number is None and anchor.toc is not None:
            entry = toc.entries[anchor.toc]
            doc = data_section(lines, anchor, end, _data_kind(entry.category, entry.title))
        else:
            doc = assemble(lines, anchor, end)
        doc.toc_index = anchor.toc
        documents.append(doc)
    if toc.start < 0:
        # without a TOC to vouch for them, keep only items that look like documents
        documents = [d for d in documents if d.addressees or d.signed or d.enclosures] or (
            [documents[0]] if len(documents) == 1 and documents[0].doc_number is None else [])
        if not documents:
            raise UnusableInput("未找到完整的公文：有文号但缺少主送机关、落款和日期 (no complete document found)")
    match_toc(toc.entries, documents)
    _check_toc_order(documents)
    for doc in documents:
        doc.issuers = [_full_organ_name(name, gazette) for name in doc.issuers]
    problems = reconcile(toc.entries, documents)
    if source.pages:
        place_documents(documents, source)
        problems.extend(ocr_problems(source, raw_lines, documents))
    apply_metadata(source, lines, toc.entries, documents, problems)
    return Issue(source=source, gazette=gazette, toc=toc.entries, documents=documents, problems=problems,
                 lines=raw_lines)


_LEVELS = ("自治区", "省", "市", "州", "县", "区", "盟", "旗")


def _full_organ_name(name: str, gazette: Gazette) -> str:
    """自治区人民政府 → 宁夏回族自治区人民政府 when the gazette's jurisdiction is 宁夏回族自治区.

    Titles and organ lines use the short form; the full name is what a signature prints."""
    if not gazette.name or "人民政府" not in gazette.name:
        return name
    place = gazette.name.split("人民政府")[0]
    for level in _LEVELS:
        if name.startswith(level) and place.endswith(level) and len(place) > len(level):
            return place + name[len(level):]
    return name


_SHUFFLED = "文件行序混乱，可能被打乱或拼接错误 (lines out of order: the file looks shuffled)"


def _check_order(lines: list[Line], toc_start: int) -> None:
    """A gazette prints its cover and TOC before any prose; prose above the TOC means a scrambled file."""
    if toc_start < 0:
        # a TOC heading far down the file, after the cover should have ended
        if any(is_toc_heading(ln) for ln in lines[400:]):
            raise UnusableInput(_SHUFFLED)
        return
    prose = sum(1 for ln in lines[:toc_start] if len(ln.clean) >= 30 and "。" in ln.clean)
    if prose > 3:
        raise UnusableInput(_SHUFFLED)


def _check_toc_order(documents: list[Document]) -> None:
    """Documents follow the TOC's order; most of them out of order means a scrambled file."""
    order = [d.toc_index for d in documents if d.toc_index is not None]
    if len(order) < 3:
        return
    # longest increasing subsequence (patience sorting)
    tails: list[int] = []
    for x in order:
        k = bisect_left(tails, x)
        tails[k:k + 1] = [x]
    if len(tails) * 2 < len(order):
        raise UnusableInput(_SHUFFLED)


def parse_text(text: str, path: str = "<text>") -> Issue:
    """Convenience for tests and callers holding a string: parse ``text`` as if read from ``path``."""
    from gongbao.sources.text import make_source, split_lines

    lines = split_lines(text.lstrip("\ufeff"))
    return parse_lines(lines, make_source(path, text.encode("utf-8"), "utf-8", lines))
