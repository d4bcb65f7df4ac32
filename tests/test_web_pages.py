"""Server-rendered pages: content, Chinese throughout, escaping of source text, no broken links."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from websupport import doc_id


class Links(HTMLParser):
    """Collects hrefs/srcs and the visible text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def parse(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


# English a Chinese reader should never meet in a page (template slips: None, True, [], error pages).
ENGLISH = re.compile(r"(?<![\w-])(None|True|False|null|undefined|Not Found|Internal Server Error|Error|Search|"
                     r"Home|Page|Next|Previous|Document|Issue)(?![\w-])")


def test_home(web: httpx.Client) -> None:
    r = web.get("/")
    assert r.status_code == 200
    assert '<html lang="zh-CN">' in r.text
    for text in ("宁夏回族自治区人民政府公报", "中卫市人民政府公报", "2022年第19期", "最新文件", 'action="/search"'):
        assert text in r.text
    assert "/documents/" in r.text


def test_search_page(web: httpx.Client) -> None:
    r = web.get("/search", params={"q": "用水权"})
    assert r.status_code == 200
    assert "<mark>" in r.text and "宁政办发〔2021〕76号" in r.text
    assert "发文机关" in r.text and "文种" in r.text  # facets
    assert 'type="application/atom+xml"' in r.text
    assert "format=xlsx" in r.text


def test_search_filters_and_pagination(web: httpx.Client) -> None:
    r = web.get("/search", params={"q": "", "sort": "date"})
    assert "共 <strong>21</strong> 件" in r.text
    assert 'rel="next"' in r.text
    p2 = web.get("/search", params={"q": "", "sort": "date", "page": 2})
    assert p2.status_code == 200 and 'rel="prev"' in p2.text
    kind = web.get("/search", params={"q": "", "kind": "意见"})
    assert "已选" in kind.text and "文种：意见" in kind.text


@pytest.mark.parametrize("spelling", ["宁政办发[2022]68号", "宁政办发（2022）68号", "宁政办发〔2022〕 68 号",
                                      " 宁政办发(2022)68号 "])
def test_doc_number_goes_straight_to_document(web: httpx.Client, spelling: str) -> None:
    r = web.get("/search", params={"q": spelling}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/documents/{doc_id(web, '宁政办发〔2022〕68号')}"
    # and a 文号 typed into the URL where the id goes
    r = web.get("/documents/宁政办发[2022]68号", follow_redirects=False)
    assert r.status_code == 301


def test_document_page(web: httpx.Client) -> None:
    the_id = doc_id(web, "宁政办发〔2022〕68号")
    r = web.get(f"/documents/{the_id}")
    assert r.status_code == 200
    html = r.text
    for text in ("宁政办发〔2022〕68号", "宁夏回族自治区人民政府办公厅", "2022年11月19日", "通知",
                 "自治区人民政府办公厅文件", "2022年第19期", "（此件公开发布）", "提纲", "原文行",
                 "建设宁夏信用信息共享应用体系促进中小微企业融资的实施方案"):
        assert text in html, text
    # every outline entry points at an element of the page
    page = parse(html)
    anchors = [h[1:] for h in page.links if h.startswith("#") and len(h) > 1]
    assert len(anchors) > 10
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor
    # the annexes are there, printed or marked omitted
    assert "附件1" in html and "自治区公共信用信息基础目录（2021年版）" in html


def test_tables_render_as_tables_and_boxes_as_boxes(web: httpx.Client) -> None:
    html = web.get(f"/documents/{doc_id(web, '宁政发〔2021〕34号')}").text
    assert '<table class="data stackable">' in html and "<th" in html and "<td" in html
    assert 'class="box"' in html and "专栏1" in html
    assert "10.84%" in html


def test_source_text_is_shown_as_text_never_markup(web: httpx.Client) -> None:
    hits = web.get("/api/v1/search", params={"q": "医疗健康产业园", "limit": 5}).json()["hits"]
    assert hits
    the_id = hits[0]["id"]
    source = web.get(f"/documents/{the_id}", params={"view": "source"}).text
    assert "&lt;p&gt;" in source
    assert "<p>(1)" not in source
    text_view = web.get(f"/documents/{the_id}").text
    assert "<p>(1)" not in text_view and "<b>" not in text_view and "<sup>" not in text_view


def test_query_is_escaped(web: httpx.Client) -> None:
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    r = web.get("/search", params={"q": evil})
    assert r.status_code == 200
    assert "<script>alert(1)" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;" in r.text


def test_issue_page(web: httpx.Client) -> None:
    r = web.get("/issues/宁夏回族自治区人民政府公报/2022/19")
    assert r.status_code == 200
    for text in ("2022年 第19期", "（总第705期）", "2022年12月15日出版", "目　录", "【自治区人民政府文件】",
                 "校对报告", "文号写法不规范"):
        assert text in r.text, text
    doc_links = [h for h in parse(r.text).links if h.startswith("/documents/") and "?" not in h]
    assert len(set(doc_links)) == 4


def test_source_view_highlights_lines(web: httpx.Client) -> None:
    the_id = doc_id(web, "宁政办规发〔2022〕12号")
    doc = web.get(f"/api/v1/documents/{the_id}").json()
    start = doc["span"]["start_line"]
    r = web.get(f"/documents/{the_id}", params={"view": "source", "from": start, "to": start + 2})
    assert r.text.count('class="hl"') == 3
    assert f'id="L{start}"' in r.text


def test_search_form_with_untouched_fields_answers(web: httpx.Client) -> None:
    """The search page's own form sends every field, the empty ones included."""
    r = web.get("/search", params={"q": "规划", "sort": "relevance", "issuer": "", "date_from": "", "date_to": ""})
    assert r.status_code == 200 and 'class="hit' in r.text
    r = web.get("/search", params={"q": "规划", "issuer": "中卫", "date_from": "", "date_to": ""})
    assert r.status_code == 200 and "中卫" in r.text and 'name="issuer" value="中卫"' in r.text
    r = web.get("/search", params={"q": "规划", "date_from": "2022-13-01"})
    assert r.status_code == 400 and "请求有误" in r.text


def test_errors_are_chinese_pages(web: httpx.Client) -> None:
    r = web.get("/documents/nope-0000-00-00")
    assert r.status_code == 404 and "未找到" in r.text and '<html lang="zh-CN">' in r.text
    r = web.get("/search", params={"page": "abc"})
    assert r.status_code == 400 and "请求有误" in r.text
    r = web.get("/no/such/page")
    assert r.status_code == 404 and "返回首页" in r.text


def test_units_and_indicators_pages(web: httpx.Client) -> None:
    assert web.get("/units").status_code == 200
    r = web.get("/indicators")
    assert r.status_code == 200 and "经济指标" in r.text
    series = web.get("/api/v1/indicators").json()["indicators"]
    assert series and all("chart" not in s for s in series)  # the API gives numbers, the page draws
    assert r.text.count("<svg") >= len(series)
    # every series links to the printed lines its latest value came from
    for s in series:
        last = s["points"][-1]
        start = last["span"]["start_line"]
        url = f"/documents/{last['document_id']}?view=source&amp;from={start}&amp;to={last['span']['end_line']}#L{start}"
        assert f'<a href="{url}">出处</a>' in r.text, s["name"]
    csv = web.get("/indicators.csv")
    assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("指标,规范名称,") and len(lines) == 1 + sum(len(s["points"]) for s in series)


def test_later_pages_of_a_doc_number_search_do_not_deny_it(web: httpx.Client) -> None:
    """Page 1 of a 文号 search goes to its document; page 2 lists results and must not claim that no
    document carries the number."""
    r = web.get("/search", params={"q": "宁政办发〔2022〕68号", "page": 2})
    assert r.status_code == 200 and "档案中没有文号为" not in r.text
    r = web.get("/search", params={"q": "宁政办发〔2099〕1号"})
    assert r.status_code == 200 and "档案中没有文号为“宁政办发〔2099〕1号”的文件" in r.text


def test_every_link_works_and_pages_are_chinese(web: httpx.Client) -> None:
    """Crawl the site from the home page: no broken link, no empty page, no English slips."""
    seen: set[str] = set()
    queue = ["/", "/search", "/units", "/indicators", "/docs", "/about"]
    pages = files = line_links = searches = units = 0
    while queue and pages < 300:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        r = web.get(path, follow_redirects=True)
        pages += 1
        assert r.status_code == 200, path
        page = parse(r.text)
        text = " ".join(page.text)
        assert len(text.strip()) > 50, path
        slips = ENGLISH.findall(text)
        assert not slips, (path, slips)
        for link in page.links:
            parts = urlsplit(urljoin(path, link))
            if parts.scheme or parts.netloc or link.startswith("#"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen:
                continue
            if parts.path.startswith("/units/"):
                units += 1  # one page (and one XLSX ledger) per organ: a sample is enough
                if units > 24:
                    continue
            if parts.path.startswith(("/api/", "/static/", "/feed", "/openapi")) or parts.path.endswith(
                    (".csv", ".xlsx")):
                seen.add(target)  # downloads, feeds, assets: fetched once, not crawled
                files += 1
                fetched = web.get(target, follow_redirects=True)
                assert fetched.status_code == 200 and fetched.content, target
            elif "from=" in parts.query:
                line_links += 1  # one per paragraph: check a sample
                if line_links % 40 == 1:
                    queue.append(target)
            elif parts.path == "/search" and parts.query:
                searches += 1
                if searches <= 40:
                    queue.append(target)
            else:
                queue.append(target)
    assert pages > 40 and files > 20


@pytest.mark.parametrize("q", ["***", "NOT", "OR OR"])
def test_unsearchable_query_says_why_in_chinese(web: httpx.Client, q: str) -> None:
    r = web.get("/search", params={"q": q})
    assert r.status_code == 400  # the client's mistake, said on the search page
    assert "无法按此检索式检索" in r.text and "query has" not in r.text


def test_bad_parameter_page_is_chinese(web: httpx.Client) -> None:
    r = web.get("/search", params={"q": "字" * 201, "page": "x"})
    assert r.status_code == 400
    assert "检索词不能超过 200 个字" in r.text and "页码应为整数" in r.text
    assert "String should" not in r.text


def test_snippet_sanitiser_lets_only_mark_through() -> None:
    from gongbao.web.render import safe_snippet

    out = str(safe_snippet('前<mark>残疾人</mark><script>alert(1)</script>&lt;b&gt;<img src=x onerror=1><mark>未闭合'))
    assert out.startswith("前<mark>残疾人</mark>")
    assert "<script>" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out and "&lt;b&gt;" in out
    assert out.count("<mark>") == out.count("</mark>") == 2


def test_charts_escape_labels() -> None:
    from gongbao.web.svg import bar_chart, line_chart

    for svg in (bar_chart([("<script>x</script>", 1.0), ("进口", -1.0)], title="<b>t</b>"),
                line_chart([("<i>2021</i>", 1.0), ("2022", None), ("2023", 3.0)], title="x&y", unit="<u>")):
        text = str(svg)
        assert text.startswith("<svg") and "<script>" not in text and "<b>" not in text and "<i>" not in text
