"""What a reader meets outside the browser: search scoped to one issue or gazette (API, page, CLI), the
command line refusing unknown options, typed spreadsheet exports, the units list, the home page's counts,
the favicon, the citation of a document. Against the live server over the sample archive."""

from __future__ import annotations

import json

import httpx
import pytest
from websupport import archive_dir

ISSUE_2022_2 = ("宁夏回族自治区人民政府公报", 2022, 2)  # its documents were signed in 2021


def issue_json(web: httpx.Client, gazette: str, year: int, number: int) -> dict:
    return web.get(f"/api/v1/issues/{gazette}/{year}/{number}").json()


# ----------------------------------------------------------------------------------------- scoped search

def test_api_search_within_one_issue(web: httpx.Client) -> None:
    issue = issue_json(web, *ISSUE_2022_2)
    own = {d["id"] for d in issue["documents"]}
    # what the old link asked (gazette and the issue's year) misses the documents signed in 2021 and shows
    # another issue's
    by_year = {h["id"] for h in web.get("/api/v1/search", params={"gazette": ISSUE_2022_2[0], "year": 2022,
                                                                   "limit": 50}).json()["hits"]}
    assert not own <= by_year and by_year - own
    scoped = web.get("/api/v1/search", params={"issue": issue["id"], "limit": 50}).json()
    assert {h["id"] for h in scoped["hits"]} == own and scoped["total"] == len(own)
    # facets count within the scope
    assert sum(scoped["facets"]["gazette"].values()) == len(own)
    assert scoped["facets"]["gazette"] == {ISSUE_2022_2[0]: len(own)}
    # a query inside the issue: only the issue's documents, however many others say the word
    everywhere = web.get("/api/v1/search", params={"q": "医疗保障", "limit": 50}).json()
    inside = web.get("/api/v1/search", params={"q": "医疗保障", "issue": issue["id"], "limit": 50}).json()
    assert 0 < inside["total"] < everywhere["total"]
    assert {h["id"] for h in inside["hits"]} <= own
    # an unknown issue matches nothing, and an empty one is no filter
    assert web.get("/api/v1/search", params={"issue": "nope-1-1"}).json()["total"] == 0
    assert web.get("/api/v1/search", params={"issue": ""}).json()["total"] == \
        web.get("/api/v1/search").json()["total"]


def test_api_search_within_one_gazette(web: httpx.Client) -> None:
    result = web.get("/api/v1/search", params={"gazette": "中卫市人民政府公报", "limit": 50}).json()
    assert result["total"] == 12
    assert all(h["gazette"] == "中卫市人民政府公报" for h in result["hits"])
    assert list(result["facets"]["gazette"]) == ["中卫市人民政府公报"]


def test_search_page_names_its_issue_scope(web: httpx.Client) -> None:
    issue = issue_json(web, *ISSUE_2022_2)
    page = web.get(f"/issues/{ISSUE_2022_2[0]}/2022/2").text
    assert 'name="issue" value="' + issue["id"] + '"' in page
    html = web.get("/search", params={"issue": issue["id"], "q": "医疗保障"}).text
    assert 'id="search-scope"' in html and "2022年第2期" in html
    assert f'<input type="hidden" name="issue" value="{issue["id"]}">' in html


def test_cli_search_within_one_issue(capsys: pytest.CaptureFixture[str]) -> None:
    from gongbao.cli import main
    from gongbao.store import Archive

    with Archive(archive_dir(), readonly=True) as archive:
        [issue] = [i for i in archive.issues() if (i["year"], i["number"]) == (2022, 2)]
    assert main(["search", "", "--issue", issue["id"], "--json", "--data", str(archive_dir())]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["total"] == issue["document_count"]


def test_cli_refuses_unknown_options(capsys: pytest.CaptureFixture[str]) -> None:
    from gongbao.cli import main

    data = str(archive_dir())
    assert main(["search", "医疗", "--statu", "x", "--data", data]) == 2
    err = capsys.readouterr().err
    assert "--statu" in err and "--status" in err  # names the option and the one meant
    assert main(["search", "--bogus=1", "医疗", "--data", data]) == 2
    assert main(["search", "医疗", "-z", "--data", data]) == 2
    capsys.readouterr()
    # "-水" excludes 水: a query word, not an option
    assert main(["search", "医疗", "-水", "--json", "--data", data]) == 0
    out = json.loads(capsys.readouterr().out)
    assert main(["search", "医疗", "--json", "--data", data]) == 0
    assert out["total"] < json.loads(capsys.readouterr().out)["total"]
    # and real options still work
    assert main(["search", "医疗", "--status", "现行有效", "--json", "--data", data]) == 0


# ------------------------------------------------------------------- standalone documents, favicon

def test_standalone_documents_are_their_own_collection() -> None:
    from websupport import lifecycle_server

    with httpx.Client(base_url=lifecycle_server(), timeout=30) as client:
        gazettes = client.get("/api/v1/gazettes").json()["gazettes"]
        assert {g["name"] for g in gazettes} == {"宁夏回族自治区人民政府公报", "中卫市人民政府公报"}
        stats = client.get("/api/v1/stats").json()
        assert (stats["gazettes"], stats["issues"], stats["standalone"]) == (2, 3, 3)
        home = client.get("/").text
        assert "<strong>2</strong> 种公报" in home and "<strong>3</strong> 期" in home
        assert 'id="standalone"' in home and "宁夏回族自治区人民政府" in home
        page = client.get("/standalone")
        assert page.status_code == 200
        assert page.text.count('class="dl-title"') == 3
        assert "/gazettes/None" not in home


def test_favicon(web: httpx.Client) -> None:
    r = web.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/x-icon"
    assert r.content[:4] == b"\x00\x00\x01\x00"  # an ICO header


# ------------------------------------------------------------------------------------------------ units

def test_units_are_organs_with_their_variants(web: httpx.Client) -> None:
    units = web.get("/api/v1/units").json()["units"]
    names = [u["name"] for u in units]
    # groups and fragments are not units
    for noise in ("各县（区）人民政府", "各市、县（区）人民政府", "各市、县（区）", "各有关部门（单位）", "有关单位",
                  "各有关部门", "附件2的责任单位", "中卫市", "自治区推进“数字政府”建设领导小组成员单位"):
        assert noise not in names, noise
    # spellings of one organ are one row, the others listed
    by_name = {u["name"]: u for u in units}
    assert "市发展改革委" not in names and "市发展改革委" in by_name["市发展和改革委员会"]["variants"]
    assert "自治区市场监管厅（知识产权局）" in by_name["自治区市场监管厅"]["variants"]
    assert len(names) == len(set(names))
    html = web.get("/units").text
    assert "又作：市发展改革委" in html and "各有关部门" not in html.split("<tbody>")[1]
