"""The site in a real browser: Playwright drives Debian's chromium against a real uvicorn server.

Walks what a reader does — home page, a search, a document, its outline, a table, the XLSX export, an
issue's table of contents, the original lines, a page of a PDF original — and keeps a screenshot of each
page in test-artifacts/.
Skipped (with the reason) only where /usr/bin/chromium is not installed; .ci/apt-packages.txt installs it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from websupport import (
    ARTIFACTS,
    chromium,
    live_server,
    needs_chromium,
    open_page,
    originals,
    originals_server,
)

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from chromium()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context, pg, problems = open_page(browser, {"width": 1280, "height": 900})
    yield pg
    context.close()
    assert not problems, problems  # no script errors, no CSP violations


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_reader_journey(page: object) -> None:
    base = live_server()
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h2", has_text="公报与期刊").is_visible()
    shot(page, "01-home")

    page.fill(".big-search input[name=q]", "医疗保障")
    page.press(".big-search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    hits = page.locator("li.hit")
    assert hits.count() == 6  # the six documents that say 医疗保障 (4 of 中卫, 2 of 宁夏)
    assert page.locator("li.hit mark").first.is_visible()
    assert page.locator(".facets .facet").count() == 5  # 公报, 发文机关, 文种, 栏目, 年份
    shot(page, "02-search")

    hits.first.locator("h2 a").click()
    page.wait_for_url("**/documents/*")
    assert page.locator("h1#doc-title").is_visible()
    assert page.locator("dl.facts dt", has_text="文号").is_visible()
    shot(page, "03-document")

    # the outline: click a heading of the enclosed plan, land on it, see it marked as current
    link = page.locator("nav.outline ol ol a").nth(3)
    anchor = link.get_attribute("data-anchor")
    link.click()
    page.wait_for_function("a => location.hash === '#' + a", arg=anchor)
    target = page.locator(f"#{anchor}")
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    page.wait_for_selector(f"nav.outline a.active[data-anchor='{anchor}']")
    shot(page, "04-outline")


def test_search_titles_and_issuer_by_part_of_its_name(page: object) -> None:
    base = live_server()
    page.goto(base + "/search?q=" + "标题:规划")
    titles = page.locator("li.hit h2 a")
    before = titles.all_inner_texts()
    assert len(before) == 4 and all("规划" in t for t in before)
    page.locator("details.filters-more summary").click()
    page.fill("details.filters-more input[name=issuer]", "中卫")
    page.press("details.filters-more input[name=issuer]", "Enter")
    page.wait_for_url("**issuer=*")
    assert page.locator(".chips .chip", has_text="中卫").is_visible()
    issuers = page.locator(".facets .facet", has_text="发文机关").locator(".fv").all_inner_texts()
    assert issuers and all("中卫" in name for name in issuers)
    filtered = titles.all_inner_texts()
    assert len(filtered) == 2 and set(filtered) < set(before)  # the two 规划 titles of 中卫市人民政府办公室
    shot(page, "02b-search-issuer")
    # clearing the field (an empty issuer) is no filter at all
    page.fill("details.filters-more input[name=issuer]", "")
    page.press("details.filters-more input[name=issuer]", "Enter")
    page.wait_for_url("**issuer=&*")
    assert page.locator(".chips .chip", has_text="中卫").count() == 0
    assert titles.all_inner_texts() == before


def test_table_is_a_table_and_xlsx_downloads(page: object) -> None:
    base = live_server()
    page.goto(base + "/search?q=宁政发[2021]34号")
    page.wait_for_url("**/documents/*")
    table = page.locator("table.data").first
    table.scroll_into_view_if_needed()
    assert table.is_visible()
    assert table.locator("thead th").count() >= 3
    assert table.locator("tbody tr").count() >= 5
    assert table.locator("th", has_text="指标").count() == 1
    shot(page, "05-table")

    with page.expect_download() as info:
        page.click("#export-xlsx")
    download = info.value
    path = ARTIFACTS / "document.xlsx"
    ARTIFACTS.mkdir(exist_ok=True)
    download.save_as(str(path))
    assert download.suggested_filename.endswith(".xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(path.read_bytes()))
    assert "正文" in wb.sheetnames and "表1" in wb.sheetnames


def test_issue_page_and_original_lines(page: object) -> None:
    base = live_server()
    page.goto(base + "/")
    page.click("text=2022年第2期（总第688期）")
    page.wait_for_url("**/issues/**")
    assert page.locator(".masthead").is_visible()
    entries = page.locator("a.toc-link")
    assert entries.count() == 5
    assert page.locator("#problems").is_visible()
    shot(page, "06-issue")

    entries.nth(1).click()
    page.wait_for_url("**/documents/*")
    page.click("#toggle-source")
    page.wait_for_url("**view=source*")
    assert page.locator("table.lines tr").count() > 20
    shot(page, "07-source")


def test_other_pages_render(page: object) -> None:
    base = live_server()
    for path, name, heading in (("/units", "08-units", "单位任务"), ("/indicators", "09-indicators", "经济指标"),
                                ("/docs", "10-api-docs", "HTTP 接口"), ("/search?q=不存在的词语组合", "11-empty", "检索")):
        page.goto(base + path)
        assert page.locator("h1").first.inner_text().startswith(heading)
        shot(page, name)


def test_narrow_screen(browser: object) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    pg = context.new_page()
    pg.goto(live_server() + "/search?q=宁政办规发[2022]12号")
    pg.wait_for_url("**/documents/*")
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width  # no sideways scrolling of the page itself
    shot(pg, "12-mobile-document")
    context.close()


def test_original_page_shows_on_request(page: object) -> None:
    """A document printed with the gazette's page numbers: its page images load only when opened."""
    from gongbao.store import Archive

    with Archive(originals().data, readonly=True) as archive:
        [issue] = [i for i in archive.issues() if i["source_path"].endswith(originals().document_pdf.name)]
        [doc] = archive.issue_by_id(issue["id"])["documents"]
    images: list[str] = []
    page.on("request", lambda r: images.append(r.url) if ".png" in r.url else None)
    page.goto(originals_server() + f"/documents/{doc['id']}")
    assert page.locator("dd.doc-pages").inner_text().startswith("原件第1–4页")
    page.wait_for_load_state("networkidle")
    assert images == []  # nothing fetched before a page is asked for

    summary = page.locator("details.page-scan summary", has_text="查看原件第2页")
    summary.scroll_into_view_if_needed()
    summary.click()
    image = page.locator("#page-2 img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") > 500
    assert len(images) == 1 and "/pages/2.png" in images[0]
    summary.evaluate("el => el.scrollIntoView({block: 'start'})")
    shot(page, "13-original-page")

    page.click("#page-2 figcaption a")
    page.wait_for_url("**/pages/2")
    page.wait_for_function("() => document.querySelector('.page-figure img').naturalWidth > 0")
    page.click("a[rel=next]")
    page.wait_for_url("**/pages/3")
    assert page.locator("h1").inner_text().startswith("原件第3页")
    page.wait_for_function("() => document.querySelector('.page-figure img').naturalWidth > 0")
    shot(page, "14-page-viewer")


def test_validity_badge_warning_and_timeline(page: object) -> None:
    """A repealed document: its badge, the warning that links to the repealing decision, the timeline."""
    from websupport import lifecycle_server

    base = lifecycle_server()
    page.goto(base + "/search?q=化工园区&status=已废止&as_of=2024-06-01")
    assert page.locator("#status-filter").input_value() == "已废止"
    assert page.locator("li.hit .status-badge", has_text="已废止").first.is_visible()
    page.locator("li.hit h2 a", has_text="化工园区建设标准").click()
    page.wait_for_url("**/documents/*")
    page.goto(page.url + "?as_of=2024-06-01")
    shot(page, "19-document-repealed-badge")
    badge = page.locator("#status-badge")
    assert badge.inner_text() == "已废止" and "status-repealed" in (badge.get_attribute("class") or "")
    warning = page.locator("#repealed-warning")
    assert warning.is_visible() and "2023年5月1日" in warning.inner_text()
    events = page.locator("#timeline li")
    assert events.count() == 5
    assert "被《宁夏回族自治区人民政府关于废止和修改部分规范性文件的决定》废止" in events.nth(3).inner_text()
    page.locator("#lifecycle").scroll_into_view_if_needed()
    shot(page, "20-document-repealed-timeline")
    warning.locator("a").first.click()
    page.wait_for_url("**/documents/*")
    assert "废止和修改部分规范性文件的决定" in page.locator("h1#doc-title").inner_text()
    page.goto(base + "/expiring?days=60&as_of=2020-11-15")
    assert page.locator("#expiring-list tbody tr").count() == 1
    shot(page, "21-expiring")
