"""Exports (JSON, CSV, XLSX, Markdown, whole archive) and the demo/serve/export commands."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from openpyxl import load_workbook
from websupport import ROOT, SAMPLES, archive_dir, doc_id

from gongbao.store import export


def test_document_exports(web: httpx.Client) -> None:
    the_id = doc_id(web, "宁政发〔2021〕34号")
    base = f"/api/v1/documents/{the_id}"
    as_json = web.get(base, params={"format": "json"}).json()
    assert as_json["doc_number"] == "宁政发〔2021〕34号"

    r = web.get(base, params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"] and "filename*=UTF-8''" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "部分", "类型"] and len(rows) > 50

    r = web.get(base, params={"format": "xlsx"})
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[:2] == ["文件信息", "正文"] and "表1" in wb.sheetnames
    info = {row[0]: row[1] for row in wb["文件信息"].iter_rows(min_row=2, values_only=True)}
    assert info["文号"] == "宁政发〔2021〕34号" and info["成文日期"] == "2021-12-07"
    table = [row for row in wb["表1"].iter_rows(values_only=True)]
    assert any(row and "指标" in row for row in table)

    md = web.get(base, params={"format": "md"}).content.decode()
    assert md.startswith("# 自治区人民政府关于印发") and "- 文号：宁政发〔2021〕34号" in md
    assert "| 指标 |" in md  # the table as a Markdown table


def test_search_exports(web: httpx.Client) -> None:
    params = {"q": "规划", "limit": 5}
    hits = web.get("/api/v1/search", params=params).json()["hits"]
    r = web.get("/api/v1/search", params={**params, "format": "csv"})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["序号", "编号", "文号", "标题"]
    assert [row[1] for row in rows[1:]] == [h["id"] for h in hits]
    assert all("<mark>" not in row[10] for row in rows[1:])
    wb = load_workbook(io.BytesIO(web.get("/api/v1/search", params={**params, "format": "xlsx"}).content))
    assert wb["检索结果"].max_row == len(hits) + 1
    md = web.get("/api/v1/search", params={**params, "format": "md"}).content.decode()
    assert md.startswith("# 检索结果：规划") and md.count("](http") == len(hits)


HOSTILE = {
    "id": "x-1", "title": "=HYPERLINK(\"http://evil\",\"点我\")", "doc_number": "宁政发〔2021〕1号",
    "issuers": ["@SUM(1+1)"], "signed": "2021-01-02", "kind": "通知",
    "body": [
        {"kind": "paragraph", "text": "<b>加粗</b> and <script>alert(1)</script>", "span": {"start_line": 1, "end_line": 1}},
        {"kind": "paragraph", "text": "+cmd|' /C calc'!A0", "span": {"start_line": 2, "end_line": 2}},
        {"kind": "table", "text": "", "span": {"start_line": 3, "end_line": 4},
         "table": {"header_rows": 1, "caption": None, "span": None,
                   "rows": [[{"text": "指标", "merged": False}, {"text": "值", "merged": False}],
                            [{"text": "=1+2", "merged": False}, {"text": "-0.1", "merged": False}]]}},
    ],
    "enclosures": [], "attachments": [],
}


def test_spreadsheet_exports_never_carry_formulas() -> None:
    wb = load_workbook(io.BytesIO(export.document_xlsx(HOSTILE)))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    assert wb["表1"]["A3"].value == "=1+2"  # kept as the text that was printed
    rows = list(csv.reader(io.StringIO(export.document_csv(HOSTILE).lstrip("\ufeff"))))
    texts = [row[5] for row in rows[1:]]
    assert texts[1].startswith("'+cmd")
    assert export.csv_safe("-0.1") == "-0.1"  # numbers are not numbers-with-apostrophes


def test_markdown_escapes_markup() -> None:
    md = export.document_markdown(HOSTILE)
    assert "<b>" not in md and "<script>" not in md
    assert "\\<b\\>加粗" in md


def test_whole_archive_exports(tmp_path: Path) -> None:
    data = archive_dir()
    from gongbao.cli import main

    assert main(["export", "--format", "jsonl", "--data", str(data), "--output", str(tmp_path / "a.jsonl")]) == 0
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 21
    first = json.loads(lines[0])
    assert {"id", "title", "doc_number", "body", "issue"} <= first.keys() and "source_lines" not in first

    assert main(["export", "--format", "csv", "--data", str(data), "--output", str(tmp_path / "a.csv")]) == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "a.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 22 and rows[0][1] == "文号" and rows[0][-1] == "正文"

    assert main(["export", "--format", "xlsx", "--data", str(data), "--output", str(tmp_path / "a.xlsx")]) == 0
    wb = load_workbook(tmp_path / "a.xlsx", read_only=True)
    assert wb.sheetnames == ["文件", "正文", "期刊"]
    assert wb["文件"].max_row == 22

    assert main(["export", "--format", "pdf", "--data", str(data)]) == 2


def test_packaged_samples_match_the_repository() -> None:
    from gongbao.cli.web_cmd import find_samples

    assert [p.name for p in find_samples()] == [p.name for p in SAMPLES]
    packaged = ROOT / "src" / "gongbao" / "data"
    for sample in SAMPLES:
        assert (packaged / f"sample-{sample.name}").read_bytes() == sample.read_bytes()


def test_demo_then_serve(tmp_path: Path) -> None:
    """The README's path: ``gongbao demo`` builds the archive; ``gongbao serve`` puts it on localhost."""
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    done = subprocess.run([sys.executable, "-m", "gongbao", "demo", "--data", str(data), "--no-serve"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "gongbao", "serve", "--data", str(data), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 20
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert r.status_code == 200 and "宁夏回族自治区人民政府公报" in r.text
    finally:
        server.terminate()
        server.wait(timeout=10)
    # a second server on the same port is refused with a clear message
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))
        s.listen()
        busy = subprocess.run([sys.executable, "-m", "gongbao", "serve", "--data", str(data), "--port", str(port)],
                              capture_output=True, text=True, env=env, timeout=60)
    assert busy.returncode != 0 and "已被占用" in busy.stderr
    missing = subprocess.run([sys.executable, "-m", "gongbao", "serve", "--data", str(tmp_path / "none")],
                             capture_output=True, text=True, env=env, timeout=60)
    assert missing.returncode == 3 and "gongbao demo" in missing.stderr
