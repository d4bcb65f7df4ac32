"""The OpenAPI document describes every 200 body of /api/v1, and real answers match it key for key.

Two halves: /openapi.json gives each GET of the API a 200 answer with a schema (a model of
:mod:`gongbao.web.schemas` for JSON, or the non-JSON type the route really sends: Atom, CSV, XLSX, PNG, the
original); and every JSON route, asked for real over the sample archives by a real server, answers with a
body its model accepts in strict mode *and* that carries no key the model does not name — so a field
renamed or added in the archive without its model fails here, not silently in a client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter
from websupport import archive_dir, lifecycle_server, live_server, originals_server

from gongbao.web import api, schemas
from gongbao.web.app import create_app

API = "/api/v1"
NON_JSON = {"application/atom+xml", "text/csv", "text/markdown", "image/png", "application/pdf",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app(archive_dir()).openapi()


def json_schema_of(op: dict[str, Any]) -> dict[str, Any] | None:
    return (op["responses"].get("200", {}).get("content", {}).get("application/json") or {}).get("schema")


def models_of(schema: dict[str, Any]) -> list[type[BaseModel]]:
    """The models a 200 JSON schema names (one ``$ref``, or an ``anyOf`` of them)."""
    refs = [schema] if "$ref" in schema else schema.get("anyOf", [])
    return [getattr(schemas, r["$ref"].rsplit("/", 1)[-1]) for r in refs if "$ref" in r]


def json_operations(spec: dict[str, Any]) -> dict[str, list[type[BaseModel]]]:
    """API path → the models of its JSON 200 body, for every GET that answers JSON."""
    return {path: models_of(schema) for path, ops in spec["paths"].items()
            if path.startswith(API) and "get" in ops and (schema := json_schema_of(ops["get"])) is not None}


def test_every_api_get_documents_its_200_body(spec: dict[str, Any]) -> None:
    components = spec["components"]["schemas"]
    gets = {path: ops["get"] for path, ops in spec["paths"].items() if path.startswith(API) and "get" in ops}
    assert len(gets) == 19, sorted(gets)
    for path, op in gets.items():
        content = op["responses"].get("200", {}).get("content")
        assert content, f"{path}: no 200 body documented"
        for media, body in content.items():
            schema = body.get("schema")
            assert schema, f"{path} {media}: no schema"
            if media == "application/json":
                models = models_of(schema)
                assert models, f"{path}: the JSON body has no model ({schema})"
                for model in models:
                    component = components[model.__name__]
                    assert component["type"] == "object" and component["properties"] and component["required"], path
            else:
                assert media in NON_JSON or path.endswith("/original"), f"{path}: {media}"
                assert schema.get("type") == "string", f"{path} {media}: {schema}"
    # the routes that answer something other than JSON say what, as they send it
    media = {path: set(op["responses"]["200"]["content"]) for path, op in gets.items()}
    assert media[f"{API}/search.atom"] == media[f"{API}/lifecycle.atom"] == {"application/atom+xml"}
    assert media[f"{API}/issues/id/{{issue_id}}/pages/{{page}}.png"] == {"image/png"}
    assert {"application/pdf", "image/png", "image/jpeg", "image/tiff", "application/ofd", "text/html",
            "application/octet-stream"} <= media[f"{API}/issues/id/{{issue_id}}/original"]
    assert "application/json" not in media[f"{API}/issues/id/{{issue_id}}/original"]
    for path in (f"{API}/search", f"{API}/documents/{{doc_id}}"):
        assert media[path] == {"application/json", "text/csv", "text/markdown",
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, path
    assert media[f"{API}/indicators"] == {"application/json", "text/csv"}
    # 404 and the error body as sent; every answer has an ETag, so a matching If-None-Match gets 304
    for path, op in gets.items():
        assert op["responses"]["404"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"}, path
        assert "304" in op["responses"], path
    original = gets[f"{API}/issues/id/{{issue_id}}/original"]["responses"]
    assert set(original["206"]["content"]) == media[f"{API}/issues/id/{{issue_id}}/original"] and "416" in original


def test_models_cost_a_request_nothing() -> None:
    """The models only document: no API route has a response model, so FastAPI neither validates nor
    re-serialises an answer (the dict goes out through ``_json`` as the archive gave it)."""
    routes = [r for r in api.router.routes if isinstance(r, APIRoute)]
    assert len(routes) == 21
    for route in routes:
        assert route.response_model is None and route.response_field is None, route.path


def test_each_json_route_has_its_own_model(spec: dict[str, Any]) -> None:
    """The models are named for what they describe: losing one (or pointing a route at another) shows."""
    found = {path: [m.__name__ for m in models] for path, models in json_operations(spec).items()}
    assert found == {
        f"{API}/search": ["SearchResult"], f"{API}/documents": ["DocumentsByNumber", "DocumentPage"],
        f"{API}/documents/{{doc_id}}": ["Document"], f"{API}/documents/{{doc_id}}/citations": ["Citations"],
        f"{API}/resolve": ["Resolved"], f"{API}/health": ["Health"], f"{API}/gazettes": ["Gazettes"],
        f"{API}/issues": ["IssuePage"], f"{API}/issues/id/{{issue_id}}": ["Issue"],
        f"{API}/issues/{{gazette}}/{{year}}/{{number}}": ["Issue"], f"{API}/stats": ["Stats"],
        f"{API}/tasks": ["Tasks"], f"{API}/units": ["Units"], f"{API}/indicators": ["Indicators"],
        f"{API}/expiring": ["Expiring"],
    }


# ------------------------------------------------------------------------------------------ real answers

def unknown_keys(value: Any, where: str = "$") -> Iterator[str]:
    """Keys of the validated body that no model names (objects of :class:`schemas.Open` may have any)."""
    if isinstance(value, BaseModel):
        if value.model_extra and not isinstance(value, schemas.Open):
            yield f"{where} ({type(value).__name__}): {sorted(value.model_extra)}"
        for name in type(value).model_fields:
            yield from unknown_keys(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from unknown_keys(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from unknown_keys(item, f"{where}.{key}")


def validate(models: list[type[BaseModel]], text: str) -> BaseModel:
    """The body as its model(s) read it in strict mode (no coercion: "1" is no int), with no unknown key."""
    adapter: TypeAdapter[Any] = TypeAdapter(models[0] if len(models) == 1 else models[0] | models[1])
    body = adapter.validate_json(text, strict=True)
    unknown = list(unknown_keys(body))
    assert not unknown, unknown
    return body


def asked(client: httpx.Client) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(documented path, URL, query) for every JSON route, several times where answers differ in shape
    (with and without a 文号, a unit, a status filter, source lines), with values from the archive itself."""
    hits = client.get(f"{API}/search", params={"limit": 100}).json()["hits"]
    yield f"{API}/search", f"{API}/search", {"limit": 100}
    yield f"{API}/search", f"{API}/search", {"q": "通知", "status": "现行有效", "as_of": "2023-06-01"}
    yield f"{API}/search", f"{API}/search", {"q": "通知", "sort": "date", "gazette": "中卫市人民政府公报"}
    yield f"{API}/documents", f"{API}/documents", {"limit": 5}
    number = next((h["doc_number"] for h in hits if h["doc_number"]), None)
    if number:
        yield f"{API}/documents", f"{API}/documents", {"number": number}
        yield f"{API}/resolve", f"{API}/resolve", {"ref": number}
    for hit in hits:
        path = f"{API}/documents/{quote(hit['id'], safe='')}"
        yield f"{API}/documents/{{doc_id}}", path, {"source": "true"}
        yield f"{API}/documents/{{doc_id}}", path, {"as_of": "2019-01-01"}
        yield f"{API}/documents/{{doc_id}}/citations", f"{path}/citations", {}
    yield f"{API}/resolve", f"{API}/resolve", {"ref": hits[0]["id"]}
    yield f"{API}/health", f"{API}/health", {}
    yield f"{API}/gazettes", f"{API}/gazettes", {}
    issues = client.get(f"{API}/issues", params={"limit": 200}).json()["issues"]
    yield f"{API}/issues", f"{API}/issues", {"limit": 200}
    for issue in issues:
        yield f"{API}/issues/id/{{issue_id}}", f"{API}/issues/id/{quote(issue['id'], safe='')}", {}
        if issue["gazette"] and issue["year"] and issue["number"] is not None:
            yield (f"{API}/issues/{{gazette}}/{{year}}/{{number}}",
                   f"{API}/issues/{quote(issue['gazette'])}/{issue['year']}/{issue['number']}", {})
    yield f"{API}/stats", f"{API}/stats", {}
    yield f"{API}/tasks", f"{API}/tasks", {"limit": 500}
    units = client.get(f"{API}/units").json()["units"]
    yield f"{API}/units", f"{API}/units", {}
    for unit in units[:3]:
        yield f"{API}/tasks", f"{API}/tasks", {"unit": unit["name"]}
    yield f"{API}/indicators", f"{API}/indicators", {}
    yield f"{API}/expiring", f"{API}/expiring", {}
    yield f"{API}/expiring", f"{API}/expiring", {"days": 3650, "as_of": "2020-01-01"}


SERVERS: dict[str, Callable[[], str]] = {"samples": live_server, "lifecycle": lifecycle_server,
                                         "originals": originals_server}


@pytest.mark.parametrize("archive", list(SERVERS))
def test_real_answers_match_their_models(archive: str, spec: dict[str, Any]) -> None:
    with httpx.Client(base_url=SERVERS[archive](), timeout=60) as client:
        operations = json_operations(spec)
        seen: dict[str, int] = {}
        for path, url, params in asked(client):
            r = client.get(url, params=params)
            assert r.status_code == 200, (url, params, r.text[:300])
            assert r.headers["content-type"].startswith("application/json"), url
            try:
                validate(operations[path], r.text)
            except Exception as exc:  # say which answer
                raise AssertionError(f"{url} {params}: {exc}") from exc
            seen[path] = seen.get(path, 0) + 1
    assert set(seen) == set(operations), set(operations) - set(seen)


def test_strictness_catches_a_renamed_field() -> None:
    """What the test above relies on: a renamed key fails (missing), an added one is reported (unknown)."""
    body = '{"status": "ok", "record_generation": 3, "index_generation": 3, "index_behind": false, ' \
           '"readonly_media": false}'
    validate([schemas.Health], body)
    with pytest.raises(ValueError):
        validate([schemas.Health], body.replace('"index_behind"', '"behind"'))
    with pytest.raises(AssertionError, match="lag"):
        validate([schemas.Health], body.replace("{", '{"lag": 0, ', 1))
    with pytest.raises(ValueError):  # strict: no "3" for 3
        validate([schemas.Health], body.replace('"record_generation": 3', '"record_generation": "3"'))
