"""Server-rendered pages (Chinese): home, search, document, issue, units, indicators, feeds.

Quick pages are ``async def``, slow ones plain ``def`` (see the note below the imports); all share the
one read-only archive of :class:`~gongbao.web.app.ArchiveProvider`. Parameters are validated by their
annotations; a bad value renders the Chinese 400 page, never a traceback.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Literal
from urllib.parse import unquote

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gongbao.extract import ledger
from gongbao.web import originals, queries
from gongbao.web.params import (
    OptionalDate,
    SearchFilters,
    archive_of,
    chinese_part,
    search_filters,
    site_base,
    today_cst,
)
from gongbao.web.render import STATIC_DIR, doc_url, issue_url, unit_url
from gongbao.web.view import citation, document_view

router = APIRouter(include_in_schema=False)

# Pages that take milliseconds are ``async def``: they run on the event loop, one after another, instead
# of being handed to a thread. With one server process per core that is the faster choice: no hand-off,
# no threads fighting over the GIL, and a request that arrives first finishes first. Files, page images
# and exports, which take longer, stay plain ``def`` and go to the thread pool.

PAGE_SIZE = 20


def _render(request: Request, template: str, *, status: int = 200, cache: str | None = None,
            **context: Any) -> HTMLResponse:
    env = request.app.state.env
    context.setdefault("q", "")
    context.setdefault("nav", "")
    html = env.get_template(template).render(request=request, **context)
    headers = {"cache-control": cache} if cache else None
    return HTMLResponse(html, status_code=status, headers=headers)




@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    archive = archive_of(request)
    gazettes = archive.gazettes()
    issues = archive.latest_issues(8)
    by_gazette: dict[str, list[dict[str, Any]]] = {}
    for issue in issues:
        by_gazette.setdefault(issue.get("gazette") or "", []).append(issue)
    for group in by_gazette.values():
        group.sort(key=lambda i: (i.get("year") or 0, i.get("number") or 0), reverse=True)
    standalone = by_issuer(archive.standalone())
    counts = archive.counts()
    return _render(
        request, "home.html", nav="home",
        gazettes=gazettes, issues_by_gazette=by_gazette, counts=counts, standalone=standalone,
        latest=archive.latest_documents(12),
    )


def by_issuer(docs: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Standalone documents grouped by their (first) issuer, the groups with most documents first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for d in docs:
        groups.setdefault((d.get("issuers") or ["未署名"])[0], []).append(d)
    return sorted(groups.items(), key=lambda g: (-len(g[1]), g[0]))


@router.get("/standalone", response_class=HTMLResponse)
async def standalone_page(request: Request) -> HTMLResponse:
    """Documents ingested on their own: their own collection, by issuer."""
    docs = archive_of(request).standalone()
    return _render(request, "standalone.html", nav="home", groups=by_issuer(docs), total=len(docs),
                   cache="public, max-age=300")


@router.get("/favicon.ico")
async def favicon() -> Response:
    """Browsers and feed readers ask for /favicon.ico whatever the page links."""
    return Response(_favicon_bytes(), media_type="image/x-icon", headers={"cache-control": "public, max-age=86400"})


@functools.cache
def _favicon_bytes() -> bytes:
    return (STATIC_DIR / "favicon.ico").read_bytes()


@router.get("/search", response_class=HTMLResponse)
async def search_page(
    request: Request,
    filter_params: Annotated[SearchFilters, Depends(search_filters)],
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Literal["relevance", "date"] = "relevance",
    page: Annotated[int, Query(ge=1, le=500)] = 1,
) -> Response:
    archive = archive_of(request)
    q = q.strip()
    filters = filter_params.as_dict()
    # a 文号 in any spelling (or an id) goes straight to its document
    exact: list[dict[str, Any]] = []
    is_number = False  # asked only on page 1: later pages of a 文号 search are plain result pages
    if q and page == 1:
        target, exact, is_number = queries.resolve_exact(archive, q)
        if target is not None:
            return RedirectResponse(doc_url(target), status_code=303)
    from gongbao.store import QueryError

    try:
        result = archive.search(q, **filters, sort=sort, page=page, limit=PAGE_SIZE)
        error = None
    except QueryError as exc:
        result = {"total": 0, "hits": [], "facets": {}, "page": page, "limit": PAGE_SIZE}
        error = chinese_part(str(exc))
    params = {"q": q, **filters, "sort": sort if sort != "relevance" else None, "page": page}
    pages = max(1, -(-result["total"] // PAGE_SIZE))
    # searching within one issue: name it (and link it) rather than show its id
    scope = archive.issue_by_id(filters["issue"]) if filters.get("issue") else None
    return _render(
        request, "search.html", nav="search", q=q, params=params, filters=filters, sort=sort,
        result=result, page=page, pages=min(pages, 500), exact=exact, error=error, scope=scope,
        facet_options=queries.facet_options(result), looks_like_number=is_number,
        status=400 if error else 200,  # an unusable query is the client's mistake: said on the page, 400
    )


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
async def document_page(
    request: Request,
    doc_id: Annotated[str, Path(min_length=1, max_length=200)],
    view: Literal["text", "source"] = "text",
    start: Annotated[int | None, Query(alias="from", ge=1, le=10_000_000)] = None,
    end: Annotated[int | None, Query(alias="to", ge=1, le=10_000_000)] = None,
    as_of: Annotated[OptionalDate, Query()] = None,
) -> Response:
    archive = archive_of(request)
    doc = archive.document(doc_id)
    if doc is None:
        target = queries.resolve(archive, unquote(doc_id))
        if target is not None and target != doc_id:
            return RedirectResponse(doc_url(target), status_code=301)
        raise HTTPException(404, "未找到该文件")
    facts = queries.document_facts(archive, doc)
    queries.with_lifecycle(archive, doc, as_of)
    # from the configured base URL, never the Host header: the page is cached and served to everyone
    permalink = site_base(request).rstrip("/") + doc_url(doc["id"])

    return _render(
        request, "document.html", nav="document", doc=doc, view=view, permalink=permalink,
        cite=citation(doc, permalink, today_cst()),
        dv=document_view(doc) if view == "text" else None,
        issue=doc["issue"], hl=(start, end or start) if start else None,
        source_lines=doc["source_lines"] if view == "source" else [],
        cache="public, max-age=300", **facts,
        **originals.document_context(archive, doc, marks=view == "source"),
    )


@router.get("/documents/{doc_id}/tables/{number}.{fmt}")
def document_table(
    request: Request,
    doc_id: Annotated[str, Path(min_length=1, max_length=200)],
    number: Annotated[int, Path(ge=1, le=10_000)],
    fmt: Literal["csv", "xlsx"],
) -> Response:
    """One table of a document (numbered as on the page and in the XLSX export: 表N) as CSV or XLSX."""
    from gongbao.store.export import iter_blocks, table_csv, table_xlsx
    from gongbao.web.downloads import attachment

    doc = archive_of(request).document(doc_id)
    if doc is None:
        raise HTTPException(404, "未找到该文件")
    tables = [(part, b["table"]) for part, b in iter_blocks(doc) if b.get("kind") == "table" and b.get("table")]
    if number > len(tables):
        raise HTTPException(404, "该文件没有这张表")
    part, table = tables[number - 1]
    caption = table.get("caption") or f"{doc.get('title') or ''} {part} 表{number}".strip()
    name = f"{doc.get('doc_number') or doc.get('title') or doc_id}-表{number}"
    data = table_xlsx(table, caption) if fmt == "xlsx" else table_csv(table).encode()
    return attachment(data, fmt, name)


# The original of an issue and its pages. Registered before /issues/{gazette}/{year}/{number}, which would
# otherwise take /issues/id/{issue_id}/original for an issue of a gazette called "id".

router.get("/issues/id/{issue_id}/original")(originals.issue_original)
router.head("/issues/id/{issue_id}/original")(originals.issue_original)
router.get("/issues/id/{issue_id}/pages/{page}.png")(originals.page_image)
router.head("/issues/id/{issue_id}/pages/{page}.png")(originals.page_image)


@router.get("/issues/id/{issue_id}/pages/{page}", response_class=HTMLResponse)
async def page_viewer(
    request: Request,
    issue_id: Annotated[str, Path(min_length=1, max_length=100)],
    page: Annotated[int, Path(ge=0, le=100_000)],
) -> HTMLResponse:
    """A page of the original on its own: the image, the page before and after, the documents on it."""
    archive = archive_of(request)
    issue, original = originals.require(archive, issue_id)
    originals.require_page(original, page)
    source = issue.get("source") or {}
    [view] = originals.page_views(source, original, [page])
    here = [d for d in issue.get("documents") or []
            if d.get("pages") and d["pages"]["first"] <= page <= (d["pages"].get("last") or d["pages"]["first"])]
    problems = [p for p in queries.issue_context(issue)["problems"] if p.get("page") == page]
    return _render(request, "page.html", nav="issue", issue=issue, original=original, page=view,
                   documents=here, problems=problems, cache="public, max-age=300")


@router.get("/issues/{gazette}/{year}/{number}", response_class=HTMLResponse)
async def issue_page(
    request: Request,
    gazette: Annotated[str, Path(min_length=1, max_length=100)],
    year: Annotated[int, Path(ge=1949, le=2100)],
    number: Annotated[int, Path(ge=0, le=10_000)],
) -> HTMLResponse:
    archive = archive_of(request)
    issue = archive.issue(gazette, year, number)
    if issue is None:
        raise HTTPException(404, "未找到该期公报")
    return _render(request, "issue.html", nav="issue", issue=issue, **queries.issue_context(issue),
                   original=originals.original_of(archive, issue), cache="public, max-age=300")


@router.get("/issues/id/{issue_id}", response_class=HTMLResponse)
async def issue_by_id(request: Request, issue_id: Annotated[str, Path(min_length=1, max_length=100)]) -> Response:
    archive = archive_of(request)
    issue = archive.issue_by_id(issue_id)
    if issue is None:
        raise HTTPException(404, "未找到该期公报")
    url = issue_url(issue)
    if url and not url.startswith("/issues/id/"):
        return RedirectResponse(url, status_code=301)
    return _render(request, "issue.html", nav="issue", issue=issue, **queries.issue_context(issue),
                   original=originals.original_of(archive, issue))


@router.get("/gazettes/{name}", response_class=HTMLResponse)
async def gazette_page(request: Request, name: Annotated[str, Path(min_length=1, max_length=100)]) -> HTMLResponse:
    archive = archive_of(request)
    gazette = next((g for g in archive.gazettes() if g.get("name") == name), None)
    if gazette is None:
        raise HTTPException(404, "未找到该公报")
    issues = sorted(archive.issues(gazette=name), key=lambda i: (i.get("year") or 0, i.get("number") or 0),
                    reverse=True)
    return _render(request, "gazette.html", nav="home", gazette=gazette, issues=issues)


@router.get("/units", response_class=HTMLResponse)
def units_page(request: Request, q: Annotated[str, Query(max_length=50)] = "") -> HTMLResponse:
    archive = archive_of(request)
    units = queries.unit_summaries(archive)
    if q.strip():
        units = [u for u in units if q.strip() in u["name"]]
    return _render(request, "units.html", nav="units", units=units, unit_q=q.strip())


@router.get("/units/{name}", response_class=HTMLResponse)
def unit_page(request: Request, name: Annotated[str, Path(min_length=1, max_length=100)]) -> HTMLResponse:
    archive = archive_of(request)
    tasks = archive.tasks(name)
    if not tasks:
        raise HTTPException(404, "未找到该单位的任务")
    return _render(request, "unit.html", nav="units", name=name, tasks=tasks,
                   xlsx_url=f"{unit_url(name)}/tasks.xlsx")


@router.get("/units/{name}/tasks.xlsx")
def unit_xlsx(request: Request, name: Annotated[str, Path(min_length=1, max_length=100)]) -> Response:
    archive = archive_of(request)
    tasks = archive.tasks(name)
    if not tasks:
        raise HTTPException(404, "未找到该单位的任务")
    from gongbao.web.downloads import attachment

    return attachment(ledger.tasks_xlsx(tasks, unit=name), "xlsx", f"{name}-任务台账")


@router.get("/indicators", response_class=HTMLResponse)
def indicators_page(request: Request) -> HTMLResponse:
    archive = archive_of(request)
    series = queries.indicator_series(archive)
    for s in series:
        s["chart"] = queries.indicator_chart(s)
    return _render(request, "indicators.html", nav="indicators", series=series,
                   overview=queries.growth_overview(series))


@router.get("/indicators.csv")
def indicators_csv(request: Request, name: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    from gongbao.web.downloads import attachment

    archive = archive_of(request)
    return attachment(queries.indicators_csv(archive, name), "csv", f"经济指标-{name}" if name else "经济指标")


@router.get("/feed", include_in_schema=False)
def feed_alias(request: Request) -> Response:
    """The Atom feed of a search lives in the API; this short URL is what the pages advertise."""
    query = request.url.query
    return RedirectResponse("/api/v1/search.atom" + (f"?{query}" if query else ""), status_code=308)


@router.get("/expiring", response_class=HTMLResponse)
def expiring_page(
    request: Request,
    days: Annotated[int, Query(ge=0, le=3650)] = 90,
    as_of: Annotated[OptionalDate, Query()] = None,
) -> HTMLResponse:
    """Documents in force whose validity ends within N days: what 清理 offices and legal departments
    work from."""
    archive = archive_of(request)
    found = archive.expiring(days, as_of)
    return _render(request, "expiring.html", nav="expiring", documents=found, days=days,
                   as_of=as_of.isoformat() if as_of else "")


@router.get("/about", response_class=HTMLResponse)
async def about_page(request: Request) -> HTMLResponse:
    return _render(request, "about.html", nav="about", counts=archive_of(request).counts())
