"""A document's status on a date, and its dated lifecycle events — pure functions of its validity and of
what other documents (already resolved to it) do to it.

Why pure: the same answer is needed for one document page, for every hit of a status-filtered search and
for the expiring-soon list, on any ``as_of`` date; keeping SQL out of it lets each caller fetch the facts
its own way and lets the tests state the rules directly.

Precedence on a date: a repeal in force wins (已废止, naming the repealing documents), then an expiry —
declared by another document (宣布失效) or the document's own 有效期 passed (已失效); a document whose
commencement (or signing) is still ahead is 尚未施行; one amended by documents in force is 已修改 (still in
force, naming them); one whose validity is printed (or confirmed 继续有效 by a 清理 list) is 现行有效;
when nothing is printed about it, 未知 — gongbao never presumes a document to be in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

NOT_YET = "尚未施行"
IN_FORCE = "现行有效"
EXPIRED = "已失效"
REPEALED = "已废止"
AMENDED = "已修改"
UNKNOWN = "未知"
STATUSES = (NOT_YET, IN_FORCE, EXPIRED, REPEALED, AMENDED, UNKNOWN)

# what a document does → how the target's timeline names it
INCOMING_EVENT = {"repeals": "repealed_by", "amends": "amended_by", "continues": "continued_by",
                  "declares_expired": "declared_expired_by"}
EVENT_LABELS = {
    "signed": "印发", "commences": "施行", "expires": "有效期届满", "repealed_by": "被废止",
    "amended_by": "被修改", "continued_by": "经清理继续有效", "declared_expired_by": "被宣布失效",
    "repeals": "废止", "amends": "修改", "continues": "确认继续有效", "declares_expired": "宣布失效",
}


@dataclass(frozen=True, slots=True)
class Incoming:
    """An effect of another (archived) document on this one, dated when that document takes effect."""

    type: str  # repeals | amends | continues | declares_expired
    date: dt.date | None  # None: the acting document is undated — it acts whatever the date
    document_id: str
    title: str
    doc_number: str | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """What decides a document's status: its own validity and the effects of others on it."""

    commences: dt.date | None = None
    expires: dt.date | None = None
    signed: dt.date | None = None
    printed: bool = False  # the document prints a commencement or expiry of its own
    incoming: tuple[Incoming, ...] = ()


@dataclass(slots=True)
class Status:
    status: str
    as_of: dt.date
    since: dt.date | None = None  # the day the status began, when known
    by: list[Incoming] = field(default_factory=list)  # the repealing / amending / declaring documents

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "as_of": self.as_of.isoformat(),
                "since": self.since.isoformat() if self.since else None,
                "by": [{"id": i.document_id, "title": i.title, "doc_number": i.doc_number, "type": i.type,
                        "date": i.date.isoformat() if i.date else None} for i in self.by]}


def _acting(incoming: tuple[Incoming, ...], kind: str, as_of: dt.date) -> list[Incoming]:
    return sorted((i for i in incoming if i.type == kind and (i.date is None or i.date <= as_of)),
                  key=lambda i: (i.date or dt.date.min, i.document_id))


def status_on(facts: Facts, as_of: dt.date) -> Status:
    """The status of a document on ``as_of`` (see the module docstring for the precedence)."""
    repeals = _acting(facts.incoming, "repeals", as_of)
    if repeals:
        return Status(REPEALED, as_of, repeals[0].date, repeals)
    declared = _acting(facts.incoming, "declares_expired", as_of)
    if declared:
        return Status(EXPIRED, as_of, declared[0].date, declared)
    if facts.expires is not None and as_of > facts.expires:
        return Status(EXPIRED, as_of, facts.expires + dt.timedelta(days=1))
    continued = _acting(facts.incoming, "continues", as_of)
    known = facts.printed or bool(continued) or any(i.type == "amends" for i in facts.incoming)
    start = facts.commences or facts.signed
    if known and start is not None and as_of < start:
        return Status(NOT_YET, as_of)
    amends = _acting(facts.incoming, "amends", as_of)
    if amends:
        return Status(AMENDED, as_of, amends[-1].date, amends)
    if known:
        return Status(IN_FORCE, as_of, start, continued)
    return Status(UNKNOWN, as_of)


def events(facts: Facts, outgoing: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The document's dated lifecycle, oldest first: signed, commences, what others did to it, what it did
    to others (``outgoing``: effects with their resolved targets), its own expiry. Undated events last."""
    out: list[dict[str, Any]] = []
    if facts.signed:
        out.append({"date": facts.signed.isoformat(), "type": "signed"})
    if facts.commences:
        out.append({"date": facts.commences.isoformat(), "type": "commences"})
    if facts.expires:
        out.append({"date": facts.expires.isoformat(), "type": "expires"})
    for i in facts.incoming:
        out.append({"date": i.date.isoformat() if i.date else None, "type": INCOMING_EVENT[i.type],
                    "document_id": i.document_id, "title": i.title, "doc_number": i.doc_number})
    start = facts.commences or facts.signed
    for e in outgoing or []:
        out.append({"date": start.isoformat() if start else None, "type": e["type"],
                    "document_id": (e.get("target_ids") or [None])[0], "title": e.get("target_title"),
                    "doc_number": e.get("target_doc_number")})
    for item in out:
        item["label"] = EVENT_LABELS[item["type"]]
    out.sort(key=lambda x: (x["date"] is None, x["date"] or "", list(EVENT_LABELS).index(x["type"])))
    return out
