"""The HTTP API (/api/v1) against a real uvicorn server over the archive of the sample issues."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET

import httpx
import pytest
from websupport import live_server


@pytest.fixture(scope="module")
def api(web: httpx.Client) -> httpx.Client:
    """The shared client (conftest ``web``), named for what these tests exercise."""
    return web


def doc_id(api: httpx.Client, number: str) -> str:
    r = api.get("/api/v1/documents", params={"number": number})
    assert r.status_code == 200, r.text
    docs = r.json()["documents"]
    assert len(docs) == 1, docs
    return docs[0]["id"]


def test_gazettes_and_issues(api: httpx.Client) -> None:
    names = {g["name"] for g in api.get("/api/v1/gazettes").json()["gazettes"]}
    assert names == {"宁夏回族自治区人民政府公报", "中卫市人民政府公报"}
    data = api.get("/api/v1/issues").json()
    assert data["total"] == 3
    assert {(i["year"], i["number"]) for i in data["issues"]} == {(2022, 2), (2022, 19), (2019, 3)}


def test_issues_pagination_links(api: httpx.Client) -> None:
    r = api.get("/api/v1/issues", params={"limit": 1})
    body = r.json()
    assert body["total"] == 3 and len(body["issues"]) == 1
    assert 'rel="next"' in r.headers["link"] and 'rel="prev"' not in r.headers["link"]
    second = api.get("/api/v1/issues", params={"limit": 1, "page": 2}).json()["issues"]
    assert second[0]["id"] != body["issues"][0]["id"]


def test_issue_detail_links_toc_to_documents(api: httpx.Client) -> None:
    issue = api.get("/api/v1/issues/宁夏回族自治区人民政府公报/2022/2").json()
    assert issue["total_number"] == 688 and issue["published"] == "2022-01-31"
    assert len(issue["toc"]) == 5
    for entry in issue["toc"]:
        assert entry["document_id"], entry
        doc = api.get(f"/api/v1/documents/{entry['document_id']}").json()
        assert doc["page"] == entry["page"]
    assert api.get("/api/v1/issues/宁夏回族自治区人民政府公报/2022/99").status_code == 404


def test_search_shape_and_highlight(api: httpx.Client) -> None:
    r = api.get("/api/v1/search", params={"q": "用水权"})
    assert r.status_code == 200
    data = r.json()
    assert {"total", "hits", "facets", "page", "limit"} <= data.keys()
    assert data["total"] == len(data["hits"]) == 1  # 用水权 is the subject of one notice only
    [hit] = data["hits"]
    assert hit["doc_number"] == "宁政办发〔2021〕76号"
    assert {"id", "title", "issuers", "signed", "kind", "snippet", "score", "gazette", "issue", "category"} <= hit.keys()
    assert "<mark>" in hit["snippet"]
    assert set(data["facets"]) >= {"gazette", "issuer", "kind", "category", "year"}


def test_search_filters_sort_and_pages(api: httpx.Client) -> None:
    everything = api.get("/api/v1/search", params={"q": "", "sort": "date", "limit": 100}).json()
    assert everything["total"] == 21
    dates = [h["signed"] for h in everything["hits"] if h["signed"]]
    assert dates == sorted(dates, reverse=True)
    zw = api.get("/api/v1/search", params={"q": "", "gazette": "中卫市人民政府公报", "limit": 100}).json()
    assert zw["total"] == 12 and all(h["gazette"] == "中卫市人民政府公报" for h in zw["hits"])
    page1 = api.get("/api/v1/search", params={"q": "", "sort": "date", "limit": 5}).json()
    page2 = api.get("/api/v1/search", params={"q": "", "sort": "date", "limit": 5, "page": 2}).json()
    assert not {h["id"] for h in page1["hits"]} & {h["id"] for h in page2["hits"]}
    assert [h["id"] for h in page2["hits"]] == [h["id"] for h in everything["hits"][5:10]]


def test_documents_by_number_in_any_spelling(api: httpx.Client) -> None:
    ids = {doc_id(api, n) for n in ("宁政办发〔2022〕68号", "宁政办发[2022]68号", "宁政办发（2022）68号",
                                    "宁政办发〔2022〕 68 号", "宁政办发(2022)68号")}
    assert len(ids) == 1
    (the_id,) = ids
    r = api.get("/api/v1/resolve", params={"ref": "宁政办发[2022]68号"})
    assert r.json()["id"] == the_id and r.json()["url"] == f"/documents/{the_id}"
    assert api.get("/api/v1/resolve", params={"ref": "宁政办发〔2099〕1号"}).status_code == 404
    assert api.get("/api/v1/documents", params={"number": "不是文号"}).status_code == 422


def test_document_by_id(api: httpx.Client) -> None:
    the_id = doc_id(api, "宁政办规发〔2022〕12号")
    r = api.get(f"/api/v1/documents/{the_id}")
    doc = r.json()
    assert doc["id"] == the_id
    assert doc["title"] == "自治区人民政府办公厅关于健全重特大疾病医疗保险和救助制度的实施意见"
    assert doc["issuers"] == ["宁夏回族自治区人民政府办公厅"]
    assert doc["body"] and "source_lines" not in doc
    with_source = api.get(f"/api/v1/documents/{the_id}", params={"source": "true"}).json()
    assert with_source["source_lines"]
    # a 文号 where the id goes is redirected to the stable URL
    r = api.get("/api/v1/documents/宁政办规发[2022]12号", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == f"/api/v1/documents/{the_id}"
    missing = api.get("/api/v1/documents/nope-0000-00-00")
    assert missing.status_code == 404 and missing.json()["error"]["status"] == 404


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 1000}, {"page": 0}, {"page": "x"}, {"sort": "random"}, {"q": "字" * 201},
    {"date_from": "2022-13-01"}, {"year": 1800}, {"format": "exe"}, {"gazette": "x" * 101},
])
def test_invalid_parameters_are_rejected(api: httpx.Client, params: dict) -> None:
    r = api.get("/api/v1/search", params=params)
    assert r.status_code == 422
    body = r.json()["error"]
    assert body["status"] == 422 and body["details"]


def test_empty_filter_fields_mean_no_filter(api: httpx.Client) -> None:
    """A form submits untouched fields as empty strings: they filter nothing (and are not invalid)."""
    plain = api.get("/api/v1/search", params={"q": "规划"}).json()
    empty = {"gazette": "", "issuer": "", "kind": "", "category": "", "year": "", "date_from": "", "date_to": ""}
    for path in ("/api/v1/search", "/api/v1/search.atom"):
        r = api.get(path, params={"q": "规划", **empty})
        assert r.status_code == 200, (path, r.text[:200])
    assert api.get("/api/v1/search", params={"q": "规划", **empty}).json()["total"] == plain["total"] > 0
    narrowed = api.get("/api/v1/search", params={"q": "规划", **empty, "issuer": "办公厅"}).json()
    assert 0 < narrowed["total"] < plain["total"]


def test_caching_headers_and_conditional_get(api: httpx.Client) -> None:
    r = api.get("/api/v1/gazettes")
    etag = r.headers["etag"]
    assert "max-age" in r.headers["cache-control"]
    again = api.get("/api/v1/gazettes", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    changed = api.get("/api/v1/gazettes", headers={"if-none-match": '"other"'})
    assert changed.status_code == 200


def test_gzip(api: httpx.Client) -> None:
    raw = httpx.get(live_server() + "/api/v1/search?q=规划&limit=20", headers={"accept-encoding": "gzip"})
    assert raw.headers.get("content-encoding") == "gzip"
    # httpx decodes; the body really was gzip: 15 documents say 规划 (as the search tests' truth scan finds)
    assert raw.json()["total"] == len(raw.json()["hits"]) == 15
    with httpx.stream("GET", live_server() + "/api/v1/search?q=规划&limit=20",
                      headers={"accept-encoding": "gzip"}) as s:
        assert gzip.decompress(b"".join(s.iter_raw()))


def test_security_headers_and_read_only(api: httpx.Client) -> None:
    r = api.get("/api/v1/stats")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert api.request(method, "/api/v1/search").status_code == 405


@pytest.mark.parametrize("path", [
    "/static/../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/..%2f..%2fpyproject.toml",
    "/static/%2e%2e%2fapp.py", "/documents/..%2f..%2fetc%2fpasswd", "/api/v1/documents/..%2F..%2Fetc%2Fpasswd",
])
def test_no_path_escapes(api: httpx.Client, path: str) -> None:
    r = api.get(path)
    assert r.status_code == 404
    assert b"[project]" not in r.content and b"root:" not in r.content


def test_atom_feed(api: httpx.Client) -> None:
    r = api.get("/api/v1/search.atom", params={"q": "规划"})
    assert r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert entries
    for entry in entries:
        assert "/documents/" in entry.find("a:id", ns).text
        assert entry.find("a:updated", ns).text
    # the short URL the pages advertise
    assert api.get("/feed", params={"q": "规划"}, follow_redirects=True).content == r.content


def test_openapi_and_docs(api: httpx.Client) -> None:
    spec = api.get("/openapi.json").json()
    for path in ("/api/v1/search", "/api/v1/documents/{doc_id}", "/api/v1/documents", "/api/v1/issues",
                 "/api/v1/gazettes", "/api/v1/issues/{gazette}/{year}/{number}"):
        assert path in spec["paths"], path
    docs = api.get("/docs")
    assert docs.status_code == 200 and 'lang="zh-CN"' in docs.text and "/api/v1/search" in docs.text
    assert "cdn" not in docs.text.lower()


def test_facts_endpoints_answer(api: httpx.Client) -> None:
    """Tasks, units, indicators and citations as the parser extracts them from the three sample issues."""
    from conftest import ISSUES, parsed

    issues = [parsed(name) for name in ISSUES]
    tasks = [(issue, t) for issue in issues for d in issue.documents for t in d.tasks]
    assert len(tasks) == 287
    first = api.get("/api/v1/tasks").json()
    assert (first["total"], first["page"], first["limit"], len(first["tasks"])) == (287, 1, 100, 100)
    last = api.get("/api/v1/tasks", params={"page": 3}).json()
    assert (last["total"], len(last["tasks"])) == (287, 87)

    units = api.get("/api/v1/units").json()["units"]
    # organs only, one row per organ. Read off the samples' responsibility notes: these 10 names are
    # groups (各有关部门) and fragments (中卫市), 170 of the 1215 mentions …
    not_units = {"各县（区）人民政府", "各市、县（区）人民政府", "各市、县（区）", "各有关部门（单位）", "有关单位",
                 "附件2的责任单位", "各地级市人民政府", "各有关部门", "中卫市",
                 "自治区推进“数字政府”建设领导小组成员单位"}
    # … and of the 99 spellings of organs, these pairs name one organ: two spellings merged through the
    # alias table, or an organ's second name in brackets (市场监管厅（知识产权局）)
    merged = [{"自治区市场监管厅", "自治区市场监管厅（知识产权局）"}, {"市科学技术局", "市科技局"},
              {"市市场监督管理局", "市市场监管局"}, {"市发展和改革委员会", "市发展改革委"},
              {"中卫工业园区管委会", "市工业园区管委会"}, {"市委网信办", "市委网络安全与信息化办公室"}]
    mentions = [(role, u) for _, t in tasks for role in ("leads", "partners", "implementers") for u in getattr(t, role)]
    assert len(mentions) == 1215 and sum(1 for _, u in mentions if u in not_units) == 170
    spellings = {u for _, u in mentions if u not in not_units}
    assert len(spellings) == 99 and all(pair <= spellings for pair in merged)
    rows = [{u["name"], *u["variants"]} for u in units]
    assert all(pair in rows for pair in merged)
    assert sorted(len(r) for r in rows) == [1] * 87 + [2] * 6
    assert set().union(*rows) == spellings
    assert len(units) == len(spellings) - len(merged) == 93
    for key, role, count in (("lead", "leads", 628), ("partner", "partners", 417), ("implement", "implementers", 0)):
        assert sum(u[key] for u in units) == count == sum(1 for r, u in mentions if r == role and u not in not_units)
    assert sum(u["total"] for u in units) == 1215 - 170  # 170 mentions of groups and fragments
    assert all(u["total"] == u["lead"] + u["partner"] + u["implement"] and u["documents"] >= 1 for u in units)

    series = api.get("/api/v1/indicators").json()["indicators"]
    rows = [i for issue in issues for i in issue.indicators]
    assert len(rows) == 27
    assert sorted(s["name"] for s in series) == sorted({i.canonical_name or i.name for i in rows})
    assert sum(len(s["points"]) for s in series) == 27

    the_id = doc_id(api, "宁政发〔2021〕34号")
    cites = api.get(f"/api/v1/documents/{the_id}/citations").json()
    [doc] = [d for d in issues[0].documents if d.doc_number and d.doc_number.canonical == "宁政发〔2021〕34号"]
    distinct = list(dict.fromkeys((c.doc_number, c.title) for c in doc.citations if not c.self_reference))
    assert len(distinct) == 10 and len(doc.citations) == 13
    assert [(c["doc_number"], c["title"]) for c in cites["cites"]] == distinct
    assert all(c["target_id"] is None for c in cites["cites"]), "no sample cites another sample"
    assert cites["id"] == the_id and cites["cited_by"] == []


def test_search_json_is_the_clis(api: httpx.Client, capsys: pytest.CaptureFixture[str]) -> None:
    """`gongbao search --json` and GET /api/v1/search answer the same query with the same JSON."""
    import json

    from websupport import archive_dir

    from gongbao.cli import main

    for args, params in ((["医疗 保障", "--kind", "通知", "--limit", "3"], {"q": "医疗 保障", "kind": "通知", "limit": 3}),
                         (["宁政办发[2022]68号"], {"q": "宁政办发[2022]68号"}),
                         (["", "--sort", "date", "--page", "2", "--limit", "5"],
                          {"q": "", "sort": "date", "page": 2, "limit": 5})):
        assert main(["search", *args, "--json", "--data", str(archive_dir())]) == 0
        cli = json.loads(capsys.readouterr().out)
        assert api.get("/api/v1/search", params=params).json() == cli
