"""Readers: turn a file in any supported form into text lines with provenance. Only I/O lives here.

Every reader returns a :class:`~gongbao.sources.reading.Reading` (lines, pages, metadata), so the parser
works the same on converted text, PDF, scans, OFD, DOCX and portal pages. :func:`read_source` decides the
form by content (:mod:`gongbao.sources.sniff`) and dispatches.
"""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from gongbao.errors import UnusableInput
from gongbao.model import Source
from gongbao.sources.reading import OCR_MODES, PageOcr, Progress, Reading
from gongbao.sources.sniff import sniff

__all__ = ["MAX_BYTES", "read_bytes", "read_file_bytes", "read_source"]

MAX_BYTES = 200 * 1024 * 1024
"""Files above this size are refused before they are read (a scanned issue of 300 pages is ~150 MB)."""


def read_file_bytes(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file. FIFOs, devices and directories are refused without blocking on them."""
    p = Path(path)
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise UnusableInput(f"{p}: 是目录而不是文件 (is a directory)")
        if not stat.S_ISREG(st.st_mode):
            raise UnusableInput(f"{p}: 不是普通文件（设备、管道或套接字）(not a regular file)")
        if st.st_size > max_bytes:
            raise UnusableInput(f"{p}: 文件过大 (larger than {max_bytes // 2**20} MB)")
        return p.read_bytes()
    except FileNotFoundError:
        raise UnusableInput(f"{p}: 文件不存在 (no such file)") from None
    except PermissionError:
        raise UnusableInput(f"{p}: 无权读取 (permission denied)") from None
    except OSError as exc:
        raise UnusableInput(f"{p}: 无法读取 ({exc.strerror or exc})") from None


def read_bytes(data: bytes, name: str, *, ocr: str = "auto", progress: Progress | None = None,
               page_ocr: PageOcr | None = None) -> tuple[Source, list[str]]:
    """Read ``data`` (the content of file ``name``) into (Source, lines). Raises UnusableInput with a
    one-line message that names the file."""
    if ocr not in OCR_MODES:
        raise UnusableInput(f"未知的 OCR 模式 {ocr!r} (unknown OCR mode: use auto, always or never)")
    try:
        if not data or data.isspace():  # isspace stops at the first other byte; strip copies the file
            raise UnusableInput("文件为空 (the file is empty)")
        fmt = sniff(data)
        reading = _read(fmt, data, ocr, progress, page_ocr)
    except UnusableInput as exc:
        raise UnusableInput(f"{name}: {exc}") from None
    # text only: the lines of other forms are tied to their pages
    lines = split_long_lines(reading.lines) if reading.format in (None, "text") else reading.lines
    return build_source(name, data, reading, lines), lines


def build_source(name: str, data: bytes, reading: Reading, lines: list[str]) -> Source:
    """The :class:`Source` of ``lines`` read from ``data`` (file ``name``) as ``reading`` says; its hash
    lets the archive recognise the file."""
    return Source(path=name, sha256=hashlib.sha256(data).hexdigest(), encoding=reading.encoding,
                  size=len(data), line_count=len(lines), format=reading.format,
                  pages=reading.pages, low_confidence=reading.low_confidence, metadata=reading.metadata)


MAX_LINE = 4000
"""Lines longer than this (characters) are cut at sentence ends: a printed line is never this long, and
parsing a megabyte-long line costs time and memory far beyond its size."""
_SENTENCE_END = "。；！？;!?"


def split_long_lines(lines: list[str], limit: int = MAX_LINE) -> list[str]:
    """``lines`` with every line over ``limit`` characters cut after a sentence end (else at ``limit``).

    The cuts walk an index along the line and search it in place: taking the rest of the line as a new
    string at every cut copied it thousands of times, quadratic in its length (a 50 MB line of digits
    took minutes)."""
    if all(len(line) <= limit for line in lines):
        return lines
    out: list[str] = []
    for line in lines:
        pos, end = 0, len(line)
        while end - pos > limit:
            cut = max(line.rfind(ch, pos + limit // 2, pos + limit) for ch in _SENTENCE_END)
            at = cut + 1 if cut >= 0 else pos + limit
            out.append(line[pos:at])
            pos = at
        out.append(line[pos:] if pos else line)
    return out


def read_source(path: str | Path, *, ocr: str = "auto", progress: Progress | None = None,
                page_ocr: PageOcr | None = None) -> tuple[Source, list[str]]:
    """Read a file in any supported form into (Source, lines). Raises UnusableInput on failure."""
    return read_bytes(read_file_bytes(path), str(path), ocr=ocr, progress=progress, page_ocr=page_ocr)


def _read(fmt: str, data: bytes, ocr: str, progress: Progress | None, page_ocr: PageOcr | None) -> Reading:
    # Each reader is imported only when its form is met: PDF and OCR bring heavy libraries that a run
    # over text files should not pay for.
    if fmt == "text":
        from gongbao.sources.text import read_text

        return read_text(data)
    if fmt == "pdf":
        from gongbao.sources.pdf import read_pdf

        return read_pdf(data, ocr=ocr, page_ocr=page_ocr, progress=progress)
    if fmt == "image":
        from gongbao.sources.image import read_image

        return read_image(data, ocr=ocr, progress=progress)
    if fmt == "docx":
        from gongbao.sources.docx import read_docx

        return read_docx(data)
    if fmt == "ofd":
        from gongbao.sources.ofd import read_ofd

        return read_ofd(data)
    if fmt == "html":
        from gongbao.sources.html import read_html

        return read_html(data)
    raise UnusableInput(f"不支持的文件格式 {fmt} (unsupported form)")
