"""Reading the record back: rows → model objects → the JSON contract, so the archive and ``gongbao parse
--json`` hand out documents of exactly the same shape (:mod:`gongbao.contract` is the one serializer).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from typing import Any

from gongbao import contract
from gongbao.model import (
    Annex,
    Block,
    Cell,
    DocNumber,
    Document,
    Effect,
    Enclosure,
    Indicator,
    PageRange,
    Span,
    Table,
    Target,
    Task,
    Validity,
)

JSON = dict[str, Any]

ISSUE_COLUMNS = (
    "i.id, i.gazette, i.year, i.number, i.total_number, i.published, i.source_path, i.sha256, "
    "i.masthead_start, i.masthead_end, i.encoding, i.size, i.line_count, i.ingested_at, i.generation"
)
SUMMARY_COLUMNS = (
    "d.id, d.issue_id, d.seq, d.title, d.doc_number, d.kind, d.category, d.page, d.issuers, d.signed, "
    "d.date, d.ocr, d.page_first, d.page_last, d.page_printed_first, d.page_printed_last, "
    "i.gazette, i.year, i.number, i.published"
)


def span(start: int | None, end: int | None, cstart: int | None = None, cend: int | None = None
         ) -> Span | None:
    if start is None or end is None:
        return None
    return Span(start, end, cstart, cend)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def issue_summary(row: sqlite3.Row, year: str = "year") -> JSON:
    """The short form of an issue that documents and hits carry (``year`` names the column holding the
    issue's year where the row also has the document's)."""
    return {"id": row["issue_id"], "gazette": row["gazette"], "year": row[year], "number": row["number"],
            "published": row["published"]}


def page_range(row: sqlite3.Row) -> JSON | None:
    """The pages of the original file a document stands on, as the contract gives them (None for
    unpaginated sources)."""
    if row["page_first"] is None:
        return None
    return contract.page_range(PageRange(row["page_first"], row["page_last"], row["page_printed_first"],
                                         row["page_printed_last"]))


def document_summary(row: sqlite3.Row) -> JSON:
    """A document in lists (search hits, TOC, latest): its identity and filing facts, no body; ``pages``
    and ``ocr`` so a list can say where the original shows it and that its text may carry OCR errors."""
    return {
        "id": row["id"], "title": row["title"], "doc_number": row["doc_number"], "kind": row["kind"],
        "category": row["category"], "page": row["page"], "issuers": json.loads(row["issuers"]),
        "signed": row["signed"], "date": row["date"], "gazette": row["gazette"],
        "issue": issue_summary(row), "issue_id": row["issue_id"], "position": row["seq"] + 1,
        "pages": page_range(row), "ocr": bool(row["ocr"]),
    }


def issue_facts(row: sqlite3.Row, document_count: int, problem_count: int) -> JSON:
    return {
        "id": row["id"], "gazette": row["gazette"], "year": row["year"], "number": row["number"],
        "total_number": row["total_number"], "published": row["published"],
        "document_count": document_count, "problem_count": problem_count, "source_path": row["source_path"],
        "sha256": row["sha256"], "masthead_span": contract.span(span(row["masthead_start"], row["masthead_end"])),
        "ingested_at": row["ingested_at"],
    }


def issue_file(conn: sqlite3.Connection, issue_id: str) -> JSON:
    """How an issue's text was obtained: ``format``, ``pages`` (count), ``ocr_pages``, ``page_lines``,
    ``low_confidence``, ``metadata`` (as in the contract's ``source``) and ``original``, the file name of
    the archive's copy of the original (None for text)."""
    row = conn.execute("SELECT format, info, original FROM issue_files WHERE issue_id = ?", (issue_id,)).fetchone()
    if row is None:  # an issue stored before schema v2: converted text
        return {"format": "text", "pages": 0, "ocr_pages": [], "original": None}
    return {"format": row["format"], **json.loads(row["info"]), "original": row["original"]}


def _blocks(conn: sqlite3.Connection, doc_id: str, source: list[str]) -> dict[tuple[str, int], list[Block]]:
    tables: dict[tuple[str, int, int], Table] = {}
    for r in conn.execute("SELECT * FROM doc_tables WHERE document_id = ?", (doc_id,)):
        rows = [[Cell(text, bool(merged)) for text, merged in row] for row in json.loads(r["rows"])]
        tables[(r["part"], r["part_seq"], r["block_seq"])] = Table(
            rows, r["header_rows"], span(r["span_start"], r["span_end"]) or Span(0, 0), r["caption"])
    out: dict[tuple[str, int], list[Block]] = defaultdict(list)
    for r in conn.execute("SELECT * FROM blocks WHERE document_id = ? ORDER BY part, part_seq, seq", (doc_id,)):
        start, end = r["span_start"], r["span_end"]
        original = r["original"]
        if original is None:  # stored once, in the issue's source
            original = "\n".join(source[start - 1:end]) if start is not None else ""
        lines = json.loads(r["lines"]) if r["lines"] is not None else (
            range(start, end + 1) if start is not None else ())
        out[(r["part"], r["part_seq"])].append(Block(
            kind=r["kind"], text=r["text"], original=original,
            span=span(start, end) or Span(0, 0), label=r["label"], style=r["style"],
            level=r["level"], title=r["title"], path=tuple(json.loads(r["path"])),
            table=tables.get((r["part"], r["part_seq"], r["seq"])), lines=tuple(lines),
        ))
    return out


def source_lines(conn: sqlite3.Connection, issue_id: str) -> list[str]:
    row = conn.execute("SELECT text FROM issue_sources WHERE issue_id = ?", (issue_id,)).fetchone()
    return row[0].split("\n") if row else []


def load_document(conn: sqlite3.Connection, row: sqlite3.Row, source: list[str]) -> Document:
    """The model object of a stored document (with its enclosures, annexes, tasks and targets; its
    citations come resolved from ``Archive.citations``); ``source`` is its issue's lines, from which the
    printed text of blocks is restored."""
    doc_id = row["id"]
    number = None
    if row["doc_number"]:
        number = DocNumber(row["doc_number"], row["doc_number_printed"] or row["doc_number"],
                           row["doc_prefix"] or "", row["doc_year"], row["doc_serial"] or 0)
    blocks = _blocks(conn, doc_id, source)
    doc = Document(
        title=row["title"], title_printed=row["title_printed"] or row["title"],
        span=span(row["span_start"], row["span_end"]) or Span(0, 0), doc_number=number, kind=row["kind"],
        category=row["category"], page=row["page"], toc_index=row["toc_index"],
        issuers=json.loads(row["issuers"]), organ_line=row["organ_line"], signed=_date(row["signed"]),
        signature_span=span(row["signature_start"], row["signature_end"]),
        addressees=json.loads(row["addressees"]), public=None if row["public"] is None else bool(row["public"]),
        public_note=row["public_note"], body=blocks.get(("body", 0), []),
    )
    if row["page_first"] is not None:
        doc.pages = PageRange(row["page_first"], row["page_last"], row["page_printed_first"],
                              row["page_printed_last"])
    for r in conn.execute("SELECT * FROM enclosures WHERE document_id = ? ORDER BY seq", (doc_id,)):
        doc.enclosures.append(Enclosure(r["title"], span(r["span_start"], r["span_end"]) or Span(0, 0),
                                        r["kind"], blocks.get(("enclosure", r["seq"]), [])))
    for r in conn.execute("SELECT * FROM annexes WHERE document_id = ? ORDER BY seq", (doc_id,)):
        doc.attachments.append(Annex(r["number"], r["title"], bool(r["omitted"]),
                                     span(r["span_start"], r["span_end"]) or Span(0, 0),
                                     span(r["printed_start"], r["printed_end"]),
                                     blocks.get(("annex", r["seq"]), [])))
    doc.tasks = [_task(r) for r in conn.execute("SELECT * FROM tasks WHERE document_id = ? ORDER BY seq",
                                                 (doc_id,))]
    for r in conn.execute("SELECT * FROM targets WHERE document_id = ? ORDER BY seq", (doc_id,)):
        doc.targets.append(Target(r["indicator"], r["comparator"], r["value"], r["unit"], r["year"],
                                  r["base_value"], r["base_year"], r["nature"], r["text"], _span4(r),
                                  r["condition"]))
    doc.validity = load_validity(conn, doc_id, doc.validity)
    return doc


def _span_of(value: Any) -> Span | None:
    if not value:
        return None
    return Span(value["start_line"], value["end_line"], value.get("start_char"), value.get("end_char"))


def load_validity(conn: sqlite3.Connection, doc_id: str, default: Validity) -> Validity:
    """A stored document's validity (its targets as printed; the archive resolves them)."""
    row = conn.execute("SELECT * FROM validity WHERE document_id = ?", (doc_id,)).fetchone()
    if row is None:
        return default
    facts = json.loads(row["facts"])
    v = Validity(commences=_date(row["commences"]), commences_rule=row["commences_rule"],
                 commences_span=_span_of(facts.get("commences_span")), expires=_date(row["expires"]),
                 expires_rule=row["expires_rule"], expires_span=_span_of(facts.get("expires_span")),
                 trial=bool(row["trial"]), trial_span=_span_of(facts.get("trial_span")),
                 span=_span_of(facts.get("span")))
    for r in conn.execute("SELECT * FROM effects WHERE document_id = ? ORDER BY seq", (doc_id,)):
        v.effects.append(Effect(r["type"], r["target_doc_number"], r["target_title"], _span4(r),
                                target_issuer=r["target_issuer"], sentence=r["sentence"] or ""))
    return v


def _span4(r: sqlite3.Row) -> Span:
    return span(r["span_start"], r["span_end"], r["span_cstart"], r["span_cend"]) or Span(0, 0)


def _task(r: sqlite3.Row) -> Task:
    return Task(r["text"], r["measure"], tuple(json.loads(r["path"])), json.loads(r["leads"]),
                json.loads(r["partners"]), json.loads(r["implementers"]), r["deadline"], r["note"], _span4(r))


def indicator_dict(r: sqlite3.Row) -> JSON:
    """A stored indicator row in the contract's shape."""
    return contract.indicator(Indicator(
        r["name"], r["canonical_name"], r["parent"], r["period"], r["unit"], r["value"], r["value_text"],
        r["change"], r["change_text"], r["note"], _span4(r),
        r["change_kind"]))


def task_dict(r: sqlite3.Row) -> JSON:
    """A stored task row in the contract's shape."""
    return contract.task(_task(r))
