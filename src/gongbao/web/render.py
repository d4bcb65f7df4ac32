"""The Jinja2 environment of the site: autoescaping, Chinese date formats, URL builders, safe snippets.

Source text is untrusted (converted PDFs carry ``<b>``, ``<p>``, ``<sup>``; uploads carry anything), so
autoescape is on for every template and no filter here marks source text safe — except
:func:`safe_snippet`, which escapes everything and then lets exactly ``<mark>``/``</mark>`` through.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from gongbao.store.search import FACET_LABELS

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

PROBLEM_LABELS = {
    "toc_entry_without_document": "目录条目在正文中未找到",
    "document_not_in_toc": "正文中的文件未列入目录",
    "toc_title_mismatch": "目录标题与正文标题不一致",
    "toc_doc_number_mismatch": "目录文号与正文文号不一致",
    "toc_category_mismatch": "目录栏目与文件不符",
    "nonstandard_doc_number": "文号写法不规范",
    "unbalanced_brackets": "括号不配对",
    "missing_masthead": "缺少刊头信息",
    "missing_signature": "缺少落款",
    "truncated": "文件不完整（疑似截断）",
    "low_confidence_ocr": "OCR 识别置信度低，请对照原件",
    "metadata_mismatch": "元数据与正文不一致",
}

FORM_LABELS = {"pdf": "PDF", "image": "扫描件", "ofd": "OFD", "docx": "DOCX", "html": "网页", "text": "文本"}
"""The form an issue reached the archive in (``source.format``), as a reader names it."""


_MARK_SPLIT = re.compile(r"(</?mark>)")


def safe_snippet(snippet: str | None) -> Markup:
    """The store's snippet with only ``<mark>`` kept: every other character is (re-)escaped.

    The store promises HTML-escaped text with <mark> tags; we don't rely on it. Each text piece is
    unescaped once and escaped again (so ``&lt;b&gt;`` stays visible text and a raw ``<b>`` is
    neutralised), and marks are balanced so an unclosed one cannot swallow the page.
    """
    out: list[str] = []
    open_mark = False
    for piece in _MARK_SPLIT.split(snippet or ""):
        if piece == "<mark>":
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif piece == "</mark>":
            if open_mark:
                out.append("</mark>")
                open_mark = False
        else:
            out.append(html.escape(html.unescape(piece), quote=False))
    if open_mark:
        out.append("</mark>")
    return Markup("".join(out))


_TICKS = re.compile(r"`([^`]+)`")


def ticks(text: str | None) -> Markup:
    """API descriptions: escaped text with `code` spans as <code> (OpenAPI descriptions are Markdown)."""
    escaped = html.escape(text or "", quote=False)
    return Markup(_TICKS.sub(lambda m: f"<code>{m.group(1)}</code>", escaped))


def cn_date(value: Any) -> str:
    """2021-12-07 → 2021年12月7日 (what a Chinese reader expects); anything else unchanged."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        d = value
    else:
        try:
            d = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    return f"{d.year}年{d.month}月{d.day}日"


def issue_label(issue: Mapping[str, Any] | None, *, total: bool = True) -> str:
    """2022年第2期（总第688期）."""
    if not issue:
        return ""
    year, number = issue.get("year"), issue.get("number")
    if year is None and number is None:
        return "单独收录" if not issue.get("gazette") else str(issue.get("id") or "")
    label = f"{year or ''}年第{number}期" if number is not None else f"{year}年"
    if total and issue.get("total_number"):
        label += f"（总第{issue['total_number']}期）"
    return label


@lru_cache(maxsize=8192)
def _seg(text: str) -> str:
    return quote(text, safe="")


def seg(value: Any) -> str:
    """One URL path segment: everything but unreserved characters percent-encoded (remembered: a page
    links the same document ids and unit names many times over)."""
    return _seg(str(value))


def doc_url(doc_id: Any) -> str:
    return f"/documents/{seg(doc_id)}"


def source_url(doc_id: Any, span: Mapping[str, Any] | None) -> str:
    """A document's original lines, the span marked and scrolled to (the document itself without a span)."""
    if not span:
        return doc_url(doc_id)
    start, end = span["start_line"], span["end_line"]
    return f"{doc_url(doc_id)}?view=source&from={start}&to={end}#L{start}"


def issue_url(issue: Mapping[str, Any] | None) -> str | None:
    if not issue or not issue.get("gazette") or issue.get("year") is None or issue.get("number") is None:
        if issue and issue.get("id") is not None:
            return f"/issues/id/{seg(issue['id'])}"
        return None
    return f"/issues/{seg(issue['gazette'])}/{seg(issue['year'])}/{seg(issue['number'])}"


def unit_url(name: str) -> str:
    return f"/units/{seg(name)}"


@lru_cache(maxsize=16384)
def _form(text: str) -> str:
    return quote_plus(text, safe="")


def query_url(path: str, params: Mapping[str, Any], **changes: Any) -> str:
    """``path?params`` with ``changes`` applied; empty values and page=1 are dropped (clean URLs).

    Encoded as ``urlencode`` does, each key and value remembered once encoded: a search page links the
    same query with one facet value changed some seventy times."""
    merged = {k: v for k, v in params.items() if v not in (None, "")}
    for key, value in changes.items():
        if value in (None, ""):
            merged.pop(key, None)
        else:
            merged[key] = value
    if str(merged.get("page", "")) == "1":
        merged.pop("page")
    query = "&".join(f"{_form(str(k))}={_form(str(v))}" for k, v in merged.items())
    return f"{path}?{query}" if query else path


def lines_label(span: Mapping[str, Any] | None) -> str:
    """第109–112行."""
    if not span:
        return ""
    start, end = span.get("start_line"), span.get("end_line")
    return f"第{start}行" if start == end else f"第{start}–{end}行"


def pages_label(pages: Mapping[str, Any] | None) -> str:
    """A document's pages of the original file: 4–13, or 4 for one page ("" for unpaginated sources)."""
    if not pages or pages.get("first") is None:
        return ""
    first, last = pages["first"], pages.get("last") or pages["first"]
    return str(first) if first == last else f"{first}–{last}"


def printed_label(pages: Mapping[str, Any] | None) -> str:
    """The page numbers printed on those pages, only where they differ from the pages' places in the file
    (a gazette numbers its pages through the year, or from the first text page): 印刷页码 26–29."""
    if not pages:
        return ""
    first, last = pages.get("printed_first"), pages.get("printed_last")
    if not first and not last:
        return ""
    first, last = first or last, last or first
    if (first, last) == (str(pages.get("first")), str(pages.get("last"))):
        return ""
    return str(first) if first == last else f"{first}–{last}"


def filesize(value: Any) -> str:
    """421 KB, 2.3 MB: the size of a download, as a reader estimates it."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def number(value: Any) -> str:
    """Thousands separators for counts."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "" if value is None else str(value)


def static_version() -> str:
    """A short hash of the static files: appended to their URLs so a new release is never served stale."""
    import hashlib

    h = hashlib.blake2b(digest_size=5)
    for path in sorted(STATIC_DIR.glob("*")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


_STATUS_CLASSES = {"尚未施行": "pending", "现行有效": "in-force", "已修改": "amended", "已失效": "expired",
                   "已废止": "repealed", "未知": "unknown"}


def facet_label(name: str) -> str:
    """The Chinese label of a search facet (文种, 年份 …); an unknown name as it is."""
    return FACET_LABELS.get(name, name)


def status_class(status: str | None) -> str:
    """A CSS class for a status badge (an ASCII name: class names stay out of the Chinese)."""
    return _STATUS_CLASSES.get(status or "", "unknown")


def make_environment() -> Environment:
    # the parts of pages drawn in Python; they build on this module, hence imported here
    from gongbao.web.body import items_html
    from gongbao.web.results import facets_html, hits_html

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(
        cn_date=cn_date,
        issue_label=issue_label,
        snippet=safe_snippet,
        lines=lines_label,
        number=number,
        seg=seg,
        ticks=ticks,
        pages_label=pages_label,
        printed_label=printed_label,
        filesize=filesize,
        form_label=lambda fmt: FORM_LABELS.get(fmt or "text", str(fmt).upper()),
        status_class=status_class,
    )
    env.globals.update(
        static_v=static_version(),
        doc_url=doc_url,
        source_url=source_url,
        issue_url=issue_url,
        unit_url=unit_url,
        query_url=query_url,
        problem_label=lambda kind: PROBLEM_LABELS.get(kind, kind),
        facet_label=facet_label,
        items_html=items_html,
        facets_html=facets_html,
        hits_html=hits_html,
    )
    return env
