"""Ruled tables of a PDF page, read with pdfplumber, as one line per row with tab-separated cells.

The text layer alone gives a wrapped cell as several short lines, interleaved with its neighbours
("行业类型（国民经" / "济行业分类）"), so brackets break and a row's facts scatter. Where a page draws its
table with ruling lines, pdfplumber (MIT, on pdfminer.six) finds the grid; each row then becomes one line,
cells joined by tabs, which the parser reads as any tab-separated table. Only pages that draw enough
vector paths are handed to pdfplumber: it is slower than pdfium by two orders of magnitude.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from gongbao.sources.layout import Line, Run, lines_of

MIN_PATHS = 4
"""A page with fewer vector paths than this has no ruled table (a rule under a title, an underline)."""

_CJK_EDGE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


Box = tuple[float, float, float, float]  # left, top, right, bottom as fractions of the page


@dataclass(frozen=True, slots=True)
class RuledTable:
    """A table's box and its grid: per row, each cell's box (None where a merged cell spans it), all as
    fractions of the page."""

    box: Box
    rows: list[list[Box | None]]

    def holds(self, run: Run) -> bool:
        """Whether a text run's centre lies inside the table."""
        return _inside(self.box, run)

    def lines(self, runs: list[Run]) -> list[Line]:
        """The table's rows as lines: the runs inside each cell in reading order, cells joined by tabs.

        The text comes from the caller's text layer (pdfium), not from pdfminer, which reads some CID
        fonts as nothing; pdfplumber only gives the grid."""
        out: list[Line] = []
        for row in self.rows:
            cells: list[str] = []
            for box in row:
                if box is None:
                    cells.append("")
                    continue
                inside = sorted((r for r in runs if _inside(box, r)), key=lambda r: (r.top, r.left))
                cells.append(join_cell(lines_of(inside)))
            boxes = [b for b in row if b is not None]
            if not boxes or not any(cells):
                continue
            out.append(Line("\t".join(cells), min(b[0] for b in boxes), min(b[1] for b in boxes),
                            max(b[2] for b in boxes), max(b[3] for b in boxes)))
        return out


def _inside(box: Box, run: Run) -> bool:
    x, y = (run.left + run.right) / 2, (run.top + run.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def join_cell(lines: list[Line]) -> str:
    """A cell's wrapped lines as one: no space between Chinese, one between Latin words."""
    out = ""
    for line in lines:
        part = line.text.replace("\t", " ").strip()
        if not part:
            continue
        if out and not (_CJK_EDGE.match(out[-1]) or _CJK_EDGE.match(part[0])):
            out += " "
        out += part
    return out


def ruled_tables(data: bytes, indexes: Sequence[int]) -> dict[int, list[RuledTable]]:
    """Tables with ruling lines on the given pages (0-based), by page. A page pdfplumber cannot read
    (an unusual content stream) simply has none: its text layer is used as it is."""
    if not indexes:
        return {}
    import logging

    import pdfplumber

    # pdfminer logs every font it cannot measure as a warning; with no handler configured Python prints
    # those to stderr, burying the one line a user should see. The grid does not depend on fonts.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    out: dict[int, list[RuledTable]] = {}
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception:  # pdfminer raises many kinds; the text layer is still good without tables
        return {}
    with pdf:
        for index in indexes:
            try:
                page = pdf.pages[index]
                found = page.find_tables()
                width, height = float(page.width), float(page.height)
            except Exception:
                continue

            def frac(b: tuple[float, float, float, float]) -> Box:
                return (b[0] / width, b[1] / height, b[2] / width, b[3] / height)  # noqa: B023

            tables = [RuledTable(frac(t.bbox), [[frac(c) if c else None for c in row.cells] for row in t.rows])
                      for t in found]
            # a grid of one column is a box around text (a 专栏 frame), not a table
            tables = [t for t in tables if max((len(r) for r in t.rows), default=0) >= 2]
            if tables:
                out[index] = tables
    return out


def _terminal(cell: str) -> bool:
    return not cell or cell[-1] in "。；;！!？?）)》」”"


def continues(prev: str, first: str) -> bool:
    """Whether ``first``, the first table row on a page, is the rest of ``prev``, the last row on the page
    before, cut by the page break (Word and WPS let a row break across pages).

    A cut row leaves its short cells (序号, 责任单位, 方式) empty on the new page while a long cell runs on;
    a new row of a merged group leaves the left cells empty but fills those to the right of its text. So:
    same columns, the first cell empty, and a cell right of the row's text that the row above filled is
    empty here — or a cell above that ends mid-list (、，) continues here."""
    a, b = prev.split("\t"), first.split("\t")
    if len(a) != len(b) or len(a) < 2 or b[0].strip():
        return False
    filled = [k for k, cell in enumerate(b) if cell.strip()]
    if not filled or any(not a[k].strip() for k in filled):
        return False
    if any(a[k].rstrip().endswith(("、", "，", ",", "：", ":")) for k in filled):
        return True
    return any(not b[k].strip() and a[k].strip() for k in range(filled[0] + 1, len(b)))


def merge_cut_rows(pages: list[list[str]]) -> None:
    """Join table rows cut by a page break (see :func:`continues`), in place: the joined row stays on the
    page where it began."""
    for i in range(1, len(pages)):
        before, here = pages[i - 1], pages[i]
        if not before or not here or "\t" not in before[-1] or "\t" not in here[0]:
            continue
        if continues(before[-1], here[0]):
            a, b = before[-1].split("\t"), here[0].split("\t")
            before[-1] = "\t".join(join_cell([Line(x, 0, 0, 0, 0), Line(y, 0, 0, 0, 0)]) for x, y in zip(a, b, strict=True))
            del here[0]
