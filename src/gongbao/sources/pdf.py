"""Read a PDF issue: the text layer with pypdfium2 where it is usable, OCR where it is not.

pypdfium2 (Apache-2.0/BSD) gives each page's text runs with their boxes; :mod:`gongbao.sources.layout`
turns them into lines in reading order and removes the running header and footer. A page is OCR'd when it
has no text layer (a scan) or a text layer whose glyphs do not map to real characters (fonts with a broken
ToUnicode map give private-use code points or strings of rare characters: GB/T printed as 犌犅／犜).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from typing import Any

from gongbao.errors import UnusableInput
from gongbao.sources.layout import Line, Run, lines_of, strip_running
from gongbao.sources.pdftables import MIN_PATHS, RuledTable, merge_cut_rows, ruled_tables
from gongbao.sources.reading import PageOcr, Progress, Reading, join_pages

# pdfium is not thread-safe: one document operation at a time per process
_PDFIUM = threading.RLock()


def open_pdf(data: bytes) -> Any:
    """A pypdfium2 document, or UnusableInput saying why not (encrypted, damaged, empty)."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text or "security" in text:
            raise UnusableInput("PDF 已加密，需要密码才能打开 (encrypted PDF: a password is needed)") from None
        raise UnusableInput(f"PDF 文件已损坏，无法打开 (damaged PDF: {exc})") from None
    if len(doc) == 0:
        doc.close()
        raise UnusableInput("PDF 没有任何页面 (a PDF with no pages)")
    return doc


def text_runs(page: Any) -> list[Run]:
    """The page's text layer as runs: consecutive characters on one baseline with no wide gap, boxes as
    fractions of the page.

    Built from characters (pdfium's loose, em-high boxes) rather than pdfium's text rectangles: producers
    such as Chromium emit overlapping rectangles, and reading text by rectangle then repeats characters
    (宁政办规办规发) or splits a line at arbitrary points."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    textpage = page.get_textpage()
    raw = textpage.raw
    box = pdfium_c.FS_RECTF()
    runs: list[Run] = []
    text: list[str] = []
    left = top = right = bottom = 0.0

    def close() -> None:
        joined = "".join(text).rstrip()
        if joined.strip():
            runs.append(Run(joined, left / width, 1 - top / height, right / width, 1 - bottom / height))
        text.clear()

    try:
        for i in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if pdfium_c.FPDFText_IsGenerated(raw, i) == 1 or code in (0, 0xFFFE, 0xFFFF):
                continue  # pdfium's own line breaks and spaces: layout decides those
            ch = chr(code) if code < 0x110000 else "\ufffd"
            if ch in "\r\n":
                continue
            if ch.isspace():
                if text:
                    text.append(" ")
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, ctypes.byref(box)):
                continue
            x0, t, x1, b = box.left, box.top, box.right, box.bottom
            if text:
                em = max(top - bottom, 1e-6)
                same_line = min(top, t) - max(bottom, b) > 0.5 * min(em, max(t - b, 1e-6))
                if not same_line or x0 < left - 0.5 * em or x0 - right > 0.25 * em:
                    close()
            if not text:
                left, top, right, bottom = x0, t, x1, b
            else:
                left, top, right, bottom = min(left, x0), max(top, t), max(right, x1), min(bottom, b)
            text.append(ch)
        close()
        return runs
    finally:
        textpage.close()


def _object_counts(page: Any) -> tuple[int, int]:
    """(images, vector paths) drawn on the page: images mean a scan may be there; paths, ruled tables."""
    import pypdfium2.raw as pdfium_c

    images = paths = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        else:
            paths += 1
    return images, paths


@functools.lru_cache(maxsize=32768)
def _is_rare(ch: str) -> bool:
    """A Han character outside GB 2312 (the 6,763 characters that make up nearly all official text)."""
    try:
        ch.encode("gb2312")
        return False
    except UnicodeEncodeError:
        return True


def text_quality(text: str) -> str | None:
    """Why a text layer is not usable (None when it is): too few characters, private-use code points,
    replacement characters, or mostly rare Han characters (a broken font encoding)."""
    chars = [ch for ch in text if not ch.isspace()]
    if len(chars) < 8:
        return "no_text"
    private = sum(1 for ch in chars if 0xE000 <= ord(ch) <= 0xF8FF or ord(ch) >= 0xF0000)
    replacement = sum(1 for ch in chars if ch == "\ufffd" or (ord(ch) < 32))
    han = [ch for ch in chars[:4000] if "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"]
    rare = sum(1 for ch in han if _is_rare(ch))
    if (private + replacement) / len(chars) > 0.05:
        return "unmapped_glyphs"
    if han and len(han) >= 8 and rare / len(han) > 0.2:
        return "rare_glyphs"
    return None


def render(page: Any, dpi: int) -> Any:
    """The page as a greyscale PIL image at ``dpi``."""
    return page.render(scale=dpi / 72, grayscale=True).to_pil()


def ocr_pages_here(data: bytes, indexes: Sequence[int], progress: Progress | None = None) -> list[list[Run]]:
    """OCR pages of a PDF in this process, one after another."""
    from gongbao.sources.ocr import DPI, recognise

    out: list[list[Run]] = []
    with _PDFIUM:
        doc = open_pdf(data)
    try:
        for n, index in enumerate(indexes, start=1):
            with _PDFIUM:
                image = render(doc[index], DPI)
            out.append(recognise(image))
            if progress is not None:
                progress(n, len(indexes))
    finally:
        with _PDFIUM:
            doc.close()
    return out


def _page_lines(runs: list[Run], tables: list[RuledTable]) -> list[Line]:
    """A page's lines: text outside ruled tables by layout, each table row as one tab-separated line."""
    if not tables:
        return lines_of(runs)
    free = [r for r in runs if not any(t.holds(r) for t in tables)]
    rows = [row for t in tables for row in t.lines(runs)]
    return sorted([*lines_of(free), *rows], key=lambda ln: (ln.top, ln.left))


def read_pdf(data: bytes, *, ocr: str = "auto", page_ocr: PageOcr | None = None,
             progress: Progress | None = None) -> Reading:
    """Read a PDF into lines with pages: text layer where usable, OCR where not (``ocr``: auto, always,
    never)."""
    with _PDFIUM:
        doc = open_pdf(data)
        try:
            # named file_* as OFD's are: a PDF's Title is often the gazette's name or a file name, never
            # a portal's metadata box, so the parser must not weigh it against the body's title
            metadata = {"file_" + k.lower(): v.strip() for k, v in doc.get_metadata_dict(skip_empty=True).items()
                        if k in ("Title", "Author", "Subject", "Creator", "Producer") and v.strip()}
            layer: list[list[Run]] = []
            todo: list[int] = []
            ruled: list[int] = []
            for index in range(len(doc)):
                page = doc[index]
                runs = text_runs(page)
                layer.append(runs)
                images, paths = _object_counts(page)
                why = text_quality("".join(r.text for r in runs))
                if ocr == "always" or (ocr == "auto" and why is not None and (runs or images)):
                    todo.append(index)  # (a page with neither text nor images is blank: nothing to read)
                elif why is None and paths >= MIN_PATHS:
                    ruled.append(index)
        finally:
            doc.close()
    tables = ruled_tables(data, ruled)
    pages: list[list[Line]] = [_page_lines(runs, tables.get(index, [])) for index, runs in enumerate(layer)]
    if todo:
        recognised = (page_ocr or (lambda d, ix: ocr_pages_here(d, ix, progress)))(data, todo)
        for index, runs in zip(todo, recognised, strict=True):
            pages[index] = lines_of(runs)
    texts = strip_running(pages)
    if tables:
        cut = [t.lines for t in texts]
        merge_cut_rows(cut)
        for t, lines in zip(texts, cut, strict=True):
            if t.confidences is not None and len(t.confidences) != len(lines):
                t.confidences = t.confidences[:len(lines)]
            t.lines = lines
    reading = join_pages("pdf", texts, metadata=metadata)
    if not any(line.strip() for line in reading.lines):
        if ocr == "never":
            raise UnusableInput("PDF 没有文字层（扫描件），且已关闭 OCR (no text layer and --ocr never)")
        raise UnusableInput("PDF 中没有可识别的文字 (no readable text in this PDF)")
    return reading
