"""An HTML tree (lxml) turned into text the way a reader copying the page would get it.

Two readings of the same tree: *lines* for the body (a paragraph per line, ``<br>`` breaks, data tables as
tab-separated rows like the tables of converted text) and *cells* for the metadata box (every cell,
``<dt>``/``<dd>`` and list item on its own, so a label and its value arrive one after the other).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from lxml import html as lxml_html

Element = lxml_html.HtmlElement

DROP = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "object", "embed", "select",
                  "button", "input", "textarea", "canvas", "map", "audio", "video", "head", "title", "meta",
                  "link"})
BLOCK = frozenset({"p", "div", "tr", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
                   "dl", "section", "article", "header", "footer", "blockquote", "pre", "form", "hr", "center",
                   "td", "th", "caption", "tbody", "thead", "tfoot", "address", "figure", "figcaption", "nav",
                   "aside", "main", "body", "html", "fieldset", "legend", "details", "summary"})
CELL = frozenset({"td", "th", "dt", "dd", "li", "label"})

# entities a CMS escaped twice (&amp;nbsp; shows as the text "&nbsp;"; gov.cn prints "&sp;" the same way)
_LITERAL_ENTITY_RE = re.compile(r"&(?:nbsp|ensp|emsp|thinsp|sp|zwnj|zwj);?", re.IGNORECASE)
_WS_RE = re.compile(r"[ \t\n\r\f\v\u00a0\u2002\u2003\u2009\u200b]+")


def tag_of(el: object) -> str | None:
    """The lower-case tag of an element; None for comments and processing instructions."""
    tag = getattr(el, "tag", None)
    return tag.lower() if isinstance(tag, str) else None


def clean_text(text: str | None) -> str:
    """Text of a node as a browser shows it: runs of white space are one space; full-width spaces,
    which 公文 use on purpose (国务院办公厅　中央军委办公厅), are kept."""
    if not text:
        return ""
    return _WS_RE.sub(" ", _LITERAL_ENTITY_RE.sub(" ", text))


class _Out:
    """Accumulates text into lines; a line is ended by a block boundary."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._buf: list[str] = []

    def text(self, text: str | None) -> None:
        if text:
            self._buf.append(clean_text(text))

    def newline(self) -> None:
        line = re.sub(r" {2,}", " ", "".join(self._buf)).strip(" ")
        if line:
            self.lines.append(line)
        self._buf = []


def _rows(table: Element) -> Iterator[list[Element]]:
    """The rows of ``table`` (not of tables nested in its cells), as lists of cells."""
    for tr in table.iter("tr"):
        owner = next((a for a in tr.iterancestors() if tag_of(a) == "table"), None)
        if owner is table:
            yield [c for c in tr if tag_of(c) in ("td", "th")]


def is_layout_table(table: Element) -> bool:
    """A table used to lay the page out (one cell a row, or tables inside its cells), not a data table."""
    rows = list(_rows(table))
    if not rows or all(len(r) <= 1 for r in rows):
        return True
    return any(tag_of(d) == "table" for r in rows for c in r for d in c.iterdescendants())


def cell_text(cell: Element, skip: Callable[[Element], bool] = lambda e: False) -> str:
    """One cell's text on one line: its paragraphs joined by a space (as in the corpus' converted text)."""
    out = _Out()
    _walk(cell, out, skip, tables=False)
    out.newline()
    return " ".join(out.lines).replace("\t", " ")


def _walk(el: Element, out: _Out, skip: Callable[[Element], bool], *, tables: bool) -> None:
    tag = tag_of(el)
    if tag is None or tag in DROP or skip(el):
        return
    if tag == "br":
        out.newline()
        return
    if tables and tag == "table" and not is_layout_table(el):
        out.newline()
        for row in _rows(el):
            cells = [cell_text(c, skip) for c in row]
            if any(cells):
                out.lines.append("\t".join(cells))
        return
    block = tag in BLOCK
    if block:
        out.newline()
    out.text(el.text)
    for child in el:
        _walk(child, out, skip, tables=tables)
        out.text(child.tail)
    if block:
        out.newline()


def body_lines(root: Element, skip: Callable[[Element], bool] = lambda e: False) -> list[str]:
    """The lines of ``root``: one per paragraph or ``<br>``-ended line, data tables as tab rows."""
    out = _Out()
    _walk(root, out, skip, tables=True)
    out.newline()
    return out.lines


def _cells(el: Element, out: _Out, skip: Callable[[Element], bool], every_tag: bool) -> None:
    tag = tag_of(el)
    if tag is None or tag in DROP or skip(el):
        return
    brk = every_tag or tag in BLOCK or tag in CELL or tag == "br"
    if brk:
        out.newline()
    out.text(el.text)
    for child in el:
        _cells(child, out, skip, every_tag)
        if every_tag:
            out.newline()
        out.text(child.tail)
    if brk:
        out.newline()


def cells(root: Element, skip: Callable[[Element], bool] = lambda e: False, *, every_tag: bool = False) -> list[str]:
    """The text cells of ``root`` in reading order. With ``every_tag``, any element boundary ends a cell
    (``<label>文号</label>国发〔2018〕43号`` → two cells); otherwise only blocks and cells do
    (``国发〔2018〕<span>43</span>号`` stays whole)."""
    out = _Out()
    _cells(root, out, skip, every_tag)
    out.newline()
    return out.lines


def text_length(el: Element) -> int:
    """Characters of visible text under ``el`` (white space not counted)."""
    return len(re.sub(r"\s+", "", el.text_content() or ""))


def link_text_length(el: Element) -> int:
    return sum(text_length(a) for a in el.iter("a"))
