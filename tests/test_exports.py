"""Exports (JSON, CSV, XLSX, Markdown, whole archive) and the demo/serve/export commands."""

from __future__ import annotations

import csv
import datetime as dt
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
    assert info["文号"] == "宁政发〔2021〕34号" and info["成文日期"].date() == dt.date(2021, 12, 7)
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
    assert sum(1 for _ in wb["文件"].iter_rows()) == 22  # written in write-only mode: no dimension tag

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


# ------------------------------------------------------------------------------------------ typed cells

def _numbers(ws) -> list:
    return [c.value for row in ws.iter_rows() for c in row if c.data_type == "n" and c.value is not None]


def test_xlsx_cells_are_typed(web: httpx.Client) -> None:
    """Figures are numbers (a percentage formatted as one), dates are dates, 文号 stays text, widths are set,
    the header row frozen, a table's caption above its header rows."""
    the_id = doc_id(web, "卫政办发〔2019〕1号")
    wb = load_workbook(io.BytesIO(web.get(f"/api/v1/documents/{the_id}", params={"format": "xlsx"}).content))
    tables = [ws for ws in wb.worksheets if ws.title.startswith("表")]
    assert sum(len(_numbers(ws)) for ws in tables) == 139  # every figure printed in its tables
    [t1] = [ws for ws in tables if ws["A2"].value == "类别"]
    assert t1.freeze_panes == "A3"  # caption row 1, header row 2, frozen below
    assert any(str(r) == "A3:A17" for r in t1.merged_cells.ranges)  # 类别 A spans its 15 rows, as printed
    assert all(t1.column_dimensions[c].width for c in "ABCD")
    info = {r[0].value: r[1] for r in wb["文件信息"].iter_rows(min_row=2)}
    assert info["文号"].data_type == "s" and info["成文日期"].is_date
    body = wb["正文"]
    assert body.freeze_panes == "A2" and body["A2"].data_type == "n"

    # a percentage is a number formatted as a percentage, shown as printed
    the_id = doc_id(web, "宁政发〔2021〕34号")
    wb = load_workbook(io.BytesIO(web.get(f"/api/v1/documents/{the_id}", params={"format": "xlsx"}).content))
    cells = [c for row in wb["表1"].iter_rows() for c in row if c.data_type == "n" and c.value is not None]
    assert any(c.value == 1 and c.number_format == "0%" for c in cells)  # 100%

    # search results: 成文日期 a date, 序号 and 相关度 numbers, 文号 text; column widths from the content
    wb = load_workbook(io.BytesIO(web.get("/api/v1/search", params={"q": "规划", "format": "xlsx"}).content))
    ws = wb["检索结果"]
    header = [c.value for c in ws[1]]
    signed, number, rank = header.index("成文日期") + 1, header.index("文号") + 1, header.index("序号") + 1
    rows = list(ws.iter_rows(min_row=2))
    assert rows and all(r[signed - 1].is_date for r in rows if r[signed - 1].value is not None)
    assert all(r[rank - 1].data_type == "n" for r in rows)
    assert all(r[number - 1].data_type == "s" for r in rows if r[number - 1].value)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_figures_and_units() -> None:
    assert export.as_figure("1,234.5") == (1234.5, "#,##0.0")
    assert export.as_figure("12.5%") == (0.125, "0.0%")
    assert export.as_figure("-0.1") == (-0.1, "0.0")
    for text in ("2019-2020", "2020年", "宁政发〔2021〕34号", "0951", ">95%", "——", "上年=100"):
        assert export.as_figure(text) is None, text
    assert export.split_unit("128.5亿元") == ("128.5", "亿元")
    table = {"header_rows": 1, "rows": [[{"text": "指标"}, {"text": "2025年"}],
                                        [{"text": "投资"}, {"text": "128.5亿元"}],
                                        [{"text": "人数"}, {"text": "3000人"}]]}
    head, body, _ = export.table_matrix(table)
    assert head == [["指标", "2025年", "单位"]]
    assert body == [["投资", "128.5", "亿元"], ["人数", "3000", "人"]]
    wb = load_workbook(io.BytesIO(export.table_xlsx(table, "表")))
    assert [c.value for c in wb.active[3]] == ["投资", 128.5, "亿元"]


def test_whole_archive_xlsx_is_written_in_constant_memory(tmp_path: Path) -> None:
    """openpyxl's write-only mode: rows stream to disk; dates and counts typed as in the other exports."""
    import tracemalloc

    from gongbao.store import Archive

    with Archive(archive_dir(), readonly=True) as archive:
        tracemalloc.start()
        count = export.export_archive(archive, "xlsx", tmp_path / "all.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert count == 21
    wb = load_workbook(tmp_path / "all.xlsx")
    docs = wb["文件"]
    header = [c.value for c in docs[1]]
    signed = header.index("成文日期")
    # every document with a signing date has it as a date cell; the rest (经济数据 sections) have none
    dated = sum(1 for r in docs.iter_rows(min_row=2) if r[signed].is_date)
    empty = sum(1 for r in docs.iter_rows(min_row=2) if r[signed].value is None)
    assert (dated, empty) == (20, 1)  # shared/corpus/expected: every item signed but 2022-02's 经济数据
    assert docs.freeze_panes == "A2"
    assert wb["期刊"]["B2"].data_type == "n"
    assert peak < 40_000_000, peak
