"""TOC ↔ body: match entries to documents and write the editor's proof-reading report (problems)."""

from __future__ import annotations

import re

from gongbao import docnumber
from gongbao.model import Block, Document, Problem, TocEntry
from gongbao.parse.segment import similarity
from gongbao.textnorm import match_key

_PAIRS = [("（", "）"), ("《", "》"), ("〔", "〕"), ("【", "】"), ("“", "”"), ("〈", "〉")]


def unbalanced(text: str) -> str | None:
    """The first bracket pair whose counts differ in ``text`` (（ and ( count as one kind)."""
    for left, right in _PAIRS:
        n_left, n_right = text.count(left), text.count(right)
        if left == "（":
            n_left += text.count("(")
            n_right += text.count(")")
        if n_left != n_right:
            return left + right
    return None


def _office(text: str) -> bool:
    return "办公厅" in text or "办公室" in text


def category_disagrees(category: str, doc: Document) -> bool:
    """A government's document filed under its office's heading, or the reverse."""
    if not category or "文件" not in category or "规范性" in category:
        return False
    issuer = " ".join(doc.issuers) or doc.title.split("关于")[0]
    if not issuer:
        return False
    prefix = doc.doc_number.prefix if doc.doc_number else ""
    doc_is_office = _office(issuer) or "办" in prefix  # 宁政办发, 宁政办规发: the office's series
    return _office(category) != doc_is_office


def reconcile(toc: list[TocEntry], docs: list[Document]) -> list[Problem]:
    """Fill category/page from the TOC; return problems (Chinese messages, with spans)."""
    problems: list[Problem] = []
    for entry_i, entry in enumerate(toc):
        match = next((d for d in docs if d.toc_index == entry_i), None)
        if match is None:
            problems.append(Problem("toc_entry_without_document",
                                    f"目录条目“{entry.title}”在正文中找不到对应文件", entry.span))
            continue
        di = docs.index(match)
        match.category, match.page = entry.category, entry.page
        if match_key(entry.title) != match_key(match.title):
            problems.append(Problem("toc_title_mismatch",
                                    f"目录标题与正文标题不一致：目录“{entry.title}”，正文“{match.title}”",
                                    entry.span, di))
        if entry.doc_number and match.doc_number and entry.doc_number.canonical != match.doc_number.canonical:
            problems.append(Problem("toc_doc_number_mismatch",
                                    f"目录文号“{entry.doc_number.canonical}”与正文文号“{match.doc_number.canonical}”不一致",
                                    entry.span, di))
        if entry.category and category_disagrees(entry.category, match):
            problems.append(Problem("toc_category_mismatch",
                                    f"文件“{match.title}”的发文机关与目录栏目“{entry.category}”不符", entry.span, di))
        if entry.doc_number and not docnumber.is_standard(entry.doc_number.printed):
            problems.append(Problem("nonstandard_doc_number",
                                    f"目录文号“{entry.doc_number.printed}”未使用六角括号〔〕（GB/T 9704）",
                                    entry.span, di))
    for di, doc in enumerate(docs):
        if toc and doc.toc_index is None:
            problems.append(Problem("document_not_in_toc", f"正文文件“{doc.title}”未列入目录", doc.span, di))
        if doc.doc_number and not docnumber.is_standard(doc.doc_number.printed):
            problems.append(Problem("nonstandard_doc_number",
                                    f"文号“{doc.doc_number.printed}”未使用六角括号〔〕（GB/T 9704）", doc.span, di))
        if doc.doc_number and doc.signed is None:
            problems.append(Problem("missing_signature", f"文件“{doc.title}”未找到成文日期", doc.span, di))
        pair = unbalanced(doc.title)
        if pair:
            problems.append(Problem("unbalanced_brackets", f"标题括号不配对（{pair}）：“{doc.title}”", doc.span, di))
        for block in doc.all_blocks():
            if block.kind == "table":
                continue
            pair = unbalanced(block.text)
            if pair:
                problems.append(Problem("unbalanced_brackets",
                                        f"括号不配对（{pair}）：“{_excerpt(block)}”", block.span, di))
    problems.sort(key=lambda p: (p.span.start_line if p.span else 0))
    return problems


def _excerpt(block: Block) -> str:
    text = re.sub(r"\s+", "", block.text)
    return text if len(text) <= 40 else text[:40] + "…"


def match_toc(toc: list[TocEntry], docs: list[Document]) -> None:
    """Link documents to TOC entries by 文号, then by title, for those not yet linked."""
    used = {d.toc_index for d in docs if d.toc_index is not None}
    for d in docs:
        if d.toc_index is not None:
            continue
        for i, e in enumerate(toc):
            if i in used:
                continue
            if (e.doc_number and d.doc_number and e.doc_number.canonical == d.doc_number.canonical) or (
                similarity(match_key(e.title), match_key(d.title)) >= 0.9
            ):
                d.toc_index = i
                used.add(i)
                break

