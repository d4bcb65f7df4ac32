"""Exports of documents, search results and the whole archive: JSON, JSON Lines, CSV, XLSX, Markdown.

Everything here works on the plain dicts the archive hands out (the JSON contract of a document plus
``id``/``issue``; a search result with ``hits``), so the web app, the API and ``gongbao export`` write the
same files. Two hazards are handled once, here:

* spreadsheet formula injection — source text and uploads can start with ``=``/``+``/``@``; a cell that
  a spreadsheet would evaluate is stored as text (XLSX) or prefixed with an apostrophe (CSV);
* markup in the source (``<b>``, ``<p>``, ``<sup>``) — Markdown output escapes it so a renderer shows the
  characters that were printed instead of interpreting them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

JSON = dict[str, Any]
ArchiveFormat = Literal["jsonl", "csv", "xlsx"]
ARCHIVE_FORMATS: tuple[str, ...] = ("jsonl", "csv", "xlsx")
RESULT_FORMATS: tuple[str, ...] = ("json", "csv", "xlsx", "md")

MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
}

# Excel refuses cells longer than this; longer text is cut and says so.
XLSX_CELL_MAX = 32_000
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_RE = re.compile(r"^[+-]?\d[\d,.]*%?$")
_MARK_RE = re.compile(r"</?mark>")

# What a document is, labelled the same in every export; documents and search hits add their own columns.
_IDENTITY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "编号"),
    ("doc_number", "文号"),
    ("title", "标题"),
    ("kind", "文种"),
    ("category", "栏目"),
    ("issuers", "发文机关"),
    ("signed", "成文日期"),
    ("gazette", "公报"),
    ("issue", "期号"),
)

DOCUMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    *_IDENTITY_COLUMNS,
    ("published", "出版日期"),
    ("page", "页码"),
    ("public_note", "公开属性"),
    ("enclosures", "印发文件"),
    ("attachments", "附件"),
)

HIT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("rank", "序号"),
    *_IDENTITY_COLUMNS,
    ("snippet", "摘要"),
    ("score", "相关度"),
)

BLOCK_KIND_LABELS = {"heading": "标题", "paragraph": "段落", "table": "表格", "box": "专栏"}


# ---------------------------------------------------------------------------------------------- helpers


def plain_snippet(snippet: str | None) -> str:
    """A search snippet as plain text: the store's ``<mark>`` tags removed, entities decoded."""
    import html

    return html.unescape(_MARK_RE.sub("", snippet or ""))


def issue_label(issue: Any) -> str:
    """``2022年第2期`` from whatever the archive put under ``issue`` (a dict of facts or a string)."""
    if isinstance(issue, Mapping):
        year, number = issue.get("year"), issue.get("number")
        if year and number:
            label = f"{year}年第{number}期"
            if issue.get("total_number"):
                label += f"（总第{issue['total_number']}期）"
            return label
        return str(issue.get("id") or "")
    return "" if issue is None else str(issue)


def _issue_field(doc: Mapping[str, Any], key: str) -> Any:
    issue = doc.get("issue")
    if isinstance(issue, Mapping):
        return issue.get(key)
    return doc.get(key)


def _join(values: Any) -> str:
    if values is None:
        return ""
    if isinstance(values, str):
        return values
    out = []
    for v in values:
        out.append(v.get("title", "") if isinstance(v, Mapping) else str(v))
    return "；".join(x for x in out if x)


def document_row(doc: Mapping[str, Any]) -> dict[str, Any]:
    """One flat row of metadata for a document (for CSV/XLSX listings), keyed like DOCUMENT_COLUMNS."""
    attachments = doc.get("attachments") or []
    return {
        "id": doc.get("id"),
        "doc_number": doc.get("doc_number"),
        "title": doc.get("title"),
        "kind": doc.get("kind"),
        "category": doc.get("category"),
        "issuers": _join(doc.get("issuers")),
        "signed": doc.get("signed"),
        "gazette": _issue_field(doc, "gazette") or _issue_field(doc, "name"),
        "issue": issue_label(doc.get("issue")),
        "published": _issue_field(doc, "published"),
        "page": doc.get("page"),
        "public_note": doc.get("public_note"),
        "enclosures": _join(doc.get("enclosures")),
        "attachments": _join(
            [f"{a.get('title', '')}{'（略）' if a.get('omitted') else ''}" for a in attachments
             if isinstance(a, Mapping)]
        ),
    }


def hit_row(rank: int, hit: Mapping[str, Any]) -> dict[str, Any]:
    """One flat row for a search hit; the snippet as plain text."""
    issue = hit.get("issue")
    return {
        "rank": rank,
        "id": hit.get("id"),
        "doc_number": hit.get("doc_number"),
        "title": hit.get("title"),
        "kind": hit.get("kind"),
        "category": hit.get("category"),
        "issuers": _join(hit.get("issuers")),
        "signed": hit.get("signed"),
        "gazette": hit.get("gazette"),
        "issue": issue_label(issue),
        "snippet": plain_snippet(hit.get("snippet")),
        "score": round(hit["score"], 4) if isinstance(hit.get("score"), float) else hit.get("score"),
    }


def iter_blocks(doc: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every block in reading order with the part it belongs to (正文, an enclosure, an annex)."""
    for block in doc.get("body") or []:
        yield "正文", block
    for enclosure in doc.get("enclosures") or []:
        for block in enclosure.get("body") or []:
            yield f"印发：{enclosure.get('title', '')}", block
    for annex in doc.get("attachments") or []:
        number = annex.get("number")
        label = f"附件{number}" if number else "附件"
        for block in annex.get("body") or []:
            yield f"{label}：{annex.get('title', '')}", block


def _lines(span: Mapping[str, Any] | None) -> str:
    if not span:
        return ""
    start, end = span.get("start_line"), span.get("end_line")
    return f"{start}" if start == end else f"{start}-{end}"


BLOCK_COLUMNS = ["序号", "部分", "类型", "标号", "层级", "文本", "原文行"]


def _block_text(block: Mapping[str, Any]) -> str:
    """A block's text; a table's cells as tab-separated rows."""
    if block.get("kind") == "table" and block.get("table"):
        return "\n".join("\t".join(c.get("text", "") for c in row) for row in block["table"]["rows"])
    return block.get("text") or ""


def block_rows(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The body of a document as rows (the keys are BLOCK_COLUMNS): part, kind, label, level, text, lines."""
    rows = []
    for i, (part, block) in enumerate(iter_blocks(doc), start=1):
        text = _block_text(block)
        rows.append({
            "序号": i,
            "部分": part,
            "类型": BLOCK_KIND_LABELS.get(block.get("kind", ""), block.get("kind", "")),
            "标号": block.get("label") or "",
            "层级": block.get("level") or "",
            "文本": text,
            "原文行": _lines(block.get("span")),
        })
    return rows


def document_text(doc: Mapping[str, Any]) -> str:
    """The repaired text of a whole document, blocks separated by newlines (for full-text columns)."""
    return "\n".join(_block_text(block) for _, block in iter_blocks(doc))


# ---------------------------------------------------------------------------------------------- CSV


def csv_safe(value: Any) -> Any:
    """Neutralise a cell a spreadsheet would evaluate as a formula; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER_RE.match(value):
        return "'" + value
    return "" if value is None else value


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel needs the BOM to read UTF-8 as UTF-8 rather than the local code page
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return buf.getvalue()


def document_csv(doc: Mapping[str, Any]) -> str:
    """A document as CSV: one row per block of its body (tables as tab-separated rows)."""
    return csv_text(BLOCK_COLUMNS, ([r[h] for h in BLOCK_COLUMNS] for r in block_rows(doc)))


def _hit_rows(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The hits of a result page as rows, ranked across pages (page 2 of 20 starts at 21)."""
    start = (int(result.get("page", 1)) - 1) * int(result.get("limit", 20))
    return [hit_row(start + i, h) for i, h in enumerate(result.get("hits") or [], start=1)]


def search_csv(result: Mapping[str, Any]) -> str:
    """A page of search results as CSV, one row per hit."""
    rows = _hit_rows(result)
    return csv_text([label for _, label in HIT_COLUMNS], ([r[k] for k, _ in HIT_COLUMNS] for r in rows))


# ---------------------------------------------------------------------------------------------- XLSX
#
# Cells are typed, so a reader can sum, sort and filter in Excel/WPS: dates are dates, counts and figures
# numbers (a printed percentage is a number formatted as one), a figure printed with its unit ("128.5亿元")
# a number with the unit in a column of its own; 文号, titles and text are always text, never formulas.

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="9E1B1B")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "yyyy-mm-dd"
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# a figure as printed in a table: sign, digits with thousands separators, decimals, a percent sign
_FIGURE_RE = re.compile(r"^([+\-−]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*([%％‰]?)$")
UNITS = ("个百分点", "平方公里", "万立方米", "立方米", "万千瓦", "千瓦时", "千瓦", "兆瓦", "公里", "千米", "万亩",
         "亿元", "万元", "元", "万人", "人次", "人", "万户", "户", "万吨", "吨", "个", "家", "所", "项", "台",
         "辆", "张", "床", "亩", "倍", "件", "次", "座", "条", "处", "小时", "天", "年")
_UNIT_RE = re.compile(r"^(.*?\d)\s*(" + "|".join(UNITS) + r")$")

Kind = Literal["text", "date", "number", "auto"]


def xlsx_value(value: Any) -> Any:
    """A value Excel accepts as data: control characters dropped, over-long text cut with a note."""
    if value is None:
        return None
    if isinstance(value, (int, float, dt.date)):
        return value
    text = _ILLEGAL_XLSX.sub("", str(value))
    if len(text) > XLSX_CELL_MAX:
        text = text[:XLSX_CELL_MAX] + "…（已截断）"
    return text


def as_date(value: Any) -> dt.date | None:
    """An ISO date ('2021-12-07') as a date; anything else None."""
    if isinstance(value, dt.date):
        return value
    m = _ISO_DATE_RE.match(str(value or "").strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def as_figure(text: Any) -> tuple[float | int, str] | None:
    """A printed figure as (number, Excel number format): '1,234.5' → (1234.5, '#,##0.0'), '12.5%' →
    (0.125, '0.0%'); None for anything that is not just a figure (ranges, years with 年, 文号, words)."""
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, (int, float)):
        return text, "General"
    m = _FIGURE_RE.match(unicodedata.normalize("NFKC", str(text)).strip().replace("−", "-"))
    if not m:
        return None
    sign, whole, decimals, percent = m.groups()
    digits = whole.replace(",", "")
    if len(digits) > 1 and digits.startswith("0") and not decimals:
        return None  # a code (0951), not a quantity
    places = len(decimals or "")
    number: float | int = float(f"{digits}.{decimals}") if decimals else int(digits)
    if sign == "-":
        number = -number
    pattern = ("#,##0" if "," in whole else "0") + ("." + "0" * places if places else "")
    if percent in ("%", "％"):
        return round(number / 100, places + 2), pattern.replace("#,##", "") + "%"
    if percent == "‰":
        return number, pattern + '"‰"'
    return number, pattern


def split_unit(text: Any) -> tuple[Any, str] | None:
    """'128.5亿元' → ('128.5', '亿元'): a figure printed with its unit."""
    m = _UNIT_RE.match(str(text or "").strip())
    if m and as_figure(m[1]) is not None:
        return m[1], m[2]
    return None


def typed(value: Any, kind: Kind = "text") -> tuple[Any, str | None]:
    """(cell value, number format) for a value of a column of ``kind``; text stays text."""
    value = xlsx_value(value)
    if value is None or value == "":
        return None, None
    if kind == "date":
        day = as_date(value)
        return (day, DATE_FORMAT) if day else (value, None)
    if kind in ("number", "auto"):
        figure = as_figure(value)
        if figure is not None:
            return figure
        if kind == "number" and isinstance(value, str) and not value.strip():
            return None, None
    return value, None


def display_width(value: Any) -> int:
    """Columns a value takes on screen: CJK characters count two."""
    if isinstance(value, dt.date):
        return 10
    text = str(value if value is not None else "").split("\n")[0]
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fill(cell: Any, value: Any, fmt: str | None) -> Any:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would make '=…' a formula
    if fmt:
        cell.number_format = fmt
    return cell


def write_sheet(ws: Any, header: list[str], rows: Iterable[Iterable[Any]],
                widths: Mapping[int, int] | None = None, kinds: Mapping[int, Kind] | None = None,
                wrap: Iterable[int] = ()) -> None:
    """Fill a worksheet: a styled, frozen header with an autofilter, typed cells (``kinds`` by column
    number, text by default) and column widths from the content (``widths`` overrides).

    A write-only worksheet (the whole-archive export, written in constant memory) is filled cell by cell
    in one pass, so its widths must be given; an ordinary one is measured.
    """
    kinds = kinds or {}
    wrap = set(wrap)
    streaming = getattr(ws, "_writer", None) is not None or type(ws).__name__ == "WriteOnlyWorksheet"
    measured = [display_width(h) + 2 for h in header]
    if streaming:
        for c in range(1, len(header) + 1):
            ws.column_dimensions[get_column_letter(c)].width = (widths or {}).get(c, 16)
        ws.freeze_panes = "A2"
        head = []
        for h in header:
            cell = WriteOnlyCell(ws, value=h)
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            head.append(cell)
        ws.append(head)
        for row in rows:
            out = []
            for c, v in enumerate(row, start=1):
                value, fmt = typed(v, kinds.get(c, "text"))
                cell = _fill(WriteOnlyCell(ws), value, fmt)
                if c in wrap:
                    cell.alignment = _WRAP
                out.append(cell)
            ws.append(out)
        return
    ws.append(header)
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    n = 1
    for row in rows:
        n += 1
        for c, v in enumerate(row, start=1):
            value, fmt = typed(v, kinds.get(c, "text"))
            cell = _fill(ws.cell(row=n, column=c), value, fmt)
            if c in wrap:
                cell.alignment = _WRAP
            if c <= len(measured):
                measured[c - 1] = max(measured[c - 1], display_width(value) + 2)
    ws.freeze_panes = "A2"
    if n > 1 and header:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{n}"
    for c in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(c)].width = (widths or {}).get(c, min(60, measured[c - 1]))


Span = tuple[int, int] | None  # (rowspan, colspan) of a cell drawn; None for a cell another one covers


def cell_spans(rows: list[list[Mapping[str, Any]]], header_rows: int) -> list[list[Span]]:
    """Which cells of a parsed table are drawn, and how far each one reaches.

    The parser marks cells left empty by a merge in the printed table (``merged``), without saying in which
    direction. What gazettes print: a row whose only text is its first cell is a section row spanning the
    table (一、森林生态系统); an empty first-column cell below a category continues it downwards (类别 |
    指标 …); in a header, an empty cell after a heading continues it to the right (2020年 over two
    columns). Any other merged cell stays an empty cell of its own.
    """
    width = max((len(r) for r in rows), default=0)

    def merged(i: int, j: int) -> bool:
        if j >= len(rows[i]):
            return True
        return bool(rows[i][j].get("merged")) and not (rows[i][j].get("text") or "").strip()

    spans: list[list[Span]] = [[(1, 1)] * width for _ in rows]
    for i in range(len(rows)):
        if width > 1 and not merged(i, 0) and all(merged(i, j) for j in range(1, width)):
            spans[i] = [(1, width)] + [None] * (width - 1)
        elif i < header_rows:
            for j in range(1, width):
                if merged(i, j):
                    left = j - 1
                    while spans[i][left] is None:
                        left -= 1
                    if merged(i, left):
                        continue
                    rs, cs = spans[i][left]  # type: ignore[misc]
                    spans[i][left] = (rs, cs + 1)
                    spans[i][j] = None
    for i in range(max(header_rows, 1), len(rows)):
        if width == 0 or not merged(i, 0) or spans[i][0] is None or spans[i][0][1] != 1:
            continue
        k = i - 1
        while k >= header_rows and spans[k][0] is None:
            k -= 1
        if k < header_rows or merged(k, 0) or spans[k][0] is None or spans[k][0][1] != 1:
            continue
        rs, cs = spans[k][0]  # type: ignore[misc]
        spans[k][0] = (rs + 1, cs)
        spans[i][0] = None
    return spans


def table_matrix(table: Mapping[str, Any]) -> tuple[list[list[str]], list[list[Any]], list[tuple[int, int, int, int]]]:
    """A table for a spreadsheet: (header rows, body rows, merged ranges).

    A column whose figures carry a unit ("128.5亿元") is followed by a 单位 column holding the unit, so the
    figure can be a number. Merged ranges are (first row, first column, last row, last column), 0-based
    over header and body rows together, in the columns of the output."""
    parsed = table.get("rows") or []
    rows = [[c.get("text", "") for c in r] for r in parsed]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header_rows = max(0, min(int(table.get("header_rows") or 0), len(rows)))
    head, body = rows[:header_rows], rows[header_rows:]
    with_unit = [any(split_unit(r[j]) for r in body) for j in range(width)]
    out_head = []
    for h in head:
        line: list[str] = []
        for j, text in enumerate(h):
            line.append(text)
            if with_unit[j]:
                line.append("单位")
        out_head.append(line)
    out_body: list[list[Any]] = []
    for r in body:
        line2: list[Any] = []
        for j, text in enumerate(r):
            unit = split_unit(text) if with_unit[j] else None
            if unit:
                line2 += [unit[0], unit[1]]
            else:
                line2.append(text)
                if with_unit[j]:
                    line2.append("")
        out_body.append(line2)
    col = [0] * (width + 1)  # output column of each input column
    for j in range(width):
        col[j + 1] = col[j] + 1 + (1 if with_unit[j] else 0)
    ranges = []
    for i, row in enumerate(cell_spans(parsed, header_rows)):
        for j, span in enumerate(row):
            if span and span != (1, 1):
                last = j + span[1] - 1
                ranges.append((i, col[j], i + span[0] - 1, col[last + 1] - 1))
    return out_head, out_body, ranges


def _table_sheet(ws: Any, table: Mapping[str, Any], caption: str) -> int:
    """One table on its own sheet: the caption above the header rows (a row of its own, never a header),
    header rows styled and frozen, body cells typed, merged cells merged as printed; returns the number
    of figures stored as numbers."""
    head, body, ranges = table_matrix(table)
    width = max((len(r) for r in head + body), default=1)
    ws.append([xlsx_value(caption)])
    ws["A1"].font = Font(bold=True, size=12)
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    measured = [4] * width
    numbers = 0
    r = 1
    for h in head:
        r += 1
        for c, text in enumerate(h, start=1):
            cell = _fill(ws.cell(row=r, column=c), xlsx_value(text) or None, None)
            cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
            measured[c - 1] = max(measured[c - 1], min(30, display_width(text) + 2))
    for row in body:
        r += 1
        for c, text in enumerate(row, start=1):
            value, fmt = typed(text, "auto")
            numbers += isinstance(value, (int, float))
            cell = _fill(ws.cell(row=r, column=c), value, fmt)
            if isinstance(value, str):
                cell.alignment = _WRAP
            measured[c - 1] = max(measured[c - 1], min(50, display_width(value) + 2))
    ws.freeze_panes = ws.cell(row=2 + len(head), column=1).coordinate
    for r0, c0, r1, c1 in ranges:
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=r0 + 2, start_column=c0 + 1, end_row=r1 + 2, end_column=c1 + 1)
    for c in range(1, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = measured[c - 1]
    return numbers


def _safe_merges(ws: Any) -> None:
    """Drop merged ranges that overlap (a run merged twice): Excel refuses such files."""
    seen: set[tuple[int, int]] = set()
    for rng in list(ws.merged_cells.ranges):
        cells = {(r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)}
        if cells & seen:
            ws.merged_cells.remove(rng)
        else:
            seen |= cells


def _table_sheets(wb: Workbook, doc: Mapping[str, Any]) -> None:
    n = 0
    for part, block in iter_blocks(doc):
        table = block.get("table")
        if block.get("kind") != "table" or not table:
            continue
        n += 1
        ws = wb.create_sheet(f"表{n}")
        _table_sheet(ws, table, table.get("caption") or part)
        _safe_merges(ws)


def table_xlsx(table: Mapping[str, Any], caption: str) -> bytes:
    """One table as a workbook (the download offered under each table of a document page)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "表格"
    _table_sheet(ws, table, caption)
    _safe_merges(ws)
    return _workbook_bytes(wb)


def table_csv(table: Mapping[str, Any]) -> str:
    """One table as CSV: header rows first (the caption is the file's name, not a row), figures as printed."""
    rows = [[c.get("text", "") for c in r] for r in table.get("rows") or []]
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return buf.getvalue()


def _workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def document_xlsx(doc: Mapping[str, Any]) -> bytes:
    """A document as a workbook: 文件信息 (metadata), 正文 (one row per block), one sheet per table."""
    wb = Workbook()
    info = wb.active
    info.title = "文件信息"
    row = document_row(doc)
    info.append(["项目", "内容"])
    for cell in info[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for key, label in DOCUMENT_COLUMNS:
        kind: Kind = "date" if key in ("signed", "published") else "number" if key == "page" else "text"
        value, fmt = typed(row.get(key), kind)
        info.append([label, None])
        _fill(info.cell(row=info.max_row, column=2), value, fmt).alignment = Alignment(horizontal="left",
                                                                                      wrap_text=True)
    info.freeze_panes = "A2"
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 90
    body = wb.create_sheet("正文")
    write_sheet(body, BLOCK_COLUMNS, ([r[h] for h in BLOCK_COLUMNS] for r in block_rows(doc)),
                widths={1: 6, 2: 24, 3: 8, 4: 10, 5: 6, 6: 100, 7: 10}, kinds={1: "number", 5: "number"},
                wrap=(6,))
    _table_sheets(wb, doc)
    return _workbook_bytes(wb)


_HIT_KINDS: dict[int, Kind] = {i: ("number" if key in ("rank", "score") else "date" if key == "signed" else "text")
                               for i, (key, _) in enumerate(HIT_COLUMNS, start=1)}


def search_xlsx(result: Mapping[str, Any], query: str = "") -> bytes:
    """A page of search results as a workbook with one 检索结果 sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "检索结果"
    rows = _hit_rows(result)
    write_sheet(ws, [label for _, label in HIT_COLUMNS], ([r[k] for k, _ in HIT_COLUMNS] for r in rows),
                widths={4: 50, 11: 70}, kinds=_HIT_KINDS, wrap=(11,))
    if query:
        meta = wb.create_sheet("检索条件")
        write_sheet(meta, ["项目", "内容"], [["检索词", query], ["命中总数", result.get("total")]],
                    kinds={2: "auto"})
    return _workbook_bytes(wb)


# ---------------------------------------------------------------------------------------------- Markdown

_MD_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>|])")


def md_escape(text: str | None) -> str:
    """Escape Markdown and HTML syntax so the printed characters show as themselves."""
    text = (text or "").replace("&", "&amp;")
    text = _MD_ESCAPE_RE.sub(r"\\\1", text)
    # a line that starts with # + - > or "1." would become a heading, list or quote
    return re.sub(r"(?m)^(\s*)([#>+-]|\d+\.)", r"\1\\\2", text)


def _md_table(table: Mapping[str, Any]) -> list[str]:
    rows = table.get("rows") or []
    if not rows:
        return []
    width = max(len(r) for r in rows)
    header_rows = max(1, int(table.get("header_rows") or 0))
    cells = [[md_escape(c.get("text", "")).replace("\n", " ") for c in r] + [""] * (width - len(r))
             for r in rows]
    head = [" / ".join(x for x in col if x) for col in zip(*cells[:header_rows], strict=True)]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * width]
    out.extend("| " + " | ".join(r) + " |" for r in cells[header_rows:])
    return out


def _md_blocks(blocks: Iterable[Mapping[str, Any]], base_level: int) -> list[str]:
    out: list[str] = []
    for block in blocks:
        kind = block.get("kind")
        if kind == "table" and block.get("table"):
            caption = block["table"].get("caption")
            if caption:
                out += [f"**{md_escape(caption)}**", ""]
            out += [*_md_table(block["table"]), ""]
        elif kind == "heading":
            text = md_escape(block.get("text"))
            level = min(6, base_level + max(1, int(block.get("level") or 1)))
            title = f"{block.get('label') or ''}{block.get('title') or ''}"
            if title and len(block.get("text") or "") > len(title) + 2:
                out += [f"**{md_escape(title)}**{text[len(md_escape(title)):]}", ""]  # run-in heading
            else:
                out += [f"{'#' * level} {text}", ""]
        elif kind == "box":
            out += [f"> **{md_escape(block.get('text'))}**", ""]
        else:
            out += [md_escape(block.get("text")), ""]
    return out


def document_markdown(doc: Mapping[str, Any], url: str | None = None) -> str:
    """A document as Markdown: title, a facts list, body, enclosed documents and annexes."""
    row = document_row(doc)
    out = [f"# {md_escape(doc.get('title'))}", ""]
    facts = [(label, row.get(key)) for key, label in DOCUMENT_COLUMNS
             if key not in ("id", "title", "enclosures", "attachments")]
    out += [f"- {label}：{md_escape(str(value))}" for label, value in facts if value not in (None, "")]
    if url:
        out.append(f"- 链接：<{url}>")
    out.append("")
    if doc.get("addressees"):
        out += [md_escape("，".join(doc["addressees"])) + "：", ""]
    out += _md_blocks(doc.get("body") or [], 1)
    if doc.get("issuers") or doc.get("signed"):
        out += [md_escape("　".join(doc.get("issuers") or [])) + "  ", md_escape(doc.get("signed") or ""), ""]
    if doc.get("public_note"):
        out += [md_escape(doc["public_note"]), ""]
    for enclosure in doc.get("enclosures") or []:
        out += [f"## {md_escape(enclosure.get('title'))}", ""]
        out += _md_blocks(enclosure.get("body") or [], 2)
    for annex in doc.get("attachments") or []:
        number = annex.get("number")
        head = f"附件{number}" if number else "附件"
        suffix = "（略）" if annex.get("omitted") else ""
        out += [f"## {head}：{md_escape(annex.get('title'))}{suffix}", ""]
        out += _md_blocks(annex.get("body") or [], 2)
    return "\n".join(out).rstrip() + "\n"


def search_markdown(result: Mapping[str, Any], query: str = "", base_url: str = "") -> str:
    """A page of search results as a Markdown list."""
    total = result.get("total", 0)
    out = [f"# 检索结果：{md_escape(query)}" if query else "# 检索结果", "", f"共 {total} 条。", ""]
    for hit, row in zip(result.get("hits") or [], _hit_rows(result), strict=True):
        i = row["rank"]
        link = f"{base_url}/documents/{hit.get('id')}"
        meta = "　".join(str(x) for x in (row["doc_number"], row["issuers"], row["signed"]) if x)
        out += [f"{i}. [{md_escape(row['title'])}]({link})", f"   {md_escape(meta)}"]
        if row["snippet"]:
            out.append(f"   {md_escape(row['snippet'])}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------------------------------------- JSON


def to_json(data: Any) -> str:
    """JSON as the API writes it: UTF-8 characters kept (readable Chinese), tuples as lists."""
    return json.dumps(data, ensure_ascii=False, indent=1, default=str)


def export_document(doc: Mapping[str, Any], fmt: str, url: str | None = None) -> bytes:
    """A document in one of RESULT_FORMATS, as bytes ready to send or write."""
    if fmt == "json":
        return to_json(doc).encode()
    if fmt == "csv":
        return document_csv(doc).encode()
    if fmt == "xlsx":
        return document_xlsx(doc)
    if fmt == "md":
        return document_markdown(doc, url).encode()
    raise ValueError(f"unknown format {fmt!r}")


def export_search(result: Mapping[str, Any], fmt: str, query: str = "", base_url: str = "") -> bytes:
    """A search result in one of RESULT_FORMATS, as bytes."""
    if fmt == "json":
        return to_json(result).encode()
    if fmt == "csv":
        return search_csv(result).encode()
    if fmt == "xlsx":
        return search_xlsx(result, query)
    if fmt == "md":
        return search_markdown(result, query, base_url).encode()
    raise ValueError(f"unknown format {fmt!r}")


# ---------------------------------------------------------------------------------------------- archive


def _archive_issues(archive: Any) -> list[JSON]:
    try:
        return list(archive.issues())
    except Exception:  # an archive without issue listings still exports its documents
        return []


def export_archive(archive: Any, fmt: str, out: IO[bytes] | Path | str) -> int:
    """Write every document of ``archive`` to ``out`` as jsonl, csv or xlsx; returns the count.

    jsonl: one full document per line (the contract shape + id + issue, without source lines).
    csv: one row per document, metadata plus the full repaired text.
    xlsx: sheets 文件 (one row per document), 期刊 (issues) and 正文 (one row per block).
    """
    if fmt not in ARCHIVE_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(ARCHIVE_FORMATS)}")
    if isinstance(out, (str, Path)):
        with open(out, "wb") as fh:
            return export_archive(archive, fmt, fh)
    count = 0
    if fmt == "jsonl":
        for doc in archive.iter_documents():
            doc = {k: v for k, v in doc.items() if k != "source_lines"}
            out.write(json.dumps(doc, ensure_ascii=False, default=str).encode() + b"\n")
            count += 1
        return count
    if fmt == "csv":
        keys = [k for k, _ in DOCUMENT_COLUMNS]
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([label for _, label in DOCUMENT_COLUMNS] + ["正文"])
        for doc in archive.iter_documents():
            row = document_row(doc)
            writer.writerow([csv_safe(row[k]) for k in keys] + [csv_safe(document_text(doc))])
            count += 1
        text.flush()
        text.detach()
        return count
    # write-only: rows go to disk as they come, so memory stays flat however large the archive
    wb = Workbook(write_only=True)
    docs_ws = wb.create_sheet("文件")
    body_ws = wb.create_sheet("正文")
    issues_ws = wb.create_sheet("期刊")
    doc_kinds: dict[int, Kind] = {i: ("date" if key in ("signed", "published") else
                                      "number" if key == "page" else "text")
                                  for i, (key, _) in enumerate(DOCUMENT_COLUMNS, start=1)}
    doc_kinds[len(DOCUMENT_COLUMNS) + 1] = "number"
    docs = archive.iter_documents()
    counter = [0]

    def doc_rows() -> Iterator[list[Any]]:
        for doc in docs:
            row = document_row(doc)
            counter[0] += 1
            yield [row[k] for k, _ in DOCUMENT_COLUMNS] + [len(document_text(doc))]

    def body_rows() -> Iterator[list[Any]]:
        for doc in archive.iter_documents():
            for b in block_rows(doc):
                yield [doc.get("id"), doc.get("doc_number"), b["序号"], b["部分"], b["类型"], b["标号"],
                       b["文本"], b["原文行"]]

    write_sheet(docs_ws, [label for _, label in DOCUMENT_COLUMNS] + ["正文字数"], doc_rows(),
                widths={1: 20, 2: 22, 3: 60, 4: 8, 5: 12, 6: 30, 7: 12, 8: 28, 9: 18, 10: 12, 11: 6, 12: 14,
                        13: 40, 14: 40, 15: 10}, kinds=doc_kinds)
    write_sheet(body_ws, ["编号", "文号", "序号", "部分", "类型", "标号", "文本", "原文行"], body_rows(),
                widths={1: 20, 2: 22, 3: 6, 4: 24, 5: 8, 6: 10, 7: 100, 8: 10}, kinds={3: "number"})
    issue_cols = [("gazette", "公报"), ("year", "年"), ("number", "期"), ("total_number", "总期号"),
                  ("published", "出版日期"), ("document_count", "文件数"), ("problem_count", "待核问题")]
    write_sheet(issues_ws, [label for _, label in issue_cols],
                ([i.get(k) for k, _ in issue_cols] for i in _archive_issues(archive)),
                widths={1: 30, 2: 8, 3: 6, 4: 8, 5: 12, 6: 8, 7: 10},
                kinds={2: "number", 3: "number", 4: "number", 5: "date", 6: "number", 7: "number"})
    wb.save(out)
    return counter[0]
