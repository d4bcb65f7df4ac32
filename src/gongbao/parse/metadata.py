"""What the file says of a standalone document (a portal's metadata box) set against what its body prints.

A portal page's metadata box (:mod:`gongbao.sources.portal`) is often the only place a document's 文号,
issuer or date is given, and its 标题 is the whole title where the body splits it over an organ line. So,
for a standalone document (no TOC, one document), the metadata fills what the body does not print. Where
both give a value and they differ, the body's value stays in the record (it is what was printed), the
metadata's stays in ``Source.metadata``, and the editor's problems name both. Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from gongbao import docnumber
from gongbao.model import DocNumber, Document, Problem, Source, Span, TocEntry
from gongbao.parse.lines import Line
from gongbao.textnorm import is_subsequence, match_key, repair_spaces

__all__ = ["apply_metadata", "parse_number", "same_number", "split_issuers"]

_ORGAN_SEP_RE = re.compile(r"[\s\u3000、，,；;]+")


def split_issuers(text: str) -> list[str]:
    """国务院办公厅　中央军委办公厅 / 民政部、财政部 → one name each."""
    return [p for p in _ORGAN_SEP_RE.split(text.strip()) if p]


def same_number(a: DocNumber, b: DocNumber) -> bool:
    """The same 文号 however spelled: equal canonical forms, or orders with the same serial whose
    prefixes abbreviate one another (国令第706号 = 中华人民共和国国务院令第706号)."""
    if a.canonical == b.canonical:
        return True
    if not (a.is_order and b.is_order) or a.serial != b.serial:
        return False
    short, long_ = sorted((a.prefix, b.prefix), key=len)
    return is_subsequence(short, long_)


_SHORT_ORDER_RE = re.compile(r"^(?P<prefix>[\u4e00-\u9fff]{1,30}令)\s*第\s*(?P<serial>\d{1,5})\s*号$")


def parse_number(text: str) -> DocNumber | None:
    """A 文号 as a portal's metadata prints it: any spelling :mod:`gongbao.docnumber` reads, and the
    register's short order numbers (国令第706号), which running text never uses alone."""
    number = docnumber.parse(text) or next((n for n, _, _ in docnumber.find(text)), None)
    if number is not None:
        return number
    m = _SHORT_ORDER_RE.match(re.sub(r"\s+", "", text))
    if m is None:
        return None
    return DocNumber(f"{m.group('prefix')}第{int(m.group('serial'))}号", text.strip(), m.group("prefix"), None,
                     int(m.group("serial")))


def _same_organ(a: str, b: str) -> bool:
    """自治区人民政府 and 宁夏回族自治区人民政府 name one organ: one name ends the other."""
    ka, kb = match_key(a), match_key(b)
    return bool(ka and kb) and (ka.endswith(kb) or kb.endswith(ka))


def _line_index(lines: list[Line], raw: str, lo: int, hi: int) -> int | None:
    for i in range(max(lo, 0), min(hi, len(lines))):
        if lines[i].raw == raw:
            return i
    return None


def _fill_title(doc: Document, lines: list[Line], meta_title: str, di: int) -> Problem | None:
    """The metadata's title where the body prints it whole, split, or without the organ that opens it;
    a problem where the two titles differ otherwise."""
    body_key, meta_key = match_key(doc.title), match_key(meta_title)
    if not meta_key or body_key == meta_key:
        return None
    if body_key and meta_key.endswith(body_key):
        prefix = meta_key[: len(meta_key) - len(body_key)]
        first = doc.title_printed.split("\n")[0]
        top = _line_index(lines, first, doc.span.start_line - 8, doc.span.start_line + 8)
        above: list[int] = []
        if top is not None:
            j = top - 1
            while j >= 0 and len(above) < 3 and len("".join(lines[i].key for i in above)) < len(prefix):
                if not lines[j].blank:
                    above.insert(0, j)
                j -= 1
        if above and "".join(lines[i].key for i in above) == prefix:
            # the title's first line(s) stood above the line the parser took for its start (an organ
            # line, or a line that does not read as a title on its own)
            doc.title = repair_spaces("".join(lines[i].clean for i in above) + doc.title)
            doc.title_printed = "\n".join([*(lines[i].raw for i in above), doc.title_printed])
            start = min(doc.span.start_line, lines[above[0]].no)
            doc.span = dataclasses.replace(doc.span, start_line=start)
            if doc.organ_line and match_key(doc.organ_line) in prefix:
                doc.organ_line = None
            return None
        if any(_same_organ(prefix, name) for name in doc.issuers):
            # the body prints the title without its organ (GB/T 9704 allows it): the portal's is whole
            doc.title = meta_title
            return None
        if any(meta_key.startswith(match_key(name)) and len(prefix) < len(match_key(name)) for name in doc.issuers):
            # the same title with the organ's short form (自治区人民政府 for 宁夏回族自治区人民政府)
            return None
    span = Span(doc.span.start_line, doc.span.start_line)
    return Problem("metadata_mismatch", f"标题与网页元数据不一致：正文“{doc.title}”，元数据“{meta_title}”", span, di)


def _number_line(doc: Document, lines: list[Line]) -> Span:
    for line in lines[doc.span.start_line - 1: doc.span.end_line]:
        if doc.doc_number and doc.doc_number.printed in line.raw:
            return Span(line.no, line.no)
    return Span(doc.span.start_line, doc.span.start_line)


def _fill_number(doc: Document, lines: list[Line], printed: str, di: int) -> Problem | None:
    number = parse_number(printed)
    if number is None:
        return None
    if doc.doc_number is None:
        doc.doc_number = number
        return None
    if same_number(doc.doc_number, number):
        return None
    return Problem("metadata_mismatch",
                   f"文号与网页元数据不一致：正文“{doc.doc_number.canonical}”，元数据“{number.canonical}”",
                   _number_line(doc, lines), di)


def _fill_issuers(doc: Document, text: str, di: int) -> Problem | None:
    names = split_issuers(text)
    if not names:
        return None
    if not doc.issuers:
        doc.issuers = names
        return None
    if len(names) == len(doc.issuers) and all(any(_same_organ(n, m) for m in names) for n in doc.issuers):
        # the same organs: the portal's register spelling (国务院, not 中华人民共和国国务院 derived from 国务院令)
        doc.issuers = names
        return None
    span = doc.signature_span or Span(doc.span.start_line, doc.span.start_line)
    return Problem("metadata_mismatch",
                   f"发文机关与网页元数据不一致：正文“{'、'.join(doc.issuers)}”，元数据“{'、'.join(names)}”",
                   span, di)


def _fill_signed(doc: Document, iso: str, di: int) -> Problem | None:
    try:
        date = dt.date.fromisoformat(iso)
    except ValueError:
        return None
    if doc.signed is None:
        doc.signed = date
        return None
    if doc.signed == date:
        return None
    span = doc.signature_span or Span(doc.span.start_line, doc.span.start_line)
    return Problem("metadata_mismatch",
                   f"成文日期与网页元数据不一致：正文落款“{doc.signed.isoformat()}”，元数据“{iso}”", span, di)


def apply_metadata(source: Source, lines: list[Line], toc: list[TocEntry], documents: list[Document],
                   problems: list[Problem]) -> None:
    """Fill a standalone document's title, 文号, issuers and signing date from ``source.metadata`` where
    the body does not print them; add a ``metadata_mismatch`` problem where both do and they differ.

    A 解读 page becomes a document of kind 解读; the metadata of such a page describes the document it
    explains (kept in ``Source.metadata['interprets']``), so nothing else is filled from it."""
    meta = source.metadata
    if not meta or toc or len(documents) != 1:
        return
    doc, di = documents[0], 0
    if meta.get("page_kind") == "解读":
        doc.kind = "解读"
        return
    had_date = doc.signed is not None
    found: list[Problem | None] = []
    if meta.get("doc_number"):
        found.append(_fill_number(doc, lines, meta["doc_number"], di))
    if meta.get("issuer"):
        found.append(_fill_issuers(doc, meta["issuer"], di))
    if meta.get("title"):
        found.append(_fill_title(doc, lines, meta["title"], di))
    if meta.get("signed"):
        found.append(_fill_signed(doc, meta["signed"], di))
    if not had_date and doc.signed is not None:
        # the date is known from the portal: 未找到成文日期 no longer holds for the record
        problems[:] = [p for p in problems if not (p.kind == "missing_signature" and p.document == di)]
    problems.extend(p for p in found if p is not None)
