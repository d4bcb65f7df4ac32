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
    return DocumentView(parts, outline, sum(_count_tables(p.items) for p in parts))


_NUMERIC_RE = re.compile(r"^[*#＊\s]*[-+−]?\d[\d,.]*\s*(%|‰)?$|^[—–-]$")


def table_grid(table: Mapping[str, Any]) -> tuple[list[list[Mapping[str, Any]]], list[list[Mapping[str, Any]]]]:
    """(header rows, body rows), every row padded to the table's width so columns line up.

    Body cells that hold a number get ``num`` so figures line up on the right, as in the printed tables.
    """
    rows = [[{**c, "num": bool(_NUMERIC_RE.match((c.get("text") or "").strip()))} for c in r]
            for r in table.get("rows") or []]
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend({"text": "", "merged": True} for _ in range(width - len(r)))
    header_rows = max(0, min(int(table.get("header_rows") or 0), len(rows)))
    return rows[:header_rows], rows[header_rows:]
