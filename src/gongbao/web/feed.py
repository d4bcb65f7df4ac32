"""Atom feeds (RFC 4287) for any search, so a reader can follow new documents that match a query.

Built with ElementTree, which escapes every text node: titles and snippets from the source can carry
``<``/``&`` and must stay text. Entry ids are the documents' permanent URLs, so a feed reader never shows
the same document twice; ``updated`` is the signing date (or the issue's publication date).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from gongbao.store.export import plain_snippet
from gongbao.web.render import doc_url

ATOM_NS = "http://www.w3.org/2005/Atom"
_TZ = dt.timezone(dt.timedelta(hours=8))  # gazettes are dated in China Standard Time


def _feed() -> ET.Element:
    """An empty Atom feed element in Chinese."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", "zh-CN")
    return feed


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element in the Atom namespace (ElementTree escapes its text)."""
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _stamp(value: Any) -> str | None:
    if not value:
        return None
    try:
        d = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    return dt.datetime(d.year, d.month, d.day, tzinfo=_TZ).isoformat()


def _hit_date(hit: Mapping[str, Any]) -> str | None:
    issue = hit.get("issue")
    published = issue.get("published") if isinstance(issue, Mapping) else hit.get("published")
    return _stamp(hit.get("signed")) or _stamp(published)


def atom_feed(result: Mapping[str, Any], *, base_url: str, self_url: str, html_url: str, title: str) -> bytes:
    """The feed document for one search result (its hits, newest first)."""
    feed = _feed()

    hits = list(result.get("hits") or [])
    dates = [d for d in (_hit_date(h) for h in hits) if d]
    sub(feed, "id", self_url)
    sub(feed, "title", title)
    sub(feed, "subtitle", f"共 {result.get('total', len(hits))} 件文件符合条件")
    sub(feed, "updated", max(dates) if dates else _stamp(dt.date.today().isoformat()))
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=html_url)
    sub(feed, "generator", "gongbao")
    author = sub(feed, "author")
    sub(author, "name", "公报档案")
    for hit in hits:
        entry = sub(feed, "entry")
        url = base_url + doc_url(hit.get("id"))
        sub(entry, "id", url)
        title_text = str(hit.get("title") or "（无标题）")
        if hit.get("doc_number"):
            title_text += f"（{hit['doc_number']}）"
        sub(entry, "title", title_text)
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        sub(entry, "updated", _hit_date(hit) or sub_default(dates))
        for issuer in hit.get("issuers") or []:
            a = sub(entry, "author")
            sub(a, "name", str(issuer))
        if hit.get("kind"):
            sub(entry, "category", term=str(hit["kind"]))
        summary = plain_snippet(hit.get("snippet"))
        if summary:
            sub(entry, "summary", summary, type="text")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)


def sub_default(dates: list[str]) -> str:
    return max(dates) if dates else dt.datetime(1970, 1, 1, tzinfo=dt.UTC).isoformat()


def _event_title(event: Mapping[str, Any]) -> str:
    doc = event.get("document") or {}
    name = f"《{doc.get('title') or '（无标题）'}》" + (f"（{doc['doc_number']}）" if doc.get("doc_number") else "")
    by = event.get("by")
    if by:
        return f"{name}{event['label'][:1]}《{by.get('title')}》{event['label'][1:]}"
    return f"{name}{event['label']}"


def lifecycle_feed(events: list[Mapping[str, Any]], *, base_url: str, self_url: str, html_url: str) -> bytes:
    """The feed of lifecycle events (施行, 被废止 …), newest first; an entry per (document, event, date)."""
    feed = _feed()

    dates = [d for d in (_stamp(e.get("date")) for e in events) if d]
    sub(feed, "id", self_url)
    sub(feed, "title", "公报档案 · 文件效力变化")
    sub(feed, "updated", max(dates) if dates else sub_default([]))
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=html_url)
    sub(feed, "generator", "gongbao")
    author = sub(feed, "author")
    sub(author, "name", "公报档案")
    for event in events:
        entry = sub(feed, "entry")
        url = base_url + doc_url(event.get("document_id"))
        by = event.get("by") or {}
        sub(entry, "id", f"{url}#lifecycle-{event.get('type')}-{event.get('date')}-{by.get('id') or ''}")
        sub(entry, "title", _event_title(event))
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        sub(entry, "updated", _stamp(event.get("date")) or sub_default(dates))
        sub(entry, "category", term=str(event.get("type")), label=str(event.get("label")))
        if by.get("id"):
            sub(entry, "link", rel="related", type="text/html", href=base_url + doc_url(by["id"]))
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)
