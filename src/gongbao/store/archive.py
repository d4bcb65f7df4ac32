"""The archive: a SQLite record of everything parsed, and a tantivy index derived from it.

Why two stores: SQLite (WAL) is the system of record — transactional, so an issue is written whole or not
at all, and readable while a writer works. The search index is a derived view, rebuilt from the record at
will; it remembers which generation of the record it reflects (``changes`` rows, one per committed issue),
so after a crash between the two the next writable open replays what it missed.

Write path, per issue: parse (worker process) → one SQLite transaction (delete the issue's old rows,
insert the new, append a ``changes`` row) → delete/add in the index writer → periodic index commits, each
followed by writing the generation it reached. Killing the process at any point leaves the record either
with or without the issue, and the index at most behind, never ahead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongbao import contract, docnumber
from gongbao.errors import GongbaoError, NotFound, StorageError, UnusableInput, storage_message
from gongbao.model import Issue
from gongbao.sources import MAX_BYTES
from gongbao.store import ids
from gongbao.store.ingest import (
    IngestReport,
    Progress,
    default_jobs,
    expand,
    file_problem,
    file_sha256,
    prepared,
)
from gongbao.store.lock import WriteLock
from gongbao.store.longtext import Joined, insert_joined, read_text
from gongbao.store.memory import trim_memory
from gongbao.store.query import All, QueryError, parse_query, terms
from gongbao.store.read import (
    ISSUE_COLUMNS,
    SUMMARY_COLUMNS,
    document_summary,
    indicator_dict,
    issue_facts,
    issue_file,
    issue_summary,
    load_document,
    source_lines,
    span,
    task_dict,
)
from gongbao.store.record import (
    COLUMNS,
    DOCUMENT_TABLES,
    ISSUE_TABLES,
    JOINED_TABLES,
    IndexDoc,
    IssueRecord,
    Row,
    insert_sql,
    issue_record,
    make_index_doc,
)
from gongbao.store.schema import migrate
from gongbao.store.search import INDEX_SCHEMA, MAX_OFFSET, Filters, SearchIndex
from gongbao.store.snippet import highlight, snippet

JSON = dict[str, Any]
DB_NAME = "archive.sqlite3"
INDEX_DIR = "index"
ORIGINALS_DIR = "originals"  # copies of original PDF, scan, OFD, DOCX and HTML files, named by hash
SORTS = ("relevance", "date")
MAX_LIMIT = 100
# An ingest makes its documents searchable at least this often (and at the end).
COMMIT_SECONDS = 30.0
COMMIT_DOCS = 50_000
# A batch ingest commits the record at least every this many documents (or every STORE_BATCH_SECONDS, and before each index commit).
STORE_BATCH_DOCS = 400
STORE_BATCH_SECONDS = 1.0
# tantivy writer heap for a batch of many files (one indexing thread: a second measured slower, see
# docs/benchmarks.md)
BATCH_HEAP_MB = 256
REFUSED_INCOMPLETE = ("文件不完整，库中已有该期的完整版本，未替换（使用 --replace 强制替换）"
                      " (incomplete copy of a complete stored issue: not replaced; use --replace)")


# why an index does not reflect the record (Archive.index_lag)
INDEX_MISSING, INDEX_FOREIGN, INDEX_BEHIND = "missing", "foreign", "behind"


@dataclass(frozen=True, slots=True)
class IndexLag:
    """Why the search index does not reflect the record's committed generation: ``INDEX_MISSING`` (no
    index), ``INDEX_FOREIGN`` (no state, or another record's or schema's index) or ``INDEX_BEHIND`` (at
    ``index_generation``, the record at ``record_generation``)."""
    reason: str
    index_generation: int | None
    record_generation: int


# an issue row that stands for one document ingested on its own (no gazette name)
STANDALONE = "coalesce(i.gazette, '') = ''"
MMAP_BYTES = 1 << 36  # SQLite caps it at its compile-time maximum; address space, not memory
CACHE_KB = -65536  # SQLite's page cache per connection (negative: KiB)
LONG_TEXT_CACHE_KB = -4096  # while a megabyte-long text is written
LONG_TEXT_LAST = ("document_text", "blocks", "issue_sources")  # written last, in this order, when one is


class ArchiveBusy(GongbaoError):
    """Another process is writing to the archive."""


class ReadOnlyArchive(GongbaoError):
    """A write was asked of an archive opened read-only."""


class Archive:
    """The archive in ``data_dir``. Open read-only to browse and search; writable to ingest and reindex.

    A writable open also brings the search index up to date with the record when no other process is
    writing (that is how a crash between the two heals). Connections are per thread.
    """

    def __init__(self, data_dir: Path | str, *, readonly: bool = False) -> None:
        self.data_dir = Path(data_dir)
        self.readonly = readonly
        self.db_path = self.data_dir / DB_NAME
        if readonly:
            if not self.db_path.exists():
                raise NotFound(f"档案不存在：{self.data_dir}（先运行 gongbao ingest）"
                               f"(no archive in {self.data_dir}: run gongbao ingest first)")
        else:
            try:
                self.data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise GongbaoError(f"无法创建档案目录 {self.data_dir} (cannot create the archive directory: "
                                   f"{exc.strerror or exc})") from None
        if not readonly:
            _require_writable_dir(self.data_dir)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._memo: dict[str, tuple[int, Any]] = {}  # whole-archive summaries by generation
        self._conn_lock = threading.Lock()
        self.immutable = False  # read through ``immutable=1``: media nobody can write (WAL not read)
        self.lock = WriteLock(self.data_dir / "write.lock")
        conn = self._conn()
        try:
            self.record_id: str = conn.execute("SELECT value FROM meta WHERE key = 'record_id'").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StorageError(storage_message(exc, self.db_path)) from None
        self.index = SearchIndex(self.data_dir / INDEX_DIR)
        self.repaired: list[str] = []
        if not readonly:
            try:
                locked = self.lock.acquire()
            except OSError as exc:
                raise StorageError(storage_message(exc, self.data_dir / "write.lock")) from None
            if locked:
                try:
                    self.repaired = self.repair_index()
                finally:
                    self.lock.release()

    # ----- plumbing -------------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._conn_lock:
                self._connections.append(conn)
        return conn

    def _connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = None
        try:
            if self.readonly:
                conn = self._connect_readonly()
            else:
                conn = sqlite3.connect(self.db_path, timeout=60, isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA busy_timeout = 60000")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA cache_size = {CACHE_KB}")
            if self.readonly:
                # readers map the file: pages come from the OS cache without a read() and a copy each
                # (a search reads ~60 rows spread over a multi-GB record); writers keep plain I/O
                conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            migrate(conn, readonly=self.readonly)
            return conn
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            raise StorageError(storage_message(exc, self.db_path)) from None

    def _connect_readonly(self) -> sqlite3.Connection:
        """``mode=ro``; on media nobody can write (no -shm can be made), ``immutable=1``."""
        from urllib.parse import quote

        base = "file:" + quote(self.db_path.resolve().as_posix(), safe="/:")
        if not self.immutable:
            conn = sqlite3.connect(base + "?mode=ro", uri=True, timeout=60, isolation_level=None,
                                   check_same_thread=False)
            try:
                conn.execute("PRAGMA busy_timeout = 60000")
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return conn
            except sqlite3.OperationalError as exc:
                conn.close()
                low = str(exc).lower()
                if "readonly" not in low and "unable to open" not in low and "read-only" not in low:
                    raise
                self.immutable = True
        conn = sqlite3.connect(base + "?immutable=1", uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn

    def close(self) -> None:
        with self._conn_lock:
            conns, self._connections = self._connections, []
        for conn in conns:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._local = threading.local()
        self.index.end()
        self.index.reset()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _require_writable(self) -> None:
        if self.readonly:
            raise ReadOnlyArchive("档案以只读方式打开 (the archive is open read-only)")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the write lock, or refuse clearly when another process holds it."""
        self._require_writable()
        try:
            locked = self.lock.acquire()
        except OSError as exc:
            raise StorageError(storage_message(exc, self.data_dir / "write.lock")) from None
        if not locked:
            raise ArchiveBusy("另一个 gongbao 进程正在写入该档案，请稍后再试 "
                              "(another gongbao process is writing to this archive)")
        try:
            yield
        finally:
            self.lock.release()

    @contextlib.contextmanager
    def _writing(self, *, heap_mb: int = 128) -> Iterator[None]:
        """Hold the write lock, bring the index up to date, and keep an index writer open."""
        with self._locked():
            self.repair_index()
            self.index.begin(heap_mb=heap_mb)
            try:
                yield
            except BaseException:
                self.index.rollback()
                raise
            self.index.end(merge=True)

    def generation(self) -> int:
        """The generation of the record: the number of the last committed change."""
        row = self._conn().execute("SELECT max(generation) FROM changes").fetchone()
        return int(row[0] or 0)

    # ----- index upkeep ---------------------------------------------------------------------------
    def repair_index(self) -> list[str]:
        """What a writer does on start (with the lock): remove a killed writer's leftovers, rebuild a
        damaged index, replay what the index missed. Returns what was done, one line each."""
        done = [f"removed {p.name}" for p in self.index.remove_leftovers()]
        if self.index.exists() and self.index.verify() is not None:
            self._rebuild(self.generation())
            return [*done, "rebuilt the damaged index"]
        outcome = self.sync_index()
        if outcome != "current":
            done.append(f"index {outcome}")
        return done

    def index_lag(self) -> IndexLag | None:
        """Why the index does not reflect the record's committed generation, or None when it does."""
        state = self.index.state()
        gen = self.generation()
        if not self.index.exists():
            return IndexLag(INDEX_MISSING, state.generation if state else None, gen)
        if state is None or state.schema != INDEX_SCHEMA or state.record_id != self.record_id:
            return IndexLag(INDEX_FOREIGN, state.generation if state else None, gen)
        if state.generation != gen:
            return IndexLag(INDEX_BEHIND, state.generation, gen)
        return None

    def index_current(self) -> bool:
        """Whether the index exists and reflects the record's committed generation."""
        return self.index_lag() is None

    def sync_index(self) -> str:
        """Bring the index to the record's generation: 'current', 'healed' (replayed) or 'rebuilt'.

        Needs the write lock (callers hold it)."""
        state = self.index.state()
        gen = self.generation()
        usable = (state is not None and self.index.exists() and state.schema == INDEX_SCHEMA
                  and state.record_id == self.record_id and state.generation <= gen)
        if usable and state is not None and state.generation == gen:
            return "current"
        if not usable or state is None:
            self._rebuild(gen)
            return "rebuilt"
        rows = self._conn().execute("SELECT DISTINCT issue_id FROM changes WHERE generation > ?",
                                    (state.generation,)).fetchall()
        self.index.begin()
        try:
            for (issue_key,) in rows:
                self.index.delete_issue(issue_key)
                self.index.add(self._index_docs("d.issue_id = ?", (issue_key,)), interim=True)
            self.index.commit(self.record_id, gen)
        finally:
            self.index.end()
        return "healed"

    def reindex(self) -> int:
        """Rebuild the search index from the record; returns the number of documents indexed."""
        with self._locked():
            self.index.remove_leftovers()
            self._rebuild(self.generation())
        return self.index.num_docs()

    def _rebuild(self, gen: int) -> None:
        staged = self.index.staging()
        staged.begin(heap_mb=256, threads=2)
        try:
            staged.add(self._index_docs(), interim=True)  # a staging index: nobody reads it yet
            staged.commit(self.record_id, gen)
            staged.end(merge=True)
        except BaseException:
            staged.rollback()
            raise
        self.index.replace_with(staged)

    def _index_docs(self, where: str = "1", params: tuple[Any, ...] = ()) -> Iterator[IndexDoc]:
        """The index entries of the documents ``where`` selects, made from the record (reindex, catch-up).

        Each text is read through :func:`~gongbao.store.longtext.read_text`: a megabyte-long one arrives
        in pieces, as ingest made it, so a rebuild stays within the memory an ingest of it took."""
        conn = self._conn()
        utf8 = conn.execute("PRAGMA encoding").fetchone()[0] == "UTF-8"
        text = "t.rowid AS text_rowid" if utf8 else "t.text"
        sql = (f"SELECT d.id, d.issue_id, d.title, {text}, d.doc_number, i.gazette, d.issuers, d.kind, "
               "d.category, d.year, d.date FROM documents d JOIN issues i ON i.id = d.issue_id "
               f"JOIN document_text t ON t.document_id = d.id WHERE {where} ORDER BY d.issue_id, d.seq")
        for r in conn.execute(sql, params):
            yield make_index_doc(
                doc_id=r["id"], issue_key=r["issue_id"], title=r["title"],
                text=read_text(conn, "document_text", "text", r["text_rowid"]) if utf8 else r["text"],
                doc_number=r["doc_number"], gazette=r["gazette"], issuers=json.loads(r["issuers"]),
                kind=r["kind"], category=r["category"], year=r["year"], date=r["date"],
            )

    # ----- writing --------------------------------------------------------------------------------
    def _store(self, record: IssueRecord, *, force: bool = False, replace: bool = False) -> tuple[str, int]:
        """Write one issue in a transaction of its own; returns (outcome, generation)."""
        with self._transaction() as conn:
            return self._write(conn, record, force=force, replace=replace)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise

    def _write(self, conn: sqlite3.Connection, record: IssueRecord, *, force: bool = False,
               replace: bool = False) -> tuple[str, int]:
        """Write one issue inside the open transaction (replacing its old rows); (outcome, generation).

        The caller owns the transaction, so a batch ingest can put several issues in one: each issue is
        still all-or-nothing, because the whole transaction is. An incomplete copy (a truncated file)
        does not replace a complete stored issue unless ``replace``: the outcome is then "refused"."""
        old = conn.execute("SELECT sha256 FROM issues WHERE id = ?", (record.issue_id,)).fetchone()
        if old is not None and old[0] == record.sha256 and not force:
            return "unchanged", 0
        if old is not None and record.incomplete and not replace and conn.execute(
                "SELECT 1 FROM problems WHERE issue_id = ? AND kind = 'truncated' LIMIT 1",
                (record.issue_id,)).fetchone() is None:
            return "refused", 0
        if old is not None:
            self._delete_issue(conn, record.issue_id)
        at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        gen = conn.execute("INSERT INTO changes (issue_id, op, at) VALUES (?, ?, ?)",
                           (record.issue_id, "replace" if old else "add", at)).lastrowid or 0
        long_text = record.long_text
        if long_text:  # a megabyte-long text's pages spill to the WAL as they are written, not held in RAM
            conn.execute(f"PRAGMA cache_size = {LONG_TEXT_CACHE_KB}")
        try:
            self._write_rows(conn, record, gen, long_text)
        finally:
            if long_text:
                conn.execute(f"PRAGMA cache_size = {CACHE_KB}")
        return ("replaced" if old else "added"), gen

    @staticmethod
    def _write_rows(conn: sqlite3.Connection, record: IssueRecord, gen: int, long_text: bool) -> None:
        """Insert the record's rows.

        SQLite holds a 50 MB text twice while it inserts it (the value, then the row made of it), so with
        a megabyte-long text that should meet as little else as possible: the tables that hold the text
        go last (the issue's source, which nothing else shares, at the very end), every table's rows are
        freed as soon as SQLite has them (but the small ones the caller still reads: ``issue_files``,
        ``problems``), and the freed memory is handed back before each text goes in."""
        tables = [t for t in COLUMNS if t not in LONG_TEXT_LAST] + list(LONG_TEXT_LAST) if long_text \
            else list(COLUMNS)
        for table in tables:
            rows = record.rows.get(table)
            if not rows:
                continue
            if long_text and table in LONG_TEXT_LAST:
                trim_memory()
            if table == "issues":
                rows = [(*row[:-1], gen) for row in rows]
            if table in JOINED_TABLES:
                rows = _insert_joined(conn, table, rows, JOINED_TABLES[table])
            conn.executemany(insert_sql(table), rows)
            if long_text and table not in ("issue_files", "problems"):
                record.rows[table] = []

    @staticmethod
    def _delete_issue(conn: sqlite3.Connection, issue_key: str) -> None:
        doc_ids = [(r[0],) for r in conn.execute("SELECT id FROM documents WHERE issue_id = ?", (issue_key,))]
        for table in DOCUMENT_TABLES:
            conn.executemany(f"DELETE FROM {table} WHERE document_id = ?", doc_ids)
        conn.execute("DELETE FROM documents WHERE issue_id = ?", (issue_key,))
        for table in ISSUE_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE issue_id = ?", (issue_key,))
        conn.execute("DELETE FROM issues WHERE id = ?", (issue_key,))

    def _known_sha(self, sha: str) -> str | None:
        row = self._conn().execute("SELECT id FROM issues WHERE sha256 = ?", (sha,)).fetchone()
        return row[0] if row else None

    def ingest(self, paths: Sequence[Path | str], progress: Progress | None = None, *, force: bool = False,
               jobs: int | None = None, ocr: str = "auto", workers: int | None = None,
               scheduler: str | None = None, replace: bool = False, max_bytes: int = MAX_BYTES) -> IngestReport:
        """Ingest files, directories (recursively: every supported form) and glob patterns.

        A file whose content is already in the archive is skipped unparsed (``force`` re-parses it); an
        issue that is already there from another file is replaced; an unusable file is reported in
        ``failed`` and the others go on. ``progress(done, total, path, outcome)`` follows each file.
        ``ocr`` is the OCR mode (auto, always, never); ``workers``/``scheduler`` parse and OCR on a Dask
        cluster (a LocalCluster of that many processes, or the cluster at that address) instead of
        ``jobs`` local processes. The original of a PDF, scan, OFD, DOCX or HTML file is copied into
        ``originals/`` so the web app can show its pages. An incomplete copy of a complete stored issue
        is reported in ``failed`` and not stored, unless ``replace``. Files over ``max_bytes``, FIFOs and
        devices are refused before anything reads them.
        """
        started = time.perf_counter()
        files, missing = expand(paths)
        report = IngestReport(failed=list(missing))
        total = len(files)
        done = 0

        def step(path: Path, outcome: str) -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, total, path, outcome)

        heavy = total > 8
        with self._writing(heap_mb=BATCH_HEAP_MB if heavy else 64):
            todo: list[Path] = []
            for path in files:
                problem = file_problem(path, max_bytes)
                if problem is not None:
                    report.failed.append((path, problem))
                    step(path, "failed")
                    continue
                sha = None if force else file_sha256(path)
                known = self._known_sha(sha) if sha else None
                if known is not None:
                    report.unchanged += 1
                    report.issues.append((path, known, "unchanged"))
                    step(path, "unchanged")
                else:
                    todo.append(path)
            pending, last_gen, last_commit = 0, 0, time.monotonic()
            # Several issues share one SQLite transaction (up to STORE_BATCH_DOCS documents): committing
            # each small issue on its own rewrote the same index pages to the WAL over and over. Each
            # issue is still whole or absent, since the transaction is; the record is always committed
            # before the index commit that covers it, so the index never runs ahead.
            conn = self._conn()
            batch = -1  # documents in the open transaction; -1 when none is open
            batch_began = 0.0

            def flush() -> None:
                nonlocal batch
                if batch >= 0:
                    conn.execute("COMMIT")
                    batch = -1

            try:
                for prep in prepared(todo, jobs or default_jobs(), ocr, workers=workers, scheduler=scheduler,
                                     max_bytes=max_bytes):
                    if prep.record is None:
                        report.failed.append((prep.path, prep.error or "无法解析 (cannot parse)"))
                        step(prep.path, "failed")
                        continue
                    record = prep.record
                    if batch < 0:
                        conn.execute("BEGIN IMMEDIATE")
                        batch, batch_began = 0, time.monotonic()
                    outcome, gen = self._write(conn, record, force=force, replace=replace)
                    if outcome == "refused":
                        report.failed.append((prep.path, REFUSED_INCOMPLETE))
                        step(prep.path, "failed")
                        continue
                    if outcome != "unchanged" and record.original:
                        self._keep_original(prep.path, record.original)
                    if outcome == "unchanged":
                        report.unchanged += 1
                    else:
                        report.added += outcome == "added"
                        report.replaced += outcome == "replaced"
                        report.documents += record.document_count
                        report.characters += prep.characters
                        if outcome == "replaced":  # the index matched the record when writing began
                            self.index.delete_issue(record.issue_id)
                        long_text = record.long_text
                        if long_text:  # the record first: the index commits on its way through the text
                            flush()
                            conn.execute("PRAGMA shrink_memory")  # SQLite's page cache, full of the text
                            trim_memory()
                        self.index.add(record.index_docs, interim=long_text)
                        pending += record.document_count
                        if batch >= 0:  # (a long text's record was committed on its own)
                            batch += record.document_count
                        last_gen = gen
                    report.issues.append((prep.path, record.issue_id, outcome))
                    step(prep.path, outcome)
                    if batch >= STORE_BATCH_DOCS or time.monotonic() - batch_began > STORE_BATCH_SECONDS:
                        flush()
                    if last_gen and (pending >= COMMIT_DOCS or time.monotonic() - last_commit > COMMIT_SECONDS):
                        flush()
                        self.index.commit(self.record_id, last_gen)
                        pending, last_commit = 0, time.monotonic()
                flush()
            except BaseException:
                if batch >= 0:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise
            if last_gen:
                self.index.commit(self.record_id, self.generation())
        report.seconds = time.perf_counter() - started
        return report

    def _keep_original(self, path: Path, name: str) -> None:
        """Copy the original file into ``originals/`` (atomically; named by its hash, so a copy already
        there is the same file). Done before the transaction that records it commits: a crash between
        the two leaves an unused copy, never a record without its file."""
        folder = self.data_dir / ORIGINALS_DIR
        target = folder / name
        if target.exists():
            return
        folder.mkdir(exist_ok=True)
        tmp = target.with_name(f".{name}.{os.getpid()}.tmp")
        try:
            shutil.copyfile(path, tmp)
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def original_path(self, issue_id: str) -> Path | None:
        """The archive's copy of an issue's original file (PDF, scan, OFD, DOCX, HTML), if it has one."""
        row = self._conn().execute("SELECT original FROM issue_files WHERE issue_id = ?", (issue_id,)).fetchone()
        if row is None or not row[0]:
            return None
        path = self.data_dir / ORIGINALS_DIR / row[0]
        return path if path.is_file() else None

    def ingest_issue(self, issue: Issue, *, replace: bool = False) -> str:
        """Store an already parsed issue (replacing the stored one of the same identity); its id.

        Raises UnusableInput when an incomplete issue would replace a complete one (unless ``replace``)."""
        record = issue_record(issue)
        with self._writing(heap_mb=32):
            outcome, gen = self._store(record, replace=replace)
            if outcome == "refused":
                raise UnusableInput(f"{issue.source.path}: {REFUSED_INCOMPLETE}")
            if outcome != "unchanged":
                self.index.delete_issue(record.issue_id)
                self.index.add(record.index_docs, interim=True)  # the record is committed
                self.index.commit(self.record_id, gen)
        return record.issue_id

    # ----- browsing -------------------------------------------------------------------------------
    def gazettes(self) -> list[JSON]:
        """The gazettes with their issues and documents; standalone documents are no gazette (see
        :meth:`standalone`). Counted once per committed generation (the home page asks on every visit)."""
        def compute() -> list[JSON]:
            rows = self._conn().execute(
                "SELECT i.gazette AS name, count(*) AS issue_count, "
                "sum((SELECT count(*) FROM documents d WHERE d.issue_id = i.id)) AS document_count, "
                f"max(i.published) AS latest_published FROM issues i WHERE NOT {STANDALONE} "
                "GROUP BY i.gazette ORDER BY i.gazette"
            ).fetchall()
            return [{"name": r["name"], "issue_count": r["issue_count"], "document_count": r["document_count"] or 0,
                     "latest_published": r["latest_published"]} for r in rows]

        return [dict(g) for g in self._per_generation("gazettes", compute)]

    def _per_generation(self, key: str, compute: Callable[[], Any]) -> Any:
        """A whole-archive summary, computed again only after a change commits. Counting 250,000
        documents' tasks and citations takes a quarter of a second; the answer changes only with the
        generation, which every call reads (one indexed lookup), so a new ingest shows at once."""
        generation = self.generation()
        hit = self._memo.get(key)
        if hit is not None and hit[0] == generation:
            return hit[1]
        value = compute()
        self._memo[key] = (generation, value)
        return value

    def _issue_rows(self, where: str, params: tuple[Any, ...],
                    order: str = "i.gazette, i.year DESC, i.number DESC, i.published DESC", tail: str = "") -> list[JSON]:
        sql = (f"SELECT {ISSUE_COLUMNS}, "
               "(SELECT count(*) FROM documents d WHERE d.issue_id = i.id) AS n_docs, "
               "(SELECT count(*) FROM problems p WHERE p.issue_id = i.id) AS n_problems "
               f"FROM issues i WHERE {where} ORDER BY {order} {tail}")
        return [issue_facts(r, r["n_docs"], r["n_problems"]) for r in self._conn().execute(sql, params)]

    def issues_page(self, *, gazette: str | None = None, year: int | None = None, offset: int = 0,
                    limit: int = 50) -> tuple[int, list[JSON]]:
        """(how many issues match, one page of them), newest publication first: the API's issue list,
        paged by the database rather than by reading every issue of the archive."""
        where, params = ["1"], []
        if gazette is not None:
            where.append("i.gazette = ?")
            params.append(gazette)
        if year is not None:
            where.append("i.year = ?")
            params.append(int(year))
        condition = " AND ".join(where)
        total = int(self._conn().execute(f"SELECT count(*) FROM issues i WHERE {condition}", params).fetchone()[0])
        rows = self._issue_rows(
            condition, (*params, max(0, int(limit)), max(0, int(offset))),
            "coalesce(i.published, '') DESC, coalesce(i.gazette, '') DESC, i.year DESC, i.number DESC, "
            "i.published DESC", "LIMIT ? OFFSET ?")
        return total, rows

    def issues(self, gazette: str | None = None) -> list[JSON]:
        """Issues, newest first within each gazette."""
        if gazette is None:
            return self._issue_rows("1", ())
        return self._issue_rows("i.gazette = ?", (gazette,))

    def latest_issues(self, per_gazette: int = 8) -> list[JSON]:
        """The newest ``per_gazette`` issues of each gazette (what the home page lists), without reading
        every issue of a large archive."""
        return self._issue_rows(
            "i.id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY gazette ORDER BY year DESC, "
            f"number DESC, published DESC) AS rn FROM issues i WHERE NOT {STANDALONE}) WHERE rn <= ?)",
            (max(0, int(per_gazette)),))

    def issue(self, gazette: str, year: int, number: int) -> JSON | None:
        try:
            key = (gazette, int(year), int(number))
        except (TypeError, ValueError):
            return None
        row = self._conn().execute("SELECT id FROM issues WHERE gazette = ? AND year = ? AND number = ?",
                                   key).fetchone()
        return self.issue_by_id(row[0]) if row else None

    def issue_by_id(self, issue_id: str) -> JSON | None:
        """An issue's facts with its TOC (each entry with its ``document_id``), documents and problems."""
        found = self._issue_rows("i.id = ?", (issue_id,))
        if not found:
            return None
        out = found[0]
        conn = self._conn()
        out["source"] = issue_file(conn, issue_id)
        out["toc"] = [
            {"category": r["category"], "title": r["title"], "doc_number": r["doc_number"],
             "doc_number_printed": r["doc_number_printed"], "page": r["page"],
             "span": contract.span(span(r["span_start"], r["span_end"])), "printed": r["printed"],
             "document_id": r["document_id"]}
            for r in conn.execute("SELECT * FROM toc_entries WHERE issue_id = ? ORDER BY seq", (issue_id,))
        ]
        out["documents"] = [document_summary(r) for r in conn.execute(
            f"SELECT {SUMMARY_COLUMNS} FROM documents d JOIN issues i ON i.id = d.issue_id "
            "WHERE d.issue_id = ? ORDER BY d.seq", (issue_id,))]
        out["problems"] = [
            {"kind": r["kind"], "message": r["message"], "span": contract.span(span(r["span_start"], r["span_end"])),
             "document": r["document_index"], "document_id": r["document_id"]}
            for r in conn.execute("SELECT * FROM problems WHERE issue_id = ? ORDER BY seq", (issue_id,))
        ]
        return out

    _DOCUMENT_SQL = ("SELECT d.*, i.gazette, i.year AS issue_year, i.number, i.published "
                     "FROM documents d JOIN issues i ON i.id = d.issue_id")

    def document(self, doc_id: str) -> JSON | None:
        """A document in the ``gongbao parse --json`` shape, plus id, its issue, indicators, resolved
        citations and the source lines of its span."""
        conn = self._conn()
        row = conn.execute(f"{self._DOCUMENT_SQL} WHERE d.id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        return self._document(row, source_lines(conn, row["issue_id"]))

    def _document(self, row: sqlite3.Row, source: list[str]) -> JSON:
        """:meth:`document` of a fetched row, given its issue's source lines."""
        conn = self._conn()
        doc_id = row["id"]
        out = contract.document(load_document(conn, row, source))
        out["id"] = doc_id
        out["position"] = row["seq"] + 1
        out["date"] = row["date"]
        out["issue"] = issue_summary(row, year="issue_year")
        out["indicators"] = [indicator_dict(r) for r in conn.execute(
            "SELECT * FROM indicators WHERE document_id = ? ORDER BY seq", (doc_id,))]
        out["citations"] = self.citations(doc_id)
        out["ocr"] = bool(row["ocr"])
        start, end = row["span_start"], row["span_end"]
        out["source_lines"] = ([] if start is None or end is None else
                               [(n, source[n - 1]) for n in range(max(start, 1), min(end, len(source)) + 1)])
        return out

    def _summaries(self, where: str, params: tuple[Any, ...], order: str = "d.date DESC, d.id",
                   limit: int | None = None) -> list[JSON]:
        sql = (f"SELECT {SUMMARY_COLUMNS} FROM documents d JOIN issues i ON i.id = d.issue_id "
               f"WHERE {where} ORDER BY {order}" + (f" LIMIT {int(limit)}" if limit is not None else ""))
        return [document_summary(r) for r in self._conn().execute(sql, params)]

    def documents_by_number(self, ref: str) -> list[JSON]:
        """Documents whose 文号 is ``ref`` in any spelling (宁政办发[2022]68号 = 宁政办发〔2022〕 68 号)."""
        canonical = docnumber.normalize_query(ref) if isinstance(ref, str) else None
        if canonical is None:
            return []
        return self._summaries("d.doc_number = ?", (canonical,))

    def resolve(self, ref: str) -> str | None:
        """A document id from an id or a 文号 in any spelling (the most recent document carrying it)."""
        if not isinstance(ref, str):
            return None
        ref = ref.strip()
        conn = self._conn()
        if ids.looks_like_id(ref) and conn.execute("SELECT 1 FROM documents WHERE id = ?", (ref,)).fetchone():
            return ref
        found = self.documents_by_number(ref)
        return found[0]["id"] if found else None

    def standalone(self) -> list[JSON]:
        """Documents ingested on their own (a file that is one 公文, not an issue of a gazette), most recent
        first: a collection of their own, listed by issuer, never a gazette without a name."""
        # through the issues (few are standalone) rather than a scan of every document
        return self._summaries(f"d.issue_id IN (SELECT i.id FROM issues i WHERE {STANDALONE})", (),
                               "d.date IS NULL, d.date DESC, d.id")

    def latest_documents(self, limit: int = 10) -> list[JSON]:
        """The newest documents by date, then undated ones. Two queries, so the dated part is read off the
        date index instead of sorting every document."""
        limit = max(0, int(limit))
        order = "i.published DESC, d.issue_id, d.seq"
        dated = self._summaries("d.date IS NOT NULL", (), f"d.date DESC, {order}", limit=limit)
        if len(dated) < limit:
            dated += self._summaries("d.date IS NULL", (), order, limit=limit - len(dated))
        return dated

    def iter_documents(self) -> Iterator[JSON]:
        """Every document in full, by gazette, year, issue and position (for exports); each issue's source
        is read once, not once per document."""
        conn = self._conn()
        rows = conn.execute(f"{self._DOCUMENT_SQL} ORDER BY i.gazette, i.year, i.number, d.issue_id, d.seq")
        issue_id, source = None, []
        for row in rows.fetchall():
            if row["issue_id"] != issue_id:
                issue_id, source = row["issue_id"], source_lines(conn, row["issue_id"])
            yield self._document(row, source)

    def counts(self) -> JSON:
        """How much the archive holds (counted once per committed generation) and the index's generation."""
        conn = self._conn()

        def n(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0] or 0)

        def compute() -> JSON:
            return {
                "gazettes": n(f"SELECT count(DISTINCT i.gazette) FROM issues i WHERE NOT {STANDALONE}"),
                "issues": n(f"SELECT count(*) FROM issues i WHERE NOT {STANDALONE}"),
                "standalone": n("SELECT count(*) FROM documents d WHERE d.issue_id IN "
                                f"(SELECT i.id FROM issues i WHERE {STANDALONE})"),
                "documents": n("SELECT count(*) FROM documents"),
                "problems": n("SELECT count(*) FROM problems"),
                "citations": n("SELECT count(*) FROM citations"),
                "tasks": n("SELECT count(*) FROM tasks"),
                "targets": n("SELECT count(*) FROM targets"),
                "indicators": n("SELECT count(*) FROM indicators"),
            }

        state = self.index.state()
        return {**self._per_generation("counts", compute), "generation": self.generation(),
                "index_generation": state.generation if state else None}

    # ----- extracted facts ------------------------------------------------------------------------
    def tasks(self, unit: str | None = None) -> list[JSON]:
        """Every task with its document (id, title, 文号, gazette); ``unit`` keeps the tasks naming it in
        any role, matched through the organisation alias table."""
        rows = self._conn().execute(
            "SELECT t.*, d.title AS doc_title, d.doc_number, d.signed, d.date, d.issue_id, i.gazette, "
            "i.year, i.number, i.published, i.source_path FROM tasks t JOIN documents d ON d.id = t.document_id "
            "JOIN issues i ON i.id = d.issue_id ORDER BY d.date DESC, d.id, t.seq").fetchall()
        out: list[JSON] = []
        for r in rows:
            item = task_dict(r)
            item.update(document_id=r["document_id"], seq=r["seq"], doc_title=r["doc_title"],
                        title=r["doc_title"], doc_number=r["doc_number"], signed=r["signed"], date=r["date"],
                        gazette=r["gazette"], source=r["source_path"], issue=issue_summary(r))
            out.append(item)
        if unit:
            from gongbao.extract import ledger

            out = ledger.for_unit(out, unit)
        return out

    def indicators(self, name: str | None = None) -> list[JSON]:
        """Economic indicators with their document and issue (a time series when ``name`` is given)."""
        sql = ("SELECT x.*, d.title AS doc_title, d.issue_id, i.gazette, i.year, i.number, i.published "
               "FROM indicators x JOIN documents d ON d.id = x.document_id JOIN issues i ON i.id = d.issue_id")
        params: tuple[Any, ...] = ()
        if name:
            sql += " WHERE x.canonical_name = ? OR x.name = ?"
            params = (name, name)
        sql += " ORDER BY i.published, d.id, x.seq"
        out: list[JSON] = []
        for r in self._conn().execute(sql, params):
            item = indicator_dict(r)
            item.update(document_id=r["document_id"], doc_title=r["doc_title"], seq=r["seq"],
                        issue=issue_summary(r))
            out.append(item)
        return out

    def _targets_of(self, doc_id: str) -> tuple[str | None, set[str]]:
        """(canonical 文号, title keys of the document and its enclosures) — what citations point at."""
        conn = self._conn()
        row = conn.execute("SELECT doc_number, title_key FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None, set()
        keys = {row["title_key"]}
        keys.update(r[0] for r in conn.execute("SELECT title_key FROM enclosures WHERE document_id = ?",
                                               (doc_id,)))
        return row["doc_number"], keys

    def _resolve_citation(self, doc_number: str | None, title_key: str | None) -> str | None:
        conn = self._conn()
        if doc_number:
            row = conn.execute("SELECT id FROM documents WHERE doc_number = ? ORDER BY date DESC, id LIMIT 1",
                               (doc_number,)).fetchone()
            if row:
                return row[0]
        if title_key:
            row = conn.execute("SELECT id FROM documents WHERE title_key = ? ORDER BY date DESC, id LIMIT 1",
                               (title_key,)).fetchone()
            if row:
                return row[0]
            row = conn.execute("SELECT e.document_id FROM enclosures e JOIN documents d ON d.id = e.document_id "
                               "WHERE e.title_key = ? ORDER BY d.date DESC, d.id LIMIT 1",
                               (title_key,)).fetchone()
            if row:
                return row[0]
        return None

    def _citation_dict(self, r: sqlite3.Row, own_id: str) -> JSON:
        target = None if r["self_reference"] else self._resolve_citation(r["doc_number"], r["title_key"])
        self_ref = bool(r["self_reference"]) or target == own_id
        return {
            "doc_number": r["doc_number"], "title": r["title"], "sentence": r["sentence"],
            "span": contract.span(span(r["span_start"], r["span_end"], r["span_cstart"], r["span_cend"])),
            "self_reference": self_ref, "target_id": None if self_ref else target, "seq": r["seq"],
            "work": r["work"],
            "document_id": own_id,
        }

    def citations(self, doc_id: str) -> list[JSON]:
        """The references a document makes, each with ``target_id`` when the cited document is archived
        (by exact 文号, else by title against document and enclosure titles); a citation of the
        document's own enclosure is a self-reference and no edge."""
        rows = self._conn().execute("SELECT * FROM citations WHERE document_id = ? ORDER BY seq",
                                    (doc_id,)).fetchall()
        return [self._citation_dict(r, doc_id) for r in rows]

    def cited_by(self, doc_id: str) -> list[JSON]:
        """Documents citing ``doc_id``: each citing document's summary with the citation."""
        number, keys = self._targets_of(doc_id)
        if not keys and number is None:
            return []
        conn = self._conn()
        clauses, params = [], []
        if number:
            clauses.append("c.doc_number = ?")
            params.append(number)
        if keys:
            clauses.append(f"c.title_key IN ({', '.join('?' * len(keys))})")
            params.extend(sorted(keys))
        rows = conn.execute(f"SELECT c.* FROM citations c WHERE ({' OR '.join(clauses)}) AND c.document_id != ? "
                            "AND c.self_reference = 0 ORDER BY c.document_id, c.seq",
                            (*params, doc_id)).fetchall()
        out: list[JSON] = []
        for r in rows:
            citation = self._citation_dict(r, r["document_id"])
            if citation["target_id"] != doc_id:
                continue  # the 文号 or title resolves to another document first
            summary = self._summaries("d.id = ?", (r["document_id"],))
            if summary:
                out.append({**summary[0], "citation": citation})
        return out

    def unresolved_citations(self) -> list[JSON]:
        """Citations whose target is not in the archive (not self-references)."""
        rows = self._conn().execute("SELECT * FROM citations WHERE self_reference = 0 "
                                    "ORDER BY document_id, seq").fetchall()
        out: list[JSON] = []
        for r in rows:
            citation = self._citation_dict(r, r["document_id"])
            if citation["target_id"] is None and not citation["self_reference"]:
                out.append(citation)
        return out

    # ----- lifecycle (validity, effects, status on a date) -------------------------------------------
    def lifecycle(self, doc_id: str, as_of: dt.date | str | None = None) -> JSON | None:
        """A document's status on ``as_of`` (default today) with the documents that decide it, its dated
        events (oldest first) and its effects on others, each target resolved when archived."""
        from gongbao.lifecycle import events, status_on
        from gongbao.store import lifecycle

        conn = self._conn()
        facts = lifecycle.facts_of(conn, doc_id, self._targets_of(doc_id))
        if facts is None:
            return None
        day = _as_of(as_of)
        out = lifecycle.outgoing(conn, doc_id)
        return {"status": status_on(facts, day).as_dict(), "events": events(facts, out), "effects": out}

    def _all_facts(self) -> dict[str, Any]:
        """Lifecycle facts of every document something is known about, cached per generation of the
        record (one pass over the validity and effects tables; statuses per date are then cheap)."""
        from gongbao.store import lifecycle

        gen = self.generation()
        cached = getattr(self._local, "lifecycle", None)
        if cached is None or cached[0] != gen:
            cached = (gen, lifecycle.all_facts(self._conn()))
            self._local.lifecycle = cached
        return cached[1]

    def statuses(self, as_of: dt.date | str | None = None) -> dict[str, str]:
        """Document id → status on ``as_of`` for every document something is known about; any other
        document is 未知."""
        from gongbao.lifecycle import status_on

        day = _as_of(as_of)
        return {doc_id: status_on(facts, day).status for doc_id, facts in self._all_facts().items()}

    def _status_filter(self, filters: Filters, status: str, as_of: dt.date | str | None) -> dict[str, str]:
        """Restrict ``filters`` to documents with ``status`` on ``as_of``: the ids of that status (or, for
        未知, all but the documents with another status) become a term-set filter on the index. Only a
        status-filtered search pays for it; the statuses come from the per-generation cache."""
        from gongbao.lifecycle import STATUSES, UNKNOWN

        if status not in STATUSES:
            raise QueryError(f"状态应为 {'、'.join(STATUSES)} 之一 (status must be one of {', '.join(STATUSES)})")
        statuses = self.statuses(as_of)
        if status == UNKNOWN:
            filters.exclude_ids = sorted(i for i, s in statuses.items() if s != UNKNOWN)
        else:
            filters.ids = sorted(i for i, s in statuses.items() if s == status)
        return statuses

    def expiring(self, days: int = 90, as_of: dt.date | str | None = None) -> list[JSON]:
        """Documents in force on ``as_of`` whose validity ends within ``days`` days (soonest first), each
        with ``expires``, ``days_left`` and its status — what 清理 offices work from."""
        from gongbao.lifecycle import AMENDED, IN_FORCE, NOT_YET, status_on

        day = _as_of(as_of)
        until = day + dt.timedelta(days=max(0, int(days)))
        rows = self._conn().execute("SELECT document_id, expires FROM validity WHERE expires >= ? AND expires <= ? "
                                    "ORDER BY expires, document_id", (day.isoformat(), until.isoformat())).fetchall()
        facts = self._all_facts()
        kept = []
        for r in rows:
            f = facts.get(r["document_id"])
            status = status_on(f, day) if f else None
            if status is not None and status.status in (IN_FORCE, AMENDED, NOT_YET):
                kept.append((r, status))
        wanted = [r["document_id"] for r, _ in kept]
        summaries: dict[str, JSON] = {}
        for i in range(0, len(wanted), 500):  # a long horizon can hold more ids than SQLite binds at once
            chunk = wanted[i:i + 500]
            summaries.update((d["id"], d) for d in self._summaries(f"d.id IN ({', '.join('?' * len(chunk))})",
                                                                   tuple(chunk)))
        out: list[JSON] = []
        for r, status in kept:
            summary = summaries.get(r["document_id"])
            if summary:
                left = (dt.date.fromisoformat(r["expires"]) - day).days
                out.append({**summary, "expires": r["expires"], "days_left": left, "status": status.as_dict()})
        return out

    def lifecycle_events(self, *, until: dt.date | str | None = None, limit: int = 50) -> list[JSON]:
        """The archive's lifecycle events up to ``until`` (default today), newest first: commencements,
        expiries, and repeals/amendments/清理 decisions resolved to their targets (for the Atom feed)."""
        from gongbao.lifecycle import EVENT_LABELS, INCOMING_EVENT

        day = _as_of(until)
        found: list[JSON] = []
        for doc_id, f in self._all_facts().items():
            own = [("commences", f.commences), ("expires", f.expires)] if f.printed else []
            for kind, when in own:
                if when is not None and when <= day:
                    found.append({"date": when.isoformat(), "type": kind, "document_id": doc_id})
            for i in f.incoming:
                if i.date is not None and i.date <= day:
                    found.append({"date": i.date.isoformat(), "type": INCOMING_EVENT[i.type], "document_id": doc_id,
                                  "by": {"id": i.document_id, "title": i.title, "doc_number": i.doc_number}})
        found.sort(key=lambda e: (e["date"], e["document_id"], e["type"]), reverse=True)
        found = found[:max(0, int(limit))]
        summaries = {d["id"]: d for d in self._summaries(
            f"d.id IN ({', '.join('?' * len(found))})", tuple(e["document_id"] for e in found))} if found else {}
        for e in found:
            e["label"] = EVENT_LABELS[e["type"]]
            e["document"] = summaries.get(e["document_id"])
        return [e for e in found if e["document"]]

    # ----- search ---------------------------------------------------------------------------------
    def search(self, query: str, *, gazette: str | None = None, issue: str | None = None,
               issuer: str | None = None,
               kind: str | None = None, category: str | None = None, year: int | str | None = None,
               date_from: dt.date | str | None = None, date_to: dt.date | str | None = None,
               sort: str = "relevance", page: int = 1, limit: int = 20, status: str | None = None,
               as_of: dt.date | str | None = None) -> JSON:
        """Full-text search with filters and facets; see docs/architecture.md for the query language.

        ``issue`` (an issue's id) and ``gazette`` keep the documents of one issue or one gazette; the facets
        count within that scope.
        Returns ``{"total", "hits", "facets", "page", "limit"}``; snippets are HTML-safe with ``<mark>``.
        Raises :class:`~gongbao.store.query.QueryError` (a GongbaoError) for unusable queries or options.
        """
        if sort not in SORTS:
            raise QueryError(f"排序方式应为 relevance 或 date (sort must be relevance or date, not {sort!r})")
        page, limit = _positive(page, "page"), _positive(limit, "limit")
        if limit > MAX_LIMIT:
            raise QueryError(f"每页最多 {MAX_LIMIT} 条 (limit must be at most {MAX_LIMIT})")
        offset = (page - 1) * limit
        if offset + limit > MAX_OFFSET:
            raise QueryError(f"只能翻到前 {MAX_OFFSET} 条结果 (results beyond {MAX_OFFSET} are not paged)")
        node = parse_query(query)
        if isinstance(node, All):
            sort = "date"
        filters = Filters(
            gazette=_opt_str(gazette), issue=_opt_str(issue), issuer=_opt_str(issuer), kind=_opt_str(kind), category=_opt_str(category),
            year=_year(year), date_from=_day(date_from, end=False), date_to=_day(date_to, end=True),
        )
        status = _opt_str(status)
        statuses: dict[str, str] = {}
        if status is not None:
            statuses = self._status_filter(filters, status, as_of)
        result = self.index.search(node, filters, sort=sort, offset=offset, limit=limit)
        wanted = [term.squeezed for term in terms(node)]
        hits: list[JSON] = []
        if result.hits:
            doc_ids = [doc_id for doc_id, _ in result.hits]
            marks = ", ".join("?" * len(doc_ids))
            rows = {r["id"]: r for r in self._conn().execute(
                f"SELECT {SUMMARY_COLUMNS}, t.text FROM documents d JOIN issues i ON i.id = d.issue_id "
                f"LEFT JOIN document_text t ON t.document_id = d.id WHERE d.id IN ({marks})", doc_ids)}
            for doc_id, score in result.hits:
                r = rows.get(doc_id)
                if r is None:  # replaced or removed since the index saw it
                    continue
                summary = document_summary(r)
                hits.append({
                    "id": doc_id, "doc_number": summary["doc_number"], "title": summary["title"],
                    "issuers": summary["issuers"], "signed": summary["signed"], "kind": summary["kind"],
                    "snippet": snippet(r["text"] or "", wanted),
                    "score": None if score is None else round(score, 4),
                    "gazette": summary["gazette"], "issue": summary["issue"], "category": summary["category"],
                    "title_html": highlight(summary["title"], wanted), "date": summary["date"],
                    "page": summary["page"], "pages": summary["pages"], "ocr": summary["ocr"],
                })
                if status is not None:
                    hits[-1]["status"] = statuses.get(doc_id, "未知")
        return {"total": result.total, "hits": hits, "facets": result.facets, "page": page, "limit": limit,
                "sort": sort}


def _insert_joined(conn: sqlite3.Connection, table: str, rows: list[Row], column: int) -> list[Row]:
    """Insert the rows of ``table`` whose text (``row[column]``) is a megabyte-long :class:`Joined`, a
    piece at a time; the other rows are returned for one ``executemany``."""
    rest: list[Row] = []
    for row in rows:
        if isinstance(row[column], Joined):
            insert_joined(conn, table, COLUMNS[table], row)
        else:
            rest.append(row)
    return rest


def _require_writable_dir(folder: Path) -> None:
    """Refuse a write to an archive on read-only media or in a folder we may not write, in one line."""
    if os.access(folder, os.W_OK):
        return
    import errno

    read_only = False
    with contextlib.suppress(OSError, AttributeError):
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    code = errno.EROFS if read_only else errno.EACCES
    raise StorageError(storage_message(OSError(code, os.strerror(code), str(folder)), folder))


def _as_of(value: dt.date | str | None) -> dt.date:
    """The day a status is asked for: a date, 'YYYY-MM-DD', or today (China Standard Time) when absent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    day = _day(value, end=False)
    if day is None or (isinstance(value, str) and len(value.strip()) != 10):
        raise QueryError(f"as_of 应为 YYYY-MM-DD (as_of must be YYYY-MM-DD, not {value!r})")
    return day


def _positive(value: Any, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise QueryError(f"{name} 应为正整数 ({name} must be a positive integer)")
    return number


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _year(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        year = -1
    if not 1000 <= year <= 9999:
        raise QueryError(f"年份应为四位数字 (year must be four digits, not {value!r})")
    return year


def _day(value: Any, *, end: bool) -> dt.date | None:
    """A date bound: a date, or 'YYYY', 'YYYY-MM', 'YYYY-MM-DD' (a year or month is its first or last day)."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        parts = [int(p) for p in text.replace("/", "-").replace(".", "-").split("-")]
        if len(parts) == 1:
            return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)
        if len(parts) == 2:
            first = dt.date(parts[0], parts[1], 1)
            if not end:
                return first
            nxt = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        if len(parts) == 3:
            return dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        pass
    raise QueryError(f"日期格式应为 YYYY-MM-DD (dates are YYYY, YYYY-MM or YYYY-MM-DD, not {text!r})")



