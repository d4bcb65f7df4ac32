"""Lifecycle in the archive: effect targets resolved to stored documents, and the facts that decide each
document's status (:mod:`gongbao.lifecycle` computes the status itself).

Targets are resolved when read, never stored: a repeal printed in a document ingested before its target
is found as soon as the target arrives, and a target replaced or removed stops matching — whatever the
order of ingest. Resolution never guesses:

1. by canonical 文号: every stored document carrying it (a document reprinted in two gazettes is one
   document); a 文号 is decisive, so a title match carrying another 文号 is not the target;
2. by exact title (``title_key``, against document titles and the titles of documents an 印发 notice
   encloses — the notice carries the 文号 of the 办法 it issues): the one document with that title;
3. when several share the title: the one whose issuer is the organ the text names (自治区人民政府办公厅
   印发的《…》).

A candidate newer than the acting document, or the acting document itself, is never a target. Anything
else stays unresolved and is shown as printed.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from gongbao.lifecycle import Facts, Incoming
from gongbao.store.tokens import squeeze

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class _Doc:
    id: str
    title: str
    doc_number: str | None
    date: dt.date | None  # signing date, else the date
    commences: dt.date | None
    expires: dt.date | None
    issuers: tuple[str, ...]
    printed: bool  # has a validity row with a commencement or expiry


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


_DOC_SQL = ("SELECT d.id, d.title, d.doc_number, d.date, d.issuers, v.commences, v.expires "
            "FROM documents d LEFT JOIN validity v ON v.document_id = d.id")


def _doc(r: sqlite3.Row) -> _Doc:
    return _Doc(r["id"], r["title"], r["doc_number"], _day(r["date"]), _day(r["commences"]), _day(r["expires"]),
                tuple(json.loads(r["issuers"] or "[]")), bool(r["commences"] or r["expires"]))


def _docs(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, _Doc]:
    wanted = sorted(set(ids))
    out: dict[str, _Doc] = {}
    for chunk in _chunks(wanted):
        marks = ", ".join("?" * len(chunk))
        for r in conn.execute(f"{_DOC_SQL} WHERE d.id IN ({marks})", chunk):
            out[r["id"]] = _doc(r)
    return out


def _candidates(conn: sqlite3.Connection, effects: list[sqlite3.Row]
                ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Stored documents by canonical 文号 and by title key (their own title or an enclosure's)."""
    numbers = sorted({e["target_doc_number"] for e in effects if e["target_doc_number"]})
    keys = sorted({e["target_title_key"] for e in effects if e["target_title_key"]})
    by_number: dict[str, list[str]] = defaultdict(list)
    by_title: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks(numbers):
        marks = ", ".join("?" * len(chunk))
        for r in conn.execute(f"SELECT doc_number, id FROM documents WHERE doc_number IN ({marks})", chunk):
            by_number[r[0]].append(r[1])
    for chunk in _chunks(keys):
        marks = ", ".join("?" * len(chunk))
        for r in conn.execute(f"SELECT title_key, id FROM documents WHERE title_key IN ({marks}) UNION "
                              f"SELECT title_key, document_id FROM enclosures WHERE title_key IN ({marks})",
                              (*chunk, *chunk)):
            if r[1] not in by_title[r[0]]:
                by_title[r[0]].append(r[1])
    return by_number, by_title


def _issuer_matches(printed: str, issuers: tuple[str, ...]) -> bool:
    key = squeeze(printed)
    return any(key and (key in squeeze(i) or squeeze(i) in key) for i in issuers)


def _pick(e: sqlite3.Row, source: _Doc | None, by_number: dict[str, list[str]], by_title: dict[str, list[str]],
          info: dict[str, _Doc]) -> list[str]:
    own = e["document_id"]
    limit = source.date if source else None

    def eligible(ids: list[str]) -> list[str]:
        return [i for i in ids if i != own and i in info
                and not (limit and info[i].date and info[i].date > limit)]

    number = e["target_doc_number"]
    if number:
        found = eligible(by_number.get(number, []))
        if found:
            return sorted(found)
    key = e["target_title_key"]
    if not key:
        return []
    found = eligible(by_title.get(key, []))
    if number:  # the printed 文号 is not archived: a title match carrying another 文号 is another document
        found = [i for i in found if info[i].doc_number is None]
    if len(found) > 1 and e["target_issuer"]:
        found = [i for i in found if _issuer_matches(e["target_issuer"], info[i].issuers)]
    if len(found) == 1:
        return found
    return []


def _resolve(conn: sqlite3.Connection, effects: list[sqlite3.Row]
             ) -> tuple[dict[tuple[str, int], list[str]], dict[str, _Doc]]:
    """:func:`resolve` with the documents it loaded (every candidate and every acting document), so a
    caller reads the targets' and actors' titles without loading them again."""
    if not effects:
        return {}, {}
    by_number, by_title = _candidates(conn, effects)
    ids = {i for v in by_number.values() for i in v} | {i for v in by_title.values() for i in v}
    info = _docs(conn, ids | {e["document_id"] for e in effects})
    return {(e["document_id"], e["seq"]): _pick(e, info.get(e["document_id"]), by_number, by_title, info)
            for e in effects}, info


def resolve(conn: sqlite3.Connection, effects: list[sqlite3.Row]) -> dict[tuple[str, int], list[str]]:
    """(acting document id, effect seq) → ids of the stored documents it targets ([] when unresolved)."""
    return _resolve(conn, effects)[0]


def _acting_date(d: _Doc) -> dt.date | None:
    """When an acting document's effects take hold: its commencement, else its date."""
    return d.commences or d.date


def outgoing(conn: sqlite3.Connection, doc_id: str) -> list[dict[str, Any]]:
    """A document's effects as printed, each with ``target_ids`` (resolved) and the targets' titles."""
    rows = conn.execute("SELECT * FROM effects WHERE document_id = ? ORDER BY seq", (doc_id,)).fetchall()
    resolved, names = _resolve(conn, rows)  # every resolved target is among the loaded candidates
    out = []
    for r in rows:
        targets = resolved.get((doc_id, r["seq"]), [])
        out.append({"type": r["type"], "target_doc_number": r["target_doc_number"],
                    "target_title": r["target_title"], "target_issuer": r["target_issuer"],
                    "sentence": r["sentence"], "target_ids": targets,
                    "targets": [{"id": i, "title": names[i].title, "doc_number": names[i].doc_number}
                                for i in targets if i in names],
                    "span": {"start_line": r["span_start"], "end_line": r["span_end"],
                             "start_char": r["span_cstart"], "end_char": r["span_cend"]}})
    return out


def _incoming_rows(conn: sqlite3.Connection, doc_id: str, number: str | None, keys: set[str]
                   ) -> list[sqlite3.Row]:
    """The effects of other documents printed against ``number`` (canonical 文号) or any of ``keys``."""
    clauses, params = [], []
    if number:
        clauses.append("target_doc_number = ?")
        params.append(number)
    if keys:
        clauses.append(f"target_title_key IN ({', '.join('?' * len(keys))})")
        params.extend(sorted(keys))
    if not clauses:
        return []
    return conn.execute(f"SELECT * FROM effects WHERE ({' OR '.join(clauses)}) AND document_id != ?",
                        (*params, doc_id)).fetchall()


def _facts(doc: _Doc, incoming: list[Incoming]) -> Facts:
    return Facts(commences=doc.commences, expires=doc.expires, signed=doc.date, printed=doc.printed,
                 incoming=tuple(sorted(incoming, key=lambda i: (i.date or dt.date.min, i.document_id))))


def facts_of(conn: sqlite3.Connection, doc_id: str, targets: tuple[str | None, set[str]]) -> Facts | None:
    """What decides one document's status: its validity and the resolved effects of others on it.

    ``targets`` is what effects point at — the document's canonical 文号 and the title keys of it and its
    enclosures (``Archive._targets_of``)."""
    doc = _docs(conn, [doc_id]).get(doc_id)
    if doc is None:
        return None
    rows = _incoming_rows(conn, doc_id, *targets)
    resolved, actors = _resolve(conn, rows)  # the acting documents are loaded with the candidates
    incoming = [Incoming(r["type"], _acting_date(actors[r["document_id"]]), r["document_id"],
                         actors[r["document_id"]].title, actors[r["document_id"]].doc_number)
                for r in rows if doc_id in resolved.get((r["document_id"], r["seq"]), [])
                and r["document_id"] in actors]
    return _facts(doc, incoming)


def all_facts(conn: sqlite3.Connection) -> dict[str, Facts]:
    """Facts of every document something is known about (a validity row, or an effect resolved to it);
    every other document is 未知 on any date. One pass over the validity and effects tables."""
    effects = conn.execute("SELECT * FROM effects").fetchall()
    resolved = resolve(conn, effects)
    incoming: dict[str, list[Incoming]] = defaultdict(list)
    actor_ids = {e["document_id"] for e in effects}
    ids = {r[0] for r in conn.execute("SELECT document_id FROM validity")}
    ids |= {i for v in resolved.values() for i in v}
    docs = _docs(conn, ids | actor_ids)
    for e in effects:
        actor = docs.get(e["document_id"])
        if actor is None:
            continue
        for target in resolved.get((e["document_id"], e["seq"]), []):
            incoming[target].append(Incoming(e["type"], _acting_date(actor), actor.id, actor.title,
                                             actor.doc_number))
    return {i: _facts(docs[i], incoming.get(i, [])) for i in ids if i in docs}
