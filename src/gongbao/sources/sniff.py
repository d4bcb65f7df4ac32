"""Which form a file is in, decided by its content (magic bytes, ZIP members, markup), not its name.

A file named .txt that is a PDF is read as a PDF; a .pdf that is text is read as text. The extension
only breaks ties a content test cannot (none today). Unknown binary forms are refused with the reason.
"""

from __future__ import annotations

import io
import zipfile

from gongbao.errors import UnusableInput

FORMATS = ("pdf", "image", "docx", "ofd", "html", "text")

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",  # PNG
    b"\xff\xd8\xff",  # JPEG
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
    b"BM",  # BMP
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the OLE directory entry's name
_OTHER_BINARY = {
    b"\xd0\xcf\x11\xe0": "旧版 Office 文件（.doc/.xls/.wps），请另存为 DOCX 或 PDF (legacy Office/WPS file: save as DOCX or PDF)",
    b"GIF8": "GIF 图片不是支持的扫描格式 (GIF is not a supported scan format: use PNG, JPEG or TIFF)",
    b"Rar!": "压缩包，请先解压 (a RAR archive: unpack it first)",
    b"7z\xbc\xaf": "压缩包，请先解压 (a 7z archive: unpack it first)",
    b"\x1f\x8b": "gzip 压缩文件，请先解压 (a gzip file: unpack it first)",
    b"{\\rtf": "RTF 文件，请另存为 DOCX 或 PDF (RTF: save as DOCX or PDF)",
}


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnusableInput(f"ZIP 容器已损坏，无法打开 (damaged ZIP container: {exc})") from None
    lower = {n.lower().lstrip("/") for n in names}
    if "ofd.xml" in lower:
        return "ofd"
    if "word/document.xml" in lower:
        return "docx"
    if any(n.startswith("xl/") for n in lower):
        raise UnusableInput("Excel 工作簿不是公文或公报 (an Excel workbook, not a document)")
    if any(n.startswith("ppt/") for n in lower):
        raise UnusableInput("演示文稿不是公文或公报 (a presentation, not a document)")
    raise UnusableInput("压缩包，不是 OFD 或 DOCX 文件，请先解压 (a ZIP archive that is neither OFD nor DOCX)")


def _looks_html(head: bytes) -> bool:
    sample = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head[:8192].lower():
        return True
    # a fragment saved from a portal: several block tags near the top
    tags = sum(sample.count(t) for t in (b"<div", b"<p>", b"<p ", b"<table", b"<meta", b"<head", b"<body"))
    return tags >= 3 and sample.startswith(b"<")


def sniff(data: bytes) -> str:
    """The form of ``data``: one of :data:`FORMATS`. Raises UnusableInput naming what it is instead."""
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_PACKAGE in data:
        # Office encrypts a DOCX/XLSX by wrapping it in an OLE file with an EncryptedPackage stream
        raise UnusableInput("文件已加密（受密码保护的 Office 文档），请提供未加密的文件 (a password-protected Office file)")
    for magic, reason in _OTHER_BINARY.items():
        if data.startswith(magic):
            raise UnusableInput(reason)
    if _looks_html(data):
        return "html"
    return "text"
