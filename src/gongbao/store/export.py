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
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal

from openpyxl import Workbook
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

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="9E1B1B")
_WRAP = Alignment(wrap_text=True, vertical="top")


def xlsx_value(value: Any) -> Any:
    """A value Excel accepts as data: control characters dropped, over-long text cut with a note."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    text = _ILLEGAL_XLSX.sub("", str(value))
    if len(text) > XLSX_CELL_MAX:
        text = text[:XLSX_CELL_MAX] + "…（已截断）"
    return text


def write_sheet(ws: Any, header: list[str], rows: Iterable[Iterable[Any]],
                widths: Mapping[int, int] | None = None) -> None:
    """Fill a worksheet: a styled, frozen header and rows whose strings are always stored as text.

    openpyxl turns any string starting with ``=`` into a formula; setting ``data_type`` to ``s`` after
    assignment keeps it a string, which is what the gazette printed.
    """
    ws.append(header)
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for row in rows:
        values = [xlsx_value(v) for v in row]
        ws.append([None] * len(values))
        r = ws.max_row
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    for c, _ in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(c)].width = (widths or {}).get(c, 16)


def _table_sheets(wb: Workbook, doc: Mapping[str, Any]) -> None:
    n = 0
    for part, block in iter_blocks(doc):
        table = block.get("table")
        if block.get("kind") != "table" or not table:
            continue
        n += 1
        ws = wb.create_sheet(f"表{n}")
        caption = table.get("caption") or part
        ws.append([xlsx_value(caption)])
        ws["A1"].font = Font(bold=True)
        header_rows = int(table.get("header_rows") or 0)
        for i, row in enumerate(table.get("rows") or []):
            ws.append([None] * len(row))
            r = ws.max_row
            for c, cell_data in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                cell.value = xlsx_value(cell_data.get("text", ""))
                cell.data_type = "s"
                cell.alignment = _WRAP
                if i < header_rows:
                    cell.font = Font(bold=True)
        for c in range(1, max((len(r) for r in table.get("rows") or [[]]), default=1) + 1):
            ws.column_dimensions[get_column_letter(c)].width = 18


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
    write_sheet(info, ["项目", "内容"], ([label, row.get(key)] for key, label in DOCUMENT_COLUMNS),
                widths={1: 14, 2: 90})
    body = wb.create_sheet("正文")
    write_sheet(body, BLOCK_COLUMNS, ([r[h] for h in BLOCK_COLUMNS] for r in block_rows(doc)),
                widths={1: 6, 2: 24, 3: 8, 4: 10, 5: 6, 6: 100, 7: 10})
    for cells in body.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in cells:
            cell.alignment = _WRAP
    _table_sheets(wb, doc)
    return _workbook_bytes(wb)


def search_xlsx(result: Mapping[str, Any], query: str = "") -> bytes:
    """A page of search results as a workbook with one 检索结果 sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "检索结果"
    rows = _hit_rows(result)
    write_sheet(ws, [label for _, label in HIT_COLUMNS], ([r[k] for k, _ in HIT_COLUMNS] for r in rows),
                widths={1: 6, 3: 22, 4: 50, 11: 70})
    if query:
        meta = wb.create_sheet("检索条件")
        write_sheet(meta, ["项目", "内容"], [["检索词", query], ["命中总数", result.get("total")]])
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
    wb = Workbook(write_only=False)
    docs_ws = wb.active
    docs_ws.title = "文件"
    body_ws = wb.create_sheet("正文")
    docs_rows: list[list[Any]] = []
    body_rows: list[list[Any]] = []
    for doc in archive.iter_documents():
        row = document_row(doc)
        docs_rows.append([row[k] for k, _ in DOCUMENT_COLUMNS] + [len(document_text(doc))])
        for b in block_rows(doc):
            body_rows.append([doc.get("id"), doc.get("doc_number"), b["序号"], b["部分"], b["类型"],
                              b["标号"], b["文本"], b["原文行"]])
        count += 1
    write_sheet(docs_ws, [label for _, label in DOCUMENT_COLUMNS] + ["正文字数"], docs_rows,
                widths={2: 22, 3: 60, 6: 30})
    write_sheet(body_ws, ["编号", "文号", "序号", "部分", "类型", "标号", "文本", "原文行"], body_rows,
                widths={7: 100})
    issues_ws = wb.create_sheet("期刊")
    issue_cols = [("gazette", "公报"), ("year", "年"), ("number", "期"), ("total_number", "总期号"),
                  ("published", "出版日期"), ("document_count", "文件数"), ("problem_count", "待核问题")]
    write_sheet(issues_ws, [label for _, label in issue_cols],
                ([i.get(k) for k, _ in issue_cols] for i in _archive_issues(archive)), widths={1: 30})
    out.write(_workbook_bytes(wb))
    return count
