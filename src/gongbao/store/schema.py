"""The SQLite schema of the record, as a list of versioned migrations.

The record is normalised: every fact the parser and the extractors produce has its own row and its
span (``*_start``/``*_end`` line numbers, ``*_cstart``/``*_cend`` characters where the model has them),
so the web and the exports can always point back at the printed lines. ``PRAGMA user_version`` holds the
number of migrations applied; a migration never edits an earlier one, it adds the next.
"""

from __future__ import annotations

import sqlite3
import uuid

from gongbao.errors import GongbaoError

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE issues (
    id TEXT PRIMARY KEY,
    gazette TEXT, year INTEGER, number INTEGER, total_number INTEGER, published TEXT,
    masthead_start INTEGER, masthead_end INTEGER,
    source_path TEXT NOT NULL, sha256 TEXT NOT NULL, encoding TEXT, size INTEGER, line_count INTEGER,
    ingested_at TEXT NOT NULL, generation INTEGER NOT NULL
);
CREATE INDEX issues_sha256 ON issues(sha256);
CREATE INDEX issues_gazette ON issues(gazette, year, number);

CREATE TABLE issue_sources (issue_id TEXT PRIMARY KEY, text TEXT NOT NULL);

CREATE TABLE toc_entries (
    issue_id TEXT NOT NULL, seq INTEGER NOT NULL,
    title TEXT NOT NULL, category TEXT, doc_number TEXT, doc_number_printed TEXT, page INTEGER,
    span_start INTEGER, span_end INTEGER, printed TEXT, document_id TEXT,
    PRIMARY KEY (issue_id, seq)
) WITHOUT ROWID;

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    issue_id TEXT NOT NULL, seq INTEGER NOT NULL,
    title TEXT NOT NULL, title_printed TEXT, title_key TEXT NOT NULL,
    doc_number TEXT, doc_number_printed TEXT, doc_prefix TEXT, doc_year INTEGER, doc_serial INTEGER,
    kind TEXT, category TEXT, page INTEGER, toc_index INTEGER,
    issuers TEXT NOT NULL, organ_line TEXT, signed TEXT, date TEXT, year INTEGER,
    addressees TEXT NOT NULL, public INTEGER, public_note TEXT,
    span_start INTEGER, span_end INTEGER, signature_start INTEGER, signature_end INTEGER
);
CREATE INDEX documents_issue ON documents(issue_id, seq);
CREATE INDEX documents_number ON documents(doc_number);
CREATE INDEX documents_title_key ON documents(title_key);
CREATE INDEX documents_date ON documents(date);

-- The searchable text of a document (title aside): the source of the search index and of snippets.
CREATE TABLE document_text (document_id TEXT PRIMARY KEY, text TEXT NOT NULL);

CREATE TABLE enclosures (
    document_id TEXT NOT NULL, seq INTEGER NOT NULL,
    title TEXT NOT NULL, title_key TEXT NOT NULL, kind TEXT, span_start INTEGER, span_end INTEGER,
    PRIMARY KEY (document_id, seq)
) WITHOUT ROWID;
CREATE INDEX enclosures_title_key ON enclosures(title_key);

CREATE TABLE annexes (
    document_id TEXT NOT NULL, seq INTEGER NOT NULL,
    number INTEGER, title TEXT NOT NULL, omitted INTEGER NOT NULL,
    span_start INTEGER, span_end INTEGER, printed_start INTEGER, printed_end INTEGER,
    PRIMARY KEY (document_id, seq)
) WITHOUT ROWID;

-- Body blocks (the outline): part is 'body', 'enclosure' or 'annex'; part_seq the enclosure/annex.
-- original/lines are NULL when they are exactly the source lines of the span (read back from
-- issue_sources): the printed text is then stored once, not twice.
CREATE TABLE blocks (
    document_id TEXT NOT NULL, part TEXT NOT NULL, part_seq INTEGER NOT NULL, seq INTEGER NOT NULL,
    kind TEXT NOT NULL, text TEXT NOT NULL, original TEXT,
    label TEXT, style TEXT, level INTEGER NOT NULL, title TEXT, path TEXT NOT NULL,
    span_start INTEGER, span_end INTEGER, lines TEXT
);
CREATE INDEX blocks_document ON blocks(document_id, part, part_seq, seq);

CREATE TABLE doc_tables (
    document_id TEXT NOT NULL, part TEXT NOT NULL, part_seq INTEGER NOT NULL, block_seq INTEGER NOT NULL,
    header_rows INTEGER NOT NULL, caption TEXT, rows TEXT NOT NULL,
    span_start INTEGER, span_end INTEGER
);
CREATE INDEX doc_tables_document ON doc_tables(document_id, part, part_seq, block_seq);

CREATE TABLE problems (
    issue_id TEXT NOT NULL, seq INTEGER NOT NULL,
    kind TEXT NOT NULL, message TEXT NOT NULL, span_start INTEGER, span_end INTEGER,
    document_index INTEGER, document_id TEXT,
    PRIMARY KEY (issue_id, seq)
) WITHOUT ROWID;

CREATE TABLE citations (
    document_id TEXT NOT NULL, seq INTEGER NOT NULL,
    doc_number TEXT, title TEXT, title_key TEXT, sentence TEXT NOT NULL, self_reference INTEGER NOT NULL,
    span_start INTEGER, span_end INTEGER, span_cstart INTEGER, span_cend INTEGER
);
CREATE INDEX citations_document ON citations(document_id, seq);
CREATE INDEX citations_number ON citations(doc_number);
CREATE INDEX citations_title_key ON citations(title_key);

CREATE TABLE tasks (
    document_id TEXT NOT NULL, seq INTEGER NOT NULL,
    text TEXT NOT NULL, measure TEXT NOT NULL, path TEXT NOT NULL,
    leads TEXT NOT NULL, partners TEXT NOT NULL, implementers TEXT NOT NULL, deadline TEXT, note TEXT,
    span_start INTEGER, span_end INTEGER, span_cstart INTEGER, span_cend INTEGER
);
CREATE INDEX tasks_document ON tasks(document_id, seq);

CREATE TABLE task_units (
    document_id TEXT NOT NULL, task_seq INTEGER NOT NULL, role TEXT NOT NULL, unit TEXT NOT NULL
);
CREATE INDEX task_units_document ON task_units(document_id);

CREATE TABLE targets (
    document_id TEXT NOT NULL, seq INTEGER NOT NULL,
    indicator TEXT NOT NULL, comparator TEXT, value TEXT NOT NULL, unit TEXT, year INTEGER,
    base_value TEXT, base_year INTEGER, nature TEXT, text TEXT NOT NULL,
    span_start INTEGER, span_end INTEGER, span_cstart INTEGER, span_cend INTEGER
);
CREATE INDEX targets_document ON targets(document_id, seq);

CREATE TABLE indicators (
    document_id TEXT NOT NULL, seq INTEGER NOT NULL,
    name TEXT NOT NULL, canonical_name TEXT NOT NULL, parent TEXT, period TEXT, unit TEXT,
    value REAL, value_text TEXT NOT NULL, change REAL, change_text TEXT NOT NULL, note TEXT,
    span_start INTEGER, span_end INTEGER, span_cstart INTEGER, span_cend INTEGER
);
CREATE INDEX indicators_document ON indicators(document_id, seq);
CREATE INDEX indicators_name ON indicators(canonical_name);

-- One row per committed change of an issue: the generation the search index catches up to.
CREATE TABLE changes (
    generation INTEGER PRIMARY KEY AUTOINCREMENT, issue_id TEXT NOT NULL, op TEXT NOT NULL,
    at TEXT NOT NULL
);
"""

_V2 = """
-- How each issue's text was obtained: the file's form, its pages (which lines each gave, the printed page
-- number, OCR and its confidence), OCR lines to check, the file's own metadata (a portal's metadata
-- table), and where the archive keeps a copy of the original (PDF, scan, OFD, DOCX, HTML).
CREATE TABLE issue_files (
    issue_id TEXT PRIMARY KEY, format TEXT NOT NULL, info TEXT NOT NULL, original TEXT
);
ALTER TABLE documents ADD COLUMN page_first INTEGER;
ALTER TABLE documents ADD COLUMN page_last INTEGER;
ALTER TABLE documents ADD COLUMN page_printed_first TEXT;
ALTER TABLE documents ADD COLUMN page_printed_last TEXT;
-- 1 when any of the document's pages was read by OCR (search results say so)
ALTER TABLE documents ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0;
"""

_V3 = """
-- Whether a document is in force (gongbao.extract.validity): its commencement, expiry and trial marker
-- (one row per document that prints any; facts holds the contract's validity with its spans), and its
-- effects on other documents as printed. Targets are resolved when read, by joining target_doc_number
-- with documents.doc_number and target_title_key with documents/enclosures.title_key, so a repeal is found
-- whichever of the two documents was ingested first.
CREATE TABLE validity (
    document_id TEXT PRIMARY KEY, commences TEXT, commences_rule TEXT, expires TEXT, expires_rule TEXT,
    trial INTEGER NOT NULL, facts TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX validity_expires ON validity(expires);
CREATE TABLE effects (
    document_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,
    target_doc_number TEXT, target_title TEXT, target_title_key TEXT, target_issuer TEXT, sentence TEXT,
    span_start INTEGER, span_end INTEGER, span_cstart INTEGER, span_cend INTEGER,
    PRIMARY KEY (document_id, seq)
) WITHOUT ROWID;
CREATE INDEX effects_number ON effects(target_doc_number);
CREATE INDEX effects_title_key ON effects(target_title_key);
"""

_V4 = """
-- What an indicator's change measures (issue 11): 'percent' (同比增长 X% of a quantity) or 'points'
-- (个百分点, a price index on 上年=100); NULL for rows written before, read back as unknown.
ALTER TABLE indicators ADD COLUMN change_kind TEXT;
-- the scope a target's value holds for (入驻企业20户以上), as printed
ALTER TABLE targets ADD COLUMN condition TEXT;
-- the law a citation names as a work (《中华人民共和国…法》, cited without a 文号)
ALTER TABLE citations ADD COLUMN work TEXT;
"""

MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4]
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaError(GongbaoError):
    """The archive was written by a newer gongbao, or cannot be upgraded read-only."""


def migrate(conn: sqlite3.Connection, *, readonly: bool) -> None:
    """Bring the schema up to date (or check it, read-only). Each migration is one transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"档案由更新版本的 gongbao 写入 (archive schema v{version} is newer than this gongbao's "
            f"v{SCHEMA_VERSION})"
        )
    if version == SCHEMA_VERSION:
        return
    if readonly:
        raise SchemaError(
            f"档案需要升级，请先运行 gongbao ingest 或 reindex (archive schema v{version} needs upgrading "
            f"to v{SCHEMA_VERSION}; open it writable once)"
        )
    for number in range(version, SCHEMA_VERSION):
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            # re-read inside the write lock: another process may have migrated meanwhile
            if conn.execute("PRAGMA user_version").fetchone()[0] > number:
                continue
            for statement in _statements(MIGRATIONS[number]):
                conn.execute(statement)
            if number == 0:
                conn.execute("INSERT INTO meta(key, value) VALUES ('record_id', ?)", (uuid.uuid4().hex,))
            conn.execute(f"PRAGMA user_version = {number + 1}")


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit the transaction)."""
    out: list[str] = []
    buffer = ""
    for line in script.splitlines():
        if line.strip().startswith("--"):
            continue
        buffer += line + "\n"
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    return [s for s in out if s.rstrip(";").strip()]
