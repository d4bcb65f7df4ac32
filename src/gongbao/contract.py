"""The JSON contract of ``gongbao parse --json`` (documented in docs/formats.md).

One function per model class, so the shape is explicit and stable: tests, the archive and other programs
read it. 文号 are canonical strings (the printed form sits beside them), dates are ISO strings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongbao.model import (
    Annex,
    Block,
    Citation,
    Document,
    Effect,
    Enclosure,
    Gazette,
    Indicator,
    Issue,
    Page,
    PageRange,
    Problem,
    Source,
    Span,
    Table,
    Target,
    Task,
    TocEntry,
    Validity,
)

JSON = dict[str, Any]


def span(s: Span | None) -> JSON | None:
    if s is None:
        return None
    out: JSON = {"start_line": s.start_line, "end_line": s.end_line}
    if s.start_char is not None:
        out["start_char"] = s.start_char
        out["end_char"] = s.end_char
    return out


def date(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def source(s: Source) -> JSON:
    out: JSON = {"path": s.path, "sha256": s.sha256, "encoding": s.encoding, "size": s.size,
                 "line_count": s.line_count, "format": s.format, "pages": len(s.pages),
                 "ocr_pages": s.ocr_pages}
    if s.pages:
        out["page_lines"] = [page(p) for p in s.pages]
    if s.low_confidence:
        out["low_confidence"] = [{"line": line, "confidence": c} for line, c in s.low_confidence]
    if s.metadata:
        out["metadata"] = dict(s.metadata)
    return out


def page(p: Page) -> JSON:
    return {"index": p.index, "first_line": p.first_line, "last_line": p.last_line, "printed": p.printed,
            "ocr": p.ocr, "confidence": p.confidence}


def page_range(r: PageRange | None) -> JSON | None:
    if r is None:
        return None
    return {"first": r.first, "last": r.last, "printed_first": r.printed_first, "printed_last": r.printed_last}


def gazette(g: Gazette) -> JSON:
    return {"name": g.name, "year": g.year, "number": g.number, "total_number": g.total_number,
            "published": date(g.published), "span": span(g.span)}


def toc_entry(e: TocEntry) -> JSON:
    return {"category": e.category, "title": e.title,
            "doc_number": e.doc_number.canonical if e.doc_number else None,
            "doc_number_printed": e.doc_number.printed if e.doc_number else None,
            "page": e.page, "span": span(e.span)}


def table(t: Table) -> JSON:
    return {"header_rows": t.header_rows, "caption": t.caption, "span": span(t.span),
            "rows": [[{"text": c.text, "merged": c.merged} for c in row] for row in t.rows]}


def block(b: Block) -> JSON:
    out: JSON = {"kind": b.kind, "text": b.text, "original": b.original, "span": span(b.span)}
    if b.kind in ("heading", "box"):
        out.update(label=b.label, style=b.style, level=b.level, title=b.title)
    out["path"] = list(b.path)
    if b.table is not None:
        out["table"] = table(b.table)
    return out


def enclosure(e: Enclosure) -> JSON:
    return {"title": e.title, "kind": e.kind, "span": span(e.span), "body": [block(b) for b in e.body]}


def annex(a: Annex) -> JSON:
    return {"number": a.number, "title": a.title, "omitted": a.omitted, "span": span(a.span),
            "printed_span": span(a.printed_span), "body": [block(b) for b in a.body]}


def citation(c: Citation) -> JSON:
    return {"doc_number": c.doc_number, "title": c.title, "sentence": c.sentence, "span": span(c.span),
            "self_reference": c.self_reference, "work": c.work}


def task(t: Task) -> JSON:
    return {"text": t.text, "measure": t.measure, "path": list(t.path), "leads": t.leads,
            "partners": t.partners, "implementers": t.implementers, "deadline": t.deadline,
            "note": t.note, "span": span(t.span)}


def target(t: Target) -> JSON:
    return {"indicator": t.indicator, "comparator": t.comparator, "value": t.value, "unit": t.unit,
            "year": t.year, "base_value": t.base_value, "base_year": t.base_year, "nature": t.nature,
            "condition": t.condition, "text": t.text, "span": span(t.span)}


def indicator(i: Indicator) -> JSON:
    return {"name": i.name, "canonical_name": i.canonical_name, "parent": i.parent, "period": i.period,
            "unit": i.unit, "value": i.value, "value_text": i.value_text, "change": i.change,
            "change_text": i.change_text, "change_kind": i.change_kind, "note": i.note, "span": span(i.span)}


def effect(e: Effect) -> JSON:
    return {"type": e.type, "target_doc_number": e.target_doc_number, "target_title": e.target_title,
            "target_issuer": e.target_issuer, "sentence": e.sentence, "span": span(e.span)}


def validity(v: Validity) -> JSON:
    return {"commences": date(v.commences), "commences_rule": v.commences_rule,
            "commences_span": span(v.commences_span), "expires": date(v.expires), "expires_rule": v.expires_rule,
            "expires_span": span(v.expires_span), "trial": v.trial, "trial_span": span(v.trial_span),
            "effects": [effect(e) for e in v.effects], "span": span(v.span)}


def document(d: Document, *, body: bool = True) -> JSON:
    out: JSON = {
        "title": d.title,
        "title_printed": d.title_printed,
        "doc_number": d.doc_number.canonical if d.doc_number else None,
        "doc_number_printed": d.doc_number.printed if d.doc_number else None,
        "kind": d.kind,
        "category": d.category,
        "page": d.page,
        "pages": page_range(d.pages),
        "toc_index": d.toc_index,
        "issuers": list(d.issuers),
        "organ_line": d.organ_line,
        "signed": date(d.signed),
        "signature_span": span(d.signature_span),
        "addressees": list(d.addressees),
        "public": d.public,
        "public_note": d.public_note,
        "enclosures": [enclosure(e) if body else {"title": e.title, "span": span(e.span)}
                       for e in d.enclosures],
        "attachments": [annex(a) if body else {"title": a.title, "omitted": a.omitted}
                        for a in d.attachments],
        "span": span(d.span),
        "citations": [citation(c) for c in d.citations],
        "tasks": [task(t) for t in d.tasks],
        "targets": [target(t) for t in d.targets],
        "validity": validity(d.validity),
    }
    # present only when they apply, so documents without them keep the contract's shape
    if d.issuers_printed:
        out["issuers_printed"] = list(d.issuers_printed)
    if d.explains:
        out["explains"] = {"title": d.explains, "doc_number": d.explains_number}
    if body:
        out["body"] = [block(b) for b in d.body]
    return out


def problem(p: Problem) -> JSON:
    return {"kind": p.kind, "message": p.message, "span": span(p.span), "document": p.document}


def issue(i: Issue, *, body: bool = True) -> JSON:
    """The whole parse result. ``body=False`` leaves out the document bodies (summaries, listings)."""
    return {
        "source": source(i.source),
        "gazette": gazette(i.gazette),
        "toc": [toc_entry(e) for e in i.toc],
        "documents": [document(d, body=body) for d in i.documents],
        "indicators": [indicator(x) for x in i.indicators],
        "problems": [problem(p) for p in i.problems],
        "incomplete": i.incomplete,
        "missing": list(i.missing),
    }
