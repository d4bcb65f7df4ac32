"""Validity on the web: status and events in the document API (with as_of), the status filter of the
search API and page, the expiring-soon page and API, the lifecycle feed, the document page's badge,
warning and timeline — against a real server over the samples plus tests/data/lifecycle."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest
from websupport import doc_id, lifecycle_server


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(base_url=lifecycle_server(), timeout=30) as c:
        yield c


def test_document_status_and_events_on_a_date(client: httpx.Client) -> None:
    target = doc_id(client, "宁政办规发[2022]13号")
    before = client.get(f"/api/v1/documents/{target}", params={"as_of": "2023-04-30"}).json()
    assert before["status"]["status"] == "现行有效"
    after = client.get(f"/api/v1/documents/{target}", params={"as_of": "2023-05-01"}).json()
    assert after["status"]["status"] == "已废止"
    assert [b["doc_number"] for b in after["status"]["by"]] == ["宁政发〔2023〕15号"]
    assert ("2023-05-01", "repealed_by") in [(e["date"], e["type"]) for e in after["events"]]
    v = after["validity"]
    assert (v["commences"], v["expires"], v["trial"]) == ("2022-12-23", "2024-12-22", True)
    assert v["effects"][0]["target_doc_number"] == "宁政办规发〔2020〕23号" and v["effects"][0]["target_ids"] == []
    assert client.get(f"/api/v1/documents/{target}", params={"as_of": "2023-13-01"}).status_code == 422


def test_search_status_filter(client: httpx.Client) -> None:
    r = client.get("/api/v1/search", params={"q": "", "status": "已废止", "as_of": "2024-06-01", "limit": 50})
    assert r.status_code == 200
    assert {h["doc_number"] for h in r.json()["hits"]} == {
        "宁政办规发〔2022〕13号", "宁政办发〔2021〕76号", "宁政办发〔2021〕77号"}
    assert 'status=' in r.headers["link"] and "as_of=2024-06-01" in r.headers["link"]
    assert client.get("/api/v1/search", params={"status": "有效"}).status_code == 422
    page = client.get("/search", params={"q": "", "status": "已废止", "as_of": "2024-06-01"}).text
    assert "共 <strong>3</strong> 件" in page and 'status-repealed">已废止' in page
    assert '<option value="已废止" selected>' in page


def test_expiring_api_and_page(client: httpx.Client) -> None:
    data = client.get("/api/v1/expiring", params={"days": 60, "as_of": "2020-11-15"}).json()
    assert [(d["doc_number"], d["days_left"]) for d in data["documents"]] == [("卫政办发〔2019〕1号", 46)]
    page = client.get("/expiring", params={"days": 60, "as_of": "2020-11-15"}).text
    assert "即将到期的文件" in page and "卫政办发〔2019〕1号" in page and "46 天" in page
    assert "没有到期的现行文件" in client.get("/expiring", params={"days": 10, "as_of": "2030-01-01"}).text


def test_lifecycle_feed(client: httpx.Client) -> None:
    r = client.get("/api/v1/lifecycle.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(r.content).findall("a:entry", ns)
    titles = [e.findtext("a:title", namespaces=ns) for e in entries]
    assert any("被《宁夏回族自治区人民政府关于废止和修改部分规范性文件的决定》废止" in t for t in titles)
    ids = [e.findtext("a:id", namespaces=ns) for e in entries]
    assert len(ids) == len(set(ids))


def test_document_page_badge_warning_timeline(client: httpx.Client) -> None:
    target = doc_id(client, "宁政办规发〔2022〕13号")
    repealer = doc_id(client, "宁政发〔2023〕15号")
    html = client.get(f"/documents/{target}", params={"as_of": "2024-01-01"}).text
    assert 'id="status-badge"' in html and ">已废止</span>" in html
    assert 'id="repealed-warning"' in html and f'href="/documents/{repealer}"' in html
    assert 'id="timeline"' in html and "有效期届满" in html
    html = client.get(f"/documents/{target}", params={"as_of": "2023-01-01"}).text
    assert ">现行有效</span>" in html and 'id="repealed-warning"' not in html
