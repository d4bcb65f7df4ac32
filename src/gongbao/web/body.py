"""A document's text as HTML: headings, paragraphs, run-in headings, 专栏 boxes and tables.

Why Python and not a Jinja macro: this is the one part of a page whose cost grows with the document — a
plan has hundreds of blocks — and a macro call per block (plus one per source link) made rendering most of
an uncached document page's time. Plain string building with ``markupsafe.escape`` writes the same markup
at a fraction of the cost. The rest of the page stays in templates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from gongbao.web.render import doc_url, lines_label, source_url
from gongbao.web.view import Item, table_grid


def src_link(span: Mapping[str, Any] | None, doc_id: Any) -> str:
    """The small line-number link before each block, to the block's lines in the original text."""
    if not span:
        return ""
    label = escape("查看原文" + lines_label(span))
    return (f'<a class="src" href="{escape(source_url(doc_id, span))}" title="{label}" aria-label="{label}">'
            f'{escape(span.get("start_line"))}</a>')


def _attr_spans(c: Mapping[str, Any]) -> str:
    out = ""
    if (c.get("colspan") or 1) > 1:
        out += f' colspan="{int(c["colspan"])}"'
    if (c.get("rowspan") or 1) > 1:
        out += f' rowspan="{int(c["rowspan"])}"'
    return out


def table_html(block: Mapping[str, Any], doc_id: Any = None, number: int = 0) -> str:
    """A table as printed: caption, header rows (merged cells kept), body cells labelled for phones."""
    t = block.get("table") or {}
    head, body = table_grid(t)
    caption = t.get("caption")
    out: list[str] = []
    if doc_id and number:
        base = escape(doc_url(doc_id))
        out.append(f'<p class="table-tools">表{number} · 下载此表：<a href="{base}/tables/{number}.csv" download>CSV</a> '
                   f'<a href="{base}/tables/{number}.xlsx" download class="table-xlsx">XLSX</a></p>')
    label = f"表格{number or ''}" + (f"：{caption}" if caption else "")
    out.append(f'<div class="table-scroll" tabindex="0" role="region" aria-label="{escape(label)}">')
    out.append(f'<table class="data{" stackable" if head else ""}">')
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    if head:
        out.append("<thead>")
        for row in head:
            out.append("<tr>")
            for c in row:
                tag = "td" if c.get("blank") else "th"
                opening = '<td class="corner"' if c.get("blank") else '<th scope="col"'
                out.append(f"{opening}{_attr_spans(c)}>{escape(c.get('text') or '')}</{tag}>")
            out.append("</tr>")
        out.append("</thead>")
    out.append("<tbody>")
    for row in body:
        out.append("<tr>")
        for c in row:
            classes = "merged" if c.get("merged") and c.get("blank") else "n" if c.get("num") else ""
            if (c.get("colspan") or 1) > 1:
                classes += " span-row"
            if (c.get("rowspan") or 1) > 1:
                classes += " span-col"
            data_label = f' data-label="{escape(c["label"])}"' if c.get("label") else ""
            out.append(f'<td{data_label}{_attr_spans(c)} class="{classes}">{escape(c.get("text") or "")}</td>')
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def items_html(items: Sequence[Item], doc_id: Any, base: int = 3) -> Markup:
    """The blocks of one part of a document (its anchors are the outline's targets)."""
    out: list[str] = []
    _items(items, doc_id, base, out)
    return Markup("\n".join(out))


def _items(items: Sequence[Item], doc_id: Any, base: int, out: list[str]) -> None:
    for it in items:
        block = it.block
        link = src_link(block.get("span"), doc_id)
        text = escape(block.get("text") or "")
        if it.kind == "heading":
            hn = it.h or min(base + it.level - 1, 6)
            out.append(f'<h{hn} id="{it.anchor}" class="h lv{it.level}">{link}{text}</h{hn}>')
        elif it.kind == "runin":
            lead = f'<strong class="runin-head">{escape(it.lead)}</strong>' if it.lead else ""
            out.append(f'<p id="{it.anchor}" class="p runin lv{it.level}">{link}{lead}{escape(it.rest)}</p>')
        elif it.kind == "table":
            rows = (block.get("table") or {}).get("rows") or [[]]
            wide = " wide" if max(len(r) for r in rows) >= 4 else ""
            out.append(f'<figure id="{it.anchor}" class="table-block{wide}">{link}'
                       f"{table_html(block, doc_id, it.number)}</figure>")
        elif it.kind == "box":
            out.append(f'<aside id="{it.anchor}" class="box" aria-label="{text}">')
            out.append(f'  <p class="box-title">{link}{text}</p>')
            _items(it.children, doc_id, base + 1, out)
            out.append("</aside>")
        else:
            out.append(f'<p id="{it.anchor}" class="p">{link}{text}</p>')
