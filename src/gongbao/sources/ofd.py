"""Read an OFD file (GB/T 33190, China's fixed-layout format for official documents) page by page.

The package is read by ofdkit (Apache-2.0, no dependencies; docs/architecture.md says why not easyofd):
it resolves parts as producers actually write them (relative or absolute paths, any case, GBK entry
names, broken namespaces) and places every TextCode through the transforms of its TextObject, PageBlocks,
template pages and CompositeObjects drawn from the document's resources. Seals and signatures live in
annotations and ``Signs/``, not in the pages' content layers, so they are never read as text. From the
positioned runs on, an OFD page is a PDF page: :mod:`gongbao.sources.layout` puts them into lines, turns
wide gaps into table cells and takes off running heads and printed page numbers, so an OFD gives the
same lines as the PDF of the same issue.

An OFD is also the form of China's e-invoices and e-receipts: those are refused as what they are.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from gongbao.errors import UnusableInput
from gongbao.sources.layout import Line, Run, lines_of, strip_running
from gongbao.sources.reading import Reading, join_pages

# labelled values of an e-invoice (发票号码：12345678) and of a fiscal e-receipt (票据号码：0000123)
_INVOICE_FIELD_RE = re.compile(r"(发票代码|发票号码|开票日期|校验码|机器编号)\s*[:：]?\s*[0-9A-Za-z]{4,}")
_INVOICE_WORDS = ("价税合计", "税额", "购买方", "销售方", "纳税人识别号", "电子发票", "开票人", "税率")
_RECEIPT_FIELD_RE = re.compile(r"(票据代码|票据号码|校验码|交款人统一社会信用代码)\s*[:：]?\s*[0-9A-Za-z]{4,}")
_RECEIPT_WORDS = ("电子票据", "交款人", "收款单位", "开票日期", "财政部监制", "收据", "复核人")

INVOICE = "这是电子发票，不是公文 (an e-invoice, not an official document)"
RECEIPT = "这是电子票据（收据），不是公文 (an e-receipt, not an official document)"
# a CJK glyph stands about 0.88 em above its baseline and 0.12 em below it
_ASCENT, _DESCENT = 0.88, 0.12


def _encrypted(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return any(info.flag_bits & 0x1 for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def non_document(text: str) -> str | None:
    """Why a text is not an official document but an e-invoice or e-receipt (None if it is neither).

    Labelled numbers (发票号码：…) decide, with the words of the form beside them: a 公文 about invoices
    names these fields but does not fill them in."""
    fields = {m.group(1) for m in _INVOICE_FIELD_RE.finditer(text)}
    if len(fields) >= 2 or (fields and sum(w in text for w in _INVOICE_WORDS) >= 3):
        return INVOICE
    fields = {m.group(1) for m in _RECEIPT_FIELD_RE.finditer(text)}
    if fields and sum(w in text for w in _RECEIPT_WORDS) >= 2:
        return RECEIPT
    return None


def page_runs(page: Any) -> list[Run]:
    """An ofdkit page's text runs as layout runs: boxes in fractions of the page, fake bold (the same
    text drawn twice at one spot) once, text off the page dropped."""
    x0, y0, width, height = page.box
    seen: set[tuple[str, int, int]] = set()
    out: list[Run] = []
    for run in page.runs:
        text = run.text
        key = (text, round(run.x * 4), round(run.y * 4))
        if not text.strip() or key in seen:
            continue
        seen.add(key)
        left, right = (run.x - x0) / width, (run.x + run.width - x0) / width
        top, bottom = (run.y - _ASCENT * run.size - y0) / height, (run.y + _DESCENT * run.size - y0) / height
        if right < -0.01 or left > 1.01 or bottom < -0.01 or top > 1.01:
            continue
        out.append(Run(text, left, top, right, bottom))
    return out


def read_ofd(data: bytes) -> Reading:
    """Read an OFD file into lines with its pages. Encrypted, damaged and non-document files are refused."""
    import ofdkit
    from ofdkit import OFDError, OFDLimitError

    if _encrypted(data):
        raise UnusableInput("OFD 文件已加密，请提供未加密的文件 (an encrypted OFD)")
    try:
        document = ofdkit.open(data)
    except OFDLimitError as exc:
        raise UnusableInput(f"OFD 文件超出安全限制 (an OFD over a safety limit: {exc})") from None
    except OFDError as exc:
        raise UnusableInput(f"OFD 文件已损坏或不完整 (a damaged or incomplete OFD: {exc})") from None
    with document:
        try:
            invoice = document.invoice()
        except OFDError:
            invoice = None
        if invoice is not None:
            raise UnusableInput(INVOICE)
        missing = [w for w in document.warnings if "not found" in w]
        if missing:
            raise UnusableInput(f"OFD 文件不完整，缺少部件 (an incomplete OFD: {missing[0]})")
        pages: list[list[Line]] = []
        for page in document.pages:
            try:
                pages.append(lines_of(page_runs(page)))
            except OFDError as exc:
                raise UnusableInput(f"OFD 第{page.index + 1}页无法读取 (page {page.index + 1}: {exc})") from None
        info = document.info
    if not pages:
        raise UnusableInput("OFD 文件没有页面 (an OFD with no pages)")
    first = "\n".join(ln.text for p in pages[:2] for ln in p)
    if reason := non_document(first):
        raise UnusableInput(reason)
    if not any(ln.text.strip() for p in pages for ln in p):
        raise UnusableInput("OFD 文件没有文字，可能是扫描图像 (an OFD without text: a scan?)")
    metadata = {key: value for key, value in (("file_title", info.title), ("creator", info.creator)) if value}
    return join_pages("ofd", strip_running(pages), metadata=metadata)
