"""The HTTP API under ``/api/v1``: search, documents (by id and by 文号), issues, gazettes, facts.

JSON bodies are what the archive returns (the same shapes as the CLI's ``--json``), so a program can move
between the two; :mod:`gongbao.web.schemas` describes each body for the OpenAPI document (attached with
``responses=``, so nothing is validated or re-serialised on a request). Lists are paginated with
``page``/``limit`` and carry RFC 8288 ``Link`` headers; every 200 answer gets an ETag and Cache-Control
from :mod:`gongbao.web.cache`. Exports of a document or of a search result are the same URL with
``format=csv|xlsx|md``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from gongbao.docnumber import normalize_query
from gongbao.store.export import export_document, export_search
from gongbao.web import originals, queries, schemas
from gongbao.web.downloads import attachment
from gongbao.web.feed import atom_feed, lifecycle_feed
from gongbao.web.params import (
    OptionalDate,
    OptionalYear,
    SearchFilters,
    Text,
    archive_of,
    search_filters,
    site_base,
)
from gongbao.web.render import doc_url, query_url
from gongbao.web.schemas import ok

router = APIRouter()

# Routes that answer in milliseconds are ``async def`` and run on the event loop (see web/pages.py: with a
# process per core that beats handing each request to a thread); whole-archive listings of facts (tasks,
# units, indicators, expiring) stay ``def`` and go to the thread pool, and so do the exports of a search or a
# document (an XLSX takes tens of milliseconds) that the quick routes make on request.

Format = Literal["json", "csv", "xlsx", "md"]
ATOM = {200: {"description": "Atom 订阅源", "content": {"application/atom+xml": {"schema": {"type": "string"}}}}}
"""``responses=`` of the two feeds."""


def _json(data: Any, *, links: dict[str, str] | None = None, cache: str | None = None) -> JSONResponse:
    headers: dict[str, str] = {}
    if links:
        headers["link"] = ", ".join(f'<{quote(url, safe="/?=&%:")}>; rel="{rel}"' for rel, url in links.items())
    if cache:
        headers["cache-control"] = cache
    return JSONResponse(data, headers=headers)


def _page_links(path: str, params: dict[str, Any], page: int, limit: int, total: int) -> dict[str, str]:
    links = {"first": query_url(path, params, page=1)}
    last = max(1, -(-total // limit))
    if page > 1:
        links["prev"] = query_url(path, params, page=page - 1)
    if page < last:
        links["next"] = query_url(path, params, page=page + 1)
    links["last"] = query_url(path, params, page=last)
    return links


@router.get("/search", tags=["检索"], summary="全文检索",
            description="与命令行 `gongbao search --json` 相同的语义与 JSON。检索式：空格分开的词须同时出现在标题或正文中，"
                        "`\"引号\"` 内为短语，`OR` 表示任一，`-词` 或 `NOT 词` 表示排除，可用括号分组，文号任意写法均可；"
                        "可按公报、发文机关、文种、栏目、年份、成文日期筛选；`sort=date` 按日期倒序。"
                        "返回 `total`、`hits`（含以 `<mark>` 标出的摘要；`pages` 为文件在原件中的页码，`ocr` 表示其文字部分经 OCR 识别）、"
                        "`facets`（各筛选项的计数）。"
                        "`format=csv|xlsx|md` 导出本页结果。",
            responses=ok(schemas.SearchResult))
async def search(
    request: Request,
    filter_params: Annotated[SearchFilters, Depends(search_filters)],
    q: Annotated[str, Query(max_length=200, description="检索词；可为空（列出全部）")] = "",
    sort: Literal["relevance", "date"] = "relevance",
    page: Annotated[int, Query(ge=1, le=500)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    format: Format = "json",
) -> Response:
    archive = archive_of(request)
    filters = filter_params.as_dict()
    result = archive.search(q.strip(), **filters, sort=sort, page=page, limit=limit)
    if format != "json":
        base = site_base(request)
        name = f"检索-{q.strip()}" if q.strip() else "检索结果"
        return attachment(await run_in_threadpool(export_search, result, format, q.strip(), base), format, name)
    params = {"q": q, **filters, "sort": sort if sort != "relevance" else None, "limit": limit}
    return _json(result, links=_page_links("/api/v1/search", params, page, limit, int(result["total"])))


@router.get("/search.atom", tags=["检索"], summary="检索结果的 Atom 订阅",
            description="任意检索条件的 Atom 订阅源，按日期倒序，订阅后可获知新收录的相符文件。",
            response_class=Response, responses=ATOM)
async def search_feed(
    request: Request,
    filter_params: Annotated[SearchFilters, Depends(search_filters)],
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> Response:
    archive = archive_of(request)
    filters = filter_params.as_dict()
    result = archive.search(q.strip(), **filters, sort="date", page=1, limit=limit)
    base = site_base(request)
    params = {"q": q.strip(), **filters}
    described = "、".join(str(v) for v in [q.strip(), *filters.values()] if v)
    body = atom_feed(result, base_url=base, self_url=base + query_url("/api/v1/search.atom", params),
                     html_url=base + query_url("/search", {**params, "sort": "date"}),
                     title=f"公报档案 · {described}" if described else "公报档案 · 最新文件")
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/documents", tags=["文件"], summary="按文号查找文件，或列出最新文件",
            description="`number` 为任意写法的文号（如 宁政办发[2022]68号、宁政办发（2022）68号），"
                        "返回规范文号及所有匹配文件的摘要；不给 `number` 时按日期倒序分页列出文件。",
            responses=ok(schemas.DocumentsByNumber | schemas.DocumentPage))
async def documents(
    request: Request,
    number: Annotated[str | None, Query(max_length=100, description="文号，任意写法")] = None,
    page: Annotated[int, Query(ge=1, le=500)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    archive = archive_of(request)
    if number is not None:
        canonical = normalize_query(number)
        if canonical is None:
            raise HTTPException(422, f"not a document number (文号): {number!r}")
        docs = list(archive.documents_by_number(canonical))
        return _json({"number": canonical, "total": len(docs), "documents": docs})
    result = archive.search("", sort="date", page=page, limit=limit)
    data = {"total": result["total"], "page": page, "limit": limit, "documents": result["hits"]}
    return _json(data, links=_page_links("/api/v1/documents", {"limit": limit}, page, limit, int(result["total"])))


@router.get("/documents/{doc_id}", tags=["文件"], summary="按编号获取文件",
            description="完整文件（与 `gongbao parse --json` 的文件结构相同，另含 `id` 与 `issue`）。"
                        "来自 PDF 或扫描件的文件有 `pages`（在原件中的起止页及其印刷页码），`ocr` 表示其文字部分经 OCR 识别；"
                        "原件的各页图片见 `/issues/id/{issue_id}/pages/{page}.png`。"
                        "`source=true` 附带原文行；`format=csv|xlsx|md` 下载导出。"
                        "若编号处给出的是文号，将重定向到该文件的固定地址。",
            responses=ok(schemas.Document))
async def document(
    request: Request,
    doc_id: Annotated[str, Path(min_length=1, max_length=200)],
    format: Format = "json",
    source: Annotated[bool, Query(description="是否附带原文行 source_lines")] = False,
    as_of: Annotated[OptionalDate, Query(description="效力状态 status 的日期，YYYY-MM-DD，默认今天")] = None,
) -> Response:
    archive = archive_of(request)
    doc = archive.document(doc_id)
    if doc is None:
        target = queries.resolve(archive, doc_id)
        if target is not None and target != doc_id:
            url = f"/api/v1{doc_url(target)}"
            return RedirectResponse(url + (f"?{request.url.query}" if request.url.query else ""), status_code=301)
        raise HTTPException(404, "document not found")
    if not source or format != "json":
        doc = {k: v for k, v in doc.items() if k != "source_lines"}
    if format != "json":
        url = site_base(request) + doc_url(doc.get("id"))
        name = doc.get("doc_number") or doc.get("title") or str(doc.get("id"))
        return attachment(await run_in_threadpool(export_document, doc, format, url), format, str(name))
    return _json(queries.with_lifecycle(archive, doc, as_of), cache="public, max-age=300")


@router.get("/documents/{doc_id}/citations", tags=["文件"], summary="文件引用关系",
            description="`cites`：本文件引用的文件（能对应到档案中的附 `id`）；`cited_by`：引用本文件的文件。",
            responses=ok(schemas.Citations))
async def citations(request: Request, doc_id: Annotated[str, Path(min_length=1, max_length=200)]) -> Response:
    archive = archive_of(request)
    doc = archive.document(doc_id)
    if doc is None:
        raise HTTPException(404, "document not found")
    facts = queries.document_facts(archive, doc)
    return _json({"id": doc.get("id"), "cites": facts["citations"], "cited_by": facts["cited_by"]})


@router.get("/resolve", tags=["文件"], summary="文号或编号解析为文件地址",
            description="给出编号或任意写法的文号，返回文件编号与固定地址；找不到时 404。",
            responses=ok(schemas.Resolved))
async def resolve(request: Request, ref: Annotated[str, Query(min_length=1, max_length=200)]) -> Response:
    archive = archive_of(request)
    target = queries.resolve(archive, ref)
    if target is None:
        raise HTTPException(404, "no document matches this reference")
    return _json({"ref": ref, "canonical": normalize_query(ref), "id": target, "url": doc_url(target),
                  "api_url": f"/api/v1{doc_url(target)}"})


@router.get("/health", tags=["服务"], summary="服务与档案状态",
            description="`index_behind` 为 true 表示检索索引落后于档案记录（导入进行中，或只读副本的索引未更新；"
                        "此时 `status` 为 degraded，可运行 `gongbao check --repair`）。",
            responses=ok(schemas.Health))
async def health(request: Request) -> Response:
    return _json(request.app.state.archives.health(), cache="no-store")


@router.get("/gazettes", tags=["公报"], summary="公报列表",
            description="每种公报的名称、期数、文件数和最近一期的出版日期。",
            responses=ok(schemas.Gazettes))
async def gazettes(request: Request) -> Response:
    return _json({"gazettes": archive_of(request).gazettes()})


@router.get("/issues", tags=["公报"], summary="期刊列表",
            description="按公报筛选、按出版时间倒序分页列出各期。",
            responses=ok(schemas.IssuePage))
async def issues(
    request: Request,
    gazette: Text = None,
    year: Annotated[OptionalYear, Query()] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    total, chunk = archive_of(request).issues_page(gazette=gazette or None, year=year,
                                                   offset=(page - 1) * limit, limit=limit)
    params = {"gazette": gazette, "year": year, "limit": limit}
    return _json({"total": total, "page": page, "limit": limit, "issues": chunk},
                 links=_page_links("/api/v1/issues", params, page, limit, total))


# Registered before /issues/{gazette}/{year}/{number}, which would otherwise take
# /issues/id/{issue_id}/original for an issue of a gazette called "id".

@router.get("/issues/id/{issue_id}", tags=["公报"], summary="按编号获取一期公报",
            description="与按公报、年份、期号获取的结果相同；单独收录的文件没有刊头，只能按编号获取。"
                        "`source` 说明本期的来源形式（`format`：text、pdf、image、ofd、docx、html）、页数、"
                        "经 OCR 识别的页（`ocr_pages`）、每页对应的文本行（`page_lines`）和原件（`original`）。",
            responses=ok(schemas.Issue))
async def issue_by_id(request: Request, issue_id: Annotated[str, Path(min_length=1, max_length=100)]) -> Response:
    found = archive_of(request).issue_by_id(issue_id)
    if found is None:
        raise HTTPException(404, "issue not found")
    return _json(found, cache="public, max-age=300")


def _original_content() -> dict[str, Any]:
    """The body of an original, whole or in part: any of the media types it may be sent as."""
    return {media: {"schema": {"type": "string", "format": "binary"}} for media in originals.MEDIA_TYPES}


router.get("/issues/id/{issue_id}/original", tags=["公报"], summary="下载原件",
           description="本期收录时的原始文件（PDF、扫描图片、OFD、DOCX 或网页），以附件下载，文件名为“公报名-年份-期号”。"
                       "从文本收录的期刊没有原件，返回 404。支持 HEAD 与 Range 请求；`ETag` 为原件的 SHA-256。",
           response_class=Response,
           responses={200: {"description": "原件", "content": _original_content()},
                      206: {"description": "原件的一部分（Range 请求）(part of the original, for a Range request)",
                            "content": _original_content()},
                      404: {"description": "没有该期，或该期没有原件"},
                      416: {"description": "Range 超出原件 (the range lies beyond the original)"}})(
    originals.issue_original)
router.head("/issues/id/{issue_id}/original", include_in_schema=False)(originals.issue_original)
router.get("/issues/id/{issue_id}/pages/{page}.png", tags=["公报"], summary="原件的一页（PNG 图片）",
           description="原件第 `page` 页（从 1 开始，即文件中的第几页，不是印刷页码）：由 PDF 渲染，或取自扫描件的该帧，"
                       f"灰度 PNG；首次请求时生成并缓存。`dpi` 默认 {originals.SCREEN_DPI}（屏幕阅读），"
                       f"可取 {originals.MIN_DPI}–{originals.MAX_DPI}。只有 PDF 与扫描件可按页显示；"
                       "没有原件、原件不能按页显示或页码超出范围时返回 404。",
           response_class=Response,
           responses={200: {"description": "该页图片", "content": {
               "image/png": {"schema": {"type": "string", "format": "binary"}}}},
               404: {"description": "没有该期、没有原件或没有该页"}})(originals.page_image)
router.head("/issues/id/{issue_id}/pages/{page}.png", include_in_schema=False)(originals.page_image)


@router.get("/issues/{gazette}/{year}/{number}", tags=["公报"], summary="一期公报",
            description="刊头信息、目录（每条附对应文件的 `document_id`）、文件摘要和校对问题。",
            responses=ok(schemas.Issue))
async def issue(
    request: Request,
    gazette: Annotated[str, Path(min_length=1, max_length=100)],
    year: Annotated[int, Path(ge=1949, le=2100)],
    number: Annotated[int, Path(ge=0, le=10_000)],
) -> Response:
    found = archive_of(request).issue(gazette, year, number)
    if found is None:
        raise HTTPException(404, "issue not found")
    return _json(found, cache="public, max-age=300")


@router.get("/stats", tags=["公报"], summary="档案统计",
            responses=ok(schemas.Stats))
async def stats(request: Request) -> Response:
    return _json(archive_of(request).counts())


@router.get("/tasks", tags=["事实"], summary="任务（责任分工）",
            description="从文件中提取的任务；给出 `unit` 时只列该单位牵头、配合或落实的任务。",
            responses=ok(schemas.Tasks))
def tasks(
    request: Request,
    unit: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    archive = archive_of(request)
    rows = archive.tasks(unit)
    total = len(rows)
    return _json({"unit": unit, "total": total, "page": page, "limit": limit,
                  "tasks": rows[(page - 1) * limit: page * limit]},
                 links=_page_links("/api/v1/tasks", {"unit": unit, "limit": limit}, page, limit, total))


@router.get("/units", tags=["事实"], summary="责任单位", description="任务中出现的单位及其牵头、配合、落实的任务数。",
            responses=ok(schemas.Units))
def units(request: Request) -> Response:
    return _json({"units": queries.unit_summaries(archive_of(request))})


@router.get("/indicators", tags=["事实"], summary="经济指标",
            description="经济数据栏目中的指标，按规范名称分组，每组按时期排列。`format=csv` 下载。",
            responses=ok(schemas.Indicators))
def indicators(
    request: Request,
    name: Annotated[str | None, Query(max_length=100)] = None,
    format: Literal["json", "csv"] = "json",
) -> Response:
    archive = archive_of(request)
    if format == "csv":
        return attachment(queries.indicators_csv(archive, name), "csv", f"经济指标-{name}" if name else "经济指标")
    series = queries.indicator_series(archive)
    if name:
        series = [s for s in series if s["name"] == name]
    return _json({"indicators": series})


@router.get("/expiring", tags=["效力"], summary="即将到期的文件",
            description="`as_of` 日（默认今天）现行有效、有效期在 `days` 天内届满的文件，按到期日排列；"
                        "每件附 `expires`（有效期最后一日）、`days_left` 与 `status`。",
            responses=ok(schemas.Expiring))
def expiring(
    request: Request,
    days: Annotated[int, Query(ge=0, le=3650, description="天数")] = 90,
    as_of: Annotated[OptionalDate, Query(description="起算日期，YYYY-MM-DD，默认今天")] = None,
) -> Response:
    found = archive_of(request).expiring(days, as_of)
    return _json({"days": days, "as_of": as_of.isoformat() if as_of else None, "total": len(found),
                  "documents": found})


@router.get("/lifecycle.atom", tags=["效力"], summary="效力变化的 Atom 订阅",
            description="档案中文件的施行、有效期届满、被废止、被修改、经清理继续有效、被宣布失效等事件，按日期倒序。",
            response_class=Response, responses=ATOM)
def lifecycle_atom(request: Request, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> Response:
    events = archive_of(request).lifecycle_events(limit=limit)
    base = site_base(request)
    body = lifecycle_feed(events, base_url=base, self_url=base + "/api/v1/lifecycle.atom",
                          html_url=base + "/expiring")
    return Response(body, media_type="application/atom+xml; charset=utf-8")
