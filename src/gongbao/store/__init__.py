"""The archive: SQLite record of everything parsed + a tantivy search index derived from it."""

from __future__ import annotations

from gongbao.store.archive import Archive, ArchiveBusy, ReadOnlyArchive
from gongbao.store.ingest import IngestReport
from gongbao.store.query import QueryError

__all__ = ["Archive", "ArchiveBusy", "IngestReport", "QueryError", "ReadOnlyArchive"]
