"""Shape a stored document for its page: parts (notice, enclosed documents, annexes), anchors, outline.

The archive keeps a document as the JSON contract (flat block lists); a reader wants headings to jump
to, 专栏 boxes drawn as boxes and tables as tables. Doing this in Python keeps the templates dumb and
lets the page, the outline and the tests agree on the same anchors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

OUTLINE_DEPTH = 3  # deeper headings (（1）, ①) make the outline longer than the text


@dataclass(slots=True)
class Item:
    """One thing to draw: a block, or a 专栏 box holding the blocks that belong to it."""

    kind: str  # heading | runin | paragraph | table | box
    block: Mapping[str, Any]
    anchor: str
    level: int = 0
    lead: str = ""  # run-in heading: the bold part
    rest: str = ""  # run-in heading: the rest of the paragraph
    number: int = 0  # a table: its number in the document (表N of the XLSX export, /tables/N.csv)
    h: int = 0  # a heading: the HTML heading level it is drawn with (h2–h6, never skipping a level)
    children: list[Item] = field(default_factory=list)

    @property
    def span(self) -> Mapping[str, Any] | None:
        return self.block.get("span")


@dataclass(slots=True)
class OutlineNode:
    anchor: str
    label: str
    title: str
    level: int
    children: list[OutlineNode] = field(default_factory=list)


@dataclass(slots=True)
class Part:
    """The notice itself, one enclosed document, or one annex."""

    kind: str  # body | enclosure | annex
    anchor: str
    title: str
    items: list[Item]
    omitted: bool = False
    number: int | None = None
    span: Mapping[str, Any] | None = None


@dataclass(slots=True)
class DocumentView:
    parts: list[Part]
    outline: list[OutlineNode]
    table_count: int
    annex_list_printed: bool = False  # the text prints its 附件 list: the page adds no second one


_ANNEX_LIST_RE = re.compile(r"^\s*附\s*件\s*[:：]")


def _prints_annex_list(items: Sequence[Item]) -> bool:
    return any(i.kind in ("paragraph", "runin") and _ANNEX_LIST_RE.match(i.block.get("text") or "")
               for i in items)


def _heading_item(block: Mapping[str, Any], anchor: str) -> Item:
    text = (block.get("text") or "").strip()
    label = block.get("label") or ""
    title = (block.get("title") or "").strip()
    level = int(block.get("level") or 1)
    lead = f"{label}{title}" if title and not title.startswith(label) else (title or label)
    # a run-in heading is a paragraph that starts with its heading ("（一）加强领导。各地要……")
    if lead and text.startswith(lead) and len(text) > len(lead) + 1:
        return Item("runin", block, anchor, level, lead=lead, rest=text[len(lead):])
    if lead and not text.startswith(lead) and len(text) > len(lead) + 6:
        return Item("runin", block, anchor, level, lead="", rest=text)
    return Item("heading", block, anchor, level)


class _Counter:
    def __init__(self) -> None:
        self.n = 0
        self.tables = 0

    def next(self) -> str:
        self.n += 1
        return f"b{self.n}"


def build_items(blocks: Sequence[Mapping[str, Any]], counter: _Counter) -> list[Item]:
    """Blocks → items; a 专栏 box collects what follows it until the next heading outside the box.

    The parser marks a box by its title block (kind ``box``); boxes have no printed end. Blocks whose
    ``path`` names the box label are inside it; without that, paragraphs and tables up to the next
    heading (or box) are.
    """
    items: list[Item] = []
    box: Item | None = None
    for block in blocks:
        kind = block.get("kind") or "paragraph"
        anchor = counter.next()
        if kind == "box":
            box = Item("box", block, anchor, int(block.get("level") or 0))
            items.append(box)
            continue
        item = _heading_item(block, anchor) if kind == "heading" else Item(
            "table" if kind == "table" and block.get("table") else "paragraph", block, anchor)
        if item.kind == "table":
            counter.tables += 1
            item.number = counter.tables
        if box is not None:
            label = box.block.get("label")
            in_path = bool(label) and label in (block.get("path") or ())
            if in_path or kind not in ("heading", "box"):
                box.children.append(item)
                continue
            box = None
        items.append(item)
    return items


def _outline_nodes(items: Sequence[Item]) -> list[tuple[int, OutlineNode]]:
    out: list[tuple[int, OutlineNode]] = []
    for item in items:
        if item.kind in ("heading", "runin") and 1 <= item.level <= OUTLINE_DEPTH:
            block = item.block
            label = block.get("label") or ""
            title = (block.get("title") or block.get("text") or "").strip()
            if title.startswith(label):
                title = title[len(label):]
            if len(title) > 40:
                title = title[:38] + "…"
            out.append((item.level, OutlineNode(item.anchor, label, title, item.level)))
        elif item.kind == "box":
            text = (item.block.get("text") or item.block.get("title") or "专栏").strip()
            out.append((OUTLINE_DEPTH, OutlineNode(item.anchor, "", text[:40], OUTLINE_DEPTH)))
    return out


def _nest(flat: Sequence[tuple[int, OutlineNode]]) -> list[OutlineNode]:
    root: list[OutlineNode] = []
    stack: list[tuple[int, OutlineNode]] = []
    for level, node in flat:
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1].children if stack else root).append(node)
        stack.append((level, node))
    return root


def _heading_levels(items: Sequence[Item], base: int, last: int) -> int:
    """Give each heading its HTML level: ``base`` for outline level 1, deeper levels below it, but never
    more than one below the heading before it (a document whose first heading is a （一） gets no gap in
    the page's heading structure, which screen readers navigate by); returns the last level drawn."""
    for item in items:
        if item.kind == "heading":
            item.h = max(2, min(6, base + item.level - 1, last + 1))
            last = item.h
        elif item.kind == "box":
            last = _heading_levels(item.children, base + 1, last)
    return last


def _count_tables(items: Sequence[Item]) -> int:
    return sum((1 if i.kind == "table" else 0) + _count_tables(i.children) for i in items)


def document_view(doc: Mapping[str, Any]) -> DocumentView:
    """Parts with anchored items and a nested outline (one top node per enclosure and annex)."""
    counter = _Counter()
    parts: list[Part] = []
    outline: list[OutlineNode] = []
    body = build_items(doc.get("body") or [], counter)
    parts.append(Part("body", "part-body", doc.get("title") or "", body, span=doc.get("span")))
    outline.extend(_nest(_outline_nodes(body)))
    for i, enc in enumerate(doc.get("enclosures") or [], start=1):
        items = build_items(enc.get("body") or [], counter)
        part = Part("enclosure", f"part-enc{i}", enc.get("title") or "", items, span=enc.get("span"))
        parts.append(part)
        node = OutlineNode(part.anchor, "", part.title, 0, _nest(_outline_nodes(items)))
        outline.append(node)
    for i, annex in enumerate(doc.get("attachments") or [], start=1):
        items = build_items(annex.get("body") or [], counter)
        number = annex.get("number")
        label = f"附件{number}" if number else "附件"
        part = Part("annex", f"part-annex{i}", annex.get("title") or "", items,
                    omitted=bool(annex.get("omitted")), number=number,
                    span=annex.get("printed_span") or annex.get("span"))
        parts.append(part)
        if items or not part.omitted:
            outline.append(OutlineNode(part.anchor, label, part.title, 0, _nest(_outline_nodes(items))))
    for part in parts:
        # the document's title is h1; a part's title h2; its headings follow without skipping a level
        _heading_levels(part.items, base=2 if part.kind == "body" else 3, last=1 if part.kind == "body" else 2)
    printed = any(_prints_annex_list(p.items) for p in parts if p.kind != "annex")
    return DocumentView(parts, outline, sum(_count_tables(p.items) for p in parts), printed)


_NUMERIC_RE = re.compile(r"^[*#＊\s]*[-+−]?\d[\d,.]*\s*(%|‰)?$|^[—–-]$")


def table_grid(table: Mapping[str, Any]) -> tuple[list[list[Mapping[str, Any]]], list[list[Mapping[str, Any]]]]:
    """(header rows, body rows), every row padded to the table's width so columns line up; only the cells
    to draw, each with its ``rowspan``/``colspan`` (merged cells as printed, see
    :func:`gongbao.store.export.cell_spans`) and ``label``, the column's header (a phone stacks each row
    as label: value).

    Body cells that hold a number get ``num`` so figures line up on the right, as in the printed tables;
    an empty header cell is ``blank`` (drawn as a plain cell: a header must say something).
    """
    from gongbao.store.export import cell_spans

    raw = table.get("rows") or []
    width = max((len(r) for r in raw), default=0)
    header_rows = max(0, min(int(table.get("header_rows") or 0), len(raw)))
    spans = cell_spans(raw, header_rows)
    labels = [""] * width
    for row in raw[:header_rows]:
        for j, c in enumerate(row):
            text = (c.get("text") or "").strip()
            if text:
                labels[j] = text if not labels[j] or labels[j] == text else f"{labels[j]} {text}"
    grid: list[list[Mapping[str, Any]]] = []
    for i, r in enumerate(raw):
        out = []
        for j in range(width):
            span = spans[i][j]
            if span is None:
                continue
            c = r[j] if j < len(r) else {"text": "", "merged": True}
            text = (c.get("text") or "").strip()
            out.append({**c, "num": bool(_NUMERIC_RE.match(text)), "rowspan": span[0], "colspan": span[1],
                        "label": labels[j], "blank": not text})
        grid.append(out)
    return grid[:header_rows], grid[header_rows:]


def citation(doc: Mapping[str, Any], url: str, accessed: str) -> str:
    """The document as a reference in GB/T 7714-2015 form.

    In a gazette it is an article of a periodical ([J]: 责任者. 题名[J]. 刊名, 年(期): 页码.); a document
    ingested on its own is an electronic resource ([EB/OL]) with its date, the date it was consulted and
    its permanent link. The 文号 follows the title, as gazettes print it."""
    issuers = [i for i in doc.get("issuers") or [] if i]
    author = ", ".join(issuers[:3]) + (", 等" if len(issuers) > 3 else "")
    title = (doc.get("title") or "").strip()
    if doc.get("doc_number"):
        title += f"（{doc['doc_number']}）"
    issue = doc.get("issue") or {}
    head = f"{author}. {title}" if author else title
    if issue.get("gazette") and issue.get("year") is not None and issue.get("number") is not None:
        page = doc.get("page")
        pages = doc.get("pages") or {}
        first, last = pages.get("printed_first") or page, pages.get("printed_last")
        where = f": {first}" + (f"-{last}" if last and last != first else "") if first is not None else ""
        return f"{head}[J]. {issue['gazette']}, {issue['year']}({issue['number']}){where}."
    signed = doc.get("signed") or ""
    return f"{head}[EB/OL]. {f'({signed})' if signed else ''}[{accessed}]. {url}."
