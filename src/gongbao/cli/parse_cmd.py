"""``gongbao parse FILE… [--json]``: the command-line face of the parser."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from gongbao import contract
from gongbao.cli import OCR_HELP, OcrMode
from gongbao.model import Document, Issue

PROBLEM_NAMES = {
    "toc_entry_without_document": "目录有而正文无",
    "document_not_in_toc": "正文有而目录无",
    "toc_title_mismatch": "标题不一致",
    "toc_doc_number_mismatch": "文号不一致",
    "toc_category_mismatch": "栏目不符",
    "nonstandard_doc_number": "文号括号不规范",
    "unbalanced_brackets": "括号不配对",
    "missing_masthead": "缺少刊头",
    "missing_signature": "缺少成文日期",
    "truncated": "文件不完整",
    "low_confidence_ocr": "OCR 置信度低",
    "metadata_mismatch": "元数据与正文不符",
}


def summary(issue: Issue) -> str:
    """A readable report: issue facts, each TOC entry beside the document found for it, problems."""
    g = issue.gazette
    src = issue.source
    how = src.encoding if src.format == "text" else src.format.upper()
    if src.pages:
        how += f"，{len(src.pages)} 页"
        if src.ocr_pages:
            how += f"，其中 {len(src.ocr_pages)} 页经 OCR 识别"
    out: list[str] = [f"文件 {src.path}（{how}，{src.line_count} 行）"]
    if g.name or g.number:
        out.append(
            f"刊物 {g.name or '（未识别）'}  {g.year or '?'}年第{g.number or '?'}期"
            + (f"（总第{g.total_number}期）" if g.total_number else "")
            + (f"  {g.published.isoformat()} 出版" if g.published else "")
        )
    else:
        out.append("单篇公文（无刊头、无目录）")
    out.append("")
    out.append(f"目录 {len(issue.toc)} 条，正文 {len(issue.documents)} 件")
    for i, entry in enumerate(issue.toc, start=1):
        doc = next((d for d in issue.documents if d.toc_index == i - 1), None)
        number = entry.doc_number.canonical if entry.doc_number else "—"
        out.append(f"{i:>3}. [{entry.category or '无栏目'}] {entry.title}  {number}  第{entry.page or '?'}页")
        if doc is None:
            out.append("     ✗ 正文中未找到")
        else:
            out.append(f"     → 第{doc.span.start_line}–{doc.span.end_line}行{_pages(doc)}  " + _doc_line(doc))
    extra = [d for d in issue.documents if d.toc_index is None]
    for doc in extra:
        out.append(f"  +  {doc.title}  第{doc.span.start_line}–{doc.span.end_line}行{_pages(doc)}  "
                   + _doc_line(doc))
    out.append("")
    if issue.problems:
        out.append(f"问题 {len(issue.problems)} 个")
        for p in issue.problems:
            where = f"第{p.span.start_line}行" if p.span else ""
            out.append(f"  - [{PROBLEM_NAMES.get(p.kind, p.kind)}] {where} {p.message}")
    else:
        out.append("未发现问题")
    return "\n".join(out)


def _pages(doc: Document) -> str:
    """（原件第3–14页）: where the document stands in a paginated file."""
    r = doc.pages
    if r is None:
        return ""
    return f"（原件第{r.first}页）" if r.first == r.last else f"（原件第{r.first}–{r.last}页）"


def _doc_line(doc: Document) -> str:
    parts = [doc.kind or "文件"]
    if doc.doc_number:
        parts.append(doc.doc_number.canonical)
    if doc.issuers:
        parts.append("、".join(doc.issuers))
    if doc.signed:
        parts.append(doc.signed.isoformat())
    if doc.enclosures:
        parts.append("印发：" + "；".join(f"《{e.title}》" for e in doc.enclosures))
    if doc.attachments:
        parts.append(f"附件{len(doc.attachments)}个")
    return "  ".join(parts)


def register(app: typer.Typer) -> None:
    @app.command("parse")
    def parse_command(
        files: Annotated[list[Path], typer.Argument(help="Issue files (.txt/.md as converted from PDF)")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the JSON contract (one object per line)")] = False,
        no_body: Annotated[bool, typer.Option("--no-body", help="Leave document bodies out of the JSON")] = False,
        text: Annotated[bool, typer.Option(
            "--text", help="Print the text the parser read (line N is line N of every span) 输出解析所用文本")] = False,
        ocr: Annotated[OcrMode, typer.Option("--ocr", help=OCR_HELP)] = OcrMode.auto,
    ) -> None:
        """Parse gazette issues (.txt/.md, .pdf, page images, .ofd, .docx, .html): issue facts, TOC ↔
        documents, problems (解析公报)."""
        from gongbao.cli import OcrBar, report_unusable
        from gongbao.pipeline import load_each

        failed: list[Path] = []
        with OcrBar() as bar:
            for n, issue in enumerate(load_each(files, report_unusable(failed), ocr=ocr.value, progress=bar)):
                if text:
                    sys.stdout.write("\n".join(issue.lines) + "\n")
                elif as_json:
                    sys.stdout.write(json.dumps(contract.issue(issue, body=not no_body), ensure_ascii=False) + "\n")
                else:
                    if n:
                        print("\n" + "=" * 60 + "\n")
                    print(summary(issue))
        if failed:
            raise typer.Exit(2)
