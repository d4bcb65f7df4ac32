"""What every reader returns: the text lines of a file, with its pages and what the file says of itself.

Readers differ in how they get text (a text layer, OCR, XML, HTML), but all hand the parser the same
thing, so the parser never cares where text came from: lines, and for paginated forms which lines each page
gave. Line numbers in spans are 1-based indexes into ``lines``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gongbao.model import Page, SourceFormat

OcrMode = str  # "auto" | "always" | "never"
OCR_MODES = ("auto", "always", "never")

Progress = Callable[[int, int], None]
"""``progress(done, total)`` after each OCR'd page: long OCR runs show pages/s."""

PageOcr = Callable[[bytes, Sequence[int]], list[list[Any]]]
"""Recognise pages (0-based indexes) of a PDF given as bytes: one list of layout runs per page. The
default OCRs here, one page after another; a Dask ingest passes one that spreads pages over workers."""


@dataclass(slots=True)
class PageText:
    """The lines one page gave, before pages are joined. ``confidences`` is per line for OCR'd pages."""

    lines: list[str]
    printed: str | None = None
    ocr: bool = False
    confidences: list[float] | None = None


@dataclass(slots=True)
class Reading:
    """A file read into text: lines in reading order, pages, metadata, OCR confidence."""

    format: SourceFormat
    lines: list[str]
    encoding: str | None = None
    pages: list[Page] = field(default_factory=list)
    low_confidence: list[tuple[int, float]] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)


LOW_CONFIDENCE = 0.8
"""OCR lines below this confidence are listed for the editor to check against the page image."""


def join_pages(fmt: SourceFormat, pages: list[PageText], *, metadata: dict[str, str] | None = None,
               low: float = LOW_CONFIDENCE) -> Reading:
    """Concatenate pages into one line list, recording where each page starts and ends.

    Pages are joined with nothing in between: a paragraph cut by a page break is rejoined by the parser as
    any line broken mid-sentence is."""
    lines: list[str] = []
    out_pages: list[Page] = []
    low_lines: list[tuple[int, float]] = []
    for index, page in enumerate(pages, start=1):
        first = len(lines) + 1
        lines.extend(page.lines)
        confidence = None
        if page.ocr and page.confidences:
            confidence = round(sum(page.confidences) / len(page.confidences), 4)
            for offset, c in enumerate(page.confidences):
                if c < low and page.lines[offset].strip():
                    low_lines.append((first + offset, round(c, 4)))
        out_pages.append(Page(index=index, first_line=first, last_line=len(lines), printed=page.printed,
                              ocr=page.ocr, confidence=confidence))
    return Reading(format=fmt, lines=lines, pages=out_pages, low_confidence=low_lines,
                   metadata=dict(metadata or {}))
