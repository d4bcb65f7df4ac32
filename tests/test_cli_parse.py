"""``gongbao parse`` as a user runs it: a real subprocess, real files, exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ISSUES, SAMPLES, expected


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gongbao", *args], capture_output=True, text=True,
                          timeout=120)


def test_json_lines_for_several_files() -> None:
    result = run("parse", "--json", *(str(SAMPLES / f"{n}.txt") for n in ISSUES))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().split("\n")
    assert len(lines) == 3
    for name, line in zip(ISSUES, lines, strict=True):
        data = json.loads(line)
        assert set(data) >= {"gazette", "toc", "documents", "problems"}
        assert data["gazette"]["total_number"] == expected(name)["gazette"]["total_number"]
        assert [d["doc_number"] for d in data["documents"]] == [d["doc_number"] for d in expected(name)["documents"]]
        assert all(isinstance(b["span"]["start_line"], int) for d in data["documents"] for b in d["body"])


def test_summary_is_readable_chinese() -> None:
    result = run("parse", str(SAMPLES / "ningxia-2022-02.txt"))
    assert result.returncode == 0
    out = result.stdout
    assert "宁夏回族自治区人民政府公报  2022年第2期（总第688期）  2022-01-31 出版" in out
    assert "目录 5 条，正文 5 件" in out
    assert "问题 5 个" in out and "文号括号不规范" in out


def test_bad_inputs_exit_2_with_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    damaged_pdf = tmp_path / "x.pdf"
    damaged_pdf.write_bytes(b"%PDF-1.7\x00\x00\x01\x02" * 100)
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02\x03garbage" * 100)
    prose = tmp_path / "prose.txt"
    prose.write_text("今天天气很好。\n我们去公园散步。\n", encoding="utf-8")
    for path, words in [(empty, "文件为空"), (damaged_pdf, "PDF 文件已损坏"), (binary, "二进制"),
                        (prose, "不是政府公报"),
                        (tmp_path / "missing.txt", "文件不存在")]:
        result = run("parse", str(path))
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1 and words in result.stderr


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00" * 10)
    result = run("parse", "--json", "--no-body", str(bad), str(SAMPLES / "ningxia-2022-19.txt"))
    assert result.returncode == 2
    assert len(result.stdout.strip().split("\n")) == 1
    assert "body" not in json.loads(result.stdout)["documents"][0]


def test_usage_error_is_not_a_traceback() -> None:
    result = run("parse")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_shuffled_issue_is_refused(tmp_path: Path) -> None:
    import random

    lines = (SAMPLES / "zhongwei-2019-03.txt").read_text(encoding="utf-8").split("\n")
    random.Random(7).shuffle(lines)
    shuffled = tmp_path / "shuffled.txt"
    shuffled.write_text("\n".join(lines), encoding="utf-8")
    result = run("parse", str(shuffled))
    assert result.returncode == 2 and "行序混乱" in result.stderr and "Traceback" not in result.stderr


def test_truncated_after_the_toc_is_refused(tmp_path: Path) -> None:
    lines = (SAMPLES / "ningxia-2022-02.txt").read_text(encoding="utf-8").split("\n")[:90]
    truncated = tmp_path / "truncated.txt"
    truncated.write_text("\n".join(lines), encoding="utf-8")
    result = run("parse", str(truncated))
    assert result.returncode == 2 and "截断" in result.stderr
