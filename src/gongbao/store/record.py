"""An :class:`~gongbao.model.Issue` turned into rows of the record and documents of the search index.

Pure functions of the issue, so they can run in a worker process while the main process writes: the
worker hands back plain tuples (cheap to pickle) and the already tokenised index fields.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongbao import contract, textnorm
from gongbao.model import Block, Document, Issue, Source, Span
from gongbao.store import ids
from gongbao.store.longtext import Joined, join_long
from gongbao.store.tokens import PART, index_fields, joined_index_fields

Row = tuple[Any, ...]

# Column lists of every table an issue writes; rows are built in the same order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "issues": (
        "id", "gazette", "year", "number", "total_number", "published", "masthead_start", "masthead_end",
        "source_path", "sha256", "encoding", "size", "line_count", "ingested_at", "generation",
    ),
    "issue_sources": ("issue_id", "text"),
    "issue_files": ("issue_id", "format", "info", "original"),
    "toc_entries": (
        "issue_id", "seq", "title", "category", "doc_number", "doc_number_printed", "page",
        "span_start", "span_end", "printed", "document_id",
    ),
    "documents": (
        "id", "issue_id", "seq", "title", "title_printed", "title_key", "doc_number", "doc_number_printed",
        "doc_prefix", "doc_year", "doc_serial", "kind", "category", "page", "toc_index", "issuers",
        "organ_line", "signed", "date", "year", "addressees", "public", "public_note",
        "span_start", "span_end", "signature_start", "signature_end", "page_first", "page_last",
        "page_printed_first", "page_printed_last", "ocr",
    ),
    "document_text": ("document_id", "text"),
    "enclosures": ("document_id", "seq", "title", "title_key", "kind", "span_start", "span_end"),
    "annexes": (
        "document_id", "seq", "number", "title", "omitted", "span_start", "span_end", "printed_start",
        "printed_end",
    ),
    "blocks": (
        "document_id", "part", "part_seq", "seq", "kind", "text", "original", "label", "style", "level",
        "title", "path", "span_start", "span_end", "lines",
    ),
    "doc_tables": (
        "document_id", "part", "part_seq", "block_seq", "header_rows", "caption", "rows", "span_start",
        "span_end",
    ),
    "problems": (
        "issue_id", "seq", "kind", "message", "span_start", "span_end", "document_index", "document_id",
    ),
    "citations": (
        "document_id", "seq", "doc_number", "title", "title_key", "sentence", "self_reference",
        "span_start", "span_end", "span_cstart", "span_cend", "work",
    ),
    "tasks": (
        "document_id", "seq", "text", "measure", "path", "leads", "partners", "implementers", "deadline",
        "note", "span_start", "span_end", "span_cstart", "span_cend",
    ),
    "task_units": ("document_id", "task_seq", "role", "unit"),
    "targets": (
        "document_id", "seq", "indicator", "comparator", "value", "unit", "year", "base_value",
        "base_year", "nature", "text", "span_start", "span_end", "span_cstart", "span_cend", "condition",
    ),
    "indicators": (
        "document_id", "seq", "name", "canonical_name", "parent", "period", "unit", "value", "value_text",
        "change", "change_text", "note", "span_start", "span_end", "span_cstart", "span_cend", "change_kind",
    ),
    "validity": ("document_id", "commences", "commences_rule", "expires", "expires_rule", "trial", "facts"),
    "effects": (
        "document_id", "seq", "type", "target_doc_number", "target_title", "target_title_key", "target_issuer",
        "sentence", "span_start", "span_end", "span_cstart", "span_cend",
    ),
}


JOINED_TABLES = {table: COLUMNS[table].index("text") for table in ("issue_sources", "document_text", "blocks")}
"""Tables whose text (at this index of a row) is a :class:`~gongbao.store.longtext.Joined` when it is
megabytes long."""

# Tables whose rows belong to one document, or to one issue: deleted with it when its issue is replaced.
DOCUMENT_TABLES = tuple(table for table, cols in COLUMNS.items() if cols[0] == "document_id")
ISSUE_TABLES = tuple(table for table, cols in COLUMNS.items() if cols[0] == "issue_id")


def insert_sql(table: str) -> str:
    cols = COLUMNS[table]
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


@dataclass(slots=True)
class IndexDoc:
    """One document as the search index wants it (token fields already computed)."""

    id: str
    issue_id: str
    title_g: str  # squeezed title (tantivy makes its 1–3-grams)
    title_q: str  # its 4-grams
    text_g: str | Joined  # Joined: a text longer than PART, indexed in parts
    text_q: str
    doc_number: str | None
    gazette: str | None
    issuers: list[str]
    kind: str | None
    category: str | None
    year: int
    date: int  # yyyymmdd, 0 when unknown

    @property
    def in_parts(self) -> bool:
        """The text is indexed in parts: longer than :data:`~gongbao.store.tokens.PART`, so its 4-grams
        are made part by part (:func:`~gongbao.store.tokens.parts`) rather than held in ``text_q``."""
        return not self.text_q and len(self.text_g) > PART


@dataclass(slots=True)
class IssueRecord:
    """Everything one issue writes: its identity, its rows per table and its index documents."""

    issue_id: str
    sha256: str
    document_count: int
    rows: dict[str, list[Row]] = field(default_factory=dict)
    index_docs: list[IndexDoc] = field(default_factory=list)

    @property
    def incomplete(self) -> bool:
        """The parser found the file incomplete (a ``truncated`` problem: TOC items without bodies…)."""
        return any(row[2] == "truncated" for row in self.rows.get("problems", []))

    @property
    def long_text(self) -> bool:
        """Some document's text is indexed in parts (longer than :data:`~gongbao.store.tokens.PART`)."""
        return any(d.in_parts for d in self.index_docs)

    @property
    def original(self) -> str | None:
        """The file name under ``originals/`` the archive keeps the original as (None for text)."""
        files = self.rows.get("issue_files")
        return files[0][3] if files else None


def _span(s: Span | None) -> tuple[int | None, int | None]:
    return (s.start_line, s.end_line) if s else (None, None)


def _span4(s: Span | None) -> tuple[int | None, int | None, int | None, int | None]:
    return (s.start_line, s.end_line, s.start_char, s.end_char) if s else (None, None, None, None)


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # one encoder: json.dumps with options builds one per call


def _json(value: Any) -> str:
    return _ENCODER.encode(value)


def block_text(block: Block) -> str:
    """The searchable text of a block: its repaired text, or its cells when a table carries none."""
    if block.text.strip() or block.table is None:
        return block.text
    return "\n".join(" ".join(cell.text for cell in row) for row in block.table.rows)


def document_text(doc: Document) -> str | Joined:
    """The searchable text of a document besides its title: 文号, body, enclosures and annexes. Kept as
    its pieces (the blocks' own strings) when megabytes long."""
    parts: list[str] = []
    if doc.doc_number:
        parts.append(doc.doc_number.canonical)
    parts.extend(block_text(b) for b in doc.body)
    for enclosure in doc.enclosures:
        parts.append(enclosure.title)
        parts.extend(block_text(b) for b in enclosure.body)
    for annex in doc.attachments:
        parts.append(annex.title)
        parts.extend(block_text(b) for b in annex.body)
    return join_long([p for p in parts if p], "\n")


def doc_date(doc: Document, issue: Issue) -> dt.date | None:
    """The date a document is filed under: when it was signed, else when its issue was published."""
    return doc.signed or issue.gazette.published


def make_index_doc(
    *, doc_id: str, issue_key: str, title: str, text: str | Joined, doc_number: str | None, gazette: str | None,
    issuers: list[str], kind: str | None, category: str | None, year: int | None, date: str | None,
) -> IndexDoc:
    title_g, title_q = index_fields(title)
    text_g, text_q = joined_index_fields(text) if isinstance(text, Joined) else index_fields(text)
    return IndexDoc(
        id=doc_id, issue_id=issue_key, title_g=title_g, title_q=title_q, text_g=text_g, text_q=text_q,
        doc_number=doc_number, gazette=gazette, issuers=list(issuers), kind=kind,
        category=category, year=year or 0, date=int(date.replace("-", "")) if date else 0,
    )


def _printed(b: Block, source: list[str]) -> tuple[str | None, str | None]:
    """(original, lines) to store: None where they are exactly the source lines of the block's span."""
    start, end = b.span.start_line, b.span.end_line
    same_text = b.original == "\n".join(source[start - 1:end])
    same_lines = not b.lines or b.lines == tuple(range(start, end + 1))
    return (None if same_text else b.original), (None if same_lines else _json(list(b.lines)))


def _blocks(rows: dict[str, list[Row]], doc_id: str, part: str, part_seq: int, blocks: list[Block],
            source: list[str]) -> None:
    for seq, b in enumerate(blocks):
        original, lines = _printed(b, source)
        rows["blocks"].append((  # a long text as one piece: written without a UTF-8 copy of it
            doc_id, part, part_seq, seq, b.kind, join_long([b.text], ""), original, b.label, b.style, b.level, b.title,
            _json(list(b.path)), *_span(b.span), lines,
        ))
        if b.table is not None:
            t = b.table
            cells = [[[c.text, c.merged] for c in row] for row in t.rows]
            rows["doc_tables"].append((
                doc_id, part, part_seq, seq, t.header_rows, t.caption, _json(cells), *_span(t.span),
            ))


def original_name(source: Source) -> str | None:
    """The file name the archive keeps a copy of the original under (``originals/``), for forms whose
    text is not the file itself: PDF, scans, OFD, DOCX, HTML. Named by content hash, so a re-ingest of the
    same file shares the copy."""
    if source.format == "text":
        return None
    suffix = Path(source.path).suffix.lower()
    if not suffix or len(suffix) > 6 or not suffix[1:].isalnum():
        suffix = {"pdf": ".pdf", "image": ".img", "docx": ".docx", "ofd": ".ofd", "html": ".html"}[source.format]
    return source.sha256 + suffix


def _pages(doc: Document) -> tuple[Any, ...]:
    r = doc.pages
    return (r.first, r.last, r.printed_first, r.printed_last) if r else (None, None, None, None)


def _validity(rows: dict[str, list[Row]], doc_id: str, doc: Document) -> None:
    """A document's validity row (only when it prints something) and one row per effect."""
    v = doc.validity
    if v.empty:
        return
    facts = contract.validity(v)
    facts.pop("effects")
    rows["validity"].append((doc_id, _iso(v.commences), v.commences_rule, _iso(v.expires), v.expires_rule,
                             int(v.trial), _json(facts)))
    for i, e in enumerate(v.effects):
        rows["effects"].append((
            doc_id, i, e.type, e.target_doc_number, e.target_title,
            textnorm.title_key(e.target_title) if e.target_title else None, e.target_issuer, e.sentence,
            *_span4(e.span),
        ))


def issue_record(issue: Issue) -> IssueRecord:
    """All rows of ``issue`` (generation 0: the archive sets it when it commits)."""
    key = ids.issue_id(issue)
    g = issue.gazette
    rows: dict[str, list[Row]] = {table: [] for table in COLUMNS}
    rows["issues"].append((
        key, g.name, g.year, g.number, g.total_number, _iso(g.published), *_span(g.span),
        issue.source.path, issue.source.sha256, issue.source.encoding, issue.source.size,
        issue.source.line_count, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), 0,
    ))
    rows["issue_sources"].append((key, join_long(issue.lines, "\n")))  # a long one shares the lines
    info = contract.source(issue.source)
    for name in ("path", "sha256", "encoding", "size", "line_count", "format"):
        info.pop(name, None)
    rows["issue_files"].append((key, issue.source.format, _json(info), original_name(issue.source)))
    ocr_pages = set(issue.source.ocr_pages)
    doc_ids = [ids.document_id(key, i + 1) for i in range(len(issue.documents))]
    toc_doc: dict[int, str] = {}
    for doc_id, doc in zip(doc_ids, issue.documents, strict=True):
        if doc.toc_index is not None:
            toc_doc.setdefault(doc.toc_index, doc_id)
    for seq, e in enumerate(issue.toc):
        rows["toc_entries"].append((
            key, seq, e.title, e.category, e.doc_number.canonical if e.doc_number else None,
            e.doc_number.printed if e.doc_number else None, e.page, *_span(e.span), e.printed,
            toc_doc.get(seq),
        ))
    record = IssueRecord(key, issue.source.sha256, len(issue.documents), rows)
    for seq, (doc_id, doc) in enumerate(zip(doc_ids, issue.documents, strict=True)):
        number = doc.doc_number
        date = _iso(doc_date(doc, issue))
        year = int(date[:4]) if date else g.year
        rows["documents"].append((
            doc_id, key, seq, doc.title, doc.title_printed, textnorm.title_key(doc.title),
            number.canonical if number else None, number.printed if number else None,
            number.prefix if number else None, number.year if number else None,
            number.serial if number else None, doc.kind, doc.category, doc.page, doc.toc_index,
            _json(doc.issuers), doc.organ_line, _iso(doc.signed), date, year, _json(doc.addressees),
            None if doc.public is None else int(doc.public), doc.public_note, *_span(doc.span),
            *_span(doc.signature_span), *_pages(doc),
            int(bool(doc.pages and ocr_pages.intersection(range(doc.pages.first, doc.pages.last + 1)))),
        ))
        text = document_text(doc)
        rows["document_text"].append((doc_id, text))
        _blocks(rows, doc_id, "body", 0, doc.body, issue.lines)
        for i, enc in enumerate(doc.enclosures):
            rows["enclosures"].append((doc_id, i, enc.title, textnorm.title_key(enc.title), enc.kind,
                                       *_span(enc.span)))
            _blocks(rows, doc_id, "enclosure", i, enc.body, issue.lines)
        for i, annex in enumerate(doc.attachments):
            rows["annexes"].append((doc_id, i, annex.number, annex.title, int(annex.omitted),
                                    *_span(annex.span), *_span(annex.printed_span)))
            _blocks(rows, doc_id, "annex", i, annex.body, issue.lines)
        for i, c in enumerate(doc.citations):
            rows["citations"].append((
                doc_id, i, c.doc_number, c.title, textnorm.title_key(c.title) if c.title else None,
                c.sentence, int(c.self_reference), *_span4(c.span), c.work,
            ))
        for i, t in enumerate(doc.tasks):
            rows["tasks"].append((
                doc_id, i, t.text, t.measure, _json(list(t.path)), _json(t.leads), _json(t.partners),
                _json(t.implementers), t.deadline, t.note, *_span4(t.span),
            ))
            for role, units in (("lead", t.leads), ("partner", t.partners), ("implementer", t.implementers)):
                rows["task_units"].extend((doc_id, i, role, unit) for unit in units)
        for i, t in enumerate(doc.targets):
            rows["targets"].append((
                doc_id, i, t.indicator, t.comparator, t.value, t.unit, t.year, t.base_value, t.base_year,
                t.nature, t.text, *_span4(t.span), t.condition,
            ))
        for i, ind in enumerate(doc.indicators):
            rows["indicators"].append((
                doc_id, i, ind.name, ind.canonical_name, ind.parent, ind.period, ind.unit, ind.value,
                ind.value_text, ind.change, ind.change_text, ind.note, *_span4(ind.span), ind.change_kind,
            ))
        _validity(rows, doc_id, doc)
        record.index_docs.append(make_index_doc(
            doc_id=doc_id, issue_key=key, title=doc.title, text=text,
            doc_number=number.canonical if number else None, gazette=g.name, issuers=doc.issuers,
            kind=doc.kind, category=doc.category, year=year, date=date,
        ))
    for seq, p in enumerate(issue.problems):
        doc_ref = doc_ids[p.document] if p.document is not None and 0 <= p.document < len(doc_ids) else None
        rows["problems"].append((key, seq, p.kind, p.message, *_span(p.span), p.document, doc_ref))
    return record
