"""The FastAPI application: pages, the /api/v1 API, static files, errors — all read-only over an archive.

``create_app(data_dir)`` is what ``gongbao serve``/``gongbao demo`` and the tests run. The archive is
opened read-only, once per worker thread (SQLite connections are per thread; the search index reader is
cheap to share but opened alongside), so concurrent requests never contend on one connection.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from gongbao.web.cache import HttpCacheMiddleware, ResponseCache, VersionProbe
from gongbao.web.params import chinese_part, today_cst
from gongbao.web.render import STATIC_DIR, make_environment

API_PREFIX = "/api/v1"


class ArchiveProvider:
    """The read-only :class:`~gongbao.store.Archive`, opened on first use and shared by all threads.

    FastAPI runs sync endpoints in a thread pool; the archive keeps one SQLite connection per thread and
    one search index reader, so sharing one instance is safe and opens the index once.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._archive: Any = None
        self._lock = threading.Lock()
        self._indexed: int | None = None
        # pages ask on every render whether the index lags; the answer is read at most 4 times a second
        self._lag = VersionProbe(self._lag_notice, interval=0.25)

    def get(self) -> Any:
        archive = self._archive
        if archive is None:
            with self._lock:
                if self._archive is None:
                    from gongbao.store import Archive

                    self._archive = Archive(self.data_dir, readonly=True)
                archive = self._archive
        return archive

    def version(self) -> tuple[Any, ...]:
        """The archive's committed generation and the generation its search index reflects.

        The response cache's key: an ingest commits a new generation (record first, then the index), and
        every worker of every process sees the change at its next probe. When the index moved, the search
        reader is told to reload now, so no answer from the old index is cached under the new version."""
        try:
            archive, record, indexed = self._generations()
        except Exception:  # no archive yet, or unreadable: pages will say so; nothing worth caching
            return ("unavailable", time.monotonic())
        indexed = -1 if indexed is None else indexed
        if indexed != self._indexed:
            self._indexed = indexed
            archive.index.refresh()
        return (archive.record_id, record, indexed)

    def _generations(self) -> tuple[Any, int, int | None]:
        """The archive, its committed generation and the one its search index reflects (None: no index)."""
        archive = self.get()
        record = archive.generation()
        state = archive.index.state()
        return archive, record, state.generation if state is not None else None

    def health(self) -> dict[str, Any]:
        """Whether the index reflects the record (a read-only server cannot catch it up itself)."""
        archive, record, indexed = self._generations()
        behind = indexed is None or indexed < record
        return {"status": "ok" if not behind else "degraded", "record_generation": record,
                "index_generation": indexed, "index_behind": behind, "readonly_media": archive.immutable}

    def index_notice(self) -> str | None:
        """The line pages show while the index lags the record (during an ingest, or for good on a
        read-only copy whose index was not caught up); re-read at most 4 times a second."""
        return self._lag()

    def _lag_notice(self) -> str | None:
        try:
            health = self.health()
        except Exception:
            return None
        if not health["index_behind"]:
            return None
        return ("检索索引落后于档案记录，最近收录的文件可能检索不到（导入完成后自动更新；若无导入在进行，"
                "请运行 gongbao check --repair）")

    def close(self) -> None:
        with self._lock:
            archive, self._archive = self._archive, None
        if archive is not None:
            with contextlib.suppress(Exception):  # closing at shutdown must not mask why we shut down
                archive.close()


class CachedStatic(StaticFiles):
    """Static files with a week of client caching; URLs carry a content hash (``?v=``) so edits show."""

    async def get_response(self, path: str, scope: Any) -> Any:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["cache-control"] = "public, max-age=604800"
        return response


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or request.url.path in ("/openapi.json",)


_STATUS_TEXT = {
    400: ("请求有误", "请求的参数不正确，请检查后重试。"),
    404: ("未找到", "您要找的页面或文件不存在，可能链接有误或文件尚未收录。"),
    405: ("不支持的请求方式", "本站只读，不接受此类请求。"),
    422: ("请求参数有误", "请求的参数不符合要求，请检查后重试。"),
    500: ("服务器内部错误", "处理请求时出现错误，请稍后再试。"),
}


def error_page(request: Request, status: int, detail: str | None = None) -> HTMLResponse:
    title, message = _STATUS_TEXT.get(status, ("出错了", "请求未能完成。"))
    env = request.app.state.env
    html = env.get_template("error.html").render(
        status=status, title=title, message=message, detail=detail, q="", nav="",
    )
    return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})


_PARAM_NAMES = {"q": "检索词", "page": "页码", "limit": "每页条数", "sort": "排序", "year": "年份",
                "date_from": "起始日期", "date_to": "截止日期", "gazette": "公报", "issuer": "发文机关",
                "kind": "文种", "category": "栏目", "format": "格式", "view": "查看方式", "from": "起始行",
                "to": "截止行", "number": "期号或文号", "name": "名称", "doc_id": "文件编号", "unit": "单位",
                "issue_id": "期刊编号", "dpi": "分辨率", "v": "原件版本"}


def _cn_message(err: dict[str, Any]) -> str:
    """Pydantic's English reason, said in Chinese for the error page."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字"
    if kind == "string_too_short":
        return "不能为空"
    if kind in ("int_parsing", "int_from_float"):
        return "应为整数"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if kind == "literal_error":
        return f"只能是 {ctx.get('expected', '')}".replace("'", "").replace(" or ", "、")
    if kind.startswith(("date_", "datetime_")):
        return "应为日期，格式 YYYY-MM-DD"
    if kind == "bool_parsing":
        return "应为 true 或 false"
    if kind == "missing":
        return "不能缺少"
    return "取值不正确"


def _validation_messages(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        param = ".".join(loc)
        out.append({"param": param, "message": err.get("msg", ""), "type": err.get("type", ""),
                    "label": _PARAM_NAMES.get(param, param), "cn": _cn_message(err)})
    return out


def _with_head(allow: str) -> str:
    methods = [m.strip().upper() for m in allow.split(",") if m.strip()]
    if "GET" in methods and "HEAD" not in methods:
        methods.insert(methods.index("GET") + 1, "HEAD")
    return ", ".join(methods)


def _status_of(exc: Exception) -> int:
    """Our error's HTTP status: the client's mistakes are 4xx, the archive's troubles 5xx."""
    from gongbao.errors import NotFound, UnusableInput
    from gongbao.store.query import QueryError

    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, (QueryError, UnusableInput)):
        return 422
    return 503  # the archive is damaged, missing its index or unreadable: ours to fix, not the client's


ENV_DATA = "GONGBAO_SERVE_DATA"
ENV_CACHE = "GONGBAO_SERVE_CACHE"
ENV_BASE_URL = "GONGBAO_SERVE_BASE_URL"


def serve_app() -> FastAPI:
    """The app factory ``gongbao serve`` hands to uvicorn (``factory=True``), once per worker process.

    Its settings come from the environment the command set, since uvicorn's workers are new processes.
    Each worker leaves when the command is killed (:mod:`gongbao.lifeline`)."""
    from gongbao import lifeline

    lifeline.watch()
    data = os.environ.get(ENV_DATA) or "gongbao-data"
    return create_app(data, cache=os.environ.get(ENV_CACHE, "1") != "0",
                      base_url=os.environ.get(ENV_BASE_URL) or None)


def create_app(data_dir: str | Path, *, cache: bool = True, title: str = "公报档案",
               base_url: str | None = None) -> FastAPI:
    """The whole site over the archive in ``data_dir`` (opened read-only).

    ``base_url`` (e.g. ``https://gongbao.example.org``) is where absolute links in feeds and exports
    point; without it, the address the server listens on."""
    from gongbao.web import api, docs, pages

    provider = ArchiveProvider(Path(data_dir))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Iterator[None]:  # type: ignore[misc]
        yield
        provider.close()

    app = FastAPI(
        title=f"{title} API",
        version="1",
        description="政府公报结构化档案的只读 HTTP 接口：检索、文件、期刊、公报。所有返回均为 UTF-8 JSON。",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.archives = provider
    app.state.base_url = base_url.rstrip("/") if base_url else None
    app.state.env = make_environment()
    app.state.env.globals["site_title"] = title
    app.state.env.globals["index_notice"] = provider.index_notice

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        # the exception's own headers (Allow on a 405, Retry-After …) belong to the answer
        headers = {**(exc.headers or {}), "cache-control": "no-store"}
        if exc.status_code == 405:
            headers["allow"] = _with_head(headers.get("allow") or headers.get("Allow") or "GET")
            headers.pop("Allow", None)
        if _wants_json(request):
            return JSONResponse({"error": {"status": exc.status_code, "message": str(exc.detail)}},
                                status_code=exc.status_code, headers=headers)
        page = error_page(request, exc.status_code, str(exc.detail) if exc.status_code != 404 else None)
        page.headers.update(headers)
        return page

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Any:
        errors = _validation_messages(exc)
        if _wants_json(request):
            return JSONResponse({"error": {"status": 422, "message": "invalid parameters", "details": errors}},
                                status_code=422, headers={"cache-control": "no-store"})
        detail = "；".join(f"{e['label']}{e['cn']}" for e in errors)
        return error_page(request, 400, detail)

    from gongbao.errors import GongbaoError

    @app.exception_handler(GongbaoError)
    async def gongbao_error(request: Request, exc: GongbaoError) -> Any:
        status = _status_of(exc)
        if _wants_json(request):
            return JSONResponse({"error": {"status": status, "message": str(exc)}}, status_code=status,
                                headers={"cache-control": "no-store"})
        if status >= 500:
            import logging

            logging.getLogger("gongbao.web").error("%s on %s", exc, request.url.path)
        return error_page(request, 404 if status == 404 else 400 if status < 500 else status, chinese_part(str(exc)))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Any:
        import logging

        logging.getLogger("gongbao.web").exception("unhandled error on %s", request.url.path)
        if _wants_json(request):
            return JSONResponse({"error": {"status": 500, "message": "internal error"}}, status_code=500)
        return error_page(request, 500)

    # pages first: FastAPI tries routes in order, and most requests are for pages (no path overlaps)
    app.include_router(pages.router)
    app.include_router(docs.router)
    app.include_router(api.router, prefix=API_PREFIX)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.mount("/static", CachedStatic(directory=str(STATIC_DIR)), name="static")

    # statuses (现行有效, 已失效 …) default to today's date: a new day is a new version, like a new ingest
    # keyed on the committed generation (record and index), probed 4 times a second: a finished ingest
    # shows in every worker within a second
    response_cache = (ResponseCache(VersionProbe(lambda: (provider.version(), today_cst()), interval=0.25))
                      if cache else None)
    app.state.response_cache = response_cache
    app.add_middleware(HttpCacheMiddleware, cache=response_cache)
    return app


ERROR_SCHEMA = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["status", "message"], "properties": {
        "status": {"type": "integer"}, "message": {"type": "string"},
        "details": {"type": "array", "items": {"type": "object"}}}}},
}
_ERRORS = {"404": "不存在 (not found)", "422": "参数或检索式有误 (invalid parameters or query)",
           "503": "档案或检索索引暂不可用 (the archive or its index is unavailable)"}
_NOT_MODIFIED = "未修改：If-None-Match 与当前 ETag 相符 (not modified: the ETag matches If-None-Match)"
_FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "md": "text/markdown"}


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, corrected to what the API sends: errors as ``{"error": {...}}`` with 404, 422 and
    503 on every route, 304 to a matching If-None-Match, and the CSV/XLSX/Markdown bodies of routes with a
    ``format`` parameter (the JSON bodies' models, and the original's ranges, come from the routes'
    ``responses=``, see :mod:`gongbao.web.schemas`)."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    ref = {"$ref": "#/components/schemas/Error"}
    for path, ops in spec.get("paths", {}).items():
        for op in ops.values():
            responses = op.setdefault("responses", {})
            for code, text in _ERRORS.items():
                responses[code] = {"description": text, "content": {"application/json": {"schema": ref}}}
            responses.setdefault("304", {"description": _NOT_MODIFIED})
            if path.startswith(API_PREFIX) and "/pages/" not in path and not path.endswith("/original"):
                responses.setdefault("301", {"description": "文号重定向到文件的固定地址 (a 文号 redirects to its document)"})
            params = {p.get("name"): p for p in op.get("parameters", [])}
            fmt = params.get("format")
            if fmt is not None:
                allowed = fmt.get("schema", {}).get("enum") or [
                    v.get("const") for v in fmt.get("schema", {}).get("anyOf", []) if "const" in v]
                content = responses.setdefault("200", {"description": "OK"}).setdefault("content", {})
                content.setdefault("application/json", {"schema": {}})
                for name in allowed or _FORMATS:
                    if name in _FORMATS:
                        content[_FORMATS[name]] = {"schema": {"type": "string", "format": "binary"}}
    app.openapi_schema = spec
    return spec
