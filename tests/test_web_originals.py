"""Originals on the web: a document of a PDF or a scan says which pages of the original it stands on, the
original downloads as it was ingested, its pages are shown as images rendered on request and cached on
disk, and text read by OCR is said to be so — against a real archive of real forms (tests/forms.py prints
an issue of the corpus as its PDF, one document with the gazette's page numbers, and scans a worn page)
served by a real uvicorn server."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import httpx
import pytest
from test_web_pages import ENGLISH, parse
from websupport import ONE_DOCUMENT_FOLIO, SCAN_DPI, Originals, originals, originals_server

from gongbao.store import Archive


@pytest.fixture(scope="module")
def made() -> Originals:
    return originals()


@pytest.fixture(scope="module")
def client(made: Originals) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=originals_server(), timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def archive(made: Originals) -> Iterator[Archive]:
    with Archive(made.data, readonly=True) as a:
        yield a


@pytest.fixture(scope="module")
def issues(made: Originals, archive: Archive) -> dict[str, dict[str, Any]]:
    """The stored issues by what they were made from: issue, document, scan, text."""
    by_file = {Path(i["source_path"]).name: archive.issue_by_id(i["id"]) for i in archive.issues()}
    return {kind: by_file[getattr(made, attr).name] for kind, attr in
            (("issue", "issue_pdf"), ("document", "document_pdf"), ("scan", "scan"), ("text", "text"))}


def text_of(page: str) -> str:
    """The visible text of a page, tags dropped, as a reader sees it."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def png(data: bytes) -> Any:
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    return image


def test_sources_are_what_was_ingested(issues: dict[str, dict[str, Any]]) -> None:
    import forms

    issue, document, scan = issues["issue"]["source"], issues["document"]["source"], issues["scan"]["source"]
    assert (issue["format"], document["format"], scan["format"]) == ("pdf", "pdf", "image")
    assert issue["ocr_pages"] == document["ocr_pages"] == []  # both read from their text layer
    assert scan["ocr_pages"] == [1] and scan["low_confidence"], "the worn scan should leave lines to check"
    assert issues["text"]["source"]["format"] == "text" and issues["text"]["source"]["original"] is None
    layout = forms.page_layout(originals().document_pdf)
    [doc] = issues["document"]["documents"]
    assert doc["pages"] == {"first": 1, "last": len(layout), "printed_first": str(ONE_DOCUMENT_FOLIO),
                            "printed_last": str(ONE_DOCUMENT_FOLIO + len(layout) - 1)}


def test_document_page_names_its_pages_and_links_the_original(client: httpx.Client, archive: Archive,
                                                              issues: dict[str, dict[str, Any]]) -> None:
    issue_id = issues["issue"]["id"]
    for summary in issues["issue"]["documents"]:
        doc = archive.document(summary["id"])
        first, last = doc["pages"]["first"], doc["pages"]["last"]
        assert doc["pages"]["printed_first"] == str(first)  # this print numbers its physical pages
        r = client.get(f"/documents/{doc['id']}")
        assert r.status_code == 200
        text = text_of(r.text)
        assert f"原件第{first}–{last}页" in text
        assert "印刷页码" not in text and "OCR" not in text
        assert f'href="/issues/id/{issue_id}/original?v=' in r.text and "下载原件" in text
        for n in range(first, last + 1):
            assert f"查看原件第{n}页" in text
            # the image is on the page but only fetched when its page is opened
            assert re.search(rf'<img src="/issues/id/{issue_id}/pages/{n}\.png\?v=[0-9a-f]{{12}}" loading="lazy"',
                             r.text), n
        assert f"查看原件第{last + 1}页" not in text and f"查看原件第{first - 1}页" not in text

    [doc] = issues["document"]["documents"]
    text = text_of(client.get(f"/documents/{doc['id']}").text)
    last = ONE_DOCUMENT_FOLIO + doc["pages"]["last"] - 1
    assert f"原件第1–{doc['pages']['last']}页（印刷页码 {ONE_DOCUMENT_FOLIO}–{last}）" in text
    assert f"查看原件第1页（印刷页码 {ONE_DOCUMENT_FOLIO}）" in text


def test_text_documents_say_nothing_of_originals(client: httpx.Client, issues: dict[str, dict[str, Any]]) -> None:
    doc = issues["text"]["documents"][0]
    text = text_of(client.get(f"/documents/{doc['id']}").text)
    assert "原件第" not in text and "下载原件" not in text and "查看原件" not in text


def test_original_downloads_as_ingested(client: httpx.Client, made: Originals,
                                        issues: dict[str, dict[str, Any]]) -> None:
    issue_id = issues["issue"]["id"]
    name = quote("宁夏回族自治区人民政府公报-2022-19.pdf", safe="")
    for prefix in ("", "/api/v1"):
        r = client.get(f"{prefix}/issues/id/{issue_id}/original")
        assert r.status_code == 200
        assert r.content == made.issue_pdf.read_bytes()
        assert r.headers["content-type"] == "application/pdf"
        assert r.headers["content-disposition"].startswith("attachment;")
        assert f"filename*=UTF-8''{name}" in r.headers["content-disposition"]
        assert "sandbox" in r.headers["content-security-policy"]
        etag = r.headers["etag"]
        assert client.get(f"{prefix}/issues/id/{issue_id}/original",
                          headers={"if-none-match": etag}).status_code == 304
        head = client.head(f"{prefix}/issues/id/{issue_id}/original")
        assert head.status_code == 200 and head.content == b""
        assert int(head.headers["content-length"]) == made.issue_pdf.stat().st_size
    ranged = client.get(f"/issues/id/{issue_id}/original", headers={"range": "bytes=0-4"})
    assert ranged.status_code == 206 and ranged.content == b"%PDF-"
    scan = client.get(f"/issues/id/{issues['scan']['id']}/original")
    assert scan.content == made.scan.read_bytes() and scan.headers["content-type"] == "image/png"


def test_page_image_is_rendered_once_and_served_from_disk(client: httpx.Client, made: Originals,
                                                          issues: dict[str, dict[str, Any]]) -> None:
    import pypdfium2 as pdfium

    issue_id, sha = issues["issue"]["id"], Path(issues["issue"]["source"]["original"]).stem
    page, dpi = 13, 90  # a dpi the pages never ask for: this test makes the first request
    cached = made.data / "cache" / "pages" / f"{sha}-{page}-{dpi}.png"
    assert not cached.exists()
    r = client.get(f"/issues/id/{issue_id}/pages/{page}.png", params={"dpi": dpi})
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    pdf = pdfium.PdfDocument(str(made.issue_pdf))
    try:
        width, height = pdf[page - 1].get_size()
    finally:
        pdf.close()
    image = png(r.content)
    assert image.mode == "L"
    assert abs(image.width - width * dpi / 72) <= 1 and abs(image.height - height * dpi / 72) <= 1
    assert cached.read_bytes() == r.content
    before = cached.stat().st_mtime_ns
    # another URL for the same image (the response cache keys on the URL): read from disk, not rendered
    again = client.get(f"/api/v1/issues/id/{issue_id}/pages/{page}.png", params={"dpi": dpi, "v": sha[:12]})
    assert again.content == r.content and cached.stat().st_mtime_ns == before
    assert "immutable" in again.headers["cache-control"]  # the URL names this very original
    assert "immutable" not in r.headers["cache-control"]
    assert client.get(f"/issues/id/{issue_id}/pages/{page}.png", params={"dpi": dpi},
                      headers={"if-none-match": r.headers["etag"]}).status_code == 304
    head = client.head(f"/issues/id/{issue_id}/pages/{page}.png", params={"dpi": dpi})
    assert head.status_code == 200 and head.content == b"" and head.headers["content-type"] == "image/png"
    assert not list(cached.parent.glob(".*.tmp"))  # written through a temp file, nothing left behind


def test_scan_page_is_its_frame(client: httpx.Client, made: Originals, issues: dict[str, dict[str, Any]]) -> None:
    from PIL import Image

    scan = Image.open(made.scan).convert("L")
    same = png(client.get(f"/issues/id/{issues['scan']['id']}/pages/1.png", params={"dpi": SCAN_DPI}).content)
    assert same.size == scan.size and same.tobytes() == scan.tobytes()
    screen = png(client.get(f"/issues/id/{issues['scan']['id']}/pages/1.png").content)
    assert abs(screen.width - scan.width * 110 / SCAN_DPI) <= 1


def test_missing_pages_and_originals_are_404(client: httpx.Client, issues: dict[str, dict[str, Any]]) -> None:
    issue_id, count = issues["issue"]["id"], issues["issue"]["source"]["pages"]
    for page in (0, count + 1):
        r = client.get(f"/issues/id/{issue_id}/pages/{page}.png")
        assert r.status_code == 404 and '<html lang="zh-CN">' in r.text and f"原件没有第{page}页" in r.text
        assert client.get(f"/issues/id/{issue_id}/pages/{page}").status_code == 404
        api = client.get(f"/api/v1/issues/id/{issue_id}/pages/{page}.png")
        assert api.status_code == 404 and api.json()["error"]["status"] == 404
    text_id = issues["text"]["id"]
    for path in (f"/issues/id/{text_id}/original", f"/issues/id/{text_id}/pages/1.png", f"/issues/id/{text_id}/pages/1"):
        r = client.get(path)
        assert r.status_code == 404 and "没有保存原件" in r.text, path
    # the API serves the original and the page images, not the page viewer
    for path in (f"/issues/id/{text_id}/original", f"/issues/id/{text_id}/pages/1.png"):
        api = client.get("/api/v1" + path)
        assert api.status_code == 404 and "没有保存原件" in api.json()["error"]["message"], path
    for path in ("/issues/id/nope-2022-1/original", "/api/v1/issues/id/nope-2022-1/pages/1.png"):
        assert client.get(path).status_code == 404
    assert client.get(f"/issues/id/{issue_id}/pages/1.png", params={"dpi": 300}).status_code == 400
    assert client.get(f"/api/v1/issues/id/{issue_id}/pages/1.png", params={"dpi": 30}).status_code == 422


def test_ocr_is_said(client: httpx.Client, archive: Archive, issues: dict[str, dict[str, Any]]) -> None:
    note = "本文件部分内容经 OCR 识别，可能有误，请以原件为准"
    [doc] = issues["scan"]["documents"]
    assert archive.document(doc["id"])["ocr"] is True
    page = client.get(f"/documents/{doc['id']}").text
    assert note in page and 'class="tag ocr"' in page
    assert note not in client.get(f"/documents/{issues['issue']['documents'][0]['id']}").text
    # search: the page badges the hit, the API says it
    hits = client.get("/api/v1/search", params={"q": "", "limit": 100}).json()["hits"]
    by_id = {h["id"]: h for h in hits}
    assert by_id[doc["id"]]["ocr"] is True and by_id[doc["id"]]["pages"]["first"] == 1
    assert all(h["ocr"] is False for h in hits if h["id"] != doc["id"])
    result = client.get("/search", params={"q": "", "sort": "date"}).text
    item = next(li for li in result.split('<li class="hit">') if f'href="/documents/{doc["id"]}"' in li)
    assert 'class="tag ocr"' in item
    assert result.count('class="tag ocr"') == 1


def test_api_document_has_pages(client: httpx.Client, archive: Archive, issues: dict[str, dict[str, Any]]) -> None:
    for kind in ("issue", "document", "text"):
        for summary in issues[kind]["documents"]:
            doc = client.get(f"/api/v1/documents/{summary['id']}").json()
            assert doc["pages"] == archive.document(summary["id"])["pages"] == summary["pages"]
            assert (doc["pages"] is None) == (kind == "text") and doc["ocr"] is False
    hit = client.get("/api/v1/search", params={"q": "救助制度", "limit": 50}).json()["hits"]
    assert {h["pages"]["first"] for h in hit if h["pages"]} == {1, 26}
    issue = client.get(f"/api/v1/issues/id/{issues['issue']['id']}").json()
    assert issue["source"]["pages"] == 34 and issue["source"]["format"] == "pdf"
    spec = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/issues/id/{issue_id}", "/api/v1/issues/id/{issue_id}/original",
                 "/api/v1/issues/id/{issue_id}/pages/{page}.png"):
        assert "get" in spec[path] and "head" not in spec[path], path
    assert "image/png" in spec["/api/v1/issues/id/{issue_id}/pages/{page}.png"]["get"]["responses"]["200"]["content"]


def test_issue_page_names_the_form_and_the_report_the_pages(client: httpx.Client,
                                                            issues: dict[str, dict[str, Any]]) -> None:
    pdf = client.get(f"/issues/id/{issues['issue']['id']}", follow_redirects=True)
    text = text_of(pdf.text)
    assert "来源形式PDF" in text and "页数34 页" in text and "OCR 识别无" in text
    assert f'href="/issues/id/{issues["issue"]["id"]}/original?v=' in pdf.text and "逐页查看原件" in text
    scan = issues["scan"]
    page = client.get(f"/issues/id/{scan['id']}").text
    text = text_of(page)
    assert "来源形式扫描件" in text and "页数1 页" in text and "OCR 识别1 页（全部）" in text
    # every line the OCR is unsure of is in the editor's report, with the page to compare it with
    assert text.count("OCR 识别置信度低，请对照原件") == len(scan["source"]["low_confidence"]) > 0
    assert page.count(f'<a href="/issues/id/{scan["id"]}/pages/1" class="page-link">原件第1页</a>') == len(
        scan["problems"])
    plain = text_of(client.get(f"/issues/id/{issues['text']['id']}", follow_redirects=True).text)
    assert "来源形式文本" in plain and "下载原件" not in plain and "页数" not in plain


def test_original_lines_mark_where_pages_begin(client: httpx.Client, archive: Archive,
                                               issues: dict[str, dict[str, Any]]) -> None:
    summary = issues["issue"]["documents"][1]
    doc = archive.document(summary["id"])
    r = client.get(f"/documents/{doc['id']}", params={"view": "source"})
    starts = {p["index"]: p["first_line"] for p in issues["issue"]["source"]["page_lines"]}
    first, last = doc["pages"]["first"], doc["pages"]["last"]
    assert doc["span"]["start_line"] > starts[first]  # it begins mid-page: marked above its first line
    marks = re.findall(r'<tr class="page-mark">.*?— 原件第(\d+)页 —.*?</tr>\s*<tr id="L(\d+)"', r.text)
    assert [int(p) for p, _ in marks] == list(range(first, last + 1))
    assert [int(line) for _, line in marks] == [doc["span"]["start_line"]] + [starts[p] for p in
                                                                             range(first + 1, last + 1)]


def test_page_viewer_pages_through_the_original(client: httpx.Client, issues: dict[str, dict[str, Any]]) -> None:
    issue = issues["issue"]
    base = f"/issues/id/{issue['id']}/pages"
    on_13 = [d for d in issue["documents"] if d["pages"]["first"] <= 13 <= d["pages"]["last"]]
    r = client.get(f"{base}/13")
    assert r.status_code == 200 and "原件第13页" in r.text
    assert f'rel="prev" href="{base}/12"' in r.text and f'rel="next" href="{base}/14"' in r.text
    assert f'<img src="{base}/13.png?v=' in r.text
    assert len(on_13) == 2 and all(f'href="/documents/{d["id"]}"' in r.text for d in on_13)
    assert 'rel="prev"' not in client.get(f"{base}/1").text
    assert 'rel="next"' not in client.get(f"{base}/{issue['source']['pages']}").text


def test_links_work_and_pages_are_chinese(client: httpx.Client, issues: dict[str, dict[str, Any]]) -> None:
    """From each new page, every link answers; pages have no English slips (None, True…)."""
    starts = [f"/documents/{issues['document']['documents'][0]['id']}",
              f"/documents/{issues['scan']['documents'][0]['id']}",
              f"/documents/{issues['issue']['documents'][2]['id']}?view=source",
              f"/issues/id/{issues['document']['id']}", f"/issues/id/{issues['scan']['id']}",
              f"/issues/id/{issues['issue']['id']}/pages/26", f"/issues/id/{issues['scan']['id']}/pages/1"]
    checked: set[str] = set()
    lines = 0
    for start in starts:
        r = client.get(start, follow_redirects=True)
        assert r.status_code == 200, start
        page = parse(r.text)
        slips = ENGLISH.findall(" ".join(page.text))
        assert not slips, (start, slips)
        for link in page.links:
            parts = urlsplit(urljoin(start, link))
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.scheme or parts.netloc or link.startswith("#") or target in checked:
                continue
            checked.add(target)
            lines += "from=" in parts.query
            if parts.path.startswith("/static/") or ("from=" in parts.query and lines > 6):
                continue  # one link to the original lines per paragraph: a few are enough
            fetched = client.get(target, follow_redirects=True)
            assert fetched.status_code == 200 and fetched.content, target
    assert any(t.endswith(".png") or ".png?" in t for t in checked) and any("/original" in t for t in checked)
