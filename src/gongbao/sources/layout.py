"""Page layout, shared by the PDF text layer and OCR: text runs → lines in reading order → running
headers and footers removed, printed page numbers read.

Pure functions on positioned runs, so the same rules apply whatever produced the text. Coordinates are
fractions of the page (0 = top/left, 1 = bottom/right): a 150 dpi scan and a PDF in points agree.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from gongbao.sources.reading import PageText


@dataclass(frozen=True, slots=True)
class TextBox:
    """Text on a page with its box (fractions of the page) and, for OCR, the recogniser's confidence.

    The same shape serves a *run* (a piece of one line, as pdfium or the recogniser gives it) and a
    *line* (runs joined left to right, with the lowest confidence of its runs)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    confidence: float | None = None

    @property
    def height(self) -> float:
        return self.bottom - self.top


Run = TextBox
Line = TextBox


MARGIN = 0.1
"""Running heads and page numbers stand in the top or bottom tenth of a page."""

def _rows(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped into printed rows by vertical overlap, top to bottom."""
    rows: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.top, r.left)):
        for row in reversed(rows[-3:]):
            top = min(r.top for r in row)
            bottom = max(r.bottom for r in row)
            if min(bottom, run.bottom) - max(top, run.top) > 0.5 * min(run.height, bottom - top):
                row.append(run)
                break
        else:
            rows.append([run])
    return rows


def _columns(runs: list[Run]) -> list[list[Run]]:
    """Split a page into a left and a right column when a gutter runs down its middle.

    Gazettes are mostly one column; some print two. Decided on rows, not runs: a page has two columns
    when most of its rows carry text on both sides of a band around the middle that no run of theirs
    enters. A centred running head whose halves are set apart (中卫市人民政府公报　2019年第3期) is one such
    row, never most of a page; a row that spans the band (a title over both columns) stays above, in the
    left reading stream; the running head and folio are read whole, before and after."""
    rows = _rows(runs)
    if len(rows) < 8:
        return [runs]
    for mid in (0.5, 0.48, 0.52):
        both = spanning = 0
        for row in rows:
            if any(r.left < mid - 0.01 and r.right > mid + 0.01 for r in row):
                spanning += 1
            elif any(r.right <= mid for r in row) and any(r.left >= mid for r in row):
                both += 1
        if both >= 8 and both >= 0.6 * len(rows) and spanning <= max(1, len(rows) // 10):
            # the running head and the folio span the page whatever its columns: read them whole
            # (heads and folios sit in the outer 6% of the page; body text may start at 8%)
            head = [r for r in runs if r.bottom <= 0.06]
            foot = [r for r in runs if r.top >= 0.94 and r.bottom > 0.06]
            body = [r for r in runs if r.bottom > 0.06 and r.top < 0.94]
            crossing = [r for r in body if r.left < mid - 0.01 and r.right > mid + 0.01]
            left = [r for r in body if r.right <= mid + 0.01]  # (a crossing run ends past mid + 0.01)
            right = [r for r in body if r.left > mid - 0.01 and r.right > mid + 0.01]
            return [part for part in (head, crossing + left, right, foot) if part]
    return [runs]


def _join(runs: list[Run], em: float) -> str:
    """Runs of one line, left to right: a gap of about a character becomes a space, a wide gap (a table
    column, a TOC page number) a tab, so tables keep their cells."""
    out: list[str] = []
    prev: Run | None = None
    for run in sorted(runs, key=lambda r: r.left):
        if prev is not None:
            gap = run.left - prev.right
            if gap > 2.5 * em:
                out.append("\t")
            elif gap > 0.6 * em and not out[-1].endswith((" ", "\t")) and not run.text.startswith(" "):
                out.append(" ")
        out.append(run.text)
        prev = run
    return "".join(out).rstrip()


def lines_of(runs: list[Run]) -> list[Line]:
    """Group runs into lines (by vertical overlap), top to bottom, column by column."""
    out: list[Line] = []
    for column in _columns([r for r in runs if r.text.strip()]):
        for group in _rows(column):
            em = max(1e-6, sorted(r.height for r in group)[len(group) // 2])
            confidences = [r.confidence for r in group if r.confidence is not None]
            out.append(Line(_join(group, em), min(r.left for r in group), min(r.top for r in group),
                            max(r.right for r in group), max(r.bottom for r in group),
                            min(confidences) if confidences else None))
    return out


# ---- running headers and footers --------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–―─·•．.（(【\[]*(?:第\s*)?(\d{1,4})(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?"
    r"[\s\-—–―─·•．.）)】\]]*$")
_NUMBER_IN_HEAD = re.compile(r"(?<![\d年第])(\d{1,4})(?![\d年月日期号])")


def _shape(text: str) -> str:
    """A running line's shape: digits and spaces dropped, so "2022年第2期 · 13 ·" equals "… 14 …"."""
    return re.sub(r"[\s\d·•\-—–―─．.()（）]+", "", text)


def page_number(text: str) -> str | None:
    """The page number a header/footer line prints, if it is one ("— 3 —", "·12·", "第3页", "3/20")."""
    m = _PAGE_NUMBER.match(text.strip())
    if m:
        return m.group(1)
    return None


def strip_running(pages: list[list[Line]]) -> list[PageText]:
    """Remove running headers and footers and read each page's printed number.

    A line in the top or bottom margin is running matter when it is a page number, or when its shape
    (digits aside) recurs on at least two pages and a quarter of them. Gazette heads alternate between
    even and odd pages (name / issue), which the shape count still catches; a line printed once in the
    margin (a title that starts high on a page) stays."""
    shapes: Counter[str] = Counter()
    for lines in pages:
        seen = {_shape(ln.text) for ln in _margin_lines(lines)}
        shapes.update(s for s in seen if len(s) >= 2)
    need = max(2, (len(pages) + 3) // 4)
    out: list[PageText] = []
    for lines in pages:
        margin = set(map(id, _margin_lines(lines)))
        kept: list[Line] = []
        printed: str | None = None
        for ln in lines:
            if id(ln) in margin:
                number = page_number(ln.text)
                if number is not None:
                    printed = printed or number
                    continue
                if shapes[_shape(ln.text)] >= need and len(pages) >= 2:
                    if printed is None:
                        numbers = _NUMBER_IN_HEAD.findall(ln.text)
                        if numbers:
                            printed = numbers[-1]
                    continue
            kept.append(ln)
        confidences = [ln.confidence for ln in kept]
        ocr = any(c is not None for c in confidences)
        out.append(PageText([ln.text for ln in kept], printed=printed, ocr=ocr,
                            confidences=[c if c is not None else 1.0 for c in confidences] if ocr else None))
    return out


def _margin_lines(lines: list[Line]) -> list[Line]:
    """At most two lines at the top and two at the bottom that stand inside the margins."""
    top = [ln for ln in lines[:2] if ln.bottom <= MARGIN + 0.02]
    bottom = [ln for ln in lines[-2:] if ln.top >= 1 - MARGIN - 0.02]
    return top + [ln for ln in bottom if ln not in top]
