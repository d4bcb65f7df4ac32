"""What the pages and the API take from a request: the archive, one declaration of a search's filters, the
base of absolute links, today's date in China, and the Chinese half of an error message.

A browser submits every field of a form, so an untouched date or year arrives as ``date_from=`` — an
empty string that FastAPI would refuse as an invalid date. An empty value means "no filter" here.
"""

import datetime as dt
import inspect
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from pydantic import BeforeValidator, Field

from gongbao.store import Archive


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


OptionalDate = Annotated[dt.date | None, BeforeValidator(_blank_is_none)]
# the bounds sit on the int, not on the optional: a constraint applied to None would fail
OptionalYear = Annotated[Annotated[int, Field(ge=1949, le=2100)] | None, BeforeValidator(_blank_is_none)]
OptionalStatus = Annotated[Literal["尚未施行", "现行有效", "已失效", "已废止", "已修改", "未知"] | None,
                          BeforeValidator(_blank_is_none)]
Text = Annotated[str | None, Query(max_length=100, description="精确匹配的筛选值")]


@dataclass
class SearchFilters:
    """The filters of a search (the search page, the search API and its feed take them through
    :func:`search_filters`)."""

    gazette: Text = None
    issue: Annotated[str | None, Query(max_length=100, description="期：该期的 id（见 /api/v1/issues），"
                                                                  "只检索这一期的文件")] = None
    issuer: Annotated[str | None, Query(max_length=100, description="发文机关：全称精确匹配；名称的一部分"
                                                                      "（如 办公厅）匹配名称含有它的所有机关")] = None
    kind: Text = None
    category: Text = None
    year: Annotated[OptionalYear, Query()] = None
    date_from: Annotated[OptionalDate, Query(description="成文日期起（含），YYYY-MM-DD")] = None
    date_to: Annotated[OptionalDate, Query(description="成文日期止（含），YYYY-MM-DD")] = None
    status: Annotated[OptionalStatus, Query(description="效力状态（于 as_of 日）：尚未施行、现行有效、已失效、"
                                                        "已废止、已修改、未知")] = None
    as_of: Annotated[OptionalDate, Query(description="效力状态的日期，YYYY-MM-DD，默认今天")] = None

    def as_dict(self) -> dict[str, Any]:
        """The filters as ``Archive.search`` and the page links take them (dates as ISO text)."""
        return {"gazette": self.gazette, "issue": self.issue, "issuer": self.issuer, "kind": self.kind,
                "category": self.category,
                "year": self.year, "date_from": self.date_from.isoformat() if self.date_from else None,
                "date_to": self.date_to.isoformat() if self.date_to else None, "status": self.status,
                "as_of": self.as_of.isoformat() if self.as_of else None}


async def search_filters(**values: Any) -> SearchFilters:
    """:class:`SearchFilters` as a dependency (``Depends(search_filters)``), with the class's parameters.

    Why not ``Depends()`` on the class itself: FastAPI calls a class, like any plain function, in its
    thread pool, which cost every search a hand-off to a thread and back; an ``async def`` runs on the
    event loop. It takes the class's signature, so the parameters, their validation and the OpenAPI
    description stay those declared on the class."""
    return SearchFilters(**values)


search_filters.__signature__ = inspect.signature(SearchFilters).replace(  # type: ignore[attr-defined]
    return_annotation=SearchFilters)


def archive_of(request: Request) -> Archive:
    """The calling thread's read-only archive."""
    return request.app.state.archives.get()


def site_base(request: Request) -> str:
    """The base of absolute links (feeds, exports): ``--base-url``, else the address the server listens on.

    Never the request's Host header: a response is cached and served to everyone, so a forged Host would
    otherwise send every later reader of a feed to another site."""
    configured = request.app.state.base_url
    if configured:
        return str(configured)
    scheme = request.scope.get("scheme") or "http"
    server = request.scope.get("server") or ("localhost", None)
    host, port = str(server[0]), server[1]
    if ":" in host:
        host = f"[{host}]"
    default = 443 if scheme == "https" else 80
    return f"{scheme}://{host}" + ("" if port in (None, default) else f":{port}")


def today_cst() -> str:
    """Today in China Standard Time (the date an undated status question is asked for)."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date().isoformat()


_ENGLISH_TAIL = re.compile(r"\s*[(（][^()（）]*[A-Za-z][^()（）]*[)）]\s*$")


def chinese_part(message: str) -> str:
    """Our errors read "中文 (English)"; a Chinese page shows the Chinese half."""
    return _ENGLISH_TAIL.sub("", message) or message
