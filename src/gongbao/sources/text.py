"""Read a .txt/.md issue as converted from PDF: detect the encoding, refuse what is not text.

Real deliveries arrive as UTF-8 (with or without BOM), GB18030/GBK, with CRLF or CR line ends. We read
bytes, decide the encoding, and hand the parser a list of lines; the :class:`~gongbao.model.Source`
records the file's hash so the archive can recognise the same file again.
"""

from __future__ import annotations

from gongbao.errors import UnusableInput
from gongbao.model import Source
from gongbao.sources import build_source
from gongbao.sources.reading import Reading

MAX_BYTES = 64 * 1024 * 1024


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of a text file; returns (text, encoding). Raises UnusableInput for non-text."""
    if not data or data.isspace():  # isspace stops at the first other byte; strip copies the file
        raise UnusableInput("文件为空 (the file is empty)")
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        sample = data[:65536]
        if b"\x00" in sample:
            raise UnusableInput("不是文本文件，含有二进制数据 (binary data, not a text file)")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            # A file cut in the middle of a UTF-8 sequence is still UTF-8.
            if exc.start >= len(data) - 3:
                text, encoding = data.decode("utf-8", errors="ignore"), "utf-8"
            else:
                try:
                    text, encoding = data.decode("gb18030"), "gb18030"
                except UnicodeDecodeError:
                    from charset_normalizer import from_bytes

                    best = from_bytes(data).best()
                    if best is None:
                        raise UnusableInput("无法识别文件编码 (unknown text encoding)") from None
                    text, encoding = str(best), best.encoding
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(8, len(text[:65536]) // 100):
        raise UnusableInput("不是文本文件，含有大量控制字符 (binary data, not a text file)")
    return text, encoding


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF; no line keeps its end-of-line characters."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def make_source(path: str, data: bytes, encoding: str, lines: list[str]) -> Source:
    """The :class:`Source` of text ``lines`` decoded from ``data`` (as :func:`~gongbao.sources.read_bytes`
    builds it)."""
    return build_source(path, data, Reading(format="text", lines=lines, encoding=encoding), lines)


def read_text(data: bytes) -> Reading:
    """Decode a text file (converted text, Markdown) into lines."""
    if len(data) > MAX_BYTES:
        raise UnusableInput(f"文本文件过大 (a text file larger than {MAX_BYTES // 2**20} MB)")
    text, encoding = decode(data)
    return Reading(format="text", lines=split_lines(text), encoding=encoding)
