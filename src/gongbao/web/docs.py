"""``/docs``: the OpenAPI description rendered as a Chinese page, server-side.

FastAPI's default Swagger UI loads its script from a CDN, which a machine without internet cannot reach
and which our CSP forbids; a plain page listing every operation, its parameters and an example URL works
everywhere and reads well in Chinese. The machine-readable description stays at ``/openapi.json``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

_EXAMPLES = {
    "/api/v1/search": "/api/v1/search?q=用水权&limit=5",
    "/api/v1/search.atom": "/api/v1/search.atom?q=规划",
    "/api/v1/documents": "/api/v1/documents?number=宁政办规发[2022]12号",
    "/api/v1/resolve": "/api/v1/resolve?ref=宁政发（2021）34号",
    "/api/v1/gazettes": "/api/v1/gazettes",
    "/api/v1/issues": "/api/v1/issues?limit=10",
    "/api/v1/stats": "/api/v1/stats",
    "/api/v1/units": "/api/v1/units",
    "/api/v1/indicators": "/api/v1/indicators",
    "/api/v1/tasks": "/api/v1/tasks?limit=10",
}


_TYPES = {"string": "字符串", "integer": "整数", "boolean": "布尔值（true/false）", "number": "数值",
          "array": "列表", "object": "对象"}
_FORMATS = {"date": "日期", "date-time": "日期时间"}


def _type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    if "enum" in schema:
        return "、".join(str(v) for v in schema["enum"]) + " 之一"
    fmt = schema.get("format")
    if fmt in _FORMATS:
        return _FORMATS[fmt] + "（YYYY-MM-DD）" if fmt == "date" else _FORMATS[fmt]
    return _TYPES.get(schema.get("type", ""), schema.get("type", ""))


def _limits(schema: dict[str, Any]) -> str:
    parts = []
    for s in [schema, *schema.get("anyOf", [])]:
        for key, label in (("minimum", "≥"), ("maximum", "≤"), ("minLength", "长度≥"), ("maxLength", "长度≤")):
            if key in s:
                parts.append(f"{label}{s[key]}")
    default = schema.get("default")
    if isinstance(default, bool):
        parts.append(f"默认 {'true' if default else 'false'}")
    elif default not in (None, ""):
        parts.append(f"默认 {default}")
    return "，".join(parts)


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{
                "name": p["name"], "in": {"query": "查询", "path": "路径"}.get(p["in"], p["in"]),
                "required": p.get("required", False), "type": _type(p.get("schema", {})),
                "limits": _limits(p.get("schema", {})), "description": p.get("description", ""),
            } for p in op.get("parameters", [])]
            out.append({"path": path, "method": method.upper(), "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "tags": op.get("tags", []),
                        "params": params, "example": _EXAMPLES.get(path)})
    return out


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    ops = operations(spec)
    groups: dict[str, list[dict[str, Any]]] = {}
    for op in ops:
        groups.setdefault((op["tags"] or ["其他"])[0], []).append(op)
    html = request.app.state.env.get_template("docs.html").render(
        request=request, spec=spec, groups=groups, q="", nav="api",
    )
    return HTMLResponse(html)
