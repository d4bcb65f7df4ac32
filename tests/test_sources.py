"""Reading files: encodings, BOM, line ends, and refusing what is not text."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES

from gongbao.errors import UnusableInput
from gongbao.sources import read_source

SAMPLE = SAMPLES / "ningxia-2022-19.txt"


@pytest.mark.parametrize(
    ("encoding", "prefix", "newline", "label"),
    [("utf-8", b"", "\n", "utf-8"), ("utf-8", b"\xef\xbb\xbf", "\r\n", "utf-8-sig"),
     ("gb18030", b"", "\r\n", "gb18030"), ("gbk", b"", "\n", "gb18030")],
)
def test_encodings_and_line_ends(tmp_path: Path, encoding: str, prefix: bytes, newline: str, label: str) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    # GBK cannot encode a few characters of the sample; drop those for the GBK variant
    data = text.replace("\n", newline).encode(encoding, errors="ignore")
    path = tmp_path / "issue.txt"
    path.write_bytes(prefix + data)
    source, lines = read_source(path)
    assert source.encoding == label
    # exactly the text that was written, line for line, with no line end left on any line
    assert lines == data.decode(encoding).split(newline)
    assert lines[:6] == text.split("\n")[:6]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "文件为空"), (b"   \n\n", "文件为空"), (b"\x00\x01\x02PK\x03\x04" * 50, "二进制"),
     (bytes(range(1, 32)) * 40, "控制字符")],
)
def test_unusable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(UnusableInput, match=message):
        read_source(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UnusableInput, match="文件不存在"):
        read_source(tmp_path / "nope.txt")
    with pytest.raises(UnusableInput, match="目录"):
        read_source(tmp_path)
