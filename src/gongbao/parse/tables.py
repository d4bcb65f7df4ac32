"""Tables from converted text: tab-separated rows, and Markdown pipe tables split at page breaks.

A pipe table broken across pages arrives as several chunks, each repeating the header (sometimes
shifted by a column). Chunks whose header has the same non-empty cells as the first are merged into one
table. Cells keep their text (HTML tags inside cells become text); empty cells are kept and marked
``merged`` because in gazette tables an empty cell almost always continues the cell above or beside it.
"""

from __future__ import annotations

import html
import re

from gongbao.model import Cell, Span, Table
from gongbao.parse.lines import Line
from gongbao.textnorm import match_key, repair_spaces

_SEPARATOR_CELL_RE = re.compile(r"^:?-{2,}:?$")
_TAG_RE = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def cell_text(raw: str) -> str:
    """Turn a cell's printed content into plain text: tags out (<br> → space), entities decoded."""
    s = re.sub(r"<\s*br\s*/?\s*>", " ", raw, flags=re.I)
    s = _TAG_RE.sub("", s)
    s = html.unescape(s)
    return repair_spaces(re.sub(r"[ \t\u3000]+", " ", s))


def split_pipe_row(text: str) -> list[str]:
    s = text.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", s)]


def is_separator(cells: list[str]) -> bool:
    nonempty = [c for c in cells if c]
    return bool(nonempty) and all(_SEPARATOR_CELL_RE.match(c.replace(" ", "")) for c in nonempty)


def _header_key(texts: list[str]) -> tuple[str, ...]:
    """A header row's identity: its non-empty cells (a repeated header may be shifted by a column)."""
    return tuple(match_key(t) for t in texts if t)


def build_pipe_table(lines: list[Line]) -> Table:
    """One table from pipe rows; later chunks' repeated headers (same non-empty cells) are dropped."""
    rows: list[list[str]] = []
    header_at: list[int] = []
    for line in lines:
        cells = split_pipe_row(line.text)
        if is_separator(cells):
            if rows:
                header_at.append(len(rows) - 1)
            continue
        rows.append([cell_text(c) for c in cells])
    header_rows = 0
    if header_at:
        first = header_at[0]
        header_rows = 1 if first == 0 else 0
        key = _header_key(rows[first])
        repeated = {i for i in header_at[1:] if _header_key(rows[i]) == key}
        rows = [r for i, r in enumerate(rows) if i not in repeated]
    return _finish(rows, header_rows, Span(lines[0].no, lines[-1].no), shift_rows=True)


def build_tab_table(lines: list[Line]) -> Table:
    rows = [[cell_text(c.strip()) for c in line.raw.strip("\r\n").split("\t")] for line in lines]
    # a repeated header after a page break is dropped, as in pipe tables
    first = _header_key(rows[0]) if rows else ()
    kept = [rows[0]] + [r for r in rows[1:] if _header_key(r) != first] if rows else []
    return _finish(kept, 1 if kept else 0, Span(lines[0].no, lines[-1].no), shift_rows=False)


def _finish(rows: list[list[str]], header_rows: int, span: Span, *, shift_rows: bool) -> Table:
    """The table from its rows of cleaned cell texts (cleaned once, by the builder, for its header keys too)."""
    width = max((len(r) for r in rows), default=0)
    texts = [r + [""] * (width - len(r)) for r in rows]
    if shift_rows and width >= 3:
        for i in range(header_rows + 1, len(texts)):
            row, prev = texts[i], texts[i - 1]
            trailing = len(row) - len(row_rstrip := _rstrip(row))
            leading_prev = len(prev) - len(_lstrip(prev))
            # a row pushed left by the converter: its tail is empty where every row has content,
            # and the row above starts with as many empty (merged) cells
            if trailing >= 2 and leading_prev >= trailing and row_rstrip and texts[0][-1]:
                texts[i] = [""] * trailing + row_rstrip
    out = [[Cell(t, merged=(t == "")) for t in r] for r in texts]
    return Table(rows=out, header_rows=header_rows, span=span)


def _rstrip(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1]:
        end -= 1
    return row[:end]


def _lstrip(row: list[str]) -> list[str]:
    start = 0
    while start < len(row) and not row[start]:
        start += 1
    return row[start:]
