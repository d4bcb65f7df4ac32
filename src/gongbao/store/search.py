"""The tantivy search index: derived from the record, rebuilt from it at will, never the truth.

The index holds, per document, the n-gram views of its title and text (:mod:`gongbao.store.tokens`), its
文号 and the facets (gazette, issuers, kind, category, year) as fast fields, and its date for sorting.
Next to tantivy's files, ``gongbao-index.json`` records which record (``record_id``) and which generation
of it the index reflects; it is written only after tantivy has committed, so after a crash it can only
lag, and the archive replays the changes it missed (see :mod:`gongbao.store.archive`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from gongbao.errors import GongbaoError
from gongbao.store.query import All, And, Node, Not, Or, QueryError, Term
from gongbao.store.record import IndexDoc
from gongbao.store.tokens import GRAM_MAX, QUAD, parts, quad_plan, squeeze

INDEX_SCHEMA = 1
STATE_FILE = "gongbao-index.json"
FACETS = ("gazette", "issuer", "kind", "category", "year")
FACET_LABELS = {"gazette": "公报", "issuer": "发文机关", "kind": "文种", "category": "栏目", "year": "年份"}
FACET_SIZE = 30  # values counted per facet
TITLE_BOOST = 2.0
NUMBER_BOOST = 5.0
MAX_OFFSET = 10_000
INTERIM_CHARS = 4_000_000
"""Characters of a long document's index entries queued in tantivy before an interim commit (with the
4-grams that is ~4 MB of text per 1 MB of squeezed text)."""
PART_MARK = "\x00part"
"""The ``doc_number`` term of the second and later index entries of a document whose text is longer than
:data:`~gongbao.store.tokens.PART` (no 文号 squeezes to it). Every entry carries the document's id, issue
and facets, so filters and deletions treat it as the document; search counts the document once."""


class SearchIndexError(GongbaoError):
    """The search index is missing or unreadable."""


@dataclass(slots=True)
class IndexState:
    schema: int
    record_id: str
    generation: int


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("issue_id", tokenizer_name="raw")
    for prefix in ("title", "text"):
        sb.add_text_field(f"{prefix}_g", tokenizer_name="gb_grams", index_option="freq")
        sb.add_text_field(f"{prefix}_q", tokenizer_name="gb_ws", index_option="position")
    sb.add_text_field("doc_number", tokenizer_name="raw")
    for name in ("gazette", "issuer", "kind", "category"):
        sb.add_text_field(name, tokenizer_name="raw", fast=True)
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_integer_field("date", indexed=True, fast=True)
    return sb.build()


def _register(index: tantivy.Index) -> None:
    """Custom analyzers live in the process, not in the index: register them after every open."""
    index.register_tokenizer(
        "gb_grams", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(1, GRAM_MAX, False)).build()
    )
    index.register_tokenizer("gb_ws", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())


@dataclass(slots=True)
class Filters:
    gazette: str | None = None
    issue: str | None = None  # one issue, by its id
    issuer: str | None = None
    kind: str | None = None
    category: str | None = None
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    ids: list[str] | None = None  # only these documents (a status filter); [] matches nothing
    exclude_ids: list[str] | None = None  # none of these


@dataclass(slots=True)
class SearchResult:
    total: int
    hits: list[tuple[str, float | None]]  # (document id, score; None when sorted by date)
    facets: dict[str, dict[str, int]]


class SearchIndex:
    """One index directory. Readers open it any time; one writer at a time (the archive's lock)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = build_schema()
        self._index: tantivy.Index | None = None
        self._writer: Any = None
        self._loaded_at = 0.0
        self._lock = threading.Lock()
        self._copy: Path | None = None  # where a copy of an index on read-only media is read

    # ----- state -----------------------------------------------------------------------------------
    def state(self) -> IndexState | None:
        try:
            data = json.loads((self.path / STATE_FILE).read_text("utf-8"))
            return IndexState(int(data["schema"]), str(data["record_id"]), int(data["generation"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write_state(self, record_id: str, generation: int) -> None:
        tmp = self.path / f".{STATE_FILE}.{os.getpid()}"
        tmp.write_text(json.dumps({"schema": INDEX_SCHEMA, "record_id": record_id,
                                   "generation": generation}), "utf-8")
        os.replace(tmp, self.path / STATE_FILE)

    def exists(self) -> bool:
        return self.path.is_dir() and (self.path / "meta.json").exists()

    # ----- opening ---------------------------------------------------------------------------------
    def _open(self) -> tantivy.Index:
        if self._index is None:
            if not self.exists():
                raise SearchIndexError("检索索引不存在，请运行 gongbao reindex (no search index: run gongbao reindex)")
            last: Exception | None = None
            for _ in range(5):  # a concurrent reindex swaps directories: retry briefly
                try:
                    index = tantivy.Index.open(str(self.path))
                    break
                except Exception as exc:  # tantivy raises ValueError/OSError variants
                    last = exc
                    if _unwritable(exc):  # read-only media: tantivy must create its lock file
                        index = self._open_copy()
                        break
                    time.sleep(0.1)
            else:
                raise SearchIndexError(_damaged(last or ValueError("unreadable")))
            _register(index)
            self._index = index
            self._loaded_at = time.monotonic()
        return self._index

    def _open_copy(self) -> tantivy.Index:
        """An index on media nobody can write cannot be opened in place (tantivy takes a lock file in its
        directory): read a copy in a temporary directory, removed at exit. Nothing can change it meanwhile."""
        import atexit
        import tempfile

        if self._copy is None:
            tmp = Path(tempfile.mkdtemp(prefix="gongbao-ro-index-"))
            atexit.register(shutil.rmtree, tmp, True)
            shutil.copytree(self.path, tmp / "index", ignore=shutil.ignore_patterns(".tantivy-*.lock"))
            self._copy = tmp / "index"
        return tantivy.Index.open(str(self._copy))

    def _searcher(self) -> tantivy.Searcher:
        index = self._open()
        if time.monotonic() - self._loaded_at > 0.5:  # pick up commits of a concurrent ingest
            try:
                index.reload()
            except Exception:  # swapped by a reindex: open the new directory
                self._index = None
                index = self._open()
            self._loaded_at = time.monotonic()
        try:
            return index.searcher()
        except BaseException as exc:  # pyo3 panics derive from BaseException
            raise SearchIndexError(_damaged(exc)) from None

    def reset(self) -> None:
        """Forget the open index (after it was rebuilt elsewhere)."""
        self._index = None

    def refresh(self) -> None:
        """Reload the reader at the next search (another process committed)."""
        self._loaded_at = 0.0

    # ----- repair ----------------------------------------------------------------------------------
    def leftovers(self) -> list[Path]:
        """What a killed writer leaves behind and only a writer may remove: delete files no commit refers
        to (the next commit at the same opstamp would fail with FileAlreadyExists), half-built or
        swapped-out index directories of a killed reindex, and temporary state files."""
        out: list[Path] = []
        parent = self.path.parent
        out += sorted(parent.glob(f"{self.path.name}.new-*")) + sorted(parent.glob(f"{self.path.name}.old-*"))
        if not self.path.is_dir():
            return out
        out += sorted(self.path.glob(f".{STATE_FILE}.*"))
        referenced = self._referenced_deletes()
        if referenced is not None:
            out += sorted(p for p in self.path.glob("*.del") if p.name not in referenced)
        return out

    def _referenced_deletes(self) -> set[str] | None:
        """The ``<segment>.<opstamp>.del`` files the committed meta.json uses; None when unreadable."""
        try:
            meta = json.loads((self.path / "meta.json").read_text("utf-8"))
            out = set()
            for seg in meta.get("segments", []):
                deletes = seg.get("deletes")
                if deletes:
                    out.add(f"{str(seg['segment_id']).replace('-', '')}.{deletes['opstamp']}.del")
            return out
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def remove_leftovers(self) -> list[Path]:
        """Remove :meth:`leftovers` (the caller holds the write lock); the paths removed."""
        removed = []
        for path in self.leftovers():
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            removed.append(path)
        if removed:
            self.reset()
        return removed

    def verify(self) -> str | None:
        """Open the index and read every segment; why it is damaged (:func:`damage_reason`), else None."""
        try:
            index = tantivy.Index.open(str(self.path))
            _register(index)
            searcher = index.searcher()
            searcher.search(tantivy.Query.all_query(), limit=1)
            return None
        except BaseException as exc:  # tantivy raises ValueError; pyo3 panics are BaseException
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            return damage_reason(exc)

    # ----- writing ---------------------------------------------------------------------------------
    def create(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(self.schema, path=str(self.path), reuse=False)
        _register(index)
        self._index = index

    def begin(self, *, heap_mb: int = 128, threads: int = 1) -> None:
        index = self._open()
        self._writer = index.writer(heap_size=heap_mb * 1_000_000, num_threads=threads)

    def delete_issue(self, issue_id: str) -> None:
        self._writer.delete_documents_by_term("issue_id", issue_id)

    def add(self, docs: Iterable[IndexDoc], *, interim: bool = False) -> None:
        """Add documents. A document longer than :data:`~gongbao.store.tokens.PART` goes in as several
        entries; with ``interim`` (the caller has committed the record of these documents, so a crash is
        replayed from it) tantivy commits every :data:`INTERIM_CHARS` characters of such a document:
        tantivy queues whole documents until it has indexed them, and only a commit waits for that."""
        writer = self._writer
        for d in docs:
            if not d.in_parts:
                writer.add_document(self._document(d, d.text_g, d.text_q, first=True))
                continue
            queued = 0
            for n, (text_g, text_q) in enumerate(parts(d.text_g)):
                if interim and queued >= INTERIM_CHARS:
                    writer.commit()
                    queued = 0
                writer.add_document(self._document(d, text_g, text_q, first=n == 0))
                queued += len(text_g) + len(text_q)

    @staticmethod
    def _document(d: IndexDoc, text_g: str, text_q: str, *, first: bool) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_text("id", d.id)
        doc.add_text("issue_id", d.issue_id)
        doc.add_text("title_g", d.title_g if first else "")
        doc.add_text("title_q", d.title_q if first else "")
        doc.add_text("text_g", text_g)
        doc.add_text("text_q", text_q)
        if not first:
            doc.add_text("doc_number", PART_MARK)
        elif d.doc_number:
            doc.add_text("doc_number", d.doc_number)
        if d.gazette:
            doc.add_text("gazette", d.gazette)
        for issuer in dict.fromkeys(d.issuers):
            doc.add_text("issuer", issuer)
        if d.kind:
            doc.add_text("kind", d.kind)
        if d.category:
            doc.add_text("category", d.category)
        doc.add_integer("year", d.year)
        doc.add_integer("date", d.date)
        return doc

    def commit(self, record_id: str, generation: int) -> None:
        """Make the added documents visible, then record the generation they bring the index to."""
        self._writer.commit()
        self._write_state(record_id, generation)
        with contextlib.suppress(Exception):
            self._open().reload()

    def end(self, *, merge: bool = False) -> None:
        """Release the writer (and its lock); ``merge`` waits for background merges first."""
        writer, self._writer = self._writer, None
        if writer is not None and merge:
            writer.wait_merging_threads()
        del writer

    def rollback(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.rollback()
        self.end()

    # ----- rebuilding ------------------------------------------------------------------------------
    def staging(self) -> SearchIndex:
        """A fresh index next to this one, to be filled and then swapped in with :meth:`replace_with`."""
        # leftovers of a rebuild that was killed (the caller holds the write lock: nobody else builds)
        for stale in self.path.parent.glob(f"{self.path.name}.new-*"):
            shutil.rmtree(stale, ignore_errors=True)
        for stale in self.path.parent.glob(f"{self.path.name}.old-*"):
            shutil.rmtree(stale, ignore_errors=True)
        tmp = self.path.with_name(f"{self.path.name}.new-{os.getpid()}")
        staged = SearchIndex(tmp)
        staged.create()
        return staged

    def replace_with(self, staged: SearchIndex) -> None:
        """Swap a filled staging index in; readers holding the old files keep them until they reload."""
        staged.end()
        staged.reset()
        old = self.path.with_name(f"{self.path.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        self.reset()
        if self.path.exists():
            os.replace(self.path, old)
        os.replace(staged.path, self.path)
        shutil.rmtree(old, ignore_errors=True)

    # ----- searching -------------------------------------------------------------------------------
    def compile(self, node: Node) -> tantivy.Query:
        """The tantivy query for a parsed user query."""
        if isinstance(node, All):
            return tantivy.Query.all_query()
        if isinstance(node, Term):
            return self._term(node)
        if isinstance(node, Not):
            return tantivy.Query.boolean_query([
                (tantivy.Occur.Must, tantivy.Query.all_query()),
                (tantivy.Occur.MustNot, self.compile(node.child)),
            ])
        if isinstance(node, And):
            clauses = []
            positive = False
            for child in node.children:
                if isinstance(child, Not):
                    clauses.append((tantivy.Occur.MustNot, self.compile(child.child)))
                else:
                    positive = True
                    clauses.append((tantivy.Occur.Must, self.compile(child)))
            if not positive:
                clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
            return tantivy.Query.boolean_query(clauses)
        if isinstance(node, Or):
            return tantivy.Query.boolean_query([(tantivy.Occur.Should, self.compile(c)) for c in node.children])
        raise QueryError("无法理解的检索式 (unsupported query)")

    def _field_query(self, field: str, squeezed: str) -> tantivy.Query:
        n = len(squeezed)
        if n <= GRAM_MAX:
            return tantivy.Query.term_query(self.schema, f"{field}_g", squeezed, index_option="freq")
        if n == QUAD:
            return tantivy.Query.term_query(self.schema, f"{field}_q", squeezed, index_option="freq")
        return tantivy.Query.phrase_query(self.schema, f"{field}_q", quad_plan(squeezed))

    def _term(self, term: Term) -> tantivy.Query:
        if term.title_only:
            return self._field_query("title", term.squeezed)
        clauses = [
            (tantivy.Occur.Should, tantivy.Query.boost_query(self._field_query("title", term.squeezed),
                                                             TITLE_BOOST)),
            (tantivy.Occur.Should, self._field_query("text", term.squeezed)),
        ]
        if term.doc_number:
            exact = tantivy.Query.term_query(self.schema, "doc_number", term.doc_number, index_option="basic")
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(exact, NUMBER_BOOST)))
        return tantivy.Query.boolean_query(clauses)

    def _filter(self, filters: Filters) -> list[tantivy.Query]:
        out: list[tantivy.Query] = []
        for name in ("gazette", "kind", "category"):
            value = getattr(filters, name)
            if value is not None:
                out.append(tantivy.Query.term_query(self.schema, name, value, index_option="basic"))
        if filters.issue is not None:
            out.append(tantivy.Query.term_query(self.schema, "issue_id", filters.issue, index_option="basic"))
        if filters.issuer is not None:
            out.append(self._issuer_query(filters.issuer))
        if filters.year is not None:
            out.append(tantivy.Query.term_query(self.schema, "year", int(filters.year), index_option="basic"))
        if filters.date_from is not None or filters.date_to is not None:
            low = _ymd(filters.date_from) if filters.date_from else None
            high = _ymd(filters.date_to) if filters.date_to else None
            out.append(tantivy.Query.range_query(self.schema, "date", tantivy.FieldType.Integer, low, high))
        if filters.ids is not None:
            out.append(tantivy.Query.term_set_query(self.schema, "id", list(filters.ids)))
        if filters.exclude_ids:
            out.append(tantivy.Query.boolean_query([
                (tantivy.Occur.Must, tantivy.Query.all_query()),
                (tantivy.Occur.MustNot, tantivy.Query.term_set_query(self.schema, "id", list(filters.exclude_ids))),
            ]))
        return out

    def issuers(self) -> list[str]:
        """Every issuer name in the index (a term aggregation over fast fields: about 1 ms at 250,000
        documents)."""
        with self._lock:
            searcher = self._searcher()
        raw = searcher.aggregate(tantivy.Query.all_query(),
                                 {"issuer": {"terms": {"field": "issuer", "size": 1_000_000}}})
        return [str(b["key"]) for b in raw.get("issuer", {}).get("buckets", [])]

    def _issuer_query(self, value: str) -> tantivy.Query:
        """An issuer's exact name selects that issuer; any other text selects every issuer whose name
        contains it (办公厅, 财政厅, 中卫市), since nobody types 宁夏回族自治区人民政府办公厅 in full."""
        names = self.issuers()
        key = squeeze(value)
        chosen = [value] if value in names else [n for n in names if key and key in squeeze(n)]
        if not chosen:
            chosen = [value]  # matches nothing, and says so with a total of 0
        queries = [tantivy.Query.term_query(self.schema, "issuer", n, index_option="basic") for n in chosen]
        if len(queries) == 1:
            return queries[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])

    def search(self, node: Node, filters: Filters, *, sort: str, offset: int, limit: int,
               ) -> SearchResult:
        query = self.compile(node)
        conditions = self._filter(filters)
        with self._lock:
            searcher = self._searcher()
        try:
            parted = self._in_parts(searcher)
            if parted:
                query = self._whole_documents(searcher, node, query, parted)
            if conditions:
                clauses = [(tantivy.Occur.Must, query)]
                clauses += [(tantivy.Occur.Must, tantivy.Query.const_score_query(c, 0.0)) for c in conditions]
                query = tantivy.Query.boolean_query(clauses)
            return self._run(searcher, query, sort=sort, offset=offset, limit=limit)
        except (KeyboardInterrupt, SystemExit, GongbaoError):
            raise
        except BaseException as exc:  # a damaged segment: tantivy errors, or a pyo3 panic
            raise SearchIndexError(_damaged(exc)) from None

    def _run(self, searcher: tantivy.Searcher, query: tantivy.Query, *, sort: str, offset: int, limit: int,
             ) -> SearchResult:
        if sort == "date":
            result = searcher.search(query, limit, count=False, order_by_field="date",
                                     order=tantivy.Order.Desc, offset=offset)
            scored: list[tuple[Any, float | None]] = [(addr, None) for _, addr in result.hits]
        else:
            result = searcher.search(query, limit, count=False, offset=offset)
            scored = [(addr, float(score)) for score, addr in result.hits]
        hits = [(searcher.doc(addr)["id"][0], score) for addr, score in scored]
        aggs: dict[str, Any] = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACETS}
        # every entry has one year (0 when unknown; "missing" counts any without under 0 too), so the year
        # buckets and the rest add up to the number of matches: no second count of them in the top hits
        aggs["year"]["terms"]["missing"] = 0
        raw = searcher.aggregate(query, aggs)
        facets: dict[str, dict[str, int]] = {}
        for name in FACETS:
            buckets = raw.get(name, {}).get("buckets", [])
            facets[name] = {str(b["key"]) if name != "year" else str(int(b["key"])): int(b["doc_count"])
                            for b in buckets if not (name == "year" and int(b["key"]) == 0)}
        years = raw.get("year", {})
        total = sum(int(b["doc_count"]) for b in years.get("buckets", [])) + int(years.get("sum_other_doc_count") or 0)
        return SearchResult(total, hits, facets)

    # ----- documents in parts ----------------------------------------------------------------------
    def _marker(self) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, "doc_number", PART_MARK, index_option="basic")

    @staticmethod
    def _has_parts(searcher: tantivy.Searcher) -> bool:
        """Some document is indexed in several entries (none is in a usual archive)."""
        return bool(searcher.doc_freq("doc_number", PART_MARK))

    @staticmethod
    def _ids(searcher: tantivy.Searcher, query: tantivy.Query) -> set[str]:
        """The document ids of every entry ``query`` matches."""
        found = searcher.search(query, max(1, int(searcher.num_docs)), count=False)
        return {searcher.doc(addr)["id"][0] for _, addr in found.hits}

    def _in_parts(self, searcher: tantivy.Searcher) -> list[str]:
        """The ids of the documents indexed in several entries."""
        return sorted(self._ids(searcher, self._marker())) if self._has_parts(searcher) else []

    def _whole_documents(self, searcher: tantivy.Searcher, node: Node, query: tantivy.Query,
                         parted: list[str]) -> tantivy.Query:
        """``query`` with documents in parts judged whole: a document in parts matches when the query
        holds for the document (an AND may find its terms in different parts; a NOT excludes it when any
        part has the term), and it is found by its first entry only, so it is counted once."""
        in_parts = tantivy.Query.term_set_query(self.schema, "id", parted)
        rest = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.MustNot, in_parts)])
        matched = self._holds(searcher, node, set(parted), in_parts)
        if not matched:
            return rest
        firsts = tantivy.Query.boolean_query([
            (tantivy.Occur.Must, tantivy.Query.term_set_query(self.schema, "id", sorted(matched))),
            (tantivy.Occur.MustNot, self._marker()),
        ])
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, rest), (tantivy.Occur.Should, firsts)])

    def _holds(self, searcher: tantivy.Searcher, node: Node, parted: set[str],
               in_parts: tantivy.Query) -> set[str]:
        """The documents of ``parted`` for which ``node`` holds, any part matching each term."""
        if isinstance(node, All):
            return set(parted)
        if isinstance(node, Term):
            return self._ids(searcher, tantivy.Query.boolean_query([(tantivy.Occur.Must, self._term(node)),
                                                                    (tantivy.Occur.Must, in_parts)]))
        if isinstance(node, Not):
            return parted - self._holds(searcher, node.child, parted, in_parts)
        if isinstance(node, And):
            out = set(parted)
            for child in node.children:
                out &= self._holds(searcher, child, parted, in_parts)
            return out
        if isinstance(node, Or):
            out = set()
            for child in node.children:
                out |= self._holds(searcher, child, parted, in_parts)
            return out
        raise QueryError("无法理解的检索式 (unsupported query)")

    def all_ids(self) -> list[str]:
        """Every document id in the index, once per document (a check compares them with the record's)."""
        with self._lock:
            searcher = self._searcher()
        n = int(searcher.num_docs)
        if n == 0:
            return []
        result = searcher.search(self._firsts(searcher), n, count=False)
        return [searcher.doc(addr)["id"][0] for _, addr in result.hits]

    def num_docs(self) -> int:
        """The number of documents in the index (a long document's further entries not counted)."""
        with self._lock:
            searcher = self._searcher()
        if not self._has_parts(searcher):
            return int(searcher.num_docs)
        return int(searcher.search(self._firsts(searcher), 1, count=True).count or 0)

    def _firsts(self, searcher: tantivy.Searcher) -> tantivy.Query:
        """Every document's first index entry."""
        if not self._has_parts(searcher):
            return tantivy.Query.all_query()
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, tantivy.Query.all_query()),
                                            (tantivy.Occur.MustNot, self._marker())])


def _unwritable(exc: BaseException) -> bool:
    text = str(exc)
    return "ReadOnlyFilesystem" in text or "Read-only file system" in text or "PermissionDenied" in text


def damage_reason(exc: BaseException) -> str:
    """What tantivy said about a damaged index, on one line."""
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def _damaged(exc: BaseException) -> str:
    return f"检索索引已损坏，请运行 gongbao check --repair (the search index is damaged: {damage_reason(exc)})"


def _ymd(d: dt.date) -> int:
    return d.year * 10000 + d.month * 100 + d.day
