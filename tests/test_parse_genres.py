"""Genres and layouts beyond the Ningxia issues (issue #10), on hand-written real-shaped samples
(tests/realshaped/README.md says how each was built), plus property tests of the new grammar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongbao.errors import UnusableInput
from gongbao.parse import parse_text
from gongbao.parse.frontmatter import split_joint
from gongbao.parse.lines import make_lines
from gongbao.parse.toc import parse_toc

HERE = Path(__file__).resolve().parent / "realshaped"


def parse(name: str):
    return parse_text((HERE / name).read_text(encoding="utf-8"), name)


def one(name: str):
    [doc] = parse(name).documents
    return doc


def test_state_council_gazette_bare_toc() -> None:
    issue = parse("gwy-gazette-2014-06.txt")
    g = issue.gazette
    assert (g.name, g.year, g.number, g.total_number, g.published) == (
        "中华人民共和国国务院公报", 2014, 6, 1465, dt.date(2014, 2, 28))
    assert [(e.category, e.title) for e in issue.toc] == [
        ("国务院令", "城镇排水与污水处理条例"),
        ("国务院文件", "国务院关于取消和下放一批行政审批项目的决定"),
        ("国务院文件", "国务院关于同意建立全国水土保持规划部际联席会议制度的批复"),
        ("国务院办公厅文件", "国务院办公厅关于加强城市地下管线建设管理的指导意见"),
        ("部门文件", "财政部国家税务总局关于铁路运输和邮政业纳入营业税改征增值税试点的通知"),
        ("人事任免", "国务院任免国家工作人员"),
    ]
    assert issue.toc[0].doc_number.canonical == "国令第649号"
    assert [d.toc_index for d in issue.documents] == list(range(6))
    numbers = [d.doc_number.canonical if d.doc_number else None for d in issue.documents]
    assert numbers == ["国令第649号", "国发〔2014〕5号", "国函〔2014〕21号", "国办发〔2014〕27号",
                       "财税〔2013〕106号", None]
    assert issue.documents[4].issuers == ["财政部", "国家税务总局"]
    assert not issue.incomplete


def test_truncated_issue_is_marked_incomplete() -> None:
    lines = (HERE / "gwy-gazette-2014-06.txt").read_text(encoding="utf-8").split("\n")
    issue = parse_text("\n".join(lines[:42]))
    assert issue.incomplete
    assert "国务院任免国家工作人员" in issue.missing
    assert any(p.kind == "truncated" for p in issue.problems)


def test_order_signed_by_the_premier() -> None:
    doc = one("state-council-order.txt")
    assert doc.doc_number.canonical == "国令第653号"
    assert doc.issuers == ["国务院"] and doc.signed == dt.date(2014, 7, 9)
    assert doc.title == "国务院关于修改部分行政法规的决定"


def test_reply_to_a_deputy_with_short_organ_name() -> None:
    doc = one("npc-reply.txt")
    assert doc.kind == "答复"
    assert doc.title == "江西省市场监督管理局关于省十三届人大五次会议第0123号建议的答复"
    assert doc.doc_number.canonical == "赣市监建字〔2021〕12号"
    assert doc.issuers == ["江西省市场监督管理局"] and doc.issuers_printed == ["江西省市场监管局"]
    assert doc.signed == dt.date(2021, 6, 18)


def test_announcement_numbered_within_the_year() -> None:
    doc = one("announcement.txt")
    assert doc.kind == "公告"
    assert doc.doc_number.canonical == "国家市场监督管理总局公告2021年第3号"
    assert doc.issuers == ["国家市场监督管理总局"] and doc.issuers_printed == ["市场监管总局"]


def test_transmitted_document_is_an_enclosure() -> None:
    doc = one("transmit-notice.txt")
    assert doc.title == "江西省人民政府办公厅转发省发展改革委关于进一步做好稳就业工作实施意见的通知"
    assert doc.issuers == ["江西省人民政府办公厅"] and doc.signed == dt.date(2021, 4, 2)
    assert [e.title for e in doc.enclosures] == ["关于进一步做好稳就业工作的实施意见"]


def test_party_group_document() -> None:
    doc = one("party-group.txt")
    assert doc.issuers == ["中共江西省市场监督管理局党组"] and doc.signed == dt.date(2021, 3, 5)
    assert [e.title for e in doc.enclosures] == ["2021年全面从严治党工作要点"]


def test_joint_heading_and_signature() -> None:
    doc = one("joint-notice.txt")
    assert doc.issuers == ["国务院办公厅", "中央军委办公厅"] and not doc.issuers_printed
    assert doc.title.startswith("国务院办公厅") and doc.title.endswith("退役士兵安置工作的通知")


def test_decision_with_date_in_parentheses() -> None:
    doc = one("decision-paren-date.txt")
    assert doc.title == "国务院关于取消一批行政许可事项的决定" and doc.kind == "决定"
    assert doc.signed == dt.date(2021, 3, 23) and doc.issuers == ["国务院"]


def test_interpretation_is_linked_not_taken_for_the_document() -> None:
    doc = one("interpretation.txt")
    assert doc.kind == "解读" and doc.doc_number is None
    assert doc.explains == "江西省优化营商环境条例" and doc.explains_number == "赣府发〔2021〕3号"
    assert doc.signed == dt.date(2021, 4, 12) and doc.issuers == ["江西省司法厅"]


def test_public_list_is_kept_with_its_kind() -> None:
    doc = one("public-list.txt")
    assert doc.kind == "公示" and doc.signed == dt.date(2021, 12, 1)
    assert doc.issuers == ["江西省精神文明建设委员会办公室"]


@pytest.mark.parametrize(("name", "reason"), [
    ("tech-standard.txt", "技术标准"), ("paper-abstract.txt", "学术论文"), ("novel.txt", "不是政府公报或公文")])
def test_not_a_document_is_refused_with_a_reason(name: str, reason: str) -> None:
    with pytest.raises(UnusableInput, match=reason):
        parse(name)


def test_contents_of_an_enclosed_plan_belong_to_the_plan() -> None:
    text = (HERE / "transmit-notice.txt").read_text(encoding="utf-8").replace(
        "一、支持企业稳定岗位", "目　录\n\n一、支持企业稳定岗位\n\n二、拓宽就业渠道\n\n一、支持企业稳定岗位")
    issue = parse_text(text)
    assert issue.toc == [] and len(issue.documents) == 1
    assert issue.documents[0].doc_number.canonical == "赣府厅发〔2021〕15号"


_ORGANS = ["国务院办公厅", "中央军委办公厅", "财政部", "国家税务总局", "江西省人民政府", "中共江西省委办公厅"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_ORGANS), min_size=2, max_size=4, unique=True),
       st.sampled_from(["\u3000", "\u3000\u3000", "  ", "\t"]))
def test_property_joint_signature_splits_on_wide_separators(organs: list[str], sep: str) -> None:
    assert split_joint(sep.join(organs)) == organs
    assert split_joint("".join(organs)) == []


_TITLES = ["国务院关于促进市场公平竞争维护市场正常秩序的若干意见", "国务院关于同意设立某某综合保税区的批复",
           "国务院办公厅关于加强城市地下管线建设管理的指导意见", "国务院任免国家工作人员",
           "财政部　国家税务总局关于调整部分产品出口退税率的通知"]
_CATEGORIES = ["国务院文件", "国务院办公厅文件", "部门文件", "人事任免", "【国务院文件】"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_CATEGORIES), st.lists(st.sampled_from(_TITLES), min_size=1,
                                                                    max_size=3, unique=True)),
                min_size=1, max_size=4, unique_by=lambda g: g[0].strip("【】")),
       st.integers(1, 999), st.booleans())
def test_property_bare_toc_gives_every_item(groups, order_no: int, blank: bool) -> None:
    """Each category printed once (a repeated line is where the body begins), titles in any grouping."""
    sep = "\n\n" if blank else "\n"
    parts = ["目　录", "国务院令", f"中华人民共和国国务院令（第{order_no}号）", "某某管理条例"]
    want = [("国务院令", "某某管理条例")]
    seen: set[str] = {"某某管理条例"}
    for category, titles in groups:
        titles = [t for t in titles if t not in seen]
        if not titles:
            continue
        parts.append(category)
        for t in titles:
            parts.append(t)
            want.append((category.strip("【】"), t.replace("\u3000", "")))
            seen.add(t)
    parts += ["中华人民共和国国务院令", f"第{order_no}号", "《某某管理条例》已经国务院常务会议通过，现予公布。"]
    toc = parse_toc(make_lines(sep.join(parts).split("\n")))
    assert [(e.category, e.title.replace(" ", "")) for e in toc.entries] == want
    assert toc.entries[0].doc_number.canonical == f"国令第{order_no}号"
