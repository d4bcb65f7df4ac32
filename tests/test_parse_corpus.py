"""The parser against the hand-checked facts of the three real issues (tests/expected/*.json)."""

from __future__ import annotations

import re

from conftest import expected, parsed

from gongbao import contract
from gongbao.textnorm import match_key


def loose(title: str) -> str:
    """Titles compare ignoring whitespace and bracket/quote/dash widths (corpus README)."""
    return re.sub(r"[<>\"']", "", match_key(title))


def test_gazette_facts(issue_name: str) -> None:
    got = contract.issue(parsed(issue_name), body=False)["gazette"]
    want = expected(issue_name)["gazette"]
    assert {k: got[k] for k in want} == want


def test_every_toc_item_becomes_a_document_in_order(issue_name: str) -> None:
    issue = parsed(issue_name)
    want = expected(issue_name)["documents"]
    assert len(issue.toc) == len(want)
    assert [d.toc_index for d in issue.documents] == list(range(len(want)))
    starts = [d.span.start_line for d in issue.documents]
    assert starts == sorted(starts)


def test_document_facts_match_expected(issue_name: str) -> None:
    docs = contract.issue(parsed(issue_name), body=False)["documents"]
    for got, want in zip(docs, expected(issue_name)["documents"], strict=True):
        assert loose(got["title"]) == loose(want["title"])
        assert got["doc_number"] == want["doc_number"]
        assert got["category"] == want["category"]
        assert got["page"] == want["page"]
        assert got["signed"] == want["signed"]
        assert got["issuers"] == want["issuers"]
        assert [loose(e["title"]) for e in got["enclosures"]] == [loose(t) for t in want["enclosures"]]
        assert len(got["attachments"]) == want["attachments"], got["title"]


def test_toc_entries_keep_printed_numbers_and_spans(issue_name: str) -> None:
    issue = parsed(issue_name)
    for entry in issue.toc:
        assert entry.span.start_line <= entry.span.end_line
        if entry.doc_number:
            printed_line = issue.lines[entry.span.end_line - 1]
            assert re.sub(r"\s", "", entry.doc_number.printed) in re.sub(r"\s", "", printed_line)


def test_titles_are_repaired_one_line(issue_name: str) -> None:
    for doc in parsed(issue_name).documents:
        assert "\n" not in doc.title and not re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", doc.title)
        assert doc.title_printed  # the lines as printed are kept


def test_document_spans_cover_their_number_line(issue_name: str) -> None:
    issue = parsed(issue_name)
    for doc in issue.documents:
        text = "\n".join(issue.lines[doc.span.start_line - 1: doc.span.end_line])
        if doc.doc_number:
            assert re.sub(r"\s", "", doc.doc_number.printed) in re.sub(r"\s", "", text)
        for enc in doc.enclosures:
            assert doc.span.start_line < enc.span.start_line <= enc.span.end_line <= doc.span.end_line


def test_toc_shows_nonstandard_brackets_as_problems() -> None:
    problems = parsed("ningxia-2022-19").problems
    flagged = [p for p in problems if p.kind == "nonstandard_doc_number"]
    # its second TOC page prints 宁政办规发[2022]12号 and 13号 with square brackets
    assert [p.span.start_line for p in flagged] == [68, 74]
    assert all("〔〕" in p.message for p in flagged)


def test_front_matter_of_a_notice() -> None:
    doc = parsed("ningxia-2022-19").documents[3]
    assert doc.kind == "通知"
    assert doc.addressees == ["各市、县（区）人民政府", "自治区政府各部门、各直属机构", "各大型国有企业"]
    assert doc.public is True and doc.public_note == "(此件公开发布)"
    assert doc.signature_span is not None
    assert doc.enclosures[0].kind == "办法"


def test_opinion_signed_at_its_end() -> None:
    doc = parsed("ningxia-2022-19").documents[2]
    assert doc.kind == "意见" and not doc.enclosures
    assert doc.signature_span and doc.signature_span.start_line > doc.span.start_line + 50
    assert doc.body[-1].span.end_line < doc.signature_span.start_line


def test_annexes_listed_omitted_and_printed() -> None:
    docs = parsed("ningxia-2022-02").documents
    assert [a.omitted for a in docs[1].attachments] == [True] * 4
    assert docs[1].attachments[3].title == "宁夏2025年用水管控指标测算依据表"
    printed = docs[2].attachments[0]
    assert not printed.omitted and printed.printed_span is not None
    assert any(b.kind == "table" for b in printed.body)


def test_annex_printed_without_its_label_is_found() -> None:
    first = parsed("zhongwei-2019-03").documents[0]
    assert [a.number for a in first.attachments] == [1, 2, 3]
    assert all(a.printed_span is not None for a in first.attachments)


def test_two_enclosures_each_with_body() -> None:
    doc = parsed("zhongwei-2019-03").documents[10]
    assert len(doc.enclosures) == 2
    first, second = doc.enclosures
    assert first.span.end_line < second.span.start_line
    assert any(b.kind == "heading" for b in first.body) and any(b.kind == "heading" for b in second.body)


def test_economic_data_section_is_a_table() -> None:
    data = parsed("ningxia-2022-02").documents[-1]
    assert data.kind == "经济数据" and data.doc_number is None
    tables = [b.table for b in data.body if b.table]
    assert len(tables) == 1
    rows = tables[0].rows
    assert [c.text for c in rows[0]] == ["指标", "单位", "绝对值", "同比增长(%)"]
    assert [c.text for c in rows[1]] == ["一、地区生产总值", "亿元", "4522.31", "6.7"]
    assert len(rows) == 28
    notes = [b.text for b in data.body if b.kind != "table"]
    assert any(n.startswith("注") for n in notes)


def test_outline_ignores_markdown_levels() -> None:
    """zhongwei prints 一、 under ###, 四、 under ####, 八、 under ##: all are level 1."""
    enclosure = parsed("zhongwei-2019-03").documents[0].enclosures[0]
    top = [b for b in enclosure.body if b.kind == "heading" and b.style == "cn"]
    assert [b.label for b in top][:8] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、"]
    assert {b.level for b in top} == {1}
    assert {"###", "####", "##"} <= {b.original.split(" ")[0] for b in top}
    sub = next(b for b in enclosure.body if b.label == "(一)")
    assert sub.level == 2 and sub.path == ("三、", "(一)")


def test_paragraph_broken_mid_word_is_rejoined_with_its_lines() -> None:
    enclosure = parsed("ningxia-2022-02").documents[0].enclosures[0]
    para = next(b for b in enclosure.body if "全区残疾人事业取得长足发展" in b.text)
    assert para.span.end_line - para.span.start_line == 2  # two printed lines and the blank between
    assert "全区残疾\n\n人事业" in para.original


def test_run_in_heading_title() -> None:
    enclosure = parsed("ningxia-2022-19").documents[0].enclosures[0]
    heading = next(b for b in enclosure.body if b.label == "(一)")
    assert heading.title == "指导思想" and heading.text.startswith("(一)指导思想。以习近平")


def test_responsibility_note_closes_its_paragraph_but_a_split_number_joins() -> None:
    blocks = [b for d in parsed("zhongwei-2019-03").documents for b in d.all_blocks()]
    note = next(b for b in blocks if b.span.start_line == 969)
    assert note.span.end_line == 969 and note.text.endswith("落实单位:各县(区)人民政府]")
    split = next(b for b in blocks if b.span.start_line <= 1427 <= b.span.end_line)
    assert "卫政办发〔2017〕140号" in split.text and split.span.end_line == 1429


def test_box_is_a_numbering_scope_and_ends_after_its_table() -> None:
    body = parsed("ningxia-2022-02").documents[0].enclosures[0].body
    box1 = next(b for b in body if b.label == "专栏1")
    after = body[body.index(box1) + 2]  # the box's table, then prose of the section again
    assert after.kind == "paragraph" and "专栏1" not in after.path
    box3 = next(b for b in body if b.label == "专栏3")
    items = body[body.index(box3) + 1: body.index(box3) + 4]
    assert [b.label for b in items] == ["1.", "2.", "3."]
    assert all(b.path[:-1] == box3.path for b in items)
    assert box3.path == ("三、", "(二)", "专栏3")
