"""Other layouts of real documents, and damaged variants of the corpus (property tests).

The variants are made from the real issues: one document cut out as a standalone file, its signature
rewritten as a joint signature with a Chinese-numeral date, the issue with lines dropped, duplicated,
shuffled or with bracket widths flipped. The parser must recover what it can and never crash.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongbao.errors import UnusableInput
from gongbao.parse import parse_text
from gongbao.sources.text import split_lines

ISSUE_19 = (SAMPLES / "ningxia-2022-19.txt").read_text(encoding="utf-8").split("\n")
ZHONGWEI = (SAMPLES / "zhongwei-2019-03.txt").read_text(encoding="utf-8").split("\n")
PARSED = {"19": parse_text("\n".join(ISSUE_19)), "zw": parse_text("\n".join(ZHONGWEI))}


def cut(lines: list[str], first_line: int, last_line: int) -> str:
    return "\n".join(lines[first_line - 1: last_line])


def test_standalone_opinion_signed_at_end() -> None:
    issue = parse_text(cut(ISSUE_19, 509, 593))
    assert issue.gazette.name is None and issue.toc == []
    [doc] = issue.documents
    assert doc.doc_number and doc.doc_number.canonical == "宁政办规发〔2022〕12号"
    assert doc.kind == "意见" and doc.signed == dt.date(2022, 11, 27)
    assert doc.issuers == ["宁夏回族自治区人民政府办公厅"]
    assert not any(p.kind == "document_not_in_toc" for p in issue.problems)


def test_standalone_markdown_notice_with_enclosure() -> None:
    issue = parse_text(cut(ZHONGWEI, 1619, 1665))
    [doc] = issue.documents
    assert doc.doc_number and doc.doc_number.canonical == "卫政办发〔2019〕36号"
    assert [e.title for e in doc.enclosures] == ["中卫市人民政府常务会议学法制度"]
    articles = [b for b in doc.enclosures[0].body if b.style == "article"]
    assert [b.label for b in articles] == ["第一条", "第二条", "第三条", "第四条", "第五条", "第六条", "第七条",
                                           "第八条", "第九条"]


def test_joint_signature_with_chinese_numeral_date() -> None:
    text = cut(ISSUE_19, 509, 593).replace(
        "宁夏回族自治区人民政府办公厅\n\n2022年11月27日",
        "中共宁夏回族自治区委员会办公厅\n宁夏回族自治区人民政府办公厅\n二〇二二年十一月二十七日",
    )
    [doc] = parse_text(text).documents
    assert doc.issuers == ["中共宁夏回族自治区委员会办公厅", "宁夏回族自治区人民政府办公厅"]
    assert doc.signed == dt.date(2022, 11, 27)


def test_organs_above_title_and_date_in_parentheses() -> None:
    body = cut(ISSUE_19, 513, 580)
    text = ("自治区党委 人民政府\n\n关于健全重特大疾病医疗保险和救助制度的实施意见\n\n（2022年11月27日）\n\n"
            + body)
    [doc] = parse_text(text).documents
    assert doc.organ_line == "自治区党委 人民政府"
    assert doc.issuers == ["自治区党委", "人民政府"]
    assert doc.signed == dt.date(2022, 11, 27)
    assert doc.title == "关于健全重特大疾病医疗保险和救助制度的实施意见"


def test_truncated_issue_keeps_what_is_there() -> None:
    issue = parse_text("\n".join(ISSUE_19[:400]))
    assert issue.gazette.number == 19
    assert len(issue.documents) == 2
    missing = [p for p in issue.problems if p.kind == "toc_entry_without_document"]
    assert len(missing) == 2


def test_cover_and_toc_only_is_unusable() -> None:
    with pytest.raises(UnusableInput, match="截断"):
        parse_text("\n".join(ISSUE_19[:80]))


WIDTHS = str.maketrans("（）〔〕：，", "()[]:,")
# The damage that can make a file unusable, and the refusal it may legitimately get: dropping lines can
# lose a whole body (truncation), shuffling puts lines out of order. Duplicated lines and flipped bracket
# widths must always parse.
REFUSALS = {"drop": ("截断",), "shuffle": ("行序混乱",), "shuffle_all": ("行序混乱", "未找到刊头、目录或文号")}


def _numbers_of(doc) -> str | None:
    return doc.doc_number.canonical if doc.doc_number else None


def _numbers(issue) -> list[str | None]:
    return [_numbers_of(d) for d in issue.documents]


def _spans_are_ordered_and_in_file(issue, text: str) -> None:
    count = len(split_lines(text))
    assert issue.source.line_count == count
    spans = [(d.span.start_line, d.span.end_line) for d in issue.documents]
    assert all(1 <= start <= end <= count for start, end in spans), spans
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans)), spans


def _variants(lines: list[str], seed: int, kind: str) -> str:
    rng = random.Random(seed)
    out = list(lines)
    if kind == "drop":
        out = [ln for ln in out if rng.random() > 0.1]
    elif kind == "duplicate":
        out = [x for ln in out for x in ([ln, ln] if rng.random() < 0.05 else [ln])]
    elif kind == "shuffle":
        k = rng.randrange(len(out) - 60)
        block = out[k:k + 60]
        rng.shuffle(block)
        out[k:k + 60] = block
    elif kind == "widths":
        out = [ln.translate(WIDTHS) if rng.random() < 0.5 else ln for ln in out]
    elif kind == "shuffle_all":
        rng.shuffle(out)
    return "\n".join(out)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000),
       kind=st.sampled_from(["drop", "duplicate", "shuffle", "widths", "shuffle_all"]),
       which=st.sampled_from(["19", "zw"]))
def test_property_damaged_corpus_never_crashes(seed: int, kind: str, which: str) -> None:
    lines = ISSUE_19 if which == "19" else ZHONGWEI
    original = PARSED[which]
    text = _variants(lines, seed, kind)
    try:
        issue = parse_text(text)
    except UnusableInput as exc:
        assert kind in REFUSALS, f"{kind} damage must not make the file unusable: {exc}"
        assert any(reason in str(exc) for reason in REFUSALS[kind]), str(exc)
        return
    _spans_are_ordered_and_in_file(issue, text)
    assert all(doc.title for doc in issue.documents)
    found = [n for n in _numbers(issue) if n]
    if kind != "shuffle_all":  # lines keep their order: the 文号 found are the real ones, in order
        remaining = iter(_numbers(original))
        assert all(n in remaining for n in found), found
    if kind == "duplicate":  # a repeated line may add a document, never lose one
        assert found == _numbers(original) and len(issue.documents) >= len(original.documents)
    if kind == "widths":  # bracket and colon widths are spelling: nothing is lost or added
        assert _numbers(issue) == _numbers(original)
        assert [d.title.translate(WIDTHS) for d in issue.documents] == [
            d.title.translate(WIDTHS) for d in original.documents]
        assert issue.gazette.number == original.gazette.number
        assert [d.toc_index for d in issue.documents] == [d.toc_index for d in original.documents]


# Where arbitrary text goes into issue 19: after a long body paragraph, past the TOC and away from the
# header (organ line, title, 文号, addressees) of every document, so it is text inside a body, not a
# broken header (a junk line just above a title may rightly be read as the organ line printed above it).
BODY_POINTS = [n for n, line in enumerate(ISSUE_19, 1) if len(line) > 40
               and n > PARSED["19"].documents[0].span.start_line
               and not any(d.span.start_line - 3 <= n <= d.span.start_line + 12 for d in PARSED["19"].documents)]


def _check_inserted(text: str, at: int) -> None:
    """``text`` inserted after line ``at`` of issue 19: the issue's masthead and TOC are untouched, every
    document before the insertion is unchanged, every document after it is unchanged but for its lines
    moving down, and all four 文号 are still found in order, whatever the text adds."""
    original = PARSED["19"]
    full = "\n".join([*ISSUE_19[:at], text, *ISSUE_19[at:]])
    issue = parse_text(full)  # no UnusableInput: this is a real issue with some text added to a body
    _spans_are_ordered_and_in_file(issue, full)
    added = len(split_lines(full)) - len(ISSUE_19)
    assert issue.gazette.number == 19 and issue.gazette.year == 2022
    assert [(e.title, e.doc_number) for e in issue.toc] == [(e.title, e.doc_number) for e in original.toc]
    assert all(doc.title for doc in issue.documents)
    remaining = iter(n for n in _numbers(issue) if n)
    assert all(n in remaining for n in _numbers(original)), _numbers(issue)

    def summary(doc, shift: int = 0) -> tuple:
        return doc.title, _numbers_of(doc), doc.span.start_line + shift, doc.span.end_line + shift

    got = [summary(d) for d in issue.documents]
    before = [summary(d) for d in original.documents if d.span.end_line < at]
    after = [summary(d, added) for d in original.documents if d.span.start_line > at]
    assert got[:len(before)] == before
    assert got[len(got) - len(after):] == after


def test_insertion_points_are_in_every_document() -> None:
    assert len(BODY_POINTS) > 100
    owners = {next(i for i, d in enumerate(PARSED["19"].documents) if d.span.start_line <= n <= d.span.end_line)
              for n in BODY_POINTS}
    assert owners == {0, 1, 2, 3}


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("一二三、（）()〔〕[]2022年第期号目录附件：:\n\t|。通知关于印发宁政发")),
                    max_size=400),
       at=st.sampled_from(BODY_POINTS))
def test_property_arbitrary_text_in_an_issue(text: str, at: int) -> None:
    _check_inserted(text, at)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=2000), at=st.sampled_from(BODY_POINTS))
def test_property_any_unicode_in_an_issue(text: str, at: int) -> None:
    _check_inserted(text, at)


def test_regulation_promulgated_by_order() -> None:
    """A 规章 published by a government order (令), signed by a person: the real 办法 of issue 19
    re-laid out as an order, with its TOC entry."""
    regulation = cut(ISSUE_19, 609, 727)
    text = (
        "\n".join(ISSUE_19[:44])
        + "\n【自治区人民政府令】\n\n宁夏回族自治区化工园区建设标准和认定管理办法(试行)\n\n"
        "(宁夏回族自治区人民政府令第 118 号) (3)\n\n主 编:李 明\n\n"
        "宁夏回族自治区人民政府令\n\n第 118 号\n\n"
        "《宁夏回族自治区化工园区建设标准和认定管理办法（试行）》已经自治区人民政府常务会议审议通过，"
        "现予公布，自公布之日起施行。\n\n主席 咸辉\n\n2022年12月1日\n\n" + regulation
    )
    issue = parse_text(text)
    [doc] = issue.documents
    assert doc.doc_number and doc.doc_number.canonical == "宁夏回族自治区人民政府令第118号"
    assert doc.toc_index == 0 and doc.category == "自治区人民政府令"
    assert doc.issuers == ["宁夏回族自治区人民政府"] and doc.signed == dt.date(2022, 12, 1)
    assert doc.title == "宁夏回族自治区化工园区建设标准和认定管理办法（试行）" and doc.kind == "办法"
    assert [b.label for b in doc.enclosures[0].body if b.style == "chapter"][:2] == ["第一章", "第二章"]


def test_listed_titles_with_numbers_inside_a_document_are_not_documents() -> None:
    """A 废止文件目录 printed inside a document (title line, 文号 line) must not split the issue."""
    listing = ["", "废止的规范性文件目录", "",
               "自治区人民政府办公厅关于印发宁夏回族自治区城乡居民大病保险实施办法的通知", "",
               "宁政办发〔2017〕100号", "", "自治区人民政府关于进一步完善城乡医疗救助制度的意见", "",
               "宁政发〔2015〕41号", ""]
    issue = parse_text("\n".join(ISSUE_19[:560] + listing + ISSUE_19[560:]))
    assert [d.doc_number.canonical for d in issue.documents if d.doc_number] == [
        "宁政发〔2022〕38号", "宁政办发〔2022〕68号", "宁政办规发〔2022〕12号", "宁政办规发〔2022〕13号"]
    assert not any(p.kind == "document_not_in_toc" for p in issue.problems)


def test_body_document_missing_from_toc_is_reported() -> None:
    """Drop the TOC entry of issue 19's third document: the document stays, and the editor is told."""
    lines = ISSUE_19[:67] + ISSUE_19[73:]  # TOC lines 68–73 printed 宁政办规发[2022]12号
    issue = parse_text("\n".join(lines))
    numbers = [d.doc_number.canonical for d in issue.documents if d.doc_number]
    assert "宁政办规发〔2022〕12号" in numbers and len(issue.documents) == 4
    [problem] = [p for p in issue.problems if p.kind == "document_not_in_toc"]
    assert "重特大疾病" in problem.message


def test_signature_without_its_organ_line_still_splits_the_notice() -> None:
    """Issue 19 with the signing organ line of its first notice lost: the date and public note still
    mark where the enclosed plan begins, and the issuer comes from the title, in full."""
    lines = ISSUE_19[:131] + ISSUE_19[132:]
    doc = parse_text("\n".join(lines)).documents[0]
    assert doc.signed == dt.date(2022, 12, 1) and doc.public is True
    assert doc.issuers == ["宁夏回族自治区人民政府"]
    assert [e.title for e in doc.enclosures] == ["宁夏贯彻落实气象高质量发展纲要(2022—2035年)实施方案"]


def test_toc_disagreements_are_reported() -> None:
    """The government's own document filed under the office's heading, a TOC title with a word
    changed, and a TOC 文号 with a wrong serial: each is reported with the TOC entry's lines."""
    lines = list(ISSUE_19)
    assert lines[43] == "【自治区人民政府文件】"
    lines[43] = "【自治区人民政府办公厅文件】"
    lines[53] = lines[53].replace("建设宁夏信用信息", "建设全区信用信息")
    lines[73] = lines[73].replace("化工园区", "化工产业园区")
    lines[77] = lines[77].replace("[2022]13号", "[2022]31号")
    issue = parse_text("\n".join(lines))
    kinds = {(p.kind, p.document) for p in issue.problems}
    assert ("toc_category_mismatch", 0) in kinds
    assert ("toc_title_mismatch", 1) in kinds
    assert ("toc_title_mismatch", 3) in kinds and ("toc_doc_number_mismatch", 3) in kinds
    # the documents are still matched to their entries (by title when the number disagrees)
    assert [d.toc_index for d in issue.documents] == [0, 1, 2, 3]
    mismatch = next(p for p in issue.problems if p.kind == "toc_doc_number_mismatch")
    assert "宁政办规发〔2022〕31号" in mismatch.message and mismatch.span.start_line == 74
