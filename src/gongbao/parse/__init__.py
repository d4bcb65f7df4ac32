"""The gazette parser: lines of a converted issue in, an :class:`~gongbao.model.Issue` out. Pure.

Stages: lines (Markdown stripped) → masthead and TOC → anchors (where documents start) → each document
assembled (front matter, body, signature, enclosures, annexes) → TOC reconciled, problems reported.
"""

from __future__ import annotations

from bisect import bisect_left

from gongbao import docnumber
from gongbao.errors import UnusableInput
from gongbao.model import Document, Gazette, Issue, Problem, Source
from gongbao.parse.completeness import completeness
from gongbao.parse.document import assemble, data_section
from gongbao.parse.frontmatter import (
    is_organ_lead,
    kind_of,
    paren_date,
    split_organs,
    title_like,
    title_prefix_organs,
)
from gongbao.parse.genre import explained, meta_facts, page_kind, page_title, refusal
from gongbao.parse.lines import Line, make_lines
from gongbao.parse.masthead import parse_masthead
from gongbao.parse.metadata import apply_metadata
from gongbao.parse.organs import expand_issuers
from gongbao.parse.pages import ocr_problems, place_documents
from gongbao.parse.reconcile import match_toc, reconcile
from gongbao.parse.segment import (
    SIGNER_NOTE_RE,
    Anchor,
    back_matter_start,
    find_number_anchors,
    find_title_anchor,
)
from gongbao.parse.toc import TocResult, is_toc_heading, parse_toc

__all__ = ["parse_lines", "parse_text"]


def _data_kind(category: str | None, title: str) -> str:
    if any(w in (category or "") + title for w in ("经济数据", "经济指标", "主要指标", "统计")):
        return "经济数据"
    return kind_of(title) or "其他"


def _title_run(lines: list[Line], i: int) -> list[int]:
    """Title lines from ``i``: up to four consecutive title-like lines (a blank line or a date in
    parentheses ends the title)."""
    run = [i]
    j = i + 1
    while len(run) < 4 and j < len(lines) and not lines[j].blank and title_like(lines[j]) \
            and not paren_date(lines[j]) and len(lines[j].clean) <= 40 and not docnumber.parse(lines[j].clean):
        run.append(j)
        j += 1
    return run


def _standalone_anchor(lines: list[Line]) -> Anchor | None:
    """A document without a 文号 line: its title is the first title-like line(s) naming a kind."""
    seen = 0
    for i, line in enumerate(lines):
        if line.blank:
            continue
        seen += 1
        if seen > 15:
            break
        if not title_like(line) or paren_date(line):
            continue
        run = _title_run(lines, i)
        best = next((run[:k] for k in range(1, len(run) + 1)
                     if kind_of("".join(lines[x].clean for x in run[:k]))), None)
        if best and len("".join(lines[x].clean for x in best)) >= 6:
            organ = None
            j = i - 1
            while j >= 0 and lines[j].blank:
                j -= 1
            if j >= 0 and split_organs(lines[j].text):
                if is_organ_lead(lines[j].clean + lines[i].clean) and not (len(split_organs(lines[j].text)) > 1
                                                                         and j < i - 1):
                    best = [j, *best]  # the organ opens the title (国务院办公厅 / 关于…)
                else:
                    organ = j
            return Anchor(best, None, None, organ_line=organ)
    return None


def _interpretation_anchor(lines: list[Line]) -> Anchor | None:
    """A 解读 page: its title (among the first lines) names an interpretation; the document it explains
    may be quoted in full below, with its own title and 文号, and is not a document of the file."""
    for i in [n for n, ln in enumerate(lines) if not ln.blank][:5]:
        if not title_like(lines[i]):
            continue
        run = _title_run(lines, i)
        text = "".join(lines[x].clean for x in run)
        if page_kind(text) == "解读" and (kind_of(text) == "解读" or text.startswith(("一图读懂", "图解"))):
            return Anchor(run, None, None)
    return None


def parse_lines(raw_lines: list[str], source: Source) -> Issue:
    """Parse an issue (or one standalone document). Raises UnusableInput if it is neither."""
    lines = make_lines(raw_lines)
    if reason := refusal(lines):
        raise UnusableInput(reason)
    toc = parse_toc(lines)
    inner_toc = toc.start >= 0 and _toc_inside_document(lines, toc.start)
    if inner_toc:
        # the 目录 of a plan enclosed by a notice: it belongs to the plan, not to an issue
        toc = TocResult([], -1, -1)
    else:
        _check_order(lines, toc.start)
    begin = toc.end + 1 if toc.start >= 0 else 0
    interpretation = _interpretation_anchor(lines) if toc.start < 0 else None
    anchors = [] if interpretation else find_number_anchors(lines, begin, toc.entries)
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
    page = False
    if interpretation is not None:
        all_anchors = [interpretation]
    elif not all_anchors and toc.start < 0:
        standalone = _standalone_anchor(lines)
        if standalone is None and (t := page_title(lines)) is not None:
            standalone, page = Anchor([t], None, None), True
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
        if page or anchor is interpretation:
            _page_facts(doc, lines, anchor, end)
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
        context = " ".join([doc.title, *(b.text for b in doc.body[:60])])
        named = title_prefix_organs(doc.title_printed.split("\n")[0]) or title_prefix_organs(doc.title)
        doc.issuers, doc.issuers_printed = expand_issuers(doc.issuers, context, named)
    problems = reconcile(toc.entries, documents)
    if source.pages:
        place_documents(documents, source)
        problems.extend(ocr_problems(source, raw_lines, documents))
    apply_metadata(source, lines, toc.entries, documents, problems)
    missing = completeness(lines, toc.entries, documents)
    if missing:
        problems.append(Problem("truncated", "文件不完整，缺少：" + "；".join(missing)
                                + " (incomplete issue: items missing or cut off)", None))
    return Issue(source=source, gazette=gazette, toc=toc.entries, documents=documents, problems=problems,
                 lines=raw_lines, incomplete=bool(missing), missing=missing)


def _page_facts(doc: Document, lines: list[Line], anchor: Anchor, end: int) -> None:
    """A page that is not a 公文 (解读, 公示, 预算, news): its kind from the title, the date and organ of
    its 发布日期/来源 lines, and for a 解读 the document it explains."""
    kind = page_kind(doc.title)
    doc.kind = kind if kind != "信息" else (doc.kind or kind)
    lo = anchor.title[-1] + 1
    date, organ = meta_facts(lines, lo, min(end, lo + 6))
    doc.signed = doc.signed or date
    if organ and not doc.issuers:
        doc.issuers = [organ]
    if doc.kind == "解读":
        doc.explains, doc.explains_number = explained(doc.title, lines, lo, min(end, lo + 12))


def _toc_inside_document(lines: list[Line], toc_start: int) -> bool:
    """A 目录 heading inside a document (the contents of an enclosed plan or report): no masthead above
    it, only one in the file, and the file opens as a document does: title lines, then its 文号 (within
    the first six lines). A shuffled issue (its TOC printed over two pages) stays refused as shuffled."""
    if parse_masthead(lines[:toc_start]).name or sum(1 for ln in lines if is_toc_heading(ln)) > 1:
        return False
    head = [ln for ln in lines[:toc_start] if not ln.blank][:6]
    for k, ln in enumerate(head):
        if len(ln.clean) <= 60 and docnumber.parse(SIGNER_NOTE_RE.sub("", ln.clean)):
            return k >= 1 and all(title_like(x) and not docnumber.parse(x.clean) for x in head[:k])
    return False


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
        late = next((i for i in range(400, len(lines)) if is_toc_heading(lines[i])), None)
        if late is not None and not _toc_inside_document(lines, late):
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
