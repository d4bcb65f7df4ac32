"""The search page's result list and facet links as HTML, drawn in Python.

Why not Jinja: an uncached search at 250,000 documents spent more CPU drawing its page than searching —
the facet column alone is five facets × twelve links, each a macro-free loop body with a dozen attribute
lookups, filter calls and a fresh URL — and rendering was the largest part a server worker could cut to
serve 300 searches a second on two cores. Plain string building with ``markupsafe.escape`` writes the same
markup (the same elements, attributes and text; only the whitespace between tags differs) at a fraction
of the cost, like :mod:`gongbao.web.body` does for a document's text. The rest of the page stays in
``search.html``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from gongbao.web.render import (
    cn_date,
    doc_url,
    facet_label,
    issue_label,
    pages_label,
    query_url,
    safe_snippet,
    status_class,
)

FACET_VALUES_SHOWN = 12
OCR_NOTE = "本文件部分内容经 OCR 识别，可能有误，请以原件为准"


def _href(url: str) -> str:
    """A URL of :func:`query_url` or :func:`doc_url` as an attribute value. Their keys, values and path
    segments are percent-encoded (``< > " ' &`` included), so the one character left to escape is the
    ``&`` between parameters; cheaper than a full ``escape`` on the ~80 links of a results page."""
    return url.replace("&", "&amp;")


def facets_html(options: Mapping[str, Sequence[tuple[str, int]]], filters: Mapping[str, Any],
                params: Mapping[str, Any]) -> Markup:
    """The facet column: per facet with values, its most frequent values as links that add the value to
    the search (or, for the value already chosen, remove it), each with its count."""
    out: list[str] = []
    for name, values in options.items():
        if not values:
            continue
        chosen = filters.get(name)
        chosen_text = None if chosen is None else str(chosen)
        out.append(f'<section class="facet"><h2>{escape(facet_label(name))}</h2><ul>')
        for value, count in values[:FACET_VALUES_SHOWN]:
            on = chosen_text == value
            href = _href(query_url("/search", params, **{name: None if on else value, "page": None}))
            if on:
                out.append(f'<li class="on"><a href="{href}" aria-current="true">')
            else:
                out.append(f'<li><a href="{href}">')
            out.append(f'<span class="fv">{escape(value)}</span><span class="fc">{int(count)}</span></a></li>')
        out.append("</ul></section>")
    return Markup("".join(out))


def hit_html(h: Mapping[str, Any]) -> str:
    """One search hit: title (terms marked), 文号, issuers, date, kind, OCR and status badges, the snippet,
    and where it was published."""
    title = safe_snippet(h["title_html"]) if h.get("title_html") else escape(h.get("title") or "（无标题）")
    meta = []
    if h.get("doc_number"):
        meta.append(f'<span class="docno">{escape(h["doc_number"])}</span>')
    if h.get("issuers"):
        meta.append(f'<span>{"、".join(escape(i) for i in h["issuers"])}</span>')
    if h.get("signed"):
        meta.append(f'<span><time datetime="{escape(h["signed"])}">{escape(cn_date(h["signed"]))}</time></span>')
    if h.get("kind"):
        meta.append(f'<span class="tag">{escape(h["kind"])}</span>')
    if h.get("ocr"):
        meta.append(f'<span class="tag ocr" title="{OCR_NOTE}">OCR</span>')
    if h.get("status"):
        meta.append(f'<span class="status-badge status-{escape(status_class(h["status"]))}">'
                    f'{escape(h["status"])}</span>')
    snippet = f'<p class="snippet">{safe_snippet(h["snippet"])}</p>' if h.get("snippet") else ""
    sub = []
    if h.get("gazette"):
        sub.append(f'<span>{escape(h["gazette"])}</span>')
    issue = h.get("issue")
    if isinstance(issue, Mapping):
        sub.append(f"<span>{escape(issue_label(issue, total=False))}</span>")
    elif issue:
        sub.append(f"<span>{escape(issue)}</span>")
    if h.get("category"):
        sub.append(f'<span>{escape(h["category"])}</span>')
    if h.get("pages"):
        sub.append(f'<span>原件第{escape(pages_label(h["pages"]))}页</span>')
    return (f'<li class="hit"><h2 class="hit-title"><a href="{_href(doc_url(h["id"]))}">{title}</a></h2>'
            f'<p class="meta">{"".join(meta)}</p>{snippet}<p class="meta sub">{"".join(sub)}</p></li>')


def hits_html(hits: Sequence[Mapping[str, Any]]) -> Markup:
    """The result list's items (the ``<ol>`` around them stays in the template)."""
    return Markup("\n".join(hit_html(h) for h in hits))
