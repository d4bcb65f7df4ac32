"""Government portal pages: the 30 real gov.cn pages of the standalone corpus (every 文号, issuer and date of
their metadata tables, and the parse of each page against the hand-checked facts), provincial pages in
the layouts of the TRS and Hanweb CMSs written here from corpus text, 解读 and list pages, and the
metadata box's labels read however they are spaced."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import types
from pathlib import Path

import docforms
import pytest
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from gongbao import docnumber
from gongbao.errors import UnusableInput
from gongbao.parse.metadata import parse_number, same_number, split_issuers
from gongbao.pipeline import load_bytes, load_issue
from gongbao.sources import portal
from gongbao.sources.html import read_html
from gongbao.textnorm import match_key

STANDALONE = docforms.STANDALONE
if not (STANDALONE / "expected.json").exists():
    pytest.skip("the standalone corpus (shared/corpus/standalone) is not here", allow_module_level=True)
EXPECTED: dict[str, dict] = json.loads((STANDALONE / "expected.json").read_text(encoding="utf-8"))
PAGES = sorted(EXPECTED)


def _number(text: str):
    number = parse_number(text)
    assert number is not None, text
    return number


@pytest.mark.parametrize("name", PAGES)
def test_metadata_table_of_a_real_page(name: str) -> None:
    exp = EXPECTED[name]
    meta = read_html((STANDALONE / f"{name}.html").read_bytes()).metadata
    assert meta["doc_number"] == exp["doc_number"]
    assert split_issuers(meta["issuer"]) == exp["issuers"]
    assert meta["signed"] == exp["signed"] and meta["published"] == exp["published"]
    assert meta["index_number"] == exp["index_number"] and meta["topic"] == exp["topic"]
    assert meta["title"] == exp["title"]
    assert "page_kind" not in meta


@pytest.mark.parametrize("name", PAGES)
def test_real_page_body_is_the_document_as_copied(name: str) -> None:
    """The page's body reads line for line as the corpus' copy of the document (whose one difference is
    gov.cn's double-escaped &sp;, shown as text on the page and dropped by the reader)."""
    reading = read_html((STANDALONE / f"{name}.html").read_bytes())
    text = (STANDALONE / f"{name}.txt").read_text(encoding="utf-8")
    copied = [re.sub(r"\s*&sp;\s*", "", ln).strip(" \u3000") for ln in text.split("\n") if ln.strip()]
    assert [ln.strip(" \u3000") for ln in reading.lines] == copied
    assert reading.format == "html" and reading.encoding == "utf-8"


@pytest.mark.parametrize("name", PAGES)
def test_parse_of_a_real_page_gives_the_hand_checked_facts(name: str) -> None:
    exp = EXPECTED[name]
    issue = load_issue(STANDALONE / f"{name}.html")
    assert issue.source.format == "html" and len(issue.documents) == 1 and not issue.toc
    doc = issue.documents[0]
    assert match_key(doc.title) == match_key(exp["title"])
    assert same_number(doc.doc_number, _number(exp["doc_number"]))
    assert doc.issuers == exp["issuers"]
    mismatches = [p.message for p in issue.problems if p.kind == "metadata_mismatch"]
    if exp["signed_printed"]:
        assert doc.signed.isoformat() == exp["signed"] and not mismatches
    else:
        # the portal's 成文日期 disagrees with the printed date: the record keeps the printed one, the
        # source keeps the portal's, and the editor is told
        assert doc.signed.isoformat() == exp["signature_date_in_text"]
        assert issue.source.metadata["signed"] == exp["signed"]
        assert mismatches == [f"成文日期与网页元数据不一致：正文落款“{exp['signature_date_in_text']}”，"
                              f"元数据“{exp['signed']}”"]


def test_real_pages_give_the_documents_of_their_text() -> None:
    """Page and copied text agree on the documents and their 文号 and dates; where they differ the page
    knows more (the title's organ line, the register spelling of the issuer)."""
    from gongbao.parse import parse_text

    for name in PAGES:
        page = load_issue(STANDALONE / f"{name}.html")
        text = parse_text((STANDALONE / f"{name}.txt").read_text(encoding="utf-8"))
        assert len(page.documents) == len(text.documents) == 1, name
        p, t = page.documents[0], text.documents[0]
        assert same_number(p.doc_number, t.doc_number), name
        assert match_key(p.title).endswith(match_key(t.title)), name
        if name != "govcn-52":  # the copy's "国务院办公厅 &sp;" hides the signature the page shows
            assert p.signed == t.signed, name


# --------------------------------------------------------------------------- provincial pages


def _facts(name: str) -> dict[str, str]:
    exp = EXPECTED[name]
    y, m, d = exp["signed"].split("-")
    return {"title": exp["title"], "doc_number": exp["doc_number"], "issuer": "　".join(exp["issuers"]),
            "signed": exp["signed"], "signed_cn": f"{y}年{m}月{d}日", "published": exp["published"],
            "index_number": exp["index_number"], "topic": exp["topic"]}


def _lines(name: str) -> list[str]:
    return [ln for ln in (STANDALONE / f"{name}.txt").read_text(encoding="utf-8").split("\n") if ln.strip()]


def test_trs_page_whose_body_prints_neither_title_nor_number() -> None:
    """The title only in <h1> and <meta name=ArticleTitle>, the 文号 only in the metadata box."""
    name = "govcn-06"
    lines = _lines(name)
    k = next(i for i, ln in enumerate(lines) if docnumber.parse(ln))
    body = lines[k + 1:]  # from the addressees on
    page = docforms.province_page_trs(body, _facts(name))
    reading = read_html(page)
    exp = EXPECTED[name]
    assert reading.metadata == {"index_number": exp["index_number"], "issuer": "国务院办公厅",
                                "topic": exp["topic"], "doc_number": exp["doc_number"],
                                "signed": exp["signed"], "published": exp["published"], "title": exp["title"]}
    assert reading.lines[0] == exp["title"] and reading.lines[1:] == body
    issue = load_bytes(page, "trs.html")
    doc = issue.documents[0]
    assert doc.title == exp["title"] and doc.doc_number.canonical == exp["doc_number"]
    assert doc.issuers == exp["issuers"] and doc.signed.isoformat() == exp["signed"]
    assert doc.addressees and not [p for p in issue.problems if p.kind == "metadata_mismatch"]


def _ningxia_document() -> tuple[list[str], dict[str, str], object]:
    """A provincial document as its portal publishes it: one document of the Ningxia gazette."""
    issue = load_issue(SAMPLES / "ningxia-2022-19.txt")
    doc = issue.documents[2]
    lines = issue.lines[doc.span.start_line - 1: doc.span.end_line]
    facts = {"title": "宁夏回族自治区人民政府办公厅" + doc.title.removeprefix("自治区人民政府办公厅"),
             "doc_number": doc.doc_number.printed, "issuer": doc.issuers[0], "signed": doc.signed.isoformat(),
             "published": issue.gazette.published.isoformat(), "index_number": "640000000/2022-00412",
             "topic": "卫生、体育\\医药管理"}
    return lines, facts, doc


def test_hanweb_page_in_gb2312_fills_the_date_the_body_does_not_print() -> None:
    lines, facts, printed = _ningxia_document()
    date_line = next(i for i, ln in enumerate(lines) if re.fullmatch(r"\s*\d{4}年\d{1,2}月\d{1,2}日\s*", ln))
    body = lines[:date_line] + lines[date_line + 1:]
    page = docforms.province_page_hanweb(body, facts)
    reading = read_html(page)
    assert reading.encoding == "gb18030"
    assert {k: reading.metadata[k] for k in facts} == facts
    issue = load_bytes(page, "hanweb.html")
    doc = issue.documents[0]
    assert doc.doc_number.canonical == printed.doc_number.canonical
    assert doc.issuers == printed.issuers and doc.signed == printed.signed
    # the body's title uses the short form of the organ the portal spells out: the same title
    assert doc.title == printed.title
    assert not [p for p in issue.problems if p.kind in ("metadata_mismatch", "missing_signature")]


def test_metadata_that_disagrees_with_the_body_is_kept_beside_it() -> None:
    lines, facts, printed = _ningxia_document()
    wrong = facts | {"doc_number": "宁政办规发〔2022〕21号", "signed": "2022-11-20", "issuer": "宁夏回族自治区卫生健康委员会",
                     "title": "关于另一件事的通知"}
    issue = load_bytes(docforms.province_page_hanweb(lines, wrong), "wrong.html")
    doc = issue.documents[0]
    assert (doc.doc_number.canonical, doc.signed, doc.issuers, doc.title) == (
        printed.doc_number.canonical, printed.signed, printed.issuers, printed.title)
    assert {k: issue.source.metadata[k] for k in ("doc_number", "signed", "issuer", "title")} == {
        k: wrong[k] for k in ("doc_number", "signed", "issuer", "title")}
    messages = [p.message for p in issue.problems if p.kind == "metadata_mismatch"]
    assert len(messages) == 4 and all("元数据" in m for m in messages)
    assert any("宁政办规发〔2022〕21号" in m and printed.doc_number.canonical in m for m in messages)
    assert all(p.document == 0 and p.span is not None for p in issue.problems if p.kind == "metadata_mismatch")


def test_interpretation_page_is_a_document_of_kind_interpretation() -> None:
    explained = EXPECTED["govcn-06"]["title"]
    paragraphs = ["近日，国务院办公厅印发了通知，部署开展城镇小区配套幼儿园治理工作。", "一、出台背景",
                  "城镇小区配套幼儿园是城镇公共服务设施建设的重要内容。", "二、主要内容", "通知明确了治理任务。"]
    page = docforms.interpretation_page(explained, paragraphs)
    reading = read_html(page)
    assert reading.metadata["page_kind"] == "解读" and reading.metadata["interprets"] == explained
    issue = load_bytes(page, "jd.html")
    assert [d.kind for d in issue.documents] == ["解读"]
    assert issue.documents[0].doc_number is None and issue.source.metadata["interprets"] == explained


def test_list_page_and_empty_page_are_refused(tmp_path: Path) -> None:
    titles = [EXPECTED[n]["title"] for n in PAGES[:15]]
    with pytest.raises(UnusableInput, match="这是栏目列表页，不是公文"):
        read_html(docforms.list_page(titles))
    with pytest.raises(UnusableInput, match="没有正文"):
        read_html(b"<!DOCTYPE html><html><head><title>x</title></head><body><div></div></body></html>")
    files = {"list.html": (docforms.list_page(titles), "列表页"),
             "nobody.htm": (b"<html><head><meta charset=utf-8><title>t</title></head><body>\n</body></html>",
                            "没有正文")}
    for name, (data, words) in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = subprocess.run([sys.executable, "-m", "gongbao", "parse", str(path)], capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1 and words in result.stderr and name in result.stderr


def test_trafilatura_is_the_fallback_when_no_block_reads_as_a_body(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def extract(html: str, **kwargs: object) -> str:
        calls.append(html)
        return "国务院办公厅关于测试的通知\n国办发〔2019〕1号\n各省人民政府：\n现予通知。\n国务院办公厅\n2019年1月1日"

    monkeypatch.setitem(sys.modules, "trafilatura", types.SimpleNamespace(extract=extract))
    # the text sits in list items only: no content block, no paragraph text, too few links for a list page
    page = ("<html><body><ul>" + "".join(f"<li>{t}</li>" for t in ("第一项", "第二项")) + "</ul></body></html>").encode()
    reading = read_html(page)
    assert calls and reading.lines[1] == "国办发〔2019〕1号"


# --------------------------------------------------------------------------- the metadata box's labels

_SPACES = st.sampled_from(["", " ", "\u3000", "\u00a0", "  ", "\u3000\u3000"])
_VALUES = {"doc_number": "国办发〔2019〕6号", "issuer": "国务院办公厅", "signed": "2019年01月22日",
           "published": "2019-02-14", "index_number": "000014349/2019-00006", "topic": "财政、金融、审计\\银行",
           "title": "国务院办公厅关于有效发挥政府性融资担保基金作用的指导意见"}
_READ = {"signed": "2019-01-22", "published": "2019-02-14"}


@st.composite
def labelled(draw: st.DrawFn, field: str) -> list[str]:
    label = draw(st.sampled_from(portal.LABELS[field]))
    gap = draw(_SPACES)
    spaced = gap.join(label)
    colon = draw(st.sampled_from(["：", ":", ""]))
    around = draw(st.sampled_from([("", ""), ("【", "】"), ("[", "]")])) if colon else ("", "")
    cell = f"{around[0]}{spaced}{around[1]}{colon}"
    if draw(st.booleans()):  # the value in its own cell (a table, a <dl>)
        return [cell, _VALUES[field]]
    if not colon:
        cell += draw(st.sampled_from([" ", "\u3000"]))
    return [cell + draw(_SPACES) + _VALUES[field]]


@settings(max_examples=200, deadline=None)
@given(st.data(), st.permutations(list(_VALUES)))
def test_labels_are_read_however_they_are_spaced(data: st.DataObject, order: list[str]) -> None:
    cells: list[str] = ["当前位置：首页 > 政务公开", "字号：大 中 小"]
    for field in order:
        cells += data.draw(labelled(field))
        if data.draw(st.booleans()):
            cells.append("")  # an empty cell between pairs
    got = portal.read_cells(cells)
    assert got == {f: _READ.get(f, v) for f, v in _VALUES.items()}


def test_several_labelled_values_in_one_cell_and_meta_tags() -> None:
    cells = ["发文机关：国务院　成文日期：2018年12月21日 | 发布日期：2018-12-29 10:30", "主 题 词：", "",
             "有效性：有效"]
    assert portal.read_cells(cells) == {"issuer": "国务院", "signed": "2018-12-21", "published": "2018-12-29"}
    assert portal.from_meta_tags({"articletitle": "关于测试的通知", "pubdate": "2019/02/14 10:00",
                                  "contentsource": "中国政府网"}) == {"title": "关于测试的通知",
                                                                    "published": "2019-02-14"}
    assert portal.iso_date("二〇一九年二月十四日") == "2019-02-14" and portal.iso_date("2019-02-30") is None


def test_metadata_box_inside_the_content_block_is_metadata_not_body() -> None:
    page = """<html><head><meta charset="utf-8"><title>浙江省人民政府办公厅关于做好政策解读工作的通知</title></head>
<body><div id="zoom"><dl class="info"><dt>文 号</dt><dd>浙政办发〔2023〕5号</dd><dt>发布机构</dt>
<dd>浙江省人民政府办公厅</dd><dt>成文日期</dt><dd>2023-01-20</dd></dl>
<p>浙江省人民政府办公厅关于做好政策解读工作的通知</p><p>各市、县（市、区）人民政府，省政府直属各单位：</p>
<p>为进一步做好政策解读工作，现通知如下。</p><p>浙江省人民政府办公厅</p><p>2023年1月20日</p>
<p>（此件公开发布）</p></div></body></html>""".encode()
    reading = read_html(page)
    assert reading.metadata == {"doc_number": "浙政办发〔2023〕5号", "issuer": "浙江省人民政府办公厅",
                                "signed": "2023-01-20"}
    assert reading.lines[0] == "浙江省人民政府办公厅关于做好政策解读工作的通知" and len(reading.lines) == 6
    doc = load_bytes(page, "zj.html").documents[0]
    # a 公文 about 解读 work is not a 解读 page
    assert doc.kind == "通知" and doc.doc_number.canonical == "浙政办发〔2023〕5号"
