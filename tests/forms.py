"""Realistic non-text forms of the real corpus, made during the test run (not a test file).

Gazettes reach us as printed PDFs, scans of printed pages and PDFs whose text layer is garbage; the corpus
only has the converted text. This module prints a corpus issue the way a gazette is printed, scans it, wraps
scans into an image-only PDF and breaks a PDF's text layer, so the PDF reader and OCR are tested on inputs
with real content and known truth. Nothing generated is committed: every file lives in a cache keyed by the
inputs, the parameters and VERSION, so a second run reuses it.

Entry points: issue_pdf, pdf_with_layout, page_layout, scan_pages, scanned_pdf, garbled_pdf, and
skip_if_unavailable for tests. Imported by tests (tests/ is on sys.path under pytest) and by bench/ scripts
(which put tests/ on sys.path themselves).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypedDict

# Bump when the output of any generator changes: it is part of every cache key.
VERSION = "forms-1"
ROOT = Path(__file__).resolve().parent.parent

FolioStyle = Literal["dash", "dot", "plain"]
GarbleMode = Literal["pua", "rare", "none"]
ImageFormat = Literal["png", "jpeg", "tiff"]

# Counts of cache hits and misses by kind ("pdf", "scan", "scanned", "garbled"), so tests can see reuse.
CACHE_STATS: Counter[str] = Counter()

# A4 in millimetres and the type area of a gazette page
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 22.0, 26.0, 24.0
HEADER_Y, HEADER_RULE_Y, FOLIO_Y = 16.0, 18.5, PAGE_H - 13.0
PT = 25.4 / 72  # one point in millimetres


class FormUnavailable(RuntimeError):
    """A generator cannot run here (no CJK font, a library missing); tests skip with this message."""


# ---------------------------------------------------------------------------------------------- cache


def cache_dir() -> Path:
    """Where generated files live: $GONGBAO_TEST_CACHE, else <repo>/.cache/test-forms (git-ignored).

    Read on every call so a test can point it elsewhere with monkeypatch.setenv.
    """
    configured = os.environ.get("GONGBAO_TEST_CACHE")
    path = Path(configured) if configured else ROOT / ".cache" / "test-forms"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _key(*parts: object) -> str:
    """SHA-256 of VERSION and the parts (bytes as is, the rest as JSON), short enough for a file name."""
    digest = hashlib.sha256(VERSION.encode())
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(part, ensure_ascii=False, sort_keys=True).encode()
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:32]


def _file_digest(path: Path) -> str:
    """Content hash of an input file: keys depend on what a file holds, not on its name or mtime."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    """Write through a temp file in the same directory and os.replace it, so a concurrent or interrupted
    run never sees (or keeps) a half-written file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------------- fonts


@dataclass(frozen=True)
class CJKFont:
    """A font file and the face inside it (.ttc collections hold several) that covers Simplified Chinese."""

    path: Path
    index: int
    name: str


PREFERRED_FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
KNOWN_FONTS = (
    PREFERRED_FONT,
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)
_PROBE = "中华人民共和国政府公报〔〕号"


def _cjk_face(path: Path, hint: int | None = None) -> CJKFont | None:
    """The face of a font file that has every probe character, preferring the SC (mainland) face, since
    JP/KR faces of the same collection draw some shared code points with other glyph shapes."""
    try:
        from fontTools.ttLib import TTCollection, TTFont
    except ImportError:
        return None
    try:
        if path.suffix.lower() in {".ttc", ".otc"}:
            faces = list(enumerate(TTCollection(str(path), lazy=True).fonts))
        else:
            faces = [(0, TTFont(str(path), lazy=True))]
    except Exception:
        return None
    named = [(index, face, face["name"].getDebugName(4) or path.stem) for index, face in faces]
    order = sorted(named, key=lambda item: (
        item[0] != hint, not re.search(r"\b(SC|CN|GB)\b|简", item[2]), item[0]))
    for index, face, name in order:
        cmap = face.getBestCmap() or {}
        if all(ord(ch) in cmap for ch in _PROBE):
            return CJKFont(path, index, name)
    return None


@functools.cache
def find_cjk_font() -> CJKFont:
    """The CJK font to print with: Noto Serif CJK SC (Debian fonts-noto-cjk, as CI installs), else what
    fontconfig offers for Chinese, else a few known Debian paths. Raises FormUnavailable when none."""
    candidates: list[tuple[Path, int | None]] = [(PREFERRED_FONT, None)]
    if shutil.which("fc-match"):
        for pattern in ("Noto Serif CJK SC", "serif:lang=zh-cn", "sans-serif:lang=zh-cn"):
            try:
                out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n", pattern],
                                     capture_output=True, text=True, timeout=10, check=False).stdout.split("\n")
            except (OSError, subprocess.TimeoutExpired):
                continue
            if len(out) >= 2 and out[0]:
                candidates.append((Path(out[0]), int(out[1]) if out[1].isdigit() else None))
    candidates += [(path, None) for path in KNOWN_FONTS]
    seen: set[Path] = set()
    for path, hint in candidates:
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        font = _cjk_face(path, hint)
        if font:
            return font
    raise FormUnavailable("no CJK font found (install Debian fonts-noto-cjk, as .ci/apt-packages.txt lists)")


def skip_if_unavailable() -> None:
    """pytest.skip (module level too) with the reason when the generators cannot run on this machine."""
    import pytest

    try:
        _require()
    except FormUnavailable as exc:
        pytest.skip(str(exc), allow_module_level=True)


def _require() -> None:
    """Raise FormUnavailable naming what is missing: libraries first, then the font."""
    missing = []
    for module, package in (("fpdf", "fpdf2"), ("pypdfium2", "pypdfium2"), ("PIL", "pillow"),
                            ("numpy", "numpy"), ("fontTools", "fonttools")):
        try:
            __import__(module)
        except ImportError:
            missing.append(package)
    if missing:
        raise FormUnavailable(f"missing Python packages for test forms: {', '.join(missing)}")
    find_cjk_font()


# ---------------------------------------------------------------------------------------------- text


_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")  # "# 标题"; "#房地产开发投资" (of which) has no space
_MD_LIST = re.compile(r"^\s{0,3}[-*+]\s+")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_PIPE_SEPARATOR = re.compile(r"^\|?(\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$")
_DOCNO_ONLY = re.compile(r"^[\u4e00-\u9fff]{1,15}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号$")
_TOC = re.compile(r"^目\s*录$")
_ISSUE = re.compile(r"(\d{4})\s*年\s*第\s*(\d+)\s*期")


def printed(text: str) -> tuple[str, int]:
    """A source line as a printer prints it, and its Markdown heading level (0 for none).

    The converted text carries Markdown noise (#, **, list dashes, backslash escapes, trailing double
    spaces) that never appears on paper; a PDF reader must not be tested against marks the print lacks.
    """
    level = 0
    match = _MD_HEADING.match(text)
    if match:
        level = len(match.group(1))
        text = text[match.end():]
    text = _MD_LIST.sub("", text)
    text = _MD_ESCAPE.sub(r"\1", text.replace("**", ""))
    return text.strip(), level


def table_cells(line: str) -> list[str] | None:
    """Cells of a table row (tab-separated or a Markdown pipe row), None for other lines; a pipe separator
    row (|---|---|) gives [] (printed as nothing)."""
    if "\t" in line:
        return [printed(cell)[0] for cell in line.rstrip("\n").split("\t")]
    stripped = line.strip()
    if len(stripped) >= 2 and stripped.startswith("|") and stripped.endswith("|"):
        if _PIPE_SEPARATOR.match(stripped):
            return []
        return [printed(cell)[0] for cell in stripped[1:-1].split("|")]
    return None


@dataclass(frozen=True)
class IssueShape:
    """Where an issue's printed parts begin and what its running header says."""

    header: str | None
    toc_start: int | None  # index of the 目录 line; lines before it are the cover
    body_start: int | None  # index of the first line of the first document


def issue_shape(lines: Sequence[str]) -> IssueShape:
    """Read the masthead and find the cover, the TOC and the first document of an issue's text.

    The header is "<gazette name>　<year>年第<n>期" from the masthead (a name split over two lines, as in
    "宁夏回族自治区 / 人民政府公报", is joined). The first document starts at the title right above the first
    文号-only line after the TOC (TOC entries carry their 文号 in brackets with a page number).
    """
    clean = [printed(line)[0] for line in lines]
    toc = next((i for i, text in enumerate(clean) if _TOC.match(text)), None)
    front = clean[: toc if toc is not None else min(len(clean), 120)]
    name = None
    for i, text in enumerate(front):
        if text.endswith("公报") and len(text) <= 30:
            name = text
            if len(text) <= 6:  # "人民政府公报" under a line with the region
                previous = next((t for t in reversed(front[:i]) if t), "")
                name = previous + text
            break
    issue = next((m for m in map(_ISSUE.search, front + clean[:200]) if m), None)
    header = None
    if name:
        header = name if issue is None else f"{name}\u3000{issue.group(1)}年第{issue.group(2)}期"
    body = None
    if toc is not None:
        docno = next((i for i in range(toc + 1, len(clean)) if _DOCNO_ONLY.match(clean[i])), None)
        if docno is not None:
            body = docno - 1
            while body > toc and not clean[body]:
                body -= 1
            while body - 1 > toc and clean[body - 1]:
                body -= 1
    return IssueShape(header, toc, body)


# ---------------------------------------------------------------------------------------------- printing


class LayoutLine(TypedDict):
    """One printed line: its text (table cells joined by a space) and the 1-based source line it prints."""

    text: str
    source: int


class PageLayout(TypedDict):
    """What a generated page shows: header, folio (None on the cover) and printed lines in order."""

    index: int
    header: str | None
    folio: str | None
    lines: list[LayoutLine]


_OPENING = set("（《「『【〔“‘([{")
_CLOSING = set("，。、；：？！）》」』】〕”’…,.;:!?)]}%·")
_UNIT = re.compile(r"[!-~]+| +|.", re.S)


def _units(text: str) -> list[str]:
    """Unbreakable pieces of a line: a CJK character, a run of ASCII (numbers, 文号 digits, URLs), a run of
    spaces; closing punctuation sticks to what precedes it and opening punctuation to what follows
    (禁则, no line starts with "，" or ends with "《"), and a "——" pair stays whole."""
    units: list[str] = []
    glue_next = False
    for unit in _UNIT.findall(text):
        if units and not units[-1].isspace() and (
            glue_next or unit[0] in _CLOSING or (unit == "—" and units[-1].endswith("—"))
        ):
            units[-1] += unit
        else:
            units.append(unit)
        glue_next = not unit.isspace() and unit[-1] in _OPENING
    return units


class _Printer:
    """Lays lines out on A4 pages with fpdf2 and records what lands on each page.

    The line breaking is done here rather than by fpdf2's multi_cell so that Chinese breaks between any two
    characters (with 禁则) but never inside a number or 文号, and so that the page of every printed line
    is known without reading the PDF back.
    """

    def __init__(self, *, header: str | None, folio: FolioStyle, folio_start: int, cover: bool,
                 font_size: float, title: str | None) -> None:
        from fpdf import FPDF

        font = find_cjk_font()
        self.pdf = FPDF(orientation="P", unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_creation_date(datetime(2000, 1, 1, tzinfo=UTC))  # same bytes for the same input
        self.pdf.set_title(title or header or "gazette")
        self.pdf.add_font("cjk", fname=str(font.path), collection_font_number=font.index)
        ttfont = getattr(self.pdf.fonts.get("cjk"), "ttfont", None)
        if ttfont is not None:
            # The subset keeps the full font's bounding box instead of recomputing it from every CFF
            # glyph: a valid box, and it halves the time fpdf2 spends writing a CJK font.
            ttfont.recalcBBoxes = False
        self.header, self.folio, self.folio_start, self.cover = header, folio, folio_start, cover
        self.size = font_size
        self.width = PAGE_W - 2 * MARGIN_X
        self.bottom = PAGE_H - MARGIN_BOTTOM
        self.y = 0.0
        self.pages: list[PageLayout] = []
        self._widths: dict[tuple[float, str], float] = {}
        self._fresh = True  # nothing printed on the current page yet

    # -- measuring and breaking

    def _set_size(self, size: float) -> None:
        self.pdf.set_font("cjk", size=size)

    def _width(self, text: str, size: float) -> float:
        total = 0.0
        for ch in text:
            key = (size, ch)
            if key not in self._widths:
                self._set_size(size)
                self._widths[key] = self.pdf.get_string_width(ch)
            total += self._widths[key]
        return total

    def wrap(self, text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
        """Greedy line breaking at unit boundaries; a unit wider than a line is cut by characters."""
        lines: list[str] = []
        current, used, avail = "", 0.0, width - first_indent
        for unit in _units(text):
            w = self._width(unit, size)
            if unit.isspace():
                if current and used + w <= avail:
                    current, used = current + unit, used + w
                elif current:
                    lines.append(current.rstrip())
                    current, used, avail = "", 0.0, width
                continue
            if used + w <= avail:
                current, used = current + unit, used + w
                continue
            if current:
                lines.append(current.rstrip())
                current, used, avail = "", 0.0, width
            if w <= avail:
                current, used = unit, w
                continue
            for ch in unit:  # longer than a whole line (a long URL): cut anywhere
                cw = self._width(ch, size)
                if current and used + cw > avail:
                    lines.append(current)
                    current, used, avail = "", 0.0, width
                current, used = current + ch, used + cw
        if current.strip() or not lines:
            lines.append(current.rstrip())
        return lines

    # -- pages

    def new_page(self) -> None:
        """Start a page and print its running header and folio (not on the cover)."""
        self.pdf.add_page()
        index = len(self.pages)
        decorated = not (self.cover and index == 0)
        number = index + self.folio_start
        folio = None
        if decorated:
            folio = {"dash": f"— {number} —", "dot": f"·{number}·", "plain": str(number)}[self.folio]
            if self.header:
                self._set_size(9)
                self.pdf.text((PAGE_W - self._width(self.header, 9)) / 2, HEADER_Y, self.header)
                self.pdf.set_line_width(0.3)
                self.pdf.line(MARGIN_X, HEADER_RULE_Y, PAGE_W - MARGIN_X, HEADER_RULE_Y)
            self._set_size(10)
            w = self._width(folio, 10)
            if self.folio == "dot":  # outer corner: right on odd pages, left on even ones
                x = PAGE_W - MARGIN_X - w if number % 2 else MARGIN_X
            else:
                x = (PAGE_W - w) / 2
            self.pdf.text(x, FOLIO_Y, folio)
        self.pages.append(PageLayout(index=index, header=self.header if decorated else None,
                                     folio=folio, lines=[]))
        self.y = MARGIN_TOP
        self._fresh = True

    def room(self, height: float) -> None:
        """Break the page unless `height` more millimetres fit (a fresh page always takes the block)."""
        if not self.pages or (self.y + height > self.bottom and not self._fresh):
            self.new_page()

    def gap(self, height: float) -> None:
        if not self._fresh:
            self.y += height

    def line(self, text: str, source: int, *, size: float, x: float = MARGIN_X, leading: float = 1.75) -> None:
        """Print one line at the current position (breaking the page first if it does not fit)."""
        height = size * PT * leading
        self.room(height)
        self._set_size(size)
        if text:
            self.pdf.text(x, self.y + size * PT * 1.05, text)
        self.pages[-1]["lines"].append(LayoutLine(text=text, source=source))
        self.y += height
        self._fresh = False

    def paragraph(self, text: str, source: int, level: int) -> None:
        """A source line: a heading is centred and larger; body text wraps at the type area, and a
        paragraph that wraps gets the usual two-character first-line indent."""
        if level:
            size = self.size * {1: 1.45, 2: 1.25}.get(level, 1.1)
            self.gap(self.size * PT * 0.6)
            for piece in self.wrap(text, self.width, size):
                self.line(piece, source, size=size, x=(PAGE_W - self._width(piece, size)) / 2)
            return
        pieces = self.wrap(text, self.width, self.size)
        if len(pieces) > 1:
            indent = 2 * self._width("国", self.size)
            pieces = self.wrap(text, self.width, self.size, first_indent=indent)
            self.line(pieces[0], source, size=self.size, x=MARGIN_X + indent)
            pieces = pieces[1:]
        for piece in pieces:
            self.line(piece, source, size=self.size)

    def table(self, rows: list[tuple[list[str], int]]) -> None:
        """A ruled table: columns as wide as their content when the row fits the type area (one printed line
        per row), otherwise narrowed by water-filling and the cells wrapped."""
        size, pad_x, pad_y = self.size * 0.9, 1.2, 0.7
        leading = size * PT * 1.45
        ncols = max(len(cells) for cells, _ in rows)
        natural = [0.0] * ncols
        for cells, _ in rows:
            for c, cell in enumerate(cells):
                natural[c] = max(natural[c], self._width(cell, size) + 2 * pad_x + 0.01)
        widths = _fit_columns(natural, self.width, minimum=self._width("国", size) + 2 * pad_x)
        for cells, source in rows:
            cells = cells + [""] * (ncols - len(cells))
            wrapped = [self.wrap(cell, widths[c] - 2 * pad_x, size) if cell else [""]
                       for c, cell in enumerate(cells)]
            height = max(map(len, wrapped))
            done = 0
            while done < height:  # a row taller than the rest of the page continues on the next one
                self.room(leading + 2 * pad_y)
                fit = max(1, int((self.bottom - self.y - 2 * pad_y) // leading))
                part = min(fit, height - done)
                box = part * leading + 2 * pad_y
                self._set_size(size)
                self.pdf.set_line_width(0.2)
                x = MARGIN_X
                for c, width in enumerate(widths):
                    self.pdf.rect(x, self.y, width, box)
                    for k, piece in enumerate(wrapped[c][done:done + part]):
                        if piece:
                            self.pdf.text(x + pad_x, self.y + pad_y + k * leading + size * PT * 1.0, piece)
                    x += width
                for k in range(done, done + part):
                    text = " ".join(w[k] for w in wrapped if k < len(w) and w[k])
                    self.pages[-1]["lines"].append(LayoutLine(text=text, source=source))
                self.y += box
                self._fresh = False
                done += part

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _fit_columns(natural: list[float], total: float, *, minimum: float) -> list[float]:
    """Column widths filling `total`: natural widths stretched when they fit; otherwise narrow columns keep
    their width and the wide ones share what is left equally (water-filling)."""
    natural = [max(w, minimum) for w in natural]
    if sum(natural) <= total:
        scale = total / sum(natural)
        return [w * scale for w in natural]
    widths = [0.0] * len(natural)
    open_cols = list(range(len(natural)))
    left = total
    while open_cols:
        share = left / len(open_cols)
        narrow = [c for c in open_cols if natural[c] <= share]
        if not narrow:
            for c in open_cols:
                widths[c] = share
            break
        for c in narrow:
            widths[c] = natural[c]
            left -= natural[c]
        open_cols = [c for c in open_cols if c not in narrow]
    return widths


def _layout_path(pdf: Path) -> Path:
    return pdf.with_suffix(".layout.json")


def page_layout(pdf: Path) -> list[PageLayout]:
    """The recorded layout of a PDF made here (also of its garbled and scanned forms' source): the truth
    a reader's output is compared with (which source line is printed on which page, header, folio)."""
    return json.loads(_layout_path(Path(pdf)).read_text(encoding="utf-8"))["pages"]


def pdf_with_layout(
    lines: Sequence[str],
    *,
    header: str | None = None,
    folio: FolioStyle = "dash",
    folio_start: int = 1,
    cover: bool = False,
    page_breaks: Iterable[int] = (),
    font_size: float = 10.5,
    title: str | None = None,
) -> Path:
    """Print lines as gazette pages (A4, CJK serif, ~五号 body) and return the cached PDF.

    Every page but the cover (page 0 when `cover`) carries the running `header` and a folio in the
    `folio` style ("dash": — 3 —, "dot": ·3· at the outer corner, "plain": 3), numbered from
    `folio_start` on the first page. Lines wrap at the type area; a line holding tabs or Markdown pipes is
    a table row (consecutive rows make one ruled table); Markdown marks are dropped; blank lines give a
    small gap. A page starts before each index in `page_breaks` and at a line that is exactly "\\f".
    The layout (page -> printed lines with their 1-based source line) is kept beside the PDF: page_layout().
    """
    from fpdf import __version__ as fpdf_version

    font = find_cjk_font()
    breaks = sorted(set(page_breaks))
    params = {"header": header, "folio": folio, "folio_start": folio_start, "cover": cover,
              "breaks": breaks, "size": font_size, "title": title, "fpdf": fpdf_version,
              "font": [str(font.path), font.index, font.path.stat().st_size]}
    out = cache_dir() / f"print-{_key('print', list(lines), params)}.pdf"
    if out.exists() and _layout_path(out).exists():
        CACHE_STATS["pdf hit"] += 1
        return out
    CACHE_STATS["pdf miss"] += 1
    printer = _Printer(header=header, folio=folio, folio_start=folio_start, cover=cover,
                       font_size=font_size, title=title)
    printer.new_page()
    break_set = set(breaks)
    i = 0
    while i < len(lines):
        raw = lines[i]
        if (i in break_set or raw == "\f") and not printer._fresh:
            printer.new_page()
        if raw == "\f":
            i += 1
            continue
        if table_cells(raw) is not None:
            rows: list[tuple[list[str], int]] = []
            while i < len(lines) and not (rows and i in break_set):
                cells = table_cells(lines[i])
                if cells is None:
                    if lines[i].strip() or lines[i] == "\f":
                        break
                    # a blank line inside a table: keep the table if another row follows
                    j = i
                    while j < len(lines) and not lines[j].strip():
                        j += 1
                    if j >= len(lines) or table_cells(lines[j]) is None:
                        break
                    i = j
                    continue
                if cells and any(cells):
                    rows.append((cells, i + 1))
                i += 1
            if rows:
                printer.table(rows)
            continue
        text, level = printed(raw)
        if text:
            printer.paragraph(text, i + 1, level)
        else:
            printer.gap(font_size * PT * 0.6)
        i += 1
    data = printer.output()
    layout = {"version": VERSION, "pages": printer.pages}
    _atomic_write(_layout_path(out), json.dumps(layout, ensure_ascii=False).encode())
    _atomic_write(out, data)
    return out


def issue_pdf(text_path: Path, *, header: str | None = None, folio: FolioStyle = "dash",
              font_size: float = 10.5) -> Path:
    """Print a corpus issue (.txt) as its gazette PDF: cover alone on page 1 (no header or folio), the TOC
    from a new page, the first document from a new page after it, then the documents flowing on.

    The header is taken from the masthead unless given. Folios number physical pages (the cover is 1,
    unprinted); they do not reproduce the TOC's page references, which belong to the original print.
    """
    lines = Path(text_path).read_text(encoding="utf-8").split("\n")
    lines = [line.rstrip("\r") for line in lines]
    shape = issue_shape(lines)
    header = header or shape.header
    if header is None:
        raise ValueError(f"{text_path}: no gazette name in the masthead; pass header=")
    breaks = [b for b in (shape.toc_start, shape.body_start) if b]
    return pdf_with_layout(lines, header=header, folio=folio, cover=bool(shape.toc_start),
                           page_breaks=breaks, font_size=font_size, title=header)


# ---------------------------------------------------------------------------------------------- scans


def scan_pages(pdf: Path, *, dpi: int = 150, noise: float = 0.0, skew: float = 0.0,
               pages: list[int] | None = None, seed: int = 0, fmt: ImageFormat = "png",
               blur: float = 0.0) -> list[Path]:
    """Rasterise pages (0-based indices; all when None) as a scanner delivers them: greyscale at `dpi`,
    rotated by `skew` degrees (paper fed askew, white fill), blurred by `blur` pixels (optics), and noisy:
    `noise` in 0..1 adds Gaussian grain (sigma 40*noise grey levels) and salt-and-pepper specks
    (density 1%*noise each). The same seed gives the same pixels. Images carry their dpi.
    """
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    pdf = Path(pdf)
    ext = {"png": "png", "jpeg": "jpg", "tiff": "tif"}[fmt]
    key = _key("scan", _file_digest(pdf), {"dpi": dpi, "noise": noise, "skew": skew, "seed": seed,
                                           "fmt": fmt, "blur": blur, "pdfium": pdfium.PDFIUM_INFO.version})
    doc = pdfium.PdfDocument(str(pdf))
    try:
        indices = list(range(len(doc))) if pages is None else list(pages)
        out: list[Path] = []
        for index in indices:
            path = cache_dir() / f"scan-{key}-p{index + 1:03d}.{ext}"
            out.append(path)
            if path.exists():
                CACHE_STATS["scan hit"] += 1
                continue
            CACHE_STATS["scan miss"] += 1
            page = doc[index]
            try:
                image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            finally:
                page.close()
            if skew:
                image = image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
            if blur:
                image = image.filter(ImageFilter.GaussianBlur(blur))
            if noise:
                rng = np.random.default_rng([seed, index])
                pixels = np.asarray(image, dtype=np.float32)
                pixels = pixels + rng.standard_normal(pixels.shape, dtype=np.float32) * (40.0 * noise)
                specks = rng.random(pixels.shape, dtype=np.float32)
                pixels[specks < 0.01 * noise] = 0
                pixels[specks > 1 - 0.01 * noise] = 255
                image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
            buffer = io.BytesIO()
            options: dict[str, Any] = {"dpi": (dpi, dpi)}
            if fmt == "png":
                options["compress_level"] = 1  # noise does not compress: level 6 takes 3x longer for 10%
            elif fmt == "jpeg":
                options["quality"] = 85
            elif fmt == "tiff":
                options["compression"] = "tiff_lzw"
            image.save(buffer, format=fmt.upper(), **options)
            _atomic_write(path, buffer.getvalue())
        return out
    finally:
        doc.close()


def scanned_pdf(images: Sequence[Path], *, dpi: int | None = None) -> Path:
    """An image-only PDF (no text layer, one page per image) as a scanner writes it: each page a greyscale
    JPEG (JPEG files embedded as they are, others encoded at quality 85), sized from its pixels and its
    dpi (`dpi` if given, else the image's own, else 150), so A4 scans give A4 pages whatever their dpi."""
    import pypdfium2 as pdfium
    from PIL import Image

    if not images:
        raise ValueError("scanned_pdf needs at least one image")
    key = _key("scanned", [_file_digest(Path(p)) for p in images], {"dpi": dpi})
    out = cache_dir() / f"scanned-{key}.pdf"
    if out.exists():
        CACHE_STATS["scanned hit"] += 1
        return out
    CACHE_STATS["scanned miss"] += 1
    doc = pdfium.PdfDocument.new()
    try:
        for path in images:
            with Image.open(path) as im:
                resolution = float(dpi or round(im.info.get("dpi", (150, 150))[0]) or 150)
                width, height = im.width * 72 / resolution, im.height * 72 / resolution
                if im.format == "JPEG":
                    jpeg = Path(path).read_bytes()
                else:
                    buffer = io.BytesIO()
                    im.convert("L" if im.mode not in {"L", "RGB"} else im.mode).save(
                        buffer, format="JPEG", quality=85)
                    jpeg = buffer.getvalue()
            page = doc.new_page(width, height)
            image = pdfium.PdfImage.new(doc)
            image.load_jpeg(io.BytesIO(jpeg), pages=[page])
            image.set_matrix(pdfium.PdfMatrix().scale(width, height))
            page.insert_obj(image)
            page.gen_content()
            page.close()
        buffer = io.BytesIO()
        doc.save(buffer)
    finally:
        doc.close()
    _atomic_write(out, buffer.getvalue())
    return out


# ---------------------------------------------------------------------------------------------- garbling


_OBJ = re.compile(rb"(\d+) (\d+) obj\b")
_LENGTH = re.compile(rb"/Length (\d+)(?!\s+\d+\s+R)")
_HEX_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_HEX_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")


def _utf16(hexstr: bytes) -> str:
    return bytes.fromhex(hexstr.decode()).decode("utf-16-be", errors="replace")


def _garble_char(ch: str, code: int, mode: GarbleMode) -> str:
    """What a broken font encoding reports instead of `ch` (drawn by glyph `code`): a private-use code per
    glyph ("pua", what fonts with custom encodings declare) or a rare CJK Extension-A character derived
    from the real one ("rare", like 犌犅／犜 for GB/T in standards PDFs). Spaces stay spaces."""
    if ch in " \u3000":
        return ch
    if mode == "pua":
        return chr(0xE000 + code % 0x1900)
    return chr(0x3400 + (ord(ch) * 2654435761 >> 5) % 6592)


def _garble_cmap(cmap: bytes, mode: GarbleMode) -> bytes:
    """A ToUnicode CMap with every mapping (bfchar and bfrange, expanded) replaced by garbage."""
    pairs: list[tuple[int, int, str]] = []  # code, code width in hex digits, unicode text
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in _HEX_PAIR.findall(block):
            pairs.append((int(src, 16), len(src), _utf16(dst)))
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in _HEX_RANGE.findall(block):
            first, last = int(lo, 16), int(hi, 16)
            if dst.startswith(b"["):
                targets = [_utf16(t) for t in re.findall(rb"<([0-9A-Fa-f]+)>", dst)]
            else:
                base = _utf16(dst[1:-1])
                targets = [base[:-1] + chr(ord(base[-1]) + k) for k in range(last - first + 1)]
            pairs += [(first + k, len(lo), text) for k, text in enumerate(targets)]
    entries = [
        "<{:0{}X}> <{}>\n".format(code, width, "".join(_garble_char(ch, code, mode) for ch in text)
                                  .encode("utf-16-be").hex().upper())
        for code, width, text in pairs
    ]
    blocks = "".join(f"{len(entries[i:i + 100])} beginbfchar\n{''.join(entries[i:i + 100])}endbfchar\n"
                     for i in range(0, len(entries), 100))
    head = cmap.split(b"endcodespacerange", 1)
    tail = cmap.rsplit(b"endcmap", 1)
    if len(head) != 2 or len(tail) != 2:
        raise ValueError("ToUnicode stream is not a CMap with a codespace range")
    return head[0] + b"endcodespacerange\n" + blocks.encode("ascii") + b"endcmap" + tail[1]


def garble_text_layer(data: bytes, mode: GarbleMode = "pua") -> bytes:
    """Rewrite a PDF (classic xref table, as fpdf2 writes) so its fonts' ToUnicode CMaps map every glyph
    to garbage ("pua", "rare") or are gone ("none"); glyphs and content streams are untouched, so pages
    render exactly as before while extracted text is useless. The file is rebuilt (no incremental update),
    so the true mapping is not left in it."""
    objects: list[tuple[int, bytes]] = []
    starts = list(_OBJ.finditer(data))
    if not starts:
        raise ValueError("no PDF objects found")
    pos = starts[0].start()
    head = data[:pos]
    while True:
        match = _OBJ.match(data, pos)
        if not match:
            break
        number = int(match.group(1))
        end_obj = data.find(b"endobj", match.end())
        stream_at = data.find(b"stream", match.end())
        if 0 <= stream_at < end_obj:
            length = _LENGTH.search(data, match.end(), stream_at)
            if not length:
                raise ValueError(f"object {number}: stream without a direct /Length")
            body_start = stream_at + len(b"stream")
            body_start += 2 if data[body_start:body_start + 2] == b"\r\n" else 1
            end_obj = data.find(b"endobj", body_start + int(length.group(1)))
        if end_obj < 0:
            raise ValueError(f"object {number} has no endobj")
        end = end_obj + len(b"endobj")
        objects.append((number, data[match.start():end]))
        pos = end
        while pos < len(data) and data[pos:pos + 1] in b"\r\n \t":
            pos += 1
    trailer_at = data.find(b"trailer", pos)
    startxref_at = data.find(b"startxref", trailer_at)
    if trailer_at < 0 or startxref_at < 0:
        raise ValueError("not a PDF with a classic xref table and trailer")
    trailer = data[trailer_at:startxref_at]

    to_unicode = {int(n) for _, obj in objects for n in re.findall(rb"/ToUnicode (\d+) 0 R", obj)}
    if not to_unicode:
        raise ValueError("no font with a ToUnicode CMap: nothing to garble")
    rebuilt: list[tuple[int, bytes]] = []
    for number, obj in objects:
        if mode == "none":
            obj = re.sub(rb"/ToUnicode \d+ 0 R\s*", b"", obj)
        if number in to_unicode:
            stream_at = obj.find(b"stream")
            dictionary = obj[:stream_at]
            body_start = stream_at + len(b"stream")
            body_start += 2 if obj[body_start:body_start + 2] == b"\r\n" else 1
            length = int(_LENGTH.search(dictionary).group(1))  # type: ignore[union-attr]
            body = obj[body_start:body_start + length]
            compressed = b"/FlateDecode" in dictionary
            cmap = zlib.decompress(body) if compressed else body
            cmap = _garble_cmap(cmap, mode) if mode != "none" else (
                b"/CIDInit /ProcSet findresource begin\nend\n")
            body = zlib.compress(cmap) if compressed else cmap
            dictionary = _LENGTH.sub(b"/Length %d" % len(body), dictionary, count=1)
            obj = dictionary + b"stream\n" + body + b"\nendstream\nendobj"
        rebuilt.append((number, obj))

    out = bytearray(head)
    offsets: dict[int, int] = {}
    for number, obj in rebuilt:
        offsets[number] = len(out)
        out += obj + b"\n"
    size = max(offsets) + 1
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[number]) if number in offsets else b"0000000000 65535 f \n"
    trailer = re.sub(rb"/Size \d+", b"/Size %d" % size, trailer)
    trailer = re.sub(rb"/Prev \d+\s*", b"", trailer)
    out += trailer.rstrip() + b"\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def garbled_pdf(source: Path | Sequence[str], *, mode: GarbleMode = "pua", **print_options: Any) -> Path:
    """A PDF that renders the text correctly but whose text layer is garbage, like real PDFs with broken
    font encodings (standards that extract GB/T as 犌犅／犜): from a corpus .txt (printed by issue_pdf), a
    list of lines (pdf_with_layout) or an existing PDF. `print_options` go to the printing function.
    The printed layout is copied beside it, so page_layout() gives the truth OCR should recover."""
    if isinstance(source, Path | str) and Path(source).suffix.lower() == ".pdf":
        original = Path(source)
    elif isinstance(source, Path | str):
        original = issue_pdf(Path(source), **print_options)
    else:
        original = pdf_with_layout(list(source), **print_options)
    out = cache_dir() / f"garbled-{_key('garbled', _file_digest(original), mode)}.pdf"
    if out.exists():
        CACHE_STATS["garbled hit"] += 1
        return out
    CACHE_STATS["garbled miss"] += 1
    data = garble_text_layer(original.read_bytes(), mode)
    if _layout_path(original).exists():
        _atomic_write(_layout_path(out), _layout_path(original).read_bytes())
    _atomic_write(out, data)
    return out


# ------------------------------------------------------------------------- a second producer: Chromium

CHROMIUM = Path("/usr/bin/chromium")


def chromium_pdf(text_path: Path, *, header: str | None = None) -> Path:
    """Print a corpus issue through Chromium (HTML → PDF, as a portal or a word processor's web view
    would): paragraphs with a first-line indent, ruled HTML tables, a running head and a folio from
    Chromium's own header and footer templates.

    A second producer matters because PDF text layers differ by producer: Chromium emits overlapping text
    rectangles and no space glyphs where fpdf2 emits neither, so a reader tuned on one breaks on the
    other. Raises FormUnavailable without Chromium or Playwright."""
    if not CHROMIUM.exists():
        raise FormUnavailable("Debian chromium is not installed (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise FormUnavailable(f"playwright is not installed: {exc}") from None
    import html as html_lib

    lines = Path(text_path).read_text(encoding="utf-8").split("\n")
    header = header or issue_shape(lines).header or ""
    out = cache_dir() / f"chromium-{_key('chromium', _file_digest(Path(text_path)), header)}.pdf"
    if out.exists():
        CACHE_STATS["chromium hit"] += 1
        return out
    CACHE_STATS["chromium miss"] += 1
    parts: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            parts.append("<table>" + "".join(
                "<tr>" + "".join(f"<td>{html_lib.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
                + "</table>")
            rows.clear()

    for raw in lines:
        cells = table_cells(raw)
        if cells is not None:
            if cells and not all(set(c) <= set("-: ") for c in cells):
                rows.append(cells)
            continue
        flush()
        text, _ = printed(raw)
        parts.append(f"<p>{html_lib.escape(text)}</p>" if text else "<p>&nbsp;</p>")
    flush()
    page = ("<html><head><meta charset='utf-8'><style>body{font-family:'Noto Serif CJK SC',serif;"
            "font-size:10.5pt;line-height:1.6}p{margin:0;text-indent:2em}table{border-collapse:collapse;"
            "width:100%}td{border:1px solid #000;padding:2px 3px;font-size:9pt}</style></head><body>"
            + "".join(parts) + "</body></html>")
    head = ("<div style=\"font-size:9px;width:100%;text-align:center;font-family:'Noto Serif CJK SC'\">"
            f"{html_lib.escape(header)}</div>")
    foot = "<div style='font-size:9px;width:100%;text-align:center'>— <span class='pageNumber'></span> —</div>"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            tab = browser.new_page()
            tab.set_content(page)
            data = tab.pdf(format="A4", display_header_footer=True, header_template=head,
                           footer_template=foot,
                           margin={"top": "25mm", "bottom": "20mm", "left": "25mm", "right": "25mm"})
        finally:
            browser.close()
    _atomic_write(out, data)
    return out
