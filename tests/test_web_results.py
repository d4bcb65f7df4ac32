"""The search page's hits and facet links drawn in Python (gongbao.web.results), and query_url.

query_url is checked against the standard library's urlencode (what it replaced) on arbitrary parameters;
the drawn HTML is parsed back with lxml, so hostile text in any field must stay text."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from gongbao.web.render import query_url
from gongbao.web.results import facets_html, hits_html

HOSTILE = '<script>alert("x")</script> & \' " <mark>'

keys = st.sampled_from(["q", "gazette", "issuer", "kind", "category", "year", "sort", "page", "a b", "键&="])
values = st.one_of(st.none(), st.just(""), st.text(max_size=12), st.integers(min_value=0, max_value=3000))


def _reference(path: str, params: dict, **changes: object) -> str:
    merged = {k: v for k, v in params.items() if v not in (None, "")}
    for key, value in changes.items():
        if value in (None, ""):
            merged.pop(key, None)
        else:
            merged[key] = value
    if str(merged.get("page", "")) == "1":
        merged.pop("page")
    query = urlencode({k: str(v) for k, v in merged.items()})
    return f"{path}?{query}" if query else path


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, max_size=6), st.dictionaries(keys, values, max_size=3))
def test_query_url_equals_urlencode(params: dict, changes: dict) -> None:
    assert query_url("/search", params, **changes) == _reference("/search", params, **changes)


def _hit(**over: object) -> dict:
    hit = {"id": "ab/c&d", "title": "关于印发方案的通知", "title_html": "关于印发<mark>方案</mark>的通知",
           "doc_number": "宁政办发〔2022〕68号", "issuers": ["宁夏回族自治区人民政府办公厅", "财政厅"],
           "signed": "2022-09-30", "kind": "通知", "ocr": True, "status": "现行有效",
           "snippet": "为<mark>方案</mark>…", "gazette": "宁夏回族自治区人民政府公报",
           "issue": {"id": "i1", "gazette": "宁夏回族自治区人民政府公报", "year": 2022, "number": 20},
           "category": "自治区人民政府办公厅文件", "pages": {"first": 4, "last": 13}}
    hit.update(over)
    return hit


def test_hit_carries_every_fact_with_links_and_marks() -> None:
    tree = lxml_html.fragment_fromstring(f"<ol>{hits_html([_hit()])}</ol>")
    (li,) = tree.findall("li")
    assert li.find("h2/a").get("href") == "/documents/ab%2Fc%26d"
    assert [m.text for m in li.iter("mark")] == ["方案", "方案"]
    meta = li.find("p[@class='meta']")
    assert [s.text_content() for s in meta] == ["宁政办发〔2022〕68号", "宁夏回族自治区人民政府办公厅、财政厅",
                                                "2022年9月30日", "通知", "OCR", "现行有效"]
    assert meta.find("span/time").get("datetime") == "2022-09-30"
    assert "status-in-force" in meta[-1].get("class")
    sub = li.find("p[@class='meta sub']")
    assert [s.text for s in sub] == ["宁夏回族自治区人民政府公报", "2022年第20期", "自治区人民政府办公厅文件", "原件第4–13页"]


def test_hit_without_optional_facts_has_no_empty_elements() -> None:
    bare = {"id": "x", "title": "", "title_html": "", "snippet": "", "issuers": [], "issue": None}
    li = lxml_html.fragment_fromstring(hits_html([bare]))
    assert li.find("h2/a").text == "（无标题）"
    assert len(li.find("p[@class='meta']")) == 0 and li.find("p[@class='snippet']") is None


def test_hostile_text_in_every_field_stays_text() -> None:
    hit = _hit(id=HOSTILE, title=HOSTILE, title_html=HOSTILE, doc_number=HOSTILE, issuers=[HOSTILE],
               signed=HOSTILE, kind=HOSTILE, status=HOSTILE, snippet=HOSTILE, gazette=HOSTILE, issue=HOSTILE,
               category=HOSTILE)
    drawn = str(hits_html([hit]))
    tree = lxml_html.fragment_fromstring(f"<ol>{drawn}</ol>")
    assert not list(tree.iter("script"))
    assert "<script>" not in drawn
    assert HOSTILE.replace("<mark>", "") in tree.find("li/p[@class='meta sub']").text_content()


def test_facet_links_add_or_remove_one_value_and_keep_the_rest() -> None:
    params = {"q": "规划 & 方案", "kind": "通知", "sort": "date", "page": 3}
    options = {"kind": [("通知", 9), ("意见", 4)], "year": [("2022", 5)], "issuer": [], "gazette": [(HOSTILE, 1)]}
    aside = lxml_html.fragment_fromstring(f"<aside>{facets_html(options, {'kind': '通知'}, params)}</aside>")
    sections = aside.findall("section")
    assert [s.find("h2").text for s in sections] == ["文种", "年份", "公报"]  # facets without values left out
    links = {a.find("span[@class='fv']").text: a for a in aside.iter("a")}
    on = links["通知"]
    assert on.get("aria-current") == "true" and on.getparent().get("class") == "on"
    assert dict(parse_qsl(urlsplit(on.get("href")).query)) == {"q": "规划 & 方案", "sort": "date"}
    assert dict(parse_qsl(urlsplit(links["意见"].get("href")).query)) == {"q": "规划 & 方案", "kind": "意见",
                                                                          "sort": "date"}
    assert dict(parse_qsl(urlsplit(links["2022"].get("href")).query))["year"] == "2022"
    assert links[HOSTILE].find("span[@class='fc']").text == "1"
    assert not list(aside.iter("script"))
