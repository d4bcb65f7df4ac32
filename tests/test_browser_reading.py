"""What a reader notices, in real Chromium at desktop and phone widths (issue 14): search within one issue
or gazette, wide tables readable (full width, sticky header rows, stacked on a phone, merged cells
merged, each table downloadable), typed spreadsheet exports, the units list, standalone documents as their
own collection, "cite this" and printing, and WCAG 2.1 AA checked by axe-core on every kind of page.

One server (the sample issues plus three standalone documents) for the module; a screenshot of each step
is kept in test-artifacts/. Skipped with the reason where chromium (or, for the accessibility check,
axe-core from ``npm install``) is missing.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websupport import ARTIFACTS, ROOT, chromium, doc_id, lifecycle_server, needs_chromium, open_page

AXE = Path(os.environ.get("GONGBAO_AXE", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
DESKTOP = {"width": 1280, "height": 900}
WIDE = {"width": 1600, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def base() -> str:
    return lifecycle_server()


@pytest.fixture(scope="module")
def api(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from chromium()


@pytest.fixture(params=list(SIZES))
def sized(request: pytest.FixtureRequest, browser: object) -> Iterator[tuple[str, object]]:
    """A page at desktop and at phone width; no script errors or CSP violations allowed."""
    context, page, problems = open_page(browser, SIZES[request.param])
    yield request.param, page
    context.close()
    assert not problems, problems


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context, pg, problems = open_page(browser, DESKTOP)
    yield pg
    context.close()
    assert not problems, problems


def shot(page: object, name: str, *, full: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


# ------------------------------------------------------------------------------------------ 1. scope

def test_search_within_an_issue(sized: tuple[str, object], base: str, api: httpx.Client) -> None:
    size, page = sized
    issue = api.get("/api/v1/issues/宁夏回族自治区人民政府公报/2022/2").json()
    own = {d["id"] for d in issue["documents"]}
    expected = api.get("/api/v1/search", params={"q": "医疗保障", "issue": issue["id"]}).json()["total"]
    assert 0 < expected < api.get("/api/v1/search", params={"q": "医疗保障"}).json()["total"]

    page.goto(base + "/issues/宁夏回族自治区人民政府公报/2022/2")
    page.fill("#issue-q", "医疗保障")
    page.press("#issue-q", "Enter")
    page.wait_for_url("**issue=*")
    hits = page.locator("li.hit")
    assert hits.count() == expected
    links = [a.get_attribute("href") for a in page.locator("li.hit h2 a").all()]
    assert {h.rsplit("/", 1)[1] for h in links} <= own
    assert "2022年第2期" in page.locator("#search-scope").inner_text()
    assert page.locator(".chips .chip", has_text="本期").is_visible()
    if size == "desktop":  # the facets count within the issue
        gazettes = page.locator(".facets .facet", has_text="公报").locator(".fc").all_inner_texts()
        assert gazettes == [str(expected)]
    shot(page, f"30-search-in-issue-{size}")

    # "本期全部文件": every document of the issue, and none of another
    page.goto(base + "/issues/宁夏回族自治区人民政府公报/2022/2")
    page.click("#issue-all")
    page.wait_for_url("**issue=*")
    assert page.locator("li.hit").count() == len(own)


def test_search_within_a_gazette(page: object, base: str) -> None:
    page.goto(base + "/gazettes/中卫市人民政府公报")
    page.fill("#gazette-q", "规划")
    page.press("#gazette-q", "Enter")
    page.wait_for_url("**gazette=*")
    subs = page.locator("li.hit .meta.sub").all_inner_texts()
    assert subs and all("中卫市人民政府公报" in s for s in subs)
    shot(page, "31-search-in-gazette")


# ------------------------------------------------------------------------------------------ 2. tables

def test_wide_table_full_width_with_sticky_header(browser: object, base: str, api: httpx.Client) -> None:
    context, page, problems = open_page(browser, WIDE)
    page.goto(base + f"/documents/{doc_id(api, '卫政办发〔2019〕1号')}")
    figure = page.locator("figure.table-block.wide").filter(has=page.locator("th", has_text="类别")).first
    figure.scroll_into_view_if_needed()
    box = figure.bounding_box()
    column = page.locator("article.doc").bounding_box()
    assert box["width"] > column["width"] and box["width"] >= 1400, (box, column)  # not squeezed beside the outline
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDE["width"]
    # merged cells as printed: 类别 A spans its fifteen rows
    assert figure.locator("td[rowspan='15']").count() == 1
    # the header row stays in view while the table scrolls
    scroller = figure.locator(".table-scroll")
    scroller.evaluate("el => el.scrollTop = 600")
    page.wait_for_timeout(100)
    head = figure.locator("thead").bounding_box()
    frame = scroller.bounding_box()
    assert abs(head["y"] - frame["y"]) <= 2, (head, frame)
    assert figure.locator("thead th", has_text="类别").is_visible()
    shot(page, "32-wide-table-desktop")

    # each table downloads as XLSX (typed) and CSV
    with page.expect_download() as info:
        figure.locator("a.table-xlsx").click()
    path = ARTIFACTS / "table.xlsx"
    info.value.save_as(str(path))
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    assert ws["A2"].value == "类别" and ws.freeze_panes == "A3"
    assert any(c.data_type == "n" for row in ws.iter_rows(min_row=3) for c in row if c.value is not None)
    with page.expect_download() as info:
        figure.locator("a", has_text="CSV").click()
    assert info.value.suggested_filename.endswith(".csv")
    context.close()
    assert not problems, problems


def test_tables_stack_on_a_phone(browser: object, base: str, api: httpx.Client) -> None:
    context, page, problems = open_page(browser, PHONE)
    page.goto(base + f"/documents/{doc_id(api, '宁政发〔2021〕34号')}")
    table = page.locator("table.data.stackable").first
    table.scroll_into_view_if_needed()
    cell = table.locator("tbody td[data-label]").nth(1)
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert cell.get_attribute("data-label") in label
    width = cell.bounding_box()["width"]
    assert width > 250, width  # a whole line for each value, not a column two characters wide
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 10
    shot(page, "33-table-phone")
    context.close()
    assert not problems, problems


def test_annex_list_is_shown_once(page: object, base: str, api: httpx.Client) -> None:
    page.goto(base + f"/documents/{doc_id(api, '宁政办发〔2022〕68号')}")
    printed = page.locator(".doc-body p.p", has_text="附件：")
    generated = page.locator(".annex-list")
    assert printed.count() + generated.count() == 1


# ---------------------------------------------------------------------------------------- 3. exports

def test_search_xlsx_has_dates_and_numbers(page: object, base: str) -> None:
    page.goto(base + "/search?q=规划")
    with page.expect_download() as info:
        page.click("#search-xlsx")
    path = ARTIFACTS / "search.xlsx"
    info.value.save_as(str(path))
    from openpyxl import load_workbook

    ws = load_workbook(path)["检索结果"]
    header = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2))
    signed = [r[header.index("成文日期")] for r in rows if r[header.index("成文日期")].value is not None]
    assert signed and all(c.is_date for c in signed)
    assert all(r[header.index("序号")].data_type == "n" for r in rows)
    assert ws.freeze_panes == "A2"


# ------------------------------------------------------------------------------ 4. units, 6. standalone

def test_units_list_merges_variants(page: object, base: str) -> None:
    page.goto(base + "/units")
    rows = page.locator("table.listing tbody tr")
    names = rows.locator("td:first-child a").all_inner_texts()
    assert "市发展和改革委员会" in names and "市发展改革委" not in names
    assert "各有关部门" not in names and "中卫市" not in names
    assert rows.filter(has_text="市发展和改革委员会").locator(".variants").inner_text() == "（又作：市发展改革委）"
    shot(page, "34-units")


def test_standalone_documents_are_a_collection(sized: tuple[str, object], base: str) -> None:
    size, page = sized
    page.goto(base + "/")
    stats = page.locator("ul.stats").inner_text()
    assert "2\n种公报" in stats or "2 种公报" in stats
    assert "3\n期" in stats or "3 期" in stats
    assert page.locator("#standalone").is_visible()
    shot(page, f"35-home-{size}")
    page.click("#standalone h3 a")
    page.wait_for_url("**/standalone")
    assert page.locator("a.dl-title").count() == 3
    shot(page, f"36-standalone-{size}")
    page.locator("a.dl-title").first.click()
    page.wait_for_url("**/documents/*")
    assert page.locator("nav.crumbs a", has_text="单独收录的文件").is_visible()


# ------------------------------------------------------------------------------------- 5. cite, print

def test_cite_this_document(page: object, base: str, api: httpx.Client) -> None:
    the_id = doc_id(api, "宁政办规发〔2022〕12号")
    page.goto(base + f"/documents/{the_id}")
    page.click("#cite summary")
    reference = page.locator("#cite-gbt")
    assert reference.is_visible()
    text = reference.inner_text()
    assert "宁政办规发〔2022〕12号" in text and "[J]. 宁夏回族自治区人民政府公报, 2022(19)" in text
    assert page.locator("#cite-link").get_attribute("href") == f"{base}/documents/{the_id}"
    shot(page, "37-cite")
    # a standalone document is an electronic resource with its permanent link
    standalone = api.get("/api/v1/search", params={"q": "化工园区建设标准"}).json()["hits"]
    doc = next(h for h in standalone if not h["gazette"])
    page.goto(base + f"/documents/{doc['id']}")
    page.click("#cite summary")
    assert "[EB/OL]" in page.locator("#cite-gbt").inner_text()
    assert f"{base}/documents/{doc['id']}" in page.locator("#cite-gbt").inner_text()


def test_document_prints_as_the_gazette_printed_it(page: object, base: str, api: httpx.Client) -> None:
    page.goto(base + f"/documents/{doc_id(api, '宁政办规发〔2022〕12号')}")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".outline", ".doc-tools", ".facts", ".crumbs", ".kicker"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("h1#doc-title", ".doc-number", ".doc-body", ".signature"):
        assert page.locator(shown).first.is_visible(), shown
    title = page.locator("h1#doc-title").bounding_box()
    number = page.locator(".doc-number").bounding_box()
    body = page.locator(".doc-body").bounding_box()
    signature = page.locator(".signature").first.bounding_box()
    assert title["y"] < number["y"] < body["y"] < signature["y"]  # title, 文号, body, signature
    shot(page, "38-print", full=True)
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "38-print.pdf"), format="A4")


# ------------------------------------------------------------------------------------- 6. accessibility

SERIOUS = ("serious", "critical")
# what the issue found, checked whatever axe's impact for them: contrast, links told by colour only,
# skipped heading levels, regions with the same label, empty table headers
NAMED = ("color-contrast", "link-in-text-block", "heading-order", "landmark-unique", "empty-table-header")


def page_kinds(api: httpx.Client) -> list[str]:
    issue = api.get("/api/v1/issues/宁夏回族自治区人民政府公报/2022/2").json()
    unit = api.get("/api/v1/units").json()["units"][0]["name"]
    standalone = next(h for h in api.get("/api/v1/search", params={"q": "", "limit": 50}).json()["hits"]
                      if not h["gazette"])
    tables = doc_id(api, "卫政办发〔2019〕1号")
    return [
        "/", "/search?q=医疗保障", f"/search?issue={issue['id']}&q=医疗", "/search?q=不存在的词语组合",
        f"/documents/{tables}", f"/documents/{doc_id(api, '宁政发〔2021〕34号')}",
        f"/documents/{tables}?view=source", f"/documents/{standalone['id']}",
        "/issues/宁夏回族自治区人民政府公报/2022/2", f"/issues/id/{standalone['issue']['id']}",
        "/gazettes/中卫市人民政府公报", "/standalone", "/units", f"/units/{unit}", "/indicators",
        "/expiring?days=3650&as_of=2020-01-01", "/docs", "/about", "/no-such-page",
    ]


@pytest.mark.skipif(not AXE.exists(), reason=f"{AXE} missing: run npm install (scripts/setup does)")
@pytest.mark.parametrize("size", list(SIZES))
def test_every_kind_of_page_meets_wcag_aa(browser: object, base: str, api: httpx.Client, size: str) -> None:
    """axe-core over every kind of page: no serious or critical violation of WCAG 2.1 A/AA or of axe's
    best practices, and none at all of the kinds the issue found."""
    # axe is injected through the DevTools protocol; the site's CSP (no inline script) is bypassed for it
    context, page, _ = open_page(browser, SIZES[size], bypass_csp=True)
    report, failures = axe_failures(page, base, page_kinds(api))
    context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{size}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    assert not failures, failures


def axe_failures(page: object, base: str, paths: list[str]) -> tuple[dict[str, list[dict]], list]:
    source = AXE.read_text(encoding="utf-8")
    report: dict[str, list[dict]] = {}
    failures = []
    for path in paths:
        page.goto(base + path)
        page.evaluate(source)
        result = page.evaluate("""() => axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})""")
        found = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                 for v in result["violations"]]
        report[path] = found
        failures += [(path, v) for v in found if v["impact"] in SERIOUS or v["id"] in NAMED]
    return report, failures


@pytest.mark.skipif(not AXE.exists(), reason=f"{AXE} missing: run npm install (scripts/setup does)")
def test_original_pages_meet_wcag_aa(browser: object) -> None:
    """The pages of paginated originals (a PDF issue, a document printed alone, a scan): the issue, its
    documents with their page images, and the page viewer."""
    from websupport import originals, originals_server

    from gongbao.store import Archive

    with Archive(originals().data, readonly=True) as archive:
        issues = archive.issues()
        docs = [archive.issue_by_id(i["id"])["documents"][0]["id"] for i in issues]
    paths = [f"/issues/id/{issues[0]['id']}/pages/1", *(f"/issues/id/{i['id']}" for i in issues),
             *(f"/documents/{d}" for d in docs)]
    context, page, _ = open_page(browser, DESKTOP, bypass_csp=True)
    report, failures = axe_failures(page, originals_server(), paths)
    context.close()
    (ARTIFACTS / "axe-originals.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    assert not failures, failures


def test_favicon_in_the_browser(page: object, base: str) -> None:
    # what the browser asks for by itself (a page's image view would trip the CSP on its own inline style)
    response = page.request.get(base + "/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/x-icon"
    assert io.BytesIO(response.body()).read(4) == b"\x00\x00\x01\x00"
